/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tfrc-loss-history.h"

#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TfrcLossHistory");

namespace
{
/// Gaps wider than this are clipped: a peer that jumps ahead by millions must not make us
/// allocate millions of holes (only the newest ones can still matter).
const uint64_t kMaxHoles = 4096;
} // namespace

TfrcLossHistory::TfrcLossHistory(uint32_t nIntervals, uint32_t ndupack)
    : m_n(std::max<uint32_t>(nIntervals, 1))
    , m_ndupack(std::max<uint32_t>(ndupack, 1))
    , m_weights(Weights(m_n))
{
}

std::vector<double>
TfrcLossHistory::Weights(uint32_t n)
{
    std::vector<double> w(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        if (2 * i < n)
        {
            w[i] = 1.0;
        }
        else
        {
            w[i] = 2.0 * (n - i) / (n + 2.0);
        }
    }
    return w;
}

namespace
{

/**
 * RFC 5348 section 5.4's I_mean over \p size intervals, interval i being \p at(i) (I_0 the
 * open one), with weights \p w: the one computation behind MeanInterval and
 * GetLossEventRate, the latter reading the history in place, once per data packet.
 */
template<typename At>
double
WeightedMean(size_t size, At at, const std::vector<double>& w)
{
    if (size < 2 || w.empty())
    {
        return 0;
    }
    const size_t k = std::min<size_t>(size - 1, w.size());
    double iTot0 = 0;
    double iTot1 = 0;
    double wTot = 0;
    for (size_t i = 0; i < k; ++i)
    {
        iTot0 += at(i) * w[i];
        iTot1 += at(i + 1) * w[i];
        wTot += w[i];
    }
    return std::max(iTot0, iTot1) / wTot;
}

} // namespace

double
TfrcLossHistory::MeanInterval(const std::vector<double>& intervals, uint32_t n)
{
    return WeightedMean(
        intervals.size(),
        [&intervals](size_t i) {
            return intervals[i];
        },
        Weights(n));
}

void
TfrcLossHistory::SetFirstIntervalCallback(FirstIntervalCallback cb)
{
    m_firstInterval = cb;
}

bool
TfrcLossHistory::OnPacket(uint64_t seq, Time now, Time rtt)
{
    if (!m_started)
    {
        m_started = true;
        m_maxSeq = seq;
        m_maxArrival = now;
        return false;
    }
    if (seq == m_maxSeq)
    {
        return false; // duplicate
    }
    if (seq > m_maxSeq)
    {
        // Every packet in the gap becomes a hole, with its arrival time interpolated.
        uint64_t first = m_maxSeq + 1;
        if (seq - first > kMaxHoles)
        {
            first = seq - kMaxHoles;
        }
        double span = static_cast<double>(seq - m_maxSeq);
        for (uint64_t s = first; s < seq; ++s)
        {
            Hole h;
            h.lossTime = m_maxArrival + (now - m_maxArrival) * (double(s - m_maxSeq) / span);
            m_holes.emplace(s, h);
        }
        m_maxSeq = seq;
        m_maxArrival = now;
    }
    else
    {
        auto it = m_holes.find(seq);
        if (it == m_holes.end())
        {
            return false; // duplicate, or a packet already declared lost arriving late
        }
        m_holes.erase(it); // reordered, not lost
    }

    bool newEvent = false;
    // This arrival is a "later packet" for every hole below it.
    std::vector<std::pair<uint64_t, Time>> lost;
    for (auto it = m_holes.begin(); it != m_holes.end() && it->first < seq;)
    {
        if (++it->second.later >= m_ndupack)
        {
            lost.emplace_back(it->first, it->second.lossTime);
            it = m_holes.erase(it);
        }
        else
        {
            ++it;
        }
    }
    for (auto& l : lost)
    {
        DeclareLost(l.first, l.second, rtt, newEvent);
    }
    // Holes so old that they can no longer be resolved are dropped to bound memory.
    while (m_holes.size() > kMaxHoles)
    {
        m_holes.erase(m_holes.begin());
    }
    return newEvent;
}

void
TfrcLossHistory::DeclareLost(uint64_t seq, Time lossTime, Time rtt, bool& newEvent)
{
    ++m_lost;
    if (!m_haveEvent)
    {
        double first = m_firstInterval.IsNull() ? double(seq) : m_firstInterval(lossTime);
        first = std::max(first, 1.0);
        m_closed.push_front(first);
        m_haveEvent = true;
        m_eventStartSeq = seq;
        m_eventStartTime = lossTime;
        ++m_events;
        newEvent = true;
        NS_LOG_DEBUG("first loss event at seq " << seq << ", synthesised I_1=" << first);
        return;
    }
    if (seq <= m_eventStartSeq || lossTime - m_eventStartTime <= rtt)
    {
        NS_LOG_DEBUG("loss of " << seq << " merged into the event starting at " << m_eventStartSeq);
        return; // part of the current loss event
    }
    m_closed.push_front(double(seq - m_eventStartSeq));
    while (m_closed.size() > m_n)
    {
        m_closed.pop_back();
    }
    m_eventStartSeq = seq;
    m_eventStartTime = lossTime;
    ++m_events;
    newEvent = true;
    NS_LOG_DEBUG("new loss event at seq " << seq << ", closed interval " << m_closed.front());
}

std::vector<double>
TfrcLossHistory::GetIntervals() const
{
    std::vector<double> v;
    if (!m_haveEvent)
    {
        return v;
    }
    v.push_back(double(m_maxSeq - m_eventStartSeq + 1));
    v.insert(v.end(), m_closed.begin(), m_closed.end());
    return v;
}

double
TfrcLossHistory::GetLossEventRate() const
{
    if (!m_haveEvent)
    {
        return 0;
    }
    // As MeanInterval(GetIntervals(), m_n), without building the vector.
    const double open = double(m_maxSeq - m_eventStartSeq + 1);
    const double mean = WeightedMean(
        1 + m_closed.size(),
        [this, open](size_t i) {
            return i == 0 ? open : m_closed[i - 1];
        },
        m_weights);
    return mean > 0 ? std::min(1.0, 1.0 / mean) : 0;
}

uint32_t
TfrcLossHistory::GetLossEventCount() const
{
    return m_events;
}

uint64_t
TfrcLossHistory::GetLostPackets() const
{
    return m_lost;
}

uint64_t
TfrcLossHistory::GetHighestSeq() const
{
    return m_maxSeq;
}

} // namespace ns3
