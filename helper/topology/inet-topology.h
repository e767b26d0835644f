/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_INET_TOPOLOGY_H
#define BULLET_INET_TOPOLOGY_H

#include <array>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief An Internet-like router graph in the INET-3.0 model and text format.
 *
 * Generate() follows the INET-3.0 algorithm (Winick and Jamin, CSE-TR-456-02; see
 * doc/topologies.md): a degree sequence from the power-law complementary CDF and rank laws
 * at the "time" implied by N, nodes placed uniformly on a plane, then a spanning tree among
 * nodes of degree >= 2, degree-1 nodes attached to them, and the remaining degree matched by
 * INET's log-log degree/frequency distance weighting. Node ids are sorted by target degree,
 * highest first, so degree-1 nodes have the highest ids, as in INET.
 *
 * Read()/Write() use INET's text format: "N M", N lines "id x y", M lines "a b w" with w the
 * link's Euclidean length in plane units. Files written by the original generator are read.
 */
class InetTopology
{
  public:
    struct Node
    {
        double x;
        double y;
    };

    struct Link
    {
        uint32_t a;
        uint32_t b;
        uint32_t length; ///< Euclidean length in plane units, truncated (INET's w)
    };

    /// Generation parameters (INET's -n, -d, -p, -s).
    struct Params
    {
        uint32_t nodes{5000};
        /// Fraction of degree-1 nodes; 0 selects INET's law D1 = floor(0.292 N + 462).
        double degreeOneFraction{0};
        uint32_t planeSize{10000};
        uint64_t seed{1};
    };

    /// The smallest N INET accepts: the number of ASes in November 1997.
    static constexpr uint32_t kMinNodes = 3037;

    /**
     * \brief Generates a topology (deterministic for equal Params).
     * \throws std::invalid_argument for N < kMinNodes or a fraction outside [0, 1)
     */
    static InetTopology Generate(const Params& params);

    /**
     * \brief Parses INET text.
     * \param in the text
     * \param sourceName named in error messages (e.g. the file name)
     * \throws std::runtime_error naming the line of the first malformed or inconsistent line
     */
    static InetTopology Read(std::istream& in, const std::string& sourceName = "<input>");
    static InetTopology ReadFile(const std::string& path);

    void Write(std::ostream& out) const;
    void WriteFile(const std::string& path) const;

    uint32_t GetNNodes() const;
    uint32_t GetNLinks() const;
    const std::vector<Node>& GetNodes() const;
    const std::vector<Link>& GetLinks() const;
    /// Degree of every node in the graph as built.
    std::vector<uint32_t> GetDegrees() const;
    /// True when every node is reachable from node 0.
    bool IsConnected() const;

    // --- INET-3.0's laws, exposed for tests and reports -------------------------------
    /// Months since November 1997 that INET's growth law assigns to N nodes.
    static double MonthsFor(uint32_t nodes);
    /// INET's default number of degree-1 nodes, floor(0.292 N + 462).
    static uint32_t DefaultDegreeOneCount(uint32_t nodes);
    /// Exponent of the complementary degree CDF, a t + b, at the time implied by N.
    static double CcdfExponent(uint32_t nodes);
    /// The rank law's three highest degrees at the time implied by N.
    static std::array<uint32_t, 3> RankLawTopDegrees(uint32_t nodes);
    /// The target degree sequence (sorted, highest first) that Generate() connects.
    static std::vector<uint32_t> TargetDegrees(uint32_t nodes, double degreeOneFraction = 0);

    /// Least-squares slope of log P(D > d) against log d over degrees d >= 2.
    static double FitCcdfExponent(const std::vector<uint32_t>& degrees);

  private:
    std::vector<Node> m_nodes;
    std::vector<Link> m_links;
};

} // namespace ns3

#endif // BULLET_INET_TOPOLOGY_H
