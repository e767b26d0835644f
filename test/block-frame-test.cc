/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/block-frame.h"
#include "ns3/packet.h"

#include <gtest/gtest.h>

#include <vector>

using namespace ns3;

namespace
{

/// Bytes of a packet.
std::vector<uint8_t>
Bytes(Ptr<const Packet> p)
{
    std::vector<uint8_t> out(p->GetSize());
    p->CopyData(out.data(), out.size());
    return out;
}

/// A message as the test sends it.
struct Msg
{
    uint16_t type;
    std::vector<uint8_t> body;
    bool block;
    uint32_t inFront;
    Time wasted;
};

/// Three messages of different shapes: control, block with feedback, empty.
std::vector<Msg>
SampleMessages(uint32_t blockSize)
{
    std::vector<Msg> msgs;
    msgs.push_back({1, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0xB7, 0xFF}, false, 0, Time()});
    std::vector<uint8_t> block(blockSize);
    for (uint32_t i = 0; i < blockSize; ++i)
    {
        block[i] = static_cast<uint8_t>(i * 7 + 3);
    }
    msgs.push_back({2, block, true, 5, MilliSeconds(-3)});
    msgs.push_back({3, {}, false, 0, Time()});
    msgs.push_back({2, {0xB7, 0x01}, true, 0, MicroSeconds(1234)});
    return msgs;
}

std::vector<uint8_t>
Encode(const std::vector<Msg>& msgs)
{
    std::vector<uint8_t> stream;
    for (const auto& m : msgs)
    {
        BlockFrameHeader h;
        h.SetType(m.type);
        if (m.block)
        {
            h.SetBlockFeedback(m.inFront, m.wasted);
        }
        Ptr<Packet> body = Create<Packet>(m.body.data(), m.body.size());
        auto frame = Bytes(FrameDecoder::Encode(h, body));
        stream.insert(stream.end(), frame.begin(), frame.end());
    }
    return stream;
}

void
ExpectFrames(const std::vector<FrameDecoder::Frame>& frames, const std::vector<Msg>& msgs,
             const std::string& where)
{
    ASSERT_EQ(frames.size(), msgs.size()) << where;
    for (size_t i = 0; i < msgs.size(); ++i)
    {
        EXPECT_EQ(frames[i].header.GetType(), msgs[i].type) << where << " msg " << i;
        EXPECT_EQ(frames[i].header.IsBlock(), msgs[i].block) << where << " msg " << i;
        EXPECT_EQ(frames[i].header.GetInFront(), msgs[i].inFront) << where << " msg " << i;
        EXPECT_EQ(frames[i].header.GetWasted(), msgs[i].wasted) << where << " msg " << i;
        EXPECT_EQ(Bytes(frames[i].body), msgs[i].body) << where << " msg " << i;
    }
}

Ptr<Packet>
Slice(const std::vector<uint8_t>& s, size_t from, size_t to)
{
    return Create<Packet>(s.data() + from, to - from);
}

} // namespace

TEST(BlockFrame, SplitAtEveryByteBoundaryReassemblesExactly)
{
    auto msgs = SampleMessages(3000);
    auto stream = Encode(msgs);
    for (size_t cut = 0; cut <= stream.size(); ++cut)
    {
        FrameDecoder d;
        d.SetMaxBodySize(4096);
        std::vector<FrameDecoder::Frame> frames;
        ASSERT_TRUE(d.Feed(Slice(stream, 0, cut), frames));
        ASSERT_TRUE(d.Feed(Slice(stream, cut, stream.size()), frames));
        ExpectFrames(frames, msgs, "cut " + std::to_string(cut));
        EXPECT_EQ(d.GetBuffered(), 0u);
    }
}

TEST(BlockFrame, SplitAtEveryPairOfBoundariesReassemblesExactly)
{
    auto msgs = SampleMessages(40);
    auto stream = Encode(msgs);
    for (size_t a = 0; a <= stream.size(); ++a)
    {
        for (size_t b = a; b <= stream.size(); ++b)
        {
            FrameDecoder d;
            std::vector<FrameDecoder::Frame> frames;
            ASSERT_TRUE(d.Feed(Slice(stream, 0, a), frames));
            ASSERT_TRUE(d.Feed(Slice(stream, a, b), frames));
            ASSERT_TRUE(d.Feed(Slice(stream, b, stream.size()), frames));
            ExpectFrames(frames, msgs, "cuts " + std::to_string(a) + "," + std::to_string(b));
        }
    }
}

TEST(BlockFrame, ByteAtATimeDeliversEachFrameWhenItsLastByteArrives)
{
    auto msgs = SampleMessages(100);
    auto stream = Encode(msgs);
    FrameDecoder d;
    std::vector<FrameDecoder::Frame> frames;
    size_t frameEnd = 0;
    size_t done = 0;
    for (size_t i = 0; i < stream.size(); ++i)
    {
        ASSERT_TRUE(d.Feed(Slice(stream, i, i + 1), frames));
        if (frames.size() > done)
        {
            // A frame completes exactly at its last byte, never earlier or later.
            const auto& f = frames[done];
            frameEnd += f.header.GetSerializedSize() + f.header.GetBodyLength();
            EXPECT_EQ(i + 1, frameEnd) << "frame " << done;
            ++done;
        }
    }
    ExpectFrames(frames, msgs, "byte at a time");
}

TEST(BlockFrame, IncompleteFrameIsHeldNotDelivered)
{
    auto msgs = SampleMessages(500);
    auto stream = Encode(msgs);
    FrameDecoder d;
    std::vector<FrameDecoder::Frame> frames;
    // First message complete (20 bytes), second cut in its body.
    size_t cut = 8 + 12 + 20 + 100;
    ASSERT_TRUE(d.Feed(Slice(stream, 0, cut), frames));
    EXPECT_EQ(frames.size(), 1u);
    EXPECT_FALSE(d.Failed());
    EXPECT_EQ(d.GetBuffered(), cut - 20);
}

TEST(BlockFrame, BadMagicFailsAndStaysFailed)
{
    auto msgs = SampleMessages(10);
    auto stream = Encode(msgs);
    size_t second = 8 + 12; // start of the second frame
    stream[second] = 0x42;
    FrameDecoder d;
    std::vector<FrameDecoder::Frame> frames;
    EXPECT_FALSE(d.Feed(Slice(stream, 0, stream.size()), frames));
    EXPECT_EQ(frames.size(), 1u) << "the frame before the bad one is still delivered";
    EXPECT_TRUE(d.Failed());
    EXPECT_NE(d.GetError().find("magic"), std::string::npos) << d.GetError();
    // A byte stream cannot resynchronise: everything after is refused.
    auto good = Encode(SampleMessages(10));
    std::vector<FrameDecoder::Frame> more;
    EXPECT_FALSE(d.Feed(Slice(good, 0, good.size()), more));
    EXPECT_TRUE(more.empty());
}

TEST(BlockFrame, UnknownTypeAndFlagsAreMalformed)
{
    auto stream = Encode(SampleMessages(10));
    {
        FrameDecoder d;
        d.SetTypeFilter([](uint16_t t) {
            return t != 3;
        });
        std::vector<FrameDecoder::Frame> frames;
        EXPECT_FALSE(d.Feed(Slice(stream, 0, stream.size()), frames));
        EXPECT_EQ(frames.size(), 2u);
        EXPECT_NE(d.GetError().find("unknown message type 3"), std::string::npos) << d.GetError();
    }
    {
        auto bad = stream;
        bad[1] = 0x80; // undefined flag bit in the first frame
        FrameDecoder d;
        std::vector<FrameDecoder::Frame> frames;
        EXPECT_FALSE(d.Feed(Slice(bad, 0, bad.size()), frames));
        EXPECT_TRUE(frames.empty());
        EXPECT_NE(d.GetError().find("flags"), std::string::npos) << d.GetError();
    }
}

TEST(BlockFrame, HugeLengthIsRejectedWithoutWaitingForTheBody)
{
    BlockFrameHeader h;
    h.SetType(1);
    h.SetBodyLength(0xFFFFFFFF);
    Buffer buf;
    buf.AddAtStart(h.GetSerializedSize());
    h.Serialize(buf.Begin());
    std::vector<uint8_t> bytes(buf.GetSize());
    buf.CopyData(bytes.data(), bytes.size());

    FrameDecoder d;
    d.SetMaxBodySize(1 << 20);
    std::vector<FrameDecoder::Frame> frames;
    // Seven bytes: not yet decidable, so held.
    EXPECT_TRUE(d.Feed(Slice(bytes, 0, 7), frames));
    // The eighth completes the length field: rejected at once, not after 4 GB.
    EXPECT_FALSE(d.Feed(Slice(bytes, 7, 8), frames));
    EXPECT_TRUE(frames.empty());
    EXPECT_NE(d.GetError().find("exceeds maximum"), std::string::npos) << d.GetError();
}

TEST(BlockFrame, LengthAtTheMaximumIsAcceptedOneMoreIsNot)
{
    for (uint32_t len : {64u, 65u})
    {
        std::vector<uint8_t> body(len, 0xAB);
        BlockFrameHeader h;
        h.SetType(1);
        auto frame = Bytes(FrameDecoder::Encode(h, Create<Packet>(body.data(), body.size())));
        FrameDecoder d;
        d.SetMaxBodySize(64);
        std::vector<FrameDecoder::Frame> frames;
        bool ok = d.Feed(Slice(frame, 0, frame.size()), frames);
        EXPECT_EQ(ok, len <= 64) << len;
        EXPECT_EQ(frames.size(), len <= 64 ? 1u : 0u) << len;
    }
}

TEST(BlockFrame, BlockHeaderTruncatedInItsFeedbackIsRejectedByTheHeader)
{
    BlockFrameHeader h;
    h.SetType(9);
    h.SetBodyLength(0);
    h.SetBlockFeedback(3, MilliSeconds(2));
    Buffer buf;
    buf.AddAtStart(h.GetSerializedSize());
    h.Serialize(buf.Begin());
    std::vector<uint8_t> bytes(buf.GetSize());
    buf.CopyData(bytes.data(), bytes.size());
    ASSERT_EQ(bytes.size(), 20u);
    for (size_t cut = 0; cut < bytes.size(); ++cut)
    {
        Ptr<Packet> p = Create<Packet>(bytes.data(), cut);
        BlockFrameHeader back;
        EXPECT_EQ(p->PeekHeader(back), 0u) << cut;
        EXPECT_FALSE(back.IsValid());
        EXPECT_EQ(back.GetError().rfind("truncated", 0), 0u) << back.GetError();
    }
    Ptr<Packet> p = Create<Packet>(bytes.data(), bytes.size());
    BlockFrameHeader back;
    EXPECT_EQ(p->RemoveHeader(back), 20u);
    EXPECT_TRUE(back.IsBlock());
    EXPECT_EQ(back.GetInFront(), 3u);
    EXPECT_EQ(back.GetWasted(), MilliSeconds(2));
}
