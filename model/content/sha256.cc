/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sha256.h"

namespace ns3
{

// The one instantiation of the hasher's code (the header declares it extern).
template class EvpHasher<Sha256Digest, EvpDigest::SHA256>;

} // namespace ns3
