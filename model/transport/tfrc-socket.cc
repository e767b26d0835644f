/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tfrc-socket.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TfrcSocket");

// =========================================================================== TfrcFlow

NS_OBJECT_ENSURE_REGISTERED(TfrcFlow);

TypeId
TfrcFlow::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::TfrcFlow")
              .SetParent<Object>()
              .SetGroupName("Bullet")
              .AddTraceSource("SendingRate", "Allowed sending rate X of this flow's sender, bits/s",
                              MakeTraceSourceAccessor(&TfrcFlow::m_rate),
                              "ns3::TracedValueCallback::Double")
              .AddTraceSource("Rtt", "Smoothed RTT R of this flow's sender",
                              MakeTraceSourceAccessor(&TfrcFlow::m_rtt),
                              "ns3::TracedValueCallback::Time")
              .AddTraceSource("LossEventRate", "Loss event rate p the peer reports for our data",
                              MakeTraceSourceAccessor(&TfrcFlow::m_p),
                              "ns3::TracedValueCallback::Double")
              .AddTraceSource("ReceiveRate",
                              "Receive rate X_recv measured here on the peer's data, bits/s",
                              MakeTraceSourceAccessor(&TfrcFlow::m_recvRate),
                              "ns3::TracedValueCallback::Double")
              .AddTraceSource(
                  "ReceiverLossEventRate", "Loss event rate p measured here on the peer's data",
                  MakeTraceSourceAccessor(&TfrcFlow::m_recvP), "ns3::TracedValueCallback::Double");
    return tid;
}

TfrcFlow::TfrcFlow()
    : m_peer(Ipv4Address::GetAny(), 0)
    , m_rate(0)
    , m_rtt(Time(0))
    , m_p(0)
    , m_recvRate(0)
    , m_recvP(0)
{
}

TfrcFlow::~TfrcFlow() = default;

void
TfrcFlow::Setup(TfrcSocket* socket, const InetSocketAddress& peer)
{
    m_socket = socket;
    m_peer = peer;
}

void
TfrcFlow::DoDispose()
{
    m_pacerEvent.Cancel();
    m_noFeedbackEvent.Cancel();
    m_feedbackEvent.Cancel();
    m_timeoutEvent.Cancel();
    m_queue.clear();
    m_socket = nullptr;
    Object::DoDispose();
}

InetSocketAddress
TfrcFlow::GetPeer() const
{
    return m_peer;
}

void
TfrcFlow::EnsureSender()
{
    if (!m_sender)
    {
        m_sender = std::make_unique<TfrcSender>(m_socket->SenderConfig());
        m_nextSendTime = Simulator::Now();
        UpdateTraces();
    }
}

bool
TfrcFlow::CanSend() const
{
    return m_socket && m_queue.size() < m_socket->m_queueDepth;
}

uint32_t
TfrcFlow::GetQueueSize() const
{
    return m_queue.size();
}

bool
TfrcFlow::Send(Ptr<Packet> payload)
{
    if (!CanSend())
    {
        ++m_rejected;
        if (m_socket)
        {
            m_socket->m_dropTrace(payload, m_peer);
        }
        NS_LOG_LOGIC("flow to " << m_peer.GetIpv4() << " full, send rejected");
        return false;
    }
    EnsureSender();
    Time now = Simulator::Now();
    if (m_queue.empty() && !m_pacerEvent.IsRunning() && now > m_nextSendTime)
    {
        // A sending opportunity passed with nothing to send: the sender is data-limited.
        m_dataLimited = true;
    }
    m_queue.push_back(payload);
    if (!m_pacerEvent.IsRunning())
    {
        // No ready callback from inside Send: the caller learns of room from the return
        // value, and a callback here would re-enter its send loop.
        m_inSend = true;
        TrySend();
        m_inSend = false;
    }
    return true;
}

void
TfrcFlow::TrySend()
{
    if (!m_socket || m_queue.empty())
    {
        return;
    }
    Time now = Simulator::Now();
    if (now < m_nextSendTime)
    {
        m_pacerEvent = Simulator::Schedule(m_nextSendTime - now, &TfrcFlow::TrySend, this);
        return;
    }
    Ptr<Packet> p = m_queue.front();
    m_queue.pop_front();
    bool wasFull = m_queue.size() + 1 >= m_socket->m_queueDepth;

    TfrcDataHeader hdr;
    hdr.SetSequence(m_nextSeq++);
    hdr.SetTimestamp(now);
    hdr.SetRtt(m_sender->GetRtt());
    Ptr<Packet> wire = p->Copy();
    wire->AddHeader(hdr);
    uint32_t size = wire->GetSize();
    ++m_packetsSent;
    m_bytesSent += size;
    m_payloadBytesSent += p->GetSize();
    if (m_socket->m_segmentSize == 0)
    {
        // s is the mean payload this flow sends (RFC 5348 4.1).
        m_sender->SetSegmentSize(m_payloadBytesSent / m_packetsSent);
    }
    m_sentSinceTimer = true;
    if (!m_awaitingPeer)
    {
        m_awaitingPeer = true;
        m_awaitingSince = now;
    }
    if (!m_timeoutEvent.IsRunning())
    {
        m_timeoutEvent
            = Simulator::Schedule(m_socket->m_flowTimeout, &TfrcFlow::CheckTimeout, this);
    }
    if (!m_noFeedbackEvent.IsRunning())
    {
        m_noFeedbackEvent = Simulator::Schedule(m_sender->GetNoFeedbackTimeout(),
                                                &TfrcFlow::NoFeedbackExpired, this);
    }
    // Pace at s/X: the next packet may leave one inter-packet interval after this one (with
    // Poisson pacing, an exponentially distributed multiple of it, mean 1).
    m_lastSendTime = std::max(m_nextSendTime, now);
    m_lastSendSize = size;
    // Jittered pacing: slots of s/X back to back, each packet at a uniform point of its
    // slot (the rate exactly X over any run of slots, the phase random); after an idle spell
    // the next slot starts now.
    m_slotStart = std::max(m_slotStart + m_slotLength, m_lastSendTime);
    m_gapFactor = m_socket->NextGapFactor();
    SetNextSendTime(size);
    m_socket->Transmit(wire, m_peer);
    if (!m_queue.empty())
    {
        m_pacerEvent = Simulator::Schedule(m_nextSendTime - now, &TfrcFlow::TrySend, this);
    }
    if (wasFull && !m_inSend && m_socket && !m_socket->m_sendReadyCb.IsNull())
    {
        Ptr<TfrcFlow> self = this; // the callback may close the flow
        m_socket->m_sendReadyCb(m_peer);
    }
}

void
TfrcFlow::SetNextSendTime(uint32_t size)
{
    m_slotLength = m_sender->GetInterPacketInterval(size);
    Time from = m_socket->m_pacing == TfrcSocket::PACING_JITTERED ? m_slotStart : m_lastSendTime;
    m_nextSendTime = from + m_slotLength * m_gapFactor;
}

void
TfrcFlow::Repace()
{
    if (!m_sender || m_packetsSent == 0)
    {
        return;
    }
    // The gap after the last packet follows the new rate: a packet waiting for a slot
    // computed at 1 packet/s must not wait that long once the first feedback raised X.
    SetNextSendTime(m_lastSendSize);
    if (m_pacerEvent.IsRunning())
    {
        m_pacerEvent.Cancel();
        Time now = Simulator::Now();
        m_pacerEvent
            = Simulator::Schedule(std::max(m_nextSendTime, now) - now, &TfrcFlow::TrySend, this);
    }
}

void
TfrcFlow::NoFeedbackExpired()
{
    if (!m_sender)
    {
        return;
    }
    m_sender->OnNoFeedbackTimer(Simulator::Now(), !m_sentSinceTimer);
    m_sentSinceTimer = false;
    Repace();
    UpdateTraces();
    m_noFeedbackEvent
        = Simulator::Schedule(m_sender->GetNoFeedbackTimeout(), &TfrcFlow::NoFeedbackExpired, this);
}

void
TfrcFlow::ReceiveFeedback(const TfrcFeedbackHeader& fb)
{
    m_awaitingPeer = false;
    if (!m_sender)
    {
        NS_LOG_LOGIC("feedback from " << m_peer.GetIpv4() << " for a flow that never sent");
        return;
    }
    Time now = Simulator::Now();
    // Data-limited also if the queue is empty now and the pacer slot has passed.
    bool dataLimited = m_dataLimited || (m_queue.empty() && now > m_nextSendTime);
    m_sender->OnFeedback(now, fb, dataLimited);
    m_dataLimited = false;
    m_sentSinceTimer = false;
    m_noFeedbackEvent.Cancel();
    m_noFeedbackEvent
        = Simulator::Schedule(m_sender->GetNoFeedbackTimeout(), &TfrcFlow::NoFeedbackExpired, this);
    Repace();
    UpdateTraces();
}

void
TfrcFlow::ReceiveData(Ptr<Packet> packet, const TfrcDataHeader& hdr, uint32_t wireSize)
{
    m_awaitingPeer = false;
    if (!m_receiver)
    {
        m_receiver = std::make_unique<TfrcReceiver>(m_socket->ReceiverConfig());
    }
    ++m_packetsReceived;
    m_bytesReceived += wireSize;
    bool urgent = m_receiver->OnData(Simulator::Now(), hdr, wireSize);
    m_recvP = m_receiver->GetLossEventRate();
    if (urgent)
    {
        SendFeedback();
    }
    else if (!m_feedbackEvent.IsRunning())
    {
        m_feedbackEvent = Simulator::Schedule(m_receiver->GetFeedbackInterval(),
                                              &TfrcFlow::FeedbackTimerExpired, this);
    }
}

void
TfrcFlow::FeedbackTimerExpired()
{
    if (m_receiver && m_receiver->HasDataSinceFeedback())
    {
        SendFeedback(); // reschedules
    }
    // else: stopped until the next data packet arrives
}

void
TfrcFlow::SendFeedback()
{
    if (!m_socket)
    {
        return;
    }
    TfrcFeedbackHeader fb = m_receiver->MakeFeedback(Simulator::Now());
    m_recvRate = fb.GetReceiveRate() * 8;
    m_recvP = fb.GetLossEventRate();
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(fb);
    m_socket->Transmit(p, m_peer);
    m_feedbackEvent.Cancel();
    m_feedbackEvent = Simulator::Schedule(m_receiver->GetFeedbackInterval(),
                                          &TfrcFlow::FeedbackTimerExpired, this);
}

void
TfrcFlow::CheckTimeout()
{
    if (!m_awaitingPeer || !m_socket)
    {
        return; // the peer answered; the next send re-arms the check
    }
    Time deadline = m_awaitingSince + m_socket->m_flowTimeout;
    if (Simulator::Now() < deadline)
    {
        m_timeoutEvent
            = Simulator::Schedule(deadline - Simulator::Now(), &TfrcFlow::CheckTimeout, this);
        return;
    }
    NS_LOG_INFO("flow to " << m_peer.GetIpv4() << ":" << m_peer.GetPort() << " timed out");
    m_socket->FlowTimedOut(this);
}

void
TfrcFlow::UpdateTraces()
{
    if (m_sender)
    {
        m_rate = m_sender->GetRate() * 8;
        m_rtt = m_sender->GetRtt();
        m_p = m_sender->GetLossEventRate();
    }
}

uint32_t
TfrcFlow::GetSegmentSize() const
{
    return m_sender ? m_sender->GetSegmentSize() : m_socket->SenderConfig().segmentSize;
}

double
TfrcFlow::GetSendingRate() const
{
    return m_sender ? m_sender->GetRate() * 8 : 0;
}

Time
TfrcFlow::GetRtt() const
{
    return m_sender ? m_sender->GetRtt() : Time(0);
}

double
TfrcFlow::GetLossEventRate() const
{
    return m_sender ? m_sender->GetLossEventRate() : 0;
}

double
TfrcFlow::GetReceiverLossEventRate() const
{
    return m_receiver ? m_receiver->GetLossEventRate() : 0;
}

uint64_t
TfrcFlow::GetPacketsSent() const
{
    return m_packetsSent;
}

uint64_t
TfrcFlow::GetBytesSent() const
{
    return m_bytesSent;
}

uint64_t
TfrcFlow::GetSendsRejected() const
{
    return m_rejected;
}

uint64_t
TfrcFlow::GetPacketsReceived() const
{
    return m_packetsReceived;
}

uint64_t
TfrcFlow::GetBytesReceived() const
{
    return m_bytesReceived;
}

// ========================================================================= TfrcSocket

namespace
{
/// A peer endpoint as one integer: address, then port (the ToS byte is not part of it).
uint64_t
EndpointKey(const InetSocketAddress& peer)
{
    return (uint64_t(peer.GetIpv4().Get()) << 16) | peer.GetPort();
}

/// Position of \p key in the sorted \p flows (a TfrcSocket's m_flows), or where it would go.
template<typename Flows>
auto
FlowPosition(Flows& flows, uint64_t key)
{
    return std::lower_bound(flows.begin(), flows.end(), key, [](const auto& entry, uint64_t k) {
        return entry.first < k;
    });
}
} // namespace

NS_OBJECT_ENSURE_REGISTERED(TfrcSocket);

TypeId
TfrcSocket::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::TfrcSocket")
              .SetParent<Object>()
              .SetGroupName("Bullet")
              .AddConstructor<TfrcSocket>()
              .AddAttribute("SegmentSize",
                            "s, the segment size in bytes the throughput equation assumes "
                            "(RFC 5348 4.1); send datagrams of about this size. 0: each flow "
                            "uses the mean payload size it has sent (1460 before its first "
                            "packet)",
                            UintegerValue(1460), MakeUintegerAccessor(&TfrcSocket::m_segmentSize),
                            MakeUintegerChecker<uint32_t>(0))
              .AddAttribute("QueueDepth",
                            "Packets a flow accepts ahead of its pacer; Send() fails beyond this",
                            UintegerValue(4), MakeUintegerAccessor(&TfrcSocket::m_queueDepth),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("RttSmoothing",
                            "q, the weight of the old RTT in R = q*R + (1-q)*sample (RFC 5348 4.3)",
                            DoubleValue(0.9), MakeDoubleAccessor(&TfrcSocket::m_rttSmoothing),
                            MakeDoubleChecker<double>(0, 1))
              .AddAttribute(
                  "MaxBackoffInterval",
                  "t_mbi: the rate never falls below one segment per t_mbi (RFC 5348 4.3)",
                  TimeValue(Seconds(64)), MakeTimeAccessor(&TfrcSocket::m_tMbi),
                  MakeTimeChecker(MilliSeconds(1)))
              .AddAttribute("Ndupack",
                            "Later packets that must arrive before a gap counts as a loss "
                            "(RFC 5348 5.1)",
                            UintegerValue(3), MakeUintegerAccessor(&TfrcSocket::m_ndupack),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("HistoryLength",
                            "n, the number of loss intervals averaged (RFC 5348 5.4)",
                            UintegerValue(8), MakeUintegerAccessor(&TfrcSocket::m_historyLength),
                            MakeUintegerChecker<uint32_t>(1, 64))
              .AddAttribute("FlowTimeout",
                            "A flow that sent data and heard nothing from its peer for this long "
                            "is reported through the FlowTimeout trace/callback and removed",
                            TimeValue(Seconds(10)), MakeTimeAccessor(&TfrcSocket::m_flowTimeout),
                            MakeTimeChecker(MilliSeconds(1)))
              .AddAttribute("InitialRtt",
                            "RTT the receiver assumes (feedback period) until the sender's "
                            "first estimate arrives in its data headers",
                            TimeValue(MilliSeconds(100)),
                            MakeTimeAccessor(&TfrcSocket::m_initialRtt),
                            MakeTimeChecker(MicroSeconds(1)))
              .AddAttribute("InitialNoFeedbackTimeout",
                            "Nofeedback timeout before the first RTT sample (RFC 5348 4.2)",
                            TimeValue(Seconds(2)),
                            MakeTimeAccessor(&TfrcSocket::m_initialNoFeedback),
                            MakeTimeChecker(MilliSeconds(1)))
              .AddAttribute("OscillationPrevention",
                            "Pace at X_inst = X * R_sqmean / sqrt(R_sample) (RFC 5348 4.5): "
                            "slower while the RTT sample exceeds its average, as when a "
                            "drop-tail queue fills",
                            BooleanValue(false),
                            MakeBooleanAccessor(&TfrcSocket::m_oscillationPrevention),
                            MakeBooleanChecker())
              .AddAttribute(
                  "Pacing",
                  "Spacing of packets at the rate X: exact (s/X apart, RFC 5348 4.6), "
                  "poisson (exponential gaps, mean s/X: no fixed phase against TCP on "
                  "drop-tail queues; doc/tfrc.md) or jittered (a uniform point in each of "
                  "back-to-back slots of s/X)",
                  EnumValue(TfrcSocket::PACING_POISSON), MakeEnumAccessor(&TfrcSocket::m_pacing),
                  MakeEnumChecker(TfrcSocket::PACING_EXACT, "exact", TfrcSocket::PACING_POISSON,
                                  "poisson", TfrcSocket::PACING_JITTERED, "jittered"))
              .AddTraceSource("Tx", "A data packet (TFRC header included) left for a peer",
                              MakeTraceSourceAccessor(&TfrcSocket::m_txTrace),
                              "ns3::TfrcSocket::PacketPeerTracedCallback")
              .AddTraceSource("Rx", "An application payload was received from a peer",
                              MakeTraceSourceAccessor(&TfrcSocket::m_rxTrace),
                              "ns3::TfrcSocket::PacketPeerTracedCallback")
              .AddTraceSource("Drop", "A non-blocking send was refused (flow full or not open)",
                              MakeTraceSourceAccessor(&TfrcSocket::m_dropTrace),
                              "ns3::TfrcSocket::PacketPeerTracedCallback")
              .AddTraceSource("Malformed", "A datagram was rejected as truncated or garbled",
                              MakeTraceSourceAccessor(&TfrcSocket::m_malformedTrace),
                              "ns3::TfrcSocket::PacketPeerTracedCallback")
              .AddTraceSource("FlowTimeout",
                              "A flow's peer did not answer within FlowTimeout; the flow is gone",
                              MakeTraceSourceAccessor(&TfrcSocket::m_flowTimeoutTrace),
                              "ns3::TfrcSocket::PeerTracedCallback");
    return tid;
}

TfrcSocket::TfrcSocket()
    : m_gaps(CreateObject<ExponentialRandomVariable>())
    , m_slotPoints(CreateObject<UniformRandomVariable>())
{
    m_gaps->SetAttribute("Mean", DoubleValue(1.0));
}

int64_t
TfrcSocket::AssignStreams(int64_t stream)
{
    m_gaps->SetStream(stream);
    m_slotPoints->SetStream(stream + 1);
    return 2;
}

double
TfrcSocket::NextGapFactor()
{
    switch (m_pacing)
    {
        case PACING_POISSON:
            return m_gaps->GetValue();
        case PACING_JITTERED:
            return m_slotPoints->GetValue();
        default:
            return 1.0;
    }
}

TfrcSocket::~TfrcSocket()
{
    // A socket released without Dispose() must not leave the UDP socket or its flows' timers
    // calling back into freed memory.
    CloseAll();
}

void
TfrcSocket::DoDispose()
{
    CloseAll();
    m_recvCb.Nullify();
    m_timeoutCb.Nullify();
    m_sendReadyCb.Nullify();
    Object::DoDispose();
}

bool
TfrcSocket::Bind(Ptr<Node> node, uint16_t port)
{
    NS_ASSERT_MSG(!m_udp, "TfrcSocket already bound");
    m_udp = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    if (m_udp->Bind(InetSocketAddress(Ipv4Address::GetAny(), port)) != 0)
    {
        NS_LOG_WARN("cannot bind UDP port " << port);
        m_udp->Close();
        m_udp = nullptr;
        return false;
    }
    Address local;
    m_udp->GetSockName(local);
    m_port = InetSocketAddress::ConvertFrom(local).GetPort();
    m_udp->SetRecvCallback(MakeCallback(&TfrcSocket::HandleRead, this));
    return true;
}

uint16_t
TfrcSocket::GetLocalPort() const
{
    return m_port;
}

TfrcSenderConfig
TfrcSocket::SenderConfig() const
{
    TfrcSenderConfig c;
    c.segmentSize = m_segmentSize == 0 ? 1460 : m_segmentSize;
    c.rttSmoothing = m_rttSmoothing;
    c.tMbi = m_tMbi;
    c.initialNoFeedback = m_initialNoFeedback;
    c.oscillationPrevention = m_oscillationPrevention;
    return c;
}

TfrcReceiverConfig
TfrcSocket::ReceiverConfig() const
{
    TfrcReceiverConfig c;
    c.historyLength = m_historyLength;
    c.ndupack = m_ndupack;
    c.initialRtt = m_initialRtt;
    return c;
}

Ptr<TfrcFlow>
TfrcSocket::CreateFlow(const InetSocketAddress& peer)
{
    Ptr<TfrcFlow> flow = CreateObject<TfrcFlow>();
    flow->Setup(this, peer);
    const uint64_t key = EndpointKey(peer);
    auto it = FlowPosition(m_flows, key);
    if (it != m_flows.end() && it->first == key)
    {
        it->second = flow;
    }
    else
    {
        m_flows.emplace(it, key, flow);
    }
    NS_LOG_INFO("port " << m_port << ": flow to " << peer.GetIpv4() << ":" << peer.GetPort());
    return flow;
}

Ptr<TfrcFlow>
TfrcSocket::Connect(const InetSocketAddress& peer)
{
    NS_ASSERT_MSG(m_udp, "TfrcSocket::Connect before Bind");
    Ptr<TfrcFlow> f = GetFlow(peer);
    return f ? f : CreateFlow(peer);
}

Ptr<TfrcFlow>
TfrcSocket::GetFlow(const InetSocketAddress& peer) const
{
    const uint64_t key = EndpointKey(peer);
    auto it = FlowPosition(m_flows, key);
    return it == m_flows.end() || it->first != key ? nullptr : it->second;
}

void
TfrcSocket::Close(const InetSocketAddress& peer)
{
    const uint64_t key = EndpointKey(peer);
    auto it = FlowPosition(m_flows, key);
    if (it != m_flows.end() && it->first == key)
    {
        Ptr<TfrcFlow> f = it->second;
        m_flows.erase(it);
        f->Dispose();
    }
}

void
TfrcSocket::CloseAll()
{
    auto flows = std::move(m_flows);
    m_flows.clear();
    for (auto& kv : flows)
    {
        kv.second->Dispose();
    }
    if (m_udp)
    {
        m_udp->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_udp->Close();
        m_udp = nullptr;
    }
}

uint32_t
TfrcSocket::GetNFlows() const
{
    return m_flows.size();
}

bool
TfrcSocket::Send(const InetSocketAddress& peer, Ptr<Packet> payload)
{
    Ptr<TfrcFlow> f = GetFlow(peer);
    if (!f)
    {
        m_dropTrace(payload, peer);
        return false;
    }
    return f->Send(payload);
}

void
TfrcSocket::SetRecvCallback(RecvCallback cb)
{
    m_recvCb = cb;
}

void
TfrcSocket::SetFlowTimeoutCallback(FlowTimeoutCallback cb)
{
    m_timeoutCb = cb;
}

void
TfrcSocket::SetSendReadyCallback(SendReadyCallback cb)
{
    m_sendReadyCb = cb;
}

uint64_t
TfrcSocket::GetMalformedCount() const
{
    return m_malformed;
}

void
TfrcSocket::Transmit(Ptr<Packet> packet, const InetSocketAddress& peer)
{
    if (!m_udp)
    {
        return;
    }
    if (!m_txTrace.IsEmpty() && TfrcPeekType(packet) == TFRC_DATA)
    {
        m_txTrace(packet, peer);
    }
    if (m_udp->SendTo(packet, 0, peer) < 0)
    {
        NS_LOG_LOGIC("UDP SendTo failed: " << m_udp->GetErrno());
    }
}

void
TfrcSocket::FlowTimedOut(Ptr<TfrcFlow> flow)
{
    InetSocketAddress peer = flow->GetPeer();
    m_flowTimeoutTrace(peer);
    Close(peer);
    if (!m_timeoutCb.IsNull())
    {
        m_timeoutCb(peer);
    }
}

void
TfrcSocket::HandleRead(Ptr<Socket> socket)
{
    Ptr<Packet> packet;
    Address from;
    while ((packet = socket->RecvFrom(from)))
    {
        if (!InetSocketAddress::IsMatchingType(from))
        {
            continue;
        }
        InetSocketAddress peer = InetSocketAddress::ConvertFrom(from);
        uint32_t wireSize = packet->GetSize();
        uint8_t type = TfrcPeekType(packet);
        if (type == TFRC_DATA)
        {
            TfrcDataHeader hdr;
            packet->RemoveHeader(hdr);
            if (!hdr.IsValid())
            {
                ++m_malformed;
                m_malformedTrace(packet, peer);
                NS_LOG_WARN("malformed data from " << peer.GetIpv4() << ": " << hdr.GetError());
                continue;
            }
            Ptr<TfrcFlow> flow = GetFlow(peer);
            if (!flow)
            {
                flow = CreateFlow(peer); // a peer started sending to us
            }
            flow->ReceiveData(packet, hdr, wireSize);
            m_rxTrace(packet, peer);
            if (!m_recvCb.IsNull())
            {
                m_recvCb(packet, peer);
            }
        }
        else if (type == TFRC_FEEDBACK)
        {
            TfrcFeedbackHeader fb;
            packet->RemoveHeader(fb);
            if (!fb.IsValid())
            {
                ++m_malformed;
                m_malformedTrace(packet, peer);
                NS_LOG_WARN("malformed feedback from " << peer.GetIpv4() << ": " << fb.GetError());
                continue;
            }
            Ptr<TfrcFlow> flow = GetFlow(peer);
            if (flow)
            {
                flow->ReceiveFeedback(fb);
            }
        }
        else
        {
            ++m_malformed;
            m_malformedTrace(packet, peer);
            NS_LOG_WARN("datagram of unknown type " << unsigned(type) << " from "
                                                    << peer.GetIpv4());
        }
    }
}

} // namespace ns3
