/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "bencode.h"

#include "ns3/log.h"

#include <cstdio>
#include <limits>
#include <utility>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Bencode");

// ------------------------------------------------------------------ BencodeError

BencodeError::BencodeError(const std::string& what, size_t offset)
    : std::runtime_error("bencode: " + what + " (at offset " + std::to_string(offset) + ")")
    , m_offset(offset)
{
}

size_t
BencodeError::GetOffset() const
{
    return m_offset;
}

// ------------------------------------------------------------------ BencodeValue

BencodeValue::BencodeValue() = default;

BencodeValue::~BencodeValue() = default;

BencodeValue::BencodeValue(const BencodeValue& other)
    : m_type(other.m_type)
    , m_integer(other.m_integer)
    , m_string(other.m_string)
    , m_list(other.m_list)
    , m_dict(other.m_dict ? std::make_unique<Dict>(*other.m_dict) : nullptr)
    , m_begin(other.m_begin)
    , m_end(other.m_end)
{
}

BencodeValue&
BencodeValue::operator=(const BencodeValue& other)
{
    if (this != &other)
    {
        BencodeValue copy(other);
        *this = std::move(copy);
    }
    return *this;
}

BencodeValue::BencodeValue(BencodeValue&& other) noexcept
    : m_type(other.m_type)
    , m_integer(other.m_integer)
    , m_string(std::move(other.m_string))
    , m_list(std::move(other.m_list))
    , m_dict(std::move(other.m_dict))
    , m_begin(other.m_begin)
    , m_end(other.m_end)
{
    other.m_type = STRING;
    other.m_string.clear();
    other.m_list.clear();
}

BencodeValue&
BencodeValue::operator=(BencodeValue&& other) noexcept
{
    if (this != &other)
    {
        m_type = other.m_type;
        m_integer = other.m_integer;
        m_string = std::move(other.m_string);
        m_list = std::move(other.m_list);
        m_dict = std::move(other.m_dict);
        m_begin = other.m_begin;
        m_end = other.m_end;
        other.m_type = STRING;
        other.m_string.clear();
        other.m_list.clear();
    }
    return *this;
}

BencodeValue
BencodeValue::Integer(int64_t v)
{
    BencodeValue value;
    value.m_type = INTEGER;
    value.m_integer = v;
    return value;
}

BencodeValue
BencodeValue::String(std::string s)
{
    BencodeValue value;
    value.m_string = std::move(s);
    return value;
}

BencodeValue
BencodeValue::MakeList(List l)
{
    BencodeValue value;
    value.m_type = LIST;
    value.m_list = std::move(l);
    return value;
}

BencodeValue
BencodeValue::MakeDict(Dict d)
{
    BencodeValue value;
    value.m_type = DICT;
    value.m_dict = std::make_unique<Dict>(std::move(d));
    return value;
}

BencodeValue::Type
BencodeValue::GetType() const
{
    return m_type;
}

const char*
BencodeValue::TypeName(Type type)
{
    switch (type)
    {
        case INTEGER:
            return "an integer";
        case STRING:
            return "a string";
        case LIST:
            return "a list";
        case DICT:
            return "a dictionary";
    }
    return "?";
}

void
BencodeValue::Expect(Type type) const
{
    if (m_type != type)
    {
        throw BencodeError(
            std::string("expected ") + TypeName(type) + ", found " + TypeName(m_type), m_begin);
    }
}

int64_t
BencodeValue::AsInteger() const
{
    Expect(INTEGER);
    return m_integer;
}

const std::string&
BencodeValue::AsString() const
{
    Expect(STRING);
    return m_string;
}

const BencodeValue::List&
BencodeValue::AsList() const
{
    Expect(LIST);
    return m_list;
}

BencodeValue::List&
BencodeValue::AsList()
{
    Expect(LIST);
    return m_list;
}

const BencodeValue::Dict&
BencodeValue::AsDict() const
{
    Expect(DICT);
    return *m_dict;
}

BencodeValue::Dict&
BencodeValue::AsDict()
{
    Expect(DICT);
    return *m_dict;
}

const BencodeValue*
BencodeValue::Find(const std::string& key) const
{
    const Dict& d = AsDict();
    auto it = d.find(key);
    return it == d.end() ? nullptr : &it->second;
}

size_t
BencodeValue::GetBegin() const
{
    return m_begin;
}

size_t
BencodeValue::GetEnd() const
{
    return m_end;
}

bool
BencodeValue::operator==(const BencodeValue& other) const
{
    if (m_type != other.m_type)
    {
        return false;
    }
    switch (m_type)
    {
        case INTEGER:
            return m_integer == other.m_integer;
        case STRING:
            return m_string == other.m_string;
        case LIST:
            return m_list == other.m_list;
        case DICT:
            return *m_dict == *other.m_dict;
    }
    return false;
}

bool
BencodeValue::operator!=(const BencodeValue& other) const
{
    return !(*this == other);
}

// ------------------------------------------------------------------ decoding

/// The strict recursive-descent decoder behind BencodeDecode().
class BencodeParser
{
  public:
    BencodeParser(const std::string& in, const BencodeLimits& limits)
        : m_in(in)
        , m_limits(limits)
    {
    }

    /// The one value of the whole input.
    BencodeValue
    ParseAll()
    {
        BencodeValue v = ParseValue(0);
        if (m_pos != m_in.size())
        {
            throw BencodeError(
                std::to_string(m_in.size() - m_pos) + " trailing byte(s) after the value", m_pos);
        }
        return v;
    }

  private:
    /// Fails unless at least one byte is left; \p what names what was expected.
    void
    NeedByte(const char* what) const
    {
        if (m_pos >= m_in.size())
        {
            throw BencodeError(std::string("truncated: input ends where ") + what + " was expected",
                               m_pos);
        }
    }

    /// A printable description of the byte at \p pos.
    std::string
    ByteAt(size_t pos) const
    {
        char buf[16];
        auto c = static_cast<unsigned char>(m_in[pos]);
        if (c >= 0x20 && c < 0x7f)
        {
            std::snprintf(buf, sizeof(buf), "'%c'", c);
        }
        else
        {
            std::snprintf(buf, sizeof(buf), "0x%02x", c);
        }
        return buf;
    }

    static bool
    IsDigit(char c)
    {
        return c >= '0' && c <= '9';
    }

    /// Counts one more value against the item limit.
    void
    CountItem(size_t begin)
    {
        if (++m_items > m_limits.maxItems)
        {
            throw BencodeError("more than " + std::to_string(m_limits.maxItems) + " values", begin);
        }
    }

    BencodeValue
    ParseValue(size_t depth)
    {
        NeedByte("a value");
        size_t begin = m_pos;
        CountItem(begin);
        BencodeValue v;
        char c = m_in[m_pos];
        if (c == 'i')
        {
            v = BencodeValue::Integer(ParseInteger());
        }
        else if (IsDigit(c))
        {
            v = BencodeValue::String(ParseString());
        }
        else if (c == 'l')
        {
            EnterContainer(depth, "list");
            ++m_pos;
            BencodeValue::List list;
            for (;;)
            {
                NeedByte("a list member or 'e'");
                if (m_in[m_pos] == 'e')
                {
                    ++m_pos;
                    break;
                }
                list.push_back(ParseValue(depth + 1));
            }
            v = BencodeValue::MakeList(std::move(list));
        }
        else if (c == 'd')
        {
            EnterContainer(depth, "dictionary");
            ++m_pos;
            BencodeValue::Dict dict;
            const std::string* lastKey = nullptr;
            for (;;)
            {
                NeedByte("a dictionary key or 'e'");
                if (m_in[m_pos] == 'e')
                {
                    ++m_pos;
                    break;
                }
                size_t keyPos = m_pos;
                if (!IsDigit(m_in[m_pos]))
                {
                    throw BencodeError("dictionary key is not a string (starts with "
                                           + ByteAt(keyPos) + ")",
                                       keyPos);
                }
                CountItem(keyPos);
                std::string key = ParseString();
                if (lastKey != nullptr && !(*lastKey < key))
                {
                    throw BencodeError(*lastKey == key ? "duplicate dictionary key"
                                                       : "dictionary keys not sorted",
                                       keyPos);
                }
                BencodeValue member = ParseValue(depth + 1);
                auto it = dict.emplace_hint(dict.end(), std::move(key), std::move(member));
                lastKey = &it->first;
            }
            v = BencodeValue::MakeDict(std::move(dict));
        }
        else
        {
            throw BencodeError("unknown type byte " + ByteAt(m_pos), m_pos);
        }
        v.m_begin = begin;
        v.m_end = m_pos;
        return v;
    }

    /// Checks the depth before opening a container at depth \p depth + 1.
    void
    EnterContainer(size_t depth, const char* what) const
    {
        if (depth + 1 > m_limits.maxDepth)
        {
            throw BencodeError(std::string(what) + " nested deeper than "
                                   + std::to_string(m_limits.maxDepth) + " levels",
                               m_pos);
        }
    }

    /// i<decimal>e, at m_pos.
    int64_t
    ParseInteger()
    {
        size_t start = m_pos;
        ++m_pos; // 'i'
        bool negative = false;
        NeedByte("an integer's digits");
        if (m_in[m_pos] == '-')
        {
            negative = true;
            ++m_pos;
            NeedByte("an integer's digits");
        }
        size_t digits = m_pos;
        // The magnitude, bounded by 2^63 (the magnitude of INT64_MIN).
        const uint64_t bound = negative
                                   ? static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1
                                   : static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
        uint64_t magnitude = 0;
        while (m_pos < m_in.size() && IsDigit(m_in[m_pos]))
        {
            auto d = static_cast<uint64_t>(m_in[m_pos] - '0');
            if (magnitude > (bound - d) / 10)
            {
                throw BencodeError("integer overflows 64 bits", start);
            }
            magnitude = magnitude * 10 + d;
            ++m_pos;
        }
        NeedByte("an integer's digits or 'e'");
        if (m_pos == digits)
        {
            throw BencodeError("integer without digits (found " + ByteAt(m_pos) + ")", m_pos);
        }
        if (m_in[m_pos] != 'e')
        {
            throw BencodeError("integer ends with " + ByteAt(m_pos) + " instead of 'e'", m_pos);
        }
        if (m_in[digits] == '0' && m_pos - digits > 1)
        {
            throw BencodeError("integer with a leading zero", start);
        }
        if (negative && magnitude == 0)
        {
            throw BencodeError("integer \"-0\"", start);
        }
        ++m_pos; // 'e'
        if (negative)
        {
            // magnitude <= 2^63: -(magnitude - 1) - 1 never overflows.
            return -static_cast<int64_t>(magnitude - 1) - 1;
        }
        return static_cast<int64_t>(magnitude);
    }

    /// <length>:<bytes>, at m_pos (a digit).
    std::string
    ParseString()
    {
        size_t start = m_pos;
        uint64_t length = 0;
        while (m_pos < m_in.size() && IsDigit(m_in[m_pos]))
        {
            auto d = static_cast<uint64_t>(m_in[m_pos] - '0');
            if (length > (std::numeric_limits<uint64_t>::max() - d) / 10)
            {
                throw BencodeError("string length overflows 64 bits", start);
            }
            length = length * 10 + d;
            ++m_pos;
        }
        NeedByte("a string length's digits or ':'");
        if (m_in[m_pos] != ':')
        {
            throw BencodeError("string length ends with " + ByteAt(m_pos) + " instead of ':'",
                               m_pos);
        }
        if (m_in[start] == '0' && m_pos - start > 1)
        {
            throw BencodeError("string length with a leading zero", start);
        }
        ++m_pos; // ':'
        size_t left = m_in.size() - m_pos;
        if (length > left)
        {
            throw BencodeError("truncated: string of " + std::to_string(length)
                                   + " bytes with only " + std::to_string(left) + " left",
                               start);
        }
        if (length > m_limits.maxStringLength)
        {
            throw BencodeError("string of " + std::to_string(length)
                                   + " bytes exceeds the limit of "
                                   + std::to_string(m_limits.maxStringLength),
                               start);
        }
        std::string s = m_in.substr(m_pos, static_cast<size_t>(length));
        m_pos += static_cast<size_t>(length);
        return s;
    }

    const std::string& m_in;       //!< the input
    const BencodeLimits& m_limits; //!< its bounds
    size_t m_pos{0};               //!< next byte to read
    size_t m_items{0};             //!< values read so far
};

BencodeValue
BencodeDecode(const std::string& bytes, const BencodeLimits& limits)
{
    NS_LOG_FUNCTION(bytes.size());
    return BencodeParser(bytes, limits).ParseAll();
}

// ------------------------------------------------------------------ encoding

namespace
{

void
EncodeInto(const BencodeValue& v, std::string& out)
{
    switch (v.GetType())
    {
        case BencodeValue::INTEGER:
            out += 'i';
            out += std::to_string(v.AsInteger());
            out += 'e';
            break;
        case BencodeValue::STRING:
            out += std::to_string(v.AsString().size());
            out += ':';
            out += v.AsString();
            break;
        case BencodeValue::LIST:
            out += 'l';
            for (const BencodeValue& m : v.AsList())
            {
                EncodeInto(m, out);
            }
            out += 'e';
            break;
        case BencodeValue::DICT:
            out += 'd';
            for (const auto& [key, m] : v.AsDict())
            {
                out += std::to_string(key.size());
                out += ':';
                out += key;
                EncodeInto(m, out);
            }
            out += 'e';
            break;
    }
}

} // namespace

std::string
BencodeEncode(const BencodeValue& v)
{
    std::string out;
    EncodeInto(v, out);
    return out;
}

} // namespace ns3
