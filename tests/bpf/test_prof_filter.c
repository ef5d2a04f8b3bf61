// SPDX-License-Identifier: MIT
/*
 * The tunables targ_dev, targ_dbc, targ_tgid and targ_cgroup: what they
 * skip is counted (enqueues) and leaves no trace in the maps; completions of
 * skipped requests are not mistaken for orphans; what passes is tracked as
 * without a filter.
 */
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "prof_fixture.h"
#include "tap.h"

#define US 1000ULL
#define T0 2000000000ULL

#define BIT(c) (1u << (c))

static struct fx_opts filters(__s32 dev, __s32 dbc, __s32 tgid, __u64 cgroup)
{
	struct fx_opts o = {
		.set_filters = true,
		.targ_dev = dev,
		.targ_dbc = dbc,
		.targ_tgid = tgid,
		.targ_cgroup = cgroup,
	};

	return o;
}

/* Every event of one request on (dev, dbc), seq @seq. */
static void one_request(struct qaic_prof_bpf *s, __u32 dev, __u32 dbc, __u64 seq)
{
	CHECK_OK(fx_execute(s, dev, dbc, 1, false, T0));
	CHECK_OK(fx_enqueue(s, dev, dbc, seq, 1, 4096, 1, 0, T0, 1));
	CHECK_OK(fx_doorbell(s, dev, dbc, 1, 1, 1, T0 + US));
	CHECK_OK(fx_irq(s, dev, dbc, 0, 1, false, T0 + 10 * US));
	CHECK_OK(fx_complete(s, dev, dbc, seq, 1, 0, T0, T0 + US, T0 + 10 * US, T0 + 11 * US));
	CHECK_OK(fx_wait(s, dev, dbc, 1, seq, 0, 0, T0 + 12 * US, 12 * US));
}

/* A request that was tracked from start to end. */
static void check_tracked(struct qaic_prof_bpf *s, __u32 dev, __u32 dbc)
{
	struct qp_wl_key key = fx_self_key(dev, dbc);
	struct qp_dbc_state ds;
	struct qp_wl_stats st;

	CHECK_OK(fx_workload(s, &key, &st));
	CHECK_EQ(st.executes, 1);
	CHECK_EQ(st.enq[QP_DIR_IN], 1);
	CHECK_EQ(st.done[QP_DIR_IN], 1);
	CHECK_EQ(st.waits, 1);
	CHECK_EQ(st.lat_sum_ns[QP_STAGE_E2E], 12 * US);
	CHECK_OK(fx_dbc(s, dev, dbc, &ds));
	CHECK_EQ(ds.enqueued, 1);
	CHECK_EQ(ds.completed, 1);
	CHECK_EQ(ds.irqs, 1);
	CHECK_EQ(ds.last_doorbell_ts, T0 + US);
}

/* Nothing of a skipped request anywhere: one FILTERED, no orphan, no entry. */
static void check_nothing_tracked(struct qaic_prof_bpf *s, __u64 filtered)
{
	CHECK_EQ(fx_counter(s, QP_CNT_FILTERED), filtered);
	CU_ASSERT(fx_counters_zero_except(s, BIT(QP_CNT_FILTERED)));
	CHECK_EQ(fx_map_entries(s->maps.workloads), 0);
	CHECK_EQ(fx_map_entries(s->maps.hists), 0);
	CHECK_EQ(fx_map_entries(s->maps.inflight), 0);
	CHECK_EQ(fx_map_entries(s->maps.done), 0);
	CHECK_EQ(fx_map_entries(s->maps.dbcs), 0);
}

static void test_dbc_filter_skips_other_dbcs(void)
{
	const struct fx_opts o = filters(-1, 3, -1, 0);
	struct qaic_prof_bpf *s = fx_load(&o);

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	one_request(s, 0, 2, 1);
	check_nothing_tracked(s, 1);
	one_request(s, 0, 3, 1);
	check_tracked(s, 0, 3);
	CHECK_EQ(fx_counter(s, QP_CNT_ENQUEUED), 1);
	CHECK_EQ(fx_counter(s, QP_CNT_FILTERED), 1);
	qaic_prof_bpf__destroy(s);
}

static void test_dev_filter_skips_other_devices(void)
{
	const struct fx_opts o = filters(1, -1, -1, 0);
	struct qaic_prof_bpf *s = fx_load(&o);

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	one_request(s, 0, 4, 9);
	check_nothing_tracked(s, 1);
	one_request(s, 1, 4, 9);
	check_tracked(s, 1, 4);
	CHECK_EQ(fx_map_entries(s->maps.dbcs), 1);
	qaic_prof_bpf__destroy(s);
}

/* Filter 0 is a real value for dev and dbc, not "all". */
static void test_zero_filters_mean_zero(void)
{
	const struct fx_opts o = filters(0, 0, -1, 0);
	struct qaic_prof_bpf *s = fx_load(&o);

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	one_request(s, 0, 1, 1);
	one_request(s, 1, 0, 1);
	check_nothing_tracked(s, 2);
	one_request(s, 0, 0, 1);
	check_tracked(s, 0, 0);
	qaic_prof_bpf__destroy(s);
}

/*
 * Another process's requests: skipped at enqueue; their completions (in IRQ
 * context, where the client is unknown) are not orphans, and their DBC's IRQs
 * make no state.
 */
static void test_tgid_filter_skips_other_processes(void)
{
	const struct fx_opts other = filters(-1, -1, (__s32)getpid() + 1, 0);
	const struct fx_opts self = filters(-1, -1, (__s32)getpid(), 0);
	struct qaic_prof_bpf *s;

	s = fx_load(&other);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	one_request(s, 0, 5, 1);
	check_nothing_tracked(s, 1);
	qaic_prof_bpf__destroy(s);

	s = fx_load(&self);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	one_request(s, 0, 5, 1);
	check_tracked(s, 0, 5);
	/* An IRQ of a DBC we never saw used: no state made while filtering by task. */
	CHECK_OK(fx_irq(s, 0, 6, 0, 1, false, T0));
	CHECK_EQ(fx_map_entries(s->maps.dbcs), 1);
	qaic_prof_bpf__destroy(s);
}

static void test_cgroup_filter_compares_the_v2_id(void)
{
	const struct fx_opts other = filters(-1, -1, -1, fx_self_cgroup() + 1000);
	const struct fx_opts self = filters(-1, -1, -1, fx_self_cgroup());
	struct qaic_prof_bpf *s;

	s = fx_load(&other);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	one_request(s, 0, 7, 1);
	check_nothing_tracked(s, 1);
	qaic_prof_bpf__destroy(s);

	s = fx_load(&self);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	one_request(s, 0, 7, 1);
	check_tracked(s, 0, 7);
	CU_ASSERT(fx_counters_zero_except(s, BIT(QP_CNT_ENQUEUED)));
	qaic_prof_bpf__destroy(s);
}

/* Without a task filter an unknown DBC's IRQ makes its state (stall watching). */
static void test_irq_makes_state_without_task_filter(void)
{
	struct qaic_prof_bpf *s = fx_load(NULL);
	struct qp_dbc_state ds;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CHECK_OK(fx_irq(s, 2, 11, 5, 9, true, T0));
	CHECK_OK(fx_dbc(s, 2, 11, &ds));
	CHECK_EQ(ds.irqs, 1);
	CHECK_EQ(ds.rsp_head, 5);
	CHECK_EQ(ds.rsp_tail, 9);
	CHECK_EQ(ds.enqueued, 0);
	qaic_prof_bpf__destroy(s);
}

static CU_TestInfo tests[] = {
	{ "dbc filter skips other DBCs", test_dbc_filter_skips_other_dbcs },
	{ "dev filter skips other devices", test_dev_filter_skips_other_devices },
	{ "dev and dbc filters of 0 mean 0", test_zero_filters_mean_zero },
	{ "tgid filter skips other processes, their completions are no orphans",
	  test_tgid_filter_skips_other_processes },
	{ "cgroup filter compares the v2 id", test_cgroup_filter_compares_the_v2_id },
	{ "an IRQ makes DBC state without a task filter", test_irq_makes_state_without_task_filter },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "bpf filters", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	const char *why;

	fx_set_comm();
	why = fx_unavailable();
	if (why)
		return fx_skip_all(why);
	return tap_run(suites);
}
