/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "file-scenario.h"

#include "ns3/bandwidth-change.h"
#include "ns3/boolean.h"
#include "ns3/command-line.h"
#include "ns3/fault-schedule.h"
#include "ns3/file-distribution-application.h"
#include "ns3/inet-topology.h"
#include "ns3/link-packet-counter.h"
#include "ns3/overlay-helper.h"
#include "ns3/random-tree.h"
#include "ns3/ranks.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket.h"
#include "ns3/topology-helper.h"
#include "ns3/uinteger.h"

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace ns3
{

void
FileDistributionScenario::Config::AddTo(CommandLine& cmd)
{
    cmd.AddValue("topology", "mesh2008 (the 2008 paper's full-mesh ModelNet network) | inet",
                 topology);
    cmd.AddValue("nodes", "participants, the source included", nodes);
    cmd.AddValue("source", "the source's participant index (-1: drawn from the seed)", source);
    cmd.AddValue("topoNodes", "inet: topology size (>= 3037)", topoNodes);
    cmd.AddValue("profile", "inet: bandwidth profile low|medium|high|prime2008", profile);
    cmd.AddValue("loss", "inet: loss profile none|bullet2003|bullet2008", loss);
    cmd.AddValue("accessKbps", "mesh2008: access link rate, kbps", accessKbps);
    cmd.AddValue("coreKbps", "mesh2008: core link rate, kbps", coreKbps);
    cmd.AddValue("coreLoss", "mesh2008: core links lose [0, this] of their packets", coreLossMax);
    cmd.AddValue("coreDelayMin", "mesh2008: smallest core link delay, ms", coreDelayMinMs);
    cmd.AddValue("coreDelayMax", "mesh2008: largest core link delay, ms", coreDelayMaxMs);
    cmd.AddValue("queue", "packets each link direction's drop-tail queue holds (ModelNet-like 10)",
                 queue);
    cmd.AddValue("tcpBuffer",
                 "TCP send/receive buffer of the TCP block transport, bytes (0: 128 KiB); a "
                 "long fat pipe needs more (Figure 18)",
                 tcpBuffer);
    cmd.AddValue("treeTimeout",
                 "s: heartbeat timeouts of the online tree (Bullet', Bullet) for parents and "
                 "children; 0: the system's own (15 s)",
                 treeTimeout);
    cmd.AddValue("size", "bytes of the generated file (ignored with --file)", size);
    cmd.AddValue("file", "distribute this file instead of a generated one", file);
    cmd.AddValue("blockSize", "bytes per block (the paper: 16 kB)", blockSize);
    cmd.AddValue("payload", "real (bytes carried and SHA-256-checked) | virtual (sizes only)",
                 payload);
    cmd.AddValue("seed", "topology, source, file content and protocol seed", seed);
    cmd.AddValue("maxTime", "simulated seconds before unfinished receivers are given up", maxTime);
    cmd.AddValue("output", "directory receivers write their reassembled files to", output);
    cmd.AddValue("quiet", "no progress lines", quiet);
    cmd.AddValue("lateJoin",
                 "flash crowd: FRACTION@T, that share of the receivers starts at T s (Figure 22)",
                 lateJoin);
    cmd.AddValue("bwChanges",
                 "mesh2008: every 20 s, half the participants each lose half the core "
                 "bandwidth from half the others, cumulatively (Figure 14)",
                 bwChanges);
    cmd.AddValue("churn",
                 "mean receiver lifetime, s (exponential; a leaver is replaced by a fresh "
                 "receiver; Figure 23); 0 none",
                 churn);
    cmd.AddValue("linkFail",
                 "T:D: the core link carrying the source's traffic to the most receivers fails "
                 "at T s for D s, then comes back; \"\" none",
                 linkFail);
    cmd.AddValue("partition",
                 "K@T:D: K receivers (drawn from the seed) are cut from every other participant "
                 "at T s for D s, then the partition heals (mesh2008); \"\" none",
                 partition);
    AddSchedulerOption(cmd, scheduler);
    TopologyHelper::AddLinkTypeOption(cmd, links);
    distributed.AddTo(cmd);
}

namespace
{
/// Parses "FRACTION@T"; throws std::invalid_argument.
std::pair<double, double>
ParseLateJoin(const std::string& spec)
{
    const auto at = spec.find('@');
    size_t usedF = 0;
    size_t usedT = 0;
    double fraction = -1;
    double t = -1;
    try
    {
        if (at != std::string::npos)
        {
            fraction = std::stod(spec.substr(0, at), &usedF);
            t = std::stod(spec.substr(at + 1), &usedT);
        }
    }
    catch (const std::exception&)
    {
        fraction = -1;
    }
    if (at == std::string::npos || usedF != at || usedT != spec.size() - at - 1
        || !(fraction > 0 && fraction <= 1) || !(t >= 0))
    {
        throw std::invalid_argument("--lateJoin must be FRACTION@T with 0 < FRACTION <= 1 and "
                                    "T >= 0, e.g. 0.5@30");
    }
    return {fraction, t};
}
} // namespace

void
FileDistributionScenario::Config::Validate() const
{
    if (topology != "mesh2008" && topology != "inet")
    {
        throw std::invalid_argument("unknown --topology '" + topology + "' (mesh2008|inet)");
    }
    if (!(treeTimeout >= 0) || (treeTimeout > 0 && treeTimeout < 0.01))
    {
        throw std::invalid_argument("--treeTimeout must be 0 (the system's own) or at least "
                                    "0.01 s");
    }
    if (nodes < 2)
    {
        throw std::invalid_argument("--nodes must be at least 2");
    }
    if (source < -1 || source >= int64_t(nodes))
    {
        throw std::invalid_argument("--source must be -1 (drawn) or a participant, 0.."
                                    + std::to_string(nodes - 1));
    }
    if (payload != "real" && payload != "virtual")
    {
        throw std::invalid_argument("unknown --payload '" + payload + "' (real|virtual)");
    }
    if (file.empty() && size == 0)
    {
        throw std::invalid_argument("--size must be positive");
    }
    if (queue == 0)
    {
        throw std::invalid_argument("--queue must be at least 1 packet");
    }
    if (blockSize == 0)
    {
        throw std::invalid_argument("--blockSize must be positive");
    }
    // A TCP protocol puts a block (and its header) into the socket whole: a smaller buffer
    // would never take it and the download would stall.
    if (tcpBuffer > 0 && tcpBuffer < blockSize + 64)
    {
        throw std::invalid_argument("--tcpBuffer must hold at least one block and its header ("
                                    + std::to_string(blockSize + 64) + " bytes)");
    }
    if (!(maxTime > 0))
    {
        throw std::invalid_argument("--maxTime must be positive");
    }
    if (!(accessKbps > 0) || !(coreKbps > 0) || coreLossMax < 0 || coreLossMax >= 1)
    {
        throw std::invalid_argument("need --accessKbps, --coreKbps > 0 and 0 <= --coreLoss < 1");
    }
    if (!(coreDelayMinMs >= 0) || !(coreDelayMaxMs >= coreDelayMinMs) || coreDelayMaxMs > 10000)
    {
        throw std::invalid_argument("need 0 <= --coreDelayMin <= --coreDelayMax <= 10000 ms");
    }
    if (!lateJoin.empty())
    {
        auto [fraction, t] = ParseLateJoin(lateJoin);
        if (t >= maxTime)
        {
            throw std::invalid_argument("--lateJoin time must be before --maxTime");
        }
    }
    if (!(churn >= 0) || std::isinf(churn))
    {
        throw std::invalid_argument("--churn must be a mean lifetime in seconds (0: no churn)");
    }
    if (bwChanges && topology != "mesh2008")
    {
        throw std::invalid_argument("--bwChanges needs --topology=mesh2008 (a core link per pair)");
    }
    if (churn > 0 && !lateJoin.empty())
    {
        throw std::invalid_argument("--churn and --lateJoin cannot be combined");
    }
    for (const auto& [spec, option] :
         {std::make_pair(linkFail, "linkFail"), std::make_pair(partition, "partition")})
    {
        if (spec.empty())
        {
            continue;
        }
        const FaultSchedule::Window w = std::string(option) == "linkFail"
                                            ? FaultSchedule::ParseWindow(spec, option)
                                            : FaultSchedule::ParsePartition(spec, option).second;
        if (w.at + w.duration >= maxTime)
        {
            throw std::invalid_argument(std::string("--") + option
                                        + ": the fault must end before --maxTime");
        }
        if (churn > 0)
        {
            throw std::invalid_argument(std::string("--") + option
                                        + " and --churn cannot be combined");
        }
    }
    if (!partition.empty())
    {
        if (topology != "mesh2008")
        {
            throw std::invalid_argument(
                "--partition needs --topology=mesh2008 (a core link per pair to cut)");
        }
        if (FaultSchedule::ParsePartition(partition, "partition").first > nodes - 1)
        {
            throw std::invalid_argument(
                "--partition: K must be at most the receivers (--nodes - 1)");
        }
    }
    if (!output.empty() && payload == "virtual")
    {
        throw std::invalid_argument(
            "--output needs --payload=real: a virtual payload has no bytes");
    }
    ValidateScheduler(scheduler);
    TopologyHelper::ValidateLinkTypeOption(links);
    distributed.Validate();
}

FileDistributionScenario::FileDistributionScenario(const Config& config)
    : m_config(config)
    , m_content(FileContent::Virtual(1))
{
    m_config.Validate();
    boost::random::mt19937_64 rng(config.seed + 17);
    m_source = config.source >= 0
                   ? uint32_t(config.source)
                   : boost::random::uniform_int_distribution<uint32_t>(0, config.nodes - 1)(rng);
    m_lives = DrawIncarnations();
    if (!m_config.partition.empty())
    {
        // K receivers, the same for every system of a run.
        std::vector<uint32_t> receivers = ShuffledReceivers(29);
        receivers.resize(FaultSchedule::ParsePartition(m_config.partition, "partition").first);
        std::sort(receivers.begin(), receivers.end());
        m_partitioned = receivers;
    }
    const uint32_t hosts = m_lives.size(); // one per incarnation
    if (config.topology == "mesh2008")
    {
        MeshParams p;
        p.participants = hosts;
        p.accessKbps = config.accessKbps;
        p.coreKbps = config.coreKbps;
        p.coreLossMax = config.coreLossMax;
        p.coreDelayMinMs = config.coreDelayMinMs;
        p.coreDelayMaxMs = config.coreDelayMaxMs;
        p.seed = config.seed;
        m_spec = MakeFileDistributionMesh(p);
    }
    else
    {
        InetTopology topo = InetTopology::Generate({config.topoNodes, 0, 10000, config.seed});
        InetAnnotation a;
        a.clients = hosts;
        a.bandwidth = config.profile;
        a.loss = config.loss;
        a.seed = config.seed;
        m_spec = AnnotateInet(topo, a);
    }
    if (!config.file.empty())
    {
        m_content = FileContent::FromFile(config.file);
        if (config.payload == "virtual")
        {
            m_content = FileContent::Virtual(m_content.GetSize());
        }
    }
    else
    {
        m_content = config.payload == "virtual" ? FileContent::Virtual(config.size)
                                                : FileContent::Generate(config.size, config.seed);
    }
    m_manifest = BlockManifest::Make(m_content, config.blockSize);
    m_rankOf = m_config.distributed.Split(m_spec, config.seed, m_mpi);
}

const FileDistributionScenario::Config&
FileDistributionScenario::GetConfig() const
{
    return m_config;
}

uint32_t
FileDistributionScenario::GetSource() const
{
    return m_source;
}

const BlockManifest&
FileDistributionScenario::GetManifest() const
{
    return m_manifest;
}

std::vector<double>
FileDistributionScenario::GetStartTimes() const
{
    std::vector<double> start(m_config.nodes, 0.0);
    if (m_config.lateJoin.empty())
    {
        return start;
    }
    auto [fraction, t] = ParseLateJoin(m_config.lateJoin);
    // The same late joiners for every system of a run.
    std::vector<uint32_t> receivers = ShuffledReceivers(41);
    const uint32_t late = uint32_t(std::ceil(fraction * receivers.size() - 1e-9));
    for (uint32_t i = 0; i < late; ++i)
    {
        start[receivers[i]] = t;
    }
    return start;
}

std::vector<uint32_t>
FileDistributionScenario::ShuffledReceivers(uint64_t salt) const
{
    std::vector<uint32_t> receivers;
    for (uint32_t i = 0; i < m_config.nodes; ++i)
    {
        if (i != m_source)
        {
            receivers.push_back(i);
        }
    }
    boost::random::mt19937_64 rng(m_config.seed + salt);
    for (uint32_t i = receivers.size(); i > 1; --i)
    {
        uint32_t k = boost::random::uniform_int_distribution<uint32_t>(0, i - 1)(rng);
        std::swap(receivers[i - 1], receivers[k]);
    }
    return receivers;
}

std::vector<FileDistributionScenario::Incarnation>
FileDistributionScenario::GetIncarnations() const
{
    return m_lives;
}

std::vector<FileDistributionScenario::Incarnation>
FileDistributionScenario::DrawIncarnations() const
{
    const std::vector<double> starts = GetStartTimes();
    std::vector<Incarnation> all;
    for (uint32_t i = 0; i < m_config.nodes; ++i)
    {
        all.push_back({i, i, starts[i], m_config.maxTime, false});
    }
    if (m_config.churn <= 0)
    {
        return all;
    }
    boost::random::mt19937_64 rng(m_config.seed + 59);
    boost::random::exponential_distribution<double> lifetime(1.0 / m_config.churn);
    std::vector<Incarnation> later;
    for (uint32_t i = 0; i < m_config.nodes; ++i)
    {
        if (i == m_source)
        {
            continue;
        }
        double start = all[i].start;
        Incarnation* current = &all[i];
        while (true)
        {
            const double end = start + lifetime(rng);
            if (end >= m_config.maxTime)
            {
                break;
            }
            current->end = end;
            current->departs = true;
            later.push_back({i, 0, end, m_config.maxTime, false});
            current = &later.back();
            start = end;
        }
    }
    std::stable_sort(later.begin(), later.end(), [](const Incarnation& a, const Incarnation& b) {
        return a.start < b.start;
    });
    for (uint32_t j = 0; j < later.size(); ++j)
    {
        later[j].host = m_config.nodes + j;
    }
    all.insert(all.end(), later.begin(), later.end());
    return all;
}

std::vector<uint32_t>
FileDistributionScenario::GetPartitioned() const
{
    return m_partitioned;
}

double
FileDistributionScenario::GetOptimalSeconds() const
{
    // Every receiver must download the file through its access link, and the source must
    // upload it at least once through its own.
    double slowest = std::numeric_limits<double>::infinity();
    double sourceUp = std::numeric_limits<double>::infinity();
    for (uint32_t c = 0; c < m_config.nodes; ++c)
    {
        const uint32_t v = m_spec.ClientVertex(c);
        for (const auto& l : m_spec.links)
        {
            if (l.a != v && l.b != v)
            {
                continue;
            }
            const double down = l.a == v ? l.rateBtoA : l.rateAtoB;
            const double up = l.a == v ? l.rateAtoB : l.rateBtoA;
            if (c == m_source)
            {
                sourceUp = std::min(sourceUp, up);
            }
            else
            {
                slowest = std::min(slowest, down);
            }
        }
    }
    const double bits = m_manifest.GetFileSize() * 8.0;
    return std::max(bits / slowest, bits / sourceUp);
}

nlohmann::json
FileDistributionScenario::RunSystem(const SystemSpec& system, ExperimentOutput& out,
                                    const Customize& customize) const
{
    if (system.kind != SystemSpec::FILE_DISTRIBUTION)
    {
        throw std::invalid_argument("'" + system.name + "' is not a file-distribution system");
    }
    if (system.tree != "online" && system.tree != "none")
    {
        throw std::invalid_argument("file systems run over the online tree or none");
    }
    auto wallStart = std::chrono::steady_clock::now();
    const std::string name = system.name;
    Ranks::BeginRun();
    UseScheduler(m_config.scheduler);
    TopologyHelper topology;
    topology.SetQueueSize(m_config.queue);
    topology.SetLinkType(m_config.links);
    if (!m_rankOf.empty())
    {
        topology.SetRanks(m_rankOf);
    }
    Ptr<SimulatedNetwork> net = topology.Build(m_spec);
    LinkPacketCounter links; // packet-hops: the cost measure benchmarks compare systems by
    std::unique_ptr<BandwidthChangeSchedule> changes;
    if (m_config.bwChanges)
    {
        BandwidthChangeSchedule::Params p;
        p.seed = m_config.seed + 71; // the same changes for every system of a run
        changes = std::make_unique<BandwidthChangeSchedule>(net, p);
        changes->Start(Seconds(0), Seconds(m_config.maxTime));
    }
    nlohmann::json faults = nlohmann::json::array();
    auto scheduleFaults = [&]() {
        if (!m_config.linkFail.empty())
        {
            const auto w = FaultSchedule::ParseWindow(m_config.linkFail, "linkFail");
            std::vector<uint32_t> behind;
            const uint32_t link
                = FaultSchedule::MostSharedCoreLink(net, m_source, m_config.nodes, behind);
            FaultSchedule::Schedule(net, {link}, w);
            faults.push_back(FaultSchedule::Describe("link", w, {link}, behind));
        }
        if (!m_partitioned.empty())
        {
            const auto w = FaultSchedule::ParsePartition(m_config.partition, "partition").second;
            const std::vector<uint32_t> cut
                = FaultSchedule::CutLinks(net, m_partitioned, m_config.nodes);
            FaultSchedule::Schedule(net, cut, w);
            faults.push_back(FaultSchedule::Describe("partition", w, cut, m_partitioned));
        }
    };
    try
    {
        scheduleFaults();
    }
    catch (const std::invalid_argument&)
    {
        Simulator::Destroy(); // a topology the fault does not fit: nothing ran
        throw;
    }
    OverlayHelper helper(system.appType);
    helper.SetAttribute("FileSize", UintegerValue(m_manifest.GetFileSize()));
    helper.SetAttribute("BlockSize", UintegerValue(m_manifest.GetBlockSize()));
    if (system.configure)
    {
        system.configure(helper);
    }
    if (m_config.treeTimeout > 0 && system.tree == "online")
    {
        helper.SetTreeAttribute("ParentTimeout", TimeValue(Seconds(m_config.treeTimeout)));
        helper.SetTreeAttribute("ChildTimeout", TimeValue(Seconds(m_config.treeTimeout)));
    }
    if (m_config.tcpBuffer > 0)
    {
        // A protocol with sockets of its own (BitTorrent) has the attribute itself; the
        // others' TCP sockets are their block transport's.
        TypeId::AttributeInformation info;
        if (TypeId::LookupByName(system.appType).LookupAttributeByName("SocketBuffer", &info))
        {
            helper.SetAttribute("SocketBuffer", UintegerValue(m_config.tcpBuffer));
        }
        else
        {
            helper.SetTransportAttribute("SocketBuffer", UintegerValue(m_config.tcpBuffer));
        }
    }
    const SystemSpec::FileSetup setup
        = system.prepareFile ? system.prepareFile(m_content, m_manifest) : SystemSpec::FileSetup();
    if (customize)
    {
        customize(helper);
    }
    const uint32_t n = m_config.nodes;
    const std::vector<Incarnation> lives = GetIncarnations();
    // Replacements (churn) join the same tree, through the source, on hosts of their own (a
    // tree-less system: they find the others their own way, e.g. through the tracker).
    OverlayHelper rejoin = helper;
    rejoin.SetSource(net->GetClientAddress(m_source));
    ApplicationContainer apps;
    if (lives.size() == n)
    {
        apps = system.tree == "online" ? helper.InstallRandomTree(net, m_source)
                                       : helper.InstallWithoutTree(net, m_source);
    }
    else
    {
        NodeContainer participants;
        for (uint32_t i = 0; i < n; ++i)
        {
            participants.Add(net->GetClients().Get(i));
        }
        apps = system.tree == "online" ? rejoin.Install(participants)
                                       : helper.InstallWithoutTree(participants, m_source);
        OverlayHelper::AssignClientStreams(net, apps);
    }

    // A system standing for an erasure code (its nodes need more distinct blocks than the
    // file has) runs no decoder: its receivers hold the file's blocks they got, not the file.
    // (Distributed: apps are this rank's, maybe none; the ranks agree.)
    bool coded = false;
    for (uint32_t a = 0; a < apps.GetN(); ++a)
    {
        const auto app = DynamicCast<FileDistributionApplication>(apps.Get(a));
        NS_ABORT_MSG_UNLESS(app, system.appType << " is not a FileDistributionApplication");
        coded = coded || app->GetBlocksNeeded() > app->GetNumBlocks();
    }
    coded = Ranks::Max(coded ? 1.0 : 0.0) > 0;
    if (coded && !m_config.output.empty())
    {
        Simulator::Destroy();
        throw std::invalid_argument(
            "--output writes each receiver's reassembled file, but '" + name
            + "' stands for an erasure code and runs no decoder: its receivers hold blocks, not "
              "the file (run it without --output)");
    }

    std::vector<Record> records(lives.size());
    uint32_t completed = 0;
    // The online tree's repairs: parents lost (by cause) and joins accepted, over every node.
    std::map<std::string, uint64_t> parentLosses{{"silent", 0}, {"connection", 0}, {"leave", 0}};
    uint64_t treeJoins = 0;
    double treeTimeout = 0; // s, the trees' ParentTimeout (the same on every node)
    bool treeFailOnPeerDown = false;
    const Time end = Seconds(m_config.maxTime);
    // Gives incarnation k its application: its bytes or manifest, its traces, its lifetime
    // (relative to now, when the application is added).
    auto attach = [&](uint32_t k, Ptr<Application> a) {
        Record& r = records[k];
        r.life = lives[k];
        r.app = DynamicCast<FileDistributionApplication>(a);
        NS_ABORT_MSG_UNLESS(r.app, system.appType << " is not a FileDistributionApplication");
        if (r.life.host == m_source)
        {
            r.app->SetContent(m_content, m_manifest);
        }
        else
        {
            r.app->SetManifest(m_manifest);
        }
        if (setup)
        {
            setup(a);
        }
        r.app->TraceConnectWithoutContext("Complete",
                                          Callback<void, Time>([&records, &completed, k](Time t) {
                                              records[k].completion = t.GetSeconds();
                                              ++completed;
                                          }));
        r.app->TraceConnectWithoutContext(
            "BlockRx",
            Callback<void, Ipv4Address, uint32_t, uint32_t, bool>(
                [&records, k](Ipv4Address, uint32_t, uint32_t, bool dup) {
                    Record& rec = records[k];
                    ++rec.blocks;
                    rec.duplicates += dup;
                    if (!dup && rec.completion < 0)
                    {
                        rec.arrivals.push_back(Simulator::Now().GetSeconds() - rec.life.start);
                    }
                }));
        r.app->TraceConnectWithoutContext("ControlTx",
                                          Callback<void, Ipv4Address, uint16_t, uint32_t>(
                                              [&records, k](Ipv4Address, uint16_t, uint32_t bytes) {
                                                  records[k].controlBytes += bytes;
                                              }));
        if (auto tree = DynamicCast<RandomTree>(r.app->GetTree()))
        {
            TimeValue timeout;
            tree->GetAttribute("ParentTimeout", timeout);
            treeTimeout = timeout.Get().GetSeconds();
            BooleanValue failFast;
            tree->GetAttribute("FailOnPeerDown", failFast);
            treeFailOnPeerDown = failFast.Get();
            tree->TraceConnectWithoutContext(
                "ParentLost", Callback<void, Ipv4Address, const std::string&>(
                                  [&parentLosses](Ipv4Address, const std::string& why) {
                                      ++parentLosses[why];
                                  }));
            tree->TraceConnectWithoutContext("Joined",
                                             Callback<void, Ipv4Address>([&treeJoins](Ipv4Address) {
                                                 ++treeJoins;
                                             }));
        }
        const double now = Simulator::Now().GetSeconds();
        a->SetStartTime(Seconds(r.life.start - now));
        a->SetStopTime(Seconds(r.life.end - now));
    };
    for (uint32_t a = 0; a < apps.GetN(); ++a)
    {
        attach(uint32_t(net->FindClient(apps.Get(a)->GetNode())), apps.Get(a));
    }
    for (uint32_t k = n; k < lives.size(); ++k)
    {
        Simulator::Schedule(Seconds(lives[k].start), [&, k]() {
            Ptr<Node> host = net->GetClients().Get(lives[k].host);
            if (!OverlayHelper::IsLocal(host))
            {
                return; // its own rank installs it
            }
            ApplicationContainer one
                = system.tree == "online" ? rejoin.Install(host) : rejoin.InstallWithoutTree(host);
            // Incarnation k's block of streams, after the n participants' (in the order of
            // arrival), whichever rank runs it.
            OverlayHelper::AssignStreams(one, OverlayHelper::kStreamBase
                                                  + k * OverlayApplication::kStreamsPerNode);
            attach(k, one.Get(0));
        });
    }
    auto departuresBy = [&lives](double t) {
        return uint32_t(std::count_if(lives.begin(), lives.end(), [t](const Incarnation& l) {
            return l.departs && l.end <= t;
        }));
    };
    const uint32_t receivers = n - 1;
    // Without churn, stop as soon as every receiver is done; a progress line every 10
    // simulated seconds.
    // Distributed: every rank checks at the same simulated times and sums the ranks'
    // completions (a collective), so all stop together.
    std::function<void()> check = [&]() {
        if (lives.size() == n && Ranks::Sum(uint64_t(completed)) == receivers)
        {
            Simulator::Stop();
            return;
        }
        Simulator::Schedule(MilliSeconds(500), check);
    };
    Simulator::Schedule(MilliSeconds(500), check);
    std::function<void()> progress = [&]() {
        const double wall = Ranks::Max(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count());
        const uint64_t done = Ranks::Sum(uint64_t(completed));
        Simulator::Schedule(Seconds(10), progress);
        if (Ranks::Rank() != 0)
        {
            return;
        }
        std::cout << "[" << name << "] t = " << std::fixed << std::setprecision(0)
                  << Simulator::Now().GetSeconds() << " s: " << done;
        if (lives.size() == n)
        {
            std::cout << "/" << receivers << " receivers complete";
        }
        else
        {
            std::cout << " downloads complete, " << departuresBy(Simulator::Now().GetSeconds())
                      << " departures";
        }
        std::cout << ", " << std::setprecision(1) << wall << " s wall" << std::endl;
    };
    if (!m_config.quiet)
    {
        std::cout << "[" << name << "] " << n << " nodes, source " << m_source << ", file "
                  << m_manifest.GetFileSize() << " bytes in " << m_manifest.GetNumBlocks()
                  << " blocks (" << (m_manifest.IsVirtual() ? "virtual" : "real") << " payload)";
        if (lives.size() > n)
        {
            std::cout << ", churn: mean lifetime " << m_config.churn << " s, " << lives.size() - n
                      << " replacements scheduled";
        }
        std::cout << std::endl;
        Simulator::Schedule(Seconds(10), progress);
    }
    Simulator::Stop(end + Seconds(1));
    Simulator::Run();
    const double simulated = Simulator::Now().GetSeconds();

    // Each rank finishes its own incarnations where their bytes are: the file check and
    // --output. Then rank 0 gathers every rank's records and alone summarises and writes.
    for (Record& r : records)
    {
        if (!r.app)
        {
            continue; // another rank's, or scheduled after the run stopped
        }
        r.ran = true;
        r.rejected = r.app->GetRejectedBlocks();
        const BlockStore* store = r.app->GetStore();
        if (r.life.host != m_source && r.completion >= 0 && store && !coded)
        {
            r.fileOk = store->ComputeFileDigest() == m_manifest.GetFileDigest();
            if (!m_config.output.empty())
            {
                store->WriteTo(m_config.output + "/" + name + "-node"
                               + std::to_string(r.life.host));
            }
        }
    }
    GatherRecords(records);
    nlohmann::json summary;
    if (Ranks::Rank() == 0)
    {
        summary = Summarise(name, net, records, coded, simulated, faults, out);
    }
    summary["simulated_s"] = simulated;
    const double wall = Ranks::Max(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count());
    AddRunCost(summary, wall, simulated);
    const uint64_t linkPackets = Ranks::Sum(links.GetPackets());
    if (system.tree == "online")
    {
        nlohmann::json losses;
        for (const auto& [why, count] : parentLosses)
        {
            losses[why] = Ranks::Sum(count);
        }
        summary["tree_parent_losses"] = losses;
        summary["tree_joins"] = Ranks::Sum(treeJoins);
        summary["tree_timeout_s"] = Ranks::Max(treeTimeout);
        summary["tree_fail_on_peer_down"] = Ranks::Max(treeFailOnPeerDown ? 1.0 : 0.0) > 0;
    }
    summary["link_packets"] = linkPackets;
    summary["wall_us_per_link_packet"] = linkPackets > 0 ? wall * 1e6 / linkPackets : 0.0;
    if (Ranks::IsDistributed())
    {
        // Every packet a rank put on a link to another arrived there, or was still on its
        // link when the run stopped.
        const auto across = net->GetRemotePackets();
        summary["mpi_packets_sent_across"] = Ranks::Sum(across.sent);
        summary["mpi_packets_received_across"] = Ranks::Sum(across.received);
        summary["mpi_packets_in_flight_at_end"] = Ranks::Sum(across.inFlight);
    }
    out.Systems()[name] = summary;
    Simulator::Destroy();
    return summary;
}

void
FileDistributionScenario::GatherRecords(std::vector<Record>& records) const
{
    if (!Ranks::IsDistributed())
    {
        return;
    }
    nlohmann::json mine = nlohmann::json::array();
    for (uint32_t k = 0; k < records.size(); ++k)
    {
        const Record& r = records[k];
        if (r.ran)
        {
            mine.push_back({k, r.completion, r.blocks, r.duplicates, r.controlBytes, r.rejected,
                            r.fileOk, r.arrivals});
        }
    }
    const std::vector<uint8_t> bytes = nlohmann::json::to_msgpack(mine);
    const auto parts = Ranks::Gather(std::string(bytes.begin(), bytes.end()));
    for (uint32_t rank = 1; rank < parts.size(); ++rank)
    {
        for (const auto& e : nlohmann::json::from_msgpack(parts[rank]))
        {
            Record& r = records.at(e[0].get<uint32_t>());
            r.life = m_lives.at(e[0].get<uint32_t>());
            r.ran = true;
            r.completion = e[1].get<double>();
            r.blocks = e[2].get<uint64_t>();
            r.duplicates = e[3].get<uint64_t>();
            r.controlBytes = e[4].get<uint64_t>();
            r.rejected = e[5].get<uint64_t>();
            r.fileOk = e[6].get<bool>();
            r.arrivals = e[7].get<std::vector<float>>();
        }
    }
}

nlohmann::json
FileDistributionScenario::Summarise(const std::string& name, Ptr<SimulatedNetwork> net,
                                    const std::vector<Record>& records, bool coded,
                                    double simulated, const nlohmann::json& faults,
                                    ExperimentOutput& out) const
{
    const uint32_t n = m_config.nodes;
    const std::vector<Incarnation>& lives = m_lives;
    const uint32_t receivers = n - 1;
    auto departuresBy = [&lives](double t) {
        return uint32_t(std::count_if(lives.begin(), lives.end(), [t](const Incarnation& l) {
            return l.departs && l.end <= t;
        }));
    };
    nlohmann::json summary;
    // The best a TCP-based system could do (Figure 13): each receiver over its own access
    // link, with the median RTT to the other participants (it downloads from many).
    std::vector<double> bestTcp;
    {
        TypeId::AttributeInformation info;
        uint32_t initialCwnd = 10;
        if (TcpSocket::GetTypeId().LookupAttributeByName("InitialCwnd", &info))
        {
            initialCwnd = DynamicCast<const UintegerValue>(info.initialValue)->Get();
        }
        for (uint32_t i = 0; i < n; ++i)
        {
            if (i == m_source)
            {
                continue;
            }
            std::vector<double> rtts;
            for (uint32_t j = 0; j < n; ++j)
            {
                if (j != i)
                {
                    rtts.push_back(net->GetRttMs(i, j) / 1000);
                }
            }
            std::nth_element(rtts.begin(), rtts.begin() + rtts.size() / 2, rtts.end());
            const auto path = net->GetPath(m_source, i);
            const double access
                = net->GetLinkRate(path.back().link, path.back().fromA).GetBitRate();
            bestTcp.push_back(BestOverTcpSeconds(m_manifest.GetFileSize(), access,
                                                 rtts[rtts.size() / 2], 1448, initialCwnd));
        }
        std::sort(bestTcp.begin(), bestTcp.end());
    }

    // Results: one CSV row per incarnation (one per node without churn).
    std::vector<double> times;
    std::vector<double> initialTimes; ///< incarnations that started at t = 0
    std::vector<double> laterTimes;   ///< replacements (churn)
    double longestIncompleteStay = 0;
    uint64_t blocks = 0;
    uint64_t duplicates = 0;
    uint64_t control = 0;
    uint64_t rejected = 0;
    bool verified = !m_manifest.IsVirtual();
    std::ofstream csv(out.Path(name + "-nodes.csv"));
    csv << "node,source,start_s,completion_s,blocks_received,duplicates,rejected,control_bytes,"
           "file_sha256_ok,slot,end_s,departs,first_block_s\n";
    for (uint32_t k = 0; k < records.size(); ++k)
    {
        const Record& r = records[k];
        if (!r.ran)
        {
            continue; // scheduled after the run stopped
        }
        const uint32_t i = r.life.host;
        blocks += r.blocks;
        duplicates += r.duplicates;
        control += r.controlBytes;
        rejected += r.rejected;
        const bool ok = r.fileOk;
        const double stayed = std::min(r.life.end, simulated) - r.life.start;
        if (i != m_source && r.completion >= 0)
        {
            times.push_back(r.completion);
            (k < n ? initialTimes : laterTimes).push_back(r.completion);
            verified = verified && ok;
        }
        else if (i != m_source)
        {
            longestIncompleteStay = std::max(longestIncompleteStay, stayed);
        }
        csv << i << "," << (i == m_source) << "," << r.life.start << "," << r.completion << ","
            << r.blocks << "," << r.duplicates << "," << r.rejected << "," << r.controlBytes << ","
            << ok << "," << r.life.slot << "," << std::min(r.life.end, simulated) << ","
            << r.life.departs << "," << (r.arrivals.empty() ? -1.0 : r.arrivals.front()) << "\n";
    }
    std::sort(times.begin(), times.end());
    auto quantile = [](const std::vector<double>& v, double q) {
        return v.empty() ? -1.0
                         : v[std::min<size_t>(v.size() - 1, size_t(std::ceil(q * v.size())) - 1)];
    };
    auto average = [](const std::vector<double>& v) {
        double sum = 0;
        for (double t : v)
        {
            sum += t;
        }
        return v.empty() ? -1.0 : sum / v.size();
    };
    // Figure 20: the mean interarrival time of a receiver's i-th new block, over the
    // receivers that completed, and how far the last 20 exceed the overall mean (the
    // "last-block problem" source encoding would address, against its 4% overhead).
    std::vector<double> interarrival;
    {
        size_t ranks = std::numeric_limits<size_t>::max();
        uint32_t counted = 0;
        for (const Record& r : records)
        {
            if (r.ran && r.life.host != m_source && r.completion >= 0)
            {
                ranks = std::min(ranks, r.arrivals.size());
                ++counted;
            }
        }
        if (counted > 0 && ranks > 0 && ranks != std::numeric_limits<size_t>::max())
        {
            interarrival.assign(ranks, 0.0);
            for (const Record& r : records)
            {
                if (r.ran && r.life.host != m_source && r.completion >= 0)
                {
                    for (size_t i = 0; i < ranks; ++i)
                    {
                        interarrival[i]
                            += (r.arrivals[i] - (i ? r.arrivals[i - 1] : 0.0f)) / counted;
                    }
                }
            }
            std::ofstream ia(out.Path(name + "-interarrival.csv"));
            ia << "block_rank,mean_interarrival_s\n";
            for (size_t i = 0; i < ranks; ++i)
            {
                ia << i + 1 << "," << interarrival[i] << "\n";
            }
        }
    }
    const bool churn = lives.size() > n;
    summary["receivers"] = receivers;
    summary["source"] = m_source;
    summary["completed"] = times.size();
    summary["completion_s"] = times;
    const double mean = average(times);
    summary["completion_mean_s"] = mean;
    summary["completion_median_s"] = quantile(times, 0.5);
    summary["completion_p90_s"] = quantile(times, 0.9);
    // Under churn, the slowest download that finished; without, -1 unless all finished.
    summary["completion_max_s"]
        = (churn || times.size() == receivers) ? quantile(times, 1.0) : -1.0;
    summary["optimal_s"] = GetOptimalSeconds();
    summary["best_tcp_s"] = bestTcp;
    summary["best_tcp_median_s"] = quantile(bestTcp, 0.5);
    summary["mean_download_kbps"] = mean > 0 ? m_manifest.GetFileSize() * 8.0 / 1000 / mean : 0.0;
    summary["duplicate_fraction"] = blocks ? double(duplicates) / blocks : 0.0;
    summary["control_kbps"] = simulated > 0 ? control * 8.0 / 1000 / n / simulated : 0.0;
    summary["bytes_verified"] = verified && (churn || times.size() == receivers);
    summary["blocks_rejected"] = rejected;
    summary["payload"] = m_manifest.IsVirtual() ? "virtual" : "real";
    summary["coded"] = coded;
    summary["bandwidth_changes"] = m_config.bwChanges;
    summary["faults"] = faults;
    if (!interarrival.empty())
    {
        double tb = 0;
        for (double x : interarrival)
        {
            tb += x;
        }
        tb /= interarrival.size();
        double overage = 0;
        for (size_t i = interarrival.size() - std::min<size_t>(20, interarrival.size());
             i < interarrival.size(); ++i)
        {
            overage += interarrival[i] - tb;
        }
        summary["interarrival_mean_s"] = tb;
        summary["last20_overage_s"] = overage;
        summary["encoding_4pct_s"] = 0.04 * mean;
    }
    summary["late_joiners"] = std::count_if(lives.begin(), lives.begin() + n, [](const auto& l) {
        return l.start > 0;
    });
    if (churn)
    {
        nlohmann::json c;
        c["mean_lifetime_s"] = m_config.churn;
        c["replacements"] = records.size() - n;
        c["departures"] = departuresBy(simulated);
        c["initial_completed"] = initialTimes.size();
        c["initial_completion_mean_s"] = average(initialTimes);
        c["replacement_completed"] = laterTimes.size();
        c["replacement_completion_mean_s"] = average(laterTimes);
        // Every receiver that stayed longer than this completed.
        c["longest_incomplete_stay_s"] = longestIncompleteStay;
        summary["churn"] = c;
    }
    // Completion times are each receiver's own: from its start to its last needed block.
    summary["file_sha256"] = BlockManifest::ToHex(m_manifest.GetFileDigest());
    return summary;
}

void
FileDistributionScenario::Finish(ExperimentOutput& out, bool plot) const
{
    if (!m_mpi.is_null())
    {
        out.Root()["mpi"] = m_mpi;
    }
    double simulated = 0;
    for (const auto& [name, s] : out.Systems().items())
    {
        simulated = std::max(simulated, s["simulated_s"].get<double>());
    }
    out.WriteSummary(simulated);
    if (Ranks::Rank() != 0)
    {
        return;
    }
    PrintFileTable(out.Systems(), std::cout);
    std::cout << "results in " << out.GetDirectory() << std::endl;
    if (plot)
    {
        out.Plot("plot-files.py");
    }
}

double
BestOverTcpSeconds(uint64_t bytes, double rateBps, double rttS, uint32_t mss, uint32_t initialCwnd)
{
    const double wireBytesPerSegment = mss + 52.0 + 2.0;
    const double payloadBps = rateBps * mss / wireBytesPerSegment;
    double t = 1.5 * rttS;
    double left = double(bytes);
    double window = double(initialCwnd) * mss;
    // Slow start: a window per RTT, until a window takes at least an RTT to send.
    while (left > 0 && window < payloadBps / 8 * rttS)
    {
        const double sent = std::min(left, window);
        left -= sent;
        t += sent < window ? sent * 8 / payloadBps : rttS;
        window *= 2;
    }
    return t + left * 8 / payloadBps;
}

void
PrintFileTable(const nlohmann::json& systems, std::ostream& os)
{
    std::ios saved(nullptr);
    saved.copyfmt(os);
    os << "\ncompletion times of the receivers, s\n";
    os << std::left << std::setw(14) << "system" << std::right << std::setw(9) << "mean"
       << std::setw(9) << "median" << std::setw(9) << "p90" << std::setw(9) << "slowest"
       << std::setw(9) << "optimum" << std::setw(9) << "bestTCP" << std::setw(11) << "rate kbps"
       << std::setw(11) << "duplicates" << std::setw(9) << "control" << std::setw(10) << "verified"
       << "\n";
    for (const auto& [name, s] : systems.items())
    {
        os << std::left << std::setw(14) << name << std::right << std::fixed << std::setprecision(1)
           << std::setw(9) << s["completion_mean_s"].get<double>() << std::setw(9)
           << s["completion_median_s"].get<double>() << std::setw(9)
           << s["completion_p90_s"].get<double>() << std::setw(9)
           << s["completion_max_s"].get<double>() << std::setw(9) << s["optimal_s"].get<double>()
           << std::setw(9) << s.value("best_tcp_median_s", -1.0) << std::setw(11)
           << s["mean_download_kbps"].get<double>() << std::setprecision(3) << std::setw(11)
           << s["duplicate_fraction"].get<double>() << std::setprecision(1) << std::setw(9)
           << s["control_kbps"].get<double>() << std::setw(10)
           << (s.value("payload", "real") == "virtual" ? "virtual"
               : s.value("coded", false)               ? "coded"
               : s["bytes_verified"].get<bool>()       ? "yes"
                                                       : "no")
           << "\n";
        if (s.contains("churn"))
        {
            const auto& c = s["churn"];
            os << "  churn (mean lifetime " << c["mean_lifetime_s"].get<double>()
               << " s): " << c["departures"].get<uint32_t>() << " departures, "
               << s["completed"].get<uint32_t>()
               << " downloads complete (started at 0: " << c["initial_completed"].get<uint32_t>()
               << ", mean " << c["initial_completion_mean_s"].get<double>()
               << " s; replacements: " << c["replacement_completed"].get<uint32_t>() << ", mean "
               << c["replacement_completion_mean_s"].get<double>()
               << " s); longest stay without completing "
               << c["longest_incomplete_stay_s"].get<double>() << " s\n";
        }
        else if (s["completed"].get<uint32_t>() < s["receivers"].get<uint32_t>())
        {
            os << "  " << s["receivers"].get<uint32_t>() - s["completed"].get<uint32_t>()
               << " receivers did not complete (slowest shown as -1)\n";
        }
    }
    os.copyfmt(saved);
}

} // namespace ns3
