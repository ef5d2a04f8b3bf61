// SPDX-License-Identifier: MIT
/*
 * qaic-prof report: a capacity-planning report over one window, live (the
 * BPF programs for -t DURATION or until Ctrl-C) or from a file `qaic-prof
 * record` wrote: per workload throughput, bytes, latency percentiles per
 * stage; per device link and NSP utilization, the bottleneck and the
 * headroom, each with its assumptions. Text, Markdown, JSON or CSV.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devinfo.h"
#include "loop.h"
#include "prof.h"
#include "report_model.h"
#include "report_nsps.h"
#include "report_render.h"
#include "report_trace.h"
#include "session.h"
#include "trace_reader.h"

#define LINK_BPS_MAX	(1ULL << 40)	/* 1 TB/s per direction: beyond any PCIe link */
#define NUM_NSP_MAX	1024

struct report_opts {
	enum report_format format;
	struct args_unit unit;
	const char *from;
	const char *output;
	uint64_t duration_ns;		/* 0: until Ctrl-C */
	struct report_nsp_rules nsps;
	uint64_t link_bps;
	uint32_t num_nsp;
	struct prof_filter filter;
	enum prof_attach how;
	int attach_given;
	/* the output, written as output.tmp and renamed when complete */
	FILE *out;
	char tmp[4096];
	int status;			/* what the live callback made of the window */
};

static int host_devinfo(void *ctx, uint32_t minor, struct devinfo *out)
{
	(void)ctx;
	return devinfo_get(minor, out);
}

/* "live (raw_tp), dbc 3, pid 1234" */
static void live_source(char *buf, size_t size, const struct report_opts *o,
			const struct prof_session *s)
{
	const struct prof_filter *f = &o->filter;
	size_t n = (size_t)snprintf(buf, size, "live (%s)", session_attach_name(s));

	if (f->dev >= 0 && n < size)
		n += (size_t)snprintf(buf + n, size - n, ", dev %d", f->dev);
	if (f->dbc >= 0 && n < size)
		n += (size_t)snprintf(buf + n, size - n, ", dbc %d", f->dbc);
	if (f->tgid > 0 && n < size)
		n += (size_t)snprintf(buf + n, size - n, ", pid %d", f->tgid);
	if (f->cgroup && n < size)
		snprintf(buf + n, size - n, ", cgroup %llu", (unsigned long long)f->cgroup);
}

static struct report_inputs inputs(struct report_opts *o, const char *source, int from_trace)
{
	return (struct report_inputs){
		.devinfo = host_devinfo,
		.nsps = &o->nsps,
		.link_bps = o->link_bps,
		.num_nsp = o->num_nsp,
		.source = source,
		.from_trace = from_trace,
	};
}

static int open_output(struct report_opts *o)
{
	if (!o->output || !strcmp(o->output, "-")) {
		o->out = stdout;
		return 0;
	}
	if ((size_t)snprintf(o->tmp, sizeof(o->tmp), "%s.tmp", o->output) >= sizeof(o->tmp)) {
		fprintf(stderr, "qaic-prof report: %s: name too long\n", o->output);
		return -1;
	}
	o->out = fopen(o->tmp, "w");
	if (!o->out) {
		fprintf(stderr, "qaic-prof report: cannot write %s (as %s): %s\n", o->output, o->tmp,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* Close the output; keep it (renamed into place) only when complete. */
static int close_output(struct report_opts *o, int ok)
{
	int failed;

	if (o->out == stdout)
		return fflush(stdout) ? -1 : 0;
	failed = fclose(o->out) != 0;
	o->out = NULL;
	if (ok && !failed && !rename(o->tmp, o->output))
		return 0;
	if (ok)
		fprintf(stderr, "qaic-prof report: writing %s: %s\n", o->output, strerror(errno));
	unlink(o->tmp);
	return -1;
}

static int render(struct report_opts *o, const struct report *r)
{
	if (report_render(o->out, r, o->format, o->unit.unit)) {
		fprintf(stderr, "qaic-prof report: writing the report failed\n");
		return PROF_EXIT_FAIL;
	}
	return PROF_EXIT_OK;
}

/* ---- from a recording ------------------------------------------------------------------ */

static int report_file(struct report_opts *o)
{
	struct trace_read_opts ro = { 0 };
	struct trace_model *m = NULL;
	struct report_inputs in;
	char msg[512], source[1024];
	struct report r;
	int ret;

	if (trace_read(o->from, &m, &ro, msg, sizeof(msg))) {
		fprintf(stderr, "qaic-prof report: %s\n", msg);
		return PROF_EXIT_FAIL;
	}
	snprintf(source, sizeof(source), "recording %s%s%s%s", o->from, ro.source[0] ? " (" : "",
		 ro.source, ro.source[0] ? ")" : "");
	in = inputs(o, source, 1);
	report_init(&r);
	if (report_from_trace(&r, m, &o->filter, &in)) {
		fprintf(stderr, "qaic-prof report: out of memory\n");
		ret = PROF_EXIT_FAIL;
	} else {
		ret = render(o, &r);
	}
	report_free(&r);
	trace_model_free(m);
	return ret;
}

/* ---- live --------------------------------------------------------------------------------- */

struct live_ctx {
	struct report_opts *o;
	char source[256];
};

static int live_window(void *ctx, const struct snapshot *view, const struct snapshot *now,
		       bool final)
{
	struct live_ctx *lc = ctx;
	struct report_inputs in = inputs(lc->o, lc->source, 0);
	struct report r;
	int ret;

	(void)now;
	if (!final)
		return 0;
	report_init(&r);
	if (report_build(&r, view, &in)) {
		fprintf(stderr, "qaic-prof report: out of memory\n");
		ret = PROF_EXIT_FAIL;
	} else {
		ret = render(lc->o, &r);
	}
	report_free(&r);
	lc->o->status = ret;
	return ret;
}

static int report_live(struct report_opts *o)
{
	struct loop_opts lo = { .count = 1, .cumulative = true };
	struct live_ctx lc = { .o = o };
	struct prof_session s;
	int ret;

	lo.interval_ns = o->duration_ns ? o->duration_ns : ARGS_INTERVAL_MAX_NS;
	ret = session_start(&s, &o->filter, o->how, NULL, NULL);
	if (ret)
		return ret;
	live_source(lc.source, sizeof(lc.source), o, &s);
	if (o->duration_ns)
		fprintf(stderr, "Tracing qaic requests (%s) for %.3g s... Hit Ctrl-C to end early.\n",
			session_attach_name(&s), o->duration_ns / 1e9);
	else
		fprintf(stderr, "Tracing qaic requests (%s)... Hit Ctrl-C to end and report.\n",
			session_attach_name(&s));
	ret = loop_run(&s, &lo, live_window, &lc);
	session_stop(&s);
	return ret;
}

/* ---- command line ------------------------------------------------------------------------ */

enum {
	OPT_FROM = 0x200,
	OPT_NSPS,
	OPT_LINK_BPS,
	OPT_NUM_NSP,
};

static int parse(int argc, char **argv, struct report_opts *o, struct args_err *err)
{
	static const struct option longopts[] = {
		PROF_SESSION_LONGOPTS,
		{ "time", required_argument, NULL, 't' },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "nsps", required_argument, NULL, OPT_NSPS },
		{ "link-bps", required_argument, NULL, OPT_LINK_BPS },
		{ "num-nsp", required_argument, NULL, OPT_NUM_NSP },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, PROF_SESSION_SHORTOPTS "t:f:o:mu", longopts,
				  NULL)) != -1) {
		ret = session_opt(opt, optarg, &o->filter, &o->how, err);
		if (ret < 0)
			return -1;
		if (ret) {
			if (opt == PROF_OPT_ATTACH)
				o->attach_given = 1;
			continue;
		}
		switch (opt) {
		case 't':
			if (args_duration("--time", optarg, ARGS_INTERVAL_MIN_NS, ARGS_INTERVAL_MAX_NS,
					  &o->duration_ns, err))
				return -1;
			break;
		case OPT_FROM:
			if (!*optarg) {
				snprintf(err->msg, sizeof(err->msg), "--from: missing file name");
				return -1;
			}
			o->from = optarg;
			break;
		case 'f':
			if (report_format_parse("--format", optarg, &o->format, err))
				return -1;
			break;
		case 'o':
			if (!*optarg) {
				snprintf(err->msg, sizeof(err->msg), "--output: missing file name");
				return -1;
			}
			o->output = optarg;
			break;
		case OPT_NSPS:
			if (report_nsps_parse(&o->nsps, optarg, err))
				return -1;
			break;
		case OPT_LINK_BPS:
			if (args_uint("--link-bps", optarg, 1, LINK_BPS_MAX, &o->link_bps, err))
				return -1;
			break;
		case OPT_NUM_NSP:
			if (args_uint("--num-nsp", optarg, 1, NUM_NSP_MAX, &v, err))
				return -1;
			o->num_nsp = (uint32_t)v;
			break;
		case 'm':
		case 'u':
			if (args_unit_flag(&o->unit, (char)opt, err))
				return -1;
			break;
		default:
			return 1;	/* getopt said why */
		}
	}
	if (optind < argc) {
		snprintf(err->msg, sizeof(err->msg), "unexpected argument '%s'%s", argv[optind],
			 "; the window is -t DURATION");
		return -1;
	}
	if (o->from && o->duration_ns) {
		snprintf(err->msg, sizeof(err->msg), "--from reads a recording: -t does not apply");
		return -1;
	}
	if (o->from && o->attach_given) {
		snprintf(err->msg, sizeof(err->msg), "--from reads a recording: --attach does not apply");
		return -1;
	}
	return 0;
}

int cmd_report(int argc, char **argv)
{
	struct report_opts *o = calloc(1, sizeof(*o));
	struct args_err err;
	int ret;

	if (!o) {
		fprintf(stderr, "qaic-prof report: out of memory\n");
		return PROF_EXIT_FAIL;
	}
	o->unit.unit = PROF_UNIT_US;
	o->filter = PROF_FILTER_ALL;
	o->how = PROF_ATTACH_AUTO;
	report_nsps_init(&o->nsps);
	ret = parse(argc, argv, o, &err);
	if (ret) {
		if (ret < 0)
			fprintf(stderr, "qaic-prof report: %s\n", err.msg);
		free(o);
		return PROF_EXIT_USAGE;
	}
	if (open_output(o)) {
		free(o);
		return PROF_EXIT_FAIL;
	}
	o->status = PROF_EXIT_FAIL;
	if (o->from) {
		ret = report_file(o);
	} else {
		ret = report_live(o);
		if (!ret)
			ret = o->status;
	}
	if (close_output(o, ret == PROF_EXIT_OK) && ret == PROF_EXIT_OK)
		ret = PROF_EXIT_FAIL;
	if (ret == PROF_EXIT_OK && o->output && strcmp(o->output, "-"))
		fprintf(stderr, "qaic-prof report: wrote %s\n", o->output);
	free(o);
	return ret;
}

const struct prof_cmd prof_cmd_report = {
	.name = "report",
	.run = cmd_report,
	.summary = "capacity report: throughput, latency per stage, link and NSP use, bottleneck, headroom",
	.synopsis = "[-t DURATION | --from FILE] [OPTIONS]",
	.options =
		PROF_SESSION_HELP
		"  -t, --time=DUR      live window length (\"30s\", \"2m\"); default: until Ctrl-C\n"
		"      --from=FILE     report on a recording of `qaic-prof record` instead\n"
		"  -f, --format=FMT    text (default), md, json or csv\n"
		"  -o, --output=FILE   write the report there (\"-\": stdout, the default)\n"
		"      --nsps=RULE     NSPs one inference holds, for the NSP estimate (default 1):\n"
		"                      N (every workload), dbcD=N, pidP=N, or dev|dbc|pid|comm=VALUE:N;\n"
		"                      repeat it, the first rule that matches applies\n"
		"      --link-bps=N    link capacity per direction in bytes/s (default: sysfs)\n"
		"      --num-nsp=N     NSPs per device (default: sysfs num_nsp)\n"
		"  -m, -u              latencies in ms or us (default us; JSON is always ns)\n",
	.examples =
		"  qaic-prof report -t 30s                        # 30 s of live traffic\n"
		"  qaic-prof report -t 1m --nsps dbc0=2 --nsps pid=4242:8 -f md -o capacity.md\n"
		"  qaic-prof report --dbc 3 -f json               # until Ctrl-C, one DBC only\n"
		"  qaic-prof record -o trace.json -t 10s && qaic-prof report --from trace.json\n"
		"  qaic-prof report --from trace.json -f csv -o report.csv --link-bps 31500000000\n",
};
