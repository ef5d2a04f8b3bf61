/* SPDX-License-Identifier: MIT */
/*
 * The latency stages of a request (enum qp_stage) as qaic-prof reports
 * them: names, and the summary of one stage of one workload (count, mean,
 * percentiles) computed once and written as text, JSON or CSV.
 */
#ifndef PROF_STAGES_H_
#define PROF_STAGES_H_

#include <stdint.h>

#include <linux/types.h>

#include "qaic_prof.h"

struct json_writer;
struct snap_workload;

/* The percentiles every report gives, in this order. */
#define STAGE_NPCT	4
extern const double stage_pcts[STAGE_NPCT];		/* 50, 90, 99, 99.9 */
extern const char *const stage_pct_names[STAGE_NPCT];	/* "p50", ..., "p99.9" */
extern const char *const stage_pct_keys[STAGE_NPCT];	/* "p50_ns", ..., "p999_ns" */

/* "submit", "device", "complete", "wakeup", "e2e"; NULL if out of range. */
const char *stage_name(unsigned int stage);
/* A longer description for help texts and reports. */
const char *stage_title(unsigned int stage);
/* The stage named s (name or unambiguous prefix), or -1. */
int stage_parse(const char *s);

struct stage_stats {
	uint64_t count;
	double mean_ns;			/* NaN when count is 0 */
	double pct_ns[STAGE_NPCT];	/* NaN when count is 0 */
	uint64_t max_ns;		/* upper end of the highest non-empty bucket: max <= it */
};

void stage_stats(const struct snap_workload *w, unsigned int stage, struct stage_stats *out);

/* {"count":, "mean_ns":, "p50_ns":, ..., "max_ns":} as the value of the current key. */
void stage_stats_json(struct json_writer *jw, const struct stage_stats *st);

#endif /* PROF_STAGES_H_ */
