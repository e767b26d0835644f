/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_PASTRY_NODE_H
#define BULLET_PASTRY_NODE_H

#include "ns3/callback.h"
#include "ns3/control-channel.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/pastry-messages.h"
#include "ns3/pastry-state.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief A Pastry node (Rowstron and Druschel, Middleware 2001) over a node's control
 * channel: an Object a protocol application creates and starts, as it starts a RandomTree
 * (Scribe and SplitStream run over it; nothing of it depends on them).
 *
 * - Join: the node routes a join message with its own id as key through the bootstrap node
 *   (SetBootstrap: the installation's source; the node with that address starts the ring
 *   alone). Every node on the route sends it rows 0..l of its routing table (l: the digits
 *   its id shares with the joiner's) and the last one, the key's root, its leaf set too. The
 *   node then tells every node it learnt of that it exists (announce) and is joined.
 * - Proximity: a node probes every node it learns of; its routing table keeps, per slot, the
 *   one with the smallest measured RTT. A probe left unanswered for ProbeTimeout declares the
 *   node failed.
 * - Routing: Route(key, appKind, payload) forwards hop by hop by PastryState::NextHop; each
 *   hop is acknowledged, and a hop unacknowledged for HopTimeout declares the next node
 *   failed and tries another. Applications get a forward upcall on every node the message
 *   passes (they may modify the payload or stop it) and a deliver upcall at the key's root.
 * - Failure: every HeartbeatInterval a node sends a heartbeat to each leaf (its leaf set
 *   to its two ring neighbours, which keeps concurrent joins' leaf sets consistent); a leaf
 *   silent for LeafTimeout is declared failed. A failed node is removed and the hole repaired:
 *   a leaf from the leaf set of the outermost leaf on its side, a routing slot from the row
 *   of the other nodes in that row.
 *
 * Messages: kinds kRoute..kRouteAck as ControlChannel::MessageType(Instance, kind).
 * The id base is fixed at b = 4 (16-digit rows, 32 rows), as both reference implementations.
 */
class PastryNode : public Object
{
  public:
    /// Message kinds; the wire type is ControlChannel::MessageType(Instance, kind).
    static constexpr uint8_t kRoute = 60;
    static constexpr uint8_t kJoinState = 61;
    static constexpr uint8_t kAnnounce = 62;
    static constexpr uint8_t kLeafSetRequest = 63;
    static constexpr uint8_t kLeafSetReply = 64;
    static constexpr uint8_t kRowRequest = 65;
    static constexpr uint8_t kRowReply = 66;
    static constexpr uint8_t kHeartbeat = 67;
    static constexpr uint8_t kProbe = 68;
    static constexpr uint8_t kProbeReply = 69;
    static constexpr uint8_t kRouteAck = 70;

    /// At the key's root: (route header, payload).
    using DeliverCallback = Callback<void, const PastryRouteHeader&, Ptr<Packet>>;
    /**
     * On every node a routed message reaches before its root: (route header, payload, next
     * hop). The application may change the payload; returning false stops the message here.
     */
    using ForwardCallback
        = Callback<bool, const PastryRouteHeader&, Ptr<Packet>, const PastryHandle&>;

    static TypeId GetTypeId();
    PastryNode();

    /// The node joins go through; the node with this address starts the ring.
    void SetBootstrap(Ipv4Address bootstrap);
    /// Uses \p id instead of the SHA-1 of the node's address (before Start).
    void SetId(const PastryId& id);
    /// Joins over \p channel.
    void Start(Ptr<ControlChannel> channel);
    /// Stops all timers and ignores messages from then on (a failed or departed node).
    void Stop();
    int64_t AssignStreams(int64_t stream);

    /**
     * \brief Handles routed messages of \p appKind (1..255) with these upcalls (the forward
     * upcall may be null: forward unchanged).
     * \throws std::invalid_argument for appKind 0 (Pastry's own) or a second registration
     */
    void SetApplication(uint8_t appKind, DeliverCallback deliver, ForwardCallback forward);
    /// Called once, when the join completes (at once for the ring's first node).
    void SetJoinedCallback(Callback<void> joined);

    /**
     * \brief Routes \p payload towards \p key for application \p appKind. Before the join
     * completes, messages wait for it.
     */
    void Route(const PastryId& key, uint8_t appKind, Ptr<const Packet> payload);
    /**
     * \brief An application found \p address unresponsive (e.g. Scribe's parent): Pastry
     * forgets it and repairs its state.
     */
    void ReportFailed(Ipv4Address address);

    bool IsJoined() const;
    /// This node's id and address (after Start).
    PastryHandle GetHandle() const;
    /// The routing table and leaf set (after Start).
    const PastryState& GetState() const;
    /// Messages dropped: malformed, looping, or of an unregistered application.
    uint64_t GetDroppedCount() const;

    /// Why this node declared other nodes failed, counted per cause (in a run without
    /// failures every count is a false positive: e.g. control delayed behind a full queue).
    struct FailureCounts
    {
        uint64_t probe{0};    ///< a proximity probe unanswered for ProbeTimeout
        uint64_t leaf{0};     ///< a leaf silent for LeafTimeout
        uint64_t hop{0};      ///< a routed hop unacknowledged for HopTimeout
        uint64_t reported{0}; ///< an application reported it (ReportFailed)

        /// All causes.
        uint64_t
        Total() const
        {
            return probe + leaf + hop + reported;
        }

        /// Adds \p other's counts, cause by cause.
        FailureCounts&
        operator+=(const FailureCounts& other)
        {
            probe += other.probe;
            leaf += other.leaf;
            hop += other.hop;
            reported += other.reported;
            return *this;
        }
    };

    /// The failures this node declared, per cause.
    const FailureCounts& GetFailureCounts() const;

    /// (time the join took)
    using JoinedTracedCallback = void (*)(Time elapsed);
    /// (the node declared failed)
    using FailureTracedCallback = void (*)(Ipv4Address failed);
    /// (key, appKind, hops): a routed message reached its root here
    using DeliveredTracedCallback = void (*)(const PastryId& key, uint8_t appKind, uint8_t hops);

  protected:
    void DoDispose() override;

  private:
    struct AppHandlers
    {
        DeliverCallback deliver;
        ForwardCallback forward;
    };
    struct PendingHop
    {
        PastryRouteHeader header;
        Ptr<Packet> payload;
        PastryHandle next;
        uint32_t attempts{0};
        EventId timer;
    };

    void Send(Ipv4Address to, uint8_t kind, const Header& h, Ptr<Packet> payload = nullptr);
    void SendState(Ipv4Address to, uint8_t kind, uint8_t flags, uint8_t row,
                   const std::vector<PastryHandle>& handles);
    void SendJoin();
    void CompleteJoin();
    /// Learns of \p node (probing it if its RTT is unknown).
    void Learn(const PastryHandle& node);
    /// Any message from \p address shows it alive.
    void Heard(Ipv4Address address);
    void Heartbeat();
    void SendHeartbeat(Ipv4Address to, bool withLeafSet);
    void NodeFailed(const PastryHandle& node);
    /**
     * A routed message here: a join gets this node's state; otherwise the message is sent on
     * by NextHop (after the forward upcall, if \p upcall) or delivered here.
     */
    void Process(const PastryRouteHeader& header, Ptr<Packet> payload, bool upcall,
                 uint32_t attempts);
    /// Sends a routed message to \p next, awaiting its acknowledgement.
    void SendOn(const PastryRouteHeader& header, Ptr<Packet> payload, const PastryHandle& next,
                uint32_t attempts);
    void HopTimeout(uint32_t hopSeq);
    void ProbeTimeout(Ipv4Address address);
    std::optional<PastryHandle> FindHandle(Ipv4Address address) const;

    void HandleRoute(Ipv4Address from, Ptr<Packet> p);
    void HandleJoinState(Ipv4Address from, Ptr<Packet> p);
    void HandleAnnounce(Ipv4Address from, Ptr<Packet> p);
    void HandleLeafSetRequest(Ipv4Address from, Ptr<Packet> p);
    void HandleLeafSetReply(Ipv4Address from, Ptr<Packet> p);
    void HandleRowRequest(Ipv4Address from, Ptr<Packet> p);
    void HandleRowReply(Ipv4Address from, Ptr<Packet> p);
    void HandleHeartbeat(Ipv4Address from, Ptr<Packet> p);
    void HandleProbe(Ipv4Address from, Ptr<Packet> p);
    void HandleProbeReply(Ipv4Address from, Ptr<Packet> p);
    void HandleRouteAck(Ipv4Address from, Ptr<Packet> p);
    /// Parses \p h from \p p; counts and logs a malformed message.
    bool Parse(Ptr<Packet> p, CheckedHeader& h, Ipv4Address from);

    uint8_t m_instance;
    uint32_t m_leafSetSize;
    Time m_heartbeatInterval;
    Time m_leafTimeout;
    Time m_probeTimeout;
    Time m_hopTimeout;
    uint32_t m_hopAttempts;
    Time m_joinTimeout;
    Time m_failedMemory;

    Ipv4Address m_bootstrap;
    std::optional<PastryId> m_givenId;
    PastryHandle m_self;
    std::unique_ptr<PastryState> m_state;
    Ptr<ControlChannel> m_channel;
    Ptr<UniformRandomVariable> m_rng;
    bool m_running{false};
    bool m_joined{false};
    Time m_started;
    std::map<uint8_t, AppHandlers> m_apps;
    Callback<void> m_joinedCallback;
    std::vector<std::tuple<PastryId, uint8_t, Ptr<Packet>>> m_waiting; ///< routes before join

    std::map<Ipv4Address, double> m_rtt;          ///< measured RTTs (s)
    std::map<Ipv4Address, EventId> m_probes;      ///< probes in flight
    std::map<Ipv4Address, PastryHandle> m_probed; ///< handles of probed nodes
    std::map<Ipv4Address, Time> m_lastHeard;
    std::map<Ipv4Address, Time> m_failed; ///< declared failed, when
    std::map<uint32_t, PendingHop> m_pending;
    uint32_t m_nextHopSeq{1};
    uint32_t m_nextMsgId{1};
    /// Messages delivered here lately, (origin, msgId), oldest first, for duplicates.
    std::set<std::pair<Ipv4Address, uint32_t>> m_delivered;
    std::deque<std::pair<Ipv4Address, uint32_t>> m_deliveredOrder;
    /// The leaves the last heartbeat watched (a new leaf's silence counts from when it
    /// became one).
    std::set<Ipv4Address> m_watched;
    EventId m_joinTimer;
    EventId m_heartbeatTimer;
    uint64_t m_dropped{0};
    FailureCounts m_failureCounts;

    TracedCallback<Time> m_joinedTrace;
    TracedCallback<Ipv4Address> m_failureTrace;
    TracedCallback<const PastryId&, uint8_t, uint8_t> m_deliveredTrace;
};

} // namespace ns3

#endif // BULLET_PASTRY_NODE_H
