/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// TfrcSocket behaviour in small simulations: non-blocking sends, multiplexing of flows on one
// socket, data in both directions, flow timeouts and malformed datagrams; TfrcBulkApplication's
// socket configuration.
#include "ns3/core-module.h"
#include "ns3/error-model.h"
#include "ns3/inet-endpoint.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/tfrc-bulk-application.h"
#include "ns3/tfrc-socket.h"

#include <gtest/gtest.h>

#include <map>
#include <vector>

using namespace ns3;

namespace
{

const uint16_t kPort = 7000;

/// Node 0 in the middle of a star; nodes 1..n each on their own 10 Mbps / 5 ms link.
struct Star
{
    NodeContainer nodes;
    std::vector<Ipv4Address> addr;
    std::vector<Ipv4Address> hub;

    explicit Star(uint32_t leaves, const std::string& rate = "10Mbps")
    {
        nodes.Create(leaves + 1);
        InternetStackHelper stack;
        stack.Install(nodes);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue(rate));
        p2p.SetChannelAttribute("Delay", StringValue("5ms"));
        Ipv4AddressHelper ip;
        addr.resize(leaves + 1);
        hub.resize(leaves + 1);
        for (uint32_t i = 1; i <= leaves; ++i)
        {
            NetDeviceContainer d = p2p.Install(nodes.Get(0), nodes.Get(i));
            ip.SetBase(Ipv4Address((10u << 24) | (i << 8)), "255.255.255.0");
            Ipv4InterfaceContainer ifs = ip.Assign(d);
            hub[i] = ifs.GetAddress(0);
            if (i == 1)
            {
                addr[0] = ifs.GetAddress(0);
            }
            addr[i] = ifs.GetAddress(1);
        }
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    }

    /// Address of the hub (node 0) on leaf i's link: the source the leaf sees.
    Ipv4Address
    HubAddr(uint32_t i) const
    {
        return hub[i];
    }

    InetSocketAddress
    Peer(uint32_t i) const
    {
        return InetSocketAddress(addr[i], kPort);
    }

    Ptr<TfrcSocket>
    Open(uint32_t i) const
    {
        Ptr<TfrcSocket> s = CreateObject<TfrcSocket>();
        EXPECT_TRUE(s->Bind(nodes.Get(i), kPort));
        return s;
    }
};

/// Records what a socket delivered, per sender address.
struct Inbox
{
    std::map<Ipv4Address, std::vector<uint32_t>> sizes;
    std::vector<uint16_t> ports; ///< the sender's port, per packet

    void
    Receive(Ptr<Packet> p, const InetSocketAddress& from)
    {
        sizes[from.GetIpv4()].push_back(p->GetSize());
        ports.push_back(from.GetPort());
    }
};

} // namespace

TEST(TfrcSocket, SendFailsWhenAndOnlyWhenFlowIsFull)
{
    Star star(1, "1Mbps");
    Ptr<TfrcSocket> a = star.Open(0);
    a->SetAttribute("QueueDepth", UintegerValue(3));
    Ptr<TfrcSocket> b = star.Open(1);
    Inbox inbox;
    b->SetRecvCallback(MakeCallback(&Inbox::Receive, &inbox));

    // No flow yet: refused at once.
    EXPECT_FALSE(a->Send(star.Peer(1), Create<Packet>(100)));
    Ptr<TfrcFlow> flow = a->Connect(star.Peer(1));
    EXPECT_EQ(a->Connect(star.Peer(1)), flow) << "one flow per peer";

    uint64_t attempts = 0;
    uint64_t failures = 0;
    uint64_t accepted = 0;
    auto burst = [&]() {
        // Send until refused; every answer must match the flow's state just before.
        for (int i = 0; i < 10; ++i)
        {
            uint32_t before = flow->GetQueueSize();
            bool canSend = flow->CanSend();
            EXPECT_EQ(canSend, before < 3u);
            Ptr<Packet> p = Create<Packet>(1000);
            bool ok = a->Send(star.Peer(1), p);
            ++attempts;
            EXPECT_EQ(ok, canSend) << "queue held " << before;
            if (ok)
            {
                ++accepted;
            }
            else
            {
                ++failures;
                EXPECT_EQ(p->GetSize(), 1000u) << "a refused packet is left to the caller";
                EXPECT_EQ(flow->GetQueueSize(), 3u);
            }
        }
    };
    // At start the pacer takes the first packet at once, the queue the next three.
    Simulator::Schedule(Seconds(1), [&]() {
        burst();
        EXPECT_EQ(accepted, 4u);
        EXPECT_EQ(flow->GetPacketsSent(), 1u);
    });
    for (int k = 1; k < 460; ++k)
    {
        Simulator::Schedule(Seconds(1) + MilliSeconds(13 * k), burst);
    }
    // Sending stops at 7 s; the rest of the run lets queues drain.
    Simulator::Stop(Seconds(15));
    Simulator::Run();
    EXPECT_EQ(flow->GetSendsRejected(), failures);
    EXPECT_GT(failures, 0u);
    EXPECT_EQ(flow->GetPacketsSent() + flow->GetQueueSize(), accepted);
    // The flow ramped up past its 1 packet/s start and delivered what it accepted.
    EXPECT_GT(flow->GetPacketsSent(), 200u);
    EXPECT_EQ(flow->GetQueueSize(), 0u);
    // TFRC's slow start overshoots into the link's buffer (up to twice the receive rate), so
    // some packets are lost; nothing is duplicated.
    EXPECT_LE(inbox.sizes[star.addr[0]].size(), flow->GetPacketsSent());
    EXPECT_GE(inbox.sizes[star.addr[0]].size(), 0.8 * flow->GetPacketsSent());
    Simulator::Destroy();
}

TEST(TfrcSocket, MultiplexesPeersAndCarriesDataBothWays)
{
    Star star(2);
    Ptr<TfrcSocket> a = star.Open(0);
    Ptr<TfrcSocket> b = star.Open(1);
    Ptr<TfrcSocket> c = star.Open(2);
    Inbox ia;
    Inbox ib;
    Inbox ic;
    a->SetRecvCallback(MakeCallback(&Inbox::Receive, &ia));
    b->SetRecvCallback(MakeCallback(&Inbox::Receive, &ib));
    c->SetRecvCallback(MakeCallback(&Inbox::Receive, &ic));
    a->Connect(star.Peer(1));
    a->Connect(star.Peer(2));
    b->Connect(star.Peer(0));
    // a sends 100-byte packets to b and 200-byte packets to c; b sends 300-byte ones to a.
    for (int k = 0; k < 200; ++k)
    {
        Time t = Seconds(0.5) + MilliSeconds(20 * k);
        Simulator::Schedule(t, [&]() {
            a->Send(star.Peer(1), Create<Packet>(100));
            a->Send(star.Peer(2), Create<Packet>(200));
            b->Send(star.Peer(0), Create<Packet>(300));
        });
    }
    Simulator::Stop(Seconds(5));
    Simulator::Run();

    ASSERT_EQ(ib.sizes.size(), 1u);
    ASSERT_EQ(ic.sizes.size(), 1u);
    ASSERT_EQ(ia.sizes.size(), 1u);
    ASSERT_GT(ib.sizes[star.addr[0]].size(), 50u);
    // Node 0 reaches c from its interface on c's link: that address names the flow at c.
    ASSERT_GT(ic.sizes[star.HubAddr(2)].size(), 50u);
    ASSERT_GT(ia.sizes[star.addr[1]].size(), 50u);
    for (uint32_t s : ib.sizes[star.addr[0]])
    {
        EXPECT_EQ(s, 100u);
    }
    for (uint16_t port : ib.ports)
    {
        EXPECT_EQ(port, kPort) << "the sender is named by the endpoint its socket is bound to";
    }
    for (uint32_t s : ic.sizes[star.HubAddr(2)])
    {
        EXPECT_EQ(s, 200u);
    }
    for (uint32_t s : ia.sizes[star.addr[1]])
    {
        EXPECT_EQ(s, 300u);
    }
    // a: one flow per peer, the one to b carrying data both ways with separate state.
    EXPECT_EQ(a->GetNFlows(), 2u);
    Ptr<TfrcFlow> ab = a->GetFlow(star.Peer(1));
    ASSERT_TRUE(ab);
    EXPECT_GT(ab->GetPacketsSent(), 50u);
    EXPECT_GT(ab->GetPacketsReceived(), 50u);
    EXPECT_GE(ab->GetRtt(), MilliSeconds(10)) << "feedback from b arrived";
    Ptr<TfrcFlow> ba = b->GetFlow(star.Peer(0));
    ASSERT_TRUE(ba);
    EXPECT_GE(ba->GetRtt(), MilliSeconds(10)) << "feedback from a arrived";
    // c never connected: its flow was opened by a's data and only receives.
    EXPECT_EQ(c->GetNFlows(), 1u);
    Ptr<TfrcFlow> ca = c->GetFlow(InetSocketAddress(star.HubAddr(2), kPort));
    ASSERT_TRUE(ca);
    EXPECT_EQ(ca->GetPacketsSent(), 0u);
    EXPECT_GT(ca->GetPacketsReceived(), 50u);
    Simulator::Destroy();
}

TEST(TfrcSocket, FlowWhosePeerVanishedTimesOut)
{
    Star star(2);
    Ptr<TfrcSocket> a = star.Open(0);
    a->SetAttribute("FlowTimeout", TimeValue(Seconds(3)));
    Ptr<TfrcSocket> b = star.Open(1);
    // Node 2 has no TFRC socket at all.
    std::vector<std::pair<InetSocketAddress, Time>> timeouts;
    a->SetFlowTimeoutCallback(MakeCallback(+[](std::vector<std::pair<InetSocketAddress, Time>>* v,
                                               const InetSocketAddress& peer) {
                                  v->emplace_back(peer, Simulator::Now());
                              }).Bind(&timeouts));
    uint32_t traced = 0;
    a->TraceConnectWithoutContext("FlowTimeout",
                                  MakeCallback(+[](uint32_t* n, const InetSocketAddress&) {
                                      ++*n;
                                  }).Bind(&traced));
    a->Connect(star.Peer(1));
    a->Connect(star.Peer(2));
    for (int k = 0; k < 1000; ++k)
    {
        Simulator::Schedule(Seconds(1) + MilliSeconds(10 * k), [&]() {
            a->Send(star.Peer(1), Create<Packet>(500));
            a->Send(star.Peer(2), Create<Packet>(500));
        });
    }
    // b goes away at 6 s.
    Simulator::Schedule(Seconds(6), [&]() {
        b->CloseAll();
    });
    Simulator::Stop(Seconds(12));
    Simulator::Run();

    ASSERT_EQ(timeouts.size(), 2u);
    EXPECT_EQ(traced, 2u);
    EXPECT_EQ(FormatEndpoint(timeouts[0].first), FormatEndpoint(star.Peer(2)))
        << "the peer's whole endpoint, port included";
    EXPECT_GE(timeouts[0].second, Seconds(4));
    EXPECT_LE(timeouts[0].second, Seconds(4.1));
    EXPECT_EQ(FormatEndpoint(timeouts[1].first), FormatEndpoint(star.Peer(1)));
    EXPECT_GE(timeouts[1].second, Seconds(9));
    EXPECT_LE(timeouts[1].second, Seconds(9.2));
    EXPECT_EQ(a->GetNFlows(), 0u);
    EXPECT_FALSE(a->Send(star.Peer(1), Create<Packet>(10))) << "a timed-out flow is closed";
    Simulator::Destroy();
}

TEST(TfrcSocket, MalformedDatagramsAreCountedAndDropped)
{
    Star star(1);
    Ptr<TfrcSocket> a = star.Open(0);
    Inbox inbox;
    a->SetRecvCallback(MakeCallback(&Inbox::Receive, &inbox));
    uint32_t traced = 0;
    a->TraceConnectWithoutContext(
        "Malformed", MakeCallback(+[](uint32_t* n, Ptr<const Packet>, const InetSocketAddress&) {
                         ++*n;
                     }).Bind(&traced));
    Ptr<Socket> raw = Socket::CreateSocket(star.nodes.Get(1), UdpSocketFactory::GetTypeId());
    raw->Bind();
    std::vector<std::vector<uint8_t>> bad = {
        {},                          // empty
        {TFRC_DATA, 0, 0, 1},        // truncated data header
        {TFRC_FEEDBACK, 1, 2, 3, 4}, // truncated feedback
        std::vector<uint8_t>(30, 9), // unknown type
    };
    std::vector<uint8_t> badP(TfrcFeedbackHeader::kSize, 0xff); // p > 1
    badP[0] = TFRC_FEEDBACK;
    bad.push_back(badP);
    Simulator::Schedule(Seconds(1), [&]() {
        for (const auto& b : bad)
        {
            raw->SendTo(Create<Packet>(b.data(), b.size()), 0, star.Peer(0));
        }
    });
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    EXPECT_EQ(a->GetMalformedCount(), bad.size());
    EXPECT_EQ(traced, bad.size());
    EXPECT_TRUE(inbox.sizes.empty());
    EXPECT_EQ(a->GetNFlows(), 0u) << "garbage must not open flows";
    Simulator::Destroy();
}

TEST(TfrcSocket, ReleasedSocketLeavesNoDanglingCallbacks)
{
    Star star(1);
    Ptr<TfrcSocket> b = star.Open(1);
    Inbox inbox;
    b->SetRecvCallback(MakeCallback(&Inbox::Receive, &inbox));
    Ptr<TfrcFlow> keptFlow;
    Simulator::Schedule(Seconds(1), [&]() {
        Ptr<TfrcSocket> a = star.Open(0);
        keptFlow = a->Connect(star.Peer(1));
        for (int i = 0; i < 4; ++i)
        {
            a->Send(star.Peer(1), Create<Packet>(100));
        }
        // a is released here with packets queued and timers pending.
    });
    Simulator::Stop(Seconds(5));
    Simulator::Run();
    EXPECT_FALSE(keptFlow->CanSend()) << "a flow of a released socket is closed";
    EXPECT_FALSE(keptFlow->Send(Create<Packet>(10)));
    EXPECT_LE(inbox.sizes[star.addr[0]].size(), 1u) << "only the packet sent at once got out";
    Simulator::Destroy();
}

TEST(TfrcSocket, TracesReportRateRttLossAndPackets)
{
    Star star(1);
    // 2% random loss on what b receives.
    Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
    em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
    em->SetRate(0.02);
    star.nodes.Get(1)->GetDevice(1)->SetAttribute("ReceiveErrorModel", PointerValue(em));
    Ptr<TfrcSocket> a = star.Open(0);
    Ptr<TfrcSocket> b = star.Open(1);
    uint32_t tx = 0;
    uint32_t rx = 0;
    auto count = +[](uint32_t* n, Ptr<const Packet>, const InetSocketAddress&) {
        ++*n;
    };
    a->TraceConnectWithoutContext("Tx", MakeCallback(count).Bind(&tx));
    b->TraceConnectWithoutContext("Rx", MakeCallback(count).Bind(&rx));
    Ptr<TfrcFlow> flow = a->Connect(star.Peer(1));
    std::vector<double> rates;
    std::vector<Time> rtts;
    std::vector<double> ps;
    flow->TraceConnectWithoutContext("SendingRate",
                                     MakeCallback(+[](std::vector<double>* v, double, double x) {
                                         v->push_back(x);
                                     }).Bind(&rates));
    flow->TraceConnectWithoutContext("Rtt", MakeCallback(+[](std::vector<Time>* v, Time, Time r) {
                                                v->push_back(r);
                                            }).Bind(&rtts));
    flow->TraceConnectWithoutContext("LossEventRate",
                                     MakeCallback(+[](std::vector<double>* v, double, double p) {
                                         v->push_back(p);
                                     }).Bind(&ps));
    // Keep the flow full. The socket is bound by plain pointer: a Ptr in its own callback is a
    // cycle that leaks it (LeakSanitizer, issue #18).
    a->SetSendReadyCallback(
        MakeCallback(+[](TfrcSocket* s, InetSocketAddress peer, const InetSocketAddress&) {
            while (s->Send(peer, Create<Packet>(1000)))
            {
            }
        }).Bind(PeekPointer(a), star.Peer(1)));
    Simulator::Schedule(Seconds(1), [&]() {
        while (a->Send(star.Peer(1), Create<Packet>(1000)))
        {
        }
    });
    Simulator::Stop(Seconds(20));
    Simulator::Run();
    ASSERT_FALSE(rates.empty());
    ASSERT_FALSE(rtts.empty());
    ASSERT_FALSE(ps.empty());
    EXPECT_GT(*std::max_element(rates.begin(), rates.end()), 1e6) << "ramped up past 1 Mbit/s";
    EXPECT_GE(rtts.back(), MilliSeconds(10));
    EXPECT_LT(rtts.back(), MilliSeconds(100));
    EXPECT_GT(ps.back(), 0.005);
    EXPECT_LT(ps.back(), 0.04);
    EXPECT_EQ(tx, flow->GetPacketsSent());
    Ptr<TfrcFlow> atB = b->GetFlow(InetSocketAddress(star.addr[0], kPort));
    ASSERT_TRUE(atB);
    EXPECT_EQ(rx, atB->GetPacketsReceived());
    EXPECT_LT(rx, tx) << "some were lost";
    EXPECT_GT(rx, 0.9 * tx);
    EXPECT_NEAR(atB->GetReceiverLossEventRate(), flow->GetLossEventRate(), 0.5 * ps.back())
        << "the sender uses the p the receiver measured";
    Simulator::Destroy();
}

TEST(TfrcSocket, ReadyCallbackNeverFiresInsideSend)
{
    // With a queue of one packet every accepted Send frees the queue at once; a ready
    // callback from inside Send would re-enter the caller's send loop.
    Star star(1, "10Mbps");
    Ptr<TfrcSocket> a = star.Open(0);
    a->SetAttribute("QueueDepth", UintegerValue(1));
    Ptr<TfrcSocket> b = star.Open(1);
    a->Connect(star.Peer(1));
    bool inSend = false;
    uint32_t readyInside = 0;
    uint32_t readyOutside = 0;
    uint32_t sent = 0;
    std::function<void()> pump = [&]() {
        for (int i = 0; i < 50; ++i)
        {
            inSend = true;
            bool ok = a->Send(star.Peer(1), Create<Packet>(500));
            inSend = false;
            if (!ok)
            {
                return;
            }
            ++sent;
        }
    };
    a->SetSendReadyCallback(TfrcSocket::SendReadyCallback([&](const InetSocketAddress&) {
        (inSend ? readyInside : readyOutside)++;
        if (sent < 2000)
        {
            pump();
        }
    }));
    Simulator::Schedule(Seconds(0.1), [&]() {
        pump();
    });
    Simulator::Stop(Seconds(20));
    Simulator::Run();
    EXPECT_EQ(readyInside, 0u);
    EXPECT_GT(readyOutside, 10u) << "room is still announced once a refused send may retry";
    EXPECT_GT(sent, 100u);
    Simulator::Destroy();
}

TEST(TfrcBulkApplication, SegmentSizeAttributeReachesItsOwnSocket)
{
    Star star(1);
    Ptr<TfrcBulkApplication> configured = CreateObject<TfrcBulkApplication>();
    configured->SetAttribute("LocalPort", UintegerValue(kPort));
    configured->SetAttribute("SegmentSize", UintegerValue(1000));
    star.nodes.Get(0)->AddApplication(configured);
    Ptr<TfrcBulkApplication> unset = CreateObject<TfrcBulkApplication>();
    unset->SetAttribute("LocalPort", UintegerValue(kPort));
    star.nodes.Get(1)->AddApplication(unset);
    Simulator::Stop(Seconds(1));
    Simulator::Run();

    UintegerValue v;
    ASSERT_TRUE(configured->GetSocket());
    configured->GetSocket()->GetAttribute("SegmentSize", v);
    EXPECT_EQ(v.Get(), 1000u);
    ASSERT_TRUE(unset->GetSocket());
    unset->GetSocket()->GetAttribute("SegmentSize", v);
    UintegerValue socketDefault;
    CreateObject<TfrcSocket>()->GetAttribute("SegmentSize", socketDefault);
    EXPECT_EQ(v.Get(), socketDefault.Get()) << "0 leaves the socket's own attribute";
    Simulator::Destroy();
}

TEST(TfrcSocket, SegmentSizeZeroUsesTheMeanPayloadEachFlowSends)
{
    Star star(2);
    Ptr<TfrcSocket> a = star.Open(0);
    Ptr<TfrcSocket> fixed = star.Open(1);
    Ptr<TfrcSocket> sink = star.Open(2);
    a->SetAttribute("SegmentSize", UintegerValue(0));
    a->Connect(star.Peer(2));
    a->Connect(star.Peer(1));
    fixed->Connect(star.Peer(2));
    // a sends 100- and 300-byte packets alternately to node 2 and 500-byte ones to node 1.
    for (int k = 0; k < 100; ++k)
    {
        Time t = Seconds(0.5) + MilliSeconds(20 * k);
        Simulator::Schedule(t, [&, k]() {
            a->Send(star.Peer(2), Create<Packet>(k % 2 ? 300 : 100));
            a->Send(star.Peer(1), Create<Packet>(500));
            fixed->Send(star.Peer(2), Create<Packet>(500));
        });
    }
    Simulator::Stop(Seconds(4));
    Simulator::Run();
    Ptr<TfrcFlow> mixed = a->GetFlow(star.Peer(2));
    Ptr<TfrcFlow> even = a->GetFlow(star.Peer(1));
    ASSERT_TRUE(mixed && even);
    ASSERT_GT(mixed->GetPacketsSent(), 20u);
    // The mean of alternating 100/300 lies between them (exactly 200 after an even count).
    EXPECT_GE(mixed->GetSegmentSize(), 200u);
    EXPECT_LE(mixed->GetSegmentSize(), 300u);
    EXPECT_EQ(even->GetSegmentSize(), 500u);
    Ptr<TfrcFlow> other = fixed->GetFlow(star.Peer(2));
    ASSERT_TRUE(other);
    EXPECT_EQ(other->GetSegmentSize(), 1460u) << "the attribute's value when it is not 0";
    Simulator::Destroy();
}
