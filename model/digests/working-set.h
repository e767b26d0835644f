/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_WORKING_SET_H
#define BULLET_WORKING_SET_H

#include "ns3/counting-bloom-filter.h"
#include "ns3/summary-ticket.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief A closed range [low, high] of sequence numbers: what a receiver asks its senders for.
 */
struct SequenceRange
{
    uint32_t low;  //!< first sequence number of interest
    uint32_t high; //!< last sequence number of interest (high >= low)
};

/**
 * \ingroup bullet
 * \brief The packets a Bullet node holds in a sliding window [low, high] of sequence numbers.
 *
 * SOSP 2003, Sec. 3.1: each node keeps a working set of received sequence numbers and a Bloom
 * filter describing it; because the filter has a fixed size m, the node periodically removes
 * the lower sequence numbers so that the population n, hence the false-positive rate, stays
 * bounded, and "a node will attempt to recover packets for a finite amount of time". Here the
 * window is at most GetWindow() sequence numbers wide: receiving a sequence number beyond
 * low + window - 1 slides low forward and removes what fell behind from the counting filter
 * (Advance() does the same on demand). The summary ticket is kept up to date incrementally on
 * insertion; a clean-up invalidates only the entries whose key it removed, and those are
 * recomputed from the remaining keys, lazily, when the ticket is read.
 *
 * The exact membership is kept too (a node knows which packets it has), as one bit per
 * sequence number of the window in a ring: inserting, testing and sliding cost O(1) per
 * packet (amortised), visiting the held packets O(window). The filter is what it tells
 * others. Sequence numbers are assumed not to wrap.
 */
class WorkingSet
{
  public:
    /// Default window: 1000 sequence numbers (our choice; the papers give no value).
    static constexpr uint32_t kDefaultWindow = 1000;
    /// Default target false-positive rate of a full window's filter (our choice).
    static constexpr double kDefaultFalsePositiveRate = 0.01;

    /**
     * Sizes the filter for a full window at the target rate (CellsFor, OptimalNumHashes).
     * \param window most sequence numbers tracked at once (the population bound).
     * \param targetFalsePositiveRate false-positive rate of the filter when the window is full.
     * \param perms permutations of the summary ticket; null for the default 30 entries.
     */
    explicit WorkingSet(uint32_t window = kDefaultWindow,
                        double targetFalsePositiveRate = kDefaultFalsePositiveRate,
                        std::shared_ptr<const MinWisePermutations> perms = nullptr);
    /// With an explicit filter geometry (m cells, k hashes).
    WorkingSet(uint32_t window, uint32_t numCells, uint8_t numHashes,
               std::shared_ptr<const MinWisePermutations> perms = nullptr);

    /**
     * Records packet \p seq. Returns false if it was already held or is behind the window
     * (too old to matter). May slide the window forward.
     */
    bool Insert(uint32_t seq);
    /// True if packet \p seq is held (exact, not the filter's answer).
    bool Contains(uint32_t seq) const;
    /// Slides the window start to \p newLow (if ahead of low) and drops what fell behind.
    void Advance(uint32_t newLow);

    /// Window start: nothing below it is tracked.
    uint32_t GetLow() const;
    /// Highest sequence number received so far (0 if none).
    uint32_t GetHigh() const;
    /// Number of sequence numbers held in the window (= the filter's population).
    uint32_t GetSize() const;
    /// True if no packet is held in the window.
    bool IsEmpty() const;
    /// Most sequence numbers tracked at once.
    uint32_t GetWindow() const;
    /// The held sequence numbers, ascending.
    std::vector<uint32_t> GetSequences() const;
    /**
     * Calls \p visit(seq) for every held sequence number in [\p from, \p to], ascending,
     * without building a list.
     * \param from first sequence number of interest
     * \param to last sequence number of interest (nothing is visited if to < from)
     * \param visit called once per held sequence number in the range
     */
    template<typename Visit>
    void
    ForEach(uint32_t from, uint32_t to, Visit&& visit) const
    {
        if (m_size == 0)
        {
            return;
        }
        const uint64_t first = std::max(from, m_low);
        const uint64_t last = std::min<uint64_t>({to, m_high, uint64_t(m_low) + m_window - 1});
        for (uint64_t seq = first; seq <= last; ++seq)
        {
            if (IsHeldBit(uint32_t(seq)))
            {
                visit(uint32_t(seq));
            }
        }
    }

    /// The local counting filter.
    const CountingBloomFilter& GetFilter() const;
    /// The filter reduced to one bit per cell, for a peering request or refresh.
    BloomFilter GetBloomFilter() const;
    /// [low, max(low, high)]: the range the filter covers and the receiver asks for.
    SequenceRange GetRequestRange() const;
    /// The min-wise ticket of the current window (entries a clean-up invalidated recomputed here).
    const SummaryTicket& GetTicket() const;

  private:
    /// The ring bit of \p seq (meaningful for low <= seq < low + window only).
    bool
    IsHeldBit(uint32_t seq) const
    {
        const uint32_t i = seq & m_ringMask;
        return (m_ring[i >> 6] >> (i & 63)) & 1u;
    }

    /// Flips the ring bit of \p seq.
    void
    FlipBit(uint32_t seq)
    {
        const uint32_t i = seq & m_ringMask;
        m_ring[i >> 6] ^= uint64_t(1) << (i & 63);
    }

    uint32_t m_window;   //!< window width in sequence numbers
    uint32_t m_low{0};   //!< window start
    uint32_t m_high{0};  //!< highest sequence number received
    bool m_any{false};   //!< something was ever inserted (so m_high is meaningful)
    uint32_t m_ringMask; //!< ring size - 1; the ring is a power of two >= the window
    /// Exact membership within the window: bit (seq & m_ringMask) for low <= seq < low +
    /// window, where no two sequence numbers share a bit.
    std::vector<uint64_t> m_ring;
    uint32_t m_size{0};           //!< bits set
    CountingBloomFilter m_filter; //!< the digest of m_held
    /// Min-wise ticket of the held keys; entries whose key a clean-up removed are
    /// recomputed by GetTicket.
    mutable SummaryTicket m_ticket;
};

} // namespace ns3

#endif // BULLET_WORKING_SET_H
