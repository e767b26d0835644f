/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "emulation-topology.h"

#include "ns3/overlay-routing.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace ns3
{

TopologySpec
MakeDumbbell(const DumbbellParams& p)
{
    if (p.clients == 0 || p.coreHops == 0)
    {
        throw std::invalid_argument("dumbbell: needs at least one client and one core hop");
    }
    if (!(p.coreLoss >= 0 && p.coreLoss < 1))
    {
        throw std::invalid_argument("dumbbell: core loss must be in [0, 1)");
    }
    TopologySpec spec;
    spec.nRouters = p.coreHops + 1;
    const uint32_t left = (p.clients + 1) / 2;
    for (uint32_t c = 0; c < p.clients; ++c)
    {
        uint32_t router = c < left ? 0 : p.coreHops;
        spec.clientRouter.push_back(router);
        spec.links.push_back({spec.nRouters + c, router, LinkClass::ClientStub, p.accessBps,
                              p.accessBps, p.accessDelayMs, 0, 0});
    }
    for (uint32_t r = 0; r < p.coreHops; ++r)
    {
        spec.links.push_back({r, r + 1, LinkClass::TransitTransit, p.coreBps, p.coreBps,
                              p.coreDelayMs, p.coreLoss, p.coreLoss});
    }
    return spec;
}

TopologySpec
DistillSpec(const TopologySpec& spec)
{
    const uint32_t nClients = spec.GetNClients();
    std::vector<std::pair<uint32_t, uint32_t>> pairs;
    for (const auto& l : spec.links)
    {
        pairs.emplace_back(l.a, l.b);
    }
    std::vector<uint32_t> destinations;
    for (uint32_t c = 0; c < nClients; ++c)
    {
        destinations.push_back(spec.ClientVertex(c));
    }
    OverlayRouteTable table(spec.GetNVertices(), pairs, destinations);

    TopologySpec out;
    std::map<uint32_t, uint32_t> routerIndex; // old access router -> new router
    std::vector<uint32_t> firstClient;        // a client of each new router
    for (uint32_t c = 0; c < nClients; ++c)
    {
        auto [it, added] = routerIndex.emplace(spec.clientRouter[c], routerIndex.size());
        if (added)
        {
            firstClient.push_back(c);
        }
        out.clientRouter.push_back(it->second);
    }
    out.nRouters = routerIndex.size();

    // Access links, remapped; every client has exactly one.
    for (const auto& l : spec.links)
    {
        bool aClient = l.a >= spec.nRouters;
        bool bClient = l.b >= spec.nRouters;
        if (aClient || bClient)
        {
            LinkSpec copy = l;
            copy.a = aClient ? out.nRouters + (l.a - spec.nRouters) : routerIndex.at(l.a);
            copy.b = bClient ? out.nRouters + (l.b - spec.nRouters) : routerIndex.at(l.b);
            out.links.push_back(copy);
        }
    }

    // One pipe per pair of access routers, from the route between two of their clients
    // minus its first and last (access) links.
    auto interior = [&](uint32_t from, uint32_t to, double& delayMs, double& bps, double& loss) {
        std::vector<uint32_t> path = table.GetPath(spec.ClientVertex(from), to);
        if (path.size() < 2)
        {
            throw std::invalid_argument("distill: clients " + std::to_string(from) + " and "
                                        + std::to_string(to) + " are not connected");
        }
        uint32_t at = spec.ClientVertex(from);
        delayMs = 0;
        bps = 1e18;
        double keep = 1;
        for (size_t h = 0; h < path.size(); ++h)
        {
            const auto& l = spec.links[path[h]];
            bool fromA = l.a == at;
            at = fromA ? l.b : l.a;
            if (h == 0 || h + 1 == path.size())
            {
                continue;
            }
            delayMs += l.delayMs;
            bps = std::min(bps, fromA ? l.rateAtoB : l.rateBtoA);
            keep *= 1 - (fromA ? l.lossAtoB : l.lossBtoA);
        }
        loss = 1 - keep;
    };
    for (uint32_t ra = 0; ra < out.nRouters; ++ra)
    {
        for (uint32_t rb = ra + 1; rb < out.nRouters; ++rb)
        {
            double delayAB;
            double bpsAB;
            double lossAB;
            double delayBA;
            double bpsBA;
            double lossBA;
            interior(firstClient[ra], firstClient[rb], delayAB, bpsAB, lossAB);
            interior(firstClient[rb], firstClient[ra], delayBA, bpsBA, lossBA);
            // A link has one delay: the routes each way are the same length in hops and
            // nearly always the same links, so take their mean.
            out.links.push_back({ra, rb, LinkClass::TransitTransit, bpsAB, bpsBA,
                                 (delayAB + delayBA) / 2, lossAB, lossBA});
        }
    }
    return out;
}

} // namespace ns3
