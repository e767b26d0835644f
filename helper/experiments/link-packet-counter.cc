/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "link-packet-counter.h"

#include "ns3/callback.h"
#include "ns3/node-list.h"
#include "ns3/node.h"
#include "ns3/point-to-point-net-device.h"

namespace ns3
{

LinkPacketCounter::LinkPacketCounter()
{
    for (auto it = NodeList::Begin(); it != NodeList::End(); ++it)
    {
        for (uint32_t d = 0; d < (*it)->GetNDevices(); ++d)
        {
            if (auto dev = DynamicCast<PointToPointNetDevice>((*it)->GetDevice(d)))
            {
                dev->TraceConnectWithoutContext("PhyTxBegin",
                                                MakeCallback(&LinkPacketCounter::Count, this));
            }
        }
    }
}

void
LinkPacketCounter::Count(Ptr<const Packet> p)
{
    ++m_packets;
    m_bytes += p->GetSize();
}

uint64_t
LinkPacketCounter::GetPackets() const
{
    return m_packets;
}

uint64_t
LinkPacketCounter::GetBytes() const
{
    return m_bytes;
}

} // namespace ns3
