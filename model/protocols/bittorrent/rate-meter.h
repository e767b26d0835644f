/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BT_RATE_METER_H
#define BULLET_BT_RATE_METER_H

#include "ns3/nstime.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief A transfer rate over a sliding window of about 20 s, as mainline's per-connection
 * rate (max_rate_period 20 s) is used by the choker and for snubbing. No simulator inside:
 * the caller passes the time.
 *
 * The window is cut into 20 slots of window/20 (1 s by default); Add() counts bytes in the
 * slot of its time. With K the slot of \c now, the rate is
 * \code
 *   from  = max(start, first instant of slot K - 19)       // the last 19 to 20 slots
 *   bytes = bytes added in slots K - 19 .. K
 *   rate  = bytes / max(now - from, minSpan)                // bytes/s
 * \endcode
 * where start is the time of the first Add (call Add(0, t) when a connection opens to start
 * the clock then). So:
 *   - a steady stream reads its rate (to within one block over the window): every byte of the
 *     covered interval is counted and divided by that interval's length;
 *   - a peer that stops falls linearly to 0 as its slots leave the window, and reads exactly 0
 *     a window after its last byte;
 *   - a fresh connection's first block is spread over at least minSpan (1 s by default, as
 *     mainline's one-second "fudge"), not over the few microseconds since it started: one
 *     16 KiB block reads at most 16 KiB/s.
 * Memory is 20 counters whatever the rate; Add and GetRate are O(20).
 */
class RateMeter
{
  public:
    /// The number of slots the window is cut into.
    static constexpr uint32_t kSlots = 20;

    /**
     * \brief A meter with nothing counted yet.
     * \param window the sliding window (at least kSlots time steps)
     * \param minSpan the shortest time a rate is computed over (positive, at most window)
     * \throws std::invalid_argument if window or minSpan is out of range
     */
    explicit RateMeter(Time window = Seconds(20), Time minSpan = Seconds(1));

    /**
     * \brief Counts \p bytes at \p now (the first call also starts the clock).
     * \param bytes bytes transferred (0 just starts the clock)
     * \param now the current time
     * \throws std::invalid_argument if now is earlier than the time of a previous Add
     */
    void Add(uint64_t bytes, Time now);
    /**
     * \brief The rate at \p now (see the class description).
     * \param now the current time
     * \return bytes/s; 0 before the first Add
     * \throws std::invalid_argument if now is earlier than the time of the last Add
     */
    double GetRate(Time now) const;
    /// \return every byte counted, ever
    uint64_t GetTotal() const;
    /// \return the window (kSlots slots; window/kSlots rounded down to a time step)
    Time GetWindow() const;

  private:
    /// The slot of time \p ticks (floor division).
    int64_t SlotOf(int64_t ticks) const;

    int64_t m_slotTicks;
    int64_t m_minSpanTicks;
    std::vector<uint64_t> m_slots; ///< bytes of slots m_lastSlot - kSlots + 1 .. m_lastSlot
    bool m_started{false};
    int64_t m_startTicks{0};
    int64_t m_lastTicks{0}; ///< time of the last Add
    int64_t m_lastSlot{0};  ///< slot of the last Add
    uint64_t m_total{0};
};

} // namespace ns3

#endif // BULLET_BT_RATE_METER_H
