// SPDX-License-Identifier: MIT
/*
 * Log-linear histogram math and printing (see hist.h for the percentile
 * definition and its error bound).
 */
#include <math.h>
#include <string.h>

#include "hist.h"
#include "json_writer.h"

#define HIST_TOP	(1ULL << QP_HIST_MAX_LOG)	/* nominal end of the last slot */
#define BAR_WIDTH	40

uint64_t hist_slot_high(uint32_t slot)
{
	if (slot + 1 >= QP_HIST_SLOTS)
		return HIST_TOP;
	return qp_hist_slot_low(slot + 1);
}

void hist_add(struct qp_hist *dst, const struct qp_hist *src)
{
	size_t i;

	for (i = 0; i < QP_HIST_SLOTS; i++)
		dst->slots[i] += src->slots[i];
}

void hist_merge_percpu(struct qp_hist *dst, const void *percpu, unsigned int ncpus,
		       size_t stride)
{
	const char *p = percpu;
	unsigned int cpu;

	memset(dst, 0, sizeof(*dst));
	for (cpu = 0; cpu < ncpus; cpu++) {
		struct qp_hist one;

		/* copied out: a stride need not keep the slots aligned */
		memcpy(&one, p + (size_t)cpu * stride, sizeof(one));
		hist_add(dst, &one);
	}
}

void hist_delta(struct qp_hist *out, const struct qp_hist *newer, const struct qp_hist *older)
{
	size_t i;

	for (i = 0; i < QP_HIST_SLOTS; i++)
		out->slots[i] = newer->slots[i] - older->slots[i];
}

uint64_t hist_count(const struct qp_hist *h)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < QP_HIST_SLOTS; i++)
		n += h->slots[i];
	return n;
}

uint64_t hist_rank(uint64_t n, double p)
{
	double r;
	uint64_t rank;

	if (!n || !(p > 0 && p <= 100))
		return 0;
	r = p / 100.0 * (double)n;
	rank = (uint64_t)r;
	/* p/100*n is often a whole number computed a hair high (99.9% of 1000) */
	if (r - (double)rank > 1e-9)
		rank++;
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return rank;
}

double hist_percentile(const struct qp_hist *h, double p)
{
	uint64_t rank = hist_rank(hist_count(h), p), below = 0;
	uint32_t slot;

	if (!rank)
		return NAN;
	for (slot = 0; slot < QP_HIST_SLOTS; slot++) {
		uint64_t k = h->slots[slot], low, high;

		if (below + k < rank) {
			below += k;
			continue;
		}
		low = qp_hist_slot_low(slot);
		high = hist_slot_high(slot);
		return (double)low +
		       (double)(high - 1 - low) * ((double)(rank - below) - 0.5) / (double)k;
	}
	return NAN;	/* not reached: rank <= the total */
}

double hist_mean(uint64_t sum_ns, uint64_t count)
{
	return count ? (double)sum_ns / (double)count : NAN;
}

/* Slots [first, end) holding the values [low, high). */
static uint64_t sum_range(const struct qp_hist *h, uint64_t low, uint64_t high)
{
	uint32_t slot, end = high >= HIST_TOP ? QP_HIST_SLOTS : qp_hist_slot(high);
	uint64_t n = 0;

	for (slot = qp_hist_slot(low); slot < end; slot++)
		n += h->slots[slot];
	return n;
}

static unsigned int valid_rows_per_octave(unsigned int r)
{
	if (!r)
		return HIST_ROWS_DEFAULT;
	if (r > QP_HIST_SUB)
		return QP_HIST_SUB;
	while (r & (r - 1))	/* round down to a power of two */
		r &= r - 1;
	return r;
}

/*
 * Row idx of the full set: row 0 is [0, 1), then each octave [2^k, 2^(k+1))
 * in min(per, 2^k) rows. Returns 0 past the last row.
 */
static int row_at(const struct qp_hist *h, unsigned int per, size_t idx, struct hist_row *row)
{
	unsigned int k;

	if (idx == 0) {
		row->low = 0;
		row->high = 1;
		row->count = h->slots[0];
		return 1;
	}
	idx--;
	for (k = 0; k < QP_HIST_MAX_LOG; k++) {
		uint64_t base = 1ULL << k, n = base < per ? base : per;

		if (idx < n) {
			row->low = base + idx * (base / n);
			row->high = row->low + base / n;
			row->count = sum_range(h, row->low, row->high);
			return 1;
		}
		idx -= n;
	}
	return 0;
}

/* The first and one past the last non-empty row; 0 if there are none. */
static int row_span(const struct qp_hist *h, unsigned int per, size_t *first, size_t *end)
{
	struct hist_row row;
	size_t idx;
	int found = 0;

	for (idx = 0; row_at(h, per, idx, &row); idx++) {
		if (!row.count)
			continue;
		if (!found)
			*first = idx;
		*end = idx + 1;
		found = 1;
	}
	return found;
}

size_t hist_rows(const struct qp_hist *h, unsigned int rows_per_octave, struct hist_row *rows,
		 size_t max)
{
	unsigned int per = valid_rows_per_octave(rows_per_octave);
	size_t first, end, n = 0;

	if (!row_span(h, per, &first, &end))
		return 0;
	for (; first < end && n < max; first++)
		row_at(h, per, first, &rows[n++]);
	return n;
}

/* A boundary in the unit, short: "64", "1.024", "131.1", "1049". */
static void format_bound(char *buf, size_t size, uint64_t ns, enum prof_unit unit)
{
	double v = (double)ns / prof_unit_ns(unit);

	if (v == floor(v) || v >= 1000)
		snprintf(buf, size, "%.0f", v);
	else
		snprintf(buf, size, "%.4g", v);
}

static const char *unit_word(enum prof_unit unit)
{
	return unit == PROF_UNIT_MS ? "msecs" : unit == PROF_UNIT_US ? "usecs" : "nsecs";
}

size_t hist_print(FILE *out, const struct qp_hist *h, enum prof_unit unit,
		  unsigned int rows_per_octave)
{
	unsigned int per = valid_rows_per_octave(rows_per_octave);
	int low_w = 1, high_w = 1, count_w = 8;
	char low[32], high[32], cnt[32];
	struct hist_row row;
	size_t first, end, idx;
	uint64_t peak = 0;

	if (!row_span(h, per, &first, &end)) {
		fprintf(out, "%15s(no samples)\n", "");
		return 0;
	}
	for (idx = first; idx < end; idx++) {
		int l;

		row_at(h, per, idx, &row);
		format_bound(low, sizeof(low), row.low, unit);
		format_bound(high, sizeof(high), row.high, unit);
		l = (int)strlen(low);
		low_w = l > low_w ? l : low_w;
		l = (int)strlen(high);
		high_w = l > high_w ? l : high_w;
		l = snprintf(cnt, sizeof(cnt), "%llu", (unsigned long long)row.count);
		count_w = l > count_w ? l : count_w;
		peak = row.count > peak ? row.count : peak;
	}
	fprintf(out, "%*s : %-*s distribution\n", low_w + 4 + high_w, unit_word(unit), count_w,
		"count");
	for (idx = first; idx < end; idx++) {
		int stars;

		row_at(h, per, idx, &row);
		stars = (int)(row.count * BAR_WIDTH / peak);
		if (row.count && !stars)
			stars = 1;	/* a sparse tail stays visible */
		format_bound(low, sizeof(low), row.low, unit);
		format_bound(high, sizeof(high), row.high, unit);
		fprintf(out, "%*s -> %-*s : %-*llu |%.*s%*s|\n", low_w, low, high_w, high, count_w,
			(unsigned long long)row.count, stars,
			"****************************************", BAR_WIDTH - stars, "");
	}
	return end - first;
}

void hist_json_rows(struct json_writer *jw, const struct qp_hist *h, unsigned int rows_per_octave)
{
	unsigned int per = valid_rows_per_octave(rows_per_octave);
	size_t first = 0, end = 0, idx;
	struct hist_row row;

	row_span(h, per, &first, &end);
	jw_array_begin(jw);
	for (idx = first; idx < end; idx++) {
		row_at(h, per, idx, &row);
		jw_object_begin(jw);
		jw_kv_uint(jw, "low_ns", row.low);
		jw_kv_uint(jw, "high_ns", row.high);
		jw_kv_uint(jw, "count", row.count);
		jw_object_end(jw);
	}
	jw_array_end(jw);
}
