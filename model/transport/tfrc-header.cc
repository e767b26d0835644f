/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tfrc-header.h"

#include "ns3/log.h"
#include "ns3/packet.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TfrcHeader");

uint8_t
TfrcPeekType(Ptr<const Packet> packet)
{
    uint8_t type = 0;
    if (packet->GetSize() >= 1)
    {
        packet->CopyData(&type, 1);
    }
    return type;
}

namespace
{
uint32_t
SaturateU32(double v)
{
    if (!(v > 0))
    {
        return 0;
    }
    return v >= 4294967295.0 ? 4294967295u : static_cast<uint32_t>(std::llround(v));
}
} // namespace

// ------------------------------------------------------------------------- data header

NS_OBJECT_ENSURE_REGISTERED(TfrcDataHeader);

TypeId
TfrcDataHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::TfrcDataHeader")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<TfrcDataHeader>();
    return tid;
}

TypeId
TfrcDataHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
TfrcDataHeader::GetSerializedSize() const
{
    return kSize;
}

void
TfrcDataHeader::Serialize(Buffer::Iterator it) const
{
    it.WriteU8(TFRC_DATA);
    it.WriteHtonU32(m_seq);
    it.WriteHtonU64(m_timestampNs);
    it.WriteHtonU32(m_rttUs);
}

void
TfrcDataHeader::DoDeserialize(WireReader& r)
{
    uint8_t type = r.ReadU8();
    if (r.Ok() && type != TFRC_DATA)
    {
        r.Fail("not a TFRC data header (type " + std::to_string(type) + ")");
        return;
    }
    m_seq = r.ReadNtohU32();
    m_timestampNs = r.ReadNtohU64();
    m_rttUs = r.ReadNtohU32();
}

void
TfrcDataHeader::Print(std::ostream& os) const
{
    os << "TFRC data seq=" << m_seq << " ts=" << m_timestampNs << "ns rtt=" << m_rttUs << "us";
}

void
TfrcDataHeader::SetSequence(uint32_t seq)
{
    m_seq = seq;
}

uint32_t
TfrcDataHeader::GetSequence() const
{
    return m_seq;
}

void
TfrcDataHeader::SetTimestamp(Time t)
{
    m_timestampNs = static_cast<uint64_t>(std::max<int64_t>(t.GetNanoSeconds(), 0));
}

Time
TfrcDataHeader::GetTimestamp() const
{
    return NanoSeconds(m_timestampNs);
}

void
TfrcDataHeader::SetRtt(Time rtt)
{
    m_rttUs = SaturateU32(static_cast<double>(rtt.GetMicroSeconds()));
}

Time
TfrcDataHeader::GetRtt() const
{
    return MicroSeconds(m_rttUs);
}

// --------------------------------------------------------------------- feedback header

NS_OBJECT_ENSURE_REGISTERED(TfrcFeedbackHeader);

TypeId
TfrcFeedbackHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::TfrcFeedbackHeader")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<TfrcFeedbackHeader>();
    return tid;
}

TypeId
TfrcFeedbackHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
TfrcFeedbackHeader::GetSerializedSize() const
{
    return kSize;
}

void
TfrcFeedbackHeader::Serialize(Buffer::Iterator it) const
{
    it.WriteU8(TFRC_FEEDBACK);
    it.WriteHtonU64(m_echoNs);
    it.WriteHtonU32(m_delayUs);
    it.WriteHtonU32(m_xRecv);
    it.WriteHtonU32(m_pNano);
}

void
TfrcFeedbackHeader::DoDeserialize(WireReader& r)
{
    uint8_t type = r.ReadU8();
    if (r.Ok() && type != TFRC_FEEDBACK)
    {
        r.Fail("not a TFRC feedback header (type " + std::to_string(type) + ")");
        return;
    }
    m_echoNs = r.ReadNtohU64();
    m_delayUs = r.ReadNtohU32();
    m_xRecv = r.ReadNtohU32();
    m_pNano = r.ReadNtohU32();
    if (r.Ok() && m_pNano > 1000000000u)
    {
        r.Fail("loss event rate above 1 (" + std::to_string(m_pNano) + "e-9)");
    }
}

void
TfrcFeedbackHeader::Print(std::ostream& os) const
{
    os << "TFRC feedback echo=" << m_echoNs << "ns delay=" << m_delayUs << "us X_recv=" << m_xRecv
       << "B/s p=" << GetLossEventRate();
}

void
TfrcFeedbackHeader::SetTimestampEcho(Time t)
{
    m_echoNs = static_cast<uint64_t>(std::max<int64_t>(t.GetNanoSeconds(), 0));
}

Time
TfrcFeedbackHeader::GetTimestampEcho() const
{
    return NanoSeconds(m_echoNs);
}

void
TfrcFeedbackHeader::SetDelay(Time d)
{
    m_delayUs = SaturateU32(static_cast<double>(d.GetMicroSeconds()));
}

Time
TfrcFeedbackHeader::GetDelay() const
{
    return MicroSeconds(m_delayUs);
}

void
TfrcFeedbackHeader::SetReceiveRate(double bytesPerSecond)
{
    m_xRecv = SaturateU32(bytesPerSecond);
}

double
TfrcFeedbackHeader::GetReceiveRate() const
{
    return m_xRecv;
}

void
TfrcFeedbackHeader::SetLossEventRate(double p)
{
    if (!(p > 0))
    {
        m_pNano = 0;
        return;
    }
    m_pNano = std::clamp<uint32_t>(SaturateU32(p * 1e9), 1u, 1000000000u);
}

double
TfrcFeedbackHeader::GetLossEventRate() const
{
    return m_pNano * 1e-9;
}

} // namespace ns3
