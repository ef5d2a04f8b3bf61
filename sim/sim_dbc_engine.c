// SPDX-License-Identifier: GPL-2.0-only
/*
 * The FIFO engine of one DBC: a work item on the card's data-path
 * workqueue that takes request elements in FIFO order at REQHP, one at a
 * time, each through the steps of aic100.rst:
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
 *
 * The engine runs with its DBC's lock held and drops it only around work
 * that may sleep or take long (copies, DDR writes, inference start); after
 * retaking it, a changed generation means the DBC stopped: the engine
 * leaves at once (STEP_GONE) and touches nothing of the new activation.
 */
#include <linux/bitfield.h>
#include <linux/ktime.h>
#include <linux/mm.h>

#include "sim_dp.h"

#define ENGINE_BUDGET	64	/* elements per engine run before it yields */

enum step {
	STEP_NEXT,	/* go on with the next step */
	STEP_WAIT,	/* blocked: an event re-queues the engine */
	STEP_GONE,	/* the DBC stopped meanwhile */
};

/* Queue the engine; lock held. Nothing is queued on a DBC that is not live. */
void sim_dbc_queue(struct sim_dbc *d)
{
	if (d->live)
		queue_work(d->dp->wq, &d->work);
}

enum hrtimer_restart sim_dbc_timer(struct hrtimer *timer)
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
	__must_hold(&d->lock)
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
	__must_hold(&d->lock)
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
	__must_hold(&d->lock)
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
	__must_hold(&d->lock)
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
	__must_hold(&d->lock)
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
			status = d->err_status;
			if (!--d->err_count)
				d->err_status = 0;
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
	__must_hold(&d->lock)
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

void sim_dbc_engine(struct work_struct *work)
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
				sim_dbc_queue(d);	/* let other DBCs run */
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
