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

} // namespace ns3

#endif // BULLET_TEST_FILE_SCENARIO_UTIL_H
