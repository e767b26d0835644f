/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/checked-header.h"
#include "ns3/packet.h"

#include <gtest/gtest.h>

#include <vector>

using namespace ns3;

namespace
{

/// A count-prefixed list of 32-bit values: the shape of most Bullet messages.
class ListHeader : public CheckedHeader
{
  public:
    std::vector<uint32_t> values;

    TypeId
    GetInstanceTypeId() const override
    {
        return CheckedHeader::GetTypeId();
    }

    uint32_t
    GetSerializedSize() const override
    {
        return 2 + 4 * values.size();
    }

    void
    Serialize(Buffer::Iterator it) const override
    {
        it.WriteHtonU16(values.size());
        for (uint32_t v : values)
        {
            it.WriteHtonU32(v);
        }
    }

    void
    Print(std::ostream& os) const override
    {
        os << "n=" << values.size();
    }

  protected:
    void
    DoDeserialize(WireReader& r) override
    {
        uint16_t n = r.ReadNtohU16();
        if (!r.Require(4u * n, "list entries"))
        {
            return;
        }
        values.assign(n, 0);
        for (auto& v : values)
        {
            v = r.ReadNtohU32();
        }
    }
};

} // namespace

TEST(CheckedHeader, RoundTrip)
{
    ListHeader h;
    h.values = {1, 2, 0xdeadbeef};
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    ListHeader back;
    EXPECT_EQ(p->RemoveHeader(back), h.GetSerializedSize());
    EXPECT_TRUE(back.IsValid());
    EXPECT_EQ(back.values, h.values);
}

TEST(CheckedHeader, TruncatedBufferIsRejectedWithoutReadingPastEnd)
{
    ListHeader h;
    h.values = {1, 2, 3};
    std::vector<uint8_t> bytes(h.GetSerializedSize());
    Buffer buf;
    buf.AddAtStart(bytes.size());
    h.Serialize(buf.Begin());
    buf.CopyData(bytes.data(), bytes.size());
    for (size_t cut = 0; cut < bytes.size(); ++cut)
    {
        Ptr<Packet> p = Create<Packet>(bytes.data(), cut);
        ListHeader back;
        EXPECT_EQ(p->RemoveHeader(back), 0u) << "cut at " << cut;
        EXPECT_FALSE(back.IsValid());
        EXPECT_NE(back.GetError().find("truncated"), std::string::npos) << back.GetError();
        EXPECT_EQ(p->GetSize(), cut) << "nothing consumed from a rejected packet";
    }
}
