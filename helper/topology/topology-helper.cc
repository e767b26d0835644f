/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "topology-helper.h"

#include "ns3/boolean.h"
#include "ns3/command-line.h"
#include "ns3/drop-tail-queue.h"
#include "ns3/error-model.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/link-device.h"
#include "ns3/log.h"
#include "ns3/mac48-address.h"
#include "ns3/nix-vector-helper.h"
#include "ns3/point-to-point-channel.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/pointer.h"
#include "ns3/ranks.h"
#include "ns3/simulator.h"

#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TopologyHelper");

namespace
{

/// Installs an (unconfigured) OverlayStaticRouting on each node; Build() configures it.
class OverlayRoutingHelper : public Ipv4RoutingHelper
{
  public:
    OverlayRoutingHelper*
    Copy() const override
    {
        return new OverlayRoutingHelper(*this);
    }

    Ptr<Ipv4RoutingProtocol>
    Create(Ptr<Node> node) const override
    {
        return CreateObject<OverlayStaticRouting>();
    }
};

constexpr uint32_t kAddressBase = 0x0a000000; // 10.0.0.0, one /30 per link
constexpr uint32_t kMaxLinks = (1u << 22) - 1;

Ipv4Address
LinkAddress(uint32_t link, bool aSide)
{
    return Ipv4Address(kAddressBase + 4 * link + (aSide ? 1 : 2));
}

/**
 * Makes a link's device hand the packets it receives straight to its node's IPv4.
 *
 * By default a device hands them to its node, which scans one protocol handler per (device,
 * protocol) of the node, and IPv4 registers its handlers there through the traffic control
 * layer, which scans its own list the same way: two linear scans per packet and hop, over
 * thousands of entries at an INET hub (they were 11% of a 1,000-client run's cycles). Both
 * scans end in Ipv4L3Protocol::Receive for an IPv4 packet, which is all that travels on our
 * links; the traffic control layer does nothing else on receive. Other protocols (none is
 * sent over these links) are dropped with a warning.
 */
void
DeliverToIpv4(Ptr<NetDevice> dev, bool router)
{
    Ptr<Ipv4L3Protocol> ipv4 = dev->GetNode()->GetObject<Ipv4L3Protocol>();
    NS_ABORT_MSG_UNLESS(ipv4, "link device on a node without IPv4");
    // A router forwards towards clients itself (OverlayStaticRouting::ForwardDirectly) while
    // its routing is still ours.
    Ptr<OverlayStaticRouting> routingPtr
        = router ? DynamicCast<OverlayStaticRouting>(ipv4->GetRoutingProtocol()) : nullptr;
    // Plain pointers: the callback lives in the device, which its node (and so the node's IPv4
    // and routing) outlives; a Ptr here would make device -> IPv4 -> node -> device a cycle
    // that no Dispose() breaks (the device keeps its callback), leaking every node of a run
    // (LeakSanitizer, issue #18).
    Ipv4L3Protocol* ipv4Raw = PeekPointer(ipv4);
    OverlayStaticRouting* routing = PeekPointer(routingPtr);
    // A LinkDevice hands its IPv4 arrivals to the routing itself, before this callback, and
    // says when the packet may go on without a copy (LinkDevice::Forwarder).
    if (auto link = DynamicCast<LinkDevice>(dev); link && routing)
    {
        link->SetForwarder(routingPtr);
        routing = nullptr;
    }
    dev->SetReceiveCallback(
        Callback<bool, Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&>(
            [ipv4 = ipv4Raw, routing](Ptr<NetDevice> device, Ptr<const Packet> p, uint16_t protocol,
                                      const Address& from) {
                if (protocol != Ipv4L3Protocol::PROT_NUMBER)
                {
                    NS_LOG_WARN("link device " << device->GetIfIndex() << " of node "
                                               << device->GetNode()->GetId()
                                               << " dropped a packet of protocol " << protocol);
                    return false;
                }
                if (routing && PeekPointer(ipv4->GetRoutingProtocol()) == routing
                    && routing->ForwardDirectly(device, p))
                {
                    return true;
                }
                // As Node::NonPromiscReceiveFromDevice calls the handlers.
                ipv4->Receive(device, p, protocol, from, device->GetAddress(),
                              NetDevice::PacketType(0));
                return true;
            }));
}

} // namespace

NS_OBJECT_ENSURE_REGISTERED(SimulatedNetwork);

TypeId
SimulatedNetwork::GetTypeId()
{
    static TypeId tid = TypeId("ns3::SimulatedNetwork").SetParent<Object>().SetGroupName("Bullet");
    return tid;
}

const TopologySpec&
SimulatedNetwork::GetSpec() const
{
    return m_spec;
}

uint32_t
SimulatedNetwork::GetNClients() const
{
    return m_clients.GetN();
}

Ptr<Node>
SimulatedNetwork::GetClient(uint32_t client) const
{
    return m_clients.Get(client);
}

NodeContainer
SimulatedNetwork::GetClients() const
{
    return m_clients;
}

NodeContainer
SimulatedNetwork::GetRouters() const
{
    return m_routers;
}

Ipv4Address
SimulatedNetwork::GetClientAddress(uint32_t client) const
{
    return m_clientAddress.at(client);
}

int64_t
SimulatedNetwork::FindClient(Ipv4Address address) const
{
    return m_table->FindDestination(address);
}

SimulatedNetwork::RemotePackets
SimulatedNetwork::GetRemotePackets() const
{
    RemotePackets count;
    for (const auto& device : m_devices)
    {
        auto dev = DynamicCast<LinkDevice>(device);
        if (dev && dev->GetNode()->GetSystemId() == Simulator::GetSystemId())
        {
            count.sent += dev->GetRemoteTxPackets();
            count.received += dev->GetRemoteRxPackets();
            count.inFlight += dev->GetRemoteInFlightPackets();
        }
    }
    return count;
}

std::string
SimulatedNetwork::ToString(QueueSite site)
{
    switch (site)
    {
        case QueueSite::ClientUplink:
            return "client_uplink";
        case QueueSite::ClientDownlink:
            return "client_downlink";
        case QueueSite::StubStub:
            return "stub_stub";
        case QueueSite::TransitStub:
            return "transit_stub";
        case QueueSite::TransitTransit:
            return "transit_transit";
    }
    return "unknown";
}

std::optional<std::array<SimulatedNetwork::QueueCounts, SimulatedNetwork::kQueueSites>>
SimulatedNetwork::GetQueueCounts() const
{
    std::array<QueueCounts, kQueueSites> counts{};
    for (uint32_t l = 0; l < m_spec.links.size(); ++l)
    {
        const LinkSpec& link = m_spec.links[l];
        for (bool aSide : {true, false})
        {
            auto dev = DynamicCast<LinkDevice>(m_devices[2 * l + (aSide ? 0 : 1)]);
            if (!dev)
            {
                return std::nullopt;
            }
            if (dev->GetNode()->GetSystemId() != Simulator::GetSystemId())
            {
                continue;
            }
            QueueSite site;
            switch (link.cls)
            {
                case LinkClass::ClientStub:
                {
                    // Clients are the vertices from nRouters on; the client's end sends up.
                    const uint32_t sender = aSide ? link.a : link.b;
                    site = sender >= m_spec.nRouters ? QueueSite::ClientUplink
                                                     : QueueSite::ClientDownlink;
                    break;
                }
                case LinkClass::StubStub:
                    site = QueueSite::StubStub;
                    break;
                case LinkClass::TransitStub:
                    site = QueueSite::TransitStub;
                    break;
                default:
                    site = QueueSite::TransitTransit;
                    break;
            }
            counts[uint32_t(site)].sent += dev->GetTxPackets();
            counts[uint32_t(site)].dropped += dev->GetTxDropped();
        }
    }
    return counts;
}

int64_t
SimulatedNetwork::FindClient(Ptr<Node> node) const
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    if (!ipv4 || ipv4->GetNInterfaces() < 2)
    {
        return -1;
    }
    const int64_t client = FindClient(ipv4->GetAddress(1, 0).GetLocal());
    return client >= 0 && GetClient(client) == node ? client : -1;
}

void
SimulatedNetwork::FailClient(uint32_t client)
{
    Ptr<Ipv4> ipv4 = GetClient(client)->GetObject<Ipv4>();
    for (uint32_t i = 1; i < ipv4->GetNInterfaces(); ++i) // 0 is the loopback
    {
        ipv4->SetDown(i);
    }
}

void
SimulatedNetwork::RestoreClient(uint32_t client)
{
    Ptr<Ipv4> ipv4 = GetClient(client)->GetObject<Ipv4>();
    for (uint32_t i = 1; i < ipv4->GetNInterfaces(); ++i)
    {
        ipv4->SetUp(i);
    }
}

namespace
{
/// A failed link's receive side: loses every packet, draws no random numbers.
class LinkDownErrorModel : public ErrorModel
{
  private:
    bool
    DoCorrupt(Ptr<Packet> p) override
    {
        return true;
    }

    void
    DoReset() override
    {
    }
};
} // namespace

void
SimulatedNetwork::SetLinkUp(uint32_t link, bool up)
{
    NS_ABORT_MSG_UNLESS(link < m_spec.links.size(), "no link " << link);
    auto model = [this, link](bool aSide) {
        PointerValue v;
        GetDevice(link, aSide)->GetAttribute("ReceiveErrorModel", v);
        return v.Get<ErrorModel>();
    };
    auto set = [this, link](bool aSide, Ptr<ErrorModel> em) {
        Ptr<NetDevice> dev = GetDevice(link, aSide);
        if (auto lean = DynamicCast<LinkDevice>(dev))
        {
            lean->SetReceiveErrorModel(em);
        }
        else
        {
            DynamicCast<PointToPointNetDevice>(dev)->SetReceiveErrorModel(em);
        }
    };
    auto it = m_failedLinks.find(link);
    if (!up && it == m_failedLinks.end())
    {
        m_failedLinks.emplace(link, std::make_pair(model(true), model(false)));
        Ptr<ErrorModel> down = CreateObject<LinkDownErrorModel>();
        set(true, down);
        set(false, down);
        NS_LOG_INFO("link " << link << " fails at " << Simulator::Now().As(Time::S));
    }
    else if (up && it != m_failedLinks.end())
    {
        set(true, it->second.first);
        set(false, it->second.second);
        m_failedLinks.erase(it);
        NS_LOG_INFO("link " << link << " is repaired at " << Simulator::Now().As(Time::S));
    }
}

bool
SimulatedNetwork::IsLinkUp(uint32_t link) const
{
    return m_failedLinks.count(link) == 0;
}

void
SimulatedNetwork::AddClientAlias(uint32_t client, Ipv4Address address)
{
    NS_ABORT_MSG_UNLESS(client < GetNClients(), "no client " << client);
    m_table->SetDestinationAddress(client, address);
}

Ptr<NetDevice>
SimulatedNetwork::GetDevice(uint32_t link, bool aSide) const
{
    return m_devices.at(2 * link + (aSide ? 0 : 1));
}

void
SimulatedNetwork::SetLinkRate(uint32_t link, bool fromA, DataRate rate)
{
    Ptr<NetDevice> dev = GetDevice(link, fromA);
    if (auto lean = DynamicCast<LinkDevice>(dev))
    {
        lean->SetDataRate(rate);
    }
    else
    {
        DynamicCast<PointToPointNetDevice>(dev)->SetDataRate(rate);
    }
    (fromA ? m_spec.links[link].rateAtoB : m_spec.links[link].rateBtoA) = rate.GetBitRate();
}

DataRate
SimulatedNetwork::GetLinkRate(uint32_t link, bool fromA) const
{
    const auto& l = m_spec.links.at(link);
    return DataRate(uint64_t(fromA ? l.rateAtoB : l.rateBtoA));
}

std::vector<SimulatedNetwork::Hop>
SimulatedNetwork::GetPath(uint32_t src, uint32_t dst) const
{
    std::vector<Hop> hops;
    uint32_t at = m_spec.ClientVertex(src);
    for (uint32_t link : m_table->GetPath(at, dst))
    {
        const auto& l = m_spec.links[link];
        bool fromA = l.a == at;
        hops.push_back({link, fromA});
        at = fromA ? l.b : l.a;
    }
    return hops;
}

double
SimulatedNetwork::GetPathDelayMs(uint32_t src, uint32_t dst) const
{
    double ms = 0;
    for (const auto& hop : GetPath(src, dst))
    {
        ms += m_spec.links[hop.link].delayMs;
    }
    return ms;
}

double
SimulatedNetwork::GetRttMs(uint32_t a, uint32_t b) const
{
    return GetPathDelayMs(a, b) + GetPathDelayMs(b, a);
}

Ptr<const OverlayRouteTable>
SimulatedNetwork::GetRouteTable() const
{
    return m_table;
}

void
SimulatedNetwork::DoDispose()
{
    m_devices.clear();
    m_failedLinks.clear();
    m_table = nullptr;
    Object::DoDispose();
}

TopologyHelper::TopologyHelper() = default;

void
TopologyHelper::SetRouting(const std::string& routing)
{
    if (routing != "overlay" && routing != "nix")
    {
        throw std::invalid_argument("unknown routing '" + routing + "' (overlay or nix)");
    }
    m_routing = routing;
}

void
TopologyHelper::SetDirectForwarding(bool direct)
{
    m_directForwarding = direct;
}

bool
TopologyHelper::IsLinkType(const std::string& type)
{
    return type == "lean" || type == "lazy" || type == "p2p";
}

void
TopologyHelper::ValidateLinkTypeOption(const std::string& type)
{
    if (!IsLinkType(type))
    {
        throw std::invalid_argument("--links must be lean, lazy or p2p");
    }
}

void
TopologyHelper::AddLinkTypeOption(CommandLine& cmd, std::string& type)
{
    cmd.AddValue("links",
                 "link devices of the core: lean (LinkDevice), p2p (ns-3's point-to-point "
                 "devices), both with the same results, or lazy (LinkDevice with an event at "
                 "the end of a transmission only while packets wait: about one event less per "
                 "hop, 10% faster at paper scale; simultaneous events may run in another "
                 "order, which changes results where ties are common, e.g. mesh2008)",
                 type);
}

void
TopologyHelper::SetLinkType(const std::string& type)
{
    if (!IsLinkType(type))
    {
        throw std::invalid_argument("unknown link type '" + type + "' (lean, lazy or p2p)");
    }
    m_lean = type != "p2p";
    m_everyEnd = type != "lazy";
}

void
TopologyHelper::SetQueueSize(uint32_t packets)
{
    m_queuePackets = packets;
}

void
TopologyHelper::SetErrorModelStreamBase(int64_t stream)
{
    m_streamBase = stream;
}

void
TopologyHelper::SetRanks(std::vector<uint32_t> rankOf)
{
    m_rankOf = std::move(rankOf);
}

Ptr<SimulatedNetwork>
TopologyHelper::Build(const TopologySpec& spec) const
{
    const uint32_t nVertices = spec.GetNVertices();
    if (spec.links.size() > kMaxLinks)
    {
        throw std::invalid_argument("too many links for the 10.0.0.0/8 address plan");
    }
    for (const auto& l : spec.links)
    {
        if (l.a >= nVertices || l.b >= nVertices || l.a == l.b)
        {
            throw std::invalid_argument("topology spec: bad link endpoints");
        }
        if (!(l.rateAtoB > 0 && l.rateBtoA > 0 && l.delayMs >= 0))
        {
            throw std::invalid_argument("topology spec: link rates must be > 0, delays >= 0");
        }
    }

    Ptr<SimulatedNetwork> net = CreateObject<SimulatedNetwork>();
    net->m_spec = spec;
    if (m_rankOf.empty())
    {
        net->m_routers.Create(spec.nRouters);
        net->m_clients.Create(spec.GetNClients());
    }
    else
    {
        if (m_rankOf.size() != nVertices)
        {
            throw std::invalid_argument("topology: " + std::to_string(m_rankOf.size())
                                        + " ranks given for " + std::to_string(nVertices)
                                        + " vertices");
        }
        const uint32_t ranks = *std::max_element(m_rankOf.begin(), m_rankOf.end()) + 1;
        if (ranks > Ranks::Size())
        {
            throw std::invalid_argument("topology: vertices on " + std::to_string(ranks)
                                        + " ranks, but this run has "
                                        + std::to_string(Ranks::Size()) + " (mpirun -np)");
        }
        for (uint32_t v = 0; v < nVertices; ++v)
        {
            (v < spec.nRouters ? net->m_routers : net->m_clients).Create(1, m_rankOf[v]);
        }
    }
    auto node = [&](uint32_t v) {
        return v < spec.nRouters ? net->m_routers.Get(v) : net->m_clients.Get(v - spec.nRouters);
    };

    InternetStackHelper stack;
    stack.SetIpv6StackInstall(false);
    if (m_routing == "nix")
    {
        stack.SetRoutingHelper(Ipv4NixVectorHelper());
    }
    else
    {
        stack.SetRoutingHelper(OverlayRoutingHelper());
    }
    stack.Install(net->m_routers);
    stack.Install(net->m_clients);

    PointToPointHelper p2p;
    p2p.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize",
                 QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, m_queuePackets)));
    net->m_devices.resize(2 * spec.links.size());
    const Ipv4Mask mask("255.255.255.252");
    for (uint32_t k = 0; k < spec.links.size(); ++k)
    {
        const auto& l = spec.links[k];
        // Loss in direction a->b happens on b's receive side, and vice versa.
        Ptr<RateErrorModel> lossAtoB;
        Ptr<RateErrorModel> lossBtoA;
        for (auto [em, loss, stream] :
             {std::tuple{&lossAtoB, l.lossAtoB, m_streamBase + 2 * k},
              std::tuple{&lossBtoA, l.lossBtoA, m_streamBase + 2 * k + 1}})
        {
            if (loss > 0)
            {
                *em = CreateObject<RateErrorModel>();
                (*em)->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
                (*em)->SetRate(loss);
                (*em)->AssignStreams(stream);
            }
        }
        Ptr<NetDevice> da;
        Ptr<NetDevice> db;
        if (m_lean)
        {
            // As PointToPointHelper::Install: addresses, devices added, then the channel.
            auto la = CreateObject<LinkDevice>();
            la->SetAttribute("EventAtEveryTransmitEnd", BooleanValue(m_everyEnd));
            la->SetAddress(Mac48Address::Allocate());
            node(l.a)->AddDevice(la);
            la->SetQueueSize(m_queuePackets);
            auto lb = CreateObject<LinkDevice>();
            lb->SetAttribute("EventAtEveryTransmitEnd", BooleanValue(m_everyEnd));
            lb->SetAddress(Mac48Address::Allocate());
            node(l.b)->AddDevice(lb);
            lb->SetQueueSize(m_queuePackets);
            auto channel = CreateObject<LinkChannel>();
            channel->SetDelay(MilliSeconds(l.delayMs));
            la->Attach(channel);
            lb->Attach(channel);
            la->SetDataRate(DataRate(uint64_t(l.rateAtoB)));
            lb->SetDataRate(DataRate(uint64_t(l.rateBtoA)));
            lb->SetReceiveErrorModel(lossAtoB);
            la->SetReceiveErrorModel(lossBtoA);
            da = la;
            db = lb;
        }
        else
        {
            NetDeviceContainer devs = p2p.Install(node(l.a), node(l.b));
            auto pa = DynamicCast<PointToPointNetDevice>(devs.Get(0));
            auto pb = DynamicCast<PointToPointNetDevice>(devs.Get(1));
            pa->SetDataRate(DataRate(uint64_t(l.rateAtoB)));
            pb->SetDataRate(DataRate(uint64_t(l.rateBtoA)));
            pa->GetChannel()->SetAttribute("Delay", TimeValue(MilliSeconds(l.delayMs)));
            pb->SetReceiveErrorModel(lossAtoB);
            pa->SetReceiveErrorModel(lossBtoA);
            da = pa;
            db = pb;
        }
        for (auto [dev, aSide] : {std::pair{da, true}, std::pair{db, false}})
        {
            Ptr<Ipv4> ipv4 = dev->GetNode()->GetObject<Ipv4>();
            int32_t iface = ipv4->AddInterface(dev);
            ipv4->AddAddress(iface, Ipv4InterfaceAddress(LinkAddress(k, aSide), mask));
            ipv4->SetUp(iface);
        }
        net->m_devices[2 * k] = da;
        net->m_devices[2 * k + 1] = db;
        const bool direct = m_routing == "overlay" && m_directForwarding;
        DeliverToIpv4(da, direct && l.a < spec.nRouters);
        DeliverToIpv4(db, direct && l.b < spec.nRouters);
    }

    // Routes lead to the clients only, as in ModelNet.
    std::vector<std::pair<uint32_t, uint32_t>> pairs;
    pairs.reserve(spec.links.size());
    for (const auto& l : spec.links)
    {
        pairs.emplace_back(l.a, l.b);
    }
    std::vector<uint32_t> destinations;
    for (uint32_t c = 0; c < spec.GetNClients(); ++c)
    {
        destinations.push_back(spec.ClientVertex(c));
    }
    net->m_table = Create<OverlayRouteTable>(nVertices, pairs, destinations);
    std::vector<uint32_t> accessLink(spec.GetNClients(), kMaxLinks + 1);
    for (uint32_t k = 0; k < spec.links.size(); ++k)
    {
        for (uint32_t v : {spec.links[k].a, spec.links[k].b})
        {
            if (v >= spec.nRouters && accessLink[v - spec.nRouters] > kMaxLinks)
            {
                accessLink[v - spec.nRouters] = k;
            }
        }
    }
    for (uint32_t c = 0; c < spec.GetNClients(); ++c)
    {
        if (accessLink[c] > kMaxLinks)
        {
            throw std::invalid_argument("topology spec: client " + std::to_string(c)
                                        + " has no access link");
        }
        bool aSide = spec.links[accessLink[c]].a == spec.ClientVertex(c);
        net->m_clientAddress.push_back(LinkAddress(accessLink[c], aSide));
        net->m_table->SetDestinationAddress(c, net->m_clientAddress.back());
    }
    if (m_routing == "overlay")
    {
        for (uint32_t v = 0; v < nVertices; ++v)
        {
            const auto& nbs = net->m_table->GetNeighbours(v);
            std::vector<Ptr<Ipv4Route>> routes;
            routes.reserve(nbs.size());
            for (const auto& nb : nbs)
            {
                bool aSide = spec.links[nb.link].a == v;
                Ptr<Ipv4Route> r = Create<Ipv4Route>();
                r->SetSource(LinkAddress(nb.link, aSide));
                r->SetGateway(LinkAddress(nb.link, !aSide));
                r->SetOutputDevice(net->GetDevice(nb.link, aSide));
                routes.push_back(r);
            }
            auto routing = DynamicCast<OverlayStaticRouting>(
                node(v)->GetObject<Ipv4>()->GetRoutingProtocol());
            NS_ABORT_MSG_UNLESS(routing, "node " << v << " lacks OverlayStaticRouting");
            routing->Configure(net->m_table, v, std::move(routes));
        }
    }
    NS_LOG_INFO("built " << spec.nRouters << " routers, " << spec.GetNClients() << " clients, "
                         << spec.links.size() << " links");
    return net;
}

} // namespace ns3
