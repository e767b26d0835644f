/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BULLET_APPLICATION_H
#define BULLET_BULLET_APPLICATION_H

#include "ns3/bullet-mesh-receiver.h"
#include "ns3/bullet-mesh-sender.h"
#include "ns3/bullet-peer-header.h"
#include "ns3/bullet-tree-push.h"
#include "ns3/child-send-policy.h"
#include "ns3/mesh-evaluation-policy.h"
#include "ns3/ransub.h"
#include "ns3/recovered-relay-policy.h"
#include "ns3/stream-recovery.h"
#include "ns3/streaming-application.h"
#include "ns3/working-set.h"

#include <functional>
#include <memory>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Bullet (Kostić et al., SOSP 2003): a high-bandwidth mesh over an overlay tree.
 *
 * The application wires together Bullet's roles, each a class of its own:
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
 *   EvaluationEpochs epochs the policy names a sender and a receiver to drop; by default a
 *   full receiver drops the sender whose duplicates exceed DuplicateThreshold of what it
 *   sent, else the one giving the least useful data; a full sender drops the receiver that
 *   gets the least portion of its bandwidth from it.
 * The peering messages are BulletPeerHeader.
 */
class BulletApplication : public StreamingApplication
{
  public:
    static constexpr uint16_t kRequest = BulletPeerHeader::kRequest;
    static constexpr uint16_t kAccept = BulletPeerHeader::kAccept;
    static constexpr uint16_t kReject = BulletPeerHeader::kReject;
    static constexpr uint16_t kRefresh = BulletPeerHeader::kRefresh;
    static constexpr uint16_t kDrop = BulletPeerHeader::kDrop;
    static constexpr uint16_t kChildDigest = BulletPeerHeader::kChildDigest;

    static TypeId GetTypeId();
    BulletApplication();

    Ptr<RanSub> GetRanSub() const;
    std::vector<Ipv4Address> GetSenders() const;
    std::vector<Ipv4Address> GetReceivers() const;
    /// The children as the send policy sees them (factors, ownership counts).
    const std::vector<ChildSendPolicy::Child>& GetChildState() const;
    const WorkingSet& GetWorkingSet() const;
    /// Peering messages (request, refresh, child digest) dropped as malformed.
    uint64_t GetMalformedPeerMessages() const;

    /// \copydoc BulletMeshReceiver::LeastResembling
    static bool LeastResembling(const SummaryTicket& mine, const std::vector<RanSubMember>& members,
                                const std::function<bool(Ipv4Address)>& eligible,
                                Ipv4Address& chosen, double& resemblance);

    /// (peer, why): a peering ended
    using PeerTracedCallback = void (*)(Ipv4Address peer, const std::string& why);
    /// (sender): a peer accepted to send to this node
    using SenderAddedTracedCallback = void (*)(Ipv4Address sender);

  protected:
    void DoDispose() override;
    void DoStart() override;
    void DoStop() override;
    void Disseminate(const StreamHeader& header, Ptr<const Packet> packet,
                     Ipv4Address from) override;
    void Received(Ipv4Address from, uint32_t seq, bool duplicate) override;

  private:
    std::vector<uint8_t> TicketPayload() const;
    void OnRanSub(uint32_t epoch, const std::vector<RanSubMember>& members);
    void EvaluateMesh();
    void RefreshTick();
    void SendControl(Ipv4Address to, uint16_t type, const BulletPeerHeader* h);
    /// Reads the peer header of message \p p from \p from; false (logged) if malformed.
    bool ReadPeerHeader(Ipv4Address from, Ptr<Packet> p, BulletPeerHeader& h);
    void OnSendReady(Ipv4Address peer);

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
    TypeId m_recoveredRelayType;
    uint32_t m_rowRotation;
    Time m_refreshPeriod;
    uint32_t m_evaluationEpochs;
    double m_duplicateThreshold;
    TypeId m_meshEvaluationType;
    Time m_recoveryWindow;
    double m_falsePositive;
    uint32_t m_ticketEntries;
    double m_initialLimitingFactor;
    uint32_t m_receiverTimeoutPeriods;
    TypeId m_childPolicyType;

    Ptr<RanSub> m_ransub;
    uint64_t m_malformedPeerMessages{0};
    Ptr<MeshEvaluationPolicy> m_evaluation;
    std::unique_ptr<StreamRecovery> m_recovery;
    std::unique_ptr<BulletTreePush> m_treePush;
    std::unique_ptr<BulletMeshReceiver> m_meshReceiver;
    std::unique_ptr<BulletMeshSender> m_meshSender;

    uint32_t m_epochsSinceEvaluation{0};
    Time m_lastEvaluation;
    EventId m_refreshTimer;

    TracedCallback<Ipv4Address, const std::string&> m_peerDropTrace;
    TracedCallback<Ipv4Address> m_senderAddedTrace;
};

} // namespace ns3

#endif // BULLET_BULLET_APPLICATION_H
