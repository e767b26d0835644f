/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_RANSUB_H
#define BULLET_RANSUB_H

#include "ns3/checked-header.h"
#include "ns3/control-channel.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/overlay-tree.h"
#include "ns3/random-variable-stream.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace ns3
{

/// A member of a RanSub set: a node and the opaque state it published (e.g. a summary ticket).
struct RanSubMember
{
    Ipv4Address node;
    std::vector<uint8_t> payload;
};

/**
 * \ingroup bullet
 * \brief A fixed-size uniform random sample of a population of nodes.
 */
struct RanSubSet
{
    std::vector<RanSubMember> members;
    uint32_t population{0}; ///< how many nodes the members represent

    /**
     * \brief RanSub's Compact: merges samples of disjoint populations into one uniform
     * sample of their union, of at most \p maxSize members.
     *
     * Each slot picks an input with probability proportional to the population it still
     * represents (one less after each pick), i.e. sampling the union without replacement;
     * then a random not-yet-taken member of that input. The result represents the sum of the
     * populations. (Mace's CandidateMap weighs by set size after adding it to the population:
     * not copied.)
     */
    static RanSubSet Compact(const std::vector<const RanSubSet*>& inputs, uint32_t maxSize,
                             Ptr<UniformRandomVariable> rng);

    /**
     * \brief Adds two node counts, saturating at the largest uint32_t instead of wrapping:
     * counts come from other nodes, and a hostile or buggy descendant reporting a huge one
     * must not wrap a sum into a small, plausible number.
     * \param a a count
     * \param b another count
     * \param saturated set to true if the sum did not fit (left unchanged otherwise)
     * \return a + b, or 0xffffffff if that does not fit
     */
    static uint32_t AddCounts(uint32_t a, uint32_t b, bool& saturated);

    uint32_t GetSerializedSize() const;
    void Serialize(Buffer::Iterator& it) const;
    /// Reads a set of at most \p maxMembers members with payloads of at most \p maxPayload.
    void Deserialize(WireReader& reader, uint32_t maxMembers, uint32_t maxPayload);
};

/**
 * \ingroup bullet
 * \brief RanSub collect (child -> parent) and distribute (parent -> child) messages.
 */
class RanSubHeader : public CheckedHeader
{
  public:
    static constexpr uint32_t kMaxMembers = 255;
    static constexpr uint32_t kMaxPayload = 4096;

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    uint32_t epoch{0};
    /// Collect: nodes in the sender's subtree. Distribute: nodes in the whole tree.
    uint32_t count{0};
    RanSubSet set;

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

  protected:
    void DoDeserialize(WireReader& reader) override;
};

/**
 * \ingroup bullet
 * \brief RanSub (Kostić et al., 2003): every epoch, each node of an overlay tree receives a
 * changing, uniformly random subset of the other nodes and their published state.
 *
 * Per epoch, the root sends distribute messages down; their arrival starts the collect
 * wave, which carries Compact-ed random subsets of each subtree and descendant counts back
 * up. Distribute sets of epoch k are built from the collects of epoch k-1. Modes: a child's
 * distribute set represents every node outside its subtree (NonDescendants, Bullet's);
 * deliveries may add the node's own descendants (All, Bullet''s); or only nodes before the
 * child in pre-order (Ordered). With FailureDetection, a node stops waiting for children's
 * collects after CollectTimeout and the root starts epochs on time; without it, one failed
 * node stalls RanSub, as in the 2003 paper's "no recovery" experiment (Section 4.6).
 *
 * Its messages are kinds kCollectType and kDistributeType sent as
 * ControlChannel::MessageType(Instance, kind), so a node can run several RanSubs over one
 * channel (Bullet''s second RanSub, one per tree), each with its own Instance (the same on
 * every node of its tree).
 */
class RanSub : public Object
{
  public:
    enum Mode
    {
        NON_DESCENDANTS,
        ALL,
        ORDERED,
    };

    /// Message kinds; the wire type is ControlChannel::MessageType(Instance, kind).
    static constexpr uint8_t kCollectType = 20;
    static constexpr uint8_t kDistributeType = 21;

    static TypeId GetTypeId();
    RanSub();

    /// The state this node publishes; called before each collect.
    using PayloadCallback = Callback<std::vector<uint8_t>>;
    /// Delivers (epoch, random subset) once per epoch.
    using DeliverCallback = Callback<void, uint32_t, const std::vector<RanSubMember>&>;

    void SetPayloadCallback(PayloadCallback cb);
    void SetDeliverCallback(DeliverCallback cb);

    void Start(Ptr<OverlayTree> tree, Ptr<ControlChannel> channel);
    void Stop();

    uint32_t GetEpoch() const;
    /// Nodes in \p child's subtree (itself included), from its latest collect; 0 if unknown.
    uint32_t GetDescendants(Ipv4Address child) const;
    /// Nodes in the whole tree, from the latest distribute (the root counts its collects).
    uint32_t GetPopulation() const;
    /**
     * \brief Sums of node counts that did not fit 32 bits and were saturated (descendant
     * counts of collects, the root's population, a Compact-ed set's population): each means
     * some descendant reported an absurd subtree size.
     * \return how many sums saturated
     */
    uint64_t GetSaturatedSums() const;
    /**
     * \brief Collect and distribute messages dropped: malformed, or a collect whose count is
     * 0 (a subtree holds at least the node that sends it). Each also fires the Rejected trace.
     * \return how many messages were rejected
     */
    uint64_t GetRejectedMessages() const;

    int64_t AssignStreams(int64_t stream);

    /// (epoch, members delivered)
    using DeliverTracedCallback = void (*)(uint32_t epoch, uint32_t members);
    /// (sender, reason)
    using RejectedTracedCallback = void (*)(Ipv4Address from, const std::string& why);

  protected:
    void DoDispose() override;

  private:
    struct ChildState
    {
        uint32_t epoch{0};
        uint32_t descendants{0};
        RanSubSet set;
    };

    void RootTick();
    void StartEpoch(uint32_t epoch);
    void SendDistributes();
    void StartCollect();
    void CollectTimeout();
    void SendCollect();
    void Deliver();
    RanSubSet Self() const;
    void HandleCollect(Ipv4Address from, Ptr<Packet> p);
    void HandleDistribute(Ipv4Address from, Ptr<Packet> p);
    void TreeChanged();
    /// Counts and traces a rejected message.
    void Reject(Ipv4Address from, const std::string& why);

    // Attributes
    uint8_t m_instance;
    Mode m_mode;
    uint32_t m_setSize;
    Time m_epochPeriod;
    Time m_collectTimeout;
    Time m_startDelay;
    bool m_failureDetection;

    Ptr<OverlayTree> m_tree;
    Ptr<ControlChannel> m_channel;
    Ptr<UniformRandomVariable> m_rng;
    PayloadCallback m_payload;
    DeliverCallback m_deliver;

    uint32_t m_epoch{0};
    uint32_t m_population{0};
    RanSubSet m_fromParent;
    std::map<Ipv4Address, ChildState> m_children;
    std::set<Ipv4Address> m_reported;
    bool m_collecting{false};
    bool m_rootWaiting{false};
    EventId m_collectTimer;
    EventId m_rootTimer;
    bool m_running{false};

    uint64_t m_saturated{0};
    uint64_t m_rejected{0};

    TracedCallback<uint32_t, uint32_t> m_deliverTrace;
    TracedCallback<Ipv4Address, const std::string&> m_rejectedTrace;
};

} // namespace ns3

#endif // BULLET_RANSUB_H
