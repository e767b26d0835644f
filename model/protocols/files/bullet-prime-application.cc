/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "bullet-prime-application.h"

#include "ns3/block-frame.h"
#include "ns3/checked-header.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("BulletPrimeApplication");

NS_OBJECT_ENSURE_REGISTERED(BulletPrimeApplication);

TypeId
BulletPrimeApplication::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::BulletPrimeApplication")
              .SetParent<FileDistributionApplication>()
              .SetGroupName("Bullet")
              .AddConstructor<BulletPrimeApplication>()
              .AddAttribute("Period",
                            "How often a node measures its peers' bandwidth and prunes its sender "
                            "and receiver sets (the paper: 5 s)",
                            TimeValue(Seconds(5)),
                            MakeTimeAccessor(&BulletPrimeApplication::m_period),
                            MakeTimeChecker(MilliSeconds(100)))
              .AddAttribute("PushQueue",
                            "Source: blocks allowed in front of a child's socket before the "
                            "round robin skips that child (its pipe is full)",
                            UintegerValue(1),
                            MakeUintegerAccessor(&BulletPrimeApplication::m_pushQueue),
                            MakeUintegerChecker<uint32_t>(1, 1000))
              .AddAttribute(
                  "RequestStrategy",
                  "Request order (2008 Section 4.3.3.1): ns3::RarestRandomRequest, "
                  "ns3::RarestRequest, ns3::RandomRequest or ns3::FirstEncounteredRequest",
                  TypeIdValue(RarestRandomRequest::GetTypeId()),
                  MakeTypeIdAccessor(&BulletPrimeApplication::m_strategyType), MakeTypeIdChecker())
              .AddAttribute(
                  "Outstanding",
                  "Per-sender flow control (Section 4.3.3.2), one per sender: "
                  "ns3::XcpOutstanding or e.g. ns3::StaticOutstanding[Limit=6]",
                  ObjectFactoryValue(FactoryOf(XcpOutstanding::GetTypeId())),
                  MakeObjectFactoryAccessor(&BulletPrimeApplication::m_outstandingFactory),
                  MakeObjectFactoryChecker())
              .AddAttribute(
                  "SenderSizing",
                  "How many senders (Section 4.2.3.2): e.g. ns3::DynamicPeerSetSizing or "
                  "ns3::StaticPeerSetSizing[Peers=10]",
                  ObjectFactoryValue(FactoryOf(DynamicPeerSetSizing::GetTypeId())),
                  MakeObjectFactoryAccessor(&BulletPrimeApplication::m_senderSizingFactory),
                  MakeObjectFactoryChecker())
              .AddAttribute(
                  "ReceiverSizing", "How many receivers, on outgoing bandwidth (Section 4.2.3.2)",
                  ObjectFactoryValue(FactoryOf(DynamicPeerSetSizing::GetTypeId())),
                  MakeObjectFactoryAccessor(&BulletPrimeApplication::m_receiverSizingFactory),
                  MakeObjectFactoryChecker())
              .AddAttribute("MaxBadBlocks",
                            "Blocks failing the manifest's check that a peer may send before it "
                            "is banned (closed, never asked again, refused); 0: never ban",
                            UintegerValue(3),
                            MakeUintegerAccessor(&BulletPrimeApplication::m_maxBadBlocks),
                            MakeUintegerChecker<uint32_t>())
              .AddAttribute("StallTimeout",
                            "A receiver for which nothing on its way (queued blocks, bytes in "
                            "the socket not yet acknowledged) has moved for this long (it "
                            "stopped reading) is dropped, and refused while that data stays "
                            "unread; checked every Period",
                            TimeValue(Seconds(30)),
                            MakeTimeAccessor(&BulletPrimeApplication::m_stallTimeout),
                            MakeTimeChecker(MilliSeconds(100)))
              .AddAttribute("RequestTimeout",
                            "Blocks requested of a sender that has delivered none of them for "
                            "this long are given up and asked again, of any sender; checked "
                            "every Period",
                            TimeValue(Seconds(10)),
                            MakeTimeAccessor(&BulletPrimeApplication::m_requestTimeout),
                            MakeTimeChecker(MilliSeconds(100)))
              .AddTraceSource("SenderAdded", "A peer accepted to send to this node: (peer)",
                              MakeTraceSourceAccessor(&BulletPrimeApplication::m_senderAddedTrace),
                              "ns3::BulletPrimeApplication::SenderTracedCallback")
              .AddTraceSource("PeerClosed", "A peering ended: (peer, reason)",
                              MakeTraceSourceAccessor(&BulletPrimeApplication::m_peerClosedTrace),
                              "ns3::BulletPrimeApplication::PeerTracedCallback")
              .AddTraceSource("OutstandingLimit",
                              "A sender's outstanding limit after a block: (sender, limit)",
                              MakeTraceSourceAccessor(&BulletPrimeApplication::m_limitTrace),
                              "ns3::BulletPrimeApplication::LimitTracedCallback");
    return tid;
}

BulletPrimeApplication::BulletPrimeApplication() = default;

std::vector<Ipv4Address>
BulletPrimeApplication::GetSenders() const
{
    std::vector<Ipv4Address> out;
    for (const auto& [a, s] : m_senders)
    {
        out.push_back(a);
    }
    return out;
}

std::vector<Ipv4Address>
BulletPrimeApplication::GetReceivers() const
{
    std::vector<Ipv4Address> out;
    for (const auto& [a, r] : m_receivers)
    {
        out.push_back(a);
    }
    return out;
}

Ptr<RanSub>
BulletPrimeApplication::GetRanSub() const
{
    return m_ransub;
}

uint32_t
BulletPrimeApplication::GetMaxSenders() const
{
    return m_senderSizing ? m_senderSizing->GetMax() : 0;
}

uint32_t
BulletPrimeApplication::GetMaxReceivers() const
{
    return m_receiverSizing ? m_receiverSizing->GetMax() : 0;
}

uint64_t
BulletPrimeApplication::GetMalformedMessages() const
{
    return m_malformed;
}

uint64_t
BulletPrimeApplication::GetUnrequestedBlocks() const
{
    return m_unrequested;
}

std::vector<Ipv4Address>
BulletPrimeApplication::GetBannedPeers() const
{
    return {m_banned.begin(), m_banned.end()};
}

uint64_t
BulletPrimeApplication::GetRefusedRequests() const
{
    return m_refusedRequests;
}

uint64_t
BulletPrimeApplication::GetStalledReceivers() const
{
    return m_stalled;
}

uint64_t
BulletPrimeApplication::GetTimedOutRequests() const
{
    return m_timedOut;
}

void
BulletPrimeApplication::DoDispose()
{
    m_periodTimer.Cancel();
    m_pushRetry.Cancel();
    m_ransub = nullptr;
    m_blocks = nullptr;
    m_strategy = nullptr;
    m_senderSizing = nullptr;
    m_receiverSizing = nullptr;
    m_senders.clear();
    m_receivers.clear();
    FileDistributionApplication::DoDispose();
}

void
BulletPrimeApplication::DoAssignStreams(int64_t stream)
{
    m_stream = stream;
}

void
BulletPrimeApplication::DoStart()
{
    m_blocks = DynamicCast<TcpDataTransport>(GetTransport());
    NS_ABORT_MSG_UNLESS(m_blocks, "Bullet' moves blocks over TCP: its Transport must be "
                                  "ns3::TcpDataTransport (OverlayHelper::SetTransport)");
    ObjectFactory strategy;
    strategy.SetTypeId(m_strategyType);
    m_strategy = strategy.Create<RequestStrategy>();
    if (m_stream >= 0)
    {
        m_strategy->AssignStreams(m_stream);
    }
    m_senderSizing = m_senderSizingFactory.Create<PeerSetSizing>();
    m_receiverSizing = m_receiverSizingFactory.Create<PeerSetSizing>();

    Ptr<ControlChannel> channel = GetControlChannel();
    auto reg
        = [&](uint8_t kind, void (BulletPrimeApplication::*handler)(Ipv4Address, Ptr<Packet>)) {
              channel->Register(ControlChannel::MessageType(0, kind), MakeCallback(handler, this));
          };
    reg(kPeerRequest, &BulletPrimeApplication::HandlePeerRequest);
    reg(kPeerAccept, &BulletPrimeApplication::HandlePeerAccept);
    reg(kPeerReject, &BulletPrimeApplication::HandlePeerReject);
    reg(kDiff, &BulletPrimeApplication::HandleDiff);
    reg(kBlockRequest, &BulletPrimeApplication::HandleBlockRequest);
    reg(kPeerClose, &BulletPrimeApplication::HandlePeerClose);
    GetTransport()->SetSendReadyCallback(MakeCallback(&BulletPrimeApplication::OnSendReady, this));
    GetTransport()->SetPeerDownCallback(MakeCallback(&BulletPrimeApplication::OnPeerDown, this));
    channel->TraceConnectWithoutContext("PeerDown",
                                        MakeCallback(&BulletPrimeApplication::OnPeerDown, this));

    m_ransub = StartRanSub(RanSub::ALL, MakeCallback(&BulletPrimeApplication::SummaryPayload, this),
                           MakeCallback(&BulletPrimeApplication::OnRanSub, this));
    m_periodTimer = Simulator::Schedule(m_period, &BulletPrimeApplication::PeriodTick, this);
    if (IsSource())
    {
        Simulator::ScheduleNow(&BulletPrimeApplication::PushNext, this);
    }
}

void
BulletPrimeApplication::DoStop()
{
    m_periodTimer.Cancel();
    m_pushRetry.Cancel();
    if (m_ransub)
    {
        m_ransub->Stop();
    }
}

// ---------------------------------------------------------------- RanSub and peering

std::vector<uint8_t>
BulletPrimeApplication::SummaryPayload() const
{
    // The source advertises itself only once every block is out (4.4.3): until then its
    // uplink belongs to the push.
    BlockSummary summary = BlockSummary::Make(
        IsSource() && !m_pushDone ? BlockBitmap(GetHoldings().GetNumBlocks()) : GetHoldings());
    return WireBytes(summary);
}

void
BulletPrimeApplication::OnRanSub(uint32_t epoch, const std::vector<RanSubMember>& members)
{
    m_senderSizing->Manage(m_senders.size(), IncomingBps());
    m_receiverSizing->Manage(m_receivers.size(), OutgoingBps());
    // A lowered limit closes the slowest peers above it.
    while (m_senders.size() > m_senderSizing->GetMax())
    {
        auto slowest = std::min_element(m_senders.begin(), m_senders.end(), [](auto& a, auto& b) {
            return a.second.bps < b.second.bps;
        });
        CloseSender(slowest->first, "sender limit lowered", true);
    }
    m_pendingPeers.clear(); // unanswered requests are given up after an epoch
    if (!IsComplete())
    {
        FindSenders(members);
    }
}

void
BulletPrimeApplication::FindSenders(const std::vector<RanSubMember>& members)
{
    // As many candidates as the sender limit allows (4.2.2.1), those holding the most blocks
    // this node lacks first.
    const uint32_t limit = m_senderSizing->GetMax();
    if (m_senders.size() + m_pendingPeers.size() >= limit)
    {
        return;
    }
    std::vector<std::pair<uint32_t, Ipv4Address>> candidates; // (blocks useful to us, node)
    for (const auto& m : members)
    {
        if (m.node == GetLocalAddress() || m_senders.count(m.node) || m_pendingPeers.count(m.node)
            || m_banned.count(m.node))
        {
            continue;
        }
        BlockSummary summary;
        Buffer b;
        b.AddAtStart(m.payload.size());
        b.Begin().Write(m.payload.data(), m.payload.size());
        WireReader reader(b.Begin());
        if (!summary.Deserialize(reader) || summary.GetNumBlocks() != GetHoldings().GetNumBlocks())
        {
            ++m_malformed;
            continue;
        }
        // Candidates with nothing useful yet come last: they fill the sender slots the useful
        // ones leave, and their diffs will tell us what they get (the whole mesh is still
        // filling up early in a download).
        candidates.emplace_back(summary.CountUsefulTo(GetHoldings()), m.node);
    }
    std::stable_sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
        return a.first > b.first;
    });
    for (const auto& [n, node] : candidates)
    {
        if (m_senders.size() + m_pendingPeers.size() >= limit)
        {
            break;
        }
        m_pendingPeers.insert(node);
        SendControl(node, kPeerRequest);
    }
}

void
BulletPrimeApplication::HandlePeerRequest(Ipv4Address from, Ptr<Packet> p)
{
    if (m_banned.count(from))
    {
        SendControl(from, kPeerReject);
        return;
    }
    if (m_stalledPeers.count(from))
    {
        if (m_blocks->GetBacklogBytes(from) > 0)
        {
            SendControl(from, kPeerReject); // still not reading what we sent it
            return;
        }
        m_stalledPeers.erase(from); // it read everything: it may come back
    }
    if (auto it = m_receivers.find(from); it != m_receivers.end())
    {
        // It asks again, so it holds no peering with us: a new incarnation of that node (it
        // left and came back) or a close we never saw. Either way it knows nothing of what we
        // announced before: start its diffs afresh.
        it->second = Receiver(GetHoldings().GetNumBlocks());
        it->second.lastProgress = Simulator::Now();
        SendControl(from, kPeerAccept);
        MaybeSendDiff(from, true);
        return;
    }
    if ((IsSource() && !m_pushDone) || m_receivers.size() >= m_receiverSizing->GetMax())
    {
        SendControl(from, kPeerReject);
        return;
    }
    m_receivers.emplace(from, Receiver(GetHoldings().GetNumBlocks())).first->second.lastProgress
        = Simulator::Now();
    SendControl(from, kPeerAccept);
    MaybeSendDiff(from, true); // it has nothing outstanding at us yet
}

void
BulletPrimeApplication::HandlePeerAccept(Ipv4Address from, Ptr<Packet> p)
{
    if (m_senders.count(from))
    {
        return;
    }
    if (!m_pendingPeers.erase(from) || IsComplete() || m_senders.size() >= m_senderSizing->GetMax()
        || m_banned.count(from))
    {
        BulletPrimeCloseHeader h; // an answer we no longer want
        h.stopSending = false;
        SendControl(from, kPeerClose, &h);
        return;
    }
    Sender& s = m_senders[from];
    s.view = BlockBitmap(GetHoldings().GetNumBlocks());
    s.flow = m_outstandingFactory.Create<OutstandingPolicy>();
    m_senderAddedTrace(from);
    NS_LOG_INFO(GetLocalAddress() << " gains sender " << from);
}

void
BulletPrimeApplication::HandlePeerReject(Ipv4Address from, Ptr<Packet> p)
{
    m_pendingPeers.erase(from);
}

void
BulletPrimeApplication::OnPeerDown(Ipv4Address peer)
{
    // Its block or control connection closed: the peer is gone (2008 Section 5.13's churn),
    // and what was outstanding at it must be asked of someone else.
    m_pendingPeers.erase(peer);
    CloseSender(peer, "connection lost", false);
    CloseReceiver(peer, "connection lost", false);
}

void
BulletPrimeApplication::HandlePeerClose(Ipv4Address from, Ptr<Packet> p)
{
    BulletPrimeCloseHeader h;
    if (!Parse(from, p, h))
    {
        return;
    }
    if (h.stopSending)
    {
        CloseSender(from, "sender left", false);
    }
    else
    {
        CloseReceiver(from, "receiver left", false);
    }
}

void
BulletPrimeApplication::CloseSender(Ipv4Address sender, const std::string& why, bool tell)
{
    auto it = m_senders.find(sender);
    if (it == m_senders.end())
    {
        return;
    }
    for (uint32_t b : it->second.requested)
    {
        m_wanted.erase(b); // to be asked of another sender
    }
    m_senders.erase(it);
    if (tell)
    {
        BulletPrimeCloseHeader h;
        h.stopSending = false;
        SendControl(sender, kPeerClose, &h);
    }
    m_peerClosedTrace(sender, why);
    NS_LOG_INFO(GetLocalAddress() << " closes sender " << sender << ": " << why);
    // Blocks it owed can be asked of the others.
    std::vector<Ipv4Address> others = GetSenders();
    for (const auto& a : others)
    {
        Request(a);
    }
}

void
BulletPrimeApplication::CloseReceiver(Ipv4Address receiver, const std::string& why, bool tell)
{
    if (!m_receivers.erase(receiver))
    {
        return;
    }
    if (tell)
    {
        BulletPrimeCloseHeader h;
        h.stopSending = true;
        SendControl(receiver, kPeerClose, &h);
    }
    m_peerClosedTrace(receiver, why);
}

void
BulletPrimeApplication::CountBadBlock(Ipv4Address from)
{
    const uint32_t bad = ++m_badBlocks[from];
    if (m_maxBadBlocks == 0 || bad < m_maxBadBlocks || !m_banned.insert(from).second)
    {
        return;
    }
    const std::string why = std::to_string(bad) + " blocks failed their digest: banned";
    NS_LOG_INFO(GetLocalAddress() << " bans " << from << ": " << why);
    m_pendingPeers.erase(from);
    CloseSender(from, why, true);
    CloseReceiver(from, why, true);
}

void
BulletPrimeApplication::DropStalledReceivers()
{
    const Time now = Simulator::Now();
    std::vector<Ipv4Address> stalled;
    for (auto& [a, r] : m_receivers)
    {
        // Progress: the backlog drained or fell (acknowledgements), or a block left the queue
        // (OnSendReady). A hung receiver's closed window freezes it.
        const uint64_t backlog = m_blocks->GetBacklogBytes(a);
        if (backlog == 0 || backlog < r.lastBacklog)
        {
            r.lastProgress = now;
        }
        r.lastBacklog = backlog;
        if (backlog > 0 && now - r.lastProgress >= m_stallTimeout)
        {
            stalled.push_back(a);
        }
    }
    for (const auto& a : stalled)
    {
        ++m_stalled;
        m_stalledPeers.insert(a);
        // Served no more; what already waits for it stays within QueueLimit and the socket
        // buffer. Its connection is left open: closing a socket whose peer's window is shut
        // crashes ns-3 3.37's TCP when that peer later acknowledges (TcpRateLinux::SkbSent on
        // a retransmission with nothing to send; doc/hardening.md).
        CloseReceiver(a, "stalled: nothing on its way to it moved for StallTimeout", true);
    }
}

void
BulletPrimeApplication::ExpireRequests()
{
    const Time now = Simulator::Now();
    bool expired = false;
    for (auto& [a, s] : m_senders)
    {
        if (s.requested.empty() || now - s.lastBlock < m_requestTimeout)
        {
            continue;
        }
        NS_LOG_INFO(GetLocalAddress()
                    << " gives up " << s.requested.size() << " requests at " << a);
        m_timedOut += s.requested.size();
        for (uint32_t b : s.requested)
        {
            m_wanted.erase(b);
        }
        s.requested.clear();
        s.marked.clear();
        s.lastBlock = now;
        expired = true;
    }
    if (expired)
    {
        std::vector<Ipv4Address> senders = GetSenders();
        for (const auto& a : senders)
        {
            Request(a);
        }
    }
}

// ---------------------------------------------------------------- measurement and pruning

double
BulletPrimeApplication::IncomingBps() const
{
    double sum = 0;
    for (const auto& [a, s] : m_senders)
    {
        sum += s.bps;
    }
    return sum;
}

double
BulletPrimeApplication::OutgoingBps() const
{
    return m_lastOutgoingBps;
}

void
BulletPrimeApplication::PeriodTick()
{
    const double seconds = m_period.GetSeconds();
    std::vector<std::pair<Ipv4Address, double>> senders;
    for (auto& [a, s] : m_senders)
    {
        s.bps = s.bytesThisPeriod * 8.0 / seconds;
        s.bytesThisPeriod = 0;
        senders.emplace_back(a, s.bps);
    }
    double outgoing = 0;
    std::vector<std::pair<Ipv4Address, double>> receivers;
    for (auto& [a, r] : m_receivers)
    {
        double bps = r.bytesThisPeriod * 8.0 / seconds;
        outgoing += bps;
        r.bytesThisPeriod = 0;
        // The share of its incoming bandwidth it gets from us.
        receivers.emplace_back(a, r.reportedIncomingBps > 0 ? bps / r.reportedIncomingBps : 0);
    }
    m_lastOutgoingBps = outgoing;
    DropStalledReceivers();
    ExpireRequests();
    if (!IsComplete())
    {
        for (const auto& a : m_senderSizing->Prune(senders))
        {
            CloseSender(a, "slow sender (1.5 sigma)", true);
        }
    }
    for (const auto& a : m_receiverSizing->Prune(receivers))
    {
        CloseReceiver(a, "small share of its bandwidth (1.5 sigma)", true);
    }
    m_periodTimer = Simulator::Schedule(m_period, &BulletPrimeApplication::PeriodTick, this);
}

// ---------------------------------------------------------------- source push

void
BulletPrimeApplication::PushNext()
{
    const auto& children = GetTree()->GetChildren();
    while (m_pushNext < GetNumBlocks())
    {
        if (children.empty())
        {
            // No child yet (the tree is forming) or none left: look again shortly.
            if (!m_pushRetry.IsRunning())
            {
                m_pushRetry = Simulator::Schedule(MilliSeconds(100),
                                                  &BulletPrimeApplication::PushNext, this);
            }
            return;
        }
        // Round robin from the next child; a child whose pipe is full is skipped (4.4.3).
        bool sent = false;
        for (uint32_t k = 0; k < children.size() && !sent; ++k)
        {
            Ipv4Address child = children[(m_pushChild + k) % children.size()];
            if (m_blocks->GetQueued(child) < m_pushQueue)
            {
                SendBlockTo(child, m_pushNext, false, true, 0);
                m_pushChild = (m_pushChild + k + 1) % children.size();
                sent = true;
            }
        }
        if (!sent)
        {
            return; // every pipe is full: OnSendReady resumes
        }
        ++m_pushNext;
    }
    if (!m_pushDone)
    {
        m_pushDone = true;
        NS_LOG_INFO("source: every block pushed at " << Simulator::Now().As(Time::S));
    }
}

void
BulletPrimeApplication::OnSendReady(Ipv4Address peer)
{
    if (auto it = m_receivers.find(peer); it != m_receivers.end())
    {
        it->second.lastProgress = Simulator::Now(); // its queue moved
    }
    if (IsSource() && !m_pushDone)
    {
        PushNext();
    }
    if (m_blocks->GetQueued(peer) == 0)
    {
        MaybeSendDiff(peer); // its requests are served: time to tell it what is new
    }
}

// ---------------------------------------------------------------- diffs, requests, blocks

void
BulletPrimeApplication::SendControl(Ipv4Address to, uint8_t kind, const Header* h)
{
    Ptr<Packet> p = Create<Packet>();
    if (h)
    {
        p->AddHeader(*h);
    }
    GetControlChannel()->Send(to, ControlChannel::MessageType(0, kind), p);
}

bool
BulletPrimeApplication::Parse(Ipv4Address from, Ptr<Packet> p, CheckedHeader& h)
{
    p->RemoveHeader(h);
    if (!h.IsValid())
    {
        ++m_malformed;
        NS_LOG_WARN(GetLocalAddress()
                    << ": malformed message from " << from << ": " << h.GetError());
        return false;
    }
    return true;
}

void
BulletPrimeApplication::MaybeSendDiff(Ipv4Address receiver, bool force)
{
    auto it = m_receivers.find(receiver);
    if (it == m_receivers.end())
    {
        return;
    }
    Receiver& r = it->second;
    // Self-clocking (4.3.3.3): only when the receiver has nothing requested of us (no block
    // of its waits in front of our socket) or asked.
    if (!force && m_blocks->GetQueued(receiver) > 0 && !r.diffAsked)
    {
        return;
    }
    if (!r.diffs.HasPending(GetHoldings()))
    {
        return; // nothing new: the next block we get triggers it
    }
    BulletPrimeDiffHeader h;
    h.diff = r.diffs.MakeDiff(GetHoldings());
    r.diffAsked = false;
    SendControl(receiver, kDiff, &h);
}

void
BulletPrimeApplication::HandleDiff(Ipv4Address from, Ptr<Packet> p)
{
    BulletPrimeDiffHeader h;
    if (!Parse(from, p, h))
    {
        return;
    }
    auto it = m_senders.find(from);
    if (it == m_senders.end())
    {
        // A diff in flight when we closed the peering, or a sender that outlived a node this
        // address used to be: either way, not our sender.
        BulletPrimeCloseHeader close;
        close.stopSending = false;
        SendControl(from, kPeerClose, &close);
        return;
    }
    Sender& s = it->second;
    if (h.diff.GetNumBlocks() != s.view.GetNumBlocks())
    {
        ++m_malformed;
        return;
    }
    for (uint32_t b : h.diff.GetBlocks())
    {
        if (s.view.Set(b))
        {
            s.discovered.push_back(b);
        }
    }
    s.diffAsked = false;
    Request(from);
}

uint32_t
BulletPrimeApplication::Holders(uint32_t block) const
{
    uint32_t n = 0;
    for (const auto& [a, s] : m_senders)
    {
        n += s.view.Has(block);
    }
    return n;
}

void
BulletPrimeApplication::Request(Ipv4Address sender)
{
    auto it = m_senders.find(sender);
    if (it == m_senders.end() || IsComplete())
    {
        return;
    }
    Sender& s = it->second;
    const uint32_t limit = s.flow->GetLimit();
    if (s.requested.size() >= limit)
    {
        return;
    }
    // Candidates in discovery order; blocks held are dropped from the list for good.
    std::vector<uint32_t> candidates;
    std::vector<uint32_t> keep;
    keep.reserve(s.discovered.size());
    for (uint32_t b : s.discovered)
    {
        if (HasBlock(b))
        {
            continue;
        }
        keep.push_back(b);
        if (!m_wanted.count(b))
        {
            candidates.push_back(b);
        }
    }
    s.discovered.swap(keep);
    const uint32_t room = limit - s.requested.size();
    std::vector<uint32_t> chosen = m_strategy->Choose(
        candidates,
        [this](uint32_t b) {
            return Holders(b);
        },
        std::min<uint32_t>(room, BulletPrimeRequestHeader::kMaxBlocks));
    // About to run out of what this sender has told us of: ask it for a diff (4.3.3.3).
    const bool wantDiff = !s.diffAsked && candidates.size() - chosen.size() <= limit;
    if (chosen.empty() && !wantDiff)
    {
        return;
    }
    NS_LOG_LOGIC(GetLocalAddress()
                 << " asks " << sender << " for " << chosen.size() << " blocks (limit " << limit
                 << ", outstanding " << s.requested.size() << ", " << candidates.size()
                 << " candidates" << (wantDiff ? ", diff" : "") << ")");
    BulletPrimeRequestHeader h;
    h.blocks = chosen;
    h.marked = !chosen.empty() && s.flow->TakeMark();
    h.wantDiff = wantDiff;
    h.incomingKbps = uint32_t(std::min(4e9, IncomingBps() / 1000));
    if (s.requested.empty() && !chosen.empty())
    {
        s.lastBlock = Simulator::Now(); // the timeout runs from the first outstanding request
    }
    for (uint32_t b : chosen)
    {
        s.requested.insert(b);
        m_wanted[b] = sender;
    }
    if (h.marked)
    {
        s.marked.insert(chosen.front());
    }
    s.diffAsked = s.diffAsked || wantDiff;
    SendControl(sender, kBlockRequest, &h);
}

void
BulletPrimeApplication::HandleBlockRequest(Ipv4Address from, Ptr<Packet> p)
{
    BulletPrimeRequestHeader h;
    if (!Parse(from, p, h))
    {
        return;
    }
    auto it = m_receivers.find(from);
    if (it == m_receivers.end())
    {
        m_refusedRequests += h.blocks.size();
        BulletPrimeCloseHeader close; // not (or no longer) our receiver
        close.stopSending = true;
        SendControl(from, kPeerClose, &close);
        return;
    }
    Receiver& r = it->second;
    r.reportedIncomingBps = h.incomingKbps * 1000.0;
    r.diffAsked = r.diffAsked || h.wantDiff;
    // in_front: blocks queued in front of the socket when the request arrived (4.3.3.2).
    const uint32_t inFront = m_blocks->GetQueued(from);
    bool first = true;
    for (uint32_t b : h.blocks)
    {
        if (!HasBlock(b))
        {
            ++m_malformed; // we never announced it
            continue;
        }
        if (!SendBlockTo(from, b, h.marked && first, false, inFront))
        {
            ++m_refusedRequests; // dropped, never queued here: the transport's queue is full
            continue;
        }
        first = false;
    }
    MaybeSendDiff(from);
}

bool
BulletPrimeApplication::SendBlockTo(Ipv4Address to, uint32_t block, bool marked, bool pushed,
                                    uint32_t inFront)
{
    const bool wasEmpty = m_blocks->GetQueued(to) == 0;
    BulletPrimeBlockHeader h;
    h.block = block;
    h.marked = marked;
    h.pushed = pushed;
    Ptr<Packet> p = MakeBlockPayload(block);
    p->AddHeader(h);
    const uint32_t bytes = p->GetSize();
    if (!m_blocks->SendRequested(to, p, inFront))
    {
        NS_LOG_WARN(GetLocalAddress() << ": transport refused block " << block << " for " << to);
        return false;
    }
    NotifyBlockSent(to, block, bytes);
    auto it = m_receivers.find(to);
    if (it != m_receivers.end())
    {
        it->second.bytesThisPeriod += bytes;
        if (wasEmpty)
        {
            it->second.lastProgress = Simulator::Now(); // the stall clock starts now
        }
    }
    return true;
}

void
BulletPrimeApplication::ReceiveData(Ipv4Address from, Ptr<Packet> packet)
{
    BlockFeedbackTag feedback;
    const bool hasFeedback = packet->PeekPacketTag(feedback);
    BulletPrimeBlockHeader h;
    const uint32_t bytes = packet->GetSize();
    packet->RemoveHeader(h);
    if (!h.IsValid())
    {
        ++m_malformed;
        NS_LOG_WARN(GetLocalAddress() << ": malformed block from " << from << ": " << h.GetError());
        return;
    }
    auto sit = m_senders.find(from);
    const bool wasSender = sit != m_senders.end(); // sit dies if the block gets it banned
    bool requested = wasSender && sit->second.requested.erase(h.block);
    if (requested)
    {
        Sender& s = sit->second;
        s.bytesThisPeriod += bytes;
        s.lastBlock = Simulator::Now();
        m_wanted.erase(h.block);
        const bool marked = s.marked.erase(h.block) > 0;
        if (hasFeedback)
        {
            const double bps = s.bps > 0 ? s.bps : 8.0 * bytes / 0.1; // before a first measure
            s.flow->BlockArrived(feedback.inFront, feedback.wasted, bps, bytes, marked);
            m_limitTrace(from, s.flow->GetLimit());
        }
    }
    else if (!h.pushed)
    {
        ++m_unrequested;
    }
    const uint64_t rejectedBefore = GetRejectedBlocks();
    const bool fresh = AcceptBlock(from, h.block, packet, bytes);
    if (!fresh && !HasBlock(h.block))
    {
        // Rejected (bad bytes): ask for it again, from anyone.
        m_wanted.erase(h.block);
    }
    if (GetRejectedBlocks() > rejectedBefore)
    {
        CountBadBlock(from); // may ban it: then it is no longer a sender
    }
    if (fresh)
    {
        // Something new to announce: receivers waiting for a diff get one.
        std::vector<Ipv4Address> receivers = GetReceivers();
        for (const auto& a : receivers)
        {
            MaybeSendDiff(a);
        }
        if (IsComplete())
        {
            std::vector<Ipv4Address> senders = GetSenders();
            for (const auto& a : senders)
            {
                CloseSender(a, "download complete", true);
            }
            return;
        }
    }
    if (wasSender && m_senders.count(from))
    {
        Request(from);
    }
}

} // namespace ns3
