/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pastry-state.h"

#include "ns3/log.h"

#include <algorithm>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PastryState");

// ---------------------------------------------------------------- routing table

PastryRoutingTable::PastryRoutingTable(const PastryId& self)
    : m_self(self)
    , m_slots(PastryId::kDigits * PastryId::kBase)
{
}

std::pair<uint32_t, uint32_t>
PastryRoutingTable::SlotOf(const PastryId& id) const
{
    const uint32_t row = m_self.SharedPrefixLength(id);
    if (row >= PastryId::kDigits)
    {
        return {PastryId::kDigits, 0};
    }
    return {row, id.GetDigit(row)};
}

bool
PastryRoutingTable::Insert(const PastryHandle& node, double rtt)
{
    const auto [row, column] = SlotOf(node.id);
    if (row >= PastryId::kDigits)
    {
        return false; // this node itself
    }
    auto& slot = m_slots[row * PastryId::kBase + column];
    if (!slot)
    {
        slot = Entry{node, rtt};
        return true;
    }
    if (slot->node.id == node.id)
    {
        if (rtt < std::numeric_limits<double>::infinity() && rtt != slot->rtt)
        {
            slot->rtt = rtt;
            slot->node = node;
            return true;
        }
        return false;
    }
    if (rtt < slot->rtt)
    {
        slot = Entry{node, rtt}; // nearer: Pastry's proximity heuristic
        return true;
    }
    return false;
}

std::optional<std::pair<uint32_t, uint32_t>>
PastryRoutingTable::Remove(const PastryId& id)
{
    const auto [row, column] = SlotOf(id);
    if (row >= PastryId::kDigits)
    {
        return std::nullopt;
    }
    auto& slot = m_slots[row * PastryId::kBase + column];
    if (slot && slot->node.id == id)
    {
        slot.reset();
        return std::make_pair(row, column);
    }
    return std::nullopt;
}

const PastryRoutingTable::Entry*
PastryRoutingTable::Get(uint32_t row, uint32_t column) const
{
    if (row >= PastryId::kDigits || column >= PastryId::kBase)
    {
        return nullptr;
    }
    const auto& slot = m_slots[row * PastryId::kBase + column];
    return slot ? &*slot : nullptr;
}

std::vector<PastryHandle>
PastryRoutingTable::GetRow(uint32_t row) const
{
    std::vector<PastryHandle> out;
    for (uint32_t c = 0; c < PastryId::kBase; ++c)
    {
        if (const Entry* e = Get(row, c))
        {
            out.push_back(e->node);
        }
    }
    return out;
}

std::vector<PastryHandle>
PastryRoutingTable::GetAll() const
{
    std::vector<PastryHandle> out;
    for (const auto& slot : m_slots)
    {
        if (slot)
        {
            out.push_back(slot->node);
        }
    }
    return out;
}

bool
PastryRoutingTable::Contains(const PastryId& id) const
{
    const auto [row, column] = SlotOf(id);
    const Entry* e = Get(row, column);
    return e && e->node.id == id;
}

uint32_t
PastryRoutingTable::GetSize() const
{
    return uint32_t(std::count_if(m_slots.begin(), m_slots.end(), [](const auto& s) {
        return s.has_value();
    }));
}

// ---------------------------------------------------------------- leaf set

PastryLeafSet::PastryLeafSet(const PastryId& self, uint32_t size)
    : m_self(self)
    , m_half(size / 2)
{
    if (size < 2 || size % 2 != 0)
    {
        throw std::invalid_argument("a Pastry leaf set holds an even number (>= 2) of nodes, not "
                                    + std::to_string(size));
    }
}

PastryId
PastryLeafSet::DistanceTowards(Side side, const PastryId& id) const
{
    return side == RIGHT ? id.Minus(m_self) : m_self.Minus(id);
}

bool
PastryLeafSet::InsertSide(Side side, const PastryHandle& node)
{
    auto& v = m_sides[side];
    for (const auto& h : v)
    {
        if (h.id == node.id)
        {
            return false;
        }
    }
    const PastryId d = DistanceTowards(side, node.id);
    auto pos = std::find_if(v.begin(), v.end(), [&](const PastryHandle& h) {
        return d < DistanceTowards(side, h.id);
    });
    if (pos == v.end() && v.size() >= m_half)
    {
        return false;
    }
    v.insert(pos, node);
    if (v.size() > m_half)
    {
        v.pop_back();
    }
    return true;
}

bool
PastryLeafSet::Insert(const PastryHandle& node)
{
    if (node.id == m_self)
    {
        return false;
    }
    const bool right = InsertSide(RIGHT, node);
    const bool left = InsertSide(LEFT, node);
    return right || left;
}

bool
PastryLeafSet::Remove(const PastryId& id)
{
    bool removed = false;
    for (auto& v : m_sides)
    {
        auto it = std::find_if(v.begin(), v.end(), [&](const PastryHandle& h) {
            return h.id == id;
        });
        if (it != v.end())
        {
            v.erase(it);
            removed = true;
        }
    }
    return removed;
}

bool
PastryLeafSet::Contains(const PastryId& id) const
{
    for (const auto& v : m_sides)
    {
        for (const auto& h : v)
        {
            if (h.id == id)
            {
                return true;
            }
        }
    }
    return false;
}

bool
PastryLeafSet::IsInRange(const PastryId& key) const
{
    if (m_sides[LEFT].size() < m_half || m_sides[RIGHT].size() < m_half)
    {
        return true;
    }
    return DistanceTowards(LEFT, key) <= DistanceTowards(LEFT, m_sides[LEFT].back().id)
           || DistanceTowards(RIGHT, key) <= DistanceTowards(RIGHT, m_sides[RIGHT].back().id);
}

const std::vector<PastryHandle>&
PastryLeafSet::GetSide(Side side) const
{
    return m_sides[side];
}

std::vector<PastryHandle>
PastryLeafSet::GetAll() const
{
    std::vector<PastryHandle> out = m_sides[RIGHT];
    for (const auto& h : m_sides[LEFT])
    {
        if (std::none_of(out.begin(), out.end(), [&](const PastryHandle& o) {
                return o.id == h.id;
            }))
        {
            out.push_back(h);
        }
    }
    return out;
}

std::optional<PastryHandle>
PastryLeafSet::GetOutermost(Side side) const
{
    if (m_sides[side].empty())
    {
        return std::nullopt;
    }
    return m_sides[side].back();
}

std::optional<PastryHandle>
PastryLeafSet::GetNeighbour(Side side) const
{
    if (m_sides[side].empty())
    {
        return std::nullopt;
    }
    return m_sides[side].front();
}

uint32_t
PastryLeafSet::GetCapacity() const
{
    return 2 * m_half;
}

// ---------------------------------------------------------------- state

PastryState::PastryState(const PastryHandle& self, uint32_t leafSetSize)
    : m_self(self)
    , m_table(self.id)
    , m_leaves(self.id, leafSetSize)
{
}

const PastryHandle&
PastryState::GetSelf() const
{
    return m_self;
}

const PastryRoutingTable&
PastryState::GetRoutingTable() const
{
    return m_table;
}

const PastryLeafSet&
PastryState::GetLeafSet() const
{
    return m_leaves;
}

bool
PastryState::Consider(const PastryHandle& node, double rtt)
{
    if (node.id == m_self.id)
    {
        return false;
    }
    const bool leaf = m_leaves.Insert(node);
    const bool table = m_table.Insert(node, rtt);
    return leaf || table;
}

PastryState::Removal
PastryState::Remove(const PastryId& id)
{
    Removal r;
    const auto& left = m_leaves.GetSide(PastryLeafSet::LEFT);
    const auto& right = m_leaves.GetSide(PastryLeafSet::RIGHT);
    const bool inRight = std::any_of(right.begin(), right.end(), [&](const PastryHandle& h) {
        return h.id == id;
    });
    const bool inLeft = std::any_of(left.begin(), left.end(), [&](const PastryHandle& h) {
        return h.id == id;
    });
    if (inRight || inLeft)
    {
        r.leafSide = inRight ? PastryLeafSet::RIGHT : PastryLeafSet::LEFT;
        m_leaves.Remove(id);
    }
    r.slot = m_table.Remove(id);
    r.known = r.leafSide.has_value() || r.slot.has_value();
    return r;
}

bool
PastryState::Knows(const PastryId& id) const
{
    return m_leaves.Contains(id) || m_table.Contains(id);
}

std::vector<PastryHandle>
PastryState::GetKnown() const
{
    std::vector<PastryHandle> out = m_leaves.GetAll();
    for (const auto& h : m_table.GetAll())
    {
        if (!m_leaves.Contains(h.id))
        {
            out.push_back(h);
        }
    }
    return out;
}

PastryHandle
PastryState::NextHop(const PastryId& key) const
{
    if (key == m_self.id)
    {
        return m_self;
    }
    if (m_leaves.IsInRange(key))
    {
        PastryHandle best = m_self;
        for (const auto& h : m_leaves.GetAll())
        {
            if (key.IsCloser(h.id, best.id))
            {
                best = h;
            }
        }
        return best;
    }
    const uint32_t l = key.SharedPrefixLength(m_self.id);
    if (const auto* e = m_table.Get(l, key.GetDigit(l)))
    {
        return e->node;
    }
    // The rare case: any node known that shares at least l digits with the key and is
    // numerically closer to it; of those, the closest.
    PastryHandle best = m_self;
    for (const auto& h : GetKnown())
    {
        if (key.SharedPrefixLength(h.id) >= l && key.IsCloser(h.id, best.id))
        {
            best = h;
        }
    }
    return best;
}

bool
PastryState::IsRoot(const PastryId& key) const
{
    return NextHop(key).id == m_self.id;
}

} // namespace ns3
