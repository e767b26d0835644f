/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "input-counters.h"

#include "ns3/arp-l3-protocol.h"
#include "ns3/callback.h"
#include "ns3/traffic-control-layer.h"

namespace ns3
{

void
Ipv4DropCounter::Watch(Ptr<Node> node)
{
    Ptr<Ipv4L3Protocol> ipv4 = node->GetObject<Ipv4L3Protocol>();
    if (ipv4)
    {
        ipv4->TraceConnectWithoutContext("Drop", MakeCallback(&Ipv4DropCounter::Dropped, this));
    }
}

std::string
Ipv4DropCounter::ReasonName(Ipv4L3Protocol::DropReason reason)
{
    switch (reason)
    {
        case Ipv4L3Protocol::DROP_TTL_EXPIRED:
            return "ttl_expired";
        case Ipv4L3Protocol::DROP_NO_ROUTE:
            return "no_route";
        case Ipv4L3Protocol::DROP_BAD_CHECKSUM:
            return "bad_checksum";
        case Ipv4L3Protocol::DROP_INTERFACE_DOWN:
            return "interface_down";
        case Ipv4L3Protocol::DROP_ROUTE_ERROR:
            return "route_error";
        case Ipv4L3Protocol::DROP_FRAGMENT_TIMEOUT:
            return "fragment_timeout";
        case Ipv4L3Protocol::DROP_DUPLICATE:
            return "duplicate";
    }
    return "reason_" + std::to_string(int(reason));
}

void
Ipv4DropCounter::Dropped(const Ipv4Header&, Ptr<const Packet>, Ipv4L3Protocol::DropReason reason,
                         Ptr<Ipv4>, uint32_t)
{
    ++m_counts[ReasonName(reason)];
    ++m_total;
}

uint64_t
Ipv4DropCounter::Get(const std::string& reason) const
{
    auto it = m_counts.find(reason);
    return it == m_counts.end() ? 0 : it->second;
}

uint64_t
Ipv4DropCounter::GetTotal() const
{
    return m_total;
}

nlohmann::json
Ipv4DropCounter::ToJson() const
{
    nlohmann::json j = {{"total", m_total}};
    for (const auto& [reason, n] : m_counts)
    {
        j[reason] = n;
    }
    return j;
}

Ptr<Ipv4InputGuard>
Ipv4InputGuard::Install(Ptr<NetDevice> device)
{
    Ptr<Ipv4InputGuard> guard = Create<Ipv4InputGuard>();
    guard->m_node = device->GetNode();
    NS_ABORT_MSG_UNLESS(guard->m_node && guard->m_node->GetObject<TrafficControlLayer>(),
                        "Ipv4InputGuard: the device's node has no internet stack");
    // The node's own receive path (Node::NonPromiscReceiveFromDevice) hands the packet to
    // the traffic-control layer as PACKET_HOST to the device's address; the guard does the
    // same for what it lets through.
    device->SetReceiveCallback(MakeCallback(&Ipv4InputGuard::Receive, guard));
    return guard;
}

std::string
Ipv4InputGuard::Check(Ptr<const Packet> packet)
{
    return Check(packet, [](Ipv4Address) {
        return true;
    });
}

std::string
Ipv4InputGuard::Check(Ptr<const Packet> packet, const std::function<bool(Ipv4Address)>& isLocal)
{
    const uint32_t size = packet->GetSize();
    if (size < 20)
    {
        return "ipv4_truncated";
    }
    uint8_t b[128] = {};
    packet->CopyData(b, std::min<uint32_t>(size, sizeof(b)));
    if ((b[0] >> 4) != 4)
    {
        return "ipv4_version";
    }
    const uint32_t ihl = (b[0] & 0x0f) * 4u;
    if (ihl < 20 || ihl > size)
    {
        return "ipv4_header_length";
    }
    const uint32_t total = (uint32_t(b[2]) << 8) | b[3];
    if (total < ihl || total > size)
    {
        return "ipv4_total_length";
    }
    // A packet the node forwards (the emulator's routers) is the next hop's business, as on
    // a real router: only the IPv4 header, which forwarding parses, is checked.
    const Ipv4Address dst((uint32_t(b[16]) << 24) | (uint32_t(b[17]) << 16) | (uint32_t(b[18]) << 8)
                          | b[19]);
    if (!isLocal(dst))
    {
        return "";
    }
    const uint16_t frag = (uint16_t(b[6]) << 8) | b[7];
    if (frag & 0x3fff) // more fragments, or an offset
    {
        return "ipv4_fragment";
    }
    const uint32_t l4 = total - ihl;
    const uint8_t* h = b + ihl; // ihl <= 60: the first 68 bytes of the L4 part are in b
    switch (b[9])
    {
        case 17: // UDP
        {
            if (l4 < 8)
            {
                return "udp_truncated";
            }
            const uint32_t length = (uint32_t(h[4]) << 8) | h[5];
            if (length < 8 || length > l4)
            {
                return "udp_length";
            }
            break;
        }
        case 6: // TCP
        {
            if (l4 < 20)
            {
                return "tcp_truncated";
            }
            const uint32_t offset = (h[12] >> 4) * 4u;
            if (offset < 20 || offset > l4)
            {
                return "tcp_header_length";
            }
            break;
        }
        case 1: // ICMP: errors (destination unreachable, time exceeded) quote an IPv4 header
                // and 8 bytes, which ns-3 parses
        {
            if (l4 < 8)
            {
                return "icmp_truncated";
            }
            if (h[0] == 3 || h[0] == 11)
            {
                const uint32_t inner = l4 >= 9 ? (h[8] & 0x0f) * 4u : 0;
                if (l4 < 8 + 20 || (h[8] >> 4) != 4 || inner < 20 || l4 < 8 + inner + 8)
                {
                    return "icmp_truncated";
                }
            }
            break;
        }
        default:
            break;
    }
    return "";
}

bool
Ipv4InputGuard::Receive(Ptr<NetDevice> device, Ptr<const Packet> packet, uint16_t protocol,
                        const Address& from)
{
    if (protocol != Ipv4L3Protocol::PROT_NUMBER && protocol != ArpL3Protocol::PROT_NUMBER)
    {
        // The node has handlers for IPv4 and ARP only and would ignore the frame; the
        // traffic-control layer, handed it, aborts.
        ++m_counts["other_ethertype"];
        ++m_dropped;
        return true;
    }
    if (protocol == Ipv4L3Protocol::PROT_NUMBER)
    {
        Ptr<Ipv4L3Protocol> ipv4 = m_node->GetObject<Ipv4L3Protocol>();
        const int32_t iif = ipv4 ? ipv4->GetInterfaceForDevice(device) : -1;
        const std::string why = Check(packet, [&](Ipv4Address dst) {
            return !ipv4 || iif < 0 || ipv4->IsDestinationAddress(dst, uint32_t(iif));
        });
        if (!why.empty())
        {
            ++m_counts[why];
            ++m_dropped;
            return true;
        }
    }
    m_node->GetObject<TrafficControlLayer>()->Receive(device, packet, protocol, from,
                                                      device->GetAddress(), NetDevice::PACKET_HOST);
    return true;
}

uint64_t
Ipv4InputGuard::GetDropped() const
{
    return m_dropped;
}

uint64_t
Ipv4InputGuard::Get(const std::string& reason) const
{
    auto it = m_counts.find(reason);
    return it == m_counts.end() ? 0 : it->second;
}

nlohmann::json
Ipv4InputGuard::ToJson() const
{
    nlohmann::json j = {{"total", m_dropped}};
    for (const auto& [reason, n] : m_counts)
    {
        j[reason] = n;
    }
    return j;
}

} // namespace ns3
