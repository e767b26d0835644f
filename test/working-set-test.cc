/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "wire-test-util.h"

#include "ns3/working-set.h"

#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <gtest/gtest.h>

#include <iostream>

using namespace ns3;
using namespace bullet_test;

namespace
{

/// The filter a node would have built from scratch over exactly \p ws's packets.
BloomFilter
FreshFilter(const WorkingSet& ws)
{
    CountingBloomFilter f(ws.GetFilter().GetNumCells(), ws.GetFilter().GetNumHashes());
    for (uint32_t s : ws.GetSequences())
    {
        f.Insert(s);
    }
    return f.ToBloomFilter();
}

} // namespace

TEST(WorkingSet, DefaultGeometry)
{
    WorkingSet ws;
    EXPECT_EQ(ws.GetWindow(), WorkingSet::kDefaultWindow);
    // Sized so that a full window meets the target rate: m = 9586, k = 7 for 1000 at 1 %.
    EXPECT_EQ(ws.GetFilter().GetNumCells(), 9586u);
    EXPECT_EQ(ws.GetFilter().GetNumHashes(), 7);
    EXPECT_TRUE(ws.IsEmpty());
    EXPECT_TRUE(ws.GetTicket().IsEmpty());
    EXPECT_EQ(ws.GetTicket().GetNumEntries(), SummaryTicket::kDefaultEntries);
}

TEST(WorkingSet, InsertContainsRange)
{
    WorkingSet ws(100, 0.01);
    EXPECT_TRUE(ws.Insert(10));
    EXPECT_TRUE(ws.Insert(12));
    EXPECT_FALSE(ws.Insert(12)) << "duplicate";
    EXPECT_TRUE(ws.Contains(10));
    EXPECT_FALSE(ws.Contains(11));
    EXPECT_EQ(ws.GetSize(), 2u);
    EXPECT_EQ(ws.GetLow(), 0u);
    EXPECT_EQ(ws.GetHigh(), 12u);
    SequenceRange r = ws.GetRequestRange();
    EXPECT_EQ(r.low, 0u);
    EXPECT_EQ(r.high, 12u);
    // Receiving 150 slides the 100-wide window to [51, 150]: 10 and 12 are cleaned up.
    EXPECT_TRUE(ws.Insert(150));
    EXPECT_EQ(ws.GetLow(), 51u);
    EXPECT_EQ(ws.GetHigh(), 150u);
    EXPECT_FALSE(ws.Contains(10));
    EXPECT_EQ(ws.GetSize(), 1u);
    EXPECT_EQ(ws.GetFilter().GetPopulation(), 1u);
    EXPECT_FALSE(ws.Insert(50)) << "behind the window";
    EXPECT_TRUE(ws.Insert(51));
    // Explicit clean-up; moving low backwards does nothing.
    ws.Advance(140);
    EXPECT_EQ(ws.GetLow(), 140u);
    EXPECT_FALSE(ws.Contains(51));
    ws.Advance(20);
    EXPECT_EQ(ws.GetLow(), 140u);
    // Advancing past everything empties the set; the range stays well formed.
    ws.Advance(1000);
    EXPECT_TRUE(ws.IsEmpty());
    EXPECT_EQ(ws.GetFilter().GetPopulation(), 0u);
    EXPECT_EQ(ws.GetBloomFilter().CountSetBits(), 0u);
    r = ws.GetRequestRange();
    EXPECT_EQ(r.low, 1000u);
    EXPECT_EQ(r.high, 1000u);
    EXPECT_TRUE(ws.GetTicket().IsEmpty());
}

TEST(WorkingSet, PopulationStaysBoundedAsTheWindowSlides)
{
    // A stream of 20000 packets, 15 % lost and 10 % reordered by up to 30 positions. The window
    // keeps 500 sequence numbers, so the filter's population (and with it the false-positive
    // rate) must never exceed what it was sized for, while a filter that kept everything would
    // reach ~17000 keys and answer "yes" to almost anything.
    const uint32_t window = 500;
    WorkingSet ws(window, 0.01);
    boost::random::mt19937 rng(31);
    boost::random::bernoulli_distribution<> lost(0.15);
    boost::random::bernoulli_distribution<> late(0.10);
    boost::random::uniform_int_distribution<uint32_t> delay(1, 30);
    uint32_t maxPopulation = 0;
    double maxExpectedFp = 0;
    for (uint32_t seq = 0; seq < 20000; ++seq)
    {
        if (lost(rng))
        {
            continue;
        }
        uint32_t s = late(rng) && seq >= 30 ? seq - delay(rng) : seq;
        ws.Insert(s);
        uint32_t population = ws.GetFilter().GetPopulation();
        ASSERT_EQ(population, ws.GetSize());
        ASSERT_LE(population, window);
        ASSERT_LT(ws.GetHigh() - ws.GetLow(), window);
        maxPopulation = std::max(maxPopulation, population);
        maxExpectedFp = std::max(maxExpectedFp, ws.GetFilter().GetExpectedFalsePositiveRate());
        if (seq % 997 == 0)
        {
            // Removal left exactly the filter of what is held: nothing held is lost, nothing
            // cleaned up lingers.
            ASSERT_TRUE(ws.GetBloomFilter() == FreshFilter(ws)) << "at " << seq;
            for (uint32_t h : ws.GetSequences())
            {
                ASSERT_TRUE(ws.GetBloomFilter().Contains(h));
            }
        }
    }
    std::cout << "[ working set ] window=" << window << " max population=" << maxPopulation
              << " max expected FP=" << maxExpectedFp << std::endl;
    EXPECT_GT(maxPopulation, window * 8 / 10) << "the window did fill";
    EXPECT_LE(maxExpectedFp, 0.0101);

    // Old sequence numbers behave as absent keys: they match at about the formula's rate.
    BloomFilter wire = ws.GetBloomFilter();
    uint32_t hits = 0;
    const uint32_t old = ws.GetLow();
    for (uint32_t s = 0; s < old; ++s)
    {
        hits += wire.Contains(s);
    }
    double measured = double(hits) / old;
    std::cout << "[ working set ] FP on " << old << " cleaned-up keys=" << measured
              << " formula=" << wire.GetExpectedFalsePositiveRate() << std::endl;
    // ~19500 queries at p <= 0.01: sd <= 0.0007, so 0.01 + 0.005 is a wide margin.
    EXPECT_LT(measured, wire.GetExpectedFalsePositiveRate() + 0.005);
}

TEST(WorkingSet, TicketFollowsTheWindow)
{
    WorkingSet ws(300, 0.01);
    boost::random::mt19937 rng(41);
    boost::random::bernoulli_distribution<> lost(0.3);
    auto scratchTicket = [&ws]() {
        SummaryTicket t(ws.GetTicket().GetPermutations());
        for (uint32_t s : ws.GetSequences())
        {
            t.Insert(s);
        }
        return t;
    };
    for (uint32_t seq = 0; seq < 3000; ++seq)
    {
        if (!lost(rng))
        {
            ws.Insert(seq);
        }
        if (seq % 101 == 0 || seq == 250) // before and after the window first slides
        {
            ASSERT_TRUE(ws.GetTicket() == scratchTicket()) << "at " << seq;
        }
    }
    // A window and the same window later share nothing: the tickets must say so.
    SummaryTicket early = ws.GetTicket();
    for (uint32_t seq = 3000; seq < 3300; ++seq)
    {
        ws.Insert(seq);
    }
    EXPECT_TRUE(ws.GetTicket() == scratchTicket());
    EXPECT_EQ(ws.GetTicket().Resemblance(early), 0.0);
}

TEST(WorkingSet, ExplicitGeometryAndWireDigest)
{
    WorkingSet ws(1000, 4096, 3);
    EXPECT_EQ(ws.GetFilter().GetNumCells(), 4096u);
    EXPECT_EQ(ws.GetFilter().GetNumHashes(), 3);
    for (uint32_t s = 5000; s < 5600; s += 2)
    {
        ws.Insert(s);
    }
    BloomFilter wire = ws.GetBloomFilter();
    EXPECT_EQ(wire.GetPopulation(), 300u);
    ExpectRoundTrip(wire, BloomFilter());
    SequenceRange r = ws.GetRequestRange();
    EXPECT_EQ(r.low, 4599u) << "window of 1000 ending at 5598";
    EXPECT_EQ(r.high, 5598u);
}
