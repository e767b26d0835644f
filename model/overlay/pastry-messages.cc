/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pastry-messages.h"

#include <string>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(PastryRouteHeader);
NS_OBJECT_ENSURE_REGISTERED(PastryStateHeader);
NS_OBJECT_ENSURE_REGISTERED(PastryProbeHeader);

// ---------------------------------------------------------------- route

TypeId
PastryRouteHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::PastryRouteHeader")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<PastryRouteHeader>();
    return tid;
}

TypeId
PastryRouteHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
PastryRouteHeader::GetSerializedSize() const
{
    return PastryId::kBytes + PastryHandle::kBytes + 2 + 4 + 4;
}

void
PastryRouteHeader::Serialize(Buffer::Iterator start) const
{
    key.Serialize(start);
    origin.Serialize(start);
    start.WriteU8(appKind);
    start.WriteU8(hops);
    start.WriteHtonU32(hopSeq);
    start.WriteHtonU32(msgId);
}

void
PastryRouteHeader::Print(std::ostream& os) const
{
    os << "key=" << key << " origin=" << origin << " app=" << uint32_t(appKind)
       << " hops=" << uint32_t(hops);
}

void
PastryRouteHeader::DoDeserialize(WireReader& reader)
{
    key = PastryId::Deserialize(reader);
    origin = PastryHandle::Deserialize(reader);
    appKind = reader.ReadU8();
    hops = reader.ReadU8();
    hopSeq = reader.ReadNtohU32();
    msgId = reader.ReadNtohU32();
    if (reader.Ok() && hops > kMaxHops)
    {
        reader.Fail("Pastry route: " + std::to_string(hops) + " hops, more than "
                    + std::to_string(kMaxHops));
    }
}

// ---------------------------------------------------------------- state

TypeId
PastryStateHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::PastryStateHeader")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<PastryStateHeader>();
    return tid;
}

TypeId
PastryStateHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
PastryStateHeader::GetSerializedSize() const
{
    return PastryHandle::kBytes + 2 + 2 + PastryHandle::kBytes * uint32_t(handles.size());
}

void
PastryStateHeader::Serialize(Buffer::Iterator start) const
{
    sender.Serialize(start);
    start.WriteU8(flags);
    start.WriteU8(row);
    start.WriteHtonU16(uint16_t(handles.size()));
    for (const auto& h : handles)
    {
        h.Serialize(start);
    }
}

void
PastryStateHeader::Print(std::ostream& os) const
{
    os << "sender=" << sender << " flags=" << uint32_t(flags) << " row=" << uint32_t(row)
       << " handles=" << handles.size();
}

void
PastryStateHeader::DoDeserialize(WireReader& reader)
{
    sender = PastryHandle::Deserialize(reader);
    flags = reader.ReadU8();
    row = reader.ReadU8();
    const uint16_t count = reader.ReadNtohU16();
    handles.clear();
    if (!reader.Ok())
    {
        return;
    }
    if (row >= PastryId::kDigits)
    {
        reader.Fail("Pastry state: row " + std::to_string(row) + " of 32");
        return;
    }
    if (count > kMaxHandles)
    {
        reader.Fail("Pastry state: " + std::to_string(count) + " handles, more than "
                    + std::to_string(kMaxHandles));
        return;
    }
    if (!reader.Require(uint32_t(count) * PastryHandle::kBytes, "Pastry state handles"))
    {
        return;
    }
    handles.reserve(count);
    for (uint16_t i = 0; i < count; ++i)
    {
        handles.push_back(PastryHandle::Deserialize(reader));
    }
}

// ---------------------------------------------------------------- probe

TypeId
PastryProbeHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::PastryProbeHeader")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<PastryProbeHeader>();
    return tid;
}

TypeId
PastryProbeHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
PastryProbeHeader::GetSerializedSize() const
{
    return PastryHandle::kBytes + 8;
}

void
PastryProbeHeader::Serialize(Buffer::Iterator start) const
{
    sender.Serialize(start);
    start.WriteHtonU64(value);
}

void
PastryProbeHeader::Print(std::ostream& os) const
{
    os << "sender=" << sender << " value=" << value;
}

void
PastryProbeHeader::DoDeserialize(WireReader& reader)
{
    sender = PastryHandle::Deserialize(reader);
    value = reader.ReadNtohU64();
}

} // namespace ns3
