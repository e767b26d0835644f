/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_LINK_PACKET_COUNTER_H
#define BULLET_LINK_PACKET_COUNTER_H

#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/queue.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Counts every packet put on a point-to-point link of the simulation (packet-hops):
 * the work of moving packets, whatever protocol sent them, so that benchmarks can compare
 * runs per packet moved.
 *
 * A point-to-point device puts on its link exactly the packets it takes out of its queue
 * (PhyTxBegin follows every dequeue), so the count is read from the device queues' own
 * statistics when asked: counting costs nothing while the simulation runs (a trace sink on
 * every device cost about 1% of a run's cycles).
 */
class LinkPacketCounter
{
  public:
    /// Counts from now on, on every point-to-point device that exists now.
    LinkPacketCounter();

    /// Packets put on links since construction.
    uint64_t GetPackets() const;
    /// Their bytes (point-to-point header included).
    uint64_t GetBytes() const;

  private:
    struct Device
    {
        Ptr<Queue<Packet>> queue;
        uint32_t packets; ///< dequeued at construction
        uint32_t bytes;
    };

    std::vector<Device> m_devices;
};

} // namespace ns3

#endif // BULLET_LINK_PACKET_COUNTER_H
