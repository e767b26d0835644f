/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Emulation tests. The pure ones (dumbbell, distillation, address plan) always run; the
 * integration test attaches three network-namespace hosts to bullet-emulator and measures
 * real ping, TCP and UDP traffic across the emulated core. It needs root, /dev/net/tun and
 * network namespaces, and skips, saying which is missing, where they are not available.
 */
#include "test-shell.h"

#include "ns3/arp-header.h"
#include "ns3/boolean.h"
#include "ns3/emulation-topology.h"
#include "ns3/ethernet-header.h"
#include "ns3/global-value.h"
#include "ns3/host-attachment.h"
#include "ns3/ipv4-header.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/topology-helper.h"
#include "ns3/udp-header.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <poll.h>
#include <regex>
#include <set>
#include <sstream>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace ns3;

namespace
{

TEST(EmulationTopology, DumbbellShape)
{
    DumbbellParams p;
    p.clients = 3;
    p.coreHops = 2;
    TopologySpec spec = MakeDumbbell(p);
    EXPECT_EQ(spec.nRouters, 3u);
    EXPECT_EQ(spec.GetNClients(), 3u);
    EXPECT_EQ(spec.links.size(), 5u);
    EXPECT_EQ(spec.clientRouter, (std::vector<uint32_t>{0, 0, 2}));
    EXPECT_THROW(MakeDumbbell({0}), std::invalid_argument);
}

TEST(EmulationTopology, DistillKeepsAccessLinksAndPathFigures)
{
    DumbbellParams p;
    p.clients = 4;
    p.coreHops = 3;
    p.coreDelayMs = 7;
    p.coreLoss = 0.1;
    TopologySpec spec = MakeDumbbell(p);
    // One slower core link: the distilled pipe must carry its rate.
    spec.links[p.clients + 1].rateAtoB = 5e6;
    TopologySpec d = DistillSpec(spec);
    EXPECT_EQ(d.nRouters, 2u);
    EXPECT_EQ(d.GetNClients(), 4u);
    ASSERT_EQ(d.links.size(), 5u); // 4 access links + one pipe
    const LinkSpec& pipe = d.links.back();
    EXPECT_DOUBLE_EQ(pipe.delayMs, 21);
    EXPECT_DOUBLE_EQ(std::min(pipe.rateAtoB, pipe.rateBtoA), 5e6);
    EXPECT_NEAR(pipe.lossAtoB, 1 - std::pow(0.9, 3), 1e-12);
}

TEST(EmulationTopology, HostAddressPlan)
{
    EXPECT_EQ(EmulatedHostPlan::HostAddress(0), Ipv4Address("172.16.0.2"));
    EXPECT_EQ(EmulatedHostPlan::GatewayAddress(1), Ipv4Address("172.16.1.1"));
    EXPECT_EQ(EmulatedHostPlan::HostAddress(300), Ipv4Address("172.17.44.2"));
    EXPECT_THROW(EmulatedHostPlan::HostAddress(4096), std::out_of_range);
}

std::vector<uint8_t>
Bytes(Ptr<const Packet> p)
{
    std::vector<uint8_t> b(p->GetSize());
    p->CopyData(b.data(), b.size());
    return b;
}

/**
 * The attachment without root: each "host" is the far end of a socketpair whose near end
 * the client node's FdNetDevice reads and writes, as it would a TAP. Host 0 sends a UDP
 * datagram in an Ethernet frame to its gateway; host 1 must answer the client node's ARP
 * request and then receive the datagram, routed across the core (four forwarding nodes:
 * TTL 64 -> 60) with a valid IP checksum.
 */
TEST(HostAttachment, FramesCrossTheCoreBetweenTwoHosts)
{
    GlobalValue::Bind("SimulatorImplementationType", StringValue("ns3::RealtimeSimulatorImpl"));
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
    DumbbellParams d;
    d.clients = 2;
    d.coreHops = 1;
    d.accessDelayMs = 1;
    d.coreDelayMs = 1;
    Ptr<SimulatedNetwork> net = TopologyHelper().Build(MakeDumbbell(d));
    int sv[2][2];
    std::vector<EmulatedHost> hosts;
    for (uint32_t i = 0; i < 2; ++i)
    {
        ASSERT_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv[i]), 0);
        EmulatedHost h;
        h.index = i;
        h.name = "h" + std::to_string(i);
        h.client = i;
        h.address = EmulatedHostPlan::HostAddress(i);
        h.gateway = EmulatedHostPlan::GatewayAddress(i);
        hosts.push_back(HostAttachmentHelper().Attach(net, h, sv[i][0]));
    }
    EXPECT_EQ(net->FindClient(hosts[1].address), 1);
    const Mac48Address gw0 = Mac48Address::ConvertFrom(hosts[0].device->GetAddress());
    const Mac48Address mac0("02:00:00:00:00:01");
    const Mac48Address mac1("02:00:00:00:00:02");

    Ptr<Packet> p = Create<Packet>(100);
    UdpHeader udp;
    udp.SetSourcePort(1000);
    udp.SetDestinationPort(2000);
    p->AddHeader(udp);
    Ipv4Header ip;
    ip.SetSource(hosts[0].address);
    ip.SetDestination(hosts[1].address);
    ip.SetProtocol(17);
    ip.SetPayloadSize(p->GetSize());
    ip.SetTtl(64);
    ip.EnableChecksum();
    p->AddHeader(ip);
    EthernetHeader eth(false);
    eth.SetSource(mac0);
    eth.SetDestination(gw0);
    eth.SetLengthType(0x0800);
    p->AddHeader(eth);
    const std::vector<uint8_t> frame = Bytes(p);

    bool answeredArp = false;
    bool delivered = false;
    bool checksumOk = false;
    uint32_t ttl = 0;
    std::thread hostSide([&]() {
        ASSERT_EQ(write(sv[0][1], frame.data(), frame.size()), ssize_t(frame.size()));
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
        uint8_t buf[2048];
        while (!delivered && std::chrono::steady_clock::now() < deadline)
        {
            struct pollfd pfd = {sv[1][1], POLLIN, 0};
            if (poll(&pfd, 1, 50) <= 0)
            {
                continue;
            }
            ssize_t n = read(sv[1][1], buf, sizeof(buf));
            if (n <= 0)
            {
                continue;
            }
            Ptr<Packet> in = Create<Packet>(buf, n);
            EthernetHeader e(false);
            in->RemoveHeader(e);
            if (e.GetLengthType() == 0x0806)
            {
                ArpHeader arp;
                in->RemoveHeader(arp);
                if (arp.IsRequest() && arp.GetDestinationIpv4Address() == hosts[1].address)
                {
                    ArpHeader reply;
                    reply.SetReply(mac1, hosts[1].address, arp.GetSourceHardwareAddress(),
                                   arp.GetSourceIpv4Address());
                    Ptr<Packet> out = Create<Packet>();
                    out->AddHeader(reply);
                    EthernetHeader re(false);
                    re.SetSource(mac1);
                    re.SetDestination(e.GetSource());
                    re.SetLengthType(0x0806);
                    out->AddHeader(re);
                    auto bytes = Bytes(out);
                    answeredArp = write(sv[1][1], bytes.data(), bytes.size()) > 0;
                }
            }
            else if (e.GetLengthType() == 0x0800)
            {
                Ipv4Header got;
                got.EnableChecksum();
                in->RemoveHeader(got);
                delivered = got.GetDestination() == hosts[1].address
                            && got.GetSource() == hosts[0].address;
                checksumOk = got.IsChecksumOk();
                ttl = got.GetTtl();
            }
        }
    });
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    hostSide.join();
    Simulator::Destroy();
    GlobalValue::Bind("SimulatorImplementationType", StringValue("ns3::DefaultSimulatorImpl"));
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
    for (auto& pair : sv)
    {
        close(pair[1]);
    }
    EXPECT_TRUE(answeredArp);
    EXPECT_TRUE(delivered);
    EXPECT_TRUE(checksumOk);
    EXPECT_EQ(ttl, 60u);
}

/// What the integration test needs; empty when everything is there.
std::string
MissingForEmulation()
{
    if (geteuid() != 0)
    {
        return "not root: emulation needs root (TAP devices, network namespaces)";
    }
    int fd = open("/dev/net/tun", O_RDWR);
    if (fd < 0)
    {
        return "no usable /dev/net/tun (TAP devices unavailable here)";
    }
    close(fd);
    std::string ns = "bullet-probe-" + std::to_string(getpid());
    if (Shell("ip netns add " + ns + " 2>/dev/null") != 0)
    {
        return "network namespaces unavailable (ip netns add failed)";
    }
    Shell("ip netns del " + ns);
    for (const char* tool : {"ping", "iperf3"})
    {
        if (Shell(std::string("command -v ") + tool + " >/dev/null") != 0)
        {
            return std::string(tool) + " not installed (./ns3 installs it: apt-get install "
                   + (std::string(tool) == "ping" ? "iputils-ping" : "iperf3") + ")";
        }
    }
    return "";
}

#ifdef BULLET_EMULATOR

/**
 * Three hosts on a dumbbell: h0 and h1 on the left edge router, h2 on the right one, two
 * core links between them. Access links 10 Mbit/s, 5 ms; core links 100 Mbit/s, 10 ms, and
 * 2.5% loss each way. So h0-h1 is a lossless 4-link path (RTT 20 ms, 10 Mbit/s), and h0-h2 a
 * 4-link path with RTT 60 ms and 1 - 0.975^2 = 4.94% one-way loss.
 */
class EmulationIntegration : public ::testing::Test
{
  protected:
    void
    SetUp() override
    {
        std::string missing = MissingForEmulation();
        if (!missing.empty())
        {
            GTEST_SKIP() << "emulation integration test skipped: " << missing;
        }
        // Unique per process: concurrent runs never share namespaces or TAPs.
        m_prefix = "t" + std::to_string(getpid() % 10000000);
        RemoveLeftovers();
        char tmpl[] = "/tmp/bullet-emu-test-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        m_dir = tmpl;
        m_armed = true;
        std::string out;
        int rc = Shell(Script("hosts-up.sh") + " 3 " + m_prefix + " 2>&1", &out);
        ASSERT_EQ(rc, 0) << "hosts-up.sh failed:\n" << out;
    }

    void
    TearDown() override
    {
        if (!m_armed)
        {
            return;
        }
        StopEmulator();
        // Runs whether the test passed or failed.
        Shell(Script("hosts-down.sh") + " " + m_prefix + " >/dev/null 2>&1");
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }

    /// Hosts of earlier runs that died without TearDown (killed by a CTest timeout, say):
    /// removed when the process whose pid names them is gone.
    static void
    RemoveLeftovers()
    {
        std::string names;
        Shell("{ ip netns list; ip -o link show | awk -F': ' '{print $2}'; } 2>/dev/null", &names);
        std::set<std::string> stale;
        std::regex re(R"(^t([0-9]+)[htbv][0-9]+)");
        std::istringstream in(names);
        for (std::string line; std::getline(in, line);)
        {
            std::smatch m;
            if (std::regex_search(line, m, re) && kill(std::stoi(m[1]), 0) != 0 && errno == ESRCH)
            {
                stale.insert("t" + m[1].str());
            }
        }
        for (const auto& prefix : stale)
        {
            Shell(Script("hosts-down.sh") + " " + prefix + " >/dev/null 2>&1");
        }
    }

    static std::string
    Script(const std::string& name)
    {
        return std::string(BULLET_SOURCE_DIR) + "/emulation/" + name;
    }

    std::string
    Ns(int host) const
    {
        return "ip netns exec " + m_prefix + "h" + std::to_string(host) + " ";
    }

    void
    StartEmulator(const std::vector<std::string>& args)
    {
        m_log = m_dir + "/emulator.log";
        m_pid = fork();
        ASSERT_GE(m_pid, 0);
        if (m_pid == 0)
        {
            int fd = open(m_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            dup2(fd, 1);
            dup2(fd, 2);
            std::vector<char*> argv{const_cast<char*>(BULLET_EMULATOR)};
            for (const auto& a : args)
            {
                argv.push_back(const_cast<char*>(a.c_str()));
            }
            argv.push_back(nullptr);
            execv(argv[0], argv.data());
            _exit(127);
        }
    }

    /// SIGTERM (a clean stop that writes the summary); returns the exit status.
    int
    StopEmulator()
    {
        if (m_pid <= 0)
        {
            return m_status;
        }
        kill(m_pid, SIGTERM);
        int status = 0;
        for (int i = 0; i < 100; ++i)
        {
            if (waitpid(m_pid, &status, WNOHANG) == m_pid)
            {
                m_pid = 0;
                m_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
                return m_status;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        kill(m_pid, SIGKILL);
        waitpid(m_pid, &status, 0);
        m_pid = 0;
        m_status = -1;
        return m_status;
    }

    std::string
    Log() const
    {
        std::ifstream in(m_log);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }

    /// Waits for the host map (written once every host is attached).
    /// The measurements of ThreeNamespaceHostsSeeTheEmulatedPaths on host map \p map.
    void CheckPaths(const nlohmann::json& map);

    nlohmann::json
    WaitForHostMap(const std::string& path)
    {
        for (int i = 0; i < 300; ++i)
        {
            if (std::filesystem::exists(path))
            {
                std::ifstream in(path);
                return nlohmann::json::parse(in);
            }
            int status;
            if (waitpid(m_pid, &status, WNOHANG) == m_pid)
            {
                m_pid = 0;
                ADD_FAILURE() << "emulator exited early:\n" << Log();
                return {};
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        ADD_FAILURE() << "no host map after 30 s:\n" << Log();
        return {};
    }

    std::string m_prefix;
    std::string m_dir;
    std::string m_log;
    pid_t m_pid{0};
    int m_status{-1};
    bool m_armed{false};
};

const nlohmann::json&
PathOf(const nlohmann::json& map, int from, int to)
{
    for (const auto& p : map["paths"])
    {
        if (p["from"] == from && p["to"] == to)
        {
            return p;
        }
    }
    throw std::runtime_error("no path in host map");
}

/**
 * The measurements on the dumbbell of the class comment, once the emulator runs and its host
 * map is \p map: ping RTTs, bulk TCP goodput, UDP loss across the lossy core, and the
 * emulator kept up with real time.
 */
void
EmulationIntegration::CheckPaths(const nlohmann::json& map)
{
    const std::string a1 = map["hosts"][1]["address"];
    const std::string a2 = map["hosts"][2]["address"];

    // Warm up: ARP in the namespaces and in ns-3, and the emulator's first events.
    bool up = false;
    for (int i = 0; i < 20 && !up; ++i)
    {
        up = Shell(Ns(0) + "ping -c 1 -W 1 " + a1 + " >/dev/null 2>&1") == 0;
    }
    ASSERT_TRUE(up) << "h0 cannot reach h1 across the emulator:\n" << Log();
    Shell(Ns(0) + "ping -c 3 -i 0.2 -W 1 " + a2 + " >/dev/null 2>&1");

    // 1. Ping RTT within 10% of the emulated propagation RTT: the median of the replies, so
    // that one reply the host's own scheduler delayed (a busy machine) does not decide.
    for (auto [to, addr] : {std::pair{1, a1}, std::pair{2, a2}})
    {
        double expected = PathOf(map, 0, to)["rtt_ms"];
        std::string out;
        Shell(Ns(0) + "ping -c 20 -i 0.05 " + addr + " 2>&1", &out);
        std::vector<double> rtts;
        const std::regex reply(R"(time=([\d.]+) ms)");
        for (auto it = std::sregex_iterator(out.begin(), out.end(), reply);
             it != std::sregex_iterator(); ++it)
        {
            rtts.push_back(std::stod((*it)[1]));
        }
        // (h0 -> h2 crosses the lossy core: a few requests or replies may be lost.)
        ASSERT_GE(rtts.size(), 10u) << out;
        std::sort(rtts.begin(), rtts.end());
        const std::size_t n = rtts.size();
        double median = (rtts[(n - 1) / 2] + rtts[n / 2]) / 2;
        double mean = std::accumulate(rtts.begin(), rtts.end(), 0.0) / rtts.size();
        std::cout << "ping h0 -> h" << to << ": median " << median << " ms (mean " << mean
                  << ", max " << rtts.back() << "), emulated RTT " << expected << " ms"
                  << std::endl;
        EXPECT_NEAR(median, expected, 0.1 * expected) << out;
    }

    // 2. Bulk TCP h0 -> h1 over the lossless path: within 20% of the bottleneck, never above.
    {
        double bottleneck = PathOf(map, 0, 1)["bottleneck_mbps"];
        Shell(Ns(1) + "iperf3 -s -1 -D -p 5201");
        std::string out;
        int rc = 1;
        for (int i = 0; i < 20 && rc != 0; ++i) // until the server listens
        {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            rc = Shell(Ns(0) + "iperf3 -c " + a1 + " -p 5201 -t 6 -O 1 -J 2>/dev/null", &out);
        }
        ASSERT_EQ(rc, 0) << out;
        auto j = nlohmann::json::parse(out);
        double mbps = j["end"]["sum_received"]["bits_per_second"].get<double>() / 1e6;
        std::cout << "TCP h0 -> h1: " << mbps << " Mbit/s goodput, bottleneck " << bottleneck
                  << " Mbit/s" << std::endl;
        EXPECT_GE(mbps, 0.8 * bottleneck);
        EXPECT_LE(mbps, bottleneck);
    }

    // 3. UDP h0 -> h2 at 5 Mbit/s (half the bottleneck: no queue drops) across the lossy
    // core. n = 2500 datagrams; each is lost independently with p, so the measured rate
    // has standard deviation sqrt(p (1 - p) / n) = 0.43 points: 4 sigma (a false failure
    // in about 1 of 16,000 runs) is the tolerance.
    {
        double p = PathOf(map, 0, 2)["loss"];
        Shell(Ns(2) + "iperf3 -s -1 -D -p 5202");
        std::string out;
        int rc = 1;
        for (int i = 0; i < 20 && rc != 0; ++i)
        {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            rc = Shell(Ns(0) + "iperf3 -c " + a2 + " -p 5202 -u -b 5M -l 1000 -t 4 -J 2>/dev/null",
                       &out);
        }
        ASSERT_EQ(rc, 0) << out;
        auto j = nlohmann::json::parse(out);
        const auto& sum = j["end"]["sum"];
        double n = sum["packets"].get<double>();
        double lost = sum["lost_packets"].get<double>();
        ASSERT_GT(n, 2000);
        double sigma = std::sqrt(p * (1 - p) / n);
        std::cout << "UDP h0 -> h2: " << lost << " of " << n << " lost (" << 100 * lost / n
                  << "%), configured path loss " << 100 * p << "% +- " << 400 * sigma << "%"
                  << std::endl;
        EXPECT_NEAR(lost / n, p, 4 * sigma);
    }

    // 4. The emulator kept up with real time (at most 5% of its 1 ms lag samples later than
    // 1 ms, p99 under 5 ms), or none of the above means much.
    int rc = StopEmulator();
    std::string log = Log();
    EXPECT_EQ(rc, 0) << log;
    EXPECT_NE(log.find("FIDELITY OK"), std::string::npos) << log;
    std::ifstream in(m_dir + "/summary.json");
    ASSERT_TRUE(in) << log;
    auto summary = nlohmann::json::parse(in);
    std::cout << "emulator: lag p99 " << summary["emulator"]["lag_ms"]["p99"] << " ms, max "
              << summary["emulator"]["lag_ms"]["max"] << " ms" << std::endl;
    EXPECT_LT(summary["emulator"]["lag_ms"]["p99"].get<double>(), 5.0);
}

/// The dumbbell of the class comment, with this attachment of the hosts' TAPs.
std::vector<std::string>
DumbbellArgs(const std::string& prefix, const std::string& dir, const std::string& attach)
{
    return {"--hosts=3", "--prefix=" + prefix, "--coreHops=2", "--accessRate=10Mbps",
            "--accessDelay=5", "--coreRate=100Mbps", "--coreDelay=10", "--coreLoss=0.025",
            "--queue=10", "--duration=55", "--hostmap=" + dir + "/hostmap.json", "--outdir=" + dir,
            "--report=5", "--rtPriority=50", "--attach=" + attach,
            // The measurements below are averages over seconds, which a few
            // late milliseconds cannot move by the tolerances; what would
            // invalidate them is an emulator often behind. On the 2-core VMs of CI,
            // with three hosts' ping, iperf3 and softirq work beside it, 0.1-2.5%
            // of the 1 ms samples came late (max 6-17 ms) while every measurement
            // below held; the bound is 5%, and p99 lag must stay under 5 ms. (The
            // emulator's default, 0.1%, is for benchmarks on a quiet machine.)
            "--lateFraction=0.05"};
}

TEST_F(EmulationIntegration, ThreeNamespaceHostsSeeTheEmulatedPaths)
{
    StartEmulator(DumbbellArgs(m_prefix, m_dir, "fd"));
    nlohmann::json map = WaitForHostMap(m_dir + "/hostmap.json");
    ASSERT_FALSE(map.is_null());
    CheckPaths(map);
}

/// The same paths through ns-3's own TapBridge (UseBridge mode) instead of the in-process
/// FdNetDevice: ping RTTs, TCP goodput and UDP loss as above, and the emulator kept up.
/// Runs where TapBridge's creator program exists (an ns-3 built from source:
/// ./ns3 configure --ns3=optimized); Debian's packages point it into their build tree.
TEST_F(EmulationIntegration, TapBridgeAttachmentSeesTheSameEmulatedPaths)
{
    std::string why;
    if (HostAttachmentHelper::TapBridgeCreator(why).empty())
    {
        GTEST_SKIP() << "TapBridge attachment needs an ns-3 whose TapBridge creator exists: "
                     << why;
    }
    StartEmulator(DumbbellArgs(m_prefix, m_dir, "tapbridge"));
    nlohmann::json map = WaitForHostMap(m_dir + "/hostmap.json");
    ASSERT_FALSE(map.is_null());
    EXPECT_NE(map["attachment"].get<std::string>().find("TapBridge"), std::string::npos);
    CheckPaths(map);
}

#endif // BULLET_EMULATOR

} // namespace
