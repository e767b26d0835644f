/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_SPLITSTREAM_APPLICATION_H
#define BULLET_SPLITSTREAM_APPLICATION_H

#include "ns3/splitstream-forest.h"
#include "ns3/streaming-application.h"

#include <optional>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief SplitStream streaming (Castro et al., SOSP 2003), the forest the Bullet papers
 * compare against: the stream split into stripes, packet j on stripe j mod 16, each stripe
 * pushed down its own Scribe tree over Pastry (SplitStreamForest, created with its attribute
 * defaults: e.g. --ns3::SplitStreamForest::ForwardingCap=18).
 *
 * No tree of the installation's is used (the registry installs it without one); Pastry joins
 * through the source (OverlayApplication::GetSourceAddress). The source sends each packet to
 * its stripe's root; every node forwards a packet it gets for the first time to its children
 * in that stripe, over the data transport (TFRC: a flow at its rate refuses, and the packet is
 * lost for that child's subtree, as a stripe tree has no other path). The control messages
 * of Pastry and Scribe go over the control channel.
 */
class SplitStreamApplication : public StreamingApplication
{
  public:
    static TypeId GetTypeId();
    SplitStreamApplication();

    /// The node's forest state (after start).
    Ptr<SplitStreamForest> GetForest() const;
    /// Stream packets a transport refused (lost for that child's subtree).
    uint64_t GetRefusedSends() const;
    /// Uses \p id as this node's Pastry id (before start; default: SHA-1 of its address).
    void SetPastryId(const PastryId& id);

  protected:
    void DoDispose() override;
    void DoStart() override;
    void DoStop() override;
    void DoAssignStreams(int64_t stream) override;
    void Disseminate(const StreamHeader& header, Ptr<const Packet> packet,
                     Ipv4Address from) override;
    /// Whether \p from is this node's parent in any stripe tree, or the source (which sends
    /// each stripe to its root): every data packet comes from one, so from-parent data is
    /// all a receiver gets while its forest holds.
    bool IsParent(Ipv4Address from) const override;

  private:
    Ptr<SplitStreamForest> m_forest;
    int64_t m_stream{-1};
    uint64_t m_refused{0};
    std::optional<PastryId> m_id;
};

} // namespace ns3

#endif // BULLET_SPLITSTREAM_APPLICATION_H
