/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TOPOLOGY_PARTITION_H
#define BULLET_TOPOLOGY_PARTITION_H

#include "ns3/topology-spec.h"

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ns3
{

class CommandLine;

/**
 * \ingroup bullet
 * \brief How to split a network over the ranks of ns-3's distributed (MPI) simulator.
 */
struct PartitionParams
{
    uint32_t ranks{2};
    /// metis (METIS's k-way partitioning: a small cut) or bfs (a breadth-first order cut
    /// into equal-weight runs: the simple baseline METIS is measured against)
    std::string method{"metis"};
    /**
     * Links with a one-way delay below this (ms) are never cut: a rank may run ahead of
     * another only by the smallest delay of a link between them (the lookahead), so a
     * 0-ms link across ranks would stop the simulation from advancing in parallel.
     */
    double minLookaheadMs{1};
    /// a client's weight against a router's (its protocol work: sockets, transport, app),
    /// on top of the one per link end every vertex has
    uint32_t clientWeight{10};
    uint64_t seed{1};

    static std::vector<std::string> Methods();
};

/**
 * \ingroup bullet
 * \brief Every vertex of a TopologySpec assigned a rank, and what the split costs.
 *
 * Weights estimate each vertex's simulation work: one per link end (each packet a link
 * carries is sent at one end and received at the other), plus PartitionParams::clientWeight
 * for an overlay client.
 */
struct TopologyPartition
{
    uint32_t ranks{0};
    std::vector<uint32_t> rankOf; ///< per vertex of the spec (routers, then clients)
    uint32_t cutLinks{0};         ///< links whose ends are on different ranks
    /// smallest one-way delay of a cut link, ms (infinity if nothing is cut)
    double lookaheadMs{std::numeric_limits<double>::infinity()};
    std::vector<uint64_t> weightOf;   ///< per vertex
    std::vector<uint64_t> rankWeight; ///< per rank
    std::vector<uint32_t> rankVertices;
    std::vector<uint32_t> rankClients;
    /// groups of vertices joined by links shorter than PartitionParams::minLookaheadMs
    uint32_t groups{0};
    uint64_t largestGroupWeight{0};

    /// largest rank weight over the mean (1: perfectly balanced)
    double Imbalance() const;
};

/**
 * \brief Splits \p spec's vertices over \p params.ranks ranks.
 * \throws std::invalid_argument on an unknown method, 0 ranks, more ranks than groups of
 *         vertices, or a negative lookahead
 */
TopologyPartition PartitionTopology(const TopologySpec& spec, const PartitionParams& params);

/**
 * \brief Recounts cut links, lookahead and per-rank totals of \p part (its ranks, rankOf and
 * weightOf given) over \p spec: what PartitionTopology reports, computed from the assignment
 * alone.
 */
void MeasurePartition(const TopologySpec& spec, TopologyPartition& part);

/**
 * \ingroup bullet
 * \brief The options of a program that can run on several ranks (under mpirun): the
 * synchronisation algorithm and how the network is split. Sequential runs ignore them.
 *
 * The program's main calls Ranks::Enable with `sync` before anything else; the scenario then
 * calls Split once, and gives every network it builds the ranks it returns
 * (TopologyHelper::SetRanks).
 */
struct DistributedOptions
{
    std::string sync{"granted"}; ///< Ranks::SyncAlgorithms()
    std::string split{"metis"};  ///< PartitionParams::Methods()
    double minLookaheadMs{1};    ///< PartitionParams::minLookaheadMs
    uint32_t clientWeight{10};   ///< PartitionParams::clientWeight

    /// Adds --sync, --split, --minLookahead and --clientWeight to \p cmd.
    void AddTo(CommandLine& cmd);
    /// \throws std::invalid_argument on an unknown algorithm or method, or a negative floor
    void Validate() const;
    /// The partition parameters for \p ranks ranks (method `split`).
    PartitionParams Params(uint32_t ranks, uint64_t seed) const;
    /**
     * \brief On several ranks (Ranks::IsDistributed), splits \p spec over them.
     * \param report filled with mpi_ranks, mpi_sync, mpi_split, mpi_cut_links,
     *        mpi_lookahead_ms and mpi_clients_per_rank
     * \returns the rank of every vertex, or nothing when sequential
     */
    std::vector<uint32_t> Split(const TopologySpec& spec, uint64_t seed,
                                nlohmann::json& report) const;
};

} // namespace ns3

#endif // BULLET_TOPOLOGY_PARTITION_H
