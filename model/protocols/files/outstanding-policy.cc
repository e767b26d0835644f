/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "outstanding-policy.h"

#include "ns3/double.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(OutstandingPolicy);
NS_OBJECT_ENSURE_REGISTERED(XcpOutstanding);
NS_OBJECT_ENSURE_REGISTERED(StaticOutstanding);

TypeId
OutstandingPolicy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::OutstandingPolicy").SetParent<Object>().SetGroupName("Bullet");
    return tid;
}

void
OutstandingPolicy::MarkLost()
{
}

TypeId
XcpOutstanding::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::XcpOutstanding")
              .SetParent<OutstandingPolicy>()
              .SetGroupName("Bullet")
              .AddConstructor<XcpOutstanding>()
              .AddAttribute("Initial", "Blocks outstanding from a new sender (the paper: 3)",
                            UintegerValue(3), MakeUintegerAccessor(&XcpOutstanding::m_initial),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("Alpha", "Gain of the spare (idle pipe) term, as XCP's alpha",
                            DoubleValue(0.4), MakeDoubleAccessor(&XcpOutstanding::m_alpha),
                            MakeDoubleChecker<double>(0))
              .AddAttribute("Beta", "Gain of the queue term, as XCP's beta", DoubleValue(0.226),
                            MakeDoubleAccessor(&XcpOutstanding::m_beta),
                            MakeDoubleChecker<double>(0))
              .AddAttribute("MaxLimit",
                            "Most blocks ever kept outstanding from one sender (a guard against "
                            "absurd feedback; the paper names no such bound)",
                            UintegerValue(1000), MakeUintegerAccessor(&XcpOutstanding::m_maxLimit),
                            MakeUintegerChecker<uint32_t>(1));
    return tid;
}

uint32_t
XcpOutstanding::GetLimit() const
{
    return m_started ? m_limit : std::min(std::max(m_initial, 1u), m_maxLimit);
}

bool
XcpOutstanding::TakeMark()
{
    bool mark = m_markPending;
    m_markPending = false;
    return mark;
}

bool
XcpOutstanding::IsWaiting() const
{
    return m_waiting;
}

void
XcpOutstanding::MarkLost()
{
    m_markPending = false;
    m_waiting = false;
}

double
XcpOutstanding::Delta(uint32_t inFront, Time wasted, double bandwidthBps, uint32_t blockBytes) const
{
    // Spare: the time the sender's pipe stood idle before this request, in the blocks it could
    // have carried at the bandwidth measured here. A positive (service) time is the time the
    // inFront blocks took to drain, which the queue term counts already: not counted twice.
    double spare = 0;
    if (wasted.IsStrictlyNegative() && blockBytes > 0 && bandwidthBps > 0
        && std::isfinite(bandwidthBps))
    {
        spare = -wasted.GetSeconds() * bandwidthBps / (8.0 * blockBytes);
    }
    // Queue: blocks in front of the socket buffer above the target of exactly one (-1 when
    // nothing waited in front: the pipe may run dry before the next request comes).
    const double queue = double(inFront) - 1.0;
    return m_alpha * spare - m_beta * queue;
}

void
XcpOutstanding::BlockArrived(uint32_t inFront, Time wasted, double bandwidthBps,
                             uint32_t blockBytes, bool marked)
{
    if (!m_started)
    {
        m_limit = GetLimit();
        m_started = true;
    }
    if (m_waiting)
    {
        if (!marked || m_markPending)
        {
            return; // the last adjustment's effect is not visible yet
        }
        m_waiting = false; // the marked block: its feedback is the first after the change
    }
    const double delta = Delta(inFront, wasted, bandwidthBps, blockBytes);
    const double desired = m_limit + delta;
    uint32_t next = m_limit;
    if (delta > 0)
    {
        next = uint32_t(std::min<double>(std::ceil(desired), m_maxLimit));
    }
    else if (delta < 0)
    {
        next = uint32_t(std::max<double>(std::floor(desired), 1.0));
    }
    next = std::min(std::max(next, 1u), std::max(m_maxLimit, 1u));
    if (next != m_limit)
    {
        m_limit = next;
        m_markPending = true;
        m_waiting = true;
    }
}

TypeId
StaticOutstanding::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::StaticOutstanding")
              .SetParent<OutstandingPolicy>()
              .SetGroupName("Bullet")
              .AddConstructor<StaticOutstanding>()
              .AddAttribute("Limit",
                            "Blocks kept outstanding from each sender (the paper "
                            "compares 3, 6, 9, 15 and 50)",
                            UintegerValue(3), MakeUintegerAccessor(&StaticOutstanding::m_limit),
                            MakeUintegerChecker<uint32_t>(1));
    return tid;
}

uint32_t
StaticOutstanding::GetLimit() const
{
    return m_limit;
}

bool
StaticOutstanding::TakeMark()
{
    return false;
}

void
StaticOutstanding::BlockArrived(uint32_t inFront, Time wasted, double bandwidthBps,
                                uint32_t blockBytes, bool marked)
{
}

} // namespace ns3
