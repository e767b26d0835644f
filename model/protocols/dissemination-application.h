/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_DISSEMINATION_APPLICATION_H
#define BULLET_DISSEMINATION_APPLICATION_H

#include "ns3/application.h"
#include "ns3/control-channel.h"
#include "ns3/data-rate.h"
#include "ns3/data-transport.h"
#include "ns3/event-id.h"
#include "ns3/overlay-tree.h"
#include "ns3/stream-header.h"
#include "ns3/traced-callback.h"

#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief What every streaming protocol of the papers shares: an overlay tree, a control
 * channel, a data transport, the source's sequenced stream, duplicate detection, and the
 * traces experiments measure.
 *
 * Subclasses decide only where a packet goes next (Disseminate()): every child (tree
 * streaming), disjoint shares plus mesh peers (Bullet), random peers (gossip).
 */
class DisseminationApplication : public Application
{
  public:
    static TypeId GetTypeId();
    DisseminationApplication();

    /// The tree this node is part of (StaticTree or RandomTree); set before start.
    void SetTree(Ptr<OverlayTree> tree);
    Ptr<OverlayTree> GetTree() const;
    Ptr<ControlChannel> GetControlChannel() const;
    Ptr<DataTransport> GetTransport() const;
    Ipv4Address GetLocalAddress() const;
    bool IsSource() const;
    /// Bytes per stream packet, stream header included.
    uint32_t GetPacketSize() const;
    /// The stream's rate at the source.
    DataRate GetRate() const;
    /// Fixes the random streams the protocol uses; returns how many it took.
    virtual int64_t AssignStreams(int64_t stream);
    /// Data packets dropped as malformed (bad header, implausible sequence number).
    uint64_t GetMalformedCount() const;
    /// Whether this node has received (or, at the source, created) packet \p seq.
    bool HasPacket(uint32_t seq) const;
    /**
     * The addresses of the other participants, for protocols that assume full group
     * membership (gossip, anti-entropy; 2003 Section 4.4). Addresses only: protocols talk to
     * each other through sockets. This node's own address may be included; it is ignored.
     */
    void SetMembership(const std::vector<Ipv4Address>& members);
    /// The membership list given by SetMembership (empty if none).
    const std::vector<Ipv4Address>& GetMembership() const;

    /// (from, seq, bytes, from parent, duplicate)
    using DataRxTracedCallback
        = void (*)(Ipv4Address from, uint32_t seq, uint32_t bytes, bool fromParent, bool duplicate);
    /// (peer, message type, wire bytes): control traffic this node sent
    using ControlTxTracedCallback = void (*)(Ipv4Address peer, uint16_t type, uint32_t bytes);
    /// (to, seq, bytes)
    using DataTxTracedCallback = void (*)(Ipv4Address to, uint32_t seq, uint32_t bytes);

  protected:
    void DoDispose() override;
    void StartApplication() override;
    void StopApplication() override;

    /// After the tree, channel and transport have started.
    virtual void DoStart();
    virtual void DoStop();
    /// A packet this node holds for the first time (at the source: just created, from self);
    /// \p header is the packet's stream header, already parsed.
    virtual void Disseminate(const StreamHeader& header, Ptr<const Packet> packet, Ipv4Address from)
        = 0;
    /// Every data packet received, new or not, after the traces (e.g. per-peer accounting).
    virtual void Received(Ipv4Address from, uint32_t seq, bool duplicate);

    /// Non-blocking send of a stream packet; traces accepted sends.
    bool SendData(Ipv4Address to, Ptr<const Packet> packet, uint32_t seq);

  private:
    void HandleData(Ipv4Address from, Ptr<Packet> packet);
    void ControlSent(Ipv4Address peer, uint16_t type, uint32_t bytes);
    void Generate();
    /// Records that this node holds \p seq.
    void MarkHeld(uint32_t seq);

    bool m_source;
    DataRate m_rate;
    uint32_t m_packetSize;
    Time m_streamStart;
    TypeId m_transportType;
    TypeId m_channelType;

    Ptr<OverlayTree> m_tree;
    Ptr<ControlChannel> m_channel;
    Ptr<DataTransport> m_transport;
    std::vector<bool> m_have;
    std::vector<Ipv4Address> m_members;
    uint32_t m_nextSeq{0};
    EventId m_generate;
    uint64_t m_malformed{0};

    TracedCallback<Ipv4Address, uint32_t, uint32_t, bool, bool> m_rxTrace;
    TracedCallback<Ipv4Address, uint32_t, uint32_t> m_txTrace;
    TracedCallback<Ipv4Address, uint16_t, uint32_t> m_controlTxTrace;
};

/**
 * \ingroup bullet
 * \brief The papers' baseline: every node forwards every new packet to all its children
 * (2003 Section 4.2), over TFRC, UDP or TCP.
 */
class TreeStreamingApplication : public DisseminationApplication
{
  public:
    static TypeId GetTypeId();

  protected:
    void Disseminate(const StreamHeader& header, Ptr<const Packet> packet,
                     Ipv4Address from) override;
};

} // namespace ns3

#endif // BULLET_DISSEMINATION_APPLICATION_H
