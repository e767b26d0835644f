/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "data-transport.h"

#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/socket.h"
#include "ns3/uinteger.h"

namespace ns3 {

NS_LOG_COMPONENT_DEFINE("DataTransport");

NS_OBJECT_ENSURE_REGISTERED(DataTransport);
NS_OBJECT_ENSURE_REGISTERED(UdpDataTransport);

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

void
DataTransport::SetRecvCallback(RecvCallback cb)
{
    m_recv = cb;
}

void
DataTransport::DoDispose()
{
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

void
DataTransport::NotifySent(Ipv4Address peer, uint32_t bytes)
{
    m_txTrace(peer, bytes);
}

void
DataTransport::NotifyRefused(Ipv4Address peer, uint32_t bytes)
{
    m_refusedTrace(peer, bytes);
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
UdpDataTransport::Send(Ipv4Address peer, Ptr<Packet> packet)
{
    uint32_t bytes = packet->GetSize();
    if (!m_socket || m_socket->SendTo(packet, 0, InetSocketAddress(peer, m_port)) < 0)
    {
        NotifyRefused(peer, bytes);
        return false;
    }
    NotifySent(peer, bytes);
    return true;
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

} // namespace ns3
