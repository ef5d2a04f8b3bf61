// SPDX-License-Identifier: MIT
/*
 * Reading MANAGE replies. A reply is checked whole before any of it is read,
 * so a malformed one (from a buggy driver, firmware or capture) is refused
 * with -EBADMSG instead of being over-read.
 */
#include <string.h>

#include "qaic_internal.h"

#define TRANS_HDR_LEN	((uint32_t)sizeof(struct qaic_manage_trans_hdr))

static struct qaic_manage_trans_hdr read_hdr(const struct qaic_msg *msg, uint32_t off)
{
	struct qaic_manage_trans_hdr hdr;

	memcpy(&hdr, msg->buf + off, sizeof(hdr));
	return hdr;
}

/* Walk every header; 0 if the reply is well formed, else a positive errno. */
static int reply_check(const struct qaic_msg *msg)
{
	uint32_t off = 0, found = 0, missing;

	if (msg->state != QAIC_MSG_REPLY && msg->state != QAIC_MSG_REPLY_PARTIAL)
		return EINVAL;
	if (msg->len > sizeof(msg->buf))
		return EBADMSG;

	while (off < msg->len) {
		struct qaic_manage_trans_hdr hdr;

		if (msg->len - off < TRANS_HDR_LEN)
			return EBADMSG;
		hdr = read_hdr(msg, off);
		if (hdr.len < TRANS_HDR_LEN || hdr.len % 8 != 0 || hdr.len > msg->len - off)
			return EBADMSG;
		off += hdr.len;
		found++;
	}

	if (found > msg->count)
		return EBADMSG;
	missing = msg->count - found;
	if (missing && msg->state != QAIC_MSG_REPLY_PARTIAL && missing > msg->deactivates)
		return EBADMSG;
	return 0;
}

int qaic_reply_iter_init(struct qaic_reply_iter *it, const struct qaic_msg *msg)
{
	int err;

	if (!it || !msg)
		return qaic_fail(EINVAL);
	err = reply_check(msg);
	if (err)
		return qaic_fail(err);
	it->msg = msg;
	it->off = 0;
	it->index = 0;
	return 0;
}

int qaic_reply_next(struct qaic_reply_iter *it, struct qaic_trans *t)
{
	struct qaic_manage_trans_hdr hdr;
	const struct qaic_msg *msg;

	if (!it || !t || !it->msg)
		return qaic_fail(EINVAL);
	msg = it->msg;
	if (it->off >= msg->len)
		return 0;
	/* Checked by iter_init; repeated because the caller owns the iterator. */
	if (msg->len > sizeof(msg->buf) || msg->len - it->off < TRANS_HDR_LEN)
		return qaic_fail(EBADMSG);
	hdr = read_hdr(msg, it->off);
	if (hdr.len < TRANS_HDR_LEN || hdr.len > msg->len - it->off)
		return qaic_fail(EBADMSG);

	t->type = hdr.type;
	t->len = hdr.len;
	t->data = msg->buf + it->off + TRANS_HDR_LEN;
	t->data_len = hdr.len - TRANS_HDR_LEN;
	it->off += hdr.len;
	it->index++;
	return 1;
}

int qaic_reply_find(const struct qaic_msg *msg, uint32_t type, struct qaic_trans *t)
{
	struct qaic_reply_iter it;
	struct qaic_trans cur;
	int ret;

	if (!msg || !t)
		return qaic_fail(EINVAL);
	ret = qaic_reply_iter_init(&it, msg);
	if (ret)
		return ret;
	while ((ret = qaic_reply_next(&it, &cur)) == 1) {
		if (cur.type == type) {
			*t = cur;
			return 0;
		}
	}
	return ret < 0 ? ret : qaic_fail(ENOMSG);
}

/* A caller may build a qaic_trans by hand: its lengths must agree. */
static int trans_consistent(const struct qaic_trans *t)
{
	return t->data_len <= UINT32_MAX - TRANS_HDR_LEN &&
	       t->len == t->data_len + TRANS_HDR_LEN;
}

/*
 * Copy a whole uAPI struct out of t: -ENOMSG for another type, -EBADMSG if t
 * is shorter than the struct.
 */
static int trans_copy(const struct qaic_trans *t, uint32_t type, void *dst, size_t size)
{
	if (!t || !dst || (!t->data && t->data_len))
		return qaic_fail(EINVAL);
	if (t->type != type)
		return qaic_fail(ENOMSG);
	if (!trans_consistent(t) || t->len < size)
		return qaic_fail(EBADMSG);
	memcpy((uint8_t *)dst + TRANS_HDR_LEN, t->data, size - TRANS_HDR_LEN);
	return 0;
}

int qaic_trans_get_activate(const struct qaic_trans *t, struct qaic_activate_reply *out)
{
	struct qaic_manage_trans_activate_from_dev w;
	int ret;

	if (!out)
		return qaic_fail(EINVAL);
	ret = trans_copy(t, QAIC_TRANS_ACTIVATE_FROM_DEV, &w, sizeof(w));
	if (ret)
		return ret;
	out->status = w.status;
	out->dbc_id = w.dbc_id;
	out->options = w.options;
	return 0;
}

int qaic_trans_get_status(const struct qaic_trans *t, struct qaic_status_reply *out)
{
	struct qaic_manage_trans_status_from_dev w;
	int ret;

	if (!out)
		return qaic_fail(EINVAL);
	ret = trans_copy(t, QAIC_TRANS_STATUS_FROM_DEV, &w, sizeof(w));
	if (ret)
		return ret;
	out->major = w.major;
	out->minor = w.minor;
	out->status = w.status;
	out->flags = w.status_flags;
	return 0;
}

/* No uAPI struct exists for it: header, then status and dbc_id. */
struct deactivate_from_dev {
	struct qaic_manage_trans_hdr hdr;
	uint32_t status;
	uint32_t dbc_id;
};

int qaic_trans_get_deactivate(const struct qaic_trans *t, struct qaic_deactivate_reply *out)
{
	struct deactivate_from_dev w;
	int ret;

	if (!out)
		return qaic_fail(EINVAL);
	ret = trans_copy(t, QAIC_TRANS_DEACTIVATE_FROM_DEV, &w, sizeof(w));
	if (ret)
		return ret;
	out->status = w.status;
	out->dbc_id = w.dbc_id;
	return 0;
}

int qaic_trans_get_passthrough(const struct qaic_trans *t, const void **payload, size_t *len)
{
	if (!t || !payload || !len || (!t->data && t->data_len))
		return qaic_fail(EINVAL);
	if (t->type != QAIC_TRANS_PASSTHROUGH_FROM_DEV)
		return qaic_fail(ENOMSG);
	if (!trans_consistent(t))
		return qaic_fail(EBADMSG);
	*payload = t->data;
	*len = t->data_len;
	return 0;
}
