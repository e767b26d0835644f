/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_RANDOM_TREE_H
#define BULLET_RANDOM_TREE_H

#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/overlay-tree.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <map>
#include <string>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief The tree messages of RandomTree: a type and, for joins, the joining node.
 */
class TreeHeader : public CheckedHeader
{
  public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    Ipv4Address joiner; ///< JOIN only: the node that wants a parent

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

  protected:
    void DoDeserialize(WireReader& reader) override;
};

/**
 * \ingroup bullet
 * \brief The online random tree of the Bullet papers' experiments (as MACEDON's RandTree).
 *
 * A joining node sends JOIN to the bootstrap node (the source, which is the root). A node
 * accepts a join while it has fewer than MaxChildren children, otherwise forwards it to a
 * random child, so the tree grows randomly downwards. Parents and children exchange
 * heartbeats; a child silent for ChildTimeout is dropped, and a node whose parent is silent
 * for ParentTimeout rejoins through the bootstrap node, bringing its subtree with it. With
 * FailOnPeerDown, a connection-oriented channel's report that the connection to the parent
 * (or a child) failed counts as that node's failure at once, as MACEDON's RandTree relies on
 * transport errors: then the heartbeat timeouts can be long enough to ride out a congested
 * uplink (TCP's back-off holds control messages for seconds) without mistaking it for a
 * failure. With Recovery off the tree never repairs itself (the 2003 paper's worst case,
 * Section 4.6).
 *
 * Its messages are kinds kJoin..kLeave sent as ControlChannel::MessageType(Instance, kind),
 * so a node can be in several trees over one channel, one RandomTree per tree, each with its
 * own Instance (the same on every node of that tree).
 */
class RandomTree : public OverlayTree
{
  public:
    /// Message kinds; the wire type is ControlChannel::MessageType(Instance, kind).
    static constexpr uint8_t kJoin = 10;
    static constexpr uint8_t kAccept = 11;
    static constexpr uint8_t kHeartbeatToChild = 12;
    static constexpr uint8_t kHeartbeatToParent = 13;
    static constexpr uint8_t kLeave = 14;

    static TypeId GetTypeId();
    RandomTree();

    /// The node joins go to; the node whose address this is becomes the root.
    void SetBootstrap(Ipv4Address bootstrap);

    void Start(Ptr<ControlChannel> channel) override;
    /// Leaves gracefully: tells parent and children.
    void Stop() override;

    int64_t AssignStreams(int64_t stream);

    /// (the parent lost, why: "silent" (ParentTimeout), "connection" (the channel reported it
    /// down) or "leave" (it said so))
    using ParentLostTracedCallback = void (*)(Ipv4Address parent, const std::string& why);
    /// (the new parent)
    using JoinedTracedCallback = void (*)(Ipv4Address parent);

  protected:
    void DoDispose() override;

  private:
    void SendJoin();
    /// The join timer: the last join went unanswered; send it again on a fresh connection.
    void RetryJoin();
    void Heartbeat();
    void HandleJoin(Ipv4Address from, Ptr<Packet> p);
    void HandleAccept(Ipv4Address from, Ptr<Packet> p);
    void HandleHeartbeatToChild(Ipv4Address from, Ptr<Packet> p);
    void HandleHeartbeatToParent(Ipv4Address from, Ptr<Packet> p);
    void HandleLeave(Ipv4Address from, Ptr<Packet> p);
    /// The control channel lost its connection to \p peer.
    void HandlePeerDown(Ipv4Address peer);
    /// The parent is gone (\p why, for the trace): rejoin through the bootstrap node.
    void LoseParent(const std::string& why);
    /// Sends message \p kind of this tree's instance.
    void Send(Ipv4Address to, uint8_t kind, Ipv4Address joiner = Ipv4Address());

    uint8_t m_instance;
    uint32_t m_maxChildren;
    Time m_heartbeat;
    Time m_childTimeout;
    Time m_parentTimeout;
    Time m_joinTimeout;
    bool m_recovery;
    bool m_failOnPeerDown;

    Ipv4Address m_bootstrap;
    Ipv4Address m_self;
    Ptr<ControlChannel> m_channel;
    Ptr<UniformRandomVariable> m_rng;
    std::map<Ipv4Address, Time> m_lastHeardChild;
    Time m_lastHeardParent;
    bool m_joining{false};
    bool m_running{false};
    EventId m_joinTimer;
    EventId m_heartbeatTimer;
    TracedCallback<Ipv4Address, const std::string&> m_parentLostTrace;
    TracedCallback<Ipv4Address> m_joinedTrace;
};

} // namespace ns3

#endif // BULLET_RANDOM_TREE_H
