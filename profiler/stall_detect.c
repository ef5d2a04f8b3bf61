// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stall_detect.h"

void stall_tracker_init(struct stall_tracker *tr, uint64_t threshold_ns)
{
	memset(tr, 0, sizeof(*tr));
	tr->threshold_ns = threshold_ns;
}

void stall_tracker_free(struct stall_tracker *tr)
{
	free(tr->t);
	memset(tr, 0, sizeof(*tr));
}

void stall_round_begin(struct stall_tracker *tr)
{
	size_t i;

	for (i = 0; i < tr->n; i++)
		tr->t[i].seen = false;
}

static struct stall_track *track_of(struct stall_tracker *tr, const struct stall_obs *o)
{
	struct stall_track *t;
	size_t i;

	for (i = 0; i < tr->n; i++)
		if (tr->t[i].dev == o->dev && tr->t[i].dbc == o->dbc)
			return &tr->t[i];
	if (tr->n == tr->alloc) {
		size_t alloc = tr->alloc ? 2 * tr->alloc : 32;

		t = realloc(tr->t, alloc * sizeof(*t));
		if (!t)
			return NULL;
		tr->t = t;
		tr->alloc = alloc;
	}
	t = &tr->t[tr->n++];
	memset(t, 0, sizeof(*t));
	t->dev = o->dev;
	t->dbc = o->dbc;
	t->watch_ns = o->watch_ns;
	return t;
}

/* newer - older of a counter; 0 if it went backwards (re-created). */
static uint64_t counter_delta(uint64_t newer, uint64_t older)
{
	return newer >= older ? newer - older : 0;
}

static void progress_at(struct stall_track *t, uint64_t ts, enum stall_src src, bool exact)
{
	if (!t->progress_known || ts > t->progress_ns) {
		t->progress_known = true;
		t->progress_exact = exact;
		t->progress_ns = ts;
		t->progress_src = src;
	}
}

/*
 * Learn from the counters when the DBC last made progress. A completion
 * the BPF side paired, or the driver's debugfs dates, has its exact time;
 * progress only the driver's counters show is dated by the read that
 * showed it.
 */
static void update_progress(struct stall_track *t, const struct stall_obs *o)
{
	const struct snap_dbc *b = o->bpf && o->bpf->has_state ? o->bpf : NULL;
	const struct dbc_dfs *d = o->dfs;
	uint64_t bpf_done = 0, bpf_irqs = 0, dfs_done = 0, dfs_irqs = 0;
	bool dfs_dated = d && d->has_last_completion;

	if (d && t->have_dfs && (d->completed < t->dfs_completed || d->irqs < t->dfs_irqs)) {
		/* the driver's counters restarted (driver reloaded): start over */
		t->watch_ns = o->now_ns;
		t->progress_known = false;
		t->history_known = false;
		t->have_dfs = false;
	}
	if (b) {
		/* the BPF maps begin empty when qaic-prof attaches: first seen, all is new */
		bpf_done = counter_delta(b->state.completed, t->have_bpf ? t->bpf_completed : 0);
		bpf_irqs = counter_delta(b->state.irqs, t->have_bpf ? t->bpf_irqs : 0);
		if (b->state.completed && b->state.last_seen_ts)
			progress_at(t, b->state.last_seen_ts < o->now_ns ? b->state.last_seen_ts :
				    o->now_ns, STALL_SRC_BPF, true);
		t->have_bpf = true;
		t->bpf_completed = b->state.completed;
		t->bpf_irqs = b->state.irqs;
	}
	if (d) {
		if (t->have_dfs) {
			dfs_done = counter_delta(d->completed, t->dfs_completed);
			dfs_irqs = counter_delta(d->irqs, t->dfs_irqs);
		}
		t->have_dfs = true;
		t->dfs_completed = d->completed;
		t->dfs_irqs = d->irqs;
	}
	if (dfs_dated) {
		/*
		 * The driver's own time of its newest completion, whenever it
		 * was; 0: none since the DBC was assigned, before which nothing
		 * queued now was submitted. The completions the counters show
		 * need no dating by the read; interrupts that completed nothing
		 * still do.
		 */
		t->history_known = true;
		if (d->last_completion_ns)
			progress_at(t, d->last_completion_ns < o->now_ns ? d->last_completion_ns :
				    o->now_ns, STALL_SRC_DEBUGFS, true);
		if (dfs_done)
			return;
	}
	if (dfs_done > bpf_done || (dfs_irqs && !bpf_done))
		progress_at(t, o->dfs_t1 < o->now_ns ? o->dfs_t1 : o->now_ns, STALL_SRC_DEBUGFS,
			    false);
	else if (bpf_irqs && !bpf_done)
		progress_at(t, o->bpf_ts_ns < o->now_ns ? o->bpf_ts_ns : o->now_ns, STALL_SRC_BPF,
			    false);
}

static void copy_comm(char *dst, const char *src)
{
	size_t n = src ? strnlen(src, 15) : 0;

	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

static void fill_owner(struct stall_report *r, const struct stall_obs *o)
{
	const struct snap_dbc *b = o->bpf;
	const struct dbc_dfs *d = o->dfs;

	if (b && b->inflight && b->oldest.wl.tgid) {
		r->pid = b->oldest.wl.tgid;
		if (o->bpf_comm && o->bpf_comm[0])
			copy_comm(r->comm, o->bpf_comm);
		else if (b->has_state && b->state.owner_tgid == r->pid)
			copy_comm(r->comm, b->state.owner_comm);
		r->cgroup_known = true;
		r->cgroup = b->oldest.wl.cgroup;
		r->owner_src = r->cgroup_src = STALL_SRC_BPF;
	} else if (d && d->assigned) {
		r->pid = (uint32_t)d->owner_tgid;
		copy_comm(r->comm, d->owner_comm);
		r->owner_src = STALL_SRC_DEBUGFS;
		if (b && b->has_state && b->state.owner_tgid == r->pid) {
			r->cgroup_known = true;
			r->cgroup = b->state.owner_cgroup;
			r->cgroup_src = STALL_SRC_BPF;
		}
	} else if (b && b->has_state && b->state.owner_tgid) {
		r->pid = b->state.owner_tgid;
		copy_comm(r->comm, b->state.owner_comm);
		r->cgroup_known = true;
		r->cgroup = b->state.owner_cgroup;
		r->owner_src = r->cgroup_src = STALL_SRC_BPF;
	}
}

static void fill_queue(struct stall_report *r, const struct stall_obs *o)
{
	const struct snap_dbc *b = o->bpf;
	const struct dbc_dfs *d = o->dfs;

	if (b)
		r->bpf_in_flight = b->inflight;
	if (d) {
		/* the driver's queue itself: also what was queued before qaic-prof */
		r->in_flight = d->queued_bos;
		r->in_flight_src = STALL_SRC_DEBUGFS;
		r->elements_known = true;
		r->queued_elements = d->queued_elements;
		if (d->queued_bos && d->has_oldest) {
			/* its doorbell, at the latest (the driver read its clock before t1) */
			uint64_t hi = o->dfs_t1 > d->oldest_age_ns ?
				      o->dfs_t1 - d->oldest_age_ns : 0;

			r->oldest_known = true;
			r->oldest_seq_known = true;
			r->oldest_seq = d->oldest_seq;
			if (b && b->inflight && b->oldest.submit_ts && b->oldest.submit_ts <= hi) {
				/*
				 * BPF saw the driver's oldest submitted (the ioctl entered
				 * before that doorbell): its exact time, as the events have it
				 */
				r->oldest_submit_ns = b->oldest.submit_ts;
				r->oldest_src = STALL_SRC_BPF;
			} else {
				r->oldest_submit_ns = hi;
				r->oldest_src = STALL_SRC_DEBUGFS;
			}
		}
	} else if (b) {
		r->in_flight = b->inflight;
		r->in_flight_src = STALL_SRC_BPF;
		if (b->inflight && b->oldest.submit_ts) {
			r->oldest_known = true;
			r->oldest_submit_ns = b->oldest.submit_ts;
			r->oldest_src = STALL_SRC_BPF;
		}
	}
	if (r->oldest_known)
		r->oldest_age_ns = r->ts_ns > r->oldest_submit_ns ?
				   r->ts_ns - r->oldest_submit_ns : 0;
}

static void fill_fifo(struct stall_report *r, const struct stall_obs *o)
{
	const struct snap_dbc *b = o->bpf;
	const struct dbc_dfs *d = o->dfs;

	if (d && d->has_fifo) {
		r->fifo_src = STALL_SRC_DEBUGFS;
		r->fifo_size = d->fifo_size;
		r->req_head_known = true;
		r->req_head = d->req_head;
		r->req_tail = d->req_tail;
		r->rsp_known = true;
		r->rsp_head = d->rsp_head;
		r->rsp_tail = d->rsp_tail;
	} else if (b && b->has_state) {
		r->fifo_src = STALL_SRC_BPF;
		r->req_tail = b->state.last_tail;
		r->rsp_known = b->state.irqs != 0;
		r->rsp_head = b->state.rsp_head;
		r->rsp_tail = b->state.rsp_tail;
	}
}

static void fill_since(struct stall_report *r, const struct stall_track *t)
{
	uint64_t submit = r->oldest_known ? r->oldest_submit_ns : 0;

	r->watch_ns = t->watch_ns;
	r->completion_known = t->progress_known;
	r->completion_exact = t->progress_known && t->progress_exact;
	r->last_completion_ns = t->progress_ns;
	r->completion_src = t->progress_known ? t->progress_src : STALL_SRC_NONE;
	if (t->progress_known && t->progress_ns >= submit) {
		r->since = STALL_SINCE_COMPLETION;
		r->since_ns = t->progress_ns;
	} else if (!t->progress_known && (!t->history_known || !r->oldest_known) &&
		   t->watch_ns > submit) {
		/* the last completion, if any, is before watching began: unknown */
		r->since = STALL_SINCE_WATCH;
		r->since_ns = t->watch_ns;
	} else {
		r->since = STALL_SINCE_SUBMIT;
		r->since_ns = submit;
	}
	r->no_progress_ns = r->ts_ns > r->since_ns ? r->ts_ns - r->since_ns : 0;
}

int stall_observe(struct stall_tracker *tr, const struct stall_obs *o, struct stall_report *out)
{
	struct stall_track *t = track_of(tr, o);
	struct stall_report r;
	bool stalled;

	if (!t)
		return -ENOMEM;
	t->seen = true;
	update_progress(t, o);

	memset(&r, 0, sizeof(r));
	r.dev = o->dev;
	r.dbc = o->dbc;
	r.ts_ns = o->now_ns;
	r.threshold_ns = tr->threshold_ns;
	fill_owner(&r, o);
	fill_queue(&r, o);
	fill_fifo(&r, o);
	fill_since(&r, t);
	stalled = r.in_flight && r.no_progress_ns > tr->threshold_ns;

	if (stalled) {
		bool first = !t->stalled;

		if (!first) {	/* one stall: keep where it began, and what was found of it */
			r.since = t->report.since;
			r.since_ns = t->report.since_ns;
			r.no_progress_ns = r.ts_ns > r.since_ns ? r.ts_ns - r.since_ns : 0;
			if (!r.cgroup_known && t->report.cgroup_known && t->report.pid == r.pid) {
				r.cgroup_known = true;
				r.cgroup = t->report.cgroup;
				r.cgroup_src = t->report.cgroup_src;
			}
		}
		t->stalled = true;
		t->report = r;
		*out = r;
		return first ? STALL_EV_START : STALL_EV_ONGOING;
	}
	if (!t->stalled) {
		*out = r;
		return STALL_EV_NONE;
	}

	/* It ended: say how, and how long it lasted. */
	t->stalled = false;
	*out = t->report;
	out->ts_ns = o->now_ns;
	out->cleared_ns = o->now_ns;
	if (o->dfs && !o->dfs->assigned) {
		out->reason = STALL_CLEAR_RELEASED;
	} else if (t->progress_known && (!t->report.completion_known ||
					 t->progress_ns > t->report.last_completion_ns)) {
		out->reason = STALL_CLEAR_PROGRESS;
		if (t->progress_exact && t->progress_ns > out->since_ns)
			out->cleared_ns = t->progress_ns;
	} else {
		out->reason = STALL_CLEAR_DRAINED;
	}
	out->duration_ns = out->cleared_ns > out->since_ns ? out->cleared_ns - out->since_ns : 0;
	return STALL_EV_CLEAR;
}

int stall_round_next_gone(struct stall_tracker *tr, uint64_t now_ns, struct stall_report *out)
{
	size_t i;

	for (i = 0; i < tr->n; i++) {
		struct stall_track *t = &tr->t[i];

		if (t->seen || !t->stalled)
			continue;
		t->stalled = false;
		*out = t->report;
		out->ts_ns = out->cleared_ns = now_ns;
		out->reason = STALL_CLEAR_GONE;
		out->duration_ns = now_ns > out->since_ns ? now_ns - out->since_ns : 0;
		return 1;
	}
	return 0;
}

struct stall_report *stall_kept_report(struct stall_tracker *tr, uint32_t dev, uint32_t dbc)
{
	size_t i;

	for (i = 0; i < tr->n; i++)
		if (tr->t[i].dev == dev && tr->t[i].dbc == dbc)
			return tr->t[i].stalled ? &tr->t[i].report : NULL;
	return NULL;
}

size_t stall_count(const struct stall_tracker *tr)
{
	size_t i, n = 0;

	for (i = 0; i < tr->n; i++)
		n += tr->t[i].stalled;
	return n;
}

const char *stall_src_name(enum stall_src s)
{
	switch (s) {
	case STALL_SRC_BPF:
		return "bpf";
	case STALL_SRC_DEBUGFS:
		return "debugfs";
	case STALL_SRC_PROC:
		return "proc";
	default:
		return "none";
	}
}

const char *stall_since_name(enum stall_since s)
{
	switch (s) {
	case STALL_SINCE_SUBMIT:
		return "oldest_submit";
	case STALL_SINCE_COMPLETION:
		return "last_completion";
	default:
		return "watch_start";
	}
}

const char *stall_clear_name(enum stall_clear c)
{
	switch (c) {
	case STALL_CLEAR_PROGRESS:
		return "progress";
	case STALL_CLEAR_DRAINED:
		return "drained";
	case STALL_CLEAR_RELEASED:
		return "released";
	default:
		return "gone";
	}
}

const char *stall_fifo_hint(const struct stall_report *r)
{
	uint32_t n = r->fifo_size, rsp, req;

	if (r->fifo_src != STALL_SRC_DEBUGFS || !n)
		return NULL;
	rsp = (r->rsp_tail + n - r->rsp_head) % n;
	req = (r->req_tail + n - r->req_head) % n;
	if (rsp)
		return "the card wrote responses the driver has not taken (a lost interrupt?)";
	if (req)
		return "the card has not finished the queued requests (device busy or blocked)";
	return "both FIFOs are empty: the card has nothing of the queued BOs (a lost request or response?)";
}
