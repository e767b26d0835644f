/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "anti-entropy-application.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AntiEntropyApplication");

NS_OBJECT_ENSURE_REGISTERED(AntiEntropyApplication);

TypeId
AntiEntropyApplication::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::AntiEntropyApplication")
              .SetParent<StreamingApplication>()
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

void
AntiEntropyApplication::DoAssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
}

const WorkingSet&
AntiEntropyApplication::GetWorkingSet() const
{
    return m_recovery->GetWorkingSet();
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
    m_recovery.reset();
    StreamingApplication::DoDispose();
}

void
AntiEntropyApplication::DoStart()
{
    m_recovery = std::make_unique<StreamRecovery>(
        StreamRecovery::WindowPackets(m_recoveryWindow, GetRate(), GetPacketSize()),
        m_falsePositive, GetPacketSize());
    m_recovery->SetSendCallback([this](Ipv4Address peer, Ptr<Packet> p, uint32_t seq) {
        if (!SendData(peer, p, seq))
        {
            return false;
        }
        ++m_repairsSent;
        return true;
    });
    m_view = GetOtherMembers();
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
    if (m_recovery)
    {
        m_recovery->ForgetAll();
    }
}

void
AntiEntropyApplication::Disseminate(const StreamHeader& header, Ptr<const Packet> packet,
                                    Ipv4Address from)
{
    m_recovery->Hold(header);
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
    if (IsSource() || m_recovery->GetWorkingSet().IsEmpty() || m_view.empty())
    {
        return; // the source lacks nothing; a node that has nothing yet has no range to ask
    }
    StreamDigestHeader h;
    m_recovery->FillDigest(h);
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
                                  << m_recovery->GetWorkingSet().GetSize() << " packets to " << n
                                  << " peers");
}

void
AntiEntropyApplication::HandleDigest(Ipv4Address from, Ptr<Packet> p)
{
    StreamDigestHeader h;
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
    std::deque<uint32_t> owed = m_recovery->Missing(h);
    const uint32_t queued = owed.size();
    m_recovery->Owe(from, std::move(owed));
    NS_LOG_INFO(GetLocalAddress() << ": " << queued << " packets for " << from);
    m_repairTrace(from, queued);
    m_recovery->Pump(from);
}

void
AntiEntropyApplication::OnSendReady(Ipv4Address peer)
{
    m_recovery->Pump(peer);
}

} // namespace ns3
