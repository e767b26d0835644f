/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BLOCK_STORE_H
#define BULLET_BLOCK_STORE_H

#include "ns3/block-bitmap.h"
#include "ns3/block-manifest.h"
#include "ns3/sha256.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief A receiver's copy of the file: blocks verified against the manifest before they count.
 *
 * Store() checks a block's number, length and SHA-256 against the manifest; a bad block is
 * counted (GetRejectedCount()) and nothing of it is kept, so a later good copy of the same
 * block is still stored. A copy of a block already held is a DUPLICATE and is discarded
 * without being hashed. Once complete, the reassembled file's digest can be compared with the
 * source's and the file written out.
 *
 * The bytes take the whole file's size from the first block stored on. With a virtual
 * manifest the store holds no bytes and Store() checks only the length, unless it was made
 * with KeepBytesCheckedElsewhere(): then it keeps the bytes of blocks whose protocol checked
 * them itself (BitTorrent's SHA-1 per piece, for a receiver that has only the .torrent).
 */
class BlockStore
{
  public:
    /// What Store() did with a block.
    enum Result
    {
        STORED,    //!< verified and new: it now counts
        DUPLICATE, //!< already held: discarded
        REJECTED,  //!< beyond the file, wrong length or digest mismatch: discarded and counted
    };

    /// An empty copy of the file \p manifest describes.
    explicit BlockStore(const BlockManifest& manifest);

    /**
     * An empty copy of a file of \p fileSize bytes in blocks of \p blockSize whose blocks the
     * caller has checked before Store() (a protocol with digests of its own): Store() checks
     * only numbers and lengths, and keeps the bytes.
     * \throws std::invalid_argument for a size the manifest format cannot describe
     */
    static BlockStore KeepBytesCheckedElsewhere(uint64_t fileSize, uint32_t blockSize);
    /// True if the store keeps bytes (a real manifest, or KeepBytesCheckedElsewhere()).
    bool HoldsBytes() const;

    /// Verifies and keeps block \p block, the \p len bytes at \p data.
    Result Store(uint32_t block, const uint8_t* data, size_t len);

    /// True if block \p block is held (false beyond the file).
    bool Has(uint32_t block) const;
    /// Distinct blocks held.
    uint32_t GetStoredCount() const;
    /// Blocks rejected so far (each bad copy counts).
    uint64_t GetRejectedCount() const;
    /// Blocks discarded as duplicates so far.
    uint64_t GetDuplicateCount() const;
    /// Bytes of the blocks stored (each verified once).
    uint64_t GetBytesVerified() const;
    /// True once every block is held.
    bool IsComplete() const;
    /// The blocks held.
    const BlockBitmap& GetHeld() const;
    /// The manifest blocks are checked against.
    const BlockManifest& GetManifest() const;

    /**
     * Copies held block \p block into \p out, resized to its length (zeros if virtual), e.g.
     * to serve it to a peer.
     * \throws std::out_of_range beyond the file; std::logic_error if the block is not held
     */
    void ReadBlock(uint32_t block, std::vector<uint8_t>& out) const;

    /// SHA-256 of the reassembled file. \throws std::logic_error unless complete and
    /// HoldsBytes()
    Sha256Digest ComputeFileDigest() const;

    /// Writes the reassembled file to \p path (replacing it). \throws std::runtime_error if
    /// the store is incomplete or holds no bytes, or the file cannot be written (the message names
    /// the path; a partly written file is removed).
    void WriteTo(const std::string& path) const;

  private:
    BlockManifest m_manifest;     //!< what blocks are checked against
    bool m_keepBytes{false};      //!< bytes are kept (a real manifest, or checked elsewhere)
    BlockBitmap m_held;           //!< blocks held
    std::vector<uint8_t> m_bytes; //!< the file's bytes (sized at the first block stored)
    uint64_t m_rejected{0};       //!< bad blocks
    uint64_t m_duplicates{0};     //!< duplicate blocks
    uint64_t m_bytesVerified{0};  //!< bytes of blocks stored
};

} // namespace ns3

#endif // BULLET_BLOCK_STORE_H
