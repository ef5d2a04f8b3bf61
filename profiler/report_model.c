// SPDX-License-Identifier: MIT
/* The report's measured figures from a window's snapshot delta (report_model.h). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_model.h"
#include "report_nsps.h"
#include "snapshot.h"
#include "workload.h"

void report_init(struct report *r)
{
	memset(r, 0, sizeof(*r));
}

void report_free(struct report *r)
{
	free(r->wl);
	r->wl = NULL;
	r->n_wl = 0;
}

void report_note(struct report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->n_notes == REPORT_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(r->notes[r->n_notes++], REPORT_NOTE_LEN, fmt, ap);
	va_end(ap);
}

struct report_dev *report_add_dev(struct report *r, uint32_t minor)
{
	struct report_dev *d;
	unsigned int i;

	for (i = 0; i < r->n_dev; i++)
		if (r->dev[i].info.minor == minor)
			return &r->dev[i];
	if (r->n_dev == REPORT_MAX_DEVS)
		return NULL;
	d = &r->dev[r->n_dev++];
	memset(d, 0, sizeof(*d));
	d->info.minor = minor;
	d->bottleneck = -1;
	d->headroom = NAN;
	return d;
}

struct report_wl *report_add_wl(struct report *r, const struct qp_wl_key *key, const char *comm)
{
	struct report_dev *d = report_add_dev(r, key->dev);
	struct report_wl *w, *grown;

	if (!d)
		return NULL;
	grown = realloc(r->wl, (r->n_wl + 1) * sizeof(*r->wl));
	if (!grown)
		return NULL;
	r->wl = grown;
	w = &r->wl[r->n_wl++];
	memset(w, 0, sizeof(*w));
	w->key = *key;
	if (comm)
		snprintf(w->comm, sizeof(w->comm), "%s", comm);
	w->dev_index = (unsigned int)(d - r->dev);
	w->nsps = 1;
	w->nsp_rule = -1;
	w->dominant = -1;
	return w;
}

/* The device's facts: sysfs (or the test's fake), then the user's overrides. */
static void dev_facts(struct report_dev *d, const struct report_inputs *in)
{
	uint32_t minor = d->info.minor;

	if (in->devinfo && !in->devinfo(in->devinfo_ctx, minor, &d->info))
		d->found = 1;
	d->info.minor = minor;
	if (in->link_bps) {
		d->info.link_bps = in->link_bps;
		d->info.link_known = true;
		d->info.link_payload = true;	/* the user's figure is what moves */
		d->link_overridden = 1;
	}
	if (in->num_nsp) {
		d->info.num_nsp = in->num_nsp;
		d->nsp_overridden = 1;
	}
}

/*
 * A DBC's busy time belongs to whoever used it. Usually one workload per
 * DBC; when several did in one window (the DBC changed hands), split it by
 * their device-stage time, which is what the busy time is the union of.
 */
static void share_busy(struct report *r, const struct snapshot *view)
{
	size_t i, j;

	for (i = 0; i < r->n_wl; i = j) {
		struct report_wl *w = &r->wl[i];
		const struct snap_dbc *dbc = snap_find_dbc(view, w->key.dev, w->key.dbc);
		const struct snap_workload *sw;
		double total = 0, weight;
		size_t k, n;

		for (j = i; j < r->n_wl && r->wl[j].key.dev == w->key.dev &&
			    r->wl[j].key.dbc == w->key.dbc; j++) {
			sw = snap_find_wl(view, &r->wl[j].key);
			total += sw ? (double)sw->stats.lat_sum_ns[QP_STAGE_DEVICE] : 0;
		}
		n = j - i;
		if (!dbc || !dbc->has_state)
			continue;
		for (k = i; k < j; k++) {
			sw = snap_find_wl(view, &r->wl[k].key);
			weight = total > 0 && sw ?
				 (double)sw->stats.lat_sum_ns[QP_STAGE_DEVICE] / total : 1.0 / (double)n;
			r->wl[k].has_busy = 1;
			r->wl[k].busy_ns = (uint64_t)llround((double)dbc->state.busy_ns * weight);
			r->wl[k].dbc_shared = n > 1;
		}
	}
}

int report_build(struct report *r, const struct snapshot *view, const struct report_inputs *in)
{
	unsigned int d, s;
	size_t i;

	r->from_trace = in->from_trace;
	snprintf(r->source, sizeof(r->source), "%s", in->source ? in->source : "");
	r->start_ns = view->since_ns;
	r->end_ns = view->ts_ns;
	r->window_ns = snap_interval_ns(view);
	r->nsps = in->nsps;
	if (!in->from_trace) {
		r->has_counters = 1;
		memcpy(r->counters, view->counters, sizeof(r->counters));
	}
	for (i = 0; i < view->n_wl; i++) {
		const struct snap_workload *sw = &view->wl[i];
		unsigned int had = r->n_dev;
		struct report_wl *w;

		if (!wl_active(sw))
			continue;
		if (!report_add_dev(r, sw->key.dev)) {
			r->devs_dropped++;
			continue;
		}
		if (r->n_dev > had)
			dev_facts(&r->dev[r->n_dev - 1], in);
		w = report_add_wl(r, &sw->key, sw->stats.comm);
		if (!w)
			return -ENOMEM;
		w->executes = sw->stats.executes;
		w->errors = sw->stats.errors;
		w->waits = sw->stats.waits;
		for (d = 0; d < QP_DIR_N; d++) {
			w->enq[d] = sw->stats.enq[d];
			w->enq_bytes[d] = sw->stats.enq_bytes[d];
			w->bos[d] = sw->stats.done[d];
			w->bytes[d] = sw->stats.done_bytes[d];
		}
		for (s = 0; s < QP_STAGE_N; s++)
			stage_stats(sw, s, &w->stage[s]);
		if (in->nsps)
			w->nsps = report_nsps_for(in->nsps, &w->key, w->comm, &w->nsp_rule);
	}
	share_busy(r, view);
	report_compute(r);
	return 0;
}
