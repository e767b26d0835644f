/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BULLET_PRIME_HEADERS_H
#define BULLET_BULLET_PRIME_HEADERS_H

#include "ns3/block-bitmap.h"
#include "ns3/checked-header.h"

#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief A Bullet' receiver's block request (2008 Section 4.3.3): the blocks it asks a
 * sender for, in request order, whether the first carries the flow controller's mark,
 * whether it wants a diff now (it is about to run out of blocks to ask this sender for), and
 * its total incoming bandwidth (senders rank their receivers by the share they give them).
 *
 * Wire: u8 flags (bit 0 mark, bit 1 diff wanted, others 0), u32 incoming kbps, u16 count,
 * count x u32 block.
 */
class BulletPrimeRequestHeader : public CheckedHeader
{
  public:
    static constexpr uint16_t kMaxBlocks = 1024;

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    bool marked{false};
    bool wantDiff{false};
    uint32_t incomingKbps{0};
    std::vector<uint32_t> blocks;

    bool
    operator==(const BulletPrimeRequestHeader& o) const
    {
        return marked == o.marked && wantDiff == o.wantDiff && incomingKbps == o.incomingKbps
               && blocks == o.blocks;
    }

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

  protected:
    void DoDeserialize(WireReader& reader) override;
};

/**
 * \ingroup bullet
 * \brief A Bullet' availability diff (2008 Section 4.3.3.3): the BitmapDiff of blocks the
 * sender holds and has not announced to this receiver before.
 */
class BulletPrimeDiffHeader : public CheckedHeader
{
  public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    BitmapDiff diff;

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

  protected:
    void DoDeserialize(WireReader& reader) override;
};

/**
 * \ingroup bullet
 * \brief The end of a Bullet' peering: u8 role, 0 when the sender of the message stops
 * receiving from the addressee (it was our sender), 1 when it stops sending to it.
 */
class BulletPrimeCloseHeader : public CheckedHeader
{
  public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    bool stopSending{false}; ///< true: "I no longer send to you"; false: "no longer receive"

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

  protected:
    void DoDeserialize(WireReader& reader) override;
};

/**
 * \ingroup bullet
 * \brief The header of a Bullet' block on the data transport: u32 block number, u8 flags
 * (bit 0: its request carried the mark; bit 1: pushed by the source, not requested), then the
 * block's bytes.
 */
class BulletPrimeBlockHeader : public CheckedHeader
{
  public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    uint32_t block{0};
    bool marked{false};
    bool pushed{false};

    bool
    operator==(const BulletPrimeBlockHeader& o) const
    {
        return block == o.block && marked == o.marked && pushed == o.pushed;
    }

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

  protected:
    void DoDeserialize(WireReader& reader) override;
};

} // namespace ns3

#endif // BULLET_BULLET_PRIME_HEADERS_H
