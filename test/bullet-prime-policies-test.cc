/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Bullet''s receiver-side decision policies without a simulator: the order of requests
// (RequestStrategy, 2008 Section 4.3.3.1), the size of the peer sets (PeerSetSizing, Figure 5
// and the 1.5-sigma rule) and flow control (OutstandingPolicy, Section 4.3.3.2, with a small
// closed-loop model of a steady link).

#include "ns3/double.h"
#include "ns3/object-factory.h"
#include "ns3/outstanding-policy.h"
#include "ns3/peer-set-sizing.h"
#include "ns3/request-strategy.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <iostream>
#include <map>
#include <queue>
#include <set>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// Holder counts from a table; counts the calls.
struct Holders
{
    std::map<uint32_t, uint32_t> table;
    mutable uint32_t calls{0};

    std::function<uint32_t(uint32_t)>
    Fn() const
    {
        return [this](uint32_t b) {
            ++calls;
            auto it = table.find(b);
            return it == table.end() ? 0u : it->second;
        };
    }
};

bool
AllDistinct(const std::vector<uint32_t>& v)
{
    return std::set<uint32_t>(v.begin(), v.end()).size() == v.size();
}

} // namespace

// ------------------------------------------------------------------ request strategies

TEST(RequestStrategy, AllStrategiesAreRegisteredAndRespectCountAndDistinctness)
{
    const std::vector<uint32_t> candidates{4, 9, 4, 2, 7, 9, 1, 8};
    Holders h;
    h.table = {{4, 2}, {9, 1}, {2, 3}, {7, 1}, {1, 2}, {8, 4}};
    for (const std::string name : {"ns3::FirstEncounteredRequest", "ns3::RandomRequest",
                                   "ns3::RarestRequest", "ns3::RarestRandomRequest"})
    {
        ObjectFactory f(name);
        Ptr<RequestStrategy> s = f.Create<RequestStrategy>();
        ASSERT_TRUE(s) << name;
        s->AssignStreams(7);
        const std::set<uint32_t> pool(candidates.begin(), candidates.end());
        for (uint32_t count : {0u, 1u, 3u, 6u, 7u, 50u})
        {
            h.calls = 0;
            auto out = s->Choose(candidates, h.Fn(), count);
            EXPECT_EQ(out.size(), std::min<size_t>(count, pool.size())) << name << " " << count;
            EXPECT_TRUE(AllDistinct(out)) << name;
            for (uint32_t b : out)
            {
                EXPECT_TRUE(pool.count(b)) << name << " chose " << b << ", not a candidate";
            }
            EXPECT_LE(h.calls, pool.size()) << name << ": holders() at most once per block";
        }
        EXPECT_TRUE(s->Choose({}, h.Fn(), 5).empty()) << name;
    }
}

TEST(RequestStrategy, FirstEncounteredKeepsTheOrderBlocksWereLearned)
{
    FirstEncounteredRequest s;
    Holders h;
    h.table = {{42, 5}, {7, 1}, {19, 3}, {3, 1}, {88, 2}};
    EXPECT_EQ(s.Choose({42, 7, 19, 3, 88}, h.Fn(), 3), (std::vector<uint32_t>{42, 7, 19}))
        << "rarity plays no part";
    EXPECT_EQ(s.Choose({42, 7, 19, 3, 88}, h.Fn(), 9), (std::vector<uint32_t>{42, 7, 19, 3, 88}));
    EXPECT_EQ(s.Choose({5, 5, 6, 5}, h.Fn(), 9), (std::vector<uint32_t>{5, 6}));
    EXPECT_EQ(s.AssignStreams(3), 0);
}

TEST(RequestStrategy, RarestPicksTheLeastHeldFirstTiesInFirstEncounteredOrder)
{
    RarestRequest s;
    Holders h;
    h.table = {{10, 3}, {11, 1}, {12, 2}, {13, 1}, {14, 5}, {15, 2}};
    const std::vector<uint32_t> c{10, 11, 12, 13, 14, 15};
    EXPECT_EQ(s.Choose(c, h.Fn(), 1), (std::vector<uint32_t>{11}));
    EXPECT_EQ(s.Choose(c, h.Fn(), 4), (std::vector<uint32_t>{11, 13, 12, 15}));
    EXPECT_EQ(s.Choose(c, h.Fn(), 6), (std::vector<uint32_t>{11, 13, 12, 15, 10, 14}));
    // The same blocks learned in another order break their ties the other way.
    EXPECT_EQ(s.Choose({15, 13, 12, 11}, h.Fn(), 4), (std::vector<uint32_t>{13, 11, 15, 12}));
    EXPECT_EQ(s.AssignStreams(3), 0);
}

TEST(RequestStrategy, RarestRandomPicksOnlyAmongTheLeastHeldEachAboutEquallyOften)
{
    Ptr<RarestRandomRequest> s = CreateObject<RarestRandomRequest>();
    EXPECT_EQ(s->AssignStreams(11), 1);
    Holders h;
    std::vector<uint32_t> c;
    std::set<uint32_t> rarest;
    for (uint32_t b = 0; b < 20; ++b)
    {
        c.push_back(b);
        h.table[b] = b % 4 == 1 ? 1 : 2 + b % 3; // 1, 5, 9, 13, 17 are held by one sender
        if (b % 4 == 1)
        {
            rarest.insert(b);
        }
    }
    const int draws = 20000;
    std::map<uint32_t, int> picked;
    for (int i = 0; i < draws; ++i)
    {
        auto out = s->Choose(c, h.Fn(), 1);
        ASSERT_EQ(out.size(), 1u);
        ASSERT_TRUE(rarest.count(out[0])) << out[0] << " is not among the least held";
        ++picked[out[0]];
    }
    const double expected = double(draws) / rarest.size();
    for (uint32_t b : rarest)
    {
        EXPECT_NEAR(picked[b], expected, 0.05 * expected) << "block " << b;
    }

    // Repeated picks: the whole rarest group (in random order) before any block held by two.
    std::map<uint32_t, int> firstOfGroup;
    for (int i = 0; i < 2000; ++i)
    {
        auto out = s->Choose(c, h.Fn(), 8);
        ASSERT_EQ(out.size(), 8u);
        ASSERT_TRUE(AllDistinct(out));
        EXPECT_EQ(std::set<uint32_t>(out.begin(), out.begin() + 5), rarest);
        for (size_t k = 5; k < 8; ++k)
        {
            EXPECT_EQ(h.table[out[k]], 2u) << "the next rarest after the rarest";
        }
        ++firstOfGroup[out[0]];
    }
    EXPECT_EQ(firstOfGroup.size(), rarest.size()) << "the order within the group is random";
}

TEST(RequestStrategy, RandomCoversAllCandidatesUniformly)
{
    Ptr<RandomRequest> s = CreateObject<RandomRequest>();
    EXPECT_EQ(s->AssignStreams(5), 1);
    Holders h;
    const std::vector<uint32_t> c{30, 31, 32, 33, 34, 35, 36, 37, 38, 39};
    for (uint32_t b : c)
    {
        h.table[b] = b == 30 ? 1 : 9; // rarity must not matter
    }
    const int draws = 20000;
    std::map<uint32_t, int> picked;
    for (int i = 0; i < draws; ++i)
    {
        auto out = s->Choose(c, h.Fn(), 1);
        ASSERT_EQ(out.size(), 1u);
        ++picked[out[0]];
    }
    ASSERT_EQ(picked.size(), c.size()) << "every candidate gets picked";
    for (uint32_t b : c)
    {
        EXPECT_NEAR(picked[b], draws / 10.0, 0.1 * draws / 10.0) << "block " << b;
    }
    auto all = s->Choose(c, h.Fn(), 10);
    EXPECT_EQ(std::set<uint32_t>(all.begin(), all.end()), std::set<uint32_t>(c.begin(), c.end()));
    bool reordered = false;
    for (int i = 0; i < 10 && !reordered; ++i)
    {
        reordered = s->Choose(c, h.Fn(), 10) != c;
    }
    EXPECT_TRUE(reordered);
}

TEST(RequestStrategy, RandomDrawsFollowTheAssignedStream)
{
    Holders h;
    std::vector<uint32_t> c(40);
    for (uint32_t b = 0; b < c.size(); ++b)
    {
        c[b] = b;
        h.table[b] = b % 3;
    }
    auto run = [&](Ptr<RequestStrategy> s, int64_t stream) {
        s->AssignStreams(stream);
        std::vector<uint32_t> all;
        for (int i = 0; i < 20; ++i)
        {
            auto out = s->Choose(c, h.Fn(), 6);
            all.insert(all.end(), out.begin(), out.end());
        }
        return all;
    };
    EXPECT_EQ(run(CreateObject<RarestRandomRequest>(), 3),
              run(CreateObject<RarestRandomRequest>(), 3));
    EXPECT_NE(run(CreateObject<RarestRandomRequest>(), 3),
              run(CreateObject<RarestRandomRequest>(), 4));
    EXPECT_EQ(run(CreateObject<RandomRequest>(), 3), run(CreateObject<RandomRequest>(), 3));
    EXPECT_NE(run(CreateObject<RandomRequest>(), 3), run(CreateObject<RandomRequest>(), 4));
}

// ------------------------------------------------------------------ peer set sizing

TEST(PeerSetSizing, ManageSendersFollowsFigure5StepByStep)
{
    Ptr<DynamicPeerSetSizing> s = CreateObject<DynamicPeerSetSizing>();
    EXPECT_EQ(s->GetMax(), 10u) << "the paper starts at 10";
    struct Step
    {
        uint32_t peers;
        double bps;
        uint32_t max; // after the call
        const char* why;
    };
    const std::vector<Step> script{
        {10, 1e6, 11, "at MAX with no previous senders: try adding one"},
        {11, 2e6, 12, "more senders, more bandwidth: add another"},
        {12, 1.5e6, 11, "more senders, less bandwidth: adding was bad"},
        {11, 1.8e6, 10, "fewer senders, more bandwidth: try losing another"},
        {10, 1.0e6, 11, "fewer senders, less bandwidth: losing was bad"},
        {10, 3e6, 11, "peers != MAX: nothing"},
        {11, 2e6, 10, "more senders than at the last distribute, less bandwidth"},
        {10, 2e6, 11, "fewer senders, equal bandwidth is no gain: losing was bad"},
        {11, 2e6, 10, "more senders, equal bandwidth is no gain: adding was bad"},
        {9, 5e6, 10, "peers below MAX: nothing"},
        {12, 5e6, 10, "peers above MAX: nothing"},
        {10, 9e6, 9, "fewer than last time (12), faster: lose another"},
        {9, 9e6, 10, "fewer senders, equal bandwidth: losing was bad"},
        {10, 1e7, 11, "more senders, more bandwidth: add another"},
    };
    for (size_t i = 0; i < script.size(); ++i)
    {
        s->Manage(script[i].peers, script[i].bps);
        EXPECT_EQ(s->GetMax(), script[i].max) << "step " << i << ": " << script[i].why;
    }
}

TEST(PeerSetSizing, ManageComparesWithTheLastDistributeEvenWhenItDidNothing)
{
    Ptr<DynamicPeerSetSizing> s = CreateObject<DynamicPeerSetSizing>();
    s->Manage(7, 5e6); // still filling: nothing, but remembered
    EXPECT_EQ(s->GetMax(), 10u);
    s->Manage(10, 4e6); // 10 > 7 senders, 4e6 < 5e6: adding was bad
    EXPECT_EQ(s->GetMax(), 9u);

    Ptr<DynamicPeerSetSizing> t = CreateObject<DynamicPeerSetSizing>();
    t->Manage(0, 0);
    t->Manage(10, 1e3); // the last distribute saw no senders: try adding
    EXPECT_EQ(t->GetMax(), 11u);
}

TEST(PeerSetSizing, ManageStaysWithinMinAndMax)
{
    Ptr<DynamicPeerSetSizing> up = CreateObject<DynamicPeerSetSizing>();
    up->SetAttribute("Initial", UintegerValue(24));
    EXPECT_EQ(up->GetMax(), 24u);
    up->Manage(24, 1e6);
    EXPECT_EQ(up->GetMax(), 25u);
    up->Manage(25, 2e6);
    EXPECT_EQ(up->GetMax(), 25u) << "hard limit 25";
    up->Manage(25, 3e6);
    EXPECT_EQ(up->GetMax(), 25u) << "same number of senders as last time: nothing";

    Ptr<DynamicPeerSetSizing> down = CreateObject<DynamicPeerSetSizing>();
    down->SetAttribute("Initial", UintegerValue(7));
    down->Manage(8, 1e6);
    down->Manage(7, 2e6); // fewer, faster: lose another
    EXPECT_EQ(down->GetMax(), 6u);
    down->Manage(6, 3e6); // fewer, faster again: would go to 5
    EXPECT_EQ(down->GetMax(), 6u) << "hard limit 6";

    Ptr<DynamicPeerSetSizing> odd = CreateObject<DynamicPeerSetSizing>();
    odd->SetAttribute("Initial", UintegerValue(40));
    EXPECT_EQ(odd->GetMax(), 25u) << "Initial is kept within [Min, Max]";
    odd->SetAttribute("Initial", UintegerValue(2));
    EXPECT_EQ(odd->GetMax(), 6u);
}

namespace
{

std::vector<std::pair<Ipv4Address, double>>
Figures(const std::vector<double>& values)
{
    std::vector<std::pair<Ipv4Address, double>> peers;
    for (size_t i = 0; i < values.size(); ++i)
    {
        peers.emplace_back(Ipv4Address(0x0a000001 + i), values[i]);
    }
    return peers;
}

Ipv4Address
Peer(size_t i)
{
    return Ipv4Address(0x0a000001 + i);
}

} // namespace

TEST(PeerSetSizing, PruneDisconnectsExactlyThoseMoreThanDeviationsBelowTheMean)
{
    Ptr<DynamicPeerSetSizing> s = CreateObject<DynamicPeerSetSizing>();
    // Mean 87.7, (population) standard deviation 25.605: threshold 49.29. 20 goes, 60 stays.
    auto a = Figures({100, 95, 105, 98, 102, 99, 101, 20, 97, 60});
    EXPECT_EQ(s->Prune(a), (std::vector<Ipv4Address>{Peer(7)}));
    // Mean 82.2, deviation 34.965: threshold 29.75; both go, slowest first.
    auto b = Figures({100, 95, 105, 98, 102, 99, 101, 15, 97, 10});
    EXPECT_EQ(s->Prune(b), (std::vector<Ipv4Address>{Peer(9), Peer(7)}));
    // One deviation: threshold 62.10, so 60 goes too.
    s->SetAttribute("Deviations", DoubleValue(1.0));
    EXPECT_EQ(s->Prune(a), (std::vector<Ipv4Address>{Peer(7), Peer(9)}));
    // Receivers' figures are shares, the rule is the same.
    s->SetAttribute("Deviations", DoubleValue(1.5));
    auto shares = Figures({0.10, 0.095, 0.105, 0.098, 0.102, 0.099, 0.101, 0.020, 0.097, 0.060});
    EXPECT_EQ(s->Prune(shares), (std::vector<Ipv4Address>{Peer(7)}));
}

TEST(PeerSetSizing, PruneNeverLeavesFewerThanMinAndSparesEqualPeers)
{
    Ptr<DynamicPeerSetSizing> s = CreateObject<DynamicPeerSetSizing>();
    // Both 1 and 2 are below the threshold (5.11), but only one may go: 7 -> 6.
    EXPECT_EQ(s->Prune(Figures({100, 100, 2, 100, 100, 100, 1})),
              (std::vector<Ipv4Address>{Peer(6)}));
    EXPECT_TRUE(s->Prune(Figures({100, 100, 100, 100, 100, 1})).empty()) << "six peers: none";
    EXPECT_TRUE(s->Prune(Figures(std::vector<double>(12, 3.7e6))).empty()) << "all equal";
    EXPECT_TRUE(s->Prune(Figures(std::vector<double>(12, 0.1))).empty()) << "all equal";
    EXPECT_TRUE(s->Prune(Figures({10, 11, 10, 11, 10, 11, 10, 11})).empty())
        << "none more than 1.5 deviations below";
    EXPECT_TRUE(s->Prune({}).empty());
    s->SetAttribute("Min", UintegerValue(9));
    EXPECT_EQ(s->Prune(Figures({100, 95, 105, 98, 102, 99, 101, 15, 97, 10})),
              (std::vector<Ipv4Address>{Peer(9)}))
        << "Min 9 of 10 peers: only the slowest may go";
}

TEST(PeerSetSizing, StaticSizingNeverChanges)
{
    Ptr<StaticPeerSetSizing> s = CreateObject<StaticPeerSetSizing>();
    EXPECT_EQ(s->GetMax(), 10u);
    s->SetAttribute("Peers", UintegerValue(14));
    const std::vector<std::pair<uint32_t, double>> calls{{14, 1e6}, {14, 2e6}, {0, 0},   {14, 1e6},
                                                         {14, 9e6}, {13, 1e5}, {14, 1e3}};
    for (const auto& [peers, bps] : calls)
    {
        s->Manage(peers, bps);
        EXPECT_EQ(s->GetMax(), 14u);
    }
    EXPECT_TRUE(s->Prune(Figures({100, 95, 105, 98, 102, 99, 101, 15, 97, 10})).empty());
}

// ------------------------------------------------------------------ flow control

TEST(OutstandingPolicy, XcpRaisesTheLimitWhenThePipeIdles)
{
    Ptr<XcpOutstanding> x = CreateObject<XcpOutstanding>();
    EXPECT_EQ(x->GetLimit(), 3u) << "the paper starts at 3";
    EXPECT_FALSE(x->TakeMark());
    // 50 ms idle at 8 Mb/s is 3.05 blocks of 16 kB: delta = 0.4 * 3.05 + 0.226 * 1 = 1.45,
    // and an increase takes the ceiling: ceil(4.45) = 5.
    x->BlockArrived(0, MilliSeconds(-50), 8e6, 16384, false);
    EXPECT_EQ(x->GetLimit(), 5u);
    EXPECT_TRUE(x->IsWaiting());
    EXPECT_TRUE(x->TakeMark()) << "the next request carries the mark";
    EXPECT_FALSE(x->TakeMark()) << "only that one";

    // Nothing in front and no idle time: below the target of one, a bare beta = 0.226 that
    // the ceiling makes a whole block.
    Ptr<XcpOutstanding> y = CreateObject<XcpOutstanding>();
    y->BlockArrived(0, Time(0), 8e6, 16384, false);
    EXPECT_EQ(y->GetLimit(), 4u);
}

TEST(OutstandingPolicy, XcpLowersTheLimitForAQueueAboveOneAndHoldsAtOne)
{
    Ptr<XcpOutstanding> x = CreateObject<XcpOutstanding>();
    x->SetAttribute("Initial", UintegerValue(9));
    // Four in front: three above the target, delta = -0.678; decreases take the floor.
    x->BlockArrived(4, MilliSeconds(60), 8e6, 16384, false);
    EXPECT_EQ(x->GetLimit(), 8u);

    // Exactly one in front: no change, however long the service time (the service time is
    // the in-front blocks' time, not counted twice).
    Ptr<XcpOutstanding> y = CreateObject<XcpOutstanding>();
    for (Time service : {MilliSeconds(1), MilliSeconds(30), Seconds(5)})
    {
        y->BlockArrived(1, service, 8e6, 16384, false);
        EXPECT_EQ(y->GetLimit(), 3u);
        EXPECT_FALSE(y->TakeMark());
        EXPECT_FALSE(y->IsWaiting());
    }
    EXPECT_DOUBLE_EQ(y->Delta(1, Seconds(5), 8e6, 16384), 0.0);
    EXPECT_DOUBLE_EQ(y->Delta(3, Seconds(5), 8e6, 16384), y->Delta(3, MilliSeconds(1), 8e6, 16384));

    // The floor is one block (stop and wait): never zero, which would stop the feedback.
    Ptr<XcpOutstanding> z = CreateObject<XcpOutstanding>();
    z->SetAttribute("Initial", UintegerValue(2));
    z->BlockArrived(30, MilliSeconds(500), 8e6, 16384, false);
    EXPECT_EQ(z->GetLimit(), 1u);
    EXPECT_TRUE(z->TakeMark());
    z->BlockArrived(30, MilliSeconds(500), 8e6, 16384, true);
    EXPECT_EQ(z->GetLimit(), 1u);
    EXPECT_FALSE(z->IsWaiting()) << "no change at the floor: no adjustment in flight";
    EXPECT_FALSE(z->TakeMark());
}

TEST(OutstandingPolicy, XcpIgnoresFeedbackUntilTheMarkedBlockArrives)
{
    Ptr<XcpOutstanding> x = CreateObject<XcpOutstanding>();
    x->BlockArrived(0, MilliSeconds(-50), 8e6, 16384, false);
    ASSERT_EQ(x->GetLimit(), 5u);
    // Blocks requested before the change arrive first: whatever they say, nothing moves.
    for (int i = 0; i < 10; ++i)
    {
        x->BlockArrived(i % 2 ? 0u : 9u, MilliSeconds(i % 2 ? -200 : 200), 8e6, 16384, false);
        EXPECT_EQ(x->GetLimit(), 5u) << i;
    }
    // A marked block before the mark was even sent is not this adjustment's.
    x->BlockArrived(9, MilliSeconds(200), 8e6, 16384, true);
    EXPECT_EQ(x->GetLimit(), 5u);
    EXPECT_TRUE(x->IsWaiting());
    EXPECT_TRUE(x->TakeMark());
    x->BlockArrived(9, MilliSeconds(200), 8e6, 16384, false);
    EXPECT_EQ(x->GetLimit(), 5u);
    // The marked block ends the wait and its feedback counts: one in front, no change.
    x->BlockArrived(1, MilliSeconds(20), 8e6, 16384, true);
    EXPECT_EQ(x->GetLimit(), 5u);
    EXPECT_FALSE(x->IsWaiting());
    // From now on feedback acts again: three in front, delta = -0.452, floor: 4.
    x->BlockArrived(3, MilliSeconds(40), 8e6, 16384, false);
    EXPECT_EQ(x->GetLimit(), 4u);
    EXPECT_TRUE(x->IsWaiting());
    EXPECT_TRUE(x->TakeMark());
    // A marked block's own feedback may adjust at once.
    x->BlockArrived(0, MilliSeconds(-50), 8e6, 16384, true);
    EXPECT_EQ(x->GetLimit(), 6u);
    // A marked request that will never be answered ends the wait.
    x->MarkLost();
    EXPECT_FALSE(x->IsWaiting());
    EXPECT_FALSE(x->TakeMark());
    x->BlockArrived(2, MilliSeconds(40), 8e6, 16384, false);
    EXPECT_EQ(x->GetLimit(), 5u);
}

namespace
{

/**
 * A closed-loop model of one sender behind a steady link, in the test's own event loop: the
 * receiver keeps GetLimit() blocks requested; a request takes rtt/2 to reach the sender, a
 * block rtt/2 to come back. The sender queues requested blocks in front of a socket buffer of
 * socketBlocks blocks, which drains at one block per service time. Feedback as BlockTransport
 * reports it (doc/block-transport.md): inFront is the number of blocks queued in front of the
 * socket buffer when the request arrived; wasted is the block's wait in that queue minus the
 * idle period its arrival ended. After the first block, the pipe is idle while no block waits
 * and the socket buffer could take one (or, with idleOnlyWhenEmpty, while it is empty). The
 * receiver measures the bandwidth over the last second.
 */
class SteadyLink
{
  public:
    struct Arrival
    {
        double time;
        uint32_t inFront;
        double wasted;
        uint32_t limit; // after the policy saw this block
    };

    SteadyLink(Ptr<OutstandingPolicy> policy, double service, double rtt, uint32_t socketBlocks,
               bool idleOnlyWhenEmpty = false)
        : m_policy(policy)
        , m_service(service)
        , m_rtt(rtt)
        , m_socketBlocks(socketBlocks)
        , m_idleOnlyWhenEmpty(idleOnlyWhenEmpty)
    {
    }

    void
    Run(size_t blocks)
    {
        Fill(0);
        while (!m_events.empty() && arrivals.size() < blocks)
        {
            Event e = m_events.top();
            m_events.pop();
            switch (e.kind)
            {
                case REQUEST_AT_SENDER:
                    RequestAtSender(e.time, e.req);
                    break;
                case TX_DONE:
                    TxDone(e.time);
                    break;
                case BLOCK_AT_RECEIVER:
                    BlockAtReceiver(e.time, e.req);
                    break;
            }
        }
    }

    std::vector<Arrival> arrivals;

  private:
    struct Request
    {
        bool marked{false};
        double atSender{0};
        double idleBefore{0};
        uint32_t inFront{0};
        double wasted{0};
    };

    enum Kind
    {
        REQUEST_AT_SENDER,
        TX_DONE,
        BLOCK_AT_RECEIVER,
    };

    struct Event
    {
        double time;
        uint64_t order;
        Kind kind;
        Request req;

        bool
        operator>(const Event& o) const
        {
            return time != o.time ? time > o.time : order > o.order;
        }
    };

    void
    Schedule(double t, Kind kind, const Request& r)
    {
        m_events.push(Event{t, m_order++, kind, r});
    }

    void
    Fill(double t)
    {
        while (m_outstanding < m_policy->GetLimit())
        {
            Request r;
            r.marked = m_policy->TakeMark();
            Schedule(t + m_rtt / 2, REQUEST_AT_SENDER, r);
            ++m_outstanding;
        }
    }

    /// Moves queued blocks into the socket buffer while it has room; starts sending; notes
    /// the start of an idle period.
    void
    Pump(double t)
    {
        while (!m_front.empty() && m_socket.size() < m_socketBlocks)
        {
            Request r = m_front.front();
            m_front.pop_front();
            r.wasted = (t - r.atSender) - r.idleBefore;
            m_socket.push_back(r);
            if (m_socket.size() == 1)
            {
                Schedule(t + m_service, TX_DONE, Request());
            }
        }
        const bool room = m_idleOnlyWhenEmpty ? m_socket.empty() : m_socket.size() < m_socketBlocks;
        if (!m_idle && m_sent > 0 && m_front.empty() && room)
        {
            m_idle = true;
            m_idleSince = t;
        }
    }

    void
    RequestAtSender(double t, Request r)
    {
        r.atSender = t;
        r.inFront = m_front.size();
        if (m_idle)
        {
            r.idleBefore = t - m_idleSince;
            m_idle = false;
        }
        m_front.push_back(r);
        Pump(t);
    }

    void
    TxDone(double t)
    {
        Schedule(t + m_rtt / 2, BLOCK_AT_RECEIVER, m_socket.front());
        m_socket.pop_front();
        ++m_sent;
        if (!m_socket.empty())
        {
            Schedule(t + m_service, TX_DONE, Request());
        }
        Pump(t);
    }

    void
    BlockAtReceiver(double t, const Request& r)
    {
        m_recent.push_back(t);
        while (m_recent.front() < t - 1.0)
        {
            m_recent.pop_front();
        }
        const double window = std::min(1.0, t);
        const double bps = m_recent.size() * kBlockBytes * 8.0 / window;
        m_policy->BlockArrived(r.inFront, Seconds(r.wasted), bps, kBlockBytes, r.marked);
        arrivals.push_back({t, r.inFront, r.wasted, m_policy->GetLimit()});
        --m_outstanding;
        Fill(t);
    }

  public:
    static constexpr uint32_t kBlockBytes = 16384;

  private:
    Ptr<OutstandingPolicy> m_policy;
    double m_service;
    double m_rtt;
    uint32_t m_socketBlocks;
    bool m_idleOnlyWhenEmpty;
    std::priority_queue<Event, std::vector<Event>, std::greater<Event>> m_events;
    uint64_t m_order{0};
    uint32_t m_outstanding{0};
    std::deque<Request> m_front;
    std::deque<Request> m_socket;
    uint64_t m_sent{0};
    bool m_idle{false};
    double m_idleSince{0};
    std::deque<double> m_recent;
};

/// Service time of a 16 kB block at \p bps.
double
Service(double bps)
{
    return SteadyLink::kBlockBytes * 8.0 / bps;
}

} // namespace

TEST(OutstandingPolicy, XcpSettlesAtOneBlockInFrontOfASteadyLink)
{
    struct Case
    {
        double bps;
        double rtt;
        uint32_t socketBlocks;
        uint32_t initial;
        bool idleOnlyWhenEmpty;
    };
    const std::vector<Case> cases{
        {10e6, 0.100, 1, 3, false},  // the paper's Section 5.11 links, 16 kB blocks
        {10e6, 0.100, 1, 50, false}, // starting far above
        {2e6, 0.030, 2, 3, false},   // RTT below one service time
        {100e6, 0.080, 4, 3, false}, // a long fat pipe
        {100e6, 0.080, 4, 3, true},  // idle only once the socket buffer is empty
        {10e6, 0.100, 3, 1, false},  // from stop-and-wait
        {10e6, 0.100, 3, 1, true},
    };
    for (const auto& c : cases)
    {
        const std::string label
            = std::to_string(c.bps / 1e6) + " Mb/s, RTT " + std::to_string(c.rtt) + " s, socket "
              + std::to_string(c.socketBlocks) + ", initial " + std::to_string(c.initial)
              + (c.idleOnlyWhenEmpty ? ", idle when empty" : "");
        Ptr<XcpOutstanding> x = CreateObject<XcpOutstanding>();
        x->SetAttribute("Initial", UintegerValue(c.initial));
        SteadyLink link(x, Service(c.bps), c.rtt, c.socketBlocks, c.idleOnlyWhenEmpty);
        const size_t blocks = 6000;
        link.Run(blocks);
        ASSERT_EQ(link.arrivals.size(), blocks) << label;

        // Settled: over the last third, a constant limit and one block in front of the socket
        // buffer for every request; the pipe full (blocks one service time apart).
        const auto& a = link.arrivals;
        const size_t from = 2 * blocks / 3;
        const uint32_t limit = a[from].limit;
        // Where it should settle: the blocks in flight both ways, the socket buffer and one.
        const uint32_t expected = uint32_t(std::floor(c.rtt / Service(c.bps))) + c.socketBlocks + 2;
        EXPECT_EQ(limit, expected) << label;
        size_t ones = 0;
        for (size_t i = from; i < a.size(); ++i)
        {
            EXPECT_EQ(a[i].limit, limit) << label << " block " << i;
            ones += a[i].inFront == 1;
        }
        EXPECT_EQ(ones, a.size() - from) << label << ": one block in front";
        const double rate = (a.size() - 1 - from) / (a.back().time - a[from].time);
        EXPECT_NEAR(rate * Service(c.bps), 1.0, 0.01) << label << ": the pipe is full";
        // And it got there within 50 round trips (a round trip: the RTT and a service time).
        size_t settled = a.size() - 1;
        while (settled > 0 && a[settled - 1].limit == limit)
        {
            --settled;
        }
        EXPECT_LT(a[settled].time, 50 * (c.rtt + Service(c.bps))) << label;
        if (::testing::Test::HasFailure())
        {
            for (size_t i = 0; i < std::min<size_t>(a.size(), 60); ++i)
            {
                std::cerr << a[i].time << " inFront " << a[i].inFront << " wasted " << a[i].wasted
                          << " limit " << a[i].limit << "\n";
            }
            break;
        }
    }
}

TEST(OutstandingPolicy, StaticLimitNeverChanges)
{
    for (uint32_t limit : {3u, 6u, 9u, 15u, 50u})
    {
        Ptr<StaticOutstanding> s = CreateObject<StaticOutstanding>();
        s->SetAttribute("Limit", UintegerValue(limit));
        EXPECT_EQ(s->GetLimit(), limit);
        s->BlockArrived(0, Seconds(-3), 8e6, 16384, false);
        s->BlockArrived(40, Seconds(3), 8e6, 16384, true);
        s->BlockArrived(0, Seconds(-3), 8e6, 16384, true);
        EXPECT_EQ(s->GetLimit(), limit);
        EXPECT_FALSE(s->TakeMark());
        // And in the closed loop, on a link it does not fit.
        SteadyLink link(s, Service(10e6), 0.1, 1);
        link.Run(500);
        for (const auto& a : link.arrivals)
        {
            EXPECT_EQ(a.limit, limit);
        }
    }
    EXPECT_EQ(CreateObject<StaticOutstanding>()->GetLimit(), 3u);
}

TEST(OutstandingPolicy, PoliciesAreRegisteredWithThePapersDefaults)
{
    for (const std::string name : {"ns3::XcpOutstanding", "ns3::StaticOutstanding"})
    {
        Ptr<OutstandingPolicy> p = ObjectFactory(name).Create<OutstandingPolicy>();
        ASSERT_TRUE(p) << name;
        EXPECT_EQ(p->GetLimit(), 3u) << name;
    }
    DoubleValue alpha;
    DoubleValue beta;
    Ptr<XcpOutstanding> x = CreateObject<XcpOutstanding>();
    x->GetAttribute("Alpha", alpha);
    x->GetAttribute("Beta", beta);
    EXPECT_DOUBLE_EQ(alpha.Get(), 0.4);
    EXPECT_DOUBLE_EQ(beta.Get(), 0.226);
    for (const std::string name : {"ns3::DynamicPeerSetSizing", "ns3::StaticPeerSetSizing"})
    {
        Ptr<PeerSetSizing> p = ObjectFactory(name).Create<PeerSetSizing>();
        ASSERT_TRUE(p) << name;
        EXPECT_EQ(p->GetMax(), 10u) << name;
    }
}
