/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "star-network.h"

#include "ns3/block-transport.h"
#include "ns3/control-channel.h"
#include "ns3/inet-socket-address.h"
#include "ns3/simulator.h"
#include "ns3/streaming-scenario.h"
#include "ns3/topology-helper.h"
#include "ns3/udp-socket-factory.h"

#include <gtest/gtest.h>

using namespace ns3;

TEST(UdpControlChannel, DeliversByTypeAndRejectsGarbage)
{
    Ptr<SimulatedNetwork> net = StarNetwork(2, 1e6, 2);
    auto a = CreateObject<UdpControlChannel>();
    auto b = CreateObject<UdpControlChannel>();
    a->Start(net->GetClient(0));
    b->Start(net->GetClient(1));
    std::vector<std::pair<Ipv4Address, uint32_t>> got;
    b->Register(5, ControlChannel::Handler([&got](Ipv4Address from, Ptr<Packet> p) {
                    got.emplace_back(from, p->GetSize());
                }));
    uint32_t txBytes = 0;
    a->TraceConnectWithoutContext("Tx", Callback<void, Ipv4Address, uint16_t, uint32_t>(
                                            [&txBytes](Ipv4Address, uint16_t, uint32_t bytes) {
                                                txBytes += bytes;
                                            }));
    Simulator::Schedule(Seconds(1), [&]() {
        EXPECT_TRUE(a->Send(b->GetLocalAddress(), 5, Create<Packet>(100)));
        EXPECT_TRUE(a->Send(b->GetLocalAddress(), 6, Create<Packet>(10))); // nobody handles 6
        // A real host's garbage: raw datagrams on the control port.
        Ptr<Socket> raw = Socket::CreateSocket(net->GetClient(0), UdpSocketFactory::GetTypeId());
        uint8_t junk[3] = {1, 2, 3};
        raw->SendTo(Create<Packet>(junk, 3), 0, InetSocketAddress(b->GetLocalAddress(), 7000));
        uint8_t wrongMagic[8] = {0x00, 1, 0, 5, 9, 9, 9, 9};
        raw->SendTo(Create<Packet>(wrongMagic, 8), 0,
                    InetSocketAddress(b->GetLocalAddress(), 7000));
    });
    Simulator::Run();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].first, a->GetLocalAddress());
    EXPECT_EQ(got[0].second, 100u);
    EXPECT_EQ(b->GetRejectedCount(), 3u) << "unknown type, truncated, wrong magic";
    EXPECT_EQ(txBytes, (100 + 4 + 28) + (10 + 4 + 28));
    Simulator::Destroy();
}

/// When a message sent at 0.1 s arrives over TCP while client 1's access link (link 1) is down
/// until 0.5 s (the first SYN is lost), with the sender's channel built by \p transport.
Time
FirstTcpMessageArrival(const ObjectFactory& transport)
{
    Ptr<SimulatedNetwork> net = StarNetwork(2, 1e6, 2);
    auto a = CreateObject<TcpControlChannel>();
    a->SetAttribute("Transport", ObjectFactoryValue(transport));
    auto b = CreateObject<TcpControlChannel>();
    a->Start(net->GetClient(0));
    b->Start(net->GetClient(1));
    Time arrived(-1);
    // Over TCP both ends know the message types their connections carry.
    a->Register(5, ControlChannel::Handler([](Ipv4Address, Ptr<Packet>) {}));
    b->Register(5, ControlChannel::Handler([&arrived](Ipv4Address, Ptr<Packet>) {
                    arrived = Simulator::Now();
                }));
    net->SetLinkUp(1, false);
    Simulator::Schedule(Seconds(0.1), [&]() {
        EXPECT_TRUE(a->Send(b->GetLocalAddress(), 5, Create<Packet>(100)));
    });
    Simulator::Schedule(Seconds(0.5), [&]() {
        net->SetLinkUp(1, true);
    });
    Simulator::Stop(Seconds(10));
    Simulator::Run();
    a->Stop();
    b->Stop();
    Simulator::Destroy();
    return arrived;
}

TEST(TcpControlChannel, TransportFactoryConfiguresItsConnections)
{
    ObjectFactory plain;
    plain.SetTypeId("ns3::BlockTransport");
    const Time nsDefault = FirstTcpMessageArrival(plain);
    EXPECT_GT(nsDefault, Seconds(3.1)) << "the SYN is sent again after ns-3's 3 s";
    EXPECT_LT(nsDefault, Seconds(3.5));
    ObjectFactory linuxTimers;
    linuxTimers.SetTypeId("ns3::BlockTransport");
    linuxTimers.Set("ConnTimeout", TimeValue(Seconds(1)));
    const Time fast = FirstTcpMessageArrival(linuxTimers);
    EXPECT_GT(fast, Seconds(1.1)) << "the SYN is sent again after the factory's 1 s";
    EXPECT_LT(fast, Seconds(1.5));
}

TEST(TcpControlChannel, StreamingProgramsUseLinuxTimersUnlessToldNs3)
{
    // The papers' hosts ran Linux: the streaming programs' control connections use its
    // timers by default (README, doc/bullet.md); --controlTcp=ns3 gives ns-3's socket defaults.
    StreamingScenario::Config config;
    config.Validate();
    const ObjectFactory linuxTimers = StreamingScenario(config).ControlTransportFactory();
    Ptr<BlockTransport> t = linuxTimers.Create<BlockTransport>();
    TimeValue minRto;
    TimeValue delAck;
    t->GetAttribute("MinRto", minRto);
    t->GetAttribute("DelAckTimeout", delAck);
    EXPECT_EQ(minRto.Get(), MilliSeconds(200));
    EXPECT_EQ(delAck.Get(), MilliSeconds(40));
    const Time fast = FirstTcpMessageArrival(linuxTimers);
    EXPECT_GT(fast, Seconds(1.1)) << "the SYN is sent again after Linux's 1 s";
    EXPECT_LT(fast, Seconds(1.5));

    config.controlTcp = "ns3";
    config.Validate();
    const Time slow = FirstTcpMessageArrival(StreamingScenario(config).ControlTransportFactory());
    EXPECT_GT(slow, Seconds(3.1)) << "the SYN is sent again after ns-3's 3 s";
    EXPECT_LT(slow, Seconds(3.5));

    config.controlTcp = "bsd";
    EXPECT_THROW(config.Validate(), std::invalid_argument);
}

TEST(TcpControlChannel, ResetClosesTheConnectionAndTheNextMessageDialsAFreshOne)
{
    Ptr<SimulatedNetwork> net = StarNetwork(2, 1e6, 2);
    auto a = CreateObject<TcpControlChannel>();
    auto b = CreateObject<TcpControlChannel>();
    a->Start(net->GetClient(0));
    b->Start(net->GetClient(1));
    std::vector<Time> arrivals;
    a->Register(5, ControlChannel::Handler([](Ipv4Address, Ptr<Packet>) {}));
    b->Register(5, ControlChannel::Handler([&arrivals](Ipv4Address, Ptr<Packet>) {
                    arrivals.push_back(Simulator::Now());
                }));
    uint32_t aDowns = 0;
    uint32_t bDowns = 0;
    a->TraceConnectWithoutContext("PeerDown", Callback<void, Ipv4Address>([&](Ipv4Address p) {
                                      EXPECT_EQ(p, b->GetLocalAddress());
                                      ++aDowns;
                                  }));
    b->TraceConnectWithoutContext("PeerDown", Callback<void, Ipv4Address>([&](Ipv4Address p) {
                                      EXPECT_EQ(p, a->GetLocalAddress());
                                      ++bDowns;
                                  }));
    Simulator::Schedule(Seconds(0.1), [&]() {
        EXPECT_TRUE(a->Send(b->GetLocalAddress(), 5, Create<Packet>(100)));
    });
    Simulator::Schedule(Seconds(1), [&]() {
        a->Reset(b->GetLocalAddress());
        EXPECT_EQ(aDowns, 1u) << "a reset is reported as the connection's end";
    });
    Simulator::Schedule(Seconds(1.5), [&]() {
        EXPECT_EQ(bDowns, 1u) << "the peer saw the connection close";
        EXPECT_TRUE(a->Send(b->GetLocalAddress(), 5, Create<Packet>(100)));
    });
    Simulator::Stop(Seconds(5));
    Simulator::Run();
    ASSERT_EQ(arrivals.size(), 2u);
    EXPECT_LT(arrivals[0], Seconds(1));
    EXPECT_GT(arrivals[1], Seconds(1.5));
    EXPECT_EQ(aDowns, 1u);
    EXPECT_EQ(bDowns, 1u);
    a->Stop();
    b->Stop();
    Simulator::Destroy();
}
