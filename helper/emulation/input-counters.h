/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_INPUT_COUNTERS_H
#define BULLET_INPUT_COUNTERS_H

#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simple-ref-count.h"

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Counts the packets real hosts hand emulated nodes that the nodes' IPv4 layer
 * drops, by reason: a bad header checksum, no route, an expired TTL, ...
 *
 * The emulator and bullet-node run with checksums on, so a real host's malformed IPv4
 * packet ends here instead of in a protocol; the counts go into their JSON reports.
 */
class Ipv4DropCounter
{
  public:
    /**
     * \brief Counts \p node's IPv4 drops from now on (its Ipv4L3Protocol's Drop trace).
     *
     * The counter must outlive the simulation. A node without IPv4 is ignored.
     */
    void Watch(Ptr<Node> node);
    /// Drops of \p reason ("bad_checksum", "no_route", "ttl_expired", ...) so far.
    uint64_t Get(const std::string& reason) const;
    /// Every drop so far.
    uint64_t GetTotal() const;
    /// {"total": n, "<reason>": n, ...} (reasons with at least one drop).
    nlohmann::json ToJson() const;
    /// The JSON key of \p reason.
    static std::string ReasonName(Ipv4L3Protocol::DropReason reason);

  private:
    void Dropped(const Ipv4Header& header, Ptr<const Packet> packet,
                 Ipv4L3Protocol::DropReason reason, Ptr<Ipv4> ipv4, uint32_t interface);

    std::map<std::string, uint64_t> m_counts;
    uint64_t m_total{0};
};

/**
 * \ingroup bullet
 * \brief Stands between a real network's device and the node's IPv4: drops IPv4 packets
 * whose headers contradict their size before ns-3 parses them, and counts them by reason.
 *
 * ns-3's internet stack trusts what its own nodes send: a real host's IPv4 packet with an
 * ICMP header cut short makes Icmpv4L4Protocol read past the packet (a crash, found with
 * test/emulation-bad-input.py). The guard checks, before the traffic-control layer and
 * IPv4 see a packet: the IPv4 version, header length and total length against the bytes
 * that came; for packets to the node itself (not those it forwards), no fragments (the module's
 * protocols never send any over the emulated network); and that the UDP, TCP or ICMP header (with
 * the IPv4 header and 8 bytes an ICMP error quotes) is all there. Checksums stay IPv4's and TCP's
 * business (Ipv4DropCounter). ARP passes unchanged; frames of any other EtherType are dropped
 * (counted as "other_ethertype"), as the node, with handlers for IPv4 and ARP only, would drop
 * them.
 */
class Ipv4InputGuard : public SimpleRefCount<Ipv4InputGuard>
{
  public:
    /**
     * \brief Puts a guard on \p device, which must be on a node with the internet stack
     * (and its traffic-control layer) installed. The device keeps the guard alive.
     */
    static Ptr<Ipv4InputGuard> Install(Ptr<NetDevice> device);
    /**
     * \brief Why the IPv4 packet \p packet (as a device hands it up, without its Ethernet
     * header) must not reach ns-3's IPv4, or "" if it may: "ipv4_truncated",
     * "ipv4_version", "ipv4_header_length", "ipv4_total_length", "ipv4_fragment",
     * "udp_truncated", "udp_length", "tcp_truncated", "tcp_header_length",
     * "icmp_truncated".
     */
    static std::string Check(Ptr<const Packet> packet);
    /**
     * \brief As Check(packet), but for a packet whose destination \p isLocal says is not
     * the node's own (one it forwards), only the IPv4 header is checked, as a router would.
     */
    static std::string Check(Ptr<const Packet> packet,
                             const std::function<bool(Ipv4Address)>& isLocal);
    /// Packets dropped so far.
    uint64_t GetDropped() const;
    /// Packets dropped for \p reason so far.
    uint64_t Get(const std::string& reason) const;
    /// {"total": n, "<reason>": n, ...}
    nlohmann::json ToJson() const;

  private:
    bool Receive(Ptr<NetDevice> device, Ptr<const Packet> packet, uint16_t protocol,
                 const Address& from);

    Ptr<Node> m_node;
    std::map<std::string, uint64_t> m_counts;
    uint64_t m_dropped{0};
};

} // namespace ns3

#endif // BULLET_INPUT_COUNTERS_H
