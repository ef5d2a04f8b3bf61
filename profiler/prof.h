/* SPDX-License-Identifier: MIT */
/*
 * What every part of qaic-prof shares: the subcommand table entry, the
 * subcommands' entry points, exit codes, time units, and the checks made
 * before loading BPF. The helpers each have their own header: hist.h
 * (histograms), table.h (text tables), csv.h (CSV), args.h (argument
 * parsing), snapshot.h (reading the BPF maps).
 */
#ifndef PROF_H_
#define PROF_H_

#include <stdint.h>
#include <stdio.h>

/* Exit codes. Usage errors are 2, as getopt-based tools have them. */
enum prof_exit {
	PROF_EXIT_OK = 0,
	PROF_EXIT_FAIL = 1,		/* the command failed (or found what it looks for) */
	PROF_EXIT_USAGE = 2,		/* bad command line */
	PROF_EXIT_NO_PRIV = 3,		/* lacks CAP_BPF + CAP_PERFMON (or CAP_SYS_ADMIN) */
	PROF_EXIT_NO_BTF = 4,		/* kernel lacks BTF (/sys/kernel/btf/vmlinux) */
	PROF_EXIT_NO_DRIVER = 5,	/* qaic driver not loaded (/sys/module/qaic) */
};

/*
 * One subcommand. run() gets argv[0] = the command's full name and never sees
 * -h/--help: the dispatcher prints the help from the strings below.
 */
struct prof_cmd {
	const char *name;
	int (*run)(int argc, char **argv);	/* returns an enum prof_exit value */
	const char *summary;	/* one line for `qaic-prof help` */
	const char *synopsis;	/* after "qaic-prof NAME": "[OPTIONS] [INTERVAL [COUNT]]" */
	const char *options;	/* option lines, each ending in '\n' ("" if none) */
	const char *examples;	/* example lines, each ending in '\n' (never empty) */
};

/*
 * Subcommands (cmd_<name>.c each defines both). To add one: write
 * cmd_<name>.c, add it to SRCS in profiler/Makefile and &prof_cmd_<name> to
 * the commands table in qaic-prof.c.
 */
int cmd_top(int argc, char **argv);
int cmd_lat(int argc, char **argv);
int cmd_bw(int argc, char **argv);
int cmd_stall(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_report(int argc, char **argv);
extern const struct prof_cmd prof_cmd_top;
extern const struct prof_cmd prof_cmd_lat;
extern const struct prof_cmd prof_cmd_bw;
extern const struct prof_cmd prof_cmd_stall;
extern const struct prof_cmd prof_cmd_record;
extern const struct prof_cmd prof_cmd_report;

/* ---- dispatch.c: command lookup and help ------------------------------------- */

/*
 * The command named by an exact name or an unambiguous prefix of one, from a
 * NULL-terminated table. NULL if none; *ambiguous is set when the prefix fits
 * more than one.
 */
const struct prof_cmd *prof_find_cmd(const struct prof_cmd *const *cmds, const char *name,
				     int *ambiguous);
/* The list of commands with their summaries (`qaic-prof help`). */
void prof_print_commands(FILE *out, const struct prof_cmd *const *cmds);
/* One command's usage, options and EXAMPLES block. */
void prof_print_usage(FILE *out, const struct prof_cmd *cmd);
/*
 * main() of qaic-prof over a table: "help [CMD]", "-h", "--help", "CMD ...",
 * "CMD --help"; unknown or ambiguous commands and a missing command exit 2.
 */
int prof_dispatch(const struct prof_cmd *const *cmds, int argc, char **argv);

/* ---- env.c: can qaic-prof load its BPF programs here? ----------------------- */

/*
 * Checks, in this order, that the process has CAP_BPF and CAP_PERFMON (or
 * CAP_SYS_ADMIN, the pre-5.8 way), that the kernel has BTF and that the
 * qaic driver is loaded. Prints one line to stderr for the first that fails
 * and returns its PROF_EXIT_* code; 0 if all pass.
 */
int prof_check_env(void);
/* The same with the effective capability set and a root for /sys given (tests). */
int prof_check_env_at(uint64_t cap_effective, const char *sysroot, FILE *err);
/* Effective capabilities of this process (capget); 0 on failure. */
uint64_t prof_cap_effective(void);
/* 1 if /sys/module/qaic exists (the driver is loaded), else 0. */
int prof_driver_loaded(void);

/* ---- time units of printed latencies (-m/-u, args.h) ------------------------ */

enum prof_unit {
	PROF_UNIT_NS,
	PROF_UNIT_US,
	PROF_UNIT_MS,
};

/* "ns", "us", "ms": the unit in column headers ("p99(us)"). */
static inline const char *prof_unit_name(enum prof_unit u)
{
	return u == PROF_UNIT_MS ? "ms" : u == PROF_UNIT_US ? "us" : "ns";
}

/* Nanoseconds per unit. */
static inline double prof_unit_ns(enum prof_unit u)
{
	return u == PROF_UNIT_MS ? 1e6 : u == PROF_UNIT_US ? 1e3 : 1.0;
}

#endif /* PROF_H_ */
