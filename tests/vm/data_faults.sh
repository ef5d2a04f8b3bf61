#!/bin/sh
# kernels: 6.12
# timeout: 300
# Data-path faults of the sim and the driver under them, checked against the
# sim's ground truth (tests/vm/test_data_faults.c): a slow NSP (nsp_slow), a
# dropped completion MSI (dbc_drop_msi) with interrupts, a DBC left stalled on
# demand and released by killing its owner, and the dropped MSI again with
# datapath_polling=1. No kernel splat; the modules unload.
. "$QAIC_TOP/tests/vm/guest-lib.sh"

bin=$QAIC_TOP/build/tests/vm
online="grep -qx ONLINE /sys/class/accel/accel*/device/qaic/state"
splat='WARNING|BUG|Oops|Call Trace|general protection|list_(add|del) corruption|refcount_t'

bo_counts() {
	grep -E '^bos |^bo_mappings ' /sys/kernel/debug/qaic/*/state | tr '\n' ' '
}
bo_counts_zero() {
	[ "$(bo_counts)" = "bos 0 bo_mappings 0 " ]
}
# A "key value" line of the driver's debugfs dbc<N>.
dbc_value() {
	awk -v k="$2" '$1 == k { print $2 }' /sys/kernel/debug/qaic/*/dbc"$1"
}

dmesg_mark
load_modules || { tap_fail "modules load" "insmod failed"; tap_done; }
wait_for "$online" 20 || tap_fail "card ONLINE" "not ONLINE"

run_nested 60 "$bin/test_data_faults" nsp_slow
run_nested 30 "$bin/test_data_faults" drop_msi

# A DBC left stalled on demand (the profiler's stall scenario), released by
# killing its owner: the driver frees everything when the fd closes.
"$bin/test_data_faults" stall >/tmp/stall.out 2>&1 &
pid=$!
if wait_for 'grep -q "^stalled " /tmp/stall.out' 20; then
	tap_ok "stall mode: $(cat /tmp/stall.out)"
	dbc=$(sed -n 's/^stalled dbc=\([0-9]*\) .*/\1/p' /tmp/stall.out)
	age1=$(dbc_value "$dbc" oldest_age_ns)
	sleep 0.3
	age2=$(dbc_value "$dbc" oldest_age_ns)
	queued=$(dbc_value "$dbc" queued_bos)
	if [ "$queued" = 2 ] && [ "${age2:-0}" -ge $((${age1:-0} + 300000000)) ]; then
		tap_ok "stall mode: dbc$dbc holds 2 BOs, oldest age $age1 -> $age2 ns"
	else
		tap_fail "stall mode: dbc$dbc holds 2 BOs with a growing age" \
			"queued_bos '$queued', oldest_age_ns '$age1' -> '$age2'"
	fi
else
	tap_fail "stall mode: ready" "$(cat /tmp/stall.out)"
	dbc=""
fi
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
if wait_for bo_counts_zero 5; then
	tap_ok "stall mode killed: driver counts no BO and no BO mapping"
else
	tap_fail "stall mode killed: driver counts no BO and no BO mapping" "$(bo_counts)"
fi
if [ -n "$dbc" ]; then
	state=$(dbc_value "$dbc" state)
	if [ "$state" = free ]; then
		tap_ok "stall mode killed: dbc$dbc free"
	else
		tap_fail "stall mode killed: dbc$dbc free" "state '$state'"
	fi
fi

# The same fault with the driver polling instead of taking interrupts.
tap_check "modules unload (interrupts)" unload_modules
if load_modules -- datapath_polling=1; then
	wait_for "$online" 20 || tap_fail "card ONLINE (polling)" "not ONLINE"
	run_nested 30 "$bin/test_data_faults" polling
else
	tap_fail "modules load with datapath_polling=1" "insmod failed"
fi
tap_check "modules unload (polling)" unload_modules

problems=$(dmesg_since_mark | grep -E "$splat")
if [ -z "$problems" ]; then
	tap_ok "no kernel splat in dmesg"
else
	tap_fail "no kernel splat in dmesg" "see below"
	tap_diag "$problems"
fi
tap_done
