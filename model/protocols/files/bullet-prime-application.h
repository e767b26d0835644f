/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BULLET_PRIME_APPLICATION_H
#define BULLET_BULLET_PRIME_APPLICATION_H

#include "ns3/bullet-prime-headers.h"
#include "ns3/event-id.h"
#include "ns3/file-distribution-application.h"
#include "ns3/outstanding-policy.h"
#include "ns3/peer-set-sizing.h"
#include "ns3/request-strategy.h"

#include <map>
#include <set>
#include <vector>

namespace ns3
{

class TcpDataTransport;

/**
 * \ingroup bullet
 * \brief Bullet' (Kostić et al., ACM TOCS 2008, Sections 3.2 and 4): file distribution over
 * a mesh, the source pushing and everyone else pulling.
 *
 * - Control tree and RanSub: the tree carries joins and RanSub-all (all nodes, 5 s epochs,
 *   10-member sets); each node publishes its BlockSummary (an exact bitmap while it fits 120
 *   bytes, else the last portion recovered).
 * - Source (4.4.3): pushes each block exactly once, round-robin over its tree children, to a
 *   child whose pipe has room (fewer than PushQueue blocks in front of its socket); once every
 *   block is out it advertises itself in RanSub and serves pulls like any peer.
 * - Peering (4.2.2.1, 4.2.3): at each RanSub distribute a node asks as many candidates as its
 *   sender limit allows, those whose summaries show the most blocks it lacks; a node accepts
 *   a receiver while it has fewer than its receiver limit. The limits and the 5 s pruning are
 *   PeerSetSizing policies (Figure 5 and the 1.5-sigma rule by default).
 * - Diffs (4.3.3.3): a sender announces each block to each receiver once, in a BitmapDiff,
 *   when the receiver has nothing outstanding at it or asks for one; no timers.
 * - Requests (4.3.3.1-2): the receiver orders what a sender has through a RequestStrategy
 *   (rarest-random by default, rarity over its senders) and keeps an OutstandingPolicy's
 *   limit of blocks requested from each sender (the XCP-like controller by default, fed with
 *   the in_front and wasted values the sender's block transport reports with each block).
 * - Blocks travel over the TCP block transport (TcpDataTransport); control over the control
 *   channel. Nodes stay after completing and keep serving (2.6).
 */
class BulletPrimeApplication : public FileDistributionApplication
{
  public:
    /// Control message kinds (ControlChannel::MessageType(0, kind)).
    static constexpr uint8_t kPeerRequest = 50;
    static constexpr uint8_t kPeerAccept = 51;
    static constexpr uint8_t kPeerReject = 52;
    static constexpr uint8_t kDiff = 53;
    static constexpr uint8_t kBlockRequest = 54;
    static constexpr uint8_t kPeerClose = 55;

    static TypeId GetTypeId();
    BulletPrimeApplication();

    std::vector<Ipv4Address> GetSenders() const;
    std::vector<Ipv4Address> GetReceivers() const;
    Ptr<RanSub> GetRanSub() const;
    /// The current sender and receiver limits.
    uint32_t GetMaxSenders() const;
    uint32_t GetMaxReceivers() const;
    /// Control messages dropped as malformed.
    uint64_t GetMalformedMessages() const;
    /// Blocks received that this node had not requested from their sender (nor been pushed).
    uint64_t GetUnrequestedBlocks() const;
    /**
     * \brief Peers this node banned: each sent MaxBadBlocks blocks that failed the manifest's
     * check. A banned peer is closed as sender and receiver, never asked again and refused
     * when it asks.
     * \return the banned peers
     */
    std::vector<Ipv4Address> GetBannedPeers() const;
    /**
     * \brief Blocks peers requested that this node did not send: the transport refused them
     * (the receiver's queue in front of its socket was full, QueueLimit: it asked for more
     * than it lets us deliver) or the receiver was dropped meanwhile. Each request is dropped,
     * never queued: a peer flooding requests costs a counter, not memory.
     * \return how many requested blocks were dropped
     */
    uint64_t GetRefusedRequests() const;
    /// Receivers dropped because nothing on its way to them (queued blocks, unacknowledged
    /// bytes) moved for StallTimeout: they stopped reading.
    uint64_t GetStalledReceivers() const;
    /**
     * \brief Requested blocks given up after RequestTimeout: their sender delivered no
     * requested block for that long (it dropped the requests, e.g. its queue for us was full,
     * or it hangs). They are asked again, of any sender.
     * \return how many requests timed out
     */
    uint64_t GetTimedOutRequests() const;

    /// (peer, reason)
    using PeerTracedCallback = void (*)(Ipv4Address peer, const std::string& why);
    /// (peer)
    using SenderTracedCallback = void (*)(Ipv4Address peer);
    /// (sender, outstanding limit)
    using LimitTracedCallback = void (*)(Ipv4Address sender, uint32_t limit);

  protected:
    void DoDispose() override;
    void DoAssignStreams(int64_t stream) override;
    void DoStart() override;
    void DoStop() override;
    void ReceiveData(Ipv4Address from, Ptr<Packet> packet) override;

  private:
    /// A peer this node pulls from.
    struct Sender
    {
        BlockBitmap view;                 ///< what it has told us it holds
        std::vector<uint32_t> discovered; ///< blocks in the order we learned of them
        std::set<uint32_t> requested;     ///< outstanding at it
        std::set<uint32_t> marked;        ///< requested with the flow controller's mark
        Ptr<OutstandingPolicy> flow;
        uint64_t bytesThisPeriod{0};
        double bps{0}; ///< measured over the last period
        bool diffAsked{false};
        Time lastBlock; ///< when a requested block last came (or the first was asked)
    };

    /// A peer this node sends to.
    struct Receiver
    {
        explicit Receiver(uint32_t blocks)
            : diffs(blocks)
        {
        }

        BitmapDiffSender diffs;
        bool diffAsked{false};
        Time lastProgress;       ///< when what is on its way to it last moved
        uint64_t lastBacklog{0}; ///< bytes on their way to it at the last check
        uint64_t bytesThisPeriod{0};
        double reportedIncomingBps{0};
    };

    std::vector<uint8_t> SummaryPayload() const;
    void OnRanSub(uint32_t epoch, const std::vector<RanSubMember>& members);
    void FindSenders(const std::vector<RanSubMember>& members);
    void PeriodTick();
    void PushNext();
    void OnSendReady(Ipv4Address peer);
    /// The block transport or the control channel lost \p peer: drop it as sender and
    /// receiver.
    void OnPeerDown(Ipv4Address peer);

    void SendControl(Ipv4Address to, uint8_t kind, const Header* h = nullptr);
    bool Parse(Ipv4Address from, Ptr<Packet> p, CheckedHeader& h);
    void HandlePeerRequest(Ipv4Address from, Ptr<Packet> p);
    void HandlePeerAccept(Ipv4Address from, Ptr<Packet> p);
    void HandlePeerReject(Ipv4Address from, Ptr<Packet> p);
    void HandleDiff(Ipv4Address from, Ptr<Packet> p);
    void HandleBlockRequest(Ipv4Address from, Ptr<Packet> p);
    void HandlePeerClose(Ipv4Address from, Ptr<Packet> p);

    /// Requests blocks from \p sender up to its outstanding limit.
    void Request(Ipv4Address sender);
    /// Sends \p receiver a diff if it has something new and nothing outstanding or asked.
    void MaybeSendDiff(Ipv4Address receiver, bool force = false);
    /// \returns true if the transport took the block
    bool SendBlockTo(Ipv4Address to, uint32_t block, bool marked, bool pushed, uint32_t inFront);
    void CloseSender(Ipv4Address sender, const std::string& why, bool tell);
    void CloseReceiver(Ipv4Address receiver, const std::string& why, bool tell);
    /// A block from \p from failed its check: counts it, and bans the peer at MaxBadBlocks.
    void CountBadBlock(Ipv4Address from);
    /// Drops receivers whose backlog has not moved for StallTimeout.
    void DropStalledReceivers();
    /// Gives up requests at senders that delivered nothing for RequestTimeout.
    void ExpireRequests();
    uint32_t Holders(uint32_t block) const;
    double IncomingBps() const;
    double OutgoingBps() const;

    // Attributes
    Time m_period;
    uint32_t m_pushQueue;
    TypeId m_strategyType;
    ObjectFactory m_outstandingFactory;
    ObjectFactory m_senderSizingFactory;
    ObjectFactory m_receiverSizingFactory;
    uint32_t m_maxBadBlocks;
    Time m_stallTimeout;
    Time m_requestTimeout;

    Ptr<RanSub> m_ransub;
    Ptr<TcpDataTransport> m_blocks;
    Ptr<RequestStrategy> m_strategy;
    Ptr<PeerSetSizing> m_senderSizing;
    Ptr<PeerSetSizing> m_receiverSizing;
    std::map<Ipv4Address, Sender> m_senders;
    std::map<Ipv4Address, Receiver> m_receivers;
    std::set<Ipv4Address> m_pendingPeers;     ///< asked to be our senders, no answer yet
    std::map<uint32_t, Ipv4Address> m_wanted; ///< block -> the sender it is requested from
    uint32_t m_pushNext{0};                   ///< source: next block to push
    uint32_t m_pushChild{0};                  ///< source: next child in the round robin
    bool m_pushDone{false};
    double m_lastOutgoingBps{0};
    EventId m_periodTimer;
    EventId m_pushRetry;
    int64_t m_stream{-1};
    uint64_t m_malformed{0};
    uint64_t m_unrequested{0};
    uint64_t m_refusedRequests{0};
    uint64_t m_stalled{0};
    uint64_t m_timedOut{0};
    std::map<Ipv4Address, uint32_t> m_badBlocks; ///< blocks that failed the check, per peer
    std::set<Ipv4Address> m_banned;
    /// Receivers dropped as stalled: refused while what we sent them is still unread.
    std::set<Ipv4Address> m_stalledPeers;

    TracedCallback<Ipv4Address, const std::string&> m_peerClosedTrace;
    TracedCallback<Ipv4Address> m_senderAddedTrace;
    TracedCallback<Ipv4Address, uint32_t> m_limitTrace;
};

} // namespace ns3

#endif // BULLET_BULLET_PRIME_APPLICATION_H
