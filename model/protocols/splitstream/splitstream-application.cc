/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "splitstream-application.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SplitStreamApplication");

NS_OBJECT_ENSURE_REGISTERED(SplitStreamApplication);

TypeId
SplitStreamApplication::GetTypeId()
{
    static TypeId tid = TypeId("ns3::SplitStreamApplication")
                            .SetParent<StreamingApplication>()
                            .SetGroupName("Bullet")
                            .AddConstructor<SplitStreamApplication>();
    return tid;
}

SplitStreamApplication::SplitStreamApplication() = default;

Ptr<SplitStreamForest>
SplitStreamApplication::GetForest() const
{
    return m_forest;
}

uint64_t
SplitStreamApplication::GetRefusedSends() const
{
    return m_refused;
}

void
SplitStreamApplication::SetPastryId(const PastryId& id)
{
    m_id = id;
}

void
SplitStreamApplication::DoAssignStreams(int64_t stream)
{
    m_stream = stream;
}

void
SplitStreamApplication::DoDispose()
{
    if (m_forest)
    {
        m_forest->Dispose();
    }
    m_forest = nullptr;
    StreamingApplication::DoDispose();
}

void
SplitStreamApplication::DoStart()
{
    m_forest = CreateObject<SplitStreamForest>();
    if (m_id)
    {
        m_forest->SetPastryId(*m_id);
    }
    m_forest->Start(GetControlChannel(), GetSourceAddress(), IsSource(), m_stream);
}

void
SplitStreamApplication::DoStop()
{
    if (m_forest)
    {
        m_forest->Stop();
    }
}

bool
SplitStreamApplication::IsParent(Ipv4Address from) const
{
    // The source sends each stripe to its root, which has no parent in the stripe's tree:
    // for the root the source is that stripe's parent.
    return m_forest && (from == GetSourceAddress() || m_forest->IsParent(from));
}

void
SplitStreamApplication::Disseminate(const StreamHeader& header, Ptr<const Packet> packet,
                                    Ipv4Address from)
{
    if (!m_forest)
    {
        return;
    }
    const uint32_t stripe = m_forest->StripeOf(header.seq);
    m_forest->NoteStripeData(stripe, from);
    for (const auto& to : m_forest->GetTargets(stripe))
    {
        if (to != from && !SendData(to, packet, header.seq))
        {
            ++m_refused;
        }
    }
}

} // namespace ns3
