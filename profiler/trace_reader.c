// SPDX-License-Identifier: MIT
/*
 * Trace file -> trace model: the top level and traceEvents are streamed,
 * one event at a time is parsed, checked, and (requests, executes, waits,
 * IRQs) turned back into its record from its args.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "trace_reader.h"
#include "trace_writer.h"

/* What otherData says, checked against the file once it is read. */
struct other_data {
	int seen;
	uint64_t version;
	uint64_t first_ts, last_ts;
	uint64_t requests, orphans, incomplete, unwaited;
	uint64_t executes, waits, unmatched_waits, irqs;
};

struct reader {
	struct tj_parser *p;
	struct trace_model *m;
	struct trace_read_opts *opts;
	struct other_data od;
	/* The event being read, for messages. */
	size_t index;
	unsigned int line;
	const char *what;
	const struct tj_value *args;
	int err;
};

__attribute__((format(printf, 2, 3)))
static int bad(struct reader *rd, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (rd->err)
		return rd->err;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (rd->what)
		rd->err = tj_fail(rd->p, rd->line, "event %zu (%s): %s", rd->index, rd->what, msg);
	else
		rd->err = tj_fail(rd->p, rd->line, "%s", msg);
	return rd->err;
}

/* ---- args of one record, with a sticky error ----------------------------------------- */

static const struct tj_value *arg(struct reader *rd, const char *key)
{
	const struct tj_value *v = tj_get(rd->args, key);

	if (!v)
		bad(rd, "args.%s missing", key);
	return v;
}

static uint64_t arg_u64(struct reader *rd, const char *key, uint64_t max)
{
	const struct tj_value *v;
	uint64_t x = 0;

	if (rd->err || !(v = arg(rd, key)))
		return 0;
	if (tj_uint(v, &x) || x > max)
		bad(rd, "args.%s is not an integer in 0..%" PRIu64, key, max);
	return x;
}

static uint32_t arg_u32(struct reader *rd, const char *key)
{
	return (uint32_t)arg_u64(rd, key, UINT32_MAX);
}

static int32_t arg_i32(struct reader *rd, const char *key)
{
	const struct tj_value *v;
	int64_t x = 0;

	if (rd->err || !(v = arg(rd, key)))
		return 0;
	if (tj_int(v, &x) || x < INT32_MIN || x > INT32_MAX)
		bad(rd, "args.%s is not a 32-bit integer", key);
	return (int32_t)x;
}

static int arg_bool(struct reader *rd, const char *key)
{
	const struct tj_value *v;

	if (rd->err || !(v = arg(rd, key)))
		return 0;
	if (v->type != TJ_TRUE && v->type != TJ_FALSE)
		bad(rd, "args.%s is not true or false", key);
	return v->type == TJ_TRUE;
}

static void arg_comm(struct reader *rd, char comm[TRACE_COMM_LEN])
{
	const struct tj_value *v;

	memset(comm, 0, TRACE_COMM_LEN);
	if (rd->err || !(v = arg(rd, "comm")))
		return;
	if (v->type != TJ_STRING || v->len >= TRACE_COMM_LEN)
		bad(rd, "args.comm is not a string of at most %d bytes", TRACE_COMM_LEN - 1);
	else
		trace_comm_copy(comm, v->text);
}

static int has_arg(struct reader *rd, const char *key)
{
	return tj_get(rd->args, key) != NULL;
}

/* ---- records ------------------------------------------------------------------------------ */

static int read_request(struct reader *rd)
{
	struct trace_req r = { .dir = QP_DIR_N };
	const struct tj_value *dir;

	r.dev = arg_u32(rd, "dev");
	r.dbc = arg_u32(rd, "dbc");
	r.seq = arg_u64(rd, "seq", UINT64_MAX);
	r.handle = arg_u32(rd, "handle");
	r.flags |= arg_bool(rd, "enqueued") ? TRACE_REQ_ENQUEUED : 0;
	r.flags |= arg_bool(rd, "completed") ? TRACE_REQ_COMPLETED : 0;
	r.flags |= arg_bool(rd, "waited") ? TRACE_REQ_WAITED : 0;
	r.submit_ts = arg_u64(rd, "submit_ts", UINT64_MAX);
	r.waits = arg_u32(rd, "waits");
	if (has_arg(rd, "tgid")) {
		r.flags |= TRACE_REQ_OWNER;
		r.tgid = arg_u32(rd, "tgid");
		r.tid = arg_u32(rd, "tid");
		r.cgroup = arg_u64(rd, "cgroup", UINT64_MAX);
		r.bytes = arg_u64(rd, "bytes", UINT64_MAX);
		dir = rd->err ? NULL : arg(rd, "dir");
		if (tj_is_string(dir, trace_dir_name(QP_DIR_IN)))
			r.dir = QP_DIR_IN;
		else if (tj_is_string(dir, trace_dir_name(QP_DIR_OUT)))
			r.dir = QP_DIR_OUT;
		else if (dir && !tj_is_string(dir, trace_dir_name(QP_DIR_N)))
			bad(rd, "args.dir is not \"in\", \"out\" or \"unknown\"");
	}
	if (r.flags & TRACE_REQ_ENQUEUED) {
		if (!(r.flags & TRACE_REQ_OWNER))
			bad(rd, "an enqueued request without args.tgid");
		arg_comm(rd, r.comm);
		r.elements = arg_u32(rd, "elements");
		r.queue_level = arg_u32(rd, "queue_level");
	}
	if (has_arg(rd, "doorbell_ts")) {
		r.flags |= TRACE_REQ_DOORBELL;
		r.doorbell_ts = arg_u64(rd, "doorbell_ts", UINT64_MAX);
	}
	if (r.flags & TRACE_REQ_COMPLETED) {
		r.status = arg_i32(rd, "status");
		r.seen_ts = arg_u64(rd, "seen_ts", UINT64_MAX);
		r.complete_ts = arg_u64(rd, "complete_ts", UINT64_MAX);
	}
	if (r.flags & TRACE_REQ_WAITED) {
		r.wait_ts = arg_u64(rd, "wait_ts", UINT64_MAX);
		r.waited_ns = arg_u64(rd, "waited_ns", UINT64_MAX);
		r.wait_result = arg_i32(rd, "wait_result");
		r.wait_tgid = arg_u32(rd, "wait_tgid");
		r.wait_tid = arg_u32(rd, "wait_tid");
	}
	if (!rd->err && !(r.flags & (TRACE_REQ_ENQUEUED | TRACE_REQ_COMPLETED)))
		bad(rd, "a request neither enqueued nor completed");
	return rd->err ? rd->err : trace_model_add_req(rd->m, &r);
}

/* Executes and waits: the process and thread are the event's pid and tid. */
static int read_exec(struct reader *rd, const struct trace_event_view *ev)
{
	struct trace_exec e = { 0 };

	e.dev = arg_u32(rd, "dev");
	e.dbc = arg_u32(rd, "dbc");
	e.tgid = ev->pid;
	e.tid = ev->tid;
	arg_comm(rd, e.comm);
	e.cgroup = arg_u64(rd, "cgroup", UINT64_MAX);
	e.ts = arg_u64(rd, "ts", UINT64_MAX);
	if (has_arg(rd, "doorbell_ts"))
		e.doorbell_ts = arg_u64(rd, "doorbell_ts", UINT64_MAX);
	e.bos = arg_u32(rd, "bos");
	e.enqueued = arg_u32(rd, "enqueued");
	e.partial = (uint32_t)arg_bool(rd, "partial");
	e.rebuilt = (uint32_t)arg_bool(rd, "rebuilt");
	return rd->err ? rd->err : trace_model_add_exec(rd->m, &e);
}

static int read_wait(struct reader *rd, const struct trace_event_view *ev)
{
	struct trace_wait w = { 0 };

	w.dev = arg_u32(rd, "dev");
	w.dbc = arg_u32(rd, "dbc");
	w.tgid = ev->pid;
	w.tid = ev->tid;
	arg_comm(rd, w.comm);
	w.cgroup = arg_u64(rd, "cgroup", UINT64_MAX);
	w.handle = arg_u32(rd, "handle");
	w.seq = arg_u64(rd, "seq", UINT64_MAX);
	w.result = arg_i32(rd, "result");
	w.ts = arg_u64(rd, "ts", UINT64_MAX);
	w.waited_ns = arg_u64(rd, "waited_ns", UINT64_MAX);
	w.matched = (uint32_t)arg_bool(rd, "matched");
	return rd->err ? rd->err : trace_model_add_wait(rd->m, &w);
}

static int read_irq(struct reader *rd)
{
	struct trace_irq irq = { 0 };

	irq.dev = arg_u32(rd, "dev");
	irq.dbc = arg_u32(rd, "dbc");
	irq.rsp_head = arg_u32(rd, "rsp_head");
	irq.rsp_tail = arg_u32(rd, "rsp_tail");
	irq.ts = arg_u64(rd, "ts", UINT64_MAX);
	return rd->err ? rd->err : trace_model_add_irq(rd->m, &irq);
}

/* ---- events -------------------------------------------------------------------------------- */

static int field_u32(struct reader *rd, const struct tj_value *ev, const char *key,
		     uint32_t *out)
{
	const struct tj_value *v = tj_get(ev, key);
	uint64_t x;

	if (!v)
		return 0;
	if (tj_uint(v, &x) || x > UINT32_MAX)
		return bad(rd, "%s is not an integer in 0..%" PRIu32, key, UINT32_MAX);
	*out = (uint32_t)x;
	return 1;
}

/* "ts" and "dur": non-negative microseconds with up to ns precision used. */
static int field_time(struct reader *rd, const struct tj_value *ev, const char *key,
		      uint64_t *out)
{
	const struct tj_value *v = tj_get(ev, key);
	int64_t ns;

	if (!v)
		return 0;
	if (tj_fixed(v, 3, &ns))
		return bad(rd, "%s is not a plain decimal number of microseconds", key);
	if (ns < 0)
		return bad(rd, "%s is negative%s", key,
			   !strcmp(key, "dur") ? " (the slice ends before it begins)" : "");
	*out = (uint64_t)ns;
	return 1;
}

static int check_counter_args(struct reader *rd, const struct tj_value *args)
{
	const struct tj_value *v;

	if (!args || args->type != TJ_OBJECT || !args->first)
		return bad(rd, "a counter without args");
	for (v = args->first; v; v = v->next)
		if (v->type != TJ_NUMBER)
			return bad(rd, "counter value args.%s is not a number", v->key);
	return 0;
}

static int check_metadata(struct reader *rd, const char *name, const struct tj_value *args)
{
	const struct tj_value *v;
	int64_t x;

	if (!strcmp(name, "process_name") || !strcmp(name, "thread_name")) {
		v = tj_get(args, "name");
		if (!v || v->type != TJ_STRING)
			return bad(rd, "%s without a string args.name", name);
		return 0;
	}
	if (!strcmp(name, "process_sort_index") || !strcmp(name, "thread_sort_index")) {
		if (tj_int(tj_get(args, "sort_index"), &x))
			return bad(rd, "%s without an integer args.sort_index", name);
		return 0;
	}
	return bad(rd, "unknown metadata \"%s\"", name);
}

static int read_event(struct reader *rd, const struct tj_value *ev)
{
	struct trace_event_view view = { .index = rd->index, .line = ev->line, .name = "",
					 .cat = "" };
	const struct tj_value *v;
	int ret;

	rd->what = "event";
	rd->line = ev->line;
	if (ev->type != TJ_OBJECT)
		return bad(rd, "not an object");
	v = tj_get(ev, "ph");
	if (!v || v->type != TJ_STRING || v->len != 1 || !strchr("XisfCM", v->text[0]))
		return bad(rd, "ph missing or not one of X i s f C M");
	view.ph = v->text[0];
	v = tj_get(ev, "name");
	if (!v || v->type != TJ_STRING)
		return bad(rd, "name missing or not a string");
	view.name = v->text;
	rd->what = view.name;
	v = tj_get(ev, "cat");
	if (v && v->type != TJ_STRING)
		return bad(rd, "cat is not a string");
	view.cat = v ? v->text : "";
	v = tj_get(ev, "args");
	if (v && v->type != TJ_OBJECT)
		return bad(rd, "args is not an object");
	view.args = v;
	rd->args = v;
	if (field_u32(rd, ev, "pid", &view.pid) <= 0)
		return rd->err ? rd->err : bad(rd, "pid missing");
	if (field_u32(rd, ev, "tid", &view.tid) < 0)
		return rd->err;
	view.has_ts = field_time(rd, ev, "ts", &view.ts_ns);
	view.has_dur = field_time(rd, ev, "dur", &view.dur_ns);
	if (rd->err)
		return rd->err;
	if (view.ph != 'M' && !view.has_ts)
		return bad(rd, "ts missing");
	if (view.ph == 'X' && !view.has_dur)
		return bad(rd, "a complete (X) slice without dur");
	if (view.ph == 's' || view.ph == 'f') {
		v = tj_get(ev, "id");
		if (tj_uint(v, &view.id))
			return bad(rd, "a flow without an integer id");
		view.has_id = 1;
		view.binds_enclosing = tj_is_string(tj_get(ev, "bp"), "e");
	}
	if (view.ph == 'C' && check_counter_args(rd, view.args))
		return rd->err;
	if (view.ph == 'M' && check_metadata(rd, view.name, view.args))
		return rd->err;

	if (view.ph == 'X' && !strcmp(view.cat, "request"))
		ret = read_request(rd);
	else if (view.ph == 'X' && !strcmp(view.cat, "execute"))
		ret = read_exec(rd, &view);
	else if (view.ph == 'X' && !strcmp(view.cat, "wait"))
		ret = read_wait(rd, &view);
	else if (view.ph == 'i' && !strcmp(view.cat, "irq"))
		ret = read_irq(rd);
	else
		ret = 0;
	if (ret)
		return ret == -ENOMEM ? ret : rd->err ? rd->err : bad(rd, "cannot take it");
	if (rd->opts && rd->opts->on_event) {
		ret = rd->opts->on_event(rd->opts->ctx, &view);
		if (ret)
			return bad(rd, "refused by the caller (%d)", ret);
	}
	return 0;
}

static int read_events(struct reader *rd)
{
	const struct tj_value *ev;
	int ret;

	ret = tj_array_begin(rd->p);
	if (ret)
		return ret;
	for (rd->index = 0; (ret = tj_array_next(rd->p)) > 0; rd->index++) {
		ret = tj_value(rd->p, &ev);
		if (!ret)
			ret = read_event(rd, ev);
		tj_reset(rd->p);
		if (ret)
			return ret;
	}
	rd->what = NULL;
	return ret;
}

/* ---- otherData ------------------------------------------------------------------------------ */

static uint64_t other_u64(struct reader *rd, const char *key)
{
	return arg_u64(rd, key, UINT64_MAX);
}

static int read_other_data(struct reader *rd)
{
	struct trace_counts *c = &rd->m->counts;
	struct other_data *od = &rd->od;
	const struct tj_value *v, *src;
	int ret;

	ret = tj_value(rd->p, &v);
	if (ret)
		return ret;
	rd->what = NULL;
	rd->line = v->line;
	if (v->type != TJ_OBJECT)
		return bad(rd, "otherData is not an object");
	rd->args = v;
	if (!tj_is_string(tj_get(v, "format"), TRACE_FORMAT))
		return bad(rd, "not a qaic-prof trace (otherData.format is not \"%s\")",
			   TRACE_FORMAT);
	od->version = other_u64(rd, "version");
	if (!rd->err && od->version != TRACE_FORMAT_VERSION)
		return bad(rd, "trace format version %" PRIu64 "; this qaic-prof reads version %d",
			   od->version, TRACE_FORMAT_VERSION);
	src = tj_get(v, "source");
	if (src && src->type != TJ_STRING)
		return bad(rd, "otherData.source is not a string");
	if (src && rd->opts)
		snprintf(rd->opts->source, sizeof(rd->opts->source), "%s", src->text);
	if (rd->opts)
		rd->opts->origin_ns = other_u64(rd, "ts_origin_ns");
	od->first_ts = other_u64(rd, "first_ts_ns");
	od->last_ts = other_u64(rd, "last_ts_ns");
	c->events = other_u64(rd, "events");
	c->dropped = other_u64(rd, "dropped_events");
	c->malformed = other_u64(rd, "malformed_events");
	c->duplicates = other_u64(rd, "duplicate_events");
	od->requests = other_u64(rd, "requests");
	od->orphans = other_u64(rd, "orphan_completions");
	od->incomplete = other_u64(rd, "incomplete_requests");
	od->unwaited = other_u64(rd, "unwaited_requests");
	od->executes = other_u64(rd, "executes");
	od->waits = other_u64(rd, "waits");
	od->unmatched_waits = other_u64(rd, "unmatched_waits");
	od->irqs = other_u64(rd, "irqs");
	od->seen = 1;
	tj_reset(rd->p);
	rd->args = NULL;
	return rd->err;
}

static int check_totals(struct reader *rd)
{
	const struct trace_model *m = rd->m;
	const struct other_data *od = &rd->od;
	const struct {
		const char *what;
		uint64_t said, found;
	} t[] = {
		{ "requests", od->requests, m->n_reqs },
		{ "orphan_completions", od->orphans, m->counts.orphans },
		{ "incomplete_requests", od->incomplete, m->counts.incomplete },
		{ "unwaited_requests", od->unwaited, m->counts.unwaited },
		{ "executes", od->executes, m->n_execs },
		{ "waits", od->waits, m->n_waits },
		{ "unmatched_waits", od->unmatched_waits, m->counts.unmatched_waits },
		{ "irqs", od->irqs, m->n_irqs },
		{ "first_ts_ns", od->first_ts, m->first_ts },
		{ "last_ts_ns", od->last_ts, m->last_ts },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].said != t[i].found)
			return bad(rd, "otherData.%s is %" PRIu64 " but the events give %" PRIu64,
				   t[i].what, t[i].said, t[i].found);
	return 0;
}

/* ---- the document ---------------------------------------------------------------------------- */

static int read_document(struct reader *rd)
{
	const struct tj_value *v;
	const char *key;
	int ret, events = 0;

	ret = tj_object_begin(rd->p);
	while (!ret && (ret = tj_object_next(rd->p, &key)) > 0) {
		if (!strcmp(key, "traceEvents") && !events) {
			events = 1;
			ret = read_events(rd);
		} else if (!strcmp(key, "otherData") && !rd->od.seen) {
			ret = read_other_data(rd);
		} else if (!strcmp(key, "displayTimeUnit")) {
			ret = tj_value(rd->p, &v);
			if (!ret && v->type != TJ_STRING)
				ret = tj_fail(rd->p, v->line, "displayTimeUnit is not a string");
			tj_reset(rd->p);
		} else {
			rd->what = NULL;
			ret = tj_fail(rd->p, tj_line(rd->p), "unexpected top-level member \"%s\"", key);
		}
	}
	if (ret < 0)
		return ret;
	ret = tj_end(rd->p);
	if (ret)
		return ret;
	rd->what = NULL;
	rd->line = tj_line(rd->p);
	if (!rd->od.seen)
		return bad(rd, "not a qaic-prof trace (no otherData)");
	if (!events)
		return bad(rd, "no traceEvents");
	ret = trace_model_seal(rd->m);
	return ret ? ret : check_totals(rd);
}

int trace_read_stream(FILE *in, const char *name, struct trace_model **out,
		      struct trace_read_opts *opts, char *err, size_t errlen)
{
	struct reader rd = { .opts = opts };
	int ret;

	*out = NULL;
	if (opts) {
		opts->origin_ns = 0;
		opts->source[0] = '\0';
	}
	rd.p = tj_open(in, name);
	rd.m = trace_model_new();
	if (!rd.p || !rd.m) {
		ret = -ENOMEM;
		snprintf(err, errlen, "%s: out of memory", name);
		goto out;
	}
	ret = read_document(&rd);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", name);
	else if (ret)
		snprintf(err, errlen, "%s", tj_error(rd.p));
out:
	tj_close(rd.p);
	if (ret) {
		trace_model_free(rd.m);
		return ret;
	}
	*out = rd.m;
	return 0;
}

int trace_read(const char *path, struct trace_model **out, struct trace_read_opts *opts,
	       char *err, size_t errlen)
{
	FILE *in = strcmp(path, "-") ? fopen(path, "r") : stdin;
	int ret;

	if (!in) {
		ret = -errno;
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		*out = NULL;
		return ret;
	}
	ret = trace_read_stream(in, path, out, opts, err, errlen);
	if (in != stdin)
		fclose(in);
	return ret;
}
