/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "host-attachment.h"

#include "ns3/csma-helper.h"
#include "ns3/data-rate.h"
#include "ns3/ipv4-list-routing.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/string.h"
#include "ns3/tap-bridge-helper.h"

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <unistd.h>
#include <utility>

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

/// The client node \p host sits behind. \throws std::invalid_argument if the topology has
/// no such client
Ptr<Node>
ClientOf(Ptr<SimulatedNetwork> net, const EmulatedHost& host)
{
    if (host.client >= net->GetNClients())
    {
        throw std::invalid_argument("host " + host.name + ": topology has no client "
                                    + std::to_string(host.client));
    }
    return net->GetClient(host.client);
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

void
HostAttachmentHelper::Gateway(Ptr<SimulatedNetwork> net, const EmulatedHost& host,
                              Ptr<NetDevice> dev) const
{
    Ptr<Ipv4> ipv4 = dev->GetNode()->GetObject<Ipv4>();
    // Static routes first (the host's subnet), the overlay's precomputed routes after.
    Ptr<Ipv4RoutingProtocol> current = ipv4->GetRoutingProtocol();
    if (!DynamicCast<Ipv4ListRouting>(current))
    {
        Ptr<Ipv4ListRouting> list = CreateObject<Ipv4ListRouting>();
        list->AddRoutingProtocol(CreateObject<Ipv4StaticRouting>(), 10);
        list->AddRoutingProtocol(current, 0);
        ipv4->SetRoutingProtocol(list);
    }
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
}

EmulatedHost
HostAttachmentHelper::Attach(Ptr<SimulatedNetwork> net, EmulatedHost host, int fd) const
{
    Ptr<Node> node = ClientOf(net, host);
    Ptr<FdNetDevice> dev = CreateObject<FdNetDevice>();
    dev->SetAddress(Mac48Address::Allocate());
    dev->SetEncapsulationMode(FdNetDevice::DIX);
    dev->SetFileDescriptor(fd);
    node->AddDevice(dev);
    Gateway(net, host, dev);
    host.device = dev;
    NS_LOG_INFO("host " << host.name << " (" << host.address << ") behind client " << host.client
                        << " (node " << node->GetId() << "), TAP " << host.tap);
    return host;
}

EmulatedHost
HostAttachmentHelper::AttachWithTapBridge(Ptr<SimulatedNetwork> net, EmulatedHost host) const
{
    Ptr<Node> node = ClientOf(net, host);
    std::string why;
    if (TapBridgeCreator(why).empty())
    {
        throw std::runtime_error("TapBridge cannot run here: " + why);
    }
    // The ghost node stands for the real host on a CSMA link to the client: no internet
    // stack, only the device TapBridge bridges to the TAP.
    Ptr<Node> ghost = CreateObject<Node>();
    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", DataRateValue(DataRate("100Gbps")));
    csma.SetChannelAttribute("Delay", TimeValue(Seconds(0)));
    NetDeviceContainer devices = csma.Install(NodeContainer(node, ghost));
    Gateway(net, host, devices.Get(0));
    TapBridgeHelper bridge;
    bridge.SetAttribute("Mode", StringValue("UseBridge"));
    bridge.SetAttribute("DeviceName", StringValue(host.tap));
    bridge.Install(ghost, devices.Get(1));
    host.device = devices.Get(0);
    NS_LOG_INFO("host " << host.name << " (" << host.address << ") behind client " << host.client
                        << " through TapBridge on " << host.tap);
    return host;
}

std::string
HostAttachmentHelper::TapBridgeCreator(std::string& why)
{
    // The loaded library does not change: read it once per process.
    static const std::pair<std::string, std::string> found = []() {
        std::string reason;
        std::string path = FindTapBridgeCreator(reason);
        return std::make_pair(path, reason);
    }();
    why = found.second;
    return found.first;
}

std::string
HostAttachmentHelper::FindTapBridgeCreator(std::string& why)
{
    // The library this process loaded: its path in /proc/self/maps.
    std::ifstream maps("/proc/self/maps");
    std::string line;
    std::string library;
    while (std::getline(maps, line))
    {
        const auto at = line.find('/');
        if (at != std::string::npos && line.find("libns3", at) != std::string::npos
            && line.find("tap-bridge", at) != std::string::npos)
        {
            library = line.substr(at);
            break;
        }
    }
    if (library.empty())
    {
        why = "ns-3's tap-bridge library is not loaded";
        return "";
    }
    std::ifstream in(library, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // The creator's path is a string constant ending in "tap-creator" (ns-3 appends the
    // build profile's suffix to the program's name in some builds: -optimized, -debug).
    std::string found;
    for (size_t at = bytes.find("tap-creator"); at != std::string::npos;
         at = bytes.find("tap-creator", at + 1))
    {
        size_t start = at;
        while (start > 0 && bytes[start - 1] >= 0x21 && bytes[start - 1] < 0x7f)
        {
            --start;
        }
        size_t end = at;
        while (end < bytes.size() && bytes[end] >= 0x21 && bytes[end] < 0x7f)
        {
            ++end;
        }
        const std::string candidate = bytes.substr(start, end - start);
        if (!candidate.empty() && candidate[0] == '/')
        {
            found = candidate;
            if (access(candidate.c_str(), X_OK) == 0)
            {
                return candidate;
            }
        }
    }
    why = found.empty() ? "no creator program path in " + library
                        : "its creator program " + found
                              + " does not exist (Debian's ns-3 packages point it into their "
                                "build tree; use the FdNetDevice attachment, or an ns-3 built from "
                                "source: ./ns3 configure --ns3=optimized)";
    return "";
}

} // namespace ns3
