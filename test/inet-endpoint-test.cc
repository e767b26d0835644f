/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The endpoint helpers the socket-level transports key their per-peer state by.
#include "ns3/inet-endpoint.h"

#include <gtest/gtest.h>

#include <map>

using namespace ns3;

TEST(InetEndpoint, OrdersByAddressThenPort)
{
    InetEndpointLess less;
    InetSocketAddress a("10.0.0.1", 7000);
    InetSocketAddress b("10.0.0.1", 7001);
    InetSocketAddress c("10.0.0.2", 80);
    InetSocketAddress high("10.0.0.1", 256); // port bytes 0x01 0x00: numeric order, not bytes
    InetSocketAddress low("10.0.0.1", 255);
    EXPECT_TRUE(less(a, b));
    EXPECT_FALSE(less(b, a));
    EXPECT_TRUE(less(b, c)) << "the address decides before the port";
    EXPECT_TRUE(less(low, high));
    EXPECT_FALSE(less(a, a));
}

TEST(InetEndpoint, ToSIsNotPartOfTheEndpoint)
{
    InetSocketAddress plain("10.0.0.1", 7000);
    InetSocketAddress marked("10.0.0.1", 7000);
    marked.SetTos(0xb8);
    EXPECT_TRUE(IsSameEndpoint(plain, marked));
    EXPECT_FALSE(IsSameEndpoint(plain, InetSocketAddress("10.0.0.1", 7001)));
    EXPECT_FALSE(IsSameEndpoint(plain, InetSocketAddress("10.0.0.2", 7000)));
    std::map<InetSocketAddress, int, InetEndpointLess> m;
    m[plain] = 1;
    m[marked] = 2;
    EXPECT_EQ(m.size(), 1u);
    EXPECT_EQ(m.at(plain), 2);
}

TEST(InetEndpoint, FormatsAsAddressColonPort)
{
    EXPECT_EQ(FormatEndpoint(InetSocketAddress("192.168.3.4", 7003)), "192.168.3.4:7003");
    EXPECT_EQ(FormatEndpoint(InetSocketAddress(Ipv4Address::GetAny(), 0)), "0.0.0.0:0");
}
