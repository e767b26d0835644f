/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_FAULT_SCHEDULE_H
#define BULLET_FAULT_SCHEDULE_H

#include "ns3/ptr.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ns3
{

class SimulatedNetwork;

/**
 * \ingroup bullet
 * \brief Network faults of an experiment (issue #18): links that fail for a while and come
 * back, and partitions that heal, on a SimulatedNetwork, from the programs' options.
 *
 * - `--linkFail=T:D`: at T s, the core link that carries the source's traffic to the most
 *   receivers (not an access link; ties to the lowest link number) fails for D s
 *   (SimulatedNetwork::SetLinkUp).
 * - `--partition=K@T:D`: at T s, K receivers (drawn from the seed; never the source) are cut
 *   from every other participant for D s: every link crossed by a path between the two sides
 *   and by no path inside either side fails. A topology where those links do not separate
 *   the sides (shared core links, as on INET) is rejected with an error naming the option.
 *   With K = 1 this is a receiver whose network goes away and comes back (its processes keep
 *   running: a node that drops off the network and rejoins).
 *
 * Routes are static (as in the paper's emulator): traffic routed over a failed link is lost
 * until the link comes back; "recovery" is the protocols' business after the repair.
 */
class FaultSchedule
{
  public:
    /// A fault's time window, s.
    struct Window
    {
        double at{0};
        double duration{0};
    };

    /**
     * \brief Parses "T:D" (T >= 0, D > 0, finite).
     * \param spec the text
     * \param option the option's name, for the error
     * \return the window
     * \throws std::invalid_argument naming the option and the expected form
     */
    static Window ParseWindow(const std::string& spec, const std::string& option);
    /**
     * \brief Parses "K@T:D" (K >= 1 receivers, then a window).
     * \param spec the text
     * \param option the option's name, for the error
     * \return (K, window)
     * \throws std::invalid_argument naming the option and the expected form
     */
    static std::pair<uint32_t, Window> ParsePartition(const std::string& spec,
                                                      const std::string& option);

    /**
     * \brief The core link the source's paths to the most receivers cross (access links
     * excluded); ties to the lowest link number.
     * \param net the network
     * \param source the source's client index
     * \param clients participants: clients 0 .. clients-1
     * \param behind set to the receivers whose path from the source crosses it
     * \return the link
     * \throws std::invalid_argument if no path from the source crosses a core link
     */
    static uint32_t MostSharedCoreLink(Ptr<SimulatedNetwork> net, uint32_t source, uint32_t clients,
                                       std::vector<uint32_t>& behind);
    /**
     * \brief The links whose failure cuts \p inside from the other participants: crossed by a
     * path between the sides and by none inside either side.
     * \param net the network
     * \param inside the clients of one side
     * \param clients participants: clients 0 .. clients-1
     * \return the links, ascending
     * \throws std::invalid_argument if failing them leaves a path between the sides
     */
    static std::vector<uint32_t> CutLinks(Ptr<SimulatedNetwork> net,
                                          const std::vector<uint32_t>& inside, uint32_t clients);

    /**
     * \brief Schedules \p links to fail at window.at and come back window.duration later.
     * \param net the network
     * \param links the links
     * \param window when
     */
    static void Schedule(Ptr<SimulatedNetwork> net, const std::vector<uint32_t>& links,
                         const Window& window);

    /**
     * \brief A fault as summary.json reports it.
     * \param kind "link" or "partition"
     * \param window when
     * \param links the failed links
     * \param nodes the receivers behind the link, or the cut-off side
     * \return {kind, at_s, duration_s, links, nodes}
     */
    static nlohmann::json Describe(const std::string& kind, const Window& window,
                                   const std::vector<uint32_t>& links,
                                   const std::vector<uint32_t>& nodes);
};

} // namespace ns3

#endif // BULLET_FAULT_SCHEDULE_H
