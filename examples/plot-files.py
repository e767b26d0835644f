#!/usr/bin/env python3
"""Plots a file-distribution experiment's results directory (see doc/results-format.md).

    plot-files.py DIR

Reads DIR/summary.json (systems.<name>.completion_s, optimal_s, best_tcp_s); writes
DIR/completion-cdf.png: the fraction of receivers complete against their download time, per
system, with the access-link optimum and the best a TCP-based system could do drawn in (as the
2008 paper's Figures 13-22). A run with churn (systems.<name>.churn) instead gets
DIR/completions-over-time.png, the paper's Figure 23: downloads completed against time, from
DIR/<name>-nodes.csv. Needs only matplotlib.
"""
import csv
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def save(fig, ax, directory, filename, xlabel, ylabel):
    """Labels, grid and legend of one figure, written to DIR/filename."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    out = os.path.join(directory, filename)
    fig.savefig(out, dpi=120)
    plt.close(fig)
    print("wrote", out)


def main(directory):
    with open(os.path.join(directory, "summary.json")) as f:
        summary = json.load(f)
    systems = summary.get("systems", {})
    if not systems:
        print("no systems in summary.json", file=sys.stderr)
        return 1
    churned = {name: s for name, s in systems.items() if "churn" in s}
    if churned:
        return plot_churn(directory, churned)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    optimum = None
    best_tcp = None
    for name, s in systems.items():
        times = sorted(s.get("completion_s", []))
        receivers = s.get("receivers", len(times)) or 1
        if times:
            ys = [(i + 1) / receivers for i in range(len(times))]
            ax.step([0] + times, [0] + ys, where="post", label=name)
        optimum = s.get("optimal_s", optimum)
        best_tcp = s.get("best_tcp_s", best_tcp)
    if optimum:
        ax.axvline(optimum, color="grey", linestyle="--", label="access-link optimum")
    if best_tcp:
        ys = [(i + 1) / len(best_tcp) for i in range(len(best_tcp))]
        ax.step([0] + sorted(best_tcp), [0] + ys, where="post", color="grey", linestyle=":",
                label="best over TCP")
    ax.set_ylim(0, 1.02)
    save(fig, ax, directory, "completion-cdf.png", "download time (s)",
         "fraction of receivers complete")
    plot_interarrival(directory, systems)
    return 0


def plot_interarrival(directory, systems):
    """Figure 20: mean interarrival time of each receiver's i-th new block."""
    fig, ax = plt.subplots(figsize=(8, 4.5))
    drawn = False
    for name, s in systems.items():
        path = os.path.join(directory, name + "-interarrival.csv")
        if not os.path.exists(path):
            continue
        ranks, means = [], []
        with open(path) as f:
            for row in csv.DictReader(f):
                ranks.append(int(row["block_rank"]))
                means.append(float(row["mean_interarrival_s"]))
        label = name
        if "last20_overage_s" in s:
            label += " (last 20 blocks: +%.1f s; 4%% encoding: %.1f s)" % (
                s["last20_overage_s"], s["encoding_4pct_s"])
        ax.plot(ranks, means, linewidth=0.8, label=label)
        drawn = True
    if not drawn:
        plt.close(fig)
        return
    save(fig, ax, directory, "block-interarrival.png",
         "block number, in the order each receiver got its blocks", "mean interarrival time (s)")


def plot_churn(directory, systems):
    """Figure 23: how many downloads have completed, against time since the start."""
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for name in systems:
        finished = []
        with open(os.path.join(directory, name + "-nodes.csv")) as f:
            for row in csv.DictReader(f):
                if float(row["completion_s"]) >= 0 and row["source"] == "0":
                    finished.append(float(row["start_s"]) + float(row["completion_s"]))
        finished.sort()
        ax.step([0] + finished, list(range(len(finished) + 1)), where="post",
                label="%s (mean lifetime %g s)" % (name, systems[name]["churn"]["mean_lifetime_s"]))
    save(fig, ax, directory, "completions-over-time.png", "time (s)", "downloads completed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "results/file-distribution"))
