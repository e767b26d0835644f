/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "overlay-application.h"

#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/random-tree.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("OverlayApplication");

NS_OBJECT_ENSURE_REGISTERED(OverlayApplication);

TypeId
OverlayApplication::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::OverlayApplication")
              .SetParent<Application>()
              .SetGroupName("Bullet")
              .AddAttribute("Source", "This node is the data's origin", BooleanValue(false),
                            MakeBooleanAccessor(&OverlayApplication::m_source),
                            MakeBooleanChecker())
              .AddAttribute("ControlChannel",
                            "The control channel: a ControlChannel subclass and its attributes, "
                            "e.g. ns3::TcpControlChannel[Port=7004]",
                            ObjectFactoryValue(FactoryOf(TcpControlChannel::GetTypeId())),
                            MakeObjectFactoryAccessor(&OverlayApplication::m_channelFactory),
                            MakeObjectFactoryChecker())
              .AddAttribute("Transport",
                            "The data transport: a DataTransport subclass and its attributes, "
                            "e.g. ns3::TfrcDataTransport",
                            ObjectFactoryValue(FactoryOf(TfrcDataTransport::GetTypeId())),
                            MakeObjectFactoryAccessor(&OverlayApplication::m_transportFactory),
                            MakeObjectFactoryChecker())
              .AddAttribute("RanSub",
                            "RanSub as the protocol uses it (if it does), with its attributes, "
                            "e.g. ns3::RanSub[FailureDetection=false]",
                            ObjectFactoryValue(FactoryOf(RanSub::GetTypeId())),
                            MakeObjectFactoryAccessor(&OverlayApplication::m_ransubFactory),
                            MakeObjectFactoryChecker())
              .AddTraceSource("ControlTx",
                              "This node sent a control message: (peer, type, wire bytes)",
                              MakeTraceSourceAccessor(&OverlayApplication::m_controlTxTrace),
                              "ns3::OverlayApplication::ControlTxTracedCallback");
    return tid;
}

OverlayApplication::OverlayApplication() = default;

void
OverlayApplication::SetTree(Ptr<OverlayTree> tree)
{
    m_tree = tree;
}

Ptr<OverlayTree>
OverlayApplication::GetTree() const
{
    return m_tree;
}

Ptr<ControlChannel>
OverlayApplication::GetControlChannel() const
{
    return m_channel;
}

Ptr<DataTransport>
OverlayApplication::GetTransport() const
{
    return m_transport;
}

Ipv4Address
OverlayApplication::GetLocalAddress() const
{
    return m_channel->GetLocalAddress();
}

bool
OverlayApplication::IsSource() const
{
    return m_source;
}

void
OverlayApplication::SetSourceAddress(Ipv4Address source)
{
    m_sourceAddress = source;
}

Ipv4Address
OverlayApplication::GetSourceAddress() const
{
    return m_sourceAddress;
}

void
OverlayApplication::SetMembership(const std::vector<Ipv4Address>& members)
{
    m_members = members;
}

const std::vector<Ipv4Address>&
OverlayApplication::GetMembership() const
{
    return m_members;
}

std::vector<Ipv4Address>
OverlayApplication::GetOtherMembers() const
{
    const Ipv4Address self = GetLocalAddress();
    std::vector<Ipv4Address> others;
    others.reserve(m_members.size());
    for (const auto& m : m_members)
    {
        if (m != self)
        {
            others.push_back(m);
        }
    }
    return others;
}

int64_t
OverlayApplication::AssignStreams(int64_t stream)
{
    m_stream = stream;
    DoAssignStreams(stream + kProtocolStream);
    if (auto tree = DynamicCast<RandomTree>(m_tree))
    {
        tree->AssignStreams(stream + kTreeStream);
    }
    return kStreamsPerNode;
}

void
OverlayApplication::DoAssignStreams(int64_t stream)
{
}

int64_t
OverlayApplication::GetStream(int64_t offset) const
{
    return m_stream < 0 ? -1 : m_stream + offset;
}

Ptr<RanSub>
OverlayApplication::StartRanSub(RanSub::Mode mode, RanSub::PayloadCallback payload,
                                RanSub::DeliverCallback deliver)
{
    Ptr<RanSub> ransub = m_ransubFactory.Create<RanSub>();
    ransub->SetAttribute("Mode", EnumValue(mode));
    ransub->SetPayloadCallback(payload);
    ransub->SetDeliverCallback(deliver);
    if (m_stream >= 0)
    {
        ransub->AssignStreams(m_stream + kRanSubStream);
    }
    ransub->Start(m_tree, m_channel);
    return ransub;
}

void
OverlayApplication::DoDispose()
{
    m_tree = nullptr;
    m_channel = nullptr;
    m_transport = nullptr;
    Application::DoDispose();
}

void
OverlayApplication::StartApplication()
{
    NS_ABORT_MSG_UNLESS(m_tree, GetInstanceTypeId().GetName() << " needs a tree (SetTree)");
    m_channel = m_channelFactory.Create<ControlChannel>();
    m_channel->Start(GetNode());
    m_channel->TraceConnectWithoutContext("Tx",
                                          MakeCallback(&OverlayApplication::ControlSent, this));
    m_transport = m_transportFactory.Create<DataTransport>();
    if (m_stream >= 0)
    {
        m_transport->AssignStreams(m_stream + kTransportStream);
    }
    m_transport->SetRecvCallback(MakeCallback(&OverlayApplication::ReceiveData, this));
    m_transport->Start(GetNode());
    m_tree->Start(m_channel);
    DoStart();
}

void
OverlayApplication::StopApplication()
{
    DoStop();
    if (m_tree)
    {
        m_tree->Stop();
    }
    if (m_transport)
    {
        m_transport->Stop();
    }
    if (m_channel)
    {
        m_channel->Stop();
    }
}

void
OverlayApplication::DoStart()
{
}

void
OverlayApplication::DoStop()
{
}

void
OverlayApplication::ControlSent(Ipv4Address peer, uint16_t type, uint32_t bytes)
{
    m_controlTxTrace(peer, type, bytes);
}

void
OverlayApplication::NotifyControlSent(Ipv4Address peer, uint16_t type, uint32_t bytes)
{
    m_controlTxTrace(peer, type, bytes);
}

} // namespace ns3
