/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "streaming-metrics.h"

#include "ns3/boolean.h"
#include "ns3/bullet-application.h"
#include "ns3/ranks.h"
#include "ns3/simulator.h"
#include "ns3/splitstream-application.h"
#include "ns3/streaming-application.h"

#include <algorithm>
#include <fstream>
#include <stdexcept>

namespace ns3
{

StreamingMetrics::StreamingMetrics(Ptr<SimulatedNetwork> net, const ApplicationContainer& apps,
                                   uint32_t source, Time interval, uint32_t stressEvery)
    : m_net(net)
    , m_source(source)
    , m_interval(interval)
    , m_stressEvery(stressEvery)
    , m_bins(net->GetNClients())
    , m_firstFromPeer(net->GetNClients())
    , m_pairs(net->GetNClients())
{
    for (uint32_t k = 0; k < apps.GetN(); ++k)
    {
        auto app = DynamicCast<StreamingApplication>(apps.Get(k));
        NS_ABORT_MSG_UNLESS(app, "StreamingMetrics needs StreamingApplications");
        const int64_t client = net->FindClient(app->GetNode());
        NS_ABORT_MSG_UNLESS(client >= 0, "StreamingMetrics: an application on a non-client");
        const uint32_t i = uint32_t(client);
        BooleanValue isSource;
        app->GetAttribute("Source", isSource);
        NS_ABORT_MSG_UNLESS(isSource.Get() == (i == source),
                            "StreamingMetrics: client "
                                << i << " is " << (isSource.Get() ? "" : "not ") << "a source");
        app->TraceConnectWithoutContext(
            "DataRx",
            Callback<void, Ipv4Address, uint32_t, uint32_t, bool, bool>(
                [this, i](Ipv4Address, uint32_t seq, uint32_t bytes, bool fromParent, bool dup) {
                    Bin& b = At(i);
                    auto& first = m_firstFromPeer[i];
                    if (first.size() <= seq)
                    {
                        first.resize(seq + 1024, false);
                    }
                    b.rawBytes += bytes;
                    ++b.packets;
                    if (dup)
                    {
                        ++b.duplicates;
                        b.parentDuplicates += fromParent;
                        b.peerAfterPeerDuplicates += !fromParent && first[seq];
                    }
                    else
                    {
                        b.usefulBytes += bytes;
                        first[seq] = !fromParent;
                        if (m_reach.size() <= seq)
                        {
                            m_reach.resize(seq + 1024, 0);
                        }
                        ++m_reach[seq];
                    }
                    if (fromParent)
                    {
                        b.parentBytes += bytes;
                    }
                }));
        app->TraceConnectWithoutContext("ControlTx",
                                        Callback<void, Ipv4Address, uint16_t, uint32_t>(
                                            [this, i](Ipv4Address, uint16_t, uint32_t bytes) {
                                                At(i).controlBytes += bytes;
                                            }));
        app->TraceConnectWithoutContext(
            "DataTx", Callback<void, Ipv4Address, uint32_t, uint32_t>(
                          [this, i](Ipv4Address to, uint32_t seq, uint32_t bytes) {
                              CountPair(i, to, bytes);
                              if (i == m_source)
                              {
                                  if (m_sourceFirstBin.size() <= seq)
                                  {
                                      m_sourceFirstBin.resize(seq + 1024, kNotSent);
                                  }
                                  if (m_sourceFirstBin[seq] == kNotSent)
                                  {
                                      const size_t k = CurrentBin();
                                      m_sourceFirstBin[seq] = k;
                                      if (m_sourceNewBytes.size() <= k)
                                      {
                                          m_sourceNewBytes.resize(k + 1, 0);
                                      }
                                      m_sourceNewBytes[k] += bytes;
                                  }
                              }
                              if (m_stressEvery > 0 && seq % m_stressEvery == 0)
                              {
                                  int64_t dst = m_net->FindClient(to);
                                  if (dst >= 0)
                                  {
                                      m_stressHops[seq].emplace_back(i, dst);
                                  }
                              }
                          }));
        if (DynamicCast<BulletApplication>(app))
        {
            m_mesh.emplace_back(i, app);
        }
        if (DynamicCast<SplitStreamApplication>(app))
        {
            m_forest = true;
            if (isSource.Get())
            {
                m_forestSource = app;
            }
            else
            {
                m_forestReceivers.push_back(app);
            }
        }
    }
    m_forestReceiverCount = m_forestReceivers.size();
    if (m_forest)
    {
        Simulator::Schedule(m_interval, &StreamingMetrics::SampleForest, this);
    }
    if (!m_mesh.empty())
    {
        m_peerBins.resize(m_bins.size());
        m_lastSendTimes.assign(m_bins.size(), {0.0, 0.0});
        Simulator::Schedule(m_interval / 2, &StreamingMetrics::SamplePeers, this);
    }
}

void
StreamingMetrics::SamplePeers()
{
    for (const auto& [client, app] : m_mesh)
    {
        auto bullet = StaticCast<BulletApplication>(app);
        auto& bins = m_peerBins[client];
        const size_t k = CurrentBin();
        if (bins.size() <= k)
        {
            bins.resize(k + 1);
        }
        bins[k].senders += bullet->GetSenders().size();
        bins[k].receivers += bullet->GetReceivers().size();
        ++bins[k].samples;
        const auto times = bullet->GetMeshSendTimes();
        auto& last = m_lastSendTimes[client];
        bins[k].sendIdleS += times.idle.GetSeconds() - last.first;
        bins[k].sendBlockedS += times.blocked.GetSeconds() - last.second;
        last = {times.idle.GetSeconds(), times.blocked.GetSeconds()};
    }
    Simulator::Schedule(m_interval, &StreamingMetrics::SamplePeers, this);
}

uint32_t
StreamingMetrics::LastForestMissing() const
{
    return m_forestSeries.empty() ? 0 : m_forestSeries.back();
}

std::optional<uint32_t>
StreamingMetrics::GetForestMissing() const
{
    return m_forest ? std::make_optional(LastForestMissing()) : std::nullopt;
}

void
StreamingMetrics::SampleForest()
{
    uint32_t missing = 0;
    uint64_t failures = 0;
    uint64_t pushDowns = 0;
    uint64_t repairs = 0;
    PastryNode::FailureCounts declared;
    uint64_t refused = 0;
    for (const auto& app : m_forestReceivers)
    {
        refused += StaticCast<SplitStreamApplication>(app)->GetRefusedSends();
        Ptr<SplitStreamForest> forest = StaticCast<SplitStreamApplication>(app)->GetForest();
        if (!forest)
        {
            ++missing; // not started yet
            continue;
        }
        missing += forest->GetConnectedStripes() < forest->GetNumStripes();
        failures += forest->GetForestFailures();
        pushDowns += forest->GetPushDowns();
        repairs += forest->GetRepairs();
        declared += forest->GetPastry()->GetFailureCounts();
    }
    m_forestFailures = failures;
    m_forestPushDowns = pushDowns;
    m_forestRepairs = repairs;
    m_pastryFailures = declared;
    m_refusedAtReceivers = refused;
    m_refusedAtSource = m_forestSource
                            ? StaticCast<SplitStreamApplication>(m_forestSource)->GetRefusedSends()
                            : 0;
    m_forestSeries.push_back(missing);
    m_forestSampleNs.push_back(Simulator::Now().GetNanoSeconds());
    Simulator::Schedule(m_interval, &StreamingMetrics::SampleForest, this);
}

void
StreamingMetrics::CountPair(uint32_t from, Ipv4Address to, uint32_t bytes)
{
    auto& row = m_pairs[from];
    const uint32_t address = to.Get();
    auto it = std::find_if(row.begin(), row.end(), [address](const PairCount& c) {
        return c.to == address;
    });
    if (it == row.end())
    {
        row.push_back({address, 0, 0});
        it = std::prev(row.end());
    }
    ++it->packets;
    it->bytes += bytes;
    if (it != row.begin())
    {
        std::iter_swap(it, std::prev(it)); // busy destinations drift to the front
    }
}

void
StreamingMetrics::SetFailure(uint32_t node, Time at, const std::vector<uint32_t>& subtree)
{
    m_hasFailure = true;
    m_failed = node;
    m_failAt = at;
    m_inSubtree.assign(m_bins.size(), false);
    for (uint32_t n : subtree)
    {
        m_inSubtree.at(n) = true;
    }
}

bool
StreamingMetrics::FailedAt(uint32_t node, Time t) const
{
    return m_hasFailure && node == m_failed && t >= m_failAt;
}

size_t
StreamingMetrics::CurrentBin() const
{
    return Simulator::Now().GetNanoSeconds() / m_interval.GetNanoSeconds();
}

StreamingMetrics::Bin&
StreamingMetrics::At(uint32_t node)
{
    auto& bins = m_bins[node];
    size_t k = CurrentBin();
    if (bins.size() <= k)
    {
        bins.resize(k + 1);
    }
    return bins[k];
}

const std::vector<StreamingMetrics::Bin>&
StreamingMetrics::GetBins(uint32_t node) const
{
    return m_bins.at(node);
}

Time
StreamingMetrics::GetInterval() const
{
    return m_interval;
}

double
StreamingMetrics::MeanKbps(uint32_t node, Time start, Time end, uint64_t Bin::*field) const
{
    size_t first = start.GetNanoSeconds() / m_interval.GetNanoSeconds();
    size_t last = end.GetNanoSeconds() / m_interval.GetNanoSeconds(); // exclusive
    if (last <= first)
    {
        return 0;
    }
    uint64_t bytes = 0;
    const auto& bins = m_bins[node];
    for (size_t k = first; k < last && k < bins.size(); ++k)
    {
        bytes += bins[k].*field;
    }
    return bytes * 8.0 / 1000.0 / ((last - first) * m_interval.GetSeconds());
}

void
StreamingMetrics::WriteNodeSeries(const std::string& path) const
{
    std::ofstream out(path);
    if (!out)
    {
        throw std::runtime_error("cannot write " + path);
    }
    out << "time_s,node,raw_kbps,useful_kbps,from_parent_kbps,control_kbps,duplicates\n";
    const double k = 8.0 / 1000.0 / m_interval.GetSeconds();
    for (uint32_t n = 0; n < m_bins.size(); ++n)
    {
        for (size_t t = 0; t < m_bins[n].size(); ++t)
        {
            const Bin& b = m_bins[n][t];
            out << t * m_interval.GetSeconds() << "," << n << "," << b.rawBytes * k << ","
                << b.usefulBytes * k << "," << b.parentBytes * k << "," << b.controlBytes * k << ","
                << b.duplicates << "\n";
        }
    }
}

void
StreamingMetrics::WriteMeanSeries(const std::string& path, Time end) const
{
    std::ofstream out(path);
    if (!out)
    {
        throw std::runtime_error("cannot write " + path);
    }
    out << "time_s,raw_kbps,useful_kbps,from_parent_kbps,control_kbps,receivers";
    if (m_hasFailure)
    {
        out << ",subtree_useful_kbps,subtree_from_parent_kbps";
    }
    out << "\n";
    size_t len = end.GetNanoSeconds() / m_interval.GetNanoSeconds();
    for (const auto& bins : m_bins)
    {
        len = std::max(len, bins.size());
    }
    const double k = 8.0 / 1000.0 / m_interval.GetSeconds();
    for (size_t t = 0; t < len; ++t)
    {
        const Time binStart = m_interval * t;
        double raw = 0;
        double useful = 0;
        double parent = 0;
        double control = 0;
        double subUseful = 0;
        double subParent = 0;
        uint32_t receivers = 0;
        uint32_t live = 0;
        uint32_t subtree = 0;
        for (uint32_t n = 0; n < m_bins.size(); ++n)
        {
            if (FailedAt(n, binStart))
            {
                continue; // a failed node is no longer a receiver
            }
            ++live;
            if (n != m_source)
            {
                ++receivers;
                subtree += m_hasFailure && m_inSubtree[n];
            }
            if (t >= m_bins[n].size())
            {
                continue;
            }
            const Bin& b = m_bins[n][t];
            control += b.controlBytes * k;
            if (n == m_source)
            {
                continue;
            }
            raw += b.rawBytes * k;
            useful += b.usefulBytes * k;
            parent += b.parentBytes * k;
            if (m_hasFailure && m_inSubtree[n])
            {
                subUseful += b.usefulBytes * k;
                subParent += b.parentBytes * k;
            }
        }
        const double r = std::max<uint32_t>(1, receivers);
        out << binStart.GetSeconds() << "," << raw / r << "," << useful / r << "," << parent / r
            << "," << control / std::max<uint32_t>(1, live) << "," << receivers;
        if (m_hasFailure)
        {
            const double st = std::max<uint32_t>(1, subtree);
            out << "," << subUseful / st << "," << subParent / st;
        }
        out << "\n";
    }
}

void
StreamingMetrics::WritePairs(const std::string& path) const
{
    std::ofstream out(path);
    if (!out)
    {
        throw std::runtime_error("cannot write " + path);
    }
    out << "from,to,packets,bytes\n";
    for (uint32_t from = 0; from < m_pairs.size(); ++from)
    {
        // Client pairs only (a packet to another address is not part of the matrix), in
        // order of the destination client (addresses of one client, if it has aliases,
        // count together).
        std::map<uint32_t, std::pair<uint64_t, uint64_t>> rows;
        for (const auto& c : m_pairs[from])
        {
            int64_t to = m_net->FindClient(Ipv4Address(c.to));
            if (to >= 0)
            {
                rows[uint32_t(to)].first += c.packets;
                rows[uint32_t(to)].second += c.bytes;
            }
        }
        for (const auto& [to, count] : rows)
        {
            out << from << "," << to << "," << count.first << "," << count.second << "\n";
        }
    }
}

bool
StreamingMetrics::WriteForestSeries(const std::string& path) const
{
    if (!m_forest)
    {
        return false;
    }
    std::ofstream out(path);
    if (!out)
    {
        throw std::runtime_error("cannot write " + path);
    }
    out << "time_s,receivers_lacking_a_stripe,receivers\n";
    for (size_t k = 0; k < m_forestSeries.size(); ++k)
    {
        out << NanoSeconds(m_forestSampleNs[k]).GetSeconds() << "," << m_forestSeries[k] << ","
            << m_forestReceiverCount << "\n";
    }
    return true;
}

double
StreamingMetrics::HopKbps(const SimulatedNetwork::Hop& hop) const
{
    return m_net->GetLinkRate(hop.link, hop.fromA).GetBitRate() / 1000.0;
}

void
StreamingMetrics::WriteNodeSummary(const std::string& path, Time start, Time end) const
{
    std::ofstream out(path);
    if (!out)
    {
        throw std::runtime_error("cannot write " + path);
    }
    // With each node's access link rates (its first hop towards the source, and the last
    // hop from it), to tell a node held by its own links from one the protocol starves.
    out << "node,useful_kbps,raw_kbps,from_parent_kbps,uplink_kbps,downlink_kbps\n";
    for (uint32_t n = 0; n < m_bins.size(); ++n)
    {
        if (n != m_source)
        {
            double up = 0;
            double down = 0;
            const auto toSource = m_net->GetPath(n, m_source);
            const auto fromSource = m_net->GetPath(m_source, n);
            if (!toSource.empty() && !fromSource.empty())
            {
                up = HopKbps(toSource.front());
                down = HopKbps(fromSource.back());
            }
            out << n << "," << MeanKbps(n, start, end, &Bin::usefulBytes) << ","
                << MeanKbps(n, start, end, &Bin::rawBytes) << ","
                << MeanKbps(n, start, end, &Bin::parentBytes) << "," << up << "," << down << "\n";
        }
    }
}

nlohmann::json
StreamingMetrics::Summary(Time start, Time end) const
{
    double useful = 0;
    double raw = 0;
    double parent = 0;
    double control = 0;
    uint64_t packets = 0;
    uint64_t duplicates = 0;
    uint64_t parentDuplicates = 0;
    uint64_t peerAfterPeer = 0;
    double subUseful = 0;
    double subParent = 0;
    uint32_t subtree = 0;
    size_t first = start.GetNanoSeconds() / m_interval.GetNanoSeconds();
    size_t last = end.GetNanoSeconds() / m_interval.GetNanoSeconds();
    // A node failed before the window ends counts in none of its means.
    const bool failedIn = m_hasFailure && m_failAt < end;
    const size_t nodes = m_bins.size() - (failedIn ? 1 : 0);
    const double receivers = std::max<size_t>(1, nodes - 1);
    for (uint32_t n = 0; n < m_bins.size(); ++n)
    {
        if (failedIn && n == m_failed)
        {
            continue;
        }
        control += MeanKbps(n, start, end, &Bin::controlBytes) / nodes;
        if (n == m_source)
        {
            continue;
        }
        useful += MeanKbps(n, start, end, &Bin::usefulBytes) / receivers;
        raw += MeanKbps(n, start, end, &Bin::rawBytes) / receivers;
        parent += MeanKbps(n, start, end, &Bin::parentBytes) / receivers;
        if (m_hasFailure && m_inSubtree[n])
        {
            ++subtree;
            subUseful += MeanKbps(n, start, end, &Bin::usefulBytes);
            subParent += MeanKbps(n, start, end, &Bin::parentBytes);
        }
        for (size_t k = first; k < last && k < m_bins[n].size(); ++k)
        {
            packets += m_bins[n][k].packets;
            duplicates += m_bins[n][k].duplicates;
            parentDuplicates += m_bins[n][k].parentDuplicates;
            peerAfterPeer += m_bins[n][k].peerAfterPeerDuplicates;
        }
    }
    // Link stress of each sampled packet: copies per physical link (and direction) it used,
    // averaged over those links; then averaged over packets (2003 Section 4.2).
    double stressSum = 0;
    uint32_t stressMax = 0;
    uint32_t sampled = 0;
    for (const auto& [seq, hops] : m_stressHops)
    {
        std::map<std::pair<uint32_t, bool>, uint32_t> copies;
        for (auto [from, to] : hops)
        {
            for (const auto& hop : m_net->GetPath(from, to))
            {
                ++copies[{hop.link, hop.fromA}];
            }
        }
        if (copies.empty())
        {
            continue;
        }
        uint64_t total = 0;
        for (const auto& [link, n] : copies)
        {
            total += n;
            stressMax = std::max(stressMax, n);
        }
        stressSum += double(total) / copies.size();
        ++sampled;
    }
    // What the access links alone allow each receiver: min(source uplink, own downlink).
    double bound = 0;
    uint32_t bounded = 0;
    double senders = 0;
    double receiverCount = 0;
    uint64_t peerSamples = 0;
    double sourceReceivers = 0;
    uint64_t sourceSamples = 0;
    double sendIdle = 0;
    double sendBlocked = 0;
    for (uint32_t n = 0; n < m_bins.size(); ++n)
    {
        if (n == m_source || (failedIn && n == m_failed))
        {
            continue;
        }
        const auto path = m_net->GetPath(m_source, n);
        if (!path.empty())
        {
            bound += std::min(HopKbps(path.front()), HopKbps(path.back()));
            ++bounded;
        }
    }
    for (uint32_t n = 0; n < m_peerBins.size(); ++n)
    {
        if (failedIn && n == m_failed)
        {
            continue;
        }
        for (size_t k = first; k < last && k < m_peerBins[n].size(); ++k)
        {
            const PeerBin& b = m_peerBins[n][k];
            sendIdle += b.sendIdleS;
            sendBlocked += b.sendBlockedS;
            if (n == m_source)
            {
                sourceReceivers += b.receivers;
                sourceSamples += b.samples;
            }
            else
            {
                senders += b.senders;
                receiverCount += b.receivers;
                peerSamples += b.samples;
            }
        }
    }
    uint64_t sourceNew = 0;
    for (size_t k = first; k < last && k < m_sourceNewBytes.size(); ++k)
    {
        sourceNew += m_sourceNewBytes[k];
    }
    // How far the packets the source first sent in the window's first half spread, counted
    // to the end of the run: a packet reaching few receivers is lost to the rest.
    const size_t mid = first + (last - first) / 2;
    uint64_t reachPackets = 0;
    uint64_t reachFew = 0;
    uint64_t reachMost = 0;
    double reachSum = 0;
    for (size_t seq = 0; seq < m_sourceFirstBin.size(); ++seq)
    {
        if (m_sourceFirstBin[seq] < first || m_sourceFirstBin[seq] >= mid)
        {
            continue;
        }
        const double share = (seq < m_reach.size() ? m_reach[seq] : 0) / receivers;
        ++reachPackets;
        reachSum += share;
        reachFew += share < 0.1;
        reachMost += share >= 0.9;
    }
    nlohmann::json j;
    j["useful_kbps"] = useful;
    j["raw_kbps"] = raw;
    j["from_parent_kbps"] = parent;
    j["duplicate_fraction"] = packets ? double(duplicates) / packets : 0.0;
    j["duplicates_from_parent"] = duplicates ? double(parentDuplicates) / duplicates : 0.0;
    j["duplicates_peer_after_peer"] = duplicates ? double(peerAfterPeer) / duplicates : 0.0;
    j["control_kbps"] = control;
    j["link_stress_mean"] = sampled ? stressSum / sampled : 0.0;
    j["link_stress_max"] = stressMax;
    j["window_s"] = {start.GetSeconds(), end.GetSeconds()};
    j["access_link_bound_kbps"] = bounded ? bound / bounded : 0.0;
    j["source_new_kbps"]
        = last > first ? sourceNew * 8.0 / 1000.0 / ((last - first) * m_interval.GetSeconds())
                       : 0.0;
    j["reach_mean"] = reachPackets ? reachSum / reachPackets : 0.0;
    j["reach_under_10pct"] = reachPackets ? double(reachFew) / reachPackets : 0.0;
    j["reach_over_90pct"] = reachPackets ? double(reachMost) / reachPackets : 0.0;
    if (peerSamples > 0 || sourceSamples > 0)
    {
        j["mean_senders"] = peerSamples ? senders / peerSamples : 0.0;
        j["mean_receivers"] = peerSamples ? receiverCount / peerSamples : 0.0;
        j["source_receivers"] = sourceSamples ? sourceReceivers / sourceSamples : 0.0;
        j["mesh_send_blocked_share"]
            = sendIdle + sendBlocked > 0 ? sendBlocked / (sendIdle + sendBlocked) : 0.0;
    }
    if (m_forest)
    {
        // The forest's state at the last sample (the run's end), not the window's.
        // The first samples at which no receiver, and at most 1% of them, lacked a stripe.
        nlohmann::json complete = nullptr;
        nlohmann::json almost = nullptr;
        for (size_t k = 0; k < m_forestSeries.size(); ++k)
        {
            const double t = NanoSeconds(m_forestSampleNs[k]).GetSeconds();
            if (almost.is_null() && 100.0 * m_forestSeries[k] <= m_forestReceiverCount)
            {
                almost = t;
            }
            if (m_forestSeries[k] == 0)
            {
                complete = t;
                break;
            }
        }
        j["forest_complete_s"] = complete;
        j["forest_99pct_s"] = almost;
        j["forest_receivers"] = m_forestReceiverCount;
        j["forest_missing_receivers"] = LastForestMissing();
        j["forest_failures"] = m_forestFailures;
        j["forest_push_downs"] = m_forestPushDowns;
        j["forest_repairs"] = m_forestRepairs;
        // Nodes the receivers' Pastry declared failed, by cause (in a run without failures,
        // all false positives).
        j["pastry_failures_declared"] = {{"probe", m_pastryFailures.probe},
                                         {"leaf", m_pastryFailures.leaf},
                                         {"hop", m_pastryFailures.hop},
                                         {"reported", m_pastryFailures.reported}};
        j["refused_sends_source"] = m_refusedAtSource;
        j["refused_sends_receivers"] = m_refusedAtReceivers;
    }
    if (m_hasFailure)
    {
        j["failed_node"] = m_failed;
        j["fail_at_s"] = m_failAt.GetSeconds();
        j["subtree_nodes"] = subtree;
        j["subtree_useful_kbps"] = subtree ? subUseful / subtree : 0.0;
        j["subtree_from_parent_kbps"] = subtree ? subParent / subtree : 0.0;
    }
    return j;
}

void
StreamingMetrics::Gather()
{
    if (!Ranks::IsDistributed())
    {
        return;
    }
    const std::vector<std::string> parts = Ranks::Gather(Pack());
    for (uint32_t r = 1; r < parts.size(); ++r)
    {
        Merge(parts[r]);
    }
}

std::string
StreamingMetrics::Pack() const
{
    // Per client, only the clients this rank measured (each client runs on one rank).
    nlohmann::json j;
    auto& bins = j["bins"] = nlohmann::json::object();
    for (uint32_t n = 0; n < m_bins.size(); ++n)
    {
        if (m_bins[n].empty())
        {
            continue;
        }
        auto& rows = bins[std::to_string(n)] = nlohmann::json::array();
        for (const Bin& b : m_bins[n])
        {
            rows.push_back({b.rawBytes, b.usefulBytes, b.parentBytes, b.packets, b.duplicates,
                            b.parentDuplicates, b.peerAfterPeerDuplicates, b.controlBytes});
        }
    }
    auto& peers = j["peers"] = nlohmann::json::object();
    for (uint32_t n = 0; n < m_peerBins.size(); ++n)
    {
        if (m_peerBins[n].empty())
        {
            continue;
        }
        auto& rows = peers[std::to_string(n)] = nlohmann::json::array();
        for (const PeerBin& b : m_peerBins[n])
        {
            rows.push_back({b.senders, b.receivers, b.samples, b.sendIdleS, b.sendBlockedS});
        }
    }
    auto& pairs = j["pairs"] = nlohmann::json::object();
    for (uint32_t n = 0; n < m_pairs.size(); ++n)
    {
        if (m_pairs[n].empty())
        {
            continue;
        }
        auto& rows = pairs[std::to_string(n)] = nlohmann::json::array();
        for (const PairCount& c : m_pairs[n])
        {
            rows.push_back({c.to, c.packets, c.bytes});
        }
    }
    auto& stress = j["stress"] = nlohmann::json::object();
    for (const auto& [seq, hops] : m_stressHops)
    {
        auto& rows = stress[std::to_string(seq)] = nlohmann::json::array();
        for (const auto& [from, to] : hops)
        {
            rows.push_back({from, to});
        }
    }
    j["reach"] = m_reach;
    j["source_first_bin"] = m_sourceFirstBin;
    j["source_new_bytes"] = m_sourceNewBytes;
    j["forest"] = m_forest;
    j["forest_series"] = m_forestSeries;
    j["forest_sample_ns"] = m_forestSampleNs;
    j["forest_receivers"] = m_forestReceiverCount;
    j["forest_counts"] = {m_forestFailures,          m_forestPushDowns,     m_forestRepairs,
                          m_pastryFailures.probe,    m_pastryFailures.leaf, m_pastryFailures.hop,
                          m_pastryFailures.reported, m_refusedAtSource,     m_refusedAtReceivers};
    const std::vector<uint8_t> bytes = nlohmann::json::to_msgpack(j);
    return std::string(bytes.begin(), bytes.end());
}

void
StreamingMetrics::Merge(const std::string& packed)
{
    const nlohmann::json j = nlohmann::json::from_msgpack(packed);
    for (const auto& [key, rows] : j["bins"].items())
    {
        auto& bins = m_bins.at(std::stoul(key));
        bins.clear();
        for (const auto& r : rows)
        {
            bins.push_back({r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]});
        }
    }
    for (const auto& [key, rows] : j["peers"].items())
    {
        m_peerBins.resize(m_bins.size());
        auto& bins = m_peerBins.at(std::stoul(key));
        bins.clear();
        for (const auto& r : rows)
        {
            bins.push_back({r[0], r[1], r[2], r[3], r[4]});
        }
    }
    for (const auto& [key, rows] : j["pairs"].items())
    {
        auto& row = m_pairs.at(std::stoul(key));
        row.clear();
        for (const auto& r : rows)
        {
            row.push_back({r[0], r[1], r[2]});
        }
    }
    for (const auto& [key, rows] : j["stress"].items())
    {
        auto& hops = m_stressHops[std::stoul(key)];
        for (const auto& r : rows)
        {
            hops.emplace_back(r[0], r[1]);
        }
    }
    // Each receiver counts on its own rank: reaches add up.
    const auto reach = j["reach"].get<std::vector<uint32_t>>();
    if (m_reach.size() < reach.size())
    {
        m_reach.resize(reach.size(), 0);
    }
    for (size_t seq = 0; seq < reach.size(); ++seq)
    {
        m_reach[seq] += reach[seq];
    }
    // The source's records come from the source's rank alone.
    if (m_sourceFirstBin.empty())
    {
        m_sourceFirstBin = j["source_first_bin"].get<std::vector<uint32_t>>();
        m_sourceNewBytes = j["source_new_bytes"].get<std::vector<uint64_t>>();
    }
    if (j["forest"].get<bool>())
    {
        // Every rank samples at the same times: the forest's count is the sum of the ranks'.
        const auto series = j["forest_series"].get<std::vector<uint32_t>>();
        if (m_forestSeries.size() < series.size())
        {
            m_forestSeries.resize(series.size(), 0);
            m_forestSampleNs = j["forest_sample_ns"].get<std::vector<int64_t>>();
        }
        for (size_t k = 0; k < series.size(); ++k)
        {
            m_forestSeries[k] += series[k];
        }
        m_forestReceiverCount += j["forest_receivers"].get<uint32_t>();
        m_forest = true;
        const auto& c = j["forest_counts"];
        m_forestFailures += c[0].get<uint64_t>();
        m_forestPushDowns += c[1].get<uint64_t>();
        m_forestRepairs += c[2].get<uint64_t>();
        m_pastryFailures.probe += c[3].get<uint64_t>();
        m_pastryFailures.leaf += c[4].get<uint64_t>();
        m_pastryFailures.hop += c[5].get<uint64_t>();
        m_pastryFailures.reported += c[6].get<uint64_t>();
        m_refusedAtSource += c[7].get<uint64_t>();
        m_refusedAtReceivers += c[8].get<uint64_t>();
    }
}

} // namespace ns3
