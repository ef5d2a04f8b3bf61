// SPDX-License-Identifier: MIT
/*
 * Trace model -> Chrome trace-event JSON (the layout is described in
 * trace_writer.h). Everything is laid out first (lanes, client slices,
 * which slices had to be flattened), then written in one pass, in the
 * model's canonical order, so the output depends on the model alone.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json_writer.h"
#include "trace_counters.h"
#include "trace_lanes.h"
#include "trace_writer.h"

/* ns -> "us since the origin" with 5 decimals, a quarter ns above the value meant. */
#define TS_PLACES	5
#define TS_PER_NS	100
#define TS_BIAS		25

_Static_assert(TRACE_BW_BIN_NS == 10000000ull, "link MB/s is written as bytes per bin / 10^4");
#define BW_PLACES	4

enum { CS_EXEC, CS_WAIT };

/* A slice on a client thread's track. */
struct client_slice {
	uint32_t tgid;
	uint32_t tid;
	uint64_t start;
	uint64_t end;
	uint32_t kind;		/* CS_EXEC, CS_WAIT */
	uint32_t idx;		/* into execs or waits */
	uint32_t flattened;	/* overlapped another one: drawn with zero length */
};

/* The lanes of one DBC, and its IRQ track. */
struct dbc_tracks {
	uint32_t dev;
	uint32_t dbc;
	uint32_t lanes;
	uint32_t has_irq;
	uint32_t pid;
	uint32_t first_tid;	/* lane L is first_tid + L; the IRQ track follows */
};

struct writer {
	struct json_writer *jw;
	const struct trace_model *m;
	uint64_t origin;
	uint32_t *devs;
	size_t n_devs;
	struct dbc_tracks *dbcs;
	size_t n_dbcs;
	uint32_t *lane;		/* per request */
	struct client_slice *cs;
	size_t n_cs;
	uint32_t *exec_cs;	/* per exec, per wait: its client slice */
	uint32_t *wait_cs;
	uint64_t clamped;
	uint64_t flattened;
	uint64_t next_flow;
};

#define CMP(a, b) do {				\
	if ((a) != (b))				\
		return (a) < (b) ? -1 : 1;	\
} while (0)

/* A point inside [start, end] away from its edges where there is room. */
static uint64_t middle(uint64_t start, uint64_t end)
{
	return end - start >= 2 ? start + (end - start) / 2 : start;
}

/* ---- layout: devices, lanes ------------------------------------------------------ */

static int dev_index(const struct writer *w, uint32_t dev)
{
	size_t lo = 0, hi = w->n_devs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (w->devs[mid] < dev)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int)lo;
}

/* devs has room for every request and IRQ: insert in order, once. */
static void add_dev(struct writer *w, uint32_t dev)
{
	size_t at = (size_t)dev_index(w, dev);

	if (at < w->n_devs && w->devs[at] == dev)
		return;
	memmove(w->devs + at + 1, w->devs + at, (w->n_devs - at) * sizeof(*w->devs));
	w->devs[at] = dev;
	w->n_devs++;
}

static uint32_t dev_pid(const struct writer *w, uint32_t dev)
{
	return TRACE_DEV_PID_BASE + (uint32_t)dev_index(w, dev) * TRACE_DEV_PID_STRIDE;
}

static struct dbc_tracks *find_dbc(const struct writer *w, uint32_t dev, uint32_t dbc)
{
	size_t lo = 0, hi = w->n_dbcs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct dbc_tracks *d = &w->dbcs[mid];

		if (d->dev < dev || (d->dev == dev && d->dbc < dbc))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < w->n_dbcs && w->dbcs[lo].dev == dev && w->dbcs[lo].dbc == dbc)
		return &w->dbcs[lo];
	return NULL;
}

static int layout_devices(struct writer *w)
{
	const struct trace_model *m = w->m;
	uint64_t *start, *end;
	size_t i, j, n_groups = 0;
	uint32_t prev_dev = 0, next_tid = 0;
	int ret = 0;

	w->devs = calloc(m->n_reqs + m->n_irqs + 1, sizeof(*w->devs));
	w->dbcs = calloc(m->n_reqs + m->n_irqs + 1, sizeof(*w->dbcs));
	w->lane = calloc(m->n_reqs + 1, sizeof(*w->lane));
	start = calloc(m->n_reqs + 1, sizeof(*start));
	end = calloc(m->n_reqs + 1, sizeof(*end));
	if (!w->devs || !w->dbcs || !w->lane || !start || !end) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < m->n_reqs; i++) {
		struct trace_shape s;

		trace_req_shape(m, &m->reqs[i], &s);
		start[i] = s.t[0];
		end[i] = s.end;
	}
	/* DBCs with requests (reqs are sorted by dev, dbc, submit) and DBCs with IRQs. */
	for (i = 0; i < m->n_reqs; i = j) {
		long lanes;

		for (j = i + 1; j < m->n_reqs; j++)
			if (m->reqs[j].dev != m->reqs[i].dev || m->reqs[j].dbc != m->reqs[i].dbc)
				break;
		lanes = trace_assign_lanes(start + i, end + i, j - i, w->lane + i);
		if (lanes < 0) {
			ret = (int)lanes;
			goto out;
		}
		w->dbcs[n_groups++] = (struct dbc_tracks){
			.dev = m->reqs[i].dev, .dbc = m->reqs[i].dbc, .lanes = (uint32_t)lanes,
		};
		add_dev(w, m->reqs[i].dev);
	}
	w->n_dbcs = n_groups;
	for (i = 0; i < m->n_irqs; i++) {
		const struct trace_irq *irq = &m->irqs[i];
		struct dbc_tracks *d = find_dbc(w, irq->dev, irq->dbc);

		if (!d) {
			/* Keep dbcs sorted: insert, as add_dev does. */
			size_t at = 0;

			while (at < w->n_dbcs && (w->dbcs[at].dev < irq->dev ||
			       (w->dbcs[at].dev == irq->dev && w->dbcs[at].dbc < irq->dbc)))
				at++;
			memmove(w->dbcs + at + 1, w->dbcs + at, (w->n_dbcs - at) * sizeof(*w->dbcs));
			w->dbcs[at] = (struct dbc_tracks){ .dev = irq->dev, .dbc = irq->dbc };
			w->n_dbcs++;
			d = &w->dbcs[at];
			add_dev(w, irq->dev);
		}
		d->has_irq = 1;
	}
	for (i = 0; i < w->n_dbcs; i++) {
		struct dbc_tracks *d = &w->dbcs[i];

		if (i == 0 || d->dev != prev_dev)
			next_tid = 1;
		prev_dev = d->dev;
		d->pid = dev_pid(w, d->dev);
		d->first_tid = d->pid + next_tid;
		next_tid += d->lanes + d->has_irq;
		if (next_tid >= TRACE_DEV_PID_STRIDE) {
			ret = -E2BIG;
			goto out;
		}
	}
out:
	free(start);
	free(end);
	return ret;
}

/* ---- layout: client threads ---------------------------------------------------------- */

static int cmp_client_slice(const void *pa, const void *pb)
{
	const struct client_slice *a = pa, *b = pb;

	CMP(a->tgid, b->tgid);
	CMP(a->tid, b->tid);
	CMP(a->start, b->start);
	CMP(b->end, a->end);		/* the longer (outer) one first */
	CMP(a->kind, b->kind);
	CMP(a->idx, b->idx);
	return 0;
}

/*
 * Calls of one thread do not overlap, but a thread track must nest whatever
 * the timestamps say: a slice that would end after the end of one it began
 * in is drawn with zero length (and counted).
 */
static int flatten_overlaps(struct writer *w)
{
	uint64_t *ends = malloc((w->n_cs + 1) * sizeof(*ends));
	size_t depth = 0, i;

	if (!ends)
		return -ENOMEM;
	for (i = 0; i < w->n_cs; i++) {
		struct client_slice *c = &w->cs[i];

		if (i && (c->tgid != w->cs[i - 1].tgid || c->tid != w->cs[i - 1].tid))
			depth = 0;
		while (depth && ends[depth - 1] <= c->start)
			depth--;
		if (depth && c->end > ends[depth - 1]) {
			c->end = c->start;
			c->flattened = 1;
			w->flattened++;
		}
		ends[depth++] = c->end;
	}
	free(ends);
	return 0;
}

static int layout_clients(struct writer *w)
{
	const struct trace_model *m = w->m;
	size_t i, n = 0;

	w->cs = calloc(m->n_execs + m->n_waits + 1, sizeof(*w->cs));
	w->exec_cs = calloc(m->n_execs + 1, sizeof(*w->exec_cs));
	w->wait_cs = calloc(m->n_waits + 1, sizeof(*w->wait_cs));
	if (!w->cs || !w->exec_cs || !w->wait_cs)
		return -ENOMEM;
	for (i = 0; i < m->n_execs; i++) {
		const struct trace_exec *e = &m->execs[i];

		w->cs[n++] = (struct client_slice){
			.tgid = e->tgid, .tid = e->tid, .start = e->ts,
			.end = e->doorbell_ts > e->ts ? e->doorbell_ts : e->ts,
			.kind = CS_EXEC, .idx = (uint32_t)i,
		};
	}
	for (i = 0; i < m->n_waits; i++) {
		const struct trace_wait *wt = &m->waits[i];

		w->cs[n++] = (struct client_slice){
			.tgid = wt->tgid, .tid = wt->tid, .end = wt->ts,
			.start = wt->waited_ns < wt->ts ? wt->ts - wt->waited_ns : wt->ts,
			.kind = CS_WAIT, .idx = (uint32_t)i,
		};
	}
	w->n_cs = n;
	qsort(w->cs, n, sizeof(*w->cs), cmp_client_slice);
	if (flatten_overlaps(w))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (w->cs[i].kind == CS_EXEC)
			w->exec_cs[w->cs[i].idx] = (uint32_t)i;
		else
			w->wait_cs[w->cs[i].idx] = (uint32_t)i;
	}
	return 0;
}

/* ---- writing pieces --------------------------------------------------------------------- */

/* A time not before the origin (only a zero timestamp can be; max keeps nesting). */
static uint64_t at(const struct writer *w, uint64_t ns)
{
	return ns > w->origin ? ns : w->origin;
}

static void put_ts(struct writer *w, const char *key, uint64_t ns)
{
	jw_kv_decimal(w->jw, key, (int64_t)((at(w, ns) - w->origin) * TS_PER_NS + TS_BIAS),
		      TS_PLACES);
}

static void put_dur(struct writer *w, uint64_t ns)
{
	jw_kv_decimal(w->jw, "dur", (int64_t)(ns * TS_PER_NS + TS_BIAS), TS_PLACES);
}

/* Opens an event; the caller adds its fields and closes it. */
static void event_begin(struct writer *w, const char *ph, const char *name, const char *cat,
			uint32_t pid, uint32_t tid)
{
	jw_newline(w->jw);
	jw_object_begin(w->jw);
	jw_kv_string(w->jw, "ph", ph);
	jw_kv_string(w->jw, "name", name);
	if (cat)
		jw_kv_string(w->jw, "cat", cat);
	jw_kv_uint(w->jw, "pid", pid);
	if (tid)
		jw_kv_uint(w->jw, "tid", tid);
}

static void metadata(struct writer *w, const char *what, uint32_t pid, uint32_t tid,
		     const char *name, int64_t sort_index)
{
	event_begin(w, "M", what, NULL, pid, tid);
	jw_key(w->jw, "args");
	jw_object_begin(w->jw);
	if (name) {
		jw_kv_string(w->jw, "name", name);
	} else {
		jw_kv_int(w->jw, "sort_index", sort_index);
	}
	jw_object_end(w->jw);
	jw_object_end(w->jw);
}

static const char *slice_comm(const struct writer *w, const struct client_slice *c)
{
	return c->kind == CS_EXEC ? w->m->execs[c->idx].comm : w->m->waits[c->idx].comm;
}

/*
 * The name a client thread goes by: the comm of its first call that has one
 * (an execute rebuilt from completions has none); of a process, its main
 * thread's, else its lowest-numbered thread's. cs[first, end) is one process.
 */
static const char *client_comm(const struct writer *w, size_t first, size_t end, int process)
{
	const char *best = NULL;
	size_t i;

	for (i = first; i < end; i++) {
		const char *comm = slice_comm(w, &w->cs[i]);

		if (!comm[0])
			continue;
		if (!process || w->cs[i].tid == w->cs[i].tgid)
			return comm;
		if (!best)
			best = comm;	/* cs is sorted by tid: the lowest */
	}
	return best ? best : "unknown";
}

static void write_metadata(struct writer *w)
{
	char name[64];
	size_t i, j, k;

	for (i = 0; i < w->n_devs; i++) {
		uint32_t pid = TRACE_DEV_PID_BASE + (uint32_t)i * TRACE_DEV_PID_STRIDE;

		snprintf(name, sizeof(name), "qaic accel%" PRIu32, w->devs[i]);
		metadata(w, "process_name", pid, 0, name, 0);
		metadata(w, "process_sort_index", pid, 0, NULL, (int64_t)i);
	}
	for (i = 0; i < w->n_dbcs; i++) {
		const struct dbc_tracks *d = &w->dbcs[i];
		uint32_t l;

		for (l = 0; l <= d->lanes; l++) {
			uint32_t tid = d->first_tid + l;

			if (l == d->lanes && !d->has_irq)
				break;
			if (l < d->lanes)
				snprintf(name, sizeof(name), "dbc%" PRIu32 " #%" PRIu32, d->dbc, l);
			else
				snprintf(name, sizeof(name), "dbc%" PRIu32 " irq", d->dbc);
			metadata(w, "thread_name", d->pid, tid, name, 0);
			metadata(w, "thread_sort_index", d->pid, tid, NULL, tid - d->pid);
		}
	}
	/* Clients: w->cs is sorted by (tgid, tid). */
	for (i = 0, k = 0; i < w->n_cs; i = j, k++) {
		uint32_t tgid = w->cs[i].tgid;
		size_t t;

		for (j = i; j < w->n_cs && w->cs[j].tgid == tgid; j++)
			;
		snprintf(name, sizeof(name), "%s (%" PRIu32 ")", client_comm(w, i, j, 1), tgid);
		metadata(w, "process_name", tgid, 0, name, 0);
		metadata(w, "process_sort_index", tgid, 0, NULL, (int64_t)(w->n_devs + k));
		for (t = i; t < j; ) {
			size_t e;

			for (e = t; e < j && w->cs[e].tid == w->cs[t].tid; e++)
				;
			metadata(w, "thread_name", tgid, w->cs[t].tid, client_comm(w, t, e, 0), 0);
			t = e;
		}
	}
}

static void write_drops(struct writer *w)
{
	char name[64];

	if (!w->m->counts.dropped)
		return;
	snprintf(name, sizeof(name), "ring buffer lost %" PRIu64 " events", w->m->counts.dropped);
	event_begin(w, "i", name, "qaic-prof", 0, 0);
	jw_kv_string(w->jw, "s", "g");
	put_ts(w, "ts", w->m->first_ts);
	jw_key(w->jw, "args");
	jw_object_begin(w->jw);
	jw_kv_uint(w->jw, "dropped_events", w->m->counts.dropped);
	jw_object_end(w->jw);
	jw_object_end(w->jw);
}

static void slice(struct writer *w, const char *name, const char *cat, uint32_t pid,
		  uint32_t tid, uint64_t start, uint64_t end)
{
	event_begin(w, "X", name, cat, pid, tid);
	put_ts(w, "ts", start);
	put_dur(w, at(w, end) - at(w, start));
}

static void request_args(struct writer *w, const struct trace_req *r)
{
	struct json_writer *jw = w->jw;

	jw_key(jw, "args");
	jw_object_begin(jw);
	jw_kv_uint(jw, "dev", r->dev);
	jw_kv_uint(jw, "dbc", r->dbc);
	jw_kv_uint(jw, "seq", r->seq);
	jw_kv_uint(jw, "req_id", r->seq & 0xffff);
	jw_kv_uint(jw, "handle", r->handle);
	jw_kv_bool(jw, "enqueued", r->flags & TRACE_REQ_ENQUEUED);
	jw_kv_bool(jw, "completed", r->flags & TRACE_REQ_COMPLETED);
	jw_kv_bool(jw, "waited", r->flags & TRACE_REQ_WAITED);
	if (r->flags & TRACE_REQ_OWNER) {
		jw_kv_uint(jw, "tgid", r->tgid);
		jw_kv_uint(jw, "tid", r->tid);
		jw_kv_uint(jw, "cgroup", r->cgroup);
		jw_kv_uint(jw, "bytes", r->bytes);
		jw_kv_string(jw, "dir", trace_dir_name(r->dir));
	}
	if (r->flags & TRACE_REQ_ENQUEUED) {
		jw_kv_string(jw, "comm", r->comm);
		jw_kv_uint(jw, "elements", r->elements);
		jw_kv_uint(jw, "queue_level", r->queue_level);
	}
	if (r->flags & TRACE_REQ_COMPLETED)
		jw_kv_int(jw, "status", r->status);
	jw_kv_uint(jw, "submit_ts", r->submit_ts);
	if (r->flags & TRACE_REQ_DOORBELL)
		jw_kv_uint(jw, "doorbell_ts", r->doorbell_ts);
	if (r->flags & TRACE_REQ_COMPLETED) {
		jw_kv_uint(jw, "seen_ts", r->seen_ts);
		jw_kv_uint(jw, "complete_ts", r->complete_ts);
	}
	if (r->flags & TRACE_REQ_WAITED) {
		jw_kv_uint(jw, "wait_ts", r->wait_ts);
		jw_kv_uint(jw, "waited_ns", r->waited_ns);
		jw_kv_int(jw, "wait_result", r->wait_result);
		jw_kv_uint(jw, "wait_tgid", r->wait_tgid);
		jw_kv_uint(jw, "wait_tid", r->wait_tid);
	}
	jw_kv_uint(jw, "waits", r->waits);
	jw_object_end(jw);
}

static void write_requests(struct writer *w)
{
	static const char *const stage_names[] = {
		[QP_STAGE_SUBMIT] = "submit", [QP_STAGE_DEVICE] = "queue+device",
		[QP_STAGE_COMPLETE] = "completion", [QP_STAGE_WAKEUP] = "wakeup",
	};
	const struct trace_model *m = w->m;
	size_t i;

	for (i = 0; i < m->n_reqs; i++) {
		const struct trace_req *r = &m->reqs[i];
		const struct dbc_tracks *d = find_dbc(w, r->dev, r->dbc);
		uint32_t tid = d->first_tid + w->lane[i];
		const char *name = "request";
		struct trace_shape s;
		unsigned int st;

		trace_req_shape(m, r, &s);
		if (!(r->flags & TRACE_REQ_COMPLETED))
			name = "request (incomplete)";
		else if (!(r->flags & TRACE_REQ_WAITED))
			name = "request (unwaited)";
		slice(w, name, "request", d->pid, tid, s.t[0], s.end);
		request_args(w, r);
		jw_object_end(w->jw);
		for (st = QP_STAGE_SUBMIT; st <= QP_STAGE_WAKEUP; st++) {
			if (!(s.stages & 1u << st))
				continue;
			slice(w, stage_names[st], "stage", d->pid, tid, s.t[st], s.t[st + 1]);
			jw_object_end(w->jw);
		}
	}
}

static void write_irqs(struct writer *w)
{
	size_t i;

	for (i = 0; i < w->m->n_irqs; i++) {
		const struct trace_irq *irq = &w->m->irqs[i];
		const struct dbc_tracks *d = find_dbc(w, irq->dev, irq->dbc);

		event_begin(w, "i", "irq", "irq", d->pid, d->first_tid + d->lanes);
		jw_kv_string(w->jw, "s", "t");
		put_ts(w, "ts", irq->ts);
		jw_key(w->jw, "args");
		jw_object_begin(w->jw);
		jw_kv_uint(w->jw, "dev", irq->dev);
		jw_kv_uint(w->jw, "dbc", irq->dbc);
		jw_kv_uint(w->jw, "rsp_head", irq->rsp_head);
		jw_kv_uint(w->jw, "rsp_tail", irq->rsp_tail);
		jw_kv_uint(w->jw, "ts", irq->ts);
		jw_object_end(w->jw);
		jw_object_end(w->jw);
	}
}

/* The process and thread are the event's pid and tid. */
static void client_args_common(struct json_writer *jw, uint32_t dev, uint32_t dbc,
			       const char *comm, uint64_t cgroup)
{
	jw_kv_uint(jw, "dev", dev);
	jw_kv_uint(jw, "dbc", dbc);
	jw_kv_string(jw, "comm", comm);
	jw_kv_uint(jw, "cgroup", cgroup);
}

static void write_clients(struct writer *w)
{
	struct json_writer *jw = w->jw;
	size_t i;

	for (i = 0; i < w->n_cs; i++) {
		const struct client_slice *c = &w->cs[i];

		if (c->kind == CS_EXEC) {
			const struct trace_exec *e = &w->m->execs[c->idx];

			slice(w, "execute", "execute", c->tgid, c->tid, c->start, c->end);
			jw_key(jw, "args");
			jw_object_begin(jw);
			client_args_common(jw, e->dev, e->dbc, e->comm, e->cgroup);
			jw_kv_uint(jw, "ts", e->ts);
			if (e->doorbell_ts)
				jw_kv_uint(jw, "doorbell_ts", e->doorbell_ts);
			jw_kv_uint(jw, "bos", e->bos);
			jw_kv_uint(jw, "enqueued", e->enqueued);
			jw_kv_bool(jw, "partial", e->partial);
			jw_kv_bool(jw, "rebuilt", e->rebuilt);
		} else {
			const struct trace_wait *wt = &w->m->waits[c->idx];

			slice(w, "wait", "wait", c->tgid, c->tid, c->start, c->end);
			jw_key(jw, "args");
			jw_object_begin(jw);
			client_args_common(jw, wt->dev, wt->dbc, wt->comm, wt->cgroup);
			jw_kv_uint(jw, "handle", wt->handle);
			jw_kv_uint(jw, "seq", wt->seq);
			jw_kv_int(jw, "result", wt->result);
			jw_kv_uint(jw, "ts", wt->ts);
			jw_kv_uint(jw, "waited_ns", wt->waited_ns);
			jw_kv_bool(jw, "matched", wt->matched);
		}
		if (c->flattened)
			jw_kv_bool(jw, "flattened", 1);
		jw_object_end(jw);
		jw_object_end(jw);
	}
}

/* ---- flows ------------------------------------------------------------------------------ */

static void flow_point(struct writer *w, const char *ph, const char *name, uint64_t id,
		       uint32_t pid, uint32_t tid, uint64_t ts)
{
	event_begin(w, ph, name, "flow", pid, tid);
	put_ts(w, "ts", ts);
	jw_kv_uint(w->jw, "id", id);
	if (ph[0] == 'f')
		jw_kv_string(w->jw, "bp", "e");
	jw_object_end(w->jw);
}

/* The execute of a request whose owner is known (execs are sorted by tgid, tid, ts, dev, dbc). */
static const struct client_slice *exec_of(const struct writer *w, const struct trace_req *r)
{
	const struct trace_model *m = w->m;
	size_t lo = 0, hi = m->n_execs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct trace_exec *e = &m->execs[mid];
		int before = e->tgid != r->tgid ? e->tgid < r->tgid :
			     e->tid != r->tid ? e->tid < r->tid :
			     e->ts != r->submit_ts ? e->ts < r->submit_ts :
			     e->dev != r->dev ? e->dev < r->dev : e->dbc < r->dbc;

		if (before)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < m->n_execs; lo++) {
		const struct trace_exec *e = &m->execs[lo];

		if (e->tgid != r->tgid || e->tid != r->tid || e->ts != r->submit_ts)
			return NULL;
		if (e->dev == r->dev && e->dbc == r->dbc)
			return &w->cs[w->exec_cs[lo]];
	}
	return NULL;
}

/* The WAIT_BO return that ended a waited request (waits sorted by tgid, tid, ts). */
static const struct client_slice *wait_of(const struct writer *w, const struct trace_req *r)
{
	const struct trace_model *m = w->m;
	size_t lo = 0, hi = m->n_waits;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct trace_wait *wt = &m->waits[mid];
		int before = wt->tgid != r->wait_tgid ? wt->tgid < r->wait_tgid :
			     wt->tid != r->wait_tid ? wt->tid < r->wait_tid : wt->ts < r->wait_ts;

		if (before)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < m->n_waits; lo++) {
		const struct trace_wait *wt = &m->waits[lo];

		if (wt->tgid != r->wait_tgid || wt->tid != r->wait_tid || wt->ts != r->wait_ts)
			return NULL;
		if (wt->dev == r->dev && wt->seq == r->seq && wt->matched &&
		    wt->result == r->wait_result)
			return &w->cs[w->wait_cs[lo]];
	}
	return NULL;
}

static void write_flows(struct writer *w)
{
	const struct trace_model *m = w->m;
	size_t i;

	for (i = 0; i < m->n_reqs; i++) {
		const struct trace_req *r = &m->reqs[i];
		const struct dbc_tracks *d;
		const struct client_slice *c;
		struct trace_shape s;
		uint64_t at;
		uint32_t tid;

		if (!(r->flags & TRACE_REQ_COMPLETED))
			continue;
		d = find_dbc(w, r->dev, r->dbc);
		tid = d->first_tid + w->lane[i];
		trace_req_shape(m, r, &s);
		at = middle(s.t[2], s.t[3]);	/* inside the completion slice */
		c = (r->flags & TRACE_REQ_OWNER) ? exec_of(w, r) : NULL;
		if (c) {
			w->next_flow++;
			flow_point(w, "s", "request", w->next_flow, c->tgid, c->tid,
				   middle(c->start, c->end));
			flow_point(w, "f", "request", w->next_flow, d->pid, tid, at);
		}
		c = (r->flags & TRACE_REQ_WAITED) ? wait_of(w, r) : NULL;
		if (c) {
			w->next_flow++;
			flow_point(w, "s", "wakeup", w->next_flow, d->pid, tid, at);
			flow_point(w, "f", "wakeup", w->next_flow, c->tgid, c->tid,
				   middle(c->start, c->end));
		}
	}
}

/* ---- counters ------------------------------------------------------------------------------ */

static void counter(struct writer *w, const char *name, uint32_t pid, uint64_t ts)
{
	event_begin(w, "C", name, NULL, pid, 0);
	put_ts(w, "ts", ts);
	jw_key(w->jw, "args");
	jw_object_begin(w->jw);
}

static int write_counters(struct writer *w)
{
	const struct trace_model *m = w->m;
	struct trace_sample *samples = calloc(2 * m->n_reqs + 1, sizeof(*samples));
	ssize_t n, k;
	size_t i, j;
	char name[48];

	if (!samples)
		return -ENOMEM;
	for (i = 0; i < m->n_reqs; i = j) {
		const struct trace_req *first = &m->reqs[i];

		for (j = i; j < m->n_reqs && m->reqs[j].dev == first->dev &&
		     m->reqs[j].dbc == first->dbc; j++)
			;
		n = trace_in_flight(m, i, j, samples);
		if (n < 0)
			goto nomem;
		snprintf(name, sizeof(name), "dbc%" PRIu32 " in flight", first->dbc);
		for (k = 0; k < n; k++) {
			counter(w, name, dev_pid(w, first->dev), samples[k].ts);
			jw_kv_int(w->jw, "requests", samples[k].value[0]);
			jw_object_end(w->jw);
			jw_object_end(w->jw);
		}
	}
	for (i = 0; i < w->n_devs; i++) {
		n = trace_bandwidth(m, w->devs[i], TRACE_BW_BIN_NS, samples);
		if (n < 0)
			goto nomem;
		for (k = 0; k < n; k++) {
			/* Bytes per 10 ms bin as MB/s: bytes / 10^4, exactly. */
			counter(w, "link MB/s", dev_pid(w, w->devs[i]), samples[k].ts);
			jw_kv_decimal(w->jw, "in", samples[k].value[QP_DIR_IN], BW_PLACES);
			jw_kv_decimal(w->jw, "out", samples[k].value[QP_DIR_OUT], BW_PLACES);
			jw_object_end(w->jw);
			jw_object_end(w->jw);
		}
	}
	free(samples);
	return 0;
nomem:
	free(samples);
	return -ENOMEM;
}

/* ---- the document ------------------------------------------------------------------------ */

static void write_other_data(struct writer *w, const char *source)
{
	const struct trace_model *m = w->m;
	const struct trace_counts *c = &m->counts;
	struct json_writer *jw = w->jw;

	jw_key(jw, "otherData");
	jw_object_begin(jw);
	jw_kv_string(jw, "format", TRACE_FORMAT);
	jw_kv_uint(jw, "version", TRACE_FORMAT_VERSION);
	if (source)
		jw_kv_string(jw, "source", source);
	jw_kv_uint(jw, "ts_origin_ns", w->origin);
	jw_kv_uint(jw, "first_ts_ns", m->first_ts);
	jw_kv_uint(jw, "last_ts_ns", m->last_ts);
	jw_kv_uint(jw, "bandwidth_bin_ns", TRACE_BW_BIN_NS);
	jw_kv_uint(jw, "events", c->events);
	jw_kv_uint(jw, "dropped_events", c->dropped);
	jw_kv_uint(jw, "malformed_events", c->malformed);
	jw_kv_uint(jw, "duplicate_events", c->duplicates);
	jw_kv_uint(jw, "requests", m->n_reqs);
	jw_kv_uint(jw, "orphan_completions", c->orphans);
	jw_kv_uint(jw, "incomplete_requests", c->incomplete);
	jw_kv_uint(jw, "unwaited_requests", c->unwaited);
	jw_kv_uint(jw, "executes", m->n_execs);
	jw_kv_uint(jw, "waits", m->n_waits);
	jw_kv_uint(jw, "unmatched_waits", c->unmatched_waits);
	jw_kv_uint(jw, "irqs", m->n_irqs);
	jw_kv_uint(jw, "clamped_requests", w->clamped);
	jw_kv_uint(jw, "flattened_slices", w->flattened);
	jw_object_end(jw);
}

static void count_clamped(struct writer *w)
{
	size_t i;

	for (i = 0; i < w->m->n_reqs; i++) {
		struct trace_shape s;

		trace_req_shape(w->m, &w->m->reqs[i], &s);
		w->clamped += s.clamped;
	}
}

int trace_write(FILE *out, const struct trace_model *m, const struct trace_write_opts *opts)
{
	struct writer w = { .m = m };
	int ret;

	if (!m->sealed)
		return -EINVAL;
	w.origin = m->first_ts - m->first_ts % 1000000000ull;
	ret = layout_devices(&w);
	if (!ret)
		ret = layout_clients(&w);
	if (ret)
		goto out;
	count_clamped(&w);
	w.jw = jw_open(out);
	if (!w.jw) {
		ret = -ENOMEM;
		goto out;
	}
	jw_object_begin(w.jw);
	jw_kv_string(w.jw, "displayTimeUnit", "ns");	/* first: Perfetto looks for it there */
	jw_newline(w.jw);
	write_other_data(&w, opts ? opts->source : NULL);
	jw_newline(w.jw);
	jw_key(w.jw, "traceEvents");
	jw_array_begin(w.jw);
	write_metadata(&w);
	write_drops(&w);
	write_requests(&w);
	write_irqs(&w);
	write_clients(&w);
	write_flows(&w);
	ret = write_counters(&w);
	jw_array_end(w.jw);
	jw_object_end(w.jw);
	if (jw_close(w.jw) && !ret)
		ret = -EIO;
	if (!ret && fflush(out))
		ret = -EIO;
out:
	free(w.devs);
	free(w.dbcs);
	free(w.lane);
	free(w.cs);
	free(w.exec_cs);
	free(w.wait_cs);
	return ret;
}

int trace_write_path(const char *path, const struct trace_model *m,
		     const struct trace_write_opts *opts, char *err, size_t errlen)
{
	char *tmp;
	FILE *out;
	int ret;

	if (!strcmp(path, "-")) {
		ret = trace_write(stdout, m, opts);
		if (ret)
			snprintf(err, errlen, "writing the trace to stdout: %s", strerror(-ret));
		return ret;
	}
	if (asprintf(&tmp, "%s.tmp", path) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	out = fopen(tmp, "w");
	if (!out) {
		ret = -errno;
		snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
		free(tmp);
		return ret;
	}
	ret = trace_write(out, m, opts);
	if (fclose(out) && !ret)
		ret = -EIO;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		snprintf(err, errlen, "writing %s: %s", path, strerror(-ret));
		unlink(tmp);
	}
	free(tmp);
	return ret;
}
