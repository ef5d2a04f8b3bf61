/* SPDX-License-Identifier: MIT */
/*
 * Lanes for intervals that overlap: a thread track of a trace viewer holds
 * only slices that nest, so the requests in flight together on one DBC are
 * spread over lanes (one track each). Each interval goes to the
 * lowest-numbered lane free at its start; taken in order of start, that uses
 * as few lanes as the most intervals open at one time (interval graphs are
 * colored optimally by this greedy order).
 */
#ifndef TRACE_LANES_H_
#define TRACE_LANES_H_

#include <stddef.h>
#include <stdint.h>

/*
 * Intervals [start[i], end[i]) sorted by start (end[i] >= start[i]); an
 * interval may begin where another ends. Sets lane[i]; returns the number of
 * lanes, or -ENOMEM.
 */
long trace_assign_lanes(const uint64_t *start, const uint64_t *end, size_t n, uint32_t *lane);

#endif /* TRACE_LANES_H_ */
