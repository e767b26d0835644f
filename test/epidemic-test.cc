/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "star-network.h"

#include "ns3/anti-entropy-application.h"
#include "ns3/gossip-application.h"
#include "ns3/overlay-helper.h"
#include "ns3/simulator.h"
#include "ns3/streaming-metrics.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

using namespace ns3;

TEST(PushGossip, ReachesAlmostEveryNodeAndNeverForwardsADuplicate)
{
    // 20 clients with ample access links: gossip's reach is limited by its fan-out only.
    const uint32_t n = 20;
    Ptr<SimulatedNetwork> net = StarNetwork(n, 20e6, 5);
    OverlayHelper helper("ns3::PushGossipApplication");
    helper.SetAttribute("Rate", DataRateValue(DataRate("400kbps")));
    ApplicationContainer apps = helper.InstallWithoutTree(net, 0);
    StreamingMetrics metrics(net, apps, 0);

    // Per node: first copies received, forwards (seq -> times), copies sent per packet.
    std::vector<std::set<uint32_t>> firstCopies(n);
    std::vector<std::map<uint32_t, uint32_t>> forwards(n);
    std::vector<std::map<uint32_t, uint32_t>> sent(n);
    std::vector<uint64_t> duplicateForwards(n, 0);
    for (uint32_t i = 0; i < n; ++i)
    {
        apps.Get(i)->TraceConnectWithoutContext(
            "DataRx", Callback<void, Ipv4Address, uint32_t, uint32_t, bool, bool>(
                          [&, i](Ipv4Address, uint32_t seq, uint32_t, bool, bool dup) {
                              if (!dup)
                              {
                                  EXPECT_TRUE(firstCopies[i].insert(seq).second);
                              }
                          }));
        apps.Get(i)->TraceConnectWithoutContext(
            "Forward", Callback<void, uint32_t, uint32_t, uint32_t>(
                           [&, i](uint32_t seq, uint32_t copies, uint32_t) {
                               // A forward is of a packet just received for the first time
                               // (or, at the source, just created), and only once.
                               if (i != 0 && !firstCopies[i].count(seq))
                               {
                                   ++duplicateForwards[i];
                               }
                               ++forwards[i][seq];
                           }));
        apps.Get(i)->TraceConnectWithoutContext("DataTx",
                                                Callback<void, Ipv4Address, uint32_t, uint32_t>(
                                                    [&, i](Ipv4Address, uint32_t seq, uint32_t) {
                                                        ++sent[i][seq];
                                                    }));
    }
    apps.Start(Seconds(0));
    apps.Stop(Seconds(30));
    Simulator::Stop(Seconds(31));
    Simulator::Run();

    // Reach: packets created over 10-25 s (TFRC flows have ramped up; 5 s left to arrive).
    double reached = 0;
    uint32_t packets = 0;
    for (uint32_t seq = 500; seq < 1250; ++seq) // 50 packets/s
    {
        uint32_t holders = 0;
        for (uint32_t i = 1; i < n; ++i)
        {
            holders += DynamicCast<StreamingApplication>(apps.Get(i))->HasPacket(seq);
        }
        reached += double(holders) / (n - 1);
        ++packets;
    }
    reached /= packets;
    std::cout << "gossip: mean reach " << reached << ", summary "
              << metrics.Summary(Seconds(10), Seconds(30)).dump() << "\n";
    EXPECT_GE(reached, 0.95) << "fan-out 5 reaches almost every node of 20";

    uint64_t totalForwards = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        EXPECT_EQ(duplicateForwards[i], 0u) << "node " << i << " forwarded a duplicate";
        for (const auto& [seq, times] : forwards[i])
        {
            ASSERT_EQ(times, 1u) << "node " << i << " forwarded " << seq << " twice";
            EXPECT_LE(sent[i][seq], 5u) << "at most FanOut copies";
        }
        if (i != 0)
        {
            // Every first copy is forwarded, and nothing else is.
            EXPECT_EQ(forwards[i].size(), firstCopies[i].size()) << "node " << i;
        }
        totalForwards += forwards[i].size();
    }
    EXPECT_GT(totalForwards, 10000u);
    // Each node gets about FanOut copies of each packet: the duplicates the paper blames.
    auto s = metrics.Summary(Seconds(10), Seconds(30));
    EXPECT_GT(s["duplicate_fraction"].get<double>(), 0.5);
    EXPECT_EQ(s["from_parent_kbps"].get<double>(), 0.0) << "gossip has no tree";
    Simulator::Destroy();
}

namespace
{

/// 13 nodes on a star: the source's access link (1.2 Mbps) caps each of its 3 subtrees at
/// about a third of a 1 Mbps stream; the others have 3 Mbps (as test/bullet-test.cc).
struct ConstrainedTree
{
    Ptr<SimulatedNetwork> net;
    ApplicationContainer apps;
    std::unique_ptr<StreamingMetrics> metrics;

    explicit ConstrainedTree(const std::string& app)
    {
        std::vector<double> rates(13, 3e6);
        rates[0] = 1.2e6;
        net = StarNetwork(rates, 10);
        TreeSpec tree;
        tree.root = 0;
        tree.parent = {TreeSpec::kNoParent, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3};
        OverlayHelper helper(app);
        helper.SetAttribute("Rate", DataRateValue(DataRate("1Mbps")));
        helper.SetFullMembership(true);
        if (app == "ns3::AntiEntropyApplication")
        {
            helper.SetAttribute("Epoch", TimeValue(Seconds(5))); // a short test
        }
        apps = helper.InstallStaticTree(net, tree);
        metrics = std::make_unique<StreamingMetrics>(net, apps, tree.root);
        apps.Start(Seconds(0));
        apps.Stop(Seconds(90));
        Simulator::Stop(Seconds(91));
    }

    ~ConstrainedTree()
    {
        Simulator::Destroy();
    }
};

} // namespace

TEST(AntiEntropy, RepairsTheHolesAConstrainedTreeLeaves)
{
    double treeUseful = 0;
    {
        ConstrainedTree t("ns3::TreeStreamingApplication");
        Simulator::Run();
        treeUseful = t.metrics->Summary(Seconds(40), Seconds(90))["useful_kbps"];
    }
    ConstrainedTree s("ns3::AntiEntropyApplication");
    uint64_t digests = 0;
    uint64_t queued = 0;
    for (uint32_t i = 0; i < 13; ++i)
    {
        s.apps.Get(i)->TraceConnectWithoutContext("Digest",
                                                  Callback<void, Ipv4Address>([&](Ipv4Address) {
                                                      ++digests;
                                                  }));
        s.apps.Get(i)->TraceConnectWithoutContext(
            "Repair", Callback<void, Ipv4Address, uint32_t>([&](Ipv4Address, uint32_t q) {
                queued += q;
            }));
    }
    Simulator::Run();
    auto summary = s.metrics->Summary(Seconds(40), Seconds(90));
    double useful = summary["useful_kbps"];
    double parent = summary["from_parent_kbps"];
    std::cout << "tree " << treeUseful << " kbps; anti-entropy " << summary.dump() << ", "
              << digests << " digests, " << queued << " repairs queued\n";
    EXPECT_LT(treeUseful, 450) << "the tree alone is capped by the source's uplink";
    EXPECT_GT(useful, parent + 100) << "peers fill holes the tree left";
    EXPECT_GT(useful, 1.2 * treeUseful);
    EXPECT_GT(digests, 12u * 80 / 5 * 5 / 2) << "5 digests per node and epoch";
    uint64_t repairs = 0;
    for (uint32_t i = 0; i < 13; ++i)
    {
        auto app = DynamicCast<AntiEntropyApplication>(s.apps.Get(i));
        repairs += app->GetRepairsSent();
        EXPECT_EQ(app->GetRejectedDigests(), 0u);
    }
    EXPECT_GT(repairs, 1000u);
    EXPECT_LE(repairs, queued);
}

TEST(AntiEntropy, DigestRoundTripAndMalformedInput)
{
    StreamDigestHeader h;
    h.filter = BloomFilter(800, 4);
    h.filter.Insert(7);
    h.low = 10;
    h.high = 900;
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    std::vector<uint8_t> bytes(p->GetSize());
    p->CopyData(bytes.data(), bytes.size());
    StreamDigestHeader back;
    ASSERT_EQ(p->RemoveHeader(back), bytes.size());
    EXPECT_TRUE(back.filter.Contains(7));
    EXPECT_EQ(back.low, 10u);
    EXPECT_EQ(back.high, 900u);
    for (uint32_t cut = 0; cut < bytes.size(); ++cut)
    {
        StreamDigestHeader t;
        EXPECT_EQ(Create<Packet>(bytes.data(), cut)->RemoveHeader(t), 0u) << cut;
    }
    h.low = 901; // high < low
    Ptr<Packet> bad = Create<Packet>();
    bad->AddHeader(h);
    StreamDigestHeader t;
    bad->RemoveHeader(t);
    EXPECT_FALSE(t.IsValid());
}
