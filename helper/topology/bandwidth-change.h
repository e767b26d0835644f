/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BANDWIDTH_CHANGE_H
#define BULLET_BANDWIDTH_CHANGE_H

#include "ns3/nstime.h"
#include "ns3/topology-helper.h"

#include <boost/random/mersenne_twister.hpp>

#include <map>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief The 2008 paper's bandwidth-change scenario (Section 5.2.2) on a participant mesh.
 *
 * Every period, a random share of the participants is chosen; for each, a random share of
 * the other participants is chosen, and the core link from each of those towards the
 * participant has its rate multiplied by the factor (the reverse direction is untouched).
 * Changes are cumulative: after two hits a direction carries a quarter of its first rate.
 */
class BandwidthChangeSchedule
{
  public:
    struct Params
    {
        Time period{Seconds(20)};
        double participantShare{0.5};
        double peerShare{0.5};
        double factor{0.5};
        uint64_t seed{1};
    };

    /// \throws std::invalid_argument unless every pair of client routers has a direct link
    BandwidthChangeSchedule(Ptr<SimulatedNetwork> net, const Params& params);

    /// Schedules the changes from \p start (the first one at start + period) until \p stop.
    void Start(Time start, Time stop);
    /// Applies one round now; returns how many link directions were changed.
    uint32_t ApplyRound();

  private:
    Ptr<SimulatedNetwork> m_net;
    Params m_params;
    boost::random::mt19937_64 m_rng;
    std::map<std::pair<uint32_t, uint32_t>, uint32_t> m_coreLink; ///< router pair -> link
    Time m_stop;
};

} // namespace ns3

#endif // BULLET_BANDWIDTH_CHANGE_H
