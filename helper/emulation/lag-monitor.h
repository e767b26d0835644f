/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_LAG_MONITOR_H
#define BULLET_LAG_MONITOR_H

#include "ns3/event-id.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Watches whether a real-time emulation keeps up with the wall clock, and says so.
 *
 * Every SampleInterval of simulated time an event compares the wall clock
 * (RealtimeSimulatorImpl::RealtimeNow) with the simulated time it was due at: the
 * difference is how late the scheduler runs, which every packet event queued behind it
 * shares. Lateness is kept as a histogram (10 us bins) for percentiles. Packets and bytes
 * that real hosts send into watched devices (MacRx) and receive from them (MacTx) are
 * counted, as is the process's CPU time. Every ReportInterval a callback gets the
 * interval's figures; a run keeps up when at most LateFraction of its samples are later
 * than MaxLag (ModelNet's criterion: packets within 1 ms of their target time).
 *
 * Also turns SIGINT/SIGTERM into a clean stop at the next sample.
 */
class LagMonitor : public Object
{
  public:
    static TypeId GetTypeId();
    LagMonitor();

    /// Figures of one report interval.
    struct Interval
    {
        double time;      ///< simulated seconds at the end of the interval
        double seconds;   ///< its length in wall-clock seconds
        double lagMaxMs;  ///< latest sample
        double lagMeanMs; ///< mean over samples
        uint64_t samples;
        uint64_t late;      ///< samples later than MaxLag
        uint64_t packetsIn; ///< from real hosts into the emulator
        uint64_t packetsOut;
        uint64_t bytesIn;
        uint64_t bytesOut;
        double cpu; ///< process CPU time / wall time (1.0 = one core busy)
    };

    /// Counts packets crossing \p device between a real host and the simulated core.
    void WatchDevice(Ptr<NetDevice> device);
    /// Starts sampling; needs ns3::RealtimeSimulatorImpl. \throws std::runtime_error
    void Start();
    void SetIntervalCallback(std::function<void(const Interval&)> cb);
    /// Stops the simulation at the next sample on SIGINT or SIGTERM.
    static void InstallSignalHandlers();

    bool KeptUp() const;
    bool StoppedBySignal() const;
    bool StoppedByLag() const;
    /// Lag percentile (0..1) in ms over all samples so far.
    double LagPercentileMs(double q) const;
    /// Whole-run figures (lag percentiles, late samples, packets/s, Mbit/s, CPU).
    nlohmann::json Summary() const;

  protected:
    void DoDispose() override;

  private:
    void Sample();
    void Report();
    void CountIn(Ptr<const Packet> p);
    void CountOut(Ptr<const Packet> p);
    static double CpuSeconds();

    Time m_sampleInterval;
    Time m_reportInterval;
    Time m_maxLag;
    double m_lateFraction;
    bool m_stopOnLag;
    Time m_warmup;

    std::function<void(const Interval&)> m_callback;
    EventId m_sampleEvent;
    EventId m_reportEvent;
    bool m_stoppedByLag{false};
    bool m_stoppedBySignal{false};

    std::vector<uint64_t> m_histogram; ///< 10 us bins; the last one collects the rest
    uint64_t m_samples{0};
    uint64_t m_late{0};
    double m_lagMaxMs{0};
    Interval m_now{};
    double m_intervalLagSum{0};
    double m_wallStart{0};
    double m_wallLast{0};
    double m_cpuStart{0};
    double m_cpuLast{0};
    uint64_t m_totalIn{0};
    uint64_t m_totalOut{0};
    uint64_t m_totalBytesIn{0};
    uint64_t m_totalBytesOut{0};
};

} // namespace ns3

#endif // BULLET_LAG_MONITOR_H
