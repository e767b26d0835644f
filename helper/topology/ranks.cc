/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ranks.h"

#include "ns3/global-value.h"
#include "ns3/string.h"

#include <algorithm>
#include <cstdlib>
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
    MpiInterface::Enable(argc, argv);
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
        g_enabled = false;
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

} // namespace ns3
