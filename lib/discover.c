// SPDX-License-Identifier: MIT
/*
 * Device discovery. libdrm's node helpers know only /dev/dri, so accel nodes
 * are found through /sys/class/accel; render nodes through /sys/class/drm.
 * A node is qaic's if sysfs says so (cheap, needs no permission on the node)
 * or, when sysfs is silent, if the node itself reports the qaic DRM driver.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qaic_internal.h"

struct node_class {
	enum qaic_node_kind kind;
	const char *class_dir;	/* below root */
	const char *dev_dir;	/* below root */
	const char *prefix;	/* entry name before the minor number */
};

static const struct node_class node_classes[] = {
	{ QAIC_NODE_ACCEL, "/sys/class/accel", "/dev/accel", "accel" },
	{ QAIC_NODE_RENDER, "/sys/class/drm", "/dev/dri", "renderD" },
};

/* snprintf that reports truncation as -ENAMETOOLONG. */
static int join_path(char *buf, size_t size, const char *a, const char *b, const char *c)
{
	int n = snprintf(buf, size, "%s%s%s", a, b, c);

	if (n < 0)
		return -EINVAL;
	if ((size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

/* "<prefix><decimal>" with nothing else: the decimal, or -1. */
static long parse_minor(const char *name, const char *prefix)
{
	size_t plen = strlen(prefix);
	const char *p = name + plen;
	long v = 0;

	if (strncmp(name, prefix, plen) != 0 || *p == '\0')
		return -1;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || v > 1000000)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v;
}

/* The parent device's driver: 1 if qaic, 0 if another, -1 if unbound or unknown. */
static int driver_link_is_qaic(const char *entry)
{
	char path[QAIC_PATH_MAX + 32], target[QAIC_PATH_MAX];
	const char *base;
	ssize_t n;

	if (join_path(path, sizeof(path), entry, "/device/driver", ""))
		return -1;
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return -1;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	return strcmp(base, QAIC_DRIVER_NAME) == 0;
}

static int uevent_is_qaic(const char *entry)
{
	char path[QAIC_PATH_MAX + 32], line[256];
	int found = 0;
	FILE *f;

	if (join_path(path, sizeof(path), entry, "/device/uevent", ""))
		return 0;
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = strcmp(line, "DRIVER=" QAIC_DRIVER_NAME "\n") == 0 ||
			strcmp(line, "DRIVER=" QAIC_DRIVER_NAME) == 0;
	fclose(f);
	return found;
}

/* The driver's own attribute directory (device/qaic/) marks its devices. */
static int attr_dir_exists(const char *entry)
{
	char path[QAIC_PATH_MAX + 32];
	struct stat st;

	if (join_path(path, sizeof(path), entry, "/device/qaic", ""))
		return 0;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int node_reports_qaic(const char *node)
{
	struct stat st;
	int fd, ret;

	if (stat(node, &st) != 0 || !S_ISCHR(st.st_mode))
		return 0;
	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ret = qaic_fd_is_qaic(fd);
	close(fd);
	return ret;
}

/*
 * sysfs first: it needs no permission on the node. The node is opened only
 * when sysfs names no driver at all, so other drivers' devices (a GPU's render
 * node) are left alone. qaic's simulated card binds through a platform driver
 * of another name; its attribute directory identifies it.
 */
static int is_qaic(const char *entry, const char *node)
{
	int link = driver_link_is_qaic(entry);

	if (link == 1 || uevent_is_qaic(entry) || attr_dir_exists(entry))
		return 1;
	return link < 0 && node_reports_qaic(node);
}

/* Every device found, before sorting. */
struct found_list {
	struct qaic_device_info *v;
	size_t n, cap;
};

static int found_add(struct found_list *fl, const struct qaic_device_info *info)
{
	if (fl->n == fl->cap) {
		size_t cap = fl->cap ? fl->cap * 2 : 8;
		struct qaic_device_info *v = reallocarray(fl->v, cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		fl->v = v;
		fl->cap = cap;
	}
	fl->v[fl->n++] = *info;
	return 0;
}

static int scan_class(const char *root, const struct node_class *nc, struct found_list *fl)
{
	char dir[QAIC_PATH_MAX];
	struct dirent *de;
	size_t used;
	DIR *d;
	int ret;

	ret = join_path(dir, sizeof(dir), root, nc->class_dir, "");
	if (ret)
		return ret;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;

	while ((de = readdir(d))) {
		struct qaic_device_info info;
		long minor = parse_minor(de->d_name, nc->prefix);

		if (minor < 0)
			continue;
		memset(&info, 0, sizeof(info));
		ret = join_path(info.sysfs, sizeof(info.sysfs), dir, "/", de->d_name);
		if (!ret)
			ret = join_path(info.node, sizeof(info.node), root, nc->dev_dir, "/");
		used = strlen(info.node);
		if (!ret)
			ret = join_path(info.node + used, sizeof(info.node) - used, de->d_name, "", "");
		if (ret)
			break;
		if (!is_qaic(info.sysfs, info.node))
			continue;
		info.minor = (unsigned int)minor;
		info.kind = nc->kind;
		ret = found_add(fl, &info);
		if (ret)
			break;
	}
	closedir(d);
	return ret;
}

static int info_cmp(const void *a, const void *b)
{
	const struct qaic_device_info *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->minor != y->minor)
		return x->minor < y->minor ? -1 : 1;
	return 0;
}

int qaic_device_list_root(const char *root, struct qaic_device_info *out, int max)
{
	struct found_list fl = { NULL, 0, 0 };
	size_t i;
	int ret = 0;

	if (max < 0 || (max > 0 && !out))
		return qaic_fail(EINVAL);
	if (!root)
		root = "";

	for (i = 0; !ret && i < sizeof(node_classes) / sizeof(node_classes[0]); i++)
		ret = scan_class(root, &node_classes[i], &fl);
	if (!ret && fl.n > INT32_MAX)
		ret = -EOVERFLOW;
	if (ret) {
		free(fl.v);
		return qaic_fail(-ret);
	}
	/* readdir order is arbitrary: sort all, then hand out the first max. */
	if (fl.n > 1)
		qsort(fl.v, fl.n, sizeof(*fl.v), info_cmp);
	for (i = 0; i < fl.n && i < (size_t)max; i++)
		out[i] = fl.v[i];
	free(fl.v);
	return (int)fl.n;
}

int qaic_device_list(struct qaic_device_info *out, int max)
{
	return qaic_device_list_root(NULL, out, max);
}

const char *qaic_node_kind_name(enum qaic_node_kind kind)
{
	switch (kind) {
	case QAIC_NODE_ACCEL:
		return "accel";
	case QAIC_NODE_RENDER:
		return "render";
	}
	return "?";
}

/* Longest attribute value read: sysfs shows at most a page. */
#define ATTR_MAX	4096

int qaic_device_attr(const struct qaic_device_info *info, const char *name, char *buf,
		     size_t size)
{
	char path[2 * QAIC_PATH_MAX], val[ATTR_MAX + 1];
	size_t len = 0;
	ssize_t n;
	int fd, ret;

	if (!info || !name || !buf || size == 0 || size > INT32_MAX || !*name ||
	    strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return qaic_fail(EINVAL);
	if (memchr(info->sysfs, '\0', sizeof(info->sysfs)) == NULL)
		return qaic_fail(EINVAL);
	ret = join_path(path, sizeof(path), info->sysfs, "/device/qaic/", name);
	if (ret)
		return qaic_fail(-ret);

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return qaic_fail(errno);
	/* One byte more than the limit, to tell a full page from a longer file. */
	while (len < sizeof(val) && (n = read(fd, val + len, sizeof(val) - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = errno;
			close(fd);
			return qaic_fail(ret);
		}
		len += (size_t)n;
	}
	close(fd);
	if (len > ATTR_MAX)
		return qaic_fail(EOVERFLOW);

	while (len > 0 && (val[len - 1] == '\n' || val[len - 1] == '\r'))
		len--;
	if (len >= size)
		return qaic_fail(EOVERFLOW);
	memcpy(buf, val, len);
	buf[len] = '\0';
	return (int)len;
}
