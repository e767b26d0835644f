/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fuzz target: RanSub's collect and distribute messages (RanSubHeader, one format for both),
// and Compact over what arrived, as a node merges its children's collects.

#include "fuzz-util.h"

#include "ns3/ransub.h"

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bullet_fuzz::Init();
    RanSubHeader h;
    RanSubHeader again;
    if (!bullet_fuzz::CheckHeader(data, size, h, again))
    {
        return 0;
    }
    const auto& members = h.set.members;
    FUZZ_CHECK(members.size() <= RanSubHeader::kMaxMembers);
    FUZZ_CHECK(members.size() <= h.set.population);
    for (const auto& m : members)
    {
        FUZZ_CHECK(m.payload.size() <= RanSubHeader::kMaxPayload);
    }
    static Ptr<UniformRandomVariable> rng = CreateObject<UniformRandomVariable>();
    RanSubSet merged = RanSubSet::Compact({&h.set, &again.set}, 10, rng);
    FUZZ_CHECK(merged.members.size() <= std::min<size_t>(10, 2 * members.size()));
    return 0;
}
