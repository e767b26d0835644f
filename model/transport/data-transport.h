/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_DATA_TRANSPORT_H
#define BULLET_DATA_TRANSPORT_H

#include "ns3/block-transport.h"
#include "ns3/callback.h"
#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/socket.h"
#include "ns3/tfrc-socket.h"
#include "ns3/traced-callback.h"

namespace ns3
{

/**
 * \ingroup bullet
 * \brief How a dissemination protocol moves data packets to overlay peers: one small
 * interface, interchangeable transports (TFRC, UDP, TCP), chosen by attribute.
 *
 * Send() is non-blocking, as Bullet's disjoint send routine needs (2003 Section 3.3): it
 * succeeds only if the transport can take the packet now, and otherwise fails at once so the
 * caller can give the packet to someone else.
 *
 * A peer is a node, named by its Ipv4Address; ports are the transport's business. Subclasses
 * over a socket-level class (TfrcSocket, BlockTransport) name the peer's endpoint there as
 * InetSocketAddress(peer, Port) and hand the address of an endpoint back up: these are the
 * only conversions between the two.
 */
class DataTransport : public Object
{
  public:
    static TypeId GetTypeId();

    /// Receives (sender, payload).
    using RecvCallback = Callback<void, Ipv4Address, Ptr<Packet>>;

    virtual void Start(Ptr<Node> node) = 0;
    virtual void Stop() = 0;
    /**
     * Fixes the transport's random streams (call before Start). The base uses none.
     * \param stream first stream index to use
     * \return the number of streams used (at most 2)
     */
    virtual int64_t AssignStreams(int64_t stream);
    /**
     * Takes the packet for \p peer now, or returns false; traces either way.
     *
     * \p packet is never modified: every transport sends a copy of it (TFRC and TCP when
     * they frame it, UDP before its socket tags it), so a caller may hand the same packet
     * to several peers without copying it first.
     */
    bool Send(Ipv4Address peer, Ptr<Packet> packet);
    /// Releases per-peer state (a peer left).
    virtual void Close(Ipv4Address peer) = 0;

    void SetRecvCallback(RecvCallback cb);
    /// Called with a peer whose transport refused a send and can take packets again.
    void SetSendReadyCallback(Callback<void, Ipv4Address> cb);
    /**
     * Called with a peer the transport has lost: its connection closed or failed (the peer's
     * process went away, or Close() was called). Connectionless transports never call it.
     */
    void SetPeerDownCallback(Callback<void, Ipv4Address> cb);

    /// (peer, payload bytes) for each accepted send
    using PeerBytesTracedCallback = void (*)(Ipv4Address peer, uint32_t bytes);

  protected:
    void DoDispose() override;
    /// Subclasses hand received payloads here.
    void Deliver(Ipv4Address from, Ptr<Packet> packet);
    /// The transport's own send: true if it took the packet now (which it must not modify).
    virtual bool DoSend(Ipv4Address peer, Ptr<Packet> packet) = 0;
    void NotifyReady(Ipv4Address peer);
    void NotifyPeerDown(Ipv4Address peer);

  private:
    RecvCallback m_recv;
    Callback<void, Ipv4Address> m_ready;
    Callback<void, Ipv4Address> m_down;
    TracedCallback<Ipv4Address, uint32_t> m_txTrace;
    TracedCallback<Ipv4Address, uint32_t> m_refusedTrace;
};

/**
 * \ingroup bullet
 * \brief Plain UDP, no congestion control: a send fails only when the socket refuses it.
 */
class UdpDataTransport : public DataTransport
{
  public:
    static TypeId GetTypeId();

    void Start(Ptr<Node> node) override;
    void Stop() override;
    void Close(Ipv4Address peer) override;

  protected:
    void DoDispose() override;
    bool DoSend(Ipv4Address peer, Ptr<Packet> packet) override;

  private:
    void HandleRead(Ptr<Socket> socket);

    uint16_t m_port{0};
    Ptr<Socket> m_socket;
};

/**
 * \ingroup bullet
 * \brief TFRC (RFC 5348) without retransmissions: Bullet's transport (2003 Section 2.4).
 *
 * One TfrcSocket per node, one flow per peer. A send fails when the flow's queue in front of
 * the pacer is full (TfrcSocket's QueueDepth attribute): the flow is at its TCP-friendly rate.
 */
class TfrcDataTransport : public DataTransport
{
  public:
    static TypeId GetTypeId();

    void Start(Ptr<Node> node) override;
    void Stop() override;
    /// The socket's pacing streams (TfrcSocket::AssignStreams: two).
    int64_t AssignStreams(int64_t stream) override;
    void Close(Ipv4Address peer) override;
    Ptr<TfrcSocket> GetSocket() const;

  protected:
    void DoDispose() override;
    bool DoSend(Ipv4Address peer, Ptr<Packet> packet) override;

  private:
    void HandleRecv(Ptr<Packet> packet, const InetSocketAddress& from);
    void HandleReady(const InetSocketAddress& peer);

    uint16_t m_port{0};
    int64_t m_stream{-1}; ///< the socket's first pacing stream, -1 if not assigned
    Ptr<TfrcSocket> m_socket;
};

/**
 * \ingroup bullet
 * \brief TCP through BlockTransport: a send fails while QueueLimit packets already wait in
 * front of the peer's socket, so the protocol, not the socket buffer, decides what to send.
 */
class TcpDataTransport : public DataTransport
{
  public:
    static TypeId GetTypeId();

    void Start(Ptr<Node> node) override;
    void Stop() override;
    void Close(Ipv4Address peer) override;

    /// Blocks waiting in front of \p peer's socket (Bullet' 2008 Section 4.3.3.2's in_front).
    uint32_t GetQueued(Ipv4Address peer) const;
    /// Bytes on their way to \p peer, queued or unacknowledged in the socket
    /// (BlockTransport::GetBacklogBytes).
    uint64_t GetBacklogBytes(Ipv4Address peer) const;
    /**
     * Send() for a block a peer requested: the frame carries \p inFront (the blocks queued
     * when the request arrived) and, measured here, the time the block waited or the pipe
     * idled; the receiver finds both in a BlockFeedbackTag on the packet it is handed.
     */
    bool SendRequested(Ipv4Address peer, Ptr<Packet> packet, uint32_t inFront);
    /**
     * Connections the transport closed for malformed input (bad magic, an unknown type, a
     * length over the maximum, no hello): BlockTransport::GetMalformedCount().
     */
    uint64_t GetMalformedCount() const;
    /**
     * \brief Stops (false) or resumes (true) reading the peers' blocks
     * (BlockTransport::SetReading): a receiver that hangs. Kept across Start().
     * \param reading whether to read
     */
    void SetReading(bool reading);

  protected:
    void DoDispose() override;
    bool DoSend(Ipv4Address peer, Ptr<Packet> packet) override;

  private:
    static constexpr uint16_t kDataType = 1;
    bool m_reading{true};
    int64_t m_inFront{-1}; ///< for the send in progress: SendRequested's inFront, else -1
    void HandleRecv(const InetSocketAddress& peer, uint16_t type, Ptr<Packet> packet);
    void HandleDequeued(const InetSocketAddress& peer, uint32_t remaining);
    void HandlePeerDown(const InetSocketAddress& peer);

    uint16_t m_port{0};
    uint32_t m_queueLimit{0};
    uint32_t m_buffer{0};
    Ptr<BlockTransport> m_transport;
};

} // namespace ns3

#endif // BULLET_DATA_TRANSPORT_H
