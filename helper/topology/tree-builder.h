/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TREE_BUILDER_H
#define BULLET_TREE_BUILDER_H

#include "ns3/topology-helper.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief An overlay tree over a network's clients (client indices), built offline.
 */
struct TreeSpec
{
    static constexpr int64_t kNoParent = -1;

    uint32_t root{0};
    std::vector<int64_t> parent; ///< per client; kNoParent for the root

    uint32_t GetNNodes() const;
    std::vector<std::vector<uint32_t>> Children() const;
    /// Hops from the root to the deepest node.
    uint32_t Depth() const;
    /// True if every node reaches the root through parents without a cycle.
    bool IsSpanningTree() const;
};

/**
 * \ingroup bullet
 * \brief The throughput model of the 2003 paper's Section 4.1, over a SimulatedNetwork.
 *
 * An overlay link's throughput is the minimum of the TCP-friendly steady-state rate for its
 * route's round-trip time and loss, and the fair share c/n of every physical link on its
 * route, where n counts the tree's flows crossing that link (in that direction).
 */
class OverlayThroughputModel
{
  public:
    /// bit/s a TCP-friendly flow gets for a round-trip time (s) and loss event rate.
    using FormulaBps = std::function<double(double rttSeconds, double loss)>;

    OverlayThroughputModel(Ptr<SimulatedNetwork> net, FormulaBps formula);

    Ptr<SimulatedNetwork> GetNetwork() const;

    /// Round-trip propagation time (s) of overlay link a->b (route a->b plus route b->a).
    double GetRtt(uint32_t a, uint32_t b) const;
    /// Loss of route a->b: 1 - prod(1 - l(e)).
    double GetLoss(uint32_t a, uint32_t b) const;
    /// The formula rate of overlay link a->b.
    double GetFormulaBps(uint32_t a, uint32_t b) const;

    /// Adds or removes a tree flow a->b to the per-link flow counts.
    void AddFlow(uint32_t a, uint32_t b);
    void RemoveFlow(uint32_t a, uint32_t b);
    /// min(formula, fair shares) for a->b if it were added to the current flows.
    double GetThroughputIfAdded(uint32_t a, uint32_t b) const;
    /// min(formula, fair shares) for a->b, already counted among the current flows.
    double GetThroughput(uint32_t a, uint32_t b) const;
    void ClearFlows();

  private:
    double FairShare(uint32_t a, uint32_t b, uint32_t extra) const;

    Ptr<SimulatedNetwork> m_net;
    FormulaBps m_formula;
    std::vector<uint32_t> m_flows; ///< [2 * link + (fromA ? 0 : 1)]
};

/**
 * \ingroup bullet
 * \brief Offline trees (configuration, not protocol): random, and the greedy Overlay
 * Maximum Bottleneck Tree of the 2003 paper's Section 4.1.
 */
class TreeBuilder
{
  public:
    /// A uniformly random tree: nodes join in random order under a random node with fewer
    /// than \p maxChildren children.
    static TreeSpec Random(uint32_t nodes, uint32_t root, uint32_t maxChildren, uint64_t seed);

    /**
     * Prim-like greedy growth (widest-path heuristic): repeatedly attach the outside node with
     * the highest-throughput overlay link from the tree, counting the flows already placed;
     * throughputs of links already in the tree are not re-examined, as in the paper.
     * \param maxChildren 0 for no limit (the paper's algorithm)
     */
    static TreeSpec Bottleneck(OverlayThroughputModel& model, uint32_t root,
                               uint32_t maxChildren = 0);

    /// Places every tree link as a flow in \p model and returns the minimum link throughput.
    static double EstimateBottleneckBps(OverlayThroughputModel& model, const TreeSpec& tree);
};

} // namespace ns3

#endif // BULLET_TREE_BUILDER_H
