/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "host-map.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace ns3
{

namespace
{

std::string
ToString(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}

} // namespace

nlohmann::json
MakeHostMap(Ptr<SimulatedNetwork> net, const std::vector<EmulatedHost>& hosts)
{
    const TopologySpec& spec = net->GetSpec();
    nlohmann::json map;
    map["hosts"] = nlohmann::json::array();
    map["paths"] = nlohmann::json::array();
    for (const auto& h : hosts)
    {
        uint32_t vertex = spec.ClientVertex(h.client);
        nlohmann::json access;
        for (uint32_t k = 0; k < spec.links.size(); ++k)
        {
            const auto& l = spec.links[k];
            if (l.a == vertex || l.b == vertex)
            {
                bool up = l.a == vertex; // client -> router is a -> b
                access["link"] = k;
                access["up_mbps"] = (up ? l.rateAtoB : l.rateBtoA) / 1e6;
                access["down_mbps"] = (up ? l.rateBtoA : l.rateAtoB) / 1e6;
                access["delay_ms"] = l.delayMs;
                access["loss_up"] = up ? l.lossAtoB : l.lossBtoA;
                access["loss_down"] = up ? l.lossBtoA : l.lossAtoB;
                break;
            }
        }
        map["hosts"].push_back({{"index", h.index},
                                {"name", h.name},
                                {"tap", h.tap},
                                {"client", h.client},
                                {"node", net->GetClient(h.client)->GetId()},
                                {"router", spec.clientRouter.at(h.client)},
                                {"address", ToString(h.address)},
                                {"prefix_length", h.prefixLength},
                                {"gateway", ToString(h.gateway)},
                                {"access", access}});
    }
    for (const auto& a : hosts)
    {
        for (const auto& b : hosts)
        {
            if (a.index == b.index)
            {
                continue;
            }
            auto path = net->GetPath(a.client, b.client);
            double bps = 0;
            double keep = 1;
            double pingTx = 0; // transmission of a default ping (84-byte IP + 2-byte PPP)
            for (const auto& hop : path)
            {
                const auto& l = spec.links[hop.link];
                double rate = hop.fromA ? l.rateAtoB : l.rateBtoA;
                bps = (bps == 0) ? rate : std::min(bps, rate);
                keep *= 1 - (hop.fromA ? l.lossAtoB : l.lossBtoA);
                pingTx += 86 * 8 / rate * 1000;
            }
            for (const auto& hop : net->GetPath(b.client, a.client))
            {
                const auto& l = spec.links[hop.link];
                pingTx += 86 * 8 / (hop.fromA ? l.rateAtoB : l.rateBtoA) * 1000;
            }
            map["paths"].push_back({{"from", a.index},
                                    {"to", b.index},
                                    {"hops", path.size()},
                                    {"one_way_delay_ms", net->GetPathDelayMs(a.client, b.client)},
                                    {"rtt_ms", net->GetRttMs(a.client, b.client)},
                                    {"ping_rtt_ms", net->GetRttMs(a.client, b.client) + pingTx},
                                    {"bottleneck_mbps", bps / 1e6},
                                    {"loss", 1 - keep}});
        }
    }
    return map;
}

void
PrintHostMap(const nlohmann::json& map, std::ostream& os, uint32_t maxPairs)
{
    os << std::fixed << std::setprecision(2);
    os << "host map:\n  host  name          tap           address          gateway      "
          "client  router  access up/down Mbit/s, delay ms\n";
    for (const auto& h : map["hosts"])
    {
        const auto& acc = h["access"];
        os << "  " << std::setw(4) << h["index"].get<uint32_t>() << "  " << std::left
           << std::setw(12) << h["name"].get<std::string>() << "  " << std::setw(12)
           << h["tap"].get<std::string>() << "  " << std::setw(15)
           << (h["address"].get<std::string>() + "/"
               + std::to_string(h["prefix_length"].get<uint32_t>()))
           << "  " << std::setw(11) << h["gateway"].get<std::string>() << std::right << "  "
           << std::setw(6) << h["client"].get<uint32_t>() << "  " << std::setw(6)
           << h["router"].get<uint32_t>() << "  " << acc.value("up_mbps", 0.0) << "/"
           << acc.value("down_mbps", 0.0) << ", " << acc.value("delay_ms", 0.0) << "\n";
    }
    if (map["hosts"].size() > maxPairs)
    {
        os << "  (" << map["paths"].size() << " host pairs: see the JSON host map)\n";
        return;
    }
    os << "  paths: from -> to  hops  RTT ms  bottleneck Mbit/s  loss\n";
    for (const auto& p : map["paths"])
    {
        os << "    " << std::setw(4) << p["from"].get<uint32_t>() << " -> " << std::setw(2)
           << p["to"].get<uint32_t>() << "  " << std::setw(4) << p["hops"].get<uint32_t>() << "  "
           << std::setw(6) << p["rtt_ms"].get<double>() << "  " << std::setw(17)
           << p["bottleneck_mbps"].get<double>() << "  " << std::setprecision(4)
           << p["loss"].get<double>() << std::setprecision(2) << "\n";
    }
}

void
WriteHostMap(const nlohmann::json& map, const std::string& path)
{
    std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp);
        if (!out)
        {
            throw std::runtime_error("cannot write host map '" + path + "'");
        }
        out << map.dump(2) << "\n";
    }
    // Renamed into place, so a reader polling for the file never sees half of it.
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
    {
        throw std::runtime_error("cannot move host map into place at '" + path + "'");
    }
}

} // namespace ns3
