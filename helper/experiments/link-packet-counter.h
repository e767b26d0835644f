/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_LINK_PACKET_COUNTER_H
#define BULLET_LINK_PACKET_COUNTER_H

#include "ns3/link-device.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/queue.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Counts every packet put on a link of the simulation (packet-hops): the work of
 * moving packets, whatever protocol sent them, so that benchmarks can compare runs per
 * packet moved.
 *
 * Read when asked, so that counting costs nothing while the simulation runs (a trace sink
 * on every device cost about 1% of a run's cycles): a LinkDevice counts what it puts on its
 * link itself; a point-to-point device puts on its link exactly the packets it takes out of
 * its queue (PhyTxBegin follows every dequeue), so its count is read from the queue's own
 * statistics.
 */
class LinkPacketCounter
{
  public:
    /// Counts from now on, on every LinkDevice and point-to-point device that exists now.
    LinkPacketCounter();

    /// Packets put on links since construction.
    uint64_t GetPackets() const;
    /// Their bytes (the 2-byte point-to-point header included, on either kind of device).
    uint64_t GetBytes() const;

  private:
    /// A point-to-point device's queue, and what it had sent at construction.
    struct P2pDevice
    {
        Ptr<Queue<Packet>> queue;
        uint32_t packets; ///< dequeued at construction
        uint32_t bytes;
    };

    /// A LinkDevice, and what it had sent at construction.
    struct LeanDevice
    {
        Ptr<LinkDevice> device;
        uint64_t packets;
        uint64_t bytes;
    };

    std::vector<P2pDevice> m_p2p;
    std::vector<LeanDevice> m_lean;
};

} // namespace ns3

#endif // BULLET_LINK_PACKET_COUNTER_H
