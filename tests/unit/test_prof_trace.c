// SPDX-License-Identifier: MIT
/*
 * qaic-prof record's trace: synthetic record-mode event streams (two
 * devices, several DBCs and threads, requests overlapping on a DBC, batches,
 * orphans, unwaited and never-completed requests, a lost EXECUTE, a wait
 * naming another DBC, a timeout before the ending wait, an unmatched wait)
 * go through the model and the writer; the file is checked with jq (when
 * installed) and with our reader: valid JSON, every slice ends after it
 * begins, slices nest on every track, requests and bytes per DBC as
 * generated, flows in pairs, counters present and adding up. Arrival order
 * does not change a byte; reading back and writing again gives the same
 * bytes; malformed files fail with a message.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "json_writer.h"
#include "tap.h"
#include "trace_lanes.h"
#include "trace_model.h"
#include "trace_reader.h"
#include "trace_writer.h"

#define US		1000ull
#define T0		5000000000000ull	/* 5000 s of uptime */
#define MAX_DEVS	2
#define MAX_DBCS	16
#define IRQ_TGID	77			/* what an IRQ thread's events would carry */

/* ---- a generated workload and what it should give --------------------------------------- */

struct expect {
	uint32_t dev, dbc, tgid, tid, handle, dir, flags;
	uint64_t seq, bytes, submit, doorbell, seen, complete, wait;
	int32_t status;
};

struct gen {
	struct qp_event *ev;
	size_t n, cap;
	struct expect *req;
	size_t n_req, cap_req;
	uint64_t next_seq[MAX_DEVS][MAX_DBCS];
	unsigned int executes;		/* EXECUTE events + batches rebuilt */
	unsigned int unmatched_waits;
	uint64_t done_bytes[MAX_DEVS][QP_DIR_N];	/* owner known, completed, status 0 */
};

static const uint32_t devs[MAX_DEVS] = { 0, 128 };

static int dev_idx(uint32_t dev)
{
	return dev == devs[0] ? 0 : 1;
}

static void push(struct gen *g, const struct qp_event *e)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 256;
		g->ev = realloc(g->ev, g->cap * sizeof(*g->ev));
	}
	g->ev[g->n++] = *e;
}

static struct expect *expect_new(struct gen *g)
{
	if (g->n_req == g->cap_req) {
		g->cap_req = g->cap_req ? 2 * g->cap_req : 64;
		g->req = realloc(g->req, g->cap_req * sizeof(*g->req));
	}
	memset(&g->req[g->n_req], 0, sizeof(g->req[0]));
	return &g->req[g->n_req++];
}

static struct qp_event event(uint32_t type, uint32_t dev, uint32_t dbc, uint32_t tgid,
			     uint32_t tid, const char *comm)
{
	struct qp_event e;

	memset(&e, 0, sizeof(e));
	e.type = type;
	e.dev = dev;
	e.dbc = dbc;
	e.tgid = tgid;
	e.tid = tid;
	e.cgroup = tgid * 10;
	strncpy(e.comm, comm, sizeof(e.comm) - 1);
	return e;
}

/* One execute of `bos` BOs by one thread, and what follows from it. */
struct batch {
	uint32_t dev, dbc, tgid, tid;
	const char *comm;
	uint64_t t0;			/* ioctl entry */
	unsigned int bos;
	uint64_t bytes;			/* per BO, BO k moves bytes + k */
	uint64_t device_ns;		/* doorbell -> first BO seen; BO k k*step_ns later */
	uint64_t step_ns;
	int no_complete;		/* never completes */
	int no_wait;			/* completes, nobody waits */
	int lost_enqueue;		/* ENQUEUE and EXECUTE lost: orphans */
	int lost_execute;		/* EXECUTE lost: the batch is rebuilt */
	int32_t status;			/* of BO 0 */
	int wait_other_dbc;		/* WAIT_BO names dbc + 1 */
	int timeout_first;		/* a -ETIMEDOUT wait before the ending one */
};

#define SUBMIT_NS	(5 * US)
#define COMPLETE_NS	(2 * US)
#define WAKEUP_NS	(3 * US)

/* Returns when the thread is done with the batch (its last wait returned). */
static uint64_t gen_batch(struct gen *g, const struct batch *b)
{
	int d = dev_idx(b->dev);
	uint64_t doorbell = b->t0 + SUBMIT_NS, wait_start = doorbell + US;
	struct qp_event e;
	unsigned int k;

	if (!b->lost_enqueue && !b->lost_execute) {
		e = event(QP_EV_EXECUTE, b->dev, b->dbc, b->tgid, b->tid, b->comm);
		e.ts = b->t0;
		e.count = b->bos;
		push(g, &e);
	}
	g->executes++;		/* lost ones are rebuilt from the enqueues or completions */
	for (k = 0; k < b->bos; k++) {
		struct expect *x = expect_new(g);

		x->dev = b->dev;
		x->dbc = b->dbc;
		x->tgid = b->tgid;
		x->tid = b->tid;
		x->seq = g->next_seq[d][b->dbc]++;
		x->handle = 100 + k;
		x->bytes = b->bytes + k;
		x->dir = k % 2 ? QP_DIR_OUT : QP_DIR_IN;
		x->submit = b->t0;
		x->doorbell = doorbell;
		x->seen = doorbell + b->device_ns + k * b->step_ns;
		x->complete = x->seen + COMPLETE_NS;
		x->status = k == 0 ? b->status : 0;
		x->flags = TRACE_REQ_OWNER | TRACE_REQ_DOORBELL;
		if (!b->lost_enqueue) {
			x->flags |= TRACE_REQ_ENQUEUED;
			e = event(QP_EV_ENQUEUE, b->dev, b->dbc, b->tgid, b->tid, b->comm);
			e.handle = x->handle;
			e.seq = x->seq;
			e.ts = e.submit_ts = b->t0;
			e.bytes = x->bytes;
			e.dir = x->dir;
			e.count = 1;
			e.level = k;
			push(g, &e);
		}
	}
	if (!b->lost_enqueue) {
		e = event(QP_EV_DOORBELL, b->dev, b->dbc, b->tgid, b->tid, b->comm);
		e.ts = doorbell;
		e.count = b->bos;
		push(g, &e);
	}
	if (b->no_complete)
		return doorbell;
	for (k = 0; k < b->bos; k++) {
		struct expect *x = &g->req[g->n_req - b->bos + k];

		x->flags |= TRACE_REQ_COMPLETED;
		e = event(QP_EV_IRQ, b->dev, b->dbc, b->tgid, 0, "");
		e.ts = x->seen;
		e.level = k;
		e.aux = k + 1;
		push(g, &e);
		/* The IRQ thread's task, but the submitter's ids from the in-flight map. */
		e = event(QP_EV_COMPLETE, b->dev, b->dbc, b->tgid, b->tid, "irq/45-qaic");
		e.handle = x->handle;
		e.seq = x->seq;
		e.ts = x->complete;
		e.submit_ts = x->submit;
		e.doorbell_ts = x->doorbell;
		e.seen_ts = x->seen;
		e.bytes = x->bytes;
		e.dir = x->dir;
		e.status = x->status;
		push(g, &e);
		if (!x->status)
			g->done_bytes[d][x->dir] += x->bytes;
		if (b->no_wait)
			continue;
		if (b->timeout_first && k == 0) {
			e = event(QP_EV_WAIT, b->dev, b->dbc, b->tgid, b->tid, b->comm);
			e.handle = x->handle;
			e.seq = x->seq;
			e.ts = wait_start + 10 * US;
			e.waited_ns = 10 * US;
			e.status = -ETIMEDOUT;
			push(g, &e);
			wait_start = e.ts + US;
		}
		x->flags |= TRACE_REQ_WAITED;
		x->wait = x->complete + WAKEUP_NS > wait_start ? x->complete + WAKEUP_NS : wait_start;
		e = event(QP_EV_WAIT, b->dev, b->wait_other_dbc ? b->dbc + 1 : b->dbc, b->tgid,
			  b->tid, b->comm);
		e.handle = x->handle;
		e.seq = x->seq;
		e.ts = x->wait;
		e.waited_ns = x->wait - wait_start;
		push(g, &e);
		wait_start = x->wait + US;
	}
	return wait_start;
}

static void shuffle(struct qp_event *ev, size_t n, uint64_t seed)
{
	size_t i;

	for (i = n; i > 1; i--) {
		size_t j;
		struct qp_event t;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		j = (size_t)(seed >> 33) % i;
		t = ev[i - 1];
		ev[i - 1] = ev[j];
		ev[j] = t;
	}
}

/*
 * The workload: dev 0 DBC 0 shared by two threads of one process, whose
 * requests overlap (2-BO batches and a slower 1-BO stream); dev 0 DBC 3,
 * 3-BO batches, a device error, a lost EXECUTE, a last batch that never
 * completes; dev 128 DBC 0 with a timeout before the ending wait, a wait
 * naming DBC 1, an unwaited request, two orphans (ENQUEUE lost) one of
 * them waited by another thread; a WAIT_BO for an execution not traced.
 */
static void gen_workload(struct gen *g)
{
	struct batch b;
	struct qp_event e;
	uint64_t t;
	int i;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < MAX_DBCS; i++) {
		g->next_seq[0][i] = 1000 + 100 * i;
		g->next_seq[1][i] = 70000;
	}
	for (i = 0; i < 4; i++) {
		b = (struct batch){ .dev = 0, .dbc = 0, .tgid = 100, .tid = 100, .comm = "qaic-run",
				    .t0 = T0 + i * 100 * US, .bos = 2, .bytes = 65536,
				    .device_ns = 30 * US, .step_ns = 5 * US };
		gen_batch(g, &b);
		b = (struct batch){ .dev = 0, .dbc = 0, .tgid = 100, .tid = 101, .comm = "qaic-run:w1",
				    .t0 = T0 + 37 * US + i * 100 * US, .bos = 1, .bytes = 4096,
				    .device_ns = 60 * US };
		gen_batch(g, &b);
	}
	for (i = 0, t = T0 + 10 * US; i < 3; i++) {
		b = (struct batch){ .dev = 0, .dbc = 3, .tgid = 200, .tid = 200,
				    .comm = "bench\x01\x7f\xc3\xa9", .t0 = t, .bos = 3,
				    .bytes = 1 << 20, .device_ns = 50 * US, .step_ns = 20 * US,
				    .status = i == 0 ? 5 : 0, .lost_execute = i == 1,
				    .no_complete = i == 2 };
		t = gen_batch(g, &b) + 7 * US;
	}
	/* Orphans first: their seqs come before the traced ones. */
	g->next_seq[1][0] = 69998;
	b = (struct batch){ .dev = 128, .dbc = 0, .tgid = 300, .tid = 301, .comm = "infer",
			    .t0 = T0 - 50 * US, .bos = 2, .bytes = 8192, .device_ns = 50 * US,
			    .step_ns = 3 * US, .lost_enqueue = 1, .no_wait = 1 };
	gen_batch(g, &b);
	/* ...one of which a third thread waits for. */
	g->req[g->n_req - 2].flags |= TRACE_REQ_WAITED;
	g->req[g->n_req - 2].wait = g->req[g->n_req - 2].complete + WAKEUP_NS;
	e = event(QP_EV_WAIT, 128, 0, 300, 302, "infer:bg");
	e.handle = g->req[g->n_req - 2].handle;
	e.seq = g->req[g->n_req - 2].seq;
	e.ts = g->req[g->n_req - 2].wait;
	e.waited_ns = 20 * US;
	push(g, &e);
	for (i = 0, t = T0 + 20 * US; i < 3; i++) {
		b = (struct batch){ .dev = 128, .dbc = 0, .tgid = 300, .tid = 301, .comm = "infer",
				    .t0 = t, .bos = 1, .bytes = 12345, .device_ns = 40 * US,
				    .timeout_first = i == 0, .wait_other_dbc = i == 1,
				    .no_wait = i == 2 };
		t = gen_batch(g, &b) + 50 * US;
	}
	/*
	 * Another client's BO on DBC 1 with the same seq and handle as the one
	 * whose wait names DBC 1: not the one that wait is for.
	 */
	g->next_seq[1][1] = g->req[g->n_req - 2].seq;
	b = (struct batch){ .dev = 128, .dbc = 1, .tgid = 400, .tid = 400, .comm = "other",
			    .t0 = T0 + 400 * US, .bos = 1, .bytes = 1000, .device_ns = 10 * US,
			    .no_wait = 1 };
	gen_batch(g, &b);
	CU_ASSERT(g->req[g->n_req - 1].handle == g->req[g->n_req - 3].handle);
	e = event(QP_EV_WAIT, 0, 0, 100, 102, "qaic-run:w2");
	e.handle = 7;
	e.seq = 99999;
	e.ts = T0 + 500 * US;
	e.waited_ns = 10 * US;
	push(g, &e);
	g->unmatched_waits++;
}

static void gen_free(struct gen *g)
{
	free(g->ev);
	free(g->req);
}

static struct trace_model *model_of(const struct qp_event *ev, size_t n)
{
	struct trace_model *m = trace_model_new();
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	for (i = 0; i < n; i++)	/* as the ring buffer hands them over */
		CHECK_OK(trace_model_rb_sample(m, (void *)&ev[i], sizeof(ev[i])));
	CHECK_OK(trace_model_finish(m));
	return m;
}

/* The whole file in memory. */
static char *written(const struct trace_model *m, size_t *len)
{
	struct trace_write_opts opts = { .source = "test_prof_trace" };
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CHECK_OK(trace_write(f, m, &opts));
	fclose(f);
	*len = size;
	return buf;
}

static struct trace_model *read_back(const char *buf, size_t len, struct trace_read_opts *opts)
{
	struct trace_model *m = NULL;
	char err[512] = "";
	FILE *f = fmemopen((void *)buf, len, "r");
	int ret;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	ret = trace_read_stream(f, "trace", &m, opts, err, sizeof(err));
	fclose(f);
	if (ret)
		printf("# read back: %s\n", err);
	CHECK_OK(ret);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	return m;
}

static char *to_file(const char *buf, size_t len)
{
	char *path = strdup("/tmp/qaic-prof-trace-XXXXXX");
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, buf, len) == (ssize_t)len);
	close(fd);
	return path;
}

/* ---- checks shared by the jq and reader paths ---------------------------------------------- */

struct span {
	uint64_t pid, tid, start, end;
};

static int cmp_span(const void *pa, const void *pb)
{
	const struct span *a = pa, *b = pb;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	if (a->tid != b->tid)
		return a->tid < b->tid ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end > b->end ? -1 : 1;
	return 0;
}

/* Slices that partially overlap one they begin in, on the same track. */
static unsigned int nesting_violations(struct span *s, size_t n)
{
	uint64_t *ends = calloc(n + 1, sizeof(*ends));
	unsigned int bad = 0;
	size_t i, depth = 0;

	qsort(s, n, sizeof(*s), cmp_span);
	for (i = 0; i < n; i++) {
		if (i && (s[i].pid != s[i - 1].pid || s[i].tid != s[i - 1].tid))
			depth = 0;
		while (depth && ends[depth - 1] <= s[i].start)
			depth--;
		if (depth && s[i].end > ends[depth - 1]) {
			if (bad++ < 3)
				printf("# overlap: pid %" PRIu64 " tid %" PRIu64 " [%" PRIu64 ", %" PRIu64
				       "] ends after its parent (%" PRIu64 ")\n", s[i].pid, s[i].tid,
				       s[i].start, s[i].end, ends[depth - 1]);
		}
		ends[depth++] = s[i].end;
	}
	free(ends);
	return bad;
}

/* Requests and bytes per (dev, dbc) as generated. */
static void expected_per_dbc(const struct gen *g, uint64_t reqs[MAX_DEVS][MAX_DBCS],
			     uint64_t bytes[MAX_DEVS][MAX_DBCS])
{
	size_t i;

	memset(reqs, 0, sizeof(uint64_t) * MAX_DEVS * MAX_DBCS);
	memset(bytes, 0, sizeof(uint64_t) * MAX_DEVS * MAX_DBCS);
	for (i = 0; i < g->n_req; i++) {
		const struct expect *x = &g->req[i];

		if (!(x->flags & (TRACE_REQ_ENQUEUED | TRACE_REQ_COMPLETED)))
			continue;	/* never seen at all */
		reqs[dev_idx(x->dev)][x->dbc]++;
		bytes[dev_idx(x->dev)][x->dbc] += x->bytes;
	}
}

/* Completed requests (flows from their execute) and waited ones (flows to the wait). */
static void expected_flows(const struct gen *g, unsigned int *submit, unsigned int *wakeup)
{
	size_t i;

	*submit = *wakeup = 0;
	for (i = 0; i < g->n_req; i++) {
		uint32_t f = g->req[i].flags;

		*submit += !!(f & TRACE_REQ_COMPLETED);
		*wakeup += (f & TRACE_REQ_COMPLETED) && (f & TRACE_REQ_WAITED);
	}
}

/* ---- tests ----------------------------------------------------------------------------------- */

static void test_json_writer_fixed_point(void)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	struct json_writer *jw = jw_open(f);

	jw_object_begin(jw);
	jw_kv_decimal(jw, "ts", 5000000123456789LL, 3);
	jw_kv_decimal(jw, "neg", -5, 3);
	jw_kv_decimal(jw, "whole", 42, 0);
	jw_kv_bool(jw, "b", 1);
	jw_key(jw, "a");
	jw_array_begin(jw);
	jw_newline(jw);
	jw_int(jw, 1);
	jw_newline(jw);
	jw_int(jw, 2);
	jw_array_end(jw);
	jw_object_end(jw);
	CHECK_OK(jw_close(jw));
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf, "{\"ts\":5000000123456.789,\"neg\":-0.005,\"whole\":42,"
			       "\"b\":true,\"a\":[\n1,\n2]}\n");
	free(buf);
}

/* Random intervals: lanes never hold two at once, and there are as many as the peak. */
static void test_lanes_fewest_possible(void)
{
	enum { N = 2000 };
	uint64_t start[N], end[N], seed = 1, t = 0, peak = 0;
	uint32_t lane[N];
	long lanes;
	size_t i, j;

	for (i = 0; i < N; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		t += (seed >> 40) % 50;			/* sorted starts, some equal */
		start[i] = t;
		end[i] = t + (seed >> 20) % 400;	/* some of zero length */
	}
	lanes = trace_assign_lanes(start, end, N, lane);
	for (i = 0; i < N; i++) {
		uint64_t open = 0;

		for (j = 0; j < N; j++) {
			if (j != i && lane[j] == lane[i] && start[j] < end[i] && start[i] < end[j])
				CU_FAIL("two intervals share a lane");
			open += start[j] <= start[i] && (end[j] > start[i] || j == i);
		}
		if (open > peak)
			peak = open;
		CU_ASSERT(lane[i] < (uint64_t)lanes);
	}
	CHECK_EQ(lanes, peak);
	CU_ASSERT(peak > 3);
	CHECK_EQ(trace_assign_lanes(start, end, 0, lane), 0);
}

static const struct expect *find_expect(const struct gen *g, const struct trace_req *r)
{
	size_t i;

	for (i = 0; i < g->n_req; i++)
		if (g->req[i].dev == r->dev && g->req[i].dbc == r->dbc && g->req[i].seq == r->seq)
			return &g->req[i];
	return NULL;
}

static void check_model_against(const struct gen *g, const struct trace_model *m)
{
	unsigned int orphans = 0, incomplete = 0, unwaited = 0, n = 0;
	size_t i;

	for (i = 0; i < g->n_req; i++) {
		uint32_t f = g->req[i].flags;

		n++;
		orphans += (f & TRACE_REQ_COMPLETED) && !(f & TRACE_REQ_ENQUEUED);
		incomplete += (f & TRACE_REQ_ENQUEUED) && !(f & TRACE_REQ_COMPLETED);
		unwaited += (f & TRACE_REQ_COMPLETED) && !(f & TRACE_REQ_WAITED);
	}
	CHECK_EQ(m->n_reqs, n);
	CHECK_EQ(m->counts.orphans, orphans);
	CHECK_EQ(m->counts.incomplete, incomplete);
	CHECK_EQ(m->counts.unwaited, unwaited);
	CHECK_EQ(m->counts.unmatched_waits, g->unmatched_waits);
	CHECK_EQ(m->n_execs, g->executes);
	CU_ASSERT(orphans > 0 && incomplete > 0 && unwaited > 0);	/* the workload has each */

	for (i = 0; i < m->n_reqs; i++) {
		const struct trace_req *r = &m->reqs[i];
		const struct expect *x = find_expect(g, r);
		uint64_t ns;

		CU_ASSERT_PTR_NOT_NULL_FATAL(x);
		CHECK_EQ(r->flags, x->flags);
		CHECK_EQ(r->tgid, x->tgid);
		CHECK_EQ(r->tid, x->tid);
		CHECK_EQ(r->handle, x->handle);
		CHECK_EQ(r->bytes, x->bytes);
		CHECK_EQ(r->dir, x->dir);
		CHECK_EQ(r->submit_ts, x->submit);
		CHECK_EQ(r->doorbell_ts, x->doorbell);	/* from DOORBELL when never completed */
		if (x->flags & TRACE_REQ_COMPLETED) {
			CHECK_EQ(r->seen_ts, x->seen);
			CHECK_EQ(r->complete_ts, x->complete);
			CHECK_EQ(r->status, x->status);
			CHECK_EQ(trace_req_stage_ns(r, QP_STAGE_COMPLETE, &ns), 1);
			CHECK_EQ(ns, COMPLETE_NS);
		}
		if (x->flags & TRACE_REQ_WAITED) {
			CHECK_EQ(r->wait_ts, x->wait);
			CHECK_EQ(trace_req_stage_ns(r, QP_STAGE_E2E, &ns), 1);
			CHECK_EQ(ns, x->wait - x->submit);
		}
		CHECK_EQ(trace_req_stage_ns(r, QP_STAGE_SUBMIT, &ns), 1);
		CHECK_EQ(ns, SUBMIT_NS);
		if (r->flags & TRACE_REQ_ENQUEUED)
			CU_ASSERT(r->comm[0] != '\0');
		if (r->dev == 0 && r->dbc == 3)		/* control bytes and UTF-8 replaced */
			CU_ASSERT_STRING_EQUAL(r->comm, "bench????");
	}
}

static void test_model_joins_any_arrival_order(void)
{
	struct trace_model *in_order, *shuffled;
	struct gen g;

	gen_workload(&g);
	in_order = model_of(g.ev, g.n);
	check_model_against(&g, in_order);
	shuffle(g.ev, g.n, 42);
	shuffled = model_of(g.ev, g.n);
	check_model_against(&g, shuffled);

	CHECK_EQ(shuffled->n_reqs, in_order->n_reqs);
	CHECK_EQ(shuffled->n_execs, in_order->n_execs);
	CHECK_EQ(shuffled->n_waits, in_order->n_waits);
	CHECK_EQ(shuffled->n_irqs, in_order->n_irqs);
	CHECK_MEM(shuffled->reqs, in_order->reqs, in_order->n_reqs * sizeof(*in_order->reqs));
	CHECK_MEM(shuffled->execs, in_order->execs, in_order->n_execs * sizeof(*in_order->execs));
	CHECK_MEM(shuffled->waits, in_order->waits, in_order->n_waits * sizeof(*in_order->waits));
	CHECK_MEM(&shuffled->counts, &in_order->counts, sizeof(in_order->counts));
	trace_model_free(in_order);
	trace_model_free(shuffled);
	gen_free(&g);
}

static void test_same_events_same_bytes(void)
{
	struct trace_model *a, *b;
	char *fa, *fa2, *fb;
	size_t la, la2, lb;
	struct gen g;

	gen_workload(&g);
	a = model_of(g.ev, g.n);
	shuffle(g.ev, g.n, 7);
	b = model_of(g.ev, g.n);
	fa = written(a, &la);
	fa2 = written(a, &la2);
	fb = written(b, &lb);
	CHECK_EQ(la2, la);
	CHECK_EQ(lb, la);
	CU_ASSERT(la == la2 && !memcmp(fa, fa2, la));
	CU_ASSERT(la == lb && !memcmp(fa, fb, la));
	free(fa);
	free(fa2);
	free(fb);
	trace_model_free(a);
	trace_model_free(b);
	gen_free(&g);
}

/* ---- jq's view ------------------------------------------------------------------------------- */

static int have_jq(void)
{
	return system("jq --version >/dev/null 2>&1") == 0;
}

/* Runs jq -r PROGRAM FILE; the output lines, NUL-separated in one buffer. */
static char *jq(const char *program, const char *path, size_t *len)
{
	char cmd[4096], *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size), *p;
	int c, status;

	snprintf(cmd, sizeof(cmd), "jq -r '%s' '%s'", program, path);
	p = popen(cmd, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	while ((c = fgetc(p)) != EOF)
		fputc(c, out);
	status = pclose(p);
	fclose(out);
	if (status != 0)
		printf("# jq failed (%d): %s\n", status, program);
	CHECK_EQ(status, 0);
	*len = size;
	return buf;
}

static void test_trace_checked_by_jq(void)
{
	uint64_t reqs[MAX_DEVS][MAX_DBCS], bytes[MAX_DEVS][MAX_DBCS];
	unsigned int n_slices = 0, submit_flows, wakeup_flows, groups = 0;
	struct span *spans = NULL;
	char *file, *path, *out, *line, *save = NULL;
	struct trace_model *m;
	size_t len, cap = 0;
	struct gen g;

	if (!have_jq()) {
		printf("# jq not installed: jq checks skipped\n");
		return;
	}
	gen_workload(&g);
	m = model_of(g.ev, g.n);
	file = written(m, &len);
	path = to_file(file, len);

	out = jq(".otherData.format, .otherData.dropped_events, .displayTimeUnit", path, &len);
	CU_ASSERT_STRING_EQUAL(out, TRACE_FORMAT "\n0\nns\n");
	free(out);

	/* Every X slice: pid, tid, start and end in ns (a quarter ns above: floor). */
	out = jq(".traceEvents[] | select(.ph == \"X\") | "
		 "\"\\(.pid) \\(.tid) \\(.ts * 1000 | floor) \\(.dur * 1000 | floor) \\(.dur >= 0)\"",
		 path, &len);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		uint64_t pid, tid, ts, dur;
		char ok[8];

		CU_ASSERT_FATAL(sscanf(line, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %7s",
				       &pid, &tid, &ts, &dur, ok) == 5);
		CU_ASSERT_STRING_EQUAL(ok, "true");
		if (n_slices == cap) {
			cap = cap ? 2 * cap : 256;
			spans = realloc(spans, cap * sizeof(*spans));
		}
		spans[n_slices++] = (struct span){ pid, tid, ts, ts + dur };
	}
	CU_ASSERT(n_slices > m->n_reqs);
	CHECK_EQ(nesting_violations(spans, n_slices), 0);
	free(out);

	/* Requests and bytes per DBC. */
	expected_per_dbc(&g, reqs, bytes);
	out = jq("[.traceEvents[] | select(.cat == \"request\")] | "
		 "group_by([.args.dev, .args.dbc])[] | "
		 "\"\\(.[0].args.dev) \\(.[0].args.dbc) \\(length) \\(map(.args.bytes) | add)\"",
		 path, &len);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		uint64_t dev, dbc, n, sum;

		CU_ASSERT_FATAL(sscanf(line, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64,
				       &dev, &dbc, &n, &sum) == 4);
		CHECK_EQ(n, reqs[dev_idx((uint32_t)dev)][dbc]);
		CHECK_EQ(sum, bytes[dev_idx((uint32_t)dev)][dbc]);
		groups++;
	}
	{
		unsigned int want = 0, d, dbc;

		for (d = 0; d < MAX_DEVS; d++)
			for (dbc = 0; dbc < MAX_DBCS; dbc++)
				want += reqs[d][dbc] > 0;
		CHECK_EQ(groups, want);
		CU_ASSERT(want >= 4);
	}
	free(out);

	/* Flows: every id once as "s" and once as "f" (bound to the enclosing slice), one name. */
	out = jq("[.traceEvents[] | select(.ph == \"s\" or .ph == \"f\")] | group_by(.id) | "
		 "map(select(length != 2 or (map(.ph) | sort) != [\"f\", \"s\"] or "
		 "(map(.name) | unique | length) != 1 or (map(select(.ph == \"f\")) | .[0].bp) != \"e\")) "
		 "| length", path, &len);
	CU_ASSERT_STRING_EQUAL(out, "0\n");
	free(out);
	expected_flows(&g, &submit_flows, &wakeup_flows);
	out = jq("[.traceEvents[] | select(.ph == \"s\") | .name] | "
		 "\"\\(map(select(. == \"request\")) | length) \\(map(select(. == \"wakeup\")) | length)\"",
		 path, &len);
	{
		unsigned int s = 0, w = 0;

		CU_ASSERT(sscanf(out, "%u %u", &s, &w) == 2);
		CHECK_EQ(s, submit_flows);
		CHECK_EQ(w, wakeup_flows);
	}
	free(out);

	/* Counters: in flight for each DBC with requests, link MB/s for each device. */
	out = jq("[.traceEvents[] | select(.ph == \"C\") | \"\\(.pid) \\(.name)\"] | unique | .[]",
		 path, &len);
	CU_ASSERT_STRING_EQUAL(out, "1000000000 dbc0 in flight\n1000000000 dbc3 in flight\n"
			       "1000000000 link MB/s\n1001000000 dbc0 in flight\n"
			       "1001000000 dbc1 in flight\n1001000000 link MB/s\n");
	free(out);

	/* Process names. */
	out = jq("[.traceEvents[] | select(.ph == \"M\" and .name == \"process_name\") | .args.name]"
		 " | join(\",\")", path, &len);
	CU_ASSERT_STRING_EQUAL(out, "qaic accel0,qaic accel128,qaic-run (100),bench???? (200),"
			       "infer (300),other (400)\n");
	free(out);

	unlink(path);
	free(path);
	free(spans);
	free(file);
	trace_model_free(m);
	gen_free(&g);
}

/* ---- our reader's view --------------------------------------------------------------------- */

struct counter_pt {
	uint32_t pid;
	char name[32];
	uint64_t ts;
	int64_t v[2];
};

struct seen {
	struct span *x;
	size_t n_x, cap_x;
	uint64_t *flow_s, *flow_f;
	size_t n_s, n_f, cap_s, cap_f;
	unsigned int f_unbound;
	struct counter_pt *c;
	size_t n_c, cap_c;
	/* request slices: dev, dbc, lane tid, interval */
	struct lane_use {
		uint32_t dev, dbc, tid;
		uint64_t start, end;
	} *lanes;
	size_t n_lanes, cap_lanes;
	char globals[256];
};

#define GROW(arr, n, cap) do {							\
	if ((n) == (cap)) {							\
		(cap) = (cap) ? 2 * (cap) : 256;				\
		(arr) = realloc((arr), (cap) * sizeof(*(arr)));			\
	}									\
} while (0)

static int on_event(void *ctx, const struct trace_event_view *ev)
{
	struct seen *s = ctx;
	uint64_t x;

	switch (ev->ph) {
	case 'X':
		GROW(s->x, s->n_x, s->cap_x);
		s->x[s->n_x++] = (struct span){ ev->pid, ev->tid, ev->ts_ns, ev->ts_ns + ev->dur_ns };
		if (!strcmp(ev->cat, "request")) {
			GROW(s->lanes, s->n_lanes, s->cap_lanes);
			tj_uint(tj_get(ev->args, "dev"), &x);
			s->lanes[s->n_lanes].dev = (uint32_t)x;
			tj_uint(tj_get(ev->args, "dbc"), &x);
			s->lanes[s->n_lanes].dbc = (uint32_t)x;
			s->lanes[s->n_lanes].tid = ev->tid;
			s->lanes[s->n_lanes].start = ev->ts_ns;
			s->lanes[s->n_lanes++].end = ev->ts_ns + ev->dur_ns;
		}
		break;
	case 's':
		GROW(s->flow_s, s->n_s, s->cap_s);
		s->flow_s[s->n_s++] = ev->id;
		break;
	case 'f':
		GROW(s->flow_f, s->n_f, s->cap_f);
		s->flow_f[s->n_f++] = ev->id;
		s->f_unbound += !ev->binds_enclosing;
		break;
	case 'C': {
		struct counter_pt *c;

		GROW(s->c, s->n_c, s->cap_c);
		c = &s->c[s->n_c++];
		memset(c, 0, sizeof(*c));
		c->pid = ev->pid;
		snprintf(c->name, sizeof(c->name), "%s", ev->name);
		c->ts = ev->ts_ns;
		if (tj_get(ev->args, "requests")) {
			tj_int(tj_get(ev->args, "requests"), &c->v[0]);
		} else {
			tj_fixed(tj_get(ev->args, "in"), 4, &c->v[0]);
			tj_fixed(tj_get(ev->args, "out"), 4, &c->v[1]);
		}
		break;
	}
	case 'i':
		if (!strcmp(ev->cat, "qaic-prof"))
			snprintf(s->globals, sizeof(s->globals), "%s", ev->name);
		break;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void seen_free(struct seen *s)
{
	free(s->x);
	free(s->flow_s);
	free(s->flow_f);
	free(s->c);
	free(s->lanes);
}

/* Peak number of intervals [start, end) of one DBC open at once, and lanes used. */
static void peak_and_lanes(const struct seen *s, uint32_t dev, uint32_t dbc, unsigned int *peak,
			   unsigned int *lanes)
{
	uint64_t tids[64];
	size_t i, j, n_tids = 0;

	*peak = 0;
	for (i = 0; i < s->n_lanes; i++) {
		const struct lane_use *a = &s->lanes[i];
		unsigned int open = 0;

		if (a->dev != dev || a->dbc != dbc)
			continue;
		for (j = 0; j < s->n_lanes; j++) {
			const struct lane_use *b = &s->lanes[j];

			if (b->dev == dev && b->dbc == dbc && b->start <= a->start &&
			    (b->end > a->start || b == a))
				open++;
		}
		if (open > *peak)
			*peak = open;
		for (j = 0; j < n_tids && tids[j] != a->tid; j++)
			;
		if (j == n_tids && n_tids < 64)
			tids[n_tids++] = a->tid;
	}
	*lanes = (unsigned int)n_tids;
}

static void test_trace_checked_by_reader(void)
{
	struct trace_read_opts opts = { 0 };
	struct seen s = { 0 };
	struct trace_model *m, *back;
	uint64_t bw[MAX_DEVS][QP_DIR_N] = { { 0 } };
	unsigned int submit_flows, wakeup_flows, peak, lanes, d;
	char *file;
	size_t len, i;
	struct gen g;

	gen_workload(&g);
	m = model_of(g.ev, g.n);
	file = written(m, &len);
	opts.on_event = on_event;
	opts.ctx = &s;
	back = read_back(file, len, &opts);

	/* The records come back as they were. */
	CU_ASSERT_STRING_EQUAL(opts.source, "test_prof_trace");
	CHECK_EQ(opts.origin_ns, m->first_ts - m->first_ts % 1000000000ull);
	CHECK_EQ(back->n_reqs, m->n_reqs);
	CHECK_EQ(back->n_execs, m->n_execs);
	CHECK_EQ(back->n_waits, m->n_waits);
	CHECK_EQ(back->n_irqs, m->n_irqs);
	CHECK_MEM(back->reqs, m->reqs, m->n_reqs * sizeof(*m->reqs));
	CHECK_MEM(back->execs, m->execs, m->n_execs * sizeof(*m->execs));
	CHECK_MEM(back->waits, m->waits, m->n_waits * sizeof(*m->waits));
	CHECK_MEM(back->irqs, m->irqs, m->n_irqs * sizeof(*m->irqs));
	CHECK_MEM(&back->counts, &m->counts, sizeof(m->counts));
	CHECK_EQ(back->first_ts, m->first_ts);
	CHECK_EQ(back->last_ts, m->last_ts);
	check_model_against(&g, back);

	/* Nesting on every track, from the slices as read. */
	CU_ASSERT(s.n_x > m->n_reqs);
	CHECK_EQ(nesting_violations(s.x, s.n_x), 0);

	/* Lanes: as few as the DBC's peak concurrency, and overlap makes more than one. */
	for (d = 0; d < MAX_DEVS; d++) {
		unsigned int dbc;

		for (dbc = 0; dbc < MAX_DBCS; dbc++) {
			peak_and_lanes(&s, devs[d], dbc, &peak, &lanes);
			CHECK_EQ(lanes, peak);
		}
	}
	peak_and_lanes(&s, 0, 0, &peak, &lanes);
	CU_ASSERT(lanes >= 2);

	/* Flows pair up. */
	expected_flows(&g, &submit_flows, &wakeup_flows);
	CHECK_EQ(s.n_s, submit_flows + wakeup_flows);
	CHECK_EQ(s.n_f, s.n_s);
	CHECK_EQ(s.f_unbound, 0);
	qsort(s.flow_s, s.n_s, sizeof(*s.flow_s), cmp_u64);
	qsort(s.flow_f, s.n_f, sizeof(*s.flow_f), cmp_u64);
	CHECK_MEM(s.flow_s, s.flow_f, s.n_s * sizeof(*s.flow_s));
	for (i = 1; i < s.n_s; i++)
		CU_ASSERT(s.flow_s[i] != s.flow_s[i - 1]);

	/*
	 * Counters: in flight never negative and ends at the DBC's requests still
	 * in flight; link MB/s integrates to the bytes completed with status 0.
	 */
	for (i = 0; i < s.n_c; i++) {
		const struct counter_pt *c = &s.c[i];

		if (strstr(c->name, "in flight")) {
			CU_ASSERT(c->v[0] >= 0);
		} else {
			int dv = c->pid == TRACE_DEV_PID_BASE ? 0 : 1;
			/* The next sample of this device's bandwidth. */
			size_t j;

			for (j = i + 1; j < s.n_c && (s.c[j].pid != c->pid ||
			     strcmp(s.c[j].name, c->name)); j++)
				;
			if (j == s.n_c) {
				CU_ASSERT(c->v[0] == 0 && c->v[1] == 0);	/* the last says 0 */
				continue;
			}
			/* MB/s in units of 10^-4 over whole 10 ms bins: bytes = v * bins. */
			CHECK_EQ((s.c[j].ts - c->ts) % TRACE_BW_BIN_NS, 0);
			bw[dv][QP_DIR_IN] += (uint64_t)c->v[0] * ((s.c[j].ts - c->ts) / TRACE_BW_BIN_NS);
			bw[dv][QP_DIR_OUT] += (uint64_t)c->v[1] * ((s.c[j].ts - c->ts) / TRACE_BW_BIN_NS);
		}
	}
	for (d = 0; d < MAX_DEVS; d++) {
		CHECK_EQ(bw[d][QP_DIR_IN], g.done_bytes[d][QP_DIR_IN]);
		CHECK_EQ(bw[d][QP_DIR_OUT], g.done_bytes[d][QP_DIR_OUT]);
	}
	{
		/* The last in-flight sample of dev 0 DBC 3: its batch that never completed. */
		int64_t last = -1;

		for (i = 0; i < s.n_c; i++)
			if (s.c[i].pid == TRACE_DEV_PID_BASE && !strcmp(s.c[i].name, "dbc3 in flight"))
				last = s.c[i].v[0];
		CHECK_EQ(last, 3);
	}
	CU_ASSERT_STRING_EQUAL(s.globals, "");	/* nothing dropped, no marker */

	seen_free(&s);
	free(file);
	trace_model_free(back);
	trace_model_free(m);
	gen_free(&g);
}

static void test_read_back_writes_same_bytes(void)
{
	struct trace_model *m, *back;
	char *a, *b;
	size_t la, lb;
	struct gen g;

	gen_workload(&g);
	m = model_of(g.ev, g.n);
	a = written(m, &la);
	back = read_back(a, la, NULL);
	b = written(back, &lb);
	CHECK_EQ(lb, la);
	CU_ASSERT(la == lb && !memcmp(a, b, la));
	free(a);
	free(b);
	trace_model_free(back);
	trace_model_free(m);
	gen_free(&g);
}

static void test_drops_and_odd_records_reported(void)
{
	struct trace_read_opts opts = { .on_event = on_event };
	struct trace_model *m = trace_model_new(), *back;
	struct seen s = { 0 };
	struct qp_event e;
	char *file;
	size_t len;

	opts.ctx = &s;
	e = event(QP_EV_ENQUEUE, 0, 1, 10, 10, "x");
	e.seq = 5;
	e.ts = T0;
	e.bytes = 100;
	CHECK_OK(trace_model_add_event(m, &e, sizeof(e)));
	CHECK_OK(trace_model_add_event(m, &e, sizeof(e)));		/* duplicate */
	CHECK_OK(trace_model_add_event(m, &e, sizeof(e) - 1));		/* short */
	e.type = 99;
	CHECK_OK(trace_model_add_event(m, &e, sizeof(e)));		/* unknown type */
	trace_model_set_dropped(m, 5);
	CHECK_OK(trace_model_finish(m));
	CHECK_EQ(trace_model_add_event(m, &e, sizeof(e)), -EBUSY);
	CHECK_EQ(m->counts.events, 4);
	CHECK_EQ(m->counts.duplicates, 1);
	CHECK_EQ(m->counts.malformed, 2);
	CHECK_EQ(m->counts.incomplete, 1);

	file = written(m, &len);
	back = read_back(file, len, &opts);
	CHECK_EQ(back->counts.dropped, 5);
	CHECK_EQ(back->counts.malformed, 2);
	CHECK_EQ(back->counts.duplicates, 1);
	CU_ASSERT_STRING_EQUAL(s.globals, "ring buffer lost 5 events");
	CU_ASSERT(strstr(file, "\"dropped_events\":5") != NULL);
	/* The execute was rebuilt from the enqueue; no doorbell: zero length. */
	CHECK_EQ(back->n_execs, 1);
	CHECK_EQ(back->execs[0].rebuilt, 1);
	CHECK_EQ(back->execs[0].doorbell_ts, 0);
	seen_free(&s);
	free(file);
	trace_model_free(back);
	trace_model_free(m);
}

static void test_empty_trace(void)
{
	struct trace_model *m = trace_model_new(), *back;
	char *file;
	size_t len;

	CHECK_OK(trace_model_finish(m));
	file = written(m, &len);
	back = read_back(file, len, NULL);
	CHECK_EQ(back->n_reqs, 0);
	CHECK_EQ(back->first_ts, 0);
	free(file);
	trace_model_free(back);
	trace_model_free(m);
}

/* Timestamps that disagree still give a timeline that nests (and say so). */
static void test_disordered_timestamps_still_nest(void)
{
	struct trace_read_opts opts = { .on_event = on_event };
	struct trace_model *m = trace_model_new(), *back;
	struct seen s = { 0 };
	struct qp_event e;
	char *file;
	size_t len;

	opts.ctx = &s;
	e = event(QP_EV_EXECUTE, 0, 2, 10, 11, "odd");
	e.ts = T0;
	e.count = 1;
	CHECK_OK(trace_model_add_event(m, &e, sizeof(e)));
	e = event(QP_EV_ENQUEUE, 0, 2, 10, 11, "odd");
	e.seq = 1;
	e.ts = T0;
	e.bytes = 10;
	CHECK_OK(trace_model_add_event(m, &e, sizeof(e)));
	e = event(QP_EV_COMPLETE, 0, 2, 10, 11, "");
	e.seq = 1;
	e.ts = T0 + 50 * US;
	e.submit_ts = T0;
	e.doorbell_ts = T0 + 20 * US;
	e.seen_ts = T0 + 10 * US;	/* before its doorbell */
	CHECK_OK(trace_model_add_event(m, &e, sizeof(e)));
	/* A wait that claims to have begun before the execute ended. */
	e = event(QP_EV_WAIT, 0, 2, 10, 11, "odd");
	e.seq = 1;
	e.ts = T0 + 60 * US;
	e.waited_ns = 50 * US;
	CHECK_OK(trace_model_add_event(m, &e, sizeof(e)));
	/* A completion that knows neither its submit nor its doorbell. */
	e = event(QP_EV_COMPLETE, 0, 2, 0, 0, "");
	e.seq = 2;
	e.ts = T0 + 70 * US;
	e.seen_ts = T0 + 69 * US;
	CHECK_OK(trace_model_add_event(m, &e, sizeof(e)));
	CHECK_OK(trace_model_finish(m));
	file = written(m, &len);
	CU_ASSERT(strstr(file, "\"clamped_requests\":1") != NULL);
	CU_ASSERT(strstr(file, "\"flattened_slices\":1") != NULL);
	back = read_back(file, len, &opts);
	CHECK_EQ(back->n_reqs, 2);
	CHECK_EQ(nesting_violations(s.x, s.n_x), 0);
	CHECK_EQ(s.n_s, 2);
	CHECK_EQ(s.n_f, 2);
	seen_free(&s);
	free(file);
	trace_model_free(back);
	trace_model_free(m);
}

/* ---- malformed input ------------------------------------------------------------------------ */

static int read_string(const char *doc, char *err, size_t errlen)
{
	struct trace_model *m = (void *)1;
	FILE *f = fmemopen((void *)doc, strlen(doc), "r");
	int ret;

	ret = trace_read_stream(f, "bad.json", &m, NULL, err, errlen);
	fclose(f);
	CU_ASSERT_PTR_NULL(m);
	trace_model_free(m);
	return ret;
}

#define OTHER "\"otherData\":{\"format\":\"qaic-prof trace\",\"version\":1,\"ts_origin_ns\":0," \
	"\"first_ts_ns\":0,\"last_ts_ns\":0,\"events\":0,\"dropped_events\":0," \
	"\"malformed_events\":0,\"duplicate_events\":0,\"requests\":0,\"orphan_completions\":0," \
	"\"incomplete_requests\":0,\"unwaited_requests\":0,\"executes\":0,\"waits\":0," \
	"\"unmatched_waits\":0,\"irqs\":0}"

static void test_malformed_files_rejected(void)
{
	static const struct {
		const char *doc;
		const char *says;
	} bad[] = {
		{ "", "unexpected end of input" },
		{ "[]", "expected '{'" },
		{ "{" OTHER ",\"traceEvents\":[]", "expected ',' or '}'" },
		{ "{" OTHER ",\"traceEvents\":[]}}", "data after the end" },
		{ "{" OTHER ",\"traceEvents\":[],}", "'}' after ','" },
		{ "{" OTHER "\"traceEvents\":[]}", "expected ',' or '}'" },
		{ "{" OTHER ",\"traceEvents\":[{\"ph\":\"X\"\"name\":\"a\"}]}", "expected ',' or '}'" },
		{ "{" OTHER ",\"traceEvents\":[{\"ph\":\"X\",\"name\":\"a\\q\"}]}", "escape" },
		{ "{" OTHER ",\"traceEvents\":[{\"ph\":\"X\",\"name\":\"a\n\"}]}", "control character" },
		{ "{" OTHER ",\"traceEvents\":[{\"ph\":\"X\",\"name\":\"a\",\"pid\":01}]}", "leading zero" },
		{ "{" OTHER ",\"traceEvents\":[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1.}]}", "digit after '.'" },
		{ "{" OTHER ",\"traceEvents\":[{\"ph\":tru}]}", "true" },
		{ "{" OTHER ",\"traceEvents\":[{\"ph\":\"X\",\"name\":\"\\ud800x\"}]}", "surrogate" },
		{ "{\"traceEvents\":[]}", "no otherData" },
		{ "{\"otherData\":{\"format\":\"chrome\"},\"traceEvents\":[]}", "not a qaic-prof trace" },
		{ "{\"otherData\":{\"format\":\"qaic-prof trace\",\"version\":2},\"traceEvents\":[]}",
		  "version 2" },
		{ "{" OTHER "}", "no traceEvents" },
		{ "{" OTHER ",\"traceEvents\":[],\"x\":1}", "unexpected top-level member \"x\"" },
		{ "{" OTHER ",\"traceEvents\":[1]}", "not an object" },
		{ "{" OTHER ",\"traceEvents\":[{\"ph\":\"Q\",\"name\":\"a\",\"pid\":1}]}", "ph" },
		{ "{" OTHER ",\"traceEvents\":[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"ts\":1}]}",
		  "without dur" },
		{ "{" OTHER ",\"traceEvents\":[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"ts\":1,"
		  "\"dur\":-0.5}]}", "ends before it begins" },
		{ "{" OTHER ",\"traceEvents\":[{\"ph\":\"X\",\"name\":\"a\",\"pid\":1,\"ts\":1e3,"
		  "\"dur\":1}]}", "plain decimal" },
		{ "{" OTHER ",\"traceEvents\":[{\"ph\":\"s\",\"name\":\"a\",\"pid\":1,\"ts\":1}]}",
		  "flow without an integer id" },
		{ "{" OTHER ",\"traceEvents\":[{\"ph\":\"C\",\"name\":\"a\",\"pid\":1,\"ts\":1,"
		  "\"args\":{\"v\":\"x\"}}]}", "not a number" },
		{ "{" OTHER ",\"traceEvents\":[{\"ph\":\"X\",\"name\":\"request\",\"cat\":\"request\","
		  "\"pid\":1,\"ts\":1,\"dur\":1,\"args\":{\"dev\":0,\"dbc\":1}}]}", "args.seq missing" },
		{ "{" OTHER ",\"traceEvents\":[{\"ph\":\"X\",\"name\":\"wait\",\"cat\":\"wait\","
		  "\"pid\":1,\"ts\":1,\"dur\":1,\"args\":{\"dev\":4294967296}}]}", "args.dev" },
		{ "{" OTHER ",\"traceEvents\":[{\"ph\":\"i\",\"name\":\"irq\",\"cat\":\"irq\",\"pid\":1,"
		  "\"ts\":1,\"args\":{\"dev\":0,\"dbc\":0,\"rsp_head\":0,\"rsp_tail\":1,\"ts\":5}}]}",
		  "otherData.irqs is 0 but the events give 1" },
	};
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret;

		err[0] = '\0';
		ret = read_string(bad[i].doc, err, sizeof(err));
		CHECK_EQ(ret, -EINVAL);
		if (!strstr(err, bad[i].says) || strncmp(err, "bad.json:", 9))
			printf("# case %zu: wanted \"%s\", got \"%s\"\n", i, bad[i].says, err);
		CU_ASSERT(strstr(err, bad[i].says) != NULL);
		CU_ASSERT(!strncmp(err, "bad.json:", 9));
	}
}

/* The smallest document the reader takes, for contrast with the cases above. */
static void test_minimal_file_accepted(void)
{
	static const char doc[] = "{" OTHER ",\"traceEvents\":[]}";
	struct trace_model *m = read_back(doc, strlen(doc), NULL);

	CHECK_EQ(m->n_reqs, 0);
	trace_model_free(m);
}

/* Cutting a real trace anywhere gives an error, never a crash or a partial model. */
static void test_truncated_trace_rejected(void)
{
	struct trace_model *m, *back;
	char err[512], *file;
	size_t len, cut, failures = 0, tries = 0;
	struct gen g;

	gen_workload(&g);
	m = model_of(g.ev, g.n);
	file = written(m, &len);
	for (cut = 1; cut + 2 < len; cut += 1 + len / 211) {
		FILE *f = fmemopen(file, cut, "r");
		int ret;

		ret = trace_read_stream(f, "cut.json", &back, NULL, err, sizeof(err));
		fclose(f);
		tries++;
		failures += ret == -EINVAL && back == NULL;
	}
	CHECK_EQ(failures, tries);
	free(file);
	trace_model_free(m);
	gen_free(&g);
}

static void test_write_to_a_path(void)
{
	struct trace_model *m = trace_model_new(), *back = NULL;
	char err[512] = "", path[] = "/tmp/qaic-prof-path-XXXXXX", tmp[64];
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	CHECK_OK(trace_model_finish(m));
	CHECK_OK(trace_write_path(path, m, NULL, err, sizeof(err)));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	CU_ASSERT(access(tmp, F_OK) != 0);		/* renamed into place */
	CHECK_OK(trace_read(path, &back, NULL, err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(back);
	CHECK_EQ(trace_write_path("/nonexistent/dir/t.json", m, NULL, err, sizeof(err)), -ENOENT);
	CU_ASSERT(strstr(err, "/nonexistent/dir/t.json.tmp") != NULL);
	unlink(path);
	trace_model_free(back);
	trace_model_free(m);
}

static void test_missing_file(void)
{
	struct trace_model *m = NULL;
	char err[512];

	CHECK_EQ(trace_read("/nonexistent/trace.json", &m, NULL, err, sizeof(err)), -ENOENT);
	CU_ASSERT_PTR_NULL(m);
	CU_ASSERT(strstr(err, "/nonexistent/trace.json") != NULL);
}

static CU_TestInfo tests[] = {
	{ "json_writer: exact fixed point, bools, one element per line", test_json_writer_fixed_point },
	{ "lanes: never shared by overlapping intervals, as few as the peak",
	  test_lanes_fewest_possible },
	{ "model: joins by (dev, dbc, seq) whatever the arrival order",
	  test_model_joins_any_arrival_order },
	{ "writer: the same events give the same bytes", test_same_events_same_bytes },
	{ "file checked by jq: JSON, dur >= 0, nesting, counts, bytes, flows, counters",
	  test_trace_checked_by_jq },
	{ "file checked by our reader: records, nesting, minimal lanes, flows, counters",
	  test_trace_checked_by_reader },
	{ "read back and written again: the same bytes", test_read_back_writes_same_bytes },
	{ "drops, duplicates, short and unknown records reported", test_drops_and_odd_records_reported },
	{ "empty trace written and read", test_empty_trace },
	{ "disordered timestamps still nest, and are counted", test_disordered_timestamps_still_nest },
	{ "malformed files fail with file:line and what", test_malformed_files_rejected },
	{ "the smallest valid file is accepted", test_minimal_file_accepted },
	{ "a trace cut anywhere fails cleanly", test_truncated_trace_rejected },
	{ "written to a path through a temporary file", test_write_to_a_path },
	{ "a missing file fails with its errno", test_missing_file },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "prof_trace", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
