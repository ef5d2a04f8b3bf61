// SPDX-License-Identifier: GPL-2.0-only
/*
 * Faults on demand. Each debugfs file arms a fault for the next control
 * replies; tests write a count and watch the driver recover.
 *
 *   fault/drop_replies     N: the next N NNC replies are never sent
 *   fault/corrupt_replies  N: the next N replies go out with a bad magic
 *   fault/delay_reply_ms   delay every reply by this many ms (0 = off)
 *   fault/hold_replies     N: each of the next N replies is held back and sent
 *                          just after the reply to the following request, so
 *                          the host sees two replies out of order
 *   fault/syserr_on_request N: the next N requests raise SYS_ERR instead
 *   fault/syserr           write anything: raise SYS_ERR now
 *
 * SYS_ERR stops the DMA bridge first (a crashed card moves no more data).
 * The data-path faults (dbc_stall, dbc_drop_msi, dbc_error, nsp_slow) are
 * in sim_dbc_fault.c.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/slab.h>

#include "sim.h"

struct sim_fault {
	atomic_t drop_replies;
	atomic_t corrupt_replies;
	atomic_t syserr_on_request;
	atomic_t hold_replies;
	u32 delay_reply_ms;
};

int sim_fault_init(struct sim_card *card)
{
	card->fault = kzalloc(sizeof(*card->fault), GFP_KERNEL);
	return card->fault ? 0 : -ENOMEM;
}

void sim_fault_fini(struct sim_card *card)
{
	kfree(card->fault);
	card->fault = NULL;
}

/* Decrement *v if it is positive; true if a fault was taken. */
static bool take_one(atomic_t *v)
{
	return atomic_dec_if_positive(v) >= 0;
}

enum sim_reply_fault sim_fault_next_reply(struct sim_card *card, unsigned int *delay_ms)
{
	struct sim_fault *f = card->fault;

	*delay_ms = READ_ONCE(f->delay_reply_ms);
	if (take_one(&f->syserr_on_request))
		return SIM_REPLY_SYSERR;
	if (take_one(&f->drop_replies))
		return SIM_REPLY_DROP;
	if (take_one(&f->corrupt_replies))
		return SIM_REPLY_CORRUPT;
	if (take_one(&f->hold_replies))
		return SIM_REPLY_HOLD;
	return SIM_REPLY_SEND;
}

static int atomic_get(void *data, u64 *val)
{
	*val = atomic_read((atomic_t *)data);
	return 0;
}

static int atomic_set_count(void *data, u64 val)
{
	if (val > INT_MAX)
		return -EINVAL;
	atomic_set((atomic_t *)data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(fops_count, atomic_get, atomic_set_count, "%llu\n");

static ssize_t syserr_write(struct file *file, const char __user *buf, size_t len, loff_t *ppos)
{
	struct sim_card *card = file->private_data;

	sim_dbc_halt(card);
	sim_mhi_raise_syserr(card);
	return len;
}

static const struct file_operations fops_syserr = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = syserr_write,
	.llseek = noop_llseek,
};

void sim_fault_debugfs_init(struct sim_card *card)
{
	struct sim_fault *f = card->fault;
	struct dentry *dir = debugfs_create_dir("fault", card->debugfs);

	debugfs_create_file_unsafe("drop_replies", 0600, dir, &f->drop_replies, &fops_count);
	debugfs_create_file_unsafe("corrupt_replies", 0600, dir, &f->corrupt_replies,
				   &fops_count);
	debugfs_create_file_unsafe("syserr_on_request", 0600, dir, &f->syserr_on_request,
				   &fops_count);
	debugfs_create_file_unsafe("hold_replies", 0600, dir, &f->hold_replies, &fops_count);
	debugfs_create_u32("delay_reply_ms", 0600, dir, &f->delay_reply_ms);
	debugfs_create_file("syserr", 0200, dir, card, &fops_syserr);
	sim_dbc_fault_debugfs_init(card, dir);
}
