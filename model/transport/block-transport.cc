/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "block-transport.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-close.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("BlockTransport");

NS_OBJECT_ENSURE_REGISTERED(BlockTransport);

TypeId
BlockTransport::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::BlockTransport")
              .SetParent<Object>()
              .SetGroupName("Bullet")
              .AddConstructor<BlockTransport>()
              .AddAttribute("MaxMessageSize",
                            "Largest message body (control header plus payload) in bytes; a "
                            "longer incoming frame is malformed and closes its connection.",
                            UintegerValue(1 << 20),
                            MakeUintegerAccessor(&BlockTransport::m_maxMessageSize),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("MaxQueueBytes",
                            "Safety limit on the bytes held in one connection's application "
                            "queue; Send()/SendBlock() fail beyond it.",
                            UintegerValue(64 << 20),
                            MakeUintegerAccessor(&BlockTransport::m_maxQueueBytes),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("SndBufSize", "TCP send buffer of every connection, in bytes.",
                            UintegerValue(131072),
                            MakeUintegerAccessor(&BlockTransport::m_sndBufSize),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("RcvBufSize", "TCP receive buffer of every connection, in bytes.",
                            UintegerValue(131072),
                            MakeUintegerAccessor(&BlockTransport::m_rcvBufSize),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute(
                  "SegmentSize", "TCP maximum segment size of every connection, in bytes.",
                  UintegerValue(1448), MakeUintegerAccessor(&BlockTransport::m_segmentSize),
                  MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("MinRto",
                            "Minimum retransmission timeout of every connection (0: the TCP "
                            "socket's own default, ns-3's 1 s; Linux hosts, as in the papers' "
                            "testbeds, use 200 ms, with a 40 ms delayed-ACK timeout: below "
                            "ns-3's 200 ms delayed-ACK timeout it fires spuriously).",
                            TimeValue(Seconds(0)), MakeTimeAccessor(&BlockTransport::m_minRto),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("ConnTimeout",
                            "Wait before a connection attempt's SYN is sent again (0: the TCP "
                            "socket's own default, ns-3's 3 s; Linux: 1 s).",
                            TimeValue(Seconds(0)), MakeTimeAccessor(&BlockTransport::m_connTimeout),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("DelAckTimeout",
                            "Delayed-ACK timeout of every connection (0: the TCP socket's own "
                            "default, ns-3's 200 ms; Linux: 40 ms).",
                            TimeValue(Seconds(0)),
                            MakeTimeAccessor(&BlockTransport::m_delAckTimeout),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("TimeWait",
                            "How long a connection this side closed first stays in TCP's "
                            "TIME_WAIT, holding its port and a place in the node's socket "
                            "lookups (twice the socket's MaxSegLifetime; 0: the socket's "
                            "default, ns-3's 240 s; Linux: 60 s).",
                            TimeValue(Seconds(0)), MakeTimeAccessor(&BlockTransport::m_timeWait),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("IdleTimeout",
                            "Retire a connection that carried no message either way for this "
                            "long, without losing any (a bye handshake; the next message dials "
                            "again). 0: never. Retiring is invisible to PeerUp/PeerDown.",
                            TimeValue(Seconds(0)), MakeTimeAccessor(&BlockTransport::m_idleTimeout),
                            MakeTimeChecker(Seconds(0)))
              .AddAttribute("IdleOnlyWhenSocketEmpty",
                            "If true, the pipe counts as idle only when no block is queued and "
                            "the socket send buffer is empty (all data acknowledged); if false, "
                            "as soon as no block is queued while the socket could take more.",
                            BooleanValue(false),
                            MakeBooleanAccessor(&BlockTransport::m_idleWhenEmpty),
                            MakeBooleanChecker())
              .AddAttribute("LocalAddress",
                            "Address this node announces in its hello; the default (any) "
                            "takes the node's first non-loopback IPv4 address.",
                            Ipv4AddressValue(Ipv4Address::GetAny()),
                            MakeIpv4AddressAccessor(&BlockTransport::m_localAddress),
                            MakeIpv4AddressChecker())
              .AddTraceSource("Tx",
                              "A message was handed completely to the socket (bytes: message body, "
                              "without the frame header).",
                              MakeTraceSourceAccessor(&BlockTransport::m_txTrace),
                              "ns3::BlockTransport::MessageTracedCallback")
              .AddTraceSource("Rx",
                              "A message was delivered to the protocol (bytes: message body).",
                              MakeTraceSourceAccessor(&BlockTransport::m_rxTrace),
                              "ns3::BlockTransport::MessageTracedCallback")
              .AddTraceSource("QueueLength",
                              "Blocks in a peer's application queue, on every change.",
                              MakeTraceSourceAccessor(&BlockTransport::m_queueLengthTrace),
                              "ns3::BlockTransport::CountTracedCallback")
              .AddTraceSource("InFront", "in_front recorded for a block submitted to a peer.",
                              MakeTraceSourceAccessor(&BlockTransport::m_inFrontTrace),
                              "ns3::BlockTransport::CountTracedCallback")
              .AddTraceSource("Idle", "An idle period of the pipe to a peer ended (its length).",
                              MakeTraceSourceAccessor(&BlockTransport::m_idleTrace),
                              "ns3::BlockTransport::TimeTracedCallback")
              .AddTraceSource("Wasted",
                              "wasted stamped into a block as it entered the socket: queue "
                              "wait minus the idle period it ended.",
                              MakeTraceSourceAccessor(&BlockTransport::m_wastedTrace),
                              "ns3::BlockTransport::TimeTracedCallback")
              .AddTraceSource("BlockFeedback",
                              "in_front and wasted carried by a block received from a peer.",
                              MakeTraceSourceAccessor(&BlockTransport::m_feedbackTrace),
                              "ns3::BlockTransport::FeedbackTracedCallback")
              .AddTraceSource("Malformed", "A connection was closed for malformed input.",
                              MakeTraceSourceAccessor(&BlockTransport::m_malformedTrace),
                              "ns3::BlockTransport::PeerEventTracedCallback")
              .AddTraceSource("PeerUp", "A peer got its first usable connection.",
                              MakeTraceSourceAccessor(&BlockTransport::m_peerUpTrace),
                              "ns3::BlockTransport::PeerEventTracedCallback")
              .AddTraceSource("PeerDown", "A peer lost its last connection (reported once).",
                              MakeTraceSourceAccessor(&BlockTransport::m_peerDownTrace),
                              "ns3::BlockTransport::PeerEventTracedCallback");
    return tid;
}

void
BlockTransport::SetLinuxTimers(ObjectFactory& factory)
{
    factory.Set("MinRto", TimeValue(MilliSeconds(200)));
    factory.Set("ConnTimeout", TimeValue(Seconds(1)));
    factory.Set("DelAckTimeout", TimeValue(MilliSeconds(40)));
}

BlockTransport::BlockTransport()
{
    NS_LOG_FUNCTION(this);
}

BlockTransport::~BlockTransport()
{
    NS_LOG_FUNCTION(this);
}

void
BlockTransport::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_receive = ReceiveCallback();
    m_peerUp = PeerCallback();
    m_peerDown = PeerCallback();
    m_blockDequeued = QueueCallback();
    m_sweep.Cancel();
    // Detach without closing: the node's TCP stack may already be disposed.
    for (auto& [peer, entry] : m_peers)
    {
        for (auto& conn : entry.connections)
        {
            conn->Dispose();
        }
    }
    m_peers.clear();
    for (auto& conn : m_anonymous)
    {
        conn->Dispose();
    }
    m_anonymous.clear();
    if (m_listener)
    {
        m_listener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                      MakeNullCallback<void, Ptr<Socket>, const Address&>());
        m_listener = nullptr;
    }
    m_node = nullptr;
    Object::DoDispose();
}

void
BlockTransport::SetNode(Ptr<Node> node)
{
    m_node = node;
}

Ptr<Node>
BlockTransport::GetNode() const
{
    return m_node;
}

void
BlockTransport::RegisterMessageType(uint16_t type)
{
    NS_ABORT_MSG_IF(type == kHelloType, "message type 0 is reserved for the transport's hello");
    NS_ABORT_MSG_IF(type == kByeType, "message type 0xffff is reserved for the transport's bye");
    m_types.insert(type);
}

bool
BlockTransport::IsKnownType(uint16_t type) const
{
    return m_types.count(type) != 0;
}

Ptr<Socket>
BlockTransport::CreateSocket()
{
    NS_ABORT_MSG_IF(!m_node, "BlockTransport::SetNode() was not called");
    Ptr<Socket> socket = Socket::CreateSocket(m_node, TcpSocketFactory::GetTypeId());
    socket->SetAttribute("SndBufSize", UintegerValue(m_sndBufSize));
    socket->SetAttribute("RcvBufSize", UintegerValue(m_rcvBufSize));
    socket->SetAttribute("SegmentSize", UintegerValue(m_segmentSize));
    if (m_minRto.IsStrictlyPositive())
    {
        socket->SetAttribute("MinRto", TimeValue(m_minRto));
    }
    if (m_timeWait.IsStrictlyPositive())
    {
        socket->SetAttribute("MaxSegLifetime", DoubleValue(m_timeWait.GetSeconds() / 2));
    }
    if (m_delAckTimeout.IsStrictlyPositive())
    {
        socket->SetAttribute("DelAckTimeout", TimeValue(m_delAckTimeout));
    }
    if (m_connTimeout.IsStrictlyPositive())
    {
        socket->SetAttribute("ConnTimeout", TimeValue(m_connTimeout));
    }
    return socket;
}

void
BlockTransport::UpdateLocalIdentity()
{
    Ipv4Address address = m_localAddress;
    if (address == Ipv4Address::GetAny())
    {
        Ptr<Ipv4> ipv4 = m_node->GetObject<Ipv4>();
        NS_ABORT_MSG_IF(!ipv4, "BlockTransport needs an Internet stack on its node");
        for (uint32_t i = 0; i < ipv4->GetNInterfaces() && address == Ipv4Address::GetAny(); ++i)
        {
            for (uint32_t j = 0; j < ipv4->GetNAddresses(i); ++j)
            {
                Ipv4Address a = ipv4->GetAddress(i, j).GetLocal();
                if (!a.IsLocalhost())
                {
                    address = a;
                    break;
                }
            }
        }
    }
    m_identity = InetSocketAddress(address, m_port);
    m_hasIdentity = true;
}

InetSocketAddress
BlockTransport::GetLocalIdentity() const
{
    return m_identity;
}

uint64_t
BlockTransport::GetMalformedCount() const
{
    return m_malformed;
}

uint64_t
BlockTransport::GetIdleCloseCount() const
{
    return m_idleCloses;
}

Ptr<Packet>
BlockTransport::MakeMessage(const Header& header, Ptr<const Packet> payload)
{
    Ptr<Packet> p = payload ? payload->Copy() : Create<Packet>();
    p->AddHeader(header);
    return p;
}

void
BlockTransport::Listen(uint16_t port)
{
    NS_LOG_FUNCTION(this << port);
    NS_ABORT_MSG_IF(m_listener, "BlockTransport already listens");
    m_port = port;
    UpdateLocalIdentity();
    m_listener = CreateSocket();
    if (m_listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), port)) != 0
        || m_listener->Listen() != 0)
    {
        NS_FATAL_ERROR("BlockTransport cannot listen on port " << port);
    }
    // The callbacks hold a reference: ns-3's listening socket copies them into each socket it
    // forks for an incoming SYN, and such a socket may complete its handshake after CloseAll()
    // (even after our owner let go of us), so we must still be here to turn it away.
    Ptr<BlockTransport> self = this;
    m_listener->SetAcceptCallback(MakeCallback(&BlockTransport::Accept, self),
                                  MakeCallback(&BlockTransport::Accepted, self));
    // That reference and m_listener are a cycle only Dispose() breaks: when the simulation is
    // destroyed, dispose of a transport its owner did not dispose, so that it is freed
    // (LeakSanitizer found every listening transport leaked, issue #18). Disposing twice is
    // harmless: Object::Dispose() skips a disposed object.
    Simulator::ScheduleDestroy([self]() {
        self->Dispose();
    });
    ScheduleSweep();
}

bool
BlockTransport::Accept(Ptr<Socket> socket, const Address& from)
{
    return m_listener != nullptr;
}

void
BlockTransport::Accepted(Ptr<Socket> socket, const Address& from)
{
    NS_LOG_FUNCTION(this << socket << from);
    if (!m_listener)
    {
        // A handshake begun before CloseAll(): refuse it, from an event of its own (we are
        // inside the socket's handshake, which carries on using it after we return).
        socket->SetRecvCallback(MakeCallback(&TcpDiscardReceived));
        Simulator::ScheduleNow([socket]() {
            TcpCloseGracefully(socket, false);
        });
        return;
    }
    Ptr<BlockConnection> conn = CreateObject<BlockConnection>();
    m_anonymous.insert(conn);
    conn->SetupAccepted(this, socket);
}

Ptr<BlockConnection>
BlockTransport::Connect(const InetSocketAddress& peer)
{
    NS_LOG_FUNCTION(this << FormatEndpoint(peer));
    auto it = m_peers.find(peer);
    if (it != m_peers.end() && it->second.active)
    {
        return it->second.active;
    }
    if (!m_hasIdentity)
    {
        UpdateLocalIdentity();
    }
    Ptr<Socket> socket = CreateSocket();
    Ptr<BlockConnection> conn = CreateObject<BlockConnection>();
    PeerEntry& entry = it != m_peers.end() ? it->second : NewEntry(peer);
    entry.connections.push_back(conn);
    entry.active = conn;
    conn->SetupOutgoing(this, socket, peer);
    ScheduleSweep();
    // Dial from an event of its own: Connect() may be called before the simulation starts,
    // when the nodes' stacks are not initialised yet, or from inside a socket callback.
    Simulator::ScheduleNow(&BlockConnection::StartConnect, conn);
    return conn;
}

void
BlockTransport::Close(const InetSocketAddress& peer)
{
    NS_LOG_FUNCTION(this << FormatEndpoint(peer));
    auto it = m_peers.find(peer);
    if (it == m_peers.end())
    {
        if (m_parked.erase(peer) == 0)
        {
            return;
        }
    }
    else
    {
        std::vector<Ptr<BlockConnection>> connections = it->second.connections;
        m_peers.erase(it);
        for (auto& conn : connections)
        {
            conn->Shutdown();
        }
    }
    m_peerDownTrace(peer, "closed locally");
    if (!m_peerDown.IsNull())
    {
        m_peerDown(peer);
    }
}

void
BlockTransport::CloseAll()
{
    NS_LOG_FUNCTION(this);
    while (!m_peers.empty())
    {
        // A copy: Close() erases the entry, and then reports the peer down.
        InetSocketAddress peer = m_peers.begin()->first;
        Close(peer);
    }
    while (!m_parked.empty())
    {
        InetSocketAddress peer = *m_parked.begin();
        Close(peer);
    }
    m_sweep.Cancel();
    std::set<Ptr<BlockConnection>> anonymous;
    anonymous.swap(m_anonymous);
    for (auto& conn : anonymous)
    {
        conn->Shutdown();
    }
    if (m_listener)
    {
        m_listener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                      MakeNullCallback<void, Ptr<Socket>, const Address&>());
        m_listener->Close();
        m_listener = nullptr;
    }
}

bool
BlockTransport::CheckSend(const InetSocketAddress& peer, uint16_t type,
                          Ptr<const Packet> message) const
{
    if (!IsKnownType(type))
    {
        NS_LOG_WARN("not sending unregistered message type " << type);
        return false;
    }
    if (message->GetSize() > m_maxMessageSize)
    {
        NS_LOG_WARN("message of " << message->GetSize() << " bytes exceeds MaxMessageSize "
                                  << m_maxMessageSize);
        return false;
    }
    Ptr<BlockConnection> conn = GetConnection(peer);
    if (!conn)
    {
        NS_LOG_WARN("no connection to " << FormatEndpoint(peer));
        return false;
    }
    if (conn->GetQueuedBytes() + message->GetSize() > m_maxQueueBytes)
    {
        NS_LOG_WARN("queue to " << FormatEndpoint(peer) << " full (" << conn->GetQueuedBytes()
                                << " bytes)");
        return false;
    }
    return true;
}

bool
BlockTransport::Send(const InetSocketAddress& peer, uint16_t type, Ptr<const Packet> message)
{
    NS_LOG_FUNCTION(this << FormatEndpoint(peer) << type << message->GetSize());
    if (!CheckSend(peer, type, message))
    {
        return false;
    }
    GetConnection(peer)->Enqueue(type, message, false, -1);
    return true;
}

bool
BlockTransport::SendBlock(const InetSocketAddress& peer, uint16_t type, Ptr<const Packet> message,
                          int64_t inFront)
{
    NS_LOG_FUNCTION(this << FormatEndpoint(peer) << type << message->GetSize() << inFront);
    if (!CheckSend(peer, type, message))
    {
        return false;
    }
    GetConnection(peer)->Enqueue(type, message, true, inFront);
    return true;
}

Ptr<BlockConnection>
BlockTransport::GetConnection(const InetSocketAddress& peer) const
{
    auto it = m_peers.find(peer);
    return it == m_peers.end() ? nullptr : it->second.active;
}

bool
BlockTransport::IsUp(const InetSocketAddress& peer) const
{
    Ptr<BlockConnection> conn = GetConnection(peer);
    return conn && conn->IsUp();
}

std::vector<InetSocketAddress>
BlockTransport::GetPeers() const
{
    std::vector<InetSocketAddress> peers;
    for (const auto& [peer, entry] : m_peers)
    {
        peers.push_back(peer);
    }
    return peers;
}

void
BlockTransport::SetReading(bool reading)
{
    const bool resume = reading && !m_reading;
    m_reading = reading;
    if (resume)
    {
        std::vector<Ptr<BlockConnection>> connections;
        for (const auto& [peer, entry] : m_peers)
        {
            connections.insert(connections.end(), entry.connections.begin(),
                               entry.connections.end());
        }
        for (auto& conn : connections)
        {
            if (conn->GetState() == BlockConnection::OPEN && conn->GetSocket())
            {
                conn->DataReady(conn->GetSocket());
            }
        }
    }
}

bool
BlockTransport::IsReading() const
{
    return m_reading;
}

uint32_t
BlockTransport::GetQueuedBlocks(const InetSocketAddress& peer) const
{
    Ptr<BlockConnection> conn = GetConnection(peer);
    return conn ? conn->GetQueuedBlocks() : 0;
}

uint64_t
BlockTransport::GetBacklogBytes(const InetSocketAddress& peer) const
{
    Ptr<BlockConnection> conn = GetConnection(peer);
    if (!conn)
    {
        return 0;
    }
    uint64_t inSocket = 0;
    if (Ptr<Socket> socket = conn->GetSocket(); socket && conn->IsUp())
    {
        const uint32_t available = socket->GetTxAvailable();
        inSocket = available < m_sndBufSize ? m_sndBufSize - available : 0;
    }
    return conn->GetQueuedBytes() + inSocket;
}

Time
BlockTransport::GetIdleTime(const InetSocketAddress& peer) const
{
    Ptr<BlockConnection> conn = GetConnection(peer);
    return conn ? conn->GetIdleTime() : Time();
}

void
BlockTransport::SetReceiveCallback(ReceiveCallback cb)
{
    m_receive = cb;
}

void
BlockTransport::SetPeerUpCallback(PeerCallback cb)
{
    m_peerUp = cb;
}

void
BlockTransport::SetPeerDownCallback(PeerCallback cb)
{
    m_peerDown = cb;
}

void
BlockTransport::SetBlockDequeuedCallback(QueueCallback cb)
{
    m_blockDequeued = cb;
}

void
BlockTransport::ConnectionOpened(Ptr<BlockConnection> conn)
{
    NS_LOG_FUNCTION(this << conn);
    MaybeUp(conn->GetPeer(), conn);
}

void
BlockTransport::HelloReceived(Ptr<BlockConnection> conn, const InetSocketAddress& peer)
{
    NS_LOG_FUNCTION(this << conn << FormatEndpoint(peer));
    m_anonymous.erase(conn);
    auto it = m_peers.find(peer);
    PeerEntry& entry = it != m_peers.end() ? it->second : NewEntry(peer);
    entry.connections.push_back(conn);
    if (!entry.active)
    {
        entry.active = conn;
    }
    MaybeUp(peer, conn);
}

void
BlockTransport::MaybeUp(const InetSocketAddress& peer, Ptr<BlockConnection> conn)
{
    auto it = m_peers.find(peer);
    if (it == m_peers.end())
    {
        return;
    }
    PeerEntry& entry = it->second;
    if (!entry.active)
    {
        entry.active = conn; // the others retired for idleness
    }
    else if (entry.active != conn && !entry.active->IsUp())
    {
        // Both sides dialled: carry our messages on whichever connection works first.
        entry.active->MoveQueueTo(conn);
        entry.active = conn;
    }
    if (!entry.up)
    {
        entry.up = true;
        NS_LOG_INFO("peer " << FormatEndpoint(peer) << " up");
        m_peerUpTrace(peer, conn->IsOutgoing() ? "connected" : "accepted");
        if (!m_peerUp.IsNull())
        {
            m_peerUp(peer);
        }
    }
}

void
BlockTransport::MessageReceived(Ptr<BlockConnection> conn, uint16_t type, Ptr<Packet> message)
{
    m_rxTrace(conn->GetPeer(), type, message->GetSize());
    if (!m_receive.IsNull())
    {
        m_receive(conn->GetPeer(), type, message);
    }
}

void
BlockTransport::ConnectionClosed(Ptr<BlockConnection> conn, const std::string& reason,
                                 bool malformed)
{
    NS_LOG_FUNCTION(this << conn << reason << malformed);
    const InetSocketAddress peer = conn->GetPeer();
    if (malformed)
    {
        ++m_malformed;
        m_malformedTrace(conn->HasPeer() ? peer : conn->m_remote, reason);
    }
    if (m_anonymous.erase(conn) != 0)
    {
        return;
    }
    auto it = m_peers.find(peer);
    if (it == m_peers.end())
    {
        return;
    }
    PeerEntry& entry = it->second;
    auto& conns = entry.connections;
    conns.erase(std::remove(conns.begin(), conns.end(), conn), conns.end());
    if (conn->m_retiring && !malformed)
    {
        // Retired for idleness: quietly. What is still queued on it (it failed while
        // draining) goes on a new connection.
        if (conn->HasQueuedMessages())
        {
            conn->MoveQueueTo(Connect(peer));
        }
        else if (conns.empty())
        {
            m_parked.insert(peer);
            m_peers.erase(it);
        }
        return;
    }
    const bool live = std::any_of(conns.begin(), conns.end(), [](const Ptr<BlockConnection>& c) {
        return !c->m_retiring;
    });
    if (!live)
    {
        // The last connection that could carry messages is gone: retiring ones cannot.
        std::vector<Ptr<BlockConnection>> retiring = conns;
        m_peers.erase(it);
        for (auto& c : retiring)
        {
            c->Shutdown();
        }
        NS_LOG_INFO("peer " << FormatEndpoint(peer) << " down: " << reason);
        m_peerDownTrace(peer, reason);
        if (!m_peerDown.IsNull())
        {
            m_peerDown(peer);
        }
        return;
    }
    if (entry.active == conn)
    {
        PickActive(entry); // there is a live connection
        conn->MoveQueueTo(entry.active);
    }
}

void
BlockTransport::PickActive(PeerEntry& entry)
{
    entry.active = nullptr;
    for (auto& c : entry.connections)
    {
        if (!c->m_retiring && (!entry.active || (c->IsUp() && !entry.active->IsUp())))
        {
            entry.active = c;
        }
    }
}

BlockTransport::PeerEntry&
BlockTransport::NewEntry(const InetSocketAddress& peer)
{
    PeerEntry& entry = m_peers[peer];
    if (m_parked.erase(peer) != 0)
    {
        entry.up = true; // reported up before it was parked, and never down since
    }
    return entry;
}

void
BlockTransport::Retire(PeerEntry& entry, Ptr<BlockConnection> conn)
{
    conn->m_retiring = true;
    ++m_idleCloses;
    if (entry.active == conn)
    {
        PickActive(entry);
    }
}

void
BlockTransport::ByeReceived(Ptr<BlockConnection> conn)
{
    NS_LOG_FUNCTION(this << conn);
    const InetSocketAddress peer = conn->GetPeer();
    auto it = m_peers.find(peer);
    if (it != m_peers.end() && !conn->m_retiring)
    {
        Retire(it->second, conn);
    }
    // The peer reads until our FIN: write what we queued before its bye arrived, then close.
    conn->CloseWhenDrained();
}

void
BlockTransport::ScheduleSweep()
{
    if (m_idleTimeout.IsStrictlyPositive() && !m_sweep.IsRunning())
    {
        m_sweep = Simulator::Schedule(m_idleTimeout / 2, &BlockTransport::SweepIdle, this);
    }
}

void
BlockTransport::SweepIdle()
{
    NS_LOG_FUNCTION(this);
    const Time now = Simulator::Now();
    std::vector<Ptr<BlockConnection>> unanswered;
    for (auto& [peer, entry] : m_peers)
    {
        std::vector<Ptr<BlockConnection>> connections = entry.connections;
        for (auto& conn : connections)
        {
            if (conn->m_retiring)
            {
                if (conn->m_byeSent && now - conn->m_retiredAt >= m_idleTimeout
                    && now - conn->m_lastActivity >= m_idleTimeout)
                {
                    unanswered.push_back(conn);
                }
            }
            else if (conn->IsQuiescent(m_idleTimeout))
            {
                NS_LOG_INFO("retiring idle connection to " << FormatEndpoint(peer));
                Retire(entry, conn);
                conn->SendBye();
            }
        }
    }
    for (auto& conn : unanswered)
    {
        conn->Fail("bye not answered", false);
    }
    if (m_listener || !m_peers.empty())
    {
        ScheduleSweep();
    }
}

} // namespace ns3
