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
#include "ns3/object-factory.h"
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
 * Each layer registers handlers for its message types; a node is named by its IPv4 address
 * (TcpControlChannel turns it into the endpoint (address, Port) its BlockTransport names
 * peers by, and back). Subclasses provide the transport (UdpControlChannel, TcpControlChannel).
 * Every byte sent goes through the Tx trace, which is what experiments report as control overhead.
 *
 * A message type is 16 bits: (instance << 8) | kind (MessageType()). The kind says which
 * message of a layer it is (RandomTree 10-14, RanSub 20-21, Bullet 30-35, anti-entropy 40);
 * the instance tells apart several copies of a layer on one node (several trees, a second
 * RanSub), each copy registering its kinds under its own instance. Instance 0 gives the
 * kind itself, the types of a node that runs one copy of each layer.
 */
class ControlChannel : public Object
{
  public:
    static TypeId GetTypeId();

    /// Receives (sender, message without the channel's own header).
    using Handler = Callback<void, Ipv4Address, Ptr<Packet>>;

    /**
     * \brief The wire type of message \p kind of layer instance \p instance.
     * \param instance which copy of a layer (0 for a node's only or first one)
     * \param kind the layer's message kind
     * \return (instance << 8) | kind; for instance 0, \p kind itself
     */
    static constexpr uint16_t
    MessageType(uint8_t instance, uint8_t kind)
    {
        return static_cast<uint16_t>((uint16_t(instance) << 8) | kind);
    }

    /// The instance a wire type belongs to (its high byte).
    static constexpr uint8_t
    InstanceOf(uint16_t type)
    {
        return static_cast<uint8_t>(type >> 8);
    }

    /// The layer's message kind of a wire type (its low byte).
    static constexpr uint8_t
    KindOf(uint16_t type)
    {
        return static_cast<uint8_t>(type & 0xff);
    }

    /**
     * \brief Handles messages of \p type (see MessageType()).
     *
     * A second registration of a type is a configuration error (two copies of a layer with
     * the same instance on one node) and aborts, naming the instance and the kind.
     */
    void Register(uint16_t type, Handler handler);

    /// Starts using \p node's network stack.
    virtual void Start(Ptr<Node> node) = 0;
    virtual void Stop() = 0;
    /// Sends; false if the transport refused the message at once.
    virtual bool Send(Ipv4Address peer, uint16_t type, Ptr<const Packet> message) = 0;
    /// The address peers know this node by.
    virtual Ipv4Address GetLocalAddress() const = 0;
    /**
     * \brief Gives up this node's connection(s) to \p peer, so that the next message to it
     * goes on a fresh one.
     *
     * For a protocol that heard nothing from \p peer for long although it kept sending: over
     * TCP, a connection one direction of which has stopped delivering (its segments lost
     * until that side's TCP gave up) would otherwise carry every later message into the
     * void. Seen on real hosts (doc/emulation.md, "A receiver that stalled"): the other side
     * was never told, its messages kept going out and nothing came back; why ns-3 sent it no
     * reset is not established. Reported as PeerDown, as a connection that failed. A no-op
     * for connectionless channels.
     */
    virtual void Reset(Ipv4Address peer);

    /**
     * \brief Messages dropped because they were malformed or of an unregistered type (an
     * instance or kind this node never registered).
     *
     * Over TCP such input closes the connection it came on (see BlockTransport); each closing
     * counts once.
     */
    uint64_t GetRejectedCount() const;

    /// (peer, type, bytes on the wire including headers below the application)
    using MessageTracedCallback = void (*)(Ipv4Address peer, uint16_t type, uint32_t bytes);
    /// (peer, why the message was dropped)
    using RejectTracedCallback = void (*)(Ipv4Address peer, const std::string& why);
    /// (peer)
    using PeerTracedCallback = void (*)(Ipv4Address peer);

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
    /// A connection-oriented channel lost its connection to \p peer (it closed or failed).
    void NotifyPeerDown(Ipv4Address peer);

  private:
    std::map<uint16_t, Handler> m_handlers;
    uint64_t m_rejected{0};
    TracedCallback<Ipv4Address, uint16_t, uint32_t> m_txTrace;
    TracedCallback<Ipv4Address, uint16_t, uint32_t> m_rxTrace;
    TracedCallback<Ipv4Address, const std::string&> m_rejectTrace;
    TracedCallback<Ipv4Address> m_peerDownTrace;
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
    void Reset(Ipv4Address peer) override;

  protected:
    void DoDispose() override;
    void DoRegister(uint16_t type) override;

  private:
    void HandleRecv(const InetSocketAddress& peer, uint16_t type, Ptr<Packet> message);
    void HandlePeerDown(const InetSocketAddress& peer);
    void HandleMalformed(const InetSocketAddress& peer, const std::string& why);

    uint16_t m_port{0};
    ObjectFactory m_transportFactory;
    Ptr<BlockTransport> m_transport;
    Ipv4Address m_local;
};

} // namespace ns3

#endif // BULLET_CONTROL_CHANNEL_H
