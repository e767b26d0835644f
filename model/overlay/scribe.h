/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_SCRIBE_H
#define BULLET_SCRIBE_H

#include "ns3/control-channel.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/pastry-node.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <map>
#include <optional>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Every Scribe message: a group, a node (subscriber, originator, parent or acceptor, by
 * message), a number, flags and a list of nodes (an anycast's visited nodes, an orphan's
 * siblings, a heartbeat's path from the root). An application's payload may follow.
 */
class ScribeHeader : public CheckedHeader
{
  public:
    /// Nodes a message may list.
    static constexpr uint16_t kMaxHandles = 1024;
    /// Anycast result: a node took it.
    static constexpr uint8_t kFlagSuccess = 0x01;
    /// Anycast walk: a node cut off from the tree already sent it back towards the group id
    /// once (a second cut-off node ends it as failed).
    static constexpr uint8_t kFlagRerouted = 0x02;

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    uint8_t type{0};                   ///< routed messages: what it is (Scribe::kSubscribe...)
    PastryId group;                    ///< the group (a Pastry key)
    PastryHandle node;                 ///< the node the message is about
    uint32_t seq{0};                   ///< an anycast's number
    uint8_t flags{0};                  ///< kFlag* bits
    std::vector<PastryHandle> handles; ///< visited nodes, siblings or the path from the root

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

  protected:
    void DoDeserialize(WireReader& reader) override;
};

/**
 * \ingroup bullet
 * \brief What an application over Scribe decides and hears. Every method has a default, so
 * a client overrides only what it needs.
 */
class ScribeClient
{
  public:
    virtual ~ScribeClient() = default;
    /**
     * \brief \p child asks to join \p group's tree under this node. Default: accept while
     * this node has fewer than \p maxChildren children in the group.
     * \param children the group's children now
     * \param maxChildren Scribe's MaxChildren
     */
    virtual bool AcceptChild(const PastryId& group, const PastryHandle& child, uint32_t children,
                             uint32_t maxChildren);
    /// A multicast of a group this node subscribes to.
    virtual void DeliverMulticast(const PastryId& group, Ptr<const Packet> payload);
    /**
     * \brief An anycast of \p group from \p originator reached this node: return true to take
     * it (the originator is told). Default: false.
     */
    virtual bool AcceptAnycast(const PastryId& group, const PastryHandle& originator,
                               Ptr<const Packet> payload);
    /// This node's anycast of \p payload came back: taken by \p acceptor, or (\p success
    /// false) by none.
    virtual void AnycastResult(const PastryId& group, bool success, const PastryHandle& acceptor,
                               Ptr<const Packet> payload);
    /**
     * \brief This node was refused by, or dropped from, its parent in \p group; \p siblings
     * are that node's children. Return true if the client finds a parent itself (e.g.
     * SplitStream); false lets Scribe try the siblings, then route a new subscription.
     */
    virtual bool Orphaned(const PastryId& group, const std::vector<PastryHandle>& siblings);
    /// The group's parent changed (to none while it rejoins).
    virtual void ParentChanged(const PastryId& group, std::optional<PastryHandle> parent);
    /// The group's children changed.
    virtual void ChildrenChanged(const PastryId& group);
};

/**
 * \ingroup bullet
 * \brief Scribe (Castro et al., JSAC 2002) over a PastryNode: application-level multicast
 * trees, one per group, a group being a Pastry key.
 *
 * - Subscribe: a node routes a subscription towards the group id. Every node it passes that
 *   is already in the tree adopts the subscriber (if its client accepts, by default while it
 *   has fewer than MaxChildren children) and stops it; a node not yet in the tree adopts it,
 *   joins the tree itself and sends the subscription on in its own name (grafting on the
 *   reverse path). The group id's Pastry root is the tree's root. A refused subscriber gets
 *   the refuser's children as siblings and asks them in turn, depth first (or its client,
 *   e.g. SplitStream, decides).
 * - Multicast: Publish routes to the root, which sends down the tree; each node delivers to
 *   its client if it subscribes and forwards to its children.
 * - Anycast: routed towards the group id until a node in the tree; from there a depth-first
 *   walk of the tree (children first, then the parent) asks each node's client; the
 *   originator hears who took it, or that nobody did (the walk came back to the root with
 *   every node visited: the AnycastFailed trace).
 * - Maintenance (the constants of Mace's ScribeMS): parents send heartbeats (with their path
 *   from the root) every HeartbeatInterval (5 s); a child that misses HeartbeatMisses (2) of
 *   them (data from the parent, NoteParentData, counts as one) reports the parent failed to
 *   Pastry and subscribes again; children renew every
 *   RenewTicks (6) intervals and a parent drops a child silent for DropChildTicks (10). A
 *   root that stops being the group id's Pastry root subscribes towards the new one.
 *
 * Routed messages use Pastry application kind AppKind; direct ones the control-channel
 * kinds kSubscribeAck..kLocateReply as ControlChannel::MessageType(Instance, kind).
 */
class Scribe : public Object
{
  public:
    /// Routed message types (ScribeHeader::type).
    static constexpr uint8_t kSubscribe = 1;
    static constexpr uint8_t kAnycast = 2;
    static constexpr uint8_t kPublish = 3;
    static constexpr uint8_t kLocate = 4;

    /// Direct message kinds; the wire type is ControlChannel::MessageType(Instance, kind).
    static constexpr uint8_t kSubscribeAck = 80;
    static constexpr uint8_t kRefuse = 81;
    static constexpr uint8_t kHeartbeat = 82;
    static constexpr uint8_t kRenew = 83;
    static constexpr uint8_t kLeave = 84;
    static constexpr uint8_t kMulticast = 85;
    static constexpr uint8_t kAnycastWalk = 86;
    static constexpr uint8_t kAnycastResult = 87;
    static constexpr uint8_t kJoinRequest = 88;
    static constexpr uint8_t kLocateReply = 89;

    static TypeId GetTypeId();
    Scribe();

    /// Runs over \p pastry (started, joined or joining) and \p channel (its channel).
    void Start(Ptr<PastryNode> pastry, Ptr<ControlChannel> channel);
    void Stop();
    /// The client's decisions and upcalls (not owned; null: the defaults).
    void SetClient(ScribeClient* client);
    /**
     * \brief A relay-only node (e.g. SplitStream's source) passes other nodes' subscriptions
     * on instead of joining their trees as a forwarder; it still roots the groups whose id's
     * Pastry root it is.
     */
    void SetRelayOnly(bool relayOnly);
    int64_t AssignStreams(int64_t stream);

    /// Joins \p group's tree as a member (receives its multicasts).
    void Subscribe(const PastryId& group);
    /// Stops being a member; leaves the tree once no child depends on this node.
    void Unsubscribe(const PastryId& group);
    /// Multicasts \p payload to \p group's members through its root.
    void Publish(const PastryId& group, Ptr<const Packet> payload);
    /// Anycasts \p payload to \p group (the client hears the result).
    void Anycast(const PastryId& group, Ptr<const Packet> payload);
    /// Asks the root of \p group who it is (the LocateRoot callback answers).
    void LocateRoot(const PastryId& group);
    /// Called with (group, root) when a LocateRoot answer arrives.
    void SetLocateCallback(Callback<void, const PastryId&, const PastryHandle&> cb);

    /// Makes \p child a child in \p group at once (e.g. after taking its anycast).
    void AdoptChild(const PastryId& group, const PastryHandle& child);
    /// Drops \p child from \p group, telling it its siblings (the other children).
    void DropChild(const PastryId& group, Ipv4Address child);
    /// Asks \p candidate directly to adopt this node in \p group (it may refuse).
    void RequestParent(const PastryId& group, const PastryHandle& candidate);
    /// Gives up the current parent in \p group (if any) and subscribes again by routing.
    void Resubscribe(const PastryId& group);

    /**
     * \brief Data from \p from in \p group's tree: if \p from is this node's parent there,
     * it counts as a heartbeat (Castro et al., JSAC 2002, Section 2.3: "multicast messages
     * serve as an implicit heartbeat"). For a client whose data travels outside Scribe
     * (SplitStream's stripes over TFRC or TCP), so a parent whose explicit heartbeats wait
     * behind that data is not taken for failed.
     * \return whether \p from is the parent
     */
    bool NoteParentData(const PastryId& group, Ipv4Address from);
    bool IsMember(const PastryId& group) const;
    /// In the group's tree: root, with a parent, or joining (its subscription on its way).
    bool IsInTree(const PastryId& group) const;
    /// Connected to the group's root: the root itself or a node with a parent. An anycast
    /// starts its walk only at such a node.
    bool IsConnected(const PastryId& group) const;
    bool IsRoot(const PastryId& group) const;
    std::optional<PastryHandle> GetParent(const PastryId& group) const;
    std::vector<PastryHandle> GetChildren(const PastryId& group) const;
    /// The path from the root to the parent, as the last heartbeat told it.
    std::vector<PastryHandle> GetPath(const PastryId& group) const;
    /// Children over every group.
    uint32_t GetTotalChildren() const;
    /// Groups with state here.
    std::vector<PastryId> GetGroups() const;
    Ptr<PastryNode> GetPastry() const;

    /// (group, parent or 0.0.0.0)
    using GroupNodeTracedCallback = void (*)(const PastryId& group, Ipv4Address node);

  protected:
    void DoDispose() override;

  private:
    struct Child
    {
        PastryHandle node;
        Time lastHeard;
    };
    struct Group
    {
        bool member{false};
        bool root{false};
        bool joining{false};
        std::optional<PastryHandle> parent;
        Time lastParentHeard;
        Time lastRenew;
        std::map<Ipv4Address, Child> children;
        std::vector<PastryHandle> path;
        EventId retry;
    };

    Group& GetGroup(const PastryId& group);
    const Group* FindGroup(const PastryId& group) const;
    void SendDirect(Ipv4Address to, uint8_t kind, const ScribeHeader& h,
                    Ptr<const Packet> payload = nullptr);
    ScribeHeader Make(uint8_t type, const PastryId& group) const;
    /// Routes a subscription for \p group in this node's name.
    void SendSubscribe(const PastryId& group);
    void SubscribeTimeout(PastryId group);
    /// \p child wants to join \p group here: adopt, or refuse with the siblings.
    void HandleJoin(const PastryId& group, const PastryHandle& child);
    void AddChild(const PastryId& group, const PastryHandle& child);
    void RemoveChild(const PastryId& group, Ipv4Address child);
    void SetParent(const PastryId& group, std::optional<PastryHandle> parent);
    void Orphan(const PastryId& group, const std::vector<PastryHandle>& siblings);
    /// Leaves the group's tree if nothing keeps this node in it.
    void Prune(const PastryId& group);
    void BecomeRoot(const PastryId& group);
    void Tick();
    void SendHeartbeat(Ipv4Address to, ScribeHeader h);
    /// Tells the children this node's path from the root now (after it changed).
    void PushPath(const PastryId& group);
    void Multicast(const PastryId& group, Ptr<const Packet> payload);
    /// One step of an anycast's depth-first walk, at this node.
    void Walk(ScribeHeader h, Ptr<Packet> payload);

    void Deliver(const PastryRouteHeader& route, Ptr<Packet> p);
    bool Forward(const PastryRouteHeader& route, Ptr<Packet> p, const PastryHandle& next);
    void HandleSubscribeAck(Ipv4Address from, Ptr<Packet> p);
    void HandleRefuse(Ipv4Address from, Ptr<Packet> p);
    void HandleHeartbeat(Ipv4Address from, Ptr<Packet> p);
    void HandleRenew(Ipv4Address from, Ptr<Packet> p);
    void HandleLeave(Ipv4Address from, Ptr<Packet> p);
    void HandleMulticast(Ipv4Address from, Ptr<Packet> p);
    void HandleAnycastWalk(Ipv4Address from, Ptr<Packet> p);
    void HandleAnycastResult(Ipv4Address from, Ptr<Packet> p);
    void HandleJoinRequest(Ipv4Address from, Ptr<Packet> p);
    void HandleLocateReply(Ipv4Address from, Ptr<Packet> p);
    bool Parse(Ptr<Packet> p, ScribeHeader& h, Ipv4Address from);

    uint8_t m_instance;
    uint8_t m_appKind;
    uint32_t m_maxChildren;
    Time m_interval;
    uint32_t m_dropChildTicks;
    uint32_t m_renewTicks;
    uint32_t m_missRepair;
    Time m_subscribeTimeout;

    Ptr<PastryNode> m_pastry;
    Ptr<ControlChannel> m_channel;
    Ptr<UniformRandomVariable> m_rng;
    ScribeClient* m_client{nullptr};
    ScribeClient m_defaults;
    bool m_running{false};
    bool m_relayOnly{false};
    std::map<PastryId, Group> m_groups;
    uint32_t m_nextAnycast{1};
    EventId m_tick;
    uint64_t m_dropped{0};
    Callback<void, const PastryId&, const PastryHandle&> m_locate;

    TracedCallback<const PastryId&, Ipv4Address> m_parentTrace;
    TracedCallback<const PastryId&, Ipv4Address> m_repairTrace;
    TracedCallback<const PastryId&, Ipv4Address> m_anycastFailedTrace;
};

} // namespace ns3

#endif // BULLET_SCRIBE_H
