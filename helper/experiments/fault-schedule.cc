/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "fault-schedule.h"

#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/topology-helper.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FaultSchedule");

namespace
{
/// Parses a whole number of seconds or a decimal; false if \p text is not exactly one.
bool
ParseDouble(const std::string& text, double& out)
{
    size_t used = 0;
    try
    {
        out = std::stod(text, &used);
    }
    catch (const std::exception&)
    {
        return false;
    }
    return used == text.size() && std::isfinite(out);
}

/// Both ends of the link are routers: a core link.
bool
IsCore(const TopologySpec& spec, uint32_t link)
{
    return spec.links[link].a < spec.nRouters && spec.links[link].b < spec.nRouters;
}
} // namespace

FaultSchedule::Window
FaultSchedule::ParseWindow(const std::string& spec, const std::string& option)
{
    const auto colon = spec.find(':');
    Window w;
    if (colon == std::string::npos || !ParseDouble(spec.substr(0, colon), w.at)
        || !ParseDouble(spec.substr(colon + 1), w.duration) || !(w.at >= 0) || !(w.duration > 0))
    {
        throw std::invalid_argument("--" + option
                                    + " must be T:D (at T >= 0 s, for D > 0 s), e.g. "
                                      "30:10; got '"
                                    + spec + "'");
    }
    return w;
}

std::pair<uint32_t, FaultSchedule::Window>
FaultSchedule::ParsePartition(const std::string& spec, const std::string& option)
{
    const auto at = spec.find('@');
    double k = 0;
    if (at == std::string::npos || !ParseDouble(spec.substr(0, at), k) || !(k >= 1)
        || k != std::floor(k) || k > 1e6)
    {
        throw std::invalid_argument("--" + option
                                    + " must be K@T:D (K >= 1 receivers cut off at "
                                      "T >= 0 s for D > 0 s), e.g. 3@30:10; got '"
                                    + spec + "'");
    }
    return {uint32_t(k), ParseWindow(spec.substr(at + 1), option)};
}

uint32_t
FaultSchedule::MostSharedCoreLink(Ptr<SimulatedNetwork> net, uint32_t source, uint32_t clients,
                                  std::vector<uint32_t>& behind)
{
    const TopologySpec& spec = net->GetSpec();
    std::map<uint32_t, std::vector<uint32_t>> receivers; // core link -> receivers behind it
    for (uint32_t r = 0; r < clients; ++r)
    {
        if (r == source)
        {
            continue;
        }
        for (const auto& hop : net->GetPath(source, r))
        {
            if (IsCore(spec, hop.link))
            {
                receivers[hop.link].push_back(r);
            }
        }
    }
    if (receivers.empty())
    {
        throw std::invalid_argument("--linkFail: no path from the source crosses a core link");
    }
    auto best = receivers.begin();
    for (auto it = receivers.begin(); it != receivers.end(); ++it)
    {
        if (it->second.size() > best->second.size())
        {
            best = it;
        }
    }
    behind = best->second;
    return best->first;
}

std::vector<uint32_t>
FaultSchedule::CutLinks(Ptr<SimulatedNetwork> net, const std::vector<uint32_t>& inside,
                        uint32_t clients)
{
    const std::set<uint32_t> in(inside.begin(), inside.end());
    std::set<uint32_t> cross;
    std::set<uint32_t> same;
    std::vector<std::vector<uint32_t>> crossPaths;
    for (uint32_t a = 0; a < clients; ++a)
    {
        for (uint32_t b = 0; b < clients; ++b)
        {
            if (a == b)
            {
                continue;
            }
            const bool isCross = in.count(a) != in.count(b);
            std::vector<uint32_t> links;
            for (const auto& hop : net->GetPath(a, b))
            {
                links.push_back(hop.link);
                (isCross ? cross : same).insert(hop.link);
            }
            if (isCross)
            {
                crossPaths.push_back(std::move(links));
            }
        }
    }
    std::vector<uint32_t> cut;
    std::set_difference(cross.begin(), cross.end(), same.begin(), same.end(),
                        std::back_inserter(cut));
    const std::set<uint32_t> cutSet(cut.begin(), cut.end());
    for (const auto& path : crossPaths)
    {
        if (std::none_of(path.begin(), path.end(), [&cutSet](uint32_t l) {
                return cutSet.count(l) > 0;
            }))
        {
            throw std::invalid_argument(
                "--partition: on this topology no set of links separates the cut-off nodes "
                "without cutting paths among themselves or among the others (use "
                "--topology=mesh2008, where every pair has a core link of its own)");
        }
    }
    return cut;
}

void
FaultSchedule::Schedule(Ptr<SimulatedNetwork> net, const std::vector<uint32_t>& links,
                        const Window& window)
{
    for (uint32_t link : links)
    {
        Simulator::Schedule(Seconds(window.at), &SimulatedNetwork::SetLinkUp, net, link, false);
        Simulator::Schedule(Seconds(window.at + window.duration), &SimulatedNetwork::SetLinkUp, net,
                            link, true);
    }
}

nlohmann::json
FaultSchedule::Describe(const std::string& kind, const Window& window,
                        const std::vector<uint32_t>& links, const std::vector<uint32_t>& nodes)
{
    nlohmann::json j;
    j["kind"] = kind;
    j["at_s"] = window.at;
    j["duration_s"] = window.duration;
    j["links"] = links;
    j["nodes"] = nodes;
    return j;
}

} // namespace ns3
