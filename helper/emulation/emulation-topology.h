/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_EMULATION_TOPOLOGY_H
#define BULLET_EMULATION_TOPOLOGY_H

#include "ns3/topology-spec.h"

namespace ns3
{

/**
 * \ingroup bullet
 * \brief A small deterministic core for tests and benchmarks: two edge routers joined by a
 * chain of coreHops links; the first half of the clients (rounded up) hangs off the left
 * router, the rest off the right one. A path across is coreHops + 2 links.
 */
struct DumbbellParams
{
    uint32_t clients{2};
    uint32_t coreHops{2};
    double accessBps{100e6};
    double accessDelayMs{1};
    double coreBps{1e9};
    double coreDelayMs{5};
    double coreLoss{0}; ///< loss probability of every core link, each direction
};

/// \throws std::invalid_argument for no clients, no core hops or a loss outside [0, 1)
TopologySpec MakeDumbbell(const DumbbellParams& params);

/**
 * \ingroup bullet
 * \brief ModelNet's distillation with the last mile kept (a "1-walk-in" distillation):
 * clients and their access links stay; the interior route between every pair of access
 * routers becomes one link with the route's summed delay, its smallest rate per direction
 * and its compounded loss.
 *
 * Packets then cross three links whatever the route's length, so one emulator carries more
 * hosts; the price is that flows no longer share interior links (no interior congestion).
 * Routes are the ones TopologyHelper's overlay routing takes (min-hop).
 *
 * \throws std::invalid_argument when two clients are not connected
 */
TopologySpec DistillSpec(const TopologySpec& spec);

} // namespace ns3

#endif // BULLET_EMULATION_TOPOLOGY_H
