/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The ransub-subsets program's statistics (helper/experiments/ransub-subsets.h), without a
// simulator: the chi-square tail, the tests, and the ledger of eligible populations, expected
// appearances and epoch-to-epoch variances.

#include "ns3/ransub-subsets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

using namespace ns3;

TEST(ChiSquare, SurvivalMatchesTablesAndClosedForms)
{
    // Critical values of chi-square tables.
    EXPECT_NEAR(ChiSquare::Survival(3.841, 1), 0.05, 1e-4);
    EXPECT_NEAR(ChiSquare::Survival(6.635, 1), 0.01, 1e-4);
    EXPECT_NEAR(ChiSquare::Survival(43.82, 19), 0.001, 2e-5);
    EXPECT_NEAR(ChiSquare::Survival(56.89, 28), 0.001, 2e-5);
    EXPECT_NEAR(ChiSquare::Survival(66.34, 49), 0.05, 1e-3);
    EXPECT_NEAR(ChiSquare::Survival(74.92, 49), 0.01, 2e-4);
    // Two degrees of freedom: exactly exp(-x / 2), on both sides of the series' range.
    for (double x : {0.1, 1.0, 2.5, 4.0, 10.0, 60.0})
    {
        EXPECT_NEAR(ChiSquare::Survival(x, 2), std::exp(-x / 2), 1e-12) << x;
    }
    EXPECT_EQ(ChiSquare::Survival(0, 5), 1.0);
    EXPECT_LT(ChiSquare::Survival(330, 49), 1e-40);
    EXPECT_GT(ChiSquare::Survival(330, 49), 0.0);
    EXPECT_THROW(ChiSquare::Survival(1, 0), std::invalid_argument);
}

TEST(ChiSquare, PearsonAndMeasuredVariance)
{
    // Cells with no expected count are left out, and take no degree of freedom.
    ChiSquare::Test t = ChiSquare::Pearson({12, 8, 10, 3}, {10, 10, 10, 0});
    EXPECT_DOUBLE_EQ(t.statistic, 0.8);
    EXPECT_EQ(t.cells, 3u);
    EXPECT_EQ(t.dof, 2);
    EXPECT_NEAR(t.pValue, std::exp(-0.4), 1e-12);
    // The same deviations with four times the Poisson variance: a quarter of the statistic.
    ChiSquare::Test v = ChiSquare::WithVariance({12, 8, 10, 3}, {10, 10, 10, 0}, {40, 40, 40, 9});
    EXPECT_DOUBLE_EQ(v.statistic, 0.2);
    EXPECT_EQ(v.dof, 2);
    EXPECT_THROW(ChiSquare::Pearson({1, 2}, {1}), std::invalid_argument);
}

namespace
{

/// 0 is the root with children 1 and 2; 3 is 1's child; 4 is 3's child.
TreeSpec
SmallTree()
{
    TreeSpec t;
    t.root = 0;
    t.parent = {TreeSpec::kNoParent, 0, 0, 1, 3};
    return t;
}

} // namespace

TEST(SubsetLedger, PopulationsFollowTheMode)
{
    const TreeSpec tree = SmallTree();
    SubsetLedger nd(tree, RanSub::NON_DESCENDANTS);
    EXPECT_EQ(nd.GetDescendants(0), 4u);
    EXPECT_EQ(nd.GetDescendants(1), 2u);
    EXPECT_EQ(nd.GetDepth(4), 3u);
    EXPECT_TRUE(nd.IsDescendant(1, 4));
    EXPECT_FALSE(nd.IsDescendant(2, 4));
    EXPECT_FALSE(nd.IsDescendant(1, 1));
    // Everyone but the node and its subtree.
    EXPECT_EQ(nd.GetPopulation(0), 0u);
    EXPECT_EQ(nd.GetPopulation(1), 2u); // 0, 2
    EXPECT_EQ(nd.GetPopulation(2), 4u);
    EXPECT_EQ(nd.GetPopulation(4), 4u);
    EXPECT_TRUE(nd.IsEligible(3, 2));
    EXPECT_FALSE(nd.IsEligible(3, 4));
    EXPECT_FALSE(nd.IsEligible(3, 3));

    SubsetLedger all(tree, RanSub::ALL);
    for (uint32_t v = 0; v < 5; ++v)
    {
        EXPECT_EQ(all.GetPopulation(v), 4u);
        EXPECT_FALSE(all.IsEligible(v, v));
    }
    EXPECT_TRUE(all.IsEligible(1, 4));

    // Pre-order 0 1 3 4 2: the nodes before each.
    SubsetLedger ordered(tree, RanSub::ORDERED);
    EXPECT_EQ(ordered.GetPopulation(0), 0u);
    EXPECT_EQ(ordered.GetPopulation(1), 1u);
    EXPECT_EQ(ordered.GetPopulation(4), 3u);
    EXPECT_EQ(ordered.GetPopulation(2), 4u);
    EXPECT_TRUE(ordered.IsEligible(2, 4));
    EXPECT_FALSE(ordered.IsEligible(3, 2));
}

TEST(SubsetLedger, CountsExpectationsDescendantsAndOverlap)
{
    SubsetLedger all(SmallTree(), RanSub::ALL);
    // Epoch 2: node 1 gets its descendant 4 and 2; node 2 gets 0.
    all.Add(2, 1, {4, 2});
    all.Add(2, 2, {0});
    all.Add(2, 0, {}); // an empty subset is counted apart
    // Epoch 3: node 1 gets 2 again and 0.
    all.Add(3, 1, {2, 0});
    EXPECT_EQ(all.GetDeliveries(), 3u);
    EXPECT_EQ(all.GetEmpty(), 1u);
    EXPECT_EQ(all.GetMembers(), 5u);
    EXPECT_EQ(all.GetEpochs(), 2u);
    EXPECT_EQ(all.GetWithDescendant(), 1u);
    EXPECT_EQ(all.GetWithSelf(), 0u);
    EXPECT_EQ(all.GetIneligible(), 0u);
    auto counts = all.Counts();
    EXPECT_DOUBLE_EQ(counts[2].appearances, 2);
    // Node 2: eligible for node 1's two subsets of 2 (2/4 each) and not for its own.
    EXPECT_DOUBLE_EQ(counts[2].expected, 1.0);
    // Node 0: 2/4 + 2/4 from node 1's, 1/4 from node 2's.
    EXPECT_DOUBLE_EQ(counts[0].expected, 1.25);
    // Node 2's residuals per epoch: 1 - 0.5 and 1 - 0.5: no spread.
    EXPECT_DOUBLE_EQ(counts[2].variance, 0.0);
    // Node 0's: 1 - 0.75 = 0.25 and 1 - 0.5 = 0.5: sample variance 0.03125, times 2 epochs.
    EXPECT_DOUBLE_EQ(counts[0].variance, 0.0625);
    // Node 1's subsets of epochs 2 and 3 share one member of two: 0.5 against 2/4.
    EXPECT_EQ(all.GetOverlapPairs(), 1u);
    EXPECT_DOUBLE_EQ(all.GetMeanOverlap(), 0.5);
    EXPECT_DOUBLE_EQ(all.GetExpectedOverlap(), 0.5);

    SubsetLedger nd(SmallTree(), RanSub::NON_DESCENDANTS);
    nd.Add(2, 1, {4, 1, 1});
    EXPECT_EQ(nd.GetWithDescendant(), 1u);
    EXPECT_EQ(nd.GetWithSelf(), 1u);
    EXPECT_EQ(nd.GetIneligible(), 3u);
    EXPECT_EQ(nd.GetDuplicates(), 1u);
    EXPECT_THROW(nd.Add(1, 1, {0}), std::invalid_argument) << "epochs go forward";
    EXPECT_THROW(nd.Add(2, 9, {0}), std::out_of_range);
}

namespace
{

/// A random tree of n nodes (each joins under a random earlier one), root 0.
TreeSpec
RandomTree(uint32_t n, std::mt19937_64& rng)
{
    TreeSpec t;
    t.root = 0;
    t.parent.assign(n, TreeSpec::kNoParent);
    for (uint32_t v = 1; v < n; ++v)
    {
        t.parent[v] = std::uniform_int_distribution<uint32_t>(0, v - 1)(rng);
    }
    return t;
}

/// Feeds \p epochs epochs of subsets of up to \p k members to every node, drawn from its
/// population; with \p favour, node \p favoured takes the first slot whenever eligible.
SubsetLedger
Feed(const TreeSpec& tree, RanSub::Mode mode, uint32_t k, uint32_t epochs, std::mt19937_64& rng,
     int64_t favoured = -1)
{
    SubsetLedger ledger(tree, mode);
    const uint32_t n = tree.GetNNodes();
    for (uint32_t e = 2; e < 2 + epochs; ++e)
    {
        for (uint32_t x = 0; x < n; ++x)
        {
            std::vector<uint32_t> pool;
            for (uint32_t y = 0; y < n; ++y)
            {
                if (ledger.IsEligible(x, y))
                {
                    pool.push_back(y);
                }
            }
            std::shuffle(pool.begin(), pool.end(), rng);
            if (favoured >= 0)
            {
                auto it = std::find(pool.begin(), pool.end(), uint32_t(favoured));
                if (it != pool.end())
                {
                    std::iter_swap(pool.begin(), it);
                }
            }
            pool.resize(std::min<size_t>(k, pool.size()));
            ledger.Add(e, x, pool);
        }
    }
    return ledger;
}

ChiSquare::Test
Uniformity(const SubsetLedger& ledger)
{
    std::vector<double> o;
    std::vector<double> e;
    std::vector<double> v;
    for (const auto& c : ledger.Counts())
    {
        o.push_back(c.appearances);
        e.push_back(c.expected);
        v.push_back(c.variance);
    }
    return ChiSquare::WithVariance(o, e, v);
}

} // namespace

TEST(SubsetLedger, UniformDrawsPassAndAFavouredNodeFails)
{
    std::mt19937_64 rng(7);
    const TreeSpec tree = RandomTree(40, rng);
    for (auto mode : {RanSub::NON_DESCENDANTS, RanSub::ALL})
    {
        SubsetLedger fair = Feed(tree, mode, 10, 150, rng);
        ChiSquare::Test t = Uniformity(fair);
        EXPECT_GT(t.pValue, 0.001) << "mode " << mode << ": chi-square " << t.statistic;
        EXPECT_EQ(t.dof, 39);
        uint32_t rejecting = 0;
        uint32_t tested = 0;
        for (const auto& r : fair.ReceiverTests())
        {
            tested += r.tested;
            rejecting += r.tested && r.test.pValue < 0.001;
        }
        EXPECT_GT(tested, 20u);
        EXPECT_LE(rejecting, 1u);
        EXPECT_NEAR(fair.GetMeanOverlap() / fair.GetExpectedOverlap(), 1.0, 0.1);
        if (mode == RanSub::NON_DESCENDANTS)
        {
            EXPECT_EQ(fair.GetWithDescendant(), 0u);
        }
        else
        {
            EXPECT_GT(fair.GetWithDescendant(), 0u);
        }
        // Node 5 in every subset it may be in: far from uniform.
        SubsetLedger biased = Feed(tree, mode, 10, 150, rng, 5);
        EXPECT_LT(Uniformity(biased).pValue, 1e-6);
    }
}
