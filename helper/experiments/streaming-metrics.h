/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_STREAMING_METRICS_H
#define BULLET_STREAMING_METRICS_H

#include "ns3/application-container.h"
#include "ns3/nstime.h"
#include "ns3/pastry-node.h"
#include "ns3/topology-helper.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief The papers' streaming measures, from the applications' traces: per node and per
 * interval, raw, useful (first copies) and from-parent bandwidth, duplicates, control
 * traffic; and link stress of sampled packets over the physical routes.
 */
class StreamingMetrics
{
  public:
    /**
     * \param net the network
     * \param apps StreamingApplications on clients of \p net: one per client, or, in a
     *        distributed run, those on this rank's clients (Gather() joins the ranks')
     * \param source the source's client index
     * \param interval bin width of the time series
     * \param stressEvery sequence numbers divisible by this are traced for link stress
     */
    StreamingMetrics(Ptr<SimulatedNetwork> net, const ApplicationContainer& apps, uint32_t source,
                     Time interval = Seconds(1), uint32_t stressEvery = 20);

    /**
     * \brief Distributed runs: joins every rank's measurements into rank 0's, after the run
     * (a collective: every rank calls it). Rank 0 then writes and summarises the whole
     * overlay; the other ranks keep their own part. Nothing to do when sequential.
     */
    void Gather();

    struct Bin
    {
        uint64_t rawBytes{0};
        uint64_t usefulBytes{0};
        uint64_t parentBytes{0};
        uint32_t packets{0};
        uint32_t duplicates{0};
        uint32_t parentDuplicates{0}; ///< duplicates that came from the parent
        /// duplicates from a peer of a packet whose first copy came from another peer:
        /// senders' rows overlapped (changed while packets were in flight)
        uint32_t peerAfterPeerDuplicates{0};
        uint64_t controlBytes{0};
    };

    /**
     * Client \p node fails (is silenced) at \p at; \p subtree are the nodes below it in the
     * tree at that moment. From then on the node leaves the means: mean series skip it in
     * bins that start at or after \p at, and Summary() leaves it out of any window that ends
     * after \p at. Summary() and the mean series add the means over the subtree.
     */
    void SetFailure(uint32_t node, Time at, const std::vector<uint32_t>& subtree);

    /// Bins of client \p node (index = time / interval).
    const std::vector<Bin>& GetBins(uint32_t node) const;
    Time GetInterval() const;

    /// Per-node rows: time_s,node,raw_kbps,useful_kbps,from_parent_kbps,control_kbps,duplicates
    void WriteNodeSeries(const std::string& path) const;
    /// Means over live receivers: time_s,raw_kbps,useful_kbps,from_parent_kbps,control_kbps,
    /// receivers (and, after SetFailure, subtree_useful_kbps,subtree_from_parent_kbps)
    /// \param end the series runs at least to here (so a silent overlay shows as zeros)
    void WriteMeanSeries(const std::string& path, Time end = Time()) const;
    /// The overlay's data traffic matrix: from,to,packets,bytes (client indices).
    void WritePairs(const std::string& path) const;
    /// Per node over [start, end): node,useful_kbps (for CDFs)
    void WriteNodeSummary(const std::string& path, Time start, Time end) const;

    /**
     * The results-format keys of a streaming system over [start, end), with
     * `access_link_bound_kbps` (mean over receivers of min(source uplink, own downlink), at
     * the time of the call), `source_new_kbps` (the source's rate of distinct new packets)
     * and, for Bullet, `mean_senders`, `mean_receivers` (over receivers, sampled every
     * interval), `source_receivers` and `mesh_send_blocked_share` (of the time senders had
     * receivers, the share spent with packets owed but held back by the transport's rate;
     * the rest they had nothing owed to send); `reach_mean`, `reach_under_10pct` and
     * `reach_over_90pct`: of the packets the source first sent in the window's first half,
     * the mean share of receivers each reached (by the time of the call) and the shares of
     * those packets that reached under 10% and at least 90% of the receivers.
     */
    nlohmann::json Summary(Time start, Time end) const;
    /**
     * \brief The SplitStream forest's state at the last sample (every interval).
     * \returns receivers not yet connected in every stripe, or nothing if no SplitStream runs
     */
    std::optional<uint32_t> GetForestMissing() const;
    /**
     * \brief Writes the SplitStream forest's build over time, one row per sample (every
     * interval): time_s, receivers_lacking_a_stripe, receivers. Nothing is written if no
     * SplitStream runs.
     * \returns whether the file was written
     */
    bool WriteForestSeries(const std::string& path) const;

  private:
    Bin& At(uint32_t node);
    /// This rank's measurements, for Gather().
    std::string Pack() const;
    /// Adds another rank's measurements (from Pack()) to these.
    void Merge(const std::string& packed);
    /// Samples every mesh node's senders and receivers into its current bin, every interval.
    void SamplePeers();
    /// Counts, every interval, the SplitStream receivers not yet connected in every stripe.
    void SampleForest();
    /// Receivers lacking a stripe at the last forest sample (0 before the first).
    uint32_t LastForestMissing() const;
    /// Counts a data packet of \p bytes from client \p from to address \p to.
    void CountPair(uint32_t from, Ipv4Address to, uint32_t bytes);
    /// Whether \p node is failed at time \p t.
    bool FailedAt(uint32_t node, Time t) const;
    double MeanKbps(uint32_t node, Time start, Time end, uint64_t Bin::*field) const;
    /// The rate of the link \p hop crosses, in its direction, in kbps.
    double HopKbps(const SimulatedNetwork::Hop& hop) const;

    Ptr<SimulatedNetwork> m_net;
    uint32_t m_source{0};
    Time m_interval;
    uint32_t m_stressEvery;
    std::vector<std::vector<Bin>> m_bins;
    /// (client, application) of the Bullet nodes, whose peer counts are sampled
    std::vector<std::pair<uint32_t, Ptr<Application>>> m_mesh;
    /// the SplitStream receivers, whose forest connectivity is sampled
    std::vector<Ptr<Application>> m_forestReceivers;
    /// whether SplitStream runs (on any rank, after Gather)
    bool m_forest{false};
    /// per forest sample (every interval from the first): receivers lacking a stripe, summed
    /// over ranks by Gather
    std::vector<uint32_t> m_forestSeries;
    std::vector<int64_t> m_forestSampleNs;      ///< the samples' times
    uint32_t m_forestReceiverCount{0};          ///< SplitStream receivers (all ranks after Gather)
    uint64_t m_forestFailures{0};               ///< forest construction failures at the last sample
    uint64_t m_forestPushDowns{0};              ///< children pushed down at a cap (last sample)
    uint64_t m_forestRepairs{0};                ///< parents lost to silence (last sample)
    PastryNode::FailureCounts m_pastryFailures; ///< failures the receivers' Pastry declared
    Ptr<Application> m_forestSource;            ///< the SplitStream source
    uint64_t m_refusedAtSource{0};    ///< its packets its transports refused (last sample)
    uint64_t m_refusedAtReceivers{0}; ///< the receivers' refused forwards (last sample)
    static constexpr uint32_t kNotSent = UINT32_MAX;
    /// per sequence number: the bin in which the source first sent it (kNotSent: not yet)
    std::vector<uint32_t> m_sourceFirstBin;
    /// per sequence number: receivers that got a copy (their first, so each counts once)
    std::vector<uint32_t> m_reach;
    /// per bin: bytes of the packets the source sent for the first time (distinct new data)
    std::vector<uint64_t> m_sourceNewBytes;
    /// Sums over a bin's samples of a mesh node's senders and receivers.
    struct PeerBin
    {
        uint32_t senders{0};
        uint32_t receivers{0};
        uint32_t samples{0};
        double sendIdleS{0};    ///< its sending to receivers: time with nothing owed
        double sendBlockedS{0}; ///< and time waiting for the TCP-friendly rate
    };
    /// per client: the cumulative send times at the last sample
    std::vector<std::pair<double, double>> m_lastSendTimes;
    /// per client, per bin (Bullet nodes only)
    std::vector<std::vector<PeerBin>> m_peerBins;
    /// The index of the current bin.
    size_t CurrentBin() const;
    /// Per client and seq: whether its first copy came from a peer (duplicate causes).
    std::vector<std::vector<bool>> m_firstFromPeer;
    bool m_hasFailure{false};
    uint32_t m_failed{0};
    Time m_failAt;
    std::vector<bool> m_inSubtree; ///< per client: below the failed node
    /// seq -> (from client, to client) overlay hops of the sampled packets
    std::map<uint32_t, std::vector<std::pair<uint32_t, uint32_t>>> m_stressHops;
    /// What one client sent one address: data packets, bytes.
    struct PairCount
    {
        uint32_t to; ///< the destination address (resolved to a client when written)
        uint64_t packets;
        uint64_t bytes;
    };

    /// [from client]: what it sent each address, most recently used first (a client sends
    /// to a few dozen peers at most: a short scan per packet, no lookup of the client).
    std::vector<std::vector<PairCount>> m_pairs;
};

} // namespace ns3

#endif // BULLET_STREAMING_METRICS_H
