// SPDX-License-Identifier: MIT
/*
 * Slices: building struct qaic_attach_slice_entry, checking a set of them as
 * the kernel does, and ATTACH/DETACH_SLICE_BO.
 */
#include <stdlib.h>
#include <string.h>

#include "qaic_internal.h"

/* Field limits of struct qaic_sem (upstream's uAPI comments). */
#define SEM_VAL_MAX	0xfff
#define SEM_INDEX_MAX	31
#define SEM_FENCES	(QAIC_SEM_INSYNCFENCE | QAIC_SEM_OUTSYNCFENCE)

int qaic_slice_init(struct qaic_attach_slice_entry *e, uint64_t offset, uint64_t size,
		    uint64_t dev_addr)
{
	if (!e || size > UINT64_MAX - offset)
		return qaic_fail(EINVAL);
	memset(e, 0, sizeof(*e));
	e->offset = offset;
	e->size = size;
	e->dev_addr = dev_addr;
	return 0;
}

static int doorbell_valid(uint64_t db_addr, uint32_t data, uint32_t bits)
{
	switch (bits) {
	case 0:
		return 1;
	case 8:
	case 16:
		if (data >> bits)
			return 0;
		/* fall through */
	case 32:
		return db_addr % (bits / 8) == 0;
	}
	return 0;
}

int qaic_slice_doorbell(struct qaic_attach_slice_entry *e, uint64_t db_addr, uint32_t data,
			uint32_t bits)
{
	if (!e || !doorbell_valid(db_addr, data, bits))
		return qaic_fail(EINVAL);
	e->db_addr = bits ? db_addr : 0;
	e->db_data = bits ? data : 0;
	e->db_len = bits;
	return 0;
}

static struct qaic_sem *sem_slot(struct qaic_attach_slice_entry *e, int i)
{
	struct qaic_sem *slots[4] = { &e->sem0, &e->sem1, &e->sem2, &e->sem3 };

	return slots[i];
}

static const struct qaic_sem *sem_slot_const(const struct qaic_attach_slice_entry *e, int i)
{
	return sem_slot((struct qaic_attach_slice_entry *)e, i);
}

static int sem_unused(const struct qaic_sem *s)
{
	static const struct qaic_sem zero;

	return memcmp(s, &zero, sizeof(zero)) == 0;
}

/* As the kernel checks each of the four: an unused (all zero) one passes. */
static int sem_valid(const struct qaic_sem *s)
{
	return s->val <= SEM_VAL_MAX && s->index <= SEM_INDEX_MAX && s->presync <= 1 &&
	       s->cmd <= QAIC_SEM_WAIT_GT_0 && !(s->flags & ~SEM_FENCES) && s->pad == 0;
}

static int presync_count(const struct qaic_attach_slice_entry *e)
{
	int i, n = 0;

	for (i = 0; i < 4; i++)
		n += sem_slot_const(e, i)->presync;
	return n;
}

int qaic_slice_sem(struct qaic_attach_slice_entry *e, enum qaic_sem_sync sync, uint8_t cmd,
		   uint8_t index, uint16_t val, uint8_t flags)
{
	struct qaic_sem s;
	int i;

	if (!e || (sync != QAIC_SEM_PRESYNC && sync != QAIC_SEM_POSTSYNC))
		return qaic_fail(EINVAL);
	memset(&s, 0, sizeof(s));
	s.val = val;
	s.index = index;
	s.presync = sync == QAIC_SEM_PRESYNC;
	s.cmd = cmd;
	s.flags = flags;
	if (!sem_valid(&s) || (cmd == QAIC_SEM_NOP && !flags))
		return qaic_fail(EINVAL);
	if (s.presync && presync_count(e) > 0)
		return qaic_fail(EINVAL);
	for (i = 0; i < 4; i++) {
		if (sem_unused(sem_slot(e, i))) {
			*sem_slot(e, i) = s;
			return 0;
		}
	}
	return qaic_fail(ENOSPC);
}

static int entry_valid(const struct qaic_attach_slice_entry *e, uint64_t bo_size)
{
	int i;

	if (!doorbell_valid(e->db_addr, e->db_data, e->db_len))
		return 0;
	for (i = 0; i < 4; i++)
		if (!sem_valid(sem_slot_const(e, i)))
			return 0;
	return presync_count(e) <= 1 && e->size <= UINT64_MAX - e->offset &&
	       e->offset + e->size <= bo_size;
}

struct span {
	uint64_t start, end;
	uint32_t index;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

int qaic_slice_check(const struct qaic_attach_slice_entry *e, uint32_t count, uint64_t bo_size,
		     uint32_t *bad)
{
	struct span *spans;
	uint32_t i, n = 0, culprit = 0;
	int ok = 1;

	if (!e || count == 0)
		return qaic_fail(EINVAL);
	for (i = 0; i < count; i++) {
		if (!entry_valid(&e[i], bo_size)) {
			if (bad)
				*bad = i;
			return qaic_fail(EINVAL);
		}
	}

	/* Overlap: sort the non-empty ranges by start, compare neighbours. */
	spans = calloc(count, sizeof(*spans));
	if (!spans)
		return qaic_fail(ENOMEM);
	for (i = 0; i < count; i++) {
		if (e[i].size == 0)
			continue;
		spans[n].start = e[i].offset;
		spans[n].end = e[i].offset + e[i].size;
		spans[n].index = i;
		n++;
	}
	qsort(spans, n, sizeof(*spans), span_cmp);
	for (i = 1; i < n && ok; i++) {
		if (spans[i].start < spans[i - 1].end) {
			ok = 0;
			culprit = spans[i].index > spans[i - 1].index ? spans[i].index
								     : spans[i - 1].index;
		}
	}
	free(spans);
	if (!ok) {
		if (bad)
			*bad = culprit;
		return qaic_fail(EINVAL);
	}
	return 0;
}

int qaic_bo_attach(struct qaic_dev *dev, uint32_t handle, uint32_t dbc_id, enum qaic_dir dir,
		   const struct qaic_attach_slice_entry *e, uint32_t count)
{
	struct qaic_attach_slice arg;

	if (!dev || !e || count == 0 || (dir != QAIC_DIR_TO_DEV && dir != QAIC_DIR_FROM_DEV))
		return qaic_fail(EINVAL);
	memset(&arg, 0, sizeof(arg));
	arg.hdr.count = count;
	arg.hdr.dbc_id = dbc_id;
	arg.hdr.handle = handle;
	arg.hdr.dir = dir;
	arg.data = (uint64_t)(uintptr_t)e;
	return qaic_ioctl(dev->fd, DRM_IOCTL_QAIC_ATTACH_SLICE_BO, &arg, 1);
}

int qaic_bo_detach(struct qaic_dev *dev, uint32_t handle)
{
	struct qaic_detach_slice arg;

	if (!dev)
		return qaic_fail(EINVAL);
	memset(&arg, 0, sizeof(arg));
	arg.handle = handle;
	return qaic_ioctl(dev->fd, DRM_IOCTL_QAIC_DETACH_SLICE_BO, &arg, 1);
}
