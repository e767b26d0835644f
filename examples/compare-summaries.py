#!/usr/bin/env python3
"""Compares the systems of two experiment results directories (see doc/results-format.md).

    compare-summaries.py OLD_DIR NEW_DIR

Prints IDENTICAL when every system's measures in NEW_DIR/summary.json equal OLD_DIR's (costs
such as wall_seconds are ignored), else each measure that moved, old -> new. The check a
refactoring that must not change behaviour runs on the same command and seed before and after.
Exit status 0 if identical, 1 if not, 2 on a missing file.
"""
import json
import sys

IGNORED = {"wall_seconds", "peak_rss_mb", "huge_pages_mb", "args", "simulated_s",
           "wall_us_per_link_packet", "events", "events_per_wall_second", "wall_per_sim_second",
           "run_wall_seconds"}


def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items() if k not in IGNORED}
    return x


def main(old_dir, new_dir):
    try:
        with open(old_dir + "/summary.json") as f:
            old = strip(json.load(f).get("systems", {}))
        with open(new_dir + "/summary.json") as f:
            new = strip(json.load(f).get("systems", {}))
    except OSError as e:
        print(e, file=sys.stderr)
        return 2
    if old == new:
        print("IDENTICAL", ", ".join(sorted(new)))
        return 0
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name, {}), new.get(name, {})
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                print(f"{name} {key}: {a.get(key)} -> {b.get(key)}")
    return 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
