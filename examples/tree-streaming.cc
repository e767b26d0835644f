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
#include "ns3/scenario-programs.h"

#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    // The options and the run live in helper/experiments/scenario-programs.cc, shared with
    // the Python bindings (bindings/).
    TreeStreamingProgram program;
    CommandLine cmd(__FILE__);
    cmd.Usage(TreeStreamingProgram::Usage());
    program.AddTo(cmd);
    cmd.Parse(argc, argv);

    try
    {
        program.Run(JoinArgs(argc, argv));
    }
    catch (const std::exception& e)
    {
        std::cerr << TreeStreamingProgram::kName << ": error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
