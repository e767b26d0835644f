/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "bittorrent-application.h"

#include "bittorrent-tracker.h"

#include "ns3/boolean.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/log.h"
#include "ns3/object-factory.h"
#include "ns3/overlay-application.h"
#include "ns3/packet.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-close.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("BitTorrentApplication");

NS_OBJECT_ENSURE_REGISTERED(BitTorrentApplication);

namespace
{
/// Wire bytes of a piece message's header: length prefix, id, index, begin.
constexpr uint32_t kPieceHeaderBytes = BtMessageHeader::kPieceHeaderSize;
/// Longest request BEP 3 lets a peer make.
constexpr uint32_t kMaxRequest = 16384;
/// Requests from one peer waiting to be served, at most.
constexpr size_t kMaxQueuedRequests = 250;
} // namespace

TypeId
BitTorrentApplication::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::BitTorrentApplication")
              .SetParent<FileDistributionApplication>()
              .SetGroupName("Bullet")
              .AddConstructor<BitTorrentApplication>()
              .AddAttribute("Port", "TCP port this peer listens on", UintegerValue(6881),
                            MakeUintegerAccessor(&BitTorrentApplication::m_port),
                            MakeUintegerChecker<uint16_t>(1))
              .AddAttribute("Tracker", "The tracker's address (0.0.0.0: the source's)",
                            Ipv4AddressValue(Ipv4Address::GetAny()),
                            MakeIpv4AddressAccessor(&BitTorrentApplication::m_tracker),
                            MakeIpv4AddressChecker())
              .AddAttribute("TrackerPort", "The tracker's TCP port", UintegerValue(6969),
                            MakeUintegerAccessor(&BitTorrentApplication::m_trackerPort),
                            MakeUintegerChecker<uint16_t>(1))
              .AddAttribute("RunTracker",
                            "The source also runs the tracker (a BitTorrentTracker on its node)",
                            BooleanValue(true),
                            MakeBooleanAccessor(&BitTorrentApplication::m_runTracker),
                            MakeBooleanChecker())
              .AddAttribute("RequestBacklog",
                            "16 KiB requests outstanding per peer (mainline request_backlog: 5)",
                            UintegerValue(5),
                            MakeUintegerAccessor(&BitTorrentApplication::m_backlog),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute(
                  "MaxInitiate", "Connections at which this peer stops initiating (mainline: 35)",
                  UintegerValue(35), MakeUintegerAccessor(&BitTorrentApplication::m_maxInitiate),
                  MakeUintegerChecker<uint32_t>())
              .AddAttribute(
                  "MaxAllowIn", "Connections at which incoming ones are refused (mainline: 55)",
                  UintegerValue(55), MakeUintegerAccessor(&BitTorrentApplication::m_maxAllowIn),
                  MakeUintegerChecker<uint32_t>())
              .AddAttribute("MinPeers",
                            "Below this many connections, re-announce every RerequestInterval "
                            "(mainline: 20)",
                            UintegerValue(20),
                            MakeUintegerAccessor(&BitTorrentApplication::m_minPeers),
                            MakeUintegerChecker<uint32_t>())
              .AddAttribute("NumWant", "Peers asked of the tracker per announce", UintegerValue(50),
                            MakeUintegerAccessor(&BitTorrentApplication::m_numWant),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute("RerequestInterval",
                            "Re-announce interval while short of peers (mainline: 300 s)",
                            TimeValue(Seconds(300)),
                            MakeTimeAccessor(&BitTorrentApplication::m_rerequest),
                            MakeTimeChecker(Seconds(1)))
              .AddAttribute("AnnounceRetry", "Wait before announcing again after a failed announce",
                            TimeValue(Seconds(15)),
                            MakeTimeAccessor(&BitTorrentApplication::m_announceRetry),
                            MakeTimeChecker(MilliSeconds(100)))
              .AddAttribute("RechokeInterval", "Choking rounds (BEP 3: every 10 s)",
                            TimeValue(Seconds(10)),
                            MakeTimeAccessor(&BitTorrentApplication::m_rechokeInterval),
                            MakeTimeChecker(MilliSeconds(100)))
              .AddAttribute("SnubTime",
                            "No piece from a peer for this long, with requests outstanding at "
                            "it, and it is snubbed (mainline: 30 s)",
                            TimeValue(Seconds(30)),
                            MakeTimeAccessor(&BitTorrentApplication::m_snubTime), MakeTimeChecker())
              .AddAttribute("KeepAliveInterval",
                            "Send a keep-alive after this long without sending (BEP 3: 2 min)",
                            TimeValue(Seconds(120)),
                            MakeTimeAccessor(&BitTorrentApplication::m_keepAlive),
                            MakeTimeChecker())
              .AddAttribute("Timeout", "Close a connection silent for this long (mainline: 300 s)",
                            TimeValue(Seconds(300)),
                            MakeTimeAccessor(&BitTorrentApplication::m_timeout), MakeTimeChecker())
              .AddAttribute("HandshakeTimeout",
                            "Close a connection whose handshake has not come after this long",
                            TimeValue(Seconds(30)),
                            MakeTimeAccessor(&BitTorrentApplication::m_handshakeTimeout),
                            MakeTimeChecker())
              .AddAttribute("AnnounceTimeout",
                            "Give up on a tracker announce not answered after this long",
                            TimeValue(Seconds(30)),
                            MakeTimeAccessor(&BitTorrentApplication::m_announceTimeout),
                            MakeTimeChecker(MilliSeconds(100)))
              .AddAttribute("SocketBuffer",
                            "TCP send and receive buffers of peer connections, bytes (0: ns-3's "
                            "default)",
                            UintegerValue(0),
                            MakeUintegerAccessor(&BitTorrentApplication::m_socketBuffer),
                            MakeUintegerChecker<uint32_t>())
              .AddAttribute("SegmentSize",
                            "TCP maximum segment size of peer connections, bytes (as the block "
                            "transport's: 1448, Ethernet's MTU less IP and TCP headers with "
                            "timestamps)",
                            UintegerValue(1448),
                            MakeUintegerAccessor(&BitTorrentApplication::m_segmentSize),
                            MakeUintegerChecker<uint32_t>(100))
              .AddAttribute("Choker", "The choking policy (ns3::Choker and its attributes)",
                            ObjectFactoryValue(FactoryOf(Choker::GetTypeId())),
                            MakeObjectFactoryAccessor(&BitTorrentApplication::m_chokerFactory),
                            MakeObjectFactoryChecker())
              .AddAttribute("PiecePicker",
                            "The piece selection policy (ns3::PiecePicker and its attributes)",
                            ObjectFactoryValue(FactoryOf(PiecePicker::GetTypeId())),
                            MakeObjectFactoryAccessor(&BitTorrentApplication::m_pickerFactory),
                            MakeObjectFactoryChecker())
              .AddTraceSource("ProtocolError", "A connection was closed for breaking the protocol",
                              MakeTraceSourceAccessor(&BitTorrentApplication::m_protocolErrorTrace),
                              "ns3::BitTorrentApplication::ProtocolErrorTracedCallback")
              .AddTraceSource("PieceVerified",
                              "A piece passed its SHA-1 check (from: who sent its highest block)",
                              MakeTraceSourceAccessor(&BitTorrentApplication::m_pieceVerifiedTrace),
                              "ns3::BitTorrentApplication::PieceTracedCallback")
              .AddTraceSource("PieceFailed",
                              "A piece failed its SHA-1 check and was discarded (traced once "
                              "per peer that sent blocks of it)",
                              MakeTraceSourceAccessor(&BitTorrentApplication::m_pieceFailedTrace),
                              "ns3::BitTorrentApplication::PieceTracedCallback");
    return tid;
}

BitTorrentApplication::BitTorrentApplication()
    : m_rng(CreateObject<UniformRandomVariable>())
{
}

BitTorrentApplication::~BitTorrentApplication() = default;

void
BitTorrentApplication::SetTorrent(const TorrentMetainfo& torrent)
{
    m_torrent = torrent;
    m_hasTorrent = true;
}

const TorrentMetainfo*
BitTorrentApplication::GetTorrent() const
{
    return m_hasTorrent ? &m_torrent : nullptr;
}

const PeerId&
BitTorrentApplication::GetPeerId() const
{
    return m_peerId;
}

uint32_t
BitTorrentApplication::GetConnectionCount() const
{
    uint32_t n = 0;
    for (const auto& [id, p] : m_peers)
    {
        n += p.handshakeDone;
    }
    return n;
}

uint64_t
BitTorrentApplication::GetProtocolErrorCount() const
{
    return m_protocolErrors;
}

uint32_t
BitTorrentApplication::GetPiecesHeld() const
{
    return m_piecesHeld;
}

Ptr<BitTorrentTracker>
BitTorrentApplication::GetTracker() const
{
    return m_trackerApp;
}

void
BitTorrentApplication::DoAssignStreams(int64_t stream)
{
    // Stream 0 of the block: peer id, tracker sampling and connection choices; the policies
    // take the next ones.
    m_rng->SetStream(stream);
    m_trackerStream = stream + 3;
}

void
BitTorrentApplication::ReceiveData(Ipv4Address, Ptr<Packet>)
{
}

bool
BitTorrentApplication::HasPiece(uint32_t piece) const
{
    return piece < m_havePiece.size() && m_havePiece[piece];
}

bool
BitTorrentApplication::IsSeeding() const
{
    return m_piecesHeld == m_havePiece.size();
}

void
BitTorrentApplication::DoStart()
{
    NS_ABORT_MSG_UNLESS(m_hasTorrent, "BitTorrentApplication needs its torrent (SetTorrent)");
    NS_ABORT_MSG_UNLESS(m_torrent.GetLength() == GetFileSize(),
                        "the torrent's " << m_torrent.GetLength() << " bytes are not the file's "
                                         << GetFileSize());
    NS_ABORT_MSG_UNLESS(GetBlockSize() == RequestBook::kBlockBytes,
                        "BitTorrent moves 16 KiB blocks: BlockSize must be 16384, not "
                            << GetBlockSize());
    NS_ABORT_MSG_IF(m_socketBuffer > 0 && m_socketBuffer < kMaxRequest + kPieceHeaderBytes,
                    "BitTorrentApplication: SocketBuffer "
                        << m_socketBuffer << " cannot hold one piece message ("
                        << kMaxRequest + kPieceHeaderBytes << " bytes): uploads would stall");
    NS_ABORT_MSG_UNLESS(m_torrent.GetPieceLength() % GetBlockSize() == 0,
                        "the torrent's piece length is not a multiple of 16 KiB");
    const uint32_t pieces = m_torrent.GetNumPieces();
    m_book = std::make_unique<RequestBook>(m_torrent.GetLength(), m_torrent.GetPieceLength());
    m_picker = m_pickerFactory.Create<PiecePicker>();
    m_choker = m_chokerFactory.Create<Choker>();
    if (GetStream(kProtocolStream) >= 0)
    {
        m_picker->AssignStreams(GetStream(kProtocolStream) + 1);
        m_choker->AssignStreams(GetStream(kProtocolStream) + 2);
    }
    m_picker->Initialize(pieces); // after AssignStreams: draws the random-first order
    if (!m_torrent.IsVirtual())
    {
        // Real bytes: with only the .torrent (no manifest), a piece's SHA-1 is the check.
        KeepBytesCheckedByProtocol();
    }
    m_havePiece.assign(pieces, false);
    m_piecesHeld = 0;
    if (IsSource())
    {
        m_havePiece.assign(pieces, true);
        m_piecesHeld = pieces;
        for (uint32_t p = 0; p < pieces; ++p)
        {
            m_book->PieceDone(p);
            m_picker->Completed(p);
        }
    }
    const std::string prefix = "-NB0001-";
    std::copy(prefix.begin(), prefix.end(), m_peerId.begin());
    for (size_t i = prefix.size(); i < m_peerId.size(); ++i)
    {
        m_peerId[i] = static_cast<uint8_t>(m_rng->GetInteger(0, 255));
    }
    if (m_tracker == Ipv4Address::GetAny())
    {
        m_tracker = GetSourceAddress();
    }
    NS_ABORT_MSG_IF(m_tracker == Ipv4Address::GetAny() || m_tracker == Ipv4Address(),
                    "BitTorrentApplication: no tracker address (set Tracker, or install with "
                    "OverlayHelper so that the source's address is known)");
    if (IsSource() && m_runTracker)
    {
        m_trackerApp = CreateObject<BitTorrentTracker>();
        m_trackerApp->SetAttribute("Port", UintegerValue(m_trackerPort));
        if (m_trackerStream >= 0)
        {
            m_trackerApp->AssignStreams(m_trackerStream);
        }
        GetNode()->AddApplication(m_trackerApp);
        // The seed beside its tracker registers directly: it needs no peers (others come to
        // it), and an announce to its own address need not be routable in a simulated host.
        m_trackerApp->AddPeer(m_torrent.GetInfoHash(), m_peerId, GetLocalAddress(), m_port, 0);
    }
    Listen();
    m_trackerInterval = m_rerequest;
    if (!m_trackerApp)
    {
        m_announceEventId = Simulator::ScheduleNow(&BitTorrentApplication::Announce, this,
                                                   AnnounceRequest::STARTED);
    }
    m_tick = Simulator::Schedule(m_rechokeInterval, &BitTorrentApplication::Tick, this);
}

void
BitTorrentApplication::DoStop()
{
    m_tick.Cancel();
    m_announceTimer.Cancel();
    m_announceEventId.Cancel();
    if (m_announceSocket)
    {
        TcpCloseGracefully(m_announceSocket, false);
        m_announceSocket = nullptr;
    }
    if (m_listener)
    {
        m_listener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                      MakeNullCallback<void, Ptr<Socket>, const Address&>());
        m_listener->Close();
        m_listener = nullptr;
    }
    for (auto& [id, peer] : m_peers)
    {
        TcpCloseGracefully(peer.socket, !peer.connected);
    }
    m_peers.clear();
    m_bySocket.clear();
    if (m_trackerApp)
    {
        m_trackerApp->SetStopTime(Seconds(0));
    }
}

void
BitTorrentApplication::DoDispose()
{
    m_listener = nullptr;
    m_announceSocket = nullptr;
    m_peers.clear();
    m_bySocket.clear();
    m_partial.clear();
    m_choker = nullptr;
    m_picker = nullptr;
    m_trackerApp = nullptr;
    m_rng = nullptr;
    FileDistributionApplication::DoDispose();
}

// ------------------------------------------------------------------ connections

Ptr<Socket>
BitTorrentApplication::CreateSocket() const
{
    Ptr<Socket> socket = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    socket->SetAttribute("SegmentSize", UintegerValue(m_segmentSize));
    if (m_socketBuffer > 0)
    {
        socket->SetAttribute("SndBufSize", UintegerValue(m_socketBuffer));
        socket->SetAttribute("RcvBufSize", UintegerValue(m_socketBuffer));
    }
    return socket;
}

void
BitTorrentApplication::Listen()
{
    // Accepted connections are forks of the listener: they inherit its settings.
    m_listener = CreateSocket();
    if (m_listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) != 0)
    {
        NS_FATAL_ERROR("BitTorrentApplication: cannot bind TCP port " << m_port);
    }
    m_listener->Listen();
    m_listener->SetAcceptCallback(
        MakeCallback(&BitTorrentApplication::HandleConnectionRequest, this),
        MakeCallback(&BitTorrentApplication::HandleAccept, this));
}

uint32_t
BitTorrentApplication::CountConnections() const
{
    return m_peers.size();
}

bool
BitTorrentApplication::IsConnectedTo(Ipv4Address address, uint16_t port) const
{
    for (const auto& [id, p] : m_peers)
    {
        if (p.address == address && (p.port == port || !p.outgoing))
        {
            return true;
        }
    }
    return false;
}

bool
BitTorrentApplication::HandleConnectionRequest(Ptr<Socket>, const Address& from)
{
    return CountConnections() < m_maxAllowIn
           && m_banned.count(InetSocketAddress::ConvertFrom(from).GetIpv4()) == 0;
}

void
BitTorrentApplication::HandleAccept(Ptr<Socket> socket, const Address& from)
{
    if (!m_listener)
    {
        TcpCloseGracefully(socket, false);
        return;
    }
    const uint32_t id = m_nextPeer++;
    Peer& peer = m_peers[id];
    peer.id = id;
    peer.socket = socket;
    peer.address = InetSocketAddress::ConvertFrom(from).GetIpv4();
    peer.outgoing = false;
    peer.connected = true;
    peer.parser
        = std::make_unique<BtStreamParser>(BtStreamParser::MaxLengthFor(m_torrent.GetNumPieces()));
    peer.lastReceived = Simulator::Now();
    peer.opened = Simulator::Now();
    peer.lastSent = Simulator::Now();
    peer.has.assign(m_torrent.GetNumPieces(), false);
    m_bySocket[socket] = id;
    socket->SetRecvCallback(MakeCallback(&BitTorrentApplication::HandleRead, this));
    socket->SetSendCallback(MakeCallback(&BitTorrentApplication::HandleSend, this));
    socket->SetCloseCallbacks(MakeCallback(&BitTorrentApplication::HandleClosed, this),
                              MakeCallback(&BitTorrentApplication::HandleClosed, this));
    NS_LOG_LOGIC(GetLocalAddress() << ": connection from " << peer.address);
    // The one who connected speaks first; we answer its handshake.
}

void
BitTorrentApplication::ConnectTo(Ipv4Address address, uint16_t port)
{
    Ptr<Socket> socket = CreateSocket();
    const uint32_t id = m_nextPeer++;
    Peer& peer = m_peers[id];
    peer.id = id;
    peer.socket = socket;
    peer.address = address;
    peer.port = port;
    peer.outgoing = true;
    peer.parser
        = std::make_unique<BtStreamParser>(BtStreamParser::MaxLengthFor(m_torrent.GetNumPieces()));
    peer.has.assign(m_torrent.GetNumPieces(), false);
    peer.lastReceived = Simulator::Now();
    peer.opened = Simulator::Now();
    peer.lastSent = Simulator::Now();
    m_bySocket[socket] = id;
    socket->Bind();
    socket->SetConnectCallback(MakeCallback(&BitTorrentApplication::HandleConnected, this),
                               MakeCallback(&BitTorrentApplication::HandleConnectFailed, this));
    socket->SetRecvCallback(MakeCallback(&BitTorrentApplication::HandleRead, this));
    socket->SetSendCallback(MakeCallback(&BitTorrentApplication::HandleSend, this));
    socket->SetCloseCallbacks(MakeCallback(&BitTorrentApplication::HandleClosed, this),
                              MakeCallback(&BitTorrentApplication::HandleClosed, this));
    socket->Connect(InetSocketAddress(address, port));
}

void
BitTorrentApplication::HandleConnected(Ptr<Socket> socket)
{
    Peer* peer = Find(socket);
    if (!peer)
    {
        return;
    }
    peer->connected = true;
    SendHandshake(*peer);
}

void
BitTorrentApplication::HandleConnectFailed(Ptr<Socket> socket)
{
    if (Peer* peer = Find(socket))
    {
        NS_LOG_LOGIC(GetLocalAddress() << ": cannot connect to " << peer->address);
        Drop(peer->id, "");
    }
}

void
BitTorrentApplication::HandleClosed(Ptr<Socket> socket)
{
    if (Peer* peer = Find(socket))
    {
        NS_LOG_LOGIC(GetLocalAddress() << ": " << peer->address << " closed the connection");
        Drop(peer->id, "");
    }
}

BitTorrentApplication::Peer*
BitTorrentApplication::Find(Ptr<Socket> socket)
{
    auto it = m_bySocket.find(socket);
    return it == m_bySocket.end() ? nullptr : FindPeer(it->second);
}

BitTorrentApplication::Peer*
BitTorrentApplication::FindPeer(uint32_t id)
{
    auto it = m_peers.find(id);
    return it == m_peers.end() ? nullptr : &it->second;
}

void
BitTorrentApplication::Drop(uint32_t id, const std::string& reason)
{
    auto it = m_peers.find(id);
    if (it == m_peers.end())
    {
        return;
    }
    Peer& peer = it->second;
    if (!reason.empty())
    {
        ++m_protocolErrors;
        NS_LOG_WARN(GetLocalAddress()
                    << ": closing the connection with " << peer.address << ": " << reason);
        m_protocolErrorTrace(peer.address, reason);
    }
    const bool mattered = peer.handshakeDone && !peer.amChoking && peer.peerInterested;
    if (peer.handshakeDone)
    {
        for (uint32_t p = 0; p < peer.has.size(); ++p)
        {
            if (peer.has[p])
            {
                m_picker->PeerLost(p);
            }
        }
        m_book->Forget(id);
        m_choker->RemovePeer(id);
    }
    Ptr<Socket> socket = peer.socket;
    const bool connecting = !peer.connected;
    m_bySocket.erase(socket);
    m_peers.erase(it);
    TcpCloseGracefully(socket, connecting);
    // Callbacks of this socket may still be running: hold it one event longer.
    Simulator::ScheduleNow([socket]() {});
    if (mattered)
    {
        Rechoke(false);
    }
    FillAllRequests();
}

// ------------------------------------------------------------------ messages

void
BitTorrentApplication::Send(Peer& peer, const BtMessageHeader& message, Ptr<Packet> payload)
{
    Ptr<Packet> p = payload ? payload : Create<Packet>(); // callers hand over fresh packets
    p->AddHeader(message);
    const uint32_t wire = p->GetSize();
    if (message.IsKeepAlive())
    {
        NotifyControlSent(peer.address, kTraceKeepAlive, wire);
    }
    else if (message.GetId() == BtMessageHeader::PIECE)
    {
        NotifyControlSent(peer.address, 0x100 + message.GetId(), kPieceHeaderBytes);
    }
    else
    {
        NotifyControlSent(peer.address, 0x100 + message.GetId(), wire);
    }
    peer.sendQueue.push_back(p);
    peer.lastSent = Simulator::Now();
    Flush(peer);
}

void
BitTorrentApplication::SendHandshake(Peer& peer)
{
    BtHandshake hs;
    hs.SetInfoHash(m_torrent.GetInfoHash());
    hs.SetPeerId(m_peerId);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(hs);
    peer.handshakeSent = true;
    NotifyControlSent(peer.address, kTraceHandshake, p->GetSize());
    peer.sendQueue.push_back(p);
    if (m_piecesHeld > 0)
    {
        std::vector<uint8_t> bits((m_havePiece.size() + 7) / 8, 0);
        for (uint32_t i = 0; i < m_havePiece.size(); ++i)
        {
            if (m_havePiece[i])
            {
                bits[i / 8] |= uint8_t(0x80 >> (i % 8));
            }
        }
        Send(peer, BtMessageHeader::Bitfield(std::move(bits)));
    }
    Flush(peer);
}

void
BitTorrentApplication::Flush(Peer& peer)
{
    if (!peer.connected)
    {
        return;
    }
    while (!peer.sendQueue.empty())
    {
        Ptr<Packet> p = peer.sendQueue.front();
        if (peer.socket->GetTxAvailable() < p->GetSize())
        {
            return;
        }
        if (peer.socket->Send(p) < 0)
        {
            return;
        }
        peer.sendQueue.pop_front();
    }
}

void
BitTorrentApplication::HandleSend(Ptr<Socket> socket, uint32_t)
{
    Peer* peer = Find(socket);
    if (!peer || !peer->connected)
    {
        return;
    }
    Flush(*peer);
    Serve(*peer);
}

void
BitTorrentApplication::Serve(Peer& peer)
{
    // One piece message at a time into the socket, as its buffer drains: the upload rate is
    // TCP's, and a choke finds little already committed.
    while (peer.sendQueue.empty() && !peer.uploads.empty() && !peer.amChoking)
    {
        const RequestBook::Block b = peer.uploads.front();
        if (peer.socket->GetTxAvailable() < b.length + kPieceHeaderBytes)
        {
            return;
        }
        peer.uploads.pop_front();
        Ptr<Packet> data = ReadPiece(b.piece, b.begin, b.length);
        Send(peer, BtMessageHeader::Piece(b.piece, b.begin, b.length), data);
        peer.up.Add(b.length, Simulator::Now());
        m_uploaded += b.length;
        if (b.begin % GetBlockSize() == 0)
        {
            const uint64_t offset = uint64_t(b.piece) * m_torrent.GetPieceLength() + b.begin;
            NotifyBlockSent(peer.address, offset / GetBlockSize(), b.length + kPieceHeaderBytes);
        }
    }
}

Ptr<Packet>
BitTorrentApplication::ReadPiece(uint32_t piece, uint32_t begin, uint32_t length) const
{
    const uint64_t start = uint64_t(piece) * m_torrent.GetPieceLength() + begin;
    const uint32_t bs = GetBlockSize();
    Ptr<Packet> out = Create<Packet>();
    uint64_t at = start;
    while (at < start + length)
    {
        const uint32_t block = at / bs;
        const uint32_t off = at % bs;
        Ptr<Packet> whole = MakeBlockPayload(block);
        const uint32_t take = std::min<uint64_t>(whole->GetSize() - off, start + length - at);
        if (off == 0 && take == whole->GetSize())
        {
            out->AddAtEnd(whole);
        }
        else
        {
            out->AddAtEnd(whole->CreateFragment(off, take));
        }
        at += take;
    }
    return out;
}

void
BitTorrentApplication::HandleRead(Ptr<Socket> socket)
{
    Peer* peer = Find(socket);
    if (!peer)
    {
        TcpDiscardReceived(socket);
        return;
    }
    const uint32_t id = peer->id;
    while (Ptr<Packet> p = socket->Recv())
    {
        if (p->GetSize() == 0)
        {
            break;
        }
        peer->parser->Append(p);
    }
    peer->lastReceived = Simulator::Now();
    for (;;)
    {
        peer = FindPeer(id);
        if (!peer)
        {
            return; // dropped while handling a message
        }
        const BtStreamParser::Result r = peer->parser->Next();
        if (r == BtStreamParser::NEED_MORE)
        {
            return;
        }
        if (r == BtStreamParser::ERROR)
        {
            Drop(id, peer->parser->GetError());
            return;
        }
        if (r == BtStreamParser::HANDSHAKE)
        {
            if (!HandleHandshake(*peer, peer->parser->GetHandshake()))
            {
                return;
            }
            continue;
        }
        const BtMessageHeader& m = peer->parser->GetMessage();
        const std::string error = HandleMessage(
            *peer, m,
            m.GetId() == BtMessageHeader::PIECE && !m.IsKeepAlive() ? peer->parser->GetPieceData()
                                                                    : nullptr);
        if (!error.empty())
        {
            Drop(id, error);
            return;
        }
    }
}

bool
BitTorrentApplication::HandleHandshake(Peer& peer, const BtHandshake& hs)
{
    const uint32_t id = peer.id;
    if (hs.GetInfoHash() != m_torrent.GetInfoHash())
    {
        Drop(id, "handshake for another torrent");
        return false;
    }
    if (hs.GetPeerId() == m_peerId)
    {
        Drop(id, ""); // connected to ourselves
        return false;
    }
    // A second connection with the same peer (both dialled at once): both ends keep the one
    // opened by the peer with the smaller id, so they agree without talking.
    for (auto& [otherId, other] : m_peers)
    {
        if (otherId != id && other.handshakeDone && other.remoteId == hs.GetPeerId())
        {
            const bool weOpenedThis = peer.outgoing;
            const bool weAreSmaller = m_peerId < hs.GetPeerId();
            const bool keepThis = weOpenedThis == weAreSmaller;
            Drop(keepThis ? otherId : id, "");
            if (!keepThis)
            {
                return false;
            }
            break;
        }
    }
    Peer* p = FindPeer(id);
    if (!p)
    {
        return false;
    }
    p->remoteId = hs.GetPeerId();
    p->handshakeDone = true;
    if (!p->outgoing)
    {
        SendHandshake(*p);
    }
    p->lastPiece = Simulator::Now();
    p->down.Add(0, Simulator::Now()); // the rates' clocks start with the connection
    p->up.Add(0, Simulator::Now());
    m_choker->AddPeer(id);
    NS_LOG_LOGIC(GetLocalAddress() << ": handshake done with " << p->address);
    Rechoke(false);
    return true;
}

std::string
BitTorrentApplication::HandleMessage(Peer& peer, const BtMessageHeader& m, Ptr<Packet> data)
{
    if (!peer.handshakeDone)
    {
        return "message before the handshake";
    }
    if (m.IsKeepAlive())
    {
        return "";
    }
    NS_LOG_LOGIC(GetLocalAddress()
                 << ": message " << uint32_t(m.GetId()) << " from " << peer.address);
    const uint32_t pieces = m_torrent.GetNumPieces();
    // Only BEP 3's own messages can come before a bitfield; extension messages (port,
    // BEP 10's 20, ...) neither count nor break the rule.
    const bool first = !peer.firstMessageSeen;
    if (m.GetId() <= BtMessageHeader::CANCEL)
    {
        peer.firstMessageSeen = true;
    }
    switch (m.GetId())
    {
        case BtMessageHeader::CHOKE:
            if (!peer.peerChoking)
            {
                peer.peerChoking = true;
                // What we asked of it will not come: let others have those blocks.
                m_book->Forget(peer.id);
                FillAllRequests();
            }
            return "";
        case BtMessageHeader::UNCHOKE:
            peer.peerChoking = false;
            FillRequests(peer);
            return "";
        case BtMessageHeader::INTERESTED:
        case BtMessageHeader::NOT_INTERESTED:
        {
            const bool interested = m.GetId() == BtMessageHeader::INTERESTED;
            if (peer.peerInterested != interested)
            {
                peer.peerInterested = interested;
                // Rechoke when an unchoked peer changes its mind (mainline), and when a choked
                // one becomes interested while an upload slot is free: mainline keeps the
                // uninterested peers ahead of its optimistic unchoke unchoked, so a new peer
                // starts at once instead of at the next round.
                if (!peer.amChoking || (interested && HasFreeUploadSlot()))
                {
                    Rechoke(false);
                }
            }
            return "";
        }
        case BtMessageHeader::HAVE:
        {
            const uint32_t p = m.GetPiece();
            if (p >= pieces)
            {
                return "have for piece " + std::to_string(p) + " of " + std::to_string(pieces);
            }
            if (!peer.has[p])
            {
                peer.has[p] = true;
                ++peer.hasCount;
                m_picker->PeerHas(p);
                if (!HasPiece(p) && !peer.amInterested)
                {
                    UpdateInterest(peer);
                }
                if (IsSeeding() && peer.hasCount == pieces)
                {
                    Drop(peer.id, ""); // two seeds have nothing to trade
                    return "";
                }
            }
            return "";
        }
        case BtMessageHeader::BITFIELD:
        {
            if (!first)
            {
                return "bitfield after other messages";
            }
            const std::vector<uint8_t>& bits = m.GetBitfield();
            const std::string bad = BtMessageHeader::CheckBitfield(bits, pieces);
            if (!bad.empty())
            {
                return bad;
            }
            for (uint32_t i = 0; i < pieces; ++i)
            {
                if ((bits[i / 8] & (0x80 >> (i % 8))) && !peer.has[i])
                {
                    peer.has[i] = true;
                    ++peer.hasCount;
                    m_picker->PeerHas(i);
                }
            }
            if (IsSeeding() && peer.hasCount == pieces)
            {
                Drop(peer.id, "");
                return "";
            }
            UpdateInterest(peer);
            return "";
        }
        case BtMessageHeader::REQUEST:
        {
            const uint32_t p = m.GetPiece();
            if (p >= pieces || m.GetRequestLength() == 0 || m.GetRequestLength() > kMaxRequest
                || uint64_t(m.GetBegin()) + m.GetRequestLength() > m_torrent.GetPieceBytes(p))
            {
                std::ostringstream why;
                why << "request for piece " << p << " bytes " << m.GetBegin() << "+"
                    << m.GetRequestLength() << " outside the torrent or longer than 16 KiB";
                return why.str();
            }
            if (peer.amChoking || !HasPiece(p))
            {
                return ""; // BEP 3: requests while choked are dropped; we do not have it
            }
            if (peer.uploads.size() >= kMaxQueuedRequests)
            {
                return ""; // a bounded queue; the peer asks again
            }
            peer.uploads.push_back({p, m.GetBegin(), m.GetRequestLength()});
            Serve(peer);
            return "";
        }
        case BtMessageHeader::CANCEL:
        {
            auto& q = peer.uploads;
            q.erase(std::remove_if(q.begin(), q.end(),
                                   [&m](const RequestBook::Block& b) {
                                       return b.piece == m.GetPiece() && b.begin == m.GetBegin()
                                              && b.length == m.GetRequestLength();
                                   }),
                    q.end());
            return "";
        }
        case BtMessageHeader::PIECE:
            return HandlePiece(peer, m, data);
        default:
            NS_LOG_LOGIC(GetLocalAddress() << ": ignoring " << BtMessageHeader::IdName(m.GetId())
                                           << " from " << peer.address);
            return "";
    }
}

std::string
BitTorrentApplication::HandlePiece(Peer& peer, const BtMessageHeader& m, Ptr<Packet> data)
{
    const uint32_t p = m.GetPiece();
    const uint32_t len = m.GetBlockLength();
    if (p >= m_torrent.GetNumPieces() || uint64_t(m.GetBegin()) + len > m_torrent.GetPieceBytes(p)
        || len == 0)
    {
        return "piece " + std::to_string(p) + " block outside the torrent";
    }
    const uint64_t offset = uint64_t(p) * m_torrent.GetPieceLength() + m.GetBegin();
    const uint32_t block = offset / GetBlockSize();
    const uint32_t wire = len + kPieceHeaderBytes;
    const RequestBook::Block b{p, m.GetBegin(), len};
    std::vector<uint32_t> cancelTo;
    // Only what we asked this peer for counts (as mainline's got_piece): a block pushed at
    // us, or one we cancelled, earns no rate and never enters a piece.
    const bool expected = !HasPiece(p) && m_book->IsOutstandingAt(peer.id, b)
                          && m_book->Received(peer.id, b, cancelTo);
    if (!expected)
    {
        // A copy in flight when we cancelled it, or never asked for: wasted bandwidth.
        NotifyDuplicate(peer.address, block, wire);
        FillRequests(peer);
        return "";
    }
    for (uint32_t other : cancelTo)
    {
        if (Peer* o = FindPeer(other))
        {
            // Received() already took the block off its books.
            Send(*o, BtMessageHeader::Cancel(b.piece, b.begin, b.length));
        }
    }
    const Time now = Simulator::Now();
    peer.down.Add(len, now);
    peer.lastPiece = now;
    peer.snubbed = false;
    m_downloaded += len;
    PartialPiece& partial = m_partial[p];
    partial.senders[m.GetBegin() / RequestBook::kBlockBytes] = peer.address;
    if (!m_torrent.IsVirtual())
    {
        partial.bytes.resize(m_torrent.GetPieceBytes(p));
        data->CopyData(partial.bytes.data() + m.GetBegin(), len);
    }
    const uint32_t id = peer.id;
    if (m_book->PieceFull(p))
    {
        CheckPiece(p);
    }
    if (Peer* again = FindPeer(id))
    {
        FillRequests(*again);
    }
    return "";
}

// ------------------------------------------------------------------ downloading

bool
BitTorrentApplication::WantsFrom(const Peer& peer) const
{
    if (IsSeeding())
    {
        return false;
    }
    for (uint32_t i = 0; i < peer.has.size(); ++i)
    {
        if (peer.has[i] && !m_havePiece[i])
        {
            return true;
        }
    }
    return false;
}

void
BitTorrentApplication::UpdateInterest(Peer& peer)
{
    const bool want = WantsFrom(peer);
    if (want == peer.amInterested)
    {
        return;
    }
    peer.amInterested = want;
    Send(peer, want ? BtMessageHeader::Interested() : BtMessageHeader::NotInterested());
    if (want)
    {
        FillRequests(peer);
    }
}

void
BitTorrentApplication::FillRequests(Peer& peer)
{
    if (!peer.handshakeDone || peer.peerChoking || !peer.amInterested || IsSeeding())
    {
        return;
    }
    auto peerHas = [&peer](uint32_t piece) {
        return bool(peer.has[piece]);
    };
    auto wanted = [this](uint32_t piece) {
        return !m_havePiece[piece] && m_book->HasUnrequested(piece);
    };
    if (!m_book->InEndgame())
    {
        m_endgame = false;
    }
    while (m_book->GetOutstanding(peer.id) < m_backlog)
    {
        if (m_book->InEndgame())
        {
            if (!m_endgame)
            {
                // Endgame starts: every unchoking peer gets its share, not only this one
                // (mainline's fix_download_endgame over all downloads).
                m_endgame = true;
                Simulator::ScheduleNow(&BitTorrentApplication::FillAllRequests, this);
            }
            const uint32_t room = m_backlog - m_book->GetOutstanding(peer.id);
            const auto more = m_book->EndgameRequests(peer.id, peerHas, room, [this](uint32_t n) {
                return m_rng->GetInteger(0, n - 1);
            });
            for (const auto& b : more)
            {
                Send(peer, BtMessageHeader::Request(b.piece, b.begin, b.length));
            }
            return;
        }
        const std::optional<uint32_t> piece = m_picker->Next(peerHas, wanted);
        if (!piece)
        {
            if (m_book->InEndgame())
            {
                continue;
            }
            return;
        }
        const std::optional<RequestBook::Block> b = m_book->RequestFrom(peer.id, *piece);
        if (!b)
        {
            return; // cannot happen: the picker only offers pieces with unrequested blocks
        }
        m_picker->Started(*piece);
        Send(peer, BtMessageHeader::Request(b->piece, b->begin, b->length));
    }
}

void
BitTorrentApplication::FillAllRequests()
{
    std::vector<uint32_t> ids;
    for (const auto& [id, p] : m_peers)
    {
        ids.push_back(id);
    }
    for (uint32_t id : ids)
    {
        if (Peer* p = FindPeer(id))
        {
            FillRequests(*p);
        }
    }
}

void
BitTorrentApplication::CheckPiece(uint32_t piece)
{
    PartialPiece partial = std::move(m_partial[piece]);
    m_partial.erase(piece);
    const auto& blocks = partial.senders;
    const Ipv4Address last = blocks.empty() ? Ipv4Address() : blocks.rbegin()->second;
    bool ok = blocks.size() == m_book->GetBlocksIn(piece);
    if (ok && !m_torrent.IsVirtual())
    {
        ok = m_torrent.VerifyPiece(piece, partial.bytes.data(), partial.bytes.size());
    }
    if (!ok)
    {
        NS_LOG_WARN(GetLocalAddress() << ": piece " << piece << " fails its SHA-1: discarded");
        CountRejected(blocks.size());
        m_book->PieceFailed(piece);
        m_picker->Failed(piece);
        std::set<Ipv4Address> senders;
        for (const auto& [index, entry] : blocks)
        {
            senders.insert(entry);
        }
        for (const Ipv4Address& sender : senders)
        {
            m_pieceFailedTrace(piece, sender);
        }
        if (senders.size() == 1)
        {
            Ban(*senders.begin()); // it sent the whole bad piece
        }
        else
        {
            // Shared: remember what each sent; when the piece passes, the peers whose
            // blocks differ from the good ones are the liars ("smart ban", as libtorrent).
            auto& suspects = m_suspects[piece];
            for (const auto& [index, sender] : blocks)
            {
                const uint32_t at = index * RequestBook::kBlockBytes;
                suspects.push_back(
                    {index, sender,
                     Sha1::Of(partial.bytes.data() + at, m_book->GetBlockLength(piece, index))});
            }
        }
        FillAllRequests();
        return;
    }
    if (auto it = m_suspects.find(piece); it != m_suspects.end())
    {
        for (const Suspect& suspect : it->second)
        {
            const uint32_t at = suspect.index * RequestBook::kBlockBytes;
            if (Sha1::Of(partial.bytes.data() + at, m_book->GetBlockLength(piece, suspect.index))
                != suspect.digest)
            {
                Ban(suspect.sender);
            }
        }
        m_suspects.erase(it);
    }
    m_book->PieceDone(piece);
    m_picker->Completed(piece);
    m_havePiece[piece] = true;
    ++m_piecesHeld;
    const uint32_t first = uint64_t(piece) * m_torrent.GetPieceLength() / GetBlockSize();
    for (const auto& [index, entry] : blocks)
    {
        const uint32_t bytes = m_book->GetBlockLength(piece, index);
        Ptr<Packet> payload
            = m_torrent.IsVirtual()
                  ? Create<Packet>(bytes)
                  : Create<Packet>(partial.bytes.data() + index * RequestBook::kBlockBytes, bytes);
        AcceptBlock(entry, first + index, payload, bytes + kPieceHeaderBytes);
    }
    m_pieceVerifiedTrace(piece, last);
    NS_LOG_LOGIC(GetLocalAddress() << ": piece " << piece << " verified, " << m_piecesHeld << "/"
                                   << m_havePiece.size());
    std::vector<uint32_t> ids;
    for (const auto& [id, p] : m_peers)
    {
        ids.push_back(id);
    }
    for (uint32_t id : ids)
    {
        Peer* p = FindPeer(id);
        if (!p || !p->handshakeSent)
        {
            continue; // its bitfield will say so
        }
        // Also to a peer whose handshake has not come yet: our bitfield went out before this.
        Send(*p, BtMessageHeader::Have(piece));
        if (p->handshakeDone && p->amInterested && p->has[piece])
        {
            UpdateInterest(*p);
        }
    }
    if (IsSeeding())
    {
        NS_LOG_INFO(GetLocalAddress() << " has every piece: seeding");
        Announce(AnnounceRequest::COMPLETED);
        for (uint32_t id : ids)
        {
            Peer* p = FindPeer(id);
            if (p && p->handshakeDone && p->hasCount == m_havePiece.size())
            {
                Drop(id, "");
            }
        }
        Rechoke(false);
    }
}

void
BitTorrentApplication::Ban(Ipv4Address address)
{
    if (!m_banned.insert(address).second)
    {
        return;
    }
    std::vector<uint32_t> ids;
    for (const auto& [id, p] : m_peers)
    {
        if (p.address == address)
        {
            ids.push_back(id);
        }
    }
    for (uint32_t id : ids)
    {
        Drop(id, "sent data that failed its SHA-1 check: banned");
    }
}

// ------------------------------------------------------------------ choking and timers

void
BitTorrentApplication::Rechoke(bool round)
{
    const Time now = Simulator::Now();
    std::vector<ChokerPeer> state;
    for (const auto& [id, p] : m_peers)
    {
        if (p.handshakeDone)
        {
            state.push_back(
                {id, p.peerInterested, p.snubbed, p.down.GetRate(now), p.up.GetRate(now)});
        }
    }
    const std::set<uint32_t> unchoke
        = round ? m_choker->Round(state, IsSeeding()) : m_choker->Decide(state, IsSeeding());
    for (const ChokerPeer& c : state)
    {
        Peer* p = FindPeer(c.id);
        if (!p)
        {
            continue;
        }
        const bool open = unchoke.count(c.id) > 0;
        if (open && p->amChoking)
        {
            p->amChoking = false;
            Send(*p, BtMessageHeader::Unchoke());
        }
        else if (!open && !p->amChoking)
        {
            p->amChoking = true;
            p->uploads.clear();
            Send(*p, BtMessageHeader::Choke());
        }
    }
}

bool
BitTorrentApplication::HasFreeUploadSlot() const
{
    uint32_t busy = 0;
    for (const auto& [id, p] : m_peers)
    {
        busy += p.handshakeDone && !p.amChoking && p.peerInterested;
    }
    return busy < m_choker->GetUploadSlots();
}

void
BitTorrentApplication::Tick()
{
    const Time now = Simulator::Now();
    std::vector<uint32_t> silent;
    for (auto& [id, p] : m_peers)
    {
        if (now - p.lastReceived >= m_timeout
            || (!p.handshakeDone && now - p.opened >= m_handshakeTimeout))
        {
            silent.push_back(id);
            continue;
        }
        if (!p.handshakeDone)
        {
            continue;
        }
        p.snubbed = m_book->GetOutstanding(id) > 0 && now - p.lastPiece >= m_snubTime;
        if (now - p.lastSent >= m_keepAlive)
        {
            Send(p, BtMessageHeader::KeepAlive());
        }
    }
    for (uint32_t id : silent)
    {
        Drop(id, "");
    }
    Rechoke(true);
    // Short of peers: ask the tracker again every RerequestInterval (mainline's check).
    if (!m_announceSocket && GetConnectionCount() < m_minPeers
        && now - m_lastAnnounce >= m_rerequest)
    {
        Announce(AnnounceRequest::NONE);
    }
    NS_LOG_INFO(GetLocalAddress() << ": round " << m_choker->GetRound() << ", " << m_peers.size()
                                  << " connections, " << m_piecesHeld << "/" << m_havePiece.size()
                                  << " pieces, uploaded " << m_uploaded << ", downloaded "
                                  << m_downloaded);
    m_tick = Simulator::Schedule(m_rechokeInterval, &BitTorrentApplication::Tick, this);
}

// ------------------------------------------------------------------ tracker client

void
BitTorrentApplication::ScheduleAnnounce(Time delay)
{
    m_announceEventId.Cancel();
    m_announceEventId = Simulator::Schedule(delay, [this]() {
        Announce(AnnounceRequest::NONE);
    });
}

void
BitTorrentApplication::Announce(AnnounceRequest::Event event)
{
    if (event == AnnounceRequest::COMPLETED)
    {
        if (m_completedAnnounced || IsSource())
        {
            return;
        }
        m_completedAnnounced = true;
    }
    if (m_announceSocket)
    {
        // One announce at a time; an event waits for the next one.
        if (event != AnnounceRequest::NONE)
        {
            m_pendingEvent = event;
        }
        return;
    }
    m_announceEventId.Cancel();
    m_announceEvent = event;
    m_lastAnnounce = Simulator::Now();
    m_announceSocket = CreateSocket();
    m_announceSocket->Bind();
    m_announceReader = std::make_unique<HttpMessageReader>(HttpMessageReader::RESPONSE);
    m_announceSocket->SetConnectCallback(
        MakeCallback(&BitTorrentApplication::AnnounceConnected, this),
        MakeCallback(&BitTorrentApplication::AnnounceFailed, this));
    m_announceSocket->SetRecvCallback(MakeCallback(&BitTorrentApplication::AnnounceRead, this));
    m_announceSocket->SetCloseCallbacks(MakeCallback(&BitTorrentApplication::AnnounceDone, this),
                                        MakeCallback(&BitTorrentApplication::AnnounceFailed, this));
    m_announceSocket->Connect(InetSocketAddress(m_tracker, m_trackerPort));
    m_announceTimer = Simulator::Schedule(m_announceTimeout, [this, socket = m_announceSocket]() {
        NS_LOG_INFO(GetLocalAddress() << ": the tracker did not answer");
        AnnounceFailed(socket);
    });
}

void
BitTorrentApplication::AnnounceConnected(Ptr<Socket> socket)
{
    AnnounceRequest req;
    req.infoHash = m_torrent.GetInfoHash();
    req.peerId = m_peerId;
    req.port = m_port;
    req.uploaded = m_uploaded;
    req.downloaded = m_downloaded;
    req.left = 0;
    for (uint32_t p = 0; p < m_havePiece.size(); ++p)
    {
        req.left += m_havePiece[p] ? 0 : m_torrent.GetPieceBytes(p);
    }
    req.event = m_announceEvent;
    req.numwant = m_numWant;
    std::ostringstream host;
    host << m_tracker << ":" << m_trackerPort;
    const std::string text = req.ToHttp(host.str());
    Ptr<Packet> p = Create<Packet>(reinterpret_cast<const uint8_t*>(text.data()), text.size());
    NotifyControlSent(m_tracker, kTraceAnnounce, text.size());
    socket->Send(p);
}

void
BitTorrentApplication::AnnounceFailed(Ptr<Socket> socket)
{
    if (socket != m_announceSocket)
    {
        return;
    }
    NS_LOG_INFO(GetLocalAddress() << ": announce to " << m_tracker << " failed");
    m_announceTimer.Cancel();
    TcpCloseGracefully(socket, true);
    m_announceSocket = nullptr;
    const AnnounceRequest::Event event = m_announceEvent;
    m_announceEventId = Simulator::Schedule(m_announceRetry, [this, event]() {
        Announce(event);
    });
}

void
BitTorrentApplication::AnnounceRead(Ptr<Socket> socket)
{
    if (socket != m_announceSocket)
    {
        TcpDiscardReceived(socket);
        return;
    }
    while (Ptr<Packet> p = socket->Recv())
    {
        if (p->GetSize() == 0)
        {
            break;
        }
        std::vector<uint8_t> bytes(p->GetSize());
        p->CopyData(bytes.data(), bytes.size());
        m_announceReader->Append(bytes.data(), bytes.size());
    }
    if (m_announceReader->IsComplete() || m_announceReader->HasError())
    {
        AnnounceDone(socket);
    }
}

void
BitTorrentApplication::AnnounceDone(Ptr<Socket> socket)
{
    if (socket != m_announceSocket)
    {
        return;
    }
    m_announceTimer.Cancel();
    m_announceReader->ConnectionClosed();
    std::unique_ptr<HttpMessageReader> reader = std::move(m_announceReader);
    TcpCloseGracefully(socket, false);
    Simulator::ScheduleNow([socket]() {});
    m_announceSocket = nullptr;
    Time next = m_announceRetry;
    try
    {
        if (reader->HasError() || !reader->IsComplete())
        {
            throw std::runtime_error(reader->HasError() ? reader->GetError() : "incomplete reply");
        }
        if (reader->GetStatus() != 200)
        {
            throw std::runtime_error("HTTP status " + std::to_string(reader->GetStatus()));
        }
        const AnnounceResponse r = AnnounceResponse::Parse(reader->GetBody());
        if (!r.failure.empty())
        {
            throw std::runtime_error("tracker failure: " + r.failure);
        }
        m_trackerInterval = Seconds(std::max<uint32_t>(r.interval, 1));
        uint32_t started = 0;
        for (const TrackerPeer& tp : r.peers)
        {
            if (CountConnections() >= m_maxInitiate)
            {
                break;
            }
            if ((tp.address == GetLocalAddress() && tp.port == m_port)
                || IsConnectedTo(tp.address, tp.port) || m_banned.count(tp.address))
            {
                continue;
            }
            ConnectTo(tp.address, tp.port);
            ++started;
        }
        NS_LOG_INFO(GetLocalAddress() << ": tracker returned " << r.peers.size()
                                      << " peers, connecting to " << started);
        next = GetConnectionCount() < m_minPeers ? std::min(m_rerequest, m_trackerInterval)
                                                 : m_trackerInterval;
    }
    catch (const std::exception& e)
    {
        NS_LOG_WARN(GetLocalAddress() << ": announce failed: " << e.what());
        if (m_announceEvent != AnnounceRequest::NONE && m_pendingEvent == AnnounceRequest::NONE)
        {
            m_pendingRetry = m_announceEvent; // started or completed: say it again
        }
    }
    if (m_pendingEvent != AnnounceRequest::NONE)
    {
        const AnnounceRequest::Event event = m_pendingEvent;
        m_pendingEvent = AnnounceRequest::NONE;
        Announce(event);
        return;
    }
    if (m_pendingRetry != AnnounceRequest::NONE)
    {
        const AnnounceRequest::Event event = m_pendingRetry;
        m_pendingRetry = AnnounceRequest::NONE;
        m_announceEventId = Simulator::Schedule(m_announceRetry, [this, event]() {
            Announce(event);
        });
        return;
    }
    ScheduleAnnounce(next);
}

} // namespace ns3
