// SPDX-License-Identifier: MIT
/*
 * qaic-prof's argument parsers (profiler/args.c): good values, and for each
 * bad one an error that names the flag and the value and leaves the output
 * alone.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "args.h"
#include "check.h"
#include "fake_tree.h"
#include "tap.h"

static struct args_err err;

/* The call failed with a message naming flag and value, containing why. */
#define CHECK_BAD(call, flag, value, why) do {						\
	memset(&err, 0, sizeof(err));							\
	CU_ASSERT((call) == -1);							\
	check_msg(flag, value, why, #call, __LINE__);					\
} while (0)

static void check_msg(const char *flag, const char *value, const char *why, const char *expr,
		      unsigned int line)
{
	char want[128], text[512];
	int ok;

	snprintf(want, sizeof(want), "%s '%s': ", flag, value);
	ok = !strncmp(err.msg, want, strlen(want)) && strstr(err.msg, why);
	snprintf(text, sizeof(text), "%s: message \"%s\", want \"%s...%s...\"", expr, err.msg,
		 want, why);
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, text, __FILE__, "", CU_FALSE);
}

static void test_uint(void)
{
	uint64_t v = 77;

	CHECK_OK(args_uint("-n", "0", 0, 10, &v, &err));
	CHECK_EQ(v, 0);
	CHECK_OK(args_uint("-n", "18446744073709551615", 0, UINT64_MAX, &v, &err));
	CHECK_EQ(v, UINT64_MAX);
	v = 77;
	CHECK_BAD(args_uint("-n", "11", 0, 10, &v, &err), "-n", "11", "out of range (0..10)");
	CHECK_BAD(args_uint("-n", "18446744073709551616", 0, UINT64_MAX, &v, &err), "-n",
		  "18446744073709551616", "out of range");
	CHECK_BAD(args_uint("-n", "-1", 0, 10, &v, &err), "-n", "-1", "not a whole number");
	CHECK_BAD(args_uint("-n", "+1", 0, 10, &v, &err), "-n", "+1", "not a whole number");
	CHECK_BAD(args_uint("-n", " 1", 0, 10, &v, &err), "-n", " 1", "not a whole number");
	CHECK_BAD(args_uint("-n", "1 ", 0, 10, &v, &err), "-n", "1 ", "not a whole number");
	CHECK_BAD(args_uint("-n", "0x10", 0, 100, &v, &err), "-n", "0x10", "not a whole number");
	CHECK_BAD(args_uint("-n", "1.5", 0, 10, &v, &err), "-n", "1.5", "not a whole number");
	CHECK_BAD(args_uint("-n", "1e3", 0, 10000, &v, &err), "-n", "1e3", "not a whole number");
	CHECK_BAD(args_uint("-n", "", 0, 10, &v, &err), "-n", "", "missing value");
	CHECK_BAD(args_uint("-n", NULL, 0, 10, &v, &err), "-n", "", "missing value");
	CHECK_EQ(v, 77);			/* untouched by every failure */
	CU_ASSERT(args_uint("-n", "x", 0, 1, &v, NULL) == -1);	/* err is optional */
}

static void test_duration(void)
{
	uint64_t ns = 5;

	CHECK_OK(args_duration("-d", "2", 0, UINT64_MAX, &ns, &err));
	CHECK_EQ(ns, 2000000000ULL);			/* no unit: seconds */
	CHECK_OK(args_duration("-d", "0.5", 0, UINT64_MAX, &ns, &err));
	CHECK_EQ(ns, 500000000ULL);
	CHECK_OK(args_duration("-d", "500ms", 0, UINT64_MAX, &ns, &err));
	CHECK_EQ(ns, 500000000ULL);
	CHECK_OK(args_duration("-d", "2s", 0, UINT64_MAX, &ns, &err));
	CHECK_EQ(ns, 2000000000ULL);
	CHECK_OK(args_duration("-d", "1m", 0, UINT64_MAX, &ns, &err));
	CHECK_EQ(ns, 60000000000ULL);
	CHECK_OK(args_duration("-d", "1.5h", 0, UINT64_MAX, &ns, &err));
	CHECK_EQ(ns, 5400000000000ULL);
	CHECK_OK(args_duration("-d", "250us", 0, UINT64_MAX, &ns, &err));
	CHECK_EQ(ns, 250000);
	CHECK_OK(args_duration("-d", "7ns", 0, UINT64_MAX, &ns, &err));
	CHECK_EQ(ns, 7);
	CHECK_OK(args_duration("-d", "0.0015ms", 0, UINT64_MAX, &ns, &err));
	CHECK_EQ(ns, 1500);
	ns = 5;
	CHECK_BAD(args_duration("-d", "2x", 0, UINT64_MAX, &ns, &err), "-d", "2x",
		  "unknown time unit 'x' (ns, us, ms, s, m, h)");
	CHECK_BAD(args_duration("-d", "2 s", 0, UINT64_MAX, &ns, &err), "-d", "2 s",
		  "unknown time unit ' s'");
	CHECK_BAD(args_duration("-d", "2S", 0, UINT64_MAX, &ns, &err), "-d", "2S", "unknown time unit");
	CHECK_BAD(args_duration("-d", "ms", 0, UINT64_MAX, &ns, &err), "-d", "ms", "not a duration");
	CHECK_BAD(args_duration("-d", "-1s", 0, UINT64_MAX, &ns, &err), "-d", "-1s", "not a duration");
	CHECK_BAD(args_duration("-d", ".5s", 0, UINT64_MAX, &ns, &err), "-d", ".5s", "not a duration");
	CHECK_BAD(args_duration("-d", "5.s", 0, UINT64_MAX, &ns, &err), "-d", "5.s", "not a duration");
	CHECK_BAD(args_duration("-d", "1e3ms", 0, UINT64_MAX, &ns, &err), "-d", "1e3ms",
		  "unknown time unit 'e3ms'");
	CHECK_BAD(args_duration("-d", "", 0, UINT64_MAX, &ns, &err), "-d", "", "missing value");
	CHECK_BAD(args_duration("-t", "50ms", 100000000, 60000000000ULL, &ns, &err), "-t", "50ms",
		  "out of range (100ms..1m)");
	CHECK_BAD(args_duration("-t", "99999999999999999999h", 0, UINT64_MAX, &ns, &err), "-t",
		  "99999999999999999999h", "out of range");
	CHECK_EQ(ns, 5);
}

static void test_interval_and_count(void)
{
	char *argv[] = { "lat", "-m", "0.5", "10", "extra" };
	uint64_t iv = 1, n = 1;

	CHECK_OK(args_interval("interval", "1", &iv, &err));
	CHECK_EQ(iv, 1000000000ULL);
	CHECK_OK(args_interval("interval", "10ms", &iv, &err));
	CHECK_EQ(iv, 10000000ULL);
	CHECK_BAD(args_interval("interval", "0", &iv, &err), "interval", "0", "out of range (10ms..24h)");
	CHECK_BAD(args_interval("interval", "5ms", &iv, &err), "interval", "5ms", "out of range");
	CHECK_BAD(args_interval("interval", "25h", &iv, &err), "interval", "25h", "out of range");
	CHECK_OK(args_count("count", "3", &n, &err));
	CHECK_EQ(n, 3);
	CHECK_BAD(args_count("count", "0", &n, &err), "count", "0", "out of range (1..");
	CHECK_BAD(args_count("count", "4294967296", &n, &err), "count", "4294967296", "out of range");

	/* iostat's [INTERVAL [COUNT]] after the options (argv[2..]) */
	CHECK_OK(args_interval_count(2, argv, 2, 1000000000ULL, &iv, &n, &err));
	CHECK_EQ(iv, 1000000000ULL);			/* the default, forever */
	CHECK_EQ(n, 0);
	CHECK_OK(args_interval_count(3, argv, 2, 1000000000ULL, &iv, &n, &err));
	CHECK_EQ(iv, 500000000ULL);
	CHECK_EQ(n, 0);
	CHECK_OK(args_interval_count(4, argv, 2, 1000000000ULL, &iv, &n, &err));
	CHECK_EQ(iv, 500000000ULL);
	CHECK_EQ(n, 10);
	CHECK_BAD(args_interval_count(5, argv, 2, 1, &iv, &n, &err), "argument", "extra",
		  "[INTERVAL [COUNT]]");
	CHECK_BAD(args_interval_count(3, argv, 1, 1, &iv, &n, &err), "interval", "-m",
		  "not a duration");
	CHECK_BAD(args_interval_count(4, argv, 1, 1, &iv, &n, &err), "argument", "10",
		  "unexpected");
	argv[3] = "0";
	CHECK_BAD(args_interval_count(4, argv, 2, 1, &iv, &n, &err), "count", "0", "out of range");
	CHECK_EQ(iv, 500000000ULL);			/* untouched by the failures */
	CHECK_EQ(n, 10);
}

static void test_percent(void)
{
	double p = -1;

	CHECK_OK(args_percent("-p", "99.9", 0, 100, &p, &err));
	CU_ASSERT(p == 99.9);
	CHECK_OK(args_percent("-p", "80%", 0, 100, &p, &err));
	CU_ASSERT(p == 80);
	CHECK_OK(args_percent("-p", "100", 0, 100, &p, &err));
	CU_ASSERT(p == 100);
	CHECK_BAD(args_percent("-p", "100.1", 0, 100, &p, &err), "-p", "100.1", "out of range (0..100)");
	CHECK_BAD(args_percent("-p", "0", 0.001, 100, &p, &err), "-p", "0", "out of range");
	CHECK_BAD(args_percent("-p", "50%%", 0, 100, &p, &err), "-p", "50%%", "not a percentage");
	CHECK_BAD(args_percent("-p", "%", 0, 100, &p, &err), "-p", "%", "not a percentage");
	CHECK_BAD(args_percent("-p", "nan", 0, 100, &p, &err), "-p", "nan", "not a percentage");
	CHECK_BAD(args_percent("-p", "-5", 0, 100, &p, &err), "-p", "-5", "not a percentage");
	CHECK_BAD(args_percent("-p", "", 0, 100, &p, &err), "-p", "", "missing value");
	CU_ASSERT(p == 100);
}

static void test_pid_and_dbc(void)
{
	uint32_t v = 9;

	CHECK_OK(args_pid("--pid", "1", &v, &err));
	CHECK_EQ(v, 1);
	CHECK_OK(args_pid("--pid", "4194304", &v, &err));
	CHECK_EQ(v, 4194304);
	CHECK_BAD(args_pid("--pid", "0", &v, &err), "--pid", "0", "out of range (1..4194304)");
	CHECK_BAD(args_pid("--pid", "4194305", &v, &err), "--pid", "4194305", "out of range");
	CHECK_BAD(args_pid("--pid", "self", &v, &err), "--pid", "self", "not a whole number");
	CHECK_OK(args_dbc("--dbc", "0", &v, &err));
	CHECK_EQ(v, 0);
	CHECK_OK(args_dbc("--dbc", "15", &v, &err));
	CHECK_EQ(v, 15);
	CHECK_BAD(args_dbc("--dbc", "16", &v, &err), "--dbc", "16", "out of range (0..15)");
	CHECK_BAD(args_dbc("-d", "-1", &v, &err), "-d", "-1", "not a whole number");
	CHECK_BAD(args_dbc("-d", "3,4", &v, &err), "-d", "3,4", "not a whole number");
	CHECK_EQ(v, 15);
}

static void test_device_names(void)
{
	uint32_t m = 99;

	CHECK_OK(args_device("-D", "accel0", &m, &err));
	CHECK_EQ(m, 0);
	CHECK_OK(args_device("-D", "accel12", &m, &err));
	CHECK_EQ(m, 12);
	CHECK_OK(args_device("-D", "renderD128", &m, &err));
	CHECK_EQ(m, 128);
	CHECK_OK(args_device("-D", "3", &m, &err));
	CHECK_EQ(m, 3);
	m = 99;
	CHECK_BAD(args_device("-D", "renderD5", &m, &err), "-D", "renderD5", "start at renderD128");
	CHECK_BAD(args_device("-D", "card0", &m, &err), "-D", "card0",
		  "primary node: name the render node (renderD128)");
	CHECK_BAD(args_device("-D", "accel", &m, &err), "-D", "accel", "not a device");
	CHECK_BAD(args_device("-D", "accel-1", &m, &err), "-D", "accel-1", "not a device");
	CHECK_BAD(args_device("-D", "gpu0", &m, &err), "-D", "gpu0", "not a device");
	CHECK_BAD(args_device("-D", "1048576", &m, &err), "-D", "1048576", "out of range");
	CHECK_BAD(args_device("-D", "/nonexistent/accel0", &m, &err), "-D", "/nonexistent/accel0",
		  "No such file or directory");
	CHECK_BAD(args_device("-D", "/tmp", &m, &err), "-D", "/tmp", "not a device node");
	CHECK_BAD(args_device("-D", "", &m, &err), "-D", "", "missing value");
	CHECK_EQ(m, 99);
}

static void test_device_paths(void)
{
	struct fake_tree ft;
	char path[4200];
	uint32_t m = 99;

	CU_ASSERT_FATAL(ft_create(&ft) == 0);
	snprintf(path, sizeof(path), "%s/renderD129", ft.root);
	if (mknod(path, S_IFCHR | 0600, makedev(226, 129))) {
		printf("# mknod: %s: device paths not tested\n", strerror(errno));
		ft_remove(&ft);
		return;
	}
	CHECK_OK(args_device("-D", path, &m, &err));
	CHECK_EQ(m, 129);
	snprintf(path, sizeof(path), "%s/by-path", ft.root);	/* a symlink to it */
	CHECK_OK(symlink("renderD129", path));
	CHECK_OK(args_device("-D", path, &m, &err));
	CHECK_EQ(m, 129);
	snprintf(path, sizeof(path), "%s/accel7", ft.root);
	CHECK_OK(mknod(path, S_IFCHR | 0600, makedev(261, 7)));
	CHECK_OK(args_device("-D", path, &m, &err));
	CHECK_EQ(m, 7);
	snprintf(path, sizeof(path), "%s/card1", ft.root);
	CHECK_OK(mknod(path, S_IFCHR | 0600, makedev(226, 1)));
	CHECK_BAD(args_device("-D", path, &m, &err), "-D", path, "name the render node (renderD129)");
	CHECK_EQ(m, 7);
	ft_remove(&ft);
}

/* The first cgroup2 mount in /proc/self/mounts, or "" if there is none. */
static void cgroup2_mount(char *out, size_t size)
{
	char dev[256], dir[256], type[64];
	FILE *f = fopen("/proc/self/mounts", "r");

	*out = '\0';
	while (f && fscanf(f, "%255s %255s %63s %*[^\n]", dev, dir, type) == 3) {
		if (!strcmp(type, "cgroup2")) {
			snprintf(out, size, "%s", dir);
			break;
		}
	}
	if (f)
		fclose(f);
}

static void test_cgroup(void)
{
	const char *no_roots[] = { NULL };
	char mnt[256], child[600], rel[300];
	const char *roots[2] = { mnt, NULL };
	struct stat st;
	uint64_t id = 5;

	CHECK_OK(args_cgroup("--cgroup", "4242", &id, &err));
	CHECK_EQ(id, 4242);
	id = 5;
	CHECK_BAD(args_cgroup("--cgroup", "0", &id, &err), "--cgroup", "0", "out of range");
	CHECK_BAD(args_cgroup("--cgroup", "/tmp", &id, &err), "--cgroup", "/tmp",
		  "not on a cgroup v2 file system");
	CHECK_BAD(args_cgroup("--cgroup", "/no/such/dir", &id, &err), "--cgroup", "/no/such/dir",
		  "No such file or directory");
	CHECK_BAD(args_cgroup_at("--cgroup", "system.slice", no_roots, &id, &err), "--cgroup",
		  "system.slice", "no such cgroup");
	CHECK_BAD(args_cgroup("--cgroup", "", &id, &err), "--cgroup", "", "missing value");
	CHECK_EQ(id, 5);

	cgroup2_mount(mnt, sizeof(mnt));
	if (!*mnt) {
		printf("# no cgroup2 mount: cgroup paths not tested\n");
		return;
	}
	/* a cgroup's id is its kernfs id, the directory's inode number */
	CHECK_OK(args_cgroup("--cgroup", mnt, &id, &err));
	CHECK_OK(stat(mnt, &st));
	CHECK_EQ(id, st.st_ino);
	snprintf(rel, sizeof(rel), "qaic-prof-test-%d", (int)getpid());
	snprintf(child, sizeof(child), "%s/%s", mnt, rel);
	if (mkdir(child, 0755)) {
		printf("# mkdir %s: %s: child cgroup not tested\n", child, strerror(errno));
		return;
	}
	CHECK_OK(stat(child, &st));
	CHECK_OK(args_cgroup("--cgroup", child, &id, &err));
	CHECK_EQ(id, st.st_ino);
	id = 0;
	CHECK_OK(args_cgroup_at("--cgroup", rel, roots, &id, &err));	/* relative to the mount */
	CHECK_EQ(id, st.st_ino);
	snprintf(child + strlen(child), sizeof(child) - strlen(child), "/cgroup.procs");
	CHECK_BAD(args_cgroup("--cgroup", child, &id, &err), "--cgroup", child, "not a cgroup directory");
	child[strlen(child) - strlen("/cgroup.procs")] = '\0';
	CHECK_OK(rmdir(child));
}

static void test_unit_flags(void)
{
	struct args_unit u = { .unit = PROF_UNIT_US };

	CHECK_OK(args_unit_flag(&u, 'm', &err));
	CHECK_EQ(u.unit, PROF_UNIT_MS);
	CHECK_OK(args_unit_flag(&u, 'm', &err));		/* repeated: fine */
	memset(&err, 0, sizeof(err));
	CU_ASSERT(args_unit_flag(&u, 'u', &err) == -1);
	CU_ASSERT(strstr(err.msg, "-m and -u") != NULL);
	CHECK_EQ(u.unit, PROF_UNIT_MS);

	u.flag = 0;
	u.unit = PROF_UNIT_MS;
	CHECK_OK(args_unit_flag(&u, 'u', &err));
	CHECK_EQ(u.unit, PROF_UNIT_US);
	CU_ASSERT_STRING_EQUAL(prof_unit_name(u.unit), "us");
	CU_ASSERT(prof_unit_ns(PROF_UNIT_MS) == 1e6);
}

static CU_TestInfo tests[] = {
	{ "whole numbers: ranges, no signs, blanks, hex or exponents", test_uint },
	{ "durations: units, bare seconds, ranges", test_duration },
	{ "interval and count, iostat's [INTERVAL [COUNT]]", test_interval_and_count },
	{ "percentages", test_percent },
	{ "pid and DBC ranges", test_pid_and_dbc },
	{ "devices by name or number", test_device_names },
	{ "devices by path: minor of the node, symlinks, primary refused", test_device_paths },
	{ "cgroups: id, cgroup2 path (kernfs id), relative path, not v2", test_cgroup },
	{ "-m / -u", test_unit_flags },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "prof_args", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
