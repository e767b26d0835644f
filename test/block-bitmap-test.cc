/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "wire-test-util.h"

#include "ns3/block-bitmap.h"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <vector>

using namespace ns3;
using namespace bullet_test;

namespace
{

/// A bitmap of \p n blocks holding each of \p blocks.
BlockBitmap
Holding(uint32_t n, const std::vector<uint32_t>& blocks)
{
    BlockBitmap b(n);
    for (uint32_t x : blocks)
    {
        b.Set(x);
    }
    return b;
}

/// \p n blocks in a random order (the order a rarest-random receiver might acquire them).
std::vector<uint32_t>
RandomOrder(boost::random::mt19937& rng, uint32_t n)
{
    std::vector<uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    for (uint32_t i = n; i > 1; --i)
    {
        boost::random::uniform_int_distribution<uint32_t> pick(0, i - 1);
        std::swap(order[i - 1], order[pick(rng)]);
    }
    return order;
}

} // namespace

TEST(BlockBitmap, Basics)
{
    BlockBitmap b(130);
    uint32_t h = 0;
    EXPECT_FALSE(b.GetHighest(h));
    EXPECT_TRUE(b.Set(0));
    EXPECT_FALSE(b.Set(0));
    EXPECT_TRUE(b.Set(64));
    EXPECT_TRUE(b.Set(129));
    EXPECT_EQ(b.Count(), 3u);
    EXPECT_TRUE(b.Has(64));
    EXPECT_FALSE(b.Has(63));
    EXPECT_FALSE(b.Has(500)) << "beyond the file";
    ASSERT_TRUE(b.GetHighest(h));
    EXPECT_EQ(h, 129u);
    EXPECT_EQ(b.GetBlocks(), (std::vector<uint32_t>{0, 64, 129}));
    BlockBitmap other = Holding(130, {0, 1});
    EXPECT_EQ(b.CountNotIn(other), 2u);
    EXPECT_EQ(other.CountNotIn(b), 1u);
    EXPECT_FALSE(b.IsComplete());
    std::vector<uint32_t> all(130);
    std::iota(all.begin(), all.end(), 0);
    EXPECT_TRUE(Holding(130, all).IsComplete());
}

TEST(BlockSummary, ExactWhenTheFileFitsTheBudget)
{
    boost::random::mt19937 rng(1);
    for (uint32_t n : {1u, 9u, 800u, 960u})
    {
        std::vector<uint32_t> order = RandomOrder(rng, n);
        order.resize(n / 3);
        BlockBitmap have = Holding(n, order);
        BlockSummary s = BlockSummary::Make(have);
        EXPECT_TRUE(s.IsExact()) << n;
        EXPECT_EQ(s.GetNumBits(), n);
        EXPECT_LE(s.GetSerializedSize(), 10u + 120u);
        for (uint32_t b = 0; b < n; ++b)
        {
            ASSERT_TRUE(s.Covers(b));
            ASSERT_EQ(s.Has(b), have.Has(b)) << "block " << b;
        }
        EXPECT_EQ(s.Count(), have.Count());
        ExpectRoundTrip(s, BlockSummary());
    }
}

TEST(BlockSummary, LastPortionWhenItDoesNot)
{
    // A 6400-block file (100 MB of 16 KB blocks) does not fit in 960 bits: the summary is
    // the 960-block window ending at the highest block held.
    const uint32_t n = 6400;
    boost::random::mt19937 rng(2);
    std::vector<uint32_t> order = RandomOrder(rng, n);
    BlockBitmap have(n);
    BlockBitmap mine = Holding(n, std::vector<uint32_t>(order.begin() + 3000, order.end()));
    EXPECT_EQ(BlockSummary::Make(have).Count(), 0u) << "nothing held, nothing shown";
    for (uint32_t i = 0; i < 4000; ++i)
    {
        have.Set(order[i]);
        if (i % 250 != 0)
        {
            continue;
        }
        BlockSummary s = BlockSummary::Make(have);
        uint32_t highest = 0;
        ASSERT_TRUE(have.GetHighest(highest));
        EXPECT_FALSE(s.IsExact());
        EXPECT_EQ(s.GetNumBits(), 960u);
        EXPECT_EQ(s.GetSerializedSize(), 10u + 120u) << "120 bytes of bitmap";
        EXPECT_EQ(s.GetFirstBlock(), highest + 1 >= 960 ? highest + 1 - 960 : 0);
        EXPECT_TRUE(s.Has(highest)) << "nonzero: it contains the highest block held";
        uint32_t useful = 0;
        for (uint32_t b = 0; b < n; ++b)
        {
            if (s.Covers(b))
            {
                ASSERT_EQ(s.Has(b), have.Has(b));
                useful += have.Has(b) && !mine.Has(b);
            }
            else
            {
                ASSERT_FALSE(s.Has(b));
            }
        }
        EXPECT_EQ(s.CountUsefulTo(mine), useful);
        ExpectRoundTrip(s, BlockSummary());
    }
    // The budget is a parameter.
    BlockSummary small = BlockSummary::Make(have, 16);
    EXPECT_EQ(small.GetNumBits(), 128u);
    EXPECT_EQ(small.GetSerializedSize(), 10u + 16u);
}

TEST(BlockSummary, EveryTruncationIsRejected)
{
    BlockBitmap have = Holding(6400, {3, 100, 5000, 5001, 5900});
    ExpectEveryTruncationRejected(BlockSummary::Make(have), BlockSummary());
    ExpectEveryTruncationRejected(BlockSummary::Make(Holding(37, {1, 36})), BlockSummary());
}

TEST(BlockSummary, InconsistentFieldsAreRejected)
{
    BlockSummary good = BlockSummary::Make(Holding(100, {0, 50, 99})); // 13 bytes of bits
    std::vector<uint8_t> base = ToBytes(good);
    const BlockSummary blank;
    {
        auto b = base;
        PutU32(b, 0, 99); // the window [0, 100) no longer fits the file
        ExpectInconsistentRejected(b, blank, "window beyond the file");
    }
    {
        auto b = base;
        PutU32(b, 4, 0xfffffff0u); // first + bits overflows 32 bits
        ExpectInconsistentRejected(b, blank, "overflowing window");
    }
    {
        auto b = base;
        PutU16(b, 8, 0);
        b.resize(10);
        ExpectInconsistentRejected(b, blank, "empty window");
    }
    {
        auto b = base;
        b.back() |= 0x10; // bit 100 of a 100-bit window
        ExpectInconsistentRejected(b, blank, "padding bit set");
    }
    BlockSummary target;
    EXPECT_TRUE(FromBytes(base, base.size(), target).ok);
    EXPECT_TRUE(target == good);
}

TEST(BitmapDiff, DiffsReconstructThePeersViewExactly)
{
    // A sender acquires the blocks of a 20000-block file in random order; after every batch it
    // sends its receiver diffs through the wire until nothing is pending. The receiver's view,
    // built only from the decoded diffs, must equal the sender's bitmap after every round, and
    // no block may be announced twice. A 1000-block span limit forces multi-diff rounds.
    const uint32_t n = 20000;
    boost::random::mt19937 rng(3);
    std::vector<uint32_t> order = RandomOrder(rng, n);
    BlockBitmap have(n);
    BlockBitmap view(n);
    BitmapDiffSender sender(n, 1000);
    boost::random::uniform_int_distribution<uint32_t> batch(1, 700);
    uint32_t next = 0;
    uint32_t announced = 0;
    uint32_t diffs = 0;
    uint64_t bytes = 0;
    while (next < n)
    {
        for (uint32_t i = batch(rng); i > 0 && next < n; --i)
        {
            have.Set(order[next++]);
        }
        while (sender.HasPending(have))
        {
            BitmapDiff d = sender.MakeDiff(have);
            ASSERT_FALSE(d.IsEmpty());
            ASSERT_LE(d.GetNumBits(), 1000u);
            std::vector<uint8_t> wire = ToBytes(d);
            bytes += wire.size();
            BitmapDiff got;
            ReadResult r = FromBytes(wire, wire.size(), got);
            ASSERT_TRUE(r.ok) << r.error;
            for (uint32_t b : got.GetBlocks())
            {
                ASSERT_FALSE(view.Has(b)) << "block " << b << " announced twice";
                ASSERT_TRUE(have.Has(b)) << "block " << b << " announced but not held";
            }
            announced += got.Count();
            ASSERT_TRUE(got.ApplyTo(view));
            ++diffs;
        }
        ASSERT_TRUE(view == have) << "after " << next << " blocks";
        ASSERT_TRUE(sender.GetAnnounced() == have);
        ASSERT_EQ(sender.CountPending(have), 0u);
        ASSERT_TRUE(sender.MakeDiff(have).IsEmpty());
    }
    EXPECT_EQ(announced, n);
    EXPECT_TRUE(view.IsComplete());
    std::cout << "[ diffs ] " << diffs << " diffs, " << bytes << " bytes for " << n << " blocks"
              << std::endl;
}

TEST(BitmapDiff, ApplyChecksTheFile)
{
    BlockBitmap have = Holding(50, {4, 7});
    BitmapDiffSender sender(50);
    BitmapDiff d = sender.MakeDiff(have);
    EXPECT_EQ(d.GetFirstBlock(), 4u);
    EXPECT_EQ(d.GetNumBits(), 4u) << "trimmed to [4, 7]";
    EXPECT_EQ(d.GetBlocks(), (std::vector<uint32_t>{4, 7}));
    BlockBitmap wrongFile(51);
    EXPECT_FALSE(d.ApplyTo(wrongFile));
    EXPECT_EQ(wrongFile.Count(), 0u);
}

TEST(BitmapDiff, WireRoundTripAndTruncation)
{
    BitmapDiffSender sender(5000);
    BitmapDiff d = sender.MakeDiff(Holding(5000, {17, 18, 400, 4999}));
    EXPECT_EQ(d.GetSerializedSize(), 12u + (4999 - 17 + 1 + 7) / 8);
    ExpectRoundTrip(d, BitmapDiff());
    ExpectRoundTrip(BitmapDiff(), d); // the empty diff
    ExpectEveryTruncationRejected(d, BitmapDiff());
    ExpectEveryTruncationRejected(BitmapDiff(), d);
}

TEST(BitmapDiff, InconsistentFieldsAreRejected)
{
    BitmapDiffSender sender(100);
    BitmapDiff good = sender.MakeDiff(Holding(100, {10, 12, 20})); // bits [10, 20], 2 bytes
    std::vector<uint8_t> base = ToBytes(good);
    const BitmapDiff blank;
    {
        auto b = base;
        PutU32(b, 0, 20); // file of 20 blocks cannot hold [10, 21)
        ExpectInconsistentRejected(b, blank, "range beyond the file");
    }
    {
        auto b = base;
        PutU32(b, 8, 0); // no bits but a nonzero start
        b.resize(12);
        ExpectInconsistentRejected(b, blank, "empty range with a start");
    }
    {
        auto b = base;
        b[12] &= 0xfe; // first bit (block 10) cleared: range not trimmed
        ExpectInconsistentRejected(b, blank, "untrimmed start");
    }
    {
        auto b = base;
        b[13] &= ~0x04; // last bit (block 20 = bit 10) cleared
        ExpectInconsistentRejected(b, blank, "untrimmed end");
    }
    {
        auto b = base;
        b[13] |= 0x80; // bit 15 of an 11-bit range
        ExpectInconsistentRejected(b, blank, "padding bit set");
    }
    {
        // A huge bit count with few bytes behind it is truncation, found before allocating.
        auto b = base;
        PutU32(b, 0, 0xffffffffu);
        PutU32(b, 8, 0xfffffff0u);
        BitmapDiff target;
        ReadResult r = FromBytes(b, b.size(), target);
        EXPECT_FALSE(r.ok);
        EXPECT_NE(r.error.find("truncated"), std::string::npos) << r.error;
    }
    BitmapDiff target;
    EXPECT_TRUE(FromBytes(base, base.size(), target).ok);
    EXPECT_TRUE(target == good);
}
