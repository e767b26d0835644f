/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "bullet-tree-push.h"

#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("BulletTreePush");

BulletTreePush::BulletTreePush(Ptr<OverlayTree> tree, Ptr<ChildSendPolicy> policy,
                               Ptr<RecoveredRelayPolicy> relay, double initialLimitingFactor,
                               SendFn send, DescendantsFn descendants)
    : m_tree(tree)
    , m_policy(policy)
    , m_relay(relay)
    , m_initialLimitingFactor(initialLimitingFactor)
    , m_send(std::move(send))
    , m_descendants(std::move(descendants))
{
}

const std::vector<ChildSendPolicy::Child>&
BulletTreePush::GetChildren() const
{
    return m_children;
}

void
BulletTreePush::NewEpoch()
{
    m_lastEpochPackets = m_epochPackets;
    m_epochPackets = 0;
    UpdateChildren();
    for (auto& c : m_children)
    {
        c.sent = 0;
    }
    m_totalSent = 0;
}

void
BulletTreePush::UpdateChildren()
{
    const auto& now = m_tree->GetChildren();
    std::vector<ChildSendPolicy::Child> next;
    for (const auto& a : now)
    {
        auto it = std::find_if(m_children.begin(), m_children.end(), [a](const auto& c) {
            return c.address == a;
        });
        if (it != m_children.end())
        {
            next.push_back(*it);
        }
        else
        {
            ChildSendPolicy::Child c;
            c.address = a;
            c.limitingFactor = m_initialLimitingFactor;
            next.push_back(c);
        }
    }
    // Sending factors sf_i = d_i / sum d_j from RanSub's descendant counts (equal shares
    // until RanSub has counted).
    uint64_t total = 0;
    for (const auto& c : next)
    {
        total += m_descendants(c.address);
    }
    for (auto& c : next)
    {
        c.sendingFactor = total ? double(m_descendants(c.address)) / total : 1.0 / next.size();
    }
    m_children = std::move(next);
}

bool
BulletTreePush::Has(Ipv4Address child, uint32_t seq) const
{
    auto it = m_holdings.find(child);
    if (it == m_holdings.end())
    {
        return false;
    }
    const ChildHoldings& h = it->second;
    return m_relay->LeftToPeers(seq, h.high, h.share) || h.sentSince.Contains(seq)
           || h.filter.Contains(seq);
}

bool
BulletTreePush::Push(uint32_t seq, Ptr<const Packet> packet)
{
    ++m_epochPackets;
    if (m_children.size() != m_tree->GetChildren().size())
    {
        UpdateChildren();
    }
    double lfStep = 1.0 / std::max<uint32_t>(1, m_lastEpochPackets);
    auto has = [this, seq](const ChildSendPolicy::Child& c) {
        return Has(c.address, seq);
    };
    auto send = [this, seq, &packet](ChildSendPolicy::Child& c) {
        if (!m_send(c.address, packet, seq))
        {
            return false;
        }
        auto it = m_holdings.find(c.address);
        if (it != m_holdings.end())
        {
            it->second.sentSince.Insert(seq);
        }
        return true;
    };
    return m_policy->Send(m_children, seq, lfStep, m_totalSent, send, has);
}

void
BulletTreePush::HandleChildDigest(Ipv4Address from, const BulletPeerHeader& digest)
{
    if (!m_tree->IsChild(from))
    {
        return;
    }
    ChildHoldings& c = m_holdings[from];
    c.filter = digest.filter;
    c.high = digest.high;
    c.share = digest.share;
    c.sentSince.Clear();
}

void
BulletTreePush::ForgetFormerChildren()
{
    for (auto it = m_holdings.begin(); it != m_holdings.end();)
    {
        it = m_tree->IsChild(it->first) ? std::next(it) : m_holdings.erase(it);
    }
}

} // namespace ns3
