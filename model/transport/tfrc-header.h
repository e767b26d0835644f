/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TFRC_HEADER_H
#define BULLET_TFRC_HEADER_H

#include "ns3/checked-header.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Wire types of TFRC messages: the first byte of every TFRC datagram.
 *
 * Data and feedback of many flows share one UDP socket, so the receiver dispatches on this.
 */
enum TfrcMessageType : uint8_t
{
    TFRC_DATA = 1,
    TFRC_FEEDBACK = 2,
};

/// \brief Reads the message type byte of a TFRC datagram without consuming it (0 if empty).
uint8_t TfrcPeekType(Ptr<const Packet> packet);

/**
 * \ingroup bullet
 * \brief TFRC data packet header (RFC 5348 section 3.2.1).
 *
 * Carries what the receiver needs: a sequence number for loss detection, the send timestamp
 * it echoes back for RTT measurement, and the sender's RTT estimate (the receiver's feedback
 * period and loss-event granularity).
 *
 * Wire format (17 bytes): type u8 = 1 | seq u32 | timestamp u64 (ns) | rtt u32 (us).
 */
class TfrcDataHeader : public CheckedHeader
{
  public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

    static constexpr uint32_t kSize = 17;

    void SetSequence(uint32_t seq);
    uint32_t GetSequence() const;
    void SetTimestamp(Time t);
    Time GetTimestamp() const;
    /// The sender's RTT estimate; zero while it has none.
    void SetRtt(Time rtt);
    Time GetRtt() const;

  protected:
    void DoDeserialize(WireReader& reader) override;

  private:
    uint32_t m_seq{0};
    uint64_t m_timestampNs{0};
    uint32_t m_rttUs{0};
};

/**
 * \ingroup bullet
 * \brief TFRC feedback packet header (RFC 5348 section 3.2.2).
 *
 * Wire format (21 bytes): type u8 = 2 | t_recvdata u64 (ns, echoed data timestamp) |
 * t_delay u32 (us, time the receiver held it) | X_recv u32 (bytes/s) | p u32 (units of 1e-9).
 * p above 1 is rejected as garbled.
 */
class TfrcFeedbackHeader : public CheckedHeader
{
  public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

    static constexpr uint32_t kSize = 21;

    void SetTimestampEcho(Time t);
    Time GetTimestampEcho() const;
    void SetDelay(Time d);
    Time GetDelay() const;
    /// Receive rate in bytes/s (saturates at 2^32-1).
    void SetReceiveRate(double bytesPerSecond);
    double GetReceiveRate() const;
    /// Loss event rate, quantised to 1e-9 (a nonzero p never rounds to zero).
    void SetLossEventRate(double p);
    double GetLossEventRate() const;

  protected:
    void DoDeserialize(WireReader& reader) override;

  private:
    uint64_t m_echoNs{0};
    uint32_t m_delayUs{0};
    uint32_t m_xRecv{0};
    uint32_t m_pNano{0};
};

} // namespace ns3

#endif // BULLET_TFRC_HEADER_H
