/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_OVERLAY_HELPER_H
#define BULLET_OVERLAY_HELPER_H

#include "ns3/application-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/overlay-tree.h"
#include "ns3/topology-helper.h"
#include "ns3/tree-builder.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Installs an OverlayApplication subclass (any streaming or file-distribution
 * protocol of the module) on nodes, with its tree, and configures the objects inside it per
 * installation: control channel, data transport and RanSub, each a type plus attributes,
 * as PointToPointHelper::SetQueue configures a device's queue.
 *
 * Trees: Install() gives every node the online RandomTree bootstrapped at the source (the
 * way a real deployment joins; also the one to use on a single emulated host);
 * InstallStaticTree() an offline tree (TreeSpec vertex i on node i, its root the source);
 * InstallWithoutTree() none (each node the root of its own one-node tree, for gossip).
 *
 * Random streams: Install* leave them to AssignStreams(), as ns-3's helpers do; the
 * SimulatedNetwork overloads, which the module's experiments use, assign them from
 * kStreamBase (a block of OverlayApplication::kStreamsPerNode per client: client i's from
 * kStreamBase + i * kStreamsPerNode).
 *
 * Distributed runs (ns-3's MPI simulator): every rank builds every node, but Install* put
 * applications only on the nodes this process runs (Node::GetSystemId() ==
 * Simulator::GetSystemId(); in a sequential run, every node) and return those; the trees,
 * memberships and the source still cover every node given. Client i's streams do not depend on
 * which ranks run the others.
 */
class OverlayHelper
{
  public:
    /// First random stream of the SimulatedNetwork installs (error models use 1,000,000+).
    static constexpr int64_t kStreamBase = 10000;

    /// \param appType e.g. "ns3::BulletApplication"
    explicit OverlayHelper(const std::string& appType);

    /// Sets an attribute of every application (e.g. "Rate", "PacketSize").
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /**
     * The control channel of every node, e.g. SetControlChannel("ns3::UdpControlChannel",
     * "Port", UintegerValue(7100)). Default: ns3::TcpControlChannel.
     */
    template<typename... Ts>
    void SetControlChannel(const std::string& type, Ts&&... args);
    /// The data transport of every node (default ns3::TfrcDataTransport).
    template<typename... Ts>
    void SetTransport(const std::string& type, Ts&&... args);
    /// The RanSub of every node, for protocols that run one (default ns3::RanSub).
    template<typename... Ts>
    void SetRanSub(const std::string& type, Ts&&... args);
    /// Sets one attribute of the data transport chosen (by SetTransport or the default).
    void SetTransportAttribute(const std::string& name, const AttributeValue& value);
    /// Sets an attribute of every RandomTree (Install and InstallRandomTree only).
    void SetTreeAttribute(const std::string& name, const AttributeValue& value);

    /**
     * Gives every application the addresses of all nodes installed in the same call
     * (OverlayApplication::SetMembership): the full group membership gossip and anti-entropy
     * assume (2003 Section 4.4). Off by default: Bullet learns of peers through RanSub only.
     */
    void SetFullMembership(bool full);
    /// Gives every application this membership list (e.g. for a single emulated host).
    void SetMembership(const std::vector<Ipv4Address>& members);
    /// The source, for Install(): the node with this address streams, and the RandomTree's
    /// joins go to it.
    void SetSource(Ipv4Address source);

    /// The protocol on \p nodes over the online RandomTree, bootstrapped at the source.
    ApplicationContainer Install(NodeContainer nodes) const;
    /// The protocol on one node (e.g. a real host's node in emulation), as Install(nodes).
    ApplicationContainer Install(Ptr<Node> node) const;
    /// The protocol on \p nodes over an offline tree: vertex i on nodes.Get(i); the root is
    /// the source.
    ApplicationContainer InstallStaticTree(NodeContainer nodes, const TreeSpec& tree) const;
    /// The protocol on \p nodes without a tree; nodes.Get(source) is the source. Implies
    /// full membership.
    ApplicationContainer InstallWithoutTree(NodeContainer nodes, uint32_t source) const;
    /// The protocol on one more node without a tree (e.g. a newcomer under churn): the source
    /// is the one given by SetSource, and the membership the one given by SetMembership.
    ApplicationContainer InstallWithoutTree(Ptr<Node> node) const;

    /// Install* on the clients of \p net (client i is node i), streams from kStreamBase.
    ApplicationContainer InstallStaticTree(Ptr<SimulatedNetwork> net, const TreeSpec& tree) const;
    /// Every client joins a RandomTree bootstrapped at client \p source, which streams.
    ApplicationContainer InstallRandomTree(Ptr<SimulatedNetwork> net, uint32_t source) const;
    ApplicationContainer InstallWithoutTree(Ptr<SimulatedNetwork> net, uint32_t source) const;

    /**
     * Fixes the random streams of \p apps (OverlayApplications), kStreamsPerNode each, in
     * container order from \p stream.
     * \returns the number of streams used
     */
    static int64_t AssignStreams(ApplicationContainer apps, int64_t stream);
    /**
     * Fixes the random streams of \p apps (OverlayApplications on clients of \p net): client
     * i's block starts at \p stream + i * OverlayApplication::kStreamsPerNode.
     */
    static void AssignClientStreams(Ptr<SimulatedNetwork> net, ApplicationContainer apps,
                                    int64_t stream = kStreamBase);
    /// \return whether this process runs \p node (always, in a sequential run)
    static bool IsLocal(Ptr<Node> node);

  private:
    /// One application on \p node with \p tree; \p members: the call's addresses.
    Ptr<Application> Create(Ptr<Node> node, Ptr<OverlayTree> tree, bool source,
                            const std::vector<Ipv4Address>& members, bool fullMembership,
                            Ipv4Address sourceAddress) const;
    static Ipv4Address NodeAddress(Ptr<Node> node);
    static std::vector<Ipv4Address> Addresses(NodeContainer nodes);

    ObjectFactory m_app;
    ObjectFactory m_tree;
    ObjectFactory m_channel;
    ObjectFactory m_transport;
    ObjectFactory m_ransub;
    bool m_fullMembership{false};
    std::vector<Ipv4Address> m_members;
    Ipv4Address m_source;
};

template<typename... Ts>
void
OverlayHelper::SetControlChannel(const std::string& type, Ts&&... args)
{
    m_channel = ObjectFactory(type, std::forward<Ts>(args)...);
}

template<typename... Ts>
void
OverlayHelper::SetTransport(const std::string& type, Ts&&... args)
{
    m_transport = ObjectFactory(type, std::forward<Ts>(args)...);
}

template<typename... Ts>
void
OverlayHelper::SetRanSub(const std::string& type, Ts&&... args)
{
    m_ransub = ObjectFactory(type, std::forward<Ts>(args)...);
}

} // namespace ns3

#endif // BULLET_OVERLAY_HELPER_H
