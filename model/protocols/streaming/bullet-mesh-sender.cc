/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "bullet-mesh-sender.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("BulletMeshSender");

BulletMeshSender::BulletMeshSender(const Config& config, Ptr<OverlayTree> tree,
                                   StreamRecovery& recovery, BulletPeerLink link,
                                   std::function<void(Ipv4Address)> close)
    : m_config(config)
    , m_tree(tree)
    , m_recovery(recovery)
    , m_link(std::move(link))
    , m_close(std::move(close))
{
}

bool
BulletMeshSender::IsReceiver(Ipv4Address a) const
{
    return m_receivers.count(a) > 0;
}

std::vector<Ipv4Address>
BulletMeshSender::GetReceivers() const
{
    std::vector<Ipv4Address> out;
    for (const auto& [a, r] : m_receivers)
    {
        out.push_back(a);
    }
    return out;
}

std::vector<MeshEvaluationPolicy::ReceiverFigures>
BulletMeshSender::GetReceiverFigures() const
{
    std::vector<MeshEvaluationPolicy::ReceiverFigures> out;
    for (const auto& [a, r] : m_receivers)
    {
        MeshEvaluationPolicy::ReceiverFigures f;
        f.address = a;
        f.bytesSent = r.bytesSent;
        f.reportedKbps = r.reportedKbps;
        out.push_back(f);
    }
    return out;
}

void
BulletMeshSender::ResetCounts()
{
    for (auto& [a, r] : m_receivers)
    {
        r.bytesSent = 0;
    }
}

// ---------------------------------------------------------------- peering messages

void
BulletMeshSender::HandleRequest(Ipv4Address from, const BulletPeerHeader& h)
{
    if (!m_config.acceptsPeers
        || (m_receivers.count(from) == 0 && m_receivers.size() >= m_config.maxReceivers))
    {
        m_link.sendControl(from, BulletPeerHeader::kReject, nullptr);
        return;
    }
    ReceiverState& r = m_receivers[from];
    r.filter = h.filter;
    r.low = h.low;
    r.high = h.high;
    r.share = RowShare{}; // every packet, until the first refresh assigns rows
    r.lastRefresh = Simulator::Now();
    m_link.sendControl(from, BulletPeerHeader::kAccept, nullptr);
    NS_LOG_INFO(m_config.local << " accepts receiver " << from);
}

void
BulletMeshSender::HandleRefresh(Ipv4Address from, const BulletPeerHeader& h)
{
    auto it = m_receivers.find(from);
    if (it == m_receivers.end())
    {
        m_link.sendControl(from, BulletPeerHeader::kDrop, nullptr); // not (or no longer) ours
        return;
    }
    ReceiverState& r = it->second;
    r.filter = h.filter;
    r.low = h.low;
    r.high = h.high;
    r.share = h.share;
    r.reportedKbps = h.receivedKbps;
    r.lastRefresh = Simulator::Now();
    // What we hold of our row of the receiver's wanted range that its filter lacks, less
    // what we sent it since its last refresh (still in flight when it built the filter).
    SequenceSet recent;
    recent.Swap(r.sentSinceRefresh);
    std::deque<uint32_t> missing = m_recovery.Missing(h, [&r, &recent](uint32_t seq) {
        return r.share.Contains(seq) && !recent.Contains(seq);
    });
    if (m_config.order)
    {
        m_config.order(missing);
    }
    m_recovery.Owe(from, std::move(missing));
    m_recovery.Pump(from);
}

// ---------------------------------------------------------------- data

void
BulletMeshSender::Offer(uint32_t seq, Ipv4Address from)
{
    for (auto& [a, r] : m_receivers)
    {
        if (a != from && seq >= r.low && seq <= r.high && r.share.Contains(seq)
            && !r.filter.Contains(seq))
        {
            m_recovery.OweAlso(a, seq);
            m_recovery.Pump(a);
        }
    }
}

void
BulletMeshSender::OnSendReady(Ipv4Address peer)
{
    if (m_receivers.count(peer))
    {
        m_recovery.Pump(peer);
    }
}

void
BulletMeshSender::Sent(Ipv4Address peer, uint32_t bytes, uint32_t seq)
{
    auto it = m_receivers.find(peer);
    if (it != m_receivers.end())
    {
        it->second.bytesSent += bytes;
        it->second.sentSinceRefresh.Insert(seq);
    }
}

// ---------------------------------------------------------------- drops

void
BulletMeshSender::DropSilent()
{
    std::vector<Ipv4Address> silent;
    for (const auto& [a, r] : m_receivers)
    {
        if (Simulator::Now() - r.lastRefresh > m_config.receiverTimeout)
        {
            silent.push_back(a);
        }
    }
    for (const auto& a : silent)
    {
        DropReceiver(a, "no refresh", false);
    }
}

void
BulletMeshSender::DropReceiver(Ipv4Address receiver, const std::string& why, bool tell)
{
    if (m_receivers.erase(receiver) == 0)
    {
        return;
    }
    m_recovery.Forget(receiver);
    NS_LOG_INFO(m_config.local << " drops receiver " << receiver << ": " << why);
    if (tell)
    {
        m_link.sendControl(receiver, BulletPeerHeader::kDrop, nullptr);
    }
    if (!m_tree->IsChild(receiver))
    {
        m_close(receiver);
    }
    m_link.peerDropped(receiver, why);
}

} // namespace ns3
