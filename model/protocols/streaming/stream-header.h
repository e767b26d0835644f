/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_STREAM_HEADER_H
#define BULLET_STREAM_HEADER_H

#include "ns3/checked-header.h"
#include "ns3/nstime.h"

namespace ns3
{

/**
 * \ingroup bullet
 * \brief The header of every stream data packet: its sequence number and when the source
 * created it (for latency), 12 bytes.
 */
class StreamHeader : public CheckedHeader
{
  public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    uint32_t seq{0};
    Time created;

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

  protected:
    void DoDeserialize(WireReader& reader) override;
};

} // namespace ns3

#endif // BULLET_STREAM_HEADER_H
