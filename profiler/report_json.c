// SPDX-License-Identifier: MIT
/*
 * The report as one JSON document through the one writer (tools/
 * json_writer): times in ns, rates per second, utilizations in percent,
 * unknown figures as null, upper bounds named *_upper.
 */
#include <math.h>

#include "counters.h"
#include "json_writer.h"
#include "report_nsps.h"
#include "report_render.h"

static const char *const dir_keys[QP_DIR_N] = { "in", "out" };

static void kv_dirs_uint(struct json_writer *jw, const char *key, const uint64_t *v)
{
	unsigned int d;

	jw_key(jw, key);
	jw_object_begin(jw);
	for (d = 0; d < QP_DIR_N; d++)
		jw_kv_uint(jw, dir_keys[d], v[d]);
	jw_object_end(jw);
}

static void kv_dirs_double(struct json_writer *jw, const char *key, const double *v)
{
	unsigned int d;

	jw_key(jw, key);
	jw_object_begin(jw);
	for (d = 0; d < QP_DIR_N; d++)
		jw_kv_double(jw, dir_keys[d], v[d]);
	jw_object_end(jw);
}

static void resource(struct json_writer *jw, const struct report_dev *d, int res)
{
	unsigned int dir = res == REPORT_RES_LINK_IN ? QP_DIR_IN : QP_DIR_OUT;

	jw_key(jw, report_res_key(res));
	jw_object_begin(jw);
	if (res == REPORT_RES_NSP) {
		jw_kv_double(jw, "busy_upper", d->nsp_busy);
		jw_kv_double(jw, "util_pct_upper", 100 * d->util[res]);
	} else {
		jw_kv_uint(jw, "bytes", d->bytes[dir]);
		jw_kv_double(jw, "bytes_per_sec", d->bytes_per_sec[dir]);
		jw_kv_double(jw, "util_pct", 100 * d->util[res]);
	}
	jw_kv_double(jw, "scale_to_saturation", d->util[res] > 0 ? 1 / d->util[res] : NAN);
	jw_object_end(jw);
}

static void device(struct json_writer *jw, const struct report_dev *d)
{
	int res;

	jw_object_begin(jw);
	jw_kv_uint(jw, "dev", d->info.minor);
	jw_kv_string(jw, "node", d->info.node[0] ? d->info.node : NULL);
	jw_kv_bool(jw, "found", d->found);
	devinfo_json(jw, &d->info);
	jw_kv_string(jw, "link_source", d->link_overridden ? "--link-bps" :
			 d->info.link_known ? "sysfs" : NULL);
	jw_kv_string(jw, "num_nsp_source", d->nsp_overridden ? "--num-nsp" :
			 d->info.num_nsp ? "sysfs" : NULL);
	jw_kv_uint(jw, "workloads", d->n_wl);
	jw_kv_double(jw, "executes_per_sec", d->exec_per_sec);
	for (res = 0; res < REPORT_RES_N; res++)
		resource(jw, d, res);
	jw_kv_string(jw, "bottleneck", report_res_key(d->bottleneck));
	jw_kv_double(jw, "headroom", d->headroom);
	jw_kv_double(jw, "executes_per_sec_at_headroom", d->exec_per_sec * d->headroom);
	jw_key(jw, "nsp_estimate");
	if (isfinite(d->nsp_util_rec)) {
		jw_object_begin(jw);
		jw_kv_double(jw, "busy", d->nsp_busy_rec);
		jw_kv_double(jw, "util_pct", 100 * d->nsp_util_rec);
		jw_kv_string(jw, "bottleneck", report_res_key(d->bottleneck_rec));
		jw_kv_double(jw, "headroom", d->headroom_rec);
		jw_object_end(jw);
	} else {
		jw_null(jw);
	}
	jw_object_end(jw);
}

static void workload(struct json_writer *jw, const struct report *r, const struct report_wl *w)
{
	uint64_t bos = w->bos[QP_DIR_IN] + w->bos[QP_DIR_OUT];
	unsigned int s, d;

	jw_object_begin(jw);
	jw_kv_uint(jw, "dev", w->key.dev);
	jw_kv_uint(jw, "dbc", w->key.dbc);
	jw_kv_uint(jw, "pid", w->key.tgid);
	jw_kv_string(jw, "comm", w->comm);
	jw_kv_uint(jw, "cgroup", w->key.cgroup);
	jw_kv_uint(jw, "executes", w->executes);
	jw_kv_double(jw, "executes_per_sec", w->exec_per_sec);
	jw_kv_uint(jw, "bos", bos);
	jw_kv_double(jw, "bos_per_sec", w->bos_per_sec);
	kv_dirs_uint(jw, "bos_by_dir", w->bos);
	kv_dirs_uint(jw, "bytes", w->bytes);
	kv_dirs_double(jw, "bytes_per_execute", w->bytes_per_exec);
	kv_dirs_double(jw, "bytes_per_sec", w->bytes_per_sec);
	jw_kv_uint(jw, "errors", w->errors);
	jw_key(jw, "stages");
	jw_object_begin(jw);
	for (s = 0; s < QP_STAGE_N; s++) {
		jw_key(jw, stage_name(s));
		stage_stats_json(jw, &w->stage[s]);
	}
	jw_object_end(jw);
	jw_key(jw, "device_by_dir");
	if (w->has_dir_device) {
		jw_object_begin(jw);
		for (d = 0; d < QP_DIR_N; d++) {
			jw_key(jw, dir_keys[d]);
			stage_stats_json(jw, &w->device_dir[d]);
		}
		jw_object_end(jw);
	} else {
		jw_null(jw);
	}
	jw_key(jw, "dominant_stage");
	if (w->dominant >= 0) {
		jw_object_begin(jw);
		jw_kv_string(jw, "stage", stage_name((unsigned int)w->dominant));
		jw_kv_double(jw, "share_pct", 100 * w->dominant_share);
		jw_object_end(jw);
	} else {
		jw_null(jw);
	}
	if (w->has_busy)
		jw_kv_uint(jw, "dbc_busy_ns", w->busy_ns);
	else
		jw_kv_null(jw, "dbc_busy_ns");
	jw_kv_double(jw, "dbc_busy_pct", 100 * w->busy_frac);
	jw_kv_double(jw, "dbc_scale_limit", w->dbc_limit);
	jw_kv_bool(jw, "dbc_shared", w->dbc_shared);
	jw_kv_uint(jw, "nsps_per_inference", w->nsps);
	jw_kv_string(jw, "nsps_rule", w->nsp_rule >= 0 && r->nsps ?
			 r->nsps->rule[w->nsp_rule].text : NULL);
	jw_kv_double(jw, "transfer_ns", w->xfer_ns);
	jw_kv_double(jw, "compute_ns_upper", w->compute_ns);
	jw_kv_double(jw, "compute_per_execute_ns_upper", w->compute_per_exec_ns);
	jw_kv_double(jw, "nsps_busy_upper", w->nsp_busy);
	jw_kv_double(jw, "nsps_busy_estimate", w->nsp_busy_rec);
	jw_kv_double(jw, "executes_per_sec_at_headroom", w->exec_per_sec_at_headroom);
	jw_object_end(jw);
}

static void recording(struct json_writer *jw, const struct report *r)
{
	const struct trace_counts *c = &r->trace;

	jw_key(jw, "recording");
	jw_object_begin(jw);
	jw_kv_uint(jw, "events", c->events);
	jw_kv_uint(jw, "dropped", c->dropped);
	jw_kv_uint(jw, "malformed", c->malformed);
	jw_kv_uint(jw, "orphans", c->orphans);
	jw_kv_uint(jw, "incomplete", c->incomplete);
	jw_kv_uint(jw, "unwaited", c->unwaited);
	jw_kv_uint(jw, "unattributed", r->unattributed);
	jw_object_end(jw);
}

int report_render_json(FILE *out, const struct report *r)
{
	struct json_writer *jw = jw_open(out);
	unsigned int i;
	size_t k;

	if (!jw)
		return -1;
	jw_object_begin(jw);
	jw_kv_string(jw, "report", "capacity");
	jw_kv_string(jw, "source", r->source);
	jw_kv_bool(jw, "from_recording", r->from_trace);
	jw_key(jw, "window");
	jw_object_begin(jw);
	jw_kv_uint(jw, "start_ns", r->start_ns);
	jw_kv_uint(jw, "end_ns", r->end_ns);
	jw_kv_uint(jw, "duration_ns", r->window_ns);
	jw_object_end(jw);
	jw_key(jw, "devices");
	jw_array_begin(jw);
	for (i = 0; i < r->n_dev; i++)
		device(jw, &r->dev[i]);
	jw_array_end(jw);
	jw_key(jw, "workloads");
	jw_array_begin(jw);
	for (k = 0; k < r->n_wl; k++)
		workload(jw, r, &r->wl[k]);
	jw_array_end(jw);
	if (r->has_counters)
		counters_json(jw, r->counters);
	if (r->has_trace_counts)
		recording(jw, r);
	jw_key(jw, "assumptions");
	jw_array_begin(jw);
	for (i = 0; i < r->n_notes; i++)
		jw_string(jw, r->notes[i]);
	jw_array_end(jw);
	jw_object_end(jw);
	if (jw_close(jw))
		return -1;
	fflush(out);
	return ferror(out) ? -1 : 0;
}
