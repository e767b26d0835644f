/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_FILE_SCENARIO_H
#define BULLET_FILE_SCENARIO_H

#include "ns3/block-manifest.h"
#include "ns3/experiment-output.h"
#include "ns3/file-content.h"
#include "ns3/scheduler-choice.h"
#include "ns3/system-registry.h"
#include "ns3/topology-partition.h"
#include "ns3/topology-spec.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace ns3
{

class CommandLine;
class FileDistributionApplication;
class SimulatedNetwork;

/**
 * \ingroup bullet
 * \brief The 2008 paper's file-distribution ground, shared by the file programs: a topology
 * (the full-mesh ModelNet network of Section 5.2.2, or an INET one), a source, a file with its
 * manifest, and one run per system, every receiver starting at t = 0.
 *
 * Each system runs on a freshly built copy of the same network with the same file, and
 * reports completion times (mean, median, 90th percentile, slowest) against the access-link
 * optimum, duplicates, control overhead, and whether every finished receiver's file matches
 * the source's SHA-256.
 *
 * Under mpirun (after Ranks::Enable) the network is split over the ranks once
 * (Config::distributed), each rank runs its own participants, and rank 0 gathers their
 * records, prints and writes the results; every rank calls every method.
 */
class FileDistributionScenario
{
  public:
    struct Config
    {
        std::string topology{"mesh2008"}; ///< mesh2008 | inet
        uint32_t nodes{20};               ///< participants, the source included
        /// The source's participant index, -1: drawn from the seed (e.g. 0 to match an
        /// emulated run, where host 0 is the source).
        int32_t source{-1};
        uint32_t topoNodes{5000};      ///< inet: topology size
        std::string profile{"medium"}; ///< inet: bandwidth profile
        std::string loss{"none"};      ///< inet: loss profile
        double accessKbps{6000};       ///< mesh2008: access links
        double coreKbps{2000};         ///< mesh2008: core links
        double coreLossMax{0.03};      ///< mesh2008: core loss drawn from [0, this]
        double coreDelayMinMs{5};      ///< mesh2008: core delay drawn from [min, max]
        double coreDelayMaxMs{200};
        uint32_t tcpBuffer{0}; ///< TCP socket buffers of TCP-based systems, bytes (0: default)
        /// s: the online tree's parent and child heartbeat timeouts (0: the system's own, 15 s
        /// for Bullet' and Bullet)
        double treeTimeout{0};
        uint32_t queue{10};              ///< packets each link direction's drop-tail queue holds
        uint64_t size{20 * 1000 * 1000}; ///< bytes of a generated file
        std::string file;                ///< a real file to distribute instead
        uint32_t blockSize{16384};
        std::string payload{"real"}; ///< real (bytes carried and checked) | virtual
        uint64_t seed{1};
        double maxTime{600}; ///< s: give up on receivers that have not completed by then
        std::string output;  ///< a directory receivers write their files to ("" none)
        bool quiet{false};
        /// Flash crowd (Figure 22): "FRACTION@T", that share of the receivers (drawn from the
        /// seed) starts at T s instead of 0; "" none.
        std::string lateJoin;
        /// Churn (Figure 23): mean receiver lifetime, s, exponentially distributed; a receiver
        /// that leaves is replaced at once by a fresh one (on a host of its own), downloading
        /// from scratch; systems with a tree rejoin it, tree-less ones (BitTorrent) find the
        /// others their own way. 0: no churn.
        double churn{0};
        /// mesh2008: the 2008 bandwidth-change schedule (Section 5.2.2, Figure 14): every
        /// 20 s, half the participants each lose half the core bandwidth from half the others.
        bool bwChanges{false};
        /// Link failure (issue #18): "T:D", the core link carrying the source's traffic to the
        /// most receivers fails at T s for D s (FaultSchedule); "" none.
        std::string linkFail;
        /// Partition (issue #18): "K@T:D", K receivers (drawn from the seed) are cut from
        /// every other participant at T s for D s (FaultSchedule); mesh2008 only; "" none.
        std::string partition;
        /// The event scheduler's TypeId (kDefaultScheduler; results do not depend on it)
        std::string scheduler{kDefaultScheduler};
        /// The core's link devices: "lean" (LinkDevice) or "p2p" (ns-3's point-to-point
        /// devices); results do not depend on it (TopologyHelper::SetLinkType)
        std::string links{"lean"};
        /// Under mpirun: synchronisation and partition (doc/distributed.md)
        DistributedOptions distributed;

        /// Adds the shared options to an example's command line.
        void AddTo(CommandLine& cmd);
        /// \throws std::invalid_argument on inconsistent values
        void Validate() const;
    };

    /// Reads or generates the file and makes its manifest.
    explicit FileDistributionScenario(const Config& config);

    const Config& GetConfig() const;
    uint32_t GetSource() const;
    const BlockManifest& GetManifest() const;
    /// The access-link optimum: the file over the slowest receiver's access link, s.
    double GetOptimalSeconds() const;

    /// Configures one system's installation (attributes).
    using Customize = std::function<void(OverlayHelper&)>;

    /**
     * Runs one file-distribution system: builds the network, installs it (with the file at
     * the source and the manifest at every receiver), runs until every receiver completes or
     * maxTime, writes DIR/<name>-nodes.csv, stores the summary under systems.<name> of \p out
     * and returns it. The summary carries the run's cost too: wall_seconds, simulated_s,
     * events (Simulator::GetEventCount()), events_per_wall_second, wall_per_sim_second
     * (doc/results-format.md).
     */
    nlohmann::json RunSystem(const SystemSpec& system, ExperimentOutput& out,
                             const Customize& customize = nullptr) const;

    /// Prints the table of \p out's systems, writes summary.json and (if \p plot) the plots.
    void Finish(ExperimentOutput& out, bool plot) const;

    /// When each node starts (s), from --lateJoin.
    std::vector<double> GetStartTimes() const;

    /// One participant's stay in the run: on host (a client of the topology), from start to
    /// end (s). Without churn, participant i is host i for the whole run.
    struct Incarnation
    {
        uint32_t slot{0}; ///< the participant (0 .. nodes-1) it is or replaces
        uint32_t host{0}; ///< the client of the topology it runs on
        double start{0};
        double end{0};       ///< departure, or maxTime if it stays to the end
        bool departs{false}; ///< leaves (churn) before maxTime
    };

    /**
     * Every incarnation over the run, drawn from the seed (the same for every system): the
     * first `nodes` are the participants at start (host = slot), from their start time; with
     * churn each receiver's lifetimes are exponential with mean Config::churn, and each
     * departure brings a replacement at once, in order of arrival, each on a fresh host
     * (hosts nodes, nodes+1, ...: the topology is built with room for them). A fresh host,
     * not the departed one's address, because a restarted ns-3 3.37 listener that meets a
     * stray RST from the old incarnation's connections before its first SYN crashes (its
     * persist timer fires with nothing to send). The source never leaves.
     */
    std::vector<Incarnation> GetIncarnations() const;

    /// The receivers --partition cuts off (drawn from the seed; empty without it).
    std::vector<uint32_t> GetPartitioned() const;

  private:
    /// What one incarnation did (on the rank that ran it; GatherRecords brings all to rank 0).
    struct Record
    {
        Incarnation life;
        Ptr<FileDistributionApplication> app; ///< on the rank that runs it
        bool ran{false};       ///< it was installed (on some rank) before the run stopped
        bool fileOk{false};    ///< its reassembled file matches the source's digest
        uint64_t rejected{0};  ///< blocks it rejected
        double completion{-1}; ///< from its own start
        uint64_t blocks{0};
        uint64_t duplicates{0};
        uint64_t controlBytes{0};
        std::vector<float> arrivals; ///< new blocks until completion, s from its start
    };

    /// Distributed runs: every rank's installed records into rank 0's \p records (a
    /// collective); nothing when sequential.
    void GatherRecords(std::vector<Record>& records) const;
    /**
     * Rank 0, after a run: writes DIR/<name>-nodes.csv (and -interarrival.csv) from every
     * incarnation's record and returns the system's results (completion times and their
     * quantiles, the best over TCP, duplicates, control, verification, churn).
     */
    nlohmann::json Summarise(const std::string& name, Ptr<SimulatedNetwork> net,
                             const std::vector<Record>& records, bool coded, double simulated,
                             const nlohmann::json& faults, ExperimentOutput& out) const;
    /// Draws the incarnations (needs m_source).
    std::vector<Incarnation> DrawIncarnations() const;
    /**
     * The receivers (every node but the source) in an order drawn from the seed and \p salt:
     * a seeded Fisher-Yates shuffle, the same for every system of a run.
     */
    std::vector<uint32_t> ShuffledReceivers(uint64_t salt) const;

    TopologySpec m_spec;
    Config m_config;
    std::vector<Incarnation> m_lives;
    FileContent m_content;
    BlockManifest m_manifest;
    uint32_t m_source{0};
    std::vector<uint32_t> m_partitioned;
    std::vector<uint32_t> m_rankOf; ///< every vertex's rank (empty: sequential)
    nlohmann::json m_mpi;           ///< the split, for summary.json (null: sequential)
};

/**
 * \ingroup bullet
 * \brief The 2008 paper's "best possible performance of a system built on top of TCP"
 * (Figure 13): the time for \p bytes to arrive over one TCP connection that has a link of
 * \p rateBps to itself, counting what TCP cannot avoid: the handshake and the request (1.5
 * RTT), slow start from \p initialCwnd segments doubling each RTT until the window covers the
 * bandwidth-delay product, and the TCP/IP headers on every \p mss-byte segment (52 bytes
 * with timestamps, 2 of PPP).
 */
double BestOverTcpSeconds(uint64_t bytes, double rateBps, double rttS, uint32_t mss = 1448,
                          uint32_t initialCwnd = 10);

/// Prints "name  mean median p90 slowest optimum dup control verified" rows.
void PrintFileTable(const nlohmann::json& systems, std::ostream& os);

} // namespace ns3

#endif // BULLET_FILE_SCENARIO_H
