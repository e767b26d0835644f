/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "block-manifest.h"

#include <algorithm>
#include <stdexcept>

namespace ns3
{

namespace
{

/// ceil(fileSize / blockSize) without overflow (blockSize > 0).
uint64_t
CountBlocks(uint64_t fileSize, uint32_t blockSize)
{
    return fileSize / blockSize + (fileSize % blockSize != 0 ? 1 : 0);
}

/// Returned for the digests of a virtual manifest.
const Sha256Digest kZeroDigest{};

/// Bytes of the wire form before the digests.
constexpr uint32_t kFixedBytes = 1 + 1 + 8 + 4 + 4;
constexpr uint8_t kFlagVirtual = 0x01;

} // namespace

BlockManifest::BlockManifest() = default;

BlockManifest
BlockManifest::Make(const FileContent& content, uint32_t blockSize)
{
    if (blockSize == 0)
    {
        throw std::invalid_argument("BlockManifest::Make: block size 0");
    }
    uint64_t numBlocks = CountBlocks(content.GetSize(), blockSize);
    if (numBlocks > kMaxBlocks)
    {
        throw std::invalid_argument(
            "BlockManifest::Make: a file of " + std::to_string(content.GetSize())
            + " bytes in blocks of " + std::to_string(blockSize) + " has "
            + std::to_string(numBlocks) + " blocks, more than " + std::to_string(kMaxBlocks));
    }
    BlockManifest m;
    m.m_fileSize = content.GetSize();
    m.m_blockSize = blockSize;
    m.m_numBlocks = static_cast<uint32_t>(numBlocks);
    m.m_virtual = content.IsVirtual();
    m.m_fileDigest = Sha256Digest{};
    if (m.m_virtual)
    {
        return m;
    }
    m.m_blockDigest.resize(m.m_numBlocks);
    const uint8_t* data = content.GetData();
    Sha256 block;
    Sha256 file;
    for (uint32_t b = 0; b < m.m_numBlocks; ++b)
    {
        const uint8_t* start = data + uint64_t(b) * blockSize;
        uint32_t len = m.GetBlockBytes(b);
        block.Update(start, len);
        m.m_blockDigest[b] = block.Finish();
        file.Update(start, len);
    }
    m.m_fileDigest = file.Finish();
    return m;
}

bool
BlockManifest::IsVirtual() const
{
    return m_virtual;
}

uint64_t
BlockManifest::GetFileSize() const
{
    return m_fileSize;
}

uint32_t
BlockManifest::GetBlockSize() const
{
    return m_blockSize;
}

uint32_t
BlockManifest::GetNumBlocks() const
{
    return m_numBlocks;
}

uint32_t
BlockManifest::GetBlockBytes(uint32_t block) const
{
    if (block >= m_numBlocks)
    {
        return 0;
    }
    uint64_t offset = uint64_t(block) * m_blockSize;
    return static_cast<uint32_t>(std::min<uint64_t>(m_blockSize, m_fileSize - offset));
}

const Sha256Digest&
BlockManifest::GetBlockDigest(uint32_t block) const
{
    if (block >= m_numBlocks)
    {
        throw std::out_of_range("BlockManifest::GetBlockDigest: block " + std::to_string(block)
                                + " of a file of " + std::to_string(m_numBlocks) + " blocks");
    }
    return m_virtual ? kZeroDigest : m_blockDigest[block];
}

const Sha256Digest&
BlockManifest::GetFileDigest() const
{
    return m_fileDigest;
}

bool
BlockManifest::Verify(uint32_t block, const uint8_t* data, size_t len) const
{
    if (block >= m_numBlocks || len != GetBlockBytes(block))
    {
        return false;
    }
    if (m_virtual)
    {
        return true;
    }
    if (data == nullptr)
    {
        return false;
    }
    return Sha256::Of(data, len) == m_blockDigest[block];
}

std::string
BlockManifest::ToHex(const Sha256Digest& digest)
{
    static const char kHex[] = "0123456789abcdef";
    std::string s;
    s.reserve(2 * digest.size());
    for (uint8_t b : digest)
    {
        s.push_back(kHex[b >> 4]);
        s.push_back(kHex[b & 0x0f]);
    }
    return s;
}

uint32_t
BlockManifest::GetSerializedSize() const
{
    if (m_virtual)
    {
        return kFixedBytes;
    }
    return kFixedBytes + 32 * (1 + m_numBlocks);
}

void
BlockManifest::Serialize(Buffer::Iterator& it) const
{
    it.WriteU8(kWireVersion);
    it.WriteU8(m_virtual ? kFlagVirtual : 0);
    it.WriteHtonU64(m_fileSize);
    it.WriteHtonU32(m_blockSize);
    it.WriteHtonU32(m_numBlocks);
    if (m_virtual)
    {
        return;
    }
    it.Write(m_fileDigest.data(), m_fileDigest.size());
    for (const Sha256Digest& d : m_blockDigest)
    {
        it.Write(d.data(), d.size());
    }
}

bool
BlockManifest::Deserialize(WireReader& reader)
{
    uint8_t version = reader.ReadU8();
    uint8_t flags = reader.ReadU8();
    uint64_t fileSize = reader.ReadNtohU64();
    uint32_t blockSize = reader.ReadNtohU32();
    uint32_t numBlocks = reader.ReadNtohU32();
    if (!reader.Ok())
    {
        return false;
    }
    if (version != kWireVersion)
    {
        reader.Fail("block manifest: version " + std::to_string(version) + ", expected "
                    + std::to_string(kWireVersion));
        return false;
    }
    if ((flags & ~kFlagVirtual) != 0)
    {
        reader.Fail("block manifest: unknown flags " + std::to_string(flags));
        return false;
    }
    if (fileSize == 0 || blockSize == 0)
    {
        reader.Fail("block manifest: zero file or block size");
        return false;
    }
    if (numBlocks > kMaxBlocks)
    {
        reader.Fail("block manifest: " + std::to_string(numBlocks) + " blocks, more than "
                    + std::to_string(kMaxBlocks));
        return false;
    }
    if (CountBlocks(fileSize, blockSize) != numBlocks)
    {
        reader.Fail("block manifest: " + std::to_string(numBlocks) + " blocks cannot hold "
                    + std::to_string(fileSize) + " bytes in blocks of "
                    + std::to_string(blockSize));
        return false;
    }
    bool isVirtual = (flags & kFlagVirtual) != 0;
    Sha256Digest fileDigest{};
    std::vector<Sha256Digest> blockDigest;
    if (!isVirtual)
    {
        // numBlocks <= kMaxBlocks keeps this within 32 bits; check it all arrived before
        // allocating anything for it.
        if (!reader.Require(32 * (1 + numBlocks), "block manifest digests"))
        {
            return false;
        }
        reader.Read(fileDigest.data(), fileDigest.size());
        blockDigest.resize(numBlocks);
        for (Sha256Digest& d : blockDigest)
        {
            reader.Read(d.data(), d.size());
        }
        if (!reader.Ok())
        {
            return false;
        }
        if (numBlocks == 1 && fileDigest != blockDigest[0])
        {
            reader.Fail("block manifest: the file digest of a one-block file differs from its "
                        "block digest");
            return false;
        }
    }
    m_fileSize = fileSize;
    m_blockSize = blockSize;
    m_numBlocks = numBlocks;
    m_virtual = isVirtual;
    m_fileDigest = fileDigest;
    m_blockDigest = std::move(blockDigest);
    return true;
}

bool
BlockManifest::operator==(const BlockManifest& other) const
{
    return m_fileSize == other.m_fileSize && m_blockSize == other.m_blockSize
           && m_numBlocks == other.m_numBlocks && m_virtual == other.m_virtual
           && m_fileDigest == other.m_fileDigest && m_blockDigest == other.m_blockDigest;
}

} // namespace ns3
