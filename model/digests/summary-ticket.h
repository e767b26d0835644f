/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_SUMMARY_TICKET_H
#define BULLET_SUMMARY_TICKET_H

#include "ns3/buffer.h"
#include "ns3/checked-header.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief The permutations P_j(x) = (a_j x + b_j) mod |U| behind a summary ticket.
 *
 * Two tickets can only be compared if they were built with the same permutations (SOSP 2003,
 * Sec. 2.3), so a_j and b_j are derived from a seed that every node shares (a protocol
 * constant or attribute), with pure integer arithmetic (a SplitMix64 sequence). |U| is the
 * Mersenne prime 2^61 - 1: larger than any 32-bit sequence number, so each P_j is injective on
 * the keys and a ticket entry can hold the key itself. A protocol builds one family and
 * shares it between its tickets; it is immutable.
 */
class MinWisePermutations
{
  public:
    /// |U|, the prime modulus.
    static constexpr uint64_t kUniverse = (uint64_t(1) << 61) - 1;
    /// Default seed: "Bullet" in ASCII. Any value works if all nodes use the same one.
    static constexpr uint64_t kDefaultSeed = 0x42756c6c6574ULL;

    /// What P_j is applied to.
    enum KeyMapping
    {
        /// P_j(x), exactly the paper's form.
        PLAIN,
        /**
         * P_j(S(x)) with S a fixed bijective scramble of 32-bit keys. Still one permutation
         * per entry, but working sets are runs of consecutive sequence numbers, and on those
         * the plain linear family is measurably biased (it underestimates resemblance by about
         * 0.05, see summary-ticket-test.cc); scrambling first removes the bias.
         */
        SCRAMBLED,
    };

    /// \p numPermutations permutations drawn deterministically from \p seed.
    MinWisePermutations(uint32_t numPermutations, uint64_t seed = kDefaultSeed,
                        KeyMapping mapping = SCRAMBLED);

    /// Number of permutations (= entries of a ticket).
    uint32_t GetSize() const;
    /// The shared seed the family was derived from.
    uint64_t GetSeed() const;
    /// Whether keys are scrambled before P_j.
    KeyMapping GetKeyMapping() const;
    /// The permuted value of \p x under permutation j: P_j(x), or P_j(S(x)) when scrambled;
    /// Permute(j, Map(x)).
    uint64_t Apply(uint32_t j, uint32_t x) const;
    /// The key as the permutations take it: S(x) when scrambled, else x (once per key, for
    /// all j).
    uint32_t Map(uint32_t x) const;
    /// P_j of a key already mapped by Map().
    uint64_t
    Permute(uint32_t j, uint32_t mapped) const
    {
        // v mod p for the Mersenne prime p = 2^61 - 1 without a 128-bit division: 2^61 = 1
        // (mod p), so v = (v mod 2^61) + (v >> 61) (mod p), and that sum (v < 2^94) is below
        // 2p.
        const unsigned __int128 v = static_cast<unsigned __int128>(m_a[j]) * mapped + m_b[j];
        const uint64_t r = static_cast<uint64_t>(v & kUniverse) + static_cast<uint64_t>(v >> 61);
        return r >= kUniverse ? r - kUniverse : r;
    }
    /// S: a bijection of 32-bit keys (xor-shift / odd-multiply rounds), fixed for all nodes.
    static uint32_t Scramble(uint32_t x);

  private:
    uint64_t m_seed;           //!< shared seed
    KeyMapping m_mapping;      //!< plain or scrambled keys
    std::vector<uint64_t> m_a; //!< in [1, |U| - 1]
    std::vector<uint64_t> m_b; //!< in [0, |U| - 1]
};

/**
 * \ingroup bullet
 * \brief Min-wise summary ticket: a fixed-size sample of a working set, for resemblance.
 *
 * Entry j holds the key x of the set with the smallest P_j(x) (SOSP 2003, Sec. 2.3, Fig. 3).
 * For two sets A and B, P(min P_j(A) = min P_j(B)) is about |A n B| / |A u B|, so the fraction
 * of equal entries estimates the resemblance without sending either set. RanSub carries ten
 * of these per message, 120 bytes each: the default of 30 entries of 32 bits.
 *
 * Wire form: u8 count (0 for an empty set, else the number of permutations), count x u32.
 * A count that is neither is rejected: tickets built with different parameters cannot be
 * compared.
 */
class SummaryTicket
{
  public:
    /// 30 entries x 4 bytes = the 120-byte ticket of SOSP 2003, Sec. 3.1.
    static constexpr uint32_t kDefaultEntries = 30;

    /// An empty ticket over the permutations \p perms (not null).
    explicit SummaryTicket(std::shared_ptr<const MinWisePermutations> perms);

    /// Adds \p key: each entry keeps whichever of its key and \p key permutes lower.
    void Insert(uint32_t key);
    /**
     * Takes \p key out of the set the ticket describes. A ticket does not know the rest of
     * the set, so the entries that held \p key (if any) are marked for Repair; the others
     * stay exact, since removing a key that is not an entry's minimum changes no minimum.
     */
    void Remove(uint32_t key);
    /// True if a Remove left entries that must be recomputed before the ticket is read.
    bool NeedsRepair() const;
    /**
     * Recomputes the entries a Remove invalidated, from the whole remaining set: \p forEach
     * is called with a visitor and must call it once for each key of the set. An empty set
     * empties the ticket. The result is the ticket a rebuild from scratch would give (an
     * entry is the set's unique minimum under a bijection).
     */
    template<typename ForEach>
    void
    Repair(ForEach&& forEach)
    {
        if (!NeedsRepair())
        {
            return;
        }
        std::vector<uint32_t> dirty;
        for (uint32_t j = 0; j < m_dirty.size(); ++j)
        {
            if (m_dirty[j])
            {
                dirty.push_back(j);
                m_images[j] = std::numeric_limits<uint64_t>::max();
            }
        }
        bool any = false;
        forEach([this, &dirty, &any](uint32_t key) {
            any = true;
            const uint32_t mapped = m_perms->Map(key);
            for (uint32_t j : dirty)
            {
                const uint64_t image = m_perms->Permute(j, mapped);
                if (image < m_images[j])
                {
                    m_images[j] = image;
                    m_entries[j] = key;
                }
            }
        });
        if (!any)
        {
            Clear();
            return;
        }
        std::fill(m_dirty.begin(), m_dirty.end(), 0);
        m_numDirty = 0;
    }
    /// Forgets everything.
    void Clear();

    /// True when no key has been inserted.
    bool IsEmpty() const;
    /// Entries of a nonempty ticket (the number of permutations).
    uint32_t GetNumEntries() const;
    /// Entry j (the key with the smallest P_j); the ticket must not be empty.
    uint32_t GetEntry(uint32_t j) const;
    /// The family the ticket is built with.
    const std::shared_ptr<const MinWisePermutations>& GetPermutations() const;

    /**
     * Equal entries / entries: the estimate of |A n B| / |A u B|. Two empty tickets are
     * identical (1); an empty and a nonempty one share nothing (0). Both tickets must use the
     * same number of permutations.
     */
    double Resemblance(const SummaryTicket& other) const;

    /// Bytes of the wire form: 1 + 4 x entries (121 by default, 1 if empty).
    uint32_t GetSerializedSize() const;
    /// Writes the wire form at \p it and advances it past what was written.
    void Serialize(Buffer::Iterator& it) const;
    /// Reads a wire form; on malformed input returns false and leaves the ticket unchanged.
    bool Deserialize(WireReader& reader);

    /// Same entries (and family size).
    bool operator==(const SummaryTicket& other) const;

  private:
    /// Computes m_images if the entries came from the wire without them.
    void ComputeImages();

    std::shared_ptr<const MinWisePermutations> m_perms; //!< shared, immutable permutations
    std::vector<uint32_t> m_entries;                    //!< empty, or one key per permutation
    /// The entries' images under their permutations (empty until an Insert needs them), so
    /// that an insertion applies each permutation once
    std::vector<uint64_t> m_images;
    /// Per entry: its key was removed, its value awaits Repair (empty until a Remove).
    std::vector<uint8_t> m_dirty;
    uint32_t m_numDirty{0}; //!< entries marked in m_dirty
};

} // namespace ns3

#endif // BULLET_SUMMARY_TICKET_H
