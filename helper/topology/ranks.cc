/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ranks.h"

#include "ns3/global-value.h"
#include "ns3/string.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <stdexcept>

#ifdef BULLET_MPI
#    include "ns3/mpi-interface.h"

#    include <mpi.h>
#endif

namespace ns3
{

namespace
{
bool g_enabled = false;
uint32_t g_runs = 0; ///< simulations begun (BeginRun)
} // namespace

std::vector<std::string>
Ranks::SyncAlgorithms()
{
    return {"granted", "nullmessage"};
}

uint32_t
Ranks::LaunchedSize()
{
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "SLURM_NTASKS"})
    {
        if (const char* v = std::getenv(name))
        {
            long n = std::strtol(v, nullptr, 10);
            return n > 0 ? static_cast<uint32_t>(n) : 1;
        }
    }
    return 1;
}

bool
Ranks::HaveMpi()
{
#ifdef BULLET_MPI
    return true;
#else
    return false;
#endif
}

void
Ranks::Enable(int* argc, char*** argv, const std::string& sync)
{
    const auto algorithms = SyncAlgorithms();
    if (std::find(algorithms.begin(), algorithms.end(), sync) == algorithms.end())
    {
        throw std::invalid_argument("unknown synchronisation '" + sync + "' (granted|nullmessage)");
    }
    const uint32_t launched = LaunchedSize();
    if (launched <= 1 || g_enabled)
    {
        return;
    }
#ifdef BULLET_MPI
    GlobalValue::Bind("SimulatorImplementationType",
                      StringValue(sync == "granted" ? "ns3::DistributedSimulatorImpl"
                                                    : "ns3::NullMessageSimulatorImpl"));
    // MPI is started here, not by ns-3, so that BeginRun can give ns-3 a fresh interface
    // between runs without ending MPI.
    MPI_Init(argc, argv);
    MpiInterface::Enable(MPI_COMM_WORLD);
    g_enabled = true;
#else
    (void) argc;
    (void) argv;
    throw std::invalid_argument("launched on " + std::to_string(launched)
                                + " ranks, but this build's ns-3 has no MPI: ./ns3 configure "
                                  "--ns3=mpi");
#endif
}

void
Ranks::Disable()
{
#ifdef BULLET_MPI
    if (g_enabled)
    {
        MpiInterface::Disable();
        MPI_Finalize();
        g_enabled = false;
    }
#endif
}

void
Ranks::BeginRun()
{
#ifdef BULLET_MPI
    if (g_enabled && g_runs++ > 0)
    {
        // Simulator::Destroy released the interface's receive buffers (the granted-time-window
        // one frees them, the null-message one its channel bundles): this run needs a fresh
        // interface, on a fresh duplicate of the communicator. (Not at the end of the last
        // run: the null-message interface sets its buffers up in Run, and Disable releases
        // them.)
        MpiInterface::Disable();
        MpiInterface::Enable(MPI_COMM_WORLD);
    }
#endif
}

bool
Ranks::IsDistributed()
{
    return Size() > 1;
}

uint32_t
Ranks::Rank()
{
#ifdef BULLET_MPI
    return g_enabled ? MpiInterface::GetSystemId() : 0;
#else
    return 0;
#endif
}

uint32_t
Ranks::Size()
{
#ifdef BULLET_MPI
    return g_enabled ? MpiInterface::GetSize() : 1;
#else
    return 1;
#endif
}

#ifdef BULLET_MPI
namespace
{
/// \p value combined over every rank by \p op (every rank gets the result).
template<typename T>
T
AllReduce(T value, MPI_Datatype type, MPI_Op op)
{
    T result{};
    MPI_Allreduce(&value, &result, 1, type, op, MpiInterface::GetCommunicator());
    return result;
}
} // namespace
#endif

uint64_t
Ranks::Sum(uint64_t value)
{
#ifdef BULLET_MPI
    if (g_enabled)
    {
        return AllReduce(value, MPI_UINT64_T, MPI_SUM);
    }
#endif
    return value;
}

double
Ranks::Sum(double value)
{
#ifdef BULLET_MPI
    if (g_enabled)
    {
        return AllReduce(value, MPI_DOUBLE, MPI_SUM);
    }
#endif
    return value;
}

double
Ranks::Max(double value)
{
#ifdef BULLET_MPI
    if (g_enabled)
    {
        return AllReduce(value, MPI_DOUBLE, MPI_MAX);
    }
#endif
    return value;
}

#ifdef BULLET_MPI
namespace
{
/// Every rank's \p bytes, to rank 0 (\p all false) or to every rank.
std::vector<std::string>
GatherBytes(const std::string& bytes, bool all)
{
    const MPI_Comm comm = MpiInterface::GetCommunicator();
    const int size = int(Ranks::Size());
    const bool root = Ranks::Rank() == 0;
    if (bytes.size() > size_t(std::numeric_limits<int>::max()))
    {
        throw std::length_error("Ranks::Gather: more than 2 GB from one rank");
    }
    const int mine = int(bytes.size());
    std::vector<int> sizes(size);
    if (all)
    {
        MPI_Allgather(&mine, 1, MPI_INT, sizes.data(), 1, MPI_INT, comm);
    }
    else
    {
        MPI_Gather(&mine, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, comm);
    }
    std::vector<int> offsets(size, 0);
    size_t total = 0;
    for (int r = 0; r < size; ++r)
    {
        offsets[r] = int(total);
        total += sizes[r];
    }
    if ((all || root) && total > size_t(std::numeric_limits<int>::max()))
    {
        throw std::length_error("Ranks::Gather: more than 2 GB in all");
    }
    std::vector<char> buffer(all || root ? total : 0);
    if (all)
    {
        MPI_Allgatherv(bytes.data(), mine, MPI_CHAR, buffer.data(), sizes.data(), offsets.data(),
                       MPI_CHAR, comm);
    }
    else
    {
        MPI_Gatherv(bytes.data(), mine, MPI_CHAR, buffer.data(), sizes.data(), offsets.data(),
                    MPI_CHAR, 0, comm);
    }
    std::vector<std::string> out;
    if (all || root)
    {
        for (int r = 0; r < size; ++r)
        {
            out.emplace_back(buffer.data() + offsets[r], sizes[r]);
        }
    }
    return out;
}
} // namespace
#endif

std::vector<std::string>
Ranks::Gather(const std::string& bytes)
{
#ifdef BULLET_MPI
    if (g_enabled)
    {
        return GatherBytes(bytes, false);
    }
#endif
    return {bytes};
}

std::vector<std::string>
Ranks::AllGather(const std::string& bytes)
{
#ifdef BULLET_MPI
    if (g_enabled)
    {
        return GatherBytes(bytes, true);
    }
#endif
    return {bytes};
}

} // namespace ns3
