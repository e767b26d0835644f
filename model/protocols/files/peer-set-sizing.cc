/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "peer-set-sizing.h"

#include "ns3/double.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(PeerSetSizing);
NS_OBJECT_ENSURE_REGISTERED(DynamicPeerSetSizing);
NS_OBJECT_ENSURE_REGISTERED(StaticPeerSetSizing);

TypeId
PeerSetSizing::GetTypeId()
{
    static TypeId tid = TypeId("ns3::PeerSetSizing").SetParent<Object>().SetGroupName("Bullet");
    return tid;
}

TypeId
DynamicPeerSetSizing::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::DynamicPeerSetSizing")
              .SetParent<PeerSetSizing>()
              .SetGroupName("Bullet")
              .AddConstructor<DynamicPeerSetSizing>()
              .AddAttribute("Initial",
                            "MAX_SENDERS/MAX_RECEIVERS before the first change (kept within "
                            "[Min, Max])",
                            UintegerValue(10),
                            MakeUintegerAccessor(&DynamicPeerSetSizing::m_initial),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("Min",
                            "Hard lower limit of the maximum, and the fewest peers pruning leaves",
                            UintegerValue(6), MakeUintegerAccessor(&DynamicPeerSetSizing::m_min),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("Max", "Hard upper limit of the maximum", UintegerValue(25),
                            MakeUintegerAccessor(&DynamicPeerSetSizing::m_maxLimit),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("Deviations",
                            "Pruning disconnects peers more than this many standard deviations "
                            "below the mean",
                            DoubleValue(1.5),
                            MakeDoubleAccessor(&DynamicPeerSetSizing::m_deviations),
                            MakeDoubleChecker<double>(0));
    return tid;
}

uint32_t
DynamicPeerSetSizing::Clamp(uint32_t n) const
{
    return std::min(std::max(n, m_min), m_maxLimit);
}

uint32_t
DynamicPeerSetSizing::GetMax() const
{
    return Clamp(m_started ? m_current : m_initial);
}

void
DynamicPeerSetSizing::Manage(uint32_t peers, double bandwidthBps)
{
    if (!m_started)
    {
        m_current = Clamp(m_initial);
        m_started = true;
    }
    const uint32_t max = GetMax();
    uint32_t next = max;
    if (peers == max)
    {
        if (m_prevPeers == 0)
        {
            next = max + 1; // try to add a new peer by default
        }
        else if (peers > m_prevPeers)
        {
            // Bandwidth went up: try adding a sender; else adding one was bad.
            next = bandwidthBps > m_prevBps ? max + 1 : max - 1;
        }
        else if (peers < m_prevPeers)
        {
            // Losing a sender made us faster: try losing another; else losing it was bad.
            next = bandwidthBps > m_prevBps ? max - 1 : max + 1;
        }
    }
    m_current = Clamp(next);
    m_prevPeers = peers;
    m_prevBps = bandwidthBps;
}

std::vector<Ipv4Address>
DynamicPeerSetSizing::Prune(const std::vector<std::pair<Ipv4Address, double>>& peers)
{
    std::vector<Ipv4Address> out;
    if (peers.size() <= m_min)
    {
        return out;
    }
    auto [lo, hi]
        = std::minmax_element(peers.begin(), peers.end(), [](const auto& a, const auto& b) {
              return a.second < b.second;
          });
    if (lo->second == hi->second)
    {
        return out; // all equal: nobody is slower than the rest
    }
    const double n = peers.size();
    double sum = 0;
    for (const auto& p : peers)
    {
        sum += p.second;
    }
    const double mean = sum / n;
    double squares = 0;
    for (const auto& p : peers)
    {
        squares += (p.second - mean) * (p.second - mean);
    }
    const double threshold = mean - m_deviations * std::sqrt(squares / n);

    auto sorted = peers;
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        return a.second < b.second;
    });
    size_t remaining = sorted.size();
    for (const auto& p : sorted)
    {
        if (p.second >= threshold || remaining <= m_min)
        {
            break;
        }
        out.push_back(p.first);
        --remaining;
    }
    return out;
}

TypeId
StaticPeerSetSizing::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::StaticPeerSetSizing")
              .SetParent<PeerSetSizing>()
              .SetGroupName("Bullet")
              .AddConstructor<StaticPeerSetSizing>()
              .AddAttribute("Peers", "The fixed number of senders (receivers)", UintegerValue(10),
                            MakeUintegerAccessor(&StaticPeerSetSizing::m_peers),
                            MakeUintegerChecker<uint32_t>(1));
    return tid;
}

uint32_t
StaticPeerSetSizing::GetMax() const
{
    return m_peers;
}

void
StaticPeerSetSizing::Manage(uint32_t peers, double bandwidthBps)
{
}

std::vector<Ipv4Address>
StaticPeerSetSizing::Prune(const std::vector<std::pair<Ipv4Address, double>>& peers)
{
    return {};
}

} // namespace ns3
