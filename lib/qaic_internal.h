/* SPDX-License-Identifier: MIT */
/* libqaic internals shared by its source files; not installed. */
#ifndef QAIC_INTERNAL_H_
#define QAIC_INTERNAL_H_

#include <errno.h>
#include <stdint.h>

#include "qaic.h"

/* The qaic DRM driver's name, as DRM_IOCTL_VERSION and sysfs report it. */
#define QAIC_DRIVER_NAME	"qaic"

struct qaic_dev {
	int fd;
};

/* Record err (positive errno) in errno and return it negated. */
static inline int qaic_fail(int err)
{
	errno = err;
	return -err;
}

/* Little-endian encoding for firmware payloads, byte by byte (any host). */
static inline void qaic_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void qaic_put_le32(uint8_t *p, uint32_t v)
{
	qaic_put_le16(p, (uint16_t)v);
	qaic_put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void qaic_put_le64(uint8_t *p, uint64_t v)
{
	qaic_put_le32(p, (uint32_t)v);
	qaic_put_le32(p + 4, (uint32_t)(v >> 32));
}

static inline uint32_t qaic_get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* True if fd is a DRM node whose driver is qaic. */
int qaic_fd_is_qaic(int fd);

/*
 * One data-path ioctl through ioctl(2), not drmIoctl: drmIoctl repeats a call
 * that fails with EAGAIN (EXECUTE_BO's "queue full") or EINTR (a signal
 * meant to stop WAIT_BO). restart_eintr repeats on EINTR only. Returns 0 or
 * the negative errno, with errno set.
 */
int qaic_ioctl(int fd, unsigned long request, void *arg, int restart_eintr);

#endif /* QAIC_INTERNAL_H_ */
