// SPDX-License-Identifier: MIT
/*
 * Greedy interval partitioning with two binary heaps: lanes in use by the
 * end of their interval, free lanes by number.
 */
#include <errno.h>
#include <stdlib.h>

#include "trace_lanes.h"

struct heap_item {
	uint64_t key;
	uint32_t lane;
};

struct heap {
	struct heap_item *v;
	size_t n;
};

static int less(const struct heap_item *a, const struct heap_item *b)
{
	return a->key < b->key || (a->key == b->key && a->lane < b->lane);
}

static void swap(struct heap_item *a, struct heap_item *b)
{
	struct heap_item t = *a;

	*a = *b;
	*b = t;
}

static void push(struct heap *h, uint64_t key, uint32_t lane)
{
	size_t i = h->n++;

	h->v[i] = (struct heap_item){ key, lane };
	while (i && less(&h->v[i], &h->v[(i - 1) / 2])) {
		swap(&h->v[i], &h->v[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

static struct heap_item pop(struct heap *h)
{
	struct heap_item top = h->v[0];
	size_t i = 0;

	h->v[0] = h->v[--h->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, min = i;

		if (l < h->n && less(&h->v[l], &h->v[min]))
			min = l;
		if (r < h->n && less(&h->v[r], &h->v[min]))
			min = r;
		if (min == i)
			return top;
		swap(&h->v[i], &h->v[min]);
		i = min;
	}
}

long trace_assign_lanes(const uint64_t *start, const uint64_t *end, size_t n, uint32_t *lane)
{
	struct heap busy = { 0 }, idle = { 0 };
	uint32_t lanes = 0;
	size_t i;

	busy.v = malloc((n + 1) * sizeof(*busy.v));
	idle.v = malloc((n + 1) * sizeof(*idle.v));
	if (!busy.v || !idle.v) {
		free(busy.v);
		free(idle.v);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		while (busy.n && busy.v[0].key <= start[i]) {
			struct heap_item done = pop(&busy);

			push(&idle, done.lane, done.lane);
		}
		lane[i] = idle.n ? pop(&idle).lane : lanes++;
		push(&busy, end[i], lane[i]);
	}
	free(busy.v);
	free(idle.v);
	return lanes;
}
