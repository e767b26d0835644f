/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_RECOVERED_RELAY_POLICY_H
#define BULLET_RECOVERED_RELAY_POLICY_H

#include "ns3/attribute.h"
#include "ns3/object.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Which packets a Bullet parent recovered from its peers it relays to a child that
 * lacks them, chosen by BulletApplication's RecoveredRelay attribute.
 *
 * The one place where the choice lives: how many rows of its sequence matrix a node adds
 * for its parent (ExtraRows), what a child tells its parent in its digest (ParentRows), and,
 * at the parent, which recovered packets are left to the child's own peers (LeftToPeers).
 * No simulator inside.
 */
class RecoveredRelayPolicy : public Object
{
  public:
    static TypeId GetTypeId();

    /// Rows of a sequence matrix and one row in it; {0, 0}: no row assigned.
    struct Rows
    {
        uint16_t rows{0};
        uint16_t row{0};
    };

    /// Rows of a node's sequence matrix beyond one per sender (the parent's, if any).
    virtual uint16_t ExtraRows(bool hasParent) const = 0;
    /**
     * What a child that has a parent reports in its digest to it, when its \p senders
     * senders serve rows (i + \p shift) mod rows, i = 0 .. senders - 1.
     */
    virtual Rows ParentRows(uint16_t senders, uint32_t shift) const = 0;
    /**
     * At the parent: whether new-to-this-node packet \p seq is left to the child's own peers,
     * for a child whose last digest had newest packet \p childHigh and reported \p rows and
     * \p row. Packets up to the child's newest are ones the parent recovered; newer ones
     * are never left to peers.
     */
    virtual bool LeftToPeers(uint32_t seq, uint32_t childHigh, uint16_t rows,
                             uint16_t row) const = 0;
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
    uint16_t ExtraRows(bool hasParent) const override;
    Rows ParentRows(uint16_t senders, uint32_t shift) const override;
    bool LeftToPeers(uint32_t seq, uint32_t childHigh, uint16_t rows, uint16_t row) const override;
};

/**
 * \ingroup bullet
 * \brief The default: a child counts its parent as one more row of its sequence matrix,
 * after its senders' and rotating with them, and the parent relays only the recovered
 * packets of that row, so parent and peers stay disjoint. Short name `ParentRow`.
 */
class RelayParentRow : public RecoveredRelayPolicy
{
  public:
    static TypeId GetTypeId();
    uint16_t ExtraRows(bool hasParent) const override;
    Rows ParentRows(uint16_t senders, uint32_t shift) const override;
    bool LeftToPeers(uint32_t seq, uint32_t childHigh, uint16_t rows, uint16_t row) const override;
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
    uint16_t ExtraRows(bool hasParent) const override;
    Rows ParentRows(uint16_t senders, uint32_t shift) const override;
    bool LeftToPeers(uint32_t seq, uint32_t childHigh, uint16_t rows, uint16_t row) const override;
};

/**
 * \ingroup bullet
 * A checker for a TypeIdValue attribute naming a RecoveredRelayPolicy: accepts the full
 * TypeId name (ns3::RelayParentRow) or the short one (All, ParentRow, None) from a string.
 */
Ptr<const AttributeChecker> MakeRecoveredRelayChecker();

} // namespace ns3

#endif // BULLET_RECOVERED_RELAY_POLICY_H
