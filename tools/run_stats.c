// SPDX-License-Identifier: MIT
/*
 * Client-side latency statistics (exact: every request's latency is kept
 * and sorted), the same for the driver's PERF_STATS_BO figures
 * (--perf-stats), and the random numbers behind Poisson arrivals.
 */
#include <errno.h>
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

void run_perf_summarize(uint64_t *submit_us, uint64_t *device_us, size_t n,
			struct run_perf *out)
{
	out->bos = n;
	run_summarize(submit_us, n, &out->submit_us);
	run_summarize(device_us, n, &out->device_us);
}

int run_vec_reserve(struct run_vec *a, size_t n)
{
	size_t cap = a->cap ? a->cap : 4096;
	uint64_t *v;

	if (n > SIZE_MAX / sizeof(*v) - a->n)
		return -ENOMEM;
	if (a->n + n <= a->cap)
		return 0;
	while (cap < a->n + n)
		cap = cap > SIZE_MAX / sizeof(*v) / 2 ? a->n + n : cap * 2;
	v = realloc(a->v, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	a->v = v;
	a->cap = cap;
	return 0;
}

int run_vec_push(struct run_vec *a, uint64_t x)
{
	if (run_vec_reserve(a, 1))
		return -ENOMEM;
	a->v[a->n++] = x;
	return 0;
}

void run_vec_free(struct run_vec *a)
{
	free(a->v);
	memset(a, 0, sizeof(*a));
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
