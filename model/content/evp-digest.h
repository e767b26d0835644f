/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_EVP_DIGEST_H
#define BULLET_EVP_DIGEST_H

#include <cstddef>
#include <cstdint>

// OpenSSL's types, declared here so that this header does not need OpenSSL's.
struct evp_md_ctx_st;
struct evp_md_st;

namespace ns3
{

/**
 * \ingroup bullet
 * \brief The one wrapper of OpenSSL's EVP digest interface that the module's hashers share
 * (Sha1, Sha256): a libcrypto digest context for one algorithm, restarted after each digest.
 *
 * Errors reported by libcrypto throw std::runtime_error naming the algorithm and the call.
 */
class EvpDigest
{
  public:
    /// The algorithms the module uses.
    enum Algorithm
    {
        SHA1,  //!< SHA-1 (FIPS 180-4), 20 bytes
        SHA256 //!< SHA-256 (FIPS 180-4), 32 bytes
    };

    /**
     * A context ready for a first message.
     * \param algorithm the digest to compute
     * \throws std::runtime_error if libcrypto cannot make or initialise the context
     */
    explicit EvpDigest(Algorithm algorithm);
    ~EvpDigest();
    EvpDigest(const EvpDigest&) = delete;
    EvpDigest& operator=(const EvpDigest&) = delete;

    /**
     * Appends bytes to the message.
     * \param data the bytes (may be null when \p len is 0)
     * \param len how many
     */
    void Update(const uint8_t* data, size_t len);
    /**
     * Writes the digest of everything appended since construction or the last Finish() and
     * starts a new message.
     * \param out where the digest goes
     * \param size the size of \p out
     * \throws std::runtime_error if \p size is not the algorithm's digest size
     */
    void Finish(uint8_t* out, size_t size);

  private:
    /// (Re)initialises the context for a new message.
    void Begin();

    const char* m_name;    //!< "SHA-1" or "SHA-256", for error messages
    const evp_md_st* m_md; //!< libcrypto's algorithm
    evp_md_ctx_st* m_ctx;  //!< libcrypto's digest context
};

/**
 * \ingroup bullet
 * \brief An incremental hasher producing fixed-size digests of type \p Digest (a std::array
 * of bytes) with algorithm \p A: the public face of Sha1 and Sha256.
 *
 * Update() any number of times, then Finish(), which returns the digest and makes the hasher
 * ready for a new message. Errors reported by libcrypto throw std::runtime_error.
 */
template<typename Digest, EvpDigest::Algorithm A>
class EvpHasher
{
  public:
    EvpHasher()
        : m_digest(A)
    {
    }

    /// Appends \p len bytes at \p data to the message (\p data may be null when \p len is 0).
    void
    Update(const uint8_t* data, size_t len)
    {
        m_digest.Update(data, len);
    }

    /// The digest of everything appended since construction or the last Finish().
    Digest
    Finish()
    {
        Digest digest{};
        m_digest.Finish(digest.data(), digest.size());
        return digest;
    }

    /// The digest of the \p len bytes at \p data.
    static Digest
    Of(const uint8_t* data, size_t len)
    {
        EvpHasher hasher;
        hasher.Update(data, len);
        return hasher.Finish();
    }

  private:
    EvpDigest m_digest; //!< libcrypto's context
};

} // namespace ns3

#endif // BULLET_EVP_DIGEST_H
