/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BULLET_PEER_HEADER_H
#define BULLET_BULLET_PEER_HEADER_H

#include "ns3/row-assignment-policy.h"
#include "ns3/stream-recovery.h"

#include <functional>
#include <string>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Bullet's peering messages: a request or refresh carries the receiver's Bloom
 * filter, the range it still wants, the addressee's share of its sequence matrix (the rows
 * of the matrix, the share's first row and its number of rows: one in the paper), and the
 * bandwidth it receives in total; accept, reject and drop carry nothing else.
 *
 * A child's digest to its parent is the same header: there `share` is the parent's share of
 * the child's matrix, as the RecoveredRelayPolicy has it (0 rows: none assigned).
 */
class BulletPeerHeader : public StreamDigestHeader
{
  public:
    /// Control-channel message types.
    static constexpr uint16_t kRequest = 30;
    static constexpr uint16_t kAccept = 31;
    static constexpr uint16_t kReject = 32;
    static constexpr uint16_t kRefresh = 33;
    static constexpr uint16_t kDrop = 34;
    static constexpr uint16_t kChildDigest = 35;

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    RowShare share{}; ///< the addressee's rows of the receiver's sequence matrix (s, mod)

    /// On the wire, the rows' top bit: a count of rows follows the first row (else one).
    static constexpr uint16_t kSeveralRows = 0x8000;
    uint32_t receivedKbps{0};

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

  protected:
    void DoDeserialize(WireReader& reader) override;
};

/**
 * \ingroup bullet
 * \brief What Bullet's roles share of their node: sending a control message (with a peer
 * header, or none) and reporting the end of a peering.
 */
struct BulletPeerLink
{
    /// Sends message \p type to \p to, with header \p h if not null.
    std::function<void(Ipv4Address to, uint16_t type, const BulletPeerHeader* h)> sendControl;
    /// A peering ended: (peer, why).
    std::function<void(Ipv4Address peer, const std::string& why)> peerDropped;
};

} // namespace ns3

#endif // BULLET_BULLET_PEER_HEADER_H
