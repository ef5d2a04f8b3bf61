// SPDX-License-Identifier: MIT
/*
 * The programs against the real qaic module: the raw_tp set and the classic
 * tp set (CO-RE relocated against the module's BTF) each load and attach to
 * the qaic tracepoints, also in record mode with a cgroup filter, and with
 * every filter set (other code for the verifier: the tunables prune what
 * they disable). Given a command
 * (a workload, e.g. qaic-run), each configuration in turn watches it run,
 * and what the maps hold must add up: every tracked request completed, each
 * stage measured, no orphan, nothing lost; in record mode the ring buffer
 * holds one event per enqueue and completion.
 *
 * usage: test_prof_attach [CMD [ARG...]]
 * Where the qaic module is not loaded (the host) it prints a TAP skip; the
 * VM suites run it after load_modules.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "prof_fixture.h"

static int test_n, test_failed;

static void report(bool ok, const char *name, const char *why)
{
	test_n++;
	if (ok) {
		printf("ok %d - %s\n", test_n, name);
	} else {
		test_failed++;
		printf("not ok %d - %s: %s\n", test_n, name, why);
	}
	fflush(stdout);
}

static int run_cmd(char **argv)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		/* The workload's own output would be read as TAP: keep it out. */
		if (!freopen("/dev/null", "w", stdout))
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Totals of every workload in the map. */
static void sum_workloads(struct qaic_prof_bpf *s, struct qp_wl_stats *sum)
{
	struct qp_wl_key key, next, *prev = NULL;
	struct qp_wl_stats st;
	int d, k;

	memset(sum, 0, sizeof(*sum));
	while (!bpf_map_get_next_key(bpf_map__fd(s->maps.workloads), prev, &next)) {
		key = next;
		prev = &key;
		if (fx_workload(s, &key, &st))
			continue;
		sum->executes += st.executes;
		for (d = 0; d < QP_DIR_N; d++) {
			sum->enq[d] += st.enq[d];
			sum->done[d] += st.done[d];
			sum->enq_bytes[d] += st.enq_bytes[d];
			sum->done_bytes[d] += st.done_bytes[d];
		}
		sum->errors += st.errors;
		sum->waits += st.waits;
		for (k = 0; k < QP_STAGE_N; k++)
			sum->lat_sum_ns[k] += st.lat_sum_ns[k];
	}
}

struct config {
	const char *name;
	bool classic;		/* tp/ programs, else raw_tp/ */
	bool record;		/* record mode, filtered by our cgroup (the command inherits it) */
	bool every_filter;	/* record mode and every filter set: loaded and attached only */
};

struct ev_counts {
	__u64 n, enqueues, completes;
};

static int count_event(void *ctx, void *data, size_t size)
{
	const struct qp_event *e = data;
	struct ev_counts *c = ctx;

	if (size != sizeof(*e))
		return -EINVAL;
	c->n++;
	c->enqueues += e->type == QP_EV_ENQUEUE;
	c->completes += e->type == QP_EV_COMPLETE;
	return 0;
}

static void check_events(struct qaic_prof_bpf *s, const char *set, __u64 enq, __u64 done)
{
	struct ev_counts c = { 0 };
	struct ring_buffer *rb;
	char name[160], why[256];
	int n = -1;

	rb = ring_buffer__new(bpf_map__fd(s->maps.events), count_event, &c, NULL);
	if (rb) {
		n = ring_buffer__consume(rb);
		ring_buffer__free(rb);
	}
	snprintf(name, sizeof(name), "%s: the ring buffer holds every event, none dropped", set);
	snprintf(why, sizeof(why), "consumed %d (%llu events: %llu enqueues, %llu completions), "
		 "counted %llu, dropped %llu", n, (unsigned long long)c.n,
		 (unsigned long long)c.enqueues, (unsigned long long)c.completes,
		 (unsigned long long)fx_counter(s, QP_CNT_RB_EVENTS),
		 (unsigned long long)fx_counter(s, QP_CNT_RB_DROPS));
	printf("# %s\n", why);
	report(n > 0 && c.n == fx_counter(s, QP_CNT_RB_EVENTS) && !fx_counter(s, QP_CNT_RB_DROPS) &&
	       c.enqueues == enq && c.completes == done, name, why);
}

static void print_dbcs(struct qaic_prof_bpf *s, const char *set)
{
	struct qp_dbc_key key, next, *prev = NULL;
	struct qp_dbc_state ds;

	while (!bpf_map_get_next_key(bpf_map__fd(s->maps.dbcs), prev, &next)) {
		key = next;
		prev = &key;
		if (fx_dbc(s, key.dev, key.dbc, &ds))
			continue;
		printf("# %s: dev %u dbc %u: enqueued %llu completed %llu irqs %llu busy %.3f ms owner %u (%.16s)\n",
		       set, key.dev, key.dbc, (unsigned long long)ds.enqueued,
		       (unsigned long long)ds.completed, (unsigned long long)ds.irqs,
		       ds.busy_ns / 1e6, ds.owner_tgid, ds.owner_comm);
	}
}

/* Values in every histogram of each stage. */
static void sum_hists(struct qaic_prof_bpf *s, __u64 *per_stage)
{
	struct qp_hist_key key, next, *prev = NULL;
	static struct qp_hist h;

	memset(per_stage, 0, QP_STAGE_N * sizeof(*per_stage));
	while (!bpf_map_get_next_key(bpf_map__fd(s->maps.hists), prev, &next)) {
		key = next;
		prev = &key;
		if (key.stage < QP_STAGE_N && !fx_hist(s, &key.wl, key.stage, &h))
			per_stage[key.stage] += fx_hist_total(&h);
	}
}

/* With @s attached, run @argv and check the maps add up. */
static void watch(struct qaic_prof_bpf *s, const char *set, bool record, char **argv)
{
	__u64 enq, done, lost, hist_n[QP_STAGE_N];
	struct qp_wl_stats sum;
	char name[160], why[256];
	int rc, k;
	bool ok;

	rc = run_cmd(argv);
	snprintf(name, sizeof(name), "%s: '%s' ran under the programs", set, argv[0]);
	snprintf(why, sizeof(why), "exit status %d", rc);
	report(rc == 0, name, why);

	sum_workloads(s, &sum);
	enq = fx_counter(s, QP_CNT_ENQUEUED);
	done = sum.done[QP_DIR_IN] + sum.done[QP_DIR_OUT];
	lost = fx_counter(s, QP_CNT_INFLIGHT_FULL) + fx_counter(s, QP_CNT_ORPHAN_COMPLETE) +
	       fx_counter(s, QP_CNT_DONE_FULL) + fx_counter(s, QP_CNT_KEYS_FULL) +
	       fx_counter(s, QP_CNT_STAGE_SKIPPED);
	printf("# %s: executes %llu, enqueued %llu (in %llu B, out %llu B), completed %llu, waits %llu, errors %llu\n",
	       set, (unsigned long long)sum.executes, (unsigned long long)enq,
	       (unsigned long long)sum.enq_bytes[QP_DIR_IN],
	       (unsigned long long)sum.enq_bytes[QP_DIR_OUT], (unsigned long long)done,
	       (unsigned long long)sum.waits, (unsigned long long)sum.errors);
	for (k = 0; k < QP_STAGE_N; k++)
		printf("# %s: stage %d mean %.1f us\n", set, k,
		       (k == QP_STAGE_WAKEUP || k == QP_STAGE_E2E ? sum.waits : done) ?
		       sum.lat_sum_ns[k] / 1e3 /
		       (k == QP_STAGE_WAKEUP || k == QP_STAGE_E2E ? sum.waits : done) : 0.0);
	print_dbcs(s, set);
	printf("# %s: counters (enum qp_counter order):", set);
	for (k = 0; k < QP_CNT_N; k++)
		printf(" %llu", (unsigned long long)fx_counter(s, k));
	printf("\n");

	snprintf(name, sizeof(name), "%s: every tracked request completed", set);
	snprintf(why, sizeof(why), "enqueued %llu, completed %llu, in flight %u",
		 (unsigned long long)enq, (unsigned long long)done,
		 fx_map_entries(s->maps.inflight));
	report(enq > 0 && done == enq && !fx_map_entries(s->maps.inflight), name, why);

	snprintf(name, sizeof(name), "%s: waits paired, every stage measured", set);
	ok = sum.waits > 0 && !fx_counter(s, QP_CNT_WAIT_UNMATCHED);
	for (k = 0; k < QP_STAGE_N; k++)
		ok = ok && sum.lat_sum_ns[k] > 0;
	report(ok, name, "no waits, unmatched waits or an empty stage (see the counters above)");

	sum_hists(s, hist_n);
	snprintf(name, sizeof(name), "%s: histograms hold one value per completion and wait", set);
	snprintf(why, sizeof(why), "values per stage %llu %llu %llu %llu %llu",
		 (unsigned long long)hist_n[0], (unsigned long long)hist_n[1],
		 (unsigned long long)hist_n[2], (unsigned long long)hist_n[3],
		 (unsigned long long)hist_n[4]);
	report(hist_n[QP_STAGE_SUBMIT] == done && hist_n[QP_STAGE_DEVICE] == done &&
	       hist_n[QP_STAGE_COMPLETE] == done && hist_n[QP_STAGE_WAKEUP] == sum.waits &&
	       hist_n[QP_STAGE_E2E] == sum.waits, name, why);

	snprintf(name, sizeof(name), "%s: nothing lost or skipped", set);
	snprintf(why, sizeof(why), "%llu events lost or skipped", (unsigned long long)lost);
	report(lost == 0, name, why);

	if (record)
		check_events(s, set, enq, done);
}

static void check_config(const struct config *c, char **argv)
{
	struct fx_opts o = { .record = c->record };
	const char *set = c->name;
	struct qaic_prof_bpf *s;
	char name[96];
	int err;

	if (c->record)
		o.targ_cgroup = fx_self_cgroup();
	if (c->every_filter) {
		o.set_filters = true;
		o.targ_dev = 0;
		o.targ_dbc = 0;
		o.targ_tgid = 1;
	}
	s = c->classic ? fx_load_classic(&o) : fx_load(&o);
	snprintf(name, sizeof(name), "%s programs load", set);
	report(s != NULL, name, "see the libbpf messages above");
	if (!s)
		return;
	err = qaic_prof_bpf__attach(s);
	snprintf(name, sizeof(name), "%s programs attach to the qaic tracepoints", set);
	report(!err, name, strerror(err < 0 ? -err : err));
	if (!err && argv[0] && !c->every_filter)
		watch(s, set, c->record, argv);
	qaic_prof_bpf__destroy(s);
}

static const struct config configs[] = {
	{ "raw_tp", false, false, false },
	{ "tp", true, false, false },
	{ "raw_tp record", false, true, false },
	{ "tp record", true, true, false },
	{ "raw_tp every filter", false, true, true },
	{ "tp every filter", true, true, true },
};

int main(int argc, char **argv)
{
	const char *why;
	size_t i;

	(void)argc;
	if (access("/sys/module/qaic", F_OK))
		return fx_skip_all("qaic module not loaded (the VM suites run this test)");
	why = fx_unavailable();
	if (why)
		return fx_skip_all(why);
	for (i = 0; i < sizeof(configs) / sizeof(configs[0]); i++)
		check_config(&configs[i], argv + 1);
	printf("1..%d\n", test_n);
	return test_failed ? 1 : 0;
}
