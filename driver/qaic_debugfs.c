// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs: <debugfs>/qaic/<card>/
 *   state      device state, NNC version, control-path counters, BOs alive
 *              and DMA-mapped (data path leak checks)
 *   timesync   clock offset, last round trip, samples
 *   dbc        one line per DBC: id, state, owner, queue size, memory
 *   dbc<N>     DBC N's data path: FIFO size and pointers, queued BOs and
 *              elements, the oldest request in flight and its age, counters
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "qaic.h"

static struct dentry *qaic_debugfs_root;

static int state_show(struct seq_file *s, void *unused)
{
	struct qaic_device *qdev = s->private;

	seq_printf(s, "state %s\nnnc %u.%u\nreplies %lld\ntimeouts %lld\nbad_replies %lld\n",
		   qaic_state_name(READ_ONCE(qdev->dev_state)), qdev->nnc_major,
		   qdev->nnc_minor, atomic64_read(&qdev->cntl_replies),
		   atomic64_read(&qdev->cntl_timeouts),
		   atomic64_read(&qdev->cntl_bad_replies));
	seq_printf(s, "bos %d\nbo_mappings %d\n", atomic_read(&qdev->nr_bos),
		   atomic_read(&qdev->nr_bo_mappings));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(state);

static int timesync_show(struct seq_file *s, void *unused)
{
	struct qaic_device *qdev = s->private;
	u64 rtt, count;
	s64 offset;

	spin_lock_irq(&qdev->ts_lock);
	offset = qdev->clock_offset_ns;
	rtt = qdev->ts_rtt_ns;
	count = qdev->ts_count;
	spin_unlock_irq(&qdev->ts_lock);
	seq_printf(s, "offset_ns %lld\nrtt_ns %llu\nsamples %llu\n", offset, rtt, count);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(timesync);

static int dbc_show(struct seq_file *s, void *unused)
{
	struct qaic_device *qdev = s->private;
	u32 i;

	seq_puts(s, "dbc state    tgid    comm             handle  nelem  bytes\n");
	mutex_lock(&qdev->dbc_mutex);
	for (i = 0; i < QAIC_HW_NUM_DBC; i++) {
		struct qaic_dbc *dbc = &qdev->dbc[i];
		struct qaic_user *usr = dbc->usr;

		seq_printf(s, "%-3u %-8s %-7d %-16s %-7u %-6u %u\n", i,
			   dbc->in_use ? "assigned" : "free", usr ? usr->tgid : 0,
			   usr ? usr->comm : "-", dbc->user_handle, dbc->nelem,
			   dbc->total_size);
	}
	mutex_unlock(&qdev->dbc_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dbc);

static int dbc_data_show(struct seq_file *s, void *unused)
{
	qaic_dbc_data_show(s, s->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dbc_data);

void qaic_debugfs_register(void)
{
	qaic_debugfs_root = debugfs_create_dir("qaic", NULL);
}

void qaic_debugfs_unregister(void)
{
	debugfs_remove_recursive(qaic_debugfs_root);
	qaic_debugfs_root = NULL;
}

void qaic_debugfs_init(struct qaic_device *qdev)
{
	u32 i;

	qdev->debugfs = debugfs_create_dir(qdev->hw->name, qaic_debugfs_root);
	debugfs_create_file("state", 0400, qdev->debugfs, qdev, &state_fops);
	debugfs_create_file("timesync", 0400, qdev->debugfs, qdev, &timesync_fops);
	debugfs_create_file("dbc", 0400, qdev->debugfs, qdev, &dbc_fops);
	for (i = 0; i < QAIC_HW_NUM_DBC; i++) {
		char name[8];

		snprintf(name, sizeof(name), "dbc%u", i);
		debugfs_create_file(name, 0400, qdev->debugfs, &qdev->dbc[i], &dbc_data_fops);
	}
}

void qaic_debugfs_fini(struct qaic_device *qdev)
{
	debugfs_remove_recursive(qdev->debugfs);
	qdev->debugfs = NULL;
}
