/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BULLET_FILES_APPLICATION_H
#define BULLET_BULLET_FILES_APPLICATION_H

#include "ns3/bullet-protocol.h"
#include "ns3/event-id.h"
#include "ns3/file-distribution-application.h"
#include "ns3/traced-callback.h"

#include <memory>
#include <vector>

namespace ns3
{

class TcpDataTransport;

/**
 * \ingroup bullet
 * \brief "Bullet for files" (Kostić et al., ACM TOCS 2008, Sections 4.1.3, 4.3.2 and 4.4.2):
 * the 2003 Bullet protocol, unchanged, carrying a file's blocks as its stream.
 *
 * The 2008 paper's download application, in encoded mode, generates continually increasing
 * block numbers and multicasts them through Bullet; every node completes once it holds
 * enough distinct blocks for an erasure code to rebuild the file (the paper ran no code: it
 * set the overhead to 4%, so a node completes at ceil(1.04 n) distinct blocks of an n-block
 * file; the registry's `bullet` sets EncodingOverhead to 0.04).
 *
 * - The source: while one of its tree children's transports has room (fewer than its
 *   TcpDataTransport's QueueLimit blocks waiting in front of the socket: the paper's MACEDON
 *   TCP queues shrunk to one block per peer), it makes the next block number and hands it to
 *   Bullet, which splits it among the children (Figure 5's sending and limiting factors, so
 *   the source sends some blocks to more than one child: its limiting-factor duplicates,
 *   4.4.2.2) and offers it to its mesh receivers. It stops at the end of the block space.
 * - Everyone: a block new to the node goes into its working set, down the tree and to its
 *   mesh receivers (BulletProtocol, exactly as a stream packet does); a receiver refreshes
 *   its senders every RefreshPeriod (5 s) with its Bloom filter and a row of its sequence
 *   matrix, rows rotating at every refresh; a sender shuffles the blocks a refresh shows
 *   missing before sending them (4.3.2.1). 10 senders and 10 receivers at most.
 * - Blocks travel over TCP (TcpDataTransport), each behind a StreamHeader (its number, when
 *   the source made it). Blocks 0 .. n-1 are the file's own (a systematic code): with a
 *   manifest their bytes are carried and checked; higher numbers stand for the code's repair
 *   blocks and carry zeros. Nodes keep serving after they complete.
 */
class BulletFilesApplication
    : public FileDistributionApplication
    , public BulletAttributes
{
  public:
    static TypeId GetTypeId();
    BulletFilesApplication();

    /// The RanSub Bullet started (null before start).
    Ptr<RanSub> GetRanSub() const;
    /// The mesh peers sending to this node.
    std::vector<Ipv4Address> GetSenders() const;
    /// The mesh peers this node sends to.
    std::vector<Ipv4Address> GetReceivers() const;
    /// At the source: how many block numbers it has made (the next one it will make).
    uint32_t GetBlocksMade() const;
    /// Peering messages dropped as malformed.
    uint64_t GetMalformedPeerMessages() const;

    /// (block): the source made this block number and handed it to Bullet
    using BlockMadeTracedCallback = void (*)(uint32_t block);

  protected:
    void DoDispose() override;
    void DoStart() override;
    void DoStop() override;
    void ReceiveData(Ipv4Address from, Ptr<Packet> packet) override;

  private:
    /// The source makes blocks while a tree child's transport has room.
    void MakeBlocks();
    void OnSendReady(Ipv4Address peer);

    uint32_t m_windowBlocks;

    std::unique_ptr<BulletProtocol> m_protocol;
    Ptr<TcpDataTransport> m_blocks;
    uint32_t m_queueLimit{1};
    uint32_t m_next{0}; ///< source: the next block number to make
    EventId m_retry;    ///< source: the next look at its children (start, no child yet)

    TracedCallback<uint32_t> m_madeTrace;
};

} // namespace ns3

#endif // BULLET_BULLET_FILES_APPLICATION_H
