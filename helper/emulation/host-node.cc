/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "host-node.h"

#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

#ifndef PACKET_IGNORE_OUTGOING
#    define PACKET_IGNORE_OUTGOING 23 // Linux >= 4.20
#endif

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("HostNode");

int
OpenPacketSocket(const std::string& name)
{
    if (name.empty() || name.size() >= IFNAMSIZ)
    {
        throw std::runtime_error("interface name '" + name + "' must have 1 to "
                                 + std::to_string(IFNAMSIZ - 1) + " characters");
    }
    const unsigned index = if_nametoindex(name.c_str());
    if (index == 0)
    {
        throw std::runtime_error("no network interface '" + name
                                 + "' here; run inside the host's namespace "
                                   "(ip netns exec <P>h<i> ...) or name the interface");
    }
    int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (fd < 0)
    {
        int err = errno;
        throw std::runtime_error(std::string("cannot open a packet socket: ") + std::strerror(err)
                                 + (err == EPERM ? " (needs root: CAP_NET_RAW)" : ""));
    }
    auto fail = [fd, &name](const std::string& what) {
        int err = errno;
        close(fd);
        throw std::runtime_error(what + " on " + name + ": " + std::strerror(err));
    };
    struct sockaddr_ll ll;
    std::memset(&ll, 0, sizeof(ll));
    ll.sll_family = AF_PACKET;
    ll.sll_protocol = htons(ETH_P_ALL);
    ll.sll_ifindex = int(index);
    if (bind(fd, reinterpret_cast<struct sockaddr*>(&ll), sizeof(ll)) != 0)
    {
        fail("cannot bind the packet socket");
    }
    struct packet_mreq mr;
    std::memset(&mr, 0, sizeof(mr));
    mr.mr_ifindex = int(index);
    mr.mr_type = PACKET_MR_PROMISC;
    if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) != 0)
    {
        fail("cannot switch to promiscuous mode");
    }
    int one = 1;
    if (setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) != 0)
    {
        NS_LOG_WARN("PACKET_IGNORE_OUTGOING not supported (kernel < 4.20): the node also sees "
                    "the host kernel's own frames, and ignores them as not addressed to it");
    }
    NS_LOG_INFO("packet socket " << fd << " on " << name << " (ifindex " << index << ")");
    return fd;
}

Mac48Address
HostNodeMac(Ipv4Address address)
{
    uint8_t mac[6] = {0x02, 0x00, 0, 0, 0, 0};
    address.Serialize(mac + 2);
    Mac48Address out;
    out.CopyFrom(mac);
    return out;
}

HostNodeConfig
HostNodeConfig::FromCidr(const std::string& cidr)
{
    const auto slash = cidr.find('/');
    const std::string addr = cidr.substr(0, slash);
    uint32_t length = 24;
    if (slash != std::string::npos)
    {
        const std::string len = cidr.substr(slash + 1);
        if (len.empty() || len.size() > 2
            || len.find_first_not_of("0123456789") != std::string::npos || std::stoul(len) < 8
            || std::stoul(len) > 30)
        {
            throw std::invalid_argument("address '" + cidr + "': the prefix length must be 8..30");
        }
        length = std::stoul(len);
    }
    struct in_addr parsed;
    if (inet_pton(AF_INET, addr.c_str(), &parsed) != 1)
    {
        throw std::invalid_argument("address '" + cidr + "' is not A.B.C.D[/LEN]");
    }
    HostNodeConfig c;
    c.address = Ipv4Address(ntohl(parsed.s_addr));
    c.mask = Ipv4Mask(("/" + std::to_string(length)).c_str());
    const uint32_t net = c.address.Get() & c.mask.Get();
    if (c.address.Get() == net || c.address.Get() == (net | ~c.mask.Get()))
    {
        throw std::invalid_argument("address '" + cidr
                                    + "' is its subnet's network or broadcast address");
    }
    c.gateway = Ipv4Address(net + 1);
    c.mac = HostNodeMac(c.address);
    return c;
}

Ptr<Node>
CreateHostNode(const HostNodeConfig& config, int fd, Ptr<FdNetDevice>* device)
{
    Ptr<Node> node = CreateObject<Node>();
    InternetStackHelper stack;
    stack.Install(node);
    Ptr<FdNetDevice> dev = CreateObject<FdNetDevice>();
    dev->SetAddress(config.mac);
    dev->SetEncapsulationMode(FdNetDevice::DIX);
    dev->SetFileDescriptor(fd);
    node->AddDevice(dev);
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    int32_t iface = ipv4->AddInterface(dev);
    ipv4->AddAddress(iface, Ipv4InterfaceAddress(config.address, config.mask));
    ipv4->SetUp(iface);
    Ipv4StaticRoutingHelper routing;
    routing.GetStaticRouting(ipv4)->SetDefaultRoute(config.gateway, iface);
    if (device)
    {
        *device = dev;
    }
    NS_LOG_INFO("host node " << config.address << " " << config.mac << " via " << config.gateway);
    return node;
}

} // namespace ns3
