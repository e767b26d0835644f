/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "host-attachment.h"

#include "ns3/ipv4-list-routing.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/mac48-address.h"

#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("HostAttachment");

namespace
{

constexpr uint32_t kHostBase = 0xac100000; // 172.16.0.0

uint32_t
Subnet(uint32_t host)
{
    if (host >= EmulatedHostPlan::kMaxHosts)
    {
        throw std::out_of_range("at most " + std::to_string(EmulatedHostPlan::kMaxHosts)
                                + " emulated hosts (one /24 each in 172.16.0.0/12)");
    }
    return kHostBase + (host << 8);
}

} // namespace

Ipv4Address
EmulatedHostPlan::HostAddress(uint32_t host)
{
    return Ipv4Address(Subnet(host) + 2);
}

Ipv4Address
EmulatedHostPlan::GatewayAddress(uint32_t host)
{
    return Ipv4Address(Subnet(host) + 1);
}

Ipv4Address
EmulatedHostPlan::NodeAddress(uint32_t host)
{
    return Ipv4Address(Subnet(host) + 3);
}

Ipv4Mask
EmulatedHostPlan::Mask()
{
    return Ipv4Mask("255.255.255.0");
}

EmulatedHost
HostAttachmentHelper::Attach(Ptr<SimulatedNetwork> net, EmulatedHost host, int fd) const
{
    if (host.client >= net->GetNClients())
    {
        throw std::invalid_argument("host " + host.name + ": topology has no client "
                                    + std::to_string(host.client));
    }
    Ptr<Node> node = net->GetClient(host.client);
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();

    // Static routes first (the host's subnet), the overlay's precomputed routes after.
    Ptr<Ipv4RoutingProtocol> current = ipv4->GetRoutingProtocol();
    if (!DynamicCast<Ipv4ListRouting>(current))
    {
        Ptr<Ipv4ListRouting> list = CreateObject<Ipv4ListRouting>();
        list->AddRoutingProtocol(CreateObject<Ipv4StaticRouting>(), 10);
        list->AddRoutingProtocol(current, 0);
        ipv4->SetRoutingProtocol(list);
    }

    Ptr<FdNetDevice> dev = CreateObject<FdNetDevice>();
    dev->SetAddress(Mac48Address::Allocate());
    dev->SetEncapsulationMode(FdNetDevice::DIX);
    dev->SetFileDescriptor(fd);
    node->AddDevice(dev);
    int32_t iface = ipv4->AddInterface(dev);
    Ipv4Mask mask(("/" + std::to_string(host.prefixLength)).c_str());
    ipv4->AddAddress(iface, Ipv4InterfaceAddress(host.gateway, mask));
    ipv4->SetForwarding(iface, true);
    ipv4->SetUp(iface);
    net->AddClientAlias(host.client, host.address);
    // An ns-3 node on the host (bullet-node) has the next address of the host's subnet.
    if (host.address.Get() + 1 != host.gateway.Get())
    {
        net->AddClientAlias(host.client, Ipv4Address(host.address.Get() + 1));
    }
    host.device = dev;
    NS_LOG_INFO("host " << host.name << " (" << host.address << ") behind client " << host.client
                        << " (node " << node->GetId() << "), TAP " << host.tap);
    return host;
}

} // namespace ns3
