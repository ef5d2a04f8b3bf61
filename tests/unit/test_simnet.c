// SPDX-License-Identifier: MIT
/*
 * Simulated networks: the descriptor's exact little-endian bytes (offsets
 * written out here, independently of qaic_sim_net.h), validation, weights,
 * and the firmware's reply.
 */
#include <string.h>

#include "check.h"
#include "qaic.h"
#include "tap.h"

#define DESC_LEN	112
#define TRANS_LEN	(8 + DESC_LEN)

static void le(uint8_t *p, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t host32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t host64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Every field distinct, and every byte of each field distinct. */
static struct qaic_simnet sample_net(void)
{
	struct qaic_simnet n;

	memset(&n, 0, sizeof(n));
	n.net_id = 0x01020304;
	n.nsp_count = 16;
	n.input_bytes = 0x1112131415161718ull;
	n.output_bytes = 0x2122232425262728ull;
	n.input_dev_addr = 0x3132333435363738ull;
	n.output_dev_addr = 0x4142434445464748ull;
	n.dist = QAIC_SIMNET_BIMODAL;
	n.seed = 0x51525354;
	n.mean_ns = 0x6162636465666768ull;
	n.stddev_ns = 0x7172737475767778ull;
	n.alt_mean_ns = 0x8182838485868788ull;
	n.alt_stddev_ns = 0x9192939495969798ull;
	n.alt_permille = 1000;
	n.sem_index = 31;
	n.doorbell = 0xa1a2a3a4;
	return n;
}

static void expected_desc(uint8_t *d, const struct qaic_simnet *n, uint16_t op)
{
	memset(d, 0, DESC_LEN);
	le(d + 0, 0x54454e53, 4);	/* "SNET" */
	le(d + 4, 1, 2);		/* version */
	le(d + 6, op, 2);
	le(d + 8, n->net_id, 4);
	if (op != 1)
		return;
	le(d + 12, n->nsp_count, 4);
	le(d + 16, n->input_bytes, 8);
	le(d + 24, n->output_bytes, 8);
	le(d + 32, n->input_dev_addr, 8);
	le(d + 40, n->output_dev_addr, 8);
	le(d + 48, n->dist, 4);
	le(d + 52, n->seed, 4);
	le(d + 56, n->mean_ns, 8);
	le(d + 64, n->stddev_ns, 8);
	le(d + 72, n->alt_mean_ns, 8);
	le(d + 80, n->alt_stddev_ns, 8);
	le(d + 88, n->alt_permille, 4);
	le(d + 92, n->sem_index, 4);
	le(d + 96, n->doorbell, 4);
	le(d + 100, n->weights_tag, 4);
	le(d + 104, n->weights_bytes, 8);
}

static void test_load_descriptor_bytes(void)
{
	struct qaic_simnet n = sample_net();
	uint8_t want[DESC_LEN];
	struct qaic_msg msg;

	qaic_msg_init(&msg);
	CHECK_OK(qaic_msg_add_simnet_load(&msg, &n));
	CHECK_EQ(msg.count, 1);
	CHECK_EQ(msg.len, TRANS_LEN);
	CHECK_EQ(host32(msg.buf), QAIC_TRANS_PASSTHROUGH_FROM_USR);
	CHECK_EQ(host32(msg.buf + 4), TRANS_LEN);
	expected_desc(want, &n, 1);
	CHECK_MEM(msg.buf + 8, want, DESC_LEN);
}

static void test_load_with_weights_adds_dma_xfer(void)
{
	static const uint8_t weights[3000] = { 1, 2, 3 };
	struct qaic_simnet n = sample_net();
	uint8_t want[DESC_LEN];
	struct qaic_msg msg;
	const uint8_t *x;

	n.weights_tag = 0xc1c2c3c4;
	n.weights_bytes = sizeof(weights);
	n.weights = weights;
	qaic_msg_init(&msg);
	CHECK_OK(qaic_msg_add_simnet_load(&msg, &n));
	CHECK_EQ(msg.count, 2);
	CHECK_EQ(msg.len, TRANS_LEN + 32);
	expected_desc(want, &n, 1);
	CHECK_MEM(msg.buf + 8, want, DESC_LEN);
	x = msg.buf + TRANS_LEN;
	CHECK_EQ(host32(x), QAIC_TRANS_DMA_XFER_FROM_USR);
	CHECK_EQ(host32(x + 4), 32);
	CHECK_EQ(host32(x + 8), 0xc1c2c3c4);
	CHECK_EQ(host64(x + 16), (uintptr_t)weights);
	CHECK_EQ(host64(x + 24), sizeof(weights));
}

static void test_load_is_all_or_nothing(void)
{
	static uint8_t filler[QAIC_MANAGE_MAX_MSG_LENGTH - TRANS_LEN - 16 - 8];
	static const uint8_t weights[8];
	struct qaic_simnet n = sample_net();
	struct qaic_msg msg;

	n.weights_tag = 1;
	n.weights_bytes = sizeof(weights);
	n.weights = weights;
	qaic_msg_init(&msg);
	/* Room for the descriptor, 16 bytes short of the DMA_XFER. */
	CHECK_OK(qaic_msg_add_passthrough(&msg, filler, sizeof(filler)));
	CHECK_EQ(msg.len, QAIC_MANAGE_MAX_MSG_LENGTH - TRANS_LEN - 16);
	CHECK_ERR(qaic_msg_add_simnet_load(&msg, &n), ENOSPC);
	CHECK_EQ(msg.count, 1);
	CHECK_EQ(msg.len, QAIC_MANAGE_MAX_MSG_LENGTH - TRANS_LEN - 16);
	CHECK_EQ(msg.buf[msg.len], 0);
	/* Without weights it fits. */
	n.weights_tag = 0;
	n.weights_bytes = 0;
	n.weights = NULL;
	CHECK_OK(qaic_msg_add_simnet_load(&msg, &n));
}

static void test_unload_descriptor_bytes(void)
{
	struct qaic_simnet n;
	uint8_t want[DESC_LEN];
	struct qaic_msg msg;

	memset(&n, 0, sizeof(n));
	n.net_id = 0xdeadbeef;
	qaic_msg_init(&msg);
	CHECK_OK(qaic_msg_add_simnet_unload(&msg, 0xdeadbeef));
	CHECK_EQ(msg.len, TRANS_LEN);
	expected_desc(want, &n, 2);
	CHECK_MEM(msg.buf + 8, want, DESC_LEN);
	CHECK_ERR(qaic_msg_add_simnet_unload(NULL, 1), EINVAL);
}

static void test_load_rejects_out_of_range_fields(void)
{
	static const uint8_t w[8];
	struct qaic_simnet n;
	struct qaic_msg msg;

	qaic_msg_init(&msg);
	n = sample_net();
	n.nsp_count = 0;
	CHECK_ERR(qaic_msg_add_simnet_load(&msg, &n), EINVAL);
	n.nsp_count = QAIC_SIMNET_MAX_NSP + 1;
	CHECK_ERR(qaic_msg_add_simnet_load(&msg, &n), EINVAL);
	n = sample_net();
	n.dist = QAIC_SIMNET_BIMODAL + 1;
	CHECK_ERR(qaic_msg_add_simnet_load(&msg, &n), EINVAL);
	n = sample_net();
	n.alt_permille = 1001;
	CHECK_ERR(qaic_msg_add_simnet_load(&msg, &n), EINVAL);
	n = sample_net();
	n.sem_index = 32;
	CHECK_ERR(qaic_msg_add_simnet_load(&msg, &n), EINVAL);
	n = sample_net();
	n.weights_tag = 1;	/* tag without bytes or data */
	CHECK_ERR(qaic_msg_add_simnet_load(&msg, &n), EINVAL);
	n.weights_bytes = 8;	/* without data */
	CHECK_ERR(qaic_msg_add_simnet_load(&msg, &n), EINVAL);
	n.weights_tag = 0;
	n.weights = w;		/* data and bytes without tag */
	CHECK_ERR(qaic_msg_add_simnet_load(&msg, &n), EINVAL);
	CHECK_ERR(qaic_msg_add_simnet_load(&msg, NULL), EINVAL);
	n = sample_net();
	CHECK_ERR(qaic_msg_add_simnet_load(NULL, &n), EINVAL);
	CHECK_EQ(msg.len, 0);
	CHECK_EQ(msg.count, 0);
}

/* A PASSTHROUGH_FROM_DEV reply transaction with the given payload. */
static void reply_with(struct qaic_msg *msg, const uint8_t *payload, uint32_t len)
{
	uint8_t raw[64] = { 0 };
	uint32_t type = QAIC_TRANS_PASSTHROUGH_FROM_DEV, tlen = 8 + len;

	memcpy(raw, &type, 4);
	memcpy(raw + 4, &tlen, 4);
	memcpy(raw + 8, payload, len);
	qaic_msg_init(msg);
	CHECK_OK(qaic_msg_set_reply(msg, raw, tlen, 1));
}

static void test_reply_parsing(void)
{
	struct qaic_simnet_reply rep;
	uint8_t p[16] = { 0 };
	struct qaic_msg msg;
	struct qaic_trans t;

	le(p + 0, 0x54454e53, 4);
	le(p + 4, 3, 4);		/* NNC_STATUS_EPERM */
	le(p + 8, 0x01020304, 4);
	reply_with(&msg, p, sizeof(p));
	CHECK_OK(qaic_reply_find(&msg, QAIC_TRANS_PASSTHROUGH_FROM_DEV, &t));
	CHECK_OK(qaic_trans_get_simnet(&t, &rep));
	CHECK_EQ(rep.status, 3);
	CHECK_EQ(rep.net_id, 0x01020304);
}

static void test_reply_without_magic_or_short(void)
{
	struct qaic_simnet_reply rep;
	uint8_t p[16] = { 0 };
	struct qaic_msg msg;
	struct qaic_trans t;

	le(p + 0, 0x54454e54, 4);
	reply_with(&msg, p, sizeof(p));
	CHECK_OK(qaic_reply_find(&msg, QAIC_TRANS_PASSTHROUGH_FROM_DEV, &t));
	CHECK_ERR(qaic_trans_get_simnet(&t, &rep), EBADMSG);

	le(p + 0, 0x54454e53, 4);
	reply_with(&msg, p, 8);
	CHECK_OK(qaic_reply_find(&msg, QAIC_TRANS_PASSTHROUGH_FROM_DEV, &t));
	CHECK_ERR(qaic_trans_get_simnet(&t, &rep), EBADMSG);

	t.type = QAIC_TRANS_STATUS_FROM_DEV;
	CHECK_ERR(qaic_trans_get_simnet(&t, &rep), ENOMSG);
	CHECK_ERR(qaic_trans_get_simnet(&t, NULL), EINVAL);
	CHECK_ERR(qaic_trans_get_simnet(NULL, &rep), EINVAL);
}

static CU_TestInfo tests[] = {
	{ "LOAD descriptor: every field little endian at its offset",
	  test_load_descriptor_bytes },
	{ "LOAD with weights adds their DMA_XFER", test_load_with_weights_adds_dma_xfer },
	{ "LOAD is all or nothing when the message is full", test_load_is_all_or_nothing },
	{ "UNLOAD descriptor bytes", test_unload_descriptor_bytes },
	{ "LOAD rejects out-of-range fields", test_load_rejects_out_of_range_fields },
	{ "reply: status and net_id", test_reply_parsing },
	{ "reply: wrong magic, short, wrong type", test_reply_without_magic_or_short },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "simnet", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
