#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Bad input from the real side, for test/emulation-node-test.cc (NamespaceHosts.*).

Run inside a namespace host (ip netns exec ...), as root. Only addresses inside the test's
own namespaces (172.16.0.0/12) are ever used.

  emulation-bad-input.py frames --iface eth0 --dst-mac 02:00:ac:10:02:03 \\
        --target 172.16.2.3 --target 172.16.0.3 --src 172.16.2.99
      Malformed Ethernet frames on a raw packet socket, to the given MAC and to broadcast:
      truncated Ethernet, IPv4, UDP, TCP and ARP headers, bad IPv4/UDP/TCP checksums,
      lengths that disagree with the frame, bad versions and header lengths, stray
      fragments, seeded random garbage. Prints {"frames": n, "refused_by_kernel": m}.

  emulation-bad-input.py ports --target 172.16.2.3 --port 7004 --port 7003
      A peer speaking garbage on TCP ports: random bytes; connect and close at once; a
      framed hello then a frame header with a 4 GB length; a wrong magic byte. Then UDP
      garbage to ports 7000-7004. Prints, per attempt, whether it connected and whether the
      node closed the connection ({"attempts": [...]}).

Exit status 0 when it could send what it meant to, 1 otherwise (e.g. no route).
"""
import argparse
import json
import random
import socket
import struct
import sys
import time

BROADCAST = b"\xff" * 6


def csum(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def mac(text):
    return bytes(int(x, 16) for x in text.split(":"))


def ipv4(src, dst, proto, payload, ihl=5, version=4, total=None, checksum=None, frag=0,
         options=b""):
    total = 4 * ihl + len(payload) if total is None else total
    head = struct.pack("!BBHHHBBH4s4s", (version << 4) | (ihl & 0xF), 0, total & 0xFFFF,
                       0x4242, frag, 64, proto, 0, socket.inet_aton(src),
                       socket.inet_aton(dst)) + options
    c = csum(head) if checksum is None else checksum
    return head[:10] + struct.pack("!H", c) + head[12:] + payload


def pseudo(src, dst, proto, seg):
    return socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, proto,
                                                                       len(seg))


def udp(src, dst, sport, dport, payload, bad=False, length=None):
    length = 8 + len(payload) if length is None else length
    seg = struct.pack("!HHHH", sport, dport, length & 0xFFFF, 0) + payload
    c = csum(pseudo(src, dst, 17, seg) + seg) or 0xFFFF
    if bad:
        c ^= 0x5A5A
    return seg[:6] + struct.pack("!H", c) + seg[8:]


def tcp(src, dst, sport, dport, flags=0x02, payload=b"", bad=False, offset=5):
    seg = struct.pack("!HHIIBBHHH", sport, dport, 1000, 0, (offset & 0xF) << 4, flags, 65535,
                      0, 0) + payload
    c = csum(pseudo(src, dst, 6, seg) + seg)
    if bad:
        c ^= 0x5A5A
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def frames(a):
    rng = random.Random(a.seed)
    src = a.src
    out = []  # (ethertype, payload)
    for dst in a.target:
        g = bytes(rng.getrandbits(8) for _ in range(64))  # garbage protocol bytes
        for port in a.port:
            # IPv4 header checksum wrong (what a router must drop).
            out.append((0x0800, ipv4(src, dst, 17, udp(src, dst, 40000, port, g),
                                     checksum=0x1234)))
            # UDP: bad checksum; length longer than the datagram; truncated header.
            out.append((0x0800, ipv4(src, dst, 17, udp(src, dst, 40000, port, g, bad=True))))
            out.append((0x0800, ipv4(src, dst, 17, udp(src, dst, 40000, port, g, length=900))))
            out.append((0x0800, ipv4(src, dst, 17, udp(src, dst, 40000, port, g)[:5])))
            # TCP: bad checksum (SYN, and data); truncated header; data offsets out of range.
            out.append((0x0800, ipv4(src, dst, 6, tcp(src, dst, 40001, port, bad=True))))
            out.append((0x0800, ipv4(src, dst, 6, tcp(src, dst, 40001, port, 0x18, g,
                                                      bad=True))))
            out.append((0x0800, ipv4(src, dst, 6, tcp(src, dst, 40001, port)[:9])))
            out.append((0x0800, ipv4(src, dst, 6, tcp(src, dst, 40001, port, offset=15))))
            out.append((0x0800, ipv4(src, dst, 6, tcp(src, dst, 40001, port, offset=2))))
        # IPv4: truncated header, header length too long / too short, wrong version,
        # total length larger / smaller than the packet, options of garbage, stray fragments,
        # ICMP cut short, an unknown protocol.
        good = ipv4(src, dst, 17, udp(src, dst, 40000, 7000, g))
        out.append((0x0800, good[:10]))
        out.append((0x0800, ipv4(src, dst, 17, g[:8], ihl=15)))
        out.append((0x0800, ipv4(src, dst, 17, g[:8], ihl=3)))
        out.append((0x0800, ipv4(src, dst, 17, g[:8], version=6)))
        out.append((0x0800, ipv4(src, dst, 17, udp(src, dst, 40000, 7000, g), total=1400)))
        out.append((0x0800, ipv4(src, dst, 17, udp(src, dst, 40000, 7000, g), total=12)))
        out.append((0x0800, ipv4(src, dst, 17, udp(src, dst, 40000, 7000, g), ihl=6,
                                 options=b"\xff\xff\xff\xff")))
        out.append((0x0800, ipv4(src, dst, 17, g[:24], frag=0x2000)))  # MF, offset 0
        out.append((0x0800, ipv4(src, dst, 17, g[:24], frag=0x0100)))  # offset 2048, no MF
        out.append((0x0800, ipv4(src, dst, 1, b"\x08")))
        # ICMP errors that quote less than an IPv4 header and 8 bytes (or a bad one).
        inner = ipv4(dst, src, 17, udp(dst, src, 7004, 40000, b""))
        for kind, body in ((3, b""), (3, inner[:12]), (11, inner[:20]), (3, b"\x65" + inner[1:28])):
            icmp = struct.pack("!BBHI", kind, 1, 0, 0) + body
            icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
            out.append((0x0800, ipv4(src, dst, 1, icmp)))
        out.append((0x0800, ipv4(src, dst, 253, g)))
    # Ethernet and ARP: nothing after the header; a truncated ARP; an ARP with absurd
    # lengths; an unknown EtherType; then seeded random IPv4-typed garbage.
    out.append((0x0800, b""))
    out.append((0x0806, b"\x00\x01\x08\x00"))
    out.append((0x0806, struct.pack("!HHBBH", 1, 0x0800, 200, 200, 1) + bytes(20)))
    out.append((0x88B5, bytes(rng.getrandbits(8) for _ in range(100))))
    for _ in range(a.random):
        n = rng.randint(1, 1400)
        out.append((0x0800, bytes(rng.getrandbits(8) for _ in range(n))))

    if a.only >= 0:  # one frame of the list: to find which one a node cannot take
        out = out[a.only:a.only + 1]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.iface, 0))
    srcmac = mac(a.src_mac)
    sent = refused = 0
    for _ in range(a.rounds):
        for dmac in [mac(m) for m in a.dst_mac] + [BROADCAST]:
            for etype, payload in out:
                try:
                    s.send(dmac + srcmac + struct.pack("!H", etype) + payload)
                    sent += 1
                except OSError:
                    refused += 1
            # Two frames a millisecond at most: garbage, not a flood.
            time.sleep(0.05)
        # A runt: shorter than an Ethernet header.
        try:
            s.send(BROADCAST + srcmac[:3])
            sent += 1
        except OSError:
            refused += 1
    print(json.dumps({"frames": sent, "refused_by_kernel": refused}))
    return 0 if sent else 1


def attempt(target, port, what, payload, close_at_once=False):
    r = {"port": port, "what": what, "connected": False, "closed_by_node": False}
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(5)
    try:
        s.connect((target, port))
        r["connected"] = True
        if close_at_once:
            return r
        s.sendall(payload)
        # The node must drop the connection: wait for its FIN or RST (or give up).
        deadline = time.time() + 8
        while time.time() < deadline:
            try:
                data = s.recv(4096)
            except socket.timeout:
                continue
            except ConnectionResetError:
                r["closed_by_node"] = True
                break
            if not data:
                r["closed_by_node"] = True
                break
    except OSError as e:
        r["error"] = str(e)
    finally:
        s.close()
    return r


def ports(a):
    rng = random.Random(a.seed)
    me = None
    attempts = []
    for port in a.port:
        garbage = bytes(rng.getrandbits(8) for _ in range(4096))
        attempts.append(attempt(a.target[0], port, "random bytes", garbage))
        attempts.append(attempt(a.target[0], port, "connect and close", b"", close_at_once=True))
        # A well-formed hello (magic, flags, type 0, length 6: address, port), then a frame
        # header announcing a body of 4 GB - 16: the node must refuse it, not allocate it.
        if me is None:
            probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            probe.connect((a.target[0], port))
            me = probe.getsockname()[0]
            probe.close()
        hello = struct.pack("!BBHI", 0xB7, 0, 0, 6) + socket.inet_aton(me) + struct.pack(
            "!H", port)
        huge = struct.pack("!BBHI", 0xB7, 0, 1, 0xFFFFFFF0) + bytes(64)
        attempts.append(attempt(a.target[0], port, "huge length", hello + huge))
        attempts.append(attempt(a.target[0], port, "wrong magic",
                                struct.pack("!BBHI", 0x42, 0, 1, 16) + bytes(16)))
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp_sent = 0
    for port in range(7000, 7005):
        for n in (0, 1, 3, 4, 64, 1400):
            u.sendto(bytes(rng.getrandbits(8) for _ in range(n)), (a.target[0], port))
            udp_sent += 1
        u.sendto(b"\xb7\x01\x00\x00" + bytes(40), (a.target[0], port))  # control magic
        udp_sent += 1
    u.close()
    print(json.dumps({"attempts": attempts, "udp_datagrams": udp_sent}))
    return 0 if any(x["connected"] for x in attempts) else 1


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("mode", choices=["frames", "ports"])
    p.add_argument("--iface", default="eth0")
    p.add_argument("--dst-mac", action="append", default=[])
    p.add_argument("--src-mac", default="02:00:00:00:00:99")
    p.add_argument("--src", default="172.16.0.99")
    p.add_argument("--target", action="append", required=True)
    p.add_argument("--port", action="append", type=int, default=[])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--random", type=int, default=40)
    p.add_argument("--seed", type=int, default=17)
    p.add_argument("--only", type=int, default=-1, help="frames: send only frame ONLY of the list")
    a = p.parse_args()
    for t in a.target:
        if not t.startswith("172.") or not 16 <= int(t.split(".")[1]) <= 31:
            print("refusing %s: only 172.16.0.0/12 (the test's namespaces)" % t, file=sys.stderr)
            return 2
    if not a.port:
        a.port = [7004, 7003]
    return frames(a) if a.mode == "frames" else ports(a)


if __name__ == "__main__":
    sys.exit(main())
