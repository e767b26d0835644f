/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "peer-wire.h"

#include "ns3/log.h"

#include <algorithm>
#include <cstring>
#include <iomanip>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PeerWire");

namespace
{

/// Lowercase hex of \p bytes.
template<size_t N>
std::string
Hex(const std::array<uint8_t, N>& bytes)
{
    std::ostringstream os;
    os << std::hex << std::setfill('0');
    for (uint8_t b : bytes)
    {
        os << std::setw(2) << unsigned(b);
    }
    return os.str();
}

} // namespace

// ------------------------------------------------------------------ BtHandshake

const char* const BtHandshake::kProtocol = "BitTorrent protocol";

NS_OBJECT_ENSURE_REGISTERED(BtHandshake);

BtHandshake::BtHandshake() = default;

BtHandshake::BtHandshake(const InfoHash& infoHash, const PeerId& peerId)
    : m_infoHash(infoHash)
    , m_peerId(peerId)
{
}

TypeId
BtHandshake::GetTypeId()
{
    static TypeId tid = TypeId("ns3::BtHandshake")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<BtHandshake>();
    return tid;
}

TypeId
BtHandshake::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
BtHandshake::GetSerializedSize() const
{
    return kSize;
}

void
BtHandshake::Serialize(Buffer::Iterator it) const
{
    it.WriteU8(kPstrLen);
    it.Write(reinterpret_cast<const uint8_t*>(kProtocol), kPstrLen);
    it.Write(m_reserved.data(), m_reserved.size());
    it.Write(m_infoHash.data(), m_infoHash.size());
    it.Write(m_peerId.data(), m_peerId.size());
}

void
BtHandshake::DoDeserialize(WireReader& r)
{
    uint8_t pstrlen = r.ReadU8();
    if (r.Ok() && pstrlen != kPstrLen)
    {
        r.Fail("bad protocol string length " + std::to_string(pstrlen) + " (expected 19)");
        return;
    }
    uint8_t pstr[kPstrLen];
    r.Read(pstr, kPstrLen);
    if (r.Ok() && std::memcmp(pstr, kProtocol, kPstrLen) != 0)
    {
        r.Fail("bad protocol string (expected \"BitTorrent protocol\")");
        return;
    }
    r.Read(m_reserved.data(), m_reserved.size());
    r.Read(m_infoHash.data(), m_infoHash.size());
    r.Read(m_peerId.data(), m_peerId.size());
}

void
BtHandshake::Print(std::ostream& os) const
{
    os << "handshake reserved=" << Hex(m_reserved) << " info_hash=" << Hex(m_infoHash)
       << " peer_id=" << Hex(m_peerId);
}

void
BtHandshake::SetInfoHash(const InfoHash& infoHash)
{
    m_infoHash = infoHash;
}

const InfoHash&
BtHandshake::GetInfoHash() const
{
    return m_infoHash;
}

void
BtHandshake::SetPeerId(const PeerId& peerId)
{
    m_peerId = peerId;
}

const PeerId&
BtHandshake::GetPeerId() const
{
    return m_peerId;
}

void
BtHandshake::SetReserved(const Reserved& reserved)
{
    m_reserved = reserved;
}

const BtHandshake::Reserved&
BtHandshake::GetReserved() const
{
    return m_reserved;
}

// ------------------------------------------------------------------ BtMessageHeader

NS_OBJECT_ENSURE_REGISTERED(BtMessageHeader);

BtMessageHeader::BtMessageHeader() = default;

BtMessageHeader::BtMessageHeader(uint8_t id, uint32_t length)
    : m_length(length)
    , m_id(id)
{
}

TypeId
BtMessageHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::BtMessageHeader")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<BtMessageHeader>();
    return tid;
}

TypeId
BtMessageHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

BtMessageHeader
BtMessageHeader::KeepAlive()
{
    return BtMessageHeader();
}

BtMessageHeader
BtMessageHeader::Choke()
{
    return BtMessageHeader(CHOKE, 1);
}

BtMessageHeader
BtMessageHeader::Unchoke()
{
    return BtMessageHeader(UNCHOKE, 1);
}

BtMessageHeader
BtMessageHeader::Interested()
{
    return BtMessageHeader(INTERESTED, 1);
}

BtMessageHeader
BtMessageHeader::NotInterested()
{
    return BtMessageHeader(NOT_INTERESTED, 1);
}

BtMessageHeader
BtMessageHeader::Have(uint32_t piece)
{
    BtMessageHeader h(HAVE, 5);
    h.m_piece = piece;
    return h;
}

BtMessageHeader
BtMessageHeader::Bitfield(std::vector<uint8_t> bits)
{
    if (bits.size() >= std::numeric_limits<uint32_t>::max())
    {
        throw std::invalid_argument("BtMessageHeader::Bitfield: " + std::to_string(bits.size())
                                    + " bytes do not fit a 32-bit length prefix");
    }
    BtMessageHeader h(BITFIELD, static_cast<uint32_t>(1 + bits.size()));
    h.m_bitfield = std::move(bits);
    return h;
}

BtMessageHeader
BtMessageHeader::Request(uint32_t piece, uint32_t begin, uint32_t length)
{
    BtMessageHeader h(REQUEST, 13);
    h.m_piece = piece;
    h.m_begin = begin;
    h.m_requestLength = length;
    return h;
}

BtMessageHeader
BtMessageHeader::Cancel(uint32_t piece, uint32_t begin, uint32_t length)
{
    BtMessageHeader h = Request(piece, begin, length);
    h.m_id = CANCEL;
    return h;
}

BtMessageHeader
BtMessageHeader::Piece(uint32_t piece, uint32_t begin, uint32_t blockLength)
{
    if (blockLength > std::numeric_limits<uint32_t>::max() - 9)
    {
        throw std::invalid_argument("BtMessageHeader::Piece: block of "
                                    + std::to_string(blockLength)
                                    + " bytes does not fit a 32-bit length prefix");
    }
    BtMessageHeader h(PIECE, 9 + blockLength);
    h.m_piece = piece;
    h.m_begin = begin;
    return h;
}

BtMessageHeader
BtMessageHeader::Port(uint16_t port)
{
    BtMessageHeader h(PORT, 3);
    h.m_port = port;
    return h;
}

uint32_t
BtMessageHeader::GetSerializedSize() const
{
    if (IsKeepAlive())
    {
        return 4;
    }
    switch (m_id)
    {
        case HAVE:
            return 9;
        case BITFIELD:
            return 5 + static_cast<uint32_t>(m_bitfield.size());
        case REQUEST:
        case CANCEL:
            return 17;
        case PIECE:
            return kPieceHeaderSize;
        case PORT:
            return 7;
        default: // choke, unchoke, interested, not interested, unknown ids
            return 5;
    }
}

void
BtMessageHeader::Serialize(Buffer::Iterator it) const
{
    it.WriteHtonU32(m_length);
    if (IsKeepAlive())
    {
        return;
    }
    it.WriteU8(m_id);
    switch (m_id)
    {
        case HAVE:
            it.WriteHtonU32(m_piece);
            break;
        case BITFIELD:
            it.Write(m_bitfield.data(), static_cast<uint32_t>(m_bitfield.size()));
            break;
        case REQUEST:
        case CANCEL:
            it.WriteHtonU32(m_piece);
            it.WriteHtonU32(m_begin);
            it.WriteHtonU32(m_requestLength);
            break;
        case PIECE:
            it.WriteHtonU32(m_piece);
            it.WriteHtonU32(m_begin);
            break;
        case PORT:
            it.WriteHtonU16(m_port);
            break;
        default:
            break;
    }
}

void
BtMessageHeader::DoDeserialize(WireReader& r)
{
    m_length = 0;
    m_id = kKeepAliveId;
    m_piece = 0;
    m_begin = 0;
    m_requestLength = 0;
    m_port = 0;
    m_bitfield.clear();

    m_length = r.ReadNtohU32();
    if (!r.Ok())
    {
        return;
    }
    if (m_maxLength != 0 && m_length > m_maxLength)
    {
        r.Fail("message length " + std::to_string(m_length) + " exceeds "
               + std::to_string(m_maxLength));
        return;
    }
    if (m_length == 0)
    {
        return; // keep-alive
    }
    m_id = r.ReadU8();
    if (!r.Ok())
    {
        return;
    }
    std::string bad = CheckLength(m_id, m_length);
    if (!bad.empty())
    {
        r.Fail(bad);
        return;
    }
    switch (m_id)
    {
        case HAVE:
            m_piece = r.ReadNtohU32();
            break;
        case BITFIELD:
            // Allocate only for bytes that are really there.
            if (r.Require(m_length - 1, "bitfield"))
            {
                m_bitfield.resize(m_length - 1);
                r.Read(m_bitfield.data(), m_length - 1);
            }
            break;
        case REQUEST:
        case CANCEL:
            m_piece = r.ReadNtohU32();
            m_begin = r.ReadNtohU32();
            m_requestLength = r.ReadNtohU32();
            break;
        case PIECE:
            m_piece = r.ReadNtohU32();
            m_begin = r.ReadNtohU32();
            break;
        case PORT:
            m_port = r.ReadNtohU16();
            break;
        default:
            break; // no payload (choke...) or unknown: the payload follows
    }
}

void
BtMessageHeader::Print(std::ostream& os) const
{
    os << GetName();
    if (IsKeepAlive())
    {
        return;
    }
    switch (m_id)
    {
        case HAVE:
            os << " piece=" << m_piece;
            break;
        case BITFIELD:
            os << " bytes=" << m_bitfield.size();
            break;
        case REQUEST:
        case CANCEL:
            os << " piece=" << m_piece << " begin=" << m_begin << " length=" << m_requestLength;
            break;
        case PIECE:
            os << " piece=" << m_piece << " begin=" << m_begin << " block=" << GetBlockLength();
            break;
        case PORT:
            os << " port=" << m_port;
            break;
        default:
            if (!IsKnownId())
            {
                os << " length=" << m_length;
            }
            break;
    }
}

bool
BtMessageHeader::IsKeepAlive() const
{
    return m_length == 0;
}

uint8_t
BtMessageHeader::GetId() const
{
    return IsKeepAlive() ? kKeepAliveId : m_id;
}

bool
BtMessageHeader::IsKnownId() const
{
    return !IsKeepAlive() && m_id <= PORT;
}

uint32_t
BtMessageHeader::GetLength() const
{
    return m_length;
}

uint32_t
BtMessageHeader::GetPiece() const
{
    return m_piece;
}

uint32_t
BtMessageHeader::GetBegin() const
{
    return m_begin;
}

uint32_t
BtMessageHeader::GetRequestLength() const
{
    return m_requestLength;
}

uint32_t
BtMessageHeader::GetBlockLength() const
{
    return (!IsKeepAlive() && m_id == PIECE) ? m_length - 9 : 0;
}

const std::vector<uint8_t>&
BtMessageHeader::GetBitfield() const
{
    return m_bitfield;
}

uint16_t
BtMessageHeader::GetPort() const
{
    return m_port;
}

std::string
BtMessageHeader::GetName() const
{
    return IsKeepAlive() ? "keep_alive" : IdName(m_id);
}

void
BtMessageHeader::SetMaxLength(uint32_t maxLength)
{
    m_maxLength = maxLength;
}

std::string
BtMessageHeader::IdName(uint8_t id)
{
    switch (id)
    {
        case CHOKE:
            return "choke";
        case UNCHOKE:
            return "unchoke";
        case INTERESTED:
            return "interested";
        case NOT_INTERESTED:
            return "not_interested";
        case HAVE:
            return "have";
        case BITFIELD:
            return "bitfield";
        case REQUEST:
            return "request";
        case PIECE:
            return "piece";
        case CANCEL:
            return "cancel";
        case PORT:
            return "port";
        default:
            return "unknown(" + std::to_string(id) + ")";
    }
}

std::string
BtMessageHeader::CheckLength(uint8_t id, uint32_t length)
{
    bool ok = true;
    switch (id)
    {
        case CHOKE:
        case UNCHOKE:
        case INTERESTED:
        case NOT_INTERESTED:
            ok = length == 1;
            break;
        case HAVE:
            ok = length == 5;
            break;
        case BITFIELD:
            ok = length >= 1;
            break;
        case REQUEST:
        case CANCEL:
            ok = length == 13;
            break;
        case PIECE:
            ok = length >= 9;
            break;
        case PORT:
            ok = length == 3;
            break;
        default:
            ok = length >= 1;
            break;
    }
    if (ok)
    {
        return "";
    }
    return IdName(id) + " message of length " + std::to_string(length);
}

std::string
BtMessageHeader::CheckBitfield(const std::vector<uint8_t>& bits, uint32_t numPieces)
{
    uint64_t expected = (uint64_t(numPieces) + 7) / 8;
    if (bits.size() != expected)
    {
        return "bitfield of " + std::to_string(bits.size()) + " bytes for "
               + std::to_string(numPieces) + " pieces (expected " + std::to_string(expected) + ")";
    }
    uint32_t spare = static_cast<uint32_t>(expected * 8 - numPieces);
    if (spare > 0)
    {
        uint8_t mask = static_cast<uint8_t>((1u << spare) - 1);
        if ((bits.back() & mask) != 0)
        {
            return "bitfield has spare bits set after piece " + std::to_string(numPieces - 1);
        }
    }
    return "";
}

// ------------------------------------------------------------------ BtStreamParser

BtStreamParser::BtStreamParser(uint32_t maxMessageLength)
    : m_maxMessageLength(maxMessageLength)
{
}

uint32_t
BtStreamParser::MaxLengthFor(uint32_t numPieces)
{
    uint64_t bitfield = 1 + (uint64_t(numPieces) + 7) / 8;
    return static_cast<uint32_t>(std::max<uint64_t>(kDefaultMaxMessageLength, bitfield));
}

void
BtStreamParser::Append(Ptr<const Packet> bytes)
{
    if (!m_error.empty() || !bytes || bytes->GetSize() == 0)
    {
        return;
    }
    uint32_t size = bytes->GetSize();
    if (size < kMergeBelow && !m_chunks.empty()
        && m_chunks.back()->GetSize() - (m_chunks.size() == 1 ? m_frontOffset : 0) < kMergeBelow)
    {
        // Both short: join them into a new packet (a few bytes copied), so that a stream that
        // trickles in is not held as one packet per read. Starting from a fresh packet keeps a
        // zero-filled ("virtual") area virtual (Buffer::AddAtEnd joins adjacent zero areas).
        uint32_t skip = m_chunks.size() == 1 ? m_frontOffset : 0;
        Ptr<Packet> merged = Create<Packet>();
        merged->AddAtEnd(m_chunks.back()->CreateFragment(skip, m_chunks.back()->GetSize() - skip));
        merged->AddAtEnd(bytes);
        m_chunks.back() = merged;
        if (m_chunks.size() == 1)
        {
            m_frontOffset = 0;
        }
    }
    else
    {
        m_chunks.push_back(bytes->Copy());
    }
    m_buffered += size;
}

BtStreamParser::Result
BtStreamParser::Fail(const std::string& why)
{
    m_error = why;
    m_chunks.clear();
    m_frontOffset = 0;
    m_buffered = 0;
    NS_LOG_WARN("malformed BitTorrent stream: " << why);
    return ERROR;
}

void
BtStreamParser::Peek(uint64_t offset, uint8_t* out, uint32_t size) const
{
    NS_ASSERT(offset + size <= m_buffered);
    uint64_t pos = offset + m_frontOffset;
    for (const auto& chunk : m_chunks)
    {
        if (size == 0)
        {
            break;
        }
        uint32_t chunkSize = chunk->GetSize();
        if (pos >= chunkSize)
        {
            pos -= chunkSize;
            continue;
        }
        uint32_t take = std::min<uint64_t>(size, chunkSize - pos);
        if (pos == 0)
        {
            chunk->CopyData(out, take);
        }
        else
        {
            chunk->CreateFragment(static_cast<uint32_t>(pos), take)->CopyData(out, take);
        }
        out += take;
        size -= take;
        pos = 0;
    }
}

Ptr<Packet>
BtStreamParser::Gather(uint64_t offset, uint32_t size) const
{
    NS_ASSERT(offset + size <= m_buffered);
    uint64_t pos = offset + m_frontOffset;
    Ptr<Packet> joined;
    for (const auto& chunk : m_chunks)
    {
        uint32_t chunkSize = chunk->GetSize();
        if (pos >= chunkSize)
        {
            pos -= chunkSize;
            continue;
        }
        uint32_t take = std::min<uint64_t>(size, chunkSize - pos);
        Ptr<Packet> fragment = chunk->CreateFragment(static_cast<uint32_t>(pos), take);
        size -= take;
        pos = 0;
        if (!joined && size == 0)
        {
            return fragment; // within one received packet: shares its buffer, no copy
        }
        if (!joined)
        {
            joined = Create<Packet>(); // fresh, so that zero areas stay virtual when joined
        }
        joined->AddAtEnd(fragment);
        if (size == 0)
        {
            break;
        }
    }
    return joined ? joined : Create<Packet>();
}

void
BtStreamParser::Consume(uint64_t size)
{
    NS_ASSERT(size <= m_buffered);
    m_buffered -= size;
    uint64_t pos = m_frontOffset + size;
    while (!m_chunks.empty() && pos >= m_chunks.front()->GetSize())
    {
        pos -= m_chunks.front()->GetSize();
        m_chunks.pop_front();
    }
    m_frontOffset = static_cast<uint32_t>(pos);
}

BtStreamParser::Result
BtStreamParser::Next()
{
    m_pieceData = nullptr;
    if (!m_error.empty())
    {
        return ERROR;
    }
    if (m_expectHandshake)
    {
        if (m_buffered == 0)
        {
            return NEED_MORE;
        }
        // Reject a foreign protocol as soon as its first differing byte is here.
        uint8_t prefix[1 + BtHandshake::kPstrLen];
        uint32_t have = static_cast<uint32_t>(std::min<uint64_t>(m_buffered, sizeof(prefix)));
        Peek(0, prefix, have);
        if (prefix[0] != BtHandshake::kPstrLen)
        {
            return Fail("bad protocol string length " + std::to_string(prefix[0])
                        + " (expected 19)");
        }
        if (std::memcmp(prefix + 1, BtHandshake::kProtocol, have - 1) != 0)
        {
            return Fail("bad protocol string (expected \"BitTorrent protocol\")");
        }
        if (m_buffered < BtHandshake::kSize)
        {
            return NEED_MORE;
        }
        BtHandshake handshake;
        Gather(0, BtHandshake::kSize)->PeekHeader(handshake);
        if (!handshake.IsValid())
        {
            return Fail(handshake.GetError());
        }
        Consume(BtHandshake::kSize);
        m_handshake = handshake;
        m_expectHandshake = false;
        NS_LOG_LOGIC("handshake " << handshake);
        return HANDSHAKE;
    }

    if (m_buffered < 4)
    {
        return NEED_MORE;
    }
    uint8_t prefix[5];
    uint32_t have = static_cast<uint32_t>(std::min<uint64_t>(m_buffered, sizeof(prefix)));
    Peek(0, prefix, have);
    uint32_t length = (uint32_t(prefix[0]) << 24) | (uint32_t(prefix[1]) << 16)
                      | (uint32_t(prefix[2]) << 8) | uint32_t(prefix[3]);
    if (length > m_maxMessageLength)
    {
        return Fail("message length " + std::to_string(length) + " exceeds "
                    + std::to_string(m_maxMessageLength));
    }
    if (length == 0)
    {
        Consume(4);
        m_message = BtMessageHeader::KeepAlive();
        return MESSAGE;
    }
    if (have < 5)
    {
        return NEED_MORE;
    }
    uint8_t id = prefix[4];
    std::string bad = BtMessageHeader::CheckLength(id, length);
    if (!bad.empty())
    {
        return Fail(bad);
    }
    uint64_t total = 4 + uint64_t(length);
    if (m_buffered < total)
    {
        return NEED_MORE;
    }

    // Only the header part is read: the whole message for fixed-size ones and bitfields, the
    // 13 bytes before the block for a piece, prefix and id for an unknown id.
    uint32_t headerSize = static_cast<uint32_t>(total);
    if (id == BtMessageHeader::PIECE)
    {
        headerSize = BtMessageHeader::kPieceHeaderSize;
    }
    else if (id > BtMessageHeader::PORT)
    {
        headerSize = 5;
    }
    BtMessageHeader message;
    message.SetMaxLength(m_maxMessageLength);
    Gather(0, headerSize)->PeekHeader(message);
    if (!message.IsValid())
    {
        return Fail(message.GetError());
    }
    if (id == BtMessageHeader::PIECE)
    {
        m_pieceData = Gather(headerSize, message.GetBlockLength());
        m_pieceData->RemoveAllPacketTags();
        m_pieceData->RemoveAllByteTags();
    }
    Consume(total);
    m_message = std::move(message);
    NS_LOG_LOGIC("message " << m_message);
    return MESSAGE;
}

void
BtStreamParser::ExpectHandshake(bool expect)
{
    m_expectHandshake = expect;
}

void
BtStreamParser::SetMaxMessageLength(uint32_t maxMessageLength)
{
    m_maxMessageLength = maxMessageLength;
}

uint32_t
BtStreamParser::GetMaxMessageLength() const
{
    return m_maxMessageLength;
}

const BtHandshake&
BtStreamParser::GetHandshake() const
{
    return m_handshake;
}

const BtMessageHeader&
BtStreamParser::GetMessage() const
{
    return m_message;
}

Ptr<Packet>
BtStreamParser::GetPieceData() const
{
    return m_pieceData;
}

const std::string&
BtStreamParser::GetError() const
{
    return m_error;
}

uint64_t
BtStreamParser::GetBufferedBytes() const
{
    return m_buffered;
}

} // namespace ns3
