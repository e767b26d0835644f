/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "star-network.h"

#include "ns3/inet-socket-address.h"
#include "ns3/overlay-helper.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/streaming-application.h"
#include "ns3/streaming-metrics.h"
#include "ns3/type-id.h"
#include "ns3/udp-socket-factory.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

/// 8 clients on a star; client 7's access link is slow.
Ptr<SimulatedNetwork>
Net(double slowBps)
{
    std::vector<double> rates(8, 10e6);
    rates[7] = slowBps;
    return StarNetwork(rates, 10);
}

/// 0 -> {1, 2}; 1 -> {3, 4}; 2 -> {5, 7}; 7 -> {6}
TreeSpec
Tree()
{
    TreeSpec t;
    t.root = 0;
    t.parent = {TreeSpec::kNoParent, 0, 0, 1, 1, 2, 7, 2};
    return t;
}

} // namespace

class TreeStreamingTransports : public ::testing::TestWithParam<std::string>
{
};

TEST_P(TreeStreamingTransports, UnconstrainedTreeDeliversTheStreamOnce)
{
    Ptr<SimulatedNetwork> net = Net(10e6);
    OverlayHelper helper("ns3::TreeStreamingApplication");
    helper.SetTransport(GetParam());
    helper.SetAttribute("Rate", DataRateValue(DataRate("600kbps")));
    ApplicationContainer apps = helper.InstallStaticTree(net, Tree());
    StreamingMetrics metrics(net, apps, 0);
    apps.Start(Seconds(0));
    apps.Stop(Seconds(30));
    Simulator::Stop(Seconds(31));
    Simulator::Run();
    auto s = metrics.Summary(Seconds(10), Seconds(30));
    EXPECT_NEAR(s["useful_kbps"].get<double>(), 600, 600 * 0.05) << GetParam();
    EXPECT_DOUBLE_EQ(s["raw_kbps"].get<double>(), s["useful_kbps"].get<double>());
    EXPECT_DOUBLE_EQ(s["from_parent_kbps"].get<double>(), s["useful_kbps"].get<double>());
    EXPECT_EQ(s["duplicate_fraction"].get<double>(), 0.0);
    EXPECT_EQ(s["control_kbps"].get<double>(), 0.0) << "a static tree needs no control";
    // 7 tree edges = 14 link crossings, over 11 directed links: the uplinks of nodes 0, 1
    // and 2 carry two copies each (two children), 7's uplink and all 7 downlinks one.
    EXPECT_NEAR(s["link_stress_mean"].get<double>(), 14.0 / 11, 1e-9);
    EXPECT_EQ(s["link_stress_max"].get<uint32_t>(), 2u);
    Simulator::Destroy();
}

INSTANTIATE_TEST_SUITE_P(Transports, TreeStreamingTransports,
                         ::testing::Values("ns3::TfrcDataTransport", "ns3::UdpDataTransport",
                                           "ns3::TcpDataTransport"),
                         [](const auto& info) {
                             return info.param.substr(5);
                         });

TEST(TreeStreaming, BandwidthOnlyFallsDownAConstrainedTree)
{
    Ptr<SimulatedNetwork> net = Net(300e3); // client 7: 300 kbps access link
    OverlayHelper helper("ns3::TreeStreamingApplication");
    ApplicationContainer apps = helper.InstallStaticTree(net, Tree());
    StreamingMetrics metrics(net, apps, 0);
    apps.Start(Seconds(0));
    apps.Stop(Seconds(60));
    Simulator::Stop(Seconds(61));
    Simulator::Run();
    auto kbps = [&](uint32_t node) {
        double bytes = 0;
        const auto& bins = metrics.GetBins(node);
        for (size_t t = 20; t < 60 && t < bins.size(); ++t)
        {
            bytes += bins[t].usefulBytes;
        }
        return bytes * 8 / 1000 / 40;
    };
    EXPECT_NEAR(kbps(5), 600, 30) << "an unconstrained sibling is unaffected";
    EXPECT_LT(kbps(7), 300) << "TFRC stays under the 300 kbps access link";
    EXPECT_GT(kbps(7), 150);
    // Up to the packets in flight across the window's edges (two 1.5 KB packets over 40 s:
    // 0.6 kbps): a packet the parent got just before the window reaches the child inside it.
    EXPECT_LE(kbps(6), kbps(7) + 0.6) << "a child never gets more than its parent";
    Simulator::Destroy();
}

TEST(TreeStreaming, MalformedDataFromARealHostIsDroppedAndCounted)
{
    Ptr<SimulatedNetwork> net = Net(10e6);
    OverlayHelper helper("ns3::TreeStreamingApplication");
    helper.SetTransport("ns3::UdpDataTransport");
    ApplicationContainer apps = helper.InstallStaticTree(net, Tree());
    StreamingMetrics metrics(net, apps, 0);
    apps.Start(Seconds(0));
    apps.Stop(Seconds(10));
    // Client 6 plays a misbehaving host: a truncated header, then a sequence number far
    // beyond anything streamed, at node 3's data port.
    Simulator::Schedule(Seconds(5), [net]() {
        Ptr<Socket> raw = Socket::CreateSocket(net->GetClient(6), UdpSocketFactory::GetTypeId());
        InetSocketAddress to(net->GetClientAddress(3), 7001);
        uint8_t shortHeader[5] = {0, 0, 0, 1, 2};
        raw->SendTo(Create<Packet>(shortHeader, 5), 0, to);
        uint8_t farAhead[12] = {0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 0, 0, 0, 0, 1};
        raw->SendTo(Create<Packet>(farAhead, 12), 0, to);
    });
    Simulator::Stop(Seconds(11));
    Simulator::Run();
    auto app3 = DynamicCast<StreamingApplication>(apps.Get(3));
    EXPECT_EQ(app3->GetMalformedCount(), 2u);
    EXPECT_FALSE(app3->HasPacket(0xfffffff0u));
    // Node 3 kept receiving the stream around the garbage.
    EXPECT_NEAR(metrics.Summary(Seconds(2), Seconds(10))["useful_kbps"].get<double>(), 600, 30);
    Simulator::Destroy();
}
