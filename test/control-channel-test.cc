/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "star-network.h"

#include "ns3/control-channel.h"
#include "ns3/inet-socket-address.h"
#include "ns3/simulator.h"
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
