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
    return StreamDigestHeader::GetSerializedSize() + 8;
}

void
BulletPeerHeader::Serialize(Buffer::Iterator start) const
{
    SerializeDigest(start);
    start.WriteHtonU16(senders);
    start.WriteHtonU16(row);
    start.WriteHtonU32(receivedKbps);
}

void
BulletPeerHeader::Print(std::ostream& os) const
{
    os << "range=[" << low << "," << high << "] s=" << senders << " row=" << row
       << " rx=" << receivedKbps << "kbps filter=" << filter.GetNumBits() << "b";
}

void
BulletPeerHeader::DoDeserialize(WireReader& reader)
{
    StreamDigestHeader::DoDeserialize(reader);
    if (!reader.Ok())
    {
        return;
    }
    senders = reader.ReadNtohU16();
    row = reader.ReadNtohU16();
    receivedKbps = reader.ReadNtohU32();
    if (reader.Ok() && senders > 0 && row >= senders)
    {
        reader.Fail("Bullet peer message: row outside the matrix");
    }
}

} // namespace ns3
