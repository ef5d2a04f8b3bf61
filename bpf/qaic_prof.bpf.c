// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * qaic-prof's kernel side: aggregates the qaic data-path tracepoints
 * (tracepoints/EVENTS.md) into per-workload counters and per-stage latency
 * histograms, per-DBC queue state, and in record mode a ring buffer of
 * events. Layouts and sizes: qaic_prof.h.
 *
 * Two sets of entry points share the handlers: raw_tp/ (the default; reads
 * the TP_PROTO arguments) and tp/qaic/ (the fallback; reads the classic
 * trace record through CO-RE, qaic_tp.bpf.h). Load one set only.
 *
 * Latencies come from timestamps carried in the events, never from a clock
 * read here, so the same events always give the same numbers.
 *
 * Decisions worth knowing on the user side:
 * - Filters: dev/dbc apply to every event. tgid/cgroup (the current task's;
 *   cgroup by equality of the v2 id) apply to the events fired in the
 *   submitting or waiting process: execute, enqueue, doorbell, wait. IRQ-time
 *   events (dbc_irq, bo_complete) cannot see the client; while a tgid or
 *   cgroup filter is set they only touch state a tracked event created, and
 *   a completion with no in-flight entry is not counted as an orphan (it is
 *   most likely a filtered client's).
 * - dir: 1 is QP_DIR_IN, 2 is QP_DIR_OUT; anything else (the driver sends
 *   neither) is counted as QP_DIR_IN, and in QP_CNT_DIR_UNKNOWN.
 * - A stage whose start is 0 or whose end is before its start is counted in
 *   QP_CNT_STAGE_SKIPPED and nowhere else (no bucket, no sum).
 * - A BO flushed by a teardown (status < 0) never ran: it counts in done,
 *   done_bytes, errors and its DBC's completed and busy time (as fdinfo
 *   charges it), but in no stage, and no WAIT_BO pairs with it (its wait
 *   returns -EPERM). The submit and device stages need a doorbell_ts of this
 *   execution: 0 or older than its submit_ts means "flushed before the
 *   doorbell".
 * - A WAIT_BO that returned an error (timeout, signal, flushed) pairs with
 *   nothing and leaves the done entry for a later successful wait.
 * - Full maps: an execution the in-flight map had no room for is counted in
 *   QP_CNT_INFLIGHT_FULL, and its completion once more as an orphan. A
 *   workload, histogram or DBC entry that cannot be made counts
 *   QP_CNT_KEYS_FULL per update lost; a stage lost that way is left out of
 *   the sums too, so sums and buckets always agree.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "qaic_prof.h"
#include "maps.bpf.h"
#include "qaic_tp.bpf.h"

/* qaic_bo_enqueue's dir */
#define QAIC_DIR_TO_DEVICE	1
#define QAIC_DIR_FROM_DEVICE	2

/* Tunables, set before load (skel->rodata). -1 / 0: no filter. */
const volatile __s32 targ_dev = -1;
const volatile __s32 targ_dbc = -1;
const volatile __s32 targ_tgid = -1;
const volatile __u64 targ_cgroup = 0;
const volatile bool record = false;	/* also stream events to the ring buffer */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, QP_CNT_N);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, QP_MAX_WORKLOADS);
	__type(key, struct qp_wl_key);
	__type(value, struct qp_wl_stats);
} workloads SEC(".maps");

/*
 * 9 KB a value per CPU, preallocated: allocating a new one from a tracepoint
 * (BPF_F_NO_PREALLOC) fails with -ENOMEM whenever the per-CPU allocator has
 * no populated room, which is often, and would lose samples.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, QP_MAX_HISTS);
	__type(key, struct qp_hist_key);
	__type(value, struct qp_hist);
} hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, QP_MAX_INFLIGHT);
	__type(key, struct qp_req_key);
	__type(value, struct qp_req);
} inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, QP_MAX_DONE);
	__type(key, struct qp_req_key);
	__type(value, struct qp_req);
} done SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, QP_MAX_DBCS);
	__type(key, struct qp_dbc_key);
	__type(value, struct qp_dbc_state);
} dbcs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, QP_RINGBUF_BYTES);
} events SEC(".maps");

/* Initial values of new map entries (read-only, never on the stack). */
static const struct qp_hist zero_hist;
static const struct qp_wl_stats zero_wl;
static const struct qp_dbc_state zero_dbc;

struct task_ids {
	__u32 tgid;
	__u32 tid;
	__u64 cgroup;
};

static __always_inline void count(enum qp_counter c)
{
	__u32 key = c;
	__u64 *val;

	val = bpf_map_lookup_elem(&counters, &key);
	if (val)
		__sync_fetch_and_add(val, 1);	/* another program may nest on this CPU */
}

static __always_inline void current_ids(struct task_ids *t)
{
	__u64 id = bpf_get_current_pid_tgid();

	t->tgid = id >> 32;
	t->tid = (__u32)id;
	t->cgroup = bpf_get_current_cgroup_id();
}

static __always_inline bool dev_dbc_filtered(__u32 dev, __u32 dbc)
{
	if (targ_dev >= 0 && dev != (__u32)targ_dev)
		return true;
	if (targ_dbc >= 0 && dbc != (__u32)targ_dbc)
		return true;
	return false;
}

static __always_inline bool task_filter_set(void)
{
	return targ_tgid >= 0 || targ_cgroup;
}

static __always_inline bool task_filtered(const struct task_ids *t)
{
	if (targ_tgid >= 0 && t->tgid != (__u32)targ_tgid)
		return true;
	if (targ_cgroup && t->cgroup != targ_cgroup)
		return true;
	return false;
}

static __always_inline __u32 dir_of(__u32 dir)
{
	if (dir == QAIC_DIR_FROM_DEVICE)
		return QP_DIR_OUT;
	if (dir != QAIC_DIR_TO_DEVICE)
		count(QP_CNT_DIR_UNKNOWN);
	return QP_DIR_IN;
}

/*
 * pair[d] += v with constant indices: a variable index spilled to the stack
 * loses its bounds on 6.1's verifier.
 */
static __always_inline void add_dir(__u64 *pair, __u32 d, __u64 v)
{
	if (d == QP_DIR_OUT)
		__sync_fetch_and_add(&pair[QP_DIR_OUT], v);
	else
		__sync_fetch_and_add(&pair[QP_DIR_IN], v);
}

static __always_inline struct qp_wl_stats *workload_of(const struct qp_wl_key *wl)
{
	struct qp_wl_stats *st;

	st = map_lookup_or_init(&workloads, wl, &zero_wl);
	if (!st)
		count(QP_CNT_KEYS_FULL);
	return st;
}

/* @create: make the entry if absent (else only update an existing one). */
static __always_inline struct qp_dbc_state *dbc_of(__u32 dev, __u32 dbc, bool create)
{
	struct qp_dbc_key key = { .dev = dev, .dbc = dbc };
	struct qp_dbc_state *st;

	if (!create)
		return bpf_map_lookup_elem(&dbcs, &key);
	st = map_lookup_or_init(&dbcs, &key, &zero_dbc);
	if (!st)
		count(QP_CNT_KEYS_FULL);
	return st;
}

/* One stage of one execution: a histogram bucket and the workload's sum. */
static __always_inline void count_stage(const struct qp_wl_key *wl, struct qp_wl_stats *st,
					__u32 stage, __u64 from, __u64 to)
{
	struct qp_hist_key key = { .wl = *wl, .stage = stage };
	struct qp_hist *h;
	__u32 slot;
	__u64 ns;

	if (!from || to < from || stage >= QP_STAGE_N) {
		count(QP_CNT_STAGE_SKIPPED);
		return;
	}
	ns = to - from;
	h = map_lookup_or_init(&hists, &key, &zero_hist);
	if (!h) {
		count(QP_CNT_KEYS_FULL);
		return;
	}
	slot = qp_hist_slot(ns);
	if (slot >= QP_HIST_SLOTS)	/* cannot happen; the verifier wants it said */
		slot = QP_HIST_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
	if (st)
		__sync_fetch_and_add(&st->lat_sum_ns[stage], ns);
}

/* Record mode: a zeroed event of @type, or NULL (ring buffer full: counted). */
static __always_inline struct qp_event *event_new(__u32 type, __u32 dev, __u32 dbc)
{
	struct qp_event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(QP_CNT_RB_DROPS);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->type = type;
	e->dev = dev;
	e->dbc = dbc;
	return e;
}

static __always_inline void event_task(struct qp_event *e, const struct task_ids *t)
{
	e->tgid = t->tgid;
	e->tid = t->tid;
	e->cgroup = t->cgroup;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
}

static __always_inline void event_submit(struct qp_event *e)
{
	bpf_ringbuf_submit(e, 0);
	count(QP_CNT_RB_EVENTS);
}

static __always_inline int on_execute(__u32 dev, __u32 dbc, __u32 bos, bool partial, __u64 ts)
{
	struct qp_wl_key wl = {};
	struct qp_wl_stats *st;
	struct qp_event *e;
	struct task_ids t;

	if (dev_dbc_filtered(dev, dbc))
		return 0;
	current_ids(&t);
	if (task_filtered(&t))
		return 0;

	wl.dev = dev;
	wl.dbc = dbc;
	wl.tgid = t.tgid;
	wl.cgroup = t.cgroup;
	st = workload_of(&wl);
	if (st) {
		__sync_fetch_and_add(&st->executes, 1);
		bpf_get_current_comm(st->comm, sizeof(st->comm));
	}

	if (!record)
		return 0;
	e = event_new(QP_EV_EXECUTE, dev, dbc);
	if (!e)
		return 0;
	event_task(e, &t);
	e->ts = ts;
	e->count = bos;
	e->aux = partial;
	event_submit(e);
	return 0;
}

static __always_inline int on_enqueue(__u32 dev, __u32 dbc, __u64 seq, __u32 handle,
				      __u64 bytes, __u32 elements, __u32 level, __u64 submit_ts,
				      __u32 dir)
{
	struct qp_req_key key = { .dev = dev, .dbc = dbc, .seq = seq };
	struct qp_req req = {};
	struct qp_dbc_state *ds;
	struct qp_wl_stats *st;
	struct qp_event *e;
	struct task_ids t;
	__u32 d;

	if (dev_dbc_filtered(dev, dbc)) {
		count(QP_CNT_FILTERED);
		return 0;
	}
	current_ids(&t);
	if (task_filtered(&t)) {
		count(QP_CNT_FILTERED);
		return 0;
	}

	d = dir_of(dir);
	req.wl.dev = dev;
	req.wl.dbc = dbc;
	req.wl.tgid = t.tgid;
	req.wl.cgroup = t.cgroup;
	req.submit_ts = submit_ts;
	req.bytes = bytes;
	req.dir = d;
	req.handle = handle;
	req.tid = t.tid;
	if (bpf_map_update_elem(&inflight, &key, &req, BPF_NOEXIST)) {
		count(QP_CNT_INFLIGHT_FULL);
		return 0;
	}
	count(QP_CNT_ENQUEUED);

	st = workload_of(&req.wl);
	if (st) {
		add_dir(st->enq, d, 1);
		add_dir(st->enq_bytes, d, bytes);
		bpf_get_current_comm(st->comm, sizeof(st->comm));
	}
	ds = dbc_of(dev, dbc, true);
	if (ds) {
		__sync_fetch_and_add(&ds->enqueued, 1);
		ds->owner_tgid = t.tgid;
		ds->owner_cgroup = t.cgroup;
		bpf_get_current_comm(ds->owner_comm, sizeof(ds->owner_comm));
	}

	if (!record)
		return 0;
	e = event_new(QP_EV_ENQUEUE, dev, dbc);
	if (!e)
		return 0;
	event_task(e, &t);
	e->handle = handle;
	e->seq = seq;
	e->ts = submit_ts;
	e->submit_ts = submit_ts;
	e->bytes = bytes;
	e->dir = d;
	e->count = elements;
	e->level = level;
	event_submit(e);
	return 0;
}

static __always_inline int on_doorbell(__u32 dev, __u32 dbc, __u32 tail, __u32 bos,
				       __u32 elements, __u64 ts)
{
	struct qp_dbc_state *ds;
	struct qp_event *e;
	struct task_ids t;

	if (dev_dbc_filtered(dev, dbc))
		return 0;
	current_ids(&t);
	if (task_filtered(&t))
		return 0;

	ds = dbc_of(dev, dbc, true);
	if (ds) {
		/* Doorbells of one DBC are serialized by the driver's request lock. */
		if (ts > ds->last_doorbell_ts)
			ds->last_doorbell_ts = ts;
		ds->last_tail = tail;
	}

	if (!record)
		return 0;
	e = event_new(QP_EV_DOORBELL, dev, dbc);
	if (!e)
		return 0;
	event_task(e, &t);
	e->ts = ts;
	e->count = bos;
	e->level = tail;
	e->aux = elements;
	event_submit(e);
	return 0;
}

static __always_inline int on_irq(__u32 dev, __u32 dbc, __u32 rsp_head, __u32 rsp_tail,
				  bool polled, __u64 ts)
{
	struct qp_dbc_state *ds;
	struct qp_event *e;

	if (dev_dbc_filtered(dev, dbc))
		return 0;
	ds = dbc_of(dev, dbc, !task_filter_set());
	if (!ds && task_filter_set())
		return 0;	/* a DBC no tracked client used */
	if (ds) {
		__sync_fetch_and_add(&ds->irqs, 1);
		ds->rsp_head = rsp_head;
		ds->rsp_tail = rsp_tail;
	}

	if (!record)
		return 0;
	e = event_new(QP_EV_IRQ, dev, dbc);
	if (!e)
		return 0;
	if (ds) {	/* the IRQ's task says nothing: name the DBC's owner */
		e->tgid = ds->owner_tgid;
		e->cgroup = ds->owner_cgroup;
	}
	e->ts = ts;
	e->count = polled;
	e->level = rsp_head;
	e->aux = rsp_tail;
	event_submit(e);
	return 0;
}

/* The union of [doorbell_ts, seen_ts] over the DBC's completions. */
static __always_inline void add_busy(struct qp_dbc_state *ds, __u64 doorbell_ts, __u64 seen_ts)
{
	__u64 start = doorbell_ts, end = ds->busy_end;

	/*
	 * One thread completes a DBC's BOs, in FIFO order, so busy_end needs no
	 * atomic update: each interval either extends the union or lies in it.
	 */
	if (seen_ts <= end)
		return;
	if (start < end)
		start = end;
	__sync_fetch_and_add(&ds->busy_ns, seen_ts - start);
	ds->busy_end = seen_ts;
}

static __always_inline int on_complete(__u32 dev, __u32 dbc, __u64 seq, __u32 handle,
				       int status, __u64 doorbell_ts, __u64 seen_ts,
				       __u64 complete_ts)
{
	struct qp_req_key key = { .dev = dev, .dbc = dbc, .seq = seq };
	struct qp_dbc_state *ds;
	struct qp_wl_stats *st;
	struct qp_event *e;
	struct qp_req *found;
	struct qp_req req;
	bool rang;
	__u32 d;

	if (dev_dbc_filtered(dev, dbc))
		return 0;
	found = bpf_map_lookup_elem(&inflight, &key);
	if (!found) {
		if (!task_filter_set())
			count(QP_CNT_ORPHAN_COMPLETE);
		return 0;
	}
	req = *found;
	if (bpf_map_delete_elem(&inflight, &key))
		return 0;	/* someone else completed it: count it once */

	d = req.dir == QP_DIR_OUT ? QP_DIR_OUT : QP_DIR_IN;
	/* A doorbell of this execution, not 0 or a previous one's. */
	rang = doorbell_ts && doorbell_ts >= req.submit_ts;

	st = workload_of(&req.wl);
	if (st) {
		add_dir(st->done, d, 1);
		add_dir(st->done_bytes, d, req.bytes);
		if (status)
			__sync_fetch_and_add(&st->errors, 1);
	}
	if (status >= 0) {
		if (rang) {
			count_stage(&req.wl, st, QP_STAGE_SUBMIT, req.submit_ts, doorbell_ts);
			count_stage(&req.wl, st, QP_STAGE_DEVICE, doorbell_ts, seen_ts);
		} else {
			count(QP_CNT_STAGE_SKIPPED);
			count(QP_CNT_STAGE_SKIPPED);
		}
		count_stage(&req.wl, st, QP_STAGE_COMPLETE, seen_ts, complete_ts);
	}

	ds = dbc_of(dev, dbc, true);
	if (ds) {
		__sync_fetch_and_add(&ds->completed, 1);
		if (seen_ts > ds->last_seen_ts)
			ds->last_seen_ts = seen_ts;
		if (rang && seen_ts >= doorbell_ts)
			add_busy(ds, doorbell_ts, seen_ts);
	}

	if (status >= 0) {
		req.complete_ts = complete_ts;
		if (bpf_map_update_elem(&done, &key, &req, BPF_ANY))
			count(QP_CNT_DONE_FULL);
	}

	if (!record)
		return 0;
	e = event_new(QP_EV_COMPLETE, dev, dbc);
	if (!e)
		return 0;
	e->tgid = req.wl.tgid;	/* the submitter's, not the IRQ thread's */
	e->tid = req.tid;
	e->cgroup = req.wl.cgroup;
	e->handle = handle;
	e->seq = seq;
	e->ts = complete_ts;
	e->submit_ts = req.submit_ts;
	e->doorbell_ts = doorbell_ts;
	e->seen_ts = seen_ts;
	e->bytes = req.bytes;
	e->dir = d;
	e->status = status;
	event_submit(e);
	return 0;
}

static __always_inline int on_wait(__u32 dev, __u32 dbc, __u32 handle, __u64 seq, int result,
				   __u64 ts, __u64 waited_ns)
{
	struct qp_req_key key = { .dev = dev, .dbc = dbc, .seq = seq };
	struct qp_wl_stats *st;
	struct qp_req *found;
	struct qp_event *e;
	struct task_ids t;
	struct qp_req req;

	if (dev_dbc_filtered(dev, dbc))
		return 0;
	current_ids(&t);
	if (task_filtered(&t))
		return 0;

	/*
	 * seq is the BO's last execution, finished or not: a wait that timed
	 * out or was interrupted may name one still in flight, or one that
	 * completed just after; only a successful wait consumes the pairing.
	 */
	if (result) {
		count(QP_CNT_WAIT_ERROR);
	} else {
		found = bpf_map_lookup_elem(&done, &key);
		if (found) {
			req = *found;
			if (bpf_map_delete_elem(&done, &key))
				found = NULL;
		}
		if (!found) {
			count(QP_CNT_WAIT_UNMATCHED);
		} else {
			st = workload_of(&req.wl);
			if (st)
				__sync_fetch_and_add(&st->waits, 1);
			count_stage(&req.wl, st, QP_STAGE_WAKEUP, req.complete_ts, ts);
			count_stage(&req.wl, st, QP_STAGE_E2E, req.submit_ts, ts);
		}
	}

	if (!record)
		return 0;
	e = event_new(QP_EV_WAIT, dev, dbc);
	if (!e)
		return 0;
	event_task(e, &t);
	e->handle = handle;
	e->seq = seq;
	e->ts = ts;
	e->waited_ns = waited_ns;
	e->status = result;
	event_submit(e);
	return 0;
}

/* raw_tp: the default attachment; arguments as in TP_PROTO. */

SEC("raw_tp/qaic_execute")
int BPF_PROG(raw_qaic_execute, u32 dev, u64 client, u32 tgid, u32 dbc, u32 bos, bool partial,
	     u64 ts)
{
	return on_execute(dev, dbc, bos, partial, ts);
}

SEC("raw_tp/qaic_bo_enqueue")
int BPF_PROG(raw_qaic_bo_enqueue, u32 dev, u32 dbc, u16 req_id, u64 seq, u32 user, u32 handle,
	     u64 bytes, u32 elements, u32 queue_level, u64 submit_ts, u32 dir)
{
	return on_enqueue(dev, dbc, seq, handle, bytes, elements, queue_level, submit_ts, dir);
}

SEC("raw_tp/qaic_doorbell")
int BPF_PROG(raw_qaic_doorbell, u32 dev, u32 dbc, u32 tail, u32 bos, u32 elements, u64 ts)
{
	return on_doorbell(dev, dbc, tail, bos, elements, ts);
}

SEC("raw_tp/qaic_dbc_irq")
int BPF_PROG(raw_qaic_dbc_irq, u32 dev, u32 dbc, u32 rsp_head, u32 rsp_tail, bool polled,
	     u64 ts)
{
	return on_irq(dev, dbc, rsp_head, rsp_tail, polled, ts);
}

SEC("raw_tp/qaic_bo_complete")
int BPF_PROG(raw_qaic_bo_complete, u32 dev, u32 dbc, u16 req_id, u64 seq, u32 handle,
	     int status, u64 submit_ts, u64 doorbell_ts, u64 seen_ts, u64 complete_ts)
{
	return on_complete(dev, dbc, seq, handle, status, doorbell_ts, seen_ts, complete_ts);
}

SEC("raw_tp/qaic_wait_return")
int BPF_PROG(raw_qaic_wait_return, u32 dev, u32 dbc, u32 handle, u16 req_id, u64 seq,
	     int result, int status, u64 ts, u64 waited_ns)
{
	return on_wait(dev, dbc, handle, seq, result, ts, waited_ns);
}

/* tp/: the fallback; the classic trace record, relocated by CO-RE. */

SEC("tp/qaic/qaic_execute")
int tp_qaic_execute(struct trace_event_raw_qaic_execute___x *ctx)
{
	return on_execute(ctx->dev, ctx->dbc, ctx->count, ctx->partial, ctx->ts);
}

SEC("tp/qaic/qaic_bo_enqueue")
int tp_qaic_bo_enqueue(struct trace_event_raw_qaic_bo_enqueue___x *ctx)
{
	return on_enqueue(ctx->dev, ctx->dbc, ctx->seq, ctx->handle, ctx->bytes, ctx->elements,
			  ctx->queue_level, ctx->submit_ts, ctx->dir);
}

SEC("tp/qaic/qaic_doorbell")
int tp_qaic_doorbell(struct trace_event_raw_qaic_doorbell___x *ctx)
{
	return on_doorbell(ctx->dev, ctx->dbc, ctx->tail, ctx->bos, ctx->elements, ctx->ts);
}

SEC("tp/qaic/qaic_dbc_irq")
int tp_qaic_dbc_irq(struct trace_event_raw_qaic_dbc_irq___x *ctx)
{
	return on_irq(ctx->dev, ctx->dbc, ctx->rsp_head, ctx->rsp_tail, ctx->polled, ctx->ts);
}

SEC("tp/qaic/qaic_bo_complete")
int tp_qaic_bo_complete(struct trace_event_raw_qaic_bo_complete___x *ctx)
{
	return on_complete(ctx->dev, ctx->dbc, ctx->seq, ctx->handle, ctx->status,
			   ctx->doorbell_ts, ctx->seen_ts, ctx->complete_ts);
}

SEC("tp/qaic/qaic_wait_return")
int tp_qaic_wait_return(struct trace_event_raw_qaic_wait_return___x *ctx)
{
	return on_wait(ctx->dev, ctx->dbc, ctx->handle, ctx->seq, ctx->result, ctx->ts,
		       ctx->waited_ns);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
