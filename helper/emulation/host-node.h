/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_HOST_NODE_H
#define BULLET_HOST_NODE_H

#include "ns3/fd-net-device.h"
#include "ns3/ipv4-address.h"
#include "ns3/mac48-address.h"
#include "ns3/node.h"

#include <string>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Opens a raw packet socket on the network interface \p name of the caller's network
 * namespace, ready for FdNetDevice::SetFileDescriptor (DIX framing): what EmuFdNetDevice
 * gets from its setuid helper, opened in-process (Debian's helper path is broken,
 * doc/emulation.md).
 *
 * The socket (AF_PACKET, SOCK_RAW, ETH_P_ALL) is bound to the interface, puts it in
 * promiscuous mode (the ns-3 node has a MAC address of its own) and ignores frames the
 * namespace's own kernel sends (PACKET_IGNORE_OUTGOING), so the node reads only what arrives
 * on the wire.
 *
 * \param name the interface, e.g. "eth0" of a namespace made by emulation/hosts-up.sh
 * \returns the file descriptor
 * \throws std::runtime_error saying what failed (no root, no such interface, ...)
 */
int OpenPacketSocket(const std::string& name);

/**
 * \ingroup bullet
 * \brief A real host's ns-3 node: one node with the Internet stack whose only device is an
 * FdNetDevice on a real interface (a packet socket on the host's Ethernet, or a TAP), with
 * its own address and MAC and a default route to the gateway.
 *
 * This is how bullet-node runs one of the module's protocols on a network namespace or a VM:
 * the host's kernel keeps its own address (EmulatedHostPlan::HostAddress, .2) and the node
 * takes EmulatedHostPlan::NodeAddress (.3), so the kernel never answers for it.
 */
struct HostNodeConfig
{
    Ipv4Address address;            ///< the node's address
    Ipv4Mask mask{"255.255.255.0"}; ///< of the host's subnet
    Ipv4Address gateway;            ///< next hop of the default route (the emulator's side)
    Mac48Address mac;               ///< the node's MAC; must be unique on the host's segment

    /**
     * Parses "A.B.C.D/LEN" (LEN 8..30; default 24) into address and mask, and sets gateway
     * to the subnet's .1 and mac to HostNodeMac(address).
     * \throws std::invalid_argument with the reason for a malformed value
     */
    static HostNodeConfig FromCidr(const std::string& cidr);
};

/// A locally administered MAC derived from an IPv4 address: 02:00:a:b:c:d for a.b.c.d.
Mac48Address HostNodeMac(Ipv4Address address);

/**
 * \ingroup bullet
 * \brief Builds a HostNodeConfig's node on file descriptor \p fd.
 * \param config address, mask, gateway, MAC
 * \param fd an open packet socket (OpenPacketSocket) or TAP; the device owns it from now on
 * \param[out] device the node's FdNetDevice (may be null)
 * \returns the node
 */
Ptr<Node> CreateHostNode(const HostNodeConfig& config, int fd, Ptr<FdNetDevice>* device = nullptr);

} // namespace ns3

#endif // BULLET_HOST_NODE_H
