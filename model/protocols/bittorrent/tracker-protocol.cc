/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tracker-protocol.h"

#include "ns3/bencode.h"
#include "ns3/log.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TrackerProtocol");

namespace
{

bool
IsUnreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
           || c == '.' || c == '_' || c == '~';
}

/// The value of hexadecimal digit \p c, or -1.
int
HexValue(char c)
{
    if (c >= '0' && c <= '9')
    {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f')
    {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F')
    {
        return c - 'A' + 10;
    }
    return -1;
}

/// The error about announce parameter \p name: \p what.
[[noreturn]] void
BadParameter(const std::string& name, const std::string& what)
{
    throw std::runtime_error("announce: parameter '" + name + "' " + what);
}

/// \p value as a decimal number in [min, max] (parameter \p name).
uint64_t
DecimalParameter(const std::string& name, const std::string& value, uint64_t min, uint64_t max)
{
    if (value.empty())
    {
        BadParameter(name, "is empty");
    }
    uint64_t x = 0;
    for (char c : value)
    {
        if (c < '0' || c > '9')
        {
            BadParameter(name, "is not a decimal number");
        }
        auto d = static_cast<uint64_t>(c - '0');
        if (x > (max - d) / 10)
        {
            BadParameter(name, "is larger than " + std::to_string(max));
        }
        x = x * 10 + d;
    }
    if (x < min)
    {
        BadParameter(name, "is smaller than " + std::to_string(min));
    }
    return x;
}

/// \p value as exactly 20 bytes (parameter \p name).
std::array<uint8_t, 20>
TwentyBytes(const std::string& name, const std::string& value)
{
    if (value.size() != 20)
    {
        BadParameter(name, "decodes to " + std::to_string(value.size()) + " bytes, not 20");
    }
    std::array<uint8_t, 20> out{};
    std::memcpy(out.data(), value.data(), 20);
    return out;
}

/// The error about tracker reply field \p field: \p what.
[[noreturn]] void
BadReply(const std::string& field, const std::string& what)
{
    throw std::runtime_error("tracker reply: '" + field + "' " + what);
}

/// \p v as an integer in [0, max] (reply field \p field).
uint64_t
ReplyInteger(const BencodeValue& v, const std::string& field, uint64_t max)
{
    if (v.GetType() != BencodeValue::INTEGER)
    {
        BadReply(field,
                 std::string("must be an integer, not ") + BencodeValue::TypeName(v.GetType()));
    }
    int64_t x = v.AsInteger();
    if (x < 0 || static_cast<uint64_t>(x) > max)
    {
        BadReply(field, "is " + std::to_string(x) + ", outside [0, " + std::to_string(max) + "]");
    }
    return static_cast<uint64_t>(x);
}

/// Parses a dotted quad "a.b.c.d" (each 0..255, 1-3 digits) into \p out.
bool
ParseDottedQuad(const std::string& s, uint32_t& out)
{
    uint32_t address = 0;
    size_t pos = 0;
    for (int part = 0; part < 4; ++part)
    {
        if (part > 0)
        {
            if (pos >= s.size() || s[pos] != '.')
            {
                return false;
            }
            ++pos;
        }
        size_t start = pos;
        uint32_t value = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9' && pos - start < 3)
        {
            value = value * 10 + static_cast<uint32_t>(s[pos] - '0');
            ++pos;
        }
        if (pos == start || value > 255)
        {
            return false;
        }
        address = (address << 8) | value;
    }
    if (pos != s.size())
    {
        return false;
    }
    out = address;
    return true;
}

/// The peer list's "ip" \p ip looks like an IPv4 address (digits and dots only).
bool
LooksNumeric(const std::string& ip)
{
    return !ip.empty() && std::all_of(ip.begin(), ip.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == '.';
    });
}

/// tchar of RFC 9110 (header names, methods).
bool
IsTokenChar(unsigned char c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
    {
        return true;
    }
    return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool
IsToken(const std::string& s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return IsTokenChar(static_cast<unsigned char>(c));
    });
}

/// "HTTP/1.0", "HTTP/1.1", ... (HTTP/1.x).
bool
IsHttp1Version(const std::string& s)
{
    return s.size() == 8 && s.compare(0, 7, "HTTP/1.") == 0 && s[7] >= '0' && s[7] <= '9';
}

std::string
ToLower(std::string s)
{
    for (char& c : s)
    {
        if (c >= 'A' && c <= 'Z')
        {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return s;
}

} // namespace

// ------------------------------------------------------------------ percent-encoding

std::string
PercentEncode(const std::string& bytes)
{
    static const char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(bytes.size() * 3);
    for (char ch : bytes)
    {
        auto c = static_cast<unsigned char>(ch);
        if (IsUnreserved(c))
        {
            out += ch;
        }
        else
        {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0x0f];
        }
    }
    return out;
}

std::string
PercentDecode(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i)
    {
        if (text[i] != '%')
        {
            out += text[i];
            continue;
        }
        int hi = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
        int lo = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
        if (hi < 0 || lo < 0)
        {
            throw std::runtime_error("bad percent-escape at character " + std::to_string(i));
        }
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

// ------------------------------------------------------------------ AnnounceRequest

std::string
AnnounceRequest::ToHttp(const std::string& hostPort, const std::string& path) const
{
    std::string t = path;
    t += path.find('?') == std::string::npos ? '?' : '&';
    t += "info_hash="
         + PercentEncode(
             std::string(reinterpret_cast<const char*>(infoHash.data()), infoHash.size()));
    t += "&peer_id="
         + PercentEncode(std::string(reinterpret_cast<const char*>(peerId.data()), peerId.size()));
    t += "&port=" + std::to_string(port);
    t += "&uploaded=" + std::to_string(uploaded);
    t += "&downloaded=" + std::to_string(downloaded);
    t += "&left=" + std::to_string(left);
    t += std::string("&compact=") + (compact ? "1" : "0");
    t += "&numwant=" + std::to_string(numwant);
    switch (event)
    {
        case STARTED:
            t += "&event=started";
            break;
        case STOPPED:
            t += "&event=stopped";
            break;
        case COMPLETED:
            t += "&event=completed";
            break;
        case NONE:
            break;
    }
    return "GET " + t + " HTTP/1.0\r\nHost: " + hostPort + "\r\n\r\n";
}

namespace
{

/// Calls \p f(name, value) for every parameter of \p target's query (after '?', split at
/// '&', name and value percent-decoded; empty pairs skipped), in order.
template<class F>
void
ForEachParameter(const std::string& target, F f)
{
    size_t q = target.find('?');
    if (q == std::string::npos)
    {
        return;
    }
    std::string query = target.substr(q + 1);
    size_t start = 0;
    while (start <= query.size())
    {
        size_t amp = query.find('&', start);
        if (amp == std::string::npos)
        {
            amp = query.size();
        }
        std::string pair = query.substr(start, amp - start);
        start = amp + 1;
        if (pair.empty())
        {
            continue;
        }
        size_t eq = pair.find('=');
        std::string rawName = pair.substr(0, eq);
        std::string rawValue = eq == std::string::npos ? "" : pair.substr(eq + 1);
        std::string name;
        try
        {
            name = PercentDecode(rawName);
        }
        catch (const std::runtime_error&)
        {
            throw std::runtime_error("announce: bad percent-escape in parameter name '" + rawName
                                     + "'");
        }
        std::string value;
        try
        {
            value = PercentDecode(rawValue);
        }
        catch (const std::runtime_error& e)
        {
            BadParameter(name, std::string("has a ") + e.what());
        }
        f(name, std::move(value));
    }
}

} // namespace

AnnounceRequest
AnnounceRequest::FromTarget(const std::string& target)
{
    NS_LOG_FUNCTION(target);
    std::map<std::string, std::string> params;
    ForEachParameter(target, [&params](const std::string& name, std::string value) {
        static const char* const kKnown[]
            = {"info_hash", "peer_id", "port",    "uploaded", "downloaded",
               "left",      "event",   "numwant", "compact"};
        if (std::find(std::begin(kKnown), std::end(kKnown), name) == std::end(kKnown))
        {
            return;
        }
        if (!params.emplace(name, std::move(value)).second)
        {
            BadParameter(name, "is given twice");
        }
    });
    auto get = [&params](const std::string& name) -> const std::string& {
        auto it = params.find(name);
        if (it == params.end())
        {
            BadParameter(name, "is missing");
        }
        return it->second;
    };

    AnnounceRequest r;
    r.infoHash = TwentyBytes("info_hash", get("info_hash"));
    r.peerId = TwentyBytes("peer_id", get("peer_id"));
    r.port = static_cast<uint16_t>(DecimalParameter("port", get("port"), 1, 65535));
    const uint64_t kMax64 = std::numeric_limits<uint64_t>::max();
    r.uploaded = DecimalParameter("uploaded", get("uploaded"), 0, kMax64);
    r.downloaded = DecimalParameter("downloaded", get("downloaded"), 0, kMax64);
    r.left = DecimalParameter("left", get("left"), 0, kMax64);
    r.event = NONE;
    if (params.count("event"))
    {
        const std::string& e = params["event"];
        if (e == "started")
        {
            r.event = STARTED;
        }
        else if (e == "stopped")
        {
            r.event = STOPPED;
        }
        else if (e == "completed")
        {
            r.event = COMPLETED;
        }
        else if (!e.empty() && e != "empty")
        {
            BadParameter("event", "is '" + e + "', not started, stopped, completed or empty");
        }
    }
    if (params.count("numwant"))
    {
        r.numwant = static_cast<uint32_t>(DecimalParameter("numwant", params["numwant"], 0,
                                                           std::numeric_limits<uint32_t>::max()));
    }
    r.compact = false;
    if (params.count("compact"))
    {
        const std::string& c = params["compact"];
        if (c != "0" && c != "1")
        {
            BadParameter("compact", "is '" + c + "', not 0 or 1");
        }
        r.compact = c == "1";
    }
    return r;
}

bool
AnnounceRequest::operator==(const AnnounceRequest& o) const
{
    return infoHash == o.infoHash && peerId == o.peerId && port == o.port && uploaded == o.uploaded
           && downloaded == o.downloaded && left == o.left && event == o.event
           && numwant == o.numwant && compact == o.compact;
}

// ------------------------------------------------------------------ scrape (BEP 48)

ScrapeRequest
ScrapeRequest::FromTarget(const std::string& target)
{
    NS_LOG_FUNCTION(target);
    ScrapeRequest r;
    ForEachParameter(target, [&r](const std::string& name, std::string value) {
        if (name == "info_hash")
        {
            r.infoHashes.push_back(TwentyBytes(name, value));
        }
    });
    return r;
}

std::string
ScrapeResponse::Encode() const
{
    BencodeValue::Dict list;
    for (const auto& [hash, f] : files)
    {
        BencodeValue::Dict d;
        d["complete"] = BencodeValue::Integer(f.complete);
        d["downloaded"] = BencodeValue::Integer(f.downloaded);
        d["incomplete"] = BencodeValue::Integer(f.incomplete);
        list[std::string(hash.begin(), hash.end())] = BencodeValue::MakeDict(std::move(d));
    }
    BencodeValue::Dict top;
    top["files"] = BencodeValue::MakeDict(std::move(list));
    return BencodeEncode(BencodeValue::MakeDict(std::move(top)));
}

// ------------------------------------------------------------------ TrackerPeer

bool
TrackerPeer::operator==(const TrackerPeer& other) const
{
    return address == other.address && port == other.port;
}

std::ostream&
operator<<(std::ostream& os, const TrackerPeer& peer)
{
    return os << peer.address << ":" << peer.port;
}

// ------------------------------------------------------------------ AnnounceResponse

std::string
AnnounceResponse::Encode(bool compact) const
{
    BencodeValue::Dict d;
    if (!failure.empty())
    {
        d["failure reason"] = BencodeValue::String(failure);
        return BencodeEncode(BencodeValue::MakeDict(std::move(d)));
    }
    d["complete"] = BencodeValue::Integer(complete);
    d["incomplete"] = BencodeValue::Integer(incomplete);
    d["interval"] = BencodeValue::Integer(interval);
    if (compact)
    {
        std::string bytes;
        bytes.reserve(peers.size() * 6);
        for (const TrackerPeer& p : peers)
        {
            uint8_t b[6];
            p.address.Serialize(b);
            b[4] = static_cast<uint8_t>(p.port >> 8);
            b[5] = static_cast<uint8_t>(p.port & 0xff);
            bytes.append(reinterpret_cast<const char*>(b), 6);
        }
        d["peers"] = BencodeValue::String(std::move(bytes));
    }
    else
    {
        BencodeValue::List list;
        for (const TrackerPeer& p : peers)
        {
            uint32_t a = p.address.Get();
            std::string ip = std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 0xff) + "."
                             + std::to_string((a >> 8) & 0xff) + "." + std::to_string(a & 0xff);
            BencodeValue::Dict peer;
            peer["ip"] = BencodeValue::String(std::move(ip));
            peer["port"] = BencodeValue::Integer(p.port);
            list.push_back(BencodeValue::MakeDict(std::move(peer)));
        }
        d["peers"] = BencodeValue::MakeList(std::move(list));
    }
    return BencodeEncode(BencodeValue::MakeDict(std::move(d)));
}

AnnounceResponse
AnnounceResponse::Parse(const std::string& body)
{
    NS_LOG_FUNCTION(body.size());
    BencodeValue root = BencodeDecode(body);
    if (root.GetType() != BencodeValue::DICT)
    {
        throw std::runtime_error(std::string("tracker reply: not a dictionary but ")
                                 + BencodeValue::TypeName(root.GetType()));
    }
    AnnounceResponse r;
    if (const BencodeValue* failure = root.Find("failure reason"))
    {
        if (failure->GetType() != BencodeValue::STRING)
        {
            BadReply("failure reason", "must be a string");
        }
        r.failure = failure->AsString();
        if (r.failure.empty())
        {
            r.failure = "(empty failure reason)";
        }
        return r;
    }
    const uint32_t kMax32 = std::numeric_limits<uint32_t>::max();
    const BencodeValue* interval = root.Find("interval");
    if (interval == nullptr)
    {
        BadReply("interval", "is missing");
    }
    r.interval = static_cast<uint32_t>(ReplyInteger(*interval, "interval", kMax32));
    if (const BencodeValue* v = root.Find("complete"))
    {
        r.complete = static_cast<uint32_t>(ReplyInteger(*v, "complete", kMax32));
    }
    if (const BencodeValue* v = root.Find("incomplete"))
    {
        r.incomplete = static_cast<uint32_t>(ReplyInteger(*v, "incomplete", kMax32));
    }
    const BencodeValue* peers = root.Find("peers");
    if (peers == nullptr)
    {
        BadReply("peers", "is missing");
    }
    if (peers->GetType() == BencodeValue::STRING)
    {
        const std::string& s = peers->AsString();
        if (s.size() % 6 != 0)
        {
            BadReply("peers", "is " + std::to_string(s.size()) + " bytes, not a multiple of 6");
        }
        for (size_t i = 0; i < s.size(); i += 6)
        {
            auto b = reinterpret_cast<const uint8_t*>(s.data() + i);
            TrackerPeer p;
            p.address = Ipv4Address::Deserialize(b);
            p.port = static_cast<uint16_t>((b[4] << 8) | b[5]);
            // As in the list form: a peer cannot listen on port 0.
            if (p.port == 0)
            {
                BadReply("peers[" + std::to_string(i / 6) + "].port", "is 0");
            }
            r.peers.push_back(p);
        }
    }
    else if (peers->GetType() == BencodeValue::LIST)
    {
        size_t index = 0;
        for (const BencodeValue& peer : peers->AsList())
        {
            std::string field = "peers[" + std::to_string(index++) + "]";
            if (peer.GetType() != BencodeValue::DICT)
            {
                BadReply(field, "must be a dictionary");
            }
            const BencodeValue* ip = peer.Find("ip");
            const BencodeValue* port = peer.Find("port");
            if (ip == nullptr || ip->GetType() != BencodeValue::STRING)
            {
                BadReply(field + ".ip", "must be a string");
            }
            if (port == nullptr)
            {
                BadReply(field + ".port", "is missing");
            }
            uint64_t portValue = ReplyInteger(*port, field + ".port", 65535);
            if (portValue == 0)
            {
                BadReply(field + ".port", "is 0");
            }
            if (const BencodeValue* id = peer.Find("peer id"))
            {
                if (id->GetType() != BencodeValue::STRING)
                {
                    BadReply(field + ".peer id", "must be a string");
                }
            }
            uint32_t address = 0;
            if (!ParseDottedQuad(ip->AsString(), address))
            {
                if (LooksNumeric(ip->AsString()))
                {
                    BadReply(field + ".ip", "'" + ip->AsString() + "' is not an IPv4 address");
                }
                NS_LOG_LOGIC("skipping peer " << ip->AsString() << " (not IPv4)");
                continue;
            }
            r.peers.push_back(TrackerPeer{Ipv4Address(address), static_cast<uint16_t>(portValue)});
        }
    }
    else
    {
        BadReply("peers", "must be a string or a list");
    }
    return r;
}

// ------------------------------------------------------------------ HttpMessageReader

HttpMessageReader::HttpMessageReader(Kind kind, size_t maxBytes)
    : m_kind(kind)
    , m_max(maxBytes)
{
}

void
HttpMessageReader::Fail(const std::string& why)
{
    if (m_error.empty())
    {
        NS_LOG_LOGIC("HTTP message rejected: " << why);
        m_error = why;
    }
    m_complete = false;
}

bool
HttpMessageReader::Append(const uint8_t* data, size_t len)
{
    if (HasError())
    {
        return false;
    }
    if (m_complete || len == 0)
    {
        return true;
    }
    auto in = reinterpret_cast<const char*>(data);
    if (!m_headersDone)
    {
        // Never hold more than one byte past the limit: that byte proves the message too big.
        size_t take = std::min(len, m_max + 1 - m_buf.size());
        m_buf.append(in, take);
        in += take;
        len -= take;
        size_t end = std::string::npos;
        for (size_t i = m_scanFrom; i < m_buf.size(); ++i)
        {
            if (m_buf[i] != '\n')
            {
                continue;
            }
            if (i + 1 < m_buf.size() && m_buf[i + 1] == '\n')
            {
                end = i + 2;
                break;
            }
            if (i + 2 < m_buf.size() && m_buf[i + 1] == '\r' && m_buf[i + 2] == '\n')
            {
                end = i + 3;
                break;
            }
        }
        if (end == std::string::npos || end > m_max)
        {
            if (m_buf.size() > m_max)
            {
                Fail("header section larger than " + std::to_string(m_max) + " bytes");
                return false;
            }
            m_scanFrom = m_buf.size() >= 2 ? m_buf.size() - 2 : 0;
            return true;
        }
        if (!ParseHead(end))
        {
            return false;
        }
        std::string rest = m_buf.substr(end);
        m_buf.clear();
        m_buf.shrink_to_fit();
        AddBody(rest.data(), rest.size());
    }
    if (!m_complete && !HasError() && len > 0)
    {
        AddBody(in, len);
    }
    return !HasError();
}

void
HttpMessageReader::AddBody(const char* data, size_t len)
{
    if (m_complete || HasError())
    {
        return;
    }
    if (m_hasLength)
    {
        size_t take = static_cast<size_t>(std::min<uint64_t>(len, m_contentLength - m_body.size()));
        m_body.append(data, take);
        if (m_body.size() == m_contentLength)
        {
            m_complete = true;
        }
        return;
    }
    if (m_untilClose)
    {
        if (len > m_max - m_headerBytes - m_body.size())
        {
            Fail("message larger than " + std::to_string(m_max) + " bytes");
            return;
        }
        m_body.append(data, len);
    }
}

bool
HttpMessageReader::ParseHead(size_t end)
{
    m_headerBytes = end;
    // Split into lines (CRLF or bare LF); the last two are empty (the blank line).
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < end)
    {
        size_t nl = m_buf.find('\n', start);
        std::string line = m_buf.substr(start, nl - start);
        start = nl + 1;
        if (!line.empty() && line.back() == '\r')
        {
            line.pop_back();
        }
        for (char c : line)
        {
            auto u = static_cast<unsigned char>(c);
            if ((u < 0x20 && c != '\t') || u == 0x7f)
            {
                Fail("control character in the header section");
                return false;
            }
        }
        lines.push_back(std::move(line));
    }
    // The last line is the blank one that ended the section.
    lines.pop_back();
    if (lines.empty() || lines[0].empty())
    {
        Fail(m_kind == REQUEST ? "missing request line" : "missing status line");
        return false;
    }

    const std::string& first = lines[0];
    if (m_kind == REQUEST)
    {
        size_t sp1 = first.find(' ');
        size_t sp2 = sp1 == std::string::npos ? sp1 : first.find(' ', sp1 + 1);
        if (sp2 == std::string::npos || first.find(' ', sp2 + 1) != std::string::npos)
        {
            Fail("malformed request line '" + first + "'");
            return false;
        }
        std::string method = first.substr(0, sp1);
        std::string target = first.substr(sp1 + 1, sp2 - sp1 - 1);
        std::string version = first.substr(sp2 + 1);
        if (!IsToken(method))
        {
            Fail("malformed method '" + method + "'");
            return false;
        }
        if (target.empty() || target.find('\t') != std::string::npos
            || std::any_of(target.begin(), target.end(), [](char c) {
                   return static_cast<unsigned char>(c) > 0x7e;
               }))
        {
            Fail("malformed request target");
            return false;
        }
        if (!IsHttp1Version(version))
        {
            Fail("unsupported HTTP version '" + version + "'");
            return false;
        }
        m_method = method;
        m_target = target;
    }
    else
    {
        // HTTP/1.x SP 3DIGIT [SP reason]
        if (first.size() < 12 || !IsHttp1Version(first.substr(0, 8)) || first[8] != ' '
            || (first.size() > 12 && first[12] != ' '))
        {
            Fail("malformed status line '" + first + "'");
            return false;
        }
        int status = 0;
        for (size_t i = 9; i < 12; ++i)
        {
            if (first[i] < '0' || first[i] > '9')
            {
                Fail("malformed status code in '" + first + "'");
                return false;
            }
            status = status * 10 + (first[i] - '0');
        }
        if (status < 100 || status > 599)
        {
            Fail("status code " + std::to_string(status) + " out of range");
            return false;
        }
        m_status = status;
    }

    for (size_t i = 1; i < lines.size(); ++i)
    {
        const std::string& line = lines[i];
        if (line.empty() || line[0] == ' ' || line[0] == '\t')
        {
            Fail("obsolete header line folding");
            return false;
        }
        size_t colon = line.find(':');
        if (colon == std::string::npos || !IsToken(line.substr(0, colon)))
        {
            Fail("malformed header line '" + line + "'");
            return false;
        }
        size_t b = colon + 1;
        size_t e = line.size();
        while (b < e && (line[b] == ' ' || line[b] == '\t'))
        {
            ++b;
        }
        while (e > b && (line[e - 1] == ' ' || line[e - 1] == '\t'))
        {
            --e;
        }
        m_headers.emplace_back(ToLower(line.substr(0, colon)), line.substr(b, e - b));
    }

    for (const auto& [name, value] : m_headers)
    {
        if (name == "transfer-encoding")
        {
            Fail("Transfer-Encoding '" + value + "' not supported");
            return false;
        }
        if (name != "content-length")
        {
            continue;
        }
        if (value.empty() || value.size() > 19
            || !std::all_of(value.begin(), value.end(), [](char c) {
                   return c >= '0' && c <= '9';
               }))
        {
            Fail("malformed Content-Length '" + value + "'");
            return false;
        }
        uint64_t length = std::stoull(value);
        if (m_hasLength && length != m_contentLength)
        {
            Fail("conflicting Content-Length headers");
            return false;
        }
        m_hasLength = true;
        m_contentLength = length;
    }
    if (m_hasLength && m_contentLength > m_max - m_headerBytes)
    {
        Fail("Content-Length " + std::to_string(m_contentLength) + " makes the message larger than "
             + std::to_string(m_max) + " bytes");
        return false;
    }

    m_headersDone = true;
    bool noBody
        = m_kind == REQUEST ? !m_hasLength : (m_status < 200 || m_status == 204 || m_status == 304);
    if (noBody)
    {
        m_hasLength = false;
        m_contentLength = 0;
        m_complete = true;
    }
    else if (!m_hasLength)
    {
        m_untilClose = true;
    }
    else if (m_contentLength == 0)
    {
        m_complete = true;
    }
    return true;
}

void
HttpMessageReader::ConnectionClosed()
{
    if (m_complete || HasError())
    {
        return;
    }
    if (m_headersDone && m_untilClose)
    {
        m_complete = true;
        return;
    }
    Fail(m_headersDone ? "connection closed after " + std::to_string(m_body.size()) + " of "
                             + std::to_string(m_contentLength) + " body bytes"
                       : std::string("connection closed inside the header section"));
}

bool
HttpMessageReader::IsComplete() const
{
    return m_complete;
}

bool
HttpMessageReader::HasError() const
{
    return !m_error.empty();
}

const std::string&
HttpMessageReader::GetError() const
{
    return m_error;
}

std::string
HttpMessageReader::GetMethod() const
{
    return m_method;
}

std::string
HttpMessageReader::GetTarget() const
{
    return m_target;
}

int
HttpMessageReader::GetStatus() const
{
    return m_status;
}

std::string
HttpMessageReader::GetHeader(const std::string& name) const
{
    std::string lower = ToLower(name);
    for (const auto& [n, v] : m_headers)
    {
        if (n == lower)
        {
            return v;
        }
    }
    return "";
}

const std::string&
HttpMessageReader::GetBody() const
{
    return m_body;
}

// ------------------------------------------------------------------ responses

std::string
MakeHttpResponse(int status, const std::string& reason, const std::string& body)
{
    return "HTTP/1.0 " + std::to_string(status) + " " + reason
           + "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size())
           + "\r\n\r\n" + body;
}

} // namespace ns3
