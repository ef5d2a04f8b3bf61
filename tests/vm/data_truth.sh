#!/bin/sh
# kernels: 6.12
# timeout: 300
# The driver's per-client figures (fdinfo memory and busy time,
# PERF_STATS_BO) against the sim's ground truth (tests/vm/test_data_truth.c).
. "$QAIC_TOP/tests/vm/guest-lib.sh"

bin=$QAIC_TOP/build/tests/vm
load_modules || { tap_fail "modules load" "insmod failed"; tap_done; }
wait_for 'grep -qx ONLINE /sys/class/accel/accel*/device/qaic/state' 20 ||
	tap_fail "card ONLINE" "state $(cat /sys/class/accel/accel*/device/qaic/state)"
"$bin/test_data_truth" >/tmp/truth.out 2>&1
st=$?
while IFS= read -r line; do
	case "$line" in
	"ok "*) tap_ok "${line#ok * - }" ;;
	"not ok "*) tap_fail "${line#not ok * - }" "see diagnostics" ;;
	"# "*) echo "$line" ;;
	1..*) ;;
	*) tap_diag "$line" ;;
	esac
done </tmp/truth.out
[ $st -le 1 ] || tap_fail "test_data_truth exit status" "$st"
unload_modules
tap_done
