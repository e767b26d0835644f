/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * udp-load: a paced UDP load generator and sink for emulator benchmarks, run inside the
 * host namespaces (emulation/benchmark.sh).
 *
 *   udp-load --mode=sink --port=6000 --seconds=14 > result.json
 *   udp-load --mode=send --to=172.16.1.2 --port=6000 --rate=80 --size=1000 --seconds=10
 *
 * The sender wakes on an absolute clock (clock_nanosleep, 1 ns timer slack) every --tick
 * microseconds and sends that tick's share of the rate, as iperf3's pacing timer does (1 ms
 * by default), or with --tick=0 one datagram per wake-up, evenly spaced. Either way the load
 * does not depend on how long the generator was descheduled. Each datagram carries a
 * sequence number; the sink reports what arrived and what is missing below the highest
 * number seen, as one JSON object.
 */
#include "ns3/command-line.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <iostream>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace
{

double
Now()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int
Fail(const std::string& what)
{
    std::cerr << "udp-load: " << what << ": " << std::strerror(errno) << "\n";
    return 1;
}

int
Send(const std::string& to, uint16_t port, double mbps, uint32_t size, double seconds,
     double tickUs)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    if (s < 0 || inet_pton(AF_INET, to.c_str(), &addr.sin_addr) != 1
        || connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
    {
        return Fail("cannot reach " + to);
    }
    prctl(PR_SET_TIMERSLACK, 1UL);
    const double interval = size * 8 / (mbps * 1e6);
    // Below ~20 us a wake-up per datagram costs more than it smooths: send small batches.
    const double tick = std::max(tickUs * 1e-6, 20e-6);
    const uint64_t batch = std::max<uint64_t>(1, uint64_t(std::round(tick / interval)));
    std::vector<char> buf(std::max<uint32_t>(size, 8), 0);
    const uint64_t total = uint64_t(seconds / interval);
    uint64_t failed = 0;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (uint64_t seq = 0; seq < total; seq += batch)
    {
        double at = seq * interval;
        struct timespec due = start;
        due.tv_sec += time_t(at);
        due.tv_nsec += long((at - std::floor(at)) * 1e9);
        if (due.tv_nsec >= 1000000000L)
        {
            due.tv_sec += 1;
            due.tv_nsec -= 1000000000L;
        }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, nullptr);
        for (uint64_t k = seq; k < std::min(total, seq + batch); ++k)
        {
            std::memcpy(buf.data(), &k, sizeof(k));
            if (send(s, buf.data(), size, 0) < 0)
            {
                ++failed;
            }
        }
    }
    std::cout << "{\"sent\": " << total - failed << ", \"send_failed\": " << failed
              << ", \"batch\": " << batch << "}" << std::endl;
    close(s);
    return 0;
}

int
Sink(uint16_t port, double seconds)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    int big = 8 << 20;
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
    if (s < 0 || bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
    {
        return Fail("cannot bind port " + std::to_string(port));
    }
    struct timeval tv = {0, 200000};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    const double end = Now() + seconds;
    uint64_t received = 0;
    uint64_t bytes = 0;
    uint64_t highest = 0;
    double first = 0;
    double last = 0;
    char buf[65536];
    while (Now() < end)
    {
        ssize_t n = recv(s, buf, sizeof(buf), 0);
        if (n < 8)
        {
            continue;
        }
        uint64_t seq;
        std::memcpy(&seq, buf, sizeof(seq));
        highest = std::max(highest, seq + 1);
        last = Now();
        first = received ? first : last;
        ++received;
        bytes += n;
    }
    double span = last - first;
    std::cout << "{\"received\": " << received << ", \"highest\": " << highest
              << ", \"lost\": " << (highest > received ? highest - received : 0)
              << ", \"bytes\": " << bytes << ", \"seconds\": " << span
              << ", \"mbps\": " << (span > 0 ? bytes * 8e-6 / span : 0) << "}" << std::endl;
    close(s);
    return 0;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string mode;
    std::string to;
    uint32_t port = 6000;
    double rate = 10;
    uint32_t size = 1000;
    double seconds = 10;
    double tick = 1000;
    ns3::CommandLine cmd(__FILE__);
    cmd.Usage("Paced UDP load generator (--mode=send) and sink (--mode=sink) for emulator "
              "benchmarks.");
    cmd.AddValue("mode", "send or sink", mode);
    cmd.AddValue("to", "send: destination address", to);
    cmd.AddValue("port", "UDP port", port);
    cmd.AddValue("rate", "send: Mbit/s of UDP payload", rate);
    cmd.AddValue("size", "send: payload bytes per datagram (>= 8)", size);
    cmd.AddValue("tick", "send: microseconds between wake-ups (0: one datagram each)", tick);
    cmd.AddValue("seconds", "send: how long; sink: how long to listen", seconds);
    cmd.Parse(argc, argv);
    if (mode == "send" && !to.empty() && rate > 0 && size >= 8 && size <= 65507)
    {
        return Send(to, uint16_t(port), rate, size, seconds, tick);
    }
    if (mode == "sink")
    {
        return Sink(uint16_t(port), seconds);
    }
    std::cerr << "udp-load: --mode=send --to=ADDR [--rate --size --seconds] or --mode=sink\n";
    return 2;
}
