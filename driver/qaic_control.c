// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control path: the MANAGE ioctl and the NNC messages it exchanges with
 * the card's QSM firmware over the MHI QAIC_CONTROL channels.
 *
 * A user message (uAPI transactions, at most 4 KiB) is checked and encoded
 * into a wire message (qaic_nnc.h, at most 64 KiB): ACTIVATE gets coherent
 * queue memory, DMA_XFER gets the user's pages pinned and DMA-mapped and
 * sent as bus address/size pairs. The wire message goes to the device in
 * pieces of at most 4 KiB chained into one MHI transfer; a 4 KiB receive
 * buffer is queued first for the reply, which is matched to its waiter by
 * sequence number. The reply is decoded back into uAPI transactions in the
 * user's buffer.
 */
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <drm/drm_file.h>

#include "qaic_accel.h"
#include "qaic_nnc.h"
#include "qaic.h"
#include "qaic_trace.h"

#define QAIC_MANAGE_EXT_MSG_LENGTH	SZ_64K	/* wire request limit */
#define QAIC_CONTROL_PIECE		SZ_4K	/* bytes per UL transfer element */
#define QAIC_DMA_RESERVE		SZ_1K	/* room kept after DMA pairs */

static unsigned int control_resp_timeout_s = 60;
module_param(control_resp_timeout_s, uint, 0600);
MODULE_PARM_DESC(control_resp_timeout_s, "Seconds to wait for an NNC reply (default 60)");

/* The wire numbers must stay the uAPI's: the sim only knows qaic_nnc.h. */
static_assert(NNC_TRANS_PASSTHROUGH_TO_DEV == QAIC_TRANS_PASSTHROUGH_TO_DEV);
static_assert(NNC_TRANS_PASSTHROUGH_FROM_DEV == QAIC_TRANS_PASSTHROUGH_FROM_DEV);
static_assert(NNC_TRANS_DMA_XFER_TO_DEV == QAIC_TRANS_DMA_XFER_TO_DEV);
static_assert(NNC_TRANS_ACTIVATE_TO_DEV == QAIC_TRANS_ACTIVATE_TO_DEV);
static_assert(NNC_TRANS_ACTIVATE_FROM_DEV == QAIC_TRANS_ACTIVATE_FROM_DEV);
static_assert(NNC_TRANS_DEACTIVATE_TO_DEV == QAIC_TRANS_DEACTIVATE_FROM_USR);
static_assert(NNC_TRANS_DEACTIVATE_FROM_DEV == QAIC_TRANS_DEACTIVATE_FROM_DEV);
static_assert(NNC_TRANS_STATUS_TO_DEV == QAIC_TRANS_STATUS_TO_DEV);
static_assert(NNC_TRANS_STATUS_FROM_DEV == QAIC_TRANS_STATUS_FROM_DEV);
static_assert(NNC_TRANS_TERMINATE_TO_DEV == QAIC_TRANS_TERMINATE_TO_DEV);
static_assert(NNC_TRANS_DMA_XFER_CONT == QAIC_TRANS_DMA_XFER_CONT);
static_assert(NNC_MAX_RSP_LEN == QAIC_MANAGE_MAX_MSG_LENGTH);

/* A request waiting for its reply. */
struct ctl_waiter {
	struct list_head node;		/* in qdev->cntl_xfer_list */
	u32 seq;
	struct completion done;
	struct nnc_msg_hdr *reply;	/* owned by the waiter once set */
	u32 reply_len;
};

/* One piece of a wire message on the UL ring; freed by its completion. */
struct ctl_piece {
	u32 seq;
	u8 data[];
};

/* The user's memory behind one DMA_XFER, pinned and mapped. */
struct ctl_dma {
	struct sg_table sgt;
	struct page **pages;
	unsigned long nr_pages;
	bool mapped;
	struct scatterlist *next_sg;	/* first segment not yet sent */
	unsigned int sg_left;
	u64 sent;			/* bytes described to the device so far */
	u64 size;
	u32 tag;
};

/* What encoding a message set up, for decoding and cleanup. */
struct ctl_msg {
	struct qaic_device *qdev;
	struct qaic_user *usr;
	u8 *wire;			/* QAIC_MANAGE_EXT_MSG_LENGTH bytes */
	u32 wire_len;
	u32 seq;
	/* ACTIVATE */
	bool activate;
	void *q_buf;
	dma_addr_t q_dma;
	u32 q_size;
	u32 q_nelem;
	/* DEACTIVATE */
	u32 deactivate_mask;		/* DBCs this message releases */
	/* DMA_XFER */
	struct ctl_dma *dma;
	u32 chunk_id;
};

static struct nnc_msg_hdr *wire_hdr(struct ctl_msg *m)
{
	return (struct nnc_msg_hdr *)m->wire;
}

/* Reserve @len bytes for a transaction of @type in the wire message. */
static void *wire_add(struct ctl_msg *m, u32 type, u32 len)
{
	struct nnc_trans_hdr *t;

	if (len > QAIC_MANAGE_EXT_MSG_LENGTH - m->wire_len)
		return NULL;
	t = (struct nnc_trans_hdr *)(m->wire + m->wire_len);
	memset(t, 0, len);
	t->type = cpu_to_le32(type);
	t->len = cpu_to_le32(len);
	m->wire_len += len;
	le32_add_cpu(&wire_hdr(m)->count, 1);
	return t;
}

static void wire_start(struct ctl_msg *m, u32 handle)
{
	struct nnc_msg_hdr *hdr = wire_hdr(m);

	memset(hdr, 0, sizeof(*hdr));
	hdr->magic_number = cpu_to_le32(NNC_MAGIC);
	hdr->handle = cpu_to_le32(handle);
	hdr->partition_id = cpu_to_le32(NNC_NO_PARTITION);
	m->wire_len = sizeof(*hdr);
}

static void dma_put(struct qaic_device *qdev, struct ctl_dma *d)
{
	if (!d)
		return;
	if (d->mapped)
		dma_unmap_sgtable(qdev->hw->dma_dev, &d->sgt, DMA_TO_DEVICE, 0);
	if (d->sgt.sgl)
		sg_free_table(&d->sgt);
	if (d->pages) {
		unpin_user_pages(d->pages, d->nr_pages);
		kvfree(d->pages);
	}
	kfree(d);
}

static void msg_cleanup(struct ctl_msg *m)
{
	dma_put(m->qdev, m->dma);
	m->dma = NULL;
	if (m->q_buf)
		dma_free_coherent(m->qdev->hw->dma_dev, m->q_size, m->q_buf, m->q_dma);
	m->q_buf = NULL;
}

static int pin_user_range(struct qaic_device *qdev, struct ctl_dma *d, u64 addr, u64 size)
{
	unsigned long first = addr >> PAGE_SHIFT;
	unsigned long last;
	long pinned;
	int ret;

	if (!size || check_add_overflow(addr, size - 1, &last))
		return -EINVAL;
	last >>= PAGE_SHIFT;
	d->nr_pages = last - first + 1;
	if (d->nr_pages > totalram_pages() / 2)
		return -ENOMEM;
	d->pages = kvmalloc_array(d->nr_pages, sizeof(*d->pages), GFP_KERNEL);
	if (!d->pages)
		return -ENOMEM;
	pinned = pin_user_pages_fast(addr & PAGE_MASK, d->nr_pages, 0, d->pages);
	if (pinned < 0) {
		ret = pinned;
		goto free_pages;
	}
	if (pinned != d->nr_pages) {
		unpin_user_pages(d->pages, pinned);
		ret = -EFAULT;
		goto free_pages;
	}
	ret = sg_alloc_table_from_pages(&d->sgt, d->pages, d->nr_pages,
					offset_in_page(addr), size, GFP_KERNEL);
	if (ret)
		goto unpin;
	ret = dma_map_sgtable(qdev->hw->dma_dev, &d->sgt, DMA_TO_DEVICE, 0);
	if (ret)
		goto unpin;
	d->mapped = true;
	d->next_sg = d->sgt.sgl;
	d->sg_left = d->sgt.nents;
	return 0;

unpin:
	unpin_user_pages(d->pages, d->nr_pages);
free_pages:
	kvfree(d->pages);
	d->pages = NULL;
	return ret;
}

/* Describe as many of the transfer's segments as fit; true when all did. */
static bool encode_dma_pairs(struct ctl_msg *m, struct nnc_trans_dma_xfer *x)
{
	struct ctl_dma *d = m->dma;
	u32 room = QAIC_MANAGE_EXT_MSG_LENGTH - QAIC_DMA_RESERVE - m->wire_len;
	u32 n = 0;

	while (d->sg_left && room >= sizeof(x->data[0])) {
		x->data[n].addr = cpu_to_le64(sg_dma_address(d->next_sg));
		x->data[n].size = cpu_to_le64(sg_dma_len(d->next_sg));
		d->sent += sg_dma_len(d->next_sg);
		d->next_sg = sg_next(d->next_sg);
		d->sg_left--;
		room -= sizeof(x->data[0]);
		n++;
	}
	x->count = cpu_to_le32(n);
	x->hdr.len = cpu_to_le32(sizeof(*x) + n * sizeof(x->data[0]));
	m->wire_len += n * sizeof(x->data[0]);
	return !d->sg_left;
}

static int wire_dma_xfer(struct ctl_msg *m)
{
	struct nnc_trans_dma_xfer *x;

	x = wire_add(m, NNC_TRANS_DMA_XFER_TO_DEV, sizeof(*x));
	if (!x)
		return -ENOSPC;
	x->tag = cpu_to_le32(m->dma->tag);
	x->dma_chunk_id = cpu_to_le32(m->chunk_id);
	if (!encode_dma_pairs(m, x) && !m->chunk_id)
		return 1;	/* needs continuation */
	return 0;
}

static int encode_dma_xfer(struct ctl_msg *m, const void *trans, u32 len, u32 count)
{
	const struct qaic_manage_trans_dma_xfer *in = trans;
	struct ctl_dma *d;
	int ret;

	if (len < sizeof(*in) || m->dma)
		return -EINVAL;
	if (!in->size || in->pad)
		return -EINVAL;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	m->dma = d;
	d->tag = in->tag;
	d->size = in->size;
	ret = pin_user_range(m->qdev, d, in->addr, in->size);
	if (ret)
		return ret;
	ret = wire_dma_xfer(m);
	if (ret == 1) {
		/* Continuations carry nothing else: the transfer must be alone. */
		if (count != 1)
			return -ENOSPC;
		m->chunk_id = atomic_inc_return(&m->qdev->chunk_id) ?: 1;
		((struct nnc_trans_dma_xfer *)(m->wire + sizeof(struct nnc_msg_hdr)))
			->dma_chunk_id = cpu_to_le32(m->chunk_id);
		ret = 0;
	}
	return ret;
}

static int encode_activate(struct ctl_msg *m, const void *trans, u32 len)
{
	const struct qaic_manage_trans_activate_to_dev *in = trans;
	struct nnc_trans_activate_to_dev *out;
	u32 size;

	if (len < sizeof(*in) || m->activate)
		return -EINVAL;
	if (!in->queue_size || in->pad)
		return -EINVAL;
	if (check_mul_overflow((u32)(QAIC_DBC_REQ_ELEM_SIZE + QAIC_DBC_RSP_ELEM_SIZE),
			       in->queue_size, &size) ||
	    size > U32_MAX - QAIC_DBC_Q_GAP - QAIC_DBC_Q_BUF_ALIGN)
		return -EINVAL;
	size = ALIGN(size + QAIC_DBC_Q_GAP, QAIC_DBC_Q_BUF_ALIGN);

	out = wire_add(m, NNC_TRANS_ACTIVATE_TO_DEV, sizeof(*out));
	if (!out)
		return -ENOSPC;
	m->q_buf = dma_alloc_coherent(m->qdev->hw->dma_dev, size, &m->q_dma,
				      GFP_KERNEL | __GFP_NOWARN);
	if (!m->q_buf)
		return -ENOMEM;
	m->activate = true;
	m->q_size = size;
	m->q_nelem = in->queue_size;
	out->req_q_addr = cpu_to_le64(m->q_dma);
	out->rsp_q_addr = cpu_to_le64(m->q_dma + size - in->queue_size * QAIC_DBC_RSP_ELEM_SIZE);
	out->req_q_size = cpu_to_le32(in->queue_size);
	out->rsp_q_size = cpu_to_le32(in->queue_size);
	out->buf_len = cpu_to_le32(size);
	out->options = cpu_to_le32(in->options);
	return 0;
}

static int encode_deactivate(struct ctl_msg *m, const void *trans, u32 len)
{
	const struct qaic_manage_trans_deactivate *in = trans;
	struct qaic_device *qdev = m->qdev;
	struct nnc_trans_deactivate_to_dev *out;
	int ret = 0;

	if (len < sizeof(*in) || in->dbc_id >= QAIC_HW_NUM_DBC || in->pad)
		return -EINVAL;
	if (m->deactivate_mask & BIT(in->dbc_id))
		return -EINVAL;
	out = wire_add(m, NNC_TRANS_DEACTIVATE_TO_DEV, sizeof(*out));
	if (!out)
		return -ENOSPC;
	mutex_lock(&qdev->dbc_mutex);
	if (!qdev->dbc[in->dbc_id].in_use || qdev->dbc[in->dbc_id].usr != m->usr)
		ret = -EPERM;	/* only the owner may release a DBC */
	else
		qdev->dbc[in->dbc_id].deactivating = true;
	mutex_unlock(&qdev->dbc_mutex);
	if (ret)
		return ret;
	out->dbc_id = cpu_to_le32(in->dbc_id);
	m->deactivate_mask |= BIT(in->dbc_id);
	return 0;
}

static int encode_passthrough(struct ctl_msg *m, const void *trans, u32 len)
{
	const struct qaic_manage_trans_passthrough *in = trans;
	struct nnc_trans_passthrough *out;

	if (len % 8)
		return -EINVAL;
	out = wire_add(m, NNC_TRANS_PASSTHROUGH_TO_DEV, len);
	if (!out)
		return -ENOSPC;
	memcpy(out->data, in->data, len - sizeof(in->hdr));
	return 0;
}

static int encode_status(struct ctl_msg *m, u32 len)
{
	if (len != sizeof(struct qaic_manage_trans_status_to_dev))
		return -EINVAL;
	return wire_add(m, NNC_TRANS_STATUS_TO_DEV, sizeof(struct nnc_trans_status_to_dev)) ?
		0 : -ENOSPC;
}

/* Bit (1 << type) for each transaction type in @buf: the trace's trans_mask. */
static u32 trans_mask(const u8 *buf, u32 len, u32 count)
{
	const struct qaic_manage_trans_hdr *t;
	u32 off = 0, mask = 0, i;

	for (i = 0; i < count && len - off >= sizeof(*t); i++) {
		t = (const void *)(buf + off);
		if (t->type < 32)
			mask |= BIT(t->type);
		if (t->len < sizeof(*t) || t->len > len - off)
			break;
		off += t->len;
	}
	return mask;
}

static int encode_message(struct ctl_msg *m, const u8 *buf, u32 len, u32 count)
{
	const struct qaic_manage_trans_hdr *t;
	u32 off = 0, i;
	int ret = 0;

	wire_start(m, m->usr->handle);
	for (i = 0; i < count; i++) {
		if (len - off < sizeof(*t))
			return -EINVAL;
		t = (const void *)(buf + off);
		if (t->len < sizeof(*t) || t->len > len - off)
			return -EINVAL;
		switch (t->type) {
		case QAIC_TRANS_PASSTHROUGH_FROM_USR:
			ret = encode_passthrough(m, t, t->len);
			break;
		case QAIC_TRANS_DMA_XFER_FROM_USR:
			ret = encode_dma_xfer(m, t, t->len, count);
			break;
		case QAIC_TRANS_ACTIVATE_FROM_USR:
			ret = encode_activate(m, t, t->len);
			break;
		case QAIC_TRANS_DEACTIVATE_FROM_USR:
			ret = encode_deactivate(m, t, t->len);
			break;
		case QAIC_TRANS_STATUS_FROM_USR:
			ret = encode_status(m, t->len);
			break;
		default:
			ret = -EINVAL;
			break;
		}
		if (ret)
			return ret;
		off += t->len;
	}
	return off == len ? 0 : -EINVAL;
}

static int queue_reply_buffer(struct qaic_device *qdev, u32 seq)
{
	void *buf = kmalloc(NNC_MAX_RSP_LEN, GFP_KERNEL);
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = mhi_queue_buf(qdev->cntl_ch, DMA_FROM_DEVICE, buf, NNC_MAX_RSP_LEN, MHI_EOT);
	trace_qaic_mhi_xfer_queued(qdev->minor, qdev->cntl_ch->dl_chan_id, NNC_MAX_RSP_LEN,
				   seq, ret);
	if (ret)
		kfree(buf);
	return ret;
}

static int queue_pieces(struct qaic_device *qdev, const u8 *msg, u32 len, u32 seq)
{
	u32 off, n;
	int ret;

	for (off = 0; off < len; off += n) {
		struct ctl_piece *p;
		bool last;

		n = min_t(u32, len - off, QAIC_CONTROL_PIECE);
		last = off + n == len;
		p = kmalloc(struct_size(p, data, n), GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		p->seq = seq;
		memcpy(p->data, msg + off, n);
		ret = mhi_queue_buf(qdev->cntl_ch, DMA_TO_DEVICE, p->data, n,
				    last ? MHI_EOT : MHI_CHAIN);
		trace_qaic_mhi_xfer_queued(qdev->minor, qdev->cntl_ch->ul_chan_id, n, seq, ret);
		if (ret) {
			kfree(p);
			return ret;
		}
	}
	return 0;
}

/*
 * Send the wire message (its header's sequence number set) and wait for the
 * reply. Returns the reply, which the caller frees, or an ERR_PTR.
 */
static struct nnc_msg_hdr *msg_xfer(struct qaic_device *qdev, u8 *msg, u32 len, u32 seq,
				    bool interruptible, u32 *reply_len)
{
	struct ctl_waiter w = { .seq = seq };
	u32 pieces = DIV_ROUND_UP(len, QAIC_CONTROL_PIECE);
	long left;
	int ret;

	init_completion(&w.done);
	((struct nnc_msg_hdr *)msg)->sequence_number = cpu_to_le32(seq);

	mutex_lock(&qdev->cntl_mutex);
	spin_lock_irq(&qdev->cntl_lock);
	if (qdev->cntl_dead || !qdev->cntl_ch) {
		spin_unlock_irq(&qdev->cntl_lock);
		mutex_unlock(&qdev->cntl_mutex);
		return ERR_PTR(-ENODEV);
	}
	list_add_tail(&w.node, &qdev->cntl_xfer_list);
	spin_unlock_irq(&qdev->cntl_lock);

	/* Never commit part of a message: check there is room for all of it. */
	if (mhi_get_free_desc_count(qdev->cntl_ch, DMA_TO_DEVICE) < pieces)
		ret = -EAGAIN;
	else
		ret = queue_reply_buffer(qdev, seq);
	if (!ret)
		ret = queue_pieces(qdev, msg, len, seq);
	mutex_unlock(&qdev->cntl_mutex);

	if (!ret) {
		if (interruptible)
			left = wait_for_completion_interruptible_timeout(&w.done,
						control_resp_timeout_s * HZ);
		else
			left = wait_for_completion_timeout(&w.done, control_resp_timeout_s * HZ);
		if (left == 0) {
			ret = -ETIMEDOUT;
			atomic64_inc(&qdev->cntl_timeouts);
		} else if (left < 0) {
			ret = -EINTR;
		}
	}

	spin_lock_irq(&qdev->cntl_lock);
	list_del(&w.node);
	spin_unlock_irq(&qdev->cntl_lock);

	if (w.reply) {
		*reply_len = w.reply_len;
		return w.reply;	/* a reply that raced a timeout still counts */
	}
	return ERR_PTR(ret ?: -EIO);	/* woken without a reply: reset */
}

void qaic_control_ul_cb(struct mhi_device *mhi_dev, struct mhi_result *res)
{
	struct qaic_device *qdev = dev_get_drvdata(&mhi_dev->dev);
	struct ctl_piece *p = container_of(res->buf_addr, struct ctl_piece, data[0]);

	trace_qaic_mhi_xfer_done(qdev->minor, mhi_dev->ul_chan_id, res->bytes_xferd, p->seq,
				 res->transaction_status);
	kfree(p);
}

void qaic_control_dl_cb(struct mhi_device *mhi_dev, struct mhi_result *res)
{
	struct qaic_device *qdev = dev_get_drvdata(&mhi_dev->dev);
	struct nnc_msg_hdr *hdr = res->buf_addr;
	struct ctl_waiter *w;
	unsigned long flags;
	bool taken = false;
	u32 seq = 0;

	if (!res->transaction_status && res->bytes_xferd >= sizeof(*hdr))
		seq = le32_to_cpu(hdr->sequence_number);
	trace_qaic_mhi_xfer_done(qdev->minor, mhi_dev->dl_chan_id, res->bytes_xferd, seq,
				 res->transaction_status);

	if (res->transaction_status || res->bytes_xferd < sizeof(*hdr) ||
	    le32_to_cpu(hdr->magic_number) != NNC_MAGIC) {
		if (!res->transaction_status)
			atomic64_inc(&qdev->cntl_bad_replies);
		kfree(hdr);
		return;
	}

	spin_lock_irqsave(&qdev->cntl_lock, flags);
	list_for_each_entry(w, &qdev->cntl_xfer_list, node) {
		if (w->seq == seq && !w->reply) {
			w->reply = hdr;
			w->reply_len = res->bytes_xferd;
			complete(&w->done);
			taken = true;
			break;
		}
	}
	spin_unlock_irqrestore(&qdev->cntl_lock, flags);

	if (taken)
		atomic64_inc(&qdev->cntl_replies);
	else
		kfree(hdr);	/* its requester gave up waiting */
}

static void dbc_assign(struct ctl_msg *m, u32 dbc_id)
{
	struct qaic_device *qdev = m->qdev;
	struct qaic_dbc *dbc = &qdev->dbc[dbc_id];

	mutex_lock(&qdev->dbc_mutex);
	dbc->in_use = true;
	dbc->usr = m->usr;
	dbc->user_handle = m->usr->handle;
	dbc->req_q_base = m->q_buf;
	dbc->rsp_q_base = m->q_buf + m->q_size - m->q_nelem * QAIC_DBC_RSP_ELEM_SIZE;
	dbc->dma_addr = m->q_dma;
	dbc->total_size = m->q_size;
	dbc->nelem = m->q_nelem;
	qaic_dbc_data_start(dbc, m->usr);
	mutex_unlock(&qdev->dbc_mutex);
	m->q_buf = NULL;	/* the DBC owns it now */
	qaic_sysfs_dbc_changed(qdev, dbc_id, true);
}

/*
 * The device assigned @dbc_id to an ACTIVATE. If the local state still has
 * it owned, its owner's DEACTIVATE reply has not been decoded yet (replies
 * are decoded by their requesters, in any order): the device freed it, so
 * release it here for the owner. True when the DBC is free for the new user.
 */
static bool dbc_take_over(struct qaic_device *qdev, u32 dbc_id)
{
	struct qaic_dbc *dbc = &qdev->dbc[dbc_id];
	struct qaic_user *owner = NULL;
	bool free;

	mutex_lock(&qdev->dbc_mutex);
	free = !dbc->in_use;
	if (!free && dbc->deactivating)
		owner = dbc->usr;
	mutex_unlock(&qdev->dbc_mutex);
	if (free)
		return true;
	if (!owner)
		return false;	/* the device handed out a DBC in use */
	qaic_dbc_release(qdev, dbc_id, owner, 0);
	mutex_lock(&qdev->dbc_mutex);
	free = !dbc->in_use;
	mutex_unlock(&qdev->dbc_mutex);
	return free;
}

/* Decode one reply transaction into the user's buffer at *out_len. */
static int decode_trans(struct ctl_msg *m, const struct nnc_trans_hdr *t, u32 tlen,
			u8 *out, u32 *out_len, u32 *out_count)
{
	struct qaic_device *qdev = m->qdev;
	u32 type = le32_to_cpu(t->type);

	switch (type) {
	case NNC_TRANS_PASSTHROUGH_FROM_DEV: {
		struct qaic_manage_trans_passthrough *o = (void *)(out + *out_len);

		if (tlen % 8 || tlen > QAIC_MANAGE_MAX_MSG_LENGTH - *out_len)
			return -EPROTO;
		o->hdr.type = QAIC_TRANS_PASSTHROUGH_FROM_DEV;
		o->hdr.len = tlen;
		memcpy(o->data, (const u8 *)t + sizeof(*t), tlen - sizeof(*t));
		*out_len += tlen;
		(*out_count)++;
		return 0;
	}
	case NNC_TRANS_ACTIVATE_FROM_DEV: {
		const struct nnc_trans_activate_from_dev *in = (const void *)t;
		struct qaic_manage_trans_activate_from_dev *o = (void *)(out + *out_len);
		u32 status, dbc_id;

		if (tlen != sizeof(*in) || !m->activate || !m->q_buf ||
		    sizeof(*o) > QAIC_MANAGE_MAX_MSG_LENGTH - *out_len)
			return -EPROTO;
		status = le32_to_cpu(in->status);
		dbc_id = le32_to_cpu(in->dbc_id);
		o->hdr.type = QAIC_TRANS_ACTIVATE_FROM_DEV;
		o->hdr.len = sizeof(*o);
		o->status = status;
		o->dbc_id = dbc_id;
		o->options = le64_to_cpu(in->options);
		*out_len += sizeof(*o);
		(*out_count)++;
		trace_qaic_workload_activate(qdev->minor, m->usr->client_id, m->usr->tgid,
					     dbc_id, m->usr->handle, m->q_nelem, status);
		if (status)
			return -ECANCELED;	/* the device said no; status tells why */
		if (dbc_id >= QAIC_HW_NUM_DBC || !dbc_take_over(qdev, dbc_id))
			return -EPROTO;
		dbc_assign(m, dbc_id);
		return 0;
	}
	case NNC_TRANS_DEACTIVATE_FROM_DEV: {
		const struct nnc_trans_deactivate_from_dev *in = (const void *)t;
		u32 dbc_id;

		if (tlen != sizeof(*in))
			return -EPROTO;
		dbc_id = le32_to_cpu(in->dbc_id);
		if (dbc_id >= QAIC_HW_NUM_DBC || !(m->deactivate_mask & BIT(dbc_id)))
			return -EPROTO;
		m->deactivate_mask &= ~BIT(dbc_id);
		if (le32_to_cpu(in->status)) {
			mutex_lock(&qdev->dbc_mutex);
			if (qdev->dbc[dbc_id].usr == m->usr)
				qdev->dbc[dbc_id].deactivating = false;
			mutex_unlock(&qdev->dbc_mutex);
			return -ECANCELED;
		}
		/* An ACTIVATE may have taken it over already (dbc_take_over). */
		qaic_dbc_release(qdev, dbc_id, m->usr, 0);
		return 0;	/* consumed: upstream does not hand it to the user */
	}
	case NNC_TRANS_STATUS_FROM_DEV: {
		const struct nnc_trans_status_from_dev *in = (const void *)t;
		struct qaic_manage_trans_status_from_dev *o = (void *)(out + *out_len);

		if (tlen != sizeof(*in) || sizeof(*o) > QAIC_MANAGE_MAX_MSG_LENGTH - *out_len)
			return -EPROTO;
		o->hdr.type = QAIC_TRANS_STATUS_FROM_DEV;
		o->hdr.len = sizeof(*o);
		o->major = le16_to_cpu(in->major);
		o->minor = le16_to_cpu(in->minor);
		o->status = le32_to_cpu(in->status);
		o->status_flags = le64_to_cpu(in->status_flags);
		*out_len += sizeof(*o);
		(*out_count)++;
		return o->status ? -ECANCELED : 0;
	}
	default:
		return -EPROTO;
	}
}

/*
 * Decode @rsp into @out (the user's message buffer). Every transaction is
 * decoded even after a device NACK (-ECANCELED), so the user sees all of
 * the device's statuses; a malformed reply stops at once with -EPROTO.
 */
static int decode_message(struct ctl_msg *m, const struct nnc_msg_hdr *rsp, u32 rsp_len,
			  u8 *out, u32 *out_len, u32 *out_count)
{
	u32 len = le32_to_cpu(rsp->len);
	u32 count = le32_to_cpu(rsp->count);
	const u8 *body = (const u8 *)(rsp + 1);
	u32 off = 0, i, body_len;
	int ret = 0, r;

	if (len < sizeof(*rsp) || len > rsp_len || len > NNC_MAX_RSP_LEN)
		return -EPROTO;
	body_len = len - sizeof(*rsp);
	*out_len = 0;
	*out_count = 0;
	for (i = 0; i < count; i++) {
		const struct nnc_trans_hdr *t = (const void *)(body + off);
		u32 tlen;

		if (body_len - off < sizeof(*t))
			return -EPROTO;
		tlen = le32_to_cpu(t->len);
		if (tlen < sizeof(*t) || tlen > body_len - off)
			return -EPROTO;
		r = decode_trans(m, t, tlen, out, out_len, out_count);
		if (r == -EPROTO)
			return r;
		if (r && !ret)
			ret = r;
		off += tlen;
	}
	if (off != body_len)
		return -EPROTO;
	return ret;
}

/* The device asks for the next chunk of a DMA_XFER: check it and build it. */
static int next_dma_chunk(struct ctl_msg *m, const struct nnc_msg_hdr *rsp, u32 rsp_len)
{
	const struct nnc_trans_dma_xfer_cont *c = (const void *)(rsp + 1);

	if (le32_to_cpu(rsp->len) != sizeof(*rsp) + sizeof(*c) || rsp_len < sizeof(*rsp) + sizeof(*c))
		return -EPROTO;
	if (le32_to_cpu(c->dma_chunk_id) != m->chunk_id ||
	    le64_to_cpu(c->xferred_size) != m->dma->sent)
		return -EPROTO;
	if (!m->dma->sg_left)
		return -EPROTO;	/* the device wants more than the user gave */
	wire_start(m, m->usr->handle);
	return wire_dma_xfer(m) < 0 ? -ENOSPC : 0;
}

static bool is_dma_cont(const struct nnc_msg_hdr *rsp, u32 rsp_len)
{
	const struct nnc_trans_hdr *t = (const void *)(rsp + 1);

	return le32_to_cpu(rsp->count) == 1 && rsp_len >= sizeof(*rsp) + sizeof(*t) &&
	       le32_to_cpu(t->type) == NNC_TRANS_DMA_XFER_CONT;
}

/* Tell the device to forget a chunked transfer we are abandoning. */
static void abort_dma_chunks(struct ctl_msg *m)
{
	struct nnc_msg_hdr *rsp;
	u32 rsp_len;

	wire_start(m, m->usr->handle);
	if (!wire_add(m, NNC_TRANS_DMA_XFER_TO_DEV, sizeof(struct nnc_trans_dma_xfer)))
		return;
	((struct nnc_trans_dma_xfer *)(m->wire + sizeof(struct nnc_msg_hdr)))->dma_chunk_id =
		cpu_to_le32(m->chunk_id);
	wire_hdr(m)->len = cpu_to_le32(m->wire_len);
	rsp = msg_xfer(m->qdev, m->wire, m->wire_len,
		       atomic_inc_return(&m->qdev->next_seq_num), false, &rsp_len);
	if (!IS_ERR(rsp))
		kfree(rsp);
}

static int manage(struct ctl_msg *m, u8 *buf, u32 *len, u32 *count)
{
	struct nnc_msg_hdr *rsp = NULL;
	u32 rsp_len = 0, seq;
	int ret;

	ret = encode_message(m, buf, *len, *count);
	if (ret)
		return ret;
	for (seq = m->seq;; seq = atomic_inc_return(&m->qdev->next_seq_num)) {
		wire_hdr(m)->len = cpu_to_le32(m->wire_len);
		rsp = msg_xfer(m->qdev, m->wire, m->wire_len, seq, true, &rsp_len);
		if (IS_ERR(rsp))
			return PTR_ERR(rsp);
		if (!m->chunk_id || !is_dma_cont(rsp, rsp_len))
			break;
		ret = next_dma_chunk(m, rsp, rsp_len);
		kfree(rsp);
		if (ret) {
			abort_dma_chunks(m);
			return ret;
		}
	}
	ret = decode_message(m, rsp, rsp_len, buf, len, count);
	kfree(rsp);
	return ret;
}

int qaic_manage_ioctl(struct drm_device *ddev, void *data, struct drm_file *file)
{
	struct qaic_manage_msg *args = data;
	struct qaic_user *usr = file->driver_priv;
	struct qaic_device *qdev = usr->qdev;
	struct ctl_msg m = { .qdev = qdev, .usr = usr };
	u32 len = args->len, count = args->count;
	u64 start = ktime_get_ns();
	void __user *udata;
	u8 *buf = NULL;
	int ret, idx;

	if (!len || len > QAIC_MANAGE_MAX_MSG_LENGTH || !count ||
	    count > QAIC_MANAGE_MAX_MSG_LENGTH / sizeof(struct qaic_manage_trans_hdr) ||
	    len < sizeof(struct qaic_manage_trans_hdr))
		return -EINVAL;

	idx = srcu_read_lock(&qdev->dev_srcu);
	if (READ_ONCE(qdev->dev_state) != QAIC_ONLINE) {
		ret = -ENODEV;
		goto unlock;
	}
	buf = kzalloc(QAIC_MANAGE_MAX_MSG_LENGTH, GFP_KERNEL);
	m.wire = kvzalloc(QAIC_MANAGE_EXT_MSG_LENGTH, GFP_KERNEL);
	if (!buf || !m.wire) {
		ret = -ENOMEM;
		goto free;
	}
	udata = u64_to_user_ptr(args->data);
	if (copy_from_user(buf, udata, len)) {
		ret = -EFAULT;
		goto free;
	}

	m.seq = atomic_inc_return(&qdev->next_seq_num);
	trace_qaic_manage_start(qdev->minor, usr->client_id, usr->tgid, m.seq, count, len,
				trans_mask(buf, len, count), start);
	ret = manage(&m, buf, &len, &count);
	/* A device NACK (-ECANCELED) still hands the statuses to the user. */
	if (!ret || ret == -ECANCELED) {
		if (copy_to_user(udata, buf, len)) {
			ret = -EFAULT;
		} else {
			args->len = len;
			args->count = count;
		}
	}
	trace_qaic_manage_end(qdev->minor, usr->client_id, m.seq, ret, args->count, args->len,
			      ktime_get_ns(), ktime_get_ns() - start);
free:
	msg_cleanup(&m);
	kvfree(m.wire);
	kfree(buf);
unlock:
	srcu_read_unlock(&qdev->dev_srcu, idx);
	return ret;
}

/* Ask the firmware for its NNC version (no user: handle 0). */
int qaic_control_version(struct qaic_device *qdev, u16 *major, u16 *minor)
{
	struct qaic_manage_trans_status_from_dev *st;
	struct qaic_user kernel_user = { .qdev = qdev };
	struct ctl_msg m = { .qdev = qdev, .usr = &kernel_user };
	u32 out_len = 0, out_count = 0, rsp_len;
	struct nnc_msg_hdr *rsp;
	u8 *out;
	int ret;

	out = kzalloc(QAIC_MANAGE_MAX_MSG_LENGTH, GFP_KERNEL);
	m.wire = kzalloc(sizeof(struct nnc_msg_hdr) + sizeof(struct nnc_trans_status_to_dev),
			 GFP_KERNEL);
	if (!out || !m.wire) {
		ret = -ENOMEM;
		goto free;
	}
	wire_start(&m, 0);
	wire_add(&m, NNC_TRANS_STATUS_TO_DEV, sizeof(struct nnc_trans_status_to_dev));
	wire_hdr(&m)->len = cpu_to_le32(m.wire_len);
	rsp = msg_xfer(qdev, m.wire, m.wire_len, atomic_inc_return(&qdev->next_seq_num), false,
		       &rsp_len);
	if (IS_ERR(rsp)) {
		ret = PTR_ERR(rsp);
		goto free;
	}
	ret = decode_message(&m, rsp, rsp_len, out, &out_len, &out_count);
	kfree(rsp);
	st = (void *)out;
	if (!ret && (out_count != 1 || st->hdr.type != QAIC_TRANS_STATUS_FROM_DEV))
		ret = -EPROTO;
	if (!ret) {
		*major = st->major;
		*minor = st->minor;
	}
free:
	kfree(m.wire);
	kfree(out);
	return ret;
}

/* A client is gone: the firmware frees everything it held. */
void qaic_control_terminate(struct qaic_device *qdev, struct qaic_user *usr)
{
	struct ctl_msg m = { .qdev = qdev, .usr = usr };
	struct nnc_trans_terminate_to_dev *t;
	struct nnc_msg_hdr *rsp;
	u32 rsp_len;

	m.wire = kzalloc(sizeof(struct nnc_msg_hdr) + sizeof(*t), GFP_KERNEL);
	if (!m.wire)
		return;
	wire_start(&m, usr->handle);
	t = wire_add(&m, NNC_TRANS_TERMINATE_TO_DEV, sizeof(*t));
	t->handle = cpu_to_le32(usr->handle);
	wire_hdr(&m)->len = cpu_to_le32(m.wire_len);
	/* Not interruptible: the device must stop using the user's memory first. */
	rsp = msg_xfer(qdev, m.wire, m.wire_len, atomic_inc_return(&qdev->next_seq_num), false,
		       &rsp_len);
	if (!IS_ERR(rsp))
		kfree(rsp);
	kfree(m.wire);
}

/* Fail every waiter now and refuse new ones until the channel reopens. */
void qaic_control_wake_all(struct qaic_device *qdev)
{
	struct ctl_waiter *w;

	spin_lock_irq(&qdev->cntl_lock);
	qdev->cntl_dead = true;
	list_for_each_entry(w, &qdev->cntl_xfer_list, node)
		complete(&w->done);
	spin_unlock_irq(&qdev->cntl_lock);
}

int qaic_control_open(struct qaic_device *qdev, struct mhi_device *mhi_dev)
{
	int ret;

	ret = mhi_prepare_for_transfer(mhi_dev);
	if (ret)
		return ret;
	mutex_lock(&qdev->cntl_mutex);
	qdev->cntl_ch = mhi_dev;
	mutex_unlock(&qdev->cntl_mutex);
	spin_lock_irq(&qdev->cntl_lock);
	qdev->cntl_dead = false;
	spin_unlock_irq(&qdev->cntl_lock);
	return 0;
}

void qaic_control_close(struct qaic_device *qdev)
{
	struct mhi_device *ch;

	qaic_control_wake_all(qdev);
	mutex_lock(&qdev->cntl_mutex);
	ch = qdev->cntl_ch;
	qdev->cntl_ch = NULL;
	mutex_unlock(&qdev->cntl_mutex);
	/* Flushes queued buffers: their callbacks free them. */
	if (ch)
		mhi_unprepare_from_transfer(ch);
}

void qaic_control_init(struct qaic_device *qdev)
{
	mutex_init(&qdev->cntl_mutex);
	spin_lock_init(&qdev->cntl_lock);
	INIT_LIST_HEAD(&qdev->cntl_xfer_list);
	qdev->cntl_dead = true;
}
