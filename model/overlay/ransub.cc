/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ransub.h"

#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RanSub");

NS_OBJECT_ENSURE_REGISTERED(RanSubHeader);
NS_OBJECT_ENSURE_REGISTERED(RanSub);

RanSubSet
RanSubSet::Compact(const std::vector<const RanSubSet*>& inputs, uint32_t maxSize,
                   Ptr<UniformRandomVariable> rng)
{
    struct Source
    {
        const RanSubSet* set;
        std::vector<uint32_t> left; // indices of members not taken yet
        uint64_t weight;            // population not yet represented in the output
    };

    std::vector<Source> sources;
    RanSubSet out;
    size_t available = 0;
    bool saturated = false;
    for (const RanSubSet* s : inputs)
    {
        out.population = AddCounts(out.population, s->population, saturated);
        if (s->members.empty())
        {
            continue;
        }
        Source src{s, {}, std::max<uint64_t>(s->population, s->members.size())};
        for (uint32_t i = 0; i < s->members.size(); ++i)
        {
            src.left.push_back(i);
        }
        available += s->members.size();
        sources.push_back(std::move(src));
    }
    const size_t target = std::min<size_t>(maxSize, available);
    while (out.members.size() < target)
    {
        uint64_t total = 0;
        for (const auto& s : sources)
        {
            total += s.left.empty() ? 0 : s.weight;
        }
        if (total == 0)
        {
            break;
        }
        uint64_t r = rng->GetInteger(0, total - 1);
        Source* chosen = nullptr;
        for (auto& s : sources)
        {
            uint64_t w = s.left.empty() ? 0 : s.weight;
            if (r < w)
            {
                chosen = &s;
                break;
            }
            r -= w;
        }
        uint32_t k = rng->GetInteger(0, chosen->left.size() - 1);
        out.members.push_back(chosen->set->members[chosen->left[k]]);
        chosen->left[k] = chosen->left.back();
        chosen->left.pop_back();
        --chosen->weight;
    }
    return out;
}

uint32_t
RanSubSet::AddCounts(uint32_t a, uint32_t b, bool& saturated)
{
    if (b > std::numeric_limits<uint32_t>::max() - a)
    {
        saturated = true;
        return std::numeric_limits<uint32_t>::max();
    }
    return a + b;
}

uint32_t
RanSubSet::GetSerializedSize() const
{
    uint32_t size = 4 + 2;
    for (const auto& m : members)
    {
        size += 4 + 2 + m.payload.size();
    }
    return size;
}

void
RanSubSet::Serialize(Buffer::Iterator& it) const
{
    it.WriteHtonU32(population);
    it.WriteHtonU16(members.size());
    for (const auto& m : members)
    {
        it.WriteHtonU32(m.node.Get());
        it.WriteHtonU16(m.payload.size());
        it.Write(m.payload.data(), m.payload.size());
    }
}

void
RanSubSet::Deserialize(WireReader& reader, uint32_t maxMembers, uint32_t maxPayload)
{
    population = reader.ReadNtohU32();
    uint16_t n = reader.ReadNtohU16();
    if (!reader.Ok())
    {
        return;
    }
    if (n > maxMembers || n > population)
    {
        reader.Fail("RanSub set: " + std::to_string(n) + " members for population "
                    + std::to_string(population));
        return;
    }
    members.assign(n, RanSubMember{});
    for (auto& m : members)
    {
        m.node = Ipv4Address(reader.ReadNtohU32());
        uint16_t len = reader.ReadNtohU16();
        if (len > maxPayload)
        {
            reader.Fail("RanSub member payload of " + std::to_string(len) + " bytes");
            return;
        }
        if (!reader.Require(len, "RanSub payload"))
        {
            return;
        }
        m.payload.resize(len);
        reader.Read(m.payload.data(), len);
    }
}

TypeId
RanSubHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::RanSubHeader")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<RanSubHeader>();
    return tid;
}

TypeId
RanSubHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
RanSubHeader::GetSerializedSize() const
{
    return 8 + set.GetSerializedSize();
}

void
RanSubHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteHtonU32(epoch);
    start.WriteHtonU32(count);
    set.Serialize(start);
}

void
RanSubHeader::Print(std::ostream& os) const
{
    os << "epoch=" << epoch << " count=" << count << " members=" << set.members.size()
       << " population=" << set.population;
}

void
RanSubHeader::DoDeserialize(WireReader& reader)
{
    epoch = reader.ReadNtohU32();
    count = reader.ReadNtohU32();
    set.Deserialize(reader, kMaxMembers, kMaxPayload);
}

TypeId
RanSub::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::RanSub")
              .SetParent<Object>()
              .SetGroupName("Bullet")
              .AddConstructor<RanSub>()
              .AddAttribute("Instance",
                            "Which RanSub this is, when a node runs several over one control "
                            "channel: messages are typed ControlChannel::MessageType(Instance, "
                            "kind); the same on every node of the tree",
                            UintegerValue(0), MakeUintegerAccessor(&RanSub::m_instance),
                            MakeUintegerChecker<uint8_t>(0, 255))
              .AddAttribute("Mode", "Which nodes a delivered subset represents",
                            EnumValue(RanSub::NON_DESCENDANTS), MakeEnumAccessor(&RanSub::m_mode),
                            MakeEnumChecker(RanSub::NON_DESCENDANTS, "NonDescendants", RanSub::ALL,
                                            "All", RanSub::ORDERED, "Ordered"))
              .AddAttribute("SetSize", "Maximum members of a collect or distribute set",
                            UintegerValue(10), MakeUintegerAccessor(&RanSub::m_setSize),
                            MakeUintegerChecker<uint32_t>(1, RanSubHeader::kMaxMembers))
              .AddAttribute("EpochPeriod", "How often the root starts an epoch",
                            TimeValue(Seconds(5)), MakeTimeAccessor(&RanSub::m_epochPeriod),
                            MakeTimeChecker(MilliSeconds(1)))
              .AddAttribute("CollectTimeout",
                            "With failure detection, how long a node waits for its children's "
                            "collects before reporting without the missing ones",
                            TimeValue(Seconds(4)), MakeTimeAccessor(&RanSub::m_collectTimeout),
                            MakeTimeChecker(MilliSeconds(1)))
              .AddAttribute("StartDelay", "Delay before the root's first epoch",
                            TimeValue(MilliSeconds(100)), MakeTimeAccessor(&RanSub::m_startDelay),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("FailureDetection",
                            "Time out missing collects and start epochs on time (2003 Section "
                            "4.6); off, a failed node stalls RanSub",
                            BooleanValue(true), MakeBooleanAccessor(&RanSub::m_failureDetection),
                            MakeBooleanChecker())
              .AddTraceSource("Deliver", "A random subset was delivered: (epoch, members)",
                              MakeTraceSourceAccessor(&RanSub::m_deliverTrace),
                              "ns3::RanSub::DeliverTracedCallback")
              .AddTraceSource("Rejected", "A collect or distribute was dropped: (sender, reason)",
                              MakeTraceSourceAccessor(&RanSub::m_rejectedTrace),
                              "ns3::RanSub::RejectedTracedCallback");
    return tid;
}

RanSub::RanSub()
    : m_rng(CreateObject<UniformRandomVariable>())
{
}

void
RanSub::SetPayloadCallback(PayloadCallback cb)
{
    m_payload = cb;
}

void
RanSub::SetDeliverCallback(DeliverCallback cb)
{
    m_deliver = cb;
}

void
RanSub::Start(Ptr<OverlayTree> tree, Ptr<ControlChannel> channel)
{
    m_tree = tree;
    m_channel = channel;
    m_running = true;
    channel->Register(ControlChannel::MessageType(m_instance, kCollectType),
                      MakeCallback(&RanSub::HandleCollect, this));
    channel->Register(ControlChannel::MessageType(m_instance, kDistributeType),
                      MakeCallback(&RanSub::HandleDistribute, this));
    tree->TraceConnectWithoutContext("Changed", MakeCallback(&RanSub::TreeChanged, this));
    if (tree->IsRoot())
    {
        m_rootTimer = Simulator::Schedule(m_startDelay, &RanSub::RootTick, this);
    }
}

void
RanSub::Stop()
{
    m_running = false;
    m_rootTimer.Cancel();
    m_collectTimer.Cancel();
}

uint32_t
RanSub::GetEpoch() const
{
    return m_epoch;
}

uint32_t
RanSub::GetDescendants(Ipv4Address child) const
{
    auto it = m_children.find(child);
    return it == m_children.end() ? 0 : it->second.descendants;
}

uint32_t
RanSub::GetPopulation() const
{
    return m_population;
}

uint64_t
RanSub::GetSaturatedSums() const
{
    return m_saturated;
}

uint64_t
RanSub::GetRejectedMessages() const
{
    return m_rejected;
}

void
RanSub::Reject(Ipv4Address from, const std::string& why)
{
    ++m_rejected;
    NS_LOG_WARN(m_channel->GetLocalAddress()
                << ": RanSub message from " << from << " rejected: " << why);
    m_rejectedTrace(from, why);
}

int64_t
RanSub::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

void
RanSub::DoDispose()
{
    Stop();
    m_tree = nullptr;
    m_channel = nullptr;
    m_children.clear();
    Object::DoDispose();
}

void
RanSub::RootTick()
{
    if (!m_running)
    {
        return;
    }
    m_rootTimer = Simulator::Schedule(m_epochPeriod, &RanSub::RootTick, this);
    if (m_collecting && !m_failureDetection)
    {
        m_rootWaiting = true; // the epoch starts when the last collect arrives, if ever
        return;
    }
    if (m_collecting)
    {
        SendCollect(); // the epoch outlasted its maximum: report without the silent children
    }
    StartEpoch(m_epoch + 1);
}

void
RanSub::StartEpoch(uint32_t epoch)
{
    m_epoch = epoch;
    m_fromParent = RanSubSet{};
    m_population = 1;
    bool saturated = false;
    for (const auto& [child, state] : m_children)
    {
        if (state.epoch + 1 >= m_epoch)
        {
            m_population = RanSubSet::AddCounts(m_population, state.descendants, saturated);
        }
    }
    m_saturated += saturated;
    NS_LOG_INFO("root starts epoch " << m_epoch << ", population " << m_population);
    Deliver();
    SendDistributes();
    StartCollect();
}

RanSubSet
RanSub::Self() const
{
    RanSubSet self;
    self.population = 1;
    self.members.push_back(
        {m_channel->GetLocalAddress(), m_payload.IsNull() ? std::vector<uint8_t>{} : m_payload()});
    return self;
}

void
RanSub::SendDistributes()
{
    const RanSubSet self = Self();
    const auto& children = m_tree->GetChildren();
    for (size_t i = 0; i < children.size(); ++i)
    {
        std::vector<const RanSubSet*> inputs{&self, &m_fromParent};
        for (size_t j = 0; j < children.size(); ++j)
        {
            // Ordered: only the children before this one; otherwise all its siblings.
            bool sibling = m_mode == ORDERED ? j < i : j != i;
            auto it = m_children.find(children[j]);
            if (sibling && it != m_children.end() && it->second.epoch + 1 >= m_epoch)
            {
                inputs.push_back(&it->second.set);
            }
        }
        RanSubHeader h;
        h.epoch = m_epoch;
        h.count = m_population;
        h.set = RanSubSet::Compact(inputs, m_setSize, m_rng);
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(h);
        m_channel->Send(children[i], ControlChannel::MessageType(m_instance, kDistributeType), p);
    }
}

void
RanSub::StartCollect()
{
    m_reported.clear();
    m_collecting = true;
    m_collectTimer.Cancel();
    if (m_tree->GetChildren().empty())
    {
        SendCollect();
    }
    else if (m_failureDetection && !m_tree->IsRoot())
    {
        m_collectTimer = Simulator::Schedule(m_collectTimeout, &RanSub::CollectTimeout, this);
    }
}

void
RanSub::CollectTimeout()
{
    if (m_collecting)
    {
        NS_LOG_INFO("epoch " << m_epoch << ": collect timed out with " << m_reported.size() << "/"
                             << m_tree->GetChildren().size() << " children");
        SendCollect();
    }
}

void
RanSub::SendCollect()
{
    m_collectTimer.Cancel();
    m_collecting = false;
    // A child that reported this epoch or the one before still counts: a collect that arrives
    // late because a slow subtree timed out below is one epoch stale, not absent.
    RanSubSet self = Self();
    std::vector<const RanSubSet*> inputs{&self};
    uint32_t descendants = 1;
    bool saturated = false;
    for (auto& [child, state] : m_children)
    {
        if (state.epoch + 1 >= m_epoch)
        {
            inputs.push_back(&state.set);
            descendants = RanSubSet::AddCounts(descendants, state.descendants, saturated);
        }
        else
        {
            state.descendants = 0; // absent
        }
    }
    if (m_tree->IsRoot())
    {
        if (m_rootWaiting)
        {
            m_rootWaiting = false;
            StartEpoch(m_epoch + 1);
        }
        return;
    }
    if (!m_tree->HasParent())
    {
        return;
    }
    m_saturated += saturated;
    RanSubHeader h;
    h.epoch = m_epoch;
    h.count = descendants;
    h.set = RanSubSet::Compact(inputs, m_setSize, m_rng);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    m_channel->Send(m_tree->GetParent(), ControlChannel::MessageType(m_instance, kCollectType), p);
}

void
RanSub::Deliver()
{
    std::vector<RanSubMember> members;
    if (m_mode == ALL)
    {
        std::vector<const RanSubSet*> inputs{&m_fromParent};
        for (const auto& [child, state] : m_children)
        {
            if (state.epoch + 1 >= m_epoch)
            {
                inputs.push_back(&state.set);
            }
        }
        members = RanSubSet::Compact(inputs, m_setSize, m_rng).members;
    }
    else
    {
        members = m_fromParent.members;
    }
    m_deliverTrace(m_epoch, members.size());
    if (!m_deliver.IsNull())
    {
        m_deliver(m_epoch, members);
    }
}

void
RanSub::HandleCollect(Ipv4Address from, Ptr<Packet> p)
{
    if (!m_running || !m_tree->IsChild(from))
    {
        return;
    }
    RanSubHeader h;
    p->RemoveHeader(h);
    if (!h.IsValid())
    {
        Reject(from, "malformed collect: " + h.GetError());
        return;
    }
    if (h.count == 0)
    {
        Reject(from, "collect counts 0 nodes in the sender's subtree");
        return;
    }
    if (h.epoch > m_epoch)
    {
        return; // from a future we have not seen: ignore
    }
    auto& state = m_children[from];
    if (h.epoch < state.epoch)
    {
        return;
    }
    state.epoch = h.epoch;
    state.descendants = h.count;
    state.set = std::move(h.set);
    if (h.epoch != m_epoch || !m_collecting)
    {
        return; // late: used next epoch
    }
    m_reported.insert(from);
    const auto& children = m_tree->GetChildren();
    bool all = std::all_of(children.begin(), children.end(), [this](Ipv4Address c) {
        return m_reported.count(c) > 0;
    });
    if (all)
    {
        SendCollect();
    }
}

void
RanSub::HandleDistribute(Ipv4Address from, Ptr<Packet> p)
{
    if (!m_running || !m_tree->HasParent() || m_tree->GetParent() != from)
    {
        return;
    }
    RanSubHeader h;
    p->RemoveHeader(h);
    if (!h.IsValid())
    {
        Reject(from, "malformed distribute: " + h.GetError());
        return;
    }
    if (h.epoch <= m_epoch)
    {
        return;
    }
    m_epoch = h.epoch;
    m_population = h.count;
    m_fromParent = std::move(h.set);
    Deliver();
    SendDistributes();
    StartCollect();
}

void
RanSub::TreeChanged()
{
    for (auto it = m_children.begin(); it != m_children.end();)
    {
        it = m_tree->IsChild(it->first) ? std::next(it) : m_children.erase(it);
    }
    if (m_collecting)
    {
        const auto& children = m_tree->GetChildren();
        bool all = std::all_of(children.begin(), children.end(), [this](Ipv4Address c) {
            return m_reported.count(c) > 0;
        });
        if (all)
        {
            SendCollect();
        }
    }
}

} // namespace ns3
