/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_EXPERIMENT_OUTPUT_H
#define BULLET_EXPERIMENT_OUTPUT_H

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace ns3
{

/// Peak resident set size of this process so far, in MB (getrusage).
double PeakRssMb();

/// This process's anonymous memory in transparent huge pages now, in MB (AnonHugePages of
/// /proc/self/smaps_rollup; 0 where there is none). `./ns3 run` asks glibc's malloc for huge
/// pages (GLIBC_TUNABLES=glibc.malloc.hugetlb=1), which large runs need to be fast.
double HugePagesMb();

/**
 * A line of advice for a large run that will not get huge pages: its environment lacks
 * glibc.malloc.hugetlb in GLIBC_TUNABLES and the kernel gives transparent huge pages only to
 * memory that asks for them (`madvise`). Empty otherwise (`./ns3 run` sets the tunable).
 */
std::string HugePagesAdvice();

/**
 * Records what one system's run cost in its summary \p summary: wall_seconds, events
 * (Simulator::GetEventCount(), so call it before Simulator::Destroy), events_per_wall_second
 * and wall_per_sim_second (doc/results-format.md).
 * In a distributed run (a collective: every rank calls it) events are summed over the ranks
 * and the wall time is the slowest rank's.
 * \param summary the system's summary object
 * \param wallSeconds the run's wall-clock time
 * \param simulatedSeconds the simulated time it covered
 */
void AddRunCost(nlohmann::json& summary, double wallSeconds, double simulatedSeconds);

/// A program's options, argv[1] to argv[argc - 1] joined by spaces (summary.json's "args").
std::string JoinArgs(int argc, char** argv);

/**
 * \ingroup bullet
 * \brief The result directory of one experiment run, in the layout every example shares.
 *
 * Writes DIR/summary.json with the common keys (experiment, args, seed, simulated_seconds,
 * wall_seconds, peak_rss_mb, huge_pages_mb) plus whatever the example puts under Systems() or
 * Root(); CSV and PNG files go beside it (Path()). See doc/results-format.md.
 */
class ExperimentOutput
{
  public:
    /**
     * \param experiment the example's name (default directory results/<experiment>/)
     * \param argc,argv the program's command line, recorded as "args"
     * \param outdir the directory to write into; empty means results/<experiment>
     */
    ExperimentOutput(const std::string& experiment, int argc, char** argv,
                     const std::string& outdir = "");
    /**
     * \param experiment the example's name (default directory results/<experiment>/)
     * \param args the option line the run was given, recorded as "args"
     * \param outdir the directory to write into; empty means results/<experiment>
     */
    ExperimentOutput(const std::string& experiment, const std::string& args,
                     const std::string& outdir = "");

    /// The output directory (created on construction).
    const std::string& GetDirectory() const;
    /// DIR/<file>.
    std::string Path(const std::string& file) const;

    void SetSeed(uint64_t seed);
    /// The "systems" object: one entry per system that ran.
    nlohmann::json& Systems();
    /// The whole summary object, for example-specific keys.
    nlohmann::json& Root();

    /**
     * Fills in the cost of the run and writes summary.json; returns its path. In a
     * distributed run every rank calls it (peak_rss_mb is the largest rank's, and
     * peak_rss_mb_per_rank lists them) and rank 0 writes.
     */
    std::string WriteSummary(double simulatedSeconds);

    /**
     * Runs one of the module's matplotlib scripts (examples/<script>) on the directory.
     * Plots are a convenience: if Python or matplotlib is missing, says so and returns false.
     */
    bool Plot(const std::string& script) const;

  private:
    std::string m_dir;
    nlohmann::json m_summary;
    std::chrono::steady_clock::time_point m_start;
};

} // namespace ns3

#endif // BULLET_EXPERIMENT_OUTPUT_H
