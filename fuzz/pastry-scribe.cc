/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fuzz target: the messages SplitStream's overlay exchanges: Pastry's routed header, its state
// messages (join state, announcements, leaf-set and row requests and replies, heartbeats) and
// probes, Scribe's header and SplitStream's anycast payload; every input goes to all five
// parsers, which must reject it with a reason or accept it within their limits and round trip.

#include "fuzz-util.h"

#include "ns3/pastry-messages.h"
#include "ns3/scribe.h"
#include "ns3/splitstream-forest.h"

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bullet_fuzz::Init();
    PastryRouteHeader route;
    PastryRouteHeader route2;
    if (bullet_fuzz::CheckHeader(data, size, route, route2))
    {
        FUZZ_CHECK(route.hops <= PastryRouteHeader::kMaxHops);
        FUZZ_CHECK(route2.key == route.key && route2.origin == route.origin);
        FUZZ_CHECK(route2.msgId == route.msgId && route2.hopSeq == route.hopSeq);
    }
    PastryStateHeader state;
    PastryStateHeader state2;
    if (bullet_fuzz::CheckHeader(data, size, state, state2))
    {
        FUZZ_CHECK(state.handles.size() <= PastryStateHeader::kMaxHandles);
        FUZZ_CHECK(state.row < PastryId::kDigits);
        FUZZ_CHECK(state2.handles == state.handles && state2.sender == state.sender);
    }
    PastryProbeHeader probe;
    PastryProbeHeader probe2;
    if (bullet_fuzz::CheckHeader(data, size, probe, probe2))
    {
        FUZZ_CHECK(probe2.value == probe.value && probe2.sender == probe.sender);
    }
    ScribeHeader scribe;
    ScribeHeader scribe2;
    if (bullet_fuzz::CheckHeader(data, size, scribe, scribe2))
    {
        FUZZ_CHECK(scribe.handles.size() <= ScribeHeader::kMaxHandles);
        FUZZ_CHECK(scribe2.group == scribe.group && scribe2.handles == scribe.handles);
    }
    SplitStreamAnycastHeader anycast;
    SplitStreamAnycastHeader anycast2;
    if (bullet_fuzz::CheckHeader(data, size, anycast, anycast2))
    {
        FUZZ_CHECK(anycast2.stripe == anycast.stripe);
    }
    return 0;
}
