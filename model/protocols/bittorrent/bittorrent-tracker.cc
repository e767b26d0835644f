/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "bittorrent-tracker.h"

#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-close.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("BitTorrentTracker");

NS_OBJECT_ENSURE_REGISTERED(BitTorrentTracker);

TypeId
BitTorrentTracker::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::BitTorrentTracker")
              .SetParent<Application>()
              .SetGroupName("Bullet")
              .AddConstructor<BitTorrentTracker>()
              .AddAttribute("Port", "TCP port of the HTTP announce service", UintegerValue(6969),
                            MakeUintegerAccessor(&BitTorrentTracker::m_port),
                            MakeUintegerChecker<uint16_t>(1))
              .AddAttribute(
                  "Interval", "Re-announce interval told to peers (mainline track.py: 30 min)",
                  TimeValue(Seconds(1800)), MakeTimeAccessor(&BitTorrentTracker::m_interval),
                  MakeTimeChecker(Seconds(1)))
              .AddAttribute("MaxPeers",
                            "Most peers in one reply (mainline track.py response_size: 50)",
                            UintegerValue(50), MakeUintegerAccessor(&BitTorrentTracker::m_maxPeers),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute(
                  "PeerTimeout",
                  "Forget a peer not heard from for this long (mainline track.py: 45 min)",
                  TimeValue(Seconds(45 * 60)), MakeTimeAccessor(&BitTorrentTracker::m_peerTimeout),
                  MakeTimeChecker(Seconds(1)))
              .AddAttribute("MaxConnections", "Open connections at most; more are refused",
                            UintegerValue(1000),
                            MakeUintegerAccessor(&BitTorrentTracker::m_maxConnections),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("RequestTimeout",
                            "Close a connection whose request is not complete after this long",
                            TimeValue(Seconds(30)),
                            MakeTimeAccessor(&BitTorrentTracker::m_requestTimeout),
                            MakeTimeChecker(MilliSeconds(100)))
              .AddAttribute("MaxRequestBytes", "Longest HTTP request accepted; longer ones get 400",
                            UintegerValue(8192),
                            MakeUintegerAccessor(&BitTorrentTracker::m_maxRequestBytes),
                            MakeUintegerChecker<uint32_t>(256))
              .AddTraceSource("Announce", "An announce was accepted",
                              MakeTraceSourceAccessor(&BitTorrentTracker::m_announceTrace),
                              "ns3::BitTorrentTracker::AnnounceTracedCallback")
              .AddTraceSource("Rejected", "A request was rejected",
                              MakeTraceSourceAccessor(&BitTorrentTracker::m_rejectedTrace),
                              "ns3::BitTorrentTracker::RejectedTracedCallback");
    return tid;
}

BitTorrentTracker::BitTorrentTracker()
    : m_rng(CreateObject<UniformRandomVariable>())
{
}

BitTorrentTracker::~BitTorrentTracker() = default;

void
BitTorrentTracker::AddPeer(const Sha1Digest& infoHash, const PeerId& peerId, Ipv4Address address,
                           uint16_t port, uint64_t left)
{
    Entry& e = m_swarms[infoHash][peerId];
    e.address = address;
    e.port = port;
    e.left = left;
    e.lastSeen = Simulator::Now();
}

uint32_t
BitTorrentTracker::GetSwarmSize(const Sha1Digest& infoHash) const
{
    auto it = m_swarms.find(infoHash);
    return it == m_swarms.end() ? 0 : it->second.size();
}

uint64_t
BitTorrentTracker::GetAnnounceCount() const
{
    return m_announces;
}

uint64_t
BitTorrentTracker::GetRejectedCount() const
{
    return m_rejected;
}

int64_t
BitTorrentTracker::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

void
BitTorrentTracker::StartApplication()
{
    m_listener = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    if (m_listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) != 0)
    {
        NS_FATAL_ERROR("BitTorrentTracker: cannot bind TCP port " << m_port);
    }
    m_listener->Listen();
    m_listener->SetAcceptCallback(MakeCallback(&BitTorrentTracker::HandleRequest, this),
                                  MakeCallback(&BitTorrentTracker::HandleAccept, this));
}

void
BitTorrentTracker::StopApplication()
{
    if (m_listener)
    {
        m_listener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                      MakeNullCallback<void, Ptr<Socket>, const Address&>());
        m_listener->Close();
        m_listener = nullptr;
    }
    for (auto& [socket, conn] : m_connections)
    {
        TcpCloseGracefully(socket, false);
    }
    m_connections.clear();
}

void
BitTorrentTracker::DoDispose()
{
    m_listener = nullptr;
    m_connections.clear();
    m_rng = nullptr;
    Application::DoDispose();
}

bool
BitTorrentTracker::HandleRequest(Ptr<Socket>, const Address& from)
{
    if (m_connections.size() >= m_maxConnections)
    {
        ++m_rejected;
        m_rejectedTrace(InetSocketAddress::ConvertFrom(from).GetIpv4(),
                        "too many open connections");
        return false;
    }
    return true;
}

void
BitTorrentTracker::HandleAccept(Ptr<Socket> socket, const Address& from)
{
    Connection conn;
    conn.from = InetSocketAddress::ConvertFrom(from).GetIpv4();
    conn.reader
        = std::make_unique<HttpMessageReader>(HttpMessageReader::REQUEST, m_maxRequestBytes);
    m_connections[socket] = std::move(conn);
    // A client that never finishes its request does not hold a connection for ever.
    Simulator::Schedule(m_requestTimeout, [this, socket]() {
        auto it = m_connections.find(socket);
        if (it != m_connections.end())
        {
            ++m_rejected;
            m_rejectedTrace(it->second.from, "no complete request in time");
            m_connections.erase(it);
            TcpCloseGracefully(socket, false);
        }
    });
    socket->SetRecvCallback(MakeCallback(&BitTorrentTracker::HandleRead, this));
    socket->SetCloseCallbacks(MakeCallback(&BitTorrentTracker::HandleClose, this),
                              MakeCallback(&BitTorrentTracker::HandleClose, this));
}

void
BitTorrentTracker::HandleClose(Ptr<Socket> socket)
{
    m_connections.erase(socket);
}

void
BitTorrentTracker::HandleRead(Ptr<Socket> socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
    {
        TcpDiscardReceived(socket);
        return;
    }
    Connection& conn = it->second;
    while (Ptr<Packet> p = socket->Recv())
    {
        if (p->GetSize() == 0)
        {
            break;
        }
        std::vector<uint8_t> bytes(p->GetSize());
        p->CopyData(bytes.data(), bytes.size());
        conn.reader->Append(bytes.data(), bytes.size());
        if (conn.reader->HasError() || conn.reader->IsComplete())
        {
            break;
        }
    }
    if (conn.reader->HasError())
    {
        ++m_rejected;
        const std::string why = conn.reader->GetError();
        NS_LOG_WARN("tracker: bad HTTP request from " << conn.from << ": " << why);
        m_rejectedTrace(conn.from, why);
        Reply(socket, MakeHttpResponse(400, "Bad Request", why + "\n"));
        return;
    }
    if (conn.reader->IsComplete())
    {
        Answer(socket, *conn.reader, conn.from);
    }
}

void
BitTorrentTracker::Answer(Ptr<Socket> socket, const HttpMessageReader& request, Ipv4Address from)
{
    AnnounceResponse response;
    response.interval = static_cast<uint32_t>(m_interval.GetSeconds());
    const std::string target = request.GetTarget();
    std::string why;
    if (request.GetMethod() != "GET")
    {
        why = "method " + request.GetMethod() + " not supported";
    }
    else if (target.compare(0, 7, "/scrape") == 0)
    {
        try
        {
            Scrape(socket, ScrapeRequest::FromTarget(target));
            return;
        }
        catch (const std::exception& e)
        {
            why = e.what();
        }
    }
    else if (target.compare(0, 9, "/announce") != 0)
    {
        ++m_rejected;
        m_rejectedTrace(from, "no such path: " + target);
        Reply(socket, MakeHttpResponse(404, "Not Found", "not found\n"));
        return;
    }
    else
    {
        try
        {
            const AnnounceRequest announce = AnnounceRequest::FromTarget(target);
            auto& swarm = m_swarms[announce.infoHash];
            Expire(swarm);
            if (announce.event == AnnounceRequest::COMPLETED)
            {
                ++m_downloaded[announce.infoHash];
            }
            if (announce.event == AnnounceRequest::STOPPED)
            {
                // Only the peer itself (its address) may take itself out.
                auto it = swarm.find(announce.peerId);
                if (it != swarm.end() && it->second.address == from)
                {
                    swarm.erase(it);
                }
            }
            else
            {
                Entry& e = swarm[announce.peerId];
                e.address = from;
                e.port = announce.port;
                e.left = announce.left;
                e.lastSeen = Simulator::Now();
            }
            std::vector<const Entry*> others;
            for (const auto& [id, entry] : swarm)
            {
                (entry.left == 0 ? response.complete : response.incomplete) += 1;
                if (id != announce.peerId)
                {
                    others.push_back(&entry);
                }
            }
            // A uniform sample of the others (partial Fisher-Yates).
            const uint32_t want = std::min<uint32_t>(
                {announce.numwant, m_maxPeers, static_cast<uint32_t>(others.size())});
            for (uint32_t i = 0; i < want; ++i)
            {
                const uint32_t j = m_rng->GetInteger(i, others.size() - 1);
                std::swap(others[i], others[j]);
                response.peers.push_back({others[i]->address, others[i]->port});
            }
            ++m_announces;
            m_announceTrace(from, announce.event, announce.left);
            NS_LOG_INFO("tracker: announce from " << from << ":" << announce.port << ", left "
                                                  << announce.left << ", " << want
                                                  << " peers returned");
            Reply(socket, MakeHttpResponse(200, "OK", response.Encode(announce.compact)));
            return;
        }
        catch (const std::exception& e)
        {
            why = e.what();
        }
    }
    ++m_rejected;
    NS_LOG_WARN("tracker: bad announce from " << from << ": " << why);
    m_rejectedTrace(from, why);
    AnnounceResponse failure;
    failure.failure = why;
    Reply(socket, MakeHttpResponse(200, "OK", failure.Encode()));
}

void
BitTorrentTracker::Expire(std::map<PeerId, Entry>& swarm)
{
    // Peers silent for longer than PeerTimeout are gone.
    for (auto it = swarm.begin(); it != swarm.end();)
    {
        it = Simulator::Now() - it->second.lastSeen > m_peerTimeout ? swarm.erase(it)
                                                                    : std::next(it);
    }
}

void
BitTorrentTracker::Scrape(Ptr<Socket> socket, const ScrapeRequest& request)
{
    ScrapeResponse response;
    auto add = [this, &response](const Sha1Digest& hash, std::map<PeerId, Entry>& swarm) {
        Expire(swarm);
        ScrapeResponse::File& f = response.files[hash];
        for (const auto& [id, entry] : swarm)
        {
            (entry.left == 0 ? f.complete : f.incomplete) += 1;
        }
        auto d = m_downloaded.find(hash);
        f.downloaded = d == m_downloaded.end() ? 0 : d->second;
    };
    if (request.infoHashes.empty())
    {
        for (auto& [hash, swarm] : m_swarms)
        {
            add(hash, swarm);
        }
    }
    for (const Sha1Digest& hash : request.infoHashes)
    {
        auto it = m_swarms.find(hash);
        if (it != m_swarms.end())
        {
            add(hash, it->second); // torrents the tracker does not know are left out
        }
    }
    ++m_scrapes;
    NS_LOG_INFO("tracker: scrape of " << response.files.size() << " torrents");
    Reply(socket, MakeHttpResponse(200, "OK", response.Encode()));
}

uint64_t
BitTorrentTracker::GetScrapeCount() const
{
    return m_scrapes;
}

void
BitTorrentTracker::Reply(Ptr<Socket> socket, const std::string& response)
{
    m_connections.erase(socket);
    Ptr<Packet> p
        = Create<Packet>(reinterpret_cast<const uint8_t*>(response.data()), response.size());
    socket->Send(p);
    TcpCloseGracefully(socket, false);
}

} // namespace ns3
