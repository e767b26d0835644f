/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TOPOLOGY_SPEC_H
#define BULLET_TOPOLOGY_SPEC_H

#include "ns3/inet-topology.h"

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Link classes of the Bullet papers (after Calvert, Doar and Zegura, 1997).
 */
enum class LinkClass : uint8_t
{
    ClientStub = 0,
    StubStub = 1,
    TransitStub = 2,
    TransitTransit = 3,
};

constexpr uint32_t kLinkClasses = 4;
std::string ToString(LinkClass c);

/**
 * \ingroup bullet
 * \brief Bandwidth range (kbps) per link class: Table 1 of the 2003 paper (Table II of 2008).
 */
struct BandwidthProfile
{
    std::string name;
    std::array<std::pair<double, double>, kLinkClasses> kbps;

    /// low, medium, high (Table 1); prime2008 (Bullet' Section 5.2.3: 6 Mbps access links,
    /// 150 Mbps elsewhere). \throws std::invalid_argument naming the known profiles
    static BandwidthProfile ByName(const std::string& name);
    static std::vector<std::string> Names();
};

/// Loss profile names accepted by --loss: none, bullet2003, bullet2008.
std::vector<std::string> LossProfileNames();

/**
 * \ingroup bullet
 * \brief One physical link, fully annotated. Directions: a->b and b->a.
 */
struct LinkSpec
{
    uint32_t a;
    uint32_t b;
    LinkClass cls;
    double rateAtoB; ///< bit/s
    double rateBtoA; ///< bit/s
    double delayMs;  ///< one-way propagation delay
    double lossAtoB; ///< packet loss probability
    double lossBtoA;
};

/**
 * \ingroup bullet
 * \brief A network ready to build: routers, overlay clients, annotated links.
 *
 * Vertices [0, nRouters) are routers; vertex nRouters + i is client i, attached by one link
 * to router clientRouter[i]. Pure data, so it can be generated, inspected, tested and
 * written without touching ns-3's simulator.
 */
struct TopologySpec
{
    uint32_t nRouters{0};
    std::vector<uint32_t> clientRouter;
    std::vector<LinkSpec> links;

    uint32_t GetNClients() const;
    uint32_t GetNVertices() const;
    uint32_t ClientVertex(uint32_t client) const;
    std::array<uint32_t, kLinkClasses> CountByClass() const;
};

/**
 * \ingroup bullet
 * \brief Which INET nodes are stubs (the rest are transit), and where clients attach.
 *
 * The papers say only that clients attach to degree-1 stub nodes; doc/topologies.md
 * discusses the three readings.
 */
enum class StubRule : uint8_t
{
    DegreeOne,       ///< stub = degree 1 (default); Stub-Stub is then empty by construction
    DegreeThreshold, ///< stub = degree <= threshold
    RandomGateways,  ///< ModelNet's inet2xml: random nodes of any degree are gateways
};

StubRule StubRuleByName(const std::string& name);

/// How to turn an INET graph into a network of routers and overlay clients.
struct InetAnnotation
{
    uint32_t clients{100};
    StubRule stubRule{StubRule::DegreeOne};
    uint32_t stubDegreeThreshold{2}; ///< for DegreeThreshold
    uint32_t gateways{0};            ///< for RandomGateways; 0 means one per client
    std::string bandwidth{"medium"};
    std::string loss{"none"};
    bool perDirection{false};    ///< draw each direction's rate/loss independently (ModelNet)
    double planeUnitsPerMs{300}; ///< ModelNet: floor(length / 300) ms per INET link
    double clientLinkDelayMs{1};
    double overloadedFraction{0.05}; ///< bullet2003: share of links that are "overloaded"
    uint64_t seed{1};
};

/**
 * \brief Attaches clients, classifies links, draws bandwidth, delay and loss.
 * \throws std::invalid_argument on unknown profile names or impossible requests
 */
TopologySpec AnnotateInet(const InetTopology& topo, const InetAnnotation& params);

/**
 * \ingroup bullet
 * \brief The 2008 paper's file-distribution ground (Section 5.2.2): every participant has an
 * access link to its own router and the routers form a full mesh of core links.
 *
 * Access links are classed ClientStub, core links TransitTransit.
 */
struct MeshParams
{
    uint32_t participants{100};
    double accessKbps{6000};
    double coreKbps{2000};
    double coreLossMax{0.03};
    double coreDelayMinMs{5};
    double coreDelayMaxMs{200};
    double accessDelayMs{1};
    uint64_t seed{1};
};

TopologySpec MakeFileDistributionMesh(const MeshParams& params);

} // namespace ns3

#endif // BULLET_TOPOLOGY_SPEC_H
