// SPDX-License-Identifier: GPL-2.0-only
/*
 * The card's 16 NSPs and the sim networks they run (qaic_sim_net.h).
 *
 * A doorbell that names a loaded network starts one inference: the program
 * reads its input from DDR at once (the inference keeps the first
 * min(input_bytes, output_bytes) bytes, all its output depends on), draws
 * its compute time from the network's distribution, and waits for
 * nsp_count free NSPs. Waiting inferences are served first come first
 * served across all DBCs; a busy NSP is never shared. The NSPs are held for
 * the compute time (longer if the slow-NSP fault names one of them); then
 * they are freed and semaphore sem_index of the inference's DBC is
 * incremented. The inference's output (simnet_out_byte()) is written to
 * output_dev_addr when a P on that semaphore takes its signal, just before
 * the transfer the P gates: so a queue of inferences of one network, whose
 * input and output buffers are the same DDR addresses, hands every output
 * request its own inference's result.
 *
 * The pool's hrtimer (hard irq) fires at the earliest end among running
 * inferences, frees their NSPs, starts the waiting inferences that now fit
 * and hands the finished ones to their DBCs.
 */
#include <linux/bitops.h>
#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sim_dp.h"

#define NSP_ALL			GENMASK(QAIC_HW_NUM_NSP - 1, 0)
#define NSP_MAX_SNAP_BYTES	(256ULL << 20)	/* input kept by all inferences */

void sim_nsp_free_inf(struct sim_dp *dp, struct sim_inf *inf)
{
	struct sim_nsp_pool *p = &dp->nsp;
	unsigned long flags;

	if (!inf)
		return;
	spin_lock_irqsave(&p->lock, flags);
	p->snap_bytes -= inf->snap_len;
	spin_unlock_irqrestore(&p->lock, flags);
	kvfree(inf->snap);
	kfree(inf);
}

static void free_list(struct sim_dp *dp, struct list_head *list)
{
	struct sim_inf *inf, *tmp;

	list_for_each_entry_safe(inf, tmp, list, node) {
		list_del(&inf->node);
		sim_nsp_free_inf(dp, inf);
	}
}

static void reap_fn(struct work_struct *work)
{
	struct sim_dp *dp = container_of(work, struct sim_dp, nsp.reap);
	struct sim_nsp_pool *p = &dp->nsp;
	unsigned long flags;
	LIST_HEAD(dead);

	spin_lock_irqsave(&p->lock, flags);
	list_splice_init(&p->dead, &dead);
	spin_unlock_irqrestore(&p->lock, flags);
	free_list(dp, &dead);
}

/* The lowest @n free NSPs; the caller checked there are that many. */
static u32 pick_nsps(u32 busy, u32 n)
{
	u32 mask = 0;
	unsigned int i;

	for (i = 0; i < QAIC_HW_NUM_NSP && n; i++) {
		if (!(busy & BIT(i))) {
			mask |= BIT(i);
			n--;
		}
	}
	return mask;
}

/* Start what fits, head of the queue first; re-arm the timer. Lock held. */
static void pool_schedule(struct sim_nsp_pool *p, u64 now)
{
	struct sim_inf *inf, *tmp;
	u64 next = U64_MAX;
	unsigned int i;

	list_for_each_entry_safe(inf, tmp, &p->waiting, node) {
		u32 pct = 100;

		if (hweight32(~p->busy & NSP_ALL) < inf->nsp_count)
			break;	/* first come first served: nobody overtakes */
		inf->nsp_mask = pick_nsps(p->busy, inf->nsp_count);
		p->busy |= inf->nsp_mask;
		for (i = 0; i < QAIC_HW_NUM_NSP; i++)
			if (inf->nsp_mask & BIT(i))
				pct = max(pct, p->slow_pct[i]);
		inf->slow_pct = pct;
		inf->compute_ns = min_t(u64, div_u64(inf->drawn_ns * pct, 100),
					SIM_MAX_COMPUTE_NS * 10);
		inf->t_nsp_start = now;
		inf->end = now + inf->compute_ns;
		list_move_tail(&inf->node, &p->running);
	}
	list_for_each_entry(inf, &p->running, node)
		next = min(next, inf->end);
	if (next != U64_MAX && !p->stopping)
		hrtimer_start(&p->timer, ns_to_ktime(next), HRTIMER_MODE_ABS);
}

static void record_inf(struct sim_dp *dp, const struct sim_inf *inf)
{
	struct sim_truth_rec rec = { .type = SIM_TRUTH_INF };

	rec.i.id = inf->id;
	rec.i.dbc = inf->dbc;
	rec.i.owner = inf->owner;
	rec.i.net_id = inf->net_id;
	rec.i.nsp_count = inf->nsp_count;
	rec.i.nsp_mask = inf->nsp_mask;
	rec.i.slow_pct = inf->slow_pct;
	rec.i.drawn_ns = inf->drawn_ns;
	rec.i.compute_ns = inf->compute_ns;
	rec.i.t_doorbell = inf->t_doorbell;
	rec.i.t_nsp_start = inf->t_nsp_start;
	rec.i.t_nsp_end = inf->t_nsp_end;
	sim_truth_add(dp, &rec);
}

/* Free the NSPs of @inf (lock held). */
static void release_nsps(struct sim_nsp_pool *p, struct sim_inf *inf, u64 now)
{
	unsigned int i;

	p->busy &= ~inf->nsp_mask;
	for (i = 0; i < QAIC_HW_NUM_NSP; i++) {
		if (inf->nsp_mask & BIT(i)) {
			p->busy_ns[i] += now - inf->t_nsp_start;
			p->runs[i]++;
		}
	}
}

static enum hrtimer_restart pool_timer_fn(struct hrtimer *timer)
{
	struct sim_dp *dp = container_of(timer, struct sim_dp, nsp.timer);
	struct sim_nsp_pool *p = &dp->nsp;
	struct sim_inf *inf, *tmp;
	u64 now = ktime_get_ns();
	unsigned long flags;
	bool reap = false;
	LIST_HEAD(done);

	spin_lock_irqsave(&p->lock, flags);
	list_for_each_entry_safe(inf, tmp, &p->running, node) {
		if (inf->end > now)
			continue;
		release_nsps(p, inf, now);
		inf->t_nsp_end = now;
		list_move_tail(&inf->node, &done);
	}
	pool_schedule(p, now);
	spin_unlock_irqrestore(&p->lock, flags);

	list_for_each_entry_safe(inf, tmp, &done, node) {
		list_del_init(&inf->node);
		record_inf(dp, inf);
		if (!sim_dbc_signal(dp, inf)) {
			spin_lock_irqsave(&p->lock, flags);
			list_add_tail(&inf->node, &p->dead);
			spin_unlock_irqrestore(&p->lock, flags);
			reap = true;
		}
	}
	if (reap)
		queue_work(dp->wq, &p->reap);
	return HRTIMER_NORESTART;
}

static struct sim_net *find_net_db(struct sim_nsp_pool *p, u32 owner, u32 doorbell)
{
	struct sim_net *n;

	list_for_each_entry(n, &p->nets, node)
		if (n->owner == owner && n->doorbell == doorbell)
			return n;
	return NULL;
}

u64 sim_nsp_doorbell(struct sim_dp *dp, struct sim_dbc *d, u32 gen, u32 db_data, u64 now,
		     int *status)
{
	struct sim_nsp_pool *p = &dp->nsp;
	struct sim_inf *inf;
	unsigned long flags;
	struct sim_net *n;
	u64 in_addr, id;

	*status = 0;
	inf = kzalloc(sizeof(*inf), GFP_KERNEL);
	if (!inf) {
		*status = SIM_ST_NO_INPUT;
		return 0;
	}
	spin_lock_irqsave(&p->lock, flags);
	n = find_net_db(p, d->owner, db_data);
	if (!n) {
		spin_unlock_irqrestore(&p->lock, flags);
		kfree(inf);
		return 0;
	}
	inf->id = ++p->next_id;
	inf->dbc = d->id;
	inf->gen = gen;
	inf->owner = n->owner;
	inf->net_id = n->net_id;
	inf->nsp_count = n->nsp_count;
	inf->sem_index = n->sem_index;
	inf->in_bytes = n->in_bytes;
	inf->out_addr = n->out_addr;
	inf->out_bytes = n->out_bytes;
	inf->drawn_ns = sim_dist_draw(n, &n->rng);
	inf->t_doorbell = now;
	inf->snap_len = min(n->in_bytes, n->out_bytes);
	in_addr = n->in_addr;
	n->runs++;
	if (p->snap_bytes + inf->snap_len > NSP_MAX_SNAP_BYTES)
		inf->snap_len = 0;
	p->snap_bytes += inf->snap_len;
	spin_unlock_irqrestore(&p->lock, flags);

	/* the program reads its input now: later transfers may overwrite it */
	if (inf->snap_len) {
		inf->snap = kvmalloc(inf->snap_len, GFP_KERNEL);
		if (inf->snap && sim_ddr_read(dp->card, in_addr, inf->snap, inf->snap_len)) {
			kvfree(inf->snap);
			inf->snap = NULL;
		}
	}
	if (!inf->snap) {
		spin_lock_irqsave(&p->lock, flags);
		p->snap_bytes -= inf->snap_len;
		p->no_input++;
		spin_unlock_irqrestore(&p->lock, flags);
		inf->snap_len = 0;
	}

	id = inf->id;
	spin_lock_irqsave(&p->lock, flags);
	if (p->stopping) {
		spin_unlock_irqrestore(&p->lock, flags);
		sim_nsp_free_inf(dp, inf);
		return 0;
	}
	p->inferences++;
	list_add_tail(&inf->node, &p->waiting);
	pool_schedule(p, ktime_get_ns());
	spin_unlock_irqrestore(&p->lock, flags);
	return id;
}

/* Output byte k = in[k % in_bytes] ^ (u8)(k * 7 + 0x5a), 8 bytes at a time. */
static void fill_output(const struct sim_inf *inf, u64 k, u8 *buf, size_t n)
{
	u8 pat[256 + 8];
	u64 j = k % inf->in_bytes;
	size_t i = 0;
	unsigned int b;

	for (b = 0; b < sizeof(pat); b++)
		pat[b] = (u8)(b * 7 + 0x5a);
	while (i < n) {
		size_t run = min_t(u64, n - i, inf->in_bytes - j);
		size_t r = 0;

		for (; r + 8 <= run; r += 8) {
			u64 a, b;

			memcpy(&a, inf->snap + j + r, 8);
			memcpy(&b, pat + ((k + i + r) & 255), 8);
			a ^= b;
			memcpy(buf + i + r, &a, 8);
		}
		for (; r < run; r++)
			buf[i + r] = inf->snap[j + r] ^ pat[(k + i + r) & 255];
		i += run;
		j = 0;
	}
}

int sim_nsp_deliver(struct sim_dp *dp, struct sim_inf *inf, u8 *buf, size_t buf_len)
{
	u64 k;

	if (!inf->snap)
		return SIM_ST_NO_INPUT;
	for (k = 0; k < inf->out_bytes; k += buf_len) {
		size_t n = min_t(u64, buf_len, inf->out_bytes - k);
		int ret;

		fill_output(inf, k, buf, n);
		ret = sim_ddr_write(dp->card, inf->out_addr + k, buf, n);
		if (ret)
			return ret == -ENOMEM ? SIM_ST_DDR_FULL : SIM_ST_DDR_RANGE;
		cond_resched();
	}
	return 0;
}

void sim_nsp_cancel_dbc(struct sim_dp *dp, u32 dbc)
{
	struct sim_nsp_pool *p = &dp->nsp;
	struct sim_inf *inf, *tmp;
	u64 now = ktime_get_ns();
	unsigned long flags;
	LIST_HEAD(gone);

	spin_lock_irqsave(&p->lock, flags);
	list_for_each_entry_safe(inf, tmp, &p->running, node) {
		if (inf->dbc != dbc)
			continue;
		release_nsps(p, inf, now);
		list_move_tail(&inf->node, &gone);
		p->cancelled++;
	}
	list_for_each_entry_safe(inf, tmp, &p->waiting, node) {
		if (inf->dbc != dbc)
			continue;
		list_move_tail(&inf->node, &gone);
		p->cancelled++;
	}
	pool_schedule(p, now);
	spin_unlock_irqrestore(&p->lock, flags);
	free_list(dp, &gone);
	/* finished ones the DBC refused meanwhile */
	flush_work(&p->reap);
}

void sim_nsp_reset(struct sim_dp *dp)
{
	struct sim_nsp_pool *p = &dp->nsp;
	unsigned long flags;
	LIST_HEAD(gone);

	spin_lock_irqsave(&p->lock, flags);
	p->stopping = true;
	list_splice_init(&p->running, &gone);
	list_splice_init(&p->waiting, &gone);
	spin_unlock_irqrestore(&p->lock, flags);
	hrtimer_cancel(&p->timer);
	flush_work(&p->reap);

	spin_lock_irqsave(&p->lock, flags);
	list_splice_init(&p->dead, &gone);
	p->busy = 0;
	p->stopping = false;
	spin_unlock_irqrestore(&p->lock, flags);
	free_list(dp, &gone);
}

void sim_nsp_set_slow(struct sim_dp *dp, u32 nsp, u32 pct)
{
	struct sim_nsp_pool *p = &dp->nsp;
	unsigned long flags;

	spin_lock_irqsave(&p->lock, flags);
	p->slow_pct[nsp] = pct;
	spin_unlock_irqrestore(&p->lock, flags);
}

/* Networks: the QSM firmware loads and unloads them (process context). */

int sim_nsp_net_load(struct sim_card *card, u32 owner, const struct simnet_desc *desc)
{
	struct sim_nsp_pool *p = &card->dp->nsp;
	struct sim_net *n, *old;
	unsigned long flags;

	n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	n->owner = owner;
	n->net_id = le32_to_cpu(desc->net_id);
	n->doorbell = le32_to_cpu(desc->doorbell);
	n->nsp_count = le32_to_cpu(desc->nsp_count);
	n->sem_index = le32_to_cpu(desc->sem_index);
	n->dist = le32_to_cpu(desc->dist);
	n->alt_permille = le32_to_cpu(desc->alt_permille);
	n->in_addr = le64_to_cpu(desc->input_dev_addr);
	n->in_bytes = le64_to_cpu(desc->input_bytes);
	n->out_addr = le64_to_cpu(desc->output_dev_addr);
	n->out_bytes = le64_to_cpu(desc->output_bytes);
	n->mean_ns = le64_to_cpu(desc->mean_ns);
	n->stddev_ns = le64_to_cpu(desc->stddev_ns);
	n->alt_mean_ns = le64_to_cpu(desc->alt_mean_ns);
	n->alt_stddev_ns = le64_to_cpu(desc->alt_stddev_ns);
	n->rng = le32_to_cpu(desc->seed);

	spin_lock_irqsave(&p->lock, flags);
	list_for_each_entry(old, &p->nets, node) {
		if (old->owner == owner && old->net_id == n->net_id) {
			list_replace(&old->node, &n->node);
			spin_unlock_irqrestore(&p->lock, flags);
			kfree(old);
			return 0;
		}
	}
	list_add_tail(&n->node, &p->nets);
	p->nr_nets++;
	spin_unlock_irqrestore(&p->lock, flags);
	return 0;
}

void sim_nsp_net_unload(struct sim_card *card, u32 owner, u32 net_id, bool everyone)
{
	struct sim_nsp_pool *p = &card->dp->nsp;
	struct sim_net *n, *tmp;
	unsigned long flags;
	LIST_HEAD(gone);

	spin_lock_irqsave(&p->lock, flags);
	list_for_each_entry_safe(n, tmp, &p->nets, node) {
		if (everyone || (n->owner == owner && (net_id == U32_MAX || n->net_id == net_id))) {
			list_move(&n->node, &gone);
			p->nr_nets--;
		}
	}
	spin_unlock_irqrestore(&p->lock, flags);
	list_for_each_entry_safe(n, tmp, &gone, node)
		kfree(n);
}

int sim_nsp_init(struct sim_dp *dp)
{
	struct sim_nsp_pool *p = &dp->nsp;
	unsigned int i;

	spin_lock_init(&p->lock);
	INIT_LIST_HEAD(&p->nets);
	INIT_LIST_HEAD(&p->waiting);
	INIT_LIST_HEAD(&p->running);
	INIT_LIST_HEAD(&p->dead);
	INIT_WORK(&p->reap, reap_fn);
	hrtimer_init(&p->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	p->timer.function = pool_timer_fn;
	for (i = 0; i < QAIC_HW_NUM_NSP; i++)
		p->slow_pct[i] = 100;
	return 0;
}

void sim_nsp_fini(struct sim_dp *dp)
{
	struct sim_nsp_pool *p = &dp->nsp;
	struct sim_net *n, *tmp;

	sim_nsp_reset(dp);
	list_for_each_entry_safe(n, tmp, &p->nets, node) {
		list_del(&n->node);
		kfree(n);
	}
	p->nr_nets = 0;
}

static int nsp_show(struct seq_file *s, void *unused)
{
	struct sim_dp *dp = s->private;
	struct sim_nsp_pool *p = &dp->nsp;
	unsigned int i, nwait = 0, nrun = 0;
	u64 now = ktime_get_ns();
	struct sim_inf *inf;
	struct sim_net *n;
	unsigned long flags;

	spin_lock_irqsave(&p->lock, flags);
	list_for_each_entry(inf, &p->waiting, node)
		nwait++;
	list_for_each_entry(inf, &p->running, node)
		nrun++;
	seq_printf(s, "busy 0x%04x running %u waiting %u inferences %llu cancelled %llu no_input %llu snap_bytes %llu nets %u\n",
		   p->busy, nrun, nwait, p->inferences, p->cancelled, p->no_input,
		   p->snap_bytes, p->nr_nets);
	for (i = 0; i < QAIC_HW_NUM_NSP; i++) {
		u64 busy = p->busy_ns[i];
		u64 inf_id = 0;

		list_for_each_entry(inf, &p->running, node) {
			if (inf->nsp_mask & BIT(i)) {
				busy += now - inf->t_nsp_start;
				inf_id = inf->id;
			}
		}
		seq_printf(s, "nsp %u busy %u inf %llu runs %llu busy_ns %llu slow_pct %u\n", i,
			   !!(p->busy & BIT(i)), inf_id, p->runs[i], busy, p->slow_pct[i]);
	}
	list_for_each_entry(inf, &p->running, node)
		seq_printf(s, "run inf %llu dbc %u net %u nsps 0x%04x started %llu ends_in_ns %lld\n",
			   inf->id, inf->dbc, inf->net_id, inf->nsp_mask, inf->t_nsp_start,
			   (s64)(inf->end - now));
	list_for_each_entry(inf, &p->waiting, node)
		seq_printf(s, "wait inf %llu dbc %u net %u nsp_count %u since %llu\n",
			   inf->id, inf->dbc, inf->net_id, inf->nsp_count, inf->t_doorbell);
	list_for_each_entry(n, &p->nets, node)
		seq_printf(s, "net %u owner %u doorbell 0x%x nsp %u sem %u dist %u mean_ns %llu stddev_ns %llu runs %llu\n",
			   n->net_id, n->owner, n->doorbell, n->nsp_count, n->sem_index, n->dist,
			   n->mean_ns, n->stddev_ns, n->runs);
	spin_unlock_irqrestore(&p->lock, flags);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nsp);

void sim_nsp_debugfs_init(struct sim_dp *dp, struct dentry *dir)
{
	debugfs_create_file("nsp", 0400, dir, dp, &nsp_fops);
}
