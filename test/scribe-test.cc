/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Scribe over Pastry over sockets: a tree reaches every subscriber exactly once, child limits
// hold, anycast finds a taker or reports that none exists, and a failed interior node's
// subtree is repaired.

#include "star-network.h"

#include "ns3/nstime.h"
#include "ns3/scribe.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

using namespace ns3;

namespace
{

/// Records multicasts; takes anycasts if told to.
struct TestClient : public ScribeClient
{
    uint32_t index{0};
    bool takeAnycasts{false};
    PastryId takeGroup;                              ///< the only group whose anycasts it takes
    std::map<uint32_t, uint32_t>* received{nullptr}; ///< message number -> copies, per node
    std::vector<std::pair<bool, Ipv4Address>> results;

    void
    DeliverMulticast(const PastryId& group, Ptr<const Packet> payload) override
    {
        (*received)[payload->GetSize()]++;
    }

    bool
    AcceptAnycast(const PastryId& group, const PastryHandle& originator,
                  Ptr<const Packet> payload) override
    {
        return takeAnycasts && group == takeGroup;
    }

    void
    AnycastResult(const PastryId& group, bool success, const PastryHandle& acceptor,
                  Ptr<const Packet> payload) override
    {
        results.emplace_back(success, acceptor.address);
    }
};

/// n nodes running Pastry and Scribe on a star; node 0 the bootstrap.
struct ScribeNet
{
    Ptr<SimulatedNetwork> net;
    std::vector<Ptr<ControlChannel>> channels;
    std::vector<Ptr<PastryNode>> pastry;
    std::vector<Ptr<Scribe>> scribe;
    std::vector<TestClient> clients;
    std::vector<std::map<uint32_t, uint32_t>> received;
    std::vector<bool> live;

    explicit ScribeNet(uint32_t n, uint32_t maxChildren = 25)
        : clients(n)
        , received(n)
        , live(n, true)
    {
        net = StarNetwork(n, 10e6, 5);
        for (uint32_t i = 0; i < n; ++i)
        {
            channels.push_back(CreateObject<TcpControlChannel>());
            pastry.push_back(CreateObject<PastryNode>());
            scribe.push_back(CreateObject<Scribe>());
            scribe[i]->SetAttribute("MaxChildren", UintegerValue(maxChildren));
            pastry[i]->SetBootstrap(net->GetClientAddress(0));
            pastry[i]->AssignStreams(200 + i);
            scribe[i]->AssignStreams(300 + i);
            clients[i].index = i;
            clients[i].received = &received[i];
            scribe[i]->SetClient(&clients[i]);
            Simulator::Schedule(Seconds(0.05 * i), [this, i]() {
                channels[i]->Start(net->GetClient(i));
                scribe[i]->Start(pastry[i], channels[i]);
                pastry[i]->Start(channels[i]);
            });
        }
    }

    ~ScribeNet()
    {
        Simulator::Destroy();
    }

    void
    Fail(uint32_t i)
    {
        live[i] = false;
        net->FailClient(i);
        scribe[i]->Stop();
        pastry[i]->Stop();
    }

    /// Checks the group's tree: one root, every member reaches it by parent links without a
    /// loop, parent and child agree. \returns the number of nodes with children
    /// Node index by address.
    std::map<Ipv4Address, uint32_t>
    Index() const
    {
        std::map<Ipv4Address, uint32_t> index;
        for (uint32_t i = 0; i < pastry.size(); ++i)
        {
            index[pastry[i]->GetHandle().address] = i;
        }
        return index;
    }

    uint32_t
    CheckTree(const PastryId& group, const std::set<uint32_t>& members)
    {
        const std::map<Ipv4Address, uint32_t> index = Index();
        uint32_t roots = 0;
        uint32_t interior = 0;
        for (uint32_t i = 0; i < pastry.size(); ++i)
        {
            if (!live[i])
            {
                continue;
            }
            roots += scribe[i]->IsRoot(group);
            interior += !scribe[i]->GetChildren(group).empty();
            for (const auto& c : scribe[i]->GetChildren(group))
            {
                const uint32_t ci = index.at(c.address);
                EXPECT_TRUE(live[ci]) << i << " keeps failed child " << ci;
                auto p = scribe[ci]->GetParent(group);
                EXPECT_TRUE(p && p->address == pastry[i]->GetHandle().address)
                    << ci << " is " << i << "'s child but not the other way round";
            }
        }
        EXPECT_EQ(roots, 1u) << "one root";
        for (uint32_t m : members)
        {
            if (!live[m])
            {
                continue;
            }
            uint32_t at = m;
            uint32_t steps = 0;
            while (!scribe[at]->IsRoot(group) && steps <= pastry.size())
            {
                auto p = scribe[at]->GetParent(group);
                if (!p)
                {
                    ADD_FAILURE() << "node " << at << " (on member " << m
                                  << "'s path) has no parent";
                    break;
                }
                at = index.at(p->address);
                EXPECT_TRUE(live[at]) << "path through failed node " << at;
                ++steps;
            }
            EXPECT_LE(steps, pastry.size()) << "a loop above member " << m;
        }
        return interior;
    }
};

} // namespace

TEST(Scribe, ATreeReachesEverySubscriberExactlyOnceAndSurvivesAnInteriorFailure)
{
    const uint32_t n = 30;
    ScribeNet s(n);
    const PastryId group = PastryId::FromName("group");
    std::set<uint32_t> members;
    for (uint32_t i = 1; i < n; ++i)
    {
        if (i % 5 != 0)
        {
            members.insert(i); // every fifth node stays out (it may still forward)
        }
    }
    for (uint32_t m : members)
    {
        Simulator::Schedule(Seconds(5 + 0.1 * m), [&s, m, group]() {
            s.scribe[m]->Subscribe(group);
        });
    }
    // Multicasts 1..10 bytes long (the length names them), published by random nodes.
    std::mt19937 rng(3);
    for (uint32_t k = 1; k <= 10; ++k)
    {
        const uint32_t from = rng() % n;
        Simulator::Schedule(Seconds(20 + k * 0.5), [&s, from, k, group]() {
            s.scribe[from]->Publish(group, Create<Packet>(k));
        });
    }
    uint32_t failed = 0;
    uint64_t repairs = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        s.scribe[i]->TraceConnectWithoutContext(
            "Repair",
            Callback<void, const PastryId&, Ipv4Address>([&](const PastryId&, Ipv4Address) {
                ++repairs;
            }));
    }
    std::set<uint32_t> orphaned;
    Simulator::Schedule(Seconds(30), [&]() {
        EXPECT_GE(s.CheckTree(group, members), 1u);
        // Fail an interior node that is not the root (a node with children and a parent).
        for (uint32_t i = 1; i < n; ++i)
        {
            if (!s.scribe[i]->GetChildren(group).empty() && s.scribe[i]->GetParent(group))
            {
                failed = i;
                break;
            }
        }
        ASSERT_NE(failed, 0u) << "a tree of 24 members over 30 nodes has an interior non-root";
        for (const auto& c : s.scribe[failed]->GetChildren(group))
        {
            orphaned.insert(c.address.Get());
        }
        s.Fail(failed);
    });
    for (uint32_t k = 11; k <= 20; ++k)
    {
        const uint32_t pick = rng() % n;
        Simulator::Schedule(Seconds(70 + (k - 10) * 0.5), [&s, pick, k, group]() {
            uint32_t from = pick;
            while (!s.live[from])
            {
                from = (from + 1) % s.live.size();
            }
            s.scribe[from]->Publish(group, Create<Packet>(k));
        });
    }
    Simulator::Schedule(Seconds(69), [&]() {
        s.CheckTree(group, members);
    });
    Simulator::Stop(Seconds(80));
    Simulator::Run();

    for (uint32_t i = 0; i < n; ++i)
    {
        for (uint32_t k = 1; k <= 20; ++k)
        {
            if (k > 10 && !s.live[i])
            {
                continue;
            }
            const uint32_t expect = members.count(i) ? 1 : 0;
            EXPECT_EQ(s.received[i][k], expect) << "node " << i << " message " << k;
        }
    }
    EXPECT_FALSE(orphaned.empty());
    EXPECT_GE(repairs, orphaned.size()) << "each orphan repaired";
}

TEST(Scribe, ChildLimitsHoldAndEveryoneStillGetsEachMessageOnce)
{
    const uint32_t n = 24;
    ScribeNet s(n, 2); // at most 2 children per node: refused subscribers go down the tree
    const PastryId group = PastryId::FromName("narrow");
    std::set<uint32_t> members;
    for (uint32_t i = 1; i < n; ++i)
    {
        members.insert(i);
        Simulator::Schedule(Seconds(5 + 0.05 * i), [&s, i, group]() {
            s.scribe[i]->Subscribe(group);
        });
    }
    for (uint32_t k = 1; k <= 5; ++k)
    {
        Simulator::Schedule(Seconds(40 + k), [&s, k, group]() {
            s.scribe[k]->Publish(group, Create<Packet>(k));
        });
    }
    Simulator::Stop(Seconds(60));
    Simulator::Run();
    s.CheckTree(group, members);
    for (uint32_t i = 0; i < n; ++i)
    {
        EXPECT_LE(s.scribe[i]->GetChildren(group).size(), 2u) << "node " << i;
        for (uint32_t k = 1; k <= 5; ++k)
        {
            EXPECT_EQ(s.received[i][k], i == 0 ? 0u : 1u) << "node " << i << " message " << k;
        }
    }
}

TEST(Scribe, AnycastFindsATakerDepthFirstOrReportsThereIsNone)
{
    const uint32_t n = 20;
    ScribeNet s(n);
    const PastryId some = PastryId::FromName("some take");
    const PastryId none = PastryId::FromName("nobody takes");
    for (uint32_t i = 1; i < n; ++i)
    {
        Simulator::Schedule(Seconds(5 + 0.05 * i), [&s, i, some, none]() {
            s.scribe[i]->Subscribe(some);
            s.scribe[i]->Subscribe(none);
        });
    }
    std::set<Ipv4Address> takers;
    for (uint32_t i : {4u, 11u, 17u})
    {
        takers.insert(s.net->GetClientAddress(i));
    }
    uint64_t failedTraces = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        s.scribe[i]->TraceConnectWithoutContext(
            "AnycastFailed",
            Callback<void, const PastryId&, Ipv4Address>([&](const PastryId& g, Ipv4Address) {
                EXPECT_EQ(g, none);
                ++failedTraces;
            }));
    }
    Simulator::Schedule(Seconds(25), [&]() {
        for (uint32_t i : {4u, 11u, 17u})
        {
            s.clients[i].takeAnycasts = true;
            s.clients[i].takeGroup = some;
        }
        for (uint32_t from : {0u, 2u, 9u})
        {
            s.scribe[from]->Anycast(some, Create<Packet>(3));
            s.scribe[from]->Anycast(none, Create<Packet>(3));
        }
    });
    Simulator::Stop(Seconds(35));
    Simulator::Run();
    for (uint32_t from : {0u, 2u, 9u})
    {
        const auto& r = s.clients[from].results;
        ASSERT_EQ(r.size(), 2u) << "node " << from << " hears of both anycasts";
        uint32_t successes = 0;
        for (const auto& [ok, who] : r)
        {
            if (ok)
            {
                ++successes;
                EXPECT_TRUE(takers.count(who)) << who << " does not take anycasts";
            }
        }
        EXPECT_EQ(successes, 1u) << "node " << from;
    }
    EXPECT_EQ(failedTraces, 3u) << "one failure per anycast nobody took";
}

TEST(Scribe, AnycastFromANodeStillJoiningReachesTheTree)
{
    // A node whose subscription is still on its way has no parent: its anycast must go to
    // the tree (as from a node outside it), not walk from itself and fail at once.
    const uint32_t n = 20;
    ScribeNet s(n);
    const PastryId group = PastryId::FromName("joining anycast");
    for (uint32_t i = 1; i < n - 1; ++i)
    {
        Simulator::Schedule(Seconds(5 + 0.05 * i), [&s, i, group]() {
            s.scribe[i]->Subscribe(group);
        });
    }
    const uint32_t late = n - 1;
    bool joiningAtAnycast = false;
    Simulator::Schedule(Seconds(25), [&]() {
        ASSERT_FALSE(s.scribe[late]->IsInTree(group)) << "the late node is not the group's root";
        for (uint32_t i : {4u, 11u})
        {
            s.clients[i].takeAnycasts = true;
            s.clients[i].takeGroup = group;
        }
        s.scribe[late]->Subscribe(group);
        joiningAtAnycast = s.scribe[late]->IsInTree(group) && !s.scribe[late]->IsConnected(group);
        s.scribe[late]->Anycast(group, Create<Packet>(3));
    });
    Simulator::Stop(Seconds(35));
    Simulator::Run();
    EXPECT_TRUE(joiningAtAnycast) << "the anycast left while the subscription was on its way";
    const auto& r = s.clients[late].results;
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].first) << "a taker in the tree took it";
    EXPECT_TRUE(r[0].second == s.net->GetClientAddress(4)
                || r[0].second == s.net->GetClientAddress(11));
    EXPECT_TRUE(s.scribe[late]->GetParent(group).has_value()) << "and the late node joined";
}

namespace
{
/// The subscribers of \p group on \p s after the tree formed: (child, its parent's index),
/// children of non-root parents first.
std::vector<std::pair<uint32_t, uint32_t>>
ParentLinks(ScribeNet& s, const PastryId& group)
{
    const std::map<Ipv4Address, uint32_t> index = s.Index();
    std::vector<std::pair<uint32_t, uint32_t>> links;
    for (uint32_t i = 0; i < s.pastry.size(); ++i)
    {
        if (auto p = s.scribe[i]->GetParent(group))
        {
            links.emplace_back(i, index.at(p->address));
        }
    }
    return links;
}
} // namespace

TEST(Scribe, DataFromTheParentCountsAsItsHeartbeat)
{
    // A parent whose explicit heartbeats stop (here: its timer set to 1000 s) is repaired
    // around by its children after HeartbeatMisses intervals, unless data from it keeps
    // arriving: the Scribe paper's implicit heartbeat (NoteParentData, which SplitStream calls
    // for every stripe packet from the stripe's parent).
    const uint32_t n = 10;
    ScribeNet s(n);
    const PastryId group = PastryId::FromName("implicit");
    for (uint32_t i = 1; i < n; ++i)
    {
        Simulator::Schedule(Seconds(5 + 0.05 * i), [&s, i, group]() {
            s.scribe[i]->Subscribe(group);
        });
    }
    std::map<uint32_t, uint32_t> repairs;
    for (uint32_t i = 0; i < n; ++i)
    {
        s.scribe[i]->TraceConnectWithoutContext("Repair",
                                                Callback<void, const PastryId&, Ipv4Address>(
                                                    [&repairs, i](const PastryId&, Ipv4Address) {
                                                        ++repairs[i];
                                                    }));
    }
    uint32_t parent = n;
    std::vector<uint32_t> fed;  // children the test feeds "data" from the parent
    std::vector<uint32_t> left; // children that hear nothing from it
    Simulator::Schedule(Seconds(20), [&]() {
        std::map<uint32_t, std::vector<uint32_t>> children;
        for (const auto& [c, p] : ParentLinks(s, group))
        {
            children[p].push_back(c);
        }
        for (const auto& [p, cs] : children)
        {
            if (cs.size() >= 2 && (parent == n || cs.size() > children[parent].size()))
            {
                parent = p;
            }
        }
        ASSERT_LT(parent, n) << "a node with two children";
        const auto& cs = children[parent];
        fed.assign(cs.begin(), cs.begin() + cs.size() / 2);
        left.assign(cs.begin() + cs.size() / 2, cs.end());
        s.scribe[parent]->SetAttribute("HeartbeatInterval", TimeValue(Seconds(1000)));
        const Ipv4Address from = s.pastry[parent]->GetHandle().address;
        for (uint32_t c : fed)
        {
            EXPECT_TRUE(s.scribe[c]->NoteParentData(group, from));
            EXPECT_FALSE(s.scribe[c]->NoteParentData(group, s.pastry[c]->GetHandle().address))
                << "data from a node that is not the parent is no heartbeat";
            EXPECT_FALSE(s.scribe[c]->NoteParentData(PastryId::FromName("other"), from));
        }
    });
    for (double t = 21; t < 45; t += 1)
    {
        Simulator::Schedule(Seconds(t), [&]() {
            const Ipv4Address from = s.pastry[parent]->GetHandle().address;
            for (uint32_t c : fed)
            {
                s.scribe[c]->NoteParentData(group, from);
            }
        });
    }
    Simulator::Stop(Seconds(45));
    Simulator::Run();
    ASSERT_FALSE(fed.empty());
    for (uint32_t c : fed)
    {
        EXPECT_EQ(repairs[c], 0u) << "node " << c << " hears data from its parent";
        auto p = s.scribe[c]->GetParent(group);
        EXPECT_TRUE(p && p->address == s.pastry[parent]->GetHandle().address);
    }
    for (uint32_t c : left)
    {
        EXPECT_GE(repairs[c], 1u) << "node " << c << " hears nothing from its parent";
    }
}

TEST(Scribe, AParentThatDropsASilentChildTellsIt)
{
    // A child whose renewals do not arrive (here: it never renews) is dropped after
    // DropChildTicks intervals; the parent tells it, with its siblings, so it finds a parent
    // at once instead of after missing HeartbeatMisses heartbeats (a Repair).
    const uint32_t n = 10;
    ScribeNet s(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        s.scribe[i]->SetAttribute("RenewTicks", UintegerValue(1));
        s.scribe[i]->SetAttribute("DropChildTicks", UintegerValue(3));
    }
    const PastryId group = PastryId::FromName("renewals");
    for (uint32_t i = 1; i < n; ++i)
    {
        Simulator::Schedule(Seconds(5 + 0.05 * i), [&s, i, group]() {
            s.scribe[i]->Subscribe(group);
        });
    }
    uint32_t child = n;
    uint32_t orphaned = 0;
    uint32_t repairs = 0;
    uint32_t disagreements = 0;
    Simulator::Schedule(Seconds(15), [&]() {
        auto links = ParentLinks(s, group);
        ASSERT_FALSE(links.empty());
        child = links.front().first;
        s.scribe[child]->SetAttribute("RenewTicks", UintegerValue(1000));
        s.scribe[child]->TraceConnectWithoutContext(
            "ParentChanged", Callback<void, const PastryId&, Ipv4Address>(
                                 [&orphaned](const PastryId&, Ipv4Address p) {
                                     orphaned += p == Ipv4Address();
                                 }));
        s.scribe[child]->TraceConnectWithoutContext(
            "Repair",
            Callback<void, const PastryId&, Ipv4Address>([&repairs](const PastryId&, Ipv4Address) {
                ++repairs;
            }));
    });
    for (double t = 16; t < 75; t += 0.5)
    {
        Simulator::Schedule(Seconds(t), [&]() {
            // The child believes in a parent that no longer has it.
            auto p = s.scribe[child]->GetParent(group);
            if (!p)
            {
                return;
            }
            for (uint32_t i = 0; i < n; ++i)
            {
                if (s.pastry[i]->GetHandle().address == p->address)
                {
                    const auto cs = s.scribe[i]->GetChildren(group);
                    const Ipv4Address me = s.pastry[child]->GetHandle().address;
                    disagreements += std::none_of(cs.begin(), cs.end(), [&](const auto& c) {
                        return c.address == me;
                    });
                }
            }
        });
    }
    Simulator::Stop(Seconds(75));
    Simulator::Run();
    EXPECT_GE(orphaned, 2u) << "dropped (and told) again and again: it never renews";
    EXPECT_EQ(repairs, 0u) << "never left to find out by silence";
    EXPECT_LE(disagreements, 4u) << "of 118 samples";
}
