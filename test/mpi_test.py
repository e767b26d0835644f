#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Distributed runs (doc/distributed.md): the same network, sequential and on two MPI ranks.

CTest registers it (mpi.AcrossRanks) only in builds against an ns-3 with MPI
(`./ns3 configure --ns3=mpi`), with NS3BULLET_BIN set to build/bin; by hand:

    NS3BULLET_BIN=build/bin python3 -m unittest -v test/mpi_test.py

inet-topology builds a 3,037-node INET core with 100 clients, probes 40 client pairs' round
trips and runs 60 constant-rate UDP flows, once sequentially and once on two ranks with each
synchronisation algorithm (METIS partition). The distributed runs must measure what the
sequential one does (every probe's round trip, every datagram arrived, the same mean RTT) and
every packet put on a link between ranks must have arrived on the other side.
"""

import json
import os
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("NS3BULLET_BIN", os.path.join(HERE, os.pardir, "build", "bin"))
ARGS = ["--nodes=3037", "--clients=100", "--probes=40", "--flows=60", "--flowRate=100",
        "--flowSeconds=5", "--seed=2"]


def run(outdir, ranks=1, sync="granted"):
    cmd = [os.path.join(BIN, "inet-topology")] + ARGS + ["--outdir=" + outdir, "--sync=" + sync]
    if ranks > 1:
        root = ["--allow-run-as-root"] if os.getuid() == 0 else []
        cmd = ["mpirun", "-np", str(ranks), "--oversubscribe"] + root + cmd
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise AssertionError("%s failed (%d):\n%s\n%s" % (" ".join(cmd), done.returncode,
                                                         done.stdout, done.stderr))
    with open(os.path.join(outdir, "summary.json")) as f:
        return json.load(f)["topology"]


class AcrossRanksTest(unittest.TestCase):
    def test_two_ranks_measure_what_one_does(self):
        with tempfile.TemporaryDirectory() as tmp:
            one = run(os.path.join(tmp, "one"))
            self.assertNotIn("mpi_ranks", one)
            self.assertEqual(one["probed_round_trips"], 40)
            self.assertEqual(one["load_received"], one["load_sent"])
            self.assertGreater(one["load_sent"], 0)
            for sync in ("granted", "nullmessage"):
                with self.subTest(sync=sync):
                    two = run(os.path.join(tmp, sync), ranks=2, sync=sync)
                    self.assertEqual(two["mpi_ranks"], 2)
                    self.assertEqual(two["mpi_sync"], sync)
                    self.assertGreaterEqual(two["mpi_lookahead_ms"], 1)
                    self.assertGreater(two["mpi_cut_links"], 0)
                    # What crossed between the ranks arrived, and there was some.
                    self.assertGreater(two["mpi_packets_sent_across"], 1000)
                    self.assertEqual(two["mpi_packets_received_across"],
                                     two["mpi_packets_sent_across"])
                    # The same measurements as sequentially.
                    self.assertEqual(two["probed_round_trips"], one["probed_round_trips"])
                    self.assertAlmostEqual(two["probed_rtt_ms"], one["probed_rtt_ms"], places=6)
                    self.assertEqual(two["load_sent"], one["load_sent"])
                    self.assertEqual(two["load_received"], one["load_received"])


if __name__ == "__main__":
    unittest.main()
