// SPDX-License-Identifier: GPL-2.0-only
/*
 * Data-path ioctl conformance, in the test VM against the simulated card:
 * every bad argument of CREATE_BO, MMAP_BO, ATTACH_SLICE_BO, EXECUTE_BO,
 * PARTIAL_EXECUTE_BO, WAIT_BO, PERF_STATS_BO and DETACH_SLICE_BO gets the
 * errno upstream's qaic (drivers/accel/qaic/qaic_data.c, Linux 6.12) gives
 * it; a stalled DBC (a request gated on a semaphore nobody signals) gives
 * execute-while-queued, -EBUSY, a full ring, wait timeouts and signals; the
 * sim's faults give a stalled queue that recovers, a device error code and
 * a card that is not ONLINE (-ENODEV); and the card still runs a sim
 * network afterwards.
 *
 * Raw ioctls (qaic_test.h), so the kernel is what is tested, not libqaic.
 * Each case prints "name got=ERRNO want=ERRNO". Where upstream accepts
 * something a reader might expect to fail (overlapping or unaligned slices,
 * zero-size slices, the deprecated hdr.size), the case checks that it is
 * accepted: userspace written for upstream relies on it.
 * Expects qaic.ko loaded and the card ONLINE. Prints TAP.
 */
#include <signal.h>
#include <sys/time.h>

#include "qaic_test.h"
#include "qaic.h"

#define NUM_DBC		16	/* AIC100 */
#define PAGE		4096
#define STALL_SEM	31	/* no network signals it: a request gated on it waits */
#define NET_ID		1
#define NET_SEM		0
#define NET_DOORBELL	0x51
#define NET_IN_DEV	0x100000
#define NET_OUT_DEV	0x200000
#define PLAIN_DEV	0x400000	/* scratch DDR for plain transfers */

static struct test_card card;
static struct qaic_dev *dev_a;
static int fd_a;		/* client A: owns dbc_a, dbc_s and the network */
static int fd_b;		/* client B: owns dbc_b */
static int dbc_a;		/* A's main DBC, 64 elements */
static int dbc_s;		/* A's DBC for stalls, 8 elements */
static int dbc_b;
static int dbc_free;		/* a DBC nobody activated */
static const struct net_shape net = {
	.in_bytes = PAGE, .out_bytes = PAGE, .in_dev = NET_IN_DEV, .out_dev = NET_OUT_DEV,
	.sem = NET_SEM, .doorbell = NET_DOORBELL,
};

static const char *errname(int e)
{
	static char buf[16];

	switch (-e) {
	case 0: return "0";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EPERM: return "EPERM";
	case EFAULT: return "EFAULT";
	case ENOMEM: return "ENOMEM";
	case ENOSPC: return "ENOSPC";
	case EBUSY: return "EBUSY";
	case EAGAIN: return "EAGAIN";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EINTR: return "EINTR";
	case EACCES: return "EACCES";
	case ENODEV: return "ENODEV";
	case ENOTTY: return "ENOTTY";
	case EIO: return "EIO";
	case E2BIG: return "E2BIG";
	case EOVERFLOW: return "EOVERFLOW";
	}
	snprintf(buf, sizeof(buf), "%d", e);
	return buf;
}

static void expect(const char *name, int got, int want)
{
	char full[200], got_s[16];

	snprintf(got_s, sizeof(got_s), "%s", errname(got));
	snprintf(full, sizeof(full), "%s got=%s want=%s", name, got_s, errname(want));
	tap_result(got == want, full, "mismatch");
}

/* For the few cases where upstream's answer is an allocation failure. */
static void expect2(const char *name, int got, int want1, int want2)
{
	char full[200], got_s[16], w1[16];

	snprintf(got_s, sizeof(got_s), "%s", errname(got));
	snprintf(w1, sizeof(w1), "%s", errname(want1));
	snprintf(full, sizeof(full), "%s got=%s want=%s|%s", name, got_s, w1, errname(want2));
	tap_result(got == want1 || got == want2, full, "mismatch");
}

static int device_status_ok(int fd)
{
	struct qaic_manage_trans_status_from_dev *st;
	struct raw_msg m = { 0 };

	raw_add(&m, QAIC_TRANS_STATUS_FROM_USR, sizeof(struct qaic_manage_trans_status_to_dev));
	if (raw_manage(fd, &m))
		return 0;
	st = (void *)m.buf;
	return m.count == 1 && st->hdr.type == QAIC_TRANS_STATUS_FROM_DEV && st->major == 5;
}

static uint32_t new_bo(int fd, uint64_t size)
{
	uint32_t h = 0;

	if (bo_create(fd, size, &h))
		printf("# CREATE_BO %llu failed: %s\n", (unsigned long long)size, strerror(errno));
	return h;
}

/* A BO with one plain TO_DEV slice of its first page on dbc. */
static uint32_t plain_bo(int fd, int dbc, uint64_t dev)
{
	struct qaic_attach_slice_entry e = slice_at(0, PAGE, dev);
	uint32_t h = new_bo(fd, PAGE);
	int ret = bo_attach(fd, h, dbc, BO_TO_DEV, &e, 1);

	if (ret)
		printf("# plain attach failed: %s\n", errname(ret));
	return h;
}

/* A BO whose only request waits for STALL_SEM: it holds its DBC's queue. */
static uint32_t stall_bo(int fd, int dbc)
{
	struct qaic_attach_slice_entry e = slice_at(0, PAGE, PLAIN_DEV);
	uint32_t h = new_bo(fd, PAGE);
	int ret;

	e.sem0.cmd = QAIC_SEM_WAIT_GT_0;
	e.sem0.index = STALL_SEM;
	e.sem0.presync = 1;
	ret = bo_attach(fd, h, dbc, BO_TO_DEV, &e, 1);
	if (ret)
		printf("# stall attach failed: %s\n", errname(ret));
	return h;
}

/* A mapped page followed by an unmapped one: the end of user memory. */
static uint8_t *guard_page(void)
{
	uint8_t *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p + PAGE, PAGE);
	return p;
}

/* ------------------------------------------------------------------ */

static void test_create_bo(void)
{
	struct qaic_create_bo args;
	uint32_t h = 0;
	uint8_t *p;
	int ret;

	expect("create_bo_size_zero", bo_create(fd_a, 0, &h), -EINVAL);
	/* PAGE_ALIGN wraps to 0 */
	expect("create_bo_size_u64_max", bo_create(fd_a, UINT64_MAX, &h), -EINVAL);
	/* aligns to 2^64 - 4096: upstream's page array cannot be allocated */
	expect("create_bo_size_near_u64_max", bo_create(fd_a, UINT64_MAX - PAGE - 1, &h),
	       -ENOMEM);
	/* far beyond the guest's memory */
	expect("create_bo_size_1tib", bo_create(fd_a, 1ULL << 40, &h), -ENOMEM);
	args = (struct qaic_create_bo){ .size = PAGE, .pad = 1 };
	ret = ioctl(fd_a, DRM_IOCTL_QAIC_CREATE_BO, &args) ? -errno : 0;
	expect("create_bo_nonzero_pad", ret, -EINVAL);

	h = 0;
	ret = bo_create(fd_a, 1, &h);
	expect("create_bo_one_byte", ret, 0);
	p = ret ? NULL : bo_map(fd_a, h, PAGE);
	tap_result(p != NULL, "create_bo_one_byte_maps_a_whole_page", "mmap: %s",
		   strerror(errno));
	if (p) {
		p[PAGE - 1] = 0xa5;
		tap_result(p[0] == 0 && p[PAGE - 1] == 0xa5, "new_bo_is_zeroed_and_writable",
			   "p[0]=%u", p[0]);
		munmap(p, PAGE);
	}
	if (h)
		bo_close(fd_a, h);
}

static void test_mmap_bo(void)
{
	struct qaic_mmap_bo args;
	uint32_t h = new_bo(fd_a, PAGE), hb = new_bo(fd_b, PAGE);
	uint64_t off_a = 0;
	void *p;
	int ret;

	args = (struct qaic_mmap_bo){ .handle = 0xdead };
	ret = ioctl(fd_a, DRM_IOCTL_QAIC_MMAP_BO, &args) ? -errno : 0;
	expect("mmap_bo_unknown_handle", ret, -ENOENT);
	args = (struct qaic_mmap_bo){ .handle = 0 };
	ret = ioctl(fd_a, DRM_IOCTL_QAIC_MMAP_BO, &args) ? -errno : 0;
	expect("mmap_bo_handle_zero", ret, -ENOENT);
	/* handles are per open file: A's number means nothing to B */
	args = (struct qaic_mmap_bo){ .handle = h == hb ? h + 1 : h };
	ret = ioctl(fd_b, DRM_IOCTL_QAIC_MMAP_BO, &args) ? -errno : 0;
	expect("mmap_bo_other_clients_handle", ret, -ENOENT);

	args = (struct qaic_mmap_bo){ .handle = h };
	ret = ioctl(fd_a, DRM_IOCTL_QAIC_MMAP_BO, &args) ? -errno : 0;
	expect("mmap_bo_good", ret, 0);
	off_a = args.offset;
	if (ret)
		goto out;
	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd_a, off_a);
	expect("mmap_longer_than_bo", p == MAP_FAILED ? -errno : 0, -EINVAL);
	if (p != MAP_FAILED)
		munmap(p, 2 * PAGE);
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd_a, off_a + (1ULL << 30));
	expect("mmap_unknown_offset", p == MAP_FAILED ? -errno : 0, -EINVAL);
	if (p != MAP_FAILED)
		munmap(p, PAGE);
	/* B may not map A's BO through A's fake offset */
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd_b, off_a);
	expect("mmap_other_clients_offset", p == MAP_FAILED ? -errno : 0, -EACCES);
	if (p != MAP_FAILED)
		munmap(p, PAGE);
out:
	bo_close(fd_a, h);
	bo_close(fd_b, hb);
}

static void test_attach(void)
{
	struct qaic_attach_slice_entry e[10], one = slice_at(0, PAGE, PLAIN_DEV);
	struct qaic_attach_slice args;
	uint32_t h = new_bo(fd_a, 2 * PAGE), h16 = new_bo(fd_a, 16 * PAGE);
	uint32_t hb = new_bo(fd_b, PAGE);
	uint8_t *guard = guard_page();
	int i, ret;

	/* header */
	expect("attach_count_zero", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, &one, 0), -EINVAL);
	expect("attach_dir_bidirectional", bo_attach(fd_a, h, dbc_a, 0, &one, 1), -EINVAL);
	expect("attach_dir_3", bo_attach(fd_a, h, dbc_a, 3, &one, 1), -EINVAL);
	expect("attach_dir_huge", bo_attach(fd_a, h, dbc_a, 0x80000001u, &one, 1), -EINVAL);
	expect("attach_data_null", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, NULL, 1), -EINVAL);
	expect("attach_data_unmapped",
	       bo_attach(fd_a, h, dbc_a, BO_TO_DEV, (void *)(uintptr_t)0x1000, 1), -EFAULT);
	if (guard) {
		memcpy(guard + PAGE - sizeof(one), &one, sizeof(one));
		expect("attach_entries_run_past_mapped_memory",
		       bo_attach(fd_a, h, dbc_a, BO_TO_DEV,
				 (void *)(guard + PAGE - sizeof(one)), 2), -EFAULT);
		expect("attach_count_32_past_mapped_memory",
		       bo_attach(fd_a, h, dbc_a, BO_TO_DEV,
				 (void *)(guard + PAGE - sizeof(one)), 32), -EFAULT);
	}
	/* upstream: allocating 4G entries fails (with a kernel warning): -EINVAL */
	expect("attach_count_u32_max", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, &one, UINT32_MAX),
	       -EINVAL);

	expect("attach_dbc_16", bo_attach(fd_a, h, NUM_DBC, BO_TO_DEV, &one, 1), -EINVAL);
	expect("attach_dbc_u32_max", bo_attach(fd_a, h, UINT32_MAX, BO_TO_DEV, &one, 1),
	       -EINVAL);
	/* upstream's attach says -EINVAL (execute and wait: -EPERM) for a DBC not ours */
	expect("attach_dbc_not_activated", bo_attach(fd_a, h, dbc_free, BO_TO_DEV, &one, 1),
	       -EINVAL);
	expect("attach_other_clients_dbc", bo_attach(fd_a, h, dbc_b, BO_TO_DEV, &one, 1),
	       -EINVAL);
	expect("attach_unknown_handle", bo_attach(fd_a, 0xdead, dbc_a, BO_TO_DEV, &one, 1),
	       -ENOENT);
	expect("attach_other_clients_handle",
	       bo_attach(fd_b, h == hb ? h + 1 : h, dbc_b, BO_TO_DEV, &one, 1), -ENOENT);

	/* doorbells */
	e[0] = one;
	e[0].db_len = 7;
	e[0].db_addr = SIMNET_DOORBELL_ADDR;
	expect("attach_db_len_7", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 1), -EINVAL);
	e[0].db_len = 64;
	expect("attach_db_len_64", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 1), -EINVAL);
	e[0].db_len = 32;
	e[0].db_addr = SIMNET_DOORBELL_ADDR + 2;
	expect("attach_db32_unaligned_addr", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 1),
	       -EINVAL);
	e[0].db_len = 16;
	e[0].db_addr = SIMNET_DOORBELL_ADDR + 1;
	expect("attach_db16_unaligned_addr", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 1),
	       -EINVAL);

	/* semaphores: each field out of range, in each of the four slots */
	e[0] = one;
	e[0].sem0.val = 0x1000;
	expect("attach_sem0_val_13_bits", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 1),
	       -EINVAL);
	e[0] = one;
	e[0].sem1.index = 32;
	expect("attach_sem1_index_32", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 1), -EINVAL);
	e[0] = one;
	e[0].sem2.presync = 2;
	expect("attach_sem2_presync_2", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 1),
	       -EINVAL);
	e[0] = one;
	e[0].sem3.cmd = QAIC_SEM_WAIT_GT_0 + 1;
	expect("attach_sem3_cmd_7", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 1), -EINVAL);
	e[0] = one;
	e[0].sem0.flags = 4;
	expect("attach_sem0_flags_4", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 1), -EINVAL);
	e[0] = one;
	e[0].sem1.pad = 1;
	expect("attach_sem1_nonzero_pad", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 1),
	       -EINVAL);
	e[0] = one;
	e[0].sem0 = (struct qaic_sem){ .cmd = QAIC_SEM_WAIT_GT_0, .index = 1, .presync = 1 };
	e[0].sem2 = (struct qaic_sem){ .cmd = QAIC_SEM_WAIT_GT_0, .index = 2, .presync = 1 };
	expect("attach_two_presync_sems", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 1),
	       -EINVAL);
	e[1] = one;
	e[0] = one;
	e[1].sem3.index = 40;
	expect("attach_bad_sem_in_second_slice", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 2),
	       -EINVAL);

	/* ranges */
	e[0] = slice_at(PAGE, PAGE + 1, PLAIN_DEV);
	expect("attach_slice_past_end", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 1), -EINVAL);
	e[0] = slice_at(0, 2 * PAGE + 1, PLAIN_DEV);
	expect("attach_slice_bigger_than_bo", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 1),
	       -EINVAL);
	e[0] = slice_at(UINT64_MAX - 10, PAGE, PLAIN_DEV);
	expect("attach_offset_plus_size_wraps", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 1),
	       -EINVAL);
	e[0] = slice_at(0, UINT64_MAX, PLAIN_DEV);
	expect("attach_size_u64_max", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 1), -EINVAL);
	e[0] = slice_at(2 * PAGE, 0, PLAIN_DEV);
	expect("attach_empty_slice_at_end", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 1),
	       -EINVAL);
	e[0] = slice_at(0, PAGE, PLAIN_DEV);
	e[1] = slice_at(PAGE, PAGE + 100, PLAIN_DEV);
	expect("attach_second_slice_past_end", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 2),
	       -EINVAL);
	/* more elements than the DBC's 8-element ring holds */
	for (i = 0; i < 9; i++)
		e[i] = slice_at(i * PAGE, PAGE, PLAIN_DEV + i * PAGE);
	expect("attach_more_elements_than_queue",
	       bo_attach(fd_a, h16, dbc_s, BO_TO_DEV, e, 9), -ENOSPC);

	/* what upstream accepts */
	args = (struct qaic_attach_slice){
		.hdr = { .count = 1, .dbc_id = dbc_a, .handle = h, .dir = BO_TO_DEV,
			 .size = 1 },
		.data = (uintptr_t)&one,
	};
	ret = ioctl(fd_a, DRM_IOCTL_QAIC_ATTACH_SLICE_BO, &args) ? -errno : 0;
	expect("attach_ignores_deprecated_hdr_size", ret, 0);
	expect("attach_already_sliced", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, &one, 1),
	       -EINVAL);
	expect("detach_after_attach", bo_detach(fd_a, h), 0);

	e[0] = slice_at(0, 0, PLAIN_DEV);
	expect("attach_zero_size_slice_no_transfer",
	       bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 1), 0);
	bo_detach(fd_a, h);
	e[0] = slice_at(0, 3000, PLAIN_DEV);
	e[1] = slice_at(1000, 7000, PLAIN_DEV + PAGE);
	expect("attach_overlapping_slices", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 2), 0);
	bo_detach(fd_a, h);
	e[0] = slice_at(1, 4093, PLAIN_DEV + 3);
	e[1] = slice_at(4094, 4097, PLAIN_DEV + PAGE + 1);
	expect("attach_unaligned_offsets_and_sizes",
	       bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 2), 0);
	bo_detach(fd_a, h);
	e[0] = one;
	e[0].db_addr = SIMNET_DOORBELL_ADDR + 3;	/* no doorbell: its address is not looked at */
	expect("attach_db_len_0_ignores_db_addr", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 1), 0);
	bo_detach(fd_a, h);
	e[0].db_len = 8;
	expect("attach_db8_odd_addr", bo_attach(fd_a, h, dbc_a, BO_TO_DEV, e, 1), 0);
	bo_detach(fd_a, h);
	expect("attach_from_dev", bo_attach(fd_a, h, dbc_a, BO_FROM_DEV, &one, 1), 0);
	bo_detach(fd_a, h);
	for (i = 0; i < 7; i++)
		e[i] = slice_at(i * PAGE, PAGE, PLAIN_DEV + i * PAGE);
	expect("attach_seven_slices_on_8_element_queue",
	       bo_attach(fd_a, h16, dbc_s, BO_TO_DEV, e, 7), 0);
	bo_detach(fd_a, h16);

	if (guard)
		munmap(guard, PAGE);
	bo_close(fd_a, h);
	bo_close(fd_a, h16);
	bo_close(fd_b, hb);
}

static void test_execute(void)
{
	struct qaic_execute_entry ent;
	struct qaic_partial_execute_entry pent;
	struct qaic_execute args;
	uint32_t plain = plain_bo(fd_a, dbc_a, PLAIN_DEV), bare = new_bo(fd_a, PAGE);
	uint32_t hb = new_bo(fd_b, PAGE), foreign = plain == hb ? bare : plain;
	uint8_t *guard = guard_page();
	int ret;

	args = (struct qaic_execute){ .hdr = { .count = 0, .dbc_id = dbc_a },
				      .data = (uintptr_t)&ent };
	ent = (struct qaic_execute_entry){ .handle = plain };
	ret = ioctl(fd_a, DRM_IOCTL_QAIC_EXECUTE_BO, &args) ? -errno : 0;
	expect("execute_count_zero", ret, -EINVAL);
	args.hdr.count = 1;
	args.data = 0;
	ret = ioctl(fd_a, DRM_IOCTL_QAIC_EXECUTE_BO, &args) ? -errno : 0;
	expect("execute_data_null", ret, -EFAULT);
	args.data = 0x1000;
	ret = ioctl(fd_a, DRM_IOCTL_QAIC_EXECUTE_BO, &args) ? -errno : 0;
	expect("execute_data_unmapped", ret, -EFAULT);
	if (guard) {
		memcpy(guard + PAGE - sizeof(ent), &ent, sizeof(ent));
		args.data = (uintptr_t)(guard + PAGE - sizeof(ent));
		args.hdr.count = 32;
		ret = ioctl(fd_a, DRM_IOCTL_QAIC_EXECUTE_BO, &args) ? -errno : 0;
		expect("execute_count_32_past_mapped_memory", ret, -EFAULT);
	}
	args.data = (uintptr_t)&ent;
	args.hdr.count = UINT32_MAX;
	ret = ioctl(fd_a, DRM_IOCTL_QAIC_EXECUTE_BO, &args) ? -errno : 0;
	/* upstream: kcalloc of 32 GiB fails (-ENOMEM); refusing the count is as good */
	expect2("execute_count_u32_max", ret, -ENOMEM, -EINVAL);
	args.hdr.count = 1;

	args.hdr.dbc_id = NUM_DBC;
	ret = ioctl(fd_a, DRM_IOCTL_QAIC_EXECUTE_BO, &args) ? -errno : 0;
	expect("execute_dbc_16", ret, -EINVAL);
	args.hdr.dbc_id = UINT32_MAX;
	ret = ioctl(fd_a, DRM_IOCTL_QAIC_EXECUTE_BO, &args) ? -errno : 0;
	expect("execute_dbc_u32_max", ret, -EINVAL);
	expect("execute_dbc_not_activated", bo_execute1(fd_a, dbc_free, plain), -EPERM);
	expect("execute_other_clients_dbc", bo_execute1(fd_a, dbc_b, plain), -EPERM);
	expect("execute_unknown_handle", bo_execute1(fd_a, dbc_a, 0xdead), -ENOENT);
	expect("execute_handle_zero", bo_execute1(fd_a, dbc_a, 0), -ENOENT);
	expect("execute_other_clients_handle", bo_execute1(fd_b, dbc_b, foreign), -ENOENT);
	expect("execute_unsliced_bo", bo_execute1(fd_a, dbc_a, bare), -EINVAL);
	/*
	 * Upstream does not check that the BO was sliced onto this DBC: it
	 * would queue it on the other one, where no completion ever matches it.
	 */
	expect("execute_bo_sliced_onto_another_own_dbc", bo_execute1(fd_a, dbc_s, plain), -EINVAL);

	pent = (struct qaic_partial_execute_entry){ .handle = plain, .resize = PAGE + 1 };
	args = (struct qaic_execute){ .hdr = { .count = 1, .dbc_id = dbc_a },
				      .data = (uintptr_t)&pent };
	ret = ioctl(fd_a, DRM_IOCTL_QAIC_PARTIAL_EXECUTE_BO, &args) ? -errno : 0;
	expect("partial_execute_resize_past_bo", ret, -EINVAL);
	args.hdr.count = 0;
	ret = ioctl(fd_a, DRM_IOCTL_QAIC_PARTIAL_EXECUTE_BO, &args) ? -errno : 0;
	expect("partial_execute_count_zero", ret, -EINVAL);
	args.hdr.count = 1;
	args.data = 0x1000;
	ret = ioctl(fd_a, DRM_IOCTL_QAIC_PARTIAL_EXECUTE_BO, &args) ? -errno : 0;
	expect("partial_execute_data_unmapped", ret, -EFAULT);
	expect("partial_execute_other_clients_dbc", bo_partial1(fd_a, dbc_b, plain, 100), -EPERM);
	expect("partial_execute_unsliced_bo", bo_partial1(fd_a, dbc_a, bare, 100), -EINVAL);
	expect("partial_execute_unknown_handle", bo_partial1(fd_a, dbc_a, 0xdead, 100), -ENOENT);

	/* a plain transfer completes on its own: execute, wait, again */
	expect("execute_plain_transfer", bo_execute1(fd_a, dbc_a, plain), 0);
	expect("wait_plain_transfer", bo_wait(fd_a, dbc_a, plain, 5000), 0);
	expect("partial_execute_plain_transfer", bo_partial1(fd_a, dbc_a, plain, 100), 0);
	expect("wait_partial_plain_transfer", bo_wait(fd_a, dbc_a, plain, 5000), 0);
	expect("partial_execute_resize_zero", bo_partial1(fd_a, dbc_a, plain, 0), 0);
	expect("wait_partial_resize_zero", bo_wait(fd_a, dbc_a, plain, 5000), 0);

	if (guard)
		munmap(guard, PAGE);
	bo_close(fd_a, plain);
	bo_close(fd_a, bare);
	bo_close(fd_b, hb);
}

static void test_wait_perf_detach(void)
{
	struct qaic_perf_stats_entry pe[2];
	struct qaic_perf_stats pargs;
	struct qaic_detach_slice dargs;
	struct qaic_wait wargs;
	uint32_t plain = plain_bo(fd_a, dbc_a, PLAIN_DEV), bare = new_bo(fd_a, PAGE);
	uint32_t hb = new_bo(fd_b, PAGE), foreign = plain == hb ? bare : plain;
	int ret;

	wargs = (struct qaic_wait){ .handle = plain, .timeout = 100, .dbc_id = dbc_a, .pad = 1 };
	ret = ioctl(fd_a, DRM_IOCTL_QAIC_WAIT_BO, &wargs) ? -errno : 0;
	expect("wait_nonzero_pad", ret, -EINVAL);
	expect("wait_dbc_16", bo_wait(fd_a, NUM_DBC, plain, 100), -EINVAL);
	expect("wait_dbc_u32_max", bo_wait(fd_a, UINT32_MAX, plain, 100), -EINVAL);
	expect("wait_dbc_not_activated", bo_wait(fd_a, dbc_free, plain, 100), -EPERM);
	expect("wait_other_clients_dbc", bo_wait(fd_a, dbc_b, plain, 100), -EPERM);
	expect("wait_unknown_handle", bo_wait(fd_a, dbc_a, 0xdead, 100), -ENOENT);
	expect("wait_other_clients_handle", bo_wait(fd_b, dbc_b, foreign, 100), -ENOENT);
	/* upstream: a BO that was never queued is idle, the wait returns at once */
	expect("wait_never_executed_bo", bo_wait(fd_a, dbc_a, plain, 100), 0);
	/* upstream checks only that the DBC named is the caller's, not the BO's */
	expect("wait_names_another_own_dbc", bo_wait(fd_a, dbc_s, plain, 100), 0);
	expect("wait_unsliced_bo", bo_wait(fd_a, dbc_a, bare, 100), 0);

	memset(pe, 0, sizeof(pe));
	pe[0].handle = plain;
	expect("perf_stats_dbc_16", bo_perf(fd_a, NUM_DBC, pe, 1), -EINVAL);
	expect("perf_stats_unknown_handle",
	       bo_perf(fd_a, dbc_a, &(struct qaic_perf_stats_entry){ .handle = 0xdead }, 1),
	       -ENOENT);
	pe[0].handle = plain;
	pe[1].handle = 0xdead;
	expect("perf_stats_second_entry_unknown", bo_perf(fd_a, dbc_a, pe, 2), -ENOENT);
	expect("perf_stats_other_clients_handle",
	       bo_perf(fd_b, dbc_b, &(struct qaic_perf_stats_entry){ .handle = foreign }, 1),
	       -ENOENT);
	pargs = (struct qaic_perf_stats){ .hdr = { .count = 1, .dbc_id = dbc_a }, .data = 0 };
	ret = ioctl(fd_a, DRM_IOCTL_QAIC_PERF_STATS_BO, &pargs) ? -errno : 0;
	expect("perf_stats_data_null", ret, -EFAULT);
	pargs.data = 0x1000;
	ret = ioctl(fd_a, DRM_IOCTL_QAIC_PERF_STATS_BO, &pargs) ? -errno : 0;
	expect("perf_stats_data_unmapped", ret, -EFAULT);
	/* upstream: count 0 copies nothing and succeeds */
	pargs.hdr.count = 0;
	pargs.data = (uintptr_t)pe;
	ret = ioctl(fd_a, DRM_IOCTL_QAIC_PERF_STATS_BO, &pargs) ? -errno : 0;
	expect("perf_stats_count_zero", ret, 0);

	dargs = (struct qaic_detach_slice){ .handle = plain, .pad = 1 };
	ret = ioctl(fd_a, DRM_IOCTL_QAIC_DETACH_SLICE_BO, &dargs) ? -errno : 0;
	expect("detach_nonzero_pad", ret, -EINVAL);
	expect("detach_unknown_handle", bo_detach(fd_a, 0xdead), -ENOENT);
	expect("detach_other_clients_handle", bo_detach(fd_b, foreign), -ENOENT);
	expect("detach_unsliced_bo", bo_detach(fd_a, bare), -EINVAL);
	expect("detach_sliced_idle_bo", bo_detach(fd_a, plain), 0);
	expect("detach_twice", bo_detach(fd_a, plain), -EINVAL);
	expect("execute_after_detach", bo_execute1(fd_a, dbc_a, plain), -EINVAL);
	{
		struct qaic_attach_slice_entry e = slice_at(0, PAGE, PLAIN_DEV);

		expect("attach_again_after_detach",
		       bo_attach(fd_a, plain, dbc_a, BO_TO_DEV, &e, 1), 0);
		expect("execute_after_reattach", bo_execute1(fd_a, dbc_a, plain), 0);
		expect("wait_after_reattach", bo_wait(fd_a, dbc_a, plain, 5000), 0);
	}

	bo_close(fd_a, plain);
	bo_close(fd_a, bare);
	bo_close(fd_b, hb);
}

/* ------------------------------------------------------------------ */
/* A stalled DBC: its head request waits on a semaphore nobody signals. */

static void on_alarm(int sig)
{
	(void)sig;
}

static void arm_alarm_ms(int ms, int restart)
{
	struct itimerval it = { .it_value = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 } };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static int default_timeout_param(char *old, size_t len)
{
	return read_text("/sys/module/qaic/parameters/wait_exec_default_timeout_ms", old, len);
}

static void test_wait_timeouts(uint32_t stalled)
{
	char old[32] = "";
	uint64_t t0, ms;
	int ret;

	t0 = now_ns();
	ret = bo_wait(fd_a, dbc_s, stalled, 100);
	ms = (now_ns() - t0) / 1000000;
	expect("wait_times_out", ret, -ETIMEDOUT);
	tap_result(ms >= 90 && ms < 3000, "wait_timeout_100ms_honoured", "returned after %llu ms",
		   (unsigned long long)ms);

	/* timeout 0 = the module's default (upstream: wait_exec_default_timeout_ms) */
	if (default_timeout_param(old, sizeof(old))) {
		tap_result(0, "wait_default_timeout_param_exists",
			   "no /sys/module/qaic/parameters/wait_exec_default_timeout_ms");
	} else {
		write_text("/sys/module/qaic/parameters/wait_exec_default_timeout_ms", "300");
		t0 = now_ns();
		ret = bo_wait(fd_a, dbc_s, stalled, 0);
		ms = (now_ns() - t0) / 1000000;
		write_text("/sys/module/qaic/parameters/wait_exec_default_timeout_ms", old);
		expect("wait_timeout_zero_uses_default", ret, -ETIMEDOUT);
		tap_result(ms >= 280 && ms < 3000, "wait_default_timeout_300ms_honoured",
			   "returned after %llu ms (default was %s)", (unsigned long long)ms, old);
	}

	/* a handler without SA_RESTART: the wait ends with EINTR */
	arm_alarm_ms(200, 0);
	t0 = now_ns();
	ret = bo_wait(fd_a, dbc_s, stalled, 5000);
	ms = (now_ns() - t0) / 1000000;
	expect("wait_interrupted_by_signal", ret, -EINTR);
	tap_result(ms >= 150 && ms < 4000, "wait_interrupted_at_the_signal",
		   "returned after %llu ms", (unsigned long long)ms);

	/*
	 * With SA_RESTART the kernel restarts the wait (upstream returns
	 * -ERESTARTSYS): the caller never sees the signal, only the timeout,
	 * and the timeout starts over (upstream: about 200 + 600 ms here).
	 */
	arm_alarm_ms(200, 1);
	t0 = now_ns();
	ret = bo_wait(fd_a, dbc_s, stalled, 600);
	ms = (now_ns() - t0) / 1000000;
	expect("wait_restarted_after_sa_restart_signal", ret, -ETIMEDOUT);
	printf("# wait(600 ms) with an SA_RESTART signal at 200 ms returned after %llu ms\n",
	       (unsigned long long)ms);
	signal(SIGALRM, SIG_DFL);
}

static void test_stalled(void)
{
	uint32_t stalled = stall_bo(fd_a, dbc_s), fill[12], pair[2];
	int i, ret, queued = 1, full = 0;

	for (i = 0; i < 12; i++)
		fill[i] = plain_bo(fd_a, dbc_s, PLAIN_DEV + i * PAGE);

	expect("execute_stalling_request", bo_execute1(fd_a, dbc_s, stalled), 0);
	expect("execute_while_queued", bo_execute1(fd_a, dbc_s, stalled), -EINVAL);
	expect("partial_execute_while_queued", bo_partial1(fd_a, dbc_s, stalled, 100), -EINVAL);
	expect("detach_while_queued", bo_detach(fd_a, stalled), -EBUSY);

	test_wait_timeouts(stalled);

	/* a failed multi-BO execute leaves none of its BOs queued */
	pair[0] = fill[0];
	pair[1] = 0xdead;
	expect("execute_second_handle_unknown", bo_execute(fd_a, dbc_s, pair, 2), -ENOENT);
	expect("first_bo_of_failed_execute_not_queued", bo_detach(fd_a, fill[0]), 0);
	pair[0] = fill[1];
	pair[1] = fill[1];
	expect("execute_same_bo_twice_in_one_call", bo_execute(fd_a, dbc_s, pair, 2), -EINVAL);
	expect("bo_of_failed_double_execute_not_queued", bo_detach(fd_a, fill[1]), 0);

	/* fill the 8-element ring behind the stalled head */
	for (i = 2; i < 12; i++) {
		ret = bo_execute1(fd_a, dbc_s, fill[i]);
		if (ret) {
			full = ret;
			break;
		}
		queued++;
	}
	expect("execute_on_full_ring", full, -EAGAIN);
	printf("# %d one-element requests queued on an 8-element ring before EAGAIN\n", queued);
	tap_result(queued >= 6 && queued <= 8, "ring_holds_about_its_queue_size",
		   "%d requests fit in 8 elements", queued);
	if (full && i < 12)
		expect("bo_refused_by_full_ring_not_queued", bo_detach(fd_a, fill[i]), 0);
	expect("wait_behind_stalled_head_times_out", bo_wait(fd_a, dbc_s, fill[2], 50),
	       -ETIMEDOUT);

	/* deactivating the DBC ends it all: waits now find the DBC not ours */
	ret = dbc_deactivate(fd_a, dbc_s);
	expect("deactivate_stalled_dbc", ret, 0);
	expect("wait_after_deactivate", bo_wait(fd_a, dbc_s, stalled, 100), -EPERM);
	expect("detach_after_deactivate", bo_detach(fd_a, stalled), -EINVAL);
	expect("execute_after_deactivate", bo_execute1(fd_a, dbc_s, fill[3]), -EPERM);
	{
		struct qaic_attach_slice_entry e = slice_at(0, PAGE, PLAIN_DEV);

		expect("bo_from_deactivated_dbc_attaches_elsewhere",
		       bo_attach(fd_a, stalled, dbc_a, BO_TO_DEV, &e, 1), 0);
		expect("and_runs_there", bo_execute1(fd_a, dbc_a, stalled), 0);
		expect("and_completes_there", bo_wait(fd_a, dbc_a, stalled, 5000), 0);
	}
	bo_close(fd_a, stalled);
	for (i = 0; i < 12; i++)
		bo_close(fd_a, fill[i]);
}

/*
 * The sim's dbc_stall fault holds a DBC's queue: fill it to -EAGAIN, let it
 * go, and everything queued completes; the refused BO then goes through.
 */
static void test_ring_full_recovers(void)
{
	uint32_t bos[10];
	char arg[32];
	int d, i, n = 0, ret = 0, done = 0;

	d = dbc_activate(fd_a, 8);
	if (d < 0) {
		expect("ring_full_recovers_activate", d, 0);
		return;
	}
	for (i = 0; i < 10; i++)
		bos[i] = plain_bo(fd_a, d, PLAIN_DEV + i * PAGE);
	snprintf(arg, sizeof(arg), "%d 1", d);
	if (sim_fault(&card, "dbc_stall", arg)) {
		tap_result(0, "sim_dbc_stall_fault_armed", "cannot write fault/dbc_stall");
		goto out;
	}
	for (i = 0; i < 10; i++) {
		ret = bo_execute1(fd_a, d, bos[i]);
		if (ret)
			break;
		n++;
	}
	expect("execute_on_stalled_dbc_fills_to_eagain", ret, -EAGAIN);
	expect("wait_on_stalled_dbc_times_out", bo_wait(fd_a, d, bos[0], 50), -ETIMEDOUT);
	snprintf(arg, sizeof(arg), "%d 0", d);
	sim_fault(&card, "dbc_stall", arg);
	for (i = 0; i < n; i++)
		done += bo_wait(fd_a, d, bos[i], 5000) == 0;
	tap_result(done == n && n >= 6, "everything_queued_completes_after_the_stall",
		   "%d of %d queued requests completed", done, n);
	if (n < 10) {
		expect("bo_refused_with_eagain_runs_later", bo_execute1(fd_a, d, bos[n]), 0);
		expect("and_completes", bo_wait(fd_a, d, bos[n], 5000), 0);
	}
out:
	dbc_deactivate(fd_a, d);
	for (i = 0; i < 10; i++)
		bo_close(fd_a, bos[i]);
}

/*
 * A response element with a device error code (the sim's dbc_error fault):
 * upstream's WAIT_BO does not report it (it only logs it), the BO is idle
 * again and the next execution is clean.
 */
/* A counter of DBC dbc in the sim's debugfs "dbc" file, or -1. */
static long long sim_dbc_counter(int dbc, const char *name)
{
	char path[300], line[1024], key[48], *p;
	long long v = -1;
	int in = 0, id;
	FILE *f;

	snprintf(path, sizeof(path), "%s/dbc", card.simfs);
	snprintf(key, sizeof(key), " %s ", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "dbc %d ", &id) == 1)
			in = id == dbc;
		else if (in && (p = strstr(line, key)))
			v = atoll(p + strlen(key));
	}
	fclose(f);
	return v;
}

static void test_completion_error(void)
{
	uint32_t h = plain_bo(fd_a, dbc_a, PLAIN_DEV);
	long long errors = sim_dbc_counter(dbc_a, "errors");
	char arg[32];

	snprintf(arg, sizeof(arg), "%d 1 7", dbc_a);
	if (sim_fault(&card, "dbc_error", arg)) {
		tap_result(0, "sim_dbc_error_fault_armed", "cannot write fault/dbc_error");
		bo_close(fd_a, h);
		return;
	}
	expect("execute_completing_with_device_error", bo_execute1(fd_a, dbc_a, h), 0);
	expect("wait_ignores_device_error_code", bo_wait(fd_a, dbc_a, h, 5000), 0);
	tap_result(errors >= 0 && sim_dbc_counter(dbc_a, "errors") == errors + 1,
		   "the_device_did_report_the_error", "sim errors %lld -> %lld", errors,
		   sim_dbc_counter(dbc_a, "errors"));
	expect("execute_after_device_error", bo_execute1(fd_a, dbc_a, h), 0);
	expect("wait_after_device_error", bo_wait(fd_a, dbc_a, h, 5000), 0);
	snprintf(arg, sizeof(arg), "%d 0", dbc_a);
	sim_fault(&card, "dbc_error", arg);
	bo_close(fd_a, h);
}

/*
 * While the card is not ONLINE every data-path ioctl says -ENODEV. A
 * SYS_ERR whose version query loses its reply keeps the card in BOOT for
 * the control reply timeout; a second SYS_ERR brings it back. The reset
 * releases every DBC: A and B activate new ones afterwards.
 */
static void test_not_online(void)
{
	struct qaic_attach_slice_entry e = slice_at(0, PAGE, PLAIN_DEV);
	struct qaic_perf_stats_entry pe = { 0 };
	uint32_t bare = new_bo(fd_a, PAGE), plain = plain_bo(fd_a, dbc_a, PLAIN_DEV), h = 0;
	struct qaic_mmap_bo margs = { .handle = bare };
	int ret;

	if (sim_fault(&card, "drop_replies", "1") || sim_fault(&card, "syserr", "1")) {
		tap_result(0, "not_online_sim_faults_armed", "cannot write fault/*");
		return;
	}
	ret = wait_state(&card, "BOOT", 20000);
	tap_result(!ret, "card_held_in_boot", "state never BOOT");
	if (!ret) {
		expect("create_bo_not_online", bo_create(fd_a, PAGE, &h), -ENODEV);
		ret = ioctl(fd_a, DRM_IOCTL_QAIC_MMAP_BO, &margs) ? -errno : 0;
		expect("mmap_bo_not_online", ret, -ENODEV);
		expect("attach_not_online", bo_attach(fd_a, bare, dbc_a, BO_TO_DEV, &e, 1),
		       -ENODEV);
		expect("execute_not_online", bo_execute1(fd_a, dbc_a, plain), -ENODEV);
		expect("partial_execute_not_online", bo_partial1(fd_a, dbc_a, plain, 10), -ENODEV);
		expect("wait_not_online", bo_wait(fd_a, dbc_a, plain, 100), -ENODEV);
		pe.handle = plain;
		expect("perf_stats_not_online", bo_perf(fd_a, dbc_a, &pe, 1), -ENODEV);
		expect("detach_not_online", bo_detach(fd_a, plain), -ENODEV);
		expect("gem_close_not_online", bo_close(fd_a, bare), 0);
	}
	sim_fault(&card, "syserr", "1");
	ret = wait_state(&card, "ONLINE", 30000);
	tap_result(!ret, "card_online_after_second_syserr", "not ONLINE in 30 s");
	expect("reset_detached_the_bo", bo_detach(fd_a, plain), -EINVAL);
	bo_close(fd_a, plain);
	if (h)
		bo_close(fd_a, h);
	/* the reset released every DBC and forgot the network */
	dbc_a = dbc_activate(fd_a, 64);
	dbc_b = dbc_activate(fd_b, 16);
	tap_result(dbc_a >= 0 && dbc_b >= 0, "clients_activate_again_after_reset",
		   "dbc_a %d dbc_b %d", dbc_a, dbc_b);
}

/* ------------------------------------------------------------------ */

static int load_net(void)
{
	struct qaic_simnet n = {
		.net_id = NET_ID, .nsp_count = 1, .input_bytes = net.in_bytes,
		.output_bytes = net.out_bytes, .input_dev_addr = net.in_dev,
		.output_dev_addr = net.out_dev, .dist = QAIC_SIMNET_FIXED, .mean_ns = 200000,
		.sem_index = net.sem, .doorbell = net.doorbell,
	};

	return qaic_simnet_load(dev_a, &n);
}

/* One inference of the network on dbc_a, output checked. */
static void test_round_trip(const char *name)
{
	struct qaic_perf_stats_entry pe;
	uint32_t both[2];
	struct net_bos b;
	uint64_t bad = 0, first = 0;
	char full[160];
	int ret, i;

	ret = net_bos_setup(fd_a, dbc_a, &net, &b);
	if (ret) {
		snprintf(full, sizeof(full), "%s_setup", name);
		expect(full, ret, 0);
		return;
	}
	for (i = 0; i < PAGE; i++)
		b.in[i] = (uint8_t)(i * 13 + 1 + name[0]);
	both[0] = b.in_h;
	both[1] = b.out_h;
	ret = bo_execute(fd_a, dbc_a, both, 2);
	if (!ret)
		ret = bo_wait(fd_a, dbc_a, b.out_h, 5000);
	if (!ret)
		ret = bo_wait(fd_a, dbc_a, b.in_h, 5000);
	if (!ret)
		bad = net_out_mismatches(b.in, b.in_bytes, b.out, b.out_bytes, &first);
	snprintf(full, sizeof(full), "%s_execute_wait", name);
	expect(full, ret, 0);
	snprintf(full, sizeof(full), "%s_output_matches", name);
	tap_result(!ret && !bad, full, "%llu bytes differ, first at %llu",
		   (unsigned long long)bad, (unsigned long long)first);
	memset(&pe, 0, sizeof(pe));
	pe.handle = b.out_h;
	ret = bo_perf(fd_a, dbc_a, &pe, 1);
	snprintf(full, sizeof(full), "%s_perf_stats", name);
	tap_result(!ret && pe.num_queue_element >= 1 && pe.device_latency_us >= 200 &&
		   pe.device_latency_us < 5000000, full,
		   "ret %d elements %u device %u us submit %u us", ret, pe.num_queue_element,
		   pe.device_latency_us, pe.submit_latency_us);
	net_bos_free(fd_a, &b);
}

static int find_free_dbc(void)
{
	char name[32], state[32];
	int i;

	for (i = NUM_DBC - 1; i >= 0; i--) {
		snprintf(name, sizeof(name), "dbc%d_state", i);
		if (!card_attr(&card, name, state, sizeof(state)) && !strcmp(state, "free"))
			return i;
	}
	return -1;
}

int main(void)
{
	int ret;

	if (find_card(&card)) {
		printf("Bail out! no qaic device found\n");
		return 1;
	}
	ret = qaic_open(card.node, &dev_a);
	if (ret) {
		printf("Bail out! open %s: %s\n", card.node, strerror(-ret));
		return 1;
	}
	fd_a = qaic_fd(dev_a);
	fd_b = open(card.node, O_RDWR | O_CLOEXEC);
	dbc_a = dbc_activate(fd_a, 64);
	dbc_s = dbc_activate(fd_a, 8);
	dbc_b = dbc_activate(fd_b, 16);
	dbc_free = find_free_dbc();
	ret = load_net();
	if (fd_b < 0 || dbc_a < 0 || dbc_s < 0 || dbc_b < 0 || dbc_free < 0 || ret) {
		printf("Bail out! setup: fd_b %d dbc_a %d dbc_s %d dbc_b %d free %d net %d\n",
		       fd_b, dbc_a, dbc_s, dbc_b, dbc_free, ret);
		return 1;
	}
	printf("# card %s: A owns dbc %d and %d, B owns dbc %d, dbc %d is free\n", card.node,
	       dbc_a, dbc_s, dbc_b, dbc_free);

	test_round_trip("round_trip_before");
	test_create_bo();
	test_mmap_bo();
	test_attach();
	test_execute();
	test_wait_perf_detach();
	test_stalled();
	test_ring_full_recovers();
	test_completion_error();
	test_round_trip("round_trip_after_bad_calls");
	test_not_online();
	ret = load_net();
	expect("network_loads_again_after_reset", ret, 0);
	test_round_trip("round_trip_after_reset");
	tap_result(device_status_ok(fd_a), "device_answers_status_at_the_end", "STATUS failed");

	dbc_deactivate(fd_b, dbc_b);
	close(fd_b);
	dbc_deactivate(fd_a, dbc_a);
	qaic_close(dev_a);
	return tap_done();
}
