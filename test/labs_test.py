#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Tests of the labs (doc/labs/) and their checker (examples/labs/check.py).

CTest runs them (labs.LabOne, labs.LabThree, labs.LabFour, labs.LabFive, labs.LabSix,
labs.Checker) with NS3BULLET_BIN set to build/bin; by hand:

    NS3BULLET_BIN=build/bin python3 -m unittest -v test/labs_test.py

LabOneTest runs lab 1's command exactly as doc/labs/lab1-trees.md gives it (about a minute)
and asserts that the checker accepts its results; LabThreeTest does the same with lab 3's
three commands (doc/labs/lab3-tfrc.md, a few seconds each), LabFourTest with lab 4's five
(doc/labs/lab4-bullet-prime.md, 4-13 s each), LabFiveTest with lab 5's four
(doc/labs/lab5-ransub.md, 5-12 s each); all assert that the checker rejects doctored
copies of those results; CheckerTest asserts that the checker refuses what
is not a results directory.

LabSixTest runs lab 6's shell commands (doc/labs/lab6-real-hosts.md: namespace hosts, the
emulator, ping, iperf3, ./ns3 emulate and the simulation of the same network) as root, and
checks its results the same way; CTest runs it alone (labs.LabSix, RUN_SERIAL).
"""

import csv
import importlib.util
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.join(HERE, os.pardir)
CHECK = os.path.join(TOP, "examples", "labs", "check.py")
BIN = os.environ.get("NS3BULLET_BIN", os.path.join(TOP, "build", "bin"))

_spec = importlib.util.spec_from_file_location("check", CHECK)
checker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(checker)


LAB_DOCS = {1: "lab1-trees.md", 2: "lab2-mesh.md", 3: "lab3-tfrc.md", 4: "lab4-bullet-prime.md",
            5: "lab5-ransub.md"}


def lab_commands(lab):
    """The lab's commands (its ./ns3 run "..." lines with an --outdir, in order), from its
    document, each as a program and its args."""
    name = LAB_DOCS[lab]
    with open(os.path.join(TOP, "doc", "labs", name)) as f:
        text = f.read()
    commands = [m.split() for m in re.findall(r'\./ns3 run "([^"]+--outdir=[^"]+)"', text)]
    assert commands, f"{name} has no ./ns3 run line"
    return commands


def lab_command(lab):
    """The lab's first command."""
    return lab_commands(lab)[0]


def run_lab_command(words, tmp):
    """Runs a lab's command with its --outdir=results/X redirected to tmp/X; returns tmp/X."""
    program, args = words[0], words[1:]
    outdirs = [a[len("--outdir="):] for a in args if a.startswith("--outdir=")]
    assert len(outdirs) == 1 and outdirs[0].startswith("results/"), words
    outdir = os.path.join(tmp, *outdirs[0][len("results/"):].split("/"))
    args = [a for a in args if not a.startswith("--outdir=")]
    subprocess.run(
        [os.path.join(BIN, program), *args, f"--outdir={outdir}"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return outdir


def check(lab, directory):
    """(exit status, stdout, stderr) of the checker."""
    run = subprocess.run(
        [sys.executable, CHECK, f"--lab={lab}", directory], capture_output=True, text=True
    )
    return run.returncode, run.stdout, run.stderr


def verdicts(stdout, lab=1):
    """{expectation: True (PASS) / False (FAIL)} of the checker's output, for every
    expectation of the lab (the names contain colons: matched against the checker's list)."""
    names = ["settings", "files"] + [what for what, _ in checker.LABS[lab].expectations]
    result = {}
    for line in stdout.splitlines():
        for name in names:
            for word, ok in (("PASS", True), ("FAIL", False)):
                if line.startswith(f"{word}  {name}: "):
                    result[name] = ok
    return result


class LabOneTest(unittest.TestCase):
    """Lab 1's command, as the lab gives it, and the checker on its results."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lab1-")
        words = lab_command(1)
        program, args = words[0], words[1:]
        # The lab's own --outdir, redirected into the temporary directory.
        args = [a for a in args if not a.startswith("--outdir=")]
        cls.results = os.path.join(cls.tmp, "lab1")
        subprocess.run(
            [os.path.join(BIN, program), *args, f"--outdir={cls.results}"],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_checker_accepts_lab_one(self):
        status, out, err = check(1, self.results)
        self.assertEqual(status, 0, out + err)
        v = verdicts(out)
        self.assertEqual(len(v), 2 + len(checker.LABS[1].expectations), out)
        self.assertTrue(all(v.values()), out)
        self.assertIn("lab passed", out)

    def test_checker_rejects_swapped_trees(self):
        """The two trees' results exchanged (summary and series): the tree expectations fail."""
        doctored = os.path.join(self.tmp, "swapped")
        shutil.copytree(self.results, doctored)
        path = os.path.join(doctored, "summary.json")
        with open(path) as f:
            summary = json.load(f)
        systems = summary["systems"]
        systems["bottleneck-tree"], systems["random-tree"] = (
            systems["random-tree"],
            systems["bottleneck-tree"],
        )
        with open(path, "w") as f:
            json.dump(summary, f)
        a = os.path.join(doctored, "bottleneck-tree-mean.csv")
        b = os.path.join(doctored, "random-tree-mean.csv")
        os.rename(a, a + ".tmp")
        os.rename(b, a)
        os.rename(a + ".tmp", b)
        status, out, _ = check(1, doctored)
        self.assertEqual(status, 1, out)
        v = verdicts(out)
        self.assertTrue(v["settings"] and v["files"], out)
        for what in (
            "bottleneck tree: mean useful bandwidth",
            "random tree: mean useful bandwidth",
            "bottleneck tree carries at least 2x the random tree",
            "bottleneck tree above the random tree, second by second",
        ):
            self.assertFalse(v[what], what + "\n" + out)
        self.assertNotIn("lab passed", out)

    def test_checker_rejects_other_settings(self):
        """A run with other options or another seed fails the settings expectation."""
        for args, seed in (("--tree=both --clients=30", 1), ("--tree=both --clients=50 "
                           "--duration=120 --ns3::TfrcSocket::SegmentSize=500", 1),
                           (None, 7)):
            doctored = tempfile.mkdtemp(dir=self.tmp)
            shutil.rmtree(doctored)
            shutil.copytree(self.results, doctored)
            path = os.path.join(doctored, "summary.json")
            with open(path) as f:
                summary = json.load(f)
            if args is not None:
                summary["args"] = args
            summary["seed"] = seed
            with open(path, "w") as f:
                json.dump(summary, f)
            status, out, _ = check(1, doctored)
            self.assertEqual(status, 1, out)
            self.assertFalse(verdicts(out)["settings"], out)

    def test_checker_rejects_missing_plot(self):
        doctored = os.path.join(self.tmp, "noplot")
        shutil.copytree(self.results, doctored)
        os.remove(os.path.join(doctored, "bandwidth.png"))
        status, out, _ = check(1, doctored)
        self.assertEqual(status, 1, out)
        self.assertFalse(verdicts(out)["files"], out)

    def test_checker_refuses_the_other_lab(self):
        """Lab 1's results are not lab 2's: another program."""
        status, out, err = check(2, self.results)
        self.assertEqual(status, 2, out + err)
        self.assertIn("bullet-streaming", err)


class LabRuns(unittest.TestCase):
    """What the tests of a lab of several runs share: the lab's commands run once (each into
    its own subdirectory, RUNS), copies of their results to doctor, and the checker's verdicts
    on them. Subclasses set LAB and RUNS; this class has no tests of its own."""

    LAB = 0
    RUNS = ()

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lab%d-" % cls.LAB)
        cls.commands = lab_commands(cls.LAB)
        outdirs = [run_lab_command(words, cls.tmp) for words in cls.commands]
        cls.results = os.path.join(cls.tmp, "lab%d" % cls.LAB)
        assert outdirs == [os.path.join(cls.results, r) for r in cls.RUNS], outdirs

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def copy(self):
        doctored = tempfile.mkdtemp(dir=self.tmp)
        shutil.rmtree(doctored)
        shutil.copytree(self.results, doctored)
        return doctored

    @staticmethod
    def edit(directory, run, change):
        path = os.path.join(directory, run, "summary.json")
        with open(path) as f:
            summary = json.load(f)
        change(summary)
        with open(path, "w") as f:
            json.dump(summary, f)

    def failed(self, directory):
        """The expectations the checker fails on \\p directory (it must fail some), and its output."""
        status, out, _ = check(self.LAB, directory)
        self.assertEqual(status, 1, out)
        v = verdicts(out, self.LAB)
        self.assertEqual(len(v), 2 + len(checker.LABS[self.LAB].expectations), out)
        self.assertNotIn("lab passed", out)
        return {what for what, ok in v.items() if not ok}, out


class LabThreeTest(LabRuns):
    """Lab 3's three commands, as the lab gives them, and the checker on their results."""

    LAB = 3
    RUNS = ("poisson", "exact", "ns3tcp")

    def test_checker_accepts_lab_three(self):
        status, out, err = check(3, self.results)
        self.assertEqual(status, 0, out + err)
        v = verdicts(out, 3)
        self.assertEqual(len(v), 2 + len(checker.LABS[3].expectations), out)
        self.assertTrue(all(v.values()), out)
        self.assertIn("lab passed", out)

    def test_checker_rejects_exact_numbers_as_poisson(self):
        """The exact run's flows copied into the Poisson run (its options kept)."""
        doctored = self.copy()
        with open(os.path.join(self.results, "exact", "summary.json")) as f:
            exact = json.load(f)
        self.edit(doctored, "poisson", lambda s: s.update(systems=exact["systems"]))
        status, out, _ = check(3, doctored)
        self.assertEqual(status, 1, out)
        v = verdicts(out, 3)
        self.assertTrue(v["settings"] and v["files"], out)
        for what in (
            "Poisson pacing: TFRC over TCP",
            "exact pacing at least 1.5x as unfriendly as Poisson",
            "ns-3's TCP settings at least 1.4x as unfriendly as Linux's",
        ):
            self.assertFalse(v[what], what + "\n" + out)
        self.assertTrue(v["exact pacing: TFRC over TCP"], out)
        self.assertNotIn("lab passed", out)

    def test_checker_rejects_swapped_flows(self):
        """TFRC's and TCP's results exchanged in the ns3tcp run: only its expectations fail."""
        doctored = self.copy()

        def swap(summary):
            systems = summary["systems"]
            systems["tfrc"], systems["tcp"] = systems["tcp"], systems["tfrc"]

        self.edit(doctored, "ns3tcp", swap)
        status, out, _ = check(3, doctored)
        self.assertEqual(status, 1, out)
        v = verdicts(out, 3)
        failed = {what for what, ok in v.items() if not ok}
        self.assertEqual(
            failed,
            {"ns-3's TCP settings: TFRC over TCP",
             "ns-3's TCP settings at least 1.4x as unfriendly as Linux's"},
            out,
        )

    def test_checker_rejects_a_run_with_wrong_settings(self):
        """The exact run made without its pacing option (a real run): the settings line names
        the option, and the exact run's expectations fail."""
        doctored = self.copy()
        words = next(w for w in self.commands if any(a.endswith("/exact") for a in w))
        words = [a for a in words if not a.startswith("--ns3::TfrcSocket::Pacing=")]
        shutil.rmtree(os.path.join(doctored, "exact"))
        sub = os.path.relpath(doctored, self.tmp)
        words = [a.replace("results/lab3/", f"results/{sub}/") for a in words]
        run_lab_command(words, self.tmp)
        status, out, _ = check(3, doctored)
        self.assertEqual(status, 1, out)
        v = verdicts(out, 3)
        self.assertFalse(v["settings"], out)
        self.assertIn("exact: --ns3::TfrcSocket::Pacing=poisson (lab: exact)", out)
        self.assertFalse(v["exact pacing: TFRC over TCP"], out)
        self.assertFalse(v["exact pacing at least 1.5x as unfriendly as Poisson"], out)
        self.assertTrue(v["files"] and v["Poisson pacing: TFRC over TCP"], out)

    def test_checker_rejects_other_options_or_seed(self):
        """Options the lab does not set, or a seed it has not measured, fail settings; the
        lab's options written another way, or a default given explicitly, do not."""
        cases = (
            ("ns3tcp", lambda s: s.update(seed=6), False),
            ("poisson", lambda s: s.update(args=s["args"] + " --queue=10"), False),
            ("poisson", lambda s: s.update(args=s["args"] + " --red=1"), False),
            ("ns3tcp", lambda s: s.update(
                args=s["args"] + " --ns3::TcpSocket::DelAckTimeout=40ms"), False),
            ("exact", lambda s: s.update(args=s["args"].replace("Pacing=exact", "Pacing=jittered")),
             False),
            ("poisson", lambda s: s.update(
                args=s["args"] + " --red=0 --ns3::TfrcSocket::Pacing=Poisson --warmup=10"), True),
            ("exact", lambda s: s.update(args=s["args"].replace("Pacing=exact", "Pacing=Exact")),
             True),
        )
        for run, change, accepted in cases:
            doctored = self.copy()
            self.edit(doctored, run, change)
            status, out, _ = check(3, doctored)
            self.assertEqual(status, 0 if accepted else 1, out)
            self.assertEqual(verdicts(out, 3)["settings"], accepted, out)

    def test_checker_fails_a_missing_run(self):
        """Without the ns3tcp run: files, settings and its expectations fail, not the others."""
        doctored = self.copy()
        shutil.rmtree(os.path.join(doctored, "ns3tcp"))
        status, out, _ = check(3, doctored)
        self.assertEqual(status, 1, out)
        v = verdicts(out, 3)
        self.assertEqual(len(v), 2 + len(checker.LABS[3].expectations), out)
        for what in ("settings", "files", "ns-3's TCP settings: TFRC over TCP",
                     "TFRC and TCP together fill the 1 Mbps link"):
            self.assertFalse(v[what], what + "\n" + out)
        self.assertIn("run 'ns3tcp' missing", out)
        self.assertTrue(v["Poisson pacing: TFRC over TCP"] and v["exact pacing: TFRC over TCP"],
                        out)

    def test_checker_refuses_what_is_not_lab_three(self):
        """One run's directory instead of the lab's, lab 3's results as lab 1's, a run of
        another program, a broken summary: status 2 and a message."""
        status, out, err = check(3, os.path.join(self.results, "poisson"))
        self.assertEqual(status, 2, out + err)
        self.assertIn("none of poisson/summary.json", err)
        status, out, err = check(1, os.path.join(self.results, "poisson"))
        self.assertEqual(status, 2, out + err)
        self.assertIn("'tfrc-dumbbell', lab 1 runs 'tree-streaming'", err)
        doctored = self.copy()
        self.edit(doctored, "exact", lambda s: s.update(experiment="tree-streaming"))
        status, out, err = check(3, doctored)
        self.assertEqual(status, 2, out + err)
        self.assertIn("lab 3 runs 'tfrc-dumbbell'", err)
        with open(os.path.join(doctored, "exact", "summary.json"), "w") as f:
            f.write('{"experiment": "tfrc-dumbbell", ')
        status, out, err = check(3, doctored)
        self.assertEqual(status, 2, out + err)
        self.assertIn("not readable JSON", err)


class LabFourTest(LabRuns):
    """Lab 4's five commands, as the lab gives them, and the checker on their results."""

    LAB = 4
    RUNS = ("first", "rarest-random", "outstanding-3", "outstanding-50", "outstanding-dynamic")
    RATIO_STRATEGY = "first-encountered's median at least 1.03x rarest-random's"
    RATIO_OUTSTANDING = "3 outstanding blocks at least 1.35x slower than dynamic (mean)"
    NEAR_BEST = "dynamic within 15% of the best static value (mean)"

    def swap(self, a, b):
        """A copy with runs a's and b's results exchanged (their options kept)."""
        doctored = self.copy()
        systems = {}
        for run in (a, b):
            with open(os.path.join(self.results, run, "summary.json")) as f:
                systems[run] = json.load(f)["systems"]
        self.edit(doctored, a, lambda s: s.update(systems=systems[b]))
        self.edit(doctored, b, lambda s: s.update(systems=systems[a]))
        return doctored

    def test_checker_accepts_lab_four(self):
        status, out, err = check(4, self.results)
        self.assertEqual(status, 0, out + err)
        v = verdicts(out, 4)
        self.assertEqual(len(v), 2 + len(checker.LABS[4].expectations), out)
        self.assertTrue(all(v.values()), out)
        self.assertIn("lab passed", out)

    def test_checker_rejects_swapped_strategies(self):
        """First-encountered's and rarest-random's results exchanged: the strategy ratio fails
        (their ranges overlap: each alone is a plausible median)."""
        failed, out = self.failed(self.swap("first", "rarest-random"))
        self.assertEqual(failed, {self.RATIO_STRATEGY}, out)

    def test_checker_rejects_swapped_outstanding(self):
        """3 and dynamic outstanding blocks exchanged: exactly their expectations fail."""
        failed, out = self.failed(self.swap("outstanding-3", "outstanding-dynamic"))
        self.assertEqual(failed, {"3 outstanding blocks: mean completion",
                                  "dynamic outstanding blocks: mean completion",
                                  self.RATIO_OUTSTANDING, self.NEAR_BEST}, out)

    def test_checker_rejects_a_run_with_wrong_settings(self):
        """The first-encountered run made without its --strategy (a real run, so the default
        rarest-random): settings names the option, and the strategy ratio fails."""
        doctored = self.copy()
        words = next(w for w in self.commands if any(a.endswith("/first") for a in w))
        words = [a for a in words if not a.startswith("--strategy=")]
        shutil.rmtree(os.path.join(doctored, "first"))
        sub = os.path.relpath(doctored, self.tmp)
        words = [a.replace("results/lab4/", f"results/{sub}/") for a in words]
        run_lab_command(words, self.tmp)
        failed, out = self.failed(doctored)
        self.assertEqual(failed, {"settings", self.RATIO_STRATEGY}, out)
        self.assertIn("first: --strategy=rarest-random (lab: first)", out)

    def test_checker_rejects_other_options_or_seed(self):
        """Options the lab does not set, a seed it has not measured, or runs of different
        seeds fail settings; the lab's options written another way, defaults given
        explicitly, or options that change nothing do not."""
        cases = (
            ("first", lambda s: s.update(seed=6), False),
            ("outstanding-50", lambda s: s.update(seed=2), False),
            ("outstanding-50", lambda s: s.update(args=s["args"] + " --coreLoss=0.015"), False),
            ("first", lambda s: s.update(args=s["args"] + " --peers=10"), False),
            ("outstanding-dynamic", lambda s: s.update(
                args=s["args"].replace("--outstanding=dynamic", "--outstanding=15")), False),
            ("rarest-random", lambda s: s.update(
                args=s["args"].replace("--systems=bullet-prime", "--systems=bullet-prime,bullet")),
             False),
            ("first", lambda s: s.update(
                args=s["args"] + " --peers=dynamic --outstanding=dynamic --queue=10 --plot=false"),
             True),
            ("outstanding-3", lambda s: s.update(
                args=s["args"].replace("--coreLoss=0", "--coreLoss=0.000")), True),
        )
        for run, change, accepted in cases:
            doctored = self.copy()
            self.edit(doctored, run, change)
            status, out, _ = check(4, doctored)
            self.assertEqual(status, 0 if accepted else 1, out)
            self.assertEqual(verdicts(out, 4)["settings"], accepted, out)
        # Every run on another accepted seed: settings holds (the numbers are seed 1's).
        doctored = self.copy()
        for run in self.RUNS:
            self.edit(doctored, run, lambda s: s.update(seed=3))
        status, out, _ = check(4, doctored)
        self.assertEqual(status, 0, out)

    def test_checker_fails_a_missing_run(self):
        """Without the 50-block run: settings, files and the expectations that read it fail,
        not the others."""
        doctored = self.copy()
        shutil.rmtree(os.path.join(doctored, "outstanding-50"))
        failed, out = self.failed(doctored)
        self.assertEqual(failed, {"settings", "files", "every receiver completes, every run",
                                  "50 outstanding blocks: mean completion", self.NEAR_BEST},
                         out)
        self.assertIn("run 'outstanding-50' missing", out)

    def test_checker_fails_a_missing_plot(self):
        doctored = self.copy()
        os.remove(os.path.join(doctored, "rarest-random", "completion-cdf.png"))
        failed, out = self.failed(doctored)
        self.assertEqual(failed, {"files"}, out)

    def test_checker_refuses_what_is_not_lab_four(self):
        """One run's directory instead of the lab's, a run as lab 1's, a run of another
        program, a broken run summary: status 2 and a message."""
        status, out, err = check(4, os.path.join(self.results, "first"))
        self.assertEqual(status, 2, out + err)
        self.assertIn("none of first/summary.json", err)
        status, out, err = check(1, os.path.join(self.results, "first"))
        self.assertEqual(status, 2, out + err)
        self.assertIn("'file-distribution', lab 1 runs 'tree-streaming'", err)
        status, out, err = check(3, self.results)
        self.assertEqual(status, 2, out + err)
        doctored = self.copy()
        self.edit(doctored, "outstanding-3", lambda s: s.update(experiment="tfrc-dumbbell"))
        status, out, err = check(4, doctored)
        self.assertEqual(status, 2, out + err)
        self.assertIn("lab 4 runs 'file-distribution'", err)
        with open(os.path.join(doctored, "outstanding-3", "summary.json"), "w") as f:
            f.write('{"experiment": "file-distribution", ')
        status, out, err = check(4, doctored)
        self.assertEqual(status, 2, out + err)
        self.assertIn("not readable JSON", err)


class LabFiveTest(LabRuns):
    """Lab 5's four commands, as the lab gives them, and the checker on their results."""

    LAB = 5
    RUNS = ("nondescendants", "all", "no-detection", "detection")
    NO_DESCENDANT = "nondescendants: no subset holds a descendant of its receiver"
    UNIFORM = "nondescendants: nodes appear uniformly (chi-square, 1% level)"
    EVERY_EPOCH = "nondescendants: every epoch on time, a subset for every node but the root"
    CHANGE = "nondescendants: subsets change between epochs as independent draws"
    STALL = "no failure detection: RanSub stalls at the failure"
    GOING = "failure detection: epochs and subsets go on after the failure"
    FORGOTTEN = "failure detection: the failed subtree leaves the subsets"

    @staticmethod
    def rewrite_csv(path, change):
        """Rewrites a CSV file, each row (a dict) through change."""
        with open(path) as f:
            reader = csv.DictReader(f)
            fields, rows = reader.fieldnames, list(reader)
        with open(path, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=fields)
            writer.writeheader()
            for row in rows:
                change(row)
                writer.writerow(row)

    def test_checker_accepts_lab_five(self):
        status, out, err = check(5, self.results)
        self.assertEqual(status, 0, out + err)
        v = verdicts(out, 5)
        self.assertEqual(len(v), 2 + len(checker.LABS[5].expectations), out)
        self.assertTrue(all(v.values()), out)
        self.assertIn("lab passed", out)

    def test_checker_rejects_all_mode_as_nondescendants(self):
        """The all run's files in the nondescendants run's place, its options saying
        nondescendants: the descendant expectation fails (and the root's subsets show)."""
        doctored = self.copy()
        target = os.path.join(doctored, "nondescendants")
        shutil.rmtree(target)
        shutil.copytree(os.path.join(self.results, "all"), target)
        self.edit(doctored, "nondescendants", lambda s: s.update(
            args=s["args"].replace("--mode=all", "--mode=nondescendants"), mode="nondescendants"))
        failed, out = self.failed(doctored)
        self.assertEqual(failed, {self.NO_DESCENDANT, self.EVERY_EPOCH}, out)

    def test_checker_rejects_non_uniform_appearances(self):
        """appearances.csv doctored: the nodes near the root 30% more often, the others 10%
        less (the expected counts kept): uniformity fails, nothing else."""
        doctored = self.copy()

        def skew(row):
            factor = 1.3 if int(row["depth"]) <= 1 else 0.9
            row["appearances"] = f"{float(row['appearances']) * factor:.0f}"

        self.rewrite_csv(os.path.join(doctored, "nondescendants", "appearances.csv"), skew)
        failed, out = self.failed(doctored)
        self.assertEqual(failed, {self.UNIFORM}, out)

    def test_checker_rejects_subsets_that_never_change(self):
        """subsets.csv doctored: every node's subset is the one of its first epoch: the
        change expectation fails."""
        doctored = self.copy()
        first = {}

        def freeze(row):
            row["members"] = first.setdefault(row["node"], row["members"])

        self.rewrite_csv(os.path.join(doctored, "nondescendants", "subsets.csv"), freeze)
        failed, out = self.failed(doctored)
        self.assertEqual(failed, {self.CHANGE}, out)

    def test_checker_rejects_no_detection_as_detection(self):
        """The run without failure detection in the detection run's place, its options saying
        detection: RanSub's stall shows."""
        doctored = self.copy()
        target = os.path.join(doctored, "detection")
        shutil.rmtree(target)
        shutil.copytree(os.path.join(self.results, "no-detection"), target)
        self.edit(doctored, "detection", lambda s: s.update(
            args=s["args"].replace("--failureDetection=false", "--failureDetection=true")))
        failed, out = self.failed(doctored)
        self.assertEqual(failed, {self.GOING, self.FORGOTTEN}, out)

    def test_checker_rejects_other_options_or_seed(self):
        """Options the lab does not set or another seed fail settings; defaults given
        explicitly, the lab's options spelled otherwise, or options that change nothing do
        not."""
        cases = (
            ("all", lambda s: s.update(seed=6), False),
            ("nondescendants", lambda s: s.update(args=s["args"] + " --setSize=5"), False),
            ("nondescendants", lambda s: s.update(args=s["args"] + " --fanOut=3"), False),
            ("detection", lambda s: s.update(
                args=s["args"].replace("--failAt=100", "--failAt=150")), False),
            ("all", lambda s: s.update(args=s["args"].replace("--mode=all", "--mode=ordered")),
             False),
            ("nondescendants", lambda s: s.update(
                args=s["args"] + " --epoch=5.0 --setSize=10 --quiet --plot=true"), True),
            ("detection", lambda s: s.update(
                args=s["args"].replace("--failureDetection=true", "--failureDetection=1")), True),
        )
        for run, change, accepted in cases:
            doctored = self.copy()
            self.edit(doctored, run, change)
            status, out, _ = check(5, doctored)
            self.assertEqual(status, 0 if accepted else 1, out)
            self.assertEqual(verdicts(out, 5)["settings"], accepted, out)

    def test_checker_fails_a_missing_run_or_plot(self):
        doctored = self.copy()
        shutil.rmtree(os.path.join(doctored, "no-detection"))
        failed, out = self.failed(doctored)
        self.assertEqual(failed, {"settings", "files", self.STALL}, out)
        self.assertIn("run 'no-detection' missing", out)
        doctored = self.copy()
        os.remove(os.path.join(doctored, "all", "appearances.png"))
        failed, out = self.failed(doctored)
        self.assertEqual(failed, {"files"}, out)

    def test_checker_refuses_what_is_not_lab_five(self):
        """One run's directory instead of the lab's, a run as lab 1's, lab 5's directory as
        lab 4's, a run of another program, a broken run summary: status 2 and a message."""
        status, out, err = check(5, os.path.join(self.results, "all"))
        self.assertEqual(status, 2, out + err)
        self.assertIn("none of nondescendants/summary.json", err)
        status, out, err = check(1, os.path.join(self.results, "all"))
        self.assertEqual(status, 2, out + err)
        self.assertIn("'ransub-subsets', lab 1 runs 'tree-streaming'", err)
        status, out, err = check(4, self.results)
        self.assertEqual(status, 2, out + err)
        doctored = self.copy()
        self.edit(doctored, "all", lambda s: s.update(experiment="file-distribution"))
        status, out, err = check(5, doctored)
        self.assertEqual(status, 2, out + err)
        self.assertIn("lab 5 runs 'ransub-subsets'", err)
        with open(os.path.join(doctored, "all", "summary.json"), "w") as f:
            f.write('{"experiment": "ransub-subsets", ')
        status, out, err = check(5, doctored)
        self.assertEqual(status, 2, out + err)
        self.assertIn("not readable JSON", err)


# Lab 6 (doc/labs/lab6-real-hosts.md): real hosts through the emulator. Its commands are
# shell lines (namespaces, the emulator in the background, ping, iperf3, ./ns3 emulate), so
# the test runs them as the lab gives them, in bash, with ./ns3 run and ./ns3 emulate
# replaced by what they run (NS3BULLET_BIN's programs, emulation/emulate.py --bin), the
# results redirected to a temporary directory and the hosts' prefix made unique.


def missing_for_emulation():
    """What lab 6 needs and this machine lacks (as test/emulation-test.cc asks); '' if
    nothing."""
    if os.geteuid() != 0:
        return "not root: emulation needs root (TAP devices, network namespaces)"
    try:
        os.close(os.open("/dev/net/tun", os.O_RDWR))
    except OSError:
        return "no usable /dev/net/tun (TAP devices unavailable here)"
    probe = f"bullet-probe-{os.getpid()}"
    if subprocess.run(["ip", "netns", "add", probe], capture_output=True).returncode != 0:
        return "network namespaces unavailable (ip netns add failed)"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    for tool, package in (("ping", "iputils-ping"), ("iperf3", "iperf3")):
        if shutil.which(tool) is None:
            return f"{tool} not installed (./ns3 installs it: apt-get install {package})"
    return ""


LAB6_PREFIX = "l6"  # the hosts' prefix in lab 6's commands


def lab6_commands():
    """Lab 6's commands: the indented lines of its "Commands" section, in order, but the
    checker's (the test runs it on the results itself)."""
    with open(os.path.join(TOP, "doc", "labs", "lab6-real-hosts.md")) as f:
        text = f.read()
    section = text.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    lines = [line[4:] for line in section.splitlines() if line.startswith("    ")
             and not line[4:].startswith("python3 examples/labs/check.py")]
    assert lines, "lab6-real-hosts.md has no commands"
    return lines


def lab6_shell(line, prefix, results):
    """One of lab 6's lines as the test runs it: its own hosts' prefix, results/lab6 ->
    results, ./ns3 run and ./ns3 emulate -> what they run."""
    line = re.sub(rf"\b{LAB6_PREFIX}(?=h\d|\b)", prefix, line)
    line = line.replace("results/lab6", results)
    line = re.sub(r'\./ns3 run "([\w-]+) ([^"]*)"',
                  lambda m: f"{shlex.quote(os.path.join(BIN, m.group(1)))} {m.group(2)}", line)
    return re.sub(r'\./ns3 emulate ("[^"]*")',
                  lambda m: f"{shlex.quote(sys.executable)} emulation/emulate.py --bin "
                  f"{shlex.quote(BIN)} {m.group(1)}", line)


class LabSixTest(unittest.TestCase):
    """Lab 6's commands, as the lab gives them, and the checker on their results. As root,
    with TUN, network namespaces, ping and iperf3 (else skipped, saying what is missing);
    CTest runs it alone (RUN_SERIAL): the emulator and the nodes run in real time."""

    LAB = 6
    PING = "ping 0 -> 2: median RTT over the emulated path's"
    GOODPUT = "iperf3 TCP 0 -> 2: goodput over the path's bottleneck"
    COMPLETE = "real hosts: every receiver completes, bytes verified"
    FIDELITY = "part 1's emulator kept up with real time"
    REAL_MEAN = "real over simulated: mean completion"

    @classmethod
    def setUpClass(cls):
        missing = missing_for_emulation()
        if missing:
            raise unittest.SkipTest("lab 6 needs real hosts: " + missing)
        # Unique per process; hosts of earlier runs whose process is gone are removed.
        cls.prefix = f"l6t{os.getpid() % 10000000}"
        cls.remove_leftovers()
        cls.tmp = tempfile.mkdtemp(prefix="lab6-")
        cls.results = os.path.join(cls.tmp, "lab6")
        cls.commands = lab6_commands()
        try:
            cls.run_commands(cls.commands)
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def run_commands(cls, commands):
        """Part 1 (every line up to the hosts' removal) in one shell, as a student types
        it; then every other line in a shell of its own. Each in a process group of its
        own, killed if it fails (the emulator it started in the background too)."""
        down = next(i for i, c in enumerate(commands) if c.startswith("emulation/hosts-down.sh"))
        for script in ["\n".join(commands[:down + 1])] + commands[down + 1:]:
            script = "\n".join(lab6_shell(line, cls.prefix, cls.results)
                               for line in script.splitlines())
            proc = subprocess.Popen(["bash", "-ec", script], cwd=TOP, start_new_session=True,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            try:
                out, _ = proc.communicate(timeout=150)
            finally:
                if proc.poll() is None or proc.returncode != 0:
                    try:
                        os.killpg(proc.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    proc.wait()
            assert proc.returncode == 0, f"{script}\nexited {proc.returncode}:\n{out[-3000:]}"

    @classmethod
    def tearDownClass(cls):
        subprocess.run([os.path.join(TOP, "emulation", "hosts-down.sh"), cls.prefix],
                       capture_output=True)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @staticmethod
    def remove_leftovers():
        names = subprocess.run("{ ip netns list; ip -o link show | awk -F': ' '{print $2}'; }",
                               shell=True, capture_output=True, text=True).stdout
        for pid in set(re.findall(r"^l6t(\d+)[htbvq]\d+", names, re.M)):
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                subprocess.run([os.path.join(TOP, "emulation", "hosts-down.sh"), "l6t" + pid],
                               capture_output=True)
            except PermissionError:
                pass

    copy = LabThreeTest.copy

    def edit(self, directory, part, change):
        path = os.path.join(directory, part)
        with open(path) as f:
            data = json.load(f)
        change(data)
        with open(path, "w") as f:
            json.dump(data, f)

    failed = LabRuns.failed

    def test_checker_accepts_lab_six(self):
        status, out, err = check(6, self.results)
        self.assertEqual(status, 0, out + err)
        v = verdicts(out, 6)
        self.assertEqual(len(v), 2 + len(checker.LABS[6].expectations), out)
        self.assertTrue(all(v.values()), out)
        self.assertIn("lab passed", out)
        # The hosts are gone: nothing with the test's prefix is left.
        names = subprocess.run(["ip", "-o", "link", "show"], capture_output=True,
                               text=True).stdout + subprocess.run(
            ["ip", "netns", "list"], capture_output=True, text=True).stdout
        self.assertNotIn(self.prefix, names)

    def test_checker_rejects_goodput_above_the_bottleneck(self):
        """iperf3's goodput raised to 1.1 times the path's bottleneck: only it fails."""
        doctored = self.copy()
        with open(os.path.join(self.results, "emulator", "hostmap.json")) as f:
            path = next(p for p in json.load(f)["paths"] if (p["from"], p["to"]) == (0, 2))
        self.edit(doctored, "iperf3-0-2.json", lambda d: d["end"]["sum_received"].update(
            bits_per_second=1.1e6 * path["bottleneck_mbps"]))
        failed, out = self.failed(doctored)
        self.assertEqual(failed, {self.GOODPUT}, out)

    def test_checker_rejects_a_host_that_did_not_finish(self):
        """Host 3's bullet-node killed mid-transfer (what ./ns3 emulate then writes): one
        receiver fewer completes, no bytes verified, a failed host."""
        doctored = self.copy()

        def one_failed(summary):
            s = summary["systems"]["bullet-prime"]
            s.update(completed=s["receivers"] - 1, bytes_verified=False)
            summary["emulation"]["failed_hosts"] = [3]

        self.edit(doctored, os.path.join("emulate", "summary.json"), one_failed)
        failed, out = self.failed(doctored)
        self.assertEqual(failed, {self.COMPLETE}, out)
        self.assertIn("failed hosts [3]", out)

    def test_checker_rejects_slow_pings_and_a_lagging_emulator(self):
        """Ping's replies 10% later than the emulated path, a lost reply, part 1's emulator
        behind real time: exactly those fail."""
        doctored = self.copy()
        path = os.path.join(doctored, "ping-0-2.txt")
        with open(path) as f:
            text = f.read()
        text = re.sub(r"time=([0-9.]+) ms", lambda m: f"time={1.1 * float(m.group(1)):.1f} ms",
                      text)
        with open(path, "w") as f:
            f.write(text)
        path = os.path.join(doctored, "ping-0-1.txt")
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(re.sub(r"20 received", "19 received", text))

        def behind(summary):
            report = summary["emulator"]
            report.update(kept_up=False, late_samples=int(0.2 * report["samples"]))

        self.edit(doctored, os.path.join("emulator", "summary.json"), behind)
        failed, out = self.failed(doctored)
        self.assertEqual(failed, {self.PING, "ping 0 -> 1: median RTT over the emulated path's",
                                  self.FIDELITY}, out)
        self.assertIn("19 of 20 replies", out)

    def test_checker_rejects_real_and_simulated_apart(self):
        """The real hosts' completion times 1.6 times longer: the real-over-simulated
        expectations fail."""
        doctored = self.copy()

        def slower(summary):
            s = summary["systems"]["bullet-prime"]
            for key in ("completion_mean_s", "completion_max_s"):
                s[key] *= 1.6

        self.edit(doctored, os.path.join("emulate", "summary.json"), slower)
        failed, out = self.failed(doctored)
        self.assertEqual(failed, {self.REAL_MEAN, "real over simulated: slowest completion"},
                         out)

    def test_checker_rejects_other_settings(self):
        """Another seed in one part, an unmeasured seed, other options, a ping or iperf3
        between other hosts: settings fails; options that change nothing do not."""
        emulate = os.path.join("emulate", "summary.json")
        simulation = os.path.join("simulation", "summary.json")
        emulator = os.path.join("emulator", "summary.json")
        cases = (
            (simulation, lambda s: s.update(seed=s["seed"] % 3 + 1), False),
            (emulator, lambda s: s.update(args=s["args"] + " --rtPriority=0"), False),
            (emulate, lambda s: s.update(args=s["args"].replace("--hosts=6", "--hosts=4")),
             False),
            (simulation, lambda s: s.update(args=s["args"].replace("--source=0", "")), False),
            (simulation, lambda s: s.update(args=s["args"] + " --coreLoss=0.03 --plot=true"),
             True),
            (emulate, lambda s: s.update(args=s["args"].replace("--size=2MB", "--size=2000000")
                                         + " --timeout=200 --prefix=abc"), True),
            (emulator, lambda s: s.update(args=s["args"] + " --report=5 --queue=10"), True),
        )
        for part, change, accepted in cases:
            doctored = self.copy()
            self.edit(doctored, part, change)
            status, out, _ = check(6, doctored)
            self.assertEqual(verdicts(out, 6)["settings"], accepted, part + "\n" + out)
            self.assertEqual(status, 0 if accepted else 1, out)
        doctored = self.copy()
        for part in (emulate, simulation, emulator):
            self.edit(doctored, part, lambda s: s.update(seed=7))
        failed, out = self.failed(doctored)
        self.assertEqual(failed, {"settings"}, out)
        self.assertIn("seed 7", out)
        doctored = self.copy()
        self.edit(doctored, "iperf3-0-2.json", lambda d: d["start"]["connected"][0].update(
            remote_host="172.16.1.2"))
        failed, out = self.failed(doctored)
        self.assertIn("settings", failed, out)
        self.assertIn("to 172.16.1.2", out)

    def test_checker_fails_a_missing_part(self):
        """Without the simulation, or without part 1's pings: files, settings and the
        expectations that read them fail, not the others."""
        doctored = self.copy()
        shutil.rmtree(os.path.join(doctored, "simulation"))
        failed, out = self.failed(doctored)
        self.assertEqual(failed, {"settings", "files", "simulation: every receiver completes",
                                  self.REAL_MEAN, "real over simulated: slowest completion"},
                         out)
        doctored = self.copy()
        os.remove(os.path.join(doctored, "ping-0-2.txt"))
        failed, out = self.failed(doctored)
        self.assertEqual(failed, {"files", self.PING}, out)

    def test_checker_refuses_what_is_not_lab_six(self):
        """A part's directory instead of the lab's, lab 6's results as lab 4's, a part of
        another program, a broken summary, a missing directory: status 2 and a message."""
        status, out, err = check(6, os.path.join(self.results, "emulate"))
        self.assertEqual(status, 2, out + err)
        self.assertIn("the directory of one run, not lab 6's", err)
        self.assertEqual(out, "")
        status, out, err = check(6, os.path.join(self.results, "emulator"))
        self.assertEqual(status, 2, out + err)
        status, out, err = check(6, self.tmp)
        self.assertEqual(status, 2, out + err)
        self.assertIn("none of emulator/summary.json, emulate/summary.json", err)
        status, out, err = check(6, os.path.join(self.tmp, "nowhere"))
        self.assertEqual(status, 2, out + err)
        self.assertIn("no such directory", err)
        status, out, err = check(4, self.results)
        self.assertEqual(status, 2, out + err)
        doctored = self.copy()
        shutil.rmtree(os.path.join(doctored, "emulate"))
        shutil.copytree(os.path.join(self.results, "simulation"),
                        os.path.join(doctored, "emulate"))
        status, out, err = check(6, doctored)
        self.assertEqual(status, 2, out + err)
        self.assertIn("./ns3 emulate", err)
        self.edit(doctored, os.path.join("simulation", "summary.json"),
                  lambda s: s.update(experiment="bullet-streaming"))
        status, out, err = check(6, doctored)
        self.assertEqual(status, 2, out + err)
        with open(os.path.join(doctored, "emulator", "summary.json"), "w") as f:
            f.write('{"experiment": "bullet-emulator", ')
        status, out, err = check(6, doctored)
        self.assertEqual(status, 2, out + err)
        self.assertIn("not readable JSON", err)


class CheckerTest(unittest.TestCase):
    """The checker on directories that are not results."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="labcheck-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_missing_directory(self):
        status, out, err = check(1, os.path.join(self.tmp, "nowhere"))
        self.assertEqual(status, 2)
        self.assertIn("no such directory", err)
        self.assertEqual(out, "")

    def test_directory_without_results(self):
        status, _, err = check(1, self.tmp)
        self.assertEqual(status, 2)
        self.assertIn("no summary.json", err)

    def test_a_file_not_a_directory(self):
        path = os.path.join(self.tmp, "file")
        open(path, "w").close()
        status, _, err = check(2, path)
        self.assertEqual(status, 2)
        self.assertIn("not a directory", err)

    def test_broken_summary(self):
        with open(os.path.join(self.tmp, "summary.json"), "w") as f:
            f.write("{ not json")
        status, _, err = check(1, self.tmp)
        self.assertEqual(status, 2)
        self.assertIn("not readable JSON", err)

    def test_lab_three_directory_without_runs(self):
        status, out, err = check(3, self.tmp)
        self.assertEqual(status, 2)
        self.assertIn("none of poisson/summary.json, exact/summary.json, ns3tcp/summary.json",
                      err)
        self.assertEqual(out, "")

    def test_lab_four_directory_without_runs(self):
        status, out, err = check(4, self.tmp)
        self.assertEqual(status, 2)
        self.assertIn("none of first/summary.json, rarest-random/summary.json", err)
        self.assertEqual(out, "")

    def test_lab_five_directory_without_runs(self):
        status, out, err = check(5, self.tmp)
        self.assertEqual(status, 2)
        self.assertIn("none of nondescendants/summary.json, all/summary.json", err)
        self.assertEqual(out, "")

    def test_unknown_lab(self):
        status, _, err = check(9, self.tmp)
        self.assertEqual(status, 2)
        self.assertIn("invalid choice", err)


if __name__ == "__main__":
    unittest.main()
