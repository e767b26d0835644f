#!/usr/bin/env bash
# hosts-up.sh: create H test hosts for bullet-emulator as network namespaces.
#
#   emulation/hosts-up.sh H [PREFIX]            H namespace hosts (PREFIX default: be)
#   emulation/hosts-up.sh --bridges-only H [PREFIX]   only TAPs and bridges, for VMs
#
# Host i (0-based) is namespace <P>h<i> with interface eth0 = 172.16.0.0/12's i-th /24, .2,
# and one route, 172.16.0.0/12 via .1 (the emulator's side). Its plumbing in the root
# namespace: bridge <P>b<i> joins the persistent TAP <P>t<i>, which bullet-emulator opens,
# and the veth <P>v<i>, whose other end is the namespace's eth0. A VM attaches the same way:
# its own TAP goes on the bridge instead of the veth (doc/emulation.md).
# On any failure everything with this prefix is removed again (emulation/hosts-down.sh).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { echo "hosts-up: $*" >&2; exit 1; }

bridges_only=0
if [[ ${1:-} == --bridges-only ]]; then bridges_only=1; shift; fi
[[ $# -ge 1 && $# -le 2 ]] || { sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
H=$1
P=${2:-be}
[[ $H =~ ^[0-9]+$ && $H -ge 1 && $H -le 4096 ]] || die "H must be 1..4096, not '$H'"
# Interface names have at most 15 characters: prefix + letter + 4 digits.
[[ $P =~ ^[a-z][a-z0-9]{0,9}$ ]] || die "PREFIX must be 1-10 of [a-z0-9], starting with a letter"

# Everything below needs root and TAP support: say so before touching anything.
[[ $(id -u) -eq 0 ]] || die "needs root (network namespaces, TAPs, bridges); run with sudo"
[[ -c /dev/net/tun ]] || die "no /dev/net/tun: load the tun module (modprobe tun) or, in a container, pass --device /dev/net/tun --cap-add NET_ADMIN"
command -v ip >/dev/null || die "ip not found: apt-get install iproute2"
probe="${P}probe$$"
probe=${probe:0:15}
if [[ $bridges_only -eq 0 ]]; then
    ip netns add "$probe" 2>/dev/null || die "cannot create network namespaces (ip netns add failed); namespaces need root and a kernel/container that allows them"
    ip netns del "$probe"
fi
for dev in "${P}t0" "${P}b0"; do
    ip link show "$dev" >/dev/null 2>&1 && die "$dev already exists: another set of hosts uses prefix '$P' (remove it with emulation/hosts-down.sh $P)"
done

cleanup_on_error() {
    local rc=$?
    echo "hosts-up: failed (exit $rc); removing what was created" >&2
    "$HERE/hosts-down.sh" "$P" >&2 || true
    exit "$rc"
}
trap cleanup_on_error ERR INT TERM

no_ipv6() { sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1" 2>/dev/null || true; }

for ((i = 0; i < H; i++)); do
    net="172.$((16 + (i >> 8))).$((i & 255))"
    tap="${P}t$i" br="${P}b$i" veth="${P}v$i" ns="${P}h$i"
    ip tuntap add dev "$tap" mode tap
    # No STP, no forwarding delay; bridged frames must not meet the root's iptables
    # (Docker's FORWARD policy drops them when br_netfilter is loaded).
    ip link add "$br" type bridge stp_state 0 forward_delay 0 \
        nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0
    ip link set "$tap" master "$br"
    # IPv6 chatter (router solicitations, MLD) would only load the emulator.
    no_ipv6 "$tap"
    no_ipv6 "$br"
    ip link set "$br" up
    ip link set "$tap" up
    if [[ $bridges_only -eq 1 ]]; then
        echo "host $i: bridge $br with emulator TAP $tap; give the VM's TAP to $br," \
            "address $net.2/24, route 172.16.0.0/12 via $net.1"
        continue
    fi
    ip netns add "$ns"
    ip link add "$veth" type veth peer name eth0 netns "$ns"
    no_ipv6 "$veth"
    ip link set "$veth" master "$br"
    ip link set "$veth" up
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$net.2/24" dev eth0
    ip -n "$ns" link set eth0 up
    # Only the emulated Internet is reachable; nothing is routed to the outside.
    ip -n "$ns" route add 172.16.0.0/12 via "$net.1" dev eth0
done
trap - ERR INT TERM
if [[ $bridges_only -eq 0 ]]; then
    echo "hosts-up: $H hosts ${P}h0..${P}h$((H - 1)) at 172.16.0.0/12 (host i: i-th /24, .2);" \
        "now start: ./ns3 run \"bullet-emulator --hosts=$H --prefix=$P\""
fi
