/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "bandwidth-change.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <boost/random/uniform_int_distribution.hpp>

#include <numeric>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("BandwidthChangeSchedule");

BandwidthChangeSchedule::BandwidthChangeSchedule(Ptr<SimulatedNetwork> net, const Params& params)
    : m_net(net)
    , m_params(params)
    , m_rng(params.seed)
{
    const auto& spec = net->GetSpec();
    for (uint32_t k = 0; k < spec.links.size(); ++k)
    {
        const auto& l = spec.links[k];
        if (l.a < spec.nRouters && l.b < spec.nRouters)
        {
            m_coreLink[{std::min(l.a, l.b), std::max(l.a, l.b)}] = k;
        }
    }
    for (uint32_t p = 0; p < spec.GetNClients(); ++p)
    {
        for (uint32_t q = p + 1; q < spec.GetNClients(); ++q)
        {
            uint32_t a = spec.clientRouter[p];
            uint32_t b = spec.clientRouter[q];
            if (a != b && !m_coreLink.count({std::min(a, b), std::max(a, b)}))
            {
                throw std::invalid_argument("bandwidth changes need a direct core link between "
                                            "every pair of participants (a mesh)");
            }
        }
    }
}

void
BandwidthChangeSchedule::Start(Time start, Time stop)
{
    m_stop = stop;
    for (Time t = start + m_params.period; t <= stop; t += m_params.period)
    {
        Simulator::Schedule(t - Simulator::Now(), [this]() {
            ApplyRound();
        });
    }
}

uint32_t
BandwidthChangeSchedule::ApplyRound()
{
    const auto& spec = m_net->GetSpec();
    const uint32_t n = spec.GetNClients();
    auto pick = [this](std::vector<uint32_t>& v, size_t k) {
        for (size_t i = 0; i < k; ++i)
        {
            std::swap(v[i],
                      v[boost::random::uniform_int_distribution<size_t>(i, v.size() - 1)(m_rng)]);
        }
        v.resize(k);
    };
    std::vector<uint32_t> chosen(n);
    std::iota(chosen.begin(), chosen.end(), 0);
    pick(chosen, static_cast<size_t>(n * m_params.participantShare));
    uint32_t changed = 0;
    for (uint32_t p : chosen)
    {
        std::vector<uint32_t> others;
        for (uint32_t q = 0; q < n; ++q)
        {
            if (q != p)
            {
                others.push_back(q);
            }
        }
        pick(others, static_cast<size_t>(others.size() * m_params.peerShare));
        for (uint32_t q : others)
        {
            uint32_t from = spec.clientRouter[q];
            uint32_t to = spec.clientRouter[p];
            if (from == to)
            {
                continue;
            }
            uint32_t link = m_coreLink.at({std::min(from, to), std::max(from, to)});
            bool fromA = spec.links[link].a == from;
            DataRate now = m_net->GetLinkRate(link, fromA);
            m_net->SetLinkRate(link, fromA, DataRate(uint64_t(now.GetBitRate() * m_params.factor)));
            ++changed;
        }
    }
    NS_LOG_INFO(Simulator::Now().As(Time::S)
                << ": bandwidth change on " << changed << " core link directions");
    return changed;
}

} // namespace ns3
