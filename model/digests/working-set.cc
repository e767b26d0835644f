/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "working-set.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <algorithm>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WorkingSet");

namespace
{

std::shared_ptr<const MinWisePermutations>
OrDefault(std::shared_ptr<const MinWisePermutations> perms)
{
    if (perms)
    {
        return perms;
    }
    return std::make_shared<const MinWisePermutations>(SummaryTicket::kDefaultEntries);
}

/// The smallest power of two >= \p window (the ring's size in bits).
uint32_t
RingSize(uint32_t window)
{
    if (window > (1u << 31))
    {
        throw std::invalid_argument("working set: a window of more than 2^31 packets");
    }
    uint32_t size = 1;
    while (size < window)
    {
        size <<= 1;
    }
    return size;
}

} // namespace

WorkingSet::WorkingSet(uint32_t window, double targetFalsePositiveRate,
                       std::shared_ptr<const MinWisePermutations> perms)
    : WorkingSet(window, CountingBloomFilter::CellsFor(window, targetFalsePositiveRate),
                 CountingBloomFilter::OptimalNumHashes(
                     CountingBloomFilter::CellsFor(window, targetFalsePositiveRate), window),
                 std::move(perms))
{
}

WorkingSet::WorkingSet(uint32_t window, uint32_t numCells, uint8_t numHashes,
                       std::shared_ptr<const MinWisePermutations> perms)
    : m_window(window)
    , m_ringMask(RingSize(window) - 1)
    , m_ring((m_ringMask + 64) / 64, 0)
    , m_filter(numCells, numHashes)
    , m_ticket(OrDefault(std::move(perms)))
{
    NS_LOG_FUNCTION(this << window << numCells << +numHashes);
    NS_ASSERT_MSG(window >= 1, "the window must hold at least one sequence number");
}

bool
WorkingSet::Insert(uint32_t seq)
{
    // No NS_LOG_FUNCTION here or in Advance: once per packet, its check alone showed up.
    if (seq < m_low || Contains(seq))
    {
        return false;
    }
    if (!m_any || seq > m_high)
    {
        m_high = seq;
        m_any = true;
    }
    if (uint64_t(seq) >= uint64_t(m_low) + m_window)
    {
        Advance(seq - m_window + 1);
    }
    FlipBit(seq);
    ++m_size;
    m_filter.Insert(seq);
    m_ticket.Insert(seq);
    return true;
}

bool
WorkingSet::Contains(uint32_t seq) const
{
    return seq >= m_low && uint64_t(seq) < uint64_t(m_low) + m_window && IsHeldBit(seq);
}

void
WorkingSet::Advance(uint32_t newLow)
{
    if (newLow <= m_low)
    {
        return;
    }
    // Only [low, low + window) can hold anything: a jump costs at most one window.
    const uint64_t end = std::min<uint64_t>(newLow, uint64_t(m_low) + m_window);
    for (uint64_t seq = m_low; seq < end && m_size > 0; ++seq)
    {
        if (IsHeldBit(uint32_t(seq)))
        {
            FlipBit(uint32_t(seq));
            --m_size;
            [[maybe_unused]] bool removed = m_filter.Remove(uint32_t(seq));
            NS_ASSERT_MSG(removed, "a held key must be in the filter");
            m_ticket.Remove(uint32_t(seq));
        }
    }
    m_low = newLow;
}

uint32_t
WorkingSet::GetLow() const
{
    return m_low;
}

uint32_t
WorkingSet::GetHigh() const
{
    return m_high;
}

uint32_t
WorkingSet::GetSize() const
{
    return m_size;
}

bool
WorkingSet::IsEmpty() const
{
    return m_size == 0;
}

uint32_t
WorkingSet::GetWindow() const
{
    return m_window;
}

std::vector<uint32_t>
WorkingSet::GetSequences() const
{
    std::vector<uint32_t> out;
    out.reserve(m_size);
    ForEach(m_low, m_high, [&out](uint32_t seq) {
        out.push_back(seq);
    });
    return out;
}

const CountingBloomFilter&
WorkingSet::GetFilter() const
{
    return m_filter;
}

BloomFilter
WorkingSet::GetBloomFilter() const
{
    return m_filter.ToBloomFilter();
}

SequenceRange
WorkingSet::GetRequestRange() const
{
    return SequenceRange{m_low, std::max(m_low, m_high)};
}

const SummaryTicket&
WorkingSet::GetTicket() const
{
    m_ticket.Repair([this](auto&& visit) {
        ForEach(m_low, m_high, visit);
    });
    return m_ticket;
}

} // namespace ns3
