/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "request-strategy.h"

#include <algorithm>
#include <unordered_set>
#include <utility>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(RequestStrategy);
NS_OBJECT_ENSURE_REGISTERED(RandomizedRequestStrategy);
NS_OBJECT_ENSURE_REGISTERED(FirstEncounteredRequest);
NS_OBJECT_ENSURE_REGISTERED(RandomRequest);
NS_OBJECT_ENSURE_REGISTERED(RarestRequest);
NS_OBJECT_ENSURE_REGISTERED(RarestRandomRequest);

namespace
{

/// Moves \p k uniformly chosen elements of v[first, end) to v[first, first + k), in random
/// order (a partial Fisher-Yates shuffle).
void
PartialShuffle(std::vector<uint32_t>& v, size_t first, size_t k, UniformRandomVariable& rng)
{
    const size_t n = v.size();
    for (size_t i = first; i < first + k && i + 1 < n; ++i)
    {
        size_t j = rng.GetInteger(uint32_t(i), uint32_t(n - 1));
        std::swap(v[i], v[j]);
    }
}

/// The distinct candidates, stably sorted by holder count (one holders() call each).
std::vector<std::pair<uint32_t, uint32_t>>
ByRarity(const std::vector<uint32_t>& distinct, const std::function<uint32_t(uint32_t)>& holders)
{
    std::vector<std::pair<uint32_t, uint32_t>> byRarity; // (holders, block)
    byRarity.reserve(distinct.size());
    for (uint32_t b : distinct)
    {
        byRarity.emplace_back(holders(b), b);
    }
    std::stable_sort(byRarity.begin(), byRarity.end(), [](const auto& a, const auto& b) {
        return a.first < b.first;
    });
    return byRarity;
}

} // namespace

TypeId
RequestStrategy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::RequestStrategy").SetParent<Object>().SetGroupName("Bullet");
    return tid;
}

int64_t
RequestStrategy::AssignStreams(int64_t stream)
{
    return 0;
}

std::vector<uint32_t>
RequestStrategy::Distinct(const std::vector<uint32_t>& candidates)
{
    std::vector<uint32_t> out;
    out.reserve(candidates.size());
    std::unordered_set<uint32_t> seen;
    for (uint32_t b : candidates)
    {
        if (seen.insert(b).second)
        {
            out.push_back(b);
        }
    }
    return out;
}

TypeId
FirstEncounteredRequest::GetTypeId()
{
    static TypeId tid = TypeId("ns3::FirstEncounteredRequest")
                            .SetParent<RequestStrategy>()
                            .SetGroupName("Bullet")
                            .AddConstructor<FirstEncounteredRequest>();
    return tid;
}

TypeId
RandomizedRequestStrategy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::RandomizedRequestStrategy")
                            .SetParent<RequestStrategy>()
                            .SetGroupName("Bullet");
    return tid;
}

RandomizedRequestStrategy::RandomizedRequestStrategy()
    : m_rng(CreateObject<UniformRandomVariable>())
{
}

void
RandomizedRequestStrategy::DoDispose()
{
    m_rng = nullptr;
    RequestStrategy::DoDispose();
}

int64_t
RandomizedRequestStrategy::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

std::vector<uint32_t>
FirstEncounteredRequest::Choose(const std::vector<uint32_t>& candidates,
                                const std::function<uint32_t(uint32_t)>& holders, uint32_t count)
{
    std::vector<uint32_t> out = Distinct(candidates);
    out.resize(std::min<size_t>(out.size(), count));
    return out;
}

TypeId
RandomRequest::GetTypeId()
{
    static TypeId tid = TypeId("ns3::RandomRequest")
                            .SetParent<RandomizedRequestStrategy>()
                            .SetGroupName("Bullet")
                            .AddConstructor<RandomRequest>();
    return tid;
}

std::vector<uint32_t>
RandomRequest::Choose(const std::vector<uint32_t>& candidates,
                      const std::function<uint32_t(uint32_t)>& holders, uint32_t count)
{
    std::vector<uint32_t> out = Distinct(candidates);
    const size_t k = std::min<size_t>(out.size(), count);
    PartialShuffle(out, 0, k, *m_rng);
    out.resize(k);
    return out;
}

TypeId
RarestRequest::GetTypeId()
{
    static TypeId tid = TypeId("ns3::RarestRequest")
                            .SetParent<RequestStrategy>()
                            .SetGroupName("Bullet")
                            .AddConstructor<RarestRequest>();
    return tid;
}

std::vector<uint32_t>
RarestRequest::Choose(const std::vector<uint32_t>& candidates,
                      const std::function<uint32_t(uint32_t)>& holders, uint32_t count)
{
    auto byRarity = ByRarity(Distinct(candidates), holders);
    std::vector<uint32_t> out;
    for (size_t i = 0; i < byRarity.size() && out.size() < count; ++i)
    {
        out.push_back(byRarity[i].second);
    }
    return out;
}

TypeId
RarestRandomRequest::GetTypeId()
{
    static TypeId tid = TypeId("ns3::RarestRandomRequest")
                            .SetParent<RandomizedRequestStrategy>()
                            .SetGroupName("Bullet")
                            .AddConstructor<RarestRandomRequest>();
    return tid;
}

std::vector<uint32_t>
RarestRandomRequest::Choose(const std::vector<uint32_t>& candidates,
                            const std::function<uint32_t(uint32_t)>& holders, uint32_t count)
{
    // Repeating "uniformly at random among the remaining blocks of the lowest holder count"
    // draws a random order of the rarest group, then of the next group, and so on: a pick
    // leaves the lowest count unchanged until its group is used up. So shuffle group by group.
    auto byRarity = ByRarity(Distinct(candidates), holders);
    std::vector<uint32_t> out;
    for (size_t first = 0; first < byRarity.size() && out.size() < count;)
    {
        size_t last = first;
        while (last < byRarity.size() && byRarity[last].first == byRarity[first].first)
        {
            ++last;
        }
        std::vector<uint32_t> group;
        for (size_t i = first; i < last; ++i)
        {
            group.push_back(byRarity[i].second);
        }
        const size_t k = std::min<size_t>(group.size(), count - out.size());
        PartialShuffle(group, 0, k, *m_rng);
        out.insert(out.end(), group.begin(), group.begin() + k);
        first = last;
    }
    return out;
}

} // namespace ns3
