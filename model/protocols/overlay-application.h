/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_OVERLAY_APPLICATION_H
#define BULLET_OVERLAY_APPLICATION_H

#include "ns3/application.h"
#include "ns3/control-channel.h"
#include "ns3/data-transport.h"
#include "ns3/factory-of.h"
#include "ns3/object-factory.h"
#include "ns3/overlay-tree.h"
#include "ns3/ransub.h"
#include "ns3/traced-callback.h"

#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief What every overlay protocol of the papers shares, streaming or file distribution:
 * a node's overlay tree, its control channel, its data transport, the group membership (for
 * the protocols that assume it), its random streams, and the control-traffic trace.
 *
 * The inner objects are made from ObjectFactory attributes (`ControlChannel`, `Transport`,
 * `RanSub`), so an installation configures them per application (OverlayHelper::SetTransport,
 * SetControlChannel, SetRanSub), never through global defaults. The tree is given by whoever
 * installs the protocol (SetTree): an offline StaticTree or the online RandomTree.
 *
 * Start order: control channel, data transport, tree, then the protocol's DoStart().
 *
 * Random streams: a node takes a block of kStreamsPerNode streams from AssignStreams();
 * offsets kProtocolStream (the protocol's own draws), kRanSubStream (a RanSub it creates with
 * CreateRanSub), kTreeStream (a RandomTree's draws) and kTransportStream (the data
 * transport's, at most two: TFRC's pacing gaps).
 *
 * A protocol is a subclass that implements DoStart()/DoStop() and ReceiveData(), and talks
 * to other nodes only through GetControlChannel() and GetTransport().
 */
class OverlayApplication : public Application
{
  public:
    static constexpr int64_t kStreamsPerNode = 8;
    static constexpr int64_t kProtocolStream = 0;
    static constexpr int64_t kRanSubStream = 1;
    static constexpr int64_t kTreeStream = 4;
    static constexpr int64_t kTransportStream = 5;

    static TypeId GetTypeId();
    OverlayApplication();

    /// The tree this node is part of (StaticTree or RandomTree); set before start.
    void SetTree(Ptr<OverlayTree> tree);
    Ptr<OverlayTree> GetTree() const;
    /// The control channel (after start).
    Ptr<ControlChannel> GetControlChannel() const;
    /// The data transport (after start).
    Ptr<DataTransport> GetTransport() const;
    /// The address peers know this node by (after start).
    Ipv4Address GetLocalAddress() const;
    /// Whether this node is the data's origin (the stream's or the file's source).
    bool IsSource() const;
    /**
     * The address of the data's origin, as every node of an installation knows it (where a
     * RandomTree joins, where BitTorrent's tracker runs); set by OverlayHelper, 0.0.0.0 if
     * unknown.
     */
    void SetSourceAddress(Ipv4Address source);
    Ipv4Address GetSourceAddress() const;

    /**
     * The addresses of the other participants, for protocols that assume full group
     * membership (gossip, anti-entropy; 2003 Section 4.4). Addresses only: protocols talk to
     * each other through sockets. This node's own address may be included; it is ignored.
     */
    void SetMembership(const std::vector<Ipv4Address>& members);
    /// The membership list given by SetMembership (empty if none).
    const std::vector<Ipv4Address>& GetMembership() const;
    /// The membership without this node (after start).
    std::vector<Ipv4Address> GetOtherMembers() const;

    /**
     * Fixes the random streams of this node: the protocol's, its RanSub's and its tree's, in
     * a block of kStreamsPerNode starting at \p stream.
     * \returns kStreamsPerNode
     */
    int64_t AssignStreams(int64_t stream);

    /// (peer, message type, wire bytes): control traffic this node sent
    using ControlTxTracedCallback = void (*)(Ipv4Address peer, uint16_t type, uint32_t bytes);

  protected:
    void DoDispose() override;
    void StartApplication() override;
    void StopApplication() override;

    /// After the channel, the transport and the tree have started.
    virtual void DoStart();
    /// Before the tree, the transport and the channel stop.
    virtual void DoStop();
    /// A payload the data transport delivered from \p from.
    virtual void ReceiveData(Ipv4Address from, Ptr<Packet> packet) = 0;
    /// The protocol's own random streams, from \p stream (at most kRanSubStream of them).
    virtual void DoAssignStreams(int64_t stream);

    /// Stream \p offset of this node's block, or -1 if AssignStreams was not called.
    int64_t GetStream(int64_t offset) const;
    /**
     * Makes a RanSub from the `RanSub` factory (its random stream from this node's block)
     * and starts it over this node's tree and control channel with the given callbacks. The
     * protocol decides which nodes the sets represent (\p mode: Bullet NonDescendants,
     * Bullet' All); the factory's attributes configure the rest (epochs, set size, failure
     * detection).
     */
    Ptr<RanSub> StartRanSub(RanSub::Mode mode, RanSub::PayloadCallback payload,
                            RanSub::DeliverCallback deliver);
    /// Traces control traffic a protocol sends through its own sockets (as ControlTx does
    /// for the control channel's messages).
    void NotifyControlSent(Ipv4Address peer, uint16_t type, uint32_t bytes);

  private:
    void ControlSent(Ipv4Address peer, uint16_t type, uint32_t bytes);

    bool m_source;
    Ipv4Address m_sourceAddress;
    ObjectFactory m_channelFactory;
    ObjectFactory m_transportFactory;
    ObjectFactory m_ransubFactory;

    Ptr<OverlayTree> m_tree;
    Ptr<ControlChannel> m_channel;
    Ptr<DataTransport> m_transport;
    std::vector<Ipv4Address> m_members;
    int64_t m_stream{-1};

    TracedCallback<Ipv4Address, uint16_t, uint32_t> m_controlTxTrace;
};

} // namespace ns3

#endif // BULLET_OVERLAY_APPLICATION_H
