#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Checks a student's results directory against a lab's expectations (doc/labs/).

    python3 examples/labs/check.py --lab=1 results/lab1
    python3 examples/labs/check.py --lab=2 results/lab2
    python3 examples/labs/check.py --lab=3 results/lab3
    python3 examples/labs/check.py --lab=4 results/lab4
    python3 examples/labs/check.py --lab=5 results/lab5
    python3 examples/labs/check.py --lab=6 results/lab6

It reads only the files the lab's commands wrote (summary.json, the per-system CSV files,
the plot; for a lab of several runs, such as lab 3, one subdirectory per run), prints one
line per expectation, PASS or FAIL with the measured value and the expected range, and exits
with status 0 only if every expectation holds (1 if one does not, 2 if the directory is
missing or is not a result directory of the lab's program). Standard library only: a
teacher runs it without the module built.

The ranges are those of doc/labs/lab<N>-*.md, measured on the lab's commands with every seed
the checker accepts (labs 1 and 2: seeds 1 and 2; labs 3-5: 1-5; lab 6: 1-3), with a margin;
see the lab's "Expected results". Lab 6 (real hosts, as root) reads what its shell session and
commands wrote: the emulator's host map and lag report, ping's and iperf3's output,
./ns3 emulate's and the simulation's summary.json.
"""

import argparse
import csv
import json
import math
import os
import re
import sys

# Options of a run that do not change its results: they may be anything.
NEUTRAL = {"outdir", "plot", "quiet", "scheduler", "links"}

# The defaults of the streaming programs' options the labs fix (helper/experiments/
# streaming-scenario.h, scenario-programs.cc): an option left out of the command line has
# its default, which is what the bindings' command_line() leaves out.
STREAMING_DEFAULTS = {
    "topoNodes": "5000",
    "profile": "medium",
    "loss": "none",
    "rate": "600",
    "packetSize": "1000",
    "warmup": "0",
    "transport": "tfrc",
    "fanOut": "12",
    "stubRule": "degree1",
    "perDirection": "false",
    "fail": "none",
    "failAt": "0",
    "ransubRecovery": "true",
    "controlIdle": "0",
    "controlTcp": "linux",
}
PROGRAM_DEFAULTS = {
    "tree-streaming": dict(STREAMING_DEFAULTS, tree="both", clients="150", duration="200"),
    "bullet-streaming": dict(
        STREAMING_DEFAULTS,
        systems="bullet,bottleneck-tree,random-tree",
        tree="random",
        disjoint="true",
        clients="200",
        duration="240",
        loss="bullet2003",
    ),
    # examples/tfrc-dumbbell.cc; the TFRC socket's pacing is an ns-3 attribute
    # (model/tfrc-socket.cc), given as --ns3::TfrcSocket::Pacing=...
    "tfrc-dumbbell": {
        "tcpFlows": "1",
        "tfrcFlows": "1",
        "loss": "0",
        "duration": "60",
        "warmup": "10",
        "bottleneck": "1Mbps",
        "delay": "20",
        "queue": "25",
        "red": "false",
        "tcpMinRto": "200",
        "tcpDelAckCount": "1",
        "ns3::TfrcSocket::Pacing": "poisson",
    },
    # examples/file-distribution.cc (its --PrintHelp)
    "file-distribution": {
        "systems": "bullet-prime,bittorrent,bullet",
        "strategy": "rarest-random",
        "peers": "dynamic",
        "outstanding": "dynamic",
        "topology": "mesh2008",
        "nodes": "20",
        "topoNodes": "5000",
        "profile": "medium",
        "loss": "none",
        "accessKbps": "6000",
        "coreKbps": "2000",
        "coreLoss": "0.03",
        "coreDelayMin": "5",
        "coreDelayMax": "200",
        "queue": "10",
        "tcpBuffer": "0",
        "size": "20000000",
        "blockSize": "16384",
        "payload": "real",
        "maxTime": "600",
        "bwChanges": "false",
        "churn": "0",
    },
    # examples/ransub-subsets.cc (helper/experiments/ransub-subsets.h)
    "ransub-subsets": {
        "nodes": "50",
        "topoNodes": "5000",
        "fanOut": "12",
        "mode": "nondescendants",
        "setSize": "10",
        "epoch": "5",
        "epochs": "100",
        "failAt": "0",
        "failureDetection": "true",
    },
}


class ResultsError(Exception):
    """The directory cannot be checked at all."""


def parse_args_line(line):
    """summary.json's "args" ("--a=1 --b --c=x") as {name: value}."""
    options = {}
    for word in line.split():
        if not word.startswith("--"):
            raise ResultsError(f"summary.json: args has '{word}', not an option")
        name, eq, value = word[2:].partition("=")
        options[name] = value if eq else "true"
    return options


BOOLEANS = {"true": "true", "1": "true", "yes": "true", "false": "false", "0": "false",
            "no": "false"}


def same_value(a, b):
    """Option values equal as numbers if both are numbers, as booleans if both are (ns-3's
    command line takes 1/0, true/false, yes/no), else as lower-case strings."""
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-9)
    except ValueError:
        pass
    a, b = a.lower(), b.lower()
    if a in BOOLEANS and b in BOOLEANS:
        return BOOLEANS[a] == BOOLEANS[b]
    return a == b


def read_mean_csv(directory, system):
    path = os.path.join(directory, f"{system}-mean.csv")
    if not os.path.isfile(path):
        raise ResultsError(f"{path} is missing")
    with open(path) as f:
        rows = list(csv.DictReader(f))
    if not rows or "useful_kbps" not in rows[0]:
        raise ResultsError(f"{path} has no useful_kbps series")
    return [{k: float(v) for k, v in r.items()} for r in rows]


class Lab:
    """A lab: its program, the settings its command fixes, and its expectations.

    A lab of one run reads the results directory itself (settings: option -> the lab's
    value). A lab of several runs (runs: subdirectory -> that run's settings) reads one
    subdirectory per run, results/labN/<run>; its expectations get a RunSet."""

    def __init__(self, number, title, program, settings, seeds, systems, expectations,
                 runs=None, files=None, same_seed=False, load=None, settings_check=None):
        self.number = number
        self.title = title
        self.program = program
        self.settings = settings  # option -> the lab's value (one run)
        self.runs = runs  # subdirectory -> its settings (several runs), or None
        self.seeds = seeds
        self.systems = systems
        self.expectations = expectations  # (what, function(results) -> (value, range, ok))
        self.files = files or check_files  # the "files" expectation
        self.same_seed = same_seed  # several runs: all of them with one seed
        # A lab whose directory is not one run nor runs of one program (lab 6): its own
        # loader, function(directory, lab) -> results, and its own "settings" expectation.
        self.load = load
        self.settings_check = settings_check or check_settings


def require_directory(directory, commands="command"):
    """Raises ResultsError unless \p directory exists and is a directory."""
    if not os.path.exists(directory):
        raise ResultsError(f"{directory}: no such directory (run the lab's {commands} first)")
    if not os.path.isdir(directory):
        raise ResultsError(f"{directory} is not a directory")


class Results:
    """A loaded results directory."""

    def __init__(self, directory, lab):
        self.directory = directory
        require_directory(directory)
        path = os.path.join(directory, "summary.json")
        if not os.path.isfile(path):
            raise ResultsError(
                f"{directory} has no summary.json: not a result directory "
                f"(give the --outdir of lab {lab.number}'s command)"
            )
        try:
            with open(path) as f:
                self.summary = json.load(f)
        except (OSError, ValueError) as e:
            raise ResultsError(f"{path} is not readable JSON: {e}") from None
        if not isinstance(self.summary, dict) or not isinstance(
            self.summary.get("systems"), dict
        ):
            raise ResultsError(f"{path} has no 'systems' object: not a result of lab "
                               f"{lab.number}'s program, {lab.program}")
        experiment = self.summary.get("experiment")
        if experiment != lab.program:
            raise ResultsError(
                f"{path} is a result of '{experiment}', lab {lab.number} runs '{lab.program}'"
            )
        self.options = parse_args_line(str(self.summary.get("args", "")))
        self.systems = self.summary["systems"]
        self._series = {}

    def system(self, name):
        if name not in self.systems:
            raise KeyError(name)
        return self.systems[name]

    def series(self, system):
        if system not in self._series:
            self._series[system] = read_mean_csv(self.directory, system)
        return self._series[system]

    def window_rows(self, system):
        start, end = self.system(system)["window_s"]
        return [r for r in self.series(system) if start <= r["time_s"] <= end]


class RunSet:
    """The results directory of a lab of several runs: one subdirectory per run. A run
    that is missing makes its expectations fail; a directory with none of them, or a run
    that is not a result of the lab's program, cannot be checked at all."""

    def __init__(self, directory, lab):
        self.directory = directory
        require_directory(directory, "commands")
        self._runs = {}
        for name in lab.runs:
            sub = os.path.join(directory, name)
            if os.path.exists(os.path.join(sub, "summary.json")):
                self._runs[name] = Results(sub, lab)
        if not self._runs:
            wanted = ", ".join(f"{name}/summary.json" for name in lab.runs)
            raise ResultsError(
                f"{directory} has none of {wanted}: not the results of lab {lab.number} "
                f"(give the directory that holds its runs' --outdir, e.g. results/lab{lab.number})"
            )

    def present(self):
        return sorted(self._runs)

    def run(self, name):
        if name not in self._runs:
            raise ResultsError(f"run '{name}' missing ({name}/summary.json): run its command")
        return self._runs[name]


def within(value, lo, hi, unit="", digits=1):
    shown = f"{value:.{digits}f}{unit}"
    return shown, f"[{lo:g}, {hi:g}]{unit}", lo <= value <= hi


def at_least(value, lo, unit="", digits=2):
    return f"{value:.{digits}f}{unit}", f">= {lo:g}{unit}", value >= lo


def settings_wrong(lab, settings, results):
    """What differs between a run's options and seed and settings (a list of phrases)."""
    defaults = PROGRAM_DEFAULTS[lab.program]
    wrong = []
    for name, wanted in settings.items():
        got = results.options.get(name, defaults.get(name))
        if name == "systems" and got is not None:
            # Each system runs on a fresh copy of the network: their order does not matter.
            ok = sorted(got.split(",")) == sorted(wanted.split(","))
        else:
            ok = got is not None and same_value(got, wanted)
        if not ok:
            wrong.append(f"--{name}={got if got is not None else '?'} (lab: {wanted})")
    extra = [
        f"--{n}" for n in results.options
        if n not in settings and n not in NEUTRAL and n != "seed"
        and not (n in defaults and same_value(results.options[n], defaults[n]))
    ]
    if extra:
        wrong.append("options the lab does not set: " + " ".join(extra))
    seed = results.summary.get("seed")
    if seed not in lab.seeds:
        wrong.append(f"seed {seed} (lab: one of {lab.seeds})")
    return wrong


def check_settings(lab, results):
    """The run used the lab's settings and seed, and nothing else that changes results; for a
    lab of several runs, every run its own."""
    if lab.runs is None:
        wrong = settings_wrong(lab, lab.settings, results)
        shown = "as the lab's command" if not wrong else "; ".join(wrong)
        wanted = " ".join(f"--{k}={v}" for k, v in lab.settings.items())
        return shown, f"{wanted}, seed in {lab.seeds}", not wrong
    wrong = []
    for name, settings in lab.runs.items():
        try:
            run = results.run(name)
        except ResultsError:
            wrong.append(f"{name}: missing")
            continue
        wrong += [f"{name}: {w}" for w in settings_wrong(lab, settings, run)]
    if lab.same_seed:
        seeds = {name: results.run(name).summary.get("seed") for name in results.present()}
        if len(set(map(str, seeds.values()))) > 1:
            wrong.append("not one seed: " + ", ".join(f"{n} {s}" for n, s in seeds.items()))
    shown = "every run as the lab's commands" if not wrong else "; ".join(wrong)
    wanted = "; ".join(
        f"{name}: " + (" ".join(f"--{k}={v}" for k, v in settings.items()) or "the defaults")
        for name, settings in lab.runs.items()
    )
    same = "; every run the same seed, one of" if lab.same_seed else "; seeds in"
    return shown, f"{wanted}{same} {lab.seeds}", not wrong


def check_files(lab, results):
    """Every system's summary and series are there, and the plot."""
    missing = [s for s in lab.systems if s not in results.systems]
    for s in lab.systems:
        if not os.path.isfile(os.path.join(results.directory, f"{s}-mean.csv")):
            missing.append(f"{s}-mean.csv")
    if not os.path.isfile(os.path.join(results.directory, "bandwidth.png")):
        missing.append("bandwidth.png (run with plots on)")
    shown = "all there" if not missing else "missing: " + ", ".join(missing)
    return shown, "systems " + ", ".join(lab.systems) + " + their CSV + bandwidth.png", not missing


def useful(system, lo, hi):
    return lambda r: within(r.system(system)["useful_kbps"], lo, hi, " kbps")


def ratio_useful(a, b, lo):
    def f(r):
        denominator = r.system(b)["useful_kbps"]
        value = r.system(a)["useful_kbps"] / denominator if denominator > 0 else float("inf")
        return at_least(value, lo, "x")

    return f


def above_share(a, b, lo):
    """Share of the window's seconds in which a's mean useful bandwidth exceeds b's."""

    def f(r):
        ra = {row["time_s"]: row["useful_kbps"] for row in r.window_rows(a)}
        rb = {row["time_s"]: row["useful_kbps"] for row in r.window_rows(b)}
        common = sorted(set(ra) & set(rb))
        if not common:
            return "no common seconds", f">= {100 * lo:g}%", False
        share = sum(1 for t in common if ra[t] > rb[t]) / len(common)
        return f"{100 * share:.0f}% of {len(common)} s", f">= {100 * lo:g}%", share >= lo

    return f


def steady(system, max_cv):
    """The mean useful bandwidth is steady over the window (coefficient of variation)."""

    def f(r):
        values = [row["useful_kbps"] for row in r.window_rows(system)]
        if len(values) < 2:
            return "too few samples", f"<= {max_cv:g}", False
        mean = sum(values) / len(values)
        var = sum((v - mean) ** 2 for v in values) / (len(values) - 1)
        cv = math.sqrt(var) / mean if mean > 0 else float("inf")
        return f"{cv:.3f}", f"<= {max_cv:g}", cv <= max_cv

    return f


def tree_field(system, field, lo, hi, unit=""):
    return lambda r: within(float(r.system(system)["tree"][field]), lo, hi, unit)


def field(system, key, lo, hi, unit="", scale=1.0, digits=1):
    return lambda r: within(scale * float(r.system(system)[key]), lo, hi, unit, digits)


def mesh_share(system, lo, hi):
    """Share of the useful bandwidth that did not come from the tree parent."""

    def f(r):
        s = r.system(system)
        share = 1 - s["from_parent_kbps"] / s["useful_kbps"] if s["useful_kbps"] > 0 else 0.0
        return within(100 * share, 100 * lo, 100 * hi, "%")

    return f


def deeper(a, b, lo):
    """Tree a's depth over tree b's."""

    def f(r):
        da, db = r.system(a)["tree"]["depth"], r.system(b)["tree"]["depth"]
        value = da / db if db > 0 else float("inf")
        return f"{da} / {db} = {value:.1f}x", f">= {lo:g}x", value >= lo

    return f


def raw_over_useful(system, lo, hi):
    def f(r):
        s = r.system(system)
        value = s["raw_kbps"] / s["useful_kbps"] if s["useful_kbps"] > 0 else float("inf")
        return within(value, lo, hi, "x", 3)

    return f


# Lab 3 (tfrc-dumbbell, several runs): each run's summary.json has systems "tfrc" and "tcp"
# with their mean throughput and per-flow RTT, loss event rate, equation rate.


def check_each_run(lab, results, files, files_text):
    """Every run of a multi-run lab is there, with the lab's systems in its summary and the
    files files(lab) names (relative to the run's directory)."""
    missing = []
    for name in lab.runs:
        try:
            run = results.run(name)
        except ResultsError:
            missing.append(f"{name}/")
            continue
        missing += [f"{name}: system {s}" for s in lab.systems if s not in run.systems]
        missing += [f"{name}/{f}" for f in files(lab)
                    if not os.path.isfile(os.path.join(run.directory, f))]
    shown = "all there" if not missing else "missing: " + ", ".join(missing)
    runs = ", ".join(f"{name}/" for name in lab.runs)
    return shown, f"{runs} each with {files_text}", not missing


def check_run_files(lab, results):
    """Lab 3: both kinds of flow in each run's summary, and its flows.csv."""
    return check_each_run(lab, results, lambda lab: ["flows.csv"],
                          f"systems {' and '.join(lab.systems)} + flows.csv")


def friendliness_of(run):
    """TFRC's mean throughput over TCP's (the friendliness ratio) of one run."""
    tfrc = float(run.system("tfrc")["throughput_kbps"])
    tcp = float(run.system("tcp")["throughput_kbps"])
    return tfrc / tcp if tcp > 0 else float("inf")


def friendliness(name, lo, hi):
    return lambda r: within(friendliness_of(r.run(name)), lo, hi, "x", 2)


def friendliness_over(a, b, lo):
    """Run a's friendliness ratio over run b's."""

    def f(r):
        fa, fb = friendliness_of(r.run(a)), friendliness_of(r.run(b))
        value = fa / fb if fb > 0 else float("inf")
        return f"{fa:.2f} / {fb:.2f} = {value:.2f}x", f">= {lo:g}x", value >= lo

    return f


def link_filled(names, lo, hi):
    """In every run, TFRC's and TCP's throughputs add up to nearly the bottleneck's rate."""

    def f(r):
        shown, ok = [], True
        for name in names:
            run = r.run(name)
            total = sum(float(run.system(s)["throughput_kbps"]) for s in ("tfrc", "tcp"))
            shown.append(f"{name} {total:.0f}")
            ok = ok and lo <= total <= hi
        return ", ".join(shown) + " kbps", f"[{lo:g}, {hi:g}] kbps each", ok

    return f


def tfrc_on_equation(name, lo, hi):
    """TFRC's throughput over the TCP equation's rate at its own measured RTT and p."""

    def f(r):
        flows = r.run(name).system("tfrc")["flows"]
        shares = [float(fl["throughput_kbps"]) / float(fl["equation_kbps"]) for fl in flows]
        if not shares:
            raise KeyError("tfrc flows")
        return within(sum(shares) / len(shares), lo, hi, "x", 2)

    return f


def tcp_rtt(name, lo, hi):
    """The TCP flows' mean RTT (the bottleneck queue's delay on top of the 44 ms path)."""

    def f(r):
        flows = r.run(name).system("tcp")["flows"]
        if not flows:
            raise KeyError("tcp flows")
        return within(sum(float(fl["rtt_ms"]) for fl in flows) / len(flows), lo, hi, " ms", 0)

    return f


# Lab 4 (file-distribution, several runs of Bullet' alone): each run's summary.json has the
# system "bullet-prime" with its receivers' completion times (completion_s, mean, median, ...).


def check_prime_files(lab, results):
    """Lab 4: Bullet''s results in each run, its per-receiver CSV and its CDF plot."""
    return check_each_run(
        lab, results,
        lambda lab: [f"{s}-nodes.csv" for s in lab.systems] + ["completion-cdf.png"],
        f"{' and '.join(lab.systems)}, its nodes CSV and completion-cdf.png")


def completion(run, key):
    """Bullet's completion time of one run: key is mean, median, p90 or max."""
    return float(run.system("bullet-prime")[f"completion_{key}_s"])


def all_complete(names):
    """In every run, every receiver finished the file (before --maxTime)."""

    def f(r):
        shown, ok = [], True
        for name in names:
            s = r.run(name).system("bullet-prime")
            done, receivers = int(s["completed"]), int(s["receivers"])
            shown.append(f"{name} {done}/{receivers}")
            ok = ok and receivers > 0 and done == receivers
        return ", ".join(shown), "every receiver, every run", ok

    return f


def completion_in(name, key, lo, hi):
    return lambda r: within(completion(r.run(name), key), lo, hi, " s")


def completion_over(a, b, key, lo):
    """Run a's completion time (key) over run b's: a at least lo times slower."""

    def f(r):
        ta, tb = completion(r.run(a), key), completion(r.run(b), key)
        value = ta / tb if tb > 0 else float("inf")
        return f"{ta:.1f} / {tb:.1f} s = {value:.2f}x", f">= {lo:g}x", value >= lo

    return f


def near_best(name, others, key, hi):
    """Run name's completion time (key) over the best (smallest) of the runs others."""

    def f(r):
        t = completion(r.run(name), key)
        best_name = min(others, key=lambda o: completion(r.run(o), key))
        best = completion(r.run(best_name), key)
        value = t / best if best > 0 else float("inf")
        return (f"{t:.1f} / {best:.1f} s ({best_name}) = {value:.2f}x", f"<= {hi:g}x",
                value <= hi)

    return f

# Lab 4's five runs: two request strategies on the 2008 mesh (Figure 15), three limits on the
# outstanding blocks per sender on a long fat pipe (Figure 18), scaled down.
LAB4_STRATEGY = {"systems": "bullet-prime", "nodes": "20", "size": "5000000",
                 "payload": "virtual"}
LAB4_PIPE = {"systems": "bullet-prime", "nodes": "15", "size": "20000000",
             "payload": "virtual", "blockSize": "8192", "accessKbps": "10000",
             "coreKbps": "10000", "coreDelayMin": "100", "coreDelayMax": "100",
             "coreLoss": "0", "peers": "5", "tcpBuffer": "2000000"}
LAB4_SETTINGS = {
    "first": dict(LAB4_STRATEGY, strategy="first"),
    "rarest-random": dict(LAB4_STRATEGY, strategy="rarest-random"),
    "outstanding-3": dict(LAB4_PIPE, outstanding="3"),
    "outstanding-50": dict(LAB4_PIPE, outstanding="50"),
    "outstanding-dynamic": dict(LAB4_PIPE, outstanding="dynamic"),
}
LAB4_RUNS = list(LAB4_SETTINGS)


# Lab 5 (ransub-subsets, several runs of RanSub alone): each run's summary.json has the system
# "ransub"; its subsets.csv holds every delivered subset (members as client indices), its
# appearances.csv each node's parent, appearances in the others' subsets, their expected count
# and variance. The expectations recompute what they test from these files.


def chi_square_survival(x, dof):
    """P(X >= x) for X chi-square with dof degrees of freedom: the regularized upper incomplete
    gamma function Q(dof/2, x/2) (series below a + 1, continued fraction above)."""
    if x <= 0:
        return 1.0
    a, z = dof / 2, x / 2
    log_prefix = -z + a * math.log(z) - math.lgamma(a)
    if z < a + 1:
        term = total = 1 / a
        n = 1
        while abs(term) >= abs(total) * 1e-15 and n < 10000:
            term *= z / (a + n)
            total += term
            n += 1
        return max(0.0, 1 - total * math.exp(log_prefix))
    tiny = 1e-300
    b = z + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for i in range(1, 10000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        h *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return min(1.0, math.exp(log_prefix) * h)


def ransub_csv(run, name):
    """The rows of one of a run's CSV files (read once)."""
    key = "csv:" + name
    if key not in run._series:
        path = os.path.join(run.directory, name)
        if not os.path.isfile(path):
            raise ResultsError(f"{path} is missing")
        with open(path) as f:
            run._series[key] = list(csv.DictReader(f))
    return run._series[key]


class RanSubRun:
    """One ransub-subsets run: its tree (from appearances.csv) and its subsets."""

    def __init__(self, run):
        self.run = run
        self.summary = run.system("ransub")
        nodes = ransub_csv(run, "appearances.csv")
        self.parent = {int(r["node"]): int(r["parent"]) for r in nodes}
        self.nodes = nodes
        self.root = next(v for v, p in self.parent.items() if p < 0)
        self.epoch_s = float(run.summary["epoch_s"])
        # ancestors of every node: a member is a descendant of x if x is among its ancestors
        self.ancestors = {}
        for v in self.parent:
            chain, u = set(), self.parent[v]
            while u >= 0 and u not in chain:
                chain.add(u)
                u = self.parent[u]
            self.ancestors[v] = chain
        self.descendants = {v: 0 for v in self.parent}
        for v, chain in self.ancestors.items():
            for a in chain:
                self.descendants[a] += 1
        self.subsets = []  # (time_s, epoch, node, population, [members], counted)
        for r in ransub_csv(run, "subsets.csv"):
            members = [int(m) for m in r["members"].split()]
            self.subsets.append((float(r["time_s"]), int(r["epoch"]), int(r["node"]),
                                 int(r["population"]), members, r["counted"] == "1"))
        self.epochs = [(int(r["epoch"]), float(r["root_start_s"]))
                       for r in ransub_csv(run, "epochs.csv")]

    def is_descendant(self, node, member):
        return node in self.ancestors.get(member, ())

    def counted(self):
        return [s for s in self.subsets if s[5] and s[4]]


def lab5_epochs(run):
    """The epochs a run's root was to start (--epochs)."""
    return int(run.options.get("epochs", PROGRAM_DEFAULTS["ransub-subsets"]["epochs"]))


def ransub_run(results, name):
    key = "ransub-run"
    run = results.run(name)
    if key not in run._series:
        run._series[key] = RanSubRun(run)
    return run._series[key]


def check_ransub_files(lab, results):
    """Lab 5: RanSub's results in each run, its three CSV files, the plot of the first two."""
    return check_each_run(
        lab, results,
        lambda lab: ["appearances.csv", "epochs.csv", "subsets.csv", "appearances.png"],
        "systems.ransub, appearances.csv, epochs.csv, subsets.csv, appearances.png")


def no_descendants(name):
    """No subset of the run holds a node of its receiver's subtree (nondescendants mode)."""

    def f(r):
        rs = ransub_run(r, name)
        subsets = rs.counted()
        bad = sum(1 for _, _, node, _, members, _ in subsets
                  if any(rs.is_descendant(node, m) for m in members))
        if not subsets:
            return "no subsets", "0 of the subsets", False
        return f"{bad} of {len(subsets)} subsets", "0", bad == 0

    return f


def descendants_as_expected(name, lo, hi):
    """All mode: descendants are in the subsets as often as a uniform subset of all other
    nodes would hold them (observed descendant members over sum of size * descendants / P)."""

    def f(r):
        rs = ransub_run(r, name)
        observed = expected = 0.0
        for _, _, node, population, members, _ in rs.counted():
            observed += sum(1 for m in members if rs.is_descendant(node, m))
            if population > 0:
                expected += len(members) * rs.descendants[node] / population
        if expected <= 0:
            return "no node with descendants", f"[{lo:g}, {hi:g}]x", False
        value = observed / expected
        return (f"{observed:.0f} descendant members / {expected:.0f} expected = {value:.2f}x",
                f"[{lo:g}, {hi:g}]x", lo <= value <= hi)

    return f


def uniform(name, alpha):
    """Each node appears in the others' subsets as often as uniform subsets give it: chi-square
    of appearances against expected counts, each node's variance the epoch-to-epoch one
    (appearances.csv), p-value at least alpha."""

    def f(r):
        rows = ransub_csv(r.run(name), "appearances.csv")
        statistic, cells = 0.0, 0
        for row in rows:
            observed, expected = float(row["appearances"]), float(row["expected"])
            variance = float(row["variance"])
            if expected > 0 and variance > 0:
                statistic += (observed - expected) ** 2 / variance
                cells += 1
        if cells < 2:
            return "fewer than 2 nodes to test", f"p >= {alpha:g}", False
        p = chi_square_survival(statistic, cells - 1)
        return (f"chi-square {statistic:.1f} on {cells - 1} dof, p = {p:.3f}", f"p >= {alpha:g}",
                p >= alpha)

    return f


def every_epoch(name, receivers):
    """The root started every epoch on time, and every receiver (receivers: "non-root" or
    "all") got a non-empty subset in every counted epoch."""

    def f(r):
        rs = ransub_run(r, name)
        wanted = lab5_epochs(r.run(name))
        starts = [t for _, t in rs.epochs]
        late = [b - a for a, b in zip(starts, starts[1:]) if b - a > 1.01 * rs.epoch_s]
        counted = {e for _, e, _, _, _, c in rs.subsets if c}
        got = {}
        for _, e, node, _, members, c in rs.subsets:
            if c and members:
                got[node] = got.get(node, 0) + 1
        expected_nodes = [v for v in rs.parent if receivers == "all" or v != rs.root]
        short = [v for v in expected_nodes if got.get(v, 0) < len(counted)]
        root_got = got.get(rs.root, 0)
        ok = len(starts) == wanted and not late and not short and (
            receivers == "all" or root_got == 0)
        shown = (f"{len(starts)} epochs, {len(late)} late; {len(expected_nodes) - len(short)}"
                 f"/{len(expected_nodes)} nodes with a subset in each of {len(counted)} epochs")
        if receivers != "all":
            shown += f", root {root_got}"
        return shown, (f"{wanted} epochs {rs.epoch_s:g} s apart; every "
                       f"{'node' if receivers == 'all' else 'node but the root (none)'}"
                       " every epoch"), ok

    return f


def subsets_change(name, lo, hi):
    """A node's subsets change every epoch as independent draws do: the mean share of a
    subset's members that were in the node's previous subset, over what independent uniform
    subsets give (previous size / population), for receivers whose population exceeds their
    subsets."""

    def f(r):
        rs = ransub_run(r, name)
        last = {}
        share = expected = 0.0
        pairs = 0
        for _, epoch, node, population, members, counted in sorted(
                rs.subsets, key=lambda s: s[1]):
            if not counted or not members:
                continue
            previous = last.get(node)
            if previous and previous[0] + 1 == epoch and population > max(len(previous[1]),
                                                                            len(members)):
                share += len(set(members) & set(previous[1])) / len(members)
                expected += len(previous[1]) / population
                pairs += 1
            last[node] = (epoch, members)
        if not pairs:
            return "no consecutive subsets", f"[{lo:g}, {hi:g}]x", False
        value = share / expected
        return (f"overlap {share / pairs:.3f}, independent draws {expected / pairs:.3f}: "
                f"{value:.2f}x over {pairs} pairs", f"[{lo:g}, {hi:g}]x", lo <= value <= hi)

    return f


def failure_of(r, name):
    rs = ransub_run(r, name)
    failure = rs.summary.get("failure")
    if not failure:
        raise KeyError("systems.ransub.failure")
    at = float(failure["at_s"])
    node = int(failure["node"])
    subtree = {v for v in rs.parent if v == node or rs.is_descendant(node, v)}
    # The epochs the root would have started after the failure: all of --epochs but those
    # started before it.
    wanted = lab5_epochs(r.run(name))
    due = wanted - sum(1 for _, t in rs.epochs if t <= at)
    after = sum(1 for _, t in rs.epochs if t > at)
    fresh = sum(1 for t, _, v, _, _, _ in rs.subsets if t > at and v not in subtree)
    outside = len(rs.parent) - len(subtree)
    return rs, at, subtree, due, after, fresh / outside if outside else 0.0


def stalled(name, most_epochs, most_fresh):
    """Without failure detection, RanSub stalls at the failure: the root starts at most
    most_epochs epochs after it, and the nodes outside the failed subtree get at most
    most_fresh fresh subsets each."""

    def f(r):
        _, _, subtree, due, after, fresh = failure_of(r, name)
        return (f"{after} of {due} epochs due after it, {fresh:.1f} fresh subsets per node "
                f"outside the failed subtree of {len(subtree)}",
                f"<= {most_epochs} epoch, <= {most_fresh:g} subset per node",
                after <= most_epochs and fresh <= most_fresh)

    return f


def keeps_going(name, share):
    """With failure detection, epochs go on at their period after the failure, and the nodes
    outside the failed subtree get a fresh subset in (nearly) every one."""

    def f(r):
        rs, _, subtree, due, after, fresh = failure_of(r, name)
        starts = [t for _, t in rs.epochs]
        late = [b - a for a, b in zip(starts, starts[1:]) if b - a > 1.01 * rs.epoch_s]
        ok = due > 0 and after >= share * due and not late and fresh >= share * due
        return (f"{after} of {due} epochs due after it, {len(late)} late; {fresh:.1f} fresh "
                f"subsets per node outside the failed subtree of {len(subtree)}",
                f">= {100 * share:g}% of the epochs due, none late, as many subsets", ok)

    return f


def failed_forgotten(name, after_epochs):
    """With failure detection, from after_epochs epochs after the failure on, no subset holds
    a node of the failed subtree (its collects stop, the parent drops it)."""

    def f(r):
        rs, at, subtree, _, _, _ = failure_of(r, name)
        start = {e: t for e, t in rs.epochs}
        later = [s for s in rs.subsets
                 if start.get(s[1], 0) > at + (after_epochs - 1) * rs.epoch_s]
        bad = sum(1 for s in later if any(m in subtree for m in s[4]))
        nth = {1: "1st", 2: "2nd", 3: "3rd"}.get(after_epochs, f"{after_epochs}th")
        return (f"{bad} of {len(later)} subsets", f"0, from the {nth} epoch after the failure on",
                bool(later) and bad == 0)

    return f


# Lab 5's four runs: RanSub-nondescendants (Bullet) and RanSub-all (Bullet'), then the 2003
# paper's failure of the root's largest child without and with RanSub's failure detection.
LAB5_SETTINGS = {
    "nondescendants": {"nodes": "50", "mode": "nondescendants", "epochs": "100"},
    "all": {"nodes": "50", "mode": "all", "epochs": "100"},
    "no-detection": {"nodes": "50", "mode": "nondescendants", "epochs": "40", "failAt": "100",
                     "failureDetection": "false"},
    "detection": {"nodes": "50", "mode": "nondescendants", "epochs": "40", "failAt": "100",
                  "failureDetection": "true"},
}


# The ranges of doc/labs: the values measured on the seeds each lab accepts (given in the
# comments) with a margin; the lab documents show them.
LABS = {
    1: Lab(
        1,
        "Trees and the bandwidth they can carry (2003 Figure 6)",
        "tree-streaming",
        {"tree": "both", "clients": "50", "topoNodes": "5000", "duration": "120",
         "profile": "medium", "rate": "600"},
        [1, 2],
        ["bottleneck-tree", "random-tree"],
        [
            # 600.0, 600.0
            ("bottleneck tree: mean useful bandwidth", useful("bottleneck-tree", 570, 610)),
            # 192.0, 213.6
            ("random tree: mean useful bandwidth", useful("random-tree", 150, 260)),
            # 3.12, 2.81
            ("bottleneck tree carries at least 2x the random tree",
             ratio_useful("bottleneck-tree", "random-tree", 2.0)),
            # 100%, 100%
            ("bottleneck tree above the random tree, second by second",
             above_share("bottleneck-tree", "random-tree", 0.95)),
            # 813.0, 807.2
            ("bottleneck tree: estimated bottleneck",
             tree_field("bottleneck-tree", "estimated_bottleneck_kbps", 600, 1000, " kbps")),
            # 196.5, 228.5
            ("random tree: estimated bottleneck",
             tree_field("random-tree", "estimated_bottleneck_kbps", 150, 300, " kbps")),
            # 30 / 8, 30 / 6
            ("bottleneck tree at least 2x as deep as the random tree",
             deeper("bottleneck-tree", "random-tree", 2.0)),
            # 0.000, 0.000
            ("bottleneck tree: steady stream over the window", steady("bottleneck-tree", 0.05)),
        ],
    ),
    2: Lab(
        2,
        "Bullet's mesh: recovering what the tree cannot carry (2003 Figure 7)",
        "bullet-streaming",
        {"systems": "bullet,random-tree", "clients": "50", "topoNodes": "5000",
         "duration": "120", "loss": "none", "profile": "medium", "rate": "600",
         "tree": "random", "disjoint": "true"},
        [1, 2],
        ["bullet", "random-tree"],
        [
            # 589.4, 596.2
            ("Bullet: mean useful bandwidth", useful("bullet", 530, 630)),
            # 192.0, 213.6 (lab 1's random tree: the same tree on the same network)
            ("random tree: mean useful bandwidth", useful("random-tree", 150, 260)),
            # 2.95, 2.85
            ("Bullet carries at least 2x the same random tree",
             ratio_useful("bullet", "random-tree", 2.0)),
            # 56.9%, 66.5%
            ("Bullet: share of useful data from the mesh (not the parent)",
             mesh_share("bullet", 0.40, 0.75)),
            # 1.079, 1.101
            ("Bullet: raw over useful bandwidth", raw_over_useful("bullet", 1.02, 1.25)),
            # 7.4%, 9.2%
            ("Bullet: duplicate fraction", field("bullet", "duplicate_fraction", 5, 18, "%",
                                                 scale=100)),
            # 41.1, 40.2
            ("Bullet: control traffic per node", field("bullet", "control_kbps", 25, 45,
                                                        " kbps")),
            # 6.78, 7.06
            ("Bullet: mean senders per receiver", field("bullet", "mean_senders", 4.5, 8, "",
                                                         digits=2)),
            # 100%, 100%
            ("Bullet above the random tree, second by second",
             above_share("bullet", "random-tree", 0.95)),
        ],
    ),
    3: Lab(
        3,
        "TFRC against TCP: friendliness, pacing and the competing TCP",
        "tfrc-dumbbell",
        None,
        [1, 2, 3, 4, 5],
        ["tfrc", "tcp"],
        [
            # seeds 1-5: 1.12 1.03 1.17 1.14 1.20 (6-10: 1.12 1.09 1.13 1.09 1.01)
            ("Poisson pacing: TFRC over TCP", friendliness("poisson", 0.8, 1.5)),
            # 2.09 on every seed (nothing else is random)
            ("exact pacing: TFRC over TCP", friendliness("exact", 1.7, 2.6)),
            # 1.91 2.29 2.09 2.00 2.38
            ("ns-3's TCP settings: TFRC over TCP", friendliness("ns3tcp", 1.6, 3.2)),
            # 1.74-2.02 (any two of the seeds: 2.09 over 1.03-1.20)
            ("exact pacing at least 1.5x as unfriendly as Poisson",
             friendliness_over("exact", "poisson", 1.5)),
            # 1.59-2.30 (any two of the seeds)
            ("ns-3's TCP settings at least 1.4x as unfriendly as Linux's",
             friendliness_over("ns3tcp", "poisson", 1.4)),
            # 954-965 kbps in every run and seed
            ("TFRC and TCP together fill the 1 Mbps link",
             link_filled(["poisson", "exact", "ns3tcp"], 900, 1000)),
            # 0.91 0.85 1.09 1.13 0.98
            ("Poisson pacing: TFRC's throughput over its equation's rate",
             tfrc_on_equation("poisson", 0.65, 1.5)),
            # 226 226 237 227 230 ms
            ("Poisson pacing: TCP's mean RTT", tcp_rtt("poisson", 180, 300)),
        ],
        runs={
            run: dict(
                {"tcpFlows": "1", "tfrcFlows": "1", "queue": "25", "duration": "300",
                 "ns3::TfrcSocket::Pacing": "poisson", "tcpMinRto": "200",
                 "tcpDelAckCount": "1"},
                **extra,
            )
            for run, extra in (
                ("poisson", {}),
                ("exact", {"ns3::TfrcSocket::Pacing": "exact"}),
                ("ns3tcp", {"tcpMinRto": "1000", "tcpDelAckCount": "2"}),
            )
        },
        files=check_run_files,
    ),
    4: Lab(
        4,
        "Bullet': what to ask for, and how much at once (2008 Figures 15 and 18)",
        "file-distribution",
        None,
        [1, 2, 3, 4, 5],
        ["bullet-prime"],
        [
            # 19/19 (strategy runs), 14/14 (outstanding runs) on seeds 1-5
            ("every receiver completes, every run", all_complete(LAB4_RUNS)),
            # seeds 1-5: 31.1 30.2 32.3 34.5 32.4 s
            ("first-encountered: median completion", completion_in("first", "median", 27, 40)),
            # 28.8 27.9 29.0 29.9 30.9 s
            ("rarest-random: median completion",
             completion_in("rarest-random", "median", 25, 35)),
            # same seed: 1.08 1.08 1.11 1.15 1.05
            ("first-encountered's median at least 1.03x rarest-random's",
             completion_over("first", "rarest-random", "median", 1.03)),
            # 92.4 98.7 95.1 92.9 93.9 s
            ("3 outstanding blocks: mean completion",
             completion_in("outstanding-3", "mean", 80, 115)),
            # 56.0 59.1 58.1 55.5 58.1 s
            ("50 outstanding blocks: mean completion",
             completion_in("outstanding-50", "mean", 48, 68)),
            # 57.7 58.6 58.2 60.2 60.1 s
            ("dynamic outstanding blocks: mean completion",
             completion_in("outstanding-dynamic", "mean", 50, 70)),
            # same seed: 1.60 1.68 1.63 1.54 1.56
            ("3 outstanding blocks at least 1.35x slower than dynamic (mean)",
             completion_over("outstanding-3", "outstanding-dynamic", "mean", 1.35)),
            # same seed: 1.03 0.99 1.00 1.08 1.03 (the best static run: 50 on every seed)
            ("dynamic within 15% of the best static value (mean)",
             near_best("outstanding-dynamic", ["outstanding-3", "outstanding-50"], "mean",
                       1.15)),
        ],
        runs=LAB4_SETTINGS,
        files=check_prime_files,
        same_seed=True,
    ),
    5: Lab(
        5,
        "RanSub's random subsets (2003 Sections 2.2 and 4.6, 2008 Section 3.3.1)",
        "ransub-subsets",
        None,
        [1, 2, 3, 4, 5],
        ["ransub"],
        [
            # 0 of 4851 subsets on each of seeds 1-5
            ("nondescendants: no subset holds a descendant of its receiver",
             no_descendants("nondescendants")),
            # seeds 1-5: p = 0.919 0.706 0.875 0.781 0.989 (6-10: 0.092 0.338 0.249 0.476 0.609)
            ("nondescendants: nodes appear uniformly (chi-square, 1% level)",
             uniform("nondescendants", 0.01)),
            # 100 epochs 5.00 s apart, 49/49 nodes in each of 99 epochs, root 0, on every seed
            ("nondescendants: every epoch on time, a subset for every node but the root",
             every_epoch("nondescendants", "non-root")),
            # overlap over independent draws' 1.03 1.00 0.98 0.96 0.96 (frozen subsets: about 4.6)
            ("nondescendants: subsets change between epochs as independent draws",
             subsets_change("nondescendants", 0.85, 1.15)),
            # descendant members over expected 0.97 0.99 1.00 0.98 1.00 (nondescendants: 0)
            ("all: descendants as often as the other nodes",
             descendants_as_expected("all", 0.85, 1.15)),
            # seeds 1-5: p = 0.022 0.460 0.716 0.530 0.697 (6-10: 0.193 0.494 0.063 0.165 0.268)
            ("all: nodes appear uniformly (chi-square, 1% level)", uniform("all", 0.01)),
            # 100 epochs 5.00 s apart, 50/50 nodes in each of 99 epochs, on every seed
            ("all: every epoch on time, a subset for every node", every_epoch("all", "all")),
            # 1 of 20 epochs after the failure, 1.0 fresh subsets per node, on every seed
            ("no failure detection: RanSub stalls at the failure",
             stalled("no-detection", 1, 1.0)),
            # 20 of 20 epochs, none late, 20.0 fresh subsets per node, on every seed
            ("failure detection: epochs and subsets go on after the failure",
             keeps_going("detection", 0.95)),
            # 0 of 456 589 247 95 114 subsets (the 1st epoch after: 23 28 12 4 5 still do)
            ("failure detection: the failed subtree leaves the subsets",
             failed_forgotten("detection", 2)),
        ],
        runs=LAB5_SETTINGS,
        files=check_ransub_files,
    ),
}


# Lab 6 (real hosts through the emulator): one directory, results/lab6, with what its
# commands wrote: emulator/ (bullet-emulator's summary.json and hostmap.json: the pairs'
# emulated paths and its lag report), ping-0-1.txt and ping-0-2.txt (ping's own output),
# iperf3-0-2.json (iperf3 -J), emulate/ (./ns3 emulate's summary.json) and simulation/
# (file-distribution's results on the same INET core). Each part's options are checked
# against its command's; options that change nothing here may be anything.

# bullet-emulator's defaults (its --PrintHelp) and ./ns3 emulate's (emulation/emulate.py,
# COMMON and SPECIFIC), for the options lab 6 fixes or a student may spell out.
EMULATOR_DEFAULTS = {
    "hosts": "2", "topology": "dumbbell", "topoNodes": "0", "profile": "medium",
    "loss": "none", "seed": "1", "distill": "false", "queue": "10", "maxLag": "1",
    "lateFraction": "0.001", "stopOnLag": "false", "rtPriority": "0", "attach": "fd",
}
EMULATE_DEFAULTS = {
    "hosts": "6", "topology": "dumbbell", "topoNodes": "3037", "profile": "medium",
    "loss": "none", "seed": "1", "rtPriority": "50", "lateFraction": "0.05", "vms": "0",
    "systems": "bullet-prime", "size": "2MB", "blockSize": "16384", "btClients": "",
}
LAB6_NEUTRAL = {"outdir", "plot", "quiet", "prefix", "duration", "report", "hostmap", "timeout"}
LAB6_SEEDS = [1, 2, 3]
LAB6_EMULATOR = {"hosts": "3", "topoNodes": "3037", "profile": "medium", "rtPriority": "50",
                 "lateFraction": "0.05"}
LAB6_EMULATE = {"hosts": "6", "topology": "inet", "topoNodes": "3037", "profile": "medium",
                "size": "2000000", "systems": "bullet-prime"}
LAB6_SIMULATION = {"topology": "inet", "nodes": "6", "source": "0", "topoNodes": "3037",
                   "profile": "medium", "size": "2000000", "systems": "bullet-prime"}
# The pairs part 1 measures: host 0 to hosts 1 and 2 (172.16.<i>.2), and what it runs.
LAB6_PINGS = {"ping-0-1.txt": (0, 1), "ping-0-2.txt": (0, 2)}
LAB6_PING_COUNT = 20
LAB6_IPERF = ("iperf3-0-2.json", 0, 2)
LAB6_IPERF_TEST = {"protocol": "TCP", "num_streams": 1, "duration": 10, "omit": 2, "reverse": 0}
LAB6_PARTS = {"emulator": "bullet-emulator", "emulate": "file-distribution",
              "simulation": "file-distribution"}
LAB6_FILES = ["emulator/summary.json", "emulator/hostmap.json", *LAB6_PINGS, LAB6_IPERF[0],
              "emulate/summary.json", "emulate/bullet-prime-nodes.csv",
              "simulation/summary.json", "simulation/bullet-prime-nodes.csv",
              "simulation/completion-cdf.png"]


def size_bytes(text):
    """A file size as ./ns3 emulate reads it (2MB, 500kB, 1MiB, 2000000), or the text."""
    units = {"": 1, "B": 1, "kB": 1e3, "KB": 1e3, "MB": 1e6, "GB": 1e9, "KiB": 1024,
             "MiB": 1 << 20, "GiB": 1 << 30}
    number = text.rstrip("kKMGiB")
    try:
        return str(int(float(number) * units[text[len(number):]]))
    except (ValueError, KeyError):
        return text


class LabSixResults:
    """Lab 6's directory: the parts its commands wrote. A part that is missing makes its
    expectations fail; a directory with none of the three summaries, or a summary of another
    program, cannot be checked at all."""

    def __init__(self, directory, lab):
        self.directory = directory
        require_directory(directory, "commands")
        if os.path.isfile(os.path.join(directory, "summary.json")):
            raise ResultsError(f"{directory} is the directory of one run, not lab 6's (give the "
                               "directory that holds emulator/, emulate/ and simulation/, e.g. "
                               "results/lab6)")
        self._parts = {}
        for part, program in LAB6_PARTS.items():
            path = os.path.join(directory, part, "summary.json")
            if not os.path.isfile(path):
                continue
            try:
                with open(path) as f:
                    summary = json.load(f)
            except (OSError, ValueError) as e:
                raise ResultsError(f"{path} is not readable JSON: {e}") from None
            if not isinstance(summary, dict) or summary.get("experiment") != program:
                got = summary.get("experiment") if isinstance(summary, dict) else None
                raise ResultsError(f"{path} is a result of '{got}', lab 6's {part}/ is "
                                   f"{program}'s")
            # ./ns3 emulate's summary has the emulation object, the simulation's has not
            if (part == "emulate") != isinstance(summary.get("emulation"), dict):
                raise ResultsError(f"{path}: {part}/ is the result of "
                                   + ("./ns3 emulate" if part == "emulate" else
                                      "a simulation (./ns3 run)") + ", this one is not")
            words = str(summary.get("args", "")).split()
            if part == "emulate" and words and not words[0].startswith("--"):
                words = words[1:]  # ./ns3 emulate's args start with the program
            summary["options"] = parse_args_line(" ".join(words))
            self._parts[part] = summary
        if not self._parts:
            wanted = ", ".join(f"{part}/summary.json" for part in LAB6_PARTS)
            raise ResultsError(f"{directory} has none of {wanted}: not the results of lab 6 "
                               "(give the directory of its commands' results, results/lab6)")

    def part(self, name):
        if name not in self._parts:
            raise ResultsError(f"{name}/summary.json missing: run its command")
        return self._parts[name]

    def path(self, name):
        return os.path.join(self.directory, name)

    def hostmap_path(self, a, b):
        """The emulated path from host a to host b in part 1's host map."""
        try:
            with open(self.path(os.path.join("emulator", "hostmap.json"))) as f:
                paths = json.load(f)["paths"]
        except (OSError, ValueError) as e:
            raise ResultsError(f"emulator/hostmap.json unreadable: {e}") from None
        for p in paths:
            if p["from"] == a and p["to"] == b:
                return p
        raise KeyError(f"path {a} -> {b}")

    def ping(self, name):
        """(destination, transmitted, received, the replies' RTTs in ms) of ping's output."""
        try:
            with open(self.path(name)) as f:
                text = f.read()
        except OSError:
            raise ResultsError(f"{name} missing: run its ping") from None
        head = re.search(r"^PING (\S+)", text, re.M)
        counts = re.search(r"(\d+) packets transmitted, (\d+) received", text)
        rtts = [float(t) for t in re.findall(r"^\d+ bytes from .* time=([0-9.]+) ms", text, re.M)]
        if not head or not counts:
            raise ResultsError(f"{name} is not the output of ping (no PING line or statistics)")
        return head.group(1), int(counts.group(1)), int(counts.group(2)), rtts

    def iperf(self):
        name = LAB6_IPERF[0]
        try:
            with open(self.path(name)) as f:
                result = json.load(f)
            return result["start"], result["end"]
        except OSError:
            raise ResultsError(f"{name} missing: run its iperf3 -J") from None
        except (ValueError, KeyError, TypeError) as e:
            raise ResultsError(f"{name} is not iperf3's JSON (-J) of a finished test: {e}") \
                from None


def lab6_options_wrong(part, options, settings, defaults):
    wrong = []
    for name, wanted in settings.items():
        got = options.get(name, defaults.get(name))
        if name == "size" and got is not None:
            got = size_bytes(got)
        ok = got is not None and same_value(got, wanted)
        if name == "systems" and got is not None:
            ok = sorted(got.split(",")) == sorted(wanted.split(","))
        if not ok:
            wrong.append(f"{part}: --{name}={got if got is not None else '?'} (lab: {wanted})")
    extra = [f"--{n}" for n in options
             if n not in settings and n not in LAB6_NEUTRAL and n != "seed"
             and not (n in defaults and same_value(options[n], defaults[n]))]
    if extra:
        wrong.append(f"{part}: options the lab does not set: " + " ".join(extra))
    return wrong


def lab6_settings(lab, r):
    """Every part as the lab's commands (any --outdir, --prefix, --duration), one seed for
    all; the pings and iperf3 between the lab's hosts, with its counts and options."""
    wrong, seeds = [], {}
    for part, settings, defaults in (
        ("emulator", LAB6_EMULATOR, EMULATOR_DEFAULTS),
        ("emulate", LAB6_EMULATE, EMULATE_DEFAULTS),
        ("simulation", LAB6_SIMULATION, PROGRAM_DEFAULTS["file-distribution"]),
    ):
        try:
            summary = r.part(part)
        except ResultsError:
            wrong.append(f"{part}: missing")
            continue
        options = summary["options"]
        if part == "emulator" and "topology" in options:
            wrong.append("emulator: --topology (lab: --topoNodes=3037, a generated INET core)")
        wrong += lab6_options_wrong(part, options, settings, defaults)
        seeds[part] = summary.get("seed")
    for part, seed in seeds.items():
        if seed not in lab.seeds:
            wrong.append(f"{part}: seed {seed} (lab: one of {lab.seeds})")
    if len(set(map(str, seeds.values()))) > 1:
        wrong.append("not one seed: " + ", ".join(f"{p} {s}" for p, s in seeds.items()))
    for name, (_, b) in LAB6_PINGS.items():
        try:
            dest, sent, _, _ = r.ping(name)
        except ResultsError:
            continue  # files says so
        if dest != f"172.16.{b}.2" or sent != LAB6_PING_COUNT:
            wrong.append(f"{name}: {sent} pings to {dest} (lab: {LAB6_PING_COUNT} to "
                         f"172.16.{b}.2)")
    try:
        start, _ = r.iperf()
        test = start["test_start"]
        connected = start["connected"][0]
        got = {k: test.get(k) for k in LAB6_IPERF_TEST}
        if got != LAB6_IPERF_TEST:
            wrong.append(f"{LAB6_IPERF[0]}: " + " ".join(f"{k}={v}" for k, v in got.items())
                         + " (lab: TCP, one stream, -t 10 -O 2)")
        pair = (connected["local_host"], connected["remote_host"])
        if pair != (f"172.16.{LAB6_IPERF[1]}.2", f"172.16.{LAB6_IPERF[2]}.2"):
            wrong.append(f"{LAB6_IPERF[0]}: from {pair[0]} to {pair[1]} (lab: host "
                         f"{LAB6_IPERF[1]} to host {LAB6_IPERF[2]})")
    except (ResultsError, KeyError, IndexError, TypeError):
        pass  # files and the goodput expectation say so
    shown = "every part as the lab's commands" if not wrong else "; ".join(wrong)
    return shown, f"the lab's commands, one seed in {lab.seeds} for all", not wrong


def lab6_files(lab, r):
    missing = [f for f in LAB6_FILES if not os.path.isfile(r.path(f))]
    shown = "all there" if not missing else "missing: " + ", ".join(missing)
    return shown, ", ".join(LAB6_FILES), not missing


def ping_over_path(name, lo, hi):
    """The median of ping's replies over the emulated path's ping RTT (the host map's
    ping_rtt_ms: propagation plus a default ping's transmission on every link); no loss."""

    def f(r):
        _, sent, received, rtts = r.ping(name)
        a, b = LAB6_PINGS[name]
        path = float(r.hostmap_path(a, b)["ping_rtt_ms"])
        if not rtts or received != sent:
            return (f"{received} of {sent} replies", f"all, median in [{lo:g}, {hi:g}]x of "
                    f"{path:.1f} ms", False)
        rtts = sorted(rtts)
        median = (rtts[(len(rtts) - 1) // 2] + rtts[len(rtts) // 2]) / 2
        value = median / path
        return (f"median {median:.2f} / {path:.2f} ms = {value:.3f}x, {received}/{sent} "
                "replies", f"[{lo:g}, {hi:g}]x, every reply", lo <= value <= hi)

    return f


def goodput_over_bottleneck(lo, hi):
    """iperf3's receiver goodput over the emulated path's bottleneck (host map)."""

    def f(r):
        _, end = r.iperf()
        goodput = float(end["sum_received"]["bits_per_second"]) / 1e6
        _, a, b = LAB6_IPERF
        bottleneck = float(r.hostmap_path(a, b)["bottleneck_mbps"])
        value = goodput / bottleneck
        return (f"{goodput:.3f} / {bottleneck:.3f} Mbit/s = {value:.3f}x",
                f"[{lo:g}, {hi:g}]x", lo <= value <= hi)

    return f


def emulator_kept_up(report, max_p99):
    """An emulator's lag report (its summary's "emulator"): kept within its allowance of
    late samples (FIDELITY OK), and its p99 lag."""
    late, samples = int(report["late_samples"]), int(report["samples"])
    allowed = float(report["late_fraction_allowed"])
    p99 = float(report["lag_ms"]["p99"])
    ok = bool(report["kept_up"]) and samples > 0 and late <= allowed * samples and p99 <= max_p99
    shown = (f"{'kept up' if report['kept_up'] else 'FELL BEHIND'}: {late}/{samples} samples "
             f"late ({100 * late / max(samples, 1):.2f}%), p99 {p99:.2f} ms, max "
             f"{float(report['lag_ms']['max']):.1f} ms")
    return shown, f"kept up, late <= {100 * allowed:g}%, p99 <= {max_p99:g} ms", ok


def part_one_fidelity(max_p99):
    return lambda r: emulator_kept_up(r.part("emulator")["emulator"], max_p99)


def real_hosts_fidelity(max_p99):
    def f(r):
        emulation = r.part("emulate")["emulation"]
        shown, wanted, ok = emulator_kept_up(emulation["emulator"], max_p99)
        ok = ok and bool(emulation["fidelity_ok"]) and emulation["emulator_exit_status"] == 0
        return shown, wanted + ", exit 0", ok

    return f


def real_hosts_complete(r):
    """Every receiver on the real hosts finished, with the source's bytes on disk."""
    summary = r.part("emulate")
    s = summary["systems"]["bullet-prime"]
    failed = summary["emulation"].get("failed_hosts") or []
    done, receivers = int(s["completed"]), int(s["receivers"])
    ok = receivers > 0 and done == receivers and s["bytes_verified"] is True and not failed
    shown = (f"{done}/{receivers} complete, bytes verified {str(s['bytes_verified']).lower()}"
             + (f", failed hosts {failed}" if failed else ""))
    return shown, "every receiver, bytes verified, no failed host", ok


def simulation_complete(r):
    s = r.part("simulation")["systems"]["bullet-prime"]
    done, receivers = int(s["completed"]), int(s["receivers"])
    return f"{done}/{receivers}", "every receiver", receivers > 0 and done == receivers


def real_over_simulated(key, lo, hi):
    """Bullet''s completion time (key: mean, max) on the real hosts over the simulation's."""

    def f(r):
        real = float(r.part("emulate")["systems"]["bullet-prime"][f"completion_{key}_s"])
        sim = float(r.part("simulation")["systems"]["bullet-prime"][f"completion_{key}_s"])
        value = real / sim if sim > 0 else float("inf")
        return (f"{real:.1f} / {sim:.1f} s = {value:.2f}x", f"[{lo:g}, {hi:g}]x",
                lo <= value <= hi)

    return f


LABS[6] = Lab(
    6,
    "Real hosts through the emulator",
    None,
    None,
    LAB6_SEEDS,
    ["bullet-prime"],
    [
        # Seeds 1-3, three runs each (load 5.8-10.8): 1.003 (every run), 1.002, 1.006-1.007
        ("ping 0 -> 1: median RTT over the emulated path's",
         ping_over_path("ping-0-1.txt", 0.99, 1.05)),
        # 1.001, 1.002, 1.008
        ("ping 0 -> 2: median RTT over the emulated path's",
         ping_over_path("ping-0-2.txt", 0.99, 1.05)),
        # 0.975 0.988 0.988, 0.971 0.948 0.970, 0.934 0.934 0.934
        ("iperf3 TCP 0 -> 2: goodput over the path's bottleneck",
         goodput_over_bottleneck(0.85, 1.0)),
        # late 0.04-0.31% of the samples, p99 0.08-0.14 ms, max 5.9-7.9 ms
        ("part 1's emulator kept up with real time", part_one_fidelity(5.0)),
        # 5/5, verified, in every run
        ("real hosts: every receiver completes, bytes verified", real_hosts_complete),
        # late 0.07-0.18%, p99 0.08-0.10 ms, max 7.8-9.3 ms
        ("real hosts: the emulator kept up with real time", real_hosts_fidelity(5.0)),
        # 5/5
        ("simulation: every receiver completes", simulation_complete),
        # 1.05 0.97 1.02, 1.09 0.99 0.95, 0.91 0.94 0.96; 1.01 0.97 1.09, 1.01, 0.90 0.94
        ("real over simulated: mean completion", real_over_simulated("mean", 0.8, 1.25)),
        # 1.11 0.98 1.11, 1.13 0.92 0.97, 0.99 0.96 1.04; six more runs of ./ns3 emulate
        # and one of the whole lab: 0.97 0.97 1.20, 0.93, 0.98 1.04 (the slowest receiver
        # alone varies more than the mean)
        ("real over simulated: slowest completion", real_over_simulated("max", 0.8, 1.35)),
    ],
    files=lab6_files,
    load=LabSixResults,
    settings_check=lab6_settings,
)


def check(lab, directory, out=sys.stdout):
    """Prints the lab's verdicts on directory; returns the exit status."""
    try:
        if lab.load:
            results = lab.load(directory, lab)
        else:
            results = RunSet(directory, lab) if lab.runs else Results(directory, lab)
    except ResultsError as e:
        print(f"check.py: lab {lab.number}: {e}", file=sys.stderr)
        return 2
    print(f"Lab {lab.number}: {lab.title}\nresults: {directory}", file=out)
    failed = 0
    rows = [("settings", lambda r: lab.settings_check(lab, r)),
            ("files", lambda r: lab.files(lab, r))]
    for what, function in rows + lab.expectations:
        try:
            shown, wanted, ok = function(results)
        except KeyError as e:
            shown, wanted, ok = f"missing {e} in summary.json", "present", False
        except ResultsError as e:
            shown, wanted, ok = str(e), "present", False
        except (TypeError, ValueError, ZeroDivisionError) as e:
            shown, wanted, ok = f"unreadable ({e})", "a number", False
        failed += not ok
        print(f"{'PASS' if ok else 'FAIL'}  {what}: {shown} (expected {wanted})", file=out)
    total = len(rows) + len(lab.expectations)
    print(f"{total - failed}/{total} expectations hold" + ("" if failed else ": lab passed"),
          file=out)
    return 0 if failed == 0 else 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lab", type=int, required=True, choices=sorted(LABS))
    parser.add_argument("results", help="the lab command's --outdir, e.g. results/lab1 (labs 3, "
                        "4, 5 and 6: the directory of their runs' --outdir, results/lab3)")
    args = parser.parse_args(argv)
    return check(LABS[args.lab], args.results)


if __name__ == "__main__":
    sys.exit(main())
