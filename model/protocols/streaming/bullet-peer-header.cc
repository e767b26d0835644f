/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "bullet-peer-header.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(BulletPeerHeader);

TypeId
BulletPeerHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::BulletPeerHeader")
                            .SetParent<StreamDigestHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<BulletPeerHeader>();
    return tid;
}

TypeId
BulletPeerHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
BulletPeerHeader::GetSerializedSize() const
{
    return StreamDigestHeader::GetSerializedSize() + 8 + (share.count == 1 ? 0 : 2);
}

void
BulletPeerHeader::Serialize(Buffer::Iterator start) const
{
    SerializeDigest(start);
    // The paper's one row: rows and row, 4 bytes. A share of several rows sets the rows'
    // top bit and adds its count.
    NS_ASSERT_MSG(share.IsValid(), "a share outside its matrix");
    const bool several = share.count != 1;
    start.WriteHtonU16(share.rows | (several ? kSeveralRows : 0));
    start.WriteHtonU16(share.first);
    if (several)
    {
        start.WriteHtonU16(share.count);
    }
    start.WriteHtonU32(receivedKbps);
}

void
BulletPeerHeader::Print(std::ostream& os) const
{
    os << "range=[" << low << "," << high << "] s=" << share.rows << " rows=" << share.first << "+"
       << share.count << " rx=" << receivedKbps << "kbps filter=" << filter.GetNumBits() << "b";
}

void
BulletPeerHeader::DoDeserialize(WireReader& reader)
{
    StreamDigestHeader::DoDeserialize(reader);
    if (!reader.Ok())
    {
        return;
    }
    const uint16_t rows = reader.ReadNtohU16();
    share.rows = rows & ~kSeveralRows;
    share.first = reader.ReadNtohU16();
    share.count = (rows & kSeveralRows) ? reader.ReadNtohU16() : 1;
    receivedKbps = reader.ReadNtohU32();
    if (reader.Ok() && (rows & kSeveralRows) && (share.count == 1 || share.rows == 0))
    {
        reader.Fail("Bullet peer message: no rows or one row in the several-rows form");
    }
    else if (reader.Ok() && !share.IsValid())
    {
        reader.Fail("Bullet peer message: rows outside the matrix");
    }
}

} // namespace ns3
