/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_CHILD_SEND_POLICY_H
#define BULLET_CHILD_SEND_POLICY_H

#include "ns3/ipv4-address.h"
#include "ns3/object.h"

#include <functional>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief How a Bullet node hands each new packet to its children: one small interface,
 * chosen by BulletApplication's ChildSendPolicy attribute.
 */
class ChildSendPolicy : public Object
{
  public:
    static TypeId GetTypeId();

    /// A child as the send routine sees it.
    struct Child
    {
        Ipv4Address address;
        double sendingFactor{0};  ///< sf: the share of the stream this child should own
        double limitingFactor{1}; ///< lf: the share beyond it the child can take
        uint32_t sent{0};         ///< packets owned this epoch
    };

    /// Non-blocking send to a child: true if its transport took the packet.
    using SendFn = std::function<bool(Child&)>;
    /// Whether a child already holds the packet (as far as the parent knows).
    using HasFn = std::function<bool(const Child&)>;

    /**
     * Offers packet \p seq to \p children.
     * \param lfStep how much one packet per epoch is as a fraction of the stream
     * \param totalSent packets owned by some child this epoch (updated)
     * \returns true if at least one child took it
     */
    virtual bool Send(std::vector<Child>& children, uint32_t seq, double lfStep,
                      uint64_t& totalSent, const SendFn& send, const HasFn& has)
        = 0;
};

/**
 * \ingroup bullet
 * \brief Bullet's disjoint send routine (2003 Section 3.3, Figure 5).
 *
 * The packet is owned by a child whose share of this epoch's owned packets is below its
 * sending factor (Figure 5's loop: the last such child; the text says "farthest away", the
 * code is followed); if its transport refuses, ownership passes to the first child, in
 * order, that accepts. Then each other child also gets the packet when its limiting
 * factor selects this sequence number; a success raises that factor by one packet per
 * epoch, a refusal lowers it by as much. A packet no child takes stays in the node's
 * working set, for its peers.
 */
class DisjointChildSend : public ChildSendPolicy
{
  public:
    static TypeId GetTypeId();
    bool Send(std::vector<Child>& children, uint32_t seq, double lfStep, uint64_t& totalSent,
              const SendFn& send, const HasFn& has) override;

    /// Whether a limiting factor \p lf selects \p seq: exactly an lf fraction of consecutive
    /// sequence numbers, evenly spread (the paper's "seq mod 1/lf == 0" for any lf).
    static bool Selects(double lf, uint32_t seq);

    /**
     * Figure 5's owner of a packet: the last child that does not hold it and whose share of
     * this epoch's owned packets is below its sending factor (no packet sent yet counts as a
     * zero share); if every such child is at or above its factor, the one least above it.
     * \returns nullptr if every child holds the packet
     */
    static Child* ChooseOwner(std::vector<Child>& children, uint64_t totalSent, const HasFn& has);
};

/**
 * \ingroup bullet
 * \brief Send each packet once (2008 Section 4.4.2.2): the owner is chosen as in
 * DisjointChildSend, and if its transport refuses, the packet goes to the first other child,
 * in order, that accepts it; no child gets a second copy, so no limiting-factor probing.
 *
 * Meant for the source, whose uplink is the only way into the overlay for every packet: the
 * 2008 paper found Bullet could not reach near-optimal performance while its source sent
 * extra copies, and switched its source to sending each block once according to the
 * bandwidth available to each child.
 */
class SendOnceChildSend : public ChildSendPolicy
{
  public:
    static TypeId GetTypeId();
    bool Send(std::vector<Child>& children, uint32_t seq, double lfStep, uint64_t& totalSent,
              const SendFn& send, const HasFn& has) override;
};

/**
 * \ingroup bullet
 * \brief The non-disjoint variant of 2003 Section 4.3 (Figure 10): every child is offered
 * every packet, losses falling wherever its transport throttles.
 */
class SendToAllChildren : public ChildSendPolicy
{
  public:
    static TypeId GetTypeId();
    bool Send(std::vector<Child>& children, uint32_t seq, double lfStep, uint64_t& totalSent,
              const SendFn& send, const HasFn& has) override;
};

} // namespace ns3

#endif // BULLET_CHILD_SEND_POLICY_H
