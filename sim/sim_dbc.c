// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DMA bridge: 16 DMA bridge channels (DBCs), each a register file
 * (REQHP, REQTP, RSPHP, RSPTP, include/qaic_dbc.h) and a FIFO engine
 * (sim_dbc_engine.c) over the request and response queues the host
 * donated at ACTIVATE.
 *
 * A DBC is live from the firmware's ACTIVATE (sim_dbc_start) to DEACTIVATE,
 * TERMINATE or a reset (sim_dbc_stop), or until the card halts (SYS_ERR,
 * MHI reset: sim_dbc_halt). An inactive DBC's registers read 0 and ignore
 * writes. The host writes REQTP (new work) and RSPHP (responses taken);
 * writes of an index >= the queue's element count, and writes to REQHP or
 * RSPTP, are ignored and counted. REQHP moves past an element once it is
 * fully processed (its response written, if it asked for one), so a slot
 * is free again only then.
 */
#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "sim_dp.h"

static const char * const phase_names[] = {
	[DBC_IDLE] = "idle",
	[DBC_PRESYNC] = "presync",
	[DBC_DMA] = "dma",
	[DBC_POSTSYNC] = "postsync",
	[DBC_RSP] = "response",
};

void sim_dbc_kick(struct sim_dbc *d)
{
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	sim_dbc_queue(d);
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
			sim_dbc_queue(d);
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
			sim_dbc_queue(d);
		break;
	case QAIC_DBC_RSPHP:
		if (val >= d->nelem) {
			d->stats.bad_writes++;
			break;
		}
		d->rsphp = val;
		if (d->phase == DBC_RSP)
			sim_dbc_queue(d);
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
		d->timer.function = sim_dbc_timer;
		INIT_WORK(&d->work, sim_dbc_engine);
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
