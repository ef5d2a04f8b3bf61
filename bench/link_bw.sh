#!/bin/sh
# Guest side of `make bench`: does the sim honour its PCIe link model?
# 4 MiB inputs from 4 clients (2 in flight each, 1 us of compute, 4 KiB
# back) keep the to-device direction of the link busy; achieved bytes/s
# (bytes the card took over the run's wall time, from the sim's link
# counters) against the model's bytes/s, side by side in one run: first with
# the default model (Gen4 x8), then with the link set to a rate this
# (single-threaded TCG) guest can copy at.
. "$QAIC_TOP/tests/vm/guest-lib.sh"

link=/sys/kernel/debug/qaic_sim/card0/link
param=/sys/module/qaic_sim/parameters

load_modules >/dev/null || exit 1
wait_for 'grep -qx ONLINE /sys/class/accel/accel*/device/qaic/state' 20 || exit 1

to_dev_bytes() { awk '$1 == "to_dev" { for (i = 2; i < NF; i++) if ($i == "bytes") print $(i + 1) }' $link; }
model_bps() { awk '$1 == "gen" { for (i = 1; i < NF; i++) if ($i == "bytes_per_sec") print $(i + 1) }' $link; }

measure() {
	label=$1
	b0=$(to_dev_bytes)
	t0=$(date +%s%N)
	build/tools/qaic-run -w in=4M,out=4K,nsp=1,mean=1us,outstanding=2,procs=4,check=0 \
		-t 8s >/tmp/bench.out 2>&1 || { cat /tmp/bench.out; return 1; }
	t1=$(date +%s%N)
	b1=$(to_dev_bytes)
	awk -v b=$((b1 - b0)) -v ns=$((t1 - t0)) -v m="$(model_bps)" -v l="$label" 'BEGIN {
		a = b / (ns / 1e9)
		printf "link %-28s modelled %9.1f MB/s  achieved %9.1f MB/s  ratio %.3f\n",
			l, m / 1e6, a / 1e6, a / m }'
}

[ -r $link ] || { echo "bench: $link missing"; exit 1; }
measure "Gen4 x8 (default)"
echo 200000000 >$param/link_bytes_per_sec
measure "200 MB/s (override)"
echo 0 >$param/link_bytes_per_sec
unload_modules
