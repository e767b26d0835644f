/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BULLET_APPLICATION_H
#define BULLET_BULLET_APPLICATION_H

#include "ns3/bullet-peer-header.h"
#include "ns3/bullet-protocol.h"
#include "ns3/child-send-policy.h"
#include "ns3/ransub.h"
#include "ns3/streaming-application.h"
#include "ns3/working-set.h"

#include <functional>
#include <memory>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Bullet (Kostić et al., SOSP 2003): a high-bandwidth mesh over an overlay tree,
 * carrying the source's stream.
 *
 * The protocol itself (the push down the tree, the mesh's receivers and senders, the mesh
 * evaluation, its policies and attributes) is BulletProtocol, which BulletFilesApplication
 * runs over a file too; this application feeds it the stream: every packet new to the node
 * (Disseminate), every packet received (Received), and its transport's send-ready
 * notifications. Its attributes are BulletAttributes' and RecoveryWindow.
 */
class BulletApplication
    : public StreamingApplication
    , public BulletAttributes
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
    /// Where this node's sending to its mesh receivers spent its time, up to now (idle:
    /// nothing owed; blocked: waiting for the TCP-friendly rate).
    StreamRecovery::SendTimes GetMeshSendTimes() const;
    /// Peering messages (request, refresh, child digest) dropped as malformed.
    uint64_t GetMalformedPeerMessages() const;

    /// \copydoc BulletMeshReceiver::RankByResemblance
    static std::vector<BulletMeshReceiver::Candidate> RankByResemblance(
        const SummaryTicket& mine, const std::vector<RanSubMember>& members,
        const std::function<bool(Ipv4Address)>& eligible);

  protected:
    void DoDispose() override;
    void DoStart() override;
    void DoStop() override;
    void Disseminate(const StreamHeader& header, Ptr<const Packet> packet,
                     Ipv4Address from) override;
    void Received(Ipv4Address from, uint32_t seq, bool duplicate) override;

  private:
    void OnSendReady(Ipv4Address peer);

    Time m_recoveryWindow;
    bool m_shuffleMissing{false}; ///< ShuffleMissing
    std::unique_ptr<BulletProtocol> m_protocol;
};

} // namespace ns3

#endif // BULLET_BULLET_APPLICATION_H
