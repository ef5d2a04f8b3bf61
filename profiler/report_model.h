/* SPDX-License-Identifier: MIT */
/*
 * The capacity-planning report of `qaic-prof report`, as data: what was
 * measured per workload and device over one window, and what follows from
 * it (throughput, utilization, an NSP estimate, the bottleneck and the
 * headroom), with the assumptions behind each figure written out as notes.
 * It is filled from a live window (report_build() on a snapshot delta) or a
 * recorded file (report_trace.h makes the same kind of view from its
 * per-request records), so both give figures computed one way; the
 * renderers (report_render.h) only format it.
 *
 * Figures and how they are derived (report_compute()):
 * - throughput: executes (EXECUTE_BO calls, counted at entry) and BOs
 *   (completed) per second of the window; bandwidth: bytes of completed
 *   BOs per second; bytes per execute: bytes submitted / executes.
 * - link utilization per direction: the device's bandwidth / its link's
 *   capacity per direction (sysfs link_bytes_per_sec, or --link-bps).
 * - NSP estimate, an upper bound: per workload, the busy time of its DBC
 *   (the union of its BOs' device stages, doorbell to response seen) minus
 *   the time its bytes take at the link rate bounds its compute time from
 *   above; times the NSPs one inference holds, over the window, is the
 *   NSPs it keeps busy on average; their sum over the device's NSPs is its
 *   NSP utilization.
 * - from a recording, also a closer NSP estimate (not a strict bound): a
 *   DBC runs its BOs in FIFO order, so an output BO's time on the card
 *   past the BO before it (its input) is its inference's wait for NSPs,
 *   compute and DMA out; less its bytes at the link rate, times its NSPs.
 *   The device gets an NSP utilization and headroom from it too.
 * - bottleneck and headroom: scaling every workload's rate by one factor
 *   (linear, same mix, no queueing effects), the first of link in, link
 *   out and NSPs to reach 100% is the bottleneck, and the factor is the
 *   headroom; each workload's executes/s at that point is given.
 * - dominant stage: the stage (submit, device, complete, wakeup) with the
 *   largest mean, and its share of their sum.
 */
#ifndef PROF_REPORT_MODEL_H_
#define PROF_REPORT_MODEL_H_

#include <stddef.h>
#include <stdint.h>

#include <linux/types.h>

#include "devinfo.h"
#include "qaic_prof.h"
#include "stages.h"
#include "trace_model.h"

struct report_nsp_rules;
struct snapshot;

#define REPORT_MAX_DEVS		64
#define REPORT_MAX_NOTES	32
#define REPORT_NOTE_LEN		640

/* What can saturate first as the workload mix scales up. */
enum report_res {
	REPORT_RES_LINK_IN,
	REPORT_RES_LINK_OUT,
	REPORT_RES_NSP,
	REPORT_RES_N,
};

/* "link in", "link out", "NSPs" (text); "link_in", "link_out", "nsp" (keys). */
const char *report_res_name(int res);
const char *report_res_key(int res);

struct report_wl {
	/* who */
	struct qp_wl_key key;
	char comm[QP_COMM_LEN];
	unsigned int dev_index;		/* its device in report.dev[] */

	/* measured over the window */
	uint64_t executes;		/* EXECUTE_BO / PARTIAL_EXECUTE_BO calls entered */
	uint64_t enq[QP_DIR_N];		/* BO executions submitted ... */
	uint64_t enq_bytes[QP_DIR_N];
	uint64_t bos[QP_DIR_N];		/* ... and completed */
	uint64_t bytes[QP_DIR_N];
	uint64_t errors;
	uint64_t waits;
	struct stage_stats stage[QP_STAGE_N];
	int has_dir_device;		/* recorded file: the device stage per BO direction */
	struct stage_stats device_dir[QP_DIR_N];
	int has_busy;			/* its DBC's busy time is known */
	uint64_t busy_ns;		/* its share of its DBC's busy time */
	int dbc_shared;			/* other workloads used its DBC in the window */
	int has_out_side;		/* recording: out_side_ns is known */
	uint64_t out_side_ns;		/* its output BOs' time past the BO before each */
	uint32_t nsps;			/* NSPs one inference holds (--nsps) */
	int nsp_rule;			/* the --nsps rule that said so; -1: default */

	/* derived by report_compute() */
	double exec_per_sec;
	double bos_per_sec;
	double bytes_per_exec[QP_DIR_N];
	double bytes_per_sec[QP_DIR_N];
	double busy_frac;		/* busy_ns / window: its DBC's share in use */
	double dbc_limit;		/* 1 / busy_frac: where its DBC saturates (same DBCs) */
	double xfer_ns;			/* its completed bytes at the link rate */
	double compute_ns;		/* upper bound on its compute time in the window */
	double compute_per_exec_ns;
	double nsp_busy;		/* NSPs it keeps busy on average (upper bound) */
	double nsp_busy_rec;		/* the same from out_side_ns (a closer estimate) */
	int dominant;			/* enum qp_stage, -1 if none */
	double dominant_share;		/* its mean / the sum of the four stages' means */
	double exec_per_sec_at_headroom;
};

struct report_dev {
	struct devinfo info;		/* link and NSPs as used (after overrides) */
	int found;			/* the device is on this host (sysfs) */
	int link_overridden;		/* --link-bps */
	int nsp_overridden;		/* --num-nsp */
	unsigned int n_wl;
	uint64_t bytes[QP_DIR_N];
	double bytes_per_sec[QP_DIR_N];
	double exec_per_sec;
	double nsp_busy;		/* sum of its workloads' */
	double util[REPORT_RES_N];	/* fraction of capacity; NaN when unknown */
	int bottleneck;			/* enum report_res; -1 when none can be named */
	double headroom;		/* scale factor to saturation; NaN with no bottleneck */
	double nsp_busy_rec;		/* with the closer NSP estimate (NaN when not known) */
	double nsp_util_rec;
	int bottleneck_rec;
	double headroom_rec;
};

struct report {
	int from_trace;
	char source[512];		/* "live, raw_tp" or the file and what recorded it */
	uint64_t start_ns;		/* CLOCK_MONOTONIC */
	uint64_t end_ns;
	uint64_t window_ns;
	struct report_wl *wl;		/* sorted by (dev, dbc, pid, cgroup) */
	size_t n_wl;
	struct report_dev dev[REPORT_MAX_DEVS];	/* by minor */
	unsigned int n_dev;
	size_t devs_dropped;		/* workloads of devices beyond REPORT_MAX_DEVS */
	int has_counters;		/* live: the BPF side's global counters */
	uint64_t counters[QP_CNT_N];
	int has_trace_counts;		/* from a file: the recording's counts */
	struct trace_counts trace;
	uint64_t unattributed;		/* from a file: requests whose owner is unknown */
	struct report_nsp_rules *nsps;	/* the --nsps rules, for the notes; may be NULL */
	char notes[REPORT_MAX_NOTES][REPORT_NOTE_LEN];	/* assumptions and caveats */
	unsigned int n_notes;
};

/* Where device facts come from: devinfo_get() in qaic-prof, fakes in tests. */
typedef int (*report_devinfo_fn)(void *ctx, uint32_t minor, struct devinfo *out);

struct report_inputs {
	report_devinfo_fn devinfo;	/* NULL: nothing known about any device */
	void *devinfo_ctx;
	struct report_nsp_rules *nsps;	/* NULL: 1 NSP per inference for all */
	uint64_t link_bps;		/* > 0: the link's capacity per direction, for every device */
	uint32_t num_nsp;		/* > 0: NSPs of every device */
	const char *source;		/* report.source */
	int from_trace;
};

/*
 * The report of a window: view is a snapshot delta (since_ns .. ts_ns), live
 * or made from a recording. Workloads that did nothing are left out. Fills
 * everything (report_compute included). 0 or -ENOMEM; report_free() it
 * either way.
 */
int report_build(struct report *r, const struct snapshot *view, const struct report_inputs *in);

/*
 * The derived figures and the notes from what report_wl and report_dev
 * hold (measured fields, device info, window_ns): report_build() calls it;
 * tests that fill a report by hand call it themselves. Clears the notes.
 */
void report_compute(struct report *r);

/* "Gen4 x8, 14403.5 MB/s per direction (payload)", "(--link-bps)" when given, or "unknown". */
void report_link_text(const struct report_dev *d, char *buf, size_t size);

/* Add a device by minor (devinfo left zero: link and NSPs unknown); NULL when full. */
struct report_dev *report_add_dev(struct report *r, uint32_t minor);
/* Add a workload (zeroed, NaN-free) on an existing device; NULL on ENOMEM. */
struct report_wl *report_add_wl(struct report *r, const struct qp_wl_key *key, const char *comm);

/* A note of the report (printf-like); silently dropped past REPORT_MAX_NOTES. */
void report_note(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void report_init(struct report *r);
void report_free(struct report *r);

#endif /* PROF_REPORT_MODEL_H_ */
