/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fuzz target: the header of every stream data packet (StreamHeader).

#include "ns3/stream-header.h"

#include "fuzz-util.h"

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bullet_fuzz::Init();
    bullet_fuzz::CheckHeader<StreamHeader>(data, size);
    return 0;
}
