// SPDX-License-Identifier: MIT
/*
 * Snapshots as data: building, sorting, finding, and the interval view of
 * two snapshots (snapshot.h). Reading them from the BPF maps is
 * snapshot_read.c.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"
#include "snapshot.h"

void snap_init(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
}

void snap_free(struct snapshot *s)
{
	free(s->wl);
	free(s->dbc);
	snap_init(s);
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

int snap_wl_key_cmp(const struct qp_wl_key *a, const struct qp_wl_key *b)
{
	int c;

	if ((c = cmp_u64(a->dev, b->dev)) || (c = cmp_u64(a->dbc, b->dbc)) ||
	    (c = cmp_u64(a->tgid, b->tgid)))
		return c;
	return cmp_u64(a->cgroup, b->cgroup);
}

static int dbc_key_cmp(const struct qp_dbc_key *a, const struct qp_dbc_key *b)
{
	int c = cmp_u64(a->dev, b->dev);

	return c ? c : cmp_u64(a->dbc, b->dbc);
}

static int wl_cmp(const void *a, const void *b)
{
	return snap_wl_key_cmp(&((const struct snap_workload *)a)->key,
			       &((const struct snap_workload *)b)->key);
}

static int dbc_cmp(const void *a, const void *b)
{
	return dbc_key_cmp(&((const struct snap_dbc *)a)->key, &((const struct snap_dbc *)b)->key);
}

/* Room for one more of n elements of size in *arr (capacity *alloc). */
static int grow(void **arr, size_t *alloc, size_t n, size_t size)
{
	size_t cap;
	void *p;

	if (n < *alloc)
		return 0;
	cap = *alloc ? 2 * *alloc : 16;
	p = realloc(*arr, cap * size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*alloc = cap;
	return 0;
}

struct snap_workload *snap_add_wl(struct snapshot *s, const struct qp_wl_key *key)
{
	struct snap_workload probe, *w;
	size_t i;

	probe.key = *key;
	w = bsearch(&probe, s->wl, s->sorted_wl, sizeof(*s->wl), wl_cmp);
	if (w)
		return w;
	for (i = s->sorted_wl; i < s->n_wl; i++)	/* added since the last sort */
		if (!snap_wl_key_cmp(&s->wl[i].key, key))
			return &s->wl[i];
	if (grow((void **)&s->wl, &s->alloc_wl, s->n_wl, sizeof(*s->wl)))
		return NULL;
	w = &s->wl[s->n_wl++];
	memset(w, 0, sizeof(*w));
	w->key = *key;
	return w;
}

struct snap_dbc *snap_add_dbc(struct snapshot *s, uint32_t dev, uint32_t dbc)
{
	struct snap_dbc probe, *d;
	size_t i;

	probe.key.dev = dev;
	probe.key.dbc = dbc;
	d = bsearch(&probe, s->dbc, s->sorted_dbc, sizeof(*s->dbc), dbc_cmp);
	if (d)
		return d;
	for (i = s->sorted_dbc; i < s->n_dbc; i++)
		if (!dbc_key_cmp(&s->dbc[i].key, &probe.key))
			return &s->dbc[i];
	if (grow((void **)&s->dbc, &s->alloc_dbc, s->n_dbc, sizeof(*s->dbc)))
		return NULL;
	d = &s->dbc[s->n_dbc++];
	memset(d, 0, sizeof(*d));
	d->key = probe.key;
	return d;
}

void snap_sort(struct snapshot *s)
{
	if (s->n_wl)
		qsort(s->wl, s->n_wl, sizeof(*s->wl), wl_cmp);
	if (s->n_dbc)
		qsort(s->dbc, s->n_dbc, sizeof(*s->dbc), dbc_cmp);
	s->sorted_wl = s->n_wl;
	s->sorted_dbc = s->n_dbc;
}

int snap_add_inflight(struct snapshot *s, const struct qp_req_key *key, const struct qp_req *req)
{
	struct snap_dbc *d = snap_add_dbc(s, key->dev, key->dbc);

	if (!d)
		return -ENOMEM;
	if (!d->inflight || req->submit_ts < d->oldest.submit_ts)
		d->oldest = *req;
	d->inflight++;
	d->inflight_bytes += req->bytes;
	return 0;
}

const struct snap_workload *snap_find_wl(const struct snapshot *s, const struct qp_wl_key *key)
{
	struct snap_workload probe;

	probe.key = *key;
	return bsearch(&probe, s->wl, s->sorted_wl, sizeof(*s->wl), wl_cmp);
}

const struct snap_dbc *snap_find_dbc(const struct snapshot *s, uint32_t dev, uint32_t dbc)
{
	struct snap_dbc probe;

	probe.key.dev = dev;
	probe.key.dbc = dbc;
	return bsearch(&probe, s->dbc, s->sorted_dbc, sizeof(*s->dbc), dbc_cmp);
}

/* ---- counters ---- */

void snap_stats_add(struct qp_wl_stats *dst, const struct qp_wl_stats *src)
{
	int i;

	dst->executes += src->executes;
	dst->errors += src->errors;
	dst->waits += src->waits;
	for (i = 0; i < QP_DIR_N; i++) {
		dst->enq[i] += src->enq[i];
		dst->enq_bytes[i] += src->enq_bytes[i];
		dst->done[i] += src->done[i];
		dst->done_bytes[i] += src->done_bytes[i];
	}
	for (i = 0; i < QP_STAGE_N; i++)
		dst->lat_sum_ns[i] += src->lat_sum_ns[i];
	if (!dst->comm[0])
		memcpy(dst->comm, src->comm, sizeof(dst->comm));
}

/* *out = a - b; returns 1 if b > a (the counter went backwards). */
static int sub(__u64 *out, __u64 a, __u64 b)
{
	*out = a - b;
	return b > a;
}

int snap_stats_sub(struct qp_wl_stats *out, const struct qp_wl_stats *newer,
		   const struct qp_wl_stats *older)
{
	int back = 0, i;

	back |= sub(&out->executes, newer->executes, older->executes);
	back |= sub(&out->errors, newer->errors, older->errors);
	back |= sub(&out->waits, newer->waits, older->waits);
	for (i = 0; i < QP_DIR_N; i++) {
		back |= sub(&out->enq[i], newer->enq[i], older->enq[i]);
		back |= sub(&out->enq_bytes[i], newer->enq_bytes[i], older->enq_bytes[i]);
		back |= sub(&out->done[i], newer->done[i], older->done[i]);
		back |= sub(&out->done_bytes[i], newer->done_bytes[i], older->done_bytes[i]);
	}
	for (i = 0; i < QP_STAGE_N; i++)
		back |= sub(&out->lat_sum_ns[i], newer->lat_sum_ns[i], older->lat_sum_ns[i]);
	memmove(out->comm, newer->comm, sizeof(out->comm));
	return back;
}

void snap_stats_merge_percpu(struct qp_wl_stats *dst, const void *percpu, unsigned int ncpus,
			     size_t stride)
{
	const char *p = percpu;
	unsigned int cpu;

	memset(dst, 0, sizeof(*dst));
	for (cpu = 0; cpu < ncpus; cpu++) {
		struct qp_wl_stats one;

		memcpy(&one, p + (size_t)cpu * stride, sizeof(one));
		snap_stats_add(dst, &one);
	}
}

/* The cumulative fields of a DBC's state differenced, the rest from newer; 1 if backwards. */
static int dbc_state_sub(struct qp_dbc_state *out, const struct qp_dbc_state *newer,
			 const struct qp_dbc_state *older)
{
	struct qp_dbc_state d = *newer;
	int back = 0;

	back |= sub(&d.enqueued, newer->enqueued, older->enqueued);
	back |= sub(&d.completed, newer->completed, older->completed);
	back |= sub(&d.busy_ns, newer->busy_ns, older->busy_ns);
	back |= sub(&d.irqs, newer->irqs, older->irqs);
	*out = d;
	return back;
}

/* ---- intervals ---- */

static void wl_delta(struct snapshot *out, struct snap_workload *o, const struct snap_workload *n,
		     const struct snap_workload *old)
{
	int s;

	*o = *n;
	if (!old) {
		o->is_new = 1;
		return;
	}
	if (snap_stats_sub(&o->stats, &n->stats, &old->stats)) {
		o->stats = n->stats;	/* restarted: all of it is new */
		o->is_new = 1;
		out->n_restarted++;
		return;
	}
	for (s = 0; s < QP_STAGE_N; s++)
		hist_delta(&o->hist[s], &n->hist[s], &old->hist[s]);
	o->is_new = 0;
}

static void dbc_delta(struct snapshot *out, struct snap_dbc *o, const struct snap_dbc *n,
		      const struct snap_dbc *old)
{
	*o = *n;
	o->is_new = !old || !old->has_state;
	if (o->is_new || !n->has_state)
		return;
	if (dbc_state_sub(&o->state, &n->state, &old->state)) {
		o->state = n->state;
		o->is_new = 1;
		out->n_restarted++;
	}
}

int snap_delta(struct snapshot *out, const struct snapshot *newer, const struct snapshot *older)
{
	size_t i = 0, j = 0;
	int c, back = 0;

	snap_init(out);
	out->ts_ns = newer->ts_ns;
	out->ts_end_ns = newer->ts_end_ns;
	out->since_ns = older->ts_ns;
	for (c = 0; c < QP_CNT_N; c++)
		back |= newer->counters[c] < older->counters[c];
	for (c = 0; c < QP_CNT_N; c++)
		out->counters[c] = newer->counters[c] - (back ? 0 : older->counters[c]);

	out->wl = malloc((newer->n_wl ? newer->n_wl : 1) * sizeof(*out->wl));
	out->dbc = malloc((newer->n_dbc ? newer->n_dbc : 1) * sizeof(*out->dbc));
	if (!out->wl || !out->dbc) {
		snap_free(out);
		return -ENOMEM;
	}
	out->alloc_wl = newer->n_wl ? newer->n_wl : 1;
	out->alloc_dbc = newer->n_dbc ? newer->n_dbc : 1;

	/* both sorted: walk them side by side */
	while (i < newer->n_wl) {
		c = j < older->n_wl ? snap_wl_key_cmp(&newer->wl[i].key, &older->wl[j].key) : -1;
		if (c > 0) {
			out->n_vanished++;
			j++;
			continue;
		}
		wl_delta(out, &out->wl[out->n_wl++], &newer->wl[i], c == 0 ? &older->wl[j] : NULL);
		i++;
		j += c == 0;
	}
	out->n_vanished += older->n_wl - j;

	for (i = 0, j = 0; i < newer->n_dbc; i++) {
		while (j < older->n_dbc && dbc_key_cmp(&older->dbc[j].key, &newer->dbc[i].key) < 0)
			j++;
		c = j < older->n_dbc ? dbc_key_cmp(&newer->dbc[i].key, &older->dbc[j].key) : -1;
		dbc_delta(out, &out->dbc[out->n_dbc++], &newer->dbc[i],
			  c == 0 ? &older->dbc[j] : NULL);
	}
	out->sorted_wl = out->n_wl;
	out->sorted_dbc = out->n_dbc;
	return 0;
}

uint64_t snap_interval_ns(const struct snapshot *s)
{
	return s->since_ns && s->ts_ns > s->since_ns ? s->ts_ns - s->since_ns : 0;
}

double snap_rate(const struct snapshot *s, uint64_t n)
{
	uint64_t iv = snap_interval_ns(s);

	return iv ? (double)n * 1e9 / (double)iv : NAN;
}
