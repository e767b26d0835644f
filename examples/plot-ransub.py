#!/usr/bin/env python3
"""Plots a ransub-subsets results directory (see doc/results-format.md, doc/labs/lab5-ransub.md).

    plot-ransub.py DIR

Reads DIR/summary.json, DIR/appearances.csv and DIR/epochs.csv; writes DIR/appearances.png:
left, each node's appearances in the other nodes' subsets against its expected count, each
with two standard deviations (the epoch-to-epoch spread) either side, and the chi-square
test's p-value; right, the epochs the root started over time, to the end of the
run (a stall after a failure shows as a flat line). Needs only matplotlib.
"""
import csv
import json
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(directory):
    with open(os.path.join(directory, "summary.json")) as f:
        summary = json.load(f)
    ransub = summary["systems"]["ransub"]
    with open(os.path.join(directory, "appearances.csv")) as f:
        nodes = [r for r in csv.DictReader(f) if float(r["expected"]) > 0]
    with open(os.path.join(directory, "epochs.csv")) as f:
        epochs = list(csv.DictReader(f))

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    expected = [float(r["expected"]) for r in nodes]
    appearances = [float(r["appearances"]) for r in nodes]
    sigma = [math.sqrt(float(r["variance"])) for r in nodes]
    lo, hi = min(expected), max(expected)
    left.plot([lo, hi], [lo, hi], color="tab:blue", lw=1, label="expected")
    depth = [int(r["depth"]) for r in nodes]
    left.errorbar(expected, appearances, yerr=[2 * s for s in sigma], fmt="none",
                  ecolor="tab:gray", alpha=0.5, lw=1, label="± 2 sd (epoch-to-epoch spread)")
    points = left.scatter(expected, appearances, c=depth, cmap="viridis", s=18, zorder=3)
    fig.colorbar(points, ax=left, label="depth in the tree")
    u = ransub["uniformity"]
    left.set_title(f"{summary.get('mode', '?')}: chi-square {u['statistic']:.1f} on "
                   f"{u['dof']:.0f} dof, p = {u['p_value']:.3f}", fontsize=10)
    left.set_xlabel("expected appearances in the others' subsets")
    left.set_ylabel("appearances")
    left.grid(alpha=0.3)
    left.legend(fontsize=8, loc="upper left")

    # Drawn to the end of the run, so that a stall shows as a flat line.
    times = [float(r["root_start_s"]) for r in epochs] + [float(summary["simulated_seconds"])]
    numbers = [int(r["epoch"]) for r in epochs]
    right.step(times, numbers + numbers[-1:], where="post", color="tab:green",
               label="epoch started by the root")
    right.yaxis.get_major_locator().set_params(integer=True)
    failure = ransub.get("failure")
    if failure:
        right.axvline(failure["at_s"], color="tab:red", ls="--",
                      label=f"client {failure['node']} fails (its subtree: "
                            f"{failure['subtree_nodes']} nodes)")
    right.set_xlabel("time (s)")
    right.set_ylabel("epoch")
    right.set_title(f"epochs: {ransub['epochs_started']} started, interval "
                    f"{ransub['epoch_interval_mean_s']:.2f} s mean", fontsize=10)
    right.grid(alpha=0.3)
    right.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    out = os.path.join(directory, "appearances.png")
    fig.savefig(out, dpi=120)
    plt.close(fig)
    print("wrote", out)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
