/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "bullet-application.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/simulator.h"
#include "ns3/stream-header.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("BulletApplication");

NS_OBJECT_ENSURE_REGISTERED(BulletApplication);

TypeId
BulletApplication::GetTypeId()
{
    static TypeId tid = BulletAttributes::AddTo(
        TypeId("ns3::BulletApplication")
            .SetParent<StreamingApplication>()
            .SetGroupName("Bullet")
            .AddConstructor<BulletApplication>()
            .AddAttribute("RecoveryWindow",
                          "How much of the recent stream a node keeps and tries to recover "
                          "(its working set spans this much time at the stream rate)",
                          TimeValue(Seconds(20)),
                          MakeTimeAccessor(&BulletApplication::m_recoveryWindow),
                          MakeTimeChecker(MilliSeconds(100)))
            .AddAttribute("ShuffleMissing",
                          "Whether a sender sends a receiver's missing packets in random order "
                          "(the 2008 paper's Bullet, Section 4.3.2.1) instead of oldest first",
                          BooleanValue(false),
                          MakeBooleanAccessor(&BulletApplication::m_shuffleMissing),
                          MakeBooleanChecker()));
    return tid;
}

BulletApplication::BulletApplication() = default;

Ptr<RanSub>
BulletApplication::GetRanSub() const
{
    return m_protocol ? m_protocol->GetRanSub() : nullptr;
}

std::vector<Ipv4Address>
BulletApplication::GetSenders() const
{
    return m_protocol ? m_protocol->GetSenders() : std::vector<Ipv4Address>();
}

std::vector<Ipv4Address>
BulletApplication::GetReceivers() const
{
    return m_protocol ? m_protocol->GetReceivers() : std::vector<Ipv4Address>();
}

const std::vector<ChildSendPolicy::Child>&
BulletApplication::GetChildState() const
{
    static const std::vector<ChildSendPolicy::Child> none;
    return m_protocol ? m_protocol->GetChildState() : none;
}

const WorkingSet&
BulletApplication::GetWorkingSet() const
{
    return m_protocol->GetWorkingSet();
}

StreamRecovery::SendTimes
BulletApplication::GetMeshSendTimes() const
{
    return m_protocol ? m_protocol->GetMeshSendTimes() : StreamRecovery::SendTimes{};
}

uint64_t
BulletApplication::GetMalformedPeerMessages() const
{
    return m_protocol ? m_protocol->GetMalformedPeerMessages() : 0;
}

std::vector<BulletMeshReceiver::Candidate>
BulletApplication::RankByResemblance(const SummaryTicket& mine,
                                     const std::vector<RanSubMember>& members,
                                     const std::function<bool(Ipv4Address)>& eligible)
{
    return BulletMeshReceiver::RankByResemblance(mine, members, eligible);
}

void
BulletApplication::DoDispose()
{
    m_protocol.reset();
    StreamingApplication::DoDispose();
}

void
BulletApplication::DoStart()
{
    BulletProtocol::Host host;
    host.local = GetLocalAddress();
    host.isSource = IsSource();
    host.tree = GetTree();
    host.channel = GetControlChannel();
    host.transport = GetTransport();
    host.stream = GetStream(kProtocolStream);
    host.startRanSub = [this](RanSub::Mode mode, RanSub::PayloadCallback payload,
                              RanSub::DeliverCallback deliver) {
        return StartRanSub(mode, payload, deliver);
    };
    host.sendData = [this](Ipv4Address to, Ptr<const Packet> packet, uint32_t seq) {
        return SendData(to, packet, seq);
    };
    host.window = StreamRecovery::WindowPackets(m_recoveryWindow, GetRate(), GetPacketSize());
    host.packetSize = GetPacketSize();
    host.shuffleMissing = m_shuffleMissing;
    m_protocol = std::make_unique<BulletProtocol>(*this, host);
    GetTransport()->SetSendReadyCallback(MakeCallback(&BulletApplication::OnSendReady, this));
}

void
BulletApplication::DoStop()
{
    if (m_protocol)
    {
        m_protocol->Stop();
    }
}

void
BulletApplication::Disseminate(const StreamHeader& header, Ptr<const Packet> packet,
                               Ipv4Address from)
{
    m_protocol->Disseminate(header, packet, from);
}

void
BulletApplication::Received(Ipv4Address from, uint32_t seq, bool duplicate)
{
    m_protocol->Received(from, duplicate);
}

void
BulletApplication::OnSendReady(Ipv4Address peer)
{
    m_protocol->OnSendReady(peer);
}

} // namespace ns3
