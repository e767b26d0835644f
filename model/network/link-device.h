/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_LINK_DEVICE_H
#define BULLET_LINK_DEVICE_H

#include "ns3/address.h"
#include "ns3/channel.h"
#include "ns3/data-rate.h"
#include "ns3/error-model.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <array>
#include <cstdint>
#include <deque>
#include <vector>

namespace ns3
{

class LinkChannel;
class Node;

/**
 * \ingroup bullet
 * \brief A lean point-to-point link device: what a hop of the simulated core needs, and no
 * more.
 *
 * Full duplex, one peer, its own transmit rate and the channel's propagation delay, a
 * drop-tail FIFO of QueueSize packets (plus the one being transmitted), an optional receive
 * error model, a counter of what it put on the link and what it dropped. It times packets
 * exactly as ns-3's PointToPointNetDevice and PointToPointChannel do, so that a network built
 * on either gives the same events at the same instants in the same order:
 *
 * - a packet of B bytes occupies the link for the transmission time of B + 2 bytes (the
 *   2-byte PPP header the point-to-point device puts in front of it; FramingBytes), computed
 *   with DataRate::CalculateBytesTxTime as there, and arrives at the peer the channel's
 *   delay after that;
 * - the end of a transmission is scheduled before the arrival at the peer, as there, and the
 *   arrival runs in the peer's node context;
 * - the queue holds QueueSize packets besides the one on the wire; a packet that finds it
 *   full is dropped (what the traffic control layer and the device together do in front of a
 *   DropTailQueue of that size with flow control);
 * - the error model is asked once per arriving packet, on the receiving device, before it is
 *   passed up (packet-unit models draw exactly as there; byte- and bit-unit models see the
 *   packet without the 2 framing bytes).
 *
 * Under ns-3's distributed simulator (an ns-3 built with MPI: `./ns3 configure --ns3=mpi`),
 * a device whose peer's node has another system id sends through MpiInterface::SendPacket,
 * to arrive at the same instant on the peer's rank, and receives through an MpiReceiver
 * aggregated to it. Only IPv4 crosses ranks (the packet travels without its protocol
 * number); anything else is dropped there and counted as a send drop.
 *
 * What it leaves out: the Queue object and its traces, the NetDeviceQueueInterface (the
 * traffic control layer passes packets straight to Send), the PPP header itself (the
 * protocol number travels beside the packet), the per-hop packet copies, and all the trace
 * sources of the point-to-point device but two (Tx and Drop), which cost one test each while
 * nobody listens. The receiver gets the very packet the sender passed to Send (as a const
 * packet), so a sender must not change a packet once sent (ns-3's stacks do not).
 *
 * A Forwarder (a router's link-layer forwarding, OverlayStaticRouting) may take an arriving
 * IPv4 packet before the receive callback. When the arrival event holds the only reference
 * to the packet, the forwarder is told so and may change that packet and send it on instead
 * of a copy: nobody else can see it.
 */
class LinkDevice : public NetDevice
{
  public:
    /**
     * \brief What may take a packet arriving on a LinkDevice before its receive callback.
     */
    class Forwarder
    {
      public:
        virtual ~Forwarder() = default;
        /**
         * \brief An IPv4 packet arrived on \p device.
         * \param device the receiving device
         * \param packet the packet (IPv4 header first)
         * \param exclusive nothing else refers to \p packet: it may be changed and sent on
         * \returns true if the packet was handled (sent on or dropped), false to pass it up
         */
        virtual bool ForwardArrival(NetDevice* device, Ptr<Packet>& packet, bool exclusive) = 0;
    };

    /// The bytes of framing a packet is timed with on the wire (a PPP header).
    static constexpr uint32_t kFramingBytes = 2;
    /// The one protocol that crosses MPI ranks (Ethernet type of IPv4).
    static constexpr uint16_t kIpv4Protocol = 0x0800;

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    LinkDevice();
    ~LinkDevice() override;

    /// \param rate the rate this device transmits at
    void SetDataRate(DataRate rate);
    /// \return the rate this device transmits at
    DataRate GetDataRate() const;
    /// \param packets how many packets wait behind the one being transmitted (drop-tail);
    /// only while the queue is empty
    void SetQueueSize(uint32_t packets);
    /// \return how many packets may wait behind the one being transmitted
    uint32_t GetQueueSize() const;
    /// \return how many packets wait now (the one being transmitted not counted)
    uint32_t GetQueueLength() const;
    /// \param em the error model asked for every packet this device receives (null: none)
    void SetReceiveErrorModel(Ptr<ErrorModel> em);

    /**
     * \brief Connects this device to one end of \p channel (two devices per channel).
     * \param channel the link
     */
    void Attach(Ptr<LinkChannel> channel);

    /// \return the packets this device has put on its link
    uint64_t GetTxPackets() const;
    /// \return their bytes, framing included (as the point-to-point device's queue counts)
    uint64_t GetTxBytes() const;
    /// \return the packets dropped on sending (queue full, or not attached)
    uint64_t GetTxDropped() const;
    /// \return the packets the receive error model dropped
    uint64_t GetRxErrors() const;
    /// \return the packets sent to a peer simulated by another MPI rank
    uint64_t GetRemoteTxPackets() const;
    /// \return the packets received from a peer simulated by another MPI rank
    uint64_t GetRemoteRxPackets() const;
    /// \return of the packets sent to another rank, those that arrive after this moment
    /// (still on the link: a run that stops now does not deliver them)
    uint64_t GetRemoteInFlightPackets() const;

    /**
     * \brief A packet arrives from the peer (the channel schedules this).
     * \param packet the packet as the peer sent it: the arrival event's own reference (a
     * packet nothing else refers to may go on to the forwarder as exclusive)
     * \param protocol its protocol number (Ethernet type)
     */
    void Receive(Ptr<Packet>& packet, uint16_t protocol);

    /**
     * \brief Sets what may take arriving IPv4 packets before the receive callback.
     * \param forwarder an Object that is a Forwarder (null: none), e.g. the node's
     * OverlayStaticRouting; the device keeps it until it is disposed
     * \throws std::invalid_argument if \p forwarder is not a Forwarder
     */
    void SetForwarder(Ptr<Object> forwarder);

    // NetDevice
    void SetIfIndex(const uint32_t index) override;
    uint32_t GetIfIndex() const override;
    Ptr<Channel> GetChannel() const override;
    void SetAddress(Address address) override;
    Address GetAddress() const override;
    bool SetMtu(const uint16_t mtu) override;
    uint16_t GetMtu() const override;
    bool IsLinkUp() const override;
    void AddLinkChangeCallback(Callback<void> callback) override;
    bool IsBroadcast() const override;
    Address GetBroadcast() const override;
    bool IsMulticast() const override;
    Address GetMulticast(Ipv4Address multicastGroup) const override;
    Address GetMulticast(Ipv6Address addr) const override;
    bool IsPointToPoint() const override;
    bool IsBridge() const override;
    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;
    bool SendFrom(Ptr<Packet> packet, const Address& source, const Address& dest,
                  uint16_t protocolNumber) override;
    Ptr<Node> GetNode() const override;
    void SetNode(Ptr<Node> node) override;
    bool NeedsArp() const override;
    void SetReceiveCallback(NetDevice::ReceiveCallback cb) override;
    void SetPromiscReceiveCallback(NetDevice::PromiscReceiveCallback cb) override;
    bool SupportsSendFrom() const override;

  protected:
    void DoDispose() override;

  private:
    friend class LinkChannel;

    /// A packet waiting in the queue, with the protocol it was sent with.
    struct Queued
    {
        Ptr<Packet> packet;
        uint16_t protocol{0};
    };

    /// Puts \p packet on the link now (the device is idle).
    void TransmitStart(Ptr<Packet> packet, uint16_t protocol);
    /// The link is free again: the oldest waiting packet, if any, goes. Scheduled at the end
    /// of every transmission (EventAtEveryTransmitEnd), or only while packets wait (a packet
    /// sent to an idle device after m_busyUntil goes at once).
    void TransmitComplete();
    /// Called by the channel once both ends are attached.
    void ConnectPeer(LinkDevice* peer, Time delay);
    /// A packet from a peer on another MPI rank (ns-3's MpiReceiver calls this).
    void ReceiveRemote(Ptr<Packet> packet);

    // What every packet sent touches, first.
    Time m_busyUntil;                     ///< end of the current transmission
    bool m_drainPending{false};           ///< a TransmitComplete is scheduled
    bool m_everyEnd{true};                ///< EventAtEveryTransmitEnd
    bool m_remote{false};                 ///< the peer is on another MPI rank
    uint32_t m_queued{0};                 ///< packets waiting
    uint32_t m_head{0};                   ///< index of the oldest waiting packet in m_ring
    uint32_t m_peerContext{0};            ///< the peer's node id (its events' context)
    LinkDevice* m_peer{nullptr};          ///< the other end (owned by its node)
    DataRate m_bps{DataRate("32768b/s")}; ///< transmit rate
    /// Frame sizes whose transmission times at m_bps are remembered (a 0-byte entry's
    /// time, 0, is right at any rate).
    std::array<uint32_t, 4> m_txTimeBytes{};
    std::array<Time, 4> m_txTime{};                ///< m_bps.CalculateBytesTxTime(m_txTimeBytes[k])
    uint32_t m_txTimeNext{0};                      ///< the entry a new size replaces next
    Time m_delay;                                  ///< propagation delay (the channel's)
    uint64_t m_txPackets{0};                       ///< packets put on the link
    uint64_t m_txBytes{0};                         ///< their bytes, framing included
    std::vector<Queued> m_ring;                    ///< the queue: QueueSize slots
    TracedCallback<Ptr<const Packet>> m_txTrace;   ///< a packet is put on the link
    TracedCallback<Ptr<const Packet>> m_dropTrace; ///< a packet is dropped (queue, errors)
    // What every packet received touches.
    Ptr<ErrorModel> m_receiveErrorModel; ///< receive-side loss (null: none)
    Forwarder* m_forwarder{nullptr};     ///< takes IPv4 arrivals first (null: none)
    Ptr<Object> m_forwarderObject;       ///< the Object m_forwarder is (keeps it alive)
    NetDevice::ReceiveCallback m_rxCallback;
    NetDevice::PromiscReceiveCallback m_promiscCallback;
    Address m_remoteAddress; ///< the peer's address, passed up with each packet
    // The rest.
    uint64_t m_txDropped{0};           ///< packets dropped on sending
    uint64_t m_rxErrors{0};            ///< packets the error model dropped
    uint64_t m_remoteTx{0};            ///< packets sent to it
    uint64_t m_remoteRx{0};            ///< packets received from it
    std::deque<Time> m_remoteArrivals; ///< when those sent to it arrive (the ones not yet due)
    Ptr<Node> m_node;
    Ptr<LinkChannel> m_channel;
    Mac48Address m_address;
    uint32_t m_ifIndex{0};
    uint16_t m_mtu{1500};
    TracedCallback<> m_linkChangeCallbacks; ///< called when the link comes up (on attach)
};

/**
 * \ingroup bullet
 * \brief The channel between two LinkDevices: a propagation delay, the same both ways.
 *
 * It only introduces the two ends to each other (and gives routing protocols that walk
 * channels, such as Nix-vector routing, the neighbour): devices send to their peer
 * directly, at the delay the channel gave them.
 */
class LinkChannel : public Channel
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    LinkChannel();

    /// \param delay the propagation delay, both ways (also for devices already attached)
    void SetDelay(Time delay);
    /// \return the propagation delay
    Time GetDelay() const;

    /**
     * \brief Attaches a device (at most two).
     * \param device the device; the channel introduces it to the first once both are in
     */
    void Attach(Ptr<LinkDevice> device);

    /// \return the device at end \p i (0 or 1)
    Ptr<LinkDevice> GetLinkDevice(std::size_t i) const;

    // Channel
    std::size_t GetNDevices() const override;
    Ptr<NetDevice> GetDevice(std::size_t i) const override;

  protected:
    void DoDispose() override;

  private:
    /// Gives each attached device its peer and the delay.
    void Connect();

    Time m_delay;
    Ptr<LinkDevice> m_devices[2];
    std::size_t m_nDevices{0};
};

} // namespace ns3

#endif // BULLET_LINK_DEVICE_H
