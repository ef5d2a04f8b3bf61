#!/bin/sh
# Add module BTF to out-of-tree modules, split over the target kernel's own
# vmlinux BTF, so /sys/kernel/btf/<module> appears when they load.
#
# Debian's headers ship no vmlinux, so kbuild prints "Skipping BTF
# generation". We extract the ELF vmlinux from /boot/vmlinuz-<release> once
# (scripts/extract-vmlinux.sh, cached in build/vmlinux/<release>/) and run
# what Makefile.modfinal's cmd_btf_ko would: pahole -J --btf_base vmlinux,
# then resolve_btfids.
# Idempotent: a module that already carries BTF newer than the cached
# vmlinux is left alone.
#
# usage: scripts/kbtf.sh <release> <module.ko>...
set -eu

die() {
	echo "kbtf.sh: $*" >&2
	exit 1
}

[ $# -ge 1 ] || die "usage: kbtf.sh <release> <module.ko>..."
rel=$1
shift
top=$(cd "$(dirname "$0")/.." && pwd)

has_section() {
	readelf -S --wide "$2" 2>/dev/null | grep -q "] $1 "
}

# Flags as the kernel's own build passes them for the installed pahole
# (6.1: scripts/pahole-flags.sh; 6.12: scripts/Makefile.btf).
pahole_flags() {
	ver=$(pahole --version | sed 's/^v//; s/\.//')
	flags=""
	if [ "$ver" -ge 126 ] && [ -e "/lib/modules/$rel/build/scripts/Makefile.btf" ]; then
		flags="--btf_features=encode_force,var,float,enum64,decl_tag,type_tag"
		flags="$flags,optimized_func,consistent_func,decl_tag_kfuncs"
		flags="$flags --btf_features=distilled_base"
	else
		[ "$ver" -ge 121 ] && flags="$flags --btf_gen_floats"
		[ "$ver" -ge 125 ] &&
			flags="$flags --skip_encoding_btf_inconsistent_proto --btf_gen_optimized"
	fi
	[ "$ver" -ge 122 ] && flags="$flags -j"
	grep -q '^CONFIG_PAHOLE_HAS_LANG_EXCLUDE=y' "/boot/config-$rel" 2>/dev/null &&
		flags="$flags --lang_exclude=rust"
	echo "$flags"
}

find_resolve_btfids() {
	series=$(echo "$rel" | cut -d. -f1,2)
	for d in "/usr/lib/linux-kbuild-$series"* "/usr/src/linux-kbuild-$series"* \
		"/lib/modules/$rel/build"; do
		f=$d/tools/bpf/resolve_btfids/resolve_btfids
		[ -x "$f" ] && { echo "$f"; return 0; }
	done
	command -v resolve_btfids 2>/dev/null || true
}

command -v pahole >/dev/null || die "pahole not found (apt-get install dwarves)"
vmlinux=$("$top/scripts/extract-vmlinux.sh" "$rel") || die "no vmlinux for $rel"

flags=""
for ko in "$@"; do
	[ -f "$ko" ] || die "$ko: no such module"
	if has_section .BTF "$ko"; then
		[ "$ko" -nt "$vmlinux" ] && continue
		# BTF from an older base: encode again.
		objcopy --remove-section=.BTF "$ko"
	fi
	[ -n "$flags" ] || flags=$(pahole_flags)
	# shellcheck disable=SC2086 # flags are words
	LLVM_OBJCOPY=objcopy pahole -J $flags --btf_base "$vmlinux" "$ko" ||
		die "pahole failed on $ko"
	has_section .BTF "$ko" || die "pahole added no .BTF to $ko"
	if has_section .BTF_ids "$ko"; then
		rb=$(find_resolve_btfids)
		[ -n "$rb" ] || die "$ko has .BTF_ids but resolve_btfids is not installed"
		"$rb" -b "$vmlinux" "$ko" || die "resolve_btfids failed on $ko"
	fi
done
