/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The cheaper forms of per-packet work (doc/performance.md): each must behave exactly as what
// it replaced.
#include "ns3/counting-bloom-filter.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/link-device.h"
#include "ns3/link-packet-counter.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/scheduler-choice.h"
#include "ns3/sequence-set.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/streaming-scenario.h"
#include "ns3/summary-ticket.h"
#include "ns3/topology-helper.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/working-set.h"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using namespace ns3;

// ------------------------------------------------------------------ SequenceSet

TEST(SequenceSet, BehavesAsAnOrderedSet)
{
    SequenceSet s;
    std::set<uint32_t> reference;
    boost::random::mt19937 rng(5);
    // Mostly ascending, as packets are sent, with stragglers below and duplicates.
    boost::random::uniform_int_distribution<uint32_t> jitter(0, 40);
    uint32_t next = 1000;
    for (int i = 0; i < 5000; ++i)
    {
        uint32_t seq = next + jitter(rng) - 20;
        next += jitter(rng) < 30 ? 1 : 0;
        ASSERT_EQ(s.Insert(seq), reference.insert(seq).second) << "insert " << seq;
        if (i % 500 == 0)
        {
            for (uint32_t q = next - 100; q < next + 100; ++q)
            {
                ASSERT_EQ(s.Contains(q), reference.count(q) == 1) << q;
            }
        }
    }
    EXPECT_EQ(s.GetSize(), reference.size());
    EXPECT_EQ(s.GetSequences(), std::vector<uint32_t>(reference.begin(), reference.end()));
    EXPECT_FALSE(s.Contains(0));
    EXPECT_FALSE(s.Contains(UINT32_MAX));

    SequenceSet other;
    other.Insert(7);
    s.Swap(other);
    EXPECT_EQ(s.GetSequences(), std::vector<uint32_t>{7});
    EXPECT_EQ(other.GetSize(), reference.size());
    other.Clear();
    EXPECT_TRUE(other.IsEmpty());
    EXPECT_FALSE(other.Contains(1000));
}

// ------------------------------------------------------------------ digests' arithmetic

TEST(DigestArithmetic, BloomIndicesAndMinWiseImagesMatchTheirDefinitions)
{
    boost::random::mt19937 rng(23);
    boost::random::uniform_int_distribution<uint32_t> any;
    // Bloom filter indices: a_i = h1 + i h2 + (i^3 - i)/6 mod m, as divisions computed them.
    for (uint32_t m : {1u, 2u, 3u, 7u, 31u, 32u, 33u, 100u, 9586u, 14378u, 4000000007u})
    {
        for (int t = 0; t < 2000; ++t)
        {
            const uint32_t key = any(rng);
            const uint32_t k = 1 + t % BloomFilter::kMaxHashes;
            BloomHash::IndexArray got;
            BloomHash::Indices(key, k, m, got);
            const uint64_t h = BloomHash::Mix64(key);
            uint64_t a = (h & 0xffffffffULL) % m;
            uint64_t b = (h >> 32) % m;
            for (uint32_t i = 0; i < k; ++i)
            {
                ASSERT_EQ(got[i], a) << "m " << m << " key " << key << " i " << i;
                a = (a + b) % m;
                b = (b + i + 1) % m;
            }
        }
    }
    // Min-wise images: (a x + b) mod (2^61 - 1), as a 128-bit division computed them.
    MinWisePermutations perms(30, 99, MinWisePermutations::PLAIN);
    MinWisePermutations scrambled(30, 99, MinWisePermutations::SCRAMBLED);
    for (int t = 0; t < 20000; ++t)
    {
        const uint32_t j = t % 30;
        const uint32_t x = t < 10 ? UINT32_MAX - t : any(rng);
        // Recover a and b from two images (a = f(1) - f(0), b = f(0)), then check f(x).
        const uint64_t b = perms.Apply(j, 0);
        const uint64_t a = (perms.Apply(j, 1) + MinWisePermutations::kUniverse - b)
                           % MinWisePermutations::kUniverse;
        const unsigned __int128 v = static_cast<unsigned __int128>(a) * x + b;
        ASSERT_EQ(perms.Apply(j, x), uint64_t(v % MinWisePermutations::kUniverse)) << x;
        ASSERT_EQ(scrambled.Apply(j, x), perms.Apply(j, MinWisePermutations::Scramble(x)));
    }
    // A ticket keeps, per permutation, the key of least image, whichever way it was built.
    SummaryTicket incremental(std::make_shared<const MinWisePermutations>(30, 7));
    std::vector<uint32_t> keys;
    for (int t = 0; t < 500; ++t)
    {
        keys.push_back(any(rng));
        incremental.Insert(keys.back());
    }
    for (uint32_t j = 0; j < 30; ++j)
    {
        uint32_t best = keys[0];
        for (uint32_t key : keys)
        {
            if (incremental.GetPermutations()->Apply(j, key)
                < incremental.GetPermutations()->Apply(j, best))
            {
                best = key;
            }
        }
        EXPECT_EQ(incremental.GetEntry(j), best) << j;
    }
}

TEST(DigestArithmetic, CountingFilterRemovesOnlyWhatItMayHold)
{
    CountingBloomFilter f(64, 3);
    f.Insert(10);
    f.Insert(11);
    EXPECT_TRUE(f.Remove(10));
    EXPECT_EQ(f.GetPopulation(), 1u);
    // 10's cells that 11 does not share are empty now: removing it again must fail and
    // change nothing.
    std::vector<uint16_t> before;
    for (uint32_t c = 0; c < 64; ++c)
    {
        before.push_back(f.GetCounter(c));
    }
    EXPECT_FALSE(f.Remove(10));
    for (uint32_t c = 0; c < 64; ++c)
    {
        EXPECT_EQ(f.GetCounter(c), before[c]) << c;
    }
    EXPECT_TRUE(f.Contains(11));
    EXPECT_TRUE(f.Remove(11));
    EXPECT_EQ(f.ToBloomFilter().CountSetBits(), 0u);
}

// ------------------------------------------------------------------ WorkingSet (ring)

TEST(WorkingSetRing, MatchesAnOrderedSetModelUnderRandomTraffic)
{
    // The window of 300 needs a ring of 512 bits: sequence numbers 512 apart share a bit, so
    // jumps, reordering and explicit advances must never let one stand for the other.
    const uint32_t window = 300;
    WorkingSet ws(window, 0.01);
    std::set<uint32_t> held; // the reference: what the window must hold
    uint32_t low = 0;
    boost::random::mt19937 rng(17);
    boost::random::uniform_int_distribution<uint32_t> op(0, 99);
    boost::random::uniform_int_distribution<uint32_t> back(0, 400);
    uint32_t newest = 0;
    auto slide = [&](uint32_t newLow) {
        if (newLow > low)
        {
            low = newLow;
            held.erase(held.begin(), held.lower_bound(low));
        }
    };
    for (int step = 0; step < 20000; ++step)
    {
        uint32_t o = op(rng);
        if (o < 85)
        {
            // A packet: mostly the next ones, sometimes late, sometimes far ahead (a gap in
            // the stream, past the ring's size).
            uint32_t seq = o < 60   ? newest + 1 + back(rng) % 3
                           : o < 80 ? newest - std::min(newest, back(rng))
                                    : std::max(newest, low) + 512 + back(rng) * 3;
            newest = std::max(newest, seq);
            bool expected = seq >= low && held.count(seq) == 0;
            if (expected && uint64_t(seq) >= uint64_t(low) + window)
            {
                slide(seq - window + 1);
            }
            if (expected)
            {
                held.insert(seq);
            }
            ASSERT_EQ(ws.Insert(seq), expected) << "insert " << seq << " at step " << step;
        }
        else if (o < 88) // an explicit clean-up, sometimes past everything
        {
            uint32_t to = low + back(rng);
            slide(to);
            ws.Advance(to);
        }
        ASSERT_EQ(ws.GetLow(), low);
        ASSERT_EQ(ws.GetSize(), held.size());
        ASSERT_EQ(ws.GetFilter().GetPopulation(), held.size());
        if (step % 97 == 0)
        {
            for (uint32_t q = low >= 600 ? low - 600 : 0; q < newest + 600; ++q)
            {
                ASSERT_EQ(ws.Contains(q), held.count(q) == 1) << q << " at step " << step;
            }
            ASSERT_EQ(ws.GetSequences(), std::vector<uint32_t>(held.begin(), held.end()));
            uint32_t from = low + back(rng) / 2;
            uint32_t to = from + back(rng);
            std::vector<uint32_t> visited;
            ws.ForEach(from, to, [&visited](uint32_t s) {
                visited.push_back(s);
            });
            ASSERT_EQ(visited, std::vector<uint32_t>(held.lower_bound(from), held.upper_bound(to)));
            SummaryTicket fresh(ws.GetTicket().GetPermutations());
            for (uint32_t s : held)
            {
                fresh.Insert(s);
            }
            ASSERT_TRUE(ws.GetTicket() == fresh) << "at step " << step;
        }
    }
    std::vector<uint32_t> none;
    ws.ForEach(10, 5, [&none](uint32_t s) {
        none.push_back(s);
    });
    EXPECT_TRUE(none.empty()) << "an empty range visits nothing";
}

TEST(WorkingSetRing, RefusesAWindowItCannotIndex)
{
    EXPECT_THROW(WorkingSet((1u << 31) + 1, 16, 1), std::invalid_argument);
}

// ------------------------------------------------------------------ the simulated network

namespace
{

/// Two clients on a three-router line; 10 Mb/s, 1 ms links.
Ptr<SimulatedNetwork>
Line(bool directForwarding = true, const std::string& linkType = "lean")
{
    TopologyHelper helper;
    helper.SetDirectForwarding(directForwarding);
    helper.SetLinkType(linkType);
    TopologySpec spec;
    spec.nRouters = 3;
    spec.clientRouter = {0, 2};
    spec.links = {{0, 1, LinkClass::TransitTransit, 10e6, 10e6, 1, 0, 0},
                  {1, 2, LinkClass::TransitTransit, 10e6, 10e6, 1, 0, 0},
                  {3, 0, LinkClass::ClientStub, 10e6, 10e6, 1, 0, 0},
                  {4, 2, LinkClass::ClientStub, 10e6, 10e6, 1, 0, 0}};
    return helper.Build(spec);
}

/// Client 0 sends \p n datagrams of \p size bytes to client 1, one per ms from \p at;
/// returns client 1's arrival times.
std::vector<Time>
SendAcross(Ptr<SimulatedNetwork> net, uint32_t n, uint32_t size, Time at = Seconds(0))
{
    auto arrivals = std::make_shared<std::vector<Time>>();
    Ptr<Socket> rx = Socket::CreateSocket(net->GetClient(1), UdpSocketFactory::GetTypeId());
    rx->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
    rx->SetRecvCallback([arrivals](Ptr<Socket> s) {
        while (s->Recv())
        {
            arrivals->push_back(Simulator::Now());
        }
    });
    Ptr<Socket> tx = Socket::CreateSocket(net->GetClient(0), UdpSocketFactory::GetTypeId());
    InetSocketAddress to(net->GetClientAddress(1), 9);
    for (uint32_t i = 0; i < n; ++i)
    {
        Simulator::Schedule(at + MilliSeconds(i), [tx, to, size]() {
            tx->SendTo(Create<Packet>(size), 0, to);
        });
    }
    Simulator::Run();
    return *arrivals;
}

/// LinkPacketCounter on links of \p linkType counts what their devices trace as sent.
void
CheckLinkPacketCounter(const std::string& linkType)
{
    Ptr<SimulatedNetwork> net = Line(true, linkType);
    // The reference: every device's trace of what it puts on the link (PhyTxBegin, which
    // the counter once listened to, on a point-to-point device).
    // A LinkDevice's packets lack the 2-byte PPP header the point-to-point device adds (and
    // both count).
    const std::string trace = linkType == "lean" ? "Tx" : "PhyTxBegin";
    const uint32_t framing = linkType == "lean" ? LinkDevice::kFramingBytes : 0;
    uint64_t traced = 0;
    uint64_t tracedBytes = 0;
    uint64_t early = 0;
    for (uint32_t link = 0; link < 4; ++link)
    {
        for (bool a : {true, false})
        {
            net->GetDevice(link, a)->TraceConnectWithoutContext(
                trace, Callback<void, Ptr<const Packet>>([&](Ptr<const Packet> p) {
                    ++traced;
                    tracedBytes += p->GetSize() + framing;
                }));
        }
    }
    // 30 datagrams before the counter exists, then a burst (the queues fill and some are
    // dropped: neither queued nor sent) counted from then on.
    Simulator::Schedule(MilliSeconds(500), [&]() {
        early = traced;
    });
    auto counter = std::make_shared<std::unique_ptr<LinkPacketCounter>>();
    Simulator::Schedule(MilliSeconds(500), [counter]() {
        *counter = std::make_unique<LinkPacketCounter>();
    });
    Ptr<Socket> rx = Socket::CreateSocket(net->GetClient(1), UdpSocketFactory::GetTypeId());
    rx->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9)); // else ICMP answers each datagram
    Ptr<Socket> tx = Socket::CreateSocket(net->GetClient(0), UdpSocketFactory::GetTypeId());
    InetSocketAddress to(net->GetClientAddress(1), 9);
    for (uint32_t i = 0; i < 30; ++i)
    {
        Simulator::Schedule(MilliSeconds(10 * i), [tx, to]() {
            tx->SendTo(Create<Packet>(500), 0, to);
        });
    }
    Simulator::Schedule(Seconds(1), [tx, to]() {
        for (int i = 0; i < 40; ++i)
        {
            tx->SendTo(Create<Packet>(1400), 0, to); // more than a queue of 10 holds
        }
    });
    uint64_t bytesBefore = 0;
    Simulator::Schedule(MilliSeconds(500), [&]() {
        bytesBefore = tracedBytes;
    });
    Simulator::Run();
    ASSERT_TRUE(*counter);
    EXPECT_EQ(early, 30u * 4) << "30 datagrams over 4 links before the counter";
    EXPECT_EQ((*counter)->GetPackets(), traced - early);
    EXPECT_EQ((*counter)->GetBytes(), tracedBytes - bytesBefore);
    EXPECT_LT((*counter)->GetPackets(), 40u * 4) << "the burst overflowed a queue";
    Simulator::Destroy();
}

} // namespace

TEST(LinkPacketCounter, CountsWhatDevicesPutOnLinksFromItsConstruction)
{
    CheckLinkPacketCounter("lean");
    CheckLinkPacketCounter("p2p");
}

TEST(TopologyHelper, LinksHandIpv4StraightToIpv4AndSniffersStillSeeTraffic)
{
    Ptr<SimulatedNetwork> net = Line();
    Ptr<Node> middle = net->GetRouters().Get(1);
    uint32_t ipv4Rx = 0;
    middle->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
        "Rx", Callback<void, Ptr<const Packet>, Ptr<Ipv4>, uint32_t>(
                  [&ipv4Rx](Ptr<const Packet>, Ptr<Ipv4>, uint32_t) {
                      ++ipv4Rx;
                  }));
    // A promiscuous protocol handler (a packet sniffer) is served by the device itself.
    uint32_t sniffed = 0;
    middle->RegisterProtocolHandler(
        Callback<void, Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&, const Address&,
                 NetDevice::PacketType>([&sniffed](Ptr<NetDevice>, Ptr<const Packet>,
                                                   uint16_t protocol, const Address&,
                                                   const Address&, NetDevice::PacketType) {
            sniffed += protocol == Ipv4L3Protocol::PROT_NUMBER;
        }),
        0, nullptr, true);
    auto arrivals = SendAcross(net, 25, 200);
    EXPECT_EQ(arrivals.size(), 25u);
    EXPECT_EQ(sniffed, 25u);
    EXPECT_EQ(ipv4Rx, 0u) << "the router forwards below IPv4 (SetDirectForwarding)";

    // A frame of another protocol (IPv6, which nothing here speaks) is dropped at the
    // device, not handed to IPv4.
    const uint32_t rxBefore = ipv4Rx;
    auto dev = DynamicCast<LinkDevice>(net->GetDevice(0, false)); // router 1's end of link 0
    ASSERT_TRUE(dev);
    ASSERT_EQ(dev->GetNode(), middle);
    Ptr<Packet> frame = Create<Packet>(60);
    Simulator::ScheduleWithContext(middle->GetId(), Seconds(0), [dev, frame]() mutable {
        dev->Receive(frame, 0x86DD);
    });
    Simulator::Run();
    EXPECT_EQ(ipv4Rx, rxBefore);
    Simulator::Destroy();
}

TEST(TopologyHelper, DirectForwardingSendsWhatIpv4Would)
{
    // The same traffic with routers forwarding through IPv4 and directly: datagrams, a
    // burst that overflows a queue, and datagrams whose TTL runs out at the middle router
    // (IPv4 drops them there and sends ICMP time-exceeded back).
    struct Outcome
    {
        std::vector<Time> arrivals;
        std::vector<Time> atSender; ///< what reached client 0 (the ICMP answers)
        uint32_t middleIpv4Rx{0};
    };
    auto run = [](bool direct) {
        Outcome o;
        Ptr<SimulatedNetwork> net = Line(direct);
        net->GetClient(0)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "Rx", Callback<void, Ptr<const Packet>, Ptr<Ipv4>, uint32_t>(
                      [&o](Ptr<const Packet>, Ptr<Ipv4>, uint32_t) {
                          o.atSender.push_back(Simulator::Now());
                      }));
        net->GetRouters().Get(1)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "Rx", Callback<void, Ptr<const Packet>, Ptr<Ipv4>, uint32_t>(
                      [&o](Ptr<const Packet>, Ptr<Ipv4>, uint32_t) {
                          ++o.middleIpv4Rx;
                      }));
        Ptr<Socket> tx = Socket::CreateSocket(net->GetClient(0), UdpSocketFactory::GetTypeId());
        InetSocketAddress to(net->GetClientAddress(1), 9);
        Simulator::Schedule(MilliSeconds(3), [tx, to]() {
            for (int i = 0; i < 30; ++i)
            {
                tx->SendTo(Create<Packet>(1000), 0, to);
            }
        });
        Ptr<Socket> shortLived
            = Socket::CreateSocket(net->GetClient(0), UdpSocketFactory::GetTypeId());
        shortLived->SetIpTtl(2); // r0 forwards it with TTL 1; it expires at r1
        for (int i = 0; i < 5; ++i)
        {
            Simulator::Schedule(MilliSeconds(100 + i), [shortLived, to]() {
                shortLived->SendTo(Create<Packet>(100), 0, to);
            });
        }
        o.arrivals = SendAcross(net, 50, 300);
        Simulator::Destroy();
        return o;
    };
    Outcome viaIpv4 = run(false);
    Outcome direct = run(true);
    EXPECT_GT(viaIpv4.arrivals.size(), 50u);
    EXPECT_LT(viaIpv4.arrivals.size(), 80u) << "the burst overflowed a queue";
    EXPECT_EQ(direct.arrivals, viaIpv4.arrivals);
    EXPECT_EQ(viaIpv4.atSender.size(), 5u) << "one ICMP time-exceeded per expired datagram";
    EXPECT_EQ(direct.atSender, viaIpv4.atSender);
    EXPECT_EQ(direct.middleIpv4Rx, 5u) << "only the expiring datagrams went through IPv4";
    EXPECT_GT(viaIpv4.middleIpv4Rx, 50u);
}

// ------------------------------------------------------------------ the scheduler choice

TEST(SchedulerChoice, AcceptsNs3SchedulersOnlyAndLeavesResultsUnchanged)
{
    for (const char* name : {"ns3::MapScheduler", "ns3::HeapScheduler", "ns3::ListScheduler",
                             "ns3::CalendarScheduler", "ns3::PriorityQueueScheduler"})
    {
        EXPECT_NO_THROW(ValidateScheduler(name)) << name;
    }
    EXPECT_THROW(ValidateScheduler("ns3::NoSuchScheduler"), std::invalid_argument);
    EXPECT_THROW(ValidateScheduler("ns3::Node"), std::invalid_argument) << "not a scheduler";
    EXPECT_THROW(ValidateScheduler("ns3::Scheduler"), std::invalid_argument) << "abstract";
    StreamingScenario::Config config;
    config.scheduler = "ns3::Node";
    EXPECT_THROW(config.Validate(), std::invalid_argument);

    // Every scheduler orders events by time, then by insertion: the same run gives the same
    // arrival times, to the nanosecond, including a burst that overflows a queue.
    std::vector<std::vector<Time>> runs;
    for (const char* name : {"ns3::MapScheduler", kDefaultScheduler, "ns3::CalendarScheduler"})
    {
        UseScheduler(name);
        Ptr<SimulatedNetwork> net = Line();
        Ptr<Socket> tx = Socket::CreateSocket(net->GetClient(0), UdpSocketFactory::GetTypeId());
        InetSocketAddress to(net->GetClientAddress(1), 9);
        Simulator::Schedule(MilliSeconds(3), [tx, to]() {
            for (int i = 0; i < 30; ++i)
            {
                tx->SendTo(Create<Packet>(1000), 0, to);
            }
        });
        runs.push_back(SendAcross(net, 50, 300));
        Simulator::Destroy();
    }
    ASSERT_FALSE(runs[0].empty());
    EXPECT_EQ(runs[1], runs[0]);
    EXPECT_EQ(runs[2], runs[0]);
    UseScheduler("ns3::MapScheduler"); // ns-3's default, for the tests that follow
    Simulator::Destroy();
}
