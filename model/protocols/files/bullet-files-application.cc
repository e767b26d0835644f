/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "bullet-files-application.h"

#include "ns3/data-transport.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/stream-header.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("BulletFilesApplication");

NS_OBJECT_ENSURE_REGISTERED(BulletFilesApplication);

namespace
{
/// How soon the source looks again when it has no tree child to give a block to.
const Time kRetry = MilliSeconds(100);
} // namespace

TypeId
BulletFilesApplication::GetTypeId()
{
    static TypeId tid = BulletAttributes::AddTo(
        TypeId("ns3::BulletFilesApplication")
            .SetParent<FileDistributionApplication>()
            .SetGroupName("Bullet")
            .AddConstructor<BulletFilesApplication>()
            .AddAttribute("WindowBlocks",
                          "Block numbers a node's working set spans: it keeps and tries to "
                          "recover the most recent ones only (2003 Section 3.1; about 20 s of a "
                          "6 Mbit/s download in 16 kB blocks, as a stream's RecoveryWindow)",
                          UintegerValue(1000),
                          MakeUintegerAccessor(&BulletFilesApplication::m_windowBlocks),
                          MakeUintegerChecker<uint32_t>(64, 65536))
            .AddTraceSource("BlockMade",
                            "The source made a block number and handed it to Bullet: (block)",
                            MakeTraceSourceAccessor(&BulletFilesApplication::m_madeTrace),
                            "ns3::BulletFilesApplication::BlockMadeTracedCallback"));
    return tid;
}

BulletFilesApplication::BulletFilesApplication() = default;

Ptr<RanSub>
BulletFilesApplication::GetRanSub() const
{
    return m_protocol ? m_protocol->GetRanSub() : nullptr;
}

std::vector<Ipv4Address>
BulletFilesApplication::GetSenders() const
{
    return m_protocol ? m_protocol->GetSenders() : std::vector<Ipv4Address>();
}

std::vector<Ipv4Address>
BulletFilesApplication::GetReceivers() const
{
    return m_protocol ? m_protocol->GetReceivers() : std::vector<Ipv4Address>();
}

uint32_t
BulletFilesApplication::GetBlocksMade() const
{
    return m_next;
}

uint64_t
BulletFilesApplication::GetMalformedPeerMessages() const
{
    return m_protocol ? m_protocol->GetMalformedPeerMessages() : 0;
}

void
BulletFilesApplication::DoDispose()
{
    m_retry.Cancel();
    m_protocol.reset();
    m_blocks = nullptr;
    FileDistributionApplication::DoDispose();
}

void
BulletFilesApplication::DoStart()
{
    m_blocks = DynamicCast<TcpDataTransport>(GetTransport());
    NS_ABORT_MSG_UNLESS(m_blocks, "Bullet for files moves blocks over TCP: its Transport must be "
                                  "ns3::TcpDataTransport (OverlayHelper::SetTransport)");
    UintegerValue limit;
    m_blocks->GetAttribute("QueueLimit", limit);
    m_queueLimit = limit.Get();

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
    host.sendData = [this](Ipv4Address to, Ptr<const Packet> packet, uint32_t block) {
        return SendBlock(to, packet->Copy(), block);
    };
    host.window = m_windowBlocks;
    host.packetSize = StreamHeader().GetSerializedSize() + GetBlockSize();
    host.payload = [this](uint32_t block) {
        return MakeBlockPayload(block);
    };
    host.shuffleMissing = true; // 2008 Section 4.3.2.1: senders randomise the missing list
    m_protocol = std::make_unique<BulletProtocol>(*this, host);
    GetTransport()->SetSendReadyCallback(MakeCallback(&BulletFilesApplication::OnSendReady, this));

    m_next = 0;
    if (IsSource())
    {
        m_retry = Simulator::ScheduleNow(&BulletFilesApplication::MakeBlocks, this);
    }
}

void
BulletFilesApplication::DoStop()
{
    m_retry.Cancel();
    if (m_protocol)
    {
        m_protocol->Stop();
    }
}

// ---------------------------------------------------------------- the source

void
BulletFilesApplication::MakeBlocks()
{
    auto room = [this]() {
        const auto& children = GetTree()->GetChildren();
        return std::any_of(children.begin(), children.end(), [this](Ipv4Address child) {
            return m_blocks->GetQueued(child) < m_queueLimit;
        });
    };
    bool lookAgain = false;
    while (m_next < GetBlockSpace())
    {
        if (!room())
        {
            // Every child's pipe is full (OnSendReady resumes), or there is no child yet.
            lookAgain = GetTree()->GetChildren().empty();
            break;
        }
        StreamHeader h;
        h.seq = m_next++;
        h.created = Simulator::Now();
        if (m_next == GetBlockSpace())
        {
            NS_LOG_INFO("source: the last of the block space's " << GetBlockSpace() << " numbers");
        }
        Ptr<Packet> p = MakeBlockPayload(h.seq);
        p->AddHeader(h);
        m_madeTrace(h.seq);
        if (!m_protocol->Disseminate(h, p, GetLocalAddress()))
        {
            lookAgain = true; // a child seemed to have room but took nothing
            break;
        }
    }
    if (lookAgain && m_next < GetBlockSpace() && !m_retry.IsRunning())
    {
        m_retry = Simulator::Schedule(kRetry, &BulletFilesApplication::MakeBlocks, this);
    }
}

void
BulletFilesApplication::OnSendReady(Ipv4Address peer)
{
    m_protocol->OnSendReady(peer);
    if (IsSource() && GetTree()->IsChild(peer))
    {
        MakeBlocks();
    }
}

// ---------------------------------------------------------------- everyone

void
BulletFilesApplication::ReceiveData(Ipv4Address from, Ptr<Packet> packet)
{
    if (!m_protocol)
    {
        return;
    }
    StreamHeader h;
    const StreamBlock got = AcceptStreamBlock(from, packet, h);
    if (got == StreamBlock::Bad)
    {
        return;
    }
    m_protocol->Received(from, got == StreamBlock::Duplicate);
    if (got == StreamBlock::Fresh)
    {
        m_protocol->Disseminate(h, packet, from);
    }
}

} // namespace ns3
