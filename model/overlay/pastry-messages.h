/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_PASTRY_MESSAGES_H
#define BULLET_PASTRY_MESSAGES_H

#include "ns3/checked-header.h"
#include "ns3/pastry-id.h"

#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief The header of a message Pastry routes towards a key (the application's payload
 * follows): 48 bytes.
 *
 * appKind 0 is Pastry's own join (the origin is the joining node); applications use 1..255
 * (PastryNode::SetApplication). hopSeq numbers the hop for its acknowledgement; msgId and the
 * origin name the message, so that a copy re-sent after a late acknowledgement is delivered
 * once.
 */
class PastryRouteHeader : public CheckedHeader
{
  public:
    /// A message that has gone further than this is dropped (a routing loop).
    static constexpr uint8_t kMaxHops = 64;

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    PastryId key;        ///< where the message goes
    PastryHandle origin; ///< the node that routed it first
    uint8_t appKind{0};  ///< whose message it is: 0 Pastry's join, else an application's
    uint8_t hops{0};     ///< hops taken so far
    uint32_t hopSeq{0};  ///< the sender's number for this hop (acknowledged by the receiver)
    uint32_t msgId{0};   ///< the origin's number for the message (the root delivers it once)

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

  protected:
    void DoDeserialize(WireReader& reader) override;
};

/**
 * \ingroup bullet
 * \brief A Pastry message carrying node handles: join state, announcements, leaf-set and
 * routing-row requests and replies, heartbeats. The sender's handle, flags, a row number and
 * up to kMaxHandles handles.
 */
class PastryStateHeader : public CheckedHeader
{
  public:
    /// A whole routing table and leaf set fit (32 x 16 + 24 + margin).
    static constexpr uint16_t kMaxHandles = 600;
    /// Join state: the sender is the joining key's root; its leaf set is included.
    static constexpr uint8_t kFlagLast = 0x01;
    /// Heartbeat: the sender's leaf set is included.
    static constexpr uint8_t kFlagLeafSet = 0x02;

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    PastryHandle sender;               ///< who sends
    uint8_t flags{0};                  ///< kFlag* bits
    uint8_t row{0};                    ///< row requests and replies: which row
    std::vector<PastryHandle> handles; ///< the nodes carried

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

  protected:
    void DoDeserialize(WireReader& reader) override;
};

/**
 * \ingroup bullet
 * \brief A probe, its reply (value: the prober's send time, echoed: an RTT measurement) or a
 * hop acknowledgement (value: the hop's number): the sender's handle and 8 bytes.
 */
class PastryProbeHeader : public CheckedHeader
{
  public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    PastryHandle sender; ///< who sends
    uint64_t value{0};   ///< the echoed time stamp (ns) or the acknowledged hop number

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

  protected:
    void DoDeserialize(WireReader& reader) override;
};

} // namespace ns3

#endif // BULLET_PASTRY_MESSAGES_H
