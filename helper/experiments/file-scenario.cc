/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "file-scenario.h"

#include "ns3/command-line.h"
#include "ns3/file-distribution-application.h"
#include "ns3/inet-topology.h"
#include "ns3/overlay-helper.h"
#include "ns3/simulator.h"
#include "ns3/topology-helper.h"
#include "ns3/uinteger.h"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace ns3
{

void
FileDistributionScenario::Config::AddTo(CommandLine& cmd)
{
    cmd.AddValue("topology", "mesh2008 (the 2008 paper's full-mesh ModelNet network) | inet",
                 topology);
    cmd.AddValue("nodes", "participants, the source included", nodes);
    cmd.AddValue("topoNodes", "inet: topology size (>= 3037)", topoNodes);
    cmd.AddValue("profile", "inet: bandwidth profile low|medium|high|prime2008", profile);
    cmd.AddValue("loss", "inet: loss profile none|bullet2003|bullet2008", loss);
    cmd.AddValue("accessKbps", "mesh2008: access link rate, kbps", accessKbps);
    cmd.AddValue("coreKbps", "mesh2008: core link rate, kbps", coreKbps);
    cmd.AddValue("coreLoss", "mesh2008: core links lose [0, this] of their packets", coreLossMax);
    cmd.AddValue("size", "bytes of the generated file (ignored with --file)", size);
    cmd.AddValue("file", "distribute this file instead of a generated one", file);
    cmd.AddValue("blockSize", "bytes per block (the paper: 16 kB)", blockSize);
    cmd.AddValue("payload", "real (bytes carried and SHA-256-checked) | virtual (sizes only)",
                 payload);
    cmd.AddValue("seed", "topology, source, file content and protocol seed", seed);
    cmd.AddValue("maxTime", "simulated seconds before unfinished receivers are given up", maxTime);
    cmd.AddValue("output", "directory receivers write their reassembled files to", output);
    cmd.AddValue("quiet", "no progress lines", quiet);
    cmd.AddValue("lateJoin",
                 "flash crowd: FRACTION@T, that share of the receivers starts at T s (Figure 22)",
                 lateJoin);
}

namespace
{
/// Parses "FRACTION@T"; throws std::invalid_argument.
std::pair<double, double>
ParseLateJoin(const std::string& spec)
{
    const auto at = spec.find('@');
    size_t usedF = 0;
    size_t usedT = 0;
    double fraction = -1;
    double t = -1;
    try
    {
        if (at != std::string::npos)
        {
            fraction = std::stod(spec.substr(0, at), &usedF);
            t = std::stod(spec.substr(at + 1), &usedT);
        }
    }
    catch (const std::exception&)
    {
        fraction = -1;
    }
    if (at == std::string::npos || usedF != at || usedT != spec.size() - at - 1
        || !(fraction > 0 && fraction <= 1) || !(t >= 0))
    {
        throw std::invalid_argument("--lateJoin must be FRACTION@T with 0 < FRACTION <= 1 and "
                                    "T >= 0, e.g. 0.5@30");
    }
    return {fraction, t};
}
} // namespace

void
FileDistributionScenario::Config::Validate() const
{
    if (topology != "mesh2008" && topology != "inet")
    {
        throw std::invalid_argument("unknown --topology '" + topology + "' (mesh2008|inet)");
    }
    if (nodes < 2)
    {
        throw std::invalid_argument("--nodes must be at least 2");
    }
    if (payload != "real" && payload != "virtual")
    {
        throw std::invalid_argument("unknown --payload '" + payload + "' (real|virtual)");
    }
    if (file.empty() && size == 0)
    {
        throw std::invalid_argument("--size must be positive");
    }
    if (blockSize == 0)
    {
        throw std::invalid_argument("--blockSize must be positive");
    }
    if (!(maxTime > 0))
    {
        throw std::invalid_argument("--maxTime must be positive");
    }
    if (!(accessKbps > 0) || !(coreKbps > 0) || coreLossMax < 0 || coreLossMax >= 1)
    {
        throw std::invalid_argument("need --accessKbps, --coreKbps > 0 and 0 <= --coreLoss < 1");
    }
    if (!lateJoin.empty())
    {
        auto [fraction, t] = ParseLateJoin(lateJoin);
        if (t >= maxTime)
        {
            throw std::invalid_argument("--lateJoin time must be before --maxTime");
        }
    }
    if (!output.empty() && payload == "virtual")
    {
        throw std::invalid_argument(
            "--output needs --payload=real: a virtual payload has no bytes");
    }
}

FileDistributionScenario::FileDistributionScenario(const Config& config)
    : m_config(config)
    , m_content(FileContent::Virtual(1))
{
    m_config.Validate();
    if (config.topology == "mesh2008")
    {
        MeshParams p;
        p.participants = config.nodes;
        p.accessKbps = config.accessKbps;
        p.coreKbps = config.coreKbps;
        p.coreLossMax = config.coreLossMax;
        p.seed = config.seed;
        m_spec = MakeFileDistributionMesh(p);
    }
    else
    {
        InetTopology topo = InetTopology::Generate({config.topoNodes, 0, 10000, config.seed});
        InetAnnotation a;
        a.clients = config.nodes;
        a.bandwidth = config.profile;
        a.loss = config.loss;
        a.seed = config.seed;
        m_spec = AnnotateInet(topo, a);
    }
    if (!config.file.empty())
    {
        m_content = FileContent::FromFile(config.file);
        if (config.payload == "virtual")
        {
            m_content = FileContent::Virtual(m_content.GetSize());
        }
    }
    else
    {
        m_content = config.payload == "virtual" ? FileContent::Virtual(config.size)
                                                : FileContent::Generate(config.size, config.seed);
    }
    m_manifest = BlockManifest::Make(m_content, config.blockSize);
    boost::random::mt19937_64 rng(config.seed + 17);
    m_source = boost::random::uniform_int_distribution<uint32_t>(0, config.nodes - 1)(rng);
}

const FileDistributionScenario::Config&
FileDistributionScenario::GetConfig() const
{
    return m_config;
}

uint32_t
FileDistributionScenario::GetSource() const
{
    return m_source;
}

const BlockManifest&
FileDistributionScenario::GetManifest() const
{
    return m_manifest;
}

std::vector<double>
FileDistributionScenario::GetStartTimes() const
{
    std::vector<double> start(m_config.nodes, 0.0);
    if (m_config.lateJoin.empty())
    {
        return start;
    }
    auto [fraction, t] = ParseLateJoin(m_config.lateJoin);
    std::vector<uint32_t> receivers;
    for (uint32_t i = 0; i < m_config.nodes; ++i)
    {
        if (i != m_source)
        {
            receivers.push_back(i);
        }
    }
    // A seeded Fisher-Yates shuffle: the same late joiners for every system of a run.
    boost::random::mt19937_64 rng(m_config.seed + 41);
    for (uint32_t i = receivers.size(); i > 1; --i)
    {
        uint32_t k = boost::random::uniform_int_distribution<uint32_t>(0, i - 1)(rng);
        std::swap(receivers[i - 1], receivers[k]);
    }
    const uint32_t late = uint32_t(std::ceil(fraction * receivers.size() - 1e-9));
    for (uint32_t i = 0; i < late; ++i)
    {
        start[receivers[i]] = t;
    }
    return start;
}

double
FileDistributionScenario::GetOptimalSeconds() const
{
    // Every receiver must download the file through its access link, and the source must
    // upload it at least once through its own.
    double slowest = std::numeric_limits<double>::infinity();
    double sourceUp = std::numeric_limits<double>::infinity();
    for (uint32_t c = 0; c < m_config.nodes; ++c)
    {
        const uint32_t v = m_spec.ClientVertex(c);
        for (const auto& l : m_spec.links)
        {
            if (l.a != v && l.b != v)
            {
                continue;
            }
            const double down = l.a == v ? l.rateBtoA : l.rateAtoB;
            const double up = l.a == v ? l.rateAtoB : l.rateBtoA;
            if (c == m_source)
            {
                sourceUp = std::min(sourceUp, up);
            }
            else
            {
                slowest = std::min(slowest, down);
            }
        }
    }
    const double bits = m_manifest.GetFileSize() * 8.0;
    return std::max(bits / slowest, bits / sourceUp);
}

nlohmann::json
FileDistributionScenario::RunSystem(const SystemSpec& system, ExperimentOutput& out,
                                    const Customize& customize) const
{
    if (system.kind != SystemSpec::FILE_DISTRIBUTION)
    {
        throw std::invalid_argument("'" + system.name + "' is not a file-distribution system");
    }
    if (system.tree != "online" && system.tree != "none")
    {
        throw std::invalid_argument("file systems run over the online tree or none");
    }
    auto wallStart = std::chrono::steady_clock::now();
    const std::string name = system.name;
    Ptr<SimulatedNetwork> net = TopologyHelper().Build(m_spec);
    OverlayHelper helper(system.appType);
    helper.SetAttribute("FileSize", UintegerValue(m_manifest.GetFileSize()));
    helper.SetAttribute("BlockSize", UintegerValue(m_manifest.GetBlockSize()));
    if (system.configure)
    {
        system.configure(helper);
    }
    if (customize)
    {
        customize(helper);
    }
    ApplicationContainer apps = system.tree == "online" ? helper.InstallRandomTree(net, m_source)
                                                        : helper.InstallWithoutTree(net, m_source);
    const uint32_t n = apps.GetN();
    struct NodeStats
    {
        double completion{-1};
        uint64_t blocks{0};
        uint64_t duplicates{0};
        uint64_t controlBytes{0};
    };

    std::vector<NodeStats> stats(n);
    uint32_t completed = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        auto app = DynamicCast<FileDistributionApplication>(apps.Get(i));
        NS_ABORT_MSG_UNLESS(app, system.appType << " is not a FileDistributionApplication");
        if (i == m_source)
        {
            app->SetContent(m_content, m_manifest);
        }
        else
        {
            app->SetManifest(m_manifest);
        }
        app->TraceConnectWithoutContext("Complete",
                                        Callback<void, Time>([&stats, &completed, i](Time t) {
                                            stats[i].completion = t.GetSeconds();
                                            ++completed;
                                        }));
        app->TraceConnectWithoutContext("BlockRx",
                                        Callback<void, Ipv4Address, uint32_t, uint32_t, bool>(
                                            [&stats, i](Ipv4Address, uint32_t, uint32_t, bool dup) {
                                                ++stats[i].blocks;
                                                stats[i].duplicates += dup;
                                            }));
        app->TraceConnectWithoutContext("ControlTx",
                                        Callback<void, Ipv4Address, uint16_t, uint32_t>(
                                            [&stats, i](Ipv4Address, uint16_t, uint32_t bytes) {
                                                stats[i].controlBytes += bytes;
                                            }));
    }
    const std::vector<double> starts = GetStartTimes();
    for (uint32_t i = 0; i < n; ++i)
    {
        apps.Get(i)->SetStartTime(Seconds(starts[i]));
    }
    const Time end = Seconds(m_config.maxTime);
    apps.Stop(end);
    const uint32_t receivers = n - 1;
    // Stop as soon as every receiver is done; a progress line every 10 simulated seconds.
    std::function<void()> check = [&]() {
        if (completed == receivers)
        {
            Simulator::Stop();
            return;
        }
        Simulator::Schedule(MilliSeconds(500), check);
    };
    Simulator::Schedule(MilliSeconds(500), check);
    std::function<void()> progress = [&]() {
        double wall
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
        std::cout << "[" << name << "] t = " << std::fixed << std::setprecision(0)
                  << Simulator::Now().GetSeconds() << " s: " << completed << "/" << receivers
                  << " receivers complete, " << std::setprecision(1) << wall << " s wall"
                  << std::endl;
        Simulator::Schedule(Seconds(10), progress);
    };
    if (!m_config.quiet)
    {
        std::cout << "[" << name << "] " << n << " nodes, source " << m_source << ", file "
                  << m_manifest.GetFileSize() << " bytes in " << m_manifest.GetNumBlocks()
                  << " blocks (" << (m_manifest.IsVirtual() ? "virtual" : "real") << " payload)"
                  << std::endl;
        Simulator::Schedule(Seconds(10), progress);
    }
    Simulator::Stop(end + Seconds(1));
    Simulator::Run();
    const double simulated = Simulator::Now().GetSeconds();

    // Results.
    std::vector<double> times;
    uint64_t blocks = 0;
    uint64_t duplicates = 0;
    uint64_t control = 0;
    uint64_t rejected = 0;
    bool verified = !m_manifest.IsVirtual();
    std::ofstream csv(out.Path(name + "-nodes.csv"));
    csv << "node,source,start_s,completion_s,blocks_received,duplicates,rejected,control_bytes,"
           "file_sha256_ok\n";
    for (uint32_t i = 0; i < n; ++i)
    {
        auto app = DynamicCast<FileDistributionApplication>(apps.Get(i));
        const NodeStats& s = stats[i];
        blocks += s.blocks;
        duplicates += s.duplicates;
        control += s.controlBytes;
        rejected += app->GetRejectedBlocks();
        bool ok = false;
        if (i != m_source && s.completion >= 0)
        {
            times.push_back(s.completion);
            if (const BlockStore* store = app->GetStore())
            {
                ok = store->ComputeFileDigest() == m_manifest.GetFileDigest();
                if (!m_config.output.empty())
                {
                    store->WriteTo(m_config.output + "/" + name + "-node" + std::to_string(i));
                }
            }
            verified = verified && ok;
        }
        csv << i << "," << (i == m_source) << "," << starts[i] << "," << s.completion << ","
            << s.blocks << "," << s.duplicates << "," << app->GetRejectedBlocks() << ","
            << s.controlBytes << "," << ok << "\n";
    }
    std::sort(times.begin(), times.end());
    auto quantile = [&times](double q) {
        return times.empty() ? -1.0
                             : times[std::min<size_t>(times.size() - 1,
                                                      size_t(std::ceil(q * times.size())) - 1)];
    };
    nlohmann::json summary;
    summary["receivers"] = receivers;
    summary["completed"] = times.size();
    summary["completion_s"] = times;
    double mean = 0;
    for (double t : times)
    {
        mean += t;
    }
    mean = times.empty() ? -1 : mean / times.size();
    summary["completion_mean_s"] = mean;
    summary["completion_median_s"] = quantile(0.5);
    summary["completion_p90_s"] = quantile(0.9);
    summary["completion_max_s"] = times.size() == receivers ? quantile(1.0) : -1.0;
    summary["optimal_s"] = GetOptimalSeconds();
    summary["mean_download_kbps"] = mean > 0 ? m_manifest.GetFileSize() * 8.0 / 1000 / mean : 0.0;
    summary["duplicate_fraction"] = blocks ? double(duplicates) / blocks : 0.0;
    summary["control_kbps"] = simulated > 0 ? control * 8.0 / 1000 / n / simulated : 0.0;
    summary["bytes_verified"] = verified && times.size() == receivers;
    summary["blocks_rejected"] = rejected;
    summary["payload"] = m_manifest.IsVirtual() ? "virtual" : "real";
    summary["late_joiners"] = std::count_if(starts.begin(), starts.end(), [](double t) {
        return t > 0;
    });
    // Completion times are each receiver's own: from its start to its last needed block.
    summary["file_sha256"] = BlockManifest::ToHex(m_manifest.GetFileDigest());
    summary["simulated_s"] = simulated;
    summary["wall_seconds"]
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    out.Systems()[name] = summary;
    Simulator::Destroy();
    return summary;
}

void
FileDistributionScenario::Finish(ExperimentOutput& out, bool plot) const
{
    PrintFileTable(out.Systems(), std::cout);
    double simulated = 0;
    for (const auto& [name, s] : out.Systems().items())
    {
        simulated = std::max(simulated, s["simulated_s"].get<double>());
    }
    std::cout << "results in " << out.GetDirectory() << std::endl;
    out.WriteSummary(simulated);
    if (plot)
    {
        out.Plot("plot-files.py");
    }
}

void
PrintFileTable(const nlohmann::json& systems, std::ostream& os)
{
    std::ios saved(nullptr);
    saved.copyfmt(os);
    os << "\ncompletion times of the receivers, s\n";
    os << std::left << std::setw(14) << "system" << std::right << std::setw(9) << "mean"
       << std::setw(9) << "median" << std::setw(9) << "p90" << std::setw(9) << "slowest"
       << std::setw(9) << "optimum" << std::setw(11) << "rate kbps" << std::setw(11) << "duplicates"
       << std::setw(9) << "control" << std::setw(10) << "verified"
       << "\n";
    for (const auto& [name, s] : systems.items())
    {
        os << std::left << std::setw(14) << name << std::right << std::fixed << std::setprecision(1)
           << std::setw(9) << s["completion_mean_s"].get<double>() << std::setw(9)
           << s["completion_median_s"].get<double>() << std::setw(9)
           << s["completion_p90_s"].get<double>() << std::setw(9)
           << s["completion_max_s"].get<double>() << std::setw(9) << s["optimal_s"].get<double>()
           << std::setw(11) << s["mean_download_kbps"].get<double>() << std::setprecision(3)
           << std::setw(11) << s["duplicate_fraction"].get<double>() << std::setprecision(1)
           << std::setw(9) << s["control_kbps"].get<double>() << std::setw(10)
           << (s["bytes_verified"].get<bool>() ? "yes" : "no") << "\n";
        if (s["completed"].get<uint32_t>() < s["receivers"].get<uint32_t>())
        {
            os << "  " << s["receivers"].get<uint32_t>() - s["completed"].get<uint32_t>()
               << " receivers did not complete (slowest shown as -1)\n";
        }
    }
    os.copyfmt(saved);
}

} // namespace ns3
