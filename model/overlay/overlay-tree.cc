/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "overlay-tree.h"

#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("OverlayTree");

NS_OBJECT_ENSURE_REGISTERED(OverlayTree);
NS_OBJECT_ENSURE_REGISTERED(StaticTree);

TypeId
OverlayTree::GetTypeId()
{
    static TypeId tid = TypeId("ns3::OverlayTree")
                            .SetParent<Object>()
                            .SetGroupName("Bullet")
                            .AddTraceSource("Changed", "The parent or the set of children changed",
                                            MakeTraceSourceAccessor(&OverlayTree::m_changed),
                                            "ns3::TracedCallback::Void");
    return tid;
}

bool
OverlayTree::IsRoot() const
{
    return m_root;
}

bool
OverlayTree::HasParent() const
{
    return m_hasParent;
}

Ipv4Address
OverlayTree::GetParent() const
{
    return m_parent;
}

const std::vector<Ipv4Address>&
OverlayTree::GetChildren() const
{
    return m_children;
}

bool
OverlayTree::IsChild(Ipv4Address node) const
{
    return std::find(m_children.begin(), m_children.end(), node) != m_children.end();
}

void
OverlayTree::DoDispose()
{
    m_children.clear();
    Object::DoDispose();
}

void
OverlayTree::SetRoot(bool root)
{
    m_root = root;
}

void
OverlayTree::SetParent(Ipv4Address parent)
{
    if (m_hasParent && m_parent == parent)
    {
        return;
    }
    m_hasParent = true;
    m_parent = parent;
    m_changed();
}

void
OverlayTree::ClearParent()
{
    if (m_hasParent)
    {
        m_hasParent = false;
        m_changed();
    }
}

void
OverlayTree::AddChild(Ipv4Address child)
{
    if (!IsChild(child))
    {
        m_children.push_back(child);
        m_changed();
    }
}

void
OverlayTree::RemoveChild(Ipv4Address child)
{
    auto it = std::find(m_children.begin(), m_children.end(), child);
    if (it != m_children.end())
    {
        m_children.erase(it);
        m_changed();
    }
}

TypeId
StaticTree::GetTypeId()
{
    static TypeId tid = TypeId("ns3::StaticTree")
                            .SetParent<OverlayTree>()
                            .SetGroupName("Bullet")
                            .AddConstructor<StaticTree>();
    return tid;
}

void
StaticTree::Configure(bool isRoot, Ipv4Address parent, const std::vector<Ipv4Address>& children)
{
    SetRoot(isRoot);
    if (!isRoot)
    {
        SetParent(parent);
    }
    for (const auto& c : children)
    {
        AddChild(c);
    }
}

void
StaticTree::Start(Ptr<ControlChannel> channel)
{
}

void
StaticTree::Stop()
{
}

} // namespace ns3
