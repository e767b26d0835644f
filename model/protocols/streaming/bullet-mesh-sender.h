/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BULLET_MESH_SENDER_H
#define BULLET_BULLET_MESH_SENDER_H

#include "ns3/bullet-peer-header.h"
#include "ns3/counting-bloom-filter.h"
#include "ns3/mesh-evaluation-policy.h"
#include "ns3/nstime.h"
#include "ns3/overlay-tree.h"
#include "ns3/sequence-set.h"
#include "ns3/stream-recovery.h"

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief A Bullet node as a sender to its mesh peers (2003 Section 3.2): it accepts
 * receivers while it has room and sends each the packets of its share that it lacks.
 *
 * A receiver's request or refresh carries its Bloom filter, the range it wants, and this
 * node's share of its sequence matrix (one row of s in the paper); the packets this node
 * holds in the range, in its share and not in the filter (less those sent since the last
 * refresh, which the filter may predate) are owed to the receiver through StreamRecovery
 * (oldest first, or in the order Config::order gives), and so is every new packet of its
 * share the receiver lacks. A receiver that sends no refresh for
 * ReceiverTimeout periods is dropped.
 */
class BulletMeshSender
{
  public:
    /// What the sender needs of its node's configuration.
    struct Config
    {
        Ipv4Address local;         ///< this node's address (for the log)
        uint32_t maxReceivers{10}; ///< MaxReceivers
        bool acceptsPeers{true};   ///< false at a source that does not accept peers
        Time receiverTimeout;      ///< silence after which a receiver is dropped
        /// Orders the packets a refresh shows missing before they are owed (null: oldest
        /// first, as a stream wants them; Bullet over a file shuffles them).
        std::function<void(std::deque<uint32_t>&)> order;
    };

    /**
     * \param recovery owes and pumps packets to receivers; its send callback must call
     *        Sent() for every packet the transport takes
     * \param close closes the data transport to a former receiver
     */
    BulletMeshSender(const Config& config, Ptr<OverlayTree> tree, StreamRecovery& recovery,
                     BulletPeerLink link, std::function<void(Ipv4Address)> close);

    /// A peering request (message kRequest): accepted while there is room.
    void HandleRequest(Ipv4Address from, const BulletPeerHeader& h);
    /// A receiver's refresh (message kRefresh): what it is owed is computed anew.
    void HandleRefresh(Ipv4Address from, const BulletPeerHeader& h);
    /// New packet \p seq (from \p from): owed to every other receiver whose share it is in.
    void Offer(uint32_t seq, Ipv4Address from);
    /// The transport to \p peer has room again.
    void OnSendReady(Ipv4Address peer);
    /// The transport took packet \p seq of \p bytes for \p peer.
    void Sent(Ipv4Address peer, uint32_t bytes, uint32_t seq);
    /// Drops the receivers that have not refreshed within the timeout.
    void DropSilent();
    /// Ends the peering with \p receiver, telling it if \p tell.
    void DropReceiver(Ipv4Address receiver, const std::string& why, bool tell);

    bool IsReceiver(Ipv4Address a) const;
    std::vector<Ipv4Address> GetReceivers() const;
    /// The receivers (in address order) with what they were sent since the last ResetCounts.
    std::vector<MeshEvaluationPolicy::ReceiverFigures> GetReceiverFigures() const;
    /// Starts the receivers' counts anew (after an evaluation).
    void ResetCounts();

  private:
    struct ReceiverState
    {
        BloomFilter filter;
        uint32_t low{0};
        uint32_t high{0};
        RowShare share; ///< the rows of its matrix we serve (none assigned: all)
        uint32_t reportedKbps{0};
        /// Sent since the last refresh: the refresh's filter may predate their arrival.
        SequenceSet sentSinceRefresh;
        uint64_t bytesSent{0}; ///< since the last evaluation
        Time lastRefresh;
    };

    Config m_config;
    Ptr<OverlayTree> m_tree;
    StreamRecovery& m_recovery;
    BulletPeerLink m_link;
    std::function<void(Ipv4Address)> m_close;

    std::map<Ipv4Address, ReceiverState> m_receivers;
};

} // namespace ns3

#endif // BULLET_BULLET_MESH_SENDER_H
