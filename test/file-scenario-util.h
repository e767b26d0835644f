/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TEST_FILE_SCENARIO_UTIL_H
#define BULLET_TEST_FILE_SCENARIO_UTIL_H

#include "ns3/file-scenario.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

namespace ns3
{

/// The 2008 mesh with \p nodes participants, a generated file of \p size bytes from \p seed,
/// giving up at \p maxTime s, without progress lines: the file-distribution tests' ground.
inline FileDistributionScenario::Config
QuietMesh(uint32_t nodes, uint64_t size, uint64_t seed, double maxTime)
{
    FileDistributionScenario::Config c;
    c.nodes = nodes;
    c.size = size;
    c.seed = seed;
    c.maxTime = maxTime;
    c.quiet = true;
    return c;
}

/**
 * Runs file system \p system on \p c, every receiver writing its file to a fresh temporary
 * directory, and checks that every receiver completed, the run reports its bytes verified and
 * each receiver's file is the source's, byte for byte. \returns the run's summary
 */
inline nlohmann::json
RunAndCheckEveryFile(FileDistributionScenario::Config c, const std::string& system)
{
    char dir[] = "/tmp/bullet-file-test-XXXXXX";
    EXPECT_NE(mkdtemp(dir), nullptr);
    c.output = dir;
    FileDistributionScenario scenario(c);
    ExperimentOutput out(system + "-test", 0, nullptr, std::string(dir) + "/results");
    nlohmann::json s = scenario.RunSystem(
        SystemRegistry::Get().Find(system, SystemSpec::FILE_DISTRIBUTION), out);
    EXPECT_EQ(s["completed"].get<uint32_t>(), c.nodes - 1);
    EXPECT_TRUE(s["bytes_verified"].get<bool>());
    std::vector<uint8_t> source;
    FileContent::Generate(c.size, c.seed).ReadBlock(0, c.size, source);
    for (uint32_t i = 0; i < c.nodes; ++i)
    {
        if (i == scenario.GetSource())
        {
            continue;
        }
        std::ifstream f(std::string(dir) + "/" + system + "-node" + std::to_string(i),
                        std::ios::binary);
        EXPECT_TRUE(f) << "receiver " << i << " wrote no file";
        std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)),
                                   std::istreambuf_iterator<char>());
        EXPECT_TRUE(bytes == source) << "receiver " << i;
    }
    std::filesystem::remove_all(dir);
    return s;
}

/**
 * Churn in small (2008 Section 5.13 / Figure 23): 10 nodes, a 1 MB file; receivers leave after
 * exponential lifetimes (mean 25 s, about twice a download without churn) and fresh ones take
 * their place on hosts of their own. Checks that leavers are replaced, newcomers finish, every
 * receiver that stays longer than twice the slowest download without churn completes, every
 * completed file is intact, and no download takes more than \p maxSlowdown times the slowest
 * without churn.
 */
inline void
ExpectEveryLongStayCompletesUnderChurn(const std::string& system, double maxSlowdown = 2)
{
    FileDistributionScenario::Config c = QuietMesh(10, 1000 * 1000, 5, 150);
    const std::string dir = "/tmp/" + system + "-churn-test";
    ExperimentOutput out(system + "-churn-test", 0, nullptr, dir + "/results");
    const SystemSpec& spec = SystemRegistry::Get().Find(system, SystemSpec::FILE_DISTRIBUTION);
    nlohmann::json calm = FileDistributionScenario(c).RunSystem(spec, out);
    ASSERT_EQ(calm["completed"].get<uint32_t>(), 9u);
    const double slowest = calm["completion_max_s"].get<double>();

    c.churn = 25;
    FileDistributionScenario scenario(c);
    nlohmann::json s = scenario.RunSystem(spec, out);
    const auto& churn = s["churn"];
    std::cout << system << ": without churn the slowest took " << slowest << " s; with churn "
              << churn.dump() << "\n";
    EXPECT_GE(churn["departures"].get<uint32_t>(), 20u);
    EXPECT_GE(churn["replacement_completed"].get<uint32_t>(), 10u)
        << "newcomers join the running system and finish";
    EXPECT_LT(churn["longest_incomplete_stay_s"].get<double>(), 2 * slowest)
        << "a receiver that stayed that long never finished";
    EXPECT_TRUE(s["bytes_verified"].get<bool>());
    EXPECT_LT(s["completion_max_s"].get<double>(), maxSlowdown * slowest);
    std::filesystem::remove_all(dir);
}

} // namespace ns3

#endif // BULLET_TEST_FILE_SCENARIO_UTIL_H
