#!/usr/bin/env bash
# benchmark.sh: the highest aggregate rate bullet-emulator forwards across 4-hop paths while
# staying within 1 ms of real time, for a number of hosts.
#
#   emulation/benchmark.sh [-H "2 8"] [-r "50 100 200"] [-n REPEATS] [-t SECONDS] [-p RTPRIO]
#                          [-k TICK_US] [-g NICE] [-o DIR] [-d]
#
# For each H: H namespace hosts on a dumbbell with two core links (so every path is
# access, core, core, access: 4 simulated links and 5 simulated nodes); links are fast
# (10 Gbit/s access, 100 Gbit/s core, 1 ms each) so that only the emulator's speed limits.
# For each offered aggregate rate, the H/2 hosts on the left each send 1000-byte UDP
# datagrams with udp-load (emulation/udp-load.cc: every TICK_US microseconds, default 1000 as
# iperf3's pacing timer, the tick's share; 0: one datagram per wake-up, evenly spaced) to one
# host on the right, at rate / (H/2), for SECONDS. The emulator reports its lag and packet counts every second;
# the first and last second of traffic are left out. A rate "keeps up" when at most 0.1% of
# the emulator's 1 ms lag samples were later than 1 ms; a host count's result is the highest
# rate at which every repeat kept up, with the lower rates that did not (on a shared machine,
# lag from other jobs) listed beside it. Writes DIR/benchmark.csv and prints the table.
#
# -d runs the emulator with --distill=true (the two core links become one: 3-hop paths).
# -g runs the load generators at nice level NICE (e.g. -5). Never real-time: a generator
#    that spins at SCHED_FIFO starves the machine and, through RT throttling, the emulator.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
HOSTS="2 8"
RATES="50 100 150 200 300 400"
SECONDS_=10
RTPRIO=50
OUT="$TOP/results/emulator-benchmark"
DISTILL=false
REPEATS=1
GENNICE=0
TICK=1000
while getopts "H:r:n:t:p:k:g:o:d" opt; do
    case $opt in
        H) HOSTS=$OPTARG ;;
        r) RATES=$OPTARG ;;
        n) REPEATS=$OPTARG ;;
        t) SECONDS_=$OPTARG ;;
        p) RTPRIO=$OPTARG ;;
        g) GENNICE=$OPTARG ;;
        k) TICK=$OPTARG ;;
        o) OUT=$OPTARG ;;
        d) DISTILL=true ;;
        *) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    esac
done
EMU="$TOP/build/bin/bullet-emulator"
LOAD="$TOP/build/bin/udp-load"
[[ -x $EMU && -x $LOAD ]] || { echo "benchmark: build first: ./ns3 build" >&2; exit 1; }
mkdir -p "$OUT"
GEN=(nice -n "$GENNICE")
P="bm$$"
P=${P:0:10}
emu_pid=""
cleanup() {
    [[ -n $emu_pid ]] && kill "$emu_pid" 2>/dev/null && wait "$emu_pid" 2>/dev/null
    "$HERE/hosts-down.sh" "$P" >/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

CSV="$OUT/benchmark.csv"
echo "hosts,repeat,offered_mbps,pkts_in_per_s,pkts_out_per_s,mbit_out_per_s,cpu,lag_max_ms,late_fraction,udp_loss,keeps_up,load_avg" >"$CSV"
for H in $HOSTS; do
    ((H >= 2 && H % 2 == 0)) || { echo "benchmark: host counts must be even" >&2; exit 2; }
    "$HERE/hosts-up.sh" "$H" "$P" >/dev/null
    pairs=$((H / 2))
    for ((rep = 1; rep <= REPEATS; rep++)); do
        for R in $RATES; do
            run="$OUT/h$H-r$R-$rep"
            mkdir -p "$run"
            rm -f "$run"/hostmap.json "$run"/sink-*.json "$run"/send-*.json
            "$EMU" --hosts="$H" --prefix="$P" --coreHops=2 --accessRate=10Gbps --accessDelay=1 \
                --coreRate=100Gbps --coreDelay=1 --duration=$((SECONDS_ + 30)) \
                --rtPriority="$RTPRIO" --distill="$DISTILL" --outdir="$run" \
                --hostmap="$run/hostmap.json" >"$run/emulator.log" 2>&1 &
            emu_pid=$!
            for _ in $(seq 100); do [[ -f $run/hostmap.json ]] && break; sleep 0.1; done
            [[ -f $run/hostmap.json ]] || { cat "$run/emulator.log" >&2; exit 1; }
            per=$(python3 -c "print($R / $pairs)")
            jobs_=()
            for ((i = 0; i < pairs; i++)); do
                j=$((i + pairs))
                dst="172.$((16 + (j >> 8))).$((j & 255)).2"
                # ARP on both sides before the measured traffic.
                for _ in $(seq 20); do
                    ip netns exec "${P}h$i" ping -c 1 -W 1 "$dst" >/dev/null 2>&1 && break
                done
                ip netns exec "${P}h$j" "${GEN[@]}" "$LOAD" --mode=sink --port=6000 \
                    --seconds=$((SECONDS_ + 3)) >"$run/sink-$j.json" &
                jobs_+=($!)
            done
            sleep 0.5
            for ((i = 0; i < pairs; i++)); do
                j=$((i + pairs))
                dst="172.$((16 + (j >> 8))).$((j & 255)).2"
                ip netns exec "${P}h$i" "${GEN[@]}" "$LOAD" --mode=send --to="$dst" --port=6000 \
                    --rate="$per" --size=1000 --tick="$TICK" --seconds="$SECONDS_" >"$run/send-$i.json" &
                jobs_+=($!)
            done
            wait "${jobs_[@]}" || true
            load=$(cut -d' ' -f1 /proc/loadavg)
            kill -TERM "$emu_pid"
            wait "$emu_pid" || true
            emu_pid=""
            python3 - "$run" "$H" "$R" "$load" "$CSV" "$rep" <<'PY'
import json, sys, glob
run, hosts, rate, load, csv, rep = sys.argv[1:]
s = json.load(open(f"{run}/summary.json"))
iv = [i for i in s["intervals"] if i["packets_in"] > 0]
iv = iv[1:-1] if len(iv) > 2 else iv  # first and last second: partial
wall = sum(i["wall_seconds"] for i in iv) or 1
samples = sum(i["samples"] for i in iv) or 1
late = sum(i["late"] for i in iv) / samples
sent = sum(json.load(open(f))["sent"] for f in glob.glob(f"{run}/send-*.json"))
got = sum(json.load(open(f))["received"] for f in glob.glob(f"{run}/sink-*.json"))
row = dict(
    hosts=int(hosts), repeat=int(rep), offered_mbps=float(rate),
    pkts_in_per_s=sum(i["packets_in"] for i in iv) / wall,
    pkts_out_per_s=sum(i["packets_out"] for i in iv) / wall,
    mbit_out_per_s=sum(i["bytes_out"] for i in iv) * 8e-6 / wall,
    cpu=sum(i["cpu"] * i["wall_seconds"] for i in iv) / wall,
    lag_max_ms=max((i["lag_max_ms"] for i in iv), default=0),
    late_fraction=late, udp_loss=(sent - got) / sent if sent else 1.0,
    keeps_up=late <= 0.001, load_avg=float(load))
with open(csv, "a") as f:
    f.write(",".join(str(round(v, 4)) if isinstance(v, float) else str(v) for v in row.values()) + "\n")
print("H=%(hosts)d offered %(offered_mbps)5.0f Mbit/s: out %(pkts_out_per_s)6.0f pkt/s "
      "%(mbit_out_per_s)6.1f Mbit/s, cpu %(cpu)4.2f, lag max %(lag_max_ms)6.2f ms, "
      "late %(late_fraction)6.4f, loss %(udp_loss)6.4f, keeps up: %(keeps_up)s "
      "(load %(load_avg).1f)" % row, flush=True)
PY
        done
    done
    "$HERE/hosts-down.sh" "$P" >/dev/null
done
python3 - "$CSV" <<'PY'
import csv, sys
from collections import defaultdict
rows = list(csv.DictReader(open(sys.argv[1])))
by = defaultdict(lambda: defaultdict(list))
for r in rows:
    by[int(r["hosts"])][float(r["offered_mbps"])].append(r)
ok = lambda rs: all(r["keeps_up"] == "True" for r in rs)
loose = lambda rs: all(float(r["late_fraction"]) <= 0.01 for r in rs)
for h, rates in sorted(by.items()):
    # The same with a looser criterion (1% of samples late), which a shared machine meets.
    within = [rate for rate in sorted(rates) if loose(rates[rate])]
    if within:
        rs = rates[within[-1]]
        print(f"{h} hosts: highest rate with at most 1% of samples late in all {len(rs)} "
              f"repeats: {within[-1]:.0f} Mbit/s offered, "
              f"{sum(float(r['pkts_out_per_s']) for r in rs) / len(rs):.0f} pkt/s, CPU "
              f"{sum(float(r['cpu']) for r in rs) / len(rs):.2f} cores")
    good = [rate for rate in sorted(rates) if ok(rates[rate])]
    if not good:
        print(f"{h} hosts: kept up at no offered rate")
        continue
    best = good[-1]
    rs = rates[best]
    mean = lambda k: sum(float(r[k]) for r in rs) / len(rs)
    print(f"{h} hosts: highest rate kept within 1 ms in all {len(rs)} repeats: {best:.0f} Mbit/s "
          f"offered, {mean('pkts_out_per_s'):.0f} pkt/s, {mean('mbit_out_per_s'):.1f} Mbit/s of "
          f"frames forwarded, emulator CPU {mean('cpu'):.2f} cores")
    # Lower rates that failed: lag from the machine's other jobs, not from the load.
    below = [f"{rate:.0f} ({max(float(r['late_fraction']) for r in rates[rate]):.2%} late)"
             for rate in sorted(rates) if rate < best and not ok(rates[rate])]
    if below:
        print(f"  but not in every repeat at lower rates: {', '.join(below)}")
PY
echo "wrote $CSV"
