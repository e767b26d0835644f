#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""emulate.py: the module's protocols on real (namespace) hosts, one command.

    ./ns3 emulate "file-distribution --hosts=6 --size=2MB --systems=bullet-prime"
    ./ns3 emulate "bullet-streaming --hosts=6 --rate=300"
    python3 emulation/emulate.py --bin build/bin "PROGRAM OPTIONS"     (what ./ns3 runs)

Brings up H namespace hosts (emulation/hosts-up.sh, a prefix of its own), the emulated core
(bullet-emulator: the dumbbell, or an INET topology), starts bullet-node in every namespace
(host 0 the source), waits for the scenario's end, collects every host's JSON into one
summary.json in the simulation's format plus an "emulation" object (the emulator's lag
report, every node's record), prints the table and removes everything again, also on
Ctrl-C, SIGTERM or failure. doc/emulation.md, "Our protocols on real hosts".
"""
import glob
import hashlib
import io
import json
import math
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tarfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)

PROGRAMS = {
    # system -> how its hosts run: "node" (bullet-node roles <system>-source/-receiver) or
    # "bittorrent" (a seeder and peers, each ours or a real client: --btClients).
    "file-distribution": {"systems": {"bullet-prime": "node", "bittorrent": "bittorrent",
                                      "transmission": "bittorrent"},
                          "default": "bullet-prime", "several": True},
    "bullet-streaming": {"systems": {"bullet": "node", "splitstream": "node"}, "default": "bullet",
                         "several": False},
}
# BitTorrent clients a host can run: ours (bullet-node's bittorrent roles) or a real one.
BT_CLIENTS = ("ours", "transmission")
BT_PEER_PORT = 51413  # the real clients' listening port (transmission's default)
TRACKER_PORT = 6969
# option: (default, help); per program and common
COMMON = {
    "hosts": ("6", "namespace hosts, host 0 the source (2..250)"),
    "topology": ("dumbbell", "dumbbell (built in) or inet (a generated INET topology)"),
    "topoNodes": ("3037", "inet: topology size (>= 3037)"),
    "profile": ("medium", "inet: bandwidth profile"),
    "loss": ("none", "inet: loss profile"),
    "accessRate": ("", "access links (dumbbell default 2Mbps; inet: the profile's unless given)"),
    "accessDelay": ("", "access link delay, ms (dumbbell default 5; inet: 1)"),
    "coreRate": ("100Mbps", "dumbbell: core links"),
    "coreDelay": ("10", "dumbbell: core link delay, ms"),
    "coreLoss": ("0", "dumbbell: loss of each core link and direction"),
    "seed": ("1", "topology seed, generated file's seed"),
    "rtPriority": ("50", "the emulator's SCHED_FIFO priority (0: normal)"),
    "lateFraction": ("0.05", "the emulator's fidelity allowance of late lag samples"),
    "outdir": ("", "results (default results/emulate-<program>)"),
    "prefix": ("", "name prefix of the hosts (default: e<pid>)"),
    "timeout": ("", "seconds before giving up (default: files 300, streaming duration + 60)"),
    "vms": ("0", "the last K receivers run in QEMU VMs (bullet-node in a VM of its own, on a "
            "bridged TAP) instead of namespaces"),
}
SPECIFIC = {
    "file-distribution": {
        "systems": ("bullet-prime", "file systems on real hosts, run in turn over the same "
                    "emulated network: bullet-prime, bittorrent (ours), transmission (the real "
                    "transmission-cli, with opentracker)"),
        "btClients": ("", "BitTorrent systems: each host's client in turn, ours or transmission "
                      "(host 0 the seeder; default: the system's own), e.g. ours,transmission"),
        "size": ("2MB", "size of the generated file (B, kB, MB, KiB, MiB)"),
        "file": ("", "distribute this file instead"),
        "blockSize": ("16384", "bytes per block"),
    },
    "bullet-streaming": {
        "systems": ("bullet", "streaming systems on real hosts"),
        "rate": ("300", "stream rate, kbps"),
        "duration": ("60", "seconds every node runs"),
        "warmup": ("", "the measurement window starts here, s (default 40% of the duration)"),
        "packetSize": ("1000", "bytes per stream packet"),
    },
}


class Refusal(Exception):
    """A clear, expected error before the run (bad option, machine): exit 2."""


class RunFailure(Exception):
    """The run failed (a node or the emulator died): exit 1, with the reason."""


def log(msg):
    print("emulate: " + msg, flush=True)


def usage():
    lines = ["usage: ./ns3 emulate \"PROGRAM [--option=value ...]\"", "programs:"]
    for prog, spec in PROGRAMS.items():
        lines.append("  %s (systems: %s)" % (prog, ", ".join(spec["systems"])))
        for k, (d, h) in SPECIFIC[prog].items():
            lines.append("    --%s=%s  %s" % (k, d, h))
    lines.append("  common options:")
    for k, (d, h) in COMMON.items():
        lines.append("    --%s=%s  %s" % (k, d, h))
    lines.append("  and the protocols' attributes, e.g. --ns3::BulletPrimeApplication::Period=2s")
    return "\n".join(lines)


def preflight():
    """Root, TUN and network namespaces, or a clear refusal."""
    if os.geteuid() != 0:
        raise Refusal("needs root (network namespaces, TAPs, raw sockets); run as root, e.g. "
                      "sudo ./ns3 emulate ...")
    try:
        fd = os.open("/dev/net/tun", os.O_RDWR)
        os.close(fd)
    except OSError as e:
        raise Refusal("cannot open /dev/net/tun (%s): load the tun module (modprobe tun) or, in "
                      "a container, pass --device /dev/net/tun --cap-add NET_ADMIN" % e.strerror)
    probe = "emuprobe%d" % os.getpid()
    r = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if r.returncode != 0:
        raise Refusal("cannot create network namespaces (ip netns add: %s)" % r.stderr.strip())
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)


def parse(line):
    words = shlex.split(line)
    if not words:
        raise Refusal("name a program\n" + usage())
    prog = words[0]
    if prog not in PROGRAMS:
        raise Refusal("unsupported program '%s' (supported: %s)\n%s"
                      % (prog, ", ".join(PROGRAMS), usage()))
    opts = {k: d for k, (d, _) in COMMON.items()}
    opts.update({k: d for k, (d, _) in SPECIFIC[prog].items()})
    attrs = []
    for w in words[1:]:
        if not w.startswith("--"):
            raise Refusal("'%s' is not an option (--name=value)" % w)
        if w.startswith("--ns3::"):
            attrs.append(w)
            continue
        key, _, val = w[2:].partition("=")
        if key not in opts:
            raise Refusal("%s does not take --%s on real hosts; supported: %s"
                          % (prog, key, ", ".join("--" + k for k in opts)))
        opts[key] = val
    systems = [s for s in opts["systems"].split(",") if s]
    bad = [s for s in systems if s not in PROGRAMS[prog]["systems"]]
    if bad or not systems or len(set(systems)) != len(systems):
        raise Refusal("%s on real hosts runs systems of: %s (not '%s')"
                      % (prog, ", ".join(PROGRAMS[prog]["systems"]), opts["systems"]))
    if len(systems) > 1 and not PROGRAMS[prog]["several"]:
        raise Refusal("%s on real hosts runs one system at a time (of: %s), not '%s'"
                      % (prog, ", ".join(PROGRAMS[prog]["systems"]), opts["systems"]))
    if opts.get("btClients"):
        clients = opts["btClients"].split(",")
        if any(c not in BT_CLIENTS for c in clients):
            raise Refusal("--btClients takes a list of %s, not '%s'"
                          % (" and ".join(BT_CLIENTS), opts["btClients"]))
        if not any(PROGRAMS[prog]["systems"][s] == "bittorrent" for s in systems):
            raise Refusal("--btClients is for the BitTorrent systems (bittorrent, transmission)")

    for s in systems:
        if PROGRAMS[prog]["systems"][s] == "bittorrent" and opts.get("blockSize") != "16384":
            raise Refusal("BitTorrent moves 16 KiB blocks: --blockSize must be 16384 with %s" % s)

    try:
        hosts = int(opts["hosts"])
    except ValueError:
        raise Refusal("--hosts must be a number")
    if not 2 <= hosts <= 250:
        raise Refusal("--hosts must be 2..250")
    if opts["topology"] not in ("dumbbell", "inet"):
        raise Refusal("--topology must be dumbbell or inet")
    for key in ("coreDelay", "coreLoss", "rtPriority", "lateFraction", "seed"):
        try:
            float(opts[key])
        except ValueError:
            raise Refusal("--%s must be a number, not '%s'" % (key, opts[key]))
    if opts["accessDelay"]:
        try:
            float(opts["accessDelay"])
        except ValueError:
            raise Refusal("--accessDelay must be a number (ms), not '%s'" % opts["accessDelay"])
    if prog == "bullet-streaming":
        for key in ("rate", "duration"):
            try:
                if float(opts[key]) <= 0:
                    raise ValueError
            except ValueError:
                raise Refusal("--%s must be a positive number" % key)
    try:
        vms = int(opts["vms"])
    except ValueError:
        raise Refusal("--vms must be a number")
    if not 0 <= vms <= hosts - 1:
        raise Refusal("--vms must be 0..%d (host 0, the source, is a namespace)" % (hosts - 1))
    for s in systems:
        clients = bt_clients(s, opts, hosts)
        if vms and clients and any(c != "ours" for c in clients[hosts - vms:]):
            raise Refusal("--vms: VM hosts run bullet-node (ours), not a real BitTorrent client")
    if opts["prefix"] and not (opts["prefix"][0].isalpha() and opts["prefix"].isalnum()
                               and opts["prefix"].islower() and len(opts["prefix"]) <= 10):
        raise Refusal("--prefix must be 1-10 of [a-z0-9], starting with a letter")
    return prog, systems, hosts, opts, attrs


def bt_clients(system, opts, hosts):
    """The BitTorrent client of every host: --btClients in turn, or the system's own."""
    if PROGRAMS["file-distribution"]["systems"].get(system) != "bittorrent":
        return []
    given = [c for c in opts.get("btClients", "").split(",") if c]
    if not given:
        given = ["transmission" if system == "transmission" else "ours"]
    return [given[i % len(given)] for i in range(hosts)]


def parse_size(text):
    """Bytes of a size as bullet-node reads it: 2MB, 500kB, 1MiB, 1000000."""
    m = re.fullmatch(r"([0-9.]+)\s*([A-Za-z]*)", text.strip())
    units = {"": 1, "B": 1, "kB": 1e3, "KB": 1e3, "MB": 1e6, "GB": 1e9, "KiB": 1024,
             "MiB": 1 << 20, "GiB": 1 << 30}
    if not m or m.group(2) not in units:
        raise Refusal("--size '%s' is not a size (e.g. 2MB, 500kB)" % text)
    return int(float(m.group(1)) * units[m.group(2)])


def torrent_name(path):
    """The "name" of a single-file .torrent's info dictionary: the file a client writes."""
    with open(path, "rb") as f:
        data = f.read()
    a, b = bdecode_info_span(data)
    info = data[a:b]
    at = info.find(b"4:name")
    if at < 0:
        raise RunFailure("%s has no name" % path)
    at += len(b"4:name")
    colon = info.index(b":", at)
    return info[colon + 1:colon + 1 + int(info[at:colon])].decode()


def bdecode_info_span(data):
    """(start, end) of the bencoded "info" value in a .torrent's bytes: its SHA-1 is the
    info-hash (what opentracker's whitelist lists)."""
    def skip(i):
        c = data[i:i + 1]
        if c == b"i":
            return data.index(b"e", i) + 1
        if c in (b"l", b"d"):
            i += 1
            while data[i:i + 1] != b"e":
                i = skip(i)
            return i + 1
        colon = data.index(b":", i)
        return colon + 1 + int(data[i:colon])
    if data[:1] != b"d":
        raise ValueError("not a bencoded dictionary")
    i = 1
    while data[i:i + 1] != b"e":
        key_end = skip(i)
        key = data[data.index(b":", i) + 1:key_end]
        value_end = skip(key_end)
        if key == b"info":
            return key_end, value_end
        i = value_end
    raise ValueError("no info dictionary")


def excerpt(text, lines=15):
    """The error lines of a program's output, or its last lines."""
    errors = [l for l in text.splitlines()
              if any(w in l for w in ("error", "Invalid", "FAILED", "Abort", "abort"))]
    return "\n".join(errors[:lines] or text.splitlines()[-lines:])


def host_net(i):
    return "172.%d.%d" % (16 + (i >> 8), i & 255)


class Run:
    """One emulated run; cleanup() removes everything it started."""

    def __init__(self, bindir, prog, systems, hosts, opts, attrs, line):
        self.bindir = bindir
        self.prog, self.systems, self.hosts, self.opts, self.attrs = (prog, systems, hosts, opts,
                                                                      attrs)
        self.line = line
        self.prefix = opts["prefix"] or "e%d" % (os.getpid() % 100000)
        self.outdir = os.path.abspath(opts["outdir"] or os.path.join(TOP, "results",
                                                                     "emulate-" + prog))
        self.emulator = None
        self.hosts_up = False
        self.vms = set(range(hosts - int(opts["vms"]), hosts)) if int(opts["vms"]) else set()
        self.runs = {}  # system -> (its summary, its hosts' records), in the order run
        self.initramfs = None  # the VM hosts' initramfs, made once per run
        self.vm_output = {}  # VM host -> where its received file goes on this machine
        self.begin(systems[0])

    def workdir_of(self, system):
        """Where \p system's hosts keep their files: hosts/, or hosts-<system>/ when several
        systems run."""
        return os.path.join(self.outdir, "hosts" if len(self.systems) == 1
                            else "hosts-" + system)

    def begin(self, system):
        """The next system's run: its own hosts' directory (hosts/, or hosts-<system>/ when
        several run), no processes yet."""
        self.system = system
        self.kind = PROGRAMS[self.prog]["systems"][system]
        self.clients = bt_clients(system, self.opts, self.hosts)
        self.workdir = self.workdir_of(system)
        self.nodes = {}
        self.lost = {}  # receivers that died during the run: host -> returncode
        self.external = {}  # host -> record of a real client's run (no bullet-node)
        self.stopped = set()  # hosts whose process this script stopped (not a failure)
        self.done_at = {}  # host -> wall seconds from its start to completion (real clients)
        self.started_at = {}
        self.extras = []  # (process, name, log) of this system's helper processes (opentracker)
        os.makedirs(self.workdir, exist_ok=True)
        for f in os.listdir(self.workdir):
            path = os.path.join(self.workdir, f)
            if os.path.isdir(path):
                shutil.rmtree(path)
            else:
                os.unlink(path)

    # ------------------------------------------------------------------ processes
    def start(self, argv, logpath, netns=None):
        if netns:
            argv = ["ip", "netns", "exec", netns] + argv
        out = open(logpath, "w")
        return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)

    @staticmethod
    def stop(proc, grace=15):
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()

    def cleanup(self):
        for p in list(self.nodes.values()) + [e[0] for e in self.extras]:
            self.stop(p, 5)
        self.stop(self.emulator, 10)
        if self.hosts_up:
            subprocess.run([os.path.join(HERE, "hosts-down.sh"), self.prefix],
                           stdout=subprocess.DEVNULL)
            self.hosts_up = False

    # ------------------------------------------------------------------ the run
    def up(self):
        log("hosts: %d namespaces %sh0..%sh%d" % (self.hosts, self.prefix, self.prefix,
                                                  self.hosts - 1))
        self.hosts_up = True  # hosts-up.sh removes what it made if it fails; down is harmless
        r = subprocess.run([os.path.join(HERE, "hosts-up.sh"), str(self.hosts), self.prefix],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise Refusal("hosts-up.sh failed: " + r.stderr.strip())
        for i in sorted(self.vms):
            self.make_vm_host(i)
        o = self.opts
        argv = [os.path.join(self.bindir, "bullet-emulator"), "--hosts=%d" % self.hosts,
                "--prefix=" + self.prefix, "--outdir=" + os.path.join(self.outdir, "emulator"),
                "--rtPriority=" + o["rtPriority"], "--lateFraction=" + o["lateFraction"],
                "--seed=" + o["seed"], "--report=5"]
        if o["topology"] == "dumbbell":
            argv += ["--accessRate=" + (o["accessRate"] or "2Mbps"),
                     "--accessDelay=" + (o["accessDelay"] or "5")]
        else:
            argv += ["--accessRate=" + o["accessRate"]] if o["accessRate"] else []
            argv += ["--accessDelay=" + o["accessDelay"]] if o["accessDelay"] else []
        if o["topology"] == "inet":
            argv += ["--topoNodes=" + o["topoNodes"], "--profile=" + o["profile"],
                     "--loss=" + o["loss"]]
        else:
            argv += ["--coreRate=" + o["coreRate"], "--coreDelay=" + o["coreDelay"],
                     "--coreLoss=" + o["coreLoss"]]
        self.emulator_log = os.path.join(self.outdir, "emulator.log")
        log("core: " + " ".join(argv[1:]))
        self.emulator = self.start(argv, self.emulator_log)
        deadline = time.time() + 180
        while True:
            text = open(self.emulator_log).read()
            if "running in real time" in text:
                break
            if self.emulator.poll() is not None:
                raise Refusal("bullet-emulator exited (%d):\n%s"
                              % (self.emulator.returncode, text[-2000:]))
            if time.time() > deadline:
                raise Refusal("bullet-emulator did not start within 180 s")
            time.sleep(0.2)

    # ------------------------------------------------------------------ VM hosts
    def make_vm_host(self, i):
        """Host i becomes a VM's: its namespace and veth go, a TAP of its own (<P>q<i>, which
        hosts-down.sh removes) joins the host's bridge; the VM's NIC sits on that TAP."""
        p = self.prefix
        # The veth first: deleting it deletes its peer, the namespace's eth0. A namespace
        # deleted first takes its eth0 and with it the veth, at a time of the kernel's (its
        # clean-up is asynchronous), so deleting the veth after it failed now and then.
        steps = [["ip", "link", "del", "%sv%d" % (p, i)], ["ip", "netns", "del", "%sh%d" % (p, i)],
                 ["ip", "tuntap", "add", "dev", "%sq%d" % (p, i), "mode", "tap"],
                 ["ip", "link", "set", "%sq%d" % (p, i), "master", "%sb%d" % (p, i)],
                 ["ip", "link", "set", "%sq%d" % (p, i), "up"]]
        for argv in steps:
            r = subprocess.run(argv, capture_output=True, text=True)
            if r.returncode != 0:
                raise Refusal("VM host %d: %s failed: %s" % (i, " ".join(argv), r.stderr.strip()))
        if self.initramfs is None:
            vmdir = os.path.join(self.outdir, "vm")
            os.makedirs(vmdir, exist_ok=True)
            self.initramfs = os.path.join(vmdir, "initramfs.cpio")
            r = subprocess.run([os.path.join(HERE, "vm", "make-initramfs.sh"), self.bindir,
                                self.initramfs], capture_output=True, text=True)
            if r.returncode != 0:
                raise Refusal("cannot make the VM's initramfs: " + r.stderr.strip())
            log(r.stdout.strip())

    def launch_vm(self, i, argv):
        """bullet-node's argv for host i, run in a QEMU VM: the files it reads go in on a
        tar disk (/dev/vdb), the received file comes out raw on /dev/vda, its results on the
        serial console."""
        run_files = {}
        inside = []
        for a in argv[1:]:
            key, eq, val = a.partition("=")
            if key in ("--manifest", "--torrent"):
                run_files[key[2:]] = val
                a = "%s=/run/bullet/%s" % (key, key[2:])
            elif key == "--output":
                self.vm_output[i] = val
                a = "--output=/dev/vda"
            elif key == "--results":
                a = "--results=/run/bullet/results.json"
            inside.append(a)
        inside += ["--exitOnComplete=true", "--linger=10"]
        tarpath = os.path.join(self.workdir, "h%d.run.tar" % i)
        with tarfile.open(tarpath, "w", format=tarfile.USTAR_FORMAT) as t:
            data = ("\n".join(inside) + "\n").encode()
            info = tarfile.TarInfo("args")
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
            for name, path in run_files.items():
                t.add(path, arcname=name)
        image = os.path.join(self.workdir, "h%d.disk" % i)
        with open(image, "wb") as f:
            f.truncate(max(512, (self.file_bytes() + 511) // 512 * 512))
        kernel = sorted(glob.glob("/boot/vmlinuz-*"))[-1]
        kvm = os.access("/dev/kvm", os.R_OK | os.W_OK) and any(
            w in open("/proc/cpuinfo").read() for w in (" vmx", " svm"))
        qemu = ["qemu-system-x86_64", "-accel", "kvm" if kvm else "tcg", "-m", "768",
                "-smp", "1", "-display", "none", "-monitor", "none", "-no-reboot",
                "-kernel", kernel, "-initrd", self.initramfs,
                "-append", "console=ttyS0 panic=-1 ipv6.disable=1 quiet",
                "-netdev", "tap,id=n0,ifname=%sq%d,script=no,downscript=no" % (self.prefix, i),
                "-device", "virtio-net-pci,netdev=n0,mac=52:54:00:00:%02x:%02x" % (i >> 8, i & 255),
                "-drive", "file=%s,format=raw,if=virtio" % image,
                "-drive", "file=%s,format=raw,if=virtio,readonly=on" % tarpath,
                "-serial", "file:" + os.path.join(self.workdir, "h%d.console" % i)]
        self.nodes[i] = self.start(qemu, os.path.join(self.workdir, "h%d.log" % i))

    def file_bytes(self):
        """The distributed file's size in bytes (--file, or --size; 0 when streaming)."""
        if self.prog != "file-distribution":
            return 0
        if self.opts["file"]:
            return os.path.getsize(self.opts["file"])
        return parse_size(self.opts["size"])

    def vm_record(self, i):
        """A VM host's record, once its console has it: bullet-node's JSON, its exit status,
        and the received file copied out of the VM's disk."""
        try:
            text = open(os.path.join(self.workdir, "h%d.console" % i), errors="replace").read()
        except OSError:
            return None
        if "BULLET-RESULTS-END" not in text:
            return None
        body = text.split("BULLET-RESULTS-BEGIN", 1)[1].split("BULLET-RESULTS-END", 1)[0]
        try:
            record = json.loads(body)
        except ValueError:
            record = {"ok": False, "error": "the VM printed no results"}
        m = re.search(r"BULLET-EXIT (\d+)", text)
        record["vm_exit_status"] = int(m.group(1)) if m else None
        record["vm"] = True
        out = self.vm_output.get(i)
        if out and record.get("results", {}).get("complete") and not os.path.exists(out):
            size = self.file_bytes()
            with open(os.path.join(self.workdir, "h%d.disk" % i), "rb") as src, \
                    open(out, "wb") as dst:
                dst.write(src.read(size))
        with open(self.result_path(i), "w") as f:
            json.dump(record, f, indent=2)
        return record

    def node_argv(self, i, role, extra):
        return ([os.path.join(self.bindir, "bullet-node"), "--role=" + role,
                 "--address=%s.3/24" % host_net(i), "--index=%d" % i,
                 "--results=" + self.result_path(i)]
                + ([] if i == 0 else ["--bootstrap=%s.3" % host_net(0)]) + extra + self.attrs)

    def result_path(self, i):
        return os.path.join(self.workdir, "h%d.json" % i)

    def launch(self, i, role, extra):
        argv = self.node_argv(i, role, extra)
        if i in self.vms:
            self.launch_vm(i, argv)
            return
        self.nodes[i] = self.start(argv, os.path.join(self.workdir, "h%d.log" % i),
                                   netns="%sh%d" % (self.prefix, i))

    def roles(self, system):
        """bullet-node's (source, receiver) roles for \p system."""
        if PROGRAMS[self.prog]["systems"][system] == "bittorrent":
            return "bittorrent-seeder", "bittorrent-peer"
        return system + "-source", system + "-receiver"

    def check_options(self):
        """bullet-node --check on the source's and a receiver's options of every system: a
        wrong attribute or value is refused before any host is made."""
        for system in self.systems:
            if self.prog == "file-distribution":
                extra = ["--manifest=/nonexistent", "--torrent=/nonexistent",
                         "--size=" + self.opts["size"]]
            else:
                extra = ["--rate=" + self.opts["rate"], "--packetSize=" + self.opts["packetSize"]]
            for i, role in zip((0, 1), self.roles(system)):
                argv = self.node_argv(i, role, extra) + ["--check"]
                r = subprocess.run(argv, capture_output=True, text=True)
                if r.returncode != 0:
                    raise Refusal("bullet-node refuses the options:\n"
                                  + excerpt(r.stdout + r.stderr))

    def read_result(self, i):
        if i in self.external:
            return self.external_record(i)
        if i in self.vms:
            return self.vm_record(i)
        try:
            with open(self.result_path(i)) as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def check_alive(self, waiting):
        if self.emulator.poll() is not None:
            raise RunFailure("bullet-emulator exited (%d) during the run:\n%s"
                             % (self.emulator.returncode, open(self.emulator_log).read()[-1500:]))
        for i in waiting:
            p = self.nodes[i]
            if p.poll() is not None and p.returncode != 0:
                text = open(os.path.join(self.workdir, "h%d.log" % i)).read()
                raise RunFailure("host %d's bullet-node exited with %d:\n%s"
                                 % (i, p.returncode, excerpt(text)))

    def wait_for(self, path, what):
        """Waits (60 s at most) for the source to publish \p path."""
        deadline = time.time() + 60
        while not os.path.exists(path):
            self.check_alive([0])
            if self.nodes[0].poll() is not None or time.time() > deadline:
                raise RunFailure("the source wrote no %s:\n%s" % (
                    what, open(os.path.join(self.workdir, "h0.log")).read()[-1500:]))
            time.sleep(0.1)

    def source_options(self):
        o = self.opts
        src = ["--size=" + o["size"], "--seed=" + o["seed"], "--blockSize=" + o["blockSize"],
               "--output=" + os.path.join(self.workdir, "h0.file")]
        if o["file"]:
            src.append("--file=" + os.path.abspath(o["file"]))
        return src

    def run_files(self):
        if self.kind == "bittorrent":
            torrent = self.start_bittorrent_seeder()
            for i in range(1, self.hosts):
                output = os.path.join(self.workdir, "h%d.file" % i)
                if self.clients[i] == "ours":
                    self.launch(i, "bittorrent-peer", ["--torrent=" + torrent, "--output=" + output])
                else:
                    self.start_real_client(i, torrent, seed=False)
        else:
            manifest = os.path.join(self.workdir, "manifest")
            common = ["--manifest=" + manifest]
            self.launch(0, self.system + "-source", common + self.source_options())
            self.wait_for(manifest, "manifest")
            for i in range(1, self.hosts):
                self.launch(i, self.system + "-receiver",
                            common + ["--output=" + os.path.join(self.workdir, "h%d.file" % i)])
        self.wait_for_receivers()

    def wait_for_receivers(self):
        o = self.opts
        timeout = float(o["timeout"] or 300)
        start = time.time()
        last = start
        receivers = list(range(1, self.hosts))
        while True:
            # A receiver that dies (a crash, kill -9) is marked failed; the others go on, as
            # the overlay's other nodes do. The emulator or the source dying ends the run.
            for i in receivers:
                p = self.nodes[i]
                vm_gone = (i in self.vms and p.poll() is not None
                           and not (self.read_result(i) or {}).get("results", {}).get("complete"))
                if i not in self.lost and p.poll() is not None and (p.returncode != 0 or vm_gone):
                    self.lost[i] = p.returncode
                    text = open(os.path.join(self.workdir, "h%d.log" % i)).read()
                    log("host %d's bullet-node %s after %.1f s; the other receivers go on:\n%s"
                        % (i, exit_reason(p.returncode), time.time() - start, excerpt(text, 5)))
            alive = [i for i in receivers if i not in self.lost]
            done = [i for i in alive
                    if (self.read_result(i) or {}).get("results", {}).get("complete")]
            for why in self.extras_died():
                raise RunFailure(why)
            if len(done) == len(alive):
                break
            self.check_alive([0])
            if time.time() - start > timeout:
                log("timeout: %d of %d receivers complete after %.0f s"
                    % (len(done), len(receivers), timeout))
                break
            if time.time() - last >= 5:
                last = time.time()
                log("t = %.0f s: %d/%d receivers complete" % (last - start, len(done), len(receivers)))
            time.sleep(0.25)
        log("all %d receivers complete after %.1f s" % (len(receivers), time.time() - start)
            if len(done) == len(receivers)
            else "%d of %d receivers complete after %.1f s; failed: hosts %s"
            % (len(done), len(receivers), time.time() - start, sorted(self.lost))
            if len(done) == len(alive) else "stopping")
        self.stop_all()

    def stop_all(self):
        """Stops this system's processes; those still running when stopped were not failures."""
        for i in sorted(self.nodes, reverse=True):
            if self.nodes[i].poll() is None:
                self.stopped.add(i)
            self.stop(self.nodes[i])
        for p, _, _ in self.extras:
            self.stop(p, 5)

    def extras_died(self):
        """Why a helper process (a tracker) ended during the run, if one did."""
        for p, name, logpath in self.extras:
            if p.poll() is not None:
                yield "%s exited (%s):\n%s" % (name, exit_reason(p.returncode),
                                               excerpt(open(logpath).read()))

    # ------------------------------------------------------------------ BitTorrent
    def start_bittorrent_seeder(self):
        """Host 0 seeds: our seeder (its .torrent announcing our tracker on it), or a real
        client seeding the file and .torrent bullet-node prepares (announcing opentracker on
        host 0's kernel address). Returns the .torrent's path."""
        torrent = os.path.join(self.workdir, "file.torrent")
        src = ["--torrent=" + torrent] + self.source_options()
        # Host 0 holds the tracker beside the seeder: ours in our seeder's node (.3), or
        # opentracker beside a real seeder on the kernel's address (.2). Not across the two: a
        # node and its own namespace's kernel cannot talk (doc/emulation.md, "What is not
        # done").
        tracker = "%s.%d" % (host_net(0), 3 if self.clients[0] == "ours" else 2)
        if self.clients[0] == "ours":
            self.launch(0, "bittorrent-seeder", src + ["--tracker=" + tracker])
            self.wait_for(torrent, ".torrent")
        else:
            argv = self.node_argv(0, "bittorrent-seeder",
                                  src + ["--tracker=" + tracker, "--prepare"])
            r = subprocess.run(argv, capture_output=True, text=True)
            if r.returncode != 0:
                raise RunFailure("bullet-node could not prepare the file and its .torrent:\n"
                                 + excerpt(r.stdout + r.stderr))
            self.start_opentracker(torrent, tracker)
            self.start_real_client(0, torrent, seed=True)
        return torrent

    def start_opentracker(self, torrent, address):
        """Debian's opentracker on host 0's kernel address, serving the .torrent's info-hash
        (it is built in whitelist mode: it serves only the info-hashes its whitelist names)."""
        with open(torrent, "rb") as f:
            data = f.read()
        a, b = bdecode_info_span(data)
        with open(os.path.join(self.workdir, "whitelist"), "w") as f:
            f.write(hashlib.sha1(data[a:b]).hexdigest() + "\n")
        logpath = os.path.join(self.workdir, "opentracker.log")
        # It chroots into -d and drops root for -u (it refuses to run as root): the whitelist
        # is named inside the chroot.
        p = self.start(["opentracker", "-i", address, "-p", str(TRACKER_PORT), "-P",
                        str(TRACKER_PORT), "-d", self.workdir, "-w", "/whitelist",
                        "-u", "nobody"], logpath, netns="%sh0" % self.prefix)
        self.extras.append((p, "opentracker", logpath))

    def start_real_client(self, i, torrent, seed):
        """transmission-cli on host i's kernel (.2): peers only through the tracker (no DHT,
        local discovery, peer exchange or uTP), plaintext, a finish script marking when the
        download is complete."""
        cfg = os.path.join(self.workdir, "h%d.cfg" % i)
        dl = os.path.join(self.workdir, "h%d.dir" % i)
        os.makedirs(cfg, exist_ok=True)
        os.makedirs(dl, exist_ok=True)
        settings = {"dht-enabled": False, "lpd-enabled": False, "pex-enabled": False,
                    "utp-enabled": False, "port-forwarding-enabled": False, "encryption": 0,
                    "rpc-enabled": False, "blocklist-enabled": False,
                    "speed-limit-up-enabled": False, "speed-limit-down-enabled": False,
                    "peer-port": BT_PEER_PORT, "peer-port-random-on-start": False,
                    "rename-partial-files": True, "start-added-torrents": True}
        with open(os.path.join(cfg, "settings.json"), "w") as f:
            json.dump(settings, f, indent=1)
        name = torrent_name(torrent)
        if seed:
            os.link(os.path.join(self.workdir, "h0.file"), os.path.join(dl, name))
        marker = os.path.join(self.workdir, "h%d.done" % i)
        script = os.path.join(cfg, "done.sh")
        with open(script, "w") as f:
            f.write("#!/bin/sh\ndate +%%s.%%N > %s.tmp && mv %s.tmp %s\n"
                    % (shlex.quote(marker), shlex.quote(marker), shlex.quote(marker)))
        os.chmod(script, 0o755)
        argv = ["transmission-cli", "-g", cfg, "-w", dl, "-p", str(BT_PEER_PORT), "-et", "-M",
                "-f", script, torrent]
        self.external[i] = {"seed": seed, "name": name, "dir": dl, "marker": marker}
        self.started_at[i] = time.time()
        self.nodes[i] = self.start(argv, os.path.join(self.workdir, "h%d.log" % i),
                                   netns="%sh%d" % (self.prefix, i))

    def external_record(self, i):
        """A real client's record, in bullet-node's shape."""
        e = self.external[i]
        res = {"start_s": 0.0, "blocks_received": 0, "duplicates": 0, "rejected": 0,
               "control_bytes": 0}
        path = os.path.join(e["dir"], e["name"])
        if e["seed"]:
            res.update(complete=True, completion_s=0.0)
            res["file_size"] = os.path.getsize(path) if os.path.exists(path) else 0
        else:
            done = os.path.exists(e["marker"])
            if done and i not in self.done_at:
                with open(e["marker"]) as f:
                    self.done_at[i] = float(f.read().strip() or 0) - self.started_at[i]
                # Where the summary looks for every receiver's file.
                shutil.copyfile(path, os.path.join(self.workdir, "h%d.file" % i))
            res.update(complete=done, completion_s=self.done_at.get(i, -1.0))
        return {"role": "transmission-" + ("seeder" if e["seed"] else "peer"),
                "system": self.system, "client": "transmission-cli",
                "address": "%s.2" % host_net(i), "results": res, "ok": res["complete"],
                "simulated_s": time.time() - self.started_at[i]}

    def run_streaming(self):
        o = self.opts
        duration = float(o["duration"])
        warmup = float(o["warmup"]) if o["warmup"] else 0.4 * duration
        extra = ["--rate=" + o["rate"], "--packetSize=" + o["packetSize"],
                 "--warmup=%g" % warmup]
        # A VM's node starts after the VM boots (10-20 s): then the source streams until every
        # receiver has run its duration, and is stopped (--duration=0: until SIGTERM).
        self.launch(0, self.system + "-source",
                    extra + ["--duration=%g" % (0 if self.vms else duration + 2)])
        time.sleep(1)
        for i in range(1, self.hosts):
            self.launch(i, self.system + "-receiver", extra + ["--duration=%g" % duration])
        timeout = float(o["timeout"] or duration + (120 if self.vms else 60))
        start = time.time()
        last = start
        waiting = [p for i, p in self.nodes.items() if i != 0 or not self.vms]
        while any(p.poll() is None for p in waiting):
            self.check_alive([])
            if time.time() - start > timeout:
                log("timeout after %.0f s" % timeout)
                break
            if time.time() - last >= 10:
                last = time.time()
                log("t = %.0f s of %.0f" % (last - start, duration))
            time.sleep(0.5)
        self.stop_all()

    # ------------------------------------------------------------------ results
    def collect(self, run_start):
        """This system's hosts' records and its summary row (before the next system runs)."""
        records = []
        for i in range(self.hosts):
            r = self.read_result(i) or {"ok": False, "error": "no results written"}
            r["host"] = i
            p = self.nodes.get(i)
            # A process this script stopped while it served others did not fail.
            r["exit_status"] = (0 if i in self.stopped and i not in self.lost
                                and (i not in self.external or r.get("ok"))
                                else p.returncode if p else None)
            if i in self.vms and "vm_exit_status" in r:
                r["exit_status"] = r["vm_exit_status"]  # bullet-node's, inside the VM
            if i in self.external:
                r["client"] = "transmission-cli"
            if i in self.lost:
                # Died during the run: what its file says (if anything) is from before.
                r["ok"] = False
                r["error"] = "bullet-node " + exit_reason(self.lost[i]) + " during the run"
            if len(self.systems) > 1:
                r["system_run"] = self.system
            records.append(r)
        hostmap = {}
        try:
            with open(os.path.join(self.outdir, "emulator", "hostmap.json")) as f:
                hostmap = json.load(f)
        except (OSError, ValueError, TypeError):
            pass
        if self.prog == "file-distribution":
            system = self.summarize_files(records, hostmap)
        else:
            system = self.summarize_streaming(records)
        system["wall_seconds"] = time.time() - run_start
        system["failed_hosts"] = [r["host"] for r in records if r.get("exit_status") != 0]
        if self.kind == "bittorrent":
            system["clients"] = self.clients
            system["tracker"] = ("ours, in the seeder's node" if self.clients[0] == "ours"
                                 else "opentracker, on host 0's kernel address")
        self.write_csv(records)
        self.runs[self.system] = (system, records)

    def finish(self, wall_start):
        self.stop(self.emulator, 20)
        emu = {}
        try:
            with open(os.path.join(self.outdir, "emulator", "summary.json")) as f:
                emu = json.load(f)
        except (OSError, ValueError):
            pass
        emu_text = open(self.emulator_log).read()
        records = [r for _, recs in self.runs.values() for r in recs]
        lag = emu.get("emulator", {})
        node_p99 = [r.get("lag_ms", {}).get("p99") for r in records if r.get("lag_ms")]
        summary = {
            "experiment": self.prog,
            "args": self.line,
            "seed": int(float(self.opts["seed"])),
            "simulated_seconds": max([r.get("simulated_s", 0) for r in records] + [0]),
            "wall_seconds": time.time() - wall_start,
            "systems": {name: system for name, (system, _) in self.runs.items()},
            "emulation": {
                "hosts": self.hosts,
                "prefix": self.prefix,
                "attachment": "bullet-node: FdNetDevice on a raw packet socket on the "
                              "namespace's eth0, node address .3",
                "topology": emu.get("topology"),
                "hostmap": emu.get("hostmap"),
                "emulator": lag,
                "emulator_exit_status": self.emulator.returncode,
                "fidelity_ok": "FIDELITY OK" in emu_text,
                "node_lag_p99_ms_max": max(node_p99) if node_p99 else None,
                "failed_hosts": sorted({r["host"] for r in records if r.get("exit_status") != 0}),
                "ipv4_drops": lag.get("ipv4_drops"),
                "input_guard": lag.get("input_guard"),
                "nodes": records,
            },
        }
        with open(os.path.join(self.outdir, "summary.json"), "w") as f:
            json.dump(summary, f, indent=2)
        self.print_table(summary)
        log("wrote " + os.path.join(self.outdir, "summary.json"))
        return summary

    def write_csv(self, records):
        """The simulation's per-node file: <system>-nodes.csv (files) or
        <system>-per-node.csv (streaming: node,useful_kbps over the window)."""
        if self.prog == "file-distribution":
            path = os.path.join(self.outdir, self.system + "-nodes.csv")
            cols = ["start_s", "completion_s", "blocks_received", "duplicates", "rejected",
                    "control_bytes"]
            with open(path, "w") as f:
                f.write("node,source,%s,file_sha256_ok,slot,end_s,departs,first_block_s\n"
                        % ",".join(cols))
                for r in records:
                    res = r.get("results", {})
                    ok = r.get("bytes_identical", r["host"] == 0)
                    f.write("%d,%d,%s,%d,%d,%s,0,%s\n" % (
                        r["host"], r["host"] == 0, ",".join(str(res.get(c, "")) for c in cols),
                        bool(ok), r["host"], r.get("simulated_s", ""),
                        res.get("first_block_s", "")))
        else:
            path = os.path.join(self.outdir, self.system + "-per-node.csv")
            with open(path, "w") as f:
                f.write("node,useful_kbps\n")
                for r in records[1:]:
                    f.write("%d,%s\n" % (r["host"], r.get("results", {}).get("useful_kbps", 0)))

    def summarize_files(self, records, hostmap):
        src = os.path.join(self.workdir, "h0.file")
        src_sha = sha256(src) if os.path.exists(src) else None
        times, verified, dup, blocks, control, rejected = [], True, 0, 0, 0, 0
        wall = max([r.get("simulated_s", 0) for r in records] + [1])
        for r in records[1:]:
            res = r.get("results", {})
            path = os.path.join(self.workdir, "h%d.file" % r["host"])
            r["file_sha256_on_disk"] = sha256(path) if os.path.exists(path) else None
            ok = bool(src_sha) and r["file_sha256_on_disk"] == src_sha and res.get("complete")
            r["bytes_identical"] = bool(ok)
            verified = verified and bool(ok)
            if res.get("complete") and res.get("completion_s", -1) >= 0:
                times.append(res["completion_s"])
            blocks += res.get("blocks_received", 0)
            dup += res.get("duplicates", 0)
            control += res.get("control_bytes", 0)
            rejected += res.get("rejected", 0)
        control += records[0].get("results", {}).get("control_bytes", 0)
        times.sort()
        size = records[0].get("results", {}).get("file_size", 0)
        rates = [h.get("access", {}).get("down_mbps") for h in hostmap.get("hosts", [])[1:]]
        rates = [x for x in rates if x]

        def q(p):  # as the simulation's: v[ceil(p n) - 1]
            return times[min(len(times) - 1, math.ceil(p * len(times)) - 1)] if times else -1

        mean = sum(times) / len(times) if times else -1
        return {
            "receivers": self.hosts - 1,
            "completed": len(times),
            "completion_s": times,
            "completion_mean_s": mean,
            "completion_median_s": q(0.5),
            "completion_p90_s": q(0.9),
            "completion_max_s": times[-1] if times else -1,
            "optimal_s": size * 8 / (min(rates) * 1e6) if rates and size else None,
            "mean_download_kbps": size * 8 / 1000 / mean if mean > 0 else 0,
            "duplicate_fraction": dup / blocks if blocks else 0,
            "control_kbps": control * 8 / 1000 / self.hosts / wall,
            "bytes_verified": verified and len(times) == self.hosts - 1,
            # Every receiver that completed holds the source's bytes (a run with failed
            # hosts: the survivors' files are still checked).
            "completed_bytes_identical": bool(src_sha) and all(
                r["bytes_identical"] for r in records[1:] if r.get("results", {}).get("complete")),
            "blocks_rejected": rejected,
            "payload": "real",
            "file_sha256": src_sha,
            "simulated_s": wall,
        }

    def summarize_streaming(self, records):
        recv = [r.get("results", {}) for r in records[1:]]
        mean = lambda k: sum(x.get(k, 0) for x in recv) / len(recv) if recv else 0
        packets = sum(x.get("packets", 0) for x in recv)
        dups = sum(x.get("duplicates", 0) for x in recv)
        src = records[0].get("results", {})
        return {
            "receivers": len(recv),
            "rate_kbps": float(self.opts["rate"]),
            "window_s": src.get("window_s"),
            "useful_kbps": mean("useful_kbps"),
            "raw_kbps": mean("raw_kbps"),
            "from_parent_kbps": mean("from_parent_kbps"),
            "min_useful_kbps": min((x.get("useful_kbps", 0) for x in recv), default=0),
            "duplicate_fraction": dups / packets if packets else 0,
            # Over every node, the source included, as the simulation's.
            "control_kbps": sum(r.get("results", {}).get("control_kbps", 0) for r in records)
            / len(records) if records else 0,
            "source_sent_kbps": src.get("sent_kbps"),
        }

    def print_table(self, summary):
        print()
        if self.prog == "file-distribution":
            print("%-14s %5s %8s %8s %8s %8s %8s %6s %8s %9s" % (
                "system", "done", "mean s", "median", "p90", "slowest", "optimum", "dup",
                "ctl kbps", "verified"))
        else:
            print("%-10s %9s %9s %9s %9s %9s %6s %9s" % (
                "system", "rate", "useful", "min use.", "raw", "parent", "dup", "ctl kbps"))
        for name, s in summary["systems"].items():
            if self.prog == "file-distribution":
                print("%-14s %2d/%-2d %8.1f %8.1f %8.1f %8.1f %8s %6.3f %8.1f %9s" % (
                    name, s["completed"], s["receivers"], s["completion_mean_s"],
                    s["completion_median_s"], s["completion_p90_s"], s["completion_max_s"],
                    "%.1f" % s["optimal_s"] if s["optimal_s"] else "-", s["duplicate_fraction"],
                    s["control_kbps"], "yes" if s["bytes_verified"] else "NO"))
                if "clients" in s:
                    print("%-14s clients %s; tracker: %s" % ("", ",".join(s["clients"]),
                                                             s["tracker"]))
            else:
                print("%-10s %9.0f %9.1f %9.1f %9.1f %9.1f %6.3f %9.1f" % (
                    name, s["rate_kbps"], s["useful_kbps"], s["min_useful_kbps"], s["raw_kbps"],
                    s["from_parent_kbps"], s["duplicate_fraction"], s["control_kbps"]))
        e = summary["emulation"]
        lag = e["emulator"].get("lag_ms", {})
        print("emulator: %s; lag p50 %.3f p99 %.3f max %.3f ms; nodes' lag p99 max %s ms"
              % ("FIDELITY OK" if e["fidelity_ok"] else "FIDELITY VIOLATED",
                 lag.get("p50", -1), lag.get("p99", -1), lag.get("max", -1),
                 "%.3f" % e["node_lag_p99_ms_max"] if e["node_lag_p99_ms_max"] is not None
                 else "-"))


def exit_reason(status):
    """'exited with 1' or 'was killed by signal 9 (SIGKILL)' for a Popen returncode."""
    if status is not None and status < 0:
        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = "?"
        return "was killed by signal %d (%s)" % (-status, name)
    return "exited with %s" % status


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main(argv):
    bindir = os.path.join(TOP, "build", "bin")
    args = argv[1:]
    if args[:1] == ["--check"]:
        # ./ns3 emulate's first step: refuse before building anything.
        try:
            if len(args) > 1:
                parse(args[1])
            preflight()
        except Refusal as e:
            print("emulate: " + str(e), file=sys.stderr)
            return 2
        return 0
    if args[:1] == ["--bin"] and len(args) >= 2:
        bindir = args[1]
        args = args[2:]
    if len(args) != 1 or args[0] in ("-h", "--help"):
        print(usage(), file=sys.stderr)
        return 2
    wall_start = time.time()
    run = None

    def on_signal(signum, _frame):
        raise KeyboardInterrupt("signal %d" % signum)

    # Explicitly: a shell starts background jobs with SIGINT ignored, which Python inherits.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    try:
        prog, systems, hosts, opts, attrs = parse(args[0])
        for b in ("bullet-node", "bullet-emulator"):
            if not os.access(os.path.join(bindir, b), os.X_OK):
                raise Refusal("%s not built in %s (./ns3 build %s)" % (b, bindir, b))
        if int(opts["vms"]):
            for tool, pkg in (("qemu-system-x86_64", "qemu-system-x86"),
                              ("busybox", "busybox-static")):
                if not shutil.which(tool):
                    raise Refusal("--vms needs %s (apt-get install %s; ./ns3 installs it)"
                                  % (tool, pkg))
            if not glob.glob("/boot/vmlinuz-*"):
                raise Refusal("--vms needs a kernel in /boot (apt-get install linux-image-amd64; "
                              "./ns3 installs it)")
        if any("transmission" in bt_clients(s, opts, hosts) for s in systems):
            for tool in ("transmission-cli", "opentracker"):
                if not shutil.which(tool):
                    raise Refusal("%s is not installed (apt-get install %s; ./ns3 installs it)"
                                  % (tool, tool))
        run = Run(bindir, prog, systems, hosts, opts, attrs, args[0])
        run.check_options()
        preflight()
        run.up()
        for k, system in enumerate(systems):
            if k > 0:
                run.begin(system)
            if len(systems) > 1:
                log("system %d of %d: %s" % (k + 1, len(systems), system))
            run_start = time.time()
            if prog == "file-distribution":
                run.run_files()
            else:
                run.run_streaming()
            run.collect(run_start)
        summary = run.finish(wall_start)
        status = 0
        for system, s in summary["systems"].items():
            workdir = run.workdir_of(system)
            if prog == "file-distribution" and not s["bytes_verified"]:
                log("FAILED: %s: not every receiver holds the source's file (hosts' logs in %s)"
                    % (system, workdir))
                status = 1
            elif s["failed_hosts"]:
                log("FAILED: %s: the node failed on hosts %s (logs in %s)"
                    % (system, s["failed_hosts"], workdir))
                status = 1
        return status
    except Refusal as e:
        print("emulate: error: " + str(e), file=sys.stderr)
        return 2
    except RunFailure as e:
        print("emulate: FAILED: " + str(e), file=sys.stderr)
        return 1
    except KeyboardInterrupt as e:
        print("emulate: interrupted (%s); tearing down" % (e or "Ctrl-C"), file=sys.stderr)
        return 130
    finally:
        if run is not None:
            # A second Ctrl-C must not cut the tear-down short.
            for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(sig, signal.SIG_IGN)
            run.cleanup()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
