/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tree-builder.h"

#include "ns3/log.h"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <queue>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TreeBuilder");

uint32_t
TreeSpec::GetNNodes() const
{
    return parent.size();
}

std::vector<std::vector<uint32_t>>
TreeSpec::Children() const
{
    std::vector<std::vector<uint32_t>> children(parent.size());
    for (uint32_t v = 0; v < parent.size(); ++v)
    {
        if (parent[v] != kNoParent)
        {
            children[parent[v]].push_back(v);
        }
    }
    return children;
}

uint32_t
TreeSpec::Depth() const
{
    auto children = Children();
    uint32_t depth = 0;
    std::vector<std::pair<uint32_t, uint32_t>> stack{{root, 0}};
    while (!stack.empty())
    {
        auto [v, d] = stack.back();
        stack.pop_back();
        depth = std::max(depth, d);
        for (uint32_t c : children[v])
        {
            stack.emplace_back(c, d + 1);
        }
    }
    return depth;
}

bool
TreeSpec::IsSpanningTree() const
{
    if (root >= parent.size() || parent[root] != kNoParent)
    {
        return false;
    }
    for (uint32_t v = 0; v < parent.size(); ++v)
    {
        uint32_t at = v;
        for (uint32_t steps = 0; at != root; ++steps)
        {
            if (parent[at] == kNoParent || parent[at] >= int64_t(parent.size())
                || steps > parent.size())
            {
                return false;
            }
            at = parent[at];
        }
    }
    return true;
}

OverlayThroughputModel::OverlayThroughputModel(Ptr<SimulatedNetwork> net, FormulaBps formula)
    : m_net(net)
    , m_formula(std::move(formula))
    , m_flows(2 * net->GetSpec().links.size(), 0)
{
}

Ptr<SimulatedNetwork>
OverlayThroughputModel::GetNetwork() const
{
    return m_net;
}

double
OverlayThroughputModel::GetRtt(uint32_t a, uint32_t b) const
{
    return m_net->GetRttMs(a, b) / 1000.0;
}

double
OverlayThroughputModel::GetLoss(uint32_t a, uint32_t b) const
{
    double pass = 1;
    const auto& links = m_net->GetSpec().links;
    for (const auto& hop : m_net->GetPath(a, b))
    {
        pass *= 1 - (hop.fromA ? links[hop.link].lossAtoB : links[hop.link].lossBtoA);
    }
    return 1 - pass;
}

double
OverlayThroughputModel::GetFormulaBps(uint32_t a, uint32_t b) const
{
    return m_formula(GetRtt(a, b), GetLoss(a, b));
}

void
OverlayThroughputModel::AddFlow(uint32_t a, uint32_t b)
{
    for (const auto& hop : m_net->GetPath(a, b))
    {
        ++m_flows[2 * hop.link + (hop.fromA ? 0 : 1)];
    }
}

void
OverlayThroughputModel::RemoveFlow(uint32_t a, uint32_t b)
{
    for (const auto& hop : m_net->GetPath(a, b))
    {
        auto& n = m_flows[2 * hop.link + (hop.fromA ? 0 : 1)];
        NS_ASSERT(n > 0);
        --n;
    }
}

void
OverlayThroughputModel::ClearFlows()
{
    std::fill(m_flows.begin(), m_flows.end(), 0);
}

double
OverlayThroughputModel::FairShare(uint32_t a, uint32_t b, uint32_t extra) const
{
    double share = std::numeric_limits<double>::infinity();
    for (const auto& hop : m_net->GetPath(a, b))
    {
        double capacity = m_net->GetLinkRate(hop.link, hop.fromA).GetBitRate();
        uint32_t flows = m_flows[2 * hop.link + (hop.fromA ? 0 : 1)] + extra;
        share = std::min(share, capacity / std::max(flows, 1u));
    }
    return share;
}

double
OverlayThroughputModel::GetThroughputIfAdded(uint32_t a, uint32_t b) const
{
    return std::min(GetFormulaBps(a, b), FairShare(a, b, 1));
}

double
OverlayThroughputModel::GetThroughput(uint32_t a, uint32_t b) const
{
    return std::min(GetFormulaBps(a, b), FairShare(a, b, 0));
}

TreeSpec
TreeBuilder::Random(uint32_t nodes, uint32_t root, uint32_t maxChildren, uint64_t seed)
{
    if (root >= nodes || maxChildren == 0)
    {
        throw std::invalid_argument("random tree: root out of range or no room for children");
    }
    boost::random::mt19937_64 rng(seed);
    std::vector<uint32_t> order(nodes);
    std::iota(order.begin(), order.end(), 0);
    std::swap(order[0], order[root]);
    for (uint32_t i = 1; i + 1 < nodes; ++i)
    {
        std::swap(order[i],
                  order[boost::random::uniform_int_distribution<uint32_t>(i, nodes - 1)(rng)]);
    }
    TreeSpec tree;
    tree.root = root;
    tree.parent.assign(nodes, TreeSpec::kNoParent);
    std::vector<uint32_t> open{root}; // in the tree with room for a child
    std::vector<uint32_t> children(nodes, 0);
    for (uint32_t i = 1; i < nodes; ++i)
    {
        uint32_t k = boost::random::uniform_int_distribution<uint32_t>(0, open.size() - 1)(rng);
        uint32_t p = open[k];
        tree.parent[order[i]] = p;
        if (++children[p] == maxChildren)
        {
            open[k] = open.back();
            open.pop_back();
        }
        open.push_back(order[i]);
    }
    return tree;
}

TreeSpec
TreeBuilder::Bottleneck(OverlayThroughputModel& model, uint32_t root, uint32_t maxChildren)
{
    // Lazy greedy: a candidate link's throughput only falls as flows are placed, so a stale
    // heap value is an upper bound; re-evaluate the top until it is current.
    struct Candidate
    {
        double bps;
        uint32_t from;
        uint32_t to;

        bool
        operator<(const Candidate& o) const
        {
            return bps < o.bps || (bps == o.bps && std::tie(to, from) > std::tie(o.to, o.from));
        }
    };

    const uint32_t n = model.GetNetwork()->GetNClients();
    TreeSpec tree;
    tree.root = root;
    tree.parent.assign(n, TreeSpec::kNoParent);
    std::vector<bool> inTree(n, false);
    std::vector<uint32_t> children(n, 0);
    std::priority_queue<Candidate> heap;
    auto join = [&](uint32_t v) {
        inTree[v] = true;
        for (uint32_t w = 0; w < n; ++w)
        {
            if (!inTree[w])
            {
                heap.push({model.GetThroughputIfAdded(v, w), v, w});
            }
        }
    };
    model.ClearFlows();
    join(root);
    for (uint32_t added = 1; added < n && !heap.empty();)
    {
        Candidate top = heap.top();
        heap.pop();
        if (inTree[top.to] || (maxChildren > 0 && children[top.from] >= maxChildren))
        {
            continue;
        }
        double now = model.GetThroughputIfAdded(top.from, top.to);
        if (now < top.bps && !heap.empty() && now < heap.top().bps)
        {
            heap.push({now, top.from, top.to});
            continue;
        }
        tree.parent[top.to] = top.from;
        ++children[top.from];
        model.AddFlow(top.from, top.to);
        join(top.to);
        ++added;
    }
    if (!tree.IsSpanningTree())
    {
        throw std::runtime_error("bottleneck tree: could not attach every node (degree limit?)");
    }
    return tree;
}

double
TreeBuilder::EstimateBottleneckBps(OverlayThroughputModel& model, const TreeSpec& tree)
{
    model.ClearFlows();
    for (uint32_t v = 0; v < tree.parent.size(); ++v)
    {
        if (tree.parent[v] != TreeSpec::kNoParent)
        {
            model.AddFlow(tree.parent[v], v);
        }
    }
    double bottleneck = std::numeric_limits<double>::infinity();
    for (uint32_t v = 0; v < tree.parent.size(); ++v)
    {
        if (tree.parent[v] != TreeSpec::kNoParent)
        {
            bottleneck = std::min(bottleneck, model.GetThroughput(tree.parent[v], v));
        }
    }
    return bottleneck;
}

} // namespace ns3
