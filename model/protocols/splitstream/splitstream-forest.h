/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_SPLITSTREAM_FOREST_H
#define BULLET_SPLITSTREAM_FOREST_H

#include "ns3/scribe.h"

#include <map>
#include <optional>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief The payload of SplitStream's spare-capacity anycast: the stripe an orphan seeks a
 * parent in.
 */
class SplitStreamAnycastHeader : public CheckedHeader
{
  public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    PastryId stripe; ///< the stripe's group id

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

  protected:
    void DoDeserialize(WireReader& reader) override;
};

/**
 * \ingroup bullet
 * \brief SplitStream's forest (Castro et al., SOSP 2003) on one node: a Pastry node, Scribe
 * over it, and the stripe trees' rules. The data plane (who sends what to whom over which
 * transport) is the application's: SplitStreamApplication (streaming over TFRC) and
 * SplitStreamFilesApplication (blocks over TCP) read the stripes' parents and children here.
 *
 * - Stripes: NumStripes (16 = 2^b) groups whose ids are the session's id (SHA-1 of Session)
 *   with the first digit replaced by (its first digit + i) mod 16, so they differ in the first
 *   digit: Pastry routes a subscription to stripe i through nodes sharing that digit, which
 *   makes the forest interior-node-disjoint. The source sends packet j on stripe j mod 16.
 * - Every receiver subscribes to every stripe (in-degree NumStripes); the source does not,
 *   it finds each stripe's root (Scribe::LocateRoot, again every LocateInterval) and sends
 *   the stripe to it.
 * - Out-degree: at most ForwardingCap children over all stripes (18 in MACEDON's
 *   SplitStreamMS). A node at its cap asked to adopt one more adopts it and pushes one child
 *   down: a random child in a stripe whose id does not share this node's first digit if it
 *   has one; otherwise, of the joining stripe's children (the newcomer included), the one
 *   whose id shares the shortest prefix with the stripe id. The orphan asks the siblings
 *   whose ids share the stripe's first digit (one at random), then anycasts to the spare-
 *   capacity group: the Scribe group (SHA-1 of SpareGroup) of the nodes below their cap,
 *   which a node leaves at its cap and joins again below it. A member takes the orphan if it
 *   is below its cap, is in the stripe's tree and the orphan is not among its ancestors there.
 *   An anycast that comes back to the spare group's root untaken is a forest construction
 *   failure (ForestFailure trace; counted): the orphan subscribes again after RetryDelay, at
 *   most MaxFailedSubscriptions times in a row.
 */
class SplitStreamForest
    : public Object
    , public ScribeClient
{
  public:
    static TypeId GetTypeId();
    SplitStreamForest();

    /**
     * \brief Starts Pastry (joining through \p bootstrap) and Scribe over \p channel, then
     * subscribes to every stripe (a receiver) or locates the stripes' roots (the source).
     * \param stream the first of the kStreams random streams it uses (-1: leave them)
     */
    void Start(Ptr<ControlChannel> channel, Ipv4Address bootstrap, bool source, int64_t stream);
    void Stop();
    /// Uses \p id as the Pastry id (before Start; default: SHA-1 of the address).
    void SetPastryId(const PastryId& id);

    /// Random streams used from Start's \p stream.
    static constexpr int64_t kStreams = 3;

    uint32_t GetNumStripes() const;
    /// The stripe packet (or block) \p seq travels on: seq mod NumStripes.
    uint32_t StripeOf(uint32_t seq) const;
    /// The group id of stripe \p stripe.
    PastryId GetStripeId(uint32_t stripe) const;
    PastryId GetSpareGroupId() const;
    /// Where this node sends stripe \p stripe's packets: its children (the source: the
    /// stripe's root, or its children if it is the root itself).
    std::vector<Ipv4Address> GetTargets(uint32_t stripe) const;
    /// This node's children in stripe \p stripe.
    std::vector<Ipv4Address> GetChildren(uint32_t stripe) const;
    /// This node's parent in stripe \p stripe.
    std::optional<Ipv4Address> GetParent(uint32_t stripe) const;
    /// Whether \p address is this node's parent in some stripe.
    bool IsParent(Ipv4Address address) const;
    /// Stripe \p stripe's data came from \p from: if that is the stripe's parent, it counts
    /// as its heartbeat (Scribe::NoteParentData).
    void NoteStripeData(uint32_t stripe, Ipv4Address from);
    /// Children over all stripes.
    uint32_t GetOutDegree() const;
    /// Stripes this node has a parent in (or is the root of).
    uint32_t GetConnectedStripes() const;
    /// Forest construction failures this node saw (its anycasts that found no taker).
    uint64_t GetForestFailures() const;
    /// Orphans this node took through the spare-capacity group.
    uint64_t GetSpareAdoptions() const;
    /// Children this node pushed down at its cap (the PushDown trace, counted).
    uint64_t GetPushDowns() const;
    /// Parents this node lost to silence (the Repair trace, counted).
    uint64_t GetRepairs() const;
    Ptr<PastryNode> GetPastry() const;
    Ptr<Scribe> GetScribe() const;

    // ScribeClient
    bool AcceptChild(const PastryId& group, const PastryHandle& child, uint32_t children,
                     uint32_t maxChildren) override;
    bool AcceptAnycast(const PastryId& group, const PastryHandle& originator,
                       Ptr<const Packet> payload) override;
    void AnycastResult(const PastryId& group, bool success, const PastryHandle& acceptor,
                       Ptr<const Packet> payload) override;
    bool Orphaned(const PastryId& group, const std::vector<PastryHandle>& siblings) override;
    void ParentChanged(const PastryId& group, std::optional<PastryHandle> parent) override;
    void ChildrenChanged(const PastryId& group) override;

    /// (stripe, node): a forest construction failure (an orphan's anycast found no taker)
    using StripeNodeTracedCallback = void (*)(uint32_t stripe, Ipv4Address node);

  protected:
    void DoDispose() override;

  private:
    /// The stripe of group \p group, if it is one.
    std::optional<uint32_t> StripeIndex(const PastryId& group) const;
    void Joined();
    void SubscribeAll();
    void Locate();
    void LocateReply(const PastryId& group, const PastryHandle& root);
    void UpdateSpareMembership();
    void Retry(uint32_t stripe);
    /// Scribe's Repair trace: a parent went silent.
    void ScribeRepair(const PastryId& group, Ipv4Address parent);

    uint32_t m_numStripes;
    uint32_t m_cap;
    std::string m_session;
    std::string m_spareName;
    uint32_t m_maxFailed;
    Time m_retryDelay;
    Time m_locateInterval;
    Time m_subscribeDelay;

    Ptr<PastryNode> m_pastry;
    Ptr<Scribe> m_scribe;
    Ptr<UniformRandomVariable> m_rng;
    std::optional<PastryId> m_givenId;
    PastryId m_sessionId;
    std::vector<PastryId> m_stripeIds; ///< from Start: each stripe's group id
    PastryId m_spare;
    bool m_source{false};
    bool m_running{false};
    std::vector<std::optional<PastryHandle>> m_roots; ///< source: each stripe's root
    std::vector<uint32_t> m_orphanStage;              ///< per stripe: 0, siblings tried, anycast
    std::vector<uint32_t> m_failedInRow;
    std::vector<EventId> m_retry;
    EventId m_locate;
    EventId m_subscribe;
    uint64_t m_failures{0};
    uint64_t m_spareAdoptions{0};
    uint64_t m_pushDowns{0};
    uint64_t m_repairs{0};

    TracedCallback<uint32_t, Ipv4Address> m_failureTrace;
    TracedCallback<uint32_t, Ipv4Address> m_pushDownTrace;
    TracedCallback<uint32_t, Ipv4Address> m_repairTrace;
};

} // namespace ns3

#endif // BULLET_SPLITSTREAM_FOREST_H
