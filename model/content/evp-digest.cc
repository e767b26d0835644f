/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "evp-digest.h"

#include <openssl/evp.h>
#include <stdexcept>
#include <string>

namespace ns3
{

namespace
{

/// The error of libcrypto call \p call for algorithm \p name.
std::runtime_error
Failed(const char* name, const char* call)
{
    return std::runtime_error(std::string(name) + ": " + call + " failed");
}

} // namespace

EvpDigest::EvpDigest(Algorithm algorithm)
    : m_name(algorithm == SHA1 ? "SHA-1" : "SHA-256")
    , m_md(algorithm == SHA1 ? EVP_sha1() : EVP_sha256())
    , m_ctx(EVP_MD_CTX_new())
{
    if (m_ctx == nullptr)
    {
        throw Failed(m_name, "EVP_MD_CTX_new");
    }
    try
    {
        Begin();
    }
    catch (...)
    {
        EVP_MD_CTX_free(m_ctx);
        throw;
    }
}

EvpDigest::~EvpDigest()
{
    EVP_MD_CTX_free(m_ctx);
}

void
EvpDigest::Begin()
{
    if (m_md == nullptr || EVP_DigestInit_ex(m_ctx, m_md, nullptr) != 1)
    {
        throw Failed(m_name, "EVP_DigestInit_ex");
    }
}

void
EvpDigest::Update(const uint8_t* data, size_t len)
{
    if (len > 0 && EVP_DigestUpdate(m_ctx, data, len) != 1)
    {
        throw Failed(m_name, "EVP_DigestUpdate");
    }
}

void
EvpDigest::Finish(uint8_t* out, size_t size)
{
    if (size != static_cast<size_t>(EVP_MD_size(m_md)))
    {
        throw std::runtime_error(std::string(m_name) + ": a digest buffer of "
                                 + std::to_string(size) + " bytes");
    }
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(m_ctx, out, &len) != 1 || len != size)
    {
        throw Failed(m_name, "EVP_DigestFinal_ex");
    }
    Begin();
}

} // namespace ns3
