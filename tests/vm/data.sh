#!/bin/sh
# kernels: 6.12
# timeout: 420
# The data path on the primary kernel: ioctl conformance (every bad argument of
# every data-path ioctl, tests/vm/test_data_conf.c), sim-network round trips
# with data checked (tests/vm/test_data_roundtrip.c), again with
# datapath_polling=1, again with a single MSI shared by MHI and every DBC
# (the sim's msi_vectors=1), no kernel splat, and the card still answering
# STATUS at the end.
. "$QAIC_TOP/tests/vm/guest-lib.sh"

bin=$QAIC_TOP/build/tests/vm
online="cat /sys/class/accel/accel*/device/qaic/state /sys/class/drm/renderD*/device/qaic/state 2>/dev/null | grep -qx ONLINE"

load_modules -- control_resp_timeout_s=5 || { tap_fail "modules load" "insmod failed"; tap_done; }
wait_for "$online" 20 || tap_fail "card ONLINE" "not ONLINE"
# vgem exports the foreign dma-buf test_data_roundtrip imports.
modprobe vgem || tap_diag "modprobe vgem failed"
dmesg_mark

run_nested 120 "$bin/test_data_conf"
run_nested 120 "$bin/test_data_roundtrip"

# Every program has exited: the driver's count of BOs and BO mappings is 0.
state_file=$(ls /sys/kernel/debug/qaic/*/state | head -n 1)
if wait_for "grep -qx 'bos 0' $state_file && grep -qx 'bo_mappings 0' $state_file" 5; then
	tap_ok "no BO and no BO mapping left after the programs exit"
else
	tap_fail "no BO and no BO mapping left after the programs exit" \
		"$(grep -E '^bos|^bo_mappings' "$state_file" | tr '\n' ' ')"
fi

# The same traffic with completions found by polling instead of MSIs.
tap_check "modules unload (interrupt mode)" unload_modules
load_modules -- control_resp_timeout_s=5 datapath_polling=1 ||
	{ tap_fail "modules load with datapath_polling=1" "insmod failed"; tap_done; }
wait_for "$online" 20 || tap_fail "card ONLINE (polling mode)" "not ONLINE"
tap_check "datapath_polling=1 is in effect" grep -qx Y /sys/module/qaic/parameters/datapath_polling
run_nested 120 "$bin/test_data_roundtrip" 2 20

# One MSI for the whole card: the DBC handlers share it with MHI's.
tap_check "modules unload (polling mode)" unload_modules
load_modules msi_vectors=1 -- control_resp_timeout_s=5 ||
	{ tap_fail "modules load with msi_vectors=1" "insmod failed"; tap_done; }
wait_for "$online" 20 || tap_fail "card ONLINE (single MSI)" "not ONLINE"
dbc0=$(ls /sys/kernel/debug/qaic/*/dbc0 | head -n 1)
tap_check "DBC interrupts are shared with MHI" grep -qx 'irq_shared 1' "$dbc0"
run_nested 120 "$bin/test_data_roundtrip" 2 20
tap_check "device answers STATUS over the shared MSI" "$bin/manage_traffic" 1

splat=$(dmesg_since_mark | grep -E 'WARNING|BUG|Oops|Call Trace|general protection')
[ -z "$splat" ] && tap_ok "no kernel splat in dmesg" ||
	{ tap_fail "no kernel splat in dmesg" "see diagnostics"; tap_diag "$splat"; }
tap_check "card still ONLINE" sh -c "$online"
tap_check "device answers STATUS" "$bin/manage_traffic" 1
tap_check "modules unload" unload_modules
tap_done
