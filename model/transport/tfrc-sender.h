/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TFRC_SENDER_H
#define BULLET_TFRC_SENDER_H

#include "ns3/nstime.h"

#include <cstdint>
#include <vector>

namespace ns3
{

class TfrcFeedbackHeader;

/**
 * \ingroup bullet
 * \brief Constants of a TFRC sender (the TfrcSocket attributes pass them in).
 */
struct TfrcSenderConfig
{
    uint32_t segmentSize{1460};         ///< s, bytes (RFC 5348 section 4.1)
    double rttSmoothing{0.9};           ///< q of the RTT EWMA (section 4.3)
    Time tMbi{Seconds(64)};             ///< maximum back-off interval t_mbi (section 4.3)
    Time initialNoFeedback{Seconds(2)}; ///< nofeedback timeout before any RTT sample (4.2)
    /// Oscillation prevention (section 4.5): pace at X_inst = X * R_sqmean / sqrt(R_sample),
    /// which slows the sender while the RTT sample is above its average (a filling queue)
    bool oscillationPrevention{false};
    double sqrtRttSmoothing{0.9}; ///< q2 of the R_sqmean EWMA (section 4.5)
};

/**
 * \ingroup bullet
 * \brief Rate control of one TFRC sender (RFC 5348 section 4), without timers or sockets.
 *
 * Separated from the socket so the rules can be driven and checked with explicit times: the
 * owning flow calls OnFeedback() for every feedback packet and OnNoFeedbackTimer() when the
 * timeout returned by GetNoFeedbackTimeout() expires, and paces packets at GetRate().
 *
 * Rates are in bytes per second.
 */
class TfrcSender
{
  public:
    explicit TfrcSender(const TfrcSenderConfig& config = TfrcSenderConfig());

    /**
     * \brief Processes a feedback packet (section 4.3).
     * \param now the arrival time
     * \param fb the feedback
     * \param dataLimited whether the sender was idle or data-limited since the last feedback
     *        (it then cannot tell how fast the path is, so X_recv may not drive the limit)
     */
    void OnFeedback(Time now, const TfrcFeedbackHeader& fb, bool dataLimited);

    /**
     * \brief The nofeedback timer expired (section 4.4).
     * \param idle whether the sender sent nothing since the timer was last set
     */
    void OnNoFeedbackTimer(Time now, bool idle);

    /**
     * Sets s, the segment size the equation and the rate limits use (RFC 5348 4.1: the mean
     * packet size may be used when sizes vary). Takes effect at the next rate computation.
     */
    void SetSegmentSize(uint32_t s);
    /// s, bytes.
    uint32_t GetSegmentSize() const;
    /// X, the allowed sending rate in bytes/s.
    double GetRate() const;
    /**
     * The rate the sender paces at, bytes/s: X, or with oscillation prevention X_inst =
     * X * R_sqmean / sqrt(R_sample) (RFC 5348 section 4.5).
     */
    double GetPacingRate() const;
    /// R, the smoothed RTT (zero until the first feedback).
    Time GetRtt() const;
    bool HasRttSample() const;
    /// The last loss event rate the receiver reported.
    double GetLossEventRate() const;
    /// X_Bps for the current R and p (+infinity while p == 0).
    double GetEquationRate() const;
    /// max(4R, 2s/X), or the initial timeout before the first RTT sample.
    Time GetNoFeedbackTimeout() const;
    /// Time between packets of \p size bytes at the pacing rate (s/X, or s/X_inst).
    Time GetInterPacketInterval(uint32_t size) const;

  private:
    double InitialRate() const;
    double MinRate() const;
    /// Computes X from p, recv_limit and slow start (step 5 of section 4.3).
    void UpdateRate(Time now, double recvLimit);
    /// Update_Limits() of section 4.4.
    void UpdateLimits(Time now, double limit);
    double MaxRecvSet() const;

    struct RecvEntry
    {
        Time at;
        double rate;
    };

    TfrcSenderConfig m_cfg;
    double m_x; ///< allowed rate, bytes/s
    Time m_rtt; ///< R
    bool m_haveRtt{false};
    double m_p{0};
    Time m_tld;                       ///< time last doubled (slow start)
    double m_sqrtSample{0};           ///< sqrt(R_sample) of the last feedback, sqrt(s)
    double m_sqmean{0};               ///< R_sqmean, sqrt(s) (section 4.5)
    std::vector<RecvEntry> m_recvSet; ///< X_recv_set; empty means {infinity}
};

} // namespace ns3

#endif // BULLET_TFRC_SENDER_H
