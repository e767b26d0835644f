/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fuzz target: the streaming digest anti-entropy sends (StreamDigestHeader: a Bloom filter
// and the range wanted).

#include "fuzz-util.h"

#include "ns3/stream-recovery.h"

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bullet_fuzz::Init();
    StreamDigestHeader h;
    StreamDigestHeader again;
    if (bullet_fuzz::CheckHeader(data, size, h, again))
    {
        FUZZ_CHECK(h.low <= h.high);
        FUZZ_CHECK(again.filter == h.filter && again.low == h.low && again.high == h.high);
        double fp = h.filter.GetExpectedFalsePositiveRate();
        FUZZ_CHECK(fp >= 0 && fp <= 1);
        for (uint32_t seq = h.low; seq - h.low < 32 && seq <= h.high; ++seq)
        {
            (void) h.filter.Contains(seq);
        }
    }
    return 0;
}
