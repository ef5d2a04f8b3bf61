// SPDX-License-Identifier: MIT
/* The data path's ioctl call: see qaic_ioctl() in qaic_internal.h. */
#include <sys/ioctl.h>

#include "qaic_internal.h"

int qaic_ioctl(int fd, unsigned long request, void *arg, int restart_eintr)
{
	int ret;

	do {
		ret = ioctl(fd, request, arg);
	} while (ret == -1 && errno == EINTR && restart_eintr);
	if (ret == -1)
		return qaic_fail(errno ? errno : EIO);
	return 0;
}
