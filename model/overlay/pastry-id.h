/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_PASTRY_ID_H
#define BULLET_PASTRY_ID_H

#include "ns3/checked-header.h"
#include "ns3/ipv4-address.h"

#include <cstdint>
#include <ostream>
#include <string>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief A 128-bit Pastry identifier (Rowstron and Druschel, Middleware 2001): a node's id or
 * a key, a point on a ring of 2^128 ids, read as 32 digits of base 2^b = 16 (b = 4), most
 * significant first.
 *
 * A node's id is the first 16 bytes of the SHA-1 of its IPv4 address (FromAddress), as
 * Pastry's "hash of the node's IP address"; a group's or a session's id is the SHA-1 of its
 * name (FromName). Ids compare as unsigned 128-bit numbers.
 */
class PastryId
{
  public:
    /// Digits of an id (128 bits, b = 4).
    static constexpr uint32_t kDigits = 32;
    /// Values of a digit (2^b).
    static constexpr uint32_t kBase = 16;
    /// Bytes on the wire.
    static constexpr uint32_t kBytes = 16;

    /// The id 0.
    PastryId() = default;
    /// \param hi the 64 most significant bits \param lo the 64 least significant bits
    PastryId(uint64_t hi, uint64_t lo);

    /// The id of the node with address \p address: SHA-1 of its 4 bytes (network order).
    static PastryId FromAddress(Ipv4Address address);
    /// SHA-1 of \p name (a group's or a session's name).
    static PastryId FromName(const std::string& name);
    /**
     * \brief Parses 32 hexadecimal digits (as ToString() writes them).
     * \throws std::invalid_argument for any other text
     */
    static PastryId FromHex(const std::string& hex);

    uint64_t GetHi() const;
    uint64_t GetLo() const;

    /**
     * \brief Digit \p i (0 = most significant), 0..15.
     * \throws std::out_of_range if \p i >= kDigits
     */
    uint32_t GetDigit(uint32_t i) const;
    /**
     * \brief This id with digit \p i replaced by \p value.
     * \throws std::out_of_range if \p i >= kDigits or \p value >= kBase
     */
    PastryId WithDigit(uint32_t i, uint32_t value) const;
    /// Leading digits this id shares with \p other (kDigits if equal).
    uint32_t SharedPrefixLength(const PastryId& other) const;

    /// (this - other) mod 2^128: the clockwise distance from \p other to this id.
    PastryId Minus(const PastryId& other) const;
    /// The distance between two ids on the ring: min(a - b, b - a) mod 2^128.
    PastryId RingDistance(const PastryId& other) const;
    /**
     * \brief Whether \p a is numerically closer to this id (as a key) than \p b is: a
     * smaller ring distance, ties broken towards the smaller id, so every key has exactly one
     * closest node.
     */
    bool IsCloser(const PastryId& a, const PastryId& b) const;

    /// 32 lower-case hexadecimal digits.
    std::string ToString() const;

    /// Writes the 16 bytes, most significant first.
    void Serialize(Buffer::Iterator& it) const;
    /// Reads 16 bytes (a failed read leaves the reader failed and returns 0).
    static PastryId Deserialize(WireReader& reader);

    bool operator==(const PastryId& o) const;
    bool operator!=(const PastryId& o) const;
    bool operator<(const PastryId& o) const;
    bool operator<=(const PastryId& o) const;

  private:
    uint64_t m_hi{0};
    uint64_t m_lo{0};
};

std::ostream& operator<<(std::ostream& os, const PastryId& id);

/**
 * \ingroup bullet
 * \brief A Pastry node as others know it: its id and the address it is reached at.
 */
struct PastryHandle
{
    PastryId id;         ///< the node's id
    Ipv4Address address; ///< where its control channel listens

    /// Bytes on the wire.
    static constexpr uint32_t kBytes = PastryId::kBytes + 4;

    /// A handle whose id is derived from the address (PastryId::FromAddress).
    static PastryHandle Of(Ipv4Address address);

    void Serialize(Buffer::Iterator& it) const;
    static PastryHandle Deserialize(WireReader& reader);

    bool operator==(const PastryHandle& o) const;
    bool operator!=(const PastryHandle& o) const;
};

std::ostream& operator<<(std::ostream& os, const PastryHandle& h);

} // namespace ns3

#endif // BULLET_PASTRY_ID_H
