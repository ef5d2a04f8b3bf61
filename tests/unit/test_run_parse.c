// SPDX-License-Identifier: MIT
/*
 * qaic-run's input: every value syntax (sizes, durations, numbers,
 * percentages, distributions) good and bad, workload specs, config files
 * with their line numbers, every command-line flag good and bad, and the
 * whole-picture checks of run_finish(). Errors must name what was wrong.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "qaic_run.h"
#include "tap.h"

static struct run_config cfg;
static struct run_err err;

/* err.msg contains want. */
#define CHECK_MSG(want) do {							\
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, (want)));			\
	if (!strstr(err.msg, (want)))						\
		printf("# message '%s' lacks '%s'\n", err.msg, (want));		\
} while (0)

static uint64_t size_of(const char *s)
{
	uint64_t v = 0xdead;

	CU_ASSERT(run_parse_size(s, &v, &err) == 0);
	return v;
}

static uint64_t ns_of(const char *s)
{
	uint64_t v = 0xdead;

	CU_ASSERT(run_parse_duration(s, &v, &err) == 0);
	return v;
}

static void test_sizes(void)
{
	static const char *const bad[] = {
		"", "K", "-1", "+1", " 64K", "64K ", "64KB", "64 K", "1e3", "0x10", "1.",
		"0.3K", "1.5", "99999999999G", "64Q",
	};
	uint64_t v = 7;
	size_t i;

	CHECK_EQ(size_of("4096"), 4096);
	CHECK_EQ(size_of("100B"), 100);
	CHECK_EQ(size_of("64K"), 65536);
	CHECK_EQ(size_of("64k"), 65536);
	CHECK_EQ(size_of("64KiB"), 65536);
	CHECK_EQ(size_of("1M"), 1048576);
	CHECK_EQ(size_of("1.5M"), 1572864);
	CHECK_EQ(size_of("2G"), 2147483648ULL);
	CHECK_EQ(size_of("2gib"), 2147483648ULL);
	CHECK_EQ(size_of("0"), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT(run_parse_size(bad[i], &v, &err) == -1);
		CU_ASSERT(err.msg[0] != '\0');
	}
	CHECK_EQ(v, 7);				/* untouched on error */
	run_parse_size("64KB", &v, &err);
	CHECK_MSG("unknown size unit 'KB'");
	run_parse_size("0.3K", &v, &err);
	CHECK_MSG("whole number of bytes");
}

static void test_durations(void)
{
	static const char *const bad[] = {
		"", "5", "ms", "1min", "-1ms", "1e3ms", "inf", "nan", "1.ms", "1 ms", "1h",
		"99999999999s",
	};
	uint64_t v = 7;
	size_t i;

	CHECK_EQ(ns_of("1ms"), 1000000);
	CHECK_EQ(ns_of("1.5ms"), 1500000);
	CHECK_EQ(ns_of("500us"), 500000);
	CHECK_EQ(ns_of("0.5us"), 500);
	CHECK_EQ(ns_of("250ns"), 250);
	CHECK_EQ(ns_of("2s"), 2000000000ULL);
	CHECK_EQ(ns_of("2S"), 2000000000ULL);
	CHECK_EQ(ns_of("0"), 0);		/* zero needs no unit */
	CHECK_EQ(ns_of("0.000001ms"), 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT(run_parse_duration(bad[i], &v, &err) == -1);
	CHECK_EQ(v, 7);
	run_parse_duration("5", &v, &err);
	CHECK_MSG("needs a unit");
	run_parse_duration("1min", &v, &err);
	CHECK_MSG("unknown time unit 'min'");
}

static void test_numbers_percentages_dists(void)
{
	uint64_t u = 0;
	uint32_t pm = 0, d = 9;
	double r = 0;

	CU_ASSERT(run_parse_uint("16", 1, 16, &u, &err) == 0);
	CHECK_EQ(u, 16);
	CU_ASSERT(run_parse_uint("17", 1, 16, &u, &err) == -1);
	CHECK_MSG("out of range (1..16)");
	CU_ASSERT(run_parse_uint("0", 1, 16, &u, &err) == -1);
	CU_ASSERT(run_parse_uint("1.0", 1, 16, &u, &err) == -1);
	CHECK_MSG("not a whole number");
	CU_ASSERT(run_parse_uint("-1", 0, 16, &u, &err) == -1);
	CU_ASSERT(run_parse_uint("99999999999999999999", 0, UINT64_MAX, &u, &err) == -1);
	CU_ASSERT(run_parse_uint(NULL, 0, 1, &u, &err) == -1);

	CU_ASSERT(run_parse_real("0.25", 0, 10, &r, &err) == 0);
	CU_ASSERT(r == 0.25);
	CU_ASSERT(run_parse_real(".5", 0, 10, &r, &err) == 0);
	CU_ASSERT(r == 0.5);
	CU_ASSERT(run_parse_real("1e2", 0, 1000, &r, &err) == -1);
	CU_ASSERT(run_parse_real("10.5", 0, 10, &r, &err) == -1);
	CU_ASSERT(run_parse_real("nan", 0, 10, &r, &err) == -1);

	CU_ASSERT(run_parse_percent("10", &pm, &err) == 0);
	CHECK_EQ(pm, 100);
	CU_ASSERT(run_parse_percent("2.5%", &pm, &err) == 0);
	CHECK_EQ(pm, 25);
	CU_ASSERT(run_parse_percent("100%", &pm, &err) == 0);
	CHECK_EQ(pm, 1000);
	CU_ASSERT(run_parse_percent("101", &pm, &err) == -1);
	CU_ASSERT(run_parse_percent("%", &pm, &err) == -1);
	CU_ASSERT(run_parse_percent("-1%", &pm, &err) == -1);

	CU_ASSERT(run_parse_dist("lognormal", &d, &err) == 0);
	CHECK_EQ(d, QAIC_SIMNET_LOGNORMAL);
	CU_ASSERT(run_parse_dist("bimodal", &d, &err) == 0);
	CHECK_EQ(d, QAIC_SIMNET_BIMODAL);
	CU_ASSERT(run_parse_dist("Normal", &d, &err) == -1);
	CU_ASSERT(run_parse_dist("gauss", &d, &err) == -1);
	CHECK_MSG("fixed, normal, lognormal, bimodal");
	CU_ASSERT(strcmp(run_dist_name(QAIC_SIMNET_FIXED), "fixed") == 0);
	CU_ASSERT(strcmp(run_dist_name(99), "?") == 0);
}

static void test_spec_sets_every_key(void)
{
	struct run_workload w;

	run_workload_defaults(&w, 3);
	CU_ASSERT(strcmp(w.name, "w3") == 0);
	CHECK_EQ(w.in_bytes, 65536);
	CHECK_EQ(w.out_bytes, 4096);
	CHECK_EQ(w.mode, RUN_CLOSED);
	CU_ASSERT(run_parse_spec("name=vision,in=600K,out=4K,nsp=2,dist=lognormal,mean=1ms,"
				 "sigma=0.3,rate=200/s,depth=4,batch=2,procs=3,time=5s,check=10,"
				 "queue=512,seed=77", &w, &err) == 0);
	CU_ASSERT(strcmp(w.name, "vision") == 0);
	CHECK_EQ(w.in_bytes, 600 * 1024);
	CHECK_EQ(w.out_bytes, 4096);
	CHECK_EQ(w.nsp, 2);
	CHECK_EQ(w.dist, QAIC_SIMNET_LOGNORMAL);
	CHECK_EQ(w.mean_ns, 1000000);
	CU_ASSERT(w.sigma == 0.3);
	CHECK_EQ(w.mode, RUN_OPEN);
	CU_ASSERT(w.rate == 200);
	CHECK_EQ(w.depth, 4);
	CHECK_EQ(w.batch, 2);
	CHECK_EQ(w.procs, 3);
	CHECK_EQ(w.time_ns, 5000000000ULL);
	CHECK_EQ(w.check_every, 10);
	CHECK_EQ(w.queue, 512);
	CHECK_EQ(w.seed, 77);

	run_workload_defaults(&w, 0);
	CU_ASSERT(run_parse_spec(" dist=bimodal mean=2ms\tsd=200us,mean2=20ms,sd2=1ms,p2=10%,"
				 "outstanding=3,requests=500 ", &w, &err) == 0);
	CHECK_EQ(w.sd_ns, 200000);
	CHECK_EQ(w.mean2_ns, 20000000);
	CHECK_EQ(w.sd2_ns, 1000000);
	CHECK_EQ(w.p2_permille, 100);
	CHECK_EQ(w.outstanding, 3);
	CHECK_EQ(w.requests, 500);
	CHECK_EQ(w.given & (RUN_K_MEAN2 | RUN_K_P2 | RUN_K_REQUESTS),
		 RUN_K_MEAN2 | RUN_K_P2 | RUN_K_REQUESTS);
}

static void spec_fails(const char *spec, const char *want)
{
	struct run_workload w;

	run_workload_defaults(&w, 0);
	CU_ASSERT(run_parse_spec(spec, &w, &err) == -1);
	CHECK_MSG(want);
}

static void test_spec_errors_name_the_key(void)
{
	spec_fails("", "empty");
	spec_fails(",,", "empty");
	spec_fails("in", "'in' is not key=value");
	spec_fails("in=", "in= needs a value");
	spec_fails("foo=1", "unknown key 'foo'");
	spec_fails("in=1K,in=2K", "key 'in' given twice");
	spec_fails("in=600Q", "in=600Q: unknown size unit");
	spec_fails("nsp=0", "nsp=0: out of range (1..16)");
	spec_fails("nsp=17", "nsp=17");
	spec_fails("name=a/b", "not a name");
	spec_fails("name=abcdefghijklmnopqrstuvwxyz0123456", "not a name");
	spec_fails("mean=5", "mean=5: needs a unit");
	spec_fails("rate=0", "above 0");
	spec_fails("rate=fast", "rate=fast");
	spec_fails("outstanding=0", "outstanding=0");
	spec_fails("outstanding=1025", "(1..1024)");
	spec_fails("batch=257", "batch=257");
	spec_fails("procs=17", "procs=17");
	spec_fails("time=500us", "shorter than 1ms");
	spec_fails("requests=0", "requests=0");
	spec_fails("check=-1", "check=-1");
	spec_fails("queue=0", "queue=0");
	spec_fails("queue=65536", "(1..32768)");
	spec_fails("seed=4294967296", "seed=");
	spec_fails("sigma=11", "(0..10)");
	spec_fails("p2=200", "percentage");
	spec_fails("dist=gauss", "unknown distribution");
}

static void test_config_text(void)
{
	static const char text[] =
		"# three workloads\n"
		"\n"
		"name=vision,in=600K,out=4K,rate=200   # open loop\n"
		"  name=bert in=2M out=2M nsp=8\r\n"
		"\t# indented comment\n"
		"name=decode,in=4K,out=512";

	memset(&cfg, 0, sizeof(cfg));
	CU_ASSERT(run_parse_config_text(text, "w.conf", &cfg, &err) == 0);
	CHECK_EQ(cfg.n, 3);
	CU_ASSERT(strcmp(cfg.w[0].name, "vision") == 0);
	CU_ASSERT(cfg.w[0].rate == 200);
	CU_ASSERT(strcmp(cfg.w[1].name, "bert") == 0);
	CHECK_EQ(cfg.w[1].nsp, 8);
	CU_ASSERT(strcmp(cfg.w[2].name, "decode") == 0);
	CHECK_EQ(cfg.w[2].out_bytes, 512);

	memset(&cfg, 0, sizeof(cfg));
	CU_ASSERT(run_parse_config_text("in=1K\n\n# c\nin=2K,bogus=1\n", "f.conf", &cfg,
					&err) == -1);
	CHECK_MSG("f.conf:4: unknown key 'bogus'");
	memset(&cfg, 0, sizeof(cfg));
	CU_ASSERT(run_parse_config_text("", "empty.conf", &cfg, &err) == -1);
	CHECK_MSG("empty.conf: no workload");
	memset(&cfg, 0, sizeof(cfg));
	CU_ASSERT(run_parse_config_text("# only\n\n  # comments\n", "c.conf", &cfg, &err) == -1);
	CHECK_MSG("no workload");
}

static void test_config_workload_limit(void)
{
	char *text = malloc(RUN_MAX_WORKLOADS * 16 + 64), *p;
	int i;

	CU_ASSERT_FATAL(text != NULL);
	p = text;
	for (i = 0; i <= RUN_MAX_WORKLOADS; i++)
		p += sprintf(p, "in=%dK\n", i + 1);
	memset(&cfg, 0, sizeof(cfg));
	CU_ASSERT(run_parse_config_text(text, "big.conf", &cfg, &err) == -1);
	CHECK_MSG("big.conf:65: more than 64 workloads");
	free(text);
}

/* Parse a NULL-terminated argument list (argv[0] added). */
static int args(const char *a0, ...)
{
	char *argv[64];
	int argc = 0;
	va_list ap;
	const char *a;

	argv[argc++] = (char *)"qaic-run";
	va_start(ap, a0);
	for (a = a0; a && argc < 63; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	memset(&err, 0, sizeof(err));
	return run_parse_args(argc, argv, &cfg, &err);
}

static void test_args_good(void)
{
	CU_ASSERT(args("-w", "in=1K", NULL) == 0);
	CHECK_EQ(cfg.n, 1);
	CHECK_EQ(cfg.w[0].time_ns, 10000000000ULL);	/* the default run time */
	CHECK_EQ(cfg.w[0].requests, 0);
	CHECK_EQ(cfg.timeout_ms, 10000);
	CU_ASSERT_PTR_NULL(cfg.device);
	CHECK_EQ(cfg.json, 0);
	CHECK_EQ(cfg.perf_stats, 0);

	CU_ASSERT(args("-w", "name=a", "--workload=name=b,time=2s", "-t", "5s", "-d", "1",
		       "--timeout", "250ms", "--json", "--seed", "9", "--check-every", "4",
		       "--dry-run", "--perf-stats", NULL) == 0);
	CHECK_EQ(cfg.n, 2);
	CHECK_EQ(cfg.w[0].time_ns, 5000000000ULL);
	CHECK_EQ(cfg.w[1].time_ns, 2000000000ULL);	/* its own time= wins */
	CU_ASSERT(strcmp(cfg.device, "1") == 0);
	CHECK_EQ(cfg.timeout_ms, 250);
	CHECK_EQ(cfg.json, 1);
	CHECK_EQ(cfg.dry_run, 1);
	CHECK_EQ(cfg.perf_stats, 1);
	CHECK_EQ(cfg.w[0].seed, 9);
	CHECK_EQ(cfg.w[1].seed, 1009);
	CHECK_EQ(cfg.w[0].check_every, 4);

	CU_ASSERT(args("-n", "100", "-w", "in=1K", "-w", "in=2K,time=1s", NULL) == 0);
	CHECK_EQ(cfg.w[0].requests, 100);
	CHECK_EQ(cfg.w[0].time_ns, 0);
	CHECK_EQ(cfg.w[1].requests, 0);
	CHECK_EQ(cfg.w[1].time_ns, 1000000000ULL);

	CU_ASSERT(args("-w", "in=1K,check=0", "--check-every=7", NULL) == 0);
	CHECK_EQ(cfg.w[0].check_every, 0);		/* its own check= wins */

	CU_ASSERT(args("--help", "-w", "bogus", NULL) == 0);
	CHECK_EQ(cfg.help, 1);
	CU_ASSERT(args("-h", NULL) == 0);
	CHECK_EQ(cfg.help, 1);
}

static void test_args_config_file(void)
{
	char path[] = "/tmp/qaic-run-conf-XXXXXX";
	const char text[] = "name=x,in=1K\nname=y,in=2K,procs=2\n";
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT(write(fd, text, sizeof(text) - 1) == (ssize_t)(sizeof(text) - 1));
	close(fd);
	CU_ASSERT(args("-w", "name=first", "-c", path, "-w", "name=last", NULL) == 0);
	CHECK_EQ(cfg.n, 4);
	CU_ASSERT(strcmp(cfg.w[0].name, "first") == 0);
	CU_ASSERT(strcmp(cfg.w[1].name, "x") == 0);
	CU_ASSERT(strcmp(cfg.w[2].name, "y") == 0);
	CHECK_EQ(cfg.w[2].procs, 2);
	CU_ASSERT(strcmp(cfg.w[3].name, "last") == 0);
	unlink(path);

	CU_ASSERT(args("-c", "/nonexistent/qaic-run.conf", NULL) == -1);
	CHECK_MSG("cannot open config file /nonexistent/qaic-run.conf");
}

static void args_fail(const char *want, const char *a0, ...)
{
	char *argv[16];
	int argc = 0;
	va_list ap;
	const char *a;

	argv[argc++] = (char *)"qaic-run";
	va_start(ap, a0);
	for (a = a0; a && argc < 15; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	memset(&err, 0, sizeof(err));
	CU_ASSERT(run_parse_args(argc, argv, &cfg, &err) == -1);
	CHECK_MSG(want);
}

static void test_args_bad(void)
{
	args_fail("no workload", NULL);
	args_fail("no workload", "-t", "1s", NULL);
	args_fail("option '-w' needs a value", "-w", NULL);
	args_fail("option '--timeout' needs a value", "-w", "in=1K", "--timeout", NULL);
	args_fail("unknown option '-x'", "-x", NULL);
	args_fail("unknown option '--bogus'", "--bogus", NULL);
	args_fail("'--json=1' takes no value", "--json=1", NULL);
	args_fail("'--perf-stats=yes' takes no value", "-w", "in=1K", "--perf-stats=yes", NULL);
	args_fail("unexpected argument 'in=1K'", "in=1K", NULL);
	args_fail("-w 'in=1Q'", "-w", "in=1Q", NULL);
	args_fail("-t 10: needs a unit", "-w", "in=1K", "-t", "10", NULL);
	args_fail("-t 10us: shorter than 1ms", "-w", "in=1K", "-t", "10us", NULL);
	args_fail("-n 0: out of range", "-w", "in=1K", "-n", "0", NULL);
	args_fail("-n x: not a whole number", "-w", "in=1K", "-n", "x", NULL);
	args_fail("--timeout 0: out of range", "-w", "in=1K", "--timeout", "0", NULL);
	args_fail("--timeout 5: needs a unit", "-w", "in=1K", "--timeout", "5", NULL);
	args_fail("--check-every -1", "-w", "in=1K", "--check-every", "-1", NULL);
	args_fail("--seed 1.5", "-w", "in=1K", "--seed", "1.5", NULL);
	args_fail("-t and -n exclude each other", "-w", "in=1K", "-t", "1s", "-n", "5", NULL);
}

static void finish_fails(const char *want, const char *spec)
{
	args_fail(want, "-w", spec, NULL);
	CHECK_MSG("workload '");
}

static void test_finish_checks_the_whole(void)
{
	args_fail("two workloads are named 'a'", "-w", "name=a", "-w", "name=a", NULL);
	args_fail("two workloads are named 'w0'", "-w", "in=1K", "-w", "name=w0", NULL);
	finish_fails("rate= (open loop) and outstanding= (closed loop)", "rate=5,outstanding=2");
	finish_fails("depth= is for open loop", "depth=4");
	finish_fails("time= and requests= exclude", "time=1s,requests=5");
	finish_fails("does not apply to dist=fixed", "sd=1ms");
	finish_fails("lognormal takes sigma=", "dist=lognormal,sd=1ms");
	finish_fails("sigma= does not apply to dist=normal", "dist=normal,sigma=0.5");
	finish_fails("p2= does not apply", "dist=normal,p2=5");
	finish_fails("needs mean2= and p2=", "dist=bimodal,mean2=5ms");
	finish_fails("needs mean2= and p2=", "dist=bimodal,p2=5");
	finish_fails("at least 1 byte", "in=0");
	finish_fails("at most 128M", "out=129M");
	finish_fails("requests=3 is fewer than procs=4", "requests=3,procs=4");
	finish_fails("buffers per process; at most 4096", "outstanding=1024,batch=8");
	finish_fails("may need 17 queue elements; the DBC queue has 16", "in=64K,queue=16");

	CU_ASSERT(args("-w", "in=64K,out=4K,queue=17", NULL) == 0);	/* exactly enough */
	CU_ASSERT(args("-w", "dist=bimodal,mean2=5ms,p2=5,sd=1ms,sd2=2ms", NULL) == 0);
	CU_ASSERT(args("-w", "dist=lognormal,sigma=0.5,rate=10,depth=2", NULL) == 0);
	CHECK_EQ(cfg.w[0].mode, RUN_OPEN);
	CHECK_EQ(run_inflight(&cfg.w[0]), 2);
}

static CU_TestInfo tests[] = {
	{ "sizes: 1024-based units, whole bytes, no stray characters", test_sizes },
	{ "durations: a unit is required (but for 0)", test_durations },
	{ "whole numbers, decimals, percentages, distributions",
	  test_numbers_percentages_dists },
	{ "a spec sets every key", test_spec_sets_every_key },
	{ "spec errors name the key and the problem", test_spec_errors_name_the_key },
	{ "config file: comments, blanks, file:line in errors", test_config_text },
	{ "config file: workload limit", test_config_workload_limit },
	{ "command line: every flag, defaults applied", test_args_good },
	{ "command line: -c mixes with -w in order", test_args_config_file },
	{ "command line: bad flags and values", test_args_bad },
	{ "run_finish: conflicts, ranges, queue room", test_finish_checks_the_whole },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "run_parse", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
