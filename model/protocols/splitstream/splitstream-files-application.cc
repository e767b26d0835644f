/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "splitstream-files-application.h"

#include "ns3/data-transport.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/stream-header.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SplitStreamFilesApplication");

NS_OBJECT_ENSURE_REGISTERED(SplitStreamFilesApplication);

namespace
{
/// How soon the source looks again when a stripe's root is not known yet.
const Time kRetry = MilliSeconds(100);
} // namespace

TypeId
SplitStreamFilesApplication::GetTypeId()
{
    static TypeId tid = TypeId("ns3::SplitStreamFilesApplication")
                            .SetParent<FileDistributionApplication>()
                            .SetGroupName("Bullet")
                            .AddConstructor<SplitStreamFilesApplication>();
    return tid;
}

SplitStreamFilesApplication::SplitStreamFilesApplication() = default;

Ptr<SplitStreamForest>
SplitStreamFilesApplication::GetForest() const
{
    return m_forest;
}

uint32_t
SplitStreamFilesApplication::GetBlocksMade() const
{
    return m_next;
}

uint64_t
SplitStreamFilesApplication::GetRefusedSends() const
{
    return m_refused;
}

void
SplitStreamFilesApplication::DoAssignStreams(int64_t stream)
{
    m_stream = stream;
}

void
SplitStreamFilesApplication::DoDispose()
{
    m_retry.Cancel();
    if (m_forest)
    {
        m_forest->Dispose();
    }
    m_forest = nullptr;
    m_blocks = nullptr;
    FileDistributionApplication::DoDispose();
}

void
SplitStreamFilesApplication::DoStart()
{
    m_blocks = DynamicCast<TcpDataTransport>(GetTransport());
    NS_ABORT_MSG_UNLESS(m_blocks, "SplitStream for files moves blocks over TCP: its Transport "
                                  "must be ns3::TcpDataTransport (OverlayHelper::SetTransport)");
    UintegerValue limit;
    m_blocks->GetAttribute("QueueLimit", limit);
    m_queueLimit = std::max<uint32_t>(1, limit.Get());
    GetTransport()->SetSendReadyCallback(
        MakeCallback(&SplitStreamFilesApplication::OnSendReady, this));
    m_forest = CreateObject<SplitStreamForest>();
    m_forest->Start(GetControlChannel(), GetSourceAddress(), IsSource(), m_stream);
    m_next = 0;
    if (IsSource())
    {
        m_retry = Simulator::Schedule(kRetry, &SplitStreamFilesApplication::MakeBlocks, this);
    }
}

void
SplitStreamFilesApplication::DoStop()
{
    m_retry.Cancel();
    if (m_forest)
    {
        m_forest->Stop();
    }
}

uint32_t
SplitStreamFilesApplication::Push(uint32_t block, Ptr<Packet> packet, Ipv4Address from)
{
    uint32_t taken = 0;
    for (const auto& to : m_forest->GetTargets(m_forest->StripeOf(block)))
    {
        if (to == from)
        {
            continue;
        }
        if (SendBlock(to, packet, block))
        {
            ++taken;
        }
        else
        {
            ++m_refused;
        }
    }
    return taken;
}

void
SplitStreamFilesApplication::MakeBlocks()
{
    while (m_next < GetBlockSpace())
    {
        const auto targets = m_forest->GetTargets(m_forest->StripeOf(m_next));
        if (targets.empty())
        {
            // The stripe's root is not known yet (or, the source being its root, nobody
            // subscribed yet): look again soon.
            if (!m_retry.IsRunning())
            {
                m_retry
                    = Simulator::Schedule(kRetry, &SplitStreamFilesApplication::MakeBlocks, this);
            }
            return;
        }
        for (const auto& to : targets)
        {
            if (m_blocks->GetQueued(to) >= m_queueLimit)
            {
                return; // OnSendReady resumes
            }
        }
        StreamHeader h;
        h.seq = m_next++;
        h.created = Simulator::Now();
        Ptr<Packet> p = MakeBlockPayload(h.seq);
        p->AddHeader(h);
        Push(h.seq, p, GetLocalAddress());
    }
}

void
SplitStreamFilesApplication::OnSendReady(Ipv4Address peer)
{
    if (IsSource() && m_forest && !m_retry.IsRunning())
    {
        MakeBlocks();
    }
}

void
SplitStreamFilesApplication::ReceiveData(Ipv4Address from, Ptr<Packet> packet)
{
    if (!m_forest)
    {
        return;
    }
    StreamHeader h;
    const StreamBlock got = AcceptStreamBlock(from, packet, h);
    if (got != StreamBlock::Bad)
    {
        m_forest->NoteStripeData(m_forest->StripeOf(h.seq), from);
    }
    if (got == StreamBlock::Fresh)
    {
        Push(h.seq, packet, from);
    }
}

} // namespace ns3
