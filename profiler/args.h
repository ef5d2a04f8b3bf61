/* SPDX-License-Identifier: MIT */
/*
 * Strict argument parsing for every qaic-prof subcommand. Whole strings
 * only: no signs, blanks, exponents, hex, "inf" or "nan", so what a user
 * typed means one thing. Each parser returns 0 and sets *out, or returns -1,
 * leaves *out alone and fills err->msg with a line that names the flag and
 * the bad value:
 *
 *	--dbc '16': out of range (0..15)
 *	interval '2x': unknown time unit 'x' (ns, us, ms, s, m, h)
 *
 * flag is what the user typed ("--dbc", "-p") or, for positional
 * arguments, their name ("interval").
 */
#ifndef PROF_ARGS_H_
#define PROF_ARGS_H_

#include <stdint.h>

#include "prof.h"

#define PROF_NUM_DBC		16		/* DBCs of an AIC100 (QAIC_HW_NUM_DBC) */
#define PROF_PID_MAX		4194304u	/* PID_MAX_LIMIT on 64-bit */
#define PROF_MINOR_MAX		((1u << 20) - 1)	/* MINORMASK */

#define ARGS_MS			1000000ULL
#define ARGS_INTERVAL_MIN_NS	(10 * ARGS_MS)			/* 10ms */
#define ARGS_INTERVAL_MAX_NS	(24ULL * 3600 * 1000 * ARGS_MS)	/* a day */

struct args_err {
	char msg[256];
};

/* A whole number in min..max. */
int args_uint(const char *flag, const char *s, uint64_t min, uint64_t max, uint64_t *out,
	      struct args_err *err);

/*
 * A duration in min_ns..max_ns: digits with an optional fraction and a unit
 * ns, us, ms, s, m (minutes) or h; no unit means seconds, as iostat's and
 * sleep's arguments ("2", "0.5", "500ms", "1m"). Rounded to whole ns.
 */
int args_duration(const char *flag, const char *s, uint64_t min_ns, uint64_t max_ns,
		  uint64_t *ns, struct args_err *err);

/* A reporting interval: a duration from 10ms to a day. */
int args_interval(const char *flag, const char *s, uint64_t *ns, struct args_err *err);

/* A count of intervals: 1 and up. */
int args_count(const char *flag, const char *s, uint64_t *count, struct args_err *err);

/*
 * iostat's trailing "[INTERVAL [COUNT]]": argv[first..argc). Neither given:
 * *interval_ns = default_ns and *count = 0 (until stopped); INTERVAL alone:
 * count 0. More than two arguments is an error naming the first extra.
 */
int args_interval_count(int argc, char **argv, int first, uint64_t default_ns,
			uint64_t *interval_ns, uint64_t *count, struct args_err *err);

/* A percentage in min..max, "99.9" or "99.9%". */
int args_percent(const char *flag, const char *s, double min, double max, double *pct,
		 struct args_err *err);

/* A process id, 1..PROF_PID_MAX (the process need not exist yet). */
int args_pid(const char *flag, const char *s, uint32_t *pid, struct args_err *err);

/* A DBC, 0..PROF_NUM_DBC - 1. */
int args_dbc(const char *flag, const char *s, uint32_t *dbc, struct args_err *err);

/*
 * A card, as the tracepoints' dev (the DRM minor): "accel0",
 * "/dev/accel/accel0", "renderD128", "/dev/dri/renderD128" or a number. A
 * path is stat()ed and its minor taken (so symlinks such as
 * /dev/dri/by-path/... work); a primary node (cardN, /dev/dri/cardN) is
 * refused: the profiler names the render node's minor on 6.1.
 */
int args_device(const char *flag, const char *s, uint32_t *minor, struct args_err *err);

/*
 * A cgroup v2, as the id BPF sees (bpf_get_current_cgroup_id): a number,
 * or a directory of a cgroup2 mount: absolute, or relative to
 * /sys/fs/cgroup (or /sys/fs/cgroup/unified on hybrid hosts). The id is the
 * kernfs id from name_to_handle_at(), as libbpf-tools read it, or the
 * directory's inode number where handles are not supported (the same value
 * on 64-bit).
 */
int args_cgroup(const char *flag, const char *s, uint64_t *id, struct args_err *err);
/* The same with the root for relative paths given (tests). */
int args_cgroup_at(const char *flag, const char *s, const char *const *roots, uint64_t *id,
		   struct args_err *err);

/*
 * -m / -u: latencies in ms or us. Keeps the subcommand's default until one
 * is given; giving both is an error.
 */
struct args_unit {
	enum prof_unit unit;	/* set to the subcommand's default first */
	char flag;		/* 'm' or 'u' once given, else 0 */
};
int args_unit_flag(struct args_unit *u, char opt, struct args_err *err);

#endif /* PROF_ARGS_H_ */
