/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BITTORRENT_TRACKER_H
#define BULLET_BITTORRENT_TRACKER_H

#include "ns3/application.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"
#include "ns3/tracker-protocol.h"

#include <map>
#include <memory>
#include <string>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief A BitTorrent tracker speaking the HTTP announce protocol (BEP 3, compact peer lists
 * of BEP 23) over ns-3 TCP, so that real clients can use it in emulation.
 *
 * Each connection carries one HTTP/1.0 request: `GET /announce?info_hash=...`. The tracker
 * records the peer (its address as the connection shows it, the port it announces, how much it
 * has left) in the swarm of that info hash, and answers with a bencoded dictionary: the
 * re-announce interval, how many seeds and downloaders it knows, and up to min(numwant,
 * MaxPeers) other peers of the swarm drawn at random, compact unless the client asked
 * otherwise. `event=stopped` removes the peer. Then it closes the connection. A scrape
 * (BEP 48, `GET /scrape[?info_hash=...]`, which real clients send beside their announces)
 * gets each known torrent's seeds, leechers and "completed" events so far.
 *
 * Bad input never reaches the swarm: a malformed or oversized HTTP request gets "400 Bad
 * Request", an announce with a missing or malformed parameter a bencoded "failure reason"
 * (as trackers answer); a connection without a complete request after RequestTimeout is
 * closed, and beyond MaxConnections open ones new ones are refused; all are traced
 * (Rejected). Peers silent for PeerTimeout are forgotten. Any info hash is tracked (an open
 * tracker, as opentracker runs by default).
 */
class BitTorrentTracker : public Application
{
  public:
    static TypeId GetTypeId();
    BitTorrentTracker();
    ~BitTorrentTracker() override;

    /**
     * Enters a peer into the swarm of \p infoHash without an announce: the seed that runs
     * beside the tracker on the same host (its announce would come from its own address, which
     * the routing of a simulated host need not reach).
     */
    void AddPeer(const Sha1Digest& infoHash, const PeerId& peerId, Ipv4Address address,
                 uint16_t port, uint64_t left);
    /// Peers the tracker knows in the swarm of \p infoHash.
    uint32_t GetSwarmSize(const Sha1Digest& infoHash) const;
    /// Announces answered with a peer list.
    uint64_t GetAnnounceCount() const;
    /// Requests rejected (bad HTTP, a bad announce or scrape, an unknown path).
    uint64_t GetRejectedCount() const;
    /// Scrapes answered (BEP 48: GET /scrape, counts per torrent).
    uint64_t GetScrapeCount() const;
    /// Fixes the tracker's random stream (peer sampling). \returns 1
    int64_t AssignStreams(int64_t stream);

    /// (peer, event, left): an announce accepted
    using AnnounceTracedCallback = void (*)(Ipv4Address peer, uint32_t event, uint64_t left);
    /// (peer, reason): a request rejected
    using RejectedTracedCallback = void (*)(Ipv4Address peer, const std::string& reason);

  private:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;

    bool HandleRequest(Ptr<Socket> socket, const Address& from);
    void HandleAccept(Ptr<Socket> socket, const Address& from);
    void HandleRead(Ptr<Socket> socket);
    void HandleClose(Ptr<Socket> socket);
    /// Answers a complete request on \p socket and closes it.
    void Answer(Ptr<Socket> socket, const HttpMessageReader& request, Ipv4Address from);
    /// Sends \p response and closes the connection.
    void Reply(Ptr<Socket> socket, const std::string& response);

    struct Entry;
    /// Forgets the peers of \p swarm silent for longer than PeerTimeout.
    void Expire(std::map<PeerId, Entry>& swarm);
    /// Answers a scrape on \p socket and closes it.
    void Scrape(Ptr<Socket> socket, const ScrapeRequest& request);

    /// What the tracker knows of one peer.
    struct Entry
    {
        Ipv4Address address;
        uint16_t port{0};
        uint64_t left{0};
        Time lastSeen;
    };

    /// One open connection: who it is from and what has arrived.
    struct Connection
    {
        Ipv4Address from;
        std::unique_ptr<HttpMessageReader> reader;
    };

    uint16_t m_port;
    Time m_interval;
    Time m_peerTimeout;
    Time m_requestTimeout;
    uint32_t m_maxConnections;
    uint32_t m_maxPeers;
    uint32_t m_maxRequestBytes;
    Ptr<Socket> m_listener;
    std::map<Ptr<Socket>, Connection> m_connections;
    std::map<Sha1Digest, std::map<PeerId, Entry>> m_swarms;
    Ptr<UniformRandomVariable> m_rng;
    std::map<Sha1Digest, uint32_t> m_downloaded; ///< "completed" events per torrent
    uint64_t m_announces{0};
    uint64_t m_rejected{0};
    uint64_t m_scrapes{0};

    TracedCallback<Ipv4Address, uint32_t, uint64_t> m_announceTrace;
    TracedCallback<Ipv4Address, const std::string&> m_rejectedTrace;
};

} // namespace ns3

#endif // BULLET_BITTORRENT_TRACKER_H
