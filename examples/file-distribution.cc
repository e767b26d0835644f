/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * file-distribution: the 2008 paper's file experiments at a scale that runs here: a file (a
 * real one, or generated from the seed) distributed to every node of the full-mesh ModelNet
 * network of Section 5.2.2 (or an INET topology), every receiver starting at t = 0; per
 * system, completion times against the access-link optimum, duplicates, control traffic, and
 * whether every receiver's file matches the source's SHA-256 (Figure 13).
 *
 *   ./ns3 run file-distribution
 *   ./ns3 run "file-distribution --nodes=50 --size=20000000"
 *   ./ns3 run "file-distribution --file=/path/to/file --output=/tmp/received"
 *   ./ns3 run "file-distribution --systems=bullet-prime,bullet"
 *   ./ns3 run "file-distribution --ns3::BulletPrimeApplication::RequestStrategy=ns3::RandomRequest"
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
    FileDistributionProgram program;
    CommandLine cmd(__FILE__);
    cmd.Usage(FileDistributionProgram::Usage());
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
        std::cerr << FileDistributionProgram::kName << ": error: " << e.what() << "\n";
        Ranks::Disable();
        return 1;
    }
    Ranks::Disable();
    return 0;
}
