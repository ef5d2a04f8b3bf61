// SPDX-License-Identifier: GPL-2.0-only
/*
 * The card's MHI rings, worked by an ordered engine workqueue per card:
 *
 * - command ring: START, STOP and RESET channel, each completed with a
 *   command completion event on the primary event ring;
 * - UL transfer rings (host to device): descriptors from the device's read
 *   pointer to the host's last doorbell; chained descriptors (CHAIN) up to
 *   the first without CHAIN make one message, which is copied out of host
 *   memory, completed (EOT event for IEOT, EOB for IEOB) and queued for the
 *   firmware, which gets it in process context on its own ordered workqueue;
 * - DL transfer rings (device to host): sim_mhi_send() writes a message into
 *   the host's next queued buffer and completes it with EOT and the length;
 *   with no buffer queued, or the event ring full, the message waits in a
 *   per-channel backlog until the host queues a buffer or returns events;
 * - event rings: the device writes at its write pointer (the context's rp,
 *   which the host reads) and never past the host's write pointer (its last
 *   event ring doorbell), so it never overruns the host.
 *
 * Every host-memory access happens under the card's MHI lock (see
 * sim_mhi_int.h); bad addresses and impossible rings from the host are
 * logged (rate-limited) and skipped, never trusted.
 */
#include <linux/bitfield.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sim_mhi_int.h"

#define EL	sizeof(struct sim_mhi_el)

static bool in_window(u64 base, u64 limit, u64 addr, size_t len)
{
	u64 last = addr + len - 1;

	if (!len)
		return true;
	if (last < addr)
		return false;
	if (!base && !limit)
		return true;	/* the host programmed no window */
	return addr >= base && last <= limit;
}

/* Host memory access; @data: a transfer buffer (data window), else control */
static int host_io(struct sim_mhi *m, u64 addr, void *buf, size_t len, bool write, bool data)
{
	u64 base = data ? m->data_base : m->ctrl_base;
	u64 limit = data ? m->data_limit : m->ctrl_limit;
	int ret = -EFAULT;

	if (in_window(base, limit, addr, len))
		ret = write ? sim_host_write(m->card, addr, buf, len) :
			      sim_host_read(m->card, addr, buf, len);
	if (ret)
		sim_mhi_warn(m, "cannot %s host memory at 0x%llx (%zu bytes)\n",
			     write ? "write" : "read", addr, len);
	return ret;
}

static int ctrl_rd(struct sim_mhi *m, u64 addr, void *buf, size_t len)
{
	return host_io(m, addr, buf, len, false, false);
}

static int ctrl_wr(struct sim_mhi *m, u64 addr, const void *buf, size_t len)
{
	return host_io(m, addr, (void *)buf, len, true, false);
}

static u64 el_addr(const struct sim_mhi_ring *r, u32 idx)
{
	return r->rbase + (u64)idx * EL;
}

static u32 el_next(const struct sim_mhi_ring *r, u32 idx)
{
	return idx + 1 == r->nel ? 0 : idx + 1;
}

void sim_mhi_kick(struct sim_mhi *m)
{
	if (!m->dead)
		queue_work(m->wq, &m->engine_work);
}

bool sim_mhi_ring_pos(const struct sim_mhi_ring *r, u64 addr, u32 *idx)
{
	u64 off;

	if (!r->nel || addr < r->rbase)
		return false;
	off = addr - r->rbase;
	if (off % EL || off / EL >= r->nel)
		return false;
	*idx = off / EL;
	return true;
}

/* Read the context at @ctx_addr into @ctx and load @r from it. */
int sim_mhi_load_ring(struct sim_mhi *m, u64 ctx_addr, struct sim_mhi_ctx *ctx,
		      struct sim_mhi_ring *r)
{
	struct sim_mhi_ring t = {};
	u64 rlen;

	if (ctrl_rd(m, ctx_addr, ctx, sizeof(*ctx)))
		return -EFAULT;
	t.rbase = le64_to_cpu(ctx->rbase);
	rlen = le64_to_cpu(ctx->rlen);
	if (!rlen || rlen % EL || rlen / EL > SIM_MHI_MAX_RING_EL || t.rbase % EL ||
	    !in_window(m->ctrl_base, m->ctrl_limit, t.rbase, rlen)) {
		sim_mhi_warn(m, "context at 0x%llx: bad ring base 0x%llx length %llu\n",
			     ctx_addr, t.rbase, rlen);
		return -EINVAL;
	}
	t.nel = rlen / EL;
	if (!sim_mhi_ring_pos(&t, le64_to_cpu(ctx->rp), &t.dev) ||
	    !sim_mhi_ring_pos(&t, le64_to_cpu(ctx->wp), &t.host)) {
		sim_mhi_warn(m, "context at 0x%llx: pointers outside the ring\n", ctx_addr);
		return -EINVAL;
	}
	*r = t;
	return 0;
}

static u32 ev_room(struct sim_mhi *m, u32 er)
{
	const struct sim_mhi_ring *r;

	if (er >= m->ner || !m->er[er].nel)
		return 0;
	r = &m->er[er];
	return (r->host + r->nel - r->dev) % r->nel;
}

/* Room for @n events on ring @er? Counts the times work has to wait. */
static bool ev_fits(struct sim_mhi *m, u32 er, u32 n)
{
	if (ev_room(m, er) >= n)
		return true;
	m->stats.ev_full++;
	return false;
}

/* Write one event on ring @er and publish it; the MSI follows the unlock. */
int sim_mhi_event(struct sim_mhi *m, u32 er, u64 ptr, u32 dw0, u32 dw1)
{
	struct sim_mhi_ring *r = &m->er[er];
	struct sim_mhi_el ev;
	__le64 rp;

	if (!ev_room(m, er))
		return -ENOSPC;
	ev.ptr = cpu_to_le64(ptr);
	ev.dw0 = cpu_to_le32(dw0);
	ev.dw1 = cpu_to_le32(dw1);
	if (ctrl_wr(m, el_addr(r, r->dev), &ev, sizeof(ev)))
		goto broken;
	r->dev = el_next(r, r->dev);
	/* the element before the pointer that hands it to the host */
	wmb();
	rp = cpu_to_le64(el_addr(r, r->dev));
	if (ctrl_wr(m, m->ecabap + er * sizeof(struct sim_mhi_ctx) +
		    offsetof(struct sim_mhi_ctx, rp), &rp, sizeof(rp)))
		goto broken;
	m->stats.events++;
	m->raise = true;
	return 0;

broken:
	r->nel = 0;	/* unusable until the next reset */
	return -EFAULT;
}

static void tx_event(struct sim_mhi *m, u32 chan, u64 tre, u32 code, u32 len)
{
	sim_mhi_event(m, m->ch[chan].er, tre,
		      FIELD_PREP(SIM_EV_CODE, code) | FIELD_PREP(SIM_EV_LEN, len),
		      FIELD_PREP(SIM_EV_CHID, chan) | FIELD_PREP(SIM_EV_TYPE, SIM_EV_TX));
}

static u64 chan_ctx(struct sim_mhi *m, u32 chan)
{
	return m->ccabap + chan * sizeof(struct sim_mhi_ctx);
}

/* Tell the host how far the device read a ring (the context's rp). */
static void publish_rp(struct sim_mhi *m, u64 ctx_addr, const struct sim_mhi_ring *r)
{
	__le64 rp = cpu_to_le64(el_addr(r, r->dev));

	ctrl_wr(m, ctx_addr + offsetof(struct sim_mhi_ctx, rp), &rp, sizeof(rp));
}

static void set_chstate(struct sim_mhi *m, u32 chan, u32 chstate)
{
	u64 addr = chan_ctx(m, chan) + offsetof(struct sim_mhi_ctx, w0);
	__le32 w0;
	u32 v;

	if (ctrl_rd(m, addr, &w0, sizeof(w0)))
		return;
	v = le32_to_cpu(w0);
	v = (v & ~SIM_CTX_CHSTATE) | FIELD_PREP(SIM_CTX_CHSTATE, chstate);
	w0 = cpu_to_le32(v);
	ctrl_wr(m, addr, &w0, sizeof(w0));
}

/* Forget a channel: ring, state and backlog. */
void sim_mhi_chan_clear(struct sim_mhi *m, struct sim_mhi_chan *c)
{
	struct sim_mhi_msg *msg, *tmp;

	list_for_each_entry_safe(msg, tmp, &c->backlog, node) {
		list_del(&msg->node);
		kfree(msg);
	}
	if (c->backlog_len)
		m->dl_room = true;
	c->backlog_len = 0;
	c->state = SIM_CH_OFF;
	c->inbound = false;
	c->er = 0;
	memset(&c->ring, 0, sizeof(c->ring));
}

static u32 start_chan(struct sim_mhi *m, u32 chan)
{
	struct sim_mhi_chan *c = &m->ch[chan];
	struct sim_mhi_ctx ctx;
	u32 type, er;

	if (c->state == SIM_CH_STOP) {
		c->state = SIM_CH_RUN;	/* resume where it stopped */
		set_chstate(m, chan, SIM_CHSTATE_RUNNING);
		return SIM_CC_SUCCESS;
	}
	sim_mhi_chan_clear(m, c);
	if (sim_mhi_load_ring(m, chan_ctx(m, chan), &ctx, &c->ring))
		return SIM_CC_UNDEFINED_ERR;
	type = le32_to_cpu(ctx.w1);
	er = le32_to_cpu(ctx.w2);
	if ((type != SIM_CHTYPE_OUTBOUND && type != SIM_CHTYPE_INBOUND) || er >= m->ner) {
		sim_mhi_warn(m, "channel %u: type %u event ring %u not supported\n",
			     chan, type, er);
		memset(&c->ring, 0, sizeof(c->ring));
		return SIM_CC_UNDEFINED_ERR;
	}
	c->inbound = type == SIM_CHTYPE_INBOUND;
	c->er = er;
	c->state = SIM_CH_RUN;
	set_chstate(m, chan, SIM_CHSTATE_RUNNING);
	return SIM_CC_SUCCESS;
}

static u32 run_command(struct sim_mhi *m, u32 dw1)
{
	u32 type = FIELD_GET(SIM_CMD_TYPE, dw1);
	u32 chan = FIELD_GET(SIM_CMD_CHID, dw1);
	struct sim_mhi_chan *c;

	if (type == SIM_CMD_NOP)
		return SIM_CC_SUCCESS;
	if (chan >= SIM_MHI_NUM_CH) {
		sim_mhi_warn(m, "command 0x%x for channel %u: no such channel\n", type, chan);
		return SIM_CC_UNDEFINED_ERR;
	}
	c = &m->ch[chan];
	switch (type) {
	case SIM_CMD_START_CHAN:
		return start_chan(m, chan);
	case SIM_CMD_STOP_CHAN:
		if (c->state == SIM_CH_RUN) {
			c->state = SIM_CH_STOP;
			set_chstate(m, chan, SIM_CHSTATE_STOP);
		}
		return SIM_CC_SUCCESS;
	case SIM_CMD_RESET_CHAN:
		if (c->state != SIM_CH_OFF)
			set_chstate(m, chan, SIM_CHSTATE_DISABLED);
		sim_mhi_chan_clear(m, c);
		return SIM_CC_SUCCESS;
	default:
		sim_mhi_warn(m, "unknown command 0x%x\n", type);
		return SIM_CC_UNDEFINED_ERR;
	}
}

static void run_commands(struct sim_mhi *m)
{
	struct sim_mhi_ring *r = &m->cmd;
	struct sim_mhi_el el;
	u64 addr;
	u32 code;

	while (r->nel && r->dev != r->host) {
		if (!ev_fits(m, 0, 1))
			return;	/* resumes when the host returns events */
		addr = el_addr(r, r->dev);
		if (ctrl_rd(m, addr, &el, sizeof(el))) {
			r->nel = 0;	/* unreadable until the next reset */
			return;
		}
		code = run_command(m, le32_to_cpu(el.dw1));
		r->dev = el_next(r, r->dev);
		publish_rp(m, m->crcbap, r);
		sim_mhi_event(m, 0, addr, FIELD_PREP(SIM_EV_CODE, code),
			      FIELD_PREP(SIM_EV_TYPE, SIM_EV_CMD_COMPLETION));
		m->stats.commands++;
	}
}

/*
 * Write a DL message into the host's next buffer on @chan and complete it.
 * Returns 0 when delivered; -ENOSPC when it was larger than the buffer (the
 * buffer holds its first part and completes with OVERFLOW); -EFAULT when the
 * buffer address was bad (completed empty, message lost); -EIO when the ring
 * became unreadable; -EAGAIN when there is no buffer or no room for the
 * completion event yet. Anything but -EAGAIN consumed the message.
 */
static int dl_put(struct sim_mhi *m, u32 chan, const void *data, size_t len)
{
	struct sim_mhi_chan *c = &m->ch[chan];
	struct sim_mhi_ring *r = &c->ring;
	struct sim_mhi_el el;
	u32 dw1, blen, code;
	size_t n;
	u64 addr;
	int ret = 0;

	if (m->state != SIM_MHI_M0 || c->state != SIM_CH_RUN || r->dev == r->host ||
	    !ev_fits(m, c->er, 1))
		return -EAGAIN;
	addr = el_addr(r, r->dev);
	if (ctrl_rd(m, addr, &el, sizeof(el))) {
		c->state = SIM_CH_ERR;
		return -EIO;
	}
	blen = FIELD_GET(SIM_TRE_LEN, le32_to_cpu(el.dw0));
	dw1 = le32_to_cpu(el.dw1);
	n = min_t(size_t, len, blen);
	if (len > blen) {
		code = SIM_CC_OVERFLOW;
		ret = -ENOSPC;
		m->stats.dl_overflows++;
	} else if (dw1 & SIM_TRE_IEOT) {
		code = SIM_CC_EOT;
	} else if (dw1 & SIM_TRE_IEOB) {
		code = SIM_CC_EOB;
	} else {
		code = 0;	/* the host asked for no completion */
	}
	if (n && host_io(m, le64_to_cpu(el.ptr), (void *)data, n, true, true)) {
		n = 0;
		ret = -EFAULT;
		m->stats.dropped++;
	}
	r->dev = el_next(r, r->dev);
	publish_rp(m, chan_ctx(m, chan), r);
	if (code)
		tx_event(m, chan, addr, code, n);
	if (!ret)
		m->stats.dl_msgs++;
	return ret;
}

static void drain_backlogs(struct sim_mhi *m)
{
	struct sim_mhi_msg *msg;
	u32 chan;

	for (chan = 0; chan < SIM_MHI_NUM_CH; chan++) {
		struct sim_mhi_chan *c = &m->ch[chan];

		while ((msg = list_first_entry_or_null(&c->backlog, struct sim_mhi_msg, node))) {
			int ret = dl_put(m, chan, msg->data, msg->len);

			if (ret == -EAGAIN)
				break;
			if (ret)
				sim_mhi_warn(m, "channel %u: queued message of %zu bytes: %d\n",
					     chan, msg->len, ret);
			list_del(&msg->node);
			c->backlog_len--;
			m->dl_room = true;
			kfree(msg);
		}
	}
}

/* A message the firmware answers from its own work may be for a dead session. */
static bool stale_reply(struct sim_mhi *m)
{
	return in_task() && current_work() == &m->fw_work && m->fw_gen != m->gen;
}

int sim_mhi_send(struct sim_card *card, unsigned int chan, const void *buf, size_t len)
{
	struct sim_mhi *m = card->mhi;
	struct sim_mhi_msg *msg;
	struct sim_mhi_chan *c;
	unsigned long flags;
	int ret;

	if (!m || chan >= SIM_MHI_NUM_CH || (len && !buf))
		return -EINVAL;
	if (len > SIM_MHI_MAX_MSG)
		return -EMSGSIZE;

	spin_lock_irqsave(&m->lock, flags);
	c = &m->ch[chan];
	if (m->dead || (m->state != SIM_MHI_M0 && m->state != SIM_MHI_M3) || !c->inbound ||
	    (c->state != SIM_CH_RUN && c->state != SIM_CH_STOP) || stale_reply(m)) {
		ret = -ENOTCONN;
		goto out;
	}
	if (list_empty(&c->backlog)) {
		ret = dl_put(m, chan, buf, len);
		if (ret != -EAGAIN)
			goto out;
	}
	if (c->backlog_len >= SIM_MHI_BACKLOG) {
		ret = -ENOBUFS;
		goto out;
	}
	msg = kmalloc(struct_size(msg, data, len), GFP_ATOMIC);
	if (!msg) {
		ret = -ENOMEM;
		goto out;
	}
	msg->chan = chan;
	msg->gen = m->gen;
	msg->len = len;
	memcpy(msg->data, buf, len);
	list_add_tail(&msg->node, &c->backlog);
	c->backlog_len++;
	ret = 0;
out:
	sim_mhi_unlock(m, flags);
	return ret;
}

/*
 * Take the next whole UL message of @chan into ul_buf and complete its
 * descriptors. Returns its length; -EAGAIN when there is nothing to take
 * yet (no whole message, no room for its events, firmware queue full);
 * -ENOMSG when a message was consumed but lost (bad buffer, too long);
 * -EIO when the ring became unreadable (the channel stops).
 */
static ssize_t ul_take(struct sim_mhi *m, u32 chan)
{
	struct sim_mhi_chan *c = &m->ch[chan];
	struct sim_mhi_ring *r = &c->ring;
	struct sim_mhi_el el;
	u32 i, n = 0, nev = 0, dw1, tlen, code;
	size_t len = 0;
	bool whole = false, lost = false;
	u64 addr;

	/* is a whole message there, and room for the events it asks for? */
	for (i = r->dev; i != r->host; i = el_next(r, i)) {
		if (ctrl_rd(m, el_addr(r, i), &el, sizeof(el)))
			goto ring_fault;
		dw1 = le32_to_cpu(el.dw1);
		n++;
		/* a chain as long as the ring ends there: it can grow no more */
		if (!(dw1 & SIM_TRE_CHAIN) || n == r->nel - 1) {
			nev += !!(dw1 & (SIM_TRE_IEOT | SIM_TRE_IEOB));
			whole = true;
			break;
		}
		nev += !!(dw1 & SIM_TRE_IEOB);
	}
	if (!whole || m->fw_pending >= SIM_MHI_FW_QUEUE || !ev_fits(m, c->er, nev))
		return -EAGAIN;

	for (; n; n--) {
		addr = el_addr(r, r->dev);
		if (ctrl_rd(m, addr, &el, sizeof(el)))
			goto ring_fault;
		tlen = FIELD_GET(SIM_TRE_LEN, le32_to_cpu(el.dw0));
		dw1 = le32_to_cpu(el.dw1);
		if (!lost && len + tlen > SIM_MHI_MAX_MSG) {
			sim_mhi_warn(m, "channel %u: message longer than %u bytes: dropped\n",
				     chan, SIM_MHI_MAX_MSG);
			lost = true;
		}
		if (!lost && tlen &&
		    host_io(m, le64_to_cpu(el.ptr), m->ul_buf + len, tlen, false, true))
			lost = true;
		len += tlen;
		r->dev = el_next(r, r->dev);
		if (n == 1 && (dw1 & SIM_TRE_IEOT))
			code = SIM_CC_EOT;
		else if (dw1 & SIM_TRE_IEOB)
			code = SIM_CC_EOB;
		else
			code = 0;
		if (code)
			tx_event(m, chan, addr, code, tlen);
	}
	publish_rp(m, chan_ctx(m, chan), r);
	if (lost) {
		m->stats.dropped++;
		return -ENOMSG;
	}
	m->fw_pending++;
	return len;

ring_fault:
	sim_mhi_warn(m, "channel %u: transfer ring unreadable: channel stopped\n", chan);
	c->state = SIM_CH_ERR;
	return -EIO;
}

/* One UL message from any channel, round robin; -EAGAIN if none. */
static ssize_t ul_next(struct sim_mhi *m, u32 *chan, u32 *next)
{
	u32 i;

	for (i = 0; i < SIM_MHI_NUM_CH; i++) {
		u32 ch = (*next + i) % SIM_MHI_NUM_CH;
		struct sim_mhi_chan *c = &m->ch[ch];
		ssize_t ret;

		if (c->state != SIM_CH_RUN || c->inbound || c->ring.dev == c->ring.host)
			continue;
		ret = ul_take(m, ch);
		if (ret == -EAGAIN)
			continue;
		*chan = ch;
		*next = (ch + 1) % SIM_MHI_NUM_CH;
		return ret;
	}
	return -EAGAIN;
}

/* Hand a message taken by ul_take() (still in ul_buf) to the firmware. */
static void ul_to_fw(struct sim_mhi *m, u32 chan, size_t len, u32 gen)
{
	struct sim_mhi_msg *msg;
	unsigned long flags;

	msg = kvmalloc(struct_size(msg, data, len), GFP_KERNEL);
	if (msg) {
		msg->chan = chan;
		msg->gen = gen;
		msg->len = len;
		memcpy(msg->data, m->ul_buf, len);
	}
	spin_lock_irqsave(&m->lock, flags);
	if (gen != m->gen) {
		/* reset meanwhile: the message is lost, the count was reset */
	} else if (!msg) {
		m->fw_pending--;
		m->stats.dropped++;
		sim_mhi_warn(m, "channel %u: no memory for a %zu-byte message\n", chan, len);
	} else {
		list_add_tail(&msg->node, &m->fw_queue);
		m->stats.ul_msgs++;
		queue_work(m->fw_wq, &m->fw_work);
		msg = NULL;
	}
	spin_unlock_irqrestore(&m->lock, flags);
	kvfree(msg);
}

void sim_mhi_engine(struct work_struct *work)
{
	struct sim_mhi *m = container_of(work, struct sim_mhi, engine_work);
	unsigned long flags;
	u32 next = 0;

	for (;;) {
		ssize_t len = -EAGAIN;
		u32 chan = 0, gen;

		spin_lock_irqsave(&m->lock, flags);
		if (m->dead) {
			spin_unlock_irqrestore(&m->lock, flags);
			return;
		}
		sim_mhi_state_step(m);
		if (m->state == SIM_MHI_M0) {
			run_commands(m);
			drain_backlogs(m);
			len = ul_next(m, &chan, &next);
		}
		gen = m->gen;
		sim_mhi_unlock(m, flags);

		if (len == -EAGAIN)
			return;	/* doorbells and the firmware kick us again */
		if (len >= 0)
			ul_to_fw(m, chan, len, gen);
		cond_resched();
	}
}

/*
 * Can the firmware answer a message of @gen that came in on UL channel @ul?
 * Its answer goes out on the paired DL channel (@ul + 1, as AIC100 numbers
 * its channels): wait while that backlog is full, unless the answer would be
 * refused anyway (reset since, channel down, module going away).
 */
static bool fw_may_answer(struct sim_mhi *m, u32 ul, u32 gen)
{
	struct sim_mhi_chan *dl = &m->ch[ul + 1 < SIM_MHI_NUM_CH ? ul + 1 : ul];
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&m->lock, flags);
	ok = m->dead || gen != m->gen || !dl->inbound ||
	     (dl->state != SIM_CH_RUN && dl->state != SIM_CH_STOP) ||
	     dl->backlog_len < SIM_MHI_BACKLOG;
	spin_unlock_irqrestore(&m->lock, flags);
	return ok;
}

/*
 * The firmware's side: UL messages, one at a time, in process context. A
 * message waits here while its answer could not be queued, so a slow host
 * fills this queue, then the UL ring, and mhi_queue_buf() tells the driver:
 * backpressure instead of lost answers.
 */
void sim_mhi_fw_deliver(struct work_struct *work)
{
	struct sim_mhi *m = container_of(work, struct sim_mhi, fw_work);
	struct sim_mhi_msg *msg;
	unsigned long flags;
	bool stale;

	for (;;) {
		msg = NULL;
		spin_lock_irqsave(&m->lock, flags);
		if (!list_empty(&m->fw_queue))
			msg = list_first_entry(&m->fw_queue, struct sim_mhi_msg, node);
		spin_unlock_irqrestore(&m->lock, flags);
		/* only this worker removes entries: msg stays queued meanwhile */
		if (msg)
			wait_event_idle(m->dl_wq, fw_may_answer(m, msg->chan, msg->gen));

		spin_lock_irqsave(&m->lock, flags);
		msg = list_first_entry_or_null(&m->fw_queue, struct sim_mhi_msg, node);
		if (!msg) {
			spin_unlock_irqrestore(&m->lock, flags);
			return;
		}
		list_del(&msg->node);
		stale = msg->gen != m->gen;
		if (!stale) {
			/* the engine stops taking UL messages while the queue is full */
			if (m->fw_pending-- == SIM_MHI_FW_QUEUE)
				sim_mhi_kick(m);
			m->fw_gen = msg->gen;
		}
		spin_unlock_irqrestore(&m->lock, flags);

		if (!stale)
			sim_chan_receive(m->card, msg->chan, msg->data, msg->len);
		kvfree(msg);
		cond_resched();
	}
}
