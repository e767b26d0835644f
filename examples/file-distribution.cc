/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * file-distribution: the 2008 paper's file experiments at a scale that runs here: a file (a
 * real one, or generated from the seed) distributed to every node of the full-mesh ModelNet
 * network of Section 5.2.2 (or an INET topology), every receiver starting at t = 0; per
 * system, completion times against the access-link optimum, duplicates, control traffic, and
 * whether every receiver's file matches the source's SHA-256 (Figure 13).
 *
 *   ./ns3 run file-distribution
 *   ./ns3 run "file-distribution --nodes=50 --size=20000000"
 *   ./ns3 run "file-distribution --file=/path/to/file --output=/tmp/received"
 *   ./ns3 run "file-distribution --systems=bullet-prime,bullet"
 *   ./ns3 run "file-distribution --ns3::BulletPrimeApplication::RequestStrategy=ns3::RandomRequest"
 */
#include "ns3/command-line.h"
#include "ns3/experiment-output.h"
#include "ns3/file-scenario.h"
#include "ns3/uinteger.h"

#include <iostream>
#include <map>

using namespace ns3;

int
main(int argc, char* argv[])
{
    FileDistributionScenario::Config config;
    std::string systems = "bullet-prime,bittorrent,bullet";
    std::string outdir;
    bool plot = true;
    std::string strategy = "rarest-random";
    std::string peers = "dynamic";
    std::string outstanding = "dynamic";

    CommandLine cmd(__FILE__);
    cmd.Usage("Distributes a file with Bullet' and its rivals (BitTorrent, Bullet; SplitStream "
              "as it is built) and compares completion times (2008 paper, Section 5.8).");
    SystemRegistry& registry = SystemRegistry::Get();
    cmd.AddValue("systems",
                 "comma-separated, from: " + registry.Describe(SystemSpec::FILE_DISTRIBUTION),
                 systems);
    cmd.AddValue("strategy",
                 "Bullet' request order: rarest-random | rarest | random | first (Figure 15)",
                 strategy);
    cmd.AddValue("peers", "Bullet' peer-set sizing: dynamic | N (Figures 16-17)", peers);
    cmd.AddValue("outstanding",
                 "Bullet' outstanding blocks per sender: dynamic | N (Figures 18-19)", outstanding);
    config.AddTo(cmd);
    cmd.AddValue("outdir", "result directory (default results/file-distribution)", outdir);
    cmd.AddValue("plot", "draw the completion-time CDF with the module's matplotlib script", plot);
    cmd.Parse(argc, argv);

    try
    {
        const std::vector<SystemSpec> runs = registry.Parse(systems, SystemSpec::FILE_DISTRIBUTION);
        ExperimentOutput out("file-distribution", argc, argv, outdir);
        out.SetSeed(config.seed);
        FileDistributionScenario scenario(config);
        std::cout << "file-distribution: " << config.nodes << " nodes on " << config.topology
                  << ", " << scenario.GetManifest().GetFileSize() << "-byte file (SHA-256 "
                  << BlockManifest::ToHex(scenario.GetManifest().GetFileDigest()).substr(0, 16)
                  << "...), source = node " << scenario.GetSource() << "\n";
        // The Bullet' variants the paper compares, as attributes of its policies.
        const std::map<std::string, std::string> strategies{
            {"rarest-random", "ns3::RarestRandomRequest"},
            {"rarest", "ns3::RarestRequest"},
            {"random", "ns3::RandomRequest"},
            {"first", "ns3::FirstEncounteredRequest"}};
        if (!strategies.count(strategy))
        {
            throw std::invalid_argument("unknown --strategy '" + strategy
                                        + "' (rarest-random|rarest|random|first)");
        }
        auto count = [](const std::string& option, const std::string& v) {
            size_t used = 0;
            unsigned long n = 0;
            try
            {
                n = std::stoul(v, &used);
            }
            catch (const std::exception&)
            {
                used = 0;
            }
            if (used != v.size() || n == 0 || n > 1000)
            {
                throw std::invalid_argument("--" + option
                                            + " must be dynamic or a number in 1..1000");
            }
            return uint32_t(n);
        };
        ObjectFactory sizing("ns3::DynamicPeerSetSizing");
        if (peers != "dynamic")
        {
            sizing = ObjectFactory("ns3::StaticPeerSetSizing", "Peers",
                                   UintegerValue(count("peers", peers)));
        }
        ObjectFactory limit("ns3::XcpOutstanding");
        if (outstanding != "dynamic")
        {
            limit = ObjectFactory("ns3::StaticOutstanding", "Limit",
                                  UintegerValue(count("outstanding", outstanding)));
        }
        for (const auto& system : runs)
        {
            scenario.RunSystem(system, out, [&](OverlayHelper& h) {
                if (system.appType == "ns3::BulletPrimeApplication")
                {
                    h.SetAttribute("RequestStrategy",
                                   TypeIdValue(TypeId::LookupByName(strategies.at(strategy))));
                    h.SetAttribute("SenderSizing", ObjectFactoryValue(sizing));
                    h.SetAttribute("ReceiverSizing", ObjectFactoryValue(sizing));
                    h.SetAttribute("Outstanding", ObjectFactoryValue(limit));
                }
            });
        }
        out.Root()["strategy"] = strategy;
        out.Root()["peers"] = peers;
        out.Root()["outstanding"] = outstanding;
        out.Root()["topology"] = config.topology;
        out.Root()["file_bytes"] = scenario.GetManifest().GetFileSize();
        out.Root()["block_bytes"] = scenario.GetManifest().GetBlockSize();
        scenario.Finish(out, plot);
        std::cout << "Paper (Figure 13, 100 nodes, 100 MB, lossy mesh): Bullet' about 25% faster "
                     "than BitTorrent, Bullet and SplitStream; see doc/bullet-prime.md."
                  << std::endl;
    }
    catch (const std::exception& e)
    {
        std::cerr << "file-distribution: error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
