/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "block-bitmap.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("BlockBitmap");

namespace
{

uint32_t
BytesFor(uint32_t bits)
{
    return static_cast<uint32_t>((uint64_t(bits) + 7) / 8);
}

bool
GetBit(const std::vector<uint8_t>& bytes, uint32_t i)
{
    return (bytes[i / 8] >> (i % 8)) & 1u;
}

void
SetBit(std::vector<uint8_t>& bytes, uint32_t i)
{
    bytes[i / 8] |= uint8_t(1u << (i % 8));
}

uint32_t
PopCount(const std::vector<uint8_t>& bytes)
{
    uint32_t n = 0;
    for (uint8_t b : bytes)
    {
        n += __builtin_popcount(b);
    }
    return n;
}

/// Reads \p numBits bits of bitmap, rejecting nonzero padding. Empty on failure.
std::vector<uint8_t>
ReadBits(WireReader& reader, uint32_t numBits, const char* what)
{
    uint32_t bytes = BytesFor(numBits);
    if (!reader.Require(bytes, what))
    {
        return {};
    }
    std::vector<uint8_t> bits(bytes);
    reader.Read(bits.data(), bytes);
    if (numBits % 8 != 0 && (bits.back() >> (numBits % 8)) != 0)
    {
        reader.Fail(std::string(what) + ": padding bits set");
        return {};
    }
    return bits;
}

} // namespace

// ---------------------------------------------------------------------------- BlockBitmap

BlockBitmap::BlockBitmap(uint32_t numBlocks)
    : m_numBlocks(numBlocks)
    , m_words((uint64_t(numBlocks) + 63) / 64, 0)
{
}

bool
BlockBitmap::Set(uint32_t block)
{
    NS_ASSERT_MSG(block < m_numBlocks, "block " << block << " beyond the file");
    if (block >= m_numBlocks)
    {
        return false; // release builds: ignore rather than write out of bounds
    }
    uint64_t mask = uint64_t(1) << (block % 64);
    uint64_t& w = m_words[block / 64];
    if (w & mask)
    {
        return false;
    }
    w |= mask;
    ++m_count;
    return true;
}

bool
BlockBitmap::Has(uint32_t block) const
{
    return block < m_numBlocks && ((m_words[block / 64] >> (block % 64)) & 1u);
}

uint32_t
BlockBitmap::GetNumBlocks() const
{
    return m_numBlocks;
}

uint32_t
BlockBitmap::Count() const
{
    return m_count;
}

bool
BlockBitmap::IsComplete() const
{
    return m_count == m_numBlocks;
}

bool
BlockBitmap::GetHighest(uint32_t& block) const
{
    for (size_t i = m_words.size(); i-- > 0;)
    {
        if (m_words[i] != 0)
        {
            block = static_cast<uint32_t>(i * 64 + 63 - __builtin_clzll(m_words[i]));
            return true;
        }
    }
    return false;
}

uint32_t
BlockBitmap::CountNotIn(const BlockBitmap& other) const
{
    NS_ASSERT_MSG(other.m_numBlocks == m_numBlocks, "bitmaps of different files");
    uint32_t n = 0;
    for (size_t i = 0; i < m_words.size(); ++i)
    {
        n += __builtin_popcountll(m_words[i] & ~other.m_words[i]);
    }
    return n;
}

std::vector<uint32_t>
BlockBitmap::GetBlocks() const
{
    std::vector<uint32_t> out;
    out.reserve(m_count);
    for (uint32_t b = 0; b < m_numBlocks; ++b)
    {
        if (Has(b))
        {
            out.push_back(b);
        }
    }
    return out;
}

bool
BlockBitmap::operator==(const BlockBitmap& other) const
{
    return m_numBlocks == other.m_numBlocks && m_words == other.m_words;
}

// ---------------------------------------------------------------------------- BlockSummary

BlockSummary::BlockSummary() = default;

BlockSummary
BlockSummary::Make(const BlockBitmap& have, uint32_t budgetBytes)
{
    NS_ASSERT_MSG(have.GetNumBlocks() >= 1, "a file has at least one block");
    NS_ASSERT_MSG(budgetBytes >= 1 && uint64_t(budgetBytes) * 8 <= 0xffff, "budget out of range");
    uint32_t budgetBits = budgetBytes * 8;
    BlockSummary s;
    s.m_numBlocks = have.GetNumBlocks();
    if (s.m_numBlocks <= budgetBits)
    {
        s.m_firstBlock = 0;
        s.m_numBits = s.m_numBlocks;
    }
    else
    {
        // The last portion recovered so far: the window ending at the highest block held.
        uint32_t highest = 0;
        uint32_t end = have.GetHighest(highest) ? highest + 1 : 0;
        s.m_firstBlock = end > budgetBits ? end - budgetBits : 0;
        s.m_numBits = budgetBits;
    }
    s.m_bits.assign(BytesFor(s.m_numBits), 0);
    for (uint32_t i = 0; i < s.m_numBits; ++i)
    {
        if (have.Has(s.m_firstBlock + i))
        {
            SetBit(s.m_bits, i);
        }
    }
    return s;
}

bool
BlockSummary::IsExact() const
{
    return m_firstBlock == 0 && m_numBits == m_numBlocks;
}

uint32_t
BlockSummary::GetNumBlocks() const
{
    return m_numBlocks;
}

uint32_t
BlockSummary::GetFirstBlock() const
{
    return m_firstBlock;
}

uint32_t
BlockSummary::GetNumBits() const
{
    return m_numBits;
}

bool
BlockSummary::Covers(uint32_t block) const
{
    return block >= m_firstBlock && block - m_firstBlock < m_numBits;
}

bool
BlockSummary::Has(uint32_t block) const
{
    return Covers(block) && GetBit(m_bits, block - m_firstBlock);
}

uint32_t
BlockSummary::Count() const
{
    return PopCount(m_bits);
}

uint32_t
BlockSummary::CountUsefulTo(const BlockBitmap& mine) const
{
    NS_ASSERT_MSG(mine.GetNumBlocks() == m_numBlocks, "summary of another file");
    uint32_t n = 0;
    for (uint32_t i = 0; i < m_numBits; ++i)
    {
        n += GetBit(m_bits, i) && !mine.Has(m_firstBlock + i);
    }
    return n;
}

uint32_t
BlockSummary::GetSerializedSize() const
{
    return 4 + 4 + 2 + m_bits.size();
}

void
BlockSummary::Serialize(Buffer::Iterator& it) const
{
    it.WriteHtonU32(m_numBlocks);
    it.WriteHtonU32(m_firstBlock);
    it.WriteHtonU16(static_cast<uint16_t>(m_numBits));
    it.Write(m_bits.data(), m_bits.size());
}

bool
BlockSummary::Deserialize(WireReader& reader)
{
    uint32_t numBlocks = reader.ReadNtohU32();
    uint32_t firstBlock = reader.ReadNtohU32();
    uint16_t numBits = reader.ReadNtohU16();
    if (!reader.Ok())
    {
        return false;
    }
    if (numBits == 0 || uint64_t(firstBlock) + numBits > numBlocks)
    {
        reader.Fail("block summary: window [" + std::to_string(firstBlock) + ", +"
                    + std::to_string(numBits) + ") is empty or beyond the file's "
                    + std::to_string(numBlocks) + " blocks");
        return false;
    }
    std::vector<uint8_t> bits = ReadBits(reader, numBits, "block summary bits");
    if (!reader.Ok())
    {
        return false;
    }
    m_numBlocks = numBlocks;
    m_firstBlock = firstBlock;
    m_numBits = numBits;
    m_bits = std::move(bits);
    return true;
}

bool
BlockSummary::operator==(const BlockSummary& other) const
{
    return m_numBlocks == other.m_numBlocks && m_firstBlock == other.m_firstBlock
           && m_numBits == other.m_numBits && m_bits == other.m_bits;
}

// ---------------------------------------------------------------------------- BitmapDiff

BitmapDiff::BitmapDiff() = default;

bool
BitmapDiff::IsEmpty() const
{
    return m_numBits == 0;
}

uint32_t
BitmapDiff::GetNumBlocks() const
{
    return m_numBlocks;
}

uint32_t
BitmapDiff::GetFirstBlock() const
{
    return m_firstBlock;
}

uint32_t
BitmapDiff::GetNumBits() const
{
    return m_numBits;
}

uint32_t
BitmapDiff::Count() const
{
    return PopCount(m_bits);
}

std::vector<uint32_t>
BitmapDiff::GetBlocks() const
{
    std::vector<uint32_t> out;
    for (uint32_t i = 0; i < m_numBits; ++i)
    {
        if (GetBit(m_bits, i))
        {
            out.push_back(m_firstBlock + i);
        }
    }
    return out;
}

bool
BitmapDiff::ApplyTo(BlockBitmap& view) const
{
    if (view.GetNumBlocks() != m_numBlocks)
    {
        return false;
    }
    for (uint32_t b : GetBlocks())
    {
        view.Set(b);
    }
    return true;
}

uint32_t
BitmapDiff::GetSerializedSize() const
{
    return 4 + 4 + 4 + m_bits.size();
}

void
BitmapDiff::Serialize(Buffer::Iterator& it) const
{
    it.WriteHtonU32(m_numBlocks);
    it.WriteHtonU32(m_firstBlock);
    it.WriteHtonU32(m_numBits);
    it.Write(m_bits.data(), m_bits.size());
}

bool
BitmapDiff::Deserialize(WireReader& reader)
{
    uint32_t numBlocks = reader.ReadNtohU32();
    uint32_t firstBlock = reader.ReadNtohU32();
    uint32_t numBits = reader.ReadNtohU32();
    if (!reader.Ok())
    {
        return false;
    }
    if (uint64_t(firstBlock) + numBits > numBlocks || (numBits == 0 && firstBlock != 0))
    {
        reader.Fail("bitmap diff: range [" + std::to_string(firstBlock) + ", +"
                    + std::to_string(numBits) + ") does not fit a file of "
                    + std::to_string(numBlocks) + " blocks");
        return false;
    }
    std::vector<uint8_t> bits = ReadBits(reader, numBits, "bitmap diff bits");
    if (!reader.Ok())
    {
        return false;
    }
    if (numBits > 0 && !(GetBit(bits, 0) && GetBit(bits, numBits - 1)))
    {
        reader.Fail("bitmap diff: range not trimmed to the blocks it announces");
        return false;
    }
    m_numBlocks = numBlocks;
    m_firstBlock = firstBlock;
    m_numBits = numBits;
    m_bits = std::move(bits);
    return true;
}

bool
BitmapDiff::operator==(const BitmapDiff& other) const
{
    return m_numBlocks == other.m_numBlocks && m_firstBlock == other.m_firstBlock
           && m_numBits == other.m_numBits && m_bits == other.m_bits;
}

// ---------------------------------------------------------------------------- BitmapDiffSender

BitmapDiffSender::BitmapDiffSender(uint32_t numBlocks, uint32_t maxBits)
    : m_maxBits(maxBits)
    , m_announced(numBlocks)
{
    NS_LOG_FUNCTION(this << numBlocks << maxBits);
    NS_ASSERT_MSG(maxBits >= 1, "a diff must be able to announce at least one block");
}

uint32_t
BitmapDiffSender::CountPending(const BlockBitmap& have) const
{
    return have.CountNotIn(m_announced);
}

bool
BitmapDiffSender::HasPending(const BlockBitmap& have) const
{
    return CountPending(have) != 0;
}

BitmapDiff
BitmapDiffSender::MakeDiff(const BlockBitmap& have)
{
    NS_LOG_FUNCTION(this);
    NS_ASSERT_MSG(have.GetNumBlocks() == m_announced.GetNumBlocks(), "bitmap of another file");
    BitmapDiff d;
    d.m_numBlocks = have.GetNumBlocks();
    uint32_t n = have.GetNumBlocks();
    uint32_t first = 0;
    while (first < n && !(have.Has(first) && !m_announced.Has(first)))
    {
        ++first;
    }
    if (first == n)
    {
        return d; // nothing pending
    }
    uint32_t limit = static_cast<uint32_t>(std::min<uint64_t>(n, uint64_t(first) + m_maxBits));
    uint32_t last = first;
    for (uint32_t b = first; b < limit; ++b)
    {
        if (have.Has(b) && !m_announced.Has(b))
        {
            last = b;
        }
    }
    d.m_firstBlock = first;
    d.m_numBits = last - first + 1;
    d.m_bits.assign(BytesFor(d.m_numBits), 0);
    for (uint32_t b = first; b <= last; ++b)
    {
        if (have.Has(b) && m_announced.Set(b))
        {
            SetBit(d.m_bits, b - first);
        }
    }
    NS_LOG_LOGIC("diff announces " << d.Count() << " blocks in [" << first << ", " << last << "]");
    return d;
}

const BlockBitmap&
BitmapDiffSender::GetAnnounced() const
{
    return m_announced;
}

} // namespace ns3
