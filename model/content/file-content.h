/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_FILE_CONTENT_H
#define BULLET_FILE_CONTENT_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief The bytes of the file a source distributes: read from disk, generated, or virtual.
 *
 * The bytes are held once, behind a shared pointer, so copies of a FileContent are cheap and
 * share them; they never change after construction. Virtual content has a size and no bytes,
 * for runs too large to carry real payloads: its blocks read as zeros.
 *
 * Generated content is deterministic on every machine: byte j is byte (j mod 8), least
 * significant first, of the 64-bit word w(j / 8), where w(i) = mix(mix(seed) + (i + 1) *
 * 0x9e3779b97f4a7c15) and mix is the SplitMix64 finaliser (Steele, Lea and Flood, OOPSLA
 * 2014); a shorter file of the same seed is a prefix of a longer one.
 */
class FileContent
{
  public:
    /**
     * The contents of the file at \p path.
     * \throws std::runtime_error if the file is missing, unreadable, not a regular file or
     * empty; the message names the path and the reason.
     */
    static FileContent FromFile(const std::string& path);
    /// Content holding \p bytes. \throws std::runtime_error if \p bytes is empty.
    static FileContent FromBytes(std::vector<uint8_t> bytes);
    /// \p size deterministic pseudo-random bytes from \p seed. \throws std::runtime_error if
    /// \p size is 0 or cannot be held in memory.
    static FileContent Generate(uint64_t size, uint64_t seed);
    /// A file of \p size bytes that holds none (IsVirtual()). \throws std::runtime_error if
    /// \p size is 0.
    static FileContent Virtual(uint64_t size);

    /// Size of the file in bytes.
    uint64_t GetSize() const;
    /// True if the content carries sizes only.
    bool IsVirtual() const;
    /// The bytes (GetSize() of them), or nullptr for virtual content.
    const uint8_t* GetData() const;

    /**
     * Copies block \p block of a file cut into blocks of \p blockSize bytes into \p out,
     * resized to the block's length (the last block may be short). Virtual content reads as
     * zeros of that length.
     * \throws std::invalid_argument if \p blockSize is 0
     * \throws std::out_of_range if the block starts beyond the end of the file
     */
    void ReadBlock(uint32_t block, uint32_t blockSize, std::vector<uint8_t>& out) const;

  private:
    FileContent(uint64_t size, std::shared_ptr<const std::vector<uint8_t>> bytes);

    uint64_t m_size;                                     //!< file size in bytes
    std::shared_ptr<const std::vector<uint8_t>> m_bytes; //!< the bytes; null if virtual
};

} // namespace ns3

#endif // BULLET_FILE_CONTENT_H
