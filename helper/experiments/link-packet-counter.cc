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
            Ptr<NetDevice> dev = (*it)->GetDevice(d);
            if (auto lean = DynamicCast<LinkDevice>(dev))
            {
                m_lean.push_back({lean, lean->GetTxPackets(), lean->GetTxBytes()});
            }
            else if (auto p2p = DynamicCast<PointToPointNetDevice>(dev))
            {
                Ptr<Queue<Packet>> q = p2p->GetQueue();
                if (q)
                {
                    m_p2p.push_back({q, Dequeued(*q), DequeuedBytes(*q)});
                }
            }
        }
    }
}

uint64_t
LinkPacketCounter::GetPackets() const
{
    uint64_t n = 0;
    for (const auto& d : m_p2p)
    {
        n += uint32_t(Dequeued(*d.queue) - d.packets);
    }
    for (const auto& d : m_lean)
    {
        n += d.device->GetTxPackets() - d.packets;
    }
    return n;
}

uint64_t
LinkPacketCounter::GetBytes() const
{
    uint64_t n = 0;
    for (const auto& d : m_p2p)
    {
        n += uint32_t(DequeuedBytes(*d.queue) - d.bytes);
    }
    for (const auto& d : m_lean)
    {
        n += d.device->GetTxBytes() - d.bytes;
    }
    return n;
}

} // namespace ns3
