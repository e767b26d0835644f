/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_DIGEST_FILTER_POLICY_H
#define BULLET_DIGEST_FILTER_POLICY_H

#include "ns3/counting-bloom-filter.h"
#include "ns3/object.h"
#include "ns3/row-assignment-policy.h"
#include "ns3/working-set.h"

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Which Bloom filter a Bullet receiver sends with the share of its sequence matrix it
 * gives one of those that serve it (a refresh to a sender, the digest to its parent), chosen
 * by BulletApplication's DigestFilter attribute. No simulator inside.
 *
 * The one who serves the share only ever tests the filter for packets of its share, so any
 * filter that holds every held packet of the share (and no more false positives than the
 * window's) serves it as well; the policies differ in bytes on the wire. A share of no rows
 * (a peering request, a parent that serves no rows) is the whole window, which both send
 * as the window's filter.
 */
class DigestFilterPolicy : public Object
{
  public:
    static TypeId GetTypeId();

    /// The filter of what \p ws holds that goes with \p share.
    virtual BloomFilter Build(const WorkingSet& ws, const RowShare& share) const = 0;
};

/**
 * \ingroup bullet
 * \brief The 2003 paper's (Section 3.2): every sender gets the filter of the whole working
 * set, whatever its row. The default.
 */
class WindowFilter : public DigestFilterPolicy
{
  public:
    static TypeId GetTypeId();
    BloomFilter Build(const WorkingSet& ws, const RowShare& share) const override;
};

/**
 * \ingroup bullet
 * \brief The 2008 paper's (Section 4.3.2.4, "Reducing Control Overhead": "maintaining smaller
 * bloom filters for each modulo number resulted in factor of 7 control overhead reduction"):
 * a filter of the share's held packets only, with the window filter's cells per key and
 * hashes, so count/rows of its size at the same false-positive rate when the window is full.
 */
class ShareFilter : public DigestFilterPolicy
{
  public:
    static TypeId GetTypeId();
    BloomFilter Build(const WorkingSet& ws, const RowShare& share) const override;
};

} // namespace ns3

#endif // BULLET_DIGEST_FILTER_POLICY_H
