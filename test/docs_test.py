#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Tests of the Sphinx reference (doc/bullet.rst) and of its generated tables.

CTest runs them (docs.Generator, docs.Sphinx) with NS3BULLET_BIN set to build/bin; by hand:

    NS3BULLET_BIN=build/bin python3 -m unittest -v test/docs_test.py

GeneratorTest runs examples/print-introspection and checks its tables against attributes and
trace sources the code declares; SphinxTest builds the whole reference, as `./ns3 docs`
does, from a copy of doc/ in a temporary directory and fails on any Sphinx warning.
"""

import os
import re
import shutil
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, os.pardir))
BIN = os.environ.get("NS3BULLET_BIN", os.path.join(TOP, "build", "bin"))
SPHINX = "/usr/bin/sphinx-build"


def generate(directory):
    """Runs print-introspection into directory; returns (attributes, traces, stderr)."""
    attributes = os.path.join(directory, "attributes.rst")
    traces = os.path.join(directory, "traces.rst")
    run = subprocess.run(
        [
            os.path.join(BIN, "print-introspection"),
            f"--attributes={attributes}",
            f"--traces={traces}",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if run.returncode != 0:
        raise AssertionError(f"print-introspection failed: {run.stderr}")
    with open(attributes) as a, open(traces) as t:
        return a.read(), t.read(), run.stderr


def table_rows(text, type_name):
    """{first cell: [other cells]} of the list-table captioned type_name."""
    match = re.search(
        r"^\.\. list-table:: " + re.escape(type_name) + r"\n(.*?)(?=^\S|\Z)",
        text,
        re.MULTILINE | re.DOTALL,
    )
    if not match:
        return None
    rows = {}
    for row in re.split(r"^   \* - ", match.group(1), flags=re.MULTILINE)[1:]:
        cells = [c.strip() for c in re.split(r"^     - ", row, flags=re.MULTILINE)]
        rows[cells[0]] = cells[1:]
    return rows


class GeneratorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="bullet-docs-")
        cls.attributes, cls.traces, cls.stderr = generate(cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_declared_attributes_appear_with_their_defaults(self):
        rows = table_rows(self.attributes, "ns3::BulletApplication")
        self.assertIsNotNone(rows, "no table for ns3::BulletApplication")
        self.assertIn("``MaxSenders``", rows)
        # Type, default, help: MaxSenders is a uint32_t attribute with default 10.
        self.assertIn("10", rows["``MaxSenders``"][1])
        self.assertIn("``RecoveredRelay``", rows)
        self.assertIn("ns3::RelayParentRow", rows["``RecoveredRelay``"][1])
        tfrc = table_rows(self.attributes, "ns3::TfrcSocket")
        self.assertIsNotNone(tfrc)
        self.assertIn("``QueueDepth``", tfrc)
        self.assertIn("``Pacing``", tfrc)

    def test_only_the_modules_types_are_listed(self):
        captions = re.findall(r"^\.\. list-table:: (\S+)", self.attributes, re.MULTILINE)
        self.assertGreater(len(captions), 30)
        for name in ("ns3::TcpSocketBase", "ns3::PointToPointNetDevice", "ns3::Node"):
            self.assertNotIn(name, captions)
        # The summary line of stderr counts what the tables hold.
        match = re.search(r"(\d+) types, (\d+) attributes, (\d+) trace sources", self.stderr)
        self.assertIsNotNone(match, self.stderr)
        rows = len(re.findall(r"^   \* - ``", self.attributes, re.MULTILINE))
        self.assertEqual(int(match.group(2)), rows)
        trace_rows = len(re.findall(r"^   \* - ``", self.traces, re.MULTILINE))
        self.assertEqual(int(match.group(3)), trace_rows)

    def test_trace_sources_carry_their_callback_signature(self):
        rows = table_rows(self.traces, "ns3::TfrcSocket")
        self.assertIsNotNone(rows, "no trace table for ns3::TfrcSocket")
        self.assertIn("``Tx``", rows)
        self.assertIn("PacketPeerTracedCallback", rows["``Tx``"][1])

    def test_help_text_is_escaped(self):
        # A help cell holds no unescaped inline markup: every *, `, | and trailing _ outside
        # the ``literal`` cells is preceded by a backslash.
        for text in (self.attributes, self.traces):
            for row in re.findall(r"^     - (.*)$", text, re.MULTILINE):
                stripped = re.sub(r"``[^`]*``", "", row)
                stripped = re.sub(r":ref:`[^`]*`", "", stripped)
                self.assertIsNone(re.search(r"(?<!\\)[*`|]", stripped), row)


class SphinxTest(unittest.TestCase):
    def test_the_reference_builds_without_warnings(self):
        self.assertTrue(os.path.exists(SPHINX), f"{SPHINX} missing (Debian: python3-sphinx)")
        with tempfile.TemporaryDirectory(prefix="bullet-docs-") as tmp:
            source = os.path.join(tmp, "doc")
            shutil.copytree(
                os.path.join(TOP, "doc"),
                source,
                ignore=shutil.ignore_patterns("generated", "labs", "figures", "*.md"),
            )
            os.makedirs(os.path.join(source, "generated"))
            generate(os.path.join(source, "generated"))
            out = os.path.join(tmp, "html")
            run = subprocess.run(
                [SPHINX, "-W", "--keep-going", "-q", "-b", "html", source, out],
                capture_output=True,
                text=True,
                timeout=300,
            )
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertEqual(run.stderr.strip(), "", run.stderr)
            with open(os.path.join(out, "bullet.html")) as f:
                page = f.read()
            # The generated tables made it into the page.
            self.assertIn("ns3::BulletPrimeApplication", page)
            self.assertIn("RequestStrategy", page)
            self.assertIn("Model Description", page)
            self.assertIn("Validation", page)


if __name__ == "__main__":
    unittest.main()
