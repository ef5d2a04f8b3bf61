/* SPDX-License-Identifier: MIT */
/*
 * The record-mode events (bpf/qaic_prof.h, struct qp_event) assembled into
 * what a timeline shows: one record per BO execution, joined from its
 * ENQUEUE, COMPLETE and WAIT events by (dev, dbc, seq); the execute ioctls of
 * each submitting thread; the WAIT_BO returns; the completion IRQs.
 *
 * Events come in ring-buffer order, which is not time order across CPUs (a
 * COMPLETE may arrive before its ENQUEUE): nothing here depends on arrival
 * order. trace_model_finish() joins and puts everything in one canonical
 * order, so the same events give the same model, however they arrived.
 *
 * Rules of the join (the stage table of tracepoints/EVENTS.md):
 * - ENQUEUE gives the owner (tgid, tid, comm, cgroup), bytes, dir, elements,
 *   queue level and submit_ts; COMPLETE gives status, submit_ts, doorbell_ts,
 *   seen_ts, complete_ts, and (from the BPF in-flight map) the owner's tgid,
 *   tid and cgroup, bytes and dir. A COMPLETE with no ENQUEUE is an orphan
 *   (its ENQUEUE was lost in the ring buffer): all but its comm, elements
 *   and queue level is known.
 * - A WAIT pairs with the execution (dev, dbc, seq); a WAIT_BO may name
 *   another DBC of the caller (as upstream), so failing that, with the
 *   caller's execution of the same (dev, seq, handle). The earliest WAIT
 *   that ended because the BO was done (result 0, or -EPERM: flushed) ends
 *   the request; others (timeouts, signals) are only counted.
 * - An EXECUTE joins the executions it enqueued by (dev, dbc, tgid, tid, ts ==
 *   submit_ts); it lasts until their doorbell_ts (or, when none completed,
 *   the thread's next DOORBELL on that DBC before its next execute). Batches
 *   whose EXECUTE was not seen are rebuilt from their enqueues.
 */
#ifndef TRACE_MODEL_H_
#define TRACE_MODEL_H_

#include <stddef.h>
#include <stdint.h>

#include <linux/types.h>

#include "qaic_prof.h"

#define TRACE_COMM_LEN	QP_COMM_LEN

/* What is known of a request (struct trace_req.flags). */
enum trace_req_flag {
	TRACE_REQ_ENQUEUED = 1u << 0,	/* ENQUEUE seen: comm, elements, queue level known */
	TRACE_REQ_DOORBELL = 1u << 1,	/* doorbell_ts known */
	TRACE_REQ_COMPLETED = 1u << 2,	/* COMPLETE seen: seen_ts, complete_ts, status */
	TRACE_REQ_WAITED = 1u << 3,	/* a WAIT_BO return ended a wait for it */
	TRACE_REQ_OWNER = 1u << 4,	/* tgid, tid, cgroup, bytes, dir known */
};

/* One execution of one BO. Timestamps are ktime_get_ns(); 0 when unknown. */
struct trace_req {
	uint32_t dev;
	uint32_t dbc;
	uint64_t seq;		/* per-DBC execution sequence; req_id is its low 16 bits */
	uint32_t handle;
	uint32_t flags;		/* enum trace_req_flag */
	uint32_t tgid;		/* submitter (OWNER), else 0 */
	uint32_t tid;
	uint64_t cgroup;
	char comm[TRACE_COMM_LEN];	/* ENQUEUED: printable ASCII, NUL-terminated */
	uint32_t dir;		/* enum qp_dir; QP_DIR_N when not known */
	uint32_t elements;	/* ENQUEUED: request FIFO elements queued */
	uint32_t queue_level;	/* ENQUEUED: elements queued ahead of it */
	uint32_t waits;		/* WAIT_BO returns paired with it, ending or not */
	uint64_t bytes;
	int32_t status;		/* COMPLETED: 0, device code > 0, flushed < 0 */
	int32_t wait_result;	/* WAITED: the ending wait's result */
	uint32_t wait_tgid;	/* WAITED: the process and thread that waited */
	uint32_t wait_tid;
	uint64_t submit_ts;	/* execute ioctl entry (always known) */
	uint64_t doorbell_ts;
	uint64_t seen_ts;
	uint64_t complete_ts;
	uint64_t wait_ts;	/* WAITED: when the ending wait returned */
	uint64_t waited_ns;	/* WAITED: how long it waited */
};

/* One EXECUTE_BO / PARTIAL_EXECUTE_BO call of one thread. */
struct trace_exec {
	uint32_t dev;
	uint32_t dbc;		/* as the caller gave it */
	uint32_t tgid;
	uint32_t tid;
	uint64_t cgroup;
	char comm[TRACE_COMM_LEN];
	uint64_t ts;		/* ioctl entry: every enqueued BO's submit_ts */
	uint64_t doorbell_ts;	/* end of the submission; 0 when not known */
	uint32_t bos;		/* BOs the call asked for */
	uint32_t enqueued;	/* executions of this call in the trace */
	uint32_t partial;	/* 1 for PARTIAL_EXECUTE_BO */
	uint32_t rebuilt;	/* 1: no EXECUTE event, rebuilt from its enqueues */
};

/* One WAIT_BO return. */
struct trace_wait {
	uint32_t dev;
	uint32_t dbc;		/* as the caller gave it */
	uint32_t tgid;
	uint32_t tid;
	uint32_t handle;
	int32_t result;		/* the ioctl's return */
	uint64_t seq;		/* the BO's last execution */
	uint64_t cgroup;
	char comm[TRACE_COMM_LEN];
	uint64_t ts;		/* when it returned */
	uint64_t waited_ns;
	uint32_t matched;	/* 1: paired with a request of the trace */
	uint32_t pad;
};

/* One completion IRQ (or polling discovery) of a DBC. */
struct trace_irq {
	uint32_t dev;
	uint32_t dbc;
	uint32_t rsp_head;
	uint32_t rsp_tail;
	uint64_t ts;
};

struct trace_counts {
	uint64_t events;	/* records taken in, of any kind */
	uint64_t dropped;	/* lost in the ring buffer (trace_model_set_dropped) */
	uint64_t malformed;	/* records too short or of an unknown type */
	uint64_t duplicates;	/* a second ENQUEUE or COMPLETE of one (dev, dbc, seq) */
	uint64_t orphans;	/* completed, never seen enqueued */
	uint64_t incomplete;	/* enqueued, never seen completed */
	uint64_t unwaited;	/* completed, no WAIT_BO return ended a wait for it */
	uint64_t unmatched_waits; /* WAIT_BO returns for no request of the trace */
};

struct trace_build;

/*
 * After trace_model_finish() (or trace_read()), the arrays are in canonical
 * order: reqs by (dev, dbc, submit_ts, seq); execs by (tgid, tid, ts, dev,
 * dbc); waits by (tgid, tid, ts, dev, dbc, seq); irqs by (dev, dbc, ts).
 */
struct trace_model {
	struct trace_req *reqs;
	size_t n_reqs;
	struct trace_exec *execs;
	size_t n_execs;
	struct trace_wait *waits;
	size_t n_waits;
	struct trace_irq *irqs;
	size_t n_irqs;
	struct trace_counts counts;
	uint64_t first_ts;	/* earliest and latest timestamp of the trace */
	uint64_t last_ts;	/* (both 0 when it has none) */
	int sealed;		/* finished: nothing more can be added */
	struct trace_build *build;	/* assembly state */
};

/* NULL on allocation failure. */
struct trace_model *trace_model_new(void);
void trace_model_free(struct trace_model *m);

/*
 * Takes one ring-buffer record (a struct qp_event). Records shorter than
 * that or of an unknown type are counted as malformed, not refused.
 * Returns 0, -ENOMEM, or -EBUSY once the model is finished.
 */
int trace_model_add_event(struct trace_model *m, const void *data, size_t size);

/*
 * The same as a libbpf ring_buffer_sample_fn (ring_buffer__new(fd,
 * trace_model_rb_sample, model, NULL)): ctx is the model. A negative return
 * (-ENOMEM) stops ring_buffer__poll() with it.
 */
int trace_model_rb_sample(void *ctx, void *data, size_t size);

/* Events the ring buffer lost (QP_CNT_RB_DROPS over the recording). */
void trace_model_set_dropped(struct trace_model *m, uint64_t dropped);

/* Joins the events and seals the model. 0 or -ENOMEM; a second call does nothing. */
int trace_model_finish(struct trace_model *m);

/*
 * For trace_read(): records taken as they are (no join), then sealed with
 * trace_model_seal() (canonical order, derived counts). 0 or -ENOMEM / -EBUSY.
 */
int trace_model_add_req(struct trace_model *m, const struct trace_req *r);
int trace_model_add_exec(struct trace_model *m, const struct trace_exec *e);
int trace_model_add_wait(struct trace_model *m, const struct trace_wait *w);
int trace_model_add_irq(struct trace_model *m, const struct trace_irq *irq);
int trace_model_seal(struct trace_model *m);

/*
 * One stage of a request (enum qp_stage), by the rules the BPF programs
 * count stages with, so a report from a trace agrees with `qaic-prof lat`:
 * a flushed BO (status < 0) has no stages; submit and queue+device need the
 * doorbell; wakeup and end to end need a WAIT_BO that returned 0; both ends
 * known and in order. Returns 1 and sets *ns, else 0.
 */
int trace_req_stage_ns(const struct trace_req *r, unsigned int stage, uint64_t *ns);

/*
 * A request as a timeline draws it: its stage boundaries made monotonic
 * (each at least the one before; timestamps that disagree are clamped and
 * said so), so that the stages nest inside the request whatever the
 * timestamps say. t[s] to t[s + 1] is stage s (enum qp_stage, submit to
 * wakeup) when 1 << s is in stages. It ends at the ending wait, else at the
 * completion, else (never completed) at the end of the trace.
 */
struct trace_shape {
	uint64_t t[QP_STAGE_E2E + 1];	/* submit, doorbell, seen, complete, wait */
	uint64_t end;
	unsigned int stages;
	int clamped;
};

void trace_req_shape(const struct trace_model *m, const struct trace_req *r,
		     struct trace_shape *s);

/* A WAIT_BO result that means the BO was done (0, or -EPERM: flushed). */
int trace_wait_ended(int32_t result);

/* "in", "out", or "unknown". */
const char *trace_dir_name(uint32_t dir);

/* The comm as the model keeps it: printable ASCII, others as '?', NUL-terminated. */
void trace_comm_copy(char dst[TRACE_COMM_LEN], const char *src);

#endif /* TRACE_MODEL_H_ */
