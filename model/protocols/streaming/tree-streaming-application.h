/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TREE_STREAMING_APPLICATION_H
#define BULLET_TREE_STREAMING_APPLICATION_H

#include "ns3/streaming-application.h"

namespace ns3
{

/**
 * \ingroup bullet
 * \brief The papers' baseline: every node forwards every new packet to all its children
 * (2003 Section 4.2), over TFRC, UDP or TCP.
 */
class TreeStreamingApplication : public StreamingApplication
{
  public:
    static TypeId GetTypeId();

  protected:
    void Disseminate(const StreamHeader& header, Ptr<const Packet> packet,
                     Ipv4Address from) override;
};

} // namespace ns3

#endif // BULLET_TREE_STREAMING_APPLICATION_H
