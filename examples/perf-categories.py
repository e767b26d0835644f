#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Groups a perf profile's samples into the categories of doc/performance.md.

    perf record -F 300 --call-graph=dwarf,12288 -o run.data ./build/bin/bullet-streaming ...
    perf script -i run.data -F ip,sym,dso > run.txt
    examples/perf-categories.py run.txt [more.txt ...]

Each sample counts for the function it was taken in (its leaf), by library and name; a
leaf in the C++ library, in a callback thunk or unnamed is charged to its nearest named
caller. Samples outside Simulator::Run (building the network, installing, writing the
results) form a category of their own. Prints a Markdown table: category, share of the
samples, seconds (at the sampling rate given with --hz), the leading functions.
"""

import argparse
import collections
import re
import sys

FRAME = re.compile(r"\s*[0-9a-f]+ (.*?)(?: \((.*)\))?$")

OWN = re.compile(
    r"ns3::(Bullet|WorkingSet|CountingBloomFilter|BloomFilter|BloomHash|SummaryTicket|MinWise|"
    r"SequenceSet|StreamRecovery|StreamDigest|RanSub|StreamingApplication|OverlayApplication|"
    r"ChildSendPolicy|DisjointChildSend|Relay|RecoveredRelay|RandomTree|OverlayTree|"
    r"MeshEvaluation|PaperMesh|RowAssignment|UniformRows|RowsByDelivery|RowShare|StreamHeader|TreeStreaming|Gossip|AntiEntropy|SendToAllChildren)"
)
TFRC = re.compile(r"ns3::(Tfrc|DataTransport|UdpDataTransport|InetEndpointLess)")
TCP_OWN = re.compile(
    r"ns3::(BlockTransport|BlockConnection|BlockFrame|FrameDecoder|ControlChannel|"
    r"TcpControlChannel|TcpDataTransport|ConfiguredTcp)"
)
TCP_NS3 = re.compile(r"Tcp|RttEstimator|SequenceNumber")
ROUTING = re.compile(r"ns3::(OverlayStaticRouting|OverlayRouteTable|LinkDevice|LinkChannel)|DeliverToIpv4")
METRICS = re.compile(r"ns3::(StreamingMetrics|LinkPacketCounter)")
SCHEDULER = re.compile(r"Scheduler|DefaultSimulatorImpl|ns3::Simulator::|EventImpl|EventId")
ALLOC = re.compile(
    r"^(_int_malloc|malloc|__GI___libc_malloc|_int_free|cfree|__libc_free|free|unlink_chunk|"
    r"malloc_consolidate|operator new|operator delete|__memmove|__memcpy|__memset|tcache|"
    r"__libc_calloc|_int_realloc|realloc)|^ns3::(Packet|Buffer|PacketMetadata|ByteTagList|"
    r"PacketTagList|Header|Trailer|Tag|Chunk)\b"
)
FORWARDING = re.compile(
    r"ns3::(Node|NetDevice|Queue|DropTail|NetDeviceQueue|Ipv4|Address|Mac48|InetSocketAddress|"
    r"QueueBase|QueueItem|QueueDiscItem|Channel|DataRate|Socket|PointToPoint|TrafficControl)"
)

CATEGORIES = {
    "forwarding": "ns-3 forwarding (ipv4, link devices, queues, routing)",
    "scheduler": "scheduler and event dispatch",
    "tfrc": "TFRC (and UDP data transport)",
    "tcp": "TCP (control channel, block transport)",
    "udp": "UDP sockets",
    "own": "Bullet's own work",
    "metrics": "metrics and traces",
    "alloc": "malloc, packets, tags",
    "log": "logging checks (NS_LOG)",
    "setup": "setup and teardown (outside Simulator::Run)",
    "other": "other",
}


def category(frames, i=0):
    """The category of frame i of a sample (leaf first), by its function and library."""
    sym, dso = frames[i]
    if "LogComponent" in sym:
        return "log"
    if "TracedCallback" in sym or "TracedValue" in sym or METRICS.search(sym):
        return "metrics"
    if ALLOC.search(sym):
        return "alloc"
    if SCHEDULER.search(sym) or ("libns3-core" in dso and sym.startswith("0x")):
        return "scheduler"
    if "libns3-bullet" in dso or "bin/" in dso:
        for rule, name in ((ROUTING, "forwarding"), (TFRC, "tfrc"), (TCP_OWN, "tcp"),
                           (OWN, "own")):
            if rule.search(sym):
                return name
    if TCP_NS3.search(sym):
        return "tcp"
    if "Udp" in sym:
        return "udp"
    if re.search(r"libns3-(internet|point-to-point|traffic-control)", dso) or FORWARDING.search(sym):
        return "forwarding"
    # The C++ library, callback thunks, unnamed code: the nearest named caller decides.
    for j in range(i + 1, len(frames)):
        s, d = frames[j]
        if "inlined" in d or s.startswith(("std::", "0x", "_")) or "Callback" in s:
            continue
        if "libstdc++" in d or "libc.so" in d:
            continue
        return category(frames, j)
    return "other"


def samples(path):
    frames = []
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        if not line.strip():
            if frames:
                yield frames
            frames = []
            continue
        m = FRAME.match(line)
        if m:
            frames.append((m.group(1), m.group(2) or ""))
    if frames:
        yield frames


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scripts", nargs="+", help="perf script -F ip,sym,dso output")
    parser.add_argument("--hz", type=float, default=0, help="sampling rate, for seconds")
    args = parser.parse_args()
    for path in args.scripts:
        counts = collections.Counter()
        leaders = collections.defaultdict(collections.Counter)
        total = 0
        for frames in samples(path):
            total += 1
            if not any("DefaultSimulatorImpl::Run" in s for s, _ in frames):
                c = "setup"
            else:
                c = category(frames)
            counts[c] += 1
            name = re.sub(r"\(.*", "", frames[0][0]).replace("ns3::", "")
            leaders[c][name[:60]] += 1
        if total == 0:
            sys.exit(f"{path}: no samples (perf script -F ip,sym,dso of a dwarf call-graph profile?)")
        print(f"\n{path}: {total} samples\n")
        print("| category | share | " + ("seconds | " if args.hz else "") + "leading functions |")
        print("|---|---|" + ("---|" if args.hz else "") + "---|")
        for c, n in counts.most_common():
            top = ", ".join(k for k, _ in leaders[c].most_common(3))
            secs = f" {n / args.hz:.1f} |" if args.hz else ""
            print(f"| {CATEGORIES[c]} | {100 * n / total:.1f}% |{secs} {top} |")


if __name__ == "__main__":
    main()
