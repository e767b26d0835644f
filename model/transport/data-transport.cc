/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "data-transport.h"

#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/socket.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DataTransport");

NS_OBJECT_ENSURE_REGISTERED(DataTransport);
NS_OBJECT_ENSURE_REGISTERED(UdpDataTransport);
NS_OBJECT_ENSURE_REGISTERED(TfrcDataTransport);
NS_OBJECT_ENSURE_REGISTERED(TcpDataTransport);

TypeId
DataTransport::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::DataTransport")
              .SetParent<Object>()
              .SetGroupName("Bullet")
              .AddTraceSource("Tx", "The transport accepted a packet: (peer, payload bytes)",
                              MakeTraceSourceAccessor(&DataTransport::m_txTrace),
                              "ns3::DataTransport::PeerBytesTracedCallback")
              .AddTraceSource("Refused",
                              "The transport could not take a packet now: (peer, payload bytes)",
                              MakeTraceSourceAccessor(&DataTransport::m_refusedTrace),
                              "ns3::DataTransport::PeerBytesTracedCallback");
    return tid;
}

int64_t
DataTransport::AssignStreams(int64_t /* stream */)
{
    return 0;
}

void
DataTransport::SetRecvCallback(RecvCallback cb)
{
    m_recv = cb;
}

void
DataTransport::SetSendReadyCallback(Callback<void, Ipv4Address> cb)
{
    m_ready = cb;
}

void
DataTransport::SetPeerDownCallback(Callback<void, Ipv4Address> cb)
{
    m_down = cb;
}

void
DataTransport::NotifyPeerDown(Ipv4Address peer)
{
    if (!m_down.IsNull())
    {
        m_down(peer);
    }
}

void
DataTransport::NotifyReady(Ipv4Address peer)
{
    if (!m_ready.IsNull())
    {
        m_ready(peer);
    }
}

void
DataTransport::DoDispose()
{
    m_ready = Callback<void, Ipv4Address>();
    m_down = Callback<void, Ipv4Address>();
    m_recv = RecvCallback();
    Object::DoDispose();
}

void
DataTransport::Deliver(Ipv4Address from, Ptr<Packet> packet)
{
    if (!m_recv.IsNull())
    {
        m_recv(from, packet);
    }
}

bool
DataTransport::Send(Ipv4Address peer, Ptr<Packet> packet)
{
    uint32_t bytes = packet->GetSize();
    if (!DoSend(peer, packet))
    {
        m_refusedTrace(peer, bytes);
        return false;
    }
    m_txTrace(peer, bytes);
    return true;
}

TypeId
UdpDataTransport::GetTypeId()
{
    static TypeId tid = TypeId("ns3::UdpDataTransport")
                            .SetParent<DataTransport>()
                            .SetGroupName("Bullet")
                            .AddConstructor<UdpDataTransport>()
                            .AddAttribute("Port", "UDP port data travels on", UintegerValue(7001),
                                          MakeUintegerAccessor(&UdpDataTransport::m_port),
                                          MakeUintegerChecker<uint16_t>());
    return tid;
}

void
UdpDataTransport::Start(Ptr<Node> node)
{
    m_socket = Socket::CreateSocket(node, TypeId::LookupByName("ns3::UdpSocketFactory"));
    if (m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) != 0)
    {
        NS_FATAL_ERROR("UdpDataTransport: cannot bind port " << m_port);
    }
    m_socket->SetRecvCallback(MakeCallback(&UdpDataTransport::HandleRead, this));
}

void
UdpDataTransport::Stop()
{
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
        m_socket = nullptr;
    }
}

bool
UdpDataTransport::DoSend(Ipv4Address peer, Ptr<Packet> packet)
{
    // The socket tags what it is given: it gets a copy (see DataTransport::Send).
    return m_socket && m_socket->SendTo(packet->Copy(), 0, InetSocketAddress(peer, m_port)) >= 0;
}

void
UdpDataTransport::Close(Ipv4Address peer)
{
}

void
UdpDataTransport::HandleRead(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        Deliver(InetSocketAddress::ConvertFrom(from).GetIpv4(), p);
    }
}

void
UdpDataTransport::DoDispose()
{
    Stop();
    DataTransport::DoDispose();
}

TypeId
TfrcDataTransport::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::TfrcDataTransport")
              .SetParent<DataTransport>()
              .SetGroupName("Bullet")
              .AddConstructor<TfrcDataTransport>()
              .AddAttribute("Port", "UDP port of the TFRC socket", UintegerValue(7002),
                            MakeUintegerAccessor(&TfrcDataTransport::m_port),
                            MakeUintegerChecker<uint16_t>());
    return tid;
}

int64_t
TfrcDataTransport::AssignStreams(int64_t stream)
{
    m_stream = stream;
    if (m_socket)
    {
        m_socket->AssignStreams(stream);
    }
    return 2;
}

void
TfrcDataTransport::Start(Ptr<Node> node)
{
    m_socket = CreateObject<TfrcSocket>();
    if (m_stream >= 0)
    {
        m_socket->AssignStreams(m_stream);
    }
    if (!m_socket->Bind(node, m_port))
    {
        NS_FATAL_ERROR("TfrcDataTransport: cannot bind port " << m_port);
    }
    m_socket->SetRecvCallback(MakeCallback(&TfrcDataTransport::HandleRecv, this));
    m_socket->SetSendReadyCallback(MakeCallback(&TfrcDataTransport::HandleReady, this));
}

void
TfrcDataTransport::Stop()
{
    if (m_socket)
    {
        m_socket->CloseAll();
        m_socket->Dispose();
        m_socket = nullptr;
    }
}

bool
TfrcDataTransport::DoSend(Ipv4Address peer, Ptr<Packet> packet)
{
    if (!m_socket)
    {
        return false;
    }
    // One lookup: the flow to the peer, opened on first use (TfrcFlow::Send copies the
    // packet when it frames it).
    return m_socket->Connect(InetSocketAddress(peer, m_port))->Send(packet);
}

void
TfrcDataTransport::Close(Ipv4Address peer)
{
    if (m_socket)
    {
        m_socket->Close(InetSocketAddress(peer, m_port));
    }
}

Ptr<TfrcSocket>
TfrcDataTransport::GetSocket() const
{
    return m_socket;
}

void
TfrcDataTransport::HandleRecv(Ptr<Packet> packet, const InetSocketAddress& from)
{
    Deliver(from.GetIpv4(), packet);
}

void
TfrcDataTransport::HandleReady(const InetSocketAddress& peer)
{
    NotifyReady(peer.GetIpv4());
}

void
TfrcDataTransport::DoDispose()
{
    Stop();
    DataTransport::DoDispose();
}

TypeId
TcpDataTransport::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::TcpDataTransport")
              .SetParent<DataTransport>()
              .SetGroupName("Bullet")
              .AddConstructor<TcpDataTransport>()
              .AddAttribute("Port", "TCP port data connections listen on", UintegerValue(7003),
                            MakeUintegerAccessor(&TcpDataTransport::m_port),
                            MakeUintegerChecker<uint16_t>())
              .AddAttribute("QueueLimit", "Packets allowed to wait in front of a peer's socket",
                            UintegerValue(4), MakeUintegerAccessor(&TcpDataTransport::m_queueLimit),
                            MakeUintegerChecker<uint32_t>())
              .AddAttribute("SocketBuffer",
                            "TCP send and receive buffer of every connection, bytes (0: the "
                            "BlockTransport's default); a long fat pipe needs more than the "
                            "default (2008 Section 5.11)",
                            UintegerValue(0), MakeUintegerAccessor(&TcpDataTransport::m_buffer),
                            MakeUintegerChecker<uint32_t>());
    return tid;
}

void
TcpDataTransport::Start(Ptr<Node> node)
{
    m_transport = CreateObject<BlockTransport>();
    if (m_buffer > 0)
    {
        m_transport->SetAttribute("SndBufSize", UintegerValue(m_buffer));
        m_transport->SetAttribute("RcvBufSize", UintegerValue(m_buffer));
    }
    m_transport->SetNode(node);
    m_transport->SetReading(m_reading);
    m_transport->RegisterMessageType(kDataType);
    m_transport->SetReceiveCallback(MakeCallback(&TcpDataTransport::HandleRecv, this));
    m_transport->SetBlockDequeuedCallback(MakeCallback(&TcpDataTransport::HandleDequeued, this));
    m_transport->SetPeerDownCallback(MakeCallback(&TcpDataTransport::HandlePeerDown, this));
    m_transport->Listen(m_port);
}

void
TcpDataTransport::Stop()
{
    if (m_transport)
    {
        // Stopping is not losing peers: nobody is told.
        m_transport->SetPeerDownCallback(MakeNullCallback<void, const InetSocketAddress&>());
        m_transport->CloseAll();
        m_transport = nullptr;
    }
}

bool
TcpDataTransport::DoSend(Ipv4Address peer, Ptr<Packet> packet)
{
    InetSocketAddress to(peer, m_port);
    if (!m_transport)
    {
        return false;
    }
    if (!m_transport->GetConnection(to))
    {
        m_transport->Connect(to);
    }
    return m_transport->GetQueuedBlocks(to) < m_queueLimit
           && m_transport->SendBlock(to, kDataType, packet, m_inFront);
}

uint32_t
TcpDataTransport::GetQueued(Ipv4Address peer) const
{
    return m_transport ? m_transport->GetQueuedBlocks(InetSocketAddress(peer, m_port)) : 0;
}

uint64_t
TcpDataTransport::GetBacklogBytes(Ipv4Address peer) const
{
    return m_transport ? m_transport->GetBacklogBytes(InetSocketAddress(peer, m_port)) : 0;
}

uint64_t
TcpDataTransport::GetMalformedCount() const
{
    return m_transport ? m_transport->GetMalformedCount() : 0;
}

bool
TcpDataTransport::SendRequested(Ipv4Address peer, Ptr<Packet> packet, uint32_t inFront)
{
    m_inFront = inFront;
    bool sent = Send(peer, packet);
    m_inFront = -1;
    return sent;
}

void
TcpDataTransport::Close(Ipv4Address peer)
{
    if (m_transport)
    {
        m_transport->Close(InetSocketAddress(peer, m_port));
    }
}

void
TcpDataTransport::SetReading(bool reading)
{
    m_reading = reading;
    if (m_transport)
    {
        m_transport->SetReading(reading);
    }
}

void
TcpDataTransport::HandleRecv(const InetSocketAddress& peer, uint16_t type, Ptr<Packet> packet)
{
    Deliver(peer.GetIpv4(), packet);
}

void
TcpDataTransport::HandleDequeued(const InetSocketAddress& peer, uint32_t remaining)
{
    if (remaining < m_queueLimit)
    {
        NotifyReady(peer.GetIpv4());
    }
}

void
TcpDataTransport::HandlePeerDown(const InetSocketAddress& peer)
{
    if (peer.GetPort() == m_port)
    {
        NotifyPeerDown(peer.GetIpv4());
    }
}

void
TcpDataTransport::DoDispose()
{
    if (m_transport)
    {
        m_transport->Dispose();
        m_transport = nullptr;
    }
    DataTransport::DoDispose();
}

} // namespace ns3
