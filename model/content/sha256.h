/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_SHA256_H
#define BULLET_SHA256_H

#include <array>
#include <cstddef>
#include <cstdint>

// OpenSSL's context type, declared here so that this header does not need OpenSSL's.
struct evp_md_ctx_st;

namespace ns3
{

/// \ingroup bullet
/// A SHA-256 digest (FIPS 180-4), 32 bytes.
using Sha256Digest = std::array<uint8_t, 32>;

/**
 * \ingroup bullet
 * \brief Incremental SHA-256, computed by OpenSSL's libcrypto (EVP digest interface).
 *
 * Update() any number of times, then Finish(), which returns the digest and makes the hasher
 * ready for a new message. Errors reported by libcrypto throw std::runtime_error.
 */
class Sha256
{
  public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    /// Appends \p len bytes at \p data to the message (\p data may be null when \p len is 0).
    void Update(const uint8_t* data, size_t len);
    /// The digest of everything appended since construction or the last Finish().
    Sha256Digest Finish();

    /// The digest of the \p len bytes at \p data.
    static Sha256Digest Of(const uint8_t* data, size_t len);

  private:
    void Begin();

    evp_md_ctx_st* m_ctx; //!< libcrypto's digest context
};

} // namespace ns3

#endif // BULLET_SHA256_H
