// SPDX-License-Identifier: MIT
/* Building MANAGE requests: exact bytes of every builder, padding, limits. */
#include <string.h>

#include "check.h"
#include "qaic.h"
#include "tap.h"

/* Host-order u32 at byte offset off of buf. */
static uint32_t u32_at(const uint8_t *buf, size_t off)
{
	uint32_t v;

	memcpy(&v, buf + off, sizeof(v));
	return v;
}

static uint64_t u64_at(const uint8_t *buf, size_t off)
{
	uint64_t v;

	memcpy(&v, buf + off, sizeof(v));
	return v;
}

/* A request whose buffer is dirty, to prove builders zero what they reserve. */
static void dirty_init(struct qaic_msg *msg)
{
	qaic_msg_init(msg);
	memset(msg->buf, 0xa5, sizeof(msg->buf));
}

static void test_init_makes_empty_request(void)
{
	struct qaic_msg msg;

	memset(&msg, 0xff, sizeof(msg));
	CHECK_OK(qaic_msg_init(&msg));
	CHECK_EQ(msg.len, 0);
	CHECK_EQ(msg.count, 0);
	CHECK_EQ(msg.deactivates, 0);
	CHECK_EQ(msg.state, QAIC_MSG_REQUEST);
	CHECK_ERR(qaic_msg_init(NULL), EINVAL);
}

static void test_status_bytes(void)
{
	struct qaic_msg msg;

	dirty_init(&msg);
	CHECK_OK(qaic_msg_add_status(&msg));
	CHECK_EQ(msg.len, 8);
	CHECK_EQ(msg.count, 1);
	CHECK_EQ(u32_at(msg.buf, 0), QAIC_TRANS_STATUS_FROM_USR);
	CHECK_EQ(u32_at(msg.buf, 4), 8);
	CHECK_EQ(msg.buf[8], 0xa5);	/* nothing written past the transaction */
}

static void test_activate_bytes(void)
{
	struct qaic_msg msg;

	dirty_init(&msg);
	CHECK_OK(qaic_msg_add_activate(&msg, 64, 0x12345678));
	CHECK_EQ(msg.len, 24);
	CHECK_EQ(msg.count, 1);
	CHECK_EQ(u32_at(msg.buf, 0), QAIC_TRANS_ACTIVATE_FROM_USR);
	CHECK_EQ(u32_at(msg.buf, 4), 24);
	CHECK_EQ(u32_at(msg.buf, 8), 64);		/* queue_size */
	CHECK_EQ(u32_at(msg.buf, 12), 0);		/* eventfd: unused */
	CHECK_EQ(u32_at(msg.buf, 16), 0x12345678);	/* options */
	CHECK_EQ(u32_at(msg.buf, 20), 0);		/* pad */
}

static void test_activate_rejects_zero_queue(void)
{
	struct qaic_msg msg;

	qaic_msg_init(&msg);
	CHECK_ERR(qaic_msg_add_activate(&msg, 0, 0), EINVAL);
	CHECK_EQ(msg.len, 0);
	CHECK_EQ(msg.count, 0);
	CHECK_ERR(qaic_msg_add_activate(NULL, 1, 0), EINVAL);
}

static void test_deactivate_bytes(void)
{
	struct qaic_msg msg;

	dirty_init(&msg);
	CHECK_OK(qaic_msg_add_deactivate(&msg, 7));
	CHECK_OK(qaic_msg_add_deactivate(&msg, 15));
	CHECK_EQ(msg.len, 32);
	CHECK_EQ(msg.count, 2);
	CHECK_EQ(msg.deactivates, 2);
	CHECK_EQ(u32_at(msg.buf, 0), QAIC_TRANS_DEACTIVATE_FROM_USR);
	CHECK_EQ(u32_at(msg.buf, 4), 16);
	CHECK_EQ(u32_at(msg.buf, 8), 7);
	CHECK_EQ(u32_at(msg.buf, 12), 0);
	CHECK_EQ(u32_at(msg.buf, 24), 15);
	CHECK_ERR(qaic_msg_add_deactivate(NULL, 0), EINVAL);
}

static void test_passthrough_pads_to_8(void)
{
	static const struct {
		size_t payload;
		uint32_t trans_len;
	} cases[] = { { 1, 16 }, { 5, 16 }, { 8, 16 }, { 9, 24 }, { 16, 24 }, { 17, 32 } };
	uint8_t payload[32];
	size_t i, j;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(0x10 + i);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct qaic_msg msg;

		dirty_init(&msg);
		CHECK_OK(qaic_msg_add_passthrough(&msg, payload, cases[i].payload));
		CHECK_EQ(msg.len, cases[i].trans_len);
		CHECK_EQ(u32_at(msg.buf, 0), QAIC_TRANS_PASSTHROUGH_FROM_USR);
		CHECK_EQ(u32_at(msg.buf, 4), cases[i].trans_len);
		CHECK_MEM(msg.buf + 8, payload, cases[i].payload);
		for (j = 8 + cases[i].payload; j < cases[i].trans_len; j++)
			CHECK_EQ(msg.buf[j], 0);
	}
}

static void test_passthrough_bad_args(void)
{
	struct qaic_msg msg;
	uint8_t b = 1;

	qaic_msg_init(&msg);
	CHECK_ERR(qaic_msg_add_passthrough(&msg, NULL, 8), EINVAL);
	CHECK_ERR(qaic_msg_add_passthrough(&msg, &b, 0), EINVAL);
	CHECK_ERR(qaic_msg_add_passthrough(NULL, &b, 1), EINVAL);
	CHECK_EQ(msg.len, 0);
}

static void test_passthrough_size_limits(void)
{
	static uint8_t big[QAIC_MANAGE_MAX_MSG_LENGTH + 8];
	struct qaic_msg msg;

	qaic_msg_init(&msg);
	CHECK_ERR(qaic_msg_add_passthrough(&msg, big, QAIC_MANAGE_MAX_MSG_LENGTH - 7), E2BIG);
	CHECK_ERR(qaic_msg_add_passthrough(&msg, big, SIZE_MAX), E2BIG);
	CHECK_ERR(qaic_msg_add_passthrough(&msg, big, SIZE_MAX - 6), E2BIG);
	CHECK_EQ(msg.len, 0);
	/* The largest payload fills the message exactly. */
	CHECK_OK(qaic_msg_add_passthrough(&msg, big, QAIC_MANAGE_MAX_MSG_LENGTH - 8));
	CHECK_EQ(msg.len, QAIC_MANAGE_MAX_MSG_LENGTH);
	CHECK_ERR(qaic_msg_add_status(&msg), ENOSPC);
}

static void test_dma_xfer_bytes(void)
{
	static uint8_t data[4096];
	struct qaic_msg msg;

	dirty_init(&msg);
	CHECK_OK(qaic_msg_add_dma_xfer(&msg, 0xabcd, data, sizeof(data)));
	CHECK_EQ(msg.len, 32);
	CHECK_EQ(u32_at(msg.buf, 0), QAIC_TRANS_DMA_XFER_FROM_USR);
	CHECK_EQ(u32_at(msg.buf, 4), 32);
	CHECK_EQ(u32_at(msg.buf, 8), 0xabcd);	/* tag */
	CHECK_EQ(u32_at(msg.buf, 12), 0);	/* pad */
	CHECK_EQ(u64_at(msg.buf, 16), (uintptr_t)data);
	CHECK_EQ(u64_at(msg.buf, 24), sizeof(data));
}

static void test_dma_xfer_bad_args(void)
{
	struct qaic_msg msg;
	uint8_t b;

	qaic_msg_init(&msg);
	CHECK_ERR(qaic_msg_add_dma_xfer(&msg, 1, NULL, 8), EINVAL);
	CHECK_ERR(qaic_msg_add_dma_xfer(&msg, 1, &b, 0), EINVAL);
	CHECK_ERR(qaic_msg_add_dma_xfer(&msg, 1, &b, UINT64_MAX), EINVAL);
	CHECK_ERR(qaic_msg_add_dma_xfer(NULL, 1, &b, 1), EINVAL);
	CHECK_EQ(msg.len, 0);
	CHECK_EQ(msg.count, 0);
}

static void test_transactions_are_back_to_back(void)
{
	struct qaic_msg msg;
	uint8_t p[3] = { 1, 2, 3 };

	qaic_msg_init(&msg);
	CHECK_OK(qaic_msg_add_status(&msg));
	CHECK_OK(qaic_msg_add_passthrough(&msg, p, sizeof(p)));
	CHECK_OK(qaic_msg_add_activate(&msg, 2, 0));
	CHECK_OK(qaic_msg_add_deactivate(&msg, 1));
	CHECK_EQ(msg.count, 4);
	CHECK_EQ(msg.len, 8 + 16 + 24 + 16);
	CHECK_EQ(u32_at(msg.buf, 8), QAIC_TRANS_PASSTHROUGH_FROM_USR);
	CHECK_EQ(u32_at(msg.buf, 24), QAIC_TRANS_ACTIVATE_FROM_USR);
	CHECK_EQ(u32_at(msg.buf, 48), QAIC_TRANS_DEACTIVATE_FROM_USR);
}

static void test_full_message_gives_enospc(void)
{
	struct qaic_msg msg;
	unsigned int i;

	qaic_msg_init(&msg);
	for (i = 0; i < QAIC_MANAGE_MAX_MSG_LENGTH / 8; i++)
		CHECK_OK(qaic_msg_add_status(&msg));
	CHECK_EQ(msg.len, QAIC_MANAGE_MAX_MSG_LENGTH);
	CHECK_EQ(msg.count, QAIC_MANAGE_MAX_MSG_LENGTH / 8);
	CHECK_ERR(qaic_msg_add_status(&msg), ENOSPC);
	CHECK_EQ(msg.len, QAIC_MANAGE_MAX_MSG_LENGTH);
	CHECK_EQ(msg.count, QAIC_MANAGE_MAX_MSG_LENGTH / 8);
}

static void test_partial_fit_leaves_message_unchanged(void)
{
	struct qaic_msg msg;
	static uint8_t p[QAIC_MANAGE_MAX_MSG_LENGTH - 16 - 8];

	qaic_msg_init(&msg);
	/* 4096 - 16 bytes used: 16 left, too few for an ACTIVATE (24). */
	CHECK_OK(qaic_msg_add_passthrough(&msg, p, sizeof(p)));
	CHECK_OK(qaic_msg_add_status(&msg));
	CHECK_EQ(msg.len, QAIC_MANAGE_MAX_MSG_LENGTH - 8);
	CHECK_ERR(qaic_msg_add_activate(&msg, 1, 0), ENOSPC);
	CHECK_ERR(qaic_msg_add_deactivate(&msg, 1), ENOSPC);
	CHECK_ERR(qaic_msg_add_dma_xfer(&msg, 1, p, 1), ENOSPC);
	CHECK_ERR(qaic_msg_add_passthrough(&msg, p, 1), ENOSPC);
	CHECK_EQ(msg.len, QAIC_MANAGE_MAX_MSG_LENGTH - 8);
	CHECK_EQ(msg.count, 2);
	CHECK_EQ(msg.deactivates, 0);
	CHECK_OK(qaic_msg_add_status(&msg));
	CHECK_EQ(msg.len, QAIC_MANAGE_MAX_MSG_LENGTH);
}

static void test_builders_refuse_a_reply(void)
{
	struct qaic_msg msg;
	uint8_t b = 0;

	qaic_msg_init(&msg);
	CHECK_OK(qaic_msg_set_reply(&msg, NULL, 0, 0));
	CHECK_ERR(qaic_msg_add_status(&msg), EINVAL);
	CHECK_ERR(qaic_msg_add_activate(&msg, 1, 0), EINVAL);
	CHECK_ERR(qaic_msg_add_deactivate(&msg, 1), EINVAL);
	CHECK_ERR(qaic_msg_add_passthrough(&msg, &b, 1), EINVAL);
	CHECK_ERR(qaic_msg_add_dma_xfer(&msg, 1, &b, 1), EINVAL);
	CHECK_OK(qaic_msg_init(&msg));
	CHECK_OK(qaic_msg_add_status(&msg));
}

static void test_set_reply_checks(void)
{
	static uint8_t data[QAIC_MANAGE_MAX_MSG_LENGTH + 1];
	struct qaic_msg msg;

	qaic_msg_init(&msg);
	CHECK_ERR(qaic_msg_set_reply(NULL, data, 8, 1), EINVAL);
	CHECK_ERR(qaic_msg_set_reply(&msg, NULL, 8, 1), EINVAL);
	CHECK_ERR(qaic_msg_set_reply(&msg, data, sizeof(data), 1), E2BIG);
	CHECK_EQ(msg.state, QAIC_MSG_REQUEST);
	data[0] = 0x42;
	CHECK_OK(qaic_msg_set_reply(&msg, data, 8, 1));
	CHECK_EQ(msg.state, QAIC_MSG_REPLY);
	CHECK_EQ(msg.len, 8);
	CHECK_EQ(msg.count, 1);
	CHECK_EQ(msg.buf[0], 0x42);
}

static CU_TestInfo tests[] = {
	{ "init makes an empty request", test_init_makes_empty_request },
	{ "STATUS bytes", test_status_bytes },
	{ "ACTIVATE bytes", test_activate_bytes },
	{ "ACTIVATE rejects queue_size 0", test_activate_rejects_zero_queue },
	{ "DEACTIVATE bytes and count", test_deactivate_bytes },
	{ "PASSTHROUGH pads to 8 bytes with zeros", test_passthrough_pads_to_8 },
	{ "PASSTHROUGH bad arguments", test_passthrough_bad_args },
	{ "PASSTHROUGH size limits (E2BIG, exact fit)", test_passthrough_size_limits },
	{ "DMA_XFER bytes", test_dma_xfer_bytes },
	{ "DMA_XFER bad arguments and address overflow", test_dma_xfer_bad_args },
	{ "transactions are laid back to back", test_transactions_are_back_to_back },
	{ "a full 4096-byte message gives ENOSPC", test_full_message_gives_enospc },
	{ "a transaction that does not fit changes nothing",
	  test_partial_fit_leaves_message_unchanged },
	{ "builders refuse a message holding a reply", test_builders_refuse_a_reply },
	{ "set_reply checks its arguments", test_set_reply_checks },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "msg_build", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
