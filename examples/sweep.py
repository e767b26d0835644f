#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Sweeps one parameter of an experiment through the Python bindings and plots it.

    ./ns3 python examples/sweep.py                      # Bullet' peer-set size (Figures 16-17)
    ./ns3 python examples/sweep.py --sweep=rate         # Bullet's useful bandwidth vs stream rate
    ./ns3 python examples/sweep.py --sweep=peers --values=2,6,14 --outdir=/tmp/sweep

(or `PYTHONPATH=build/bindings python3 examples/sweep.py ...` after `./ns3 build`).

Two sweeps (about 1.5 minutes and 20 s on two cores):

- peers: file-distribution with Bullet' alone, its peer-set size fixed at each value
  (--peers=N; the 2008 paper's Figures 16-17 compare fixed sizes with its dynamic sizing),
  30 nodes on the 2008 mesh, an 8 MB file (virtual payload); plots mean, median and
  90th-percentile completion times against the size, with the dynamic sizing as a line.
- rate: bullet-streaming with Bullet alone, 30 clients on a 3,037-node INET topology, 60 s,
  at each stream rate (kbps); plots useful and raw bandwidth per node against the rate.

Writes, in the layout of doc/results-format.md: OUTDIR/<value>/summary.json (and the
program's CSV files) per point, OUTDIR/sweep.csv (one row per point) and OUTDIR/sweep.png.
"""

import argparse
import csv
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
try:
    import ns3bullet
except ImportError:
    # Run straight from the source tree: the module is in build/bindings after ./ns3 build.
    sys.path.insert(0, os.path.join(HERE, os.pardir, "build", "bindings"))
    try:
        import ns3bullet
    except ImportError:
        sys.exit("sweep.py: no ns3bullet module; build it with ./ns3 build (bindings/README.md)")


def peers_point(value, outdir, seed):
    """One file-distribution run with Bullet' at peer-set size value ("dynamic" or N)."""
    run = ns3bullet.FileDistribution(
        systems="bullet-prime",
        nodes=30,
        size=8_000_000,
        payload="virtual",
        peers=str(value),
        seed=seed,
        quiet=True,
        plot=False,
        outdir=outdir,
    )
    summary = run.run()
    s = summary["systems"]["bullet-prime"]
    row = {
        "peers": value,
        "completed": s["completed"],
        "receivers": s["receivers"],
        "mean_s": s["completion_mean_s"],
        "median_s": s["completion_median_s"],
        "p90_s": s["completion_p90_s"],
        "optimal_s": s["optimal_s"],
    }
    return row


def rate_point(value, outdir, seed):
    """One bullet-streaming run with Bullet at stream rate value (kbps)."""
    run = ns3bullet.BulletStreaming(
        systems="bullet",
        clients=30,
        topoNodes=3037,
        duration=60,
        loss="none",
        rate=float(value),
        seed=seed,
        quiet=True,
        plot=False,
        outdir=outdir,
    )
    summary = run.run()
    s = summary["systems"]["bullet"]
    return {
        "rate_kbps": float(value),
        "useful_kbps": s["useful_kbps"],
        "raw_kbps": s["raw_kbps"],
        "from_parent_kbps": s["from_parent_kbps"],
        "duplicate_fraction": s["duplicate_fraction"],
    }


SWEEPS = {
    "peers": (peers_point, "2,4,6,10,16,24", "dynamic"),
    "rate": (rate_point, "200,400,600,900,1200", None),
}


def plot(sweep, rows, reference, path):
    """Draws the sweep to path (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    if sweep == "peers":
        x = [r["peers"] for r in rows]
        for key, label, style in (
            ("mean_s", "mean", "o-"),
            ("median_s", "median", "s--"),
            ("p90_s", "90th percentile", "^:"),
        ):
            ax.plot(x, [r[key] for r in rows], style, label=label)
        if reference:
            ax.axhline(reference["mean_s"], color="grey", lw=1, label="dynamic sizing (mean)")
        ax.axhline(
            rows[0]["optimal_s"], color="black", lw=0.8, ls="-.", label="access-link optimum"
        )
        ax.set_xlabel("Bullet' peer-set size (senders = receivers)")
        ax.set_ylabel("completion time (s)")
        ax.set_title("Bullet' completion time vs peer-set size (30 nodes, 8 MB)")
        ax.set_ylim(bottom=0)
    else:
        x = [r["rate_kbps"] for r in rows]
        ax.plot(x, [r["useful_kbps"] for r in rows], "o-", label="useful")
        ax.plot(x, [r["raw_kbps"] for r in rows], "s--", label="raw")
        ax.plot(x, [r["from_parent_kbps"] for r in rows], "^:", label="from parent")
        ax.plot(x, x, color="grey", lw=0.8, label="stream rate")
        ax.set_xlabel("stream rate (kbps)")
        ax.set_ylabel("bandwidth per node (kbps)")
        ax.set_title("Bullet: bandwidth per node vs stream rate (30 clients)")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sweep", choices=sorted(SWEEPS), default="peers")
    parser.add_argument("--values", help="comma-separated values (default: the sweep's own)")
    parser.add_argument("--outdir", help="default results/sweep-<sweep>")
    parser.add_argument("--seed", type=int, default=1, help="the programs' --seed at every point")
    args = parser.parse_args()

    point, default_values, reference_value = SWEEPS[args.sweep]
    values = (args.values or default_values).split(",")
    if args.sweep == "peers" and not all(v.isdigit() and int(v) > 0 for v in values):
        parser.error("--values of the peers sweep are positive integers")
    outdir = args.outdir or os.path.join("results", "sweep-" + args.sweep)
    os.makedirs(outdir, exist_ok=True)

    start = time.monotonic()
    rows = []
    for value in values:
        print(f"sweep {args.sweep}: {value} ...", flush=True)
        typed = int(value) if args.sweep == "peers" else value
        rows.append(point(typed, os.path.join(outdir, value), args.seed))
        print(f"  {rows[-1]}", flush=True)
    reference = None
    if reference_value:
        print(f"sweep {args.sweep}: {reference_value} (reference) ...", flush=True)
        reference = point(reference_value, os.path.join(outdir, reference_value), args.seed)
        print(f"  {reference}", flush=True)

    table = os.path.join(outdir, "sweep.csv")
    with open(table, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows + ([reference] if reference else []))
    figure = os.path.join(outdir, "sweep.png")
    plot(args.sweep, rows, reference, figure)
    elapsed = time.monotonic() - start
    print(f"sweep {args.sweep}: {len(rows)} points in {elapsed:.0f} s; {table}, {figure}")


if __name__ == "__main__":
    main()
