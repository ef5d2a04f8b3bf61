#!/bin/sh
# kernels: 6.12
# timeout: 600
# Data integrity under load: at least 10,000 inferences of 8 workloads of
# different shapes in 4 processes, every output checked
# (tests/vm/test_data_integrity.c). Afterwards every DBC is free and nothing
# the data path mapped stays mapped: the kernel's own dma events (6.12) for
# the card's device balance, mappings and coherent buffers alike. And the
# kernel's dma_map_sg/dma_unmap_sg events agree with ours (qaic_dma_map and
# qaic_dma_unmap): the same mappings, with the same directions, entry counts
# and sizes.
. "$QAIC_TOP/tests/vm/guest-lib.sh"

bin=$QAIC_TOP/build/tests/vm
tr=/sys/kernel/tracing
online="grep -qx ONLINE /sys/class/accel/accel*/device/qaic/state"

load_modules || { tap_fail "modules load" "insmod failed"; tap_done; }
wait_for "$online" 20 || tap_fail "card ONLINE" "state $(cat /sys/class/accel/accel*/device/qaic/state)"
dev=$(basename "$(readlink -f /sys/class/accel/accel0/device)")

echo 0 >$tr/tracing_on
echo 16384 >$tr/buffer_size_kb
echo >$tr/trace
for e in dma_map_sg dma_unmap_sg dma_alloc dma_free; do
	echo 1 >$tr/events/dma/$e/enable
done
echo 1 >$tr/events/qaic/qaic_dma_map/enable
echo 1 >$tr/events/qaic/qaic_dma_unmap/enable
echo 1 >$tr/tracing_on

run_nested 400 "$bin/test_data_integrity" 10000

echo 0 >$tr/tracing_on
counts=$(awk -v d=" $dev " '
	index($0, d) == 0 { next }
	/ dma_map_sg: / { m++ } / dma_unmap_sg: / { u++ }
	/ dma_alloc: / { a++ } / dma_free: / { f++ }
	END { print m + 0, u + 0, a + 0, f + 0 }' $tr/trace)
set -- $counts
lost=$(grep -c 'LOST' $tr/trace || true)
tap_diag "dma events for $dev: $1 sg maps, $2 sg unmaps, $3 coherent allocs, $4 frees"
if [ "$lost" = 0 ] && [ "$1" -gt 0 ] && [ "$1" = "$2" ] && [ "$3" = "$4" ] && [ "$3" -gt 0 ]; then
	tap_ok "every scatter-gather mapping and queue buffer of the run was released"
else
	tap_fail "mappings released" "maps $1 unmaps $2 allocs $3 frees $4 lost-event lines $lost"
fi
if build/tools/qaic-util dbc | awk 'NR > 1 && $4 != "free" { bad = 1 } END { exit bad }'; then
	tap_ok "every DBC is free again"
else
	tap_fail "every DBC is free again" "$(build/tools/qaic-util dbc)"
fi
# Same mappings: "dir nents" for every map, "dir nents bytes" where the
# kernel's event lists every size (it keeps 128), "dir" for every unmap.
perl -ne '
	if (/ dma_map_sg: \Q'"$dev"'\E dir=(\S+) nents=\d+\/(\d+) ents=\d+\/\d+(\S*) .*sizes=\{([^}]*)\}/) {
		my ($d, $n, $trunc, $sz) = ($1, $2, $3, $4);
		my $b = 0; $b += hex($_) for split /,/, $sz;
		print "map $d $n\n";
		print "bytes $d $n $b\n" unless $trunc;
	} elsif (/ dma_unmap_sg: \Q'"$dev"'\E dir=(\S+)/) {
		print "unmap $1\n";
	}' $tr/trace | sort >/tmp/dma.kernel
perl -ne '
	if (/ qaic_dma_map: .*bytes=(\d+) nents=(\d+) dir=(\S+)/) {
		print "map $3 $2\n";
		print "bytes $3 $2 $1\n" if $2 <= 128;
	} elsif (/ qaic_dma_unmap: .*dir=(\S+)/) {
		print "unmap $1\n";
	}' $tr/trace | sort >/tmp/dma.ours
if [ -s /tmp/dma.ours ] && cmp -s /tmp/dma.kernel /tmp/dma.ours; then
	tap_ok "kernel dma_map_sg/dma_unmap_sg agree with qaic_dma_map/unmap ($(grep -c '^map' /tmp/dma.ours) maps: directions, entries, bytes)"
else
	tap_fail "kernel dma events agree with ours" "differ"
	tap_diag "$(diff /tmp/dma.kernel /tmp/dma.ours | head -20)"
fi
for e in dma_map_sg dma_unmap_sg dma_alloc dma_free; do
	echo 0 >$tr/events/dma/$e/enable
done
echo 0 >$tr/events/qaic/qaic_dma_map/enable
echo 0 >$tr/events/qaic/qaic_dma_unmap/enable
unload_modules
tap_done
