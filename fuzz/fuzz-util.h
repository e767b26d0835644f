/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_FUZZ_UTIL_H
#define BULLET_FUZZ_UTIL_H

// What the libFuzzer targets of fuzz/ share: a check that aborts (so that libFuzzer records
// the input as a crash), the bytes of a header (ns3::WireBytes gives an embedded wire form's),
// and round-trip checks for the two kinds of parsers of the module: CheckedHeader subclasses
// (the path a receiver takes: a Packet of the received bytes and RemoveHeader) and wire forms
// embedded in messages (Deserialize(WireReader&) and Serialize(Buffer::Iterator&)).
//
// A round trip is strict: what a parser accepts, serialized again, must be exactly the bytes it
// consumed (the wire forms are canonical), and must parse again to the same value.

#include "ns3/buffer.h"
#include "ns3/checked-header.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

/// Aborts with the failed condition unless \p cond holds: libFuzzer saves the input.
#define FUZZ_CHECK(cond)                                                                        \
    do                                                                                          \
    {                                                                                           \
        if (!(cond))                                                                            \
        {                                                                                       \
            std::fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            std::abort();                                                                       \
        }                                                                                       \
    } while (false)

namespace bullet_fuzz
{

/// Once per process: ns-3's Time stops recording every Time made before a resolution is set.
inline void
Init()
{
    static bool done = false;
    if (!done)
    {
        ns3::Time::SetResolution(ns3::Time::NS);
        done = true;
    }
}

/// A buffer holding exactly \p size bytes, so that any read past them trips ns-3's asserts.
inline ns3::Buffer
MakeBuffer(const uint8_t* data, size_t size)
{
    ns3::Buffer buf;
    buf.AddAtStart(size);
    buf.Begin().Write(data, size);
    return buf;
}

/// The wire bytes of a CheckedHeader; aborts if Serialize() writes other than its size.
template<typename H>
std::vector<uint8_t>
HeaderBytes(const H& h)
{
    uint32_t size = h.GetSerializedSize();
    ns3::Buffer buf;
    buf.AddAtStart(size);
    h.Serialize(buf.Begin());
    std::vector<uint8_t> bytes(size);
    buf.CopyData(bytes.data(), size);
    return bytes;
}

/**
 * Parses a CheckedHeader \p h (configured by the caller, e.g. with limits) from a packet of
 * the \p size bytes at \p data, as a receiver does. On rejection: nothing consumed, a reason
 * given, the packet untouched. On acceptance: the header prints, serializes to exactly the
 * bytes consumed, and those bytes parse again (into \p again, configured alike) to the same.
 * \return true if the input was accepted
 */
template<typename H>
bool
CheckHeader(const uint8_t* data, size_t size, H& h, H& again)
{
    ns3::Ptr<ns3::Packet> packet = ns3::Create<ns3::Packet>(data, size);
    uint32_t consumed = packet->RemoveHeader(h);
    if (!h.IsValid())
    {
        FUZZ_CHECK(consumed == 0);
        FUZZ_CHECK(!h.GetError().empty());
        FUZZ_CHECK(packet->GetSize() == size);
        return false;
    }
    FUZZ_CHECK(h.GetError().empty());
    FUZZ_CHECK(consumed <= size);
    FUZZ_CHECK(packet->GetSize() == size - consumed);
    FUZZ_CHECK(h.GetSerializedSize() == consumed);
    std::ostringstream printed;
    h.Print(printed);
    std::vector<uint8_t> bytes = HeaderBytes(h);
    FUZZ_CHECK(bytes.size() == consumed && std::equal(bytes.begin(), bytes.end(), data));
    ns3::Buffer buf = MakeBuffer(bytes.data(), bytes.size());
    FUZZ_CHECK(again.Deserialize(buf.Begin()) == consumed);
    FUZZ_CHECK(again.IsValid());
    FUZZ_CHECK(HeaderBytes(again) == bytes);
    return true;
}

/// As CheckHeader(), for a header type that needs no configuration.
template<typename H>
bool
CheckHeader(const uint8_t* data, size_t size)
{
    H h;
    H again;
    return CheckHeader(data, size, h, again);
}

/**
 * Reads an embedded wire form from the \p size bytes at \p data into a copy of \p blank. On
 * rejection: the reader says why and the object is unchanged (== \p blank). On acceptance: it
 * serializes to exactly the bytes consumed, which parse again to an equal object.
 * \return the object read, if accepted
 */
template<typename T>
std::optional<T>
CheckWireForm(const uint8_t* data, size_t size, const T& blank)
{
    ns3::Buffer buf = MakeBuffer(data, size);
    ns3::WireReader reader(buf.Begin());
    T obj = blank;
    bool ok = obj.Deserialize(reader);
    FUZZ_CHECK(ok == reader.Ok());
    if (!ok)
    {
        FUZZ_CHECK(!reader.GetError().empty());
        FUZZ_CHECK(obj == blank);
        return std::nullopt;
    }
    uint32_t consumed = reader.GetConsumed();
    FUZZ_CHECK(consumed <= size);
    FUZZ_CHECK(obj.GetSerializedSize() == consumed);
    std::vector<uint8_t> bytes = ns3::WireBytes(obj);
    FUZZ_CHECK(std::equal(bytes.begin(), bytes.end(), data));
    ns3::Buffer again = MakeBuffer(bytes.data(), bytes.size());
    ns3::WireReader reader2(again.Begin());
    T back = blank;
    FUZZ_CHECK(back.Deserialize(reader2));
    FUZZ_CHECK(reader2.GetConsumed() == consumed);
    FUZZ_CHECK(back == obj);
    return obj;
}

/**
 * Cuts \p size bytes into pieces whose lengths come from a small generator seeded by \p seed
 * (1 to 64 bytes, now and then longer), for parsers of byte streams fed as they arrive.
 */
inline std::vector<std::pair<size_t, size_t>>
Splits(size_t size, uint8_t seed)
{
    std::vector<std::pair<size_t, size_t>> out;
    uint32_t state = 0x9E3779B9u ^ seed;
    size_t at = 0;
    while (at < size)
    {
        state = state * 1664525u + 1013904223u;
        size_t len = (state >> 24) % 8 == 0 ? 1 + (state >> 8) % 1500 : 1 + (state >> 16) % 64;
        len = std::min(len, size - at);
        out.emplace_back(at, len);
        at += len;
    }
    return out;
}

} // namespace bullet_fuzz

#endif // BULLET_FUZZ_UTIL_H
