/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "scribe.h"

#include "ns3/attribute-table.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Scribe");

NS_OBJECT_ENSURE_REGISTERED(ScribeHeader);
NS_OBJECT_ENSURE_REGISTERED(Scribe);

// ---------------------------------------------------------------- header

TypeId
ScribeHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::ScribeHeader")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<ScribeHeader>();
    return tid;
}

TypeId
ScribeHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
ScribeHeader::GetSerializedSize() const
{
    return 1 + PastryId::kBytes + PastryHandle::kBytes + 4 + 1 + 2
           + PastryHandle::kBytes * uint32_t(handles.size());
}

void
ScribeHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteU8(type);
    group.Serialize(start);
    node.Serialize(start);
    start.WriteHtonU32(seq);
    start.WriteU8(flags);
    start.WriteHtonU16(uint16_t(handles.size()));
    for (const auto& h : handles)
    {
        h.Serialize(start);
    }
}

void
ScribeHeader::Print(std::ostream& os) const
{
    os << "type=" << uint32_t(type) << " group=" << group << " node=" << node << " seq=" << seq
       << " flags=" << uint32_t(flags) << " handles=" << handles.size();
}

void
ScribeHeader::DoDeserialize(WireReader& reader)
{
    type = reader.ReadU8();
    group = PastryId::Deserialize(reader);
    node = PastryHandle::Deserialize(reader);
    seq = reader.ReadNtohU32();
    flags = reader.ReadU8();
    const uint16_t count = reader.ReadNtohU16();
    handles.clear();
    if (!reader.Ok())
    {
        return;
    }
    if (count > kMaxHandles)
    {
        reader.Fail("Scribe: " + std::to_string(count) + " nodes listed, more than "
                    + std::to_string(kMaxHandles));
        return;
    }
    if (!reader.Require(uint32_t(count) * PastryHandle::kBytes, "Scribe node list"))
    {
        return;
    }
    handles.reserve(count);
    for (uint16_t i = 0; i < count; ++i)
    {
        handles.push_back(PastryHandle::Deserialize(reader));
    }
}

// ---------------------------------------------------------------- client defaults

bool
ScribeClient::AcceptChild(const PastryId& group, const PastryHandle& child, uint32_t children,
                          uint32_t maxChildren)
{
    return children < maxChildren;
}

void
ScribeClient::DeliverMulticast(const PastryId& group, Ptr<const Packet> payload)
{
}

bool
ScribeClient::AcceptAnycast(const PastryId& group, const PastryHandle& originator,
                            Ptr<const Packet> payload)
{
    return false;
}

void
ScribeClient::AnycastResult(const PastryId& group, bool success, const PastryHandle& acceptor,
                            Ptr<const Packet> payload)
{
}

bool
ScribeClient::Orphaned(const PastryId& group, const std::vector<PastryHandle>& siblings)
{
    return false;
}

void
ScribeClient::ParentChanged(const PastryId& group, std::optional<PastryHandle> parent)
{
}

void
ScribeClient::ChildrenChanged(const PastryId& group)
{
}

// ---------------------------------------------------------------- Scribe

TypeId
Scribe::GetTypeId()
{
    static TypeId tid = []() {
        TypeId t
            = TypeId("ns3::Scribe")
                  .SetParent<Object>()
                  .SetGroupName("Bullet")
                  .AddConstructor<Scribe>()
                  .AddAttribute("Instance",
                                "Which Scribe this is, when a node runs several over one control "
                                "channel: direct messages are typed ControlChannel::MessageType"
                                "(Instance, kind)",
                                UintegerValue(0), MakeUintegerAccessor(&Scribe::m_instance),
                                MakeUintegerChecker<uint8_t>(0, 255))
                  .AddAttribute("AppKind",
                                "The Pastry application kind of Scribe's routed messages",
                                UintegerValue(1), MakeUintegerAccessor(&Scribe::m_appKind),
                                MakeUintegerChecker<uint8_t>(1, 255));
        // The constants of Mace's ScribeMS, in its names.
        AddCountAttributes<Scribe>(
            t, 1, 1000,
            {{"MaxChildren", "Children per group a node adopts by default (MAX_CHILDREN: 25)", 25,
              &Scribe::m_maxChildren},
             {"DropChildTicks",
              "Intervals a child may stay silent before it is dropped (DROP_CHILD_TICKS: 10)", 10,
              &Scribe::m_dropChildTicks},
             {"RenewTicks", "Intervals between a child's renewals (RENEW_TICKS: 6)", 6,
              &Scribe::m_renewTicks},
             {"HeartbeatMisses",
              "Intervals without a parent's heartbeat before the child repairs (HB_MISS_REPAIR: 2)",
              2, &Scribe::m_missRepair}});
        AddTimeAttributes<Scribe>(
            t, MilliSeconds(10),
            {{"HeartbeatInterval",
              "Period of heartbeats to children and of the checks (TIMER_INTERVAL: 5 s)",
              Seconds(5), &Scribe::m_interval},
             {"SubscribeTimeout",
              "A subscription without a parent after this long is sent again (FreePastry's "
              "p2p_scribe_message_timeout: 15 s)",
              Seconds(15), &Scribe::m_subscribeTimeout}});
        AddTraceSources<Scribe, TracedCallback<const PastryId&, Ipv4Address>>(
            t, "ns3::Scribe::GroupNodeTracedCallback",
            {{"ParentChanged", "A group's parent changed: (group, parent or 0.0.0.0)",
              &Scribe::m_parentTrace},
             {"Repair",
              "A group's parent went silent; this node subscribes again: (group, the silent "
              "parent)",
              &Scribe::m_repairTrace},
             {"AnycastFailed",
              "An anycast's walk came back to the root with no taker: (group, originator)",
              &Scribe::m_anycastFailedTrace}});
        return t;
    }();
    return tid;
}

Scribe::Scribe()
    : m_rng(CreateObject<UniformRandomVariable>())
{
}

int64_t
Scribe::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

void
Scribe::SetClient(ScribeClient* client)
{
    m_client = client;
}

void
Scribe::SetRelayOnly(bool relayOnly)
{
    m_relayOnly = relayOnly;
}

void
Scribe::SetLocateCallback(Callback<void, const PastryId&, const PastryHandle&> cb)
{
    m_locate = cb;
}

void
Scribe::DoDispose()
{
    Stop();
    m_groups.clear();
    m_pastry = nullptr;
    m_channel = nullptr;
    m_client = nullptr;
    m_locate = Callback<void, const PastryId&, const PastryHandle&>();
    Object::DoDispose();
}

void
Scribe::Start(Ptr<PastryNode> pastry, Ptr<ControlChannel> channel)
{
    m_pastry = pastry;
    m_channel = channel;
    m_pastry->SetApplication(m_appKind, MakeCallback(&Scribe::Deliver, this),
                             MakeCallback(&Scribe::Forward, this));
    auto reg = [&](uint8_t kind, void (Scribe::*handler)(Ipv4Address, Ptr<Packet>)) {
        channel->Register(ControlChannel::MessageType(m_instance, kind),
                          MakeCallback(handler, this));
    };
    reg(kSubscribeAck, &Scribe::HandleSubscribeAck);
    reg(kRefuse, &Scribe::HandleRefuse);
    reg(kHeartbeat, &Scribe::HandleHeartbeat);
    reg(kRenew, &Scribe::HandleRenew);
    reg(kLeave, &Scribe::HandleLeave);
    reg(kMulticast, &Scribe::HandleMulticast);
    reg(kAnycastWalk, &Scribe::HandleAnycastWalk);
    reg(kAnycastResult, &Scribe::HandleAnycastResult);
    reg(kJoinRequest, &Scribe::HandleJoinRequest);
    reg(kLocateReply, &Scribe::HandleLocateReply);
    m_running = true;
    m_tick = Simulator::Schedule(m_interval, &Scribe::Tick, this);
}

void
Scribe::Stop()
{
    m_running = false;
    m_tick.Cancel();
    for (auto& [id, g] : m_groups)
    {
        g.retry.Cancel();
    }
}

Ptr<PastryNode>
Scribe::GetPastry() const
{
    return m_pastry;
}

// ---------------------------------------------------------------- queries

Scribe::Group&
Scribe::GetGroup(const PastryId& group)
{
    return m_groups[group];
}

const Scribe::Group*
Scribe::FindGroup(const PastryId& group) const
{
    auto it = m_groups.find(group);
    return it == m_groups.end() ? nullptr : &it->second;
}

bool
Scribe::IsMember(const PastryId& group) const
{
    const Group* g = FindGroup(group);
    return g && g->member;
}

bool
Scribe::IsInTree(const PastryId& group) const
{
    const Group* g = FindGroup(group);
    return g && (g->root || g->parent || g->joining);
}

bool
Scribe::IsConnected(const PastryId& group) const
{
    const Group* g = FindGroup(group);
    return g && (g->root || g->parent);
}

bool
Scribe::IsRoot(const PastryId& group) const
{
    const Group* g = FindGroup(group);
    return g && g->root;
}

std::optional<PastryHandle>
Scribe::GetParent(const PastryId& group) const
{
    const Group* g = FindGroup(group);
    return g ? g->parent : std::nullopt;
}

bool
Scribe::NoteParentData(const PastryId& group, Ipv4Address from)
{
    auto it = m_groups.find(group);
    if (it == m_groups.end() || !it->second.parent || it->second.parent->address != from)
    {
        return false;
    }
    it->second.lastParentHeard = Simulator::Now();
    return true;
}

std::vector<PastryHandle>
Scribe::GetChildren(const PastryId& group) const
{
    std::vector<PastryHandle> out;
    if (const Group* g = FindGroup(group))
    {
        for (const auto& [a, c] : g->children)
        {
            out.push_back(c.node);
        }
    }
    return out;
}

std::vector<PastryHandle>
Scribe::GetPath(const PastryId& group) const
{
    const Group* g = FindGroup(group);
    return g ? g->path : std::vector<PastryHandle>();
}

uint32_t
Scribe::GetTotalChildren() const
{
    uint32_t n = 0;
    for (const auto& [id, g] : m_groups)
    {
        n += g.children.size();
    }
    return n;
}

std::vector<PastryId>
Scribe::GetGroups() const
{
    std::vector<PastryId> out;
    for (const auto& [id, g] : m_groups)
    {
        out.push_back(id);
    }
    return out;
}

// ---------------------------------------------------------------- sending

ScribeHeader
Scribe::Make(uint8_t type, const PastryId& group) const
{
    ScribeHeader h;
    h.type = type;
    h.group = group;
    h.node = m_pastry->GetHandle();
    return h;
}

void
Scribe::SendDirect(Ipv4Address to, uint8_t kind, const ScribeHeader& h, Ptr<const Packet> payload)
{
    Ptr<Packet> p = payload ? payload->Copy() : Create<Packet>();
    p->AddHeader(h);
    m_channel->Send(to, ControlChannel::MessageType(m_instance, kind), p);
}

bool
Scribe::Parse(Ptr<Packet> p, ScribeHeader& h, Ipv4Address from)
{
    p->RemoveHeader(h);
    if (!h.IsValid())
    {
        ++m_dropped;
        NS_LOG_WARN("malformed Scribe message from " << from << ": " << h.GetError());
        return false;
    }
    return true;
}

// ---------------------------------------------------------------- membership

void
Scribe::Subscribe(const PastryId& group)
{
    Group& g = GetGroup(group);
    g.member = true;
    if (!g.root && !g.parent && !g.joining)
    {
        SendSubscribe(group);
    }
}

void
Scribe::Unsubscribe(const PastryId& group)
{
    if (m_groups.count(group))
    {
        m_groups[group].member = false;
        Prune(group);
    }
}

void
Scribe::SendSubscribe(const PastryId& group)
{
    if (!m_running)
    {
        return;
    }
    Group& g = GetGroup(group);
    g.joining = true;
    ScribeHeader h = Make(kSubscribe, group);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    NS_LOG_LOGIC(m_pastry->GetHandle() << " subscribes to " << group);
    m_pastry->Route(group, m_appKind, p);
    g.retry.Cancel();
    g.retry = Simulator::Schedule(m_subscribeTimeout, &Scribe::SubscribeTimeout, this, group);
}

void
Scribe::SubscribeTimeout(PastryId group)
{
    auto it = m_groups.find(group);
    if (it != m_groups.end() && !it->second.root && !it->second.parent)
    {
        NS_LOG_INFO(m_pastry->GetHandle() << ": no parent yet in " << group << ": again");
        SendSubscribe(group);
    }
}

void
Scribe::Resubscribe(const PastryId& group)
{
    Group& g = GetGroup(group);
    if (g.root)
    {
        return;
    }
    if (g.parent)
    {
        SendDirect(g.parent->address, kLeave, Make(kSubscribe, group));
        SetParent(group, std::nullopt);
    }
    SendSubscribe(group);
}

void
Scribe::RequestParent(const PastryId& group, const PastryHandle& candidate)
{
    Group& g = GetGroup(group);
    g.joining = true;
    SendDirect(candidate.address, kJoinRequest, Make(kSubscribe, group));
    if (!g.retry.IsRunning())
    {
        g.retry = Simulator::Schedule(m_subscribeTimeout, &Scribe::SubscribeTimeout, this, group);
    }
}

void
Scribe::HandleJoin(const PastryId& group, const PastryHandle& child)
{
    Group& g = GetGroup(group);
    ScribeClient& client = m_client ? *m_client : m_defaults;
    const bool known = g.children.count(child.address) > 0;
    if (known || client.AcceptChild(group, child, g.children.size(), m_maxChildren))
    {
        AddChild(group, child);
        return;
    }
    ScribeHeader refuse = Make(kSubscribe, group);
    for (const auto& [a, c] : g.children)
    {
        refuse.handles.push_back(c.node);
    }
    NS_LOG_LOGIC(m_pastry->GetHandle() << " refuses " << child << " in " << group);
    SendDirect(child.address, kRefuse, refuse);
}

void
Scribe::AdoptChild(const PastryId& group, const PastryHandle& child)
{
    AddChild(group, child);
}

void
Scribe::AddChild(const PastryId& group, const PastryHandle& child)
{
    Group& g = GetGroup(group);
    const bool fresh = g.children.count(child.address) == 0;
    g.children[child.address] = Child{child, Simulator::Now()};
    ScribeHeader ack = Make(kSubscribe, group);
    ack.handles = g.path;
    ack.handles.push_back(m_pastry->GetHandle());
    SendDirect(child.address, kSubscribeAck, ack);
    if (fresh)
    {
        NS_LOG_LOGIC(m_pastry->GetHandle() << " adopts " << child << " in " << group);
        ScribeClient& client = m_client ? *m_client : m_defaults;
        client.ChildrenChanged(group);
    }
}

void
Scribe::DropChild(const PastryId& group, Ipv4Address child)
{
    auto it = m_groups.find(group);
    if (it == m_groups.end() || !it->second.children.count(child))
    {
        return;
    }
    it->second.children.erase(child);
    ScribeHeader drop = Make(kSubscribe, group);
    for (const auto& [a, c] : it->second.children)
    {
        drop.handles.push_back(c.node);
    }
    SendDirect(child, kRefuse, drop);
    ScribeClient& client = m_client ? *m_client : m_defaults;
    client.ChildrenChanged(group);
}

void
Scribe::RemoveChild(const PastryId& group, Ipv4Address child)
{
    auto it = m_groups.find(group);
    if (it == m_groups.end() || it->second.children.erase(child) == 0)
    {
        return;
    }
    ScribeClient& client = m_client ? *m_client : m_defaults;
    client.ChildrenChanged(group);
    Prune(group);
}

void
Scribe::SetParent(const PastryId& group, std::optional<PastryHandle> parent)
{
    Group& g = GetGroup(group);
    g.parent = parent;
    if (parent)
    {
        g.joining = false;
        g.retry.Cancel();
        g.lastParentHeard = Simulator::Now();
        g.lastRenew = Simulator::Now();
    }
    else
    {
        g.path.clear();
    }
    m_parentTrace(group, parent ? parent->address : Ipv4Address());
    ScribeClient& client = m_client ? *m_client : m_defaults;
    client.ParentChanged(group, parent);
}

void
Scribe::Prune(const PastryId& group)
{
    auto it = m_groups.find(group);
    if (it == m_groups.end())
    {
        return;
    }
    Group& g = it->second;
    if (g.member || !g.children.empty())
    {
        return;
    }
    if (g.parent)
    {
        SendDirect(g.parent->address, kLeave, Make(kSubscribe, group));
    }
    g.retry.Cancel();
    m_groups.erase(it);
}

void
Scribe::BecomeRoot(const PastryId& group)
{
    Group& g = GetGroup(group);
    if (g.root)
    {
        return;
    }
    NS_LOG_INFO(m_pastry->GetHandle() << " is the root of " << group);
    if (g.parent)
    {
        SendDirect(g.parent->address, kLeave, Make(kSubscribe, group));
        SetParent(group, std::nullopt);
    }
    g.root = true;
    g.joining = false;
    g.retry.Cancel();
    g.path.clear();
}

void
Scribe::Orphan(const PastryId& group, const std::vector<PastryHandle>& siblings)
{
    Group& g = GetGroup(group);
    if (g.root)
    {
        return;
    }
    g.joining = true;
    if (!g.retry.IsRunning())
    {
        g.retry = Simulator::Schedule(m_subscribeTimeout, &Scribe::SubscribeTimeout, this, group);
    }
    ScribeClient& client = m_client ? *m_client : m_defaults;
    if (client.Orphaned(group, siblings))
    {
        return;
    }
    std::vector<PastryHandle> candidates;
    for (const auto& s : siblings)
    {
        if (s.address != m_pastry->GetHandle().address && !g.children.count(s.address))
        {
            candidates.push_back(s);
        }
    }
    if (!candidates.empty())
    {
        const auto& pick = candidates[m_rng->GetInteger(0, candidates.size() - 1)];
        RequestParent(group, pick);
    }
    // else: the subscription's timer routes a new one
}

// ---------------------------------------------------------------- routed messages

bool
Scribe::Forward(const PastryRouteHeader& route, Ptr<Packet> p, const PastryHandle& next)
{
    if (!m_running)
    {
        return false;
    }
    ScribeHeader h;
    p->PeekHeader(h);
    if (!h.IsValid())
    {
        ++m_dropped;
        return false;
    }
    const PastryHandle self = m_pastry->GetHandle();
    if (h.type == kSubscribe)
    {
        if (h.node.address == self.address)
        {
            return true;
        }
        auto it = m_groups.find(h.group);
        if (it != m_groups.end() && IsInTree(h.group))
        {
            const auto& path = it->second.path;
            const bool loop = std::any_of(path.begin(), path.end(), [&](const PastryHandle& a) {
                return a.address == h.node.address;
            });
            if (loop)
            {
                return true; // the subscriber is an ancestor of this node: a loop; go on
            }
            HandleJoin(h.group, h.node);
            return false;
        }
        if (m_relayOnly)
        {
            return true;
        }
        // Not in the tree yet: adopt the subscriber and graft this node onto the tree.
        HandleJoin(h.group, h.node);
        if (m_groups.count(h.group) && m_groups[h.group].children.count(h.node.address))
        {
            SendSubscribe(h.group);
        }
        else
        {
            Prune(h.group);
        }
        return false;
    }
    if (h.type == kAnycast && IsConnected(h.group))
    {
        p->RemoveHeader(h);
        Walk(h, p);
        return false;
    }
    return true;
}

void
Scribe::Deliver(const PastryRouteHeader& route, Ptr<Packet> p)
{
    ScribeHeader h;
    if (!m_running || !Parse(p, h, route.origin.address))
    {
        return;
    }
    const PastryHandle self = m_pastry->GetHandle();
    switch (h.type)
    {
        case kSubscribe:
            BecomeRoot(h.group);
            if (h.node.address != self.address)
            {
                HandleJoin(h.group, h.node);
            }
            break;
        case kAnycast:
            if (IsConnected(h.group))
            {
                Walk(h, p);
            }
            else
            {
                ScribeHeader result = Make(kAnycast, h.group);
                result.seq = h.seq;
                m_anycastFailedTrace(h.group, h.node.address);
                if (h.node.address == self.address)
                {
                    ScribeClient& client = m_client ? *m_client : m_defaults;
                    client.AnycastResult(h.group, false, self, p);
                }
                else
                {
                    SendDirect(h.node.address, kAnycastResult, result, p);
                }
            }
            break;
        case kPublish:
            if (IsRoot(h.group))
            {
                Multicast(h.group, p);
            }
            break;
        case kLocate:
        {
            if (h.node.address == self.address)
            {
                if (!m_locate.IsNull())
                {
                    m_locate(h.group, self);
                }
                break;
            }
            ScribeHeader reply = Make(kLocate, h.group);
            SendDirect(h.node.address, kLocateReply, reply);
            break;
        }
        default:
            ++m_dropped;
    }
}

// ---------------------------------------------------------------- direct messages

void
Scribe::HandleSubscribeAck(Ipv4Address from, Ptr<Packet> p)
{
    ScribeHeader h;
    if (!m_running || !Parse(p, h, from))
    {
        return;
    }
    Group& g = GetGroup(h.group);
    const bool loop
        = g.children.count(from) > 0
          || std::any_of(h.handles.begin(), h.handles.end(), [&](const PastryHandle& a) {
                 return a.address == m_pastry->GetHandle().address;
             });
    if (g.root || loop || (g.parent && g.parent->address == from))
    {
        if (g.parent && g.parent->address == from)
        {
            g.path = h.handles; // from the root to the parent
            g.lastParentHeard = Simulator::Now();
            return;
        }
        SendDirect(from, kLeave, Make(kSubscribe, h.group)); // not wanted: a root, or a loop
        return;
    }
    if (g.parent)
    {
        SendDirect(g.parent->address, kLeave, Make(kSubscribe, h.group));
    }
    SetParent(h.group, h.node);
    g.path = h.handles; // from the root to the parent, which ends it
    PushPath(h.group);
}

void
Scribe::PushPath(const PastryId& group)
{
    auto it = m_groups.find(group);
    if (it == m_groups.end())
    {
        return;
    }
    ScribeHeader hb = Make(kSubscribe, group);
    hb.handles = it->second.path;
    if (hb.handles.size() >= ScribeHeader::kMaxHandles)
    {
        hb.handles.erase(hb.handles.begin());
    }
    hb.handles.push_back(m_pastry->GetHandle());
    for (const auto& [a, c] : it->second.children)
    {
        SendDirect(a, kHeartbeat, hb);
    }
}

void
Scribe::HandleRefuse(Ipv4Address from, Ptr<Packet> p)
{
    ScribeHeader h;
    if (!m_running || !Parse(p, h, from))
    {
        return;
    }
    auto it = m_groups.find(h.group);
    if (it == m_groups.end())
    {
        return;
    }
    if (it->second.parent && it->second.parent->address == from)
    {
        SetParent(h.group, std::nullopt);
    }
    else if (it->second.parent)
    {
        return; // a stale refusal: this node has a parent
    }
    Orphan(h.group, h.handles);
}

void
Scribe::HandleJoinRequest(Ipv4Address from, Ptr<Packet> p)
{
    ScribeHeader h;
    if (!m_running || !Parse(p, h, from))
    {
        return;
    }
    const Group* g = FindGroup(h.group);
    const bool loop = g && std::any_of(g->path.begin(), g->path.end(), [&](const PastryHandle& a) {
                          return a.address == h.node.address;
                      });
    if (!IsInTree(h.group) || loop)
    {
        ScribeHeader refuse = Make(kSubscribe, h.group);
        SendDirect(from, kRefuse, refuse);
        return;
    }
    HandleJoin(h.group, h.node);
}

void
Scribe::SendHeartbeat(Ipv4Address to, ScribeHeader h)
{
    if (m_running)
    {
        SendDirect(to, kHeartbeat, h);
    }
}

void
Scribe::HandleHeartbeat(Ipv4Address from, Ptr<Packet> p)
{
    ScribeHeader h;
    if (!m_running || !Parse(p, h, from))
    {
        return;
    }
    auto it = m_groups.find(h.group);
    if (it != m_groups.end() && it->second.parent && it->second.parent->address == from)
    {
        const Ipv4Address self = m_pastry->GetHandle().address;
        if (std::any_of(h.handles.begin(), h.handles.end(), [&](const PastryHandle& a) {
                return a.address == self;
            }))
        {
            // This node is on its own path from the root: the tree has a loop (adoptions
            // crossed before the paths had spread). Leave it and subscribe again.
            NS_LOG_INFO(m_pastry->GetHandle() << ": a loop above it in " << h.group);
            Resubscribe(h.group);
            return;
        }
        it->second.lastParentHeard = Simulator::Now();
        const std::vector<PastryHandle>& path = h.handles; // the root .. the parent
        if (path != it->second.path)
        {
            it->second.path = path;
            PushPath(h.group); // at once: a loop shows within a round trip around it
        }
        return;
    }
    SendDirect(from, kLeave, Make(kSubscribe, h.group)); // it takes this node for a child
}

void
Scribe::HandleRenew(Ipv4Address from, Ptr<Packet> p)
{
    ScribeHeader h;
    if (!m_running || !Parse(p, h, from))
    {
        return;
    }
    auto it = m_groups.find(h.group);
    if (it != m_groups.end())
    {
        auto c = it->second.children.find(from);
        if (c != it->second.children.end())
        {
            c->second.lastHeard = Simulator::Now();
            return;
        }
    }
    // It takes this node for its parent, this node does not know it: it must find another.
    SendDirect(from, kRefuse, Make(kSubscribe, h.group));
}

void
Scribe::HandleLeave(Ipv4Address from, Ptr<Packet> p)
{
    ScribeHeader h;
    if (!m_running || !Parse(p, h, from))
    {
        return;
    }
    RemoveChild(h.group, from);
}

// ---------------------------------------------------------------- multicast

void
Scribe::Publish(const PastryId& group, Ptr<const Packet> payload)
{
    ScribeHeader h = Make(kPublish, group);
    Ptr<Packet> p = payload->Copy();
    p->AddHeader(h);
    m_pastry->Route(group, m_appKind, p);
}

void
Scribe::Multicast(const PastryId& group, Ptr<const Packet> payload)
{
    auto it = m_groups.find(group);
    if (it == m_groups.end())
    {
        return;
    }
    if (it->second.member)
    {
        ScribeClient& client = m_client ? *m_client : m_defaults;
        client.DeliverMulticast(group, payload);
    }
    ScribeHeader h = Make(kPublish, group);
    for (const auto& [a, c] : it->second.children)
    {
        SendDirect(a, kMulticast, h, payload);
    }
}

void
Scribe::HandleMulticast(Ipv4Address from, Ptr<Packet> p)
{
    ScribeHeader h;
    if (!m_running || !Parse(p, h, from))
    {
        return;
    }
    auto it = m_groups.find(h.group);
    if (it == m_groups.end() || !it->second.parent || it->second.parent->address != from)
    {
        ++m_dropped; // not from this node's parent: a stale tree edge
        return;
    }
    Multicast(h.group, p);
}

void
Scribe::LocateRoot(const PastryId& group)
{
    ScribeHeader h = Make(kLocate, group);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    m_pastry->Route(group, m_appKind, p);
}

void
Scribe::HandleLocateReply(Ipv4Address from, Ptr<Packet> p)
{
    ScribeHeader h;
    if (!m_running || !Parse(p, h, from))
    {
        return;
    }
    if (!m_locate.IsNull())
    {
        m_locate(h.group, h.node);
    }
}

// ---------------------------------------------------------------- anycast

void
Scribe::Anycast(const PastryId& group, Ptr<const Packet> payload)
{
    ScribeHeader h = Make(kAnycast, group);
    h.seq = m_nextAnycast++;
    // A node still joining (no parent yet) would find nothing below or above itself: its
    // anycast is routed to the tree instead.
    if (IsConnected(group))
    {
        Walk(h, payload->Copy());
        return;
    }
    Ptr<Packet> p = payload->Copy();
    p->AddHeader(h);
    m_pastry->Route(group, m_appKind, p);
}

void
Scribe::Walk(ScribeHeader h, Ptr<Packet> payload)
{
    const PastryHandle self = m_pastry->GetHandle();
    auto visited = [&](Ipv4Address a) {
        return std::any_of(h.handles.begin(), h.handles.end(), [&](const PastryHandle& v) {
            return v.address == a;
        });
    };
    if (!visited(self.address))
    {
        if (h.handles.size() >= ScribeHeader::kMaxHandles)
        {
            h.handles.clear(); // cannot list more: end the walk below as failed
        }
        else
        {
            h.handles.push_back(self);
            ScribeClient& client = m_client ? *m_client : m_defaults;
            if (h.node.address != self.address && client.AcceptAnycast(h.group, h.node, payload))
            {
                ScribeHeader result = Make(kAnycast, h.group);
                result.seq = h.seq;
                result.flags = ScribeHeader::kFlagSuccess;
                SendDirect(h.node.address, kAnycastResult, result, payload);
                return;
            }
        }
    }
    auto it = m_groups.find(h.group);
    if (it != m_groups.end() && !h.handles.empty())
    {
        std::vector<Ipv4Address> next;
        for (const auto& [a, c] : it->second.children)
        {
            if (!visited(a))
            {
                next.push_back(a);
            }
        }
        if (!next.empty())
        {
            SendDirect(next[m_rng->GetInteger(0, next.size() - 1)], kAnycastWalk, h, payload);
            return;
        }
        if (it->second.parent)
        {
            SendDirect(it->second.parent->address, kAnycastWalk, h, payload);
            return;
        }
    }
    // Cut off from the root (left the tree, or joining without a parent) before the walk
    // reached it: send the walk, with its visited list, towards the group id once, where it
    // meets the tree again.
    const bool atRoot = it != m_groups.end() && it->second.root;
    if (!atRoot && !h.handles.empty() && !(h.flags & ScribeHeader::kFlagRerouted))
    {
        h.flags |= ScribeHeader::kFlagRerouted;
        NS_LOG_LOGIC(self << ": anycast " << h.seq << " of " << h.node
                          << " cut off from the root: routed towards " << h.group);
        Ptr<Packet> p = payload->Copy();
        p->AddHeader(h);
        m_pastry->Route(h.group, m_appKind, p);
        return;
    }
    // Back at the root (or cut off from it twice) with every node below visited: nobody
    // takes it.
    NS_LOG_INFO(self << ": anycast " << h.seq << " of " << h.node << " in " << h.group
                     << " found no taker after " << h.handles.size() << " nodes ("
                     << (it == m_groups.end() ? "walk reached a node not in the tree"
                         : h.handles.empty()  ? "visited list full"
                                              : "every node visited")
                     << ")");
    m_anycastFailedTrace(h.group, h.node.address);
    ScribeHeader result = Make(kAnycast, h.group);
    result.seq = h.seq;
    if (h.node.address == self.address)
    {
        ScribeClient& client = m_client ? *m_client : m_defaults;
        client.AnycastResult(h.group, false, self, payload);
        return;
    }
    SendDirect(h.node.address, kAnycastResult, result, payload);
}

void
Scribe::HandleAnycastWalk(Ipv4Address from, Ptr<Packet> p)
{
    ScribeHeader h;
    if (!m_running || !Parse(p, h, from))
    {
        return;
    }
    Walk(h, p);
}

void
Scribe::HandleAnycastResult(Ipv4Address from, Ptr<Packet> p)
{
    ScribeHeader h;
    if (!m_running || !Parse(p, h, from))
    {
        return;
    }
    ScribeClient& client = m_client ? *m_client : m_defaults;
    client.AnycastResult(h.group, (h.flags & ScribeHeader::kFlagSuccess) != 0, h.node, p);
}

// ---------------------------------------------------------------- maintenance

void
Scribe::Tick()
{
    if (!m_running)
    {
        return;
    }
    const Time now = Simulator::Now();
    NS_LOG_DEBUG(m_pastry->GetHandle() << ": tick, " << m_groups.size() << " groups");
    std::vector<PastryId> ids = GetGroups();
    for (const auto& id : ids)
    {
        auto it = m_groups.find(id);
        if (it == m_groups.end())
        {
            continue;
        }
        Group& g = it->second;
        if (g.root && m_pastry->IsJoined() && !m_pastry->GetState().IsRoot(id))
        {
            // A node nearer the group id joined: it is the root now; hang below it.
            NS_LOG_INFO(m_pastry->GetHandle() << " is no longer the root of " << id);
            g.root = false;
            if (m_relayOnly && !g.member)
            {
                // A relay-only node forwards for nobody but as a root: its children find
                // new parents (they are told their siblings), and it leaves the tree.
                std::vector<Ipv4Address> children;
                for (const auto& [a, c] : g.children)
                {
                    children.push_back(a);
                }
                for (const auto& a : children)
                {
                    DropChild(id, a);
                }
                g.retry.Cancel();
                m_groups.erase(id);
                continue;
            }
            SendSubscribe(id);
        }
        std::vector<Ipv4Address> silent;
        ScribeHeader hb = Make(kSubscribe, id);
        hb.handles = g.path;
        if (hb.handles.size() >= ScribeHeader::kMaxHandles)
        {
            hb.handles.erase(hb.handles.begin()); // a loop's ever longer path: keep it bounded
        }
        hb.handles.push_back(m_pastry->GetHandle());
        for (const auto& [a, c] : g.children)
        {
            if (now - c.lastHeard > m_interval * double(m_dropChildTicks))
            {
                silent.push_back(a);
            }
            else
            {
                // Spread over the first half of the interval (short router queues).
                Simulator::Schedule(m_interval * (0.5 * m_rng->GetValue()), &Scribe::SendHeartbeat,
                                    this, a, hb);
            }
        }
        for (const auto& a : silent)
        {
            // Told, with its siblings, as a pushed-down child is: a child that is alive but
            // whose renewals wait behind data on its uplink (a TCP connection backing off for
            // tens of seconds) finds a new parent at once instead of after its heartbeat
            // timeout.
            NS_LOG_INFO(m_pastry->GetHandle() << " drops silent child " << a << " in " << id);
            DropChild(id, a);
        }
        if (!silent.empty())
        {
            Prune(id);
        }
        it = m_groups.find(id);
        if (it == m_groups.end())
        {
            continue;
        }
        Group& h = it->second;
        if (h.parent)
        {
            if (now - h.lastParentHeard > m_interval * double(m_missRepair))
            {
                const PastryHandle failed = *h.parent;
                NS_LOG_INFO(m_pastry->GetHandle()
                            << ": parent " << failed << " in " << id << " silent: repairing");
                m_repairTrace(id, failed.address);
                SetParent(id, std::nullopt);
                m_pastry->ReportFailed(failed.address);
                SendSubscribe(id);
            }
            else if (now - h.lastRenew >= m_interval * double(m_renewTicks))
            {
                h.lastRenew = now;
                SendDirect(h.parent->address, kRenew, Make(kSubscribe, id));
            }
        }
    }
    m_tick = Simulator::Schedule(m_interval, &Scribe::Tick, this);
}

} // namespace ns3
