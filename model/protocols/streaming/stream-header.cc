/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "stream-header.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(StreamHeader);

TypeId
StreamHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::StreamHeader")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<StreamHeader>();
    return tid;
}

TypeId
StreamHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
StreamHeader::GetSerializedSize() const
{
    return 12;
}

void
StreamHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteHtonU32(seq);
    start.WriteHtonU64(created.GetNanoSeconds());
}

void
StreamHeader::Print(std::ostream& os) const
{
    os << "seq=" << seq << " created=" << created.As(Time::S);
}

void
StreamHeader::DoDeserialize(WireReader& reader)
{
    seq = reader.ReadNtohU32();
    created = NanoSeconds(int64_t(reader.ReadNtohU64()));
}

} // namespace ns3
