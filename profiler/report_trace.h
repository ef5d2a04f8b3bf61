/* SPDX-License-Identifier: MIT */
/*
 * `qaic-prof report --from FILE`: a recording's per-request records
 * (trace_model.h) turned into the view a live window gives (a snapshot
 * delta: per workload counters, byte sums, stage sums and histograms with
 * the buckets of bpf/qaic_hist.h; per DBC its busy time), so the report is
 * computed from it exactly as from a live window. Records also tell what a
 * live window cannot: the device stage of input and output BOs apart.
 *
 * Counting follows the BPF programs (bpf/qaic_prof.bpf.c): a request counts
 * when its owner is known (others are counted as unattributed); completed
 * BOs of any status count in BOs and bytes, stages by trace_req_stage_ns();
 * a DBC is busy over the union of [doorbell, seen] of its completions
 * (doorbell of the same execution, seen not before it).
 */
#ifndef PROF_REPORT_TRACE_H_
#define PROF_REPORT_TRACE_H_

#include "report_model.h"
#include "session.h"
#include "snapshot.h"
#include "trace_model.h"

/*
 * The view of a sealed model's requests that pass the filter: since_ns and
 * ts_ns are the model's first and last timestamps. *unattributed counts
 * requests without a known owner. out is initialized here (snap_free it).
 * 0 or -ENOMEM.
 */
int report_trace_view(struct snapshot *out, const struct trace_model *m,
		      const struct prof_filter *f, uint64_t *unattributed);

/*
 * The whole report of a recording: report_build() on that view, the
 * recording's counts, and each workload's device stage per direction.
 * 0 or -ENOMEM; report_free() r either way.
 */
int report_from_trace(struct report *r, const struct trace_model *m,
		      const struct prof_filter *f, const struct report_inputs *in);

#endif /* PROF_REPORT_TRACE_H_ */
