# Shell helpers for the guest test suites (tests/vm/*.sh). Source it:
#   . "$QAIC_TOP/tests/vm/guest-lib.sh"
# Suites run in the test VM (scripts/vm.sh) with the project tree as cwd.
#
# TAP: every test prints "ok <n> - <name>" or "not ok <n> - <name>: <reason>";
# "# ..." lines are diagnostics. End a suite with tap_done.
#   tap_ok NAME                  record a pass
#   tap_fail NAME REASON         record a failure
#   tap_check NAME CMD [ARG...]  run CMD; pass on exit 0, else fail with the
#                                exit status and CMD's output as diagnostics
#   tap_diag TEXT                print a "# TEXT" diagnostic
#   tap_done                     print the plan "1..N"; exit 1 if any failed
#   run_nested SECONDS PROG [ARG...]
#                                run a TAP program (it prints its own plan)
#                                under a time limit and count its results as
#                                this suite's; other output becomes
#                                diagnostics; exit status > 1 is a failure
# Modules:
#   load_modules [SIM_PARAM...] [-- DRIVER_PARAM...]
#                                modprobe drm, mhi (and whatever else the .ko
#                                files depend on), insmod qaic_sim.ko then qaic.ko
#                                from build/kmod/$(uname -r)/ with the parameters
#   unload_modules               rmmod qaic then qaic_sim
# Misc:
#   wait_for CMD TIMEOUT_SEC     poll the shell command string CMD (evaluated in
#                                a subshell: suite functions work) every 0.1 s
#                                until it succeeds (0) or TIMEOUT_SEC pass (1)
#   kernel_series                print 6.12 or 6.1
#   dmesg_mark / dmesg_since_mark  kernel log lines added after the mark

: "${QAIC_TOP:=$(pwd)}"
QAIC_KMOD=$QAIC_TOP/build/kmod/$(uname -r)
_tap_n=0
_tap_failed=0

run_nested() {
	_limit=$1
	shift
	timeout "$_limit" "$@" >/tmp/nested.out 2>&1
	_st=$?
	while IFS= read -r _line; do
		case "$_line" in
		"ok "*) tap_ok "${_line#ok * - }" ;;
		"not ok "*) _r=${_line#not ok * - }; tap_fail "${_r%%: *}" "${_r#*: }" ;;
		"#"*) echo "$_line" ;;
		1..*) ;;
		*) tap_diag "$_line" ;;
		esac
	done </tmp/nested.out
	[ $_st -le 1 ] || tap_fail "$(basename "$1") $2 exited $_st" "124 = killed after ${_limit}s"
}

tap_diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

tap_ok() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1"
}

tap_fail() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $1: ${2:-failed}"
}

tap_check() {
	_name=$1
	shift
	_out=$("$@" 2>&1)
	_rc=$?
	if [ $_rc -eq 0 ]; then
		tap_ok "$_name"
	else
		tap_fail "$_name" "'$*' exited $_rc"
		[ -n "$_out" ] && tap_diag "$(printf '%s\n' "$_out" | tail -n 20)"
	fi
	return $_rc
}

tap_done() {
	echo "1..$_tap_n"
	[ $_tap_failed -eq 0 ] || exit 1
	exit 0
}

kernel_series() {
	uname -r | cut -d. -f1,2
}

wait_for() {
	_deadline=$(($(date +%s%N) / 1000000 + ${2:-10} * 1000))
	while ! (eval "$1") >/dev/null 2>&1; do
		[ $(($(date +%s%N) / 1000000)) -ge $_deadline ] && return 1
		sleep 0.1
	done
	return 0
}

# modprobe what a module file declares it needs (not our own modules).
_load_deps() {
	for _dep in $(modinfo -F depends "$1" 2>/dev/null | tr ',' ' '); do
		case $_dep in
		qaic | qaic_sim) ;;
		*) modprobe "$_dep" || { echo "modprobe $_dep failed" >&2; return 1; } ;;
		esac
	done
}

load_modules() {
	_sim_params=""
	_drv_params=""
	_to_driver=0
	for _a in "$@"; do
		if [ "$_a" = "--" ]; then
			_to_driver=1
		elif [ $_to_driver -eq 1 ]; then
			_drv_params="$_drv_params $_a"
		else
			_sim_params="$_sim_params $_a"
		fi
	done
	_sim=$QAIC_KMOD/sim/qaic_sim.ko
	_drv=$QAIC_KMOD/driver/qaic.ko
	for _ko in "$_sim" "$_drv"; do
		[ -f "$_ko" ] || { echo "$_ko not built (make modules)" >&2; return 1; }
	done
	# On 6.12 the accel core is part of drm.ko.
	modprobe drm || { echo "modprobe drm failed" >&2; return 1; }
	modprobe mhi || { echo "modprobe mhi failed" >&2; return 1; }
	_load_deps "$_sim" && _load_deps "$_drv" || return 1
	# shellcheck disable=SC2086 # parameters are words
	insmod "$_sim" $_sim_params || { echo "insmod qaic_sim.ko failed" >&2; return 1; }
	# shellcheck disable=SC2086
	insmod "$_drv" $_drv_params || {
		echo "insmod qaic.ko failed" >&2
		rmmod qaic_sim
		return 1
	}
}

unload_modules() {
	_rc=0
	if [ -d /sys/module/qaic ]; then
		rmmod qaic || _rc=1
	fi
	if [ -d /sys/module/qaic_sim ]; then
		rmmod qaic_sim || _rc=1
	fi
	return $_rc
}

dmesg_mark() {
	_dmesg_mark=$(dmesg | wc -l)
}

dmesg_since_mark() {
	dmesg | tail -n +$((${_dmesg_mark:-0} + 1))
}
