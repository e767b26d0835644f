/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fuzz target: the wire form of a min-wise summary ticket (SummaryTicket), which RanSub
// carries for every member.

#include "ns3/summary-ticket.h"

#include "fuzz-util.h"

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bullet_fuzz::Init();
    static const auto perms
        = std::make_shared<const MinWisePermutations>(SummaryTicket::kDefaultEntries);
    const SummaryTicket blank(perms);
    auto t = bullet_fuzz::CheckWireForm(data, size, blank);
    if (!t)
    {
        return 0;
    }
    FUZZ_CHECK(t->IsEmpty() || t->GetNumEntries() == perms->GetSize());
    FUZZ_CHECK(t->Resemblance(*t) == 1);
    double r = t->Resemblance(blank);
    FUZZ_CHECK(r == (t->IsEmpty() ? 1 : 0));
    // A received ticket can be merged into: inserting keeps entries minimal per permutation.
    SummaryTicket u = *t;
    const auto key = static_cast<uint32_t>(size);
    u.Insert(key);
    FUZZ_CHECK(!u.IsEmpty() && u.GetNumEntries() == perms->GetSize());
    for (uint32_t j = 0; j < u.GetNumEntries(); ++j)
    {
        FUZZ_CHECK(perms->Apply(j, u.GetEntry(j)) <= perms->Apply(j, key));
        if (!t->IsEmpty())
        {
            FUZZ_CHECK(perms->Apply(j, u.GetEntry(j)) <= perms->Apply(j, t->GetEntry(j)));
        }
    }
    return 0;
}
