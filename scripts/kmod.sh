#!/bin/sh
# Build qaic.ko and qaic_sim.ko for one kernel release out of tree, in
# build/kmod/<release>/{driver,sim}, so several kernels build side by side.
# Then add module BTF with the kernel's own BTF as base.
# usage: scripts/kmod.sh <release> <kernel build dir>
set -eu
rel=$1
kdir=$2
top=$(cd "$(dirname "$0")/.." && pwd)
out=${BUILD:-$top/build}/kmod/$rel
quiet=${V:-0}

# One build per release at a time: several people share a tree.
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9

for part in driver sim; do
	mkdir -p "$out/$part"
	# Mirror sources as symlinks: kbuild builds in place.
	find "$out/$part" -maxdepth 1 -type l -delete
	for f in "$top/$part"/*.c "$top/$part"/*.h "$top/$part"/Kbuild; do
		[ -e "$f" ] && ln -sf "$f" "$out/$part/"
	done
	make -C "$kdir" M="$out/$part" QAIC_TOP="$top" V="$quiet" W= \
		${C:+C=$C} modules >"$out/$part.log" 2>&1 || {
		cat "$out/$part.log" >&2
		echo "kmod.sh: $part build failed for $rel" >&2
		exit 1
	}
	[ "$quiet" = 1 ] && cat "$out/$part.log"
	grep -E 'warning:|error:' "$out/$part.log" >&2 || true
done

"$top/scripts/kbtf.sh" "$rel" "$out/driver/qaic.ko" "$out/sim/qaic_sim.ko"
echo "  MODULES $rel"
