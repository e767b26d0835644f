/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tree-streaming-application.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(TreeStreamingApplication);

TypeId
TreeStreamingApplication::GetTypeId()
{
    static TypeId tid = TypeId("ns3::TreeStreamingApplication")
                            .SetParent<StreamingApplication>()
                            .SetGroupName("Bullet")
                            .AddConstructor<TreeStreamingApplication>();
    return tid;
}

void
TreeStreamingApplication::Disseminate(const StreamHeader& header, Ptr<const Packet> packet,
                                      Ipv4Address from)
{
    for (const auto& child : GetTree()->GetChildren())
    {
        SendData(child, packet, header.seq);
    }
}

} // namespace ns3
