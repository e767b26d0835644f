/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_PEER_WIRE_H
#define BULLET_PEER_WIRE_H

#include "ns3/checked-header.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/sha1.h"

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace ns3
{

/// SHA-1 of a torrent's bencoded info dictionary.
using InfoHash = Sha1Digest;
/// The 20 bytes a BitTorrent peer names itself with (handshake, tracker announces).
using PeerId = std::array<uint8_t, 20>;

/**
 * \ingroup bullet
 * \brief The BitTorrent handshake (BEP 3): the first 68 bytes each side sends on a connection.
 *
 * Layout: pstrlen (one byte, 19), pstr "BitTorrent protocol", 8 reserved bytes, the 20-byte
 * info hash, the 20-byte peer id. Deserialize() rejects another pstrlen ("bad protocol string
 * length N") or another protocol string ("bad protocol string"); the reserved bytes are kept
 * as read (extension bits are not interpreted; we send zeros).
 */
class BtHandshake : public CheckedHeader
{
  public:
    static constexpr uint32_t kSize = 68;    //!< serialized size of every handshake
    static constexpr uint8_t kPstrLen = 19;  //!< first byte: length of the protocol string
    static const char* const kProtocol;      //!< "BitTorrent protocol" (19 bytes, no NUL)
    using Reserved = std::array<uint8_t, 8>; //!< the 8 reserved (extension) bytes

    /// An all-zero handshake (reserved, info hash and peer id zero).
    BtHandshake();
    /**
     * \brief A handshake for \p infoHash sent by \p peerId, with zero reserved bytes.
     * \param infoHash the torrent's info hash
     * \param peerId the sender's peer id
     */
    BtHandshake(const InfoHash& infoHash, const PeerId& peerId);

    /// \return the TypeId of this header
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

    /// \param infoHash the torrent's info hash
    void SetInfoHash(const InfoHash& infoHash);
    /// \return the torrent's info hash
    const InfoHash& GetInfoHash() const;
    /// \param peerId the sender's peer id
    void SetPeerId(const PeerId& peerId);
    /// \return the sender's peer id
    const PeerId& GetPeerId() const;
    /// \param reserved the 8 reserved bytes, sent as given
    void SetReserved(const Reserved& reserved);
    /// \return the 8 reserved bytes (as read, or as set)
    const Reserved& GetReserved() const;

  protected:
    void DoDeserialize(WireReader& reader) override;

  private:
    Reserved m_reserved{};
    InfoHash m_infoHash{};
    PeerId m_peerId{};
};

/**
 * \ingroup bullet
 * \brief One length-prefixed BitTorrent peer message (BEP 3), or a keep-alive.
 *
 * On the wire: a 4-byte big-endian length prefix, then (unless it is 0, a keep-alive) a
 * one-byte id and the id's payload. The header holds the prefix, the id and the fixed fields;
 * for PIECE only the prefix, id, index and begin (13 bytes) are the header: the block's bytes
 * follow as the packet's payload, so a block is never copied into a header (send
 * `block->AddHeader(BtMessageHeader::Piece(i, b, block->GetSize()))`). Ids this class does not
 * know (extensions, e.g. 20 of BEP 10) deserialize as their prefix and id only (5 bytes); the
 * rest of such a message follows as payload.
 *
 * Deserialize() checks the prefix against the id's size (CheckLength()) and against the limit
 * SetMaxLength(), and never allocates more than the bytes actually present.
 */
class BtMessageHeader : public CheckedHeader
{
  public:
    /// Message ids of BEP 3 (PORT is the DHT port of BEP 5).
    enum Id : uint8_t
    {
        CHOKE = 0,
        UNCHOKE = 1,
        INTERESTED = 2,
        NOT_INTERESTED = 3,
        HAVE = 4,
        BITFIELD = 5,
        REQUEST = 6,
        PIECE = 7,
        CANCEL = 8,
        PORT = 9
    };

    /// What GetId() returns for a keep-alive, which has no id on the wire.
    static constexpr uint8_t kKeepAliveId = 0xFF;
    /// Bytes of a PIECE header before the block: prefix, id, index, begin.
    static constexpr uint32_t kPieceHeaderSize = 13;

    /// A keep-alive (length prefix 0).
    BtMessageHeader();

    /// \return the TypeId of this header
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

    /// \return a keep-alive: 00 00 00 00
    static BtMessageHeader KeepAlive();
    /// \return choke: 00 00 00 01 00
    static BtMessageHeader Choke();
    /// \return unchoke: 00 00 00 01 01
    static BtMessageHeader Unchoke();
    /// \return interested: 00 00 00 01 02
    static BtMessageHeader Interested();
    /// \return not interested: 00 00 00 01 03
    static BtMessageHeader NotInterested();
    /**
     * \brief have: 00 00 00 05 04 + index.
     * \param piece the index of the piece the sender now has
     * \return the message
     */
    static BtMessageHeader Have(uint32_t piece);
    /**
     * \brief bitfield: length 1 + bits.size(), id 5, the bits.
     * \param bits ceil(pieces / 8) bytes, high bit of byte 0 = piece 0, spare bits zero
     * \return the message
     * \throws std::invalid_argument if the message would not fit a 32-bit length
     */
    static BtMessageHeader Bitfield(std::vector<uint8_t> bits);
    /**
     * \brief request: 00 00 00 0d 06 + index, begin, length.
     * \param piece the piece index
     * \param begin the byte offset of the block within the piece
     * \param length the block's length
     * \return the message
     */
    static BtMessageHeader Request(uint32_t piece, uint32_t begin, uint32_t length);
    /**
     * \brief cancel: 00 00 00 0d 08 + index, begin, length (the request it cancels).
     * \param piece the piece index
     * \param begin the byte offset of the block within the piece
     * \param length the block's length
     * \return the message
     */
    static BtMessageHeader Cancel(uint32_t piece, uint32_t begin, uint32_t length);
    /**
     * \brief The header of a piece message: length prefix 9 + blockLength, id 7, index, begin.
     *
     * The block's blockLength bytes must follow as the packet's payload.
     * \param piece the piece index
     * \param begin the byte offset of the block within the piece
     * \param blockLength the length of the block that follows
     * \return the header
     * \throws std::invalid_argument if 9 + blockLength does not fit 32 bits
     */
    static BtMessageHeader Piece(uint32_t piece, uint32_t begin, uint32_t blockLength);
    /**
     * \brief port (BEP 5, DHT): 00 00 00 03 09 + port.
     * \param port the sender's DHT port
     * \return the message
     */
    static BtMessageHeader Port(uint16_t port);

    /// \return true for a keep-alive (length prefix 0)
    bool IsKeepAlive() const;
    /// \return the message id (an Id, or an unknown one), kKeepAliveId for a keep-alive
    uint8_t GetId() const;
    /// \return true if the id is one of Id (false for a keep-alive)
    bool IsKnownId() const;
    /// \return the length prefix (id and payload bytes, excluding the prefix itself)
    uint32_t GetLength() const;
    /// \return the piece index of have, request, cancel and piece (0 otherwise)
    uint32_t GetPiece() const;
    /// \return the byte offset of request, cancel and piece (0 otherwise)
    uint32_t GetBegin() const;
    /// \return the block length asked by request and cancel (0 otherwise)
    uint32_t GetRequestLength() const;
    /// \return the length of the block that follows a piece header (0 otherwise)
    uint32_t GetBlockLength() const;
    /// \return the bits of a bitfield (empty otherwise)
    const std::vector<uint8_t>& GetBitfield() const;
    /// \return the DHT port of a port message (0 otherwise)
    uint16_t GetPort() const;
    /// \return IdName(GetId()), or "keep_alive"
    std::string GetName() const;

    /**
     * \brief Limits the length prefix Deserialize() accepts.
     * \param maxLength the longest acceptable prefix (0: no limit beyond the bytes present)
     */
    void SetMaxLength(uint32_t maxLength);

    /**
     * \brief A name for logs and traces.
     * \param id a message id
     * \return "choke", "unchoke", "interested", "not_interested", "have", "bitfield",
     *         "request", "piece", "cancel", "port", or "unknown(N)"
     */
    static std::string IdName(uint8_t id);
    /**
     * \brief The size rule of BEP 3 for a known id.
     * \param id a message id
     * \param length a non-zero length prefix
     * \return empty if \p length is right for \p id (choke, unchoke, interested, not
     *         interested: 1; have: 5; request, cancel: 13; piece: >= 9; port: 3; bitfield: >= 1;
     *         unknown ids: any), else the reason, e.g. "have message of length 3"
     */
    static std::string CheckLength(uint8_t id, uint32_t length);
    /**
     * \brief Checks a received bitfield against the torrent (BEP 3: a wrong length or a set
     * spare bit is a reason to drop the connection).
     * \param bits the bitfield's bytes
     * \param numPieces the torrent's number of pieces
     * \return empty if \p bits has ceil(numPieces / 8) bytes and no spare bit set, else why not
     */
    static std::string CheckBitfield(const std::vector<uint8_t>& bits, uint32_t numPieces);

  protected:
    void DoDeserialize(WireReader& reader) override;

  private:
    /// A message of \p id with length prefix \p length, other fields zero.
    BtMessageHeader(uint8_t id, uint32_t length);

    uint32_t m_length{0};
    uint8_t m_id{kKeepAliveId};
    uint32_t m_piece{0};
    uint32_t m_begin{0};
    uint32_t m_requestLength{0};
    uint16_t m_port{0};
    std::vector<uint8_t> m_bitfield;
    uint32_t m_maxLength{0};
};

/**
 * \ingroup bullet
 * \brief Reassembles what arrives on one TCP connection (in order, arbitrarily split) into the
 * handshake and the messages of BEP 3.
 *
 * No simulator inside. Append() what the socket delivered, then call Next() until it returns
 * NEED_MORE. The first item is the handshake (unless ExpectHandshake(false)).
 *
 * Bytes are held as the received packets themselves (shallow copies, in order), not copied
 * into one buffer: a piece's block comes back as a fragment of them (Packet::CreateFragment,
 * no byte copy) or, when it spans several received packets, as their fragments joined with
 * Packet::AddAtEnd, which keeps a "virtual" zero-filled payload virtual. Only headers (at most
 * maxMessageLength bytes for a bitfield) are read. Very small received packets are merged as
 * they arrive, so that a stream delivered a few bytes at a time is not held as thousands of
 * packets.
 *
 * Errors: a length prefix above maxMessageLength, a length wrong for a known id and a bad
 * handshake are rejected as soon as the bytes that show them have arrived, before the rest of
 * the message (and nothing is allocated from an untrusted length). After ERROR the stream is
 * dead: a byte stream cannot be resynchronised, so further input is ignored.
 */
class BtStreamParser
{
  public:
    /// What Next() found.
    enum Result
    {
        NEED_MORE, //!< no complete item yet: Append() more
        HANDSHAKE, //!< a handshake: GetHandshake()
        MESSAGE,   //!< a message (or keep-alive): GetMessage(), GetPieceData() for a piece
        ERROR      //!< the stream is malformed: GetError(); every later call returns ERROR
    };

    /// The default longest length prefix: a piece of a 16 KiB block (16384 + 9).
    static constexpr uint32_t kDefaultMaxMessageLength = 16384 + 9;

    /**
     * \brief A parser expecting a handshake first.
     * \param maxMessageLength the longest acceptable length prefix (see MaxLengthFor())
     */
    explicit BtStreamParser(uint32_t maxMessageLength = kDefaultMaxMessageLength);

    /**
     * \brief The limit that admits a 16 KiB block and the bitfield of a torrent.
     * \param numPieces the torrent's number of pieces
     * \return max(16384 + 9, 1 + ceil(numPieces / 8))
     */
    static uint32_t MaxLengthFor(uint32_t numPieces);

    /**
     * \brief Adds bytes received on the connection, in order (ignored after ERROR).
     * \param bytes the received bytes (not modified; held as a shallow copy)
     */
    void Append(Ptr<const Packet> bytes);

    /**
     * \brief Pops the next complete item.
     * \return NEED_MORE, HANDSHAKE, MESSAGE or ERROR (see Result)
     */
    Result Next();

    /**
     * \brief Whether the next item is a handshake (true at construction; Next() clears it
     * after the handshake).
     * \param expect true if the next item is a handshake
     */
    void ExpectHandshake(bool expect);

    /**
     * \brief Changes the longest acceptable length prefix, e.g. once the handshake named the
     * torrent.
     * \param maxMessageLength the new limit, for messages not yet returned
     */
    void SetMaxMessageLength(uint32_t maxMessageLength);
    /// \return the longest acceptable length prefix
    uint32_t GetMaxMessageLength() const;

    /// \return the handshake of the last HANDSHAKE
    const BtHandshake& GetHandshake() const;
    /**
     * \brief The message of the last MESSAGE.
     *
     * Unknown ids (extensions, e.g. 20) come back as MESSAGE with their prefix and id
     * (IsKnownId() false), their payload skipped.
     * \return the message
     */
    const BtMessageHeader& GetMessage() const;
    /**
     * \brief The block of the last MESSAGE if it was a piece: GetBlockLength() bytes, a
     * fragment of the received packets (packet and byte tags removed).
     * \return the block, or null if the last item was not a piece
     */
    Ptr<Packet> GetPieceData() const;
    /// \return why the stream was rejected (empty before ERROR)
    const std::string& GetError() const;
    /// \return bytes received and not yet returned as items
    uint64_t GetBufferedBytes() const;

  private:
    /// Received packets shorter than this are merged with a short predecessor.
    static constexpr uint32_t kMergeBelow = 1024;

    /// Records \p why, drops the held bytes. \return ERROR
    Result Fail(const std::string& why);
    /// Copies \p size held bytes from \p offset into \p out (size small).
    void Peek(uint64_t offset, uint8_t* out, uint32_t size) const;
    /// The held bytes [offset, offset + size) as one packet, sharing the received buffers.
    Ptr<Packet> Gather(uint64_t offset, uint32_t size) const;
    /// Drops the first \p size held bytes.
    void Consume(uint64_t size);

    uint32_t m_maxMessageLength;
    bool m_expectHandshake{true};
    std::deque<Ptr<Packet>> m_chunks; //!< received bytes in order
    uint32_t m_frontOffset{0};        //!< bytes of m_chunks.front() already consumed
    uint64_t m_buffered{0};           //!< held bytes not yet consumed
    BtHandshake m_handshake;
    BtMessageHeader m_message;
    Ptr<Packet> m_pieceData;
    std::string m_error;
};

} // namespace ns3

#endif // BULLET_PEER_WIRE_H
