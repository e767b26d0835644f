/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * bullet-node: one ns-3 node on a real host (a network namespace made by
 * emulation/hosts-up.sh, or a VM) running one of the module's protocol applications,
 * unchanged, in real time. The node reaches the network through an FdNetDevice on the host's
 * own interface (a raw packet socket on eth0, what EmuFdNetDevice uses) with an address and
 * MAC of its own (the host's .3; the host's kernel keeps .2), and learns about every other
 * node only from its command line (the source's address) and its sockets.
 *
 *   ip netns exec beh0 bullet-node --role=bullet-prime-source --address=172.16.0.3 \
 *       --manifest=/tmp/m --size=2MB --results=/tmp/h0.json
 *   ip netns exec beh1 bullet-node --role=bullet-prime-receiver --address=172.16.1.3 \
 *       --bootstrap=172.16.0.3 --manifest=/tmp/m --output=/tmp/h1.file --results=/tmp/h1.json
 *
 * Exit status: 0 the role's goal was met (receivers: the whole file, verified; streaming
 * receivers: stream data arrived), 1 a run-time failure (e.g. the interface cannot be opened),
 * 2 a bad option or a machine that cannot run it (no root), 4 the goal was not met by the end
 * (--duration, or a signal).
 */
#include "ns3/boolean.h"
#include "ns3/command-line.h"
#include "ns3/config.h"
#include "ns3/enum.h"
#include "ns3/global-value.h"
#include "ns3/host-node.h"
#include "ns3/input-counters.h"
#include "ns3/lag-monitor.h"
#include "ns3/node-roles.h"
#include "ns3/realtime-simulator-impl.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

using namespace ns3;

namespace
{

/// "2MB", "500kB", "1MiB", "123": bytes. \throws std::invalid_argument
uint64_t
ParseSize(const std::string& text)
{
    size_t pos = 0;
    double value = 0;
    try
    {
        value = std::stod(text, &pos);
    }
    catch (const std::exception&)
    {
        throw std::invalid_argument("--size '" + text + "' is not a size (e.g. 2MB, 500kB)");
    }
    const std::string unit = text.substr(pos);
    const std::vector<std::pair<std::string, double>> units
        = {{"", 1},     {"B", 1},        {"kB", 1e3},        {"KB", 1e3},          {"MB", 1e6},
           {"GB", 1e9}, {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}};
    for (const auto& [u, f] : units)
    {
        if (unit == u)
        {
            if (value * f < 1 || value * f > 4e9)
            {
                throw std::invalid_argument("--size must be 1 byte to 4 GB");
            }
            return uint64_t(value * f);
        }
    }
    throw std::invalid_argument("--size '" + text + "': unknown unit '" + unit
                                + "' (B, kB, MB, GB, KiB, MiB, GiB)");
}

Ipv4Address
ParseAddress(const std::string& text, const std::string& option)
{
    try
    {
        return HostNodeConfig::FromCidr(text).address;
    }
    catch (const std::invalid_argument& e)
    {
        throw std::invalid_argument("--" + option + ": " + e.what());
    }
}

std::string
ToString(Ipv4Address a)
{
    std::ostringstream s;
    s << a;
    return s.str();
}

/// Writes \p j to \p path through a temporary file: readers never see half of it.
void
WriteJson(const nlohmann::json& j, const std::string& path)
{
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp);
        out << j.dump(2) << "\n";
        if (!out.flush())
        {
            throw std::runtime_error("cannot write " + tmp);
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
    {
        throw std::runtime_error("cannot rename " + tmp + " to " + path);
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string role;
    std::string address;
    std::string bootstrap;
    std::string gateway;
    std::string interface = "eth0";
    uint32_t port = 7004;
    int32_t index = -1;
    std::string results;
    std::string output;
    std::string manifest;
    std::string file;
    std::string size = "2MB";
    uint64_t seed = 1;
    uint32_t blockSize = 16384;
    std::string torrent;
    std::string tracker;
    uint32_t trackerPort = 6969;
    double rate = 600;
    uint32_t packetSize = 1000;
    double warmup = 0;
    double duration = 0;
    bool exitOnComplete = false;
    double linger = 0;
    double lagSample = 5;
    bool check = false;
    bool prepare = false;

    CommandLine cmd(__FILE__);
    cmd.Usage("One ns-3 node with one of the module's protocols, on a real host (a network "
              "namespace or a VM), in real time. Roles: "
              + DescribeNodeRoles()
              + ". The protocols' attributes work as in simulation (--ns3::Type::Attribute=V).");
    cmd.AddValue("role", "what this node runs (see above)", role);
    cmd.AddValue("address", "this node's address[/len] (namespace host i: 172.16.i.3)", address);
    cmd.AddValue("gateway", "next hop of the default route (default: .1 of the subnet)", gateway);
    cmd.AddValue("bootstrap", "the source's address: the tree's joins go there (sources: own)",
                 bootstrap);
    cmd.AddValue("port", "the overlay's control port, the same on every node (TCP)", port);
    cmd.AddValue("interface", "the host's interface the node sends and receives on", interface);
    cmd.AddValue("index", "host index: which block of random streams (default: from --address)",
                 index);
    cmd.AddValue("results", "write the node's results as JSON here (also on completion)", results);
    cmd.AddValue("output", "file receivers: write the received file here", output);
    cmd.AddValue("manifest", "file roles: the manifest the source writes and receivers read",
                 manifest);
    cmd.AddValue("file", "file source: distribute this file instead of a generated one", file);
    cmd.AddValue("size", "file source: size of the generated file (e.g. 2MB)", size);
    cmd.AddValue("seed", "file source: seed of the generated file", seed);
    cmd.AddValue("blockSize", "file source: bytes per block", blockSize);
    cmd.AddValue("torrent", "BitTorrent roles: the .torrent the seeder writes and peers read",
                 torrent);
    cmd.AddValue("tracker",
                 "BitTorrent seeder: the tracker its .torrent announces (default: itself, "
                 "running ours)",
                 tracker);
    cmd.AddValue("trackerPort", "BitTorrent seeder: the tracker's port", trackerPort);
    cmd.AddValue("rate", "streaming: stream rate, kbps", rate);
    cmd.AddValue("packetSize", "streaming: bytes per stream packet", packetSize);
    cmd.AddValue("warmup", "streaming: the measurement window starts here, s", warmup);
    cmd.AddValue("duration", "stop after this many seconds (0: at SIGINT/SIGTERM)", duration);
    cmd.AddValue("exitOnComplete", "file receivers: stop once the file is complete (+ linger)",
                 exitOnComplete);
    cmd.AddValue("linger", "with --exitOnComplete: keep serving this many seconds", linger);
    cmd.AddValue("lagSample", "ms between two real-time lag samples", lagSample);
    cmd.AddValue("check", "only check the options (exit 0 if they are fine)", check);
    cmd.AddValue("prepare",
                 "sources: only publish what receivers need (the manifest or .torrent) and write "
                 "the file to --output, then exit: e.g. for a real client to seed",
                 prepare);
    cmd.Parse(argc, argv);

    const NodeRoleSpec* spec = nullptr;
    HostNodeConfig host;
    NodeRoleOptions options;
    try
    {
        if (role.empty())
        {
            throw std::invalid_argument("--role is required (" + DescribeNodeRoles() + ")");
        }
        spec = &FindNodeRole(role);
        if (address.empty())
        {
            throw std::invalid_argument("--address is required (namespace host i: 172.16.i.3)");
        }
        try
        {
            host = HostNodeConfig::FromCidr(address);
        }
        catch (const std::invalid_argument& e)
        {
            throw std::invalid_argument(std::string("--address: ") + e.what());
        }
        if (!gateway.empty())
        {
            host.gateway = ParseAddress(gateway, "gateway");
        }
        if (bootstrap.empty())
        {
            if (!spec->source)
            {
                throw std::invalid_argument("--bootstrap (the source's address) is required for "
                                            + role);
            }
            options.bootstrap = host.address;
        }
        else
        {
            options.bootstrap = ParseAddress(bootstrap, "bootstrap");
        }
        if (spec->source && options.bootstrap != host.address)
        {
            throw std::invalid_argument("a source is its own bootstrap: --bootstrap must be "
                                        "empty or --address");
        }
        if (!spec->source && options.bootstrap == host.address)
        {
            throw std::invalid_argument("a receiver cannot bootstrap from itself");
        }
        if (port == 0 || port > 65535 || trackerPort == 0 || trackerPort > 65535)
        {
            throw std::invalid_argument("--port and --trackerPort must be 1..65535");
        }
        if (!tracker.empty())
        {
            options.tracker = ParseAddress(tracker, "tracker");
        }
        if (duration < 0 || linger < 0 || warmup < 0 || lagSample <= 0)
        {
            throw std::invalid_argument(
                "--duration, --linger and --warmup must be >= 0, --lagSample > 0");
        }
        if (duration > 0 && warmup >= duration)
        {
            throw std::invalid_argument("--warmup must be shorter than --duration");
        }
        options.address = host.address;
        options.index = index >= 0 ? uint32_t(index) : (host.address.Get() >> 8) & 0xfff;
        options.rateKbps = rate;
        options.packetSize = packetSize;
        options.warmup = warmup;
        options.manifest = manifest;
        options.file = file;
        options.size = ParseSize(size);
        options.seed = seed;
        options.blockSize = blockSize;
        options.torrent = torrent;
        options.trackerPort = uint16_t(trackerPort);
    }
    catch (const std::exception& e)
    {
        std::cerr << "bullet-node: error: " << e.what() << "\n";
        return 2;
    }
    if (check)
    {
        return 0;
    }
    if (prepare)
    {
        // No network: the role's out-of-band step alone (no root needed).
        try
        {
            std::unique_ptr<NodeRole> node = spec->make(*spec);
            node->Publish(options);
            if (!output.empty())
            {
                node->WriteOutput(output);
            }
            Simulator::Destroy();
            std::cout << "bullet-node: " << role << " prepared"
                      << (output.empty() ? "" : ", the file in " + output) << std::endl;
            return 0;
        }
        catch (const std::exception& e)
        {
            std::cerr << "bullet-node: error: " << e.what() << "\n";
            return 1;
        }
    }
    if (geteuid() != 0)
    {
        std::cerr << "bullet-node: error: needs root (a raw packet socket on the host's "
                     "interface); run as root, e.g. inside the namespace with "
                     "ip netns exec\n";
        return 2;
    }

    const auto wallStart = std::chrono::steady_clock::now();
    std::unique_ptr<NodeRole> node;
    Ptr<LagMonitor> monitor;
    Ipv4DropCounter drops;     // what the real side sent that the node's IPv4 layer refused
    Ptr<Ipv4InputGuard> guard; // what it sent that ns-3 must not parse (headers cut short)
    nlohmann::json record;
    try
    {
        // Real time, real checksums (real hosts' kernels check them); late rather than abort.
        GlobalValue::Bind("SimulatorImplementationType", StringValue("ns3::RealtimeSimulatorImpl"));
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
        Config::SetDefault("ns3::RealtimeSimulatorImpl::SynchronizationMode",
                           EnumValue(RealtimeSimulatorImpl::SYNC_BEST_EFFORT));
        Config::SetDefault("ns3::TcpControlChannel::Port", UintegerValue(port));

        const int fd = OpenPacketSocket(interface);
        Ptr<FdNetDevice> device;
        Ptr<Node> n = CreateHostNode(host, fd, &device);
        node = spec->make(*spec);
        node->Install(n, options);
        drops.Watch(n);
        guard = Ipv4InputGuard::Install(device);

        monitor = CreateObject<LagMonitor>();
        monitor->SetAttribute("SampleInterval", TimeValue(MicroSeconds(int64_t(lagSample * 1000))));
        monitor->SetAttribute("ReportInterval", TimeValue(Seconds(10)));
        monitor->WatchDevice(device);
        LagMonitor::InstallSignalHandlers();
        monitor->Start();

        record = {{"role", role},
                  {"system", spec->system},
                  {"kind", spec->kind == SystemSpec::STREAMING ? "streaming" : "file"},
                  {"source", spec->source},
                  {"address", ToString(host.address)},
                  {"bootstrap", ToString(options.bootstrap)},
                  {"index", options.index},
                  {"args", [&]() {
                       std::string a;
                       for (int i = 1; i < argc; ++i)
                       {
                           a += (i > 1 ? " " : "") + std::string(argv[i]);
                       }
                       return a;
                   }()}};
        std::cout << "bullet-node: " << role << " at " << host.address << " (" << host.mac << ", "
                  << "packet socket on " << interface << ", gateway " << host.gateway
                  << "), bootstrap " << options.bootstrap << ":" << port << std::endl;

        // On completion: record it at once (a driver waits for every receiver), then go on
        // serving the others until told to stop (or --linger with --exitOnComplete).
        bool reported = false;
        std::function<void()> watch = [&]() {
            if (!reported && node->Done())
            {
                reported = true;
                std::cout << "bullet-node: complete at " << Simulator::Now().GetSeconds() << " s"
                          << std::endl;
                if (!output.empty())
                {
                    node->WriteOutput(output);
                }
                if (!results.empty())
                {
                    nlohmann::json r = record;
                    r["results"] = node->Results();
                    r["running"] = true;
                    r["ipv4_drops"] = drops.ToJson();
                    r["input_guard"] = guard->ToJson();
                    WriteJson(r, results);
                }
                if (exitOnComplete)
                {
                    Simulator::Schedule(Seconds(linger), &Simulator::Stop);
                }
            }
            Simulator::Schedule(MilliSeconds(100), watch);
        };
        Simulator::Schedule(MilliSeconds(100), watch);
        if (duration > 0)
        {
            Simulator::Stop(Seconds(duration));
        }
        Simulator::Run();

        std::string why;
        const bool ok = node->Succeeded(why);
        const bool wrote = !output.empty() && node->WriteOutput(output);
        nlohmann::json lag = monitor->Summary();
        record["results"] = node->Results();
        record["running"] = false;
        record["ipv4_drops"] = drops.ToJson();
        record["input_guard"] = guard->ToJson();
        record["simulated_s"] = Simulator::Now().GetSeconds();
        record["wall_seconds"]
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
        record["stopped_by"] = monitor->StoppedBySignal() ? "signal"
                               : (duration > 0 && Simulator::Now() >= Seconds(duration))
                                   ? "duration"
                                   : "complete";
        record["lag_ms"] = lag["lag_ms"];
        record["lag_late_samples"] = lag["late_samples"];
        record["lag_samples"] = lag["samples"];
        record["cpu_fraction"] = lag["cpu_fraction"];
        record["output"] = wrote ? output : "";
        record["ok"] = ok;
        record["error"] = ok ? "" : why;
        if (!results.empty())
        {
            WriteJson(record, results);
        }
        monitor->Dispose();
        Simulator::Destroy();
        std::cout << "bullet-node: " << (ok ? "ok" : "FAILED: " + why) << " after "
                  << record["simulated_s"].get<double>() << " s (lag p99 "
                  << lag["lag_ms"]["p99"].get<double>() << " ms)" << std::endl;
        return ok ? 0 : 4;
    }
    catch (const std::exception& e)
    {
        std::cerr << "bullet-node: error: " << e.what() << "\n";
        if (!results.empty())
        {
            record["ok"] = false;
            record["error"] = e.what();
            record["running"] = false;
            try
            {
                WriteJson(record, results);
            }
            catch (const std::exception&)
            {
            }
        }
        return 1;
    }
}
