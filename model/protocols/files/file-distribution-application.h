/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_FILE_DISTRIBUTION_APPLICATION_H
#define BULLET_FILE_DISTRIBUTION_APPLICATION_H

#include "ns3/block-bitmap.h"
#include "ns3/block-manifest.h"
#include "ns3/block-store.h"
#include "ns3/file-content.h"
#include "ns3/nstime.h"
#include "ns3/overlay-application.h"
#include "ns3/traced-callback.h"

#include <memory>
#include <optional>
#include <vector>

namespace ns3
{

class StreamHeader;

/**
 * \ingroup bullet
 * \brief What every file-distribution protocol of the 2008 paper adds to the overlay: a file
 * cut into blocks, which blocks this node holds, when it completes, and the block traces
 * experiments measure (Bullet', BitTorrent, Bullet and SplitStream for files derive from it).
 *
 * The file is FileSize bytes in blocks of BlockSize (16 kB in the paper, BitTorrent's
 * subpiece size). The source holds every block from the start. Protocols that stand for an
 * erasure code, as the paper runs Bullet and SplitStream, set EncodingOverhead (the paper:
 * 4%): block numbers then go beyond the file's block count and a node completes once it holds
 * ceil((1 + overhead) * blocks) distinct ones. The code is taken as systematic: block numbers
 * below GetNumBlocks() are the file's own blocks (with a manifest, their bytes are carried and
 * checked as without a code), higher ones stand for its repair blocks, full-size and zeros
 * (no decoder runs: a receiver's BlockStore holds the file's blocks it got, not the file).
 * Unlike streaming, protocols pull blocks: the base class keeps the books (BlockArrived,
 * SendBlock) and leaves every decision to them.
 */
class FileDistributionApplication : public OverlayApplication
{
  public:
    static TypeId GetTypeId();
    FileDistributionApplication();

    /**
     * Real bytes: the source gets the file and its manifest (per-block SHA-256), a receiver
     * the manifest; set before start. The manifest's file and block sizes then replace the
     * FileSize and BlockSize attributes. A receiver with a (non-virtual) manifest checks every
     * block against it and keeps the bytes in a BlockStore; without one, payloads are zeros
     * of the right size (a virtual payload).
     */
    void SetContent(const FileContent& content, const BlockManifest& manifest);
    void SetManifest(const BlockManifest& manifest);
    /// A receiver's verified blocks (null without a real manifest, and at the source).
    const BlockStore* GetStore() const;
    /// Bytes of blocks that passed the manifest's check.
    uint64_t GetBytesVerified() const;

    uint64_t GetFileSize() const;
    uint32_t GetBlockSize() const;
    /// Blocks of the file: ceil(FileSize / BlockSize).
    uint32_t GetNumBlocks() const;
    /// Distinct blocks a node needs to complete: ceil((1 + EncodingOverhead) * GetNumBlocks()).
    uint32_t GetBlocksNeeded() const;
    /// Bytes of block \p block on the wire (the file's last block may be short; a coded
    /// file's repair blocks are BlockSize).
    uint32_t GetBlockBytes(uint32_t block) const;
    bool HasBlock(uint32_t block) const;
    /// The blocks held, over the file's block numbers (GetBlockSpace(); after start).
    const BlockBitmap& GetHoldings() const;
    /// Distinct blocks held.
    uint32_t GetBlocksHeld() const;
    bool IsComplete() const;
    /// When this node completed, from its start (only if IsComplete()).
    Time GetCompletionTime() const;
    /// Block numbers received that no block of this file can have.
    uint64_t GetMalformedCount() const;
    /// Blocks whose bytes failed the check (AcceptBlock).
    uint64_t GetRejectedBlocks() const;
    /// Block packets whose stream header failed to parse (AcceptStreamBlock).
    uint64_t GetMalformedData() const;

    /// (from, block, bytes, duplicate)
    using BlockRxTracedCallback
        = void (*)(Ipv4Address from, uint32_t block, uint32_t bytes, bool duplicate);
    /// (to, block, bytes)
    using BlockTxTracedCallback = void (*)(Ipv4Address to, uint32_t block, uint32_t bytes);
    /// (time from start to completion)
    using CompleteTracedCallback = void (*)(Time elapsed);

  protected:
    void StartApplication() override;

    /**
     * Books a block that arrived from \p from: traces it and, if it is new, records it (and
     * completion). A block number no block of this file can have is counted as malformed.
     * \returns true if the block is new to this node
     */
    bool BlockArrived(Ipv4Address from, uint32_t block, uint32_t bytes);
    /// Non-blocking send of block \p block's packet over the data transport; traces accepted
    /// sends.
    bool SendBlock(Ipv4Address to, Ptr<Packet> packet, uint32_t block);
    /// The payload of block \p block as this node holds it (its bytes, GetBlockBytes() long;
    /// zeros for a coded file's repair blocks and without real bytes).
    Ptr<Packet> MakeBlockPayload(uint32_t block) const;
    /**
     * A block's payload arrived (its protocol header removed; \p wireBytes counted it): checks
     * the bytes and books it as BlockArrived does. A payload that fails the check is counted
     * (GetRejectedBlocks) and dropped.
     * \returns true if the block is new to this node and good
     */
    bool AcceptBlock(Ipv4Address from, uint32_t block, Ptr<const Packet> payload,
                     uint32_t wireBytes);
    /// What AcceptStreamBlock made of a packet.
    enum class StreamBlock
    {
        Bad,       ///< counted: a malformed header, bad bytes or a number no block has
        Duplicate, ///< a good block this node already held
        Fresh,     ///< a good block new to this node
    };
    /**
     * A block that arrived as a stream packet (a StreamHeader whose seq is the block number,
     * then the block's bytes, as Bullet and SplitStream send them): parses the header (a
     * malformed one is counted, GetMalformedData) and books the payload as AcceptBlock does.
     * \param header set to the parsed header
     */
    StreamBlock AcceptStreamBlock(Ipv4Address from, Ptr<const Packet> packet, StreamHeader& header);
    /// Traces a block the transport took (for protocols that send through their own path).
    void NotifyBlockSent(Ipv4Address to, uint32_t block, uint32_t bytes);
    /// Traces a copy of block \p block that arrived while it was already on its way or held
    /// (for protocols that book blocks only after a larger unit checks, e.g. BitTorrent's
    /// pieces).
    void NotifyDuplicate(Ipv4Address from, uint32_t block, uint32_t bytes);
    /// Counts \p blocks blocks whose bytes failed a protocol's own check (GetRejectedBlocks).
    void CountRejected(uint32_t blocks);
    /**
     * For a receiver without a manifest whose protocol checks the bytes itself (BitTorrent
     * with only the .torrent, as from a real client): from now on AcceptBlock keeps the bytes
     * of the blocks it books, checked by number and length only, so that GetStore() holds the
     * file. Call at start (DoStart); nothing happens at the source or with a store already.
     */
    void KeepBytesCheckedByProtocol();
    /// The largest block number this file's blocks (encoded ones included) can have, plus one.
    uint32_t GetBlockSpace() const;

  private:
    void Hold(uint32_t block);

    uint64_t m_malformedData{0};

    uint64_t m_fileSize;
    uint32_t m_blockSize;
    double m_encodingOverhead;

    BlockBitmap m_have;
    std::optional<BlockManifest> m_manifest;
    std::optional<FileContent> m_content;
    std::unique_ptr<BlockStore> m_store;
    Time m_started;
    Time m_completed;
    bool m_complete{false};
    uint64_t m_malformed{0};
    uint64_t m_rejected{0};

    TracedCallback<Ipv4Address, uint32_t, uint32_t, bool> m_rxTrace;
    TracedCallback<Ipv4Address, uint32_t, uint32_t> m_txTrace;
    TracedCallback<Time> m_completeTrace;
};

} // namespace ns3

#endif // BULLET_FILE_DISTRIBUTION_APPLICATION_H
