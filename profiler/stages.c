// SPDX-License-Identifier: MIT
#include <math.h>
#include <string.h>

#include "hist.h"
#include "json_writer.h"
#include "snapshot.h"
#include "stages.h"

const double stage_pcts[STAGE_NPCT] = { 50, 90, 99, 99.9 };
const char *const stage_pct_names[STAGE_NPCT] = { "p50", "p90", "p99", "p99.9" };
const char *const stage_pct_keys[STAGE_NPCT] = { "p50_ns", "p90_ns", "p99_ns", "p999_ns" };

static const struct {
	const char *name;
	const char *title;
} stages[QP_STAGE_N] = {
	[QP_STAGE_SUBMIT] = { "submit", "execute ioctl entry to doorbell" },
	[QP_STAGE_DEVICE] = { "device", "doorbell to response seen (queue + DMA + compute)" },
	[QP_STAGE_COMPLETE] = { "complete", "response seen to BO completed (IRQ thread)" },
	[QP_STAGE_WAKEUP] = { "wakeup", "BO completed to WAIT_BO returned" },
	[QP_STAGE_E2E] = { "e2e", "execute ioctl entry to WAIT_BO returned" },
};

const char *stage_name(unsigned int stage)
{
	return stage < QP_STAGE_N ? stages[stage].name : NULL;
}

const char *stage_title(unsigned int stage)
{
	return stage < QP_STAGE_N ? stages[stage].title : NULL;
}

int stage_parse(const char *s)
{
	int found = -1;
	size_t n = strlen(s);
	unsigned int i;

	if (!n)
		return -1;
	for (i = 0; i < QP_STAGE_N; i++) {
		if (!strcmp(s, stages[i].name))
			return (int)i;
		if (!strncmp(s, stages[i].name, n)) {
			if (found >= 0)
				return -1;	/* ambiguous */
			found = (int)i;
		}
	}
	return found;
}

void stage_stats(const struct snap_workload *w, unsigned int stage, struct stage_stats *out)
{
	const struct qp_hist *h = &w->hist[stage];
	unsigned int i;
	int s;

	memset(out, 0, sizeof(*out));
	out->count = hist_count(h);
	out->mean_ns = hist_mean(w->stats.lat_sum_ns[stage], out->count);
	for (i = 0; i < STAGE_NPCT; i++)
		out->pct_ns[i] = hist_percentile(h, stage_pcts[i]);
	for (s = QP_HIST_SLOTS - 1; s >= 0; s--) {
		if (h->slots[s]) {
			out->max_ns = hist_slot_high((uint32_t)s);
			break;
		}
	}
}

void stage_stats_json(struct json_writer *jw, const struct stage_stats *st)
{
	unsigned int i;

	jw_object_begin(jw);
	jw_kv_uint(jw, "count", st->count);
	jw_kv_double(jw, "mean_ns", st->mean_ns);
	for (i = 0; i < STAGE_NPCT; i++)
		jw_kv_double(jw, stage_pct_keys[i], st->pct_ns[i]);
	if (st->count)
		jw_kv_uint(jw, "max_bound_ns", st->max_ns);
	else
		jw_kv_null(jw, "max_bound_ns");
	jw_object_end(jw);
}
