/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Which Bloom filter goes with a share of a Bullet receiver's sequence matrix
// (DigestFilterPolicy), without a simulator: the 2003 paper's whole-window filter, and the
// 2008 paper's smaller filter per share (Section 4.3.2.4). A sender tests the filter only for
// packets of its share: there the share's filter must never miss a held packet and must keep
// the window filter's false-positive rate, at a fraction of its bytes.

#include "ns3/digest-filter-policy.h"

#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <gtest/gtest.h>

using namespace ns3;

namespace
{

/// A full window of 2,000 packets (a 20-s window at 800 kbps) with about 70% of them held.
WorkingSet
SeventyPercentHeld(uint32_t seed)
{
    WorkingSet ws(2000, 0.01);
    boost::random::mt19937 rng(seed);
    boost::random::bernoulli_distribution<> held(0.7);
    for (uint32_t seq = 5000; seq < 7000; ++seq)
    {
        if (held(rng))
        {
            ws.Insert(seq);
        }
    }
    return ws;
}

} // namespace

TEST(DigestFilter, TheWindowFilterIsTheWorkingSetsWhateverTheShare)
{
    const WorkingSet ws = SeventyPercentHeld(1);
    const WindowFilter policy;
    for (const RowShare& share : {RowShare{}, RowShare{7, 3, 1}, RowShare{32, 30, 5}})
    {
        EXPECT_EQ(policy.Build(ws, share), ws.GetBloomFilter());
    }
}

TEST(DigestFilter, AShareFilterOfNoRowsOrAllRowsIsTheWindowFilter)
{
    const WorkingSet ws = SeventyPercentHeld(2);
    const ShareFilter policy;
    EXPECT_EQ(policy.Build(ws, RowShare{}), ws.GetBloomFilter());
    EXPECT_EQ(policy.Build(ws, RowShare{1, 0, 1}), ws.GetBloomFilter());
    EXPECT_EQ(policy.Build(ws, RowShare{8, 6, 8}), ws.GetBloomFilter());
}

// For the paper's one row of s and for a run of rows (RowsByDelivery): every held packet of
// the share is in the filter, the filter has count/rows of the window filter's cells, and
// over the share's packets it answers as the window filter does up to its false positives.
TEST(DigestFilter, AShareFilterHoldsTheSharesPacketsInAFractionOfTheBytes)
{
    const ShareFilter policy;
    for (uint32_t seed = 1; seed <= 5; ++seed)
    {
        const WorkingSet ws = SeventyPercentHeld(seed);
        const BloomFilter window = ws.GetBloomFilter();
        for (const RowShare& share : {RowShare{7, 3, 1}, RowShare{10, 9, 1}, RowShare{32, 30, 5}})
        {
            const BloomFilter f = policy.Build(ws, share);
            const uint32_t expectedCells
                = (window.GetNumBits() * share.count + share.rows - 1) / share.rows;
            EXPECT_EQ(f.GetNumBits(), expectedCells);
            EXPECT_EQ(f.GetNumHashes(), window.GetNumHashes());
            uint32_t inShare = 0;
            uint32_t absent = 0;
            uint32_t falsePositives = 0;
            for (uint32_t seq = 5000; seq < 7000; ++seq)
            {
                if (!share.Contains(seq))
                {
                    continue;
                }
                if (ws.Contains(seq))
                {
                    ++inShare;
                    EXPECT_TRUE(f.Contains(seq)) << "held packet " << seq << " missing";
                }
                else
                {
                    ++absent;
                    falsePositives += f.Contains(seq);
                }
            }
            EXPECT_EQ(f.GetPopulation(), inShare) << "the share's held packets, no others";
            // The window filter's target is 1% at a full window; this one is 70% full. Over
            // a few hundred absent packets, 4% allows for chance.
            EXPECT_LE(falsePositives, std::max<uint32_t>(2, absent * 4 / 100))
                << falsePositives << " of " << absent << " absent packets";
        }
    }
}

TEST(DigestFilter, AShareFilterCostsAboutOneSthOfTheWindowFiltersBytes)
{
    const WorkingSet ws = SeventyPercentHeld(9);
    const uint32_t window = ws.GetBloomFilter().GetSerializedSize();
    for (uint16_t s = 2; s <= 10; ++s)
    {
        const uint32_t bytes = ShareFilter().Build(ws, RowShare{s, 0, 1}).GetSerializedSize();
        EXPECT_LE(bytes, window / s + 10) << s << " rows";
    }
}
