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
#include "fake_card.h"
#include "qaic.h"
#include "tap.h"

/* ---- fixtures ----------------------------------------------------------- */

static struct qaic_dev *open_fake(void)
{
	struct qaic_dev *dev = NULL;

	CHECK_OK(qaic_open(fake_node, &dev));
	CU_ASSERT_PTR_NOT_NULL_FATAL(dev);
	fake_ioctl_calls = 0;
	return dev;
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
	CHECK_EQ(fake_ioctl_calls, 0);
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
	CHECK_EQ(fake_ioctl_calls, 0);
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
	CHECK_EQ(fake_seen_create.size, 10000);
	CHECK_EQ(fake_seen_create.pad, 0);
	CHECK_EQ(h, 1);
	CHECK_OK(qaic_bo_mmap(dev, h, 10000, &p));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	((uint8_t *)p)[9999] = 0x5c;		/* lands in the BO's pages */
	CHECK_EQ(fake_bos[h].mem[9999], 0x5c);
	CU_ASSERT(pread(fake_node_fd, &byte, 1, fake_bo_offset(h) + 9999) == 1);
	CHECK_EQ(byte, 0x5c);
	CHECK_OK(qaic_bo_munmap(p, 10000));

	CHECK_ERR(qaic_bo_mmap(dev, 42, 4096, &p), ENOENT);
	CU_ASSERT_PTR_NULL(p);
	fake_fail_next(DRM_IOCTL_QAIC_CREATE_BO, ENOMEM, 0);
	CHECK_ERR(qaic_bo_create(dev, 4096, &h), ENOMEM);
	CHECK_EQ(h, 1);				/* untouched on error */

	CHECK_OK(qaic_bo_close(dev, 1));
	CHECK_EQ(fake_closes, 1);
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
	CHECK_EQ(fake_seen_prime_flags, DRM_CLOEXEC | DRM_RDWR);
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
	CHECK_EQ(fake_last_request, DRM_IOCTL_QAIC_ATTACH_SLICE_BO);
	CHECK_EQ(fake_seen_attach.hdr.count, 2);
	CHECK_EQ(fake_seen_attach.hdr.dbc_id, 5);
	CHECK_EQ(fake_seen_attach.hdr.handle, h);
	CHECK_EQ(fake_seen_attach.hdr.dir, 2);
	CHECK_EQ(fake_seen_attach.hdr.size, 0);
	CHECK_EQ(fake_seen_attach.data, (uintptr_t)sl);
	CHECK_MEM(fake_seen_slices, sl, sizeof(sl));
	CHECK_ERR(qaic_bo_attach(dev, h, 5, QAIC_DIR_FROM_DEV, sl, 2), EINVAL);	/* sliced */
	CHECK_OK(qaic_bo_detach(dev, h));
	CHECK_EQ(fake_detaches, 1);
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
	fake_ioctl_calls = 0;
	CHECK_OK(qaic_execute(dev, 2, ex, 1));
	CHECK_EQ(fake_last_request, DRM_IOCTL_QAIC_EXECUTE_BO);
	CHECK_EQ(fake_seen_exec.hdr.count, 1);
	CHECK_EQ(fake_seen_exec.hdr.dbc_id, 2);
	CHECK_EQ(fake_seen_exec.data, (uintptr_t)ex);

	fake_ioctl_calls = 0;
	fake_fail_next(DRM_IOCTL_QAIC_EXECUTE_BO, EAGAIN, 0);
	CHECK_ERR(qaic_execute(dev, 2, ex, 1), EAGAIN);
	CHECK_EQ(fake_ioctl_calls, 1);		/* not retried, unlike drmIoctl */

	fake_ioctl_calls = 0;
	fake_eintr_once = 1;
	CHECK_OK(qaic_execute(dev, 2, ex, 1));
	CHECK_EQ(fake_ioctl_calls, 2);		/* EINTR: nothing queued, so again */

	pex[0].handle = h;
	pex[0].dir = QAIC_DIR_TO_DEV;
	pex[0].resize = 100;
	CHECK_OK(qaic_partial_execute(dev, 2, pex, 1));
	CHECK_EQ(fake_last_request, DRM_IOCTL_QAIC_PARTIAL_EXECUTE_BO);
	CHECK_EQ(fake_seen_exec.data, (uintptr_t)pex);
	qaic_close(dev);
}

static void test_wait_passes_eintr_and_timeout(void)
{
	struct qaic_dev *dev = open_fake();
	uint32_t h;

	CHECK_OK(qaic_bo_create(dev, 4096, &h));
	CHECK_OK(qaic_wait(dev, 3, h, 250));
	CHECK_EQ(fake_seen_wait.handle, h);
	CHECK_EQ(fake_seen_wait.dbc_id, 3);
	CHECK_EQ(fake_seen_wait.timeout, 250);
	CHECK_EQ(fake_seen_wait.pad, 0);

	fake_ioctl_calls = 0;
	fake_eintr_once = 1;
	CHECK_ERR(qaic_wait(dev, 3, h, 0), EINTR);
	CHECK_EQ(fake_ioctl_calls, 1);		/* a signal stops the wait */
	fake_fail_next(DRM_IOCTL_QAIC_WAIT_BO, ETIMEDOUT, 0);
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
	CHECK_EQ(fake_seen_perf.hdr.count, 2);
	CHECK_EQ(fake_seen_perf.hdr.dbc_id, 6);
	CHECK_EQ(fake_seen_perf.hdr.pad, 0);
	CHECK_EQ(fake_seen_perf.data, (uintptr_t)e);
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
	fake_card_use_net(&n);
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
	CHECK_EQ(fake_next_handle, 6);
	CHECK_OK(qaic_simnet_io_handles(io, 2, &in_h, &out_h));
	CHECK_EQ(fake_bos[in_h].dir, QAIC_DIR_TO_DEV);
	CHECK_EQ(fake_bos[in_h].count, 1);
	CHECK_EQ(fake_bos[out_h].dir, QAIC_DIR_FROM_DEV);
	CHECK_EQ(fake_bos[out_h].count, 2);
	CHECK_EQ(fake_seen_attach.hdr.dbc_id, 7);

	for (s = 0; s < 3; s++)
		CHECK_OK(qaic_simnet_io_fill(io, s, 1000 + s));
	CU_ASSERT(memcmp(qaic_simnet_io_input(io, 0), qaic_simnet_io_input(io, 2), 5000) != 0);
	CHECK_OK(qaic_simnet_io_submit(io, order, 2));
	CHECK_EQ(fake_seen_exec.hdr.count, 4);
	CHECK_EQ(fake_seen_exec.hdr.dbc_id, 7);
	CHECK_EQ(fake_seen_exec_e[0].handle, in_h);
	CHECK_EQ(fake_seen_exec_e[0].dir, QAIC_DIR_TO_DEV);
	CHECK_EQ(fake_seen_exec_e[1].handle, out_h);
	CHECK_EQ(fake_seen_exec_e[1].dir, QAIC_DIR_FROM_DEV);
	CHECK_EQ(fake_inferences, 2);
	CHECK_EQ(fake_card_faults, 0);
	CHECK_EQ(fake_sems[4], 0);			/* each "P" consumed its inference */

	CHECK_OK(qaic_simnet_io_wait(io, 2, 100));
	CHECK_EQ(fake_seen_wait.handle, in_h);	/* output first, then input */
	CHECK_OK(qaic_simnet_io_verify(io, 2, &bad));
	CHECK_OK(qaic_simnet_io_verify(io, 0, &bad));
	CHECK_ERR(qaic_simnet_io_verify(io, 1, &bad), EBADMSG);	/* never ran */
	CHECK_EQ(bad, 0);

	qaic_simnet_io_output(io, 0)[8999] ^= 0x10;
	CHECK_ERR(qaic_simnet_io_verify(io, 0, &bad), EBADMSG);
	CHECK_EQ(bad, 8999);

	qaic_simnet_io_destroy(io);
	CHECK_EQ(fake_detaches, 6);
	CHECK_EQ(fake_closes, 6);
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
	fake_ioctl_calls = 0;
	CHECK_ERR(qaic_simnet_io_submit(io, dup, 2), EINVAL);
	CHECK_ERR(qaic_simnet_io_submit(io, out_of_range, 1), EINVAL);
	CHECK_ERR(qaic_simnet_io_submit(io, dup, 3), EINVAL);	/* more than slots */
	CHECK_ERR(qaic_simnet_io_submit(io, NULL, 1), EINVAL);
	CHECK_ERR(qaic_simnet_io_submit(io, dup, 0), EINVAL);
	CHECK_ERR(qaic_simnet_io_fill(io, 2, 0), EINVAL);
	CHECK_ERR(qaic_simnet_io_wait(io, 2, 0), EINVAL);
	CU_ASSERT_PTR_NULL(qaic_simnet_io_input(io, 2));
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(fake_ioctl_calls, 0);
	fake_fail_next(DRM_IOCTL_QAIC_EXECUTE_BO, EAGAIN, 0);
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
	fake_fail_next(DRM_IOCTL_QAIC_ATTACH_SLICE_BO, ENOSPC, 2);
	CHECK_ERR(qaic_simnet_io_create(dev, &n, 0, 4, &io), ENOSPC);
	CU_ASSERT_PTR_NULL(io);
	CHECK_EQ(fake_next_handle, 4);
	CHECK_EQ(fake_closes, 4);
	CHECK_EQ(fake_detaches, 2);

	fake_card_reset();
	n = card_setup(64, 64);
	fake_fail_next(DRM_IOCTL_QAIC_CREATE_BO, ENOMEM, 1);	/* the first output BO */
	CHECK_ERR(qaic_simnet_io_create(dev, &n, 0, 1, &io), ENOMEM);
	CHECK_EQ(fake_closes, 1);
	CHECK_EQ(fake_detaches, 0);
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
	{ "simnet io runs fake_inferences on a fake DMA bridge", test_simnet_io_runs_inferences },
	{ "simnet io submit checks its slots", test_simnet_io_submit_checks_slots },
	{ "simnet io create unwinds on error", test_simnet_io_create_unwinds },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "datapath", fake_card_init, fake_card_cleanup, fake_card_reset, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
