/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "star-network.h"

#include "ns3/control-channel.h"
#include "ns3/enum.h"
#include "ns3/random-tree.h"
#include "ns3/ransub.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

using namespace ns3;

TEST(ControlChannelMessageType, InstanceZeroIsTheKindAndInstancesAreDistinct)
{
    std::set<uint16_t> seen;
    for (uint32_t instance = 0; instance < 256; ++instance)
    {
        for (uint32_t kind = 0; kind < 256; ++kind)
        {
            uint16_t type = ControlChannel::MessageType(instance, kind);
            if (instance == 0)
            {
                ASSERT_EQ(type, kind) << "instance 0 must keep today's wire types";
            }
            ASSERT_EQ(ControlChannel::InstanceOf(type), instance);
            ASSERT_EQ(ControlChannel::KindOf(type), kind);
            seen.insert(type);
        }
    }
    EXPECT_EQ(seen.size(), 65536u) << "every (instance, kind) has its own type";
    // The layers' kinds at instance 0 are the types simulations have always sent.
    EXPECT_EQ(ControlChannel::MessageType(0, RandomTree::kJoin), 10);
    EXPECT_EQ(ControlChannel::MessageType(0, RandomTree::kLeave), 14);
    EXPECT_EQ(ControlChannel::MessageType(0, RanSub::kCollectType), 20);
    EXPECT_EQ(ControlChannel::MessageType(0, RanSub::kDistributeType), 21);
    EXPECT_EQ(ControlChannel::MessageType(1, RandomTree::kJoin), 256 + 10);
    EXPECT_EQ(ControlChannel::MessageType(7, RanSub::kCollectType), 7 * 256 + 20);
}

namespace
{

/// Sends kind 20 from a to b as instances 0, 1 and 2; b registered only instances 0 and 1.
/// Returns, per instance, how many messages b's handlers got; rejections land in \p why.
template<typename Channel>
std::map<uint8_t, uint32_t>
SendToAnUnregisteredInstance(std::vector<std::string>& why, uint64_t& rejected)
{
    Ptr<SimulatedNetwork> net = StarNetwork(2, 1e6, 2);
    auto a = CreateObject<Channel>();
    auto b = CreateObject<Channel>();
    std::map<uint8_t, uint32_t> got;
    for (uint8_t instance : {0, 1})
    {
        b->Register(ControlChannel::MessageType(instance, 20),
                    ControlChannel::Handler([&got, instance](Ipv4Address, Ptr<Packet> p) {
                        EXPECT_EQ(p->GetSize(), 10u + instance);
                        ++got[instance];
                    }));
    }
    for (uint8_t instance : {0, 1, 2})
    {
        // A TCP sender must know the types it sends; its handlers never run here.
        a->Register(ControlChannel::MessageType(instance, 20),
                    ControlChannel::Handler([](Ipv4Address, Ptr<Packet>) {}));
    }
    a->Start(net->GetClient(0));
    b->Start(net->GetClient(1));
    b->TraceConnectWithoutContext("Rejected", Callback<void, Ipv4Address, const std::string&>(
                                                  [&why](Ipv4Address, const std::string& reason) {
                                                      why.push_back(reason);
                                                  }));
    Simulator::Schedule(Seconds(1), [&]() {
        for (uint8_t instance : {0, 1})
        {
            EXPECT_TRUE(a->Send(b->GetLocalAddress(), ControlChannel::MessageType(instance, 20),
                                Create<Packet>(10 + instance)));
        }
    });
    Simulator::Schedule(Seconds(2), [&]() {
        a->Send(b->GetLocalAddress(), ControlChannel::MessageType(2, 20), Create<Packet>(12));
    });
    Simulator::Stop(Seconds(10));
    Simulator::Run();
    rejected = b->GetRejectedCount();
    Simulator::Destroy();
    return got;
}

} // namespace

TEST(ControlChannelMessageType, UnregisteredInstanceIsRejectedAndCountedOverUdp)
{
    std::vector<std::string> why;
    uint64_t rejected = 0;
    auto got = SendToAnUnregisteredInstance<UdpControlChannel>(why, rejected);
    EXPECT_EQ(got[0], 1u);
    EXPECT_EQ(got[1], 1u);
    EXPECT_EQ(got.count(2), 0u);
    EXPECT_EQ(rejected, 1u);
    ASSERT_EQ(why.size(), 1u);
    EXPECT_NE(why[0].find("instance 2, kind 20"), std::string::npos) << why[0];
}

TEST(ControlChannelMessageType, UnregisteredInstanceIsRejectedAndCountedOverTcp)
{
    std::vector<std::string> why;
    uint64_t rejected = 0;
    auto got = SendToAnUnregisteredInstance<TcpControlChannel>(why, rejected);
    EXPECT_EQ(got[0], 1u);
    EXPECT_EQ(got[1], 1u);
    EXPECT_EQ(got.count(2), 0u);
    // Over TCP an unknown type means a corrupt or foreign stream: the block transport closes
    // the connection, and the channel counts it.
    EXPECT_EQ(rejected, 1u);
    ASSERT_EQ(why.size(), 1u);
    EXPECT_NE(why[0].find("unknown message type 532"), std::string::npos) << why[0];
}

TEST(ControlChannelMessageTypeDeathTest, ADuplicateRegistrationNamesInstanceAndKind)
{
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    auto channel = CreateObject<UdpControlChannel>();
    std::vector<Ptr<RandomTree>> trees;
    for (uint32_t instance : {3, 4, 3})
    {
        trees.push_back(CreateObject<RandomTree>());
        trees.back()->SetAttribute("Instance", UintegerValue(instance));
    }
    trees[0]->Start(channel);
    trees[1]->Start(channel); // another instance: no conflict
    EXPECT_DEATH(trees[2]->Start(channel), "instance 3, kind 10");
    auto ransub = CreateObject<RanSub>();
    ransub->Start(trees[0], channel); // RanSub instance 0 next to trees 3 and 4
    EXPECT_DEATH(channel->Register(RanSub::kDistributeType, ControlChannel::Handler()),
                 "instance 0, kind 21");
    EXPECT_DEATH(channel->Register(ControlChannel::MessageType(4, RandomTree::kLeave),
                                   ControlChannel::Handler()),
                 "instance 4, kind 14");
    Simulator::Destroy();
}

namespace
{

/// Two overlays on the same nodes: every node has one TCP control channel, two RandomTrees
/// (instance 0 rooted at node 0, instance 1 at node kRoot1) and a RanSub (All mode) over each.
class TwoOverlays
{
  public:
    static constexpr uint32_t kNodes = 12;
    static constexpr uint32_t kRoot1 = 7;

    struct Delivery
    {
        uint8_t instance;
        uint32_t node;
        uint32_t epoch;
        Time at;
        std::vector<RanSubMember> members;
    };

    TwoOverlays()
        : net(StarNetwork(kNodes))
    {
        const uint32_t roots[2] = {0, kRoot1};
        Ptr<UniformRandomVariable> start = CreateObject<UniformRandomVariable>();
        start->SetStream(3);
        for (uint32_t v = 0; v < kNodes; ++v)
        {
            auto channel = CreateObject<TcpControlChannel>();
            channel->Start(net->GetClient(v));
            channel->TraceConnectWithoutContext("Tx",
                                                Callback<void, Ipv4Address, uint16_t, uint32_t>(
                                                    [this](Ipv4Address, uint16_t type, uint32_t) {
                                                        ++sentTypes[type];
                                                    }));
            channel->TraceConnectWithoutContext(
                "Rejected", Callback<void, Ipv4Address, const std::string&>(
                                [this, v](Ipv4Address, const std::string& why) {
                                    ADD_FAILURE() << "node " << v << " rejected: " << why;
                                }));
            channels.push_back(channel);
            for (uint8_t i = 0; i < 2; ++i)
            {
                auto tree = CreateObject<RandomTree>();
                tree->SetAttribute("Instance", UintegerValue(i));
                tree->SetAttribute("MaxChildren", UintegerValue(3));
                tree->SetBootstrap(net->GetClientAddress(roots[i]));
                tree->AssignStreams(10 + 2 * v + i);
                trees[i].push_back(tree);
                auto rs = CreateObject<RanSub>();
                rs->SetAttribute("Instance", UintegerValue(i));
                rs->SetAttribute("Mode", EnumValue(RanSub::ALL));
                rs->AssignStreams(100 + 2 * v + i);
                std::string tag = "ransub " + std::to_string(i) + " node " + std::to_string(v);
                rs->SetPayloadCallback([tag]() {
                    return std::vector<uint8_t>(tag.begin(), tag.end());
                });
                rs->SetDeliverCallback(
                    [this, i, v](uint32_t epoch, const std::vector<RanSubMember>& m) {
                        deliveries.push_back({i, v, epoch, Simulator::Now(), m});
                    });
                ransubs[i].push_back(rs);
            }
            // Both roots start at once; the other nodes arrive over the first 5 s, each
            // joining both overlays then (a node's handlers exist before anyone knows it).
            bool root = v == roots[0] || v == roots[1];
            Simulator::Schedule(Seconds(root ? 0 : start->GetValue(0.1, 5)), [this, v]() {
                for (uint8_t i = 0; i < 2; ++i)
                {
                    trees[i][v]->Start(channels[v]);
                    ransubs[i][v]->Start(trees[i][v], channels[v]);
                }
            });
        }
    }

    ~TwoOverlays()
    {
        Simulator::Destroy();
    }

    /// The node the tree of \p instance leads to from \p v by following parents (kNodes if the
    /// walk breaks off or loops).
    uint32_t
    RootOf(uint8_t instance, uint32_t v) const
    {
        for (uint32_t steps = 0; steps <= kNodes; ++steps)
        {
            const auto& t = trees[instance][v];
            if (t->IsRoot())
            {
                return v;
            }
            if (!t->HasParent())
            {
                return kNodes;
            }
            uint32_t up = net->FindClient(t->GetParent());
            EXPECT_TRUE(trees[instance][up]->IsChild(net->GetClientAddress(v)))
                << "instance " << int(instance) << ": " << up << " does not list child " << v;
            v = up;
        }
        return kNodes;
    }

    Ptr<SimulatedNetwork> net;
    std::vector<Ptr<TcpControlChannel>> channels;
    std::vector<Ptr<RandomTree>> trees[2];
    std::vector<Ptr<RanSub>> ransubs[2];
    std::vector<Delivery> deliveries;
    std::map<uint16_t, uint64_t> sentTypes;
};

} // namespace

TEST(OverlayInstances, TwoTreesAndTwoRanSubsShareOneChannelWithoutCrossTalk)
{
    TwoOverlays s;
    Simulator::Stop(Seconds(61));
    Simulator::Run();

    const uint32_t n = TwoOverlays::kNodes;
    const uint32_t roots[2] = {0, TwoOverlays::kRoot1};
    for (uint8_t i = 0; i < 2; ++i)
    {
        EXPECT_TRUE(s.trees[i][roots[i]]->IsRoot()) << "instance " << int(i);
        for (uint32_t v = 0; v < n; ++v)
        {
            if (v != roots[i])
            {
                EXPECT_FALSE(s.trees[i][v]->IsRoot());
                EXPECT_TRUE(s.trees[i][v]->HasParent()) << "instance " << int(i) << " node " << v;
            }
            EXPECT_EQ(s.RootOf(i, v), roots[i]) << "instance " << int(i) << " node " << v;
            EXPECT_LE(s.trees[i][v]->GetChildren().size(), 3u);
        }
    }
    // The trees are separate: the root of one is an ordinary member of the other.
    EXPECT_TRUE(s.trees[1][0]->HasParent());
    EXPECT_TRUE(s.trees[0][TwoOverlays::kRoot1]->HasParent());

    // Steady state (after 20 s): every node hears from both RanSubs every epoch, and every
    // member a RanSub delivers was published to that same RanSub by another real node.
    std::map<std::pair<uint8_t, uint32_t>, uint32_t> steady;
    std::map<uint8_t, std::set<uint32_t>> heardOf;
    for (const auto& d : s.deliveries)
    {
        for (const auto& m : d.members)
        {
            uint32_t u = s.net->FindClient(m.node);
            ASSERT_LT(u, n) << "not a node of the network: " << m.node;
            EXPECT_NE(u, d.node) << "a node never receives itself";
            std::string payload(m.payload.begin(), m.payload.end());
            EXPECT_EQ(payload,
                      "ransub " + std::to_string(d.instance) + " node " + std::to_string(u))
                << "delivered by instance " << int(d.instance) << " to node " << d.node;
            heardOf[d.instance].insert(u);
        }
        if (d.at >= Seconds(20))
        {
            EXPECT_EQ(d.members.size(), 10u)
                << "instance " << int(d.instance) << " node " << d.node;
            ++steady[{d.instance, d.node}];
        }
    }
    for (uint8_t i = 0; i < 2; ++i)
    {
        EXPECT_EQ(heardOf[i].size(), n) << "instance " << int(i);
        for (uint32_t v = 0; v < n; ++v)
        {
            EXPECT_GE((steady[{i, v}]), 7u) << "instance " << int(i) << " node " << v;
            EXPECT_EQ(s.ransubs[i][v]->GetPopulation(), n)
                << "instance " << int(i) << " node " << v;
        }
        EXPECT_GE(s.ransubs[i][roots[i]]->GetEpoch(), 11u);
    }

    for (uint32_t v = 0; v < n; ++v)
    {
        EXPECT_EQ(s.channels[v]->GetRejectedCount(), 0u) << "node " << v;
    }
    // Each overlay sent on its own types, and nothing else went out.
    for (const auto& [type, count] : s.sentTypes)
    {
        uint8_t instance = ControlChannel::InstanceOf(type);
        uint8_t kind = ControlChannel::KindOf(type);
        EXPECT_LE(instance, 1) << type;
        EXPECT_TRUE((kind >= RandomTree::kJoin && kind <= RandomTree::kLeave)
                    || kind == RanSub::kCollectType || kind == RanSub::kDistributeType)
            << type;
    }
    for (uint8_t i = 0; i < 2; ++i)
    {
        for (uint8_t kind :
             {RandomTree::kJoin, RandomTree::kAccept, RandomTree::kHeartbeatToChild,
              RandomTree::kHeartbeatToParent, RanSub::kCollectType, RanSub::kDistributeType})
        {
            EXPECT_GT(s.sentTypes[ControlChannel::MessageType(i, kind)], 0u)
                << "instance " << int(i) << " kind " << int(kind);
        }
    }
}
