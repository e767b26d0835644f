/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TOPOLOGY_HELPER_H
#define BULLET_TOPOLOGY_HELPER_H

#include "ns3/data-rate.h"
#include "ns3/error-model.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device.h"
#include "ns3/node-container.h"
#include "ns3/object.h"
#include "ns3/overlay-routing.h"
#include "ns3/topology-spec.h"

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

class CommandLine;

/**
 * \ingroup bullet
 * \brief A TopologySpec built as ns-3 nodes, links, addresses and routes.
 *
 * Gives experiments what the papers' tools knew about the network (clients, their
 * addresses, routed paths and their delays, link devices) without the protocols ever seeing
 * it: protocol agents only get their node and the addresses of peers.
 */
class SimulatedNetwork : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    const TopologySpec& GetSpec() const;
    uint32_t GetNClients() const;
    Ptr<Node> GetClient(uint32_t client) const;
    NodeContainer GetClients() const;
    NodeContainer GetRouters() const;
    Ipv4Address GetClientAddress(uint32_t client) const;
    /// The client an address belongs to, or -1.
    int64_t FindClient(Ipv4Address address) const;
    /// The client index of \p node, or -1 if it is not a client of this network.
    int64_t FindClient(Ptr<Node> node) const;
    /// What this rank's link devices (LinkDevice) exchanged with other ranks.
    struct RemotePackets
    {
        uint64_t sent{0};     ///< put on links to other ranks
        uint64_t received{0}; ///< arrived from other ranks
        uint64_t inFlight{0}; ///< of those sent, still on their links (arriving after now)
    };

    /**
     * \brief Distributed runs: what crossed between ranks, to check that everything sent
     * across arrived or is still on its link (summed over the ranks: sent == received +
     * inFlight).
     */
    RemotePackets GetRemotePackets() const;

    /// Where on the path a link's sending end sits: a client's access link towards the core
    /// (uplink) or from it (downlink), or a core link of the paper's classes.
    enum class QueueSite : uint8_t
    {
        ClientUplink = 0,
        ClientDownlink = 1,
        StubStub = 2,
        TransitStub = 3,
        TransitTransit = 4,
    };
    static constexpr uint32_t kQueueSites = 5;
    /// "client_uplink", "client_downlink", "stub_stub", "transit_stub", "transit_transit".
    static std::string ToString(QueueSite site);

    /// What the link devices of one QueueSite put on their links and dropped at their full
    /// drop-tail queues, on this rank.
    struct QueueCounts
    {
        uint64_t sent{0};
        uint64_t dropped{0};
    };

    /**
     * \brief Packets sent and dropped at the sending queues, by site, over this rank's
     * LinkDevices since they were built; nothing with ns-3's point-to-point devices
     * (SetLinkType("p2p")), whose queue-full drops happen partly in the traffic control layer.
     */
    std::optional<std::array<QueueCounts, kQueueSites>> GetQueueCounts() const;
    /// Routes packets for \p address to client \p client as well: a real host the emulator
    /// attaches behind the client node (HostAttachmentHelper).
    void AddClientAlias(uint32_t client, Ipv4Address address);
    /// Silences client \p client as a crash does: all its interfaces go down
    /// (Ipv4::SetDown), so nothing it sends leaves and nothing reaches it.
    void FailClient(uint32_t client);
    /**
     * \brief Brings a failed client back (FailClient): its interfaces go up again. The
     * processes that ran on it are not restarted: that is the experiment's business.
     * \param client the client
     */
    void RestoreClient(uint32_t client);
    /**
     * \brief Fails (false) or repairs (true) link \p link in both directions: while down,
     * every packet that crosses it is lost at the receiving end (a receive error model that
     * drops everything replaces the link's own loss model, which comes back on repair).
     * Routes stay as they are (static, as in the paper's emulator): traffic routed over a
     * failed link is lost until it comes back.
     * \param link the link
     * \param up false to fail it, true to repair it
     */
    void SetLinkUp(uint32_t link, bool up);
    /// \return false while link \p link is failed (SetLinkUp)
    bool IsLinkUp(uint32_t link) const;

    /// Device at end \p a (true) or b of link \p link: a LinkDevice, or a
    /// PointToPointNetDevice with TopologyHelper::SetLinkType("p2p").
    Ptr<NetDevice> GetDevice(uint32_t link, bool aSide) const;
    /// Sets a link's rate in one direction (a->b when \p fromA).
    void SetLinkRate(uint32_t link, bool fromA, DataRate rate);
    DataRate GetLinkRate(uint32_t link, bool fromA) const;

    /// One hop of a routed path: a link and the direction it is crossed in.
    struct Hop
    {
        uint32_t link;
        bool fromA; ///< crossed a->b
    };

    /// The links from client \p src to client \p dst along the route packets take.
    std::vector<Hop> GetPath(uint32_t src, uint32_t dst) const;
    /// One-way propagation delay from src to dst, in ms (no transmission or queueing).
    double GetPathDelayMs(uint32_t src, uint32_t dst) const;
    /// Propagation round-trip time between two clients, in ms.
    double GetRttMs(uint32_t a, uint32_t b) const;

    Ptr<const OverlayRouteTable> GetRouteTable() const;

  protected:
    void DoDispose() override;

  private:
    friend class TopologyHelper;
    TopologySpec m_spec;
    NodeContainer m_routers;
    NodeContainer m_clients;
    std::vector<Ptr<NetDevice>> m_devices; ///< [2 * link + (aSide ? 0 : 1)]
    std::vector<Ipv4Address> m_clientAddress;
    Ptr<OverlayRouteTable> m_table;
    /// Failed links: their own receive error models (a side, b side), to put back on repair.
    std::map<uint32_t, std::pair<Ptr<ErrorModel>, Ptr<ErrorModel>>> m_failedLinks;
};

/**
 * \ingroup bullet
 * \brief Builds a SimulatedNetwork: the ModelNet-like core every experiment runs on.
 *
 * Point-to-point links with each direction's rate, propagation delay and (if any) a
 * receive-side RateErrorModel for its loss; drop-tail device queues of QueueSize packets
 * and no queue disc (ModelNet's pipes): LinkDevices by default, which do only that, or
 * ns-3's PointToPointNetDevices (SetLinkType), with the same results; IPv4 with one /30 per link
 * from 10.0.0.0/8 (addresses added directly: Ipv4AddressHelper is quadratic in the number of
 * networks); routing by OverlayStaticRouting (default) or Nix-vector (small graphs only).
 *
 * Per hop, the links' devices hand IPv4 packets straight to IPv4 (ns-3 would scan a handler
 * per device of the node, twice) and routers forward towards clients at the link layer
 * (SetDirectForwarding): at an INET hub with thousands of links these were most of a run's
 * cost. See doc/performance.md.
 */
class TopologyHelper
{
  public:
    TopologyHelper();

    /// "overlay" (precomputed min-hop routes between clients) or "nix".
    void SetRouting(const std::string& routing);
    /**
     * Whether routers forward packets towards clients at the link layer
     * (OverlayStaticRouting::ForwardDirectly; default true, with "overlay" routing): the
     * same packets leave at the same instants, at a fraction of IPv4's per-hop cost, but
     * IPv4's and traffic control's traces on routers do not see them.
     */
    void SetDirectForwarding(bool direct);
    /**
     * \brief The devices links are built of.
     *
     * "lean" (default): LinkDevice and LinkChannel, which time, queue and lose packets as
     * ns-3's point-to-point device and channel do, without their queue objects, traces and
     * copies (see doc/performance.md); "p2p": PointToPointNetDevice and PointToPointChannel;
     * "lazy": LinkDevices that schedule the end of a transmission only while packets wait
     * (LinkDevice's EventAtEveryTransmitEnd false: the same timing with about one event less
     * per hop, but simultaneous events may run in another order, so results can differ).
     * \param type "lean", "lazy" or "p2p"
     * \throws std::invalid_argument for another type
     */
    void SetLinkType(const std::string& type);
    /// Whether SetLinkType takes \p type ("lean", "lazy" or "p2p").
    static bool IsLinkType(const std::string& type);
    /**
     * \brief Adds the scenario programs' --links option (SetLinkType), bound to \p type.
     * \param cmd the program's command line
     * \param type where the chosen link type goes
     */
    static void AddLinkTypeOption(CommandLine& cmd, std::string& type);
    /**
     * \brief Checks the value of the --links option that AddLinkTypeOption adds.
     * \param type the value given
     * \throws std::invalid_argument naming the option and its values when IsLinkType is false
     */
    static void ValidateLinkTypeOption(const std::string& type);
    /// Device queue size in packets (ModelNet: 10).
    void SetQueueSize(uint32_t packets);
    /// First RNG stream for the links' error models (two per link are used).
    void SetErrorModelStreamBase(int64_t stream);
    /**
     * \brief Puts each vertex on an MPI rank (its node's system id), e.g. a
     * TopologyPartition's rankOf; empty (default): every node on rank 0.
     *
     * Every rank builds the whole network; links between ranks carry packets through MPI
     * (LinkDevice, or ns-3's point-to-point remote channel). Build refuses ranks beyond
     * Ranks::Size().
     */
    void SetRanks(std::vector<uint32_t> rankOf);

    /// \throws std::invalid_argument on an inconsistent spec
    Ptr<SimulatedNetwork> Build(const TopologySpec& spec) const;

  private:
    std::string m_routing{"overlay"};
    bool m_directForwarding{true};
    bool m_lean{true};
    bool m_everyEnd{true}; ///< LinkDevice's EventAtEveryTransmitEnd (false: "lazy")
    uint32_t m_queuePackets{10};
    int64_t m_streamBase{1000000};
    std::vector<uint32_t> m_rankOf;
};

} // namespace ns3

#endif // BULLET_TOPOLOGY_HELPER_H
