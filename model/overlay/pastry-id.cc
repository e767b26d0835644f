/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pastry-id.h"

#include "ns3/sha1.h"

#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace ns3
{

namespace
{
PastryId
FromDigest(const Sha1Digest& d)
{
    uint64_t hi = 0;
    uint64_t lo = 0;
    for (uint32_t i = 0; i < 8; ++i)
    {
        hi = (hi << 8) | d[i];
        lo = (lo << 8) | d[8 + i];
    }
    return PastryId(hi, lo);
}
} // namespace

PastryId::PastryId(uint64_t hi, uint64_t lo)
    : m_hi(hi)
    , m_lo(lo)
{
}

PastryId
PastryId::FromAddress(Ipv4Address address)
{
    uint8_t bytes[4];
    address.Serialize(bytes);
    return FromDigest(Sha1::Of(bytes, 4));
}

PastryId
PastryId::FromName(const std::string& name)
{
    return FromDigest(Sha1::Of(reinterpret_cast<const uint8_t*>(name.data()), name.size()));
}

PastryId
PastryId::FromHex(const std::string& hex)
{
    if (hex.size() != 2 * kBytes)
    {
        throw std::invalid_argument("a Pastry id is 32 hexadecimal digits, not '" + hex + "'");
    }
    uint64_t words[2] = {0, 0};
    for (uint32_t i = 0; i < kDigits; ++i)
    {
        const char c = hex[i];
        uint32_t v;
        if (c >= '0' && c <= '9')
        {
            v = c - '0';
        }
        else if (c >= 'a' && c <= 'f')
        {
            v = c - 'a' + 10;
        }
        else if (c >= 'A' && c <= 'F')
        {
            v = c - 'A' + 10;
        }
        else
        {
            throw std::invalid_argument("not a hexadecimal digit in Pastry id '" + hex + "'");
        }
        words[i / 16] = (words[i / 16] << 4) | v;
    }
    return PastryId(words[0], words[1]);
}

uint64_t
PastryId::GetHi() const
{
    return m_hi;
}

uint64_t
PastryId::GetLo() const
{
    return m_lo;
}

uint32_t
PastryId::GetDigit(uint32_t i) const
{
    if (i >= kDigits)
    {
        throw std::out_of_range("Pastry id digit " + std::to_string(i) + " of 32");
    }
    const uint64_t word = i < 16 ? m_hi : m_lo;
    return uint32_t((word >> (60 - 4 * (i % 16))) & 0xf);
}

PastryId
PastryId::WithDigit(uint32_t i, uint32_t value) const
{
    if (i >= kDigits || value >= kBase)
    {
        throw std::out_of_range("Pastry id digit " + std::to_string(i)
                                + " := " + std::to_string(value));
    }
    const uint32_t shift = 60 - 4 * (i % 16);
    const uint64_t mask = uint64_t(0xf) << shift;
    PastryId out = *this;
    uint64_t& word = i < 16 ? out.m_hi : out.m_lo;
    word = (word & ~mask) | (uint64_t(value) << shift);
    return out;
}

uint32_t
PastryId::SharedPrefixLength(const PastryId& other) const
{
    const uint64_t hi = m_hi ^ other.m_hi;
    if (hi != 0)
    {
        return uint32_t(__builtin_clzll(hi)) / 4;
    }
    const uint64_t lo = m_lo ^ other.m_lo;
    if (lo != 0)
    {
        return 16 + uint32_t(__builtin_clzll(lo)) / 4;
    }
    return kDigits;
}

PastryId
PastryId::Minus(const PastryId& other) const
{
    const uint64_t lo = m_lo - other.m_lo;
    const uint64_t borrow = m_lo < other.m_lo ? 1 : 0;
    return PastryId(m_hi - other.m_hi - borrow, lo);
}

PastryId
PastryId::RingDistance(const PastryId& other) const
{
    const PastryId a = Minus(other);
    const PastryId b = other.Minus(*this);
    return a < b ? a : b;
}

bool
PastryId::IsCloser(const PastryId& a, const PastryId& b) const
{
    const PastryId da = RingDistance(a);
    const PastryId db = RingDistance(b);
    if (da != db)
    {
        return da < db;
    }
    return a < b;
}

std::string
PastryId::ToString() const
{
    std::ostringstream os;
    os << std::hex << std::setfill('0') << std::setw(16) << m_hi << std::setw(16) << m_lo;
    return os.str();
}

void
PastryId::Serialize(Buffer::Iterator& it) const
{
    it.WriteHtonU64(m_hi);
    it.WriteHtonU64(m_lo);
}

PastryId
PastryId::Deserialize(WireReader& reader)
{
    const uint64_t hi = reader.ReadNtohU64();
    const uint64_t lo = reader.ReadNtohU64();
    return PastryId(hi, lo);
}

bool
PastryId::operator==(const PastryId& o) const
{
    return m_hi == o.m_hi && m_lo == o.m_lo;
}

bool
PastryId::operator!=(const PastryId& o) const
{
    return !(*this == o);
}

bool
PastryId::operator<(const PastryId& o) const
{
    return m_hi != o.m_hi ? m_hi < o.m_hi : m_lo < o.m_lo;
}

bool
PastryId::operator<=(const PastryId& o) const
{
    return !(o < *this);
}

std::ostream&
operator<<(std::ostream& os, const PastryId& id)
{
    return os << id.ToString();
}

PastryHandle
PastryHandle::Of(Ipv4Address address)
{
    return {PastryId::FromAddress(address), address};
}

void
PastryHandle::Serialize(Buffer::Iterator& it) const
{
    id.Serialize(it);
    it.WriteHtonU32(address.Get());
}

PastryHandle
PastryHandle::Deserialize(WireReader& reader)
{
    PastryHandle h;
    h.id = PastryId::Deserialize(reader);
    h.address = Ipv4Address(reader.ReadNtohU32());
    return h;
}

bool
PastryHandle::operator==(const PastryHandle& o) const
{
    return id == o.id && address == o.address;
}

bool
PastryHandle::operator!=(const PastryHandle& o) const
{
    return !(*this == o);
}

std::ostream&
operator<<(std::ostream& os, const PastryHandle& h)
{
    return os << h.id.ToString().substr(0, 8) << "@" << h.address;
}

} // namespace ns3
