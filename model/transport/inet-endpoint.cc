/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "inet-endpoint.h"

#include <sstream>

namespace ns3
{

bool
InetEndpointLess::operator()(const InetSocketAddress& a, const InetSocketAddress& b) const
{
    uint32_t ia = a.GetIpv4().Get();
    uint32_t ib = b.GetIpv4().Get();
    return ia < ib || (ia == ib && a.GetPort() < b.GetPort());
}

bool
IsSameEndpoint(const InetSocketAddress& a, const InetSocketAddress& b)
{
    return a.GetIpv4() == b.GetIpv4() && a.GetPort() == b.GetPort();
}

std::string
FormatEndpoint(const InetSocketAddress& a)
{
    std::ostringstream os;
    os << a.GetIpv4() << ":" << a.GetPort();
    return os.str();
}

} // namespace ns3
