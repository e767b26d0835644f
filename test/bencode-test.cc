/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Bencoding (BEP 3): strict decoding with byte ranges, canonical encoding, and the rejection
// of every kind of malformed or hostile input with a reason and an offset.

#include "ns3/bencode.h"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

using namespace ns3;
using namespace std::string_literals;

namespace
{

/// The error BencodeDecode() throws for \p input (fails the test if it accepts it).
BencodeError
DecodeError(const std::string& input, const BencodeLimits& limits = {})
{
    try
    {
        BencodeDecode(input, limits);
    }
    catch (const BencodeError& e)
    {
        return e;
    }
    ADD_FAILURE() << "accepted: " << input;
    return BencodeError("accepted", std::numeric_limits<size_t>::max());
}

/// A nested value exercising every type, binary strings and sorted keys.
const std::string kSample
    = "d4:infod6:lengthi1048576e4:name5:a.bin12:piece lengthi262144e6:pieces4:\x00\xff\x01\x02"s
      "e4:listli-7ei0el0:deee3:nul3:\x00"
      "b\x00"
      "e";

} // namespace

// The basic forms, including the extreme integers.
TEST(Bencode, DecodesEveryType)
{
    EXPECT_EQ(BencodeDecode("i42e").AsInteger(), 42);
    EXPECT_EQ(BencodeDecode("i-42e").AsInteger(), -42);
    EXPECT_EQ(BencodeDecode("i0e").AsInteger(), 0);
    EXPECT_EQ(BencodeDecode("i9223372036854775807e").AsInteger(),
              std::numeric_limits<int64_t>::max());
    EXPECT_EQ(BencodeDecode("i-9223372036854775808e").AsInteger(),
              std::numeric_limits<int64_t>::min());
    EXPECT_EQ(BencodeDecode("4:spam").AsString(), "spam");
    EXPECT_EQ(BencodeDecode("0:").AsString(), "");
    EXPECT_EQ(BencodeDecode(std::string("3:\x00\x01\x00", 5)).AsString(),
              std::string("\x00\x01\x00", 3));
    EXPECT_EQ(BencodeDecode("le").AsList().size(), 0u);
    EXPECT_EQ(BencodeDecode("de").AsDict().size(), 0u);

    BencodeValue v = BencodeDecode("l4:spami7ed1:ai1eee");
    ASSERT_EQ(v.GetType(), BencodeValue::LIST);
    const BencodeValue::List& l = v.AsList();
    ASSERT_EQ(l.size(), 3u);
    EXPECT_EQ(l[0].AsString(), "spam");
    EXPECT_EQ(l[1].AsInteger(), 7);
    ASSERT_NE(l[2].Find("a"), nullptr);
    EXPECT_EQ(l[2].Find("a")->AsInteger(), 1);
    EXPECT_EQ(l[2].Find("b"), nullptr);
}

// Every decoded value knows the bytes it came from, which is how a torrent's info hash is
// taken over the info dictionary exactly as written.
TEST(Bencode, RecordsByteRanges)
{
    BencodeValue v = BencodeDecode(kSample);
    EXPECT_EQ(v.GetBegin(), 0u);
    EXPECT_EQ(v.GetEnd(), kSample.size());
    const BencodeValue* info = v.Find("info");
    ASSERT_NE(info, nullptr);
    std::string infoBytes = kSample.substr(info->GetBegin(), info->GetEnd() - info->GetBegin());
    EXPECT_EQ(infoBytes.substr(0, 9), "d6:length");
    EXPECT_EQ(infoBytes.back(), 'e');
    EXPECT_EQ(BencodeEncode(*info), infoBytes);
    const BencodeValue* length = info->Find("length");
    ASSERT_NE(length, nullptr);
    EXPECT_EQ(kSample.substr(length->GetBegin(), length->GetEnd() - length->GetBegin()),
              "i1048576e");
    const BencodeValue& inner = v.Find("list")->AsList()[2];
    EXPECT_EQ(kSample.substr(inner.GetBegin(), inner.GetEnd() - inner.GetBegin()), "l0:dee");
    // Built values have no range.
    EXPECT_EQ(BencodeValue::Integer(3).GetBegin(), 0u);
    EXPECT_EQ(BencodeValue::Integer(3).GetEnd(), 0u);
}

// Encoding is canonical: keys in raw byte order (0xff after 'z', NUL first) whatever the
// insertion order; decode(encode(v)) == v and encode(decode(s)) == s.
TEST(Bencode, EncodesCanonically)
{
    BencodeValue::Dict d;
    d["zebra"] = BencodeValue::Integer(-1);
    d[std::string("\xff", 1)] = BencodeValue::String("high");
    d[std::string("\x00", 1)] = BencodeValue::String(std::string("\x00\x00", 2));
    d["apple"] = BencodeValue::MakeList({BencodeValue::Integer(0), BencodeValue::MakeDict()});
    d["Apple"] = BencodeValue::String("");
    BencodeValue v = BencodeValue::MakeDict(d);
    std::string expected = std::string("d1:\x00", 4) + std::string("2:\x00\x00", 4)
                           + "5:Apple0:5:appleli0edee5:zebrai-1e1:\xff" + "4:highe";
    EXPECT_EQ(BencodeEncode(v), expected);
    EXPECT_EQ(BencodeDecode(expected), v);
    EXPECT_EQ(BencodeEncode(BencodeDecode(kSample)), kSample);

    EXPECT_EQ(BencodeEncode(BencodeValue::Integer(std::numeric_limits<int64_t>::min())),
              "i-9223372036854775808e");
    EXPECT_EQ(BencodeEncode(BencodeValue()), "0:");
    EXPECT_EQ(BencodeEncode(BencodeValue::MakeList()), "le");

    // Values are values: copies are deep, comparison ignores byte ranges.
    BencodeValue copy = v;
    copy.AsDict()["zebra"] = BencodeValue::Integer(2);
    EXPECT_EQ(v.Find("zebra")->AsInteger(), -1);
    EXPECT_NE(copy, v);
    EXPECT_NE(BencodeValue::Integer(1), BencodeValue::String("1"));
    EXPECT_EQ(BencodeDecode("l0:e").AsList()[0], BencodeValue());
}

// Asking a value for the wrong type throws, with the value's offset in the input.
TEST(Bencode, WrongTypeAccessThrows)
{
    BencodeValue v = BencodeDecode("l4:spami7ee");
    const BencodeValue& s = v.AsList()[0];
    try
    {
        s.AsInteger();
        FAIL() << "AsInteger() on a string";
    }
    catch (const BencodeError& e)
    {
        EXPECT_EQ(e.GetOffset(), 1u);
        EXPECT_NE(std::string(e.what()).find("expected an integer, found a string"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_THROW(v.AsList()[1].AsString(), BencodeError);
    EXPECT_THROW(v.AsDict(), BencodeError);
    EXPECT_THROW(v.Find("x"), BencodeError);
    EXPECT_THROW(s.AsList(), BencodeError);
}

// Each malformed input is rejected where it goes wrong, with a message saying what.
TEST(Bencode, RejectsMalformedInput)
{
    struct Case
    {
        std::string input;
        size_t offset;
        std::string says;
    };
    const std::vector<Case> cases = {
        {"", 0, "truncated"},
        {"i", 1, "truncated"},
        {"i-", 2, "truncated"},
        {"i12", 3, "truncated"},
        {"ie", 1, "without digits"},
        {"i-e", 2, "without digits"},
        {"i03e", 0, "leading zero"},
        {"i00e", 0, "leading zero"},
        {"i-03e", 0, "leading zero"},
        {"i-0e", 0, "\"-0\""},
        {"i+3e", 1, "without digits"},
        {"i1.5e", 2, "instead of 'e'"},
        {"i9223372036854775808e", 0, "overflow"},
        {"i-9223372036854775809e", 0, "overflow"},
        {"i99999999999999999999999999e", 0, "overflow"},
        {"5:abc", 0, "truncated: string of 5 bytes with only 3 left"},
        {"05:abcde", 0, "leading zero"},
        {"3abc", 1, "instead of ':'"},
        {"3", 1, "truncated"},
        {"99999999999999999999999:x", 0, "overflow"},
        {"18446744073709551615:x", 0, "truncated: string of 18446744073709551615 bytes"},
        {"x", 0, "unknown type byte 'x'"},
        {std::string("\x80", 1), 0, "unknown type byte 0x80"},
        {"-1:", 0, "unknown type byte '-'"},
        {"i1ei2e", 3, "trailing"},
        {"4:spamx", 6, "trailing"},
        {"lee", 2, "trailing"},
        {"l", 1, "truncated"},
        {"li1e", 4, "truncated"},
        {"d", 1, "truncated"},
        {"d3:foo", 6, "truncated"},
        {"d3:fooi1e", 9, "truncated"},
        {"di1ei2ee", 1, "key is not a string"},
        {"dlei2ee", 1, "key is not a string"},
        {"d1:bi1e1:ai2ee", 7, "not sorted"},
        {"d1:ai1e1:ai2ee", 7, "duplicate"},
        {"d2:aai1e1:ai2ee", 8, "not sorted"},
        {"d1:ae", 4, "unknown type byte 'e'"},
        {"l1:ae ", 5, "trailing"},
    };
    for (const Case& c : cases)
    {
        BencodeError e = DecodeError(c.input);
        EXPECT_EQ(e.GetOffset(), c.offset) << c.input << ": " << e.what();
        EXPECT_NE(std::string(e.what()).find(c.says), std::string::npos)
            << c.input << ": " << e.what() << " (expected '" << c.says << "')";
        EXPECT_NE(std::string(e.what()).find("offset " + std::to_string(c.offset)),
                  std::string::npos)
            << e.what();
    }
}

// The limits: nesting depth, string length (checked before anything is allocated) and the
// number of values.
TEST(Bencode, EnforcesLimits)
{
    BencodeLimits limits;
    limits.maxDepth = 3;
    EXPECT_NO_THROW(BencodeDecode("llleee", limits));
    EXPECT_NE(std::string(DecodeError("lllleeee", limits).what()).find("deeper than 3"),
              std::string::npos);
    EXPECT_EQ(DecodeError("ld1:alllleeeee", limits).GetOffset(), 6u);

    // The default depth of 64, against a stack-exhausting input.
    std::string deep(100000, 'l');
    deep += std::string(100000, 'e');
    EXPECT_EQ(DecodeError(deep).GetOffset(), 64u);
    std::string ok64 = std::string(64, 'l') + std::string(64, 'e');
    EXPECT_NO_THROW(BencodeDecode(ok64));

    limits = BencodeLimits{};
    limits.maxStringLength = 10;
    EXPECT_NO_THROW(BencodeDecode("10:0123456789", limits));
    BencodeError e = DecodeError("11:0123456789a", limits);
    EXPECT_NE(std::string(e.what()).find("exceeds the limit of 10"), std::string::npos);
    // A huge claimed length in a tiny input is refused from the bytes left, at once.
    e = DecodeError("4294967296:abc");
    EXPECT_NE(std::string(e.what()).find("truncated: string of 4294967296 bytes with only 3"),
              std::string::npos)
        << e.what();

    limits = BencodeLimits{};
    limits.maxItems = 4;
    EXPECT_NO_THROW(BencodeDecode("li1ei2ei3ee", limits));
    EXPECT_NE(std::string(DecodeError("li1ei2ei3ei4ee", limits).what()).find("more than 4"),
              std::string::npos);
    // Dictionary keys count too: d + key + value + key = 4, the fifth is the last value.
    EXPECT_EQ(DecodeError("d1:ai1e1:bi2ee", limits).GetOffset(), 10u);
}

// Every proper prefix of a valid encoding is rejected as truncated, and so is the value with
// any byte appended.
TEST(Bencode, EveryTruncationAndExtensionIsRejected)
{
    for (size_t len = 0; len < kSample.size(); ++len)
    {
        BencodeError e = DecodeError(kSample.substr(0, len));
        EXPECT_LE(e.GetOffset(), len) << e.what();
    }
    for (int b = 0; b < 256; ++b)
    {
        BencodeError e = DecodeError(kSample + static_cast<char>(b));
        EXPECT_EQ(e.GetOffset(), kSample.size()) << e.what();
    }
}

// Random corruptions of a valid encoding either throw BencodeError or decode to a value that
// re-encodes to exactly the same bytes (only canonical input is accepted); never a crash.
TEST(Bencode, MutatedInputIsRejectedOrCanonical)
{
    boost::random::mt19937 rng(20240601);
    boost::random::uniform_int_distribution<int> byte(0, 255);
    const std::string alphabet = "0123456789:ield-xe";
    boost::random::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
    size_t accepted = 0;
    size_t rejected = 0;
    for (int round = 0; round < 20000; ++round)
    {
        std::string s = kSample;
        boost::random::uniform_int_distribution<int> edits(1, 3);
        for (int k = edits(rng); k > 0; --k)
        {
            boost::random::uniform_int_distribution<size_t> at(0, s.size() - 1);
            size_t pos = at(rng);
            switch (byte(rng) % 4)
            {
                case 0:
                    s[pos] = static_cast<char>(byte(rng));
                    break;
                case 1:
                    s[pos] = alphabet[pick(rng)];
                    break;
                case 2:
                    s.erase(pos, 1);
                    break;
                default:
                    s.insert(pos, 1, alphabet[pick(rng)]);
                    break;
            }
            if (s.empty())
            {
                s = "x";
            }
        }
        try
        {
            BencodeValue v = BencodeDecode(s);
            EXPECT_EQ(BencodeEncode(v), s);
            ++accepted;
        }
        catch (const BencodeError& e)
        {
            EXPECT_LE(e.GetOffset(), s.size());
            ++rejected;
        }
    }
    // Both outcomes happen (the test exercises both paths).
    EXPECT_GT(accepted, 100u);
    EXPECT_GT(rejected, 10000u);
}
