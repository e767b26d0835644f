/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/tfrc-loss-history.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

double
FixedFirstInterval(double v, Time)
{
    return v;
}

/// Feeds sequence numbers 'from'..'to' (inclusive) except those in 'skip', one every 10 ms.
/// Returns how many arrivals reported a new loss event.
int
Feed(TfrcLossHistory& h, uint64_t from, uint64_t to, std::initializer_list<uint64_t> skip,
     Time rtt = MilliSeconds(100))
{
    int events = 0;
    for (uint64_t s = from; s <= to; ++s)
    {
        if (std::find(skip.begin(), skip.end(), s) != skip.end())
        {
            continue;
        }
        events += h.OnPacket(s, MilliSeconds(10 * s), rtt) ? 1 : 0;
    }
    return events;
}

} // namespace

TEST(TfrcLossHistory, WeightsAreRfcWeights)
{
    std::vector<double> w = TfrcLossHistory::Weights(8);
    std::vector<double> expected{1, 1, 1, 1, 0.8, 0.6, 0.4, 0.2};
    ASSERT_EQ(w.size(), expected.size());
    for (size_t i = 0; i < w.size(); ++i)
    {
        EXPECT_NEAR(w[i], expected[i], 1e-12) << "w_" << i;
    }
}

// I_0 = 10 (short open interval), I_1..I_8 = 100:
//   I_tot0 = 10 + 100*(1+1+1+0.8+0.6+0.4+0.2) = 510, I_tot1 = 100*6 = 600, W_tot = 6
//   -> I_tot1 wins: a fresh loss event does not count until its interval is closed.
TEST(TfrcLossHistory, ShortOpenIntervalIsIgnored)
{
    std::vector<double> v{10, 100, 100, 100, 100, 100, 100, 100, 100};
    EXPECT_NEAR(TfrcLossHistory::MeanInterval(v, 8), 100, 1e-9);
}

// I_0 = 400: I_tot0 = 400 + 100*5 = 900 -> 150 > 100: a long loss-free run raises I_mean at
// once, before the interval closes.
TEST(TfrcLossHistory, LongOpenIntervalCounts)
{
    std::vector<double> v{400, 100, 100, 100, 100, 100, 100, 100, 100};
    EXPECT_NEAR(TfrcLossHistory::MeanInterval(v, 8), 150, 1e-9);
}

// Unequal intervals, to check that weights are paired with the right ages:
//   I_tot1 = 10+20+30+40 + 0.8*50+0.6*60+0.4*70+0.2*80 = 220 -> 36.667
//   I_tot0 = 0+10+20+30 + 0.8*40+0.6*50+0.4*60+0.2*70  = 160 -> 26.667
TEST(TfrcLossHistory, WeightsFollowAge)
{
    std::vector<double> v{0, 10, 20, 30, 40, 50, 60, 70, 80};
    EXPECT_NEAR(TfrcLossHistory::MeanInterval(v, 8), 220.0 / 6, 1e-9);
    std::vector<double> w{100, 10, 20, 30, 40, 50, 60, 70, 80};
    // I_tot0 = 100+10+20+30 + 0.8*40+0.6*50+0.4*60+0.2*70 = 260 -> 43.33 > 36.67
    EXPECT_NEAR(TfrcLossHistory::MeanInterval(w, 8), 260.0 / 6, 1e-9);
}

// Fewer closed intervals than n: only k weights are used.
//   {I_0=50, I_1=100, I_2=200}: I_tot0 = 150, I_tot1 = 300, W_tot = 2 -> 150
TEST(TfrcLossHistory, PartialHistoryUsesKWeights)
{
    EXPECT_NEAR(TfrcLossHistory::MeanInterval({50, 100, 200}, 8), 150, 1e-9);
    EXPECT_EQ(TfrcLossHistory::MeanInterval({50}, 8), 0);
}

TEST(TfrcLossHistory, NoLossNoEvent)
{
    TfrcLossHistory h;
    EXPECT_EQ(Feed(h, 0, 500, {}), 0);
    EXPECT_EQ(h.GetLossEventRate(), 0);
    EXPECT_TRUE(h.GetIntervals().empty());
}

TEST(TfrcLossHistory, ReorderingIsNotLoss)
{
    TfrcLossHistory h;
    Time rtt = MilliSeconds(100);
    uint64_t order[] = {0, 1, 3, 4, 2, 5, 6, 7, 9, 10, 8, 11, 12, 13, 14};
    int t = 0;
    for (uint64_t s : order)
    {
        EXPECT_FALSE(h.OnPacket(s, MilliSeconds(10 * t++), rtt)) << "seq " << s;
    }
    EXPECT_EQ(h.GetLostPackets(), 0u);
    EXPECT_EQ(h.GetLossEventRate(), 0);
}

TEST(TfrcLossHistory, LossNeedsExactlyNdupackLaterPackets)
{
    TfrcLossHistory h(8, 3);
    h.SetFirstIntervalCallback(MakeBoundCallback(&FixedFirstInterval, 50.0));
    EXPECT_EQ(Feed(h, 0, 9, {}), 0);
    Time rtt = MilliSeconds(100);
    EXPECT_FALSE(h.OnPacket(11, MilliSeconds(110), rtt));
    EXPECT_FALSE(h.OnPacket(12, MilliSeconds(120), rtt));
    EXPECT_EQ(h.GetLostPackets(), 0u);
    EXPECT_TRUE(h.OnPacket(13, MilliSeconds(130), rtt)); // third later packet
    EXPECT_EQ(h.GetLostPackets(), 1u);
    EXPECT_EQ(h.GetLossEventCount(), 1u);
    // I_0 = 13 - 10 + 1 = 4 packets since the loss; I_1 = synthesised 50.
    std::vector<double> iv = h.GetIntervals();
    ASSERT_EQ(iv.size(), 2u);
    EXPECT_EQ(iv[0], 4);
    EXPECT_EQ(iv[1], 50);
    EXPECT_NEAR(h.GetLossEventRate(), 1.0 / 50, 1e-12);
}

TEST(TfrcLossHistory, LateArrivalBeforeNdupackCancelsLoss)
{
    TfrcLossHistory h(8, 3);
    Feed(h, 0, 9, {});
    Time rtt = MilliSeconds(100);
    h.OnPacket(11, MilliSeconds(110), rtt);
    h.OnPacket(12, MilliSeconds(120), rtt);
    h.OnPacket(10, MilliSeconds(125), rtt); // the "hole" arrives late
    EXPECT_FALSE(h.OnPacket(13, MilliSeconds(130), rtt));
    EXPECT_EQ(h.GetLostPackets(), 0u);
}

TEST(TfrcLossHistory, LossesWithinOneRttAreOneEvent)
{
    // Packets every 10 ms, RTT 100 ms. Losses at 10 and 15 (50 ms apart): one event.
    // Loss at 40 (300 ms after the event start): a new event, closing I_1 = 40 - 10 = 30.
    TfrcLossHistory h(8, 3);
    h.SetFirstIntervalCallback(MakeBoundCallback(&FixedFirstInterval, 50.0));
    EXPECT_EQ(Feed(h, 0, 30, {10, 15}), 1);
    EXPECT_EQ(h.GetLostPackets(), 2u);
    EXPECT_EQ(h.GetLossEventCount(), 1u);
    EXPECT_EQ(Feed(h, 31, 60, {40}), 1);
    EXPECT_EQ(h.GetLossEventCount(), 2u);
    std::vector<double> iv = h.GetIntervals();
    ASSERT_EQ(iv.size(), 3u);
    EXPECT_EQ(iv[0], 60 - 40 + 1);
    EXPECT_EQ(iv[1], 30);
    EXPECT_EQ(iv[2], 50);
    // With a shorter RTT the same pattern is two events at 10 and 15.
    TfrcLossHistory g(8, 3);
    g.SetFirstIntervalCallback(MakeBoundCallback(&FixedFirstInterval, 50.0));
    EXPECT_EQ(Feed(g, 0, 30, {10, 15}, MilliSeconds(20)), 2);
    EXPECT_EQ(g.GetIntervals()[1], 5);
}

TEST(TfrcLossHistory, KeepsNClosedIntervals)
{
    TfrcLossHistory h(8, 3);
    h.SetFirstIntervalCallback(MakeBoundCallback(&FixedFirstInterval, 100.0));
    // Every 100th packet lost, 1 s apart: 12 events.
    for (uint64_t e = 1; e <= 12; ++e)
    {
        Feed(h, (e - 1) * 100 + (e == 1 ? 0 : 1), e * 100, {e * 100 - 50});
    }
    EXPECT_EQ(h.GetLossEventCount(), 12u);
    std::vector<double> iv = h.GetIntervals();
    ASSERT_EQ(iv.size(), 9u); // I_0 + 8 closed
    for (size_t i = 1; i < iv.size(); ++i)
    {
        EXPECT_EQ(iv[i], 100) << "I_" << i;
    }
    EXPECT_NEAR(h.GetLossEventRate(), 0.01, 1e-12); // periodic loss: p = 1/100
}

TEST(TfrcLossHistory, FirstIntervalComesFromCallback)
{
    TfrcLossHistory h(8, 3);
    h.SetFirstIntervalCallback(MakeCallback(+[](Time t) {
        return 1000.0;
    }));
    Feed(h, 0, 30, {20});
    EXPECT_NEAR(h.GetLossEventRate(), 1e-3, 1e-12);
}

TEST(TfrcLossHistory, HugeGapDoesNotExplode)
{
    TfrcLossHistory h(8, 3);
    h.OnPacket(0, Seconds(0), MilliSeconds(100));
    h.OnPacket(1000000000ULL, Seconds(1), MilliSeconds(100));
    h.OnPacket(1000000001ULL, Seconds(1.1), MilliSeconds(100));
    h.OnPacket(1000000002ULL, Seconds(1.2), MilliSeconds(100));
    EXPECT_GT(h.GetLostPackets(), 0u);
    EXPECT_GT(h.GetLossEventRate(), 0);
}
