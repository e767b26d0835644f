/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "splitstream-forest.h"

#include "ns3/attribute-table.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SplitStreamForest");

NS_OBJECT_ENSURE_REGISTERED(SplitStreamAnycastHeader);
NS_OBJECT_ENSURE_REGISTERED(SplitStreamForest);

// ---------------------------------------------------------------- anycast payload

TypeId
SplitStreamAnycastHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::SplitStreamAnycastHeader")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<SplitStreamAnycastHeader>();
    return tid;
}

TypeId
SplitStreamAnycastHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
SplitStreamAnycastHeader::GetSerializedSize() const
{
    return PastryId::kBytes;
}

void
SplitStreamAnycastHeader::Serialize(Buffer::Iterator start) const
{
    stripe.Serialize(start);
}

void
SplitStreamAnycastHeader::Print(std::ostream& os) const
{
    os << "stripe=" << stripe;
}

void
SplitStreamAnycastHeader::DoDeserialize(WireReader& reader)
{
    stripe = PastryId::Deserialize(reader);
}

// ---------------------------------------------------------------- forest

TypeId
SplitStreamForest::GetTypeId()
{
    static TypeId tid = []() {
        TypeId t
            = TypeId("ns3::SplitStreamForest")
                  .SetParent<Object>()
                  .SetGroupName("Bullet")
                  .AddConstructor<SplitStreamForest>()
                  .AddAttribute(
                      "NumStripes",
                      "Stripes, one Scribe tree each; their ids differ in the first digit, so at "
                      "most 2^b = 16 (SplitStreamMS NUM_STRIPES: 16)",
                      UintegerValue(16), MakeUintegerAccessor(&SplitStreamForest::m_numStripes),
                      MakeUintegerChecker<uint32_t>(1, PastryId::kBase))
                  .AddAttribute("Session", "The session's name: its SHA-1 is the stripes' base id",
                                StringValue("splitstream"),
                                MakeStringAccessor(&SplitStreamForest::m_session),
                                MakeStringChecker())
                  .AddAttribute(
                      "SpareGroup", "The spare-capacity group's name (its SHA-1 is the group id)",
                      StringValue("splitstream-spare-capacity"),
                      MakeStringAccessor(&SplitStreamForest::m_spareName), MakeStringChecker())
                  .AddAttribute("RetryDelay",
                                "Wait before an orphan whose anycast failed subscribes again "
                                "(FreePastry: 1 s)",
                                TimeValue(Seconds(1)),
                                MakeTimeAccessor(&SplitStreamForest::m_retryDelay),
                                MakeTimeChecker(MilliSeconds(1)))
                  .AddAttribute(
                      "SubscribeDelay",
                      "Wait between a receiver's Pastry join and its subscriptions (0: at "
                      "once; a delay lets a ring that forms all at once settle, so that "
                      "subscriptions follow the stripes' digits)",
                      TimeValue(Seconds(0)), MakeTimeAccessor(&SplitStreamForest::m_subscribeDelay),
                      MakeTimeChecker(Seconds(0)));
        AddCountAttributes<SplitStreamForest>(
            t, 1, 1000,
            {{"ForwardingCap",
              "Children a node forwards to over all stripes (SplitStreamMS FORWARD_STRIPES: 18)",
              18, &SplitStreamForest::m_cap},
             {"MaxFailedSubscriptions",
              "Failed anycasts in a row after which an orphan gives up on a stripe (FreePastry "
              "p2p_splitStream_stripe_max_failed_subscription: 5)",
              5, &SplitStreamForest::m_maxFailed}});
        AddTimeAttributes<SplitStreamForest>(
            t, MilliSeconds(10),
            {{"LocateInterval", "How often the source asks who the stripes' roots are", Seconds(5),
              &SplitStreamForest::m_locateInterval}});
        AddTraceSources<SplitStreamForest, TracedCallback<uint32_t, Ipv4Address>>(
            t, "ns3::SplitStreamForest::StripeNodeTracedCallback",
            {{"ForestFailure",
              "Forest construction failed: an orphan's spare-capacity anycast found no taker: "
              "(stripe, orphan)",
              &SplitStreamForest::m_failureTrace},
             {"PushDown", "A node at its cap orphaned a child: (stripe, child)",
              &SplitStreamForest::m_pushDownTrace},
             {"Repair",
              "This node lost its parent in a stripe and looks for another: (stripe, the lost "
              "parent)",
              &SplitStreamForest::m_repairTrace}});
        return t;
    }();
    return tid;
}

SplitStreamForest::SplitStreamForest()
    : m_rng(CreateObject<UniformRandomVariable>())
{
}

void
SplitStreamForest::SetPastryId(const PastryId& id)
{
    m_givenId = id;
}

void
SplitStreamForest::DoDispose()
{
    Stop();
    if (m_scribe)
    {
        m_scribe->SetClient(nullptr);
    }
    m_scribe = nullptr;
    m_pastry = nullptr;
    Object::DoDispose();
}

void
SplitStreamForest::Start(Ptr<ControlChannel> channel, Ipv4Address bootstrap, bool source,
                         int64_t stream)
{
    m_source = source;
    m_sessionId = PastryId::FromName(m_session);
    m_spare = PastryId::FromName(m_spareName);
    m_stripeIds.clear(); // computed before the cache is filled
    for (uint32_t i = 0; i < m_numStripes; ++i)
    {
        m_stripeIds.push_back(GetStripeId(i));
    }
    m_roots.assign(m_numStripes, std::nullopt);
    m_orphanStage.assign(m_numStripes, 0);
    m_failedInRow.assign(m_numStripes, 0);
    m_retry.assign(m_numStripes, EventId());
    m_pastry = CreateObject<PastryNode>();
    if (m_givenId)
    {
        m_pastry->SetId(*m_givenId);
    }
    m_pastry->SetBootstrap(bootstrap);
    m_scribe = CreateObject<Scribe>();
    if (stream >= 0)
    {
        m_pastry->AssignStreams(stream);
        m_scribe->AssignStreams(stream + 1);
        m_rng->SetStream(stream + 2);
    }
    m_scribe->SetClient(this);
    m_scribe->SetRelayOnly(source);
    m_scribe->SetLocateCallback(MakeCallback(&SplitStreamForest::LocateReply, this));
    m_pastry->SetJoinedCallback(MakeCallback(&SplitStreamForest::Joined, this));
    m_scribe->TraceConnectWithoutContext("Repair",
                                         MakeCallback(&SplitStreamForest::ScribeRepair, this));
    m_running = true;
    m_scribe->Start(m_pastry, channel);
    m_pastry->Start(channel);
}

void
SplitStreamForest::Stop()
{
    m_running = false;
    m_locate.Cancel();
    m_subscribe.Cancel();
    for (auto& e : m_retry)
    {
        e.Cancel();
    }
    if (m_scribe)
    {
        m_scribe->Stop();
    }
    if (m_pastry)
    {
        m_pastry->Stop();
    }
}

void
SplitStreamForest::Joined()
{
    if (!m_running)
    {
        return;
    }
    if (m_source)
    {
        Locate();
        return;
    }
    if (m_subscribeDelay.IsStrictlyPositive())
    {
        m_subscribe = Simulator::Schedule(m_subscribeDelay, &SplitStreamForest::SubscribeAll, this);
        return;
    }
    SubscribeAll();
}

void
SplitStreamForest::SubscribeAll()
{
    if (!m_running)
    {
        return;
    }
    for (uint32_t i = 0; i < m_numStripes; ++i)
    {
        m_scribe->Subscribe(GetStripeId(i));
    }
    UpdateSpareMembership();
}

void
SplitStreamForest::Locate()
{
    for (uint32_t i = 0; i < m_numStripes; ++i)
    {
        m_scribe->LocateRoot(GetStripeId(i));
    }
    m_locate = Simulator::Schedule(m_locateInterval, &SplitStreamForest::Locate, this);
}

void
SplitStreamForest::LocateReply(const PastryId& group, const PastryHandle& root)
{
    if (auto i = StripeIndex(group))
    {
        if (!m_roots[*i] || m_roots[*i]->address != root.address)
        {
            NS_LOG_INFO("source: the root of stripe " << *i << " is " << root);
        }
        m_roots[*i] = root;
    }
}

// ---------------------------------------------------------------- queries

uint32_t
SplitStreamForest::GetNumStripes() const
{
    return m_numStripes;
}

uint32_t
SplitStreamForest::StripeOf(uint32_t seq) const
{
    return seq % m_numStripes;
}

PastryId
SplitStreamForest::GetStripeId(uint32_t stripe) const
{
    if (stripe < m_stripeIds.size())
    {
        return m_stripeIds[stripe]; // per packet: no SHA-1 once started
    }
    const PastryId base = PastryId::FromName(m_session);
    return base.WithDigit(0, (base.GetDigit(0) + stripe) % PastryId::kBase);
}

PastryId
SplitStreamForest::GetSpareGroupId() const
{
    return PastryId::FromName(m_spareName);
}

std::optional<uint32_t>
SplitStreamForest::StripeIndex(const PastryId& group) const
{
    if (group == m_spare)
    {
        return std::nullopt;
    }
    const uint32_t first
        = (group.GetDigit(0) + PastryId::kBase - m_sessionId.GetDigit(0)) % PastryId::kBase;
    if (first < m_numStripes && GetStripeId(first) == group)
    {
        return first;
    }
    return std::nullopt;
}

std::vector<Ipv4Address>
SplitStreamForest::GetChildren(uint32_t stripe) const
{
    std::vector<Ipv4Address> out;
    if (!m_scribe || stripe >= m_numStripes)
    {
        return out;
    }
    for (const auto& c : m_scribe->GetChildren(GetStripeId(stripe)))
    {
        out.push_back(c.address);
    }
    return out;
}

std::vector<Ipv4Address>
SplitStreamForest::GetTargets(uint32_t stripe) const
{
    if (m_source && stripe < m_numStripes && !m_scribe->IsRoot(GetStripeId(stripe)))
    {
        if (m_roots[stripe] && m_roots[stripe]->address != m_pastry->GetHandle().address)
        {
            return {m_roots[stripe]->address};
        }
        return {};
    }
    return GetChildren(stripe);
}

std::optional<Ipv4Address>
SplitStreamForest::GetParent(uint32_t stripe) const
{
    if (!m_scribe || stripe >= m_numStripes)
    {
        return std::nullopt;
    }
    auto p = m_scribe->GetParent(GetStripeId(stripe));
    return p ? std::make_optional(p->address) : std::nullopt;
}

void
SplitStreamForest::NoteStripeData(uint32_t stripe, Ipv4Address from)
{
    if (m_scribe && stripe < m_numStripes)
    {
        m_scribe->NoteParentData(GetStripeId(stripe), from);
    }
}

bool
SplitStreamForest::IsParent(Ipv4Address address) const
{
    for (uint32_t i = 0; i < m_numStripes; ++i)
    {
        auto p = GetParent(i);
        if (p && *p == address)
        {
            return true;
        }
    }
    return false;
}

uint32_t
SplitStreamForest::GetOutDegree() const
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < m_numStripes; ++i)
    {
        n += GetChildren(i).size();
    }
    return n;
}

uint32_t
SplitStreamForest::GetConnectedStripes() const
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < m_numStripes; ++i)
    {
        n += (GetParent(i) || m_scribe->IsRoot(GetStripeId(i))) ? 1 : 0;
    }
    return n;
}

uint64_t
SplitStreamForest::GetForestFailures() const
{
    return m_failures;
}

uint64_t
SplitStreamForest::GetSpareAdoptions() const
{
    return m_spareAdoptions;
}

uint64_t
SplitStreamForest::GetPushDowns() const
{
    return m_pushDowns;
}

uint64_t
SplitStreamForest::GetRepairs() const
{
    return m_repairs;
}

Ptr<PastryNode>
SplitStreamForest::GetPastry() const
{
    return m_pastry;
}

Ptr<Scribe>
SplitStreamForest::GetScribe() const
{
    return m_scribe;
}

// ---------------------------------------------------------------- the forest's rules

bool
SplitStreamForest::AcceptChild(const PastryId& group, const PastryHandle& child, uint32_t children,
                               uint32_t maxChildren)
{
    const auto stripe = StripeIndex(group);
    if (!stripe)
    {
        return children < maxChildren; // the spare-capacity group: control only
    }
    if (GetOutDegree() < m_cap)
    {
        return true;
    }
    // At the cap: adopt, then push one child down. First choice: a random child in a stripe
    // whose id does not share this node's first digit (the newcomer included).
    const PastryHandle self = m_pastry->GetHandle();
    struct Candidate
    {
        uint32_t stripe;
        PastryHandle node;
    };
    std::vector<Candidate> foreign;
    for (uint32_t i = 0; i < m_numStripes; ++i)
    {
        if (GetStripeId(i).GetDigit(0) == self.id.GetDigit(0))
        {
            continue;
        }
        for (const auto& c : m_scribe->GetChildren(GetStripeId(i)))
        {
            foreign.push_back({i, c});
        }
    }
    if (group.GetDigit(0) != self.id.GetDigit(0))
    {
        foreign.push_back({*stripe, child});
    }
    Candidate victim{*stripe, child};
    if (!foreign.empty())
    {
        victim = foreign[m_rng->GetInteger(0, foreign.size() - 1)];
    }
    else
    {
        // Else the joining stripe's child sharing the shortest prefix with the stripe id.
        std::vector<PastryHandle> pool = m_scribe->GetChildren(group);
        pool.push_back(child);
        uint32_t shortest = PastryId::kDigits + 1;
        std::vector<PastryHandle> ties;
        for (const auto& c : pool)
        {
            const uint32_t l = c.id.SharedPrefixLength(group);
            if (l < shortest)
            {
                shortest = l;
                ties.clear();
            }
            if (l == shortest)
            {
                ties.push_back(c);
            }
        }
        victim = {*stripe, ties[m_rng->GetInteger(0, ties.size() - 1)]};
    }
    ++m_pushDowns;
    m_pushDownTrace(victim.stripe, victim.node.address);
    if (victim.node.address == child.address && victim.stripe == *stripe)
    {
        NS_LOG_LOGIC(self << " at its cap refuses " << child << " in stripe " << *stripe);
        return false;
    }
    NS_LOG_LOGIC(self << " at its cap pushes " << victim.node << " down in stripe " << victim.stripe
                      << " for " << child);
    m_scribe->DropChild(GetStripeId(victim.stripe), victim.node.address);
    return true;
}

bool
SplitStreamForest::Orphaned(const PastryId& group, const std::vector<PastryHandle>& siblings)
{
    const auto stripe = StripeIndex(group);
    if (!stripe || m_source || !m_running)
    {
        return false;
    }
    const PastryHandle self = m_pastry->GetHandle();
    uint32_t& stage = m_orphanStage[*stripe];
    if (stage == 0)
    {
        // The former siblings whose ids share the stripe's first digit: they forward it.
        std::vector<PastryHandle> candidates;
        const auto children = GetChildren(*stripe);
        for (const auto& s : siblings)
        {
            if (s.address != self.address && s.id.GetDigit(0) == group.GetDigit(0)
                && std::find(children.begin(), children.end(), s.address) == children.end())
            {
                candidates.push_back(s);
            }
        }
        if (!candidates.empty())
        {
            stage = 1;
            m_scribe->RequestParent(group, candidates[m_rng->GetInteger(0, candidates.size() - 1)]);
            return true;
        }
    }
    if (stage == 2)
    {
        return true; // an anycast is out already
    }
    stage = 2;
    SplitStreamAnycastHeader h;
    h.stripe = group;
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    NS_LOG_LOGIC(self << " anycasts for a parent in stripe " << *stripe);
    m_scribe->Anycast(m_spare, p);
    return true;
}

bool
SplitStreamForest::AcceptAnycast(const PastryId& group, const PastryHandle& originator,
                                 Ptr<const Packet> payload)
{
    if (group != m_spare || m_source || !m_running || GetOutDegree() >= m_cap)
    {
        return false;
    }
    SplitStreamAnycastHeader h;
    payload->PeekHeader(h);
    if (!h.IsValid())
    {
        return false;
    }
    const auto stripe = StripeIndex(h.stripe);
    if (!stripe)
    {
        return false;
    }
    const bool inTree = m_scribe->IsRoot(h.stripe) || m_scribe->GetParent(h.stripe).has_value();
    if (!inTree)
    {
        return false;
    }
    auto parent = m_scribe->GetParent(h.stripe);
    if (parent && parent->address == originator.address)
    {
        return false;
    }
    for (const auto& a : m_scribe->GetPath(h.stripe))
    {
        if (a.address == originator.address)
        {
            return false; // this node is below the orphan: adopting it would make a loop
        }
    }
    NS_LOG_LOGIC(m_pastry->GetHandle() << " adopts orphan " << originator << " in stripe "
                                       << *stripe << " (spare capacity)");
    ++m_spareAdoptions;
    m_scribe->AdoptChild(h.stripe, originator);
    return true;
}

void
SplitStreamForest::AnycastResult(const PastryId& group, bool success, const PastryHandle& acceptor,
                                 Ptr<const Packet> payload)
{
    if (group != m_spare || !m_running)
    {
        return;
    }
    SplitStreamAnycastHeader h;
    payload->PeekHeader(h);
    const auto stripe = h.IsValid() ? StripeIndex(h.stripe) : std::nullopt;
    if (!stripe)
    {
        return;
    }
    if (success)
    {
        return; // the acceptor's adoption makes it the parent
    }
    ++m_failures;
    m_orphanStage[*stripe] = 0;
    NS_LOG_INFO(m_pastry->GetHandle() << ": forest construction failed for stripe " << *stripe);
    m_failureTrace(*stripe, m_pastry->GetHandle().address);
    if (++m_failedInRow[*stripe] < m_maxFailed)
    {
        m_retry[*stripe].Cancel();
        m_retry[*stripe]
            = Simulator::Schedule(m_retryDelay, &SplitStreamForest::Retry, this, *stripe);
    }
}

void
SplitStreamForest::ScribeRepair(const PastryId& group, Ipv4Address parent)
{
    if (auto stripe = StripeIndex(group))
    {
        ++m_repairs;
        m_repairTrace(*stripe, parent);
    }
}

void
SplitStreamForest::Retry(uint32_t stripe)
{
    if (m_running && !GetParent(stripe))
    {
        m_scribe->Resubscribe(GetStripeId(stripe));
    }
}

void
SplitStreamForest::ParentChanged(const PastryId& group, std::optional<PastryHandle> parent)
{
    const auto stripe = StripeIndex(group);
    if (!stripe)
    {
        return;
    }
    if (parent)
    {
        m_orphanStage[*stripe] = 0;
        m_failedInRow[*stripe] = 0;
    }
}

void
SplitStreamForest::ChildrenChanged(const PastryId& group)
{
    if (StripeIndex(group))
    {
        UpdateSpareMembership();
    }
}

void
SplitStreamForest::UpdateSpareMembership()
{
    if (m_source || !m_running || !m_pastry->IsJoined())
    {
        return;
    }
    const bool spare = GetOutDegree() < m_cap;
    if (spare && !m_scribe->IsMember(m_spare))
    {
        m_scribe->Subscribe(m_spare);
    }
    else if (!spare && m_scribe->IsMember(m_spare))
    {
        m_scribe->Unsubscribe(m_spare);
    }
}

} // namespace ns3
