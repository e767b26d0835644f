/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The BitTorrent peer wire protocol (BEP 3) without a simulator: the handshake and message
// headers byte for byte, and the stream parser that turns an arbitrarily split TCP byte
// stream back into them.

#include "ns3/flow-id-tag.h"
#include "ns3/packet.h"
#include "ns3/peer-wire.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

using Bytes = std::vector<uint8_t>;

Bytes
ToBytes(Ptr<const Packet> p)
{
    Bytes out(p->GetSize());
    p->CopyData(out.data(), out.size());
    return out;
}

/// "00 00 00 05 04" -> bytes.
Bytes
FromHex(const std::string& hex)
{
    Bytes out;
    std::istringstream is(hex);
    std::string byte;
    while (is >> byte)
    {
        out.push_back(static_cast<uint8_t>(std::stoul(byte, nullptr, 16)));
    }
    return out;
}

Bytes
Concat(Bytes a, const Bytes& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

Ptr<Packet>
ToPacket(const Bytes& b)
{
    return Create<Packet>(b.data(), b.size());
}

Ptr<Packet>
Slice(const Bytes& s, size_t from, size_t to)
{
    return Create<Packet>(s.data() + from, to - from);
}

/// The wire bytes of \p h followed by \p payload.
Bytes
Wire(const BtMessageHeader& h, const Bytes& payload = {})
{
    Ptr<Packet> p = ToPacket(payload);
    p->AddHeader(h);
    return ToBytes(p);
}

Bytes
Wire(const BtHandshake& h)
{
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    return ToBytes(p);
}

/// What a message should look like after parsing, built independently of the parser.
struct Expected
{
    bool handshake{false};
    BtHandshake hs;
    bool keepAlive{false};
    uint8_t id{0};
    uint32_t length{0};
    uint32_t piece{0};
    uint32_t begin{0};
    uint32_t requestLength{0};
    uint32_t blockLength{0};
    Bytes bitfield;
    uint16_t port{0};
    Bytes payload; //!< a piece's block
    Bytes wire;    //!< the whole item on the wire
};

/// An expected message from a factory-made header and (for a piece) its block.
Expected
FromHeader(const BtMessageHeader& h, const Bytes& block = {})
{
    Expected e;
    e.keepAlive = h.IsKeepAlive();
    e.id = h.GetId();
    e.length = h.GetLength();
    e.piece = h.GetPiece();
    e.begin = h.GetBegin();
    e.requestLength = h.GetRequestLength();
    e.blockLength = h.GetBlockLength();
    e.bitfield = h.GetBitfield();
    e.port = h.GetPort();
    e.payload = block;
    e.wire = Wire(h, block);
    return e;
}

/// An extension message the module does not know: prefix, id, opaque payload.
Expected
Unknown(uint8_t id, const Bytes& payload)
{
    Expected e;
    e.id = id;
    e.length = static_cast<uint32_t>(1 + payload.size());
    e.wire = Concat(Concat(FromHex("00 00 00"), {static_cast<uint8_t>(e.length), id}), payload);
    return e;
}

Expected
FromHandshake(const BtHandshake& h)
{
    Expected e;
    e.handshake = true;
    e.hs = h;
    e.wire = Wire(h);
    return e;
}

/// What the parser returned for one item.
struct Got
{
    bool handshake{false};
    BtHandshake hs;
    BtMessageHeader msg;
    bool hasPiece{false};
    Bytes pieceBytes;
};

Got
Capture(const BtStreamParser& parser, BtStreamParser::Result r)
{
    Got g;
    g.handshake = r == BtStreamParser::HANDSHAKE;
    if (g.handshake)
    {
        g.hs = parser.GetHandshake();
        return g;
    }
    g.msg = parser.GetMessage();
    if (parser.GetPieceData())
    {
        g.hasPiece = true;
        g.pieceBytes = ToBytes(parser.GetPieceData());
    }
    return g;
}

void
ExpectSame(const Got& g, const Expected& e, const std::string& where)
{
    ASSERT_EQ(g.handshake, e.handshake) << where;
    if (e.handshake)
    {
        EXPECT_EQ(g.hs.GetInfoHash(), e.hs.GetInfoHash()) << where;
        EXPECT_EQ(g.hs.GetPeerId(), e.hs.GetPeerId()) << where;
        EXPECT_EQ(g.hs.GetReserved(), e.hs.GetReserved()) << where;
        return;
    }
    const BtMessageHeader& m = g.msg;
    EXPECT_EQ(m.IsKeepAlive(), e.keepAlive) << where;
    EXPECT_EQ(unsigned(m.GetId()), unsigned(e.id)) << where;
    EXPECT_EQ(m.GetLength(), e.length) << where;
    EXPECT_EQ(m.GetPiece(), e.piece) << where;
    EXPECT_EQ(m.GetBegin(), e.begin) << where;
    EXPECT_EQ(m.GetRequestLength(), e.requestLength) << where;
    EXPECT_EQ(m.GetBlockLength(), e.blockLength) << where;
    EXPECT_EQ(m.GetBitfield(), e.bitfield) << where;
    EXPECT_EQ(m.GetPort(), e.port) << where;
    bool isPiece = !e.keepAlive && e.id == BtMessageHeader::PIECE;
    EXPECT_EQ(g.hasPiece, isPiece) << where;
    EXPECT_EQ(g.pieceBytes, e.payload) << where;
}

/// Feeds \p stream cut at \p cuts (increasing offsets), draining Next() after every piece.
std::vector<Got>
Feed(BtStreamParser& parser, const Bytes& stream, const std::vector<size_t>& cuts)
{
    std::vector<Got> out;
    size_t from = 0;
    std::vector<size_t> ends = cuts;
    ends.push_back(stream.size());
    for (size_t to : ends)
    {
        if (to > from)
        {
            parser.Append(Slice(stream, from, to));
        }
        from = to;
        for (;;)
        {
            auto r = parser.Next();
            if (r == BtStreamParser::NEED_MORE)
            {
                break;
            }
            if (r == BtStreamParser::ERROR)
            {
                ADD_FAILURE() << "unexpected error: " << parser.GetError();
                return out;
            }
            out.push_back(Capture(parser, r));
        }
    }
    return out;
}

void
ExpectSequence(const std::vector<Got>& got, const std::vector<Expected>& want,
               const std::string& where)
{
    ASSERT_EQ(got.size(), want.size()) << where;
    for (size_t i = 0; i < want.size(); ++i)
    {
        ExpectSame(got[i], want[i], where + ", item " + std::to_string(i));
    }
}

Bytes
RandomBytes(std::mt19937& rng, size_t n)
{
    Bytes b(n);
    for (auto& x : b)
    {
        x = static_cast<uint8_t>(rng());
    }
    return b;
}

template<size_t N>
std::array<uint8_t, N>
RandomArray(std::mt19937& rng)
{
    std::array<uint8_t, N> a;
    for (auto& x : a)
    {
        x = static_cast<uint8_t>(rng());
    }
    return a;
}

/// One random message of any kind; pieces carry up to \p maxBlock random bytes.
Expected
RandomMessage(std::mt19937& rng, uint32_t maxBlock)
{
    auto u32 = [&rng]() {
        return static_cast<uint32_t>(rng());
    };
    switch (rng() % 13)
    {
        case 0:
            return FromHeader(BtMessageHeader::KeepAlive());
        case 1:
            return FromHeader(BtMessageHeader::Choke());
        case 2:
            return FromHeader(BtMessageHeader::Unchoke());
        case 3:
            return FromHeader(BtMessageHeader::Interested());
        case 4:
            return FromHeader(BtMessageHeader::NotInterested());
        case 5:
            return FromHeader(BtMessageHeader::Have(u32()));
        case 6:
            return FromHeader(BtMessageHeader::Bitfield(RandomBytes(rng, rng() % 40)));
        case 7:
            return FromHeader(BtMessageHeader::Request(u32(), u32(), u32()));
        case 8:
            return FromHeader(BtMessageHeader::Cancel(u32(), u32(), u32()));
        case 9:
            return FromHeader(BtMessageHeader::Port(static_cast<uint16_t>(rng())));
        case 10:
            return Unknown(20, RandomBytes(rng, rng() % 30));
        default:
        {
            Bytes block = RandomBytes(rng, rng() % (maxBlock + 1));
            return FromHeader(
                BtMessageHeader::Piece(u32(), u32(), static_cast<uint32_t>(block.size())), block);
        }
    }
}

/// A handshake (with an extension bit set, to check reserved bytes survive) and \p count
/// random messages.
std::vector<Expected>
RandomConversation(uint32_t seed, size_t count, uint32_t maxBlock)
{
    std::mt19937 rng(seed);
    BtHandshake hs(RandomArray<20>(rng), RandomArray<20>(rng));
    BtHandshake::Reserved reserved{};
    reserved[5] = 0x10;
    reserved[7] = 0x05;
    hs.SetReserved(reserved);
    std::vector<Expected> items{FromHandshake(hs)};
    for (size_t i = 0; i < count; ++i)
    {
        items.push_back(RandomMessage(rng, maxBlock));
    }
    return items;
}

/// How many pieces of at least \p minBlock bytes \p items hold.
size_t
CountPieces(const std::vector<Expected>& items, size_t minBlock)
{
    size_t n = 0;
    for (const auto& e : items)
    {
        n += (!e.handshake && !e.keepAlive && e.id == BtMessageHeader::PIECE
              && e.payload.size() >= minBlock);
    }
    return n;
}

Bytes
StreamOf(const std::vector<Expected>& items)
{
    Bytes s;
    for (const auto& e : items)
    {
        s = Concat(std::move(s), e.wire);
    }
    return s;
}

/// One message of each kind, for exhaustive tests.
std::vector<Expected>
OneOfEach()
{
    Bytes block(100);
    for (size_t i = 0; i < block.size(); ++i)
    {
        block[i] = static_cast<uint8_t>(255 - i);
    }
    return {FromHeader(BtMessageHeader::KeepAlive()),
            FromHeader(BtMessageHeader::Choke()),
            FromHeader(BtMessageHeader::Unchoke()),
            FromHeader(BtMessageHeader::Interested()),
            FromHeader(BtMessageHeader::NotInterested()),
            FromHeader(BtMessageHeader::Have(0xDEADBEEF)),
            FromHeader(BtMessageHeader::Bitfield({0xFF, 0x00, 0xA5, 0x80})),
            FromHeader(BtMessageHeader::Bitfield({})),
            FromHeader(BtMessageHeader::Request(7, 0x4000, 0x4000)),
            FromHeader(BtMessageHeader::Cancel(7, 0x8000, 0x2000)),
            FromHeader(BtMessageHeader::Piece(3, 0x4000, 100), block),
            FromHeader(BtMessageHeader::Piece(4, 0, 0), {}),
            FromHeader(BtMessageHeader::Port(6881)),
            Unknown(20, {'d', '1', ':', 'm', 'd', 'e', 'e'}),
            Unknown(20, {})};
}

/// Size a Packet takes to serialize: the data bytes of its buffer, not its zero-filled area.
/// Far below a payload's size shows that the payload is still "virtual".
uint32_t
StoredBytes(Ptr<const Packet> p)
{
    return p->GetSerializedSize();
}

} // namespace

// ------------------------------------------------------------------ exact bytes (BEP 3)

TEST(BtPeerWire, MessagesHaveTheExactByteLayoutOfBep3)
{
    EXPECT_EQ(Wire(BtMessageHeader::KeepAlive()), FromHex("00 00 00 00"));
    EXPECT_EQ(Wire(BtMessageHeader::Choke()), FromHex("00 00 00 01 00"));
    EXPECT_EQ(Wire(BtMessageHeader::Unchoke()), FromHex("00 00 00 01 01"));
    EXPECT_EQ(Wire(BtMessageHeader::Interested()), FromHex("00 00 00 01 02"));
    EXPECT_EQ(Wire(BtMessageHeader::NotInterested()), FromHex("00 00 00 01 03"));
    EXPECT_EQ(Wire(BtMessageHeader::Have(5)), FromHex("00 00 00 05 04 00 00 00 05"));
    EXPECT_EQ(Wire(BtMessageHeader::Bitfield({0xFF, 0x80})), FromHex("00 00 00 03 05 ff 80"));
    EXPECT_EQ(Wire(BtMessageHeader::Request(1, 0x4000, 0x4000)),
              FromHex("00 00 00 0d 06 00 00 00 01 00 00 40 00 00 00 40 00"));
    EXPECT_EQ(Wire(BtMessageHeader::Cancel(0x01020304, 0, 0x4000)),
              FromHex("00 00 00 0d 08 01 02 03 04 00 00 00 00 00 00 40 00"));
    EXPECT_EQ(Wire(BtMessageHeader::Port(6881)), FromHex("00 00 00 03 09 1a e1"));
    // A piece header counts the block that follows in its prefix: 9 + 3.
    EXPECT_EQ(Wire(BtMessageHeader::Piece(2, 0x8000, 3), {0xAA, 0xBB, 0xCC}),
              FromHex("00 00 00 0c 07 00 00 00 02 00 00 80 00 aa bb cc"));
    EXPECT_EQ(BtMessageHeader::Piece(2, 0x8000, 16384).GetSerializedSize(), 13u);
    EXPECT_EQ(BtMessageHeader::Piece(2, 0x8000, 16384).GetLength(), 16393u);
}

TEST(BtPeerWire, HandshakeIs68BytesStartingWithTheProtocolString)
{
    InfoHash hash;
    PeerId id;
    for (uint8_t i = 0; i < 20; ++i)
    {
        hash[i] = i;
        id[i] = static_cast<uint8_t>('A' + i);
    }
    Bytes w = Wire(BtHandshake(hash, id));
    ASSERT_EQ(w.size(), 68u);
    const char* start = "\x13"
                        "BitTorrent protocol";
    EXPECT_EQ(Bytes(w.begin(), w.begin() + 20), Bytes(start, start + 20));
    EXPECT_EQ(Bytes(w.begin() + 20, w.begin() + 28), Bytes(8, 0)); // we send zero reserved
    EXPECT_EQ(Bytes(w.begin() + 28, w.begin() + 48), Bytes(hash.begin(), hash.end()));
    EXPECT_EQ(Bytes(w.begin() + 48, w.end()), Bytes(id.begin(), id.end()));
}

// ------------------------------------------------------------------ round trips

TEST(BtPeerWire, EveryMessageRoundTripsThroughAPacket)
{
    for (const auto& e : OneOfEach())
    {
        // Deserialized on its own, from a packet holding the message and its payload.
        Ptr<Packet> p = ToPacket(e.wire);
        BtMessageHeader h;
        uint32_t used = p->RemoveHeader(h);
        std::string where = "message " + h.GetName();
        ASSERT_TRUE(h.IsValid()) << where << ": " << h.GetError();
        EXPECT_EQ(used, h.GetSerializedSize()) << where;
        Got g;
        g.msg = h;
        if (!e.keepAlive && e.id == BtMessageHeader::PIECE)
        {
            g.hasPiece = true;
            g.pieceBytes = ToBytes(p);
        }
        ExpectSame(g, e, where);
        // Serialized again, the same bytes.
        if (e.id != 20)
        {
            EXPECT_EQ(Wire(h, g.pieceBytes), e.wire) << where;
        }

        // And through the stream parser.
        BtStreamParser parser;
        parser.ExpectHandshake(false);
        parser.Append(ToPacket(e.wire));
        auto r = parser.Next();
        ASSERT_EQ(r, BtStreamParser::MESSAGE) << where << ": " << parser.GetError();
        ExpectSame(Capture(parser, r), e, where + " (parser)");
        EXPECT_EQ(parser.Next(), BtStreamParser::NEED_MORE) << where;
        EXPECT_EQ(parser.GetBufferedBytes(), 0u) << where;
    }
}

TEST(BtPeerWire, HandshakeRoundTripsAndKeepsReservedBitsAsRead)
{
    std::mt19937 rng(3);
    BtHandshake sent(RandomArray<20>(rng), RandomArray<20>(rng));
    BtHandshake::Reserved reserved{0, 0, 0, 0, 0, 0x10, 0, 0x05}; // extension protocol, DHT
    sent.SetReserved(reserved);
    Ptr<Packet> p = ToPacket(Wire(sent));
    BtHandshake got;
    EXPECT_EQ(p->PeekHeader(got), 68u);
    ASSERT_TRUE(got.IsValid()) << got.GetError();
    EXPECT_EQ(got.GetInfoHash(), sent.GetInfoHash());
    EXPECT_EQ(got.GetPeerId(), sent.GetPeerId());
    EXPECT_EQ(got.GetReserved(), reserved);
}

TEST(BtPeerWire, IdNamesForLogs)
{
    EXPECT_EQ(BtMessageHeader::IdName(BtMessageHeader::CHOKE), "choke");
    EXPECT_EQ(BtMessageHeader::IdName(BtMessageHeader::NOT_INTERESTED), "not_interested");
    EXPECT_EQ(BtMessageHeader::IdName(BtMessageHeader::PIECE), "piece");
    EXPECT_EQ(BtMessageHeader::IdName(BtMessageHeader::PORT), "port");
    EXPECT_EQ(BtMessageHeader::IdName(20), "unknown(20)");
    EXPECT_EQ(BtMessageHeader::KeepAlive().GetName(), "keep_alive");
    EXPECT_FALSE(BtMessageHeader::KeepAlive().IsKnownId());
    EXPECT_TRUE(BtMessageHeader::Port(1).IsKnownId());
    std::ostringstream os;
    BtMessageHeader::Request(1, 2, 3).Print(os);
    EXPECT_EQ(os.str(), "request piece=1 begin=2 length=3");
}

// ------------------------------------------------------------------ the stream parser

TEST(BtStreamParser, ConversationSplitAtEveryByteBoundaryParsesTheSame)
{
    auto items = RandomConversation(11, 50, 48);
    ASSERT_GE(CountPieces(items, 10), 3u);
    Bytes stream = StreamOf(items);
    for (size_t cut = 0; cut <= stream.size(); ++cut)
    {
        BtStreamParser parser;
        auto got = Feed(parser, stream, {cut});
        ExpectSequence(got, items, "cut " + std::to_string(cut));
        EXPECT_EQ(parser.GetBufferedBytes(), 0u);
        if (::testing::Test::HasFailure())
        {
            return;
        }
    }
}

TEST(BtStreamParser, ConversationByteAtATimeYieldsEachItemAtItsLastByte)
{
    auto items = RandomConversation(12, 50, 700);
    ASSERT_GE(CountPieces(items, 100), 3u);
    Bytes stream = StreamOf(items);
    BtStreamParser parser;
    size_t next = 0;
    size_t delivered = 0; // bytes of the items returned so far
    for (size_t i = 0; i < stream.size(); ++i)
    {
        parser.Append(Slice(stream, i, i + 1));
        for (;;)
        {
            auto r = parser.Next();
            ASSERT_NE(r, BtStreamParser::ERROR) << parser.GetError();
            if (r == BtStreamParser::NEED_MORE)
            {
                break;
            }
            ASSERT_LT(next, items.size());
            // An item completes exactly at its last byte, never earlier or later.
            delivered += items[next].wire.size();
            EXPECT_EQ(i + 1, delivered) << "item " << next;
            ExpectSame(Capture(parser, r), items[next], "item " + std::to_string(next));
            ++next;
        }
        ASSERT_EQ(parser.GetBufferedBytes(), i + 1 - delivered) << "byte " << i;
    }
    EXPECT_EQ(next, items.size());
}

TEST(BtStreamParser, ConversationWithFullBlocksInRandomSplitsParsesTheSame)
{
    for (uint32_t seed = 1; seed <= 6; ++seed)
    {
        auto items = RandomConversation(100 + seed, 50, 16384);
        ASSERT_GE(CountPieces(items, 4096), 2u) << "seed " << seed;
        Bytes stream = StreamOf(items);
        std::mt19937 rng(seed);
        // Small reads (a few bytes), segment-sized ones and large ones.
        uint32_t maxRead = seed % 3 == 0 ? 8 : (seed % 3 == 1 ? 1500 : 40000);
        std::vector<size_t> cuts;
        for (size_t at = 1 + rng() % maxRead; at < stream.size(); at += 1 + rng() % maxRead)
        {
            cuts.push_back(at);
        }
        BtStreamParser parser;
        auto got = Feed(parser, stream, cuts);
        ExpectSequence(got, items, "seed " + std::to_string(seed));
        EXPECT_EQ(parser.GetBufferedBytes(), 0u);
    }
}

TEST(BtStreamParser, EveryTruncationNeedsMoreAndTheRestCompletesIt)
{
    auto items = OneOfEach();
    std::mt19937 rng(5);
    items.push_back(FromHandshake(BtHandshake(RandomArray<20>(rng), RandomArray<20>(rng))));
    for (const auto& e : items)
    {
        for (size_t cut = 0; cut < e.wire.size(); ++cut)
        {
            std::string where = (e.handshake ? std::string("handshake")
                                             : "message id " + std::to_string(e.id) + " length "
                                                   + std::to_string(e.length))
                                + " cut at " + std::to_string(cut);
            BtStreamParser parser;
            parser.ExpectHandshake(e.handshake);
            parser.Append(Slice(e.wire, 0, cut));
            ASSERT_EQ(parser.Next(), BtStreamParser::NEED_MORE) << where;
            EXPECT_EQ(parser.GetBufferedBytes(), cut) << where;
            EXPECT_TRUE(parser.GetError().empty()) << where;
            parser.Append(Slice(e.wire, cut, e.wire.size()));
            auto r = parser.Next();
            ASSERT_EQ(r, e.handshake ? BtStreamParser::HANDSHAKE : BtStreamParser::MESSAGE)
                << where << ": " << parser.GetError();
            ExpectSame(Capture(parser, r), e, where);
            EXPECT_EQ(parser.Next(), BtStreamParser::NEED_MORE) << where;
        }
    }
}

TEST(BtStreamParser, UnknownIdIsSkippedAndTheNextMessageStillParsed)
{
    BtStreamParser parser;
    parser.ExpectHandshake(false);
    // BEP 10 extended message (id 20) with a 6-byte payload, then have(7).
    parser.Append(ToPacket(FromHex("00 00 00 07 14 00 64 31 3a 61 65 00 00 00 05 04 00 00 00 07")));
    ASSERT_EQ(parser.Next(), BtStreamParser::MESSAGE);
    EXPECT_EQ(parser.GetMessage().GetId(), 20);
    EXPECT_FALSE(parser.GetMessage().IsKnownId());
    EXPECT_EQ(parser.GetMessage().GetLength(), 7u);
    EXPECT_EQ(parser.GetMessage().GetName(), "unknown(20)");
    EXPECT_EQ(parser.GetPieceData(), nullptr);
    ASSERT_EQ(parser.Next(), BtStreamParser::MESSAGE);
    EXPECT_EQ(parser.GetMessage().GetId(), BtMessageHeader::HAVE);
    EXPECT_EQ(parser.GetMessage().GetPiece(), 7u);
    EXPECT_EQ(parser.Next(), BtStreamParser::NEED_MORE);
}

TEST(BtStreamParser, VirtualBlockPassesThroughWithoutBeingMaterialised)
{
    // The probe: a zero-filled packet stores no bytes, the same bytes written out do.
    Bytes zeros(16384, 0);
    ASSERT_LT(StoredBytes(Create<Packet>(16384)), 200u);
    ASSERT_GT(StoredBytes(ToPacket(zeros)), 16384u);

    // How the application sends a block of a virtual file: a header on a zero-filled packet,
    // here behind a have message in the same packet.
    Ptr<Packet> sent = Create<Packet>(16384);
    sent->AddHeader(BtMessageHeader::Piece(3, 16384, 16384));
    sent->AddHeader(BtMessageHeader::Have(9));
    uint32_t sentStored = StoredBytes(sent);
    ASSERT_LT(sentStored, 300u);

    // Whole, and split inside the header and twice inside the block.
    std::vector<std::vector<uint32_t>> splits{{}, {11, 4000, 9000}, {22, 23}};
    for (const auto& cuts : splits)
    {
        BtStreamParser parser;
        parser.ExpectHandshake(false);
        uint32_t from = 0;
        std::vector<uint32_t> ends = cuts;
        ends.push_back(sent->GetSize());
        for (uint32_t to : ends)
        {
            parser.Append(sent->CreateFragment(from, to - from));
            from = to;
        }
        parser.Append(ToPacket(Wire(BtMessageHeader::Interested())));
        std::string where = "cuts " + std::to_string(cuts.size());

        ASSERT_EQ(parser.Next(), BtStreamParser::MESSAGE) << where;
        EXPECT_EQ(parser.GetMessage().GetId(), BtMessageHeader::HAVE) << where;
        ASSERT_EQ(parser.Next(), BtStreamParser::MESSAGE) << where;
        EXPECT_EQ(parser.GetMessage().GetId(), BtMessageHeader::PIECE) << where;
        EXPECT_EQ(parser.GetMessage().GetPiece(), 3u) << where;
        EXPECT_EQ(parser.GetMessage().GetBegin(), 16384u) << where;
        Ptr<Packet> block = parser.GetPieceData();
        ASSERT_NE(block, nullptr) << where;
        EXPECT_EQ(block->GetSize(), 16384u) << where;
        EXPECT_LT(StoredBytes(block), 200u) << where << ": the block was written out";
        EXPECT_EQ(ToBytes(block), zeros) << where;
        ASSERT_EQ(parser.Next(), BtStreamParser::MESSAGE) << where;
        EXPECT_EQ(parser.GetMessage().GetId(), BtMessageHeader::INTERESTED) << where;
        EXPECT_EQ(parser.Next(), BtStreamParser::NEED_MORE) << where;
    }
    // Nor was the sender's packet touched.
    EXPECT_EQ(StoredBytes(sent), sentStored);
}

TEST(BtStreamParser, BlockComesWithoutTheTagsOfTheReceivedPackets)
{
    // Tags on what the socket delivered describe that delivery, not the block: a block that is
    // later uploaded again must not carry them.
    Bytes block(300, 0x5A);
    Ptr<Packet> received = ToPacket(Wire(BtMessageHeader::Piece(1, 0, 300), block));
    received->AddByteTag(FlowIdTag(7));
    received->AddPacketTag(FlowIdTag(8));
    BtStreamParser parser;
    parser.ExpectHandshake(false);
    parser.Append(received);
    ASSERT_EQ(parser.Next(), BtStreamParser::MESSAGE);
    Ptr<Packet> data = parser.GetPieceData();
    ASSERT_NE(data, nullptr);
    EXPECT_EQ(ToBytes(data), block);
    FlowIdTag tag;
    EXPECT_FALSE(data->FindFirstMatchingByteTag(tag));
    EXPECT_FALSE(data->PeekPacketTag(tag));
    // The caller's packet keeps its own.
    EXPECT_TRUE(received->FindFirstMatchingByteTag(tag));
    EXPECT_TRUE(received->PeekPacketTag(tag));
}

// ------------------------------------------------------------------ malformed streams

TEST(BtStreamParser, OversizeLengthIsRejectedFromThePrefixAlone)
{
    BtStreamParser parser;
    parser.ExpectHandshake(false);
    parser.Append(ToPacket(FromHex("00 10 00 00"))); // 1 MiB announced, nothing more sent
    ASSERT_EQ(parser.Next(), BtStreamParser::ERROR);
    EXPECT_EQ(parser.GetError(), "message length 1048576 exceeds 16393");
    EXPECT_EQ(parser.GetBufferedBytes(), 0u);
    // The stream is dead: later bytes, even valid ones, are ignored.
    parser.Append(ToPacket(Wire(BtMessageHeader::Have(1))));
    EXPECT_EQ(parser.Next(), BtStreamParser::ERROR);
    EXPECT_EQ(parser.GetBufferedBytes(), 0u);
    EXPECT_EQ(parser.GetError(), "message length 1048576 exceeds 16393");

    // The largest prefix there is, after a good handshake.
    BtStreamParser p2;
    p2.Append(ToPacket(Concat(Wire(BtHandshake()), FromHex("ff ff ff ff 07"))));
    EXPECT_EQ(p2.Next(), BtStreamParser::HANDSHAKE);
    EXPECT_EQ(p2.Next(), BtStreamParser::ERROR);
    EXPECT_EQ(p2.GetError(), "message length 4294967295 exceeds 16393");

    // A block one byte longer than 16 KiB.
    BtStreamParser p3;
    p3.ExpectHandshake(false);
    p3.Append(ToPacket(Wire(BtMessageHeader::Piece(0, 0, 16385), Bytes(16385, 1))));
    EXPECT_EQ(p3.Next(), BtStreamParser::ERROR);
    EXPECT_EQ(p3.GetError(), "message length 16394 exceeds 16393");
}

TEST(BtStreamParser, BigTorrentBitfieldNeedsTheRaisedLimit)
{
    EXPECT_EQ(BtStreamParser::MaxLengthFor(0), 16393u);
    EXPECT_EQ(BtStreamParser::MaxLengthFor(1000), 16393u);
    EXPECT_EQ(BtStreamParser::MaxLengthFor(131137), 16394u); // 16393 bytes of bits + id
    EXPECT_EQ(BtStreamParser::MaxLengthFor(1000000), 125001u);
    EXPECT_EQ(BtStreamParser::MaxLengthFor(0xFFFFFFFFu), 536870913u);

    uint32_t pieces = 200000;
    Bytes bits((pieces + 7) / 8, 0xFF);
    Bytes wire = Wire(BtMessageHeader::Bitfield(bits));

    BtStreamParser small;
    small.ExpectHandshake(false);
    small.Append(ToPacket(wire));
    EXPECT_EQ(small.Next(), BtStreamParser::ERROR);
    EXPECT_EQ(small.GetError(), "message length 25001 exceeds 16393");

    BtStreamParser big(BtStreamParser::MaxLengthFor(pieces));
    big.ExpectHandshake(false);
    big.Append(ToPacket(wire));
    ASSERT_EQ(big.Next(), BtStreamParser::MESSAGE) << big.GetError();
    EXPECT_EQ(big.GetMessage().GetBitfield(), bits);
    EXPECT_EQ(BtMessageHeader::CheckBitfield(big.GetMessage().GetBitfield(), pieces), "");

    // Raised once the handshake named the torrent, before the bitfield that follows it.
    BtStreamParser later;
    later.Append(ToPacket(Concat(Wire(BtHandshake()), wire)));
    ASSERT_EQ(later.Next(), BtStreamParser::HANDSHAKE);
    later.SetMaxMessageLength(BtStreamParser::MaxLengthFor(pieces));
    EXPECT_EQ(later.GetMaxMessageLength(), 25001u);
    ASSERT_EQ(later.Next(), BtStreamParser::MESSAGE) << later.GetError();
    EXPECT_EQ(later.GetMessage().GetBitfield().size(), bits.size());
}

TEST(BtStreamParser, WrongLengthForAKnownIdIsRejectedWithAReason)
{
    struct Case
    {
        uint8_t id;
        uint32_t length;
        std::string reason;
    };
    std::vector<Case> cases{
        {BtMessageHeader::CHOKE, 2, "choke message of length 2"},
        {BtMessageHeader::UNCHOKE, 5, "unchoke message of length 5"},
        {BtMessageHeader::INTERESTED, 3, "interested message of length 3"},
        {BtMessageHeader::NOT_INTERESTED, 13, "not_interested message of length 13"},
        {BtMessageHeader::HAVE, 3, "have message of length 3"},
        {BtMessageHeader::HAVE, 6, "have message of length 6"},
        {BtMessageHeader::REQUEST, 12, "request message of length 12"},
        {BtMessageHeader::REQUEST, 17, "request message of length 17"},
        {BtMessageHeader::CANCEL, 14, "cancel message of length 14"},
        {BtMessageHeader::PIECE, 8, "piece message of length 8"},
        {BtMessageHeader::PIECE, 1, "piece message of length 1"},
        {BtMessageHeader::PORT, 2, "port message of length 2"},
        {BtMessageHeader::PORT, 4, "port message of length 4"},
    };
    for (const auto& c : cases)
    {
        Bytes wire{0, 0, 0, static_cast<uint8_t>(c.length), c.id};
        Bytes body(c.length - 1, 0);
        // Rejected as soon as prefix and id are here, and with the whole body too.
        for (bool withBody : {false, true})
        {
            BtStreamParser parser;
            parser.ExpectHandshake(false);
            parser.Append(ToPacket(withBody ? Concat(wire, body) : wire));
            EXPECT_EQ(parser.Next(), BtStreamParser::ERROR) << c.reason;
            EXPECT_EQ(parser.GetError(), c.reason);
        }
        // The header alone reports the same.
        BtMessageHeader h;
        EXPECT_EQ(ToPacket(Concat(wire, body))->PeekHeader(h), 0u) << c.reason;
        EXPECT_FALSE(h.IsValid());
        EXPECT_EQ(h.GetError(), c.reason);
    }
}

TEST(BtStreamParser, BadProtocolStringIsRejected)
{
    InfoHash hash{};
    PeerId id{};
    Bytes good = Wire(BtHandshake(hash, id));

    // Another protocol string length: as soon as the first byte is here.
    {
        BtStreamParser parser;
        parser.Append(ToPacket({18}));
        EXPECT_EQ(parser.Next(), BtStreamParser::ERROR);
        EXPECT_EQ(parser.GetError(), "bad protocol string length 18 (expected 19)");
    }
    // Something else altogether, e.g. an HTTP request.
    {
        BtStreamParser parser;
        std::string http = "GET /announce HTTP/1.1\r\n";
        parser.Append(ToPacket(Bytes(http.begin(), http.end())));
        EXPECT_EQ(parser.Next(), BtStreamParser::ERROR);
        EXPECT_EQ(parser.GetError(), "bad protocol string length 71 (expected 19)");
    }
    // One wrong letter: accepted until it arrives, rejected when it does.
    {
        Bytes bad = good;
        bad[12] = 'P'; // "BitTorrent Protocol"
        BtStreamParser parser;
        parser.Append(Slice(bad, 0, 12));
        EXPECT_EQ(parser.Next(), BtStreamParser::NEED_MORE);
        parser.Append(Slice(bad, 12, 13));
        EXPECT_EQ(parser.Next(), BtStreamParser::ERROR);
        EXPECT_EQ(parser.GetError().rfind("bad protocol string", 0), 0u) << parser.GetError();
    }
    // The header alone reports both.
    for (size_t at : {size_t(0), size_t(19)})
    {
        Bytes bad = good;
        bad[at] ^= 0x01;
        BtHandshake h;
        EXPECT_EQ(ToPacket(bad)->PeekHeader(h), 0u);
        EXPECT_FALSE(h.IsValid());
        EXPECT_EQ(h.GetError().rfind("bad protocol string", 0), 0u) << h.GetError();
    }
    // A handshake the peer did not finish is not an error, merely incomplete.
    BtHandshake h;
    EXPECT_EQ(Slice(good, 0, 67)->PeekHeader(h), 0u);
    EXPECT_EQ(h.GetError().rfind("truncated", 0), 0u) << h.GetError();
}

TEST(BtStreamParser, TruncatedBitfieldHeaderDoesNotAllocateFromItsPrefix)
{
    // A standalone header given a bitfield prefix of 1 GiB and three bytes: it must fail on
    // the missing bytes without reserving the announced size.
    BtMessageHeader h;
    EXPECT_EQ(ToPacket(FromHex("40 00 00 00 05 ff ff ff"))->PeekHeader(h), 0u);
    EXPECT_FALSE(h.IsValid());
    EXPECT_EQ(h.GetError().rfind("truncated: bitfield", 0), 0u) << h.GetError();
    EXPECT_TRUE(h.GetBitfield().empty());
    // With a limit, the prefix alone decides.
    BtMessageHeader limited;
    limited.SetMaxLength(16393);
    EXPECT_EQ(ToPacket(FromHex("40 00 00 00 05 ff ff ff"))->PeekHeader(limited), 0u);
    EXPECT_EQ(limited.GetError(), "message length 1073741824 exceeds 16393");
}

TEST(BtPeerWire, BitfieldCheckAgainstTheTorrent)
{
    EXPECT_EQ(BtMessageHeader::CheckBitfield({0xFF, 0xC0}, 10), "");
    EXPECT_EQ(BtMessageHeader::CheckBitfield({0xFF, 0xFF}, 16), "");
    EXPECT_EQ(BtMessageHeader::CheckBitfield({0xFF, 0xE0}, 10),
              "bitfield has spare bits set after piece 9");
    EXPECT_EQ(BtMessageHeader::CheckBitfield({0xFF}, 10),
              "bitfield of 1 bytes for 10 pieces (expected 2)");
    EXPECT_EQ(BtMessageHeader::CheckBitfield({0xFF, 0, 0}, 10),
              "bitfield of 3 bytes for 10 pieces (expected 2)");
}

TEST(BtPeerWire, FactoriesRejectLengthsThatDoNotFit32Bits)
{
    EXPECT_THROW(BtMessageHeader::Piece(0, 0, 0xFFFFFFFFu - 8), std::invalid_argument);
    EXPECT_EQ(BtMessageHeader::Piece(0, 0, 0xFFFFFFFFu - 9).GetLength(), 0xFFFFFFFFu);
}
