/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BENCODE_H
#define BULLET_BENCODE_H

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief A malformed bencoded input, or a value used as the wrong type: what() says what and
 * at which byte offset.
 */
class BencodeError : public std::runtime_error
{
  public:
    /**
     * \param what what is wrong
     * \param offset the byte offset in the input where it is wrong
     */
    BencodeError(const std::string& what, size_t offset);
    /// The byte offset in the input where the error is.
    size_t GetOffset() const;

  private:
    size_t m_offset; //!< byte offset of the error
};

/**
 * \ingroup bullet
 * \brief One bencoded value (BEP 3): an integer, a byte string, a list or a dictionary.
 *
 * Strings are binary-safe byte strings. Dictionary keys are kept sorted in raw byte order, as
 * bencoding requires (std::string compares its chars as unsigned bytes), so encoding is always
 * canonical. A decoded value remembers the byte range it came from (GetBegin(), GetEnd()),
 * for hashing a part of the input exactly as it was written (a torrent's info dictionary).
 */
class BencodeValue
{
  public:
    /// The four kinds of bencoded values.
    enum Type
    {
        INTEGER, //!< i<decimal>e
        STRING,  //!< <length>:<bytes>
        LIST,    //!< l<values>e
        DICT     //!< d<string key><value>...e
    };

    /// A list's members.
    using List = std::vector<BencodeValue>;
    /// A dictionary's members, keys sorted in raw byte order.
    using Dict = std::map<std::string, BencodeValue>;

    /// The empty string.
    BencodeValue();
    ~BencodeValue();
    /// Deep copy. \param other the value to copy
    BencodeValue(const BencodeValue& other);
    /// Deep copy. \param other the value to copy \return this value
    BencodeValue& operator=(const BencodeValue& other);
    /// Move. \param other the value to move from (left an empty string)
    BencodeValue(BencodeValue&& other) noexcept;
    /// Move. \param other the value to move from \return this value
    BencodeValue& operator=(BencodeValue&& other) noexcept;

    /// An integer. \param v its value \return the value
    static BencodeValue Integer(int64_t v);
    /// A byte string (any bytes, NUL included). \param s its bytes \return the value
    static BencodeValue String(std::string s);
    /// A list. \param l its members \return the value
    static BencodeValue MakeList(List l = {});
    /// A dictionary. \param d its members \return the value
    static BencodeValue MakeDict(Dict d = {});

    /// \return the kind of value
    Type GetType() const;
    /// \return the integer \throws BencodeError (offset GetBegin()) if not an integer
    int64_t AsInteger() const;
    /// \return the bytes \throws BencodeError (offset GetBegin()) if not a string
    const std::string& AsString() const;
    /// \return the members \throws BencodeError (offset GetBegin()) if not a list
    const List& AsList() const;
    /// \return the members \throws BencodeError (offset GetBegin()) if not a list
    List& AsList();
    /// \return the members \throws BencodeError (offset GetBegin()) if not a dictionary
    const Dict& AsDict() const;
    /// \return the members \throws BencodeError (offset GetBegin()) if not a dictionary
    Dict& AsDict();
    /**
     * A dictionary member.
     * \param key the member's key
     * \return the member, or nullptr if there is none
     * \throws BencodeError (offset GetBegin()) if this value is not a dictionary
     */
    const BencodeValue* Find(const std::string& key) const;

    /// \return the offset of this value's first byte in the input it was decoded from (0 if
    /// built)
    size_t GetBegin() const;
    /// \return the offset just past this value's last byte in the input it was decoded from
    /// (0 if built)
    size_t GetEnd() const;

    /// Same type and same contents (byte ranges are not compared).
    /// \param other the value to compare with \return true if equal
    bool operator==(const BencodeValue& other) const;
    /// \param other the value to compare with \return true if not equal
    bool operator!=(const BencodeValue& other) const;

    /// The name of a type with its article ("an integer", "a string", "a list", "a
    /// dictionary"), for messages.
    /// \param type the type \return its name
    static const char* TypeName(Type type);

  private:
    friend class BencodeParser;

    /// Throws unless this value is of type \p type. \param type the type expected
    void Expect(Type type) const;

    Type m_type{STRING};          //!< kind of value
    int64_t m_integer{0};         //!< INTEGER: the value
    std::string m_string;         //!< STRING: the bytes
    List m_list;                  //!< LIST: the members
    std::unique_ptr<Dict> m_dict; //!< DICT: the members (never null for a DICT)
    size_t m_begin{0};            //!< first byte in the decoded input
    size_t m_end{0};              //!< one past the last byte in the decoded input
};

/**
 * \ingroup bullet
 * \brief Bounds on what BencodeDecode() accepts, against hostile input.
 */
struct BencodeLimits
{
    size_t maxDepth{64};               //!< nesting of lists and dictionaries
    size_t maxStringLength{64u << 20}; //!< bytes in one string
    size_t maxItems{1u << 22};         //!< values in the whole input (containers and keys count)
};

/**
 * \ingroup bullet
 * \brief Decodes bencoded bytes, strictly: the whole input must be exactly one canonical
 * value.
 *
 * Rejected: truncation anywhere, trailing bytes, integers that are empty, have leading zeros,
 * are "-0" or overflow 64 bits, string lengths with leading zeros or beyond the input or the
 * limits, dictionary keys that are not strings, unsorted or duplicate keys, unknown type
 * bytes, and nesting or item counts beyond \p limits. No allocation is sized from the input
 * before it is checked against the bytes left.
 * \param bytes the input
 * \param limits the bounds to enforce
 * \return the value, with the byte ranges of it and of every member
 * \throws BencodeError saying what is wrong and at which offset
 */
BencodeValue BencodeDecode(const std::string& bytes, const BencodeLimits& limits = {});

/**
 * \ingroup bullet
 * \brief The canonical bencoding of \p v (dictionary keys in raw byte order).
 * \param v the value
 * \return its bytes
 */
std::string BencodeEncode(const BencodeValue& v);

} // namespace ns3

#endif // BULLET_BENCODE_H
