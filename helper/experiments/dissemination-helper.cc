/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dissemination-helper.h"

#include "ns3/boolean.h"
#include "ns3/dissemination-application.h"
#include "ns3/random-tree.h"

namespace ns3
{

namespace
{
/// Random streams of the protocols: 8 per client from here (error models use 1,000,000+).
constexpr int64_t kStreamBase = 10000;
} // namespace

DisseminationHelper::DisseminationHelper(const std::string& appType)
{
    m_app.SetTypeId(appType);
    m_tree.SetTypeId(RandomTree::GetTypeId());
}

void
DisseminationHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_app.Set(name, value);
}

void
DisseminationHelper::SetTreeAttribute(const std::string& name, const AttributeValue& value)
{
    m_tree.Set(name, value);
}

void
DisseminationHelper::SetFullMembership(bool full)
{
    m_fullMembership = full;
}

Ptr<Application>
DisseminationHelper::Create(Ptr<SimulatedNetwork> net, uint32_t client, bool source,
                            bool membership) const
{
    Ptr<DisseminationApplication> app = m_app.Create<DisseminationApplication>();
    app->SetAttribute("Source", BooleanValue(source));
    if (membership)
    {
        std::vector<Ipv4Address> members;
        members.reserve(net->GetNClients());
        for (uint32_t c = 0; c < net->GetNClients(); ++c)
        {
            members.push_back(net->GetClientAddress(c));
        }
        app->SetMembership(members);
    }
    app->AssignStreams(kStreamBase + 8 * client);
    net->GetClient(client)->AddApplication(app);
    return app;
}

ApplicationContainer
DisseminationHelper::InstallStaticTree(Ptr<SimulatedNetwork> net, const TreeSpec& tree) const
{
    NS_ABORT_MSG_UNLESS(tree.GetNNodes() == net->GetNClients(), "one tree node per client");
    auto children = tree.Children();
    ApplicationContainer apps;
    for (uint32_t v = 0; v < tree.GetNNodes(); ++v)
    {
        auto st = CreateObject<StaticTree>();
        std::vector<Ipv4Address> kids;
        for (uint32_t c : children[v])
        {
            kids.push_back(net->GetClientAddress(c));
        }
        bool root = v == tree.root;
        st->Configure(root, root ? Ipv4Address() : net->GetClientAddress(tree.parent[v]), kids);
        Ptr<Application> app = Create(net, v, root, m_fullMembership);
        DynamicCast<DisseminationApplication>(app)->SetTree(st);
        apps.Add(app);
    }
    return apps;
}

ApplicationContainer
DisseminationHelper::InstallRandomTree(Ptr<SimulatedNetwork> net, uint32_t source) const
{
    ApplicationContainer apps;
    for (uint32_t v = 0; v < net->GetNClients(); ++v)
    {
        Ptr<RandomTree> tree = m_tree.Create<RandomTree>();
        tree->SetBootstrap(net->GetClientAddress(source));
        tree->AssignStreams(kStreamBase + 8 * v + 4);
        Ptr<Application> app = Create(net, v, v == source, m_fullMembership);
        DynamicCast<DisseminationApplication>(app)->SetTree(tree);
        apps.Add(app);
    }
    return apps;
}

ApplicationContainer
DisseminationHelper::InstallWithoutTree(Ptr<SimulatedNetwork> net, uint32_t source) const
{
    ApplicationContainer apps;
    for (uint32_t v = 0; v < net->GetNClients(); ++v)
    {
        auto alone = CreateObject<StaticTree>();
        alone->Configure(true, Ipv4Address(), {}); // the root of its own one-node tree
        Ptr<Application> app = Create(net, v, v == source, true);
        DynamicCast<DisseminationApplication>(app)->SetTree(alone);
        apps.Add(app);
    }
    return apps;
}

} // namespace ns3
