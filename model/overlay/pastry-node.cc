/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pastry-node.h"

#include "ns3/attribute-table.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PastryNode");

NS_OBJECT_ENSURE_REGISTERED(PastryNode);

namespace
{
/// Messages a root remembers having delivered (duplicates of older ones are not expected).
constexpr size_t kDeliveredMemory = 4096;
} // namespace

TypeId
PastryNode::GetTypeId()
{
    static TypeId tid = []() {
        TypeId t
            = TypeId("ns3::PastryNode")
                  .SetParent<Object>()
                  .SetGroupName("Bullet")
                  .AddConstructor<PastryNode>()
                  .AddAttribute("Instance",
                                "Which Pastry ring this is, when a node is in several over one "
                                "control channel: messages are typed ControlChannel::MessageType("
                                "Instance, kind); the same on every node of the ring",
                                UintegerValue(0), MakeUintegerAccessor(&PastryNode::m_instance),
                                MakeUintegerChecker<uint8_t>(0, 255))
                  .AddAttribute(
                      "LeafSetSize",
                      "Leaves in all, half on each side (FreePastry's pastry_lSetSize: 24)",
                      UintegerValue(24), MakeUintegerAccessor(&PastryNode::m_leafSetSize),
                      MakeUintegerChecker<uint32_t>(2, 256))
                  .AddAttribute("HopAttempts", "Next hops a node tries for one routed message",
                                UintegerValue(3), MakeUintegerAccessor(&PastryNode::m_hopAttempts),
                                MakeUintegerChecker<uint32_t>(1, 32))
                  .AddAttribute("FailedMemory",
                                "How long a node declared failed is not learnt again from others' "
                                "state (it is at once if it speaks itself)",
                                TimeValue(Seconds(30)),
                                MakeTimeAccessor(&PastryNode::m_failedMemory), MakeTimeChecker())
                  .AddTraceSource("Joined", "The join completed: (time it took)",
                                  MakeTraceSourceAccessor(&PastryNode::m_joinedTrace),
                                  "ns3::PastryNode::JoinedTracedCallback")
                  .AddTraceSource("Failure",
                                  "A node was declared failed and its state repaired: (node)",
                                  MakeTraceSourceAccessor(&PastryNode::m_failureTrace),
                                  "ns3::PastryNode::FailureTracedCallback")
                  .AddTraceSource("Delivered",
                                  "A routed message reached its root here: (key, appKind, hops)",
                                  MakeTraceSourceAccessor(&PastryNode::m_deliveredTrace),
                                  "ns3::PastryNode::DeliveredTracedCallback");
        AddTimeAttributes<PastryNode>(
            t, MilliSeconds(10),
            {{"HeartbeatInterval", "Period of the heartbeats to the leaves", Seconds(2),
              &PastryNode::m_heartbeatInterval},
             {"LeafTimeout", "A leaf silent this long is declared failed", Seconds(7),
              &PastryNode::m_leafTimeout},
             {"ProbeTimeout",
              "A node that leaves a proximity probe unanswered this long is declared failed",
              Seconds(5), &PastryNode::m_probeTimeout},
             {"HopTimeout",
              "A routed message's hop unacknowledged this long declares the next node failed; "
              "the message is routed around it",
              Seconds(5), &PastryNode::m_hopTimeout},
             {"JoinTimeout", "A join not completed this long is sent again", Seconds(5),
              &PastryNode::m_joinTimeout}});
        return t;
    }();
    return tid;
}

PastryNode::PastryNode()
    : m_rng(CreateObject<UniformRandomVariable>())
{
}

void
PastryNode::SetBootstrap(Ipv4Address bootstrap)
{
    m_bootstrap = bootstrap;
}

void
PastryNode::SetId(const PastryId& id)
{
    m_givenId = id;
}

int64_t
PastryNode::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

void
PastryNode::SetApplication(uint8_t appKind, DeliverCallback deliver, ForwardCallback forward)
{
    if (appKind == 0)
    {
        throw std::invalid_argument("Pastry application kind 0 is Pastry's own join");
    }
    if (m_apps.count(appKind))
    {
        throw std::invalid_argument("Pastry application kind " + std::to_string(appKind)
                                    + " registered twice");
    }
    m_apps[appKind] = AppHandlers{deliver, forward};
}

void
PastryNode::SetJoinedCallback(Callback<void> joined)
{
    m_joinedCallback = joined;
}

bool
PastryNode::IsJoined() const
{
    return m_joined;
}

PastryHandle
PastryNode::GetHandle() const
{
    return m_self;
}

const PastryState&
PastryNode::GetState() const
{
    NS_ABORT_MSG_UNLESS(m_state, "PastryNode::GetState before Start");
    return *m_state;
}

uint64_t
PastryNode::GetDroppedCount() const
{
    return m_dropped;
}

const PastryNode::FailureCounts&
PastryNode::GetFailureCounts() const
{
    return m_failureCounts;
}

void
PastryNode::DoDispose()
{
    Stop();
    m_pending.clear();
    m_channel = nullptr;
    m_joinedCallback = MakeNullCallback<void>();
    m_apps.clear();
    m_waiting.clear();
    Object::DoDispose();
}

void
PastryNode::Start(Ptr<ControlChannel> channel)
{
    m_channel = channel;
    const Ipv4Address local = channel->GetLocalAddress();
    m_self = {m_givenId ? *m_givenId : PastryId::FromAddress(local), local};
    m_state = std::make_unique<PastryState>(m_self, m_leafSetSize);
    auto reg = [&](uint8_t kind, void (PastryNode::*handler)(Ipv4Address, Ptr<Packet>)) {
        channel->Register(ControlChannel::MessageType(m_instance, kind),
                          MakeCallback(handler, this));
    };
    reg(kRoute, &PastryNode::HandleRoute);
    reg(kJoinState, &PastryNode::HandleJoinState);
    reg(kAnnounce, &PastryNode::HandleAnnounce);
    reg(kLeafSetRequest, &PastryNode::HandleLeafSetRequest);
    reg(kLeafSetReply, &PastryNode::HandleLeafSetReply);
    reg(kRowRequest, &PastryNode::HandleRowRequest);
    reg(kRowReply, &PastryNode::HandleRowReply);
    reg(kHeartbeat, &PastryNode::HandleHeartbeat);
    reg(kProbe, &PastryNode::HandleProbe);
    reg(kProbeReply, &PastryNode::HandleProbeReply);
    reg(kRouteAck, &PastryNode::HandleRouteAck);
    m_running = true;
    m_started = Simulator::Now();
    if (m_bootstrap == local || m_bootstrap == Ipv4Address())
    {
        NS_LOG_INFO(m_self << " starts the ring");
        Simulator::ScheduleNow(&PastryNode::CompleteJoin, this);
    }
    else
    {
        SendJoin();
    }
}

void
PastryNode::Stop()
{
    m_running = false;
    m_joinTimer.Cancel();
    m_heartbeatTimer.Cancel();
    for (auto& [a, e] : m_probes)
    {
        e.Cancel();
    }
    m_probes.clear();
    for (auto& [s, hop] : m_pending)
    {
        hop.timer.Cancel();
    }
    m_pending.clear();
}

// ---------------------------------------------------------------- sending

void
PastryNode::Send(Ipv4Address to, uint8_t kind, const Header& h, Ptr<Packet> payload)
{
    Ptr<Packet> p = payload ? payload->Copy() : Create<Packet>();
    p->AddHeader(h);
    m_channel->Send(to, ControlChannel::MessageType(m_instance, kind), p);
}

void
PastryNode::SendState(Ipv4Address to, uint8_t kind, uint8_t flags, uint8_t row,
                      const std::vector<PastryHandle>& handles)
{
    PastryStateHeader h;
    h.sender = m_self;
    h.flags = flags;
    h.row = row;
    h.handles = handles;
    if (h.handles.size() > PastryStateHeader::kMaxHandles)
    {
        h.handles.resize(PastryStateHeader::kMaxHandles);
    }
    Send(to, kind, h);
}

bool
PastryNode::Parse(Ptr<Packet> p, CheckedHeader& h, Ipv4Address from)
{
    p->RemoveHeader(h);
    if (!h.IsValid())
    {
        ++m_dropped;
        NS_LOG_WARN(m_self << ": malformed Pastry message from " << from << ": " << h.GetError());
        return false;
    }
    return true;
}

// ---------------------------------------------------------------- join

void
PastryNode::SendJoin()
{
    if (!m_running || m_joined)
    {
        return;
    }
    NS_LOG_INFO(m_self << " joins through " << m_bootstrap);
    PastryRouteHeader h;
    h.key = m_self.id;
    h.origin = m_self;
    h.appKind = 0;
    h.hops = 0;
    h.hopSeq = 0; // the bootstrap's acknowledgement is not awaited: the join timer covers it
    Send(m_bootstrap, kRoute, h);
    m_joinTimer = Simulator::Schedule(m_joinTimeout, &PastryNode::SendJoin, this);
}

void
PastryNode::CompleteJoin()
{
    if (!m_running || m_joined)
    {
        return;
    }
    m_joined = true;
    m_joinTimer.Cancel();
    for (const auto& h : m_state->GetKnown())
    {
        SendState(h.address, kAnnounce, 0, 0, {});
    }
    NS_LOG_INFO(m_self << " joined after " << (Simulator::Now() - m_started).As(Time::S)
                       << ", knowing " << m_state->GetKnown().size() << " nodes");
    m_joinedTrace(Simulator::Now() - m_started);
    m_heartbeatTimer = Simulator::Schedule(m_heartbeatInterval, &PastryNode::Heartbeat, this);
    if (!m_joinedCallback.IsNull())
    {
        m_joinedCallback();
    }
    auto waiting = std::move(m_waiting);
    m_waiting.clear();
    for (auto& [key, kind, payload] : waiting)
    {
        Route(key, kind, payload);
    }
}

void
PastryNode::HandleJoinState(Ipv4Address from, Ptr<Packet> p)
{
    PastryStateHeader h;
    if (!m_running || !Parse(p, h, from))
    {
        return;
    }
    Heard(from);
    Learn(h.sender);
    for (const auto& n : h.handles)
    {
        Learn(n);
    }
    if ((h.flags & PastryStateHeader::kFlagLast) && !m_joined)
    {
        CompleteJoin();
    }
}

void
PastryNode::HandleAnnounce(Ipv4Address from, Ptr<Packet> p)
{
    PastryStateHeader h;
    if (!m_running || !Parse(p, h, from))
    {
        return;
    }
    Heard(from);
    Learn(h.sender);
}

// ---------------------------------------------------------------- learning, probing

void
PastryNode::Learn(const PastryHandle& node)
{
    if (node.id == m_self.id || node.address == m_self.address || node.address == Ipv4Address())
    {
        return;
    }
    auto failed = m_failed.find(node.address);
    if (failed != m_failed.end())
    {
        if (Simulator::Now() - failed->second < m_failedMemory)
        {
            return; // a stale entry in someone's state
        }
        m_failed.erase(failed);
    }
    auto rtt = m_rtt.find(node.address);
    if (rtt != m_rtt.end())
    {
        m_state->Consider(node, rtt->second);
        return;
    }
    m_state->Consider(node);
    if (!m_probes.count(node.address))
    {
        PastryProbeHeader h;
        h.sender = m_self;
        h.value = uint64_t(Simulator::Now().GetNanoSeconds());
        Send(node.address, kProbe, h);
        m_probed[node.address] = node;
        m_probes[node.address]
            = Simulator::Schedule(m_probeTimeout, &PastryNode::ProbeTimeout, this, node.address);
    }
}

void
PastryNode::Heard(Ipv4Address address)
{
    m_lastHeard[address] = Simulator::Now();
    m_failed.erase(address);
}

void
PastryNode::HandleProbe(Ipv4Address from, Ptr<Packet> p)
{
    PastryProbeHeader h;
    if (!m_running || !Parse(p, h, from))
    {
        return;
    }
    Heard(from);
    PastryProbeHeader reply;
    reply.sender = m_self;
    reply.value = h.value;
    Send(from, kProbeReply, reply);
    if (m_joined)
    {
        Learn(h.sender); // it knows of this node: perhaps a new neighbour
    }
}

void
PastryNode::HandleProbeReply(Ipv4Address from, Ptr<Packet> p)
{
    PastryProbeHeader h;
    if (!m_running || !Parse(p, h, from))
    {
        return;
    }
    Heard(from);
    auto it = m_probes.find(from);
    if (it == m_probes.end())
    {
        return;
    }
    it->second.Cancel();
    m_probes.erase(it);
    m_probed.erase(from);
    const Time sent = NanoSeconds(int64_t(h.value));
    if (sent > Simulator::Now())
    {
        ++m_dropped; // an echo of a time not yet come: not ours
        return;
    }
    const double rtt = (Simulator::Now() - sent).GetSeconds();
    m_rtt[from] = rtt;
    m_state->Consider(h.sender, rtt);
}

void
PastryNode::ProbeTimeout(Ipv4Address address)
{
    m_probes.erase(address);
    auto it = m_probed.find(address);
    if (it == m_probed.end())
    {
        return;
    }
    PastryHandle node = it->second;
    m_probed.erase(it);
    NS_LOG_INFO(m_self << ": probe of " << node << " unanswered");
    ++m_failureCounts.probe;
    NodeFailed(node);
}

// ---------------------------------------------------------------- failure and repair

std::optional<PastryHandle>
PastryNode::FindHandle(Ipv4Address address) const
{
    for (const auto& h : m_state->GetKnown())
    {
        if (h.address == address)
        {
            return h;
        }
    }
    return std::nullopt;
}

void
PastryNode::ReportFailed(Ipv4Address address)
{
    if (!m_running)
    {
        return;
    }
    ++m_failureCounts.reported;
    if (auto h = FindHandle(address))
    {
        NodeFailed(*h);
    }
    else
    {
        m_failed[address] = Simulator::Now();
    }
}

void
PastryNode::NodeFailed(const PastryHandle& node)
{
    if (!m_running)
    {
        return;
    }
    const PastryState::Removal r = m_state->Remove(node.id);
    m_rtt.erase(node.address);
    m_lastHeard.erase(node.address);
    m_failed[node.address] = Simulator::Now();
    auto probe = m_probes.find(node.address);
    if (probe != m_probes.end())
    {
        probe->second.Cancel();
        m_probes.erase(probe);
    }
    m_probed.erase(node.address);
    if (!r.known)
    {
        return;
    }
    NS_LOG_INFO(m_self << ": " << node << " failed" << (r.leafSide ? " (a leaf)" : ""));
    m_failureTrace(node.address);
    if (r.leafSide)
    {
        // The outermost leaf on the failed node's side knows the nodes beyond; so does the
        // nearest one (a side short of nodes may end with nodes from the ring's other side,
        // the nearest is surely on this side).
        const PastryLeafSet::Side other
            = *r.leafSide == PastryLeafSet::LEFT ? PastryLeafSet::RIGHT : PastryLeafSet::LEFT;
        auto outer = m_state->GetLeafSet().GetOutermost(*r.leafSide);
        auto near = m_state->GetLeafSet().GetNeighbour(*r.leafSide);
        if (!outer)
        {
            outer = m_state->GetLeafSet().GetOutermost(other);
        }
        if (outer)
        {
            SendState(outer->address, kLeafSetRequest, 0, 0, {});
        }
        if (near && (!outer || near->id != outer->id))
        {
            SendState(near->address, kLeafSetRequest, 0, 0, {});
        }
    }
    if (r.slot)
    {
        // The other nodes of the row may know a node for the slot; failing that, the next
        // row's nodes (who share a longer prefix with this node) may.
        const uint32_t row = r.slot->first;
        auto peers = m_state->GetRoutingTable().GetRow(row);
        uint32_t askRow = row;
        if (peers.empty() && row + 1 < PastryId::kDigits)
        {
            peers = m_state->GetRoutingTable().GetRow(row + 1);
        }
        for (const auto& peer : peers)
        {
            SendState(peer.address, kRowRequest, 0, uint8_t(askRow), {});
        }
    }
}

void
PastryNode::HandleLeafSetRequest(Ipv4Address from, Ptr<Packet> p)
{
    PastryStateHeader h;
    if (!m_running || !Parse(p, h, from))
    {
        return;
    }
    Heard(from);
    SendState(from, kLeafSetReply, 0, 0, m_state->GetLeafSet().GetAll());
}

void
PastryNode::HandleLeafSetReply(Ipv4Address from, Ptr<Packet> p)
{
    PastryStateHeader h;
    if (!m_running || !Parse(p, h, from))
    {
        return;
    }
    Heard(from);
    Learn(h.sender);
    for (const auto& n : h.handles)
    {
        Learn(n);
    }
}

void
PastryNode::HandleRowRequest(Ipv4Address from, Ptr<Packet> p)
{
    PastryStateHeader h;
    if (!m_running || !Parse(p, h, from))
    {
        return;
    }
    Heard(from);
    SendState(from, kRowReply, 0, h.row, m_state->GetRoutingTable().GetRow(h.row));
}

void
PastryNode::HandleRowReply(Ipv4Address from, Ptr<Packet> p)
{
    HandleLeafSetReply(from, p); // the same: learn every node carried
}

void
PastryNode::Heartbeat()
{
    if (!m_running)
    {
        return;
    }
    const Time now = Simulator::Now();
    std::vector<PastryHandle> silent;
    const auto leaves = m_state->GetLeafSet().GetAll();
    std::set<Ipv4Address> watched;
    for (const auto& leaf : leaves)
    {
        watched.insert(leaf.address);
        auto it = m_lastHeard.find(leaf.address);
        if (it == m_lastHeard.end() || !m_watched.count(leaf.address))
        {
            // A new leaf: its silence counts from now, not from when it last spoke (it may
            // have been heard of long before it became a leaf).
            if (it == m_lastHeard.end() || it->second < now)
            {
                m_lastHeard[leaf.address] = now;
            }
        }
        else if (now - it->second > m_leafTimeout)
        {
            silent.push_back(leaf);
        }
    }
    m_watched = watched;
    for (const auto& leaf : silent)
    {
        NS_LOG_INFO(m_self << ": leaf " << leaf << " silent");
        ++m_failureCounts.leaf;
        NodeFailed(leaf);
    }
    const auto left = m_state->GetLeafSet().GetNeighbour(PastryLeafSet::LEFT);
    const auto right = m_state->GetLeafSet().GetNeighbour(PastryLeafSet::RIGHT);
    const auto all = m_state->GetLeafSet().GetAll();
    // Spread over the interval: a burst of 24 messages would overflow a short router queue.
    for (size_t k = 0; k < all.size(); ++k)
    {
        const auto& leaf = all[k];
        const bool neighbour = (left && left->id == leaf.id) || (right && right->id == leaf.id);
        Simulator::Schedule(m_heartbeatInterval * (double(k) / all.size()),
                            &PastryNode::SendHeartbeat, this, leaf.address, neighbour);
    }
    m_heartbeatTimer = Simulator::Schedule(m_heartbeatInterval, &PastryNode::Heartbeat, this);
}

void
PastryNode::SendHeartbeat(Ipv4Address to, bool withLeafSet)
{
    if (!m_running)
    {
        return;
    }
    SendState(to, kHeartbeat, withLeafSet ? PastryStateHeader::kFlagLeafSet : 0, 0,
              withLeafSet ? m_state->GetLeafSet().GetAll() : std::vector<PastryHandle>());
}

void
PastryNode::HandleHeartbeat(Ipv4Address from, Ptr<Packet> p)
{
    PastryStateHeader h;
    if (!m_running || !Parse(p, h, from))
    {
        return;
    }
    Heard(from);
    if (!m_joined)
    {
        return;
    }
    Learn(h.sender);
    for (const auto& n : h.handles)
    {
        Learn(n);
    }
    if (!m_state->GetLeafSet().Contains(h.sender.id))
    {
        // The sender counts this node among its leaves, this node not it: answer, so that
        // the sender does not take this node's silence for a failure.
        SendState(from, kHeartbeat, 0, 0, {});
    }
}

// ---------------------------------------------------------------- routing

void
PastryNode::Route(const PastryId& key, uint8_t appKind, Ptr<const Packet> payload)
{
    if (!m_running)
    {
        return;
    }
    if (!m_joined)
    {
        m_waiting.emplace_back(key, appKind, payload->Copy());
        return;
    }
    PastryRouteHeader h;
    h.key = key;
    h.origin = m_self;
    h.appKind = appKind;
    h.hops = 0;
    h.msgId = m_nextMsgId++;
    if (m_state->NextHop(key).id == m_self.id)
    {
        // Delivered here, but never from inside the caller's own call.
        Simulator::ScheduleNow(&PastryNode::Process, this, h, payload->Copy(), false, 0);
        return;
    }
    Process(h, payload->Copy(), false, 0);
}

void
PastryNode::HandleRoute(Ipv4Address from, Ptr<Packet> p)
{
    PastryRouteHeader h;
    if (!m_running || !Parse(p, h, from))
    {
        return;
    }
    Heard(from);
    if (h.hopSeq != 0)
    {
        PastryProbeHeader ack;
        ack.sender = m_self;
        ack.value = h.hopSeq;
        NS_LOG_LOGIC(m_self << ": acknowledges hop " << h.hopSeq << " from " << from);
        Send(from, kRouteAck, ack);
    }
    Process(h, p, true, 0);
}

void
PastryNode::Process(const PastryRouteHeader& header, Ptr<Packet> payload, bool upcall,
                    uint32_t attempts)
{
    if (!m_running)
    {
        return;
    }
    if (header.appKind == 0)
    {
        // A join: the joiner gets rows 0..l of this node's table (l: the prefix they share)
        // and, from the key's root, the leaf set.
        const PastryHandle& joiner = header.origin;
        if (joiner.id == m_self.id)
        {
            return;
        }
        const PastryHandle next = m_state->NextHop(header.key);
        const bool last = next.id == m_self.id || next.id == joiner.id;
        std::vector<PastryHandle> handles;
        const uint32_t l = std::min(m_self.id.SharedPrefixLength(joiner.id), PastryId::kDigits - 1);
        for (uint32_t row = 0; row <= l; ++row)
        {
            for (const auto& n : m_state->GetRoutingTable().GetRow(row))
            {
                handles.push_back(n);
            }
        }
        if (last)
        {
            for (const auto& n : m_state->GetLeafSet().GetAll())
            {
                handles.push_back(n);
            }
        }
        NS_LOG_LOGIC(m_self << ": join of " << joiner << (last ? ", its root" : ", on its route"));
        SendState(joiner.address, kJoinState, last ? PastryStateHeader::kFlagLast : 0, 0, handles);
        if (!last)
        {
            SendOn(header, payload, next, attempts);
        }
        return;
    }
    auto app = m_apps.find(header.appKind);
    if (app == m_apps.end())
    {
        ++m_dropped;
        NS_LOG_WARN(m_self << ": routed message for unknown application "
                           << uint32_t(header.appKind));
        return;
    }
    const PastryHandle next = m_state->NextHop(header.key);
    if (next.id == m_self.id)
    {
        const auto id = std::make_pair(header.origin.address, header.msgId);
        if (!m_delivered.insert(id).second)
        {
            NS_LOG_LOGIC(m_self << ": message " << header.msgId << " of " << header.origin
                                << " delivered already");
            return; // a copy re-sent after a late acknowledgement
        }
        m_deliveredOrder.push_back(id);
        if (m_deliveredOrder.size() > kDeliveredMemory)
        {
            m_delivered.erase(m_deliveredOrder.front());
            m_deliveredOrder.pop_front();
        }
        m_deliveredTrace(header.key, header.appKind, header.hops);
        if (!app->second.deliver.IsNull())
        {
            app->second.deliver(header, payload);
        }
        return;
    }
    if (upcall && !app->second.forward.IsNull() && !app->second.forward(header, payload, next))
    {
        return; // the application took the message
    }
    SendOn(header, payload, next, attempts);
}

void
PastryNode::SendOn(const PastryRouteHeader& header, Ptr<Packet> payload, const PastryHandle& next,
                   uint32_t attempts)
{
    if (header.hops >= PastryRouteHeader::kMaxHops)
    {
        ++m_dropped;
        NS_LOG_WARN(m_self << ": routed message for " << header.key << " loops: dropped");
        return;
    }
    PastryRouteHeader h = header;
    h.hops = header.hops + 1;
    h.hopSeq = m_nextHopSeq++;
    if (m_nextHopSeq == 0)
    {
        m_nextHopSeq = 1;
    }
    Send(next.address, kRoute, h, payload);
    PendingHop& hop = m_pending[h.hopSeq];
    hop.header = header;
    hop.payload = payload;
    hop.next = next;
    hop.attempts = attempts;
    hop.timer = Simulator::Schedule(m_hopTimeout, &PastryNode::HopTimeout, this, h.hopSeq);
}

void
PastryNode::HandleRouteAck(Ipv4Address from, Ptr<Packet> p)
{
    PastryProbeHeader h;
    if (!m_running || !Parse(p, h, from))
    {
        return;
    }
    Heard(from);
    auto it = m_pending.find(uint32_t(h.value));
    NS_LOG_LOGIC(m_self << ": hop " << h.value << " acknowledged by " << from
                        << (it == m_pending.end() ? " (not pending)" : ""));
    if (it != m_pending.end() && it->second.next.address == from)
    {
        it->second.timer.Cancel();
        m_pending.erase(it);
    }
}

void
PastryNode::HopTimeout(uint32_t hopSeq)
{
    auto it = m_pending.find(hopSeq);
    if (it == m_pending.end())
    {
        return;
    }
    PendingHop hop = it->second;
    m_pending.erase(it);
    NS_LOG_INFO(m_self << ": hop to " << hop.next << " unacknowledged");
    ++m_failureCounts.hop;
    NodeFailed(hop.next);
    if (hop.attempts + 1 < m_hopAttempts)
    {
        Process(hop.header, hop.payload, false, hop.attempts + 1);
    }
    else
    {
        ++m_dropped;
    }
}

} // namespace ns3
