/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "file-scenario-util.h"
#include "star-network.h"

#include "ns3/bullet-prime-application.h"
#include "ns3/bullet-prime-headers.h"
#include "ns3/data-transport.h"
#include "ns3/experiment-output.h"
#include "ns3/file-scenario.h"
#include "ns3/overlay-helper.h"
#include "ns3/simulator.h"
#include "ns3/system-registry.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

using namespace ns3;

namespace
{

struct PrimeRun
{
    std::vector<double> completion; ///< per receiver, s (negative: did not complete)
    uint64_t blocks{0};
    uint64_t duplicates{0};
    uint64_t unrequested{0};
    uint64_t malformed{0};
    std::vector<uint32_t> sendersAdded; ///< per node
};

/// Bullet' over the online RandomTree on \p net, source client 0, all starting at 0.
PrimeRun
RunPrime(Ptr<SimulatedNetwork> net, uint64_t fileBytes, double endS)
{
    OverlayHelper helper("ns3::BulletPrimeApplication");
    helper.SetAttribute("FileSize", UintegerValue(fileBytes));
    helper.SetTransport("ns3::TcpDataTransport", "QueueLimit", UintegerValue(1000));
    helper.SetTreeAttribute("MaxChildren", UintegerValue(3));
    ApplicationContainer apps = helper.InstallRandomTree(net, 0);
    const uint32_t n = apps.GetN();
    PrimeRun r;
    r.completion.assign(n, -1);
    r.sendersAdded.assign(n, 0);
    for (uint32_t i = 0; i < n; ++i)
    {
        apps.Get(i)->TraceConnectWithoutContext("Complete", Callback<void, Time>([&r, i](Time t) {
                                                    r.completion[i] = t.GetSeconds();
                                                }));
        apps.Get(i)->TraceConnectWithoutContext("SenderAdded",
                                                Callback<void, Ipv4Address>([&r, i](Ipv4Address) {
                                                    ++r.sendersAdded[i];
                                                }));
        apps.Get(i)->TraceConnectWithoutContext(
            "BlockRx", Callback<void, Ipv4Address, uint32_t, uint32_t, bool>(
                           [&r](Ipv4Address, uint32_t, uint32_t, bool dup) {
                               ++r.blocks;
                               r.duplicates += dup;
                           }));
    }
    apps.Start(Seconds(0));
    apps.Stop(Seconds(endS));
    Simulator::Stop(Seconds(endS + 1));
    Simulator::Run();
    for (uint32_t i = 0; i < n; ++i)
    {
        auto app = DynamicCast<BulletPrimeApplication>(apps.Get(i));
        r.unrequested += app->GetUnrequestedBlocks();
        r.malformed += app->GetMalformedMessages();
    }
    Simulator::Destroy();
    return r;
}

} // namespace

namespace
{

/// \p h survives a trip through a packet; every truncation of its bytes is rejected.
template<typename T>
void
ExpectRoundTripAndTruncationsRejected(const T& h)
{
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    std::vector<uint8_t> bytes(p->GetSize());
    p->CopyData(bytes.data(), bytes.size());
    T back;
    ASSERT_EQ(p->RemoveHeader(back), bytes.size());
    EXPECT_TRUE(back.IsValid());
    EXPECT_TRUE(back == h);
    for (uint32_t cut = 0; cut < bytes.size(); ++cut)
    {
        T t;
        Create<Packet>(bytes.data(), cut)->RemoveHeader(t);
        EXPECT_FALSE(t.IsValid()) << "cut at " << cut;
    }
}

template<typename T>
bool
ParsesAsValid(const std::vector<uint8_t>& bytes)
{
    T t;
    Create<Packet>(bytes.data(), bytes.size())->RemoveHeader(t);
    return t.IsValid();
}

/// A block transport that flips one byte in the first \p Corrupt blocks it sends: a peer
/// whose disk or memory went bad.
class CorruptingTcpDataTransport : public TcpDataTransport
{
  public:
    static TypeId
    GetTypeId()
    {
        static TypeId tid
            = TypeId("ns3::test::CorruptingTcpDataTransport")
                  .SetParent<TcpDataTransport>()
                  .AddConstructor<CorruptingTcpDataTransport>()
                  .AddAttribute("Corrupt", "Blocks to corrupt", UintegerValue(0),
                                MakeUintegerAccessor(&CorruptingTcpDataTransport::m_corrupt),
                                MakeUintegerChecker<uint32_t>());
        return tid;
    }

    uint32_t
    GetCorrupted() const
    {
        return m_corrupted;
    }

  protected:
    bool
    DoSend(Ipv4Address peer, Ptr<Packet> packet) override
    {
        if (m_corrupted < m_corrupt && packet->GetSize() > 1000)
        {
            std::vector<uint8_t> bytes(packet->GetSize());
            packet->CopyData(bytes.data(), bytes.size());
            bytes[bytes.size() - 1] ^= 0x5a; // the block's last byte, after its header
            Ptr<Packet> bad = Create<Packet>(bytes.data(), bytes.size());
            if (TcpDataTransport::DoSend(peer, bad))
            {
                ++m_corrupted;
                return true;
            }
            return false;
        }
        return TcpDataTransport::DoSend(peer, packet);
    }

  private:
    uint32_t m_corrupt{0};
    uint32_t m_corrupted{0};
};

NS_OBJECT_ENSURE_REGISTERED(CorruptingTcpDataTransport);

/// The 2008 lossy mesh with a generated file of real bytes, no progress lines.

} // namespace

TEST(BulletPrimeHeaders, RoundTripAndMalformedInput)
{
    BulletPrimeRequestHeader h;
    h.marked = true;
    h.wantDiff = true;
    h.incomingKbps = 4321;
    h.blocks = {7, 3, 900000};
    ExpectRoundTripAndTruncationsRejected(h);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    std::vector<uint8_t> bytes(p->GetSize());
    p->CopyData(bytes.data(), bytes.size());
    EXPECT_TRUE(ParsesAsValid<BulletPrimeRequestHeader>(bytes));
    std::vector<uint8_t> tooMany = bytes; // a count above the limit, before any block is read
    tooMany[5] = (BulletPrimeRequestHeader::kMaxBlocks + 1) >> 8;
    tooMany[6] = (BulletPrimeRequestHeader::kMaxBlocks + 1) & 0xff;
    EXPECT_FALSE(ParsesAsValid<BulletPrimeRequestHeader>(tooMany));
    std::vector<uint8_t> flags = bytes;
    flags[0] = 0x04;
    EXPECT_FALSE(ParsesAsValid<BulletPrimeRequestHeader>(flags));

    BulletPrimeBlockHeader b;
    b.block = 12;
    b.pushed = true;
    ExpectRoundTripAndTruncationsRejected(b);
    std::vector<uint8_t> blockFlags{0, 0, 0, 12, 0x80};
    EXPECT_FALSE(ParsesAsValid<BulletPrimeBlockHeader>(blockFlags));

    BulletPrimeCloseHeader c;
    c.stopSending = true;
    std::vector<uint8_t> role{2};
    EXPECT_FALSE(ParsesAsValid<BulletPrimeCloseHeader>(role));
}

TEST(BulletPrime, EveryReceiverCompletesWithoutDuplicatesBeyondThePushRace)
{
    // 10 clients with 5 Mbit/s access links, a 2 MB file in 16 KiB blocks (123 blocks).
    const uint64_t file = 2 * 1000 * 1000;
    PrimeRun r = RunPrime(StarNetwork(10, 5e6, 10), file, 60);
    const double optimum = file * 8.0 / 5e6; // the source's uplink carries it once: 3.2 s
    for (uint32_t i = 1; i < r.completion.size(); ++i)
    {
        EXPECT_GT(r.completion[i], optimum) << "receiver " << i;
        EXPECT_LT(r.completion[i], 40) << "receiver " << i << " did not complete in time";
    }
    EXPECT_EQ(r.malformed, 0u);
    EXPECT_EQ(r.unrequested, 0u) << "blocks arrive only when requested or pushed";
    // Every receiver needs 123 blocks; duplicates can only come from a pushed block racing a
    // pull of the same block.
    EXPECT_GE(r.blocks, 9u * 123u);
    EXPECT_LT(double(r.duplicates) / r.blocks, 0.05) << r.duplicates << " of " << r.blocks;
    uint32_t pulling = 0;
    for (uint32_t i = 1; i < r.completion.size(); ++i)
    {
        pulling += r.sendersAdded[i] >= 2;
        std::cout << "receiver " << i << ": complete at " << r.completion[i] << " s, "
                  << r.sendersAdded[i] << " senders\n";
    }
    std::cout << r.blocks << " blocks, " << r.duplicates << " duplicates\n";
    EXPECT_GE(pulling, 5u) << "receivers pull from several peers";
}

TEST(BulletPrime, EveryReceiversFileIsByteIdenticalAfterALossyRun)
{
    // The 2008 mesh with lossy core links (up to 3%), real bytes checked against the
    // manifest, each receiver's file written out and compared with the source's bytes.
    nlohmann::json s = RunAndCheckEveryFile(QuietMesh(6, 600 * 1000, 3, 300), "bullet-prime");
    EXPECT_GT(s["completion_mean_s"].get<double>(), s["optimal_s"].get<double>());
}

TEST(BulletPrime, ACorruptBlockIsRejectedAndFetchedAgain)
{
    // Real bytes on a 6-node star; one receiver's transport corrupts the first 5 blocks it
    // sends to peers. Those blocks fail their SHA-256 at the receivers, are counted, and are
    // asked for again: every receiver still ends with the source's file.
    const uint32_t kBlock = 16384;
    FileContent content = FileContent::Generate(60 * kBlock, 11);
    BlockManifest manifest = BlockManifest::Make(content, kBlock);
    Ptr<SimulatedNetwork> net = StarNetwork(6, 5e6, 10);
    OverlayHelper helper("ns3::BulletPrimeApplication");
    helper.SetTransport("ns3::TcpDataTransport", "QueueLimit", UintegerValue(1000));
    helper.SetTreeAttribute("MaxChildren", UintegerValue(2));
    ApplicationContainer apps = helper.InstallRandomTree(net, 0);
    apps.Get(3)->SetAttribute(
        "Transport",
        ObjectFactoryValue(ObjectFactory("ns3::test::CorruptingTcpDataTransport", "QueueLimit",
                                         UintegerValue(1000), "Corrupt", UintegerValue(5))));
    DynamicCast<FileDistributionApplication>(apps.Get(0))->SetContent(content, manifest);
    for (uint32_t i = 1; i < 6; ++i)
    {
        DynamicCast<FileDistributionApplication>(apps.Get(i))->SetManifest(manifest);
    }
    apps.Start(Seconds(0));
    apps.Stop(Seconds(120));
    Simulator::Stop(Seconds(121));
    Simulator::Run();
    uint64_t rejected = 0;
    for (uint32_t i = 1; i < 6; ++i)
    {
        auto app = DynamicCast<BulletPrimeApplication>(apps.Get(i));
        rejected += app->GetRejectedBlocks();
        ASSERT_TRUE(app->IsComplete()) << "receiver " << i;
        EXPECT_EQ(app->GetStore()->ComputeFileDigest(), manifest.GetFileDigest()) << i;
    }
    auto bad = DynamicCast<CorruptingTcpDataTransport>(
        DynamicCast<BulletPrimeApplication>(apps.Get(3))->GetTransport());
    ASSERT_NE(bad, nullptr);
    EXPECT_EQ(bad->GetCorrupted(), 5u) << "the faulty peer served blocks";
    EXPECT_EQ(rejected, 5u) << "every corrupt block was caught, and nothing else";
    Simulator::Destroy();
}

TEST(FileScenario, LateJoinersAreTheRequestedShareOfReceiversAndNeverTheSource)
{
    FileDistributionScenario::Config c;
    c.nodes = 21;
    c.size = 100000;
    c.lateJoin = "0.25@40";
    FileDistributionScenario a(c);
    FileDistributionScenario b(c);
    std::vector<double> starts = a.GetStartTimes();
    ASSERT_EQ(starts.size(), 21u);
    EXPECT_EQ(starts[a.GetSource()], 0.0);
    EXPECT_EQ(std::count(starts.begin(), starts.end(), 40.0), 5) << "ceil(0.25 x 20 receivers)";
    EXPECT_EQ(std::count(starts.begin(), starts.end(), 0.0), 16);
    EXPECT_EQ(starts, b.GetStartTimes()) << "the same late joiners for the same seed";
    c.seed = 2;
    EXPECT_NE(starts, FileDistributionScenario(c).GetStartTimes());
    for (const char* bad : {"0.5", "0@10", "1.5@10", "0.5@-1", "0.5@x", "0.5@700"})
    {
        c.lateJoin = bad;
        EXPECT_THROW(c.Validate(), std::invalid_argument) << bad;
    }
}

TEST(FileScenario, ChurnReplacesEachLeaverAtOnceOnAFreshHost)
{
    FileDistributionScenario::Config c;
    c.nodes = 11;
    c.size = 100000;
    c.maxTime = 200;
    c.churn = 30;
    FileDistributionScenario s(c);
    const auto lives = s.GetIncarnations();
    ASSERT_GT(lives.size(), 20u) << "about 10 receivers x 200 s / 30 s of departures";
    std::vector<double> nextStart(c.nodes, -1);
    std::set<uint32_t> hosts;
    for (uint32_t k = 0; k < lives.size(); ++k)
    {
        const auto& l = lives[k];
        EXPECT_TRUE(hosts.insert(l.host).second) << "host " << l.host << " used twice";
        EXPECT_LT(l.start, l.end);
        EXPECT_LE(l.end, c.maxTime);
        if (k < c.nodes)
        {
            EXPECT_EQ(l.slot, k);
            EXPECT_EQ(l.host, k);
            EXPECT_EQ(l.start, 0.0);
        }
        else
        {
            EXPECT_NE(l.slot, s.GetSource());
            EXPECT_EQ(l.start, nextStart[l.slot]) << "a replacement arrives as its slot's "
                                                     "previous incarnation leaves";
        }
        nextStart[l.slot] = l.departs ? l.end : -1;
        if (l.slot == s.GetSource())
        {
            EXPECT_FALSE(l.departs) << "the source never leaves";
        }
    }
    for (uint32_t i = 0; i < c.nodes; ++i)
    {
        EXPECT_EQ(nextStart[i], -1) << "slot " << i << ": every departure is replaced";
    }
    // Mean lifetime: the departures' stays (those not cut at maxTime) average about 30 s.
    double sum = 0;
    uint32_t departures = 0;
    for (const auto& l : lives)
    {
        if (l.departs)
        {
            sum += l.end - l.start;
            ++departures;
        }
    }
    EXPECT_NEAR(sum / departures, 30.0, 10.0);
    c.lateJoin = "0.5@10";
    EXPECT_THROW(c.Validate(), std::invalid_argument);
    c.lateJoin = "";
    c.churn = -1;
    EXPECT_THROW(c.Validate(), std::invalid_argument);
    c.churn = 0;
    c.tcpBuffer = 10000; // cannot hold a 16 kB block: every TCP system would stall
    EXPECT_THROW(c.Validate(), std::invalid_argument);
    c.tcpBuffer = 16384 + 64;
    EXPECT_NO_THROW(c.Validate());
}

TEST(FileScenario, TheFileSystemsTreeWaits15sAndTakesAFailedConnectionAsAFailure)
{
    // Bullet' and Bullet for files run their online tree with 15 s heartbeat timeouts and
    // FailOnPeerDown (the registry's choice, doc/bullet-prime.md); --treeTimeout overrides the
    // timeouts; a tree-less system reports none of it.
    FileDistributionScenario::Config c;
    c.nodes = 4;
    c.size = 100 * 1000;
    c.maxTime = 60;
    c.quiet = true;
    const std::string dir = "/tmp/bullet-prime-tree-timeouts-test";
    ExperimentOutput out("bullet-prime-tree-timeouts-test", 0, nullptr, dir + "/results");
    const auto& registry = SystemRegistry::Get();
    for (const char* name : {"bullet-prime", "bullet"})
    {
        nlohmann::json s = FileDistributionScenario(c).RunSystem(
            registry.Find(name, SystemSpec::FILE_DISTRIBUTION), out);
        EXPECT_EQ(s["completed"].get<uint32_t>(), 3u) << name;
        EXPECT_DOUBLE_EQ(s["tree_timeout_s"].get<double>(), 15.0) << name;
        EXPECT_TRUE(s["tree_fail_on_peer_down"].get<bool>()) << name;
    }
    c.treeTimeout = 5;
    nlohmann::json s = FileDistributionScenario(c).RunSystem(
        registry.Find("bullet-prime", SystemSpec::FILE_DISTRIBUTION), out);
    EXPECT_DOUBLE_EQ(s["tree_timeout_s"].get<double>(), 5.0);
    EXPECT_TRUE(s["tree_fail_on_peer_down"].get<bool>());
    s = FileDistributionScenario(c).RunSystem(
        registry.Find("bittorrent", SystemSpec::FILE_DISTRIBUTION), out);
    EXPECT_FALSE(s.contains("tree_timeout_s"));
    for (double bad : {-1.0, 0.001})
    {
        c.treeTimeout = bad;
        EXPECT_THROW(c.Validate(), std::invalid_argument) << bad;
    }
    std::filesystem::remove_all(dir);
}

TEST(BulletPrime, UnderChurnEveryReceiverThatStaysLongEnoughCompletes)
{
    // 2008 Section 5.13 / Figure 23 in small. Bullet' must notice the leavers (their
    // connections close), ask others for what was outstanding at them, and take the newcomers
    // in through the tree.
    ExpectEveryLongStayCompletesUnderChurn("bullet-prime");
}

TEST(BulletPrime, ALeaversReceiversDropItAtOnceAndAskOthersForWhatItOwed)
{
    // 10 clients on 5 Mbit/s access links, a 4 MB file; at 6 s, mid-download, receiver 4's
    // process exits (its application stops, its sockets close). Every node that pulled from
    // it must drop it as a sender as soon as its connections close (not after the 5 s
    // bandwidth review), and every remaining receiver still completes.
    const double leaveAt = 6;
    const uint32_t leaver = 4;
    Ptr<SimulatedNetwork> net = StarNetwork(10, 5e6, 10);
    const Ipv4Address gone = net->GetClientAddress(leaver);
    OverlayHelper helper("ns3::BulletPrimeApplication");
    helper.SetAttribute("FileSize", UintegerValue(4 * 1000 * 1000));
    helper.SetTransport("ns3::TcpDataTransport", "QueueLimit", UintegerValue(1000));
    helper.SetTreeAttribute("MaxChildren", UintegerValue(3));
    ApplicationContainer apps = helper.InstallRandomTree(net, 0);
    std::vector<double> completion(10, -1);
    std::map<uint32_t, double> dropped; ///< node -> when it dropped the leaver as sender
    std::set<uint32_t> pulledFromIt;    ///< its receivers when it left
    for (uint32_t i = 0; i < 10; ++i)
    {
        apps.Get(i)->TraceConnectWithoutContext("Complete",
                                                Callback<void, Time>([&completion, i](Time t) {
                                                    completion[i] = t.GetSeconds();
                                                }));
        apps.Get(i)->TraceConnectWithoutContext(
            "PeerClosed",
            Callback<void, Ipv4Address, const std::string&>([&, i](Ipv4Address peer,
                                                                   const std::string& why) {
                if (peer == gone && Simulator::Now().GetSeconds() >= leaveAt && !dropped.count(i))
                {
                    dropped[i] = Simulator::Now().GetSeconds();
                    std::cout << "node " << i << " drops the leaver at " << dropped[i]
                              << " s: " << why << "\n";
                }
            }));
    }
    Simulator::Schedule(Seconds(leaveAt) - NanoSeconds(1), [&]() {
        for (uint32_t i = 0; i < 10; ++i)
        {
            auto app = DynamicCast<BulletPrimeApplication>(apps.Get(i));
            auto senders = app->GetSenders();
            if (i != leaver && !app->IsComplete()
                && std::find(senders.begin(), senders.end(), gone) != senders.end())
            {
                pulledFromIt.insert(i);
            }
        }
    });
    apps.Start(Seconds(0));
    apps.Get(leaver)->SetStopTime(Seconds(leaveAt));
    for (uint32_t i = 0; i < 10; ++i)
    {
        if (i != leaver)
        {
            apps.Get(i)->SetStopTime(Seconds(60));
        }
    }
    Simulator::Stop(Seconds(61));
    Simulator::Run();
    Simulator::Destroy();
    ASSERT_GE(pulledFromIt.size(), 2u) << "the leaver was serving several receivers";
    for (uint32_t i : pulledFromIt)
    {
        ASSERT_TRUE(dropped.count(i)) << "node " << i << " kept the leaver as a sender";
        // The FIN leaves after the data already in the leaver's socket buffer (at most
        // 128 KB, its uplink shared by its receivers): within a second or two, where the
        // bandwidth review takes 4 s at best and keeps a sender among few forever.
        EXPECT_LT(dropped[i] - leaveAt, 2.5)
            << "node " << i << " noticed only after " << dropped[i] - leaveAt << " s";
    }
    for (uint32_t i = 1; i < 10; ++i)
    {
        if (i != leaver)
        {
            EXPECT_GT(completion[i], 0) << "receiver " << i << " did not complete";
        }
    }
}

TEST(FileScenario, BestOverTcpCountsHeadersHandshakeAndSlowStart)
{
    // No RTT: the file over the link, less the 54 bytes of headers per 1448-byte segment.
    const double rate = 6e6;
    const double headers = 1502.0 / 1448.0;
    EXPECT_NEAR(BestOverTcpSeconds(100000000, rate, 0), 100e6 * 8 / rate * headers, 1e-6);
    // A file that fits in the first window: the handshake and request, then its bytes.
    EXPECT_NEAR(BestOverTcpSeconds(10000, rate, 0.2), 0.3 + 10000 * 8 / rate * headers, 1e-9);
    // A long RTT costs slow-start rounds: 6 Mbit/s x 200 ms = 150 kB in flight, from a
    // 14.5 kB first window: 4 rounds (14.5, 29, 58, 116 kB) before the pipe is full.
    const double big = BestOverTcpSeconds(20000000, rate, 0.2);
    const double bare = 20e6 * 8 / rate * headers;
    const double ramp = 0.3 + 4 * 0.2 - 15 * 14480 * 8 / rate * headers;
    EXPECT_NEAR(big - bare, ramp, 1e-6);
    EXPECT_GT(big, BestOverTcpSeconds(20000000, rate, 0.05)) << "a longer RTT never helps";
}
