/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fuzz target: the tree messages of RandomTree (TreeHeader).

#include "fuzz-util.h"

#include "ns3/random-tree.h"

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bullet_fuzz::Init();
    bullet_fuzz::CheckHeader<TreeHeader>(data, size);
    return 0;
}
