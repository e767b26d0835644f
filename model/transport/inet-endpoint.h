/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_INET_ENDPOINT_H
#define BULLET_INET_ENDPOINT_H

#include "ns3/inet-socket-address.h"

#include <string>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Orders IPv4 endpoints by address, then port.
 *
 * The socket-level transports (TfrcSocket, BlockTransport) name a peer by the IPv4 endpoint it
 * listens on and keep their per-peer state in maps ordered by this. The ToS byte an
 * InetSocketAddress can carry is not part of the endpoint and is ignored.
 */
struct InetEndpointLess
{
    /// \return true if \p a orders before \p b
    bool operator()(const InetSocketAddress& a, const InetSocketAddress& b) const;
};

/**
 * \ingroup bullet
 * \brief Whether \p a and \p b name the same endpoint (address and port; ToS ignored).
 */
bool IsSameEndpoint(const InetSocketAddress& a, const InetSocketAddress& b);

/**
 * \ingroup bullet
 * \brief \p a as "address:port", for logs and messages.
 */
std::string FormatEndpoint(const InetSocketAddress& a);

} // namespace ns3

#endif // BULLET_INET_ENDPOINT_H
