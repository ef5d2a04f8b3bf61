/* SPDX-License-Identifier: MIT */
/*
 * The BPF side's global counters (enum qp_counter): names, and the one way
 * every subcommand reports them, so drops, full maps and unpaired events
 * are never lost silently.
 */
#ifndef PROF_COUNTERS_H_
#define PROF_COUNTERS_H_

#include <stdint.h>
#include <stdio.h>

#include <linux/types.h>

#include "qaic_prof.h"

struct json_writer;

/* "inflight_full", ...; NULL if out of range. */
const char *counter_name(unsigned int c);

/* A "# name=N ..." line of the counters that say something was lost or unpaired; nothing if all 0. */
void counters_print(FILE *out, const uint64_t *counters);

/* "counters": {name: value, ...} (all of them) as a member of the current object. */
void counters_json(struct json_writer *jw, const uint64_t *counters);

#endif /* PROF_COUNTERS_H_ */
