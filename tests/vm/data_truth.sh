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
run_nested 200 "$bin/test_data_truth"
unload_modules
tap_done
