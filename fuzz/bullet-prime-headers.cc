/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fuzz target: Bullet's control and data headers (request, diff, close, block); every input
// goes to all four parsers.

#include "ns3/bullet-prime-headers.h"

#include "fuzz-util.h"

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bullet_fuzz::Init();
    BulletPrimeRequestHeader request;
    BulletPrimeRequestHeader request2;
    if (bullet_fuzz::CheckHeader(data, size, request, request2))
    {
        FUZZ_CHECK(request.blocks.size() <= BulletPrimeRequestHeader::kMaxBlocks);
        FUZZ_CHECK(request2 == request);
    }
    BulletPrimeDiffHeader diff;
    BulletPrimeDiffHeader diff2;
    if (bullet_fuzz::CheckHeader(data, size, diff, diff2))
    {
        FUZZ_CHECK(diff2.diff == diff.diff);
        FUZZ_CHECK(diff.diff.GetBlocks().size() == diff.diff.Count());
    }
    BulletPrimeCloseHeader close;
    BulletPrimeCloseHeader close2;
    if (bullet_fuzz::CheckHeader(data, size, close, close2))
    {
        FUZZ_CHECK(close2.stopSending == close.stopSending);
    }
    BulletPrimeBlockHeader block;
    BulletPrimeBlockHeader block2;
    if (bullet_fuzz::CheckHeader(data, size, block, block2))
    {
        FUZZ_CHECK(block2 == block);
    }
    return 0;
}
