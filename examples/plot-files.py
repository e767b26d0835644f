#!/usr/bin/env python3
"""Plots a file-distribution experiment's results directory (see doc/results-format.md).

    plot-files.py DIR

Reads DIR/summary.json (systems.<name>.completion_s, optimal_s); writes DIR/completion-cdf.png:
the fraction of receivers complete against time, per system, with the access-link optimum
drawn in (as the 2008 paper's Figures 13-23). Needs only matplotlib.
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(directory):
    with open(os.path.join(directory, "summary.json")) as f:
        summary = json.load(f)
    systems = summary.get("systems", {})
    if not systems:
        print("no systems in summary.json", file=sys.stderr)
        return 1
    fig, ax = plt.subplots(figsize=(8, 4.5))
    optimum = None
    for name, s in systems.items():
        times = sorted(s.get("completion_s", []))
        receivers = s.get("receivers", len(times)) or 1
        if times:
            ys = [(i + 1) / receivers for i in range(len(times))]
            ax.step([0] + times, [0] + ys, where="post", label=name)
        optimum = s.get("optimal_s", optimum)
    if optimum:
        ax.axvline(optimum, color="grey", linestyle="--", label="access-link optimum")
    ax.set_xlabel("download time (s)")
    ax.set_ylabel("fraction of receivers complete")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    out = os.path.join(directory, "completion-cdf.png")
    fig.savefig(out, dpi=120)
    print("wrote", out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "results/file-distribution"))
