/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Pastry over sockets (PastryNode over TCP control channels on a star): joins through the
// bootstrap, routing of random keys to the numerically closest node within the hop bound,
// failure detection and repair, malformed messages.

#include "star-network.h"

#include "ns3/pastry-node.h"
#include "ns3/simulator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <map>
#include <random>

using namespace ns3;

namespace
{

/// n Pastry nodes on a star, client 0 the bootstrap, the others starting at random times
/// over the first \p spreadS seconds (so joins overlap).
struct PastryRing
{
    Ptr<SimulatedNetwork> net;
    std::vector<Ptr<ControlChannel>> channels;
    std::vector<Ptr<PastryNode>> nodes;
    std::vector<bool> live;
    std::mt19937_64 rng{7};

    PastryRing(uint32_t n, double spreadS)
    {
        net = StarNetwork(n, 10e6, 5);
        std::uniform_real_distribution<double> start(0.1, spreadS);
        for (uint32_t i = 0; i < n; ++i)
        {
            auto channel = CreateObject<TcpControlChannel>();
            auto node = CreateObject<PastryNode>();
            node->SetBootstrap(net->GetClientAddress(0));
            node->AssignStreams(100 + i);
            channels.push_back(channel);
            nodes.push_back(node);
            live.push_back(true);
            Simulator::Schedule(Seconds(i == 0 ? 0 : start(rng)), [this, i]() {
                channels[i]->Start(net->GetClient(i));
                nodes[i]->Start(channels[i]);
            });
        }
    }

    ~PastryRing()
    {
        Simulator::Destroy();
    }

    void
    Fail(uint32_t i)
    {
        live[i] = false;
        net->FailClient(i);
        nodes[i]->Stop();
    }

    /// The live node closest to \p key.
    uint32_t
    Closest(const PastryId& key) const
    {
        int64_t best = -1;
        for (uint32_t i = 0; i < nodes.size(); ++i)
        {
            if (live[i]
                && (best < 0
                    || key.IsCloser(nodes[i]->GetHandle().id, nodes[best]->GetHandle().id)))
            {
                best = i;
            }
        }
        return uint32_t(best);
    }

    uint32_t
    RandomLive()
    {
        std::uniform_int_distribution<uint32_t> pick(0, nodes.size() - 1);
        for (;;)
        {
            uint32_t i = pick(rng);
            if (live[i])
            {
                return i;
            }
        }
    }

    uint32_t
    LiveCount() const
    {
        return std::count(live.begin(), live.end(), true);
    }
};

/// Where routed keys ended: key -> (node index, hops), and how often each key arrived.
struct Deliveries
{
    std::map<PastryId, std::vector<std::pair<uint32_t, uint32_t>>> at;
};

} // namespace

TEST(PastryNode, AllJoinAndRandomKeysReachTheClosestNodeWithinTheHopBound)
{
    const uint32_t n = 32;
    PastryRing ring(n, 3);
    Deliveries d;
    std::vector<Time> joined(n, Seconds(-1));
    uint64_t failures = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        ring.nodes[i]->SetApplication(
            7, PastryNode::DeliverCallback([&d, i](const PastryRouteHeader& h, Ptr<Packet> p) {
                EXPECT_EQ(p->GetSize(), 10u) << "the payload arrives whole";
                d.at[h.key].emplace_back(i, h.hops);
            }),
            PastryNode::ForwardCallback());
        ring.nodes[i]->TraceConnectWithoutContext("Joined",
                                                  Callback<void, Time>([&joined, i](Time t) {
                                                      joined[i] = t;
                                                  }));
        ring.nodes[i]->TraceConnectWithoutContext("Failure",
                                                  Callback<void, Ipv4Address>([&](Ipv4Address) {
                                                      ++failures;
                                                  }));
    }
    EXPECT_THROW(ring.nodes[0]->SetApplication(7, PastryNode::DeliverCallback(),
                                               PastryNode::ForwardCallback()),
                 std::invalid_argument);
    EXPECT_THROW(ring.nodes[0]->SetApplication(0, PastryNode::DeliverCallback(),
                                               PastryNode::ForwardCallback()),
                 std::invalid_argument);

    // Phase 1 (t = 20 s): route 200 random keys from random nodes.
    std::vector<PastryId> keys1;
    std::vector<PastryId> keys2;
    std::uniform_int_distribution<uint64_t> u;
    for (uint32_t k = 0; k < 200; ++k)
    {
        keys1.emplace_back(u(ring.rng), u(ring.rng));
        keys2.emplace_back(u(ring.rng), u(ring.rng));
    }
    for (size_t k = 0; k < keys1.size(); ++k)
    {
        Simulator::Schedule(Seconds(20 + 0.02 * k), [&, k]() {
            ring.nodes[ring.RandomLive()]->Route(keys1[k], 7, Create<Packet>(10));
        });
    }
    std::vector<uint32_t> closest1(keys1.size());
    Simulator::Schedule(Seconds(25), [&]() {
        for (size_t k = 0; k < keys1.size(); ++k)
        {
            closest1[k] = ring.Closest(keys1[k]);
        }
        // Leaf sets are exact: each side holds the 12 next ids on the ring.
        std::vector<std::pair<PastryId, uint32_t>> sorted;
        for (uint32_t i = 0; i < n; ++i)
        {
            sorted.emplace_back(ring.nodes[i]->GetHandle().id, i);
        }
        std::sort(sorted.begin(), sorted.end());
        for (size_t r = 0; r < sorted.size(); ++r)
        {
            const auto& right = ring.nodes[sorted[r].second]->GetState().GetLeafSet().GetSide(
                PastryLeafSet::RIGHT);
            ASSERT_EQ(right.size(), 12u) << "node " << sorted[r].second;
            for (size_t k = 0; k < 12; ++k)
            {
                EXPECT_EQ(right[k].id, sorted[(r + 1 + k) % n].first);
            }
        }
        // Nothing has failed yet: no node declared any failure, for any cause.
        for (uint32_t i = 0; i < n; ++i)
        {
            EXPECT_EQ(ring.nodes[i]->GetFailureCounts().Total(), 0u) << "node " << i;
        }
        // A node fails; its leaves notice and repair, routes avoid it.
        ring.Fail(sorted[5].second);
    });
    for (size_t k = 0; k < keys2.size(); ++k)
    {
        Simulator::Schedule(Seconds(37 + 0.02 * k), [&, k]() {
            ring.nodes[ring.RandomLive()]->Route(keys2[k], 7, Create<Packet>(10));
        });
    }
    Simulator::Stop(Seconds(60));
    Simulator::Run();

    for (uint32_t i = 0; i < n; ++i)
    {
        EXPECT_GE(joined[i], Seconds(0)) << "node " << i << " joined";
        EXPECT_TRUE(ring.nodes[i]->IsJoined());
        EXPECT_EQ(ring.nodes[i]->GetDroppedCount(), 0u) << "node " << i;
    }
    auto check = [&](const std::vector<PastryId>& keys, uint32_t liveNodes,
                     const std::function<uint32_t(size_t)>& closest) {
        const uint32_t bound
            = uint32_t(std::ceil(std::log(double(liveNodes)) / std::log(16.0))) + 1;
        double hops = 0;
        uint32_t duplicates = 0;
        for (size_t k = 0; k < keys.size(); ++k)
        {
            const auto& got = d.at[keys[k]];
            // A copy re-sent after a hop's acknowledgement came late may arrive a second
            // time (at most); the first arrives where it should, within the bound.
            ASSERT_GE(got.size(), 1u) << "key " << keys[k] << " delivered";
            EXPECT_LE(got.size(), 2u) << "key " << keys[k];
            duplicates += got.size() - 1;
            EXPECT_EQ(got[0].first, closest(k)) << "key " << keys[k];
            EXPECT_LE(got[0].second, bound) << "key " << keys[k];
            hops += got[0].second;
        }
        std::cout << liveNodes << " nodes: mean hops " << hops / keys.size() << ", " << duplicates
                  << " duplicates\n";
        EXPECT_LE(duplicates, keys.size() / 50) << "duplicates are rare";
    };
    check(keys1, n, [&](size_t k) {
        return closest1[k];
    });
    check(keys2, n - 1, [&](size_t k) {
        return ring.Closest(keys2[k]);
    });
    EXPECT_GE(failures, 12u) << "the failed node's leaves declared it failed";
    // Every declaration is counted under one cause; the failed node's leaves noticed its
    // silence (a routing-table holder may instead find it by a hop or a probe).
    uint64_t counted = 0;
    uint64_t bySilence = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        if (ring.live[i])
        {
            counted += ring.nodes[i]->GetFailureCounts().Total();
            bySilence += ring.nodes[i]->GetFailureCounts().leaf;
            EXPECT_EQ(ring.nodes[i]->GetFailureCounts().reported, 0u) << "no application reports";
        }
    }
    EXPECT_EQ(counted, failures) << "each Failure trace is counted under one cause";
    EXPECT_GE(bySilence, 12u) << "the leaves found the failure by silence";
    for (uint32_t i = 0; i < n; ++i)
    {
        if (!ring.live[i])
        {
            continue;
        }
        for (uint32_t j = 0; j < n; ++j)
        {
            // Leaves are watched by heartbeats; a routing-table entry is found dead only when
            // a hop through it goes unacknowledged.
            if (!ring.live[j])
            {
                EXPECT_FALSE(
                    ring.nodes[i]->GetState().GetLeafSet().Contains(ring.nodes[j]->GetHandle().id))
                    << "node " << i << " still has the failed node among its leaves";
            }
        }
        EXPECT_EQ(ring.nodes[i]->GetState().GetLeafSet().GetSide(PastryLeafSet::LEFT).size(), 12u);
    }
}

TEST(PastryNode, MessagesRoundTripAndMalformedOnesAreRejected)
{
    PastryRouteHeader r;
    r.key = PastryId::FromName("k");
    r.origin = PastryHandle::Of(Ipv4Address("10.0.0.9"));
    r.appKind = 3;
    r.hops = 2;
    r.hopSeq = 77;
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(r);
    PastryRouteHeader r2;
    p->RemoveHeader(r2);
    EXPECT_TRUE(r2.IsValid());
    EXPECT_EQ(r2.key, r.key);
    EXPECT_EQ(r2.origin, r.origin);
    EXPECT_EQ(r2.appKind, 3);
    EXPECT_EQ(r2.hops, 2);
    EXPECT_EQ(r2.hopSeq, 77u);

    r.hops = 200;
    Ptr<Packet> loop = Create<Packet>();
    loop->AddHeader(r);
    PastryRouteHeader r3;
    loop->RemoveHeader(r3);
    EXPECT_FALSE(r3.IsValid());
    EXPECT_NE(r3.GetError().find("hops"), std::string::npos) << r3.GetError();

    PastryStateHeader s;
    s.sender = r.origin;
    s.flags = PastryStateHeader::kFlagLast;
    s.row = 4;
    s.handles
        = {PastryHandle::Of(Ipv4Address("10.0.0.1")), PastryHandle::Of(Ipv4Address("10.0.0.2"))};
    Ptr<Packet> sp = Create<Packet>();
    sp->AddHeader(s);
    EXPECT_EQ(sp->GetSize(), 20u + 4 + 40);
    PastryStateHeader s2;
    sp->PeekHeader(s2);
    EXPECT_TRUE(s2.IsValid());
    EXPECT_EQ(s2.handles, s.handles);
    EXPECT_EQ(s2.row, 4);
    // Truncated: the count promises two handles, one and a half arrive.
    Ptr<Packet> cut = sp->CreateFragment(0, sp->GetSize() - 10);
    PastryStateHeader s3;
    cut->PeekHeader(s3);
    EXPECT_FALSE(s3.IsValid());
    EXPECT_NE(s3.GetError().find("truncated"), std::string::npos) << s3.GetError();
    // A count beyond the limit is refused before anything is allocated.
    uint8_t huge[24] = {0};
    huge[22] = 0xff;
    huge[23] = 0xff;
    Ptr<Packet> hp = Create<Packet>(huge, 24);
    PastryStateHeader s4;
    hp->PeekHeader(s4);
    EXPECT_FALSE(s4.IsValid());
    EXPECT_NE(s4.GetError().find("more than"), std::string::npos) << s4.GetError();
    uint8_t badRow[24] = {0};
    badRow[21] = 40;
    Ptr<Packet> bp = Create<Packet>(badRow, 24);
    PastryStateHeader s5;
    bp->PeekHeader(s5);
    EXPECT_FALSE(s5.IsValid());
    EXPECT_NE(s5.GetError().find("row"), std::string::npos) << s5.GetError();
}

TEST(PastryNode, GarbageOnTheWireIsCountedNotFollowed)
{
    // Two nodes; node 1 gets a truncated Pastry state message and a route message for an
    // application it does not run: both dropped and counted, the ring still works.
    PastryRing ring(2, 0.5);
    ring.nodes[0]->SetApplication(9, PastryNode::DeliverCallback(), PastryNode::ForwardCallback());
    Simulator::Schedule(Seconds(5), [&]() {
        Ptr<Packet> junk = Create<Packet>(7);
        ring.channels[0]->Send(ring.channels[1]->GetLocalAddress(),
                               ControlChannel::MessageType(0, PastryNode::kJoinState), junk);
        ring.nodes[0]->Route(ring.nodes[1]->GetHandle().id, 9, Create<Packet>(1));
    });
    Simulator::Stop(Seconds(8));
    Simulator::Run();
    EXPECT_TRUE(ring.nodes[1]->IsJoined());
    EXPECT_EQ(ring.nodes[1]->GetDroppedCount(), 2u);
    EXPECT_TRUE(ring.nodes[0]->GetState().Knows(ring.nodes[1]->GetHandle().id));
}
