/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ransub-subsets.h"

#include "ns3/boolean.h"
#include "ns3/command-line.h"
#include "ns3/control-channel.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/experiment-output.h"
#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/streaming-scenario.h"
#include "ns3/topology-helper.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RanSubSubsets");

// ------------------------------------------------------------------------------ ChiSquare

namespace ChiSquare
{

double
Survival(double x, double dof)
{
    if (!(dof > 0))
    {
        throw std::invalid_argument("chi-square: degrees of freedom must be > 0");
    }
    if (!(x > 0))
    {
        return 1.0;
    }
    // Q(a, z) with a = dof / 2, z = x / 2.
    const double a = dof / 2;
    const double z = x / 2;
    const double eps = 1e-15;
    const double logPrefix = -z + a * std::log(z) - std::lgamma(a);
    if (z < a + 1)
    {
        // P(a, z) = e^-z z^a / Gamma(a) * sum_n z^n / (a (a+1) ... (a+n))
        double term = 1 / a;
        double sum = term;
        for (int n = 1; n < 10000; ++n)
        {
            term *= z / (a + n);
            sum += term;
            if (std::abs(term) < std::abs(sum) * eps)
            {
                break;
            }
        }
        return std::max(0.0, 1 - sum * std::exp(logPrefix));
    }
    // Q(a, z) = e^-z z^a / Gamma(a) * 1 / (z + 1 - a - 1 (1 - a) / (z + 3 - a - ...)),
    // evaluated by the modified Lentz method.
    const double tiny = 1e-300;
    double b = z + 1 - a;
    double c = 1 / tiny;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < 10000; ++i)
    {
        const double an = -i * (i - a);
        b += 2;
        d = an * d + b;
        d = std::abs(d) < tiny ? tiny : d;
        c = b + an / c;
        c = std::abs(c) < tiny ? tiny : c;
        d = 1 / d;
        const double delta = d * c;
        h *= delta;
        if (std::abs(delta - 1) < eps)
        {
            break;
        }
    }
    return std::min(1.0, std::exp(logPrefix) * h);
}

namespace
{

Test
Finish(double statistic, uint32_t cells)
{
    Test t;
    t.statistic = statistic;
    t.cells = cells;
    t.dof = cells > 1 ? cells - 1 : 0;
    t.pValue = t.dof > 0 ? Survival(statistic, t.dof) : 1.0;
    return t;
}

} // namespace

Test
Pearson(const std::vector<double>& observed, const std::vector<double>& expected)
{
    if (observed.size() != expected.size())
    {
        throw std::invalid_argument("chi-square: observed and expected differ in length");
    }
    double statistic = 0;
    uint32_t cells = 0;
    for (size_t i = 0; i < observed.size(); ++i)
    {
        if (expected[i] > 0)
        {
            statistic += (observed[i] - expected[i]) * (observed[i] - expected[i]) / expected[i];
            ++cells;
        }
    }
    return Finish(statistic, cells);
}

Test
WithVariance(const std::vector<double>& observed, const std::vector<double>& expected,
             const std::vector<double>& variance)
{
    if (observed.size() != expected.size() || observed.size() != variance.size())
    {
        throw std::invalid_argument("chi-square: observed, expected, variance differ in length");
    }
    double statistic = 0;
    uint32_t cells = 0;
    for (size_t i = 0; i < observed.size(); ++i)
    {
        if (expected[i] > 0 && variance[i] > 0)
        {
            statistic += (observed[i] - expected[i]) * (observed[i] - expected[i]) / variance[i];
            ++cells;
        }
    }
    return Finish(statistic, cells);
}

} // namespace ChiSquare

// ---------------------------------------------------------------------------- SubsetLedger

SubsetLedger::SubsetLedger(const TreeSpec& tree, RanSub::Mode mode)
    : m_mode(mode)
    , m_n(tree.GetNNodes())
{
    if (!tree.IsSpanningTree())
    {
        throw std::invalid_argument("SubsetLedger: not a spanning tree");
    }
    const auto children = tree.Children();
    m_depth.assign(m_n, 0);
    m_preorder.assign(m_n, 0);
    m_subtreeEnd.assign(m_n, 0);
    m_descendants.assign(m_n, 0);
    // Pre-order, children in the tree's order (RanSub's ORDERED mode follows it).
    std::vector<uint32_t> order;
    std::vector<uint32_t> stack{tree.root};
    while (!stack.empty())
    {
        uint32_t v = stack.back();
        stack.pop_back();
        m_preorder[v] = order.size();
        order.push_back(v);
        for (auto it = children[v].rbegin(); it != children[v].rend(); ++it)
        {
            m_depth[*it] = m_depth[v] + 1;
            stack.push_back(*it);
        }
    }
    for (auto it = order.rbegin(); it != order.rend(); ++it)
    {
        for (uint32_t c : children[*it])
        {
            m_descendants[*it] += 1 + m_descendants[c];
        }
    }
    m_population.assign(m_n, 0);
    for (uint32_t v = 0; v < m_n; ++v)
    {
        m_subtreeEnd[v] = m_preorder[v] + 1 + m_descendants[v];
        switch (m_mode)
        {
            case RanSub::NON_DESCENDANTS:
                m_population[v] = m_n - 1 - m_descendants[v];
                break;
            case RanSub::ALL:
                m_population[v] = m_n - 1;
                break;
            case RanSub::ORDERED:
                m_population[v] = m_preorder[v];
                break;
        }
    }
    m_appearances.assign(m_n, 0);
    m_expected.assign(m_n, 0);
    m_epochResidual.assign(m_n, 0);
    m_residualSum.assign(m_n, 0);
    m_residualSquares.assign(m_n, 0);
    m_received.assign(m_n, std::vector<double>(m_n, 0));
    m_receivedSubsets.assign(m_n, 0);
    m_receivedMembers.assign(m_n, 0);
    m_previous.assign(m_n, {});
    m_previousEpoch.assign(m_n, 0);
}

uint32_t
SubsetLedger::GetNNodes() const
{
    return m_n;
}

uint32_t
SubsetLedger::GetDepth(uint32_t node) const
{
    return m_depth.at(node);
}

uint32_t
SubsetLedger::GetDescendants(uint32_t node) const
{
    return m_descendants.at(node);
}

bool
SubsetLedger::IsDescendant(uint32_t node, uint32_t member) const
{
    return member != node && m_preorder.at(member) > m_preorder.at(node)
           && m_preorder[member] < m_subtreeEnd[node];
}

bool
SubsetLedger::IsEligible(uint32_t node, uint32_t member) const
{
    if (member == node)
    {
        return false;
    }
    switch (m_mode)
    {
        case RanSub::NON_DESCENDANTS:
            return !IsDescendant(node, member);
        case RanSub::ALL:
            return true;
        case RanSub::ORDERED:
            return m_preorder.at(member) < m_preorder.at(node);
    }
    return false;
}

uint32_t
SubsetLedger::GetPopulation(uint32_t node) const
{
    return m_population.at(node);
}

void
SubsetLedger::CloseEpoch()
{
    if (!m_epochOpen)
    {
        return;
    }
    for (uint32_t v = 0; v < m_n; ++v)
    {
        m_residualSum[v] += m_epochResidual[v];
        m_residualSquares[v] += m_epochResidual[v] * m_epochResidual[v];
        m_epochResidual[v] = 0;
    }
    ++m_epochs;
    m_epochOpen = false;
}

void
SubsetLedger::Add(uint32_t epoch, uint32_t node, const std::vector<uint32_t>& members)
{
    if (node >= m_n)
    {
        throw std::out_of_range("SubsetLedger: no node " + std::to_string(node));
    }
    if (m_epochOpen && epoch < m_epoch)
    {
        throw std::invalid_argument("SubsetLedger: epoch " + std::to_string(epoch) + " after "
                                    + std::to_string(m_epoch));
    }
    if (!m_epochOpen || epoch != m_epoch)
    {
        CloseEpoch();
        m_epoch = epoch;
        m_epochOpen = true;
    }
    if (members.empty())
    {
        ++m_empty;
        return;
    }
    ++m_deliveries;
    const double size = members.size();
    m_members += members.size();
    const uint32_t population = m_population[node];
    if (population > 0)
    {
        for (uint32_t y = 0; y < m_n; ++y)
        {
            if (IsEligible(node, y))
            {
                m_expected[y] += size / population;
                m_epochResidual[y] -= size / population;
            }
        }
    }
    std::set<uint32_t> seen;
    bool descendant = false;
    bool self = false;
    for (uint32_t m : members)
    {
        if (m >= m_n)
        {
            throw std::out_of_range("SubsetLedger: no member " + std::to_string(m));
        }
        if (!seen.insert(m).second)
        {
            ++m_duplicates;
        }
        m_appearances[m] += 1;
        m_epochResidual[m] += 1;
        m_received[node][m] += 1;
        descendant = descendant || IsDescendant(node, m);
        self = self || m == node;
        m_ineligible += !IsEligible(node, m);
    }
    m_withDescendant += descendant;
    m_withSelf += self;
    m_receivedSubsets[node] += 1;
    m_receivedMembers[node] += size;
    // Overlap with the node's subset of the epoch before, where its subsets can differ.
    const auto& previous = m_previous[node];
    if (!previous.empty() && m_previousEpoch[node] + 1 == epoch
        && population > std::max(previous.size(), members.size()))
    {
        uint32_t common = 0;
        for (uint32_t m : members)
        {
            common += std::count(previous.begin(), previous.end(), m) > 0;
        }
        m_overlap += common / size;
        m_expectedOverlap += double(previous.size()) / population;
        ++m_overlapPairs;
    }
    m_previous[node] = members;
    m_previousEpoch[node] = epoch;
}

std::vector<SubsetLedger::NodeCounts>
SubsetLedger::Counts() const
{
    // The epoch still open counts as closed.
    const uint32_t epochs = m_epochs + (m_epochOpen ? 1 : 0);
    std::vector<NodeCounts> out(m_n);
    for (uint32_t v = 0; v < m_n; ++v)
    {
        const double r = m_epochOpen ? m_epochResidual[v] : 0;
        const double sum = m_residualSum[v] + r;
        const double squares = m_residualSquares[v] + r * r;
        out[v].appearances = m_appearances[v];
        out[v].expected = m_expected[v];
        // The sum of the epochs' counts varies as epochs times the variance of one epoch's,
        // measured around the epochs' mean residual.
        out[v].variance
            = epochs >= 2 ? std::max(0.0, (squares - sum * sum / epochs) * epochs / (epochs - 1))
                          : 0.0;
    }
    return out;
}

std::vector<SubsetLedger::ReceiverTest>
SubsetLedger::ReceiverTests() const
{
    std::vector<ReceiverTest> out(m_n);
    for (uint32_t x = 0; x < m_n; ++x)
    {
        const uint32_t population = m_population[x];
        const uint32_t subsets = m_receivedSubsets[x];
        out[x].subsets = subsets;
        if (subsets == 0 || population < 2)
        {
            continue;
        }
        const double meanSize = m_receivedMembers[x] / subsets;
        if (meanSize >= population)
        {
            continue; // every subset is the whole population: nothing random to test
        }
        const double expected = m_receivedMembers[x] / population;
        double statistic = 0;
        for (uint32_t y = 0; y < m_n; ++y)
        {
            if (IsEligible(x, y))
            {
                const double o = m_received[x][y];
                statistic += (o - expected) * (o - expected) / expected;
            }
        }
        statistic *= (population - 1) / (population - meanSize);
        out[x].tested = true;
        out[x].test.statistic = statistic;
        out[x].test.cells = population;
        out[x].test.dof = population - 1;
        out[x].test.pValue = ChiSquare::Survival(statistic, population - 1);
    }
    return out;
}

uint64_t
SubsetLedger::GetDeliveries() const
{
    return m_deliveries;
}

uint64_t
SubsetLedger::GetEmpty() const
{
    return m_empty;
}

uint64_t
SubsetLedger::GetMembers() const
{
    return m_members;
}

uint64_t
SubsetLedger::GetWithDescendant() const
{
    return m_withDescendant;
}

uint64_t
SubsetLedger::GetWithSelf() const
{
    return m_withSelf;
}

uint64_t
SubsetLedger::GetIneligible() const
{
    return m_ineligible;
}

uint64_t
SubsetLedger::GetDuplicates() const
{
    return m_duplicates;
}

uint32_t
SubsetLedger::GetEpochs() const
{
    return m_epochs + (m_epochOpen ? 1 : 0);
}

double
SubsetLedger::GetMeanOverlap() const
{
    return m_overlapPairs ? m_overlap / m_overlapPairs : 0.0;
}

double
SubsetLedger::GetExpectedOverlap() const
{
    return m_overlapPairs ? m_expectedOverlap / m_overlapPairs : 0.0;
}

uint64_t
SubsetLedger::GetOverlapPairs() const
{
    return m_overlapPairs;
}

// -------------------------------------------------------------------- RanSubSubsetsProgram

void
RanSubSubsetsProgram::Config::Validate() const
{
    if (nodes < 3 || nodes > 2000)
    {
        throw std::invalid_argument("--nodes must be in 3..2000");
    }
    if (fanOut == 0)
    {
        throw std::invalid_argument("--fanOut must be at least 1");
    }
    GetMode();
    if (setSize == 0 || setSize > RanSubHeader::kMaxMembers)
    {
        throw std::invalid_argument("--setSize must be in 1.."
                                    + std::to_string(RanSubHeader::kMaxMembers));
    }
    if (!(epoch >= 0.1) || !(epoch <= 3600))
    {
        throw std::invalid_argument("--epoch must be in 0.1..3600 s");
    }
    if (epochs < 3 || epochs > 100000)
    {
        throw std::invalid_argument("--epochs must be in 3..100000 (the first is not counted)");
    }
    if (!(failAt >= 0) || failAt >= GetDuration())
    {
        std::ostringstream end;
        end << GetDuration();
        throw std::invalid_argument("--failAt must be 0 (no failure) or a time before the end, "
                                    + end.str() + " s");
    }
}

RanSub::Mode
RanSubSubsetsProgram::Config::GetMode() const
{
    if (mode == "nondescendants")
    {
        return RanSub::NON_DESCENDANTS;
    }
    if (mode == "all")
    {
        return RanSub::ALL;
    }
    if (mode == "ordered")
    {
        return RanSub::ORDERED;
    }
    throw std::invalid_argument("unknown --mode '" + mode + "' (nondescendants|all|ordered)");
}

double
RanSubSubsetsProgram::Config::GetDuration() const
{
    // RanSub's root starts epoch k at 0.1 + (k - 1) * epoch (StartDelay 100 ms).
    return 0.1 + (epochs - 0.5) * epoch;
}

std::string
RanSubSubsetsProgram::Usage()
{
    return "Runs RanSub alone over a random overlay tree on the module's INET topology and "
           "records every node's random subsets: how often each node appears against its "
           "expected count (chi-square), descendants in them, how they change between epochs, "
           "and the epochs under a failure (2003 paper, Sections 2.2 and 4.6).";
}

void
RanSubSubsetsProgram::AddTo(CommandLine& cmd)
{
    cmd.AddValue("nodes", "overlay nodes (clients on degree-1 stubs of the topology)",
                 config.nodes);
    cmd.AddValue("topoNodes", "INET topology size (>= 3037)", config.topoNodes);
    cmd.AddValue("fanOut", "most children per node in the random tree", config.fanOut);
    cmd.AddValue("mode",
                 "what a subset represents: nondescendants (Bullet) | all (Bullet') | ordered",
                 config.mode);
    cmd.AddValue("setSize", "RanSub's set size (the papers: 10)", config.setSize);
    cmd.AddValue("epoch", "RanSub's epoch period, s (the papers: 5)", config.epoch);
    cmd.AddValue("epochs", "epochs the root starts; the first is not counted", config.epochs);
    cmd.AddValue("seed", "topology, tree and RanSub's draws", config.seed);
    cmd.AddValue("failAt",
                 "when the root's child with the largest subtree fails, s (0: no failure)",
                 config.failAt);
    cmd.AddValue("failureDetection",
                 "RanSub's failure detection (false: a failure stalls RanSub, 2003 Section 4.6)",
                 config.failureDetection);
    cmd.AddValue("quiet", "no progress lines", config.quiet);
    cmd.AddValue("outdir", "result directory (default results/ransub-subsets)", outdir);
    cmd.AddValue("plot", "draw appearances.png with the module's matplotlib script", plot);
}

namespace
{

struct Delivery
{
    double time;
    uint32_t epoch;
    uint32_t node;
    std::vector<uint32_t> members;
};

double
Median(std::vector<double> v)
{
    if (v.empty())
    {
        return 0;
    }
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

} // namespace

nlohmann::json
RanSubSubsetsProgram::Run(const std::string& args) const
{
    const Config& c = config;
    c.Validate();
    const auto wallStart = std::chrono::steady_clock::now();
    ExperimentOutput out(kName, args, outdir);
    out.SetSeed(c.seed);
    RngSeedManager::SetRun(c.seed);

    // The streaming programs' ground: the same INET topology, clients and random tree.
    StreamingScenario::Config sc;
    sc.clients = c.nodes;
    sc.topoNodes = c.topoNodes;
    sc.seed = c.seed;
    sc.fanOut = c.fanOut;
    sc.quiet = c.quiet;
    StreamingScenario scenario(sc);
    Ptr<SimulatedNetwork> net = scenario.BuildNetwork();
    const TreeSpec tree = scenario.MakeTree("random", net);
    const uint32_t n = c.nodes;
    const uint32_t root = tree.root;
    const RanSub::Mode mode = c.GetMode();
    SubsetLedger ledger(tree, mode);
    const auto children = tree.Children();

    std::cout << kName << ": " << n << " nodes on a " << c.topoNodes
              << "-node INET topology, random tree (fan-out " << c.fanOut << ", depth "
              << tree.Depth() << ", root = client " << root << "), RanSub " << c.mode
              << ", sets of " << c.setSize << ", an epoch every " << c.epoch << " s, " << c.epochs
              << " epochs" << std::endl;

    std::vector<Delivery> deliveries;
    std::vector<Ptr<RanSub>> ransub;
    for (uint32_t v = 0; v < n; ++v)
    {
        auto channel = CreateObject<TcpControlChannel>();
        channel->Start(net->GetClient(v));
        auto st = CreateObject<StaticTree>();
        std::vector<Ipv4Address> kids;
        for (uint32_t k : children[v])
        {
            kids.push_back(net->GetClientAddress(k));
        }
        st->Configure(v == root, v == root ? Ipv4Address() : net->GetClientAddress(tree.parent[v]),
                      kids);
        auto rs = CreateObject<RanSub>();
        rs->SetAttribute("Mode", EnumValue(mode));
        rs->SetAttribute("SetSize", UintegerValue(c.setSize));
        rs->SetAttribute("EpochPeriod", TimeValue(Seconds(c.epoch)));
        // As the defaults (5 s, 4 s): a node gives up on its children's collects within the
        // epoch.
        rs->SetAttribute("CollectTimeout", TimeValue(Seconds(0.8 * c.epoch)));
        rs->SetAttribute("FailureDetection", BooleanValue(c.failureDetection));
        rs->AssignStreams(v);
        // The program is the observer: each node's subsets as its RanSub delivers them.
        rs->SetDeliverCallback(
            [&deliveries, &net, v](uint32_t epoch, const std::vector<RanSubMember>& members) {
                Delivery d{Simulator::Now().GetSeconds(), epoch, v, {}};
                for (const auto& m : members)
                {
                    const int64_t client = net->FindClient(m.node);
                    NS_ABORT_MSG_IF(client < 0, "RanSub delivered an unknown node " << m.node);
                    d.members.push_back(uint32_t(client));
                }
                NS_LOG_INFO("t=" << d.time << " client " << v << " epoch " << epoch << ": "
                                 << d.members.size() << " members");
                deliveries.push_back(std::move(d));
            });
        rs->Start(st, channel);
        ransub.push_back(rs);
    }

    // The 2003 paper's failure (Section 4.6): one of the root's children, the one with the
    // most descendants.
    nlohmann::json failure;
    int64_t failed = -1;
    std::vector<bool> inFailedSubtree(n, false);
    if (c.failAt > 0)
    {
        if (children[root].empty())
        {
            throw std::invalid_argument("--failAt: the root has no child to fail");
        }
        failed = *std::max_element(children[root].begin(), children[root].end(),
                                   [&ledger](uint32_t a, uint32_t b) {
                                       return ledger.GetDescendants(a) < ledger.GetDescendants(b);
                                   });
        for (uint32_t v = 0; v < n; ++v)
        {
            inFailedSubtree[v] = v == uint32_t(failed) || ledger.IsDescendant(failed, v);
        }
        Simulator::Schedule(Seconds(c.failAt), [&net, &c, failed]() {
            net->FailClient(failed);
            if (!c.quiet)
            {
                std::cout << "t = " << Simulator::Now().GetSeconds() << " s: client " << failed
                          << " fails" << std::endl;
            }
        });
        failure["node"] = failed;
        failure["at_s"] = c.failAt;
        failure["subtree_nodes"] = 1 + ledger.GetDescendants(failed);
        failure["failure_detection"] = c.failureDetection;
    }

    const double duration = c.GetDuration();
    if (!c.quiet)
    {
        for (int k = 1; k <= 10; ++k)
        {
            Simulator::Schedule(Seconds(duration * k / 10), [&, k]() {
                const double wall
                    = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart)
                          .count();
                std::cout << "[" << k * 10 << "%] t = " << std::fixed << std::setprecision(0)
                          << Simulator::Now().GetSeconds() << " s: epoch "
                          << ransub[root]->GetEpoch() << " at the root, " << deliveries.size()
                          << " subsets delivered, " << std::setprecision(1) << wall << " s wall"
                          << std::defaultfloat << std::endl;
            });
        }
    }
    Simulator::Stop(Seconds(duration));
    Simulator::Run();
    const uint32_t rootEpochs = ransub[root]->GetEpoch();

    // Root epoch starts (the root delivers as it starts an epoch).
    std::map<uint32_t, double> rootStart;
    for (const auto& d : deliveries)
    {
        if (d.node == root)
        {
            rootStart[d.epoch] = d.time;
        }
    }
    // Counted: from epoch 2 (the first has no collects yet), epochs the root started before
    // any failure (their sets were built from the intact tree).
    auto counted = [&](const Delivery& d) {
        auto it = rootStart.find(d.epoch);
        return d.epoch >= 2 && it != rootStart.end() && (c.failAt <= 0 || it->second < c.failAt);
    };
    std::stable_sort(deliveries.begin(), deliveries.end(),
                     [](const Delivery& a, const Delivery& b) {
                         return a.epoch < b.epoch;
                     });
    for (const auto& d : deliveries)
    {
        if (counted(d))
        {
            ledger.Add(d.epoch, d.node, d.members);
        }
    }

    // subsets.csv: every delivered subset.
    {
        std::ofstream csv(out.Path("subsets.csv"));
        csv << "time_s,epoch,node,population,size,counted,members\n";
        for (const auto& d : deliveries)
        {
            csv << std::setprecision(9) << d.time << "," << d.epoch << "," << d.node << ","
                << ledger.GetPopulation(d.node) << "," << d.members.size() << ","
                << (counted(d) ? 1 : 0) << ",";
            for (size_t i = 0; i < d.members.size(); ++i)
            {
                csv << (i ? " " : "") << d.members[i];
            }
            csv << "\n";
        }
    }

    // appearances.csv: each node as a member of the others' subsets; its own test as receiver.
    const auto counts = ledger.Counts();
    const auto receivers = ledger.ReceiverTests();
    std::vector<double> observed;
    std::vector<double> expected;
    std::vector<double> variance;
    double ratioMin = std::numeric_limits<double>::infinity();
    double ratioMax = 0;
    {
        std::ofstream csv(out.Path("appearances.csv"));
        csv << "node,parent,depth,descendants,population,appearances,expected,variance,z,"
               "receiver_subsets,receiver_p\n";
        for (uint32_t v = 0; v < n; ++v)
        {
            const auto& k = counts[v];
            const double z
                = k.variance > 0 ? (k.appearances - k.expected) / std::sqrt(k.variance) : 0.0;
            csv << v << "," << tree.parent[v] << "," << ledger.GetDepth(v) << ","
                << ledger.GetDescendants(v) << "," << ledger.GetPopulation(v) << ","
                << k.appearances << "," << std::setprecision(9) << k.expected << "," << k.variance
                << "," << z << "," << receivers[v].subsets << ",";
            if (receivers[v].tested)
            {
                csv << receivers[v].test.pValue;
            }
            csv << "\n";
            observed.push_back(k.appearances);
            expected.push_back(k.expected);
            variance.push_back(k.variance);
            if (k.expected > 0)
            {
                ratioMin = std::min(ratioMin, k.appearances / k.expected);
                ratioMax = std::max(ratioMax, k.appearances / k.expected);
            }
        }
    }
    const ChiSquare::Test uniformity = ChiSquare::WithVariance(observed, expected, variance);
    const ChiSquare::Test naive = ChiSquare::Pearson(observed, expected);
    std::vector<double> receiverP;
    uint32_t rejecting = 0;
    for (const auto& r : receivers)
    {
        if (r.tested)
        {
            receiverP.push_back(r.test.pValue);
            rejecting += r.test.pValue < 0.01;
        }
    }

    // epochs.csv: per epoch the root started, when, how long until the next, how many
    // subsets, how long the distribute wave took to reach the last node.
    struct EpochRow
    {
        uint32_t subsets{0};
        double members{0};
        double last{0};
    };
    std::map<uint32_t, EpochRow> epochRows;
    for (const auto& d : deliveries)
    {
        auto& row = epochRows[d.epoch];
        row.subsets += 1;
        row.members += d.members.size();
        row.last = std::max(row.last, d.time);
    }
    std::vector<double> intervals;
    std::vector<double> intervalsBeforeFailure;
    std::vector<double> waves;
    {
        std::ofstream csv(out.Path("epochs.csv"));
        csv << "epoch,root_start_s,interval_s,subsets,mean_size,wave_s\n";
        for (auto it = rootStart.begin(); it != rootStart.end(); ++it)
        {
            const auto& row = epochRows[it->first];
            auto next = std::next(it);
            const double interval = next != rootStart.end() ? next->second - it->second : -1;
            const double wave = row.last - it->second;
            csv << it->first << "," << std::setprecision(9) << it->second << ",";
            if (interval >= 0)
            {
                csv << interval;
                intervals.push_back(interval);
                if (c.failAt <= 0 || next->second < c.failAt)
                {
                    intervalsBeforeFailure.push_back(interval);
                }
            }
            csv << "," << row.subsets << "," << (row.subsets ? row.members / row.subsets : 0) << ","
                << wave << "\n";
            waves.push_back(wave);
        }
    }
    auto mean = [](const std::vector<double>& v) {
        double s = 0;
        for (double x : v)
        {
            s += x;
        }
        return v.empty() ? 0.0 : s / v.size();
    };
    auto maxOf = [](const std::vector<double>& v) {
        return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
    };

    nlohmann::json s;
    s["deliveries"] = ledger.GetDeliveries();
    s["empty_subsets"] = ledger.GetEmpty();
    s["epochs_counted"] = ledger.GetEpochs();
    s["mean_subset_size"]
        = ledger.GetDeliveries() ? double(ledger.GetMembers()) / ledger.GetDeliveries() : 0.0;
    s["uniformity"] = {{"statistic", uniformity.statistic},
                       {"dof", uniformity.dof},
                       {"p_value", uniformity.pValue},
                       {"nodes", uniformity.cells}};
    s["pearson_pooled"]
        = {{"statistic", naive.statistic}, {"dof", naive.dof}, {"p_value", naive.pValue}};
    s["appearance_ratio_min"] = std::isfinite(ratioMin) ? ratioMin : 0.0;
    s["appearance_ratio_max"] = ratioMax;
    s["receivers_tested"] = receiverP.size();
    s["receivers_rejecting_1pct"] = receiverP.empty() ? 0.0 : double(rejecting) / receiverP.size();
    s["receiver_p_median"] = Median(receiverP);
    s["receiver_p_min"]
        = receiverP.empty() ? 1.0 : *std::min_element(receiverP.begin(), receiverP.end());
    const double subsetsCounted = std::max<uint64_t>(1, ledger.GetDeliveries());
    s["descendant_fraction"] = ledger.GetWithDescendant() / subsetsCounted;
    s["self_fraction"] = ledger.GetWithSelf() / subsetsCounted;
    s["ineligible_members"] = ledger.GetIneligible();
    s["duplicate_members"] = ledger.GetDuplicates();
    s["overlap_mean"] = ledger.GetMeanOverlap();
    s["overlap_expected"] = ledger.GetExpectedOverlap();
    s["overlap_pairs"] = ledger.GetOverlapPairs();
    s["epochs_started"] = rootEpochs;
    s["epoch_interval_mean_s"] = mean(intervals);
    s["epoch_interval_max_s"] = maxOf(intervals);
    s["epoch_interval_before_failure_max_s"] = maxOf(intervalsBeforeFailure);
    s["wave_mean_s"] = mean(waves);
    s["wave_max_s"] = maxOf(waves);
    if (failed >= 0)
    {
        // After the failure: epochs the root started, and fresh subsets at the nodes outside
        // the failed subtree, against what the epoch period would have given them.
        uint32_t epochsAfter = 0;
        for (const auto& [epoch, t] : rootStart)
        {
            epochsAfter += t > c.failAt;
        }
        // All of --epochs but those started before the failure.
        const uint32_t expectedAfter = c.epochs - (rootStart.size() - epochsAfter);
        uint32_t outside = 0;
        uint64_t fresh = 0;
        for (uint32_t v = 0; v < n; ++v)
        {
            outside += !inFailedSubtree[v];
        }
        for (const auto& d : deliveries)
        {
            fresh += d.time > c.failAt && !inFailedSubtree[d.node];
        }
        failure["epochs_after"] = epochsAfter;
        failure["epochs_after_expected"] = expectedAfter;
        failure["fresh_subsets_per_node_after"] = outside ? double(fresh) / outside : 0.0;
        failure["fresh_share_after"]
            = outside && expectedAfter ? double(fresh) / outside / expectedAfter : 0.0;
        failure["stalled"] = epochsAfter <= 1;
        s["failure"] = failure;
    }
    out.Systems()["ransub"] = s;

    nlohmann::json& r = out.Root();
    r["nodes"] = n;
    r["mode"] = c.mode;
    r["set_size"] = c.setSize;
    r["epoch_s"] = c.epoch;
    r["epochs"] = c.epochs;
    r["fan_out"] = c.fanOut;
    r["failure_detection"] = c.failureDetection;
    r["tree"] = {{"root", root}, {"depth", tree.Depth()}, {"kind", "random"}};
    const double simulated = Simulator::Now().GetSeconds();
    Simulator::Destroy();

    std::cout << std::fixed << std::setprecision(3) << "epochs started by the root: " << rootEpochs
              << " (counted " << ledger.GetEpochs() << "), interval mean " << mean(intervals)
              << " s, max " << maxOf(intervals) << " s\n"
              << "subsets counted: " << ledger.GetDeliveries() << " (mean size "
              << s["mean_subset_size"].get<double>() << "), empty: " << ledger.GetEmpty() << "\n"
              << "uniformity (epoch-to-epoch variance): chi-square " << uniformity.statistic
              << " on " << uniformity.dof << " dof, p = " << std::setprecision(4)
              << uniformity.pValue
              << (ledger.GetEpochs() < 30 ? " (under 30 epochs counted: the variances are rough "
                                            "and the test only approximate)"
                                          : "")
              << "\n"
              << "receivers' own tests: " << rejecting << " of " << receiverP.size()
              << " reject uniformity at 1%, median p " << Median(receiverP) << "\n"
              << "subsets with a descendant: " << s["descendant_fraction"].get<double>()
              << ", with the receiver itself: " << s["self_fraction"].get<double>() << "\n"
              << "overlap of consecutive subsets: " << ledger.GetMeanOverlap()
              << " (independent draws: " << ledger.GetExpectedOverlap() << ")\n";
    if (failed >= 0)
    {
        std::cout << "failure of client " << failed << " at " << c.failAt << " s ("
                  << failure["subtree_nodes"]
                  << " nodes in its subtree): " << failure["epochs_after"] << " epochs after it of "
                  << failure["epochs_after_expected"] << " due, fresh subsets at the other nodes "
                  << failure["fresh_share_after"].get<double>() << " of due\n";
    }
    std::cout << std::defaultfloat;
    std::cout << "wrote " << out.WriteSummary(simulated) << std::endl;
    if (plot)
    {
        out.Plot("plot-ransub.py");
    }
    return out.Root();
}

} // namespace ns3
