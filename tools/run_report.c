// SPDX-License-Identifier: MIT
/*
 * qaic-run's output: the human table, the JSON document (through the tools'
 * one JSON writer) and the --dry-run plan. MB/s are 10^6 bytes per second;
 * latencies are client-side, per request, in microseconds (table) or
 * nanoseconds (JSON). --perf-stats adds what the driver's PERF_STATS_BO
 * said, per BO, in its whole microseconds: a second table, or a
 * "perf_stats" object per workload.
 */
#include <string.h>
#include <unistd.h>

#include "json_writer.h"
#include "qaic_run.h"

static const char *fmt_bytes(char *buf, size_t len, uint64_t v)
{
	if (v && v % (1ULL << 30) == 0)
		snprintf(buf, len, "%lluG", (unsigned long long)(v >> 30));
	else if (v && v % (1ULL << 20) == 0)
		snprintf(buf, len, "%lluM", (unsigned long long)(v >> 20));
	else if (v && v % 1024 == 0)
		snprintf(buf, len, "%lluK", (unsigned long long)(v >> 10));
	else
		snprintf(buf, len, "%lluB", (unsigned long long)v);
	return buf;
}

static const char *fmt_ns(char *buf, size_t len, uint64_t v)
{
	if (v >= 1000000000ULL)
		snprintf(buf, len, "%gs", (double)v / 1e9);
	else if (v >= 1000000)
		snprintf(buf, len, "%gms", (double)v / 1e6);
	else if (v >= 1000)
		snprintf(buf, len, "%gus", (double)v / 1e3);
	else
		snprintf(buf, len, "%lluns", (unsigned long long)v);
	return buf;
}

static const char *mode_text(char *buf, size_t len, const struct run_workload *w)
{
	if (w->mode == RUN_OPEN)
		snprintf(buf, len, "open(%g/s)", w->rate);
	else
		snprintf(buf, len, "closed(%u)", w->outstanding);
	return buf;
}

static const char *dist_text(char *buf, size_t len, const struct run_workload *w)
{
	char a[32], b[32], c[32], e[32];

	switch (w->dist) {
	case QAIC_SIMNET_NORMAL:
		snprintf(buf, len, "normal mean %s sd %s", fmt_ns(a, sizeof(a), w->mean_ns),
			 fmt_ns(b, sizeof(b), w->sd_ns));
		break;
	case QAIC_SIMNET_LOGNORMAL:
		snprintf(buf, len, "lognormal median %s sigma %g",
			 fmt_ns(a, sizeof(a), w->mean_ns), w->sigma);
		break;
	case QAIC_SIMNET_BIMODAL:
		snprintf(buf, len, "bimodal %s sd %s, %g%% at %s sd %s",
			 fmt_ns(a, sizeof(a), w->mean_ns), fmt_ns(b, sizeof(b), w->sd_ns),
			 w->p2_permille / 10.0, fmt_ns(c, sizeof(c), w->mean2_ns),
			 fmt_ns(e, sizeof(e), w->sd2_ns));
		break;
	default:
		snprintf(buf, len, "fixed %s", fmt_ns(a, sizeof(a), w->mean_ns));
	}
	return buf;
}

static uint32_t page_queue(const struct run_workload *w, uint32_t *max_elements)
{
	struct qaic_simnet_plan plan;
	struct qaic_simnet net;
	long page = sysconf(_SC_PAGESIZE);

	run_make_net(w, 0, &net);
	if (qaic_simnet_plan(&net, page > 0 ? (uint64_t)page : 4096, &plan))
		plan.max_elements = 0;
	*max_elements = plan.max_elements;
	return run_queue_size(w, plan.max_elements);
}

void run_report_plan(FILE *out, const struct run_config *cfg)
{
	char a[32], b[32], m[32], d[96];
	uint32_t maxel, q;
	unsigned int i;

	for (i = 0; i < cfg->n; i++) {
		const struct run_workload *w = &cfg->w[i];

		q = page_queue(w, &maxel);
		fprintf(out, "%s: %u process%s, %s", w->name, w->procs, w->procs == 1 ? "" : "es",
			mode_text(m, sizeof(m), w));
		if (w->mode == RUN_OPEN)
			fprintf(out, " (%g/s each, up to %u in flight)", run_proc_rate(w), w->depth);
		fprintf(out, ", batch %u, %u buffer pair%s per process\n", w->batch, run_slots(w),
			run_slots(w) == 1 ? "" : "s");
		fprintf(out, "  network: in %s, out %s, %u NSP%s, %s, seed %u\n",
			fmt_bytes(a, sizeof(a), w->in_bytes), fmt_bytes(b, sizeof(b), w->out_bytes),
			w->nsp, w->nsp == 1 ? "" : "s", dist_text(d, sizeof(d), w), w->seed);
		fprintf(out, "  DBC queue %u elements (at most %u per inference); ", q, maxel);
		if (w->requests)
			fprintf(out, "%llu requests", (unsigned long long)w->requests);
		else
			fprintf(out, "for %s", fmt_ns(a, sizeof(a), w->time_ns));
		if (w->check_every == 1)
			fprintf(out, "; every output checked\n");
		else if (w->check_every)
			fprintf(out, "; one request in %u checked\n", w->check_every);
		else
			fprintf(out, "; outputs not checked\n");
	}
}

static double per_s(uint64_t v, uint64_t ns)
{
	return ns ? (double)v * 1e9 / (double)ns : 0;
}

static const char *status_text(const struct run_wl_result *r)
{
	if (r->status)
		return "FAILED";
	return r->mismatches ? "MISMATCH" : "ok";
}

void run_report_table(FILE *out, const struct run_config *cfg, const struct run_wl_result *res)
{
	char m[32];
	unsigned int i;

	fprintf(out, "%-12s %5s %-12s %5s %9s %9s %8s %8s %9s %9s %9s %9s %9s %9s %6s %s\n",
		"WORKLOAD", "PROCS", "MODE", "BATCH", "REQUESTS", "INF/s", "IN_MB/s",
		"OUT_MB/s", "P50(us)", "P90(us)", "P99(us)", "P99.9(us)", "MAX(us)", "CHECKED",
		"BAD", "STATUS");
	for (i = 0; i < cfg->n; i++) {
		const struct run_wl_result *r = &res[i];
		const struct run_workload *w = &cfg->w[i];

		fprintf(out, "%-12s %5u %-12s %5u %9llu %9.1f %8.1f %8.1f %9.1f %9.1f %9.1f "
			"%9.1f %9.1f %9llu %6llu %s\n",
			w->name, w->procs, mode_text(m, sizeof(m), w), w->batch,
			(unsigned long long)r->requests, per_s(r->inferences, r->wall_ns),
			per_s(r->in_bytes, r->wall_ns) / 1e6, per_s(r->out_bytes, r->wall_ns) / 1e6,
			r->lat.p50 / 1e3, r->lat.p90 / 1e3, r->lat.p99 / 1e3, r->lat.p999 / 1e3,
			r->lat.max / 1e3, (unsigned long long)r->checked,
			(unsigned long long)r->mismatches, status_text(r));
	}
	if (!cfg->perf_stats)
		return;
	fprintf(out, "\nPERF_STATS_BO, per BO (input and output), whole us:\n");
	fprintf(out, "%-12s %9s %10s %10s %10s %10s %10s %10s\n", "WORKLOAD", "BOS",
		"SUBMIT_P50", "SUBMIT_P90", "SUBMIT_P99", "DEVICE_P50", "DEVICE_P90",
		"DEVICE_P99");
	for (i = 0; i < cfg->n; i++) {
		const struct run_perf *p = &res[i].perf;

		fprintf(out, "%-12s %9llu %10llu %10llu %10llu %10llu %10llu %10llu\n",
			cfg->w[i].name, (unsigned long long)p->bos,
			(unsigned long long)p->submit_us.p50, (unsigned long long)p->submit_us.p90,
			(unsigned long long)p->submit_us.p99, (unsigned long long)p->device_us.p50,
			(unsigned long long)p->device_us.p90, (unsigned long long)p->device_us.p99);
	}
}

static void json_percentiles(struct json_writer *jw, const char *key, const struct run_lat *l)
{
	jw_key(jw, key);
	jw_object_begin(jw);
	jw_kv_uint(jw, "p50", l->p50);
	jw_kv_uint(jw, "p90", l->p90);
	jw_kv_uint(jw, "p99", l->p99);
	jw_object_end(jw);
}

static void json_workload(struct json_writer *jw, const struct run_config *cfg,
			  const struct run_workload *w, const struct run_wl_result *r)
{
	uint32_t maxel, q = page_queue(w, &maxel), p;

	jw_object_begin(jw);
	jw_kv_string(jw, "name", w->name);
	jw_kv_uint(jw, "procs", w->procs);
	jw_kv_string(jw, "mode", w->mode == RUN_OPEN ? "open" : "closed");
	if (w->mode == RUN_OPEN)
		jw_kv_double(jw, "rate", w->rate);
	else
		jw_kv_null(jw, "rate");
	jw_kv_uint(jw, "in_flight", run_inflight(w));
	jw_kv_uint(jw, "batch", w->batch);
	jw_kv_uint(jw, "in_bytes", w->in_bytes);
	jw_kv_uint(jw, "out_bytes", w->out_bytes);
	jw_kv_uint(jw, "nsp", w->nsp);
	jw_kv_string(jw, "dist", run_dist_name(w->dist));
	jw_kv_uint(jw, "mean_ns", w->mean_ns);
	jw_kv_uint(jw, "sd_ns", w->sd_ns);
	jw_kv_double(jw, "sigma", w->sigma);
	jw_kv_uint(jw, "mean2_ns", w->mean2_ns);
	jw_kv_uint(jw, "sd2_ns", w->sd2_ns);
	jw_kv_double(jw, "p2_percent", w->p2_permille / 10.0);
	jw_kv_uint(jw, "seed", w->seed);
	if (w->requests)
		jw_kv_uint(jw, "requests_planned", w->requests);
	else
		jw_kv_uint(jw, "time_ns", w->time_ns);
	jw_kv_uint(jw, "check_every", w->check_every);
	jw_kv_uint(jw, "queue", q);
	if (!r) {
		jw_object_end(jw);
		return;
	}
	jw_key(jw, "dbcs");
	jw_array_begin(jw);
	for (p = 0; p < w->procs; p++)
		jw_uint(jw, r->dbcs[p]);
	jw_array_end(jw);
	jw_kv_string(jw, "status", r->status ? "failed" : r->mismatches ? "mismatch" : "ok");
	jw_kv_string(jw, "error", r->status ? r->error : NULL);
	jw_kv_uint(jw, "requests", r->requests);
	jw_kv_uint(jw, "inferences", r->inferences);
	jw_kv_uint(jw, "checked", r->checked);
	jw_kv_uint(jw, "mismatches", r->mismatches);
	jw_kv_string(jw, "first_mismatch", r->mismatches ? r->first_mismatch : NULL);
	jw_kv_uint(jw, "wall_ns", r->wall_ns);
	jw_kv_double(jw, "requests_per_s", per_s(r->requests, r->wall_ns));
	jw_kv_double(jw, "inferences_per_s", per_s(r->inferences, r->wall_ns));
	jw_kv_double(jw, "in_MBps", per_s(r->in_bytes, r->wall_ns) / 1e6);
	jw_kv_double(jw, "out_MBps", per_s(r->out_bytes, r->wall_ns) / 1e6);
	jw_key(jw, "latency_ns");
	jw_object_begin(jw);
	jw_kv_uint(jw, "count", r->lat.n);
	jw_kv_uint(jw, "min", r->lat.min);
	jw_kv_double(jw, "mean", r->lat.mean);
	jw_kv_uint(jw, "p50", r->lat.p50);
	jw_kv_uint(jw, "p90", r->lat.p90);
	jw_kv_uint(jw, "p99", r->lat.p99);
	jw_kv_uint(jw, "p99_9", r->lat.p999);
	jw_kv_uint(jw, "max", r->lat.max);
	jw_object_end(jw);
	if (cfg->perf_stats) {
		jw_key(jw, "perf_stats");
		jw_object_begin(jw);
		jw_kv_uint(jw, "bos", r->perf.bos);
		json_percentiles(jw, "submit_us", &r->perf.submit_us);
		json_percentiles(jw, "device_us", &r->perf.device_us);
		jw_object_end(jw);
	}
	jw_object_end(jw);
}

int run_report_json(FILE *out, const struct run_config *cfg, const struct run_wl_result *res)
{
	struct json_writer *jw = jw_open(out);
	unsigned int i;

	if (!jw)
		return -1;
	jw_object_begin(jw);
	jw_kv_string(jw, "kind", res ? "result" : "plan");
	jw_kv_string(jw, "device", cfg->node);
	jw_kv_uint(jw, "timeout_ms", cfg->timeout_ms);
	jw_key(jw, "workloads");
	jw_array_begin(jw);
	for (i = 0; i < cfg->n; i++)
		json_workload(jw, cfg, &cfg->w[i], res ? &res[i] : NULL);
	jw_array_end(jw);
	jw_object_end(jw);
	return jw_close(jw);
}
