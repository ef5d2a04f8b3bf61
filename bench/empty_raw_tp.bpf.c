// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * bench/trace_overhead.sh's "empty" configuration: one program on each of
 * the six data-path raw tracepoints qaic-prof attaches to (raw_tp, as
 * qaic-prof's default), each doing nothing. Loaded and attached by
 * `bpftool prog loadall ... autoattach`, no loader of our own; the
 * difference between it and qaic-prof is the cost of qaic-prof's work, not
 * of being attached.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define EMPTY_RAW_TP(event)				\
	SEC("raw_tp/" #event)				\
	int empty_##event(void *ctx) { return 0; }

EMPTY_RAW_TP(qaic_execute)
EMPTY_RAW_TP(qaic_bo_enqueue)
EMPTY_RAW_TP(qaic_doorbell)
EMPTY_RAW_TP(qaic_dbc_irq)
EMPTY_RAW_TP(qaic_bo_complete)
EMPTY_RAW_TP(qaic_wait_return)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
