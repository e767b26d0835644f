/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "choker.h"

#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Choker");

NS_OBJECT_ENSURE_REGISTERED(Choker);

namespace
{

/// The peers by id, checked against the rotation.
std::unordered_map<uint32_t, const ChokerPeer*>
Index(const std::vector<ChokerPeer>& peers, const std::vector<uint32_t>& rotation)
{
    std::unordered_map<uint32_t, const ChokerPeer*> byId;
    byId.reserve(peers.size());
    for (const auto& p : peers)
    {
        if (!byId.emplace(p.id, &p).second)
        {
            throw std::invalid_argument("Choker: peer " + std::to_string(p.id) + " listed twice");
        }
    }
    const std::unordered_set<uint32_t> known(rotation.begin(), rotation.end());
    for (const auto& p : peers)
    {
        if (!known.count(p.id))
        {
            throw std::invalid_argument("Choker: peer " + std::to_string(p.id)
                                        + " was not added (AddPeer)");
        }
    }
    return byId;
}

} // namespace

TypeId
Choker::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::Choker")
              .SetParent<Object>()
              .SetGroupName("Bullet")
              .AddConstructor<Choker>()
              .AddAttribute("RegularUnchokes",
                            "Interested peers unchoked for the best rates (BEP 3: four)",
                            UintegerValue(4), MakeUintegerAccessor(&Choker::m_regular),
                            MakeUintegerChecker<uint32_t>())
              .AddAttribute("OptimisticUnchokes",
                            "Interested peers unchoked in rotation order whatever their rate",
                            UintegerValue(1), MakeUintegerAccessor(&Choker::m_optimistic),
                            MakeUintegerChecker<uint32_t>())
              .AddAttribute("RoundsPerOptimistic",
                            "The optimistic unchoke moves on every this many rounds (3 rounds of "
                            "10 s: BEP 3's 30 s)",
                            UintegerValue(3), MakeUintegerAccessor(&Choker::m_roundsPerOptimistic),
                            MakeUintegerChecker<uint32_t>(1));
    return tid;
}

Choker::Choker()
    : m_rng(CreateObject<UniformRandomVariable>())
{
}

void
Choker::DoDispose()
{
    m_rng = nullptr;
    Object::DoDispose();
}

int64_t
Choker::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

void
Choker::AddPeer(uint32_t id)
{
    if (std::find(m_rotation.begin(), m_rotation.end(), id) != m_rotation.end())
    {
        throw std::invalid_argument("Choker::AddPeer: peer " + std::to_string(id)
                                    + " is already in the rotation");
    }
    const auto size = uint32_t(m_rotation.size());
    // Uniform in [-2, size]: positions -2, -1 and 0 all mean the head.
    const uint32_t draw = m_rng->GetInteger(0, size + 2);
    const uint32_t pos = draw < 2 ? 0 : draw - 2;
    m_rotation.insert(m_rotation.begin() + pos, id);
    NS_LOG_LOGIC("peer " << id << " enters the rotation at " << pos << " of " << size + 1);
}

void
Choker::RemovePeer(uint32_t id)
{
    auto it = std::find(m_rotation.begin(), m_rotation.end(), id);
    if (it != m_rotation.end())
    {
        m_rotation.erase(it);
    }
    m_unchoked.erase(id);
}

std::set<uint32_t>
Choker::Round(const std::vector<ChokerPeer>& peers, bool seeding)
{
    const auto byId = Index(peers, m_rotation);
    ++m_round;
    if (m_round % m_roundsPerOptimistic == 0)
    {
        for (size_t i = 0; i < m_rotation.size(); ++i)
        {
            auto it = byId.find(m_rotation[i]);
            if (it != byId.end() && it->second->interested && !m_unchoked.count(m_rotation[i]))
            {
                std::rotate(m_rotation.begin(), m_rotation.begin() + i, m_rotation.end());
                NS_LOG_LOGIC("round " << m_round << ": peer " << m_rotation[0]
                                      << " heads the rotation");
                break;
            }
        }
    }
    return Decide(peers, seeding);
}

std::set<uint32_t>
Choker::Decide(const std::vector<ChokerPeer>& peers, bool seeding) const
{
    const auto byId = Index(peers, m_rotation);
    // Candidates in rotation order, then a stable sort: equal rates keep rotation order.
    std::vector<const ChokerPeer*> candidates;
    for (uint32_t id : m_rotation)
    {
        auto it = byId.find(id);
        if (it != byId.end() && it->second->interested && (seeding || !it->second->snubbed))
        {
            candidates.push_back(it->second);
        }
    }
    std::stable_sort(
        candidates.begin(), candidates.end(), [seeding](const ChokerPeer* a, const ChokerPeer* b) {
            return seeding ? a->uploadRate > b->uploadRate : a->downloadRate > b->downloadRate;
        });
    std::set<uint32_t> unchoked;
    for (size_t i = 0; i < candidates.size() && i < m_regular; ++i)
    {
        unchoked.insert(candidates[i]->id);
    }
    const size_t total = size_t(m_regular) + m_optimistic;
    uint32_t walked = 0;
    for (uint32_t id : m_rotation)
    {
        if (walked >= m_optimistic && unchoked.size() >= total)
        {
            break;
        }
        auto it = byId.find(id);
        if (it == byId.end() || !it->second->interested || unchoked.count(id))
        {
            continue;
        }
        unchoked.insert(id);
        ++walked;
    }
    m_unchoked = unchoked;
    return unchoked;
}

uint32_t
Choker::GetUploadSlots() const
{
    return m_regular + m_optimistic;
}

std::vector<uint32_t>
Choker::GetRotation() const
{
    return m_rotation;
}

uint64_t
Choker::GetRound() const
{
    return m_round;
}

} // namespace ns3
