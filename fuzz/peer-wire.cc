/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fuzz target: the BitTorrent peer wire protocol. The first byte picks the parser, the rest
// is its input:
//  0: the handshake (BtHandshake);
//  1: one length-prefixed message (BtMessageHeader) under the default length limit;
//  2: a connection's byte stream (BtStreamParser), handshake first if the second byte is
//     even, fed at once and cut into pieces: the same items and the same verdict.

#include "ns3/peer-wire.h"

#include "fuzz-util.h"

using namespace ns3;

namespace
{

std::vector<uint8_t>
Bytes(Ptr<const Packet> p)
{
    std::vector<uint8_t> out(p->GetSize());
    p->CopyData(out.data(), out.size());
    return out;
}

/// Everything Next() returned, as comparable text and bytes.
struct Items
{
    std::vector<std::vector<uint8_t>> items;
    std::string error;
};

Items
Parse(const uint8_t* data, size_t size, bool handshake, bool split)
{
    BtStreamParser parser;
    parser.ExpectHandshake(handshake);
    Items out;
    uint64_t fed = 0;
    uint64_t returned = 0;
    auto drain = [&]() {
        for (;;)
        {
            BtStreamParser::Result r = parser.Next();
            if (r == BtStreamParser::NEED_MORE || r == BtStreamParser::ERROR)
            {
                FUZZ_CHECK(r == BtStreamParser::ERROR
                           || parser.GetBufferedBytes() == fed - returned);
                return;
            }
            std::vector<uint8_t> item{uint8_t(r)};
            if (r == BtStreamParser::HANDSHAKE)
            {
                auto bytes = bullet_fuzz::HeaderBytes(parser.GetHandshake());
                item.insert(item.end(), bytes.begin(), bytes.end());
                returned += bytes.size();
            }
            else
            {
                const BtMessageHeader& m = parser.GetMessage();
                FUZZ_CHECK(m.GetLength() <= parser.GetMaxMessageLength());
                FUZZ_CHECK(m.IsKeepAlive()
                           || BtMessageHeader::CheckLength(m.GetId(), m.GetLength()).empty());
                auto bytes = bullet_fuzz::HeaderBytes(m);
                item.insert(item.end(), bytes.begin(), bytes.end());
                Ptr<Packet> piece = parser.GetPieceData();
                FUZZ_CHECK((piece != nullptr) == (m.GetId() == BtMessageHeader::PIECE));
                if (piece)
                {
                    FUZZ_CHECK(piece->GetSize() == m.GetBlockLength());
                    auto block = Bytes(piece);
                    item.insert(item.end(), block.begin(), block.end());
                }
                // The whole message is consumed, unknown payloads included.
                returned += m.IsKeepAlive() ? 4 : 4 + uint64_t(m.GetLength());
            }
            out.items.push_back(std::move(item));
        }
    };
    for (const auto& [at, len] : split ? bullet_fuzz::Splits(size, size & 0xFF)
                                       : std::vector<std::pair<size_t, size_t>>{{0, size}})
    {
        parser.Append(Create<Packet>(data + at, len));
        fed += len;
        drain();
    }
    out.error = parser.GetError();
    return out;
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bullet_fuzz::Init();
    if (size == 0)
    {
        return 0;
    }
    const uint8_t* in = data + 1;
    const size_t n = size - 1;
    switch (data[0] % 3)
    {
        case 0:
        {
            BtHandshake h;
            BtHandshake h2;
            if (bullet_fuzz::CheckHeader(in, n, h, h2))
            {
                FUZZ_CHECK(h2.GetInfoHash() == h.GetInfoHash() && h2.GetPeerId() == h.GetPeerId());
            }
            break;
        }
        case 1:
        {
            BtMessageHeader m;
            BtMessageHeader m2;
            m.SetMaxLength(BtStreamParser::kDefaultMaxMessageLength);
            m2.SetMaxLength(BtStreamParser::kDefaultMaxMessageLength);
            if (bullet_fuzz::CheckHeader(in, n, m, m2))
            {
                FUZZ_CHECK(m.GetLength() <= BtStreamParser::kDefaultMaxMessageLength);
                FUZZ_CHECK(m.IsKeepAlive()
                           || BtMessageHeader::CheckLength(m.GetId(), m.GetLength()).empty());
                FUZZ_CHECK(m2.GetId() == m.GetId() && m2.GetLength() == m.GetLength());
                (void) m.GetName();
                (void) BtMessageHeader::CheckBitfield(m.GetBitfield(), 8 * m.GetBitfield().size());
            }
            break;
        }
        default:
        {
            if (n == 0)
            {
                break;
            }
            bool handshake = in[0] % 2 == 0;
            Items whole = Parse(in + 1, n - 1, handshake, false);
            Items split = Parse(in + 1, n - 1, handshake, true);
            FUZZ_CHECK(whole.error == split.error);
            FUZZ_CHECK(whole.items == split.items);
            break;
        }
    }
    return 0;
}
