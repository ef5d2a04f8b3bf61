#!/bin/sh
# Test VM stage 2: PID 1 in the guest root (host root + tmpfs overlay).
# Runs the command scripts/vm.sh wrote to the per-run share (out/cmd) from the
# project tree, its stdout/stderr going straight to the host (out/stdout,
# out/stderr), then saves the exit status (out/rc) and the kernel log
# (out/dmesg) and powers off.
out=/run/qaic-vm/out
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HOME=/root
TERM=dumb
LC_ALL=C.UTF-8
QAIC_TOP=$(cat $out/top)
QAIC_VM=1
QAIC_VM_OUT=$out
QAIC_VM_RELEASE=$(cat /run/qaic-vm/release)
export PATH HOME TERM LC_ALL QAIC_TOP QAIC_VM QAIC_VM_OUT QAIC_VM_RELEASE

hostname qaic-vm 2>/dev/null
ip link set lo up 2>/dev/null || busybox ip link set lo up 2>/dev/null
ulimit -l unlimited 2>/dev/null
mkdir -p "$HOME"
echo "qaic-vm: running" >/dev/console

if cd "$QAIC_TOP"; then
	/bin/sh $out/cmd </dev/null >$out/stdout 2>$out/stderr
	rc=$?
else
	echo "qaic-vm: cannot enter $QAIC_TOP" >$out/stderr
	rc=1
fi
echo "$rc" >$out/rc.tmp
dmesg >$out/dmesg 2>&1
mv $out/rc.tmp $out/rc
sync
busybox poweroff -f
echo o >/proc/sysrq-trigger
