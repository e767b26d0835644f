/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/block-transport.h"
#include "ns3/boolean.h"
#include "ns3/checked-header.h"
#include "ns3/double.h"
#include "ns3/error-model.h"
#include "ns3/inet-endpoint.h"
#include "ns3/inet-socket-address.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-global-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/nstime.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <map>
#include <numeric>
#include <vector>

using namespace ns3;

namespace
{

constexpr uint16_t PORT = 7000;
constexpr uint16_t REQUEST = 1;
constexpr uint16_t BLOCK = 2;
constexpr uint16_t CTRL = 3;

/// The control header of the test's messages: an index.
class IndexHeader : public CheckedHeader
{
  public:
    uint32_t index{0};

    TypeId
    GetInstanceTypeId() const override
    {
        return CheckedHeader::GetTypeId();
    }

    uint32_t
    GetSerializedSize() const override
    {
        return 4;
    }

    void
    Serialize(Buffer::Iterator it) const override
    {
        it.WriteHtonU32(index);
    }

    void
    Print(std::ostream& os) const override
    {
        os << "index=" << index;
    }

  protected:
    void
    DoDeserialize(WireReader& r) override
    {
        index = r.ReadNtohU32();
    }
};

uint8_t
PatternByte(uint32_t index, uint32_t j)
{
    return static_cast<uint8_t>(index * 131 + j * 7 + (j >> 8));
}

/// A block message: index header plus \p size bytes of a known pattern.
Ptr<Packet>
MakeBlock(uint32_t index, uint32_t size)
{
    std::vector<uint8_t> bytes(size);
    for (uint32_t j = 0; j < size; ++j)
    {
        bytes[j] = PatternByte(index, j);
    }
    IndexHeader h;
    h.index = index;
    return BlockTransport::MakeMessage(h, Create<Packet>(bytes.data(), size));
}

Ptr<Packet>
MakeControl(uint32_t index)
{
    IndexHeader h;
    h.index = index;
    return BlockTransport::MakeMessage(h);
}

/// Removes the index header; returns the index, and whether the payload matches the pattern.
uint32_t
ReadBlock(Ptr<Packet> p, bool* intact, uint32_t expectedSize)
{
    IndexHeader h;
    p->RemoveHeader(h);
    std::vector<uint8_t> bytes(p->GetSize());
    p->CopyData(bytes.data(), bytes.size());
    bool ok = h.IsValid() && bytes.size() == expectedSize;
    for (uint32_t j = 0; ok && j < bytes.size(); ++j)
    {
        ok = bytes[j] == PatternByte(h.index, j);
    }
    *intact = ok;
    return h.index;
}

/// A hub (node 0) with point-to-point links to leaves, one BlockTransport per node.
struct Star
{
    NodeContainer nodes;
    std::vector<Ptr<BlockTransport>> agents;
    std::vector<NetDeviceContainer> links;

    Star(uint32_t leaves, const std::string& rate = "2Mbps", const std::string& delay = "20ms",
         uint32_t sndBuf = 131072, Time idleTimeout = Time())
    {
        nodes.Create(leaves + 1);
        InternetStackHelper internet;
        internet.Install(nodes);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue(rate));
        p2p.SetChannelAttribute("Delay", StringValue(delay));
        Ipv4AddressHelper ip;
        for (uint32_t i = 1; i <= leaves; ++i)
        {
            links.push_back(p2p.Install(nodes.Get(0), nodes.Get(i)));
            std::string base = "10.1." + std::to_string(i) + ".0";
            ip.SetBase(base.c_str(), "255.255.255.0");
            ip.Assign(links.back());
        }
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();
        for (uint32_t i = 0; i <= leaves; ++i)
        {
            Ptr<BlockTransport> t = CreateObject<BlockTransport>();
            t->SetAttribute("SndBufSize", UintegerValue(sndBuf));
            t->SetAttribute("IdleTimeout", TimeValue(idleTimeout));
            t->SetNode(nodes.Get(i));
            t->RegisterMessageType(REQUEST);
            t->RegisterMessageType(BLOCK);
            t->RegisterMessageType(CTRL);
            t->Listen(PORT);
            agents.push_back(t);
        }
    }

    InetSocketAddress
    Id(uint32_t i) const
    {
        return agents[i]->GetLocalIdentity();
    }
};

class BlockTransportTest : public ::testing::Test
{
  protected:
    void
    TearDown() override
    {
        Simulator::Destroy();
    }
};

/// Outcome of a request-driven transfer (the Bullet' pattern: the receiver asks, the sender
/// answers each request with one block).
struct PullResult
{
    uint64_t bytes{0};      //!< block payload bytes received after the warm-up
    uint32_t blocks{0};     //!< blocks received
    Time idle;              //!< sender's idle time
    uint32_t negWasted{0};  //!< blocks whose feedback said the sender's pipe sat idle
    uint32_t posWasted{0};  //!< blocks whose feedback said they waited in the queue
    uint32_t maxInFront{0}; //!< largest in_front reported
    bool intact{true};      //!< every block had the right bytes, in order
};

/// Leaf 1 keeps \p outstanding requests open at the hub, re-requesting \p think after each
/// block arrives; the hub answers with \p blockSize blocks.
PullResult
RunPull(uint32_t outstanding, Time duration, Time warmup, uint32_t blockSize, uint32_t sndBuf,
        bool idleWhenEmpty = false, Time think = Time())
{
    PullResult result;
    {
        Star net(1, "2Mbps", "20ms", sndBuf);
        Ptr<BlockTransport> sender = net.agents[0];
        Ptr<BlockTransport> receiver = net.agents[1];
        sender->SetAttribute("IdleOnlyWhenSocketEmpty", BooleanValue(idleWhenEmpty));
        InetSocketAddress hub = net.Id(0);
        uint32_t nextRequest = 0;
        uint32_t expected = 0;

        auto request = [&]() {
            if (Simulator::Now() < duration)
            {
                receiver->Send(hub, REQUEST, MakeControl(nextRequest++));
            }
        };
        sender->SetReceiveCallback(BlockTransport::ReceiveCallback(
            [&](const InetSocketAddress& peer, uint16_t type, Ptr<Packet> p) {
                IndexHeader h;
                p->RemoveHeader(h);
                sender->SendBlock(peer, BLOCK, MakeBlock(h.index, blockSize));
            }));
        receiver->SetReceiveCallback(BlockTransport::ReceiveCallback(
            [&](const InetSocketAddress& peer, uint16_t type, Ptr<Packet> p) {
                BlockFeedbackTag tag;
                EXPECT_TRUE(p->PeekPacketTag(tag));
                bool ok;
                uint32_t index = ReadBlock(p, &ok, blockSize);
                result.intact = result.intact && ok && index == expected;
                ++expected;
                ++result.blocks;
                if (Simulator::Now() >= warmup && Simulator::Now() < duration)
                {
                    result.bytes += blockSize;
                }
                (tag.wasted < Time() ? result.negWasted : result.posWasted)++;
                result.maxInFront = std::max(result.maxInFront, tag.inFront);
                if (think.IsZero())
                {
                    request();
                }
                else
                {
                    Simulator::Schedule(think, request);
                }
            }));
        receiver->SetPeerUpCallback(BlockTransport::PeerCallback([&](const InetSocketAddress&) {
            for (uint32_t i = 0; i < outstanding; ++i)
            {
                request();
            }
        }));
        receiver->Connect(hub);
        Simulator::Stop(duration);
        Simulator::Run();
        result.idle = sender->GetIdleTime(net.Id(1));
    }
    Simulator::Destroy();
    return result;
}

} // namespace

TEST_F(BlockTransportTest, BlocksArriveIntactInOrderAndTheQueueHoldsWhatTheSocketCannotTake)
{
    const uint32_t n = 40;
    const uint32_t size = 10000;
    Star net(1, "2Mbps", "20ms", 32768);
    Ptr<BlockTransport> sender = net.agents[1];
    Ptr<BlockTransport> receiver = net.agents[0];
    InetSocketAddress hub = net.Id(0);

    uint32_t queuedAfterSubmit = 0;
    uint32_t socketRoomAfterSubmit = 1;
    uint32_t maxQueue = 0;
    sender->TraceConnectWithoutContext("QueueLength",
                                       Callback<void, const InetSocketAddress&, uint32_t>(
                                           [&](const InetSocketAddress&, uint32_t q) {
                                               maxQueue = std::max(maxQueue, q);
                                           }));
    sender->SetPeerUpCallback(BlockTransport::PeerCallback([&](const InetSocketAddress& peer) {
        EXPECT_EQ(FormatEndpoint(peer), FormatEndpoint(hub));
        for (uint32_t i = 0; i < n; ++i)
        {
            ASSERT_TRUE(sender->SendBlock(peer, BLOCK, MakeBlock(i, size)));
        }
        queuedAfterSubmit = sender->GetQueuedBlocks(peer);
        socketRoomAfterSubmit = sender->GetConnection(peer)->GetSocket()->GetTxAvailable();
    }));
    std::vector<uint32_t> order;
    std::vector<Time> wasted;
    uint32_t damaged = 0;
    receiver->SetReceiveCallback(BlockTransport::ReceiveCallback(
        [&](const InetSocketAddress& peer, uint16_t type, Ptr<Packet> p) {
            EXPECT_EQ(type, BLOCK);
            BlockFeedbackTag tag;
            EXPECT_TRUE(p->PeekPacketTag(tag));
            wasted.push_back(tag.wasted);
            EXPECT_EQ(FormatEndpoint(peer), FormatEndpoint(net.Id(1)))
                << "the acceptor names the peer by its hello";
            bool ok;
            order.push_back(ReadBlock(p, &ok, size));
            damaged += ok ? 0 : 1;
        }));
    sender->Connect(hub);
    Simulator::Stop(Seconds(10));
    Simulator::Run();

    // 32 KB of socket buffer takes three 10 KB frames and part of a fourth; the rest waits.
    EXPECT_EQ(socketRoomAfterSubmit, 0u) << "the transport fills the socket buffer";
    EXPECT_EQ(queuedAfterSubmit, n - 4);
    EXPECT_EQ(maxQueue, n - 4);
    ASSERT_EQ(order.size(), n);
    for (uint32_t i = 0; i < n; ++i)
    {
        EXPECT_EQ(order[i], i);
    }
    EXPECT_EQ(damaged, 0u);
    // All were submitted at once, so each waited longer than the one before it; the last
    // waited for 36 frames of 10 KB to drain at 2 Mb/s (~1.5 s).
    ASSERT_EQ(wasted.size(), n);
    for (uint32_t i = 1; i < n; ++i)
    {
        EXPECT_GE(wasted[i], wasted[i - 1]) << "block " << i;
    }
    EXPECT_EQ(wasted[0], Time());
    EXPECT_GT(wasted[n - 1], Seconds(1.3));
    EXPECT_LT(wasted[n - 1], Seconds(2.0));
    Ptr<BlockConnection> conn = sender->GetConnection(hub);
    EXPECT_EQ(conn->GetQueuedBlocks(), 0u) << "the queue drains fully";
    EXPECT_EQ(conn->GetQueuedBytes(), 0u);
    EXPECT_EQ(conn->GetBlocksSent(), n);
    EXPECT_EQ(receiver->GetConnection(net.Id(1))->GetMessagesReceived(), n);
}

TEST_F(BlockTransportTest, ControlMessagesOvertakeQueuedBlocks)
{
    Star net(1, "2Mbps", "20ms", 32768);
    Ptr<BlockTransport> sender = net.agents[1];
    Ptr<BlockTransport> receiver = net.agents[0];
    sender->SetPeerUpCallback(BlockTransport::PeerCallback([&](const InetSocketAddress& peer) {
        for (uint32_t i = 0; i < 20; ++i)
        {
            sender->SendBlock(peer, BLOCK, MakeBlock(i, 10000));
        }
        sender->Send(peer, CTRL, MakeControl(999));
        EXPECT_EQ(sender->GetConnection(peer)->GetQueuedControl(), 1u);
        EXPECT_EQ(sender->GetQueuedBlocks(peer), 16u);
    }));
    std::vector<uint32_t> order;
    receiver->SetReceiveCallback(BlockTransport::ReceiveCallback(
        [&](const InetSocketAddress&, uint16_t type, Ptr<Packet> p) {
            IndexHeader h;
            p->RemoveHeader(h);
            order.push_back(h.index);
        }));
    sender->Connect(net.Id(0));
    Simulator::Stop(Seconds(5));
    Simulator::Run();
    ASSERT_EQ(order.size(), 21u);
    // Blocks 0-2 were in the socket and block 3 partly: the request goes right after them.
    EXPECT_EQ(order[3], 3u);
    EXPECT_EQ(order[4], 999u);
    EXPECT_EQ(order[5], 4u);
}

TEST_F(BlockTransportTest, ForwardedBlockCarriesFreshFeedback)
{
    Star net(2);
    Ptr<BlockTransport> hub = net.agents[0];
    // Leaf 1 sends a block to the hub, which forwards the very packet it received (feedback
    // tag included) to leaf 2 with the in_front it chooses: the relay pattern of Bullet'.
    hub->SetReceiveCallback(
        BlockTransport::ReceiveCallback([&](const InetSocketAddress&, uint16_t, Ptr<Packet> p) {
            BlockFeedbackTag old;
            EXPECT_TRUE(p->PeekPacketTag(old));
            EXPECT_TRUE(hub->SendBlock(net.Id(2), BLOCK, p, 7));
        }));
    std::vector<uint32_t> inFront;
    bool intact = false;
    net.agents[2]->SetReceiveCallback(BlockTransport::ReceiveCallback(
        [&](const InetSocketAddress& peer, uint16_t, Ptr<Packet> p) {
            EXPECT_EQ(FormatEndpoint(peer), FormatEndpoint(net.Id(0)));
            BlockFeedbackTag tag;
            EXPECT_TRUE(p->PeekPacketTag(tag));
            inFront.push_back(tag.inFront);
            ReadBlock(p, &intact, 5000);
        }));
    net.agents[1]->SetPeerUpCallback(
        BlockTransport::PeerCallback([&](const InetSocketAddress& peer) {
            net.agents[1]->SendBlock(peer, BLOCK, MakeBlock(42, 5000));
        }));
    hub->Connect(net.Id(2));
    net.agents[1]->Connect(net.Id(0));
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    ASSERT_EQ(inFront.size(), 1u);
    EXPECT_EQ(inFront[0], 7u);
    EXPECT_TRUE(intact);
}

TEST_F(BlockTransportTest, LongStreamReachesLinkRateWhenBlocksAreKeptInFront)
{
    const uint32_t size = 16384;
    const uint32_t keep = 3;
    const Time start = Seconds(2);
    const Time end = Seconds(12);
    Star net(1);
    Ptr<BlockTransport> sender = net.agents[0];
    Ptr<BlockTransport> receiver = net.agents[1];
    InetSocketAddress leaf = net.Id(1);
    uint32_t next = 0;
    auto refill = [&](const InetSocketAddress& peer) {
        while (sender->GetQueuedBlocks(peer) < keep && Simulator::Now() < end)
        {
            sender->SendBlock(peer, BLOCK, MakeBlock(next++, size));
        }
    };
    // The Bullet' source's pattern: push another block whenever one leaves the queue.
    sender->SetBlockDequeuedCallback(
        BlockTransport::QueueCallback([&](const InetSocketAddress& peer, uint32_t remaining) {
            refill(peer);
        }));
    sender->SetPeerUpCallback(BlockTransport::PeerCallback(refill));
    uint64_t bytes = 0;
    uint32_t expected = 0;
    bool intact = true;
    receiver->SetReceiveCallback(
        BlockTransport::ReceiveCallback([&](const InetSocketAddress&, uint16_t, Ptr<Packet> p) {
            bool ok;
            intact = intact && ReadBlock(p, &ok, size) == expected++ && ok;
            if (Simulator::Now() >= start)
            {
                bytes += size;
            }
        }));
    sender->Connect(leaf);
    Simulator::Stop(end);
    Simulator::Run();

    double rate = bytes * 8.0 / (end - start).GetSeconds();
    std::cout << "[measured] kept " << keep << " x " << size << " B in front: goodput " << rate
              << " b/s = " << 100.0 * rate / 2e6 << "% of 2 Mb/s; sender idle "
              << sender->GetIdleTime(leaf).As(Time::MS) << std::endl;
    EXPECT_TRUE(intact);
    EXPECT_GE(rate, 0.85 * 2e6);
    EXPECT_LE(rate, 2e6);
    EXPECT_EQ(sender->GetIdleTime(leaf), Time()) << "the queue never emptied";
    EXPECT_GT(sender->GetConnection(leaf)->GetLastWasted(), Time()) << "blocks wait in the queue";
}

TEST_F(BlockTransportTest, InFrontReflectsTheQueueDepthWhenTheRequestArrived)
{
    const uint32_t size = 8192;
    Star net(1, "2Mbps", "20ms", 16384);
    Ptr<BlockTransport> sender = net.agents[0];
    Ptr<BlockTransport> receiver = net.agents[1];
    InetSocketAddress hub = net.Id(0);
    std::map<uint32_t, uint32_t> atRequest; // index -> queue length when its request arrived
    std::map<uint32_t, uint32_t> reported;  // index -> in_front the receiver got
    std::vector<uint32_t> traced;
    sender->TraceConnectWithoutContext("InFront",
                                       Callback<void, const InetSocketAddress&, uint32_t>(
                                           [&](const InetSocketAddress&, uint32_t v) {
                                               traced.push_back(v);
                                           }));

    // Requests 0..11 are answered at once (in_front measured by the transport); 100..105 are
    // answered 100 ms later with the in_front the protocol read on arrival.
    sender->SetReceiveCallback(BlockTransport::ReceiveCallback(
        [&](const InetSocketAddress& peer, uint16_t, Ptr<Packet> p) {
            IndexHeader h;
            p->RemoveHeader(h);
            uint32_t q = sender->GetQueuedBlocks(peer);
            atRequest[h.index] = q;
            if (h.index < 100)
            {
                sender->SendBlock(peer, BLOCK, MakeBlock(h.index, size));
            }
            else
            {
                Simulator::Schedule(MilliSeconds(100), [=]() {
                    sender->SendBlock(peer, BLOCK, MakeBlock(h.index, size), q);
                });
            }
        }));
    receiver->SetReceiveCallback(
        BlockTransport::ReceiveCallback([&](const InetSocketAddress&, uint16_t, Ptr<Packet> p) {
            BlockFeedbackTag tag;
            ASSERT_TRUE(p->PeekPacketTag(tag));
            bool ok;
            uint32_t index = ReadBlock(p, &ok, size);
            EXPECT_TRUE(ok);
            reported[index] = tag.inFront;
        }));
    receiver->SetPeerUpCallback(BlockTransport::PeerCallback([&](const InetSocketAddress& peer) {
        for (uint32_t i = 0; i < 12; ++i)
        {
            receiver->Send(peer, REQUEST, MakeControl(i));
        }
    }));
    Simulator::Schedule(Seconds(3), [&]() {
        for (uint32_t i = 100; i < 106; ++i)
        {
            receiver->Send(hub, REQUEST, MakeControl(i));
        }
    });
    receiver->Connect(hub);
    Simulator::Stop(Seconds(6));
    Simulator::Run();

    ASSERT_EQ(reported.size(), 18u);
    EXPECT_EQ(reported, atRequest);
    // 16 KB of socket buffer: the first frame fits, the second starts, the rest queue up.
    for (uint32_t i = 0; i < 12; ++i)
    {
        EXPECT_EQ(reported[i], i < 3 ? 0u : i - 2) << "block " << i;
    }
    // Deferred answers carry the depth at request time (0), not at send time (0,0,0,1,2,3).
    for (uint32_t i = 100; i < 106; ++i)
    {
        EXPECT_EQ(reported[i], 0u) << "block " << i;
    }
    ASSERT_EQ(traced.size(), 18u);
    EXPECT_EQ(traced[11], 9u);
    EXPECT_EQ(sender->GetConnection(net.Id(1))->GetLastInFront(), 0u);
}

TEST_F(BlockTransportTest, IdleTimeIsZeroWhenTheQueueIsKeptFullAndGrowsWhenStarved)
{
    const Time duration = Seconds(6);
    const Time warmup = Seconds(1);
    PullResult full = RunPull(16, duration, warmup, 8192, 32768);
    PullResult starved = RunPull(1, duration, warmup, 8192, 32768);
    double fullRate = full.bytes * 8.0 / (duration - warmup).GetSeconds();
    double starvedRate = starved.bytes * 8.0 / (duration - warmup).GetSeconds();
    std::cout << "[measured] 16 outstanding: goodput " << fullRate << " b/s ("
              << 100.0 * fullRate / 2e6 << "%), idle " << full.idle.As(Time::MS)
              << ", max in_front " << full.maxInFront << std::endl;
    std::cout << "[measured] 1 outstanding: goodput " << starvedRate << " b/s ("
              << 100.0 * starvedRate / 2e6 << "%), idle " << starved.idle.As(Time::MS) << std::endl;

    EXPECT_TRUE(full.intact);
    EXPECT_TRUE(starved.intact);
    EXPECT_EQ(full.idle, Time()) << "enough requests keep a block in front at all times";
    EXPECT_GE(fullRate, 0.85 * 2e6);
    EXPECT_GT(full.maxInFront, 3u);
    EXPECT_EQ(full.negWasted, 0u);
    // Stop-and-wait: the pipe idles a round trip per block, and each block says so.
    EXPECT_GT(starved.idle, (duration - warmup) * 0.5);
    EXPECT_LT(starvedRate, 0.5 * 2e6);
    EXPECT_EQ(starved.maxInFront, 0u);
    EXPECT_EQ(starved.negWasted, starved.blocks - 1) << "all but the first block end an idle gap";
}

TEST_F(BlockTransportTest, IdleOnlyWhenSocketEmptyCountsOnlyTheDrainedPipe)
{
    const Time duration = Seconds(6);
    // One block per 500 ms of receiver think time: the socket drains, then the pipe idles.
    PullResult room = RunPull(1, duration, Seconds(0), 8192, 32768, false, MilliSeconds(500));
    PullResult empty = RunPull(1, duration, Seconds(0), 8192, 32768, true, MilliSeconds(500));
    std::cout << "[measured] think 500 ms: idle (socket has room) " << room.idle.As(Time::MS)
              << ", idle (socket empty) " << empty.idle.As(Time::MS) << std::endl;
    EXPECT_EQ(room.blocks, empty.blocks);
    EXPECT_GT(room.idle, empty.idle);
    EXPECT_GT(empty.idle, duration * 0.3);
}

TEST_F(BlockTransportTest, SeveralPeersThroughOneAgent)
{
    const uint32_t leaves = 3;
    const uint32_t perLeaf = 5;
    Star net(leaves);
    Ptr<BlockTransport> hub = net.agents[0];
    std::map<InetSocketAddress, std::vector<uint32_t>, InetEndpointLess> hubGot;
    uint32_t hubUps = 0;
    hub->SetPeerUpCallback(BlockTransport::PeerCallback([&](const InetSocketAddress&) {
        ++hubUps;
    }));
    hub->SetReceiveCallback(BlockTransport::ReceiveCallback(
        [&](const InetSocketAddress& peer, uint16_t type, Ptr<Packet> p) {
            EXPECT_EQ(type, CTRL);
            IndexHeader h;
            p->RemoveHeader(h);
            hubGot[peer].push_back(h.index);
            hub->SendBlock(peer, BLOCK, MakeBlock(h.index, 3000));
        }));
    std::vector<std::vector<uint32_t>> leafGot(leaves + 1);
    for (uint32_t i = 1; i <= leaves; ++i)
    {
        Ptr<BlockTransport> t = net.agents[i];
        t->SetPeerUpCallback(BlockTransport::PeerCallback([=](const InetSocketAddress& peer) {
            for (uint32_t k = 0; k < perLeaf; ++k)
            {
                t->Send(peer, CTRL, MakeControl(i * 100 + k));
            }
        }));
        t->SetReceiveCallback(BlockTransport::ReceiveCallback(
            [&, i](const InetSocketAddress& peer, uint16_t, Ptr<Packet> p) {
                EXPECT_EQ(FormatEndpoint(peer), FormatEndpoint(net.Id(0)));
                bool ok;
                leafGot[i].push_back(ReadBlock(p, &ok, 3000));
                EXPECT_TRUE(ok);
            }));
        t->Connect(net.Id(0));
    }
    Simulator::Stop(Seconds(5));
    Simulator::Run();

    EXPECT_EQ(hubUps, leaves);
    EXPECT_EQ(hub->GetPeers().size(), leaves);
    ASSERT_EQ(hubGot.size(), leaves);
    for (uint32_t i = 1; i <= leaves; ++i)
    {
        std::vector<uint32_t> want;
        for (uint32_t k = 0; k < perLeaf; ++k)
        {
            want.push_back(i * 100 + k);
        }
        EXPECT_EQ(hubGot[net.Id(i)], want) << "leaf " << i;
        EXPECT_EQ(leafGot[i], want) << "leaf " << i << " gets only its own answers, in order";
        EXPECT_TRUE(hub->IsUp(net.Id(i)));
    }
}

TEST_F(BlockTransportTest, SimultaneousDialsKeepBothConnectionsAndReportOnce)
{
    Star net(1);
    Ptr<BlockTransport> a = net.agents[0];
    Ptr<BlockTransport> b = net.agents[1];
    std::map<Ptr<BlockTransport>, uint32_t> ups;
    std::map<Ptr<BlockTransport>, uint32_t> downs;
    std::map<Ptr<BlockTransport>, std::vector<uint32_t>> got;
    for (auto t : {a, b})
    {
        t->SetPeerUpCallback(BlockTransport::PeerCallback([&, t](const InetSocketAddress&) {
            ++ups[t];
        }));
        t->SetPeerDownCallback(BlockTransport::PeerCallback([&, t](const InetSocketAddress&) {
            ++downs[t];
        }));
        t->SetReceiveCallback(BlockTransport::ReceiveCallback(
            [&, t](const InetSocketAddress&, uint16_t, Ptr<Packet> p) {
                IndexHeader h;
                p->RemoveHeader(h);
                got[t].push_back(h.index);
            }));
    }
    // Both dial at the same instant and queue messages before anything is established.
    a->Connect(net.Id(1));
    b->Connect(net.Id(0));
    for (uint32_t i = 0; i < 20; ++i)
    {
        a->Send(net.Id(1), CTRL, MakeControl(i));
        b->Send(net.Id(0), CTRL, MakeControl(1000 + i));
    }
    Simulator::Schedule(Seconds(2), [&]() {
        for (uint32_t i = 20; i < 40; ++i)
        {
            a->Send(net.Id(1), CTRL, MakeControl(i));
        }
    });
    Simulator::Schedule(Seconds(3), [&]() {
        a->Close(net.Id(1));
    });
    Simulator::Stop(Seconds(10));
    Simulator::Run();

    std::vector<uint32_t> fromA;
    std::vector<uint32_t> fromB;
    for (uint32_t i = 0; i < 40; ++i)
    {
        fromA.push_back(i);
    }
    for (uint32_t i = 0; i < 20; ++i)
    {
        fromB.push_back(1000 + i);
    }
    EXPECT_EQ(got[b], fromA) << "in order despite two connections";
    EXPECT_EQ(got[a], fromB);
    EXPECT_EQ(ups[a], 1u);
    EXPECT_EQ(ups[b], 1u);
    EXPECT_EQ(downs[a], 1u);
    EXPECT_EQ(downs[b], 1u) << "both connections closed, one report";
    EXPECT_TRUE(a->GetPeers().empty());
    EXPECT_TRUE(b->GetPeers().empty());
}

TEST_F(BlockTransportTest, RefusedConnectReportsDownOnceAndNeverUp)
{
    Star net(1);
    Ptr<BlockTransport> a = net.agents[0];
    uint32_t ups = 0;
    std::vector<std::string> reasons;
    a->SetPeerUpCallback(BlockTransport::PeerCallback([&](const InetSocketAddress&) {
        ++ups;
    }));
    a->TraceConnectWithoutContext("PeerDown",
                                  Callback<void, const InetSocketAddress&, const std::string&>(
                                      [&](const InetSocketAddress&, const std::string& why) {
                                          reasons.push_back(why);
                                      }));
    InetSocketAddress nobody(net.Id(1).GetIpv4(), PORT + 1); // nobody listens
    a->Connect(nobody);
    EXPECT_TRUE(a->Send(nobody, CTRL, MakeControl(1))) << "queued while connecting";
    // ns-3's TCP ignores a reset without a timestamp option in SYN_SENT, so the attempt ends
    // when its SYN retries run out (a few minutes of simulated time, a few events).
    Simulator::Stop(Seconds(1000));
    Simulator::Run();
    EXPECT_EQ(ups, 0u);
    ASSERT_EQ(reasons.size(), 1u);
    EXPECT_NE(reasons[0].find("failed"), std::string::npos) << reasons[0];
    EXPECT_FALSE(a->Send(nobody, CTRL, MakeControl(2)));
    EXPECT_FALSE(a->GetConnection(nobody));
}

TEST_F(BlockTransportTest, PeerCloseIsReportedOnceOnEachSideAndThePeerMayReturn)
{
    Star net(1);
    Ptr<BlockTransport> hub = net.agents[0];
    Ptr<BlockTransport> leaf = net.agents[1];
    std::vector<std::string> hubDowns;
    std::vector<std::string> leafDowns;
    hub->TraceConnectWithoutContext("PeerDown",
                                    Callback<void, const InetSocketAddress&, const std::string&>(
                                        [&](const InetSocketAddress& p, const std::string& why) {
                                            EXPECT_EQ(FormatEndpoint(p), FormatEndpoint(net.Id(1)));
                                            hubDowns.push_back(why);
                                        }));
    leaf->TraceConnectWithoutContext("PeerDown",
                                     Callback<void, const InetSocketAddress&, const std::string&>(
                                         [&](const InetSocketAddress&, const std::string& why) {
                                             leafDowns.push_back(why);
                                         }));
    uint32_t received = 0;
    hub->SetReceiveCallback(
        BlockTransport::ReceiveCallback([&](const InetSocketAddress&, uint16_t, Ptr<Packet>) {
            ++received;
        }));
    leaf->Connect(net.Id(0));
    Simulator::Schedule(Seconds(1), [&]() {
        leaf->Send(net.Id(0), CTRL, MakeControl(7));
        leaf->Close(net.Id(0));
        leaf->Close(net.Id(0)); // a second close is a no-op
    });
    std::vector<std::string> hubDownsBeforeReturn;
    bool emptyBeforeReturn = false;
    Simulator::Schedule(Seconds(5), [&]() {
        hubDownsBeforeReturn = hubDowns;
        emptyBeforeReturn = hub->GetPeers().empty();
        // The peer comes back: a new session, reported up again.
        leaf->Connect(net.Id(0));
        leaf->Send(net.Id(0), CTRL, MakeControl(8));
    });
    uint32_t hubUps = 0;
    hub->SetPeerUpCallback(BlockTransport::PeerCallback([&](const InetSocketAddress&) {
        ++hubUps;
    }));
    Simulator::Stop(Seconds(10));
    Simulator::Run();
    EXPECT_EQ(received, 2u) << "what was already in the socket is delivered before the FIN";
    ASSERT_EQ(leafDowns.size(), 1u);
    EXPECT_EQ(leafDowns[0], "closed locally");
    ASSERT_EQ(hubDownsBeforeReturn.size(), 1u);
    EXPECT_EQ(hubDownsBeforeReturn[0], "closed by peer");
    EXPECT_TRUE(emptyBeforeReturn);
    EXPECT_EQ(hubDowns.size(), 1u) << "the old session's connection is not reported again";
    EXPECT_EQ(hubUps, 2u);
    EXPECT_TRUE(hub->IsUp(net.Id(1)));
}

/// When the leaf's connection came up and when its message, sent at 5 s into a 100 ms
/// blackout of the hub's link, arrived, with the leaf's TCP timers set to \p minRto and
/// \p connTimeout (0: the socket defaults). The hub drops everything until 0.5 s (the
/// leaf's first SYN) and during 5-5.1 s (the message's first transmission).
std::pair<Time, Time>
RunTimers(Time minRto, Time connTimeout)
{
    Time upAt(-1);
    Time arrivedAt(-1);
    {
        Star net(1, "2Mbps", "20ms");
        Ptr<BlockTransport> hub = net.agents[0];
        Ptr<BlockTransport> leaf = net.agents[1];
        leaf->SetAttribute("MinRto", TimeValue(minRto));
        leaf->SetAttribute("ConnTimeout", TimeValue(connTimeout));
        Ptr<RateErrorModel> blackout = CreateObject<RateErrorModel>();
        blackout->SetAttribute("ErrorRate", DoubleValue(1.0));
        blackout->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
        net.links[0].Get(0)->SetAttribute("ReceiveErrorModel", PointerValue(blackout));
        Simulator::Schedule(Seconds(0.5), [&]() {
            blackout->Disable();
        });
        Simulator::Schedule(Seconds(5), [&]() {
            blackout->Enable();
            leaf->Send(net.Id(0), CTRL, MakeControl(1));
        });
        Simulator::Schedule(Seconds(5.1), [&]() {
            blackout->Disable();
        });
        leaf->SetPeerUpCallback(BlockTransport::PeerCallback([&](const InetSocketAddress&) {
            upAt = Simulator::Now();
        }));
        hub->SetReceiveCallback(BlockTransport::ReceiveCallback(
            [&](const InetSocketAddress&, uint16_t type, Ptr<Packet>) {
                EXPECT_EQ(type, CTRL);
                arrivedAt = Simulator::Now();
            }));
        leaf->Connect(net.Id(0));
        Simulator::Stop(Seconds(20));
        Simulator::Run();
    }
    Simulator::Destroy();
    return {upAt, arrivedAt};
}

TEST_F(BlockTransportTest, TcpTimersFollowMinRtoAndConnTimeout)
{
    // ns-3's defaults: the lost SYN is sent again after 3 s, the lost segment after the
    // 1 s minimum RTO.
    const auto [nsUp, nsArrived] = RunTimers(Seconds(0), Seconds(0));
    EXPECT_GT(nsUp, Seconds(3)) << "ns-3 ConnTimeout 3 s";
    EXPECT_LT(nsUp, Seconds(3.5));
    EXPECT_GE(nsArrived, Seconds(6)) << "ns-3 MinRto 1 s";
    EXPECT_LT(nsArrived, Seconds(6.5));
    // Linux's: 1 s and 200 ms (the RTT is 80 ms, so the RTO is about its floor).
    const auto [linuxUp, linuxArrived] = RunTimers(MilliSeconds(200), Seconds(1));
    EXPECT_GT(linuxUp, Seconds(1)) << "ConnTimeout 1 s";
    EXPECT_LT(linuxUp, Seconds(1.5));
    EXPECT_GT(linuxArrived, Seconds(5.1)) << "after the blackout";
    EXPECT_LT(linuxArrived, Seconds(5.6)) << "MinRto 200 ms";
}

TEST_F(BlockTransportTest, BrokenLinkIsReportedOnceAfterRetransmissionsGiveUp)
{
    Star net(1);
    Ptr<BlockTransport> hub = net.agents[0];
    Ptr<BlockTransport> leaf = net.agents[1];
    uint32_t downs = 0;
    Time downAt;
    hub->SetPeerDownCallback(BlockTransport::PeerCallback([&](const InetSocketAddress& p) {
        EXPECT_EQ(FormatEndpoint(p), FormatEndpoint(net.Id(1)));
        ++downs;
        downAt = Simulator::Now();
    }));
    uint32_t next = 0;
    auto push = [&](const InetSocketAddress& peer) {
        while (hub->IsUp(peer) && hub->GetQueuedBlocks(peer) < 2)
        {
            hub->SendBlock(peer, BLOCK, MakeBlock(next++, 8192));
        }
    };
    hub->SetPeerUpCallback(BlockTransport::PeerCallback(push));
    hub->SetBlockDequeuedCallback(
        BlockTransport::QueueCallback([&](const InetSocketAddress& p, uint32_t) {
            push(p);
        }));
    leaf->Connect(net.Id(0));
    Simulator::Schedule(Seconds(2), [&]() {
        Ptr<Ipv4> ipv4 = net.nodes.Get(1)->GetObject<Ipv4>();
        ipv4->SetDown(1);
    });
    Simulator::Stop(Seconds(600));
    Simulator::Run();
    EXPECT_EQ(downs, 1u);
    EXPECT_GT(downAt, Seconds(2));
    EXPECT_GT(next, 10u) << "blocks flowed before the break";
}

TEST_F(BlockTransportTest, MalformedInputClosesOnlyThatConnectionAndIsCounted)
{
    Star net(2);
    Ptr<BlockTransport> hub = net.agents[0];
    hub->SetAttribute("MaxMessageSize", UintegerValue(65536));
    std::vector<std::string> reasons;
    std::vector<InetSocketAddress> culprits;
    hub->TraceConnectWithoutContext("Malformed",
                                    Callback<void, const InetSocketAddress&, const std::string&>(
                                        [&](const InetSocketAddress& peer, const std::string& why) {
                                            culprits.push_back(peer);
                                            reasons.push_back(why);
                                        }));
    uint32_t delivered = 0;
    hub->SetReceiveCallback(
        BlockTransport::ReceiveCallback([&](const InetSocketAddress&, uint16_t, Ptr<Packet>) {
            ++delivered;
        }));

    auto hello = [&](uint32_t leaf) {
        BlockHelloHeader h;
        h.address = net.Id(leaf).GetIpv4();
        h.port = 9;
        Ptr<Packet> body = Create<Packet>();
        body->AddHeader(h);
        BlockFrameHeader f;
        f.SetType(BlockTransport::kHelloType);
        return FrameDecoder::Encode(f, body);
    };
    auto frame = [](uint16_t type, uint32_t claimedLength) {
        BlockFrameHeader f;
        f.SetType(type);
        Ptr<Packet> p = FrameDecoder::Encode(f, Create<Packet>(16));
        // Rewrite the length field in place: a lying length with a short body.
        std::vector<uint8_t> bytes(p->GetSize());
        p->CopyData(bytes.data(), bytes.size());
        bytes[4] = claimedLength >> 24;
        bytes[5] = claimedLength >> 16;
        bytes[6] = claimedLength >> 8;
        bytes[7] = claimedLength;
        return Create<Packet>(bytes.data(), bytes.size());
    };
    std::vector<uint8_t> garbage(64, 0x42);
    std::vector<Ptr<Packet>> attacks = {
        Create<Packet>(garbage.data(), garbage.size()), // not a frame at all
        frame(CTRL, 16),                                // a message before the hello
        [&]() {                                         // hello, then a 4 GB length
            Ptr<Packet> p = hello(1);
            p->AddAtEnd(frame(CTRL, 0xFFFFFFF0));
            return p;
        }(),
        [&]() { // hello, then an unknown type
            Ptr<Packet> p = hello(1);
            p->AddAtEnd(frame(999, 16));
            return p;
        }(),
    };
    std::vector<uint32_t> rawClosed(attacks.size(), 0);
    std::vector<Ptr<Socket>> raws;
    for (size_t i = 0; i < attacks.size(); ++i)
    {
        Ptr<Socket> s = Socket::CreateSocket(net.nodes.Get(1), TcpSocketFactory::GetTypeId());
        s->Bind();
        Ptr<Packet> attack = attacks[i];
        s->SetConnectCallback(Callback<void, Ptr<Socket>>([attack](Ptr<Socket> sock) {
                                  sock->Send(attack);
                              }),
                              MakeNullCallback<void, Ptr<Socket>>());
        s->SetCloseCallbacks(Callback<void, Ptr<Socket>>([&rawClosed, i](Ptr<Socket>) {
                                 ++rawClosed[i];
                             }),
                             Callback<void, Ptr<Socket>>([&rawClosed, i](Ptr<Socket>) {
                                 ++rawClosed[i];
                             }));
        Simulator::Schedule(Seconds(0.1 * i), [s, &net]() {
            s->Connect(net.Id(0));
        });
        raws.push_back(s);
    }
    // A well-behaved peer on the other leaf keeps talking throughout.
    Ptr<BlockTransport> good = net.agents[2];
    good->Connect(net.Id(0));
    for (uint32_t k = 0; k < 10; ++k)
    {
        Simulator::Schedule(Seconds(0.5 + 0.2 * k), [&, k]() {
            good->Send(net.Id(0), CTRL, MakeControl(k));
        });
    }
    Simulator::Stop(Seconds(10));
    Simulator::Run();

    ASSERT_EQ(reasons.size(), 4u);
    EXPECT_EQ(hub->GetMalformedCount(), 4u);
    EXPECT_NE(reasons[0].find("magic"), std::string::npos) << reasons[0];
    EXPECT_NE(reasons[1].find("before hello"), std::string::npos) << reasons[1];
    EXPECT_NE(reasons[2].find("exceeds maximum"), std::string::npos) << reasons[2];
    EXPECT_NE(reasons[3].find("unknown message type 999"), std::string::npos) << reasons[3];
    // The trace names the attacker by its hello once it has said one (port 9), before that by
    // the connection's remote endpoint (an ephemeral port).
    ASSERT_EQ(culprits.size(), 4u);
    for (size_t i = 0; i < culprits.size(); ++i)
    {
        EXPECT_EQ(culprits[i].GetIpv4(), net.Id(1).GetIpv4()) << "attacker " << i;
        if (i < 2)
        {
            EXPECT_NE(culprits[i].GetPort(), 0) << "attacker " << i;
            EXPECT_NE(culprits[i].GetPort(), 9) << "attacker " << i;
        }
        else
        {
            EXPECT_EQ(culprits[i].GetPort(), 9) << "attacker " << i;
        }
    }
    for (size_t i = 0; i < attacks.size(); ++i)
    {
        EXPECT_EQ(rawClosed[i], 1u) << "the hub closed attacker " << i;
    }
    EXPECT_EQ(delivered, 10u) << "the good peer is unaffected";
    EXPECT_TRUE(hub->IsUp(net.Id(2)));
    EXPECT_EQ(hub->GetPeers().size(), 1u) << "the attacker that said hello is gone too";
}

TEST_F(BlockTransportTest, SendRefusesWhatItCannotCarry)
{
    Star net(1, "2Mbps", "20ms", 16384);
    Ptr<BlockTransport> a = net.agents[0];
    a->SetAttribute("MaxMessageSize", UintegerValue(20000));
    a->SetAttribute("MaxQueueBytes", UintegerValue(50000));
    InetSocketAddress b = net.Id(1);
    EXPECT_FALSE(a->Send(b, CTRL, MakeControl(1))) << "no connection yet";
    a->Connect(b);
    EXPECT_FALSE(a->Send(b, 77, MakeControl(1))) << "unregistered type";
    EXPECT_FALSE(a->Send(b, BlockTransport::kHelloType, MakeControl(1))) << "reserved type";
    EXPECT_FALSE(a->SendBlock(b, BLOCK, MakeBlock(0, 20000))) << "over MaxMessageSize";
    EXPECT_TRUE(a->SendBlock(b, BLOCK, MakeBlock(0, 19996)));
    EXPECT_TRUE(a->SendBlock(b, BLOCK, MakeBlock(1, 19996)));
    EXPECT_FALSE(a->SendBlock(b, BLOCK, MakeBlock(2, 19996))) << "over MaxQueueBytes";
    EXPECT_EQ(a->GetQueuedBlocks(b), 2u) << "queued while connecting";
    uint32_t got = 0;
    net.agents[1]->SetReceiveCallback(
        BlockTransport::ReceiveCallback([&](const InetSocketAddress&, uint16_t, Ptr<Packet>) {
            ++got;
        }));
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_EQ(got, 2u);
    EXPECT_EQ(a->GetQueuedBlocks(b), 0u);
}

// Found by the asan build profile (issue #18): a listening transport holds itself through its
// listening socket's accept callback, a cycle only Dispose() breaks, and a transport whose
// owner never disposed it leaked. Simulator::Destroy() now disposes it.
TEST_F(BlockTransportTest, ListeningTransportsAreFreedWhenTheSimulationIsDestroyed)
{
    std::vector<Ptr<BlockTransport>> agents;
    {
        Star net(1, "2Mbps", "20ms", 32768);
        agents = net.agents;
        Simulator::Stop(Seconds(1));
        Simulator::Run();
    }
    Simulator::Destroy();
    ASSERT_EQ(agents.size(), 2u);
    for (const auto& agent : agents)
    {
        EXPECT_EQ(agent->GetReferenceCount(), 1u) << "something still holds the transport";
    }
}

/// Messages one side of an idle-closing pair received, in arrival order.
struct Arrivals
{
    std::vector<uint32_t> indices;
    uint32_t downs{0};
    uint32_t ups{0};

    void
    Watch(Ptr<BlockTransport> t)
    {
        t->SetReceiveCallback(BlockTransport::ReceiveCallback(
            [this](const InetSocketAddress&, uint16_t, Ptr<Packet> p) {
                IndexHeader h;
                p->RemoveHeader(h);
                indices.push_back(h.index);
            }));
        t->SetPeerUpCallback(BlockTransport::PeerCallback([this](const InetSocketAddress&) {
            ++ups;
        }));
        t->SetPeerDownCallback(BlockTransport::PeerCallback([this](const InetSocketAddress&) {
            ++downs;
        }));
    }
};

/// Sends message \p index from \p from to \p to, dialling if the last connection retired.
void
SendDialling(Ptr<BlockTransport> from, const InetSocketAddress& to, uint32_t index)
{
    from->Connect(to);
    EXPECT_TRUE(from->Send(to, CTRL, MakeControl(index))) << "message " << index;
}

TEST_F(BlockTransportTest, IdleConnectionsRetireWithoutLosingOrReorderingAMessage)
{
    // Hub and leaf retire after 1 s and 1.4 s of silence; each sweeps every half timeout.
    // Messages go both ways in clusters around the sweeps, with silences between, so that
    // some cross a bye in flight (sent just after the other side's sweep), some follow a
    // retirement and dial again, and some byes cross each other.
    Star net(1, "2Mbps", "20ms", 131072, Seconds(1));
    Ptr<BlockTransport> hub = net.agents[0];
    Ptr<BlockTransport> leaf = net.agents[1];
    leaf->SetAttribute("IdleTimeout", TimeValue(Seconds(1.4)));
    Arrivals atHub;
    Arrivals atLeaf;
    atHub.Watch(hub);
    atLeaf.Watch(leaf);
    uint32_t toHub = 0;
    uint32_t toLeaf = 0;
    std::vector<uint32_t> peersAfterSilence;
    double t = 0.1;
    for (uint32_t cluster = 0; cluster < 24; ++cluster)
    {
        // A cluster starts just after a hub sweep (multiples of 0.5 s), offset by 0-45 ms.
        const double offset = 0.005 * (cluster % 10);
        for (uint32_t k = 0; k < 3; ++k)
        {
            const double at = t + offset + 0.011 * k;
            if ((cluster + k) % 2 == 0)
            {
                Simulator::Schedule(Seconds(at), &SendDialling, leaf, net.Id(0), toHub++);
            }
            else
            {
                Simulator::Schedule(Seconds(at), &SendDialling, hub, net.Id(1), toLeaf++);
            }
        }
        // Silences of 1.5-3 s: past the hub's timeout, and every other one past the leaf's.
        const double silence = cluster % 3 == 0 ? 3.0 : 1.5;
        t = std::floor((t + silence) * 2) / 2; // the next sweep at or before t + silence
        Simulator::Schedule(Seconds(t - 0.001), [&]() {
            peersAfterSilence.push_back(hub->GetPeers().size());
        });
    }
    Simulator::Stop(Seconds(t + 5));
    Simulator::Run();

    std::vector<uint32_t> expectHub(toHub);
    std::vector<uint32_t> expectLeaf(toLeaf);
    std::iota(expectHub.begin(), expectHub.end(), 0);
    std::iota(expectLeaf.begin(), expectLeaf.end(), 0);
    EXPECT_EQ(atHub.indices, expectHub) << "every message once, in order";
    EXPECT_EQ(atLeaf.indices, expectLeaf) << "every message once, in order";
    EXPECT_EQ(atHub.downs + atLeaf.downs, 0u) << "retiring is not a failure";
    EXPECT_EQ(atHub.ups, 1u) << "a parked peer is not reported up again";
    EXPECT_EQ(atLeaf.ups, 1u);
    EXPECT_GE(hub->GetIdleCloseCount(), 8u);
    EXPECT_GE(leaf->GetIdleCloseCount(), 8u);
    // After each 3 s silence (8 of them) both timeouts have passed and the byes answered.
    uint32_t parked = std::count(peersAfterSilence.begin(), peersAfterSilence.end(), 0u);
    EXPECT_GE(parked, 8u) << "after a long silence no connection is left";
    EXPECT_TRUE(hub->GetPeers().empty());
    EXPECT_TRUE(leaf->GetPeers().empty());
}

TEST_F(BlockTransportTest, AParkedPeerThatFailedIsReportedDownOnceWhenNextUsed)
{
    Star net(1, "2Mbps", "20ms", 131072, Seconds(1));
    Ptr<BlockTransport> hub = net.agents[0];
    Ptr<BlockTransport> leaf = net.agents[1];
    Arrivals atHub;
    atHub.Watch(hub);
    std::vector<std::string> downReasons;
    hub->TraceConnectWithoutContext("PeerDown",
                                    Callback<void, const InetSocketAddress&, const std::string&>(
                                        [&](const InetSocketAddress&, const std::string& why) {
                                            downReasons.push_back(why);
                                        }));
    Simulator::Schedule(Seconds(0.1), &SendDialling, hub, net.Id(1), 0);
    bool parkedBeforeFailure = false;
    Simulator::Schedule(Seconds(4), [&]() {
        parkedBeforeFailure = hub->GetPeers().empty() && leaf->GetPeers().empty();
        // The leaf's link dies for good: the hub only learns of it when it next sends.
        net.links[0].Get(1)->SetAttribute(
            "ReceiveErrorModel",
            PointerValue(CreateObjectWithAttributes<RateErrorModel>(
                "ErrorRate", DoubleValue(1.0), "ErrorUnit", StringValue("ERROR_UNIT_PACKET"))));
    });
    Simulator::Schedule(Seconds(5), &SendDialling, hub, net.Id(1), 1);
    Simulator::Stop(Seconds(600));
    Simulator::Run();
    EXPECT_TRUE(parkedBeforeFailure);
    EXPECT_EQ(atHub.ups, 1u);
    EXPECT_EQ(atHub.downs, 1u) << "the failed dial reports the parked peer down";
    ASSERT_EQ(downReasons.size(), 1u);
    EXPECT_NE(downReasons[0].find("failed"), std::string::npos) << downReasons[0];
}

TEST_F(BlockTransportTest, AByeThatIsNeverReadClosesAfterATimeoutAndTheReaderCatchesUp)
{
    Star net(1, "2Mbps", "20ms", 131072, Seconds(1));
    Ptr<BlockTransport> hub = net.agents[0];
    Ptr<BlockTransport> leaf = net.agents[1];
    leaf->SetAttribute("IdleTimeout", TimeValue(Seconds(100))); // only the hub retires
    Arrivals atHub;
    Arrivals atLeaf;
    atHub.Watch(hub);
    atLeaf.Watch(leaf);
    Simulator::Schedule(Seconds(0.1), &SendDialling, hub, net.Id(1), 0);
    Simulator::Schedule(Seconds(0.5), [&]() {
        leaf->SetReading(false); // hung: the bye waits in its socket
    });
    std::size_t hubPeersWhileHung = 99;
    Simulator::Schedule(Seconds(6), [&]() {
        hubPeersWhileHung = hub->GetPeers().size();
        leaf->SetReading(true);
    });
    Simulator::Schedule(Seconds(8), &SendDialling, leaf, net.Id(0), 0);
    Simulator::Schedule(Seconds(8), &SendDialling, hub, net.Id(1), 1);
    Simulator::Stop(Seconds(20));
    Simulator::Run();
    EXPECT_EQ(hubPeersWhileHung, 0u) << "the unanswered retiring connection was closed";
    EXPECT_EQ(atLeaf.indices, (std::vector<uint32_t>{0, 1}));
    EXPECT_EQ(atHub.indices, (std::vector<uint32_t>{0}));
    EXPECT_EQ(atHub.downs + atLeaf.downs, 0u);
}
