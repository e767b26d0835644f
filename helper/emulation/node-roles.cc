/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "node-roles.h"

#include "ns3/bittorrent-application.h"
#include "ns3/bittorrent-tracker.h"
#include "ns3/block-store.h"
#include "ns3/block-transport.h"
#include "ns3/boolean.h"
#include "ns3/buffer.h"
#include "ns3/checked-header.h"
#include "ns3/control-channel.h"
#include "ns3/data-rate.h"
#include "ns3/data-transport.h"
#include "ns3/file-content.h"
#include "ns3/file-distribution-application.h"
#include "ns3/ipv4-address.h"
#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/overlay-application.h"
#include "ns3/overlay-helper.h"
#include "ns3/simulator.h"
#include "ns3/streaming-application.h"
#include "ns3/torrent-metainfo.h"
#include "ns3/uinteger.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <tuple>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NodeRoles");

namespace
{

/// Has \p write write PATH.tmp, then renames it to \p path: readers (other hosts' nodes,
/// polling for the file) never see half of what a source publishes.
void
PublishAtomically(const std::string& path, const std::function<void(const std::string&)>& write)
{
    const std::string tmp = path + ".tmp";
    write(tmp);
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
    {
        throw std::runtime_error("cannot rename " + tmp + " to " + path);
    }
}

/// The helper of \p spec's system, configured as the simulation programs configure it.
OverlayHelper
MakeHelper(const NodeRoleSpec& spec, const SystemSpec& system, const NodeRoleOptions& o)
{
    if (system.tree != "online" && system.tree != "none" && system.tree != "")
    {
        // Offline trees are computed from the whole topology: global knowledge.
        throw std::invalid_argument("role " + spec.name + ": system " + system.name
                                    + " needs an offline tree, which a real host cannot know");
    }
    OverlayHelper helper(system.appType);
    if (system.configure)
    {
        system.configure(helper);
    }
    helper.SetSource(o.bootstrap);
    return helper;
}

/// Installs \p helper's application on \p node over the online tree (or none) and fixes its
/// random streams to host \p index's block, as client \p index of a simulation has them.
Ptr<Application>
InstallOne(const OverlayHelper& helper, const SystemSpec& system, Ptr<Node> node, uint32_t index)
{
    ApplicationContainer apps
        = system.tree == "none" ? helper.InstallWithoutTree(node) : helper.Install(node);
    OverlayHelper::AssignStreams(apps, OverlayHelper::kStreamBase
                                           + int64_t(index) * OverlayApplication::kStreamsPerNode);
    return apps.Get(0);
}

} // namespace

void
NodeRole::Publish(const NodeRoleOptions&)
{
    throw std::invalid_argument("--prepare is for file sources");
}

bool
NodeRole::WriteOutput(const std::string&) const
{
    return false;
}

namespace
{

/// A streaming protocol's source or receiver.
class StreamingRole : public NodeRole
{
  public:
    explicit StreamingRole(const NodeRoleSpec& spec)
        : m_spec(spec)
    {
    }

    void
    Install(Ptr<Node> node, const NodeRoleOptions& o) override
    {
        const SystemSpec& system = SystemRegistry::Get().Find(m_spec.system, m_spec.kind);
        if (o.rateKbps <= 0)
        {
            throw std::invalid_argument("--rate must be positive");
        }
        OverlayHelper helper = MakeHelper(m_spec, system, o);
        // The control connections' timers of the simulated streaming programs' default
        // (--controlTcp=linux), so that a host runs what the simulation it is compared with runs.
        ObjectFactory control;
        control.SetTypeId(BlockTransport::GetTypeId());
        BlockTransport::SetLinuxTimers(control);
        helper.SetControlChannel("ns3::TcpControlChannel", "Transport",
                                 ObjectFactoryValue(control));
        helper.SetAttribute("Rate", DataRateValue(DataRate(uint64_t(o.rateKbps * 1000))));
        helper.SetAttribute("PacketSize", UintegerValue(o.packetSize));
        m_warmup = o.warmup;
        m_rateKbps = o.rateKbps;
        m_app = DynamicCast<StreamingApplication>(InstallOne(helper, system, node, o.index));
        NS_ABORT_MSG_UNLESS(m_app, system.appType << " is not a StreamingApplication");
        m_app->TraceConnectWithoutContext(
            "DataRx", Callback<void, Ipv4Address, uint32_t, uint32_t, bool, bool>(
                          [this](Ipv4Address, uint32_t, uint32_t bytes, bool fromParent, bool dup) {
                              if (m_firstPacket < 0)
                              {
                                  m_firstPacket = Simulator::Now().GetSeconds();
                              }
                              ++m_packets;
                              m_duplicates += dup;
                              if (Simulator::Now().GetSeconds() >= m_warmup)
                              {
                                  m_raw += bytes;
                                  m_useful += dup ? 0 : bytes;
                                  m_parent += fromParent ? bytes : 0;
                              }
                          }));
        m_app->TraceConnectWithoutContext("DataTx",
                                          Callback<void, Ipv4Address, uint32_t, uint32_t>(
                                              [this](Ipv4Address, uint32_t, uint32_t bytes) {
                                                  if (Simulator::Now().GetSeconds() >= m_warmup)
                                                  {
                                                      m_sent += bytes;
                                                  }
                                              }));
        m_app->TraceConnectWithoutContext("ControlTx",
                                          Callback<void, Ipv4Address, uint16_t, uint32_t>(
                                              [this](Ipv4Address, uint16_t, uint32_t bytes) {
                                                  // Over the window, as the simulation's
                                                  // control_kbps.
                                                  if (Simulator::Now().GetSeconds() >= m_warmup)
                                                  {
                                                      m_control += bytes;
                                                  }
                                              }));
    }

    Ptr<Application>
    GetApplication() const override
    {
        return m_app;
    }

    bool
    Done() const override
    {
        return false;
    }

    nlohmann::json
    Results() const override
    {
        const double now = Simulator::Now().GetSeconds();
        const double window = now - m_warmup;
        auto kbps = [window](uint64_t bytes) {
            return window > 0 ? bytes * 8.0 / 1000 / window : 0.0;
        };
        nlohmann::json r;
        r["rate_kbps"] = m_rateKbps;
        r["window_s"] = {m_warmup, now};
        r["useful_kbps"] = kbps(m_useful);
        r["raw_kbps"] = kbps(m_raw);
        r["from_parent_kbps"] = kbps(m_parent);
        r["sent_kbps"] = kbps(m_sent);
        r["control_kbps"] = kbps(m_control);
        r["packets"] = m_packets;
        r["duplicates"] = m_duplicates;
        r["duplicate_fraction"] = m_packets ? double(m_duplicates) / m_packets : 0.0;
        r["first_packet_s"] = m_firstPacket;
        r["malformed"] = m_app->GetMalformedCount();
        Ptr<ControlChannel> channel = m_app->GetControlChannel();
        r["control_rejected"] = channel ? channel->GetRejectedCount() : 0;
        return r;
    }

    bool
    Succeeded(std::string& why) const override
    {
        if (m_spec.source)
        {
            if (m_sent == 0)
            {
                why = "the source sent no stream packets after the warm-up (no receiver joined)";
                return false;
            }
            return true;
        }
        if (m_useful == 0)
        {
            why = "no stream packets arrived after the warm-up";
            return false;
        }
        return true;
    }

  private:
    NodeRoleSpec m_spec;
    Ptr<StreamingApplication> m_app;
    double m_warmup{0};
    double m_rateKbps{0};
    double m_firstPacket{-1};
    uint64_t m_packets{0};
    uint64_t m_duplicates{0};
    uint64_t m_raw{0};
    uint64_t m_useful{0};
    uint64_t m_parent{0};
    uint64_t m_sent{0};
    uint64_t m_control{0};
};

/// A file-distribution protocol's source or receiver.
class FileRole : public NodeRole
{
  public:
    explicit FileRole(const NodeRoleSpec& spec)
        : m_spec(spec)
    {
    }

    void
    Install(Ptr<Node> node, const NodeRoleOptions& o) override
    {
        const SystemSpec& system = SystemRegistry::Get().Find(m_spec.system, m_spec.kind);
        OverlayHelper helper = MakeHelper(m_spec, system, o);
        Prepare(o, system, helper);
        helper.SetAttribute("FileSize", UintegerValue(m_manifest.GetFileSize()));
        helper.SetAttribute("BlockSize", UintegerValue(m_manifest.GetBlockSize()));
        m_app = DynamicCast<FileDistributionApplication>(InstallOne(helper, system, node, o.index));
        NS_ABORT_MSG_UNLESS(m_app, system.appType << " is not a FileDistributionApplication");
        Configure();
        m_app->TraceConnectWithoutContext("Complete", Callback<void, Time>([this](Time t) {
                                              m_completion = t.GetSeconds();
                                          }));
        m_app->TraceConnectWithoutContext("BlockRx",
                                          Callback<void, Ipv4Address, uint32_t, uint32_t, bool>(
                                              [this](Ipv4Address, uint32_t, uint32_t, bool dup) {
                                                  if (m_firstBlock < 0)
                                                  {
                                                      m_firstBlock = Simulator::Now().GetSeconds();
                                                  }
                                                  ++m_blocks;
                                                  m_duplicates += dup;
                                              }));
        m_app->TraceConnectWithoutContext("BlockTx",
                                          Callback<void, Ipv4Address, uint32_t, uint32_t>(
                                              [this](Ipv4Address, uint32_t, uint32_t) {
                                                  ++m_sent;
                                              }));
        m_app->TraceConnectWithoutContext("ControlTx",
                                          Callback<void, Ipv4Address, uint16_t, uint32_t>(
                                              [this](Ipv4Address, uint16_t, uint32_t bytes) {
                                                  m_control += bytes;
                                              }));
    }

    void
    Publish(const NodeRoleOptions& o) override
    {
        if (!m_spec.source)
        {
            NodeRole::Publish(o);
        }
        const SystemSpec& system = SystemRegistry::Get().Find(m_spec.system, m_spec.kind);
        OverlayHelper helper = MakeHelper(m_spec, system, o);
        Prepare(o, system, helper);
    }

    Ptr<Application>
    GetApplication() const override
    {
        return m_app;
    }

    bool
    Done() const override
    {
        return !m_spec.source && m_app && m_app->IsComplete();
    }

    nlohmann::json
    Results() const override
    {
        nlohmann::json r;
        const bool complete = m_spec.source || m_app->IsComplete();
        r["start_s"] = 0.0;
        r["completion_s"] = m_spec.source ? 0.0 : m_completion;
        r["complete"] = complete;
        r["blocks_received"] = m_blocks;
        r["duplicates"] = m_duplicates;
        r["rejected"] = m_app->GetRejectedBlocks();
        r["malformed"] = m_app->GetMalformedCount();
        // Input the transports refused (a peer speaking garbage on the protocol's ports).
        Ptr<ControlChannel> channel = m_app->GetControlChannel();
        r["control_rejected"] = channel ? channel->GetRejectedCount() : 0;
        Ptr<TcpDataTransport> tcp = DynamicCast<TcpDataTransport>(m_app->GetTransport());
        r["data_malformed"] = tcp ? tcp->GetMalformedCount() : 0;
        r["control_bytes"] = m_control;
        r["blocks_sent"] = m_sent;
        r["first_block_s"] = m_firstBlock;
        r["blocks_held"] = m_app->GetBlocksHeld();
        r["num_blocks"] = m_app->GetNumBlocks();
        r["file_size"] = m_manifest.GetFileSize();
        r["block_size"] = m_manifest.GetBlockSize();
        r["manifest_sha256"] = BlockManifest::ToHex(m_manifest.GetFileDigest());
        bool ok = m_spec.source;
        if (!m_spec.source && complete && m_app->GetStore() && m_app->GetStore()->HoldsBytes())
        {
            const std::string got = BlockManifest::ToHex(m_app->GetStore()->ComputeFileDigest());
            r["file_sha256"] = got;
            ok = BytesOk(got);
        }
        r["file_sha256_ok"] = ok;
        AddResults(r);
        return r;
    }

    bool
    Succeeded(std::string& why) const override
    {
        if (m_spec.source || m_app->IsComplete())
        {
            return true;
        }
        why = "incomplete: " + std::to_string(m_app->GetBlocksHeld()) + " of "
              + std::to_string(m_app->GetBlocksNeeded()) + " blocks";
        return false;
    }

    bool
    WriteOutput(const std::string& path) const override
    {
        if (m_spec.source)
        {
            // What it distributes, for comparison with what the receivers got.
            std::ofstream out(path, std::ios::binary | std::ios::trunc);
            out.write(reinterpret_cast<const char*>(m_content.GetData()),
                      std::streamsize(m_content.GetSize()));
            if (!out.flush())
            {
                throw std::runtime_error("cannot write " + path);
            }
            return true;
        }
        if (!m_app->IsComplete() || !m_app->GetStore())
        {
            return false;
        }
        m_app->GetStore()->WriteTo(path);
        return true;
    }

  protected:
    /**
     * Gets the file's description out of band: the source makes the file and publishes its
     * manifest (--manifest), a receiver reads it. Sets m_manifest (its sizes become the
     * application's), the source's m_content, and attributes of \p helper.
     */
    virtual void
    Prepare(const NodeRoleOptions& o, const SystemSpec& system, OverlayHelper& helper)
    {
        if (o.manifest.empty())
        {
            throw std::invalid_argument(
                "file roles need --manifest=PATH (the source writes it, receivers read it)");
        }
        if (system.prepareFile)
        {
            // Out-of-band set-up from the file itself (as BitTorrent's .torrent): such a
            // system needs a role of its own (BitTorrentRole).
            throw std::invalid_argument("role " + m_spec.name + ": system " + system.name
                                        + " needs out-of-band set-up of its own");
        }
        if (m_spec.source)
        {
            m_content = LoadContent(o);
            m_manifest = BlockManifest::Make(m_content, o.blockSize);
            WriteManifestFile(m_manifest, o.manifest);
        }
        else
        {
            m_manifest = ReadManifestFile(o.manifest);
            if (m_manifest.IsVirtual())
            {
                throw std::invalid_argument("manifest " + o.manifest
                                            + " is of a virtual file: real hosts move real bytes");
            }
        }
    }

    /// Hands the application what Prepare() got (before it starts).
    virtual void
    Configure()
    {
        if (m_spec.source)
        {
            m_app->SetContent(m_content, m_manifest);
        }
        else
        {
            m_app->SetManifest(m_manifest);
        }
    }

    /// Whether a complete receiver's file, of SHA-256 \p sha256 (hex), is the source's.
    virtual bool
    BytesOk(const std::string& sha256) const
    {
        return sha256 == BlockManifest::ToHex(m_manifest.GetFileDigest());
    }

    /// Adds a role's own keys to Results().
    virtual void
    AddResults(nlohmann::json& r) const
    {
    }

    /// The source's file: --file, or generated from --size and --seed.
    static FileContent
    LoadContent(const NodeRoleOptions& o)
    {
        return o.file.empty() ? FileContent::Generate(o.size, o.seed)
                              : FileContent::FromFile(o.file);
    }

    NodeRoleSpec m_spec;
    FileContent m_content{FileContent::Virtual(1)}; ///< the source's file
    BlockManifest m_manifest;
    Ptr<FileDistributionApplication> m_app;

  private:
    double m_completion{-1};
    double m_firstBlock{-1};
    uint64_t m_blocks{0};
    uint64_t m_duplicates{0};
    uint64_t m_sent{0};
    uint64_t m_control{0};
};

/**
 * BitTorrent's seeder or peer: the file's description travels as a real .torrent (--torrent),
 * which real clients read and write too. The seeder makes it (announcing --tracker, by
 * default itself, running ours); a peer reads it (one a real client or mktorrent made too),
 * announces to the tracker its URL names and checks each piece by the torrent's SHA-1.
 */
class BitTorrentRole : public FileRole
{
  public:
    using FileRole::FileRole;

  protected:
    void
    Prepare(const NodeRoleOptions& o, const SystemSpec&, OverlayHelper& helper) override
    {
        if (o.torrent.empty())
        {
            throw std::invalid_argument("BitTorrent roles need --torrent=PATH (the seeder writes "
                                        "the .torrent, peers read it)");
        }
        Ipv4Address tracker;
        uint16_t trackerPort = 0;
        if (m_spec.source)
        {
            m_content = LoadContent(o);
            tracker = o.tracker == Ipv4Address::GetAny() ? o.address : o.tracker;
            trackerPort = o.trackerPort;
            std::ostringstream url;
            url << "http://" << tracker << ":" << trackerPort << "/announce";
            std::string name = o.file.empty() ? "file" : o.file.substr(o.file.rfind('/') + 1);
            m_torrent = TorrentMetainfo::Make(m_content, name.empty() ? "file" : name, url.str());
            PublishAtomically(o.torrent, [this](const std::string& tmp) {
                m_torrent.Save(tmp);
            });
            m_manifest = BlockManifest::Make(m_content, TorrentMetainfo::kBlockLength);
        }
        else
        {
            m_torrent = TorrentMetainfo::Load(o.torrent);
            if (m_torrent.IsMultiFile())
            {
                throw std::invalid_argument("torrent " + o.torrent
                                            + " lists several files: bullet-node downloads "
                                              "single-file torrents");
            }
            try
            {
                std::tie(tracker, trackerPort) = ParseAnnounceUrl(m_torrent.GetAnnounce());
            }
            catch (const std::invalid_argument& e)
            {
                throw std::invalid_argument("torrent " + o.torrent + ": " + e.what());
            }
            // Sizes only: each piece's SHA-1 in the torrent checks the bytes.
            m_manifest = BlockManifest::Make(FileContent::Virtual(m_torrent.GetLength()),
                                             TorrentMetainfo::kBlockLength);
        }
        helper.SetAttribute("Tracker", Ipv4AddressValue(tracker));
        helper.SetAttribute("TrackerPort", UintegerValue(trackerPort));
        helper.SetAttribute("RunTracker", BooleanValue(m_spec.source && tracker == o.address));
    }

    void
    Configure() override
    {
        Ptr<BitTorrentApplication> bt = DynamicCast<BitTorrentApplication>(m_app);
        NS_ABORT_MSG_UNLESS(bt, "not a BitTorrentApplication");
        bt->SetTorrent(m_torrent);
        if (m_spec.source)
        {
            m_app->SetContent(m_content, m_manifest);
        }
    }

    bool
    BytesOk(const std::string&) const override
    {
        return true; // a complete peer's every piece passed the torrent's SHA-1
    }

    void
    AddResults(nlohmann::json& r) const override
    {
        Ptr<BitTorrentApplication> bt = DynamicCast<BitTorrentApplication>(m_app);
        r["info_hash"] = m_torrent.GetInfoHashHex();
        r["pieces"] = m_torrent.GetNumPieces();
        r["pieces_held"] = bt->GetPiecesHeld();
        r["connections"] = bt->GetConnectionCount();
        r["protocol_errors"] = bt->GetProtocolErrorCount();
        if (Ptr<BitTorrentTracker> tracker = bt->GetTracker())
        {
            r["tracker"] = {{"announces", tracker->GetAnnounceCount()},
                            {"rejected", tracker->GetRejectedCount()},
                            {"scrapes", tracker->GetScrapeCount()},
                            {"swarm", tracker->GetSwarmSize(m_torrent.GetInfoHash())}};
        }
    }

  private:
    TorrentMetainfo m_torrent;
};

/// BitTorrent's tracker alone on a node (BEP 3's HTTP announce and BEP 48's scrape), for
/// seeders that run none, real clients among them.
class TrackerRole : public NodeRole
{
  public:
    explicit TrackerRole(const NodeRoleSpec&)
    {
    }

    void
    Install(Ptr<Node> node, const NodeRoleOptions& o) override
    {
        m_tracker = CreateObject<BitTorrentTracker>();
        m_tracker->SetAttribute("Port", UintegerValue(o.trackerPort));
        m_tracker->AssignStreams(OverlayHelper::kStreamBase
                                 + int64_t(o.index) * OverlayApplication::kStreamsPerNode);
        node->AddApplication(m_tracker);
        m_tracker->SetStartTime(Seconds(0));
    }

    Ptr<Application>
    GetApplication() const override
    {
        return m_tracker;
    }

    bool
    Done() const override
    {
        return false;
    }

    nlohmann::json
    Results() const override
    {
        return {{"announces", m_tracker->GetAnnounceCount()},
                {"scrapes", m_tracker->GetScrapeCount()},
                {"rejected", m_tracker->GetRejectedCount()}};
    }

    bool
    Succeeded(std::string& why) const override
    {
        if (m_tracker->GetAnnounceCount() == 0)
        {
            why = "no peer announced";
            return false;
        }
        return true;
    }

  private:
    Ptr<BitTorrentTracker> m_tracker;
};

/// The factory of a role table row.
template<class Role>
std::unique_ptr<NodeRole>
Make(const NodeRoleSpec& spec)
{
    return std::make_unique<Role>(spec);
}

} // namespace

const std::vector<NodeRoleSpec>&
NodeRoles()
{
    const auto streaming = SystemSpec::STREAMING;
    const auto files = SystemSpec::FILE_DISTRIBUTION;
    static const std::vector<NodeRoleSpec> roles = {
        {"bullet-source", "bullet", streaming, true,
         "Bullet streaming source: the root of the RandomTree (--rate)", Make<StreamingRole>},
        {"bullet-receiver", "bullet", streaming, false,
         "Bullet streaming receiver: joins the tree at --bootstrap, recovers over the mesh",
         Make<StreamingRole>},
        {"splitstream-source", "splitstream", streaming, true,
         "SplitStream streaming source: Pastry's bootstrap node, the stripes' sender (--rate)",
         Make<StreamingRole>},
        {"splitstream-receiver", "splitstream", streaming, false,
         "SplitStream streaming receiver: joins Pastry at --bootstrap, subscribes to the 16 "
         "stripes",
         Make<StreamingRole>},
        {"bullet-prime-source", "bullet-prime", files, true,
         "Bullet' file source: generates (--size, --seed) or reads (--file) the file, writes "
         "--manifest",
         Make<FileRole>},
        {"bullet-prime-receiver", "bullet-prime", files, false,
         "Bullet' file receiver: reads --manifest, joins at --bootstrap, writes --output",
         Make<FileRole>},
        {"bittorrent-seeder", "bittorrent", files, true,
         "BitTorrent seeder: generates (--size, --seed) or reads (--file) the file, writes its "
         "--torrent announcing --tracker (default: itself, running the tracker)",
         Make<BitTorrentRole>},
        {"bittorrent-peer", "bittorrent", files, false,
         "BitTorrent peer: reads --torrent (ours or a real client's), announces to its tracker, "
         "writes --output",
         Make<BitTorrentRole>},
        {"bittorrent-tracker", "bittorrent", files, true,
         "BitTorrent tracker alone (HTTP announce and scrape on --trackerPort), e.g. for a real "
         "seeder",
         Make<TrackerRole>},
    };
    return roles;
}

std::pair<Ipv4Address, uint16_t>
ParseAnnounceUrl(const std::string& url)
{
    const std::string scheme = "http://";
    const auto bad = [&url](const std::string& why) {
        return std::invalid_argument("announce URL '" + url + "': " + why);
    };
    if (url.compare(0, scheme.size(), scheme) != 0)
    {
        throw bad("not http:// (bullet-node speaks BEP 3's HTTP announce)");
    }
    const std::string rest = url.substr(scheme.size());
    const std::string authority = rest.substr(0, rest.find('/'));
    const auto colon = authority.find(':');
    const std::string host = authority.substr(0, colon);
    // Four decimal numbers 0..255: a node on a real host has no resolver.
    uint32_t parts = 0;
    uint32_t value = 0;
    uint32_t digits = 0;
    for (size_t i = 0; i <= host.size(); ++i)
    {
        if (i == host.size() || host[i] == '.')
        {
            if (digits == 0 || value > 255)
            {
                throw bad("the host must be an IPv4 address (no names without a resolver)");
            }
            ++parts;
            value = 0;
            digits = 0;
        }
        else if (host[i] >= '0' && host[i] <= '9' && digits < 3)
        {
            value = value * 10 + uint32_t(host[i] - '0');
            ++digits;
        }
        else
        {
            throw bad("the host must be an IPv4 address (no names without a resolver)");
        }
    }
    if (parts != 4)
    {
        throw bad("the host must be an IPv4 address (no names without a resolver)");
    }
    uint32_t port = 80;
    if (colon != std::string::npos)
    {
        const std::string p = authority.substr(colon + 1);
        if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos
            || std::stoul(p) == 0 || std::stoul(p) > 65535)
        {
            throw bad("bad port '" + p + "'");
        }
        port = uint32_t(std::stoul(p));
    }
    return {Ipv4Address(host.c_str()), uint16_t(port)};
}

const NodeRoleSpec&
FindNodeRole(const std::string& name)
{
    std::string known;
    for (const auto& r : NodeRoles())
    {
        if (r.name == name)
        {
            return r;
        }
        known += (known.empty() ? "" : ", ") + r.name;
    }
    throw std::invalid_argument("unknown role '" + name + "' (known: " + known + ")");
}

std::string
DescribeNodeRoles()
{
    std::string out;
    for (const auto& r : NodeRoles())
    {
        out += (out.empty() ? "" : "; ") + r.name + ": " + r.description;
    }
    return out;
}

void
WriteManifestFile(const BlockManifest& manifest, const std::string& path)
{
    Buffer buffer;
    buffer.AddAtStart(manifest.GetSerializedSize());
    Buffer::Iterator it = buffer.Begin();
    manifest.Serialize(it);
    PublishAtomically(path, [&buffer](const std::string& tmp) {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
        {
            throw std::runtime_error("cannot write manifest " + tmp);
        }
        buffer.CopyData(&out, buffer.GetSize());
        if (!out.flush())
        {
            throw std::runtime_error("cannot write manifest " + tmp);
        }
    });
}

BlockManifest
ReadManifestFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw std::runtime_error("cannot read manifest " + path + " (does the source run?)");
    }
    // A manifest holds at most kMaxBlocks digests of 32 bytes.
    constexpr uint64_t kLimit = uint64_t(BlockManifest::kMaxBlocks) * 32 + 4096;
    std::vector<uint8_t> bytes;
    char chunk[65536];
    while (in.read(chunk, sizeof(chunk)) || in.gcount() > 0)
    {
        bytes.insert(bytes.end(), chunk, chunk + in.gcount());
        if (bytes.size() > kLimit)
        {
            throw std::runtime_error("manifest " + path + " is too large to be one");
        }
    }
    if (bytes.empty())
    {
        throw std::runtime_error("manifest " + path + " is empty");
    }
    Buffer buffer;
    buffer.AddAtStart(bytes.size());
    buffer.Begin().Write(bytes.data(), bytes.size());
    WireReader reader(buffer.Begin());
    BlockManifest manifest;
    if (!manifest.Deserialize(reader) || !reader.Ok())
    {
        throw std::runtime_error("manifest " + path + " is corrupt: "
                                 + (reader.GetError().empty() ? "bad content" : reader.GetError()));
    }
    if (reader.GetRemaining() != 0)
    {
        throw std::runtime_error("manifest " + path + " has "
                                 + std::to_string(reader.GetRemaining()) + " trailing bytes");
    }
    return manifest;
}

} // namespace ns3
