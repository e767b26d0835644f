/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_GOSSIP_APPLICATION_H
#define BULLET_GOSSIP_APPLICATION_H

#include "ns3/random-variable-stream.h"
#include "ns3/streaming-application.h"

#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Push gossiping, lpbcast-like, the first epidemic baseline of the 2003 paper
 * (Section 4.4; TOCS 2008 Section 5.6).
 *
 * No tree: the source sends each packet, as it is created, to FanOut members chosen at
 * random; every node forwards each packet it receives for the first time, at once, to FanOut
 * random members of its view. A duplicate is never forwarded. Full membership is assumed, as
 * in the papers: the view is the membership list the helper gives (SetMembership), this node
 * and the packet's sender excluded. Data goes over the DataTransport (TFRC by default), one
 * flow per peer; a flow at its TCP-friendly rate refuses the packet, and the node then tries
 * another random member, up to MaxAttempts sends per packet in all.
 */
class PushGossipApplication : public StreamingApplication
{
  public:
    static TypeId GetTypeId();
    PushGossipApplication();

    /// Packets this node forwarded (first copies only) and copies its transports took.
    uint64_t GetForwardedPackets() const;
    uint64_t GetForwardedCopies() const;

    /// (seq, copies the transports took, sends refused): one call per forwarded packet
    using ForwardTracedCallback = void (*)(uint32_t seq, uint32_t copies, uint32_t refused);

  protected:
    void DoDispose() override;
    void DoAssignStreams(int64_t stream) override;
    void DoStart() override;
    void Disseminate(const StreamHeader& header, Ptr<const Packet> packet,
                     Ipv4Address from) override;

  private:
    uint32_t m_fanOut;
    uint32_t m_maxAttempts;

    std::vector<Ipv4Address> m_view; ///< membership without this node
    Ptr<UniformRandomVariable> m_rng;
    uint64_t m_forwarded{0};
    uint64_t m_copies{0};
    TracedCallback<uint32_t, uint32_t, uint32_t> m_forwardTrace;
};

} // namespace ns3

#endif // BULLET_GOSSIP_APPLICATION_H
