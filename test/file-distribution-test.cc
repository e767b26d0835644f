/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The file-distribution base class, through the smallest protocol on it: a test-only tree
 * flood (the source pushes each block down the tree, nodes forward new blocks to their
 * children). The real protocols (Bullet', BitTorrent, ...) come in their own issues.
 */
#include "star-network.h"

#include "ns3/block-manifest.h"
#include "ns3/double.h"
#include "ns3/file-content.h"
#include "ns3/file-distribution-application.h"
#include "ns3/overlay-helper.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <map>

using namespace ns3;

namespace
{

/// A block number, then the block's bytes.
class FloodBlockHeader : public Header
{
  public:
    uint32_t block{0};

    static TypeId
    GetTypeId()
    {
        static TypeId tid = TypeId("ns3::test::FloodBlockHeader").SetParent<Header>();
        return tid;
    }

    TypeId
    GetInstanceTypeId() const override
    {
        return GetTypeId();
    }

    uint32_t
    GetSerializedSize() const override
    {
        return 4;
    }

    void
    Serialize(Buffer::Iterator start) const override
    {
        start.WriteHtonU32(block);
    }

    uint32_t
    Deserialize(Buffer::Iterator start) override
    {
        block = start.ReadNtohU32();
        return 4;
    }

    void
    Print(std::ostream& os) const override
    {
        os << "block=" << block;
    }
};

/// Test-only protocol: the source paces every block down the tree; nodes forward new ones.
class TreeFloodFileApplication : public FileDistributionApplication
{
  public:
    static TypeId
    GetTypeId()
    {
        static TypeId tid = TypeId("ns3::test::TreeFloodFileApplication")
                                .SetParent<FileDistributionApplication>()
                                .AddConstructor<TreeFloodFileApplication>();
        return tid;
    }

    /// Sends block \p block (any number) to \p to, as a misbehaving peer could.
    void
    SendRaw(Ipv4Address to, uint32_t block)
    {
        SendBlock(to, MakeBlock(block), block);
    }

    /// Sends block \p block with one bit of its bytes flipped.
    void
    SendCorrupt(Ipv4Address to, uint32_t block)
    {
        Ptr<Packet> payload = MakeBlockPayload(block);
        std::vector<uint8_t> bytes(payload->GetSize());
        payload->CopyData(bytes.data(), bytes.size());
        bytes[bytes.size() / 2] ^= 0x10;
        FloodBlockHeader h;
        h.block = block;
        Ptr<Packet> p = Create<Packet>(bytes.data(), bytes.size());
        p->AddHeader(h);
        SendBlock(to, p, block);
    }

  protected:
    void
    DoStart() override
    {
        if (IsSource())
        {
            m_next = Simulator::Schedule(MilliSeconds(10), &TreeFloodFileApplication::Push, this);
        }
    }

    void
    DoStop() override
    {
        m_next.Cancel();
    }

    void
    ReceiveData(Ipv4Address from, Ptr<Packet> packet) override
    {
        FloodBlockHeader h;
        const uint32_t bytes = packet->GetSize();
        packet->RemoveHeader(h);
        if (AcceptBlock(from, h.block, packet, bytes))
        {
            Forward(h.block);
        }
    }

  private:
    Ptr<Packet>
    MakeBlock(uint32_t block) const
    {
        FloodBlockHeader h;
        h.block = block;
        Ptr<Packet> p = block < GetBlockSpace() ? MakeBlockPayload(block) : Create<Packet>(100);
        p->AddHeader(h);
        return p;
    }

    void
    Forward(uint32_t block)
    {
        for (const auto& child : GetTree()->GetChildren())
        {
            SendBlock(child, MakeBlock(block), block);
        }
    }

    void
    Push()
    {
        Forward(m_pushed++);
        if (m_pushed < GetNumBlocks())
        {
            m_next = Simulator::Schedule(MilliSeconds(10), &TreeFloodFileApplication::Push, this);
        }
    }

    uint32_t m_pushed{0};
    EventId m_next;
};

NS_OBJECT_ENSURE_REGISTERED(TreeFloodFileApplication);

/// 0 -> {1, 2, 3}, each -> 3 children (13 nodes).
TreeSpec
Tree13()
{
    TreeSpec t;
    t.root = 0;
    t.parent = {TreeSpec::kNoParent, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3};
    return t;
}

} // namespace

TEST(FileDistribution, BlockArithmetic)
{
    auto app = CreateObject<TreeFloodFileApplication>();
    app->SetAttribute("FileSize", UintegerValue(100 * 1000 * 1000));
    EXPECT_EQ(app->GetBlockSize(), 16384u);
    EXPECT_EQ(app->GetNumBlocks(), 6104u); // ceil(1e8 / 16384)
    EXPECT_EQ(app->GetBlocksNeeded(), 6104u);
    EXPECT_EQ(app->GetBlockBytes(0), 16384u);
    EXPECT_EQ(app->GetBlockBytes(6103), 100000000u - 6103u * 16384u);
    app->SetAttribute("EncodingOverhead", DoubleValue(0.04));
    EXPECT_EQ(app->GetBlocksNeeded(), 6349u); // ceil(1.04 * 6104) = ceil(6348.16)
    app->SetAttribute("FileSize", UintegerValue(100 * 16384));
    EXPECT_EQ(app->GetBlocksNeeded(), 104u); // exactly 1.04 * 100: no rounding up past it
}

TEST(FileDistribution, EveryNodeCompletesOnceWithTheWholeFile)
{
    const uint32_t kBlocks = 150;
    Ptr<SimulatedNetwork> net = StarNetwork(13, 10e6, 5);
    OverlayHelper helper("ns3::test::TreeFloodFileApplication");
    helper.SetAttribute("FileSize", UintegerValue(kBlocks * 1000 - 300)); // a short last block
    helper.SetAttribute("BlockSize", UintegerValue(1000));
    helper.SetTransport("ns3::TcpDataTransport", "QueueLimit", UintegerValue(1000));
    ApplicationContainer apps = helper.InstallStaticTree(net, Tree13());
    std::map<uint32_t, uint32_t> completions;
    std::map<uint32_t, uint64_t> bytes;
    std::map<uint32_t, uint32_t> duplicates;
    for (uint32_t i = 0; i < 13; ++i)
    {
        apps.Get(i)->TraceConnectWithoutContext("Complete",
                                                Callback<void, Time>([&completions, i](Time t) {
                                                    ++completions[i];
                                                    EXPECT_GT(t, Seconds(1.5));
                                                }));
        apps.Get(i)->TraceConnectWithoutContext(
            "BlockRx", Callback<void, Ipv4Address, uint32_t, uint32_t, bool>(
                           [&bytes, &duplicates, i](Ipv4Address, uint32_t, uint32_t b, bool dup) {
                               bytes[i] += b;
                               duplicates[i] += dup;
                           }));
    }
    apps.Start(Seconds(0));
    apps.Stop(Seconds(10));
    Simulator::Stop(Seconds(11));
    Simulator::Run();
    for (uint32_t i = 0; i < 13; ++i)
    {
        auto app = DynamicCast<FileDistributionApplication>(apps.Get(i));
        EXPECT_TRUE(app->IsComplete()) << "node " << i;
        EXPECT_EQ(app->GetBlocksHeld(), kBlocks) << "node " << i;
        if (i == 0)
        {
            EXPECT_EQ(completions.count(0), 0u) << "the source does not download";
            continue;
        }
        EXPECT_EQ(completions[i], 1u) << "node " << i;
        // Traced bytes are the wire's: each block's 4-byte protocol header included.
        EXPECT_EQ(bytes[i], kBlocks * 1000 - 300 + 4 * kBlocks) << "node " << i;
        EXPECT_EQ(duplicates[i], 0u) << "node " << i;
    }
    Simulator::Destroy();
}

TEST(FileDistribution, BlockNumbersOutsideTheFileAreCountedNotStored)
{
    Ptr<SimulatedNetwork> net = StarNetwork(2, 10e6, 5);
    OverlayHelper helper("ns3::test::TreeFloodFileApplication");
    helper.SetAttribute("FileSize", UintegerValue(10 * 1000));
    helper.SetAttribute("BlockSize", UintegerValue(1000));
    TreeSpec t;
    t.root = 0;
    t.parent = {TreeSpec::kNoParent, 0};
    ApplicationContainer apps = helper.InstallStaticTree(net, t);
    auto receiver = DynamicCast<FileDistributionApplication>(apps.Get(1));
    uint32_t rx = 0;
    receiver->TraceConnectWithoutContext("BlockRx",
                                         Callback<void, Ipv4Address, uint32_t, uint32_t, bool>(
                                             [&rx](Ipv4Address, uint32_t, uint32_t, bool) {
                                                 ++rx;
                                             }));
    apps.Start(Seconds(0));
    apps.Stop(Seconds(3));
    // Before the source's own pushes (at 10 ms intervals) a peer sends block 10 (one past the
    // last) and 4,000,000,000.
    Simulator::Schedule(MilliSeconds(1), [&]() {
        auto sender = DynamicCast<TreeFloodFileApplication>(apps.Get(0));
        sender->SendRaw(net->GetClientAddress(1), 10);
        sender->SendRaw(net->GetClientAddress(1), 4000000000u);
    });
    Simulator::Stop(Seconds(4));
    Simulator::Run();
    EXPECT_EQ(receiver->GetMalformedCount(), 2u);
    EXPECT_EQ(rx, 10u) << "only the file's blocks are traced";
    EXPECT_TRUE(receiver->IsComplete());
    EXPECT_FALSE(receiver->HasBlock(10));
    Simulator::Destroy();
}

TEST(FileDistribution, RealBytesArriveIntactAndACorruptBlockIsRejected)
{
    const uint32_t kBlock = 1000;
    FileContent content = FileContent::Generate(40 * kBlock - 123, 7);
    BlockManifest manifest = BlockManifest::Make(content, kBlock);
    Ptr<SimulatedNetwork> net = StarNetwork(4, 10e6, 5);
    OverlayHelper helper("ns3::test::TreeFloodFileApplication");
    helper.SetTransport("ns3::TcpDataTransport", "QueueLimit", UintegerValue(1000));
    TreeSpec t; // 0 -> 1 -> 2 -> 3
    t.root = 0;
    t.parent = {TreeSpec::kNoParent, 0, 1, 2};
    ApplicationContainer apps = helper.InstallStaticTree(net, t);
    DynamicCast<FileDistributionApplication>(apps.Get(0))->SetContent(content, manifest);
    for (uint32_t i = 1; i < 4; ++i)
    {
        DynamicCast<FileDistributionApplication>(apps.Get(i))->SetManifest(manifest);
    }
    apps.Start(Seconds(0));
    apps.Stop(Seconds(5));
    // Before the source pushes block 0 (at 10 ms) node 3 gets a corrupt copy of it from its
    // parent: rejected, so the good copy the flood brings later counts.
    Simulator::Schedule(MilliSeconds(1), [&]() {
        DynamicCast<TreeFloodFileApplication>(apps.Get(2))
            ->SendCorrupt(net->GetClientAddress(3), 0);
    });
    Simulator::Stop(Seconds(6));
    Simulator::Run();
    for (uint32_t i = 1; i < 4; ++i)
    {
        auto app = DynamicCast<FileDistributionApplication>(apps.Get(i));
        ASSERT_TRUE(app->IsComplete()) << "node " << i;
        ASSERT_NE(app->GetStore(), nullptr);
        EXPECT_EQ(app->GetStore()->ComputeFileDigest(), manifest.GetFileDigest()) << "node " << i;
        EXPECT_EQ(app->GetBytesVerified(), content.GetSize()) << "node " << i;
        EXPECT_EQ(app->GetRejectedBlocks(), i == 3 ? 1u : 0u) << "node " << i;
    }
    Simulator::Destroy();
}
