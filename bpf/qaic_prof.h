/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What bpf/qaic_prof.bpf.c and qaic-prof share: map sizes, keys, values and
 * the record-mode event. The BPF side includes vmlinux.h first, the user side
 * <linux/types.h>.
 *
 * Counting rule: every counter and histogram bucket only ever grows while the
 * programs are loaded. qaic-prof reports an interval as the difference of two
 * snapshots, so an update racing with a read lands in exactly one interval.
 */
#ifndef QAIC_PROF_H_
#define QAIC_PROF_H_

#include "qaic_hist.h"

#define QP_MAX_INFLIGHT		16384	/* BO executions between enqueue and completion */
#define QP_MAX_DONE		16384	/* completed, waiting for WAIT_BO (LRU) */
#define QP_MAX_WORKLOADS	1024	/* (dev, dbc, tgid, cgroup) keys */
#define QP_MAX_DBCS		256	/* (dev, dbc) keys: 16 cards of 16 DBCs */
/*
 * (workload, stage) histograms: 64 workloads' worth. Preallocated, as a
 * tracepoint cannot reliably allocate 9 KB per CPU: QP_MAX_HISTS x
 * sizeof(struct qp_hist) x possible CPUs of memory (2.8 MB per CPU); the
 * profiler may size it to its memory budget before load.
 */
#define QP_MAX_HISTS		(64 * QP_STAGE_N)
#define QP_RINGBUF_BYTES	(4u << 20)	/* record mode */
#define QP_COMM_LEN		16

/* DMA direction of a BO, as qaic_bo_enqueue's dir (1 to, 2 from the card). */
enum qp_dir {
	QP_DIR_IN,	/* host to device (input) */
	QP_DIR_OUT,	/* device to host (output) */
	QP_DIR_N,
};

/* The stages of one BO execution (tracepoints/EVENTS.md, "stage" table). */
enum qp_stage {
	QP_STAGE_SUBMIT,	/* ioctl entry -> doorbell */
	QP_STAGE_DEVICE,	/* doorbell -> driver saw the response (queue + device) */
	QP_STAGE_COMPLETE,	/* response seen -> BO completed */
	QP_STAGE_WAKEUP,	/* BO completed -> WAIT_BO returned */
	QP_STAGE_E2E,		/* ioctl entry -> WAIT_BO returned */
	QP_STAGE_N,
};

/* Global counters, a per-CPU array indexed by this. */
enum qp_counter {
	QP_CNT_ENQUEUED,	/* BO executions tracked */
	QP_CNT_INFLIGHT_FULL,	/* not tracked: in-flight map full */
	QP_CNT_ORPHAN_COMPLETE,	/* completion of an execution never seen enqueued */
	QP_CNT_DONE_FULL,	/* completed but could not wait for its WAIT_BO */
	QP_CNT_WAIT_UNMATCHED,	/* WAIT_BO return with no completion to pair */
	QP_CNT_RB_DROPS,	/* record mode: ring buffer full, event lost */
	QP_CNT_RB_EVENTS,	/* record mode: events written */
	QP_CNT_FILTERED,	/* enqueues the filters skipped */
	QP_CNT_WAIT_ERROR,	/* WAIT_BO returned an error (timeout, signal, flushed): not paired */
	QP_CNT_DIR_UNKNOWN,	/* enqueue with a dir neither 1 nor 2: counted as QP_DIR_IN */
	QP_CNT_STAGE_SKIPPED,	/* stage not counted: a timestamp was 0 or went backwards */
	QP_CNT_KEYS_FULL,	/* a workload, histogram or DBC entry could not be made */
	QP_CNT_N,
};

/* A workload: one client's use of one DBC. */
struct qp_wl_key {
	__u32 dev;	/* DRM minor (tracepoints' dev) */
	__u32 dbc;
	__u32 tgid;
	__u32 pad;
	__u64 cgroup;	/* cgroup v2 id of the submitting task */
};

/* Per workload, per CPU (BPF_MAP_TYPE_PERCPU_HASH). */
struct qp_wl_stats {
	__u64 executes;			/* EXECUTE/PARTIAL_EXECUTE ioctls entered */
	__u64 enq[QP_DIR_N];		/* BO executions enqueued */
	__u64 enq_bytes[QP_DIR_N];
	__u64 done[QP_DIR_N];		/* ... completed (any status) */
	__u64 done_bytes[QP_DIR_N];
	__u64 errors;			/* completed with status != 0 */
	__u64 waits;			/* WAIT_BO returns paired with a completion */
	__u64 lat_sum_ns[QP_STAGE_N];	/* sums, for means */
	char comm[QP_COMM_LEN];		/* last submitter's comm */
};

/* Histogram of one stage of one workload, per CPU. */
struct qp_hist_key {
	struct qp_wl_key wl;
	__u32 stage;			/* enum qp_stage */
	__u32 pad;
};

struct qp_hist {
	__u32 slots[QP_HIST_SLOTS];
};

/* In flight: one execution of one BO, key of the in-flight and done maps. */
struct qp_req_key {
	__u32 dev;
	__u32 dbc;
	__u64 seq;	/* per-DBC execution sequence (never repeats) */
};

struct qp_req {
	struct qp_wl_key wl;
	__u64 submit_ts;
	__u64 bytes;
	__u64 complete_ts;	/* done map only */
	__u32 dir;		/* enum qp_dir */
	__u32 handle;
	__u32 tid;		/* submitting thread */
	__u32 pad;
};

/* Per DBC state (BPF_MAP_TYPE_HASH, updated with atomics). */
struct qp_dbc_key {
	__u32 dev;
	__u32 dbc;
};

struct qp_dbc_state {
	__u64 enqueued;		/* tracked executions enqueued */
	__u64 completed;	/* tracked executions completed */
	__u64 last_doorbell_ts;
	__u64 last_seen_ts;	/* newest completion's seen_ts */
	__u64 busy_ns;		/* union of [doorbell_ts, seen_ts] of completions */
	__u64 busy_end;		/* end of that union so far */
	__u64 irqs;		/* qaic_dbc_irq events */
	__u32 last_tail;	/* request FIFO tail of the last doorbell */
	__u32 rsp_head;		/* response FIFO head/tail at the last IRQ */
	__u32 rsp_tail;
	__u32 owner_tgid;	/* last submitter */
	__u64 owner_cgroup;
	char owner_comm[QP_COMM_LEN];
};

/* Record mode: one ring-buffer event per tracepoint hit. */
enum qp_event_type {
	QP_EV_EXECUTE,
	QP_EV_ENQUEUE,
	QP_EV_DOORBELL,
	QP_EV_IRQ,
	QP_EV_COMPLETE,
	QP_EV_WAIT,
};

struct qp_event {
	__u32 type;		/* enum qp_event_type */
	__u32 dev;
	__u32 dbc;
	__u32 tgid;
	__u32 tid;
	__u32 handle;		/* ENQUEUE, COMPLETE, WAIT */
	__u64 seq;		/* ENQUEUE, COMPLETE, WAIT */
	__u64 cgroup;
	__u64 ts;		/* the event's own time: ts / submit_ts (ENQUEUE) / complete_ts */
	__u64 bytes;		/* ENQUEUE, COMPLETE */
	__u64 submit_ts;	/* COMPLETE */
	__u64 doorbell_ts;	/* COMPLETE */
	__u64 seen_ts;		/* COMPLETE */
	__u64 waited_ns;	/* WAIT */
	__s32 status;		/* COMPLETE: status; WAIT: result */
	__u32 dir;		/* ENQUEUE, COMPLETE: enum qp_dir */
	__u32 count;		/* EXECUTE: BOs; DOORBELL: BOs; ENQUEUE: elements; IRQ: polled */
	__u32 level;		/* ENQUEUE: queue level; DOORBELL: tail; IRQ: rsp head */
	__u32 aux;		/* IRQ: rsp tail; DOORBELL: elements; EXECUTE: partial */
	__u32 pad;
	char comm[QP_COMM_LEN];
};

#endif /* QAIC_PROF_H_ */
