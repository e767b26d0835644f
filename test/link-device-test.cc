/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// LinkDevice, the lean link of the simulated core (doc/performance.md): it must time, queue
// and lose packets exactly as ns-3's point-to-point device and channel do.
#include "ns3/boolean.h"
#include "ns3/error-model.h"
#include "ns3/experiment-output.h"
#include "ns3/link-device.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/queue-size.h"
#include "ns3/simulator.h"
#include "ns3/streaming-scenario.h"
#include "ns3/system-registry.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// What a receiving device passed up.
struct Arrival
{
    Time at;
    uint32_t size;
    uint16_t protocol;
    uint64_t uid;

    bool
    operator==(const Arrival& o) const
    {
        return at == o.at && size == o.size && protocol == o.protocol && uid == o.uid;
    }
};

/// A link between two nodes, of LinkDevices or point-to-point devices.
struct TwoNodes
{
    Ptr<NetDevice> a;
    Ptr<NetDevice> b;
    std::shared_ptr<std::vector<Arrival>> arrivals = std::make_shared<std::vector<Arrival>>();
};

/// Nodes a and b joined by a link of \p type ("lean", "lazy": LinkDevices without an event at
/// each end of transmission, or "p2p"): \p rate from a to b, \p delay,
/// queues of \p queue packets, \p em (if any) on b's receive side. b records what it gets.
TwoNodes
Link(const std::string& type, DataRate rate, Time delay, uint32_t queue,
     Ptr<ErrorModel> em = nullptr)
{
    TwoNodes t;
    Ptr<Node> na = CreateObject<Node>();
    Ptr<Node> nb = CreateObject<Node>();
    if (type == "lean" || type == "lazy")
    {
        Ptr<LinkChannel> channel = CreateObject<LinkChannel>();
        channel->SetDelay(delay);
        Ptr<LinkDevice> da = CreateObject<LinkDevice>();
        Ptr<LinkDevice> db = CreateObject<LinkDevice>();
        for (auto [dev, node] : {std::pair{da, na}, std::pair{db, nb}})
        {
            dev->SetAddress(Mac48Address::Allocate());
            node->AddDevice(dev);
            dev->SetQueueSize(queue);
            dev->SetAttribute("EventAtEveryTransmitEnd", BooleanValue(type == "lean"));
            dev->Attach(channel);
        }
        da->SetDataRate(rate);
        db->SetDataRate(rate);
        db->SetReceiveErrorModel(em);
        t.a = da;
        t.b = db;
    }
    else
    {
        PointToPointHelper p2p;
        p2p.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize",
                     QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, queue)));
        p2p.SetDeviceAttribute("DataRate", DataRateValue(rate));
        p2p.SetChannelAttribute("Delay", TimeValue(delay));
        NetDeviceContainer devs = p2p.Install(na, nb);
        DynamicCast<PointToPointNetDevice>(devs.Get(1))->SetReceiveErrorModel(em);
        t.a = devs.Get(0);
        t.b = devs.Get(1);
    }
    auto arrivals = t.arrivals;
    t.b->SetReceiveCallback(
        [arrivals](Ptr<NetDevice>, Ptr<const Packet> p, uint16_t protocol, const Address&) {
            arrivals->push_back({Simulator::Now(), p->GetSize(), protocol, p->GetUid()});
            return true;
        });
    return t;
}

/// Sends packets of \p sizes from a at \p at, back to back (as a burst).
void
Burst(const TwoNodes& t, Time at, const std::vector<uint32_t>& sizes)
{
    Ptr<NetDevice> a = t.a;
    Simulator::Schedule(at, [a, sizes]() {
        for (uint32_t size : sizes)
        {
            a->Send(Create<Packet>(size), a->GetBroadcast(), 0x0800);
        }
    });
}

} // namespace

TEST(LinkDevice, SerialisesAndDelaysAsPointToPoint)
{
    const DataRate rate("1Mbps");
    const Time delay = MilliSeconds(5);
    const std::vector<uint32_t> sizes{1000, 500, 40, 1500};
    std::map<std::string, std::vector<Arrival>> runs;
    for (std::string type : {"lean", "p2p"})
    {
        TwoNodes t = Link(type, rate, delay, 10);
        Burst(t, Seconds(1), sizes);
        Simulator::Run();
        runs[type] = *t.arrivals;
        Simulator::Destroy();
    }
    const auto& lean = runs["lean"];
    ASSERT_EQ(lean.size(), sizes.size());
    // Each packet of B bytes holds the link for (B + 2) * 8 / R (the PPP header's 2 bytes),
    // one after the other, and arrives the delay after its last bit.
    Time wire = Seconds(1);
    for (uint32_t i = 0; i < sizes.size(); ++i)
    {
        wire += MicroSeconds((sizes[i] + 2) * 8); // at 1 Mb/s, a bit takes 1 us
        EXPECT_EQ(lean[i].at, wire + delay) << "packet " << i;
        EXPECT_EQ(lean[i].size, sizes[i]);
        EXPECT_EQ(lean[i].protocol, 0x0800);
    }
    ASSERT_EQ(runs["p2p"].size(), lean.size());
    for (uint32_t i = 0; i < lean.size(); ++i)
    {
        EXPECT_EQ(lean[i].at, runs["p2p"][i].at) << "packet " << i;
        EXPECT_EQ(lean[i].size, runs["p2p"][i].size);
    }
}

TEST(LinkDevice, TransmissionTimesFollowEachFrameSizeAndTheCurrentRate)
{
    // Repeated and alternating sizes, more sizes than the device remembers (then the first
    // ones again), then the same sizes after the rate changes: each packet must hold the link
    // for its own size at the rate of the moment it starts.
    const Time delay = MilliSeconds(5);
    const std::vector<uint32_t> first{1000, 1000, 40, 1000, 60, 80, 100, 40, 1000};
    TwoNodes t = Link("lean", DataRate("1Mbps"), delay, 10);
    Burst(t, Seconds(1), first);
    Ptr<LinkDevice> a = DynamicCast<LinkDevice>(t.a);
    Simulator::Schedule(Seconds(2), [a]() {
        a->SetDataRate(DataRate("2Mbps"));
    });
    Burst(t, Seconds(3), {1000, 40});
    Simulator::Run();
    Simulator::Destroy();
    const auto& got = *t.arrivals;
    ASSERT_EQ(got.size(), first.size() + 2);
    Time wire = Seconds(1);
    for (uint32_t i = 0; i < first.size(); ++i)
    {
        wire += MicroSeconds((first[i] + 2) * 8); // 1 Mb/s: a bit takes 1 us
        EXPECT_EQ(got[i].at, wire + delay) << "packet " << i;
    }
    const Time second = Seconds(3) + delay;
    EXPECT_EQ(got[first.size()].at, second + NanoSeconds(1002 * 8 * 500)); // 2 Mb/s: 500 ns
    EXPECT_EQ(got[first.size() + 1].at, second + NanoSeconds((1002 + 42) * 8 * 500));
}

TEST(LinkDevice, DropsWhatAFullQueueCannotHoldAndCountsWhatItSends)
{
    // A queue of 3: of a burst of 6, one goes on the wire at once, 3 wait, 2 are dropped;
    // once the queue has drained, the next packet goes again.
    const std::vector<uint32_t> burst{100, 200, 300, 400, 500, 600};
    std::map<std::string, std::vector<uint32_t>> received;
    for (std::string type : {"lean", "p2p"})
    {
        TwoNodes t = Link(type, DataRate("10Mbps"), MilliSeconds(1), 3);
        Burst(t, Seconds(1), burst);
        Burst(t, Seconds(2), {700});
        if (type == "lean")
        {
            auto dev = DynamicCast<LinkDevice>(t.a);
            Simulator::Schedule(Seconds(1), [dev]() {
                EXPECT_EQ(dev->GetQueueLength(), 3u) << "full after the burst";
            });
        }
        Simulator::Run();
        for (const auto& a : *t.arrivals)
        {
            received[type].push_back(a.size);
        }
        if (type == "lean")
        {
            auto dev = DynamicCast<LinkDevice>(t.a);
            EXPECT_EQ(dev->GetTxPackets(), 5u);
            EXPECT_EQ(dev->GetTxBytes(), 100u + 200 + 300 + 400 + 700 + 5 * 2) << "framing counted";
            EXPECT_EQ(dev->GetTxDropped(), 2u);
            EXPECT_EQ(dev->GetQueueLength(), 0u);
        }
        Simulator::Destroy();
    }
    EXPECT_EQ(received["lean"], (std::vector<uint32_t>{100, 200, 300, 400, 700}));
    EXPECT_EQ(received["p2p"], received["lean"]);
}

TEST(LinkDevice, EndsOfTransmissionAreEventsAlwaysOrOnlyWhilePacketsWait)
{
    // 1,000-byte packets on 1 Mb/s hold the link 8,016 us. Sent: one at 1 s; one at the
    // instant it ends; one while the second is on the wire (it waits, with the queue empty
    // until then); one after the link has been idle; then a burst of four (one goes, three
    // wait). Arrivals match point-to-point's on both kinds of LinkDevice; by default it
    // schedules an event at the end of every transmission, as point-to-point does, and with
    // EventAtEveryTransmitEnd false only when a packet waits for it: 4 of the 8.
    const Time hold = MicroSeconds(8016);
    const Time delay = MilliSeconds(3);
    std::map<std::string, std::vector<Arrival>> runs;
    std::map<std::string, uint64_t> events;
    for (std::string type : {"idle", "lean", "lazy", "p2p"})
    {
        if (type == "idle")
        {
            // What building two nodes and a link schedules by itself.
            Link("lean", DataRate("1Mbps"), delay, 10);
            Simulator::Run();
            events[type] = Simulator::GetEventCount();
            Simulator::Destroy();
            continue;
        }
        TwoNodes t = Link(type, DataRate("1Mbps"), delay, 10);
        Burst(t, Seconds(1), {1000});
        Burst(t, Seconds(1) + hold, {1000});
        Burst(t, Seconds(1) + hold + MicroSeconds(100), {1000});
        Burst(t, Seconds(2), {1000});
        Burst(t, Seconds(3), {1000, 1000, 1000, 1000});
        Simulator::Run();
        runs[type] = *t.arrivals;
        events[type] = Simulator::GetEventCount();
        Simulator::Destroy();
    }
    const std::vector<Time> expected{Seconds(1) + hold + delay,     Seconds(1) + 2 * hold + delay,
                                     Seconds(1) + 3 * hold + delay, Seconds(2) + hold + delay,
                                     Seconds(3) + hold + delay,     Seconds(3) + 2 * hold + delay,
                                     Seconds(3) + 3 * hold + delay, Seconds(3) + 4 * hold + delay};
    for (std::string type : {"lean", "lazy", "p2p"})
    {
        ASSERT_EQ(runs[type].size(), expected.size()) << type;
        for (uint32_t i = 0; i < expected.size(); ++i)
        {
            EXPECT_EQ(runs[type][i].at, expected[i]) << type << ", packet " << i;
        }
    }
    // 5 bursts, 8 arrivals, and 8 ends of transmission, or 4 when they are scheduled only
    // for waiting packets: the third packet's, and the burst's three. The second packet,
    // sent at the instant the link frees, goes at once.
    EXPECT_EQ(events["lean"] - events["idle"], 5u + 8u + 8u);
    EXPECT_EQ(events["lazy"] - events["idle"], 5u + 8u + 4u);
    EXPECT_EQ(events["p2p"], events["lean"]);
}

TEST(LinkDevice, ErrorModelDropsTheSamePacketsAsOnPointToPoint)
{
    // A receive-side RateErrorModel (per packet, as the lossy profiles use it) draws once
    // per arriving packet: the same stream loses the same packets on either device.
    constexpr uint32_t kPackets = 5000;
    constexpr double kRate = 0.1;
    std::map<std::string, std::set<uint32_t>> lost;
    for (std::string type : {"lean", "p2p"})
    {
        Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
        em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
        em->SetRate(kRate);
        em->AssignStreams(7);
        TwoNodes t = Link(type, DataRate("10Mbps"), MilliSeconds(2), 10, em);
        auto sent = std::make_shared<std::map<uint64_t, uint32_t>>(); // uid -> index
        Ptr<NetDevice> a = t.a;
        for (uint32_t i = 0; i < kPackets; ++i)
        {
            Simulator::Schedule(MilliSeconds(i), [a, sent, i]() {
                Ptr<Packet> p = Create<Packet>(200);
                (*sent)[p->GetUid()] = i;
                a->Send(p, a->GetBroadcast(), 0x0800);
            });
        }
        Simulator::Run();
        std::set<uint32_t> got;
        for (const auto& arrival : *t.arrivals)
        {
            got.insert(sent->at(arrival.uid));
        }
        for (uint32_t i = 0; i < kPackets; ++i)
        {
            if (!got.count(i))
            {
                lost[type].insert(i);
            }
        }
        if (type == "lean")
        {
            EXPECT_EQ(DynamicCast<LinkDevice>(t.b)->GetRxErrors(), lost[type].size());
            EXPECT_EQ(DynamicCast<LinkDevice>(t.a)->GetTxPackets(), kPackets);
        }
        Simulator::Destroy();
    }
    // 10% of 5,000: 500, standard deviation 21.
    EXPECT_NEAR(double(lost["lean"].size()), kRate * kPackets, 80);
    EXPECT_EQ(lost["lean"], lost["p2p"]);
}

TEST(LinkDevice, ScenarioGivesTheSameSummaryOnLeanAndP2pLinks)
{
    // Bullet on lossy links of the smallest INET topology: routing, direct forwarding,
    // queues, error models and the link counter, on both kinds of device.
    auto run = [](const std::string& links) {
        StreamingScenario::Config c;
        c.topoNodes = 3037;
        c.clients = 8;
        c.duration = 20;
        c.warmup = 8;
        c.profile = "low";
        c.loss = "bullet2003";
        c.quiet = true;
        c.links = links;
        StreamingScenario scenario(c);
        char tmpl[] = "/tmp/bullet-link-device-test-XXXXXX";
        EXPECT_NE(mkdtemp(tmpl), nullptr);
        nlohmann::json s;
        {
            ExperimentOutput out("link-device-test", 0, nullptr, tmpl);
            s = scenario.RunSystem(SystemRegistry::Get().Find("bullet", SystemSpec::STREAMING),
                                   "random", out);
        }
        std::filesystem::remove_all(tmpl);
        // Costs differ; what the run did must not (examples/compare-summaries.py's list).
        for (const char* cost :
             {"wall_seconds", "peak_rss_mb", "args", "simulated_s", "wall_us_per_link_packet",
              "events", "events_per_wall_second", "wall_per_sim_second", "run_wall_seconds"})
        {
            s.erase(cost);
        }
        return s;
    };
    nlohmann::json lean = run("lean");
    const nlohmann::json p2p = run("p2p");
    ASSERT_TRUE(lean.contains("link_packets")) << lean.dump();
    // Only lean devices count their queues' drops by site (ns-3's point-to-point devices
    // leave some of theirs to the traffic control layer); the rest must be the same.
    ASSERT_TRUE(lean.contains("queue_drops")) << lean.dump();
    EXPECT_FALSE(p2p.contains("queue_drops"));
    lean.erase("queue_drops");
    EXPECT_GT(lean["link_packets"].get<double>(), 0);
    EXPECT_EQ(lean, p2p) << lean.dump(1) << "\n" << p2p.dump(1);

    StreamingScenario::Config bad;
    bad.links = "ethernet";
    EXPECT_THROW(bad.Validate(), std::invalid_argument);
}
