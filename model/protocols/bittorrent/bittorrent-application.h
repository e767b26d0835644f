/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BITTORRENT_APPLICATION_H
#define BULLET_BITTORRENT_APPLICATION_H

#include "ns3/choker.h"
#include "ns3/event-id.h"
#include "ns3/file-distribution-application.h"
#include "ns3/object-factory.h"
#include "ns3/peer-wire.h"
#include "ns3/piece-picker.h"
#include "ns3/rate-meter.h"
#include "ns3/request-book.h"
#include "ns3/sha1.h"
#include "ns3/socket.h"
#include "ns3/torrent-metainfo.h"
#include "ns3/tracker-protocol.h"

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ns3
{

class BitTorrentTracker;

/**
 * \ingroup bullet
 * \brief A BitTorrent peer (BEP 3) with the mainline client's algorithms, on ns-3 TCP sockets
 * whose bytes are the real protocol's, so that it can trade pieces with real clients in
 * emulation. The rival of Bullet' in the 2008 paper (Section 5).
 *
 * - Metainfo: the torrent (SetTorrent) names the pieces (256 KiB by default) and their SHA-1
 *   hashes. A piece counts only once its SHA-1 matches: its 16 KiB blocks are then booked as
 *   the file's blocks (FileDistributionApplication; BlockSize must be 16384). A piece that
 *   fails is discarded, counted (GetRejectedBlocks) and fetched again. A peer that sent a
 *   failed piece alone is banned (disconnected, never accepted or dialled again); of a failed
 *   piece several peers sent, the digest of each one's blocks is kept, and when the piece
 *   passes, those whose blocks differ from the good ones are banned ("smart ban").
 * - Tracker: HTTP announces to Tracker:TrackerPort (by default the source's address, where
 *   the source runs a BitTorrentTracker when RunTracker is set): `started` at start,
 *   `completed` on completion, again after the tracker's interval, or after
 *   RerequestInterval while the peer has fewer than MinPeers connections. It connects to
 *   the peers returned, up to MaxInitiate connections, and accepts up to MaxAllowIn.
 * - Wire: handshake (info hash, peer id), bitfield, then choke, unchoke, interested, not
 *   interested, have, request, piece, cancel, keep-alive. A connection that breaks the
 *   protocol (bad framing, wrong info hash, a bitfield of the wrong size or not first, a
 *   request larger than 16 KiB or outside a piece, an index beyond the file) is closed and
 *   the reason traced (ProtocolError). Unknown message ids (extensions) are ignored.
 * - Choking (Choker): every RechokeInterval the best RegularUnchokes interested uploaders to
 *   us (upload rate when seeding), plus an optimistic unchoke rotated every third round, new
 *   connections three times as likely to get it; a peer that sent us nothing for SnubTime
 *   while we had requests outstanding is snubbed (not preferred).
 * - Requests (PiecePicker, RequestBook): RequestBacklog 16 KiB requests outstanding per
 *   unchoking peer; the first pieces in random order, then rarest-first with random ties,
 *   strict priority for pieces already started; endgame once every missing block is
 *   requested: outstanding blocks requested from every peer that has them, cancels on arrival.
 * - Nodes stay after completing and seed.
 *
 * Payloads: real bytes from the source's content or the receiver's verified blocks; with a
 * virtual torrent (made from virtual content) pieces are zeros of the right length and only
 * their lengths are checked.
 */
class BitTorrentApplication : public FileDistributionApplication
{
  public:
    /// Control trace types: 0x100 + wire message id; these for the rest.
    static constexpr uint16_t kTraceHandshake = 0x1ff;
    static constexpr uint16_t kTraceKeepAlive = 0x1fe;
    static constexpr uint16_t kTraceAnnounce = 0x1fd;

    static TypeId GetTypeId();
    BitTorrentApplication();
    ~BitTorrentApplication() override;

    /// The torrent (as a .torrent reaches a user); set before start.
    void SetTorrent(const TorrentMetainfo& torrent);
    /// The torrent, or null before SetTorrent.
    const TorrentMetainfo* GetTorrent() const;
    /// This peer's id (after start): "-NB0001-" and 12 random bytes.
    const PeerId& GetPeerId() const;
    /// Connections past the handshake.
    uint32_t GetConnectionCount() const;
    /// Connections closed for breaking the protocol.
    uint64_t GetProtocolErrorCount() const;
    /// Pieces verified so far.
    uint32_t GetPiecesHeld() const;
    /// The tracker this node runs (the source with RunTracker), or null.
    Ptr<BitTorrentTracker> GetTracker() const;

    /// (peer, reason)
    using ProtocolErrorTracedCallback = void (*)(Ipv4Address peer, const std::string& reason);
    /// (piece, from)
    using PieceTracedCallback = void (*)(uint32_t piece, Ipv4Address from);

  protected:
    void DoStart() override;
    void DoStop() override;
    void DoDispose() override;
    void DoAssignStreams(int64_t stream) override;
    /// Unused: BitTorrent talks over its own sockets.
    void ReceiveData(Ipv4Address from, Ptr<Packet> packet) override;

  private:
    /// One connection to another peer.
    struct Peer
    {
        uint32_t id{0};
        Ptr<Socket> socket;
        Ipv4Address address;
        uint16_t port{0}; ///< its listening port, if known
        bool outgoing{false};
        bool connected{false};
        bool handshakeSent{false}; ///< our handshake and bitfield went out
        bool handshakeDone{false};
        Time opened; ///< when the connection was made
        bool firstMessageSeen{false};
        PeerId remoteId{};
        std::unique_ptr<BtStreamParser> parser;
        bool amChoking{true};
        bool amInterested{false};
        bool peerChoking{true};
        bool peerInterested{false};
        bool snubbed{false};
        std::vector<bool> has;
        uint32_t hasCount{0};
        RateMeter down; ///< piece bytes from it
        RateMeter up;   ///< piece bytes to it
        Time lastPiece;
        Time lastReceived;
        Time lastSent;
        std::deque<RequestBook::Block> uploads; ///< its requests, to serve in order
        std::deque<Ptr<Packet>> sendQueue;      ///< bytes waiting for room in the socket
    };

    // Connections
    /// A TCP socket with this peer's settings (segment size, buffers).
    Ptr<Socket> CreateSocket() const;
    void Listen();
    void ConnectTo(Ipv4Address address, uint16_t port);
    bool HandleConnectionRequest(Ptr<Socket> socket, const Address& from);
    void HandleAccept(Ptr<Socket> socket, const Address& from);
    void HandleConnected(Ptr<Socket> socket);
    void HandleConnectFailed(Ptr<Socket> socket);
    void HandleRead(Ptr<Socket> socket);
    void HandleSend(Ptr<Socket> socket, uint32_t available);
    void HandleClosed(Ptr<Socket> socket);
    Peer* Find(Ptr<Socket> socket);
    Peer* FindPeer(uint32_t id);
    /// Closes and forgets a connection; \p reason non-empty: a protocol error.
    void Drop(uint32_t id, const std::string& reason);
    bool IsConnectedTo(Ipv4Address address, uint16_t port) const;
    uint32_t CountConnections() const;

    // Messages
    /// Queues \p message (and \p payload, which it takes over and puts the header on).
    void Send(Peer& peer, const BtMessageHeader& message, Ptr<Packet> payload = nullptr);
    void SendHandshake(Peer& peer);
    void Flush(Peer& peer);
    void Serve(Peer& peer);
    bool HandleHandshake(Peer& peer, const BtHandshake& handshake);
    /// \returns an error reason, or "" if the message was fine
    std::string HandleMessage(Peer& peer, const BtMessageHeader& message, Ptr<Packet> data);
    std::string HandlePiece(Peer& peer, const BtMessageHeader& message, Ptr<Packet> data);

    // Downloading
    void UpdateInterest(Peer& peer);
    bool WantsFrom(const Peer& peer) const;
    void FillRequests(Peer& peer);
    void FillAllRequests();
    void CheckPiece(uint32_t piece);
    /// Closes every connection with \p address and refuses it from now on.
    void Ban(Ipv4Address address);
    /// The bytes [begin, begin + length) of a piece this node holds.
    Ptr<Packet> ReadPiece(uint32_t piece, uint32_t begin, uint32_t length) const;
    bool HasPiece(uint32_t piece) const;
    bool IsSeeding() const;

    // Choking and timers
    void Rechoke(bool round);
    /// Fewer interested peers unchoked than the choker's regular and optimistic slots.
    bool HasFreeUploadSlot() const;
    void Tick();

    // Tracker client
    void Announce(AnnounceRequest::Event event);
    void AnnounceConnected(Ptr<Socket> socket);
    void AnnounceFailed(Ptr<Socket> socket);
    void AnnounceRead(Ptr<Socket> socket);
    void AnnounceDone(Ptr<Socket> socket);
    void ScheduleAnnounce(Time delay);

    TorrentMetainfo m_torrent;
    bool m_hasTorrent{false};
    PeerId m_peerId{};

    // Attributes
    uint16_t m_port;
    uint16_t m_trackerPort;
    Ipv4Address m_tracker;
    bool m_runTracker;
    uint32_t m_backlog;
    uint32_t m_maxInitiate;
    uint32_t m_maxAllowIn;
    uint32_t m_minPeers;
    uint32_t m_numWant;
    Time m_rerequest;
    Time m_announceRetry;
    Time m_rechokeInterval;
    Time m_snubTime;
    Time m_keepAlive;
    Time m_timeout;
    uint32_t m_socketBuffer;
    uint32_t m_segmentSize;
    ObjectFactory m_chokerFactory;
    ObjectFactory m_pickerFactory;

    Ptr<Socket> m_listener;
    std::map<uint32_t, Peer> m_peers;
    std::map<Ptr<Socket>, uint32_t> m_bySocket;
    uint32_t m_nextPeer{1};
    Ptr<Choker> m_choker;
    Ptr<PiecePicker> m_picker;
    std::unique_ptr<RequestBook> m_book;
    std::vector<bool> m_havePiece;
    uint32_t m_piecesHeld{0};
    /// A piece being downloaded: its bytes (a real torrent's only) and who sent each block.
    struct PartialPiece
    {
        std::vector<uint8_t> bytes;              ///< the piece, filled as blocks arrive
        std::map<uint32_t, Ipv4Address> senders; ///< block index within the piece -> sender
    };
    /// Pieces being downloaded. Their bytes are copied out of the received packets: a block
    /// kept as a fragment would pin the whole packet TCP handed over.
    std::map<uint32_t, PartialPiece> m_partial;
    Ptr<UniformRandomVariable> m_rng;
    /// A block of a failed piece that several peers sent: who sent it and its digest.
    struct Suspect
    {
        uint32_t index;
        Ipv4Address sender;
        Sha1Digest digest;
    };
    /// Failed shared pieces: what each sender sent, judged when the piece passes.
    std::map<uint32_t, std::vector<Suspect>> m_suspects;
    std::set<Ipv4Address> m_banned;
    Ptr<BitTorrentTracker> m_trackerApp;
    int64_t m_trackerStream{-1};

    // Tracker client
    Ptr<Socket> m_announceSocket;
    std::unique_ptr<HttpMessageReader> m_announceReader;
    AnnounceRequest::Event m_announceEvent{AnnounceRequest::NONE};
    AnnounceRequest::Event m_pendingEvent{AnnounceRequest::NONE};
    EventId m_announceEventId;
    EventId m_announceTimer; ///< gives up on an unanswered announce
    Time m_lastAnnounce;
    Time m_announceTimeout;
    Time m_handshakeTimeout;
    AnnounceRequest::Event m_pendingRetry{AnnounceRequest::NONE};
    bool m_endgame{false}; ///< endgame began (every peer has been given its requests)
    Time m_trackerInterval;
    bool m_completedAnnounced{false};

    EventId m_tick;
    uint64_t m_protocolErrors{0};
    uint64_t m_uploaded{0};
    uint64_t m_downloaded{0};

    TracedCallback<Ipv4Address, const std::string&> m_protocolErrorTrace;
    TracedCallback<uint32_t, Ipv4Address> m_pieceVerifiedTrace;
    TracedCallback<uint32_t, Ipv4Address> m_pieceFailedTrace;
};

} // namespace ns3

#endif // BULLET_BITTORRENT_APPLICATION_H
