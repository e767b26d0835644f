/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "link-device.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <stdexcept>

#ifdef BULLET_MPI
#    include "ns3/mpi-interface.h"
#    include "ns3/mpi-receiver.h"
#endif

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LinkDevice");

NS_OBJECT_ENSURE_REGISTERED(LinkDevice);

TypeId
LinkDevice::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::LinkDevice")
              .SetParent<NetDevice>()
              .SetGroupName("Bullet")
              .AddConstructor<LinkDevice>()
              .AddAttribute("Mtu", "The MAC-level Maximum Transmission Unit", UintegerValue(1500),
                            MakeUintegerAccessor(&LinkDevice::SetMtu, &LinkDevice::GetMtu),
                            MakeUintegerChecker<uint16_t>())
              .AddAttribute("Address", "The MAC address of this device.",
                            Mac48AddressValue(Mac48Address("ff:ff:ff:ff:ff:ff")),
                            MakeMac48AddressAccessor(&LinkDevice::m_address),
                            MakeMac48AddressChecker())
              .AddAttribute(
                  "DataRate", "The rate this device transmits at",
                  DataRateValue(DataRate("32768b/s")),
                  MakeDataRateAccessor(&LinkDevice::SetDataRate, &LinkDevice::GetDataRate),
                  MakeDataRateChecker())
              .AddAttribute(
                  "QueueSize", "Packets that may wait behind the one being transmitted (drop-tail)",
                  UintegerValue(100),
                  MakeUintegerAccessor(&LinkDevice::SetQueueSize, &LinkDevice::GetQueueSize),
                  MakeUintegerChecker<uint32_t>())
              .AddAttribute(
                  "EventAtEveryTransmitEnd",
                  "Schedule an event at the end of every transmission, as ns-3's "
                  "PointToPointNetDevice does (the same event order, so the same results as "
                  "its links); false: only while packets wait for the link (an idle link "
                  "sends at once), which saves about one event per hop but lets simultaneous "
                  "events run in another order",
                  BooleanValue(true), MakeBooleanAccessor(&LinkDevice::m_everyEnd),
                  MakeBooleanChecker())
              .AddAttribute("ReceiveErrorModel",
                            "The error model asked for every packet received (loss)",
                            PointerValue(), MakePointerAccessor(&LinkDevice::m_receiveErrorModel),
                            MakePointerChecker<ErrorModel>())
              .AddTraceSource("Tx", "A packet is put on the link",
                              MakeTraceSourceAccessor(&LinkDevice::m_txTrace),
                              "ns3::Packet::TracedCallback")
              .AddTraceSource("Drop",
                              "A packet is dropped: the queue is full, or the receive error "
                              "model lost it",
                              MakeTraceSourceAccessor(&LinkDevice::m_dropTrace),
                              "ns3::Packet::TracedCallback");
    return tid;
}

LinkDevice::LinkDevice() = default;

LinkDevice::~LinkDevice() = default;

void
LinkDevice::SetDataRate(DataRate rate)
{
    m_bps = rate;
    m_txTimeBytes.fill(0); // the remembered transmission times were for the old rate
    m_txTime.fill(Time());
}

DataRate
LinkDevice::GetDataRate() const
{
    return m_bps;
}

void
LinkDevice::SetQueueSize(uint32_t packets)
{
    NS_ABORT_MSG_IF(m_queued > 0, "LinkDevice: queue size changed while packets wait");
    std::vector<Queued>(packets).swap(m_ring); // exactly as many slots (107,000 devices)
    m_head = 0;
}

uint32_t
LinkDevice::GetQueueSize() const
{
    return m_ring.size();
}

uint32_t
LinkDevice::GetQueueLength() const
{
    return m_queued;
}

void
LinkDevice::SetReceiveErrorModel(Ptr<ErrorModel> em)
{
    m_receiveErrorModel = em;
}

void
LinkDevice::Attach(Ptr<LinkChannel> channel)
{
    NS_ABORT_MSG_UNLESS(channel, "LinkDevice: no channel");
    m_channel = channel;
    channel->Attach(this);
    // Up once attached, as a point-to-point device is.
    m_linkChangeCallbacks();
}

void
LinkDevice::ConnectPeer(LinkDevice* peer, Time delay)
{
    m_peer = peer;
    m_delay = delay;
    m_remoteAddress = peer->m_address;
    if (peer->m_node)
    {
        m_peerContext = peer->m_node->GetId();
    }
    m_remote = m_node && peer->m_node && m_node->GetSystemId() != peer->m_node->GetSystemId();
    if (m_remote)
    {
#ifdef BULLET_MPI
        if (!GetObject<MpiReceiver>())
        {
            auto receiver = CreateObject<MpiReceiver>();
            receiver->SetReceiveCallback(MakeCallback(&LinkDevice::ReceiveRemote, this));
            AggregateObject(receiver);
        }
#else
        NS_FATAL_ERROR("LinkDevice: nodes " << m_node->GetId() << " and " << peer->m_node->GetId()
                                            << " are on different ranks, but this build has no "
                                               "MPI (./ns3 configure --ns3=mpi)");
#endif
    }
}

void
LinkDevice::ReceiveRemote(Ptr<Packet> packet)
{
    ++m_remoteRx;
    Receive(packet, kIpv4Protocol);
}

uint64_t
LinkDevice::GetRemoteTxPackets() const
{
    return m_remoteTx;
}

uint64_t
LinkDevice::GetRemoteRxPackets() const
{
    return m_remoteRx;
}

uint64_t
LinkDevice::GetRemoteInFlightPackets() const
{
    const Time now = Simulator::Now();
    return std::count_if(m_remoteArrivals.begin(), m_remoteArrivals.end(), [now](Time arrival) {
        return arrival > now;
    });
}

uint64_t
LinkDevice::GetTxPackets() const
{
    return m_txPackets;
}

uint64_t
LinkDevice::GetTxBytes() const
{
    return m_txBytes;
}

uint64_t
LinkDevice::GetTxDropped() const
{
    return m_txDropped;
}

uint64_t
LinkDevice::GetRxErrors() const
{
    return m_rxErrors;
}

bool
LinkDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    const uint32_t capacity = m_ring.size();
    // A point-to-point device's queue takes every packet first (the one sent at once
    // included), so a queue of 0 packets, or a full one, drops.
    if (!m_peer || capacity == 0 || m_queued == capacity)
    {
        ++m_txDropped;
        if (!m_dropTrace.IsEmpty())
        {
            m_dropTrace(packet);
        }
        return false;
    }
    if (m_queued == 0 && !m_drainPending && Simulator::Now() >= m_busyUntil)
    {
        TransmitStart(packet, protocolNumber);
        return true;
    }
    if (!m_drainPending)
    {
        // The first packet to wait on a device that schedules ends only when needed: the
        // link takes it when the current transmission ends.
        m_drainPending = true;
        Simulator::Schedule(m_busyUntil - Simulator::Now(), &LinkDevice::TransmitComplete, this);
    }
    uint32_t tail = m_head + m_queued;
    if (tail >= capacity)
    {
        tail -= capacity;
    }
    m_ring[tail].packet = packet;
    m_ring[tail].protocol = protocolNumber;
    ++m_queued;
    return true;
}

void
LinkDevice::TransmitStart(Ptr<Packet> packet, uint16_t protocol)
{
    const uint32_t bytes = packet->GetSize() + kFramingBytes;
    ++m_txPackets;
    m_txBytes += bytes;
    if (!m_txTrace.IsEmpty())
    {
        m_txTrace(packet);
    }
    // As PointToPointNetDevice::TransmitStart and PointToPointChannel::TransmitStart: the end
    // of the transmission first (unless it is scheduled only when a packet waits for it: on
    // most links most packets find the device idle), then the arrival after the transmission
    // time and the delay, in the peer's context.
    // CalculateBytesTxTime divides 128-bit fixed-point numbers (about 2% of a run, once per
    // hop); a link carries a few frame sizes over and over (data, acknowledgements, TFRC
    // feedback, control segments), so the times of the last four sizes are remembered. The
    // same value either way.
    Time txTime;
    uint32_t k = 0;
    while (k < m_txTimeBytes.size() && m_txTimeBytes[k] != bytes)
    {
        ++k;
    }
    if (k < m_txTimeBytes.size())
    {
        txTime = m_txTime[k];
    }
    else
    {
        txTime = m_bps.CalculateBytesTxTime(bytes);
        m_txTimeBytes[m_txTimeNext] = bytes;
        m_txTime[m_txTimeNext] = txTime;
        m_txTimeNext = (m_txTimeNext + 1) % m_txTimeBytes.size();
    }
    m_busyUntil = Simulator::Now() + txTime;
    if (m_everyEnd)
    {
        m_drainPending = true;
        Simulator::Schedule(txTime, &LinkDevice::TransmitComplete, this);
    }
    if (!m_remote)
    {
        Simulator::ScheduleWithContext(m_peerContext, txTime + m_delay, &LinkDevice::Receive,
                                       m_peer, packet, protocol);
        return;
    }
#ifdef BULLET_MPI
    if (protocol == kIpv4Protocol)
    {
        ++m_remoteTx;
        // Arrivals on a link come in the order of sending: those already due leave the front.
        const Time now = Simulator::Now();
        while (!m_remoteArrivals.empty() && m_remoteArrivals.front() <= now)
        {
            m_remoteArrivals.pop_front();
        }
        m_remoteArrivals.push_back(now + txTime + m_delay);
        MpiInterface::SendPacket(packet, Simulator::Now() + txTime + m_delay,
                                 m_peer->GetNode()->GetId(), m_peer->GetIfIndex());
        return;
    }
#endif
    ++m_txDropped;
    if (!m_dropTrace.IsEmpty())
    {
        m_dropTrace(packet);
    }
}

void
LinkDevice::TransmitComplete()
{
    m_drainPending = false;
    if (m_queued == 0)
    {
        return;
    }
    Queued& next = m_ring[m_head];
    Ptr<Packet> packet = std::move(next.packet);
    const uint16_t protocol = next.protocol;
    if (++m_head == m_ring.size())
    {
        m_head = 0;
    }
    --m_queued;
    TransmitStart(packet, protocol);
    if (!m_drainPending && m_queued > 0)
    {
        m_drainPending = true;
        Simulator::Schedule(m_busyUntil - Simulator::Now(), &LinkDevice::TransmitComplete, this);
    }
}

void
LinkDevice::SetForwarder(Ptr<Object> forwarder)
{
    auto* f = dynamic_cast<Forwarder*>(PeekPointer(forwarder));
    if (forwarder && !f)
    {
        throw std::invalid_argument("LinkDevice::SetForwarder: "
                                    + forwarder->GetInstanceTypeId().GetName()
                                    + " is not a LinkDevice::Forwarder");
    }
    m_forwarder = f;
    m_forwarderObject = forwarder;
}

void
LinkDevice::Receive(Ptr<Packet>& packet, uint16_t protocol)
{
    if (m_receiveErrorModel && m_receiveErrorModel->IsCorrupt(packet))
    {
        ++m_rxErrors;
        if (!m_dropTrace.IsEmpty())
        {
            m_dropTrace(packet);
        }
        return;
    }
    if (!m_promiscCallback.IsNull())
    {
        m_promiscCallback(this, packet, protocol, m_remoteAddress, GetAddress(),
                          NetDevice::PACKET_HOST);
    }
    // The scheduled arrival passes its own reference: a count of one means that nothing
    // else (sender, traces, sniffers) holds this packet.
    if (m_forwarder && protocol == kIpv4Protocol
        && m_forwarder->ForwardArrival(this, packet, packet->GetReferenceCount() == 1))
    {
        return;
    }
    if (!m_rxCallback.IsNull())
    {
        m_rxCallback(this, packet, protocol, m_remoteAddress);
    }
}

void
LinkDevice::SetIfIndex(const uint32_t index)
{
    m_ifIndex = index;
}

uint32_t
LinkDevice::GetIfIndex() const
{
    return m_ifIndex;
}

Ptr<Channel>
LinkDevice::GetChannel() const
{
    return m_channel;
}

void
LinkDevice::SetAddress(Address address)
{
    m_address = Mac48Address::ConvertFrom(address);
    if (m_peer)
    {
        m_peer->m_remoteAddress = m_address;
    }
}

Address
LinkDevice::GetAddress() const
{
    return m_address;
}

bool
LinkDevice::SetMtu(const uint16_t mtu)
{
    m_mtu = mtu;
    return true;
}

uint16_t
LinkDevice::GetMtu() const
{
    return m_mtu;
}

bool
LinkDevice::IsLinkUp() const
{
    return bool(m_channel);
}

void
LinkDevice::AddLinkChangeCallback(Callback<void> callback)
{
    m_linkChangeCallbacks.ConnectWithoutContext(callback);
}

bool
LinkDevice::IsBroadcast() const
{
    return true; // a point-to-point link: every frame reaches the one peer
}

Address
LinkDevice::GetBroadcast() const
{
    return Mac48Address::GetBroadcast(); // parsed once, not per call
}

bool
LinkDevice::IsMulticast() const
{
    return true;
}

Address
LinkDevice::GetMulticast(Ipv4Address multicastGroup) const
{
    return Mac48Address("01:00:5e:00:00:00");
}

Address
LinkDevice::GetMulticast(Ipv6Address addr) const
{
    return Mac48Address("33:33:00:00:00:00");
}

bool
LinkDevice::IsPointToPoint() const
{
    return true;
}

bool
LinkDevice::IsBridge() const
{
    return false;
}

bool
LinkDevice::SendFrom(Ptr<Packet> packet, const Address& source, const Address& dest,
                     uint16_t protocolNumber)
{
    return false;
}

Ptr<Node>
LinkDevice::GetNode() const
{
    return m_node;
}

void
LinkDevice::SetNode(Ptr<Node> node)
{
    m_node = node;
    if (m_peer && node)
    {
        m_peer->m_peerContext = node->GetId();
    }
}

bool
LinkDevice::NeedsArp() const
{
    return false;
}

void
LinkDevice::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_rxCallback = cb;
}

void
LinkDevice::SetPromiscReceiveCallback(NetDevice::PromiscReceiveCallback cb)
{
    m_promiscCallback = cb;
}

bool
LinkDevice::SupportsSendFrom() const
{
    return false;
}

void
LinkDevice::DoDispose()
{
    m_peer = nullptr;
    m_ring.clear();
    m_queued = 0;
    m_receiveErrorModel = nullptr;
    m_forwarder = nullptr;
    m_forwarderObject = nullptr;
    m_rxCallback = NetDevice::ReceiveCallback();
    m_promiscCallback = NetDevice::PromiscReceiveCallback();
    m_node = nullptr;
    m_channel = nullptr;
    NetDevice::DoDispose();
}

NS_OBJECT_ENSURE_REGISTERED(LinkChannel);

TypeId
LinkChannel::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::LinkChannel")
              .SetParent<Channel>()
              .SetGroupName("Bullet")
              .AddConstructor<LinkChannel>()
              .AddAttribute("Delay", "Propagation delay, both ways", TimeValue(Seconds(0)),
                            MakeTimeAccessor(&LinkChannel::SetDelay, &LinkChannel::GetDelay),
                            MakeTimeChecker());
    return tid;
}

LinkChannel::LinkChannel() = default;

void
LinkChannel::SetDelay(Time delay)
{
    m_delay = delay;
    if (m_nDevices == 2)
    {
        Connect();
    }
}

Time
LinkChannel::GetDelay() const
{
    return m_delay;
}

void
LinkChannel::Attach(Ptr<LinkDevice> device)
{
    NS_ABORT_MSG_UNLESS(device, "LinkChannel: no device");
    NS_ABORT_MSG_IF(m_nDevices == 2, "LinkChannel: only two devices per link");
    m_devices[m_nDevices++] = device;
    if (m_nDevices == 2)
    {
        Connect();
    }
}

void
LinkChannel::Connect()
{
    m_devices[0]->ConnectPeer(PeekPointer(m_devices[1]), m_delay);
    m_devices[1]->ConnectPeer(PeekPointer(m_devices[0]), m_delay);
}

Ptr<LinkDevice>
LinkChannel::GetLinkDevice(std::size_t i) const
{
    NS_ABORT_MSG_UNLESS(i < m_nDevices, "LinkChannel: no device " << i);
    return m_devices[i];
}

std::size_t
LinkChannel::GetNDevices() const
{
    return m_nDevices;
}

Ptr<NetDevice>
LinkChannel::GetDevice(std::size_t i) const
{
    return GetLinkDevice(i);
}

void
LinkChannel::DoDispose()
{
    m_devices[0] = nullptr;
    m_devices[1] = nullptr;
    m_nDevices = 0;
    Channel::DoDispose();
}

} // namespace ns3
