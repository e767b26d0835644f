/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * bullet-streaming: the 2003 paper's streaming experiments at a scale that runs here: Bullet
 * over a random tree against TFRC streaming over the offline bottleneck tree and a random
 * tree, on an INET topology (Sections 4.1-4.3, Figures 6-10); against push gossiping and
 * streaming with anti-entropy (4.4, Figure 11); on lossy links (4.5, Figure 12); under a node
 * failure (4.6, Figures 13-14).
 *
 * With no options: 200 clients on 5,000 nodes, medium bandwidths with the paper's losses
 * (Section 4.5), 240 s; --loss=none --clients=50 --duration=120 is the lossless Figure 7
 * setting at the scale the other examples use.
 *
 *   ./ns3 run bullet-streaming
 *   ./ns3 run "bullet-streaming --profile=low --seed=2"
 *   ./ns3 run "bullet-streaming --systems=bullet --disjoint=false --loss=none"
 *   ./ns3 run "bullet-streaming --systems=bullet,gossip,antientropy --loss=none \
 *              --clients=100 --rate=900 --duration=120"
 *   ./ns3 run "bullet-streaming --systems=bullet --fail=root-child --loss=none"
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
    BulletStreamingProgram program;
    CommandLine cmd(__FILE__);
    cmd.Usage(BulletStreamingProgram::Usage());
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
        std::cerr << BulletStreamingProgram::kName << ": error: " << e.what() << "\n";
        Ranks::Disable();
        return 1;
    }
    Ranks::Disable();
    return 0;
}
