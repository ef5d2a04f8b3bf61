#!/bin/sh
# checkpatch.pl (from linux-source-6.1) over the kernel code: driver/, sim/,
# tracepoints/; then, when no files are named, sparse over both modules for
# every target kernel (kbuild's C=2). Non-zero on any error or warning.
# usage: scripts/lint.sh [FILE...]   (default: every kernel source file)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cp_dir=${BUILD:-$top/build}/checkpatch
src_tar=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1)

# checkpatch reads spelling.txt and const_structs.checkpatch next to itself.
if [ ! -s "$cp_dir/checkpatch.pl" ] || [ ! -s "$cp_dir/spelling.txt" ] ||
	[ ! -s "$cp_dir/const_structs.checkpatch" ]; then
	[ -n "$src_tar" ] || {
		echo "lint.sh: /usr/src/linux-source-6.1.tar.* not found (scripts/deps.sh)" >&2
		exit 1
	}
	mkdir -p "$cp_dir"
	tar -xf "$src_tar" -C "$cp_dir" --strip-components=2 \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
fi

cd "$top"
sparse_too=0
if [ $# -eq 0 ]; then
	sparse_too=1
	set -- $(ls driver/*.[ch] sim/*.[ch] tracepoints/*.h 2>/dev/null || true)
fi
if [ $# -eq 0 ]; then
	echo "lint.sh: no kernel sources to check"
	exit 0
fi

bad=0
for f in "$@"; do
	perl "$cp_dir/checkpatch.pl" --no-tree --quiet --show-types -f "$f" || bad=1
done
if [ $bad -ne 0 ]; then
	echo "lint.sh: checkpatch found problems" >&2
	exit 1
fi
echo "lint.sh: checkpatch: $# files clean"

[ $sparse_too = 1 ] || exit 0
command -v sparse >/dev/null || { echo "lint.sh: sparse not installed (scripts/deps.sh)" >&2; exit 1; }
for rel in $(scripts/kernels.sh); do
	# kmod.sh echoes compiler and sparse warnings on stderr.
	out=$(C=2 scripts/kmod.sh "$rel" "/lib/modules/$rel/build" 2>&1) || {
		printf '%s\n' "$out" >&2
		exit 1
	}
	if printf '%s\n' "$out" | grep -E 'warning:|error:' >&2; then
		echo "lint.sh: sparse found problems ($rel)" >&2
		exit 1
	fi
	echo "lint.sh: sparse: driver and sim clean for $rel"
done
