// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DMA bridge: 16 DMA bridge channels (DBCs), each a register file
 * (REQHP, REQTP, RSPHP, RSPTP, include/qaic_dbc.h) and a FIFO engine over
 * the request and response queues the host donated at ACTIVATE.
 *
 * A DBC is live from the firmware's ACTIVATE (sim_dbc_start) to DEACTIVATE,
 * TERMINATE or a reset (sim_dbc_stop), or until the card halts (SYS_ERR,
 * MHI reset: sim_dbc_halt). An inactive DBC's registers read 0 and ignore
 * writes. The host writes REQTP (new work) and RSPHP (responses taken);
 * writes of an index >= the queue's element count, and writes to REQHP or
 * RSPTP, are ignored and counted.
 *
 * The engine takes request elements in FIFO order at REQHP, one at a time,
 * each through the steps of aic100.rst:
 *
 *   presync   the one presync semaphore command must hold (a blocked head
 *             element holds the whole queue until a semaphore of its DBC
 *             changes); a P that takes an inference's signal first writes
 *             that inference's output into DDR (sim_nsp.c)
 *   transfer  bulk, to or from device DDR, modelled on the shared link
 *             (sim_link.c) and copied in process context; the element goes
 *             on at max(modelled end, copy done), never earlier
 *   postsync  the other semaphore commands, in order; waits block
 *   doorbell  a write into DDR, or at SIMNET_DOORBELL_ADDR the start of an
 *             inference of the owner's network with that doorbell value
 *   response  if QAIC_REQ_COMPLETION: {req_id, status} at RSPTP, waiting
 *             for room if the host has not drained the FIFO; the MSI fires
 *             when the FIFO goes from empty to non-empty, or on
 *             QAIC_REQ_FORCE_MSI
 *
 * REQHP then moves past the element: a slot is free again once its element
 * is fully processed. Fences are met by construction (a DBC's transfers
 * complete in order, one at a time). A malformed element completes with a
 * SIM_ST_* status (sim_dp.h); its transfer is skipped but its semaphores
 * and doorbell still run, so the requests behind it do not hang. A
 * request's status is the first nonzero status of its elements.
 */
#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "sim_dp.h"

#define ENGINE_BUDGET	64	/* elements per engine run before it yields */

enum step {
	STEP_NEXT,	/* go on with the next step */
	STEP_WAIT,	/* blocked: an event re-queues the engine */
	STEP_GONE,	/* the DBC stopped meanwhile */
};

static const char * const phase_names[] = {
	[DBC_IDLE] = "idle",
	[DBC_PRESYNC] = "presync",
	[DBC_DMA] = "dma",
	[DBC_POSTSYNC] = "postsync",
	[DBC_RSP] = "response",
};

/* Queue the engine; lock held. Nothing is queued on a DBC that is not live. */
static void engine_queue(struct sim_dbc *d)
{
	if (d->live)
		queue_work(d->dp->wq, &d->work);
}

void sim_dbc_kick(struct sim_dbc *d)
{
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	engine_queue(d);
	spin_unlock_irqrestore(&d->lock, flags);
}

static enum hrtimer_restart dbc_timer_fn(struct hrtimer *timer)
{
	struct sim_dbc *d = container_of(timer, struct sim_dbc, timer);

	queue_work(d->dp->wq, &d->work);
	return HRTIMER_NORESTART;
}

static void parse_elem(const struct qaic_dbc_req *r, struct sim_elem *el)
{
	unsigned int i;

	el->req_id = le16_to_cpu(r->req_id);
	el->cmd = r->cmd;
	el->src = le64_to_cpu(r->src_addr);
	el->dst = le64_to_cpu(r->dest_addr);
	el->len = le32_to_cpu(r->len);
	el->db_addr = le64_to_cpu(r->db_addr);
	el->db_attr = r->db_attr;
	el->db_data = le32_to_cpu(r->db_data);
	for (i = 0; i < 4; i++)
		el->sem[i] = le32_to_cpu(r->sem_cmd[i]);
}

static void set_status(struct sim_dbc *d, u16 status)
{
	if (!d->el_status)
		d->el_status = status;
}

/* Move the oldest signals of semaphore @idx beyond its value to dropped. */
static void trim_signals(struct sim_dbc *d, unsigned int idx)
{
	while (d->nr_signals[idx] > d->sem[idx]) {
		list_move_tail(d->signals[idx].next, &d->dropped);
		d->nr_signals[idx]--;
		d->stats.signals_dropped++;
	}
}

/*
 * Run one semaphore command; false if it must wait. A P that takes an
 * inference's signal hands that inference back in *taken. Lock held.
 */
static bool sem_exec(struct sim_dbc *d, u32 c, struct sim_inf **taken)
{
	unsigned int idx = FIELD_GET(QAIC_SEMC_INDEX_MASK, c);
	u16 val = FIELD_GET(QAIC_SEMC_VAL_MASK, c);
	u16 *sem = &d->sem[idx];

	switch (FIELD_GET(QAIC_SEMC_CMD_MASK, c)) {
	case SIM_SEM_INIT:
		*sem = val;
		trim_signals(d, idx);
		return true;
	case SIM_SEM_INC:
		if (*sem < QAIC_DBC_SEM_MAX)
			(*sem)++;
		return true;
	case SIM_SEM_DEC:
		if (*sem)
			(*sem)--;
		trim_signals(d, idx);
		return true;
	case SIM_SEM_WAIT_EQ:
		return *sem == val;
	case SIM_SEM_WAIT_GE:
		return *sem >= val;
	case SIM_SEM_P:
		if (!*sem)
			return false;
		(*sem)--;
		if (d->nr_signals[idx] > *sem) {
			*taken = list_first_entry(&d->signals[idx], struct sim_inf, node);
			list_del_init(&(*taken)->node);
			d->nr_signals[idx]--;
		}
		return true;
	default:
		return true;
	}
}

/* An element's semaphore commands are well formed: one presync at most. */
static bool sems_ok(const struct sim_elem *el)
{
	unsigned int i, pre = 0;

	for (i = 0; i < 4; i++) {
		if (!(el->sem[i] & QAIC_SEMC_ENABLE))
			continue;
		if (FIELD_GET(QAIC_SEMC_CMD_MASK, el->sem[i]) > SIM_SEM_P)
			return false;
		if (el->sem[i] & QAIC_SEMC_PRESYNC)
			pre++;
	}
	return pre <= 1;
}

static void mark_blocked(struct sim_dbc *d, u64 *counter)
{
	if (!d->blocked_since) {
		d->blocked_since = ktime_get_ns();
		(*counter)++;
	}
}

/*
 * Write the output of the inference a P took into DDR, unlocked; the
 * engine alone uses the bounce buffer. Returns with the lock held.
 */
static enum step deliver(struct sim_dbc *d, u32 gen, struct sim_inf *inf, unsigned long *flags)
{
	int st;

	d->acc.inf_consumed = inf->id;
	spin_unlock_irqrestore(&d->lock, *flags);
	st = sim_nsp_deliver(d->dp, inf, d->bounce, SIM_DBC_BOUNCE);
	sim_nsp_free_inf(d->dp, inf);
	spin_lock_irqsave(&d->lock, *flags);
	if (!d->live || d->gen != gen)
		return STEP_GONE;
	if (st)
		set_status(d, st);
	return STEP_NEXT;
}

static enum step step_fetch(struct sim_dbc *d)
{
	struct sim_card *card = d->dp->card;
	struct qaic_dbc_req raw;
	u32 idx = d->reqhp;

	if (d->stalled || idx == d->reqtp)
		return STEP_WAIT;
	memset(&d->el, 0, sizeof(d->el));
	d->el_status = 0;
	if (sim_host_read(card, d->req_q + (u64)idx * QAIC_DBC_REQ_ELEM_SIZE, &raw, sizeof(raw)))
		set_status(d, SIM_ST_HOST_FAULT);	/* taken as an empty element */
	else
		parse_elem(&raw, &d->el);
	if (!sems_ok(&d->el))
		set_status(d, SIM_ST_BAD_SEM);
	d->el_idx = idx;
	d->xfer_started = false;
	d->dma_end = 0;
	d->post_next = 0;
	d->blocked_since = 0;
	if (!d->acc.elems)
		d->acc.t_queued = d->t_queued[idx];
	d->acc.elems++;
	d->stats.elements++;
	d->phase = DBC_PRESYNC;
	return STEP_NEXT;
}

static enum step step_presync(struct sim_dbc *d, u32 gen, unsigned long *flags)
{
	struct sim_inf *taken = NULL;
	unsigned int i;

	for (i = 0; i < 4 && !d->el_status; i++) {
		u32 c = d->el.sem[i];

		if (!(c & QAIC_SEMC_ENABLE) || !(c & QAIC_SEMC_PRESYNC))
			continue;
		if (!sem_exec(d, c, &taken)) {
			mark_blocked(d, &d->stats.presync_waits);
			return STEP_WAIT;
		}
		break;
	}
	d->blocked_since = 0;
	if (!d->acc.t_start)
		d->acc.t_start = ktime_get_ns();
	d->phase = DBC_DMA;
	if (taken)
		return deliver(d, gen, taken, flags);
	return STEP_NEXT;
}

/* The element's transfer, if it has one it may do. */
static u16 check_xfer(const struct sim_elem *el, bool *none)
{
	u32 dir = el->cmd & QAIC_REQ_DIR_MASK;
	u64 dev = dir == QAIC_REQ_DIR_TO_DEV ? el->dst : el->src;

	*none = dir == QAIC_REQ_DIR_NONE;
	if (*none)
		return 0;
	if (dir != QAIC_REQ_DIR_TO_DEV && dir != QAIC_REQ_DIR_FROM_DEV)
		return SIM_ST_BAD_DIR;
	if (!(el->cmd & QAIC_REQ_BULK))
		return SIM_ST_LINKED_LIST;
	if (el->len > sim_ddr_size() || dev > sim_ddr_size() - el->len)
		return SIM_ST_DDR_RANGE;
	return 0;
}

/* Reserve the link, copy, then wait for the modelled end. */
static enum step step_dma_start(struct sim_dbc *d, u32 gen, unsigned long *flags)
{
	enum sim_link_dir ldir;
	u64 start, now;
	bool none;
	u16 st;
	int ret;

	if (d->el_status)
		goto done;
	st = check_xfer(&d->el, &none);
	if (st)
		set_status(d, st);
	if (st || none)
		goto done;

	ldir = (d->el.cmd & QAIC_REQ_DIR_MASK) == QAIC_REQ_DIR_TO_DEV ?
		SIM_LINK_TO_DEV : SIM_LINK_FROM_DEV;
	now = ktime_get_ns();
	d->dma_end = sim_link_reserve(&d->dp->link, ldir, d->el.len, now, &start);
	if (!d->acc.t_dma_start)
		d->acc.t_dma_start = start;
	d->acc.bytes += d->el.len;
	d->acc.dirs |= BIT(d->el.cmd & QAIC_REQ_DIR_MASK);
	d->stats.bytes[ldir] += d->el.len;

	spin_unlock_irqrestore(&d->lock, *flags);
	ret = sim_dbc_xfer(d, gen, &d->el);
	spin_lock_irqsave(&d->lock, *flags);
	if (ret == -ESHUTDOWN || !d->live || d->gen != gen)
		return STEP_GONE;
	if (ret > 0)
		set_status(d, ret);
	return STEP_NEXT;	/* on to step_dma_wait */

done:
	d->dma_end = 0;
	return STEP_NEXT;
}

static enum step step_dma_wait(struct sim_dbc *d)
{
	u64 now = ktime_get_ns();

	if (now < d->dma_end) {
		hrtimer_start(&d->timer, ns_to_ktime(d->dma_end), HRTIMER_MODE_ABS);
		return STEP_WAIT;
	}
	if (d->dma_end)
		d->acc.t_dma_end = now;
	d->phase = DBC_POSTSYNC;
	return STEP_NEXT;
}

/* Unlocked: the doorbell write of the element in hand. */
static u16 ring_doorbell(struct sim_dbc *d, u32 gen, const struct sim_elem *el, u64 now,
			 u64 *inf_id, bool *unmatched)
{
	static const u8 lens[] = { 4, 2, 1, 0 };
	u8 len = lens[el->db_attr & QAIC_DB_LEN_MASK];
	__le32 data = cpu_to_le32(el->db_data);
	int st;

	*inf_id = 0;
	*unmatched = false;
	if (!len || !IS_ALIGNED(el->db_addr, len))
		return SIM_ST_BAD_DOORBELL;
	if (el->db_addr == SIMNET_DOORBELL_ADDR) {
		if (len == 4)
			*inf_id = sim_nsp_doorbell(d->dp, d, gen, el->db_data, now, &st);
		*unmatched = !*inf_id;
		return *inf_id ? st : 0;
	}
	if (el->db_addr >= sim_ddr_size() || el->db_addr > sim_ddr_size() - len)
		return SIM_ST_BAD_DOORBELL;
	st = sim_ddr_write(d->dp->card, el->db_addr, &data, len);
	if (st)
		return st == -ENOMEM ? SIM_ST_DDR_FULL : SIM_ST_DDR_RANGE;
	return 0;
}

static enum step step_postsync(struct sim_dbc *d, u32 gen, unsigned long *flags)
{
	struct sim_elem el;
	bool unmatched;
	u64 now, id;
	u16 st;

	while (d->post_next < 4 && d->el_status != SIM_ST_BAD_SEM) {
		u32 c = d->el.sem[d->post_next];
		struct sim_inf *taken = NULL;
		enum step r;

		if (!(c & QAIC_SEMC_ENABLE) || (c & QAIC_SEMC_PRESYNC)) {
			d->post_next++;
			continue;
		}
		if (!sem_exec(d, c, &taken)) {
			mark_blocked(d, &d->stats.presync_waits);
			return STEP_WAIT;
		}
		d->post_next++;
		if (taken) {
			r = deliver(d, gen, taken, flags);
			if (r != STEP_NEXT)
				return r;
		}
	}
	d->blocked_since = 0;
	d->phase = DBC_RSP;
	if (!(d->el.db_attr & QAIC_DB_ENABLE))
		return STEP_NEXT;

	now = ktime_get_ns();
	el = d->el;
	spin_unlock_irqrestore(&d->lock, *flags);
	st = ring_doorbell(d, gen, &el, now, &id, &unmatched);
	spin_lock_irqsave(&d->lock, *flags);
	if (!d->live || d->gen != gen)
		return STEP_GONE;
	d->acc.t_doorbell = now;
	d->stats.doorbells++;
	if (unmatched)
		d->stats.doorbells_unmatched++;
	if (id) {
		d->acc.inf_started = id;
		d->stats.inferences++;
	}
	if (st)
		set_status(d, st);
	return STEP_NEXT;
}

/*
 * Response, REQHP. The MSI and the truth record happen unlocked, after the
 * registers moved: the driver's handler reads them.
 */
static enum step step_rsp(struct sim_dbc *d, u32 gen, unsigned long *flags)
{
	struct sim_truth_rec rec = { .type = SIM_TRUTH_REQ };
	struct sim_req_acc *a = &d->acc;
	struct qaic_dbc_rsp rsp;
	bool msi = false, done;
	u16 status;
	u32 dir;

	if (!a->status)
		a->status = d->el_status;
	done = d->el.cmd & QAIC_REQ_COMPLETION;
	if (done) {
		if ((d->rsptp + 1) % d->nelem == d->rsphp) {
			mark_blocked(d, &d->stats.rsp_full);
			return STEP_WAIT;
		}
		status = a->status;
		if (d->err_count) {
			d->err_count--;
			status = d->err_status;
		}
		rsp.req_id = cpu_to_le16(d->el.req_id);
		rsp.status = cpu_to_le16(status);
		/* a response the host cannot receive is lost, as on a bus error */
		sim_host_write(d->dp->card, d->rsp_q + (u64)d->rsptp * QAIC_DBC_RSP_ELEM_SIZE,
			       &rsp, sizeof(rsp));
		if (d->rsphp == d->rsptp || (d->el.cmd & QAIC_REQ_FORCE_MSI)) {
			msi = true;
			if (d->drop_msi) {
				d->drop_msi--;
				d->stats.msis_dropped++;
				msi = false;
			} else {
				d->stats.msis++;
			}
		} else {
			d->stats.msis_coalesced++;
		}
		d->rsptp = (d->rsptp + 1) % d->nelem;
		d->stats.requests++;
		if (status)
			d->stats.errors++;

		dir = a->dirs & GENMASK(2, 1);
		rec.r.dbc = d->id;
		rec.r.req_id = d->el.req_id;
		rec.r.owner = d->owner;
		rec.r.dir = dir == GENMASK(2, 1) ? 3 : dir >> 1;
		rec.r.elems = a->elems;
		rec.r.status = status;
		rec.r.msi = msi;
		rec.r.bytes = a->bytes;
		rec.r.t_queued = a->t_queued;
		rec.r.t_start = a->t_start;
		rec.r.t_dma_start = a->t_dma_start;
		rec.r.t_dma_end = a->t_dma_end;
		rec.r.t_doorbell = a->t_doorbell;
		rec.r.t_rsp = ktime_get_ns();
		rec.r.inf_started = a->inf_started;
		rec.r.inf_consumed = a->inf_consumed;
		memset(a, 0, sizeof(*a));
	}
	d->blocked_since = 0;
	d->reqhp = (d->el_idx + 1) % d->nelem;
	d->phase = DBC_IDLE;
	if (!done)
		return STEP_NEXT;

	spin_unlock_irqrestore(&d->lock, *flags);
	if (msi)
		sim_irq_raise(d->dp->card, SIM_MSI_DBC(d->id));
	sim_truth_add(d->dp, &rec);
	spin_lock_irqsave(&d->lock, *flags);
	return d->live && d->gen == gen ? STEP_NEXT : STEP_GONE;
}

static void free_dropped(struct sim_dbc *d, unsigned long *flags)
{
	struct sim_inf *inf, *tmp;
	LIST_HEAD(gone);

	list_splice_init(&d->dropped, &gone);
	spin_unlock_irqrestore(&d->lock, *flags);
	list_for_each_entry_safe(inf, tmp, &gone, node) {
		list_del(&inf->node);
		sim_nsp_free_inf(d->dp, inf);
	}
	spin_lock_irqsave(&d->lock, *flags);
}

static void engine_fn(struct work_struct *work)
{
	struct sim_dbc *d = container_of(work, struct sim_dbc, work);
	unsigned int budget = ENGINE_BUDGET;
	enum step r = STEP_NEXT;
	unsigned long flags;
	u32 gen;

	spin_lock_irqsave(&d->lock, flags);
	gen = d->gen;
	while (r == STEP_NEXT && d->live) {
		switch (d->phase) {
		case DBC_IDLE:
			if (!budget--) {
				engine_queue(d);	/* let other DBCs run */
				r = STEP_WAIT;
				break;
			}
			r = step_fetch(d);
			break;
		case DBC_PRESYNC:
			r = step_presync(d, gen, &flags);
			break;
		case DBC_DMA:
			if (!d->xfer_started) {
				d->xfer_started = true;
				r = step_dma_start(d, gen, &flags);
				if (r != STEP_NEXT)
					break;
			}
			r = step_dma_wait(d);
			break;
		case DBC_POSTSYNC:
			r = step_postsync(d, gen, &flags);
			break;
		case DBC_RSP:
			r = step_rsp(d, gen, &flags);
			break;
		}
		if (!list_empty(&d->dropped) && d->live)
			free_dropped(d, &flags);
	}
	spin_unlock_irqrestore(&d->lock, flags);
}

/* The end of an inference, from the NSP pool's timer (any context). */
bool sim_dbc_signal(struct sim_dp *dp, struct sim_inf *inf)
{
	struct sim_dbc *d = &dp->dbc[inf->dbc];
	unsigned int idx = inf->sem_index;
	unsigned long flags;
	bool taken = false;

	spin_lock_irqsave(&d->lock, flags);
	if (d->live && d->gen == inf->gen) {
		if (d->sem[idx] < QAIC_DBC_SEM_MAX) {
			d->sem[idx]++;
			list_add_tail(&inf->node, &d->signals[idx]);
			d->nr_signals[idx]++;
			taken = true;
		} else {
			d->stats.signals_dropped++;
		}
		if (d->phase == DBC_PRESYNC || d->phase == DBC_POSTSYNC)
			engine_queue(d);
	}
	spin_unlock_irqrestore(&d->lock, flags);
	return taken;
}

static struct sim_dbc *reg_dbc(struct sim_card *card, u32 offset, u32 *reg)
{
	u32 n = offset / QAIC_HW_DBC_STRIDE;

	if (!card->dp || n >= QAIC_HW_NUM_DBC) {
		if (card->dp)
			atomic64_inc(&card->dp->bad_access);
		return NULL;
	}
	*reg = offset % QAIC_HW_DBC_STRIDE;
	return &card->dp->dbc[n];
}

u32 sim_dbc_reg_read(struct sim_card *card, u32 offset)
{
	unsigned long flags;
	struct sim_dbc *d;
	u32 reg, val = 0;

	d = reg_dbc(card, offset, &reg);
	if (!d)
		return 0;
	spin_lock_irqsave(&d->lock, flags);
	if (d->live) {
		switch (reg) {
		case QAIC_DBC_REQHP:
			val = d->reqhp;
			break;
		case QAIC_DBC_REQTP:
			val = d->reqtp;
			break;
		case QAIC_DBC_RSPHP:
			val = d->rsphp;
			break;
		case QAIC_DBC_RSPTP:
			val = d->rsptp;
			break;
		}
	}
	spin_unlock_irqrestore(&d->lock, flags);
	return val;
}

void sim_dbc_reg_write(struct sim_card *card, u32 offset, u32 val)
{
	unsigned long flags;
	struct sim_dbc *d;
	u64 now;
	u32 reg, i;

	d = reg_dbc(card, offset, &reg);
	if (!d)
		return;
	now = ktime_get_ns();
	spin_lock_irqsave(&d->lock, flags);
	if (!d->live)
		goto out;
	switch (reg) {
	case QAIC_DBC_REQTP:
		if (val >= d->nelem) {
			d->stats.bad_writes++;
			break;
		}
		for (i = d->reqtp; i != val; i = (i + 1) % d->nelem)
			d->t_queued[i] = now;
		d->reqtp = val;
		if (d->phase == DBC_IDLE)
			engine_queue(d);
		break;
	case QAIC_DBC_RSPHP:
		if (val >= d->nelem) {
			d->stats.bad_writes++;
			break;
		}
		d->rsphp = val;
		if (d->phase == DBC_RSP)
			engine_queue(d);
		break;
	default:
		/* REQHP and RSPTP are the device's */
		d->stats.bad_writes++;
		break;
	}
out:
	spin_unlock_irqrestore(&d->lock, flags);
}

/*
 * Stop DBC @n and forget its work: once this returns, its engine, timer and
 * inferences are gone and it touches no host memory. Process context;
 * idempotent.
 */
void sim_dbc_stop(struct sim_card *card, u32 n)
{
	struct sim_dp *dp = card->dp;
	struct sim_dbc *d = &dp->dbc[n];
	struct sim_inf *inf, *tmp;
	unsigned long flags;
	u64 *t_queued;
	LIST_HEAD(gone);
	unsigned int i;

	spin_lock_irqsave(&d->lock, flags);
	d->live = false;
	d->gen++;
	d->phase = DBC_IDLE;
	d->blocked_since = 0;
	t_queued = d->t_queued;
	d->t_queued = NULL;
	for (i = 0; i < QAIC_DBC_NUM_SEM; i++) {
		list_splice_tail_init(&d->signals[i], &gone);
		d->nr_signals[i] = 0;
	}
	list_splice_tail_init(&d->dropped, &gone);
	spin_unlock_irqrestore(&d->lock, flags);

	hrtimer_cancel(&d->timer);
	cancel_work_sync(&d->work);
	sim_nsp_cancel_dbc(dp, n);
	list_for_each_entry_safe(inf, tmp, &gone, node) {
		list_del(&inf->node);
		sim_nsp_free_inf(dp, inf);
	}
	kvfree(t_queued);
}

/* ACTIVATE: DBC @n serves the queues at @req_q and @rsp_q. Process context. */
int sim_dbc_start(struct sim_card *card, u32 n, u32 owner, u64 req_q, u64 rsp_q, u32 nelem)
{
	struct sim_dbc *d = &card->dp->dbc[n];
	unsigned long flags;
	u64 *t_queued;

	sim_dbc_stop(card, n);
	t_queued = kvcalloc(nelem, sizeof(*t_queued), GFP_KERNEL);
	if (!t_queued)
		return -ENOMEM;
	spin_lock_irqsave(&d->lock, flags);
	d->owner = owner;
	d->req_q = req_q;
	d->rsp_q = rsp_q;
	d->nelem = nelem;
	d->reqhp = 0;
	d->reqtp = 0;
	d->rsphp = 0;
	d->rsptp = 0;
	d->t_queued = t_queued;
	memset(d->sem, 0, sizeof(d->sem));
	d->phase = DBC_IDLE;
	memset(&d->acc, 0, sizeof(d->acc));
	memset(&d->stats, 0, sizeof(d->stats));
	d->blocked_since = 0;
	d->gen++;
	d->live = true;
	spin_unlock_irqrestore(&d->lock, flags);
	return 0;
}

/*
 * The card stops its DMA at once (SYS_ERR, MHI or SoC reset): no DBC
 * touches host memory after this returns. Any context; the reset that
 * follows (sim_dp_reset) cleans up.
 */
void sim_dbc_halt(struct sim_card *card)
{
	struct sim_dp *dp = card->dp;
	unsigned long flags;
	unsigned int i;

	if (!dp)
		return;
	for (i = 0; i < QAIC_HW_NUM_DBC; i++) {
		struct sim_dbc *d = &dp->dbc[i];

		spin_lock_irqsave(&d->lock, flags);
		if (d->live) {
			d->live = false;
			d->gen++;
		}
		spin_unlock_irqrestore(&d->lock, flags);
	}
}

/* Device reset: every DBC stopped, NSPs idle, link idle. Process context. */
void sim_dp_reset(struct sim_card *card)
{
	unsigned int i;

	if (!card->dp)
		return;
	for (i = 0; i < QAIC_HW_NUM_DBC; i++)
		sim_dbc_stop(card, i);
	sim_nsp_reset(card->dp);
	sim_link_reset(&card->dp->link);
}

struct dbc_snap {
	bool live;
	u32 owner, nelem, reqhp, reqtp, rsphp, rsptp, el_idx, post_next;
	enum sim_dbc_phase phase;
	bool stalled;
	u32 drop_msi, err_count;
	u16 err_status;
	u64 blocked_since;
	u16 sem[QAIC_DBC_NUM_SEM];
	u16 nr_signals[QAIC_DBC_NUM_SEM];
	struct sim_dbc_stats stats;
};

static int dbc_show(struct seq_file *s, void *unused)
{
	struct sim_dp *dp = s->private;
	struct dbc_snap *v;
	u64 now = ktime_get_ns();
	unsigned long flags;
	unsigned int i, k;

	v = kmalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	seq_printf(s, "# bad_access %lld\n", atomic64_read(&dp->bad_access));
	for (i = 0; i < QAIC_HW_NUM_DBC; i++) {
		struct sim_dbc *d = &dp->dbc[i];

		spin_lock_irqsave(&d->lock, flags);
		v->live = d->live;
		v->owner = d->owner;
		v->nelem = d->nelem;
		v->reqhp = d->reqhp;
		v->reqtp = d->reqtp;
		v->rsphp = d->rsphp;
		v->rsptp = d->rsptp;
		v->el_idx = d->el_idx;
		v->post_next = d->post_next;
		v->phase = d->phase;
		v->stalled = d->stalled;
		v->drop_msi = d->drop_msi;
		v->err_count = d->err_count;
		v->err_status = d->err_status;
		v->blocked_since = d->blocked_since;
		memcpy(v->sem, d->sem, sizeof(v->sem));
		memcpy(v->nr_signals, d->nr_signals, sizeof(v->nr_signals));
		v->stats = d->stats;
		spin_unlock_irqrestore(&d->lock, flags);

		seq_printf(s, "dbc %u live %u owner %u nelem %u reqhp %u reqtp %u rsphp %u rsptp %u phase %s el %u blocked_ns %llu stalled %u drop_msi %u err_count %u err_status %u\n",
			   i, v->live, v->owner, v->nelem, v->reqhp, v->reqtp, v->rsphp, v->rsptp,
			   phase_names[v->phase], v->el_idx,
			   v->blocked_since ? now - v->blocked_since : 0, v->stalled, v->drop_msi,
			   v->err_count, v->err_status);
		if (!v->live)
			continue;
		seq_puts(s, "  sem");
		for (k = 0; k < QAIC_DBC_NUM_SEM; k++)
			if (v->sem[k] || v->nr_signals[k])
				seq_printf(s, " %u:%u/%u", k, v->sem[k], v->nr_signals[k]);
		seq_putc(s, '\n');
		seq_printf(s, "  elements %llu requests %llu bytes_to_dev %llu bytes_from_dev %llu msis %llu msis_coalesced %llu msis_dropped %llu errors %llu bad_writes %llu rsp_full %llu sem_waits %llu doorbells %llu doorbells_unmatched %llu inferences %llu signals_dropped %llu\n",
			   v->stats.elements, v->stats.requests, v->stats.bytes[SIM_LINK_TO_DEV],
			   v->stats.bytes[SIM_LINK_FROM_DEV], v->stats.msis,
			   v->stats.msis_coalesced, v->stats.msis_dropped, v->stats.errors,
			   v->stats.bad_writes, v->stats.rsp_full, v->stats.presync_waits,
			   v->stats.doorbells, v->stats.doorbells_unmatched, v->stats.inferences,
			   v->stats.signals_dropped);
	}
	kfree(v);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dbc);

int sim_dp_init(struct sim_card *card)
{
	struct sim_dp *dp;
	unsigned int i, k;
	int ret = -ENOMEM;

	dp = kzalloc(sizeof(*dp), GFP_KERNEL);
	if (!dp)
		return -ENOMEM;
	dp->card = card;
	atomic64_set(&dp->bad_access, 0);
	sim_link_init(&dp->link);
	for (i = 0; i < QAIC_HW_NUM_DBC; i++) {
		struct sim_dbc *d = &dp->dbc[i];

		d->dp = dp;
		d->id = i;
		spin_lock_init(&d->lock);
		for (k = 0; k < QAIC_DBC_NUM_SEM; k++)
			INIT_LIST_HEAD(&d->signals[k]);
		INIT_LIST_HEAD(&d->dropped);
		hrtimer_init(&d->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
		d->timer.function = dbc_timer_fn;
		INIT_WORK(&d->work, engine_fn);
		d->bounce = kmalloc(SIM_DBC_BOUNCE, GFP_KERNEL);
		if (!d->bounce)
			goto free;
	}
	ret = sim_truth_init(dp);
	if (ret)
		goto free;
	ret = sim_nsp_init(dp);
	if (ret)
		goto truth;
	dp->wq = alloc_workqueue("qaic_sim%d_dp", WQ_UNBOUND | WQ_HIGHPRI, 0, card->index);
	if (!dp->wq) {
		ret = -ENOMEM;
		goto nsp;
	}
	card->dp = dp;
	return 0;

nsp:
	sim_nsp_fini(dp);
truth:
	sim_truth_fini(dp);
free:
	for (i = 0; i < QAIC_HW_NUM_DBC; i++)
		kfree(dp->dbc[i].bounce);
	kfree(dp);
	return ret;
}

void sim_dp_debugfs_init(struct sim_card *card)
{
	struct sim_dp *dp = card->dp;

	debugfs_create_file("dbc", 0400, card->debugfs, dp, &dbc_fops);
	sim_link_debugfs_init(dp, card->debugfs);
	sim_nsp_debugfs_init(dp, card->debugfs);
	sim_truth_debugfs_init(dp, card->debugfs);
}

void sim_dp_fini(struct sim_card *card)
{
	struct sim_dp *dp = card->dp;
	unsigned int i;

	if (!dp)
		return;
	sim_dp_reset(card);
	sim_nsp_fini(dp);
	destroy_workqueue(dp->wq);
	sim_truth_fini(dp);
	for (i = 0; i < QAIC_HW_NUM_DBC; i++)
		kfree(dp->dbc[i].bounce);
	card->dp = NULL;
	kfree(dp);
}
