// SPDX-License-Identifier: GPL-2.0-only
/*
 * QSM firmware: the NNC protocol (v5.0) on QAIC_CONTROL.
 *
 * A request arrives whole (sim_mhi has joined its chained TREs); every
 * transaction in it is checked and answered in one reply message with the
 * request's sequence number and user handle. The firmware owns the 16 DBCs
 * (ACTIVATE assigns the lowest free one to the requesting user and takes the
 * host-donated queue memory), the networks loaded through PASSTHROUGH, and
 * the data DMA_XFER copies into device DDR. TERMINATE, or a device reset,
 * frees everything of a user. Malformed input gets an error status, never
 * a crash; a request whose header cannot be trusted gets no reply at all.
 */
#include <linux/crc32.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/list.h>
#include <linux/overflow.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "qaic_nnc.h"
#include "qaic_sim_net.h"
#include "sim.h"

#define QSM_MAX_QUEUE_ELEMS	32768	/* sim limit on a DBC queue's elements */
#define QSM_REQ_ELEM_SIZE	64
#define QSM_RSP_ELEM_SIZE	4
#define QSM_MAX_BLOBS		256
#define QSM_COPY_CHUNK		PAGE_SIZE

struct qsm_dbc {
	bool active;
	u32 owner;		/* NNC user handle */
	u64 req_q_addr;
	u64 rsp_q_addr;
	u32 nelem;
	u32 buf_len;
	u32 options;
};

/* Bytes a DMA_XFER brought into DDR. */
struct qsm_blob {
	struct list_head node;
	u32 owner;
	u32 tag;
	u32 chunk_id;		/* 0 once complete */
	u64 ddr_addr;
	u64 size;		/* expected total */
	u64 xferred;
	u32 crc;		/* crc32 of the bytes received so far */
};

struct qsm_net {
	struct list_head node;
	u32 owner;
	struct simnet_desc desc;	/* as received (little endian) */
};

struct qsm_stats {
	u64 requests;
	u64 replies;
	u64 bad_requests;	/* dropped: header not trustworthy */
	u64 errors;		/* transactions answered with an error status */
	u64 dma_bytes;
};

struct sim_qsm {
	struct sim_card *card;
	struct mutex lock;	/* guards everything below; one request at a time */
	struct qsm_dbc dbc[QAIC_HW_NUM_DBC];
	struct list_head blobs;
	struct list_head nets;
	unsigned int nr_blobs;
	unsigned int nr_nets;
	u64 ddr_next;		/* bump allocator for DMA_XFER destinations */
	struct qsm_stats stats;
	u8 *rsp;		/* reply being built, NNC_MAX_RSP_LEN */
	u32 rsp_len;
	u8 *bounce;		/* QSM_COPY_CHUNK bytes for host -> DDR copies */
	u8 *held;		/* a reply held back by the hold_replies fault */
	u32 held_len;
};

static void *reply_add(struct sim_qsm *q, u32 type, u32 len)
{
	struct nnc_msg_hdr *hdr = (struct nnc_msg_hdr *)q->rsp;
	struct nnc_trans_hdr *t;

	if (q->rsp_len + len > NNC_MAX_RSP_LEN)
		return NULL;
	t = (struct nnc_trans_hdr *)(q->rsp + q->rsp_len);
	memset(t, 0, len);
	t->type = cpu_to_le32(type);
	t->len = cpu_to_le32(len);
	q->rsp_len += len;
	hdr->count = cpu_to_le32(le32_to_cpu(hdr->count) + 1);
	return t;
}

static void reply_status(struct sim_qsm *q, u32 status)
{
	struct nnc_trans_status_from_dev *t;

	t = reply_add(q, NNC_TRANS_STATUS_FROM_DEV, sizeof(*t));
	if (!t)
		return;
	t->major = cpu_to_le16(NNC_VERSION_MAJOR);
	t->minor = cpu_to_le16(NNC_VERSION_MINOR);
	t->status = cpu_to_le32(status);
	t->status_flags = 0;	/* CRCs not required */
	if (status)
		q->stats.errors++;
}

/* The DMA bridge lets go of the queues before the reply lets the host free them. */
static void release_dbc(struct sim_qsm *q, u32 id)
{
	sim_dbc_stop(q->card, id);
	memset(&q->dbc[id], 0, sizeof(q->dbc[id]));
}

static void free_user(struct sim_qsm *q, u32 owner, bool everyone)
{
	struct qsm_blob *b, *bn;
	struct qsm_net *n, *nn;
	u32 i;

	for (i = 0; i < QAIC_HW_NUM_DBC; i++)
		if (q->dbc[i].active && (everyone || q->dbc[i].owner == owner))
			release_dbc(q, i);
	list_for_each_entry_safe(b, bn, &q->blobs, node) {
		if (everyone || b->owner == owner) {
			list_del(&b->node);
			kfree(b);
			q->nr_blobs--;
		}
	}
	list_for_each_entry_safe(n, nn, &q->nets, node) {
		if (everyone || n->owner == owner) {
			list_del(&n->node);
			kfree(n);
			q->nr_nets--;
		}
	}
	sim_nsp_net_unload(q->card, owner, U32_MAX, everyone);
	if (!q->nr_blobs)
		q->ddr_next = sim_ddr_size() / 2;
}

static void do_status(struct sim_qsm *q, const struct nnc_trans_hdr *t)
{
	reply_status(q, le32_to_cpu(t->len) == sizeof(struct nnc_trans_status_to_dev) ?
		     NNC_STATUS_OK : NNC_STATUS_EINVAL);
}

static u32 check_activate(const struct nnc_trans_activate_to_dev *a)
{
	u64 req = le64_to_cpu(a->req_q_addr);
	u64 rsp = le64_to_cpu(a->rsp_q_addr);
	u32 nelem = le32_to_cpu(a->req_q_size);
	u32 buf_len = le32_to_cpu(a->buf_len);
	u64 end;

	if (!nelem || nelem != le32_to_cpu(a->rsp_q_size) || nelem > QSM_MAX_QUEUE_ELEMS)
		return NNC_STATUS_EINVAL;
	if (!req || !IS_ALIGNED(req, QSM_REQ_ELEM_SIZE) || !IS_ALIGNED(rsp, QSM_RSP_ELEM_SIZE))
		return NNC_STATUS_EINVAL;
	if (check_add_overflow(req, (u64)buf_len, &end))
		return NNC_STATUS_EINVAL;
	/* Request queue at the start, response queue inside the buffer after it. */
	if (rsp < req + (u64)nelem * QSM_REQ_ELEM_SIZE ||
	    rsp + (u64)nelem * QSM_RSP_ELEM_SIZE > end)
		return NNC_STATUS_EINVAL;
	return NNC_STATUS_OK;
}

static void do_activate(struct sim_qsm *q, u32 owner, const struct nnc_trans_hdr *t)
{
	const struct nnc_trans_activate_to_dev *a = (const void *)t;
	struct nnc_trans_activate_from_dev *r;
	u32 status = NNC_STATUS_EINVAL;
	u32 id = 0;

	r = reply_add(q, NNC_TRANS_ACTIVATE_FROM_DEV, sizeof(*r));
	if (!r)
		return;
	if (le32_to_cpu(t->len) == sizeof(*a))
		status = check_activate(a);
	if (status == NNC_STATUS_OK) {
		for (id = 0; id < QAIC_HW_NUM_DBC; id++)
			if (!q->dbc[id].active)
				break;
		if (id == QAIC_HW_NUM_DBC) {
			status = NNC_STATUS_ENOSPC;
			id = 0;
		}
	}
	if (status == NNC_STATUS_OK) {
		struct qsm_dbc *d = &q->dbc[id];

		d->active = true;
		d->owner = owner;
		d->req_q_addr = le64_to_cpu(a->req_q_addr);
		d->rsp_q_addr = le64_to_cpu(a->rsp_q_addr);
		d->nelem = le32_to_cpu(a->req_q_size);
		d->buf_len = le32_to_cpu(a->buf_len);
		d->options = le32_to_cpu(a->options);
		if (sim_dbc_start(q->card, id, owner, d->req_q_addr, d->rsp_q_addr, d->nelem)) {
			memset(d, 0, sizeof(*d));
			status = NNC_STATUS_ENOSPC;
			id = 0;
			q->stats.errors++;
		}
	} else {
		q->stats.errors++;
	}
	r->status = cpu_to_le32(status);
	r->dbc_id = cpu_to_le32(id);
}

static void do_deactivate(struct sim_qsm *q, u32 owner, const struct nnc_trans_hdr *t)
{
	const struct nnc_trans_deactivate_to_dev *d = (const void *)t;
	struct nnc_trans_deactivate_from_dev *r;
	u32 status = NNC_STATUS_OK;
	u32 id = 0;

	if (le32_to_cpu(t->len) != sizeof(*d)) {
		reply_status(q, NNC_STATUS_EINVAL);
		return;
	}
	id = le32_to_cpu(d->dbc_id);
	if (id >= QAIC_HW_NUM_DBC) {
		/* an answer naming a DBC that does not exist would confuse the host */
		reply_status(q, NNC_STATUS_ENOENT);
		return;
	}
	r = reply_add(q, NNC_TRANS_DEACTIVATE_FROM_DEV, sizeof(*r));
	if (!r)
		return;
	if (!q->dbc[id].active)
		status = NNC_STATUS_ENOENT;
	else if (q->dbc[id].owner != owner)
		status = NNC_STATUS_EPERM;
	else
		release_dbc(q, id);
	if (status)
		q->stats.errors++;
	r->status = cpu_to_le32(status);
	r->dbc_id = cpu_to_le32(id);
}

static struct qsm_net *find_net(struct sim_qsm *q, u32 owner, u32 net_id)
{
	struct qsm_net *n;

	list_for_each_entry(n, &q->nets, node)
		if (n->owner == owner && le32_to_cpu(n->desc.net_id) == net_id)
			return n;
	return NULL;
}

static u32 check_net(const struct simnet_desc *d)
{
	u32 nsp = le32_to_cpu(d->nsp_count);
	u64 in = le64_to_cpu(d->input_bytes), out = le64_to_cpu(d->output_bytes);
	u64 in_addr = le64_to_cpu(d->input_dev_addr);
	u64 out_addr = le64_to_cpu(d->output_dev_addr);
	u64 ddr = sim_ddr_size();

	if (nsp < 1 || nsp > SIMNET_MAX_NSP)
		return NNC_STATUS_EINVAL;
	if (le32_to_cpu(d->dist) > SIMNET_DIST_MAX || le32_to_cpu(d->alt_permille) > 1000)
		return NNC_STATUS_EINVAL;
	if (!in || !out || in > ddr || out > ddr || in_addr > ddr - in || out_addr > ddr - out)
		return NNC_STATUS_EINVAL;
	if (le32_to_cpu(d->sem_index) >= 32)
		return NNC_STATUS_EINVAL;
	return NNC_STATUS_OK;
}

static u32 net_load(struct sim_qsm *q, u32 owner, const struct simnet_desc *d)
{
	u32 net_id = le32_to_cpu(d->net_id);
	struct qsm_net *n;
	u32 status;

	status = check_net(d);
	if (status)
		return status;
	n = find_net(q, owner, net_id);
	if (!n && q->nr_nets >= SIMNET_MAX_NETS)
		return NNC_STATUS_ENOSPC;
	/* the NSPs' copy first: it is the one doorbells find */
	if (sim_nsp_net_load(q->card, owner, d))
		return NNC_STATUS_ENOSPC;
	if (!n) {
		n = kzalloc(sizeof(*n), GFP_KERNEL);
		if (!n) {
			sim_nsp_net_unload(q->card, owner, net_id, false);
			return NNC_STATUS_ENOSPC;
		}
		n->owner = owner;
		list_add_tail(&n->node, &q->nets);
		q->nr_nets++;
	}
	n->desc = *d;
	return NNC_STATUS_OK;
}

static u32 net_unload(struct sim_qsm *q, u32 owner, u32 net_id)
{
	struct qsm_net *n = find_net(q, owner, net_id);

	if (!n)
		return NNC_STATUS_ENOENT;
	list_del(&n->node);
	kfree(n);
	q->nr_nets--;
	sim_nsp_net_unload(q->card, owner, net_id, false);
	return NNC_STATUS_OK;
}

static void do_passthrough(struct sim_qsm *q, u32 owner, const struct nnc_trans_hdr *t)
{
	const struct nnc_trans_passthrough *p = (const void *)t;
	u32 len = le32_to_cpu(t->len) - sizeof(*t);
	struct nnc_trans_passthrough *r;
	struct simnet_reply *reply;
	struct simnet_desc d;
	u32 status = NNC_STATUS_EINVAL;

	r = reply_add(q, NNC_TRANS_PASSTHROUGH_FROM_DEV, sizeof(*r) + sizeof(*reply));
	if (!r)
		return;
	reply = (struct simnet_reply *)r->data;
	reply->magic = cpu_to_le32(SIMNET_MAGIC);

	if (len >= sizeof(d)) {
		memcpy(&d, p->data, sizeof(d));
		reply->net_id = d.net_id;
		if (le32_to_cpu(d.magic) == SIMNET_MAGIC &&
		    le16_to_cpu(d.version) == SIMNET_VERSION) {
			switch (le16_to_cpu(d.op)) {
			case SIMNET_OP_LOAD:
				status = net_load(q, owner, &d);
				break;
			case SIMNET_OP_UNLOAD:
				status = net_unload(q, owner, le32_to_cpu(d.net_id));
				break;
			}
		}
	}
	if (status)
		q->stats.errors++;
	reply->status = cpu_to_le32(status);
}

static struct qsm_blob *find_chunked(struct sim_qsm *q, u32 owner, u32 chunk_id)
{
	struct qsm_blob *b;

	list_for_each_entry(b, &q->blobs, node)
		if (b->owner == owner && b->chunk_id == chunk_id)
			return b;
	return NULL;
}

/* Size the owner's networks declare for @tag, 0 if none does. */
static u64 declared_size(struct sim_qsm *q, u32 owner, u32 tag)
{
	struct qsm_net *n;

	list_for_each_entry(n, &q->nets, node)
		if (n->owner == owner && tag && le32_to_cpu(n->desc.weights_tag) == tag)
			return le64_to_cpu(n->desc.weights_bytes);
	return 0;
}

/* Copy one host segment into DDR at b->ddr_addr + b->xferred. */
static int copy_segment(struct sim_qsm *q, struct qsm_blob *b, u64 addr, u64 size)
{
	while (size) {
		size_t n = min_t(u64, size, QSM_COPY_CHUNK);
		int ret;

		ret = sim_host_read(q->card, addr, q->bounce, n);
		if (ret)
			return ret;
		ret = sim_ddr_write(q->card, b->ddr_addr + b->xferred, q->bounce, n);
		if (ret)
			return ret;
		b->crc = crc32_le(b->crc, q->bounce, n);
		b->xferred += n;
		q->stats.dma_bytes += n;
		addr += n;
		size -= n;
	}
	return 0;
}

static struct qsm_blob *new_blob(struct sim_qsm *q, u32 owner, u32 tag, u64 size)
{
	u64 ddr_end = sim_ddr_size();
	struct qsm_blob *b;

	if (q->nr_blobs >= QSM_MAX_BLOBS || size > ddr_end - q->ddr_next)
		return NULL;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return NULL;
	b->owner = owner;
	b->tag = tag;
	b->size = size;
	b->ddr_addr = q->ddr_next;
	b->crc = ~0U;
	q->ddr_next = ALIGN(q->ddr_next + size, PAGE_SIZE);
	list_add_tail(&b->node, &q->blobs);
	q->nr_blobs++;
	return b;
}

static void drop_blob(struct sim_qsm *q, struct qsm_blob *b)
{
	list_del(&b->node);
	kfree(b);
	q->nr_blobs--;
}

/*
 * DMA_XFER_TO_DEV. Success is silent (no reply transaction), except that a
 * chunked transfer that is not complete yet is answered by one DMA_XFER_CONT
 * with the bytes received so far. Errors answer with a STATUS_FROM_DEV.
 */
static void do_dma_xfer(struct sim_qsm *q, u32 owner, const struct nnc_trans_hdr *t)
{
	const struct nnc_trans_dma_xfer *x = (const void *)t;
	u32 len = le32_to_cpu(t->len);
	u32 count = le32_to_cpu(x->count);
	u32 chunk_id = le32_to_cpu(x->dma_chunk_id);
	u32 tag = le32_to_cpu(x->tag);
	struct nnc_trans_dma_xfer_cont *c;
	struct qsm_blob *b = NULL;
	u64 total = 0, size;
	u32 i;

	if (len < sizeof(*x) || count != (len - sizeof(*x)) / sizeof(x->data[0]) ||
	    (len - sizeof(*x)) % sizeof(x->data[0])) {
		reply_status(q, NNC_STATUS_EINVAL);
		return;
	}
	if (chunk_id)
		b = find_chunked(q, owner, chunk_id);
	if (!count) {
		/* abort of a chunked transfer */
		if (b)
			drop_blob(q, b);
		else
			reply_status(q, NNC_STATUS_ENOENT);
		return;
	}
	for (i = 0; i < count; i++) {
		size = le64_to_cpu(x->data[i].size);
		if (!size || check_add_overflow(total, size, &total)) {
			reply_status(q, NNC_STATUS_EINVAL);
			return;
		}
	}
	if (!b) {
		size = chunk_id ? declared_size(q, owner, tag) : total;
		if (!size || size < total) {
			reply_status(q, NNC_STATUS_ENOENT);
			return;
		}
		b = new_blob(q, owner, tag, size);
		if (!b) {
			reply_status(q, NNC_STATUS_ENOSPC);
			return;
		}
		b->chunk_id = chunk_id;
	}
	if (total > b->size - b->xferred) {
		drop_blob(q, b);
		reply_status(q, NNC_STATUS_EINVAL);
		return;
	}
	for (i = 0; i < count; i++) {
		if (copy_segment(q, b, le64_to_cpu(x->data[i].addr),
				 le64_to_cpu(x->data[i].size))) {
			drop_blob(q, b);
			reply_status(q, NNC_STATUS_EINVAL);
			return;
		}
	}
	if (b->xferred == b->size) {
		b->chunk_id = 0;
		b->crc = ~b->crc;
		return;
	}
	c = reply_add(q, NNC_TRANS_DMA_XFER_CONT, sizeof(*c));
	if (!c)
		return;
	c->dma_chunk_id = cpu_to_le32(chunk_id);
	c->xferred_size = cpu_to_le64(b->xferred);
}

static void do_terminate(struct sim_qsm *q, const struct nnc_trans_hdr *t)
{
	const struct nnc_trans_terminate_to_dev *term = (const void *)t;
	struct nnc_trans_terminate_from_dev *r;

	r = reply_add(q, NNC_TRANS_TERMINATE_FROM_DEV, sizeof(*r));
	if (!r)
		return;
	if (le32_to_cpu(t->len) != sizeof(*term)) {
		r->status = cpu_to_le32(NNC_STATUS_EINVAL);
		q->stats.errors++;
		return;
	}
	free_user(q, le32_to_cpu(term->handle), false);
}

/* Build the reply to @msg in q->rsp; returns false if no reply is due. */
static bool process(struct sim_qsm *q, const u8 *msg, size_t len)
{
	const struct nnc_msg_hdr *hdr = (const void *)msg;
	struct nnc_msg_hdr *rhdr = (struct nnc_msg_hdr *)q->rsp;
	u32 count, owner, i, off;

	if (len < sizeof(*hdr) || le32_to_cpu(hdr->magic_number) != NNC_MAGIC ||
	    le32_to_cpu(hdr->len) != len || len > NNC_MAX_REQ_LEN) {
		q->stats.bad_requests++;
		return false;
	}
	memset(rhdr, 0, sizeof(*rhdr));
	rhdr->magic_number = cpu_to_le32(NNC_MAGIC);
	rhdr->sequence_number = hdr->sequence_number;
	rhdr->handle = hdr->handle;
	rhdr->partition_id = hdr->partition_id;
	q->rsp_len = sizeof(*rhdr);

	count = le32_to_cpu(hdr->count);
	owner = le32_to_cpu(hdr->handle);
	off = sizeof(*hdr);
	for (i = 0; i < count; i++) {
		const struct nnc_trans_hdr *t = (const void *)(msg + off);
		u32 tlen;

		if (len - off < sizeof(*t)) {
			reply_status(q, NNC_STATUS_EINVAL);
			break;
		}
		tlen = le32_to_cpu(t->len);
		if (tlen < sizeof(*t) || tlen > len - off) {
			reply_status(q, NNC_STATUS_EINVAL);
			break;
		}
		switch (le32_to_cpu(t->type)) {
		case NNC_TRANS_STATUS_TO_DEV:
			do_status(q, t);
			break;
		case NNC_TRANS_ACTIVATE_TO_DEV:
			do_activate(q, owner, t);
			break;
		case NNC_TRANS_DEACTIVATE_TO_DEV:
			do_deactivate(q, owner, t);
			break;
		case NNC_TRANS_PASSTHROUGH_TO_DEV:
			do_passthrough(q, owner, t);
			break;
		case NNC_TRANS_DMA_XFER_TO_DEV:
			do_dma_xfer(q, owner, t);
			break;
		case NNC_TRANS_TERMINATE_TO_DEV:
			do_terminate(q, t);
			break;
		default:
			reply_status(q, NNC_STATUS_EINVAL);
			break;
		}
		off += tlen;
	}
	rhdr->len = cpu_to_le32(q->rsp_len);
	return true;
}

/* The reply the hold_replies fault kept back goes out after another one. */
static void send_held(struct sim_qsm *q)
{
	if (!q->held)
		return;
	if (!sim_mhi_send(q->card, SIM_CH_CONTROL_DL, q->held, q->held_len))
		q->stats.replies++;
	kfree(q->held);
	q->held = NULL;
}

void sim_qsm_receive(struct sim_card *card, const void *msg, size_t len)
{
	struct sim_qsm *q = card->qsm;
	enum sim_reply_fault fault;
	unsigned int delay_ms;
	struct nnc_msg_hdr *rhdr;
	bool reply;

	mutex_lock(&q->lock);
	q->stats.requests++;
	reply = process(q, msg, len);
	fault = sim_fault_next_reply(card, &delay_ms);
	if (reply && fault == SIM_REPLY_CORRUPT) {
		/* a length no valid reply can have */
		rhdr = (struct nnc_msg_hdr *)q->rsp;
		rhdr->len = cpu_to_le32(NNC_MAX_RSP_LEN + sizeof(*rhdr));
	}
	if (reply && fault == SIM_REPLY_HOLD && !q->held) {
		q->held = kmemdup(q->rsp, q->rsp_len, GFP_KERNEL);
		q->held_len = q->rsp_len;
		if (q->held)
			reply = false;
	}
	if (reply && fault != SIM_REPLY_DROP && fault != SIM_REPLY_SYSERR) {
		if (delay_ms)
			msleep(delay_ms);
		if (!sim_mhi_send(card, SIM_CH_CONTROL_DL, q->rsp, q->rsp_len))
			q->stats.replies++;
		send_held(q);
	}
	mutex_unlock(&q->lock);

	if (fault == SIM_REPLY_SYSERR) {
		sim_dbc_halt(card);
		sim_mhi_raise_syserr(card);
	}
}

void sim_qsm_reset(struct sim_card *card)
{
	struct sim_qsm *q = card->qsm;

	mutex_lock(&q->lock);
	free_user(q, 0, true);
	kfree(q->held);		/* a reset loses what was not sent */
	q->held = NULL;
	mutex_unlock(&q->lock);
	sim_ddr_clear(card);
}

int sim_qsm_init(struct sim_card *card)
{
	struct sim_qsm *q;
	int ret;

	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	q->rsp = kzalloc(NNC_MAX_RSP_LEN, GFP_KERNEL);
	q->bounce = kmalloc(QSM_COPY_CHUNK, GFP_KERNEL);
	if (!q->rsp || !q->bounce) {
		ret = -ENOMEM;
		goto free;
	}
	ret = sim_ddr_init(card);
	if (ret)
		goto free;
	q->card = card;
	mutex_init(&q->lock);
	INIT_LIST_HEAD(&q->blobs);
	INIT_LIST_HEAD(&q->nets);
	q->ddr_next = sim_ddr_size() / 2;
	card->qsm = q;
	return 0;

free:
	kfree(q->bounce);
	kfree(q->rsp);
	kfree(q);
	return ret;
}

void sim_qsm_fini(struct sim_card *card)
{
	struct sim_qsm *q = card->qsm;

	if (!q)
		return;
	free_user(q, 0, true);
	sim_ddr_fini(card);
	mutex_destroy(&q->lock);
	kfree(q->held);
	kfree(q->bounce);
	kfree(q->rsp);
	kfree(q);
	card->qsm = NULL;
}

static int state_show(struct seq_file *s, void *unused)
{
	struct sim_qsm *q = s->private;
	struct qsm_blob *b;
	struct qsm_net *n;
	u32 i;

	mutex_lock(&q->lock);
	seq_printf(s, "nnc %u.%u requests %llu replies %llu bad %llu errors %llu dma_bytes %llu\n",
		   NNC_VERSION_MAJOR, NNC_VERSION_MINOR, q->stats.requests, q->stats.replies,
		   q->stats.bad_requests, q->stats.errors, q->stats.dma_bytes);
	for (i = 0; i < QAIC_HW_NUM_DBC; i++) {
		struct qsm_dbc *d = &q->dbc[i];

		if (!d->active)
			continue;
		seq_printf(s, "dbc %u owner %u nelem %u req 0x%llx rsp 0x%llx buf_len %u\n",
			   i, d->owner, d->nelem, d->req_q_addr, d->rsp_q_addr, d->buf_len);
	}
	list_for_each_entry(n, &q->nets, node)
		seq_printf(s, "net %u owner %u nsp %u in %llu out %llu dist %u mean_ns %llu\n",
			   le32_to_cpu(n->desc.net_id), n->owner,
			   le32_to_cpu(n->desc.nsp_count), le64_to_cpu(n->desc.input_bytes),
			   le64_to_cpu(n->desc.output_bytes), le32_to_cpu(n->desc.dist),
			   le64_to_cpu(n->desc.mean_ns));
	list_for_each_entry(b, &q->blobs, node)
		seq_printf(s, "blob tag %u owner %u addr 0x%llx size %llu xferred %llu crc32 %08x%s\n",
			   b->tag, b->owner, b->ddr_addr, b->size, b->xferred, b->crc,
			   b->chunk_id ? " partial" : "");
	mutex_unlock(&q->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(state);

void sim_qsm_debugfs_init(struct sim_card *card)
{
	debugfs_create_file("qsm", 0400, card->debugfs, card->qsm, &state_fops);
}
