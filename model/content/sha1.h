/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_SHA1_H
#define BULLET_SHA1_H

#include "ns3/evp-digest.h"

#include <array>
#include <cstddef>
#include <cstdint>

namespace ns3
{

/// \ingroup bullet
/// A SHA-1 digest (FIPS 180-4), 20 bytes: BitTorrent's piece hashes and info hash.
using Sha1Digest = std::array<uint8_t, 20>;

/// Instantiated once, in sha1.cc.
extern template class EvpHasher<Sha1Digest, EvpDigest::SHA1>;

/**
 * \ingroup bullet
 * \brief Incremental SHA-1, computed by OpenSSL's libcrypto (EVP digest interface, through
 * EvpHasher, as Sha256).
 *
 * Update() any number of times, then Finish(), which returns the digest and makes the hasher
 * ready for a new message; Of() hashes one buffer. Errors reported by libcrypto throw
 * std::runtime_error. Not copyable.
 */
class Sha1 : public EvpHasher<Sha1Digest, EvpDigest::SHA1>
{
};

} // namespace ns3

#endif // BULLET_SHA1_H
