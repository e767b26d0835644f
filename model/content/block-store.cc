/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "block-store.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace ns3
{

BlockStore::BlockStore(const BlockManifest& manifest)
    : m_manifest(manifest)
    , m_keepBytes(!manifest.IsVirtual())
    , m_held(manifest.GetNumBlocks())
{
}

BlockStore
BlockStore::KeepBytesCheckedElsewhere(uint64_t fileSize, uint32_t blockSize)
{
    BlockStore store(BlockManifest::Make(FileContent::Virtual(fileSize), blockSize));
    store.m_keepBytes = true;
    return store;
}

bool
BlockStore::HoldsBytes() const
{
    return m_keepBytes;
}

BlockStore::Result
BlockStore::Store(uint32_t block, const uint8_t* data, size_t len)
{
    if (block >= m_manifest.GetNumBlocks())
    {
        ++m_rejected;
        return REJECTED;
    }
    if (m_held.Has(block))
    {
        ++m_duplicates;
        return DUPLICATE;
    }
    if (!m_manifest.Verify(block, data, len))
    {
        ++m_rejected;
        return REJECTED;
    }
    if (m_keepBytes)
    {
        if (m_bytes.empty())
        {
            m_bytes.resize(static_cast<size_t>(m_manifest.GetFileSize()));
        }
        std::copy(data, data + len, m_bytes.begin() + uint64_t(block) * m_manifest.GetBlockSize());
    }
    m_held.Set(block);
    m_bytesVerified += len;
    return STORED;
}

bool
BlockStore::Has(uint32_t block) const
{
    return m_held.Has(block);
}

uint32_t
BlockStore::GetStoredCount() const
{
    return m_held.Count();
}

uint64_t
BlockStore::GetRejectedCount() const
{
    return m_rejected;
}

uint64_t
BlockStore::GetDuplicateCount() const
{
    return m_duplicates;
}

uint64_t
BlockStore::GetBytesVerified() const
{
    return m_bytesVerified;
}

bool
BlockStore::IsComplete() const
{
    return m_held.IsComplete();
}

const BlockBitmap&
BlockStore::GetHeld() const
{
    return m_held;
}

const BlockManifest&
BlockStore::GetManifest() const
{
    return m_manifest;
}

void
BlockStore::ReadBlock(uint32_t block, std::vector<uint8_t>& out) const
{
    if (block >= m_manifest.GetNumBlocks())
    {
        throw std::out_of_range("BlockStore::ReadBlock: block " + std::to_string(block)
                                + " of a file of " + std::to_string(m_manifest.GetNumBlocks())
                                + " blocks");
    }
    if (!m_held.Has(block))
    {
        throw std::logic_error("BlockStore::ReadBlock: block " + std::to_string(block)
                               + " is not held");
    }
    uint32_t len = m_manifest.GetBlockBytes(block);
    if (!m_keepBytes)
    {
        out.assign(len, 0);
        return;
    }
    auto start = m_bytes.begin() + uint64_t(block) * m_manifest.GetBlockSize();
    out.assign(start, start + len);
}

Sha256Digest
BlockStore::ComputeFileDigest() const
{
    if (!m_keepBytes)
    {
        throw std::logic_error("BlockStore::ComputeFileDigest: a virtual store holds no bytes");
    }
    if (!IsComplete())
    {
        throw std::logic_error("BlockStore::ComputeFileDigest: " + std::to_string(GetStoredCount())
                               + " of " + std::to_string(m_manifest.GetNumBlocks())
                               + " blocks held");
    }
    return Sha256::Of(m_bytes.data(), m_bytes.size());
}

void
BlockStore::WriteTo(const std::string& path) const
{
    const std::string what = "cannot write file '" + path + "': ";
    if (!m_keepBytes)
    {
        throw std::runtime_error(what + "the run carries virtual payloads (no bytes)");
    }
    if (!IsComplete())
    {
        throw std::runtime_error(what + std::to_string(GetStoredCount()) + " of "
                                 + std::to_string(m_manifest.GetNumBlocks()) + " blocks held");
    }
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr)
    {
        throw std::runtime_error(what + std::strerror(errno));
    }
    bool ok = std::fwrite(m_bytes.data(), 1, m_bytes.size(), f) == m_bytes.size();
    int err = errno;
    if (std::fclose(f) != 0 && ok)
    {
        ok = false;
        err = errno;
    }
    if (!ok)
    {
        std::remove(path.c_str());
        throw std::runtime_error(what + std::strerror(err));
    }
}

} // namespace ns3
