/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gossip-application.h"

#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PushGossipApplication");

NS_OBJECT_ENSURE_REGISTERED(PushGossipApplication);

TypeId
PushGossipApplication::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::PushGossipApplication")
              .SetParent<StreamingApplication>()
              .SetGroupName("Bullet")
              .AddConstructor<PushGossipApplication>()
              .AddAttribute("FanOut",
                            "Random members each new packet is forwarded to (the papers: 5, "
                            "fewer than Bullet's 10 peers to limit duplicates)",
                            UintegerValue(5),
                            MakeUintegerAccessor(&PushGossipApplication::m_fanOut),
                            MakeUintegerChecker<uint32_t>(1, 1000))
              .AddAttribute("MaxAttempts",
                            "Sends tried per packet, refused ones included, before the node "
                            "gives up on the rest of its fan-out (>= FanOut)",
                            UintegerValue(10),
                            MakeUintegerAccessor(&PushGossipApplication::m_maxAttempts),
                            MakeUintegerChecker<uint32_t>(1, 10000))
              .AddTraceSource("Forward",
                              "A new packet was forwarded: (seq, copies taken, sends refused)",
                              MakeTraceSourceAccessor(&PushGossipApplication::m_forwardTrace),
                              "ns3::PushGossipApplication::ForwardTracedCallback");
    return tid;
}

PushGossipApplication::PushGossipApplication()
    : m_rng(CreateObject<UniformRandomVariable>())
{
}

void
PushGossipApplication::DoAssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
}

uint64_t
PushGossipApplication::GetForwardedPackets() const
{
    return m_forwarded;
}

uint64_t
PushGossipApplication::GetForwardedCopies() const
{
    return m_copies;
}

void
PushGossipApplication::DoDispose()
{
    m_rng = nullptr;
    StreamingApplication::DoDispose();
}

void
PushGossipApplication::DoStart()
{
    m_view = GetOtherMembers();
    NS_LOG_INFO(GetLocalAddress() << ": gossip view of " << m_view.size() << " members");
}

void
PushGossipApplication::Disseminate(const StreamHeader& header, Ptr<const Packet> packet,
                                   Ipv4Address from)
{
    // Only called for a packet's first copy (the base class drops duplicates), so a node
    // forwards each packet once, at once: "we forward them as soon as they arrive".
    // Candidates: the view without the packet's sender, drawn without replacement by a
    // partial Fisher-Yates shuffle of the tail of a scratch copy.
    std::vector<Ipv4Address> candidates;
    candidates.reserve(m_view.size());
    for (const auto& m : m_view)
    {
        if (m != from)
        {
            candidates.push_back(m);
        }
    }
    const uint32_t limit = std::max(m_maxAttempts, m_fanOut);
    uint32_t copies = 0;
    uint32_t refused = 0;
    uint32_t left = candidates.size();
    while (copies < m_fanOut && left > 0 && copies + refused < limit)
    {
        uint32_t k = m_rng->GetInteger(0, left - 1);
        std::swap(candidates[k], candidates[left - 1]);
        Ipv4Address to = candidates[--left];
        if (SendData(to, packet, header.seq))
        {
            ++copies;
        }
        else
        {
            ++refused; // that flow is at its TCP-friendly rate: try another member
        }
    }
    ++m_forwarded;
    m_copies += copies;
    NS_LOG_LOGIC(GetLocalAddress() << ": packet " << header.seq << " to " << copies << " members, "
                                   << refused << " refused");
    m_forwardTrace(header.seq, copies, refused);
}

} // namespace ns3
