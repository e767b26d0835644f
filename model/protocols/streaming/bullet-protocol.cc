/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "bullet-protocol.h"

#include "ns3/boolean.h"
#include "ns3/checked-header.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/object-factory.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("BulletProtocol");

TypeId
BulletAttributes::AddTo(TypeId tid)
{
    return tid
        .AddAttribute("MaxSenders", "Peers a node receives from at most", UintegerValue(10),
                      MakeUintegerAccessor(&BulletAttributes::m_maxSenders),
                      MakeUintegerChecker<uint32_t>(0, 1000))
        .AddAttribute("MaxReceivers", "Peers a node sends to at most", UintegerValue(10),
                      MakeUintegerAccessor(&BulletAttributes::m_maxReceivers),
                      MakeUintegerChecker<uint32_t>(0, 1000))
        .AddAttribute(
            "RecoveredRelay",
            "Which packets a parent recovered from its peers it relays to a child that "
            "lacks them, a RecoveredRelayPolicy: ns3::RelayAllRecovered (All: the paper's "
            "behaviour; the child's peers may be sending the same ones), "
            "ns3::RelayParentRow (ParentRow, the default: the child counts its parent as "
            "one more server of its sequence matrix, a row in the paper's, and the parent "
            "relays only its share, so parent and peers stay disjoint) or ns3::RelayNoRecovered "
            "(None: only packets "
            "newer than the child's newest); the short names are accepted too",
            TypeIdValue(RelayParentRow::GetTypeId()),
            MakeTypeIdAccessor(&BulletAttributes::m_recoveredRelayType),
            MakeRecoveredRelayChecker())
        .AddAttribute("RowRotation",
                      "Refreshes between rotations of the senders' rows of the sequence "
                      "matrix (Figure 4b), which move a hole one sender cannot fill to "
                      "another; a sender that learns of its new row late sends some of its "
                      "old row, which another sender now serves. 0 keeps rows until the "
                      "number of senders changes",
                      UintegerValue(1), MakeUintegerAccessor(&BulletAttributes::m_rowRotation),
                      MakeUintegerChecker<uint32_t>())
        .AddAttribute("SourceAcceptsPeers",
                      "Whether the source accepts peering requests; if not (the default), "
                      "its uplink carries only tree traffic, the only way new packets enter "
                      "the overlay: a packet the source sends a mesh receiver instead is "
                      "newer than every other node's request range, so nobody relays it and "
                      "most such packets reach a few nodes only (doc/bullet.md)",
                      BooleanValue(false),
                      MakeBooleanAccessor(&BulletAttributes::m_sourceAcceptsPeers),
                      MakeBooleanChecker())
        .AddAttribute("RefreshPeriod",
                      "How often a receiver refreshes its senders' filters and rows",
                      TimeValue(Seconds(5)), MakeTimeAccessor(&BulletAttributes::m_refreshPeriod),
                      MakeTimeChecker(MilliSeconds(1)))
        .AddAttribute("PeerRequestTimeout",
                      "How long a peering request stays open: an accept within it makes the "
                      "candidate a sender if there is room (requests and answers travel the "
                      "control channel, which can take longer than an epoch)",
                      TimeValue(Seconds(20)),
                      MakeTimeAccessor(&BulletAttributes::m_peerRequestTimeout),
                      MakeTimeChecker(MilliSeconds(1)))
        .AddAttribute("PeerRequestsPerEpoch",
                      "Peering requests a receiver makes at most per RanSub epoch, to the "
                      "least resembling candidates, while its senders and open requests stay "
                      "under MaxSenders: 1 is the 2003 paper's (Section 3.1), 0 asks as many as "
                      "MaxSenders allows (2008 Section 4.2.2.1, for a faster start)",
                      UintegerValue(1),
                      MakeUintegerAccessor(&BulletAttributes::m_peerRequestsPerEpoch),
                      MakeUintegerChecker<uint32_t>())
        .AddAttribute("RejectHoldDown",
                      "How long a receiver does not ask a candidate that rejected its "
                      "request again (a full sender makes room only at its evaluations; the "
                      "source may accept no receivers); 0 asks again at once",
                      TimeValue(Seconds(15)), MakeTimeAccessor(&BulletAttributes::m_rejectHoldDown),
                      MakeTimeChecker(Seconds(0)))
        .AddAttribute("EvaluationEpochs",
                      "RanSub epochs between evaluations of senders and receivers",
                      UintegerValue(3), MakeUintegerAccessor(&BulletAttributes::m_evaluationEpochs),
                      MakeUintegerChecker<uint32_t>(1))
        .AddAttribute("DuplicateThreshold",
                      "A sender whose duplicates exceed this share of its packets is dropped",
                      DoubleValue(0.5), MakeDoubleAccessor(&BulletAttributes::m_duplicateThreshold),
                      MakeDoubleChecker<double>(0, 1))
        .AddAttribute("MeshEvaluation",
                      "How a node chooses the sender and the receiver it drops every "
                      "EvaluationEpochs epochs, a MeshEvaluationPolicy: "
                      "ns3::PaperMeshEvaluation (the paper's rule)",
                      TypeIdValue(PaperMeshEvaluation::GetTypeId()),
                      MakeTypeIdAccessor(&BulletAttributes::m_meshEvaluationType),
                      MakeTypeIdChecker())
        .AddAttribute("RowAssignment",
                      "How a receiver divides its sequence matrix among its senders (and its "
                      "parent, under RecoveredRelay ParentRow) at each refresh, a "
                      "RowAssignmentPolicy: ns3::UniformRows (the paper's matrix, a row each; "
                      "the default) or ns3::RowsByDelivery (not in the papers: shares in "
                      "proportion to what each delivered in the last period)",
                      TypeIdValue(UniformRows::GetTypeId()),
                      MakeTypeIdAccessor(&BulletAttributes::m_rowAssignmentType),
                      MakeTypeIdChecker())
        .AddAttribute("DigestFilter",
                      "Which Bloom filter a receiver sends each sender (and its parent) with "
                      "its share of the sequence matrix, a DigestFilterPolicy: "
                      "ns3::WindowFilter (the 2003 paper's: the whole working set's, to every "
                      "sender; the default) or ns3::ShareFilter (2008 Section 4.3.2.4: a "
                      "smaller filter of the share's packets only, at the same false-positive "
                      "rate, for less control traffic)",
                      TypeIdValue(WindowFilter::GetTypeId()),
                      MakeTypeIdAccessor(&BulletAttributes::m_digestFilterType),
                      MakeTypeIdChecker())
        .AddAttribute("BloomFalsePositiveRate",
                      "Target false-positive rate the Bloom filter is sized for", DoubleValue(0.01),
                      MakeDoubleAccessor(&BulletAttributes::m_falsePositive),
                      MakeDoubleChecker<double>(1e-6, 0.5))
        .AddAttribute("TicketEntries", "Entries of the min-wise summary ticket (30 x 4 B = 120 B)",
                      UintegerValue(30), MakeUintegerAccessor(&BulletAttributes::m_ticketEntries),
                      MakeUintegerChecker<uint32_t>(1, 255))
        .AddAttribute("InitialLimitingFactor", "A new child's limiting factor", DoubleValue(1.0),
                      MakeDoubleAccessor(&BulletAttributes::m_initialLimitingFactor),
                      MakeDoubleChecker<double>(0, 1))
        .AddAttribute("ReceiverTimeout",
                      "Refresh periods without a refresh after which a receiver is dropped",
                      UintegerValue(3),
                      MakeUintegerAccessor(&BulletAttributes::m_receiverTimeoutPeriods),
                      MakeUintegerChecker<uint32_t>(1))
        .AddAttribute("ChildSendPolicy",
                      "How new packets are split among children: ns3::DisjointChildSend "
                      "(the paper's) or ns3::SendToAllChildren (non-disjoint)",
                      TypeIdValue(DisjointChildSend::GetTypeId()),
                      MakeTypeIdAccessor(&BulletAttributes::m_childPolicyType), MakeTypeIdChecker())
        .AddAttribute("SourceChildSendPolicy",
                      "The source's ChildSendPolicy: empty for the same as every node's "
                      "(ChildSendPolicy, as in 2003), or a TypeId name, e.g. "
                      "ns3::SendOnceChildSend (each packet to one child only, 2008 Section "
                      "4.4.2.2)",
                      StringValue(""), MakeStringAccessor(&BulletAttributes::m_sourceChildPolicy),
                      MakeStringChecker())
        .AddTraceSource("SenderAdded", "A peer accepted to send to this node",
                        MakeTraceSourceAccessor(&BulletAttributes::m_senderAddedTrace),
                        tid.GetName() + "::SenderAddedTracedCallback")
        .AddTraceSource("PeerDropped", "A peering ended: (peer, reason)",
                        MakeTraceSourceAccessor(&BulletAttributes::m_peerDropTrace),
                        tid.GetName() + "::PeerTracedCallback");
}

TypeId
BulletProtocol::ChildPolicyType(const BulletAttributes& a, bool isSource)
{
    if (!isSource || a.m_sourceChildPolicy.empty())
    {
        return a.m_childPolicyType;
    }
    TypeId tid;
    if (!TypeId::LookupByNameFailSafe(a.m_sourceChildPolicy, &tid)
        || !tid.IsChildOf(ChildSendPolicy::GetTypeId()) || !tid.HasConstructor())
    {
        NS_FATAL_ERROR("BulletApplication::SourceChildSendPolicy: '"
                       << a.m_sourceChildPolicy
                       << "' is not a ChildSendPolicy (e.g. ns3::SendOnceChildSend)");
    }
    return tid;
}

namespace
{

/// The policy \p tid names, as attribute \p attribute chose it: a clear error if it is not a
/// concrete T.
template<typename T>
Ptr<T>
CreatePolicy(TypeId tid, const std::string& attribute)
{
    if (!tid.IsChildOf(T::GetTypeId()) || !tid.HasConstructor())
    {
        NS_FATAL_ERROR("BulletApplication::" << attribute << ": '" << tid.GetName() << "' is not a "
                                             << T::GetTypeId().GetName() << " one can create");
    }
    ObjectFactory factory;
    factory.SetTypeId(tid);
    return factory.Create<T>();
}

} // namespace

BulletProtocol::BulletProtocol(BulletAttributes& attributes, const Host& host)
    : m_attributes(attributes)
    , m_host(host)
{
    const BulletAttributes& a = m_attributes;
    m_recovery = std::make_unique<StreamRecovery>(
        m_host.window, a.m_falsePositive, m_host.packetSize,
        std::make_shared<MinWisePermutations>(a.m_ticketEntries));
    if (m_host.payload)
    {
        m_recovery->SetPayloadCallback(m_host.payload);
    }
    m_recovery->SetSendCallback([this](Ipv4Address peer, Ptr<Packet> p, uint32_t seq) {
        const uint32_t bytes = p->GetSize();
        if (!m_host.sendData(peer, p, seq))
        {
            return false;
        }
        m_meshSender->Sent(peer, bytes, seq);
        return true;
    });

    Ptr<ChildSendPolicy> childPolicy
        = CreatePolicy<ChildSendPolicy>(ChildPolicyType(a, m_host.isSource), "ChildSendPolicy");
    Ptr<RecoveredRelayPolicy> relay
        = CreatePolicy<RecoveredRelayPolicy>(a.m_recoveredRelayType, "RecoveredRelay");
    m_evaluation = CreatePolicy<MeshEvaluationPolicy>(a.m_meshEvaluationType, "MeshEvaluation");
    Ptr<RowAssignmentPolicy> rows
        = CreatePolicy<RowAssignmentPolicy>(a.m_rowAssignmentType, "RowAssignment");
    Ptr<DigestFilterPolicy> filters
        = CreatePolicy<DigestFilterPolicy>(a.m_digestFilterType, "DigestFilter");

    BulletPeerLink link;
    link.sendControl = [this](Ipv4Address to, uint16_t type, const BulletPeerHeader* h) {
        SendControl(to, type, h);
    };
    link.peerDropped = [this](Ipv4Address peer, const std::string& why) {
        m_attributes.m_peerDropTrace(peer, why);
    };

    m_treePush = std::make_unique<BulletTreePush>(m_host.tree, childPolicy, relay,
                                                  a.m_initialLimitingFactor, m_host.sendData,
                                                  [this](Ipv4Address child) {
                                                      return m_ransub->GetDescendants(child);
                                                  });

    BulletMeshReceiver::Config rx;
    rx.local = m_host.local;
    rx.isSource = m_host.isSource;
    rx.maxSenders = a.m_maxSenders;
    rx.requestsPerEpoch = a.m_peerRequestsPerEpoch;
    rx.rowRotation = a.m_rowRotation;
    rx.refreshPeriod = a.m_refreshPeriod;
    rx.requestTimeout = a.m_peerRequestTimeout;
    rx.rejectHoldDown = a.m_rejectHoldDown;
    rx.packetSize = m_host.packetSize;
    m_meshReceiver = std::make_unique<BulletMeshReceiver>(
        rx, m_host.tree, *m_recovery, relay, rows, filters, link, [this](Ipv4Address sender) {
            m_attributes.m_senderAddedTrace(sender);
        });

    BulletMeshSender::Config tx;
    tx.local = m_host.local;
    tx.maxReceivers = a.m_maxReceivers;
    tx.acceptsPeers = !m_host.isSource || a.m_sourceAcceptsPeers;
    tx.receiverTimeout = a.m_refreshPeriod * a.m_receiverTimeoutPeriods;
    if (m_host.shuffleMissing)
    {
        tx.order = [this](std::deque<uint32_t>& seqs) {
            Shuffle(seqs);
        };
    }
    m_meshSender = std::make_unique<BulletMeshSender>(tx, m_host.tree, *m_recovery, link,
                                                      [this](Ipv4Address receiver) {
                                                          m_host.transport->Close(receiver);
                                                      });

    Ptr<ControlChannel> channel = m_host.channel;
    channel->Register(kRequest, MakeCallback(&BulletProtocol::HandleRequest, this));
    channel->Register(kAccept, MakeCallback(&BulletProtocol::HandleAccept, this));
    channel->Register(kReject, MakeCallback(&BulletProtocol::HandleReject, this));
    channel->Register(kRefresh, MakeCallback(&BulletProtocol::HandleRefresh, this));
    channel->Register(kDrop, MakeCallback(&BulletProtocol::HandleDrop, this));
    channel->Register(kChildDigest, MakeCallback(&BulletProtocol::HandleChildDigest, this));

    m_ransub = m_host.startRanSub(RanSub::NON_DESCENDANTS,
                                  MakeCallback(&BulletProtocol::TicketPayload, this),
                                  MakeCallback(&BulletProtocol::OnRanSub, this));
    // A random phase: nodes refreshing in lockstep would recover, and relay, in bursts.
    m_random = CreateObject<UniformRandomVariable>();
    m_random->SetStream(m_host.stream);
    m_refreshTimer = Simulator::Schedule(a.m_refreshPeriod * m_random->GetValue(0.5, 1.5),
                                         &BulletProtocol::RefreshTick, this);
}

BulletProtocol::~BulletProtocol()
{
    m_refreshTimer.Cancel();
}

void
BulletProtocol::Stop()
{
    m_refreshTimer.Cancel();
    if (m_ransub)
    {
        m_ransub->Stop();
    }
}

Ptr<RanSub>
BulletProtocol::GetRanSub() const
{
    return m_ransub;
}

std::vector<Ipv4Address>
BulletProtocol::GetSenders() const
{
    return m_meshReceiver->GetSenders();
}

std::vector<Ipv4Address>
BulletProtocol::GetReceivers() const
{
    return m_meshSender->GetReceivers();
}

const std::vector<ChildSendPolicy::Child>&
BulletProtocol::GetChildState() const
{
    return m_treePush->GetChildren();
}

const WorkingSet&
BulletProtocol::GetWorkingSet() const
{
    return m_recovery->GetWorkingSet();
}

StreamRecovery::SendTimes
BulletProtocol::GetMeshSendTimes() const
{
    return m_recovery->GetSendTimes(Simulator::Now());
}

uint64_t
BulletProtocol::GetMalformedPeerMessages() const
{
    return m_malformedPeerMessages;
}

std::vector<uint8_t>
BulletProtocol::TicketPayload() const
{
    return WireBytes(m_recovery->GetWorkingSet().GetTicket());
}

void
BulletProtocol::Shuffle(std::deque<uint32_t>& seqs)
{
    // Fisher-Yates, from the protocol's own random stream.
    for (size_t i = seqs.size(); i > 1; --i)
    {
        std::swap(seqs[i - 1], seqs[m_random->GetInteger(0, uint32_t(i - 1))]);
    }
}

// ---------------------------------------------------------------- the epoch

void
BulletProtocol::OnRanSub(uint32_t epoch, const std::vector<RanSubMember>& members)
{
    m_treePush->NewEpoch();
    if (++m_epochsSinceEvaluation >= m_attributes.m_evaluationEpochs)
    {
        m_epochsSinceEvaluation = 0;
        EvaluateMesh();
    }
    m_meshReceiver->NewEpoch(members);
}

void
BulletProtocol::EvaluateMesh()
{
    // As a receiver: the policy may name a sender to drop (which changes the rows, so the
    // remaining senders are refreshed at once).
    auto sender
        = m_evaluation->ChooseSender(m_meshReceiver->GetSenderFigures(), m_attributes.m_maxSenders,
                                     m_attributes.m_duplicateThreshold);
    if (sender.drop)
    {
        m_meshReceiver->DropSender(sender.peer, sender.why);
    }
    m_meshReceiver->ResetCounts();
    // As a sender: the policy may name a receiver to drop, by the totals receivers report.
    auto receiver = m_evaluation->ChooseReceiver(m_meshSender->GetReceiverFigures(),
                                                 m_attributes.m_maxReceivers,
                                                 Simulator::Now() - m_lastEvaluation);
    if (receiver.drop)
    {
        m_meshSender->DropReceiver(receiver.peer, receiver.why, true);
    }
    m_meshSender->ResetCounts();
    m_lastEvaluation = Simulator::Now();
}

// ---------------------------------------------------------------- data

bool
BulletProtocol::Disseminate(const StreamHeader& header, Ptr<const Packet> packet, Ipv4Address from)
{
    m_recovery->Hold(header);
    // Down the tree first, then to the mesh receivers whose row it is.
    const bool pushed = m_treePush->Push(header.seq, packet);
    m_meshSender->Offer(header.seq, from);
    return pushed;
}

void
BulletProtocol::Received(Ipv4Address from, bool duplicate)
{
    m_meshReceiver->Received(from, duplicate);
}

void
BulletProtocol::OnSendReady(Ipv4Address peer)
{
    m_meshSender->OnSendReady(peer);
}

// ---------------------------------------------------------------- control messages

void
BulletProtocol::SendControl(Ipv4Address to, uint16_t type, const BulletPeerHeader* h)
{
    Ptr<Packet> p = Create<Packet>();
    if (h)
    {
        p->AddHeader(*h);
    }
    m_host.channel->Send(to, type, p);
}

void
BulletProtocol::RefreshTick()
{
    m_meshReceiver->SendRefreshes();
    m_treePush->ForgetFormerChildren();
    m_meshSender->DropSilent();
    m_refreshTimer
        = Simulator::Schedule(m_attributes.m_refreshPeriod, &BulletProtocol::RefreshTick, this);
}

bool
BulletProtocol::ReadPeerHeader(Ipv4Address from, Ptr<Packet> p, BulletPeerHeader& h)
{
    p->RemoveHeader(h);
    if (!h.IsValid())
    {
        ++m_malformedPeerMessages;
        NS_LOG_WARN(m_host.local << ": malformed peer message from " << from << ": "
                                 << h.GetError());
        return false;
    }
    return true;
}

void
BulletProtocol::HandleRequest(Ipv4Address from, Ptr<Packet> p)
{
    BulletPeerHeader h;
    if (ReadPeerHeader(from, p, h))
    {
        m_meshSender->HandleRequest(from, h);
    }
}

void
BulletProtocol::HandleAccept(Ipv4Address from, Ptr<Packet> p)
{
    m_meshReceiver->HandleAccept(from);
}

void
BulletProtocol::HandleReject(Ipv4Address from, Ptr<Packet> p)
{
    m_meshReceiver->HandleReject(from);
}

void
BulletProtocol::HandleRefresh(Ipv4Address from, Ptr<Packet> p)
{
    BulletPeerHeader h;
    if (ReadPeerHeader(from, p, h))
    {
        m_meshSender->HandleRefresh(from, h);
    }
}

void
BulletProtocol::HandleChildDigest(Ipv4Address from, Ptr<Packet> p)
{
    BulletPeerHeader h;
    if (ReadPeerHeader(from, p, h))
    {
        m_treePush->HandleChildDigest(from, h);
    }
}

void
BulletProtocol::HandleDrop(Ipv4Address from, Ptr<Packet> p)
{
    // A drop ends whichever peering we had with the node: as its receiver, as its sender.
    m_meshReceiver->SenderLeft(from);
    m_meshSender->DropReceiver(from, "dropped by receiver", false);
}

} // namespace ns3
