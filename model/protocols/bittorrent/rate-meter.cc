/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "rate-meter.h"

#include "ns3/log.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RateMeter");

RateMeter::RateMeter(Time window, Time minSpan)
    : m_slotTicks(window.GetTimeStep() / int64_t(kSlots))
    , m_minSpanTicks(minSpan.GetTimeStep())
    , m_slots(kSlots, 0)
{
    if (m_slotTicks <= 0)
    {
        throw std::invalid_argument("RateMeter: window " + std::to_string(window.GetSeconds())
                                    + " s is shorter than " + std::to_string(kSlots)
                                    + " time steps");
    }
    if (m_minSpanTicks <= 0 || minSpan > window)
    {
        throw std::invalid_argument("RateMeter: minimum span "
                                    + std::to_string(minSpan.GetSeconds())
                                    + " s is not within (0, window]");
    }
}

int64_t
RateMeter::SlotOf(int64_t ticks) const
{
    const int64_t q = ticks / m_slotTicks;
    return (ticks % m_slotTicks != 0 && ticks < 0) ? q - 1 : q;
}

void
RateMeter::Add(uint64_t bytes, Time now)
{
    const int64_t t = now.GetTimeStep();
    const int64_t slot = SlotOf(t);
    if (!m_started)
    {
        m_started = true;
        m_startTicks = t;
        m_lastSlot = slot;
    }
    else if (t < m_lastTicks)
    {
        throw std::invalid_argument("RateMeter::Add: time " + std::to_string(now.GetSeconds())
                                    + " s is before the previous Add");
    }
    // Clear the slots between the last one written and this one (at most all of them).
    for (int64_t s = m_lastSlot + 1; s <= slot && s <= m_lastSlot + int64_t(kSlots); ++s)
    {
        m_slots[size_t(((s % kSlots) + kSlots) % kSlots)] = 0;
    }
    m_lastSlot = std::max(m_lastSlot, slot);
    m_lastTicks = t;
    m_slots[size_t(((slot % kSlots) + kSlots) % kSlots)] += bytes;
    m_total += bytes;
}

double
RateMeter::GetRate(Time now) const
{
    if (!m_started)
    {
        return 0;
    }
    const int64_t t = now.GetTimeStep();
    if (t < m_lastTicks)
    {
        throw std::invalid_argument("RateMeter::GetRate: time " + std::to_string(now.GetSeconds())
                                    + " s is before the last Add");
    }
    const int64_t k = SlotOf(t);
    const int64_t first = k - int64_t(kSlots) + 1; // the oldest slot in the window
    uint64_t bytes = 0;
    // The ring holds slots m_lastSlot - kSlots + 1 .. m_lastSlot; later ones are empty.
    for (int64_t s = std::max(first, m_lastSlot - int64_t(kSlots) + 1); s <= m_lastSlot; ++s)
    {
        bytes += m_slots[size_t(((s % kSlots) + kSlots) % kSlots)];
    }
    const int64_t from = std::max(m_startTicks, first * m_slotTicks);
    const int64_t span = std::max(t - from, m_minSpanTicks);
    return double(bytes) / TimeStep(span).GetSeconds();
}

uint64_t
RateMeter::GetTotal() const
{
    return m_total;
}

Time
RateMeter::GetWindow() const
{
    return TimeStep(m_slotTicks * int64_t(kSlots));
}

} // namespace ns3
