/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "bullet-prime-headers.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(BulletPrimeRequestHeader);
NS_OBJECT_ENSURE_REGISTERED(BulletPrimeDiffHeader);
NS_OBJECT_ENSURE_REGISTERED(BulletPrimeCloseHeader);
NS_OBJECT_ENSURE_REGISTERED(BulletPrimeBlockHeader);

TypeId
BulletPrimeRequestHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::BulletPrimeRequestHeader")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<BulletPrimeRequestHeader>();
    return tid;
}

TypeId
BulletPrimeRequestHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
BulletPrimeRequestHeader::GetSerializedSize() const
{
    return 7 + 4 * blocks.size();
}

void
BulletPrimeRequestHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteU8((marked ? 1 : 0) | (wantDiff ? 2 : 0));
    start.WriteHtonU32(incomingKbps);
    start.WriteHtonU16(blocks.size());
    for (uint32_t b : blocks)
    {
        start.WriteHtonU32(b);
    }
}

void
BulletPrimeRequestHeader::Print(std::ostream& os) const
{
    os << "request " << blocks.size() << " blocks" << (marked ? " marked" : "")
       << (wantDiff ? " diff" : "") << " in=" << incomingKbps << "kbps";
}

void
BulletPrimeRequestHeader::DoDeserialize(WireReader& reader)
{
    uint8_t flags = reader.ReadU8();
    incomingKbps = reader.ReadNtohU32();
    uint16_t count = reader.ReadNtohU16();
    if (!reader.Ok())
    {
        return;
    }
    if (flags & ~3u)
    {
        reader.Fail("Bullet' request: unknown flags");
        return;
    }
    if (count > kMaxBlocks)
    {
        reader.Fail("Bullet' request: too many blocks");
        return;
    }
    if (!reader.Require(4u * count, "Bullet' request blocks"))
    {
        return;
    }
    marked = flags & 1;
    wantDiff = flags & 2;
    blocks.assign(count, 0);
    for (auto& b : blocks)
    {
        b = reader.ReadNtohU32();
    }
}

TypeId
BulletPrimeDiffHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::BulletPrimeDiffHeader")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<BulletPrimeDiffHeader>();
    return tid;
}

TypeId
BulletPrimeDiffHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
BulletPrimeDiffHeader::GetSerializedSize() const
{
    return diff.GetSerializedSize();
}

void
BulletPrimeDiffHeader::Serialize(Buffer::Iterator start) const
{
    diff.Serialize(start);
}

void
BulletPrimeDiffHeader::Print(std::ostream& os) const
{
    os << "diff of " << diff.Count() << " blocks from " << diff.GetFirstBlock();
}

void
BulletPrimeDiffHeader::DoDeserialize(WireReader& reader)
{
    if (!diff.Deserialize(reader) && reader.Ok())
    {
        reader.Fail("Bullet' diff: malformed bitmap");
    }
}

TypeId
BulletPrimeCloseHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::BulletPrimeCloseHeader")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<BulletPrimeCloseHeader>();
    return tid;
}

TypeId
BulletPrimeCloseHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
BulletPrimeCloseHeader::GetSerializedSize() const
{
    return 1;
}

void
BulletPrimeCloseHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteU8(stopSending ? 1 : 0);
}

void
BulletPrimeCloseHeader::Print(std::ostream& os) const
{
    os << (stopSending ? "stop sending" : "stop receiving");
}

void
BulletPrimeCloseHeader::DoDeserialize(WireReader& reader)
{
    uint8_t role = reader.ReadU8();
    if (reader.Ok() && role > 1)
    {
        reader.Fail("Bullet' close: unknown role");
    }
    stopSending = role == 1;
}

TypeId
BulletPrimeBlockHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::BulletPrimeBlockHeader")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<BulletPrimeBlockHeader>();
    return tid;
}

TypeId
BulletPrimeBlockHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
BulletPrimeBlockHeader::GetSerializedSize() const
{
    return 5;
}

void
BulletPrimeBlockHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteHtonU32(block);
    start.WriteU8((marked ? 1 : 0) | (pushed ? 2 : 0));
}

void
BulletPrimeBlockHeader::Print(std::ostream& os) const
{
    os << "block " << block << (marked ? " marked" : "") << (pushed ? " pushed" : "");
}

void
BulletPrimeBlockHeader::DoDeserialize(WireReader& reader)
{
    block = reader.ReadNtohU32();
    uint8_t flags = reader.ReadU8();
    if (reader.Ok() && (flags & ~3u))
    {
        reader.Fail("Bullet' block: unknown flags");
    }
    marked = flags & 1;
    pushed = flags & 2;
}

} // namespace ns3
