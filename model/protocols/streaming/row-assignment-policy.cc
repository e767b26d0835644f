/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "row-assignment-policy.h"

#include "ns3/uinteger.h"

#include <algorithm>
#include <numeric>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(RowAssignmentPolicy);
NS_OBJECT_ENSURE_REGISTERED(UniformRows);
NS_OBJECT_ENSURE_REGISTERED(RowsByDelivery);

TypeId
RowAssignmentPolicy::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::RowAssignmentPolicy").SetParent<Object>().SetGroupName("Bullet");
    return tid;
}

// ---------------------------------------------------------------- Uniform

TypeId
UniformRows::GetTypeId()
{
    static TypeId tid = TypeId("ns3::UniformRows")
                            .SetParent<RowAssignmentPolicy>()
                            .SetGroupName("Bullet")
                            .AddConstructor<UniformRows>();
    return tid;
}

std::vector<RowShare>
UniformRows::Assign(const std::vector<uint32_t>& delivered, uint32_t shift) const
{
    const auto n = uint16_t(delivered.size());
    std::vector<RowShare> shares(n);
    for (uint16_t i = 0; i < n; ++i)
    {
        shares[i] = {n, uint16_t((i + uint64_t(shift)) % n), 1};
    }
    return shares;
}

// ---------------------------------------------------------------- ByDelivery

TypeId
RowsByDelivery::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::RowsByDelivery")
              .SetParent<RowAssignmentPolicy>()
              .SetGroupName("Bullet")
              .AddConstructor<RowsByDelivery>()
              .AddAttribute("RowsPerServer",
                            "Rows of the sequence matrix per sender (or parent) serving the "
                            "receiver: the finer the matrix, the closer the shares follow what "
                            "each delivered",
                            UintegerValue(8),
                            MakeUintegerAccessor(&RowsByDelivery::m_rowsPerServer),
                            MakeUintegerChecker<uint32_t>(1, 64));
    return tid;
}

std::vector<RowShare>
RowsByDelivery::Assign(const std::vector<uint32_t>& delivered, uint32_t shift) const
{
    const uint32_t n = delivered.size();
    if (n == 0)
    {
        return {};
    }
    // At most RowShare::kMaxRows rows (1000 senders, MaxSenders' limit, and a parent at 64
    // rows each would be more), and at least one per server.
    const uint32_t rows
        = std::max<uint32_t>(n, std::min<uint32_t>(n * m_rowsPerServer, RowShare::kMaxRows));
    // Every server gets one row; the rest go in proportion to delivered + 1, by largest
    // remainder (ties to the lower index), so the counts add up to rows exactly.
    std::vector<uint32_t> count(n, 1);
    const double total
        = std::accumulate(delivered.begin(), delivered.end(), 0.0) + n; // the + 1 of each
    const uint32_t spare = rows - n;
    std::vector<std::pair<double, uint32_t>> remainder(n);
    uint32_t given = n;
    for (uint32_t i = 0; i < n; ++i)
    {
        const double exact = (delivered[i] + 1.0) / total * spare;
        const auto whole = uint32_t(exact);
        count[i] += whole;
        given += whole;
        remainder[i] = {exact - whole, i};
    }
    std::stable_sort(remainder.begin(), remainder.end(), [](const auto& a, const auto& b) {
        return a.first > b.first;
    });
    for (uint32_t k = 0; given < rows; ++k, ++given)
    {
        ++count[remainder[k % n].second];
    }
    std::vector<RowShare> shares(n);
    uint64_t first = uint64_t(shift) * m_rowsPerServer;
    for (uint32_t i = 0; i < n; ++i)
    {
        shares[i] = {uint16_t(rows), uint16_t(first % rows), uint16_t(count[i])};
        first += count[i];
    }
    return shares;
}

} // namespace ns3
