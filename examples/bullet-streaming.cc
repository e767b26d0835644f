/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * bullet-streaming: the 2003 paper's streaming experiments at a scale that runs here: Bullet
 * over a random tree against TFRC streaming over the offline bottleneck tree and a random
 * tree, on an INET topology (Sections 4.1-4.3, Figures 6-10); against push gossiping and
 * streaming with anti-entropy (4.4, Figure 11); on lossy links (4.5, Figure 12); under a node
 * failure (4.6, Figures 13-14).
 *
 *   ./ns3 run bullet-streaming
 *   ./ns3 run "bullet-streaming --profile=low --clients=200 --duration=300"
 *   ./ns3 run "bullet-streaming --systems=bullet --disjoint=false"
 *   ./ns3 run "bullet-streaming --systems=bullet,gossip,antientropy --clients=100 --rate=900"
 *   ./ns3 run "bullet-streaming --systems=bullet,bottleneck-tree --loss=bullet2003"
 *   ./ns3 run "bullet-streaming --systems=bullet --fail=root-child --failAt=100"
 */
#include "ns3/boolean.h"
#include "ns3/bullet-application.h"
#include "ns3/command-line.h"
#include "ns3/experiment-output.h"
#include "ns3/streaming-scenario.h"

#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    StreamingScenario::Config config;
    // A scaled-down 2003 experiment that runs in a few minutes on two cores; the paper's scale
    // is --clients=1000 --topoNodes=20000 (see doc/bullet.md for costs).
    config.clients = 50;
    config.duration = 120;
    std::string systems = "bullet,bottleneck-tree,random-tree";
    std::string tree = "random";
    bool disjoint = true;
    std::string outdir;
    bool plot = true;

    CommandLine cmd(__FILE__);
    cmd.Usage("Runs Bullet and the tree-streaming baselines on the same INET topology and "
              "compares the bandwidth each delivers per node (2003 paper, Section 4).");
    SystemRegistry& registry = SystemRegistry::Get();
    cmd.AddValue("systems", "comma-separated, from: " + registry.Describe(SystemSpec::STREAMING),
                 systems);
    cmd.AddValue("tree", "Bullet's underlying tree: random | bottleneck | online", tree);
    cmd.AddValue("disjoint", "Bullet's disjoint send routine (false: send all to every child)",
                 disjoint);
    config.AddTo(cmd);
    cmd.AddValue("outdir", "result directory (default results/bullet-streaming)", outdir);
    cmd.AddValue("plot", "draw PNG plots with the module's matplotlib script", plot);
    cmd.Parse(argc, argv);

    try
    {
        if (tree != "random" && tree != "bottleneck" && tree != "online")
        {
            throw std::invalid_argument("unknown --tree '" + tree + "' (random|bottleneck|online)");
        }
        const std::vector<SystemSpec> runs = registry.Parse(systems, SystemSpec::STREAMING);
        ExperimentOutput out("bullet-streaming", argc, argv, outdir);
        out.SetSeed(config.seed);
        StreamingScenario scenario(config);
        std::cout << "bullet-streaming: " << config.clients << " clients on a " << config.topoNodes
                  << "-node INET topology, profile " << config.profile << ", loss " << config.loss
                  << ", " << config.rateKbps << " kbps for " << config.duration
                  << " s, source = client " << scenario.GetSource() << "\n";
        if (config.fail != "none")
        {
            std::cout << "failure: " << config.fail << " at " << scenario.GetFailAt().As(Time::S)
                      << ", RanSub recovery " << (config.ransubRecovery ? "on" : "off") << "\n";
        }
        for (const auto& system : runs)
        {
            // Figure 10: with --disjoint=false, children get every packet (in the protocols
            // that have a child send policy).
            TypeId::AttributeInformation info;
            const bool hasPolicy = TypeId::LookupByName(system.appType)
                                       .LookupAttributeByName("ChildSendPolicy", &info);
            scenario.RunSystem(system, tree, out, [disjoint, hasPolicy](OverlayHelper& h) {
                if (!disjoint && hasPolicy)
                {
                    h.SetAttribute("ChildSendPolicy", TypeIdValue(SendToAllChildren::GetTypeId()));
                }
            });
        }
        out.Root()["bullet_tree"] = tree;
        out.Root()["disjoint"] = disjoint;
        scenario.Finish(out, plot);
        std::cout << "Paper (1000 clients, 20,000 nodes, medium): Bullet ~500, bottleneck tree "
                     "~400, random tree <100 kbps; see doc/bullet.md. Epidemic approaches, lossy "
                     "links, failure: doc/epidemic.md."
                  << std::endl;
    }
    catch (const std::exception& e)
    {
        std::cerr << "bullet-streaming: error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
