/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/packet.h"
#include "ns3/tfrc-header.h"

#include <gtest/gtest.h>

#include <vector>

using namespace ns3;

namespace
{

template<class H>
std::vector<uint8_t>
Bytes(const H& h)
{
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    std::vector<uint8_t> b(p->GetSize());
    p->CopyData(b.data(), b.size());
    return b;
}

TfrcDataHeader
SampleData()
{
    TfrcDataHeader h;
    h.SetSequence(0xfedcba98);
    h.SetTimestamp(NanoSeconds(123456789012345ULL));
    h.SetRtt(MicroSeconds(87654));
    return h;
}

TfrcFeedbackHeader
SampleFeedback()
{
    TfrcFeedbackHeader h;
    h.SetTimestampEcho(NanoSeconds(987654321098ULL));
    h.SetDelay(MicroSeconds(4321));
    h.SetReceiveRate(1234567);
    h.SetLossEventRate(0.0123456789);
    return h;
}

} // namespace

TEST(TfrcHeader, DataRoundTrip)
{
    TfrcDataHeader h = SampleData();
    Ptr<Packet> p = Create<Packet>(100);
    p->AddHeader(h);
    EXPECT_EQ(p->GetSize(), 100u + TfrcDataHeader::kSize);
    EXPECT_EQ(TfrcPeekType(p), TFRC_DATA);
    TfrcDataHeader back;
    EXPECT_EQ(p->RemoveHeader(back), TfrcDataHeader::kSize);
    EXPECT_TRUE(back.IsValid());
    EXPECT_EQ(back.GetSequence(), 0xfedcba98u);
    EXPECT_EQ(back.GetTimestamp(), NanoSeconds(123456789012345ULL));
    EXPECT_EQ(back.GetRtt(), MicroSeconds(87654));
    EXPECT_EQ(p->GetSize(), 100u);
}

TEST(TfrcHeader, FeedbackRoundTrip)
{
    TfrcFeedbackHeader h = SampleFeedback();
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    EXPECT_EQ(p->GetSize(), TfrcFeedbackHeader::kSize);
    EXPECT_EQ(TfrcPeekType(p), TFRC_FEEDBACK);
    TfrcFeedbackHeader back;
    EXPECT_EQ(p->RemoveHeader(back), TfrcFeedbackHeader::kSize);
    EXPECT_TRUE(back.IsValid());
    EXPECT_EQ(back.GetTimestampEcho(), NanoSeconds(987654321098ULL));
    EXPECT_EQ(back.GetDelay(), MicroSeconds(4321));
    EXPECT_EQ(back.GetReceiveRate(), 1234567);
    EXPECT_NEAR(back.GetLossEventRate(), 0.0123456789, 1e-9);
}

TEST(TfrcHeader, TinyLossRateDoesNotRoundToZero)
{
    TfrcFeedbackHeader h;
    h.SetLossEventRate(1e-12);
    EXPECT_GT(h.GetLossEventRate(), 0);
    h.SetLossEventRate(0);
    EXPECT_EQ(h.GetLossEventRate(), 0);
    h.SetLossEventRate(3); // clamped, never above 1 on the wire
    EXPECT_EQ(h.GetLossEventRate(), 1);
}

template<class H>
void
ExpectEveryTruncationRejected(const H& h)
{
    std::vector<uint8_t> bytes = Bytes(h);
    ASSERT_EQ(bytes.size(), h.GetSerializedSize());
    for (size_t cut = 0; cut < bytes.size(); ++cut)
    {
        Ptr<Packet> p = Create<Packet>(bytes.data(), cut);
        H back;
        EXPECT_EQ(p->RemoveHeader(back), 0u) << "cut at " << cut;
        EXPECT_FALSE(back.IsValid()) << "cut at " << cut;
        EXPECT_NE(back.GetError().find("truncated"), std::string::npos) << back.GetError();
        EXPECT_EQ(p->GetSize(), cut) << "nothing consumed";
    }
}

TEST(TfrcHeader, EveryTruncationOfDataRejected)
{
    ExpectEveryTruncationRejected(SampleData());
}

TEST(TfrcHeader, EveryTruncationOfFeedbackRejected)
{
    ExpectEveryTruncationRejected(SampleFeedback());
}

TEST(TfrcHeader, WrongTypeRejected)
{
    std::vector<uint8_t> fb = Bytes(SampleFeedback());
    Ptr<Packet> p = Create<Packet>(fb.data(), fb.size());
    TfrcDataHeader asData;
    EXPECT_EQ(p->RemoveHeader(asData), 0u);
    EXPECT_FALSE(asData.IsValid());

    std::vector<uint8_t> data = Bytes(SampleData());
    data.resize(TfrcFeedbackHeader::kSize, 0);
    Ptr<Packet> q = Create<Packet>(data.data(), data.size());
    TfrcFeedbackHeader asFeedback;
    EXPECT_EQ(q->RemoveHeader(asFeedback), 0u);
    EXPECT_FALSE(asFeedback.IsValid());
}

TEST(TfrcHeader, GarbledLossRateRejected)
{
    std::vector<uint8_t> b = Bytes(SampleFeedback());
    // p is the last u32: make it 0xffffffff (> 1e9, i.e. p > 1).
    for (size_t i = b.size() - 4; i < b.size(); ++i)
    {
        b[i] = 0xff;
    }
    Ptr<Packet> p = Create<Packet>(b.data(), b.size());
    TfrcFeedbackHeader back;
    EXPECT_EQ(p->RemoveHeader(back), 0u);
    EXPECT_FALSE(back.IsValid());
    EXPECT_NE(back.GetError().find("above 1"), std::string::npos) << back.GetError();
}

TEST(TfrcHeader, PeekTypeOfEmptyPacket)
{
    EXPECT_EQ(TfrcPeekType(Create<Packet>()), 0);
}
