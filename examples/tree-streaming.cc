/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * tree-streaming: the papers' baseline (2003 Section 4.2, Figure 6): TFRC streaming over an
 * offline random tree and over the greedy bottleneck-bandwidth tree, on an INET topology.
 *
 *   ./ns3 run "tree-streaming --tree=both --clients=150 --topoNodes=5000 --profile=medium"
 */
#include "ns3/command-line.h"
#include "ns3/experiment-output.h"
#include "ns3/streaming-scenario.h"

#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    StreamingScenario::Config config;
    config.clients = 150;
    config.duration = 200;
    std::string tree = "both";
    std::string outdir;
    bool plot = true;

    CommandLine cmd(__FILE__);
    cmd.Usage("Streams over an overlay tree, each node forwarding everything to its children "
              "(the baseline Bullet is measured against), and reports the bandwidth nodes get.");
    cmd.AddValue("tree", "random | bottleneck | online | both (random and bottleneck)", tree);
    config.AddTo(cmd);
    cmd.AddValue("outdir", "result directory (default results/tree-streaming)", outdir);
    cmd.AddValue("plot", "draw PNG plots with the module's matplotlib script", plot);
    cmd.Parse(argc, argv);

    try
    {
        if (tree != "random" && tree != "bottleneck" && tree != "online" && tree != "both")
        {
            throw std::invalid_argument("unknown --tree '" + tree + "'");
        }
        ExperimentOutput out("tree-streaming", argc, argv, outdir);
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
    }
    catch (const std::exception& e)
    {
        std::cerr << "tree-streaming: error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
