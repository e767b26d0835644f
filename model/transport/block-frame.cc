/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "block-frame.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("BlockFrame");

// ------------------------------------------------------------------ BlockFrameHeader

NS_OBJECT_ENSURE_REGISTERED(BlockFrameHeader);

TypeId
BlockFrameHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::BlockFrameHeader")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<BlockFrameHeader>();
    return tid;
}

TypeId
BlockFrameHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
BlockFrameHeader::GetSizeForFlags(uint8_t flags)
{
    return kBaseSize + ((flags & kFlagBlock) ? kFeedbackSize : 0);
}

uint32_t
BlockFrameHeader::GetSerializedSize() const
{
    return GetSizeForFlags(m_flags);
}

void
BlockFrameHeader::Serialize(Buffer::Iterator it) const
{
    it.WriteU8(kMagic);
    it.WriteU8(m_flags);
    it.WriteHtonU16(m_type);
    it.WriteHtonU32(m_length);
    if (m_flags & kFlagBlock)
    {
        it.WriteHtonU32(m_inFront);
        it.WriteHtonU64(static_cast<uint64_t>(m_wastedNs));
    }
}

void
BlockFrameHeader::DoDeserialize(WireReader& r)
{
    uint8_t magic = r.ReadU8();
    if (r.Ok() && magic != kMagic)
    {
        r.Fail("bad magic byte " + std::to_string(magic));
        return;
    }
    m_flags = r.ReadU8();
    if (r.Ok() && (m_flags & ~kFlagBlock) != 0)
    {
        r.Fail("unknown flags " + std::to_string(m_flags));
        return;
    }
    m_type = r.ReadNtohU16();
    m_length = r.ReadNtohU32();
    if (r.Ok() && m_maxBody != 0 && m_length > m_maxBody)
    {
        r.Fail("body length " + std::to_string(m_length) + " exceeds maximum "
               + std::to_string(m_maxBody));
        return;
    }
    if (m_flags & kFlagBlock)
    {
        m_inFront = r.ReadNtohU32();
        m_wastedNs = static_cast<int64_t>(r.ReadNtohU64());
    }
}

void
BlockFrameHeader::Print(std::ostream& os) const
{
    os << "type=" << m_type << " length=" << m_length;
    if (m_flags & kFlagBlock)
    {
        os << " block in_front=" << m_inFront << " wasted=" << m_wastedNs << "ns";
    }
}

void
BlockFrameHeader::SetType(uint16_t type)
{
    m_type = type;
}

uint16_t
BlockFrameHeader::GetType() const
{
    return m_type;
}

void
BlockFrameHeader::SetBodyLength(uint32_t length)
{
    m_length = length;
}

uint32_t
BlockFrameHeader::GetBodyLength() const
{
    return m_length;
}

void
BlockFrameHeader::SetBlockFeedback(uint32_t inFront, Time wasted)
{
    m_flags |= kFlagBlock;
    m_inFront = inFront;
    m_wastedNs = wasted.GetNanoSeconds();
}

bool
BlockFrameHeader::IsBlock() const
{
    return (m_flags & kFlagBlock) != 0;
}

uint32_t
BlockFrameHeader::GetInFront() const
{
    return m_inFront;
}

Time
BlockFrameHeader::GetWasted() const
{
    return NanoSeconds(m_wastedNs);
}

void
BlockFrameHeader::SetMaxBodySize(uint32_t maxBody)
{
    m_maxBody = maxBody;
}

// ------------------------------------------------------------------ BlockHelloHeader

NS_OBJECT_ENSURE_REGISTERED(BlockHelloHeader);

TypeId
BlockHelloHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::BlockHelloHeader")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<BlockHelloHeader>();
    return tid;
}

TypeId
BlockHelloHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
BlockHelloHeader::GetSerializedSize() const
{
    return kSize;
}

void
BlockHelloHeader::Serialize(Buffer::Iterator it) const
{
    it.WriteHtonU32(address.Get());
    it.WriteHtonU16(port);
}

void
BlockHelloHeader::DoDeserialize(WireReader& r)
{
    address = Ipv4Address(r.ReadNtohU32());
    port = r.ReadNtohU16();
}

void
BlockHelloHeader::Print(std::ostream& os) const
{
    os << "hello " << address << ":" << port;
}

// ------------------------------------------------------------------ BlockFeedbackTag

NS_OBJECT_ENSURE_REGISTERED(BlockFeedbackTag);

TypeId
BlockFeedbackTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::BlockFeedbackTag")
                            .SetParent<Tag>()
                            .SetGroupName("Bullet")
                            .AddConstructor<BlockFeedbackTag>();
    return tid;
}

TypeId
BlockFeedbackTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
BlockFeedbackTag::GetSerializedSize() const
{
    return 12;
}

void
BlockFeedbackTag::Serialize(TagBuffer i) const
{
    i.WriteU32(inFront);
    i.WriteU64(static_cast<uint64_t>(wasted.GetNanoSeconds()));
}

void
BlockFeedbackTag::Deserialize(TagBuffer i)
{
    inFront = i.ReadU32();
    wasted = NanoSeconds(static_cast<int64_t>(i.ReadU64()));
}

void
BlockFeedbackTag::Print(std::ostream& os) const
{
    os << "in_front=" << inFront << " wasted=" << wasted.As(Time::MS);
}

// ------------------------------------------------------------------ FrameDecoder

void
FrameDecoder::SetMaxBodySize(uint32_t maxBody)
{
    m_maxBody = maxBody;
}

void
FrameDecoder::SetTypeFilter(std::function<bool(uint16_t)> known)
{
    m_known = std::move(known);
}

bool
FrameDecoder::Feed(Ptr<const Packet> data, std::vector<Frame>& out)
{
    if (Failed())
    {
        return false;
    }
    if (data && data->GetSize() > 0)
    {
        m_buffer->AddAtEnd(data);
    }
    while (m_buffer->GetSize() >= BlockFrameHeader::kBaseSize)
    {
        // The header checks magic, flags and length before the optional feedback fields, so
        // a bad prefix is rejected as soon as its fixed part is here rather than after waiting
        // for a body that, with a corrupt length, may never come. A "truncated" failure only
        // means the feedback fields have not all arrived yet.
        Frame frame;
        frame.header.SetMaxBodySize(m_maxBody);
        m_buffer->PeekHeader(frame.header);
        if (!frame.header.IsValid())
        {
            if (frame.header.GetError().rfind("truncated", 0) == 0)
            {
                break;
            }
            m_error = frame.header.GetError();
            NS_LOG_WARN("malformed frame: " << m_error);
            return false;
        }
        uint32_t headerSize = frame.header.GetSerializedSize();
        if (m_known && !m_known(frame.header.GetType()))
        {
            m_error = "unknown message type " + std::to_string(frame.header.GetType());
            NS_LOG_WARN("malformed frame: " << m_error);
            return false;
        }
        uint64_t total = uint64_t(headerSize) + frame.header.GetBodyLength();
        if (m_buffer->GetSize() < total)
        {
            break;
        }
        frame.body = m_buffer->CreateFragment(headerSize, frame.header.GetBodyLength());
        frame.body->RemoveAllPacketTags();
        frame.body->RemoveAllByteTags();
        m_buffer->RemoveAtStart(static_cast<uint32_t>(total));
        out.push_back(std::move(frame));
    }
    return true;
}

bool
FrameDecoder::Failed() const
{
    return !m_error.empty();
}

const std::string&
FrameDecoder::GetError() const
{
    return m_error;
}

uint32_t
FrameDecoder::GetBuffered() const
{
    return m_buffer->GetSize();
}

Ptr<Packet>
FrameDecoder::Encode(BlockFrameHeader header, Ptr<const Packet> body)
{
    Ptr<Packet> p = body ? body->Copy() : Create<Packet>();
    header.SetBodyLength(p->GetSize());
    p->AddHeader(header);
    return p;
}

} // namespace ns3
