/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers for the guest test programs (tests/vm/test_*.c): TAP output, finding
 * the card's node and sysfs/debugfs directories, raw MANAGE messages.
 * Raw ioctls on purpose: conformance tests send what libqaic refuses to build.
 */
#ifndef QAIC_TEST_H_
#define QAIC_TEST_H_

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "qaic_accel.h"

static int tap_n;
static int tap_failed;

static inline void tap_result(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	if (ok) {
		printf("ok %d - %s\n", tap_n, name);
	} else {
		tap_failed++;
		printf("not ok %d - %s: ", tap_n, name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	fflush(stdout);
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

/* Read a small sysfs/debugfs file into buf (newline stripped); 0 or -errno. */
static inline int read_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

static inline int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return -errno;
	if (fputs(text, f) < 0)
		ret = -EIO;
	if (fclose(f))
		ret = -errno;
	return ret;
}

/* The card's node (/dev/accel/accelN or /dev/dri/renderDN) and sysfs dir. */
struct test_card {
	char node[300];
	char sysfs[320];	/* .../device/qaic */
	char simfs[256];	/* debugfs of the simulated card */
};

static inline int find_card(struct test_card *c)
{
	static const char *const classes[][2] = {
		{ "/sys/class/accel", "/dev/accel" },
		{ "/sys/class/drm", "/dev/dri" },
	};
	char path[512], drv[256];
	struct dirent *de;
	unsigned int i;
	ssize_t n;
	DIR *d;

	for (i = 0; i < 2; i++) {
		d = opendir(classes[i][0]);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			if (strncmp(de->d_name, "accel", 5) && strncmp(de->d_name, "renderD", 7))
				continue;
			snprintf(path, sizeof(path), "%s/%s/device/driver", classes[i][0],
				 de->d_name);
			n = readlink(path, drv, sizeof(drv) - 1);
			if (n < 0)
				continue;
			drv[n] = '\0';
			if (strcmp(strrchr(drv, '/') + 1, "qaic-sim") &&
			    strcmp(strrchr(drv, '/') + 1, "qaic"))
				continue;
			snprintf(c->node, sizeof(c->node), "%s/%s", classes[i][1], de->d_name);
			snprintf(c->sysfs, sizeof(c->sysfs), "%s/%s/device/qaic", classes[i][0],
				 de->d_name);
			snprintf(c->simfs, sizeof(c->simfs), "/sys/kernel/debug/qaic_sim/card0");
			closedir(d);
			return 0;
		}
		closedir(d);
	}
	return -ENODEV;
}

static inline int card_attr(const struct test_card *c, const char *name, char *buf,
			    size_t len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", c->sysfs, name);
	return read_text(path, buf, len);
}

static inline int sim_fault(const struct test_card *c, const char *name, const char *val)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/fault/%s", c->simfs, name);
	return write_text(path, val);
}

/* Wait up to timeout_ms for the card's state attribute to read @state. */
static inline int wait_state(const struct test_card *c, const char *state, int timeout_ms)
{
	char buf[32];
	int waited;

	for (waited = 0; waited <= timeout_ms; waited += 50) {
		if (!card_attr(c, "state", buf, sizeof(buf)) && !strcmp(buf, state))
			return 0;
		usleep(50000);
	}
	return -ETIMEDOUT;
}

/* A MANAGE message under construction: the uAPI layout, raw. */
struct raw_msg {
	uint8_t buf[QAIC_MANAGE_MAX_MSG_LENGTH];
	uint32_t len;
	uint32_t count;
};

static inline void *raw_add(struct raw_msg *m, uint32_t type, uint32_t len)
{
	struct qaic_manage_trans_hdr *h = (void *)(m->buf + m->len);

	memset(h, 0, len);
	h->type = type;
	h->len = len;
	m->len += len;
	m->count++;
	return h;
}

/* Issue MANAGE; returns 0 or -errno. The reply replaces the message. */
static inline int raw_manage(int fd, struct raw_msg *m)
{
	struct qaic_manage_msg args = {
		.len = m->len, .count = m->count, .data = (uintptr_t)m->buf,
	};

	if (ioctl(fd, DRM_IOCTL_QAIC_MANAGE, &args))
		return -errno;
	m->len = args.len;
	m->count = args.count;
	return 0;
}

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

#endif /* QAIC_TEST_H_ */
