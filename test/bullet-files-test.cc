/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "star-network.h"

#include "ns3/bullet-application.h"
#include "ns3/bullet-files-application.h"
#include "ns3/data-transport.h"
#include "ns3/file-scenario.h"
#include "ns3/overlay-helper.h"
#include "ns3/simulator.h"
#include "ns3/stream-header.h"
#include "ns3/stream-recovery.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

using namespace ns3;

namespace
{

/// What a small run of the registry's `bullet` file system did, per node (node 0 is the
/// source).
struct FilesRun
{
    uint32_t fileBlocks{0};              ///< n
    uint32_t needed{0};                  ///< what the application says a node needs
    std::vector<double> completion;      ///< s (negative: did not complete)
    std::vector<std::set<uint32_t>> got; ///< distinct blocks, as BlockRx reported them
    std::vector<uint32_t> distinctAtCompletion;
    uint64_t blocks{0};
    uint64_t duplicates{0};
    std::vector<uint32_t> made;          ///< the source's BlockMade, in order
    std::vector<uint32_t> pushedToChild; ///< blocks the source sent to a tree child, in order
    bool childOrderIncreasing{true};     ///< per child, the source's blocks in order
    uint32_t sourceChildrenSeen{0};
    std::vector<uint64_t> malformedData;
    std::vector<uint64_t> malformedNumbers;
    std::vector<uint64_t> rejected;
};

/// The registry's `bullet` for files on \p net, source client 0, everyone from t = 0, until
/// every receiver has completed or \p endS. \p during runs at 1 s with the applications (to
/// inject traffic).
FilesRun
RunBullet(Ptr<SimulatedNetwork> net, uint64_t fileBytes, double endS,
          const std::function<void(ApplicationContainer&)>& during = nullptr)
{
    const SystemSpec& spec = SystemRegistry::Get().Find("bullet", SystemSpec::FILE_DISTRIBUTION);
    OverlayHelper helper(spec.appType);
    helper.SetAttribute("FileSize", UintegerValue(fileBytes));
    spec.configure(helper);
    helper.SetTreeAttribute("MaxChildren", UintegerValue(3));
    ApplicationContainer apps = helper.InstallRandomTree(net, 0);
    const uint32_t n = apps.GetN();
    FilesRun r;
    r.completion.assign(n, -1);
    r.got.resize(n);
    r.distinctAtCompletion.assign(n, 0);
    std::map<Ipv4Address, uint32_t> lastToChild;
    Ptr<BulletFilesApplication> source = DynamicCast<BulletFilesApplication>(apps.Get(0));
    for (uint32_t i = 0; i < n; ++i)
    {
        apps.Get(i)->TraceConnectWithoutContext(
            "BlockRx", Callback<void, Ipv4Address, uint32_t, uint32_t, bool>(
                           [&r, i](Ipv4Address, uint32_t block, uint32_t, bool dup) {
                               ++r.blocks;
                               r.duplicates += dup;
                               EXPECT_EQ(dup, r.got[i].count(block) == 1)
                                   << "node " << i << " block " << block;
                               r.got[i].insert(block);
                           }));
        apps.Get(i)->TraceConnectWithoutContext("Complete", Callback<void, Time>([&r, i](Time t) {
                                                    r.completion[i] = t.GetSeconds();
                                                    r.distinctAtCompletion[i] = r.got[i].size();
                                                }));
    }
    source->TraceConnectWithoutContext("BlockMade", Callback<void, uint32_t>([&r](uint32_t b) {
                                           r.made.push_back(b);
                                       }));
    // A plain pointer: a Ptr would make source -> trace -> callback -> source a cycle that
    // leaks the application (LeakSanitizer, issue #18).
    BulletFilesApplication* src = PeekPointer(source);
    source->TraceConnectWithoutContext(
        "BlockTx",
        Callback<void, Ipv4Address, uint32_t, uint32_t>(
            [&r, &lastToChild, source = src](Ipv4Address to, uint32_t block, uint32_t) {
                if (!source->GetTree()->IsChild(to))
                {
                    return; // a mesh receiver's recovery, in the order its sender shuffled
                }
                r.pushedToChild.push_back(block);
                auto it = lastToChild.find(to);
                if (it != lastToChild.end() && block <= it->second)
                {
                    r.childOrderIncreasing = false;
                }
                lastToChild[to] = block;
            }));
    if (during)
    {
        Simulator::Schedule(Seconds(1), [&apps, &during]() {
            during(apps);
        });
    }
    apps.Start(Seconds(0));
    apps.Stop(Seconds(endS));
    // As the scenario does: the run ends when every receiver has completed (or at endS).
    std::function<void()> check = [&r, &check]() {
        if (std::all_of(r.completion.begin() + 1, r.completion.end(), [](double c) {
                return c >= 0;
            }))
        {
            Simulator::Stop();
            return;
        }
        Simulator::Schedule(MilliSeconds(100), check);
    };
    Simulator::Schedule(MilliSeconds(100), check);
    Simulator::Stop(Seconds(endS + 1));
    Simulator::Run();
    r.fileBlocks = source->GetNumBlocks();
    r.needed = source->GetBlocksNeeded();
    r.sourceChildrenSeen = lastToChild.size();
    for (uint32_t i = 0; i < n; ++i)
    {
        auto app = DynamicCast<BulletFilesApplication>(apps.Get(i));
        r.malformedData.push_back(app->GetMalformedData());
        r.malformedNumbers.push_back(app->GetMalformedCount());
        r.rejected.push_back(app->GetRejectedBlocks());
    }
    Simulator::Destroy();
    return r;
}

/// Sends each of \p left to \p dst once, in order, each as soon as \p t takes it (it holds
/// one block per peer).
void
SendEachOnce(Ptr<DataTransport> t, Ipv4Address dst, std::vector<Ptr<Packet>> left)
{
    if (left.empty())
    {
        return;
    }
    if (t->Send(dst, left.front()->Copy()))
    {
        left.erase(left.begin());
    }
    Simulator::Schedule(MilliSeconds(10), &SendEachOnce, t, dst, left);
}

} // namespace

TEST(BulletFiles, TheRegistryHasABulletOfEachKind)
{
    // Names are per kind: the streaming `bullet` keeps its name and spec next to the file one.
    const SystemRegistry& reg = SystemRegistry::Get();
    EXPECT_EQ(reg.Find("bullet", SystemSpec::STREAMING).appType, "ns3::BulletApplication");
    EXPECT_EQ(reg.Find("bullet", SystemSpec::STREAMING).kind, SystemSpec::STREAMING);
    const SystemSpec& files = reg.Find("bullet", SystemSpec::FILE_DISTRIBUTION);
    EXPECT_EQ(files.appType, "ns3::BulletFilesApplication");
    EXPECT_EQ(files.kind, SystemSpec::FILE_DISTRIBUTION);
    EXPECT_EQ(files.tree, "online");
    auto both = reg.Parse("bullet-prime,bullet", SystemSpec::FILE_DISTRIBUTION);
    ASSERT_EQ(both.size(), 2u);
    EXPECT_EQ(both[1].appType, "ns3::BulletFilesApplication");
    EXPECT_EQ(reg.Parse("bullet", SystemSpec::STREAMING)[0].appType, "ns3::BulletApplication");
    EXPECT_THROW(reg.Find("bullet-prime", SystemSpec::STREAMING), std::invalid_argument);
    EXPECT_THROW(reg.Find("gossip", SystemSpec::FILE_DISTRIBUTION), std::invalid_argument);
    const auto names = reg.Names(SystemSpec::FILE_DISTRIBUTION);
    EXPECT_EQ(std::count(names.begin(), names.end(), "bullet"), 1);
}

TEST(BulletFiles, APacketRebuiltForAPeerCarriesTheBlocksBytes)
{
    // The seam in StreamRecovery: a stream packet rebuilt for a peer is its header and zeros;
    // with a payload callback (a file's block) it is its header and the callback's bytes.
    StreamRecovery stream(64, 0.01, 100);
    StreamHeader h;
    h.seq = 5;
    h.created = Seconds(2);
    stream.Hold(h);
    EXPECT_EQ(stream.MakePacket(5)->GetSize(), 100u);

    StreamRecovery file(64, 0.01, 100);
    file.Hold(h);
    file.SetPayloadCallback([](uint32_t seq) {
        std::vector<uint8_t> bytes(300, uint8_t(seq));
        return Create<Packet>(bytes.data(), bytes.size());
    });
    Ptr<Packet> p = file.MakePacket(5);
    StreamHeader back;
    p->RemoveHeader(back);
    ASSERT_TRUE(back.IsValid());
    EXPECT_EQ(back.seq, 5u);
    EXPECT_EQ(back.created, Seconds(2));
    std::vector<uint8_t> payload(p->GetSize());
    p->CopyData(payload.data(), payload.size());
    EXPECT_EQ(payload, std::vector<uint8_t>(300, 5));
}

TEST(BulletFiles, ItsAttributesAreThePapersAndBulletsOwn)
{
    // 2008 Sections 4.2.1.2 and 4.3.2.1: 10 senders and 10 receivers, fixed; digests every
    // 5 s with rows rotated at each; the same attributes (one declaration) as the streaming
    // Bullet's, traces included.
    TypeId tid = BulletFilesApplication::GetTypeId();
    EXPECT_EQ(tid.GetParent(), FileDistributionApplication::GetTypeId());
    auto initial = [&tid](const std::string& name) {
        TypeId::AttributeInformation info;
        EXPECT_TRUE(tid.LookupAttributeByName(name, &info)) << name;
        return info.initialValue ? info.checker->CreateValidValue(*info.initialValue) : nullptr;
    };
    EXPECT_EQ(DynamicCast<const UintegerValue>(initial("MaxSenders"))->Get(), 10u);
    EXPECT_EQ(DynamicCast<const UintegerValue>(initial("MaxReceivers"))->Get(), 10u);
    EXPECT_EQ(DynamicCast<const TimeValue>(initial("RefreshPeriod"))->Get(), Seconds(5));
    EXPECT_EQ(DynamicCast<const UintegerValue>(initial("RowRotation"))->Get(), 1u);
    TypeId::TraceSourceInformation trace;
    ASSERT_TRUE(tid.LookupTraceSourceByName("PeerDropped", &trace));
    EXPECT_EQ(trace.callback, "ns3::BulletFilesApplication::PeerTracedCallback");
    // Set through the attribute system on an object, read back the same way: the accessors
    // reach BulletAttributes' members of a BulletFilesApplication.
    Ptr<BulletFilesApplication> app = CreateObject<BulletFilesApplication>();
    app->SetAttribute("MaxSenders", UintegerValue(7));
    UintegerValue senders;
    app->GetAttribute("MaxSenders", senders);
    EXPECT_EQ(senders.Get(), 7u);
}

TEST(BulletFiles, EveryReceiverCompletesAtExactlyCeil104PercentOfTheBlocks)
{
    // 8 clients with 5 Mbit/s access links, a 1 MB file: n = 62 blocks of 16 KiB, so a node
    // needs ceil(1.04 * 62) = ceil(64.48) = 65 distinct blocks, numbers beyond the file's
    // own standing for the erasure code's.
    const uint64_t file = 1000 * 1000;
    FilesRun r = RunBullet(StarNetwork(8, 5e6, 10), file, 60);
    ASSERT_EQ(r.fileBlocks, 62u);
    EXPECT_EQ(r.needed, 65u);
    for (uint32_t i = 1; i < r.completion.size(); ++i)
    {
        EXPECT_GT(r.completion[i], 0) << "receiver " << i << " did not complete";
        // The Complete trace fires on the block that brings the node to 65, not one earlier
        // (62, the file's own count, or 64) nor later.
        EXPECT_EQ(r.distinctAtCompletion[i], 65u) << "receiver " << i;
        EXPECT_GT(*r.got[i].rbegin(), 61u) << "receiver " << i << " got no coded block";
        std::cout << "receiver " << i << ": complete at " << r.completion[i] << " s, "
                  << r.got[i].size() << " distinct blocks when the last completed\n";
    }
    EXPECT_EQ(r.completion[0], -1) << "the source is not a downloader";
}

TEST(BulletFiles, TheSourcePushesIncreasingBlockNumbers)
{
    // The download application's encoded mode (2008 Section 4.1.3): the source makes 0, 1,
    // 2, ... in turn, and each tree child receives the source's blocks in that order (the
    // disjoint routine gives a child a subset; TCP keeps the order).
    FilesRun r = RunBullet(StarNetwork(8, 5e6, 10), 1000 * 1000, 30);
    ASSERT_GT(r.made.size(), r.fileBlocks) << "the source went on beyond the file's blocks";
    for (uint32_t k = 0; k < r.made.size(); ++k)
    {
        ASSERT_EQ(r.made[k], k) << "the source's " << k << "-th block";
    }
    EXPECT_GE(r.sourceChildrenSeen, 2u);
    EXPECT_GT(r.pushedToChild.size(), r.fileBlocks / 2);
    EXPECT_TRUE(r.childOrderIncreasing);
}

TEST(BulletFiles, DuplicatesStayNearThePapersShare)
{
    // 2008 Section 4.3.2.1: with the TCP queues shrunk to one block per receiving peer,
    // "duplicate data amounted to between 5 and 10% of the overall data received" (rows
    // rotating at every refresh let a receiver re-ask another sender for a block in flight;
    // parents send some blocks to more than one child to probe them). 12 nodes, a 3 MB file:
    // we assert under 12%, the paper's worst plus a fifth. It holds with margin (7.6% here;
    // 5.9-10.3% over RngRun 1-3) and fails when the mechanism that keeps recovered blocks
    // from racing the peers' goes: with the 2003 relaying of every recovered block to
    // children (RecoveredRelay=ns3::RelayAllRecovered) the same runs give 14.8-16.0%.
    FilesRun r = RunBullet(StarNetwork(12, 5e6, 10), 3000 * 1000, 60);
    for (uint32_t i = 1; i < r.completion.size(); ++i)
    {
        EXPECT_GT(r.completion[i], 0) << "receiver " << i << " did not complete";
    }
    const double share = double(r.duplicates) / r.blocks;
    std::cout << r.blocks << " blocks received, " << r.duplicates << " duplicates (" << 100 * share
              << "%)\n";
    EXPECT_GT(r.blocks, 11u * r.needed);
    EXPECT_LT(share, 0.12);
}

TEST(BulletFiles, MalformedBlocksAreCountedAndDropped)
{
    // At 1 s node 1 sends node 2, over its data transport, a packet too short for a block
    // header, a block number beyond the block space and a block of the wrong size: each is
    // dropped and counted, and every receiver still completes.
    FilesRun r = RunBullet(StarNetwork(6, 5e6, 10), 500 * 1000, 60, [](ApplicationContainer& apps) {
        auto from = DynamicCast<BulletFilesApplication>(apps.Get(1));
        auto to = DynamicCast<BulletFilesApplication>(apps.Get(2));
        Ptr<DataTransport> t = from->GetTransport();
        const Ipv4Address dst = to->GetLocalAddress();
        std::vector<Ptr<Packet>> bad;
        bad.push_back(Create<Packet>(5)); // shorter than a StreamHeader
        StreamHeader far;
        far.seq = 1u << 30; // beyond the block space
        bad.push_back(Create<Packet>(to->GetBlockSize()));
        bad.back()->AddHeader(far);
        StreamHeader shortBlock;
        shortBlock.seq = 3; // a block of the file, 100 bytes instead of 16384
        bad.push_back(Create<Packet>(100));
        bad.back()->AddHeader(shortBlock);
        SendEachOnce(t, dst, bad);
    });
    EXPECT_EQ(r.malformedData[2], 1u);
    EXPECT_EQ(r.malformedNumbers[2], 1u);
    EXPECT_EQ(r.rejected[2], 1u);
    for (uint32_t i = 1; i < r.completion.size(); ++i)
    {
        EXPECT_GT(r.completion[i], 0) << "receiver " << i << " did not complete";
        if (i != 2)
        {
            EXPECT_EQ(r.malformedData[i] + r.malformedNumbers[i] + r.rejected[i], 0u);
        }
    }
}

TEST(BulletFiles, RealBytesOfTheFilesOwnBlocksAreCarriedAndChecked)
{
    // The scenario with real bytes on the lossy 2008 mesh: blocks 0 .. n-1 carry the file's
    // bytes, checked against the manifest's SHA-256 on arrival; the code's blocks carry
    // zeros. Every receiver completes; nothing fails its check; the summary says the run
    // was coded, so no file is reassembled and none is claimed verified.
    FileDistributionScenario::Config c;
    c.nodes = 6;
    c.size = 400 * 1000;
    c.seed = 3;
    c.maxTime = 120;
    c.quiet = true;
    const std::string dir = "/tmp/bullet-files-test";
    ExperimentOutput out("bullet-files-test", 0, nullptr, dir + "/results");
    FileDistributionScenario scenario(c);
    nlohmann::json s = scenario.RunSystem(
        SystemRegistry::Get().Find("bullet", SystemSpec::FILE_DISTRIBUTION), out);
    EXPECT_EQ(s["completed"].get<uint32_t>(), 5u);
    EXPECT_EQ(s["blocks_rejected"].get<uint64_t>(), 0u);
    EXPECT_EQ(s["payload"].get<std::string>(), "real");
    EXPECT_TRUE(s["coded"].get<bool>());
    EXPECT_FALSE(s["bytes_verified"].get<bool>());
    // A coded system's receivers hold no reassembled file to write out.
    FileDistributionScenario::Config w = c;
    w.output = dir;
    EXPECT_THROW(FileDistributionScenario(w).RunSystem(
                     SystemRegistry::Get().Find("bullet", SystemSpec::FILE_DISTRIBUTION), out),
                 std::invalid_argument);
    std::filesystem::remove_all(dir);
}
