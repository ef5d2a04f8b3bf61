// SPDX-License-Identifier: MIT
/*
 * The slice-entry builder and qaic_slice_check(): the uAPI struct's fields
 * as the builders set them, and every rule the kernel applies to a slice
 * (doorbell width and alignment, semaphore ranges, one presync, in bounds,
 * no overlap). Pure functions: no device.
 */
#include <string.h>

#include "check.h"
#include "qaic.h"
#include "tap.h"

static void test_init_sets_range_and_clears_the_rest(void)
{
	struct qaic_attach_slice_entry e;

	memset(&e, 0xa5, sizeof(e));
	CHECK_OK(qaic_slice_init(&e, 4096, 8192, 0x1234000));
	CHECK_EQ(e.offset, 4096);
	CHECK_EQ(e.size, 8192);
	CHECK_EQ(e.dev_addr, 0x1234000);
	CHECK_EQ(e.db_len, 0);
	CHECK_EQ(e.db_addr, 0);
	CHECK_EQ(e.db_data, 0);
	CHECK_EQ(e.sem0.cmd | e.sem1.cmd | e.sem2.cmd | e.sem3.cmd, 0);
	CHECK_EQ(e.sem0.flags | e.sem0.presync | e.sem0.index | e.sem0.val | e.sem0.pad, 0);

	CHECK_OK(qaic_slice_init(&e, 0, 0, 0));		/* no transfer: allowed */
	CHECK_ERR(qaic_slice_init(NULL, 0, 1, 0), EINVAL);
	CHECK_ERR(qaic_slice_init(&e, UINT64_MAX, 2, 0), EINVAL);
	CHECK_OK(qaic_slice_init(&e, UINT64_MAX - 2, 2, 0));
}

static void test_doorbell_widths_and_alignment(void)
{
	struct qaic_attach_slice_entry e;

	qaic_slice_init(&e, 0, 4096, 0);
	CHECK_OK(qaic_slice_doorbell(&e, 0x1000, 0xdeadbeef, 32));
	CHECK_EQ(e.db_addr, 0x1000);
	CHECK_EQ(e.db_data, 0xdeadbeef);
	CHECK_EQ(e.db_len, 32);
	CHECK_OK(qaic_slice_doorbell(&e, 0x1002, 0xffff, 16));
	CHECK_EQ(e.db_len, 16);
	CHECK_OK(qaic_slice_doorbell(&e, 0x1003, 0xff, 8));
	CHECK_EQ(e.db_len, 8);

	CHECK_ERR(qaic_slice_doorbell(&e, 0x1002, 1, 32), EINVAL);	/* unaligned */
	CHECK_ERR(qaic_slice_doorbell(&e, 0x1001, 1, 16), EINVAL);
	CHECK_ERR(qaic_slice_doorbell(&e, 0x1000, 0x10000, 16), EINVAL);	/* too wide */
	CHECK_ERR(qaic_slice_doorbell(&e, 0x1000, 0x100, 8), EINVAL);
	CHECK_ERR(qaic_slice_doorbell(&e, 0x1000, 1, 24), EINVAL);
	CHECK_ERR(qaic_slice_doorbell(&e, 0x1000, 1, 64), EINVAL);
	CHECK_ERR(qaic_slice_doorbell(NULL, 0x1000, 1, 32), EINVAL);
	/* a refused doorbell leaves the last good one */
	CHECK_EQ(e.db_len, 8);
	CHECK_EQ(e.db_addr, 0x1003);

	CHECK_OK(qaic_slice_doorbell(&e, 0x1003, 7, 0));	/* removed */
	CHECK_EQ(e.db_len, 0);
	CHECK_EQ(e.db_addr, 0);
	CHECK_EQ(e.db_data, 0);
}

static void test_sem_fills_slots_in_order(void)
{
	struct qaic_attach_slice_entry e;

	qaic_slice_init(&e, 0, 4096, 0);
	CHECK_OK(qaic_slice_sem(&e, QAIC_SEM_PRESYNC, QAIC_SEM_WAIT_GT_0, 31, 0, 0));
	CHECK_EQ(e.sem0.cmd, QAIC_SEM_WAIT_GT_0);
	CHECK_EQ(e.sem0.index, 31);
	CHECK_EQ(e.sem0.presync, 1);
	CHECK_OK(qaic_slice_sem(&e, QAIC_SEM_POSTSYNC, QAIC_SEM_INC, 3, 0xfff, 0));
	CHECK_EQ(e.sem1.cmd, QAIC_SEM_INC);
	CHECK_EQ(e.sem1.val, 0xfff);
	CHECK_EQ(e.sem1.presync, 0);
	CHECK_OK(qaic_slice_sem(&e, QAIC_SEM_POSTSYNC, QAIC_SEM_NOP, 0, 0,
				QAIC_SEM_INSYNCFENCE | QAIC_SEM_OUTSYNCFENCE));
	CHECK_EQ(e.sem2.flags, QAIC_SEM_INSYNCFENCE | QAIC_SEM_OUTSYNCFENCE);
	CHECK_OK(qaic_slice_sem(&e, QAIC_SEM_POSTSYNC, QAIC_SEM_INIT, 0, 0, 0));
	CHECK_EQ(e.sem3.cmd, QAIC_SEM_INIT);
	CHECK_ERR(qaic_slice_sem(&e, QAIC_SEM_POSTSYNC, QAIC_SEM_DEC, 0, 1, 0), ENOSPC);
}

static void test_sem_rejects_bad_values(void)
{
	struct qaic_attach_slice_entry e;

	qaic_slice_init(&e, 0, 4096, 0);
	CHECK_ERR(qaic_slice_sem(&e, QAIC_SEM_POSTSYNC, QAIC_SEM_INC, 32, 0, 0), EINVAL);
	CHECK_ERR(qaic_slice_sem(&e, QAIC_SEM_POSTSYNC, QAIC_SEM_INC, 0, 0x1000, 0), EINVAL);
	CHECK_ERR(qaic_slice_sem(&e, QAIC_SEM_POSTSYNC, QAIC_SEM_WAIT_GT_0 + 1, 0, 0, 0), EINVAL);
	CHECK_ERR(qaic_slice_sem(&e, QAIC_SEM_POSTSYNC, QAIC_SEM_INC, 0, 0, 4), EINVAL);
	CHECK_ERR(qaic_slice_sem(&e, (enum qaic_sem_sync)2, QAIC_SEM_INC, 0, 0, 0), EINVAL);
	/* a NOP without a fence does nothing: refused as a likely mistake */
	CHECK_ERR(qaic_slice_sem(&e, QAIC_SEM_POSTSYNC, QAIC_SEM_NOP, 0, 0, 0), EINVAL);
	CHECK_ERR(qaic_slice_sem(NULL, QAIC_SEM_POSTSYNC, QAIC_SEM_INC, 0, 0, 0), EINVAL);
	/* only one presync per slice */
	CHECK_OK(qaic_slice_sem(&e, QAIC_SEM_PRESYNC, QAIC_SEM_WAIT_EQUAL, 1, 2, 0));
	CHECK_ERR(qaic_slice_sem(&e, QAIC_SEM_PRESYNC, QAIC_SEM_WAIT_GT_EQ, 1, 2, 0), EINVAL);
	CHECK_OK(qaic_slice_sem(&e, QAIC_SEM_POSTSYNC, QAIC_SEM_DEC, 1, 1, 0));
	/* nothing but the two good ones was written */
	CHECK_EQ(e.sem2.cmd | e.sem3.cmd | e.sem2.flags | e.sem3.index, 0);
}

static void test_check_accepts_what_the_builders_make(void)
{
	struct qaic_attach_slice_entry e[3];
	uint32_t bad = 99;

	qaic_slice_init(&e[0], 0, 4096, 0x1000);
	qaic_slice_sem(&e[0], QAIC_SEM_PRESYNC, QAIC_SEM_WAIT_GT_0, 5, 0, 0);
	qaic_slice_init(&e[1], 8192, 4096, 0x9000);	/* a gap is fine */
	qaic_slice_doorbell(&e[1], 0x100000, 1, 32);
	qaic_slice_init(&e[2], 4096, 4096, 0x5000);	/* order does not matter */
	CHECK_OK(qaic_slice_check(e, 3, 12288, &bad));
	CHECK_EQ(bad, 99);
	CHECK_OK(qaic_slice_check(e, 3, 12288, NULL));
	/* a zero-size slice covers no bytes: it overlaps nothing */
	qaic_slice_init(&e[2], 4096, 0, 0);
	CHECK_OK(qaic_slice_check(e, 3, 12288, &bad));
}

static void test_check_rejects_out_of_bounds_and_overlap(void)
{
	struct qaic_attach_slice_entry e[3];
	uint32_t bad = 99;

	qaic_slice_init(&e[0], 0, 4096, 0);
	qaic_slice_init(&e[1], 4096, 4097, 0);		/* one byte past the end */
	CHECK_ERR(qaic_slice_check(e, 2, 8192, &bad), EINVAL);
	CHECK_EQ(bad, 1);

	qaic_slice_init(&e[1], 8192, 0, 0);		/* empty at the very end: fine */
	CHECK_OK(qaic_slice_check(e, 2, 8192, &bad));
	qaic_slice_init(&e[1], 8193, 0, 0);		/* empty beyond it: not */
	CHECK_ERR(qaic_slice_check(e, 2, 8192, &bad), EINVAL);

	qaic_slice_init(&e[0], 4096, 4096, 0);
	qaic_slice_init(&e[1], 0, 4096, 0);
	qaic_slice_init(&e[2], 0, 4097, 0);		/* overlaps both by a byte */
	CHECK_ERR(qaic_slice_check(e, 3, 8192, &bad), EINVAL);
	CHECK_EQ(bad, 2);

	e[0].offset = UINT64_MAX;			/* offset + size wraps */
	CHECK_ERR(qaic_slice_check(e, 1, UINT64_MAX, &bad), EINVAL);
	CHECK_EQ(bad, 0);
}

static void test_check_rejects_raw_field_errors(void)
{
	struct qaic_attach_slice_entry e;
	uint32_t bad;

	qaic_slice_init(&e, 0, 4096, 0);
	e.db_len = 24;
	CHECK_ERR(qaic_slice_check(&e, 1, 4096, &bad), EINVAL);
	e.db_len = 32;
	e.db_addr = 2;
	CHECK_ERR(qaic_slice_check(&e, 1, 4096, &bad), EINVAL);
	qaic_slice_init(&e, 0, 4096, 0);
	e.sem2.index = 32;
	CHECK_ERR(qaic_slice_check(&e, 1, 4096, &bad), EINVAL);
	qaic_slice_init(&e, 0, 4096, 0);
	e.sem3.pad = 1;
	CHECK_ERR(qaic_slice_check(&e, 1, 4096, &bad), EINVAL);
	qaic_slice_init(&e, 0, 4096, 0);
	e.sem1.presync = 2;
	CHECK_ERR(qaic_slice_check(&e, 1, 4096, &bad), EINVAL);
	qaic_slice_init(&e, 0, 4096, 0);
	e.sem0.presync = 1;
	e.sem0.cmd = QAIC_SEM_WAIT_GT_0;
	e.sem3.presync = 1;
	e.sem3.cmd = QAIC_SEM_WAIT_GT_0;
	CHECK_ERR(qaic_slice_check(&e, 1, 4096, &bad), EINVAL);
	qaic_slice_init(&e, 0, 4096, 0);
	e.sem0.flags = 0x80;
	CHECK_ERR(qaic_slice_check(&e, 1, 4096, &bad), EINVAL);
	qaic_slice_init(&e, 0, 4096, 0);
	e.sem0.val = 0x1000;
	CHECK_ERR(qaic_slice_check(&e, 1, 4096, &bad), EINVAL);

	CHECK_ERR(qaic_slice_check(NULL, 1, 4096, &bad), EINVAL);
	CHECK_ERR(qaic_slice_check(&e, 0, 4096, &bad), EINVAL);
}

static CU_TestInfo tests[] = {
	{ "init sets the range and clears the rest", test_init_sets_range_and_clears_the_rest },
	{ "doorbell widths, alignment and removal", test_doorbell_widths_and_alignment },
	{ "semaphores fill slots 0..3 in order", test_sem_fills_slots_in_order },
	{ "semaphore values out of range, second presync", test_sem_rejects_bad_values },
	{ "check accepts what the builders make", test_check_accepts_what_the_builders_make },
	{ "check: bounds and overlap, with the culprit's index",
	  test_check_rejects_out_of_bounds_and_overlap },
	{ "check: raw field errors", test_check_rejects_raw_field_errors },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "slice", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
