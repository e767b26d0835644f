/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_STREAM_RECOVERY_H
#define BULLET_STREAM_RECOVERY_H

#include "ns3/checked-header.h"
#include "ns3/counting-bloom-filter.h"
#include "ns3/data-rate.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/stream-header.h"
#include "ns3/working-set.h"

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief What a streaming node tells a peer it holds: the Bloom filter of its working set
 * and the range [low, high] of sequence numbers it would like completed.
 *
 * The one digest of the streaming protocols: anti-entropy sends it as is (type 40), and
 * Bullet's peering messages (BulletPeerHeader) are this digest plus a row assignment.
 */
class StreamDigestHeader : public CheckedHeader
{
  public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    BloomFilter filter;
    uint32_t low{0};
    uint32_t high{0};

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

  protected:
    void DoDeserialize(WireReader& reader) override;
    /// Writes the digest's fields at \p it (for headers that extend the digest).
    void SerializeDigest(Buffer::Iterator& it) const;
};

/**
 * \ingroup bullet
 * \brief The recovery machinery the mesh and epidemic streaming protocols share (Bullet's
 * peers, anti-entropy's reconciliations): the working set of the last RecoveryWindow of the
 * stream, the creation time of each packet in it (to rebuild a packet for a peer), the
 * digest of what this node holds, what a peer's digest lacks, and per-peer backlogs of
 * packets owed, drained as the data transport takes them.
 *
 * No simulator inside: the owner feeds packets in (Hold), hands digests over (Missing, Owe)
 * and calls Pump when the transport has room (DataTransport's send-ready callback).
 */
class StreamRecovery
{
  public:
    /**
     * Sends a rebuilt packet to a peer without blocking; false if the transport refused it
     * (the packet stays owed). The owner accounts for accepted sends inside.
     */
    using SendFn = std::function<bool(Ipv4Address peer, Ptr<Packet> packet, uint32_t seq)>;
    /**
     * The payload of held packet \p seq, as it goes behind its StreamHeader to a peer (a
     * file's block, for Bullet over a file).
     */
    using PayloadFn = std::function<Ptr<Packet>(uint32_t seq)>;

    /**
     * \param window the working set's size in packets (WindowPackets)
     * \param falsePositiveRate target rate of a full window's Bloom filter
     * \param packetSize bytes of a rebuilt packet, stream header included
     * \param perms the summary ticket's permutations (null: the default 30 entries)
     */
    StreamRecovery(uint32_t window, double falsePositiveRate, uint32_t packetSize,
                   std::shared_ptr<const MinWisePermutations> perms = nullptr);

    /// Packets in \p duration of a stream at \p rate (at least 64): the working set's size.
    static uint32_t WindowPackets(Time duration, DataRate rate, uint32_t packetSize);

    /// Records a packet this node now holds.
    void Hold(const StreamHeader& header);
    const WorkingSet& GetWorkingSet() const;
    uint32_t GetWindow() const;
    /// A copy of held packet \p seq as its source made it (same header; the payload from
    /// SetPayloadCallback's function, by default zeros to make the packet packetSize bytes).
    Ptr<Packet> MakePacket(uint32_t seq) const;
    /// Where MakePacket's payloads come from (null: zeros, a stream packet's).
    void SetPayloadCallback(PayloadFn payload);

    /// Fills \p digest with this node's filter and request range.
    void FillDigest(StreamDigestHeader& digest) const;
    /**
     * The packets this node holds in \p digest's range that its filter lacks, oldest first,
     * for which \p want (if given) is true. \p want is a pure test, asked before the
     * filter's probes (it is the cheaper).
     */
    std::deque<uint32_t> Missing(const StreamDigestHeader& digest,
                                 const std::function<bool(uint32_t)>& want = nullptr) const;

    void SetSendCallback(SendFn send);
    /// \p peer is now owed \p seqs (replacing what it was owed).
    void Owe(Ipv4Address peer, std::deque<uint32_t> seqs);
    /// \p peer is also owed \p seq (after what it is owed already).
    void OweAlso(Ipv4Address peer, uint32_t seq);
    /// \p peer is owed nothing any more.
    void Forget(Ipv4Address peer);
    void ForgetAll();
    /// Packets owed to \p peer.
    size_t GetOwed(Ipv4Address peer) const;
    /**
     * Sends what \p peer is owed, oldest first, while the transport takes it; packets that
     * left the working set are skipped.
     */
    void Pump(Ipv4Address peer);

    /**
     * \brief Where the time of this node's peer sending went (issue #12: does Bullet leave
     * capacity unused because senders have nothing to send, or because TFRC holds them?).
     *
     * From the first packet a peer is owed until it is forgotten, each peer is either idle
     * (its last Pump ran out of owed packets) or blocked (the transport refused a packet and
     * some are still owed). Sums over peers, up to \p now.
     */
    struct SendTimes
    {
        Time idle;    ///< nothing owed to send
        Time blocked; ///< owed packets waiting for the transport (TCP-friendly rate)
    };

    /// The sums of SendTimes up to \p now.
    SendTimes GetSendTimes(Time now) const;

  private:
    uint32_t m_window;
    uint32_t m_packetSize;
    WorkingSet m_ws;
    std::vector<Time> m_created; ///< creation time per seq, ring of m_window entries
    std::map<Ipv4Address, std::deque<uint32_t>> m_owed;

    /// A peer's state for SendTimes: blocked or idle since a time.
    struct PeerSendState
    {
        bool blocked{false};
        Time since;
    };

    /// \p peer is now blocked (or idle).
    void MarkSendState(Ipv4Address peer, bool blocked);
    /// \p peer's time stops counting.
    void EndSendState(Ipv4Address peer);

    std::map<Ipv4Address, PeerSendState> m_sendState;
    SendTimes m_sendTimes; ///< closed intervals
    SendFn m_send;
    PayloadFn m_payload;
};

} // namespace ns3

#endif // BULLET_STREAM_RECOVERY_H
