/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fuzz target: the header every control datagram starts with (ControlHeader).

#include "fuzz-util.h"

#include "ns3/control-channel.h"

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bullet_fuzz::Init();
    ControlHeader h;
    ControlHeader again;
    if (bullet_fuzz::CheckHeader(data, size, h, again))
    {
        FUZZ_CHECK(data[0] == ControlHeader::kMagic && data[1] == ControlHeader::kVersion);
        FUZZ_CHECK(again.GetType() == h.GetType());
    }
    return 0;
}
