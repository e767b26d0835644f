/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "random-tree.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RandomTree");

NS_OBJECT_ENSURE_REGISTERED(TreeHeader);
NS_OBJECT_ENSURE_REGISTERED(RandomTree);

TypeId
TreeHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::TreeHeader")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<TreeHeader>();
    return tid;
}

TypeId
TreeHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
TreeHeader::GetSerializedSize() const
{
    return 4;
}

void
TreeHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteHtonU32(joiner.Get());
}

void
TreeHeader::Print(std::ostream& os) const
{
    os << "joiner=" << joiner;
}

void
TreeHeader::DoDeserialize(WireReader& reader)
{
    joiner = Ipv4Address(reader.ReadNtohU32());
}

TypeId
RandomTree::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::RandomTree")
              .SetParent<OverlayTree>()
              .SetGroupName("Bullet")
              .AddConstructor<RandomTree>()
              .AddAttribute("Instance",
                            "Which tree this is, when a node is in several over one control "
                            "channel: messages are typed ControlChannel::MessageType(Instance, "
                            "kind); the same on every node of the tree",
                            UintegerValue(0), MakeUintegerAccessor(&RandomTree::m_instance),
                            MakeUintegerChecker<uint8_t>(0, 255))
              .AddAttribute("MaxChildren",
                            "Fan-out limit: more joins are forwarded to a random child",
                            UintegerValue(12), MakeUintegerAccessor(&RandomTree::m_maxChildren),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("HeartbeatInterval", "Period of parent/child heartbeats",
                            TimeValue(Seconds(1)), MakeTimeAccessor(&RandomTree::m_heartbeat),
                            MakeTimeChecker(MilliSeconds(1)))
              .AddAttribute("ChildTimeout", "A child silent this long is dropped",
                            TimeValue(Seconds(5)), MakeTimeAccessor(&RandomTree::m_childTimeout),
                            MakeTimeChecker())
              .AddAttribute("ParentTimeout",
                            "A parent silent this long is considered failed: rejoin",
                            TimeValue(Seconds(5)), MakeTimeAccessor(&RandomTree::m_parentTimeout),
                            MakeTimeChecker())
              .AddAttribute("JoinTimeout", "A join unanswered this long is sent again",
                            TimeValue(Seconds(5)), MakeTimeAccessor(&RandomTree::m_joinTimeout),
                            MakeTimeChecker(MilliSeconds(1)))
              .AddAttribute("Recovery", "Drop silent children and rejoin when the parent is silent",
                            BooleanValue(true), MakeBooleanAccessor(&RandomTree::m_recovery),
                            MakeBooleanChecker())
              .AddAttribute("FailOnPeerDown",
                            "With Recovery: a parent or child whose control connection the "
                            "channel reports failed (TCP gave up, or was reset) is taken as "
                            "failed at once, without waiting for its heartbeat timeout",
                            BooleanValue(false), MakeBooleanAccessor(&RandomTree::m_failOnPeerDown),
                            MakeBooleanChecker())
              .AddTraceSource("ParentLost",
                              "The node lost its parent and rejoins: (parent, why: silent, "
                              "connection or leave)",
                              MakeTraceSourceAccessor(&RandomTree::m_parentLostTrace),
                              "ns3::RandomTree::ParentLostTracedCallback")
              .AddTraceSource("Joined", "The node was accepted under a parent",
                              MakeTraceSourceAccessor(&RandomTree::m_joinedTrace),
                              "ns3::RandomTree::JoinedTracedCallback");
    return tid;
}

RandomTree::RandomTree()
    : m_rng(CreateObject<UniformRandomVariable>())
{
}

void
RandomTree::SetBootstrap(Ipv4Address bootstrap)
{
    m_bootstrap = bootstrap;
}

int64_t
RandomTree::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

void
RandomTree::Start(Ptr<ControlChannel> channel)
{
    m_channel = channel;
    m_self = channel->GetLocalAddress();
    m_running = true;
    channel->Register(ControlChannel::MessageType(m_instance, kJoin),
                      MakeCallback(&RandomTree::HandleJoin, this));
    channel->Register(ControlChannel::MessageType(m_instance, kAccept),
                      MakeCallback(&RandomTree::HandleAccept, this));
    channel->Register(ControlChannel::MessageType(m_instance, kHeartbeatToChild),
                      MakeCallback(&RandomTree::HandleHeartbeatToChild, this));
    channel->Register(ControlChannel::MessageType(m_instance, kHeartbeatToParent),
                      MakeCallback(&RandomTree::HandleHeartbeatToParent, this));
    channel->Register(ControlChannel::MessageType(m_instance, kLeave),
                      MakeCallback(&RandomTree::HandleLeave, this));
    if (m_failOnPeerDown)
    {
        channel->TraceConnectWithoutContext("PeerDown",
                                            MakeCallback(&RandomTree::HandlePeerDown, this));
    }
    SetRoot(m_self == m_bootstrap);
    if (!IsRoot())
    {
        SendJoin();
    }
    m_heartbeatTimer = Simulator::Schedule(m_heartbeat, &RandomTree::Heartbeat, this);
}

void
RandomTree::Stop()
{
    if (!m_running)
    {
        return;
    }
    if (HasParent())
    {
        Send(GetParent(), kLeave);
    }
    for (const auto& c : GetChildren())
    {
        Send(c, kLeave);
    }
    m_running = false;
    m_joinTimer.Cancel();
    m_heartbeatTimer.Cancel();
}

void
RandomTree::DoDispose()
{
    m_joinTimer.Cancel();
    m_heartbeatTimer.Cancel();
    m_channel = nullptr;
    OverlayTree::DoDispose();
}

void
RandomTree::Send(Ipv4Address to, uint8_t kind, Ipv4Address joiner)
{
    TreeHeader h;
    h.joiner = joiner;
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    m_channel->Send(to, ControlChannel::MessageType(m_instance, kind), p);
}

void
RandomTree::SendJoin()
{
    m_joining = true;
    NS_LOG_INFO(m_self << " joins via " << m_bootstrap);
    Send(m_bootstrap, kJoin, m_self);
    m_joinTimer = Simulator::Schedule(m_joinTimeout, &RandomTree::RetryJoin, this);
}

void
RandomTree::RetryJoin()
{
    // Over a connection-oriented channel, the bootstrap's answers may be what is lost: one
    // direction of our connection to it can stop delivering (its segments lost until the
    // bootstrap's TCP gave up) while ours still arrive and are acknowledged, and every
    // retry on it would go unanswered for good. So the retry dials afresh.
    m_channel->Reset(m_bootstrap);
    SendJoin();
}

void
RandomTree::Heartbeat()
{
    Time now = Simulator::Now();
    if (HasParent())
    {
        if (m_recovery && now - m_lastHeardParent > m_parentTimeout)
        {
            NS_LOG_INFO(m_self << ": parent " << GetParent() << " silent, rejoining");
            LoseParent("silent");
        }
        else
        {
            Send(GetParent(), kHeartbeatToParent);
        }
    }
    std::vector<Ipv4Address> children = GetChildren();
    for (const auto& c : children)
    {
        if (m_recovery && now - m_lastHeardChild[c] > m_childTimeout)
        {
            NS_LOG_INFO(m_self << ": child " << c << " silent, dropped");
            RemoveChild(c);
            m_lastHeardChild.erase(c);
        }
        else
        {
            Send(c, kHeartbeatToChild);
        }
    }
    m_heartbeatTimer = Simulator::Schedule(m_heartbeat, &RandomTree::Heartbeat, this);
}

void
RandomTree::HandleJoin(Ipv4Address from, Ptr<Packet> p)
{
    TreeHeader h;
    p->RemoveHeader(h);
    if (!h.IsValid() || !m_running || h.joiner == m_self)
    {
        return;
    }
    // Only a node attached to the root may take children, so an orphan never adopts.
    if (!IsRoot() && !HasParent())
    {
        Send(m_bootstrap, kJoin, h.joiner);
        return;
    }
    if (IsChild(h.joiner) || GetChildren().size() < m_maxChildren)
    {
        AddChild(h.joiner);
        m_lastHeardChild[h.joiner] = Simulator::Now();
        Send(h.joiner, kAccept);
        return;
    }
    // Full: forward to a random child other than the joiner (who may still be listed here).
    std::vector<Ipv4Address> candidates;
    for (const auto& c : GetChildren())
    {
        if (c != h.joiner)
        {
            candidates.push_back(c);
        }
    }
    Ipv4Address next = candidates[m_rng->GetInteger(0, candidates.size() - 1)];
    Send(next, kJoin, h.joiner);
}

void
RandomTree::HandleAccept(Ipv4Address from, Ptr<Packet> p)
{
    if (!m_running)
    {
        return;
    }
    if (IsChild(from))
    {
        return; // our join looped into our own subtree: wait and retry
    }
    if (!m_joining)
    {
        Send(from, kLeave); // a late duplicate accept: decline it
        return;
    }
    m_joining = false;
    m_joinTimer.Cancel();
    if (HasParent() && GetParent() != from)
    {
        Send(GetParent(), kLeave);
    }
    m_lastHeardParent = Simulator::Now();
    SetParent(from);
    NS_LOG_INFO(m_self << " joined under " << from);
    m_joinedTrace(from);
}

void
RandomTree::LoseParent(const std::string& why)
{
    const Ipv4Address parent = GetParent();
    ClearParent();
    m_parentLostTrace(parent, why);
    SendJoin();
}

void
RandomTree::HandlePeerDown(Ipv4Address peer)
{
    if (!m_running || !m_recovery)
    {
        return;
    }
    // A reset of our own (a join retry's fresh connection to the bootstrap node) is reported
    // too: a joining node has no parent to lose.
    if (HasParent() && GetParent() == peer && !m_joining)
    {
        NS_LOG_INFO(m_self << ": connection to parent " << peer << " failed, rejoining");
        LoseParent("connection");
    }
    if (IsChild(peer))
    {
        NS_LOG_INFO(m_self << ": connection to child " << peer << " failed, dropped");
        RemoveChild(peer);
        m_lastHeardChild.erase(peer);
    }
}

void
RandomTree::HandleHeartbeatToChild(Ipv4Address from, Ptr<Packet> p)
{
    if (HasParent() && GetParent() == from)
    {
        m_lastHeardParent = Simulator::Now();
    }
    else if (m_running)
    {
        Send(from, kLeave); // a parent we no longer have
    }
}

void
RandomTree::HandleHeartbeatToParent(Ipv4Address from, Ptr<Packet> p)
{
    if (IsChild(from))
    {
        m_lastHeardChild[from] = Simulator::Now();
    }
    else if (m_running)
    {
        Send(from, kLeave); // a child we dropped: it must rejoin
    }
}

void
RandomTree::HandleLeave(Ipv4Address from, Ptr<Packet> p)
{
    if (IsChild(from))
    {
        RemoveChild(from);
        m_lastHeardChild.erase(from);
    }
    if (HasParent() && GetParent() == from && m_running)
    {
        if (m_recovery)
        {
            LoseParent("leave");
        }
        else
        {
            ClearParent();
            m_parentLostTrace(from, "leave");
        }
    }
}

} // namespace ns3
