/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_STREAMING_SCENARIO_H
#define BULLET_STREAMING_SCENARIO_H

#include "ns3/experiment-output.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/overlay-helper.h"
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

/**
 * \ingroup bullet
 * \brief The papers' streaming experiment ground, shared by the streaming examples: an
 * INET topology with clients, a source, trees, and one run per system with its results.
 *
 * Each system runs on a freshly built copy of the same network (same seed, same links,
 * same source), so systems are compared on identical ground.
 *
 * Under mpirun (after Ranks::Enable) the network is split over the ranks once
 * (Config::distributed), each rank runs its own clients' applications, and rank 0 gathers
 * the measurements, prints and writes the results; every rank calls every method.
 */
class StreamingScenario
{
  public:
    struct Config
    {
        uint32_t topoNodes{5000};
        uint32_t clients{100};
        /// The source's client index, -1: drawn from the seed (e.g. 0 to match an emulated
        /// run, where host 0 is the source).
        int32_t source{-1};
        std::string profile{"medium"};
        std::string loss{"none"};
        uint64_t seed{1};
        double rateKbps{600};
        uint32_t packetSize{1000};
        double duration{200};          ///< simulated seconds
        double warmup{0};              ///< window start; 0 means 40% of the duration
        std::string transport{"tfrc"}; ///< tfrc | udp | tcp
        uint32_t fanOut{12};           ///< random trees (offline and online)
        std::string stubRule{"degree1"};
        /// draw each direction of a link's rate (and loss) separately, as ModelNet's
        /// INET-to-XML step does; false: one draw per link
        bool perDirection{false};
        bool quiet{false};
        /// none | root-child (the source's tree child with the most descendants) | a client
        std::string fail{"none"};
        double failAt{0}; ///< when the node fails, s (0: half the duration)
        /// Receivers join over this many seconds (evenly spaced, in client order: clients
        /// sit on random stubs); 0: all at once
        double joinOver{0};
        /// RanSub FailureDetection and RandomTree Recovery (2003 Section 4.6)
        bool ransubRecovery{true};
        /// The event scheduler's TypeId (kDefaultScheduler; results do not depend on it)
        std::string scheduler{kDefaultScheduler};
        /// The core's link devices: "lean" (LinkDevice) or "p2p" (ns-3's point-to-point
        /// devices); results do not depend on it (TopologyHelper::SetLinkType)
        std::string links{"lean"};
        /// TCP control connections silent this long are closed (reopened on demand); 0: never
        double controlIdle{0};
        /// TCP timers of the control connections: "linux" (MinRto 200 ms, ConnTimeout 1 s,
        /// DelAckTimeout 40 ms: Linux hosts' timers, as the papers' ModelNet hosts ran; the
        /// default) or "ns3" (ns-3's socket defaults: MinRto 1 s, ConnTimeout 3 s,
        /// DelAckTimeout 200 ms)
        std::string controlTcp{"linux"};
        /// Under mpirun: synchronisation and partition (doc/distributed.md)
        DistributedOptions distributed;

        /// Adds the shared options to an example's command line.
        void AddTo(CommandLine& cmd);
        /// \throws std::invalid_argument on inconsistent values
        void Validate() const;
    };

    explicit StreamingScenario(const Config& config);

    const Config& GetConfig() const;
    const TopologySpec& GetSpec() const;
    uint32_t GetSource() const;
    Time GetWindowStart() const;
    Time GetWindowEnd() const;

    /// Builds the network as ns-3 objects (call once per run; Simulator::Destroy between),
    /// on the configured event scheduler.
    Ptr<SimulatedNetwork> BuildNetwork() const;
    /// "random" (offline, fan-out limited) or "bottleneck" (greedy OMBT) over \p net.
    TreeSpec MakeTree(const std::string& kind, Ptr<SimulatedNetwork> net) const;
    /// The TypeId name of the configured data transport.
    std::string TransportTypeName() const;
    /// The BlockTransport factory of the control channel (--controlIdle, --controlTcp).
    ObjectFactory ControlTransportFactory() const;
    /// When the configured failure happens (meaningful if fail != none).
    Time GetFailAt() const;

    /**
     * The client --fail names, resolved in the running overlay: for root-child, the child of
     * the source (in the trees of \p apps at this moment) with the most descendants; for a
     * system without a tree, a client drawn from the seed. Fills \p subtree with the nodes
     * below it. \p apps are this rank's; in a distributed run every rank calls it at the same
     * simulated time, and they exchange their parents.
     */
    uint32_t ResolveFailTarget(Ptr<SimulatedNetwork> net, const ApplicationContainer& apps,
                               std::vector<uint32_t>& subtree) const;

    /// Configures the applications of one system (attributes, extra wiring).
    using Customize = std::function<void(OverlayHelper&)>;

    /**
     * Runs one system: builds the network, installs \p appType over the tree (\p tree:
     * "random", "bottleneck", "online" for the RandomTree protocol, or "none"), runs, writes
     * DIR/<name>-mean.csv, -nodes.csv, -per-node.csv, -pairs.csv, stores the summary under
     * systems.<name> of \p out and returns it. The summary carries the run's cost too:
     * wall_seconds, sim_seconds, events (Simulator::GetEventCount()), events_per_wall_second,
     * wall_per_sim_second (doc/results-format.md).
     */
    nlohmann::json RunSystem(const std::string& name, const std::string& appType,
                             const std::string& tree, ExperimentOutput& out,
                             const Customize& customize = nullptr) const;

    /**
     * Runs a system of the registry as RunSystem(name, appType, tree, ...) does: over its own
     * tree, or \p programTree if it leaves the choice to the program; its own configuration
     * first, then \p customize.
     */
    nlohmann::json RunSystem(const SystemSpec& system, const std::string& programTree,
                             ExperimentOutput& out, const Customize& customize = nullptr) const;

    /// Ends a run: prints the table of \p out's systems and the window, writes summary.json
    /// and (if \p plot) the plots.
    void Finish(ExperimentOutput& out, bool plot) const;

  private:
    Config m_config;
    TopologySpec m_spec;
    uint32_t m_source{0};
    std::vector<uint32_t> m_rankOf; ///< every vertex's rank (empty: sequential)
    nlohmann::json m_mpi;           ///< the split, for summary.json (null: sequential)
};

/// Prints "name  useful raw from-parent dup control stress" rows for a set of systems.
void PrintStreamingTable(const nlohmann::json& systems, std::ostream& os);

} // namespace ns3

#endif // BULLET_STREAMING_SCENARIO_H
