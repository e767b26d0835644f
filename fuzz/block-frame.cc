/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fuzz target: the block transport's framing: the frame header (BlockFrameHeader), the hello
// (BlockHelloHeader), and the reassembly of frames from a byte stream (FrameDecoder), fed the
// input at once and cut into pieces: both must give the same frames and the same verdict.

#include "ns3/block-frame.h"

#include "fuzz-util.h"

using namespace ns3;

namespace
{

constexpr uint32_t kMaxBody = 64 * 1024;

/// What a decoder made of a stream.
struct Decoded
{
    std::vector<FrameDecoder::Frame> frames;
    bool failed{false};
    std::string error;
    uint32_t buffered{0};
};

Decoded
Decode(const uint8_t* data, size_t size, const std::vector<std::pair<size_t, size_t>>& pieces)
{
    FrameDecoder decoder;
    decoder.SetMaxBodySize(kMaxBody);
    decoder.SetTypeFilter([](uint16_t type) {
        return type != 0xFFFF;
    });
    Decoded d;
    for (const auto& [at, len] : pieces)
    {
        bool ok = decoder.Feed(Create<Packet>(data + at, len), d.frames);
        FUZZ_CHECK(ok == !decoder.Failed());
    }
    d.failed = decoder.Failed();
    d.error = decoder.GetError();
    d.buffered = decoder.GetBuffered();
    return d;
}

std::vector<uint8_t>
Bytes(Ptr<const Packet> p)
{
    std::vector<uint8_t> out(p->GetSize());
    p->CopyData(out.data(), out.size());
    return out;
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bullet_fuzz::Init();
    BlockFrameHeader h;
    BlockFrameHeader h2;
    h.SetMaxBodySize(kMaxBody);
    h2.SetMaxBodySize(kMaxBody);
    if (bullet_fuzz::CheckHeader(data, size, h, h2))
    {
        FUZZ_CHECK(h.GetBodyLength() <= kMaxBody);
        FUZZ_CHECK(h.GetSerializedSize() == BlockFrameHeader::GetSizeForFlags(data[1]));
        FUZZ_CHECK(h2.GetType() == h.GetType() && h2.IsBlock() == h.IsBlock()
                   && h2.GetInFront() == h.GetInFront() && h2.GetWasted() == h.GetWasted());
    }
    bullet_fuzz::CheckHeader<BlockHelloHeader>(data, size);

    Decoded whole = Decode(data, size, {{0, size}});
    Decoded split = Decode(data, size, bullet_fuzz::Splits(size, size & 0xFF));
    FUZZ_CHECK(whole.failed == split.failed);
    FUZZ_CHECK(whole.error == split.error);
    FUZZ_CHECK(whole.frames.size() == split.frames.size());
    // A failed decoder ignores what comes after, so only a healthy one's backlog compares.
    FUZZ_CHECK(whole.failed || whole.buffered == split.buffered);
    size_t consumed = 0;
    for (size_t i = 0; i < whole.frames.size(); ++i)
    {
        const auto& a = whole.frames[i];
        const auto& b = split.frames[i];
        FUZZ_CHECK(a.body->GetSize() == a.header.GetBodyLength());
        FUZZ_CHECK(a.header.GetBodyLength() <= kMaxBody);
        FUZZ_CHECK(Bytes(a.body) == Bytes(b.body));
        FUZZ_CHECK(bullet_fuzz::HeaderBytes(a.header) == bullet_fuzz::HeaderBytes(b.header));
        // Encoding a frame again gives back exactly the bytes it came from.
        std::vector<uint8_t> encoded = Bytes(FrameDecoder::Encode(a.header, a.body));
        FUZZ_CHECK(consumed + encoded.size() <= size);
        FUZZ_CHECK(std::equal(encoded.begin(), encoded.end(), data + consumed));
        consumed += encoded.size();
    }
    FUZZ_CHECK(whole.failed || consumed + whole.buffered == size);
    return 0;
}
