// SPDX-License-Identifier: MIT
/* Reading MANAGE replies: iteration, typed getters, and malformed replies. */
#include <string.h>

#include "check.h"
#include "qaic.h"
#include "tap.h"

/* Reply bytes as a kernel would write them: host-order transactions. */
struct raw {
	uint8_t buf[QAIC_MANAGE_MAX_MSG_LENGTH];
	uint32_t len;
};

static void put32(struct raw *r, uint32_t off, uint32_t v)
{
	memcpy(r->buf + off, &v, sizeof(v));
}

static void put64(struct raw *r, uint32_t off, uint64_t v)
{
	memcpy(r->buf + off, &v, sizeof(v));
}

/* Append a transaction header with len bytes reserved; returns its offset. */
static uint32_t add(struct raw *r, uint32_t type, uint32_t len)
{
	uint32_t off = r->len;

	memset(r->buf + off, 0, len);
	put32(r, off, type);
	put32(r, off + 4, len);
	r->len += len;
	return off;
}

static uint32_t add_status(struct raw *r, uint16_t major, uint16_t minor, uint32_t status,
			   uint64_t flags)
{
	uint32_t off = add(r, QAIC_TRANS_STATUS_FROM_DEV, 24);

	memcpy(r->buf + off + 8, &major, 2);
	memcpy(r->buf + off + 10, &minor, 2);
	put32(r, off + 12, status);
	put64(r, off + 16, flags);
	return off;
}

static uint32_t add_activate(struct raw *r, uint32_t status, uint32_t dbc, uint64_t options)
{
	uint32_t off = add(r, QAIC_TRANS_ACTIVATE_FROM_DEV, 24);

	put32(r, off + 8, status);
	put32(r, off + 12, dbc);
	put64(r, off + 16, options);
	return off;
}

static void load(struct qaic_msg *msg, const struct raw *r, uint32_t count)
{
	qaic_msg_init(msg);
	CHECK_OK(qaic_msg_set_reply(msg, r->buf, r->len, count));
}

static void test_iterates_every_transaction(void)
{
	struct raw r = { .len = 0 };
	struct qaic_reply_iter it;
	struct qaic_trans t;
	struct qaic_msg msg;
	uint32_t pt;

	add_status(&r, 5, 0, 0, 1);
	pt = add(&r, QAIC_TRANS_PASSTHROUGH_FROM_DEV, 24);
	memcpy(r.buf + pt + 8, "0123456789abcdef", 16);
	add_activate(&r, 0, 3, 0x55);
	load(&msg, &r, 3);

	CHECK_OK(qaic_reply_iter_init(&it, &msg));
	CHECK_RET(qaic_reply_next(&it, &t), 1);
	CHECK_EQ(t.type, QAIC_TRANS_STATUS_FROM_DEV);
	CHECK_EQ(t.len, 24);
	CHECK_EQ(t.data_len, 16);
	CHECK_EQ(t.data - msg.buf, 8);
	CHECK_RET(qaic_reply_next(&it, &t), 1);
	CHECK_EQ(t.type, QAIC_TRANS_PASSTHROUGH_FROM_DEV);
	CHECK_EQ(t.data - msg.buf, 32);
	CHECK_RET(qaic_reply_next(&it, &t), 1);
	CHECK_EQ(t.type, QAIC_TRANS_ACTIVATE_FROM_DEV);
	CHECK_RET(qaic_reply_next(&it, &t), 0);
	CHECK_RET(qaic_reply_next(&it, &t), 0);
}

static void test_typed_getters_read_fields(void)
{
	struct qaic_activate_reply act;
	struct qaic_status_reply st;
	struct raw r = { .len = 0 };
	struct qaic_msg msg;
	struct qaic_trans t;
	const void *p;
	size_t plen;
	uint32_t pt;

	add_status(&r, 5, 2, 0, 0x8000000000000001ull);
	add_activate(&r, 0, 15, 0x1122334455667788ull);
	pt = add(&r, QAIC_TRANS_PASSTHROUGH_FROM_DEV, 16);
	memcpy(r.buf + pt + 8, "payload!", 8);
	load(&msg, &r, 3);

	CHECK_OK(qaic_reply_find(&msg, QAIC_TRANS_STATUS_FROM_DEV, &t));
	CHECK_OK(qaic_trans_get_status(&t, &st));
	CHECK_EQ(st.major, 5);
	CHECK_EQ(st.minor, 2);
	CHECK_EQ(st.status, 0);
	CHECK_EQ(st.flags, 0x8000000000000001ull);

	CHECK_OK(qaic_reply_find(&msg, QAIC_TRANS_ACTIVATE_FROM_DEV, &t));
	CHECK_OK(qaic_trans_get_activate(&t, &act));
	CHECK_EQ(act.status, 0);
	CHECK_EQ(act.dbc_id, 15);
	CHECK_EQ(act.options, 0x1122334455667788ull);

	CHECK_OK(qaic_reply_find(&msg, QAIC_TRANS_PASSTHROUGH_FROM_DEV, &t));
	CHECK_OK(qaic_trans_get_passthrough(&t, &p, &plen));
	CHECK_EQ(plen, 8);
	CHECK_MEM(p, "payload!", 8);
}

static void test_deactivate_getter(void)
{
	struct qaic_deactivate_reply d;
	struct raw r = { .len = 0 };
	struct qaic_msg msg;
	struct qaic_trans t;
	uint32_t off;

	off = add(&r, QAIC_TRANS_DEACTIVATE_FROM_DEV, 16);
	put32(&r, off + 8, 3);
	put32(&r, off + 12, 9);
	load(&msg, &r, 1);
	CHECK_OK(qaic_reply_find(&msg, QAIC_TRANS_DEACTIVATE_FROM_DEV, &t));
	CHECK_OK(qaic_trans_get_deactivate(&t, &d));
	CHECK_EQ(d.status, 3);
	CHECK_EQ(d.dbc_id, 9);
}

static void expect_bad(const struct raw *r, uint32_t count)
{
	struct qaic_reply_iter it;
	struct qaic_msg msg;
	struct qaic_trans t;

	load(&msg, r, count);
	CHECK_ERR(qaic_reply_iter_init(&it, &msg), EBADMSG);
	CHECK_ERR(qaic_reply_find(&msg, QAIC_TRANS_STATUS_FROM_DEV, &t), EBADMSG);
}

static void test_header_len_below_8(void)
{
	struct raw r = { .len = 0 };
	uint32_t off;

	add_status(&r, 5, 0, 0, 0);
	off = add(&r, QAIC_TRANS_STATUS_FROM_DEV, 8);
	put32(&r, off + 4, 4);
	expect_bad(&r, 2);
	put32(&r, off + 4, 0);	/* would loop forever if accepted */
	expect_bad(&r, 2);
}

static void test_header_len_past_end(void)
{
	struct raw r = { .len = 0 };
	uint32_t off;

	off = add_status(&r, 5, 0, 0, 0);
	put32(&r, off + 4, 32);
	expect_bad(&r, 1);
	put32(&r, off + 4, 0xfffffff8u);
	expect_bad(&r, 1);
}

static void test_header_len_unaligned(void)
{
	struct raw r = { .len = 0 };

	add(&r, QAIC_TRANS_PASSTHROUGH_FROM_DEV, 12);
	r.len = 16;
	expect_bad(&r, 1);
}

static void test_trailing_partial_header(void)
{
	struct raw r = { .len = 0 };

	add_status(&r, 5, 0, 0, 0);
	r.len += 4;
	expect_bad(&r, 1);
}

static void test_count_larger_than_data(void)
{
	struct raw r = { .len = 0 };

	add_status(&r, 5, 0, 0, 0);
	expect_bad(&r, 2);
	expect_bad(&r, 0xffffffffu);
}

static void test_count_smaller_than_data(void)
{
	struct raw r = { .len = 0 };

	add_status(&r, 5, 0, 0, 0);
	add_status(&r, 5, 0, 0, 0);
	expect_bad(&r, 1);
}

static void test_zero_count(void)
{
	struct raw r = { .len = 0 };
	struct qaic_reply_iter it;
	struct qaic_msg msg;
	struct qaic_trans t;

	add_status(&r, 5, 0, 0, 0);
	expect_bad(&r, 0);

	/* No data and no count: consistent, just empty. */
	r.len = 0;
	load(&msg, &r, 0);
	CHECK_OK(qaic_reply_iter_init(&it, &msg));
	CHECK_RET(qaic_reply_next(&it, &t), 0);
	CHECK_ERR(qaic_reply_find(&msg, QAIC_TRANS_STATUS_FROM_DEV, &t), ENOMSG);
}

static void test_len_beyond_buffer(void)
{
	struct qaic_reply_iter it;
	struct qaic_msg msg;

	qaic_msg_init(&msg);
	CHECK_OK(qaic_msg_set_reply(&msg, NULL, 0, 1));
	msg.len = QAIC_MANAGE_MAX_MSG_LENGTH + 8;
	CHECK_ERR(qaic_reply_iter_init(&it, &msg), EBADMSG);
}

/* Upstream's driver consumes DEACTIVATE_FROM_DEV but counts it. */
static void test_consumed_deactivate_answers(void)
{
	struct raw r = { .len = 0 };
	struct qaic_reply_iter it;
	struct qaic_msg msg;
	struct qaic_trans t;

	qaic_msg_init(&msg);
	CHECK_OK(qaic_msg_add_deactivate(&msg, 1));
	CHECK_OK(qaic_msg_add_deactivate(&msg, 2));
	CHECK_OK(qaic_msg_add_status(&msg));
	add_status(&r, 5, 0, 0, 0);
	CHECK_OK(qaic_msg_set_reply(&msg, r.buf, r.len, 3));
	CHECK_OK(qaic_reply_iter_init(&it, &msg));
	CHECK_RET(qaic_reply_next(&it, &t), 1);
	CHECK_RET(qaic_reply_next(&it, &t), 0);

	/* A third missing answer is more than the request explains. */
	CHECK_OK(qaic_msg_set_reply(&msg, r.buf, r.len, 4));
	CHECK_ERR(qaic_reply_iter_init(&it, &msg), EBADMSG);

	/* Only DEACTIVATE: nothing copied, count 1. */
	qaic_msg_init(&msg);
	CHECK_OK(qaic_msg_add_deactivate(&msg, 1));
	CHECK_OK(qaic_msg_set_reply(&msg, NULL, 0, 1));
	CHECK_OK(qaic_reply_iter_init(&it, &msg));
	CHECK_RET(qaic_reply_next(&it, &t), 0);
}

/* After -ECANCELED the kernel stops decoding but reports the device's count. */
static void test_partial_reply_may_lack_transactions(void)
{
	struct raw r = { .len = 0 };
	struct qaic_activate_reply act;
	struct qaic_reply_iter it;
	struct qaic_msg msg;
	struct qaic_trans t;

	add_activate(&r, 2, 0, 0);
	load(&msg, &r, 3);
	CHECK_ERR(qaic_reply_iter_init(&it, &msg), EBADMSG);
	msg.state = QAIC_MSG_REPLY_PARTIAL;
	CHECK_OK(qaic_reply_iter_init(&it, &msg));
	CHECK_OK(qaic_reply_find(&msg, QAIC_TRANS_ACTIVATE_FROM_DEV, &t));
	CHECK_OK(qaic_trans_get_activate(&t, &act));
	CHECK_EQ(act.status, 2);
}

static void test_truncated_typed_transactions(void)
{
	struct qaic_activate_reply act;
	struct qaic_deactivate_reply de;
	struct qaic_status_reply st;
	struct raw r = { .len = 0 };
	struct qaic_msg msg;
	struct qaic_trans t;

	add(&r, QAIC_TRANS_STATUS_FROM_DEV, 16);
	add(&r, QAIC_TRANS_ACTIVATE_FROM_DEV, 16);
	add(&r, QAIC_TRANS_DEACTIVATE_FROM_DEV, 8);
	load(&msg, &r, 3);

	CHECK_OK(qaic_reply_find(&msg, QAIC_TRANS_STATUS_FROM_DEV, &t));
	CHECK_ERR(qaic_trans_get_status(&t, &st), EBADMSG);
	CHECK_OK(qaic_reply_find(&msg, QAIC_TRANS_ACTIVATE_FROM_DEV, &t));
	CHECK_ERR(qaic_trans_get_activate(&t, &act), EBADMSG);
	CHECK_OK(qaic_reply_find(&msg, QAIC_TRANS_DEACTIVATE_FROM_DEV, &t));
	CHECK_ERR(qaic_trans_get_deactivate(&t, &de), EBADMSG);
}

static void test_unknown_types_are_returned_not_parsed(void)
{
	struct qaic_status_reply st;
	struct raw r = { .len = 0 };
	struct qaic_reply_iter it;
	struct qaic_msg msg;
	struct qaic_trans t;
	const void *p;
	size_t plen;

	add(&r, 999, 16);
	add_status(&r, 5, 0, 0, 0);
	load(&msg, &r, 2);
	CHECK_OK(qaic_reply_iter_init(&it, &msg));
	CHECK_RET(qaic_reply_next(&it, &t), 1);
	CHECK_EQ(t.type, 999);
	CHECK_EQ(t.data_len, 8);
	CHECK_ERR(qaic_trans_get_status(&t, &st), ENOMSG);
	CHECK_ERR(qaic_trans_get_passthrough(&t, &p, &plen), ENOMSG);
	CHECK_RET(qaic_reply_next(&it, &t), 1);
	CHECK_OK(qaic_trans_get_status(&t, &st));
	CHECK_ERR(qaic_reply_find(&msg, QAIC_TRANS_ACTIVATE_FROM_DEV, &t), ENOMSG);
}

static void test_request_is_not_a_reply(void)
{
	struct qaic_reply_iter it;
	struct qaic_msg msg;
	struct qaic_trans t;

	qaic_msg_init(&msg);
	CHECK_OK(qaic_msg_add_status(&msg));
	CHECK_ERR(qaic_reply_iter_init(&it, &msg), EINVAL);
	CHECK_ERR(qaic_reply_find(&msg, QAIC_TRANS_STATUS_FROM_USR, &t), EINVAL);
}

static void test_null_arguments(void)
{
	struct qaic_activate_reply act;
	struct qaic_deactivate_reply de;
	struct qaic_status_reply st;
	struct raw r = { .len = 0 };
	struct qaic_reply_iter it;
	struct qaic_msg msg;
	struct qaic_trans t;
	const void *p;
	size_t plen;

	add_status(&r, 5, 0, 0, 0);
	load(&msg, &r, 1);
	CHECK_ERR(qaic_reply_iter_init(NULL, &msg), EINVAL);
	CHECK_ERR(qaic_reply_iter_init(&it, NULL), EINVAL);
	CHECK_OK(qaic_reply_iter_init(&it, &msg));
	CHECK_ERR(qaic_reply_next(NULL, &t), EINVAL);
	CHECK_ERR(qaic_reply_next(&it, NULL), EINVAL);
	CHECK_ERR(qaic_reply_find(NULL, QAIC_TRANS_STATUS_FROM_DEV, &t), EINVAL);
	CHECK_ERR(qaic_reply_find(&msg, QAIC_TRANS_STATUS_FROM_DEV, NULL), EINVAL);
	CHECK_OK(qaic_reply_find(&msg, QAIC_TRANS_STATUS_FROM_DEV, &t));
	CHECK_ERR(qaic_trans_get_status(NULL, &st), EINVAL);
	CHECK_ERR(qaic_trans_get_status(&t, NULL), EINVAL);
	CHECK_ERR(qaic_trans_get_activate(NULL, &act), EINVAL);
	CHECK_ERR(qaic_trans_get_activate(&t, NULL), EINVAL);
	CHECK_ERR(qaic_trans_get_deactivate(NULL, &de), EINVAL);
	CHECK_ERR(qaic_trans_get_deactivate(&t, NULL), EINVAL);
	CHECK_ERR(qaic_trans_get_passthrough(NULL, &p, &plen), EINVAL);
	CHECK_ERR(qaic_trans_get_passthrough(&t, NULL, &plen), EINVAL);
	CHECK_ERR(qaic_trans_get_passthrough(&t, &p, NULL), EINVAL);
}

/* A qaic_trans filled by hand must not make a getter read past its data. */
static void test_inconsistent_hand_made_trans(void)
{
	uint8_t data[16] = { 0 };
	struct qaic_status_reply st;
	struct qaic_trans t = {
		.type = QAIC_TRANS_STATUS_FROM_DEV,
		.len = 24,
		.data = data,
		.data_len = 8,
	};
	const void *p;
	size_t plen;

	CHECK_ERR(qaic_trans_get_status(&t, &st), EBADMSG);
	/* data_len + 8 wraps to len if added carelessly */
	t.data_len = 0xfffffffcu;
	t.len = 4;
	CHECK_ERR(qaic_trans_get_status(&t, &st), EBADMSG);
	t.type = QAIC_TRANS_PASSTHROUGH_FROM_DEV;
	CHECK_ERR(qaic_trans_get_passthrough(&t, &p, &plen), EBADMSG);
	t.data = NULL;
	t.data_len = 8;
	t.len = 16;
	CHECK_ERR(qaic_trans_get_passthrough(&t, &p, &plen), EINVAL);
}

static CU_TestInfo tests[] = {
	{ "iterates every transaction in order", test_iterates_every_transaction },
	{ "typed getters read every field", test_typed_getters_read_fields },
	{ "DEACTIVATE_FROM_DEV getter", test_deactivate_getter },
	{ "header len below 8 is EBADMSG", test_header_len_below_8 },
	{ "header len past the end is EBADMSG", test_header_len_past_end },
	{ "header len not a multiple of 8 is EBADMSG", test_header_len_unaligned },
	{ "trailing partial header is EBADMSG", test_trailing_partial_header },
	{ "count larger than the data is EBADMSG", test_count_larger_than_data },
	{ "count smaller than the data is EBADMSG", test_count_smaller_than_data },
	{ "zero count with data is EBADMSG, without is empty", test_zero_count },
	{ "len beyond the buffer is EBADMSG", test_len_beyond_buffer },
	{ "consumed DEACTIVATE answers are allowed, no more",
	  test_consumed_deactivate_answers },
	{ "partial reply may lack transactions", test_partial_reply_may_lack_transactions },
	{ "truncated typed transactions are EBADMSG", test_truncated_typed_transactions },
	{ "unknown types are returned, not parsed", test_unknown_types_are_returned_not_parsed },
	{ "a request is not a reply", test_request_is_not_a_reply },
	{ "NULL arguments are EINVAL", test_null_arguments },
	{ "inconsistent hand-made trans is refused", test_inconsistent_hand_made_trans },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "msg_reply", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
