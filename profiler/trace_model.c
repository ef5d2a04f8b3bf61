// SPDX-License-Identifier: MIT
/*
 * Record-mode events -> per-request records (the join rules are in
 * trace_model.h). Requests are found by (dev, dbc, seq) through an
 * open-addressing hash while events stream in; the rest is joined by sorting
 * once, at trace_model_finish().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace_model.h"

#define HASH_MIN_SLOTS	1024

/* A DOORBELL event, kept only to end executes none of whose BOs completed. */
struct trace_bell {
	uint32_t dev;
	uint32_t dbc;
	uint32_t tid;
	uint32_t pad;
	uint64_t ts;
};

struct trace_build {
	size_t cap_reqs, cap_execs, cap_waits, cap_irqs, cap_bells;
	struct trace_bell *bells;
	size_t n_bells;
	uint32_t *slots;	/* request index + 1, 0 = empty; a power of two of them */
	size_t n_slots;
};

#define CMP(a, b) do {				\
	if ((a) != (b))				\
		return (a) < (b) ? -1 : 1;	\
} while (0)

static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t want = *cap ? *cap * 2 : 256;
	void *p;

	if (n < *cap)
		return 0;
	p = realloc(*arr, want * size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = want;
	return 0;
}

struct trace_model *trace_model_new(void)
{
	struct trace_model *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->build = calloc(1, sizeof(*m->build));
	if (!m->build) {
		free(m);
		return NULL;
	}
	return m;
}

static void free_build(struct trace_model *m)
{
	if (!m->build)
		return;
	free(m->build->bells);
	free(m->build->slots);
	free(m->build);
	m->build = NULL;
}

void trace_model_free(struct trace_model *m)
{
	if (!m)
		return;
	free_build(m);
	free(m->reqs);
	free(m->execs);
	free(m->waits);
	free(m->irqs);
	free(m);
}

void trace_comm_copy(char dst[TRACE_COMM_LEN], const char *src)
{
	size_t i;

	for (i = 0; i < TRACE_COMM_LEN - 1 && src[i]; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
	memset(dst + i, 0, TRACE_COMM_LEN - i);
}

int trace_wait_ended(int32_t result)
{
	return result == 0 || result == -EPERM;
}

const char *trace_dir_name(uint32_t dir)
{
	return dir == QP_DIR_IN ? "in" : dir == QP_DIR_OUT ? "out" : "unknown";
}

int trace_req_stage_ns(const struct trace_req *r, unsigned int stage, uint64_t *ns)
{
	uint64_t from, to;
	uint32_t need;

	switch (stage) {
	case QP_STAGE_SUBMIT:
		need = TRACE_REQ_DOORBELL;
		from = r->submit_ts;
		to = r->doorbell_ts;
		break;
	case QP_STAGE_DEVICE:
		need = TRACE_REQ_DOORBELL | TRACE_REQ_COMPLETED;
		from = r->doorbell_ts;
		to = r->seen_ts;
		break;
	case QP_STAGE_COMPLETE:
		need = TRACE_REQ_COMPLETED;
		from = r->seen_ts;
		to = r->complete_ts;
		break;
	case QP_STAGE_WAKEUP:
		need = TRACE_REQ_COMPLETED | TRACE_REQ_WAITED;
		from = r->complete_ts;
		to = r->wait_ts;
		break;
	case QP_STAGE_E2E:
		need = TRACE_REQ_WAITED;
		from = r->submit_ts;
		to = r->wait_ts;
		break;
	default:
		return 0;
	}
	if ((r->flags & need) != need || to < from || !from)
		return 0;
	if ((r->flags & TRACE_REQ_COMPLETED) && r->status < 0)
		return 0;
	if ((need & TRACE_REQ_WAITED) && r->wait_result != 0)
		return 0;
	*ns = to - from;
	return 1;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

void trace_req_shape(const struct trace_model *m, const struct trace_req *r,
		     struct trace_shape *s)
{
	uint32_t f = r->flags;
	uint64_t *t = s->t;

	memset(s, 0, sizeof(*s));
	t[0] = t[1] = r->submit_ts;
	if (f & TRACE_REQ_DOORBELL) {
		t[1] = max_u64(t[0], r->doorbell_ts);
		s->clamped |= r->doorbell_ts < t[0];
		s->stages |= 1u << QP_STAGE_SUBMIT;
	}
	t[2] = t[3] = t[1];
	if (f & TRACE_REQ_COMPLETED) {
		t[2] = max_u64(t[1], r->seen_ts);
		t[3] = max_u64(t[2], r->complete_ts);
		s->clamped |= r->seen_ts < t[1] || r->complete_ts < t[2];
		s->stages |= 1u << QP_STAGE_COMPLETE;
		if (f & TRACE_REQ_DOORBELL)
			s->stages |= 1u << QP_STAGE_DEVICE;
	}
	t[4] = t[3];
	if (f & TRACE_REQ_WAITED) {
		t[4] = max_u64(t[3], r->wait_ts);
		s->clamped |= r->wait_ts < t[3];
		if (f & TRACE_REQ_COMPLETED)
			s->stages |= 1u << QP_STAGE_WAKEUP;
	}
	if (f & TRACE_REQ_WAITED)
		s->end = t[4];
	else if (f & TRACE_REQ_COMPLETED)
		s->end = t[3];
	else
		s->end = max_u64(t[1], m->last_ts);	/* still in flight at the end */
}

/* ---- the (dev, dbc, seq) -> request hash -------------------------------------- */

static size_t key_hash(uint32_t dev, uint32_t dbc, uint64_t seq)
{
	uint64_t h = seq * 0x9e3779b97f4a7c15ULL;

	h ^= ((uint64_t)dev << 32 | dbc) * 0xc2b2ae3d27d4eb4fULL;
	return (size_t)(h ^ h >> 29);
}

static uint32_t *find_slot(const struct trace_model *m, uint32_t dev, uint32_t dbc, uint64_t seq)
{
	const struct trace_build *b = m->build;
	size_t mask = b->n_slots - 1, i = key_hash(dev, dbc, seq) & mask;

	for (;; i = (i + 1) & mask) {
		const struct trace_req *r;

		if (!b->slots[i])
			return &b->slots[i];
		r = &m->reqs[b->slots[i] - 1];
		if (r->dev == dev && r->dbc == dbc && r->seq == seq)
			return &b->slots[i];
	}
}

/* Keeps the table at most half full. */
static int rehash(struct trace_model *m)
{
	struct trace_build *b = m->build;
	size_t n = b->n_slots ? b->n_slots * 2 : HASH_MIN_SLOTS, i;
	uint32_t *old = b->slots;
	size_t old_n = b->n_slots;

	if (m->n_reqs + 1 <= b->n_slots / 2)
		return 0;
	b->slots = calloc(n, sizeof(*b->slots));
	if (!b->slots) {
		b->slots = old;
		return -ENOMEM;
	}
	b->n_slots = n;
	for (i = 0; i < old_n; i++) {
		const struct trace_req *r;

		if (!old[i])
			continue;
		r = &m->reqs[old[i] - 1];
		*find_slot(m, r->dev, r->dbc, r->seq) = old[i];
	}
	free(old);
	return 0;
}

static struct trace_req *find_or_add_req(struct trace_model *m, const struct qp_event *ev)
{
	struct trace_build *b = m->build;
	struct trace_req *r;
	uint32_t *slot;

	if (rehash(m) ||
	    grow((void **)&m->reqs, &b->cap_reqs, m->n_reqs, sizeof(*m->reqs)))
		return NULL;
	slot = find_slot(m, ev->dev, ev->dbc, ev->seq);
	if (*slot)
		return &m->reqs[*slot - 1];
	r = &m->reqs[m->n_reqs++];
	memset(r, 0, sizeof(*r));
	r->dev = ev->dev;
	r->dbc = ev->dbc;
	r->seq = ev->seq;
	r->dir = QP_DIR_N;
	*slot = (uint32_t)m->n_reqs;
	return r;
}

/* ---- taking events in ------------------------------------------------------------ */

static int take_enqueue(struct trace_model *m, const struct qp_event *ev)
{
	struct trace_req *r = find_or_add_req(m, ev);

	if (!r)
		return -ENOMEM;
	if (r->flags & TRACE_REQ_ENQUEUED) {
		m->counts.duplicates++;
		return 0;
	}
	r->flags |= TRACE_REQ_ENQUEUED | TRACE_REQ_OWNER;
	r->handle = ev->handle;
	r->tgid = ev->tgid;
	r->tid = ev->tid;
	r->cgroup = ev->cgroup;
	trace_comm_copy(r->comm, ev->comm);
	r->dir = ev->dir < QP_DIR_N ? ev->dir : QP_DIR_N;
	r->elements = ev->count;
	r->queue_level = ev->level;
	r->bytes = ev->bytes;
	r->submit_ts = ev->ts;
	return 0;
}

static int take_complete(struct trace_model *m, const struct qp_event *ev)
{
	struct trace_req *r = find_or_add_req(m, ev);

	if (!r)
		return -ENOMEM;
	if (r->flags & TRACE_REQ_COMPLETED) {
		m->counts.duplicates++;
		return 0;
	}
	r->flags |= TRACE_REQ_COMPLETED;
	if (ev->doorbell_ts)
		r->flags |= TRACE_REQ_DOORBELL;
	r->status = ev->status;
	r->doorbell_ts = ev->doorbell_ts;
	r->seen_ts = ev->seen_ts;
	r->complete_ts = ev->ts;
	if (!(r->flags & TRACE_REQ_ENQUEUED)) {
		r->submit_ts = ev->submit_ts;
		r->handle = ev->handle;
	}
	if (!(r->flags & TRACE_REQ_OWNER) && ev->tgid) {
		r->flags |= TRACE_REQ_OWNER;
		r->tgid = ev->tgid;
		r->tid = ev->tid;
		r->cgroup = ev->cgroup;
		r->bytes = ev->bytes;
		r->dir = ev->dir < QP_DIR_N ? ev->dir : QP_DIR_N;
	}
	return 0;
}

static int take_execute(struct trace_model *m, const struct qp_event *ev)
{
	struct trace_exec e = {
		.dev = ev->dev, .dbc = ev->dbc, .tgid = ev->tgid, .tid = ev->tid,
		.cgroup = ev->cgroup, .ts = ev->ts, .bos = ev->count, .partial = !!ev->aux,
	};

	trace_comm_copy(e.comm, ev->comm);
	return trace_model_add_exec(m, &e);
}

static int take_wait(struct trace_model *m, const struct qp_event *ev)
{
	struct trace_wait w = {
		.dev = ev->dev, .dbc = ev->dbc, .tgid = ev->tgid, .tid = ev->tid,
		.handle = ev->handle, .result = ev->status, .seq = ev->seq,
		.cgroup = ev->cgroup, .ts = ev->ts, .waited_ns = ev->waited_ns,
	};

	trace_comm_copy(w.comm, ev->comm);
	return trace_model_add_wait(m, &w);
}

static int take_doorbell(struct trace_model *m, const struct qp_event *ev)
{
	struct trace_build *b = m->build;

	if (grow((void **)&b->bells, &b->cap_bells, b->n_bells, sizeof(*b->bells)))
		return -ENOMEM;
	b->bells[b->n_bells++] = (struct trace_bell){
		.dev = ev->dev, .dbc = ev->dbc, .tid = ev->tid, .ts = ev->ts,
	};
	return 0;
}

static int take_irq(struct trace_model *m, const struct qp_event *ev)
{
	struct trace_irq irq = {
		.dev = ev->dev, .dbc = ev->dbc, .rsp_head = ev->level, .rsp_tail = ev->aux,
		.ts = ev->ts,
	};

	return trace_model_add_irq(m, &irq);
}

int trace_model_add_event(struct trace_model *m, const void *data, size_t size)
{
	struct qp_event ev;

	if (m->sealed)
		return -EBUSY;
	m->counts.events++;
	if (size < sizeof(ev)) {
		m->counts.malformed++;
		return 0;
	}
	memcpy(&ev, data, sizeof(ev));	/* ring-buffer records need not be aligned */
	switch (ev.type) {
	case QP_EV_EXECUTE:
		return take_execute(m, &ev);
	case QP_EV_ENQUEUE:
		return take_enqueue(m, &ev);
	case QP_EV_DOORBELL:
		return take_doorbell(m, &ev);
	case QP_EV_IRQ:
		return take_irq(m, &ev);
	case QP_EV_COMPLETE:
		return take_complete(m, &ev);
	case QP_EV_WAIT:
		return take_wait(m, &ev);
	default:
		m->counts.malformed++;
		return 0;
	}
}

int trace_model_rb_sample(void *ctx, void *data, size_t size)
{
	return trace_model_add_event(ctx, data, size);
}

void trace_model_set_dropped(struct trace_model *m, uint64_t dropped)
{
	m->counts.dropped = dropped;
}

int trace_model_add_req(struct trace_model *m, const struct trace_req *r)
{
	if (m->sealed)
		return -EBUSY;
	if (grow((void **)&m->reqs, &m->build->cap_reqs, m->n_reqs, sizeof(*r)))
		return -ENOMEM;
	m->reqs[m->n_reqs++] = *r;
	return 0;
}

int trace_model_add_exec(struct trace_model *m, const struct trace_exec *e)
{
	if (m->sealed)
		return -EBUSY;
	if (grow((void **)&m->execs, &m->build->cap_execs, m->n_execs, sizeof(*e)))
		return -ENOMEM;
	m->execs[m->n_execs++] = *e;
	return 0;
}

int trace_model_add_wait(struct trace_model *m, const struct trace_wait *w)
{
	if (m->sealed)
		return -EBUSY;
	if (grow((void **)&m->waits, &m->build->cap_waits, m->n_waits, sizeof(*w)))
		return -ENOMEM;
	m->waits[m->n_waits++] = *w;
	return 0;
}

int trace_model_add_irq(struct trace_model *m, const struct trace_irq *irq)
{
	if (m->sealed)
		return -EBUSY;
	if (grow((void **)&m->irqs, &m->build->cap_irqs, m->n_irqs, sizeof(*irq)))
		return -ENOMEM;
	m->irqs[m->n_irqs++] = *irq;
	return 0;
}

/* ---- canonical orders ---------------------------------------------------------- */

static int cmp_req(const void *pa, const void *pb)
{
	const struct trace_req *a = pa, *b = pb;

	CMP(a->dev, b->dev);
	CMP(a->dbc, b->dbc);
	CMP(a->submit_ts, b->submit_ts);
	CMP(a->seq, b->seq);
	return 0;
}

/* The whole record, so that equal keys cannot leave the order to qsort. */
static int cmp_exec(const void *pa, const void *pb)
{
	const struct trace_exec *a = pa, *b = pb;

	CMP(a->tgid, b->tgid);
	CMP(a->tid, b->tid);
	CMP(a->ts, b->ts);
	CMP(a->dev, b->dev);
	CMP(a->dbc, b->dbc);
	CMP(a->doorbell_ts, b->doorbell_ts);
	CMP(a->bos, b->bos);
	CMP(a->enqueued, b->enqueued);
	CMP(a->partial, b->partial);
	CMP(a->rebuilt, b->rebuilt);
	CMP(a->cgroup, b->cgroup);
	return memcmp(a->comm, b->comm, sizeof(a->comm));
}

static int cmp_wait(const void *pa, const void *pb)
{
	const struct trace_wait *a = pa, *b = pb;

	CMP(a->tgid, b->tgid);
	CMP(a->tid, b->tid);
	CMP(a->ts, b->ts);
	CMP(a->dev, b->dev);
	CMP(a->dbc, b->dbc);
	CMP(a->seq, b->seq);
	CMP(a->handle, b->handle);
	CMP(a->result, b->result);
	CMP(a->waited_ns, b->waited_ns);
	CMP(a->matched, b->matched);
	CMP(a->cgroup, b->cgroup);
	return memcmp(a->comm, b->comm, sizeof(a->comm));
}

static int cmp_irq(const void *pa, const void *pb)
{
	const struct trace_irq *a = pa, *b = pb;

	CMP(a->dev, b->dev);
	CMP(a->dbc, b->dbc);
	CMP(a->ts, b->ts);
	CMP(a->rsp_head, b->rsp_head);
	CMP(a->rsp_tail, b->rsp_tail);
	return 0;
}

static void span(struct trace_model *m, uint64_t ts)
{
	if (!ts)
		return;
	if (!m->first_ts || ts < m->first_ts)
		m->first_ts = ts;
	if (ts > m->last_ts)
		m->last_ts = ts;
}

/* qsort, which must not be handed a NULL array even when it is empty. */
static void sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

int trace_model_seal(struct trace_model *m)
{
	struct trace_counts *c = &m->counts;
	size_t i;

	if (m->sealed)
		return 0;
	sort(m->reqs, m->n_reqs, sizeof(*m->reqs), cmp_req);
	sort(m->execs, m->n_execs, sizeof(*m->execs), cmp_exec);
	sort(m->waits, m->n_waits, sizeof(*m->waits), cmp_wait);
	sort(m->irqs, m->n_irqs, sizeof(*m->irqs), cmp_irq);

	c->orphans = c->incomplete = c->unwaited = c->unmatched_waits = 0;
	m->first_ts = m->last_ts = 0;
	for (i = 0; i < m->n_reqs; i++) {
		const struct trace_req *r = &m->reqs[i];
		uint32_t f = r->flags;

		c->orphans += (f & TRACE_REQ_COMPLETED) && !(f & TRACE_REQ_ENQUEUED);
		c->incomplete += (f & TRACE_REQ_ENQUEUED) && !(f & TRACE_REQ_COMPLETED);
		c->unwaited += (f & TRACE_REQ_COMPLETED) && !(f & TRACE_REQ_WAITED);
		span(m, r->submit_ts);
		span(m, r->doorbell_ts);
		span(m, r->seen_ts);
		span(m, r->complete_ts);
		span(m, r->wait_ts);
	}
	for (i = 0; i < m->n_execs; i++) {
		span(m, m->execs[i].ts);
		span(m, m->execs[i].doorbell_ts);
	}
	for (i = 0; i < m->n_waits; i++) {
		const struct trace_wait *w = &m->waits[i];

		c->unmatched_waits += !w->matched;
		span(m, w->ts);
		span(m, w->waited_ns < w->ts ? w->ts - w->waited_ns : 0);
	}
	for (i = 0; i < m->n_irqs; i++)
		span(m, m->irqs[i].ts);
	free_build(m);
	m->sealed = 1;
	return 0;
}

/* ---- the join --------------------------------------------------------------------- */

/*
 * Requests by (dev, seq, handle, tgid, dbc): where a WAIT_BO naming another
 * DBC of its caller finds its BO.
 */
static int cmp_by_handle(const void *pa, const void *pb, void *ctx)
{
	const struct trace_req *reqs = ctx;
	const struct trace_req *a = &reqs[*(const uint32_t *)pa];
	const struct trace_req *b = &reqs[*(const uint32_t *)pb];

	CMP(a->dev, b->dev);
	CMP(a->seq, b->seq);
	CMP(a->handle, b->handle);
	CMP(a->tgid, b->tgid);
	CMP(a->dbc, b->dbc);
	return 0;
}

/* Sign of (r's key - w's key) on (dev, seq, handle, tgid). */
static int cmp_req_wait(const struct trace_req *r, const struct trace_wait *w)
{
	CMP(r->dev, w->dev);
	CMP(r->seq, w->seq);
	CMP(r->handle, w->handle);
	CMP(r->tgid, w->tgid);
	return 0;
}

static struct trace_req *find_by_handle(const struct trace_model *m, const uint32_t *idx,
					size_t n, const struct trace_wait *w)
{
	size_t lo = 0, hi = n;
	struct trace_req *r;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_req_wait(&m->reqs[idx[mid]], w) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == n)
		return NULL;
	r = &m->reqs[idx[lo]];
	if (cmp_req_wait(r, w) || !(r->flags & TRACE_REQ_OWNER))
		return NULL;
	return r;
}

static int same_bo(const struct trace_req *r, const struct trace_wait *w)
{
	return r->handle == w->handle && (!(r->flags & TRACE_REQ_OWNER) || r->tgid == w->tgid);
}

static int pair_waits(struct trace_model *m)
{
	uint32_t *by_handle = NULL;
	size_t i, n_idx = 0;

	/* In canonical order, so "earliest" has one answer even with equal times. */
	sort(m->waits, m->n_waits, sizeof(*m->waits), cmp_wait);
	for (i = 0; i < m->n_waits; i++) {
		struct trace_wait *w = &m->waits[i];
		struct trace_req *r = NULL;
		uint32_t slot = m->build->n_slots ? *find_slot(m, w->dev, w->dbc, w->seq) : 0;

		/* seq counts per DBC, handles per client: check it is the caller's BO. */
		if (slot && same_bo(&m->reqs[slot - 1], w))
			r = &m->reqs[slot - 1];
		if (!r) {
			if (!by_handle) {
				by_handle = malloc((m->n_reqs + 1) * sizeof(*by_handle));
				if (!by_handle)
					return -ENOMEM;
				for (n_idx = 0; n_idx < m->n_reqs; n_idx++)
					by_handle[n_idx] = (uint32_t)n_idx;
				qsort_r(by_handle, n_idx, sizeof(*by_handle), cmp_by_handle,
					m->reqs);
			}
			r = find_by_handle(m, by_handle, n_idx, w);
		}
		if (!r)
			continue;
		w->matched = 1;
		r->waits++;
		if (!trace_wait_ended(w->result))
			continue;
		if ((r->flags & TRACE_REQ_WAITED) && r->wait_ts <= w->ts)
			continue;
		r->flags |= TRACE_REQ_WAITED;
		r->wait_ts = w->ts;
		r->waited_ns = w->waited_ns;
		r->wait_result = w->result;
		r->wait_tgid = w->tgid;
		r->wait_tid = w->tid;
	}
	free(by_handle);
	return 0;
}

/* Executes and their requests share the key (dev, dbc, tgid, tid, ts == submit_ts). */
static int cmp_exec_key(const struct trace_exec *e, const struct trace_req *r)
{
	CMP(e->dev, r->dev);
	CMP(e->dbc, r->dbc);
	CMP(e->tgid, r->tgid);
	CMP(e->tid, r->tid);
	CMP(e->ts, r->submit_ts);
	return 0;
}

static int cmp_by_exec_key(const void *pa, const void *pb, void *ctx)
{
	const struct trace_req *reqs = ctx;
	const struct trace_req *a = &reqs[*(const uint32_t *)pa];
	const struct trace_req *b = &reqs[*(const uint32_t *)pb];

	CMP(a->dev, b->dev);
	CMP(a->dbc, b->dbc);
	CMP(a->tgid, b->tgid);
	CMP(a->tid, b->tid);
	CMP(a->submit_ts, b->submit_ts);
	CMP(a->seq, b->seq);
	return 0;
}

static int cmp_exec_by_key(const void *pa, const void *pb)
{
	const struct trace_exec *a = pa, *b = pb;

	CMP(a->dev, b->dev);
	CMP(a->dbc, b->dbc);
	CMP(a->tgid, b->tgid);
	CMP(a->tid, b->tid);
	CMP(a->ts, b->ts);
	return cmp_exec(a, b);
}

/* First execute in execs[0..n) (sorted by key) not before the key of r. */
static size_t exec_lower_bound(const struct trace_exec *execs, size_t n, const struct trace_req *r)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_exec_key(&execs[mid], r) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int cmp_bell(const void *pa, const void *pb)
{
	const struct trace_bell *a = pa, *b = pb;

	CMP(a->dev, b->dev);
	CMP(a->dbc, b->dbc);
	CMP(a->tid, b->tid);
	CMP(a->ts, b->ts);
	return 0;
}

/*
 * The doorbell of a batch none of whose BOs completed: the thread's first
 * DOORBELL on that DBC at or after the call, if it came before the
 * thread's next call there (a refused call rings nothing). 0 if none.
 */
static uint64_t find_bell(const struct trace_build *b, const struct trace_req *r, uint64_t next_ts)
{
	struct trace_bell key = { .dev = r->dev, .dbc = r->dbc, .tid = r->tid, .ts = r->submit_ts };
	size_t lo = 0, hi = b->n_bells;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_bell(&b->bells[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == b->n_bells)
		return 0;
	key = b->bells[lo];
	if (key.dev != r->dev || key.dbc != r->dbc || key.tid != r->tid)
		return 0;
	if (next_ts && key.ts >= next_ts)
		return 0;
	return key.ts;
}

/* Start of the same thread's next execute on that DBC after r's, 0 if none. */
static uint64_t next_exec_ts(const struct trace_exec *execs, size_t n, const struct trace_req *r)
{
	struct trace_req later = *r;
	size_t i;

	later.submit_ts++;
	i = exec_lower_bound(execs, n, &later);
	if (i < n && execs[i].dev == r->dev && execs[i].dbc == r->dbc &&
	    execs[i].tgid == r->tgid && execs[i].tid == r->tid)
		return execs[i].ts;
	return 0;
}

/* One batch: reqs idx[0..n) share an exec key. */
static int join_batch(struct trace_model *m, size_t n_calls, const uint32_t *idx, size_t n)
{
	struct trace_req *first = &m->reqs[idx[0]];
	size_t at = exec_lower_bound(m->execs, n_calls, first), i;
	struct trace_exec *e = NULL, rebuilt;
	uint64_t bell = 0;

	for (i = 0; i < n; i++) {
		const struct trace_req *r = &m->reqs[idx[i]];

		if ((r->flags & TRACE_REQ_DOORBELL) && r->doorbell_ts > bell)
			bell = r->doorbell_ts;
	}
	if (!bell) {
		bell = find_bell(m->build, first, next_exec_ts(m->execs, n_calls, first));
		for (i = 0; bell && i < n; i++) {
			m->reqs[idx[i]].doorbell_ts = bell;
			m->reqs[idx[i]].flags |= TRACE_REQ_DOORBELL;
		}
	}
	if (at < n_calls && !cmp_exec_key(&m->execs[at], first)) {
		e = &m->execs[at];
		e->enqueued += (uint32_t)n;
		if (bell > e->doorbell_ts)
			e->doorbell_ts = bell;
		return 0;
	}
	rebuilt = (struct trace_exec){
		.dev = first->dev, .dbc = first->dbc, .tgid = first->tgid, .tid = first->tid,
		.cgroup = first->cgroup, .ts = first->submit_ts, .doorbell_ts = bell,
		.bos = (uint32_t)n, .enqueued = (uint32_t)n, .rebuilt = 1,
	};
	memcpy(rebuilt.comm, first->comm, sizeof(rebuilt.comm));
	return trace_model_add_exec(m, &rebuilt);
}

static int join_execs(struct trace_model *m)
{
	size_t n_calls = m->n_execs, n = 0, i, j;
	uint32_t *idx;
	int ret = 0;

	sort(m->execs, m->n_execs, sizeof(*m->execs), cmp_exec_by_key);
	sort(m->build->bells, m->build->n_bells, sizeof(*m->build->bells), cmp_bell);
	idx = malloc((m->n_reqs + 1) * sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	for (i = 0; i < m->n_reqs; i++)
		if (m->reqs[i].flags & TRACE_REQ_OWNER)
			idx[n++] = (uint32_t)i;
	qsort_r(idx, n, sizeof(*idx), cmp_by_exec_key, m->reqs);
	/* Rebuilt executes go after execs[n_calls): the lookups see only real ones. */
	for (i = 0; i < n && !ret; i = j) {
		const struct trace_req *a = &m->reqs[idx[i]];

		for (j = i + 1; j < n; j++) {
			const struct trace_req *b = &m->reqs[idx[j]];

			if (a->dev != b->dev || a->dbc != b->dbc || a->tgid != b->tgid ||
			    a->tid != b->tid || a->submit_ts != b->submit_ts)
				break;
		}
		ret = join_batch(m, n_calls, idx + i, j - i);
	}
	free(idx);
	return ret;
}

int trace_model_finish(struct trace_model *m)
{
	int ret;

	if (m->sealed)
		return 0;
	ret = pair_waits(m);
	if (!ret)
		ret = join_execs(m);
	if (ret)
		return ret;
	return trace_model_seal(m);
}
