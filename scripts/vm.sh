#!/bin/sh
# Boot a target Debian kernel in QEMU (TCG) with the host root shared
# read-only (9p) under a tmpfs overlay, run one shell command in the guest
# from the project tree, and return its exit status. The guest's stdout and
# stderr stream to ours as it runs.
#
# usage: scripts/vm.sh [options] -- <guest shell command>
#   --kernel 6.12|6.1|<release>  target kernel (default 6.12; series resolved
#                                 with scripts/kernels.sh)
#   --timeout SEC    kill the VM and fail after SEC seconds (default 600)
#   --mem MB         guest memory (default 2048)
#   --smp N          guest CPUs (default 2)
#   --keep-log DIR   always copy console log, dmesg and output to DIR
#   --allow-dmesg RE ignore kernel-log lines matching the extended regex RE
#                    in the problem scan (for tests that provoke them)
#
# Exit status: the guest command's, or
#   240  timeout (VM killed)
#   241  VM or guest setup failed (no exit status came back)
#   242  kernel problem in the guest's log (WARNING, BUG, Oops, panic, lockup,
#        ...), also when it ended the run early
# On 240-242 the console log and dmesg are kept in build/vm/logs/<run-id>/.
#
# In the guest: cwd is the project tree; QAIC_TOP, QAIC_VM=1,
# QAIC_VM_RELEASE and QAIC_VM_OUT (a directory whose files the host keeps with
# the logs) are set; /sys/kernel/{debug,tracing} and /sys/fs/bpf are mounted.
# The guest's /tmp and /run are its own tmpfs: the host's are not visible
# (the project tree stays visible wherever it is).
set -eu

die() {
	echo "vm.sh: $*" >&2
	exit 241
}

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
kernel=6.12
timeout=600
mem=2048
smp=2
keep=""
allow=""

while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--keep-log) keep=$2; shift 2 ;;
	--allow-dmesg) allow=$2; shift 2 ;;
	--) shift; break ;;
	-h | --help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
done
[ $# -gt 0 ] || die "no guest command (usage: vm.sh [options] -- <command>)"

case $kernel in
*.*.*) rel=$kernel ;;
*) rel=$("$top/scripts/kernels.sh" | grep -m1 "^$(echo "$kernel" | sed 's/\./\\./g')\." || true) ;;
esac
[ -n "$rel" ] || die "no installed $kernel kernel with headers (run scripts/deps.sh)"
[ -r "/boot/vmlinuz-$rel" ] || die "/boot/vmlinuz-$rel not found"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not found (scripts/deps.sh)"

initramfs=$("$top/scripts/mkinitramfs.sh" "$rel") || die "initramfs build failed"
# Boot the uncompressed ELF through its PVH entry: the guest skips
# decompressing itself (about 2 s of TCG time for 6.1's xz). No KASLR then.
kimage=$("$top/scripts/extract-vmlinux.sh" "$rel") || kimage=/boot/vmlinuz-$rel

id=$(date +%Y%m%d-%H%M%S)-$$-$rel
run=$build/vm/run/$id
mkdir -p "$run/out"
printf '%s\n' "$top" >"$run/out/top"
printf '%s\n' "$*" >"$run/out/cmd"
: >"$run/out/stdout"
: >"$run/out/stderr"

qpid=""
cleanup() {
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null
	rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# quiet console, but warnings and worse still reach it (for timeouts/panics);
# panic=-1 with -no-reboot: a panic ends QEMU at once.
append="console=ttyS0 quiet loglevel=5 panic=-1 mitigations=off tsc=reliable"

# Single-threaded TCG: with one host thread per vCPU (MTTCG) a vCPU can run a
# stale translation of kernel text that another vCPU just patched, and the
# int3 of text_poke_bp() then oopses ("Oops: int3") at boot or whenever a
# tracepoint or static key is toggled. Round-robin vCPUs do not race.
start=$(date +%s.%N)
timeout -k 5 "$timeout" qemu-system-x86_64 \
	-accel tcg,thread=single -cpu max -smp "$smp" -m "$mem" \
	-nographic -nodefaults -no-user-config -no-reboot -monitor none \
	-serial "file:$run/console.log" \
	-kernel "$kimage" -initrd "$initramfs" -append "$append" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs "local,path=$run/out,mount_tag=outdir,security_model=none" \
	</dev/null >"$run/qemu.log" 2>&1 &
qpid=$!
tail -n +1 -s 0.2 -f --pid=$qpid "$run/out/stdout" &
t1=$!
tail -n +1 -s 0.2 -f --pid=$qpid "$run/out/stderr" >&2 &
t2=$!
qrc=0
wait $qpid || qrc=$?
qpid=""
wait $t1 $t2 || true
end=$(date +%s.%N)
wall=$(echo "$start $end" | awk '{ printf "%.1f", $2 - $1 }')

status=0
why=""
vmfail=1
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	status=240
	why="timeout after ${timeout}s"
elif [ -s "$run/out/rc" ]; then
	status=$(cat "$run/out/rc")
	vmfail=0
else
	status=241
	why="guest ended without an exit status, QEMU status $qrc"
	[ -s "$run/out/init-error" ] && why="$why: $(cat "$run/out/init-error")"
fi

# Kernel problems fail the run even when the command passed.
problems='WARNING:|BUG:|Oops|general protection|list_del corruption|list_add corruption'
problems="$problems|soft lockup|hard LOCKUP|self-detected stall|detected stalls|RCU stall"
problems="$problems|Kernel panic|blocked for more than|UBSAN:|KASAN:|kernel BUG"
klog=$run/out/dmesg
[ -s "$klog" ] || klog=$run/console.log
if [ -s "$klog" ]; then
	hits=$(grep -nE "$problems" "$klog" | { if [ -n "$allow" ]; then grep -vE "$allow"; else cat; fi; } || true)
	if [ -n "$hits" ]; then
		first=$(echo "$hits" | head -1 | cut -d: -f1)
		echo "vm.sh: kernel problem in the guest log ($(basename "$klog")):" >&2
		sed -n "$((first > 3 ? first - 3 : 1)),$((first + 40))p" "$klog" | sed 's/^/vm.sh: | /' >&2
		why="kernel problem in the guest log${why:+ ($why)}"
		status=242
		vmfail=1
	fi
fi

if [ -n "$keep" ]; then
	mkdir -p "$keep"
	cp -r "$run/." "$keep/"
fi
if [ $vmfail = 1 ]; then
	logs=$build/vm/logs/$id
	mkdir -p "$build/vm/logs"
	cp -r "$run" "$logs"
	echo "vm.sh: $rel: $why; ${wall}s; logs in $logs" >&2
	if [ "$status" != 242 ]; then
		echo "vm.sh: last console lines:" >&2
		# without the firmware's terminal escapes
		tail -n 25 "$run/console.log" 2>/dev/null |
			sed 's/\x1bc//g; s/\x1b\[[0-9;?]*[a-zA-Z]//g; s/^/vm.sh: | /' >&2
		sed 's/^/vm.sh: qemu: /' "$run/qemu.log" >&2
	fi
fi
[ -n "${VM_VERBOSE:-}" ] && echo "vm.sh: $rel: exit $status in ${wall}s" >&2
exit "$status"
