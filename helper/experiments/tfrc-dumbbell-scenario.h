/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TFRC_DUMBBELL_SCENARIO_H
#define BULLET_TFRC_DUMBBELL_SCENARIO_H

#include "ns3/nstime.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Parameters of a TFRC/TCP dumbbell experiment.
 *
 * Leaf i on the left sends to leaf i on the right: the first tcpFlows pairs run TCP NewReno
 * (BulkSend to PacketSink), the next tfrcFlows pairs run greedy TFRC (TfrcBulkApplication).
 */
struct TfrcDumbbellConfig
{
    uint32_t tcpFlows{1};
    uint32_t tfrcFlows{1};
    double loss{0}; ///< random packet loss on the bottleneck (data dir.)
    Time duration{Seconds(30)};
    Time warmup{Seconds(5)}; ///< throughput is measured over [warmup, duration]
    std::string bottleneckRate{"1Mbps"};
    Time bottleneckDelay{MilliSeconds(20)};
    std::string accessRate{"100Mbps"};
    Time accessDelay{MilliSeconds(1)};
    uint32_t queuePackets{25}; ///< bottleneck buffer, packets
    /// RED at the bottleneck (thresholds queuePackets/5 and 3*queuePackets/5) instead of
    /// drop-tail. Drop-tail with few flows penalises bursty TCP against a paced TFRC flow
    /// (phase effects); RED removes that bias.
    bool red{false};
    uint32_t segmentSize{1460}; ///< TFRC s (datagram size); TCP MSS is s - 12
    /// TCP's minimum retransmission timeout. Default: Linux's 200 ms, as on the papers'
    /// hosts (ns-3's own default is RFC 6298's 1 s).
    Time tcpMinRto{MilliSeconds(200)};
    /// Segments per TCP ACK (ns3::TcpSocket::DelAckCount). Default 1: an ACK per segment, as
    /// Linux receivers do at the small windows of a 1 Mbps path (quick-ACK) and as TFRC's
    /// equation assumes (b = 1, RFC 5348 3.1); ns-3's own default is 2.
    uint32_t tcpDelAckCount{1};
    uint32_t seed{1};
    uint32_t run{1};
};

/// \brief Measured outcome of one flow.
struct TfrcDumbbellFlow
{
    std::string type; ///< "tcp" or "tfrc"
    uint32_t index{0};
    double throughputKbps{0};  ///< application goodput over the measurement window
    double rttMs{0};           ///< mean smoothed RTT over the window (TFRC R; TCP srtt)
    double lossEventRate{-1};  ///< TFRC p as measured by the receiver (-1 for TCP)
    uint64_t sendsRejected{0}; ///< TFRC non-blocking sends refused
};

/// \brief Outcome of a dumbbell run.
struct TfrcDumbbellResult
{
    std::vector<TfrcDumbbellFlow> flows;
    double meanTfrcKbps{0};
    double meanTcpKbps{0};
    /// mean TFRC throughput / mean TCP throughput (0 if either kind is absent)
    double friendlinessRatio{0};
};

/**
 * \brief Builds the dumbbell, runs the simulation and measures each flow.
 *
 * Shared by the tfrc-dumbbell example and the TFRC simulation tests, so both measure the
 * same thing. Calls Simulator::Destroy() before returning.
 */
TfrcDumbbellResult RunTfrcDumbbell(const TfrcDumbbellConfig& config);

} // namespace ns3

#endif // BULLET_TFRC_DUMBBELL_SCENARIO_H
