#!/usr/bin/env python3
"""Scale benchmark: wall time, events per second and peak memory of a program against the
number of participants and the size of the INET core (issue #13's scale tables).

    scale-bench.py --program=bullet-streaming --bin=build/bin --label=debian \\
        [--clients=50,100,200,500,1000] [--topoNodes=5000,10000,20000] \\
        [--duration=30] [--warmup=10] [--systems=bullet] [--out=DIR]
    scale-bench.py --program=file-distribution --bin=build/bin --label=debian \\
        [--nodes=50,100,200,500,1000] [--topoNodes=5000,10000,20000] \\
        [--size=20000000] [--payload=virtual] [--maxTime=600] [--systems=bullet-prime]
    scale-bench.py --merge A/scale.csv B/scale.csv     # two builds side by side, with speed-up

Every point of the grid runs the program once, under `nice`, with --quiet --plot=false
--outdir=OUT/<point> (and, with --time, under /usr/bin/time -v for an independent peak-RSS
reading), reads OUT/<point>/summary.json (doc/results-format.md) and upserts one row per
system into OUT/scale.csv. It prints a progress line per point, then a markdown table, also
written to OUT/scale.md. A point whose summary.json exists is not rerun (the benchmark resumes
where it stopped) unless --force. A failed run stops the benchmark with the program's stderr
tail (--keep-going: go on, mark the point failed, exit 1 at the end).

Python 3 standard library only; --plot draws OUT/scale.png if matplotlib is available.
"""
import argparse
import csv
import json
import os
import shlex
import shutil
import subprocess
import sys
import time

PROGRAMS = {
    "bullet-streaming": {
        "count": "clients",  # the program's option for the number of participants
        "systems": "bullet",
        "headline": ("useful_kbps", "useful kbps"),
    },
    "file-distribution": {
        "count": "nodes",
        "systems": "bullet-prime",
        "headline": ("completion_mean_s", "completion mean s"),
    },
}
MIN_TOPO_NODES = 3037  # the smallest INET topology (1997's Internet)

COLUMNS = [
    "label", "program", "system", "count_option", "count", "topoNodes", "sim_s", "wall_s",
    "wall_per_sim_s", "events", "events_per_wall_s", "peak_rss_mb", "time_rss_mb",
    "process_wall_s", "link_packets", "wall_us_per_link_packet", "headline_key", "headline",
    "completed", "point",
]
KEY = ("program", "system", "count", "topoNodes")


class BenchError(Exception):
    """A bad option, a failed run or an unreadable result: reported, never skipped."""


class RunFailed(BenchError):
    """A point whose program failed; why: the short reason for the table."""

    def __init__(self, message, why):
        super().__init__(message)
        self.why = why


def int_list(text, name, minimum):
    try:
        values = [int(v) for v in text.split(",") if v.strip() != ""]
    except ValueError:
        raise BenchError(f"--{name} must be comma-separated integers, got '{text}'")
    if not values:
        raise BenchError(f"--{name} is empty")
    for v in values:
        if v < minimum:
            raise BenchError(f"--{name}: {v} is below the smallest allowed, {minimum}")
    return sorted(set(values))


def positive(text, name):
    try:
        v = float(text)
    except ValueError:
        raise BenchError(f"--{name} must be a number, got '{text}'")
    if not v > 0:
        raise BenchError(f"--{name} must be positive, got {text}")
    return v


def point_name(program, count, topo):
    return f"{PROGRAMS[program]['count']}{count}-topo{topo}"


def command_for(args, binary, count, topo, outdir):
    cmd = [binary, f"--{PROGRAMS[args.program]['count']}={count}", f"--topoNodes={topo}",
           f"--systems={args.systems}", f"--seed={args.seed}", "--quiet", "--plot=false",
           f"--outdir={outdir}"]
    if args.program == "bullet-streaming":
        # lossless medium, the paper's Figure 7 setting (the program's default is lossy)
        cmd += [f"--duration={args.duration:g}", f"--warmup={args.warmup:g}", "--loss=none"]
    else:
        cmd += ["--topology=inet", f"--size={args.size}", f"--payload={args.payload}",
                f"--maxTime={args.maxTime:g}"]
    cmd += shlex.split(args.extra)
    return cmd


def tail(path, lines=20):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return "(no output captured)\n"


def time_rss_mb(path):
    """Maximum resident set size from /usr/bin/time -v's report, MB (None if absent)."""
    try:
        with open(path) as f:
            for line in f:
                if "Maximum resident set size" in line:
                    return int(line.rsplit(":", 1)[1]) / 1024.0
    except (OSError, ValueError):
        pass
    return None


def run_env(args):
    """The runs' environment: this one, with malloc on huge pages unless --no-huge-pages."""
    env = dict(os.environ)
    tunables = env.get("GLIBC_TUNABLES", "")
    if args.huge_pages and "glibc.malloc.hugetlb" not in tunables:
        env["GLIBC_TUNABLES"] = (tunables + ":" if tunables else "") + "glibc.malloc.hugetlb=1"
    return env


def run_point(args, binary, count, topo):
    """Runs one point (unless its summary exists); returns (rows, ran)."""
    name = point_name(args.program, count, topo)
    outdir = os.path.join(args.out, name)
    summary_path = os.path.join(outdir, "summary.json")
    meta_path = os.path.join(outdir, "bench.json")
    ran = False
    if args.force or not os.path.exists(summary_path):
        if os.path.exists(outdir):
            shutil.rmtree(outdir)
        os.makedirs(outdir)
        cmd = command_for(args, binary, count, topo, outdir)
        full = list(cmd)
        time_path = os.path.join(outdir, "time.txt")
        if args.time:
            full = ["/usr/bin/time", "-v", "-o", time_path] + full
        if args.nice > 0:
            full = ["nice", "-n", str(args.nice)] + full
        env = run_env(args)
        with open(os.path.join(outdir, "command.txt"), "w") as f:
            tunables = env.get("GLIBC_TUNABLES")
            prefix = f"GLIBC_TUNABLES={shlex.quote(tunables)} " if tunables else ""
            f.write(prefix + shlex.join(full) + "\n")
        start = time.monotonic()
        with open(os.path.join(outdir, "stdout.txt"), "w") as out, \
                open(os.path.join(outdir, "stderr.txt"), "w") as err:
            rc = subprocess.call(full, stdout=out, stderr=err, env=env)
        wall = time.monotonic() - start
        if rc != 0 or not os.path.exists(summary_path):
            if os.path.exists(summary_path):
                os.remove(summary_path)  # never resume from a failed run's result
            why = f"exit status {rc}" if rc != 0 else "no summary.json written"
            message = (f"{name} failed ({why}): {shlex.join(full)}\n"
                       f"--- last lines of {outdir}/stderr.txt ---\n"
                       f"{tail(os.path.join(outdir, 'stderr.txt'))}")
            stdout = tail(os.path.join(outdir, "stdout.txt"), 5)
            if stdout.strip():
                message += f"--- last lines of {outdir}/stdout.txt ---\n{stdout}"
            raise RunFailed(message, why)
        with open(meta_path, "w") as f:
            json.dump({"command": full, "process_wall_s": wall,
                       "time_rss_mb": time_rss_mb(time_path) if args.time else None}, f)
        ran = True
    return read_point(args.program, args.label, name, count, topo, summary_path, meta_path), ran


def read_point(program, label, name, count, topo, summary_path, meta_path):
    try:
        with open(summary_path) as f:
            summary = json.load(f)
    except (OSError, ValueError) as e:
        raise BenchError(f"{name}: cannot read {summary_path}: {e}")
    meta = {}
    if os.path.exists(meta_path):
        with open(meta_path) as f:
            meta = json.load(f)
    systems = summary.get("systems", {})
    if not systems:
        raise BenchError(f"{name}: {summary_path} has no systems")
    key, _ = PROGRAMS[program]["headline"]
    rows = []
    for system, s in systems.items():
        if "events" not in s:
            print(f"warning: {name}/{system}: no 'events' in summary.json (a program built "
                  "before the event counts?)", file=sys.stderr)
        sim = s.get("sim_seconds", s.get("simulated_s"))
        wall = s.get("wall_seconds")
        packets = s.get("link_packets")
        per_packet = s.get("wall_us_per_link_packet")
        if per_packet is None and wall is not None and packets:
            per_packet = wall * 1e6 / packets
        completed = ""
        if program == "file-distribution":
            completed = f"{s.get('completed', '?')}/{s.get('receivers', '?')}"
        rows.append({
            "label": label, "program": program, "system": system,
            "count_option": PROGRAMS[program]["count"], "count": count, "topoNodes": topo,
            "sim_s": sim, "wall_s": wall,
            "wall_per_sim_s": s.get("wall_per_sim_second"),
            "events": s.get("events"), "events_per_wall_s": s.get("events_per_wall_second"),
            "peak_rss_mb": summary.get("peak_rss_mb"), "time_rss_mb": meta.get("time_rss_mb"),
            "process_wall_s": meta.get("process_wall_s"),
            "link_packets": packets, "wall_us_per_link_packet": per_packet,
            "headline_key": key, "headline": s.get(key), "completed": completed, "point": name,
        })
    return rows


def load_csv(path):
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        raise BenchError(f"cannot read {path}: {e}")
    if rows and set(COLUMNS) - set(rows[0]):
        raise BenchError(f"{path} is not a scale-bench CSV (missing columns "
                         f"{sorted(set(COLUMNS) - set(rows[0]))})")
    return rows


def sort_key(row):
    return (row["program"], row["system"], int(row["topoNodes"]), int(row["count"]))


def upsert_csv(path, new_rows):
    """Writes path with new_rows replacing the rows of the same points (others kept)."""
    rows = load_csv(path) if os.path.exists(path) else []
    fresh = {tuple(str(r[k]) for k in KEY) for r in new_rows}
    rows = [r for r in rows if tuple(str(r[k]) for k in KEY) not in fresh]
    rows += [{k: ("" if r[k] is None else r[k]) for k in COLUMNS} for r in new_rows]
    rows.sort(key=sort_key)
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, path)
    return rows


def num(v):
    if v is None or v == "":
        return None
    return float(v)


def fmt(v, digits=1, thousands=False):
    v = num(v)
    if v is None:
        return "-"
    if thousands:
        return f"{v:,.0f}"
    return f"{v:.{digits}f}"


def markdown(rows, failed=()):
    """The table doc/ carries: one row per point and system."""
    if not rows and not failed:
        return "(no results)\n"
    first = rows[0] if rows else None
    count_option = first["count_option"] if first else "clients"
    headline = (f"{first['system']} {PROGRAMS[first['program']]['headline'][1]}"
                if first else "headline")
    systems = sorted({r["system"] for r in rows})
    lines = []
    if first:
        lines.append(f"{first['program']}, {', '.join(systems)}, build `{first['label']}`\n")
    head = [count_option, "core nodes"] + (["system"] if len(systems) > 1 else []) + [
        "sim s", "wall s", "wall s / sim s", "events", "events / wall s", "peak RSS MB",
        "link packets", "wall µs / link packet",
        headline if len(systems) == 1 else PROGRAMS[first["program"]]["headline"][1]]
    if first and first["program"] == "file-distribution":
        head.append("completed")
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "|".join("---:" for _ in head) + "|")
    for r in rows:
        cells = [f"{int(r['count']):,}", f"{int(r['topoNodes']):,}"]
        if len(systems) > 1:
            cells.append(r["system"])
        cells += [fmt(r["sim_s"], 0), fmt(r["wall_s"]), fmt(r["wall_per_sim_s"], 2),
                  fmt(r["events"], thousands=True), fmt(r["events_per_wall_s"], thousands=True),
                  fmt(r["peak_rss_mb"], 0), fmt(r["link_packets"], thousands=True),
                  fmt(r["wall_us_per_link_packet"], 2), fmt(r["headline"], 1)]
        if r["program"] == "file-distribution":
            cells.append(r["completed"])
        lines.append("| " + " | ".join(cells) + " |")
    for name, why in failed:
        lines.append(f"| {name}: FAILED ({why}) |")
    if any(r.get("time_rss_mb") not in (None, "") for r in rows):
        lines.append("\n/usr/bin/time peak RSS MB: " + ", ".join(
            f"{r['point']} {fmt(r['time_rss_mb'], 0)}" for r in rows))
    lines.append("\npeak RSS is the whole process's (the largest of its systems' runs).")
    return "\n".join(lines) + "\n"


def merge(path_a, path_b):
    a, b = load_csv(path_a), load_csv(path_b)
    if not a or not b:
        raise BenchError(f"{path_a if not a else path_b} has no rows")
    if {r["program"] for r in a} != {r["program"] for r in b}:
        raise BenchError("the two CSVs are of different programs")
    la, lb = a[0]["label"], b[0]["label"]
    index_b = {tuple(r[k] for k in KEY): r for r in b}
    systems = sorted({r["system"] for r in a})
    count_option = a[0]["count_option"]
    head = [count_option, "core nodes"] + (["system"] if len(systems) > 1 else []) + [
        f"wall s {la}", f"wall s {lb}", f"speed-up ({la} / {lb})", f"events / wall s {la}",
        f"events / wall s {lb}", f"peak RSS MB {la}", f"peak RSS MB {lb}", "events",
        f"{a[0]['headline_key']} {la}", f"{a[0]['headline_key']} {lb}"]
    lines = [f"{a[0]['program']}, {', '.join(systems)}: `{la}` against `{lb}`\n",
             "| " + " | ".join(head) + " |", "|" + "|".join("---:" for _ in head) + "|"]
    missing = []
    for ra in sorted(a, key=sort_key):
        rb = index_b.get(tuple(ra[k] for k in KEY))
        if rb is None:
            missing.append(ra["point"] + (f"/{ra['system']}" if len(systems) > 1 else ""))
            continue
        wa, wb = num(ra["wall_s"]), num(rb["wall_s"])
        speed = f"{wa / wb:.2f}x" if wa and wb else "-"
        events = (fmt(ra["events"], thousands=True) if ra["events"] == rb["events"]
                  else f"{fmt(ra['events'], thousands=True)} ≠ {fmt(rb['events'], thousands=True)}")
        cells = [f"{int(ra['count']):,}", f"{int(ra['topoNodes']):,}"]
        if len(systems) > 1:
            cells.append(ra["system"])
        cells += [fmt(wa), fmt(wb), speed, fmt(ra["events_per_wall_s"], thousands=True),
                  fmt(rb["events_per_wall_s"], thousands=True), fmt(ra["peak_rss_mb"], 0),
                  fmt(rb["peak_rss_mb"], 0), events, fmt(ra["headline"]), fmt(rb["headline"])]
        lines.append("| " + " | ".join(cells) + " |")
    if missing:
        lines.append(f"\nonly in {path_a}: {', '.join(missing)}")
    only_b = [r["point"] for r in b
              if tuple(r[k] for k in KEY) not in {tuple(x[k] for k in KEY) for x in a}]
    if only_b:
        lines.append(f"\nonly in {path_b}: {', '.join(only_b)}")
    lines.append("\nevents: one number when both builds executed the same events (the same "
                 "simulation); ≠ marks a run that differed.")
    return "\n".join(lines) + "\n"


def plot(rows, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("--plot: matplotlib is not available to this python; no plot drawn "
              "(try /usr/bin/python3)", file=sys.stderr)
        return
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    systems = sorted({r["system"] for r in rows})
    for system in systems:
        for topo in sorted({int(r["topoNodes"]) for r in rows}):
            sel = sorted((r for r in rows if int(r["topoNodes"]) == topo and r["system"] == system),
                         key=lambda r: int(r["count"]))
            if not sel:
                continue
            xs = [int(r["count"]) for r in sel]
            label = f"{topo:,} core nodes" + (f", {system}" if len(systems) > 1 else "")
            ax1.plot(xs, [num(r["wall_s"]) for r in sel], "o-", label=label)
            ax2.plot(xs, [num(r["peak_rss_mb"]) for r in sel], "o-", label=label)
    for ax, ylabel in ((ax1, "wall s"), (ax2, "peak RSS MB")):
        ax.set_xlabel(rows[0]["count_option"])
        ax.set_ylabel(ylabel)
        ax.grid(True, alpha=0.3)
        ax.legend()
    fig.suptitle(f"{rows[0]['program']} ({rows[0]['label']})")
    fig.tight_layout()
    fig.savefig(path)
    print(f"plot: {path}")


def parse(argv):
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="See the top of this file for the grid, resuming and the output files.")
    p.add_argument("--program", choices=sorted(PROGRAMS))
    p.add_argument("--bin", default="build/bin", help="directory holding the program")
    p.add_argument("--label", help="the build's name in the tables (default: --bin's parent)")
    p.add_argument("--out", help="result directory (default results/scale/PROGRAM-LABEL)")
    p.add_argument("--clients", default="50,100,200,500,1000",
                   help="bullet-streaming: participants (default %(default)s)")
    p.add_argument("--nodes", default="50,100,200,500,1000",
                   help="file-distribution: participants (default %(default)s)")
    p.add_argument("--topoNodes", default="5000,10000,20000",
                   help="INET core sizes (default %(default)s)")
    p.add_argument("--systems", help="the program's --systems (default: bullet for "
                   "bullet-streaming, bullet-prime for file-distribution; one system per run "
                   "keeps peak RSS its own)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--duration", default="30", help="bullet-streaming: simulated s")
    p.add_argument("--warmup", default="10", help="bullet-streaming: window start, s")
    p.add_argument("--size", type=int, default=20000000, help="file-distribution: bytes")
    p.add_argument("--payload", default="virtual", choices=["virtual", "real"],
                   help="file-distribution payload (default %(default)s)")
    p.add_argument("--maxTime", default="600", help="file-distribution: give up after, s")
    p.add_argument("--extra", default="", help="more options for the program, e.g. "
                   "\"--profile=low\"")
    p.add_argument("--nice", type=int, default=10, help="nice level of the runs (0: none)")
    p.add_argument("--huge-pages", default=True, action=argparse.BooleanOptionalAction,
                   help="run with glibc's malloc on transparent huge pages, as ./ns3 run does "
                   "(GLIBC_TUNABLES=glibc.malloc.hugetlb=1; about a sixth faster at paper "
                   "scale, same results)")
    p.add_argument("--time", action="store_true",
                   help="run under /usr/bin/time -v and record its peak RSS too")
    p.add_argument("--force", action="store_true", help="rerun points that have results")
    p.add_argument("--keep-going", action="store_true",
                   help="after a failed point, go on with the others (exit status 1 at the end)")
    p.add_argument("--plot", action="store_true", help="draw OUT/scale.png (matplotlib)")
    p.add_argument("--dry-run", action="store_true", help="print the commands, run nothing")
    p.add_argument("--merge", nargs=2, metavar=("A.csv", "B.csv"),
                   help="print two builds' tables side by side with the speed-up, and exit")
    args = p.parse_args(argv)
    if args.merge:
        return args
    if not args.program:
        raise BenchError("--program is required (bullet-streaming | file-distribution), "
                         "or --merge A.csv B.csv")
    program = PROGRAMS[args.program]
    args.counts = int_list(getattr(args, program["count"]), program["count"], 2)
    other = "nodes" if program["count"] == "clients" else "clients"
    if getattr(args, other) != p.get_default(other):
        raise BenchError(f"--{other} is not an option of {args.program} "
                         f"(use --{program['count']})")
    args.topos = int_list(args.topoNodes, "topoNodes", MIN_TOPO_NODES)
    args.duration = positive(args.duration, "duration")
    try:
        args.warmup = float(args.warmup)
    except ValueError:
        raise BenchError(f"--warmup must be a number, got '{args.warmup}'")
    if not 0 <= args.warmup < args.duration:
        raise BenchError("need 0 <= --warmup < --duration")
    args.maxTime = positive(args.maxTime, "maxTime")
    if args.size <= 0:
        raise BenchError("--size must be positive")
    if args.nice < 0:
        raise BenchError("--nice must be 0 (none) or a positive niceness")
    if args.systems is None:
        args.systems = program["systems"]
    if not args.systems or any(s.strip() == "" for s in args.systems.split(",")):
        raise BenchError(f"--systems must name systems, got '{args.systems}'")
    bin_dir = os.path.abspath(args.bin)
    args.binary = os.path.join(bin_dir, args.program)
    if not os.path.isfile(args.binary) or not os.access(args.binary, os.X_OK):
        raise BenchError(f"no executable {args.binary} (build it, or point --bin at the build's "
                         "bin directory)")
    if args.time and not os.access("/usr/bin/time", os.X_OK):
        raise BenchError("--time needs /usr/bin/time (Debian package 'time')")
    if args.label is None:
        args.label = os.path.basename(os.path.dirname(bin_dir)) or "build"
    if "," in args.label:
        raise BenchError("--label must not contain a comma")
    if args.out is None:
        args.out = os.path.join("results", "scale", f"{args.program}-{args.label}")
    return args


def main(argv):
    try:
        args = parse(argv)
        if args.merge:
            print(merge(*args.merge), end="")
            return 0
        points = [(c, t) for t in args.topos for c in args.counts]
        if args.dry_run:
            for c, t in points:
                outdir = os.path.join(args.out, point_name(args.program, c, t))
                print(shlex.join(command_for(args, args.binary, c, t, outdir)))
            return 0
        os.makedirs(args.out, exist_ok=True)
        csv_path = os.path.join(args.out, "scale.csv")
        rows, failed = [], []
        for i, (count, topo) in enumerate(points, 1):
            name = point_name(args.program, count, topo)
            print(f"[{i}/{len(points)}] {name}: ", end="", flush=True)
            try:
                got, ran = run_point(args, args.binary, count, topo)
            except BenchError as e:
                print("FAILED")
                print(f"error: {e}", file=sys.stderr)
                if not args.keep_going:
                    return 1
                failed.append((name, getattr(e, "why", "unreadable result")))
                continue
            rows += got
            upsert_csv(csv_path, got)
            for r in got:
                print(("" if ran else "(kept) ")
                      + f"{r['system']}: {fmt(r['wall_s'])} s wall for {fmt(r['sim_s'], 0)} s "
                      f"simulated, {fmt(r['events'], thousands=True)} events "
                      f"({fmt(r['events_per_wall_s'], thousands=True)}/s), peak "
                      f"{fmt(r['peak_rss_mb'], 0)} MB, {r['headline_key']} "
                      f"{fmt(r['headline'])}", flush=True)
        rows = [{k: ("" if r[k] is None else r[k]) for k in COLUMNS} for r in rows]
        rows.sort(key=sort_key)
        table = markdown(rows, failed)
        with open(os.path.join(args.out, "scale.md"), "w") as f:
            f.write(table)
        print()
        print(table, end="")
        print(f"\nrows: {csv_path if rows else '(none)'}; "
              f"table: {os.path.join(args.out, 'scale.md')}")
        if args.plot and rows:
            plot(rows, os.path.join(args.out, "scale.png"))
        if failed:
            print(f"error: {len(failed)} point(s) failed: "
                  f"{', '.join(n for n, _ in failed)}", file=sys.stderr)
            return 1
        return 0
    except BenchError as e:
        print(f"scale-bench: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nscale-bench: interrupted (rerun to resume)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
