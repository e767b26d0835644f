/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "bullet-application.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/stream-header.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("BulletApplication");

NS_OBJECT_ENSURE_REGISTERED(BulletApplication);

TypeId
BulletApplication::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::BulletApplication")
              .SetParent<StreamingApplication>()
              .SetGroupName("Bullet")
              .AddConstructor<BulletApplication>()
              .AddAttribute("MaxSenders", "Peers a node receives from at most", UintegerValue(10),
                            MakeUintegerAccessor(&BulletApplication::m_maxSenders),
                            MakeUintegerChecker<uint32_t>(0, 1000))
              .AddAttribute("MaxReceivers", "Peers a node sends to at most", UintegerValue(10),
                            MakeUintegerAccessor(&BulletApplication::m_maxReceivers),
                            MakeUintegerChecker<uint32_t>(0, 1000))
              .AddAttribute(
                  "RecoveredRelay",
                  "Which packets a parent recovered from its peers it relays to a child that "
                  "lacks them, a RecoveredRelayPolicy: ns3::RelayAllRecovered (All: the paper's "
                  "behaviour; the child's peers may be sending the same ones), "
                  "ns3::RelayParentRow (ParentRow, the default: the child counts its parent as "
                  "one more row of its sequence matrix and the parent relays only that row, so "
                  "parent and peers stay disjoint) or ns3::RelayNoRecovered (None: only packets "
                  "newer than the child's newest); the short names are accepted too",
                  TypeIdValue(RelayParentRow::GetTypeId()),
                  MakeTypeIdAccessor(&BulletApplication::m_recoveredRelayType),
                  MakeRecoveredRelayChecker())
              .AddAttribute("RowRotation",
                            "Refreshes between rotations of the senders' rows of the sequence "
                            "matrix (Figure 4b), which move a hole one sender cannot fill to "
                            "another; a sender that learns of its new row late sends some of its "
                            "old row, which another sender now serves. 0 keeps rows until the "
                            "number of senders changes",
                            UintegerValue(1),
                            MakeUintegerAccessor(&BulletApplication::m_rowRotation),
                            MakeUintegerChecker<uint32_t>())
              .AddAttribute("SourceAcceptsPeers",
                            "Whether the source accepts peering requests; if not, its uplink "
                            "carries only tree traffic (new data)",
                            BooleanValue(true),
                            MakeBooleanAccessor(&BulletApplication::m_sourceAcceptsPeers),
                            MakeBooleanChecker())
              .AddAttribute(
                  "RefreshPeriod", "How often a receiver refreshes its senders' filters and rows",
                  TimeValue(Seconds(5)), MakeTimeAccessor(&BulletApplication::m_refreshPeriod),
                  MakeTimeChecker(MilliSeconds(1)))
              .AddAttribute(
                  "EvaluationEpochs", "RanSub epochs between evaluations of senders and receivers",
                  UintegerValue(3), MakeUintegerAccessor(&BulletApplication::m_evaluationEpochs),
                  MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("DuplicateThreshold",
                            "A sender whose duplicates exceed this share of its packets is dropped",
                            DoubleValue(0.5),
                            MakeDoubleAccessor(&BulletApplication::m_duplicateThreshold),
                            MakeDoubleChecker<double>(0, 1))
              .AddAttribute("MeshEvaluation",
                            "How a node chooses the sender and the receiver it drops every "
                            "EvaluationEpochs epochs, a MeshEvaluationPolicy: "
                            "ns3::PaperMeshEvaluation (the paper's rule)",
                            TypeIdValue(PaperMeshEvaluation::GetTypeId()),
                            MakeTypeIdAccessor(&BulletApplication::m_meshEvaluationType),
                            MakeTypeIdChecker())
              .AddAttribute("RecoveryWindow",
                            "How much of the recent stream a node keeps and tries to recover "
                            "(its working set spans this much time at the stream rate)",
                            TimeValue(Seconds(20)),
                            MakeTimeAccessor(&BulletApplication::m_recoveryWindow),
                            MakeTimeChecker(MilliSeconds(100)))
              .AddAttribute("BloomFalsePositiveRate",
                            "Target false-positive rate the Bloom filter is sized for",
                            DoubleValue(0.01),
                            MakeDoubleAccessor(&BulletApplication::m_falsePositive),
                            MakeDoubleChecker<double>(1e-6, 0.5))
              .AddAttribute(
                  "TicketEntries", "Entries of the min-wise summary ticket (30 x 4 B = 120 B)",
                  UintegerValue(30), MakeUintegerAccessor(&BulletApplication::m_ticketEntries),
                  MakeUintegerChecker<uint32_t>(1, 255))
              .AddAttribute("InitialLimitingFactor", "A new child's limiting factor",
                            DoubleValue(1.0),
                            MakeDoubleAccessor(&BulletApplication::m_initialLimitingFactor),
                            MakeDoubleChecker<double>(0, 1))
              .AddAttribute("ReceiverTimeout",
                            "Refresh periods without a refresh after which a receiver is dropped",
                            UintegerValue(3),
                            MakeUintegerAccessor(&BulletApplication::m_receiverTimeoutPeriods),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("ChildSendPolicy",
                            "How new packets are split among children: ns3::DisjointChildSend "
                            "(the paper's) or ns3::SendToAllChildren (non-disjoint)",
                            TypeIdValue(DisjointChildSend::GetTypeId()),
                            MakeTypeIdAccessor(&BulletApplication::m_childPolicyType),
                            MakeTypeIdChecker())
              .AddTraceSource("SenderAdded", "A peer accepted to send to this node",
                              MakeTraceSourceAccessor(&BulletApplication::m_senderAddedTrace),
                              "ns3::BulletApplication::SenderAddedTracedCallback")
              .AddTraceSource("PeerDropped", "A peering ended: (peer, reason)",
                              MakeTraceSourceAccessor(&BulletApplication::m_peerDropTrace),
                              "ns3::BulletApplication::PeerTracedCallback");
    return tid;
}

BulletApplication::BulletApplication() = default;

Ptr<RanSub>
BulletApplication::GetRanSub() const
{
    return m_ransub;
}

std::vector<Ipv4Address>
BulletApplication::GetSenders() const
{
    return m_meshReceiver ? m_meshReceiver->GetSenders() : std::vector<Ipv4Address>();
}

std::vector<Ipv4Address>
BulletApplication::GetReceivers() const
{
    return m_meshSender ? m_meshSender->GetReceivers() : std::vector<Ipv4Address>();
}

const std::vector<ChildSendPolicy::Child>&
BulletApplication::GetChildState() const
{
    static const std::vector<ChildSendPolicy::Child> none;
    return m_treePush ? m_treePush->GetChildren() : none;
}

const WorkingSet&
BulletApplication::GetWorkingSet() const
{
    return m_recovery->GetWorkingSet();
}

bool
BulletApplication::LeastResembling(const SummaryTicket& mine,
                                   const std::vector<RanSubMember>& members,
                                   const std::function<bool(Ipv4Address)>& eligible,
                                   Ipv4Address& chosen, double& resemblance)
{
    return BulletMeshReceiver::LeastResembling(mine, members, eligible, chosen, resemblance);
}

void
BulletApplication::DoDispose()
{
    m_refreshTimer.Cancel();
    m_ransub = nullptr;
    m_evaluation = nullptr;
    m_treePush.reset();
    m_meshReceiver.reset();
    m_meshSender.reset();
    m_recovery.reset();
    StreamingApplication::DoDispose();
}

void
BulletApplication::DoStart()
{
    m_recovery = std::make_unique<StreamRecovery>(
        StreamRecovery::WindowPackets(m_recoveryWindow, GetRate(), GetPacketSize()),
        m_falsePositive, GetPacketSize(), std::make_shared<MinWisePermutations>(m_ticketEntries));
    m_recovery->SetSendCallback([this](Ipv4Address peer, Ptr<Packet> p, uint32_t seq) {
        const uint32_t bytes = p->GetSize();
        if (!SendData(peer, p, seq))
        {
            return false;
        }
        m_meshSender->Sent(peer, bytes, seq);
        return true;
    });

    ObjectFactory factory;
    factory.SetTypeId(m_childPolicyType);
    Ptr<ChildSendPolicy> childPolicy = factory.Create<ChildSendPolicy>();
    factory.SetTypeId(m_recoveredRelayType);
    Ptr<RecoveredRelayPolicy> relay = factory.Create<RecoveredRelayPolicy>();
    factory.SetTypeId(m_meshEvaluationType);
    m_evaluation = factory.Create<MeshEvaluationPolicy>();

    BulletPeerLink link;
    link.sendControl = [this](Ipv4Address to, uint16_t type, const BulletPeerHeader* h) {
        SendControl(to, type, h);
    };
    link.peerDropped = [this](Ipv4Address peer, const std::string& why) {
        m_peerDropTrace(peer, why);
    };

    m_treePush = std::make_unique<BulletTreePush>(
        GetTree(), childPolicy, relay, m_initialLimitingFactor,
        [this](Ipv4Address to, Ptr<const Packet> packet, uint32_t seq) {
            return SendData(to, packet, seq);
        },
        [this](Ipv4Address child) {
            return m_ransub->GetDescendants(child);
        });

    BulletMeshReceiver::Config rx;
    rx.local = GetLocalAddress();
    rx.isSource = IsSource();
    rx.maxSenders = m_maxSenders;
    rx.rowRotation = m_rowRotation;
    rx.refreshPeriod = m_refreshPeriod;
    rx.packetSize = GetPacketSize();
    m_meshReceiver = std::make_unique<BulletMeshReceiver>(rx, GetTree(), *m_recovery, relay, link,
                                                          [this](Ipv4Address sender) {
                                                              m_senderAddedTrace(sender);
                                                          });

    BulletMeshSender::Config tx;
    tx.local = GetLocalAddress();
    tx.maxReceivers = m_maxReceivers;
    tx.acceptsPeers = !IsSource() || m_sourceAcceptsPeers;
    tx.receiverTimeout = m_refreshPeriod * m_receiverTimeoutPeriods;
    m_meshSender = std::make_unique<BulletMeshSender>(tx, GetTree(), *m_recovery, link,
                                                      [this](Ipv4Address receiver) {
                                                          GetTransport()->Close(receiver);
                                                      });

    Ptr<ControlChannel> channel = GetControlChannel();
    channel->Register(kRequest, MakeCallback(&BulletApplication::HandleRequest, this));
    channel->Register(kAccept, MakeCallback(&BulletApplication::HandleAccept, this));
    channel->Register(kReject, MakeCallback(&BulletApplication::HandleReject, this));
    channel->Register(kRefresh, MakeCallback(&BulletApplication::HandleRefresh, this));
    channel->Register(kDrop, MakeCallback(&BulletApplication::HandleDrop, this));
    channel->Register(kChildDigest, MakeCallback(&BulletApplication::HandleChildDigest, this));
    GetTransport()->SetSendReadyCallback(MakeCallback(&BulletApplication::OnSendReady, this));

    m_ransub = StartRanSub(RanSub::NON_DESCENDANTS,
                           MakeCallback(&BulletApplication::TicketPayload, this),
                           MakeCallback(&BulletApplication::OnRanSub, this));
    // A random phase: nodes refreshing in lockstep would recover, and relay, in bursts.
    Ptr<UniformRandomVariable> phase = CreateObject<UniformRandomVariable>();
    phase->SetStream(GetStream(kProtocolStream));
    m_refreshTimer = Simulator::Schedule(m_refreshPeriod * phase->GetValue(0.5, 1.5),
                                         &BulletApplication::RefreshTick, this);
}

void
BulletApplication::DoStop()
{
    m_refreshTimer.Cancel();
    if (m_ransub)
    {
        m_ransub->Stop();
    }
}

std::vector<uint8_t>
BulletApplication::TicketPayload() const
{
    const SummaryTicket& t = m_recovery->GetWorkingSet().GetTicket();
    Buffer b;
    b.AddAtStart(t.GetSerializedSize());
    Buffer::Iterator it = b.Begin();
    t.Serialize(it);
    std::vector<uint8_t> bytes(b.GetSize());
    b.CopyData(bytes.data(), bytes.size());
    return bytes;
}

// ---------------------------------------------------------------- the epoch

void
BulletApplication::OnRanSub(uint32_t epoch, const std::vector<RanSubMember>& members)
{
    m_treePush->NewEpoch();
    if (++m_epochsSinceEvaluation >= m_evaluationEpochs)
    {
        m_epochsSinceEvaluation = 0;
        EvaluateMesh();
    }
    m_meshReceiver->NewEpoch(members);
}

void
BulletApplication::EvaluateMesh()
{
    // As a receiver: the policy may name a sender to drop (which changes the rows, so the
    // remaining senders are refreshed at once).
    auto sender = m_evaluation->ChooseSender(m_meshReceiver->GetSenderFigures(), m_maxSenders,
                                             m_duplicateThreshold);
    if (sender.drop)
    {
        m_meshReceiver->DropSender(sender.peer, sender.why);
    }
    m_meshReceiver->ResetCounts();
    // As a sender: the policy may name a receiver to drop, by the totals receivers report.
    auto receiver = m_evaluation->ChooseReceiver(m_meshSender->GetReceiverFigures(), m_maxReceivers,
                                                 Simulator::Now() - m_lastEvaluation);
    if (receiver.drop)
    {
        m_meshSender->DropReceiver(receiver.peer, receiver.why, true);
    }
    m_meshSender->ResetCounts();
    m_lastEvaluation = Simulator::Now();
}

// ---------------------------------------------------------------- data

void
BulletApplication::Disseminate(const StreamHeader& header, Ptr<const Packet> packet,
                               Ipv4Address from)
{
    m_recovery->Hold(header);
    // Down the tree first, then to the mesh receivers whose row it is.
    m_treePush->Push(header.seq, packet);
    m_meshSender->Offer(header.seq, from);
}

void
BulletApplication::Received(Ipv4Address from, uint32_t seq, bool duplicate)
{
    m_meshReceiver->Received(from, duplicate);
}

void
BulletApplication::OnSendReady(Ipv4Address peer)
{
    m_meshSender->OnSendReady(peer);
}

// ---------------------------------------------------------------- control messages

void
BulletApplication::SendControl(Ipv4Address to, uint16_t type, const BulletPeerHeader* h)
{
    Ptr<Packet> p = Create<Packet>();
    if (h)
    {
        p->AddHeader(*h);
    }
    GetControlChannel()->Send(to, type, p);
}

void
BulletApplication::RefreshTick()
{
    m_meshReceiver->SendRefreshes();
    m_treePush->ForgetFormerChildren();
    m_meshSender->DropSilent();
    m_refreshTimer = Simulator::Schedule(m_refreshPeriod, &BulletApplication::RefreshTick, this);
}

uint64_t
BulletApplication::GetMalformedPeerMessages() const
{
    return m_malformedPeerMessages;
}

bool
BulletApplication::ReadPeerHeader(Ipv4Address from, Ptr<Packet> p, BulletPeerHeader& h)
{
    p->RemoveHeader(h);
    if (!h.IsValid())
    {
        ++m_malformedPeerMessages;
        NS_LOG_WARN(GetLocalAddress()
                    << ": malformed peer message from " << from << ": " << h.GetError());
        return false;
    }
    return true;
}

void
BulletApplication::HandleRequest(Ipv4Address from, Ptr<Packet> p)
{
    BulletPeerHeader h;
    if (ReadPeerHeader(from, p, h))
    {
        m_meshSender->HandleRequest(from, h);
    }
}

void
BulletApplication::HandleAccept(Ipv4Address from, Ptr<Packet> p)
{
    m_meshReceiver->HandleAccept(from);
}

void
BulletApplication::HandleReject(Ipv4Address from, Ptr<Packet> p)
{
    m_meshReceiver->HandleReject(from);
}

void
BulletApplication::HandleRefresh(Ipv4Address from, Ptr<Packet> p)
{
    BulletPeerHeader h;
    if (ReadPeerHeader(from, p, h))
    {
        m_meshSender->HandleRefresh(from, h);
    }
}

void
BulletApplication::HandleChildDigest(Ipv4Address from, Ptr<Packet> p)
{
    BulletPeerHeader h;
    if (ReadPeerHeader(from, p, h))
    {
        m_treePush->HandleChildDigest(from, h);
    }
}

void
BulletApplication::HandleDrop(Ipv4Address from, Ptr<Packet> p)
{
    // A drop ends whichever peering we had with the node: as its receiver, as its sender.
    m_meshReceiver->SenderLeft(from);
    m_meshSender->DropReceiver(from, "dropped by receiver", false);
}

} // namespace ns3
