/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BLOCK_TRANSPORT_H
#define BULLET_BLOCK_TRANSPORT_H

#include "ns3/block-connection.h"
#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/header.h"
#include "ns3/inet-endpoint.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief One agent per node multiplexing typed messages to its peers over TCP.
 *
 * Bullet' exchanges joins, requests, diffs and blocks with a changing set of peers (TOCS 2008,
 * Section 4). This agent gives the protocol one object per node for all of them: it listens,
 * dials, frames messages (BlockFrameHeader) on each TCP byte stream and delivers them whole as
 * (peer, type, packet). A peer is named by the endpoint it listens on (an InetSocketAddress),
 * in every method, callback and trace; it is learned from the hello each side sends first, so
 * an accepted connection is matched to the peer it belongs to.
 *
 * Each connection keeps an application queue in front of its socket buffer (see
 * BlockConnection); the protocol decides its depth by how many blocks it submits, and reads
 * the queue length, in_front, idle time and wasted values back to drive Bullet''s
 * outstanding-request controller (Section 4.3.3.2).
 *
 * If both sides dial each other at once, both connections are kept: the first one usable
 * carries this node's messages to the peer (so they stay in order) and both deliver. Every
 * peer that appears (by Connect() or by an accepted hello) is reported down exactly once, when
 * its last connection fails or closes or Close() is called, even if it never came up.
 * Malformed input (bad magic, unknown type, a length over MaxMessageSize, a missing hello)
 * closes the offending connection and fires the Malformed trace.
 *
 * With IdleTimeout set, a connection that carried no message either way for that long is
 * retired without loss: its side sends a bye as its last message and goes on delivering
 * what arrives until the peer, on reading the bye, flushes what it had queued and closes;
 * messages sent after that go on a new connection, dialled on demand. A peer whose
 * connections all retired is parked, not reported down, and its next connection is not
 * reported up: the PeerUp/PeerDown pairs (and the control channel's failure reports built
 * on them) do not see idle closes. A retired connection whose peer never answers the bye is
 * closed one IdleTimeout later.
 */
class BlockTransport : public Object
{
  public:
    /// Message type reserved for the transport's hello.
    static constexpr uint16_t kHelloType = 0;
    /// Message type reserved for the bye that retires an idle connection (see IdleTimeout).
    static constexpr uint16_t kByeType = 0xffff;

    static TypeId GetTypeId();
    BlockTransport();
    ~BlockTransport() override;

    /**
     * \brief Sets Linux hosts' TCP timers on a BlockTransport factory: MinRto 200 ms,
     * ConnTimeout 1 s (the initial RTO), DelAckTimeout 40 ms.
     *
     * The papers' ModelNet hosts ran Linux; ns-3's socket defaults are 1 s, 3 s and 200 ms.
     * The streaming programs' control connections use these by default (--controlTcp=linux),
     * in simulation and on emulated hosts alike.
     */
    static void SetLinuxTimers(ObjectFactory& factory);

    /// Node whose TCP stack the transport uses; required before Listen()/Connect().
    void SetNode(Ptr<Node> node);
    Ptr<Node> GetNode() const;

    /**
     * \brief Declares a message type the protocol uses.
     *
     * Frames of any other type are malformed: a stream that carries them is corrupt or foreign,
     * and continuing to parse it would misinterpret everything after.
     */
    void RegisterMessageType(uint16_t type);
    bool IsKnownType(uint16_t type) const;

    /**
     * \brief Builds a message: the protocol's control \p header followed by \p payload.
     *
     * The receiver gets the same packet back and removes the header itself, so the transport
     * never needs to know the protocol's header types.
     */
    static Ptr<Packet> MakeMessage(const Header& header, Ptr<const Packet> payload = nullptr);

    /// Accepts connections on \p port; the port becomes part of this node's identity.
    void Listen(uint16_t port);
    /**
     * \brief Returns a connection to \p peer (the endpoint it listens on), dialling if there is
     * none.
     *
     * Messages sent before it is established are queued.
     */
    Ptr<BlockConnection> Connect(const InetSocketAddress& peer);
    /// Closes every connection to \p peer (queued messages are dropped); reports it down.
    void Close(const InetSocketAddress& peer);
    /// Closes everything, including the listening socket.
    void CloseAll();

    /**
     * \brief Queues a control message (request, diff, join...) to \p peer.
     *
     * Control messages overtake queued blocks.
     * \return false if there is no connection to \p peer, the type is not registered, or the
     *         message or the queue would exceed its limit.
     */
    bool Send(const InetSocketAddress& peer, uint16_t type, Ptr<const Packet> message);
    /**
     * \brief Queues a block message to \p peer, behind the blocks already queued.
     * \param inFront in_front to report to the receiver: the queue length the protocol read
     *        (GetQueuedBlocks()) when the request arrived; negative means "now".
     */
    bool SendBlock(const InetSocketAddress& peer, uint16_t type, Ptr<const Packet> message,
                   int64_t inFront = -1);

    /// The connection carrying messages to \p peer (may still be connecting), or null.
    Ptr<BlockConnection> GetConnection(const InetSocketAddress& peer) const;
    /// True when \p peer has a connection able to carry messages now.
    bool IsUp(const InetSocketAddress& peer) const;
    /// Peers with at least one connection (up or connecting), by address, then port.
    std::vector<InetSocketAddress> GetPeers() const;
    /// Blocks in the application queue to \p peer (0 if none).
    uint32_t GetQueuedBlocks(const InetSocketAddress& peer) const;
    /**
     * \brief Bytes on their way to \p peer: framed messages in the application queue plus
     * bytes in the socket's send buffer not yet acknowledged. A peer that stops reading keeps
     * it constant (its window is closed); one that reads makes it fall or lets more in.
     * \param peer the peer
     * \return the bytes (0 without a connection)
     */
    uint64_t GetBacklogBytes(const InetSocketAddress& peer) const;
    /// Idle time of the pipe to \p peer (see BlockConnection::GetIdleTime()).
    Time GetIdleTime(const InetSocketAddress& peer) const;
    /**
     * \brief This node's identity as its peers know it: the address announced in the hello
     * and the listening port.
     *
     * Set by Listen() or the first Connect(); 0.0.0.0:0 before either.
     */
    InetSocketAddress GetLocalIdentity() const;
    /// Connections closed for malformed input since creation.
    uint64_t GetMalformedCount() const;
    /// Connections retired for idleness (by either side) since creation (see IdleTimeout).
    uint64_t GetIdleCloseCount() const;
    /**
     * \brief Stops (false) or resumes (true) reading every connection's socket, as a hung
     * process does: bytes wait in the TCP receive buffers and the peers' windows close, while
     * sending goes on. For fault tests (a peer that stops reading); resuming reads what
     * waited.
     * \param reading whether to read
     */
    void SetReading(bool reading);
    /// \return false while reading is stopped (SetReading)
    bool IsReading() const;

    /// Message delivery: (peer, type, message without frame; block feedback as a tag).
    typedef Callback<void, const InetSocketAddress&, uint16_t, Ptr<Packet>> ReceiveCallback;
    /// Peer up or down.
    typedef Callback<void, const InetSocketAddress&> PeerCallback;
    /// A block left the queue for a peer; the second argument is the number still queued.
    typedef Callback<void, const InetSocketAddress&, uint32_t> QueueCallback;

    void SetReceiveCallback(ReceiveCallback cb);
    void SetPeerUpCallback(PeerCallback cb);
    void SetPeerDownCallback(PeerCallback cb);
    /// Lets a pushing sender (the Bullet' source) refill a peer's queue as it drains.
    void SetBlockDequeuedCallback(QueueCallback cb);

    /**
     * Trace signature: a message to or from a peer. The hello an accepted connection sends
     * before the peer's own hello has arrived names the peer 0.0.0.0:0.
     */
    typedef void (*MessageTracedCallback)(const InetSocketAddress& peer, uint16_t type,
                                          uint32_t bytes);
    /// Trace signature: a count for a peer (queue length, in_front).
    typedef void (*CountTracedCallback)(const InetSocketAddress& peer, uint32_t value);
    /// Trace signature: a duration for a peer (idle period, wasted).
    typedef void (*TimeTracedCallback)(const InetSocketAddress& peer, Time value);
    /// Trace signature: feedback carried by a received block (in_front, wasted).
    typedef void (*FeedbackTracedCallback)(const InetSocketAddress& peer, uint32_t inFront,
                                           Time wasted);
    /**
     * Trace signature: a peer event with a reason. For a connection closed as malformed before
     * its hello, the peer is the connection's remote endpoint (its ephemeral port).
     */
    typedef void (*PeerEventTracedCallback)(const InetSocketAddress& peer,
                                            const std::string& reason);

  protected:
    void DoDispose() override;

  private:
    friend class BlockConnection;

    /// Connections to one peer.
    struct PeerEntry
    {
        std::vector<Ptr<BlockConnection>> connections; //!< all, in creation order
        Ptr<BlockConnection> active;                   //!< carries this node's messages
        bool up{false};                                //!< PeerUp reported
    };

    Ptr<Socket> CreateSocket();
    bool Accept(Ptr<Socket> socket, const Address& from);
    void Accepted(Ptr<Socket> socket, const Address& from);
    void UpdateLocalIdentity();
    bool CheckSend(const InetSocketAddress& peer, uint16_t type, Ptr<const Packet> message) const;

    // Called by BlockConnection.
    void ConnectionOpened(Ptr<BlockConnection> conn);
    void HelloReceived(Ptr<BlockConnection> conn, const InetSocketAddress& peer);
    void MessageReceived(Ptr<BlockConnection> conn, uint16_t type, Ptr<Packet> message);
    void ConnectionClosed(Ptr<BlockConnection> conn, const std::string& reason, bool malformed);
    /// Up when a usable connection appears; makes it active if the active one is not usable.
    void MaybeUp(const InetSocketAddress& peer, Ptr<BlockConnection> conn);
    /// The peer's bye arrived on \p conn: retire it and close our side (flushing ours first).
    void ByeReceived(Ptr<BlockConnection> conn);
    /// Takes a retiring \p conn out of service: \p entry's active moves to another connection.
    void Retire(PeerEntry& entry, Ptr<BlockConnection> conn);
    /// Retires connections idle for IdleTimeout; closes retired ones never answered.
    void SweepIdle();
    /// Makes \p entry's first usable connection that is not retiring active (or none).
    void PickActive(PeerEntry& entry);
    /// Schedules SweepIdle() if IdleTimeout is set and no sweep is pending.
    void ScheduleSweep();
    /// A new entry for \p peer: up at once if the peer was parked (no second PeerUp).
    PeerEntry& NewEntry(const InetSocketAddress& peer);

    Ptr<Node> m_node;
    Ptr<Socket> m_listener;
    uint16_t m_port{0};
    Ipv4Address m_localAddress;
    InetSocketAddress m_identity{Ipv4Address::GetAny(), 0}; //!< see GetLocalIdentity()
    bool m_hasIdentity{false};                              //!< m_identity is set
    std::set<uint16_t> m_types;
    std::map<InetSocketAddress, PeerEntry, InetEndpointLess> m_peers; //!< by peer endpoint
    std::set<Ptr<BlockConnection>> m_anonymous; //!< accepted, waiting for the hello
    /// Peers whose connections all retired for idleness: up, without a connection.
    std::set<InetSocketAddress, InetEndpointLess> m_parked;
    uint64_t m_malformed{0};
    uint64_t m_idleCloses{0};
    EventId m_sweep;
    bool m_reading{true};

    // Attributes.
    uint32_t m_maxMessageSize;
    uint32_t m_maxQueueBytes;
    uint32_t m_sndBufSize;
    uint32_t m_rcvBufSize;
    uint32_t m_segmentSize;
    Time m_minRto;        //!< 0: the socket's default
    Time m_connTimeout;   //!< 0: the socket's default
    Time m_idleTimeout;   //!< 0: connections are never retired for idleness
    Time m_delAckTimeout; //!< 0: the socket's default
    Time m_timeWait;      //!< 0: the socket's default
    bool m_idleWhenEmpty;

    ReceiveCallback m_receive;
    PeerCallback m_peerUp;
    PeerCallback m_peerDown;
    QueueCallback m_blockDequeued;

    TracedCallback<const InetSocketAddress&, uint16_t, uint32_t> m_txTrace;
    TracedCallback<const InetSocketAddress&, uint16_t, uint32_t> m_rxTrace;
    TracedCallback<const InetSocketAddress&, uint32_t> m_queueLengthTrace;
    TracedCallback<const InetSocketAddress&, uint32_t> m_inFrontTrace;
    TracedCallback<const InetSocketAddress&, Time> m_idleTrace;
    TracedCallback<const InetSocketAddress&, Time> m_wastedTrace;
    TracedCallback<const InetSocketAddress&, uint32_t, Time> m_feedbackTrace;
    TracedCallback<const InetSocketAddress&, const std::string&> m_malformedTrace;
    TracedCallback<const InetSocketAddress&, const std::string&> m_peerUpTrace;
    TracedCallback<const InetSocketAddress&, const std::string&> m_peerDownTrace;
};

} // namespace ns3

#endif // BULLET_BLOCK_TRANSPORT_H
