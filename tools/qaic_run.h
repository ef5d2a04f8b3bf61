/* SPDX-License-Identifier: MIT */
/*
 * qaic-run: a workload generator for the simulated card. What its files
 * share: the workload description the parser produces (run_parse.c), the
 * statistics (run_stats.c), one process's run (run_worker.c), the
 * processes of a run (run_proc.c) and the report (run_report.c).
 */
#ifndef QAIC_RUN_H_
#define QAIC_RUN_H_

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "qaic.h"

#define RUN_EXIT_OK		0
#define RUN_EXIT_FAIL		1	/* device missing, setup or run error */
#define RUN_EXIT_USAGE		2
#define RUN_EXIT_MISMATCH	3	/* outputs did not match their inputs */

#define RUN_NAME_MAX		32
#define RUN_MAX_WORKLOADS	64
#define RUN_MAX_PROCS		16	/* per workload: a card has 16 DBCs */
#define RUN_MAX_INFLIGHT	1024	/* outstanding= / depth= */
#define RUN_MAX_BATCH		256
#define RUN_MAX_QUEUE		32768	/* DBC queue elements (the sim's limit) */
#define RUN_MAX_BYTES		(QAIC_SIMNET_DBC_SPAN / 2)
#define RUN_MAX_RATE		1e6	/* requests/s */

/* A message for the user, filled by whatever refused the input. */
struct run_err {
	char msg[320];
};

/* printf into err->msg; returns -1 so callers can `return run_errf(...)`. */
int run_errf(struct run_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

enum run_mode {
	RUN_CLOSED,		/* a fixed number of requests in flight */
	RUN_OPEN,		/* Poisson arrivals at a rate */
};

/* Bits of run_workload.given: which keys the user set. */
enum run_key {
	RUN_K_NAME = 1 << 0, RUN_K_IN = 1 << 1, RUN_K_OUT = 1 << 2, RUN_K_NSP = 1 << 3,
	RUN_K_DIST = 1 << 4, RUN_K_MEAN = 1 << 5, RUN_K_SD = 1 << 6, RUN_K_SIGMA = 1 << 7,
	RUN_K_MEAN2 = 1 << 8, RUN_K_SD2 = 1 << 9, RUN_K_P2 = 1 << 10, RUN_K_RATE = 1 << 11,
	RUN_K_OUTSTANDING = 1 << 12, RUN_K_DEPTH = 1 << 13, RUN_K_BATCH = 1 << 14,
	RUN_K_PROCS = 1 << 15, RUN_K_TIME = 1 << 16, RUN_K_REQUESTS = 1 << 17,
	RUN_K_CHECK = 1 << 18, RUN_K_QUEUE = 1 << 19, RUN_K_SEED = 1 << 20,
};

/* One workload: a network shape and how to drive it. */
struct run_workload {
	char name[RUN_NAME_MAX];
	uint64_t in_bytes, out_bytes;	/* per inference */
	uint32_t nsp;
	uint32_t dist;			/* enum qaic_simnet_dist */
	uint64_t mean_ns;		/* lognormal: the median */
	uint64_t sd_ns;			/* normal, bimodal */
	double sigma;			/* lognormal */
	uint64_t mean2_ns, sd2_ns;	/* bimodal: the second mode */
	uint32_t p2_permille;		/* bimodal: its probability */
	enum run_mode mode;
	double rate;			/* open: requests/s, whole workload */
	uint32_t outstanding;		/* closed: in flight per process */
	uint32_t depth;			/* open: most in flight per process */
	uint32_t batch;			/* inferences per request */
	uint32_t procs;
	uint64_t time_ns;		/* run this long (0: use requests) */
	uint64_t requests;		/* or this many, whole workload */
	uint32_t check_every;		/* verify 1 request in N; 0: never */
	uint32_t queue;			/* DBC queue elements; 0: computed */
	uint32_t seed;
	uint32_t given;			/* enum run_key bits */
};

struct run_config {
	struct run_workload w[RUN_MAX_WORKLOADS];
	unsigned int n;
	const char *device;		/* index or node; NULL: device 0 */
	const char *node;		/* the node it resolved to (NULL in --dry-run) */
	uint64_t time_ns;		/* default for workloads (-t) */
	uint64_t requests;		/* default for workloads (-n) */
	uint32_t timeout_ms;		/* per wait */
	uint32_t check_every;		/* default for workloads (--check-every) */
	uint32_t seed;
	int json;
	int dry_run;
	int perf_stats;			/* --perf-stats: PERF_STATS_BO after each request */
	int help;			/* --help was asked: print it, do nothing else */
};

/* ---- run_values.c: one value of a key or option ---------------------------- */

/* Whole strings only; on error err says what was wrong with s. */
int run_parse_size(const char *s, uint64_t *out, struct run_err *err);
int run_parse_duration(const char *s, uint64_t *ns, struct run_err *err);
int run_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out,
		   struct run_err *err);
int run_parse_real(const char *s, double min, double max, double *out, struct run_err *err);
int run_parse_percent(const char *s, uint32_t *permille, struct run_err *err);
int run_parse_dist(const char *s, uint32_t *dist, struct run_err *err);
const char *run_dist_name(uint32_t dist);

/* ---- run_parse.c: workload specs, config files, the command line ------------ */

/* Defaults for workload number index (name "w<index>", 64K in, 4K out, ...). */
void run_workload_defaults(struct run_workload *w, unsigned int index);

/*
 * Apply "key=value,key=value" (commas or blanks between pairs) to w.
 * Keys may repeat only if the spec says so once.
 */
int run_parse_spec(const char *spec, struct run_workload *w, struct run_err *err);

/*
 * Add workloads from a config file's text: one workload per line, the spec
 * syntax of -w; '#' starts a comment; blank lines are skipped. where names
 * the file in messages.
 */
int run_parse_config_text(const char *text, const char *where, struct run_config *cfg,
			  struct run_err *err);

/*
 * The whole command line into cfg (argv is not modified). Returns 0, or -1
 * with err set for a usage error. --help sets cfg->help and returns 0.
 * Then checks the result as run_finish() does.
 */
int run_parse_args(int argc, char **argv, struct run_config *cfg, struct run_err *err);

/*
 * Fill in what the user left to defaults (-t/-n for each workload) and
 * check the whole: unique names, time or requests, mode keys that fit the
 * mode, sizes within the sim's DDR span, in-flight slots and queue size.
 */
int run_finish(struct run_config *cfg, struct run_err *err);

/* ---- run_plan.c: what each process of a workload sets up ---------------- */

/* Slots per process (in flight x batch) and the DBC queue size. */
uint32_t run_slots(const struct run_workload *w);
uint32_t run_inflight(const struct run_workload *w);
/* Queue elements for w with the plan's max_elements per inference. */
uint32_t run_queue_size(const struct run_workload *w, uint32_t max_elements);
/* The network process proc of w loads (net_id, doorbell, sem, distribution). */
void run_make_net(const struct run_workload *w, unsigned int proc, struct qaic_simnet *net);
/* Process proc's share of a workload's requests (time mode: 0) and rate. */
uint64_t run_proc_requests(const struct run_workload *w, unsigned int proc);
double run_proc_rate(const struct run_workload *w);

/* ---- run_stats.c: latency statistics and random numbers ----------------- */

struct run_lat {
	uint64_t n;
	uint64_t min, p50, p90, p99, p999, max;	/* ns */
	double mean;				/* ns */
};

/* Nearest-rank percentile p (0 < p <= 100) of n sorted values (n > 0). */
uint64_t run_percentile(const uint64_t *sorted, size_t n, double p);
/* Sort v in place and summarize it; all zero when n is 0. */
void run_summarize(uint64_t *v, size_t n, struct run_lat *out);

/* A growing array of samples. */
struct run_vec {
	uint64_t *v;
	size_t n, cap;
};

/* Append x; 0 or -ENOMEM. */
int run_vec_push(struct run_vec *a, uint64_t x);
/* Make room for n more; 0 or -ENOMEM. */
int run_vec_reserve(struct run_vec *a, size_t n);
void run_vec_free(struct run_vec *a);

/*
 * What PERF_STATS_BO said about a workload's BOs (--perf-stats): one sample
 * per BO execution, input and output BOs alike, in whole microseconds as
 * the driver reports them (truncated).
 */
struct run_perf {
	uint64_t bos;			/* BO executions read */
	struct run_lat submit_us;	/* ioctl entry to doorbell */
	struct run_lat device_us;	/* doorbell to the driver seeing the response */
};

/*
 * Summarize n (submit, device) sample pairs; sorts both arrays in place.
 */
void run_perf_summarize(uint64_t *submit_us, uint64_t *device_us, size_t n,
			struct run_perf *out);

struct run_rng {
	uint64_t state;
};

void run_rng_seed(struct run_rng *r, uint64_t seed);
uint64_t run_rng_next(struct run_rng *r);
/* Uniform in (0, 1]. */
double run_rng_unit(struct run_rng *r);
/* Exponential with the given rate (> 0): Poisson inter-arrival time, seconds. */
double run_rng_exp(struct run_rng *r, double rate);

/* ---- run_worker.c: one process's run -------------------------------------- */

/* What one process did; the parent collects these. */
struct run_proc_result {
	uint32_t magic;
	int32_t status;			/* 0, or the negative errno that stopped it */
	char error[200];		/* what failed, for the report */
	uint32_t dbc_id;
	uint32_t queue;
	uint64_t requests, inferences;	/* completed */
	uint64_t checked, mismatches;	/* inferences */
	uint64_t start_ns, end_ns;	/* CLOCK_MONOTONIC: go, last completion */
	uint64_t in_bytes, out_bytes;	/* moved */
	uint64_t nsamples;		/* request latencies (ns) that follow */
	uint64_t nperf;			/* then, --perf-stats: nperf submit_us values,
					 * then nperf device_us values, per BO execution */
	char first_mismatch[120];	/* where the first wrong output was */
};

#define RUN_RESULT_MAGIC	0x51524e32	/* "QRN2" */

struct run_proc_ctx {
	const struct run_config *cfg;
	const struct run_workload *w;
	unsigned int windex, proc;
	const char *node;		/* device node to open */
	int ready_fd;			/* write one byte: set up ('R') or failed ('E') */
	int go_fd;			/* read one byte to start; EOF: abort */
	int result_fd;			/* where the result goes */
};

/* The body of a child process; returns its exit status. */
int run_worker(const struct run_proc_ctx *ctx);

/* Set by SIGINT/SIGTERM: stop submitting, drain, report. */
extern volatile sig_atomic_t run_stop_requested;

/* ---- run_proc.c: the processes of a run ----------------------------------- */

struct run_wl_result {
	const struct run_workload *w;
	unsigned int procs_ok;
	int status;			/* first failure's negative errno, or 0 */
	char error[240];		/* "process N: " + a process's error */
	char first_mismatch[160];	/* "process N: " + where, "" if none */
	uint64_t requests, inferences, checked, mismatches;
	uint64_t in_bytes, out_bytes;
	uint64_t wall_ns;		/* first start to last completion */
	struct run_lat lat;
	struct run_perf perf;		/* --perf-stats */
	uint32_t dbcs[RUN_MAX_PROCS];
};

/*
 * SIGINT/SIGTERM handler: set run_stop_requested and pass the stop on to the
 * running children.
 */
void run_stop_handler(int sig);

/* Fork every process, start them together, collect results into res[cfg->n]. */
int run_processes(const struct run_config *cfg, const char *node, struct run_wl_result *res);

/* ---- run_report.c ----------------------------------------------------------- */

void run_report_table(FILE *out, const struct run_config *cfg, const struct run_wl_result *res);
int run_report_json(FILE *out, const struct run_config *cfg, const struct run_wl_result *res);
/* The plan (--dry-run): every workload as it will run. */
void run_report_plan(FILE *out, const struct run_config *cfg);

uint64_t run_now_ns(void);

#endif /* QAIC_RUN_H_ */
