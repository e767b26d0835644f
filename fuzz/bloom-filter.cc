/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fuzz target: the wire form of a Bloom filter (BloomFilter), the digest Bullet's peers and
// anti-entropy exchange.

#include "fuzz-util.h"

#include "ns3/counting-bloom-filter.h"

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bullet_fuzz::Init();
    auto f = bullet_fuzz::CheckWireForm(data, size, BloomFilter());
    if (!f)
    {
        return 0;
    }
    // The consistency the wire form promises: at most n k bits set, some iff n > 0.
    uint32_t set = f->CountSetBits();
    FUZZ_CHECK(set <= f->GetNumBits());
    FUZZ_CHECK((set == 0) == (f->GetPopulation() == 0));
    FUZZ_CHECK(uint64_t(set) <= uint64_t(f->GetPopulation()) * f->GetNumHashes());
    FUZZ_CHECK(f->GetNumHashes() >= 1 && f->GetNumHashes() <= BloomFilter::kMaxHashes);
    double fp = f->GetExpectedFalsePositiveRate();
    FUZZ_CHECK(fp >= 0 && fp <= 1);
    // Inserting keys never loses a key (no false negatives) and keeps the geometry.
    BloomFilter g = *f;
    for (uint32_t key = 0; key < 8; ++key)
    {
        g.Insert(key * 2654435761u);
        FUZZ_CHECK(g.Contains(key * 2654435761u));
    }
    FUZZ_CHECK(g.GetNumBits() == f->GetNumBits() && g.CountSetBits() >= set);
    return 0;
}
