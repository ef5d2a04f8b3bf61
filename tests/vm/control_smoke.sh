#!/bin/sh
# kernels: 6.1 6.12
# timeout: 200
# Control-path smoke test for every target kernel (6.1: DRM render node):
# the card comes ONLINE through MHI, a workload is activated and released,
# a tracepoint is read, and one inference goes through the data path.
. "$QAIC_TOP/tests/vm/guest-lib.sh"

bin=$QAIC_TOP/build/tests/vm
state() { cat /sys/class/drm/renderD*/device/qaic/state /sys/class/accel/accel*/device/qaic/state 2>/dev/null; }

load_modules -- control_resp_timeout_s=5 || { tap_fail "modules load" "insmod failed"; tap_done; }
if wait_for 'cat /sys/class/drm/renderD*/device/qaic/state /sys/class/accel/accel*/device/qaic/state 2>/dev/null | grep -qx ONLINE' 20; then
	tap_ok "card reaches ONLINE through MHI on $(kernel_series)"
else
	tap_fail "card reaches ONLINE through MHI on $(kernel_series)" "state '$(state)'"
fi
if [ "$(kernel_series)" = 6.1 ]; then
	tap_check "render node bound to qaic" sh -c \
		'readlink /sys/class/drm/renderD*/device/driver | grep -q qaic-sim'
fi

trace-cmd record -q -e qaic:qaic_workload_activate -e qaic:qaic_workload_deactivate \
	-o /tmp/smoke.dat "$bin/manage_traffic" 1 >/tmp/smoke.out 2>&1
rc=$?
dbc=$(sed -n 's/^dbc=//p' /tmp/smoke.out)
if [ $rc = 0 ] && [ -n "$dbc" ]; then
	tap_ok "activate and deactivate a workload (dbc $dbc)"
else
	tap_fail "activate and deactivate a workload" "exit $rc: $(cat /tmp/smoke.out)"
fi
n=$(trace-cmd report -i /tmp/smoke.dat 2>/dev/null | grep -c "qaic_workload_.*dbc=$dbc ")
if [ "$n" = 2 ]; then
	tap_ok "tracepoints saw the activation and the release"
else
	tap_fail "tracepoints saw the activation and the release" "$n events"
fi

# The data path: one sim-network inference, execute and wait, output bytes
# checked against the network's transform (tests/vm/test_data_roundtrip.c).
tap_check "one execute/wait round trip with the output data checked" \
	"$bin/test_data_roundtrip" --one

tap_check "modules unload" unload_modules
tap_done
