/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tfrc-receiver.h"

#include "ns3/log.h"
#include "ns3/tfrc-equation.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TfrcReceiver");

TfrcReceiver::TfrcReceiver(const TfrcReceiverConfig& config)
    : m_cfg(config)
    , m_history(config.historyLength, config.ndupack)
    , m_rtt(config.initialRtt)
{
    m_history.SetFirstIntervalCallback(MakeCallback(&TfrcReceiver::SynthesiseFirstInterval, this));
}

bool
TfrcReceiver::OnData(Time now, const TfrcDataHeader& hdr, uint32_t size)
{
    if (hdr.GetRtt() > Time(0))
    {
        m_rtt = hdr.GetRtt();
    }
    if (m_packets == 0)
    {
        m_firstArrival = now;
    }
    ++m_packets;
    m_bytes += size;
    m_arrivals.emplace_back(now, size);
    // Keep what the next X_recv or the first-loss synthesis can still need.
    Time keepFrom = now - std::max(m_rtt, now - m_lastFeedback) * 2;
    while (!m_arrivals.empty() && m_arrivals.front().first < keepFrom)
    {
        m_arrivals.pop_front();
    }
    m_lastTimestamp = hdr.GetTimestamp();
    m_lastArrival = now;
    m_dataSinceFeedback = true;

    double pBefore = m_history.GetLossEventRate();
    bool newEvent = m_history.OnPacket(hdr.GetSequence(), now, m_rtt);
    bool urgent = m_first || (newEvent && m_history.GetLossEventRate() > pBefore);
    m_first = false;
    return urgent;
}

bool
TfrcReceiver::HasDataSinceFeedback() const
{
    return m_dataSinceFeedback;
}

double
TfrcReceiver::RateOver(Time now, Time window) const
{
    if (window <= Time(0))
    {
        return 0;
    }
    uint64_t bytes = 0;
    for (auto it = m_arrivals.rbegin(); it != m_arrivals.rend() && it->first > now - window; ++it)
    {
        bytes += it->second;
    }
    return bytes / window.GetSeconds();
}

TfrcFeedbackHeader
TfrcReceiver::MakeFeedback(Time now)
{
    // X_recv over the time since the last feedback, but never less than one RTT, so that an
    // early (loss-triggered) report does not measure a burst.
    Time window = m_haveFeedback ? std::max(now - m_lastFeedback, m_rtt) : m_rtt;
    if (!m_haveFeedback)
    {
        window = std::max(window, now - m_firstArrival);
    }
    m_xRecv = RateOver(now, window);
    TfrcFeedbackHeader fb;
    fb.SetTimestampEcho(m_lastTimestamp);
    fb.SetDelay(now - m_lastArrival);
    fb.SetReceiveRate(m_xRecv);
    fb.SetLossEventRate(m_history.GetLossEventRate());
    m_lastFeedback = now;
    m_haveFeedback = true;
    m_dataSinceFeedback = false;
    return fb;
}

double
TfrcReceiver::SynthesiseFirstInterval(Time lossTime)
{
    // X_target: the receive rate of the last RTT before the loss; if the loss came before
    // there was such a rate (the very first packets), s/(2R).
    double s = m_packets > 0 ? double(m_bytes) / m_packets : 1460.0;
    double r = m_rtt.GetSeconds();
    Time window = std::min(m_rtt, lossTime - m_firstArrival);
    double xTarget = window >= m_rtt / 2 ? RateOver(m_lastArrival, window) : 0;
    if (xTarget <= 0)
    {
        xTarget = s / (2 * r);
    }
    double p = TfrcEquation::InvertForP(s, r, xTarget);
    NS_LOG_DEBUG("first loss: X_target=" << xTarget << " B/s R=" << r << " -> I_1=" << 1 / p);
    return 1.0 / p;
}

Time
TfrcReceiver::GetRtt() const
{
    return m_rtt;
}

Time
TfrcReceiver::GetFeedbackInterval() const
{
    return m_rtt;
}

double
TfrcReceiver::GetLossEventRate() const
{
    return m_history.GetLossEventRate();
}

double
TfrcReceiver::GetReceiveRate() const
{
    return m_xRecv;
}

const TfrcLossHistory&
TfrcReceiver::GetLossHistory() const
{
    return m_history;
}

uint64_t
TfrcReceiver::GetPacketsReceived() const
{
    return m_packets;
}

} // namespace ns3
