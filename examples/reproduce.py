#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Reruns the experiment behind a figure of the papers and draws ours with theirs marked.

    ./ns3 python examples/reproduce.py --figure=9               # one figure, lab scale
    ./ns3 python examples/reproduce.py --all --scale=quick      # every figure, a few minutes
    ./ns3 python examples/reproduce.py --all --scale=lab        # every figure, index.html

Figures (2003 Bullet paper, Section 4.2, medium bandwidth unless said):

- 6: TFRC streaming over the offline bottleneck tree and a random tree, bandwidth over time
  (tree-streaming); paper: bottleneck tree about 400 kbps, random tree under 100.
- 7: Bullet over a random tree, raw, useful and from-parent bandwidth over time
  (bullet-streaming); paper: useful about 500 kbps, raw slightly above, control about 30.
- 8: CDF of the nodes' instantaneous useful bandwidth late in the run (the run of Figure 7);
  paper: rises sharply from about 500 kbps, most nodes get 500-600 kbps.
- 9: Bullet and the bottleneck tree under the high, medium and low bandwidth profiles;
  paper: high both 600 kbps, medium Bullet about 500 and the tree 400, low Bullet about
  twice the tree.

Scales: quick (30 clients, 3,037-node topology, 60 s: a smoke test; --all in 30 s here),
lab (50 clients, 5,000 nodes, 120 s: the programs' default scale and doc/bullet.md's table,
whose numbers it reproduces; --all in 108 s on this 2-core machine), paper (1,000 clients,
20,000 nodes, 400 s: about 40 minutes per Bullet run on the optimized build, several hours for
--all; doc/bullet.md). The paper's marks are its
reported numbers (the text, not read off its plots), drawn dashed in the colour of the
matching curve.

Runs go through the Python bindings (bindings/README.md) into OUTDIR/runs/<run>/ (the
programs' result directories); a run whose summary.json has the same options is reused, so
Figures 7 and 8 share one run and --all reruns nothing already there (--rerun forces).
Figures are OUTDIR/figure-<n>.png; --all also writes OUTDIR/index.html.
"""

import argparse
import csv
import html
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
try:
    import ns3bullet
except ImportError:
    sys.path.insert(0, os.path.join(HERE, os.pardir, "build", "bindings"))
    try:
        import ns3bullet
    except ImportError:
        sys.exit("reproduce.py: no ns3bullet module; build it with ./ns3 build")

SCALES = {
    "quick": dict(clients=30, topoNodes=3037, duration=60),
    "lab": dict(clients=50, topoNodes=5000, duration=120),
    "paper": dict(clients=1000, topoNodes=20000, duration=400),
}

COLOURS = {"bullet": "tab:blue", "bottleneck-tree": "tab:orange", "random-tree": "tab:green"}


class Runner:
    """Runs (or reuses) the programs' runs into OUTDIR/runs/<name>."""

    def __init__(self, outdir, scale, rerun):
        self.outdir = outdir
        self.scale = SCALES[scale]
        self.rerun = rerun

    def run(self, name, program):
        """program: a bindings program object; returns (summary, its directory)."""
        directory = os.path.join(self.outdir, "runs", name)
        program.set(outdir=directory, plot=False, quiet=True, **self.scale)
        path = os.path.join(directory, "summary.json")
        args = program.command_line().split(" ", 1)[1] if " " in program.command_line() else ""
        if not self.rerun and os.path.exists(path):
            with open(path) as f:
                summary = json.load(f)
            if summary.get("args") == args:
                print(f"reproduce: reusing {directory}", flush=True)
                return summary, directory
        print(f"reproduce: {program.command_line()}", flush=True)
        return program.run(), directory


def mean_series(directory, system):
    """(time_s, {column: values}) of DIR/<system>-mean.csv."""
    with open(os.path.join(directory, f"{system}-mean.csv")) as f:
        rows = list(csv.DictReader(f))
    columns = {k: [float(r[k]) for r in rows] for k in rows[0]}
    return columns["time_s"], columns


def paper_mark(ax, value, colour, label):
    """The paper's number, as a dashed line with a label."""
    ax.axhline(value, color=colour, ls="--", lw=1)
    ax.annotate(
        f"paper: {label}",
        xy=(1.0, value),
        xycoords=("axes fraction", "data"),
        xytext=(-4, 3),
        textcoords="offset points",
        ha="right",
        fontsize=8,
        color=colour,
    )


def window(ax, summary, system):
    start, end = summary["systems"][system]["window_s"]
    ax.axvspan(start, end, color="grey", alpha=0.08, lw=0)


def figure_6(runner, plt):
    summary, d = runner.run("tree-streaming", ns3bullet.TreeStreaming(tree="both"))
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    ours = {}
    for system, mark, label in (
        ("bottleneck-tree", 400, "bottleneck tree ~400"),
        ("random-tree", 100, "random tree < 100"),
    ):
        t, c = mean_series(d, system)
        ax.plot(t, c["useful_kbps"], color=COLOURS[system], label=system)
        paper_mark(ax, mark, COLOURS[system], label)
        ours[system] = summary["systems"][system]["useful_kbps"]
    window(ax, summary, "random-tree")
    style(ax, "Figure 6: TFRC streaming over the bottleneck and a random tree")
    return fig, ours, {"bottleneck-tree": "~400", "random-tree": "< 100"}


def figure_7(runner, plt):
    summary, d = runner.run("bullet", ns3bullet.BulletStreaming(systems="bullet"))
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    t, c = mean_series(d, "bullet")
    ax.plot(t, c["raw_kbps"], color="tab:red", label="raw total")
    ax.plot(t, c["useful_kbps"], color="tab:blue", label="useful total")
    ax.plot(t, c["from_parent_kbps"], color="tab:green", label="from parent")
    ax.plot(t, c["control_kbps"], color="tab:grey", lw=0.8, label="control")
    paper_mark(ax, 500, "tab:blue", "useful ~500")
    paper_mark(ax, 30, "tab:grey", "control ~30")
    window(ax, summary, "bullet")
    style(ax, "Figure 7: Bullet over a random tree")
    s = summary["systems"]["bullet"]
    ours = {k: s[k] for k in ("useful_kbps", "raw_kbps", "from_parent_kbps", "control_kbps")}
    ours["link_stress"] = f'{s["link_stress_mean"]:.2f} / {s["link_stress_max"]}'
    paper = {"useful_kbps": "~500", "raw_kbps": "slightly above useful", "control_kbps": "~30"}
    paper["link_stress"] = "~1.5 / 22"
    return fig, ours, paper


def figure_8(runner, plt):
    summary, d = runner.run("bullet", ns3bullet.BulletStreaming(systems="bullet"))
    # The paper's slice is at 430 s of 500: the same share of our run.
    duration = summary["systems"]["bullet"]["window_s"][1]
    at = int(duration * 430 / 500)
    with open(os.path.join(d, "bullet-nodes.csv")) as f:
        values = sorted(
            float(r["useful_kbps"]) for r in csv.DictReader(f) if int(float(r["time_s"])) == at
        )
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    n = len(values)
    ax.step(values, [(i + 1) / n for i in range(n)], where="post", label=f"ours, t = {at} s")
    ax.axvspan(500, 600, color="tab:blue", alpha=0.12, lw=0)
    ax.axvline(500, color="tab:blue", ls="--", lw=1)
    ax.annotate(
        "paper: most nodes\n500-600 kbps", xy=(505, 0.1), fontsize=8, color="tab:blue"
    )
    ax.set_xlabel("bandwidth (kbps)")
    ax.set_ylabel("fraction of nodes")
    ax.set_xlim(0, max([800] + [1.05 * v for v in values]))
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    ax.set_title("Figure 8: CDF of instantaneous useful bandwidth")
    fig.tight_layout()
    share = sum(1 for v in values if 500 <= v <= 600) / n if n else 0.0
    median = values[n // 2] if n else 0.0
    ours = {"nodes_500_600_kbps": f"{100 * share:.0f}%", "median_kbps": median}
    return fig, ours, {"nodes_500_600_kbps": "vast majority", "median_kbps": "500-600"}


def figure_9(runner, plt):
    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    ours, paper = {}, {}
    marks = {"high": (600, 600), "medium": (500, 400), "low": (None, None)}
    styles = {"high": "-", "medium": "--", "low": ":"}
    for profile in ("high", "medium", "low"):
        summary, d = runner.run(
            f"profile-{profile}",
            ns3bullet.BulletStreaming(systems="bullet,bottleneck-tree", profile=profile),
        )
        for system, mark in zip(("bullet", "bottleneck-tree"), marks[profile]):
            t, c = mean_series(d, system)
            ax.plot(
                t,
                c["useful_kbps"],
                color=COLOURS[system],
                ls=styles[profile],
                label=f"{system}, {profile}",
            )
            ours[f"{system} {profile}"] = summary["systems"][system]["useful_kbps"]
            paper[f"{system} {profile}"] = f"~{mark}" if mark else "Bullet ~2x the tree"
        for system, mark in zip(("bullet", "bottleneck-tree"), marks[profile]):
            if mark:
                ax.plot([t[-1]], [mark], marker="*", ms=11, color=COLOURS[system], ls="")
    ax.plot([], [], marker="*", ms=11, color="black", ls="", label="paper (high, medium)")
    style(ax, "Figure 9: Bullet and the bottleneck tree, high/medium/low", legend_size=7)
    return fig, ours, paper


def style(ax, title, legend_size=8):
    ax.set_xlabel("time (s)")
    ax.set_ylabel("bandwidth per node (kbps)")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=legend_size, loc="lower right")
    ax.set_title(title, fontsize=10)
    ax.figure.tight_layout()


FIGURES = {"6": figure_6, "7": figure_7, "8": figure_8, "9": figure_9}


def write_index(outdir, scale, done):
    """OUTDIR/index.html: every figure with ours against the paper's numbers."""
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        "<title>ns3-bullet: the papers' figures</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px}"
        "</style></head><body>",
        f"<h1>Bullet (SOSP 2003): figures at scale <code>{html.escape(scale)}</code></h1>",
        "<p>Ours drawn solid, the paper's reported numbers dashed or as stars "
        "(examples/reproduce.py; the paper ran 1,000 clients on 20,000 nodes).</p>",
    ]
    for number, (ours, paper, seconds) in sorted(done.items(), key=lambda x: int(x[0])):
        parts.append(f"<h2>Figure {number}</h2><img src='figure-{number}.png' width='640'>")
        parts.append("<table><tr><th>measure</th><th>ours</th><th>paper</th></tr>")
        for key, value in ours.items():
            shown = f"{value:.1f}" if isinstance(value, float) else str(value)
            parts.append(
                f"<tr><td>{html.escape(key)}</td><td>{html.escape(shown)}</td>"
                f"<td>{html.escape(str(paper.get(key, '')))}</td></tr>"
            )
        parts.append(f"</table><p>{seconds:.0f} s to run and draw.</p>")
    parts.append("</body></html>")
    path = os.path.join(outdir, "index.html")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--figure", choices=sorted(FIGURES, key=int))
    which.add_argument("--all", action="store_true", help="every figure, and index.html")
    parser.add_argument("--scale", choices=list(SCALES), default="lab")
    parser.add_argument("--outdir", help="default results/reproduce-<scale>")
    parser.add_argument("--rerun", action="store_true", help="rerun runs already there")
    args = parser.parse_args()

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    outdir = args.outdir or os.path.join("results", "reproduce-" + args.scale)
    os.makedirs(outdir, exist_ok=True)
    runner = Runner(outdir, args.scale, args.rerun)
    numbers = sorted(FIGURES, key=int) if args.all else [args.figure]
    done = {}
    start = time.monotonic()
    for number in numbers:
        began = time.monotonic()
        fig, ours, paper = FIGURES[number](runner, plt)
        path = os.path.join(outdir, f"figure-{number}.png")
        fig.savefig(path, dpi=110)
        plt.close(fig)
        done[number] = (ours, paper, time.monotonic() - began)
        print(f"reproduce: Figure {number} -> {path}", flush=True)
    if args.all:
        print(f"reproduce: index -> {write_index(outdir, args.scale, done)}")
    print(f"reproduce: {len(done)} figure(s) in {time.monotonic() - start:.0f} s")


if __name__ == "__main__":
    main()
