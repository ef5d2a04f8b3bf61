// SPDX-License-Identifier: MIT
/* EXECUTE_BO, PARTIAL_EXECUTE_BO, WAIT_BO and PERF_STATS_BO. */
#include <string.h>

#include "qaic_internal.h"

static int dir_valid(uint32_t dir)
{
	return dir == QAIC_DIR_TO_DEV || dir == QAIC_DIR_FROM_DEV;
}

/*
 * Both execute ioctls take the same header; only the entry type differs.
 * EINTR is restarted (nothing was queued), EAGAIN never is: the caller has to
 * wait for the queue to drain first.
 */
static int execute(struct qaic_dev *dev, unsigned long request, uint32_t dbc_id,
		   const void *entries, uint32_t count)
{
	struct qaic_execute arg;

	memset(&arg, 0, sizeof(arg));
	arg.hdr.count = count;
	arg.hdr.dbc_id = dbc_id;
	arg.data = (uint64_t)(uintptr_t)entries;
	return qaic_ioctl(dev->fd, request, &arg, 1);
}

int qaic_execute(struct qaic_dev *dev, uint32_t dbc_id, const struct qaic_execute_entry *e,
		 uint32_t count)
{
	uint32_t i;

	if (!dev || !e || count == 0)
		return qaic_fail(EINVAL);
	for (i = 0; i < count; i++)
		if (!dir_valid(e[i].dir))
			return qaic_fail(EINVAL);
	return execute(dev, DRM_IOCTL_QAIC_EXECUTE_BO, dbc_id, e, count);
}

int qaic_partial_execute(struct qaic_dev *dev, uint32_t dbc_id,
			 const struct qaic_partial_execute_entry *e, uint32_t count)
{
	uint32_t i;

	if (!dev || !e || count == 0)
		return qaic_fail(EINVAL);
	for (i = 0; i < count; i++)
		if (!dir_valid(e[i].dir))
			return qaic_fail(EINVAL);
	return execute(dev, DRM_IOCTL_QAIC_PARTIAL_EXECUTE_BO, dbc_id, e, count);
}

int qaic_wait(struct qaic_dev *dev, uint32_t dbc_id, uint32_t handle, uint32_t timeout_ms)
{
	struct qaic_wait arg;

	if (!dev)
		return qaic_fail(EINVAL);
	memset(&arg, 0, sizeof(arg));
	arg.handle = handle;
	arg.timeout = timeout_ms;
	arg.dbc_id = dbc_id;
	return qaic_ioctl(dev->fd, DRM_IOCTL_QAIC_WAIT_BO, &arg, 0);
}

int qaic_perf_stats(struct qaic_dev *dev, uint32_t dbc_id, struct qaic_perf_stats_entry *e,
		    uint16_t count)
{
	struct qaic_perf_stats arg;
	uint16_t i;

	if (!dev || !e || count == 0)
		return qaic_fail(EINVAL);
	/* The kernel reads the handles and wants the padding zero. */
	for (i = 0; i < count; i++)
		e[i].pad = 0;
	memset(&arg, 0, sizeof(arg));
	arg.hdr.count = count;
	arg.hdr.dbc_id = dbc_id;
	arg.data = (uint64_t)(uintptr_t)e;
	return qaic_ioctl(dev->fd, DRM_IOCTL_QAIC_PERF_STATS_BO, &arg, 1);
}
