/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_RANSUB_SUBSETS_H
#define BULLET_RANSUB_SUBSETS_H

#include "ns3/ransub.h"
#include "ns3/tree-builder.h"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ns3
{

class CommandLine;

/**
 * \ingroup bullet
 * \brief Chi-square tests of uniformity, for RanSub's subsets (no simulator involved).
 */
namespace ChiSquare
{

/// The outcome of a chi-square test: statistic, degrees of freedom, P(X >= statistic).
struct Test
{
    double statistic{0};
    double dof{0};
    double pValue{1};
    uint32_t cells{0}; ///< cells tested (those with an expected count above 0)
};

/**
 * \brief P(X >= x) for X chi-square distributed with \p dof degrees of freedom: the
 * regularized upper incomplete gamma function Q(dof/2, x/2), by its series below a + 1 and
 * its continued fraction above.
 * \param x the statistic (>= 0)
 * \param dof degrees of freedom (> 0)
 * \return the p-value; 1 for x <= 0
 */
double Survival(double x, double dof);

/**
 * \brief Pearson's test: sum of (observed - expected)^2 / expected over the cells with an
 * expected count above 0, with cells - 1 degrees of freedom (the counts' total is fixed).
 */
Test Pearson(const std::vector<double>& observed, const std::vector<double>& expected);

/**
 * \brief The same test with each cell's variance measured instead of assumed Poisson: sum of
 * (observed - expected)^2 / variance over the cells with an expected count and a variance
 * above 0, cells - 1 degrees of freedom. For counts that are sums of independent rounds (RanSub's
 * epochs) whose draws within one round are shared, the variance is that of the rounds' sums.
 */
Test WithVariance(const std::vector<double>& observed, const std::vector<double>& expected,
                  const std::vector<double>& variance);

} // namespace ChiSquare

/**
 * \ingroup bullet
 * \brief What RanSub's subsets should hold and what they held, over a static tree: the
 * observer of the ransub-subsets program, fed every delivered subset (as client indices).
 *
 * The eligible population of a node is what its subsets represent: every node outside its
 * subtree (NON_DESCENDANTS), every other node (ALL), or the nodes before it in the tree's
 * pre-order (ORDERED). A subset of size s drawn uniformly from a population of P gives each
 * eligible node the chance s/P of being in it: a node's expected appearances are the sum of
 * s/P over the subsets it is eligible for.
 */
class SubsetLedger
{
  public:
    SubsetLedger(const TreeSpec& tree, RanSub::Mode mode);

    uint32_t GetNNodes() const;
    /// Hops from the root.
    uint32_t GetDepth(uint32_t node) const;
    /// Nodes in \p node's subtree, itself excluded.
    uint32_t GetDescendants(uint32_t node) const;
    /// True if \p member is in \p node's subtree (itself excluded).
    bool IsDescendant(uint32_t node, uint32_t member) const;
    /// True if \p member may be in \p node's subsets.
    bool IsEligible(uint32_t node, uint32_t member) const;
    /// How many nodes \p node's subsets represent.
    uint32_t GetPopulation(uint32_t node) const;

    /**
     * \brief Counts one delivered subset: \p members (client indices) delivered to \p node in
     * \p epoch. Deliveries of one epoch may come in any order, epochs in increasing order.
     */
    void Add(uint32_t epoch, uint32_t node, const std::vector<uint32_t>& members);

    /// Per node as a member of others' subsets.
    struct NodeCounts
    {
        double appearances{0};
        double expected{0};
        /// Variance of the appearances, from the spread of the epochs' counts (0: < 2 epochs)
        double variance{0};
    };

    /// Per node as a member: appearances, expected, variance (call after the last Add).
    std::vector<NodeCounts> Counts() const;

    /// A receiver's own test over its epochs: its subsets against its population's nodes.
    struct ReceiverTest
    {
        bool tested{false}; ///< false if its population is not larger than its subsets
        uint32_t subsets{0};
        ChiSquare::Test test;
    };

    /**
     * \brief Each receiver's own test: over its subsets (drawn afresh every epoch), each of the
     * P nodes it may receive expected sum(s)/P times; Pearson's statistic scaled by
     * (P - 1) / (P - s), the variance of draws without replacement, P - 1 degrees of freedom.
     */
    std::vector<ReceiverTest> ReceiverTests() const;

    uint64_t GetDeliveries() const;     ///< subsets counted (non-empty ones)
    uint64_t GetEmpty() const;          ///< empty subsets (e.g. the root's in NON_DESCENDANTS)
    uint64_t GetMembers() const;        ///< members of the counted subsets
    uint64_t GetWithDescendant() const; ///< subsets holding a node of the receiver's subtree
    uint64_t GetWithSelf() const;       ///< subsets holding the receiver itself
    uint64_t GetIneligible() const;     ///< members outside their receiver's population
    uint64_t GetDuplicates() const;     ///< members twice in one subset
    uint32_t GetEpochs() const;         ///< distinct epochs counted
    /// Mean share of a subset's members that were in the same node's previous subset, over
    /// pairs of consecutive epochs of receivers whose population is larger than their sets.
    double GetMeanOverlap() const;
    /// What GetMeanOverlap() would be for independent uniform subsets (s / P per pair).
    double GetExpectedOverlap() const;
    uint64_t GetOverlapPairs() const;

  private:
    void CloseEpoch();

    RanSub::Mode m_mode;
    uint32_t m_n;
    std::vector<uint32_t> m_depth;
    std::vector<uint32_t> m_descendants;
    std::vector<uint32_t> m_preorder;
    std::vector<uint32_t> m_subtreeEnd; ///< pre-order: node's subtree is [pre, end)
    std::vector<uint32_t> m_population;

    std::vector<double> m_appearances;
    std::vector<double> m_expected;
    // Per-epoch residuals (appearances - expected) of each node, summed per epoch.
    std::vector<double> m_epochResidual;
    std::vector<double> m_residualSum;
    std::vector<double> m_residualSquares;
    bool m_epochOpen{false};
    uint32_t m_epoch{0};
    uint32_t m_epochs{0};

    // Receivers' own counts: [receiver][member], subsets and members per receiver.
    std::vector<std::vector<double>> m_received;
    std::vector<uint32_t> m_receivedSubsets;
    std::vector<double> m_receivedMembers;
    std::vector<std::vector<uint32_t>> m_previous; ///< each receiver's last subset
    std::vector<uint32_t> m_previousEpoch;

    uint64_t m_deliveries{0};
    uint64_t m_empty{0};
    uint64_t m_members{0};
    uint64_t m_withDescendant{0};
    uint64_t m_withSelf{0};
    uint64_t m_ineligible{0};
    uint64_t m_duplicates{0};
    double m_overlap{0};
    double m_expectedOverlap{0};
    uint64_t m_overlapPairs{0};
};

/**
 * \ingroup bullet
 * \brief The ransub-subsets program (examples/ransub-subsets.cc): RanSub alone on a static
 * random tree over the module's INET topology, every node's delivered subsets recorded and
 * tested for what RanSub promises (2003 paper, Section 2.2; 2008 paper, Section 3.3.1).
 */
struct RanSubSubsetsProgram
{
    /// The program's name (its result directory is results/<name> by default).
    static constexpr const char* kName = "ransub-subsets";

    /// The program's options.
    struct Config
    {
        uint32_t nodes{50};                 ///< overlay nodes (clients of the topology)
        uint32_t topoNodes{5000};           ///< routers of the INET topology
        uint32_t fanOut{12};                ///< most children per node in the random tree
        std::string mode{"nondescendants"}; ///< nondescendants | all | ordered
        uint32_t setSize{10};               ///< RanSub's set size
        double epoch{5};                    ///< RanSub's epoch period, s
        uint32_t epochs{100};               ///< epochs the root starts (sets the simulated time)
        uint64_t seed{1};                   ///< topology, tree, RanSub's draws
        /// when the root's child with the largest subtree fails, s (0: no failure)
        double failAt{0};
        bool failureDetection{true}; ///< RanSub's FailureDetection (2003 Section 4.6)
        bool quiet{false};

        /// \throws std::invalid_argument naming the first wrong option
        void Validate() const;
        /// The RanSub mode named by \p mode.
        RanSub::Mode GetMode() const;
        /// Simulated seconds: until half an epoch after the last epoch starts.
        double GetDuration() const;
    };

    Config config;
    /// The result directory ("" for results/ransub-subsets).
    std::string outdir;
    /// Draw appearances.png.
    bool plot{true};

    /// The program's --PrintHelp description.
    static std::string Usage();
    /// Adds every option of the program to \p cmd.
    void AddTo(CommandLine& cmd);
    /**
     * Runs the program: prints progress and a summary, writes the result directory
     * (summary.json, appearances.csv, epochs.csv, subsets.csv, appearances.png) and returns
     * the summary.json content.
     * \param args the option line to record as "args"
     * \throws std::invalid_argument on bad option values
     */
    nlohmann::json Run(const std::string& args) const;
};

} // namespace ns3

#endif // BULLET_RANSUB_SUBSETS_H
