/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tfrc-bulk-application.h"

#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TfrcBulkApplication");

NS_OBJECT_ENSURE_REGISTERED(TfrcBulkApplication);

TypeId
TfrcBulkApplication::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::TfrcBulkApplication")
              .SetParent<Application>()
              .SetGroupName("Bullet")
              .AddConstructor<TfrcBulkApplication>()
              .AddAttribute("Remote",
                            "Peer (InetSocketAddress) to keep a full flow to; unset: sink only",
                            AddressValue(), MakeAddressAccessor(&TfrcBulkApplication::m_remote),
                            MakeAddressChecker())
              .AddAttribute("LocalPort", "UDP port of this node's TfrcSocket", UintegerValue(9000),
                            MakeUintegerAccessor(&TfrcBulkApplication::m_localPort),
                            MakeUintegerChecker<uint16_t>())
              .AddAttribute("PacketSize", "Payload bytes per packet (TFRC adds a 17-byte header)",
                            UintegerValue(1443),
                            MakeUintegerAccessor(&TfrcBulkApplication::m_packetSize),
                            MakeUintegerChecker<uint32_t>(1))
              .AddAttribute(
                  "MaxBytes", "Stop after the flow accepted this many payload bytes (0: no limit)",
                  UintegerValue(0), MakeUintegerAccessor(&TfrcBulkApplication::m_maxBytes),
                  MakeUintegerChecker<uint64_t>())
              .AddAttribute("SegmentSize",
                            "SegmentSize (s) of this application's TfrcSocket, in bytes; 0 leaves "
                            "the socket's own SegmentSize attribute",
                            UintegerValue(0),
                            MakeUintegerAccessor(&TfrcBulkApplication::m_segmentSize),
                            MakeUintegerChecker<uint32_t>());
    return tid;
}

TfrcBulkApplication::TfrcBulkApplication() = default;

TfrcBulkApplication::~TfrcBulkApplication() = default;

void
TfrcBulkApplication::DoDispose()
{
    if (m_socket)
    {
        m_socket->Dispose();
    }
    m_socket = nullptr;
    m_flow = nullptr;
    Application::DoDispose();
}

uint64_t
TfrcBulkApplication::GetTotalRx() const
{
    return m_totalRx;
}

uint64_t
TfrcBulkApplication::GetTotalTx() const
{
    return m_totalTx;
}

Ptr<TfrcSocket>
TfrcBulkApplication::GetSocket() const
{
    return m_socket;
}

Ptr<TfrcFlow>
TfrcBulkApplication::GetFlow() const
{
    return m_flow;
}

void
TfrcBulkApplication::StartApplication()
{
    m_running = true;
    if (!m_socket)
    {
        m_socket = CreateObject<TfrcSocket>();
        if (m_segmentSize > 0)
        {
            m_socket->SetAttribute("SegmentSize", UintegerValue(m_segmentSize));
        }
        bool ok = m_socket->Bind(GetNode(), m_localPort);
        NS_ABORT_MSG_UNLESS(ok, "TfrcBulkApplication: cannot bind port " << m_localPort);
        m_socket->SetRecvCallback(MakeCallback(&TfrcBulkApplication::OnReceive, this));
        m_socket->SetSendReadyCallback(MakeCallback(&TfrcBulkApplication::OnSendReady, this));
    }
    if (InetSocketAddress::IsMatchingType(m_remote))
    {
        m_flow = m_socket->Connect(InetSocketAddress::ConvertFrom(m_remote));
        Fill();
    }
}

void
TfrcBulkApplication::StopApplication()
{
    m_running = false;
    if (m_socket)
    {
        m_socket->CloseAll();
    }
}

void
TfrcBulkApplication::Fill()
{
    while (m_running && m_flow && (m_maxBytes == 0 || m_totalTx < m_maxBytes))
    {
        if (!m_flow->Send(Create<Packet>(m_packetSize)))
        {
            break; // full: OnSendReady refills
        }
        m_totalTx += m_packetSize;
    }
}

void
TfrcBulkApplication::OnSendReady(const InetSocketAddress& peer)
{
    Fill();
}

void
TfrcBulkApplication::OnReceive(Ptr<Packet> packet, const InetSocketAddress& from)
{
    m_totalRx += packet->GetSize();
}

} // namespace ns3
