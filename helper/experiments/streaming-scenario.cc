/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "streaming-scenario.h"

#include "ns3/command-line.h"
#include "ns3/dissemination-application.h"
#include "ns3/link-packet-counter.h"
#include "ns3/simulator.h"
#include "ns3/streaming-metrics.h"
#include "ns3/tfrc-equation.h"
#include "ns3/uinteger.h"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <chrono>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace ns3
{

void
StreamingScenario::Config::AddTo(CommandLine& cmd)
{
    cmd.AddValue("topoNodes", "INET topology size (>= 3037)", topoNodes);
    cmd.AddValue("clients", "overlay participants (clients on degree-1 stubs)", clients);
    cmd.AddValue("profile", "bandwidth profile: low|medium|high|prime2008", profile);
    cmd.AddValue("loss", "loss profile: none|bullet2003|bullet2008", loss);
    cmd.AddValue("seed", "topology, placement and protocol seed", seed);
    cmd.AddValue("rate", "stream rate at the source, kbps", rateKbps);
    cmd.AddValue("packetSize", "bytes per stream packet", packetSize);
    cmd.AddValue("duration", "simulated seconds", duration);
    cmd.AddValue("warmup", "start of the steady-state window, s (0: 40% of the duration)", warmup);
    cmd.AddValue("transport", "data transport: tfrc|udp|tcp", transport);
    cmd.AddValue("fanOut", "children per node in random trees", fanOut);
    cmd.AddValue("stubRule", "stub nodes: degree1|threshold|gateways", stubRule);
    cmd.AddValue("quiet", "no progress lines", quiet);
}

void
StreamingScenario::Config::Validate() const
{
    if (clients < 2)
    {
        throw std::invalid_argument("--clients must be at least 2");
    }
    if (!(rateKbps > 0) || !(duration > 0) || warmup < 0 || warmup >= duration)
    {
        throw std::invalid_argument(
            "need --rate > 0, --duration > 0 and 0 <= --warmup < --duration");
    }
    if (transport != "tfrc" && transport != "udp" && transport != "tcp")
    {
        throw std::invalid_argument("unknown --transport '" + transport + "' (tfrc|udp|tcp)");
    }
    if (fanOut == 0)
    {
        throw std::invalid_argument("--fanOut must be at least 1");
    }
}

StreamingScenario::StreamingScenario(const Config& config)
    : m_config(config)
{
    m_config.Validate();
    InetTopology topo = InetTopology::Generate({config.topoNodes, 0, 10000, config.seed});
    InetAnnotation a;
    a.clients = config.clients;
    a.bandwidth = config.profile;
    a.loss = config.loss;
    a.stubRule = StubRuleByName(config.stubRule);
    a.seed = config.seed;
    m_spec = AnnotateInet(topo, a);
    // "We randomly select one of these participants to act as the source."
    boost::random::mt19937_64 rng(config.seed + 17);
    m_source = boost::random::uniform_int_distribution<uint32_t>(0, config.clients - 1)(rng);
}

const StreamingScenario::Config&
StreamingScenario::GetConfig() const
{
    return m_config;
}

const TopologySpec&
StreamingScenario::GetSpec() const
{
    return m_spec;
}

uint32_t
StreamingScenario::GetSource() const
{
    return m_source;
}

Time
StreamingScenario::GetWindowStart() const
{
    return Seconds(m_config.warmup > 0 ? m_config.warmup : 0.4 * m_config.duration);
}

Time
StreamingScenario::GetWindowEnd() const
{
    return Seconds(m_config.duration);
}

Ptr<SimulatedNetwork>
StreamingScenario::BuildNetwork() const
{
    return TopologyHelper().Build(m_spec);
}

TreeSpec
StreamingScenario::MakeTree(const std::string& kind, Ptr<SimulatedNetwork> net) const
{
    if (kind == "random")
    {
        return TreeBuilder::Random(m_config.clients, m_source, m_config.fanOut, m_config.seed);
    }
    if (kind == "bottleneck")
    {
        const double s = m_config.packetSize;
        OverlayThroughputModel model(net, [s](double rtt, double p) {
            return TfrcEquation::CalcX(s, rtt, p) * 8;
        });
        return TreeBuilder::Bottleneck(model, m_source);
    }
    throw std::invalid_argument("unknown tree '" + kind + "' (random|bottleneck)");
}

std::string
StreamingScenario::TransportTypeName() const
{
    return m_config.transport == "udp"   ? "ns3::UdpDataTransport"
           : m_config.transport == "tcp" ? "ns3::TcpDataTransport"
                                         : "ns3::TfrcDataTransport";
}

nlohmann::json
StreamingScenario::RunSystem(const std::string& name, const std::string& appType,
                             const std::string& tree, ExperimentOutput& out,
                             const Customize& customize) const
{
    auto wallStart = std::chrono::steady_clock::now();
    Ptr<SimulatedNetwork> net = BuildNetwork();
    DisseminationHelper helper(appType);
    helper.SetAttribute("Rate", DataRateValue(DataRate(uint64_t(m_config.rateKbps * 1000))));
    helper.SetAttribute("PacketSize", UintegerValue(m_config.packetSize));
    helper.SetAttribute("Transport", TypeIdValue(TypeId::LookupByName(TransportTypeName())));
    helper.SetTreeAttribute("MaxChildren", UintegerValue(m_config.fanOut));
    if (customize)
    {
        customize(helper);
    }
    nlohmann::json treeInfo;
    ApplicationContainer apps;
    if (tree == "online")
    {
        apps = helper.InstallRandomTree(net, m_source);
        treeInfo["kind"] = "online random tree";
    }
    else
    {
        TreeSpec t = MakeTree(tree, net);
        const double s = m_config.packetSize;
        OverlayThroughputModel model(net, [s](double rtt, double p) {
            return TfrcEquation::CalcX(s, rtt, p) * 8;
        });
        treeInfo["kind"] = tree;
        treeInfo["depth"] = t.Depth();
        treeInfo["estimated_bottleneck_kbps"] = TreeBuilder::EstimateBottleneckBps(model, t) / 1000;
        apps = helper.InstallStaticTree(net, t);
    }
    StreamingMetrics metrics(net, apps);
    LinkPacketCounter links;
    apps.Start(Seconds(0));
    apps.Stop(GetWindowEnd());

    const Time end = GetWindowEnd();
    if (!m_config.quiet)
    {
        std::cout << "[" << name << "] " << m_config.clients << " clients, " << m_spec.nRouters
                  << " routers, tree " << treeInfo.dump() << std::endl;
        for (int k = 1; k <= 10; ++k)
        {
            Simulator::Schedule(end * k / 10, [k, end, name, wallStart]() {
                double wall
                    = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart)
                          .count();
                std::ostringstream line;
                line << "[" << name << "] " << std::setw(3) << k * 10 << "%  t = " << std::fixed
                     << std::setprecision(1) << Simulator::Now().GetSeconds() << " / "
                     << end.GetSeconds() << " s simulated, " << wall << " s wall";
                std::cout << line.str() << std::endl;
            });
        }
    }
    Simulator::Stop(end + Seconds(1));
    Simulator::Run();

    metrics.WriteMeanSeries(out.Path(name + "-mean.csv"));
    metrics.WriteNodeSeries(out.Path(name + "-nodes.csv"));
    metrics.WriteNodeSummary(out.Path(name + "-per-node.csv"), GetWindowStart(), end);
    metrics.WritePairs(out.Path(name + "-pairs.csv"));
    nlohmann::json summary = metrics.Summary(GetWindowStart(), end);
    summary["tree"] = treeInfo;
    summary["link_packets"] = links.GetPackets();
    summary["wall_seconds"]
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    out.Systems()[name] = summary;
    Simulator::Destroy();
    return summary;
}

void
StreamingScenario::Finish(ExperimentOutput& out, bool plot) const
{
    PrintStreamingTable(out.Systems(), std::cout);
    std::cout << "steady-state window " << GetWindowStart().As(Time::S) << " to "
              << GetWindowEnd().As(Time::S) << ", stream " << m_config.rateKbps
              << " kbps; results in " << out.GetDirectory() << std::endl;
    out.WriteSummary(m_config.duration);
    if (plot)
    {
        out.Plot("plot-streaming.py");
    }
}

void
PrintStreamingTable(const nlohmann::json& systems, std::ostream& os)
{
    std::ios saved(nullptr);
    saved.copyfmt(os);
    os << "\nmeans per receiving node over the steady-state window\n";
    os << std::left << std::setw(18) << "system" << std::right << std::setw(10) << "useful"
       << std::setw(10) << "raw" << std::setw(12) << "from-parent" << std::setw(11) << "duplicates"
       << std::setw(10) << "control" << std::setw(14) << "link stress"
       << "\n";
    os << std::left << std::setw(18) << "" << std::right << std::setw(10) << "kbps" << std::setw(10)
       << "kbps" << std::setw(12) << "kbps" << std::setw(11) << "fraction" << std::setw(10)
       << "kbps" << std::setw(14) << "mean / max"
       << "\n";
    for (const auto& [name, s] : systems.items())
    {
        std::ostringstream stress;
        stress << std::fixed << std::setprecision(2) << s["link_stress_mean"].get<double>() << " / "
               << s["link_stress_max"].get<uint32_t>();
        os << std::left << std::setw(18) << name << std::right << std::fixed << std::setprecision(1)
           << std::setw(10) << s["useful_kbps"].get<double>() << std::setw(10)
           << s["raw_kbps"].get<double>() << std::setw(12) << s["from_parent_kbps"].get<double>()
           << std::setprecision(3) << std::setw(11) << s["duplicate_fraction"].get<double>()
           << std::setprecision(1) << std::setw(10) << s["control_kbps"].get<double>()
           << std::setw(14) << stress.str() << "\n";
    }
    os.copyfmt(saved);
}

} // namespace ns3
