#!/bin/sh
# kernels: 6.12
# timeout: 400
# The control path on the primary kernel: the simulated card comes up through
# the kernel's own MHI stack, MANAGE conformance (tests/vm/test_manage.c),
# module load/unload cycles, and the qaic:* control tracepoints as perf,
# trace-cmd, perf-tools' tpoint and bpftrace see them, cross-checked against
# the kernel's own mhi_host events.
. "$QAIC_TOP/tests/vm/guest-lib.sh"

bin=$QAIC_TOP/build/tests/vm
node_count() { ls /sys/bus/platform/devices 2>/dev/null | grep -c '^qaic-sim'; }
online='grep -qx ONLINE /sys/class/accel/accel*/device/qaic/state'

# --- load/unload cycles ---------------------------------------------------
base_irqs=$(wc -l </proc/interrupts)
ok=1
for i in 1 2 3 4 5 6 7 8 9 10; do
	load_modules -- control_resp_timeout_s=2 || { ok=0; tap_diag "load $i failed"; break; }
	wait_for "$online" 20 || { ok=0; tap_diag "cycle $i: card not ONLINE"; }
	unload_modules || { ok=0; tap_diag "unload $i failed"; break; }
done
[ $ok = 1 ] && tap_ok "10 load/online/unload cycles" ||
	tap_fail "10 load/online/unload cycles" "see diagnostics"
left=""
[ "$(node_count)" = 0 ] || left="$left platform-devices"
[ -z "$(ls /sys/bus/mhi/devices 2>/dev/null)" ] || left="$left mhi-devices"
[ -z "$(ls /sys/class/accel 2>/dev/null)" ] || left="$left accel-nodes"
[ ! -e /sys/kernel/debug/qaic ] || left="$left debugfs-qaic"
[ ! -e /sys/kernel/debug/qaic_sim ] || left="$left debugfs-qaic_sim"
[ "$(wc -l </proc/interrupts)" = "$base_irqs" ] || left="$left irqs"
[ -z "$left" ] && tap_ok "nothing left behind after unload" ||
	tap_fail "nothing left behind after unload" "left:$left"

# --- the card comes up ---------------------------------------------------
load_modules -- control_resp_timeout_s=2 timesync_period_ms=200 ||
	{ tap_fail "modules load" "insmod failed"; tap_done; }
if wait_for "$online" 20; then
	tap_ok "card reaches ONLINE through MHI"
else
	tap_fail "card reaches ONLINE through MHI" "state $(cat /sys/class/accel/accel*/device/qaic/state)"
fi
tap_check "accel node /dev/accel/accel0 exists" test -c /dev/accel/accel0
tap_check "MHI channel devices QAIC_CONTROL and QAIC_TIMESYNC_PERIODIC" sh -c \
	'ls /sys/bus/mhi/devices/ | grep -q QAIC_CONTROL &&
	 ls /sys/bus/mhi/devices/ | grep -q QAIC_TIMESYNC_PERIODIC'
tap_check "nnc_version 5.0 in sysfs" grep -qx 5.0 /sys/class/accel/accel0/device/qaic/nnc_version
tap_check "module BTF at /sys/kernel/btf/qaic" sh -c \
	'bpftool btf dump file /sys/kernel/btf/qaic | grep -q "qaic_device"'

# The host link as sysfs reports it is the sim's model, and follows it.
q=/sys/class/accel/accel0/device/qaic
sim_bps() { sed -n 's/.* bytes_per_sec \([0-9]*\).*/\1/p' /sys/kernel/debug/qaic_sim/card0/link; }
tap_check "sysfs link is Gen4 x8, the model's payload rate" sh -c \
	"[ \$(cat $q/link_gen) = 4 ] && [ \$(cat $q/link_width) = 8 ] &&
	 [ \$(cat $q/link_payload) = 1 ] && [ \$(cat $q/link_bytes_per_sec) = $(sim_bps) ]"
echo 3 >/sys/module/qaic_sim/parameters/link_gen
echo 2 >/sys/module/qaic_sim/parameters/link_lanes
tap_check "sysfs link follows the model (Gen3 x2)" sh -c \
	"[ \$(cat $q/link_gen) = 3 ] && [ \$(cat $q/link_width) = 2 ] &&
	 [ \$(cat $q/link_bytes_per_sec) = \$(sed -n 's/.* bytes_per_sec \\([0-9]*\\).*/\\1/p' /sys/kernel/debug/qaic_sim/card0/link) ]"
echo 4 >/sys/module/qaic_sim/parameters/link_gen
echo 8 >/sys/module/qaic_sim/parameters/link_lanes
tap_check "num_nsp is 16" grep -qx 16 $q/num_nsp

# timesync: the sim's clock runs 5 ms ahead; the offset converges to it.
sim=/sys/kernel/debug/qaic_sim/card0
echo 5000000 >$sim/clock/offset_ns
# The estimate is exact to within half the round trip, which TCG makes long.
ts=$(ls /sys/kernel/debug/qaic/*/timesync | head -n 1)
if wait_for "awk '/^offset_ns/ { o = \$2 } /^rtt_ns/ { r = \$2 }
	END { d = o - 5000000; if (d < 0) d = -d; exit !(r > 0 && d <= r / 2 + 1000) }' $ts" 10; then
	tap_ok "timesync offset follows the device clock within rtt/2"
	tap_diag "$(tr '\n' ' ' <"$ts")"
else
	tap_fail "timesync offset follows the device clock" "$(tr '\n' ' ' <"$ts")"
fi

# --- MANAGE conformance ---------------------------------------------------
# Its results are re-counted as this suite's (it prints its own plan).
run_nested 150 "$bin/test_manage"

# --- tracepoints ----------------------------------------------------------
tap_check "perf list shows qaic events" sh -c 'perf list 2>/dev/null | grep -q "qaic:qaic_manage_start"'

trace-cmd record -q -e qaic -o /tmp/ctl.dat "$bin/manage_traffic" 3 >/tmp/traffic.out 2>&1
trace-cmd report -i /tmp/ctl.dat >/tmp/ctl.txt 2>/dev/null
dbc=$(sed -n 's/^dbc=//p' /tmp/traffic.out)
n_start=$(grep -c 'qaic_manage_start:' /tmp/ctl.txt)
n_end_ok=$(grep 'qaic_manage_end:' /tmp/ctl.txt | grep -c 'result=0')
if [ "$n_start" = 5 ] && [ "$n_end_ok" = 5 ]; then
	tap_ok "trace-cmd: 5 manage start/end pairs with result=0"
else
	tap_fail "trace-cmd: 5 manage start/end pairs" "start=$n_start end_ok=$n_end_ok"
fi
# On the wire (32-byte header + transactions): STATUS goes up as 40 bytes
# and comes back as 56, ACTIVATE goes up as 72 and comes back as 56,
# DEACTIVATE goes up as 48 and comes back as 48, and so does the TERMINATE
# the driver sends when the client closes.
lens() { grep "$1:" /tmp/ctl.txt | grep -o "chan=$2 len=[0-9]*" | sed 's/.*len=//' | sort -n | tr '\n' ' '; }
ul=$(lens qaic_mhi_xfer_queued 10)
dl=$(lens qaic_mhi_xfer_done 11)
if [ "$ul" = "40 40 40 48 48 72 " ] && [ "$dl" = "48 48 56 56 56 56 " ]; then
	tap_ok "trace-cmd: control transfer lengths match the wire format"
else
	tap_fail "trace-cmd: control transfer lengths" "up '$ul' down '$dl'"
fi
if grep 'qaic_workload_activate:' /tmp/ctl.txt | grep -q "dbc=$dbc .*queue_size=32 status=0" &&
	grep 'qaic_workload_deactivate:' /tmp/ctl.txt | grep -q "dbc=$dbc .*status=0"; then
	tap_ok "trace-cmd: workload activate/deactivate name dbc $dbc"
else
	tap_fail "trace-cmd: workload activate/deactivate" "dbc=$dbc"
	tap_diag "$(grep workload /tmp/ctl.txt)"
fi

out=$(perf stat -x, -e qaic:qaic_manage_end -e qaic:qaic_mhi_xfer_queued \
	"$bin/manage_traffic" 10 2>&1 >/dev/null)
n_end=$(printf '%s\n' "$out" | awk -F, '$3 == "qaic:qaic_manage_end" { print $1 }')
if [ "$n_end" = 12 ]; then
	tap_ok "perf stat counts 12 qaic_manage_end"
else
	tap_fail "perf stat counts 12 qaic_manage_end" "got '$n_end'"
	tap_diag "$out"
fi

out=$(timeout 60 bpftrace -e 'tracepoint:qaic:qaic_manage_end /args->result == 0/ {
	@n++; @len[args->len] = count(); }
	END { printf("n=%d\n", @n); clear(@n); }' -c "$bin/manage_traffic 4" 2>&1)
if printf '%s\n' "$out" | grep -q '^n=6$' && printf '%s\n' "$out" | grep -q '@len\[24\]: 5'; then
	tap_ok "bpftrace reads qaic_manage_end fields"
else
	tap_fail "bpftrace reads qaic_manage_end fields" "unexpected output"
	tap_diag "$out"
fi

# Debian's perf-tools-unstable installs tpoint as tpoint-perf.
tp=$(command -v tpoint-perf || command -v tpoint)
if [ -n "$tp" ]; then
	("$tp" -d 4 qaic:qaic_dev_state >/tmp/tpoint.out 2>&1 &)
	sleep 1.5
	echo 1 >$sim/fault/syserr
	wait_for "$online" 20
	sleep 3
	if grep -q 'reason=sys_err' /tmp/tpoint.out && grep -q 'new=ONLINE' /tmp/tpoint.out; then
		tap_ok "tpoint sees the SYS_ERR reset and the way back to ONLINE"
	else
		tap_fail "tpoint sees qaic_dev_state" "no reset seen"
		tap_diag "$(cat /tmp/tpoint.out)"
	fi
else
	tap_fail "tpoint sees qaic_dev_state" "tpoint (perf-tools-unstable) not installed"
fi

# The kernel's own MHI events: same transfers, same lengths as ours.
if [ -d /sys/kernel/tracing/events/mhi_host ]; then
	trace-cmd record -q -e mhi_host:mhi_gen_tre -e qaic:qaic_mhi_xfer_queued \
		-o /tmp/mhi.dat "$bin/manage_traffic" 5 >/dev/null 2>&1
	trace-cmd report -i /tmp/mhi.dat >/tmp/mhi.txt 2>/dev/null
	ours=$(grep 'qaic_mhi_xfer_queued:' /tmp/mhi.txt | grep -E 'chan=1[01] ' |
		sed 's/.*chan=\([0-9]*\) len=\([0-9]*\).*/\1 \2/' | sort | uniq -c)
	theirs=$(grep 'mhi_gen_tre:' /tmp/mhi.txt | perl -ne '
		printf "%d %d\n", $1, hex($2) & 0xffff
			if /Chan: (1[01]) .*DWORD0: 0x([0-9a-f]+)/' | sort | uniq -c)
	if [ -n "$ours" ] && [ "$ours" = "$theirs" ]; then
		tap_ok "mhi_host:mhi_gen_tre agrees with qaic_mhi_xfer_queued on channels 10/11"
	else
		tap_fail "mhi_host:mhi_gen_tre agrees with qaic_mhi_xfer_queued" "differ"
		tap_diag "ours: $ours"
		tap_diag "mhi_host: $theirs"
		tap_diag "$(grep mhi_gen_tre /tmp/mhi.txt | head -3)"
	fi
else
	tap_fail "mhi_host tracepoints present on 6.12" "no events/mhi_host"
fi

unload_modules

# The version query runs off the MHI probe path: with its reply dropped the
# card waits in BOOT, and a SYS_ERR meanwhile is handled at once, not after
# the (long) reply timeout.
load_modules -- control_resp_timeout_s=60 >/dev/null
wait_for "$online" 20
echo 1 >$sim/fault/drop_replies
echo 1 >$sim/fault/syserr
if wait_for 'grep -qx BOOT /sys/class/accel/accel*/device/qaic/state' 20; then
	sleep 1
	echo 1 >$sim/fault/syserr
	if wait_for "$online" 20; then
		tap_ok "SYS_ERR during a stuck version query recovers to ONLINE at once"
	else
		tap_fail "SYS_ERR during a stuck version query" "state $(cat /sys/class/accel/accel*/device/qaic/state)"
	fi
else
	tap_fail "dropped version reply leaves the card in BOOT" "state $(cat /sys/class/accel/accel*/device/qaic/state)"
fi
unload_modules
tap_done
