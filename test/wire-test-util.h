/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_WIRE_TEST_UTIL_H
#define BULLET_WIRE_TEST_UTIL_H

// Helpers shared by the tests of wire forms that embed in messages (Serialize(Iterator&),
// Deserialize(WireReader&), GetSerializedSize()).

#include "ns3/buffer.h"
#include "ns3/checked-header.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace bullet_test
{

/// The wire bytes of \p obj; fails the test if Serialize() writes other than
/// GetSerializedSize() bytes.
template<typename T>
std::vector<uint8_t>
ToBytes(const T& obj)
{
    uint32_t size = obj.GetSerializedSize();
    ns3::Buffer buf;
    buf.AddAtStart(size);
    ns3::Buffer::Iterator it = buf.Begin();
    obj.Serialize(it);
    EXPECT_EQ(it.GetDistanceFrom(buf.Begin()), size) << "Serialize() wrote the wrong size";
    std::vector<uint8_t> bytes(size);
    buf.CopyData(bytes.data(), size);
    return bytes;
}

/// Outcome of reading the first \p len bytes of a wire form.
struct ReadResult
{
    bool ok;
    uint32_t consumed;
    std::string error;
};

/// Deserializes \p obj from a buffer holding exactly the first \p len bytes of \p bytes, so
/// that any read past its end would trip ns-3's Buffer assertions as well as the WireReader.
template<typename T>
ReadResult
FromBytes(const std::vector<uint8_t>& bytes, size_t len, T& obj)
{
    ns3::Buffer buf;
    buf.AddAtStart(len);
    buf.Begin().Write(bytes.data(), len);
    ns3::WireReader reader(buf.Begin());
    bool ok = obj.Deserialize(reader);
    EXPECT_EQ(ok, reader.Ok()) << "Deserialize() result disagrees with the reader";
    return ReadResult{ok, reader.GetConsumed(), reader.GetError()};
}

/// Every proper prefix of \p obj's wire form is rejected as truncated, nothing is read past
/// the prefix, and the target object (a copy of \p blank) is left unchanged.
template<typename T>
void
ExpectEveryTruncationRejected(const T& obj, const T& blank)
{
    std::vector<uint8_t> bytes = ToBytes(obj);
    for (size_t cut = 0; cut < bytes.size(); ++cut)
    {
        T target = blank;
        ReadResult r = FromBytes(bytes, cut, target);
        EXPECT_FALSE(r.ok) << "cut at " << cut << " of " << bytes.size();
        EXPECT_LE(r.consumed, cut) << "read past the end at cut " << cut;
        EXPECT_NE(r.error.find("truncated"), std::string::npos) << "cut " << cut << ": " << r.error;
        EXPECT_TRUE(target == blank) << "rejected input modified the object, cut " << cut;
    }
}

/// \p obj survives a trip through its wire form, consuming exactly its size.
template<typename T>
void
ExpectRoundTrip(const T& obj, T back)
{
    std::vector<uint8_t> bytes = ToBytes(obj);
    bytes.push_back(0xAB); // trailing data that belongs to someone else
    ReadResult r = FromBytes(bytes, bytes.size(), back);
    EXPECT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.consumed, bytes.size() - 1);
    EXPECT_TRUE(back == obj);
}

/// Expects \p bytes (a complete but semantically wrong encoding) to be rejected, not as
/// truncated, with \p blank unchanged.
template<typename T>
void
ExpectInconsistentRejected(const std::vector<uint8_t>& bytes, const T& blank, const char* what)
{
    T target = blank;
    ReadResult r = FromBytes(bytes, bytes.size(), target);
    EXPECT_FALSE(r.ok) << what;
    EXPECT_FALSE(r.error.empty()) << what;
    EXPECT_EQ(r.error.find("truncated"), std::string::npos) << what << ": " << r.error;
    EXPECT_LE(r.consumed, bytes.size());
    EXPECT_TRUE(target == blank) << what << ": rejected input modified the object";
}

/// Overwrites a big-endian u32 at \p offset.
inline void
PutU32(std::vector<uint8_t>& bytes, size_t offset, uint32_t v)
{
    bytes[offset] = v >> 24;
    bytes[offset + 1] = v >> 16;
    bytes[offset + 2] = v >> 8;
    bytes[offset + 3] = v;
}

/// Overwrites a big-endian u16 at \p offset.
inline void
PutU16(std::vector<uint8_t>& bytes, size_t offset, uint16_t v)
{
    bytes[offset] = v >> 8;
    bytes[offset + 1] = v;
}

} // namespace bullet_test

#endif // BULLET_WIRE_TEST_UTIL_H
