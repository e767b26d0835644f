/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BLOCK_MANIFEST_H
#define BULLET_BLOCK_MANIFEST_H

#include "ns3/buffer.h"
#include "ns3/checked-header.h"
#include "ns3/file-content.h"
#include "ns3/sha256.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief What a receiver checks blocks against: the file's size, block size and the SHA-256
 * of every block and of the whole file (as a torrent's piece hashes).
 *
 * The source makes it from its FileContent; a receiver verifies each block before it counts.
 * A manifest of virtual content has the sizes only: Verify() then checks lengths, and the
 * digests read as zeros.
 *
 * Wire form (big-endian): u8 version (1), u8 flags (bit 0: virtual; other bits zero), u64
 * file size, u32 block size, u32 number of blocks; unless virtual, then the 32-byte file
 * digest and the 32-byte digest of each block in order. Rejected: another version, unknown
 * flags, a zero file or block size, a block count that is not ceil(file size / block size) or
 * exceeds kMaxBlocks (checked before anything is allocated), fewer digest bytes than the count
 * needs, and a one-block manifest whose file digest differs from its block digest.
 */
class BlockManifest
{
  public:
    /// Most blocks a manifest may have (2^24: 256 GiB in 16 kB blocks, 512 MiB of digests).
    static constexpr uint32_t kMaxBlocks = 1u << 24;
    /// Wire version written and accepted.
    static constexpr uint8_t kWireVersion = 1;

    /// A virtual manifest of a one-byte file in one block; mostly a target for Deserialize().
    BlockManifest();

    /**
     * The manifest of \p content cut into blocks of \p blockSize bytes (digests unless the
     * content is virtual).
     * \throws std::invalid_argument if \p blockSize is 0 or the file has more than kMaxBlocks
     * blocks
     */
    static BlockManifest Make(const FileContent& content, uint32_t blockSize);

    /// True if the manifest has sizes only, no digests.
    bool IsVirtual() const;
    /// Size of the file in bytes.
    uint64_t GetFileSize() const;
    /// Bytes of every block but possibly the last.
    uint32_t GetBlockSize() const;
    /// Blocks of the file: ceil(file size / block size).
    uint32_t GetNumBlocks() const;
    /// Bytes of block \p block (the last may be short); 0 beyond the file.
    uint32_t GetBlockBytes(uint32_t block) const;
    /// SHA-256 of block \p block (zeros if virtual). \throws std::out_of_range beyond the file
    const Sha256Digest& GetBlockDigest(uint32_t block) const;
    /// SHA-256 of the whole file (zeros if virtual).
    const Sha256Digest& GetFileDigest() const;

    /**
     * True if the \p len bytes at \p data are block \p block of the file: false beyond the
     * file, for a wrong length or for a digest mismatch. Virtual: true whenever the length is
     * right (\p data is not read and may be null).
     */
    bool Verify(uint32_t block, const uint8_t* data, size_t len) const;

    /// \p digest in lower-case hexadecimal (64 characters).
    static std::string ToHex(const Sha256Digest& digest);

    /// Bytes of the wire form: 20, plus 32 * (1 + blocks) unless virtual.
    uint32_t GetSerializedSize() const;
    /// Writes the wire form at \p it and advances it past what was written.
    void Serialize(Buffer::Iterator& it) const;
    /// Reads a wire form; on malformed input returns false and leaves the manifest unchanged.
    bool Deserialize(WireReader& reader);

    /// Same sizes, mode and digests.
    bool operator==(const BlockManifest& other) const;

  private:
    uint64_t m_fileSize{1};                  //!< bytes in the file
    uint32_t m_blockSize{1};                 //!< bytes per block (the last may be short)
    uint32_t m_numBlocks{1};                 //!< ceil(file size / block size)
    bool m_virtual{true};                    //!< sizes only
    Sha256Digest m_fileDigest{};             //!< SHA-256 of the file (zeros if virtual)
    std::vector<Sha256Digest> m_blockDigest; //!< per block (empty if virtual)
};

} // namespace ns3

#endif // BULLET_BLOCK_MANIFEST_H
