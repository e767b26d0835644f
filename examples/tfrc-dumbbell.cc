/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// TFRC and TCP NewReno flows sharing a dumbbell bottleneck.
//
//   tcp/tfrc sources -- 100 Mbps --+                    +-- 100 Mbps -- sinks
//                                  router == 1 Mbps == router
//
// Prints per-flow throughput, RTT and loss event rate, and the friendliness ratio (mean TFRC
// throughput / mean TCP throughput); writes DIR/summary.json (doc/results-format.md) and
// DIR/flows.csv.
//
//   ./ns3 run "tfrc-dumbbell --tcpFlows=1 --tfrcFlows=1 --duration=60 --outdir=results/x"

#include "ns3/command-line.h"
#include "ns3/experiment-output.h"
#include "ns3/tfrc-dumbbell-scenario.h"
#include "ns3/tfrc-equation.h"

#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

using namespace ns3;

int
main(int argc, char** argv)
{
    TfrcDumbbellConfig cfg;
    uint32_t tcpFlows = cfg.tcpFlows;
    uint32_t tfrcFlows = cfg.tfrcFlows;
    double loss = 0;
    double duration = 60;
    double warmup = 10;
    std::string bottleneck = cfg.bottleneckRate;
    double delayMs = cfg.bottleneckDelay.GetMilliSeconds();
    uint32_t queue = cfg.queuePackets;
    uint32_t seed = 1;
    bool red = false;
    double tcpMinRtoMs = cfg.tcpMinRto.GetMilliSeconds();
    uint32_t tcpDelAckCount = cfg.tcpDelAckCount;
    std::string outdir;

    CommandLine cmd(__FILE__);
    cmd.Usage("TFRC (RFC 5348) and TCP NewReno bulk flows over a dumbbell bottleneck; "
              "measures each flow's throughput and the TFRC/TCP friendliness ratio.");
    cmd.AddValue("tcpFlows", "number of TCP NewReno bulk flows", tcpFlows);
    cmd.AddValue("tfrcFlows", "number of greedy TFRC flows", tfrcFlows);
    cmd.AddValue("loss", "random packet loss rate on the bottleneck (data direction)", loss);
    cmd.AddValue("duration", "simulated seconds", duration);
    cmd.AddValue("warmup", "seconds excluded from the throughput measurement", warmup);
    cmd.AddValue("bottleneck", "bottleneck data rate", bottleneck);
    cmd.AddValue("delay", "bottleneck one-way delay, ms", delayMs);
    cmd.AddValue("queue", "bottleneck buffer, packets", queue);
    cmd.AddValue("red", "RED instead of drop-tail at the bottleneck", red);
    cmd.AddValue("tcpMinRto",
                 "TCP minimum retransmission timeout, ms (Linux 200, as on the papers' hosts; "
                 "ns-3's default 1000)",
                 tcpMinRtoMs);
    cmd.AddValue("tcpDelAckCount",
                 "segments per TCP ACK (1: an ACK per segment, as TFRC's equation assumes; "
                 "ns-3's default 2)",
                 tcpDelAckCount);
    cmd.AddValue("seed", "RNG run number", seed);
    cmd.AddValue("outdir", "output directory (default results/tfrc-dumbbell)", outdir);
    cmd.Parse(argc, argv);

    cfg.tcpFlows = tcpFlows;
    cfg.tfrcFlows = tfrcFlows;
    cfg.loss = loss;
    cfg.duration = Seconds(duration);
    cfg.warmup = Seconds(std::min(warmup, duration / 2));
    cfg.bottleneckRate = bottleneck;
    cfg.bottleneckDelay = MilliSeconds(delayMs);
    cfg.queuePackets = queue;
    cfg.run = seed;
    cfg.red = red;
    if (tcpMinRtoMs <= 0 || tcpDelAckCount == 0)
    {
        std::cerr << "tfrc-dumbbell: --tcpMinRto must be > 0 ms and --tcpDelAckCount >= 1\n";
        return 2;
    }
    cfg.tcpMinRto = MilliSeconds(tcpMinRtoMs);
    cfg.tcpDelAckCount = tcpDelAckCount;

    ExperimentOutput out("tfrc-dumbbell", argc, argv, outdir);
    out.SetSeed(seed);
    TfrcDumbbellResult r = RunTfrcDumbbell(cfg);

    std::ofstream csv(out.Path("flows.csv"));
    csv << "type,index,throughput_kbps,rtt_ms,loss_event_rate,equation_kbps,sends_rejected\n";
    std::cout << std::fixed << std::setprecision(4) << std::left;
    std::cout << "type  idx  throughput_kbps  rtt_ms    loss_event_rate  equation_kbps\n";
    nlohmann::json tfrcList = nlohmann::json::array();
    nlohmann::json tcpList = nlohmann::json::array();
    auto fmt = [](double v) {
        std::ostringstream os;
        os << std::setprecision(6) << v;
        return os.str();
    };
    for (const auto& f : r.flows)
    {
        // For TFRC: the TCP response function at the flow's measured RTT and loss event rate.
        double eqKbps = -1;
        if (f.lossEventRate > 0 && f.rttMs > 0)
        {
            eqKbps
                = TfrcEquation::CalcX(cfg.segmentSize, f.rttMs / 1000, f.lossEventRate) * 8 / 1000;
        }
        std::string p = f.lossEventRate >= 0 ? fmt(f.lossEventRate) : "-";
        std::string eq = eqKbps >= 0 ? fmt(eqKbps) : "-";
        std::cout << std::setw(5) << f.type << " " << std::setw(4) << f.index << " "
                  << std::setw(16) << f.throughputKbps << " " << std::setw(9) << f.rttMs << " "
                  << std::setw(16) << p << " " << eq << "\n";
        csv << f.type << "," << f.index << "," << f.throughputKbps << "," << f.rttMs << ","
            << (f.lossEventRate >= 0 ? fmt(f.lossEventRate) : "") << ","
            << (eqKbps >= 0 ? fmt(eqKbps) : "") << "," << f.sendsRejected << "\n";
        nlohmann::json j
            = {{"index", f.index}, {"throughput_kbps", f.throughputKbps}, {"rtt_ms", f.rttMs}};
        if (f.type == "tfrc")
        {
            j["loss_event_rate"] = f.lossEventRate;
            j["equation_kbps"] = eqKbps >= 0 ? nlohmann::json(eqKbps) : nlohmann::json();
            j["sends_rejected"] = f.sendsRejected;
            tfrcList.push_back(j);
        }
        else
        {
            tcpList.push_back(j);
        }
    }
    std::cout << "mean TFRC throughput: " << r.meanTfrcKbps << " kbps\n"
              << "mean TCP throughput:  " << r.meanTcpKbps << " kbps\n"
              << "friendliness ratio (TFRC/TCP): " << r.friendlinessRatio << "\n";

    if (tfrcFlows > 0)
    {
        out.Systems()["tfrc"] = {{"throughput_kbps", r.meanTfrcKbps}, {"flows", tfrcList}};
    }
    if (tcpFlows > 0)
    {
        out.Systems()["tcp"] = {{"throughput_kbps", r.meanTcpKbps}, {"flows", tcpList}};
    }
    // null unless both kinds of flow ran
    out.Root()["friendliness_ratio"]
        = (tcpFlows > 0 && tfrcFlows > 0) ? nlohmann::json(r.friendlinessRatio) : nlohmann::json();
    out.Root()["window_s"] = {cfg.warmup.GetSeconds(), duration};
    out.Root()["bottleneck"] = bottleneck;
    out.Root()["loss"] = loss;
    out.Root()["queue"] = red ? "red" : "droptail";
    out.Root()["queue_packets"] = queue;
    out.Root()["tcp_min_rto_ms"] = tcpMinRtoMs;
    out.Root()["tcp_del_ack_count"] = tcpDelAckCount;
    std::cout << "wrote " << out.WriteSummary(duration) << "\n";
    return 0;
}
