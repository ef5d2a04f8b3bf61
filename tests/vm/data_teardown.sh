#!/bin/sh
# kernels: 6.12
# timeout: 600
# Teardown with requests in flight (tests/vm/test_data_teardown.c): DEACTIVATE,
# close of the fd, SIGKILL of the client, SYS_ERR, the driver unbound from the
# card (hot unplug), each on a fresh load of the modules. After each, every
# waiter has returned an error, the DBCs are free, the card computes again, the
# driver counts no BO and no BO mapping, the kernel's own dma events (6.12) for
# the card's device balance back to what they were with the card idle, the
# modules unload, and then no DMA mapping or coherent buffer of the device is
# left.
. "$QAIC_TOP/tests/vm/guest-lib.sh"

bin=$QAIC_TOP/build/tests/vm
online="grep -qx ONLINE /sys/class/accel/accel*/device/qaic/state"
tr=/sys/kernel/tracing
dma_events="dma_map_sg dma_unmap_sg dma_map_page dma_unmap_page dma_alloc dma_free"

# Outstanding DMA mappings and coherent buffers of device $dev so far:
# "maps allocs" (maps - unmaps, allocs - frees).
dma_outstanding() {
	awk -v d=" $dev " '
		index($0, d) == 0 { next }
		/ dma_map_sg: / { m++ } / dma_unmap_sg: / { m-- }
		/ dma_map_page: / { m++ } / dma_unmap_page: / { m-- }
		/ dma_alloc: / { a++ } / dma_free: / { a-- }
		END { print m + 0, a + 0 }' $tr/trace
}

# The driver's own count of live BOs and of BOs DMA-mapped (debugfs state).
bo_counts() {
	grep -E '^bos |^bo_mappings ' /sys/kernel/debug/qaic/*/state | tr '\n' ' '
}
bo_counts_zero() {
	[ "$(bo_counts)" = "bos 0 bo_mappings 0 " ]
}

echo 0 >$tr/tracing_on
echo 16384 >$tr/buffer_size_kb
echo >$tr/trace
for e in $dma_events; do
	echo 1 >$tr/events/dma/$e/enable || tap_fail "dma event $e" "cannot enable"
done
echo 1 >$tr/tracing_on

lost_events() {
	cat $tr/per_cpu/cpu*/stats 2>/dev/null | awk '/^overrun:/ { s += $2 } END { print s + 0 }'
}

# One fresh load of the modules per teardown, unloaded after it.
for mode in deactivate close kill syserr unbind; do
	if ! load_modules -- control_resp_timeout_s=5; then
		tap_fail "$mode: modules load" "insmod failed"
		continue
	fi
	wait_for "$online" 20 || tap_fail "$mode: card ONLINE" "not ONLINE"
	dev=$(basename "$(readlink -f /sys/class/accel/accel0/device)")
	sleep 1
	base=$(dma_outstanding)

	run_nested 90 "$bin/test_data_teardown" "$mode"
	wait_for "$online" 30 || tap_fail "$mode: card ONLINE afterwards" "not ONLINE"
	sleep 1
	if wait_for "bo_counts_zero" 5; then
		tap_ok "$mode: driver counts no BO and no BO mapping left"
	else
		tap_fail "$mode: driver counts no BO and no BO mapping left" "$(bo_counts)"
	fi
	now=$(dma_outstanding)
	if [ "$now" = "$base" ]; then
		tap_ok "$mode: DMA maps/allocs of $dev back to the idle level ($now)"
	else
		tap_fail "$mode: DMA maps/allocs back to the idle level" "now '$now', idle '$base'"
	fi
	tap_check "$mode: device answers STATUS" "$bin/manage_traffic" 1
	tap_check "$mode: modules unload" unload_modules
	end=$(dma_outstanding)
	if [ "$(lost_events)" != 0 ]; then
		tap_fail "$mode: dma event accounting complete" "$(lost_events) events overwritten"
	elif [ "$end" = "0 0" ]; then
		tap_ok "$mode: after unload no DMA mapping or coherent buffer of $dev left"
	else
		tap_fail "$mode: after unload no DMA mapping or coherent buffer left" \
			"maps/allocs outstanding: $end"
	fi
done
echo 0 >$tr/tracing_on
tap_done
