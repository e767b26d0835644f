/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/tfrc-equation.h"
#include "ns3/tfrc-header.h"
#include "ns3/tfrc-receiver.h"
#include "ns3/tfrc-sender.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace ns3;

namespace
{

/// Feedback that yields an RTT sample of exactly \p rtt when it arrives at \p now.
TfrcFeedbackHeader
Feedback(Time now, Time rtt, double xRecv, double p)
{
    TfrcFeedbackHeader fb;
    fb.SetDelay(MicroSeconds(1000));
    fb.SetTimestampEcho(now - rtt - MicroSeconds(1000));
    fb.SetReceiveRate(xRecv);
    fb.SetLossEventRate(p);
    return fb;
}

} // namespace

TEST(TfrcSender, StartsAtOnePacketPerSecondWithTwoSecondTimer)
{
    TfrcSender s;
    EXPECT_DOUBLE_EQ(s.GetRate(), 1460);
    EXPECT_FALSE(s.HasRttSample());
    EXPECT_EQ(s.GetNoFeedbackTimeout(), Seconds(2));
}

TEST(TfrcSender, FirstFeedbackSetsInitialWindowRate)
{
    TfrcSender s; // s = 1460: W_init = min(4*1460, max(2*1460, 4380)) = 4380
    s.OnFeedback(Seconds(1), Feedback(Seconds(1), MilliSeconds(100), 1e9, 0), false);
    EXPECT_EQ(s.GetRtt(), MilliSeconds(100));
    EXPECT_NEAR(s.GetRate(), 4380 / 0.1, 1e-6);

    TfrcSenderConfig small;
    small.segmentSize = 500; // W_init = min(2000, max(1000, 4380)) = 2000
    TfrcSender t(small);
    t.OnFeedback(Seconds(1), Feedback(Seconds(1), MilliSeconds(100), 1e9, 0), false);
    EXPECT_NEAR(t.GetRate(), 2000 / 0.1, 1e-6);
}

TEST(TfrcSender, RttIsSmoothedWithQ)
{
    TfrcSender s;
    s.OnFeedback(Seconds(1), Feedback(Seconds(1), MilliSeconds(100), 1e9, 0), false);
    s.OnFeedback(Seconds(2), Feedback(Seconds(2), MilliSeconds(200), 1e9, 0), false);
    EXPECT_NEAR(s.GetRtt().GetSeconds(), 0.9 * 0.1 + 0.1 * 0.2, 1e-9);
}

TEST(TfrcSender, SlowStartDoublesOncePerRttCappedByTwiceReceiveRate)
{
    TfrcSender s;
    Time now = Seconds(1);
    Time r = MilliSeconds(100);
    s.OnFeedback(now, Feedback(now, r, 1e9, 0), false);
    double x0 = s.GetRate();
    // Half an RTT later: no doubling yet.
    now += MilliSeconds(50);
    s.OnFeedback(now, Feedback(now, r, 1e9, 0), false);
    EXPECT_DOUBLE_EQ(s.GetRate(), x0);
    // One RTT after the last doubling: doubled.
    now += MilliSeconds(60);
    s.OnFeedback(now, Feedback(now, r, 1e9, 0), false);
    EXPECT_NEAR(s.GetRate(), 2 * x0, 1e-6);
    // Receiver saw only 50000 B/s over the last two RTTs -> X <= 2*X_recv... but never below
    // W_init/R. Let the large X_recv values age out first (older than 2R).
    now += Seconds(1);
    s.OnFeedback(now, Feedback(now, r, 50000, 0), false);
    EXPECT_NEAR(s.GetRate(), 100000, 1e-6);
}

TEST(TfrcSender, WithLossFollowsEquationBoundedByReceiveRate)
{
    TfrcSender s;
    Time now = Seconds(1);
    Time r = MilliSeconds(100);
    s.OnFeedback(now, Feedback(now, r, 1e9, 0), false);
    now += Seconds(1);
    s.OnFeedback(now, Feedback(now, r, 1e9, 0.01), false);
    double r2 = s.GetRtt().GetSeconds();
    EXPECT_NEAR(s.GetRate(), TfrcEquation::CalcX(1460, r2, 0.01), 1e-6);
    // A low X_recv (after the old values aged out) bounds it to 2*X_recv.
    now += Seconds(1);
    s.OnFeedback(now, Feedback(now, r, 1000, 0.01), false);
    EXPECT_NEAR(s.GetRate(), 2000, 1e-6);
    // Never below s/t_mbi.
    now += Seconds(1);
    s.OnFeedback(now, Feedback(now, r, 1, 0.01), false);
    EXPECT_NEAR(s.GetRate(), 1460 / 64.0, 1e-9);
}

TEST(TfrcSender, NoFeedbackTimerHalvesDownToMinimum)
{
    TfrcSender s;
    s.OnNoFeedbackTimer(Seconds(2), false);
    EXPECT_DOUBLE_EQ(s.GetRate(), 730);
    for (int i = 0; i < 20; ++i)
    {
        s.OnNoFeedbackTimer(Seconds(4 + 2 * i), false);
    }
    EXPECT_NEAR(s.GetRate(), 1460 / 64.0, 1e-9);
}

TEST(TfrcSender, NoFeedbackWithLossUsesUpdateLimits)
{
    TfrcSender s;
    Time now = Seconds(1);
    Time r = MilliSeconds(100);
    s.OnFeedback(now, Feedback(now, r, 1e9, 0), false);
    now += Seconds(1);
    s.OnFeedback(now, Feedback(now, r, 200000, 0.01), false);
    double xBps = s.GetEquationRate(); // ~ 150 kB/s
    double before = s.GetRate();
    ASSERT_LT(xBps, 2 * 200000);
    s.OnNoFeedbackTimer(now + Seconds(1), false);
    // X_Bps <= 2*X_recv: limit is X_Bps/2.
    EXPECT_NEAR(s.GetRate(), xBps / 2, 1e-6);
    EXPECT_LT(s.GetRate(), before);
}

TEST(TfrcSender, DataLimitedSenderKeepsMaxReceiveRateAndDecaysItOnLoss)
{
    TfrcSender s;
    s.OnFeedback(Seconds(1), Feedback(Seconds(1), MilliSeconds(100), 40000, 0), false);
    EXPECT_NEAR(s.GetRate(), 43800, 1e-6);
    // Data-limited: the low X_recv (the application sent little) does not pull the limit
    // down; X_recv_set collapses to its maximum, 40000, and the limit is twice that.
    s.OnFeedback(Seconds(1.5), Feedback(Seconds(1.5), MilliSeconds(100), 10000, 0), true);
    EXPECT_NEAR(s.GetRate(), 80000, 1e-6);
    // A new loss in a data-limited interval halves what is remembered (20000) and, for this
    // round, the limit is max(X_recv_set) itself, not twice it.
    s.OnFeedback(Seconds(2), Feedback(Seconds(2), MilliSeconds(100), 10000, 0.01), true);
    EXPECT_NEAR(s.GetRate(), 20000, 1e-6);
}

TEST(TfrcSender, IdleSenderNearInitialRateIsNotCut)
{
    TfrcSender s;
    Time now = Seconds(1);
    s.OnFeedback(now, Feedback(now, MilliSeconds(100), 1e9, 0), false);
    double init = s.GetRate(); // W_init/R: the recover rate
    s.OnNoFeedbackTimer(now + Seconds(1), true);
    EXPECT_DOUBLE_EQ(s.GetRate(), init) << "idle, p == 0 and X < 2*recover_rate: kept";
    s.OnNoFeedbackTimer(now + Seconds(2), false);
    EXPECT_DOUBLE_EQ(s.GetRate(), init / 2) << "not idle: halved";

    // Before any feedback an idle sender keeps its rate too.
    TfrcSender t;
    t.OnNoFeedbackTimer(Seconds(2), true);
    EXPECT_DOUBLE_EQ(t.GetRate(), 1460);
}

TEST(TfrcSender, NoFeedbackTimeoutIsMaxOfFourRttAndTwoPackets)
{
    TfrcSender s;
    Time now = Seconds(1);
    s.OnFeedback(now, Feedback(now, MilliSeconds(100), 1e9, 0), false);
    // X = 43800 B/s: 2s/X = 67 ms < 4R = 400 ms
    EXPECT_EQ(s.GetNoFeedbackTimeout(), MilliSeconds(400));
    for (int i = 0; i < 8; ++i)
    {
        s.OnNoFeedbackTimer(now + Seconds(i), false);
    }
    // X = 43800/256 = 171 B/s: 2s/X = 17 s
    EXPECT_NEAR(s.GetNoFeedbackTimeout().GetSeconds(), 2 * 1460 / s.GetRate(), 1e-6);
}

TEST(TfrcReceiver, FeedbackCarriesRateAndTiming)
{
    TfrcReceiver r;
    TfrcDataHeader h;
    h.SetRtt(MilliSeconds(100));
    bool urgent = false;
    for (uint32_t i = 0; i < 10; ++i)
    {
        h.SetSequence(i);
        h.SetTimestamp(MilliSeconds(10 * i));
        urgent = r.OnData(MilliSeconds(10 * i + 30), h, 1000);
        EXPECT_EQ(urgent, i == 0) << "only the first packet asks for feedback at once";
        if (i == 0)
        {
            TfrcFeedbackHeader first = r.MakeFeedback(MilliSeconds(30));
            EXPECT_EQ(first.GetTimestampEcho(), Time(0));
        }
    }
    TfrcFeedbackHeader fb = r.MakeFeedback(MilliSeconds(130));
    EXPECT_EQ(fb.GetTimestampEcho(), MilliSeconds(90));
    EXPECT_EQ(fb.GetDelay(), MilliSeconds(10));
    // 9 packets of 1000 B in the 100 ms since the first feedback.
    EXPECT_NEAR(fb.GetReceiveRate(), 90000, 1);
    EXPECT_EQ(fb.GetLossEventRate(), 0);
    EXPECT_FALSE(r.HasDataSinceFeedback());
}

TEST(TfrcReceiver, NewLossEventAsksForFeedbackAndSynthesisesFirstInterval)
{
    TfrcReceiver r;
    TfrcDataHeader h;
    Time rtt = MilliSeconds(100);
    h.SetRtt(rtt);
    // 1000-byte packets every 10 ms: 100 kB/s. Packet 50 is lost.
    bool sawUrgent = false;
    for (uint32_t i = 1; i < 60; ++i)
    {
        if (i == 50)
        {
            continue;
        }
        h.SetSequence(i);
        h.SetTimestamp(MilliSeconds(10 * i));
        bool urgent = r.OnData(MilliSeconds(10 * i + 20), h, 1000);
        if (i == 1)
        {
            r.MakeFeedback(MilliSeconds(30));
            continue;
        }
        if (urgent)
        {
            EXPECT_EQ(i, 53u) << "loss is declared on the third later packet";
            sawUrgent = true;
        }
    }
    EXPECT_TRUE(sawUrgent);
    // The first interval is 1/p for the p at which the equation gives the receive rate of
    // the last RTT: arrivals in (450 ms, 550 ms] are packets 44..53 without 50, 90 kB/s.
    // With one closed interval, p is exactly that synthesised 1/I_1.
    double p = r.GetLossEventRate();
    ASSERT_GT(p, 0);
    double expectedP = TfrcEquation::InvertForP(1000, 0.1, 90000);
    EXPECT_NEAR(p, expectedP, 1e-3 * expectedP);
    EXPECT_GT(p, TfrcEquation::InvertForP(1000, 0.1, 100000)); // a lower rate means more loss
}

TEST(TfrcSender, OscillationPreventionPacesBelowXWhileTheRttSampleExceedsItsAverage)
{
    TfrcSenderConfig c;
    c.oscillationPrevention = true;
    TfrcSender on(c);
    TfrcSender off; // the default: pace at X
    for (TfrcSender* s : {&on, &off})
    {
        s->OnFeedback(Seconds(1), Feedback(Seconds(1), MilliSeconds(100), 1e9, 0), false);
    }
    // One sample: R_sqmean = sqrt(R_sample), X_inst = X.
    EXPECT_NEAR(on.GetPacingRate(), on.GetRate(), 1e-9 * on.GetRate());
    // A sample of 400 ms against an average near sqrt(0.1): X_inst = X * R_sqmean / sqrt(0.4).
    for (TfrcSender* s : {&on, &off})
    {
        s->OnFeedback(Seconds(2), Feedback(Seconds(2), MilliSeconds(400), 1e9, 0.01), false);
    }
    const double sqmean = 0.9 * std::sqrt(0.1) + 0.1 * std::sqrt(0.4);
    EXPECT_NEAR(on.GetPacingRate(), on.GetRate() * sqmean / std::sqrt(0.4), 1e-6 * on.GetRate());
    EXPECT_LT(on.GetPacingRate(), 0.6 * on.GetRate());
    EXPECT_EQ(on.GetInterPacketInterval(1460), Seconds(1460 / on.GetPacingRate()));
    EXPECT_DOUBLE_EQ(off.GetPacingRate(), off.GetRate());
    // A sample below the average speeds the pacing up.
    on.OnFeedback(Seconds(3), Feedback(Seconds(3), MilliSeconds(50), 1e9, 0.01), false);
    EXPECT_GT(on.GetPacingRate(), on.GetRate());
}
