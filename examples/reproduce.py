#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Reruns the experiments behind the papers' figures and draws ours with theirs marked.

    ./ns3 python examples/reproduce.py --figure=9               # 2003 Figure 9, lab scale
    ./ns3 python examples/reproduce.py --figure=2008:15         # 2008 Figure 15
    ./ns3 python examples/reproduce.py --figure=2003:12,2008:20 # several
    ./ns3 python examples/reproduce.py --all --scale=quick      # every figure, a few minutes
    ./ns3 python examples/reproduce.py --all --scale=lab        # every figure, index.html
    ./ns3 python examples/reproduce.py --list                   # the figure ids

Figure ids name the paper: 2003:N is the Bullet paper (SOSP 2003), 2008:N the Bullet' paper
(ACM TOCS 2008); a bare number is the 2003 paper's (--figure=9 is 2003:9). `--list` prints
every id with what it shows. Covered:

- 2003:6-9 (Section 4.2): tree streaming, Bullet over a random tree, its bandwidth CDF,
  Bullet and the bottleneck tree on the high/medium/low profiles.
- 2003:10 (4.3) non-disjoint transmission; 2003:11 (4.4) Bullet against push gossiping and
  streaming with anti-entropy; 2003:12 (4.5) the lossy topology; 2003:13-14 (4.6) a
  worst-case node failure without and with RanSub recovery.
- 2008:9-12 are the 2003 experiments repeated (9 = 2003:9, 10 = 2003:12, 11 = 2003:11,
  12 = 2003:14): drawn again from the same runs.
- 2008:13-23 (Sections 5.8-5.13): file distribution: Bullet' against Bullet, BitTorrent and
  SplitStream under loss (13) and bandwidth changes (14), request strategies (15), static and
  dynamic peer sets (16, 17), static and dynamic outstanding requests (18, 19), block
  interarrival times (20), the INET network with 250 nodes (21), flash crowds (22), churn (23).

Not reproducible: 2003:15 and 2008:24-25 ran on PlanetLab; the papers' other figures are
diagrams and pseudocode. `--figure` with one of those ids says so.

Scales: quick (a smoke test: streaming 30 clients on 3,037 nodes for 60 s, files 10 nodes and
1 MB; --all in 2.6 minutes here), lab (streaming 50 clients on 5,000 nodes for 120 s, the
programs' defaults and doc/bullet.md's scale, Figure 11 with 50 clients rather than
doc/epidemic.md's 100; files 20 nodes and 4 MB, Figure 17 on its mesh with 30 nodes and 2 MB,
Figures 18-19 on theirs with 25 nodes; --all in 7.5 minutes on this 2-core machine when
quiet, 16 at a load of 3-5, 22 at 7-10: streaming 11 of the 16, Figure 11's run alone
2.6), paper (the papers' setups: 1,000 clients on 20,000 nodes for 400 s, 100 clients on
5,000 nodes for Figure 11, 100 nodes and 100 MB on the mesh, 250 nodes and 100 MB on INET:
hours per run; doc/bullet.md, doc/bullet-prime.md). The paper's marks are its reported numbers
(the text, not read off its plots): dashed lines or stars in the colour of the matching curve,
and for the file figures, whose text reports comparisons rather than absolute times at our
scale, the claims under the plot.

Runs go through the Python bindings (bindings/README.md) into OUTDIR/runs/<run>/ (the
programs' result directories); a run whose summary.json has the same options is reused, so
figures that share a run (2003:7 and 8; 2003:9 and 2008:9; the Bullet' baseline of 2008:13,
15, 16 and 20; ...) run it once, and --all reruns nothing already there (--rerun forces).
File-distribution systems run one per run, so a system's run is shared by every figure that
draws it. Figures are OUTDIR/figure-<paper>-<n>.png; --all also writes OUTDIR/index.html.
"""

import argparse
import csv
import html
import json
import os
import statistics
import sys
import textwrap
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

# Per scale: streaming options, Figure 11's clients and topology, and the file setups.
# mesh: the 2008 full mesh (Section 5.2.2); mesh17 and mesh18: Figures 17 and 18-19's meshes
# (nodes and size; their links are the paper's, below); inet: Section 5.2.3's network.
# late: Figure 22's two arrival times; churn: Figure 23's mean lifetime and run length, s (the
# paper gives no run length; 900 s and maxTime 1500 s at paper scale are ours).
SCALES = {
    "quick": dict(
        stream=dict(clients=30, topoNodes=3037, duration=60, loss="none"),
        epidemic=dict(clients=30, topoNodes=3037),
        mesh=dict(nodes=10, size=1000000),
        mesh17=dict(nodes=10, size=500000),
        mesh18=dict(nodes=10, size=1000000),
        inet=dict(nodes=10, size=1000000, topoNodes=3037),
        maxTime=600,
        late=(5, 10),
        churn=(30, 60),
    ),
    "lab": dict(
        stream=dict(clients=50, topoNodes=5000, duration=120, loss="none"),
        epidemic=dict(clients=50, topoNodes=5000),
        mesh=dict(nodes=20, size=4000000),
        mesh17=dict(nodes=30, size=2000000),
        mesh18=dict(nodes=25, size=4000000),
        inet=dict(nodes=20, size=4000000, topoNodes=5000),
        maxTime=600,
        late=(10, 20),
        churn=(60, 150),
    ),
    "paper": dict(
        stream=dict(clients=1000, topoNodes=20000, duration=400, loss="none"),
        epidemic=dict(clients=100, topoNodes=5000),
        mesh=dict(nodes=100, size=100000000),
        mesh17=dict(nodes=100, size=10000000),
        mesh18=dict(nodes=25, size=100000000),
        inet=dict(nodes=250, size=100000000, topoNodes=5000),
        maxTime=1500,
        late=(100, 200),
        churn=(300, 900),
    ),
}

# The links of Figure 17's mesh (100 nodes, 10 Mb/s 1 ms core, 800 kb/s access, no loss) and
# of Figures 18-19's (25 nodes, 10 Mb/s 100 ms links, 8 kB blocks, up to five senders, large
# TCP windows; Figure 19 adds core losses up to 1.5%), 2008 Sections 5.10-5.11.
MESH17 = dict(accessKbps=800, coreKbps=10000, coreDelayMin=1, coreDelayMax=1, coreLoss=0.0)
MESH18 = dict(
    blockSize=8192,
    accessKbps=10000,
    coreKbps=10000,
    coreDelayMin=100,
    coreDelayMax=100,
    coreLoss=0.0,
    peers="5",
    tcpBuffer=2000000,
)
INET = dict(topology="inet", profile="prime2008", loss="bullet2008")

COLOURS = {
    "bullet": "tab:blue",
    "bottleneck-tree": "tab:orange",
    "random-tree": "tab:green",
    "gossip": "tab:purple",
    "antientropy": "tab:brown",
    "bullet-prime": "tab:red",
    "bittorrent": "tab:green",
    "splitstream": "tab:purple",
}
NAMES = {
    "bullet-prime": "Bullet'",
    "bullet": "Bullet",
    "bittorrent": "BitTorrent",
    "splitstream": "SplitStream",
    "gossip": "push gossiping",
    "antientropy": "streaming w/ anti-entropy",
    "bottleneck-tree": "bottleneck tree",
    "random-tree": "random tree",
}


class Runner:
    """Runs (or reuses) the programs' runs into OUTDIR/runs/<name>."""

    def __init__(self, outdir, scale, rerun):
        self.outdir = outdir
        self.name = scale
        self.scale = SCALES[scale]
        self.rerun = rerun
        self.used = []  # (run name, its wall seconds, reused), in order

    def run(self, name, program):
        """program: a bindings program object; returns (summary, its directory)."""
        directory = os.path.join(self.outdir, "runs", name)
        program.set(outdir=directory, plot=False, quiet=True)
        path = os.path.join(directory, "summary.json")
        args = program.command_line().split(" ", 1)[1] if " " in program.command_line() else ""
        if not self.rerun and os.path.exists(path):
            with open(path) as f:
                summary = json.load(f)
            if summary.get("args") == args:
                print(f"reproduce: reusing {directory}", flush=True)
                self.used.append((name, summary.get("wall_seconds", 0.0), True))
                return summary, directory
        print(f"reproduce: {program.command_line()}", flush=True)
        summary = program.run()
        self.used.append((name, summary.get("wall_seconds", 0.0), False))
        return summary, directory

    def streaming(self, name, **options):
        """bullet-streaming at this scale with OPTIONS."""
        program = ns3bullet.BulletStreaming(**self.scale["stream"])
        program.set(**options)
        return self.run(name, program)

    def file(self, name, system, setup, **options):
        """file-distribution of one SYSTEM on SETUP (mesh, mesh17, mesh18, inet) with OPTIONS;
        returns (that system's summary, the run's directory)."""
        program = ns3bullet.FileDistribution(
            systems=system, payload="virtual", maxTime=self.scale["maxTime"]
        )
        program.set(**self.scale[setup])
        program.set(**{"mesh17": MESH17, "mesh18": MESH18, "inet": INET}.get(setup, {}))
        program.set(**options)
        summary, directory = self.run(name, program)
        return summary["systems"][system], directory


# ---------------------------------------------------------------------------------------
# Drawing helpers


def mean_series(directory, system):
    """(time_s, {column: values}) of DIR/<system>-mean.csv."""
    with open(os.path.join(directory, f"{system}-mean.csv")) as f:
        rows = list(csv.DictReader(f))
    columns = {k: [float(r[k]) for r in rows] for k in rows[0]}
    return columns["time_s"], columns


def paper_mark(ax, value, colour, label, xmin=0.0, xmax=1.0, where=1.0, below=False,
               legend=False):
    """The paper's number, as a dashed line (over [xmin, xmax] of the axes) with a label above
    it (or below, or in the legend where curves crowd the line)."""
    ax.axhline(value, xmin=xmin, xmax=xmax, color=colour, ls="--", lw=1,
               label=f"paper: {label}" if legend else None)
    if legend:
        return
    ax.annotate(
        f"paper: {label}",
        xy=(where, value),
        xycoords=("axes fraction", "data"),
        xytext=(-4, -3 if below else 3),
        textcoords="offset points",
        va="top" if below else "bottom",
        ha="right",
        fontsize=8,
        color=colour,
    )


def file_figure(plt, height=4.4):
    """A figure with the plot's axes and, under them, a strip for the paper's claims."""
    fig, (ax, note) = plt.subplots(
        2, 1, figsize=(7.6, height + 0.7), gridspec_kw=dict(height_ratios=[height, 0.7])
    )
    note.axis("off")
    fig.note = note
    return fig, ax


def paper_box(ax, lines):
    """The paper's claims (its text, at its scale), in the strip under the plot."""
    ax.figure.note.text(
        0.0, 0.5, textwrap.fill("paper: " + " ".join(lines), 92), ha="left", va="center",
        transform=ax.figure.note.transAxes, fontsize=8,
        bbox=dict(boxstyle="round", fc="white", ec="0.6"),
    )


def window(ax, summary, system):
    start, end = summary["systems"][system]["window_s"]
    ax.axvspan(start, end, color="grey", alpha=0.08, lw=0)


def style(ax, title, legend_size=8, loc="lower right", ncol=1):
    ax.set_xlabel("time (s)")
    ax.set_ylabel("bandwidth per node (kbps)")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=legend_size, loc=loc, ncol=ncol)
    ax.set_title(title, fontsize=10)
    ax.figure.tight_layout()


def cdf(ax, s, label, colour, ls="-", offset=0.0, lw=1.6):
    """A CDF of a file system's completion times (over all its receivers: one that does not
    complete keeps the curve below 1)."""
    values = sorted(v + offset for v in s["completion_s"])
    n = max(s.get("receivers", len(values)), len(values), 1)
    xs = [0.0] + values
    ys = [0.0] + [(i + 1) / n for i in range(len(values))]
    ax.step(xs, ys, where="post", color=colour, ls=ls, lw=lw, label=label)


def style_cdf(ax, title, xmax=None):
    ax.set_xlabel("download time (s)")
    ax.set_ylabel("fraction of receivers done")
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0, right=xmax)
    ax.grid(alpha=0.3)
    # Beside the axes: CDFs fill every corner of them.
    ax.legend(fontsize=7.5, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    ax.set_title(title, fontsize=10)
    ax.figure.tight_layout()


def times(s):
    """mean / median / p90 / slowest of a file system's completion times, and done / all."""
    done, n = len(s["completion_s"]), s.get("receivers", len(s["completion_s"]))
    if not done:
        return f"none of {n} done"
    text = (
        f'{s["completion_mean_s"]:.1f} / {s["completion_median_s"]:.1f} / '
        f'{s["completion_p90_s"]:.1f} / {s["completion_max_s"]:.1f} s'
    )
    return text if done == n else f"{text} ({done} of {n} done)"


def less(a, b):
    """How much less time A takes than B: '18% less' (or '7% more')."""
    if not b:
        return "n/a"
    share = 100 * (1 - a / b)
    return f"{share:.0f}% less" if share >= 0 else f"{-share:.0f}% more"


def span(values):
    """'18-21%' (or '18%') of percentages; negative ones (more time) show as such."""
    low, high = round(min(values)), round(max(values))
    return f"{low}%" if low == high else f"{low}-{high}%"


def means(runs):
    """'means: A 12.3, B 14.5 s' over {label: file system summary}."""
    shown = (f'{k} {v["completion_mean_s"]:.1f}' if v["completion_s"] else f"{k} -"
             for k, v in runs.items())
    return "means: " + ", ".join(shown) + " s"


def references(s):
    return f'{s["optimal_s"]:.1f} / {s["best_tcp_median_s"]:.1f} s'


def stress(s):
    return f'{s["link_stress_mean"]:.2f} / {s["link_stress_max"]}'


def files_done(s):
    return len(s["completion_s"]) == s.get("receivers", len(s["completion_s"]))


# ---------------------------------------------------------------------------------------
# 2003 paper, streaming (Sections 4.2-4.6)


def figure_6(runner, plt, fid):
    program = ns3bullet.TreeStreaming(tree="both", **runner.scale["stream"])
    summary, d = runner.run("tree-streaming", program)
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    rows = []
    for system, mark, label in (
        ("bottleneck-tree", 400, "bottleneck tree ~400"),
        ("random-tree", 100, "random tree < 100"),
    ):
        t, c = mean_series(d, system)
        ax.plot(t, c["useful_kbps"], color=COLOURS[system], label=system)
        paper_mark(ax, mark, COLOURS[system], label)
        rows.append((f"{system} useful kbps", summary["systems"][system]["useful_kbps"], label))
    window(ax, summary, "random-tree")
    style(ax, "Figure 6 (2003): TFRC streaming over the bottleneck and a random tree")
    s = summary["systems"]
    ours = (
        f'bottleneck tree {s["bottleneck-tree"]["useful_kbps"]:.0f}, '
        f'random tree {s["random-tree"]["useful_kbps"]:.0f} kbps'
    )
    return fig, rows, ours


def bullet_run(runner):
    return runner.streaming("bullet", systems="bullet")


def figure_7(runner, plt, fid):
    summary, d = bullet_run(runner)
    paper_useful = 500
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    t, c = mean_series(d, "bullet")
    ax.plot(t, c["raw_kbps"], color="tab:red", label="raw total")
    ax.plot(t, c["useful_kbps"], color="tab:blue", label="useful total")
    ax.plot(t, c["from_parent_kbps"], color="tab:green", label="from parent")
    ax.plot(t, c["control_kbps"], color="tab:grey", lw=0.8, label="control")
    paper_mark(ax, paper_useful, "tab:blue", f"useful ~{paper_useful}", legend=True)
    paper_mark(ax, 30, "tab:grey", "control ~30", legend=True)
    window(ax, summary, "bullet")
    style(ax, "Figure 7 (2003): Bullet over a random tree", legend_size=7, loc="upper center",
          ncol=3)
    ax.set_ylim(0, ax.get_ylim()[1] * 1.2)
    s = summary["systems"]["bullet"]
    rows = [
        ("useful kbps", s["useful_kbps"], f"~{paper_useful}"),
        ("raw kbps", s["raw_kbps"], "slightly above useful"),
        ("from parent kbps", s["from_parent_kbps"], ""),
        ("duplicates", f'{100 * s["duplicate_fraction"]:.1f}%', ""),
        ("control kbps", s["control_kbps"], "~30"),
        ("link stress mean / max", stress(s), "~1.5 / 22"),
    ]
    ours = (
        f'useful {s["useful_kbps"]:.0f}, raw {s["raw_kbps"]:.0f}, '
        f'control {s["control_kbps"]:.0f} kbps'
    )
    return fig, rows, ours


def figure_8(runner, plt, fid):
    summary, d = bullet_run(runner)
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
    ax.annotate("paper: most nodes\n500-600 kbps", xy=(505, 0.1), fontsize=8, color="tab:blue")
    ax.set_xlabel("bandwidth (kbps)")
    ax.set_ylabel("fraction of nodes")
    ax.set_xlim(0, max([800] + [1.05 * v for v in values]))
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    ax.set_title("Figure 8 (2003): CDF of instantaneous useful bandwidth", fontsize=10)
    fig.tight_layout()
    share = sum(1 for v in values if 500 <= v <= 600) / n if n else 0.0
    median = values[n // 2] if n else 0.0
    rows = [
        ("nodes at 500-600 kbps", f"{100 * share:.0f}%", "vast majority"),
        ("median kbps", median, "500-600"),
    ]
    return fig, rows, f"median {median:.0f} kbps, {100 * share:.0f}% of nodes at 500-600"


def profile_runs(runner, loss=None):
    """Bullet and the bottleneck tree on the three profiles (lossy with LOSS)."""
    runs = {}
    for profile in ("high", "medium", "low"):
        if loss:
            runs[profile] = runner.streaming(
                f"lossy-{profile}", systems="bullet,bottleneck-tree", profile=profile, loss=loss
            )
        else:
            runs[profile] = runner.streaming(
                f"profile-{profile}", systems="bullet,bottleneck-tree", profile=profile
            )
    return runs


def draw_profiles(runs, plt, title, marks, paper_text):
    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    styles = {"high": "-", "medium": "--", "low": ":"}
    # By system, then profile: the legend's columns are the systems, its rows the profiles.
    for system in ("bullet", "bottleneck-tree"):
        for profile, (summary, d) in runs.items():
            t, c = mean_series(d, system)
            ax.plot(t, c["useful_kbps"], color=COLOURS[system], ls=styles[profile],
                    label=f"{system}, {profile}")
            mark = dict(zip(("bullet", "bottleneck-tree"), marks.get(profile, ()))).get(system)
            if mark is not None:
                ax.plot([t[-1]], [mark], marker="*", ms=11, color=COLOURS[system], ls="")
    style(ax, title + (" (stars: the paper)" if marks else ""), legend_size=7,
          loc="upper center", ncol=2)
    ax.set_ylim(0, ax.get_ylim()[1] * 1.3)
    rows = []
    for profile, (summary, d) in runs.items():
        b = summary["systems"]["bullet"]["useful_kbps"]
        tr = summary["systems"]["bottleneck-tree"]["useful_kbps"]
        rows.append((f"bullet {profile} kbps", b, paper_text[profile][0]))
        rows.append((f"bottleneck-tree {profile} kbps", tr, paper_text[profile][1]))
        ratio = f"{b / tr:.2f}x" if tr else "inf"
        rows.append((f"bullet / tree, {profile}", ratio, paper_text[profile][2]))
    ours = ", ".join(
        f'{p} {runs[p][0]["systems"]["bullet"]["useful_kbps"]:.0f} vs '
        f'{runs[p][0]["systems"]["bottleneck-tree"]["useful_kbps"]:.0f}'
        for p in runs
    )
    return fig, rows, "Bullet vs tree, kbps: " + ours


def figure_9(runner, plt, fid):
    year = fid.split(":")[0]
    paper = {
        "high": ("~600", "~600", "1x (both at the rate)"),
        "medium": ("~500", "~400", "1.25x"),
        "low": ("", "", "2x"),
    }
    fig, rows, ours = draw_profiles(
        profile_runs(runner),
        plt,
        f"Figure 9 ({year}): Bullet and the bottleneck tree, high/medium/low",
        {"high": (600, 600), "medium": (500, 400)},
        paper,
    )
    if year == "2008":
        s = runner.streaming("profile-medium", systems="bullet,bottleneck-tree", profile="medium")
        b = s[0]["systems"]["bullet"]
        rows.append(("bullet control kbps (medium)", b["control_kbps"], "~30"))
        rows.append(("link stress mean / max (medium)", stress(b), "~1.5 / 22"))
    return fig, rows, ours


def figure_10(runner, plt, fid):
    summary, d = runner.streaming("bullet-nondisjoint", systems="bullet", disjoint=False)
    disjoint, _ = bullet_run(runner)
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    t, c = mean_series(d, "bullet")
    ax.plot(t, c["raw_kbps"], color="tab:red", label="raw total")
    ax.plot(t, c["useful_kbps"], color="tab:blue", label="useful total")
    ax.plot(t, c["from_parent_kbps"], color="tab:green", label="from parent")
    u7 = disjoint["systems"]["bullet"]["useful_kbps"]
    label = f"ours, disjoint (Figure 7's run): {u7:.0f}"
    ax.axhline(u7, color="tab:blue", lw=0.8, alpha=0.5, label=label)
    paper_mark(ax, 375, "tab:blue", "useful ~375 (25% below Figure 7's ~500)", legend=True)
    window(ax, summary, "bullet")
    style(ax, "Figure 10 (2003): Bullet with non-disjoint transmission")
    s = summary["systems"]["bullet"]
    rows = [
        ("useful kbps", s["useful_kbps"], "~375 (25% less than with the disjoint strategy)"),
        ("useful, disjoint (Figure 7's run) kbps", u7, "~500"),
        ("useful lost to non-disjoint", f'{100 * (1 - s["useful_kbps"] / u7):.0f}%', "25%"),
        ("raw kbps", s["raw_kbps"], ""),
        ("duplicates", f'{100 * s["duplicate_fraction"]:.1f}%', ""),
    ]
    ours = (f'useful {s["useful_kbps"]:.0f} kbps vs {u7:.0f} disjoint '
            f'({100 * (1 - s["useful_kbps"] / u7):.0f}% less), raw {s["raw_kbps"]:.0f}')
    return fig, rows, ours


def figure_11(runner, plt, fid):
    year = fid.split(":")[0]
    summary, d = runner.streaming(
        "epidemic", systems="bullet,gossip,antientropy", rate=900, **runner.scale["epidemic"]
    )
    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    s = summary["systems"]
    for system in ("gossip", "antientropy", "bullet"):
        t, c = mean_series(d, system)
        ax.plot(t, c["raw_kbps"], color=COLOURS[system], lw=0.9, ls="--",
                label=f"{NAMES[system]} raw")
        ax.plot(t, c["useful_kbps"], color=COLOURS[system], label=f"{NAMES[system]} useful")
    paper_mark(ax, 900, "black", "Bullet close to the 900 kbps target")
    window(ax, summary, "bullet")
    style(ax, f"Figure {fid.split(':')[1]} ({year}): Bullet and epidemic approaches (900 kbps)",
          legend_size=7, loc="lower center", ncol=3)
    b = s["bullet"]["useful_kbps"]
    rows = [("bullet useful kbps", b, "close to 900")]
    for system in ("gossip", "antientropy"):
        u = s[system]["useful_kbps"]
        rows.append((f"{system} useful / raw kbps", f'{u:.1f} / {s[system]["raw_kbps"]:.1f}',
                     "excessive duplicates"))
        rows.append((f"bullet / {system}", f"{b / u:.2f}x" if u else "inf", "~1.6x"))
    shares = (f'{100 * s[x]["duplicate_fraction"]:.0f}%'
              for x in ("bullet", "gossip", "antientropy"))
    rows.append(("duplicates bullet / gossip / antientropy", " / ".join(shares), ""))
    ours = (f'Bullet {b:.0f} kbps, {b / s["gossip"]["useful_kbps"]:.2f}x gossip, '
            f'{b / s["antientropy"]["useful_kbps"]:.2f}x anti-entropy')
    return fig, rows, ours


def figure_12(runner, plt, fid):
    year, number = fid.split(":")
    paper = {
        "high": ("", "", ">= 2x"),
        "medium": ("", "", ">= 2x"),
        "low": ("", "almost nothing", ">= 2x"),
    }
    return draw_profiles(
        profile_runs(runner, loss="bullet2003"),
        plt,
        f"Figure {number} ({year}): Bullet and the bottleneck tree, lossy links",
        {},
        paper,
    )


def failure_run(runner, recovery):
    duration = runner.scale["stream"]["duration"]
    return runner.streaming(
        "failure-recovery" if recovery else "failure-norecovery",
        systems="bullet",
        fail="root-child",
        failAt=duration // 2,
        warmup=duration // 4,
        ransubRecovery=recovery,
    )


def figure_failure(runner, plt, fid, recovery):
    year, number = fid.split(":")
    summary, d = failure_run(runner, recovery)
    s = summary["systems"]["bullet"]
    at = s["failure"]["at_s"]
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    t, c = mean_series(d, "bullet")
    ax.plot(t, c["raw_kbps"], color="tab:red", label="bandwidth received")
    ax.plot(t, c["useful_kbps"], color="tab:blue", label="useful total")
    ax.plot(t, c["from_parent_kbps"], color="tab:green", label="from parent")
    if "subtree_useful_kbps" in c:
        ax.plot(t, c["subtree_useful_kbps"], color="tab:cyan", lw=0.9,
                label=f'useful, failed node\'s subtree ({s["failure"]["subtree_nodes"]})')
    ax.axvline(at, color="black", lw=0.8, ls=":")
    ax.annotate(" failure", xy=(at, 0.02), xycoords=("data", "axes fraction"), fontsize=8)
    frac = at / t[-1] if t else 0.5
    if recovery:
        paper_mark(ax, 500, "tab:blue", "~500, negligible disruption", legend=True)
    else:
        paper_mark(ax, 500, "tab:blue", "~500 before the failure", xmax=frac, legend=True)
        paper_mark(ax, 350, "tab:blue", "~350 after", xmin=frac, legend=True)
    what = "with" if recovery else "without"
    style(ax, f"Figure {number} ({year}): worst-case node failure, {what} RanSub recovery",
          legend_size=7, loc="upper center", ncol=2)
    ax.set_ylim(0, ax.get_ylim()[1] * 1.35)
    before, after = s["before_failure"], s["after_failure"]
    rows = [
        ("useful before / after the failure, kbps",
         f'{before["useful_kbps"]:.1f} / {after["useful_kbps"]:.1f}',
         "~500 / ~500 (negligible disruption)" if recovery else "~500 / ~350"),
        ("failed node's subtree before / after, kbps",
         f'{before.get("subtree_useful_kbps", 0):.1f} / {after.get("subtree_useful_kbps", 0):.1f}',
         "recovers a large portion" if not recovery else ""),
        ("failed subtree size",
         f'{s["failure"]["subtree_nodes"]} of {runner.scale["stream"]["clients"] - 1} receivers',
         "110 of 1,000"),
        ("failure at", f"{at:.0f} s", "250 s after streaming started"),
    ]
    sub_before = before.get("subtree_useful_kbps", 0)
    sub_after = after.get("subtree_useful_kbps", 0)
    ours = (f'useful {before["useful_kbps"]:.0f} -> {after["useful_kbps"]:.0f} kbps, '
            f"the failed node's subtree {sub_before:.0f} -> {sub_after:.0f}")
    return fig, rows, ours


def figure_13(runner, plt, fid):
    return figure_failure(runner, plt, fid, recovery=False)


def figure_14(runner, plt, fid):
    return figure_failure(runner, plt, fid, recovery=True)


def figure_2008_12(runner, plt, fid):
    return figure_failure(runner, plt, fid, recovery=True)


# ---------------------------------------------------------------------------------------
# 2008 paper, file distribution (Sections 5.8-5.13)

RIVALS = ("bullet-prime", "bullet", "bittorrent", "splitstream")


def baseline(runner):
    """Bullet' on the lossy mesh with its defaults (rarest-random, dynamic peers and
    outstanding requests): Figures 13, 15, 16 and 20 share it."""
    return runner.file("mesh-bullet-prime", "bullet-prime", "mesh")


def reference_curves(ax, s):
    """The paper's two calculated curves: the access-link optimum and the best over TCP."""
    ax.axvline(s["optimal_s"], color="black", lw=1, ls=":",
               label=f'optimal ({s["optimal_s"]:.1f} s)')
    cdf(ax, {"completion_s": s["best_tcp_s"], "receivers": len(s["best_tcp_s"])},
        "best over TCP", "grey", ls="--", lw=1)


def figure_rivals(runner, plt, fid, changes):
    number = fid.split(":")[1]
    runs = {}
    for system in RIVALS:
        if system == "bullet-prime" and not changes:
            runs[system] = baseline(runner)[0]
        else:
            name = f"mesh-{system}" + ("-bwchanges" if changes else "")
            runs[system] = runner.file(name, system, "mesh", bwChanges=changes)[0]
    fig, ax = file_figure(plt)
    reference_curves(ax, runs["bullet-prime"])
    for system in RIVALS:
        cdf(ax, runs[system], NAMES[system], COLOURS[system])
    if changes:
        paper_box(ax, ["Bullet' 32-70% faster", "than the other systems"])
    else:
        paper_box(ax, ["Bullet' ~25% faster than the rest,", "its slowest 37% faster;",
                       "order: Bullet', Bullet, BitTorrent,", "SplitStream"])
    what = "bandwidth changes and losses" if changes else "random losses"
    style_cdf(ax, f"Figure {number} (2008): file download, {what}")
    p = runs["bullet-prime"]
    rows = [(f"{NAMES[x]} mean / median / p90 / slowest", times(runs[x]), "") for x in RIVALS]
    rows.append(("optimal / best over TCP (median)", references(p),
                 "Bullet' close to best over TCP"))
    mean_less, max_less = [], []
    for x in RIVALS[1:]:
        if runs[x]["completion_s"] and p["completion_s"]:
            pm, xm = p["completion_mean_s"], runs[x]["completion_mean_s"]
            ps, xs = p["completion_max_s"], runs[x]["completion_max_s"]
            rows.append((f"Bullet' against {NAMES[x]}: mean, slowest",
                         f"{less(pm, xm)}, {less(ps, xs)} time",
                         "32-70% faster" if changes else "~25% less, slowest 37% less"))
            mean_less.append(100 * (1 - pm / xm))
            max_less.append(100 * (1 - ps / xs))
    ours = means({NAMES[x]: runs[x] for x in RIVALS})
    if mean_less:
        ours += (f"; Bullet' takes {span(mean_less)} less time than the others on the mean, "
                 f"its slowest {span(max_less)} less")
    return fig, rows, ours


def figure_2008_13(runner, plt, fid):
    return figure_rivals(runner, plt, fid, changes=False)


def figure_2008_14(runner, plt, fid):
    return figure_rivals(runner, plt, fid, changes=True)


def variants(runner, plt, fid, title, setup, option, values, default, labels, colours, box, claim):
    """Bullet' with OPTION at each of VALUES on SETUP (DEFAULT: the shared baseline)."""
    runs = {}
    for value in values:
        if value == default and setup == "mesh":
            runs[value] = baseline(runner)[0]
        else:
            runs[value] = runner.file(f"{setup}-bullet-prime-{option}-{value}", "bullet-prime",
                                      setup, **{option: value})[0]
    fig, ax = file_figure(plt)
    reference_curves(ax, runs[values[0]])
    for value, colour in zip(values, colours):
        cdf(ax, runs[value], labels[value], colour)
    paper_box(ax, box)
    style_cdf(ax, title)
    rows = [(f"{labels[v]}: mean / median / p90 / slowest", times(runs[v]), claim.get(v, ""))
            for v in values]
    rows.append(("optimal", f'{runs[values[0]]["optimal_s"]:.1f} s', ""))
    return fig, rows, runs, means({labels[v]: runs[v] for v in values})


def figure_2008_15(runner, plt, fid):
    values = ("first", "random", "rarest-random")
    labels = {"first": "first-encountered", "random": "random", "rarest-random": "rarest-random"}
    fig, rows, runs, ours = variants(
        runner, plt, fid, "Figure 15 (2008): request strategy", "mesh", "strategy", values,
        "rarest-random", labels, ("tab:orange", "tab:green", "tab:red"),
        ["first-encountered worst;", "rarest-random best for 70%", "of the receivers; random",
         "best for the slowest"],
        {"first": "worst", "rarest-random": "best for 70% of receivers",
         "random": "best for the slowest"})
    p70 = {v: sorted(runs[v]["completion_s"])[int(0.7 * len(runs[v]["completion_s"])) - 1]
           for v in values if len(runs[v]["completion_s"]) >= 2}
    if p70:
        rows.append(("70th percentile, s", ", ".join(f"{labels[v]} {p70[v]:.1f}" for v in p70),
                     "rarest-random lowest"))
    return fig, rows, ours


def figure_2008_16(runner, plt, fid):
    values = ("10", "14", "dynamic")
    labels = {"10": "10 peers", "14": "14 peers", "dynamic": "dynamic"}
    fig, rows, runs, ours = variants(
        runner, plt, fid, "Figure 16 (2008): static and dynamic peer sets, lossy mesh", "mesh",
        "peers", values, "dynamic", labels, ("tab:orange", "tab:green", "tab:red"),
        ["14 peers beat 10 (more TCP flows", "ride out losses); dynamic tracks",
         "14 for 50% of the receivers"],
        {"14": "better than 10", "dynamic": "tracks 14 for 50% of receivers"})
    return fig, rows, ours


def figure_2008_17(runner, plt, fid):
    values = ("10", "14", "dynamic")
    labels = {"10": "10 peers", "14": "14 peers", "dynamic": "dynamic"}
    fig, rows, runs, ours = variants(
        runner, plt, fid, "Figure 17 (2008): peer sets, 800 kb/s access links, no loss",
        "mesh17", "peers", values, None, labels, ("tab:orange", "tab:green", "tab:red"),
        ["14 peers worse than 10;", "dynamic tracks, sometimes", "beats, the better"],
        {"14": "worse than 10", "dynamic": "tracks the better static"})
    return fig, rows, ours


def outstanding(runner, plt, fid, lossy):
    values = ("3", "6", "9", "15", "50", "dynamic")
    labels = {v: (f"{v} outstanding" if v != "dynamic" else "dynamic") for v in values}
    colours = ("tab:orange", "tab:olive", "tab:green", "tab:cyan", "tab:purple", "tab:red")
    runs = {}
    for v in values:
        name = f"mesh18-bullet-prime-outstanding-{v}" + ("-lossy" if lossy else "")
        opts = {"outstanding": v}
        if lossy:
            opts["coreLoss"] = 0.015
        runs[v] = runner.file(name, "bullet-prime", "mesh18", **opts)[0]
    fig, ax = file_figure(plt)
    reference_curves(ax, runs["dynamic"])
    for v, colour in zip(values, colours):
        cdf(ax, runs[v], labels[v], colour, lw=2.2 if v == "dynamic" else 1.3)
    if lossy:
        paper_box(ax, ["under losses the dynamic", "approach beats every", "static setting"])
        title = "Figure 19 (2008): outstanding requests, core losses up to 1.5%"
    else:
        paper_box(ax, ["dynamic closely tracks the large static settings;",
                       "few (3) cannot fill the pipe"])
        title = "Figure 18 (2008): outstanding requests, 10 Mb/s 100 ms links"
    style_cdf(ax, title)
    claim = ({"dynamic": "best of all"} if lossy
             else {"3": "too few to fill the pipe", "dynamic": "tracks 15 / 50"})
    rows = [(f"{labels[v]}: mean / median / p90 / slowest", times(runs[v]), claim.get(v, ""))
            for v in values]
    statics = {v: runs[v]["completion_mean_s"] for v in values[:-1] if runs[v]["completion_s"]}
    if statics and runs["dynamic"]["completion_s"]:
        best = min(statics, key=statics.get)
        dynamic = runs["dynamic"]["completion_mean_s"]
        rows.append(("dynamic vs the best static (mean)",
                     f"{dynamic:.1f} vs {statics[best]:.1f} s ({best})",
                     "dynamic ahead" if lossy else "about equal"))
    ours = means(runs)
    return fig, rows, ours


def figure_2008_18(runner, plt, fid):
    return outstanding(runner, plt, fid, lossy=False)


def figure_2008_19(runner, plt, fid):
    return outstanding(runner, plt, fid, lossy=True)


def figure_2008_20(runner, plt, fid):
    s, d = baseline(runner)
    with open(os.path.join(d, "bullet-prime-interarrival.csv")) as f:
        rows_csv = [(int(r["block_rank"]), float(r["mean_interarrival_s"]))
                    for r in csv.DictReader(f)]
    fig, ax = file_figure(plt, height=4.2)
    ax.plot([r for r, _ in rows_csv], [v for _, v in rows_csv], color="tab:red", lw=0.8,
            label="Bullet', mean over the receivers")
    tb = s["interarrival_mean_s"]
    ax.axhline(tb, color="black", lw=1, ls="--", label=f"overall mean t_b = {1000 * tb:.0f} ms")
    n = len(rows_csv)
    ax.axvspan(n - 20 + 0.5, n + 0.5, color="tab:orange", alpha=0.2, lw=0, label="last 20 blocks")
    ax.set_yscale("log")
    ax.set_xlabel("block (in the order a receiver got it)")
    ax.set_ylabel("block interarrival time (s)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7.5, loc="upper right")
    paper_box(ax, ["(100 MB, 99 receivers) the last 20", "blocks' overage 8.38 s against",
                   "7.60 s for a 4% encoding overhead:", "encoding would not clearly pay"],
              )
    ax.set_title("Figure 20 (2008): block interarrival times", fontsize=10)
    fig.tight_layout()
    over, enc = s["last20_overage_s"], s["encoding_4pct_s"]
    rows = [
        ("mean interarrival t_b", f"{1000 * tb:.1f} ms", ""),
        ("last-20 overage / 4% encoding", f"{over:.2f} / {enc:.2f} s", "8.38 / 7.60 s"),
        ("overage / encoding", f"{over / enc:.2f}" if enc else "n/a", "1.10"),
    ]
    ours = f"overage {over:.2f} s against {enc:.2f} s for 4% encoding" if enc else ""
    return fig, rows, ours


def inet_baseline(runner):
    return runner.file("inet-bullet-prime", "bullet-prime", "inet")


def figure_2008_21(runner, plt, fid):
    p, _ = inet_baseline(runner)
    bt, _ = runner.file("inet-bittorrent", "bittorrent", "inet")
    fig, ax = file_figure(plt)
    reference_curves(ax, p)
    cdf(ax, p, "Bullet'", COLOURS["bullet-prime"])
    cdf(ax, bt, "BitTorrent", COLOURS["bittorrent"])
    paper_box(ax, ["(250 nodes) Bullet' 25% faster", "than BitTorrent, close to optimal"])
    n = runner.scale["inet"]["nodes"]
    style_cdf(ax, f"Figure 21 (2008): file download on INET, {n} nodes (paper 250)")
    rows = [
        ("Bullet' mean / median / p90 / slowest", times(p), "close to optimal"),
        ("BitTorrent mean / median / p90 / slowest", times(bt), ""),
        ("optimal / best over TCP (median)", references(p), ""),
    ]
    if p["completion_s"] and bt["completion_s"]:
        pm, bm = p["completion_mean_s"], bt["completion_mean_s"]
        rows.append(("Bullet' against BitTorrent, mean", less(pm, bm) + " time", "25% faster"))
        rows.append(("Bullet' mean / optimal", f'{pm / p["optimal_s"]:.1f}x', "close to 1"))
        ours = (f"Bullet' {pm:.1f} s vs BitTorrent {bm:.1f} s ({less(pm, bm)}), "
                f'{pm / p["optimal_s"]:.1f}x optimal')
    else:
        ours = "incomplete"
    return fig, rows, ours


def read_nodes(directory, system="bullet-prime"):
    """The receivers' rows of <system>-nodes.csv (times relative to each one's start)."""
    with open(os.path.join(directory, f"{system}-nodes.csv")) as f:
        rows = [{k: float(v) for k, v in r.items()} for r in csv.DictReader(f)]
    return [r for r in rows if not r["source"]]


def mean_max(values, of=None):
    """'mean / slowest s' of VALUES (and how many of OF, if some are missing)."""
    if not values:
        return "-"
    text = f"{statistics.mean(values):.1f} / {max(values):.1f} s"
    return text if of is None or len(values) == of else f"{text} ({len(values)} of {of})"


def figure_2008_22(runner, plt, fid):
    base, _ = inet_baseline(runner)
    fig, ax = file_figure(plt)
    cdf(ax, base, "all at t = 0", "black", lw=1.2)
    rows = [("all at 0: mean / median / p90 / slowest", times(base), "")]
    colours = ("tab:blue", "tab:red")
    firsts, lates, blocks = [], [], []
    for at, colour in zip(runner.scale["late"], colours):
        s, d = runner.file(f"inet-bullet-prime-late-{at}", "bullet-prime", "inet",
                           lateJoin=f"0.5@{at}")
        nodes = read_nodes(d)
        first = [n for n in nodes if n["start_s"] == 0]
        late = [n for n in nodes if n["start_s"] > 0]
        for group, ls, what in ((first, "-", "first half"), (late, "--", "late half")):
            done = sorted(n["start_s"] + n["completion_s"] for n in group if n["completion_s"] >= 0)
            ys = [0.0] + [(i + 1) / max(len(group), 1) for i in range(len(done))]
            ax.step([0.0] + done, ys, where="post", color=colour, ls=ls,
                    label=f"late at {at} s: {what}")
        ax.axvline(at, color=colour, lw=0.6, ls=":")
        own = [n["completion_s"] for n in late if n["completion_s"] >= 0]
        first_done = [n["completion_s"] for n in first if n["completion_s"] >= 0]
        fb = [n["first_block_s"] for n in late if n["first_block_s"] >= 0]
        blocks += fb
        firsts.append(statistics.mean(first_done) if first_done else float("nan"))
        lates.append(statistics.mean(own) if own else float("nan"))
        rows.append((f"late at {at} s: first half mean / slowest",
                     mean_max(first_done, len(first)), "as with all at 0"))
        rows.append((f"late at {at} s: late half's own mean / slowest",
                     mean_max(own, len(late)), "the same for both arrival times"))
        rows.append((f"late at {at} s: first block after joining (mean)",
                     f"{statistics.mean(fb):.1f} s" if fb else "-", "5 s"))
    t1, t2 = runner.scale["late"]
    paper_box(ax, ["(250 nodes, late at 100 and 200 s) the first half finishes as with all at",
                   "0; the late curves are 100 s apart (the same own times); a late node's",
                   "first block after 5 s"])
    style_cdf(ax, "Figure 22 (2008): flash crowds, half the receivers late")
    ax.set_xlabel("completion time since the run's start (s)")
    ours = (f"first halves {firsts[0]:.1f} and {firsts[1]:.1f} s against "
            f"{base['completion_mean_s']:.1f} s all at 0; late halves' own means "
            f"{lates[0]:.1f} s (at {t1} s) and {lates[1]:.1f} s (at {t2} s)")
    if blocks:
        ours += f"; a late node's first block {statistics.mean(blocks):.1f} s after it starts"
    return fig, rows, ours


def figure_2008_23(runner, plt, fid):
    lifetime, length = runner.scale["churn"]
    base, _ = inet_baseline(runner)
    s, d = runner.file(f"inet-bullet-prime-churn-{lifetime}", "bullet-prime", "inet",
                       churn=float(lifetime), maxTime=float(length))
    nodes = read_nodes(d)
    fig, ax = file_figure(plt, height=4.2)
    done = sorted(n["start_s"] + n["completion_s"] for n in nodes if n["completion_s"] >= 0)
    ax.step([0.0] + done, list(range(len(done) + 1)), where="post", color="tab:red",
            label=f"Bullet', churn (mean lifetime {lifetime} s)")
    static = sorted(base["completion_s"])
    ax.step([0.0] + static, list(range(len(static) + 1)), where="post", color="black", lw=1,
            ls="--", label="no churn (Figure 21's run)")
    ax.set_xlabel("time (s)")
    ax.set_ylabel("downloads completed")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7.5, loc="lower right")
    paper_box(ax, ["(250 nodes, mean lifetime 300 s) nodes from t = 0 within 5% of no churn;",
                   "replacements 155 s on average, 15% faster"])
    ax.set_title("Figure 23 (2008): downloads completed under churn", fontsize=10)
    fig.tight_layout()
    c = s["churn"]
    im = c["initial_completion_mean_s"] or 0
    rm = c["replacement_completion_mean_s"] or 0
    rows = [
        ("departures / replacements", f'{c["departures"]} / {c["replacements"]}', ""),
        ("from t = 0: completed, mean", f'{c["initial_completed"]}, {im:.1f} s',
         "within 5% of no churn"),
        ("no churn (Figure 21's run) mean", f'{base["completion_mean_s"]:.1f} s', ""),
        ("replacements: completed, mean", f'{c["replacement_completed"]}, {rm:.1f} s',
         "155 s, 15% faster than the first"),
        ("every stay longer than this completed", f'{c["longest_incomplete_stay_s"]:.1f} s', ""),
    ]
    ours = "incomplete"
    if im and rm:
        ours = (f"from t = 0: {im:.1f} s against {base['completion_mean_s']:.1f} s without churn "
                f"({100 * (im / base['completion_mean_s'] - 1):+.0f}%); replacements {rm:.1f} s "
                f"({less(rm, im)} time than the first)")
    return fig, rows, ours


# ---------------------------------------------------------------------------------------
# The figures

# id -> (function, what it shows, what the paper's text reports)
FIGURES = {
    "2003:6": (
        figure_6,
        "TFRC streaming over the offline bottleneck tree and a random tree (medium)",
        "bottleneck tree ~400 kbps, random tree under 100",
    ),
    "2003:7": (
        figure_7,
        "Bullet over a random tree: raw, useful and from-parent bandwidth",
        "useful ~500 kbps, raw slightly above, control ~30, link stress ~1.5 / 22",
    ),
    "2003:8": (
        figure_8,
        "CDF of the nodes' instantaneous useful bandwidth late in Figure 7's run",
        "rises sharply at ~500 kbps; most nodes 500-600",
    ),
    "2003:9": (
        figure_9,
        "Bullet and the bottleneck tree on the high, medium and low profiles",
        "high: both 600; medium: Bullet ~500, tree ~400 (+25%); low: Bullet 2x the tree",
    ),
    "2003:10": (
        figure_10,
        "Bullet with non-disjoint transmission (every packet to every child)",
        "25% less bandwidth than with the disjoint strategy (Figure 7)",
    ),
    "2003:11": (
        figure_11,
        "Bullet against push gossiping and streaming with anti-entropy, 900 kbps (paper: 100 "
        "clients on 5,000 nodes)",
        "Bullet close to 900 kbps, ~60% more than both epidemic approaches",
    ),
    "2003:12": (
        figure_12,
        "Bullet and the bottleneck tree on lossy topologies (high, medium, low)",
        "Bullet at least 2x the tree in all cases; on low the tree delivers almost nothing",
    ),
    "2003:13": (
        figure_13,
        "worst-case failure of a root child, RanSub recovery off",
        "average drops from 500 to 350 kbps; most nodes recover a large portion",
    ),
    "2003:14": (
        figure_14,
        "worst-case failure of a root child, RanSub recovery on",
        "negligible disruption",
    ),
    "2008:9": (
        figure_9,
        "= 2003:9 (same runs): Bullet and the bottleneck tree, high/medium/low",
        "as 2003:9; control ~30 kbps, link stress ~1.5 / 22",
    ),
    "2008:10": (
        figure_12,
        "= 2003:12 (same runs): lossy topologies",
        "Bullet at least 2x the tree; low: the tree delivers almost nothing",
    ),
    "2008:11": (
        figure_11,
        "= 2003:11 (same run): Bullet and the epidemic approaches",
        "Bullet close to 900 kbps, ~60% more than gossiping and anti-entropy",
    ),
    "2008:12": (
        figure_2008_12,
        "= 2003:14 (same run): failure with RanSub recovery",
        "negligible disruption",
    ),
    "2008:13": (
        figure_2008_13,
        "file download CDF on the lossy mesh: Bullet', Bullet, BitTorrent, SplitStream, optimal, "
        "best over TCP",
        "Bullet' ~25% faster than all others, its slowest 37% faster",
    ),
    "2008:14": (
        figure_2008_14,
        "the same under synthetic bandwidth changes",
        "Bullet' 32-70% faster",
    ),
    "2008:15": (
        figure_2008_15,
        "Bullet' request strategies: first-encountered, random, rarest-random",
        "first worst; rarest-random best for 70% of receivers; random best for the slowest",
    ),
    "2008:16": (
        figure_2008_16,
        "Bullet' with 10, 14 and dynamic peers on the lossy mesh",
        "14 beats 10; dynamic tracks 14 for 50% of receivers",
    ),
    "2008:17": (
        figure_2008_17,
        "Bullet' with 10, 14 and dynamic peers, 800 kb/s access, 10 Mb/s 1 ms lossless core",
        "14 worse than 10; dynamic tracks, sometimes beats, the better",
    ),
    "2008:18": (
        figure_2008_18,
        "Bullet' with 3, 6, 9, 15, 50 and dynamic outstanding blocks, 10 Mb/s 100 ms links, 8 kB "
        "blocks, 5 senders",
        "dynamic tracks the large settings; 3 cannot fill the pipe",
    ),
    "2008:19": (
        figure_2008_19,
        "the same with core losses up to 1.5%",
        "dynamic beats every static setting",
    ),
    "2008:20": (
        figure_2008_20,
        "Bullet' block interarrival times by block rank (the baseline run of 2008:13)",
        "last-20 overage 8.38 s against 7.60 s for 4% encoding: encoding would not clearly pay",
    ),
    "2008:21": (
        figure_2008_21,
        "Bullet' and BitTorrent on the INET network (paper: 250 nodes, 100 MB)",
        "Bullet' 25% faster than BitTorrent, close to optimal",
    ),
    "2008:22": (
        figure_2008_22,
        "flash crowds: half the receivers start late, at two times",
        "first half as with all at 0; late curves as far apart as their arrivals; first block 5 s "
        "after joining",
    ),
    "2008:23": (
        figure_2008_23,
        "downloads completed under churn (exponential lifetimes, replaced at once)",
        "nodes from t = 0 within 5% of no churn; replacements 155 s, 15% faster",
    ),
}

NOT_REPRODUCIBLE = {
    "2003:15": "PlanetLab deployment (47 nodes, Bullet against hand-crafted trees from a root "
    "in Europe): a real network, not a simulation",
    "2008:24": "PlanetLab deployment (41 nodes, October 2004): a real network, not a simulation",
    "2008:25": "PlanetLab deployment (250 nodes, May 2007): a real network, not a simulation",
}
for _n in range(1, 6):
    NOT_REPRODUCIBLE[f"2003:{_n}"] = "a diagram of the design, not an experiment"
for _n in range(1, 9):
    NOT_REPRODUCIBLE[f"2008:{_n}"] = "a diagram or pseudocode of the design, not an experiment"


def figure_id(text):
    """The canonical id of TEXT ('9', '2003:9', '2008:15'); raises ValueError with the reason."""
    text = text.strip()
    fid = text if ":" in text else f"2003:{text}"
    if fid in FIGURES:
        return fid
    if fid in NOT_REPRODUCIBLE:
        named = fid if fid == text else f"{text} ({fid})"
        raise ValueError(f"figure {named} cannot be reproduced: {NOT_REPRODUCIBLE[fid]}")
    raise ValueError(
        f"no figure {text!r}: figures are 2003:6-14 and 2008:9-23 (a bare number is the 2003 "
        "paper's); --list shows them"
    )


def key(fid):
    year, number = fid.split(":")
    return int(year), int(number)


def file_name(fid):
    return "figure-" + fid.replace(":", "-") + ".png"


def describe(scaled):
    """A scale's setups, in words."""
    def size(n):
        return f"{n / 1e6:g} MB"

    st, ep, m = scaled["stream"], scaled["epidemic"], scaled["mesh"]
    m17, m18, inet = scaled["mesh17"], scaled["mesh18"], scaled["inet"]
    return (
        f'streaming {st["clients"]} clients on {st["topoNodes"]:,} nodes for {st["duration"]} s '
        f'(Figure 11: {ep["clients"]} clients on {ep["topoNodes"]:,} nodes); files '
        f'{m["nodes"]} nodes and {size(m["size"])} on the mesh (Figure 17: {m17["nodes"]} '
        f'nodes, {size(m17["size"])}; Figures 18-19: {m18["nodes"]} nodes, '
        f'{size(m18["size"])}), {inet["nodes"]} nodes and {size(inet["size"])} on INET '
        f'({inet["topoNodes"]:,} nodes), late arrivals at {scaled["late"][0]} and '
        f'{scaled["late"][1]} s, a mean lifetime of {scaled["churn"][0]} s over '
        f'{scaled["churn"][1]} s'
    )


def write_index(outdir, scale, done, elapsed):
    """OUTDIR/index.html: every figure with ours against the paper's numbers."""
    scaled = SCALES[scale]
    walls = {name: wall for _, _, _, runs in done.values() for name, wall, _ in runs}
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        "<title>ns3-bullet: the papers' figures</title>",
        "<style>body{font-family:sans-serif;max-width:62em;margin:auto}"
        "table{border-collapse:collapse;margin-bottom:1em}"
        "td,th{border:1px solid #ccc;padding:2px 8px}"
        "p.line{margin:0.3em 0}</style></head><body>",
        f"<h1>ns3-bullet: the papers' figures at scale <code>{html.escape(scale)}</code></h1>",
        "<p>Ours drawn solid; the paper's reported numbers (its text, not read off its plots) "
        "dashed or as stars, and for file distribution its claims under the plot. "
        f"<code>examples/reproduce.py --all --scale={html.escape(scale)}</code>: {len(done)} "
        f"figures from {len(walls)} runs, which took {sum(walls.values()) / 60:.1f} min when "
        f"they ran; {elapsed / 60:.1f} min in this invocation (runs already there are "
        "reused).</p>",
        f"<p>This scale: {html.escape(describe(scaled))}. The papers: streaming 1,000 clients on "
        "20,000 nodes (Figure 11: 100 clients on 5,000 nodes); files 100 nodes and 100 MB on the "
        "mesh (Figure 17: 10 MB; Figures 18-19: 25 nodes), 250 nodes and 100 MB on INET, late "
        "arrivals at 100 and 200 s, a mean lifetime of 300 s.</p>",
    ]
    papers = {
        2003: "Bullet: High Bandwidth Data Dissemination Using an Overlay Mesh (SOSP 2003)",
        2008: "Maintaining High-Bandwidth under Dynamic Network Conditions: Bullet' "
        "(ACM TOCS 2008)",
    }
    parts.append("<h2>Contents</h2><ul>")
    for year in papers:
        for fid in sorted((f for f in done if key(f)[0] == year), key=key):
            parts.append(f"<li><a href='#{fid.replace(':', '-')}'>{fid}</a>: "
                         f"{html.escape(FIGURES[fid][1])}</li>")
    parts.append("</ul>")
    for year, title in papers.items():
        parts.append(f"<h2>{year}: {html.escape(title)}</h2>")
        for fid in sorted((f for f in done if key(f)[0] == year), key=key):
            rows, ours, seconds, runs = done[fid]
            _, what, paper = FIGURES[fid]
            parts.append(f"<h3 id='{fid.replace(':', '-')}'>Figure {key(fid)[1]} ({year}), "
                         f"<code>--figure={fid}</code></h3>")
            parts.append(f"<p class='line'>{html.escape(what)}.</p>")
            parts.append(f"<p class='line'><b>Paper:</b> {html.escape(paper)}. "
                         f"<b>Ours:</b> {html.escape(ours)}.</p>")
            parts.append(f"<img src='{file_name(fid)}' width='640'>")
            parts.append("<table><tr><th>measure</th><th>ours</th><th>paper</th></tr>")
            for measure, value, claim in rows:
                shown = f"{value:.1f}" if isinstance(value, float) else str(value)
                parts.append(f"<tr><td>{html.escape(measure)}</td><td>{html.escape(shown)}</td>"
                             f"<td>{html.escape(str(claim))}</td></tr>")
            shown = ", ".join(
                f"{name} ({wall:.0f} s{', reused' if reused else ''})"
                for name, wall, reused in runs
            )
            parts.append(f"</table><p>Runs (OUTDIR/runs/, wall time of each): "
                         f"{html.escape(shown)}; {seconds:.0f} s in this invocation.</p>")
    parts.append("<h2>Figures that cannot be reproduced</h2><ul>")
    parts.append("<li>2003:15: " + html.escape(NOT_REPRODUCIBLE["2003:15"]) + "</li>")
    parts.append("<li>2008:24, 2008:25: " + html.escape(NOT_REPRODUCIBLE["2008:24"].split(" (")[0])
                 + " (41 nodes in October 2004; 250 nodes in May 2007): a real network, not a "
                 "simulation; doc/emulation.md runs our protocols on emulated hosts instead</li>")
    parts.append("<li>2003:1-5 and 2008:1-8: diagrams and pseudocode of the designs, not "
                 "experiments</li></ul>")
    parts.append("</body></html>")
    path = os.path.join(outdir, "index.html")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--figure", help="figure ids, comma-separated: 2003:N, 2008:N or N (2003)")
    which.add_argument("--all", action="store_true", help="every figure, and index.html")
    which.add_argument("--list", action="store_true", help="list the figure ids and exit")
    parser.add_argument("--scale", choices=list(SCALES), default="lab")
    parser.add_argument("--outdir", help="default results/reproduce-<scale>")
    parser.add_argument("--rerun", action="store_true", help="rerun runs already there")
    args = parser.parse_args()

    if args.list:
        for fid in sorted(FIGURES, key=key):
            print(f"{fid:8} {FIGURES[fid][1]}")
        for fid in ("2003:15", "2008:24", "2008:25"):
            print(f"{fid:8} not reproducible: {NOT_REPRODUCIBLE[fid]}")
        return
    if args.all:
        ids = sorted(FIGURES, key=key)
    else:
        try:
            ids = list(dict.fromkeys(figure_id(f) for f in args.figure.split(",") if f.strip()))
        except ValueError as error:
            parser.error(str(error))
        if not ids:
            parser.error("--figure needs at least one figure id")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    outdir = args.outdir or os.path.join("results", "reproduce-" + args.scale)
    os.makedirs(outdir, exist_ok=True)
    runner = Runner(outdir, args.scale, args.rerun)
    done = {}
    start = time.monotonic()
    for fid in ids:
        began = time.monotonic()
        first = len(runner.used)
        fig, rows, ours = FIGURES[fid][0](runner, plt, fid)
        runs = list(dict.fromkeys(runner.used[first:]))
        path = os.path.join(outdir, file_name(fid))
        fig.savefig(path, dpi=110)
        plt.close(fig)
        done[fid] = (rows, ours, time.monotonic() - began, runs)
        print(f"reproduce: Figure {fid} -> {path}", flush=True)
    elapsed = time.monotonic() - start
    if args.all:
        print(f"reproduce: index -> {write_index(outdir, args.scale, done, elapsed)}")
    print(f"reproduce: {len(done)} figure(s) in {elapsed:.0f} s")


if __name__ == "__main__":
    main()
