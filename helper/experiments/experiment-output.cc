/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "experiment-output.h"

#include "ns3/fatal-error.h"
#include "ns3/ranks.h"
#include "ns3/simulator.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <sys/resource.h>

namespace ns3
{

double
PeakRssMb()
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0; // ru_maxrss is in KB on Linux
}

double
HugePagesMb()
{
    std::ifstream in("/proc/self/smaps_rollup");
    std::string key;
    while (in >> key)
    {
        if (key == "AnonHugePages:")
        {
            double kb = 0;
            in >> kb;
            return kb / 1024.0;
        }
        in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
    }
    return 0; // no such file (not Linux) or no such line (a kernel without THP)
}

std::string
HugePagesAdvice()
{
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    if (tunables && std::string(tunables).find("glibc.malloc.hugetlb") != std::string::npos)
    {
        return "";
    }
    std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string mode;
    std::getline(in, mode);
    if (mode.find("[madvise]") == std::string::npos)
    {
        return ""; // always (every run has them), never, or no THP at all
    }
    return "note: the heap is on 4 KB pages; large runs are about a sixth faster with "
           "GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (./ns3 run sets it; doc/performance.md)";
}

void
AddRunCost(nlohmann::json& summary, double wallSeconds, double simulatedSeconds)
{
    // Distributed: the events of every rank, and the slowest rank's wall time.
    const uint64_t events = Ranks::Sum(Simulator::GetEventCount());
    wallSeconds = Ranks::Max(wallSeconds);
    summary["wall_seconds"] = wallSeconds;
    summary["events"] = events;
    summary["events_per_wall_second"] = wallSeconds > 0 ? events / wallSeconds : 0.0;
    summary["wall_per_sim_second"] = simulatedSeconds > 0 ? wallSeconds / simulatedSeconds : 0.0;
}

std::string
JoinArgs(int argc, char** argv)
{
    std::string args;
    for (int i = 1; i < argc; ++i)
    {
        args += (i > 1 ? " " : "") + std::string(argv[i]);
    }
    return args;
}

ExperimentOutput::ExperimentOutput(const std::string& experiment, int argc, char** argv,
                                   const std::string& outdir)
    : ExperimentOutput(experiment, JoinArgs(argc, argv), outdir)
{
}

ExperimentOutput::ExperimentOutput(const std::string& experiment, const std::string& args,
                                   const std::string& outdir)
    : m_dir(outdir.empty() ? "results/" + experiment : outdir)
    , m_start(std::chrono::steady_clock::now())
{
    std::error_code ec;
    std::filesystem::create_directories(m_dir, ec);
    if (ec)
    {
        NS_FATAL_ERROR("cannot create output directory '" << m_dir << "': " << ec.message());
    }
    m_summary["experiment"] = experiment;
    m_summary["args"] = args;
    m_summary["seed"] = 0;
    m_summary["systems"] = nlohmann::json::object();
}

const std::string&
ExperimentOutput::GetDirectory() const
{
    return m_dir;
}

std::string
ExperimentOutput::Path(const std::string& file) const
{
    return (std::filesystem::path(m_dir) / file).string();
}

void
ExperimentOutput::SetSeed(uint64_t seed)
{
    m_summary["seed"] = seed;
}

nlohmann::json&
ExperimentOutput::Systems()
{
    return m_summary["systems"];
}

nlohmann::json&
ExperimentOutput::Root()
{
    return m_summary;
}

std::string
ExperimentOutput::WriteSummary(double simulatedSeconds)
{
    m_summary["simulated_seconds"] = simulatedSeconds;
    m_summary["wall_seconds"]
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    m_summary["peak_rss_mb"] = Ranks::Max(PeakRssMb());
    m_summary["huge_pages_mb"] = Ranks::Max(HugePagesMb());
    if (Ranks::IsDistributed())
    {
        std::vector<double> perRank;
        for (const std::string& rss : Ranks::Gather(std::to_string(PeakRssMb())))
        {
            perRank.push_back(std::stod(rss));
        }
        m_summary["peak_rss_mb_per_rank"] = perRank;
    }
    std::string path = Path("summary.json");
    if (Ranks::Rank() != 0)
    {
        return path; // rank 0 writes
    }
    std::ofstream out(path);
    if (!out)
    {
        NS_FATAL_ERROR("cannot write " << path);
    }
    out << m_summary.dump(2) << "\n";
    return path;
}

bool
ExperimentOutput::Plot(const std::string& script) const
{
    // Debian's matplotlib belongs to the system interpreter, which may not be first on PATH.
    std::string python
        = std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
    std::string path = std::string(BULLET_SOURCE_DIR) + "/examples/" + script;
    std::string cmd = python + " '" + path + "' '" + m_dir + "'";
    if (std::system(cmd.c_str()) != 0)
    {
        std::cerr << "warning: plotting failed (" << cmd << "); the CSV files are complete\n";
        return false;
    }
    return true;
}

} // namespace ns3
