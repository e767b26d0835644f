/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Writes the seed corpora of the fuzz targets: small valid inputs made with the module's own
// serializers, one file per seed, into <dir>/<target>/ (default: fuzz/corpus). The committed
// corpora are its output; run it again after a wire format changes:
//   ./ns3 configure --fuzz && cmake --build build-fuzz --target bullet-fuzz-corpus
//   build-fuzz/bin/bullet-fuzz-corpus fuzz/corpus

#include "fuzz-util.h"

#include "ns3/block-bitmap.h"
#include "ns3/block-frame.h"
#include "ns3/block-manifest.h"
#include "ns3/bullet-peer-header.h"
#include "ns3/bullet-prime-headers.h"
#include "ns3/control-channel.h"
#include "ns3/counting-bloom-filter.h"
#include "ns3/file-content.h"
#include "ns3/inet-topology.h"
#include "ns3/pastry-messages.h"
#include "ns3/peer-wire.h"
#include "ns3/random-tree.h"
#include "ns3/ransub.h"
#include "ns3/scribe.h"
#include "ns3/splitstream-forest.h"
#include "ns3/stream-header.h"
#include "ns3/stream-recovery.h"
#include "ns3/summary-ticket.h"
#include "ns3/tfrc-header.h"
#include "ns3/torrent-metainfo.h"
#include "ns3/tracker-protocol.h"

#include <filesystem>
#include <fstream>
#include <iostream>

using namespace ns3;
using Bytes = std::vector<uint8_t>;

namespace
{

std::filesystem::path g_dir;

void
Write(const std::string& target, const std::string& name, const Bytes& bytes)
{
    std::filesystem::path dir = g_dir / target;
    std::filesystem::create_directories(dir);
    std::ofstream out(dir / name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (!out)
    {
        throw std::runtime_error("cannot write " + (dir / name).string());
    }
}

void
Write(const std::string& target, const std::string& name, const std::string& text)
{
    Write(target, name, Bytes(text.begin(), text.end()));
}

/// \p bytes behind the selector byte \p selector.
Bytes
Select(uint8_t selector, const Bytes& bytes)
{
    Bytes out{selector};
    out.insert(out.end(), bytes.begin(), bytes.end());
    return out;
}

Bytes
Select(uint8_t selector, const std::string& text)
{
    return Select(selector, Bytes(text.begin(), text.end()));
}

Bytes
Concat(std::initializer_list<Bytes> parts)
{
    Bytes out;
    for (const auto& p : parts)
    {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

Bytes
PacketBytes(Ptr<const Packet> p)
{
    Bytes out(p->GetSize());
    p->CopyData(out.data(), out.size());
    return out;
}

BloomFilter
Filter(uint32_t bits, uint8_t k, uint32_t from, uint32_t count)
{
    BloomFilter f(bits, k);
    for (uint32_t i = 0; i < count; ++i)
    {
        f.Insert(from + i);
    }
    return f;
}

void
Transport()
{
    TfrcDataHeader d;
    d.SetSequence(42);
    d.SetTimestamp(MilliSeconds(1500));
    d.SetRtt(MilliSeconds(80));
    Write("tfrc-header", "data", bullet_fuzz::HeaderBytes(d));
    TfrcFeedbackHeader f;
    f.SetTimestampEcho(MilliSeconds(1500));
    f.SetDelay(MilliSeconds(3));
    f.SetReceiveRate(75000);
    f.SetLossEventRate(0.01);
    Write("tfrc-header", "feedback", bullet_fuzz::HeaderBytes(f));

    ControlHeader c;
    c.SetType(ControlChannel::MessageType(0, RandomTree::kJoin));
    Write("control-header", "join", bullet_fuzz::HeaderBytes(c));

    BlockFrameHeader plain;
    plain.SetType(7);
    Ptr<Packet> body = Create<Packet>(reinterpret_cast<const uint8_t*>("hello"), 5);
    BlockFrameHeader block;
    block.SetType(9);
    block.SetBlockFeedback(3, MilliSeconds(-2));
    Bytes frames = Concat({PacketBytes(FrameDecoder::Encode(plain, body)),
                           PacketBytes(FrameDecoder::Encode(block, Create<Packet>(16))),
                           PacketBytes(FrameDecoder::Encode(plain, Create<Packet>(0)))});
    Write("block-frame", "frames", frames);
    Write("block-frame", "one-frame", PacketBytes(FrameDecoder::Encode(block, body)));
    BlockHelloHeader hello;
    hello.address = Ipv4Address("10.0.0.1");
    hello.port = 4000;
    Write("block-frame", "hello", bullet_fuzz::HeaderBytes(hello));
}

void
Streaming()
{
    StreamHeader s;
    s.seq = 1234;
    s.created = MilliSeconds(250);
    Write("stream-header", "packet", bullet_fuzz::HeaderBytes(s));

    StreamDigestHeader digest;
    digest.filter = Filter(64, 3, 100, 10);
    digest.low = 95;
    digest.high = 140;
    Write("stream-digest", "digest", bullet_fuzz::HeaderBytes(digest));
    StreamDigestHeader empty;
    Write("stream-digest", "empty", bullet_fuzz::HeaderBytes(empty));

    BulletPeerHeader peer;
    peer.filter = Filter(100, 4, 0, 20);
    peer.low = 5;
    peer.high = 60;
    peer.share = {4, 2, 1};
    peer.receivedKbps = 600;
    Write("bullet-peer-header", "request", bullet_fuzz::HeaderBytes(peer));
    peer.share = {9, 7, 3}; // RowsByDelivery's shares: several rows
    Write("bullet-peer-header", "several-rows", bullet_fuzz::HeaderBytes(peer));
    BulletPeerHeader digestOnly;
    Write("bullet-peer-header", "empty", bullet_fuzz::HeaderBytes(digestOnly));

    Write("bloom-filter", "filter", ns3::WireBytes(Filter(61, 5, 1000, 7)));
    Write("bloom-filter", "empty", ns3::WireBytes(BloomFilter(16, 2)));

    auto perms = std::make_shared<const MinWisePermutations>(SummaryTicket::kDefaultEntries);
    SummaryTicket ticket(perms);
    for (uint32_t k = 10; k < 60; ++k)
    {
        ticket.Insert(k);
    }
    Write("summary-ticket", "ticket", ns3::WireBytes(ticket));
    Write("summary-ticket", "empty", ns3::WireBytes(SummaryTicket(perms)));

    RanSubHeader r;
    r.epoch = 3;
    r.count = 12;
    r.set.population = 12;
    r.set.members.push_back({Ipv4Address("10.0.0.2"), ns3::WireBytes(ticket)});
    r.set.members.push_back({Ipv4Address("10.0.0.3"), {1, 2, 3}});
    Write("ransub-header", "collect", bullet_fuzz::HeaderBytes(r));
    RanSubHeader none;
    Write("ransub-header", "empty", bullet_fuzz::HeaderBytes(none));

    TreeHeader t;
    t.joiner = Ipv4Address("10.1.2.3");
    Write("tree-header", "join", bullet_fuzz::HeaderBytes(t));
}

void
Files()
{
    BlockBitmap have(300);
    for (uint32_t b : {0u, 1u, 2u, 7u, 64u, 65u, 200u, 299u})
    {
        have.Set(b);
    }
    Write("block-bitmap", "summary", ns3::WireBytes(BlockSummary::Make(have, 16)));
    Write("block-bitmap", "summary-exact", ns3::WireBytes(BlockSummary::Make(have)));
    BitmapDiffSender sender(300);
    Write("block-bitmap", "diff", ns3::WireBytes(sender.MakeDiff(have)));
    Write("block-bitmap", "diff-empty", ns3::WireBytes(sender.MakeDiff(have)));

    BulletPrimeRequestHeader request;
    request.marked = true;
    request.wantDiff = true;
    request.incomingKbps = 900;
    request.blocks = {4, 8, 15, 16, 23, 42};
    Write("bullet-prime-headers", "request", bullet_fuzz::HeaderBytes(request));
    BulletPrimeDiffHeader diff;
    BitmapDiffSender sender2(300);
    diff.diff = sender2.MakeDiff(have);
    Write("bullet-prime-headers", "diff", bullet_fuzz::HeaderBytes(diff));
    BulletPrimeCloseHeader close;
    close.stopSending = true;
    Write("bullet-prime-headers", "close", bullet_fuzz::HeaderBytes(close));
    BulletPrimeBlockHeader block;
    block.block = 77;
    block.pushed = true;
    Write("bullet-prime-headers", "block", bullet_fuzz::HeaderBytes(block));

    Write("block-manifest", "real",
          ns3::WireBytes(BlockManifest::Make(FileContent::Generate(100, 1), 40)));
    Write("block-manifest", "virtual",
          ns3::WireBytes(BlockManifest::Make(FileContent::Virtual(1 << 20), 16384)));
}

void
BitTorrent()
{
    Write("bencode", "dict",
          BencodeEncode(BencodeValue::MakeDict(
              {{"a", BencodeValue::Integer(-42)},
               {"list",
                BencodeValue::MakeList({BencodeValue::String("x"), BencodeValue::Integer(0)})},
               {"s", BencodeValue::String(std::string("\0\xff", 2))}})));
    Write("bencode", "int", std::string("i1234567890e"));
    Write("bencode", "string", std::string("5:hello"));

    auto metainfo = TorrentMetainfo::Make(FileContent::Generate(40000, 2), "file.bin",
                                          "http://10.0.0.1:6969/announce", 16384);
    Write("torrent-metainfo", "single-file", metainfo.Encode());
    // A multi-file torrent as mktorrent writes one (keys sorted, two files).
    std::string pieces(20, 'p');
    BencodeValue::Dict info{
        {"files", BencodeValue::MakeList(
                      {BencodeValue::MakeDict(
                           {{"length", BencodeValue::Integer(10)},
                            {"path", BencodeValue::MakeList({BencodeValue::String("a.txt")})}}),
                       BencodeValue::MakeDict(
                           {{"length", BencodeValue::Integer(6)},
                            {"path", BencodeValue::MakeList({BencodeValue::String("sub"),
                                                             BencodeValue::String("b.txt")})}})})},
        {"name", BencodeValue::String("dir")},
        {"piece length", BencodeValue::Integer(16384)},
        {"pieces", BencodeValue::String(pieces)}};
    Write("torrent-metainfo", "multi-file",
          BencodeEncode(
              BencodeValue::MakeDict({{"announce", BencodeValue::String("http://t/announce")},
                                      {"info", BencodeValue::MakeDict(std::move(info))}})));

    AnnounceResponse reply;
    reply.interval = 900;
    reply.complete = 1;
    reply.incomplete = 2;
    reply.peers = {{Ipv4Address("10.0.0.5"), 6881}, {Ipv4Address("10.0.0.6"), 51413}};
    Write("tracker-protocol", "reply-compact", Select(0, reply.Encode(true)));
    Write("tracker-protocol", "reply-list", Select(0, reply.Encode(false)));
    AnnounceResponse failure;
    failure.failure = "not authorized";
    Write("tracker-protocol", "reply-failure", Select(0, failure.Encode()));
    AnnounceRequest request;
    request.infoHash = metainfo.GetInfoHash();
    request.peerId.fill('-');
    request.left = 40000;
    request.event = AnnounceRequest::STARTED;
    std::string http = request.ToHttp("10.0.0.1:6969");
    std::string target = http.substr(4, http.find(" HTTP/1.0") - 4);
    Write("tracker-protocol", "target", Select(1, target));
    Write("tracker-protocol", "http-request", Select(2, http));
    Write("tracker-protocol", "http-response",
          Select(3, MakeHttpResponse(200, "OK", reply.Encode(true))));
    Write("tracker-protocol", "http-response-close",
          Select(3, std::string("HTTP/1.0 200 OK\nContent-Type: text/plain\n\nd8:intervali5ee")));
    Write("tracker-protocol", "percent", Select(4, std::string("%12%aB+x~")));

    PeerId id;
    id.fill('P');
    BtHandshake handshake(metainfo.GetInfoHash(), id);
    Bytes hs = bullet_fuzz::HeaderBytes(handshake);
    Write("peer-wire", "handshake", Select(0, hs));
    Write("peer-wire", "request",
          Select(1, bullet_fuzz::HeaderBytes(BtMessageHeader::Request(1, 16384, 16384))));
    Write("peer-wire", "bitfield",
          Select(1, bullet_fuzz::HeaderBytes(BtMessageHeader::Bitfield({0xff, 0xe0}))));
    Bytes piece = bullet_fuzz::HeaderBytes(BtMessageHeader::Piece(0, 0, 8));
    Bytes stream = Concat({hs,
                           bullet_fuzz::HeaderBytes(BtMessageHeader::Bitfield({0xc0})),
                           bullet_fuzz::HeaderBytes(BtMessageHeader::Interested()),
                           bullet_fuzz::HeaderBytes(BtMessageHeader::KeepAlive()),
                           bullet_fuzz::HeaderBytes(BtMessageHeader::Have(1)),
                           piece,
                           Bytes(8, 0xAA),
                           bullet_fuzz::HeaderBytes(BtMessageHeader::Cancel(0, 0, 16384)),
                           bullet_fuzz::HeaderBytes(BtMessageHeader::Port(6881)),
                           {0, 0, 0, 3, 20, 0, 'x'}});
    Write("peer-wire", "stream", Select(2, Concat({{0}, stream})));
    Write("peer-wire", "stream-no-handshake",
          Select(2, Concat({{1}, Bytes(stream.begin() + hs.size(), stream.end())})));
}

void
Topology()
{
    Write("inet-topology", "small",
          std::string("4 4\n0\t0\t0\n1\t300\t400\n2\t600\t800\n3\t0.5\t1e3\n"
                      "0\t1\t500\n1\t2\n2\t3\t700\n0\t3\n"));
    Write("inet-topology", "crlf", std::string("2 1\r\n0 1 1\r\n1 4 5\r\n0 1\r\n"));
    std::ostringstream text;
    InetTopology::Generate({3037, 0, 1000, 1}).Write(text);
    // Only the head of a generated file: seeds stay small.
    std::string head = text.str().substr(0, 3000);
    Write("inet-topology", "generated-head", head.substr(0, head.rfind('\n') + 1));
}

void
Overlay()
{
    const PastryHandle a = PastryHandle::Of(Ipv4Address("10.0.0.1"));
    const PastryHandle b = PastryHandle::Of(Ipv4Address("10.0.0.2"));
    PastryRouteHeader route;
    route.key = b.id;
    route.origin = a;
    route.appKind = 1;
    route.hops = 2;
    route.hopSeq = 7;
    route.msgId = 3;
    Write("pastry-scribe", "route", bullet_fuzz::HeaderBytes(route));
    PastryStateHeader state;
    state.sender = a;
    state.flags = PastryStateHeader::kFlagLast | PastryStateHeader::kFlagLeafSet;
    state.row = 1;
    state.handles = {a, b};
    Write("pastry-scribe", "state", bullet_fuzz::HeaderBytes(state));
    PastryProbeHeader probe;
    probe.sender = b;
    probe.value = 1500000000;
    Write("pastry-scribe", "probe", bullet_fuzz::HeaderBytes(probe));
    ScribeHeader scribe;
    scribe.type = Scribe::kAnycast;
    scribe.group = b.id;
    scribe.node = a;
    scribe.seq = 9;
    scribe.flags = ScribeHeader::kFlagSuccess;
    scribe.handles = {b};
    Write("pastry-scribe", "scribe", bullet_fuzz::HeaderBytes(scribe));
    SplitStreamAnycastHeader anycast;
    anycast.stripe = a.id;
    Write("pastry-scribe", "anycast", bullet_fuzz::HeaderBytes(anycast));
}

} // namespace

int
main(int argc, char** argv)
{
    bullet_fuzz::Init();
    g_dir = argc > 1 ? argv[1] : "fuzz/corpus";
    Transport();
    Streaming();
    Files();
    BitTorrent();
    Topology();
    Overlay();
    std::cout << "seeds written to " << g_dir << "\n";
    return 0;
}
