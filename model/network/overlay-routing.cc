/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "overlay-routing.h"

#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/output-stream-wrapper.h"
#include "ns3/queue-disc.h"
#include "ns3/socket.h"
#include "ns3/traffic-control-layer.h"

#include <algorithm>
#include <queue>
#include <stdexcept>
#include <string>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("OverlayStaticRouting");

OverlayRouteTable::OverlayRouteTable(uint32_t nVertices,
                                     const std::vector<std::pair<uint32_t, uint32_t>>& links,
                                     const std::vector<uint32_t>& destinations)
    : m_nVertices(nVertices)
    , m_adjacency(nVertices)
    , m_destinations(destinations)
    , m_nextHop(size_t(destinations.size()) * nVertices, kStoredNoRoute)
{
    for (uint32_t k = 0; k < links.size(); ++k)
    {
        auto [a, b] = links[k];
        if (a >= nVertices || b >= nVertices)
        {
            throw std::invalid_argument("route table: link endpoint out of range");
        }
        m_adjacency[a].push_back({b, k});
        m_adjacency[b].push_back({a, k});
    }
    // BFS outwards from each destination: a vertex reached from u routes through u. The
    // adjacency index of u at that vertex is found through the link index.
    std::vector<uint32_t> frontier;
    std::vector<uint32_t> next;
    const size_t nDest = destinations.size();
    for (uint32_t d = 0; d < destinations.size(); ++d)
    {
        uint16_t* hop = &m_nextHop[d];
        std::vector<bool> seen(nVertices, false);
        seen[destinations[d]] = true;
        frontier.assign(1, destinations[d]);
        while (!frontier.empty())
        {
            next.clear();
            for (uint32_t u : frontier)
            {
                for (const auto& nb : m_adjacency[u])
                {
                    if (seen[nb.vertex])
                    {
                        continue;
                    }
                    seen[nb.vertex] = true;
                    const auto& back = m_adjacency[nb.vertex];
                    for (uint32_t i = 0; i < back.size(); ++i)
                    {
                        if (back[i].link == nb.link)
                        {
                            if (i < kStoredWide)
                            {
                                hop[size_t(nb.vertex) * nDest] = uint16_t(i);
                            }
                            else
                            {
                                hop[size_t(nb.vertex) * nDest] = kStoredWide;
                                m_wideHops[size_t(nb.vertex) * nDest + d] = i;
                            }
                            break;
                        }
                    }
                    next.push_back(nb.vertex);
                }
            }
            frontier.swap(next);
        }
    }
}

uint32_t
OverlayRouteTable::GetNDestinations() const
{
    return m_destinations.size();
}

uint32_t
OverlayRouteTable::GetDestinationVertex(uint32_t dest) const
{
    return m_destinations.at(dest);
}

const std::vector<OverlayRouteTable::Neighbour>&
OverlayRouteTable::GetNeighbours(uint32_t vertex) const
{
    return m_adjacency.at(vertex);
}

uint32_t
OverlayRouteTable::GetNextHop(uint32_t dest, uint32_t vertex) const
{
    const size_t at = size_t(vertex) * m_destinations.size() + dest;
    const uint16_t hop = m_nextHop[at];
    if (hop < kStoredWide)
    {
        return hop;
    }
    return hop == kStoredNoRoute ? kNoRoute : m_wideHops.at(at);
}

std::vector<uint32_t>
OverlayRouteTable::GetPath(uint32_t vertex, uint32_t dest) const
{
    std::vector<uint32_t> path;
    uint32_t at = vertex;
    while (at != m_destinations.at(dest))
    {
        const uint32_t hop = GetNextHop(dest, at);
        if (hop == kNoRoute || path.size() > m_nVertices)
        {
            return {};
        }
        path.push_back(m_adjacency[at][hop].link);
        at = m_adjacency[at][hop].vertex;
    }
    return path;
}

uint32_t
OverlayRouteTable::SlotOf(uint32_t address) const
{
    // Fibonacci hashing: the top bits of the product (client addresses differ in their low
    // bits); then linear probing to the address or an empty slot.
    const uint32_t mask = m_addressSlots.size() - 1;
    uint32_t slot = (address * 0x9e3779b1u) >> m_slotShift;
    while (m_addressSlots[slot].destPlusOne != 0 && m_addressSlots[slot].address != address)
    {
        slot = (slot + 1) & mask;
    }
    return slot;
}

void
OverlayRouteTable::SetDestinationAddress(uint32_t dest, Ipv4Address address)
{
    if (dest >= m_destinations.size())
    {
        throw std::invalid_argument("route table: no destination " + std::to_string(dest));
    }
    if (2 * (m_nAddresses + 1) > m_addressSlots.size())
    {
        // At most half full: a lookup reads one slot, rarely two.
        std::vector<AddressSlot> old;
        old.swap(m_addressSlots);
        const uint32_t size = std::max<uint32_t>(16, 2 * old.size());
        m_addressSlots.assign(size, AddressSlot());
        m_slotShift = 32 - __builtin_ctz(size);
        for (const AddressSlot& a : old)
        {
            if (a.destPlusOne != 0)
            {
                m_addressSlots[SlotOf(a.address)] = a;
            }
        }
    }
    AddressSlot& slot = m_addressSlots[SlotOf(address.Get())];
    if (slot.destPlusOne == 0)
    {
        ++m_nAddresses;
    }
    slot.address = address.Get();
    slot.destPlusOne = dest + 1;
}

int64_t
OverlayRouteTable::FindDestination(Ipv4Address address) const
{
    if (m_addressSlots.empty())
    {
        return -1;
    }
    const AddressSlot& slot = m_addressSlots[SlotOf(address.Get())];
    return slot.destPlusOne == 0 ? -1 : int64_t(slot.destPlusOne) - 1;
}

NS_OBJECT_ENSURE_REGISTERED(OverlayStaticRouting);

TypeId
OverlayStaticRouting::GetTypeId()
{
    static TypeId tid = TypeId("ns3::OverlayStaticRouting")
                            .SetParent<Ipv4RoutingProtocol>()
                            .SetGroupName("Bullet")
                            .AddConstructor<OverlayStaticRouting>();
    return tid;
}

void
OverlayStaticRouting::Configure(Ptr<const OverlayRouteTable> table, uint32_t vertex,
                                std::vector<Ptr<Ipv4Route>> routes)
{
    NS_ASSERT(routes.size() == table->GetNeighbours(vertex).size());
    m_table = table;
    m_vertex = vertex;
    m_routes = std::move(routes);
    m_hops.assign(m_routes.size(), Hop());
    m_checksums = Node::ChecksumEnabled();
}

Ptr<Ipv4Route>
OverlayStaticRouting::Lookup(Ipv4Address dest, bool& isSelf) const
{
    isSelf = false;
    if (!m_table)
    {
        return nullptr;
    }
    int64_t d = m_table->FindDestination(dest);
    if (d < 0)
    {
        return nullptr;
    }
    const uint32_t hop = m_table->GetNextHop(d, m_vertex);
    if (hop == OverlayRouteTable::kNoRoute)
    {
        isSelf = m_table->GetDestinationVertex(d) == m_vertex;
        return nullptr;
    }
    return m_routes[hop];
}

Ptr<Ipv4Route>
OverlayStaticRouting::RouteOutput(Ptr<Packet> p, const Ipv4Header& header, Ptr<NetDevice> oif,
                                  Socket::SocketErrno& sockerr)
{
    bool isSelf;
    Ptr<Ipv4Route> route = Lookup(header.GetDestination(), isSelf);
    if (!route || (oif && route->GetOutputDevice() != oif))
    {
        NS_LOG_LOGIC("no route from vertex " << m_vertex << " to " << header.GetDestination());
        sockerr = Socket::ERROR_NOROUTETOHOST;
        return nullptr;
    }
    sockerr = Socket::ERROR_NOTERROR;
    return route;
}

bool
OverlayStaticRouting::RouteInput(Ptr<const Packet> p, const Ipv4Header& header,
                                 Ptr<const NetDevice> idev, UnicastForwardCallback ucb,
                                 MulticastForwardCallback mcb, LocalDeliverCallback lcb,
                                 ErrorCallback ecb)
{
    int32_t iif = InterfaceOf(idev);
    bool isSelf;
    Ptr<Ipv4Route> route = Lookup(header.GetDestination(), isSelf);
    // Overlay hosts are known destinations, so a router never scans its (possibly thousands
    // of) interfaces for them; anything else falls back to Ipv4's own check.
    if (isSelf || (!route && m_ipv4->IsDestinationAddress(header.GetDestination(), iif)))
    {
        if (lcb.IsNull())
        {
            return false;
        }
        lcb(p, header, iif);
        return true;
    }
    if (!route)
    {
        return false; // Ipv4L3Protocol drops it with DROP_NO_ROUTE
    }
    if (!m_ipv4->IsForwarding(iif))
    {
        ecb(p, header, Socket::ERROR_NOROUTETOHOST);
        return true;
    }
    ucb(route, p, header);
    return true;
}

Ipv4Interface*
OverlayStaticRouting::InterfacePtr(const NetDevice* device)
{
    const uint32_t index = device->GetIfIndex();
    if (index < m_ifacePtr.size() && m_ifacePtr[index])
    {
        return m_ifacePtr[index];
    }
    const int32_t iif = InterfaceOf(Ptr<const NetDevice>(device));
    auto l3 = DynamicCast<Ipv4L3Protocol>(m_ipv4);
    if (iif < 0 || !l3)
    {
        return nullptr;
    }
    if (index >= m_ifacePtr.size())
    {
        m_ifacePtr.resize(index + 1, nullptr);
    }
    m_ifacePtr[index] = PeekPointer(l3->GetInterface(iif));
    return m_ifacePtr[index];
}

const OverlayStaticRouting::Hop*
OverlayStaticRouting::HopOf(uint32_t hop)
{
    Hop& h = m_hops[hop];
    if (!h.checked)
    {
        h.checked = true;
        // Only a device the traffic control layer would pass packets straight to: no queue
        // disc, and one transmit queue (so no priority tags) or none (a LinkDevice: the
        // device itself drops what its queue cannot take).
        Ptr<NetDevice> dev = m_routes[hop]->GetOutputDevice();
        auto ndqi = dev->GetObject<NetDeviceQueueInterface>();
        auto tc = dev->GetNode()->GetObject<TrafficControlLayer>();
        Ipv4Interface* iface = InterfacePtr(PeekPointer(dev));
        if ((!ndqi || ndqi->GetNTxQueues() == 1) && tc && !tc->GetRootQueueDiscOnDevice(dev)
            && iface)
        {
            h.device = PeekPointer(dev);
            h.ifaceIndex = InterfaceOf(dev);
            h.up = iface->IsUp();
            h.txq = ndqi ? PeekPointer(ndqi->GetTxQueue(0)) : nullptr;
            h.broadcast = dev->GetBroadcast();
        }
    }
    return h.device ? &h : nullptr;
}

bool
OverlayStaticRouting::ForwardDirectly(Ptr<NetDevice> in, Ptr<const Packet> packet)
{
    return Forward(PeekPointer(in), packet, false);
}

bool
OverlayStaticRouting::ForwardArrival(NetDevice* in, Ptr<Packet>& packet, bool exclusive)
{
    if (!m_ipv4 || PeekPointer(m_ipv4->GetRoutingProtocol()) != this)
    {
        return false; // replaced: the node's routing decides
    }
    return Forward(in, packet, exclusive);
}

bool
OverlayStaticRouting::Forward(NetDevice* in, const Ptr<const Packet>& packet, bool inPlace)
{
    if (!m_table || !m_ipv4 || m_checksums)
    {
        return false;
    }
    Ipv4Header header;
    if (packet->PeekHeader(header) != 20 || header.GetTtl() <= 1
        || header.GetPayloadSize() + 20u != packet->GetSize())
    {
        return false; // options, a TTL that expires here (ICMP), padding: IPv4's business
    }
    int64_t d = m_table->FindDestination(header.GetDestination());
    if (d < 0)
    {
        return false;
    }
    const uint32_t next = m_table->GetNextHop(d, m_vertex);
    if (next == OverlayRouteTable::kNoRoute)
    {
        return false; // for this node, or unreachable
    }
    const Hop* hop = HopOf(next);
    Ipv4Interface* inIface = InterfacePtr(in);
    // The outgoing interface's state is the hop's copy (kept by NotifyInterfaceUp and
    // Down): one object less to touch per hop. The incoming one's forwarding flag has no
    // notification, so that interface is asked.
    if (!hop || !inIface || !inIface->IsUp() || !inIface->IsForwarding() || !hop->up
        || packet->GetSize() > hop->device->GetMtu())
    {
        return false;
    }
    if (hop->txq && hop->txq->IsStopped())
    {
        return true; // the traffic control layer drops what a full device queue cannot take
    }
    // What Ipv4L3Protocol::IpForward and the traffic control layer do to the packet: one
    // hop less to live; no priority tag (a single-queue device drops it); the header back.
    // The header was parsed once above (PeekHeader): drop its bytes rather than parse them
    // again (RemoveHeader deserialised every forwarded packet a second time). A packet
    // nobody else refers to is rewritten itself (its buffer, unless shared with another
    // packet, takes the header back in place); any other is copied first, as IPv4 does.
    Ptr<Packet> p = inPlace ? ConstCast<Packet>(packet) : packet->Copy();
    p->RemoveAtStart(20);
    header.SetTtl(header.GetTtl() - 1);
    SocketPriorityTag priority;
    p->RemovePacketTag(priority);
    p->AddHeader(header);
    hop->device->Send(p, hop->broadcast, Ipv4L3Protocol::PROT_NUMBER);
    return true;
}

int32_t
OverlayStaticRouting::InterfaceOf(Ptr<const NetDevice> device)
{
    // Ipv4L3Protocol::GetInterfaceForDevice is a map lookup, with a cache miss per level at
    // a hub with thousands of devices; a device's interface never changes once it has one.
    const uint32_t index = device->GetIfIndex();
    if (index < m_interfaceOf.size() && m_interfaceOf[index] >= 0)
    {
        return m_interfaceOf[index];
    }
    const int32_t iif = m_ipv4->GetInterfaceForDevice(device);
    if (iif >= 0)
    {
        if (index >= m_interfaceOf.size())
        {
            m_interfaceOf.resize(index + 1, -1);
        }
        m_interfaceOf[index] = iif;
    }
    return iif;
}

void
OverlayStaticRouting::NotifyInterfaceUp(uint32_t interface)
{
    // Ipv4L3Protocol::SetUp and SetDown change the interface, then tell its routing.
    SetHopsUp(interface, true);
}

void
OverlayStaticRouting::NotifyInterfaceDown(uint32_t interface)
{
    SetHopsUp(interface, false);
}

void
OverlayStaticRouting::SetHopsUp(uint32_t ifaceIndex, bool up)
{
    for (Hop& h : m_hops)
    {
        if (h.ifaceIndex == int32_t(ifaceIndex))
        {
            h.up = up;
        }
    }
}

void
OverlayStaticRouting::NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
}

void
OverlayStaticRouting::NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
}

void
OverlayStaticRouting::SetIpv4(Ptr<Ipv4> ipv4)
{
    m_ipv4 = ipv4;
    m_interfaceOf.clear();
    m_ifacePtr.clear();
    m_hops.assign(m_routes.size(), Hop());
}

void
OverlayStaticRouting::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const
{
    std::ostream& os = *stream->GetStream();
    os << "OverlayStaticRouting: vertex " << m_vertex << ", " << m_routes.size() << " neighbours, "
       << (m_table ? m_table->GetNDestinations() : 0) << " destinations\n";
    if (!m_table)
    {
        return;
    }
    for (uint32_t d = 0; d < m_table->GetNDestinations(); ++d)
    {
        const uint32_t hop = m_table->GetNextHop(d, m_vertex);
        os << "  to vertex " << m_table->GetDestinationVertex(d) << ": ";
        if (hop == OverlayRouteTable::kNoRoute)
        {
            os << "-\n";
        }
        else
        {
            os << "via " << m_routes[hop]->GetGateway() << " dev "
               << m_routes[hop]->GetOutputDevice()->GetIfIndex() << "\n";
        }
    }
}

void
OverlayStaticRouting::DoDispose()
{
    m_ipv4 = nullptr;
    m_interfaceOf.clear();
    m_ifacePtr.clear();
    m_hops.clear();
    m_table = nullptr;
    m_routes.clear();
    Ipv4RoutingProtocol::DoDispose();
}

} // namespace ns3
