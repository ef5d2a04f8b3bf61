// SPDX-License-Identifier: MIT
/*
 * qaic-prof bw: bytes moved and bandwidth per workload and direction, and
 * per device against its link's capacity. Bytes count when a BO execution
 * completes (its transfer is done), in MB of 10^6 bytes.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "counters.h"
#include "devinfo.h"
#include "json_writer.h"
#include "loop.h"
#include "prof.h"
#include "session.h"
#include "table.h"
#include "workload.h"

#define BW_MAX_DEVS	64

struct bw_dev {
	struct devinfo info;
	uint64_t bytes[QP_DIR_N];
	uint64_t bos[QP_DIR_N];
};

struct bw_opts {
	bool json;
	struct bw_dev devs[BW_MAX_DEVS];
	unsigned int ndevs;
};

static const char *const dir_names[QP_DIR_N] = { "in", "out" };

static struct bw_dev *dev_of(struct bw_opts *o, uint32_t minor)
{
	unsigned int i;

	for (i = 0; i < o->ndevs; i++)
		if (o->devs[i].info.minor == minor)
			return &o->devs[i];
	if (o->ndevs == BW_MAX_DEVS)
		return NULL;
	memset(&o->devs[o->ndevs], 0, sizeof(o->devs[0]));
	devinfo_get(minor, &o->devs[o->ndevs].info);	/* unknown link if gone */
	return &o->devs[o->ndevs++];
}

static void sum_devices(struct bw_opts *o, const struct snapshot *v)
{
	unsigned int i, d;
	size_t w;

	for (i = 0; i < o->ndevs; i++) {
		memset(o->devs[i].bytes, 0, sizeof(o->devs[i].bytes));
		memset(o->devs[i].bos, 0, sizeof(o->devs[i].bos));
	}
	for (w = 0; w < v->n_wl; w++) {
		struct bw_dev *dev = dev_of(o, v->wl[w].key.dev);

		if (!dev)
			continue;
		for (d = 0; d < QP_DIR_N; d++) {
			dev->bytes[d] += v->wl[w].stats.done_bytes[d];
			dev->bos[d] += v->wl[w].stats.done[d];
		}
	}
}

/* Fraction of the link's capacity one direction used: NaN when unknown. */
static double link_util(const struct bw_dev *dev, double bytes_per_sec)
{
	return dev->info.link_known ? bytes_per_sec / (double)dev->info.link_bps : NAN;
}

static void print_text(struct bw_opts *o, const struct snapshot *v, bool final)
{
	static const struct table_col cols[] = {
		{ .name = "DEV", .type = TABLE_UINT },
		{ .name = "DBC", .type = TABLE_UINT },
		{ .name = "PID", .type = TABLE_UINT },
		{ .name = "COMM", .width = 15 },
		{ .name = "IN_BOS", .type = TABLE_UINT },
		{ .name = "IN", .unit = "MB", .type = TABLE_REAL, .decimals = 2 },
		{ .name = "IN", .unit = "MB/s", .type = TABLE_REAL, .decimals = 2 },
		{ .name = "OUT_BOS", .type = TABLE_UINT },
		{ .name = "OUT", .unit = "MB", .type = TABLE_REAL, .decimals = 2 },
		{ .name = "OUT", .unit = "MB/s", .type = TABLE_REAL, .decimals = 2 },
	};
	struct table *t = table_new(cols, sizeof(cols) / sizeof(cols[0]));
	unsigned int i, d;
	char link[96];
	size_t w;

	if (!t)
		return;
	printf("%.2f s%s\n", snap_interval_ns(v) / 1e9, final ? " (final)" : "");
	for (w = 0; w < v->n_wl; w++) {
		const struct snap_workload *wl = &v->wl[w];

		if (!wl_active(wl))
			continue;
		table_row(t);
		table_uint(t, wl->key.dev);
		table_uint(t, wl->key.dbc);
		table_uint(t, wl->key.tgid);
		table_text(t, wl->stats.comm);
		for (d = 0; d < QP_DIR_N; d++) {
			table_uint(t, wl->stats.done[d]);
			table_real(t, wl->stats.done_bytes[d] / 1e6);
			table_real(t, snap_rate(v, wl->stats.done_bytes[d]) / 1e6);
		}
	}
	table_print(t, stdout);
	table_free(t);
	for (i = 0; i < o->ndevs; i++) {
		const struct bw_dev *dev = &o->devs[i];

		devinfo_link_text(&dev->info, link, sizeof(link));
		printf("dev %u (%s): %s\n", dev->info.minor, dev->info.node[0] ? dev->info.node : "gone",
		       link);
		for (d = 0; d < QP_DIR_N; d++) {
			double bps = snap_rate(v, dev->bytes[d]);

			printf("  %-3s %10.2f MB/s", dir_names[d], bps / 1e6);
			if (dev->info.link_known)
				printf("  %6.2f%% of the link", 100 * link_util(dev, bps));
			putchar('\n');
		}
	}
	counters_print(stdout, v->counters);
	putchar('\n');
}

static void json_dir(struct json_writer *jw, const char *name, uint64_t bos, uint64_t bytes,
		     const struct snapshot *v)
{
	jw_key(jw, name);
	jw_object_begin(jw);
	jw_kv_uint(jw, "bos", bos);
	jw_kv_uint(jw, "bytes", bytes);
	jw_kv_double(jw, "bytes_per_sec", snap_rate(v, bytes));
	jw_object_end(jw);
}

static void print_json(struct bw_opts *o, const struct snapshot *v, bool final)
{
	struct json_writer *jw = jw_open(stdout);
	unsigned int i, d;
	size_t w;

	if (!jw)
		return;
	jw_object_begin(jw);
	jw_kv_uint(jw, "ts_ns", v->ts_ns);
	jw_kv_uint(jw, "interval_ns", snap_interval_ns(v));
	jw_kv_bool(jw, "final", final);
	jw_key(jw, "devices");
	jw_array_begin(jw);
	for (i = 0; i < o->ndevs; i++) {
		const struct bw_dev *dev = &o->devs[i];

		jw_object_begin(jw);
		jw_kv_uint(jw, "dev", dev->info.minor);
		devinfo_json(jw, &dev->info);
		for (d = 0; d < QP_DIR_N; d++) {
			json_dir(jw, dir_names[d], dev->bos[d], dev->bytes[d], v);
			jw_key(jw, d == QP_DIR_IN ? "in_link_util" : "out_link_util");
			jw_double(jw, link_util(dev, snap_rate(v, dev->bytes[d])));
		}
		jw_object_end(jw);
	}
	jw_array_end(jw);
	jw_key(jw, "workloads");
	jw_array_begin(jw);
	for (w = 0; w < v->n_wl; w++) {
		const struct snap_workload *wl = &v->wl[w];

		if (!wl_active(wl))
			continue;
		jw_object_begin(jw);
		wl_json_ident(jw, wl);
		for (d = 0; d < QP_DIR_N; d++)
			json_dir(jw, dir_names[d], wl->stats.done[d], wl->stats.done_bytes[d], v);
		jw_object_end(jw);
	}
	jw_array_end(jw);
	counters_json(jw, v->counters);
	jw_object_end(jw);
	jw_close(jw);
	fflush(stdout);
}

static int bw_interval(void *ctx, const struct snapshot *view, const struct snapshot *now,
		       bool final)
{
	struct bw_opts *o = ctx;

	(void)now;
	sum_devices(o, view);
	if (o->json)
		print_json(o, view, final);
	else
		print_text(o, view, final);
	return 0;
}

int cmd_bw(int argc, char **argv)
{
	static const struct option longopts[] = {
		PROF_SESSION_LONGOPTS,
		{ "json", no_argument, NULL, 'j' },
		{ "cumulative", no_argument, NULL, 'A' },
		{ "follow", no_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	static struct bw_opts o;
	struct loop_opts lo = { 0 };
	enum prof_attach how = PROF_ATTACH_AUTO;
	struct prof_filter f = PROF_FILTER_ALL;
	struct prof_session s;
	struct args_err err;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, PROF_SESSION_SHORTOPTS "AF", longopts, NULL)) != -1) {
		ret = session_opt(opt, optarg, &f, &how, &err);
		if (ret < 0)
			goto usage;
		if (ret)
			continue;
		switch (opt) {
		case 'j':
			o.json = true;
			break;
		case 'A':
			lo.cumulative = true;
			break;
		case 'F':
			lo.follow = true;
			break;
		default:
			return PROF_EXIT_USAGE;
		}
	}
	if (args_interval_count(argc, argv, optind, 1000000000ULL, &lo.interval_ns, &lo.count,
				&err))
		goto usage;
	ret = session_start(&s, &f, how, NULL, NULL);
	if (ret)
		return ret;
	fprintf(o.json ? stderr : stdout, "Tracing qaic transfers (%s)... Hit Ctrl-C to end.\n\n",
		session_attach_name(&s));
	fflush(stdout);
	ret = loop_run(&s, &lo, bw_interval, &o);
	session_stop(&s);
	return ret;

usage:
	fprintf(stderr, "qaic-prof bw: %s\n", err.msg);
	return PROF_EXIT_USAGE;
}

const struct prof_cmd prof_cmd_bw = {
	.name = "bw",
	.run = cmd_bw,
	.summary = "bytes and bandwidth per workload and direction, link utilization per device",
	.synopsis = "[OPTIONS] [INTERVAL [COUNT]]",
	.options =
		PROF_SESSION_HELP
		"      --json          one JSON object per interval (bytes, bytes/s, link use 0..1)\n"
		"  -A, --cumulative    every report covers the whole run so far\n"
		"  -F, --follow        keep going when the devices go away\n"
		"  INTERVAL [COUNT]    report every INTERVAL (default 1s), COUNT times (default: until Ctrl-C)\n",
	.examples =
		"  qaic-prof bw                 # every second until Ctrl-C\n"
		"  qaic-prof bw 5 3             # three 5-second intervals\n"
		"  qaic-prof bw -d accel0 --json 1 10\n",
};
