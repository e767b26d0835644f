/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_HOST_ATTACHMENT_H
#define BULLET_HOST_ATTACHMENT_H

#include "ns3/fd-net-device.h"
#include "ns3/ipv4-address.h"
#include "ns3/topology-helper.h"

#include <string>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief The address plan of emulated hosts: host i owns 172.16.0.0/12's i-th /24.
 *
 * The emulator's side (the client node's FdNetDevice) is .1, the real host .2, and an ns-3
 * node running on the host (bullet-node, on the host's own interface) .3; the core routes
 * both host addresses. The simulated core numbers its links from 10.0.0.0/8, so the two
 * never overlap; emulation/hosts-up.sh uses the same plan.
 */
struct EmulatedHostPlan
{
    static constexpr uint32_t kMaxHosts = 4096;
    static constexpr uint32_t kPrefixLength = 24;
    /// \throws std::out_of_range for host >= kMaxHosts
    static Ipv4Address HostAddress(uint32_t host);
    /// \throws std::out_of_range for host >= kMaxHosts
    static Ipv4Address GatewayAddress(uint32_t host);
    /// The address of an ns-3 node running on host \p host (bullet-node): .3.
    /// \throws std::out_of_range for host >= kMaxHosts
    static Ipv4Address NodeAddress(uint32_t host);
    /// The host's subnet mask (/24).
    static Ipv4Mask Mask();
};

/**
 * \ingroup bullet
 * \brief One real host (network namespace or VM) attached to the simulated core.
 */
struct EmulatedHost
{
    uint32_t index{0};
    std::string name; ///< e.g. the network namespace
    std::string tap;  ///< the TAP the emulator reads and writes
    uint32_t client{0};
    Ipv4Address address;
    Ipv4Address gateway;
    uint32_t prefixLength{EmulatedHostPlan::kPrefixLength};
    /// The device the host's frames enter the core through: the client's FdNetDevice
    /// (Attach) or its CSMA device facing TapBridge's ghost node (AttachWithTapBridge).
    Ptr<NetDevice> device;
};

/**
 * \ingroup bullet
 * \brief Puts a real host behind a client node of a SimulatedNetwork.
 *
 * The client node gets an FdNetDevice on the host's TAP, the gateway address of the host's
 * subnet and, in front of its overlay routing, a static routing table that holds the route
 * to that subnet; the rest of the core learns the host's address as an alias of the client
 * (SimulatedNetwork::AddClientAlias), so every router forwards it along the client's
 * precomputed route. The real host routes 172.16.0.0/12 via the gateway.
 */
class HostAttachmentHelper
{
  public:
    /**
     * \param net the simulated core, built with overlay routing
     * \param host index, name, tap, client, address, gateway and prefixLength filled in
     * \param fd an open TAP file descriptor (OpenTap); the device owns it from now on
     * \returns the host with its device
     */
    EmulatedHost Attach(Ptr<SimulatedNetwork> net, EmulatedHost host, int fd) const;

    /**
     * As Attach(), through ns-3's own TapBridge (UseBridge mode, as for VMs on a bridge):
     * TapBridge's creator program opens the host's TAP (which must exist, on its bridge); a
     * ghost node's CSMA device, bridged to it, shares a CSMA link with the client node, whose
     * CSMA device holds the gateway address. The host's frames keep their MAC addresses.
     * \param net the simulated core, built with overlay routing
     * \param host as for Attach()
     * \returns the host, its device the client's CSMA device
     * \throws std::runtime_error if TapBridge's creator program is missing (TapBridgeCreator)
     */
    EmulatedHost AttachWithTapBridge(Ptr<SimulatedNetwork> net, EmulatedHost host) const;

    /**
     * The creator program the linked ns-3's TapBridge runs (its path is compiled into
     * libns3-tap-bridge), found by reading that library.
     * \param why set to what is wrong when it returns ""
     * \returns the program's path if it exists and is executable, else ""
     */
    static std::string TapBridgeCreator(std::string& why);

  private:
    /// TapBridgeCreator()'s search, which it caches.
    static std::string FindTapBridgeCreator(std::string& why);
    /// Gives \p dev of the client node the host's gateway address and the route to its
    /// subnet, and makes the core route the host's addresses to the client.
    void Gateway(Ptr<SimulatedNetwork> net, const EmulatedHost& host, Ptr<NetDevice> dev) const;
};

} // namespace ns3

#endif // BULLET_HOST_ATTACHMENT_H
