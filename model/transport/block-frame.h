/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BLOCK_FRAME_H
#define BULLET_BLOCK_FRAME_H

#include "ns3/checked-header.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/tag.h"

#include <functional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief The prefix of every message on a BlockTransport byte stream.
 *
 * TCP delivers a byte stream, so typed messages need a frame boundary: a magic byte (to detect
 * a desynchronised or foreign stream early), flags, a 16-bit message type and the 32-bit length
 * of the body that follows (control Header plus optional block payload).
 *
 * Frames flagged as blocks also carry the sender's flow-control measurements of Bullet'
 * (TOCS 2008, Section 4.3.3.2): "in_front", the number of blocks queued in front of the
 * socket buffer when the request for this block arrived, and "wasted", positive when the block
 * waited in the sender's application queue, negative when the sender's pipe sat idle before it
 * arrived. They are stamped when the block is handed to the socket, the only moment both are
 * known, so they travel in the frame rather than in the protocol's own header.
 *
 * Deserialize() rejects, without reading past the end: a wrong magic byte, unknown flag bits
 * and a length above the configured maximum (SetMaxBodySize()).
 */
class BlockFrameHeader : public CheckedHeader
{
  public:
    static constexpr uint8_t kMagic = 0xB7;       //!< first byte of every frame
    static constexpr uint8_t kFlagBlock = 0x01;   //!< frame carries a block and its feedback
    static constexpr uint32_t kBaseSize = 8;      //!< magic, flags, type, length
    static constexpr uint32_t kFeedbackSize = 12; //!< in_front (u32) + wasted (i64, ns)

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

    /// Frame size implied by the flags byte (the second byte of a frame).
    static uint32_t GetSizeForFlags(uint8_t flags);

    void SetType(uint16_t type);
    uint16_t GetType() const;
    /// Length of the body (everything after this header) in bytes.
    void SetBodyLength(uint32_t length);
    uint32_t GetBodyLength() const;
    /// Marks the frame as a block carrying flow-control feedback.
    void SetBlockFeedback(uint32_t inFront, Time wasted);
    bool IsBlock() const;
    uint32_t GetInFront() const;
    Time GetWasted() const;

    /// Bodies longer than this are rejected by Deserialize() (0: no limit).
    void SetMaxBodySize(uint32_t maxBody);

  protected:
    void DoDeserialize(WireReader& reader) override;

  private:
    uint8_t m_flags{0};
    uint16_t m_type{0};
    uint32_t m_length{0};
    uint32_t m_inFront{0};
    int64_t m_wastedNs{0};
    uint32_t m_maxBody{0};
};

/**
 * \ingroup bullet
 * \brief First frame on every BlockTransport connection: the sender's listening endpoint.
 *
 * An accepted TCP connection comes from an ephemeral port, so the acceptor cannot tell which
 * peer it is; the hello names the endpoint the peer would be dialled at, which is the peer's
 * identity in the transport.
 */
class BlockHelloHeader : public CheckedHeader
{
  public:
    static constexpr uint32_t kSize = 6;

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

    Ipv4Address address;
    uint16_t port{0};

  protected:
    void DoDeserialize(WireReader& reader) override;
};

/**
 * \ingroup bullet
 * \brief Sender-side flow-control feedback attached to a received block message.
 *
 * The receiver of a block finds the sender's in_front and wasted values (see
 * BlockFrameHeader) on the delivered packet; Bullet' feeds them into its per-peer
 * outstanding-request controller (TOCS 2008, Fig. 7).
 */
class BlockFeedbackTag : public Tag
{
  public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer i) const override;
    void Deserialize(TagBuffer i) override;
    void Print(std::ostream& os) const override;

    uint32_t inFront{0}; //!< blocks queued in front of the sender's socket at request time
    Time wasted;         //!< > 0: waited in the sender's queue; < 0: sender's pipe sat idle
};

/**
 * \ingroup bullet
 * \brief Reassembles BlockFrameHeader frames from arbitrary pieces of a byte stream.
 *
 * Independent of sockets so that framing can be tested at every split point. Once a frame is
 * malformed the decoder stays failed: a byte stream cannot be resynchronised.
 */
class FrameDecoder
{
  public:
    /// One reassembled message.
    struct Frame
    {
        BlockFrameHeader header; //!< the frame header (type, flags, feedback)
        Ptr<Packet> body;        //!< exactly GetBodyLength() bytes
    };

    /// Frames with a longer body are malformed (0: no limit).
    void SetMaxBodySize(uint32_t maxBody);
    /// Frames whose type this returns false for are malformed (unset: every type is known).
    void SetTypeFilter(std::function<bool(uint16_t)> known);

    /**
     * \brief Appends \p data and extracts every complete frame into \p out.
     * \return false once the stream is malformed (see GetError()); frames before the bad one
     *         are still in \p out.
     */
    bool Feed(Ptr<const Packet> data, std::vector<Frame>& out);

    bool Failed() const;
    const std::string& GetError() const;
    /// Bytes held waiting for the rest of a frame.
    uint32_t GetBuffered() const;

    /// A complete frame: header followed by \p body.
    static Ptr<Packet> Encode(BlockFrameHeader header, Ptr<const Packet> body);

  private:
    Ptr<Packet> m_buffer{Create<Packet>()};
    uint32_t m_maxBody{0};
    std::function<bool(uint16_t)> m_known;
    std::string m_error;
};

} // namespace ns3

#endif // BULLET_BLOCK_FRAME_H
