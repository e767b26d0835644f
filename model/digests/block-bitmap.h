/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BLOCK_BITMAP_H
#define BULLET_BLOCK_BITMAP_H

#include "ns3/buffer.h"
#include "ns3/checked-header.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Which blocks of an unencoded file a Bullet' node holds (or knows a peer holds).
 *
 * Bullet' distributes unencoded files whose blocks are numbered densely (TOCS 2008,
 * Sec. 3.3.2), so an exact bitmap replaces the working set and Bloom filter of Bullet. Blocks
 * are numbered 0..N-1 here (the paper says 1..n).
 */
class BlockBitmap
{
  public:
    /// An empty bitmap of a file of \p numBlocks blocks.
    explicit BlockBitmap(uint32_t numBlocks = 0);

    /// Marks \p block held; returns true if it was not held before (false beyond the file).
    bool Set(uint32_t block);
    /// True if \p block is held (false beyond the file).
    bool Has(uint32_t block) const;
    /// N, the number of blocks in the file.
    uint32_t GetNumBlocks() const;
    /// Number of blocks held.
    uint32_t Count() const;
    /// True once every block is held.
    bool IsComplete() const;
    /// The highest block held, if any (returns false when empty).
    bool GetHighest(uint32_t& block) const;
    /// Blocks held here and not in \p other (same file): what \p other could get from us.
    uint32_t CountNotIn(const BlockBitmap& other) const;
    /// The held blocks, ascending.
    std::vector<uint32_t> GetBlocks() const;

    /// Same file size and same blocks.
    bool operator==(const BlockBitmap& other) const;

  private:
    uint32_t m_numBlocks;          //!< N
    uint32_t m_count{0};           //!< blocks held
    std::vector<uint64_t> m_words; //!< bit b of word b/64 is block b
};

/**
 * \ingroup bullet
 * \brief A Bullet' RanSub summary: which blocks a node holds, within a fixed byte budget.
 *
 * TOCS 2008, Sec. 4.2.3.1: "the summary can be an exact bitmap of the file blocks if it fits
 * into the given space (120 bytes). Otherwise, it can [...be...] a nonzero bitmap of the last
 * portion of the file recovered thus far that fits into the allotted size", the option used
 * in the paper's evaluation. We read "last portion recovered thus far" as the budget's worth
 * of consecutive blocks ending at the highest-numbered block the node holds (starting at block
 * 0 if there are fewer): it always contains that block, so it is nonzero whenever the node
 * holds anything, and it follows the node's progress through the file. The histogram
 * alternative of the same paragraph is not implemented.
 *
 * The budget counts the bitmap bytes; the wire form adds a 10-byte header: u32 N (blocks in
 * the file), u32 first block covered, u16 bits covered, then ceil(bits/8) bytes, block
 * first + i being bit (i mod 8), least significant first, of byte i/8. Rejected: a window
 * that is empty or extends past the file, and nonzero padding bits.
 */
class BlockSummary
{
  public:
    /// 120 bytes of bitmap, the summary size of both papers.
    static constexpr uint32_t kDefaultBudgetBytes = 120;

    /// A summary of nothing (one block, not held); mostly a target for Deserialize().
    BlockSummary();
    /// Summarises \p have in at most \p budgetBytes bytes of bitmap.
    static BlockSummary Make(const BlockBitmap& have, uint32_t budgetBytes = kDefaultBudgetBytes);

    /// True if the summary covers the whole file.
    bool IsExact() const;
    /// N, the number of blocks in the file.
    uint32_t GetNumBlocks() const;
    /// First block the window covers.
    uint32_t GetFirstBlock() const;
    /// Number of blocks the window covers.
    uint32_t GetNumBits() const;
    /// True if \p block is inside the window (so Has() is authoritative for it).
    bool Covers(uint32_t block) const;
    /// True if the summarised node holds \p block (false outside the window).
    bool Has(uint32_t block) const;
    /// Blocks the summary shows held.
    uint32_t Count() const;
    /// Blocks the summary shows held that \p mine lacks: the peer's known usefulness to us.
    uint32_t CountUsefulTo(const BlockBitmap& mine) const;

    /// Bytes of the wire form: 10 + ceil(bits/8).
    uint32_t GetSerializedSize() const;
    /// Writes the wire form at \p it and advances it past what was written.
    void Serialize(Buffer::Iterator& it) const;
    /// Reads a wire form; on malformed input returns false and leaves the summary unchanged.
    bool Deserialize(WireReader& reader);

    /// Same file, window and bits.
    bool operator==(const BlockSummary& other) const;

  private:
    uint32_t m_numBlocks{1};        //!< N
    uint32_t m_firstBlock{0};       //!< first block covered
    uint32_t m_numBits{1};          //!< blocks covered
    std::vector<uint8_t> m_bits{0}; //!< ceil(bits/8) bytes, padding bits zero
};

/**
 * \ingroup bullet
 * \brief An incremental Bullet' availability update: blocks newly acquired since the last diff.
 *
 * TOCS 2008, Sec. 4.3.3.3: senders keep receivers up to date with "a simple bitmap structure"
 * of diffs that "are incremental, such that a node will only hear about a particular block
 * from a peer once". A diff is a bitmap over the range [first, first + bits) from the lowest
 * to the highest block it announces. Wire form: u32 N (blocks in the file), u32 first,
 * u32 bits, ceil(bits/8) bytes as in BlockSummary. An empty diff has bits = 0 (and first = 0).
 * Rejected: a range past the end of the file, a nonempty range whose first or last bit is not
 * set (a diff is trimmed to what it announces), nonzero padding bits.
 */
class BitmapDiff
{
  public:
    /// An empty diff for a file of one block; mostly a target for Deserialize().
    BitmapDiff();

    /// True if the diff announces nothing.
    bool IsEmpty() const;
    /// N, the number of blocks in the file.
    uint32_t GetNumBlocks() const;
    /// Lowest block announced (0 if empty).
    uint32_t GetFirstBlock() const;
    /// Span from the lowest to the highest block announced (0 if empty).
    uint32_t GetNumBits() const;
    /// Number of blocks announced.
    uint32_t Count() const;
    /// The blocks announced, ascending.
    std::vector<uint32_t> GetBlocks() const;
    /// Marks the announced blocks in \p view (the receiver's picture of the sender); false,
    /// with \p view unchanged, if the diff is for a file of another size.
    bool ApplyTo(BlockBitmap& view) const;

    /// Bytes of the wire form: 12 + ceil(bits/8).
    uint32_t GetSerializedSize() const;
    /// Writes the wire form at \p it and advances it past what was written.
    void Serialize(Buffer::Iterator& it) const;
    /// Reads a wire form; on malformed input returns false and leaves the diff unchanged.
    bool Deserialize(WireReader& reader);

    /// Same file, range and bits.
    bool operator==(const BitmapDiff& other) const;

  private:
    friend class BitmapDiffSender;

    uint32_t m_numBlocks{1};     //!< N
    uint32_t m_firstBlock{0};    //!< lowest block announced
    uint32_t m_numBits{0};       //!< span of the range
    std::vector<uint8_t> m_bits; //!< ceil(bits/8) bytes, padding bits zero
};

/**
 * \ingroup bullet
 * \brief Sender-side state of the diffs to one peer: what that peer has already been told.
 *
 * One per (node, receiving peer). MakeDiff() announces the held blocks not announced before
 * and remembers them, so each block is announced to a peer exactly once. A diff spans at most
 * \p maxBits blocks, so its size does not grow with the file; what does not fit stays pending
 * for the next diff (lowest blocks first).
 */
class BitmapDiffSender
{
  public:
    /// Default span limit: 8000 blocks, a 1000-byte bitmap that fits one packet (our choice).
    static constexpr uint32_t kDefaultMaxBits = 8000;

    /// State for a file of \p numBlocks blocks; a diff spans at most \p maxBits blocks.
    BitmapDiffSender(uint32_t numBlocks, uint32_t maxBits = kDefaultMaxBits);

    /// Number of blocks in \p have not yet announced to this peer.
    uint32_t CountPending(const BlockBitmap& have) const;
    /// True if \p have holds a block not yet announced to this peer.
    bool HasPending(const BlockBitmap& have) const;
    /// The next diff (empty if nothing is pending); its blocks count as announced from now on.
    BitmapDiff MakeDiff(const BlockBitmap& have);
    /// Everything announced so far: the peer's view of us once it applied every diff.
    const BlockBitmap& GetAnnounced() const;

  private:
    uint32_t m_maxBits;      //!< span limit of one diff
    BlockBitmap m_announced; //!< blocks this peer has been told about
};

} // namespace ns3

#endif // BULLET_BLOCK_BITMAP_H
