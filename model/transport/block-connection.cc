/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "block-connection.h"

#include "tcp-socket-close.h"

#include "ns3/block-transport.h"
#include "ns3/inet-endpoint.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("BlockConnection");

NS_OBJECT_ENSURE_REGISTERED(BlockConnection);

TypeId
BlockConnection::GetTypeId()
{
    static TypeId tid = TypeId("ns3::BlockConnection").SetParent<Object>().SetGroupName("Bullet");
    return tid;
}

BlockConnection::BlockConnection()
{
    NS_LOG_FUNCTION(this);
}

BlockConnection::~BlockConnection()
{
    NS_LOG_FUNCTION(this);
}

void
BlockConnection::DoDispose()
{
    NS_LOG_FUNCTION(this);
    // Only detach: at dispose time the node's TCP stack may already be gone, so the socket
    // is not closed here (BlockTransport::Close()/CloseAll() close sockets while running).
    // A socket already closed keeps the Discard callback CloseSocket() gave it: it may still
    // receive, and must still be read.
    if (m_state != CLOSED)
    {
        DetachSocket();
    }
    m_state = CLOSED;
    ClearQueues();
    m_transport = nullptr;
    m_socket = nullptr;
    Object::DoDispose();
}

const InetSocketAddress&
BlockConnection::GetPeer() const
{
    return m_peer;
}

bool
BlockConnection::HasPeer() const
{
    return m_hasPeer;
}

BlockConnection::State
BlockConnection::GetState() const
{
    return m_state;
}

bool
BlockConnection::IsOutgoing() const
{
    return m_outgoing;
}

bool
BlockConnection::IsUp() const
{
    return m_state == OPEN && (m_outgoing || m_helloReceived);
}

Ptr<Socket>
BlockConnection::GetSocket() const
{
    return m_socket;
}

uint32_t
BlockConnection::GetQueuedBlocks() const
{
    return m_blocks.size();
}

uint32_t
BlockConnection::GetQueuedControl() const
{
    return m_control.size();
}

uint64_t
BlockConnection::GetQueuedBytes() const
{
    return m_queuedBytes;
}

Time
BlockConnection::GetIdleTime() const
{
    return m_idle ? m_idleTotal + (Simulator::Now() - m_idleSince) : m_idleTotal;
}

bool
BlockConnection::IsIdle() const
{
    return m_idle;
}

uint32_t
BlockConnection::GetLastInFront() const
{
    return m_lastInFront;
}

Time
BlockConnection::GetLastWasted() const
{
    return m_lastWasted;
}

uint64_t
BlockConnection::GetBlocksSent() const
{
    return m_blocksSent;
}

uint64_t
BlockConnection::GetMessagesSent() const
{
    return m_messagesSent;
}

uint64_t
BlockConnection::GetMessagesReceived() const
{
    return m_messagesReceived;
}

uint64_t
BlockConnection::GetBytesSent() const
{
    return m_bytesSent;
}

uint64_t
BlockConnection::GetBytesReceived() const
{
    return m_bytesReceived;
}

void
BlockConnection::SetupOutgoing(BlockTransport* transport, Ptr<Socket> socket,
                               const InetSocketAddress& peer)
{
    NS_LOG_FUNCTION(this << socket << FormatEndpoint(peer));
    m_peer = peer;
    m_hasPeer = true;
    m_remote = peer;
    m_outgoing = true;
    Attach(transport, socket);
    m_state = CONNECTING;
    socket->SetConnectCallback(MakeCallback(&BlockConnection::ConnectSucceeded, this),
                               MakeCallback(&BlockConnection::ConnectFailed, this));
}

void
BlockConnection::SetupAccepted(BlockTransport* transport, Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    m_outgoing = false;
    Attach(transport, socket);
    Address remote;
    if (socket->GetPeerName(remote) == 0 && InetSocketAddress::IsMatchingType(remote))
    {
        m_remote = InetSocketAddress::ConvertFrom(remote);
    }
    m_state = OPEN;
    Opened();
}

void
BlockConnection::Attach(BlockTransport* transport, Ptr<Socket> socket)
{
    m_transport = transport;
    m_socket = socket;
    m_decoder.SetMaxBodySize(transport->m_maxMessageSize);
    m_decoder.SetTypeFilter([this](uint16_t type) {
        return type == BlockTransport::kHelloType || type == BlockTransport::kByeType
               || (m_transport && m_transport->IsKnownType(type));
    });
    socket->SetRecvCallback(MakeCallback(&BlockConnection::DataReady, this));
    socket->SetSendCallback(MakeCallback(&BlockConnection::SendReady, this));
    socket->SetCloseCallbacks(MakeCallback(&BlockConnection::NormalClose, this),
                              MakeCallback(&BlockConnection::ErrorClose, this));
}

void
BlockConnection::Opened()
{
    NS_LOG_FUNCTION(this);
    Ptr<BlockConnection> self = this;
    m_lastActivity = Simulator::Now();
    BlockHelloHeader hello;
    InetSocketAddress me = m_transport->GetLocalIdentity();
    hello.address = me.GetIpv4();
    hello.port = me.GetPort();
    Ptr<Packet> body = Create<Packet>();
    body->AddHeader(hello);
    uint32_t size = BlockFrameHeader::kBaseSize + body->GetSize();
    m_control.push_front(
        Pending{BlockTransport::kHelloType, body, false, 0, Simulator::Now(), Time()});
    m_queuedBytes += size;
    TrySend();
    // An accepted socket may already hold data that arrived before its callbacks were set.
    if (m_state == OPEN && !m_outgoing)
    {
        DataReady(m_socket);
    }
}

void
BlockConnection::StartConnect()
{
    NS_LOG_FUNCTION(this);
    if (m_state != CONNECTING)
    {
        return; // closed before the dial started
    }
    if (m_socket->Bind() != 0 || m_socket->Connect(m_peer) != 0)
    {
        Fail("cannot start connecting, errno " + std::to_string(m_socket->GetErrno()), false);
    }
}

void
BlockConnection::ConnectSucceeded(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    Ptr<BlockConnection> self = this;
    m_state = OPEN;
    // The hello goes first: queue it before the protocol hears the peer is up and sends.
    Opened();
    if (m_state == OPEN)
    {
        m_transport->ConnectionOpened(this);
    }
}

void
BlockConnection::ConnectFailed(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    Ptr<BlockConnection> self = this;
    ConnectFailure(socket);
}

void
BlockConnection::ConnectFailure(Ptr<Socket> socket)
{
    std::ostringstream reason;
    reason << "connecting to " << FormatEndpoint(m_peer) << " failed, errno " << socket->GetErrno();
    Fail(reason.str(), false);
}

void
BlockConnection::Enqueue(uint16_t type, Ptr<const Packet> body, bool block, int64_t inFront)
{
    NS_LOG_FUNCTION(this << type << body->GetSize() << block << inFront);
    Ptr<BlockConnection> self = this;
    m_lastActivity = Simulator::Now();
    Ptr<Packet> copy = body->Copy();
    // Tags do not survive a byte stream meaningfully (TCP merges and splits packets), and a
    // forwarded block would otherwise carry its old feedback tag into the next frame.
    copy->RemoveAllPacketTags();
    copy->RemoveAllByteTags();
    Pending p{type, copy, block, 0, Simulator::Now(), Time()};
    uint32_t frameSize = (block ? BlockFrameHeader::kBaseSize + BlockFrameHeader::kFeedbackSize
                                : BlockFrameHeader::kBaseSize)
                         + body->GetSize();
    m_queuedBytes += frameSize;
    if (block)
    {
        p.inFront = inFront >= 0 ? static_cast<uint32_t>(inFront) : m_blocks.size();
        m_lastInFront = p.inFront;
        m_transport->m_inFrontTrace(m_peer, p.inFront);
        if (m_idle)
        {
            // This block ends an idle period: the receiver asked for too little.
            Time idle = Simulator::Now() - m_idleSince;
            m_idleTotal += idle;
            m_idle = false;
            p.idleBefore = idle;
            m_transport->m_idleTrace(m_peer, idle);
        }
        m_blocks.push_back(p);
        m_transport->m_queueLengthTrace(m_peer, m_blocks.size());
    }
    else
    {
        m_control.push_back(p);
    }
    TrySend();
}

void
BlockConnection::MoveQueueTo(Ptr<BlockConnection> other)
{
    NS_LOG_FUNCTION(this << other);
    uint64_t moved = m_queuedBytes;
    if (m_current)
    {
        moved -= m_current->GetSize() - m_currentOffset;
    }
    for (auto& p : m_control)
    {
        // The transport's own messages belong to this connection, not to the peer.
        if (p.type != BlockTransport::kHelloType && p.type != BlockTransport::kByeType)
        {
            other->m_control.push_back(p);
        }
        else
        {
            moved -= BlockFrameHeader::kBaseSize + p.body->GetSize();
        }
    }
    for (auto& p : m_blocks)
    {
        other->m_blocks.push_back(p);
    }
    other->m_queuedBytes += moved;
    m_queuedBytes -= moved;
    m_control.clear();
    m_blocks.clear();
    other->TrySend();
}

void
BlockConnection::SendReady(Ptr<Socket> socket, uint32_t available)
{
    NS_LOG_FUNCTION(this << socket << available);
    Ptr<BlockConnection> self = this;
    TrySend();
}

bool
BlockConnection::Dequeue()
{
    Pending p;
    bool block;
    if (!m_control.empty())
    {
        p = m_control.front();
        m_control.pop_front();
        block = false;
    }
    else if (!m_blocks.empty())
    {
        p = m_blocks.front();
        m_blocks.pop_front();
        block = true;
    }
    else
    {
        return false;
    }
    BlockFrameHeader header;
    header.SetType(p.type);
    if (block)
    {
        Time wasted = (Simulator::Now() - p.enqueued) - p.idleBefore;
        header.SetBlockFeedback(p.inFront, wasted);
        m_lastWasted = wasted;
    }
    m_current = FrameDecoder::Encode(header, p.body);
    m_currentOffset = 0;
    m_currentIsBlock = block;
    m_currentType = p.type;
    m_currentBodySize = p.body->GetSize();
    if (block)
    {
        NS_LOG_LOGIC("block to " << FormatEndpoint(m_peer) << " in_front=" << p.inFront
                                 << " wasted=" << m_lastWasted.As(Time::MS));
        m_transport->m_wastedTrace(m_peer, m_lastWasted);
        m_transport->m_queueLengthTrace(m_peer, m_blocks.size());
        if (!m_transport->m_blockDequeued.IsNull())
        {
            m_transport->m_blockDequeued(m_peer, m_blocks.size());
        }
    }
    return true;
}

void
BlockConnection::TrySend()
{
    if (m_state != OPEN || m_sending || !m_transport)
    {
        return;
    }
    Ptr<BlockConnection> self = this;
    m_sending = true;
    while (m_state == OPEN)
    {
        if (!m_current && !Dequeue())
        {
            CheckIdle();
            if (m_closeWhenDrained)
            {
                // Retired by the peer's bye: all we had is written, close our side.
                m_sending = false;
                Fail("retired for idleness by the peer", false);
                return;
            }
            break;
        }
        if (m_state != OPEN || !m_current)
        {
            break; // a callback closed the connection
        }
        uint32_t available = m_socket->GetTxAvailable();
        if (available == 0)
        {
            break; // SendReady() resumes
        }
        uint32_t left = m_current->GetSize() - m_currentOffset;
        uint32_t n = std::min(available, left);
        Ptr<Packet> piece = (m_currentOffset == 0 && n == left)
                                ? m_current
                                : m_current->CreateFragment(m_currentOffset, n);
        if (m_socket->Send(piece) < 0)
        {
            NS_LOG_WARN("socket refused " << n << " bytes to " << FormatEndpoint(m_peer)
                                          << ", errno " << m_socket->GetErrno());
            break;
        }
        m_currentOffset += n;
        m_bytesSent += n;
        m_queuedBytes -= n;
        if (m_currentOffset == m_current->GetSize())
        {
            ++m_messagesSent;
            if (m_currentIsBlock)
            {
                ++m_blocksSent;
            }
            m_transport->m_txTrace(m_peer, m_currentType, m_currentBodySize);
            m_current = nullptr;
        }
    }
    m_sending = false;
}

void
BlockConnection::CheckIdle()
{
    if (m_idle || m_blocksSent == 0 || !m_blocks.empty() || (m_current && m_currentIsBlock))
    {
        return;
    }
    uint32_t need = m_transport->m_idleWhenEmpty ? m_transport->m_sndBufSize : 1;
    if (m_socket->GetTxAvailable() >= need)
    {
        NS_LOG_LOGIC("pipe to " << FormatEndpoint(m_peer) << " idle");
        m_idle = true;
        m_idleSince = Simulator::Now();
    }
}

void
BlockConnection::DataReady(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    if (m_transport && !m_transport->IsReading())
    {
        return; // a hung peer (BlockTransport::SetReading): the bytes wait in the socket
    }
    Ptr<BlockConnection> self = this;
    while (m_state == OPEN)
    {
        Ptr<Packet> data = socket->Recv();
        if (!data || data->GetSize() == 0)
        {
            break;
        }
        m_bytesReceived += data->GetSize();
        m_lastActivity = Simulator::Now();
        std::vector<FrameDecoder::Frame> frames;
        bool ok = m_decoder.Feed(data, frames);
        for (auto& frame : frames)
        {
            if (m_state != OPEN)
            {
                return;
            }
            Deliver(frame);
        }
        if (!ok && m_state == OPEN)
        {
            Fail(m_decoder.GetError(), true);
        }
    }
    if (m_finPending && m_state == OPEN)
    {
        m_finPending = false;
        Fail("closed by peer", false);
    }
}

void
BlockConnection::Deliver(FrameDecoder::Frame& frame)
{
    uint16_t type = frame.header.GetType();
    if (type == BlockTransport::kHelloType)
    {
        if (m_helloReceived)
        {
            Fail("second hello", true);
            return;
        }
        if (frame.body->GetSize() != BlockHelloHeader::kSize || frame.header.IsBlock())
        {
            Fail("hello of " + std::to_string(frame.body->GetSize()) + " bytes", true);
            return;
        }
        BlockHelloHeader hello;
        frame.body->PeekHeader(hello);
        if (!hello.IsValid())
        {
            Fail("bad hello: " + hello.GetError(), true);
            return;
        }
        m_helloReceived = true;
        if (!m_outgoing)
        {
            m_peer = InetSocketAddress(hello.address, hello.port);
            m_hasPeer = true;
            NS_LOG_INFO("hello from " << hello.address << ":" << hello.port);
            m_transport->HelloReceived(this, m_peer);
        }
        return;
    }
    if (!m_helloReceived)
    {
        Fail("message type " + std::to_string(type) + " before hello", true);
        return;
    }
    if (type == BlockTransport::kByeType)
    {
        if (frame.body->GetSize() != 0 || frame.header.IsBlock() || m_closeWhenDrained)
        {
            Fail(m_closeWhenDrained ? "second bye" : "bye with a body", true);
            return;
        }
        m_transport->ByeReceived(this);
        return;
    }
    if (frame.header.IsBlock())
    {
        BlockFeedbackTag tag;
        tag.inFront = frame.header.GetInFront();
        tag.wasted = frame.header.GetWasted();
        frame.body->AddPacketTag(tag);
        m_transport->m_feedbackTrace(m_peer, tag.inFront, tag.wasted);
    }
    ++m_messagesReceived;
    m_transport->MessageReceived(this, type, frame.body);
}

void
BlockConnection::NormalClose(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    Ptr<BlockConnection> self = this;
    if (m_state == CONNECTING)
    {
        ConnectFailure(socket); // reset while connecting
        return;
    }
    if (m_transport && !m_transport->IsReading())
    {
        m_finPending = true; // a hung reader sees the end of the stream after the data
        return;
    }
    DataReady(socket); // deliver what arrived before the FIN
    Fail("closed by peer", false);
}

void
BlockConnection::ErrorClose(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    Ptr<BlockConnection> self = this;
    if (m_state == CONNECTING)
    {
        ConnectFailure(socket);
        return;
    }
    Fail("connection error, errno " + std::to_string(socket->GetErrno()), false);
}

void
BlockConnection::Fail(const std::string& reason, bool malformed)
{
    if (m_state == CLOSED)
    {
        return;
    }
    Ptr<BlockConnection> self = this;
    if (malformed)
    {
        NS_LOG_WARN("closing connection to " << FormatEndpoint(m_hasPeer ? m_peer : m_remote)
                                             << ": malformed input: " << reason);
    }
    else
    {
        NS_LOG_INFO("connection to " << FormatEndpoint(m_peer) << " down: " << reason);
    }
    CloseSocket();
    if (m_transport)
    {
        // The transport may move what is still queued to another connection to the peer.
        m_transport->ConnectionClosed(this, reason, malformed);
    }
    ClearQueues();
}

void
BlockConnection::SendBye()
{
    NS_LOG_FUNCTION(this);
    m_retiring = true;
    m_byeSent = true;
    m_retiredAt = Simulator::Now();
    m_control.push_back(
        Pending{BlockTransport::kByeType, Create<Packet>(), false, 0, Simulator::Now(), Time()});
    m_queuedBytes += BlockFrameHeader::kBaseSize;
    TrySend();
}

void
BlockConnection::CloseWhenDrained()
{
    NS_LOG_FUNCTION(this);
    m_retiring = true;
    m_closeWhenDrained = true;
    if (!m_sending)
    {
        TrySend(); // closes at once if nothing is left to write
    }
}

bool
BlockConnection::HasQueuedMessages() const
{
    return !m_blocks.empty()
           || std::any_of(m_control.begin(), m_control.end(), [](const Pending& p) {
                  return p.type != BlockTransport::kHelloType && p.type != BlockTransport::kByeType;
              });
}

bool
BlockConnection::IsQuiescent(Time timeout) const
{
    return m_state == OPEN && m_helloReceived && !m_retiring && m_control.empty()
           && m_blocks.empty() && !m_current && m_decoder.GetBuffered() == 0
           && Simulator::Now() - m_lastActivity >= timeout;
}

void
BlockConnection::Shutdown()
{
    NS_LOG_FUNCTION(this);
    CloseSocket();
    ClearQueues();
}

void
BlockConnection::CloseSocket()
{
    if (m_state == CLOSED)
    {
        return;
    }
    const bool connecting = m_state == CONNECTING;
    m_state = CLOSED;
    if (m_idle)
    {
        m_idleTotal += Simulator::Now() - m_idleSince;
        m_idle = false;
    }
    if (m_socket)
    {
        TcpCloseGracefully(m_socket, connecting);
        // This may run inside one of the socket's own callbacks, which carries on using the
        // socket after we return; ours may be the last reference, so hold it one event longer.
        Simulator::ScheduleNow([socket = m_socket]() {});
    }
}

void
BlockConnection::DetachSocket()
{
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->SetSendCallback(MakeNullCallback<void, Ptr<Socket>, uint32_t>());
        m_socket->SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(),
                                    MakeNullCallback<void, Ptr<Socket>>());
        m_socket->SetConnectCallback(MakeNullCallback<void, Ptr<Socket>>(),
                                     MakeNullCallback<void, Ptr<Socket>>());
    }
}

void
BlockConnection::ClearQueues()
{
    m_control.clear();
    m_blocks.clear();
    m_current = nullptr;
    m_currentOffset = 0;
    m_queuedBytes = 0;
}

} // namespace ns3
