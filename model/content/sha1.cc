/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sha1.h"

namespace ns3
{

// The one instantiation of the hasher's code (the header declares it extern).
template class EvpHasher<Sha1Digest, EvpDigest::SHA1>;

} // namespace ns3
