/* SPDX-License-Identifier: MIT */
/*
 * The user side of the log-linear latency histogram (bpf/qaic_hist.h):
 * per-CPU merge, interval deltas, counts, percentiles, means, and the one
 * histogram printer of qaic-prof.
 *
 * Slot counts are 32 bits (as in the maps) and wrap modulo 2^32: a merge
 * adds and a delta subtracts modulo 2^32, so an interval's delta is exact as
 * long as no slot gains 2^32 samples within one interval.
 *
 * Percentile definition (the same as qaic-run's client-side summary):
 * the p-th percentile of n samples is the sample of rank r = ceil(p/100 * n)
 * in ascending order (nearest rank; 1 <= r <= n). From a histogram, the
 * bucket holding rank r is found exactly by cumulative counts; inside it,
 * its k samples are taken as spread evenly over the whole values the bucket
 * can hold, [low, high - 1], the j-th of them (j = r - samples below the
 * bucket) at low + (high - 1 - low) * (j - 0.5) / k.
 *
 * Error bound: the estimate and the exact sample of rank r lie in the same
 * bucket, so they differ by less than its width. Buckets below 64 ns are
 * 1 ns wide (the estimate is exact); above, a bucket starting at low is at
 * most low/64 wide, so the relative error is below 1/64 = 1.5625% for any
 * data, reached only when samples crowd one end of a bucket (a constant
 * value near its low edge, at the top ranks). For data spread over several
 * buckets it is far smaller: tests/unit/test_prof_hist.c measures it for
 * fixed, lognormal, bimodal and heavy-tailed samples.
 */
#ifndef PROF_HIST_H_
#define PROF_HIST_H_

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/types.h>

#include "prof.h"
#include "qaic_prof.h"

struct json_writer;

/* The value just past the highest of a slot: the next slot's low (2^40 for the last). */
uint64_t hist_slot_high(uint32_t slot);

/* dst += src, slot by slot. */
void hist_add(struct qp_hist *dst, const struct qp_hist *src);

/*
 * dst = the sum of ncpus per-CPU copies as a per-CPU map lookup returns
 * them: copy i at (const char *)percpu + i * stride, stride =
 * hist_percpu_stride() (libbpf rounds each CPU's value up to 8 bytes).
 */
void hist_merge_percpu(struct qp_hist *dst, const void *percpu, unsigned int ncpus,
		       size_t stride);
static inline size_t hist_percpu_stride(void)
{
	return (sizeof(struct qp_hist) + 7) & ~(size_t)7;
}

/* out = newer - older (out may be either argument): the interval between them. */
void hist_delta(struct qp_hist *out, const struct qp_hist *newer, const struct qp_hist *older);

/* Samples in the histogram. */
uint64_t hist_count(const struct qp_hist *h);

/* The nearest rank ceil(p/100 * n) clamped to 1..n; 0 if n is 0 or p is not in (0, 100]. */
uint64_t hist_rank(uint64_t n, double p);

/* The p-th percentile in ns (see above); NaN if the histogram is empty or p is not in (0, 100]. */
double hist_percentile(const struct qp_hist *h, double p);

/* sum / count, NaN when count is 0 (sums come from qp_wl_stats.lat_sum_ns). */
double hist_mean(uint64_t sum_ns, uint64_t count);

/*
 * Printed rows: each power of two [2^k, 2^(k+1)) ns is cut into
 * rows_per_octave equal rows (fewer below 64 ns, where a row can't be
 * narrower than 1 ns), plus a row for 0. rows_per_octave is a power of two
 * from 1 to 64 (HIST_ROWS_DEFAULT if 0).
 */
#define HIST_ROWS_DEFAULT	4
#define HIST_MAX_ROWS		(1 + 40 * 64)

struct hist_row {
	uint64_t low;		/* ns, inclusive */
	uint64_t high;		/* ns, exclusive (2^40: the last slot also holds all above) */
	uint64_t count;
};

/*
 * The rows from the first to the last non-empty one into rows[] (at most
 * max; HIST_MAX_ROWS always suffices); returns how many, 0 for an empty
 * histogram.
 */
size_t hist_rows(const struct qp_hist *h, unsigned int rows_per_octave, struct hist_row *rows,
		 size_t max);

/*
 * Print a histogram as libbpf-tools' print_log2_hist does, with log-linear
 * rows: "low -> high : count |*****     |", boundaries in the given unit, a
 * header naming the unit ("usecs"). An empty histogram prints one line
 * saying so. Returns the rows printed.
 */
size_t hist_print(FILE *out, const struct qp_hist *h, enum prof_unit unit,
		  unsigned int rows_per_octave);

/*
 * The same rows as a JSON array of {"low_ns":, "high_ns":, "count":}
 * objects (whole ns: machines need no unit choice).
 */
void hist_json_rows(struct json_writer *jw, const struct qp_hist *h, unsigned int rows_per_octave);

#endif /* PROF_HIST_H_ */
