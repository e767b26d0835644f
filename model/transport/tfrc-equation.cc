/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tfrc-equation.h"

#include "ns3/log.h"

#include <cmath>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TfrcEquation");

double
TfrcEquation::CalcX(double s, double rtt, double p)
{
    if (p <= 0)
    {
        return std::numeric_limits<double>::infinity();
    }
    const double b = 1.0;
    const double tRto = 4.0 * rtt;
    double denom = rtt * std::sqrt(2.0 * b * p / 3.0)
                   + tRto * (3.0 * std::sqrt(3.0 * b * p / 8.0)) * p * (1.0 + 32.0 * p * p);
    return s / denom;
}

double
TfrcEquation::InvertForP(double s, double rtt, double targetX)
{
    const double pMin = 1e-10;
    const double pMax = 1.0;
    if (targetX >= CalcX(s, rtt, pMin))
    {
        return pMin;
    }
    if (targetX <= CalcX(s, rtt, pMax))
    {
        return pMax;
    }
    double lo = std::log(pMin);
    double hi = std::log(pMax);
    for (int i = 0; i < 100 && hi - lo > 1e-12; ++i)
    {
        double mid = 0.5 * (lo + hi);
        if (CalcX(s, rtt, std::exp(mid)) > targetX)
        {
            lo = mid; // rate still too high: need more loss
        }
        else
        {
            hi = mid;
        }
    }
    double p = std::exp(0.5 * (lo + hi));
    NS_LOG_DEBUG("InvertForP s=" << s << " R=" << rtt << " X=" << targetX << " -> p=" << p);
    return p;
}

} // namespace ns3
