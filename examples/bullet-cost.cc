/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * bullet-cost: what Bullet's protocol work costs beside moving its packets. Runs Bullet, then
 * replays its data traffic matrix (the same number of packets between the same client pairs,
 * evenly spread over the run) as plain UDP over the same network, and compares wall-clock
 * times. A benchmark: it prints figures and writes summary.json, it asserts nothing.
 *
 *   ./ns3 run "bullet-cost --clients=50 --duration=60"
 */
#include "ns3/command-line.h"
#include "ns3/experiment-output.h"
#include "ns3/inet-socket-address.h"
#include "ns3/link-packet-counter.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/streaming-scenario.h"
#include "ns3/udp-socket-factory.h"

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

using namespace ns3;

namespace
{

struct Pair
{
    uint32_t from;
    uint32_t to;
    uint64_t packets;
    uint64_t bytes;
};

std::vector<Pair>
ReadPairs(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
    {
        throw std::runtime_error("cannot read " + path);
    }
    std::vector<Pair> pairs;
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line))
    {
        Pair p{};
        char c;
        std::istringstream row(line);
        if (!(row >> p.from >> c >> p.to >> c >> p.packets >> c >> p.bytes))
        {
            throw std::runtime_error(path + ": malformed row '" + line + "'");
        }
        pairs.push_back(p);
    }
    return pairs;
}

} // namespace

int
main(int argc, char* argv[])
{
    StreamingScenario::Config config;
    config.clients = 50;
    config.duration = 60;
    std::string outdir;
    CommandLine cmd(__FILE__);
    cmd.Usage("Compares Bullet's wall-clock time with plain UDP forwarding of the same packets "
              "over the same client pairs and network.");
    config.AddTo(cmd);
    cmd.AddValue("outdir", "result directory (default results/bullet-cost)", outdir);
    cmd.Parse(argc, argv);
    try
    {
        config.quiet = true;
        ExperimentOutput out("bullet-cost", argc, argv, outdir);
        out.SetSeed(config.seed);
        StreamingScenario scenario(config);
        auto bullet = scenario.RunSystem("bullet", "ns3::BulletApplication", "random", out);
        double bulletWall = bullet["wall_seconds"];
        double bulletHops = bullet["link_packets"];
        auto pairs = ReadPairs(out.Path("bullet-pairs.csv"));

        auto start = std::chrono::steady_clock::now();
        Ptr<SimulatedNetwork> net = scenario.BuildNetwork();
        std::vector<Ptr<Socket>> sockets;
        uint64_t received = 0;
        for (uint32_t c = 0; c < net->GetNClients(); ++c)
        {
            Ptr<Socket> s = Socket::CreateSocket(net->GetClient(c), UdpSocketFactory::GetTypeId());
            s->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
            s->SetRecvCallback([&received](Ptr<Socket> sock) {
                while (sock->Recv())
                {
                    ++received;
                }
            });
            sockets.push_back(s);
        }
        uint64_t sent = 0;
        const Time span = Seconds(config.duration);
        for (const auto& p : pairs)
        {
            uint32_t size = p.packets ? p.bytes / p.packets : 0;
            InetSocketAddress to(net->GetClientAddress(p.to), 9);
            Ptr<Socket> s = sockets[p.from];
            for (uint64_t k = 0; k < p.packets; ++k)
            {
                Simulator::Schedule(span * (k + 0.5) / p.packets, [s, to, size]() {
                    s->SendTo(Create<Packet>(size), 0, to);
                });
            }
            sent += p.packets;
        }
        LinkPacketCounter links;
        Simulator::Stop(span + Seconds(2));
        Simulator::Run();
        const uint64_t udpHops = links.GetPackets();
        Simulator::Destroy();
        double probeWall
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

        std::cout << "Bullet: " << bulletWall << " s wall for " << config.duration
                  << " s simulated, " << sent << " data packets between " << pairs.size()
                  << " client pairs\n"
                  << "plain UDP, same packets and pairs: " << probeWall << " s wall (" << received
                  << " of " << sent << " delivered)\n"
                  << "ratio: " << bulletWall / probeWall << "\n"
                  << "packets put on links (data, TFRC feedback, control, TCP acks): Bullet "
                  << bulletHops << ", UDP " << udpHops << "\n"
                  << "wall time per million link packets: Bullet " << bulletWall / bulletHops * 1e6
                  << " s, UDP " << probeWall / udpHops * 1e6 << " s, ratio "
                  << (bulletWall / bulletHops) / (probeWall / udpHops) << std::endl;
        out.Root()["bullet_wall_seconds"] = bulletWall;
        out.Root()["udp_wall_seconds"] = probeWall;
        out.Root()["ratio"] = bulletWall / probeWall;
        out.Root()["bullet_link_packets"] = bulletHops;
        out.Root()["udp_link_packets"] = udpHops;
        out.Root()["ratio_per_link_packet"] = (bulletWall / bulletHops) / (probeWall / udpHops);
        out.Root()["data_packets"] = sent;
        out.Root()["udp_delivered"] = received;
        out.WriteSummary(config.duration);
    }
    catch (const std::exception& e)
    {
        std::cerr << "bullet-cost: error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
