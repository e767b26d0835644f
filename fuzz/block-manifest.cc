/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fuzz target: the wire form of a file's block manifest (BlockManifest: sizes and SHA-256
// digests a receiver checks blocks against).

#include "ns3/block-manifest.h"

#include "fuzz-util.h"

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bullet_fuzz::Init();
    auto m = bullet_fuzz::CheckWireForm(data, size, BlockManifest());
    if (!m)
    {
        return 0;
    }
    uint32_t n = m->GetNumBlocks();
    FUZZ_CHECK(n >= 1 && n <= BlockManifest::kMaxBlocks);
    FUZZ_CHECK(m->GetBlockSize() >= 1 && m->GetFileSize() >= 1);
    // The blocks tile the file: all full but the last, which is 1..blockSize bytes.
    uint32_t last = m->GetBlockBytes(n - 1);
    FUZZ_CHECK(last >= 1 && last <= m->GetBlockSize());
    FUZZ_CHECK(uint64_t(n - 1) * m->GetBlockSize() + last == m->GetFileSize());
    FUZZ_CHECK(m->GetBlockBytes(n) == 0);
    FUZZ_CHECK(!m->Verify(n, nullptr, 0));
    if (m->IsVirtual())
    {
        FUZZ_CHECK(m->Verify(n - 1, nullptr, last));
    }
    return 0;
}
