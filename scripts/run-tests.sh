#!/bin/sh
# The test runner behind `make test`: runs test suites that print TAP and ends
# with one summary line "N passed, N failed"; exits non-zero on any failure.
#
# usage: scripts/run-tests.sh [--list] [SUITE...]
#   unit            host: every build/tests/unit/* program
#   bpf             host: every build/tests/bpf/* program (BPF_PROG_TEST_RUN)
#   vm-6.12         one 6.12 VM boot per tests/vm/*.sh file that runs on 6.12
#   vm-6.1          the same on 6.1
#   SUITE/NAME      one program or one VM suite file, e.g. vm-6.1/smoke_boot
# Default: unit bpf vm-6.12 vm-6.1.
#
# A VM suite file declares its kernels in its first lines with
# "# kernels: 6.12 6.1" (default 6.12 only), and may set "# timeout: SEC"
# (default 600) and "# allow-dmesg: REGEX" (kernel-log lines a test provokes
# on purpose). A VM run that times out, fails to boot or leaves a kernel
# problem in dmesg counts as one failed test named after the suite.
# Each run's logs go to build/test-logs/<suite>/.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
cd "$top" || exit 1
SERIES="6.12 6.1"
DEFAULT_SUITES="unit bpf vm-6.12 vm-6.1"
UNIT_TIMEOUT=300

tmp=$(mktemp -d "${TMPDIR:-/tmp}/qaic-tests.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
: >"$tmp/times"
passed=0
failed=0

now() {
	date +%s.%N
}

elapsed() {
	echo "$1 $(now)" | awk '{ printf "%.1f", $2 - $1 }'
}

header() {
	sed -n "1,8s/^# $1: *//p" "$2" | head -n 1
}

vm_files() {
	for f in tests/vm/*.sh; do
		[ -f "$f" ] || continue
		case $(basename "$f") in *-lib.sh) continue ;; esac	# sourced helpers
		kernels=$(header kernels "$f")
		for k in ${kernels:-6.12}; do
			[ "$k" = "$1" ] && basename "$f" .sh
		done
	done
}

host_programs() {
	[ -d "$build/tests/$1" ] || return 0
	find "$build/tests/$1" -maxdepth 1 -type f -perm -u+x | sort | while read -r p; do
		basename "$p"
	done
}

release_of() {
	"$top/scripts/kernels.sh" | grep -m1 "^$(echo "$1" | sed 's/\./\\./g')\."
}

# One failed test that stands for a whole run (crash, timeout, nothing ran).
fail_run() {
	echo "[$1] not ok - $1: $2"
	failed=$((failed + 1))
}

# Run a command whose output is TAP, show it prefixed with the suite, and
# add up its results. $1 = suite label, the rest = the command.
run_tap() {
	label=$1
	shift
	logdir=$build/test-logs/$label
	rm -rf "$logdir"
	mkdir -p "$logdir"
	t0=$(now)
	{
		"$@" 2>&1
		echo $? >"$tmp/status"
	} | tee "$logdir/output" | awk -v p="[$label] " -v cf="$tmp/counts" '
		/^ok [0-9]+/ { pass++ }
		/^not ok [0-9]+/ { fail++ }
		/^1\.\.[0-9]+/ { plan = substr($0, 4) + 0; hasplan = 1 }
		{ print p $0; fflush() }
		END { print pass + 0, fail + 0, hasplan + 0, plan + 0 > cf }'
	secs=$(elapsed "$t0")
	echo "$label $secs" >>"$tmp/times"
	status=$(cat "$tmp/status")
	read -r pass fail hasplan plan <"$tmp/counts"
	passed=$((passed + pass))
	failed=$((failed + fail))
	case $status in
	240) fail_run "$label" "VM timed out (logs: $logdir)" ;;
	241) fail_run "$label" "VM failed to boot or set up the guest (logs: $logdir)" ;;
	242) fail_run "$label" "kernel problem (WARNING/BUG/Oops/panic/lockup/stall) in the guest log (logs: $logdir)" ;;
	*)
		if [ "$status" = 124 ] && [ "$fail" -eq 0 ]; then
			fail_run "$label" "exited 124 (timed out)"
		elif [ $((pass + fail)) -eq 0 ]; then
			fail_run "$label" "no TAP results (exit status $status)"
		elif [ "$status" != 0 ] && [ "$fail" -eq 0 ]; then
			fail_run "$label" "exited with status $status"
		elif [ "$hasplan" = 1 ] && [ "$plan" -ne $((pass + fail)) ]; then
			fail_run "$label" "planned $plan tests, ran $((pass + fail))"
		fi
		;;
	esac
	echo "[$label] # ${secs}s"
}

# Build the test programs of one directory if it has a Makefile.
build_tests() {
	[ -f "tests/$1/Makefile" ] || return 0
	out=$(make -s -C "tests/$1" 2>&1) && return 0
	printf '%s\n' "$out" | sed "s|^|[build/tests/$1] # |"
	fail_run "build/tests/$1" "make -C tests/$1 failed"
	return 1
}

run_host() {
	kind=$1
	only=${2:-}
	build_tests "$kind" || return
	progs=$(host_programs "$kind")
	if [ -z "$progs" ]; then
		if ls "tests/$kind"/*.c >/dev/null 2>&1; then
			fail_run "$kind" "tests/$kind has sources but build/tests/$kind has no programs"
		else
			echo "[$kind] # no $kind tests in this tree"
		fi
		return
	fi
	if [ -n "$only" ]; then
		echo "$progs" | grep -qx "$only" || { fail_run "$kind/$only" "no such program"; return; }
		progs=$only
	fi
	for p in $progs; do
		run_tap "$kind/$p" timeout -k 5 "$UNIT_TIMEOUT" "$build/tests/$kind/$p"
	done
}

run_vm() {
	series=$1
	only=${2:-}
	case " $SERIES " in
	*" $series "*) ;;
	*) fail_run "vm-$series" "not a target kernel (targets: $SERIES)"; return ;;
	esac
	rel=$(release_of "$series")
	if [ -z "$rel" ]; then
		fail_run "vm-$series" "no $series kernel with headers installed (run scripts/deps.sh)"
		return
	fi
	build_tests vm || return
	files=$(vm_files "$series")
	[ -n "$files" ] || echo "[vm-$series] # no suites run on $series"
	if [ -n "$only" ]; then
		echo "$files" | grep -qx "$only" ||
			{ fail_run "vm-$series/$only" "no such suite for $series"; return; }
		files=$only
	fi
	for name in $files; do
		f=tests/vm/$name.sh
		t=$(header timeout "$f")
		allow=$(header allow-dmesg "$f")
		label=vm-$series/$name
		run_tap "$label" "$top/scripts/vm.sh" --kernel "$rel" --timeout "${t:-600}" \
			--keep-log "$build/test-logs/$label/vm" ${allow:+--allow-dmesg "$allow"} \
			-- sh "$f"
	done
}

list() {
	for s in $DEFAULT_SUITES; do
		case $s in
		vm-*)
			rel=$(release_of "${s#vm-}")
			echo "$s (${rel:-kernel not installed})"
			for n in $(vm_files "${s#vm-}"); do
				echo "  $s/$n"
			done
			;;
		*)
			echo "$s (build/tests/$s/)"
			for n in $(host_programs "$s"); do
				echo "  $s/$n"
			done
			;;
		esac
	done
}

if [ "${1:-}" = --list ]; then
	list
	exit 0
fi
case ${1:-} in -h | --help)
	sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'
	exit 0
	;;
esac

[ $# -gt 0 ] || set -- $DEFAULT_SUITES
for s in "$@"; do
	case $s in
	unit | unit/* | bpf | bpf/*) run_host "${s%%/*}" "$(echo "$s" | sed -n 's|^[^/]*/||p')" ;;
	vm-*) run_vm "$(echo "${s#vm-}" | cut -d/ -f1)" "$(echo "$s" | sed -n 's|^[^/]*/||p')" ;;
	*) fail_run "$s" "unknown suite (see --list)" ;;
	esac
done

echo "# suite wall times:"
awk '{ printf "#   %-40s %7.1fs\n", $1, $2; total += $2 }
	END { printf "#   %-40s %7.1fs\n", "total", total }' "$tmp/times"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
