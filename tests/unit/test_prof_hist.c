// SPDX-License-Identifier: MIT
/*
 * qaic-prof's histogram math (profiler/hist.c over bpf/qaic_hist.h): every
 * bucket boundary, merging per-CPU copies, interval deltas across 32-bit
 * wrap, the nearest-rank percentile and its error against the exact sample
 * percentile for fixed, lognormal, bimodal and heavy-tailed samples, and the
 * printed and JSON rows.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hist.h"
#include "json_writer.h"
#include "tap.h"

#define TOP	(1ULL << QP_HIST_MAX_LOG)

/* ---- a seeded PRNG (splitmix64) and the distributions drawn from it ---- */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in (0, 1]. */
static double rng_unit(void)
{
	return ((double)(rng_next() >> 11) + 1.0) / 9007199254740992.0;
}

static double rng_normal(void)
{
	return sqrt(-2.0 * log(rng_unit())) * cos(2.0 * M_PI * rng_unit());
}

enum dist { FIXED, FIXED_JITTER, LOGNORMAL, BIMODAL, PARETO, UNIFORM_WIDE };

static const char *const dist_names[] = {
	[FIXED] = "fixed 1.2345 ms",
	[FIXED_JITTER] = "fixed 250 us, 1% jitter",
	[LOGNORMAL] = "lognormal median 200 us, sigma 0.6",
	[BIMODAL] = "bimodal 85% 80 us / 15% 1.5 ms",
	[PARETO] = "heavy tail: Pareto alpha 1.3 from 20 us",
	[UNIFORM_WIDE] = "uniform 0 .. 10 ms",
};

static uint64_t draw(enum dist d)
{
	double v = 0;

	switch (d) {
	case FIXED:
		v = 1234567;
		break;
	case FIXED_JITTER:
		v = 250000 * (1 + 0.01 * rng_normal());
		break;
	case LOGNORMAL:
		v = 200000 * exp(0.6 * rng_normal());
		break;
	case BIMODAL:
		if (rng_unit() <= 0.85)
			v = 80000 + 4000 * rng_normal();
		else
			v = 1500000 + 60000 * rng_normal();
		break;
	case PARETO:
		v = 20000 / pow(rng_unit(), 1 / 1.3);
		break;
	case UNIFORM_WIDE:
		v = 1e7 * rng_unit();
		break;
	}
	if (v < 0)
		v = 0;
	if (v > 1e15)
		v = 1e15;
	return (uint64_t)llround(v);
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* ---- buckets ---- */

static void test_every_bucket_boundary(void)
{
	uint32_t s, bad_low = 0, bad_prev = 0, bad_width = 0, bad_mono = 0;

	CHECK_EQ(qp_hist_slot_low(0), 0);
	CHECK_EQ(qp_hist_slot(0), 0);
	for (s = 1; s < QP_HIST_SLOTS; s++) {
		uint64_t low = qp_hist_slot_low(s), prev = qp_hist_slot_low(s - 1);
		uint64_t width = hist_slot_high(s) - low;

		bad_mono += low <= prev;
		bad_low += qp_hist_slot(low) != s;		/* its low edge is in it */
		bad_prev += qp_hist_slot(low - 1) != s - 1;	/* one less is in the one before */
		bad_prev += hist_slot_high(s - 1) != low;
		/* 1 ns wide below 64 ns; above, at most 1/64 of its low edge */
		if (s < QP_HIST_SUB)
			bad_width += width != 1;
		else
			bad_width += width * QP_HIST_SUB > low || width == 0;
	}
	CHECK_EQ(bad_mono, 0);
	CHECK_EQ(bad_low, 0);
	CHECK_EQ(bad_prev, 0);
	CHECK_EQ(bad_width, 0);
	CHECK_EQ(QP_HIST_SLOTS, 2240);
}

static void test_values_inside_buckets(void)
{
	uint32_t bad = 0, i;

	/* powers of two, their neighbours and random values: low(slot(v)) <= v < high */
	for (i = 0; i < 64; i++) {
		uint64_t p = 1ULL << i, v[3] = { p - 1, p, p + 1 };
		int j;

		for (j = 0; j < 3; j++) {
			uint32_t s = qp_hist_slot(v[j]);

			bad += qp_hist_slot_low(s) > v[j];
			bad += v[j] < TOP && v[j] >= hist_slot_high(s);
		}
	}
	rng_state = 7;
	for (i = 0; i < 100000; i++) {
		uint64_t v = rng_next() >> (rng_next() % 64);
		uint32_t s = qp_hist_slot(v);

		bad += qp_hist_slot_low(s) > v || (v < TOP && v >= hist_slot_high(s));
	}
	CHECK_EQ(bad, 0);
}

static void test_last_bucket(void)
{
	uint32_t last = QP_HIST_SLOTS - 1;

	CHECK_EQ(qp_hist_slot(TOP - 1), last);
	CHECK_EQ(qp_hist_slot(TOP), last);
	CHECK_EQ(qp_hist_slot(UINT64_MAX), last);
	CHECK_EQ(qp_hist_slot_low(last), 127ULL << 33);
	CHECK_EQ(hist_slot_high(last), TOP);
	CHECK_EQ(qp_hist_slot(qp_hist_slot_low(last) - 1), last - 1);
}

/* ---- merge and delta ---- */

static void test_merge_percpu_copies(void)
{
	size_t stride = hist_percpu_stride();
	unsigned int ncpus = 3, cpu;
	char *buf = calloc(ncpus, stride);
	struct qp_hist *sum = malloc(sizeof(*sum));
	struct qp_hist one;

	CU_ASSERT_FATAL(buf && sum);
	CHECK_EQ(stride % 8, 0);
	CU_ASSERT(stride >= sizeof(struct qp_hist));
	for (cpu = 0; cpu < ncpus; cpu++) {
		memset(&one, 0, sizeof(one));
		one.slots[0] = cpu + 1;
		one.slots[100] = 10 * (cpu + 1);
		one.slots[QP_HIST_SLOTS - 1] = 0xffffffffu;	/* sums wrap modulo 2^32 */
		memcpy(buf + cpu * stride, &one, sizeof(one));
	}
	memset(sum, 0xa5, sizeof(*sum));
	hist_merge_percpu(sum, buf, ncpus, stride);
	CHECK_EQ(sum->slots[0], 6);
	CHECK_EQ(sum->slots[100], 60);
	CHECK_EQ(sum->slots[1], 0);
	CHECK_EQ(sum->slots[QP_HIST_SLOTS - 1], 0xfffffffdu);
	CHECK_EQ(hist_count(sum), 6 + 60 + 0xfffffffdULL);

	hist_merge_percpu(sum, buf, 0, stride);
	CHECK_EQ(hist_count(sum), 0);
	free(buf);
	free(sum);
}

static void test_delta_of_cumulative(void)
{
	struct qp_hist *older = calloc(1, sizeof(*older)), *newer = calloc(1, sizeof(*newer));
	struct qp_hist *d = calloc(1, sizeof(*d));

	CU_ASSERT_FATAL(older && newer && d);
	older->slots[5] = 10;
	newer->slots[5] = 15;
	older->slots[700] = 3;
	newer->slots[700] = 3;
	newer->slots[900] = 4;			/* appeared in the interval */
	older->slots[1000] = 0xfffffff0u;	/* wrapped: 0x20 more */
	newer->slots[1000] = 0x10;
	hist_delta(d, newer, older);
	CHECK_EQ(d->slots[5], 5);
	CHECK_EQ(d->slots[700], 0);
	CHECK_EQ(d->slots[900], 4);
	CHECK_EQ(d->slots[1000], 0x20);
	CHECK_EQ(hist_count(d), 5 + 4 + 0x20);

	hist_delta(newer, newer, older);	/* in place */
	CHECK_EQ(newer->slots[5], 5);
	CHECK_EQ(hist_count(newer), hist_count(d));
	free(older);
	free(newer);
	free(d);
}

/* ---- percentiles ---- */

static void test_rank_definition(void)
{
	CHECK_EQ(hist_rank(1000, 50), 500);
	CHECK_EQ(hist_rank(1000, 99.9), 999);	/* not 1000: 99.9% of 1000 is 999 */
	CHECK_EQ(hist_rank(1000, 100), 1000);
	CHECK_EQ(hist_rank(1000, 0.01), 1);
	CHECK_EQ(hist_rank(10, 91), 10);
	CHECK_EQ(hist_rank(3, 50), 2);
	CHECK_EQ(hist_rank(1, 99.9), 1);
	CHECK_EQ(hist_rank(0, 50), 0);
	CHECK_EQ(hist_rank(10, 0), 0);
	CHECK_EQ(hist_rank(10, 100.5), 0);
	CHECK_EQ(hist_rank(10, NAN), 0);
}

static void test_percentile_exact_below_64ns(void)
{
	struct qp_hist *h = calloc(1, sizeof(*h));
	uint32_t v;

	CU_ASSERT_FATAL(h != NULL);
	CU_ASSERT(isnan(hist_percentile(h, 50)));
	for (v = 1; v <= 50; v++)
		h->slots[qp_hist_slot(v)]++;
	CU_ASSERT(hist_percentile(h, 50) == 25.0);
	CU_ASSERT(hist_percentile(h, 2) == 1.0);
	CU_ASSERT(hist_percentile(h, 100) == 50.0);
	CU_ASSERT(hist_percentile(h, 99.9) == 50.0);
	CU_ASSERT(isnan(hist_percentile(h, 0)));
	CU_ASSERT(isnan(hist_percentile(h, 101)));
	free(h);
}

static void test_percentile_interpolates_inside_bucket(void)
{
	struct qp_hist *h = calloc(1, sizeof(*h));
	uint32_t s = qp_hist_slot(1 << 20);	/* [1048576, 1064960): 16384 wide */
	double low = (double)qp_hist_slot_low(s), w = (double)(hist_slot_high(s) - 1) - low;

	CU_ASSERT_FATAL(h != NULL);
	h->slots[s] = 4;
	/* the 4 samples sit at 1/8, 3/8, 5/8, 7/8 of [low, high - 1] */
	CU_ASSERT(hist_percentile(h, 25) == low + w * 0.125);
	CU_ASSERT(hist_percentile(h, 50) == low + w * 0.375);
	CU_ASSERT(hist_percentile(h, 75) == low + w * 0.625);
	CU_ASSERT(hist_percentile(h, 100) == low + w * 0.875);
	h->slots[s - 1] = 4;			/* 4 more below: the rank moves */
	CU_ASSERT(hist_percentile(h, 75) == low + w * 0.375);
	free(h);
}

struct err_result {
	double p[4];
	double worst;
};

static const double pcts[4] = { 50, 90, 99, 99.9 };

/* Draw n samples, then compare the histogram's percentiles with the samples'. */
static void measure(enum dist d, size_t n, struct err_result *res)
{
	uint64_t *v = malloc(n * sizeof(*v));
	struct qp_hist *h = calloc(1, sizeof(*h));
	size_t i;
	int j;

	CU_ASSERT_FATAL(v && h);
	rng_state = 0x5eed0000ULL + d;
	for (i = 0; i < n; i++) {
		v[i] = draw(d);
		h->slots[qp_hist_slot(v[i])]++;
	}
	qsort(v, n, sizeof(*v), u64_cmp);
	res->worst = 0;
	for (j = 0; j < 4; j++) {
		double exact = (double)v[hist_rank(n, pcts[j]) - 1];
		double est = hist_percentile(h, pcts[j]);

		res->p[j] = fabs(est - exact) / exact;
		res->worst = res->p[j] > res->worst ? res->p[j] : res->worst;
	}
	printf("# %-40s err p50 %.4f%% p90 %.4f%% p99 %.4f%% p99.9 %.4f%%\n", dist_names[d],
	       100 * res->p[0], 100 * res->p[1], 100 * res->p[2], 100 * res->p[3]);
	free(v);
	free(h);
}

static void test_percentile_error_under_1pct(void)
{
	enum dist spread[] = { FIXED_JITTER, LOGNORMAL, BIMODAL, PARETO, UNIFORM_WIDE };
	struct err_result r;
	size_t i;

	for (i = 0; i < sizeof(spread) / sizeof(spread[0]); i++) {
		measure(spread[i], 200000, &r);
		CU_ASSERT(r.worst < 0.01);
	}
}

/*
 * A constant sits in one bucket; interpolation spreads its samples over the
 * bucket, the worst case of the bound: under 1/64 of the value at any rank,
 * under half of that at the median.
 */
static void test_percentile_error_constant_values(void)
{
	struct qp_hist *h = calloc(1, sizeof(*h));
	double worst_p50 = 0, worst = 0;
	struct err_result r;
	int i, j;

	CU_ASSERT_FATAL(h != NULL);
	measure(FIXED, 100000, &r);
	CU_ASSERT(r.worst < 1.0 / 64);
	rng_state = 99;
	for (i = 0; i < 2000; i++) {
		uint64_t v = (64 + rng_next() % (TOP - 64)) >> (rng_next() % 34);
		uint32_t s;

		if (v < 64)
			continue;
		s = qp_hist_slot(v);
		memset(h, 0, sizeof(*h));
		h->slots[s] = 1000;
		for (j = 0; j < 4; j++) {
			double e = fabs(hist_percentile(h, pcts[j]) - (double)v) / (double)v;

			worst = e > worst ? e : worst;
			if (j == 0)
				worst_p50 = e > worst_p50 ? e : worst_p50;
		}
	}
	printf("# constant values (2000 random): worst err p50 %.4f%%, any of p50..p99.9 %.4f%%\n",
	       100 * worst_p50, 100 * worst);
	CU_ASSERT(worst < 1.0 / 64);
	CU_ASSERT(worst_p50 < 0.5 / 64 + 1e-9);
	free(h);
}

static void test_mean(void)
{
	CU_ASSERT(hist_mean(1000, 4) == 250.0);
	CU_ASSERT(isnan(hist_mean(0, 0)));
	CU_ASSERT(isnan(hist_mean(5, 0)));
}

/* ---- rows, printing, JSON ---- */

static void test_rows_cover_samples(void)
{
	struct qp_hist *h = calloc(1, sizeof(*h));
	struct hist_row *rows = malloc(HIST_MAX_ROWS * sizeof(*rows));
	unsigned int per;
	size_t n, i;

	CU_ASSERT_FATAL(h && rows);
	CHECK_EQ(hist_rows(h, 4, rows, HIST_MAX_ROWS), 0);
	rng_state = 3;
	for (i = 0; i < 50000; i++)
		h->slots[qp_hist_slot(draw(i % 2 ? LOGNORMAL : BIMODAL))]++;
	h->slots[0] = 2;
	h->slots[QP_HIST_SLOTS - 1] = 3;
	for (per = 1; per <= 64; per *= 2) {
		uint64_t total = 0, bad = 0;

		n = hist_rows(h, per, rows, HIST_MAX_ROWS);
		CHECK_EQ(rows[0].low, 0);
		CHECK_EQ(rows[n - 1].high, TOP);
		for (i = 0; i < n; i++) {
			total += rows[i].count;
			bad += i && rows[i].low != rows[i - 1].high;
			/* each row's edges are bucket edges */
			bad += qp_hist_slot_low(qp_hist_slot(rows[i].low)) != rows[i].low;
		}
		CHECK_EQ(bad, 0);
		CHECK_EQ(total, hist_count(h));
	}
	/* 64 rows per octave are the buckets themselves, and rows 0..64 ns are 1 ns each */
	n = hist_rows(h, 64, rows, HIST_MAX_ROWS);
	CHECK_EQ(n, QP_HIST_SLOTS);
	/* 4 per octave: 1 + 1 + 2 + 4 * 38 */
	CHECK_EQ(hist_rows(h, 4, rows, HIST_MAX_ROWS), 1 + 1 + 2 + 4 * 38);
	/* first to last non-empty only, and never more than asked */
	memset(h, 0, sizeof(*h));
	h->slots[qp_hist_slot(1000)] = 1;
	h->slots[qp_hist_slot(5000)] = 1;
	n = hist_rows(h, 1, rows, HIST_MAX_ROWS);
	CHECK_EQ(n, 4);		/* [512,1024) [1024,2048) [2048,4096) [4096,8192) */
	CHECK_EQ(rows[0].low, 512);
	CHECK_EQ(rows[n - 1].high, 8192);
	CHECK_EQ(hist_rows(h, 1, rows, 2), 2);
	free(h);
	free(rows);
}

static char *print_to_string(const struct qp_hist *h, enum prof_unit u, unsigned int per,
			     size_t *rows)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	*rows = hist_print(f, h, u, per);
	fclose(f);
	return text;
}

static void test_print(void)
{
	struct qp_hist *h = calloc(1, sizeof(*h));
	size_t rows, lines = 0;
	char *text, *p;

	CU_ASSERT_FATAL(h != NULL);
	text = print_to_string(h, PROF_UNIT_US, 4, &rows);
	CHECK_EQ(rows, 0);
	CU_ASSERT(strstr(text, "(no samples)") != NULL);
	free(text);

	h->slots[qp_hist_slot(1024)] = 40;	/* 1.024 us */
	h->slots[qp_hist_slot(1600)] = 1;
	text = print_to_string(h, PROF_UNIT_US, 4, &rows);
	CHECK_EQ(rows, 3);			/* 1.024-1.28, 1.28-1.536, 1.536-1.792 */
	for (p = text; *p; p++)
		lines += *p == '\n';
	CHECK_EQ(lines, 4);
	CU_ASSERT(strstr(text, "usecs : count") != NULL);
	CU_ASSERT(strstr(text, "1.024 -> 1.28  : 40       |****************************************|") != NULL);
	CU_ASSERT(strstr(text, " 1.28 -> 1.536 : 0        |                                        |") != NULL);
	/* one sample out of 41 still shows */
	CU_ASSERT(strstr(text, "1.536 -> 1.792 : 1        |*                                       |") != NULL);
	free(text);

	text = print_to_string(h, PROF_UNIT_NS, 1, &rows);
	CHECK_EQ(rows, 1);
	CU_ASSERT(strstr(text, "nsecs : count") != NULL);
	CU_ASSERT(strstr(text, "1024 -> 2048 : 41") != NULL);
	free(text);
	free(h);
}

static void test_json_rows(void)
{
	struct qp_hist *h = calloc(1, sizeof(*h));
	struct json_writer *jw;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	CU_ASSERT_FATAL(h != NULL);
	h->slots[qp_hist_slot(1024)] = 2;
	h->slots[qp_hist_slot(2100)] = 1;
	f = open_memstream(&text, &len);
	jw = jw_open(f);
	hist_json_rows(jw, h, 1);
	CHECK_OK(jw_close(jw));
	fclose(f);
	CU_ASSERT_STRING_EQUAL(text, "[{\"low_ns\":1024,\"high_ns\":2048,\"count\":2},"
			       "{\"low_ns\":2048,\"high_ns\":4096,\"count\":1}]\n");
	free(text);
	free(h);
}

static CU_TestInfo tests[] = {
	{ "every bucket boundary: monotone, in its bucket, width <= low/64",
	  test_every_bucket_boundary },
	{ "values fall inside their bucket's range", test_values_inside_buckets },
	{ "last bucket holds 2^40 ns and above", test_last_bucket },
	{ "per-CPU copies merge (stride, mod 2^32)", test_merge_percpu_copies },
	{ "delta of cumulative histograms, across wrap", test_delta_of_cumulative },
	{ "nearest-rank definition", test_rank_definition },
	{ "percentiles exact below 64 ns, NaN when empty", test_percentile_exact_below_64ns },
	{ "interpolation inside a bucket", test_percentile_interpolates_inside_bucket },
	{ "p50..p99.9 within 1% for spread samples", test_percentile_error_under_1pct },
	{ "constant values: within 1/64 (the bound), p50 within 1/128",
	  test_percentile_error_constant_values },
	{ "mean from a sum", test_mean },
	{ "rows cover every sample at 1..64 rows per octave", test_rows_cover_samples },
	{ "printer: header, ranges in units, bars", test_print },
	{ "JSON rows", test_json_rows },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "prof_hist", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
