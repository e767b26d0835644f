/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "request-book.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RequestBook");

bool
RequestBook::Block::operator==(const Block& o) const
{
    return piece == o.piece && begin == o.begin && length == o.length;
}

bool
RequestBook::Block::operator<(const Block& o) const
{
    return piece != o.piece ? piece < o.piece : begin < o.begin;
}

RequestBook::RequestBook(uint64_t length, uint32_t pieceLength)
    : m_length(length)
    , m_pieceLength(pieceLength)
{
    if (length == 0)
    {
        throw std::invalid_argument("RequestBook: the torrent's length must be positive");
    }
    if (pieceLength == 0 || pieceLength % kBlockBytes != 0)
    {
        throw std::invalid_argument("RequestBook: piece length " + std::to_string(pieceLength)
                                    + " is not a positive multiple of "
                                    + std::to_string(kBlockBytes));
    }
    const uint64_t pieces = (length - 1) / pieceLength + 1;
    if (pieces > kMaxPieces)
    {
        throw std::invalid_argument("RequestBook: " + std::to_string(length) + " bytes in "
                                    + std::to_string(pieceLength) + "-byte pieces make "
                                    + std::to_string(pieces) + " pieces (at most "
                                    + std::to_string(kMaxPieces) + ")");
    }
    m_numPieces = uint32_t(pieces);
    m_blocksPerPiece = pieceLength / kBlockBytes;
    m_lastPieceLength = uint32_t(length - uint64_t(m_numPieces - 1) * pieceLength);
    m_done.assign(m_numPieces, false);
    m_unrequested = uint64_t(m_numPieces - 1) * m_blocksPerPiece + GetBlocksIn(m_numPieces - 1);
}

void
RequestBook::Check(uint32_t piece, const char* what) const
{
    if (piece >= m_numPieces)
    {
        throw std::out_of_range(std::string("RequestBook::") + what + ": piece "
                                + std::to_string(piece) + " of " + std::to_string(m_numPieces));
    }
}

uint64_t
RequestBook::Key(uint32_t piece, uint32_t index)
{
    return (uint64_t(piece) << 32) | index;
}

uint32_t
RequestBook::GetNumPieces() const
{
    return m_numPieces;
}

uint32_t
RequestBook::GetPieceLength(uint32_t piece) const
{
    Check(piece, "GetPieceLength");
    return piece + 1 == m_numPieces ? m_lastPieceLength : m_pieceLength;
}

uint32_t
RequestBook::GetBlocksIn(uint32_t piece) const
{
    Check(piece, "GetBlocksIn");
    return piece + 1 == m_numPieces ? (m_lastPieceLength - 1) / kBlockBytes + 1 : m_blocksPerPiece;
}

uint32_t
RequestBook::GetBlockLength(uint32_t piece, uint32_t block) const
{
    const uint32_t blocks = GetBlocksIn(piece);
    if (block >= blocks)
    {
        throw std::out_of_range("RequestBook::GetBlockLength: block " + std::to_string(block)
                                + " of " + std::to_string(blocks) + " in piece "
                                + std::to_string(piece));
    }
    return block + 1 == blocks ? GetPieceLength(piece) - block * kBlockBytes : kBlockBytes;
}

std::optional<uint32_t>
RequestBook::IndexOf(const Block& b) const
{
    if (b.piece >= m_numPieces || b.begin % kBlockBytes != 0)
    {
        return std::nullopt;
    }
    const uint32_t index = b.begin / kBlockBytes;
    if (index >= GetBlocksIn(b.piece) || b.length != GetBlockLength(b.piece, index))
    {
        return std::nullopt;
    }
    return index;
}

RequestBook::Block
RequestBook::MakeBlock(uint32_t piece, uint32_t index) const
{
    return Block{piece, index * kBlockBytes, GetBlockLength(piece, index)};
}

bool
RequestBook::HasUnrequested(uint32_t piece) const
{
    Check(piece, "HasUnrequested");
    if (m_done[piece])
    {
        return false;
    }
    auto it = m_active.find(piece);
    return it == m_active.end() || it->second.unrequested > 0;
}

std::optional<RequestBook::Block>
RequestBook::RequestFrom(uint32_t peer, uint32_t piece)
{
    Check(piece, "RequestFrom");
    if (m_done[piece])
    {
        return std::nullopt;
    }
    auto it = m_active.find(piece);
    if (it == m_active.end())
    {
        const uint32_t blocks = GetBlocksIn(piece);
        PieceState st;
        st.received.assign(blocks, false);
        st.askedAt.resize(blocks);
        st.unrequested = blocks;
        it = m_active.emplace(piece, std::move(st)).first;
    }
    PieceState& st = it->second;
    if (st.unrequested == 0)
    {
        return std::nullopt;
    }
    const uint32_t blocks = uint32_t(st.received.size());
    for (uint32_t i = st.firstUnrequested; i < blocks; ++i)
    {
        if (!st.received[i] && st.askedAt[i].empty())
        {
            st.askedAt[i].push_back(peer);
            --st.unrequested;
            --m_unrequested;
            st.firstUnrequested = i + 1;
            m_byPeer[peer].insert(Key(piece, i));
            NS_LOG_LOGIC("piece " << piece << " block " << i << " requested from " << peer
                                  << (m_unrequested == 0 ? " (endgame)" : ""));
            return MakeBlock(piece, i);
        }
    }
    NS_ASSERT_MSG(false, "RequestBook: unrequested count of piece " << piece << " is wrong");
    return std::nullopt;
}

bool
RequestBook::Received(uint32_t peer, const Block& b, std::vector<uint32_t>& cancelTo)
{
    cancelTo.clear();
    const auto index = IndexOf(b);
    if (!index || m_done[b.piece])
    {
        return false;
    }
    auto it = m_active.find(b.piece);
    if (it == m_active.end())
    {
        return false;
    }
    PieceState& st = it->second;
    auto& asked = st.askedAt[*index];
    if (st.received[*index] || asked.empty())
    {
        return false;
    }
    st.received[*index] = true;
    ++st.receivedCount;
    const uint64_t key = Key(b.piece, *index);
    for (uint32_t q : asked)
    {
        auto pit = m_byPeer.find(q);
        pit->second.erase(key);
        if (pit->second.empty())
        {
            m_byPeer.erase(pit);
        }
        if (q != peer)
        {
            cancelTo.push_back(q);
        }
    }
    asked.clear();
    return true;
}

bool
RequestBook::PieceFull(uint32_t piece) const
{
    Check(piece, "PieceFull");
    auto it = m_active.find(piece);
    return it != m_active.end() && it->second.receivedCount == it->second.received.size();
}

void
RequestBook::DropAsk(uint32_t peer, uint32_t piece, PieceState& st, uint32_t index)
{
    auto& asked = st.askedAt[index];
    auto at = std::find(asked.begin(), asked.end(), peer);
    if (at == asked.end())
    {
        return;
    }
    asked.erase(at);
    if (asked.empty() && !st.received[index])
    {
        ++st.unrequested;
        ++m_unrequested;
        st.firstUnrequested = std::min(st.firstUnrequested, index);
    }
}

void
RequestBook::DropAllAsks(uint32_t piece, PieceState& st)
{
    for (uint32_t i = 0; i < st.askedAt.size(); ++i)
    {
        for (uint32_t q : st.askedAt[i])
        {
            auto pit = m_byPeer.find(q);
            pit->second.erase(Key(piece, i));
            if (pit->second.empty())
            {
                m_byPeer.erase(pit);
            }
        }
        st.askedAt[i].clear();
    }
}

void
RequestBook::PieceFailed(uint32_t piece)
{
    Check(piece, "PieceFailed");
    NS_LOG_FUNCTION(this << piece);
    const uint32_t blocks = GetBlocksIn(piece);
    if (m_done[piece])
    {
        m_done[piece] = false;
        --m_doneCount;
        m_unrequested += blocks;
        return;
    }
    auto it = m_active.find(piece);
    if (it == m_active.end())
    {
        return;
    }
    DropAllAsks(piece, it->second);
    m_unrequested += blocks - it->second.unrequested;
    m_active.erase(it);
}

void
RequestBook::PieceDone(uint32_t piece)
{
    Check(piece, "PieceDone");
    if (m_done[piece])
    {
        return;
    }
    NS_LOG_FUNCTION(this << piece);
    auto it = m_active.find(piece);
    if (it == m_active.end())
    {
        m_unrequested -= GetBlocksIn(piece);
    }
    else
    {
        DropAllAsks(piece, it->second);
        m_unrequested -= it->second.unrequested;
        m_active.erase(it);
    }
    m_done[piece] = true;
    ++m_doneCount;
}

std::vector<RequestBook::Block>
RequestBook::Forget(uint32_t peer)
{
    std::vector<Block> out;
    auto pit = m_byPeer.find(peer);
    if (pit == m_byPeer.end())
    {
        return out;
    }
    const std::set<uint64_t> keys = std::move(pit->second);
    m_byPeer.erase(pit);
    out.reserve(keys.size());
    for (uint64_t key : keys)
    {
        const auto piece = uint32_t(key >> 32);
        const auto index = uint32_t(key & 0xffffffffu);
        DropAsk(peer, piece, m_active.at(piece), index);
        out.push_back(MakeBlock(piece, index));
    }
    NS_LOG_LOGIC("forgot " << out.size() << " requests at " << peer);
    return out;
}

void
RequestBook::Cancelled(uint32_t peer, const Block& b)
{
    const auto index = IndexOf(b);
    auto pit = m_byPeer.find(peer);
    if (!index || pit == m_byPeer.end() || pit->second.erase(Key(b.piece, *index)) == 0)
    {
        return;
    }
    if (pit->second.empty())
    {
        m_byPeer.erase(pit);
    }
    DropAsk(peer, b.piece, m_active.at(b.piece), *index);
}

uint32_t
RequestBook::GetOutstanding(uint32_t peer) const
{
    auto pit = m_byPeer.find(peer);
    return pit == m_byPeer.end() ? 0 : uint32_t(pit->second.size());
}

bool
RequestBook::IsOutstandingAt(uint32_t peer, const Block& b) const
{
    const std::optional<uint32_t> index = IndexOf(b);
    auto pit = m_byPeer.find(peer);
    return index && pit != m_byPeer.end() && pit->second.count(Key(b.piece, *index)) > 0;
}

uint64_t
RequestBook::GetUnrequestedCount() const
{
    return m_unrequested;
}

uint32_t
RequestBook::GetDoneCount() const
{
    return m_doneCount;
}

bool
RequestBook::InEndgame() const
{
    return m_unrequested == 0 && m_doneCount < m_numPieces;
}

std::vector<RequestBook::Block>
RequestBook::EndgameRequests(uint32_t peer, const std::function<bool(uint32_t)>& peerHas,
                             uint32_t max, const std::function<uint32_t(uint32_t n)>& randomBelow)
{
    std::vector<Block> out;
    if (max == 0 || !InEndgame())
    {
        return out;
    }
    std::vector<std::pair<uint32_t, uint32_t>> candidates; // (piece, index)
    for (auto& [piece, st] : m_active)
    {
        if (st.receivedCount == st.received.size() || !peerHas(piece))
        {
            continue;
        }
        for (uint32_t i = 0; i < st.askedAt.size(); ++i)
        {
            const auto& asked = st.askedAt[i];
            if (!st.received[i] && !asked.empty()
                && std::find(asked.begin(), asked.end(), peer) == asked.end())
            {
                candidates.emplace_back(piece, i);
            }
        }
    }
    const size_t n = candidates.size();
    const size_t k = std::min<size_t>(n, max);
    for (size_t i = 0; i < k; ++i)
    {
        // Partial Fisher-Yates: candidates[i] becomes a uniform pick among the rest.
        const auto left = uint32_t(n - i);
        const uint32_t r = randomBelow(left);
        if (r >= left)
        {
            throw std::logic_error("RequestBook::EndgameRequests: randomBelow("
                                   + std::to_string(left) + ") returned " + std::to_string(r));
        }
        std::swap(candidates[i], candidates[i + r]);
    }
    for (size_t i = 0; i < k; ++i)
    {
        const auto [piece, index] = candidates[i];
        m_active.at(piece).askedAt[index].push_back(peer);
        m_byPeer[peer].insert(Key(piece, index));
        out.push_back(MakeBlock(piece, index));
    }
    NS_LOG_LOGIC("endgame: " << out.size() << " of " << n << " requests also at " << peer);
    return out;
}

} // namespace ns3
