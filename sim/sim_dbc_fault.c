// SPDX-License-Identifier: GPL-2.0-only
/*
 * Data-path faults, next to the control-path ones in <card>/fault/. Each
 * file takes a line of decimal numbers separated by blanks, as many as the
 * file wants and nothing else (-EINVAL otherwise, as for a number out of
 * range); reading it shows what is armed.
 *
 *   dbc_stall     "DBC 1": the DBC stops taking request elements (the one in
 *                 hand finishes); "DBC 0" lets it go on (no other value)
 *   dbc_drop_msi  "DBC N": the next N MSIs of the DBC are not raised (the
 *                 responses are still written)
 *   dbc_error     "DBC N STATUS": the next N responses of the DBC carry
 *                 completion code STATUS (1..65535) instead of their own
 *   nsp_slow      "NSP PCT": inferences that start on that NSP take PCT % of
 *                 their drawn compute time (100 = nominal, 1..100000)
 *
 * Faults stay armed across DEACTIVATE, ACTIVATE and device resets until
 * they are used up or cleared (write 0).
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "sim_dp.h"

enum dp_fault {
	FAULT_STALL,
	FAULT_DROP_MSI,
	FAULT_ERROR,
	FAULT_NSP_SLOW,
};

struct dp_fault_file {
	const char *name;
	enum dp_fault kind;
	unsigned int nargs;
};

static const struct dp_fault_file files[] = {
	{ "dbc_stall", FAULT_STALL, 2 },
	{ "dbc_drop_msi", FAULT_DROP_MSI, 2 },
	{ "dbc_error", FAULT_ERROR, 3 },
	{ "nsp_slow", FAULT_NSP_SLOW, 2 },
};

static int apply(struct sim_dp *dp, enum dp_fault kind, const u32 *a)
{
	unsigned long flags;
	struct sim_dbc *d;
	bool kick = false;

	if (kind == FAULT_NSP_SLOW) {
		if (a[0] >= QAIC_HW_NUM_NSP || !a[1] || a[1] > 100000)
			return -EINVAL;
		sim_nsp_set_slow(dp, a[0], a[1]);
		return 0;
	}
	if (a[0] >= QAIC_HW_NUM_DBC)
		return -EINVAL;
	d = &dp->dbc[a[0]];
	spin_lock_irqsave(&d->lock, flags);
	switch (kind) {
	case FAULT_STALL:
		if (a[1] > 1) {
			spin_unlock_irqrestore(&d->lock, flags);
			return -EINVAL;
		}
		kick = d->stalled && !a[1];
		d->stalled = a[1];
		break;
	case FAULT_DROP_MSI:
		d->drop_msi = a[1];
		break;
	case FAULT_ERROR:
		if (a[1] && (!a[2] || a[2] > U16_MAX)) {
			spin_unlock_irqrestore(&d->lock, flags);
			return -EINVAL;
		}
		d->err_count = a[1];
		d->err_status = a[2];
		break;
	default:
		break;
	}
	spin_unlock_irqrestore(&d->lock, flags);
	if (kick)
		sim_dbc_kick(d);
	return 0;
}

/*
 * A line of at most @max decimal numbers separated by blanks, nothing else
 * (sscanf() would take "1 400x" and wrap "1 4294967696" to 400): returns
 * how many, or -EINVAL.
 */
static int parse_numbers(char *buf, u32 *a, unsigned int max)
{
	unsigned int n = 0;
	char *tok;

	while ((tok = strsep(&buf, " \t\n"))) {
		if (!*tok)
			continue;
		if (n == max || kstrtou32(tok, 10, &a[n]))
			return -EINVAL;
		n++;
	}
	return n;
}

static ssize_t fault_write(struct file *file, const char __user *ubuf, size_t len, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct sim_dp_fault_file *ctx = m->private;
	u32 a[3] = {};
	char buf[64];
	int n, ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	n = parse_numbers(buf, a, ARRAY_SIZE(a));
	if (n < 0)
		return n;
	/* a count of 0 clears dbc_error: the status may be left out */
	if (n != ctx->file->nargs && !(ctx->file->kind == FAULT_ERROR && n == 2 && !a[1]))
		return -EINVAL;
	ret = apply(ctx->dp, ctx->file->kind, a);
	return ret ? ret : len;
}

static int fault_show(struct seq_file *s, void *unused)
{
	struct sim_dp_fault_file *ctx = s->private;
	struct sim_dp *dp = ctx->dp;
	unsigned long flags;
	unsigned int i;

	if (ctx->file->kind == FAULT_NSP_SLOW) {
		spin_lock_irqsave(&dp->nsp.lock, flags);
		for (i = 0; i < QAIC_HW_NUM_NSP; i++)
			if (dp->nsp.slow_pct[i] != 100)
				seq_printf(s, "%u %u\n", i, dp->nsp.slow_pct[i]);
		spin_unlock_irqrestore(&dp->nsp.lock, flags);
		return 0;
	}
	for (i = 0; i < QAIC_HW_NUM_DBC; i++) {
		struct sim_dbc *d = &dp->dbc[i];
		u32 v1, v2;

		spin_lock_irqsave(&d->lock, flags);
		v1 = ctx->file->kind == FAULT_STALL ? d->stalled :
		     ctx->file->kind == FAULT_DROP_MSI ? d->drop_msi : d->err_count;
		v2 = d->err_status;
		spin_unlock_irqrestore(&d->lock, flags);
		if (!v1)
			continue;
		if (ctx->file->kind == FAULT_ERROR)
			seq_printf(s, "%u %u %u\n", i, v1, v2);
		else
			seq_printf(s, "%u %u\n", i, v1);
	}
	return 0;
}

static int fault_open(struct inode *inode, struct file *file)
{
	return single_open(file, fault_show, inode->i_private);
}

static const struct file_operations fault_fops = {
	.owner = THIS_MODULE,
	.open = fault_open,
	.read = seq_read,
	.write = fault_write,
	.llseek = seq_lseek,
	.release = single_release,
};

void sim_dbc_fault_debugfs_init(struct sim_card *card, struct dentry *dir)
{
	struct sim_dp *dp = card->dp;
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(files) != ARRAY_SIZE(dp->faults));
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		dp->faults[i].dp = dp;
		dp->faults[i].file = &files[i];
		debugfs_create_file(files[i].name, 0600, dir, &dp->faults[i], &fault_fops);
	}
}
