// SPDX-License-Identifier: MIT
/*
 * Building MANAGE requests: transactions laid out as the uAPI structs, in host
 * byte order, each a multiple of 8 bytes, packed back to back in msg->buf.
 */
#include <string.h>

#include "qaic_internal.h"

int qaic_msg_init(struct qaic_msg *msg)
{
	if (!msg)
		return qaic_fail(EINVAL);
	memset(msg, 0, sizeof(*msg));
	msg->state = QAIC_MSG_REQUEST;
	return 0;
}

/*
 * Reserve trans_len zeroed bytes at the end of the request, headed by a
 * transaction header of the given type. Returns the header, or NULL with the
 * reason in *err; the message is unchanged on failure.
 */
static uint8_t *msg_append(struct qaic_msg *msg, uint32_t type, size_t trans_len, int *err)
{
	struct qaic_manage_trans_hdr hdr;
	uint8_t *at;

	if (msg->state != QAIC_MSG_REQUEST || msg->len > sizeof(msg->buf) ||
	    msg->len % 8 != 0) {
		*err = EINVAL;
		return NULL;
	}
	if (trans_len > sizeof(msg->buf)) {
		*err = E2BIG;
		return NULL;
	}
	if (trans_len > sizeof(msg->buf) - msg->len) {
		*err = ENOSPC;
		return NULL;
	}

	at = msg->buf + msg->len;
	memset(at, 0, trans_len);
	hdr.type = type;
	hdr.len = (uint32_t)trans_len;
	memcpy(at, &hdr, sizeof(hdr));
	msg->len += (uint32_t)trans_len;
	msg->count++;
	return at;
}

int qaic_msg_add_status(struct qaic_msg *msg)
{
	int err;

	if (!msg)
		return qaic_fail(EINVAL);
	if (!msg_append(msg, QAIC_TRANS_STATUS_FROM_USR,
			sizeof(struct qaic_manage_trans_status_to_dev), &err))
		return qaic_fail(err);
	return 0;
}

int qaic_msg_add_activate(struct qaic_msg *msg, uint32_t queue_size, uint32_t options)
{
	struct qaic_manage_trans_activate_to_dev t;
	uint8_t *at;
	int err;

	if (!msg || queue_size == 0)
		return qaic_fail(EINVAL);
	at = msg_append(msg, QAIC_TRANS_ACTIVATE_FROM_USR, sizeof(t), &err);
	if (!at)
		return qaic_fail(err);
	memcpy(&t, at, sizeof(t));
	t.queue_size = queue_size;
	t.eventfd = 0;
	t.options = options;
	t.pad = 0;
	memcpy(at, &t, sizeof(t));
	return 0;
}

int qaic_msg_add_deactivate(struct qaic_msg *msg, uint32_t dbc_id)
{
	struct qaic_manage_trans_deactivate t;
	uint8_t *at;
	int err;

	if (!msg)
		return qaic_fail(EINVAL);
	at = msg_append(msg, QAIC_TRANS_DEACTIVATE_FROM_USR, sizeof(t), &err);
	if (!at)
		return qaic_fail(err);
	memcpy(&t, at, sizeof(t));
	t.dbc_id = dbc_id;
	t.pad = 0;
	memcpy(at, &t, sizeof(t));
	msg->deactivates++;
	return 0;
}

int qaic_msg_add_passthrough(struct qaic_msg *msg, const void *payload, size_t len)
{
	const size_t hdr_len = sizeof(struct qaic_manage_trans_hdr);
	uint8_t *at;
	int err;

	if (!msg || !payload || len == 0)
		return qaic_fail(EINVAL);
	/* Checked before rounding up, so the sum cannot wrap. */
	if (len > sizeof(msg->buf) - hdr_len)
		return qaic_fail(E2BIG);
	at = msg_append(msg, QAIC_TRANS_PASSTHROUGH_FROM_USR, hdr_len + ((len + 7) & ~(size_t)7),
			&err);
	if (!at)
		return qaic_fail(err);
	memcpy(at + hdr_len, payload, len);
	return 0;
}

int qaic_msg_add_dma_xfer(struct qaic_msg *msg, uint32_t tag, const void *addr, uint64_t size)
{
	struct qaic_manage_trans_dma_xfer t;
	uint64_t start = (uint64_t)(uintptr_t)addr;
	uint8_t *at;
	int err;

	if (!msg || !addr || size == 0 || size > UINT64_MAX - start)
		return qaic_fail(EINVAL);
	at = msg_append(msg, QAIC_TRANS_DMA_XFER_FROM_USR, sizeof(t), &err);
	if (!at)
		return qaic_fail(err);
	memcpy(&t, at, sizeof(t));
	t.tag = tag;
	t.pad = 0;
	t.addr = start;
	t.size = size;
	memcpy(at, &t, sizeof(t));
	return 0;
}

int qaic_msg_set_reply(struct qaic_msg *msg, const void *data, uint32_t len, uint32_t count)
{
	if (!msg || (len > 0 && !data))
		return qaic_fail(EINVAL);
	if (len > sizeof(msg->buf))
		return qaic_fail(E2BIG);
	if (len > 0)
		memmove(msg->buf, data, len);
	memset(msg->buf + len, 0, sizeof(msg->buf) - len);
	msg->len = len;
	msg->count = count;
	msg->state = QAIC_MSG_REPLY;
	return 0;
}
