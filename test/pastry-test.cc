/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Pastry's state and routing rule without a simulator (model/overlay/pastry-state.h): ids,
// routing table, leaf set, next hop; a few hundred nodes built as the join protocol builds
// them, routed, failed and repaired.

#include "ns3/buffer.h"
#include "ns3/pastry-state.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <stdexcept>

using namespace ns3;

// ------------------------------------------------------------------ ids

TEST(PastryId, DigitsPrefixesAndRingDistance)
{
    const PastryId a = PastryId::FromHex("0123456789abcdef0123456789abcdef");
    EXPECT_EQ(a.ToString(), "0123456789abcdef0123456789abcdef");
    for (uint32_t i = 0; i < PastryId::kDigits; ++i)
    {
        EXPECT_EQ(a.GetDigit(i), i % 16) << i;
    }
    EXPECT_THROW(a.GetDigit(32), std::out_of_range);
    const PastryId b = a.WithDigit(20, 0xf);
    EXPECT_EQ(b.GetDigit(20), 0xfu);
    EXPECT_EQ(a.SharedPrefixLength(b), 20u);
    EXPECT_EQ(a.SharedPrefixLength(a), 32u);
    EXPECT_EQ(a.SharedPrefixLength(a.WithDigit(0, 9)), 0u);
    EXPECT_THROW(a.WithDigit(3, 16), std::out_of_range);

    // The ring wraps: 0xff..f and 1 are 2 apart, and 0 is closer to both than 2^127 is.
    const PastryId max(~uint64_t(0), ~uint64_t(0));
    const PastryId one(0, 1);
    EXPECT_EQ(max.RingDistance(one), PastryId(0, 2));
    EXPECT_EQ(one.RingDistance(max), PastryId(0, 2));
    EXPECT_EQ(one.Minus(max), PastryId(0, 2));
    EXPECT_EQ(max.Minus(one), PastryId(~uint64_t(0), ~uint64_t(0) - 1));
    EXPECT_EQ(PastryId(1, 0).Minus(one), PastryId(0, ~uint64_t(0))) << "borrow";
    const PastryId half(uint64_t(1) << 63, 0);
    EXPECT_TRUE(PastryId().IsCloser(max, half));
    // Ties go to the smaller id: key 2 is 1 away from 1 and from 3.
    EXPECT_TRUE(PastryId(0, 2).IsCloser(one, PastryId(0, 3)));
    EXPECT_FALSE(PastryId(0, 2).IsCloser(PastryId(0, 3), one));
}

TEST(PastryId, FromAddressIsSha1AndHexRejectsBadText)
{
    // SHA-1 of the four bytes 10.0.0.1 starts 10 1d ... (first 16 bytes taken).
    const PastryId id = PastryId::FromAddress(Ipv4Address("10.0.0.1"));
    EXPECT_EQ(id, PastryId::FromAddress(Ipv4Address("10.0.0.1")));
    EXPECT_NE(id, PastryId::FromAddress(Ipv4Address("10.0.0.2")));
    EXPECT_EQ(PastryId::FromName("abc").ToString(), "a9993e364706816aba3e25717850c26c")
        << "the first 16 bytes of SHA-1(\"abc\")";
    EXPECT_THROW(PastryId::FromHex("0123"), std::invalid_argument);
    EXPECT_THROW(PastryId::FromHex("0123456789abcdef0123456789abcdeg"), std::invalid_argument);
    EXPECT_EQ(PastryId::FromHex("A9993E364706816ABA3E25717850C26C"), PastryId::FromName("abc"));
}

TEST(PastryId, HandleWireRoundTripAndTruncation)
{
    const PastryHandle h{PastryId::FromName("x"), Ipv4Address("10.1.2.3")};
    Buffer buf;
    buf.AddAtStart(PastryHandle::kBytes);
    Buffer::Iterator it = buf.Begin();
    h.Serialize(it);
    {
        WireReader r(buf.Begin());
        EXPECT_EQ(PastryHandle::Deserialize(r), h);
        EXPECT_TRUE(r.Ok());
        EXPECT_EQ(r.GetConsumed(), PastryHandle::kBytes);
    }
    Buffer shortBuf;
    shortBuf.AddAtStart(PastryHandle::kBytes - 1);
    WireReader r(shortBuf.Begin());
    PastryHandle::Deserialize(r);
    EXPECT_FALSE(r.Ok());
    EXPECT_NE(r.GetError().find("truncated"), std::string::npos) << r.GetError();
}

// ------------------------------------------------------------------ routing table, leaf set

TEST(PastryRoutingTable, SlotsByPrefixAndProximity)
{
    const PastryId self = PastryId::FromHex("a0000000000000000000000000000000");
    PastryRoutingTable t(self);
    const PastryHandle far{PastryId::FromHex("3fff0000000000000000000000000000"), Ipv4Address(1)};
    const PastryHandle near{PastryId::FromHex("3aaa0000000000000000000000000000"), Ipv4Address(2)};
    const PastryHandle row2{PastryId::FromHex("a0500000000000000000000000000000"), Ipv4Address(3)};
    EXPECT_EQ(t.SlotOf(far.id), std::make_pair(0u, 3u));
    EXPECT_EQ(t.SlotOf(row2.id), std::make_pair(2u, 5u));
    EXPECT_TRUE(t.Insert(far, INFINITY)) << "an empty slot takes a node of unknown RTT";
    EXPECT_FALSE(t.Insert(near, INFINITY)) << "but an unmeasured node never replaces one";
    EXPECT_TRUE(t.Insert(near, 0.050));
    EXPECT_EQ(t.Get(0, 3)->node, near);
    EXPECT_FALSE(t.Insert(far, 0.080)) << "farther than the slot's node";
    EXPECT_TRUE(t.Insert(far, 0.010)) << "nearer: replaces";
    EXPECT_EQ(t.Get(0, 3)->node, far);
    EXPECT_TRUE(t.Insert(row2, 0.1));
    EXPECT_FALSE(t.Insert({self, Ipv4Address(9)}, 0.001)) << "never itself";
    EXPECT_EQ(t.GetSize(), 2u);
    EXPECT_EQ(t.GetRow(2).size(), 1u);
    EXPECT_EQ(t.Remove(far.id), std::make_optional(std::make_pair(0u, 3u)));
    EXPECT_FALSE(t.Remove(near.id)) << "not in the table any more";
    EXPECT_EQ(t.Get(0, 3), nullptr);
    EXPECT_EQ(t.Get(40, 3), nullptr);
}

TEST(PastryLeafSet, KeepsTheNearestOnEachSideAndKnowsItsRange)
{
    EXPECT_THROW(PastryLeafSet(PastryId(), 5), std::invalid_argument);
    EXPECT_THROW(PastryLeafSet(PastryId(), 0), std::invalid_argument);
    const PastryId self(0, 1000);
    PastryLeafSet l(self, 4); // 2 each side
    auto node = [](uint64_t v) {
        return PastryHandle{PastryId(0, v), Ipv4Address(uint32_t(v))};
    };
    EXPECT_TRUE(l.IsInRange(PastryId(1ull << 60, 0))) << "not full: everything is in range";
    for (uint64_t v : {1010, 1020, 1030, 990, 980, 970})
    {
        l.Insert(node(v));
    }
    ASSERT_EQ(l.GetSide(PastryLeafSet::RIGHT).size(), 2u);
    EXPECT_EQ(l.GetSide(PastryLeafSet::RIGHT)[0].id, PastryId(0, 1010));
    EXPECT_EQ(l.GetSide(PastryLeafSet::RIGHT)[1].id, PastryId(0, 1020));
    EXPECT_EQ(l.GetSide(PastryLeafSet::LEFT)[0].id, PastryId(0, 990));
    EXPECT_EQ(l.GetSide(PastryLeafSet::LEFT)[1].id, PastryId(0, 980));
    EXPECT_TRUE(l.IsInRange(PastryId(0, 985)));
    EXPECT_TRUE(l.IsInRange(PastryId(0, 1020)));
    EXPECT_FALSE(l.IsInRange(PastryId(0, 1021)));
    EXPECT_FALSE(l.IsInRange(PastryId(0, 979)));
    EXPECT_FALSE(l.Insert(node(1030))) << "beyond a full side";
    EXPECT_TRUE(l.Insert(node(1005)));
    EXPECT_EQ(l.GetOutermost(PastryLeafSet::RIGHT)->id, PastryId(0, 1010));
    EXPECT_TRUE(l.Remove(PastryId(0, 1005)));
    EXPECT_FALSE(l.Contains(PastryId(0, 1005)));
    EXPECT_EQ(l.GetAll().size(), 3u);

    // Three nodes on the whole ring: each other node is a leaf on both sides.
    PastryLeafSet small(self, 24);
    small.Insert(node(5));
    small.Insert(node(1ull << 40));
    EXPECT_EQ(small.GetSide(PastryLeafSet::LEFT).size(), 2u);
    EXPECT_EQ(small.GetSide(PastryLeafSet::RIGHT).size(), 2u);
    EXPECT_EQ(small.GetAll().size(), 2u);
}

// ------------------------------------------------------------------ a few hundred nodes

namespace
{

/// A Pastry network as data: every node's state, node positions on a plane for RTTs, and
/// the join and repair protocols acted out by direct calls (what PastryNode does with
/// messages).
class PastryNetwork
{
  public:
    explicit PastryNetwork(uint32_t seed)
        : m_rng(seed)
    {
    }

    /// RTT in seconds: planar distance, up to ~0.3 s.
    double
    Rtt(const PastryHandle& a, const PastryHandle& b) const
    {
        const auto& pa = m_pos.at(a.id);
        const auto& pb = m_pos.at(b.id);
        return 0.002 + std::hypot(pa.first - pb.first, pa.second - pb.second);
    }

    /// Node \p index joins through a random live node, as Pastry's join does.
    PastryHandle
    Join(uint32_t index)
    {
        const Ipv4Address address(0x0a000000 + index);
        const PastryHandle x = PastryHandle::Of(address);
        std::uniform_real_distribution<double> u(0, 0.2);
        m_pos[x.id] = {u(m_rng), u(m_rng)};
        PastryState state(x, 24);
        if (!m_nodes.empty())
        {
            // The join message is routed towards x's id from the bootstrap; every node on the
            // route sends x rows 0..l of its table (l: the prefix it shares with x), the last
            // one (the numerically closest) its leaf set too. x measures each node's RTT.
            const PastryHandle a = RandomLive();
            std::vector<PastryHandle> route = Route(a, x.id).path;
            for (const auto& b : route)
            {
                const PastryState& s = m_nodes.at(b.id);
                state.Consider(b, Rtt(x, b));
                const uint32_t l = b.id.SharedPrefixLength(x.id);
                for (uint32_t row = 0; row <= l && row < PastryId::kDigits; ++row)
                {
                    for (const auto& h : s.GetRoutingTable().GetRow(row))
                    {
                        state.Consider(h, Rtt(x, h));
                    }
                }
            }
            for (const auto& h : m_nodes.at(route.back().id).GetLeafSet().GetAll())
            {
                state.Consider(h, Rtt(x, h));
            }
            // x tells every node it knows about itself.
            for (const auto& h : state.GetKnown())
            {
                m_nodes.at(h.id).Consider(x, Rtt(h, x));
            }
        }
        m_nodes.emplace(x.id, state);
        m_live.push_back(x);
        return x;
    }

    struct RouteResult
    {
        std::vector<PastryHandle> path; ///< from the origin to the last node, both included
        bool loop{false};
    };

    RouteResult
    Route(const PastryHandle& from, const PastryId& key) const
    {
        RouteResult r;
        PastryHandle at = from;
        r.path.push_back(at);
        for (;;)
        {
            const PastryHandle next = m_nodes.at(at.id).NextHop(key);
            if (next.id == at.id)
            {
                return r;
            }
            EXPECT_TRUE(m_nodes.count(next.id)) << at << " routes to failed node " << next;
            at = next;
            r.path.push_back(at);
            if (r.path.size() > 64)
            {
                r.loop = true;
                return r;
            }
        }
    }

    /// The live node numerically closest to \p key, by brute force.
    PastryId
    Closest(const PastryId& key) const
    {
        PastryId best = m_live.front().id;
        for (const auto& h : m_live)
        {
            if (key.IsCloser(h.id, best))
            {
                best = h.id;
            }
        }
        return best;
    }

    PastryHandle
    RandomLive()
    {
        std::uniform_int_distribution<size_t> pick(0, m_live.size() - 1);
        return m_live[pick(m_rng)];
    }

    PastryId
    RandomKey()
    {
        std::uniform_int_distribution<uint64_t> u;
        return PastryId(u(m_rng), u(m_rng));
    }

    /// Fails \p count random nodes at once; every survivor detects the failures of the nodes
    /// it knew and repairs its state (leaf set from the outermost and the nearest live leaf
    /// on the failed side; a routing slot from the other nodes of its row, then of the next
    /// row), then ring neighbours exchange leaf sets for a few rounds.
    /// \returns the failed nodes
    std::vector<PastryHandle>
    FailAndRepair(uint32_t count)
    {
        std::vector<PastryHandle> failed;
        for (uint32_t k = 0; k < count; ++k)
        {
            std::uniform_int_distribution<size_t> pick(0, m_live.size() - 1);
            const size_t i = pick(m_rng);
            failed.push_back(m_live[i]);
            m_nodes.erase(m_live[i].id);
            m_live.erase(m_live.begin() + i);
        }
        std::map<PastryId, std::vector<PastryState::Removal>> lost;
        for (auto& [id, s] : m_nodes)
        {
            for (const auto& f : failed)
            {
                auto r = s.Remove(f.id);
                if (r.known)
                {
                    lost[id].push_back(r);
                }
            }
        }
        for (auto& [id, removals] : lost)
        {
            PastryState& s = m_nodes.at(id);
            const PastryHandle self = s.GetSelf();
            for (const auto& r : removals)
            {
                if (r.leafSide)
                {
                    // The outermost leaf on that side and the nearest (a side missing nodes
                    // may hold, at its end, nodes from the other side of the ring: the nearest
                    // is surely on this side).
                    for (auto ask : {s.GetLeafSet().GetOutermost(*r.leafSide),
                                     s.GetLeafSet().GetNeighbour(*r.leafSide)})
                    {
                        if (!ask)
                        {
                            continue;
                        }
                        for (const auto& h : m_nodes.at(ask->id).GetLeafSet().GetAll())
                        {
                            s.Consider(h, Rtt(self, h));
                        }
                    }
                }
                if (r.slot)
                {
                    RepairSlot(s, r.slot->first, r.slot->second);
                }
            }
        }
        // Then what PastryNode's heartbeats do: ring neighbours exchange leaf sets.
        for (uint32_t round = 0; round < 3; ++round)
        {
            for (auto& [id, s] : m_nodes)
            {
                for (auto side : {PastryLeafSet::LEFT, PastryLeafSet::RIGHT})
                {
                    if (auto nb = s.GetLeafSet().GetNeighbour(side))
                    {
                        for (const auto& h : m_nodes.at(nb->id).GetLeafSet().GetAll())
                        {
                            s.Consider(h, Rtt(s.GetSelf(), h));
                        }
                    }
                }
            }
        }
        return failed;
    }

    const std::vector<PastryHandle>&
    Live() const
    {
        return m_live;
    }

    uint32_t
    Size() const
    {
        return m_live.size();
    }

    const PastryState&
    State(const PastryId& id) const
    {
        return m_nodes.at(id);
    }

  private:
    void
    RepairSlot(PastryState& s, uint32_t row, uint32_t column)
    {
        const PastryHandle self = s.GetSelf();
        for (uint32_t r = row; r < PastryId::kDigits && r <= row + 1; ++r)
        {
            for (const auto& peer : s.GetRoutingTable().GetRow(r))
            {
                const auto* e = m_nodes.at(peer.id).GetRoutingTable().Get(row, column);
                if (e && m_nodes.count(e->node.id)
                    && s.GetRoutingTable().SlotOf(e->node.id) == std::make_pair(row, column))
                {
                    s.Consider(e->node, Rtt(self, e->node));
                    return;
                }
            }
        }
    }

    std::mt19937_64 m_rng;
    std::map<PastryId, PastryState> m_nodes;
    std::vector<PastryHandle> m_live;
    std::map<PastryId, std::pair<double, double>> m_pos;
};

/// Checks every live node's leaf set is exact: each side the 12 next live ids on the ring.
void
CheckLeafSets(const PastryNetwork& net)
{
    std::vector<PastryId> ring;
    for (const auto& h : net.Live())
    {
        ring.push_back(h.id);
    }
    std::sort(ring.begin(), ring.end());
    const size_t n = ring.size();
    for (size_t i = 0; i < n; ++i)
    {
        const auto& ls = net.State(ring[i]).GetLeafSet();
        ASSERT_EQ(ls.GetSide(PastryLeafSet::RIGHT).size(), 12u);
        ASSERT_EQ(ls.GetSide(PastryLeafSet::LEFT).size(), 12u);
        for (size_t k = 0; k < 12; ++k)
        {
            EXPECT_EQ(ls.GetSide(PastryLeafSet::RIGHT)[k].id, ring[(i + 1 + k) % n]) << i;
            EXPECT_EQ(ls.GetSide(PastryLeafSet::LEFT)[k].id, ring[(i + n - 1 - k) % n]) << i;
        }
    }
}

/// Routes \p keys random keys from random nodes; checks each ends at the closest live node
/// within ceil(log16 N) + 1 hops. \returns the mean hops
double
CheckRouting(PastryNetwork& net, uint32_t keys)
{
    const uint32_t bound = uint32_t(std::ceil(std::log(double(net.Size())) / std::log(16.0))) + 1;
    uint64_t hops = 0;
    uint32_t worst = 0;
    for (uint32_t k = 0; k < keys; ++k)
    {
        const PastryId key = net.RandomKey();
        const PastryHandle from = net.RandomLive();
        auto r = net.Route(from, key);
        EXPECT_FALSE(r.loop) << "key " << key;
        EXPECT_EQ(r.path.back().id, net.Closest(key)) << "key " << key << " from " << from;
        EXPECT_LE(r.path.size() - 1, bound) << "key " << key << " from " << from;
        hops += r.path.size() - 1;
        worst = std::max<uint32_t>(worst, r.path.size() - 1);
    }
    // A node's own id routes to the node itself.
    const PastryHandle some = net.RandomLive();
    EXPECT_EQ(net.Route(net.RandomLive(), some.id).path.back(), some);
    std::cout << net.Size() << " nodes: mean " << double(hops) / keys << " hops, worst " << worst
              << " (bound " << bound << ")\n";
    return double(hops) / keys;
}

} // namespace

TEST(PastryRouting, EveryKeyReachesTheClosestNodeWithinTheHopBound)
{
    PastryNetwork net(1);
    for (uint32_t i = 0; i < 400; ++i)
    {
        net.Join(i);
    }
    CheckLeafSets(net);
    const double mean = CheckRouting(net, 3000);
    EXPECT_LT(mean, 3.0) << "about log16(400) = 2.2 hops";
}

TEST(PastryRouting, StillRoutesCorrectlyAfterFailuresAndRepair)
{
    PastryNetwork net(2);
    for (uint32_t i = 0; i < 300; ++i)
    {
        net.Join(i);
    }
    CheckRouting(net, 1000);
    // One node fails, then a tenth of the rest at once.
    auto failed = net.FailAndRepair(1);
    CheckRouting(net, 1000);
    auto more = net.FailAndRepair(30);
    CheckLeafSets(net);
    CheckRouting(net, 2000);
    more.push_back(failed.front());
    for (const auto& live : net.Live())
    {
        for (const auto& f : more)
        {
            EXPECT_FALSE(net.State(live.id).Knows(f.id)) << live << " still knows " << f;
        }
    }
}

TEST(PastryRouting, SmallRingsRouteInOneHop)
{
    PastryNetwork net(3);
    net.Join(0);
    EXPECT_EQ(net.Route(net.RandomLive(), net.RandomKey()).path.size(), 1u)
        << "alone: every key is its own";
    for (uint32_t i = 1; i < 10; ++i)
    {
        net.Join(i);
    }
    CheckRouting(net, 300); // all in each other's leaf sets: one hop at most
}
