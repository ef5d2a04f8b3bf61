// SPDX-License-Identifier: MIT
/*
 * The sim network helper's pure half: where a network's buffers go in
 * device DDR, which slices its input and output BOs get (the convention of
 * qaic_sim_net.h), and the check of an output against its input. No device
 * is involved, so all of it is unit-tested on the host.
 */
#include <string.h>

#include "qaic_internal.h"

#ifndef __packed
#define __packed __attribute__((packed))
#endif
#include "qaic_sim_net.h"

_Static_assert(QAIC_SIMNET_DOORBELL_ADDR == SIMNET_DOORBELL_ADDR, "doorbell address differs");

/* 32 spans of 256 MiB: the lower 8 GiB of the sim's default 16 GiB DDR. */
#define PLACE_MAX_DBC	32
/* Bounds that keep page counts within 32 bits for any page size. */
#define PLAN_MAX_BYTES	(1ULL << 40)
#define SIMNET_MAX_SEM	32

int qaic_simnet_place(struct qaic_simnet *net, uint32_t dbc_id)
{
	const uint64_t half = QAIC_SIMNET_DBC_SPAN / 2;
	uint64_t base;

	if (!net || dbc_id >= PLACE_MAX_DBC || !net->input_bytes || !net->output_bytes)
		return qaic_fail(EINVAL);
	if (net->input_bytes > half || net->output_bytes > half)
		return qaic_fail(E2BIG);
	base = (uint64_t)dbc_id * QAIC_SIMNET_DBC_SPAN;
	net->input_dev_addr = base;
	net->output_dev_addr = base + half;
	return 0;
}

static uint64_t pages_of(uint64_t bytes, uint64_t page)
{
	return (bytes + page - 1) / page;
}

int qaic_simnet_plan(const struct qaic_simnet *net, uint64_t page_size,
		     struct qaic_simnet_plan *plan)
{
	struct qaic_attach_slice_entry *s;
	uint64_t first, in_pages, out_pages;

	if (!net || !plan || page_size < 4096 || (page_size & (page_size - 1)))
		return qaic_fail(EINVAL);
	if (!net->input_bytes || !net->output_bytes || net->input_bytes > PLAN_MAX_BYTES ||
	    net->output_bytes > PLAN_MAX_BYTES || net->sem_index >= SIMNET_MAX_SEM)
		return qaic_fail(EINVAL);

	memset(plan, 0, sizeof(*plan));
	in_pages = pages_of(net->input_bytes, page_size);
	out_pages = pages_of(net->output_bytes, page_size);
	if (in_pages + out_pages > UINT32_MAX)
		return qaic_fail(EINVAL);
	plan->in_bo_size = in_pages * page_size;
	plan->out_bo_size = out_pages * page_size;

	/* Input: the whole input, then the doorbell that starts the inference. */
	s = &plan->in_slices[0];
	qaic_slice_init(s, 0, net->input_bytes, net->input_dev_addr);
	qaic_slice_doorbell(s, QAIC_SIMNET_DOORBELL_ADDR, net->doorbell, 32);
	plan->in_count = 1;

	/*
	 * Output: the first page alone carries the "P", so it runs once per
	 * inference whatever the kernel's element split; the rest follows it
	 * in queue order.
	 */
	first = net->output_bytes < page_size ? net->output_bytes : page_size;
	s = &plan->out_slices[0];
	qaic_slice_init(s, 0, first, net->output_dev_addr);
	qaic_slice_sem(s, QAIC_SEM_PRESYNC, QAIC_SEM_WAIT_GT_0, (uint8_t)net->sem_index, 0, 0);
	plan->out_count = 1;
	if (net->output_bytes > first) {
		qaic_slice_init(&plan->out_slices[1], first, net->output_bytes - first,
				net->output_dev_addr + first);
		plan->out_count = 2;
	}

	plan->max_elements = (uint32_t)(in_pages + out_pages);
	return 0;
}

int qaic_simnet_check(const void *in, uint64_t in_len, const void *out, uint64_t out_len,
		      uint64_t *first_bad)
{
	const uint8_t *i = in, *o = out;
	uint64_t k, j = 0;

	if (!in || !out || !in_len || !out_len)
		return qaic_fail(EINVAL);
	/*
	 * simnet_out_byte() without its division per byte (outputs run to
	 * megabytes); the unit tests hold the two equal.
	 */
	for (k = 0; k < out_len; k++) {
		if (o[k] != (uint8_t)(i[j] ^ (uint8_t)(k * 7 + 0x5a))) {
			if (first_bad)
				*first_bad = k;
			return qaic_fail(EBADMSG);
		}
		if (++j == in_len)
			j = 0;
	}
	return 0;
}
