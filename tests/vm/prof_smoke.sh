#!/bin/sh
# kernels: 6.12 6.1
# timeout: 300
# The same qaic-prof build on both target kernels (CO-RE): the BPF programs
# load and attach both ways (raw_tp and, as the fallback, the classic
# tracepoints relocated against the module's BTF) and add up
# (build/tests/bpf/test_prof_attach); `qaic-prof lat` reports a workload it
# watched, with raw_tp and with --attach tp; clear errors when it cannot run.
. "$QAIC_TOP/tests/vm/guest-lib.sh"
. "$QAIC_TOP/tests/vm/prof-lib.sh"

out=$(mktemp -d)
online="cat /sys/class/accel/accel*/device/qaic/state /sys/class/drm/renderD*/device/qaic/state 2>/dev/null | grep -qx ONLINE"

# Before the driver is loaded: a clear error and its own exit code.
"$prof" lat 1 1 >"$out/o" 2>"$out/e"
rc=$?
tap_check "without the driver: exit 5 and says so ($(cat "$out/e"))" \
	sh -c "[ $rc = 5 ] && grep -q 'driver' '$out/e'"

load_modules || { tap_fail "modules load" "insmod failed"; tap_done; }
wait_for "$online" 20 || tap_fail "card ONLINE" "not ONLINE"
workload="$run -t 3s -w name=s,in=64K,out=4K,dist=lognormal,mean=1ms,outstanding=2"

run_nested 200 "$QAIC_TOP/build/tests/bpf/test_prof_attach" $workload

for how in raw tp; do
	prof_start "$out/lat.$how" lat --json --attach "$how" ||
		tap_fail "lat --attach $how starts" "$(cat "$out/lat.$how.err")"
	pid=$prof_pid
	$workload >/dev/null 2>&1
	prof_stop "$pid"
	n=$(jq -r '[.workloads[].stages.e2e.count] | add // 0' "$out/lat.$how")
	p50=$(jq -r '[.workloads[].stages.device.p50_ns] | max // 0' "$out/lat.$how")
	lost=$(jq -r '.counters | .inflight_full + .keys_full + .stages_skipped' "$out/lat.$how")
	tap_check "lat --attach $how on $(uname -r): $n requests, device p50 $p50 ns, nothing lost" \
		sh -c "[ '$n' -gt 100 ] && [ '$lost' = 0 ] && awk 'BEGIN { exit !($p50 > 0) }'"
done

# Started with traffic already in flight: it counts what it can pair and
# reports the completions it never saw submitted, nothing worse.
$run -t 3s -w name=m,in=64K,out=4K,dist=lognormal,mean=5ms,outstanding=8 >/dev/null 2>&1 &
wl=$!
sleep 1
prof_start "$out/mid" lat --json || tap_fail "lat starts mid-flight" "$(cat "$out/mid.err")"
mid_pid=$prof_pid
wait $wl
prof_stop "$mid_pid"
n=$(jq -r '[.workloads[].stages.e2e.count] | add // 0' "$out/mid")
orphans=$(jq -r '.counters.orphan_completions' "$out/mid")
tap_check "started mid-flight: $n requests measured, $orphans orphan completions reported" \
	sh -c "[ '$n' -gt 50 ] && [ '$orphans' -gt 0 ]"

# The device goes away under it (driver unbound): it says so and exits 0;
# with --follow it keeps going and says when the device is back.
dev=$(basename "$(readlink -f /sys/class/accel/accel0/device 2>/dev/null ||
	readlink -f /sys/class/drm/renderD128/device)")
drv=$(basename "$(readlink -f "/sys/bus/platform/devices/$dev/driver")")
prof_start "$out/gone" lat --json 0.3 || tap_fail "lat starts" "$(cat "$out/gone.err")"
gone_pid=$prof_pid
prof_start "$out/follow" lat --json --follow 0.3 || tap_fail "lat --follow starts" ""
follow_pid=$prof_pid
echo "$dev" >"/sys/bus/platform/drivers/$drv/unbind"
wait_for "! kill -0 $gone_pid 2>/dev/null" 10
wait "$gone_pid"
rc=$?
tap_check "device unbound: lat says so and exits 0 ($(grep 'no qaic' "$out/gone.err"))" \
	sh -c "[ $rc = 0 ] && grep -q 'no qaic device left' '$out/gone.err'"
echo "$dev" >"/sys/bus/platform/drivers/$drv/bind"
wait_for "$online" 20 || tap_fail "card ONLINE again after bind" "not ONLINE"
wait_for "grep -q 'is back' '$out/follow.err'" 10
tap_check "with --follow it is still there and sees the device back" \
	sh -c "kill -0 $follow_pid && grep -q 'is back' '$out/follow.err'"
prof_stop "$follow_pid"

# Without CAP_BPF/CAP_PERFMON (an unprivileged user): exit 3 and says so.
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$prof" lat 1 1 >"$out/o" 2>"$out/e"
rc=$?
tap_check "unprivileged: exit 3 and names the capabilities ($(head -n 1 "$out/e"))" \
	sh -c "[ $rc = 3 ] && grep -q CAP_BPF '$out/e'"

# Bad arguments: exit 2 and a message naming the flag.
for args in "lat --dbc 16" "lat -m -u" "lat 5x" "bw --device card0" "top --sort nope" \
	"record" "lat 1 0"; do
	# shellcheck disable=SC2086
	"$prof" $args >"$out/o" 2>"$out/e"
	rc=$?
	tap_check "qaic-prof $args: exit 2 ($(head -n 1 "$out/e"))" test $rc = 2
done

rm -rf "$out"
unload_modules
tap_done
