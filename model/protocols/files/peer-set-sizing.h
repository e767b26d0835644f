/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_PEER_SET_SIZING_H
#define BULLET_PEER_SET_SIZING_H

#include "ns3/ipv4-address.h"
#include "ns3/object.h"

#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief How many senders (or receivers) a Bullet' node keeps and which ones it drops (2008
 * Section 4.2.3.2, Figure 5, compared in Section 5.10): one small interface, chosen by the
 * protocol's sizing attributes. A node has one object for its senders and one for its
 * receivers.
 *
 * No simulator inside: the protocol calls Manage at each RanSub distribute and Prune every
 * 5 s. When GetMax() falls below the number of peers, the protocol is expected to close
 * peers down to it (Figure 5's "MAX_SENDERS--" means closing a connection); when it is
 * above, to try new ones.
 */
class PeerSetSizing : public Object
{
  public:
    static TypeId GetTypeId();
    /// The current maximum number of peers (MAX_SENDERS or MAX_RECEIVERS).
    virtual uint32_t GetMax() const = 0;
    /// At each RanSub distribute: Figure 5's ManageSenders with the current number of peers and
    /// the current total bandwidth (incoming for senders, outgoing for receivers), bits/s.
    virtual void Manage(uint32_t peers, double bandwidthBps) = 0;
    /// Every 5 s: the peers to disconnect, given each peer's figure (senders: bandwidth received
    /// from it; receivers: the share of its total incoming bandwidth it gets from us).
    virtual std::vector<Ipv4Address> Prune(const std::vector<std::pair<Ipv4Address, double>>& peers)
        = 0;
};

/**
 * \ingroup bullet
 * \brief Bullet''s adaptive peer set (the default): Figure 5's ManageSenders and the
 * 1.5-sigma pruning rule.
 *
 * MAX starts at Initial and always stays within [Min, Max] (the paper: 10, within the hard
 * limits 6 and 25). Manage(peers, bw), line by line as Figure 5:
 *   - peers != MAX: nothing (the node is still filling its set, or closing down to MAX);
 *   - no previous senders (num_prev == 0): MAX + 1 ("try to add a new peer by default");
 *   - peers > num_prev: MAX + 1 if bw > prev_bw (adding helped), else MAX - 1;
 *   - peers < num_prev: MAX - 1 if bw > prev_bw (losing one made us faster), else MAX + 1;
 *   - peers == num_prev: nothing;
 * then MAX is clamped to [Min, Max]. "Better" is strictly greater: equal bandwidth counts as
 * no gain.
 *
 * When the "prev" values change, which the figure leaves implicit: at the end of every
 * Manage call, whatever it decided, including the calls that return at the first line,
 * num_prev := peers and prev_bw := bw. So each call compares against the previous RanSub
 * distribute, as the text puts it ("based on the number of senders and bandwidth received
 * when the last distribute message arrived"). Before the first call both are 0.
 *
 * Prune(figures): the mean and the standard deviation of the figures (the population
 * deviation: the figures are the whole peer set, not a sample); peers are taken in ascending
 * order of figure (equal figures in the given order) and each one more than Deviations
 * standard deviations below the mean is disconnected, as long as at least Min peers remain.
 * Nothing when all figures are equal. The result is in that ascending order.
 */
class DynamicPeerSetSizing : public PeerSetSizing
{
  public:
    static TypeId GetTypeId();
    uint32_t GetMax() const override;
    void Manage(uint32_t peers, double bandwidthBps) override;
    std::vector<Ipv4Address> Prune(
        const std::vector<std::pair<Ipv4Address, double>>& peers) override;

  private:
    uint32_t Clamp(uint32_t n) const;

    uint32_t m_initial{10};
    uint32_t m_min{6};
    uint32_t m_maxLimit{25};
    double m_deviations{1.5};

    bool m_started{false};   ///< whether m_current has left Initial
    uint32_t m_current{10};  ///< MAX_SENDERS / MAX_RECEIVERS once started
    uint32_t m_prevPeers{0}; ///< num_prev_senders
    double m_prevBps{0};     ///< prev_incoming_bw
};

/**
 * \ingroup bullet
 * \brief A fixed peer set of Peers (Section 5.10's static cases, 10 and 14): Manage changes
 * nothing and Prune closes nobody.
 */
class StaticPeerSetSizing : public PeerSetSizing
{
  public:
    static TypeId GetTypeId();
    uint32_t GetMax() const override;
    void Manage(uint32_t peers, double bandwidthBps) override;
    std::vector<Ipv4Address> Prune(
        const std::vector<std::pair<Ipv4Address, double>>& peers) override;

  private:
    uint32_t m_peers{10};
};

} // namespace ns3

#endif // BULLET_PEER_SET_SIZING_H
