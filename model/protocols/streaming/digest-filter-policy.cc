/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "digest-filter-policy.h"

#include <algorithm>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(DigestFilterPolicy);
NS_OBJECT_ENSURE_REGISTERED(WindowFilter);
NS_OBJECT_ENSURE_REGISTERED(ShareFilter);

TypeId
DigestFilterPolicy::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::DigestFilterPolicy").SetParent<Object>().SetGroupName("Bullet");
    return tid;
}

TypeId
WindowFilter::GetTypeId()
{
    static TypeId tid = TypeId("ns3::WindowFilter")
                            .SetParent<DigestFilterPolicy>()
                            .SetGroupName("Bullet")
                            .AddConstructor<WindowFilter>();
    return tid;
}

BloomFilter
WindowFilter::Build(const WorkingSet& ws, const RowShare&) const
{
    return ws.GetBloomFilter();
}

TypeId
ShareFilter::GetTypeId()
{
    static TypeId tid = TypeId("ns3::ShareFilter")
                            .SetParent<DigestFilterPolicy>()
                            .SetGroupName("Bullet")
                            .AddConstructor<ShareFilter>();
    return tid;
}

BloomFilter
ShareFilter::Build(const WorkingSet& ws, const RowShare& share) const
{
    if (share.rows == 0 || share.count >= share.rows)
    {
        return ws.GetBloomFilter(); // the whole window
    }
    // The share holds at most ceil(window count / rows) sequence numbers of any window; the
    // same cells per key as the window's filter keep its false-positive rate at that load.
    const uint32_t cells = ws.GetFilter().GetNumCells();
    const auto shareCells = uint32_t(
        std::max<uint64_t>(8, (uint64_t(cells) * share.count + share.rows - 1) / share.rows));
    BloomFilter f(shareCells, ws.GetFilter().GetNumHashes());
    const SequenceRange range = ws.GetRequestRange();
    ws.ForEach(range.low, range.high, [&f, &share](uint32_t seq) {
        if (share.Contains(seq))
        {
            f.Insert(seq);
        }
    });
    return f;
}

} // namespace ns3
