/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The tracker's HTTP messages (BEP 3 "Trackers", BEP 23 compact peers): the announce request
// and its query, the bencoded reply in both peer forms, and the incremental HTTP reader that
// takes either off a TCP stream, against truncation, oversized and malformed input.

#include "ns3/sha1.h"
#include "ns3/tracker-protocol.h"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

using namespace ns3;
using namespace std::string_literals;

namespace
{

const uint8_t*
U8(const std::string& s)
{
    return reinterpret_cast<const uint8_t*>(s.data());
}

/// A request with every field set to something recognisable.
AnnounceRequest
SampleRequest()
{
    AnnounceRequest r;
    r.infoHash = Sha1::Of(U8("abc"), 3); // a9993e364706816aba3e25717850c26c9cd0d89d
    const std::string id = "-NS0001-0123456789ab";
    std::copy(id.begin(), id.end(), r.peerId.begin());
    r.port = 51413;
    r.uploaded = 123456789012ull;
    r.downloaded = 42;
    r.left = 1048576;
    r.event = AnnounceRequest::STARTED;
    r.numwant = 30;
    r.compact = true;
    return r;
}

/// The runtime_error message of FromTarget(\p target) (fails the test if it parses).
std::string
TargetError(const std::string& target)
{
    try
    {
        AnnounceRequest::FromTarget(target);
    }
    catch (const std::runtime_error& e)
    {
        return e.what();
    }
    ADD_FAILURE() << "parsed: " << target;
    return "";
}

/// The runtime_error message of AnnounceResponse::Parse(\p body).
std::string
ReplyError(const std::string& body)
{
    try
    {
        AnnounceResponse::Parse(body);
    }
    catch (const std::runtime_error& e)
    {
        return e.what();
    }
    ADD_FAILURE() << "parsed: " << body;
    return "";
}

/// A reader of kind \p kind fed \p bytes in chunks of \p chunk bytes.
HttpMessageReader
Feed(HttpMessageReader::Kind kind, const std::string& bytes, size_t chunk, size_t max = 64 * 1024)
{
    HttpMessageReader r(kind, max);
    for (size_t i = 0; i < bytes.size(); i += chunk)
    {
        r.Append(U8(bytes) + i, std::min(chunk, bytes.size() - i));
    }
    return r;
}

/// The error of a reader of kind \p kind fed \p bytes (fails the test if there is none).
std::string
ReaderError(HttpMessageReader::Kind kind, const std::string& bytes, size_t max = 64 * 1024)
{
    HttpMessageReader r(kind, max);
    bool ok = r.Append(U8(bytes), bytes.size());
    EXPECT_EQ(ok, !r.HasError());
    if (!r.HasError())
    {
        ADD_FAILURE() << "accepted: " << bytes;
    }
    EXPECT_FALSE(r.IsComplete()) << bytes;
    return r.GetError();
}

} // namespace

// ------------------------------------------------------------------ percent-encoding

// Unreserved characters stay, every other byte is %XX; decoding inverts it for all 256
// bytes and accepts lower-case hex; broken escapes are refused.
TEST(TrackerProtocol, PercentEncoding)
{
    EXPECT_EQ(PercentEncode("aZ09-._~"), "aZ09-._~");
    EXPECT_EQ(PercentEncode(" /?&=+%"), "%20%2F%3F%26%3D%2B%25");
    EXPECT_EQ(PercentEncode("\x00\xff"s), "%00%FF");
    std::string all;
    for (int b = 0; b < 256; ++b)
    {
        all += static_cast<char>(b);
    }
    EXPECT_EQ(PercentDecode(PercentEncode(all)), all);
    EXPECT_EQ(PercentDecode("%e2%82%aC+x"), "\xe2\x82\xac+x");
    for (const char* bad : {"%", "%4", "%G0", "%0g", "ab%", "%%41"})
    {
        EXPECT_THROW(PercentDecode(bad), std::runtime_error) << bad;
    }
}

// ------------------------------------------------------------------ announce request

// The exact request line and headers BEP 3 clients send (binary fields hand-encoded).
TEST(TrackerProtocol, RequestToHttpExact)
{
    AnnounceRequest r = SampleRequest();
    EXPECT_EQ(r.ToHttp("10.0.0.1:6969"),
              "GET /announce?info_hash=%A9%99%3E6G%06%81j%BA%3E%25qxP%C2l%9C%D0%D8%9D"
              "&peer_id=-NS0001-0123456789ab&port=51413&uploaded=123456789012&downloaded=42"
              "&left=1048576&compact=1&numwant=30&event=started HTTP/1.0\r\n"
              "Host: 10.0.0.1:6969\r\n\r\n");
    r.event = AnnounceRequest::NONE;
    r.compact = false;
    std::string http = r.ToHttp("t:80", "/a?passkey=x y");
    EXPECT_EQ(http.substr(0, 29), "GET /a?passkey=x y&info_hash=");
    EXPECT_NE(http.find("&compact=0&numwant=30 HTTP/1.0\r\n"), std::string::npos) << http;
    EXPECT_EQ(http.find("event="), std::string::npos);
}

// ToHttp -> HttpMessageReader -> FromTarget gives back every field, for every event and
// random binary hashes and ids, fed in chunks of any size.
TEST(TrackerProtocol, RequestRoundTrip)
{
    boost::random::mt19937 rng(7);
    boost::random::uniform_int_distribution<int> byte(0, 255);
    boost::random::uniform_int_distribution<uint64_t> big(0, UINT64_MAX);
    for (int round = 0; round < 200; ++round)
    {
        AnnounceRequest r;
        for (auto& b : r.infoHash)
        {
            b = static_cast<uint8_t>(byte(rng));
        }
        for (auto& b : r.peerId)
        {
            b = static_cast<uint8_t>(byte(rng));
        }
        r.port = static_cast<uint16_t>(1 + round * 327);
        r.uploaded = big(rng);
        r.downloaded = round == 0 ? UINT64_MAX : big(rng);
        r.left = round % 3 == 0 ? 0 : big(rng);
        r.event = static_cast<AnnounceRequest::Event>(round % 4);
        r.numwant = round == 1 ? UINT32_MAX : static_cast<uint32_t>(round);
        r.compact = round % 2 == 0;
        std::string http = r.ToHttp("tracker.example:6969");
        HttpMessageReader reader
            = Feed(HttpMessageReader::REQUEST, http, 1 + static_cast<size_t>(round % 17));
        ASSERT_TRUE(reader.IsComplete()) << reader.GetError();
        EXPECT_EQ(reader.GetMethod(), "GET");
        EXPECT_EQ(reader.GetHeader("host"), "tracker.example:6969");
        EXPECT_EQ(reader.GetHeader("HOST"), "tracker.example:6969");
        EXPECT_EQ(reader.GetBody(), "");
        AnnounceRequest back = AnnounceRequest::FromTarget(reader.GetTarget());
        EXPECT_EQ(back, r) << reader.GetTarget();
    }
}

// What real clients add does not disturb the parse: unknown parameters, empty pairs, an
// "empty" event, no compact or numwant (absent compact: the client did not ask for it).
TEST(TrackerProtocol, RequestFromTargetTolerates)
{
    std::string base = "/announce?info_hash=%A9%99%3E6G%06%81j%BA%3E%25qxP%C2l%9C%D0%D8%9D"
                       "&peer_id=-TR3000-abcdefghijkl&port=6881&uploaded=0&downloaded=0&left=10";
    AnnounceRequest r
        = AnnounceRequest::FromTarget(base + "&key=1a2b&supportcrypto=1&&event=empty&corrupt=0");
    EXPECT_EQ(r.infoHash, Sha1::Of(U8("abc"), 3));
    EXPECT_EQ(std::string(r.peerId.begin(), r.peerId.end()), "-TR3000-abcdefghijkl");
    EXPECT_EQ(r.port, 6881);
    EXPECT_EQ(r.left, 10u);
    EXPECT_EQ(r.event, AnnounceRequest::NONE);
    EXPECT_EQ(r.numwant, 50u);
    EXPECT_FALSE(r.compact);
    EXPECT_EQ(AnnounceRequest::FromTarget(base + "&event=completed").event,
              AnnounceRequest::COMPLETED);
    EXPECT_EQ(AnnounceRequest::FromTarget(base + "&event=stopped&compact=1").event,
              AnnounceRequest::STOPPED);
    // Lower-case escapes decode the same.
    std::string lower = base;
    lower.replace(lower.find("%A9"), 3, "%a9");
    EXPECT_EQ(AnnounceRequest::FromTarget(lower).infoHash, r.infoHash);
}

// Each bad or missing parameter is refused with a message naming it.
TEST(TrackerProtocol, RequestFromTargetRejects)
{
    const std::string ih = "info_hash=%A9%99%3E6G%06%81j%BA%3E%25qxP%C2l%9C%D0%D8%9D";
    const std::string pid = "peer_id=-TR3000-abcdefghijkl";
    const std::string nums = "port=6881&uploaded=0&downloaded=0&left=10";
    auto t = [&](const std::string& a, const std::string& b, const std::string& c) {
        return "/announce?" + a + "&" + b + "&" + c;
    };
    struct Case
    {
        std::string target;
        std::string says;
    };
    const std::vector<Case> cases = {
        {"/announce", "'info_hash' is missing"},
        {"/announce?" + pid + "&" + nums, "'info_hash' is missing"},
        {"/announce?" + ih + "&" + nums, "'peer_id' is missing"},
        {t(ih, pid, "uploaded=0&downloaded=0&left=10"), "'port' is missing"},
        {t(ih, pid, "port=1&downloaded=0&left=10"), "'uploaded' is missing"},
        {t(ih, pid, "port=1&uploaded=0&left=10"), "'downloaded' is missing"},
        {t(ih, pid, "port=1&uploaded=0&downloaded=0"), "'left' is missing"},
        {t("info_hash=abc", pid, nums), "'info_hash' decodes to 3 bytes, not 20"},
        {t(ih + "%00", pid, nums), "'info_hash' decodes to 21 bytes, not 20"},
        {t(ih, "peer_id=short", nums), "'peer_id' decodes to 5 bytes"},
        {t("info_hash=%A9%99%3E6G%06%81j%BA%3E%25qxP%C2l%9C%D0%D8%9", pid, nums),
         "'info_hash' has a bad percent-escape"},
        {t("info_hash=%ZZ%99%3E6G%06%81j%BA%3E%25qxP%C2l%9C%D0%D8%9D", pid, nums),
         "'info_hash' has a bad percent-escape"},
        {t(ih, pid, "port=0&uploaded=0&downloaded=0&left=10"), "'port' is smaller than 1"},
        {t(ih, pid, "port=65536&uploaded=0&downloaded=0&left=10"), "'port' is larger than 65535"},
        {t(ih, pid, "port=6881x&uploaded=0&downloaded=0&left=10"), "'port' is not a decimal"},
        {t(ih, pid, "port=&uploaded=0&downloaded=0&left=10"), "'port' is empty"},
        {t(ih, pid, "port=-1&uploaded=0&downloaded=0&left=10"), "'port' is not a decimal"},
        {t(ih, pid, "port=1&uploaded=-5&downloaded=0&left=10"), "'uploaded' is not a decimal"},
        {t(ih, pid, "port=1&uploaded=0&downloaded=18446744073709551616&left=10"),
         "'downloaded' is larger than"},
        {t(ih, pid, "port=1&uploaded=0&downloaded=0&left=1e3"), "'left' is not a decimal"},
        {t(ih, pid, nums + "&event=paused"), "'event' is 'paused'"},
        {t(ih, pid, nums + "&compact=yes"), "'compact' is 'yes'"},
        {t(ih, pid, nums + "&numwant=4294967296"), "'numwant' is larger than"},
        {t(ih, pid, nums + "&port=6882"), "'port' is given twice"},
        {t(ih, pid, nums + "&" + ih), "'info_hash' is given twice"},
        {t(ih, pid, nums + "&%zz=1"), "bad percent-escape in parameter name"},
    };
    for (const Case& c : cases)
    {
        std::string what = TargetError(c.target);
        EXPECT_NE(what.find(c.says), std::string::npos)
            << c.target << "\n  said: " << what << "\n  expected: " << c.says;
    }
}

// ------------------------------------------------------------------ announce response

// The compact reply, byte for byte (BEP 23: 4 address bytes and 2 port bytes, network
// order), and the dictionary form of BEP 3; both parse back to the same reply.
TEST(TrackerProtocol, ResponseEncodeParse)
{
    AnnounceResponse r;
    r.interval = 1800;
    r.complete = 1;
    r.incomplete = 2;
    r.peers = {{Ipv4Address("10.0.0.1"), 6881}, {Ipv4Address("192.168.255.3"), 65535}};
    EXPECT_EQ(r.Encode(), "d8:completei1e10:incompletei2e8:intervali1800e5:peers12:"
                          "\x0a\x00\x00\x01\x1a\xe1\xc0\xa8\xff\x03\xff\xff"
                          "e"s);
    EXPECT_EQ(r.Encode(false),
              "d8:completei1e10:incompletei2e8:intervali1800e5:peersld2:ip8:10.0.0.1"
              "4:porti6881eed2:ip13:192.168.255.34:porti65535eeee");
    for (bool compact : {true, false})
    {
        AnnounceResponse back = AnnounceResponse::Parse(r.Encode(compact));
        EXPECT_EQ(back.failure, "");
        EXPECT_EQ(back.interval, 1800u);
        EXPECT_EQ(back.complete, 1u);
        EXPECT_EQ(back.incomplete, 2u);
        EXPECT_EQ(back.peers, r.peers);
    }
    AnnounceResponse none;
    EXPECT_EQ(AnnounceResponse::Parse(none.Encode()).peers.size(), 0u);
    EXPECT_EQ(AnnounceResponse::Parse(none.Encode(false)).peers.size(), 0u);

    AnnounceResponse failed;
    failed.failure = "unregistered torrent";
    failed.peers = r.peers;
    EXPECT_EQ(failed.Encode(), "d14:failure reason20:unregistered torrente");
    AnnounceResponse back = AnnounceResponse::Parse(failed.Encode());
    EXPECT_EQ(back.failure, "unregistered torrent");
    EXPECT_TRUE(back.peers.empty());
    EXPECT_EQ(AnnounceResponse::Parse("d14:failure reason0:e").failure, "(empty failure reason)");
}

// Replies as real trackers write them: the minimal compact one, and a BEP 3 dictionary list
// with peer ids, extra keys, and peers given by host name or IPv6 (skipped: IPv4 model).
TEST(TrackerProtocol, ResponseParsesRealWorldReplies)
{
    AnnounceResponse a
        = AnnounceResponse::Parse("d8:intervali1800e5:peers6:\x0a\x00\x00\x02\x1a\xe1"
                                  "e"s);
    EXPECT_EQ(a.interval, 1800u);
    EXPECT_EQ(a.complete, 0u);
    ASSERT_EQ(a.peers.size(), 1u);
    EXPECT_EQ(a.peers[0], (TrackerPeer{Ipv4Address("10.0.0.2"), 6881}));

    std::string body = "d8:completei5e10:incompletei3e8:intervali900e12:min intervali60e"
                       "5:peersl"
                       "d2:ip9:10.1.2.307:peer id20:-TR3000-abcdefghijkl4:porti51413ee"
                       "d2:ip16:peer.example.org4:porti6881ee"
                       "d2:ip8:2001:db84:porti6881ee"
                       "d2:ip7:1.2.3.44:porti1ee"
                       "e6:peers60:10:tracker id3:xyz15:warning message4:slowe";
    AnnounceResponse b = AnnounceResponse::Parse(body);
    EXPECT_EQ(b.interval, 900u);
    EXPECT_EQ(b.complete, 5u);
    EXPECT_EQ(b.incomplete, 3u);
    std::vector<TrackerPeer> expected
        = {{Ipv4Address("10.1.2.30"), 51413}, {Ipv4Address("1.2.3.4"), 1}};
    EXPECT_EQ(b.peers, expected);
}

// Malformed replies are refused with a message naming the field.
TEST(TrackerProtocol, ResponseParseRejects)
{
    struct Case
    {
        std::string body;
        std::string says;
    };
    const std::vector<Case> cases = {
        {"", "bencode: truncated"},
        {"<html>502 Bad Gateway</html>", "bencode: unknown type byte '<'"},
        {"le", "not a dictionary but a list"},
        {"d5:peers0:e", "'interval' is missing"},
        {"d8:intervali1800ee", "'peers' is missing"},
        {"d8:intervali-1e5:peers0:e", "'interval' is -1"},
        {"d8:interval4:18005:peers0:e", "'interval' must be an integer"},
        {"d8:intervali4294967296e5:peers0:e", "'interval' is 4294967296"},
        {"d8:completei-1e8:intervali1e5:peers0:e", "'complete' is -1"},
        {"d8:intervali1e5:peers7:1234567e", "'peers' is 7 bytes, not a multiple of 6"},
        {"d8:intervali1e5:peersi0ee", "'peers' must be a string or a list"},
        {"d8:intervali1e5:peersli1eee", "'peers[0]' must be a dictionary"},
        {"d8:intervali1e5:peersld4:porti1eeee", "'peers[0].ip' must be a string"},
        {"d8:intervali1e5:peersld2:ip7:1.2.3.4eee", "'peers[0].port' is missing"},
        {"d8:intervali1e5:peersld2:ip7:1.2.3.44:porti0eeee", "'peers[0].port' is 0"},
        {"d8:intervali1e5:peersld2:ip7:1.2.3.44:porti65536eeee", "'peers[0].port' is 65536"},
        {"d8:intervali1e5:peersld2:ip9:1.2.3.2564:porti1eeee", "'1.2.3.256' is not an IPv4"},
        {"d8:intervali1e5:peersld2:ip5:1.2.34:porti1eeee", "'1.2.3' is not an IPv4"},
        {"d8:intervali1e5:peersld2:ip7:1.2.3.47:peer idi1e4:porti1eeee",
         "'peers[0].peer id' must be a string"},
        {"d14:failure reasoni1ee", "'failure reason' must be a string"},
        // Found by fuzzing (issue #18): a compact peer on port 0 was accepted, though the same
        // peer in the list form is rejected, so a reply re-encoded as a list no longer parsed.
        {std::string("d8:completei1e10:incompletei2e8:intervali900e5:peers12:\x0a\0\0\0\0\0"
                     "\0\0\0\x45\x1b\xd5"
                     "e",
                     68),
         "'peers[0].port' is 0"},
        {std::string("d8:intervali1e5:peers12:\x0a\0\0\x01\x1a\xe1\x0a\0\0\x02\0\0e", 37),
         "'peers[1].port' is 0"},
    };
    for (const Case& c : cases)
    {
        std::string what = ReplyError(c.body);
        EXPECT_NE(what.find(c.says), std::string::npos)
            << c.body << "\n  said: " << what << "\n  expected: " << c.says;
    }
}

// ------------------------------------------------------------------ HTTP reader

// A response with Content-Length, fed whole or in any chunks, and what the peer reads of it.
TEST(HttpMessageReader, ReadsResponse)
{
    AnnounceResponse reply;
    reply.peers = {{Ipv4Address("10.0.0.9"), 6881}};
    std::string http = MakeHttpResponse(200, "OK", reply.Encode());
    EXPECT_EQ(http, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                        + std::to_string(reply.Encode().size()) + "\r\n\r\n" + reply.Encode());
    for (size_t chunk : {size_t{1}, size_t{2}, size_t{7}, http.size()})
    {
        HttpMessageReader r = Feed(HttpMessageReader::RESPONSE, http, chunk);
        ASSERT_TRUE(r.IsComplete()) << r.GetError();
        EXPECT_FALSE(r.HasError());
        EXPECT_EQ(r.GetStatus(), 200);
        EXPECT_EQ(r.GetHeader("content-type"), "text/plain");
        EXPECT_EQ(r.GetHeader("X-Missing"), "");
        EXPECT_EQ(r.GetBody(), reply.Encode());
        EXPECT_EQ(AnnounceResponse::Parse(r.GetBody()).peers, reply.peers);
    }
    // Bytes after the end of the message are ignored.
    HttpMessageReader r(HttpMessageReader::RESPONSE);
    std::string more = http + "HTTP/1.0 500 Oops\r\n\r\n";
    EXPECT_TRUE(r.Append(U8(more), more.size()));
    EXPECT_TRUE(r.IsComplete());
    EXPECT_EQ(r.GetBody(), reply.Encode());
    EXPECT_TRUE(r.Append(U8("xyz"), 3));
    EXPECT_EQ(r.GetBody(), reply.Encode());
}

// HTTP/1.0 without Content-Length: the body ends when the connection closes; a bare-LF
// message; a 204 has no body.
TEST(HttpMessageReader, ResponseEndsAtClose)
{
    HttpMessageReader r = Feed(HttpMessageReader::RESPONSE,
                               "HTTP/1.0 200 OK\r\nServer: x\r\n\r\nd8:intervali5e5:peers0:e", 5);
    EXPECT_FALSE(r.IsComplete());
    EXPECT_FALSE(r.HasError());
    r.ConnectionClosed();
    ASSERT_TRUE(r.IsComplete());
    EXPECT_EQ(AnnounceResponse::Parse(r.GetBody()).interval, 5u);

    HttpMessageReader lf
        = Feed(HttpMessageReader::RESPONSE, "HTTP/1.1 404 Not Found\nContent-Length: 3\n\nnop", 4);
    ASSERT_TRUE(lf.IsComplete()) << lf.GetError();
    EXPECT_EQ(lf.GetStatus(), 404);
    EXPECT_EQ(lf.GetBody(), "nop");

    HttpMessageReader empty
        = Feed(HttpMessageReader::RESPONSE, "HTTP/1.1 204 No Content\r\n\r\n", 100);
    EXPECT_TRUE(empty.IsComplete());
    EXPECT_EQ(empty.GetBody(), "");
    HttpMessageReader noReason = Feed(HttpMessageReader::RESPONSE, "HTTP/1.0 200\r\n\r\n", 100);
    EXPECT_FALSE(noReason.IsComplete());
    EXPECT_FALSE(noReason.HasError()) << noReason.GetError();
}

// Every proper prefix of a request or a response is incomplete, never complete with the
// wrong content, and becomes an error (truncated) when the connection closes.
TEST(HttpMessageReader, EveryTruncationIsIncomplete)
{
    std::string request = SampleRequest().ToHttp("10.0.0.1:6969");
    std::string response = MakeHttpResponse(200, "OK",
                                            "d8:intervali1800e5:peers6:\x0a\x00\x00\x02\x1a\xe1"
                                            "e"s);
    struct Message
    {
        HttpMessageReader::Kind kind;
        std::string bytes;
    };
    for (const Message& m : {Message{HttpMessageReader::REQUEST, request},
                             Message{HttpMessageReader::RESPONSE, response}})
    {
        for (size_t len = 0; len < m.bytes.size(); ++len)
        {
            HttpMessageReader r(m.kind);
            EXPECT_TRUE(r.Append(U8(m.bytes), len)) << len << ": " << r.GetError();
            EXPECT_FALSE(r.IsComplete()) << "prefix of " << len << " bytes complete";
            r.ConnectionClosed();
            EXPECT_FALSE(r.IsComplete()) << len;
            EXPECT_TRUE(r.HasError()) << len;
            EXPECT_NE(r.GetError().find("connection closed"), std::string::npos) << r.GetError();
        }
        HttpMessageReader whole(m.kind);
        EXPECT_TRUE(whole.Append(U8(m.bytes), m.bytes.size()));
        EXPECT_TRUE(whole.IsComplete());
        whole.ConnectionClosed();
        EXPECT_TRUE(whole.IsComplete());
        EXPECT_FALSE(whole.HasError());
    }
}

// Messages beyond the reader's limit are refused as soon as the limit is passed, without
// holding more than the limit.
TEST(HttpMessageReader, RejectsOversizedMessages)
{
    std::string longHeader = "GET /announce HTTP/1.0\r\nX-Junk: " + std::string(70000, 'a');
    HttpMessageReader r(HttpMessageReader::REQUEST);
    EXPECT_FALSE(r.Append(U8(longHeader), longHeader.size()));
    EXPECT_NE(r.GetError().find("header section larger than 65536 bytes"), std::string::npos)
        << r.GetError();
    // Further appends are ignored.
    EXPECT_FALSE(r.Append(U8("\r\n\r\n"), 4));
    EXPECT_FALSE(r.IsComplete());

    // Byte by byte: refused at the first byte past the limit.
    HttpMessageReader small(HttpMessageReader::REQUEST, 100);
    size_t fed = 0;
    while (fed < longHeader.size() && small.Append(U8(longHeader) + fed, 1))
    {
        ++fed;
    }
    EXPECT_EQ(fed, 100u);

    // A header section that ends just past the limit.
    std::string exact = "GET / HTTP/1.0\r\nA: " + std::string(77, 'b') + "\r\n\r\n";
    EXPECT_EQ(exact.size(), 100u);
    EXPECT_TRUE(Feed(HttpMessageReader::REQUEST, exact, 3, 100).IsComplete());
    EXPECT_NE(ReaderError(HttpMessageReader::REQUEST, exact, 99).find("larger than 99"),
              std::string::npos);

    // A declared body that would pass the limit is refused at the headers.
    EXPECT_NE(
        ReaderError(HttpMessageReader::RESPONSE, "HTTP/1.0 200 OK\r\nContent-Length: 65500\r\n\r\n")
            .find("Content-Length 65500 makes the message larger"),
        std::string::npos);
    EXPECT_NE(ReaderError(HttpMessageReader::RESPONSE,
                          "HTTP/1.0 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n")
                  .find("malformed Content-Length"),
              std::string::npos);
    // A body read until close that passes the limit.
    std::string untilClose = "HTTP/1.0 200 OK\r\n\r\n" + std::string(200, 'x');
    EXPECT_NE(ReaderError(HttpMessageReader::RESPONSE, untilClose, 100).find("larger than 100"),
              std::string::npos);
}

// Malformed request and status lines and headers are refused with a reason.
TEST(HttpMessageReader, RejectsMalformedMessages)
{
    struct Case
    {
        HttpMessageReader::Kind kind;
        std::string bytes;
        std::string says;
    };
    const auto REQ = HttpMessageReader::REQUEST;
    const auto RSP = HttpMessageReader::RESPONSE;
    const std::vector<Case> cases = {
        {REQ, "\r\n\r\n", "missing request line"},
        {REQ, "GET /a\r\n\r\n", "malformed request line"},
        {REQ, "GET  /a HTTP/1.0\r\n\r\n", "malformed request line"},
        {REQ, "GET /a HTTP/1.0 x\r\n\r\n", "malformed request line"},
        {REQ, "G(T /a HTTP/1.0\r\n\r\n", "malformed method"},
        {REQ, "GET /a HTTP/2.0\r\n\r\n", "unsupported HTTP version 'HTTP/2.0'"},
        {REQ, "GET /a HTTP/1.0\r\nHost x\r\n\r\n", "malformed header line 'Host x'"},
        {REQ, "GET /a HTTP/1.0\r\nHo st: x\r\n\r\n", "malformed header line"},
        {REQ, "GET /a HTTP/1.0\r\n: x\r\n\r\n", "malformed header line"},
        {REQ, "GET /a HTTP/1.0\r\nHost: x\r\n folded\r\n\r\n", "obsolete header line folding"},
        {REQ, "GET /a HTTP/1.0\r\nHost: x\x01y\r\n\r\n", "control character"},
        {REQ, "GET /a HTTP/1.0\r\nHost: x\ry\r\n\r\n", "control character"},
        {REQ, "GET /\xff HTTP/1.0\r\n\r\n", "malformed request target"},
        {REQ, "GET /a HTTP/1.0\r\nContent-Length: -1\r\n\r\n", "malformed Content-Length"},
        {REQ, "GET /a HTTP/1.0\r\nContent-Length: 1x\r\n\r\n", "malformed Content-Length"},
        {REQ, "GET /a HTTP/1.0\r\nContent-Length:\r\n\r\n", "malformed Content-Length"},
        {REQ, "GET /a HTTP/1.0\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
         "conflicting Content-Length"},
        {RSP, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "Transfer-Encoding"},
        {RSP, "GET /a HTTP/1.0\r\n\r\n", "malformed status line"},
        {RSP, "HTTP/1.0 2000 OK\r\n\r\n", "malformed status line"},
        {RSP, "HTTP/1.0 20x OK\r\n\r\n", "malformed status code"},
        {RSP, "HTTP/1.0 099 Low\r\n\r\n", "status code 99 out of range"},
        {RSP, "HTTP/3.0 200 OK\r\n\r\n", "malformed status line"},
        {RSP, "HTTP/1.0 200 OK\r\nContent-Length: 5 \r\nContent-Length: 6\r\n\r\n", "conflicting"},
    };
    for (const Case& c : cases)
    {
        std::string error = ReaderError(c.kind, c.bytes);
        EXPECT_NE(error.find(c.says), std::string::npos)
            << c.bytes << "\n  said: " << error << "\n  expected: " << c.says;
    }
    // The same header twice with the same Content-Length is fine; a request may carry a body.
    HttpMessageReader r
        = Feed(REQ, "POST /x HTTP/1.1\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nhi", 1);
    ASSERT_TRUE(r.IsComplete()) << r.GetError();
    EXPECT_EQ(r.GetMethod(), "POST");
    EXPECT_EQ(r.GetTarget(), "/x");
    EXPECT_EQ(r.GetBody(), "hi");
}

// Random corruptions of a request and a reply, fed in random chunks: the reader either
// refuses the message, waits for more, or completes; a completed request's target either
// parses or is refused with std::runtime_error, and so does a completed reply's body.
TEST(HttpMessageReader, MutatedMessagesNeverCrash)
{
    AnnounceResponse reply;
    reply.peers = {{Ipv4Address("10.0.0.9"), 6881}, {Ipv4Address("10.0.0.10"), 6882}};
    const std::string messages[2]
        = {SampleRequest().ToHttp("10.0.0.1:6969"), MakeHttpResponse(200, "OK", reply.Encode())};
    boost::random::mt19937 rng(5);
    boost::random::uniform_int_distribution<int> byte(0, 255);
    size_t outcomes[3] = {0, 0, 0}; // refused, incomplete, complete
    for (int round = 0; round < 4000; ++round)
    {
        bool request = round % 2 == 0;
        std::string s = messages[round % 2];
        boost::random::uniform_int_distribution<size_t> at(0, s.size() - 1);
        for (int k = 1 + byte(rng) % 2; k > 0; --k)
        {
            size_t pos = at(rng);
            if (byte(rng) % 2 == 0)
            {
                s[pos] = static_cast<char>(byte(rng));
            }
            else
            {
                s[pos] = "%&=?: \r\n0123456789"[byte(rng) % 18];
            }
        }
        HttpMessageReader r(request ? HttpMessageReader::REQUEST : HttpMessageReader::RESPONSE,
                            1024);
        size_t fed = 0;
        while (fed < s.size())
        {
            size_t n = std::min<size_t>(s.size() - fed, 1 + byte(rng) % 64);
            r.Append(U8(s) + fed, n);
            fed += n;
        }
        ASSERT_FALSE(r.IsComplete() && r.HasError());
        if (r.HasError())
        {
            ++outcomes[0];
            EXPECT_FALSE(r.GetError().empty());
            continue;
        }
        if (!r.IsComplete())
        {
            ++outcomes[1];
            continue;
        }
        ++outcomes[2];
        try
        {
            if (request)
            {
                AnnounceRequest::FromTarget(r.GetTarget());
            }
            else
            {
                AnnounceResponse::Parse(r.GetBody());
            }
        }
        catch (const std::runtime_error&)
        {
        }
    }
    EXPECT_GT(outcomes[0], 100u);
    EXPECT_GT(outcomes[2], 100u);
}
