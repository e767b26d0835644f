/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_SCENARIO_PROGRAMS_H
#define BULLET_SCENARIO_PROGRAMS_H

#include "ns3/file-scenario.h"
#include "ns3/streaming-scenario.h"

#include <nlohmann/json.hpp>
#include <string>

namespace ns3
{

class CommandLine;

/**
 * \ingroup bullet
 * \brief The bullet-streaming program (examples/bullet-streaming.cc): its options, with the
 * program's defaults, and its run. The program and the Python bindings (bindings/) share it,
 * so that both offer the same options and give the same results.
 */
struct BulletStreamingProgram
{
    /// The program's name (its result directory is results/<name> by default).
    static constexpr const char* kName = "bullet-streaming";

    /// The scenario's options; the program's defaults: 50 clients, 120 s.
    StreamingScenario::Config config;
    /// Comma-separated streaming systems of the registry.
    std::string systems{"bullet,bottleneck-tree,random-tree"};
    /// Bullet's underlying tree: random | bottleneck | online.
    std::string tree{"random"};
    /// Bullet's disjoint send routine (false: every packet to every child, Figure 10).
    bool disjoint{true};
    /// The result directory ("" for results/bullet-streaming).
    std::string outdir;
    /// Draw the PNG plots.
    bool plot{true};

    /// Sets the program's defaults.
    BulletStreamingProgram();
    /// The program's --PrintHelp description.
    static std::string Usage();
    /// Adds every option of the program to \p cmd, in the order --PrintHelp lists them.
    void AddTo(CommandLine& cmd);
    /**
     * Runs the program: prints progress and a table, writes the result directory
     * (doc/results-format.md) and returns the summary.json content.
     * \param args the option line to record as "args"
     * \throws std::invalid_argument on bad option values
     */
    nlohmann::json Run(const std::string& args) const;
};

/**
 * \ingroup bullet
 * \brief The tree-streaming program (examples/tree-streaming.cc): its options and run,
 * shared with the Python bindings as BulletStreamingProgram is.
 */
struct TreeStreamingProgram
{
    /// The program's name.
    static constexpr const char* kName = "tree-streaming";

    /// The scenario's options; the program's defaults: 150 clients, 200 s.
    StreamingScenario::Config config;
    /// random | bottleneck | online | both (random and bottleneck).
    std::string tree{"both"};
    /// The result directory ("" for results/tree-streaming).
    std::string outdir;
    /// Draw the PNG plots.
    bool plot{true};

    /// Sets the program's defaults.
    TreeStreamingProgram();
    /// The program's --PrintHelp description.
    static std::string Usage();
    /// Adds every option of the program to \p cmd.
    void AddTo(CommandLine& cmd);
    /**
     * Runs the program as BulletStreamingProgram::Run does.
     * \param args the option line to record as "args"
     * \return the summary.json content
     */
    nlohmann::json Run(const std::string& args) const;
};

/**
 * \ingroup bullet
 * \brief The file-distribution program (examples/file-distribution.cc): its options and run,
 * shared with the Python bindings as BulletStreamingProgram is.
 */
struct FileDistributionProgram
{
    /// The program's name.
    static constexpr const char* kName = "file-distribution";

    /// The scenario's options.
    FileDistributionScenario::Config config;
    /// Comma-separated file-distribution systems of the registry.
    std::string systems{"bullet-prime,bittorrent,bullet"};
    /// Bullet' request order: rarest-random | rarest | random | first (Figure 15).
    std::string strategy{"rarest-random"};
    /// Bullet' peer-set sizing: dynamic | N (Figures 16-17).
    std::string peers{"dynamic"};
    /// Bullet' outstanding blocks per sender: dynamic | N (Figures 18-19).
    std::string outstanding{"dynamic"};
    /// The result directory ("" for results/file-distribution).
    std::string outdir;
    /// Draw the completion-time CDF.
    bool plot{true};

    /// The program's --PrintHelp description.
    static std::string Usage();
    /// Adds every option of the program to \p cmd.
    void AddTo(CommandLine& cmd);
    /**
     * Runs the program as BulletStreamingProgram::Run does.
     * \param args the option line to record as "args"
     * \return the summary.json content
     */
    nlohmann::json Run(const std::string& args) const;
};

} // namespace ns3

#endif // BULLET_SCENARIO_PROGRAMS_H
