/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "bullet-mesh-receiver.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("BulletMeshReceiver");

BulletMeshReceiver::BulletMeshReceiver(const Config& config, Ptr<OverlayTree> tree,
                                       const StreamRecovery& recovery,
                                       Ptr<RecoveredRelayPolicy> relay,
                                       Ptr<RowAssignmentPolicy> rows,
                                       Ptr<DigestFilterPolicy> filters, BulletPeerLink link,
                                       std::function<void(Ipv4Address)> senderAdded)
    : m_config(config)
    , m_tree(tree)
    , m_recovery(recovery)
    , m_relay(relay)
    , m_rows(rows)
    , m_filters(filters)
    , m_link(std::move(link))
    , m_senderAdded(std::move(senderAdded))
{
}

bool
BulletMeshReceiver::IsSender(Ipv4Address a) const
{
    return std::any_of(m_senders.begin(), m_senders.end(), [a](const auto& s) {
        return s.address == a;
    });
}

std::vector<Ipv4Address>
BulletMeshReceiver::GetSenders() const
{
    std::vector<Ipv4Address> out;
    for (const auto& s : m_senders)
    {
        out.push_back(s.address);
    }
    return out;
}

const std::vector<MeshEvaluationPolicy::SenderFigures>&
BulletMeshReceiver::GetSenderFigures() const
{
    return m_senders;
}

void
BulletMeshReceiver::ResetCounts()
{
    for (auto& s : m_senders)
    {
        s.received = 0;
        s.duplicates = 0;
    }
}

// ---------------------------------------------------------------- finding senders

std::vector<BulletMeshReceiver::Candidate>
BulletMeshReceiver::RankByResemblance(const SummaryTicket& mine,
                                      const std::vector<RanSubMember>& members,
                                      const std::function<bool(Ipv4Address)>& eligible)
{
    std::vector<Candidate> ranked;
    for (const auto& m : members)
    {
        if (!eligible(m.node))
        {
            continue;
        }
        SummaryTicket theirs(mine.GetPermutations());
        Buffer b;
        b.AddAtStart(m.payload.size());
        b.Begin().Write(m.payload.data(), m.payload.size());
        WireReader reader(b.Begin());
        if (!theirs.Deserialize(reader))
        {
            continue; // a malformed ticket: not a candidate
        }
        ranked.push_back({m.node, mine.Resemblance(theirs)});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const Candidate& a, const Candidate& b) {
        return a.resemblance < b.resemblance;
    });
    return ranked;
}

void
BulletMeshReceiver::NewEpoch(const std::vector<RanSubMember>& members)
{
    auto expire = [now = Simulator::Now()](std::map<Ipv4Address, Time>& since, Time age) {
        for (auto it = since.begin(); it != since.end();)
        {
            it = now - it->second >= age ? since.erase(it) : ++it;
        }
    };
    expire(m_openRequests, m_config.requestTimeout);
    expire(m_rejectedBy, m_config.rejectHoldDown);
    RequestPeers(members);
}

void
BulletMeshReceiver::RequestPeers(const std::vector<RanSubMember>& members)
{
    auto hasRoom = [this]() {
        return m_senders.size() + m_openRequests.size() < m_config.maxSenders;
    };
    if (!hasRoom() || m_config.isSource)
    {
        return;
    }
    auto eligible = [this](Ipv4Address a) {
        return a != m_config.local && !IsSender(a)
               && !(m_tree->HasParent() && m_tree->GetParent() == a) && m_openRequests.count(a) == 0
               && m_rejectedBy.count(a) == 0;
    };
    const std::vector<Candidate> ranked
        = RankByResemblance(m_recovery.GetWorkingSet().GetTicket(), members, eligible);
    const size_t most = m_config.requestsPerEpoch == 0
                            ? ranked.size()
                            : std::min<size_t>(ranked.size(), m_config.requestsPerEpoch);
    if (most == 0)
    {
        return;
    }
    BulletPeerHeader h = MakeDigest();
    size_t asked = 0;
    for (const Candidate& c : ranked)
    {
        if (asked == most || !hasRoom())
        {
            break;
        }
        if (m_openRequests.count(c.node) != 0)
        {
            continue; // listed twice in the set (RanSub's sets may repeat a node that moved)
        }
        NS_LOG_INFO(m_config.local << " asks " << c.node << " (resemblance " << c.resemblance
                                   << ")");
        m_openRequests[c.node] = Simulator::Now();
        m_link.sendControl(c.node, BulletPeerHeader::kRequest, &h);
        ++asked;
    }
}

void
BulletMeshReceiver::HandleAccept(Ipv4Address from)
{
    if (IsSender(from))
    {
        return;
    }
    auto open = m_openRequests.find(from);
    if (open == m_openRequests.end() || m_senders.size() >= m_config.maxSenders)
    {
        NS_LOG_INFO(m_config.local << " declines an accept from " << from << " (request "
                                   << (open == m_openRequests.end() ? "not open" : "open")
                                   << ", senders " << m_senders.size() << ")");
        m_openRequests.erase(from);
        m_link.sendControl(from, BulletPeerHeader::kDrop, nullptr); // an answer we no longer want
        return;
    }
    m_openRequests.erase(open);
    MeshEvaluationPolicy::SenderFigures s;
    s.address = from;
    m_senders.push_back(s);
    m_senderAdded(from);
    SendRefreshes(); // every sender's row changes with s
}

void
BulletMeshReceiver::HandleReject(Ipv4Address from)
{
    if (m_openRequests.erase(from))
    {
        m_rejectedBy[from] = Simulator::Now();
    }
}

// ---------------------------------------------------------------- telling senders what we lack

BulletPeerHeader
BulletMeshReceiver::MakeDigest() const
{
    BulletPeerHeader h;
    m_recovery.FillDigest(h);
    if (!m_config.isSource && Simulator::Now() - m_lastParentData > m_config.refreshPeriod)
    {
        // The tree brings this node nothing new (its parent failed, or is starved): ask peers
        // for newer packets of their rows too, not only for holes below the newest.
        h.high = std::numeric_limits<uint32_t>::max();
    }
    double seconds = std::max(1e-3, (Simulator::Now() - m_lastRefreshSent).GetSeconds());
    h.receivedKbps = uint32_t(m_bytesSinceRefresh * 8 / 1000.0 / seconds);
    return h;
}

void
BulletMeshReceiver::SendRefreshes()
{
    BulletPeerHeader h = MakeDigest();
    // The matrix is divided among the senders and, if the relay policy says so, the parent
    // (after them). Rows rotate from one refresh to the next (Figure 4b), so a hole the sender
    // of one row cannot fill is asked of another sender in the next period.
    const bool parentServes = m_relay->ParentServesRows(m_tree->HasParent());
    std::vector<uint32_t> delivered;
    for (auto& s : m_senders)
    {
        delivered.push_back(s.deliveredSinceRefresh);
        s.deliveredSinceRefresh = 0;
    }
    if (parentServes)
    {
        // What a parent delivers is mostly the stream's new packets, not its share; count it
        // as a typical sender.
        uint64_t sum = std::accumulate(delivered.begin(), delivered.end(), uint64_t(0));
        delivered.push_back(delivered.empty() ? 0 : uint32_t(sum / delivered.size()));
    }
    const uint32_t shift = m_config.rowRotation ? m_refreshRound / m_config.rowRotation : 0;
    const std::vector<RowShare> shares = m_rows->Assign(delivered, shift);
    for (std::size_t i = 0; i < m_senders.size(); ++i)
    {
        h.share = shares[i];
        h.filter = m_filters->Build(m_recovery.GetWorkingSet(), h.share);
        m_link.sendControl(m_senders[i].address, BulletPeerHeader::kRefresh, &h);
    }
    if (m_tree->HasParent())
    {
        h.share = parentServes ? shares.back() : RowShare{};
        h.filter = m_filters->Build(m_recovery.GetWorkingSet(), h.share);
        m_link.sendControl(m_tree->GetParent(), BulletPeerHeader::kChildDigest, &h);
    }
    m_bytesSinceRefresh = 0;
    m_lastRefreshSent = Simulator::Now();
    ++m_refreshRound;
}

// ---------------------------------------------------------------- data and drops

void
BulletMeshReceiver::Received(Ipv4Address from, bool duplicate)
{
    m_bytesSinceRefresh += m_config.packetSize;
    if (m_tree->HasParent() && m_tree->GetParent() == from)
    {
        m_lastParentData = Simulator::Now();
    }
    for (auto& s : m_senders)
    {
        if (s.address == from)
        {
            ++s.received;
            s.duplicates += duplicate;
            s.deliveredSinceRefresh += !duplicate;
        }
    }
}

void
BulletMeshReceiver::DropSender(Ipv4Address sender, const std::string& why)
{
    auto it = std::find_if(m_senders.begin(), m_senders.end(), [sender](const auto& s) {
        return s.address == sender;
    });
    if (it == m_senders.end())
    {
        return;
    }
    NS_LOG_INFO(m_config.local << " drops sender " << sender << ": " << why);
    m_senders.erase(it);
    m_link.sendControl(sender, BulletPeerHeader::kDrop, nullptr);
    m_link.peerDropped(sender, why);
    SendRefreshes(); // the rows change with s
}

bool
BulletMeshReceiver::SenderLeft(Ipv4Address from)
{
    if (!IsSender(from))
    {
        return false;
    }
    m_senders.erase(std::remove_if(m_senders.begin(), m_senders.end(),
                                   [from](const auto& s) {
                                       return s.address == from;
                                   }),
                    m_senders.end());
    m_link.peerDropped(from, "dropped by sender");
    SendRefreshes();
    return true;
}

} // namespace ns3
