#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""fidelity.py: the same scenario in simulation and on real (namespace) hosts, side by side.

    python3 emulation/fidelity.py [--bin build/bin] [--out results/fidelity] [--seeds 1,2]
        [--hosts 6] [--topoNodes 3037] [--profile medium] [--size 2000000]
        [--files bullet-prime,bittorrent] [--rate 300] [--duration 60] [--warmup 24]

For every seed it runs, on the same INET core (same generator, seed, profile and host
placement; host 0, client 0, the source):
  files:     file-distribution --topology=inet --nodes=H --source=0 ... (simulation)
             ./ns3 emulate "file-distribution --topology=inet --hosts=H ..." (emulation)
  streaming: bullet-streaming --clients=H --source=0 ...
             ./ns3 emulate "bullet-streaming --topology=inet --hosts=H ..."
and writes OUT/fidelity.md (the table doc/emulation.md quotes) and OUT/summary.json
(doc/results-format.md: one row per system and seed, simulation and emulation values, their
ratio). Emulation needs root, TUN and namespaces (emulate.py refuses otherwise) and a quiet
machine: it runs in real time. Python standard library only.
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)


def run(argv, log):
    """Runs argv, output to log; raises with the log's tail if it fails."""
    with open(log, "w") as f:
        r = subprocess.run(argv, stdout=f, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        tail = open(log).read()[-2000:]
        raise RuntimeError("%s failed (%d):\n%s" % (" ".join(argv[:3]), r.returncode, tail))


def load(path):
    with open(path) as f:
        return json.load(f)


FILE_KEYS = ("completion_mean_s", "completion_median_s", "completion_max_s")
STREAM_KEYS = ("useful_kbps", "duplicate_fraction", "control_kbps")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--bin", default=os.path.join(TOP, "build", "bin"))
    p.add_argument("--out", default=os.path.join(TOP, "results", "fidelity"))
    p.add_argument("--seeds", default="1")
    p.add_argument("--hosts", type=int, default=6)
    p.add_argument("--topoNodes", default="3037")
    p.add_argument("--profile", default="medium")
    p.add_argument("--size", type=int, default=2000000)
    p.add_argument("--files", default="bullet-prime,bittorrent",
                   help="file systems ('' none)")
    p.add_argument("--rate", default="300", help="streaming rate, kbps ('' no streaming)")
    p.add_argument("--duration", default="60")
    p.add_argument("--warmup", default="24")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    net = ["--topoNodes=" + a.topoNodes, "--profile=" + a.profile]
    emulate = [sys.executable, os.path.join(HERE, "emulate.py"), "--bin", a.bin]
    rows = []
    for seed in [int(s) for s in a.seeds.split(",") if s]:
        if a.files:
            d = os.path.join(a.out, "files-seed%d" % seed)
            sim = [os.path.join(a.bin, "file-distribution"), "--topology=inet",
                   "--nodes=%d" % a.hosts, "--source=0", "--size=%d" % a.size,
                   "--systems=" + a.files, "--seed=%d" % seed, "--plot=false", "--quiet",
                   "--outdir=" + d + "-sim"] + net
            print("fidelity: seed %d, files in simulation" % seed, flush=True)
            run(sim, d + "-sim.log")
            print("fidelity: seed %d, files on %d namespace hosts" % (seed, a.hosts), flush=True)
            run(emulate + [" ".join(["file-distribution", "--topology=inet",
                                     "--hosts=%d" % a.hosts, "--size=%d" % a.size,
                                     "--systems=" + a.files, "--seed=%d" % seed,
                                     "--outdir=" + d + "-emu"] + net)], d + "-emu.log")
            s, e = load(d + "-sim/summary.json"), load(d + "-emu/summary.json")
            for system in a.files.split(","):
                rows.append(("files", system, seed, s["systems"][system], e["systems"][system],
                             FILE_KEYS, e["emulation"]))
        if a.rate:
            d = os.path.join(a.out, "streaming-seed%d" % seed)
            common = ["--rate=" + a.rate, "--duration=" + a.duration, "--warmup=" + a.warmup,
                      "--seed=%d" % seed]
            sim = [os.path.join(a.bin, "bullet-streaming"), "--clients=%d" % a.hosts,
                   "--source=0", "--systems=bullet", "--loss=none", "--plot=false", "--quiet",
                   "--outdir=" + d + "-sim"] + common + net
            print("fidelity: seed %d, streaming in simulation" % seed, flush=True)
            run(sim, d + "-sim.log")
            print("fidelity: seed %d, streaming on %d namespace hosts" % (seed, a.hosts),
                  flush=True)
            run(emulate + [" ".join(["bullet-streaming", "--topology=inet",
                                     "--hosts=%d" % a.hosts, "--outdir=" + d + "-emu"]
                                    + common + net)], d + "-emu.log")
            s, e = load(d + "-sim/summary.json"), load(d + "-emu/summary.json")
            rows.append(("streaming", "bullet", seed, s["systems"]["bullet"],
                         e["systems"]["bullet"], STREAM_KEYS, e["emulation"]))

    table = ["| kind | system | seed | measure | simulation | emulation | emulation / simulation |",
             "|---|---|---|---|---|---|---|"]
    out = {"experiment": "fidelity", "args": " ".join(sys.argv[1:]), "rows": []}
    for kind, system, seed, s, e, keys, emu in rows:
        for k in keys:
            sv, ev = s.get(k), e.get(k)
            ratio = ev / sv if isinstance(sv, (int, float)) and sv and ev is not None else None
            table.append("| %s | %s | %d | %s | %s | %s | %s |" % (
                kind, system, seed, k, fmt(sv), fmt(ev), fmt(ratio)))
            out["rows"].append({"kind": kind, "system": system, "seed": seed, "measure": k,
                                "simulation": sv, "emulation": ev, "ratio": ratio})
        lag = emu.get("emulator", {}).get("lag_ms", {})
        table.append("| %s | %s | %d | emulator lag p99 / max, ms; fidelity | | %s / %s; %s | |"
                     % (kind, system, seed, fmt(lag.get("p99")), fmt(lag.get("max")),
                        "OK" if emu.get("fidelity_ok") else "VIOLATED"))
    text = "\n".join(table) + "\n"
    with open(os.path.join(a.out, "fidelity.md"), "w") as f:
        f.write(text)
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(out, f, indent=2)
    print(text)
    return 0


def fmt(v):
    if v is None:
        return "-"
    if isinstance(v, float):
        return "%.3g" % v if abs(v) < 10 else "%.1f" % v
    return str(v)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as e:
        print("fidelity: " + str(e), file=sys.stderr)
        sys.exit(1)
