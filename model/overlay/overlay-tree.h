/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_OVERLAY_TREE_H
#define BULLET_OVERLAY_TREE_H

#include "ns3/control-channel.h"
#include "ns3/ipv4-address.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief A node's view of the overlay tree: parent, children, and change notifications.
 *
 * This is all RanSub and the dissemination protocols use of a tree, so any tree (offline,
 * StaticTree; online, RandomTree) can carry them. Peers are named by IPv4 address.
 */
class OverlayTree : public Object
{
  public:
    static TypeId GetTypeId();

    /// Starts the tree's protocol (if any) on a node's control channel.
    virtual void Start(Ptr<ControlChannel> channel) = 0;
    virtual void Stop() = 0;

    bool IsRoot() const;
    bool HasParent() const;
    /// The parent (only meaningful if HasParent()).
    Ipv4Address GetParent() const;
    const std::vector<Ipv4Address>& GetChildren() const;
    bool IsChild(Ipv4Address node) const;

  protected:
    void DoDispose() override;
    void SetRoot(bool root);
    void SetParent(Ipv4Address parent);
    void ClearParent();
    void AddChild(Ipv4Address child);
    void RemoveChild(Ipv4Address child);

  private:
    bool m_root{false};
    bool m_hasParent{false};
    Ipv4Address m_parent;
    std::vector<Ipv4Address> m_children;
    TracedCallback<> m_changed;
};

/**
 * \ingroup bullet
 * \brief A tree fixed by configuration (offline random or bottleneck trees): no protocol,
 * no repair, exactly the trees of the papers' comparisons.
 */
class StaticTree : public OverlayTree
{
  public:
    static TypeId GetTypeId();

    /// \param parent ignored for the root
    void Configure(bool isRoot, Ipv4Address parent, const std::vector<Ipv4Address>& children);

    void Start(Ptr<ControlChannel> channel) override;
    void Stop() override;
};

} // namespace ns3

#endif // BULLET_OVERLAY_TREE_H
