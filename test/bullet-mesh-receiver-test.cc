/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// BulletMeshReceiver's peering requests (2003 Section 3.1) without a network: the messages
// it sends go to a recording link, and the simulator only keeps the time. A request stays
// open for PeerRequestTimeout, so an accept that took longer than an epoch over the
// control channel still makes a sender; a candidate that rejected is not asked again for
// RejectHoldDown; requests still open count against MaxSenders.

#include "ns3/bullet-mesh-receiver.h"
#include "ns3/checked-header.h"
#include "ns3/overlay-tree.h"
#include "ns3/recovered-relay-policy.h"
#include "ns3/row-assignment-policy.h"
#include "ns3/simulator.h"
#include "ns3/stream-header.h"
#include "ns3/stream-recovery.h"

#include <gtest/gtest.h>

#include <map>

using namespace ns3;

namespace
{

struct Sent
{
    Ipv4Address to;
    uint16_t type;
    RowShare share;     ///< the header's, if it had one
    BloomFilter filter; ///< the header's, if it had one
};

class MeshReceiverRequests : public ::testing::Test
{
  protected:
    void
    SetUp() override
    {
        m_tree = CreateObject<StaticTree>();
        m_tree->Configure(false, Ipv4Address("10.0.0.1"), {});
        m_recovery = std::make_unique<StreamRecovery>(64, 0.01, 1000);
        MakeReceiver(CreateObject<UniformRows>());
    }

    /// (Re)creates the receiver under test, dividing its matrix by \p rows and making at most
    /// \p requestsPerEpoch peering requests per epoch (0: any number).
    void
    MakeReceiver(Ptr<RowAssignmentPolicy> rows, uint32_t requestsPerEpoch = 1,
                 Ptr<DigestFilterPolicy> filters = CreateObject<WindowFilter>())
    {
        BulletPeerLink link;
        link.sendControl = [this](Ipv4Address to, uint16_t type, const BulletPeerHeader* h) {
            m_sent.push_back({to, type, h ? h->share : RowShare{}, h ? h->filter : BloomFilter{}});
        };
        link.peerDropped = [](Ipv4Address, const std::string&) {};
        BulletMeshReceiver::Config c;
        c.local = Ipv4Address("10.0.0.2");
        c.maxSenders = 3;
        c.requestsPerEpoch = requestsPerEpoch;
        c.refreshPeriod = Seconds(5);
        c.requestTimeout = Seconds(20);
        c.rejectHoldDown = Seconds(15);
        c.packetSize = 1000;
        m_rx = std::make_unique<BulletMeshReceiver>(c, m_tree, *m_recovery,
                                                    CreateObject<RelayParentRow>(), rows, filters,
                                                    link, [this](Ipv4Address s) {
                                                        m_added.push_back(s);
                                                    });
    }

    void
    TearDown() override
    {
        m_rx.reset();
        Simulator::Destroy();
    }

    /// A RanSub set of \p nodes, each with an empty summary ticket (all equally resembling:
    /// the first eligible one is asked).
    static std::vector<RanSubMember>
    Members(const std::vector<std::string>& nodes)
    {
        SummaryTicket empty(
            std::make_shared<const MinWisePermutations>(SummaryTicket::kDefaultEntries));
        const std::vector<uint8_t> bytes = WireBytes(empty);
        std::vector<RanSubMember> out;
        for (const auto& n : nodes)
        {
            out.push_back({Ipv4Address(n.c_str()), bytes});
        }
        return out;
    }

    static void
    AdvanceTo(Time t)
    {
        Simulator::Stop(t - Simulator::Now());
        Simulator::Run();
    }

    /// Requests sent since the last call, to whom.
    std::vector<Ipv4Address>
    TakeRequests()
    {
        std::vector<Ipv4Address> out;
        for (const auto& s : m_sent)
        {
            if (s.type == BulletPeerHeader::kRequest)
            {
                out.push_back(s.to);
            }
        }
        m_sent.clear();
        return out;
    }

    Ptr<StaticTree> m_tree;
    std::unique_ptr<StreamRecovery> m_recovery;
    std::unique_ptr<BulletMeshReceiver> m_rx;
    std::vector<Sent> m_sent;
    std::vector<Ipv4Address> m_added;
};

const Ipv4Address kA("10.0.0.10");
const Ipv4Address kB("10.0.0.11");
const Ipv4Address kC("10.0.0.12");

} // namespace

TEST_F(MeshReceiverRequests, AnAcceptThatArrivesAfterTheNextEpochStillMakesASender)
{
    m_rx->NewEpoch(Members({"10.0.0.10", "10.0.0.11"}));
    EXPECT_EQ(TakeRequests(), std::vector<Ipv4Address>{kA});
    AdvanceTo(Seconds(5));
    m_rx->NewEpoch(Members({"10.0.0.10", "10.0.0.11"}));
    // A's request is still open: it is not asked twice; B is asked besides.
    EXPECT_EQ(TakeRequests(), std::vector<Ipv4Address>{kB});
    AdvanceTo(Seconds(7));
    m_rx->HandleAccept(kA); // 7 s after the request, an epoch and more
    EXPECT_TRUE(m_rx->IsSender(kA));
    EXPECT_EQ(m_added, std::vector<Ipv4Address>{kA});
    for (const auto& s : m_sent)
    {
        EXPECT_NE(s.type, BulletPeerHeader::kDrop) << "the accept was declined";
    }
}

TEST_F(MeshReceiverRequests, AnAcceptAfterTheRequestTimeoutIsDeclined)
{
    m_rx->NewEpoch(Members({"10.0.0.10"}));
    EXPECT_EQ(TakeRequests(), std::vector<Ipv4Address>{kA});
    for (int e = 1; e <= 4; ++e)
    {
        AdvanceTo(Seconds(5 * e));
        m_rx->NewEpoch({}); // nobody new to ask; at 20 s A's request is given up
    }
    m_rx->HandleAccept(kA);
    EXPECT_FALSE(m_rx->IsSender(kA));
    ASSERT_EQ(m_sent.size(), 1u);
    EXPECT_EQ(m_sent[0].to, kA);
    EXPECT_EQ(m_sent[0].type, BulletPeerHeader::kDrop);
    // An accept nobody asked for is declined too.
    m_sent.clear();
    m_rx->HandleAccept(kC);
    EXPECT_FALSE(m_rx->IsSender(kC));
    ASSERT_EQ(m_sent.size(), 1u);
    EXPECT_EQ(m_sent[0].type, BulletPeerHeader::kDrop);
}

TEST_F(MeshReceiverRequests, ARejecterIsNotAskedAgainUntilTheHoldDownEnds)
{
    const auto set = Members({"10.0.0.10", "10.0.0.11"});
    m_rx->NewEpoch(set);
    EXPECT_EQ(TakeRequests(), std::vector<Ipv4Address>{kA});
    m_rx->HandleReject(kA);
    AdvanceTo(Seconds(5));
    m_rx->NewEpoch(set);
    EXPECT_EQ(TakeRequests(), std::vector<Ipv4Address>{kB}) << "A rejected 5 s ago";
    m_rx->HandleReject(kB);
    AdvanceTo(Seconds(10));
    m_rx->NewEpoch(set);
    EXPECT_TRUE(TakeRequests().empty()) << "both rejected within 15 s";
    AdvanceTo(Seconds(15));
    m_rx->NewEpoch(set);
    EXPECT_EQ(TakeRequests(), std::vector<Ipv4Address>{kA}) << "A's hold-down is over";
    // A reject from a node with no open request changes nothing.
    m_rx->HandleReject(kC);
    AdvanceTo(Seconds(20));
    m_rx->NewEpoch(Members({"10.0.0.12"}));
    EXPECT_EQ(TakeRequests(), std::vector<Ipv4Address>{kC});
}

TEST_F(MeshReceiverRequests, OpenRequestsCountAgainstMaxSenders)
{
    // MaxSenders 3: a sender and two open requests leave no room for a fourth request.
    const auto set = Members({"10.0.0.10", "10.0.0.11", "10.0.0.12", "10.0.0.13"});
    m_rx->NewEpoch(set);
    m_rx->HandleAccept(kA);
    ASSERT_TRUE(m_rx->IsSender(kA));
    AdvanceTo(Seconds(5));
    m_rx->NewEpoch(set);
    AdvanceTo(Seconds(10));
    m_rx->NewEpoch(set);
    std::vector<Ipv4Address> asked = TakeRequests();
    EXPECT_EQ(asked, (std::vector<Ipv4Address>{kA, kB, kC}));
    AdvanceTo(Seconds(15));
    m_rx->NewEpoch(set);
    EXPECT_TRUE(TakeRequests().empty());
    // Both open requests are accepted: the receiver is at MaxSenders, and never above.
    m_rx->HandleAccept(kB);
    m_rx->HandleAccept(kC);
    EXPECT_EQ(m_rx->GetSenders().size(), 3u);
    AdvanceTo(Seconds(20));
    m_rx->NewEpoch(set);
    EXPECT_TRUE(TakeRequests().empty());
}

// 2008 Section 4.2.2.1: a receiver may ask as many candidates in an epoch as its sender limit
// allows, or a given number; open requests and senders still count against MaxSenders (3).
TEST_F(MeshReceiverRequests, SeveralRequestsPerEpochFillTheSenderSetAndNoMore)
{
    const auto set = Members({"10.0.0.10", "10.0.0.11", "10.0.0.12", "10.0.0.13"});
    const Ipv4Address kD("10.0.0.13");
    MakeReceiver(CreateObject<UniformRows>(), 0);
    m_rx->NewEpoch(set);
    EXPECT_EQ(TakeRequests(), (std::vector<Ipv4Address>{kA, kB, kC})) << "as many as room allows";
    m_rx->HandleAccept(kA);
    m_rx->HandleReject(kB);
    AdvanceTo(Seconds(5));
    m_rx->NewEpoch(set);
    // A is a sender, C's request open, B in its hold-down: one slot, for D.
    EXPECT_EQ(TakeRequests(), std::vector<Ipv4Address>{kD});
    AdvanceTo(Seconds(10));
    m_rx->NewEpoch(set);
    EXPECT_TRUE(TakeRequests().empty());
    m_rx->HandleAccept(kC);
    m_rx->HandleAccept(kD);
    EXPECT_EQ(m_rx->GetSenders().size(), 3u);

    // Two per epoch: two, then the one slot left.
    MakeReceiver(CreateObject<UniformRows>(), 2);
    AdvanceTo(Seconds(15));
    m_rx->NewEpoch(set);
    EXPECT_EQ(TakeRequests(), (std::vector<Ipv4Address>{kA, kB}));
    AdvanceTo(Seconds(20));
    m_rx->NewEpoch(set);
    EXPECT_EQ(TakeRequests(), std::vector<Ipv4Address>{kC});
    // Never the parent (10.0.0.1) or the node itself (10.0.0.2), and a member listed twice
    // (RanSub's sets may repeat a node that moved in the tree) is asked once.
    AdvanceTo(Seconds(25));
    MakeReceiver(CreateObject<UniformRows>(), 0);
    m_rx->NewEpoch(Members({"10.0.0.1", "10.0.0.2", "10.0.0.10", "10.0.0.10", "10.0.0.11"}));
    EXPECT_EQ(TakeRequests(), (std::vector<Ipv4Address>{kA, kB}));
}

// A refresh divides the matrix among the senders and the parent (RelayParentRow): each row of
// it is asked of exactly one of them, with the paper's rows and with shares by delivery,
// whatever the senders delivered.
TEST_F(MeshReceiverRequests, RefreshesDivideTheMatrixAmongSendersAndParent)
{
    const Ipv4Address parent("10.0.0.1");
    for (bool byDelivery : {false, true})
    {
        if (byDelivery)
        {
            MakeReceiver(CreateObject<RowsByDelivery>());
        }
        for (const auto& [t, who] : std::vector<std::pair<double, std::string>>{
                 {5, "10.0.0.10"}, {10, "10.0.0.11"}, {15, "10.0.0.12"}})
        {
            AdvanceTo(Seconds(t + (byDelivery ? 100 : 0)));
            m_rx->NewEpoch(Members({who}));
            m_rx->HandleAccept(Ipv4Address(who.c_str()));
        }
        ASSERT_TRUE(m_rx->IsSender(kA) && m_rx->IsSender(kB) && m_rx->IsSender(kC));
        for (int refresh = 0; refresh < 4; ++refresh)
        {
            // Uneven deliveries: A 40 new packets, B 20 and 20 duplicates, C none.
            for (int k = 0; k < 40; ++k)
            {
                m_rx->Received(kA, false);
                m_rx->Received(kB, k % 2 == 1);
            }
            m_sent.clear();
            m_rx->SendRefreshes();
            std::map<Ipv4Address, RowShare> shares;
            for (const auto& s : m_sent)
            {
                if (s.type == BulletPeerHeader::kRefresh
                    || s.type == BulletPeerHeader::kChildDigest)
                {
                    shares[s.to] = s.share;
                }
            }
            ASSERT_EQ(shares.size(), 4u) << "three senders and the parent";
            ASSERT_TRUE(shares.count(parent));
            const uint16_t rows = shares[parent].rows;
            EXPECT_EQ(rows, byDelivery ? 32 : 4);
            for (uint32_t seq = 0; seq < rows; ++seq)
            {
                int owners = 0;
                for (const auto& [to, share] : shares)
                {
                    EXPECT_EQ(share.rows, rows);
                    owners += share.Contains(seq);
                }
                EXPECT_EQ(owners, 1) << "row " << seq << " refresh " << refresh;
            }
            if (byDelivery)
            {
                EXPECT_GT(shares[kA].count, shares[kB].count) << "A delivered more than B";
                EXPECT_GT(shares[kB].count, shares[kC].count) << "B delivered more than C";
            }
        }
    }
}

// With the 2008 paper's filters per share (DigestFilter ns3::ShareFilter), each sender and the
// parent get a filter of their own share's packets only, a fraction of the window filter, and
// a peering request still carries the whole window's.
TEST_F(MeshReceiverRequests, WithShareFiltersEachRefreshCarriesItsSharesFilter)
{
    MakeReceiver(CreateObject<UniformRows>(), 0, CreateObject<ShareFilter>());
    for (uint32_t seq = 100; seq < 160; ++seq)
    {
        if (seq % 5 != 0)
        {
            StreamHeader h;
            h.seq = seq;
            m_recovery->Hold(h);
        }
    }
    const WorkingSet& ws = m_recovery->GetWorkingSet();
    const BloomFilter window = ws.GetBloomFilter();
    m_rx->NewEpoch(Members({"10.0.0.10", "10.0.0.11", "10.0.0.12"}));
    for (const auto& s : m_sent)
    {
        ASSERT_EQ(s.type, BulletPeerHeader::kRequest);
        EXPECT_EQ(s.filter, window) << "a request carries the window's filter";
    }
    m_rx->HandleAccept(kA);
    m_rx->HandleAccept(kB);
    m_rx->HandleAccept(kC);
    m_sent.clear();
    m_rx->SendRefreshes();
    ASSERT_EQ(m_sent.size(), 4u) << "three senders and the parent";
    for (const auto& s : m_sent)
    {
        ASSERT_EQ(s.share.rows, 4) << "three senders and the parent share the matrix";
        EXPECT_EQ(s.filter.GetNumBits(), (window.GetNumBits() + 3) / 4);
        uint32_t held = 0;
        for (uint32_t seq = 100; seq < 160; ++seq)
        {
            if (s.share.Contains(seq) && ws.Contains(seq))
            {
                ++held;
                EXPECT_TRUE(s.filter.Contains(seq)) << seq;
            }
        }
        EXPECT_EQ(s.filter.GetPopulation(), held);
    }
}
