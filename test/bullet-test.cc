/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "star-network.h"

#include "ns3/bullet-application.h"
#include "ns3/double.h"
#include "ns3/overlay-helper.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/streaming-metrics.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

using namespace ns3;

namespace
{

/// No child holds any packet yet.
const ChildSendPolicy::HasFn kNone = [](const ChildSendPolicy::Child&) {
    return false;
};

std::vector<ChildSendPolicy::Child>
Children(const std::vector<double>& sf, double lf)
{
    std::vector<ChildSendPolicy::Child> out;
    for (uint32_t i = 0; i < sf.size(); ++i)
    {
        ChildSendPolicy::Child c;
        c.address = Ipv4Address(i + 1);
        c.sendingFactor = sf[i];
        c.limitingFactor = lf;
        out.push_back(c);
    }
    return out;
}

} // namespace

TEST(DisjointChildSend, OwnershipFollowsSendingFactors)
{
    DisjointChildSend policy;
    auto children = Children({0.5, 0.3, 0.2}, 0.0); // no extra sends: ownership only
    uint64_t total = 0;
    std::map<uint32_t, uint32_t> got;
    for (uint32_t seq = 0; seq < 1000; ++seq)
    {
        uint32_t receivers = 0;
        policy.Send(
            children, seq, 0.01, total,
            [&](ChildSendPolicy::Child& c) {
                ++got[c.address.Get()];
                ++receivers;
                return true;
            },
            kNone);
        ASSERT_EQ(receivers, 1u) << "each packet owned by exactly one child";
    }
    EXPECT_EQ(total, 1000u);
    EXPECT_NEAR(children[0].sent, 500, 2);
    EXPECT_NEAR(children[1].sent, 300, 2);
    EXPECT_NEAR(children[2].sent, 200, 2);
}

TEST(DisjointChildSend, FirstPacketOfAnEpochFindsAnOwnerWhenNoChildHasAShare)
{
    // At an epoch's start nothing is owned yet (total 0); children whose descendants RanSub has
    // not counted have a sending factor of 0. The packet must still go to a child that lacks it
    // (it once went to none: 0/0 made every child look as if it held the packet).
    DisjointChildSend policy;
    auto children = Children({0.0, 0.0}, 0.0);
    const ChildSendPolicy::HasFn firstHolds = [](const ChildSendPolicy::Child& c) {
        return c.address == Ipv4Address(1);
    };
    uint64_t total = 0;
    std::vector<uint32_t> to;
    bool sent = policy.Send(
        children, 0, 0.01, total,
        [&](ChildSendPolicy::Child& c) {
            to.push_back(c.address.Get());
            return true;
        },
        firstHolds);
    EXPECT_TRUE(sent);
    ASSERT_EQ(to.size(), 1u);
    EXPECT_EQ(to[0], 2u) << "the child that lacks the packet owns it";
    EXPECT_EQ(total, 1u);
}

TEST(DisjointChildSend, RefusedOwnershipPassesToAChildThatAccepts)
{
    DisjointChildSend policy;
    auto children = Children({0.6, 0.2, 0.2}, 0.0);
    uint64_t total = 0;
    for (uint32_t seq = 0; seq < 1000; ++seq)
    {
        bool sent = policy.Send(
            children, seq, 0.01, total,
            [&](ChildSendPolicy::Child& c) {
                return c.address != Ipv4Address(1); // child 1's transport is always full
            },
            kNone);
        ASSERT_TRUE(sent);
    }
    EXPECT_EQ(children[0].sent, 0u);
    EXPECT_EQ(children[1].sent + children[2].sent, 1000u) << "every packet owned once";
    // Figure 5 searches the children in order for a new owner, so the first one that
    // accepts takes over every packet the full child was due; the last keeps its share.
    EXPECT_NEAR(children[2].sent, 200, 2);
    EXPECT_NEAR(children[1].sent, 800, 2);
}

namespace
{

/// Offers n packets to two children with sf 0.5 each, which can take the given fractions
/// of the stream (token buckets). Returns the fractions each received and both received.
struct CapacityRun
{
    double to1{0};
    double to2{0};
    double both{0};
};

CapacityRun
RunCapacity(std::vector<ChildSendPolicy::Child>& children, double cap1, double cap2, uint32_t n)
{
    DisjointChildSend policy;
    uint64_t total = 0;
    double tokens[2] = {0, 0.5}; // out of phase, as independent flows are
    CapacityRun out;
    for (uint32_t seq = 0; seq < n; ++seq)
    {
        tokens[0] = std::min(tokens[0] + cap1, 5.0);
        tokens[1] = std::min(tokens[1] + cap2, 5.0);
        bool got[2] = {false, false};
        policy.Send(
            children, seq, 1.0 / 400, total,
            [&](ChildSendPolicy::Child& c) {
                uint32_t i = c.address.Get() - 1;
                if (tokens[i] < 1)
                {
                    return false;
                }
                tokens[i] -= 1;
                got[i] = true;
                return true;
            },
            kNone);
        out.to1 += got[0];
        out.to2 += got[1];
        out.both += got[0] && got[1];
    }
    out.to1 /= n;
    out.to2 /= n;
    out.both /= n;
    return out;
}

} // namespace

TEST(DisjointChildSend, AmpleChildrenGetEverythingScarceOnesDisjointShares)
{
    // Ample bandwidth: every child receives the whole stream, limiting factors stay at 1.
    auto children = Children({0.5, 0.5}, 1.0);
    CapacityRun r = RunCapacity(children, 5, 5, 20000);
    EXPECT_EQ(r.to1, 1.0);
    EXPECT_EQ(r.to2, 1.0);
    EXPECT_EQ(children[0].limitingFactor, 1.0);
    EXPECT_EQ(children[1].limitingFactor, 1.0);
    // Not enough for the whole stream between them: nearly disjoint streams of what each can
    // take ("each child will receive a completely disjoint data stream of packets it owns").
    children = Children({0.5, 0.5}, 1.0);
    r = RunCapacity(children, 0.3, 0.35, 20000);
    EXPECT_NEAR(r.to1, 0.3, 0.02);
    EXPECT_NEAR(r.to2, 0.35, 0.02);
    EXPECT_LT(r.both, 0.05 * (r.to1 + r.to2)) << "overlap between the children's streams";
    // In between: a child gets what it can take, the other everything.
    children = Children({0.5, 0.5}, 1.0);
    r = RunCapacity(children, 5, 0.7, 20000);
    EXPECT_EQ(r.to1, 1.0);
    EXPECT_NEAR(r.to2, 0.7, 0.02);
}

TEST(DisjointChildSend, SelectsExactlyAnLfFractionOfSequenceNumbers)
{
    for (double lf : {0.0, 0.1, 0.25, 0.33, 0.5, 0.9, 1.0})
    {
        uint32_t n = 0;
        for (uint32_t seq = 0; seq < 10000; ++seq)
        {
            n += DisjointChildSend::Selects(lf, seq);
        }
        EXPECT_NEAR(n, lf * 10000, 1) << lf;
    }
}

TEST(SendOnceChildSend, EveryPacketGoesToExactlyOneChildThatAccepts)
{
    SendOnceChildSend policy;
    auto children = Children({0.5, 0.3, 0.2}, 1.0);
    uint64_t total = 0;
    uint32_t sends = 0;
    // Ample capacity: DisjointChildSend would send extra copies (limiting factors at 1);
    // this policy sends each packet once, in the sending factors' proportions.
    for (uint32_t seq = 0; seq < 1000; ++seq)
    {
        ASSERT_TRUE(policy.Send(
            children, seq, 0.01, total,
            [&](ChildSendPolicy::Child&) {
                ++sends;
                return true;
            },
            kNone));
    }
    EXPECT_EQ(sends, 1000u) << "one copy per packet";
    EXPECT_NEAR(children[0].sent, 500, 2);
    EXPECT_NEAR(children[1].sent, 300, 2);
    EXPECT_NEAR(children[2].sent, 200, 2);
    // A full child: its packets go to the first other child that accepts, still once each.
    children = Children({0.5, 0.3, 0.2}, 1.0);
    total = 0;
    uint32_t accepted = 0;
    for (uint32_t seq = 0; seq < 1000; ++seq)
    {
        policy.Send(
            children, seq, 0.01, total,
            [&](ChildSendPolicy::Child& c) {
                bool ok = c.address != Ipv4Address(1);
                accepted += ok;
                return ok;
            },
            kNone);
    }
    EXPECT_EQ(accepted, 1000u);
    EXPECT_EQ(children[0].sent, 0u);
    EXPECT_EQ(children[1].sent + children[2].sent, 1000u);
    // Nobody accepts: nothing is counted as sent.
    total = 0;
    EXPECT_FALSE(policy.Send(
        children, 5000, 0.01, total,
        [](ChildSendPolicy::Child&) {
            return false;
        },
        kNone));
    EXPECT_EQ(total, 0u);
}

TEST(SendToAllChildren, OffersEveryPacketToEveryChild)
{
    SendToAllChildren policy;
    auto children = Children({0.5, 0.5}, 0.0);
    uint64_t total = 0;
    uint32_t sends = 0;
    for (uint32_t seq = 0; seq < 100; ++seq)
    {
        policy.Send(
            children, seq, 0.01, total,
            [&](ChildSendPolicy::Child&) {
                ++sends;
                return true;
            },
            kNone);
    }
    EXPECT_EQ(sends, 200u);
}

namespace
{

RanSubMember
Member(uint32_t node, uint32_t from, uint32_t to, std::shared_ptr<const MinWisePermutations> perms)
{
    SummaryTicket t(perms);
    for (uint32_t k = from; k < to; ++k)
    {
        t.Insert(k);
    }
    Buffer b;
    b.AddAtStart(t.GetSerializedSize());
    Buffer::Iterator it = b.Begin();
    t.Serialize(it);
    RanSubMember m;
    m.node = Ipv4Address(node);
    m.payload.resize(b.GetSize());
    b.CopyData(m.payload.data(), m.payload.size());
    return m;
}

} // namespace

TEST(BulletPeering, RanksEligibleCandidatesLeastResemblingFirst)
{
    auto perms = std::make_shared<MinWisePermutations>(30);
    SummaryTicket mine(perms);
    for (uint32_t k = 0; k < 1000; ++k)
    {
        mine.Insert(k);
    }
    std::vector<RanSubMember> members{Member(1, 0, 1000, perms),    // identical
                                      Member(2, 400, 1400, perms),  // J = 0.43
                                      Member(3, 2000, 3000, perms), // disjoint
                                      Member(4, 100, 1100, perms)}; // J = 0.82
    members.push_back({Ipv4Address(5), {1, 2, 3}});                 // malformed ticket
    auto nodes = [](const std::vector<BulletMeshReceiver::Candidate>& ranked) {
        std::vector<uint32_t> out;
        for (const auto& c : ranked)
        {
            out.push_back(c.node.Get());
        }
        return out;
    };
    auto all = BulletApplication::RankByResemblance(mine, members, [](Ipv4Address) {
        return true;
    });
    EXPECT_EQ(nodes(all), (std::vector<uint32_t>{3, 2, 4, 1}));
    ASSERT_EQ(all.size(), 4U);
    EXPECT_LT(all[0].resemblance, 0.1);
    EXPECT_GT(all[3].resemblance, 0.9);
    EXPECT_LE(all[1].resemblance, all[2].resemblance);
    auto but3 = BulletApplication::RankByResemblance(mine, members, [](Ipv4Address a) {
        return a != Ipv4Address(3);
    });
    EXPECT_EQ(nodes(but3), (std::vector<uint32_t>{2, 4, 1}));
    EXPECT_TRUE(BulletApplication::RankByResemblance(mine, {members.back()}, [](Ipv4Address) {
                    return true;
                }).empty());
}

TEST(BulletPeerHeader, RoundTripAndMalformedInput)
{
    BulletPeerHeader h;
    h.filter = BloomFilter(800, 4);
    h.filter.Insert(7);
    h.low = 10;
    h.high = 900;
    h.share = {9, 7, 3}; // rows 7, 8 and 0 of 9
    h.receivedKbps = 512;
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    std::vector<uint8_t> bytes(p->GetSize());
    p->CopyData(bytes.data(), bytes.size());
    BulletPeerHeader back;
    ASSERT_EQ(p->RemoveHeader(back), bytes.size());
    EXPECT_TRUE(back.filter.Contains(7));
    EXPECT_EQ(back.high, 900u);
    EXPECT_EQ(back.share, (RowShare{9, 7, 3}));
    for (uint32_t cut = 0; cut < bytes.size(); ++cut)
    {
        BulletPeerHeader t;
        EXPECT_EQ(Create<Packet>(bytes.data(), cut)->RemoveHeader(t), 0u) << cut;
    }
    // bytes (share {9, 7, 3}) end in rows | flag, first, count, then the 4-byte bandwidth.
    const std::size_t at = bytes.size() - 10;
    ASSERT_EQ(bytes[at], 0x80);
    ASSERT_EQ(bytes[at + 1], 9);
    // A share must lie in the matrix: first row below the rows, 1 to rows rows.
    for (auto [first, count] : {std::pair{9, 3}, std::pair{0, 0}, std::pair{2, 10}})
    {
        std::vector<uint8_t> b = bytes;
        b[at + 3] = first;
        b[at + 5] = count;
        BulletPeerHeader t;
        Create<Packet>(b.data(), b.size())->RemoveHeader(t);
        EXPECT_FALSE(t.IsValid()) << "rows 9, first " << first << ", count " << count;
    }
    // The paper's one row takes 4 bytes, as rows and row; a longer share 2 more, flagged in
    // the rows' top bit. A one-row share in the longer form is not canonical: refused.
    h.share = {9, 7, 1};
    const uint32_t oneRow = h.GetSerializedSize();
    h.share = {9, 7, 3};
    EXPECT_EQ(h.GetSerializedSize(), oneRow + 2);
    std::vector<uint8_t> b = bytes;
    b[at + 5] = 1; // count 1 in the several-rows form
    BulletPeerHeader t;
    Create<Packet>(b.data(), b.size())->RemoveHeader(t);
    EXPECT_FALSE(t.IsValid()) << "a one-row share in the several-rows form";
    std::vector<uint8_t> none = bytes;
    none[at + 1] = 0; // no rows, in the several-rows form (the short form's 0 is the one)
    none[at + 3] = 0;
    BulletPeerHeader z;
    Create<Packet>(none.data(), none.size())->RemoveHeader(z);
    EXPECT_FALSE(z.IsValid()) << "no rows in the several-rows form";
    b[at + 5] = 2;
    BulletPeerHeader u;
    Create<Packet>(b.data(), b.size())->RemoveHeader(u);
    ASSERT_TRUE(u.IsValid());
    EXPECT_EQ(u.share, (RowShare{9, 7, 2}));
}

namespace
{

/// 13 nodes on a star: the source's access link is 1.2 Mbps, the others' 3 Mbps. The source
/// feeds 3 children, which feed 3 each, so the source's link caps every subtree at about a
/// third of a 1 Mbps stream, while the mesh has capacity to spare (2003 Section 1's example).
struct MeshScenario
{
    Ptr<SimulatedNetwork> net;
    ApplicationContainer apps;
    std::unique_ptr<StreamingMetrics> metrics;
    TreeSpec tree;

    MeshScenario(const std::string& app, const std::string& policy = "ns3::DisjointChildSend",
                 double sourceLinkBps = 1.2e6, bool sourceAcceptsPeers = false,
                 const std::string& rowAssignment = "ns3::UniformRows",
                 const std::string& digestFilter = "ns3::WindowFilter")
    {
        std::vector<double> rates(13, 3e6);
        rates[0] = sourceLinkBps;
        net = StarNetwork(rates, 10);
        tree.root = 0;
        tree.parent = {TreeSpec::kNoParent, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3};
        OverlayHelper helper(app);
        helper.SetAttribute("Rate", DataRateValue(DataRate("1Mbps")));
        if (app == "ns3::BulletApplication")
        {
            helper.SetAttribute("ChildSendPolicy", TypeIdValue(TypeId::LookupByName(policy)));
            helper.SetAttribute("SourceAcceptsPeers", BooleanValue(sourceAcceptsPeers));
            helper.SetAttribute("RowAssignment", TypeIdValue(TypeId::LookupByName(rowAssignment)));
            helper.SetAttribute("DigestFilter", TypeIdValue(TypeId::LookupByName(digestFilter)));
        }
        apps = helper.InstallStaticTree(net, tree);
        metrics = std::make_unique<StreamingMetrics>(net, apps, tree.root);
        apps.Start(Seconds(0));
        apps.Stop(Seconds(150));
        Simulator::Stop(Seconds(151));
    }

    ~MeshScenario()
    {
        Simulator::Destroy();
    }
};

/// Bullet on MeshScenario with rows divided by \p rowAssignment and filters chosen by
/// \p digestFilter: the mesh recovers what the tree cannot carry, and the senders' rows keep
/// them disjoint. \returns Bullet's summary over the window.
nlohmann::json
CheckPeersRecover(const std::string& rowAssignment,
                  const std::string& digestFilter = "ns3::WindowFilter")
{
    double treeUseful = 0;
    {
        MeshScenario tree("ns3::TreeStreamingApplication");
        Simulator::Run();
        treeUseful = tree.metrics->Summary(Seconds(75), Seconds(150))["useful_kbps"];
    }
    MeshScenario s("ns3::BulletApplication", "ns3::DisjointChildSend", 1.2e6, false, rowAssignment,
                   digestFilter);
    // Which peers sent each node each packet, to check that rows keep senders disjoint.
    std::map<std::pair<uint32_t, uint32_t>, uint32_t> peerCopies;

    for (uint32_t i = 0; i < 13; ++i)
    {
        s.apps.Get(i)->TraceConnectWithoutContext(
            "DataRx", Callback<void, Ipv4Address, uint32_t, uint32_t, bool, bool>(
                          [&, i](Ipv4Address, uint32_t seq, uint32_t, bool fromParent, bool) {
                              if (!fromParent && Simulator::Now() > Seconds(75))
                              {
                                  ++peerCopies[{i, seq}];
                              }
                          }));
    }
    Simulator::Run();
    auto summary = s.metrics->Summary(Seconds(75), Seconds(150));
    double useful = summary["useful_kbps"];
    double parent = summary["from_parent_kbps"];
    std::cout << "tree streaming " << treeUseful << " kbps; bullet " << summary.dump() << "\n";
    EXPECT_LT(treeUseful, 450) << "the tree alone is capped by the source's uplink";
    EXPECT_GT(useful, 1.25 * treeUseful) << "the mesh recovers what the tree cannot carry";
    EXPECT_GT(useful, parent + 150) << "useful > from-parent: peers fill the holes";
    // Two thirds of the stream are recovered at every level here; duplicates measured
    // 5.4-11.0% over RngRun 1-4 (the steady-state test below holds the paper's 10%).
    EXPECT_LT(summary["duplicate_fraction"].get<double>(), 0.14);
    uint32_t multiple = 0;
    for (const auto& [key, n] : peerCopies)
    {
        multiple += n > 1;
    }
    // Rows keep senders apart; a packet comes twice from peers when rows rotate or change
    // while packets of the old assignment are in flight (measured 6-12% over RngRun 1-3;
    // a regression bound, see doc/bullet.md).
    EXPECT_LT(multiple, 0.15 * peerCopies.size());
    // Each node found senders through RanSub.
    for (uint32_t i = 1; i < 13; ++i)
    {
        auto app = DynamicCast<BulletApplication>(s.apps.Get(i));
        EXPECT_FALSE(app->GetSenders().empty()) << "node " << i;
    }
    return summary;
}

} // namespace

TEST(Bullet, PeersRecoverWhatTheConstrainedTreeCannotCarry)
{
    CheckPeersRecover("ns3::UniformRows");
}

// Shares that follow what each sender delivered (not in the papers) change how many rows
// each sender has, not that each row has one sender: the same bounds hold.
TEST(Bullet, SharesByDeliveryStillRecoverAndKeepPeersDisjoint)
{
    CheckPeersRecover("ns3::RowsByDelivery");
}

// The 2008 paper's smaller filter per share (Section 4.3.2.4): each sender tests only its own
// share's packets, so the mesh recovers as much with a fraction of the control traffic.
TEST(Bullet, ShareFiltersRecoverAsMuchWithLessControlTraffic)
{
    const nlohmann::json window = CheckPeersRecover("ns3::UniformRows", "ns3::WindowFilter");
    const nlohmann::json share = CheckPeersRecover("ns3::UniformRows", "ns3::ShareFilter");
    // Nodes have 7-9 senders here, so each refresh carries about an eighth of the filter:
    // measured 10.3 against 59.9 kbps of control traffic, useful 833.5 against 830.3 kbps,
    // duplicates 1.8% against 8.9%.
    EXPECT_LT(share["control_kbps"].get<double>(), 0.4 * window["control_kbps"].get<double>());
    EXPECT_LT(share["duplicate_fraction"].get<double>(), 0.10);
    EXPECT_GT(share["useful_kbps"].get<double>(), 0.9 * window["useful_kbps"].get<double>());
}

TEST(Bullet, DuplicatesStayUnderTenPercentInSteadyState)
{
    // The source's link carries the stream 2.2 times; the mesh recovers what each subtree
    // misses. With the source also serving peers, duplicates average under the paper's 10%
    // of received packets over three runs once the mesh has formed (measured 10.9%, 7.9%,
    // 8.9%: the rest come from senders that learn of a rotated row late, doc/bullet.md).
    // With the default (the source serves only its tree) they measured 11.0%, 10.2%, 11.7%
    // with exactly paced TFRC, and 4.6%, 5.8%, 5.8% since TFRC's gaps are exponential
    // (TfrcSocket::Pacing, doc/tfrc.md); with the source serving peers 8.0%, 7.3%, 9.6%.
    // Useful rates measured 962, 995, 1001 kbps (default) and 948, 876, 962 kbps with the
    // source serving peers, whose packets above the receivers' request range die unrecovered
    // (doc/bullet.md), hence its lower bound.
    for (bool sourcePeers : {true, false})
    {
        double sum = 0;
        for (uint32_t run : {1, 2, 3})
        {
            RngSeedManager::SetRun(run);
            MeshScenario s("ns3::BulletApplication", "ns3::DisjointChildSend", 2.2e6, sourcePeers);
            Simulator::Run();
            auto summary = s.metrics->Summary(Seconds(75), Seconds(150));
            std::cout << "source peers " << sourcePeers << ", run " << run << ": " << summary.dump()
                      << "\n";
            double dup = summary["duplicate_fraction"].get<double>();
            sum += dup;
            EXPECT_LT(dup, 0.125) << "run " << run << " source peers " << sourcePeers;
            EXPECT_GT(summary["useful_kbps"].get<double>(), sourcePeers ? 850 : 900)
                << "run " << run;
        }
        EXPECT_LT(sum / 3, sourcePeers ? 0.10 : 0.12) << "source peers " << sourcePeers;
    }
    RngSeedManager::SetRun(1);
}

TEST(Bullet, RootShareFollowsDescendantCounts)
{
    // Source with children of 3, 2 and 1 descendants (itself included).
    Ptr<SimulatedNetwork> net = StarNetwork(7, 10e6, 5);
    TreeSpec tree;
    tree.root = 0;
    tree.parent = {TreeSpec::kNoParent, 0, 0, 0, 1, 1, 2};
    OverlayHelper helper("ns3::BulletApplication");
    helper.SetAttribute("InitialLimitingFactor", DoubleValue(0.0));
    helper.SetAttribute("MaxSenders", UintegerValue(0));
    ApplicationContainer apps = helper.InstallStaticTree(net, tree);
    apps.Start(Seconds(0));
    apps.Stop(Seconds(30));
    std::map<Ipv4Address, uint32_t> owned;
    Simulator::Schedule(Seconds(29.9), [&]() {
        for (const auto& c : DynamicCast<BulletApplication>(apps.Get(0))->GetChildState())
        {
            owned[c.address] = c.sent;
            EXPECT_LT(c.limitingFactor, 0.01);
        }
    });
    Simulator::Stop(Seconds(31));
    Simulator::Run();
    double total = owned[net->GetClientAddress(1)] + owned[net->GetClientAddress(2)]
                   + owned[net->GetClientAddress(3)];
    ASSERT_GT(total, 100);
    EXPECT_NEAR(owned[net->GetClientAddress(1)] / total, 3.0 / 6, 0.02);
    EXPECT_NEAR(owned[net->GetClientAddress(2)] / total, 2.0 / 6, 0.02);
    EXPECT_NEAR(owned[net->GetClientAddress(3)] / total, 1.0 / 6, 0.02);
    Simulator::Destroy();
}
