// SPDX-License-Identifier: MIT
/*
 * qaic-run's processes end to end against the fake card (fake_card.c): the
 * fork and start barrier, the submit and completion threads, request and
 * inference counts, sampled checks, a corrupted output counted as a
 * mismatch, open-loop arrivals, and failures (no free DBC, a wait that
 * times out) reported with their reason; --perf-stats (PERF_STATS_BO read
 * once per request, for every BO of it, after its wait: the fake card
 * answers with the BO's execution number, so the percentiles say which
 * executions were read). Each forked process gets its own fake card (the
 * fake's state is copied at fork).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fake_card.h"
#include "qaic_run.h"
#include "tap.h"

static struct run_config cfg;
static struct run_wl_result res[4];

static int setup_args(const char *a0, ...)
{
	char *argv[32];
	struct run_err err;
	int argc = 0, ret;
	va_list ap;
	const char *a;

	argv[argc++] = (char *)"qaic-run";
	va_start(ap, a0);
	for (a = a0; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	ret = run_parse_args(argc, argv, &cfg, &err);
	if (ret)
		printf("# %s\n", err.msg);
	CU_ASSERT_FATAL(ret == 0);
	return ret;
}

static int run(void)
{
	memset(res, 0, sizeof(res));
	return run_processes(&cfg, fake_node, res);
}

static void test_closed_loop_counts_and_checks(void)
{
	setup_args("-w", "name=a,in=5000,out=9000,requests=40,procs=2,outstanding=3",
		   "-w", "name=b,in=64K,out=1K,requests=10,batch=3,outstanding=2", NULL);
	CHECK_OK(run());
	CHECK_EQ(res[0].status, 0);
	CHECK_EQ(res[0].procs_ok, 2);
	CHECK_EQ(res[0].requests, 40);
	CHECK_EQ(res[0].inferences, 40);
	CHECK_EQ(res[0].checked, 40);
	CHECK_EQ(res[0].mismatches, 0);
	CHECK_EQ(res[0].lat.n, 40);
	CU_ASSERT(res[0].lat.min > 0 && res[0].lat.min <= res[0].lat.p50 &&
		  res[0].lat.p50 <= res[0].lat.p99 && res[0].lat.p99 <= res[0].lat.max);
	CU_ASSERT(res[0].wall_ns > 0);
	CHECK_EQ(res[0].in_bytes, 40 * 5000);
	CHECK_EQ(res[0].out_bytes, 40 * 9000);

	CHECK_EQ(res[1].status, 0);
	CHECK_EQ(res[1].requests, 10);
	CHECK_EQ(res[1].inferences, 30);
	CHECK_EQ(res[1].checked, 30);
	CHECK_EQ(res[1].mismatches, 0);
	CHECK_EQ(res[1].lat.n, 10);
}

static void test_sampled_checks(void)
{
	setup_args("-w", "in=4K,out=4K,requests=20,batch=2,check=5", NULL);
	CHECK_OK(run());
	CHECK_EQ(res[0].requests, 20);
	CHECK_EQ(res[0].checked, 8);		/* requests 0, 5, 10, 15, two each */

	setup_args("-w", "in=4K,out=4K,requests=7", "--check-every=0", NULL);
	CHECK_OK(run());
	CHECK_EQ(res[0].requests, 7);
	CHECK_EQ(res[0].checked, 0);
}

static void test_corrupted_output_is_a_mismatch(void)
{
	fake_corrupt_inference = 3;		/* every process's third inference */
	setup_args("-w", "in=3000,out=5000,requests=12,procs=2,outstanding=2", NULL);
	CHECK_OK(run());
	CHECK_EQ(res[0].status, 0);
	CHECK_EQ(res[0].requests, 12);
	CHECK_EQ(res[0].checked, 12);
	CHECK_EQ(res[0].mismatches, 2);
	/* the fake flips the last byte of the third inference: request 2 */
	CU_ASSERT_PTR_NOT_NULL(strstr(res[0].first_mismatch,
				      "request 2, buffer pair 0: output byte 4999 of 5000 is wrong"));
	if (!strstr(res[0].first_mismatch, "request 2"))
		printf("# first mismatch: %s\n", res[0].first_mismatch);
}

static void test_open_loop_follows_the_rate(void)
{
	/* 2000/s for 200 ms: about 400 arrivals (Poisson: sd 20) */
	setup_args("-w", "in=1K,out=1K,rate=2000,depth=4", "-t", "200ms", NULL);
	CHECK_OK(run());
	CHECK_EQ(res[0].status, 0);
	CU_ASSERT(res[0].requests > 300 && res[0].requests < 500);
	if (!(res[0].requests > 300 && res[0].requests < 500))
		printf("# %llu requests\n", (unsigned long long)res[0].requests);
	CHECK_EQ(res[0].mismatches, 0);
	CU_ASSERT(res[0].wall_ns > 100000000ULL && res[0].wall_ns < 400000000ULL);
}

static void test_time_mode_stops(void)
{
	setup_args("-w", "in=1K,out=1K,outstanding=2,procs=2", "-t", "100ms", NULL);
	CHECK_OK(run());
	CHECK_EQ(res[0].status, 0);
	CU_ASSERT(res[0].requests > 0);
	CU_ASSERT(res[0].wall_ns < 1000000000ULL);
}

static void test_no_free_dbc_is_reported(void)
{
	fake_refuse_activate = 1;
	setup_args("-w", "name=x,requests=5", "-w", "name=y,requests=5", NULL);
	CU_ASSERT(run() != 0);
	CU_ASSERT(res[0].status == -ECANCELED);
	CU_ASSERT_PTR_NOT_NULL(strstr(res[0].error, "no free DBC"));
	CHECK_EQ(res[0].requests, 0);
}

static void test_wait_timeout_is_reported(void)
{
	fake_fail_next(DRM_IOCTL_QAIC_WAIT_BO, ETIMEDOUT, 4);
	setup_args("-w", "requests=50", "--timeout", "50ms", NULL);
	run();
	CU_ASSERT(res[0].status == -ETIMEDOUT);
	CU_ASSERT_PTR_NOT_NULL(strstr(res[0].error, "gave up after --timeout"));
	CU_ASSERT(res[0].requests < 50);
}

static void test_json_report_shape(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	setup_args("-w", "name=j,in=2K,out=1K,requests=6", NULL);
	cfg.node = fake_node;
	CHECK_OK(run());
	f = open_memstream(&buf, &len);
	CU_ASSERT_FATAL(f != NULL);
	CHECK_OK(run_report_json(f, &cfg, res));
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"kind\":\"result\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"name\":\"j\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"requests\":6,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"mismatches\":0,"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"status\":\"ok\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"latency_ns\":{\"count\":6,"));
	CU_ASSERT(len > 0 && buf[len - 1] == '\n');
	free(buf);
}

/* A report of the run into a string (free it). */
static char *report(int json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_FATAL(f != NULL);
	cfg.node = fake_node;
	if (json)
		CHECK_OK(run_report_json(f, &cfg, res));
	else
		run_report_table(f, &cfg, res);
	fclose(f);
	return buf;
}

static void test_perf_stats_every_bo_of_every_request(void)
{
	char *buf;

	/*
	 * One slot, 10 requests: its input and output BOs run 10 times each.
	 * Read after every request: submit 1,1,2,2,...,10,10; device 101..110
	 * (inputs) and 201..210 (outputs). Read once at the end, every sample
	 * would be the tenth run's.
	 */
	setup_args("-w", "name=p,in=2K,out=1K,requests=10", "--perf-stats", NULL);
	CHECK_OK(run());
	CHECK_EQ(res[0].status, 0);
	CHECK_EQ(res[0].perf.bos, 20);
	CHECK_EQ(res[0].perf.submit_us.p50, 5);
	CHECK_EQ(res[0].perf.submit_us.p90, 9);
	CHECK_EQ(res[0].perf.submit_us.p99, 10);
	CHECK_EQ(res[0].perf.submit_us.min, 1);
	CHECK_EQ(res[0].perf.device_us.min, FAKE_PERF_DEVICE_IN_US + 1);
	CHECK_EQ(res[0].perf.device_us.p50, FAKE_PERF_DEVICE_IN_US + 10);
	CHECK_EQ(res[0].perf.device_us.p90, FAKE_PERF_DEVICE_OUT_US + 8);
	CHECK_EQ(res[0].perf.device_us.p99, FAKE_PERF_DEVICE_OUT_US + 10);

	buf = report(1);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"dbcs\":[0],"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\"perf_stats\":{\"bos\":20,"
				   "\"submit_us\":{\"p50\":5,\"p90\":9,\"p99\":10},"
				   "\"device_us\":{\"p50\":110,\"p90\":208,\"p99\":210}}"));
	if (!strstr(buf, "\"perf_stats\""))
		printf("# %s", buf);
	free(buf);
	buf = report(0);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "PERF_STATS_BO"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "DEVICE_P99"));
	free(buf);
}

static void test_perf_stats_batches_and_processes(void)
{
	/*
	 * Two processes of 4 requests, 3 inferences each, 2 in flight: each
	 * process's 12 BOs (6 slots) run twice, 24 figures per process.
	 * Submit: 24 ones, 24 twos. Device: 12 each of 101, 102, 201, 202.
	 */
	setup_args("-w", "name=b,in=1K,out=1K,requests=8,batch=3,outstanding=2,procs=2",
		   "--perf-stats", NULL);
	CHECK_OK(run());
	CHECK_EQ(res[0].status, 0);
	CHECK_EQ(res[0].inferences, 24);
	CHECK_EQ(res[0].perf.bos, 48);
	CHECK_EQ(res[0].perf.submit_us.p50, 1);
	CHECK_EQ(res[0].perf.submit_us.p90, 2);
	CHECK_EQ(res[0].perf.device_us.p50, FAKE_PERF_DEVICE_IN_US + 2);
	CHECK_EQ(res[0].perf.device_us.p90, FAKE_PERF_DEVICE_OUT_US + 2);
	CHECK_EQ(res[0].perf.device_us.min, FAKE_PERF_DEVICE_IN_US + 1);
}

static void test_perf_stats_one_ioctl_per_request(void)
{
	/* 10 requests succeed when the 11th PERF_STATS_BO would fail... */
	fake_fail_next(DRM_IOCTL_QAIC_PERF_STATS_BO, EIO, 10);
	setup_args("-w", "requests=10,batch=2", "--perf-stats", NULL);
	CHECK_OK(run());
	CHECK_EQ(res[0].status, 0);
	CHECK_EQ(res[0].perf.bos, 40);

	/* ...and fail when the 10th does: exactly one call per request. */
	fake_fail_next(DRM_IOCTL_QAIC_PERF_STATS_BO, EIO, 9);
	setup_args("-w", "requests=10,batch=2", "--perf-stats", NULL);
	run();
	CU_ASSERT(res[0].status == -EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(res[0].error, "DBC 0: PERF_STATS_BO: "));
	CHECK_EQ(res[0].requests, 9);
}

static void test_no_perf_stats_by_default(void)
{
	char *buf;

	setup_args("-w", "requests=5", NULL);
	CHECK_OK(run());
	CHECK_EQ(res[0].perf.bos, 0);
	buf = report(1);
	CU_ASSERT_PTR_NULL(strstr(buf, "perf_stats"));
	free(buf);
	buf = report(0);
	CU_ASSERT_PTR_NULL(strstr(buf, "PERF_STATS"));
	free(buf);
}

static CU_TestInfo tests[] = {
	{ "closed loop: counts, batches, every output checked",
	  test_closed_loop_counts_and_checks },
	{ "sampled checks: one request in N, or none", test_sampled_checks },
	{ "a corrupted output is a mismatch", test_corrupted_output_is_a_mismatch },
	{ "open loop follows the rate", test_open_loop_follows_the_rate },
	{ "time mode stops", test_time_mode_stops },
	{ "no free DBC: the reason is reported", test_no_free_dbc_is_reported },
	{ "a wait that times out is reported", test_wait_timeout_is_reported },
	{ "JSON report shape", test_json_report_shape },
	{ "--perf-stats: every BO of every request, read after its wait",
	  test_perf_stats_every_bo_of_every_request },
	{ "--perf-stats: batches and processes", test_perf_stats_batches_and_processes },
	{ "--perf-stats: one PERF_STATS_BO call per request", test_perf_stats_one_ioctl_per_request },
	{ "no --perf-stats: nothing asked, nothing reported", test_no_perf_stats_by_default },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "run_proc", fake_card_init, fake_card_cleanup, fake_card_reset, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
