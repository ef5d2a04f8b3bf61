// SPDX-License-Identifier: MIT
/*
 * Counter samples from a sealed trace model: requests in flight per DBC and
 * completed bytes per bin (see trace_counters.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace_counters.h"

struct step {
	uint64_t ts;
	int64_t delta;
};

#define CMP(a, b) do {				\
	if ((a) != (b))				\
		return (a) < (b) ? -1 : 1;	\
} while (0)

static int cmp_step(const void *pa, const void *pb)
{
	const struct step *a = pa, *b = pb;

	CMP(a->ts, b->ts);
	CMP(a->delta, b->delta);
	return 0;
}

ssize_t trace_in_flight(const struct trace_model *m, size_t from, size_t to,
			struct trace_sample *out)
{
	struct step *steps = malloc((2 * (to - from) + 1) * sizeof(*steps));
	size_t i, n = 0, k = 0;
	int64_t level = 0;

	if (!steps)
		return -ENOMEM;
	for (i = from; i < to; i++) {
		const struct trace_req *r = &m->reqs[i];
		struct trace_shape s;

		trace_req_shape(m, r, &s);
		steps[n++] = (struct step){ s.t[QP_STAGE_SUBMIT], 1 };
		if (r->flags & TRACE_REQ_COMPLETED)
			steps[n++] = (struct step){ s.t[QP_STAGE_WAKEUP], -1 };	/* complete_ts */
	}
	if (n > 1)
		qsort(steps, n, sizeof(*steps), cmp_step);
	for (i = 0; i < n; i++) {
		level += steps[i].delta;
		if (i + 1 < n && steps[i + 1].ts == steps[i].ts)
			continue;
		memset(&out[k], 0, sizeof(out[k]));
		out[k].ts = steps[i].ts;
		out[k++].value[0] = level;
	}
	free(steps);
	return (ssize_t)k;
}

struct bin_bytes {
	uint64_t bin;
	uint64_t bytes[QP_DIR_N];
};

static int cmp_bin(const void *pa, const void *pb)
{
	const struct bin_bytes *a = pa, *b = pb;

	CMP(a->bin, b->bin);
	return 0;
}

static void sample(struct trace_sample *out, size_t *k, uint64_t ts, const uint64_t *bytes)
{
	int d;

	out[*k].ts = ts;
	for (d = 0; d < QP_DIR_N; d++)
		out[*k].value[d] = (int64_t)bytes[d];
	(*k)++;
}

ssize_t trace_bandwidth(const struct trace_model *m, uint32_t dev, uint64_t bin_ns,
			struct trace_sample *out)
{
	static const uint64_t zero[QP_DIR_N];
	struct bin_bytes *bins = calloc(m->n_reqs + 1, sizeof(*bins));
	const uint64_t *shown = NULL;
	size_t i, j, n = 0, k = 0;

	if (!bins)
		return -ENOMEM;
	for (i = 0; i < m->n_reqs; i++) {
		const struct trace_req *r = &m->reqs[i];

		if (r->dev != dev || !(r->flags & TRACE_REQ_COMPLETED) ||
		    !(r->flags & TRACE_REQ_OWNER) || r->status || r->dir >= QP_DIR_N)
			continue;
		bins[n].bin = r->complete_ts / bin_ns;
		bins[n++].bytes[r->dir] = r->bytes;
	}
	if (n > 1)
		qsort(bins, n, sizeof(*bins), cmp_bin);
	/* Sum each bin into one entry. */
	for (i = 0, j = 0; i < n; j++) {
		size_t e;

		bins[j] = bins[i];
		for (e = i + 1; e < n && bins[e].bin == bins[j].bin; e++) {
			bins[j].bytes[QP_DIR_IN] += bins[e].bytes[QP_DIR_IN];
			bins[j].bytes[QP_DIR_OUT] += bins[e].bytes[QP_DIR_OUT];
		}
		i = e;
	}
	n = j;
	for (i = 0; i < n; i++) {
		if (!shown || memcmp(shown, bins[i].bytes, sizeof(zero))) {
			sample(out, &k, bins[i].bin * bin_ns, bins[i].bytes);
			shown = bins[i].bytes;
		}
		if (i + 1 == n || bins[i + 1].bin != bins[i].bin + 1) {
			sample(out, &k, (bins[i].bin + 1) * bin_ns, zero);
			shown = zero;
		}
	}
	free(bins);
	return (ssize_t)k;
}
