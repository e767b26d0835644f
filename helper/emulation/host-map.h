/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_HOST_MAP_H
#define BULLET_HOST_MAP_H

#include "ns3/host-attachment.h"
#include "ns3/topology-helper.h"

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Where each real host sits in the emulated Internet, and what it sees.
 *
 * {"hosts": [{index, name, tap, client, node, router, address, prefix_length, gateway,
 *  access: {up_mbps, down_mbps, delay_ms, loss_up, loss_down}}],
 *  "paths": [{from, to, hops, one_way_delay_ms, rtt_ms, ping_rtt_ms, bottleneck_mbps, loss}]}
 *
 * rtt_ms is the propagation round trip (no transmission or queueing time); ping_rtt_ms adds
 * the transmission of a default ping (84-byte IP packet) on every link, both ways;
 * bottleneck_mbps the smallest link rate from 'from' to 'to' (IP packets with a 2-byte PPP
 * header, so TCP goodput stays a few percent below it); loss the one-way loss probability.
 */
nlohmann::json MakeHostMap(Ptr<SimulatedNetwork> net, const std::vector<EmulatedHost>& hosts);

/// Prints the host table and, for up to \p maxPairs hosts, the path matrix.
void PrintHostMap(const nlohmann::json& map, std::ostream& os, uint32_t maxPairs = 16);

/// Writes the map to \p path (pretty JSON). \throws std::runtime_error
void WriteHostMap(const nlohmann::json& map, const std::string& path);

} // namespace ns3

#endif // BULLET_HOST_MAP_H
