/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "control-channel.h"

#include "ns3/factory-of.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ControlChannel");

NS_OBJECT_ENSURE_REGISTERED(ControlChannel);
NS_OBJECT_ENSURE_REGISTERED(ControlHeader);
NS_OBJECT_ENSURE_REGISTERED(UdpControlChannel);
NS_OBJECT_ENSURE_REGISTERED(TcpControlChannel);

TypeId
ControlChannel::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::ControlChannel")
              .SetParent<Object>()
              .SetGroupName("Bullet")
              .AddTraceSource("Tx", "A control message was sent: (peer, type, wire bytes)",
                              MakeTraceSourceAccessor(&ControlChannel::m_txTrace),
                              "ns3::ControlChannel::MessageTracedCallback")
              .AddTraceSource("Rx", "A control message was received: (peer, type, wire bytes)",
                              MakeTraceSourceAccessor(&ControlChannel::m_rxTrace),
                              "ns3::ControlChannel::MessageTracedCallback")
              .AddTraceSource("Rejected", "A malformed or unknown control message was dropped",
                              MakeTraceSourceAccessor(&ControlChannel::m_rejectTrace),
                              "ns3::ControlChannel::RejectTracedCallback")
              .AddTraceSource("PeerDown",
                              "The channel lost its connection to a peer: it closed or failed "
                              "(connection-oriented channels only; protocols use it to notice "
                              "that a peer left)",
                              MakeTraceSourceAccessor(&ControlChannel::m_peerDownTrace),
                              "ns3::ControlChannel::PeerTracedCallback");
    return tid;
}

void
ControlChannel::Register(uint16_t type, Handler handler)
{
    NS_ABORT_MSG_IF(m_handlers.count(type), "control message type "
                                                << type << " (instance " << int(InstanceOf(type))
                                                << ", kind " << int(KindOf(type))
                                                << ") registered twice on one node: give each copy "
                                                   "of a layer its own Instance");
    m_handlers[type] = handler;
    DoRegister(type);
}

void
ControlChannel::DoRegister(uint16_t type)
{
}

void
ControlChannel::Reset(Ipv4Address peer)
{
}

Ipv4Address
ControlChannel::NodeAddress(Ptr<Node> node)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    NS_ABORT_MSG_UNLESS(ipv4 && ipv4->GetNInterfaces() > 1,
                        "a control channel needs a node with an IPv4 interface");
    return ipv4->GetAddress(1, 0).GetLocal();
}

std::vector<uint16_t>
ControlChannel::GetTypes() const
{
    std::vector<uint16_t> types;
    for (const auto& [type, handler] : m_handlers)
    {
        types.push_back(type);
    }
    return types;
}

uint64_t
ControlChannel::GetRejectedCount() const
{
    return m_rejected;
}

void
ControlChannel::DoDispose()
{
    m_handlers.clear();
    Object::DoDispose();
}

void
ControlChannel::Deliver(Ipv4Address from, uint16_t type, Ptr<Packet> message, uint32_t wireBytes)
{
    m_rxTrace(from, type, wireBytes);
    auto it = m_handlers.find(type);
    if (it == m_handlers.end())
    {
        Reject(from, "unknown message type " + std::to_string(type) + " (instance "
                         + std::to_string(InstanceOf(type)) + ", kind "
                         + std::to_string(KindOf(type)) + ")");
        return;
    }
    it->second(from, message);
}

void
ControlChannel::Reject(Ipv4Address from, const std::string& why)
{
    ++m_rejected;
    NS_LOG_WARN("dropped control message from " << from << ": " << why);
    m_rejectTrace(from, why);
}

void
ControlChannel::NotifySent(Ipv4Address peer, uint16_t type, uint32_t wireBytes)
{
    m_txTrace(peer, type, wireBytes);
}

void
ControlChannel::NotifyPeerDown(Ipv4Address peer)
{
    m_peerDownTrace(peer);
}

TypeId
ControlHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::ControlHeader")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<ControlHeader>();
    return tid;
}

TypeId
ControlHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
ControlHeader::SetType(uint16_t type)
{
    m_type = type;
}

uint16_t
ControlHeader::GetType() const
{
    return m_type;
}

uint32_t
ControlHeader::GetSerializedSize() const
{
    return 4;
}

void
ControlHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteU8(kMagic);
    start.WriteU8(kVersion);
    start.WriteHtonU16(m_type);
}

void
ControlHeader::Print(std::ostream& os) const
{
    os << "control type=" << m_type;
}

void
ControlHeader::DoDeserialize(WireReader& reader)
{
    uint8_t magic = reader.ReadU8();
    uint8_t version = reader.ReadU8();
    m_type = reader.ReadNtohU16();
    if (reader.Ok() && (magic != kMagic || version != kVersion))
    {
        reader.Fail("not a bullet control message (magic/version)");
    }
}

TypeId
UdpControlChannel::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::UdpControlChannel")
              .SetParent<ControlChannel>()
              .SetGroupName("Bullet")
              .AddConstructor<UdpControlChannel>()
              .AddAttribute("Port", "UDP port of the control channel", UintegerValue(7000),
                            MakeUintegerAccessor(&UdpControlChannel::m_port),
                            MakeUintegerChecker<uint16_t>());
    return tid;
}

void
UdpControlChannel::Start(Ptr<Node> node)
{
    m_local = NodeAddress(node);
    m_socket = Socket::CreateSocket(node, TypeId::LookupByName("ns3::UdpSocketFactory"));
    if (m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) != 0)
    {
        NS_FATAL_ERROR("UdpControlChannel: cannot bind port " << m_port);
    }
    m_socket->SetRecvCallback(MakeCallback(&UdpControlChannel::HandleRead, this));
}

void
UdpControlChannel::Stop()
{
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
        m_socket = nullptr;
    }
}

bool
UdpControlChannel::Send(Ipv4Address peer, uint16_t type, Ptr<const Packet> message)
{
    if (!m_socket)
    {
        return false;
    }
    Ptr<Packet> p = message->Copy();
    ControlHeader h;
    h.SetType(type);
    p->AddHeader(h);
    uint32_t bytes = p->GetSize() + 28; // UDP + IPv4 headers
    if (m_socket->SendTo(p, 0, InetSocketAddress(peer, m_port)) < 0)
    {
        return false;
    }
    NotifySent(peer, type, bytes);
    return true;
}

Ipv4Address
UdpControlChannel::GetLocalAddress() const
{
    return m_local;
}

void
UdpControlChannel::HandleRead(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        Ipv4Address peer = InetSocketAddress::ConvertFrom(from).GetIpv4();
        uint32_t bytes = p->GetSize() + 28;
        ControlHeader h;
        p->RemoveHeader(h);
        if (!h.IsValid())
        {
            Reject(peer, h.GetError());
            continue;
        }
        Deliver(peer, h.GetType(), p, bytes);
    }
}

void
UdpControlChannel::DoDispose()
{
    Stop();
    ControlChannel::DoDispose();
}

TypeId
TcpControlChannel::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::TcpControlChannel")
              .SetParent<ControlChannel>()
              .SetGroupName("Bullet")
              .AddConstructor<TcpControlChannel>()
              .AddAttribute("Port", "TCP port control connections listen on", UintegerValue(7004),
                            MakeUintegerAccessor(&TcpControlChannel::m_port),
                            MakeUintegerChecker<uint16_t>())
              .AddAttribute("Transport",
                            "The BlockTransport the channel's connections run on, as a factory "
                            "(e.g. with MinRto and ConnTimeout set for Linux hosts' TCP timers)",
                            ObjectFactoryValue(FactoryOf(BlockTransport::GetTypeId())),
                            MakeObjectFactoryAccessor(&TcpControlChannel::m_transportFactory),
                            MakeObjectFactoryChecker());
    return tid;
}

void
TcpControlChannel::Start(Ptr<Node> node)
{
    m_local = NodeAddress(node);
    m_transport = m_transportFactory.Create<BlockTransport>();
    NS_ABORT_MSG_IF(!m_transport, "TcpControlChannel: the Transport factory must make a "
                                  "ns3::BlockTransport, not "
                                      << m_transportFactory.GetTypeId().GetName());
    m_transport->SetNode(node);
    for (uint16_t type : GetTypes())
    {
        m_transport->RegisterMessageType(type);
    }
    m_transport->SetReceiveCallback(MakeCallback(&TcpControlChannel::HandleRecv, this));
    m_transport->SetPeerDownCallback(MakeCallback(&TcpControlChannel::HandlePeerDown, this));
    m_transport->TraceConnectWithoutContext(
        "Malformed", MakeCallback(&TcpControlChannel::HandleMalformed, this));
    m_transport->Listen(m_port);
}

void
TcpControlChannel::Stop()
{
    if (m_transport)
    {
        // Connections outlive Stop() while they close: nothing they report may reach this
        // channel, which can be destroyed before they are.
        m_transport->TraceDisconnectWithoutContext(
            "Malformed", MakeCallback(&TcpControlChannel::HandleMalformed, this));
        m_transport->SetPeerDownCallback(MakeNullCallback<void, const InetSocketAddress&>());
        m_transport->CloseAll();
        m_transport = nullptr;
    }
}

void
TcpControlChannel::DoRegister(uint16_t type)
{
    if (m_transport)
    {
        m_transport->RegisterMessageType(type);
    }
}

bool
TcpControlChannel::Send(Ipv4Address peer, uint16_t type, Ptr<const Packet> message)
{
    if (!m_transport)
    {
        return false;
    }
    InetSocketAddress to(peer, m_port);
    if (!m_transport->GetConnection(to))
    {
        m_transport->Connect(to);
    }
    if (!m_transport->Send(to, type, message))
    {
        return false;
    }
    // Frame header (8 B) plus TCP/IPv4 headers (40 B) of a segment, as control overhead.
    NotifySent(peer, type, message->GetSize() + 8 + 40);
    return true;
}

Ipv4Address
TcpControlChannel::GetLocalAddress() const
{
    return m_local;
}

void
TcpControlChannel::Reset(Ipv4Address peer)
{
    if (m_transport)
    {
        NS_LOG_INFO(m_local << " resets its control connection to " << peer);
        m_transport->Close(InetSocketAddress(peer, m_port));
    }
}

void
TcpControlChannel::HandlePeerDown(const InetSocketAddress& peer)
{
    if (peer.GetPort() == m_port)
    {
        NotifyPeerDown(peer.GetIpv4());
    }
}

void
TcpControlChannel::HandleRecv(const InetSocketAddress& peer, uint16_t type, Ptr<Packet> message)
{
    Deliver(peer.GetIpv4(), type, message, message->GetSize() + 48);
}

void
TcpControlChannel::HandleMalformed(const InetSocketAddress& peer, const std::string& why)
{
    // The transport has closed the connection (an unregistered type, bad framing): count it
    // as a rejected message, as UdpControlChannel counts a bad datagram.
    Reject(peer.GetIpv4(), "connection closed for malformed input: " + why);
}

void
TcpControlChannel::DoDispose()
{
    if (m_transport)
    {
        m_transport->TraceDisconnectWithoutContext(
            "Malformed", MakeCallback(&TcpControlChannel::HandleMalformed, this));
        m_transport->Dispose();
        m_transport = nullptr;
    }
    ControlChannel::DoDispose();
}

} // namespace ns3
