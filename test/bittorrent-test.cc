/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// BitTorrent on ns-3 sockets: whole swarms on small networks (every file byte-identical, a
// lying seed's pieces rejected and fetched again), peers and the tracker facing raw sockets
// that break the protocol.

#include "file-scenario-util.h"
#include "star-network.h"

#include "ns3/bencode.h"
#include "ns3/bittorrent-application.h"
#include "ns3/bittorrent-tracker.h"
#include "ns3/boolean.h"
#include "ns3/file-scenario.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/overlay-helper.h"
#include "ns3/peer-wire.h"
#include "ns3/sha256.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/torrent-metainfo.h"
#include "ns3/tracker-protocol.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

using namespace ns3;

namespace
{

/// A raw TCP client on \p node: connects to \p to, sends \p bytes once connected, and
/// records what comes back and whether the other side closed.
struct RawClient
{
    Ptr<Socket> socket;
    std::string received;
    bool closed{false};

    void
    Start(Ptr<Node> node, InetSocketAddress to, std::string bytes)
    {
        socket = Socket::CreateSocket(node, TcpSocketFactory::GetTypeId());
        socket->Bind();
        socket->SetConnectCallback(
            Callback<void, Ptr<Socket>>([bytes](Ptr<Socket> s) {
                s->Send(
                    Create<Packet>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
            }),
            MakeNullCallback<void, Ptr<Socket>>());
        socket->SetRecvCallback(Callback<void, Ptr<Socket>>([this](Ptr<Socket> s) {
            while (Ptr<Packet> p = s->Recv())
            {
                if (p->GetSize() == 0)
                {
                    break;
                }
                std::string chunk(p->GetSize(), '\0');
                p->CopyData(reinterpret_cast<uint8_t*>(chunk.data()), chunk.size());
                received += chunk;
            }
        }));
        auto done = Callback<void, Ptr<Socket>>([this](Ptr<Socket>) {
            closed = true;
        });
        socket->SetCloseCallbacks(done, done);
        socket->Connect(to);
    }

    /// The body of the HTTP response received (a test failure if it is not complete).
    std::string
    ResponseBody() const
    {
        HttpMessageReader r(HttpMessageReader::RESPONSE);
        r.Append(reinterpret_cast<const uint8_t*>(received.data()), received.size());
        r.ConnectionClosed();
        EXPECT_TRUE(r.IsComplete()) << received;
        return r.GetBody();
    }
};

std::string
Bytes(Ptr<Packet> p)
{
    std::string s(p->GetSize(), '\0');
    p->CopyData(reinterpret_cast<uint8_t*>(s.data()), s.size());
    return s;
}

std::string
Handshake(const Sha1Digest& infoHash)
{
    BtHandshake hs;
    hs.SetInfoHash(infoHash);
    PeerId id{};
    id.fill('x');
    hs.SetPeerId(id);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(hs);
    return Bytes(p);
}

std::string
Message(const BtMessageHeader& m)
{
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(m);
    return Bytes(p);
}

} // namespace

TEST(BitTorrent, EveryReceiversFileIsByteIdenticalAfterALossyRun)
{
    // The 2008 mesh (core loss up to 3%), 6 nodes, a 1.5 MB file in 6 pieces of 256 KiB:
    // every receiver ends with the source's bytes, each piece checked by its SHA-1.
    RunAndCheckEveryFile(QuietMesh(6, 1500 * 1000, 4, 400), "bittorrent");
}

TEST(BitTorrent, UnderChurnEveryReceiverThatStaysLongEnoughCompletes)
{
    // Leavers' connections close (their pieces no longer count for rarity, their outstanding
    // requests go to others); newcomers find the swarm through the tracker, which still lists
    // some of the departed: dialling them fails and is forgotten.
    // A newcomer's download carries a fixed start-up cost (the tracker's answer, connections,
    // an unchoke that may wait for the next 10 s round when every slot is taken) that weighs
    // more against this swarm's 11 s downloads: its slowest may take up to 2.5x.
    ExpectEveryLongStayCompletesUnderChurn("bittorrent", 2.5);
}

TEST(BitTorrent, ALyingSeedsPiecesFailTheirHashAndAreFetchedAgain)
{
    // Two seeds on a 6-node star: the source, and node 5, whose copy of the file has every
    // byte flipped (the torrent is the true file's). Every piece a receiver takes from the
    // liar fails its SHA-1, is discarded and counted, and comes again from someone else: all
    // receivers end with the true file, and each receiver that took bad pieces bans the liar
    // (at once for a failed piece it sent alone; for a shared one when the piece later passes
    // and the liar's blocks turn out to differ from the good ones).
    const uint32_t kPiece = 256 * 1024;
    FileContent good = FileContent::Generate(8 * kPiece, 21);
    std::vector<uint8_t> flipped(good.GetData(), good.GetData() + good.GetSize());
    for (auto& b : flipped)
    {
        b = ~b;
    }
    FileContent bad = FileContent::FromBytes(flipped);
    BlockManifest manifest = BlockManifest::Make(good, 16384);
    TorrentMetainfo torrent = TorrentMetainfo::Make(good, "file", "http://10.0.0.1:6969/announce");
    Ptr<SimulatedNetwork> net = StarNetwork(6, 8e6, 10);
    OverlayHelper helper("ns3::BitTorrentApplication");
    helper.SetAttribute("FileSize", UintegerValue(good.GetSize()));
    ApplicationContainer apps = helper.InstallWithoutTree(net, 0);
    apps.Get(5)->SetAttribute("Source", BooleanValue(true));
    apps.Get(5)->SetAttribute("RunTracker", BooleanValue(false));
    std::vector<Ptr<BitTorrentApplication>> bt;
    // (receiver, time, piece) of each failed check: who sent blocks of it
    std::map<std::tuple<uint32_t, int64_t, uint32_t>, std::set<Ipv4Address>> failed;
    std::set<std::pair<uint32_t, Ipv4Address>> banned; ///< (receiver, whom it banned)
    for (uint32_t i = 0; i < 6; ++i)
    {
        bt.push_back(DynamicCast<BitTorrentApplication>(apps.Get(i)));
        bt[i]->SetTorrent(torrent);
        if (i == 0)
        {
            bt[i]->SetContent(good, manifest);
        }
        else if (i == 5)
        {
            bt[i]->SetContent(bad, manifest);
        }
        else
        {
            bt[i]->SetManifest(manifest);
        }
        bt[i]->TraceConnectWithoutContext(
            "PieceFailed",
            Callback<void, uint32_t, Ipv4Address>([&failed, i](uint32_t piece, Ipv4Address from) {
                failed[{i, Simulator::Now().GetTimeStep(), piece}].insert(from);
            }));
        bt[i]->TraceConnectWithoutContext(
            "ProtocolError", Callback<void, Ipv4Address, const std::string&>(
                                 [&banned, i](Ipv4Address who, const std::string& why) {
                                     if (why.find("banned") != std::string::npos)
                                     {
                                         banned.insert({i, who});
                                     }
                                 }));
    }
    apps.Start(Seconds(0));
    apps.Stop(Seconds(200));
    Simulator::Stop(Seconds(201));
    Simulator::Run();
    uint64_t rejected = 0;
    for (uint32_t i = 1; i < 5; ++i)
    {
        ASSERT_TRUE(bt[i]->IsComplete()) << "receiver " << i;
        EXPECT_EQ(bt[i]->GetStore()->ComputeFileDigest(), manifest.GetFileDigest()) << i;
        rejected += bt[i]->GetRejectedBlocks();
    }
    EXPECT_GT(failed.size(), 0u) << "the liar served pieces";
    for (const auto& [key, senders] : failed)
    {
        EXPECT_EQ(senders.count(net->GetClientAddress(5)), 1u) << "a piece failed without the liar";
        EXPECT_EQ(banned.count({std::get<0>(key), net->GetClientAddress(5)}), 1u)
            << "receiver " << std::get<0>(key) << " took bad pieces and kept the liar";
    }
    for (const auto& [who, whom] : banned)
    {
        EXPECT_EQ(whom, net->GetClientAddress(5)) << "receiver " << who << " banned an honest peer";
    }
    EXPECT_EQ(rejected, failed.size() * 16u) << "each failed piece's 16 blocks are counted";
    Simulator::Destroy();
}

TEST(BitTorrent, PeersWithOnlyTheTorrentKeepTheBytesAndServeThemOn)
{
    // As a real client's peers do: receivers get the .torrent and no manifest. Node 1
    // downloads from the seed (node 0), which then leaves; node 2 starts after that and can
    // only get the file from node 1, so its pieces pass their SHA-1 only if node 1 kept and
    // serves the real bytes. The tracker runs alone on node 3.
    FileContent content = FileContent::Generate(4 * 256 * 1024 + 1000, 17);
    TorrentMetainfo torrent = TorrentMetainfo::Make(content, "f", "http://10.0.0.1:6969/announce");
    Ptr<SimulatedNetwork> net = StarNetwork(4, 8e6, 10);
    OverlayHelper helper("ns3::BitTorrentApplication");
    helper.SetAttribute("FileSize", UintegerValue(content.GetSize()));
    helper.SetAttribute("Tracker", Ipv4AddressValue(net->GetClientAddress(3)));
    helper.SetAttribute("RunTracker", BooleanValue(false));
    helper.SetAttribute("RerequestInterval", TimeValue(Seconds(5)));
    ApplicationContainer apps = helper.InstallWithoutTree(net, 0);
    OverlayHelper::AssignStreams(apps, 300);
    Ptr<BitTorrentTracker> tracker = CreateObject<BitTorrentTracker>();
    net->GetClient(3)->AddApplication(tracker);
    std::vector<Ptr<BitTorrentApplication>> bt;
    for (uint32_t i = 0; i < 3; ++i)
    {
        bt.push_back(DynamicCast<BitTorrentApplication>(apps.Get(i)));
        bt[i]->SetTorrent(torrent);
    }
    bt[0]->SetContent(content, BlockManifest::Make(content, 16384));
    apps.Get(3)->SetStartTime(Seconds(1000)); // node 3 runs the tracker only
    bt[0]->SetStartTime(Seconds(0));
    bt[0]->SetStopTime(Seconds(20));
    bt[1]->SetStartTime(Seconds(0));
    bt[2]->SetStartTime(Seconds(25));
    bt[1]->SetStopTime(Seconds(120));
    bt[2]->SetStopTime(Seconds(120));
    tracker->SetStartTime(Seconds(0));
    Simulator::Stop(Seconds(121));
    Simulator::Run();
    const Sha256Digest want = Sha256::Of(content.GetData(), content.GetSize());
    for (uint32_t i = 1; i < 3; ++i)
    {
        ASSERT_TRUE(bt[i]->IsComplete()) << "receiver " << i;
        ASSERT_NE(bt[i]->GetStore(), nullptr) << i;
        EXPECT_TRUE(bt[i]->GetStore()->HoldsBytes()) << i;
        EXPECT_EQ(bt[i]->GetStore()->ComputeFileDigest(), want) << i;
        EXPECT_EQ(bt[i]->GetRejectedBlocks(), 0u) << i;
    }
    EXPECT_LT(bt[1]->GetCompletionTime(), Seconds(20)) << "node 1 completed while the seed ran";
    Simulator::Destroy();
}

TEST(BitTorrent, EndgameAsksEveryPeerForTheLastBlocksAndCancelsTheSpareCopies)
{
    // One receiver, two seeds of the same file on a star. Once every missing block is
    // requested, the receiver asks the other seed for the blocks still outstanding (endgame)
    // and, as each arrives, cancels its other copy: cancels go out, and the copies that still
    // arrive (already in flight) are few and counted as duplicates.
    FileContent content = FileContent::Generate(6 * 256 * 1024, 9);
    BlockManifest manifest = BlockManifest::Make(content, 16384);
    TorrentMetainfo torrent = TorrentMetainfo::Make(content, "f", "http://10.0.0.1:6969/announce");
    Ptr<SimulatedNetwork> net = StarNetwork({8e6, 8e6, 8e6}, 20);
    OverlayHelper helper("ns3::BitTorrentApplication");
    helper.SetAttribute("FileSize", UintegerValue(content.GetSize()));
    ApplicationContainer apps = helper.InstallWithoutTree(net, 0);
    OverlayHelper::AssignStreams(apps, 200);
    apps.Get(2)->SetAttribute("Source", BooleanValue(true));
    apps.Get(2)->SetAttribute("RunTracker", BooleanValue(false));
    uint32_t cancels = 0;
    uint32_t requests = 0;
    uint32_t duplicates = 0;
    for (uint32_t i = 0; i < 3; ++i)
    {
        auto app = DynamicCast<BitTorrentApplication>(apps.Get(i));
        app->SetTorrent(torrent);
        i == 1 ? app->SetManifest(manifest) : app->SetContent(content, manifest);
    }
    auto receiver = DynamicCast<BitTorrentApplication>(apps.Get(1));
    receiver->TraceConnectWithoutContext(
        "ControlTx",
        Callback<void, Ipv4Address, uint16_t, uint32_t>([&](Ipv4Address, uint16_t type, uint32_t) {
            cancels += type == 0x100 + BtMessageHeader::CANCEL;
            requests += type == 0x100 + BtMessageHeader::REQUEST;
        }));
    receiver->TraceConnectWithoutContext(
        "BlockRx", Callback<void, Ipv4Address, uint32_t, uint32_t, bool>(
                       [&duplicates](Ipv4Address, uint32_t, uint32_t, bool dup) {
                           duplicates += dup;
                       }));
    apps.Start(Seconds(0));
    apps.Stop(Seconds(60));
    Simulator::Stop(Seconds(61));
    Simulator::Run();
    ASSERT_TRUE(receiver->IsComplete());
    EXPECT_EQ(receiver->GetStore()->ComputeFileDigest(), manifest.GetFileDigest());
    const uint32_t blocks = manifest.GetNumBlocks();
    EXPECT_GT(requests, blocks) << "endgame asks for some blocks twice";
    EXPECT_GT(cancels, 0u) << "the spare copies are cancelled";
    EXPECT_LE(cancels, 2 * 5u) << "endgame covers at most a backlog of 5 at each seed";
    EXPECT_LE(duplicates, cancels) << "only cancelled copies already in flight arrive twice";
    Simulator::Destroy();
}

TEST(BitTorrent, PeersCloseConnectionsThatBreakTheProtocolAndCarryOn)
{
    // Raw sockets on node 3 open connections to receiver 1's peer port: one with the wrong
    // info hash, one with a request longer than 16 KiB, one with a bitfield of the wrong
    // size, one with garbage instead of a handshake. Each is closed, the reason traced; the
    // swarm (nodes 0-2) still completes.
    FileContent content = FileContent::Generate(4 * 256 * 1024, 5);
    BlockManifest manifest = BlockManifest::Make(content, 16384);
    TorrentMetainfo torrent = TorrentMetainfo::Make(content, "f", "http://10.0.0.1:6969/announce");
    Ptr<SimulatedNetwork> net = StarNetwork(4, 8e6, 10);
    NodeContainer swarm;
    for (uint32_t i = 0; i < 3; ++i)
    {
        swarm.Add(net->GetClients().Get(i));
    }
    OverlayHelper helper("ns3::BitTorrentApplication");
    helper.SetAttribute("FileSize", UintegerValue(content.GetSize()));
    ApplicationContainer apps = helper.InstallWithoutTree(swarm, 0);
    OverlayHelper::AssignStreams(apps, 100);
    std::vector<std::string> reasons;
    for (uint32_t i = 0; i < 3; ++i)
    {
        auto app = DynamicCast<BitTorrentApplication>(apps.Get(i));
        app->SetTorrent(torrent);
        i == 0 ? app->SetContent(content, manifest) : app->SetManifest(manifest);
        app->TraceConnectWithoutContext("ProtocolError",
                                        Callback<void, Ipv4Address, const std::string&>(
                                            [&reasons](Ipv4Address, const std::string& why) {
                                                reasons.push_back(why);
                                            }));
    }
    Sha1Digest other = torrent.GetInfoHash();
    other[0] ^= 1;
    const std::vector<uint8_t> wrongBits(3, 0xff); // 4 pieces need 1 byte
    const std::vector<std::string> attacks = {
        Handshake(other),
        Handshake(torrent.GetInfoHash()) + Message(BtMessageHeader::Request(0, 0, 32768)),
        Handshake(torrent.GetInfoHash()) + Message(BtMessageHeader::Bitfield(wrongBits)),
        std::string(68, 'z'),
    };
    std::vector<RawClient> clients(attacks.size());
    const InetSocketAddress target(net->GetClientAddress(1), 6881);
    for (size_t k = 0; k < attacks.size(); ++k)
    {
        Simulator::Schedule(Seconds(1 + k), [&, k]() {
            clients[k].Start(net->GetClients().Get(3), target, attacks[k]);
        });
    }
    apps.Start(Seconds(0));
    apps.Stop(Seconds(100));
    Simulator::Stop(Seconds(101));
    Simulator::Run();
    ASSERT_EQ(reasons.size(), attacks.size());
    EXPECT_NE(reasons[0].find("another torrent"), std::string::npos) << reasons[0];
    EXPECT_NE(reasons[1].find("16 KiB"), std::string::npos) << reasons[1];
    EXPECT_NE(reasons[2].find("bitfield"), std::string::npos) << reasons[2];
    for (size_t k = 0; k < clients.size(); ++k)
    {
        EXPECT_TRUE(clients[k].closed) << "attack " << k << " left open";
    }
    for (uint32_t i = 1; i < 3; ++i)
    {
        EXPECT_TRUE(DynamicCast<BitTorrentApplication>(apps.Get(i))->IsComplete()) << i;
    }
    Simulator::Destroy();
}

/// A tracker alone on \p node, its random stream fixed.
Ptr<BitTorrentTracker>
TrackerOn(Ptr<Node> node)
{
    Ptr<BitTorrentTracker> tracker = CreateObject<BitTorrentTracker>();
    node->AddApplication(tracker);
    tracker->AssignStreams(7);
    return tracker;
}

TEST(BitTorrent, TheTrackerAnswersAnnouncesAndRejectsBadOnes)
{
    // Raw clients announce to a tracker on node 0: two valid announces (the second is told
    // of the first, compactly), then one without an info hash, which gets a bencoded failure
    // reason and changes nothing, then one that never completes its request and is closed.
    Ptr<SimulatedNetwork> net = StarNetwork(4, 8e6, 10);
    Ptr<BitTorrentTracker> tracker = TrackerOn(net->GetClients().Get(0));
    Sha1Digest hash{};
    hash.fill(0xab);
    auto announce = [&hash](uint8_t who, uint16_t port) {
        AnnounceRequest r;
        r.infoHash = hash;
        r.peerId.fill(who);
        r.port = port;
        r.left = 1000;
        r.event = AnnounceRequest::STARTED;
        return r.ToHttp("10.0.0.1:6969");
    };
    std::vector<RawClient> c(4);
    const InetSocketAddress to(net->GetClientAddress(0), 6969);
    Simulator::Schedule(Seconds(1), [&]() {
        c[0].Start(net->GetClients().Get(1), to, announce(1, 7001));
    });
    Simulator::Schedule(Seconds(2), [&]() {
        c[1].Start(net->GetClients().Get(2), to, announce(2, 7002));
    });
    Simulator::Schedule(Seconds(3), [&]() {
        c[2].Start(net->GetClients().Get(3), to,
                   "GET /announce?peer_id=aaaaaaaaaaaaaaaaaaaa&port=1 HTTP/1.0\r\n\r\n");
    });
    Simulator::Schedule(Seconds(4), [&]() {
        // Never finishes its request: closed after the tracker's RequestTimeout (30 s).
        c[3].Start(net->GetClients().Get(3), to, "GET /announce?info_hash=");
    });
    Simulator::Stop(Seconds(40));
    Simulator::Run();
    for (auto& client : c)
    {
        EXPECT_TRUE(client.closed);
    }
    const AnnounceResponse r = AnnounceResponse::Parse(c[1].ResponseBody());
    EXPECT_TRUE(r.failure.empty());
    ASSERT_EQ(r.peers.size(), 1u);
    EXPECT_EQ(r.peers[0].address, net->GetClientAddress(1));
    EXPECT_EQ(r.peers[0].port, 7001);
    EXPECT_EQ(r.incomplete, 2u);
    EXPECT_NE(AnnounceResponse::Parse(c[2].ResponseBody()).failure.find("info_hash"),
              std::string::npos);
    EXPECT_EQ(tracker->GetSwarmSize(hash), 2u);
    EXPECT_EQ(tracker->GetAnnounceCount(), 2u);
    EXPECT_TRUE(c[3].received.empty()) << "an incomplete request gets no answer";
    EXPECT_EQ(tracker->GetRejectedCount(), 2u);
    Simulator::Destroy();
}

TEST(BitTorrent, TheTrackerAnswersScrapesWithEachTorrentsCounts)
{
    // BEP 48, as real clients ask it: two peers announce torrent A (one a seed, which then
    // reports "completed" once more as a leecher would), one announces torrent B. A scrape of
    // A and an unknown torrent answers for A only; a scrape without info_hash answers for
    // both; a scrape with a malformed info_hash gets a failure reason and is counted.
    Ptr<SimulatedNetwork> net = StarNetwork(4, 8e6, 10);
    Ptr<BitTorrentTracker> tracker = TrackerOn(net->GetClients().Get(0));
    Sha1Digest a{};
    a.fill(0xaa);
    Sha1Digest b{};
    b.fill(0xbb);
    Sha1Digest unknown{};
    unknown.fill(0xcc);
    auto announce
        = [](const Sha1Digest& hash, uint8_t who, uint64_t left, AnnounceRequest::Event event) {
              AnnounceRequest r;
              r.infoHash = hash;
              r.peerId.fill(who);
              r.port = 7000 + who;
              r.left = left;
              r.event = event;
              return r.ToHttp("10.0.0.1:6969");
          };
    auto hex = [](const Sha1Digest& h) {
        return PercentEncode(std::string(h.begin(), h.end()));
    };
    const std::vector<std::string> requests = {
        announce(a, 1, 0, AnnounceRequest::STARTED),
        announce(a, 2, 500, AnnounceRequest::STARTED),
        announce(b, 3, 500, AnnounceRequest::STARTED),
        announce(a, 1, 0, AnnounceRequest::COMPLETED),
        "GET /scrape?info_hash=" + hex(a) + "&info_hash=" + hex(unknown) + " HTTP/1.0\r\n\r\n",
        "GET /scrape HTTP/1.0\r\n\r\n",
        "GET /scrape?info_hash=%41%42 HTTP/1.0\r\n\r\n",
    };
    std::vector<RawClient> c(requests.size());
    const InetSocketAddress to(net->GetClientAddress(0), 6969);
    for (size_t i = 0; i < requests.size(); ++i)
    {
        Simulator::Schedule(Seconds(1 + i), [&, i]() {
            c[i].Start(net->GetClients().Get(1 + i % 3), to, requests[i]);
        });
    }
    Simulator::Stop(Seconds(20));
    Simulator::Run();
    auto body = [](const RawClient& client) {
        return BencodeDecode(client.ResponseBody());
    };
    auto count = [](const BencodeValue& reply, const Sha1Digest& h, const std::string& key) {
        return reply.AsDict()
            .at("files")
            .AsDict()
            .at(std::string(h.begin(), h.end()))
            .AsDict()
            .at(key)
            .AsInteger();
    };
    const BencodeValue one = body(c[4]);
    ASSERT_EQ(one.AsDict().at("files").AsDict().size(), 1u) << "the unknown torrent is left out";
    EXPECT_EQ(count(one, a, "complete"), 1);
    EXPECT_EQ(count(one, a, "incomplete"), 1);
    EXPECT_EQ(count(one, a, "downloaded"), 1);
    const BencodeValue all = body(c[5]);
    ASSERT_EQ(all.AsDict().at("files").AsDict().size(), 2u);
    EXPECT_EQ(count(all, b, "incomplete"), 1);
    EXPECT_EQ(count(all, b, "complete"), 0);
    EXPECT_EQ(count(all, b, "downloaded"), 0);
    const BencodeValue bad = body(c[6]);
    EXPECT_NE(bad.AsDict().at("failure reason").AsString().find("info_hash"), std::string::npos);
    EXPECT_EQ(tracker->GetScrapeCount(), 2u);
    EXPECT_EQ(tracker->GetRejectedCount(), 1u);
    EXPECT_EQ(tracker->GetAnnounceCount(), 4u);
    Simulator::Destroy();
}
