/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fuzz target: Bullet's peering messages (BulletPeerHeader: a stream digest, the receiver's
// share of its sequence matrix and bandwidth).

#include "ns3/bullet-peer-header.h"

#include "fuzz-util.h"

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bullet_fuzz::Init();
    BulletPeerHeader h;
    BulletPeerHeader again;
    if (bullet_fuzz::CheckHeader(data, size, h, again))
    {
        FUZZ_CHECK(h.low <= h.high);
        FUZZ_CHECK(h.share.rows == 0
                   || (h.share.first < h.share.rows && h.share.count >= 1
                       && h.share.count <= h.share.rows));
        FUZZ_CHECK(again.filter == h.filter && again.share == h.share
                   && again.receivedKbps == h.receivedKbps);
        double fp = h.filter.GetExpectedFalsePositiveRate();
        FUZZ_CHECK(fp >= 0 && fp <= 1);
    }
    return 0;
}
