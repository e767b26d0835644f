/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_CONFIGURED_TCP_SOCKET_FACTORY_H
#define BULLET_CONFIGURED_TCP_SOCKET_FACTORY_H

#include "ns3/attribute.h"
#include "ns3/socket-factory.h"

#include <string>
#include <utility>
#include <vector>

namespace ns3
{

class Socket;

/**
 * \ingroup bullet
 * \brief A TCP socket factory whose sockets carry attributes set per installation.
 *
 * Lets applications that create their TCP sockets themselves (ns-3's BulkSendApplication and
 * PacketSink do so in StartApplication) get sockets configured for one node instead of through
 * global attribute defaults. Aggregate one to a node that has a TcpL4Protocol and give
 * the application this factory's TypeId as its Protocol attribute:
 *
 * \code
 * Ptr<ConfiguredTcpSocketFactory> f = CreateObject<ConfiguredTcpSocketFactory>();
 * f->SetSocketAttribute("SegmentSize", UintegerValue(1448));
 * node->AggregateObject(f);
 * BulkSendHelper src("ns3::ConfiguredTcpSocketFactory", remote);
 * \endcode
 *
 * CreateSocket() asks the node's TcpL4Protocol for a socket (so its SocketType and RttEstimator
 * attributes apply), then sets the stored attributes on it, in the order they were given, while
 * it is still closed. Sockets a listening socket accepts are forks of it and inherit them.
 *
 * The class derives from SocketFactory, not TcpSocketFactory, so that lookups of
 * TcpSocketFactory on the node still find the TcpL4Protocol's own factory.
 */
class ConfiguredTcpSocketFactory : public SocketFactory
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    ConfiguredTcpSocketFactory();
    ~ConfiguredTcpSocketFactory() override;

    /**
     * \brief Sets attribute \p name to \p value on every socket created from now on.
     * \param name the name of a TcpSocketBase attribute (TcpSocket's included), e.g.
     *        "SegmentSize"; an unknown name is a fatal error
     * \param value its value; a later call for the same name overrides it
     */
    void SetSocketAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Creates a TCP socket on the node this factory is aggregated to.
     * \return the socket, with the attributes given to SetSocketAttribute() set
     */
    Ptr<Socket> CreateSocket() override;

  private:
    /// Attribute names and values, applied in this order.
    std::vector<std::pair<std::string, Ptr<AttributeValue>>> m_attributes;
};

} // namespace ns3

#endif // BULLET_CONFIGURED_TCP_SOCKET_FACTORY_H
