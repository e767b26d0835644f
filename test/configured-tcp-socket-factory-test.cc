/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// ConfiguredTcpSocketFactory: ns-3's BulkSendApplication and PacketSink take their sockets from
// it, and those sockets, the sink's accepted ones included, carry the factory's attributes
// while the node's own TcpSocketFactory is left as it was.
#include "ns3/applications-module.h"
#include "ns3/configured-tcp-socket-factory.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

uint64_t
UintegerAttribute(Ptr<Socket> socket, const std::string& name)
{
    UintegerValue v;
    socket->GetAttribute(name, v);
    return v.Get();
}

} // namespace

TEST(ConfiguredTcpSocketFactory, BulkSendAndSinkSocketsCarryItsAttributes)
{
    NodeContainer nodes(2);
    InternetStackHelper stack;
    stack.Install(nodes);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("5ms"));
    Ipv4AddressHelper ip("10.9.0.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = ip.Assign(p2p.Install(nodes));
    for (uint32_t i = 0; i < 2; ++i)
    {
        Ptr<ConfiguredTcpSocketFactory> f = CreateObject<ConfiguredTcpSocketFactory>();
        f->SetSocketAttribute("SegmentSize", UintegerValue(700));
        f->SetSocketAttribute("SegmentSize", UintegerValue(1000)); // the later value counts
        f->SetSocketAttribute("SndBufSize", UintegerValue(200000));
        f->SetSocketAttribute("RcvBufSize", UintegerValue(300000));
        nodes.Get(i)->AggregateObject(f);
    }
    std::string factory = ConfiguredTcpSocketFactory::GetTypeId().GetName();
    PacketSinkHelper sinkHelper(factory, InetSocketAddress(Ipv4Address::GetAny(), 9));
    Ptr<PacketSink> sink = DynamicCast<PacketSink>(sinkHelper.Install(nodes.Get(1)).Get(0));
    BulkSendHelper sourceHelper(factory, InetSocketAddress(ifs.GetAddress(1), 9));
    sourceHelper.SetAttribute("MaxBytes", UintegerValue(50000));
    Ptr<BulkSendApplication> source
        = DynamicCast<BulkSendApplication>(sourceHelper.Install(nodes.Get(0)).Get(0));
    Simulator::Stop(Seconds(2));
    Simulator::Run();

    EXPECT_EQ(sink->GetTotalRx(), 50000u);
    ASSERT_EQ(sink->GetAcceptedSockets().size(), 1u);
    for (Ptr<Socket> s :
         {source->GetSocket(), sink->GetListeningSocket(), sink->GetAcceptedSockets().front()})
    {
        ASSERT_TRUE(s);
        EXPECT_EQ(UintegerAttribute(s, "SegmentSize"), 1000u);
        EXPECT_EQ(UintegerAttribute(s, "SndBufSize"), 200000u);
        EXPECT_EQ(UintegerAttribute(s, "RcvBufSize"), 300000u);
    }
    // The node's own factory still makes sockets with the attribute defaults.
    Ptr<Socket> plain = Socket::CreateSocket(nodes.Get(0), TcpSocketFactory::GetTypeId());
    EXPECT_NE(UintegerAttribute(plain, "SegmentSize"), 1000u);
    EXPECT_NE(UintegerAttribute(plain, "SndBufSize"), 200000u);
    Simulator::Destroy();
}
