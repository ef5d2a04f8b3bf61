// SPDX-License-Identifier: MIT
/*
 * qaic-prof record: stream every data-path event through the BPF ring
 * buffer for a while, join them into requests and write a Chrome
 * trace-event JSON file that Perfetto's UI (ui.perfetto.dev) or
 * chrome://tracing opens. Events the ring buffer dropped are counted and
 * written into the file.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "counters.h"
#include "loop.h"
#include "prof.h"
#include "session.h"
#include "trace_model.h"
#include "trace_writer.h"

struct record_ctx {
	struct trace_model *model;
	uint64_t drops;
	uint64_t events;
	const char *path;
	char source[512];
};

static int record_interval(void *ctx, const struct snapshot *view, const struct snapshot *now,
			   bool final)
{
	struct record_ctx *r = ctx;

	(void)view;
	(void)final;
	r->drops = now->counters[QP_CNT_RB_DROPS];	/* the maps began empty */
	r->events = now->counters[QP_CNT_RB_EVENTS];
	return 0;
}

/* The command line, for the file's "source". */
static void command_line(char *buf, size_t size, int argc, char **argv)
{
	size_t n = snprintf(buf, size, "qaic-prof");
	int i;

	for (i = 0; i < argc && n < size; i++)
		n += snprintf(buf + n, size - n, " %s", argv[i]);
}

int cmd_record(int argc, char **argv)
{
	static const struct option longopts[] = {
		PROF_SESSION_LONGOPTS,
		{ "output", required_argument, NULL, 'o' },
		{ "time", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct record_ctx r = { .path = NULL };
	struct loop_opts lo = { .interval_ns = 100000000ULL };	/* drain + count every 100 ms */
	enum prof_attach how = PROF_ATTACH_AUTO;
	struct prof_filter f = PROF_FILTER_ALL;
	uint64_t duration = 0;
	struct prof_session s;
	struct args_err err;
	char msg[256];
	int opt, ret;

	while ((opt = getopt_long(argc, argv, PROF_SESSION_SHORTOPTS "o:t:", longopts, NULL)) != -1) {
		ret = session_opt(opt, optarg, &f, &how, &err);
		if (ret < 0)
			goto usage;
		if (ret)
			continue;
		switch (opt) {
		case 'o':
			r.path = optarg;
			break;
		case 't':
			if (args_duration("--time", optarg, 10000000ULL, ARGS_INTERVAL_MAX_NS,
					  &duration, &err))
				goto usage;
			break;
		default:
			return PROF_EXIT_USAGE;
		}
	}
	if (!r.path) {
		snprintf(err.msg, sizeof(err.msg), "-o FILE is required (\"-\" for stdout)");
		goto usage;
	}
	if (optind < argc) {
		snprintf(err.msg, sizeof(err.msg), "unexpected argument '%s'", argv[optind]);
		goto usage;
	}
	if (duration)
		lo.count = (duration + lo.interval_ns - 1) / lo.interval_ns;
	command_line(r.source, sizeof(r.source), argc, argv);
	r.model = trace_model_new();
	if (!r.model) {
		fprintf(stderr, "qaic-prof record: out of memory\n");
		return PROF_EXIT_FAIL;
	}
	ret = session_start(&s, &f, how, trace_model_rb_sample, r.model);
	if (ret) {
		trace_model_free(r.model);
		return ret;
	}
	fprintf(stderr, "Tracing qaic requests (%s) into %s... %s\n", session_attach_name(&s),
		r.path, duration ? "" : "Hit Ctrl-C to end.");
	ret = loop_run(&s, &lo, record_interval, &r);
	session_poll(&s, 0);
	session_stop(&s);
	if (ret) {
		trace_model_free(r.model);
		return ret;
	}
	trace_model_set_dropped(r.model, r.drops);
	snprintf(msg, sizeof(msg), "joining the events: out of memory");
	if (trace_model_finish(r.model) ||
	    trace_write_path(r.path, r.model, &(struct trace_write_opts){ .source = r.source },
			     msg, sizeof(msg))) {
		fprintf(stderr, "qaic-prof record: %s\n", msg);
		trace_model_free(r.model);
		return PROF_EXIT_FAIL;
	}
	fprintf(stderr, "qaic-prof record: %zu requests, %llu events dropped; wrote %s\n",
		r.model->n_reqs, (unsigned long long)r.drops, r.path);
	if (r.drops)
		fprintf(stderr, "qaic-prof record: the ring buffer was full %llu times: the trace lacks those events\n",
			(unsigned long long)r.drops);
	trace_model_free(r.model);
	return PROF_EXIT_OK;

usage:
	fprintf(stderr, "qaic-prof record: %s\n", err.msg);
	return PROF_EXIT_USAGE;
}

const struct prof_cmd prof_cmd_record = {
	.name = "record",
	.run = cmd_record,
	.summary = "record every request into a Chrome trace JSON file for Perfetto",
	.synopsis = "-o FILE [OPTIONS]",
	.options =
		PROF_SESSION_HELP
		"  -o, --output=FILE   the trace file (\"-\": stdout); written when recording ends\n"
		"  -t, --time=DUR      record this long (\"10s\"), else until Ctrl-C\n",
	.examples =
		"  qaic-prof record -o trace.json -t 10s   # then open it in ui.perfetto.dev\n"
		"  qaic-prof record -o dbc3.json --dbc 3   # until Ctrl-C\n"
		"  qaic-prof report --from trace.json      # a capacity report from the recording\n",
};
