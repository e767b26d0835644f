/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TFRC_LOSS_HISTORY_H
#define BULLET_TFRC_LOSS_HISTORY_H

#include "ns3/callback.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <deque>
#include <map>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief The TFRC receiver's loss detection and loss interval history (RFC 5348 sections 5, 6.3.1).
 *
 * The loss event rate p is what the sender's throughput equation runs on, so it must respond
 * to congestion the way TCP does: once per window, not once per packet. This class turns the
 * stream of arriving sequence numbers into p:
 *  - a missing sequence number is lost only once NDUPACK later packets have arrived (so mild
 *    reordering is not loss);
 *  - its loss time is interpolated between the arrivals around the gap;
 *  - a loss more than one RTT after the start of the current loss event starts a new event,
 *    others are merged into it;
 *  - loss intervals (packets between the starts of consecutive events) are kept for the n most
 *    recent events, averaged with weights 1,..,1,0.8,..,0.2 (n = 8), taking the larger of the
 *    averages with and without the open interval I_0, and p = 1 / I_mean;
 *  - the first interval, which has no preceding loss, is synthesised by the caller from the
 *    receive rate (see SetFirstIntervalCallback).
 *
 * It has no simulator state: arrival times are passed in, so tests can feed crafted sequences.
 * Sequence numbers are 64-bit and assumed not to wrap.
 */
class TfrcLossHistory
{
  public:
    /**
     * \param nIntervals number n of closed loss intervals kept (RFC: 8)
     * \param ndupack number of later packets that make a gap a loss (RFC: 3)
     */
    explicit TfrcLossHistory(uint32_t nIntervals = 8, uint32_t ndupack = 3);

    /// \brief The RFC 5348 section 5.4 weights w_0..w_{n-1}: 1 for i < n/2, then falling linearly.
    static std::vector<double> Weights(uint32_t n);

    /**
     * \brief Average loss interval I_mean from a history, as RFC 5348 section 5.4 computes it.
     * \param intervals I_0 (the open interval) first, then the closed I_1..I_k, newest first
     * \param n the history length the weights are taken from (k <= n)
     * \return max(I_tot0, I_tot1) / W_tot; 0 if there is no closed interval
     */
    static double MeanInterval(const std::vector<double>& intervals, uint32_t n);

    /**
     * \brief Called with the arrival time of the first loss; returns the synthesised length of
     * the first loss interval in packets (1/p for the p that explains the receive rate).
     */
    typedef Callback<double, Time> FirstIntervalCallback;
    void SetFirstIntervalCallback(FirstIntervalCallback cb);

    /**
     * \brief Records the arrival of data packet \p seq at time \p now.
     * \param rtt the current RTT estimate (losses closer together than this are one event)
     * \return true if a new loss event was detected by this arrival
     */
    bool OnPacket(uint64_t seq, Time now, Time rtt);

    /// \brief p, the loss event rate; 0 until the first loss event.
    double GetLossEventRate() const;
    /// \brief I_0, I_1..I_k (I_0 is the open interval); empty before the first loss event.
    std::vector<double> GetIntervals() const;
    uint32_t GetLossEventCount() const;
    /// \brief Packets declared lost (holes that saw NDUPACK later packets).
    uint64_t GetLostPackets() const;
    uint64_t GetHighestSeq() const;

  private:
    /// A sequence number not (yet) received.
    struct Hole
    {
        Time lossTime;     ///< interpolated time the packet would have arrived
        uint32_t later{0}; ///< packets received with a higher sequence number
    };

    void DeclareLost(uint64_t seq, Time lossTime, Time rtt, bool& newEvent);

    uint32_t m_n;
    uint32_t m_ndupack;
    std::vector<double> m_weights;
    FirstIntervalCallback m_firstInterval;
    bool m_started{false};
    uint64_t m_maxSeq{0};
    Time m_maxArrival;
    std::map<uint64_t, Hole> m_holes;
    bool m_haveEvent{false};
    uint64_t m_eventStartSeq{0};
    Time m_eventStartTime;
    std::deque<double> m_closed; ///< I_1..I_k, newest first
    uint32_t m_events{0};
    uint64_t m_lost{0};
};

} // namespace ns3

#endif // BULLET_TFRC_LOSS_HISTORY_H
