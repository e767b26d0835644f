/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "system-registry.h"

#include "ns3/bittorrent-application.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/nstime.h"
#include "ns3/request-book.h"
#include "ns3/torrent-metainfo.h"
#include "ns3/uinteger.h"

#include <sstream>
#include <stdexcept>

namespace ns3
{

namespace
{
/// The online tree of the file systems (Bullet', Bullet for files): 15 s heartbeat timeouts,
/// and a peer whose control connection fails counts as failed at once. With the 2003
/// streaming 5 s, a parent whose heartbeats wait behind a full access queue (the source
/// pushing blocks over TCP) is declared failed although alive: Figure 17's congested mesh
/// lost 79 parents that way in one run, none with these values, which are neutral on the
/// default mesh (doc/bullet-prime.md, the Figure 17 paragraph).
void
FileTreeTimeouts(OverlayHelper& h)
{
    h.SetTreeAttribute("ParentTimeout", TimeValue(Seconds(15)));
    h.SetTreeAttribute("ChildTimeout", TimeValue(Seconds(15)));
    h.SetTreeAttribute("FailOnPeerDown", BooleanValue(true));
}
} // namespace

SystemRegistry&
SystemRegistry::Get()
{
    static SystemRegistry registry;
    return registry;
}

SystemRegistry::SystemRegistry()
{
    const auto streaming = SystemSpec::STREAMING;
    Add({"bullet", streaming, "Bullet over a tree (--tree; 2003 Section 3)",
         "ns3::BulletApplication", "", nullptr, nullptr});
    Add({"bottleneck-tree", streaming, "TFRC streaming over the offline bottleneck tree",
         "ns3::TreeStreamingApplication", "bottleneck", nullptr, nullptr});
    Add({"random-tree", streaming, "TFRC streaming over an offline random tree",
         "ns3::TreeStreamingApplication", "random", nullptr, nullptr});
    Add({"online-random-tree", streaming, "TFRC streaming over the online RandomTree protocol",
         "ns3::TreeStreamingApplication", "online", nullptr, nullptr});
    Add({"gossip", streaming, "push gossiping, no tree (2003 Section 4.4)",
         "ns3::PushGossipApplication", "none", nullptr, nullptr});
    Add({"antientropy", streaming,
         "streaming over the bottleneck tree with anti-entropy recovery (2003 Section 4.4)",
         "ns3::AntiEntropyApplication", "bottleneck",
         [](OverlayHelper& h) {
             h.SetFullMembership(true);
         },
         nullptr});
    Add({"splitstream", streaming,
         "SplitStream: 16 stripes, one Scribe tree each over Pastry, packet j on stripe j mod 16 "
         "(Castro et al. 2003; the papers' comparison)",
         "ns3::SplitStreamApplication", "none", nullptr, nullptr});
    const auto files = SystemSpec::FILE_DISTRIBUTION;
    Add({"bullet-prime", files,
         "Bullet': source push, receiver-driven pulls over a RanSub-found mesh (2008 Section 4)",
         "ns3::BulletPrimeApplication", "online",
         [](OverlayHelper& h) {
             // Blocks over TCP; the protocol's own flow control bounds what waits per peer.
             h.SetTransport("ns3::TcpDataTransport", "QueueLimit", UintegerValue(1000));
             FileTreeTimeouts(h);
         },
         nullptr});
    Add({"bittorrent", files,
         "BitTorrent (BEP 3 on the wire, mainline 3.4 algorithms; its tracker on the source)",
         "ns3::BitTorrentApplication", "none", nullptr,
         [](const FileContent& content, const BlockManifest& manifest) -> SystemSpec::FileSetup {
             if (manifest.GetBlockSize() != RequestBook::kBlockBytes)
             {
                 throw std::invalid_argument(
                     "bittorrent moves 16 KiB blocks (BEP 3): the block size must be 16384, not "
                     + std::to_string(manifest.GetBlockSize()));
             }
             // The .torrent, made once per run, reaches every peer out of band.
             auto torrent = std::make_shared<TorrentMetainfo>(
                 TorrentMetainfo::Make(content, "file", "http://source:6969/announce"));
             return [torrent](Ptr<Application> app) {
                 Ptr<BitTorrentApplication> bt = DynamicCast<BitTorrentApplication>(app);
                 NS_ABORT_MSG_UNLESS(bt, "not a BitTorrentApplication");
                 bt->SetTorrent(*torrent);
             };
         }});
    Add({"bullet", files,
         "Bullet (2003) for a file: the source pushes increasing block numbers down the tree, "
         "peers recover over the mesh; complete at ceil(1.04 n) distinct blocks (2008 Sections "
         "4.1.3, 4.3.2)",
         "ns3::BulletFilesApplication", "online",
         [](OverlayHelper& h) {
             // The paper's MACEDON TCP queues, shrunk to one block per receiving peer
             // (2008 Section 4.3.2.1); the 4% overhead of the erasure code it stands for.
             h.SetTransport("ns3::TcpDataTransport", "QueueLimit", UintegerValue(1));
             h.SetAttribute("EncodingOverhead", DoubleValue(0.04));
             FileTreeTimeouts(h);
         },
         nullptr});
    Add({"splitstream", files,
         "SplitStream for a file: blocks round-robin over 16 stripe trees (Scribe over Pastry), "
         "TCP; complete at ceil(1.04 n) distinct blocks (2008 Sections 4.1.3, 4.4)",
         "ns3::SplitStreamFilesApplication", "none",
         [](OverlayHelper& h) {
             // A bounded MACEDON-like queue per child (blocks beyond it are lost for that
             // child's subtree); the 4% overhead of the erasure code the paper assumed.
             h.SetTransport("ns3::TcpDataTransport", "QueueLimit", UintegerValue(8));
             h.SetAttribute("EncodingOverhead", DoubleValue(0.04));
         },
         nullptr});
}

void
SystemRegistry::Add(const SystemSpec& spec)
{
    if (spec.name.empty() || spec.name.find(',') != std::string::npos)
    {
        throw std::invalid_argument("a system needs a name without commas");
    }
    m_systems[{spec.kind, spec.name}] = spec;
}

const SystemSpec&
SystemRegistry::Find(const std::string& name, SystemSpec::Kind kind) const
{
    auto it = m_systems.find({kind, name});
    if (it == m_systems.end())
    {
        std::string known;
        for (const auto& n : Names(kind))
        {
            known += (known.empty() ? "" : ", ") + n;
        }
        throw std::invalid_argument("unknown system '" + name + "' (known: " + known + ")");
    }
    return it->second;
}

std::vector<std::string>
SystemRegistry::Names(SystemSpec::Kind kind) const
{
    std::vector<std::string> names;
    for (const auto& [key, spec] : m_systems)
    {
        if (key.first == kind)
        {
            names.push_back(key.second);
        }
    }
    return names;
}

std::string
SystemRegistry::Describe(SystemSpec::Kind kind) const
{
    std::string out;
    for (const auto& name : Names(kind))
    {
        out += (out.empty() ? "" : "; ") + name + ": " + m_systems.at({kind, name}).description;
    }
    return out;
}

std::vector<SystemSpec>
SystemRegistry::Parse(const std::string& list, SystemSpec::Kind kind) const
{
    std::vector<SystemSpec> out;
    std::stringstream in(list);
    for (std::string name; std::getline(in, name, ',');)
    {
        out.push_back(Find(name, kind));
    }
    if (out.empty())
    {
        throw std::invalid_argument("--systems is empty");
    }
    return out;
}

} // namespace ns3
