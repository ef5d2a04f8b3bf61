// SPDX-License-Identifier: MIT
/*
 * qaic-prof's command line (profiler/dispatch.c) over a table of test
 * commands: exact names and unambiguous prefixes, ambiguous and unknown
 * commands (exit 2), help / help CMD / CMD --help with EXAMPLES, and the
 * argv a command gets. Also the environment checks (profiler/env.c) over a
 * fake /sys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "fake_tree.h"
#include "prof.h"
#include "tap.h"

static int ran_argc;
static char ran_argv[4][32];
static const char *ran;

static int record_argv(const char *name, int argc, char **argv)
{
	int i;

	ran = name;
	ran_argc = argc;
	for (i = 0; i < argc && i < 4; i++)
		snprintf(ran_argv[i], sizeof(ran_argv[i]), "%s", argv[i]);
	return 7;
}

static int run_record(int argc, char **argv)
{
	return record_argv("record", argc, argv);
}

static int run_report(int argc, char **argv)
{
	return record_argv("report", argc, argv);
}

static int run_lat(int argc, char **argv)
{
	return record_argv("lat", argc, argv);
}

static const struct prof_cmd t_record = {
	"record", run_record, "stream events to a trace", "-o FILE", "  -o FILE   output\n",
	"  qaic-prof record -o t.json\n",
};
static const struct prof_cmd t_report = {
	"report", run_report, "capacity report", "[OPTIONS]", "",
	"  qaic-prof report -d 10s\n  qaic-prof report --md\n",
};
static const struct prof_cmd t_lat = {
	"lat", run_lat, "latency per stage", "[INTERVAL [COUNT]]", "  -m   milliseconds\n",
	"  qaic-prof lat 1 5\n",
};
static const struct prof_cmd *const cmds[] = { &t_record, &t_report, &t_lat, NULL };

static char out_text[8192], err_text[8192];

static void slurp(FILE *f, char *buf, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* prof_dispatch on a copy of args, stdout and stderr captured. */
static int dispatch(int argc, const char *const *args)
{
	char *argv[8];
	FILE *o = tmpfile(), *e = tmpfile();
	int saved_out = dup(1), saved_err = dup(2), ret, i;

	for (i = 0; i < argc; i++)
		argv[i] = (char *)args[i];
	argv[argc] = NULL;
	ran = NULL;
	fflush(stdout);
	dup2(fileno(o), 1);
	dup2(fileno(e), 2);
	ret = prof_dispatch(cmds, argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	slurp(o, out_text, sizeof(out_text));
	slurp(e, err_text, sizeof(err_text));
	return ret;
}

#define ARGS(...) (sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *)), \
	(const char *const[]){ __VA_ARGS__ }

static void test_find(void)
{
	int amb;

	CU_ASSERT(prof_find_cmd(cmds, "lat", &amb) == &t_lat);
	CU_ASSERT(prof_find_cmd(cmds, "l", &amb) == &t_lat);
	CU_ASSERT(prof_find_cmd(cmds, "rec", &amb) == &t_record);
	CU_ASSERT(prof_find_cmd(cmds, "rep", &amb) == &t_report);
	CU_ASSERT(prof_find_cmd(cmds, "re", &amb) == NULL);
	CHECK_EQ(amb, 1);
	CU_ASSERT(prof_find_cmd(cmds, "latency", &amb) == NULL);
	CHECK_EQ(amb, 0);
	CU_ASSERT(prof_find_cmd(cmds, "", &amb) == NULL);
	CU_ASSERT(strcmp(prof_find_cmd(cmds, "he", &amb)->name, "help") == 0);
}

static void test_runs_command_with_its_argv(void)
{
	CHECK_EQ(dispatch(ARGS("qaic-prof", "lat", "-m", "1")), 7);
	CU_ASSERT_STRING_EQUAL(ran, "lat");
	CHECK_EQ(ran_argc, 3);
	CU_ASSERT_STRING_EQUAL(ran_argv[0], "lat");
	CU_ASSERT_STRING_EQUAL(ran_argv[1], "-m");
	CU_ASSERT_STRING_EQUAL(ran_argv[2], "1");

	CHECK_EQ(dispatch(ARGS("qaic-prof", "repo")), 7);	/* a prefix: argv[0] is the name */
	CU_ASSERT_STRING_EQUAL(ran, "report");
	CHECK_EQ(ran_argc, 1);
	CU_ASSERT_STRING_EQUAL(ran_argv[0], "report");

	/* "-h" after "--" belongs to the command */
	CHECK_EQ(dispatch(ARGS("qaic-prof", "record", "--", "-h")), 7);
	CU_ASSERT_STRING_EQUAL(ran, "record");
	CHECK_EQ(ran_argc, 3);
}

static void test_bad_commands_exit_2(void)
{
	CHECK_EQ(dispatch(ARGS("qaic-prof", "re")), PROF_EXIT_USAGE);
	CU_ASSERT(ran == NULL);
	CU_ASSERT(strstr(err_text, "'re' is ambiguous: record, report") != NULL);
	CHECK_EQ(dispatch(ARGS("qaic-prof", "stall")), PROF_EXIT_USAGE);
	CU_ASSERT(strstr(err_text, "unknown command 'stall'") != NULL);
	CHECK_EQ(dispatch(ARGS("qaic-prof", "-m")), PROF_EXIT_USAGE);
	CU_ASSERT(strstr(err_text, "options follow a command") != NULL);
	CHECK_EQ(dispatch(ARGS("qaic-prof")), PROF_EXIT_USAGE);	/* no command: usage on stderr */
	CU_ASSERT(strstr(err_text, "usage: qaic-prof COMMAND") != NULL);
	CHECK_EQ(strlen(out_text), 0);
	CHECK_EQ(dispatch(ARGS("qaic-prof", "help", "nope")), PROF_EXIT_USAGE);
	CU_ASSERT(strstr(err_text, "unknown command 'nope'") != NULL);
	CHECK_EQ(dispatch(ARGS("qaic-prof", "help", "lat", "report")), PROF_EXIT_USAGE);
	CU_ASSERT(ran == NULL);
}

static void test_help_everywhere(void)
{
	const char *top[] = { "help", "-h", "--help" };
	size_t i;

	for (i = 0; i < 3; i++) {
		const char *args[2] = { "qaic-prof", top[i] };

		CHECK_EQ(dispatch(2, args), 0);
		CU_ASSERT(strstr(out_text, "COMMANDS:\n  record    stream events to a trace\n") != NULL);
		CU_ASSERT(strstr(out_text, "  help      list the commands") != NULL);
		/* EXAMPLES: each command's first one */
		CU_ASSERT(strstr(out_text, "EXAMPLES:\n  qaic-prof record -o t.json\n"
				 "  qaic-prof report -d 10s\n  qaic-prof lat 1 5\n") != NULL);
		CU_ASSERT(strstr(out_text, "--md") == NULL);
	}

	/* help CMD, help PREFIX, CMD --help, CMD -h among other arguments */
	CHECK_EQ(dispatch(ARGS("qaic-prof", "help", "lat")), 0);
	CU_ASSERT_STRING_EQUAL(out_text, "usage: qaic-prof lat [INTERVAL [COUNT]]\n\n"
				 "latency per stage\n\nOPTIONS:\n  -m   milliseconds\n"
				 "  -h, --help        this help\n\nEXAMPLES:\n  qaic-prof lat 1 5\n");
	CHECK_EQ(dispatch(ARGS("qaic-prof", "h", "rep")), 0);
	CU_ASSERT(strstr(out_text, "usage: qaic-prof report [OPTIONS]\n") != NULL);
	CU_ASSERT(strstr(out_text, "EXAMPLES:\n  qaic-prof report -d 10s\n  qaic-prof report --md\n") != NULL);
	CHECK_EQ(dispatch(ARGS("qaic-prof", "lat", "--help")), 0);
	CU_ASSERT(ran == NULL);
	CU_ASSERT(strstr(out_text, "usage: qaic-prof lat ") != NULL);
	CHECK_EQ(dispatch(ARGS("qaic-prof", "rec", "-o", "x", "-h")), 0);
	CU_ASSERT(ran == NULL);
	CU_ASSERT(strstr(out_text, "usage: qaic-prof record -o FILE\n") != NULL);
	CHECK_EQ(dispatch(ARGS("qaic-prof", "help", "help")), 0);
	CU_ASSERT(strstr(out_text, "EXAMPLES:\n  qaic-prof help ") != NULL);
}

/* ---- env.c ---- */

#define CAP(bit) (1ULL << (bit))

static void test_env_checks(void)
{
	struct fake_tree ft;
	char *text = NULL;
	size_t len = 0;
	FILE *err;

	CU_ASSERT_FATAL(ft_create(&ft) == 0);
	err = open_memstream(&text, &len);
	/* nothing there, no capabilities: privileges are named first */
	CHECK_EQ(prof_check_env_at(0, ft.root, err), PROF_EXIT_NO_PRIV);
	CHECK_EQ(prof_check_env_at(CAP(39), ft.root, err), PROF_EXIT_NO_PRIV);	/* BPF alone */
	CHECK_EQ(prof_check_env_at(CAP(38), ft.root, err), PROF_EXIT_NO_PRIV);	/* PERFMON alone */
	CHECK_EQ(prof_check_env_at(CAP(38) | CAP(39), ft.root, err), PROF_EXIT_NO_BTF);
	CHECK_EQ(prof_check_env_at(CAP(21), ft.root, err), PROF_EXIT_NO_BTF);	/* SYS_ADMIN, pre-5.8 */
	CHECK_OK(ft_write(&ft, "kernel/btf/vmlinux", "BTF"));
	CHECK_EQ(prof_check_env_at(CAP(21), ft.root, err), PROF_EXIT_NO_DRIVER);
	CHECK_OK(ft_mkdirs(&ft, "module/qaic"));
	CHECK_EQ(prof_check_env_at(CAP(21), ft.root, err), PROF_EXIT_OK);
	CHECK_EQ(prof_check_env_at(CAP(38) | CAP(39), ft.root, err), PROF_EXIT_OK);
	CHECK_EQ(prof_check_env_at(0, ft.root, err), PROF_EXIT_NO_PRIV);
	fclose(err);
	/* one line per failed check, each saying what is missing */
	CU_ASSERT(strstr(text, "needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)") != NULL);
	CU_ASSERT(strstr(text, "the kernel lacks BTF (no /sys/kernel/btf/vmlinux)") != NULL);
	CU_ASSERT(strstr(text, "the qaic driver is not loaded (no /sys/module/qaic)") != NULL);
	{
		size_t lines = 0;
		char *p;

		for (p = text; *p; p++)
			lines += *p == '\n';
		CHECK_EQ(lines, 7);
	}
	free(text);
	ft_remove(&ft);

	/* distinct codes, none of them success or usage */
	CU_ASSERT(PROF_EXIT_NO_PRIV != PROF_EXIT_NO_BTF && PROF_EXIT_NO_BTF != PROF_EXIT_NO_DRIVER &&
		  PROF_EXIT_NO_PRIV != PROF_EXIT_NO_DRIVER);
	CU_ASSERT(PROF_EXIT_NO_PRIV > PROF_EXIT_USAGE);
	/* this process: root on the test host holds CAP_SYS_ADMIN; anyone can ask */
	if (geteuid() == 0)
		CU_ASSERT(prof_cap_effective() & CAP(21));
}

static CU_TestInfo tests[] = {
	{ "names and unambiguous prefixes", test_find },
	{ "a command runs with its own argv (argv[0] its full name)",
	  test_runs_command_with_its_argv },
	{ "unknown, ambiguous or missing command: a clear error, exit 2",
	  test_bad_commands_exit_2 },
	{ "help, -h, --help, help CMD, CMD --help: usage with EXAMPLES", test_help_everywhere },
	{ "environment checks: capabilities, BTF, driver; one line each", test_env_checks },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "prof_dispatch", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
