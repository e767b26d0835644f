/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "topology-spec.h"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace ns3
{

namespace
{

using Rng = boost::random::mt19937_64;

double
Uniform(Rng& rng, double lo, double hi)
{
    return lo == hi ? lo : boost::random::uniform_real_distribution<double>(lo, hi)(rng);
}

std::string
Join(const std::vector<std::string>& names)
{
    std::string out;
    for (const auto& n : names)
    {
        out += (out.empty() ? "" : ", ") + n;
    }
    return out;
}

/// Fisher-Yates on the first k positions: a uniform k-subset of v, in v[0, k).
template<typename T>
void
PartialShuffle(std::vector<T>& v, size_t k, Rng& rng)
{
    for (size_t i = 0; i < k && i + 1 < v.size(); ++i)
    {
        size_t j = boost::random::uniform_int_distribution<size_t>(i, v.size() - 1)(rng);
        std::swap(v[i], v[j]);
    }
}

} // namespace

std::string
ToString(LinkClass c)
{
    switch (c)
    {
        case LinkClass::ClientStub:
            return "client-stub";
        case LinkClass::StubStub:
            return "stub-stub";
        case LinkClass::TransitStub:
            return "transit-stub";
        case LinkClass::TransitTransit:
            return "transit-transit";
    }
    return "?";
}

BandwidthProfile
BandwidthProfile::ByName(const std::string& name)
{
    // Order of each row: Client-Stub, Stub-Stub, Transit-Stub, Transit-Transit.
    if (name == "low")
    {
        return {name, {{{300, 600}, {500, 1000}, {1000, 2000}, {2000, 4000}}}};
    }
    if (name == "medium")
    {
        return {name, {{{800, 2800}, {1000, 4000}, {1000, 4000}, {5000, 10000}}}};
    }
    if (name == "high")
    {
        return {name, {{{1600, 5600}, {2000, 8000}, {2000, 8000}, {10000, 20000}}}};
    }
    if (name == "prime2008")
    {
        return {name, {{{6000, 6000}, {150000, 150000}, {150000, 150000}, {150000, 150000}}}};
    }
    throw std::invalid_argument("unknown bandwidth profile '" + name + "' (known: " + Join(Names())
                                + ")");
}

std::vector<std::string>
BandwidthProfile::Names()
{
    return {"low", "medium", "high", "prime2008"};
}

std::vector<std::string>
LossProfileNames()
{
    return {"none", "bullet2003", "bullet2008"};
}

StubRule
StubRuleByName(const std::string& name)
{
    if (name == "degree1")
    {
        return StubRule::DegreeOne;
    }
    if (name == "threshold")
    {
        return StubRule::DegreeThreshold;
    }
    if (name == "gateways")
    {
        return StubRule::RandomGateways;
    }
    throw std::invalid_argument("unknown stub rule '" + name
                                + "' (known: degree1, threshold, gateways)");
}

uint32_t
TopologySpec::GetNClients() const
{
    return clientRouter.size();
}

uint32_t
TopologySpec::GetNVertices() const
{
    return nRouters + clientRouter.size();
}

uint32_t
TopologySpec::ClientVertex(uint32_t client) const
{
    return nRouters + client;
}

std::array<uint32_t, kLinkClasses>
TopologySpec::CountByClass() const
{
    std::array<uint32_t, kLinkClasses> count{};
    for (const auto& l : links)
    {
        ++count[static_cast<uint32_t>(l.cls)];
    }
    return count;
}

TopologySpec
AnnotateInet(const InetTopology& topo, const InetAnnotation& params)
{
    const BandwidthProfile bw = BandwidthProfile::ByName(params.bandwidth);
    const auto lossNames = LossProfileNames();
    if (std::find(lossNames.begin(), lossNames.end(), params.loss) == lossNames.end())
    {
        throw std::invalid_argument("unknown loss profile '" + params.loss
                                    + "' (known: " + Join(lossNames) + ")");
    }
    if (params.clients == 0)
    {
        throw std::invalid_argument("a network needs at least one client");
    }
    // Separate streams for attachment and for link parameters, so that changing a profile
    // keeps the clients where they were.
    Rng placeRng(params.seed);
    Rng linkRng(params.seed ^ 0x9e3779b97f4a7c15ULL);

    const uint32_t n = topo.GetNNodes();
    const auto degree = topo.GetDegrees();
    TopologySpec spec;
    spec.nRouters = n;

    // Stubs, and the routers clients may attach to.
    std::vector<bool> stub(n, false);
    std::vector<uint32_t> attach;
    if (params.stubRule == StubRule::RandomGateways)
    {
        std::vector<uint32_t> all(n);
        std::iota(all.begin(), all.end(), 0);
        uint32_t gateways = std::min(n, params.gateways == 0 ? params.clients : params.gateways);
        PartialShuffle(all, gateways, placeRng);
        attach.assign(all.begin(), all.begin() + gateways);
        for (uint32_t g : attach)
        {
            stub[g] = true;
        }
    }
    else
    {
        uint32_t threshold
            = params.stubRule == StubRule::DegreeOne ? 1 : params.stubDegreeThreshold;
        for (uint32_t v = 0; v < n; ++v)
        {
            stub[v] = degree[v] <= threshold;
            if (degree[v] == 1)
            {
                attach.push_back(v);
            }
        }
    }
    if (attach.empty())
    {
        throw std::invalid_argument("the topology has no node clients can attach to");
    }
    // Distinct attachment points while they last (the papers' setting); beyond that, clients
    // share stubs round-robin over a random order.
    PartialShuffle(attach, std::min<size_t>(attach.size(), params.clients), placeRng);
    for (uint32_t c = 0; c < params.clients; ++c)
    {
        spec.clientRouter.push_back(attach[c % attach.size()]);
    }

    auto drawRate = [&](LinkClass cls) {
        auto [lo, hi] = bw.kbps[static_cast<uint32_t>(cls)];
        return Uniform(linkRng, lo, hi) * 1000.0;
    };
    for (const auto& l : topo.GetLinks())
    {
        LinkClass cls = stub[l.a] && stub[l.b]   ? LinkClass::StubStub
                        : stub[l.a] || stub[l.b] ? LinkClass::TransitStub
                                                 : LinkClass::TransitTransit;
        LinkSpec link{l.a, l.b, cls, 0, 0, std::floor(l.length / params.planeUnitsPerMs), 0, 0};
        link.rateAtoB = drawRate(cls);
        link.rateBtoA = params.perDirection ? drawRate(cls) : link.rateAtoB;
        spec.links.push_back(link);
    }
    for (uint32_t c = 0; c < params.clients; ++c)
    {
        LinkSpec link{spec.ClientVertex(c),
                      spec.clientRouter[c],
                      LinkClass::ClientStub,
                      0,
                      0,
                      params.clientLinkDelayMs,
                      0,
                      0};
        link.rateAtoB = drawRate(LinkClass::ClientStub);
        link.rateBtoA = params.perDirection ? drawRate(LinkClass::ClientStub) : link.rateAtoB;
        spec.links.push_back(link);
    }

    // Loss profiles. bullet2003 (2003 Section 4.5): transit links (Transit-Transit) [0, 0.1%],
    // all others [0, 0.3%], and a random 5% of all links "overloaded" at [5%, 10%].
    // bullet2008 (2008 Section 5.2.3): access links [0, 0.3%], Transit-Transit [0, 0.5%].
    if (params.loss != "none")
    {
        std::vector<bool> overloaded(spec.links.size(), false);
        if (params.loss == "bullet2003")
        {
            std::vector<uint32_t> order(spec.links.size());
            std::iota(order.begin(), order.end(), 0);
            auto k = static_cast<size_t>(std::llround(params.overloadedFraction * order.size()));
            PartialShuffle(order, k, linkRng);
            for (size_t i = 0; i < k; ++i)
            {
                overloaded[order[i]] = true;
            }
        }
        auto range = [&](size_t i) -> std::pair<double, double> {
            LinkClass cls = spec.links[i].cls;
            if (params.loss == "bullet2003")
            {
                if (overloaded[i])
                {
                    return {0.05, 0.10};
                }
                return {0, cls == LinkClass::TransitTransit ? 0.001 : 0.003};
            }
            if (cls == LinkClass::ClientStub)
            {
                return {0, 0.003};
            }
            return {0, cls == LinkClass::TransitTransit ? 0.005 : 0};
        };
        for (size_t i = 0; i < spec.links.size(); ++i)
        {
            auto [lo, hi] = range(i);
            spec.links[i].lossAtoB = Uniform(linkRng, lo, hi);
            spec.links[i].lossBtoA
                = params.perDirection ? Uniform(linkRng, lo, hi) : spec.links[i].lossAtoB;
        }
    }
    return spec;
}

TopologySpec
MakeFileDistributionMesh(const MeshParams& params)
{
    if (params.participants < 2)
    {
        throw std::invalid_argument("a mesh needs at least two participants");
    }
    Rng rng(params.seed);
    TopologySpec spec;
    const uint32_t n = params.participants;
    spec.nRouters = n;
    for (uint32_t i = 0; i < n; ++i)
    {
        spec.clientRouter.push_back(i);
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        for (uint32_t j = i + 1; j < n; ++j)
        {
            double loss = Uniform(rng, 0, params.coreLossMax);
            spec.links.push_back(
                {i, j, LinkClass::TransitTransit, params.coreKbps * 1000, params.coreKbps * 1000,
                 Uniform(rng, params.coreDelayMinMs, params.coreDelayMaxMs), loss, loss});
        }
    }
    for (uint32_t c = 0; c < n; ++c)
    {
        spec.links.push_back({spec.ClientVertex(c), c, LinkClass::ClientStub,
                              params.accessKbps * 1000, params.accessKbps * 1000,
                              params.accessDelayMs, 0, 0});
    }
    return spec;
}

} // namespace ns3
