/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TEST_STAR_NETWORK_H
#define BULLET_TEST_STAR_NETWORK_H

#include "ns3/ipv4.h"
#include "ns3/topology-helper.h"

namespace ns3
{

/// n clients on one router: the smallest network where overlay protocols talk over sockets.
inline Ptr<SimulatedNetwork>
StarNetwork(uint32_t n, double rateBps = 10e6, double delayMs = 5)
{
    TopologySpec spec;
    spec.nRouters = 1;
    for (uint32_t c = 0; c < n; ++c)
    {
        spec.clientRouter.push_back(0);
        spec.links.push_back(
            {spec.ClientVertex(c), 0, LinkClass::ClientStub, rateBps, rateBps, delayMs, 0, 0});
    }
    return TopologyHelper().Build(spec);
}

/// Silences a client: its only interface goes down (a crashed host).
inline void
FailClient(Ptr<SimulatedNetwork> net, uint32_t client)
{
    net->GetClient(client)->GetObject<Ipv4>()->SetDown(1);
}

} // namespace ns3

#endif // BULLET_TEST_STAR_NETWORK_H
