#!/bin/sh
# Build the test VM's initramfs for one kernel release: static busybox, the
# few Debian modules needed to mount the host root over virtio-9p with an
# overlay on top (decompressed: busybox insmod reads plain .ko only), and the
# two guest stages (scripts/vm-init.sh, scripts/vm-guest-run.sh).
# Cached: rebuilt only when one of its inputs changed. Prints its path.
#
# usage: scripts/mkinitramfs.sh <release>
set -eu

die() {
	echo "mkinitramfs.sh: $*" >&2
	exit 1
}

[ $# -eq 1 ] || die "usage: mkinitramfs.sh <release>"
rel=$1
top=$(cd "$(dirname "$0")/.." && pwd)
out=${BUILD:-$top/build}/vm/$rel
img=$out/initramfs.cpio
mods=/lib/modules/$rel
busybox=/bin/busybox

# Virtio PCI transport, 9p over it, overlay: the dependencies follow from
# modules.dep; what the kernel has built in is skipped.
WANT="virtio_pci 9pnet_virtio 9p overlay"

[ -e "$mods/modules.dep" ] || die "$mods/modules.dep not found"
# A static binary has no program interpreter.
[ -x "$busybox" ] && ! readelf -l "$busybox" 2>/dev/null | grep -q INTERP ||
	die "$busybox is not a static busybox (apt-get install busybox-static)"

# Everything the image is made of; a change in any of them rebuilds it.
key=$(
	{
		cat "$0" "$top/scripts/vm-init.sh" "$top/scripts/vm-guest-run.sh"
		ls -lL --time-style=+%s "$busybox" "$mods/modules.dep" "$mods/modules.builtin"
	} | sha256sum | cut -d' ' -f1
)
if [ -s "$img" ] && [ "$(cat "$out/initramfs.key" 2>/dev/null)" = "$key" ]; then
	echo "$img"
	exit 0
fi

# Module load order as modprobe would do it: each module's dependencies in
# reverse modules.dep order, then the module, each file once.
load_order() {
	for m in $WANT; do
		line=$(grep -E "(^|/)$m\.ko(\.xz|\.zst|\.gz)?:" "$mods/modules.dep" || true)
		if [ -z "$line" ]; then
			grep -qE "/$m\.ko$" "$mods/modules.builtin" ||
				die "module $m is neither in modules.dep nor built in ($rel)"
			continue
		fi
		deps=${line#*:}
		rev=""
		for d in $deps; do
			rev="$d $rev"
		done
		for f in $rev ${line%%:*}; do
			echo "$f"
		done
	done | awk '!seen[$0]++'
}

stage=$(mktemp -d "${TMPDIR:-/tmp}/qaic-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/lib/modules"
cp "$busybox" "$stage/bin/busybox"
cp "$top/scripts/vm-init.sh" "$stage/init"
cp "$top/scripts/vm-guest-run.sh" "$stage/guest-run"
chmod 0755 "$stage/init" "$stage/guest-run"

for f in $(load_order); do
	name=$(basename "$f")
	case $name in
	*.ko.xz) xz -dc "$mods/$f" >"$stage/lib/modules/${name%.xz}" ;;
	*.ko.zst) zstd -qdc "$mods/$f" >"$stage/lib/modules/${name%.zst}" ;;
	*.ko.gz) gzip -dc "$mods/$f" >"$stage/lib/modules/${name%.gz}" ;;
	*.ko) cp "$mods/$f" "$stage/lib/modules/$name" ;;
	*) die "unexpected module file $f" ;;
	esac
	echo "${name%%.ko*}" >>"$stage/lib/modules/load-order"
done
echo "$rel" >"$stage/release"

mkdir -p "$out"
(cd "$stage" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) >"$img.tmp.$$"
mv "$img.tmp.$$" "$img"
echo "$key" >"$out/initramfs.key"
echo "$img"
