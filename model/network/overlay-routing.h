/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_OVERLAY_ROUTING_H
#define BULLET_OVERLAY_ROUTING_H

#include "link-device.h"

#include "ns3/ipv4-address.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/net-device-queue-interface.h"
#include "ns3/simple-ref-count.h"

#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Precomputed min-hop routes towards a set of destinations (the overlay's hosts).
 *
 * ModelNet precomputed routes only between its virtual nodes; this does the same. One BFS
 * per destination over the physical graph stores, for every vertex, which of its neighbours
 * is one hop closer (an adjacency index, two bytes). Memory is destinations x vertices x 2 B:
 * 42 MB for 1,000 hosts on a 20,000-router topology, where global routing would need
 * tables on every router and Nix-vector a BFS per source/destination pair. A hub with 65,534
 * or more links (INET's largest at 100,000 routers has 72,384) keeps the indices two bytes
 * cannot hold in a side table.
 */
class OverlayRouteTable : public SimpleRefCount<OverlayRouteTable>
{
  public:
    static constexpr uint32_t kNoRoute = 0xffffffff;

    struct Neighbour
    {
        uint32_t vertex;
        uint32_t link;
    };

    /**
     * \param nVertices vertices are 0..nVertices-1
     * \param links undirected links (a, b); a link's index is its position
     * \param destinations the vertices routes lead to
     */
    OverlayRouteTable(uint32_t nVertices, const std::vector<std::pair<uint32_t, uint32_t>>& links,
                      const std::vector<uint32_t>& destinations);

    uint32_t GetNDestinations() const;
    uint32_t GetDestinationVertex(uint32_t dest) const;
    const std::vector<Neighbour>& GetNeighbours(uint32_t vertex) const;

    /// Index into GetNeighbours(vertex) of the next hop to \p dest; kNoRoute at dest itself
    /// or when dest is unreachable.
    uint32_t GetNextHop(uint32_t dest, uint32_t vertex) const;
    /// Links (indices) from \p vertex to destination \p dest, in order; empty if none.
    std::vector<uint32_t> GetPath(uint32_t vertex, uint32_t dest) const;

    /// Registers the address packets for \p dest carry.
    void SetDestinationAddress(uint32_t dest, Ipv4Address address);
    /// The destination an address belongs to, or -1.
    int64_t FindDestination(Ipv4Address address) const;

  private:
    uint32_t m_nVertices;
    std::vector<std::vector<Neighbour>> m_adjacency;
    std::vector<uint32_t> m_destinations;
    static constexpr uint16_t kStoredNoRoute = 0xffff;
    static constexpr uint16_t kStoredWide = 0xfffe; ///< the index is in m_wideHops
    /// [vertex * destinations + dest]: a hub's row stays in cache for all destinations
    std::vector<uint16_t> m_nextHop;
    /// [vertex * destinations + dest] -> index, for indices from kStoredWide up
    std::unordered_map<size_t, uint32_t> m_wideHops;
    /// An address and its destination + 1 (0: an empty slot).
    struct AddressSlot
    {
        uint32_t address{0};
        uint32_t destPlusOne{0};
    };
    /// The slot holding \p address, or the empty one where it would go.
    uint32_t SlotOf(uint32_t address) const;
    /// Address -> destination by open addressing (every forwarded hop looks one up; a
    /// std::unordered_map took a division and two dependent cache misses).
    std::vector<AddressSlot> m_addressSlots;
    uint32_t m_slotShift{32}; ///< 32 - log2(m_addressSlots.size())
    uint32_t m_nAddresses{0}; ///< slots in use
};

/**
 * \ingroup bullet
 * \brief IPv4 routing over an OverlayRouteTable shared by every node of a simulated network.
 *
 * Each node knows its vertex and one route per neighbour; a lookup is a hash of the
 * destination address and one array read, whatever the node's degree.
 */
class OverlayStaticRouting
    : public Ipv4RoutingProtocol
    , public LinkDevice::Forwarder
{
  public:
    static TypeId GetTypeId();

    /**
     * \param table the shared route table
     * \param vertex this node's vertex in the table
     * \param routes one route per entry of table->GetNeighbours(vertex), same order
     */
    void Configure(Ptr<const OverlayRouteTable> table, uint32_t vertex,
                   std::vector<Ptr<Ipv4Route>> routes);

    Ptr<Ipv4Route> RouteOutput(Ptr<Packet> p, const Ipv4Header& header, Ptr<NetDevice> oif,
                               Socket::SocketErrno& sockerr) override;
    bool RouteInput(Ptr<const Packet> p, const Ipv4Header& header, Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb, MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb, ErrorCallback ecb) override;
    void NotifyInterfaceUp(uint32_t interface) override;
    void NotifyInterfaceDown(uint32_t interface) override;
    void NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void SetIpv4(Ptr<Ipv4> ipv4) override;
    void PrintRoutingTable(Ptr<OutputStreamWrapper> stream,
                           Time::Unit unit = Time::S) const override;

    /**
     * \brief Forwards a packet a router received on \p in towards a client, at the link
     * layer, as IPv4 would: the same packet (TTL one less) leaves on the same device at the
     * same instant, or is dropped where IPv4 and traffic control would drop it.
     *
     * What it skips is IPv4's and the traffic control layer's bookkeeping around that one
     * decision (their per-packet callbacks and copies, three lookups of a device in maps
     * with an entry per link at a hub) and their traces (Rx, UnicastForward, Tx and Drop of
     * Ipv4L3Protocol, Drop of TrafficControlLayer) on the router. It declines, and IPv4
     * handles the packet, whenever anything else could happen: a packet for this node or
     * for an address without an overlay route, a TTL that expires here, a packet that needs
     * fragmenting, an interface that is down or does not forward, checksums enabled.
     * \param in the device the packet arrived on (one of this node's links)
     * \param packet the packet as the device delivered it, IPv4 header first
     * \returns true if the packet was handled (sent or dropped), false to hand it to IPv4
     */
    bool ForwardDirectly(Ptr<NetDevice> in, Ptr<const Packet> packet);

    /**
     * \brief ForwardDirectly for a LinkDevice's arrival, while this is still its node's
     * routing protocol. A packet nothing else refers to (\p exclusive) goes on itself, its
     * header rewritten in place, instead of a copy: one allocation less per hop.
     * \param in the device the packet arrived on
     * \param packet the arriving packet
     * \param exclusive nothing else refers to \p packet
     * \returns as ForwardDirectly
     */
    bool ForwardArrival(NetDevice* in, Ptr<Packet>& packet, bool exclusive) override;

  protected:
    void DoDispose() override;

  private:
    /// The route to \p dest's next hop, or null.
    Ptr<Ipv4Route> Lookup(Ipv4Address dest, bool& isSelf) const;
    /// ForwardDirectly's work: \p packet itself goes on if \p inPlace, else a copy.
    bool Forward(NetDevice* in, const Ptr<const Packet>& packet, bool inPlace);
    /// Ipv4::GetInterfaceForDevice, remembered per device index.
    int32_t InterfaceOf(Ptr<const NetDevice> device);

    /// What ForwardDirectly needs of a route's device, looked up once. The objects belong
    /// to the node and live as long as this (DoDispose forgets them).
    struct Hop
    {
        bool checked{false};        ///< looked up
        NetDevice* device{nullptr}; ///< null: not a device to forward on directly
        int32_t ifaceIndex{-1};     ///< its IPv4 interface's index
        bool up{false}; ///< that interface is up (IPv4's state, kept by the notifications)
        NetDeviceQueue* txq{nullptr}; ///< its only transmit queue (null: none)
        Address broadcast;            ///< its broadcast address (what IPv4 sends to on it)
    };

    /// Route \p hop's device, if packets may leave on it directly (else null).
    const Hop* HopOf(uint32_t hop);
    /// The IPv4 interface of \p device (null: none), remembered per device index.
    Ipv4Interface* InterfacePtr(const NetDevice* device);
    /// Records in the hops through interface \p ifaceIndex that it went up or down.
    void SetHopsUp(uint32_t ifaceIndex, bool up);

    Ptr<Ipv4> m_ipv4;
    std::vector<int32_t> m_interfaceOf;     ///< by device index; -1 not known yet
    std::vector<Ipv4Interface*> m_ifacePtr; ///< by device index; null not known yet
    std::vector<Hop> m_hops;                ///< by route
    bool m_checksums{false};                ///< Node::ChecksumEnabled(), at Configure
    Ptr<const OverlayRouteTable> m_table;
    uint32_t m_vertex{0};
    std::vector<Ptr<Ipv4Route>> m_routes;
};

} // namespace ns3

#endif // BULLET_OVERLAY_ROUTING_H
