// SPDX-License-Identifier: MIT
/* Opening a qaic node and asking its driver who it is. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

#include "qaic_internal.h"

int qaic_fd_is_qaic(int fd)
{
	drmVersionPtr ver = drmGetVersion(fd);
	int match;

	if (!ver)
		return 0;
	match = ver->name && (size_t)ver->name_len == strlen(QAIC_DRIVER_NAME) &&
		memcmp(ver->name, QAIC_DRIVER_NAME, strlen(QAIC_DRIVER_NAME)) == 0;
	drmFreeVersion(ver);
	return match;
}

int qaic_open(const char *path, struct qaic_dev **out)
{
	struct qaic_dev *dev;
	int fd, err;

	if (out)
		*out = NULL;
	if (!path || !out || !*path)
		return qaic_fail(EINVAL);

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return qaic_fail(errno);
	if (!qaic_fd_is_qaic(fd)) {
		err = ENODEV;
		goto err_close;
	}
	dev = calloc(1, sizeof(*dev));
	if (!dev) {
		err = ENOMEM;
		goto err_close;
	}
	dev->fd = fd;
	*out = dev;
	return 0;

err_close:
	close(fd);
	return qaic_fail(err);
}

int qaic_open_index(int n, struct qaic_dev **out)
{
	struct qaic_device_info *list;
	int found, ret;

	if (out)
		*out = NULL;
	if (n < 0 || !out)
		return qaic_fail(EINVAL);

	found = qaic_device_list(NULL, 0);
	if (found < 0)
		return found;
	if (found <= n)
		return qaic_fail(ENODEV);
	list = calloc((size_t)found, sizeof(*list));
	if (!list)
		return qaic_fail(ENOMEM);
	/* Devices may come or go between the two scans. */
	found = qaic_device_list(list, found);
	if (found < 0)
		ret = found;
	else if (found <= n)
		ret = -ENODEV;
	else
		ret = qaic_open(list[n].node, out);
	free(list);
	if (ret)
		errno = -ret;
	return ret;
}

void qaic_close(struct qaic_dev *dev)
{
	int saved = errno;

	if (!dev)
		return;
	close(dev->fd);
	free(dev);
	errno = saved;
}

int qaic_fd(const struct qaic_dev *dev)
{
	if (!dev)
		return qaic_fail(EINVAL);
	return dev->fd;
}

int qaic_version(struct qaic_dev *dev, int *major, int *minor)
{
	drmVersionPtr ver;

	if (!dev || !major || !minor)
		return qaic_fail(EINVAL);
	ver = drmGetVersion(dev->fd);
	if (!ver)
		return qaic_fail(errno ? errno : EIO);
	*major = ver->version_major;
	*minor = ver->version_minor;
	drmFreeVersion(ver);
	return 0;
}
