/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fuzz target: the TFRC data and feedback headers (every TFRC datagram starts with one; the
// receiver dispatches on the type byte, so both parsers see every input).

#include "ns3/tfrc-header.h"

#include "fuzz-util.h"

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bullet_fuzz::Init();
    Ptr<Packet> packet = Create<Packet>(data, size);
    uint8_t type = TfrcPeekType(packet);
    FUZZ_CHECK(type == (size > 0 ? data[0] : 0));

    TfrcDataHeader d;
    TfrcDataHeader d2;
    if (bullet_fuzz::CheckHeader(data, size, d, d2))
    {
        FUZZ_CHECK(type == TFRC_DATA);
        // The fields a receiver uses, as Times.
        (void) d.GetTimestamp();
        FUZZ_CHECK(d.GetRtt() >= Time(0));
    }

    TfrcFeedbackHeader f;
    TfrcFeedbackHeader f2;
    if (bullet_fuzz::CheckHeader(data, size, f, f2))
    {
        FUZZ_CHECK(type == TFRC_FEEDBACK);
        double p = f.GetLossEventRate();
        FUZZ_CHECK(p >= 0 && p <= 1);
        // The setters take back what the getters give (the sender's and receiver's view agree).
        TfrcFeedbackHeader g;
        g.SetLossEventRate(p);
        g.SetReceiveRate(f.GetReceiveRate());
        g.SetDelay(f.GetDelay());
        FUZZ_CHECK(g.GetLossEventRate() == p);
        FUZZ_CHECK(g.GetReceiveRate() == f.GetReceiveRate());
        FUZZ_CHECK(g.GetDelay() == f.GetDelay());
    }
    return 0;
}
