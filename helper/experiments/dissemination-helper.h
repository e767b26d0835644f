/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_DISSEMINATION_HELPER_H
#define BULLET_DISSEMINATION_HELPER_H

#include "ns3/application-container.h"
#include "ns3/object-factory.h"
#include "ns3/topology-helper.h"
#include "ns3/tree-builder.h"

#include <string>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Installs a DisseminationApplication subclass on every client of a network, over
 * an offline tree (StaticTree from a TreeSpec) or the online RandomTree. The tree's root
 * is the source.
 */
class DisseminationHelper
{
  public:
    /// \param appType e.g. "ns3::TreeStreamingApplication"
    explicit DisseminationHelper(const std::string& appType);

    /// Sets an attribute of every application (e.g. "Rate", "Transport").
    void SetAttribute(const std::string& name, const AttributeValue& value);
    /// Sets an attribute of every RandomTree (InstallRandomTree only).
    void SetTreeAttribute(const std::string& name, const AttributeValue& value);
    /**
     * Gives every application the addresses of all clients (DisseminationApplication::
     * SetMembership): the full group membership gossip and anti-entropy assume (2003
     * Section 4.4). Off by default: Bullet learns of peers through RanSub only.
     */
    void SetFullMembership(bool full);

    /// Application i runs on client i; the tree's root is the source.
    ApplicationContainer InstallStaticTree(Ptr<SimulatedNetwork> net, const TreeSpec& tree) const;
    /// Every client joins a RandomTree bootstrapped at \p source, which streams.
    ApplicationContainer InstallRandomTree(Ptr<SimulatedNetwork> net, uint32_t source) const;
    /// No tree (every node the root of its own one-node StaticTree), for protocols that
    /// use none (gossip); client \p source streams. Implies full membership.
    ApplicationContainer InstallWithoutTree(Ptr<SimulatedNetwork> net, uint32_t source) const;

  private:
    Ptr<Application> Create(Ptr<SimulatedNetwork> net, uint32_t client, bool source,
                            bool membership) const;

    ObjectFactory m_app;
    ObjectFactory m_tree;
    bool m_fullMembership{false};
};

} // namespace ns3

#endif // BULLET_DISSEMINATION_HELPER_H
