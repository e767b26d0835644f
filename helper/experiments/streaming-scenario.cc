/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "streaming-scenario.h"

#include "ns3/block-transport.h"
#include "ns3/boolean.h"
#include "ns3/command-line.h"
#include "ns3/ipv4.h"
#include "ns3/link-packet-counter.h"
#include "ns3/object-vector.h"
#include "ns3/ranks.h"
#include "ns3/simulator.h"
#include "ns3/streaming-application.h"
#include "ns3/streaming-metrics.h"
#include "ns3/tcp-l4-protocol.h"
#include "ns3/tfrc-equation.h"
#include "ns3/topology-helper.h"
#include "ns3/uinteger.h"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <algorithm>
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
    cmd.AddValue("source", "the source's client index (-1: drawn from the seed)", source);
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
    cmd.AddValue("perDirection",
                 "draw each link direction's rate and loss separately (ModelNet); false: one "
                 "draw per link",
                 perDirection);
    cmd.AddValue("quiet", "no progress lines", quiet);
    cmd.AddValue("fail",
                 "node failure: none | root-child (the source's child with the most "
                 "descendants) | a client index",
                 fail);
    cmd.AddValue("failAt", "failure time, s (0: half the duration)", failAt);
    cmd.AddValue("joinOver",
                 "receivers join over this many seconds, evenly spaced (0: all at once; "
                 "SplitStream's experiments let nodes join over time)",
                 joinOver);
    cmd.AddValue("ransubRecovery",
                 "RanSub failure detection and RandomTree recovery (false: the 2003 paper's "
                 "worst case, RanSub stalls after a failure)",
                 ransubRecovery);
    AddSchedulerOption(cmd, scheduler);
    TopologyHelper::AddLinkTypeOption(cmd, links);
    cmd.AddValue("controlIdle",
                 "close TCP control connections silent for this many seconds, without losing "
                 "a message (reopened on demand; 0: never)",
                 controlIdle);
    cmd.AddValue("controlTcp",
                 "TCP timers of the control connections: linux (MinRto 200 ms, ConnTimeout 1 s, "
                 "DelAckTimeout 40 ms: Linux hosts', as the papers' ModelNet hosts) or ns3 "
                 "(ns-3's socket defaults: MinRto 1 s, ConnTimeout 3 s, DelAckTimeout 200 ms)",
                 controlTcp);
    distributed.AddTo(cmd);
}

void
StreamingScenario::Config::Validate() const
{
    if (clients < 2)
    {
        throw std::invalid_argument("--clients must be at least 2");
    }
    if (source < -1 || source >= int64_t(clients))
    {
        throw std::invalid_argument("--source must be -1 (drawn) or a client, 0.."
                                    + std::to_string(clients - 1));
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
    if (fail != "none" && fail != "root-child")
    {
        size_t used = 0;
        unsigned long c = 0;
        try
        {
            c = std::stoul(fail, &used);
        }
        catch (const std::exception&)
        {
            used = 0;
        }
        if (used != fail.size() || c >= clients)
        {
            throw std::invalid_argument("--fail must be none, root-child or a client index below "
                                        "--clients");
        }
    }
    if (failAt < 0 || failAt >= duration)
    {
        throw std::invalid_argument("need 0 <= --failAt < --duration");
    }
    if (!(joinOver >= 0) || joinOver >= duration)
    {
        throw std::invalid_argument("need 0 <= --joinOver < --duration");
    }
    ValidateScheduler(scheduler);
    if (!(controlIdle >= 0))
    {
        throw std::invalid_argument("--controlIdle must be 0 (never) or a number of seconds");
    }
    if (controlTcp != "ns3" && controlTcp != "linux")
    {
        throw std::invalid_argument("--controlTcp must be ns3 or linux");
    }
    TopologyHelper::ValidateLinkTypeOption(links);
    distributed.Validate();
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
    a.perDirection = config.perDirection;
    a.seed = config.seed;
    m_spec = AnnotateInet(topo, a);
    // "We randomly select one of these participants to act as the source."
    boost::random::mt19937_64 rng(config.seed + 17);
    m_source = config.source >= 0
                   ? uint32_t(config.source)
                   : boost::random::uniform_int_distribution<uint32_t>(0, config.clients - 1)(rng);
    m_rankOf = m_config.distributed.Split(m_spec, config.seed, m_mpi);
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
    Ranks::BeginRun();
    UseScheduler(m_config.scheduler);
    TopologyHelper helper;
    helper.SetLinkType(m_config.links);
    if (!m_rankOf.empty())
    {
        helper.SetRanks(m_rankOf);
    }
    return helper.Build(m_spec);
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

ObjectFactory
StreamingScenario::ControlTransportFactory() const
{
    ObjectFactory f;
    f.SetTypeId(BlockTransport::GetTypeId());
    f.Set("IdleTimeout", TimeValue(Seconds(m_config.controlIdle)));
    if (m_config.controlIdle > 0)
    {
        // A closed connection waits in TIME_WAIT (240 s in ns-3) on the side that closed first,
        // and every packet to the node scans it (ns-3's demultiplexer is a list; a host's is a
        // hash table): keep it short, or closing idle connections adds sockets instead.
        f.Set("TimeWait", TimeValue(Seconds(2)));
    }
    if (m_config.controlTcp == "linux")
    {
        BlockTransport::SetLinuxTimers(f);
    }
    return f;
}

Time
StreamingScenario::GetFailAt() const
{
    return Seconds(m_config.failAt > 0 ? m_config.failAt : 0.5 * m_config.duration);
}

uint32_t
StreamingScenario::ResolveFailTarget(Ptr<SimulatedNetwork> net, const ApplicationContainer& apps,
                                     std::vector<uint32_t>& subtree) const
{
    const uint32_t n = net->GetNClients();
    // The overlay as it stands: parent of every node, from the nodes' own trees (each rank
    // knows its own clients').
    std::vector<int64_t> parent(n, -1);
    nlohmann::json mine = nlohmann::json::array();
    for (uint32_t k = 0; k < apps.GetN(); ++k)
    {
        const auto v = uint32_t(net->FindClient(apps.Get(k)->GetNode()));
        Ptr<OverlayTree> tree = DynamicCast<StreamingApplication>(apps.Get(k))->GetTree();
        if (v != m_source && tree->HasParent())
        {
            parent[v] = net->FindClient(tree->GetParent());
            mine.push_back({v, parent[v]});
        }
    }
    if (Ranks::IsDistributed())
    {
        for (const std::string& part : Ranks::AllGather(mine.dump()))
        {
            for (const auto& entry : nlohmann::json::parse(part))
            {
                parent.at(entry[0].get<uint32_t>()) = entry[1].get<int64_t>();
            }
        }
    }
    // below[v][w]: w is in v's subtree (walks bounded by n against transient loops).
    auto ancestors = [&](uint32_t w) {
        std::vector<uint32_t> up;
        for (int64_t a = parent[w]; a >= 0 && up.size() < n; a = parent[a])
        {
            up.push_back(uint32_t(a));
        }
        return up;
    };
    std::vector<uint32_t> descendants(n, 0);
    for (uint32_t w = 0; w < n; ++w)
    {
        for (uint32_t a : ancestors(w))
        {
            ++descendants[a];
        }
    }
    int64_t target = -1;
    if (m_config.fail == "root-child")
    {
        for (uint32_t v = 0; v < n; ++v)
        {
            if (parent[v] == int64_t(m_source)
                && (target < 0 || descendants[v] > descendants[target]))
            {
                target = v;
            }
        }
        if (target < 0) // no tree (gossip): any client but the source, from the seed
        {
            boost::random::mt19937_64 rng(m_config.seed + 29);
            target = (m_source + 1
                      + boost::random::uniform_int_distribution<uint32_t>(0, m_config.clients
                                                                                 - 2)(rng))
                     % m_config.clients;
        }
    }
    else
    {
        target = std::stol(m_config.fail);
    }
    subtree.clear();
    for (uint32_t w = 0; w < n; ++w)
    {
        auto up = ancestors(w);
        if (std::find(up.begin(), up.end(), uint32_t(target)) != up.end())
        {
            subtree.push_back(w);
        }
    }
    return uint32_t(target);
}

nlohmann::json
StreamingScenario::RunSystem(const std::string& name, const std::string& appType,
                             const std::string& tree, ExperimentOutput& out,
                             const Customize& customize) const
{
    auto wallStart = std::chrono::steady_clock::now();
    Ptr<SimulatedNetwork> net = BuildNetwork();
    OverlayHelper helper(appType);
    helper.SetAttribute("Rate", DataRateValue(DataRate(uint64_t(m_config.rateKbps * 1000))));
    helper.SetAttribute("PacketSize", UintegerValue(m_config.packetSize));
    helper.SetTransport(TransportTypeName());
    helper.SetTreeAttribute("MaxChildren", UintegerValue(m_config.fanOut));
    // 2003 Section 4.6: with recovery off, a failure stalls RanSub and orphans stay orphaned.
    helper.SetRanSub("ns3::RanSub", "FailureDetection", BooleanValue(m_config.ransubRecovery));
    helper.SetTreeAttribute("Recovery", BooleanValue(m_config.ransubRecovery));
    if (m_config.controlIdle > 0 || m_config.controlTcp != "ns3")
    {
        helper.SetControlChannel("ns3::TcpControlChannel", "Transport",
                                 ObjectFactoryValue(ControlTransportFactory()));
    }
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
    else if (tree == "none")
    {
        apps = helper.InstallWithoutTree(net, m_source);
        treeInfo["kind"] = "none";
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
    StreamingMetrics metrics(net, apps, m_source);
    LinkPacketCounter links;
    apps.Start(Seconds(0));
    if (m_config.joinOver > 0 && m_config.clients > 2)
    {
        // Receivers k = 0..n-2 (in client order, skipping the source) at k * joinOver / (n-2).
        const uint32_t last = m_config.clients - 2;
        for (uint32_t a = 0; a < apps.GetN(); ++a)
        {
            const auto i = uint32_t(net->FindClient(apps.Get(a)->GetNode()));
            if (i != m_source)
            {
                const uint32_t k = i - (i > m_source ? 1 : 0);
                apps.Get(a)->SetStartTime(Seconds(m_config.joinOver * k / last));
            }
        }
    }
    apps.Stop(GetWindowEnd());
    nlohmann::json failure;
    if (m_config.fail != "none")
    {
        Simulator::Schedule(GetFailAt(), [&]() {
            std::vector<uint32_t> subtree;
            uint32_t target = ResolveFailTarget(net, apps, subtree);
            if (target == m_source)
            {
                throw std::invalid_argument("--fail names the source");
            }
            if (OverlayHelper::IsLocal(net->GetClient(target)))
            {
                net->FailClient(target);
            }
            metrics.SetFailure(target, Simulator::Now(), subtree);
            failure["node"] = target;
            failure["at_s"] = Simulator::Now().GetSeconds();
            failure["subtree_nodes"] = subtree.size();
            if (!m_config.quiet && Ranks::Rank() == 0)
            {
                std::cout << "[" << name << "] t = " << Simulator::Now().GetSeconds()
                          << " s: client " << target << " fails (" << subtree.size()
                          << " nodes below it)" << std::endl;
            }
        });
    }

    const Time end = GetWindowEnd();
    const bool root = Ranks::Rank() == 0;
    if (!m_config.quiet)
    {
        // Every rank samples at the same simulated times (the sums are collectives); rank 0
        // prints.
        if (root)
        {
            std::cout << "[" << name << "] " << m_config.clients << " clients, " << m_spec.nRouters
                      << " routers, tree " << treeInfo.dump() << std::endl;
        }
        for (int k = 1; k <= 10; ++k)
        {
            Simulator::Schedule(end * k / 10, [k, end, name, wallStart, net, root, &metrics]() {
                double wall
                    = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart)
                          .count();
                // TCP sockets the clients hold (control connections are never closed: their
                // number grows all run long; issue #13).
                uint64_t sockets = 0;
                double maxSockets = 0;
                for (uint32_t c = 0; c < net->GetNClients(); ++c)
                {
                    ObjectVectorValue list;
                    auto tcp = net->GetClient(c)->GetObject<TcpL4Protocol>();
                    if (tcp && OverlayHelper::IsLocal(net->GetClient(c)))
                    {
                        tcp->GetAttribute("SocketList", list);
                    }
                    sockets += list.GetN();
                    maxSockets = std::max<double>(maxSockets, list.GetN());
                }
                sockets = Ranks::Sum(sockets);
                maxSockets = Ranks::Max(maxSockets);
                // Every rank takes part in every collective, whether or not it runs a
                // SplitStream node (a rank may have no clients at all).
                std::optional<uint32_t> missing = metrics.GetForestMissing();
                const uint64_t lacking = Ranks::Sum(uint64_t(missing.value_or(0)));
                if (Ranks::Max(missing ? 1.0 : 0.0) > 0)
                {
                    missing = uint32_t(lacking);
                }
                wall = Ranks::Max(wall);
                if (!root)
                {
                    return;
                }
                std::ostringstream line;
                line << "[" << name << "] " << std::setw(3) << k * 10 << "%  t = " << std::fixed
                     << std::setprecision(1) << Simulator::Now().GetSeconds() << " / "
                     << end.GetSeconds() << " s simulated, " << wall << " s wall, "
                     << double(sockets) / net->GetNClients() << " TCP sockets per client (max "
                     << maxSockets << ")";
                if (missing)
                {
                    line << ", " << *missing << " receivers lack a stripe";
                }
                std::cout << line.str() << std::endl;
            });
        }
    }
    Simulator::Stop(end + Seconds(1));
    const auto runStart = std::chrono::steady_clock::now();
    Simulator::Run();
    // The simulation alone, without building the network and the overlay before it or the
    // metrics' files after it (bullet-cost compares it with a replay's).
    const double runWall = Ranks::Max(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - runStart).count());
    const double simulated = Simulator::Now().GetSeconds();

    // Distributed: rank 0 gathers every rank's measurements, writes and summarises them.
    metrics.Gather();
    const uint64_t linkPackets = Ranks::Sum(links.GetPackets());
    nlohmann::json summary;
    if (root)
    {
        metrics.WriteMeanSeries(out.Path(name + "-mean.csv"), end);
        metrics.WriteNodeSeries(out.Path(name + "-nodes.csv"));
        metrics.WriteNodeSummary(out.Path(name + "-per-node.csv"), GetWindowStart(), end);
        metrics.WritePairs(out.Path(name + "-pairs.csv"));
        metrics.WriteForestSeries(out.Path(name + "-forest.csv"));
        summary = metrics.Summary(GetWindowStart(), end);
    }
    summary["source"] = m_source;
    summary["tree"] = treeInfo;
    summary["link_packets"] = linkPackets;
    if (Ranks::IsDistributed())
    {
        // Every packet a rank put on a link to another arrived there, or was still on its
        // link when the run stopped.
        const auto across = net->GetRemotePackets();
        summary["mpi_packets_sent_across"] = Ranks::Sum(across.sent);
        summary["mpi_packets_received_across"] = Ranks::Sum(across.received);
        summary["mpi_packets_in_flight_at_end"] = Ranks::Sum(across.inFlight);
    }
    {
        // Where the drop-tail queues lost packets (TFRC's loss events; the loss profiles'
        // random losses are not counted here), summed over the ranks.
        if (const auto counts = net->GetQueueCounts())
        {
            nlohmann::json drops;
            for (uint32_t k = 0; k < SimulatedNetwork::kQueueSites; ++k)
            {
                const uint64_t sent = Ranks::Sum((*counts)[k].sent);
                const uint64_t dropped = Ranks::Sum((*counts)[k].dropped);
                drops[SimulatedNetwork::ToString(SimulatedNetwork::QueueSite(k))] = {
                    {"sent", sent},
                    {"dropped", dropped},
                    {"drop_fraction", sent + dropped ? double(dropped) / (sent + dropped) : 0.0}};
            }
            summary["queue_drops"] = drops;
        }
    }
    summary["join_over_s"] = m_config.joinOver;
    summary["control_idle_s"] = m_config.controlIdle;
    summary["control_tcp"] = m_config.controlTcp;
    if (!failure.is_null())
    {
        failure["ransub_recovery"] = m_config.ransubRecovery;
        summary["failure"] = failure;
        if (root && GetWindowStart() < GetFailAt())
        {
            summary["before_failure"] = metrics.Summary(GetWindowStart(), GetFailAt());
        }
        if (root)
        {
            summary["after_failure"] = metrics.Summary(GetFailAt(), end);
        }
    }
    const double wall
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    summary["sim_seconds"] = simulated;
    AddRunCost(summary, wall, simulated);
    summary["run_wall_seconds"] = runWall;
    out.Systems()[name] = summary;
    Simulator::Destroy();
    return summary;
}

nlohmann::json
StreamingScenario::RunSystem(const SystemSpec& system, const std::string& programTree,
                             ExperimentOutput& out, const Customize& customize) const
{
    if (system.kind != SystemSpec::STREAMING)
    {
        throw std::invalid_argument("'" + system.name + "' is not a streaming system");
    }
    return RunSystem(system.name, system.appType, system.tree.empty() ? programTree : system.tree,
                     out, [&system, &customize](OverlayHelper& h) {
                         if (system.configure)
                         {
                             system.configure(h);
                         }
                         if (customize)
                         {
                             customize(h);
                         }
                     });
}

void
StreamingScenario::Finish(ExperimentOutput& out, bool plot) const
{
    if (!m_mpi.is_null())
    {
        out.Root()["mpi"] = m_mpi;
    }
    out.WriteSummary(m_config.duration);
    if (Ranks::Rank() != 0)
    {
        return;
    }
    PrintStreamingTable(out.Systems(), std::cout);
    std::cout << "steady-state window " << GetWindowStart().As(Time::S) << " to "
              << GetWindowEnd().As(Time::S) << ", stream " << m_config.rateKbps
              << " kbps; results in " << out.GetDirectory() << std::endl;
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
        for (const char* part : {"before_failure", "after_failure"})
        {
            if (!s.contains(part))
            {
                continue;
            }
            const auto& f = s[part];
            os << std::left << std::setw(18) << ("  " + std::string(part)) << std::right
               << std::fixed << std::setprecision(1) << std::setw(10)
               << f["useful_kbps"].get<double>() << std::setw(10) << f["raw_kbps"].get<double>()
               << std::setw(12) << f["from_parent_kbps"].get<double>() << std::setprecision(3)
               << std::setw(11) << f["duplicate_fraction"].get<double>() << std::setprecision(1)
               << std::setw(10) << f["control_kbps"].get<double>() << "   subtree "
               << f["subtree_useful_kbps"].get<double>() << "\n";
        }
    }
    for (const auto& [name, s] : systems.items())
    {
        if (!s.contains("access_link_bound_kbps"))
        {
            continue;
        }
        os << std::fixed << std::setprecision(1) << name << ": access-link bound "
           << s["access_link_bound_kbps"].get<double>()
           << " kbps (mean of min(source uplink, own downlink)), source sent "
           << s["source_new_kbps"].get<double>() << " kbps of distinct packets";
        if (s.contains("mean_senders"))
        {
            os << ", " << s["mean_senders"].get<double>() << " senders and "
               << s["mean_receivers"].get<double>() << " receivers per node (source "
               << s["source_receivers"].get<double>() << " receivers); with a receiver, a "
               << "sender waited for TFRC's rate " << std::setprecision(0)
               << 100 * s["mesh_send_blocked_share"].get<double>()
               << "% of the time and had nothing to send the rest";
        }
        if (s.contains("forest_missing_receivers"))
        {
            os << ", forest ";
            if (s["forest_complete_s"].is_null())
            {
                os << "incomplete (" << s["forest_missing_receivers"].get<uint32_t>()
                   << " receivers lack a stripe at the end)";
            }
            else
            {
                os << "complete at " << s["forest_complete_s"].get<double>() << " s ("
                   << s["forest_missing_receivers"].get<uint32_t>()
                   << " receivers lack a stripe at the end)";
            }
            if (!s["forest_99pct_s"].is_null())
            {
                os << ", 99% of the receivers in every stripe from " << std::setprecision(0)
                   << s["forest_99pct_s"].get<double>() << " s";
            }
            os << ", " << s["forest_failures"].get<uint64_t>() << " forest failures";
        }
        if (s.contains("reach_mean"))
        {
            os << std::setprecision(0) << "; of the source's packets in the window's first half, "
               << 100 * s["reach_under_10pct"].get<double>() << "% reached under 10% of the "
               << "receivers and " << 100 * s["reach_over_90pct"].get<double>()
               << "% at least 90% (mean " << 100 * s["reach_mean"].get<double>() << "%)";
        }
        if (s.contains("queue_drops"))
        {
            const auto& q = s["queue_drops"];
            auto pct = [&q](const char* site) {
                return 100 * q[site]["drop_fraction"].get<double>();
            };
            os << std::setprecision(2) << "; full queues dropped " << pct("client_uplink")
               << "% of the packets at clients' uplinks, " << pct("client_downlink")
               << "% at their downlinks, " << pct("stub_stub") << "% / " << pct("transit_stub")
               << "% / " << pct("transit_transit") << "% on stub-stub / transit-stub / "
               << "transit-transit links";
        }
        os << "\n";
    }
    os.copyfmt(saved);
}

} // namespace ns3
