/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TEST_STAR_NETWORK_H
#define BULLET_TEST_STAR_NETWORK_H

#include "ns3/ipv4.h"
#include "ns3/topology-helper.h"

namespace ns3
{

/// Clients on one router, client i's access link at rateBps[i] both ways: the smallest
/// network where overlay protocols talk over sockets.
inline Ptr<SimulatedNetwork>
StarNetwork(const std::vector<double>& rateBps, double delayMs = 5)
{
    TopologySpec spec;
    spec.nRouters = 1;
    for (uint32_t c = 0; c < rateBps.size(); ++c)
    {
        spec.clientRouter.push_back(0);
        spec.links.push_back({spec.ClientVertex(c), 0, LinkClass::ClientStub, rateBps[c],
                              rateBps[c], delayMs, 0, 0});
    }
    return TopologyHelper().Build(spec);
}

/// n clients on one router, all with the same access link.
inline Ptr<SimulatedNetwork>
StarNetwork(uint32_t n, double rateBps = 10e6, double delayMs = 5)
{
    return StarNetwork(std::vector<double>(n, rateBps), delayMs);
}

} // namespace ns3

#endif // BULLET_TEST_STAR_NETWORK_H
