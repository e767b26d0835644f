/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fuzz target: strict bencoding (BencodeDecode). Accepted input is canonical, so encoding it
// again gives back exactly the input; the only documented rejection is BencodeError. Tight
// limits must only ever reject more, never accept differently.

#include "ns3/bencode.h"

#include "fuzz-util.h"

using namespace ns3;

namespace
{

/// Every value's byte range lies inside its parent's and encodes to exactly those bytes.
void
CheckRanges(const BencodeValue& v, const std::string& input, size_t begin, size_t end)
{
    FUZZ_CHECK(begin <= v.GetBegin() && v.GetBegin() < v.GetEnd() && v.GetEnd() <= end);
    FUZZ_CHECK(input.compare(v.GetBegin(), v.GetEnd() - v.GetBegin(), BencodeEncode(v)) == 0);
    if (v.GetType() == BencodeValue::LIST)
    {
        for (const auto& m : v.AsList())
        {
            CheckRanges(m, input, v.GetBegin(), v.GetEnd());
        }
    }
    else if (v.GetType() == BencodeValue::DICT)
    {
        for (const auto& [key, m] : v.AsDict())
        {
            CheckRanges(m, input, v.GetBegin(), v.GetEnd());
        }
    }
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bullet_fuzz::Init();
    const std::string input(reinterpret_cast<const char*>(data), size);
    BencodeLimits tight;
    tight.maxDepth = 3;
    tight.maxStringLength = 16;
    tight.maxItems = 8;
    bool tightOk = true;
    BencodeValue small;
    try
    {
        small = BencodeDecode(input, tight);
    }
    catch (const BencodeError& e)
    {
        FUZZ_CHECK(e.GetOffset() <= size);
        tightOk = false;
    }
    BencodeValue v;
    try
    {
        v = BencodeDecode(input);
    }
    catch (const BencodeError& e)
    {
        FUZZ_CHECK(e.GetOffset() <= size);
        FUZZ_CHECK(!tightOk);
        return 0;
    }
    FUZZ_CHECK(!tightOk || small == v);
    FUZZ_CHECK(v.GetBegin() == 0 && v.GetEnd() == size);
    FUZZ_CHECK(BencodeEncode(v) == input);
    CheckRanges(v, input, 0, size);
    BencodeValue copy = v;
    FUZZ_CHECK(copy == v);
    FUZZ_CHECK(BencodeDecode(BencodeEncode(copy)) == v);
    return 0;
}
