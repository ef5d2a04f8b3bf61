/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers for the guest test programs (tests/vm/test_*.c): TAP output, finding
 * the card's node and sysfs/debugfs directories, raw MANAGE messages, raw
 * data-path ioctls (BOs, slices, execute, wait) and a sim network's BOs.
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
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "qaic_accel.h"
#include "qaic_sim_net.h"

/* qaic_attach_slice_hdr.dir: the kernel's enum dma_data_direction values. */
#define BO_TO_DEV	1
#define BO_FROM_DEV	2

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

/* Print a file as "# " diagnostics (at most max_lines lines). */
static inline void diag_file(const char *path, int max_lines)
{
	char line[512];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	printf("# %s:\n", path);
	while (max_lines-- > 0 && fgets(line, sizeof(line), f))
		printf("#   %s", line);
	fclose(f);
}

/* The driver's and the sim's view of DBC dbc, for a request that never completed. */
static inline void diag_dbc(const struct test_card *c, int dbc)
{
	char path[512];
	DIR *d = opendir("/sys/kernel/debug/qaic");
	struct dirent *de;

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/debug/qaic/%s/dbc%d", de->d_name, dbc);
		diag_file(path, 40);
	}
	if (d)
		closedir(d);
	snprintf(path, sizeof(path), "%s/dbc", c->simfs);
	diag_file(path, 80);
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

/*
 * Workloads, raw: ACTIVATE a DBC with queue_size-element queues (the DBC id,
 * or -errno; -ECANCELED when the device refuses) and DEACTIVATE it.
 */
static inline int dbc_activate(int fd, uint32_t queue_size)
{
	struct qaic_manage_trans_activate_from_dev *r;
	struct qaic_manage_trans_activate_to_dev *a;
	struct raw_msg m = { 0 };
	int ret;

	a = raw_add(&m, QAIC_TRANS_ACTIVATE_FROM_USR, sizeof(*a));
	a->queue_size = queue_size;
	ret = raw_manage(fd, &m);
	if (ret)
		return ret;
	r = (void *)m.buf;
	if (m.count != 1 || r->hdr.type != QAIC_TRANS_ACTIVATE_FROM_DEV || r->status)
		return -EBADMSG;
	return r->dbc_id;
}

static inline int dbc_deactivate(int fd, uint32_t dbc)
{
	struct qaic_manage_trans_deactivate *d;
	struct raw_msg m = { 0 };

	d = raw_add(&m, QAIC_TRANS_DEACTIVATE_FROM_USR, sizeof(*d));
	d->dbc_id = dbc;
	return raw_manage(fd, &m);
}

/*
 * Data-path ioctls, raw: each returns 0 or -errno. Plain ioctl(2), never
 * drmIoctl(), which retries on EINTR and EAGAIN and so would hide exactly
 * the results a conformance test looks for (and spin on a full ring).
 */
static inline int bo_create(int fd, uint64_t size, uint32_t *handle)
{
	struct qaic_create_bo args = { .size = size };

	if (ioctl(fd, DRM_IOCTL_QAIC_CREATE_BO, &args))
		return -errno;
	*handle = args.handle;
	return 0;
}

static inline int bo_close(int fd, uint32_t handle)
{
	struct drm_gem_close args = { .handle = handle };

	return ioctl(fd, DRM_IOCTL_GEM_CLOSE, &args) ? -errno : 0;
}

/* MMAP_BO then mmap(2) of size bytes; NULL with errno set on failure. */
static inline void *bo_map(int fd, uint32_t handle, size_t size)
{
	struct qaic_mmap_bo args = { .handle = handle };
	void *p;

	if (ioctl(fd, DRM_IOCTL_QAIC_MMAP_BO, &args))
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, args.offset);
	return p == MAP_FAILED ? NULL : p;
}

/* One slice that moves size bytes at BO offset to/from device address dev. */
static inline struct qaic_attach_slice_entry slice_at(uint64_t offset, uint64_t size,
						      uint64_t dev)
{
	struct qaic_attach_slice_entry e;

	memset(&e, 0, sizeof(e));
	e.offset = offset;
	e.size = size;
	e.dev_addr = dev;
	return e;
}

static inline int bo_attach(int fd, uint32_t handle, uint32_t dbc, uint32_t dir,
			    const struct qaic_attach_slice_entry *ents, uint32_t count)
{
	struct qaic_attach_slice args = {
		.hdr = { .count = count, .dbc_id = dbc, .handle = handle, .dir = dir },
		.data = (uintptr_t)ents,
	};

	return ioctl(fd, DRM_IOCTL_QAIC_ATTACH_SLICE_BO, &args) ? -errno : 0;
}

static inline int bo_detach(int fd, uint32_t handle)
{
	struct qaic_detach_slice args = { .handle = handle };

	return ioctl(fd, DRM_IOCTL_QAIC_DETACH_SLICE_BO, &args) ? -errno : 0;
}

/* EXECUTE_BO of count BOs; dir of each entry is informational (upstream ignores it). */
static inline int bo_execute(int fd, uint32_t dbc, const uint32_t *handles, uint32_t count)
{
	struct qaic_execute_entry ents[16];
	struct qaic_execute args = { .hdr = { .count = count, .dbc_id = dbc } };
	uint32_t i;

	if (count > 16)
		return -E2BIG;
	for (i = 0; i < count; i++)
		ents[i] = (struct qaic_execute_entry){ .handle = handles[i] };
	args.data = (uintptr_t)ents;
	return ioctl(fd, DRM_IOCTL_QAIC_EXECUTE_BO, &args) ? -errno : 0;
}

static inline int bo_execute1(int fd, uint32_t dbc, uint32_t handle)
{
	return bo_execute(fd, dbc, &handle, 1);
}

static inline int bo_partial1(int fd, uint32_t dbc, uint32_t handle, uint64_t resize)
{
	struct qaic_partial_execute_entry ent = { .handle = handle, .resize = resize };
	struct qaic_execute args = {
		.hdr = { .count = 1, .dbc_id = dbc }, .data = (uintptr_t)&ent,
	};

	return ioctl(fd, DRM_IOCTL_QAIC_PARTIAL_EXECUTE_BO, &args) ? -errno : 0;
}

/* WAIT_BO; timeout_ms 0 means the driver's default. */
static inline int bo_wait(int fd, uint32_t dbc, uint32_t handle, uint32_t timeout_ms)
{
	struct qaic_wait args = { .handle = handle, .timeout = timeout_ms, .dbc_id = dbc };

	return ioctl(fd, DRM_IOCTL_QAIC_WAIT_BO, &args) ? -errno : 0;
}

static inline int bo_perf(int fd, uint32_t dbc, struct qaic_perf_stats_entry *ents,
			  uint16_t count)
{
	struct qaic_perf_stats args = {
		.hdr = { .count = count, .dbc_id = dbc }, .data = (uintptr_t)ents,
	};

	return ioctl(fd, DRM_IOCTL_QAIC_PERF_STATS_BO, &args) ? -errno : 0;
}

/*
 * A sim network's input and output BOs (qaic_sim_net.h's convention): the
 * input slice carries in_bytes TO_DEV to in_dev and rings the network's
 * doorbell on its last element; the output BO's first request element waits
 * on semaphore sem (presync QAIC_SEM_WAIT_GT_0: wait for > 0, then
 * decrement), which the inference increments when done, then out_bytes come
 * FROM_DEV from out_dev. The kernel repeats a slice's presync on each of its
 * elements, and the wait must run once per inference, so an output of more
 * than a page is two slices: the first page with the wait, the rest without.
 */
#define NET_PAGE	4096

struct net_bos {
	uint32_t dbc;
	uint32_t in_h, out_h;
	uint8_t *in, *out;
	uint64_t in_bytes, out_bytes;
};

struct net_shape {
	uint64_t in_bytes, out_bytes;
	uint64_t in_dev, out_dev;
	uint32_t sem, doorbell;
};

static inline struct qaic_attach_slice_entry net_in_slice(const struct net_shape *s)
{
	struct qaic_attach_slice_entry e = slice_at(0, s->in_bytes, s->in_dev);

	e.db_addr = SIMNET_DOORBELL_ADDR;
	e.db_data = s->doorbell;
	e.db_len = 32;
	return e;
}

/* Fills out[0..1]; returns how many slices the output BO has. */
static inline uint32_t net_out_slices(const struct net_shape *s,
				      struct qaic_attach_slice_entry out[2])
{
	uint64_t first = s->out_bytes < NET_PAGE ? s->out_bytes : NET_PAGE;

	out[0] = slice_at(0, first, s->out_dev);
	out[0].sem0.cmd = QAIC_SEM_WAIT_GT_0;
	out[0].sem0.index = s->sem;
	out[0].sem0.presync = 1;
	if (s->out_bytes == first)
		return 1;
	out[1] = slice_at(first, s->out_bytes - first, s->out_dev + first);
	return 2;
}

/* Create, map and slice both BOs on dbc; 0 or -errno (nothing left behind). */
static inline int net_bos_setup(int fd, uint32_t dbc, const struct net_shape *s,
				struct net_bos *b)
{
	struct qaic_attach_slice_entry in = net_in_slice(s), out[2];
	uint32_t nout = net_out_slices(s, out);
	int ret;

	memset(b, 0, sizeof(*b));
	b->dbc = dbc;
	b->in_bytes = s->in_bytes;
	b->out_bytes = s->out_bytes;
	ret = bo_create(fd, s->in_bytes, &b->in_h);
	if (ret)
		return ret;
	ret = bo_create(fd, s->out_bytes, &b->out_h);
	if (ret)
		goto close_in;
	b->in = bo_map(fd, b->in_h, s->in_bytes);
	b->out = bo_map(fd, b->out_h, s->out_bytes);
	if (!b->in || !b->out) {
		ret = -errno;
		goto unmap;
	}
	ret = bo_attach(fd, b->in_h, dbc, BO_TO_DEV, &in, 1);
	if (ret)
		goto unmap;
	ret = bo_attach(fd, b->out_h, dbc, BO_FROM_DEV, out, nout);
	if (ret)
		goto unmap;
	return 0;

unmap:
	if (b->in)
		munmap(b->in, s->in_bytes);
	if (b->out)
		munmap(b->out, s->out_bytes);
	bo_close(fd, b->out_h);
close_in:
	bo_close(fd, b->in_h);
	memset(b, 0, sizeof(*b));
	return ret;
}

static inline void net_bos_free(int fd, struct net_bos *b)
{
	if (b->in)
		munmap(b->in, b->in_bytes);
	if (b->out)
		munmap(b->out, b->out_bytes);
	if (b->in_h)
		bo_close(fd, b->in_h);
	if (b->out_h)
		bo_close(fd, b->out_h);
	memset(b, 0, sizeof(*b));
}

/* Count of output bytes that differ from the network's transform of in. */
static inline uint64_t net_out_mismatches(const uint8_t *in, uint64_t in_bytes,
					  const uint8_t *out, uint64_t out_bytes,
					  uint64_t *first_bad)
{
	uint64_t k, bad = 0;

	for (k = 0; k < out_bytes; k++) {
		if (out[k] == simnet_out_byte(in, in_bytes, k))
			continue;
		if (!bad++ && first_bad)
			*first_bad = k;
	}
	return bad;
}

#endif /* QAIC_TEST_H_ */
