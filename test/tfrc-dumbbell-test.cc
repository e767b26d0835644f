/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// TFRC on a dumbbell: utilisation, agreement with the TCP response function under random
// loss, and sharing with TCP NewReno. Each case is one short simulation (about a second of
// wall time in the default build).
#include "ns3/config.h"
#include "ns3/string.h"
#include "ns3/tfrc-dumbbell-scenario.h"
#include "ns3/tfrc-equation.h"

#include <gtest/gtest.h>

using namespace ns3;

TEST(TfrcDumbbell, SingleFlowUsesAtLeast80PercentOfBottleneck)
{
    TfrcDumbbellConfig c;
    c.tcpFlows = 0;
    c.tfrcFlows = 1;
    c.bottleneckRate = "1Mbps";
    c.duration = Seconds(30);
    c.warmup = Seconds(5);
    TfrcDumbbellResult r = RunTfrcDumbbell(c);
    ASSERT_EQ(r.flows.size(), 1u);
    RecordProperty("throughput_kbps", std::to_string(r.flows[0].throughputKbps));
    // Application goodput; the link also carries 45 bytes of headers per 1443-byte payload.
    EXPECT_GE(r.flows[0].throughputKbps, 800) << "of a 1000 kbps bottleneck";
    EXPECT_LE(r.flows[0].throughputKbps, 1000);
    EXPECT_GT(r.flows[0].sendsRejected, 0u) << "a greedy sender must have been held back";
}

TEST(TfrcDumbbell, LossyFlowFollowsTcpResponseFunction)
{
    // 0.5% random loss on a 10 Mbps bottleneck: the loss, not the link, limits the rate
    // (the equation allows about 4 Mbps at a 45 ms RTT).
    TfrcDumbbellConfig c;
    c.tcpFlows = 0;
    c.tfrcFlows = 1;
    c.loss = 0.005;
    c.bottleneckRate = "10Mbps";
    c.duration = Seconds(40);
    c.warmup = Seconds(10);
    TfrcDumbbellResult r = RunTfrcDumbbell(c);
    ASSERT_EQ(r.flows.size(), 1u);
    const TfrcDumbbellFlow& f = r.flows[0];
    ASSERT_GT(f.rttMs, 0);
    ASSERT_GT(f.lossEventRate, 0);
    double formulaKbps
        = TfrcEquation::CalcX(c.segmentSize, f.rttMs / 1000, f.lossEventRate) * 8 / 1000;
    double nominalKbps = TfrcEquation::CalcX(c.segmentSize, f.rttMs / 1000, c.loss) * 8 / 1000;
    RecordProperty("throughput_kbps", std::to_string(f.throughputKbps));
    RecordProperty("formula_kbps", std::to_string(formulaKbps));
    EXPECT_GT(f.throughputKbps, formulaKbps / 2)
        << "RTT " << f.rttMs << " ms, p " << f.lossEventRate;
    EXPECT_LT(f.throughputKbps, formulaKbps * 2);
    EXPECT_GT(f.throughputKbps, nominalKbps / 2) << "against the configured loss rate";
    EXPECT_LT(f.throughputKbps, nominalKbps * 2);
    // Random losses are rarely within one RTT of each other: p stays close to the loss rate.
    EXPECT_GT(f.lossEventRate, c.loss / 2);
    EXPECT_LT(f.lossEventRate, c.loss * 1.5);
    EXPECT_LT(f.throughputKbps, 9000) << "the bottleneck must not be the limit";
}

TEST(TfrcDumbbell, SharesBottleneckWithTcpNewReno)
{
    TfrcDumbbellConfig c;
    c.tcpFlows = 1;
    c.tfrcFlows = 1;
    c.bottleneckRate = "10Mbps";
    c.queuePackets = 25;
    c.duration = Seconds(40);
    c.warmup = Seconds(10);
    TfrcDumbbellResult r = RunTfrcDumbbell(c);
    ASSERT_GT(r.meanTcpKbps, 0);
    ASSERT_GT(r.meanTfrcKbps, 0);
    RecordProperty("friendliness_ratio", std::to_string(r.friendlinessRatio));
    EXPECT_GT(r.friendlinessRatio, 0.5) << "TFRC " << r.meanTfrcKbps << " TCP " << r.meanTcpKbps;
    EXPECT_LT(r.friendlinessRatio, 2.0) << "TFRC " << r.meanTfrcKbps << " TCP " << r.meanTcpKbps;
    EXPECT_GT(r.meanTfrcKbps + r.meanTcpKbps, 8000) << "together they fill the link";
}

/**
 * The 1 Mbps drop-tail dumbbell of doc/tfrc.md, one TCP flow against one TFRC flow, on a
 * 25- and a 10-packet queue: TFRC gets between half and twice TCP's throughput. With exact
 * pacing the paced TFRC packets took the queue's free slots and TCP's back-to-back packets
 * found it full (ratio 7.9 and 7.4 against ns-3's default TCP).
 */
class TfrcFriendliness : public ::testing::TestWithParam<uint32_t>
{
};

TEST_P(TfrcFriendliness, WithinHalfAndTwiceTcpOnOneMbpsDropTail)
{
    TfrcDumbbellConfig c;
    c.tcpFlows = 1;
    c.tfrcFlows = 1;
    c.queuePackets = GetParam();
    c.duration = Seconds(100);
    c.warmup = Seconds(10);
    TfrcDumbbellResult r = RunTfrcDumbbell(c);
    ASSERT_GT(r.meanTcpKbps, 0);
    RecordProperty("friendliness_ratio", std::to_string(r.friendlinessRatio));
    EXPECT_GE(r.friendlinessRatio, 0.5) << "TFRC " << r.meanTfrcKbps << " TCP " << r.meanTcpKbps;
    EXPECT_LE(r.friendlinessRatio, 2.0) << "TFRC " << r.meanTfrcKbps << " TCP " << r.meanTcpKbps;
    EXPECT_GT(r.meanTfrcKbps + r.meanTcpKbps, 850) << "together they fill the 1 Mbps link";
}

INSTANTIATE_TEST_SUITE_P(Queues, TfrcFriendliness, ::testing::Values(25u, 10u));
