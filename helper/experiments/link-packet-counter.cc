/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "link-packet-counter.h"

#include "ns3/node-list.h"
#include "ns3/node.h"
#include "ns3/point-to-point-net-device.h"

namespace ns3
{

namespace
{

/// Packets taken out of \p q so far (modulo 2^32, as the queue counts).
uint32_t
Dequeued(const Queue<Packet>& q)
{
    return q.GetTotalReceivedPackets() - q.GetNPackets() - q.GetTotalDroppedPacketsAfterDequeue();
}

uint32_t
DequeuedBytes(const Queue<Packet>& q)
{
    return q.GetTotalReceivedBytes() - q.GetNBytes() - q.GetTotalDroppedBytesAfterDequeue();
}

} // namespace

LinkPacketCounter::LinkPacketCounter()
{
    for (auto it = NodeList::Begin(); it != NodeList::End(); ++it)
    {
        for (uint32_t d = 0; d < (*it)->GetNDevices(); ++d)
        {
            if (auto dev = DynamicCast<PointToPointNetDevice>((*it)->GetDevice(d)))
            {
                Ptr<Queue<Packet>> q = dev->GetQueue();
                if (q)
                {
                    m_devices.push_back({q, Dequeued(*q), DequeuedBytes(*q)});
                }
            }
        }
    }
}

uint64_t
LinkPacketCounter::GetPackets() const
{
    uint64_t n = 0;
    for (const auto& d : m_devices)
    {
        n += uint32_t(Dequeued(*d.queue) - d.packets);
    }
    return n;
}

uint64_t
LinkPacketCounter::GetBytes() const
{
    uint64_t n = 0;
    for (const auto& d : m_devices)
    {
        n += uint32_t(DequeuedBytes(*d.queue) - d.bytes);
    }
    return n;
}

} // namespace ns3
