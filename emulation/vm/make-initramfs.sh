#!/usr/bin/env bash
# make-initramfs.sh BIN_DIR OUT: the initramfs of a VM host (doc/emulation.md, "VM hosts"):
# busybox (Debian's busybox-static), bullet-node with every shared library it loads, the
# kernel modules a QEMU guest needs for its virtio NIC and disks, and emulation/vm/init.
# The kernel is the newest under /lib/modules (Debian's linux-image-amd64), or $KVER.
# Writes OUT (an uncompressed newc cpio: the guest unpacks it fastest) atomically.
set -euo pipefail
[[ $# -eq 2 ]] || { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
BIN=$1
OUT=$2
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { echo "make-initramfs: $*" >&2; exit 1; }
KVER=${KVER:-$(ls /lib/modules 2>/dev/null | sort -V | tail -1)}
MODDIR=/lib/modules/$KVER
[[ -n $KVER && -f $MODDIR/modules.dep ]] || die "no kernel modules under /lib/modules (apt-get install linux-image-amd64)"
[[ -x $BIN/bullet-node ]] || die "$BIN/bullet-node not built (./ns3 build bullet-node)"
BUSYBOX=$(command -v busybox) || die "busybox not installed (apt-get install busybox-static)"
file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' || ldd "$BUSYBOX" 2>&1 | grep -q 'not a dynamic' \
    || die "$BUSYBOX is not static (apt-get install busybox-static)"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,proc,sys,dev,tmp,run,etc,lib/modules}
cp "$BUSYBOX" "$root/bin/busybox"
for applet in sh mount insmod ip cat tar head dd sha256sum poweroff sleep echo mkdir sysctl; do
    ln -s busybox "$root/bin/$applet"
done
cp "$BIN/bullet-node" "$root/bin/bullet-node"
# Every library the dynamic loader resolves, at the same absolute path (RUNPATH included).
ldd "$BIN/bullet-node" | awk '/=>/ && $3 ~ /^\// {print $3} /^[ \t]*\/.*ld-linux/ {print $1}' |
    while read -r lib; do
        mkdir -p "$root$(dirname "$lib")"
        cp -L "$lib" "$root$lib"
    done
# The virtio modules and what they depend on, in load order (modules.dep lists dependencies
# deepest last; insmod them first).
order=()
add() {
    local rel=$1 dep
    for seen in "${order[@]:-}"; do [[ $seen == "$rel" ]] && return; done
    for dep in $(grep "^$rel:" "$MODDIR/modules.dep" | cut -d: -f2); do add "$dep"; done
    order+=("$rel")
}
for m in virtio_pci virtio_net virtio_blk; do
    rel=$(grep -E "/$m\.ko(\.xz|\.zst)?:" "$MODDIR/modules.dep" | cut -d: -f1)
    [[ -n $rel ]] || die "module $m not found in $MODDIR"
    add "$rel"
done
for rel in "${order[@]}"; do
    [[ $rel == *.ko ]] || die "$rel is compressed; busybox insmod needs plain .ko"
    cp "$MODDIR/$rel" "$root/lib/modules/"
    basename "$rel" >> "$root/lib/modules/order"
done
cp "$HERE/init" "$root/init"
chmod 755 "$root/init"
(cd "$root" && find . | cpio --quiet -o -H newc) > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "make-initramfs: $OUT ($(du -h "$OUT" | cut -f1), kernel $KVER)"
