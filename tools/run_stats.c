// SPDX-License-Identifier: MIT
/*
 * Client-side latency statistics (exact: every request's latency is kept
 * and sorted) and the random numbers behind Poisson arrivals.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "qaic_run.h"

uint64_t run_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * Nearest rank: the smallest value with at least p% of the values at or
 * below it, i.e. sorted[ceil(p/100 * n) - 1]. The small tolerance keeps
 * products such as 99.9% of 1000 from rounding up a whole rank.
 */
uint64_t run_percentile(const uint64_t *sorted, size_t n, double p)
{
	double r = p / 100.0 * (double)n;
	uint64_t rank = (uint64_t)r;

	if (r - (double)rank > 1e-9)
		rank++;
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void run_summarize(uint64_t *v, size_t n, struct run_lat *out)
{
	double sum = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!n)
		return;
	qsort(v, n, sizeof(*v), u64_cmp);
	for (i = 0; i < n; i++)
		sum += (double)v[i];
	out->n = n;
	out->min = v[0];
	out->p50 = run_percentile(v, n, 50);
	out->p90 = run_percentile(v, n, 90);
	out->p99 = run_percentile(v, n, 99);
	out->p999 = run_percentile(v, n, 99.9);
	out->max = v[n - 1];
	out->mean = sum / (double)n;
}

void run_rng_seed(struct run_rng *r, uint64_t seed)
{
	r->state = seed;
}

/* splitmix64 */
uint64_t run_rng_next(struct run_rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

double run_rng_unit(struct run_rng *r)
{
	/* 53 random bits, shifted into (0, 1]: never 0, so log() is finite. */
	return ((double)(run_rng_next(r) >> 11) + 1.0) / 9007199254740992.0;
}

double run_rng_exp(struct run_rng *r, double rate)
{
	return -log(run_rng_unit(r)) / rate;
}
