/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "checked-header.h"

namespace ns3
{

WireReader::WireReader(Buffer::Iterator start)
    : m_it(start)
    , m_remaining(start.GetRemainingSize())
{
}

bool
WireReader::Require(uint32_t size, const char* what)
{
    if (!m_error.empty())
    {
        return false;
    }
    if (size > m_remaining)
    {
        m_error = std::string("truncated: ") + what + " needs " + std::to_string(size) + " bytes, "
                  + std::to_string(m_remaining) + " left";
        return false;
    }
    return true;
}

uint8_t
WireReader::ReadU8()
{
    if (!Require(1, "u8"))
    {
        return 0;
    }
    m_consumed += 1;
    m_remaining -= 1;
    return m_it.ReadU8();
}

uint16_t
WireReader::ReadNtohU16()
{
    if (!Require(2, "u16"))
    {
        return 0;
    }
    m_consumed += 2;
    m_remaining -= 2;
    return m_it.ReadNtohU16();
}

uint32_t
WireReader::ReadNtohU32()
{
    if (!Require(4, "u32"))
    {
        return 0;
    }
    m_consumed += 4;
    m_remaining -= 4;
    return m_it.ReadNtohU32();
}

uint64_t
WireReader::ReadNtohU64()
{
    if (!Require(8, "u64"))
    {
        return 0;
    }
    m_consumed += 8;
    m_remaining -= 8;
    return m_it.ReadNtohU64();
}

void
WireReader::Read(uint8_t* out, uint32_t size)
{
    if (!Require(size, "byte string"))
    {
        std::fill(out, out + size, 0);
        return;
    }
    m_consumed += size;
    m_remaining -= size;
    m_it.Read(out, size);
}

void
WireReader::Fail(const std::string& why)
{
    if (m_error.empty())
    {
        m_error = why;
    }
}

bool
WireReader::Ok() const
{
    return m_error.empty();
}

const std::string&
WireReader::GetError() const
{
    return m_error;
}

uint32_t
WireReader::GetConsumed() const
{
    return m_consumed;
}

uint32_t
WireReader::GetRemaining() const
{
    return m_remaining;
}

NS_OBJECT_ENSURE_REGISTERED(CheckedHeader);

TypeId
CheckedHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::CheckedHeader").SetParent<Header>().SetGroupName("Bullet");
    return tid;
}

uint32_t
CheckedHeader::Deserialize(Buffer::Iterator start)
{
    WireReader reader(start);
    DoDeserialize(reader);
    m_valid = reader.Ok();
    m_error = reader.GetError();
    return m_valid ? reader.GetConsumed() : 0;
}

bool
CheckedHeader::IsValid() const
{
    return m_valid;
}

const std::string&
CheckedHeader::GetError() const
{
    return m_error;
}

} // namespace ns3
