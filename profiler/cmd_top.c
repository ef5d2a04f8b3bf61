// SPDX-License-Identifier: MIT
/*
 * qaic-prof top: a live table of workloads (one client on one DBC), the
 * busiest first, refreshed every interval as top and biotop do.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "counters.h"
#include "hist.h"
#include "json_writer.h"
#include "loop.h"
#include "prof.h"
#include "session.h"
#include "stages.h"
#include "table.h"
#include "workload.h"

enum top_sort { SORT_BOS, SORT_BYTES, SORT_P99, SORT_BUSY };

struct top_opts {
	bool json;
	bool noclear;
	enum top_sort sort;
	unsigned int rows;		/* 0: all */
	struct args_unit unit;
};

/* One row: a workload and what it did in the interval. */
struct top_row {
	const struct snap_workload *w;
	double bos_per_s, exec_per_s, in_bps, out_bps, busy;
	double p50_ns, p99_ns;
	uint64_t inflight;
};

static enum top_sort sort_key;

static double row_key(const struct top_row *r)
{
	switch (sort_key) {
	case SORT_BYTES:
		return r->in_bps + r->out_bps;
	case SORT_P99:
		return isnan(r->p99_ns) ? -1 : r->p99_ns;
	case SORT_BUSY:
		return r->busy;
	default:
		return r->bos_per_s;
	}
}

static int cmp_rows(const void *pa, const void *pb)
{
	double a = row_key(pa), b = row_key(pb);

	return a < b ? 1 : a > b ? -1 : 0;
}

static size_t build_rows(const struct snapshot *v, const struct snapshot *now,
			 struct top_row *rows)
{
	size_t w, n = 0;

	for (w = 0; w < v->n_wl; w++) {
		const struct snap_workload *wl = &v->wl[w];
		const struct snap_dbc *d = snap_find_dbc(v, wl->key.dev, wl->key.dbc);
		const struct snap_dbc *dn = snap_find_dbc(now, wl->key.dev, wl->key.dbc);
		struct top_row *r = &rows[n];

		if (!wl_active(wl))
			continue;
		memset(r, 0, sizeof(*r));
		r->w = wl;
		r->bos_per_s = snap_rate(v, wl_done(wl));
		r->exec_per_s = snap_rate(v, wl->stats.executes);
		r->in_bps = snap_rate(v, wl->stats.done_bytes[QP_DIR_IN]);
		r->out_bps = snap_rate(v, wl->stats.done_bytes[QP_DIR_OUT]);
		r->p50_ns = hist_percentile(&wl->hist[QP_STAGE_E2E], 50);
		r->p99_ns = hist_percentile(&wl->hist[QP_STAGE_E2E], 99);
		/* The DBC is the workload's own: its state is the workload's. */
		if (d && snap_interval_ns(v))
			r->busy = (double)d->state.busy_ns / (double)snap_interval_ns(v);
		if (dn)
			r->inflight = dn->inflight;
		n++;
	}
	qsort(rows, n, sizeof(*rows), cmp_rows);
	return n;
}

static void print_text(const struct top_opts *o, const struct snapshot *v, struct top_row *rows,
		       size_t n)
{
	const char *unit = prof_unit_name(o->unit.unit);
	double div = prof_unit_ns(o->unit.unit);
	const struct table_col cols[] = {
		{ .name = "DEV", .type = TABLE_UINT },
		{ .name = "DBC", .type = TABLE_UINT },
		{ .name = "PID", .type = TABLE_UINT },
		{ .name = "COMM", .width = 15 },
		{ .name = "EXEC/s", .type = TABLE_REAL, .decimals = 1 },
		{ .name = "BO/s", .type = TABLE_REAL, .decimals = 1 },
		{ .name = "INFL", .type = TABLE_UINT },
		{ .name = "p50", .unit = unit, .type = TABLE_REAL, .decimals = 1 },
		{ .name = "p99", .unit = unit, .type = TABLE_REAL, .decimals = 1 },
		{ .name = "IN", .unit = "MB/s", .type = TABLE_REAL, .decimals = 2 },
		{ .name = "OUT", .unit = "MB/s", .type = TABLE_REAL, .decimals = 2 },
		{ .name = "BUSY%", .type = TABLE_REAL, .decimals = 1 },
		{ .name = "ERR", .type = TABLE_UINT },
	};
	struct table *t = table_new(cols, sizeof(cols) / sizeof(cols[0]));
	char when[16];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;

	if (!t)
		return;
	if (!o->noclear)
		printf("\033[H\033[2J");
	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	printf("%s  qaic-prof top  %zu workload%s  interval %.2f s  (p50/p99: end to end)\n", when,
	       n, n == 1 ? "" : "s", snap_interval_ns(v) / 1e9);
	for (i = 0; i < n && (!o->rows || i < o->rows); i++) {
		const struct top_row *r = &rows[i];

		table_row(t);
		table_uint(t, r->w->key.dev);
		table_uint(t, r->w->key.dbc);
		table_uint(t, r->w->key.tgid);
		table_text(t, r->w->stats.comm);
		table_real(t, r->exec_per_s);
		table_real(t, r->bos_per_s);
		table_uint(t, r->inflight);
		if (isnan(r->p50_ns)) {
			table_none(t);
			table_none(t);
		} else {
			table_real(t, r->p50_ns / div);
			table_real(t, r->p99_ns / div);
		}
		table_real(t, r->in_bps / 1e6);
		table_real(t, r->out_bps / 1e6);
		table_real(t, 100 * r->busy);
		table_uint(t, r->w->stats.errors);
	}
	table_print(t, stdout);
	table_free(t);
	counters_print(stdout, v->counters);
	if (o->noclear)
		putchar('\n');
	fflush(stdout);
}

static void print_json(const struct snapshot *v, const struct top_row *rows, size_t n)
{
	struct json_writer *jw = jw_open(stdout);
	size_t i;

	if (!jw)
		return;
	jw_object_begin(jw);
	jw_kv_uint(jw, "ts_ns", v->ts_ns);
	jw_kv_uint(jw, "interval_ns", snap_interval_ns(v));
	jw_key(jw, "workloads");
	jw_array_begin(jw);
	for (i = 0; i < n; i++) {
		const struct top_row *r = &rows[i];

		jw_object_begin(jw);
		wl_json_ident(jw, r->w);
		jw_kv_double(jw, "executes_per_s", r->exec_per_s);
		jw_kv_double(jw, "bos_per_s", r->bos_per_s);
		jw_kv_uint(jw, "in_flight", r->inflight);
		jw_kv_double(jw, "e2e_p50_ns", r->p50_ns);
		jw_kv_double(jw, "e2e_p99_ns", r->p99_ns);
		jw_kv_double(jw, "in_bytes_per_s", r->in_bps);
		jw_kv_double(jw, "out_bytes_per_s", r->out_bps);
		jw_kv_double(jw, "dbc_busy", r->busy);
		jw_kv_uint(jw, "errors", r->w->stats.errors);
		jw_object_end(jw);
	}
	jw_array_end(jw);
	counters_json(jw, v->counters);
	jw_object_end(jw);
	jw_close(jw);
	fflush(stdout);
}

static int top_interval(void *ctx, const struct snapshot *view, const struct snapshot *now,
			bool final)
{
	const struct top_opts *o = ctx;
	struct top_row *rows;
	size_t n;

	(void)final;
	rows = calloc(view->n_wl ? view->n_wl : 1, sizeof(*rows));
	if (!rows)
		return PROF_EXIT_FAIL;
	sort_key = o->sort;
	n = build_rows(view, now, rows);
	if (o->json)
		print_json(view, rows, n);
	else
		print_text(o, view, rows, n);
	free(rows);
	return 0;
}

int cmd_top(int argc, char **argv)
{
	static const struct option longopts[] = {
		PROF_SESSION_LONGOPTS,
		{ "json", no_argument, NULL, 'j' },
		{ "noclear", no_argument, NULL, 'C' },
		{ "sort", required_argument, NULL, 's' },
		{ "rows", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct top_opts o = { .unit = { .unit = PROF_UNIT_US } };
	struct loop_opts lo = { 0 };
	enum prof_attach how = PROF_ATTACH_AUTO;
	struct prof_filter f = PROF_FILTER_ALL;
	struct prof_session s;
	struct args_err err;
	uint64_t rows;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, PROF_SESSION_SHORTOPTS "Cs:r:mu", longopts,
				  NULL)) != -1) {
		ret = session_opt(opt, optarg, &f, &how, &err);
		if (ret < 0)
			goto usage;
		if (ret)
			continue;
		switch (opt) {
		case 'j':
			o.json = true;
			break;
		case 'C':
			o.noclear = true;
			break;
		case 's':
			if (!strcmp(optarg, "bos"))
				o.sort = SORT_BOS;
			else if (!strcmp(optarg, "bytes"))
				o.sort = SORT_BYTES;
			else if (!strcmp(optarg, "p99"))
				o.sort = SORT_P99;
			else if (!strcmp(optarg, "busy"))
				o.sort = SORT_BUSY;
			else {
				snprintf(err.msg, sizeof(err.msg),
					 "--sort '%s': expected bos, bytes, p99 or busy", optarg);
				goto usage;
			}
			break;
		case 'r':
			if (args_uint("--rows", optarg, 1, 100000, &rows, &err))
				goto usage;
			o.rows = (unsigned int)rows;
			break;
		case 'm':
		case 'u':
			if (args_unit_flag(&o.unit, (char)opt, &err))
				goto usage;
			break;
		default:
			return PROF_EXIT_USAGE;
		}
	}
	if (args_interval_count(argc, argv, optind, 1000000000ULL, &lo.interval_ns, &lo.count,
				&err))
		goto usage;
	/* A terminal gets a screen redrawn in place; a pipe gets lines. */
	if (!isatty(STDOUT_FILENO))
		o.noclear = true;
	ret = session_start(&s, &f, how, NULL, NULL);
	if (ret)
		return ret;
	fprintf(o.json || !o.noclear ? stderr : stdout,
		"Tracing qaic requests (%s)... Hit Ctrl-C to end.\n", session_attach_name(&s));
	ret = loop_run(&s, &lo, top_interval, &o);
	session_stop(&s);
	return ret;

usage:
	fprintf(stderr, "qaic-prof top: %s\n", err.msg);
	return PROF_EXIT_USAGE;
}

const struct prof_cmd prof_cmd_top = {
	.name = "top",
	.run = cmd_top,
	.summary = "live table of workloads: requests/s, in flight, p50/p99, MB/s, DBC busy",
	.synopsis = "[OPTIONS] [INTERVAL [COUNT]]",
	.options =
		PROF_SESSION_HELP
		"  -s, --sort=KEY      bos (default), bytes, p99 or busy\n"
		"  -r, --rows=N        show the N first workloads\n"
		"  -C, --noclear       do not redraw the screen (always so when not a terminal)\n"
		"  -m, -u              milliseconds or microseconds (default us)\n"
		"      --json          one JSON object per interval\n"
		"  INTERVAL [COUNT]    refresh every INTERVAL (default 1s), COUNT times\n",
	.examples =
		"  qaic-prof top                # refresh every second until Ctrl-C\n"
		"  qaic-prof top -s p99 -r 10 2\n"
		"  qaic-prof top --json 1 5 | jq .workloads\n",
};
