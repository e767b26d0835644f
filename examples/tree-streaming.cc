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
#include "ns3/ranks.h"
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
        // Under mpirun (./ns3 run "..." --mpi=K): one rank per process, rank 0 prints and
        // writes (doc/distributed.md).
        Ranks::Enable(&argc, &argv, program.config.distributed.sync);
        if (Ranks::Rank() != 0)
        {
            std::cout.setstate(std::ios::failbit);
        }
        program.Run(JoinArgs(argc, argv));
    }
    catch (const std::exception& e)
    {
        std::cerr << TreeStreamingProgram::kName << ": error: " << e.what() << "\n";
        Ranks::Disable();
        return 1;
    }
    Ranks::Disable();
    return 0;
}
