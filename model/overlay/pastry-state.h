/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_PASTRY_STATE_H
#define BULLET_PASTRY_STATE_H

#include "ns3/pastry-id.h"

#include <limits>
#include <optional>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Pastry's routing table: PastryId::kDigits rows of PastryId::kBase columns.
 *
 * Row l, column d holds a node whose id shares the first l digits with this node's and whose
 * digit l is d (column GetDigit(l) of this node's own id stays empty). Where several nodes
 * fit a slot, the one with the smallest round-trip time is kept (Pastry's proximity
 * heuristic): a node of unknown RTT fills an empty slot only, and a later measurement may
 * replace it with a nearer one.
 */
class PastryRoutingTable
{
  public:
    /// A slot's node and its round-trip time in seconds (infinity while unmeasured).
    struct Entry
    {
        PastryHandle node;
        double rtt{std::numeric_limits<double>::infinity()};
    };

    /// The table of the node with id \p self.
    explicit PastryRoutingTable(const PastryId& self);

    /// The (row, column) where \p id belongs (row kDigits for this node's own id).
    std::pair<uint32_t, uint32_t> SlotOf(const PastryId& id) const;
    /**
     * \brief Offers \p node, measured at \p rtt seconds (infinity if unknown): it takes an
     * empty slot, replaces a farther node, or updates its own RTT.
     * \returns whether the table changed
     */
    bool Insert(const PastryHandle& node, double rtt);
    /// Removes the node with id \p id. \returns its slot, if it held one
    std::optional<std::pair<uint32_t, uint32_t>> Remove(const PastryId& id);
    /// The entry at (row, column), if any (out-of-range slots are empty).
    const Entry* Get(uint32_t row, uint32_t column) const;
    /// The nodes of row \p row.
    std::vector<PastryHandle> GetRow(uint32_t row) const;
    /// Every node in the table.
    std::vector<PastryHandle> GetAll() const;
    /// Whether the node with id \p id holds a slot.
    bool Contains(const PastryId& id) const;
    /// Filled slots.
    uint32_t GetSize() const;

  private:
    PastryId m_self;
    std::vector<std::optional<Entry>> m_slots; ///< row-major, kDigits x kBase
};

/**
 * \ingroup bullet
 * \brief Pastry's leaf set: the Size/2 nodes numerically closest to this node on each side
 * of the ring (smaller ids counter-clockwise, larger ids clockwise).
 *
 * A node may sit on both sides when the ring has fewer than Size other nodes; a side with
 * fewer than Size/2 nodes means the node knows of no more on that side, and then every key
 * counts as within the set's range.
 */
class PastryLeafSet
{
  public:
    /// Which side of the ring.
    enum Side
    {
        LEFT,  ///< smaller ids (counter-clockwise)
        RIGHT, ///< larger ids (clockwise)
    };

    /**
     * \param self this node's id
     * \param size leaves in all (Pastry's |L|; 24 in FreePastry and MACEDON); even, >= 2
     * \throws std::invalid_argument for an odd or too small size
     */
    PastryLeafSet(const PastryId& self, uint32_t size);

    /// Offers \p node. \returns whether the set changed
    bool Insert(const PastryHandle& node);
    /// Removes the node with id \p id. \returns whether it was a leaf
    bool Remove(const PastryId& id);
    bool Contains(const PastryId& id) const;
    /// Whether \p key lies between the outermost leaves (always, while a side is not full).
    bool IsInRange(const PastryId& key) const;
    /// The leaves of \p side, nearest first.
    const std::vector<PastryHandle>& GetSide(Side side) const;
    /// Every leaf, once.
    std::vector<PastryHandle> GetAll() const;
    /// The outermost leaf of \p side (none if the side is empty).
    std::optional<PastryHandle> GetOutermost(Side side) const;
    /// The nearest leaf of \p side (the ring neighbour; none if the side is empty).
    std::optional<PastryHandle> GetNeighbour(Side side) const;
    uint32_t GetCapacity() const;

  private:
    /// Distance from this node to \p id going towards \p side.
    PastryId DistanceTowards(Side side, const PastryId& id) const;
    bool InsertSide(Side side, const PastryHandle& node);

    PastryId m_self;
    uint32_t m_half;
    std::vector<PastryHandle> m_sides[2];
};

/**
 * \ingroup bullet
 * \brief One node's Pastry state (routing table and leaf set) and the routing rule, as plain
 * data: no simulator, no sockets (PastryNode carries it over the network; tests drive it
 * directly).
 *
 * NextHop(key) is Pastry's rule: a key within the leaf set's range goes to the numerically
 * closest of the leaves and this node; otherwise to the routing-table entry that shares one
 * more digit with the key; otherwise (the rare case) to any known node that shares at least
 * as long a prefix with the key and is numerically closer to it than this node.
 */
class PastryState
{
  public:
    /// What removing a node took away, for repair.
    struct Removal
    {
        bool known{false};                                 ///< the node was in the state
        std::optional<PastryLeafSet::Side> leafSide;       ///< it was a leaf (of this side)
        std::optional<std::pair<uint32_t, uint32_t>> slot; ///< it held this routing slot
    };

    /**
     * \param self this node
     * \param leafSetSize Pastry's |L| (even, >= 2)
     * \throws std::invalid_argument for a bad leaf-set size
     */
    PastryState(const PastryHandle& self, uint32_t leafSetSize = 24);

    const PastryHandle& GetSelf() const;
    const PastryRoutingTable& GetRoutingTable() const;
    const PastryLeafSet& GetLeafSet() const;

    /**
     * \brief Learns of \p node (RTT \p rtt seconds, infinity if unknown): into the leaf set
     * and the routing table where it fits. This node itself is ignored.
     * \returns whether the state changed
     */
    bool Consider(const PastryHandle& node, double rtt = std::numeric_limits<double>::infinity());
    /// Forgets the node with id \p id (failed). \returns where it was, for repair
    Removal Remove(const PastryId& id);
    /// Whether the node with id \p id is a leaf or in the routing table.
    bool Knows(const PastryId& id) const;
    /// Every node known, once.
    std::vector<PastryHandle> GetKnown() const;

    /// The node a message for \p key goes to next: this node (GetSelf()) if it is the key's
    /// root as far as it knows.
    PastryHandle NextHop(const PastryId& key) const;
    /// Whether this node is the numerically closest to \p key of itself and its leaves.
    bool IsRoot(const PastryId& key) const;

  private:
    PastryHandle m_self;
    PastryRoutingTable m_table;
    PastryLeafSet m_leaves;
};

} // namespace ns3

#endif // BULLET_PASTRY_STATE_H
