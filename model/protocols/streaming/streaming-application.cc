/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "streaming-application.h"

#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("StreamingApplication");

namespace
{
/// Packets further ahead than this of anything seen are rejected as malformed.
constexpr uint32_t kMaxSequenceJump = 1u << 20;
} // namespace

NS_OBJECT_ENSURE_REGISTERED(StreamingApplication);

TypeId
StreamingApplication::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::StreamingApplication")
              .SetParent<OverlayApplication>()
              .SetGroupName("Bullet")
              .AddAttribute("Rate", "Stream rate at the source", DataRateValue(DataRate("600kbps")),
                            MakeDataRateAccessor(&StreamingApplication::m_rate),
                            MakeDataRateChecker())
              .AddAttribute("PacketSize", "Bytes per stream packet, stream header included",
                            UintegerValue(1000),
                            MakeUintegerAccessor(&StreamingApplication::m_packetSize),
                            MakeUintegerChecker<uint32_t>(12, 65000))
              .AddAttribute(
                  "StreamStart", "Delay from the application's start to the source's first packet",
                  TimeValue(Seconds(0)), MakeTimeAccessor(&StreamingApplication::m_streamStart),
                  MakeTimeChecker(Seconds(0)))
              .AddTraceSource("DataRx",
                              "A stream packet arrived: (from, seq, bytes, from parent, duplicate)",
                              MakeTraceSourceAccessor(&StreamingApplication::m_rxTrace),
                              "ns3::StreamingApplication::DataRxTracedCallback")
              .AddTraceSource("DataTx", "The transport took a stream packet: (to, seq, bytes)",
                              MakeTraceSourceAccessor(&StreamingApplication::m_txTrace),
                              "ns3::StreamingApplication::DataTxTracedCallback");
    return tid;
}

StreamingApplication::StreamingApplication() = default;

uint64_t
StreamingApplication::GetMalformedCount() const
{
    return m_malformed;
}

uint32_t
StreamingApplication::GetPacketSize() const
{
    return m_packetSize;
}

DataRate
StreamingApplication::GetRate() const
{
    return m_rate;
}

bool
StreamingApplication::HasPacket(uint32_t seq) const
{
    return seq < m_have.size() && m_have[seq];
}

void
StreamingApplication::DoDispose()
{
    m_generate.Cancel();
    OverlayApplication::DoDispose();
}

void
StreamingApplication::StartApplication()
{
    OverlayApplication::StartApplication();
    if (IsSource())
    {
        m_generate = Simulator::Schedule(m_streamStart, &StreamingApplication::Generate, this);
    }
}

void
StreamingApplication::StopApplication()
{
    m_generate.Cancel();
    OverlayApplication::StopApplication();
}

void
StreamingApplication::Received(Ipv4Address from, uint32_t seq, bool duplicate)
{
}

bool
StreamingApplication::SendData(Ipv4Address to, Ptr<const Packet> packet, uint32_t seq)
{
    // No copy: a transport never modifies what it is given (DataTransport::Send), so one
    // packet can go to every child and peer.
    if (!GetTransport()->Send(to, ConstCast<Packet>(packet)))
    {
        return false;
    }
    m_txTrace(to, seq, packet->GetSize());
    return true;
}

void
StreamingApplication::Generate()
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
                                     &StreamingApplication::Generate, this);
}

void
StreamingApplication::MarkHeld(uint32_t seq)
{
    if (m_have.size() <= seq)
    {
        m_have.resize(seq + 1024, false);
    }
    m_have[seq] = true;
}

bool
StreamingApplication::IsParent(Ipv4Address from) const
{
    Ptr<OverlayTree> tree = GetTree();
    return tree && tree->HasParent() && tree->GetParent() == from;
}

void
StreamingApplication::ReceiveData(Ipv4Address from, Ptr<Packet> packet)
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
    bool fromParent = IsParent(from);
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

} // namespace ns3
