/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "anti-entropy-application.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/stream-header.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AntiEntropyApplication");

NS_OBJECT_ENSURE_REGISTERED(AntiEntropyDigestHeader);
NS_OBJECT_ENSURE_REGISTERED(AntiEntropyApplication);

TypeId
AntiEntropyDigestHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::AntiEntropyDigestHeader")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<AntiEntropyDigestHeader>();
    return tid;
}

TypeId
AntiEntropyDigestHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
AntiEntropyDigestHeader::GetSerializedSize() const
{
    return filter.GetSerializedSize() + 8;
}

void
AntiEntropyDigestHeader::Serialize(Buffer::Iterator start) const
{
    filter.Serialize(start);
    start.WriteHtonU32(low);
    start.WriteHtonU32(high);
}

void
AntiEntropyDigestHeader::Print(std::ostream& os) const
{
    os << "range=[" << low << "," << high << "] filter=" << filter.GetNumBits() << "b";
}

void
AntiEntropyDigestHeader::DoDeserialize(WireReader& reader)
{
    if (!filter.Deserialize(reader))
    {
        return;
    }
    low = reader.ReadNtohU32();
    high = reader.ReadNtohU32();
    if (reader.Ok() && high < low)
    {
        reader.Fail("anti-entropy digest: high < low");
    }
}

TypeId
AntiEntropyApplication::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::AntiEntropyApplication")
              .SetParent<DisseminationApplication>()
              .SetGroupName("Bullet")
              .AddConstructor<AntiEntropyApplication>()
              .AddAttribute("Epoch",
                            "Time between a node's reconciliations (the paper: 20 s, to let "
                            "TFRC ramp up)",
                            TimeValue(Seconds(20)),
                            MakeTimeAccessor(&AntiEntropyApplication::m_epoch),
                            MakeTimeChecker(MilliSeconds(10)))
              .AddAttribute("Peers", "Random members a node sends its digest to each epoch",
                            UintegerValue(5),
                            MakeUintegerAccessor(&AntiEntropyApplication::m_peers),
                            MakeUintegerChecker<uint32_t>(0, 1000))
              .AddAttribute("RecoveryWindow",
                            "Stream time the FIFO Bloom filter covers (at the stream rate): "
                            "older packets are no longer asked for nor offered",
                            TimeValue(Seconds(20)),
                            MakeTimeAccessor(&AntiEntropyApplication::m_recoveryWindow),
                            MakeTimeChecker(Seconds(1)))
              .AddAttribute(
                  "FalsePositiveRate", "Target false-positive rate of a full window's filter",
                  DoubleValue(0.01), MakeDoubleAccessor(&AntiEntropyApplication::m_falsePositive),
                  MakeDoubleChecker<double>(1e-6, 0.5))
              .AddTraceSource("Repair",
                              "A peer's digest was answered: (peer, packets queued for it)",
                              MakeTraceSourceAccessor(&AntiEntropyApplication::m_repairTrace),
                              "ns3::AntiEntropyApplication::RepairTracedCallback")
              .AddTraceSource("Digest", "This node sent its digest to a peer: (peer)",
                              MakeTraceSourceAccessor(&AntiEntropyApplication::m_digestTrace),
                              "ns3::AntiEntropyApplication::DigestTracedCallback");
    return tid;
}

AntiEntropyApplication::AntiEntropyApplication()
    : m_rng(CreateObject<UniformRandomVariable>())
{
}

int64_t
AntiEntropyApplication::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

const WorkingSet&
AntiEntropyApplication::GetWorkingSet() const
{
    return *m_ws;
}

uint64_t
AntiEntropyApplication::GetRepairsSent() const
{
    return m_repairsSent;
}

uint64_t
AntiEntropyApplication::GetRejectedDigests() const
{
    return m_rejected;
}

void
AntiEntropyApplication::DoDispose()
{
    m_epochTimer.Cancel();
    m_rng = nullptr;
    m_ws.reset();
    m_backlog.clear();
    DisseminationApplication::DoDispose();
}

void
AntiEntropyApplication::DoStart()
{
    m_window
        = std::max<uint32_t>(64, std::ceil(m_recoveryWindow.GetSeconds() * GetRate().GetBitRate()
                                           / (8.0 * GetPacketSize())));
    m_ws = std::make_unique<WorkingSet>(m_window, m_falsePositive);
    m_created.assign(m_window, Time());
    const Ipv4Address self = GetLocalAddress();
    m_view.clear();
    for (const auto& m : GetMembership())
    {
        if (m != self)
        {
            m_view.push_back(m);
        }
    }
    GetControlChannel()->Register(kDigest,
                                  MakeCallback(&AntiEntropyApplication::HandleDigest, this));
    GetTransport()->SetSendReadyCallback(MakeCallback(&AntiEntropyApplication::OnSendReady, this));
    // A random phase per node: reconciliations in lockstep would send every repair at once.
    m_epochTimer = Simulator::Schedule(m_epoch * m_rng->GetValue(0.5, 1.5),
                                       &AntiEntropyApplication::EpochTick, this);
}

void
AntiEntropyApplication::DoStop()
{
    m_epochTimer.Cancel();
    m_backlog.clear();
}

Ptr<Packet>
AntiEntropyApplication::MakePacket(uint32_t seq) const
{
    StreamHeader h;
    h.seq = seq;
    h.created = m_created[seq % m_window];
    Ptr<Packet> p = Create<Packet>(GetPacketSize() - h.GetSerializedSize());
    p->AddHeader(h);
    return p;
}

void
AntiEntropyApplication::Disseminate(const StreamHeader& header, Ptr<const Packet> packet,
                                    Ipv4Address from)
{
    m_ws->Insert(header.seq);
    m_created[header.seq % m_window] = header.created;
    // The stream itself flows down the tree, as in tree streaming.
    for (const auto& child : GetTree()->GetChildren())
    {
        SendData(child, packet, header.seq);
    }
}

void
AntiEntropyApplication::EpochTick()
{
    m_epochTimer = Simulator::Schedule(m_epoch, &AntiEntropyApplication::EpochTick, this);
    if (IsSource() || m_ws->IsEmpty() || m_view.empty())
    {
        return; // the source lacks nothing; a node that has nothing yet has no range to ask
    }
    AntiEntropyDigestHeader h;
    h.filter = m_ws->GetBloomFilter();
    SequenceRange range = m_ws->GetRequestRange();
    h.low = range.low;
    h.high = range.high;
    // Peers members at random, without replacement.
    std::vector<Ipv4Address> pool = m_view;
    uint32_t n = std::min<uint32_t>(m_peers, pool.size());
    for (uint32_t i = 0; i < n; ++i)
    {
        uint32_t k = m_rng->GetInteger(i, pool.size() - 1);
        std::swap(pool[i], pool[k]);
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(h);
        GetControlChannel()->Send(pool[i], kDigest, p);
        m_digestTrace(pool[i]);
    }
    NS_LOG_INFO(GetLocalAddress() << ": digest [" << h.low << "," << h.high << "] of "
                                  << m_ws->GetSize() << " packets to " << n << " peers");
}

void
AntiEntropyApplication::HandleDigest(Ipv4Address from, Ptr<Packet> p)
{
    AntiEntropyDigestHeader h;
    p->RemoveHeader(h);
    if (!h.IsValid())
    {
        ++m_rejected;
        NS_LOG_WARN(GetLocalAddress()
                    << ": malformed digest from " << from << ": " << h.GetError());
        return;
    }
    // What we hold in the peer's range and its filter lacks; a newer digest replaces what
    // an older one asked for.
    std::deque<uint32_t>& backlog = m_backlog[from];
    backlog.clear();
    for (uint32_t seq : m_ws->GetSequences())
    {
        if (seq >= h.low && seq <= h.high && !h.filter.Contains(seq))
        {
            backlog.push_back(seq);
        }
    }
    NS_LOG_INFO(GetLocalAddress() << ": " << backlog.size() << " packets for " << from);
    m_repairTrace(from, backlog.size());
    Pump(from);
}

void
AntiEntropyApplication::Pump(Ipv4Address peer)
{
    auto it = m_backlog.find(peer);
    if (it == m_backlog.end())
    {
        return;
    }
    std::deque<uint32_t>& backlog = it->second;
    while (!backlog.empty())
    {
        uint32_t seq = backlog.front();
        if (!m_ws->Contains(seq))
        {
            backlog.pop_front(); // slid out of the window
            continue;
        }
        if (!SendData(peer, MakePacket(seq), seq))
        {
            return; // the flow is at its TCP-friendly rate: resume when it has room
        }
        ++m_repairsSent;
        backlog.pop_front();
    }
    m_backlog.erase(it);
}

void
AntiEntropyApplication::OnSendReady(Ipv4Address peer)
{
    Pump(peer);
}

} // namespace ns3
