/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The diagnostic keys of a streaming summary (issue #12): the access-link bound, the source's
// rate of distinct new packets and Bullet's mean senders and receivers.
#include "ns3/experiment-output.h"
#include "ns3/streaming-scenario.h"
#include "ns3/system-registry.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

constexpr uint32_t kClients = 8;

/// Runs \p system on the smallest INET topology with kClients clients for 30 simulated s.
nlohmann::json
RunSystemNamed(const std::string& system, std::string* forestCsv = nullptr,
               std::string* perNodeCsv = nullptr)
{
    StreamingScenario::Config c;
    c.topoNodes = 3037;
    c.clients = kClients;
    c.duration = 30;
    c.warmup = 10;
    c.quiet = true;
    StreamingScenario scenario(c);
    char tmpl[] = "/tmp/bullet-summary-test-XXXXXX";
    EXPECT_NE(mkdtemp(tmpl), nullptr);
    nlohmann::json s;
    {
        ExperimentOutput out("summary-test", 0, nullptr, tmpl);
        s = scenario.RunSystem(SystemRegistry::Get().Find(system, SystemSpec::STREAMING), "random",
                               out);
    }
    auto read = [&](const std::string& suffix, std::string* into) {
        if (into)
        {
            std::ifstream in(std::string(tmpl) + "/" + system + suffix);
            *into = std::string(std::istreambuf_iterator<char>(in), {});
        }
    };
    read("-forest.csv", forestCsv);
    read("-per-node.csv", perNodeCsv);
    std::filesystem::remove_all(tmpl);
    return s;
}

TEST(StreamingSummary, BulletReportsBoundSourceRateAndPeerCounts)
{
    const auto s = RunSystemNamed("bullet");
    // The source generates 600 kbps; what it gets out of its uplink (Bullet's source sends
    // each packet to one child, and drops what its flows cannot take) bounds every
    // receiver's useful data from above.
    const double sourceNew = s["source_new_kbps"].get<double>();
    EXPECT_LE(sourceNew, 1.01 * 600);
    EXPECT_GT(sourceNew, 0.5 * 600);
    // (beyond packets the source sent before the 20 s window and receivers got in it)
    EXPECT_LE(s["useful_kbps"].get<double>(), 1.05 * sourceNew);
    // Every distinct packet crosses the source's uplink and the receiver's downlink, so no
    // receiver beats min(uplink, downlink) beyond the window's edges.
    const double bound = s["access_link_bound_kbps"].get<double>();
    EXPECT_GT(bound, 0.0);
    EXPECT_LE(s["useful_kbps"].get<double>(), 1.02 * bound);
    // Peer counts: at most the other receivers; the mesh formed (a node has some senders).
    const double senders = s["mean_senders"].get<double>();
    const double receivers = s["mean_receivers"].get<double>();
    const double sourceReceivers = s["source_receivers"].get<double>();
    EXPECT_GT(senders, 0.5);
    EXPECT_LE(senders, kClients - 1.0);
    EXPECT_LE(receivers, kClients - 1.0);
    EXPECT_LE(sourceReceivers, kClients - 1.0);
    // Peering is mutual: summed over the nodes, senders equal receivers (the source has
    // receivers only), up to peerings that are half set up when a sample is taken.
    const double totalSenders = senders * (kClients - 1);
    const double totalReceivers = receivers * (kClients - 1) + sourceReceivers;
    EXPECT_NEAR(totalSenders, totalReceivers, 0.1 * totalSenders);
    // A share of the senders' time: held back by TFRC some of it, idle some of it.
    const double blocked = s["mesh_send_blocked_share"].get<double>();
    EXPECT_GT(blocked, 0.0);
    EXPECT_LT(blocked, 1.0);
}

TEST(StreamingSummary, QueueDropsCountEveryLinkPacketOnce)
{
    // Every packet put on a link leaves one sending queue, so the sites' counts add up to the
    // run's link packets; drops are a share of what each site was offered.
    for (const std::string system : {"bullet", "bottleneck-tree"})
    {
        const auto s = RunSystemNamed(system);
        ASSERT_TRUE(s.contains("queue_drops")) << system;
        uint64_t sent = 0;
        for (const char* site :
             {"client_uplink", "client_downlink", "stub_stub", "transit_stub", "transit_transit"})
        {
            const auto& q = s["queue_drops"][site];
            sent += q["sent"].get<uint64_t>();
            const double dropped = q["dropped"].get<double>();
            const double offered = q["sent"].get<double>() + dropped;
            EXPECT_NEAR(q["drop_fraction"].get<double>(), offered ? dropped / offered : 0.0, 1e-12)
                << system << " " << site;
        }
        EXPECT_EQ(sent, s["link_packets"].get<uint64_t>()) << system;
        // Clients send and receive: both ends of the access links carry traffic.
        EXPECT_GT(s["queue_drops"]["client_uplink"]["sent"].get<uint64_t>(), 0u) << system;
        EXPECT_GT(s["queue_drops"]["client_downlink"]["sent"].get<uint64_t>(), 0u) << system;
    }
}

TEST(StreamingSummary, TreeStreamingHasNoPeerCounts)
{
    const auto s = RunSystemNamed("bottleneck-tree");
    EXPECT_FALSE(s.contains("mean_senders"));
    EXPECT_NEAR(s["source_new_kbps"].get<double>(), 600.0, 0.03 * 600);
    EXPECT_LE(s["useful_kbps"].get<double>(), 1.02 * s["access_link_bound_kbps"].get<double>());
}

TEST(StreamingSummary, PerNodeRowsCarryTheNodesAccessLinks)
{
    // Each receiver's row names its access links' rates, drawn from the medium profile's
    // Client-Stub range (800-2800 kbps, one draw per link: both directions alike), and no
    // receiver takes in more useful data than its own downlink carries.
    std::string csv;
    RunSystemNamed("bullet", nullptr, &csv);
    std::istringstream in(csv);
    std::string line;
    ASSERT_TRUE(std::getline(in, line));
    EXPECT_EQ(line, "node,useful_kbps,raw_kbps,from_parent_kbps,uplink_kbps,downlink_kbps");
    uint32_t rows = 0;
    while (std::getline(in, line))
    {
        std::istringstream f(line);
        std::string cell;
        std::vector<double> v;
        while (std::getline(f, cell, ','))
        {
            v.push_back(std::stod(cell));
        }
        ASSERT_EQ(v.size(), 6u) << line;
        const double useful = v[1];
        const double raw = v[2];
        const double up = v[4];
        const double down = v[5];
        EXPECT_GE(up, 800.0) << line;
        EXPECT_LE(up, 2800.0) << line;
        EXPECT_DOUBLE_EQ(up, down) << line;
        EXPECT_LE(useful, raw + 1e-9) << line;
        EXPECT_LE(raw, 1.02 * down) << line;
        ++rows;
    }
    EXPECT_EQ(rows, kClients - 1);
}

TEST(StreamingSummary, ReachMatchesUsefulRate)
{
    // Reach counts each receiver's first copy of the source's packets; with the tree and with
    // Bullet the mean share of receivers a packet reaches is useful rate over source rate
    // (up to the window's edges), and the shares of packets below 10% and at 90% or more fit.
    for (const std::string system : {"bottleneck-tree", "bullet"})
    {
        const auto s = RunSystemNamed(system);
        const double reach = s["reach_mean"].get<double>();
        const double few = s["reach_under_10pct"].get<double>();
        const double most = s["reach_over_90pct"].get<double>();
        const double expected = s["useful_kbps"].get<double>() / s["source_new_kbps"].get<double>();
        EXPECT_NEAR(reach, expected, 0.1) << system;
        EXPECT_GE(few, 0.0) << system;
        EXPECT_LE(few + most, 1.0) << system;
        // The mean lies between what the two tails allow.
        EXPECT_GE(reach, 0.9 * most) << system;
        EXPECT_LE(reach, 1.0 - 0.9 * few) << system;
    }
}

TEST(StreamingSummary, SplitStreamCountsItsStripeParentsAsParents)
{
    // Every SplitStream packet comes down a stripe tree: from the node's parent in one of its
    // 16 stripes (or, at a stripe's root, from the source). From-parent data is then all the
    // data a receiver gets, where the installation's tree (none here) would give 0.
    std::string csv;
    const auto s = RunSystemNamed("splitstream", &csv);
    const double useful = s["useful_kbps"].get<double>();
    const double raw = s["raw_kbps"].get<double>();
    const double parent = s["from_parent_kbps"].get<double>();
    EXPECT_GT(useful, 0.5 * 600);
    EXPECT_GT(parent, 0.0);
    EXPECT_LE(parent, raw + 1e-9);
    EXPECT_NEAR(parent, useful, 0.01 * useful);
    // The forest's build: every receiver connected in every stripe within the run, and still
    // at its end (8 clients: no forwarding cap is reached).
    ASSERT_TRUE(s.contains("forest_complete_s"));
    ASSERT_FALSE(s["forest_complete_s"].is_null()) << s.dump();
    EXPECT_GT(s["forest_complete_s"].get<double>(), 0.0);
    EXPECT_LE(s["forest_complete_s"].get<double>(), 30.0);
    EXPECT_EQ(s["forest_missing_receivers"].get<uint32_t>(), 0u);
    // 99% of the receivers (here: all of them) are connected no later than all are.
    ASSERT_FALSE(s["forest_99pct_s"].is_null()) << s.dump();
    EXPECT_LE(s["forest_99pct_s"].get<double>(), s["forest_complete_s"].get<double>());
    EXPECT_EQ(s["forest_receivers"].get<uint32_t>(), kClients - 1);

    // The forest's CSV: a row per second, its first row with zero lacking at the time the
    // summary reports.
    std::istringstream rows(csv);
    std::string line;
    ASSERT_TRUE(std::getline(rows, line));
    EXPECT_EQ(line, "time_s,receivers_lacking_a_stripe,receivers");
    double firstComplete = -1;
    double last = 0;
    int n = 0;
    while (std::getline(rows, line))
    {
        double t = 0;
        uint32_t lacking = 0;
        uint32_t receivers = 0;
        ASSERT_EQ(std::sscanf(line.c_str(), "%lf,%u,%u", &t, &lacking, &receivers), 3) << line;
        EXPECT_GT(t, last) << line;
        EXPECT_EQ(receivers, kClients - 1);
        EXPECT_LE(lacking, receivers);
        if (lacking == 0 && firstComplete < 0)
        {
            firstComplete = t;
        }
        last = t;
        ++n;
    }
    EXPECT_GE(n, 29); // 30 s, one sample per second
    EXPECT_DOUBLE_EQ(firstComplete, s["forest_complete_s"].get<double>());
}

TEST(StreamingSummary, TreeStreamingGetsEverythingFromItsParent)
{
    // The tree's parent hook is unchanged by SplitStream's: tree streaming's data is all
    // from the parent (Bullet's share from peers is checked in bullet-test.cc).
    const auto s = RunSystemNamed("random-tree");
    const double useful = s["useful_kbps"].get<double>();
    EXPECT_GT(useful, 0.0);
    EXPECT_NEAR(s["from_parent_kbps"].get<double>(), useful, 0.01 * useful);
    EXPECT_FALSE(s.contains("forest_complete_s")) << "only SplitStream has a forest";
}

} // namespace
