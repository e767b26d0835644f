/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "star-network.h"

#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/ipv4.h"
#include "ns3/ransub.h"
#include "ns3/simulator.h"
#include "ns3/topology-helper.h"
#include "ns3/tree-builder.h"

#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <set>
#include <string>

using namespace ns3;

TEST(RanSubCompact, CompleteSetsGiveEveryNodeTheSameChance)
{
    Ptr<UniformRandomVariable> rng = CreateObject<UniformRandomVariable>();
    rng->SetStream(1);
    RanSubSet a;
    RanSubSet b;
    for (uint32_t i = 0; i < 20; ++i)
    {
        (i < 5 ? a : b).members.push_back({Ipv4Address(i + 1), {uint8_t(i)}});
    }
    a.population = 5;
    b.population = 15;
    const uint32_t trials = 20000;
    std::map<uint32_t, uint32_t> count;
    for (uint32_t t = 0; t < trials; ++t)
    {
        RanSubSet c = RanSubSet::Compact({&a, &b}, 10, rng);
        ASSERT_EQ(c.members.size(), 10u);
        ASSERT_EQ(c.population, 20u);
        std::set<uint32_t> distinct;
        for (const auto& m : c.members)
        {
            distinct.insert(m.node.Get());
            ASSERT_EQ(m.payload.at(0), m.node.Get() - 1) << "payload travels with its node";
            ++count[m.node.Get()];
        }
        ASSERT_EQ(distinct.size(), 10u) << "no member twice";
    }
    // Each of the 20 nodes should appear with probability 10/20; chi-square, 19 dof.
    double chi2 = 0;
    const double expected = trials * 0.5;
    for (uint32_t i = 1; i <= 20; ++i)
    {
        chi2 += (count[i] - expected) * (count[i] - expected) / expected;
    }
    EXPECT_LT(chi2, 43.8) << "p < 0.001 that a uniform Compact gives this";
}

TEST(RanSubCompact, WeightsArePopulationsNotSetSizes)
{
    Ptr<UniformRandomVariable> rng = CreateObject<UniformRandomVariable>();
    rng->SetStream(2);
    RanSubSet big;   // 10 members standing for 90 nodes
    RanSubSet small; // 10 members standing for 10 nodes
    for (uint32_t i = 0; i < 10; ++i)
    {
        big.members.push_back({Ipv4Address(100 + i), {}});
        small.members.push_back({Ipv4Address(200 + i), {}});
    }
    big.population = 90;
    small.population = 10;
    const uint32_t trials = 20000;
    double fromBig = 0;
    for (uint32_t t = 0; t < trials; ++t)
    {
        for (const auto& m : RanSubSet::Compact({&big, &small}, 10, rng).members)
        {
            fromBig += m.node.Get() < 200;
        }
    }
    // Hypergeometric: 10 draws from 100 nodes of which 90 are "big": mean 9.
    EXPECT_NEAR(fromBig / trials, 9.0, 0.05);
}

TEST(RanSubHeader, RoundTripAndMalformedInput)
{
    RanSubHeader h;
    h.epoch = 7;
    h.count = 42;
    h.set.population = 12;
    h.set.members = {{Ipv4Address("10.0.0.1"), {1, 2, 3}}, {Ipv4Address("10.0.0.5"), {}}};
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    uint32_t size = p->GetSize();
    RanSubHeader back;
    p->PeekHeader(back);
    ASSERT_TRUE(back.IsValid());
    EXPECT_EQ(back.epoch, 7u);
    EXPECT_EQ(back.set.members[0].payload, (std::vector<uint8_t>{1, 2, 3}));
    EXPECT_EQ(back.set.members[1].node, Ipv4Address("10.0.0.5"));
    std::vector<uint8_t> bytes(size);
    p->CopyData(bytes.data(), size);
    for (uint32_t cut = 0; cut < size; ++cut)
    {
        Ptr<Packet> q = Create<Packet>(bytes.data(), cut);
        RanSubHeader t;
        EXPECT_EQ(q->RemoveHeader(t), 0u);
        EXPECT_FALSE(t.IsValid()) << cut;
    }
    bytes[13] = 200; // member count 200 > population 12
    RanSubHeader bad;
    Create<Packet>(bytes.data(), size)->RemoveHeader(bad);
    EXPECT_FALSE(bad.IsValid());
    EXPECT_NE(bad.GetError().find("members for population"), std::string::npos) << bad.GetError();
}

namespace
{

/// N overlay nodes on a star network, a static random tree, RanSub on every node.
class RanSubScenario
{
  public:
    RanSubScenario(uint32_t n, RanSub::Mode mode, bool detection, uint32_t fanOut = 3)
        : tree(TreeBuilder::Random(n, 0, fanOut, 5))
    {
        net = StarNetwork(n);
        auto children = tree.Children();
        for (uint32_t v = 0; v < n; ++v)
        {
            auto channel = CreateObject<UdpControlChannel>();
            channel->Start(net->GetClient(v));
            auto st = CreateObject<StaticTree>();
            std::vector<Ipv4Address> kids;
            for (uint32_t c : children[v])
            {
                kids.push_back(net->GetClientAddress(c));
            }
            st->Configure(v == tree.root,
                          v == tree.root ? Ipv4Address() : net->GetClientAddress(tree.parent[v]),
                          kids);
            auto rs = CreateObject<RanSub>();
            rs->SetAttribute("Mode", EnumValue(mode));
            rs->SetAttribute("FailureDetection", BooleanValue(detection));
            rs->AssignStreams(100 + v);
            rs->SetPayloadCallback([v]() {
                return std::vector<uint8_t>{uint8_t(v)};
            });
            rs->SetDeliverCallback([this, v](uint32_t epoch, const std::vector<RanSubMember>& m) {
                deliveries.push_back({v, epoch, m});
            });
            rs->Start(st, channel);
            channels.push_back(channel);
            ransub.push_back(rs);
        }
    }

    ~RanSubScenario()
    {
        Simulator::Destroy();
    }

    /// Client index of an address.
    uint32_t
    Client(Ipv4Address a) const
    {
        return net->FindClient(a);
    }

    std::set<uint32_t>
    Subtree(uint32_t v) const
    {
        auto children = tree.Children();
        std::set<uint32_t> out{v};
        std::vector<uint32_t> stack{v};
        while (!stack.empty())
        {
            uint32_t u = stack.back();
            stack.pop_back();
            for (uint32_t c : children[u])
            {
                out.insert(c);
                stack.push_back(c);
            }
        }
        return out;
    }

    void
    Fail(uint32_t v)
    {
        net->FailClient(v);
    }

    struct Delivery
    {
        uint32_t node;
        uint32_t epoch;
        std::vector<RanSubMember> members;
    };

    TreeSpec tree;
    Ptr<SimulatedNetwork> net;
    std::vector<Ptr<UdpControlChannel>> channels;
    std::vector<Ptr<RanSub>> ransub;
    std::vector<Delivery> deliveries;
};

} // namespace

TEST(RanSub, NonDescendantSetsNeverHoldADescendant)
{
    RanSubScenario s(30, RanSub::NON_DESCENDANTS, true);
    Simulator::Stop(Seconds(51));
    Simulator::Run();
    uint32_t checked = 0;
    for (const auto& d : s.deliveries)
    {
        auto subtree = s.Subtree(d.node);
        EXPECT_LE(d.members.size(), 10u);
        for (const auto& m : d.members)
        {
            uint32_t u = s.Client(m.node);
            EXPECT_EQ(subtree.count(u), 0u) << "node " << d.node << " got descendant " << u;
            EXPECT_EQ(m.payload, std::vector<uint8_t>{uint8_t(u)});
        }
        if (d.epoch >= 3 && d.node != s.tree.root)
        {
            EXPECT_FALSE(d.members.empty());
            ++checked;
        }
    }
    EXPECT_GE(checked, 29u * 7);
    EXPECT_EQ(s.ransub[s.tree.root]->GetEpoch(), 11u) << "an epoch every 5 s from 0.1 s";
}

TEST(RanSub, DescendantCountsAreExactOnAStaticTree)
{
    RanSubScenario s(40, RanSub::NON_DESCENDANTS, true);
    Simulator::Stop(Seconds(21));
    Simulator::Run();
    auto children = s.tree.Children();
    for (uint32_t v = 0; v < 40; ++v)
    {
        for (uint32_t c : children[v])
        {
            EXPECT_EQ(s.ransub[v]->GetDescendants(s.net->GetClientAddress(c)), s.Subtree(c).size());
        }
        EXPECT_EQ(s.ransub[v]->GetPopulation(), 40u) << "node " << v;
    }
}

TEST(RanSub, AllSetsReachEveryNodeUniformly)
{
    const uint32_t n = 30;
    RanSubScenario s(n, RanSub::ALL, true);
    Simulator::Stop(Seconds(1000));
    Simulator::Run();
    // Within one epoch, sets at different nodes share their samples, so uniformity is tested
    // per observer across epochs, where draws are fresh: over E epochs, each of the 29 other
    // nodes is expected in 10/29 of an observer's deliveries.
    auto children = s.tree.Children();
    uint32_t leaf = 0;
    uint32_t interior = 0;
    for (uint32_t v = 0; v < n; ++v)
    {
        (children[v].empty() ? leaf : interior) = v;
    }
    for (uint32_t observer : {s.tree.root, interior, leaf})
    {
        std::map<uint32_t, double> seen;
        uint32_t epochs = 0;
        for (const auto& d : s.deliveries)
        {
            if (d.node != observer || d.epoch < 4)
            {
                continue; // sets fill up over the first epochs
            }
            ++epochs;
            EXPECT_EQ(d.members.size(), 10u);
            for (const auto& m : d.members)
            {
                EXPECT_NE(s.Client(m.node), observer) << "a node never receives itself";
                ++seen[s.Client(m.node)];
            }
        }
        ASSERT_GE(epochs, 190u);
        const double expected = epochs * 10.0 / (n - 1);
        double chi2 = 0;
        for (uint32_t u = 0; u < n; ++u)
        {
            if (u != observer)
            {
                chi2 += (seen[u] - expected) * (seen[u] - expected) / expected;
            }
        }
        EXPECT_LT(chi2, 56.9) << "observer " << observer << ": chi-square, 28 dof, p = 0.001";
    }
}

TEST(RanSub, OrderedSetsHoldOnlyEarlierNodes)
{
    RanSubScenario s(25, RanSub::ORDERED, true);
    Simulator::Stop(Seconds(31));
    Simulator::Run();
    // Pre-order position of each node, children in configured order.
    auto children = s.tree.Children();
    std::vector<uint32_t> order(25);
    uint32_t next = 0;
    std::vector<uint32_t> stack{s.tree.root};
    while (!stack.empty())
    {
        uint32_t v = stack.back();
        stack.pop_back();
        order[v] = next++;
        for (auto it = children[v].rbegin(); it != children[v].rend(); ++it)
        {
            stack.push_back(*it);
        }
    }
    uint32_t members = 0;
    for (const auto& d : s.deliveries)
    {
        for (const auto& m : d.members)
        {
            EXPECT_LT(order[s.Client(m.node)], order[d.node]);
            ++members;
        }
    }
    EXPECT_GT(members, 100u);
}

TEST(RanSub, FailureDetectionKeepsEpochsGoingAndRecountsTheTree)
{
    RanSubScenario s(40, RanSub::NON_DESCENDANTS, true);
    // Fail the root's child with the largest subtree at 20 s.
    auto rootChildren = s.tree.Children()[s.tree.root];
    uint32_t failed
        = *std::max_element(rootChildren.begin(), rootChildren.end(), [&](uint32_t a, uint32_t b) {
              return s.Subtree(a).size() < s.Subtree(b).size();
          });
    uint32_t lost = s.Subtree(failed).size();
    Simulator::Schedule(Seconds(20), [&s, failed]() {
        s.Fail(failed);
    });
    Simulator::Stop(Seconds(61));
    Simulator::Run();
    EXPECT_EQ(s.ransub[s.tree.root]->GetEpoch(), 13u) << "epochs keep their period";
    EXPECT_EQ(s.ransub[s.tree.root]->GetDescendants(s.net->GetClientAddress(failed)), 0u);
    EXPECT_EQ(s.ransub[s.tree.root]->GetPopulation(), 40u - lost);
    auto subtree = s.Subtree(failed);
    for (uint32_t v = 0; v < 40; ++v)
    {
        if (!subtree.count(v))
        {
            EXPECT_EQ(s.ransub[v]->GetEpoch(), 13u) << "node " << v << " keeps getting fresh sets";
        }
    }
}

TEST(RanSub, WithoutFailureDetectionAFailureStallsRanSub)
{
    RanSubScenario s(40, RanSub::NON_DESCENDANTS, false);
    uint32_t failed = s.tree.Children()[s.tree.root].front();
    Simulator::Schedule(Seconds(20), [&s, failed]() {
        s.Fail(failed);
    });
    Simulator::Stop(Seconds(61));
    Simulator::Run();
    // Epoch 5 starts at 20.1 s just after the failure; its collect never completes.
    EXPECT_LE(s.ransub[s.tree.root]->GetEpoch(), 5u);
}

TEST(RanSubCompact, PopulationsSaturateInsteadOfWrapping)
{
    // Regression (issue #18): populations come from other nodes; their sum wrapped 32 bits.
    auto rng = CreateObject<UniformRandomVariable>();
    RanSubSet huge;
    huge.population = 0xfffffff0u;
    RanSubSet small;
    small.population = 0x20;
    small.members.push_back({Ipv4Address("10.0.0.1"), {}});
    RanSubSet out = RanSubSet::Compact({&huge, &small}, 10, rng);
    EXPECT_EQ(out.population, std::numeric_limits<uint32_t>::max());
    ASSERT_EQ(out.members.size(), 1u);
    bool saturated = false;
    EXPECT_EQ(RanSubSet::AddCounts(7, 8, saturated), 15u);
    EXPECT_FALSE(saturated);
    EXPECT_EQ(RanSubSet::AddCounts(0xffffffffu, 1, saturated), 0xffffffffu);
    EXPECT_TRUE(saturated);
}

TEST(RanSub, AHugeDescendantCountSaturatesTheSumsAndAZeroCountIsRejected)
{
    // Regression (issue #18): a hostile child of the root reports a subtree of 0xfffffff0
    // nodes in its collects. Before the fix the root's population (1 + the children's counts)
    // wrapped to a small, plausible number; now it saturates, counted, and the saturated
    // count reaches every other node in the distributes. Another child then reports a subtree
    // of 0 nodes: rejected with a reason, counted.
    const uint32_t n = 40;
    RanSubScenario s(n, RanSub::NON_DESCENDANTS, true);
    const uint32_t root = s.tree.root;
    auto rootChildren = s.tree.Children()[root];
    ASSERT_GE(rootChildren.size(), 2u);
    const uint32_t liar = rootChildren[0];
    const uint32_t zero = rootChildren[1];
    std::vector<std::string> reasons;
    s.ransub[root]->TraceConnectWithoutContext("Rejected",
                                               Callback<void, Ipv4Address, const std::string&>(
                                                   [&reasons](Ipv4Address, const std::string& why) {
                                                       reasons.push_back(why);
                                                   }));
    // From 12 s the liar's own RanSub is silent and forged collects go up in its name.
    auto forge = [&s, root](uint32_t from, uint32_t count) {
        RanSubHeader h;
        h.epoch = s.ransub[root]->GetEpoch();
        h.count = count;
        h.set.population = count;
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(h);
        s.channels[from]->Send(s.net->GetClientAddress(root),
                               ControlChannel::MessageType(0, RanSub::kCollectType), p);
    };
    Simulator::Schedule(Seconds(12), [&s, liar]() {
        s.ransub[liar]->Stop();
    });
    for (double t = 12.5; t < 30; t += 1)
    {
        Simulator::Schedule(Seconds(t), [forge, liar]() {
            forge(liar, 0xfffffff0u);
        });
    }
    Simulator::Schedule(Seconds(29.5), [forge, zero]() {
        forge(zero, 0);
    });
    Simulator::Stop(Seconds(31));
    Simulator::Run();

    const uint32_t kMax = std::numeric_limits<uint32_t>::max();
    EXPECT_EQ(s.ransub[root]->GetDescendants(s.net->GetClientAddress(liar)), 0xfffffff0u);
    EXPECT_EQ(s.ransub[root]->GetPopulation(), kMax) << "the sum saturates, it does not wrap";
    EXPECT_GE(s.ransub[root]->GetSaturatedSums(), 2u) << "one per epoch since the lie";
    // A node outside the liar's subtree learns the saturated population from the distributes.
    const uint32_t other = rootChildren.back();
    EXPECT_EQ(s.ransub[other]->GetPopulation(), kMax);
    // The zero count: rejected, and the honest count the child reported stays.
    EXPECT_EQ(s.ransub[root]->GetRejectedMessages(), 1u);
    ASSERT_EQ(reasons.size(), 1u);
    EXPECT_NE(reasons[0].find("0 nodes"), std::string::npos) << reasons[0];
    EXPECT_EQ(s.ransub[root]->GetDescendants(s.net->GetClientAddress(zero)),
              s.Subtree(zero).size());
}
