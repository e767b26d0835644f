/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "topology-partition.h"

#include "ns3/command-line.h"
#include "ns3/ranks.h"

#include <algorithm>
#include <deque>
#include <map>
#include <metis.h>
#include <numeric>
#include <stdexcept>

namespace ns3
{

namespace
{

/// Union-find over vertices, joining the ends of links too short to cut.
class Groups
{
  public:
    explicit Groups(uint32_t n)
        : m_parent(n)
    {
        std::iota(m_parent.begin(), m_parent.end(), 0);
    }

    uint32_t
    Find(uint32_t v)
    {
        while (m_parent[v] != v)
        {
            m_parent[v] = m_parent[m_parent[v]];
            v = m_parent[v];
        }
        return v;
    }

    void
    Join(uint32_t a, uint32_t b)
    {
        a = Find(a);
        b = Find(b);
        if (a != b)
        {
            m_parent[std::max(a, b)] = std::min(a, b);
        }
    }

  private:
    std::vector<uint32_t> m_parent;
};

/// The graph of groups: vertex weights, and neighbours with the number of links between.
struct GroupGraph
{
    std::vector<uint32_t> groupOf; ///< per spec vertex
    std::vector<uint64_t> weight;  ///< per group
    std::vector<std::map<uint32_t, uint32_t>> adjacent;
};

GroupGraph
BuildGroups(const TopologySpec& spec, const std::vector<uint64_t>& weightOf, double minLookaheadMs)
{
    const uint32_t n = spec.GetNVertices();
    Groups uf(n);
    for (const LinkSpec& l : spec.links)
    {
        if (l.delayMs < minLookaheadMs)
        {
            uf.Join(l.a, l.b);
        }
    }
    GroupGraph g;
    g.groupOf.assign(n, 0);
    std::vector<uint32_t> idOfRoot(n, UINT32_MAX);
    for (uint32_t v = 0; v < n; ++v)
    {
        uint32_t root = uf.Find(v);
        if (idOfRoot[root] == UINT32_MAX)
        {
            idOfRoot[root] = g.weight.size();
            g.weight.push_back(0);
        }
        g.groupOf[v] = idOfRoot[root];
        g.weight[g.groupOf[v]] += weightOf[v];
    }
    g.adjacent.resize(g.weight.size());
    for (const LinkSpec& l : spec.links)
    {
        uint32_t a = g.groupOf[l.a];
        uint32_t b = g.groupOf[l.b];
        if (a != b)
        {
            ++g.adjacent[a][b];
            ++g.adjacent[b][a];
        }
    }
    return g;
}

/// METIS's k-way partitioning of the group graph; returns the rank of each group.
std::vector<uint32_t>
PartitionWithMetis(const GroupGraph& g, uint32_t ranks, uint64_t seed)
{
    idx_t nvtxs = g.weight.size();
    idx_t ncon = 1;
    idx_t nparts = ranks;
    std::vector<idx_t> xadj{0};
    std::vector<idx_t> adjncy;
    std::vector<idx_t> adjwgt;
    std::vector<idx_t> vwgt;
    for (uint32_t i = 0; i < g.weight.size(); ++i)
    {
        vwgt.push_back(static_cast<idx_t>(g.weight[i]));
        for (auto [j, links] : g.adjacent[i])
        {
            adjncy.push_back(j);
            adjwgt.push_back(links);
        }
        xadj.push_back(adjncy.size());
    }
    idx_t options[METIS_NOPTIONS];
    METIS_SetDefaultOptions(options);
    options[METIS_OPTION_SEED] = static_cast<idx_t>(seed & 0x7fffffff);
    idx_t edgecut = 0;
    std::vector<idx_t> part(nvtxs, 0);
    int status = METIS_PartGraphKway(&nvtxs, &ncon, xadj.data(), adjncy.data(), vwgt.data(),
                                     nullptr, adjwgt.data(), &nparts, nullptr, nullptr, options,
                                     &edgecut, part.data());
    if (status != METIS_OK)
    {
        throw std::runtime_error("METIS_PartGraphKway failed (status " + std::to_string(status)
                                 + ")");
    }
    return std::vector<uint32_t>(part.begin(), part.end());
}

/// Breadth-first order from a peripheral group (leaves right after the vertex they hang on),
/// cut into runs of equal weight.
std::vector<uint32_t>
PartitionByBfs(const GroupGraph& g, uint32_t ranks)
{
    const uint32_t n = g.weight.size();
    auto bfs = [&](uint32_t start, std::vector<char>& seen, std::vector<uint32_t>& order) {
        std::deque<uint32_t> queue{start};
        seen[start] = 1;
        while (!queue.empty())
        {
            uint32_t v = queue.front();
            queue.pop_front();
            order.push_back(v);
            for (auto [w, links] : g.adjacent[v])
            {
                if (seen[w])
                {
                    continue;
                }
                seen[w] = 1;
                if (g.adjacent[w].size() == 1)
                {
                    order.push_back(w); // a leaf (a client) goes with the vertex it hangs on
                }
                else
                {
                    queue.push_back(w);
                }
            }
        }
    };
    std::vector<uint32_t> order;
    std::vector<char> seen(n, 0);
    for (uint32_t v = 0; v < n; ++v)
    {
        if (seen[v])
        {
            continue;
        }
        // Start each component at its far end (the last vertex a first search reaches), so
        // that the order sweeps across it instead of spreading out from its middle.
        std::vector<uint32_t> probe;
        std::vector<char> probeSeen(seen);
        bfs(v, probeSeen, probe);
        bfs(probe.back(), seen, order);
    }
    const double total = std::accumulate(g.weight.begin(), g.weight.end(), 0.0);
    std::vector<uint32_t> rankOfGroup(n, 0);
    double before = 0;
    for (uint32_t v : order)
    {
        double middle = before + g.weight[v] / 2.0;
        rankOfGroup[v]
            = std::min<uint32_t>(ranks - 1, static_cast<uint32_t>(middle * ranks / total));
        before += g.weight[v];
    }
    return rankOfGroup;
}

} // namespace

std::vector<std::string>
PartitionParams::Methods()
{
    return {"metis", "bfs"};
}

double
TopologyPartition::Imbalance() const
{
    if (rankWeight.empty())
    {
        return 0;
    }
    double total = std::accumulate(rankWeight.begin(), rankWeight.end(), 0.0);
    double largest = *std::max_element(rankWeight.begin(), rankWeight.end());
    return total > 0 ? largest * rankWeight.size() / total : 0;
}

void
MeasurePartition(const TopologySpec& spec, TopologyPartition& part)
{
    part.cutLinks = 0;
    part.lookaheadMs = std::numeric_limits<double>::infinity();
    for (const LinkSpec& l : spec.links)
    {
        if (part.rankOf[l.a] != part.rankOf[l.b])
        {
            ++part.cutLinks;
            part.lookaheadMs = std::min(part.lookaheadMs, l.delayMs);
        }
    }
    part.rankWeight.assign(part.ranks, 0);
    part.rankVertices.assign(part.ranks, 0);
    part.rankClients.assign(part.ranks, 0);
    for (uint32_t v = 0; v < part.rankOf.size(); ++v)
    {
        part.rankWeight[part.rankOf[v]] += part.weightOf[v];
        ++part.rankVertices[part.rankOf[v]];
        if (v >= spec.nRouters)
        {
            ++part.rankClients[part.rankOf[v]];
        }
    }
}

TopologyPartition
PartitionTopology(const TopologySpec& spec, const PartitionParams& params)
{
    const auto methods = PartitionParams::Methods();
    if (std::find(methods.begin(), methods.end(), params.method) == methods.end())
    {
        throw std::invalid_argument("unknown partition method '" + params.method + "' (metis|bfs)");
    }
    if (params.ranks == 0)
    {
        throw std::invalid_argument("a partition needs at least one rank");
    }
    if (!(params.minLookaheadMs >= 0))
    {
        throw std::invalid_argument("the smallest lookahead must be at least 0 ms");
    }
    const uint32_t n = spec.GetNVertices();
    TopologyPartition part;
    part.ranks = params.ranks;
    part.weightOf.assign(n, 0);
    for (const LinkSpec& l : spec.links)
    {
        ++part.weightOf[l.a];
        ++part.weightOf[l.b];
    }
    for (uint32_t v = spec.nRouters; v < n; ++v)
    {
        part.weightOf[v] += params.clientWeight;
    }
    GroupGraph g = BuildGroups(spec, part.weightOf, params.minLookaheadMs);
    part.groups = g.weight.size();
    part.largestGroupWeight
        = g.weight.empty() ? 0 : *std::max_element(g.weight.begin(), g.weight.end());
    if (params.ranks > part.groups)
    {
        throw std::invalid_argument(
            std::to_string(params.ranks) + " ranks for " + std::to_string(part.groups)
            + " groups of vertices (links shorter than the smallest lookahead, "
            + std::to_string(params.minLookaheadMs) + " ms, are never cut)");
    }
    std::vector<uint32_t> rankOfGroup(part.groups, 0);
    if (params.ranks > 1)
    {
        rankOfGroup = params.method == "metis" ? PartitionWithMetis(g, params.ranks, params.seed)
                                               : PartitionByBfs(g, params.ranks);
    }
    part.rankOf.resize(n);
    for (uint32_t v = 0; v < n; ++v)
    {
        part.rankOf[v] = rankOfGroup[g.groupOf[v]];
    }
    MeasurePartition(spec, part);
    return part;
}

void
DistributedOptions::AddTo(CommandLine& cmd)
{
    cmd.AddValue("sync",
                 "under mpirun: the distributed simulator's synchronisation, granted (time "
                 "windows) or nullmessage",
                 sync);
    cmd.AddValue("split", "under mpirun: how the network is split over the ranks, metis|bfs",
                 split);
    cmd.AddValue("minLookahead", "under mpirun: links shorter than this (ms) are never cut",
                 minLookaheadMs);
    cmd.AddValue("clientWeight",
                 "under mpirun: a client's weight against a router's, on top of one per link end",
                 clientWeight);
}

void
DistributedOptions::Validate() const
{
    const auto algorithms = Ranks::SyncAlgorithms();
    if (std::find(algorithms.begin(), algorithms.end(), sync) == algorithms.end())
    {
        throw std::invalid_argument("unknown --sync '" + sync + "' (granted|nullmessage)");
    }
    const auto methods = PartitionParams::Methods();
    if (std::find(methods.begin(), methods.end(), split) == methods.end())
    {
        throw std::invalid_argument("unknown --split '" + split + "' (metis|bfs)");
    }
    if (!(minLookaheadMs >= 0))
    {
        throw std::invalid_argument("--minLookahead must be >= 0 ms");
    }
}

PartitionParams
DistributedOptions::Params(uint32_t ranks, uint64_t seed) const
{
    PartitionParams params;
    params.ranks = ranks;
    params.method = split;
    params.minLookaheadMs = minLookaheadMs;
    params.clientWeight = clientWeight;
    params.seed = seed;
    return params;
}

std::vector<uint32_t>
DistributedOptions::Split(const TopologySpec& spec, uint64_t seed, nlohmann::json& report) const
{
    if (!Ranks::IsDistributed())
    {
        return {};
    }
    Validate();
    TopologyPartition part = PartitionTopology(spec, Params(Ranks::Size(), seed));
    report["mpi_ranks"] = Ranks::Size();
    report["mpi_sync"] = sync;
    report["mpi_split"] = split;
    report["mpi_cut_links"] = part.cutLinks;
    report["mpi_lookahead_ms"] = part.lookaheadMs;
    report["mpi_clients_per_rank"] = part.rankClients;
    report["mpi_imbalance"] = part.Imbalance();
    return part.rankOf;
}

} // namespace ns3
