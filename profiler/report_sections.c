// SPDX-License-Identifier: MIT
/* The report's tables for text and Markdown (report_sections.h). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_sections.h"

/* ---- building cells ------------------------------------------------------------------ */

static struct report_section *section_new(struct report_section **all, size_t *n,
					  const struct table_col *cols, unsigned int ncols,
					  const char *title)
{
	struct report_section *grown = realloc(*all, (*n + 1) * sizeof(**all)), *s;

	if (!grown)
		return NULL;
	*all = grown;
	s = &grown[(*n)++];
	memset(s, 0, sizeof(*s));
	memcpy(s->cols, cols, ncols * sizeof(*cols));
	s->ncols = ncols;
	snprintf(s->title, sizeof(s->title), "%s", title);
	return s;
}

/* A new row's cells (all "none" until set); NULL on ENOMEM. */
static struct section_cell *section_row(struct report_section *s)
{
	struct section_cell *row;
	unsigned int i;

	if (s->nrows == s->alloc) {
		size_t alloc = s->alloc ? 2 * s->alloc : 16;
		struct section_cell *cells = realloc(s->cells, alloc * s->ncols * sizeof(*cells));

		if (!cells)
			return NULL;
		s->cells = cells;
		s->alloc = alloc;
	}
	row = &s->cells[s->nrows++ * s->ncols];
	memset(row, 0, s->ncols * sizeof(*row));
	for (i = 0; i < s->ncols; i++)
		row[i].none = 1;
	return row;
}

static void cell_uint(struct section_cell *c, uint64_t v)
{
	c->none = 0;
	c->uint = v;
}

static void cell_real(struct section_cell *c, double v)
{
	c->none = 0;
	c->real = v;
}

static void cell_text(struct section_cell *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void cell_text(struct section_cell *c, const char *fmt, ...)
{
	va_list ap;

	c->none = 0;
	va_start(ap, fmt);
	vsnprintf(c->text, sizeof(c->text), fmt, ap);
	va_end(ap);
}

void section_cell_text(const struct table_col *col, const struct section_cell *c, char *buf,
		       size_t size)
{
	if (c->none || (col->type == TABLE_REAL && !isfinite(c->real)))
		snprintf(buf, size, "-");
	else if (col->type == TABLE_REAL)
		snprintf(buf, size, "%.*f", col->decimals, c->real);
	else if (col->type == TABLE_UINT)
		snprintf(buf, size, "%" PRIu64, c->uint);
	else
		snprintf(buf, size, "%s", c->text);
}

void section_col_header(const struct table_col *col, char *buf, size_t size)
{
	if (col->unit)
		snprintf(buf, size, "%s(%s)", col->name, col->unit);
	else
		snprintf(buf, size, "%s", col->name);
}

/* The first four cells of a workload row: DEV DBC PID COMM. */
static void ident_cells(struct section_cell *row, const struct report_wl *w)
{
	cell_uint(&row[0], w->key.dev);
	cell_uint(&row[1], w->key.dbc);
	cell_uint(&row[2], w->key.tgid);
	cell_text(&row[3], "%s", w->comm);
}

#define IDENT_COLS						\
	{ .name = "DEV", .type = TABLE_UINT },			\
	{ .name = "DBC", .type = TABLE_UINT },			\
	{ .name = "PID", .type = TABLE_UINT },			\
	{ .name = "COMM", .width = 15 }

/* ---- the sections ---------------------------------------------------------------------- */

static int throughput(const struct report *r, struct report_section **all, size_t *n)
{
	static const struct table_col cols[] = {
		IDENT_COLS,
		{ .name = "CGROUP", .type = TABLE_UINT },
		{ .name = "EXECS", .type = TABLE_UINT },
		{ .name = "EXEC/s", .type = TABLE_REAL, .decimals = 1 },
		{ .name = "BOS", .type = TABLE_UINT },
		{ .name = "BO/s", .type = TABLE_REAL, .decimals = 1 },
		{ .name = "IN/EXEC", .unit = "kB", .type = TABLE_REAL, .decimals = 1 },
		{ .name = "OUT/EXEC", .unit = "kB", .type = TABLE_REAL, .decimals = 1 },
		{ .name = "IN", .unit = "MB/s", .type = TABLE_REAL, .decimals = 2 },
		{ .name = "OUT", .unit = "MB/s", .type = TABLE_REAL, .decimals = 2 },
		{ .name = "ERRORS", .type = TABLE_UINT },
	};
	struct report_section *s = section_new(all, n, cols, sizeof(cols) / sizeof(cols[0]),
					       "Throughput per workload");
	size_t i;

	if (!s)
		return -ENOMEM;
	for (i = 0; i < r->n_wl; i++) {
		const struct report_wl *w = &r->wl[i];
		struct section_cell *row = section_row(s);

		if (!row)
			return -ENOMEM;
		ident_cells(row, w);
		cell_uint(&row[4], w->key.cgroup);
		cell_uint(&row[5], w->executes);
		cell_real(&row[6], w->exec_per_sec);
		cell_uint(&row[7], w->bos[QP_DIR_IN] + w->bos[QP_DIR_OUT]);
		cell_real(&row[8], w->bos_per_sec);
		cell_real(&row[9], w->bytes_per_exec[QP_DIR_IN] / 1e3);
		cell_real(&row[10], w->bytes_per_exec[QP_DIR_OUT] / 1e3);
		cell_real(&row[11], w->bytes_per_sec[QP_DIR_IN] / 1e6);
		cell_real(&row[12], w->bytes_per_sec[QP_DIR_OUT] / 1e6);
		cell_uint(&row[13], w->errors);
	}
	return 0;
}

static int stage_row(struct report_section *s, const struct report_wl *w, const char *name,
		     const struct stage_stats *st, double div)
{
	struct section_cell *row = section_row(s);
	unsigned int i;

	if (!row)
		return -ENOMEM;
	ident_cells(row, w);
	cell_text(&row[4], "%s", name);
	cell_uint(&row[5], st->count);
	if (!st->count)
		return 0;
	cell_real(&row[6], st->mean_ns / div);
	for (i = 0; i < STAGE_NPCT; i++)
		cell_real(&row[7 + i], st->pct_ns[i] / div);
	return 0;
}

static int latency(const struct report *r, enum prof_unit unit, struct report_section **all,
		   size_t *n)
{
	const char *u = prof_unit_name(unit);
	struct table_col cols[SECTION_MAX_COLS] = {
		IDENT_COLS,
		{ .name = "STAGE", .width = 10 },
		{ .name = "COUNT", .type = TABLE_UINT },
		{ .name = "MEAN", .unit = u, .type = TABLE_REAL, .decimals = 1 },
	};
	double div = prof_unit_ns(unit);
	struct report_section *s;
	unsigned int i, st, ncols = 7;
	char title[64];
	size_t k;

	for (i = 0; i < STAGE_NPCT; i++)
		cols[ncols++] = (struct table_col){ .name = stage_pct_names[i], .unit = u,
						    .type = TABLE_REAL, .decimals = 1 };
	snprintf(title, sizeof(title), "Latency per stage (%s)", u);
	s = section_new(all, n, cols, ncols, title);
	if (!s)
		return -ENOMEM;
	for (k = 0; k < r->n_wl; k++) {
		const struct report_wl *w = &r->wl[k];

		for (st = 0; st < QP_STAGE_N; st++) {
			if (stage_row(s, w, stage_name(st), &w->stage[st], div))
				return -ENOMEM;
			if (st != QP_STAGE_DEVICE || !w->has_dir_device)
				continue;
			if (stage_row(s, w, "device-in", &w->device_dir[QP_DIR_IN], div) ||
			    stage_row(s, w, "device-out", &w->device_dir[QP_DIR_OUT], div))
				return -ENOMEM;
		}
	}
	return 0;
}

static int capacity(const struct report *r, enum prof_unit unit, struct report_section **all,
		    size_t *n)
{
	const struct table_col cols[] = {
		IDENT_COLS,
		{ .name = "DBC_BUSY", .unit = "%", .type = TABLE_REAL, .decimals = 1 },
		{ .name = "DBC_LIMIT", .align = TABLE_RIGHT },
		{ .name = "NSPS/INF" },
		{ .name = "COMPUTE/EXEC<=", .unit = prof_unit_name(unit), .type = TABLE_REAL,
		  .decimals = 1 },
		{ .name = "NSPS_BUSY<=", .type = TABLE_REAL, .decimals = 2 },
		{ .name = "NSPS_BUSY~", .type = TABLE_REAL, .decimals = 2 },
		{ .name = "DOMINANT_STAGE" },
		{ .name = "EXEC/s@HEADROOM", .type = TABLE_REAL, .decimals = 1 },
	};
	struct report_section *s = section_new(all, n, cols, sizeof(cols) / sizeof(cols[0]),
					       "Capacity per workload (<=: upper bound)");
	size_t i;

	if (!s)
		return -ENOMEM;
	for (i = 0; i < r->n_wl; i++) {
		const struct report_wl *w = &r->wl[i];
		struct section_cell *row = section_row(s);

		if (!row)
			return -ENOMEM;
		ident_cells(row, w);
		cell_real(&row[4], 100 * w->busy_frac);
		if (isfinite(w->dbc_limit))
			cell_text(&row[5], "x%.2f", w->dbc_limit);
		if (w->nsp_rule >= 0)
			cell_text(&row[6], "%u", w->nsps);
		else
			cell_text(&row[6], "%u (default)", w->nsps);
		cell_real(&row[7], w->compute_per_exec_ns / prof_unit_ns(unit));
		cell_real(&row[8], w->nsp_busy);
		cell_real(&row[9], w->nsp_busy_rec);
		if (w->dominant >= 0)
			cell_text(&row[10], "%s %.0f%%", stage_name((unsigned int)w->dominant),
				  100 * w->dominant_share);
		cell_real(&row[11], w->exec_per_sec_at_headroom);
	}
	if (r->n_wl)
		snprintf(s->footer, sizeof(s->footer),
			 "DBC_LIMIT: the factor at which a workload's DBC, which runs its queue "
			 "one request at a time, is busy all the time. COMPUTE/EXEC and NSPS_BUSY "
			 "are upper bounds, NSPS_BUSY~ a closer estimate from a recording's "
			 "records (see the NSP notes below). EXEC/s@HEADROOM: each "
			 "workload's rate when its device saturates (more DBCs needed beyond "
			 "DBC_LIMIT).");
	return 0;
}

static int device(const struct report_dev *d, struct report_section **all, size_t *n)
{
	static const struct table_col cols[] = {
		{ .name = "RESOURCE" },
		{ .name = "USED", .align = TABLE_RIGHT },
		{ .name = "CAPACITY", .align = TABLE_RIGHT },
		{ .name = "UTIL", .unit = "%", .type = TABLE_REAL, .decimals = 2 },
		{ .name = "SATURATES_AT", .align = TABLE_RIGHT },
	};
	struct report_section *s;
	char title[256], link[128], nsp[32];
	unsigned int res, dir;

	report_link_text(d, link, sizeof(link));
	if (d->info.num_nsp)
		snprintf(nsp, sizeof(nsp), "%u NSPs%s", d->info.num_nsp,
			 d->nsp_overridden ? " (--num-nsp)" : "");
	else
		snprintf(nsp, sizeof(nsp), "NSPs unknown");
	snprintf(title, sizeof(title), "Device %u (%s): link %s; %s", d->info.minor,
		 d->info.node[0] ? d->info.node : d->found ? "?" : "not on this host", link, nsp);
	s = section_new(all, n, cols, sizeof(cols) / sizeof(cols[0]), title);
	if (!s)
		return -ENOMEM;
	for (res = 0; res < REPORT_RES_N; res++) {
		struct section_cell *row = section_row(s);

		if (!row)
			return -ENOMEM;
		cell_text(&row[0], "%s", report_res_name((int)res));
		if (res == REPORT_RES_NSP) {
			if (isfinite(d->nsp_busy))
				cell_text(&row[1], "<= %.2f NSPs", d->nsp_busy);
			if (d->info.num_nsp)
				cell_text(&row[2], "%u NSPs", d->info.num_nsp);
		} else {
			dir = res == REPORT_RES_LINK_IN ? QP_DIR_IN : QP_DIR_OUT;
			cell_text(&row[1], "%.2f MB/s", d->bytes_per_sec[dir] / 1e6);
			if (d->info.link_known)
				cell_text(&row[2], "%.2f MB/s", d->info.link_bps / 1e6);
		}
		cell_real(&row[3], 100 * d->util[res]);
		if (isfinite(d->util[res]) && d->util[res] > 0)
			cell_text(&row[4], "x%.2f", 1 / d->util[res]);
	}
	if (isfinite(d->nsp_util_rec)) {
		struct section_cell *row = section_row(s);

		if (!row)
			return -ENOMEM;
		cell_text(&row[0], "NSPs~");
		cell_text(&row[1], "~ %.2f NSPs", d->nsp_busy_rec);
		cell_text(&row[2], "%u NSPs", d->info.num_nsp);
		cell_real(&row[3], 100 * d->nsp_util_rec);
		if (d->nsp_util_rec > 0)
			cell_text(&row[4], "x%.2f", 1 / d->nsp_util_rec);
	}
	if (d->bottleneck == REPORT_RES_NSP)
		snprintf(s->footer, sizeof(s->footer),
			 "Bottleneck: the NSPs. Headroom x%.2f: every workload's rate can grow %.2f "
			 "times (%.1f -> %.1f executes/s on this device) before the NSPs saturate; "
			 "NSP use is an upper bound, so the headroom is at least this.",
			 d->headroom, d->headroom, d->exec_per_sec, d->exec_per_sec * d->headroom);
	else if (d->bottleneck >= 0)
		snprintf(s->footer, sizeof(s->footer),
			 "Bottleneck: %s. Headroom x%.2f: every workload's rate can grow %.2f times "
			 "(%.1f -> %.1f executes/s on this device) before %s saturates.",
			 report_res_name(d->bottleneck), d->headroom, d->headroom, d->exec_per_sec,
			 d->exec_per_sec * d->headroom, report_res_name(d->bottleneck));
	else
		snprintf(s->footer, sizeof(s->footer),
			 "Bottleneck: none named (no traffic, or no capacity known).");
	if (d->bottleneck_rec >= 0) {
		size_t len = strlen(s->footer);

		snprintf(s->footer + len, sizeof(s->footer) - len,
			 " With the closer NSP estimate (NSPs~): %s first, at x%.2f.",
			 d->bottleneck_rec == REPORT_RES_NSP ? "the NSPs" :
			 report_res_name(d->bottleneck_rec), d->headroom_rec);
	}
	return 0;
}

int report_sections(const struct report *r, enum prof_unit unit, struct report_section **out,
		    size_t *n)
{
	struct report_section *all = NULL;
	size_t count = 0;
	unsigned int i;
	int ret;

	ret = throughput(r, &all, &count);
	if (!ret)
		ret = latency(r, unit, &all, &count);
	if (!ret)
		ret = capacity(r, unit, &all, &count);
	for (i = 0; !ret && i < r->n_dev; i++)
		ret = device(&r->dev[i], &all, &count);
	if (ret) {
		report_sections_free(all, count);
		*out = NULL;
		*n = 0;
		return ret;
	}
	*out = all;
	*n = count;
	return 0;
}

void report_sections_free(struct report_section *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(s[i].cells);
	free(s);
}
