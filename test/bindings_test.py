#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Tests of the Python bindings (ns3bullet, bindings/ns3bullet.cc).

Run by `./ns3 test` (CTest tests python.bindings.*), which sets PYTHONPATH to build/bindings
and NS3BULLET_BIN to build/bin; by hand:

    PYTHONPATH=build/bindings NS3BULLET_BIN=build/bin python3 -m unittest -v test/bindings_test.py
"""

import json
import os
import pickle
import re
import subprocess
import sys
import tempfile
import unittest

import ns3bullet

PROGRAMS = {
    "bullet-streaming": ns3bullet.BulletStreaming,
    "tree-streaming": ns3bullet.TreeStreaming,
    "file-distribution": ns3bullet.FileDistribution,
    "ransub-subsets": ns3bullet.RanSubSubsets,
}

# Options whose values a round trip sets, per type: a value differing from every default.
SAMPLE = {bool: None, int: 7, float: 3.25, str: "x"}


def properties(cls):
    """The names of the read/write properties a bound class has."""
    return {name for name, value in vars(cls).items() if isinstance(value, property)}


def program_options(text):
    """(name, default) of the options in a program's --PrintHelp output, in order."""
    options = []
    in_options = False
    for line in text.splitlines():
        if line == "Program Options:":
            in_options = True
        elif in_options and (not line or line.startswith("General Arguments")):
            break
        elif in_options and line.startswith("    --"):
            name = line[6 : line.index(":")]
            default = re.search(r"\[([^\]]*)\]\s*$", line)
            options.append((name, default.group(1) if default else None))
    return options


def as_command_line(value):
    """A Python option value as ns-3's --PrintHelp prints a default."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def measures(summary):
    """A summary without what depends on the machine (wall times, memory)."""
    if isinstance(summary, dict):
        return {
            k: measures(v)
            for k, v in summary.items()
            if "wall" not in k and k not in ("peak_rss_mb", "huge_pages_mb")
        }
    if isinstance(summary, list):
        return [measures(v) for v in summary]
    return summary


class OptionsTest(unittest.TestCase):
    """Every option of the programs is bound, with the programs' defaults, and round-trips."""

    def test_bound_options_are_the_programs_options(self):
        bindir = os.environ.get("NS3BULLET_BIN", "build/bin")
        for program, cls in PROGRAMS.items():
            with self.subTest(program=program):
                help_text = subprocess.run(
                    [os.path.join(bindir, program), "--PrintHelp"],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                from_program = [name for name, _ in program_options(help_text)]
                self.assertGreater(len(from_program), 10)
                # The program's options, the bound properties and options() are one set.
                self.assertEqual(list(cls.options()), from_program)
                self.assertEqual(properties(cls), set(from_program))

    def test_config_classes_bind_every_config_option(self):
        for cls, program in (
            (ns3bullet.StreamingConfig, ns3bullet.BulletStreaming),
            (ns3bullet.FileDistributionConfig, ns3bullet.FileDistribution),
        ):
            with self.subTest(cls=cls.__name__):
                self.assertEqual(properties(cls), set(cls.options()))
                self.assertTrue(set(cls.options()) < set(program.options()))
                self.assertIn("seed", cls.options())

    def test_defaults_are_the_programs_defaults(self):
        bindir = os.environ.get("NS3BULLET_BIN", "build/bin")
        for program, cls in PROGRAMS.items():
            help_text = subprocess.run(
                [os.path.join(bindir, program), "--PrintHelp"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            options = cls()
            for name, default in program_options(help_text):
                with self.subTest(program=program, option=name):
                    value = getattr(options, name)
                    if isinstance(value, float):
                        self.assertEqual(value, float(default))
                    elif default is not None:
                        self.assertEqual(as_command_line(value), default)
        self.assertEqual(ns3bullet.BulletStreaming().clients, 200)
        self.assertEqual(ns3bullet.TreeStreaming().clients, 150)
        self.assertEqual(ns3bullet.StreamingConfig().clients, 100)
        self.assertEqual(ns3bullet.FileDistribution().nodes, 20)

    def test_round_trip(self):
        for cls in list(PROGRAMS.values()) + [
            ns3bullet.StreamingConfig,
            ns3bullet.FileDistributionConfig,
        ]:
            with self.subTest(cls=cls.__name__):
                options = cls()
                defaults = options.to_dict()
                changed = {}
                for name, value in defaults.items():
                    new = (not value) if isinstance(value, bool) else SAMPLE[type(value)]
                    setattr(options, name, new)
                    changed[name] = new
                self.assertEqual(options.to_dict(), changed)
                for name, value in changed.items():
                    self.assertEqual(getattr(options, name), value)
                # Keywords, set() and pickling give the same options back.
                self.assertEqual(cls(**changed).to_dict(), changed)
                other = cls()
                other.set(**changed)
                self.assertEqual(other.to_dict(), changed)
                self.assertEqual(pickle.loads(pickle.dumps(options)).to_dict(), changed)
                # Each instance has its own values.
                self.assertEqual(cls().to_dict(), defaults)

    def test_command_line_names_the_changed_options(self):
        options = ns3bullet.BulletStreaming(clients=20, rate=450.5, disjoint=False)
        self.assertEqual(
            options.command_line(),
            "bullet-streaming --disjoint=false --clients=20 --rate=450.5",
        )
        self.assertEqual(ns3bullet.TreeStreaming().command_line(), "tree-streaming")
        self.assertIn("--clients=20", repr(options))


class TopologyTest(unittest.TestCase):
    """Topology specs, as the programs build them."""

    def test_inet_annotation(self):
        topology = ns3bullet.InetTopology.Generate(nodes=3037, seed=3)
        self.assertEqual(topology.GetNNodes(), 3037)
        self.assertTrue(topology.IsConnected())
        annotation = ns3bullet.InetAnnotation()
        annotation.clients = 12
        annotation.bandwidth = "low"
        annotation.seed = 3
        self.assertEqual(annotation.stubRule, "degree1")
        spec = ns3bullet.AnnotateInet(topology, annotation)
        self.assertEqual(spec.nRouters, 3037)
        self.assertEqual(spec.GetNClients(), 12)
        self.assertEqual(len(spec.clientRouter), 12)
        self.assertEqual(spec.GetNVertices(), 3037 + 12)
        self.assertEqual(spec.ClientVertex(11), 3037 + 11)
        with self.assertRaises(IndexError):
            spec.ClientVertex(12)
        counts = spec.CountByClass()
        self.assertEqual(sum(counts.values()), len(spec.links))
        self.assertEqual(len(spec.links), topology.GetNLinks() + 12)
        profile = ns3bullet.bandwidth_profile("low")
        for link in spec.links:
            low, high = profile[link.cls]
            for rate in (link.rateAtoB, link.rateBtoA):
                self.assertGreaterEqual(rate, low * 1000)
                self.assertLessEqual(rate, high * 1000)
        self.assertIn("medium", ns3bullet.bandwidth_profiles())
        self.assertIn("bullet2003", ns3bullet.loss_profiles())

    def test_mesh(self):
        params = ns3bullet.MeshParams()
        params.participants = 5
        spec = ns3bullet.MakeFileDistributionMesh(params)
        self.assertEqual(spec.GetNClients(), 5)
        self.assertEqual(len(spec.links), 5 + 5 * 4 // 2)
        for link in spec.links:
            self.assertLessEqual(link.lossAtoB, params.coreLossMax)

    def test_scenario_and_tree(self):
        config = ns3bullet.StreamingConfig(clients=10, topoNodes=3037, seed=2)
        scenario = ns3bullet.StreamingScenario(config)
        self.assertEqual(scenario.GetSpec().GetNClients(), 10)
        self.assertLess(scenario.GetSource(), 10)
        self.assertEqual(scenario.GetWindowStart(), 0.4 * config.duration)
        tree = ns3bullet.RandomTree(20, 3, 4, seed=2)
        self.assertTrue(tree.IsSpanningTree())
        self.assertEqual(tree.root, 3)
        self.assertEqual(tree.parent[3], -1)
        self.assertTrue(all(len(c) <= 4 for c in tree.Children()))

    def test_systems(self):
        self.assertIn("bullet", ns3bullet.systems("streaming"))
        self.assertIn("bullet-prime", ns3bullet.systems("file"))
        with self.assertRaises(ValueError):
            ns3bullet.systems("video")


class ErrorsTest(unittest.TestCase):
    """Bad input gives Python exceptions with the C++ message; the interpreter survives."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()
        ns3bullet.reset_defaults()

    def test_validate(self):
        with self.assertRaisesRegex(ValueError, "--clients must be at least 2"):
            ns3bullet.StreamingConfig(clients=1).validate()
        with self.assertRaisesRegex(ValueError, "--clients must be at least 2"):
            ns3bullet.BulletStreaming(clients=1, outdir=self.dir.name).run()
        with self.assertRaisesRegex(ValueError, "unknown --transport 'quic'"):
            ns3bullet.TreeStreaming(transport="quic").run()
        with self.assertRaisesRegex(ValueError, "unknown --mode 'random'"):
            ns3bullet.RanSubSubsets(mode="random", outdir=self.dir.name).run()
        with self.assertRaisesRegex(ValueError, "--epochs must be in 3..100000"):
            ns3bullet.RanSubSubsets(epochs=1, outdir=self.dir.name).run()

    def test_bad_values_from_the_run(self):
        with self.assertRaisesRegex(ValueError, "unknown system 'nosuch'|nosuch"):
            ns3bullet.BulletStreaming(systems="nosuch", outdir=self.dir.name).run()
        with self.assertRaisesRegex(ValueError, "unknown --strategy 'bogus'"):
            ns3bullet.FileDistribution(
                strategy="bogus", nodes=3, size=50000, quiet=True, plot=False, outdir=self.dir.name
            ).run()
        with self.assertRaisesRegex(ValueError, "--peers must be dynamic or a number"):
            ns3bullet.FileDistribution(
                peers="many", nodes=3, size=50000, quiet=True, plot=False, outdir=self.dir.name
            ).run()

    def test_fatal_error_in_a_run_is_an_exception(self):
        # The result directory cannot be made: ns-3's NS_FATAL_ERROR ends the run's process.
        with self.assertRaisesRegex(RuntimeError, "cannot create output directory"):
            ns3bullet.BulletStreaming(systems="bullet", outdir="/proc/no/such/dir").run()
        self.assertEqual(ns3bullet.BulletStreaming().clients, 200)  # still alive

    def test_types_and_names(self):
        options = ns3bullet.BulletStreaming()
        with self.assertRaises(TypeError):
            options.clients = "many"
        with self.assertRaises(TypeError):
            options.clients = -1
        with self.assertRaises(TypeError):
            options.clients = 2.5
        with self.assertRaisesRegex(AttributeError, "no option 'client'"):
            ns3bullet.BulletStreaming(client=3)
        with self.assertRaisesRegex(TypeError, "option 'rate' takes float"):
            ns3bullet.BulletStreaming(rate="fast")

    def test_defaults_and_globals(self):
        name = "ns3::TfrcSocket::SegmentSize"
        original = ns3bullet.get_default(name)
        ns3bullet.set_default(name, "500")
        self.assertEqual(ns3bullet.get_default(name), "500")
        with self.assertRaisesRegex(ValueError, "no TypeId"):
            ns3bullet.set_default("ns3::NoSuchType::X", "1")
        with self.assertRaisesRegex(ValueError, "has no attribute 'NoSuch'"):
            ns3bullet.set_default("ns3::TfrcSocket::NoSuch", "1")
        with self.assertRaisesRegex(ValueError, "invalid value 'abc'"):
            ns3bullet.set_default(name, "abc")
        ns3bullet.set_global("RngRun", "3")
        self.assertEqual(ns3bullet.get_global("RngRun"), "3")
        with self.assertRaisesRegex(ValueError, "invalid value 'x' for global RngRun"):
            ns3bullet.set_global("RngRun", "x")
        self.assertEqual(ns3bullet.get_global("RngRun"), "3")
        with self.assertRaisesRegex(ValueError, "no ns-3 global 'NoSuch'.*RngRun"):
            ns3bullet.set_global("NoSuch", "1")
        ns3bullet.reset_defaults()
        self.assertEqual(ns3bullet.get_default(name), original)
        self.assertEqual(ns3bullet.get_global("RngRun"), "1")


class RunsTest(unittest.TestCase):
    """Tiny runs: results as dicts, sane, the same for the same seed, several per process."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def streaming(self, outdir):
        return ns3bullet.BulletStreaming(
            systems="bullet",
            clients=8,
            topoNodes=3037,
            duration=30,
            rate=300,
            loss="none",
            quiet=True,
            plot=False,
            outdir=outdir,
        )

    def test_streaming_run(self):
        first = os.path.join(self.dir.name, "a")
        summary = self.streaming(first).run()
        for key in ("experiment", "args", "seed", "simulated_seconds", "wall_seconds", "systems"):
            self.assertIn(key, summary)
        self.assertEqual(summary["experiment"], "bullet-streaming")
        self.assertIn("--systems=bullet", summary["args"])
        bullet = summary["systems"]["bullet"]
        for key in ("useful_kbps", "raw_kbps", "duplicate_fraction", "control_kbps", "window_s"):
            self.assertIn(key, bullet)
        self.assertGreater(bullet["useful_kbps"], 0)
        # At most the stream rate, up to what a window of 18 s gains from packets sent before it.
        self.assertLessEqual(bullet["useful_kbps"], 1.1 * 300)
        self.assertLessEqual(bullet["useful_kbps"], bullet["access_link_bound_kbps"])
        self.assertGreaterEqual(bullet["raw_kbps"], bullet["useful_kbps"])
        self.assertEqual(bullet["window_s"], [12, 30])
        # The dict is summary.json's content.
        with open(os.path.join(first, "summary.json")) as f:
            self.assertEqual(json.load(f), summary)
        self.assertTrue(os.path.exists(os.path.join(first, "bullet-mean.csv")))
        # A second run in the same process, same seed: the same results.
        again = self.streaming(os.path.join(self.dir.name, "b")).run()
        self.assertEqual(measures(again["systems"]), measures(summary["systems"]))
        # An attribute default reaches the run: a smaller packet size, other results.
        ns3bullet.set_default("ns3::TfrcSocket::SegmentSize", "500")
        try:
            other = self.streaming(os.path.join(self.dir.name, "c")).run()
        finally:
            ns3bullet.reset_defaults()
        self.assertNotEqual(
            measures(other["systems"])["bullet"]["link_packets"],
            measures(summary["systems"])["bullet"]["link_packets"],
        )

    def test_file_distribution_run(self):
        summary = ns3bullet.FileDistribution(
            systems="bullet-prime",
            nodes=5,
            size=200000,
            quiet=True,
            plot=False,
            outdir=self.dir.name,
        ).run()
        self.assertEqual(summary["experiment"], "file-distribution")
        self.assertEqual(summary["file_bytes"], 200000)
        prime = summary["systems"]["bullet-prime"]
        self.assertEqual(prime["receivers"], 4)
        self.assertEqual(prime["completed"], 4)
        self.assertTrue(prime["bytes_verified"])
        self.assertEqual(len(prime["completion_s"]), 4)
        self.assertGreater(min(prime["completion_s"]), 0)
        self.assertGreaterEqual(min(prime["completion_s"]), prime["optimal_s"])


class ReproduceTest(unittest.TestCase):
    """examples/reproduce.py draws figures from runs through the bindings and reuses them."""

    SCRIPT = os.path.join(
        os.path.dirname(os.path.abspath(__file__)), os.pardir, "examples", "reproduce.py"
    )

    def reproduce(self, *args, check=True):
        return subprocess.run(
            [sys.executable, self.SCRIPT, *args], capture_output=True, text=True, check=check
        )

    def test_figure_6_quick(self):
        with tempfile.TemporaryDirectory() as outdir:
            command = ["--figure=6", "--scale=quick", "--outdir=" + outdir]
            first = self.reproduce(*command).stdout
            self.assertIn("reproduce: tree-streaming --topoNodes=3037 --clients=30", first)
            self.assertTrue(os.path.getsize(os.path.join(outdir, "figure-2003-6.png")) > 10000)
            with open(os.path.join(outdir, "runs", "tree-streaming", "summary.json")) as f:
                summary = json.load(f)
            self.assertEqual(set(summary["systems"]), {"bottleneck-tree", "random-tree"})
            self.assertEqual(summary["systems"]["random-tree"]["window_s"], [24, 60])
            second = self.reproduce(*command).stdout
            self.assertIn("reproduce: reusing", second)
            self.assertNotIn("reproduce: tree-streaming", second)

    def test_2008_file_figures_share_a_run(self):
        """2008:20 draws the Bullet' baseline's interarrival times; 2008:16 reuses that run
        (its dynamic curve) and runs only the static peer sets."""
        with tempfile.TemporaryDirectory() as outdir:
            quick = ("--scale=quick", "--outdir=" + outdir)
            first = self.reproduce("--figure=2008:20", *quick).stdout
            self.assertIn(
                "reproduce: file-distribution --systems=bullet-prime --nodes=10 --size=1000000",
                first,
            )
            self.assertTrue(os.path.getsize(os.path.join(outdir, "figure-2008-20.png")) > 10000)
            baseline = os.path.join(outdir, "runs", "mesh-bullet-prime")
            with open(os.path.join(baseline, "summary.json")) as f:
                prime = json.load(f)["systems"]["bullet-prime"]
            self.assertEqual(prime["receivers"], 9)
            self.assertGreater(prime["interarrival_mean_s"], 0)
            self.assertIn("last20_overage_s", prime)
            with open(os.path.join(baseline, "bullet-prime-interarrival.csv")) as f:
                self.assertEqual(len(f.readlines()), 1 + 62)  # a row per 16 KiB block of 1 MB
            second = self.reproduce("--figure=2008:16", *quick).stdout
            self.assertIn("reproduce: reusing " + baseline, second)
            self.assertEqual(second.count("reproduce: file-distribution"), 2)  # 10 and 14 peers
            self.assertIn("--peers=14", second)
            self.assertTrue(os.path.getsize(os.path.join(outdir, "figure-2008-16.png")) > 10000)

    def test_wrong_figure_ids_are_refused(self):
        for figure, message in (
            ("2008:99", "no figure '2008:99': figures are 2003:6-14 and 2008:9-23"),
            ("2003:15", "figure 2003:15 cannot be reproduced: PlanetLab"),
            ("25", "no figure '25'"),
            ("1", "figure 1 (2003:1) cannot be reproduced: a diagram"),
            ("2008:24", "figure 2008:24 cannot be reproduced: PlanetLab"),
        ):
            with self.subTest(figure=figure):
                result = self.reproduce("--figure=" + figure, "--scale=quick", check=False)
                self.assertEqual(result.returncode, 2)
                self.assertIn(message, result.stderr)
                self.assertEqual(result.stdout, "")


if __name__ == "__main__":
    unittest.main()
