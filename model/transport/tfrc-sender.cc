/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tfrc-sender.h"

#include "ns3/log.h"
#include "ns3/tfrc-equation.h"
#include "ns3/tfrc-header.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TfrcSender");

TfrcSender::TfrcSender(const TfrcSenderConfig& config)
    : m_cfg(config)
    , m_x(config.segmentSize) // one packet per second until the first RTT sample (4.2)
{
}

double
TfrcSender::InitialRate() const
{
    // W_init = min(4*s, max(2*s, 4380)) per RTT (RFC 3390 initial window, section 4.2)
    double s = m_cfg.segmentSize;
    double wInit = std::min(4 * s, std::max(2 * s, 4380.0));
    return wInit / m_rtt.GetSeconds();
}

double
TfrcSender::MinRate() const
{
    return m_cfg.segmentSize / m_cfg.tMbi.GetSeconds();
}

double
TfrcSender::MaxRecvSet() const
{
    if (m_recvSet.empty())
    {
        return std::numeric_limits<double>::infinity();
    }
    double m = 0;
    for (const auto& e : m_recvSet)
    {
        m = std::max(m, e.rate);
    }
    return m;
}

void
TfrcSender::OnFeedback(Time now, const TfrcFeedbackHeader& fb, bool dataLimited)
{
    // (1) RTT sample, (2) smoothed RTT.
    Time sample = now - fb.GetTimestampEcho() - fb.GetDelay();
    if (sample <= Time(0))
    {
        sample = NanoSeconds(1);
    }
    bool first = !m_haveRtt;
    m_sqrtSample = std::sqrt(sample.GetSeconds());
    if (first)
    {
        m_rtt = sample;
        m_haveRtt = true;
        m_sqmean = m_sqrtSample;
    }
    else
    {
        double q = m_cfg.rttSmoothing;
        m_rtt = Seconds(q * m_rtt.GetSeconds() + (1 - q) * sample.GetSeconds());
        double q2 = m_cfg.sqrtRttSmoothing;
        m_sqmean = q2 * m_sqmean + (1 - q2) * m_sqrtSample;
    }
    double pOld = m_p;
    m_p = fb.GetLossEventRate();
    double xRecv = fb.GetReceiveRate();

    // (4) recv_limit from X_recv_set.
    double recvLimit;
    if (dataLimited)
    {
        bool newLoss = m_p > pOld;
        if (newLoss)
        {
            // Loss in a data-limited interval: decay what we remember, and do not let the
            // limit exceed it (no doubling) for this round.
            for (auto& e : m_recvSet)
            {
                e.rate /= 2;
            }
            xRecv *= 0.85;
            double m = std::max(xRecv, m_recvSet.empty() ? 0.0 : MaxRecvSet());
            m_recvSet.assign(1, RecvEntry{now, m});
            recvLimit = m;
        }
        else
        {
            // Maximize X_recv_set: a data-limited X_recv says little about the path.
            double m = m_recvSet.empty() ? xRecv : std::max(xRecv, MaxRecvSet());
            m_recvSet.assign(1, RecvEntry{now, m});
            recvLimit = 2 * m;
        }
    }
    else
    {
        // Update X_recv_set: add X_recv, forget entries older than two RTTs.
        m_recvSet.erase(std::remove_if(m_recvSet.begin(), m_recvSet.end(),
                                       [&](const RecvEntry& e) {
                                           return now - e.at > m_rtt * 2;
                                       }),
                        m_recvSet.end());
        m_recvSet.push_back(RecvEntry{now, xRecv});
        recvLimit = 2 * MaxRecvSet();
    }

    if (first)
    {
        // First feedback: the initial window per RTT replaces the 1 packet/s start.
        m_x = InitialRate();
        m_tld = now;
    }
    // (5) new rate.
    UpdateRate(now, recvLimit);
    NS_LOG_DEBUG("feedback: R=" << m_rtt.As(Time::MS) << " p=" << m_p << " X_recv=" << xRecv
                                << " recv_limit=" << recvLimit << " -> X=" << m_x);
}

void
TfrcSender::UpdateRate(Time now, double recvLimit)
{
    if (m_p > 0)
    {
        double xBps = GetEquationRate();
        m_x = std::max(std::min(xBps, recvLimit), MinRate());
    }
    else if (now - m_tld >= m_rtt)
    {
        // Slow start: double once per RTT, bounded by twice what the receiver saw.
        m_x = std::max(std::min(2 * m_x, recvLimit), InitialRate());
        m_tld = now;
    }
}

void
TfrcSender::UpdateLimits(Time now, double limit)
{
    limit = std::max(limit, MinRate());
    m_recvSet.assign(1, RecvEntry{now, limit / 2});
    UpdateRate(now, limit);
}

void
TfrcSender::OnNoFeedbackTimer(Time now, bool idle)
{
    double before = m_x;
    if (!m_haveRtt)
    {
        // No feedback at all yet: halve, unless the sender was idle all along (then the
        // silence says nothing about the path).
        if (!idle)
        {
            m_x = std::max(m_x / 2, MinRate());
        }
    }
    else if (idle
             && ((m_p > 0 && MaxRecvSet() < InitialRate())
                 || (m_p == 0 && m_x < 2 * InitialRate())))
    {
        // An idle sender already at or near the initial (recover) rate keeps it: idleness
        // must not push the rate below what a restart would use.
    }
    else if (m_p == 0)
    {
        // No loss yet (RFC 3448 erratum 1458, kept in RFC 5348): simply halve.
        m_x = std::max(m_x / 2, MinRate());
    }
    else
    {
        double xRecv = MaxRecvSet();
        double xBps = GetEquationRate();
        if (xBps > 2 * xRecv)
        {
            UpdateLimits(now, xRecv);
        }
        else
        {
            UpdateLimits(now, xBps / 2);
        }
    }
    NS_LOG_DEBUG("nofeedback timer: X " << before << " -> " << m_x << (idle ? " (idle)" : ""));
}

double
TfrcSender::GetRate() const
{
    return m_x;
}

Time
TfrcSender::GetRtt() const
{
    return m_rtt;
}

bool
TfrcSender::HasRttSample() const
{
    return m_haveRtt;
}

double
TfrcSender::GetLossEventRate() const
{
    return m_p;
}

double
TfrcSender::GetEquationRate() const
{
    if (!m_haveRtt)
    {
        return std::numeric_limits<double>::infinity();
    }
    return TfrcEquation::CalcX(m_cfg.segmentSize, m_rtt.GetSeconds(), m_p);
}

Time
TfrcSender::GetNoFeedbackTimeout() const
{
    if (!m_haveRtt)
    {
        return m_cfg.initialNoFeedback;
    }
    return std::max(m_rtt * 4, Seconds(2.0 * m_cfg.segmentSize / m_x));
}

void
TfrcSender::SetSegmentSize(uint32_t s)
{
    m_cfg.segmentSize = std::max<uint32_t>(1, s);
}

uint32_t
TfrcSender::GetSegmentSize() const
{
    return m_cfg.segmentSize;
}

double
TfrcSender::GetPacingRate() const
{
    if (!m_cfg.oscillationPrevention || !m_haveRtt || m_sqrtSample <= 0)
    {
        return m_x;
    }
    return m_x * m_sqmean / m_sqrtSample;
}

Time
TfrcSender::GetInterPacketInterval(uint32_t size) const
{
    return Seconds(size / GetPacingRate());
}

} // namespace ns3
