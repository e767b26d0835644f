/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_SHA256_H
#define BULLET_SHA256_H

#include "ns3/evp-digest.h"

#include <array>
#include <cstddef>
#include <cstdint>

namespace ns3
{

/// \ingroup bullet
/// A SHA-256 digest (FIPS 180-4), 32 bytes.
using Sha256Digest = std::array<uint8_t, 32>;

/// Instantiated once, in sha256.cc.
extern template class EvpHasher<Sha256Digest, EvpDigest::SHA256>;

/**
 * \ingroup bullet
 * \brief Incremental SHA-256, computed by OpenSSL's libcrypto (EVP digest interface, through
 * EvpHasher).
 *
 * Update() any number of times, then Finish(), which returns the digest and makes the hasher
 * ready for a new message; Of() hashes one buffer. Errors reported by libcrypto throw
 * std::runtime_error. Not copyable.
 */
class Sha256 : public EvpHasher<Sha256Digest, EvpDigest::SHA256>
{
};

} // namespace ns3

#endif // BULLET_SHA256_H
