/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_LINK_PACKET_COUNTER_H
#define BULLET_LINK_PACKET_COUNTER_H

#include "ns3/packet.h"
#include "ns3/ptr.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Counts every packet put on a point-to-point link of the simulation (packet-hops):
 * the work of moving packets, whatever protocol sent them, so that benchmarks can compare
 * runs per packet moved.
 */
class LinkPacketCounter
{
  public:
    /// Connects to every point-to-point device that exists now.
    LinkPacketCounter();

    uint64_t GetPackets() const;
    uint64_t GetBytes() const;

  private:
    void Count(Ptr<const Packet> p);

    uint64_t m_packets{0};
    uint64_t m_bytes{0};
};

} // namespace ns3

#endif // BULLET_LINK_PACKET_COUNTER_H
