/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// How a Bullet receiver divides its sequence matrix among its senders (RowAssignmentPolicy),
// without a simulator: the paper's one row each, and shares that follow what each delivered;
// both always disjoint and covering every row.

#include "ns3/row-assignment-policy.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <random>

using namespace ns3;

namespace
{

/// Checks that \p shares of a matrix divide it: each of its rows in exactly one share.
void
ExpectPartition(const std::vector<RowShare>& shares, uint32_t expectedRows)
{
    ASSERT_FALSE(shares.empty());
    const uint16_t rows = shares[0].rows;
    EXPECT_EQ(rows, expectedRows);
    for (const auto& s : shares)
    {
        EXPECT_EQ(s.rows, rows) << "every share of one matrix";
        EXPECT_TRUE(s.IsValid());
    }
    for (uint32_t seq = 0; seq < rows; ++seq)
    {
        int owners = 0;
        for (const auto& s : shares)
        {
            owners += s.Contains(seq);
        }
        EXPECT_EQ(owners, 1) << "row " << seq << " of " << rows;
    }
}

Ptr<RowsByDelivery>
ByDelivery(uint32_t rowsPerServer)
{
    Ptr<RowsByDelivery> p = CreateObject<RowsByDelivery>();
    p->SetAttribute("RowsPerServer", UintegerValue(rowsPerServer));
    return p;
}

} // namespace

TEST(RowShare, ARunOfRowsWrapsAroundTheMatrix)
{
    const RowShare share{10, 8, 4}; // rows 8, 9, 0, 1
    for (uint32_t seq = 0; seq < 100; ++seq)
    {
        const uint32_t r = seq % 10;
        EXPECT_EQ(share.Contains(seq), r == 8 || r == 9 || r == 0 || r == 1) << seq;
    }
    EXPECT_TRUE((RowShare{5, 2, 1}).Contains(7));
    EXPECT_FALSE((RowShare{5, 2, 1}).Contains(8));
    EXPECT_TRUE(RowShare{}.Contains(12345)) << "no rows assigned: every packet";
    EXPECT_TRUE((RowShare{3, 0, 3}).Contains(2)) << "the whole matrix";
    EXPECT_FALSE((RowShare{3, 3, 1}).IsValid());
    EXPECT_FALSE((RowShare{3, 0, 0}).IsValid());
    EXPECT_FALSE((RowShare{3, 1, 4}).IsValid());
}

TEST(UniformRows, IsThePapersMatrixOneRowEachRotatingWithTheShift)
{
    Ptr<UniformRows> uniform = CreateObject<UniformRows>();
    EXPECT_TRUE(uniform->Assign({}, 3).empty());
    for (uint16_t n : {1, 2, 5, 11})
    {
        for (uint32_t shift : {0u, 1u, 4u, 99u})
        {
            // What each delivered does not matter.
            std::vector<uint32_t> delivered(n);
            for (uint16_t i = 0; i < n; ++i)
            {
                delivered[i] = i * 37;
            }
            auto shares = uniform->Assign(delivered, shift);
            ASSERT_EQ(shares.size(), n);
            for (uint16_t i = 0; i < n; ++i)
            {
                EXPECT_EQ(shares[i], (RowShare{n, uint16_t((i + shift) % n), 1}));
            }
            ExpectPartition(shares, n);
        }
    }
}

TEST(RowsByDelivery, SharesDivideTheMatrixWhateverWasDelivered)
{
    std::mt19937 rng(7);
    for (int trial = 0; trial < 300; ++trial)
    {
        const uint32_t n = 1 + rng() % 15;
        const uint32_t perServer = 1 + rng() % 16;
        std::vector<uint32_t> delivered(n);
        for (auto& d : delivered)
        {
            // Zeros, small and large counts, sometimes one server taking nearly everything.
            d = rng() % 4 == 0 ? 0 : rng() % (rng() % 2 ? 50 : 100000);
        }
        auto shares = ByDelivery(perServer)->Assign(delivered, rng() % 1000);
        ASSERT_EQ(shares.size(), n);
        ExpectPartition(shares, n * perServer);
        for (const auto& s : shares)
        {
            EXPECT_GE(s.count, 1) << "a server that delivered nothing keeps a row";
        }
    }
}

TEST(RowsByDelivery, SharesFollowWhatEachDelivered)
{
    Ptr<RowsByDelivery> policy = ByDelivery(8);
    // Equal deliveries: 8 rows each, as many as the paper's matrix gives them in all.
    for (const auto& s : policy->Assign({30, 30, 30, 30}, 0))
    {
        EXPECT_EQ(s.count, 8);
    }
    // Rows beyond the one each in proportion to delivered + 1, within one row.
    const std::vector<uint32_t> delivered{0, 9, 19, 49, 99};
    auto shares = policy->Assign(delivered, 2);
    const double spare = 5 * 8 - 5;
    const double total = 5 + 9 + 19 + 49 + 99 + 0.0;
    for (std::size_t i = 0; i < delivered.size(); ++i)
    {
        const double ideal = 1 + (delivered[i] + 1) / total * spare;
        EXPECT_NEAR(shares[i].count, ideal, 1.0) << i;
        if (i > 0)
        {
            EXPECT_GE(shares[i].count, shares[i - 1].count) << "more delivered, no fewer rows";
        }
    }
}

TEST(RowsByDelivery, RunsRotateWithTheShiftAndOneRowPerServerIsThePapersMatrix)
{
    Ptr<RowsByDelivery> policy = ByDelivery(4);
    const std::vector<uint32_t> delivered{5, 0, 12};
    for (uint32_t shift = 0; shift < 7; ++shift)
    {
        auto shares = policy->Assign(delivered, shift);
        EXPECT_EQ(shares[0].first, shift * 4 % 12) << "the runs start at shift * RowsPerServer";
        for (std::size_t i = 1; i < shares.size(); ++i)
        {
            EXPECT_EQ(shares[i].first, (shares[i - 1].first + shares[i - 1].count) % 12)
                << "runs follow one another";
        }
    }
    // With one row per server every share is one row, and the rows are the paper's.
    Ptr<UniformRows> uniform = CreateObject<UniformRows>();
    for (uint32_t shift : {0u, 3u, 10u})
    {
        EXPECT_EQ(ByDelivery(1)->Assign({7, 0, 3, 3}, shift), uniform->Assign({7, 0, 3, 3}, shift));
    }
}
