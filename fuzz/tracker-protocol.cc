/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fuzz target: the tracker protocol. The first byte picks the parser, the rest is its input:
//  0: a tracker's reply (AnnounceResponse::Parse), encoded again (compact and as a list) and
//     parsed back to the same reply;
//  1: an announce's target (AnnounceRequest::FromTarget), sent again (ToHttp), read by the
//     tracker's HTTP reader and parsed back to the same request;
//  2, 3: the incremental HTTP reader of requests (2) and responses (3), fed at once and cut
//     into pieces: same verdict, same message;
//  4: percent-decoding, encoded and decoded back to the same bytes.
// Documented rejections are std::runtime_error (BencodeError included).

#include "ns3/tracker-protocol.h"

#include "fuzz-util.h"

#include <stdexcept>

using namespace ns3;

namespace
{

bool
SameReply(const AnnounceResponse& a, const AnnounceResponse& b)
{
    return a.failure == b.failure && a.interval == b.interval && a.complete == b.complete
           && a.incomplete == b.incomplete && a.peers == b.peers;
}

void
ReplyRoundTrip(const std::string& body)
{
    AnnounceResponse r;
    try
    {
        r = AnnounceResponse::Parse(body);
    }
    catch (const std::runtime_error&)
    {
        return;
    }
    for (bool compact : {true, false})
    {
        AnnounceResponse back = AnnounceResponse::Parse(r.Encode(compact)); // must not throw
        if (r.failure.empty())
        {
            FUZZ_CHECK(SameReply(back, r));
        }
        else
        {
            FUZZ_CHECK(back.failure == r.failure);
        }
    }
}

/// Feeds \p text to a reader whole or cut into pieces, then closes the connection.
HttpMessageReader
Read(HttpMessageReader::Kind kind, const std::string& text, bool split)
{
    HttpMessageReader reader(kind, 4096);
    auto bytes = reinterpret_cast<const uint8_t*>(text.data());
    if (!split)
    {
        reader.Append(bytes, text.size());
    }
    else
    {
        for (const auto& [at, len] : bullet_fuzz::Splits(text.size(), text.size() & 0xFF))
        {
            reader.Append(bytes + at, len);
        }
    }
    FUZZ_CHECK(!(reader.IsComplete() && reader.HasError()));
    reader.ConnectionClosed();
    FUZZ_CHECK(reader.IsComplete() != reader.HasError());
    FUZZ_CHECK(reader.GetBody().size() <= 4096);
    return reader;
}

void
RequestRoundTrip(const std::string& target)
{
    AnnounceRequest r;
    try
    {
        r = AnnounceRequest::FromTarget(target);
    }
    catch (const std::runtime_error&)
    {
        return;
    }
    std::string http = r.ToHttp("tracker.example:6969", "/announce");
    HttpMessageReader reader = Read(HttpMessageReader::REQUEST, http, false);
    FUZZ_CHECK(reader.IsComplete());
    FUZZ_CHECK(reader.GetMethod() == "GET");
    FUZZ_CHECK(AnnounceRequest::FromTarget(reader.GetTarget()) == r); // must not throw
}

void
HttpDifferential(HttpMessageReader::Kind kind, const std::string& text)
{
    HttpMessageReader whole = Read(kind, text, false);
    HttpMessageReader split = Read(kind, text, true);
    FUZZ_CHECK(whole.IsComplete() == split.IsComplete());
    FUZZ_CHECK(whole.GetError() == split.GetError());
    if (whole.IsComplete())
    {
        FUZZ_CHECK(whole.GetMethod() == split.GetMethod());
        FUZZ_CHECK(whole.GetTarget() == split.GetTarget());
        FUZZ_CHECK(whole.GetStatus() == split.GetStatus());
        FUZZ_CHECK(whole.GetBody() == split.GetBody());
        FUZZ_CHECK(whole.GetHeader("Content-Length") == split.GetHeader("content-length"));
        FUZZ_CHECK(whole.GetHeader("host") == split.GetHeader("HOST"));
    }
}

void
PercentRoundTrip(const std::string& text)
{
    std::string bytes;
    try
    {
        bytes = PercentDecode(text);
    }
    catch (const std::runtime_error&)
    {
        return;
    }
    FUZZ_CHECK(bytes.size() <= text.size());
    FUZZ_CHECK(PercentDecode(PercentEncode(bytes)) == bytes);
    FUZZ_CHECK(PercentEncode(bytes) == PercentEncode(PercentDecode(PercentEncode(bytes))));
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bullet_fuzz::Init();
    if (size == 0)
    {
        return 0;
    }
    const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 5)
    {
        case 0:
            ReplyRoundTrip(input);
            break;
        case 1:
            RequestRoundTrip(input);
            break;
        case 2:
            HttpDifferential(HttpMessageReader::REQUEST, input);
            break;
        case 3:
            HttpDifferential(HttpMessageReader::RESPONSE, input);
            break;
        default:
            PercentRoundTrip(input);
            break;
    }
    return 0;
}
