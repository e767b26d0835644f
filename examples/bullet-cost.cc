/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * bullet-cost: what Bullet's protocol work costs beside moving its packets. Runs Bullet, then
 * replays its data traffic matrix (the same number of packets between the same client pairs,
 * evenly spread over the run, one send pending per pair) as plain UDP over the same network, and
 * compares wall-clock times, per data packet and per packet put on a link. Each is run --repeat
 * times, alternating, and its fastest run counts. A benchmark: it prints figures and writes
 * summary.json, it asserts nothing. See doc/performance.md.
 *
 *   ./ns3 run "bullet-cost --clients=50 --duration=60"
 */
#include "ns3/command-line.h"
#include "ns3/experiment-output.h"
#include "ns3/inet-socket-address.h"
#include "ns3/link-packet-counter.h"
#include "ns3/overlay-helper.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/streaming-scenario.h"
#include "ns3/udp-socket-factory.h"

#include <chrono>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

using namespace ns3;

namespace
{

/// CPU seconds this process has used: on a shared machine, unlike wall time, it does not
/// count the time other processes had the processor.
double
CpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

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

/// One run of the plain UDP replay.
struct Replay
{
    double wall{0};
    double run{0}; ///< Simulator::Run alone
    double cpu{0};
    uint64_t sent{0};
    uint64_t received{0};
    uint64_t linkPackets{0};
    uint64_t events{0};
};

/**
 * One client pair's share of the replay: its packets evenly spread over the run, with one
 * send pending at a time (as a paced sender has), so the replay's event queue holds a send per
 * pair rather than every send of the run at once.
 */
class PairSender
{
  public:
    PairSender(Ptr<Socket> socket, InetSocketAddress to, uint32_t size, uint64_t packets, Time span)
        : m_socket(socket)
        , m_to(to)
        , m_size(size)
        , m_packets(packets)
        , m_span(span)
    {
    }

    /// Schedules the first send (nothing if the pair has no packets).
    void
    Start()
    {
        if (m_packets > 0)
        {
            Simulator::Schedule(SendTime(0), &PairSender::Send, this);
        }
    }

  private:
    /// When packet \p k goes: the middle of its 1/packets of the run.
    Time
    SendTime(uint64_t k) const
    {
        return m_span * (k + 0.5) / m_packets;
    }

    void
    Send()
    {
        m_socket->SendTo(Create<Packet>(m_size), 0, m_to);
        if (++m_sent < m_packets)
        {
            Simulator::Schedule(SendTime(m_sent) - Simulator::Now(), &PairSender::Send, this);
        }
    }

    Ptr<Socket> m_socket;
    InetSocketAddress m_to;
    uint32_t m_size;
    uint64_t m_packets;
    Time m_span;
    uint64_t m_sent{0};
};

/**
 * Sends \p pairs' packets as plain UDP over a fresh copy of \p scenario's network, each
 * pair's evenly spread over the run, and counts what arrives.
 */
Replay
ReplayUdp(const StreamingScenario& scenario, const std::vector<Pair>& pairs)
{
    Replay r;
    auto start = std::chrono::steady_clock::now();
    const double cpuStart = CpuSeconds();
    Ptr<SimulatedNetwork> net = scenario.BuildNetwork();
    std::vector<Ptr<Socket>> sockets;
    uint64_t& received = r.received;
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
    const Time span = Seconds(scenario.GetConfig().duration);
    std::vector<PairSender> senders;
    senders.reserve(pairs.size());
    for (const auto& p : pairs)
    {
        uint32_t size = p.packets ? p.bytes / p.packets : 0;
        senders.emplace_back(sockets.at(p.from), InetSocketAddress(net->GetClientAddress(p.to), 9),
                             size, p.packets, span);
        senders.back().Start();
        r.sent += p.packets;
    }
    LinkPacketCounter links;
    Simulator::Stop(span + Seconds(2));
    const auto runStart = std::chrono::steady_clock::now();
    Simulator::Run();
    r.run = std::chrono::duration<double>(std::chrono::steady_clock::now() - runStart).count();
    r.linkPackets = links.GetPackets();
    r.events = Simulator::GetEventCount();
    Simulator::Destroy();
    r.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.cpu = CpuSeconds() - cpuStart;
    return r;
}

} // namespace

int
main(int argc, char* argv[])
{
    StreamingScenario::Config config;
    config.clients = 50;
    config.duration = 60;
    std::string outdir;
    uint32_t repeat = 3;
    CommandLine cmd(__FILE__);
    cmd.Usage("Compares Bullet's wall-clock time with plain UDP forwarding of the same packets "
              "over the same client pairs and network.");
    config.AddTo(cmd);
    cmd.AddValue("outdir", "result directory (default results/bullet-cost)", outdir);
    cmd.AddValue("repeat",
                 "runs of each, alternating; the figures are each one's fastest (on a shared "
                 "machine a single run's wall time varies by tens of percent)",
                 repeat);
    cmd.Parse(argc, argv);
    try
    {
        if (repeat == 0)
        {
            throw std::invalid_argument("--repeat must be at least 1");
        }
        config.quiet = true;
        ExperimentOutput out("bullet-cost", argc, argv, outdir);
        out.SetSeed(config.seed);
        StreamingScenario scenario(config);
        nlohmann::json bulletWalls = nlohmann::json::array();
        nlohmann::json udpWalls = nlohmann::json::array();
        double bulletWall = 0;
        double bulletRun = 0;
        double bulletCpu = 0;
        uint64_t bulletHops = 0;
        uint64_t bulletEvents = 0;
        std::vector<Pair> pairs;
        Replay udp;
        for (uint32_t run = 0; run < repeat; ++run)
        {
            // The events Bullet's run processed, read at its last instant (it stops 1 s
            // after the window).
            const double cpuStart = CpuSeconds();
            auto bullet = scenario.RunSystem(
                "bullet", "ns3::BulletApplication", "random", out, [&](OverlayHelper&) {
                    Simulator::Schedule(scenario.GetWindowEnd() + Seconds(1), [&bulletEvents]() {
                        bulletEvents = Simulator::GetEventCount();
                    });
                });
            const double cpu = CpuSeconds() - cpuStart;
            const double wall = bullet["wall_seconds"];
            bulletWalls.push_back(wall);
            bulletWall = run == 0 ? wall : std::min(bulletWall, wall);
            const double runWall = bullet["run_wall_seconds"];
            bulletRun = run == 0 ? runWall : std::min(bulletRun, runWall);
            bulletCpu = run == 0 ? cpu : std::min(bulletCpu, cpu);
            bulletHops = bullet["link_packets"];
            if (run == 0)
            {
                pairs = ReadPairs(out.Path("bullet-pairs.csv"));
            }
            Replay r = ReplayUdp(scenario, pairs);
            udpWalls.push_back(r.wall);
            if (run > 0)
            {
                r.wall = std::min(r.wall, udp.wall);
                r.run = std::min(r.run, udp.run);
                r.cpu = std::min(r.cpu, udp.cpu);
            }
            udp = r;
        }
        const uint64_t sent = udp.sent;
        const double probeWall = udp.wall;
        const uint64_t udpHops = udp.linkPackets;

        // Both runs move the same data packets between the same pairs: per data packet, the
        // ratio is the whole cost of the protocol (its control traffic, TFRC's feedback and
        // pacing, its own decisions); per packet put on a link, what each packet moved costs.
        const double bulletPerData = bulletWall / sent * 1e6;
        const double udpPerData = probeWall / sent * 1e6;
        const double bulletPerLink = bulletWall / bulletHops * 1e6;
        const double udpPerLink = probeWall / udpHops * 1e6;
        std::cout << std::fixed << std::setprecision(2) << "Bullet: " << bulletWall
                  << " s wall (fastest of " << repeat << ") for " << config.duration
                  << " s simulated: " << sent << " data packets between " << pairs.size()
                  << " client pairs, " << bulletHops
                  << " packets put on links (data, TFRC feedback, control, TCP acks), "
                  << bulletEvents << " events\n"
                  << "plain UDP replay of the same data packets and pairs: " << probeWall
                  << " s wall (fastest of " << repeat << "; " << udp.received << " of " << sent
                  << " delivered), " << udpHops << " packets put on links, " << udp.events
                  << " events\n"
                  << "wall per data packet: Bullet " << bulletPerData << " us, UDP " << udpPerData
                  << " us, ratio " << bulletPerData / udpPerData << "\n"
                  << "wall per link packet: Bullet " << bulletPerLink << " us, UDP " << udpPerLink
                  << " us, ratio " << bulletPerLink / udpPerLink << "\n"
                  << "Simulator::Run alone (without building the network, the overlay and the "
                     "output): Bullet "
                  << bulletRun << " s, UDP " << udp.run << " s; ratio per data packet "
                  << bulletRun / udp.run << ", per link packet "
                  << (bulletRun / bulletHops) / (udp.run / udpHops) << "\n"
                  << "events per link packet: Bullet " << double(bulletEvents) / bulletHops
                  << ", UDP " << double(udp.events) / udpHops << "\n"
                  << "CPU time: Bullet " << bulletCpu << " s, UDP " << udp.cpu
                  << " s; ratio per data packet " << bulletCpu / udp.cpu << ", per link packet "
                  << (bulletCpu / bulletHops) / (udp.cpu / udpHops) << std::endl;
        out.Root()["bullet_wall_seconds"] = bulletWall;
        out.Root()["udp_wall_seconds"] = probeWall;
        out.Root()["ratio"] = bulletWall / probeWall;
        out.Root()["bullet_link_packets"] = bulletHops;
        out.Root()["udp_link_packets"] = udpHops;
        out.Root()["ratio_per_link_packet"] = bulletPerLink / udpPerLink;
        out.Root()["ratio_per_data_packet"] = bulletPerData / udpPerData;
        out.Root()["bullet_us_per_data_packet"] = bulletPerData;
        out.Root()["udp_us_per_data_packet"] = udpPerData;
        out.Root()["bullet_us_per_link_packet"] = bulletPerLink;
        out.Root()["udp_us_per_link_packet"] = udpPerLink;
        out.Root()["bullet_run_seconds"] = bulletRun;
        out.Root()["udp_run_seconds"] = udp.run;
        out.Root()["run_ratio_per_data_packet"] = bulletRun / udp.run;
        out.Root()["run_ratio_per_link_packet"] = (bulletRun / bulletHops) / (udp.run / udpHops);
        out.Root()["repeat"] = repeat;
        out.Root()["bullet_wall_runs"] = bulletWalls;
        out.Root()["udp_wall_runs"] = udpWalls;
        out.Root()["bullet_cpu_seconds"] = bulletCpu;
        out.Root()["udp_cpu_seconds"] = udp.cpu;
        out.Root()["cpu_ratio_per_data_packet"] = bulletCpu / udp.cpu;
        out.Root()["cpu_ratio_per_link_packet"] = (bulletCpu / bulletHops) / (udp.cpu / udpHops);
        out.Root()["bullet_events"] = bulletEvents;
        out.Root()["udp_events"] = udp.events;
        out.Root()["scheduler"] = config.scheduler;
        out.Root()["data_packets"] = sent;
        out.Root()["udp_delivered"] = udp.received;
        out.WriteSummary(config.duration);
    }
    catch (const std::exception& e)
    {
        std::cerr << "bullet-cost: error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
