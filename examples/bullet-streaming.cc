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
#include <sstream>

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
    cmd.AddValue("systems",
                 "comma-separated: bullet, bottleneck-tree, random-tree, online-random-tree, "
                 "gossip (push gossiping), antientropy (streaming over the bottleneck tree with "
                 "anti-entropy recovery)",
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
        std::vector<std::string> names;
        std::stringstream list(systems);
        for (std::string name; std::getline(list, name, ',');)
        {
            if (name != "bullet" && name != "bottleneck-tree" && name != "random-tree"
                && name != "online-random-tree" && name != "gossip" && name != "antientropy")
            {
                throw std::invalid_argument("unknown system '" + name + "' in --systems");
            }
            names.push_back(name);
        }
        if (names.empty())
        {
            throw std::invalid_argument("--systems is empty");
        }
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
        for (const auto& name : names)
        {
            if (name == "bullet")
            {
                scenario.RunSystem(
                    name, "ns3::BulletApplication", tree, out, [disjoint](DisseminationHelper& h) {
                        h.SetAttribute("ChildSendPolicy",
                                       TypeIdValue(disjoint ? DisjointChildSend::GetTypeId()
                                                            : SendToAllChildren::GetTypeId()));
                    });
            }
            else if (name == "gossip")
            {
                // No tree; the source pushes to random members (2003 Section 4.4).
                scenario.RunSystem(name, "ns3::PushGossipApplication", "none", out);
            }
            else if (name == "antientropy")
            {
                // Over the bottleneck tree, as the paper's streaming with anti-entropy.
                scenario.RunSystem(name, "ns3::AntiEntropyApplication", "bottleneck", out,
                                   [](DisseminationHelper& h) {
                                       h.SetFullMembership(true);
                                   });
            }
            else
            {
                std::string kind = name == "bottleneck-tree" ? "bottleneck"
                                   : name == "random-tree"   ? "random"
                                                             : "online";
                scenario.RunSystem(name, "ns3::TreeStreamingApplication", kind, out);
            }
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
