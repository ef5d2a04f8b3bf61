// SPDX-License-Identifier: MIT
/*
 * Simulated-card networks: struct simnet_desc (qaic_sim_net.h) encoded little
 * endian into a PASSTHROUGH payload, and the struct simnet_reply the sim's
 * firmware answers with. Field offsets come from the shared header itself,
 * so the library and the sim cannot disagree on the layout.
 */
#include <stddef.h>
#include <string.h>

#include "qaic_internal.h"

#ifndef __packed
#define __packed __attribute__((packed))
#endif
#include "qaic_sim_net.h"
#include "qaic_nnc.h"

_Static_assert(sizeof(struct simnet_desc) == 112, "simnet_desc layout changed");
_Static_assert(sizeof(struct simnet_reply) == 16, "simnet_reply layout changed");
_Static_assert(QAIC_SIMNET_FIXED == SIMNET_DIST_FIXED &&
	       QAIC_SIMNET_NORMAL == SIMNET_DIST_NORMAL &&
	       QAIC_SIMNET_LOGNORMAL == SIMNET_DIST_LOGNORMAL &&
	       QAIC_SIMNET_BIMODAL == SIMNET_DIST_BIMODAL, "dist values differ");
_Static_assert(QAIC_SIMNET_MAX_NSP == SIMNET_MAX_NSP, "NSP limit differs");

#define PUT32(buf, field, v) qaic_put_le32((buf) + offsetof(struct simnet_desc, field), (v))
#define PUT64(buf, field, v) qaic_put_le64((buf) + offsetof(struct simnet_desc, field), (v))

/* qaic_sem.index is 5 bits wide. */
#define SIMNET_MAX_SEM	32

static void desc_header(uint8_t *buf, uint16_t op, uint32_t net_id)
{
	memset(buf, 0, sizeof(struct simnet_desc));
	PUT32(buf, magic, SIMNET_MAGIC);
	qaic_put_le16(buf + offsetof(struct simnet_desc, version), SIMNET_VERSION);
	qaic_put_le16(buf + offsetof(struct simnet_desc, op), op);
	PUT32(buf, net_id, net_id);
}

static int simnet_valid(const struct qaic_simnet *net)
{
	int has_weights = net->weights_tag != 0;

	return net->nsp_count >= 1 && net->nsp_count <= SIMNET_MAX_NSP &&
	       net->dist <= SIMNET_DIST_MAX && net->alt_permille <= 1000 &&
	       net->sem_index < SIMNET_MAX_SEM &&
	       has_weights == (net->weights_bytes != 0) && has_weights == (net->weights != NULL);
}

int qaic_msg_add_simnet_load(struct qaic_msg *msg, const struct qaic_simnet *net)
{
	uint8_t d[sizeof(struct simnet_desc)];
	uint32_t len, count;
	int ret;

	if (!msg || !net || !simnet_valid(net))
		return qaic_fail(EINVAL);

	desc_header(d, SIMNET_OP_LOAD, net->net_id);
	PUT32(d, nsp_count, net->nsp_count);
	PUT64(d, input_bytes, net->input_bytes);
	PUT64(d, output_bytes, net->output_bytes);
	PUT64(d, input_dev_addr, net->input_dev_addr);
	PUT64(d, output_dev_addr, net->output_dev_addr);
	PUT32(d, dist, net->dist);
	PUT32(d, seed, net->seed);
	PUT64(d, mean_ns, net->mean_ns);
	PUT64(d, stddev_ns, net->stddev_ns);
	PUT64(d, alt_mean_ns, net->alt_mean_ns);
	PUT64(d, alt_stddev_ns, net->alt_stddev_ns);
	PUT32(d, alt_permille, net->alt_permille);
	PUT32(d, sem_index, net->sem_index);
	PUT32(d, doorbell, net->doorbell);
	PUT32(d, weights_tag, net->weights_tag);
	PUT64(d, weights_bytes, net->weights_bytes);

	len = msg->len;
	count = msg->count;
	ret = qaic_msg_add_passthrough(msg, d, sizeof(d));
	if (ret || !net->weights_tag)
		return ret;
	ret = qaic_msg_add_dma_xfer(msg, net->weights_tag, net->weights, net->weights_bytes);
	if (ret) {
		/* all or nothing: take the descriptor back out */
		msg->len = len;
		msg->count = count;
		memset(msg->buf + len, 0, sizeof(msg->buf) - len);
		errno = -ret;
	}
	return ret;
}

int qaic_msg_add_simnet_unload(struct qaic_msg *msg, uint32_t net_id)
{
	uint8_t d[sizeof(struct simnet_desc)];

	if (!msg)
		return qaic_fail(EINVAL);
	desc_header(d, SIMNET_OP_UNLOAD, net_id);
	return qaic_msg_add_passthrough(msg, d, sizeof(d));
}

int qaic_trans_get_simnet(const struct qaic_trans *t, struct qaic_simnet_reply *out)
{
	const uint8_t *p;
	size_t len;
	int ret;

	if (!out)
		return qaic_fail(EINVAL);
	ret = qaic_trans_get_passthrough(t, (const void **)&p, &len);
	if (ret)
		return ret;
	if (len < sizeof(struct simnet_reply) ||
	    qaic_get_le32(p + offsetof(struct simnet_reply, magic)) != SIMNET_MAGIC)
		return qaic_fail(EBADMSG);
	out->status = qaic_get_le32(p + offsetof(struct simnet_reply, status));
	out->net_id = qaic_get_le32(p + offsetof(struct simnet_reply, net_id));
	return 0;
}

static int nnc_status_errno(uint32_t status)
{
	switch (status) {
	case NNC_STATUS_OK:
		return 0;
	case NNC_STATUS_EINVAL:
		return EINVAL;
	case NNC_STATUS_ENOSPC:
		return ENOSPC;
	case NNC_STATUS_EPERM:
		return EPERM;
	case NNC_STATUS_ENOENT:
		return ENOENT;
	}
	return EIO;
}

/*
 * The device refused a later transaction (the weights' DMA_XFER): firmware
 * errors come back as a STATUS_FROM_DEV whose status says why.
 */
static int refusal_errno(const struct qaic_msg *msg)
{
	struct qaic_status_reply st;
	struct qaic_trans t;
	int err;

	if (qaic_reply_find(msg, QAIC_TRANS_STATUS_FROM_DEV, &t) ||
	    qaic_trans_get_status(&t, &st))
		return ECANCELED;
	err = nnc_status_errno(st.status);
	return err ? err : ECANCELED;
}

/* Send a request holding one simnet descriptor and check the answer. */
static int simnet_transact(struct qaic_dev *dev, struct qaic_msg *msg, uint32_t net_id)
{
	struct qaic_simnet_reply rep;
	struct qaic_trans t;
	int ret, err, sent;

	sent = qaic_manage(dev, msg);
	if (sent && sent != -ECANCELED)
		return sent;
	ret = qaic_reply_find(msg, QAIC_TRANS_PASSTHROUGH_FROM_DEV, &t);
	if (!ret)
		ret = qaic_trans_get_simnet(&t, &rep);
	if (ret)
		return ret == -ENOMSG ? qaic_fail(EBADMSG) : ret;
	if (rep.net_id != net_id)
		return qaic_fail(EBADMSG);
	err = nnc_status_errno(rep.status);
	if (err)
		return qaic_fail(err);
	if (sent)
		return qaic_fail(refusal_errno(msg));
	return 0;
}

int qaic_simnet_load(struct qaic_dev *dev, const struct qaic_simnet *net)
{
	struct qaic_msg msg;
	int ret;

	if (!dev || !net)
		return qaic_fail(EINVAL);
	qaic_msg_init(&msg);
	ret = qaic_msg_add_simnet_load(&msg, net);
	if (ret)
		return ret;
	return simnet_transact(dev, &msg, net->net_id);
}

int qaic_simnet_unload(struct qaic_dev *dev, uint32_t net_id)
{
	struct qaic_msg msg;
	int ret;

	if (!dev)
		return qaic_fail(EINVAL);
	qaic_msg_init(&msg);
	ret = qaic_msg_add_simnet_unload(&msg, net_id);
	if (ret)
		return ret;
	return simnet_transact(dev, &msg, net_id);
}
