/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Bullet's policy objects without a simulator: which recovered packets a parent relays
// (RecoveredRelayPolicy) and whom a node drops when it improves its mesh
// (MeshEvaluationPolicy); and the RecoveredRelay attribute's spellings.

#include "ns3/bullet-application.h"
#include "ns3/config.h"
#include "ns3/mesh-evaluation-policy.h"
#include "ns3/recovered-relay-policy.h"
#include "ns3/string.h"

#include <gtest/gtest.h>

using namespace ns3;

TEST(RecoveredRelayPolicy, ParentRowLeavesExactlyThePacketsOutsideTheParentsRow)
{
    RelayParentRow policy;
    const uint32_t high = 1000;
    const uint16_t rows = 4;
    const uint16_t row = 3;
    for (uint32_t seq = 0; seq <= high; ++seq)
    {
        EXPECT_EQ(policy.LeftToPeers(seq, high, {rows, row, 1}), seq % rows != row) << seq;
    }
    for (uint32_t seq = high + 1; seq < high + 20; ++seq)
    {
        EXPECT_FALSE(policy.LeftToPeers(seq, high, {rows, row, 1}))
            << "newer than the child's newest";
    }
    // A child that reported no rows (no digest yet, or another policy) gets every packet.
    for (uint32_t seq = 0; seq <= 20; ++seq)
    {
        EXPECT_FALSE(policy.LeftToPeers(seq, high, RowShare{}));
    }
}

TEST(RecoveredRelayPolicy, AllLeavesNothingToPeersNoneEveryRecoveredPacket)
{
    RelayAllRecovered all;
    RelayNoRecovered none;
    const uint32_t high = 500;
    for (uint32_t seq = 0; seq < 600; ++seq)
    {
        for (uint16_t rows : {0, 1, 3})
        {
            EXPECT_FALSE(all.LeftToPeers(seq, high, {rows, 0, 1}));
            EXPECT_EQ(none.LeftToPeers(seq, high, {rows, 0, 1}), seq <= high) << seq;
        }
    }
}

TEST(RecoveredRelayPolicy, OnlyParentRowGivesTheParentAShare)
{
    RelayParentRow parentRow;
    RelayAllRecovered all;
    RelayNoRecovered none;
    EXPECT_TRUE(parentRow.ParentServesRows(true));
    EXPECT_FALSE(parentRow.ParentServesRows(false));
    for (const RecoveredRelayPolicy* p :
         {static_cast<RecoveredRelayPolicy*>(&all), static_cast<RecoveredRelayPolicy*>(&none)})
    {
        EXPECT_FALSE(p->ParentServesRows(true));
        EXPECT_FALSE(p->ParentServesRows(false));
    }
}

TEST(RecoveredRelayPolicy, ParentRowLeavesWhatIsOutsideAShareOfSeveralRows)
{
    RelayParentRow policy;
    const RowShare share{10, 8, 4}; // rows 8, 9, 0, 1 of 10
    for (uint32_t seq = 0; seq <= 200; ++seq)
    {
        const bool mine = seq % 10 >= 8 || seq % 10 <= 1;
        EXPECT_EQ(policy.LeftToPeers(seq, 200, share), !mine) << seq;
    }
}

TEST(RecoveredRelayPolicy, AttributeTakesTypeIdOrShortName)
{
    const std::string attr = "ns3::BulletApplication::RecoveredRelay";
    auto relayOf = [] {
        TypeIdValue v;
        CreateObject<BulletApplication>()->GetAttribute("RecoveredRelay", v);
        return v.Get();
    };
    EXPECT_EQ(relayOf(), RelayParentRow::GetTypeId()) << "the default";
    const std::vector<std::pair<std::string, TypeId>> spellings{
        {"All", RelayAllRecovered::GetTypeId()},
        {"None", RelayNoRecovered::GetTypeId()},
        {"ParentRow", RelayParentRow::GetTypeId()},
        {"ns3::RelayAllRecovered", RelayAllRecovered::GetTypeId()},
        {"ns3::RelayNoRecovered", RelayNoRecovered::GetTypeId()},
        {"ns3::RelayParentRow", RelayParentRow::GetTypeId()},
    };
    for (const auto& [name, tid] : spellings)
    {
        ASSERT_TRUE(Config::SetDefaultFailSafe(attr, StringValue(name))) << name;
        EXPECT_EQ(relayOf(), tid) << name;
    }
    EXPECT_FALSE(Config::SetDefaultFailSafe(attr, StringValue("Some")));
    EXPECT_FALSE(Config::SetDefaultFailSafe(attr, StringValue("ns3::PaperMeshEvaluation")))
        << "not a relay policy";
    Config::SetDefault(attr, TypeIdValue(RelayParentRow::GetTypeId()));
    EXPECT_EQ(relayOf(), RelayParentRow::GetTypeId());
}

TEST(BulletApplication, TraceSourcesNameTheirCallbackTypes)
{
    TypeId tid = BulletApplication::GetTypeId();
    TypeId::TraceSourceInformation info;
    ASSERT_TRUE(tid.LookupTraceSourceByName("SenderAdded", &info));
    EXPECT_EQ(info.callback, "ns3::BulletApplication::SenderAddedTracedCallback");
    ASSERT_TRUE(tid.LookupTraceSourceByName("PeerDropped", &info));
    EXPECT_EQ(info.callback, "ns3::BulletApplication::PeerTracedCallback");
}

namespace
{

MeshEvaluationPolicy::SenderFigures
Sender(uint8_t id, uint32_t received, uint32_t duplicates)
{
    MeshEvaluationPolicy::SenderFigures s;
    s.address = Ipv4Address(0x0a000000 + id);
    s.received = received;
    s.duplicates = duplicates;
    return s;
}

MeshEvaluationPolicy::ReceiverFigures
Receiver(uint8_t id, uint64_t bytesSent, uint32_t reportedKbps)
{
    MeshEvaluationPolicy::ReceiverFigures r;
    r.address = Ipv4Address(0x0a000000 + id);
    r.bytesSent = bytesSent;
    r.reportedKbps = reportedKbps;
    return r;
}

} // namespace

TEST(PaperMeshEvaluation, AWastefulSenderGoesBeforeTheLeastUsefulOne)
{
    PaperMeshEvaluation policy;
    // Full (3 of 3): sender 2 is 60% duplicates, sender 3 the least useful (20 packets).
    std::vector<MeshEvaluationPolicy::SenderFigures> senders{Sender(1, 100, 10), Sender(2, 100, 60),
                                                             Sender(3, 20, 0)};
    auto v = policy.ChooseSender(senders, 3, 0.5);
    ASSERT_TRUE(v.drop);
    EXPECT_EQ(v.peer, senders[1].address);
    EXPECT_EQ(v.why, "duplicates");
    // The most wasteful of several over the threshold, even when not full.
    senders.push_back(Sender(4, 50, 40)); // 80%
    v = policy.ChooseSender(senders, 10, 0.5);
    ASSERT_TRUE(v.drop);
    EXPECT_EQ(v.peer, senders[3].address);
    // With nobody over the threshold (exactly at it is not over), a full node drops the
    // least useful sender.
    senders = {Sender(1, 100, 10), Sender(2, 100, 50), Sender(3, 20, 0)};
    v = policy.ChooseSender(senders, 3, 0.5);
    ASSERT_TRUE(v.drop);
    EXPECT_EQ(v.peer, senders[2].address);
    EXPECT_EQ(v.why, "least useful (trial slot)");
}

TEST(PaperMeshEvaluation, NobodyDroppedWhenNotFullAndNobodyWasteful)
{
    PaperMeshEvaluation policy;
    std::vector<MeshEvaluationPolicy::SenderFigures> senders{Sender(1, 100, 10), Sender(2, 0, 0),
                                                             Sender(3, 20, 10)};
    EXPECT_FALSE(policy.ChooseSender(senders, 4, 0.5).drop);
    EXPECT_FALSE(policy.ChooseSender({}, 0, 0.5).drop) << "no senders";
    std::vector<MeshEvaluationPolicy::ReceiverFigures> receivers{Receiver(1, 1000, 100),
                                                                 Receiver(2, 0, 100)};
    EXPECT_FALSE(policy.ChooseReceiver(receivers, 3, Seconds(15)).drop);
    EXPECT_FALSE(policy.ChooseReceiver({}, 0, Seconds(15)).drop) << "no receivers";
}

TEST(PaperMeshEvaluation, AFullSenderDropsTheReceiverGettingTheLeastPortionFromIt)
{
    PaperMeshEvaluation policy;
    // Over 10 s: 1,000,000 B is 800 kbps, 200,000 B 160 kbps, 250,000 B 200 kbps.
    std::vector<MeshEvaluationPolicy::ReceiverFigures> receivers{
        Receiver(1, 1000000, 1000), // 0.8 of what it receives
        Receiver(2, 200000, 800),   // 0.2
        Receiver(3, 250000, 400),   // 0.5
    };
    auto v = policy.ChooseReceiver(receivers, 3, Seconds(10));
    ASSERT_TRUE(v.drop);
    EXPECT_EQ(v.peer, receivers[1].address);
    EXPECT_EQ(v.why, "least portion of its bandwidth");
    // The portion is relative: the receiver sent the fewest bytes is not necessarily it.
    receivers[1].reportedKbps = 100; // 1.6: most of what it gets comes from this node
    v = policy.ChooseReceiver(receivers, 3, Seconds(10));
    ASSERT_TRUE(v.drop);
    EXPECT_EQ(v.peer, receivers[2].address);
    // A receiver that reports nothing counts as getting none of it from this node.
    receivers.push_back(Receiver(4, 500000, 0));
    v = policy.ChooseReceiver(receivers, 4, Seconds(10));
    ASSERT_TRUE(v.drop);
    EXPECT_EQ(v.peer, receivers[3].address);
}
