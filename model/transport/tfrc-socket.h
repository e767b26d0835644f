/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TFRC_SOCKET_H
#define BULLET_TFRC_SOCKET_H

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/inet-endpoint.h"
#include "ns3/inet-socket-address.h"
#include "ns3/object.h"
#include "ns3/random-variable-stream.h"
#include "ns3/tfrc-receiver.h"
#include "ns3/tfrc-sender.h"
#include "ns3/traced-callback.h"
#include "ns3/traced-value.h"

#include <deque>
#include <map>
#include <memory>
#include <vector>

namespace ns3
{

class Node;
class Packet;
class Socket;
class TfrcSocket;

/**
 * \ingroup bullet
 * \brief One TFRC flow: the state shared with one remote peer, an IPv4 endpoint.
 *
 * A flow is bidirectional: its sender half paces the data this node sends to the peer and
 * consumes the peer's feedback; its receiver half measures the data the peer sends here and
 * returns feedback. Each half has its own TFRC state, created when first used, so two nodes
 * may stream to each other over the same pair of sockets.
 *
 * Sending is non-blocking, as Bullet needs (SOSP 2003 section 3.3: a transmission counts only
 * if the transport accepts it): Send() succeeds only while the small queue in front of the
 * pacer has room, otherwise it fails at once and the caller keeps the packet.
 */
class TfrcFlow : public Object
{
  public:
    static TypeId GetTypeId();
    TfrcFlow();
    ~TfrcFlow() override;

    /// \brief The remote end this flow talks to.
    InetSocketAddress GetPeer() const;

    /**
     * \brief Non-blocking send of one application packet to the peer.
     * \return true if the flow took the packet (it will be paced out), false if its queue is
     *         full; the packet is then untouched and the caller decides what to do with it
     */
    bool Send(Ptr<Packet> payload);
    /// \brief Whether Send() would succeed now.
    bool CanSend() const;
    /// Packets waiting in front of the pacer.
    uint32_t GetQueueSize() const;

    /// Allowed sending rate X in bits/s.
    double GetSendingRate() const;
    /// Sender's smoothed RTT (zero before the first feedback).
    Time GetRtt() const;
    /// Loss event rate p reported by the peer for our data.
    double GetLossEventRate() const;
    /// Loss event rate this node measures on the peer's data.
    double GetReceiverLossEventRate() const;

    uint64_t GetPacketsSent() const;
    /// s, the segment size the flow's rate equation uses, bytes (1460 before it sends)
    uint32_t GetSegmentSize() const;
    uint64_t GetBytesSent() const;
    uint64_t GetSendsRejected() const;
    uint64_t GetPacketsReceived() const;
    uint64_t GetBytesReceived() const;

  protected:
    void DoDispose() override;

  private:
    friend class TfrcSocket;

    void Setup(TfrcSocket* socket, const InetSocketAddress& peer);
    void EnsureSender();
    void TrySend();
    /// Recomputes the next departure after a rate change.
    void Repace();
    /// Sets m_nextSendTime from the pacing rule, s/X for a \p size-byte packet and
    /// m_gapFactor (and the slot length).
    void SetNextSendTime(uint32_t size);
    void NoFeedbackExpired();
    void FeedbackTimerExpired();
    void SendFeedback();
    void CheckTimeout();
    void ReceiveData(Ptr<Packet> packet, const TfrcDataHeader& hdr, uint32_t wireSize);
    void ReceiveFeedback(const TfrcFeedbackHeader& fb);
    void UpdateTraces();

    TfrcSocket* m_socket{nullptr};
    InetSocketAddress m_peer;
    std::unique_ptr<TfrcSender> m_sender;
    std::unique_ptr<TfrcReceiver> m_receiver;

    std::deque<Ptr<Packet>> m_queue;
    uint32_t m_nextSeq{0};
    Time m_nextSendTime;
    Time m_lastSendTime;
    uint32_t m_lastSendSize{0};
    /// The last gap's multiple of s/X: 1 (exact), an Exp(1) draw (Poisson) or a U(0,1)
    /// point in the slot (jittered).
    double m_gapFactor{1.0};
    Time m_slotStart;  ///< jittered pacing: start of the next packet's slot
    Time m_slotLength; ///< s/X at the last send or repace (jittered: that slot's length)
    EventId m_pacerEvent;
    EventId m_noFeedbackEvent;
    EventId m_feedbackEvent;
    EventId m_timeoutEvent;
    bool m_dataLimited{false}; ///< idle or data-limited since the last feedback
    bool m_inSend{false};      ///< inside Send(): the ready callback is not called
    bool m_sentSinceTimer{false};
    bool m_awaitingPeer{false}; ///< data sent and nothing heard from the peer since
    Time m_awaitingSince;

    uint64_t m_packetsSent{0};
    uint64_t m_bytesSent{0};
    uint64_t m_payloadBytesSent{0}; ///< application bytes, for SegmentSize 0
    uint64_t m_rejected{0};
    uint64_t m_packetsReceived{0};
    uint64_t m_bytesReceived{0};

    TracedValue<double> m_rate;     ///< X, bits/s
    TracedValue<Time> m_rtt;        ///< R
    TracedValue<double> m_p;        ///< p reported by the peer
    TracedValue<double> m_recvRate; ///< X_recv measured here, bits/s
    TracedValue<double> m_recvP;    ///< p measured here
};

/**
 * \ingroup bullet
 * \brief TCP-Friendly Rate Control (RFC 5348) over one UDP socket, multiplexing many flows.
 *
 * The transport Bullet sends its data over: unreliable (no retransmissions: a lost block is
 * better fetched from another peer), congestion controlled and TCP-friendly (the rate follows
 * the TCP throughput equation), smooth, and non-blocking.
 *
 * One TfrcSocket owns one UDP socket bound to a port of a node. It keeps one TfrcFlow per
 * remote endpoint (address, port); flows are opened with Connect(), or implicitly when a
 * peer's data arrives, and closed with Close(). A flow that has sent data and heard nothing
 * from its peer for FlowTimeout is reported through the flow-timeout callback and removed.
 * Every method, callback and trace names a peer by its InetSocketAddress (the ToS byte it may
 * carry plays no part in which flow it names).
 *
 * Wire format: every datagram starts with a TfrcDataHeader (followed by the application
 * payload) or is a TfrcFeedbackHeader; malformed datagrams are dropped and counted.
 * IPv4 only.
 */
class TfrcSocket : public Object
{
  public:
    /// How packets are spaced at the rate X.
    enum Pacing
    {
        /// Exactly s/X apart (RFC 5348 4.6).
        PACING_EXACT,
        /**
         * Exponentially distributed gaps with mean s/X (a Poisson process at rate X/s): same
         * rate, no fixed phase. Against TCP on a drop-tail queue, exactly paced packets take
         * the queue's free slots as they open and TCP's back-to-back packets find it full
         * (phase effects; doc/tfrc.md).
         */
        PACING_POISSON,
        /**
         * Back-to-back slots of s/X, each packet at a uniformly drawn point of its slot: the
         * rate of exact pacing (no backlog builds up in front of the pacer) with a random
         * phase.
         */
        PACING_JITTERED,
    };

    static TypeId GetTypeId();
    TfrcSocket();
    ~TfrcSocket() override;

    /**
     * \brief Fixes the random stream of the pacing gaps (Poisson pacing).
     * \param stream first stream index to use
     * \return the number of streams used (2)
     */
    int64_t AssignStreams(int64_t stream);

    /**
     * \brief Creates the UDP socket on \p node and binds it to \p port (0: any free port).
     * \return true on success
     */
    bool Bind(Ptr<Node> node, uint16_t port);
    /// The local port (after Bind).
    uint16_t GetLocalPort() const;

    /// \brief Opens (or returns the existing) flow to \p peer.
    Ptr<TfrcFlow> Connect(const InetSocketAddress& peer);
    /// \brief The flow to \p peer, or null.
    Ptr<TfrcFlow> GetFlow(const InetSocketAddress& peer) const;
    /// \brief Closes the flow to \p peer, discarding its queued packets.
    void Close(const InetSocketAddress& peer);
    /// \brief Closes every flow and the UDP socket.
    void CloseAll();
    /// Number of open flows.
    uint32_t GetNFlows() const;

    /**
     * \brief Non-blocking send to \p peer (which must have been connected, or have sent us
     * data). \return false at once if there is no such flow or it cannot take the packet now.
     */
    bool Send(const InetSocketAddress& peer, Ptr<Packet> payload);

    /// Receives each application payload with the endpoint of the peer that sent it.
    typedef Callback<void, Ptr<Packet>, const InetSocketAddress&> RecvCallback;
    void SetRecvCallback(RecvCallback cb);
    /// Told when a flow's peer vanished (no feedback within FlowTimeout); the flow is gone.
    typedef Callback<void, const InetSocketAddress&> FlowTimeoutCallback;
    void SetFlowTimeoutCallback(FlowTimeoutCallback cb);
    /// Told when a flow that was full has room again, so a sender can refill it.
    typedef Callback<void, const InetSocketAddress&> SendReadyCallback;
    void SetSendReadyCallback(SendReadyCallback cb);

    /// Datagrams rejected as malformed (truncated, garbled, unknown type).
    uint64_t GetMalformedCount() const;

    /// TracedCallback signature for packet events with the peer's endpoint.
    typedef void (*PacketPeerTracedCallback)(Ptr<const Packet> packet,
                                             const InetSocketAddress& peer);
    /// TracedCallback signature for flow events: the peer's endpoint.
    typedef void (*PeerTracedCallback)(const InetSocketAddress& peer);

  protected:
    void DoDispose() override;

  private:
    friend class TfrcFlow;

    Ptr<TfrcFlow> CreateFlow(const InetSocketAddress& peer);
    void HandleRead(Ptr<Socket> socket);
    void Transmit(Ptr<Packet> packet, const InetSocketAddress& peer);
    void FlowTimedOut(Ptr<TfrcFlow> flow);
    /// The next gap as a multiple of s/X (Pacing).
    double NextGapFactor();
    TfrcSenderConfig SenderConfig() const;
    TfrcReceiverConfig ReceiverConfig() const;

    Ptr<Socket> m_udp;
    uint16_t m_port{0};
    /// The flows by peer endpoint (address, then port, as one integer), ascending: a
    /// binary search over a few dozen contiguous keys per packet sent or received.
    std::vector<std::pair<uint64_t, Ptr<TfrcFlow>>> m_flows;
    RecvCallback m_recvCb;
    FlowTimeoutCallback m_timeoutCb;
    SendReadyCallback m_sendReadyCb;
    uint64_t m_malformed{0};

    // Attributes.
    uint32_t m_segmentSize;
    uint32_t m_queueDepth;
    double m_rttSmoothing;
    Time m_tMbi;
    uint32_t m_ndupack;
    uint32_t m_historyLength;
    Time m_flowTimeout;
    Time m_initialRtt;
    Time m_initialNoFeedback;
    bool m_oscillationPrevention; ///< RFC 5348 4.5
    Pacing m_pacing;
    Ptr<ExponentialRandomVariable> m_gaps;   ///< Exp(1) gap multiples for Poisson pacing
    Ptr<UniformRandomVariable> m_slotPoints; ///< U(0,1) slot points for jittered pacing

    // Traces.
    TracedCallback<Ptr<const Packet>, const InetSocketAddress&> m_txTrace;
    TracedCallback<Ptr<const Packet>, const InetSocketAddress&> m_rxTrace;
    TracedCallback<Ptr<const Packet>, const InetSocketAddress&> m_dropTrace;
    TracedCallback<Ptr<const Packet>, const InetSocketAddress&> m_malformedTrace;
    TracedCallback<const InetSocketAddress&> m_flowTimeoutTrace;
};

} // namespace ns3

#endif // BULLET_TFRC_SOCKET_H
