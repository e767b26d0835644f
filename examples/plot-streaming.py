#!/usr/bin/env python3
"""Plots a streaming experiment's results directory (see doc/results-format.md).

    plot-streaming.py DIR

Reads DIR/summary.json and DIR/<system>-mean.csv / -per-node.csv; writes
DIR/bandwidth.png (mean useful, raw and from-parent bandwidth over time, per system, as in
the papers' Figures 6, 7, 9-14) and DIR/cdf.png (per-node useful bandwidth over the
steady-state window, as in Figure 8). Needs only matplotlib.
"""
import csv
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return {k: [float(r[k]) for r in rows] for k in rows[0]} if rows else {}


def main(directory):
    with open(os.path.join(directory, "summary.json")) as f:
        summary = json.load(f)
    systems = list(summary.get("systems", {}))
    if not systems:
        print("no systems in summary.json", file=sys.stderr)
        return 1

    fig, ax = plt.subplots(figsize=(8, 4.5))
    for name in systems:
        path = os.path.join(directory, name + "-mean.csv")
        if not os.path.exists(path):
            continue
        s = read_csv(path)
        line, = ax.plot(s["time_s"], s["useful_kbps"], label=name + " useful")
        if any(abs(a - b) > 1e-9 for a, b in zip(s["raw_kbps"], s["useful_kbps"])):
            ax.plot(s["time_s"], s["raw_kbps"], "--", color=line.get_color(), label=name + " raw")
        if any(abs(a - b) > 1e-9 for a, b in zip(s["from_parent_kbps"], s["useful_kbps"])):
            ax.plot(s["time_s"], s["from_parent_kbps"], ":", color=line.get_color(),
                    label=name + " from parent")
        if "subtree_useful_kbps" in s:
            ax.plot(s["time_s"], s["subtree_useful_kbps"], "-.", color=line.get_color(),
                    label=name + " useful, failed subtree")
        failure = summary["systems"][name].get("failure")
        if failure:
            ax.axvline(failure["at_s"], color=line.get_color(), alpha=0.5, linewidth=1)
    window = summary["systems"][systems[0]].get("window_s")
    if window:
        ax.axvspan(window[0], window[1], color="0.93", zorder=0, label="steady-state window")
    ax.set_xlabel("Time (s)")
    ax.set_ylabel("Bandwidth per node (kbps)")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(summary.get("experiment", "") + "  " + summary.get("args", ""), fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(directory, "bandwidth.png"), dpi=120)

    fig, ax = plt.subplots(figsize=(6, 4.5))
    for name in systems:
        path = os.path.join(directory, name + "-per-node.csv")
        if not os.path.exists(path):
            continue
        values = sorted(read_csv(path).get("useful_kbps", []))
        if values:
            ax.plot(values, [(i + 1) / len(values) for i in range(len(values))], label=name)
    ax.set_xlabel("Useful bandwidth over the window (kbps)")
    ax.set_ylabel("Fraction of nodes")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(directory, "cdf.png"), dpi=120)
    print("plots: " + os.path.join(directory, "bandwidth.png") + ", "
          + os.path.join(directory, "cdf.png"))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
