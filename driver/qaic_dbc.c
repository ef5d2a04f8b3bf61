// SPDX-License-Identifier: GPL-2.0-only
/*
 * The data-path life of a DBC: started when the device assigns it to a
 * client (ACTIVATE), stopped before its queue memory is freed (DEACTIVATE,
 * the owner closing its file, device reset or removal). Stopping fails every
 * queued BO (their waiters wake), and unmaps and detaches every BO sliced
 * onto the DBC, so nothing of it outlives the queue memory.
 */
#include <linux/dma-mapping.h>
#include <linux/seq_file.h>
#include <drm/drm_managed.h>

#include "qaic.h"
#include "qaic_data.h"
#include "qaic_trace.h"

u32 qaic_dbc_read(struct qaic_dbc *dbc, u32 reg)
{
	struct qaic_hw *hw = dbc->qdev->hw;

	return hw->ops->dbc_read(hw, QAIC_DBC_REG(dbc->id, reg));
}

void qaic_dbc_write(struct qaic_dbc *dbc, u32 reg, u32 val)
{
	struct qaic_hw *hw = dbc->qdev->hw;

	hw->ops->dbc_write(hw, QAIC_DBC_REG(dbc->id, reg), val);
}

/* DBC @dbc_id of the card, or NULL if there is none of that number. */
struct qaic_dbc *qaic_dbc_of(struct qaic_device *qdev, u32 dbc_id)
{
	return dbc_id < QAIC_HW_NUM_DBC ? &qdev->dbc[dbc_id] : NULL;
}

/*
 * Does @usr own @dbc's data path? Asked inside dbc->dp.srcu, whose read
 * section then keeps the answer (and the queue memory) valid.
 */
bool qaic_dbc_owned(struct qaic_dbc *dbc, struct qaic_user *usr)
{
	/* Pairs with the release in qaic_dbc_data_start(): queue fields are set. */
	return smp_load_acquire(&dbc->dp.usr) == usr;
}

/* Charge the busy period that ends at @now. Under xfer_lock. */
static void busy_end(struct qaic_dbc *dbc, u64 now)
{
	struct qaic_dbc_data *dp = &dbc->dp;

	if (!list_empty(&dp->xfer_list) || !dp->busy_since)
		return;
	if (dp->owner && now > dp->busy_since)
		dp->owner->busy_ns[dbc->id] += now - dp->busy_since;
	dp->busy_since = 0;
}

/* Busy time of the DBC charged to @usr, the running period included. */
u64 qaic_dbc_busy_ns(struct qaic_dbc *dbc, struct qaic_user *usr)
{
	struct qaic_dbc_data *dp = &dbc->dp;
	u64 ns, now = ktime_get_ns();

	spin_lock(&dp->xfer_lock);
	ns = usr->busy_ns[dbc->id];
	if (dp->owner == usr && dp->busy_since && now > dp->busy_since)
		ns += now - dp->busy_since;
	spin_unlock(&dp->xfer_lock);
	return ns;
}

/*
 * @bo is done: every slice answered (the last seen at @seen), or
 * (bo->result < 0) its DBC went away. Under xfer_lock.
 */
void qaic_bo_complete(struct qaic_dbc *dbc, struct qaic_bo *bo, u64 seen)
{
	struct qaic_dbc_data *dp = &dbc->dp;

	list_del_init(&bo->xfer_node);
	bo->queued = false;
	dp->queued_bos--;
	dp->queued_nents -= bo->queued_nents;
	bo->processed_ts = seen;
	dma_sync_sgtable_for_cpu(dbc->qdev->hw->dma_dev, bo->sgt,
				 bo->base.import_attach ? bo->import_dir : bo->dir);
	trace_qaic_bo_complete(dbc->qdev->minor, dbc->id, bo->req_id, bo->seq, bo->handle,
			       bo->result ?: bo->dev_status, bo->received_ts, bo->submit_ts, seen,
			       ktime_get_ns());
	if (bo->result) {
		/* Never ran: no statistics, as upstream. */
		bo->received_ts = 0;
		bo->submit_ts = 0;
		bo->processed_ts = 0;
		bo->queue_level_before = 0;
	} else {
		dp->nr_completed++;
		if (seen > dp->last_completion_ns)
			dp->last_completion_ns = seen;
	}
	complete_all(&bo->xfer_done);
	busy_end(dbc, seen);
}

void qaic_dbc_data_start(struct qaic_dbc *dbc, struct qaic_user *usr)
{
	struct qaic_dbc_data *dp = &dbc->dp;

	spin_lock(&dp->xfer_lock);
	dp->owner = usr;
	dp->last_completion_ns = 0;	/* none since this assignment */
	spin_unlock(&dp->xfer_lock);
	/* The queue fields of dbc are set: publish the owner. */
	smp_store_release(&dp->usr, usr);
}

/*
 * Stop the data path of @dbc; @status is why: 0 (the owner released it),
 * -EIO (device reset) or -ENODEV (removal). Queued BOs complete with that
 * reason (-ECANCELED for 0) and WAIT_BO returns -EPERM for them.
 */
void qaic_dbc_data_stop(struct qaic_dbc *dbc, int status)
{
	struct qaic_dbc_data *dp = &dbc->dp;
	int why = status ?: -ECANCELED;
	struct qaic_bo *bo;
	u64 now;

	WRITE_ONCE(dp->usr, NULL);
	/* No ioctl, handler or polling work uses the DBC after this. */
	synchronize_srcu(&dp->srcu);
	cancel_work_sync(&dp->poll_work);

	now = ktime_get_ns();
	spin_lock(&dp->xfer_lock);
	while ((bo = list_first_entry_or_null(&dp->xfer_list, struct qaic_bo, xfer_node))) {
		bo->result = why;
		qaic_bo_complete(dbc, bo, now);
	}
	spin_unlock(&dp->xfer_lock);

	for (;;) {
		spin_lock(&dp->xfer_lock);
		bo = list_first_entry_or_null(&dp->bo_list, struct qaic_bo, dbc_node);
		if (bo)
			drm_gem_object_get(&bo->base);
		spin_unlock(&dp->xfer_lock);
		if (!bo)
			break;
		mutex_lock(&bo->lock);
		if (bo->sliced && bo->dbc == dbc) {
			qaic_bo_detach(bo);
		} else {
			spin_lock(&dp->xfer_lock);
			list_del_init(&bo->dbc_node);
			spin_unlock(&dp->xfer_lock);
		}
		mutex_unlock(&bo->lock);
		drm_gem_object_put(&bo->base);
	}

	spin_lock(&dp->xfer_lock);
	dp->owner = NULL;
	spin_unlock(&dp->xfer_lock);
}

/* debugfs <card>/dbc<N>: the DBC's queue as the driver sees it. */
void qaic_dbc_data_show(struct seq_file *s, struct qaic_dbc *dbc)
{
	struct qaic_device *qdev = dbc->qdev;
	struct qaic_dbc_data *dp = &dbc->dp;
	u32 nelem, handle, sliced = 0, bos, nents;
	u64 now, oldest_seq = 0, oldest_age = 0;
	struct qaic_bo *bo, *oldest;
	char comm[TASK_COMM_LEN];
	pid_t tgid = 0;
	bool in_use;

	mutex_lock(&qdev->dbc_mutex);
	in_use = dbc->in_use;
	nelem = dbc->nelem;
	handle = dbc->user_handle;
	strscpy(comm, dbc->usr ? dbc->usr->comm : "-", sizeof(comm));
	if (dbc->usr)
		tgid = dbc->usr->tgid;
	mutex_unlock(&qdev->dbc_mutex);

	seq_printf(s, "dbc %u\nstate %s\nowner %d %s\nuser %u\nfifo_size %u\n", dbc->id,
		   in_use ? "assigned" : "free", tgid, comm, handle, nelem);
	if (in_use)
		seq_printf(s, "req_head %u\nreq_tail %u\nrsp_head %u\nrsp_tail %u\n",
			   qaic_dbc_read(dbc, QAIC_DBC_REQHP), qaic_dbc_read(dbc, QAIC_DBC_REQTP),
			   qaic_dbc_read(dbc, QAIC_DBC_RSPHP), qaic_dbc_read(dbc, QAIC_DBC_RSPTP));

	now = ktime_get_ns();
	spin_lock(&dp->xfer_lock);
	bos = dp->queued_bos;
	nents = dp->queued_nents;
	oldest = list_first_entry_or_null(&dp->xfer_list, struct qaic_bo, xfer_node);
	if (oldest) {
		oldest_seq = oldest->seq;
		if (oldest->submit_ts && now > oldest->submit_ts)
			oldest_age = now - oldest->submit_ts;
	}
	list_for_each_entry(bo, &dp->bo_list, dbc_node)
		sliced++;
	seq_printf(s, "queued_bos %u\nqueued_elements %u\nsliced_bos %u\nnext_seq %llu\n", bos,
		   nents, sliced, dp->next_seq);
	if (oldest)
		seq_printf(s, "oldest_seq %llu\noldest_req_id %u\noldest_age_ns %llu\n",
			   oldest_seq, (u16)oldest_seq, oldest_age);
	seq_printf(s, "submitted %llu\ncompleted %llu\nlast_completion_ns %llu\n", dp->nr_submitted,
		   dp->nr_completed, dp->last_completion_ns);
	seq_printf(s, "device_errors %llu\nunmatched_responses %llu\nirqs %llu\neagain %llu\n",
		   dp->nr_dev_errors, dp->nr_unmatched, dp->nr_irqs, dp->nr_eagain);
	spin_unlock(&dp->xfer_lock);
	seq_printf(s, "irq %d\nirq_shared %d\npolling %d\n", dp->irq, dp->shared_irq,
		   datapath_polling);
}

static void qaic_dbc_data_release(struct drm_device *ddev, void *data)
{
	struct qaic_device *qdev = data;
	u32 i;

	/* Last reference to the device: no reader can enter any more. */
	for (i = 0; i < QAIC_HW_NUM_DBC; i++) {
		cleanup_srcu_struct(&qdev->dbc[i].dp.srcu);
		mutex_destroy(&qdev->dbc[i].dp.req_lock);
	}
}

int qaic_dbc_data_init(struct qaic_device *qdev)
{
	u32 i;
	int ret;

	for (i = 0; i < QAIC_HW_NUM_DBC; i++) {
		struct qaic_dbc_data *dp = &qdev->dbc[i].dp;

		ret = init_srcu_struct(&dp->srcu);
		if (ret)
			goto undo;
		mutex_init(&dp->req_lock);
		spin_lock_init(&dp->xfer_lock);
		INIT_LIST_HEAD(&dp->xfer_list);
		INIT_LIST_HEAD(&dp->bo_list);
		qaic_dbc_poll_init(&qdev->dbc[i]);
	}
	return drmm_add_action_or_reset(qdev->ddev, qaic_dbc_data_release, qdev);

undo:
	while (i--) {
		cleanup_srcu_struct(&qdev->dbc[i].dp.srcu);
		mutex_destroy(&qdev->dbc[i].dp.req_lock);
	}
	return ret;
}
