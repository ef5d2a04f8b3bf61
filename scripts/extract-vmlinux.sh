#!/bin/sh
# Extract the ELF vmlinux (with its .BTF section) from
# /boot/vmlinuz-<release> into build/vmlinux/<release>/vmlinux, once, and
# print its path. kbtf.sh uses it as the BTF base of our modules; vm.sh boots
# it directly (PVH entry), which skips the guest's slow decompression.
#
# usage: scripts/extract-vmlinux.sh <release>
set -eu

die() {
	echo "extract-vmlinux.sh: $*" >&2
	exit 1
}

[ $# -eq 1 ] || die "usage: extract-vmlinux.sh <release>"
rel=$1
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${BUILD:-$top/build}/vmlinux/$rel
vmlinux=$cache/vmlinux
img=/boot/vmlinuz-$rel

has_btf() {
	readelf -S --wide "$1" 2>/dev/null | grep -q '] \.BTF '
}

if [ -s "$vmlinux" ] && [ ! "$img" -nt "$vmlinux" ]; then
	echo "$vmlinux"
	exit 0
fi

[ -r "$img" ] || die "$img not found (kernel image for $rel)"
mkdir -p "$cache"
tmp=$vmlinux.tmp.$$
trap 'rm -f "$tmp"' EXIT
# The bzImage payload is the compressed ELF vmlinux: try every offset where a
# compressor's magic appears until one decompresses to an ELF with .BTF.
for fmt in 'xz:\xfd7zXZ\x00' 'zstd:\x28\xb5\x2f\xfd' 'gzip:\x1f\x8b\x08' \
	'lz4:\x02\x21\x4c\x18'; do
	tool=${fmt%%:*}
	magic=${fmt#*:}
	command -v "$tool" >/dev/null 2>&1 || continue
	for off in $(LC_ALL=C grep -obUaP "$magic" "$img" | cut -d: -f1); do
		tail -c +$((off + 1)) "$img" | "$tool" -dc >"$tmp" 2>/dev/null || true
		if has_btf "$tmp"; then
			mv "$tmp" "$vmlinux"
			echo "$vmlinux"
			exit 0
		fi
	done
done
die "no ELF vmlinux with .BTF found inside $img (missing xz/zstd/gzip/lz4?)"
