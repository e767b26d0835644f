/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_ROW_ASSIGNMENT_POLICY_H
#define BULLET_ROW_ASSIGNMENT_POLICY_H

#include "ns3/object.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief The part of a Bullet receiver's sequence matrix (2003 Figure 4) one of its senders
 * serves: the rows first .. first + count - 1 (mod rows) of a matrix of \c rows rows, i.e. the
 * packets whose sequence number x has (x - first) mod rows < count. The paper's matrix gives
 * each sender one row (count 1); rows 0 means no rows at all were assigned (every packet).
 */
struct RowShare
{
    uint16_t rows{0};  ///< rows of the matrix (0: none assigned)
    uint16_t first{0}; ///< the share's first row
    uint16_t count{1}; ///< rows in the share, first included

    /// Whether packet \p seq lies in the share (always, when no rows are assigned). Per
    /// packet and receiver on a sender: one division.
    bool
    Contains(uint32_t seq) const
    {
        if (rows == 0)
        {
            return true;
        }
        const uint32_t row = seq % rows;
        return (row >= first ? row - first : row + rows - first) < count;
    }

    /// Rows a matrix has at most (the wire keeps the top bit of the 16 for a flag).
    static constexpr uint16_t kMaxRows = 0x7fff;

    /// Whether a share is one a matrix can have: rows <= kMaxRows, first < rows,
    /// 1 <= count <= rows.
    bool
    IsValid() const
    {
        return rows <= kMaxRows && (rows == 0 || (first < rows && count >= 1 && count <= rows));
    }

    bool
    operator==(const RowShare& o) const
    {
        return rows == o.rows && first == o.first && count == o.count;
    }
};

/**
 * \ingroup bullet
 * \brief How a Bullet receiver divides its sequence matrix among the ones that serve it (its
 * senders and, under RelayParentRow, its parent) at each refresh, chosen by BulletApplication's
 * RowAssignment attribute. No simulator inside.
 *
 * Whatever the policy, the shares it returns are disjoint and together cover every row, so
 * each missing packet is asked of exactly one of them.
 */
class RowAssignmentPolicy : public Object
{
  public:
    static TypeId GetTypeId();

    /**
     * The shares of the matrix at one refresh.
     * \param delivered for each one that serves the receiver, the new (non-duplicate)
     *        packets it delivered since the previous refresh
     * \param shift how far the rows have rotated (RowRotation: refreshes so far / rotation)
     * \returns one share per entry of \p delivered, in the same order (none if it is empty)
     */
    virtual std::vector<RowShare> Assign(const std::vector<uint32_t>& delivered,
                                         uint32_t shift) const = 0;
};

/**
 * \ingroup bullet
 * \brief The paper's matrix (2003 Section 3.2): as many rows as servers, one each, server i
 * serving row (i + shift) mod n, whatever it delivered. The default.
 */
class UniformRows : public RowAssignmentPolicy
{
  public:
    static TypeId GetTypeId();
    std::vector<RowShare> Assign(const std::vector<uint32_t>& delivered,
                                 uint32_t shift) const override;
};

/**
 * \ingroup bullet
 * \brief Not in the papers: a matrix of RowsPerServer rows per server, each server given a
 * run of adjacent rows in proportion to the new packets it delivered in the last refresh
 * period, plus one (at least one row each, so a server that delivered nothing keeps a share
 * to show what it can do). The runs start at shift * RowsPerServer and rotate as the
 * paper's rows do. A sender held back by its rate (TFRC) then owes fewer holes, and one that
 * ran out of holes of its own row more.
 */
class RowsByDelivery : public RowAssignmentPolicy
{
  public:
    static TypeId GetTypeId();
    std::vector<RowShare> Assign(const std::vector<uint32_t>& delivered,
                                 uint32_t shift) const override;

  private:
    uint32_t m_rowsPerServer; ///< RowsPerServer attribute
};

} // namespace ns3

#endif // BULLET_ROW_ASSIGNMENT_POLICY_H
