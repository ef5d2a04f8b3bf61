// SPDX-License-Identifier: MIT
/*
 * The sim network helper's element plan, written out independently of the
 * library: which slices the input and output BOs get (qaic_sim_net.h's
 * convention), their sizes for 4 KiB and 16 KiB pages, the queue bound,
 * where qaic_simnet_place() puts buffers, and qaic_simnet_check() against
 * the header's own simnet_out_byte().
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "qaic.h"
#include "tap.h"

#ifndef __packed
#define __packed __attribute__((packed))
#endif
#include "qaic_sim_net.h"

static struct qaic_simnet net_of(uint64_t in, uint64_t out)
{
	struct qaic_simnet n;

	memset(&n, 0, sizeof(n));
	n.net_id = 7;
	n.nsp_count = 2;
	n.input_bytes = in;
	n.output_bytes = out;
	n.input_dev_addr = 0x10000000;
	n.output_dev_addr = 0x18000000;
	n.sem_index = 9;
	n.doorbell = 0xabcd0007;
	n.mean_ns = 1000000;
	return n;
}

static int sem_is_zero(const struct qaic_sem *s)
{
	return !s->val && !s->index && !s->presync && !s->cmd && !s->flags && !s->pad;
}

static void check_input_slice(const struct qaic_simnet_plan *p, const struct qaic_simnet *n)
{
	const struct qaic_attach_slice_entry *s = &p->in_slices[0];

	CHECK_EQ(p->in_count, 1);
	CHECK_EQ(s->offset, 0);
	CHECK_EQ(s->size, n->input_bytes);
	CHECK_EQ(s->dev_addr, n->input_dev_addr);
	CHECK_EQ(s->db_addr, SIMNET_DOORBELL_ADDR);
	CHECK_EQ(s->db_data, n->doorbell);
	CHECK_EQ(s->db_len, 32);
	CU_ASSERT(sem_is_zero(&s->sem0) && sem_is_zero(&s->sem1) && sem_is_zero(&s->sem2) &&
		  sem_is_zero(&s->sem3));
}

/* The first output slice: one page (or less) gated by "P" on sem_index. */
static void check_gate_slice(const struct qaic_simnet_plan *p, const struct qaic_simnet *n,
			     uint64_t want_size)
{
	const struct qaic_attach_slice_entry *s = &p->out_slices[0];

	CHECK_EQ(s->offset, 0);
	CHECK_EQ(s->size, want_size);
	CHECK_EQ(s->dev_addr, n->output_dev_addr);
	CHECK_EQ(s->sem0.presync, 1);
	CHECK_EQ(s->sem0.cmd, QAIC_SEM_WAIT_GT_0);
	CHECK_EQ(s->sem0.index, n->sem_index);
	CHECK_EQ(s->sem0.val, 0);
	CHECK_EQ(s->sem0.flags, 0);
	CU_ASSERT(sem_is_zero(&s->sem1) && sem_is_zero(&s->sem2) && sem_is_zero(&s->sem3));
	CHECK_EQ(s->db_len, 0);
}

static void test_small_output_is_one_gated_slice(void)
{
	struct qaic_simnet n = net_of(600 * 1024, 4096);
	struct qaic_simnet_plan p;

	CHECK_OK(qaic_simnet_plan(&n, 4096, &p));
	CHECK_EQ(p.in_bo_size, 600 * 1024);
	CHECK_EQ(p.out_bo_size, 4096);
	check_input_slice(&p, &n);
	CHECK_EQ(p.out_count, 1);
	check_gate_slice(&p, &n, 4096);
	CHECK_EQ(p.max_elements, 150 + 1);
	CHECK_OK(qaic_slice_check(p.in_slices, p.in_count, p.in_bo_size, NULL));
	CHECK_OK(qaic_slice_check(p.out_slices, p.out_count, p.out_bo_size, NULL));

	n = net_of(100, 3);			/* sub-page sizes round up to a page */
	CHECK_OK(qaic_simnet_plan(&n, 4096, &p));
	CHECK_EQ(p.in_bo_size, 4096);
	CHECK_EQ(p.out_bo_size, 4096);
	CHECK_EQ(p.in_slices[0].size, 100);
	CHECK_EQ(p.out_count, 1);
	check_gate_slice(&p, &n, 3);
	CHECK_EQ(p.max_elements, 2);
}

static void test_large_output_gates_its_first_page(void)
{
	struct qaic_simnet n = net_of(4 << 20, (4 << 20) + 10);
	const struct qaic_attach_slice_entry *rest;
	struct qaic_simnet_plan p;

	CHECK_OK(qaic_simnet_plan(&n, 4096, &p));
	CHECK_EQ(p.out_bo_size, (4 << 20) + 4096);
	CHECK_EQ(p.out_count, 2);
	check_gate_slice(&p, &n, 4096);
	rest = &p.out_slices[1];
	CHECK_EQ(rest->offset, 4096);
	CHECK_EQ(rest->size, (4 << 20) + 10 - 4096);
	CHECK_EQ(rest->dev_addr, n.output_dev_addr + 4096);
	CU_ASSERT(sem_is_zero(&rest->sem0) && sem_is_zero(&rest->sem1) &&
		  sem_is_zero(&rest->sem2) && sem_is_zero(&rest->sem3));
	CHECK_EQ(rest->db_len, 0);
	CHECK_EQ(p.max_elements, 1024 + 1025);
	CHECK_OK(qaic_slice_check(p.out_slices, p.out_count, p.out_bo_size, NULL));
}

static void test_page_size_moves_the_gate(void)
{
	struct qaic_simnet n = net_of(20000, 40000);
	struct qaic_simnet_plan p;

	CHECK_OK(qaic_simnet_plan(&n, 16384, &p));
	CHECK_EQ(p.in_bo_size, 32768);
	CHECK_EQ(p.out_bo_size, 49152);
	check_gate_slice(&p, &n, 16384);
	CHECK_EQ(p.out_slices[1].offset, 16384);
	CHECK_EQ(p.out_slices[1].size, 40000 - 16384);
	CHECK_EQ(p.max_elements, 2 + 3);

	n = net_of(16384, 16384);		/* exactly one page: no second slice */
	CHECK_OK(qaic_simnet_plan(&n, 16384, &p));
	CHECK_EQ(p.out_count, 1);
	CHECK_EQ(p.max_elements, 2);
}

static void test_plan_rejects_bad_input(void)
{
	struct qaic_simnet n = net_of(4096, 4096);
	struct qaic_simnet_plan p;

	CHECK_ERR(qaic_simnet_plan(NULL, 4096, &p), EINVAL);
	CHECK_ERR(qaic_simnet_plan(&n, 4096, NULL), EINVAL);
	CHECK_ERR(qaic_simnet_plan(&n, 0, &p), EINVAL);
	CHECK_ERR(qaic_simnet_plan(&n, 2048, &p), EINVAL);
	CHECK_ERR(qaic_simnet_plan(&n, 12288, &p), EINVAL);	/* not a power of two */
	n.input_bytes = 0;
	CHECK_ERR(qaic_simnet_plan(&n, 4096, &p), EINVAL);
	n = net_of(4096, 0);
	CHECK_ERR(qaic_simnet_plan(&n, 4096, &p), EINVAL);
	n = net_of((1ULL << 40) + 1, 1);
	CHECK_ERR(qaic_simnet_plan(&n, 4096, &p), EINVAL);
	n = net_of(4096, 4096);
	n.sem_index = 32;
	CHECK_ERR(qaic_simnet_plan(&n, 4096, &p), EINVAL);
}

static void test_place_gives_each_dbc_its_own_range(void)
{
	struct qaic_simnet a = net_of(128 << 20, 1), b = net_of(1, 128 << 20);

	CHECK_OK(qaic_simnet_place(&a, 0));
	CHECK_EQ(a.input_dev_addr, 0);
	CHECK_EQ(a.output_dev_addr, 128 << 20);
	CHECK_OK(qaic_simnet_place(&b, 1));
	CHECK_EQ(b.input_dev_addr, 256 << 20);
	CHECK_EQ(b.output_dev_addr, 384 << 20);
	CU_ASSERT(a.output_dev_addr + a.output_bytes <= b.input_dev_addr);
	CHECK_OK(qaic_simnet_place(&b, 31));
	CHECK_EQ(b.output_dev_addr + b.output_bytes, 8ULL << 30);

	CHECK_ERR(qaic_simnet_place(&b, 32), EINVAL);
	CHECK_ERR(qaic_simnet_place(NULL, 0), EINVAL);
	a.input_bytes = (128 << 20) + 1;
	CHECK_ERR(qaic_simnet_place(&a, 0), E2BIG);
	a = net_of(1, (128 << 20) + 1);
	CHECK_ERR(qaic_simnet_place(&a, 0), E2BIG);
	a = net_of(0, 1);
	CHECK_ERR(qaic_simnet_place(&a, 0), EINVAL);
}

static void check_lengths(uint64_t in_len, uint64_t out_len)
{
	uint8_t *in = malloc(in_len), *out = malloc(out_len);
	uint64_t k, bad = 0;

	CU_ASSERT_FATAL(in && out);
	for (k = 0; k < in_len; k++)
		in[k] = (uint8_t)(k * 131 + 17);
	for (k = 0; k < out_len; k++)
		out[k] = simnet_out_byte(in, in_len, k);
	CHECK_OK(qaic_simnet_check(in, in_len, out, out_len, &bad));

	out[out_len - 1] ^= 1;
	CHECK_ERR(qaic_simnet_check(in, in_len, out, out_len, &bad), EBADMSG);
	CHECK_EQ(bad, out_len - 1);
	out[out_len / 2] ^= 0x80;
	CHECK_ERR(qaic_simnet_check(in, in_len, out, out_len, &bad), EBADMSG);
	CHECK_EQ(bad, out_len / 2);
	free(in);
	free(out);
}

static void test_check_matches_the_headers_transform(void)
{
	uint8_t b = 0;

	check_lengths(1, 1);
	check_lengths(1, 300);		/* output wraps the input many times */
	check_lengths(600 * 1024, 4096);	/* output shorter than input */
	check_lengths(4096, 3 * 4096 + 5);
	check_lengths(997, 65536);

	CHECK_ERR(qaic_simnet_check(NULL, 1, &b, 1, NULL), EINVAL);
	CHECK_ERR(qaic_simnet_check(&b, 1, NULL, 1, NULL), EINVAL);
	CHECK_ERR(qaic_simnet_check(&b, 0, &b, 1, NULL), EINVAL);
	CHECK_ERR(qaic_simnet_check(&b, 1, &b, 0, NULL), EINVAL);
}

static CU_TestInfo tests[] = {
	{ "small output: one slice gated by P on sem_index",
	  test_small_output_is_one_gated_slice },
	{ "large output: first page gated, the rest after it",
	  test_large_output_gates_its_first_page },
	{ "page size sets the gate slice and BO sizes", test_page_size_moves_the_gate },
	{ "plan rejects bad input", test_plan_rejects_bad_input },
	{ "place gives each DBC its own DDR range", test_place_gives_each_dbc_its_own_range },
	{ "check agrees with simnet_out_byte()", test_check_matches_the_headers_transform },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "simnet_plan", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
