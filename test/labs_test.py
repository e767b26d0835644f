#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Tests of the labs (doc/labs/) and their checker (examples/labs/check.py).

CTest runs them (labs.check, labs.checker-rejects) with NS3BULLET_BIN set to build/bin;
by hand:

    NS3BULLET_BIN=build/bin python3 -m unittest -v test/labs_test.py

LabOneTest runs lab 1's command exactly as doc/labs/lab1-trees.md gives it (about a minute)
and asserts that the checker accepts its results; CheckerTest asserts that the checker
rejects what it must, on copies of a results directory made by hand.
"""

import importlib.util
import json
import os
import re
import shutil
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


def lab_command(lab):
    """The lab's command (its first ./ns3 run "..." line with an --outdir), from its document,
    as a program and its args."""
    name = {1: "lab1-trees.md", 2: "lab2-mesh.md"}[lab]
    with open(os.path.join(TOP, "doc", "labs", name)) as f:
        text = f.read()
    match = re.search(r'\./ns3 run "([^"]+--outdir=[^"]+)"', text)
    assert match, f"{name} has no ./ns3 run line"
    return match.group(1).split()


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

    def test_unknown_lab(self):
        status, _, err = check(9, self.tmp)
        self.assertEqual(status, 2)
        self.assertIn("invalid choice", err)


if __name__ == "__main__":
    unittest.main()
