/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "file-scenario-util.h"

#include "ns3/experiment-output.h"
#include "ns3/file-scenario.h"
#include "ns3/streaming-scenario.h"
#include "ns3/system-registry.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

using namespace ns3;

namespace
{

/// A fresh temporary result directory, removed when it goes out of scope.
struct TempDir
{
    TempDir()
    {
        char tmpl[] = "/tmp/bullet-events-test-XXXXXX";
        EXPECT_NE(mkdtemp(tmpl), nullptr);
        path = tmpl;
    }

    ~TempDir()
    {
        std::filesystem::remove_all(path);
    }

    std::string path;
};

/// Runs Bullet on the smallest INET topology with 8 clients for \p duration simulated s.
nlohmann::json
RunStreaming(double duration)
{
    StreamingScenario::Config c;
    c.topoNodes = 3037;
    c.clients = 8;
    c.duration = duration;
    c.warmup = 1;
    c.quiet = true;
    StreamingScenario scenario(c);
    TempDir dir;
    ExperimentOutput out("events-test", 0, nullptr, dir.path);
    return scenario.RunSystem(SystemRegistry::Get().Find("bullet", SystemSpec::STREAMING), "random",
                              out);
}

/// Runs Bullet' on the 2008 mesh of 5 nodes with a file too large to finish, stopping at
/// \p maxTime s.
nlohmann::json
RunFiles(double maxTime)
{
    FileDistributionScenario::Config c = QuietMesh(5, 50 * 1000 * 1000, 1, maxTime);
    c.payload = "virtual";
    FileDistributionScenario scenario(c);
    TempDir dir;
    ExperimentOutput out("events-test", 0, nullptr, dir.path);
    return scenario.RunSystem(
        SystemRegistry::Get().Find("bullet-prime", SystemSpec::FILE_DISTRIBUTION), out);
}

/// The cost keys of one system's summary agree with each other.
void
ExpectConsistentCost(const nlohmann::json& s, double simSeconds)
{
    const double wall = s["wall_seconds"].get<double>();
    const uint64_t events = s["events"].get<uint64_t>();
    EXPECT_GT(events, 0u);
    ASSERT_GT(wall, 0.0);
    EXPECT_NEAR(s["events_per_wall_second"].get<double>(), events / wall, 1e-9 * (events / wall));
    EXPECT_NEAR(s["wall_per_sim_second"].get<double>(), wall / simSeconds, 1e-9);
}

} // namespace

// The longer run goes first: were the count accumulated over the process rather than per
// run, the shorter one would report more.
TEST(ScenarioEvents, StreamingCountsEachRunsEventsAndMoreForALongerRun)
{
    const nlohmann::json longer = RunStreaming(4);
    const nlohmann::json shorter = RunStreaming(2);
    // The run goes one second past the window's end (the stop event).
    EXPECT_DOUBLE_EQ(shorter["sim_seconds"].get<double>(), 3.0);
    EXPECT_DOUBLE_EQ(longer["sim_seconds"].get<double>(), 5.0);
    ExpectConsistentCost(shorter, 3.0);
    ExpectConsistentCost(longer, 5.0);
    // Simulator::Run alone is part of the system's wall time, which also builds the network
    // and the overlay and writes the files.
    for (const auto* s : {&shorter, &longer})
    {
        EXPECT_GT((*s)["run_wall_seconds"].get<double>(), 0.0);
        EXPECT_LT((*s)["run_wall_seconds"].get<double>(), (*s)["wall_seconds"].get<double>());
    }
    EXPECT_GT(shorter["events"].get<uint64_t>(), 1000u)
        << "a 75 packets/s stream to 8 clients for 3 s";
    EXPECT_LT(shorter["events"].get<uint64_t>(), longer["events"].get<uint64_t>());
}

TEST(ScenarioEvents, FileDistributionCountsEachRunsEventsAndMoreForALongerRun)
{
    const nlohmann::json longer = RunFiles(4);
    const nlohmann::json shorter = RunFiles(2);
    ASSERT_EQ(longer["completed"].get<uint32_t>(), 0u) << "the file must outlast the runs";
    EXPECT_DOUBLE_EQ(shorter["simulated_s"].get<double>(), 3.0);
    EXPECT_DOUBLE_EQ(longer["simulated_s"].get<double>(), 5.0);
    ExpectConsistentCost(shorter, 3.0);
    ExpectConsistentCost(longer, 5.0);
    EXPECT_GT(shorter["events"].get<uint64_t>(), 1000u);
    EXPECT_LT(shorter["events"].get<uint64_t>(), longer["events"].get<uint64_t>());
}
