// SPDX-License-Identifier: MIT
/*
 * Buffer objects: CREATE_BO and MMAP_BO are qaic's own ioctls; closing a
 * handle and PRIME sharing are generic DRM, done through libdrm.
 */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <xf86drm.h>

#include "qaic_internal.h"

int qaic_bo_create(struct qaic_dev *dev, uint64_t size, uint32_t *handle)
{
	struct qaic_create_bo arg;
	int ret;

	if (!dev || !handle || size == 0)
		return qaic_fail(EINVAL);
	memset(&arg, 0, sizeof(arg));
	arg.size = size;
	ret = qaic_ioctl(dev->fd, DRM_IOCTL_QAIC_CREATE_BO, &arg, 1);
	if (ret)
		return ret;
	*handle = arg.handle;
	return 0;
}

int qaic_bo_mmap(struct qaic_dev *dev, uint32_t handle, uint64_t size, void **addr)
{
	struct qaic_mmap_bo arg;
	void *p;
	int ret;

	if (addr)
		*addr = NULL;
	if (!dev || !addr || size == 0 || size > SIZE_MAX)
		return qaic_fail(EINVAL);
	memset(&arg, 0, sizeof(arg));
	arg.handle = handle;
	ret = qaic_ioctl(dev->fd, DRM_IOCTL_QAIC_MMAP_BO, &arg, 1);
	if (ret)
		return ret;
	if (arg.offset > INT64_MAX)
		return qaic_fail(EOVERFLOW);
	p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, dev->fd,
		 (off_t)arg.offset);
	if (p == MAP_FAILED)
		return qaic_fail(errno ? errno : ENOMEM);
	*addr = p;
	return 0;
}

int qaic_bo_munmap(void *addr, uint64_t size)
{
	if (!addr || size == 0 || size > SIZE_MAX)
		return qaic_fail(EINVAL);
	if (munmap(addr, (size_t)size))
		return qaic_fail(errno ? errno : EINVAL);
	return 0;
}

int qaic_bo_close(struct qaic_dev *dev, uint32_t handle)
{
	if (!dev)
		return qaic_fail(EINVAL);
	if (drmCloseBufferHandle(dev->fd, handle))
		return qaic_fail(errno ? errno : EINVAL);
	return 0;
}

int qaic_bo_export(struct qaic_dev *dev, uint32_t handle, int *prime_fd)
{
	int fd = -1;

	if (prime_fd)
		*prime_fd = -1;
	if (!dev || !prime_fd)
		return qaic_fail(EINVAL);
	if (drmPrimeHandleToFD(dev->fd, handle, DRM_CLOEXEC | DRM_RDWR, &fd))
		return qaic_fail(errno ? errno : EINVAL);
	*prime_fd = fd;
	return 0;
}

int qaic_bo_import(struct qaic_dev *dev, int prime_fd, uint32_t *handle)
{
	uint32_t h = 0;

	if (!dev || !handle || prime_fd < 0)
		return qaic_fail(EINVAL);
	if (drmPrimeFDToHandle(dev->fd, prime_fd, &h))
		return qaic_fail(errno ? errno : EINVAL);
	*handle = h;
	return 0;
}
