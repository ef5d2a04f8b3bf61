// SPDX-License-Identifier: MIT
/*
 * qaic-run's numbers: nearest-rank percentiles on known data, the summary
 * of unsorted latencies, the growing sample arrays, the PERF_STATS_BO
 * summary (--perf-stats), the random streams behind Poisson arrivals, and
 * the per-process plan derived from a workload (request split, rate split,
 * queue size, the network each process loads).
 */
#include <math.h>
#include <string.h>

#include "check.h"
#include "qaic_run.h"
#include "tap.h"

static void test_percentiles_nearest_rank(void)
{
	uint64_t v[1000];
	size_t i;

	for (i = 0; i < 1000; i++)
		v[i] = i + 1;				/* 1..1000 */
	CHECK_EQ(run_percentile(v, 1000, 50), 500);
	CHECK_EQ(run_percentile(v, 1000, 90), 900);
	CHECK_EQ(run_percentile(v, 1000, 99), 990);
	CHECK_EQ(run_percentile(v, 1000, 99.9), 999);	/* not 1000: no rounding up */
	CHECK_EQ(run_percentile(v, 1000, 100), 1000);
	CHECK_EQ(run_percentile(v, 1000, 0.01), 1);

	CHECK_EQ(run_percentile(v, 100, 50), 50);		/* 1..100 */
	CHECK_EQ(run_percentile(v, 100, 99), 99);
	CHECK_EQ(run_percentile(v, 100, 99.9), 100);
	CHECK_EQ(run_percentile(v, 10, 50), 5);			/* 1..10 */
	CHECK_EQ(run_percentile(v, 10, 90), 9);
	CHECK_EQ(run_percentile(v, 10, 91), 10);
	CHECK_EQ(run_percentile(v, 10, 99.9), 10);
	CHECK_EQ(run_percentile(v, 1, 50), 1);
	CHECK_EQ(run_percentile(v, 1, 99.9), 1);
	CHECK_EQ(run_percentile(v, 3, 50), 2);			/* ceil(1.5) = 2 */
	CHECK_EQ(run_percentile(v, 2, 50), 1);			/* ceil(1.0) = 1 */
}

static void test_summary_of_unsorted_latencies(void)
{
	uint64_t v[] = { 900, 100, 500, 300, 700, 200, 800, 400, 1000, 600 };
	struct run_lat s;

	run_summarize(v, 10, &s);
	CHECK_EQ(s.n, 10);
	CHECK_EQ(s.min, 100);
	CHECK_EQ(s.p50, 500);
	CHECK_EQ(s.p90, 900);
	CHECK_EQ(s.p99, 1000);
	CHECK_EQ(s.p999, 1000);
	CHECK_EQ(s.max, 1000);
	CU_ASSERT(s.mean == 550.0);
	CHECK_EQ(v[0], 100);					/* sorted in place */
	CHECK_EQ(v[9], 1000);

	memset(&s, 0xff, sizeof(s));
	run_summarize(NULL, 0, &s);
	CHECK_EQ(s.n, 0);
	CHECK_EQ(s.max, 0);
	CU_ASSERT(s.mean == 0);
}

static void test_sample_arrays_grow(void)
{
	struct run_vec a;
	uint64_t i, bad = 0;

	memset(&a, 0, sizeof(a));
	for (i = 0; i < 10000; i++)
		CU_ASSERT_FATAL(run_vec_push(&a, i * 3) == 0);
	CHECK_EQ(a.n, 10000);
	CU_ASSERT(a.cap >= a.n);
	for (i = 0; i < a.n; i++)
		bad += a.v[i] != i * 3;
	CHECK_EQ(bad, 0);
	CHECK_OK(run_vec_reserve(&a, 50000));
	CU_ASSERT(a.cap >= 60000);
	CHECK_EQ(a.n, 10000);				/* reserving adds nothing */
	CU_ASSERT(run_vec_reserve(&a, SIZE_MAX) == -ENOMEM);
	run_vec_free(&a);
	CU_ASSERT_PTR_NULL(a.v);
	CHECK_EQ(a.n + a.cap, 0);
}

static void test_perf_summary(void)
{
	/* PERF_STATS_BO figures of 10 BO executions, us, in arrival order */
	uint64_t sub[] = { 7, 3, 3, 9, 4, 12, 5, 3, 6, 40 };
	uint64_t dev[] = { 2100, 150, 2050, 160, 2000, 170, 1990, 155, 2200, 165 };
	struct run_perf p;

	run_perf_summarize(sub, dev, 10, &p);
	CHECK_EQ(p.bos, 10);
	CHECK_EQ(p.submit_us.n, 10);
	CHECK_EQ(p.submit_us.p50, 5);			/* 3 3 3 4 [5] 6 7 9 12 40 */
	CHECK_EQ(p.submit_us.p90, 12);
	CHECK_EQ(p.submit_us.p99, 40);
	CHECK_EQ(p.device_us.p50, 170);			/* 150 155 160 165 [170] 1990 ... */
	CHECK_EQ(p.device_us.p90, 2100);
	CHECK_EQ(p.device_us.p99, 2200);
	CHECK_EQ(p.device_us.min, 150);

	memset(&p, 0xff, sizeof(p));
	run_perf_summarize(NULL, NULL, 0, &p);
	CHECK_EQ(p.bos, 0);
	CHECK_EQ(p.submit_us.p99 + p.device_us.p99, 0);
}

static void test_rng_streams(void)
{
	struct run_rng a, b;
	double u, sum = 0, lo = 1, hi = 0;
	int i, same = 1;

	run_rng_seed(&a, 42);
	run_rng_seed(&b, 42);
	for (i = 0; i < 100; i++)
		same &= run_rng_next(&a) == run_rng_next(&b);
	CU_ASSERT(same);
	run_rng_seed(&b, 43);
	CU_ASSERT(run_rng_next(&a) != run_rng_next(&b));

	for (i = 0; i < 100000; i++) {
		u = run_rng_unit(&a);
		lo = u < lo ? u : lo;
		hi = u > hi ? u : hi;
	}
	CU_ASSERT(lo > 0 && lo < 0.001);
	CU_ASSERT(hi <= 1 && hi > 0.999);

	/* 200/s: mean gap 5 ms, within 1.5% over 100k draws (sd of the mean 0.3%) */
	run_rng_seed(&a, 7);
	for (i = 0; i < 100000; i++)
		sum += run_rng_exp(&a, 200);
	CU_ASSERT(fabs(sum / 100000 - 0.005) < 0.005 * 0.015);
}

static struct run_workload base(void)
{
	struct run_workload w;

	run_workload_defaults(&w, 0);
	return w;
}

static void test_request_and_rate_split(void)
{
	struct run_workload w = base();

	w.requests = 10;
	w.procs = 3;
	CHECK_EQ(run_proc_requests(&w, 0), 4);
	CHECK_EQ(run_proc_requests(&w, 1), 3);
	CHECK_EQ(run_proc_requests(&w, 2), 3);
	w.requests = 0;
	CHECK_EQ(run_proc_requests(&w, 0), 0);		/* time mode */

	w.mode = RUN_OPEN;
	w.rate = 300;
	CU_ASSERT(run_proc_rate(&w) == 100);
	w.mode = RUN_CLOSED;
	CU_ASSERT(run_proc_rate(&w) == 0);
}

static void test_slots_and_queue_size(void)
{
	struct run_workload w = base();

	w.outstanding = 3;
	w.depth = 5;
	w.batch = 2;
	CHECK_EQ(run_inflight(&w), 3);
	CHECK_EQ(run_slots(&w), 6);
	CHECK_EQ(run_queue_size(&w, 1), 16);		/* at least 16 */
	CHECK_EQ(run_queue_size(&w, 10), 64);		/* 60 -> next power of two */
	CHECK_EQ(run_queue_size(&w, 20000), 32768);	/* capped */
	w.mode = RUN_OPEN;
	CHECK_EQ(run_inflight(&w), 5);
	CHECK_EQ(run_slots(&w), 10);
	CHECK_EQ(run_queue_size(&w, 7), 128);		/* 70 */
	w.queue = 100;
	CHECK_EQ(run_queue_size(&w, 7), 100);		/* given: as is */
}

static void test_network_of_each_process(void)
{
	struct run_workload w = base();
	struct qaic_simnet n;

	w.in_bytes = 600 * 1024;
	w.out_bytes = 4096;
	w.nsp = 4;
	w.dist = QAIC_SIMNET_LOGNORMAL;
	w.mean_ns = 1000000;
	w.sigma = 0.3;
	w.seed = 50;
	run_make_net(&w, 2, &n);
	CHECK_EQ(n.nsp_count, 4);
	CHECK_EQ(n.input_bytes, 600 * 1024);
	CHECK_EQ(n.output_bytes, 4096);
	CHECK_EQ(n.dist, QAIC_SIMNET_LOGNORMAL);
	CHECK_EQ(n.mean_ns, 1000000);
	CHECK_EQ(n.stddev_ns, 300000000);		/* sigma in 1e-9 units */
	CHECK_EQ(n.seed, 52);				/* each process its own stream */
	CHECK_EQ(n.weights_tag, 0);
	CU_ASSERT(n.sem_index < 32);

	w.dist = QAIC_SIMNET_BIMODAL;
	w.sd_ns = 1000;
	w.mean2_ns = 9000;
	w.sd2_ns = 500;
	w.p2_permille = 25;
	run_make_net(&w, 0, &n);
	CHECK_EQ(n.stddev_ns, 1000);
	CHECK_EQ(n.alt_mean_ns, 9000);
	CHECK_EQ(n.alt_stddev_ns, 500);
	CHECK_EQ(n.alt_permille, 25);
}

static CU_TestInfo tests[] = {
	{ "percentiles: nearest rank, exact at the edges", test_percentiles_nearest_rank },
	{ "summary of unsorted latencies", test_summary_of_unsorted_latencies },
	{ "sample arrays grow and keep their values", test_sample_arrays_grow },
	{ "PERF_STATS_BO summary: per BO, nearest rank", test_perf_summary },
	{ "random streams: repeatable, (0,1], exponential mean", test_rng_streams },
	{ "requests and rate split over processes", test_request_and_rate_split },
	{ "slots and DBC queue size", test_slots_and_queue_size },
	{ "the network each process loads", test_network_of_each_process },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "run_stats", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
