/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BULLET_MESH_RECEIVER_H
#define BULLET_BULLET_MESH_RECEIVER_H

#include "ns3/bullet-peer-header.h"
#include "ns3/digest-filter-policy.h"
#include "ns3/mesh-evaluation-policy.h"
#include "ns3/nstime.h"
#include "ns3/overlay-tree.h"
#include "ns3/ransub.h"
#include "ns3/recovered-relay-policy.h"
#include "ns3/row-assignment-policy.h"
#include "ns3/stream-recovery.h"
#include "ns3/summary-ticket.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief A Bullet node as a receiver of its mesh peers (2003 Sections 3.1-3.2): it finds
 * senders and keeps them told what it lacks.
 *
 * - Finding peers: each RanSub epoch, with room for another sender (counting the requests
 *   still open), it asks the candidate whose summary ticket least resembles its own
 *   (RankByResemblance), sending its digest; with requestsPerEpoch above 1, or 0, the next
 *   least resembling ones too, while there is room (2008 Section 4.2.2.1 asks as many as the
 *   sender limit allows). A request stays open for RequestTimeout: an
 *   accept within it makes the candidate a sender if there is still room (control messages
 *   over TCP through full queues take seconds, often longer than an epoch); any other accept
 *   is answered by a drop. A candidate that rejected is not asked again for RejectHoldDown
 *   (a full sender makes room only at its evaluations; the source may take no receivers).
 * - Refreshing: every refresh (and whenever its senders change) each sender gets the
 *   node's digest with the number of rows s of its sequence matrix and that sender's row,
 *   rows rotating every RowRotation refreshes (Figure 4b); the parent gets the digest as a
 *   child's, with the rows the RecoveredRelayPolicy assigns it. A node the tree brought
 *   nothing for a RefreshPeriod (not the source) asks for newer packets too.
 * - Accounting: what each sender sent and how much of it was duplicate, for the mesh
 *   evaluation, and the total received since the last refresh, reported to senders.
 */
class BulletMeshReceiver
{
  public:
    /// What the receiver needs of its node's configuration.
    struct Config
    {
        Ipv4Address local;       ///< this node's address
        bool isSource{false};    ///< whether this node is the stream's source
        uint32_t maxSenders{10}; ///< MaxSenders
        /// PeerRequestsPerEpoch: requests made at most per epoch (0: as many as MaxSenders
        /// allows)
        uint32_t requestsPerEpoch{1};
        uint32_t rowRotation{1}; ///< RowRotation (0: rows only change with s)
        Time refreshPeriod;      ///< RefreshPeriod
        Time requestTimeout;     ///< PeerRequestTimeout: how long a request stays open
        Time rejectHoldDown;     ///< RejectHoldDown: no new request to a rejecter for this long
        uint32_t packetSize{0};  ///< bytes counted per data packet received
    };

    /**
     * \param recovery the node's working set and digest (read only)
     * \param relay what the parent relays, and whether it has a share of the matrix
     * \param rows how the matrix is divided at each refresh
     * \param filters which filter goes with each share
     * \param senderAdded called when a peer becomes a sender
     */
    BulletMeshReceiver(const Config& config, Ptr<OverlayTree> tree, const StreamRecovery& recovery,
                       Ptr<RecoveredRelayPolicy> relay, Ptr<RowAssignmentPolicy> rows,
                       Ptr<DigestFilterPolicy> filters, BulletPeerLink link,
                       std::function<void(Ipv4Address)> senderAdded);

    /// A candidate sender and how much its summary ticket resembles this node's.
    struct Candidate
    {
        Ipv4Address node;   ///< the member
        double resemblance; ///< its ticket's resemblance to this node's, in [0, 1]
    };

    /**
     * The members of \p members that \p eligible accepts, the one whose summary ticket least
     * resembles \p mine first (2003 Section 3.1), equals in the members' order; members with
     * malformed tickets are skipped.
     */
    static std::vector<Candidate> RankByResemblance(
        const SummaryTicket& mine, const std::vector<RanSubMember>& members,
        const std::function<bool(Ipv4Address)>& eligible);

    /// A RanSub epoch: requests open longer than RequestTimeout are given up, and new ones
    /// made if there is room.
    void NewEpoch(const std::vector<RanSubMember>& members);
    /// Asks the least resembling eligible members of \p members to become senders: one, or
    /// up to requestsPerEpoch (0: any number), while senders and open requests stay under
    /// MaxSenders.
    void RequestPeers(const std::vector<RanSubMember>& members);
    /// This node's digest as its senders get it (without rows).
    BulletPeerHeader MakeDigest() const;
    /// Sends every sender its refresh and the parent the child digest.
    void SendRefreshes();

    /// An accept (message kAccept): \p from becomes a sender if its request is open and
    /// there is room.
    void HandleAccept(Ipv4Address from);
    /// A reject (message kReject).
    void HandleReject(Ipv4Address from);
    /// A drop from \p from: if it was a sender, it no longer is. \returns whether it was.
    bool SenderLeft(Ipv4Address from);
    /// Ends the peering with sender \p sender, telling it.
    void DropSender(Ipv4Address sender, const std::string& why);
    /// A data packet from \p from.
    void Received(Ipv4Address from, bool duplicate);

    bool IsSender(Ipv4Address a) const;
    std::vector<Ipv4Address> GetSenders() const;
    /// The senders with what they sent since the last ResetCounts, oldest sender first.
    const std::vector<MeshEvaluationPolicy::SenderFigures>& GetSenderFigures() const;
    /// Starts the senders' counts anew (after an evaluation).
    void ResetCounts();

  private:
    Config m_config;
    Ptr<OverlayTree> m_tree;
    const StreamRecovery& m_recovery;
    Ptr<RecoveredRelayPolicy> m_relay;
    Ptr<RowAssignmentPolicy> m_rows;   ///< divides the matrix at each refresh
    Ptr<DigestFilterPolicy> m_filters; ///< the filter that goes with each share
    BulletPeerLink m_link;
    std::function<void(Ipv4Address)> m_senderAdded;

    std::vector<MeshEvaluationPolicy::SenderFigures> m_senders;
    std::map<Ipv4Address, Time> m_openRequests; ///< candidate -> when asked
    std::map<Ipv4Address, Time> m_rejectedBy;   ///< candidate -> when it last rejected
    uint64_t m_bytesSinceRefresh{0};
    Time m_lastRefreshSent;
    Time m_lastParentData; ///< when the tree last brought a packet
    uint32_t m_refreshRound{0};
};

} // namespace ns3

#endif // BULLET_BULLET_MESH_RECEIVER_H
