/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "configured-tcp-socket-factory.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/socket.h"
#include "ns3/tcp-l4-protocol.h"
#include "ns3/tcp-socket-base.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ConfiguredTcpSocketFactory");

NS_OBJECT_ENSURE_REGISTERED(ConfiguredTcpSocketFactory);

TypeId
ConfiguredTcpSocketFactory::GetTypeId()
{
    static TypeId tid = TypeId("ns3::ConfiguredTcpSocketFactory")
                            .SetParent<SocketFactory>()
                            .SetGroupName("Bullet")
                            .AddConstructor<ConfiguredTcpSocketFactory>();
    return tid;
}

ConfiguredTcpSocketFactory::ConfiguredTcpSocketFactory() = default;

ConfiguredTcpSocketFactory::~ConfiguredTcpSocketFactory() = default;

void
ConfiguredTcpSocketFactory::SetSocketAttribute(const std::string& name, const AttributeValue& value)
{
    NS_LOG_FUNCTION(this << name);
    TypeId::AttributeInformation info;
    NS_ABORT_MSG_UNLESS(TcpSocketBase::GetTypeId().LookupAttributeByName(name, &info),
                        "ConfiguredTcpSocketFactory: TCP sockets have no attribute " << name);
    for (auto& attribute : m_attributes)
    {
        if (attribute.first == name)
        {
            attribute.second = value.Copy();
            return;
        }
    }
    m_attributes.emplace_back(name, value.Copy());
}

Ptr<Socket>
ConfiguredTcpSocketFactory::CreateSocket()
{
    NS_LOG_FUNCTION(this);
    Ptr<TcpL4Protocol> tcp = GetObject<TcpL4Protocol>();
    NS_ABORT_MSG_UNLESS(tcp, "ConfiguredTcpSocketFactory: aggregate it to a node with TCP");
    Ptr<Socket> socket = tcp->CreateSocket();
    for (const auto& attribute : m_attributes)
    {
        socket->SetAttribute(attribute.first, *attribute.second);
    }
    return socket;
}

} // namespace ns3
