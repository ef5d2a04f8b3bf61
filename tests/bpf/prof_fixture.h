/* SPDX-License-Identifier: MIT */
/*
 * Host tests of bpf/qaic_prof.bpf.c: load the skeleton (raw_tp programs only,
 * nothing attached: they load without their tracepoints), drive one program
 * per synthetic event with BPF_PROG_TEST_RUN, and read the maps back summed
 * over CPUs.
 */
#ifndef PROF_FIXTURE_H_
#define PROF_FIXTURE_H_

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "qaic_prof.h"
#include "qaic_prof.skel.h"

/* What to change from the object's defaults before load (0: keep). */
struct fx_opts {
	__u32 inflight_max;	/* max_entries of the in-flight map */
	__u32 hists_max;	/* ... of the histogram map */
	__u32 ringbuf_bytes;	/* size of the record-mode ring buffer */
	__s32 targ_dev, targ_dbc, targ_tgid;	/* -1: no filter; 0 means 0 here */
	bool set_filters;	/* apply the three above (else they stay -1) */
	__u64 targ_cgroup;
	bool record;
};

/* errno text when the object cannot be loaded here (no CAP_BPF, ...), else NULL. */
const char *fx_unavailable(void);

/* Print "1..1" and a TAP skip naming why, for a program that cannot run. */
int fx_skip_all(const char *why);

/* Open and load with @o (NULL: defaults); NULL on failure (printed as "# "). */
struct qaic_prof_bpf *fx_load(const struct fx_opts *o);
/* The same with the classic tp/ programs instead (needs the qaic module loaded). */
struct qaic_prof_bpf *fx_load_classic(const struct fx_opts *o);

/* Run one raw_tp program with its TP_PROTO arguments; the program's return or -errno. */
int fx_run(const struct bpf_program *prog, const __u64 *args, size_t nargs);

/* The tracepoints, arguments in TP_PROTO order (client, user, req_id derived). */
int fx_execute(struct qaic_prof_bpf *s, __u32 dev, __u32 dbc, __u32 count, bool partial,
	       __u64 ts);
int fx_enqueue(struct qaic_prof_bpf *s, __u32 dev, __u32 dbc, __u64 seq, __u32 handle,
	       __u64 bytes, __u32 elements, __u32 level, __u64 submit_ts, __u32 dir);
int fx_doorbell(struct qaic_prof_bpf *s, __u32 dev, __u32 dbc, __u32 tail, __u32 bos,
		__u32 elements, __u64 ts);
int fx_irq(struct qaic_prof_bpf *s, __u32 dev, __u32 dbc, __u32 head, __u32 tail, bool polled,
	   __u64 ts);
int fx_complete(struct qaic_prof_bpf *s, __u32 dev, __u32 dbc, __u64 seq, __u32 handle,
		int status, __u64 submit_ts, __u64 doorbell_ts, __u64 seen_ts, __u64 complete_ts);
int fx_wait(struct qaic_prof_bpf *s, __u32 dev, __u32 dbc, __u32 handle, __u64 seq, int result,
	    int status, __u64 ts, __u64 waited_ns);

/* Reading the maps (per-CPU values summed). */
__u64 fx_counter(struct qaic_prof_bpf *s, enum qp_counter c);
/* Every counter but those in @except_mask (bit 1 << counter) is 0. */
bool fx_counters_zero_except(struct qaic_prof_bpf *s, __u32 except_mask);
unsigned int fx_map_entries(const struct bpf_map *map);
/* 0, or -ENOENT when the workload has no entry; comm from any CPU that has one. */
int fx_workload(struct qaic_prof_bpf *s, const struct qp_wl_key *key, struct qp_wl_stats *out);
int fx_hist(struct qaic_prof_bpf *s, const struct qp_wl_key *key, enum qp_stage stage,
	    struct qp_hist *out);
__u64 fx_hist_total(const struct qp_hist *h);
int fx_dbc(struct qaic_prof_bpf *s, __u32 dev, __u32 dbc, struct qp_dbc_state *out);
bool fx_inflight_has(struct qaic_prof_bpf *s, __u32 dev, __u32 dbc, __u64 seq);
bool fx_done_has(struct qaic_prof_bpf *s, __u32 dev, __u32 dbc, __u64 seq);

/* The test process as a workload: dev, dbc, our tgid and cgroup v2 id. */
struct qp_wl_key fx_self_key(__u32 dev, __u32 dbc);
__u64 fx_self_cgroup(void);

/* The comm the tests run under (set once by fx_set_comm()). */
#define FX_COMM "qp-bpf-test"
void fx_set_comm(void);

#endif /* PROF_FIXTURE_H_ */
