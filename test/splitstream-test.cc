/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// SplitStream on Pastry and Scribe, installed as the registry's `splitstream` systems: the
// forest's shape (interior-node-disjoint, forwarding cap, failures reported), the stream
// split over the stripes, a failed interior node costing its subtree only its stripe until
// repair, and files completing at ceil(1.04 n) distinct blocks.

#include "star-network.h"

#include "ns3/config.h"
#include "ns3/double.h"
#include "ns3/overlay-helper.h"
#include "ns3/simulator.h"
#include "ns3/splitstream-application.h"
#include "ns3/splitstream-files-application.h"
#include "ns3/system-registry.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

using namespace ns3;

namespace
{

/// As StarNetwork, with 100-packet queues: a node forwarding a packet to its 18 children
/// sends 18 packets at once, which a 10-packet queue would cut (a loss of the network's, not
/// of the protocol's; the experiments keep their own queues).
Ptr<SimulatedNetwork>
WideStar(uint32_t n)
{
    TopologySpec spec;
    spec.nRouters = 1;
    for (uint32_t c = 0; c < n; ++c)
    {
        spec.clientRouter.push_back(0);
        spec.links.push_back({spec.ClientVertex(c), 0, LinkClass::ClientStub, 10e6, 10e6, 5, 0, 0});
    }
    TopologyHelper helper;
    helper.SetQueueSize(100);
    return helper.Build(spec);
}

Ptr<SplitStreamForest>
ForestOf(const ApplicationContainer& apps, uint32_t i)
{
    return DynamicCast<SplitStreamApplication>(apps.Get(i))->GetForest();
}

/// The registry's streaming `splitstream` on a star of n clients, client 0 the source.
ApplicationContainer
InstallStreaming(Ptr<SimulatedNetwork> net, const std::string& rate)
{
    const SystemSpec& spec = SystemRegistry::Get().Find("splitstream", SystemSpec::STREAMING);
    OverlayHelper helper(spec.appType);
    helper.SetAttribute("Rate", DataRateValue(DataRate(rate)));
    if (spec.configure)
    {
        spec.configure(helper);
    }
    return helper.InstallWithoutTree(net, 0);
}

/// Checks the forest: every node's out-degree within the cap, every receiver connected in
/// every stripe unless a forest failure was reported for it.
/// \returns nodes interior in more than one stripe (push-down, the spare-capacity group and
/// a route's last hop across a digit boundary make some in small random rings)
uint32_t
CheckForest(Ptr<SimulatedNetwork> net, const ApplicationContainer& apps, uint32_t cap,
            const std::set<Ipv4Address>& failed, uint64_t* spareAdoptions)
{
    uint32_t multi = 0;
    *spareAdoptions = 0;
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        Ptr<SplitStreamForest> f = ForestOf(apps, i);
        EXPECT_LE(f->GetOutDegree(), cap) << "node " << i;
        uint32_t interior = 0;
        for (uint32_t s = 0; s < f->GetNumStripes(); ++s)
        {
            interior += !f->GetChildren(s).empty();
        }
        *spareAdoptions += f->GetSpareAdoptions();
        if (i != 0)
        {
            multi += interior > 1;
            if (!failed.count(net->GetClientAddress(i)))
            {
                EXPECT_EQ(f->GetConnectedStripes(), 16u)
                    << "node " << i << " lacks a stripe and no forest failure was reported";
            }
        }
    }
    return multi;
}

} // namespace

TEST(SplitStream, StripeIdsDifferInTheFirstDigitAndPacketsGoRoundRobin)
{
    auto f = CreateObject<SplitStreamForest>();
    std::set<uint32_t> firstDigits;
    for (uint32_t s = 0; s < 16; ++s)
    {
        const PastryId id = f->GetStripeId(s);
        firstDigits.insert(id.GetDigit(0));
        EXPECT_EQ(id.SharedPrefixLength(f->GetStripeId(0)) == 0, s != 0);
        for (uint32_t d = 1; d < PastryId::kDigits; ++d)
        {
            EXPECT_EQ(id.GetDigit(d), f->GetStripeId(0).GetDigit(d))
                << "only the first digit differs";
        }
    }
    EXPECT_EQ(firstDigits.size(), 16u);
    EXPECT_EQ(f->StripeOf(0), 0u);
    EXPECT_EQ(f->StripeOf(17), 1u);
    EXPECT_EQ(f->StripeOf(31), 15u);
    EXPECT_NE(f->GetSpareGroupId(), f->GetStripeId(0));
    f->Dispose();
}

TEST(SplitStream, RandomIdsStayWithinTheCapConnectEveryoneAndCarryTheStream)
{
    const uint32_t n = 24;
    Ptr<SimulatedNetwork> net = WideStar(n);
    ApplicationContainer apps = InstallStreaming(net, "320kbps");
    std::set<Ipv4Address> failures;
    uint64_t pushDowns = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        apps.Get(i)->SetStartTime(Seconds(0.1 * i));
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        // Once the application has started (and made its forest).
        Simulator::Schedule(Seconds(0.1 * i + 0.001), [&, i]() {
            ForestOf(apps, i)->TraceConnectWithoutContext(
                "ForestFailure",
                Callback<void, uint32_t, Ipv4Address>([&](uint32_t, Ipv4Address a) {
                    failures.insert(a);
                }));
            ForestOf(apps, i)->TraceConnectWithoutContext(
                "PushDown", Callback<void, uint32_t, Ipv4Address>([&](uint32_t, Ipv4Address) {
                    ++pushDowns;
                }));
        });
    }
    apps.Stop(Seconds(40));
    Simulator::Stop(Seconds(41));
    uint64_t spare = 0;
    uint32_t multi = 0;
    Simulator::Schedule(Seconds(39), [&]() {
        multi = CheckForest(net, apps, 18, failures, &spare);
    });
    Simulator::Run();
    std::cout << "forest of " << n << ": " << multi << " nodes interior in several stripes, "
              << spare << " spare-capacity adoptions, " << pushDowns << " push-downs, "
              << failures.size() << " nodes with failures\n";
    // The stream, once the forest is built: packets created over 30-37 s reach everyone.
    for (uint32_t i = 1; i < n; ++i)
    {
        auto app = DynamicCast<SplitStreamApplication>(apps.Get(i));
        uint32_t have = 0;
        uint32_t total = 0;
        for (uint32_t seq = 1200; seq < 1480; ++seq) // 40 packets/s
        {
            have += app->HasPacket(seq);
            ++total;
        }
        EXPECT_GE(have, 0.97 * total) << "node " << i;
    }
    // Transient failures while everyone joins at once are reported and retried; the built
    // forest connects every receiver in every stripe.
    for (uint32_t i = 1; i < n; ++i)
    {
        EXPECT_EQ(ForestOf(apps, i)->GetConnectedStripes(), 16u) << "node " << i;
    }
    Simulator::Destroy();
}

TEST(SplitStream, WithEveryDigitPopulatedTheForestIsInteriorNodeDisjoint)
{
    // 32 receivers, two per first digit, their ids sharing six digits with their digit's
    // stripe id, subscribing once the ring has formed: every stripe's subscriptions travel
    // through, and stop at, the nodes of its digit, so each node forwards in one stripe only
    // (the paper's property), with a cap (64) that never forces a push-down.
    Config::SetDefault("ns3::SplitStreamForest::ForwardingCap", UintegerValue(64));
    Config::SetDefault("ns3::SplitStreamForest::SubscribeDelay", TimeValue(Seconds(4)));
    const uint32_t n = 33;
    Ptr<SimulatedNetwork> net = WideStar(n);
    ApplicationContainer apps = InstallStreaming(net, "320kbps");
    auto probe = CreateObject<SplitStreamForest>();
    std::map<uint32_t, uint32_t> digitOf; // node -> the stripe whose digit its id starts with
    for (uint32_t i = 1; i < n; ++i)
    {
        const uint32_t stripe = (i - 1) % 16;
        PastryId id = probe->GetStripeId(stripe);
        const PastryId noise = PastryId::FromName("node " + std::to_string(i));
        for (uint32_t d = 6; d < PastryId::kDigits; ++d)
        {
            id = id.WithDigit(d, noise.GetDigit(d));
        }
        DynamicCast<SplitStreamApplication>(apps.Get(i))->SetPastryId(id);
        digitOf[i] = stripe;
        apps.Get(i)->SetStartTime(Seconds(0.05 * i));
    }
    probe->Dispose();
    uint64_t pushDowns = 0;
    uint64_t failures = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        Simulator::Schedule(Seconds(0.05 * i + 0.001), [&, i]() {
            ForestOf(apps, i)->TraceConnectWithoutContext(
                "PushDown", Callback<void, uint32_t, Ipv4Address>([&](uint32_t, Ipv4Address) {
                    ++pushDowns;
                }));
            ForestOf(apps, i)->TraceConnectWithoutContext(
                "ForestFailure", Callback<void, uint32_t, Ipv4Address>([&](uint32_t, Ipv4Address) {
                    ++failures;
                }));
        });
    }
    Simulator::Schedule(Seconds(29), [&]() {
        for (uint32_t i = 1; i < n; ++i)
        {
            Ptr<SplitStreamForest> f = ForestOf(apps, i);
            EXPECT_EQ(f->GetConnectedStripes(), 16u) << "node " << i;
            for (uint32_t s = 0; s < 16; ++s)
            {
                if (s != digitOf[i])
                {
                    EXPECT_TRUE(f->GetChildren(s).empty())
                        << "node " << i << " forwards stripe " << s << ", not its digit's "
                        << digitOf[i];
                }
            }
        }
    });
    apps.Stop(Seconds(30));
    Simulator::Stop(Seconds(31));
    Simulator::Run();
    EXPECT_EQ(pushDowns, 0u);
    EXPECT_EQ(failures, 0u);
    for (uint32_t i = 1; i < n; ++i)
    {
        auto app = DynamicCast<SplitStreamApplication>(apps.Get(i));
        uint32_t have = 0;
        for (uint32_t seq = 800; seq < 1120; ++seq) // 20-28 s
        {
            have += app->HasPacket(seq);
        }
        EXPECT_GE(have, 0.97 * 320) << "node " << i;
    }
    Simulator::Destroy();
    Config::SetDefault("ns3::SplitStreamForest::ForwardingCap", UintegerValue(18));
    Config::SetDefault("ns3::SplitStreamForest::SubscribeDelay", TimeValue(Seconds(0)));
}

TEST(SplitStream, ATightCapPushesDownAndNeverOverflows)
{
    // 16 children per node over 16 stripes for 23 receivers: the in-degree and out-degree
    // budgets are equal, so nodes at their cap push children down and orphans anycast to
    // the spare-capacity group; failures are reported, never a cap exceeded.
    Config::SetDefault("ns3::SplitStreamForest::ForwardingCap", UintegerValue(16));
    const uint32_t n = 24;
    Ptr<SimulatedNetwork> net = StarNetwork(n, 10e6, 5);
    ApplicationContainer apps = InstallStreaming(net, "160kbps");
    for (uint32_t i = 0; i < n; ++i)
    {
        apps.Get(i)->SetStartTime(Seconds(0.1 * i));
    }
    std::set<Ipv4Address> failures;
    uint64_t pushDowns = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        // Once the application has started (and made its forest).
        Simulator::Schedule(Seconds(0.1 * i + 0.001), [&, i]() {
            ForestOf(apps, i)->TraceConnectWithoutContext(
                "ForestFailure",
                Callback<void, uint32_t, Ipv4Address>([&](uint32_t, Ipv4Address a) {
                    failures.insert(a);
                }));
            ForestOf(apps, i)->TraceConnectWithoutContext(
                "PushDown", Callback<void, uint32_t, Ipv4Address>([&](uint32_t, Ipv4Address) {
                    ++pushDowns;
                }));
        });
    }
    uint64_t spare = 0;
    uint64_t counted = 0;
    Simulator::Schedule(Seconds(39), [&]() {
        CheckForest(net, apps, 16, failures, &spare);
        for (uint32_t i = 0; i < n; ++i)
        {
            counted += ForestOf(apps, i)->GetPushDowns();
        }
    });
    apps.Stop(Seconds(40));
    Simulator::Stop(Seconds(41));
    Simulator::Run();
    std::cout << "tight cap: " << pushDowns << " push-downs, " << spare
              << " spare-capacity adoptions, " << failures.size() << " nodes with failures\n";
    EXPECT_GT(pushDowns, 0u);
    EXPECT_EQ(counted, pushDowns) << "GetPushDowns counts every PushDown trace";
    Simulator::Destroy();
    Config::SetDefault("ns3::SplitStreamForest::ForwardingCap", UintegerValue(18));
}

TEST(SplitStream, LosingAnInteriorNodeCostsItsSubtreesOnlyTheStripesItForwardsUntilRepair)
{
    const uint32_t n = 24;
    Ptr<SimulatedNetwork> net = WideStar(n);
    ApplicationContainer apps = InstallStreaming(net, "320kbps"); // 40 packets/s, 1000 B
    for (uint32_t i = 0; i < n; ++i)
    {
        apps.Get(i)->SetStartTime(Seconds(0.1 * i));
    }
    std::map<Ipv4Address, uint32_t> index;
    for (uint32_t i = 0; i < n; ++i)
    {
        index[net->GetClientAddress(i)] = i;
    }
    uint32_t victim = 0;
    // Per stripe the victim forwards: the nodes below it there.
    std::map<uint32_t, std::set<uint32_t>> below;
    Simulator::Schedule(Seconds(30), [&]() {
        // The interior node (no stripe's root) with the most descendants over its stripes.
        size_t most = 0;
        for (uint32_t i = 1; i < n; ++i)
        {
            Ptr<SplitStreamForest> f = ForestOf(apps, i);
            std::map<uint32_t, std::set<uint32_t>> subtrees;
            bool root = false;
            size_t total = 0;
            for (uint32_t s = 0; s < 16; ++s)
            {
                if (f->GetChildren(s).empty())
                {
                    continue;
                }
                if (!f->GetParent(s) || *f->GetParent(s) == net->GetClientAddress(0))
                {
                    root = true; // the source feeds stripe roots
                    break;
                }
                std::set<uint32_t>& sub = subtrees[s];
                std::vector<uint32_t> todo{i};
                while (!todo.empty())
                {
                    uint32_t at = todo.back();
                    todo.pop_back();
                    for (const auto& c : ForestOf(apps, at)->GetChildren(s))
                    {
                        if (sub.insert(index.at(c)).second)
                        {
                            todo.push_back(index.at(c));
                        }
                    }
                }
                total += sub.size();
            }
            if (!root && total > most)
            {
                most = total;
                victim = i;
                below = subtrees;
            }
        }
        ASSERT_NE(victim, 0u);
        net->FailClient(victim);
    });
    apps.Stop(Seconds(80));
    Simulator::Stop(Seconds(81));
    Simulator::Run();
    ASSERT_FALSE(below.empty());
    std::cout << "node " << victim << " fails, interior in " << below.size() << " stripes\n";
    // Packets created over 31-39 s (after the failure, before a child can notice: 2 missed
    // heartbeats of 5 s) and over 60-78 s (after repair): the share a node has of the
    // packets of the stripes in which it is below the victim (cut), or of the others.
    auto share = [&](uint32_t node, uint32_t from, uint32_t to, bool cut) {
        auto app = DynamicCast<SplitStreamApplication>(apps.Get(node));
        uint32_t have = 0;
        uint32_t total = 0;
        for (uint32_t seq = from; seq < to; ++seq)
        {
            auto it = below.find(seq % 16);
            if ((it != below.end() && it->second.count(node)) == cut)
            {
                have += app->HasPacket(seq);
                ++total;
            }
        }
        return total ? double(have) / total : 1.0;
    };
    uint32_t cutNodes = 0;
    for (uint32_t i = 1; i < n; ++i)
    {
        if (i == victim)
        {
            continue;
        }
        bool cut = false;
        for (const auto& [s, nodes] : below)
        {
            cut = cut || nodes.count(i);
        }
        EXPECT_GE(share(i, 31 * 40, 39 * 40, false), 0.97) << "node " << i << ": other stripes";
        EXPECT_GE(share(i, 60 * 40, 78 * 40, false), 0.97) << "node " << i;
        if (cut)
        {
            ++cutNodes;
            EXPECT_LE(share(i, 31 * 40, 39 * 40, true), 0.1) << "node " << i << ": cut stripes";
            EXPECT_GE(share(i, 60 * 40, 78 * 40, true), 0.97) << "node " << i << ": repaired";
        }
    }
    EXPECT_GE(cutNodes, 1u) << "the failure cut somebody off";
    // The victim's children noticed its silence: each counts a repair.
    uint64_t repairs = 0;
    for (uint32_t i = 1; i < n; ++i)
    {
        repairs += (i == victim) ? 0 : ForestOf(apps, i)->GetRepairs();
    }
    EXPECT_GE(repairs, 1u) << "the orphaned children counted their repairs";
    Simulator::Destroy();
}

TEST(SplitStream, FilesCompleteAtTheEncodedBlockCount)
{
    const uint32_t n = 12;
    Ptr<SimulatedNetwork> net = StarNetwork(n, 10e6, 5);
    const SystemSpec& spec
        = SystemRegistry::Get().Find("splitstream", SystemSpec::FILE_DISTRIBUTION);
    EXPECT_EQ(spec.appType, "ns3::SplitStreamFilesApplication");
    OverlayHelper helper(spec.appType);
    helper.SetAttribute("FileSize", UintegerValue(1000 * 1000));
    spec.configure(helper);
    ApplicationContainer apps = helper.InstallWithoutTree(net, 0);
    std::vector<double> done(n, -1);
    std::vector<std::set<uint32_t>> got(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        apps.Get(i)->TraceConnectWithoutContext(
            "BlockRx", Callback<void, Ipv4Address, uint32_t, uint32_t, bool>(
                           [&got, i](Ipv4Address, uint32_t b, uint32_t, bool) {
                               got[i].insert(b);
                           }));
        apps.Get(i)->TraceConnectWithoutContext("Complete", Callback<void, Time>([&, i](Time t) {
                                                    done[i] = t.GetSeconds();
                                                    EXPECT_EQ(got[i].size(), 65u)
                                                        << "ceil(1.04 * 62) blocks of 16 KiB";
                                                }));
    }
    apps.Stop(Seconds(60));
    Simulator::Stop(Seconds(61));
    Simulator::Run();
    auto app = DynamicCast<SplitStreamFilesApplication>(apps.Get(1));
    EXPECT_EQ(app->GetNumBlocks(), 62u);
    EXPECT_EQ(app->GetBlocksNeeded(), 65u);
    for (uint32_t i = 1; i < n; ++i)
    {
        EXPECT_GT(done[i], 0) << "node " << i << " completes";
    }
    // The source's blocks went out round-robin: stripe of block b is b mod 16.
    auto source = DynamicCast<SplitStreamFilesApplication>(apps.Get(0));
    EXPECT_GE(source->GetBlocksMade(), 65u);
    Simulator::Destroy();
}
