/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TFRC_EQUATION_H
#define BULLET_TFRC_EQUATION_H

#include <cstdint>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief The TCP throughput equation of TFRC (RFC 5348 section 3.1), as pure functions.
 *
 * TFRC's fairness to TCP rests entirely on this formula: the sender never exceeds the rate a
 * conforming TCP would get for the same segment size, RTT and loss event rate. Kept free of
 * simulator state so that it can be checked against hand-computed values.
 *
 *   X = s / (R*sqrt(2*b*p/3) + t_RTO*(3*sqrt(3*b*p/8))*p*(1+32*p^2))
 *
 * with b = 1 and t_RTO = 4*R as RFC 5348 recommends.
 */
class TfrcEquation
{
  public:
    /**
     * \brief Allowed rate in bytes/s.
     * \param s segment size in bytes
     * \param rtt round-trip time R in seconds (> 0)
     * \param p loss event rate in (0, 1]; p <= 0 yields +infinity (no loss: no limit)
     */
    static double CalcX(double s, double rtt, double p);

    /**
     * \brief The loss event rate p for which CalcX(s, rtt, p) equals \p targetX.
     *
     * Needed to synthesise the first loss interval (RFC 5348 section 6.3.1): the receiver
     * turns the receive rate it saw before the first loss into the p that would have produced
     * it. CalcX is strictly decreasing in p, so bisection (on log p) converges; the result is
     * clamped to [1e-10, 1].
     */
    static double InvertForP(double s, double rtt, double targetX);
};

} // namespace ns3

#endif // BULLET_TFRC_EQUATION_H
