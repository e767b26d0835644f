/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TFRC_RECEIVER_H
#define BULLET_TFRC_RECEIVER_H

#include "ns3/nstime.h"
#include "ns3/tfrc-header.h"
#include "ns3/tfrc-loss-history.h"

#include <deque>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Constants of a TFRC receiver (the TfrcSocket attributes pass them in).
 */
struct TfrcReceiverConfig
{
    uint32_t historyLength{8};          ///< n loss intervals (RFC 5348 section 5.4)
    uint32_t ndupack{3};                ///< later packets before a gap is a loss (section 5.1)
    Time initialRtt{MilliSeconds(100)}; ///< used while the sender reports no RTT yet
};

/**
 * \ingroup bullet
 * \brief The receiving half of a TFRC flow (RFC 5348 sections 5 and 6), without timers.
 *
 * Measures what the sender needs to know once per RTT: the receive rate X_recv, the loss
 * event rate p (through TfrcLossHistory) and the timing that lets the sender measure the RTT.
 * The owning flow calls OnData() for each data packet, sends MakeFeedback() when OnData()
 * asks for it (first packet, new loss event) and otherwise every GetFeedbackInterval().
 */
class TfrcReceiver
{
  public:
    explicit TfrcReceiver(const TfrcReceiverConfig& config = TfrcReceiverConfig());

    /**
     * \brief Records a data packet.
     * \param size bytes of the whole datagram (header included), which is what the sender's
     *        rate counts
     * \return true if feedback should be sent at once (first packet, or a new loss event)
     */
    bool OnData(Time now, const TfrcDataHeader& hdr, uint32_t size);

    /// \brief True if data arrived since the last feedback (else no feedback is due).
    bool HasDataSinceFeedback() const;

    /// \brief Builds the feedback packet for \p now and starts a new measurement interval.
    TfrcFeedbackHeader MakeFeedback(Time now);

    /// \brief R as the sender last reported it (initial RTT before that).
    Time GetRtt() const;
    /// \brief Feedback period: one RTT.
    Time GetFeedbackInterval() const;
    double GetLossEventRate() const;
    /// The X_recv of the last feedback, bytes/s.
    double GetReceiveRate() const;
    const TfrcLossHistory& GetLossHistory() const;
    uint64_t GetPacketsReceived() const;

  private:
    /// Receive rate over (now - window, now], bytes/s.
    double RateOver(Time now, Time window) const;
    /// First loss interval synthesis (section 6.3.1).
    double SynthesiseFirstInterval(Time lossTime);

    TfrcReceiverConfig m_cfg;
    TfrcLossHistory m_history;
    Time m_rtt;
    bool m_first{true};
    bool m_dataSinceFeedback{false};
    Time m_lastTimestamp; ///< sender timestamp of the last data packet
    Time m_lastArrival;   ///< when it arrived
    Time m_lastFeedback;
    Time m_firstArrival;
    bool m_haveFeedback{false};
    std::deque<std::pair<Time, uint32_t>> m_arrivals; ///< recent (time, bytes)
    double m_xRecv{0};
    uint64_t m_packets{0};
    uint64_t m_bytes{0};
};

} // namespace ns3

#endif // BULLET_TFRC_RECEIVER_H
