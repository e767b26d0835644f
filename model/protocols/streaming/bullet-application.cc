/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "bullet-application.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/stream-header.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("BulletApplication");

NS_OBJECT_ENSURE_REGISTERED(BulletPeerHeader);
NS_OBJECT_ENSURE_REGISTERED(BulletApplication);

TypeId
BulletPeerHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::BulletPeerHeader")
                            .SetParent<StreamDigestHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<BulletPeerHeader>();
    return tid;
}

TypeId
BulletPeerHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
BulletPeerHeader::GetSerializedSize() const
{
    return StreamDigestHeader::GetSerializedSize() + 8;
}

void
BulletPeerHeader::Serialize(Buffer::Iterator start) const
{
    SerializeDigest(start);
    start.WriteHtonU16(senders);
    start.WriteHtonU16(row);
    start.WriteHtonU32(receivedKbps);
}

void
BulletPeerHeader::Print(std::ostream& os) const
{
    os << "range=[" << low << "," << high << "] s=" << senders << " row=" << row
       << " rx=" << receivedKbps << "kbps filter=" << filter.GetNumBits() << "b";
}

void
BulletPeerHeader::DoDeserialize(WireReader& reader)
{
    StreamDigestHeader::DoDeserialize(reader);
    if (!reader.Ok())
    {
        return;
    }
    senders = reader.ReadNtohU16();
    row = reader.ReadNtohU16();
    receivedKbps = reader.ReadNtohU32();
    if (reader.Ok() && senders > 0 && row >= senders)
    {
        reader.Fail("Bullet peer message: row outside the matrix");
    }
}

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
                  "lacks them: All (the paper's behaviour; the child's peers may be sending the "
                  "same ones), ParentRow (the default: the child counts its parent as one more row "
                  "of its "
                  "sequence matrix and the parent relays only that row, so parent and peers "
                  "stay disjoint), or None (only packets newer than the child's newest)",
                  EnumValue(BulletApplication::RELAY_PARENT_ROW),
                  MakeEnumAccessor(&BulletApplication::m_recoveredRelay),
                  MakeEnumChecker(BulletApplication::RELAY_ALL, "All",
                                  BulletApplication::RELAY_PARENT_ROW, "ParentRow",
                                  BulletApplication::RELAY_NONE, "None"))
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
                              "ns3::Ipv4Address::TracedCallback")
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
    std::vector<Ipv4Address> out;
    for (const auto& s : m_senders)
    {
        out.push_back(s.address);
    }
    return out;
}

std::vector<Ipv4Address>
BulletApplication::GetReceivers() const
{
    std::vector<Ipv4Address> out;
    for (const auto& [a, r] : m_receivers)
    {
        out.push_back(a);
    }
    return out;
}

const std::vector<ChildSendPolicy::Child>&
BulletApplication::GetChildState() const
{
    return m_children;
}

const WorkingSet&
BulletApplication::GetWorkingSet() const
{
    return m_recovery->GetWorkingSet();
}

void
BulletApplication::DoDispose()
{
    m_refreshTimer.Cancel();
    m_ransub = nullptr;
    m_childPolicy = nullptr;
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
        auto it = m_receivers.find(peer);
        const uint32_t bytes = p->GetSize();
        if (!SendData(peer, p, seq))
        {
            return false;
        }
        if (it != m_receivers.end())
        {
            it->second.bytesSent += bytes;
            it->second.sentSinceRefresh.insert(seq);
        }
        return true;
    });
    ObjectFactory policy(m_childPolicyType.GetName());
    m_childPolicy = policy.Create<ChildSendPolicy>();

    Ptr<ControlChannel> channel = GetControlChannel();
    channel->Register(kRequest, MakeCallback(&BulletApplication::HandleRequest, this));
    channel->Register(kAccept, MakeCallback(&BulletApplication::HandleAccept, this));
    channel->Register(kReject, MakeCallback(&BulletApplication::HandleReject, this));
    channel->Register(kRefresh, MakeCallback(&BulletApplication::HandleRefresh, this));
    channel->Register(kDrop, MakeCallback(&BulletApplication::HandleDrop, this));
    channel->Register(kChildDigest, MakeCallback(&BulletApplication::HandleChildDigest, this));
    GetTransport()->SetSendReadyCallback(MakeCallback(&BulletApplication::OnSendReady, this));

    m_ransub = StartRanSub(MakeCallback(&BulletApplication::TicketPayload, this),
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

bool
BulletApplication::IsSender(Ipv4Address a) const
{
    return std::any_of(m_senders.begin(), m_senders.end(), [a](const SenderState& s) {
        return s.address == a;
    });
}

// ---------------------------------------------------------------- the tree and the epoch

void
BulletApplication::UpdateChildren()
{
    const auto& now = GetTree()->GetChildren();
    std::vector<ChildSendPolicy::Child> next;
    for (const auto& a : now)
    {
        auto it = std::find_if(m_children.begin(), m_children.end(), [a](const auto& c) {
            return c.address == a;
        });
        if (it != m_children.end())
        {
            next.push_back(*it);
        }
        else
        {
            ChildSendPolicy::Child c;
            c.address = a;
            c.limitingFactor = m_initialLimitingFactor;
            next.push_back(c);
        }
    }
    // Sending factors sf_i = d_i / sum d_j from RanSub's descendant counts (equal shares
    // until RanSub has counted).
    uint64_t total = 0;
    for (const auto& c : next)
    {
        total += m_ransub->GetDescendants(c.address);
    }
    for (auto& c : next)
    {
        c.sendingFactor
            = total ? double(m_ransub->GetDescendants(c.address)) / total : 1.0 / next.size();
    }
    m_children = std::move(next);
}

void
BulletApplication::OnRanSub(uint32_t epoch, const std::vector<RanSubMember>& members)
{
    m_lastEpochPackets = m_epochPackets;
    m_epochPackets = 0;
    UpdateChildren();
    for (auto& c : m_children)
    {
        c.sent = 0;
    }
    m_totalSent = 0;
    if (++m_epochsSinceEvaluation >= m_evaluationEpochs)
    {
        m_epochsSinceEvaluation = 0;
        EvaluateMesh();
    }
    m_requestPending = false; // an unanswered request is given up after an epoch
    RequestPeer(members);
}

bool
BulletApplication::LeastResembling(const SummaryTicket& mine,
                                   const std::vector<RanSubMember>& members,
                                   const std::function<bool(Ipv4Address)>& eligible,
                                   Ipv4Address& chosen, double& resemblance)
{
    bool found = false;
    for (const auto& m : members)
    {
        if (!eligible(m.node))
        {
            continue;
        }
        SummaryTicket theirs(mine.GetPermutations());
        Buffer b;
        b.AddAtStart(m.payload.size());
        b.Begin().Write(m.payload.data(), m.payload.size());
        WireReader reader(b.Begin());
        if (!theirs.Deserialize(reader))
        {
            continue; // a malformed ticket: not a candidate
        }
        double r = mine.Resemblance(theirs);
        if (!found || r < resemblance)
        {
            found = true;
            resemblance = r;
            chosen = m.node;
        }
    }
    return found;
}

void
BulletApplication::RequestPeer(const std::vector<RanSubMember>& members)
{
    if (m_senders.size() >= m_maxSenders || IsSource())
    {
        return;
    }
    Ipv4Address chosen;
    double resemblance = 0;
    auto eligible = [this](Ipv4Address a) {
        return a != GetLocalAddress() && !IsSender(a)
               && !(GetTree()->HasParent() && GetTree()->GetParent() == a);
    };
    if (!LeastResembling(m_recovery->GetWorkingSet().GetTicket(), members, eligible, chosen,
                         resemblance))
    {
        return;
    }
    NS_LOG_INFO(GetLocalAddress() << " asks " << chosen << " (resemblance " << resemblance << ")");
    m_requestPending = true;
    m_pending = chosen;
    BulletPeerHeader h = MakeDigest();
    SendControl(chosen, kRequest, &h);
}

void
BulletApplication::EvaluateMesh()
{
    // As a receiver: drop a wasteful sender, else (when full) the least useful one.
    if (!m_senders.empty())
    {
        auto wasteful = m_senders.end();
        double worstDup = m_duplicateThreshold;
        auto leastUseful = m_senders.begin();
        for (auto it = m_senders.begin(); it != m_senders.end(); ++it)
        {
            if (it->received > 0 && double(it->duplicates) / it->received > worstDup)
            {
                worstDup = double(it->duplicates) / it->received;
                wasteful = it;
            }
            if (it->received - it->duplicates < leastUseful->received - leastUseful->duplicates)
            {
                leastUseful = it;
            }
        }
        if (wasteful != m_senders.end())
        {
            DropSender(wasteful->address, "duplicates");
        }
        else if (m_senders.size() >= m_maxSenders)
        {
            DropSender(leastUseful->address, "least useful (trial slot)");
        }
        for (auto& s : m_senders)
        {
            s.received = 0;
            s.duplicates = 0;
        }
    }
    // As a sender: when full, drop the receiver getting the least portion of its bandwidth
    // from this node, by the totals receivers report.
    if (!m_receivers.empty() && m_receivers.size() >= m_maxReceivers)
    {
        const double seconds = std::max(1e-3, (Simulator::Now() - m_lastEvaluation).GetSeconds());
        Ipv4Address least;
        double leastPortion = 2;
        for (const auto& [a, r] : m_receivers)
        {
            double kbps = r.bytesSent * 8 / 1000.0 / seconds;
            double portion = r.reportedKbps ? kbps / r.reportedKbps : 0;
            if (portion < leastPortion)
            {
                leastPortion = portion;
                least = a;
            }
        }
        DropReceiver(least, "least portion of its bandwidth", true);
    }
    for (auto& [a, r] : m_receivers)
    {
        r.bytesSent = 0;
    }
    m_lastEvaluation = Simulator::Now();
}

// ---------------------------------------------------------------- data

void
BulletApplication::Disseminate(const StreamHeader& header, Ptr<const Packet> packet,
                               Ipv4Address from)
{
    const uint32_t seq = header.seq;
    m_recovery->Hold(header);
    ++m_epochPackets;

    if (m_children.size() != GetTree()->GetChildren().size())
    {
        UpdateChildren();
    }
    double lfStep = 1.0 / std::max<uint32_t>(1, m_lastEpochPackets);
    auto has = [this, seq](const ChildSendPolicy::Child& c) {
        auto it = m_childHoldings.find(c.address);
        if (it == m_childHoldings.end())
        {
            return false;
        }
        const ChildHoldings& h = it->second;
        // A packet up to the child's newest at its digest is one this node recovered: the
        // relay policy decides whether the child's own peers are left to supply it.
        bool recovered = seq <= h.high;
        bool leftToPeers
            = recovered
              && (m_recoveredRelay == RELAY_NONE
                  || (m_recoveredRelay == RELAY_PARENT_ROW && h.rows > 0 && seq % h.rows != h.row));
        return leftToPeers || h.filter.Contains(seq) || h.sentSince.count(seq);
    };
    auto send = [this, seq, &packet](ChildSendPolicy::Child& c) {
        if (!SendData(c.address, packet, seq))
        {
            return false;
        }
        auto it = m_childHoldings.find(c.address);
        if (it != m_childHoldings.end())
        {
            it->second.sentSince.insert(seq);
        }
        return true;
    };
    m_childPolicy->Send(m_children, seq, lfStep, m_totalSent, send, has);

    for (auto& [a, r] : m_receivers)
    {
        if (a != from && seq >= r.low && seq <= r.high && seq % r.senders == r.row
            && !r.filter.Contains(seq))
        {
            m_recovery->OweAlso(a, seq);
            m_recovery->Pump(a);
        }
    }
}

void
BulletApplication::Received(Ipv4Address from, uint32_t seq, bool duplicate)
{
    m_bytesSinceRefresh += GetPacketSize();
    if (GetTree()->HasParent() && GetTree()->GetParent() == from)
    {
        m_lastParentData = Simulator::Now();
    }
    for (auto& s : m_senders)
    {
        if (s.address == from)
        {
            ++s.received;
            s.duplicates += duplicate;
        }
    }
}

void
BulletApplication::OnSendReady(Ipv4Address peer)
{
    if (m_receivers.count(peer))
    {
        m_recovery->Pump(peer);
    }
}

// ---------------------------------------------------------------- peering messages

BulletPeerHeader
BulletApplication::MakeDigest() const
{
    BulletPeerHeader h;
    m_recovery->FillDigest(h);
    if (!IsSource() && Simulator::Now() - m_lastParentData > m_refreshPeriod)
    {
        // The tree brings this node nothing new (its parent failed, or is starved): ask peers
        // for newer packets of their rows too, not only for holes below the newest.
        h.high = std::numeric_limits<uint32_t>::max();
    }
    double seconds = std::max(1e-3, (Simulator::Now() - m_lastRefreshSent).GetSeconds());
    h.receivedKbps = uint32_t(m_bytesSinceRefresh * 8 / 1000.0 / seconds);
    return h;
}

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
    SendRefreshes();
    for (auto it = m_childHoldings.begin(); it != m_childHoldings.end();)
    {
        it = GetTree()->IsChild(it->first) ? std::next(it) : m_childHoldings.erase(it);
    }
    Time timeout = m_refreshPeriod * m_receiverTimeoutPeriods;
    std::vector<Ipv4Address> silent;
    for (const auto& [a, r] : m_receivers)
    {
        if (Simulator::Now() - r.lastRefresh > timeout)
        {
            silent.push_back(a);
        }
    }
    for (const auto& a : silent)
    {
        DropReceiver(a, "no refresh", false);
    }
    m_refreshTimer = Simulator::Schedule(m_refreshPeriod, &BulletApplication::RefreshTick, this);
}

void
BulletApplication::SendRefreshes()
{
    BulletPeerHeader h = MakeDigest();
    // With ParentRow the parent is one more row of the matrix, after the senders'.
    const bool parentRow = m_recoveredRelay == RELAY_PARENT_ROW && GetTree()->HasParent();
    const uint16_t rows = m_senders.size() + (parentRow ? 1 : 0);
    const uint32_t shift = m_rowRotation ? m_refreshRound / m_rowRotation : 0;
    h.senders = rows;
    for (uint16_t i = 0; i < m_senders.size(); ++i)
    {
        // Rows rotate from one refresh to the next (Figure 4b), so a hole the sender of
        // one row cannot fill is asked of another sender in the next period.
        h.row = (i + shift) % rows;
        SendControl(m_senders[i].address, kRefresh, &h);
    }
    if (GetTree()->HasParent())
    {
        h.senders = parentRow ? rows : 0;
        h.row = parentRow ? (m_senders.size() + shift) % rows : 0;
        SendControl(GetTree()->GetParent(), kChildDigest, &h);
    }
    m_bytesSinceRefresh = 0;
    m_lastRefreshSent = Simulator::Now();
    ++m_refreshRound;
}

void
BulletApplication::DropSender(Ipv4Address sender, const std::string& why)
{
    auto it = std::find_if(m_senders.begin(), m_senders.end(), [sender](const SenderState& s) {
        return s.address == sender;
    });
    if (it == m_senders.end())
    {
        return;
    }
    NS_LOG_INFO(GetLocalAddress() << " drops sender " << sender << ": " << why);
    m_senders.erase(it);
    SendControl(sender, kDrop);
    m_peerDropTrace(sender, why);
    SendRefreshes(); // the rows change with s
}

void
BulletApplication::DropReceiver(Ipv4Address receiver, const std::string& why, bool tell)
{
    if (m_receivers.erase(receiver) == 0)
    {
        return;
    }
    m_recovery->Forget(receiver);
    NS_LOG_INFO(GetLocalAddress() << " drops receiver " << receiver << ": " << why);
    if (tell)
    {
        SendControl(receiver, kDrop);
    }
    if (!GetTree()->IsChild(receiver))
    {
        GetTransport()->Close(receiver);
    }
    m_peerDropTrace(receiver, why);
}

void
BulletApplication::HandleRequest(Ipv4Address from, Ptr<Packet> p)
{
    BulletPeerHeader h;
    p->RemoveHeader(h);
    if (!h.IsValid())
    {
        NS_LOG_WARN("malformed peer request from " << from << ": " << h.GetError());
        return;
    }
    if ((IsSource() && !m_sourceAcceptsPeers)
        || (m_receivers.count(from) == 0 && m_receivers.size() >= m_maxReceivers))
    {
        SendControl(from, kReject);
        return;
    }
    ReceiverState& r = m_receivers[from];
    r.filter = h.filter;
    r.low = h.low;
    r.high = h.high;
    r.senders = 1; // until the first refresh assigns a row
    r.row = 0;
    r.lastRefresh = Simulator::Now();
    SendControl(from, kAccept);
    NS_LOG_INFO(GetLocalAddress() << " accepts receiver " << from);
}

void
BulletApplication::HandleAccept(Ipv4Address from, Ptr<Packet> p)
{
    if (IsSender(from))
    {
        return;
    }
    if (!m_requestPending || m_pending != from || m_senders.size() >= m_maxSenders)
    {
        SendControl(from, kDrop); // an answer we no longer want
        return;
    }
    m_requestPending = false;
    m_senders.push_back({from});
    m_senderAddedTrace(from);
    SendRefreshes(); // every sender's row changes with s
}

void
BulletApplication::HandleReject(Ipv4Address from, Ptr<Packet> p)
{
    if (m_requestPending && m_pending == from)
    {
        m_requestPending = false;
    }
}

void
BulletApplication::HandleRefresh(Ipv4Address from, Ptr<Packet> p)
{
    BulletPeerHeader h;
    p->RemoveHeader(h);
    if (!h.IsValid())
    {
        NS_LOG_WARN("malformed refresh from " << from << ": " << h.GetError());
        return;
    }
    auto it = m_receivers.find(from);
    if (it == m_receivers.end())
    {
        SendControl(from, kDrop); // not (or no longer) our receiver
        return;
    }
    ReceiverState& r = it->second;
    r.filter = h.filter;
    r.low = h.low;
    r.high = h.high;
    r.senders = std::max<uint16_t>(1, h.senders);
    r.row = h.senders ? h.row : 0;
    r.reportedKbps = h.receivedKbps;
    r.lastRefresh = Simulator::Now();
    // What we hold of our row of the receiver's wanted range that its filter lacks, less
    // what we sent it since its last refresh (still in flight when it built the filter).
    std::set<uint32_t> recent;
    recent.swap(r.sentSinceRefresh);
    m_recovery->Owe(from, m_recovery->Missing(h, [&r, &recent](uint32_t seq) {
        return seq % r.senders == r.row && !recent.count(seq);
    }));
    m_recovery->Pump(from);
}

void
BulletApplication::HandleChildDigest(Ipv4Address from, Ptr<Packet> p)
{
    BulletPeerHeader h;
    p->RemoveHeader(h);
    if (!h.IsValid() || !GetTree()->IsChild(from))
    {
        return;
    }
    ChildHoldings& c = m_childHoldings[from];
    c.filter = h.filter;
    c.high = h.high;
    c.rows = h.senders;
    c.row = h.row;
    c.sentSince.clear();
}

void
BulletApplication::HandleDrop(Ipv4Address from, Ptr<Packet> p)
{
    if (IsSender(from))
    {
        m_senders.erase(std::remove_if(m_senders.begin(), m_senders.end(),
                                       [from](const SenderState& s) {
                                           return s.address == from;
                                       }),
                        m_senders.end());
        m_peerDropTrace(from, "dropped by sender");
        SendRefreshes();
    }
    DropReceiver(from, "dropped by receiver", false);
}

} // namespace ns3
