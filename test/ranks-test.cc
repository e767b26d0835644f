/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/ranks.h"
#include "ns3/scenario-programs.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

using namespace ns3;

namespace
{

/// Pretends, for one test, that mpirun launched this process among \p ranks.
class LaunchedBy
{
  public:
    explicit LaunchedBy(uint32_t ranks)
    {
        setenv("OMPI_COMM_WORLD_SIZE", std::to_string(ranks).c_str(), 1);
    }

    ~LaunchedBy()
    {
        unsetenv("OMPI_COMM_WORLD_SIZE");
    }
};

} // namespace

TEST(Ranks, OneProcessIsOneRankOfOne)
{
    int argc = 0;
    char** argv = nullptr;
    Ranks::Enable(&argc, &argv, "granted");
    EXPECT_EQ(Ranks::LaunchedSize(), 1u);
    EXPECT_FALSE(Ranks::IsDistributed());
    EXPECT_EQ(Ranks::Rank(), 0u);
    EXPECT_EQ(Ranks::Size(), 1u);
    EXPECT_EQ(Ranks::Sum(uint64_t(7)), 7u);
    EXPECT_DOUBLE_EQ(Ranks::Max(2.5), 2.5);
    EXPECT_THROW(Ranks::Enable(&argc, &argv, "optimistic"), std::invalid_argument);
}

// Builds with MPI start MPI instead (test/mpi_test.py runs two ranks there).
#ifndef BULLET_MPI
TEST(Ranks, ABuildWithoutMpiRefusesSeveralRanksWithTheReason)
{
    EXPECT_FALSE(Ranks::HaveMpi());
    LaunchedBy mpirun(2);
    EXPECT_EQ(Ranks::LaunchedSize(), 2u);
    int argc = 0;
    char** argv = nullptr;
    try
    {
        Ranks::Enable(&argc, &argv, "granted");
        FAIL() << "two ranks without MPI";
    }
    catch (const std::invalid_argument& e)
    {
        EXPECT_NE(std::string(e.what()).find("--ns3=mpi"), std::string::npos) << e.what();
    }
}
#endif

// Launched by mpirun but never started MPI (Ranks::Enable, which the programs' mains call):
// every rank would run the whole experiment, so the programs refuse (the Python bindings'
// way in).
TEST(Ranks, TheExperimentProgramsRefuseSeveralRanksWithoutMpiStarted)
{
    LaunchedBy mpirun(2);
    for (const auto& run : {+[] {
                                BulletStreamingProgram().Run("");
                            },
                            +[] {
                                TreeStreamingProgram().Run("");
                            },
                            +[] {
                                FileDistributionProgram().Run("");
                            }})
    {
        try
        {
            run();
            FAIL() << "an experiment program ran on two ranks without MPI started";
        }
        catch (const std::invalid_argument& e)
        {
            EXPECT_NE(std::string(e.what()).find("MPI was not started"), std::string::npos)
                << e.what();
            EXPECT_NE(std::string(e.what()).find("doc/distributed.md"), std::string::npos)
                << e.what();
        }
    }
}
