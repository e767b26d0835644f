/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_CONTROL_CHANNEL_H
#define BULLET_CONTROL_CHANNEL_H

#include "ns3/block-transport.h"
#include "ns3/callback.h"
#include "ns3/checked-header.h"
#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <map>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Typed control messages between overlay nodes (tree, RanSub, peering), one channel
 * per node shared by every layer.
 *
 * Each layer registers handlers for its message types; a node is named by its IPv4 address.
 * Subclasses provide the transport (UdpControlChannel here; a TCP one can follow). Every byte
 * sent goes through the Tx trace, which is what experiments report as control overhead.
 */
class ControlChannel : public Object
{
  public:
    static TypeId GetTypeId();

    /// Receives (sender, message without the channel's own header).
    using Handler = Callback<void, Ipv4Address, Ptr<Packet>>;

    /// Handles messages of \p type; a second registration of a type is an error.
    void Register(uint16_t type, Handler handler);

    /// Starts using \p node's network stack.
    virtual void Start(Ptr<Node> node) = 0;
    virtual void Stop() = 0;
    /// Sends; false if the transport refused the message at once.
    virtual bool Send(Ipv4Address peer, uint16_t type, Ptr<const Packet> message) = 0;
    /// The address peers know this node by.
    virtual Ipv4Address GetLocalAddress() const = 0;

    /// Messages dropped because they were malformed or of an unknown type.
    uint64_t GetRejectedCount() const;

    /// (peer, type, bytes on the wire including headers below the application)
    using MessageTracedCallback = void (*)(Ipv4Address peer, uint16_t type, uint32_t bytes);
    /// (peer, why the message was dropped)
    using RejectTracedCallback = void (*)(Ipv4Address peer, const std::string& why);

  protected:
    void DoDispose() override;
    /// Tells the transport about a newly registered type (if it needs to know).
    virtual void DoRegister(uint16_t type);
    /// The address a node is known by: that of its first non-loopback interface.
    static Ipv4Address NodeAddress(Ptr<Node> node);
    /// The registered types.
    std::vector<uint16_t> GetTypes() const;
    /// Dispatches a received message to its handler (or counts it as rejected).
    void Deliver(Ipv4Address from, uint16_t type, Ptr<Packet> message, uint32_t wireBytes);
    void Reject(Ipv4Address from, const std::string& why);
    void NotifySent(Ipv4Address peer, uint16_t type, uint32_t wireBytes);

  private:
    std::map<uint16_t, Handler> m_handlers;
    uint64_t m_rejected{0};
    TracedCallback<Ipv4Address, uint16_t, uint32_t> m_txTrace;
    TracedCallback<Ipv4Address, uint16_t, uint32_t> m_rxTrace;
    TracedCallback<Ipv4Address, const std::string&> m_rejectTrace;
};

/**
 * \ingroup bullet
 * \brief The 4-byte header a control datagram starts with: magic byte, version, type.
 */
class ControlHeader : public CheckedHeader
{
  public:
    static constexpr uint8_t kMagic = 0xb7;
    static constexpr uint8_t kVersion = 1;

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    void SetType(uint16_t type);
    uint16_t GetType() const;

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    void Print(std::ostream& os) const override;

  protected:
    void DoDeserialize(WireReader& reader) override;

  private:
    uint16_t m_type{0};
};

/**
 * \ingroup bullet
 * \brief Control messages as UDP datagrams on one port (unreliable, unordered).
 */
class UdpControlChannel : public ControlChannel
{
  public:
    static TypeId GetTypeId();

    void Start(Ptr<Node> node) override;
    void Stop() override;
    bool Send(Ipv4Address peer, uint16_t type, Ptr<const Packet> message) override;
    Ipv4Address GetLocalAddress() const override;

  protected:
    void DoDispose() override;

  private:
    void HandleRead(Ptr<Socket> socket);

    uint16_t m_port{0};
    Ptr<Socket> m_socket;
    Ipv4Address m_local;
};

/**
 * \ingroup bullet
 * \brief Control messages over TCP (a BlockTransport per node): reliable and ordered, as
 * MACEDON's control traffic was, so a congested link delays control but never loses it.
 */
class TcpControlChannel : public ControlChannel
{
  public:
    static TypeId GetTypeId();

    void Start(Ptr<Node> node) override;
    void Stop() override;
    bool Send(Ipv4Address peer, uint16_t type, Ptr<const Packet> message) override;
    Ipv4Address GetLocalAddress() const override;

  protected:
    void DoDispose() override;
    void DoRegister(uint16_t type) override;

  private:
    void HandleRecv(const Address& peer, uint16_t type, Ptr<Packet> message);

    uint16_t m_port{0};
    Ptr<BlockTransport> m_transport;
    Ipv4Address m_local;
};

} // namespace ns3

#endif // BULLET_CONTROL_CHANNEL_H
