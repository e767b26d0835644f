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
        uint32_t planeSize{10000}; ///< side of the square plane; at most kMaxPlaneSize
        uint64_t seed{1};
    };

    /// The smallest N INET accepts: the number of ASes in November 1997.
    static constexpr uint32_t kMinNodes = 3037;
    /// The largest plane whose diagonal, a link's longest length, fits Link::length.
    static constexpr uint32_t kMaxPlaneSize = 3037000499u;

    /**
     * \brief Generates a topology (deterministic for equal Params).
     * \throws std::invalid_argument for N < kMinNodes, a fraction outside [0, 1) or a plane
     * larger than kMaxPlaneSize
     */
    static InetTopology Generate(const Params& params);

    /**
     * \brief Parses INET text.
     *
     * The input may be hostile: memory grows with the lines read, never with the header's
     * counts, which must match the lines; coordinates must be finite; a link length, given or
     * derived from its endpoints, must be a number in [0, 2^32 - 1].
     * \param in the text
     * \param sourceName named in error messages (e.g. the file name)
     * \return the topology
     * \throws std::runtime_error naming the line of the first malformed or inconsistent line
     */
    static InetTopology Read(std::istream& in, const std::string& sourceName = "<input>");
    /**
     * \brief Reads the INET file at \p path.
     * \param path the file
     * \return the topology
     * \throws std::runtime_error if it cannot be opened or as Read()
     */
    static InetTopology ReadFile(const std::string& path);

    /**
     * \brief Writes INET text that Read() turns back into exactly this topology: coordinates
     * in the shortest decimal form that reads back as the same double (integers stay integers,
     * as INET writes them), link lengths as integers.
     * \param out the stream
     */
    void Write(std::ostream& out) const;
    /**
     * \brief Writes the topology to \p path (as Write()).
     * \param path the file (replaced)
     * \throws std::runtime_error if it cannot be written
     */
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
