/* SPDX-License-Identifier: MIT */
/*
 * A workload (one client's use of one DBC, struct qp_wl_key) as every
 * subcommand names it: identity fields in JSON and CSV, and the filter of
 * which workloads have anything to report in an interval.
 */
#ifndef PROF_WORKLOAD_H_
#define PROF_WORKLOAD_H_

#include <stdbool.h>
#include <stdint.h>

struct csv_writer;
struct json_writer;
struct snap_workload;

/* "dev", "dbc", "pid", "comm", "cgroup" members of the current object. */
void wl_json_ident(struct json_writer *jw, const struct snap_workload *w);

/* The same five fields. */
void wl_csv_ident(struct csv_writer *c, const struct snap_workload *w);
#define WL_CSV_HEADER	"dev", "dbc", "pid", "comm", "cgroup"

/* The workload did something in this view (executed, completed or waited). */
bool wl_active(const struct snap_workload *w);

/* Completed BO executions, both directions. */
uint64_t wl_done(const struct snap_workload *w);

#endif /* PROF_WORKLOAD_H_ */
