/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_SEQUENCE_SET_H
#define BULLET_SEQUENCE_SET_H

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief A set of sequence numbers kept as a sorted array: the packets sent to a peer since
 * its last digest, which a sender asks about once per packet.
 *
 * Packets are sent roughly in sequence order, so an insertion almost always appends (O(1)
 * amortised; otherwise it moves the larger entries up) and a lookup is a binary search over
 * contiguous memory. Four bytes per entry and no allocation per insertion, where a std::set
 * took a node of about 40 bytes each.
 */
class SequenceSet
{
  public:
    /// Adds \p seq; returns false if it was already there.
    bool Insert(uint32_t seq);
    /// Whether \p seq is in the set.
    bool Contains(uint32_t seq) const;
    /// Empties the set (keeping its memory for the next round).
    void Clear();
    /// Number of entries.
    uint32_t GetSize() const;
    /// True if the set holds nothing.
    bool IsEmpty() const;
    /// The entries, ascending.
    const std::vector<uint32_t>& GetSequences() const;
    /// Exchanges the contents with \p other.
    void Swap(SequenceSet& other);

  private:
    std::vector<uint32_t> m_seqs; //!< ascending, no duplicates
};

} // namespace ns3

#endif // BULLET_SEQUENCE_SET_H
