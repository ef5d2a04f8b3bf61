// SPDX-License-Identifier: MIT
/*
 * The sim network helper's device half: a set of input/output BO pairs
 * created, mapped and sliced per qaic_simnet_plan(), submitted and waited
 * in the order that runs one inference per pair.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qaic_internal.h"

struct simnet_slot {
	uint32_t in_handle, out_handle;
	uint8_t *in, *out;		/* mappings of the whole BOs */
	unsigned int have_in : 1, have_out : 1, in_sliced : 1, out_sliced : 1;
};

struct qaic_simnet_io {
	struct qaic_dev *dev;
	uint32_t dbc_id;
	uint32_t nslots;
	uint64_t in_bytes, out_bytes;
	struct qaic_simnet_plan plan;
	struct simnet_slot slot[];
};

static void slot_release(struct qaic_simnet_io *io, struct simnet_slot *s)
{
	if (s->in_sliced)
		qaic_bo_detach(io->dev, s->in_handle);
	if (s->out_sliced)
		qaic_bo_detach(io->dev, s->out_handle);
	if (s->in)
		qaic_bo_munmap(s->in, io->plan.in_bo_size);
	if (s->out)
		qaic_bo_munmap(s->out, io->plan.out_bo_size);
	if (s->have_in)
		qaic_bo_close(io->dev, s->in_handle);
	if (s->have_out)
		qaic_bo_close(io->dev, s->out_handle);
	memset(s, 0, sizeof(*s));
}

static int slot_setup(struct qaic_simnet_io *io, struct simnet_slot *s)
{
	const struct qaic_simnet_plan *p = &io->plan;
	void *map;
	int ret;

	ret = qaic_bo_create(io->dev, p->in_bo_size, &s->in_handle);
	if (ret)
		return ret;
	s->have_in = 1;
	ret = qaic_bo_create(io->dev, p->out_bo_size, &s->out_handle);
	if (ret)
		return ret;
	s->have_out = 1;
	ret = qaic_bo_mmap(io->dev, s->in_handle, p->in_bo_size, &map);
	if (ret)
		return ret;
	s->in = map;
	ret = qaic_bo_mmap(io->dev, s->out_handle, p->out_bo_size, &map);
	if (ret)
		return ret;
	s->out = map;
	ret = qaic_bo_attach(io->dev, s->in_handle, io->dbc_id, QAIC_DIR_TO_DEV, p->in_slices,
			     p->in_count);
	if (ret)
		return ret;
	s->in_sliced = 1;
	ret = qaic_bo_attach(io->dev, s->out_handle, io->dbc_id, QAIC_DIR_FROM_DEV,
			     p->out_slices, p->out_count);
	if (ret)
		return ret;
	s->out_sliced = 1;
	return 0;
}

void qaic_simnet_io_destroy(struct qaic_simnet_io *io)
{
	int saved = errno;
	uint32_t i;

	if (!io)
		return;
	for (i = 0; i < io->nslots; i++)
		slot_release(io, &io->slot[i]);
	free(io);
	errno = saved;
}

int qaic_simnet_io_create(struct qaic_dev *dev, const struct qaic_simnet *net, uint32_t dbc_id,
			  uint32_t slots, struct qaic_simnet_io **out)
{
	struct qaic_simnet_io *io;
	long page = sysconf(_SC_PAGESIZE);
	uint32_t i;
	int ret;

	if (out)
		*out = NULL;
	if (!dev || !net || !out || slots == 0 || slots > QAIC_SIMNET_IO_MAX_SLOTS)
		return qaic_fail(EINVAL);
	io = calloc(1, sizeof(*io) + slots * sizeof(io->slot[0]));
	if (!io)
		return qaic_fail(ENOMEM);
	ret = qaic_simnet_plan(net, page > 0 ? (uint64_t)page : 4096, &io->plan);
	if (ret) {
		free(io);
		return ret;
	}
	io->dev = dev;
	io->dbc_id = dbc_id;
	io->in_bytes = net->input_bytes;
	io->out_bytes = net->output_bytes;
	for (i = 0; i < slots; i++) {
		io->nslots = i + 1;
		ret = slot_setup(io, &io->slot[i]);
		if (ret) {
			qaic_simnet_io_destroy(io);
			return qaic_fail(-ret);
		}
	}
	*out = io;
	return 0;
}

int qaic_simnet_io_slots(const struct qaic_simnet_io *io)
{
	if (!io)
		return qaic_fail(EINVAL);
	return (int)io->nslots;
}

uint8_t *qaic_simnet_io_input(struct qaic_simnet_io *io, uint32_t slot)
{
	if (!io || slot >= io->nslots) {
		errno = EINVAL;
		return NULL;
	}
	return io->slot[slot].in;
}

uint8_t *qaic_simnet_io_output(struct qaic_simnet_io *io, uint32_t slot)
{
	if (!io || slot >= io->nslots) {
		errno = EINVAL;
		return NULL;
	}
	return io->slot[slot].out;
}

int qaic_simnet_io_handles(const struct qaic_simnet_io *io, uint32_t slot, uint32_t *in_handle,
			   uint32_t *out_handle)
{
	if (!io || slot >= io->nslots)
		return qaic_fail(EINVAL);
	if (in_handle)
		*in_handle = io->slot[slot].in_handle;
	if (out_handle)
		*out_handle = io->slot[slot].out_handle;
	return 0;
}

/* splitmix64: fast, and the same bytes for the same seed on every host. */
static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

int qaic_simnet_io_fill(struct qaic_simnet_io *io, uint32_t slot, uint64_t seed)
{
	uint8_t *p;
	uint64_t left, v, state = seed;
	int i;

	if (!io || slot >= io->nslots)
		return qaic_fail(EINVAL);
	p = io->slot[slot].in;
	for (left = io->in_bytes; left >= 8; left -= 8, p += 8) {
		v = splitmix64(&state);
		for (i = 0; i < 8; i++)
			p[i] = (uint8_t)(v >> (8 * i));
	}
	v = splitmix64(&state);
	for (i = 0; (uint64_t)i < left; i++)
		p[i] = (uint8_t)(v >> (8 * i));
	return 0;
}

#define SUBMIT_STACK	32	/* inferences whose entries fit on the stack */

int qaic_simnet_io_submit(struct qaic_simnet_io *io, const uint32_t *slots, uint32_t count)
{
	struct qaic_execute_entry stack_e[2 * SUBMIT_STACK], *e = stack_e;
	uint8_t seen[QAIC_SIMNET_IO_MAX_SLOTS / 8];
	uint32_t i, s;
	int ret;

	if (!io || !slots || count == 0 || count > io->nslots)
		return qaic_fail(EINVAL);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < count; i++) {
		s = slots[i];
		if (s >= io->nslots || (seen[s / 8] & (1u << (s % 8))))
			return qaic_fail(EINVAL);
		seen[s / 8] |= (uint8_t)(1u << (s % 8));
	}
	if (count > SUBMIT_STACK) {
		e = calloc(2 * (size_t)count, sizeof(*e));
		if (!e)
			return qaic_fail(ENOMEM);
	}
	for (i = 0; i < count; i++) {
		e[2 * i].handle = io->slot[slots[i]].in_handle;
		e[2 * i].dir = QAIC_DIR_TO_DEV;
		e[2 * i + 1].handle = io->slot[slots[i]].out_handle;
		e[2 * i + 1].dir = QAIC_DIR_FROM_DEV;
	}
	ret = qaic_execute(io->dev, io->dbc_id, e, 2 * count);
	if (e != stack_e)
		free(e);
	if (ret)
		errno = -ret;
	return ret;
}

int qaic_simnet_io_wait(struct qaic_simnet_io *io, uint32_t slot, uint32_t timeout_ms)
{
	int ret;

	if (!io || slot >= io->nslots)
		return qaic_fail(EINVAL);
	ret = qaic_wait(io->dev, io->dbc_id, io->slot[slot].out_handle, timeout_ms);
	if (ret)
		return ret;
	return qaic_wait(io->dev, io->dbc_id, io->slot[slot].in_handle, timeout_ms);
}

int qaic_simnet_io_verify(struct qaic_simnet_io *io, uint32_t slot, uint64_t *first_bad)
{
	if (!io || slot >= io->nslots)
		return qaic_fail(EINVAL);
	return qaic_simnet_check(io->slot[slot].in, io->in_bytes, io->slot[slot].out,
				 io->out_bytes, first_bad);
}
