/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "lag-monitor.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/realtime-simulator-impl.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <stdexcept>
#include <sys/resource.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LagMonitor");
NS_OBJECT_ENSURE_REGISTERED(LagMonitor);

namespace
{

volatile std::sig_atomic_t g_stopRequested = 0;

void
OnSignal(int)
{
    g_stopRequested = 1;
}

constexpr double kBinMs = 0.01;
constexpr size_t kBins = 100000; // up to 1 s

double
WallSeconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

TypeId
LagMonitor::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::LagMonitor")
              .SetParent<Object>()
              .SetGroupName("Bullet")
              .AddConstructor<LagMonitor>()
              .AddAttribute("SampleInterval", "Simulated time between two lag samples",
                            TimeValue(MilliSeconds(1)),
                            MakeTimeAccessor(&LagMonitor::m_sampleInterval),
                            MakeTimeChecker(MicroSeconds(10)))
              .AddAttribute("ReportInterval", "Time between two reports to the interval callback",
                            TimeValue(Seconds(1)), MakeTimeAccessor(&LagMonitor::m_reportInterval),
                            MakeTimeChecker(MilliSeconds(10)))
              .AddAttribute("MaxLag", "A sample later than this is late (ModelNet: 1 ms)",
                            TimeValue(MilliSeconds(1)), MakeTimeAccessor(&LagMonitor::m_maxLag),
                            MakeTimeChecker(Time(0)))
              .AddAttribute("LateFraction",
                            "The run keeps up while at most this share of samples is late",
                            DoubleValue(0.001), MakeDoubleAccessor(&LagMonitor::m_lateFraction),
                            MakeDoubleChecker<double>(0, 1))
              .AddAttribute("StopOnLag",
                            "Stop the simulation as soon as the run no longer keeps up",
                            BooleanValue(false), MakeBooleanAccessor(&LagMonitor::m_stopOnLag),
                            MakeBooleanChecker())
              .AddAttribute("Warmup",
                            "Samples before this simulated time are not counted (start-up)",
                            TimeValue(MilliSeconds(200)), MakeTimeAccessor(&LagMonitor::m_warmup),
                            MakeTimeChecker(Time(0)));
    return tid;
}

LagMonitor::LagMonitor()
    : m_histogram(kBins, 0)
{
}

void
LagMonitor::WatchDevice(Ptr<NetDevice> device)
{
    device->TraceConnectWithoutContext("MacRx", MakeCallback(&LagMonitor::CountIn, this));
    device->TraceConnectWithoutContext("MacTx", MakeCallback(&LagMonitor::CountOut, this));
}

void
LagMonitor::CountIn(Ptr<const Packet> p)
{
    ++m_now.packetsIn;
    m_now.bytesIn += p->GetSize();
}

void
LagMonitor::CountOut(Ptr<const Packet> p)
{
    ++m_now.packetsOut;
    m_now.bytesOut += p->GetSize();
}

void
LagMonitor::SetIntervalCallback(std::function<void(const Interval&)> cb)
{
    m_callback = std::move(cb);
}

void
LagMonitor::InstallSignalHandlers()
{
    std::signal(SIGINT, OnSignal);
    std::signal(SIGTERM, OnSignal);
}

double
LagMonitor::CpuSeconds()
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + 1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

void
LagMonitor::Start()
{
    if (!DynamicCast<RealtimeSimulatorImpl>(Simulator::GetImplementation()))
    {
        throw std::runtime_error("LagMonitor needs SimulatorImplementationType="
                                 "ns3::RealtimeSimulatorImpl");
    }
    m_wallStart = m_wallLast = WallSeconds();
    m_cpuStart = m_cpuLast = CpuSeconds();
    m_sampleEvent = Simulator::Schedule(m_sampleInterval, &LagMonitor::Sample, this);
    m_reportEvent = Simulator::Schedule(m_reportInterval, &LagMonitor::Report, this);
}

void
LagMonitor::Sample()
{
    if (g_stopRequested)
    {
        m_stoppedBySignal = true;
        Simulator::Stop();
        return;
    }
    auto rt = DynamicCast<RealtimeSimulatorImpl>(Simulator::GetImplementation());
    double lagMs = std::max(0.0, (rt->RealtimeNow() - Simulator::Now()).GetSeconds() * 1000);
    if (Simulator::Now() >= m_warmup)
    {
        ++m_now.samples;
        m_intervalLagSum += lagMs;
        m_now.lagMaxMs = std::max(m_now.lagMaxMs, lagMs);
        m_lagMaxMs = std::max(m_lagMaxMs, lagMs);
        ++m_histogram[std::min(kBins - 1, size_t(lagMs / kBinMs))];
        ++m_samples;
        if (lagMs > m_maxLag.GetSeconds() * 1000)
        {
            ++m_now.late;
            ++m_late;
        }
        if (m_stopOnLag && !KeptUp() && m_samples >= 1000)
        {
            NS_LOG_WARN("lag " << lagMs << " ms: stopping");
            m_stoppedByLag = true;
            Simulator::Stop();
            return;
        }
    }
    m_sampleEvent = Simulator::Schedule(m_sampleInterval, &LagMonitor::Sample, this);
}

void
LagMonitor::Report()
{
    double wall = WallSeconds();
    double cpu = CpuSeconds();
    m_now.time = Simulator::Now().GetSeconds();
    m_now.seconds = wall - m_wallLast;
    m_now.lagMeanMs = m_now.samples ? m_intervalLagSum / m_now.samples : 0;
    m_now.cpu = m_now.seconds > 0 ? (cpu - m_cpuLast) / m_now.seconds : 0;
    m_totalIn += m_now.packetsIn;
    m_totalOut += m_now.packetsOut;
    m_totalBytesIn += m_now.bytesIn;
    m_totalBytesOut += m_now.bytesOut;
    if (m_callback)
    {
        m_callback(m_now);
    }
    m_now = Interval{};
    m_intervalLagSum = 0;
    m_wallLast = wall;
    m_cpuLast = cpu;
    m_reportEvent = Simulator::Schedule(m_reportInterval, &LagMonitor::Report, this);
}

bool
LagMonitor::KeptUp() const
{
    return m_late <= m_lateFraction * m_samples;
}

bool
LagMonitor::StoppedBySignal() const
{
    return m_stoppedBySignal;
}

bool
LagMonitor::StoppedByLag() const
{
    return m_stoppedByLag;
}

double
LagMonitor::LagPercentileMs(double q) const
{
    if (m_samples == 0)
    {
        return 0;
    }
    uint64_t rank = std::max<uint64_t>(1, uint64_t(q * m_samples + 0.5));
    uint64_t seen = 0;
    for (size_t i = 0; i < kBins; ++i)
    {
        seen += m_histogram[i];
        if (seen >= rank)
        {
            return (i + 1) * kBinMs; // upper edge: never flatter than the truth
        }
    }
    return m_lagMaxMs;
}

nlohmann::json
LagMonitor::Summary() const
{
    // Counters of the interval in progress belong to the run too.
    double wall = WallSeconds() - m_wallStart;
    uint64_t in = m_totalIn + m_now.packetsIn;
    uint64_t out = m_totalOut + m_now.packetsOut;
    uint64_t bytesIn = m_totalBytesIn + m_now.bytesIn;
    uint64_t bytesOut = m_totalBytesOut + m_now.bytesOut;
    nlohmann::json j;
    j["wall_seconds"] = wall;
    j["samples"] = m_samples;
    j["late_samples"] = m_late;
    j["max_lag_ms_threshold"] = m_maxLag.GetSeconds() * 1000;
    j["late_fraction_allowed"] = m_lateFraction;
    j["lag_ms"] = {{"p50", LagPercentileMs(0.5)},
                   {"p99", LagPercentileMs(0.99)},
                   {"p999", LagPercentileMs(0.999)},
                   {"max", m_lagMaxMs}};
    j["kept_up"] = KeptUp();
    j["stopped_by_lag"] = m_stoppedByLag;
    j["packets_in"] = in;
    j["packets_out"] = out;
    j["packets_in_per_s"] = wall > 0 ? in / wall : 0;
    j["packets_out_per_s"] = wall > 0 ? out / wall : 0;
    j["mbit_in_per_s"] = wall > 0 ? bytesIn * 8e-6 / wall : 0;
    j["mbit_out_per_s"] = wall > 0 ? bytesOut * 8e-6 / wall : 0;
    j["cpu_seconds"] = CpuSeconds() - m_cpuStart;
    j["cpu_fraction"] = wall > 0 ? (CpuSeconds() - m_cpuStart) / wall : 0;
    return j;
}

void
LagMonitor::DoDispose()
{
    Simulator::Cancel(m_sampleEvent);
    Simulator::Cancel(m_reportEvent);
    m_callback = nullptr;
    Object::DoDispose();
}

} // namespace ns3
