/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_SPLITSTREAM_FILES_APPLICATION_H
#define BULLET_SPLITSTREAM_FILES_APPLICATION_H

#include "ns3/event-id.h"
#include "ns3/file-distribution-application.h"
#include "ns3/splitstream-forest.h"

namespace ns3
{

class TcpDataTransport;

/**
 * \ingroup bullet
 * \brief SplitStream for a file, as the 2008 paper ran its MACEDON SplitStream (Sections
 * 4.1.3, 4.4; Figures 13 and 24): blocks round-robin over the stripes, pushed down the
 * stripe trees over TCP; no erasure code ran, a node completes at ceil(1.04 n) distinct
 * blocks of an n-block file (the registry's `splitstream` sets EncodingOverhead to 0.04).
 *
 * The source makes increasing block numbers and sends block b on stripe b mod 16 to that
 * stripe's root, strictly in turn: it waits while the next stripe's root has QueueLimit
 * blocks queued in front of its socket (the TcpDataTransport's), so the slowest stripe paces
 * the source, as one MACEDON send queue per stripe would. Every node forwards a block new to
 * it to its children in the block's stripe; a child whose queue is full misses that block
 * (as its subtree does: a stripe tree has no other path). Block numbers below the file's
 * block count carry the file's bytes (checked against the manifest), higher ones zeros.
 */
class SplitStreamFilesApplication : public FileDistributionApplication
{
  public:
    static TypeId GetTypeId();
    SplitStreamFilesApplication();

    /// The node's forest state (after start).
    Ptr<SplitStreamForest> GetForest() const;
    /// At the source: block numbers made so far.
    uint32_t GetBlocksMade() const;
    /// Blocks a child's full queue refused.
    uint64_t GetRefusedSends() const;

  protected:
    void DoDispose() override;
    void DoStart() override;
    void DoStop() override;
    void DoAssignStreams(int64_t stream) override;
    void ReceiveData(Ipv4Address from, Ptr<Packet> packet) override;

  private:
    void MakeBlocks();
    void OnSendReady(Ipv4Address peer);
    /// Sends block \p block's packet to its stripe's targets. \returns how many took it
    uint32_t Push(uint32_t block, Ptr<Packet> packet, Ipv4Address from);

    Ptr<SplitStreamForest> m_forest;
    Ptr<TcpDataTransport> m_blocks;
    uint32_t m_queueLimit{1};
    int64_t m_stream{-1};
    uint32_t m_next{0};
    EventId m_retry;
    uint64_t m_refused{0};
};

} // namespace ns3

#endif // BULLET_SPLITSTREAM_FILES_APPLICATION_H
