/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ransub-subsets: RanSub alone (2003 paper, Section 2.2; 2008 paper, Section 3.3.1) over a
 * random overlay tree on the module's INET topology. Every node's delivered subsets are
 * recorded (subsets.csv) and tested: how often each node appears in the others' subsets
 * against its expected count (a chi-square test of uniformity), descendants in them
 * (none in the nondescendants mode), how much a node's subsets change between epochs, and,
 * with --failAt, whether epochs go on after a failure (Section 4.6). doc/labs/lab5-ransub.md.
 *
 *   ./ns3 run ransub-subsets
 *   ./ns3 run "ransub-subsets --mode=all --epochs=200 --seed=2"
 *   ./ns3 run "ransub-subsets --failAt=100 --failureDetection=false"
 */
#include "ns3/ransub-subsets.h"

#include "ns3/command-line.h"
#include "ns3/experiment-output.h"

#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    // The options and the run live in helper/experiments/ransub-subsets.cc, shared with the
    // Python bindings (bindings/).
    RanSubSubsetsProgram program;
    CommandLine cmd(__FILE__);
    cmd.Usage(RanSubSubsetsProgram::Usage());
    program.AddTo(cmd);
    cmd.Parse(argc, argv);

    try
    {
        program.Run(JoinArgs(argc, argv));
    }
    catch (const std::exception& e)
    {
        std::cerr << RanSubSubsetsProgram::kName << ": error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
