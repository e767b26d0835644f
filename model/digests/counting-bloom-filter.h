/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_COUNTING_BLOOM_FILTER_H
#define BULLET_COUNTING_BLOOM_FILTER_H

#include "ns3/buffer.h"
#include "ns3/checked-header.h"

#include <array>
#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief The k cell indices of a key, identical on every node.
 *
 * A Bloom filter is only useful as a digest if the sender and the receiver hash a key to the
 * same cells, so the hash is a pure function of (key, i, m): a 64-bit integer mixer
 * (SplitMix64's finaliser) gives two 32-bit halves h1, h2, and cell i is taken by enhanced
 * double hashing, h1 + i h2 + (i^3 - i)/6 (mod m), which avoids the degenerate case of plain
 * double hashing when h2 = 0 (mod m). No state, no seed, no platform dependence.
 */
class BloomHash
{
  public:
    /// Largest number of hash functions (cells per key) supported.
    static constexpr uint32_t kMaxHashes = 32;
    /// Room for the cell indices of one key (no allocation on the per-packet path).
    using IndexArray = std::array<uint32_t, kMaxHashes>;

    /// Writes the \p k (<= kMaxHashes) cell indices of \p key in a filter of \p m cells.
    static void Indices(uint32_t key, uint32_t k, uint32_t m, IndexArray& out);
    /// SplitMix64's finaliser: a bijective, well-mixing function of 64 bits.
    static uint64_t Mix64(uint64_t x);
};

/**
 * \ingroup bullet
 * \brief A classic Bloom filter, one bit per cell: the form a digest travels in.
 *
 * Bullet keeps counting filters locally (so that old sequence numbers can be removed) and
 * reduces them to one bit per cell for transmission (TOCS 2008, Sec. 4.2.1.1). The wire form
 * is: u32 m (cells), u8 k (hashes), u32 n (keys represented), ceil(m/8) bytes of bits, bit i
 * of the filter being bit (i mod 8), least significant first, of byte i/8. n lets the
 * receiver estimate the false-positive rate, and makes the encoding checkable: a valid filter
 * has at most n k bits set, at least one if n > 0, none if n = 0, and zero padding bits.
 */
class BloomFilter
{
  public:
    /// Largest k accepted on the wire (far above any optimum for a useful filter).
    static constexpr uint8_t kMaxHashes = BloomHash::kMaxHashes;

    /// An empty filter of \p numBits cells and \p numHashes hash functions.
    BloomFilter(uint32_t numBits = 8, uint8_t numHashes = 1);

    /// Sets the key's k bits (for filters built directly rather than reduced).
    void Insert(uint32_t key);
    /// True if all k bits of \p key are set: never false for an inserted key.
    bool Contains(uint32_t key) const;

    /// m, the number of cells (bits).
    uint32_t GetNumBits() const;
    /// k, the number of hash functions.
    uint8_t GetNumHashes() const;
    /// Keys the sender says the filter represents.
    uint32_t GetPopulation() const;
    /// Number of bits set.
    uint32_t CountSetBits() const;
    /// (1 - e^{-kn/m})^k for this filter's m, k and n: what a receiver of it should expect.
    double GetExpectedFalsePositiveRate() const;

    /// Bytes of the wire form: 9 + ceil(m/8).
    uint32_t GetSerializedSize() const;
    /// Writes the wire form at \p it and advances it past what was written.
    void Serialize(Buffer::Iterator& it) const;
    /**
     * Reads a wire form; on malformed input returns false, records why in \p reader and
     * leaves this filter unchanged. Never reads past the end of the reader's buffer.
     */
    bool Deserialize(WireReader& reader);

    /// Same geometry, population and bits.
    bool operator==(const BloomFilter& other) const;

  private:
    friend class CountingBloomFilter;

    uint32_t m_numBits;          //!< m
    uint8_t m_numHashes;         //!< k
    uint32_t m_population{0};    //!< n, as announced by the sender
    std::vector<uint8_t> m_bits; //!< ceil(m/8) bytes, padding bits zero
};

/**
 * \ingroup bullet
 * \brief Counting Bloom filter over 32-bit sequence numbers: the local side of a digest.
 *
 * Each cell is a counter, so a key can be removed again (TOCS 2008, Sec. 4.2.1.1: "inserting
 * an element involves incrementing the appropriate entries, while removal amounts to
 * decrementing"). This is what lets a working set drop old sequence numbers and keep the
 * population n, hence the false-positive rate (1 - e^{-kn/m})^k, bounded (SOSP 2003,
 * Sec. 3.1). Counters are 16 bits and saturate: a saturated counter is never decremented, so
 * the filter can never produce a false negative, only (in practice never) a stuck cell.
 */
class CountingBloomFilter
{
  public:
    /**
     * \param numCells m, the number of counters (and of bits in the wire form).
     * \param numHashes k, the number of hash functions (1..BloomFilter::kMaxHashes).
     */
    CountingBloomFilter(uint32_t numCells, uint8_t numHashes);

    /// Adds one occurrence of \p key.
    void Insert(uint32_t key);
    /**
     * Removes one occurrence of \p key. Returns false (and changes nothing) if the key is
     * certainly absent. The caller must only remove keys it inserted: removing a false
     * positive would create false negatives for other keys.
     */
    bool Remove(uint32_t key);
    /// True if \p key may be present: never false for an inserted, not removed, key.
    bool Contains(uint32_t key) const;
    /// Empties the filter.
    void Clear();

    /// Keys inserted minus keys removed: the n of the false-positive formula.
    uint32_t GetPopulation() const;
    /// m, the number of counters.
    uint32_t GetNumCells() const;
    /// k, the number of hash functions.
    uint8_t GetNumHashes() const;
    /// The counter of one cell (for tests and diagnostics).
    uint16_t GetCounter(uint32_t cell) const;
    /// (1 - e^{-kn/m})^k at the current population.
    double GetExpectedFalsePositiveRate() const;

    /// The one-bit-per-cell form for the wire: bit i is set iff counter i is nonzero.
    BloomFilter ToBloomFilter() const;

    /// (1 - e^{-kn/m})^k: the false-positive rate of a Bloom filter (SOSP 2003, Sec. 2.3).
    static double FalsePositiveRate(uint32_t m, uint32_t n, uint32_t k);
    /// The k minimising the false-positive rate for m cells and n keys: round(m/n ln 2).
    static uint8_t OptimalNumHashes(uint32_t m, uint32_t n);
    /// Cells needed for rate \p p with \p n keys at the optimal k: ceil(-n ln p / (ln 2)^2).
    static uint32_t CellsFor(uint32_t n, double p);

  private:
    uint32_t m_numCells;              //!< m
    uint8_t m_numHashes;              //!< k
    uint32_t m_population{0};         //!< keys inserted minus keys removed
    std::vector<uint16_t> m_counters; //!< one saturating counter per cell
    /// Bit i set iff counter i is nonzero, kept up to date by Insert and Remove: the wire
    /// form, ready for ToBloomFilter (once per digest) and Contains.
    std::vector<uint8_t> m_bits;
};

} // namespace ns3

#endif // BULLET_COUNTING_BLOOM_FILTER_H
