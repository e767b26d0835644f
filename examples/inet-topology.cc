/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * inet-topology: generate (or read) an INET-3.0-style topology, build it as an ns-3 network
 * with overlay clients, and report what it looks like and what it cost.
 *
 *   ./ns3 run "inet-topology --nodes=20000 --clients=1000 --seed=1 --output=topo.inet"
 *   ./ns3 run "inet-topology --nodes=20000 --clients=1000 --build=false --ranks=2"
 */
#include "ns3/inet-topology.h"

#include "ns3/command-line.h"
#include "ns3/experiment-output.h"
#include "ns3/inet-socket-address.h"
#include "ns3/link-device.h"
#include "ns3/ranks.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/topology-helper.h"
#include "ns3/topology-partition.h"
#include "ns3/udp-socket-factory.h"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <chrono>
#include <cmath>
#include <functional>
#include <iomanip>
#include <iostream>
#include <memory>
#include <numeric>
#include <sstream>

using namespace ns3;

namespace
{

double
SecondsSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// What the probes and the load measured (summed over ranks after the run).
struct Traffic
{
    double rttSumMs{0};
    uint64_t roundTrips{0};
    uint64_t loadSent{0};
    uint64_t loadReceived{0};
};

/// Schedules one datagram each way between each of \p pairs, one pair a second; returns when
/// the last is due.
Time
ScheduleProbes(Ptr<SimulatedNetwork> net, const std::vector<std::pair<uint32_t, uint32_t>>& pairs,
               Traffic& traffic)
{
    const Time spacing = Seconds(1);
    for (uint32_t i = 0; i < pairs.size(); ++i)
    {
        auto [a, b] = pairs[i];
        Ptr<Socket> sa = Socket::CreateSocket(net->GetClient(a), UdpSocketFactory::GetTypeId());
        Ptr<Socket> sb = Socket::CreateSocket(net->GetClient(b), UdpSocketFactory::GetTypeId());
        sa->Bind(InetSocketAddress(Ipv4Address::GetAny(), 10000 + i));
        sb->Bind(InetSocketAddress(Ipv4Address::GetAny(), 10000 + i));
        Time sent = spacing * (i + 1);
        sb->SetRecvCallback([](Ptr<Socket> s) {
            Address from;
            while (Ptr<Packet> p = s->RecvFrom(from))
            {
                s->SendTo(p, 0, from); // echo
            }
        });
        sa->SetRecvCallback([&traffic, sent](Ptr<Socket> s) {
            while (s->Recv())
            {
                traffic.rttSumMs += (Simulator::Now() - sent).GetSeconds() * 1000;
                ++traffic.roundTrips;
            }
        });
        InetSocketAddress to(net->GetClientAddress(b), 10000 + i);
        // Under MPI only the rank of a's node runs a's events.
        if (net->GetClient(a)->GetSystemId() == Ranks::Rank())
        {
            Simulator::Schedule(sent, [sa, to]() {
                sa->SendTo(Create<Packet>(8), 0, to);
            });
        }
    }
    return spacing * (pairs.size() + 2);
}

/// Schedules \p flows constant-rate UDP flows of 1,000-byte datagrams between random client
/// pairs for \p seconds (a forwarding load to time, sequential against distributed); returns
/// when the last datagram can have arrived.
Time
ScheduleLoad(Ptr<SimulatedNetwork> net, uint32_t flows, double rateKbps, double seconds,
             uint64_t seed, Traffic& traffic)
{
    boost::random::mt19937_64 rng(seed + 7);
    boost::random::uniform_int_distribution<uint32_t> pick(0, net->GetNClients() - 1);
    const Time gap = Seconds(1000 * 8 / (rateKbps * 1000));
    for (uint32_t f = 0; f < flows; ++f)
    {
        uint32_t a = pick(rng);
        uint32_t b = pick(rng);
        while (b == a)
        {
            b = pick(rng);
        }
        const uint16_t port = 20000 + f;
        Ptr<Socket> sb = Socket::CreateSocket(net->GetClient(b), UdpSocketFactory::GetTypeId());
        sb->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        sb->SetRecvCallback([&traffic](Ptr<Socket> s) {
            while (s->Recv())
            {
                ++traffic.loadReceived;
            }
        });
        if (net->GetClient(a)->GetSystemId() != Ranks::Rank())
        {
            continue;
        }
        Ptr<Socket> sa = Socket::CreateSocket(net->GetClient(a), UdpSocketFactory::GetTypeId());
        sa->Bind();
        InetSocketAddress to(net->GetClientAddress(b), port);
        const uint64_t packets = static_cast<uint64_t>(seconds / gap.GetSeconds());
        // One event per datagram, each scheduling the next (as an application's timer does).
        auto send = std::make_shared<std::function<void(uint64_t)>>();
        *send = [sa, to, gap, packets, send, &traffic](uint64_t k) {
            sa->SendTo(Create<Packet>(1000), 0, to);
            ++traffic.loadSent;
            if (k + 1 < packets)
            {
                Simulator::Schedule(gap, [send, k]() {
                    (*send)(k + 1);
                });
            }
        };
        Simulator::ScheduleWithContext(net->GetClient(a)->GetId(), gap * (f % 100) / 100, [send]() {
            (*send)(0);
        });
    }
    return Seconds(seconds + 5);
}

/// Splits \p spec over \p base.ranks with each method of \p methods (\p base otherwise);
/// prints and records each partition's cut, lookahead and balance.
void
ReportPartitions(const TopologySpec& spec, const PartitionParams& base, const std::string& methods,
                 nlohmann::json& report)
{
    const uint32_t ranks = base.ranks;
    const double minLookaheadMs = base.minLookaheadMs;
    std::stringstream list(methods);
    std::string method;
    while (std::getline(list, method, ','))
    {
        PartitionParams p = base;
        p.method = method;
        auto t0 = std::chrono::steady_clock::now();
        TopologyPartition part = PartitionTopology(spec, p);
        double seconds = SecondsSince(t0);
        std::cout << "  partition " << std::setw(6) << std::left << method << std::right << " "
                  << ranks << " ranks: " << part.cutLinks << " of " << spec.links.size()
                  << " links cut, lookahead " << part.lookaheadMs << " ms, imbalance "
                  << part.Imbalance() << ", clients per rank";
        for (uint32_t c : part.rankClients)
        {
            std::cout << " " << c;
        }
        std::cout << " (" << part.groups << " groups, the largest " << part.largestGroupWeight
                  << " of " << std::accumulate(part.weightOf.begin(), part.weightOf.end(), 0ull)
                  << " weight; " << seconds << " s)\n";
        if (part.Imbalance() > 1.25)
        {
            std::cout << "  warning: " << method << " cannot balance " << ranks
                      << " ranks: links shorter than " << minLookaheadMs
                      << " ms join vertices into groups, the largest holding "
                      << part.largestGroupWeight << " of the weight (try a smaller "
                      << "--minLookahead)\n";
        }
        auto& r = report[method];
        r["ranks"] = ranks;
        r["cut_links"] = part.cutLinks;
        r["lookahead_ms"]
            = std::isinf(part.lookaheadMs) ? nlohmann::json() : nlohmann::json(part.lookaheadMs);
        r["imbalance"] = part.Imbalance();
        r["rank_weight"] = part.rankWeight;
        r["rank_vertices"] = part.rankVertices;
        r["rank_clients"] = part.rankClients;
        r["groups"] = part.groups;
        r["largest_group_weight"] = part.largestGroupWeight;
        r["min_lookahead_ms"] = minLookaheadMs;
        r["client_weight"] = base.clientWeight;
        r["seconds"] = seconds;
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t nodes = 20000;
    uint64_t seed = 1;
    double degreeOneFraction = 0;
    std::string input;
    std::string output;
    uint32_t clients = 1000;
    std::string profile = "medium";
    std::string loss = "none";
    std::string stubRule = "degree1";
    uint32_t stubThreshold = 2;
    bool perDirection = false;
    std::string routing = "overlay";
    bool build = true;
    uint32_t rttPairs = 2000;
    uint32_t probes = 20;
    std::string outdir;
    uint32_t ranks = 0;
    // --sync, --split, --minLookahead, --clientWeight; here --split may list several methods
    // to report (the first one splits a distributed run).
    DistributedOptions distributed;
    distributed.split = "metis,bfs";
    uint32_t flows = 0;
    double flowRate = 200;
    double flowSeconds = 10;

    CommandLine cmd(__FILE__);
    cmd.Usage("Generates (or reads) an INET-3.0-style topology, builds it as an ns-3 network "
              "with overlay clients on degree-1 stubs, and reports its shape and cost.");
    cmd.AddValue("nodes", "INET nodes to generate (>= 3037)", nodes);
    cmd.AddValue("seed", "generator and annotation seed", seed);
    cmd.AddValue("degreeOneFraction", "fraction of degree-1 nodes (0: INET's 0.292N+462)",
                 degreeOneFraction);
    cmd.AddValue("input", "read this INET file instead of generating", input);
    cmd.AddValue("output", "write the INET topology to this file", output);
    cmd.AddValue("clients", "overlay clients attached to stubs", clients);
    cmd.AddValue("profile", "bandwidth profile: low|medium|high|prime2008", profile);
    cmd.AddValue("loss", "loss profile: none|bullet2003|bullet2008", loss);
    cmd.AddValue("stubRule", "which nodes are stubs: degree1|threshold|gateways", stubRule);
    cmd.AddValue("stubThreshold", "stub := degree <= this, with --stubRule=threshold",
                 stubThreshold);
    cmd.AddValue("perDirection", "draw each link direction's rate and loss separately",
                 perDirection);
    cmd.AddValue("routing", "overlay (precomputed client routes) or nix", routing);
    cmd.AddValue("build", "build the ns-3 network (false: only generate and report)", build);
    cmd.AddValue("rttPairs", "client pairs sampled for the mean propagation RTT", rttPairs);
    cmd.AddValue("probes", "client pairs whose RTT is also measured by simulated packets", probes);
    cmd.AddValue("outdir", "result directory (default results/inet-topology)", outdir);
    cmd.AddValue("ranks",
                 "also split the network over this many MPI ranks with each --split method "
                 "(comma-separated here; the first one splits a run under mpirun) and report "
                 "the partitions (0: no)",
                 ranks);
    distributed.AddTo(cmd);
    cmd.AddValue("flows",
                 "constant-rate UDP flows between random clients, a forwarding load "
                 "to time (0: none)",
                 flows);
    cmd.AddValue("flowRate", "each flow's rate, kbps", flowRate);
    cmd.AddValue("flowSeconds", "how long the flows send, s", flowSeconds);
    cmd.Parse(argc, argv);

    try
    {
        // Under mpirun (several ranks) the network is split over the ranks with the first
        // partition method; the probes check that what crosses ranks arrives.
        Ranks::Enable(&argc, &argv, distributed.sync);
        const std::string methods = distributed.split;
        distributed.split = methods.substr(0, methods.find(','));
        const bool isDistributed = Ranks::IsDistributed();
        if (Ranks::Rank() != 0)
        {
            std::cout.setstate(std::ios::failbit); // rank 0 alone prints and writes
        }
        // Every way out: rank 0 writes the summary, and MPI ends on every rank.
        auto finish = [](ExperimentOutput& out, double simulatedSeconds) {
            const std::string path = out.WriteSummary(simulatedSeconds); // every rank
            std::cout << "wrote " << path << "\n";
            Ranks::Disable();
            return 0;
        };
        ExperimentOutput out("inet-topology", argc, argv, outdir);
        out.SetSeed(seed);
        auto& report = out.Root()["topology"];

        auto t0 = std::chrono::steady_clock::now();
        InetTopology topo = input.empty()
                                ? InetTopology::Generate({nodes, degreeOneFraction, 10000, seed})
                                : InetTopology::ReadFile(input);
        double generateSeconds = SecondsSince(t0);
        double generateRss = PeakRssMb();
        if (!output.empty())
        {
            topo.WriteFile(output);
        }

        auto degree = topo.GetDegrees();
        uint32_t n = topo.GetNNodes();
        uint32_t ones = std::count(degree.begin(), degree.end(), 1u);
        std::vector<uint32_t> sorted(degree);
        std::sort(sorted.rbegin(), sorted.rend());
        double fit = InetTopology::FitCcdfExponent(degree);

        std::cout << std::fixed << std::setprecision(3);
        std::cout << (input.empty() ? "generated" : "read " + input) << ": " << n << " nodes, "
                  << topo.GetNLinks()
                  << " links, connected: " << (topo.IsConnected() ? "yes" : "NO") << "\n";
        std::cout << "  degree-1 fraction   " << double(ones) / n << "  (INET law "
                  << double(InetTopology::DefaultDegreeOneCount(n)) / n << ")\n";
        std::cout << "  top degrees         " << sorted[0] << " " << sorted[1] << " " << sorted[2]
                  << " " << sorted[3] << " " << sorted[4] << "\n";
        std::cout << "  CCDF exponent       " << fit << "  (INET law "
                  << (n >= InetTopology::kMinNodes ? InetTopology::CcdfExponent(n) : NAN)
                  << "; degree frequency exponent ~ " << fit - 1 << ")\n";
        std::cout << "  generate            " << generateSeconds << " s, peak RSS " << generateRss
                  << " MB\n";
        report["nodes"] = n;
        report["links"] = topo.GetNLinks();
        report["degree_one_fraction"] = double(ones) / n;
        report["ccdf_exponent_fit"] = fit;
        report["top_degrees"] = std::vector<uint32_t>(sorted.begin(), sorted.begin() + 5);
        report["generate_seconds"] = generateSeconds;
        report["generate_peak_rss_mb"] = generateRss;

        if (build || ranks > 0)
        {
            InetAnnotation a;
            a.clients = clients;
            a.bandwidth = profile;
            a.loss = loss;
            a.stubRule = StubRuleByName(stubRule);
            a.stubDegreeThreshold = stubThreshold;
            a.perDirection = perDirection;
            a.seed = seed;
            auto t1 = std::chrono::steady_clock::now();
            TopologySpec spec = AnnotateInet(topo, a);
            if (ranks > 0)
            {
                ReportPartitions(spec, distributed.Params(ranks, seed), methods,
                                 out.Root()["partitions"]);
            }
            if (!build)
            {
                return finish(out, 0);
            }
            std::cout << "building the ns-3 network (" << spec.GetNVertices() << " nodes, "
                      << spec.links.size() << " links, routing " << routing << ") ..." << std::endl;
            TopologyHelper helper;
            helper.SetRouting(routing);
            if (isDistributed)
            {
                helper.SetRanks(distributed.Split(spec, seed, report));
                std::cout << "  distributed         " << Ranks::Size() << " ranks ("
                          << distributed.sync << "), " << distributed.split
                          << " partition: " << report["mpi_cut_links"] << " links cut, lookahead "
                          << report["mpi_lookahead_ms"] << " ms\n";
            }
            Ptr<SimulatedNetwork> net = helper.Build(spec);
            double buildSeconds = SecondsSince(t1);
            double buildRss = PeakRssMb();

            auto count = spec.CountByClass();
            std::cout << "  links per class    ";
            for (uint32_t c = 0; c < kLinkClasses; ++c)
            {
                std::cout << " " << ToString(LinkClass(c)) << "=" << count[c];
                report["links_per_class"][ToString(LinkClass(c))] = count[c];
            }
            std::cout << "\n";

            boost::random::mt19937_64 rng(seed);
            boost::random::uniform_int_distribution<uint32_t> pick(0, clients - 1);
            std::vector<std::pair<uint32_t, uint32_t>> pairs;
            double sumRtt = 0;
            double sumHops = 0;
            uint32_t sampled = 0;
            for (uint32_t i = 0; i < rttPairs && clients > 1; ++i)
            {
                uint32_t x = pick(rng);
                uint32_t y = pick(rng);
                if (x == y)
                {
                    continue;
                }
                sumRtt += net->GetRttMs(x, y);
                sumHops += net->GetPath(x, y).size();
                ++sampled;
                if (pairs.size() < probes)
                {
                    pairs.emplace_back(x, y);
                }
            }
            double meanRtt = sampled ? sumRtt / sampled : 0;
            std::cout << "  client RTT          " << meanRtt << " ms mean propagation over "
                      << sampled << " pairs, " << (sampled ? sumHops / sampled : 0)
                      << " hops mean\n";
            std::cout << "  build               " << buildSeconds << " s, peak RSS " << buildRss
                      << " MB\n";
            report["clients"] = clients;
            report["profile"] = profile;
            report["loss"] = loss;
            report["routing"] = routing;
            report["mean_client_rtt_ms"] = meanRtt;
            report["mean_client_hops"] = sampled ? sumHops / sampled : 0;
            report["build_seconds"] = buildSeconds;
            report["build_peak_rss_mb"] = buildRss;

            Traffic traffic;
            Time stop = ScheduleProbes(net, pairs, traffic);
            if (flows > 0)
            {
                stop = std::max(stop,
                                ScheduleLoad(net, flows, flowRate, flowSeconds, seed, traffic));
            }
            auto t2 = std::chrono::steady_clock::now();
            Simulator::Stop(stop);
            Simulator::Run();
            const double runSeconds = Ranks::Max(SecondsSince(t2));
            const uint64_t events = Ranks::Sum(uint64_t(Simulator::GetEventCount()));
            traffic.rttSumMs = Ranks::Sum(traffic.rttSumMs);
            traffic.roundTrips = Ranks::Sum(traffic.roundTrips);
            traffic.loadSent = Ranks::Sum(traffic.loadSent);
            traffic.loadReceived = Ranks::Sum(traffic.loadReceived);
            if (!pairs.empty())
            {
                double expected = 0;
                for (auto [x, y] : pairs)
                {
                    expected += net->GetRttMs(x, y);
                }
                double measured = traffic.roundTrips ? traffic.rttSumMs / traffic.roundTrips : 0;
                std::cout << "  probed RTT          " << measured << " ms measured by "
                          << traffic.roundTrips << "/" << pairs.size()
                          << " simulated round trips (propagation " << expected / pairs.size()
                          << " ms)\n";
                report["probed_rtt_ms"] = measured;
                report["probed_round_trips"] = traffic.roundTrips;
            }
            if (flows > 0)
            {
                std::cout << "  load                " << flows << " flows of " << flowRate
                          << " kbps for " << flowSeconds << " s: " << traffic.loadReceived << " of "
                          << traffic.loadSent << " datagrams arrived\n";
                report["load_flows"] = flows;
                report["load_sent"] = traffic.loadSent;
                report["load_received"] = traffic.loadReceived;
            }
            std::cout << "  run                 " << runSeconds << " s wall, " << events
                      << " events (" << events / std::max(runSeconds, 1e-9) << " per s)\n";
            report["run_seconds"] = runSeconds;
            report["run_events"] = events;
            if (isDistributed)
            {
                // Every packet one rank put on a link to another must have arrived there.
                const auto across = net->GetRemotePackets();
                const uint64_t sent = Ranks::Sum(across.sent);
                const uint64_t received = Ranks::Sum(across.received);
                std::cout << "  across ranks        " << sent << " packets sent, " << received
                          << " received\n";
                report["mpi_packets_sent_across"] = sent;
                report["mpi_packets_received_across"] = received;
            }
            Simulator::Destroy();
        }
        return finish(out, Simulator::Now().GetSeconds());
    }
    catch (const std::exception& e)
    {
        std::cerr << "inet-topology: error: " << e.what() << "\n";
        return 1;
    }
}
