/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TOPOLOGY_PARTITION_H
#define BULLET_TOPOLOGY_PARTITION_H

#include "ns3/topology-spec.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace ns3
{

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

} // namespace ns3

#endif // BULLET_TOPOLOGY_PARTITION_H
