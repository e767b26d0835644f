/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BULLET_PROTOCOL_H
#define BULLET_BULLET_PROTOCOL_H

#include "ns3/bullet-mesh-receiver.h"
#include "ns3/bullet-mesh-sender.h"
#include "ns3/bullet-peer-header.h"
#include "ns3/bullet-tree-push.h"
#include "ns3/child-send-policy.h"
#include "ns3/control-channel.h"
#include "ns3/data-transport.h"
#include "ns3/event-id.h"
#include "ns3/mesh-evaluation-policy.h"
#include "ns3/random-variable-stream.h"
#include "ns3/ransub.h"
#include "ns3/recovered-relay-policy.h"
#include "ns3/stream-header.h"
#include "ns3/stream-recovery.h"
#include "ns3/traced-callback.h"
#include "ns3/type-id.h"

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

class BulletProtocol;

/**
 * \ingroup bullet
 * \brief Bullet's attributes and trace sources, one declaration for every application that
 * runs the protocol: BulletApplication (a stream) and BulletFilesApplication (a file).
 *
 * Such an application derives from this class (publicly: ns-3's attribute and trace
 * accessors reach these members by a cross-cast from the object) and adds them to its TypeId
 * with AddTo(). Its BulletProtocol reads them and fires the traces.
 */
class BulletAttributes
{
  public:
    /**
     * Adds Bullet's attributes (MaxSenders, MaxReceivers, RecoveredRelay, RowRotation,
     * SourceAcceptsPeers, RefreshPeriod, PeerRequestTimeout, PeerRequestsPerEpoch,
     * RejectHoldDown, EvaluationEpochs,
     * DuplicateThreshold, MeshEvaluation, RowAssignment, DigestFilter, BloomFalsePositiveRate,
     * TicketEntries,
     * InitialLimitingFactor, ReceiverTimeout, ChildSendPolicy) and trace sources (SenderAdded,
     * PeerDropped, their callback types named as the class's, which inherits them from here).
     * \param tid the TypeId of a class that derives from BulletAttributes
     * \returns \p tid with them
     */
    static TypeId AddTo(TypeId tid);

    /// (peer, why): a peering ended
    using PeerTracedCallback = void (*)(Ipv4Address peer, const std::string& why);
    /// (sender): a peer accepted to send to this node
    using SenderAddedTracedCallback = void (*)(Ipv4Address sender);

  protected:
    // Set by the attributes (their defaults are in AddTo).
    uint32_t m_maxSenders;
    uint32_t m_maxReceivers;
    bool m_sourceAcceptsPeers;
    TypeId m_recoveredRelayType;
    uint32_t m_rowRotation;
    Time m_refreshPeriod;
    Time m_peerRequestTimeout;
    uint32_t m_peerRequestsPerEpoch;
    Time m_rejectHoldDown;
    uint32_t m_evaluationEpochs;
    double m_duplicateThreshold;
    TypeId m_meshEvaluationType;
    TypeId m_rowAssignmentType;
    TypeId m_digestFilterType;
    double m_falsePositive;
    uint32_t m_ticketEntries;
    double m_initialLimitingFactor;
    uint32_t m_receiverTimeoutPeriods;
    TypeId m_childPolicyType;
    std::string m_sourceChildPolicy;

    TracedCallback<Ipv4Address, const std::string&> m_peerDropTrace;
    TracedCallback<Ipv4Address> m_senderAddedTrace;

  private:
    friend class BulletProtocol;
};

/**
 * \ingroup bullet
 * \brief Bullet (Kostić et al., SOSP 2003) on one node, whatever its data are: a stream's
 * packets (BulletApplication) or a file's blocks (BulletFilesApplication). The roles wired
 * together, each a class of its own:
 * - Disjoint data down the tree (BulletTreePush): each new packet goes to children through
 *   a ChildSendPolicy (Figure 5's disjoint routine by default), with sending factors from
 *   RanSub's descendant counts. Children send their parent their Bloom filter every
 *   RefreshPeriod, which Figure 5's child_filter keeps current: a packet the parent
 *   recovered from its peers is relayed only to children that lack it, as the
 *   RecoveredRelayPolicy (RecoveredRelay attribute) allows.
 * - Finding peers and telling them what is missing (BulletMeshReceiver): each RanSub epoch,
 *   a node with room for another sender asks the candidate whose summary ticket least
 *   resembles its own, sending its Bloom filter; every RefreshPeriod it sends each sender
 *   its Bloom filter, the range (low, high) it still wants, its number of senders s and
 *   that sender's row.
 * - Recovering data for peers (BulletMeshSender): a node accepts while it has room for
 *   another receiver and transmits, as its transport allows, the packets it holds in the
 *   range with seq mod s = row that the filter does not contain (StreamRecovery).
 * - Improving the mesh (MeshEvaluationPolicy, MeshEvaluation attribute): every
 *   EvaluationEpochs epochs the policy names a sender and a receiver to drop.
 *
 * The application owns it from its start to its disposal: it hands over every packet new to
 * the node (Disseminate), every data packet received (Received), and its transport's
 * send-ready notifications (OnSendReady). The peering messages are BulletPeerHeader, over
 * the application's control channel.
 */
class BulletProtocol
{
  public:
    /// Message types on the control channel.
    static constexpr uint16_t kRequest = BulletPeerHeader::kRequest;
    static constexpr uint16_t kAccept = BulletPeerHeader::kAccept;
    static constexpr uint16_t kReject = BulletPeerHeader::kReject;
    static constexpr uint16_t kRefresh = BulletPeerHeader::kRefresh;
    static constexpr uint16_t kDrop = BulletPeerHeader::kDrop;
    static constexpr uint16_t kChildDigest = BulletPeerHeader::kChildDigest;

    /// Starts a RanSub over the node's tree and control channel (OverlayApplication's).
    using StartRanSubFn = std::function<Ptr<RanSub>(
        RanSub::Mode mode, RanSub::PayloadCallback payload, RanSub::DeliverCallback deliver)>;

    /// What the protocol needs of the application it runs in.
    struct Host
    {
        Ipv4Address local;            ///< the node's address
        bool isSource{false};         ///< whether the node is the data's origin
        Ptr<OverlayTree> tree;        ///< the node's tree
        Ptr<ControlChannel> channel;  ///< the node's control channel
        Ptr<DataTransport> transport; ///< the node's data transport
        int64_t stream{-1};           ///< the protocol's random stream (-1: automatic)
        StartRanSubFn startRanSub;    ///< OverlayApplication::StartRanSub
        /// The application's traced non-blocking send of a data packet.
        BulletTreePush::SendFn sendData;
        uint32_t window{0};     ///< the working set's size, in data packets
        uint32_t packetSize{0}; ///< bytes of a data packet, its StreamHeader included
        /// The payload of a held data packet rebuilt for a peer (null: a stream packet's
        /// zeros, StreamRecovery's default).
        StreamRecovery::PayloadFn payload;
        /**
         * Whether a sender shuffles the packets a receiver's refresh shows missing before it
         * sends them (Bullet for files, 2008 Section 4.3.2.1) instead of sending them oldest
         * first (streaming).
         */
        bool shuffleMissing{false};
    };

    /**
     * Builds the roles and starts them: registers the peering messages on the control
     * channel, starts RanSub (non-descendants, the summary ticket of the working set) and
     * the refresh timer.
     * \param attributes the application's Bullet attributes and traces (it outlives this)
     * \param host the application's node, tree, channels and data
     */
    BulletProtocol(BulletAttributes& attributes, const Host& host);
    ~BulletProtocol();
    BulletProtocol(const BulletProtocol&) = delete;
    BulletProtocol& operator=(const BulletProtocol&) = delete;

    /// Stops the refresh timer and RanSub.
    void Stop();

    /**
     * A packet the node holds for the first time (at the source: just made, from the node
     * itself): into the working set, down the tree, to the mesh receivers whose row it is.
     * \returns whether a tree child's transport took it
     */
    bool Disseminate(const StreamHeader& header, Ptr<const Packet> packet, Ipv4Address from);
    /// Every data packet received, new or not (per-sender accounting).
    void Received(Ipv4Address from, bool duplicate);
    /// The data transport to \p peer has room again.
    void OnSendReady(Ipv4Address peer);

    /// The RanSub the protocol started (non-descendants).
    Ptr<RanSub> GetRanSub() const;
    /// The peers sending to this node.
    std::vector<Ipv4Address> GetSenders() const;
    /// The peers this node sends to.
    std::vector<Ipv4Address> GetReceivers() const;
    /// The children as the send policy sees them (factors, ownership counts).
    const std::vector<ChildSendPolicy::Child>& GetChildState() const;
    /// The packets this node holds in its window, and their digests.
    const WorkingSet& GetWorkingSet() const;
    /// Where this node's sending to its mesh receivers spent its time, up to now (idle:
    /// nothing owed; blocked: waiting for the TCP-friendly rate).
    StreamRecovery::SendTimes GetMeshSendTimes() const;
    /// Peering messages (request, refresh, child digest) dropped as malformed.
    uint64_t GetMalformedPeerMessages() const;

  private:
    std::vector<uint8_t> TicketPayload() const;
    void OnRanSub(uint32_t epoch, const std::vector<RanSubMember>& members);
    void EvaluateMesh();
    void RefreshTick();
    void SendControl(Ipv4Address to, uint16_t type, const BulletPeerHeader* h);
    /// Reads the peer header of message \p p from \p from; false (logged) if malformed.
    bool ReadPeerHeader(Ipv4Address from, Ptr<Packet> p, BulletPeerHeader& h);
    /// Shuffles a receiver's missing packets (Host::shuffleMissing).
    void Shuffle(std::deque<uint32_t>& seqs);
    /// The ChildSendPolicy TypeId for this node (SourceChildSendPolicy at the source, when set).
    static TypeId ChildPolicyType(const BulletAttributes& a, bool isSource);

    void HandleRequest(Ipv4Address from, Ptr<Packet> p);
    void HandleAccept(Ipv4Address from, Ptr<Packet> p);
    void HandleReject(Ipv4Address from, Ptr<Packet> p);
    void HandleRefresh(Ipv4Address from, Ptr<Packet> p);
    void HandleDrop(Ipv4Address from, Ptr<Packet> p);
    void HandleChildDigest(Ipv4Address from, Ptr<Packet> p);

    BulletAttributes& m_attributes;
    Host m_host;

    Ptr<RanSub> m_ransub;
    uint64_t m_malformedPeerMessages{0};
    Ptr<MeshEvaluationPolicy> m_evaluation;
    std::unique_ptr<StreamRecovery> m_recovery;
    std::unique_ptr<BulletTreePush> m_treePush;
    std::unique_ptr<BulletMeshReceiver> m_meshReceiver;
    std::unique_ptr<BulletMeshSender> m_meshSender;
    Ptr<UniformRandomVariable> m_random; ///< the refresh phase, then the shuffles

    uint32_t m_epochsSinceEvaluation{0};
    Time m_lastEvaluation;
    EventId m_refreshTimer;
};

} // namespace ns3

#endif // BULLET_BULLET_PROTOCOL_H
