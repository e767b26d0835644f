/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_RANKS_H
#define BULLET_RANKS_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief The process's place among the ranks of ns-3's distributed (MPI) simulator.
 *
 * A program launched by mpirun (`mpirun -np K`, or `./ns3 run "..." --mpi=K`) calls Enable
 * first: with an ns-3 built with MPI (`./ns3 configure --ns3=mpi`) it chooses the parallel
 * simulator (granted time windows or null messages) and starts MPI; launched otherwise it
 * leaves the sequential simulator alone, as one rank of one. Every rank builds the whole
 * network; nodes carry their rank as their system id, and each rank runs only its own nodes'
 * events (see TopologyHelper::SetRanks).
 */
class Ranks
{
  public:
    /// Synchronisation algorithms: "granted" (DistributedSimulatorImpl: granted time
    /// windows, one collective per window) or "nullmessage" (NullMessageSimulatorImpl).
    static std::vector<std::string> SyncAlgorithms();
    /**
     * \brief Starts MPI if this process was launched by mpirun (its environment says so).
     * \param argc, argv the program's, for MPI_Init
     * \param sync a synchronisation algorithm
     * \throws std::invalid_argument on an unknown algorithm, or when launched by mpirun on
     *         more than one rank by a build without MPI
     */
    static void Enable(int* argc, char*** argv, const std::string& sync);
    /// Ends MPI (after Simulator::Destroy); nothing if Enable did not start it.
    static void Disable();
    /**
     * \brief Readies ns-3's MPI interface for one more simulation in the same process: call it
     * before building each simulation's network. The first call does nothing; later ones
     * (after Simulator::Destroy) give ns-3 a fresh interface, since its distributed simulators
     * release the interface's buffers when destroyed. Nothing when sequential.
     */
    static void BeginRun();
    /// \return whether this process is one of several ranks
    static bool IsDistributed();
    /// \return this process's rank (0 when sequential)
    static uint32_t Rank();
    /// \return how many ranks there are (1 when sequential)
    static uint32_t Size();
    /// \return whether the ns-3 underneath was built with MPI
    static bool HaveMpi();
    /// \return the sum of \p value over every rank (every rank gets it)
    static uint64_t Sum(uint64_t value);
    /// \return the sum of \p value over every rank (every rank gets it)
    static double Sum(double value);
    /// \return the largest \p value of every rank (every rank gets it)
    static double Max(double value);
    /**
     * \brief Collects one byte string from every rank on rank 0 (a collective: every rank
     * calls it at the same point, between runs or in an event every rank schedules for the
     * same simulated time).
     * \return on rank 0, every rank's \p bytes in rank order; on the others, nothing
     */
    static std::vector<std::string> Gather(const std::string& bytes);
    /// As Gather, but every rank gets every rank's \p bytes.
    static std::vector<std::string> AllGather(const std::string& bytes);
    /// \return whether mpirun (Open MPI, MPICH or Slurm) launched this process, and how many
    /// processes it launched (1 if not)
    static uint32_t LaunchedSize();
};

} // namespace ns3

#endif // BULLET_RANKS_H
