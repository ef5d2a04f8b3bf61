// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ground truth, for tests: what really happened on the simulated card, in
 * a ring of the last truth_records records, read through debugfs
 * card<N>/truth. Reads do not consume; writing "clear" (or "0") empties
 * the ring (sequence numbers go on). Two record types, one line each, all
 * times ktime_get_ns() (CLOCK_MONOTONIC), 0 where a step did not happen:
 *
 * R: one request, i.e. the elements of a DBC up to and including one with
 *    QAIC_REQ_COMPLETION (one slice of one BO execution), when its
 *    response element was written
 *	R seq dbc req_id owner dir bytes elems t_queued t_start t_dma_start
 *	  t_dma_end t_doorbell t_rsp status msi inf_started inf_consumed
 *    dir: 0 none, 1 to device, 2 from device, 3 both; t_queued: the REQTP
 *    write that covered its first element; t_start: its first element
 *    picked up (presync satisfied); t_dma_start: modelled start of its
 *    first transfer on the link; t_dma_end: end of its last transfer
 *    (model end or copy done, whichever came later); t_rsp: response
 *    written; msi: 1 if this response raised the DBC's MSI;
 *    inf_started: the inference its doorbell started; inf_consumed: the
 *    inference whose semaphore signal its P took (0: none)
 *
 * I: one inference, when it frees its NSPs
 *	I seq inf dbc owner net_id nsp_count nsp_mask slow_pct drawn_ns
 *	  compute_ns t_doorbell t_nsp_start t_nsp_end
 *    drawn_ns: from the network's distribution; compute_ns: after the
 *    slow-NSP fault (slow_pct, 100 = nominal); t_nsp_end: NSPs freed and
 *    the semaphore signalled (>= t_nsp_start + compute_ns)
 *
 * The file starts with '#' lines: counts and these two layouts.
 */
#include <linux/debugfs.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "sim_dp.h"

static unsigned int truth_records = 65536;
module_param(truth_records, uint, 0444);
MODULE_PARM_DESC(truth_records, "Ground-truth records kept per card (default 65536, min 1024)");

int sim_truth_init(struct sim_dp *dp)
{
	struct sim_truth *t = &dp->truth;

	spin_lock_init(&t->lock);
	t->size = max_t(u32, truth_records, 1024);
	t->ring = vcalloc(t->size, sizeof(*t->ring));
	if (!t->ring)
		return -ENOMEM;
	t->next_seq = 1;
	return 0;
}

void sim_truth_fini(struct sim_dp *dp)
{
	vfree(dp->truth.ring);
	dp->truth.ring = NULL;
}

/* Any context. Sets rec->seq. */
void sim_truth_add(struct sim_dp *dp, struct sim_truth_rec *rec)
{
	struct sim_truth *t = &dp->truth;
	unsigned long flags;

	spin_lock_irqsave(&t->lock, flags);
	rec->seq = t->next_seq++;
	t->ring[rec->seq % t->size] = *rec;
	if (t->count == t->size)
		t->overwritten++;
	else
		t->count++;
	spin_unlock_irqrestore(&t->lock, flags);
}

/* Copy the record with the lowest seq >= *pos into @rec; false if none. */
static bool truth_fetch(struct sim_truth *t, loff_t *pos, struct sim_truth_rec *rec)
{
	unsigned long flags;
	bool found = false;
	u64 oldest;

	spin_lock_irqsave(&t->lock, flags);
	oldest = t->next_seq - t->count;
	if (*pos < oldest)
		*pos = oldest;
	if (*pos < t->next_seq) {
		*rec = t->ring[*pos % t->size];
		found = true;
	}
	spin_unlock_irqrestore(&t->lock, flags);
	return found;
}

struct truth_iter {
	struct sim_truth *t;
	struct sim_truth_rec rec;
};

static void *truth_start(struct seq_file *m, loff_t *pos)
{
	struct truth_iter *it = m->private;

	if (!*pos)
		return SEQ_START_TOKEN;
	return truth_fetch(it->t, pos, &it->rec) ? &it->rec : NULL;
}

static void *truth_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct truth_iter *it = m->private;

	if (v == SEQ_START_TOKEN)
		*pos = 1;
	else
		*pos = it->rec.seq + 1;
	return truth_fetch(it->t, pos, &it->rec) ? &it->rec : NULL;
}

static void truth_stop(struct seq_file *m, void *v)
{
}

static int truth_show(struct seq_file *m, void *v)
{
	struct truth_iter *it = m->private;
	const struct sim_truth_rec *rec = v;

	if (v == SEQ_START_TOKEN) {
		struct sim_truth *t = it->t;
		unsigned long flags;
		u64 next, count, lost;

		spin_lock_irqsave(&t->lock, flags);
		next = t->next_seq;
		count = t->count;
		lost = t->overwritten;
		spin_unlock_irqrestore(&t->lock, flags);
		seq_printf(m, "# qaic_sim truth v1 records %llu first_seq %llu next_seq %llu capacity %u overwritten %llu\n",
			   count, next - count, next, t->size, lost);
		seq_puts(m, "# R seq dbc req_id owner dir bytes elems t_queued t_start t_dma_start t_dma_end t_doorbell t_rsp status msi inf_started inf_consumed\n");
		seq_puts(m, "# I seq inf dbc owner net_id nsp_count nsp_mask slow_pct drawn_ns compute_ns t_doorbell t_nsp_start t_nsp_end\n");
		return 0;
	}
	if (rec->type == SIM_TRUTH_REQ) {
		const struct sim_truth_req *r = &rec->r;

		seq_printf(m, "R %llu %u %u %u %u %llu %u %llu %llu %llu %llu %llu %llu %u %u %llu %llu\n",
			   rec->seq, r->dbc, r->req_id, r->owner, r->dir, r->bytes, r->elems,
			   r->t_queued, r->t_start, r->t_dma_start, r->t_dma_end, r->t_doorbell,
			   r->t_rsp, r->status, r->msi, r->inf_started, r->inf_consumed);
	} else {
		const struct sim_truth_inf *i = &rec->i;

		seq_printf(m, "I %llu %llu %u %u %u %u 0x%04x %u %llu %llu %llu %llu %llu\n",
			   rec->seq, i->id, i->dbc, i->owner, i->net_id, i->nsp_count, i->nsp_mask,
			   i->slow_pct, i->drawn_ns, i->compute_ns, i->t_doorbell, i->t_nsp_start,
			   i->t_nsp_end);
	}
	return 0;
}

static const struct seq_operations truth_sops = {
	.start = truth_start,
	.next = truth_next,
	.stop = truth_stop,
	.show = truth_show,
};

static int truth_open(struct inode *inode, struct file *file)
{
	struct truth_iter *it;

	it = __seq_open_private(file, &truth_sops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->t = inode->i_private;
	return 0;
}

static ssize_t truth_write(struct file *file, const char __user *ubuf, size_t len, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct truth_iter *it = m->private;
	struct sim_truth *t = it->t;
	unsigned long flags;
	char buf[8] = {};

	if (copy_from_user(buf, ubuf, min(len, sizeof(buf) - 1)))
		return -EFAULT;
	if (!sysfs_streq(buf, "clear") && !sysfs_streq(buf, "0"))
		return -EINVAL;
	spin_lock_irqsave(&t->lock, flags);
	t->count = 0;
	spin_unlock_irqrestore(&t->lock, flags);
	return len;
}

static const struct file_operations truth_fops = {
	.owner = THIS_MODULE,
	.open = truth_open,
	.read = seq_read,
	.write = truth_write,
	.llseek = seq_lseek,
	.release = seq_release_private,
};

void sim_truth_debugfs_init(struct sim_dp *dp, struct dentry *dir)
{
	debugfs_create_file("truth", 0600, dir, &dp->truth, &truth_fops);
}
