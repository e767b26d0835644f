/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sha256.h"

#include <openssl/evp.h>
#include <stdexcept>

namespace ns3
{

Sha256::Sha256()
    : m_ctx(EVP_MD_CTX_new())
{
    if (m_ctx == nullptr)
    {
        throw std::runtime_error("SHA-256: EVP_MD_CTX_new failed");
    }
    Begin();
}

Sha256::~Sha256()
{
    EVP_MD_CTX_free(m_ctx);
}

void
Sha256::Begin()
{
    if (EVP_DigestInit_ex(m_ctx, EVP_sha256(), nullptr) != 1)
    {
        throw std::runtime_error("SHA-256: EVP_DigestInit_ex failed");
    }
}

void
Sha256::Update(const uint8_t* data, size_t len)
{
    if (len > 0 && EVP_DigestUpdate(m_ctx, data, len) != 1)
    {
        throw std::runtime_error("SHA-256: EVP_DigestUpdate failed");
    }
}

Sha256Digest
Sha256::Finish()
{
    Sha256Digest digest{};
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(m_ctx, digest.data(), &len) != 1 || len != digest.size())
    {
        throw std::runtime_error("SHA-256: EVP_DigestFinal_ex failed");
    }
    Begin();
    return digest;
}

Sha256Digest
Sha256::Of(const uint8_t* data, size_t len)
{
    Sha256 hasher;
    hasher.Update(data, len);
    return hasher.Finish();
}

} // namespace ns3
