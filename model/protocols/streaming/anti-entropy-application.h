/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_ANTI_ENTROPY_APPLICATION_H
#define BULLET_ANTI_ENTROPY_APPLICATION_H

#include "ns3/random-variable-stream.h"
#include "ns3/stream-recovery.h"
#include "ns3/streaming-application.h"

#include <memory>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Streaming with anti-entropy recovery, pbcast-like, the second epidemic baseline of
 * the 2003 paper (Section 4.4; TOCS 2008 Section 5.6).
 *
 * Nodes get most of their data from their parent, as in tree streaming (every new packet
 * goes to every child). Every Epoch (20 s: time for TFRC to ramp up, as in the paper) a node
 * picks Peers (5) members at random from its full membership list and sends each its FIFO
 * Bloom filter: a counting filter over the packets of the last RecoveryWindow of the stream
 * (StreamRecovery's WorkingSet, whose window slides as packets arrive). A member receiving a
 * digest queues every packet it holds in the digest's range that the filter lacks, oldest
 * first, and sends them over the data transport as fast as the flow takes them. Unlike
 * Bullet, peers are chosen without regard to bandwidth or content, and nothing keeps
 * different peers from sending the same packets: the duplicates the paper measures.
 */
class AntiEntropyApplication : public StreamingApplication
{
  public:
    static constexpr uint16_t kDigest = 40;

    static TypeId GetTypeId();
    AntiEntropyApplication();

    const WorkingSet& GetWorkingSet() const;
    /// Packets sent to peers in answer to their digests.
    uint64_t GetRepairsSent() const;
    /// Digests received that were malformed.
    uint64_t GetRejectedDigests() const;

    /// (peer, packets queued for it): a digest arrived and was answered
    using RepairTracedCallback = void (*)(Ipv4Address peer, uint32_t queued);
    /// (peer): this node sent its digest to a peer
    using DigestTracedCallback = void (*)(Ipv4Address peer);

  protected:
    void DoDispose() override;
    void DoAssignStreams(int64_t stream) override;
    void DoStart() override;
    void DoStop() override;
    void Disseminate(const StreamHeader& header, Ptr<const Packet> packet,
                     Ipv4Address from) override;

  private:
    void EpochTick();
    void HandleDigest(Ipv4Address from, Ptr<Packet> p);
    void OnSendReady(Ipv4Address peer);

    // Attributes
    Time m_epoch;
    uint32_t m_peers;
    Time m_recoveryWindow;
    double m_falsePositive;

    std::unique_ptr<StreamRecovery> m_recovery;
    std::vector<Ipv4Address> m_view;
    Ptr<UniformRandomVariable> m_rng;
    EventId m_epochTimer;
    uint64_t m_repairsSent{0};
    uint64_t m_rejected{0};

    TracedCallback<Ipv4Address, uint32_t> m_repairTrace;
    TracedCallback<Ipv4Address> m_digestTrace;
};

} // namespace ns3

#endif // BULLET_ANTI_ENTROPY_APPLICATION_H
