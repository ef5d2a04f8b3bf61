// SPDX-License-Identifier: MIT
/* The fake driver and card of fake_card.h. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include "fake_card.h"

#ifndef __packed
#define __packed __attribute__((packed))
#endif
#include "qaic_sim_net.h"

int __wrap_ioctl(int fd, unsigned long request, ...);
int __wrap_drmIoctl(int fd, unsigned long request, void *arg);
int __wrap_drmCloseBufferHandle(int fd, uint32_t handle);
int __wrap_drmPrimeHandleToFD(int fd, uint32_t handle, uint32_t flags, int *prime_fd);
int __wrap_drmPrimeFDToHandle(int fd, int prime_fd, uint32_t *handle);
drmVersionPtr __wrap_drmGetVersion(int fd);
void __wrap_drmFreeVersion(drmVersionPtr v);

/*
 * Forked clients (qaic-run's processes) share the node file: each process
 * gets its own 64-BO window of it, by pid, so their BOs never alias.
 */
#define PID_WINDOWS	1024
#define NODE_SIZE	((off_t)PID_WINDOWS * FAKE_MAX_BO * FAKE_BO_STRIDE)

off_t fake_bo_offset(uint32_t handle)
{
	return ((off_t)(getpid() % PID_WINDOWS) * FAKE_MAX_BO + handle) * FAKE_BO_STRIDE;
}

char fake_node[] = "/tmp/qaic-unit-card-XXXXXX";
int fake_node_fd = -1;

int fake_ioctl_calls, fake_closes, fake_detaches;
unsigned long fake_last_request;
struct qaic_create_bo fake_seen_create;
struct qaic_attach_slice fake_seen_attach;
struct qaic_attach_slice_entry fake_seen_slices[4];
struct qaic_execute fake_seen_exec;
struct qaic_execute_entry fake_seen_exec_e[16];
struct qaic_wait fake_seen_wait;
struct qaic_perf_stats fake_seen_perf;
uint32_t fake_seen_prime_flags;
struct fake_bo fake_bos[FAKE_MAX_BO];
uint32_t fake_next_handle;

struct qaic_simnet fake_net;
uint32_t fake_sems[32];
int fake_card_faults;
int fake_inferences;

int fake_fail_errno;
unsigned long fake_fail_request;
int fake_fail_after;
int fake_eintr_once;
int fake_corrupt_inference;
int fake_refuse_activate;

static uint8_t *ddr_in, *ddr_out;
static uint32_t next_dbc;

/* The fake kernel's one big lock: qaic-run's threads call in concurrently. */
static pthread_mutex_t kernel_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- the card ----------------------------------------------------------- */

void fake_card_use_net(const struct qaic_simnet *n)
{
	fake_net = *n;
	free(ddr_in);
	free(ddr_out);
	ddr_in = calloc(1, n->input_bytes);
	ddr_out = calloc(1, n->output_bytes);
}

static uint8_t *ddr_at(uint64_t addr, uint64_t len)
{
	if (ddr_in && addr >= fake_net.input_dev_addr &&
	    addr + len <= fake_net.input_dev_addr + fake_net.input_bytes)
		return ddr_in + (addr - fake_net.input_dev_addr);
	if (ddr_out && addr >= fake_net.output_dev_addr &&
	    addr + len <= fake_net.output_dev_addr + fake_net.output_bytes)
		return ddr_out + (addr - fake_net.output_dev_addr);
	fake_card_faults++;
	return NULL;
}

static void run_inference(void)
{
	uint64_t k;

	for (k = 0; k < fake_net.output_bytes; k++)
		ddr_out[k] = simnet_out_byte(ddr_in, fake_net.input_bytes, k);
	fake_inferences++;
	if (fake_inferences == fake_corrupt_inference)
		ddr_out[fake_net.output_bytes - 1] ^= 0x01;
	fake_sems[fake_net.sem_index]++;
}

/* One slice as the DMA bridge runs it: presync, transfer, postsync, doorbell. */
static void run_slice(struct fake_bo *bo, const struct qaic_attach_slice_entry *s)
{
	uint8_t *d;

	if (s->sem0.presync && s->sem0.cmd == QAIC_SEM_WAIT_GT_0) {
		if (fake_sems[s->sem0.index] == 0)
			fake_card_faults++;	/* would block the queue forever */
		else
			fake_sems[s->sem0.index]--;
	}
	if (s->size) {
		d = ddr_at(s->dev_addr, s->size);
		if (d && bo->dir == QAIC_DIR_TO_DEV)
			memcpy(d, bo->mem + s->offset, s->size);
		else if (d)
			memcpy(bo->mem + s->offset, d, s->size);
	}
	if (s->db_len == 32 && s->db_addr == SIMNET_DOORBELL_ADDR &&
	    s->db_data == fake_net.doorbell && ddr_in)
		run_inference();
	else if (s->db_len)
		fake_card_faults++;
}

/* ---- the driver's data path -------------------------------------------------- */

static struct fake_bo *bo_of(uint32_t handle)
{
	if (handle == 0 || handle >= FAKE_MAX_BO || !fake_bos[handle].live)
		return NULL;
	return &fake_bos[handle];
}

static int do_create(struct qaic_create_bo *a)
{
	uint32_t h = fake_next_handle + 1;
	void *mem;

	fake_seen_create = *a;
	if (h >= FAKE_MAX_BO || a->size > FAKE_BO_STRIDE)
		return ENOMEM;
	mem = mmap(NULL, FAKE_BO_STRIDE, PROT_READ | PROT_WRITE, MAP_SHARED, fake_node_fd,
		   fake_bo_offset(h));
	if (mem == MAP_FAILED)
		return ENOMEM;
	memset(mem, 0, FAKE_BO_STRIDE);
	fake_next_handle = h;
	fake_bos[h].live = 1;
	fake_bos[h].size = a->size;
	fake_bos[h].mem = mem;
	a->handle = h;
	return 0;
}

static int do_attach(struct qaic_attach_slice *a)
{
	struct fake_bo *bo = bo_of(a->hdr.handle);

	fake_seen_attach = *a;
	if (a->hdr.count <= 4)
		memcpy(fake_seen_slices, (void *)(uintptr_t)a->data,
		       a->hdr.count * sizeof(fake_seen_slices[0]));
	if (!bo)
		return ENOENT;
	if (bo->sliced || a->hdr.count > 4 ||
	    qaic_slice_check(fake_seen_slices, a->hdr.count, bo->size, NULL))
		return EINVAL;
	bo->sliced = 1;
	bo->dir = a->hdr.dir;
	bo->count = a->hdr.count;
	memcpy(bo->slices, fake_seen_slices, sizeof(bo->slices));
	return 0;
}

static int do_execute(struct qaic_execute *a)
{
	const struct qaic_execute_entry *e = (const void *)(uintptr_t)a->data;
	uint32_t i, j;

	fake_seen_exec = *a;
	memcpy(fake_seen_exec_e, e, (a->hdr.count < 16 ? a->hdr.count : 16) * sizeof(*e));
	for (i = 0; i < a->hdr.count; i++)
		if (!bo_of(e[i].handle) || !bo_of(e[i].handle)->sliced)
			return EINVAL;
	for (i = 0; i < a->hdr.count; i++) {
		struct fake_bo *bo = bo_of(e[i].handle);

		for (j = 0; j < bo->count; j++)
			run_slice(bo, &bo->slices[j]);
		bo->executed = 1;
		bo->execs++;
	}
	return 0;
}

static int do_perf_stats(struct qaic_perf_stats *a)
{
	struct qaic_perf_stats_entry *e = (void *)(uintptr_t)a->data;
	struct fake_bo *bo;
	uint32_t i;

	fake_seen_perf = *a;
	for (i = 0; i < a->hdr.count; i++) {
		bo = bo_of(e[i].handle);
		e[i].queue_level_before = 0;
		e[i].num_queue_element = 0;
		e[i].submit_latency_us = 0;
		e[i].device_latency_us = 0;
		e[i].pad = 0;
		if (!bo || !bo->execs)
			continue;
		e[i].num_queue_element = bo->count;
		e[i].submit_latency_us = bo->execs;
		e[i].device_latency_us = bo->execs + (bo->dir == QAIC_DIR_TO_DEV ?
						      FAKE_PERF_DEVICE_IN_US :
						      FAKE_PERF_DEVICE_OUT_US);
	}
	return 0;
}

static int data_ioctl(unsigned long request, void *arg)
{
	struct fake_bo *bo;

	switch (request) {
	case DRM_IOCTL_QAIC_CREATE_BO:
		return do_create(arg);
	case DRM_IOCTL_QAIC_MMAP_BO:
		if (!bo_of(((struct qaic_mmap_bo *)arg)->handle))
			return ENOENT;
		((struct qaic_mmap_bo *)arg)->offset =
			(uint64_t)fake_bo_offset(((struct qaic_mmap_bo *)arg)->handle);
		return 0;
	case DRM_IOCTL_QAIC_ATTACH_SLICE_BO:
		return do_attach(arg);
	case DRM_IOCTL_QAIC_DETACH_SLICE_BO:
		bo = bo_of(((struct qaic_detach_slice *)arg)->handle);
		if (!bo || !bo->sliced)
			return EINVAL;
		bo->sliced = 0;
		fake_detaches++;
		return 0;
	case DRM_IOCTL_QAIC_EXECUTE_BO:
	case DRM_IOCTL_QAIC_PARTIAL_EXECUTE_BO:
		return do_execute(arg);
	case DRM_IOCTL_QAIC_WAIT_BO:
		fake_seen_wait = *(struct qaic_wait *)arg;
		return bo_of(fake_seen_wait.handle) ? 0 : ENOENT;
	case DRM_IOCTL_QAIC_PERF_STATS_BO:
		return do_perf_stats(arg);
	}
	return ENOTTY;
}

/* A call the test armed to fail: 1 and the errno in *err. */
static int armed(unsigned long request, int *err)
{
	if (fake_eintr_once) {
		fake_eintr_once = 0;
		*err = EINTR;
		return 1;
	}
	if (fake_fail_errno && request == fake_fail_request && fake_fail_after-- <= 0) {
		*err = fake_fail_errno;
		fake_fail_errno = 0;
		return 1;
	}
	return 0;
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
	pthread_mutex_lock(&kernel_lock);
	fake_ioctl_calls++;
	fake_last_request = request;
	if (!armed(request, &err))
		err = data_ioctl(request, arg);
	pthread_mutex_unlock(&kernel_lock);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

/* ---- MANAGE: ACTIVATE, DEACTIVATE, sim network LOAD/UNLOAD ------------------- */

static uint8_t *reply_add(struct qaic_manage_msg *m, uint8_t *out, uint32_t type, uint32_t len)
{
	uint8_t *t = out + m->len;

	memset(t, 0, len);
	memcpy(t, &type, 4);
	memcpy(t + 4, &len, 4);
	m->len += len;
	return t;
}

static void passthrough(struct qaic_manage_msg *m, uint8_t *out, const uint8_t *payload)
{
	struct simnet_desc d;
	struct simnet_reply r;
	struct qaic_simnet n;

	memcpy(&d, payload, sizeof(d));
	memset(&r, 0, sizeof(r));
	r.magic = SIMNET_MAGIC;
	r.net_id = d.net_id;
	if (d.op == SIMNET_OP_LOAD) {
		memset(&n, 0, sizeof(n));
		n.net_id = d.net_id;
		n.nsp_count = d.nsp_count;
		n.input_bytes = d.input_bytes;
		n.output_bytes = d.output_bytes;
		n.input_dev_addr = d.input_dev_addr;
		n.output_dev_addr = d.output_dev_addr;
		n.sem_index = d.sem_index;
		n.doorbell = d.doorbell;
		fake_card_use_net(&n);
	}
	memcpy(reply_add(m, out, QAIC_TRANS_PASSTHROUGH_FROM_DEV, 8 + sizeof(r)) + 8, &r,
	       sizeof(r));
}

static int manage(struct qaic_manage_msg *m)
{
	static uint8_t req[QAIC_MANAGE_MAX_MSG_LENGTH];
	uint8_t *out = (uint8_t *)(uintptr_t)m->data;
	uint32_t off = 0, type, len, count = m->count, v[2];

	if (m->len > sizeof(req))
		return EINVAL;
	memcpy(req, out, m->len);
	m->len = 0;
	while (off + 8 <= sizeof(req) && count--) {
		memcpy(&type, req + off, 4);
		memcpy(&len, req + off + 4, 4);
		if (type == QAIC_TRANS_ACTIVATE_FROM_USR) {
			if (fake_refuse_activate)
				return ECANCELED;
			v[0] = 0;
			v[1] = next_dbc++;
			memcpy(reply_add(m, out, QAIC_TRANS_ACTIVATE_FROM_DEV, 24) + 8, v, 8);
		} else if (type == QAIC_TRANS_PASSTHROUGH_FROM_USR) {
			passthrough(m, out, req + off + 8);
		}
		off += len;
	}
	return 0;
}

int __wrap_drmIoctl(int fd, unsigned long request, void *arg)
{
	int err;

	(void)fd;
	pthread_mutex_lock(&kernel_lock);
	fake_ioctl_calls++;
	fake_last_request = request;
	if (!armed(request, &err))
		err = request == DRM_IOCTL_QAIC_MANAGE ? manage(arg) : ENOTTY;
	pthread_mutex_unlock(&kernel_lock);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

/* ---- libdrm ------------------------------------------------------------------ */

int __wrap_drmCloseBufferHandle(int fd, uint32_t handle)
{
	struct fake_bo *bo;

	(void)fd;
	pthread_mutex_lock(&kernel_lock);
	fake_ioctl_calls++;
	bo = bo_of(handle);
	if (bo) {
		munmap(bo->mem, FAKE_BO_STRIDE);
		memset(bo, 0, sizeof(*bo));
		fake_closes++;
	}
	pthread_mutex_unlock(&kernel_lock);
	if (!bo) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int __wrap_drmPrimeHandleToFD(int fd, uint32_t handle, uint32_t flags, int *prime_fd)
{
	(void)fd;
	fake_ioctl_calls++;
	fake_seen_prime_flags = flags;
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
	fake_ioctl_calls++;
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

/* ---- fixtures -------------------------------------------------------------- */

int fake_card_init(void)
{
	fake_node_fd = mkstemp(fake_node);
	return fake_node_fd < 0 || ftruncate(fake_node_fd, NODE_SIZE) ? -1 : 0;
}

int fake_card_cleanup(void)
{
	close(fake_node_fd);
	return unlink(fake_node);
}

void fake_card_reset(void)
{
	uint32_t h;

	for (h = 1; h < FAKE_MAX_BO; h++)
		if (fake_bos[h].live)
			munmap(fake_bos[h].mem, FAKE_BO_STRIDE);
	memset(fake_bos, 0, sizeof(fake_bos));
	fake_next_handle = 0;
	fake_ioctl_calls = fake_closes = fake_detaches = 0;
	fake_fail_errno = 0;
	fake_fail_after = 0;
	fake_eintr_once = 0;
	fake_corrupt_inference = 0;
	fake_refuse_activate = 0;
	fake_card_faults = fake_inferences = 0;
	memset(fake_sems, 0, sizeof(fake_sems));
	memset(&fake_net, 0, sizeof(fake_net));
	free(ddr_in);
	free(ddr_out);
	ddr_in = ddr_out = NULL;
	next_dbc = 0;
}

void fake_fail_next(unsigned long request, int err, int after)
{
	fake_fail_request = request;
	fake_fail_errno = err;
	fake_fail_after = after;
}
