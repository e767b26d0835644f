/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_RECOVERED_RELAY_POLICY_H
#define BULLET_RECOVERED_RELAY_POLICY_H

#include "ns3/attribute.h"
#include "ns3/object.h"
#include "ns3/row-assignment-policy.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Which packets a Bullet parent recovered from its peers it relays to a child that
 * lacks them, chosen by BulletApplication's RecoveredRelay attribute.
 *
 * The one place where the choice lives: whether a node gives its parent a share of its
 * sequence matrix (ParentServesRows), reported in its digest to the parent, and, at the
 * parent, which recovered packets are left to the child's own peers (LeftToPeers).
 * No simulator inside.
 */
class RecoveredRelayPolicy : public Object
{
  public:
    static TypeId GetTypeId();

    /**
     * Whether a node with a parent (\p hasParent) counts the parent among those its sequence
     * matrix is divided among, beside its senders (after them), and tells the parent its
     * share in its digest; if not, the digest carries no share (0 rows).
     */
    virtual bool ParentServesRows(bool hasParent) const = 0;
    /**
     * At the parent: whether new-to-this-node packet \p seq is left to the child's own peers,
     * for a child whose last digest had newest packet \p childHigh and gave this node
     * \p share of its matrix. Packets up to the child's newest are ones the parent
     * recovered; newer ones are never left to peers.
     */
    virtual bool LeftToPeers(uint32_t seq, uint32_t childHigh, const RowShare& share) const = 0;
};

/**
 * \ingroup bullet
 * \brief The paper's behaviour: every recovered packet is relayed to children that lack it
 * (the children's peers may be sending the same ones). Short name `All`.
 */
class RelayAllRecovered : public RecoveredRelayPolicy
{
  public:
    static TypeId GetTypeId();
    bool ParentServesRows(bool hasParent) const override;
    bool LeftToPeers(uint32_t seq, uint32_t childHigh, const RowShare& share) const override;
};

/**
 * \ingroup bullet
 * \brief The default: a child counts its parent as one more server of its sequence matrix
 * (one more row in the paper's matrix), after its senders and rotating with them, and the
 * parent relays only the recovered packets of its share, so parent and peers stay
 * disjoint. Short name `ParentRow`.
 */
class RelayParentRow : public RecoveredRelayPolicy
{
  public:
    static TypeId GetTypeId();
    bool ParentServesRows(bool hasParent) const override;
    bool LeftToPeers(uint32_t seq, uint32_t childHigh, const RowShare& share) const override;
};

/**
 * \ingroup bullet
 * \brief No recovered packet is relayed: only packets newer than the child's newest go
 * down the tree. Short name `None`.
 */
class RelayNoRecovered : public RecoveredRelayPolicy
{
  public:
    static TypeId GetTypeId();
    bool ParentServesRows(bool hasParent) const override;
    bool LeftToPeers(uint32_t seq, uint32_t childHigh, const RowShare& share) const override;
};

/**
 * \ingroup bullet
 * A checker for a TypeIdValue attribute naming a RecoveredRelayPolicy: accepts the full
 * TypeId name (ns3::RelayParentRow) or the short one (All, ParentRow, None) from a string.
 */
Ptr<const AttributeChecker> MakeRecoveredRelayChecker();

} // namespace ns3

#endif // BULLET_RECOVERED_RELAY_POLICY_H
