/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * bullet-emulator: a ModelNet-like emulator. ns-3 simulates the core (an INET topology, or
 * a small dumbbell for tests and benchmarks) in real time, and real hosts (network
 * namespaces made by emulation/hosts-up.sh, or VMs on bridged TAPs) attach to its clients'
 * access links through TAP devices and exchange real packets across it. It reports every
 * interval how far behind the wall clock it runs and how many packets it handles, and says
 * plainly when it did not keep up.
 *
 *   emulation/hosts-up.sh 3 be
 *   ./ns3 run "bullet-emulator --hosts=3 --prefix=be --duration=60"
 *   ./ns3 run "bullet-emulator --hosts=8 --topoNodes=5000 --profile=medium --loss=bullet2003"
 *   emulation/hosts-down.sh be
 */
#include "ns3/boolean.h"
#include "ns3/command-line.h"
#include "ns3/config.h"
#include "ns3/data-rate.h"
#include "ns3/double.h"
#include "ns3/emulation-topology.h"
#include "ns3/enum.h"
#include "ns3/experiment-output.h"
#include "ns3/global-value.h"
#include "ns3/host-attachment.h"
#include "ns3/host-map.h"
#include "ns3/input-counters.h"
#include "ns3/lag-monitor.h"
#include "ns3/node-list.h"
#include "ns3/realtime-simulator-impl.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/tap-device.h"
#include "ns3/topology-helper.h"

#include <cstring>
#include <iomanip>
#include <iostream>
#include <sched.h>
#include <sys/mman.h>

using namespace ns3;

namespace
{

/// Real-time scheduling for this process and the threads it starts later (the FdNetDevice
/// readers): on a busy machine, ordinary scheduling wakes the emulator milliseconds late.
void
SetRealtimePriority(int priority)
{
    struct sched_param param;
    std::memset(&param, 0, sizeof(param));
    param.sched_priority = priority;
    if (sched_setscheduler(0, SCHED_FIFO, &param) != 0)
    {
        throw std::runtime_error("cannot switch to SCHED_FIFO priority " + std::to_string(priority)
                                 + ": " + std::strerror(errno));
    }
    // Page faults would be lag too.
    if (mlockall(MCL_CURRENT | MCL_FUTURE) != 0)
    {
        std::cerr << "bullet-emulator: warning: mlockall failed: " << std::strerror(errno) << "\n";
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t hosts = 2;
    std::string prefix = "be";
    std::string topology = "dumbbell";
    uint32_t topoNodes = 0;
    std::string profile = "medium";
    std::string loss = "none";
    uint64_t seed = 1;
    bool distill = false;
    uint32_t coreHops = 2;
    std::string accessRate;
    double accessDelay = -1;
    std::string coreRate = "1Gbps";
    double coreDelay = 5;
    double coreLoss = 0;
    uint32_t queue = 10;
    double duration = 0;
    std::string hostmap;
    double report = 1;
    double maxLag = 1;
    double lateFraction = 0.001;
    bool stopOnLag = false;
    bool createTaps = false;
    std::string attachment = "fd";
    int rtPriority = 0;
    std::string outdir;

    CommandLine cmd(__FILE__);
    cmd.Usage("A ModelNet-like emulator: real hosts on TAP devices (emulation/hosts-up.sh) "
              "exchange real packets across a core simulated by ns-3 in real time.");
    cmd.AddValue("hosts", "real hosts to attach (host i uses TAP <prefix>t<i>)", hosts);
    cmd.AddValue("prefix", "name prefix given to emulation/hosts-up.sh", prefix);
    cmd.AddValue("topology", "'dumbbell' (built in) or an INET topology file", topology);
    cmd.AddValue("topoNodes", "generate an INET topology of this many nodes (>= 3037)", topoNodes);
    cmd.AddValue("profile", "INET bandwidth profile: low|medium|high|prime2008", profile);
    cmd.AddValue("loss", "INET loss profile: none|bullet2003|bullet2008", loss);
    cmd.AddValue("seed", "INET generation and annotation seed", seed);
    cmd.AddValue("distill", "collapse interior routes to one link per router pair (ModelNet)",
                 distill);
    cmd.AddValue("coreHops", "dumbbell: links between the two edge routers", coreHops);
    cmd.AddValue("accessRate",
                 "access link rate, e.g. 100Mbps (dumbbell default 100Mbps; INET: profile)",
                 accessRate);
    cmd.AddValue("accessDelay", "access link delay in ms (dumbbell default 1; INET: 1)",
                 accessDelay);
    cmd.AddValue("coreRate", "dumbbell: core link rate", coreRate);
    cmd.AddValue("coreDelay", "dumbbell: core link delay in ms", coreDelay);
    cmd.AddValue("coreLoss", "dumbbell: loss probability of each core link and direction",
                 coreLoss);
    cmd.AddValue("queue", "drop-tail queue of every link, packets (ModelNet: 10)", queue);
    cmd.AddValue("duration", "seconds to run; 0 runs until SIGINT/SIGTERM", duration);
    cmd.AddValue("hostmap", "write the host map here (default <outdir>/hostmap.json)", hostmap);
    cmd.AddValue("report", "seconds between two progress reports", report);
    cmd.AddValue("maxLag", "ms: a lag sample later than this is late", maxLag);
    cmd.AddValue("lateFraction", "keeps up while at most this share of samples is late",
                 lateFraction);
    cmd.AddValue("stopOnLag", "stop as soon as the emulator no longer keeps up", stopOnLag);
    cmd.AddValue("rtPriority", "run with SCHED_FIFO at this priority (1-99; 0: normal scheduling)",
                 rtPriority);
    cmd.AddValue("createTaps", "create missing TAPs (unbridged, gone on exit)", createTaps);
    cmd.AddValue("attach",
                 "how hosts' TAPs attach: fd (an FdNetDevice on the TAP, opened in-process) or "
                 "tapbridge (ns-3's TapBridge, UseBridge mode; needs an ns-3 whose TapBridge "
                 "creator exists, e.g. ./ns3 configure --ns3=optimized)",
                 attachment);
    cmd.AddValue("outdir", "result directory (default results/bullet-emulator)", outdir);
    cmd.Parse(argc, argv);

    std::string problem = EmulationPreflight();
    if (!problem.empty())
    {
        std::cerr << "bullet-emulator: error: " << problem << "\n";
        return 2;
    }

    try
    {
        if (rtPriority < 0 || rtPriority > 99)
        {
            throw std::invalid_argument("--rtPriority must be 0..99");
        }
        if (attachment != "fd" && attachment != "tapbridge")
        {
            throw std::invalid_argument("--attach must be fd or tapbridge, not '" + attachment
                                        + "'");
        }
        if (attachment == "tapbridge")
        {
            std::string why;
            if (HostAttachmentHelper::TapBridgeCreator(why).empty())
            {
                throw std::invalid_argument("--attach=tapbridge: TapBridge cannot run here: "
                                            + why);
            }
            if (createTaps)
            {
                throw std::invalid_argument(
                    "--attach=tapbridge uses the hosts' TAPs on their bridges (hosts-up.sh); "
                    "--createTaps is for fd");
            }
        }
        if (hosts == 0 || hosts > EmulatedHostPlan::kMaxHosts)
        {
            throw std::invalid_argument("--hosts must be 1.."
                                        + std::to_string(EmulatedHostPlan::kMaxHosts));
        }
        ExperimentOutput out("bullet-emulator", argc, argv, outdir);
        out.SetSeed(seed);
        if (hostmap.empty())
        {
            hostmap = out.Path("hostmap.json");
        }

        // Real time, with real checksums: real hosts check them.
        GlobalValue::Bind("SimulatorImplementationType", StringValue("ns3::RealtimeSimulatorImpl"));
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
        // Run late rather than abort: the lag monitor measures and reports how late.
        Config::SetDefault("ns3::RealtimeSimulatorImpl::SynchronizationMode",
                           EnumValue(RealtimeSimulatorImpl::SYNC_BEST_EFFORT));

        TopologySpec spec;
        std::string kind;
        if (topoNodes > 0 || topology != "dumbbell")
        {
            InetTopology inet = topoNodes > 0 ? InetTopology::Generate({topoNodes, 0, 10000, seed})
                                              : InetTopology::ReadFile(topology);
            InetAnnotation a;
            a.clients = hosts;
            a.bandwidth = profile;
            a.loss = loss;
            a.seed = seed;
            if (accessDelay >= 0)
            {
                a.clientLinkDelayMs = accessDelay;
            }
            spec = AnnotateInet(inet, a);
            if (!accessRate.empty())
            {
                double bps = DataRate(accessRate).GetBitRate();
                for (auto& l : spec.links)
                {
                    if (l.cls == LinkClass::ClientStub)
                    {
                        l.rateAtoB = l.rateBtoA = bps;
                    }
                }
            }
            kind = "inet " + std::to_string(inet.GetNNodes()) + " nodes, " + profile + ", loss "
                   + loss;
        }
        else
        {
            DumbbellParams d;
            d.clients = hosts;
            d.coreHops = coreHops;
            d.accessBps = DataRate(accessRate.empty() ? "100Mbps" : accessRate).GetBitRate();
            d.accessDelayMs = accessDelay >= 0 ? accessDelay : 1;
            d.coreBps = DataRate(coreRate).GetBitRate();
            d.coreDelayMs = coreDelay;
            d.coreLoss = coreLoss;
            spec = MakeDumbbell(d);
            kind = "dumbbell, " + std::to_string(coreHops) + " core hops";
        }
        if (distill)
        {
            spec = DistillSpec(spec);
            kind += ", distilled";
        }

        TopologyHelper helper;
        helper.SetQueueSize(queue);
        Ptr<SimulatedNetwork> net = helper.Build(spec);
        std::cout << "core: " << kind << ": " << spec.nRouters << " routers, " << spec.links.size()
                  << " links, " << hosts << " hosts" << std::endl;

        std::vector<EmulatedHost> attached;
        HostAttachmentHelper attach;
        for (uint32_t i = 0; i < hosts; ++i)
        {
            EmulatedHost h;
            h.index = i;
            h.name = prefix + "h" + std::to_string(i);
            h.tap = prefix + "t" + std::to_string(i);
            h.client = i;
            h.address = EmulatedHostPlan::HostAddress(i);
            h.gateway = EmulatedHostPlan::GatewayAddress(i);
            attached.push_back(attachment == "tapbridge"
                                   ? attach.AttachWithTapBridge(net, h)
                                   : attach.Attach(net, h, OpenTap(h.tap, !createTaps)));
        }

        nlohmann::json map = MakeHostMap(net, attached);
        map["topology"] = {{"kind", kind},
                           {"routers", spec.nRouters},
                           {"links", spec.links.size()},
                           {"queue_packets", queue}};
        map["attachment"] = attachment == "tapbridge" ? "TapBridge (UseBridge) on the host's TAP"
                                                      : "FdNetDevice on the host's TAP";
        PrintHostMap(map, std::cout);
        WriteHostMap(map, hostmap);
        std::cout << "wrote host map " << hostmap << std::endl;

        // What the hosts send that the emulated routers' IPv4 refuses (bad checksums, ...).
        Ipv4DropCounter drops;
        for (NodeList::Iterator it = NodeList::Begin(); it != NodeList::End(); ++it)
        {
            drops.Watch(*it);
        }
        // ... and what ns-3 must not parse at all (headers cut short): dropped at the TAPs.
        std::vector<Ptr<Ipv4InputGuard>> guards;
        for (const auto& h : attached)
        {
            guards.push_back(Ipv4InputGuard::Install(h.device));
        }

        Ptr<LagMonitor> monitor = CreateObject<LagMonitor>();
        monitor->SetAttribute("ReportInterval", TimeValue(Seconds(report)));
        monitor->SetAttribute("MaxLag", TimeValue(MicroSeconds(int64_t(maxLag * 1000))));
        monitor->SetAttribute("LateFraction", DoubleValue(lateFraction));
        monitor->SetAttribute("StopOnLag", BooleanValue(stopOnLag));
        for (const auto& h : attached)
        {
            monitor->WatchDevice(h.device);
        }
        nlohmann::json intervals = nlohmann::json::array();
        monitor->SetIntervalCallback([&intervals](const LagMonitor::Interval& i) {
            intervals.push_back({{"time", i.time},
                                 {"wall_seconds", i.seconds},
                                 {"lag_max_ms", i.lagMaxMs},
                                 {"lag_mean_ms", i.lagMeanMs},
                                 {"samples", i.samples},
                                 {"late", i.late},
                                 {"packets_in", i.packetsIn},
                                 {"packets_out", i.packetsOut},
                                 {"bytes_in", i.bytesIn},
                                 {"bytes_out", i.bytesOut},
                                 {"cpu", i.cpu}});
            double s = i.seconds > 0 ? i.seconds : 1;
            std::cout << std::fixed << std::setprecision(2) << "[" << std::setw(7) << i.time
                      << " s] lag max " << std::setw(6) << i.lagMaxMs << " ms mean " << std::setw(5)
                      << i.lagMeanMs << " ms, late " << i.late << "/" << i.samples << " | in "
                      << std::setprecision(0) << std::setw(6) << i.packetsIn / s << " pkt/s "
                      << std::setprecision(1) << std::setw(6) << i.bytesIn * 8e-6 / s
                      << " Mbit/s | out " << std::setprecision(0) << std::setw(6)
                      << i.packetsOut / s << " pkt/s " << std::setprecision(1) << std::setw(6)
                      << i.bytesOut * 8e-6 / s << " Mbit/s | cpu " << std::setprecision(0)
                      << std::setw(3) << 100 * i.cpu << "%" << (i.late ? "  BEHIND" : "")
                      << std::endl;
        });
        if (rtPriority > 0)
        {
            SetRealtimePriority(rtPriority);
        }
        LagMonitor::InstallSignalHandlers();
        monitor->Start();
        if (duration > 0)
        {
            Simulator::Stop(Seconds(duration));
        }
        std::cout << "running in real time" << (duration > 0 ? "" : " until SIGINT/SIGTERM")
                  << std::endl;
        Simulator::Run();

        nlohmann::json summary = monitor->Summary();
        const auto& lag = summary["lag_ms"];
        std::cout << std::fixed << std::setprecision(3) << "lag over the run: p50 "
                  << lag["p50"].get<double>() << " ms, p99 " << lag["p99"].get<double>()
                  << " ms, p99.9 " << lag["p999"].get<double>() << " ms, max "
                  << lag["max"].get<double>() << " ms; " << summary["late_samples"].get<uint64_t>()
                  << " of " << summary["samples"].get<uint64_t>() << " samples later than "
                  << maxLag << " ms\n"
                  << std::setprecision(0) << "handled " << summary["packets_in_per_s"].get<double>()
                  << " pkt/s in (" << std::setprecision(1) << summary["mbit_in_per_s"].get<double>()
                  << " Mbit/s), " << std::setprecision(0)
                  << summary["packets_out_per_s"].get<double>() << " pkt/s out, cpu "
                  << 100 * summary["cpu_fraction"].get<double>() << "%\n";
        bool kept = monitor->KeptUp();
        std::cout << (kept ? "FIDELITY OK: kept within " : "FIDELITY VIOLATED: fell more than ")
                  << maxLag << " ms of real time"
                  << (kept ? ""
                           : " behind too often; results of this run do not emulate the "
                             "configured network")
                  << (monitor->StoppedByLag() ? " (stopped)" : "") << std::endl;
        if (!kept && rtPriority == 0)
        {
            std::cout << "hint: on a busy machine --rtPriority=50 (SCHED_FIFO) keeps the "
                         "emulator's wake-ups on time"
                      << std::endl;
        }
        summary["ipv4_drops"] = drops.ToJson();
        nlohmann::json guarded = {{"total", 0}};
        for (const auto& g : guards)
        {
            const nlohmann::json counts = g->ToJson(); // items() does not keep it alive
            for (const auto& [reason, n] : counts.items())
            {
                guarded[reason] = guarded.value(reason, uint64_t(0)) + n.get<uint64_t>();
            }
        }
        summary["input_guard"] = guarded;
        std::cout << "refused input: ipv4 " << summary["ipv4_drops"].dump() << ", guard "
                  << guarded.dump() << std::endl;
        out.Root()["emulator"] = summary;
        out.Root()["intervals"] = intervals;
        out.Root()["hostmap"] = hostmap;
        out.Root()["topology"] = map["topology"];
        monitor->Dispose();
        Simulator::Destroy();
        std::cout << "wrote " << out.WriteSummary(summary["wall_seconds"].get<double>())
                  << std::endl;
        return kept ? 0 : 3;
    }
    catch (const std::exception& e)
    {
        std::cerr << "bullet-emulator: error: " << e.what() << "\n";
        return 1;
    }
}
