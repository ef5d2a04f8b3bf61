#!/bin/sh
# kernels: 6.12 6.1
# The test VM itself: the guest booted the target kernel with the file
# systems and the observability tools the other suites rely on.
. "$QAIC_TOP/tests/vm/guest-lib.sh"

mounted() {
	awk -v m="$1" -v t="$2" '$2 == m && $3 == t { found = 1 } END { exit !found }' /proc/mounts
}

if [ "$(uname -r)" = "$QAIC_VM_RELEASE" ]; then
	tap_ok "booted the requested kernel $QAIC_VM_RELEASE"
else
	tap_fail "booted the requested kernel" "uname -r is $(uname -r), asked for $QAIC_VM_RELEASE"
fi

tainted=$(cat /proc/sys/kernel/tainted)
if [ "$tainted" = 0 ]; then
	tap_ok "kernel untainted after boot"
else
	tap_fail "kernel untainted after boot" "tainted=$tainted"
fi

tap_check "vmlinux BTF at /sys/kernel/btf/vmlinux" test -s /sys/kernel/btf/vmlinux
tap_check "tracefs mounted" mounted /sys/kernel/tracing tracefs
tap_check "debugfs mounted" mounted /sys/kernel/debug debugfs
tap_check "bpffs mounted" mounted /sys/fs/bpf bpf
tap_check "tracefs lists sched events" grep -q '^sched:sched_switch$' \
	/sys/kernel/tracing/available_events
tap_check "project tree visible" test -f "$QAIC_TOP/scripts/vm.sh"
tap_check "guest root writable" sh -c 'echo x >/var/tmp/qaic-smoke && rm /var/tmp/qaic-smoke'
tap_check "modprobe drm and mhi" sh -c 'modprobe drm && modprobe mhi &&
	test -d /sys/module/drm && test -d /sys/module/mhi'

tap_check "bpftool reads vmlinux BTF" sh -c \
	'bpftool btf dump file /sys/kernel/btf/vmlinux format raw | grep -q "STRUCT .task_struct."'

# A tracepoint seen by each tool: sched_switch fires whenever sleep yields.
out=$(trace-cmd record -q -e sched:sched_switch -o /tmp/smoke.dat sleep 0.3 2>&1 &&
	trace-cmd report -i /tmp/smoke.dat 2>/dev/null | grep -c 'sched_switch:')
if [ "${out:-0}" -gt 0 ] 2>/dev/null; then
	tap_ok "trace-cmd records sched_switch ($out events)"
else
	tap_fail "trace-cmd records sched_switch" "no events"
	tap_diag "$out"
fi

out=$(perf stat -x, -e sched:sched_switch -a sleep 0.3 2>&1)
n=$(printf '%s\n' "$out" | awk -F, '$3 == "sched:sched_switch" { print $1 }')
if [ "${n:-0}" -gt 0 ] 2>/dev/null; then
	tap_ok "perf counts sched_switch ($n events)"
else
	tap_fail "perf counts sched_switch" "no count"
	tap_diag "$out"
fi

out=$(timeout 60 bpftrace -e 'tracepoint:sched:sched_switch { @n++; if (@n >= 10) { exit(); } }
	END { printf("switches=%d\n", @n); clear(@n); }' 2>&1)
n=$(printf '%s\n' "$out" | sed -n 's/^switches=//p')
if [ "${n:-0}" -ge 10 ] 2>/dev/null; then
	tap_ok "bpftrace attaches to sched_switch"
else
	tap_fail "bpftrace attaches to sched_switch" "no count"
	tap_diag "$out"
fi

tap_done
