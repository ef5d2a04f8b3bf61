// SPDX-License-Identifier: MIT
/*
 * The data-path calls against a fake kernel: ioctl(2), drmCloseBufferHandle
 * and the PRIME calls are wrapped at link time (--wrap). Bad arguments must
 * fail with -EINVAL before any call reaches the kernel; good ones must pass
 * the uAPI structs as upstream defines them; EAGAIN from EXECUTE and EINTR
 * from WAIT reach the caller. The sim network helper runs against a fake
 * DMA bridge that follows qaic_sim_net.h's contract, so a whole inference
 * (slices, doorbell, "P" semaphore, output check) is exercised on the host.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include "check.h"
#include "qaic.h"
#include "tap.h"

#ifndef __packed
#define __packed __attribute__((packed))
#endif
#include "qaic_sim_net.h"

int __wrap_ioctl(int fd, unsigned long request, ...);
int __wrap_drmCloseBufferHandle(int fd, uint32_t handle);
int __wrap_drmPrimeHandleToFD(int fd, uint32_t handle, uint32_t flags, int *prime_fd);
int __wrap_drmPrimeFDToHandle(int fd, int prime_fd, uint32_t *handle);
drmVersionPtr __wrap_drmGetVersion(int fd);
void __wrap_drmFreeVersion(drmVersionPtr v);

/* ---- the fake kernel ---------------------------------------------------- */

#define MAX_BO		64
#define BO_STRIDE	(1u << 20)	/* BO n lives at n MiB of the node file */
#define NODE_SIZE	((off_t)MAX_BO * BO_STRIDE)

struct fake_bo {
	uint64_t size;
	uint8_t *mem;		/* the kernel's view of the BO's pages */
	int live, sliced;
	uint32_t dir, count;
	struct qaic_attach_slice_entry slices[4];
};

static char node[] = "/tmp/qaic-unit-dp-XXXXXX";
static int node_fd = -1;

static int ioctl_calls, closes, detaches;
static unsigned long last_request;
static int fail_errno;		/* next matching ioctl fails with this */
static unsigned long fail_request;
static int fail_after;		/* ...after this many matching calls succeeded */
static int eintr_once;		/* the next call fails with EINTR, once */

static struct qaic_create_bo seen_create;
static struct qaic_attach_slice seen_attach;
static struct qaic_attach_slice_entry seen_slices[4];
static struct qaic_execute seen_exec;
static struct qaic_execute_entry seen_exec_e[16];
static struct qaic_wait seen_wait;
static struct qaic_perf_stats seen_perf;
static uint32_t seen_prime_flags;

static struct fake_bo bos[MAX_BO];
static uint32_t next_handle;

/* The fake card: one network, its DDR buffers and 32 semaphores. */
static struct qaic_simnet card_net;
static uint8_t *ddr_in, *ddr_out;
static uint32_t sems[32];
static int card_faults;		/* things the real card would hang or fault on */
static int inferences;

static uint8_t *ddr_at(uint64_t addr, uint64_t len)
{
	if (ddr_in && addr >= card_net.input_dev_addr &&
	    addr + len <= card_net.input_dev_addr + card_net.input_bytes)
		return ddr_in + (addr - card_net.input_dev_addr);
	if (ddr_out && addr >= card_net.output_dev_addr &&
	    addr + len <= card_net.output_dev_addr + card_net.output_bytes)
		return ddr_out + (addr - card_net.output_dev_addr);
	card_faults++;
	return NULL;
}

static void run_inference(void)
{
	uint64_t k;

	for (k = 0; k < card_net.output_bytes; k++)
		ddr_out[k] = simnet_out_byte(ddr_in, card_net.input_bytes, k);
	sems[card_net.sem_index]++;
	inferences++;
}

/* One slice as the DMA bridge runs it: presync, transfer, postsync, doorbell. */
static void run_slice(struct fake_bo *bo, const struct qaic_attach_slice_entry *s)
{
	uint8_t *d;

	if (s->sem0.presync && s->sem0.cmd == QAIC_SEM_WAIT_GT_0) {
		if (sems[s->sem0.index] == 0)
			card_faults++;	/* would block the queue forever */
		else
			sems[s->sem0.index]--;
	}
	if (s->size) {
		d = ddr_at(s->dev_addr, s->size);
		if (d && bo->dir == QAIC_DIR_TO_DEV)
			memcpy(d, bo->mem + s->offset, s->size);
		else if (d)
			memcpy(bo->mem + s->offset, d, s->size);
	}
	if (s->db_len == 32 && s->db_addr == SIMNET_DOORBELL_ADDR &&
	    s->db_data == card_net.doorbell)
		run_inference();
	else if (s->db_len)
		card_faults++;
}

static struct fake_bo *bo_of(uint32_t handle)
{
	if (handle == 0 || handle >= MAX_BO || !bos[handle].live)
		return NULL;
	return &bos[handle];
}

static int do_create(struct qaic_create_bo *a)
{
	uint32_t h = ++next_handle;
	void *mem;

	seen_create = *a;
	if (h >= MAX_BO || a->size > BO_STRIDE)
		return ENOMEM;
	mem = mmap(NULL, BO_STRIDE, PROT_READ | PROT_WRITE, MAP_SHARED, node_fd,
		   (off_t)h * BO_STRIDE);
	if (mem == MAP_FAILED)
		return ENOMEM;
	memset(mem, 0, BO_STRIDE);
	bos[h].live = 1;
	bos[h].size = a->size;
	bos[h].mem = mem;
	a->handle = h;
	return 0;
}

static int do_attach(struct qaic_attach_slice *a)
{
	struct fake_bo *bo = bo_of(a->hdr.handle);

	seen_attach = *a;
	if (a->hdr.count <= 4)
		memcpy(seen_slices, (void *)(uintptr_t)a->data, a->hdr.count * sizeof(seen_slices[0]));
	if (!bo)
		return ENOENT;
	if (bo->sliced || a->hdr.count > 4 ||
	    qaic_slice_check(seen_slices, a->hdr.count, bo->size, NULL))
		return EINVAL;
	bo->sliced = 1;
	bo->dir = a->hdr.dir;
	bo->count = a->hdr.count;
	memcpy(bo->slices, seen_slices, sizeof(bo->slices));
	return 0;
}

static int do_execute(struct qaic_execute *a)
{
	const struct qaic_execute_entry *e = (const void *)(uintptr_t)a->data;
	uint32_t i, j;

	seen_exec = *a;
	memcpy(seen_exec_e, e, (a->hdr.count < 16 ? a->hdr.count : 16) * sizeof(*e));
	for (i = 0; i < a->hdr.count; i++)
		if (!bo_of(e[i].handle) || !bo_of(e[i].handle)->sliced)
			return EINVAL;
	for (i = 0; i < a->hdr.count; i++) {
		struct fake_bo *bo = bo_of(e[i].handle);

		for (j = 0; j < bo->count; j++)
			run_slice(bo, &bo->slices[j]);
	}
	return 0;
}

static int fake_kernel(unsigned long request, void *arg)
{
	struct fake_bo *bo;

	switch (request) {
	case DRM_IOCTL_QAIC_CREATE_BO:
		return do_create(arg);
	case DRM_IOCTL_QAIC_MMAP_BO:
		if (!bo_of(((struct qaic_mmap_bo *)arg)->handle))
			return ENOENT;
		((struct qaic_mmap_bo *)arg)->offset =
			(uint64_t)((struct qaic_mmap_bo *)arg)->handle * BO_STRIDE;
		return 0;
	case DRM_IOCTL_QAIC_ATTACH_SLICE_BO:
		return do_attach(arg);
	case DRM_IOCTL_QAIC_DETACH_SLICE_BO:
		bo = bo_of(((struct qaic_detach_slice *)arg)->handle);
		if (!bo || !bo->sliced)
			return EINVAL;
		bo->sliced = 0;
		detaches++;
		return 0;
	case DRM_IOCTL_QAIC_EXECUTE_BO:
	case DRM_IOCTL_QAIC_PARTIAL_EXECUTE_BO:
		return do_execute(arg);
	case DRM_IOCTL_QAIC_WAIT_BO:
		seen_wait = *(struct qaic_wait *)arg;
		return bo_of(seen_wait.handle) ? 0 : ENOENT;
	case DRM_IOCTL_QAIC_PERF_STATS_BO:
		seen_perf = *(struct qaic_perf_stats *)arg;
		return 0;
	}
	return ENOTTY;
}

int __wrap_ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;
	int err;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	(void)fd;
	ioctl_calls++;
	last_request = request;
	if (eintr_once) {
		eintr_once = 0;
		errno = EINTR;
		return -1;
	}
	if (fail_errno && request == fail_request && fail_after-- <= 0) {
		err = fail_errno;
		fail_errno = 0;
		errno = err;
		return -1;
	}
	err = fake_kernel(request, arg);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int __wrap_drmCloseBufferHandle(int fd, uint32_t handle)
{
	struct fake_bo *bo = bo_of(handle);

	(void)fd;
	ioctl_calls++;
	if (!bo) {
		errno = EINVAL;
		return -1;
	}
	munmap(bo->mem, BO_STRIDE);
	memset(bo, 0, sizeof(*bo));
	closes++;
	return 0;
}

int __wrap_drmPrimeHandleToFD(int fd, uint32_t handle, uint32_t flags, int *prime_fd)
{
	(void)fd;
	ioctl_calls++;
	seen_prime_flags = flags;
	if (!bo_of(handle)) {
		errno = ENOENT;
		return -1;
	}
	*prime_fd = 100 + (int)handle;
	return 0;
}

int __wrap_drmPrimeFDToHandle(int fd, int prime_fd, uint32_t *handle)
{
	(void)fd;
	ioctl_calls++;
	if (prime_fd < 100) {
		errno = EBADF;
		return -1;
	}
	*handle = (uint32_t)(prime_fd - 100);
	return 0;
}

drmVersionPtr __wrap_drmGetVersion(int fd)
{
	drmVersionPtr v = calloc(1, sizeof(*v));

	(void)fd;
	if (!v)
		return NULL;
	v->name = strdup("qaic");
	v->name_len = 4;
	return v;
}

void __wrap_drmFreeVersion(drmVersionPtr v)
{
	if (!v)
		return;
	free(v->name);
	free(v);
}

/* ---- fixtures ----------------------------------------------------------- */

static int suite_init(void)
{
	node_fd = mkstemp(node);
	return node_fd < 0 || ftruncate(node_fd, NODE_SIZE) ? -1 : 0;
}

static int suite_cleanup(void)
{
	close(node_fd);
	return unlink(node);
}

static void reset(void)
{
	uint32_t h;

	for (h = 1; h < MAX_BO; h++)
		if (bos[h].live)
			munmap(bos[h].mem, BO_STRIDE);
	memset(bos, 0, sizeof(bos));
	next_handle = 0;
	ioctl_calls = closes = detaches = 0;
	fail_errno = 0;
	fail_after = 0;
	eintr_once = 0;
	card_faults = inferences = 0;
	memset(sems, 0, sizeof(sems));
	free(ddr_in);
	free(ddr_out);
	ddr_in = ddr_out = NULL;
}

static struct qaic_dev *open_fake(void)
{
	struct qaic_dev *dev = NULL;

	CHECK_OK(qaic_open(node, &dev));
	CU_ASSERT_PTR_NOT_NULL_FATAL(dev);
	ioctl_calls = 0;
	return dev;
}

static void fail_next(unsigned long request, int err, int after)
{
	fail_request = request;
	fail_errno = err;
	fail_after = after;
}

/* ---- argument checks ---------------------------------------------------- */

static void test_bad_arguments_make_no_call(void)
{
	struct qaic_dev *dev = open_fake();
	struct qaic_attach_slice_entry sl;
	struct qaic_execute_entry ex = { 1, QAIC_DIR_TO_DEV };
	struct qaic_partial_execute_entry pex = { 1, QAIC_DIR_TO_DEV, 0 };
	struct qaic_perf_stats_entry ps;
	uint32_t h;
	void *p = &p;
	int fd = 5;

	qaic_slice_init(&sl, 0, 4096, 0);
	CHECK_ERR(qaic_bo_create(NULL, 4096, &h), EINVAL);
	CHECK_ERR(qaic_bo_create(dev, 0, &h), EINVAL);
	CHECK_ERR(qaic_bo_create(dev, 4096, NULL), EINVAL);
	CHECK_ERR(qaic_bo_mmap(NULL, 1, 4096, &p), EINVAL);
	CU_ASSERT_PTR_NULL(p);
	CHECK_ERR(qaic_bo_mmap(dev, 1, 0, &p), EINVAL);
	CHECK_ERR(qaic_bo_mmap(dev, 1, 4096, NULL), EINVAL);
	CHECK_ERR(qaic_bo_munmap(NULL, 4096), EINVAL);
	CHECK_ERR(qaic_bo_munmap(&h, 0), EINVAL);
	CHECK_ERR(qaic_bo_close(NULL, 1), EINVAL);
	CHECK_ERR(qaic_bo_export(NULL, 1, &fd), EINVAL);
	CHECK_EQ(fd, -1);
	CHECK_ERR(qaic_bo_export(dev, 1, NULL), EINVAL);
	CHECK_ERR(qaic_bo_import(NULL, 3, &h), EINVAL);
	CHECK_ERR(qaic_bo_import(dev, -1, &h), EINVAL);
	CHECK_ERR(qaic_bo_import(dev, 3, NULL), EINVAL);
	CHECK_ERR(qaic_bo_attach(NULL, 1, 0, QAIC_DIR_TO_DEV, &sl, 1), EINVAL);
	CHECK_ERR(qaic_bo_attach(dev, 1, 0, QAIC_DIR_TO_DEV, NULL, 1), EINVAL);
	CHECK_ERR(qaic_bo_attach(dev, 1, 0, QAIC_DIR_TO_DEV, &sl, 0), EINVAL);
	CHECK_ERR(qaic_bo_attach(dev, 1, 0, (enum qaic_dir)0, &sl, 1), EINVAL);
	CHECK_ERR(qaic_bo_attach(dev, 1, 0, (enum qaic_dir)3, &sl, 1), EINVAL);
	CHECK_ERR(qaic_bo_detach(NULL, 1), EINVAL);
	CHECK_ERR(qaic_execute(NULL, 0, &ex, 1), EINVAL);
	CHECK_ERR(qaic_execute(dev, 0, NULL, 1), EINVAL);
	CHECK_ERR(qaic_execute(dev, 0, &ex, 0), EINVAL);
	ex.dir = 0;
	CHECK_ERR(qaic_execute(dev, 0, &ex, 1), EINVAL);
	CHECK_ERR(qaic_partial_execute(NULL, 0, &pex, 1), EINVAL);
	CHECK_ERR(qaic_partial_execute(dev, 0, NULL, 1), EINVAL);
	CHECK_ERR(qaic_partial_execute(dev, 0, &pex, 0), EINVAL);
	pex.dir = 7;
	CHECK_ERR(qaic_partial_execute(dev, 0, &pex, 1), EINVAL);
	CHECK_ERR(qaic_wait(NULL, 0, 1, 0), EINVAL);
	CHECK_ERR(qaic_perf_stats(NULL, 0, &ps, 1), EINVAL);
	CHECK_ERR(qaic_perf_stats(dev, 0, NULL, 1), EINVAL);
	CHECK_ERR(qaic_perf_stats(dev, 0, &ps, 0), EINVAL);
	CHECK_EQ(ioctl_calls, 0);
	qaic_close(dev);
}

static void test_simnet_io_bad_arguments_make_no_call(void)
{
	struct qaic_dev *dev = open_fake();
	struct qaic_simnet n;
	struct qaic_simnet_io *io = (struct qaic_simnet_io *)&n;
	uint32_t s = 0;

	memset(&n, 0, sizeof(n));
	n.nsp_count = 1;
	n.input_bytes = n.output_bytes = 64;
	CHECK_ERR(qaic_simnet_io_create(NULL, &n, 0, 1, &io), EINVAL);
	CU_ASSERT_PTR_NULL(io);
	CHECK_ERR(qaic_simnet_io_create(dev, NULL, 0, 1, &io), EINVAL);
	CHECK_ERR(qaic_simnet_io_create(dev, &n, 0, 1, NULL), EINVAL);
	CHECK_ERR(qaic_simnet_io_create(dev, &n, 0, 0, &io), EINVAL);
	CHECK_ERR(qaic_simnet_io_create(dev, &n, 0, QAIC_SIMNET_IO_MAX_SLOTS + 1, &io), EINVAL);
	n.output_bytes = 0;
	CHECK_ERR(qaic_simnet_io_create(dev, &n, 0, 1, &io), EINVAL);
	CHECK_ERR(qaic_simnet_io_slots(NULL), EINVAL);
	CU_ASSERT_PTR_NULL(qaic_simnet_io_input(NULL, 0));
	CU_ASSERT_PTR_NULL(qaic_simnet_io_output(NULL, 0));
	CHECK_ERR(qaic_simnet_io_handles(NULL, 0, &s, &s), EINVAL);
	CHECK_ERR(qaic_simnet_io_fill(NULL, 0, 1), EINVAL);
	CHECK_ERR(qaic_simnet_io_submit(NULL, &s, 1), EINVAL);
	CHECK_ERR(qaic_simnet_io_wait(NULL, 0, 0), EINVAL);
	CHECK_ERR(qaic_simnet_io_verify(NULL, 0, NULL), EINVAL);
	qaic_simnet_io_destroy(NULL);
	CHECK_EQ(ioctl_calls, 0);
	qaic_close(dev);
}

/* ---- what reaches the kernel -------------------------------------------- */

static void test_create_mmap_close(void)
{
	struct qaic_dev *dev = open_fake();
	uint32_t h = 0;
	uint8_t byte = 0;
	void *p = NULL;

	CHECK_OK(qaic_bo_create(dev, 10000, &h));
	CHECK_EQ(seen_create.size, 10000);
	CHECK_EQ(seen_create.pad, 0);
	CHECK_EQ(h, 1);
	CHECK_OK(qaic_bo_mmap(dev, h, 10000, &p));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	((uint8_t *)p)[9999] = 0x5c;		/* lands in the BO's pages */
	CHECK_EQ(bos[h].mem[9999], 0x5c);
	CU_ASSERT(pread(node_fd, &byte, 1, (off_t)h * BO_STRIDE + 9999) == 1);
	CHECK_EQ(byte, 0x5c);
	CHECK_OK(qaic_bo_munmap(p, 10000));

	CHECK_ERR(qaic_bo_mmap(dev, 42, 4096, &p), ENOENT);
	CU_ASSERT_PTR_NULL(p);
	fail_next(DRM_IOCTL_QAIC_CREATE_BO, ENOMEM, 0);
	CHECK_ERR(qaic_bo_create(dev, 4096, &h), ENOMEM);
	CHECK_EQ(h, 1);				/* untouched on error */

	CHECK_OK(qaic_bo_close(dev, 1));
	CHECK_EQ(closes, 1);
	CHECK_ERR(qaic_bo_close(dev, 1), EINVAL);
	qaic_close(dev);
}

static void test_prime_export_import(void)
{
	struct qaic_dev *dev = open_fake();
	uint32_t h = 0, back = 0;
	int fd = -1;

	CHECK_OK(qaic_bo_create(dev, 4096, &h));
	CHECK_OK(qaic_bo_export(dev, h, &fd));
	CHECK_EQ(fd, 100 + (int)h);
	CHECK_EQ(seen_prime_flags, DRM_CLOEXEC | DRM_RDWR);
	CHECK_OK(qaic_bo_import(dev, fd, &back));
	CHECK_EQ(back, h);
	CHECK_ERR(qaic_bo_export(dev, 33, &fd), ENOENT);
	CHECK_EQ(fd, -1);
	CHECK_ERR(qaic_bo_import(dev, 7, &back), EBADF);
	qaic_close(dev);
}

static void test_attach_detach_pass_the_uapi_structs(void)
{
	struct qaic_dev *dev = open_fake();
	struct qaic_attach_slice_entry sl[2];
	uint32_t h;

	CHECK_OK(qaic_bo_create(dev, 8192, &h));
	qaic_slice_init(&sl[0], 0, 4096, 0x1000);
	qaic_slice_sem(&sl[0], QAIC_SEM_PRESYNC, QAIC_SEM_WAIT_GT_0, 3, 0, 0);
	qaic_slice_init(&sl[1], 4096, 4096, 0x2000);
	qaic_slice_doorbell(&sl[1], 0x40, 9, 32);
	CHECK_OK(qaic_bo_attach(dev, h, 5, QAIC_DIR_FROM_DEV, sl, 2));
	CHECK_EQ(last_request, DRM_IOCTL_QAIC_ATTACH_SLICE_BO);
	CHECK_EQ(seen_attach.hdr.count, 2);
	CHECK_EQ(seen_attach.hdr.dbc_id, 5);
	CHECK_EQ(seen_attach.hdr.handle, h);
	CHECK_EQ(seen_attach.hdr.dir, 2);
	CHECK_EQ(seen_attach.hdr.size, 0);
	CHECK_EQ(seen_attach.data, (uintptr_t)sl);
	CHECK_MEM(seen_slices, sl, sizeof(sl));
	CHECK_ERR(qaic_bo_attach(dev, h, 5, QAIC_DIR_FROM_DEV, sl, 2), EINVAL);	/* sliced */
	CHECK_OK(qaic_bo_detach(dev, h));
	CHECK_EQ(detaches, 1);
	CHECK_ERR(qaic_bo_detach(dev, h), EINVAL);
	qaic_close(dev);
}

static void test_execute_surfaces_eagain_and_restarts_eintr(void)
{
	struct qaic_dev *dev = open_fake();
	struct qaic_attach_slice_entry sl;
	struct qaic_execute_entry ex[1];
	struct qaic_partial_execute_entry pex[1];
	uint32_t h;

	CHECK_OK(qaic_bo_create(dev, 4096, &h));
	qaic_slice_init(&sl, 0, 0, 0);	/* no transfer: the fake card ignores it */
	CHECK_OK(qaic_bo_attach(dev, h, 2, QAIC_DIR_TO_DEV, &sl, 1));
	ex[0].handle = h;
	ex[0].dir = QAIC_DIR_TO_DEV;
	ioctl_calls = 0;
	CHECK_OK(qaic_execute(dev, 2, ex, 1));
	CHECK_EQ(last_request, DRM_IOCTL_QAIC_EXECUTE_BO);
	CHECK_EQ(seen_exec.hdr.count, 1);
	CHECK_EQ(seen_exec.hdr.dbc_id, 2);
	CHECK_EQ(seen_exec.data, (uintptr_t)ex);

	ioctl_calls = 0;
	fail_next(DRM_IOCTL_QAIC_EXECUTE_BO, EAGAIN, 0);
	CHECK_ERR(qaic_execute(dev, 2, ex, 1), EAGAIN);
	CHECK_EQ(ioctl_calls, 1);		/* not retried, unlike drmIoctl */

	ioctl_calls = 0;
	eintr_once = 1;
	CHECK_OK(qaic_execute(dev, 2, ex, 1));
	CHECK_EQ(ioctl_calls, 2);		/* EINTR: nothing queued, so again */

	pex[0].handle = h;
	pex[0].dir = QAIC_DIR_TO_DEV;
	pex[0].resize = 100;
	CHECK_OK(qaic_partial_execute(dev, 2, pex, 1));
	CHECK_EQ(last_request, DRM_IOCTL_QAIC_PARTIAL_EXECUTE_BO);
	CHECK_EQ(seen_exec.data, (uintptr_t)pex);
	qaic_close(dev);
}

static void test_wait_passes_eintr_and_timeout(void)
{
	struct qaic_dev *dev = open_fake();
	uint32_t h;

	CHECK_OK(qaic_bo_create(dev, 4096, &h));
	CHECK_OK(qaic_wait(dev, 3, h, 250));
	CHECK_EQ(seen_wait.handle, h);
	CHECK_EQ(seen_wait.dbc_id, 3);
	CHECK_EQ(seen_wait.timeout, 250);
	CHECK_EQ(seen_wait.pad, 0);

	ioctl_calls = 0;
	eintr_once = 1;
	CHECK_ERR(qaic_wait(dev, 3, h, 0), EINTR);
	CHECK_EQ(ioctl_calls, 1);		/* a signal stops the wait */
	fail_next(DRM_IOCTL_QAIC_WAIT_BO, ETIMEDOUT, 0);
	CHECK_ERR(qaic_wait(dev, 3, h, 1), ETIMEDOUT);
	CHECK_ERR(qaic_wait(dev, 3, 60, 1), ENOENT);
	qaic_close(dev);
}

static void test_perf_stats_zeroes_padding(void)
{
	struct qaic_dev *dev = open_fake();
	struct qaic_perf_stats_entry e[2];

	memset(e, 0xff, sizeof(e));
	e[0].handle = 4;
	e[1].handle = 5;
	CHECK_OK(qaic_perf_stats(dev, 6, e, 2));
	CHECK_EQ(seen_perf.hdr.count, 2);
	CHECK_EQ(seen_perf.hdr.dbc_id, 6);
	CHECK_EQ(seen_perf.hdr.pad, 0);
	CHECK_EQ(seen_perf.data, (uintptr_t)e);
	CHECK_EQ(e[0].pad | e[1].pad, 0);
	CHECK_EQ(e[1].handle, 5);
	qaic_close(dev);
}

/* ---- the sim network helper on the fake card ------------------------------ */

static struct qaic_simnet card_setup(uint64_t in, uint64_t out)
{
	struct qaic_simnet n;

	memset(&n, 0, sizeof(n));
	n.net_id = 3;
	n.nsp_count = 1;
	n.input_bytes = in;
	n.output_bytes = out;
	n.sem_index = 4;
	n.doorbell = 0x77;
	CU_ASSERT(qaic_simnet_place(&n, 1) == 0);
	card_net = n;
	ddr_in = calloc(1, in);
	ddr_out = calloc(1, out);
	return n;
}

static void test_simnet_io_runs_inferences(void)
{
	struct qaic_simnet n = card_setup(5000, 9000);	/* output: two slices */
	struct qaic_dev *dev = open_fake();
	struct qaic_simnet_io *io = NULL;
	uint32_t order[2] = { 2, 0 }, in_h, out_h, s;
	uint64_t bad = 0;

	CHECK_OK(qaic_simnet_io_create(dev, &n, 7, 3, &io));
	CU_ASSERT_PTR_NOT_NULL_FATAL(io);
	CHECK_RET(qaic_simnet_io_slots(io), 3);
	CHECK_EQ(next_handle, 6);
	CHECK_OK(qaic_simnet_io_handles(io, 2, &in_h, &out_h));
	CHECK_EQ(bos[in_h].dir, QAIC_DIR_TO_DEV);
	CHECK_EQ(bos[in_h].count, 1);
	CHECK_EQ(bos[out_h].dir, QAIC_DIR_FROM_DEV);
	CHECK_EQ(bos[out_h].count, 2);
	CHECK_EQ(seen_attach.hdr.dbc_id, 7);

	for (s = 0; s < 3; s++)
		CHECK_OK(qaic_simnet_io_fill(io, s, 1000 + s));
	CU_ASSERT(memcmp(qaic_simnet_io_input(io, 0), qaic_simnet_io_input(io, 2), 5000) != 0);
	CHECK_OK(qaic_simnet_io_submit(io, order, 2));
	CHECK_EQ(seen_exec.hdr.count, 4);
	CHECK_EQ(seen_exec.hdr.dbc_id, 7);
	CHECK_EQ(seen_exec_e[0].handle, in_h);
	CHECK_EQ(seen_exec_e[0].dir, QAIC_DIR_TO_DEV);
	CHECK_EQ(seen_exec_e[1].handle, out_h);
	CHECK_EQ(seen_exec_e[1].dir, QAIC_DIR_FROM_DEV);
	CHECK_EQ(inferences, 2);
	CHECK_EQ(card_faults, 0);
	CHECK_EQ(sems[4], 0);			/* each "P" consumed its inference */

	CHECK_OK(qaic_simnet_io_wait(io, 2, 100));
	CHECK_EQ(seen_wait.handle, in_h);	/* output first, then input */
	CHECK_OK(qaic_simnet_io_verify(io, 2, &bad));
	CHECK_OK(qaic_simnet_io_verify(io, 0, &bad));
	CHECK_ERR(qaic_simnet_io_verify(io, 1, &bad), EBADMSG);	/* never ran */
	CHECK_EQ(bad, 0);

	qaic_simnet_io_output(io, 0)[8999] ^= 0x10;
	CHECK_ERR(qaic_simnet_io_verify(io, 0, &bad), EBADMSG);
	CHECK_EQ(bad, 8999);

	qaic_simnet_io_destroy(io);
	CHECK_EQ(detaches, 6);
	CHECK_EQ(closes, 6);
	qaic_close(dev);
}

static void test_simnet_io_submit_checks_slots(void)
{
	struct qaic_simnet n = card_setup(64, 64);
	struct qaic_dev *dev = open_fake();
	struct qaic_simnet_io *io = NULL;
	uint32_t dup[2] = { 1, 1 }, out_of_range[1] = { 2 };

	CHECK_OK(qaic_simnet_io_create(dev, &n, 0, 2, &io));
	CU_ASSERT_PTR_NOT_NULL_FATAL(io);
	ioctl_calls = 0;
	CHECK_ERR(qaic_simnet_io_submit(io, dup, 2), EINVAL);
	CHECK_ERR(qaic_simnet_io_submit(io, out_of_range, 1), EINVAL);
	CHECK_ERR(qaic_simnet_io_submit(io, dup, 3), EINVAL);	/* more than slots */
	CHECK_ERR(qaic_simnet_io_submit(io, NULL, 1), EINVAL);
	CHECK_ERR(qaic_simnet_io_submit(io, dup, 0), EINVAL);
	CHECK_ERR(qaic_simnet_io_fill(io, 2, 0), EINVAL);
	CHECK_ERR(qaic_simnet_io_wait(io, 2, 0), EINVAL);
	CU_ASSERT_PTR_NULL(qaic_simnet_io_input(io, 2));
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(ioctl_calls, 0);
	fail_next(DRM_IOCTL_QAIC_EXECUTE_BO, EAGAIN, 0);
	CHECK_ERR(qaic_simnet_io_submit(io, dup, 1), EAGAIN);
	qaic_simnet_io_destroy(io);
	qaic_close(dev);
}

static void test_simnet_io_create_unwinds(void)
{
	struct qaic_simnet n = card_setup(64, 64);
	struct qaic_dev *dev = open_fake();
	struct qaic_simnet_io *io = (struct qaic_simnet_io *)&n;

	/* the third attach (the second slot's input) fails */
	fail_next(DRM_IOCTL_QAIC_ATTACH_SLICE_BO, ENOSPC, 2);
	CHECK_ERR(qaic_simnet_io_create(dev, &n, 0, 4, &io), ENOSPC);
	CU_ASSERT_PTR_NULL(io);
	CHECK_EQ(next_handle, 4);
	CHECK_EQ(closes, 4);
	CHECK_EQ(detaches, 2);

	reset();
	n = card_setup(64, 64);
	fail_next(DRM_IOCTL_QAIC_CREATE_BO, ENOMEM, 1);	/* the first output BO */
	CHECK_ERR(qaic_simnet_io_create(dev, &n, 0, 1, &io), ENOMEM);
	CHECK_EQ(closes, 1);
	CHECK_EQ(detaches, 0);
	qaic_close(dev);
}

static CU_TestInfo tests[] = {
	{ "bad arguments: -EINVAL, no call reaches the kernel", test_bad_arguments_make_no_call },
	{ "simnet io bad arguments: -EINVAL, no call", test_simnet_io_bad_arguments_make_no_call },
	{ "create, mmap (the BO's pages), close", test_create_mmap_close },
	{ "PRIME export and import through libdrm", test_prime_export_import },
	{ "attach and detach pass the uAPI structs", test_attach_detach_pass_the_uapi_structs },
	{ "execute: EAGAIN reaches the caller, EINTR is restarted",
	  test_execute_surfaces_eagain_and_restarts_eintr },
	{ "wait: EINTR and ETIMEDOUT reach the caller", test_wait_passes_eintr_and_timeout },
	{ "perf stats: header and zeroed padding", test_perf_stats_zeroes_padding },
	{ "simnet io runs inferences on a fake DMA bridge", test_simnet_io_runs_inferences },
	{ "simnet io submit checks its slots", test_simnet_io_submit_checks_slots },
	{ "simnet io create unwinds on error", test_simnet_io_create_unwinds },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "datapath", suite_init, suite_cleanup, reset, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
