/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_STREAMING_APPLICATION_H
#define BULLET_STREAMING_APPLICATION_H

#include "ns3/data-rate.h"
#include "ns3/event-id.h"
#include "ns3/overlay-application.h"
#include "ns3/stream-header.h"
#include "ns3/traced-callback.h"

#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief What every streaming protocol of the papers adds to the overlay: the source's
 * sequenced stream at a constant rate, duplicate detection, and the data traces experiments
 * measure.
 *
 * Subclasses decide only where a packet goes next (Disseminate()): every child (tree
 * streaming), disjoint shares plus mesh peers (Bullet), random peers (gossip), children plus
 * repairs (anti-entropy).
 */
class StreamingApplication : public OverlayApplication
{
  public:
    static TypeId GetTypeId();
    StreamingApplication();

    /// Bytes per stream packet, stream header included.
    uint32_t GetPacketSize() const;
    /// The stream's rate at the source.
    DataRate GetRate() const;
    /// Data packets dropped as malformed (bad header, implausible sequence number).
    uint64_t GetMalformedCount() const;
    /// Whether this node has received (or, at the source, created) packet \p seq.
    bool HasPacket(uint32_t seq) const;

    /// (from, seq, bytes, from parent, duplicate)
    using DataRxTracedCallback
        = void (*)(Ipv4Address from, uint32_t seq, uint32_t bytes, bool fromParent, bool duplicate);
    /// (to, seq, bytes)
    using DataTxTracedCallback = void (*)(Ipv4Address to, uint32_t seq, uint32_t bytes);

  protected:
    void DoDispose() override;
    void StartApplication() override;
    void StopApplication() override;
    void ReceiveData(Ipv4Address from, Ptr<Packet> packet) override;

    /// A packet this node holds for the first time (at the source: just created, from self);
    /// \p header is the packet's stream header, already parsed.
    virtual void Disseminate(const StreamHeader& header, Ptr<const Packet> packet, Ipv4Address from)
        = 0;
    /// Every data packet received, new or not, after the traces (e.g. per-peer accounting).
    virtual void Received(Ipv4Address from, uint32_t seq, bool duplicate);
    /**
     * \brief Whether \p from is this node's parent, for the DataRx trace's "from parent" flag
     * (the experiments' from_parent_kbps).
     * \param from the sender of a data packet
     * \returns by default, whether \p from is the parent in the installation's tree (false
     * without a tree or a parent); protocols with other parents (SplitStream's stripe trees)
     * override it
     */
    virtual bool IsParent(Ipv4Address from) const;

    /// Non-blocking send of a stream packet; traces accepted sends.
    bool SendData(Ipv4Address to, Ptr<const Packet> packet, uint32_t seq);

  private:
    void Generate();
    /// Records that this node holds \p seq.
    void MarkHeld(uint32_t seq);

    DataRate m_rate;
    uint32_t m_packetSize;
    Time m_streamStart;

    std::vector<bool> m_have;
    uint32_t m_nextSeq{0};
    EventId m_generate;
    uint64_t m_malformed{0};

    TracedCallback<Ipv4Address, uint32_t, uint32_t, bool, bool> m_rxTrace;
    TracedCallback<Ipv4Address, uint32_t, uint32_t> m_txTrace;
};

} // namespace ns3

#endif // BULLET_STREAMING_APPLICATION_H
