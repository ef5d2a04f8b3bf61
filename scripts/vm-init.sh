#!/bin/busybox sh
# Test VM stage 1: /init of the initramfs that scripts/mkinitramfs.sh builds.
# Loads the virtio/9p/overlay modules, mounts the host root (read-only 9p
# share "hostroot") under a tmpfs overlay so the guest root is writable, the
# per-run share "outdir" (command in, results out) at /run/qaic-vm/out, the
# kernel file systems, then switch_root's into it and runs stage 2
# (vm-guest-run.sh) as PID 1.
/bin/busybox --install -s /bin
export PATH=/bin

fail() {
	echo "qaic-vm: init: $*" >/dev/console
	[ -d /out ] && echo "init: $*" >/out/init-error 2>/dev/null
	sync
	poweroff -f
}

mkdir -p /proc /sys /dev /lower /rw /newroot /out /keep
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

while read -r m; do
	insmod "/lib/modules/$m.ko" || fail "insmod $m failed"
done </lib/modules/load-order

# 512000 is the largest msize the virtio transport takes (125 pages).
p9="trans=virtio,version=9p2000.L,msize=512000"
# Results must reach the host before the power-off: no guest caching.
mount -t 9p -o "$p9,cache=none" outdir /out || fail "mount outdir failed"
# The host tree does not change while a guest runs and every run boots
# afresh, so caching it in the guest is safe and much faster.
mount -t 9p -o "ro,$p9,cache=loose" hostroot /lower || fail "mount hostroot failed"
mount -t tmpfs -o mode=0755 tmpfs /rw
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot ||
	fail "mount overlay failed"

top=$(cat /out/top) || fail "no project path in outdir"
[ -d "/newroot$top" ] || fail "project tree $top not visible in the host share"

# /tmp and /run become guest tmpfs; keep the project tree visible if it is
# below one of them (a CI clone in /tmp).
case $top in
/tmp/* | /run/*) mount --bind "/newroot$top" /keep || fail "bind $top failed" ;;
esac
mount -t tmpfs -o mode=1777 tmpfs /newroot/tmp
mount -t tmpfs -o mode=0755 tmpfs /newroot/run
case $top in
/tmp/* | /run/*)
	mkdir -p "/newroot$top"
	mount --move /keep "/newroot$top" || fail "restoring $top failed"
	;;
esac
mkdir -p /newroot/run/qaic-vm/out
mount --move /out /newroot/run/qaic-vm/out
cp /guest-run /newroot/run/qaic-vm/guest-run
cp /release /newroot/run/qaic-vm/release

mount --move /proc /newroot/proc
mount --move /sys /newroot/sys
mount --move /dev /newroot/dev
r=/newroot
mkdir -p $r/dev/pts $r/dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts $r/dev/pts
mount -t tmpfs -o mode=1777 tmpfs $r/dev/shm
mount -t debugfs debugfs $r/sys/kernel/debug
mount -t tracefs tracefs $r/sys/kernel/tracing
mount -t bpf -o mode=0700 bpf $r/sys/fs/bpf
mount -t cgroup2 cgroup2 $r/sys/fs/cgroup 2>/dev/null

exec switch_root /newroot /bin/sh /run/qaic-vm/guest-run
fail "switch_root failed"
