// SPDX-License-Identifier: MIT
/*
 * The report as CSV through profiler/csv: a header, then one row per
 * workload, wide, for spreadsheets: its figures, every stage's count, mean
 * and percentiles (device_in / device_out empty when unknown), then its
 * device's figures repeated (dev_*). Latencies in the chosen unit, named in
 * the header (p99_us). The assumptions are not in it: see the other formats.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "report_render.h"
#include "workload.h"

#define CSV_STAGES	(QP_STAGE_N + QP_DIR_N)	/* five stages, device_in, device_out */

static const char *csv_stage_name(unsigned int i)
{
	return i < QP_STAGE_N ? stage_name(i) : i == QP_STAGE_N ? "device_in" : "device_out";
}

static void header(struct csv_writer *c, const char *u)
{
	static const char *const head[] = {
		"window_ns", WL_CSV_HEADER, "executes", "executes_per_sec", "bos_in", "bos_out",
		"bos_per_sec", "bytes_per_execute_in", "bytes_per_execute_out",
		"bytes_per_sec_in", "bytes_per_sec_out", "errors", NULL,
	};
	static const char *const tail[] = {
		"dbc_busy_pct", "dbc_scale_limit", "nsps_per_inference", NULL, "nsps_busy_upper", "nsps_busy_estimate", "dominant_stage",
		"dominant_share_pct", "executes_per_sec_at_headroom", "dev_link_bytes_per_sec",
		"dev_link_in_util_pct", "dev_link_out_util_pct", "dev_num_nsp",
		"dev_nsp_util_pct_upper", "dev_bottleneck", "dev_headroom",
		"dev_nsp_util_pct_estimate", "dev_headroom_estimate",
	};
	char name[48];
	unsigned int i, p;

	for (i = 0; head[i]; i++)
		csv_text(c, head[i]);
	for (i = 0; i < CSV_STAGES; i++) {
		snprintf(name, sizeof(name), "%s_count", csv_stage_name(i));
		csv_text(c, name);
		snprintf(name, sizeof(name), "%s_mean_%s", csv_stage_name(i), u);
		csv_text(c, name);
		for (p = 0; p < STAGE_NPCT; p++) {
			/* "p999_ns" less its "_ns": no dot in a column name */
			snprintf(name, sizeof(name), "%s_%.*s_%s", csv_stage_name(i),
				 (int)strlen(stage_pct_keys[p]) - 3, stage_pct_keys[p], u);
			csv_text(c, name);
		}
	}
	for (i = 0; i < sizeof(tail) / sizeof(tail[0]); i++) {
		if (tail[i]) {
			csv_text(c, tail[i]);
		} else {
			snprintf(name, sizeof(name), "compute_per_execute_upper_%s", u);
			csv_text(c, name);
		}
	}
	csv_end(c);
}

static void stage_fields(struct csv_writer *c, const struct stage_stats *st, int known,
			 double div)
{
	unsigned int p;

	if (!known) {
		for (p = 0; p < 2 + STAGE_NPCT; p++)
			csv_empty(c);
		return;
	}
	csv_uint(c, st->count);
	csv_real(c, st->count ? st->mean_ns / div : NAN, 3);
	for (p = 0; p < STAGE_NPCT; p++)
		csv_real(c, st->count ? st->pct_ns[p] / div : NAN, 3);
}

static void row(struct csv_writer *c, const struct report *r, const struct report_wl *w,
		double div)
{
	const struct report_dev *d = &r->dev[w->dev_index];
	unsigned int i;

	csv_uint(c, r->window_ns);
	csv_uint(c, w->key.dev);
	csv_uint(c, w->key.dbc);
	csv_uint(c, w->key.tgid);
	csv_text(c, w->comm);
	csv_uint(c, w->key.cgroup);
	csv_uint(c, w->executes);
	csv_real(c, w->exec_per_sec, 3);
	csv_uint(c, w->bos[QP_DIR_IN]);
	csv_uint(c, w->bos[QP_DIR_OUT]);
	csv_real(c, w->bos_per_sec, 3);
	csv_real(c, w->bytes_per_exec[QP_DIR_IN], 1);
	csv_real(c, w->bytes_per_exec[QP_DIR_OUT], 1);
	csv_real(c, w->bytes_per_sec[QP_DIR_IN], 1);
	csv_real(c, w->bytes_per_sec[QP_DIR_OUT], 1);
	csv_uint(c, w->errors);
	for (i = 0; i < QP_STAGE_N; i++)
		stage_fields(c, &w->stage[i], 1, div);
	for (i = 0; i < QP_DIR_N; i++)
		stage_fields(c, &w->device_dir[i], w->has_dir_device, div);
	csv_real(c, 100 * w->busy_frac, 3);
	csv_real(c, w->dbc_limit, 4);
	csv_uint(c, w->nsps);
	csv_real(c, w->compute_per_exec_ns / div, 3);
	csv_real(c, w->nsp_busy, 4);
	csv_real(c, w->nsp_busy_rec, 4);
	csv_text(c, w->dominant >= 0 ? stage_name((unsigned int)w->dominant) : NULL);
	csv_real(c, 100 * w->dominant_share, 2);
	csv_real(c, w->exec_per_sec_at_headroom, 3);
	if (d->info.link_known)
		csv_uint(c, d->info.link_bps);
	else
		csv_empty(c);
	csv_real(c, 100 * d->util[REPORT_RES_LINK_IN], 4);
	csv_real(c, 100 * d->util[REPORT_RES_LINK_OUT], 4);
	if (d->info.num_nsp)
		csv_uint(c, d->info.num_nsp);
	else
		csv_empty(c);
	csv_real(c, 100 * d->util[REPORT_RES_NSP], 4);
	csv_text(c, report_res_key(d->bottleneck));
	csv_real(c, d->headroom, 4);
	csv_real(c, 100 * d->nsp_util_rec, 4);
	csv_real(c, d->headroom_rec, 4);
	csv_end(c);
}

int report_render_csv(FILE *out, const struct report *r, enum prof_unit unit)
{
	double div = prof_unit_ns(unit);
	struct csv_writer c;
	size_t i;

	csv_init(&c, out);
	header(&c, prof_unit_name(unit));
	for (i = 0; i < r->n_wl; i++)
		row(&c, r, &r->wl[i], div);
	fflush(out);
	return csv_error(&c) ? -1 : 0;
}
