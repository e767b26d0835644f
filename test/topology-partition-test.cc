/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/inet-topology.h"
#include "ns3/topology-partition.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

using namespace ns3;

namespace
{

const TopologySpec&
Spec()
{
    static const TopologySpec spec = [] {
        InetAnnotation a;
        a.clients = 200;
        a.seed = 3;
        return AnnotateInet(InetTopology::Generate({3037, 0, 10000, 21}), a);
    }();
    return spec;
}

/// Checks what every partition must hold: each vertex on one rank, the reported cut, lookahead
/// and per-rank totals recomputed by brute force, and no link shorter than the smallest
/// lookahead cut.
void
ExpectConsistent(const TopologySpec& spec, const TopologyPartition& part, const PartitionParams& p)
{
    ASSERT_EQ(part.rankOf.size(), spec.GetNVertices());
    EXPECT_EQ(part.ranks, p.ranks);
    uint32_t cut = 0;
    double lookahead = INFINITY;
    for (const LinkSpec& l : spec.links)
    {
        if (part.rankOf[l.a] != part.rankOf[l.b])
        {
            ++cut;
            lookahead = std::min(lookahead, l.delayMs);
            EXPECT_GE(l.delayMs, p.minLookaheadMs) << "link " << l.a << "-" << l.b << " was cut";
        }
    }
    EXPECT_EQ(part.cutLinks, cut);
    EXPECT_EQ(part.lookaheadMs, lookahead);
    std::vector<uint64_t> weight(p.ranks, 0);
    std::vector<uint32_t> clients(p.ranks, 0);
    for (uint32_t v = 0; v < spec.GetNVertices(); ++v)
    {
        ASSERT_LT(part.rankOf[v], p.ranks);
        weight[part.rankOf[v]] += part.weightOf[v];
        clients[part.rankOf[v]] += v >= spec.nRouters;
    }
    EXPECT_EQ(part.rankWeight, weight);
    EXPECT_EQ(part.rankClients, clients);
    EXPECT_EQ(std::accumulate(part.rankVertices.begin(), part.rankVertices.end(), 0u),
              spec.GetNVertices());
}

} // namespace

TEST(TopologyPartition, WeightsAreLinkEndsPlusTheClientsWork)
{
    PartitionParams p;
    p.clientWeight = 7;
    auto part = PartitionTopology(Spec(), p);
    std::vector<uint64_t> ends(Spec().GetNVertices(), 0);
    for (const LinkSpec& l : Spec().links)
    {
        ++ends[l.a];
        ++ends[l.b];
    }
    for (uint32_t v = 0; v < Spec().GetNVertices(); ++v)
    {
        EXPECT_EQ(part.weightOf[v], ends[v] + (v >= Spec().nRouters ? 7 : 0));
    }
}

TEST(TopologyPartition, EveryMethodGivesAConsistentBalancedSplit)
{
    for (const std::string& method : PartitionParams::Methods())
    {
        for (uint32_t ranks : {2u, 4u})
        {
            SCOPED_TRACE(method + " on " + std::to_string(ranks) + " ranks");
            PartitionParams p;
            p.method = method;
            p.ranks = ranks;
            auto part = PartitionTopology(Spec(), p);
            ExpectConsistent(Spec(), part, p);
            EXPECT_GT(part.cutLinks, 0u);
            EXPECT_GE(part.lookaheadMs, p.minLookaheadMs);
            EXPECT_LE(part.Imbalance(), 1.10);
            if (method == "metis")
            {
                // (A breadth-first order puts most clients, the deepest vertices, last: the
                // weights balance, the clients need not.)
                for (uint32_t r = 0; r < ranks; ++r)
                {
                    EXPECT_GT(part.rankClients[r], 0u) << "rank " << r << " has no client";
                }
            }
        }
    }
}

TEST(TopologyPartition, MetisCutsFewerLinksThanTheBreadthFirstSplit)
{
    for (uint32_t ranks : {2u, 4u})
    {
        PartitionParams p;
        p.ranks = ranks;
        p.method = "bfs";
        auto bfs = PartitionTopology(Spec(), p);
        p.method = "metis";
        auto metis = PartitionTopology(Spec(), p);
        EXPECT_LT(metis.cutLinks, bfs.cutLinks) << ranks << " ranks";
    }
}

TEST(TopologyPartition, LinksShorterThanTheSmallestLookaheadAreNeverCut)
{
    // The median link delay as the floor: half the links must stay inside a rank.
    std::vector<double> delays;
    for (const LinkSpec& l : Spec().links)
    {
        delays.push_back(l.delayMs);
    }
    std::nth_element(delays.begin(), delays.begin() + delays.size() / 2, delays.end());
    PartitionParams p;
    p.minLookaheadMs = delays[delays.size() / 2];
    ASSERT_GT(p.minLookaheadMs, 1);
    for (const std::string& method : PartitionParams::Methods())
    {
        SCOPED_TRACE(method);
        p.method = method;
        auto part = PartitionTopology(Spec(), p);
        ExpectConsistent(Spec(), part, p);
        EXPECT_LT(part.groups, Spec().GetNVertices());
    }
}

TEST(TopologyPartition, OneRankCutsNothingAndTheSameSeedGivesTheSameSplit)
{
    PartitionParams p;
    p.ranks = 1;
    auto one = PartitionTopology(Spec(), p);
    EXPECT_EQ(one.cutLinks, 0u);
    EXPECT_TRUE(std::isinf(one.lookaheadMs));
    EXPECT_DOUBLE_EQ(one.Imbalance(), 1.0);
    p.ranks = 2;
    EXPECT_EQ(PartitionTopology(Spec(), p).rankOf, PartitionTopology(Spec(), p).rankOf);
}

TEST(TopologyPartition, BadRequestsAreRefusedWithTheReason)
{
    PartitionParams p;
    p.method = "scotch";
    EXPECT_THROW(PartitionTopology(Spec(), p), std::invalid_argument);
    p = PartitionParams();
    p.ranks = 0;
    EXPECT_THROW(PartitionTopology(Spec(), p), std::invalid_argument);
    p = PartitionParams();
    p.minLookaheadMs = -1;
    EXPECT_THROW(PartitionTopology(Spec(), p), std::invalid_argument);
    // Every link shorter than the floor: one group, which two ranks cannot share.
    p = PartitionParams();
    p.minLookaheadMs = 1e9;
    try
    {
        PartitionTopology(Spec(), p);
        FAIL() << "two ranks for one group of vertices";
    }
    catch (const std::invalid_argument& e)
    {
        EXPECT_NE(std::string(e.what()).find("1 groups"), std::string::npos) << e.what();
    }
}
