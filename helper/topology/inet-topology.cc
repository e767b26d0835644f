/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "inet-topology.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <queue>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unordered_set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("InetTopology");

namespace
{

// INET-3.0's fitted constants (see doc/topologies.md).
constexpr double kGrowthRate = 0.0281; // s0: P(t) = 3037 e^(s0 t), t in months
constexpr double kCcdfA = 0.00324;     // CCDF exponent a t + b
constexpr double kCcdfB = -1.223;
constexpr double kCcdfC = -0.711;       // CCDF scale e^c
constexpr double kRankExponent = -0.87; // rank law: d_r = e^(p t + q) r^R
constexpr double kRankP = 0.0228;
constexpr double kRankQ = 6.5285;
constexpr double kDegreeOneSlope = 0.292; // default D1 = 0.292 N + 462
constexpr double kDegreeOneIntercept = 462;

using Rng = boost::random::mt19937_64;

/**
 * Nodes grouped by degree class, sampled with probability proportional to a per-class weight.
 * INET's preference depends on a node only through its degree, so a draw costs one pass over
 * the (few hundred) classes instead of over all candidate nodes.
 */
class DegreeClassSampler
{
  public:
    DegreeClassSampler(const std::vector<uint32_t>& classOf, uint32_t nClasses)
        : m_classOf(classOf)
        , m_members(nClasses)
        , m_pos(classOf.size(), -1)
    {
    }

    bool
    Has(uint32_t node) const
    {
        return m_pos[node] >= 0;
    }

    void
    Add(uint32_t node)
    {
        auto& v = m_members[m_classOf[node]];
        m_pos[node] = v.size();
        v.push_back(node);
    }

    void
    Remove(uint32_t node)
    {
        auto& v = m_members[m_classOf[node]];
        uint32_t last = v.back();
        v[m_pos[node]] = last;
        m_pos[last] = m_pos[node];
        v.pop_back();
        m_pos[node] = -1;
    }

    /// A member drawn with P proportional to weight[class]; -1 if no member has weight.
    int64_t
    Sample(const std::vector<double>& weight, Rng& rng) const
    {
        double total = 0;
        for (size_t c = 0; c < m_members.size(); ++c)
        {
            total += m_members[c].size() * weight[c];
        }
        if (total <= 0)
        {
            return -1;
        }
        double r = boost::random::uniform_real_distribution<double>(0, total)(rng);
        size_t chosen = m_members.size();
        for (size_t c = 0; c < m_members.size(); ++c)
        {
            double w = m_members[c].size() * weight[c];
            if (w <= 0)
            {
                continue;
            }
            chosen = c;
            if (r < w)
            {
                break;
            }
            r -= w;
        }
        const auto& v = m_members[chosen];
        return v[boost::random::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
    }

  private:
    const std::vector<uint32_t>& m_classOf;
    std::vector<std::vector<uint32_t>> m_members;
    std::vector<int64_t> m_pos;
};

[[noreturn]] void
ParseError(const std::string& source, uint64_t line, const std::string& what,
           const std::string& text)
{
    std::ostringstream os;
    os << source << ":" << line << ": " << what << " (line: '" << text << "')";
    throw std::runtime_error(os.str());
}

std::vector<std::string_view>
Tokens(const std::string& line)
{
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < line.size())
    {
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])))
        {
            ++i;
        }
        size_t start = i;
        while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i])))
        {
            ++i;
        }
        if (i > start)
        {
            out.emplace_back(line.data() + start, i - start);
        }
    }
    return out;
}

template<typename T>
bool
ParseNumber(std::string_view token, T& value)
{
    auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
    return ec == std::errc() && ptr == token.data() + token.size();
}

/// Most lines' worth of memory reserved from a header's counts before the lines are read.
constexpr uint32_t kReserveLimit = 1u << 16;
/// The longest link a Link can hold (its length is a uint32_t).
constexpr uint32_t kMaxLength = std::numeric_limits<uint32_t>::max();

/**
 * Truncates a link length to INET's integer w. False for NaN, infinities, negative lengths and
 * lengths beyond kMaxLength, whose conversion to uint32_t would be undefined behaviour.
 */
bool
ToLength(double w, uint32_t& length)
{
    if (!(w >= 0 && w < double(kMaxLength) + 1))
    {
        return false;
    }
    length = static_cast<uint32_t>(w);
    return true;
}

/// \p v in the shortest decimal form that reads back (std::from_chars) as exactly \p v.
std::string
FormatDouble(double v)
{
    char text[32];
    auto [end, ec] = std::to_chars(text, text + sizeof(text), v);
    NS_ASSERT_MSG(ec == std::errc(), "to_chars failed");
    return std::string(text, end);
}

} // namespace

double
InetTopology::MonthsFor(uint32_t nodes)
{
    return std::log(double(nodes) / kMinNodes) / kGrowthRate;
}

uint32_t
InetTopology::DefaultDegreeOneCount(uint32_t nodes)
{
    return static_cast<uint32_t>(kDegreeOneSlope * nodes + kDegreeOneIntercept);
}

double
InetTopology::CcdfExponent(uint32_t nodes)
{
    return kCcdfA * MonthsFor(nodes) + kCcdfB;
}

std::array<uint32_t, 3>
InetTopology::RankLawTopDegrees(uint32_t nodes)
{
    double scale = std::exp(kRankP * MonthsFor(nodes) + kRankQ);
    std::array<uint32_t, 3> top;
    for (uint32_t r = 1; r <= 3; ++r)
    {
        top[r - 1] = static_cast<uint32_t>(scale * std::pow(double(r), kRankExponent));
    }
    return top;
}

std::vector<uint32_t>
InetTopology::TargetDegrees(uint32_t nodes, double degreeOneFraction)
{
    if (nodes < kMinNodes)
    {
        throw std::invalid_argument("INET topologies need at least " + std::to_string(kMinNodes)
                                    + " nodes (got " + std::to_string(nodes) + ")");
    }
    if (degreeOneFraction < 0 || degreeOneFraction >= 1)
    {
        throw std::invalid_argument("degree-1 fraction must be in [0, 1)");
    }
    const uint32_t n = nodes;
    uint32_t d1 = degreeOneFraction > 0 ? static_cast<uint32_t>(n * degreeOneFraction)
                                        : DefaultDegreeOneCount(n);
    d1 = std::min(d1, n - 4);

    // Degree-1 nodes take the top slots; the CCDF law fills the rest downwards, so that the
    // fraction of nodes with degree > d tracks e^c d^(a t + b).
    std::vector<uint32_t> degree(n, 0);
    std::fill(degree.end() - d1, degree.end(), 1);
    uint32_t assigned = d1;
    const double exponent = CcdfExponent(n);
    const double scale = std::exp(kCcdfC);
    for (uint32_t d = 2; assigned < n && d < n; ++d)
    {
        double ideal = scale * std::pow(double(d), exponent);
        double actual = 1.0 - double(assigned) / n;
        double excess = (actual - ideal) * n;
        if (excess > 1)
        {
            auto count = static_cast<uint32_t>(excess);
            for (uint32_t k = 0; k < count; ++k)
            {
                degree[n - assigned - 1 - k] = d;
            }
            assigned += count;
        }
    }
    // The rank law overrides the three slots where the highest degrees landed.
    auto top = RankLawTopDegrees(n);
    std::copy(top.begin(), top.end(), degree.begin());
    // Slots the CCDF loop left empty (only with unusual degree-1 fractions) get the smallest
    // non-stub degree rather than leaving isolated nodes.
    for (uint32_t i = 3; i < n; ++i)
    {
        if (degree[i] == 0)
        {
            degree[i] = 2;
        }
    }
    std::sort(degree.begin(), degree.end(), std::greater<>());
    uint64_t sum = 0;
    for (uint32_t d : degree)
    {
        sum += d;
    }
    if (sum % 2 == 1)
    {
        degree[0] += 1;
    }
    return degree;
}

InetTopology
InetTopology::Generate(const Params& params)
{
    if (params.planeSize > kMaxPlaneSize)
    {
        throw std::invalid_argument("INET plane size " + std::to_string(params.planeSize)
                                    + " is above " + std::to_string(kMaxPlaneSize)
                                    + ": link lengths would not fit 32 bits");
    }
    const std::vector<uint32_t> target = TargetDegrees(params.nodes, params.degreeOneFraction);
    const uint32_t n = params.nodes;
    Rng rng(params.seed);

    InetTopology topo;
    topo.m_nodes.resize(n);
    boost::random::uniform_int_distribution<int64_t> coord(0, params.planeSize);
    for (auto& node : topo.m_nodes)
    {
        node.x = coord(rng);
        node.y = coord(rng);
    }

    // Degree classes and INET's preference weights w(d_i, d_j) = max(1, dist) d_j, where dist
    // is the distance between the two classes on the log-log frequency/degree plot.
    std::vector<uint32_t> classDegree;
    std::vector<uint32_t> classFreq;
    std::vector<uint32_t> classOf(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        if (classDegree.empty() || classDegree.back() != target[i])
        {
            classDegree.push_back(target[i]);
            classFreq.push_back(0);
        }
        classOf[i] = classDegree.size() - 1;
        classFreq.back()++;
    }
    const uint32_t nClasses = classDegree.size();
    std::vector<std::vector<double>> weight(nClasses, std::vector<double>(nClasses));
    for (uint32_t ci = 0; ci < nClasses; ++ci)
    {
        for (uint32_t cj = 0; cj < nClasses; ++cj)
        {
            double dd = std::log(double(classDegree[ci]) / classDegree[cj]);
            double df = std::log(double(classFreq[ci]) / classFreq[cj]);
            weight[ci][cj] = std::max(1.0, std::sqrt(dd * dd + df * df)) * classDegree[cj];
        }
    }

    uint32_t ng = 0; // nodes of degree >= 2 are ids [0, ng)
    while (ng < n && target[ng] >= 2)
    {
        ++ng;
    }
    std::vector<int64_t> freeDegree(target.begin(), target.end());
    std::vector<std::vector<uint32_t>> adj(n);
    auto connect = [&](uint32_t a, uint32_t b) {
        adj[a].push_back(b);
        adj[b].push_back(a);
        --freeDegree[a];
        --freeDegree[b];
    };
    DegreeClassSampler open(classOf, nClasses);
    uint32_t forced = 0;
    auto anyOf = [&](uint32_t end) {
        ++forced;
        return boost::random::uniform_int_distribution<uint32_t>(0, end - 1)(rng);
    };

    // Phase I: spanning tree among degree >= 2 nodes, in descending degree order.
    if (ng > 0 && freeDegree[0] > 0)
    {
        open.Add(0);
    }
    for (uint32_t v = 1; v < ng; ++v)
    {
        int64_t u = open.Sample(weight[classOf[v]], rng);
        uint32_t to = u >= 0 ? u : anyOf(v);
        connect(v, to);
        if (open.Has(to) && freeDegree[to] <= 0)
        {
            open.Remove(to);
        }
        if (freeDegree[v] > 0)
        {
            open.Add(v);
        }
    }
    // Phase II: every degree-1 node hangs off a degree >= 2 node (never off another stub).
    for (uint32_t v = ng; v < n; ++v)
    {
        int64_t u = open.Sample(weight[classOf[v]], rng);
        uint32_t to = u >= 0 ? u : anyOf(std::max(ng, 1u));
        connect(v, to);
        if (open.Has(to) && freeDegree[to] <= 0)
        {
            open.Remove(to);
        }
    }
    // Phase III: match the remaining degree, node i choosing among later, non-adjacent nodes.
    uint64_t unfilled = 0;
    for (uint32_t i = 0; i < ng; ++i)
    {
        if (open.Has(i))
        {
            open.Remove(i);
        }
        if (freeDegree[i] <= 0)
        {
            continue;
        }
        std::vector<uint32_t> parked;
        for (uint32_t j : adj[i])
        {
            if (open.Has(j))
            {
                open.Remove(j);
                parked.push_back(j);
            }
        }
        while (freeDegree[i] > 0)
        {
            int64_t j = open.Sample(weight[classOf[i]], rng);
            if (j < 0)
            {
                break;
            }
            connect(i, j);
            open.Remove(j);
            parked.push_back(j);
        }
        for (uint32_t j : parked)
        {
            if (freeDegree[j] > 0)
            {
                open.Add(j);
            }
        }
        if (freeDegree[i] > 0)
        {
            unfilled += freeDegree[i];
            NS_LOG_INFO("node " << i << " has degree " << target[i] << " with " << freeDegree[i]
                                << " unfilled");
        }
    }
    if (forced > 0 || unfilled > 0)
    {
        NS_LOG_WARN("INET generation: " << forced << " forced attachments, " << unfilled
                                        << " unfilled degree");
    }

    for (uint32_t a = 0; a < n; ++a)
    {
        for (uint32_t b : adj[a])
        {
            if (a < b)
            {
                double dx = topo.m_nodes[a].x - topo.m_nodes[b].x;
                double dy = topo.m_nodes[a].y - topo.m_nodes[b].y;
                uint32_t length = 0;
                [[maybe_unused]] bool fits = ToLength(std::sqrt(dx * dx + dy * dy), length);
                NS_ASSERT_MSG(fits, "planeSize is checked against kMaxPlaneSize");
                topo.m_links.push_back({a, b, length});
            }
        }
    }
    return topo;
}

InetTopology
InetTopology::Read(std::istream& in, const std::string& source)
{
    InetTopology topo;
    std::string line;
    uint64_t lineNo = 0;
    // Reads the next non-blank line; false at end of input.
    auto next = [&]() {
        while (std::getline(in, line))
        {
            ++lineNo;
            if (!line.empty() && line.back() == '\r')
            {
                line.pop_back();
            }
            if (line.find_first_not_of(" \t") != std::string::npos)
            {
                return true;
            }
        }
        return false;
    };

    if (!next())
    {
        throw std::runtime_error(source + ": empty topology file");
    }
    uint32_t nNodes = 0;
    uint32_t nLinks = 0;
    {
        auto t = Tokens(line);
        if (t.size() != 2 || !ParseNumber(t[0], nNodes) || !ParseNumber(t[1], nLinks))
        {
            ParseError(source, lineNo, "expected the header 'N M' (node and link counts)", line);
        }
        if (nNodes == 0)
        {
            ParseError(source, lineNo, "a topology needs at least one node", line);
        }
    }
    // The header's counts are claims, not sizes: nothing is allocated from them before the
    // lines that back them have been read, so a header like "4294967295 0" costs no more
    // memory than the input holds and ends in "ended after k of N node lines". Node lines may
    // come in any order; they are kept in reading order and placed once all are in.
    const uint32_t reserveNodes = std::min(nNodes, kReserveLimit);
    std::vector<uint32_t> ids;
    std::vector<Node> byLine;
    ids.reserve(reserveNodes);
    byLine.reserve(reserveNodes);
    std::unordered_set<uint32_t> seen;
    seen.reserve(reserveNodes);
    for (uint32_t k = 0; k < nNodes; ++k)
    {
        if (!next())
        {
            throw std::runtime_error(source + ": ended after " + std::to_string(k) + " of "
                                     + std::to_string(nNodes) + " node lines");
        }
        auto t = Tokens(line);
        uint32_t id = 0;
        double x = 0;
        double y = 0;
        if (t.size() != 3 || !ParseNumber(t[0], id) || !ParseNumber(t[1], x)
            || !ParseNumber(t[2], y) || !std::isfinite(x) || !std::isfinite(y))
        {
            ParseError(source, lineNo, "expected a node line 'id x y'", line);
        }
        if (id >= nNodes)
        {
            ParseError(source, lineNo, "node id out of range [0, " + std::to_string(nNodes) + ")",
                       line);
        }
        if (!seen.insert(id).second)
        {
            ParseError(source, lineNo, "node " + std::to_string(id) + " listed twice", line);
        }
        ids.push_back(id);
        byLine.push_back({x, y});
    }
    // nNodes distinct ids below nNodes were read: they are exactly 0..nNodes-1.
    topo.m_nodes.assign(nNodes, Node{0, 0});
    for (uint32_t k = 0; k < nNodes; ++k)
    {
        topo.m_nodes[ids[k]] = byLine[k];
    }
    std::set<std::pair<uint32_t, uint32_t>> pairs;
    topo.m_links.reserve(std::min(nLinks, kReserveLimit));
    for (uint32_t k = 0; k < nLinks; ++k)
    {
        if (!next())
        {
            throw std::runtime_error(source + ": ended after " + std::to_string(k) + " of "
                                     + std::to_string(nLinks) + " link lines");
        }
        auto t = Tokens(line);
        uint32_t a = 0;
        uint32_t b = 0;
        double w = 0;
        if ((t.size() != 2 && t.size() != 3) || !ParseNumber(t[0], a) || !ParseNumber(t[1], b)
            || (t.size() == 3 && !ParseNumber(t[2], w)))
        {
            ParseError(source, lineNo, "expected a link line 'a b [length]'", line);
        }
        if (a >= nNodes || b >= nNodes)
        {
            ParseError(source, lineNo,
                       "link endpoint out of range [0, " + std::to_string(nNodes) + ")", line);
        }
        if (a == b)
        {
            ParseError(source, lineNo, "self-loop", line);
        }
        if (!pairs.insert({std::min(a, b), std::max(a, b)}).second)
        {
            ParseError(source, lineNo, "duplicate link", line);
        }
        uint32_t length = 0;
        if (t.size() == 3)
        {
            if (!ToLength(w, length))
            {
                ParseError(source, lineNo,
                           "link length " + std::string(t[2]) + " is not a number in [0, "
                               + std::to_string(kMaxLength) + "]",
                           line);
            }
        }
        else
        {
            double dx = topo.m_nodes[a].x - topo.m_nodes[b].x;
            double dy = topo.m_nodes[a].y - topo.m_nodes[b].y;
            if (!ToLength(std::sqrt(dx * dx + dy * dy), length))
            {
                ParseError(source, lineNo,
                           "the endpoints are too far apart: their distance is not in [0, "
                               + std::to_string(kMaxLength) + "] (give the length explicitly)",
                           line);
            }
        }
        topo.m_links.push_back({a, b, length});
    }
    if (next())
    {
        ParseError(source, lineNo,
                   "more lines than the header's " + std::to_string(nLinks) + " links", line);
    }
    return topo;
}

InetTopology
InetTopology::ReadFile(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
    {
        throw std::runtime_error(path + ": cannot open topology file");
    }
    return Read(in, path);
}

void
InetTopology::Write(std::ostream& out) const
{
    out << m_nodes.size() << " " << m_links.size() << "\n";
    for (size_t i = 0; i < m_nodes.size(); ++i)
    {
        out << i << "\t" << FormatDouble(m_nodes[i].x) << "\t" << FormatDouble(m_nodes[i].y)
            << "\n";
    }
    for (const auto& l : m_links)
    {
        out << l.a << "\t" << l.b << "\t" << l.length << "\n";
    }
}

void
InetTopology::WriteFile(const std::string& path) const
{
    std::ofstream out(path);
    if (!out)
    {
        throw std::runtime_error(path + ": cannot write topology file");
    }
    Write(out);
    if (!out)
    {
        throw std::runtime_error(path + ": write failed");
    }
}

uint32_t
InetTopology::GetNNodes() const
{
    return m_nodes.size();
}

uint32_t
InetTopology::GetNLinks() const
{
    return m_links.size();
}

const std::vector<InetTopology::Node>&
InetTopology::GetNodes() const
{
    return m_nodes;
}

const std::vector<InetTopology::Link>&
InetTopology::GetLinks() const
{
    return m_links;
}

std::vector<uint32_t>
InetTopology::GetDegrees() const
{
    std::vector<uint32_t> degree(m_nodes.size(), 0);
    for (const auto& l : m_links)
    {
        ++degree[l.a];
        ++degree[l.b];
    }
    return degree;
}

bool
InetTopology::IsConnected() const
{
    if (m_nodes.empty())
    {
        return true;
    }
    std::vector<std::vector<uint32_t>> adj(m_nodes.size());
    for (const auto& l : m_links)
    {
        adj[l.a].push_back(l.b);
        adj[l.b].push_back(l.a);
    }
    std::vector<bool> seen(m_nodes.size(), false);
    std::queue<uint32_t> q;
    q.push(0);
    seen[0] = true;
    size_t reached = 1;
    while (!q.empty())
    {
        uint32_t v = q.front();
        q.pop();
        for (uint32_t w : adj[v])
        {
            if (!seen[w])
            {
                seen[w] = true;
                ++reached;
                q.push(w);
            }
        }
    }
    return reached == m_nodes.size();
}

double
InetTopology::FitCcdfExponent(const std::vector<uint32_t>& degrees)
{
    if (degrees.empty())
    {
        return 0;
    }
    std::vector<uint32_t> sorted(degrees);
    std::sort(sorted.begin(), sorted.end());
    const double n = sorted.size();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    uint32_t points = 0;
    for (size_t i = 0; i < sorted.size();)
    {
        uint32_t d = sorted[i];
        size_t j = i;
        while (j < sorted.size() && sorted[j] == d)
        {
            ++j;
        }
        double above = sorted.size() - j; // nodes with degree > d
        if (d >= 2 && above > 0)
        {
            double x = std::log(double(d));
            double y = std::log(above / n);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
            ++points;
        }
        i = j;
    }
    if (points < 2)
    {
        return 0;
    }
    return (points * sxy - sx * sy) / (points * sxx - sx * sx);
}

} // namespace ns3
