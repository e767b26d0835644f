/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/tfrc-equation.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace ns3;

// s=1000 B, R=0.1 s, p=0.01, by hand:
//   R*sqrt(2p/3)                    = 0.1 * 0.0816497   = 0.00816497
//   t_RTO*3*sqrt(3p/8)*p*(1+32p^2)  = 0.4 * 0.1837117 * 0.01 * 1.0032 = 0.00073720
//   X = 1000 / 0.00890217           = 112332.2 B/s
TEST(TfrcEquation, MatchesHandComputedValues)
{
    EXPECT_NEAR(TfrcEquation::CalcX(1000, 0.1, 0.01), 112332.2344, 0.01);
    EXPECT_NEAR(TfrcEquation::CalcX(1460, 0.05, 0.001), 1120823.4037, 0.01);
    EXPECT_NEAR(TfrcEquation::CalcX(1460, 0.2, 0.1), 12921.7452, 0.001);
}

TEST(TfrcEquation, NoLossMeansNoLimit)
{
    EXPECT_TRUE(std::isinf(TfrcEquation::CalcX(1460, 0.1, 0)));
}

TEST(TfrcEquation, ScalesWithSegmentSizeAndInverselyWithRtt)
{
    double x = TfrcEquation::CalcX(1000, 0.1, 0.02);
    EXPECT_NEAR(TfrcEquation::CalcX(2000, 0.1, 0.02), 2 * x, 1e-6 * x);
    EXPECT_NEAR(TfrcEquation::CalcX(1000, 0.2, 0.02), x / 2, 1e-6 * x);
}

TEST(TfrcEquation, DecreasesWithLoss)
{
    double prev = TfrcEquation::CalcX(1460, 0.1, 1e-6);
    for (double p = 1e-5; p <= 1; p *= 3)
    {
        double x = TfrcEquation::CalcX(1460, 0.1, p);
        EXPECT_LT(x, prev) << "p=" << p;
        prev = x;
    }
}

TEST(TfrcEquation, InversionRecoversP)
{
    for (double p : {1e-6, 1e-4, 1e-3, 0.01, 0.05, 0.2, 0.7})
    {
        double x = TfrcEquation::CalcX(1460, 0.08, p);
        EXPECT_NEAR(TfrcEquation::InvertForP(1460, 0.08, x), p, 1e-6 * p) << "p=" << p;
    }
}

TEST(TfrcEquation, InversionClampsOutOfRangeTargets)
{
    EXPECT_DOUBLE_EQ(TfrcEquation::InvertForP(1460, 0.1, 1e15), 1e-10);
    EXPECT_DOUBLE_EQ(TfrcEquation::InvertForP(1460, 0.1, 1.0), 1.0);
}
