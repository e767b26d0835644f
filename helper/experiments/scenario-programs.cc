/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "scenario-programs.h"

#include "ns3/boolean.h"
#include "ns3/bullet-application.h"
#include "ns3/command-line.h"
#include "ns3/experiment-output.h"
#include "ns3/ranks.h"
#include "ns3/uinteger.h"

#include <iostream>
#include <map>
#include <stdexcept>

namespace ns3
{

namespace
{

/// Under mpirun on several ranks the program's main must have started MPI (Ranks::Enable):
/// otherwise every rank would run the whole experiment and write the same results.
void
RefuseSeveralRanks(const std::string& program)
{
    if (uint32_t ranks = Ranks::LaunchedSize(); ranks > 1 && !Ranks::IsDistributed())
    {
        throw std::invalid_argument(program + ": mpirun launched " + std::to_string(ranks)
                                    + " ranks, but MPI was not started (run the program itself "
                                      "under mpirun, not through the Python bindings; "
                                      "doc/distributed.md)");
    }
}

/// For a \p large run, says so if it will not get huge pages (HugePagesAdvice).
void
AdviseHugePages(bool large)
{
    if (const std::string advice = large ? HugePagesAdvice() : ""; !advice.empty())
    {
        std::cout << advice << "\n";
    }
}

} // namespace

// ------------------------------------------------------------------------ bullet-streaming

BulletStreamingProgram::BulletStreamingProgram()
{
    // A scaled-down 2003 experiment that runs in a few minutes on two cores: the paper's
    // medium bandwidths and its lossy links (Section 4.5), 200 clients on 5,000 nodes, 240 s.
    // With them Bullet leads the offline bottleneck tree as in the paper's Figure 7; lossless
    // at this scale the tree carries the whole stream (doc/bullet.md, "The default setup").
    // The paper's scale is --clients=1000 --topoNodes=20000 (doc/bullet.md for costs).
    config.clients = 200;
    config.duration = 240;
    config.loss = "bullet2003";
}

std::string
BulletStreamingProgram::Usage()
{
    return "Runs Bullet and the tree-streaming baselines on the same INET topology and "
           "compares the bandwidth each delivers per node (2003 paper, Section 4).";
}

void
BulletStreamingProgram::AddTo(CommandLine& cmd)
{
    SystemRegistry& registry = SystemRegistry::Get();
    cmd.AddValue("systems", "comma-separated, from: " + registry.Describe(SystemSpec::STREAMING),
                 systems);
    cmd.AddValue("tree", "Bullet's underlying tree: random | bottleneck | online", tree);
    cmd.AddValue("disjoint", "Bullet's disjoint send routine (false: send all to every child)",
                 disjoint);
    config.AddTo(cmd);
    cmd.AddValue("outdir", "result directory (default results/bullet-streaming)", outdir);
    cmd.AddValue("plot", "draw PNG plots with the module's matplotlib script", plot);
}

nlohmann::json
BulletStreamingProgram::Run(const std::string& args) const
{
    RefuseSeveralRanks(kName);
    if (tree != "random" && tree != "bottleneck" && tree != "online")
    {
        throw std::invalid_argument("unknown --tree '" + tree + "' (random|bottleneck|online)");
    }
    const std::vector<SystemSpec> runs
        = SystemRegistry::Get().Parse(systems, SystemSpec::STREAMING);
    ExperimentOutput out(kName, args, outdir);
    out.SetSeed(config.seed);
    StreamingScenario scenario(config);
    std::cout << "bullet-streaming: " << config.clients << " clients on a " << config.topoNodes
              << "-node INET topology, profile " << config.profile << ", loss " << config.loss
              << ", " << config.rateKbps << " kbps for " << config.duration
              << " s, source = client " << scenario.GetSource() << "\n";
    AdviseHugePages(config.clients >= 500 || config.topoNodes >= 10000);
    if (config.fail != "none")
    {
        std::cout << "failure: " << config.fail << " at " << scenario.GetFailAt().As(Time::S)
                  << ", RanSub recovery " << (config.ransubRecovery ? "on" : "off") << "\n";
    }
    const bool disjointSend = disjoint;
    for (const auto& system : runs)
    {
        // Figure 10: with --disjoint=false, children get every packet (in the protocols
        // that have a child send policy).
        TypeId::AttributeInformation info;
        const bool hasPolicy
            = TypeId::LookupByName(system.appType).LookupAttributeByName("ChildSendPolicy", &info);
        scenario.RunSystem(system, tree, out, [disjointSend, hasPolicy](OverlayHelper& h) {
            if (!disjointSend && hasPolicy)
            {
                h.SetAttribute("ChildSendPolicy", TypeIdValue(SendToAllChildren::GetTypeId()));
            }
        });
    }
    out.Root()["bullet_tree"] = tree;
    out.Root()["disjoint"] = disjoint;
    scenario.Finish(out, plot);
    std::cout << "Paper (1000 clients, 20,000 nodes, medium): Bullet ~500, bottleneck tree "
                 "~400, random tree <100 kbps (Figure 7); with its losses (--loss=bullet2003, "
                 "Figure 12) Bullet at least 2x the tree. Ours: doc/bullet.md (\"The default "
                 "setup\" for this run); epidemic approaches and failure: doc/epidemic.md."
              << std::endl;
    return out.Root();
}

// -------------------------------------------------------------------------- tree-streaming

TreeStreamingProgram::TreeStreamingProgram()
{
    config.clients = 150;
    config.duration = 200;
}

std::string
TreeStreamingProgram::Usage()
{
    return "Streams over an overlay tree, each node forwarding everything to its children "
           "(the baseline Bullet is measured against), and reports the bandwidth nodes get.";
}

void
TreeStreamingProgram::AddTo(CommandLine& cmd)
{
    cmd.AddValue("tree", "random | bottleneck | online | both (random and bottleneck)", tree);
    config.AddTo(cmd);
    cmd.AddValue("outdir", "result directory (default results/tree-streaming)", outdir);
    cmd.AddValue("plot", "draw PNG plots with the module's matplotlib script", plot);
}

nlohmann::json
TreeStreamingProgram::Run(const std::string& args) const
{
    RefuseSeveralRanks(kName);
    if (tree != "random" && tree != "bottleneck" && tree != "online" && tree != "both")
    {
        throw std::invalid_argument("unknown --tree '" + tree + "'");
    }
    ExperimentOutput out(kName, args, outdir);
    out.SetSeed(config.seed);
    StreamingScenario scenario(config);
    for (const std::string kind : {"bottleneck", "random", "online"})
    {
        if (tree == kind || (tree == "both" && kind != "online"))
        {
            std::string name = kind == "online" ? "online-random-tree" : kind + "-tree";
            scenario.RunSystem(name, "ns3::TreeStreamingApplication", kind, out);
        }
    }
    scenario.Finish(out, plot);
    return out.Root();
}

// ----------------------------------------------------------------------- file-distribution

std::string
FileDistributionProgram::Usage()
{
    return "Distributes a file with Bullet' and its rivals (BitTorrent, Bullet; SplitStream "
           "as it is built) and compares completion times (2008 paper, Section 5.8).";
}

void
FileDistributionProgram::AddTo(CommandLine& cmd)
{
    SystemRegistry& registry = SystemRegistry::Get();
    cmd.AddValue("systems",
                 "comma-separated, from: " + registry.Describe(SystemSpec::FILE_DISTRIBUTION),
                 systems);
    cmd.AddValue("strategy",
                 "Bullet' request order: rarest-random | rarest | random | first (Figure 15)",
                 strategy);
    cmd.AddValue("peers", "Bullet' peer-set sizing: dynamic | N (Figures 16-17)", peers);
    cmd.AddValue("outstanding",
                 "Bullet' outstanding blocks per sender: dynamic | N (Figures 18-19)", outstanding);
    config.AddTo(cmd);
    cmd.AddValue("outdir", "result directory (default results/file-distribution)", outdir);
    cmd.AddValue("plot", "draw the completion-time CDF with the module's matplotlib script", plot);
}

nlohmann::json
FileDistributionProgram::Run(const std::string& args) const
{
    RefuseSeveralRanks(kName);
    const std::vector<SystemSpec> runs
        = SystemRegistry::Get().Parse(systems, SystemSpec::FILE_DISTRIBUTION);
    ExperimentOutput out(kName, args, outdir);
    out.SetSeed(config.seed);
    FileDistributionScenario scenario(config);
    std::cout << "file-distribution: " << config.nodes << " nodes on " << config.topology << ", "
              << scenario.GetManifest().GetFileSize() << "-byte file (SHA-256 "
              << BlockManifest::ToHex(scenario.GetManifest().GetFileDigest()).substr(0, 16)
              << "...), source = node " << scenario.GetSource() << "\n";
    AdviseHugePages(config.nodes >= 100);
    // The Bullet' variants the paper compares, as attributes of its policies.
    const std::map<std::string, std::string> strategies{
        {"rarest-random", "ns3::RarestRandomRequest"},
        {"rarest", "ns3::RarestRequest"},
        {"random", "ns3::RandomRequest"},
        {"first", "ns3::FirstEncounteredRequest"}};
    if (!strategies.count(strategy))
    {
        throw std::invalid_argument("unknown --strategy '" + strategy
                                    + "' (rarest-random|rarest|random|first)");
    }
    auto count = [](const std::string& option, const std::string& v) {
        size_t used = 0;
        unsigned long n = 0;
        try
        {
            n = std::stoul(v, &used);
        }
        catch (const std::exception&)
        {
            used = 0;
        }
        if (used != v.size() || n == 0 || n > 1000)
        {
            throw std::invalid_argument("--" + option + " must be dynamic or a number in 1..1000");
        }
        return uint32_t(n);
    };
    ObjectFactory sizing("ns3::DynamicPeerSetSizing");
    if (peers != "dynamic")
    {
        sizing = ObjectFactory("ns3::StaticPeerSetSizing", "Peers",
                               UintegerValue(count("peers", peers)));
    }
    ObjectFactory limit("ns3::XcpOutstanding");
    if (outstanding != "dynamic")
    {
        limit = ObjectFactory("ns3::StaticOutstanding", "Limit",
                              UintegerValue(count("outstanding", outstanding)));
    }
    for (const auto& system : runs)
    {
        scenario.RunSystem(system, out, [&](OverlayHelper& h) {
            if (system.appType == "ns3::BulletPrimeApplication")
            {
                h.SetAttribute("RequestStrategy",
                               TypeIdValue(TypeId::LookupByName(strategies.at(strategy))));
                h.SetAttribute("SenderSizing", ObjectFactoryValue(sizing));
                h.SetAttribute("ReceiverSizing", ObjectFactoryValue(sizing));
                h.SetAttribute("Outstanding", ObjectFactoryValue(limit));
            }
        });
    }
    out.Root()["strategy"] = strategy;
    out.Root()["peers"] = peers;
    out.Root()["outstanding"] = outstanding;
    out.Root()["topology"] = config.topology;
    out.Root()["file_bytes"] = scenario.GetManifest().GetFileSize();
    out.Root()["block_bytes"] = scenario.GetManifest().GetBlockSize();
    scenario.Finish(out, plot);
    std::cout << "Paper (Figure 13, 100 nodes, 100 MB, lossy mesh): Bullet' about 25% faster "
                 "than BitTorrent, Bullet and SplitStream; see doc/bullet-prime.md."
              << std::endl;
    return out.Root();
}

} // namespace ns3
