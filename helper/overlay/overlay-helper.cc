/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "overlay-helper.h"

#include "ns3/boolean.h"
#include "ns3/ipv4.h"
#include "ns3/overlay-application.h"
#include "ns3/random-tree.h"
#include "ns3/simulator.h"

namespace ns3
{

OverlayHelper::OverlayHelper(const std::string& appType)
{
    m_app.SetTypeId(appType);
    NS_ABORT_MSG_UNLESS(m_app.GetTypeId().IsChildOf(OverlayApplication::GetTypeId()),
                        appType << " is not an OverlayApplication");
    m_tree.SetTypeId(RandomTree::GetTypeId());
    m_channel.SetTypeId(TcpControlChannel::GetTypeId());
    m_transport.SetTypeId(TfrcDataTransport::GetTypeId());
    m_ransub.SetTypeId(RanSub::GetTypeId());
}

void
OverlayHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_app.Set(name, value);
}

void
OverlayHelper::SetTransportAttribute(const std::string& name, const AttributeValue& value)
{
    m_transport.Set(name, value);
}

void
OverlayHelper::SetTreeAttribute(const std::string& name, const AttributeValue& value)
{
    m_tree.Set(name, value);
}

void
OverlayHelper::SetFullMembership(bool full)
{
    m_fullMembership = full;
}

void
OverlayHelper::SetMembership(const std::vector<Ipv4Address>& members)
{
    m_members = members;
}

void
OverlayHelper::SetSource(Ipv4Address source)
{
    m_source = source;
}

Ipv4Address
OverlayHelper::NodeAddress(Ptr<Node> node)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    NS_ABORT_MSG_UNLESS(ipv4 && ipv4->GetNInterfaces() > 1,
                        "OverlayHelper: node " << node->GetId() << " has no IPv4 interface");
    return ipv4->GetAddress(1, 0).GetLocal();
}

std::vector<Ipv4Address>
OverlayHelper::Addresses(NodeContainer nodes)
{
    std::vector<Ipv4Address> out;
    out.reserve(nodes.GetN());
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        out.push_back(NodeAddress(*it));
    }
    return out;
}

Ptr<Application>
OverlayHelper::Create(Ptr<Node> node, Ptr<OverlayTree> tree, bool source,
                      const std::vector<Ipv4Address>& members, bool fullMembership,
                      Ipv4Address sourceAddress) const
{
    Ptr<OverlayApplication> app = m_app.Create<OverlayApplication>();
    app->SetAttribute("Source", BooleanValue(source));
    app->SetAttribute("ControlChannel", ObjectFactoryValue(m_channel));
    app->SetAttribute("Transport", ObjectFactoryValue(m_transport));
    app->SetAttribute("RanSub", ObjectFactoryValue(m_ransub));
    if (!m_members.empty())
    {
        app->SetMembership(m_members);
    }
    else if (fullMembership)
    {
        app->SetMembership(members);
    }
    app->SetTree(tree);
    app->SetSourceAddress(sourceAddress);
    node->AddApplication(app);
    return app;
}

ApplicationContainer
OverlayHelper::Install(NodeContainer nodes) const
{
    NS_ABORT_MSG_IF(m_source == Ipv4Address(), "OverlayHelper::Install: SetSource first");
    const std::vector<Ipv4Address> members = Addresses(nodes);
    ApplicationContainer apps;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        if (!IsLocal(nodes.Get(i)))
        {
            continue;
        }
        Ptr<RandomTree> tree = m_tree.Create<RandomTree>();
        tree->SetBootstrap(m_source);
        apps.Add(Create(nodes.Get(i), tree, members[i] == m_source, members, m_fullMembership,
                        m_source));
    }
    return apps;
}

ApplicationContainer
OverlayHelper::Install(Ptr<Node> node) const
{
    return Install(NodeContainer(node));
}

ApplicationContainer
OverlayHelper::InstallStaticTree(NodeContainer nodes, const TreeSpec& tree) const
{
    NS_ABORT_MSG_UNLESS(tree.GetNNodes() == nodes.GetN(), "one tree vertex per node");
    const std::vector<Ipv4Address> members = Addresses(nodes);
    auto children = tree.Children();
    ApplicationContainer apps;
    for (uint32_t v = 0; v < tree.GetNNodes(); ++v)
    {
        if (!IsLocal(nodes.Get(v)))
        {
            continue;
        }
        auto st = CreateObject<StaticTree>();
        std::vector<Ipv4Address> kids;
        for (uint32_t c : children[v])
        {
            kids.push_back(members[c]);
        }
        bool root = v == tree.root;
        st->Configure(root, root ? Ipv4Address() : members[tree.parent[v]], kids);
        apps.Add(Create(nodes.Get(v), st, root, members, m_fullMembership, members[tree.root]));
    }
    return apps;
}

ApplicationContainer
OverlayHelper::InstallWithoutTree(NodeContainer nodes, uint32_t source) const
{
    NS_ABORT_MSG_UNLESS(source < nodes.GetN(), "no node " << source);
    const std::vector<Ipv4Address> members = Addresses(nodes);
    ApplicationContainer apps;
    for (uint32_t v = 0; v < nodes.GetN(); ++v)
    {
        if (!IsLocal(nodes.Get(v)))
        {
            continue;
        }
        auto alone = CreateObject<StaticTree>();
        alone->Configure(true, Ipv4Address(), {}); // the root of its own one-node tree
        apps.Add(Create(nodes.Get(v), alone, v == source, members, true, members[source]));
    }
    return apps;
}

ApplicationContainer
OverlayHelper::InstallWithoutTree(Ptr<Node> node) const
{
    NS_ABORT_MSG_IF(m_source == Ipv4Address(),
                    "OverlayHelper::InstallWithoutTree: SetSource first");
    if (!IsLocal(node))
    {
        return ApplicationContainer();
    }
    auto alone = CreateObject<StaticTree>();
    alone->Configure(true, Ipv4Address(), {});
    return ApplicationContainer(
        Create(node, alone, NodeAddress(node) == m_source, {}, false, m_source));
}

ApplicationContainer
OverlayHelper::InstallStaticTree(Ptr<SimulatedNetwork> net, const TreeSpec& tree) const
{
    ApplicationContainer apps = InstallStaticTree(net->GetClients(), tree);
    AssignClientStreams(net, apps);
    return apps;
}

ApplicationContainer
OverlayHelper::InstallRandomTree(Ptr<SimulatedNetwork> net, uint32_t source) const
{
    OverlayHelper h = *this;
    h.SetSource(net->GetClientAddress(source));
    ApplicationContainer apps = h.Install(net->GetClients());
    AssignClientStreams(net, apps);
    return apps;
}

ApplicationContainer
OverlayHelper::InstallWithoutTree(Ptr<SimulatedNetwork> net, uint32_t source) const
{
    ApplicationContainer apps = InstallWithoutTree(net->GetClients(), source);
    AssignClientStreams(net, apps);
    return apps;
}

int64_t
OverlayHelper::AssignStreams(ApplicationContainer apps, int64_t stream)
{
    int64_t current = stream;
    for (auto it = apps.Begin(); it != apps.End(); ++it)
    {
        Ptr<OverlayApplication> app = DynamicCast<OverlayApplication>(*it);
        NS_ABORT_MSG_UNLESS(app, "OverlayHelper::AssignStreams: not an OverlayApplication");
        current += app->AssignStreams(current);
    }
    return current - stream;
}

void
OverlayHelper::AssignClientStreams(Ptr<SimulatedNetwork> net, ApplicationContainer apps,
                                   int64_t stream)
{
    for (auto it = apps.Begin(); it != apps.End(); ++it)
    {
        Ptr<OverlayApplication> app = DynamicCast<OverlayApplication>(*it);
        NS_ABORT_MSG_UNLESS(app, "OverlayHelper::AssignClientStreams: not an OverlayApplication");
        const int64_t client = net->FindClient(app->GetNode());
        NS_ABORT_MSG_UNLESS(client >= 0, "OverlayHelper::AssignClientStreams: not a client");
        app->AssignStreams(stream + client * OverlayApplication::kStreamsPerNode);
    }
}

bool
OverlayHelper::IsLocal(Ptr<Node> node)
{
    return node->GetSystemId() == Simulator::GetSystemId();
}

} // namespace ns3
