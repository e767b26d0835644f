/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "piece-picker.h"

#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <stdexcept>
#include <string>
#include <utility>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PiecePicker");

NS_OBJECT_ENSURE_REGISTERED(PiecePicker);

TypeId
PiecePicker::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::PiecePicker")
              .SetParent<Object>()
              .SetGroupName("Bullet")
              .AddConstructor<PiecePicker>()
              .AddAttribute("RandomFirstCutoff",
                            "Pieces completed before rarest first starts; until then pieces are "
                            "picked in a fixed random order (mainline's rarest_first_cutoff)",
                            UintegerValue(4),
                            MakeUintegerAccessor(&PiecePicker::m_randomFirstCutoff),
                            MakeUintegerChecker<uint32_t>());
    return tid;
}

PiecePicker::PiecePicker()
    : m_rng(CreateObject<UniformRandomVariable>())
{
}

void
PiecePicker::DoDispose()
{
    m_rng = nullptr;
    Object::DoDispose();
}

int64_t
PiecePicker::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

void
PiecePicker::Initialize(uint32_t numPieces)
{
    NS_LOG_FUNCTION(this << numPieces);
    if (numPieces == 0 || numPieces > kMaxPieces)
    {
        throw std::invalid_argument("PiecePicker::Initialize: " + std::to_string(numPieces)
                                    + " pieces (must be 1 to " + std::to_string(kMaxPieces) + ")");
    }
    m_numPieces = numPieces;
    m_completedCount = 0;
    m_avail.assign(numPieces, 0);
    m_buckets.assign(1, std::vector<uint32_t>());
    m_posInBucket.assign(numPieces, kNone);
    m_started.clear();
    m_posInStarted.assign(numPieces, kNone);
    m_completed.assign(numPieces, false);
    // Availability 0 is one bucket like the others, in index order: it is never looked at by
    // Next, and a piece gets a random place when it enters bucket 1.
    m_buckets[0].reserve(numPieces);
    for (uint32_t p = 0; p < numPieces; ++p)
    {
        m_posInBucket[p] = p;
        m_buckets[0].push_back(p);
    }
    // The random-first order: a uniform permutation (Fisher-Yates).
    m_scrambled.resize(numPieces);
    for (uint32_t p = 0; p < numPieces; ++p)
    {
        m_scrambled[p] = p;
    }
    for (uint32_t i = numPieces - 1; i > 0; --i)
    {
        const uint32_t j = m_rng->GetInteger(0, i);
        std::swap(m_scrambled[i], m_scrambled[j]);
    }
}

void
PiecePicker::Check(uint32_t piece, const char* what) const
{
    if (piece >= m_numPieces)
    {
        throw std::out_of_range(std::string("PiecePicker::") + what + ": piece "
                                + std::to_string(piece) + " of " + std::to_string(m_numPieces));
    }
}

void
PiecePicker::BucketInsert(uint32_t piece)
{
    const uint32_t a = m_avail[piece];
    if (a >= m_buckets.size())
    {
        m_buckets.resize(a + 1);
    }
    auto& bucket = m_buckets[a];
    bucket.push_back(piece);
    m_posInBucket[piece] = uint32_t(bucket.size() - 1);
    // Inside-out Fisher-Yates step: the new member takes a uniform position, the one there
    // moves to the end. A uniformly ordered bucket stays uniformly ordered.
    if (a > 0 && bucket.size() > 1)
    {
        const uint32_t j = m_rng->GetInteger(0, uint32_t(bucket.size() - 1));
        const uint32_t other = bucket[j];
        std::swap(bucket[j], bucket.back());
        m_posInBucket[other] = uint32_t(bucket.size() - 1);
        m_posInBucket[piece] = j;
    }
}

void
PiecePicker::BucketRemove(uint32_t piece)
{
    const uint32_t pos = m_posInBucket[piece];
    if (pos == kNone)
    {
        return;
    }
    auto& bucket = m_buckets[m_avail[piece]];
    const uint32_t last = bucket.back();
    bucket[pos] = last;
    m_posInBucket[last] = pos;
    bucket.pop_back();
    m_posInBucket[piece] = kNone;
}

void
PiecePicker::StartedRemove(uint32_t piece)
{
    const uint32_t pos = m_posInStarted[piece];
    if (pos == kNone)
    {
        return;
    }
    const uint32_t last = m_started.back();
    m_started[pos] = last;
    m_posInStarted[last] = pos;
    m_started.pop_back();
    m_posInStarted[piece] = kNone;
}

void
PiecePicker::PeerHas(uint32_t piece)
{
    Check(piece, "PeerHas");
    const bool inBucket = m_posInBucket[piece] != kNone;
    if (inBucket)
    {
        BucketRemove(piece);
    }
    ++m_avail[piece];
    if (inBucket)
    {
        BucketInsert(piece);
    }
}

void
PiecePicker::PeerLost(uint32_t piece)
{
    Check(piece, "PeerLost");
    if (m_avail[piece] == 0)
    {
        throw std::logic_error("PiecePicker::PeerLost: piece " + std::to_string(piece)
                               + " has availability 0 (PeerLost without PeerHas)");
    }
    const bool inBucket = m_posInBucket[piece] != kNone;
    if (inBucket)
    {
        BucketRemove(piece);
    }
    --m_avail[piece];
    if (inBucket)
    {
        BucketInsert(piece);
    }
}

void
PiecePicker::Started(uint32_t piece)
{
    Check(piece, "Started");
    if (m_completed[piece] || m_posInStarted[piece] != kNone)
    {
        return;
    }
    m_posInStarted[piece] = uint32_t(m_started.size());
    m_started.push_back(piece);
}

void
PiecePicker::Completed(uint32_t piece)
{
    Check(piece, "Completed");
    if (m_completed[piece])
    {
        return;
    }
    NS_LOG_FUNCTION(this << piece);
    StartedRemove(piece);
    BucketRemove(piece);
    m_completed[piece] = true;
    ++m_completedCount;
}

void
PiecePicker::Failed(uint32_t piece)
{
    Check(piece, "Failed");
    NS_LOG_FUNCTION(this << piece);
    StartedRemove(piece);
    if (m_completed[piece])
    {
        m_completed[piece] = false;
        --m_completedCount;
        BucketInsert(piece);
    }
}

std::optional<uint32_t>
PiecePicker::Next(const std::function<bool(uint32_t)>& peerHas,
                  const std::function<bool(uint32_t)>& wanted) const
{
    // (1) Started pieces: the rarest, uniformly among the equally rare (reservoir sampling).
    std::optional<uint32_t> best;
    uint32_t bestAvail = 0;
    uint32_t ties = 0;
    for (uint32_t p : m_started)
    {
        if (m_avail[p] == 0 || (best && m_avail[p] > bestAvail) || !peerHas(p) || !wanted(p))
        {
            continue;
        }
        if (!best || m_avail[p] < bestAvail)
        {
            best = p;
            bestAvail = m_avail[p];
            ties = 1;
        }
        else if (m_rng->GetInteger(0, ties++) == 0)
        {
            best = p;
        }
    }
    if (best)
    {
        return best;
    }
    // (2) Random first piece: the fixed permutation.
    if (m_completedCount < m_randomFirstCutoff)
    {
        for (uint32_t p : m_scrambled)
        {
            if (!m_completed[p] && m_avail[p] > 0 && peerHas(p) && wanted(p))
            {
                return p;
            }
        }
        return std::nullopt;
    }
    // (3) Rarest first: buckets from availability 1 up, each in its random order. Started
    // pieces are in the buckets too, but every one the peer has and we want was taken above.
    for (size_t a = 1; a < m_buckets.size(); ++a)
    {
        for (uint32_t p : m_buckets[a])
        {
            if (peerHas(p) && wanted(p))
            {
                return p;
            }
        }
    }
    return std::nullopt;
}

uint32_t
PiecePicker::GetAvailability(uint32_t piece) const
{
    Check(piece, "GetAvailability");
    return m_avail[piece];
}

uint32_t
PiecePicker::GetCompletedCount() const
{
    return m_completedCount;
}

uint32_t
PiecePicker::GetNumPieces() const
{
    return m_numPieces;
}

bool
PiecePicker::IsStarted(uint32_t piece) const
{
    Check(piece, "IsStarted");
    return m_posInStarted[piece] != kNone;
}

bool
PiecePicker::IsCompleted(uint32_t piece) const
{
    Check(piece, "IsCompleted");
    return m_completed[piece];
}

} // namespace ns3
