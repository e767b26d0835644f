/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dissemination-application.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/stream-header.h"
#include "ns3/type-id.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DisseminationApplication");

namespace
{
/// Packets further ahead than this of anything seen are rejected as malformed.
constexpr uint32_t kMaxSequenceJump = 1u << 20;
} // namespace

NS_OBJECT_ENSURE_REGISTERED(DisseminationApplication);
NS_OBJECT_ENSURE_REGISTERED(TreeStreamingApplication);

TypeId
DisseminationApplication::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::DisseminationApplication")
              .SetParent<Application>()
              .SetGroupName("Bullet")
              .AddAttribute("Source", "This node creates the stream", BooleanValue(false),
                            MakeBooleanAccessor(&DisseminationApplication::m_source),
                            MakeBooleanChecker())
              .AddAttribute("Rate", "Stream rate at the source", DataRateValue(DataRate("600kbps")),
                            MakeDataRateAccessor(&DisseminationApplication::m_rate),
                            MakeDataRateChecker())
              .AddAttribute("PacketSize", "Bytes per stream packet, stream header included",
                            UintegerValue(1000),
                            MakeUintegerAccessor(&DisseminationApplication::m_packetSize),
                            MakeUintegerChecker<uint32_t>(12, 65000))
              .AddAttribute(
                  "StreamStart", "Delay from the application's start to the source's first packet",
                  TimeValue(Seconds(0)), MakeTimeAccessor(&DisseminationApplication::m_streamStart),
                  MakeTimeChecker(Seconds(0)))
              .AddAttribute("Transport", "DataTransport subclass that carries stream packets",
                            TypeIdValue(TfrcDataTransport::GetTypeId()),
                            MakeTypeIdAccessor(&DisseminationApplication::m_transportType),
                            MakeTypeIdChecker())
              .AddAttribute(
                  "ControlChannel", "ControlChannel subclass that carries control messages",
                  TypeIdValue(TcpControlChannel::GetTypeId()),
                  MakeTypeIdAccessor(&DisseminationApplication::m_channelType), MakeTypeIdChecker())
              .AddTraceSource("DataRx",
                              "A stream packet arrived: (from, seq, bytes, from parent, duplicate)",
                              MakeTraceSourceAccessor(&DisseminationApplication::m_rxTrace),
                              "ns3::DisseminationApplication::DataRxTracedCallback")
              .AddTraceSource("ControlTx",
                              "This node sent a control message: (peer, type, wire bytes)",
                              MakeTraceSourceAccessor(&DisseminationApplication::m_controlTxTrace),
                              "ns3::DisseminationApplication::ControlTxTracedCallback")
              .AddTraceSource("DataTx", "The transport took a stream packet: (to, seq, bytes)",
                              MakeTraceSourceAccessor(&DisseminationApplication::m_txTrace),
                              "ns3::DisseminationApplication::DataTxTracedCallback");
    return tid;
}

DisseminationApplication::DisseminationApplication() = default;

void
DisseminationApplication::SetTree(Ptr<OverlayTree> tree)
{
    m_tree = tree;
}

Ptr<OverlayTree>
DisseminationApplication::GetTree() const
{
    return m_tree;
}

Ptr<ControlChannel>
DisseminationApplication::GetControlChannel() const
{
    return m_channel;
}

Ptr<DataTransport>
DisseminationApplication::GetTransport() const
{
    return m_transport;
}

Ipv4Address
DisseminationApplication::GetLocalAddress() const
{
    return m_channel->GetLocalAddress();
}

bool
DisseminationApplication::IsSource() const
{
    return m_source;
}

uint64_t
DisseminationApplication::GetMalformedCount() const
{
    return m_malformed;
}

uint32_t
DisseminationApplication::GetPacketSize() const
{
    return m_packetSize;
}

DataRate
DisseminationApplication::GetRate() const
{
    return m_rate;
}

int64_t
DisseminationApplication::AssignStreams(int64_t stream)
{
    return 0;
}

bool
DisseminationApplication::HasPacket(uint32_t seq) const
{
    return seq < m_have.size() && m_have[seq];
}

void
DisseminationApplication::SetMembership(const std::vector<Ipv4Address>& members)
{
    m_members = members;
}

const std::vector<Ipv4Address>&
DisseminationApplication::GetMembership() const
{
    return m_members;
}

void
DisseminationApplication::DoDispose()
{
    m_generate.Cancel();
    m_tree = nullptr;
    m_channel = nullptr;
    m_transport = nullptr;
    Application::DoDispose();
}

void
DisseminationApplication::StartApplication()
{
    NS_ABORT_MSG_UNLESS(m_tree, "DisseminationApplication needs a tree (SetTree)");
    ObjectFactory channel(m_channelType.GetName());
    m_channel = channel.Create<ControlChannel>();
    m_channel->Start(GetNode());
    m_channel->TraceConnectWithoutContext(
        "Tx", MakeCallback(&DisseminationApplication::ControlSent, this));
    ObjectFactory transport(m_transportType.GetName());
    m_transport = transport.Create<DataTransport>();
    m_transport->SetRecvCallback(MakeCallback(&DisseminationApplication::HandleData, this));
    m_transport->Start(GetNode());
    m_tree->Start(m_channel);
    DoStart();
    if (m_source)
    {
        m_generate = Simulator::Schedule(m_streamStart, &DisseminationApplication::Generate, this);
    }
}

void
DisseminationApplication::StopApplication()
{
    m_generate.Cancel();
    DoStop();
    if (m_tree)
    {
        m_tree->Stop();
    }
    if (m_transport)
    {
        m_transport->Stop();
    }
    if (m_channel)
    {
        m_channel->Stop();
    }
}

void
DisseminationApplication::DoStart()
{
}

void
DisseminationApplication::DoStop()
{
}

void
DisseminationApplication::Received(Ipv4Address from, uint32_t seq, bool duplicate)
{
}

bool
DisseminationApplication::SendData(Ipv4Address to, Ptr<const Packet> packet, uint32_t seq)
{
    if (!m_transport->Send(to, packet->Copy()))
    {
        return false;
    }
    m_txTrace(to, seq, packet->GetSize());
    return true;
}

void
DisseminationApplication::ControlSent(Ipv4Address peer, uint16_t type, uint32_t bytes)
{
    m_controlTxTrace(peer, type, bytes);
}

void
DisseminationApplication::Generate()
{
    uint32_t seq = m_nextSeq++;
    StreamHeader h;
    h.seq = seq;
    h.created = Simulator::Now();
    Ptr<Packet> p = Create<Packet>(m_packetSize - h.GetSerializedSize());
    p->AddHeader(h);
    MarkHeld(seq);
    Disseminate(h, p, GetLocalAddress());
    m_generate = Simulator::Schedule(m_rate.CalculateBytesTxTime(m_packetSize),
                                     &DisseminationApplication::Generate, this);
}

void
DisseminationApplication::MarkHeld(uint32_t seq)
{
    if (m_have.size() <= seq)
    {
        m_have.resize(seq + 1024, false);
    }
    m_have[seq] = true;
}

void
DisseminationApplication::HandleData(Ipv4Address from, Ptr<Packet> packet)
{
    StreamHeader h;
    packet->PeekHeader(h);
    if (!h.IsValid())
    {
        ++m_malformed;
        NS_LOG_WARN(GetLocalAddress() << ": malformed data from " << from << ": " << h.GetError());
        return;
    }
    if (h.seq >= m_have.size() + kMaxSequenceJump)
    {
        ++m_malformed; // a sequence number that far ahead would only inflate our state
        NS_LOG_WARN(GetLocalAddress()
                    << ": implausible sequence number " << h.seq << " from " << from);
        return;
    }
    bool duplicate = HasPacket(h.seq);
    bool fromParent = m_tree->HasParent() && m_tree->GetParent() == from;
    m_rxTrace(from, h.seq, packet->GetSize(), fromParent, duplicate);
    if (!duplicate)
    {
        MarkHeld(h.seq);
    }
    Received(from, h.seq, duplicate);
    if (!duplicate)
    {
        Disseminate(h, packet, from);
    }
}

TypeId
TreeStreamingApplication::GetTypeId()
{
    static TypeId tid = TypeId("ns3::TreeStreamingApplication")
                            .SetParent<DisseminationApplication>()
                            .SetGroupName("Bullet")
                            .AddConstructor<TreeStreamingApplication>();
    return tid;
}

void
TreeStreamingApplication::Disseminate(const StreamHeader& header, Ptr<const Packet> packet,
                                      Ipv4Address from)
{
    for (const auto& child : GetTree()->GetChildren())
    {
        SendData(child, packet, header.seq);
    }
}

} // namespace ns3
