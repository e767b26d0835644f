/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BULLET_TREE_PUSH_H
#define BULLET_BULLET_TREE_PUSH_H

#include "ns3/bullet-peer-header.h"
#include "ns3/child-send-policy.h"
#include "ns3/counting-bloom-filter.h"
#include "ns3/overlay-tree.h"
#include "ns3/packet.h"
#include "ns3/recovered-relay-policy.h"
#include "ns3/sequence-set.h"

#include <functional>
#include <map>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Bullet's push down the tree (2003 Section 3.3): each new packet goes to the
 * children through a ChildSendPolicy, never to a child known to hold it.
 *
 * The children as the policy sees them follow the tree, with sending factors from RanSub's
 * descendant counts and per-epoch ownership counts. What each child holds is its last digest
 * plus what was sent to it since (Figure 5's child_filter); a packet up to the child's
 * newest at its digest is one this node recovered, and the RecoveredRelayPolicy decides
 * whether the child's own peers are left to supply it.
 */
class BulletTreePush
{
  public:
    /// Non-blocking send of a stream packet to a child; true if the transport took it.
    using SendFn = std::function<bool(Ipv4Address to, Ptr<const Packet> packet, uint32_t seq)>;
    /// A child's number of descendants, as RanSub counted them (0: not counted yet).
    using DescendantsFn = std::function<uint32_t(Ipv4Address child)>;

    /**
     * \param tree this node's tree
     * \param policy how a new packet is split among the children
     * \param relay which recovered packets are left to a child's peers
     * \param initialLimitingFactor a new child's limiting factor
     */
    BulletTreePush(Ptr<OverlayTree> tree, Ptr<ChildSendPolicy> policy,
                   Ptr<RecoveredRelayPolicy> relay, double initialLimitingFactor, SendFn send,
                   DescendantsFn descendants);

    /// A RanSub epoch began: children and sending factors anew, ownership counts reset.
    void NewEpoch();
    /// Follows the tree's children (keeping known ones' state); sending factors anew.
    void UpdateChildren();
    /// Offers new packet \p seq to the children. \returns whether one of them took it
    bool Push(uint32_t seq, Ptr<const Packet> packet);
    /// A child's digest (message kChildDigest); ignored unless \p from is a child.
    void HandleChildDigest(Ipv4Address from, const BulletPeerHeader& digest);
    /// Forgets the holdings of nodes that are no longer children.
    void ForgetFormerChildren();
    /// Whether \p child holds \p seq as far as this node knows, or is left it to its peers.
    bool Has(Ipv4Address child, uint32_t seq) const;

    /// The children as the send policy sees them (factors, ownership counts).
    const std::vector<ChildSendPolicy::Child>& GetChildren() const;

  private:
    /// What a child holds: its last digest, plus what was sent to it since.
    struct ChildHoldings
    {
        BloomFilter filter;
        uint32_t high{0}; ///< the child's newest packet at its digest
        RowShare share;   ///< this node's share of the child's matrix, as the child reported it
        SequenceSet sentSince;
    };

    Ptr<OverlayTree> m_tree;
    Ptr<ChildSendPolicy> m_policy;
    Ptr<RecoveredRelayPolicy> m_relay;
    double m_initialLimitingFactor;
    SendFn m_send;
    DescendantsFn m_descendants;

    std::vector<ChildSendPolicy::Child> m_children;
    std::map<Ipv4Address, ChildHoldings> m_holdings;
    uint64_t m_totalSent{0};    ///< packets owned by some child this epoch
    uint32_t m_epochPackets{0}; ///< new packets this epoch
    uint32_t m_lastEpochPackets{0};
};

} // namespace ns3

#endif // BULLET_BULLET_TREE_PUSH_H
