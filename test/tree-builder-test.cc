/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/simulator.h"
#include "ns3/tree-builder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace ns3;

namespace
{

/// Mathis et al.'s simple TCP model: enough to rank overlay links in these tests.
double
SimpleTcpBps(double rtt, double p)
{
    return p <= 0 ? std::numeric_limits<double>::infinity()
                  : 1460 * 8 / (rtt * std::sqrt(2 * p / 3));
}

Ptr<SimulatedNetwork>
Network(uint32_t clients, const std::string& loss)
{
    static const InetTopology topo = InetTopology::Generate({5000, 0, 10000, 9});
    InetAnnotation a;
    a.clients = clients;
    a.bandwidth = "medium";
    a.loss = loss;
    a.seed = 2;
    return TopologyHelper().Build(AnnotateInet(topo, a));
}

} // namespace

TEST(TreeBuilder, RandomTreeIsSpanningAndRespectsFanOut)
{
    for (uint64_t seed = 1; seed <= 5; ++seed)
    {
        TreeSpec t = TreeBuilder::Random(200, 17, 3, seed);
        EXPECT_TRUE(t.IsSpanningTree());
        EXPECT_EQ(t.root, 17u);
        for (const auto& c : t.Children())
        {
            EXPECT_LE(c.size(), 3u);
        }
        EXPECT_GE(t.Depth(), 4u) << "fan-out 3 cannot hold 200 nodes in 3 levels";
    }
    EXPECT_NE(TreeBuilder::Random(50, 0, 12, 1).parent, TreeBuilder::Random(50, 0, 12, 2).parent);
}

TEST(TreeBuilder, ThroughputModelCountsSharedLinks)
{
    Ptr<SimulatedNetwork> net = Network(10, "none");
    OverlayThroughputModel model(net, SimpleTcpBps);
    // Without loss the formula is unbounded: the rate is the route's narrowest link.
    double narrowest = std::numeric_limits<double>::infinity();
    for (const auto& hop : net->GetPath(0, 1))
    {
        narrowest = std::min<double>(narrowest, net->GetLinkRate(hop.link, hop.fromA).GetBitRate());
    }
    EXPECT_DOUBLE_EQ(model.GetThroughputIfAdded(0, 1), narrowest);
    // Two flows out of client 0 share its access link.
    model.AddFlow(0, 1);
    model.AddFlow(0, 2);
    double access
        = net->GetLinkRate(net->GetPath(0, 1)[0].link, net->GetPath(0, 1)[0].fromA).GetBitRate();
    EXPECT_LE(model.GetThroughput(0, 1), access / 2 + 1e-6);
    model.RemoveFlow(0, 2);
    EXPECT_DOUBLE_EQ(model.GetThroughput(0, 1), narrowest);
    Simulator::Destroy();
}

TEST(TreeBuilder, BottleneckTreeBeatsRandomTrees)
{
    for (const std::string loss : {"none", "bullet2003"})
    {
        Ptr<SimulatedNetwork> net = Network(40, loss);
        OverlayThroughputModel model(net, SimpleTcpBps);
        TreeSpec best = TreeBuilder::Bottleneck(model, 0);
        ASSERT_TRUE(best.IsSpanningTree());
        double bestBps = TreeBuilder::EstimateBottleneckBps(model, best);
        for (uint64_t seed = 1; seed <= 5; ++seed)
        {
            TreeSpec random = TreeBuilder::Random(40, 0, 12, seed);
            double randomBps = TreeBuilder::EstimateBottleneckBps(model, random);
            EXPECT_GE(bestBps, randomBps) << loss << " seed " << seed;
        }
        Simulator::Destroy();
    }
}

TEST(TreeBuilder, BottleneckTreeHonoursADegreeLimit)
{
    Ptr<SimulatedNetwork> net = Network(30, "none");
    OverlayThroughputModel model(net, SimpleTcpBps);
    TreeSpec t = TreeBuilder::Bottleneck(model, 3, 2);
    EXPECT_TRUE(t.IsSpanningTree());
    for (const auto& c : t.Children())
    {
        EXPECT_LE(c.size(), 2u);
    }
    Simulator::Destroy();
}
