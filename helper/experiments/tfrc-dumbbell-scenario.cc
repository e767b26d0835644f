/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tfrc-dumbbell-scenario.h"

#include "ns3/applications-module.h"
#include "ns3/configured-tcp-socket-factory.h"
#include "ns3/core-module.h"
#include "ns3/error-model.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/tfrc-bulk-application.h"
#include "ns3/traffic-control-module.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TfrcDumbbellScenario");

namespace
{

/// Running mean of a time series sampled only inside the measurement window.
struct WindowMean
{
    Time from;
    double sum{0};
    uint64_t n{0};

    void
    Add(double v)
    {
        if (Simulator::Now() >= from)
        {
            sum += v;
            ++n;
        }
    }

    double
    Get() const
    {
        return n ? sum / n : 0;
    }
};

void
TcpRttSample(WindowMean* m, Time oldVal, Time newVal)
{
    m->Add(newVal.GetSeconds() * 1000);
}

void
TfrcRttSample(WindowMean* m, Time oldVal, Time newVal)
{
    if (newVal > Time(0))
    {
        m->Add(newVal.GetSeconds() * 1000);
    }
}

void
ConnectTcpRtt(Ptr<BulkSendApplication> app, WindowMean* m)
{
    Ptr<Socket> s = app->GetSocket();
    if (s)
    {
        s->TraceConnectWithoutContext("RTT", MakeBoundCallback(&TcpRttSample, m));
    }
}

void
ConnectTfrcRtt(Ptr<TfrcBulkApplication> app, WindowMean* m)
{
    Ptr<TfrcFlow> f = app->GetFlow();
    if (f)
    {
        f->TraceConnectWithoutContext("Rtt", MakeBoundCallback(&TfrcRttSample, m));
    }
}

/**
 * Aggregates to \p node the factory its TCP sender or sink takes its sockets from, carrying
 * this scenario's TCP socket settings (a PacketSink's accepted sockets inherit them from its
 * listening socket): the segment size matching TFRC's s, the minimum RTO and the ACK ratio.
 */
void
AddTcpSocketFactory(Ptr<Node> node, const TfrcDumbbellConfig& c)
{
    Ptr<ConfiguredTcpSocketFactory> factory = CreateObject<ConfiguredTcpSocketFactory>();
    // Same IP packet size for both kinds of flow: UDP(8) + TFRC datagram s vs TCP(20+12 opts).
    factory->SetSocketAttribute("SegmentSize", UintegerValue(c.segmentSize - 12));
    factory->SetSocketAttribute("MinRto", TimeValue(c.tcpMinRto));
    factory->SetSocketAttribute("DelAckCount", UintegerValue(c.tcpDelAckCount));
    factory->SetSocketAttribute("SndBufSize", UintegerValue(1 << 20));
    factory->SetSocketAttribute("RcvBufSize", UintegerValue(1 << 20));
    node->AggregateObject(factory);
}

template<class T>
void
Snapshot(Ptr<T> app, uint64_t* out)
{
    *out = app->GetTotalRx();
}

} // namespace

TfrcDumbbellResult
RunTfrcDumbbell(const TfrcDumbbellConfig& c)
{
    RngSeedManager::SetSeed(c.seed);
    RngSeedManager::SetRun(c.run);
    uint32_t n = c.tcpFlows + c.tfrcFlows;
    PointToPointHelper access;
    access.SetDeviceAttribute("DataRate", StringValue(c.accessRate));
    access.SetChannelAttribute("Delay", TimeValue(c.accessDelay));
    PointToPointHelper bottleneck;
    bottleneck.SetDeviceAttribute("DataRate", StringValue(c.bottleneckRate));
    bottleneck.SetChannelAttribute("Delay", TimeValue(c.bottleneckDelay));
    // Drop-tail: the device queue is the buffer. RED: a queue disc holds the backlog and the
    // device keeps only a couple of packets, as in a router with a short transmit ring.
    uint32_t deviceQueue = c.red ? 2 : c.queuePackets;
    bottleneck.SetQueue("ns3::DropTailQueue", "MaxSize",
                        QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, deviceQueue)));
    // The dumbbell is built by hand: point-to-point-layout is not among the module's
    // link dependencies. Left leaf i -- left router == right router -- right leaf i.
    NodeContainer routers(2);
    NodeContainer left(n);
    NodeContainer right(n);
    NetDeviceContainer core = bottleneck.Install(routers.Get(0), routers.Get(1));
    std::vector<NetDeviceContainer> leftLinks;
    std::vector<NetDeviceContainer> rightLinks;
    for (uint32_t i = 0; i < n; ++i)
    {
        leftLinks.push_back(access.Install(left.Get(i), routers.Get(0)));
        rightLinks.push_back(access.Install(right.Get(i), routers.Get(1)));
    }
    InternetStackHelper stack;
    stack.Install(routers);
    stack.Install(left);
    stack.Install(right);
    // TCP NewReno (ns-3 3.37's default congestion control is CUBIC), on this scenario's nodes.
    NodeContainer all(routers, left, right);
    for (auto node = all.Begin(); node != all.End(); ++node)
    {
        (*node)->GetObject<TcpL4Protocol>()->SetAttribute("SocketType",
                                                          TypeIdValue(TcpNewReno::GetTypeId()));
    }
    Ipv4AddressHelper ip;
    ip.SetBase("10.3.0.0", "255.255.255.0");
    ip.Assign(core);
    std::vector<Ipv4Address> leftAddr;
    std::vector<Ipv4Address> rightAddr;
    for (uint32_t i = 0; i < n; ++i)
    {
        ip.SetBase(Ipv4Address((10u << 24) | (1u << 16) | (i << 8)), "255.255.255.0");
        leftAddr.push_back(ip.Assign(leftLinks[i]).GetAddress(0));
        ip.SetBase(Ipv4Address((10u << 24) | (2u << 16) | (i << 8)), "255.255.255.0");
        rightAddr.push_back(ip.Assign(rightLinks[i]).GetAddress(0));
    }
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    // Only the configured bottleneck buffer may queue: the default queue disc would add 1000
    // packets of queueing in front of it.
    Ptr<NetDevice> leftBottleneck = core.Get(0);
    Ptr<NetDevice> rightBottleneck = core.Get(1);
    for (auto dev : {leftBottleneck, rightBottleneck})
    {
        Ptr<TrafficControlLayer> tc = dev->GetNode()->GetObject<TrafficControlLayer>();
        if (tc && tc->GetRootQueueDiscOnDevice(dev))
        {
            TrafficControlHelper tch;
            tch.Uninstall(dev);
        }
        if (c.red)
        {
            double q = c.queuePackets;
            TrafficControlHelper tch;
            tch.SetRootQueueDisc(
                "ns3::RedQueueDisc", "MaxSize",
                QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, c.queuePackets)), "MinTh",
                DoubleValue(std::max(1.0, q / 5)), "MaxTh", DoubleValue(std::max(3.0, 3 * q / 5)),
                "LinkBandwidth", DataRateValue(DataRate(c.bottleneckRate)), "LinkDelay",
                TimeValue(c.bottleneckDelay), "MeanPktSize", UintegerValue(c.segmentSize + 28));
            tch.Install(dev);
        }
    }
    if (c.loss > 0)
    {
        Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
        em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
        em->SetRate(c.loss);
        rightBottleneck->SetAttribute("ReceiveErrorModel", PointerValue(em));
    }

    Time start = Seconds(0.1);
    std::vector<Ptr<PacketSink>> sinks;
    std::vector<Ptr<BulkSendApplication>> tcpSources;
    std::vector<Ptr<TfrcBulkApplication>> tfrcSinks;
    std::vector<Ptr<TfrcBulkApplication>> tfrcSources;
    uint16_t port = 5000;
    for (uint32_t i = 0; i < n; ++i)
    {
        Address remote(InetSocketAddress(rightAddr[i], port));
        Time jitter = MilliSeconds(7 * i);
        if (i < c.tcpFlows)
        {
            // Both ends' sockets come from their node's ConfiguredTcpSocketFactory.
            AddTcpSocketFactory(right.Get(i), c);
            AddTcpSocketFactory(left.Get(i), c);
            TypeId factory = ConfiguredTcpSocketFactory::GetTypeId();
            PacketSinkHelper sink(factory.GetName(),
                                  InetSocketAddress(Ipv4Address::GetAny(), port));
            ApplicationContainer sa = sink.Install(right.Get(i));
            sinks.push_back(DynamicCast<PacketSink>(sa.Get(0)));
            BulkSendHelper src(factory.GetName(), remote);
            src.SetAttribute("MaxBytes", UintegerValue(0));
            ApplicationContainer ca = src.Install(left.Get(i));
            ca.Start(start + jitter);
            tcpSources.push_back(DynamicCast<BulkSendApplication>(ca.Get(0)));
        }
        else
        {
            Ptr<TfrcBulkApplication> sink = CreateObject<TfrcBulkApplication>();
            sink->SetAttribute("LocalPort", UintegerValue(port));
            sink->SetAttribute("SegmentSize", UintegerValue(c.segmentSize));
            right.Get(i)->AddApplication(sink);
            tfrcSinks.push_back(sink);
            Ptr<TfrcBulkApplication> src = CreateObject<TfrcBulkApplication>();
            src->SetAttribute("LocalPort", UintegerValue(port));
            src->SetAttribute("Remote", AddressValue(remote));
            src->SetAttribute("PacketSize", UintegerValue(c.segmentSize - TfrcDataHeader::kSize));
            src->SetAttribute("SegmentSize", UintegerValue(c.segmentSize));
            left.Get(i)->AddApplication(src);
            src->SetStartTime(start + jitter);
            tfrcSources.push_back(src);
        }
    }

    std::vector<uint64_t> tcpAtWarmup(c.tcpFlows, 0);
    std::vector<uint64_t> tfrcAtWarmup(c.tfrcFlows, 0);
    std::vector<WindowMean> tcpRtt(c.tcpFlows, WindowMean{c.warmup});
    std::vector<WindowMean> tfrcRtt(c.tfrcFlows, WindowMean{c.warmup});
    for (uint32_t i = 0; i < c.tcpFlows; ++i)
    {
        Simulator::Schedule(c.warmup, &Snapshot<PacketSink>, sinks[i], &tcpAtWarmup[i]);
        Simulator::Schedule(start + Seconds(1), &ConnectTcpRtt, tcpSources[i], &tcpRtt[i]);
    }
    for (uint32_t i = 0; i < c.tfrcFlows; ++i)
    {
        Simulator::Schedule(c.warmup, &Snapshot<TfrcBulkApplication>, tfrcSinks[i],
                            &tfrcAtWarmup[i]);
        Simulator::Schedule(start + Seconds(1), &ConnectTfrcRtt, tfrcSources[i], &tfrcRtt[i]);
    }

    // Flow results are read just before the end, while the TFRC state still exists.
    TfrcDumbbellResult result;
    double window = (c.duration - c.warmup).GetSeconds();
    Simulator::Schedule(c.duration - NanoSeconds(1), [&]() {
        for (uint32_t i = 0; i < c.tcpFlows; ++i)
        {
            TfrcDumbbellFlow f;
            f.type = "tcp";
            f.index = i;
            f.throughputKbps = (sinks[i]->GetTotalRx() - tcpAtWarmup[i]) * 8 / window / 1000;
            f.rttMs = tcpRtt[i].Get();
            result.flows.push_back(f);
        }
        for (uint32_t i = 0; i < c.tfrcFlows; ++i)
        {
            TfrcDumbbellFlow f;
            f.type = "tfrc";
            f.index = i;
            f.throughputKbps = (tfrcSinks[i]->GetTotalRx() - tfrcAtWarmup[i]) * 8 / window / 1000;
            f.rttMs = tfrcRtt[i].Get();
            Ptr<TfrcSocket> rs = tfrcSinks[i]->GetSocket();
            Ptr<TfrcFlow> rf
                = rs ? rs->GetFlow(InetSocketAddress(leftAddr[c.tcpFlows + i], port)) : nullptr;
            f.lossEventRate = rf ? rf->GetReceiverLossEventRate() : 0;
            Ptr<TfrcFlow> sf = tfrcSources[i]->GetFlow();
            f.sendsRejected = sf ? sf->GetSendsRejected() : 0;
            result.flows.push_back(f);
        }
    });
    Simulator::Stop(c.duration);
    Simulator::Run();
    Simulator::Destroy();

    double tcpSum = 0;
    double tfrcSum = 0;
    for (const auto& f : result.flows)
    {
        (f.type == "tcp" ? tcpSum : tfrcSum) += f.throughputKbps;
    }
    result.meanTcpKbps = c.tcpFlows ? tcpSum / c.tcpFlows : 0;
    result.meanTfrcKbps = c.tfrcFlows ? tfrcSum / c.tfrcFlows : 0;
    result.friendlinessRatio = (c.tcpFlows && c.tfrcFlows && result.meanTcpKbps > 0)
                                   ? result.meanTfrcKbps / result.meanTcpKbps
                                   : 0;
    return result;
}

} // namespace ns3
