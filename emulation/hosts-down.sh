#!/usr/bin/env bash
# hosts-down.sh: remove the hosts and plumbing emulation/hosts-up.sh made with PREFIX.
#
#   emulation/hosts-down.sh [PREFIX]      (default prefix: be)
#
# Removes namespaces <P>h<N> and interfaces <P>t<N>, <P>b<N>, <P>v<N> (and <P>q<N>, the TAPs of
# VM hosts ./ns3 emulate --vms adds), whatever is left of
# them (safe after a partial set-up or a crash, and safe to repeat). Processes still running
# inside the namespaces are killed first, or the namespaces could not go.
set -uo pipefail

P=${1:-be}
[[ $P =~ ^[a-z][a-z0-9]{0,9}$ ]] || { echo "hosts-down: bad PREFIX '$P'" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "hosts-down: needs root" >&2; exit 1; }

removed=0
for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${P}h[0-9]+$"); do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    # shellcheck disable=SC2086
    [[ -n $pids ]] && kill -9 $pids 2>/dev/null
    ip netns del "$ns" && removed=$((removed + 1))
done
for dev in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' |
    grep -E "^${P}[vtbq][0-9]+$"); do
    ip link del "$dev" 2>/dev/null && removed=$((removed + 1))
done
echo "hosts-down: removed $removed namespaces and interfaces with prefix '$P'"
exit 0
