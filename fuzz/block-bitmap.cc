/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fuzz target: Bullet's block summaries (BlockSummary, in RanSub) and bitmap diffs
// (BitmapDiff); every input goes to both parsers.

#include "ns3/block-bitmap.h"

#include "fuzz-util.h"

using namespace ns3;

namespace
{
/// Largest file (in blocks) for which the target builds a receiver's bitmap: the receiver
/// sizes it from its own file, never from a message, so big claims are simply not applied.
constexpr uint32_t kMaxViewBlocks = 1u << 20;
} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bullet_fuzz::Init();
    if (auto s = bullet_fuzz::CheckWireForm(data, size, BlockSummary()))
    {
        uint32_t n = s->GetNumBlocks();
        FUZZ_CHECK(s->GetNumBits() >= 1);
        FUZZ_CHECK(uint64_t(s->GetFirstBlock()) + s->GetNumBits() <= n);
        FUZZ_CHECK(s->Count() <= s->GetNumBits());
        FUZZ_CHECK(s->IsExact() == (s->GetFirstBlock() == 0 && s->GetNumBits() == n));
        FUZZ_CHECK(!s->Covers(s->GetFirstBlock() + s->GetNumBits()));
        FUZZ_CHECK(!s->Has(n));
        if (n <= kMaxViewBlocks)
        {
            BlockBitmap none(n);
            FUZZ_CHECK(s->CountUsefulTo(none) == s->Count());
        }
    }
    if (auto d = bullet_fuzz::CheckWireForm(data, size, BitmapDiff()))
    {
        uint32_t n = d->GetNumBlocks();
        std::vector<uint32_t> blocks = d->GetBlocks();
        FUZZ_CHECK(blocks.size() == d->Count());
        FUZZ_CHECK(d->IsEmpty() == blocks.empty());
        if (!blocks.empty())
        {
            // Trimmed to what it announces, inside the file, ascending.
            FUZZ_CHECK(blocks.front() == d->GetFirstBlock());
            FUZZ_CHECK(uint64_t(blocks.back()) + 1
                       == uint64_t(d->GetFirstBlock()) + d->GetNumBits());
            FUZZ_CHECK(blocks.back() < n);
            FUZZ_CHECK(std::is_sorted(blocks.begin(), blocks.end()));
        }
        if (n <= kMaxViewBlocks)
        {
            BlockBitmap view(n);
            FUZZ_CHECK(d->ApplyTo(view));
            FUZZ_CHECK(view.Count() == d->Count());
            FUZZ_CHECK(view.GetBlocks() == blocks);
            BlockBitmap other(n + 1);
            FUZZ_CHECK(!d->ApplyTo(other) && other.Count() == 0);
        }
    }
    return 0;
}
