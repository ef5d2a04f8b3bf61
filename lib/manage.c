// SPDX-License-Identifier: MIT
/* DRM_IOCTL_QAIC_MANAGE, and the one-transaction conveniences built on it. */
#include <string.h>
#include <xf86drm.h>

#include "qaic_internal.h"

int qaic_manage(struct qaic_dev *dev, struct qaic_msg *msg)
{
	struct qaic_manage_msg arg;
	int ret, err = 0;

	if (!dev || !msg)
		return qaic_fail(EINVAL);
	if (msg->state != QAIC_MSG_REQUEST || msg->count == 0 || msg->len == 0 ||
	    msg->len > sizeof(msg->buf))
		return qaic_fail(EINVAL);

	memset(&arg, 0, sizeof(arg));
	arg.len = msg->len;
	arg.count = msg->count;
	arg.data = (uint64_t)(uintptr_t)msg->buf;
	ret = drmIoctl(dev->fd, DRM_IOCTL_QAIC_MANAGE, &arg);
	if (ret)
		err = errno;
	/*
	 * On -ECANCELED the kernel still copies out the reply as far as it got,
	 * so the caller can read which transaction the device refused.
	 */
	if (ret && err != ECANCELED)
		return qaic_fail(err);
	if (arg.len > sizeof(msg->buf))
		return qaic_fail(EBADMSG);

	msg->len = arg.len;
	msg->count = arg.count;
	msg->state = err ? QAIC_MSG_REPLY_PARTIAL : QAIC_MSG_REPLY;
	return err ? qaic_fail(err) : 0;
}

int qaic_status(struct qaic_dev *dev, struct qaic_status_reply *out)
{
	struct qaic_msg msg;
	struct qaic_trans t;
	int ret, sent;

	if (!dev || !out)
		return qaic_fail(EINVAL);
	qaic_msg_init(&msg);
	ret = qaic_msg_add_status(&msg);
	if (ret)
		return ret;
	sent = qaic_manage(dev, &msg);
	if (sent && sent != -ECANCELED)
		return sent;
	ret = qaic_reply_find(&msg, QAIC_TRANS_STATUS_FROM_DEV, &t);
	if (!ret)
		ret = qaic_trans_get_status(&t, out);
	if (ret)
		return ret == -ENOMSG ? qaic_fail(EBADMSG) : ret;
	return sent ? qaic_fail(-sent) : 0;
}

int qaic_nnc_version(struct qaic_dev *dev, uint16_t *major, uint16_t *minor)
{
	struct qaic_status_reply st;
	int ret;

	if (!dev || !major || !minor)
		return qaic_fail(EINVAL);
	ret = qaic_status(dev, &st);
	if (ret)
		return ret;
	*major = st.major;
	*minor = st.minor;
	return 0;
}

int qaic_activate(struct qaic_dev *dev, uint32_t queue_size, uint32_t *dbc_id)
{
	struct qaic_activate_reply rep;
	struct qaic_msg msg;
	struct qaic_trans t;
	int ret;

	if (!dev || !dbc_id || queue_size == 0)
		return qaic_fail(EINVAL);
	qaic_msg_init(&msg);
	ret = qaic_msg_add_activate(&msg, queue_size, 0);
	if (ret)
		return ret;
	ret = qaic_manage(dev, &msg);
	if (ret)
		return ret;
	ret = qaic_reply_find(&msg, QAIC_TRANS_ACTIVATE_FROM_DEV, &t);
	if (!ret)
		ret = qaic_trans_get_activate(&t, &rep);
	if (ret)
		return ret == -ENOMSG ? qaic_fail(EBADMSG) : ret;
	/* The kernel turns a refusal into -ECANCELED; stay safe if one does not. */
	if (rep.status)
		return qaic_fail(ECANCELED);
	*dbc_id = rep.dbc_id;
	return 0;
}

int qaic_deactivate(struct qaic_dev *dev, uint32_t dbc_id)
{
	struct qaic_deactivate_reply rep;
	struct qaic_msg msg;
	struct qaic_trans t;
	int ret;

	if (!dev)
		return qaic_fail(EINVAL);
	qaic_msg_init(&msg);
	ret = qaic_msg_add_deactivate(&msg, dbc_id);
	if (ret)
		return ret;
	ret = qaic_manage(dev, &msg);
	if (ret)
		return ret;
	/* Most drivers consume the answer; check it only when it is there. */
	ret = qaic_reply_find(&msg, QAIC_TRANS_DEACTIVATE_FROM_DEV, &t);
	if (ret == -ENOMSG)
		return 0;
	if (!ret)
		ret = qaic_trans_get_deactivate(&t, &rep);
	if (ret)
		return ret;
	return rep.status ? qaic_fail(ECANCELED) : 0;
}
