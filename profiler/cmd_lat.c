// SPDX-License-Identifier: MIT
/*
 * qaic-prof lat: per workload and stage, how many requests and how long
 * they took (mean and percentiles from the in-kernel histograms), each
 * interval or once at the end; histograms with -H; JSON or CSV for
 * machines.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "counters.h"
#include "csv.h"
#include "hist.h"
#include "json_writer.h"
#include "loop.h"
#include "prof.h"
#include "session.h"
#include "stages.h"
#include "table.h"
#include "workload.h"

enum lat_format { LAT_TEXT, LAT_JSON, LAT_CSV };

struct lat_opts {
	struct args_unit unit;
	enum lat_format format;
	bool hist;
	unsigned int stage_mask;	/* 1 << enum qp_stage */
	struct csv_writer csv;
	bool csv_header_done;
};

/* Wall-clock time of day for interval headers, as iostat prints it. */
static void clock_label(char *buf, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, size, "%H:%M:%S", &tm);
}

static void print_text(struct lat_opts *o, const struct snapshot *v, bool final)
{
	static const struct table_col base[] = {
		{ .name = "DEV", .type = TABLE_UINT },
		{ .name = "DBC", .type = TABLE_UINT },
		{ .name = "PID", .type = TABLE_UINT },
		{ .name = "COMM", .width = 15 },
		{ .name = "STAGE", .width = 8 },
		{ .name = "COUNT", .type = TABLE_UINT },
	};
	struct table_col cols[6 + 1 + STAGE_NPCT];
	const char *unit = prof_unit_name(o->unit.unit);
	double div = prof_unit_ns(o->unit.unit);
	unsigned int i, s, n = 0;
	struct table *t;
	char when[16];
	size_t w;

	memcpy(cols, base, sizeof(base));
	n = 6;
	cols[n++] = (struct table_col){ .name = "MEAN", .unit = unit, .type = TABLE_REAL,
					.decimals = 1 };
	for (i = 0; i < STAGE_NPCT; i++)
		cols[n++] = (struct table_col){ .name = stage_pct_names[i], .unit = unit,
						.type = TABLE_REAL, .decimals = 1 };
	clock_label(when, sizeof(when));
	printf("%s  %.2f s%s\n", when, snap_interval_ns(v) / 1e9, final ? " (final)" : "");
	t = table_new(cols, n);
	if (!t)
		return;
	for (w = 0; w < v->n_wl; w++) {
		const struct snap_workload *wl = &v->wl[w];

		if (!wl_active(wl))
			continue;
		for (s = 0; s < QP_STAGE_N; s++) {
			struct stage_stats st;

			if (!(o->stage_mask & (1u << s)))
				continue;
			stage_stats(wl, s, &st);
			table_row(t);
			table_uint(t, wl->key.dev);
			table_uint(t, wl->key.dbc);
			table_uint(t, wl->key.tgid);
			table_text(t, wl->stats.comm);
			table_text(t, stage_name(s));
			table_uint(t, st.count);
			if (!st.count) {
				for (i = 0; i <= STAGE_NPCT; i++)
					table_none(t);
				continue;
			}
			table_real(t, st.mean_ns / div);
			for (i = 0; i < STAGE_NPCT; i++)
				table_real(t, st.pct_ns[i] / div);
		}
	}
	table_print(t, stdout);
	table_free(t);
	if (o->hist) {
		for (w = 0; w < v->n_wl; w++) {
			const struct snap_workload *wl = &v->wl[w];

			if (!wl_active(wl))
				continue;
			for (s = 0; s < QP_STAGE_N; s++) {
				if (!(o->stage_mask & (1u << s)) || !hist_count(&wl->hist[s]))
					continue;
				printf("\ndev %u dbc %u pid %u %s: %s (%s)\n", wl->key.dev, wl->key.dbc,
				       wl->key.tgid, wl->stats.comm, stage_name(s), stage_title(s));
				hist_print(stdout, &wl->hist[s], o->unit.unit, 0);
			}
		}
	}
	counters_print(stdout, v->counters);
	putchar('\n');
}

static void print_json(struct lat_opts *o, const struct snapshot *v, bool final)
{
	struct json_writer *jw = jw_open(stdout);
	unsigned int s;
	size_t w;

	if (!jw)
		return;
	jw_object_begin(jw);
	jw_kv_uint(jw, "ts_ns", v->ts_ns);
	jw_kv_uint(jw, "interval_ns", snap_interval_ns(v));
	jw_kv_bool(jw, "final", final);
	jw_key(jw, "workloads");
	jw_array_begin(jw);
	for (w = 0; w < v->n_wl; w++) {
		const struct snap_workload *wl = &v->wl[w];

		if (!wl_active(wl))
			continue;
		jw_object_begin(jw);
		wl_json_ident(jw, wl);
		jw_kv_uint(jw, "executes", wl->stats.executes);
		jw_kv_uint(jw, "completed", wl_done(wl));
		jw_kv_uint(jw, "errors", wl->stats.errors);
		jw_key(jw, "stages");
		jw_object_begin(jw);
		for (s = 0; s < QP_STAGE_N; s++) {
			struct stage_stats st;

			if (!(o->stage_mask & (1u << s)))
				continue;
			stage_stats(wl, s, &st);
			jw_key(jw, stage_name(s));
			stage_stats_json(jw, &st);
		}
		jw_object_end(jw);
		if (o->hist) {
			jw_key(jw, "hist");
			jw_object_begin(jw);
			for (s = 0; s < QP_STAGE_N; s++) {
				if (!(o->stage_mask & (1u << s)))
					continue;
				jw_key(jw, stage_name(s));
				hist_json_rows(jw, &wl->hist[s], 0);
			}
			jw_object_end(jw);
		}
		jw_object_end(jw);
	}
	jw_array_end(jw);
	counters_json(jw, v->counters);
	jw_object_end(jw);
	jw_close(jw);
	fflush(stdout);
}

static void print_csv(struct lat_opts *o, const struct snapshot *v)
{
	const char *unit = prof_unit_name(o->unit.unit);
	double div = prof_unit_ns(o->unit.unit);
	struct csv_writer *c = &o->csv;
	unsigned int i, s;
	char name[32];
	size_t w;

	if (!o->csv_header_done) {
		static const char *const head[] = { "ts_ns", "interval_ns", WL_CSV_HEADER,
						    "stage", "count", NULL };

		for (i = 0; head[i]; i++)
			csv_text(c, head[i]);
		snprintf(name, sizeof(name), "mean_%s", unit);
		csv_text(c, name);
		for (i = 0; i < STAGE_NPCT; i++) {
			snprintf(name, sizeof(name), "%s_%s", stage_pct_names[i], unit);
			csv_text(c, name);
		}
		csv_end(c);
		o->csv_header_done = true;
	}
	for (w = 0; w < v->n_wl; w++) {
		const struct snap_workload *wl = &v->wl[w];

		if (!wl_active(wl))
			continue;
		for (s = 0; s < QP_STAGE_N; s++) {
			struct stage_stats st;

			if (!(o->stage_mask & (1u << s)))
				continue;
			stage_stats(wl, s, &st);
			csv_uint(c, v->ts_ns);
			csv_uint(c, snap_interval_ns(v));
			wl_csv_ident(c, wl);
			csv_text(c, stage_name(s));
			csv_uint(c, st.count);
			if (st.count)
				csv_real(c, st.mean_ns / div, 3);
			else
				csv_empty(c);
			for (i = 0; i < STAGE_NPCT; i++) {
				if (st.count)
					csv_real(c, st.pct_ns[i] / div, 3);
				else
					csv_empty(c);
			}
			csv_end(c);
		}
	}
	fflush(stdout);
}

static int lat_interval(void *ctx, const struct snapshot *view, const struct snapshot *now,
			bool final)
{
	struct lat_opts *o = ctx;

	(void)now;
	if (o->format == LAT_JSON)
		print_json(o, view, final);
	else if (o->format == LAT_CSV)
		print_csv(o, view);
	else
		print_text(o, view, final);
	return 0;
}

/* "-s submit,e2e": a mask of stages. */
static int parse_stages(const char *arg, unsigned int *mask, struct args_err *err)
{
	char buf[128], *tok, *save = NULL;
	int st;

	if (strlen(arg) >= sizeof(buf)) {
		snprintf(err->msg, sizeof(err->msg), "--stage: list too long");
		return -1;
	}
	strcpy(buf, arg);
	*mask = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		st = stage_parse(tok);
		if (st < 0) {
			snprintf(err->msg, sizeof(err->msg),
				 "--stage '%s': expected submit, device, complete, wakeup or e2e", tok);
			return -1;
		}
		*mask |= 1u << st;
	}
	if (!*mask) {
		snprintf(err->msg, sizeof(err->msg), "--stage '%s': no stage named", arg);
		return -1;
	}
	return 0;
}

int cmd_lat(int argc, char **argv)
{
	static const struct option longopts[] = {
		PROF_SESSION_LONGOPTS,
		{ "stage", required_argument, NULL, 's' },
		{ "hist", no_argument, NULL, 'H' },
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'C' },
		{ "cumulative", no_argument, NULL, 'A' },
		{ "follow", no_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	struct lat_opts o = { .unit = { .unit = PROF_UNIT_US },
			      .stage_mask = (1u << QP_STAGE_N) - 1 };
	struct loop_opts lo = { 0 };
	enum prof_attach how = PROF_ATTACH_AUTO;
	struct prof_filter f = PROF_FILTER_ALL;
	struct prof_session s;
	struct args_err err;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, PROF_SESSION_SHORTOPTS "s:Hmu", longopts,
				  NULL)) != -1) {
		ret = session_opt(opt, optarg, &f, &how, &err);
		if (ret < 0)
			goto usage;
		if (ret)
			continue;
		switch (opt) {
		case 's':
			if (parse_stages(optarg, &o.stage_mask, &err))
				goto usage;
			break;
		case 'H':
			o.hist = true;
			break;
		case 'm':
		case 'u':
			if (args_unit_flag(&o.unit, (char)opt, &err))
				goto usage;
			break;
		case 'j':
		case 'C':
			if (o.format != LAT_TEXT) {
				snprintf(err.msg, sizeof(err.msg), "--json and --csv exclude each other");
				goto usage;
			}
			o.format = opt == 'j' ? LAT_JSON : LAT_CSV;
			break;
		case 'A':
			lo.cumulative = true;
			break;
		case 'F':
			lo.follow = true;
			break;
		default:
			return PROF_EXIT_USAGE;	/* getopt said why */
		}
	}
	/* No INTERVAL: one report covering the whole run, at Ctrl-C. */
	if (args_interval_count(argc, argv, optind, ARGS_INTERVAL_MAX_NS, &lo.interval_ns,
				&lo.count, &err))
		goto usage;
	if (optind == argc)
		lo.cumulative = true;
	csv_init(&o.csv, stdout);

	ret = session_start(&s, &f, how, NULL, NULL);
	if (ret)
		return ret;
	/* The banner goes to stderr when stdout is for machines. */
	fprintf(o.format == LAT_TEXT ? stdout : stderr, "Tracing qaic requests (%s)... %s\n\n",
		session_attach_name(&s), optind == argc ? "Hit Ctrl-C to end." : "");
	fflush(stdout);
	ret = loop_run(&s, &lo, lat_interval, &o);
	session_stop(&s);
	return ret;

usage:
	fprintf(stderr, "qaic-prof lat: %s\n", err.msg);
	return PROF_EXIT_USAGE;
}

const struct prof_cmd prof_cmd_lat = {
	.name = "lat",
	.run = cmd_lat,
	.summary = "latency per stage and workload: counts, mean, p50/p90/p99/p99.9, histograms",
	.synopsis = "[OPTIONS] [INTERVAL [COUNT]]",
	.options =
		PROF_SESSION_HELP
		"  -s, --stage=LIST    stages to show: submit,device,complete,wakeup,e2e (default all)\n"
		"  -H, --hist          print each stage's histogram too\n"
		"  -m, -u              milliseconds or microseconds (default us)\n"
		"      --json          one JSON object per interval (times in ns)\n"
		"      --csv           CSV, one row per workload and stage\n"
		"  -A, --cumulative    every report covers the whole run so far\n"
		"  -F, --follow        keep going when the devices go away\n"
		"  INTERVAL [COUNT]    report every INTERVAL (\"1\", \"500ms\"), COUNT times;\n"
		"                      without them, one report when stopped (Ctrl-C)\n",
	.examples =
		"  qaic-prof lat                      # until Ctrl-C, then one report\n"
		"  qaic-prof lat 1 10                 # every second, ten times\n"
		"  qaic-prof lat -s device,e2e -H -m 5\n"
		"  qaic-prof lat --dbc 3 -p 4242 --json 1\n"
		"  qaic-prof lat --csv 10 6 > lat.csv\n",
};
