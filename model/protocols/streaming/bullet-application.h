/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BULLET_APPLICATION_H
#define BULLET_BULLET_APPLICATION_H

#include "ns3/child-send-policy.h"
#include "ns3/counting-bloom-filter.h"
#include "ns3/ransub.h"
#include "ns3/stream-recovery.h"
#include "ns3/streaming-application.h"
#include "ns3/working-set.h"

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Bullet's peering messages: a request or refresh carries the receiver's Bloom
 * filter, the range it still wants, its number of senders and the addressee's row, and the
 * bandwidth it receives in total; accept, reject and drop carry nothing else.
 */
class BulletPeerHeader : public StreamDigestHeader
{
  public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    uint16_t senders{0}; ///< s: rows of the receiver's sequence matrix
    uint16_t row{0};     ///< mod: the row this sender serves
    uint32_t receivedKbps{0};

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

  protected:
    void DoDeserialize(WireReader& reader) override;
};

/**
 * \ingroup bullet
 * \brief Bullet (Kostić et al., SOSP 2003): a high-bandwidth mesh over an overlay tree.
 *
 * - Disjoint data down the tree: each new packet goes to children through a
 *   ChildSendPolicy (Figure 5's disjoint routine by default), with sending factors from
 *   RanSub's descendant counts. Children send their parent their Bloom filter every
 *   RefreshPeriod, which Figure 5's child_filter keeps current: a packet the parent
 *   recovered from its peers is relayed only to children that lack it.
 * - Finding peers: each RanSub epoch, a node with room for another sender asks the
 *   candidate whose summary ticket least resembles its own, sending its Bloom filter; a
 *   node accepts while it has room for another receiver.
 * - Recovering data: every RefreshPeriod a receiver sends each sender its Bloom filter, the
 *   range (low, high) it still wants, its number of senders s and that sender's row; the
 *   sender transmits, as its transport allows, the packets it holds in the range with
 *   seq mod s = row that the filter does not contain.
 * - Improving the mesh: every EvaluationEpochs epochs a full receiver drops the sender
 *   whose duplicates exceed DuplicateThreshold of what it sent, else the one giving the
 *   least useful data; a full sender drops the receiver that gets the least portion of its
 *   bandwidth from it.
 */
class BulletApplication : public StreamingApplication
{
  public:
    static constexpr uint16_t kRequest = 30;
    static constexpr uint16_t kAccept = 31;
    static constexpr uint16_t kReject = 32;
    static constexpr uint16_t kRefresh = 33;
    static constexpr uint16_t kDrop = 34;
    static constexpr uint16_t kChildDigest = 35;

    /// Which recovered packets a parent relays to its children (RecoveredRelay attribute).
    enum RecoveredRelay
    {
        RELAY_ALL,
        RELAY_PARENT_ROW,
        RELAY_NONE,
    };

    static TypeId GetTypeId();
    BulletApplication();

    Ptr<RanSub> GetRanSub() const;
    std::vector<Ipv4Address> GetSenders() const;
    std::vector<Ipv4Address> GetReceivers() const;
    /// The children as the send policy sees them (factors, ownership counts).
    const std::vector<ChildSendPolicy::Child>& GetChildState() const;
    const WorkingSet& GetWorkingSet() const;

    /**
     * The member whose summary ticket least resembles \p mine among those \p eligible
     * accepts (2003 Section 3.1); members with malformed tickets are skipped.
     * \returns false if there is no such member
     */
    static bool LeastResembling(const SummaryTicket& mine, const std::vector<RanSubMember>& members,
                                const std::function<bool(Ipv4Address)>& eligible,
                                Ipv4Address& chosen, double& resemblance);

    /// (peer, why): a peering ended
    using PeerTracedCallback = void (*)(Ipv4Address peer, const std::string& why);

  protected:
    void DoDispose() override;
    void DoStart() override;
    void DoStop() override;
    void Disseminate(const StreamHeader& header, Ptr<const Packet> packet,
                     Ipv4Address from) override;
    void Received(Ipv4Address from, uint32_t seq, bool duplicate) override;

  private:
    struct SenderState
    {
        Ipv4Address address;
        uint32_t received{0};   ///< packets since the last evaluation
        uint32_t duplicates{0}; ///< of which duplicates
    };

    struct ReceiverState
    {
        BloomFilter filter;
        uint32_t low{0};
        uint32_t high{0};
        uint16_t senders{1};
        uint16_t row{0};
        uint32_t reportedKbps{0};
        /// Sent since the last refresh: the refresh's filter may predate their arrival.
        std::set<uint32_t> sentSinceRefresh;
        uint64_t bytesSent{0}; ///< since the last evaluation
        Time lastRefresh;
    };

    std::vector<uint8_t> TicketPayload() const;
    void OnRanSub(uint32_t epoch, const std::vector<RanSubMember>& members);
    void UpdateChildren();
    void RequestPeer(const std::vector<RanSubMember>& members);
    void EvaluateMesh();
    void RefreshTick();
    void SendRefreshes();
    BulletPeerHeader MakeDigest() const;
    void SendControl(Ipv4Address to, uint16_t type, const BulletPeerHeader* h = nullptr);
    void DropSender(Ipv4Address sender, const std::string& why);
    void DropReceiver(Ipv4Address receiver, const std::string& why, bool tell);
    void OnSendReady(Ipv4Address peer);
    bool IsSender(Ipv4Address a) const;

    void HandleRequest(Ipv4Address from, Ptr<Packet> p);
    void HandleAccept(Ipv4Address from, Ptr<Packet> p);
    void HandleReject(Ipv4Address from, Ptr<Packet> p);
    void HandleRefresh(Ipv4Address from, Ptr<Packet> p);
    void HandleDrop(Ipv4Address from, Ptr<Packet> p);
    void HandleChildDigest(Ipv4Address from, Ptr<Packet> p);

    // Attributes
    uint32_t m_maxSenders;
    uint32_t m_maxReceivers;
    bool m_sourceAcceptsPeers;
    RecoveredRelay m_recoveredRelay;
    uint32_t m_rowRotation;
    Time m_refreshPeriod;
    uint32_t m_evaluationEpochs;
    double m_duplicateThreshold;
    Time m_recoveryWindow;
    double m_falsePositive;
    uint32_t m_ticketEntries;
    double m_initialLimitingFactor;
    uint32_t m_receiverTimeoutPeriods;
    TypeId m_childPolicyType;

    Ptr<RanSub> m_ransub;
    Ptr<ChildSendPolicy> m_childPolicy;
    std::unique_ptr<StreamRecovery> m_recovery;
    std::vector<ChildSendPolicy::Child> m_children;
    /// What each child holds: its last digest, plus what we sent it since (Figure 5's
    /// child_filter), so recovered packets are relayed only to children that lack them.
    struct ChildHoldings
    {
        BloomFilter filter;
        uint32_t high{0}; ///< the child's newest packet at its digest
        uint16_t rows{0}; ///< ParentRow: rows of the child's matrix (0: none assigned)
        uint16_t row{0};  ///< ParentRow: this node's row
        std::set<uint32_t> sentSince;
    };

    std::map<Ipv4Address, ChildHoldings> m_childHoldings;
    uint64_t m_totalSent{0};
    uint32_t m_epochPackets{0};
    uint32_t m_lastEpochPackets{0};
    uint32_t m_epochsSinceEvaluation{0};
    std::vector<SenderState> m_senders;
    std::map<Ipv4Address, ReceiverState> m_receivers;
    bool m_requestPending{false};
    Ipv4Address m_pending;
    uint64_t m_bytesSinceRefresh{0};
    Time m_lastRefreshSent;
    Time m_lastParentData; ///< when the tree last brought a packet
    uint32_t m_refreshRound{0};
    Time m_lastEvaluation;
    EventId m_refreshTimer;

    TracedCallback<Ipv4Address, const std::string&> m_peerDropTrace;
    TracedCallback<Ipv4Address> m_senderAddedTrace;
};

} // namespace ns3

#endif // BULLET_BULLET_APPLICATION_H
