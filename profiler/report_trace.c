// SPDX-License-Identifier: MIT
/* A recording's records as a report's view (report_trace.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"
#include "report_trace.h"

static int filtered_out(const struct prof_filter *f, uint32_t dev, uint32_t dbc, uint32_t tgid,
			uint64_t cgroup)
{
	if (!f)
		return 0;
	return (f->dev >= 0 && (uint32_t)f->dev != dev) ||
	       (f->dbc >= 0 && (uint32_t)f->dbc != dbc) ||
	       (f->tgid > 0 && (uint32_t)f->tgid != tgid) ||
	       (f->cgroup && f->cgroup != cgroup);
}

static struct qp_wl_key wl_key(uint32_t dev, uint32_t dbc, uint32_t tgid, uint64_t cgroup)
{
	struct qp_wl_key k;

	memset(&k, 0, sizeof(k));
	k.dev = dev;
	k.dbc = dbc;
	k.tgid = tgid;
	k.cgroup = cgroup;
	return k;
}

static void add_stage(struct snap_workload *w, unsigned int stage, uint64_t ns)
{
	w->hist[stage].slots[qp_hist_slot(ns)]++;
	w->stats.lat_sum_ns[stage] += ns;
}

/* One request's counts, as bpf/qaic_prof.bpf.c makes them. */
static void count_req(struct snap_workload *w, const struct trace_req *q)
{
	uint32_t d = q->dir == QP_DIR_OUT ? QP_DIR_OUT : QP_DIR_IN;
	unsigned int s;
	uint64_t ns;

	w->stats.enq[d]++;
	w->stats.enq_bytes[d] += q->bytes;
	if (q->flags & TRACE_REQ_COMPLETED) {
		w->stats.done[d]++;
		w->stats.done_bytes[d] += q->bytes;
		if (q->status)
			w->stats.errors++;
	}
	if ((q->flags & TRACE_REQ_WAITED) && q->wait_result == 0)
		w->stats.waits++;
	for (s = 0; s < QP_STAGE_N; s++)
		if (trace_req_stage_ns(q, s, &ns))
			add_stage(w, s, ns);
	if ((q->flags & TRACE_REQ_ENQUEUED) && q->comm[0])
		memcpy(w->stats.comm, q->comm, sizeof(w->stats.comm));
}

struct busy_span {
	uint32_t dev, dbc;
	uint64_t start, end;
};

static int span_cmp(const void *pa, const void *pb)
{
	const struct busy_span *a = pa, *b = pb;

	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->dbc != b->dbc)
		return a->dbc < b->dbc ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return 0;
}

/* Each DBC's busy time: the union of its spans. */
static int add_busy(struct snapshot *out, struct busy_span *sp, size_t n)
{
	size_t i = 0, j;

	qsort(sp, n, sizeof(*sp), span_cmp);
	while (i < n) {
		struct snap_dbc *dbc = snap_add_dbc(out, sp[i].dev, sp[i].dbc);
		uint64_t end = 0;

		if (!dbc)
			return -ENOMEM;
		dbc->has_state = 1;
		for (j = i; j < n && sp[j].dev == sp[i].dev && sp[j].dbc == sp[i].dbc; j++) {
			uint64_t start = sp[j].start > end ? sp[j].start : end;

			if (sp[j].end > start) {
				dbc->state.busy_ns += sp[j].end - start;
				end = sp[j].end;
			}
			dbc->state.completed++;
		}
		i = j;
	}
	return 0;
}

int report_trace_view(struct snapshot *out, const struct trace_model *m,
		      const struct prof_filter *f, uint64_t *unattributed)
{
	struct busy_span *spans = NULL;
	struct snap_workload *w;
	size_t i, n_spans = 0;
	int ret = -ENOMEM;

	snap_init(out);
	*unattributed = 0;
	out->since_ns = m->first_ts;
	out->ts_ns = m->last_ts;
	out->ts_end_ns = m->last_ts;
	for (i = 0; i < m->n_execs; i++) {
		const struct trace_exec *e = &m->execs[i];
		struct qp_wl_key k = wl_key(e->dev, e->dbc, e->tgid, e->cgroup);

		if (filtered_out(f, e->dev, e->dbc, e->tgid, e->cgroup))
			continue;
		w = snap_add_wl(out, &k);
		if (!w)
			goto out;
		w->stats.executes++;
		if (!w->stats.comm[0])
			memcpy(w->stats.comm, e->comm, sizeof(w->stats.comm));
	}
	if (m->n_reqs) {
		spans = calloc(m->n_reqs, sizeof(*spans));
		if (!spans)
			goto out;
	}
	for (i = 0; i < m->n_reqs; i++) {
		const struct trace_req *q = &m->reqs[i];
		struct qp_wl_key k = wl_key(q->dev, q->dbc, q->tgid, q->cgroup);
		const uint32_t rang = TRACE_REQ_DOORBELL | TRACE_REQ_COMPLETED;

		if (!(q->flags & TRACE_REQ_OWNER)) {
			(*unattributed)++;
			continue;
		}
		if (filtered_out(f, q->dev, q->dbc, q->tgid, q->cgroup))
			continue;
		w = snap_add_wl(out, &k);
		if (!w)
			goto out;
		count_req(w, q);
		if ((q->flags & rang) == rang && q->doorbell_ts && q->doorbell_ts >= q->submit_ts &&
		    q->seen_ts >= q->doorbell_ts)
			spans[n_spans++] = (struct busy_span){ q->dev, q->dbc, q->doorbell_ts,
							       q->seen_ts };
	}
	if (add_busy(out, spans, n_spans))
		goto out;
	snap_sort(out);
	ret = 0;
out:
	free(spans);
	return ret;
}

/* Each workload's device stage per BO direction. */
static int add_dir_device(struct report *r, const struct trace_model *m,
			  const struct prof_filter *f)
{
	struct snap_workload *acc = calloc(QP_DIR_N, sizeof(*acc));
	size_t k, i;
	uint32_t d;
	uint64_t ns;

	if (!acc)
		return -ENOMEM;
	for (k = 0; k < r->n_wl; k++) {
		struct report_wl *w = &r->wl[k];

		memset(acc, 0, QP_DIR_N * sizeof(*acc));
		for (i = 0; i < m->n_reqs; i++) {
			const struct trace_req *q = &m->reqs[i];

			if (!(q->flags & TRACE_REQ_OWNER) || q->dev != w->key.dev ||
			    q->dbc != w->key.dbc || q->tgid != w->key.tgid ||
			    q->cgroup != w->key.cgroup ||
			    filtered_out(f, q->dev, q->dbc, q->tgid, q->cgroup) ||
			    !trace_req_stage_ns(q, QP_STAGE_DEVICE, &ns))
				continue;
			d = q->dir == QP_DIR_OUT ? QP_DIR_OUT : QP_DIR_IN;
			add_stage(&acc[d], QP_STAGE_DEVICE, ns);
		}
		for (d = 0; d < QP_DIR_N; d++)
			stage_stats(&acc[d], QP_STAGE_DEVICE, &w->device_dir[d]);
		w->has_dir_device = 1;
	}
	free(acc);
	return 0;
}

static int req_fifo_cmp(const void *pa, const void *pb, void *reqs)
{
	const struct trace_req *a = (const struct trace_req *)reqs + *(const size_t *)pa;
	const struct trace_req *b = (const struct trace_req *)reqs + *(const size_t *)pb;

	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->dbc != b->dbc)
		return a->dbc < b->dbc ? -1 : 1;
	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	return 0;
}

static struct report_wl *find_wl(struct report *r, const struct trace_req *q)
{
	size_t i;

	for (i = 0; i < r->n_wl; i++) {
		const struct qp_wl_key *k = &r->wl[i].key;

		if (k->dev == q->dev && k->dbc == q->dbc && k->tgid == q->tgid &&
		    k->cgroup == q->cgroup)
			return &r->wl[i];
	}
	return NULL;
}

/*
 * Each workload's output BOs' time on the card past the BO before each in
 * its DBC's FIFO (seq order): from the later of its doorbell and that BO's
 * response seen, to its own response seen.
 */
static int add_out_side(struct report *r, const struct trace_model *m,
			const struct prof_filter *f)
{
	size_t *order = malloc((m->n_reqs ? m->n_reqs : 1) * sizeof(*order));
	const struct trace_req *prev = NULL;
	size_t i;

	if (!order)
		return -ENOMEM;
	for (i = 0; i < m->n_reqs; i++)
		order[i] = i;
	qsort_r(order, m->n_reqs, sizeof(*order), req_fifo_cmp, m->reqs);
	for (i = 0; i < r->n_wl; i++)
		r->wl[i].has_out_side = 1;
	for (i = 0; i < m->n_reqs; i++) {
		const struct trace_req *q = &m->reqs[order[i]];
		struct report_wl *w;
		uint64_t start, ns;

		if (prev && (prev->dev != q->dev || prev->dbc != q->dbc))
			prev = NULL;
		if ((q->flags & TRACE_REQ_OWNER) && q->dir == QP_DIR_OUT &&
		    !filtered_out(f, q->dev, q->dbc, q->tgid, q->cgroup) &&
		    trace_req_stage_ns(q, QP_STAGE_DEVICE, &ns) && (w = find_wl(r, q))) {
			start = q->doorbell_ts;
			if (prev && prev->seq + 1 == q->seq && (prev->flags & TRACE_REQ_COMPLETED) &&
			    prev->seen_ts > start)
				start = prev->seen_ts;
			if (q->seen_ts > start)
				w->out_side_ns += q->seen_ts - start;
		}
		prev = q;
	}
	free(order);
	return 0;
}

int report_from_trace(struct report *r, const struct trace_model *m,
		      const struct prof_filter *f, const struct report_inputs *in)
{
	struct snapshot view;
	uint64_t unattributed;
	int ret;

	ret = report_trace_view(&view, m, f, &unattributed);
	if (!ret)
		ret = report_build(r, &view, in);
	snap_free(&view);
	if (ret)
		return ret;
	r->has_trace_counts = 1;
	r->trace = m->counts;
	r->unattributed = unattributed;
	ret = add_dir_device(r, m, f);
	if (!ret)
		ret = add_out_side(r, m, f);
	if (ret)
		return ret;
	report_compute(r);
	return 0;
}
