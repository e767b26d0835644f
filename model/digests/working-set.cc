/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "working-set.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <algorithm>

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
    , m_filter(numCells, numHashes)
    , m_ticket(OrDefault(std::move(perms)))
{
    NS_LOG_FUNCTION(this << window << numCells << +numHashes);
    NS_ASSERT_MSG(window >= 1, "the window must hold at least one sequence number");
}

bool
WorkingSet::Insert(uint32_t seq)
{
    NS_LOG_FUNCTION(this << seq);
    if (seq < m_low || m_held.count(seq) != 0)
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
    m_held.insert(seq);
    m_filter.Insert(seq);
    if (!m_ticketStale)
    {
        m_ticket.Insert(seq);
    }
    return true;
}

bool
WorkingSet::Contains(uint32_t seq) const
{
    return m_held.count(seq) != 0;
}

void
WorkingSet::Advance(uint32_t newLow)
{
    NS_LOG_FUNCTION(this << newLow);
    if (newLow <= m_low)
    {
        return;
    }
    m_low = newLow;
    auto end = m_held.lower_bound(newLow);
    if (end == m_held.begin())
    {
        return;
    }
    for (auto it = m_held.begin(); it != end; ++it)
    {
        [[maybe_unused]] bool removed = m_filter.Remove(*it);
        NS_ASSERT_MSG(removed, "a held key must be in the filter");
    }
    m_held.erase(m_held.begin(), end);
    m_ticketStale = true;
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
    return m_held.size();
}

bool
WorkingSet::IsEmpty() const
{
    return m_held.empty();
}

uint32_t
WorkingSet::GetWindow() const
{
    return m_window;
}

std::vector<uint32_t>
WorkingSet::GetSequences() const
{
    return std::vector<uint32_t>(m_held.begin(), m_held.end());
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
    if (m_ticketStale)
    {
        m_ticket.Clear();
        for (uint32_t seq : m_held)
        {
            m_ticket.Insert(seq);
        }
        m_ticketStale = false;
    }
    return m_ticket;
}

} // namespace ns3
