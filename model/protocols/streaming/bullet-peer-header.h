/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BULLET_PEER_HEADER_H
#define BULLET_BULLET_PEER_HEADER_H

#include "ns3/stream-recovery.h"

#include <functional>
#include <string>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Bullet's peering messages: a request or refresh carries the receiver's Bloom
 * filter, the range it still wants, its number of senders and the addressee's row, and the
 * bandwidth it receives in total; accept, reject and drop carry nothing else.
 *
 * A child's digest to its parent is the same header: there `senders` and `row` are the rows
 * of the child's matrix and the parent's row in it, as the RecoveredRelayPolicy has them
 * (0 and 0: no row assigned).
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

    uint16_t senders{0}; ///< s: rows of the receiver's sequence matrix
    uint16_t row{0};     ///< mod: the row this sender serves
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
