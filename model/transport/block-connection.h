/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BLOCK_CONNECTION_H
#define BULLET_BLOCK_CONNECTION_H

#include "ns3/block-frame.h"
#include "ns3/inet-socket-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/socket.h"

#include <deque>

namespace ns3
{

class BlockTransport;

/**
 * \ingroup bullet
 * \brief One TCP connection of a BlockTransport: framing, the application queue in front of
 *        the socket buffer, and the flow-control measurements of Bullet'.
 *
 * Bullet' controls how many blocks sit *in front of* the socket buffer, not the socket buffer
 * itself (TOCS 2008, Section 4.1.1), so messages are held here and written to the socket only
 * while GetTxAvailable() says it has room; the send callback resumes writing. Control messages
 * (requests, diffs) overtake queued blocks so that a request is never stuck behind the data it
 * is meant to regulate; a frame already partly in the socket is always completed first.
 *
 * Measurements (Section 4.3.3.2): in_front is the number of blocks queued here when a block
 * is submitted (or the value the protocol recorded when the request arrived); idle time
 * accumulates while no block is waiting but the socket could take more, counted from the first
 * block written; each block's "wasted" is its wait in the queue minus the idle period it
 * ended, and is stamped into its frame when its first byte enters the socket.
 *
 * Created and owned by BlockTransport; the protocol only queries it.
 */
class BlockConnection : public Object
{
  public:
    /// Lifecycle of the TCP connection.
    enum State
    {
        CONNECTING, //!< outgoing, SYN sent
        OPEN,       //!< established; for an accepted connection, hello not yet received
        CLOSED      //!< closed, failed or aborted; reported once
    };

    static TypeId GetTypeId();
    BlockConnection();
    ~BlockConnection() override;

    /**
     * \brief The peer's identity: the endpoint dialled, or the one its hello named.
     *
     * An accepted connection has none before the hello (see HasPeer()); this is then
     * 0.0.0.0:0.
     */
    const InetSocketAddress& GetPeer() const;
    /// True once the peer's identity is known: always for an outgoing connection, after the
    /// hello for an accepted one.
    bool HasPeer() const;
    State GetState() const;
    /// True for a connection this node initiated.
    bool IsOutgoing() const;
    /// True once messages can flow: established and, if accepted, the hello has arrived.
    bool IsUp() const;
    Ptr<Socket> GetSocket() const;

    /// Blocks waiting in the application queue (not yet handed to the socket).
    uint32_t GetQueuedBlocks() const;
    /// Control messages waiting in the application queue.
    uint32_t GetQueuedControl() const;
    /// Bytes of framed messages waiting in the application queue (incl. a partly written one).
    uint64_t GetQueuedBytes() const;
    /// Total time the pipe sat idle, including an idle period still under way.
    Time GetIdleTime() const;
    /// True while no block waits but the socket could take more.
    bool IsIdle() const;
    /// in_front recorded for the most recently submitted block.
    uint32_t GetLastInFront() const;
    /// "wasted" stamped into the most recently written block.
    Time GetLastWasted() const;
    uint64_t GetBlocksSent() const;   //!< blocks handed completely to the socket
    uint64_t GetMessagesSent() const; //!< messages (incl. blocks) handed completely to the socket
    uint64_t GetMessagesReceived() const; //!< messages delivered to the protocol
    uint64_t GetBytesSent() const;        //!< frame bytes written to the socket
    uint64_t GetBytesReceived() const;    //!< bytes read from the socket

  private:
    friend class BlockTransport;

    /// A message waiting in the application queue.
    struct Pending
    {
        uint16_t type;    //!< message type
        Ptr<Packet> body; //!< control header plus payload
        bool block;       //!< counted as a block, carries feedback
        uint32_t inFront; //!< in_front to report
        Time enqueued;    //!< when it entered the queue
        Time idleBefore;  //!< idle period it ended
    };

    void DoDispose() override;

    /// Binds to a transport and a socket that is to dial \p peer.
    void SetupOutgoing(BlockTransport* transport, Ptr<Socket> socket,
                       const InetSocketAddress& peer);
    /// Binds to a transport and an accepted socket; the peer is known once its hello arrives.
    void SetupAccepted(BlockTransport* transport, Ptr<Socket> socket);
    /// What both Setup functions share: the transport, the socket and its callbacks.
    void Attach(BlockTransport* transport, Ptr<Socket> socket);
    /// Queues a message; a block gets \p inFront, or the current queue length if negative.
    void Enqueue(uint16_t type, Ptr<const Packet> body, bool block, int64_t inFront);
    /// Moves every queued message that has not started into \p other (connection switch).
    void MoveQueueTo(Ptr<BlockConnection> other);
    /// Stops everything and closes the socket without reporting (the transport reports).
    void Shutdown();
    /// Detaches and closes the socket; the queues stay until the caller clears them.
    void CloseSocket();
    /// Clears the socket's callbacks so that it can no longer call into this object.
    void DetachSocket();
    /// Drops every queued message.
    void ClearQueues();

    /// Binds and dials the peer (scheduled by BlockTransport::Connect()).
    void StartConnect();
    void ConnectSucceeded(Ptr<Socket> socket);
    void ConnectFailed(Ptr<Socket> socket);
    /// Reports a connection attempt that did not succeed (refused, reset or timed out).
    void ConnectFailure(Ptr<Socket> socket);
    void SendReady(Ptr<Socket> socket, uint32_t available);
    void DataReady(Ptr<Socket> socket);
    void NormalClose(Ptr<Socket> socket);
    void ErrorClose(Ptr<Socket> socket);
    /// Socket is established: say hello and start writing.
    void Opened();
    /// Writes queued frames while the socket has room.
    void TrySend();
    /// Takes the next message off the queues and frames it into m_current.
    bool Dequeue();
    /// Marks the start of an idle period if nothing waits and the socket has room.
    void CheckIdle();
    /// Parses one reassembled frame: the hello, or a message for the protocol.
    void Deliver(FrameDecoder::Frame& frame);
    /// Fails the connection with \p reason (malformed input or socket error).
    void Fail(const std::string& reason, bool malformed);
    /// Sends the bye and stops carrying new messages (see BlockTransport's IdleTimeout).
    void SendBye();
    /// The peer's bye arrived: write what is queued, then close (see BlockTransport).
    void CloseWhenDrained();
    /// True when a message of the protocol's (not a hello or bye) waits in the queues.
    bool HasQueuedMessages() const;
    /// True when nothing is queued or being written and no message moved for \p timeout.
    bool IsQuiescent(Time timeout) const;

    BlockTransport* m_transport{nullptr};
    Ptr<Socket> m_socket;
    InetSocketAddress m_peer{Ipv4Address::GetAny(), 0}; //!< see GetPeer()
    bool m_hasPeer{false};                              //!< m_peer is known
    /// The socket's remote endpoint: names the peer of an accepted connection before its hello.
    InetSocketAddress m_remote{Ipv4Address::GetAny(), 0};
    bool m_outgoing{false};
    bool m_helloReceived{false};
    State m_state{CONNECTING};

    std::deque<Pending> m_control;
    std::deque<Pending> m_blocks;
    uint64_t m_queuedBytes{0};
    Ptr<Packet> m_current;
    uint32_t m_currentOffset{0};
    bool m_currentIsBlock{false};
    uint16_t m_currentType{0};
    uint32_t m_currentBodySize{0};
    bool m_sending{false}; //!< TrySend() is running (callbacks may re-enter)

    FrameDecoder m_decoder;

    Time m_lastActivity;    //!< last message queued or delivered
    bool m_retiring{false}; //!< a bye was sent or received: carries no new messages
    bool m_byeSent{false};
    bool m_closeWhenDrained{false}; //!< the peer's bye arrived
    bool m_finPending{false};       //!< the peer closed while reading was stopped
    Time m_retiredAt;

    bool m_idle{false};
    Time m_idleSince;
    Time m_idleTotal;
    uint32_t m_lastInFront{0};
    Time m_lastWasted;
    uint64_t m_blocksSent{0};
    uint64_t m_messagesSent{0};
    uint64_t m_messagesReceived{0};
    uint64_t m_bytesSent{0};
    uint64_t m_bytesReceived{0};
};

} // namespace ns3

#endif // BULLET_BLOCK_CONNECTION_H
