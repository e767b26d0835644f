/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// SHA-1 (model/content/sha1.h) against the FIPS 180 test vectors, and the EVP code it shares
// with SHA-256.

#include "ns3/sha1.h"
#include "ns3/sha256.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

template<size_t N>
std::string
Hex(const std::array<uint8_t, N>& digest)
{
    static const char kHex[] = "0123456789abcdef";
    std::string s;
    for (uint8_t b : digest)
    {
        s += kHex[b >> 4];
        s += kHex[b & 0x0f];
    }
    return s;
}

const uint8_t*
U8(const std::string& s)
{
    return reinterpret_cast<const uint8_t*>(s.data());
}

// FIPS 180-2 Appendix A (SHA-1) and B (SHA-256) messages.
const std::string kAbc = "abc";
const std::string k448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

} // namespace

// FIPS 180-2 Appendix A.1, A.2, A.3, and the empty message.
TEST(Sha1, FipsVectors)
{
    EXPECT_EQ(Hex(Sha1::Of(U8(kAbc), kAbc.size())), "a9993e364706816aba3e25717850c26c9cd0d89d");
    EXPECT_EQ(Hex(Sha1::Of(U8(k448), k448.size())), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    EXPECT_EQ(Hex(Sha1::Of(nullptr, 0)), "da39a3ee5e6b4b0d3255bfef95601890afd80709");

    // A million 'a' through many incremental updates of varying sizes (A.3).
    Sha1 h;
    std::string chunk(997, 'a');
    size_t left = 1000000;
    size_t step = 1;
    while (left > 0)
    {
        size_t n = std::min({left, step, chunk.size()});
        h.Update(U8(chunk), n);
        left -= n;
        step = step * 3 + 1;
    }
    EXPECT_EQ(Hex(h.Finish()), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

// Finish() restarts the hasher; empty updates change nothing; splitting a message anywhere
// gives the one-shot digest.
TEST(Sha1, IncrementalAndReusable)
{
    Sha1 h;
    h.Update(nullptr, 0);
    EXPECT_EQ(Hex(h.Finish()), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    h.Update(U8(kAbc), 1);
    h.Update(nullptr, 0);
    h.Update(U8(kAbc) + 1, 2);
    EXPECT_EQ(Hex(h.Finish()), "a9993e364706816aba3e25717850c26c9cd0d89d");
    // The hasher is fresh again: "abc" alone, not appended to the previous message.
    h.Update(U8(kAbc), 3);
    EXPECT_EQ(Hex(h.Finish()), "a9993e364706816aba3e25717850c26c9cd0d89d");

    Sha1Digest whole = Sha1::Of(U8(k448), k448.size());
    for (size_t cut = 0; cut <= k448.size(); ++cut)
    {
        h.Update(U8(k448), cut);
        h.Update(U8(k448) + cut, k448.size() - cut);
        EXPECT_EQ(h.Finish(), whole) << "cut at " << cut;
    }
}

// Sha256 runs on the same EVP code: its vectors still hold (the 448-bit one is not in
// content-test.cc), and the two hashers keep separate state when interleaved.
TEST(Sha1, SharedEvpCodeServesSha256)
{
    EXPECT_EQ(Hex(Sha256::Of(U8(k448), k448.size())),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    Sha1 a;
    Sha256 b;
    for (char c : kAbc)
    {
        a.Update(reinterpret_cast<const uint8_t*>(&c), 1);
        b.Update(reinterpret_cast<const uint8_t*>(&c), 1);
    }
    EXPECT_EQ(Hex(a.Finish()), "a9993e364706816aba3e25717850c26c9cd0d89d");
    EXPECT_EQ(Hex(b.Finish()), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    // A digest buffer of the wrong size is refused, not overrun.
    EvpDigest d(EvpDigest::SHA1);
    uint8_t small[16];
    EXPECT_THROW(d.Finish(small, sizeof(small)), std::runtime_error);
    uint8_t right[20];
    EXPECT_NO_THROW(d.Finish(right, sizeof(right)));
}
