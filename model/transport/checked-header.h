/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_CHECKED_HEADER_H
#define BULLET_CHECKED_HEADER_H

#include "ns3/abort.h"
#include "ns3/buffer.h"
#include "ns3/header.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Bounds-checked reader over a Buffer::Iterator.
 *
 * In emulation the bytes of a message come from real hosts, so a header must never read past
 * the end of what arrived. Every read checks the remaining size first; after the first
 * failure all reads return zero and the reader remembers why it failed.
 */
class WireReader
{
  public:
    explicit WireReader(Buffer::Iterator start);

    uint8_t ReadU8();
    uint16_t ReadNtohU16();
    uint32_t ReadNtohU32();
    uint64_t ReadNtohU64();
    /// Copies \p size bytes into \p out (zero-fills on failure).
    void Read(uint8_t* out, uint32_t size);

    /// Fails (and returns false) unless at least \p size bytes remain.
    bool Require(uint32_t size, const char* what);
    /// Records a semantic error (an inconsistent field); later reads return zero.
    void Fail(const std::string& why);

    bool Ok() const;
    const std::string& GetError() const;
    uint32_t GetConsumed() const;
    uint32_t GetRemaining() const;

  private:
    Buffer::Iterator m_it;
    uint32_t m_consumed{0};
    uint32_t m_remaining;
    std::string m_error;
};

/**
 * \ingroup bullet
 * \brief A Header whose Deserialize never reads past the end and reports malformed input.
 *
 * Subclasses implement DoDeserialize() with a WireReader. On malformed input Deserialize()
 * returns 0 (nothing is consumed), IsValid() is false and GetError() says what was wrong;
 * the caller drops the packet and counts it.
 */
class CheckedHeader : public Header
{
  public:
    static TypeId GetTypeId();

    uint32_t Deserialize(Buffer::Iterator start) final;

    /// True when the last Deserialize() accepted its input.
    bool IsValid() const;
    /// Why the last Deserialize() rejected its input (empty if it did not).
    const std::string& GetError() const;

  protected:
    /// Reads the fields; report inconsistencies with reader.Fail().
    virtual void DoDeserialize(WireReader& reader) = 0;

  private:
    bool m_valid{true};
    std::string m_error;
};

/**
 * \ingroup bullet
 * \brief The wire form of \p x as bytes: anything with GetSerializedSize() and
 * Serialize(Buffer::Iterator&) (summary tickets, block summaries), e.g. for a RanSub payload.
 * Aborts if Serialize() writes other than GetSerializedSize() bytes (the fuzz targets rely on
 * it).
 */
template<class T>
std::vector<uint8_t>
WireBytes(const T& x)
{
    const uint32_t size = x.GetSerializedSize();
    Buffer b;
    b.AddAtStart(size);
    Buffer::Iterator it = b.Begin();
    x.Serialize(it);
    NS_ABORT_MSG_UNLESS(it.GetDistanceFrom(b.Begin()) == size,
                        "WireBytes: Serialize() wrote " << it.GetDistanceFrom(b.Begin())
                                                        << " bytes, GetSerializedSize() said "
                                                        << size);
    std::vector<uint8_t> bytes(b.GetSize());
    b.CopyData(bytes.data(), bytes.size());
    return bytes;
}

} // namespace ns3

#endif // BULLET_CHECKED_HEADER_H
