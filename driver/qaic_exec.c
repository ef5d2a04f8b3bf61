// SPDX-License-Identifier: GPL-2.0-only
/*
 * EXECUTE_BO, PARTIAL_EXECUTE_BO, WAIT_BO and PERF_STATS_BO.
 *
 * An execute copies the pre-encoded elements of every BO of the batch into
 * the request FIFO after the tail (wrapping at the end of the ring), then
 * writes the tail register once. Either the whole batch goes or none of it:
 * a BO that is not sliced onto this DBC or is already queued (-EINVAL), or a
 * FIFO without room (-EAGAIN) undoes the BOs copied before it. Each BO gets
 * the next number of the DBC's 64-bit sequence; its low 16 bits are the
 * request id the device echoes in the response element (one per slice).
 *
 * PERF_STATS_BO reports the last execution of each BO as upstream does, from
 * ktime_get_ns() at ioctl entry, just before the tail write ("submit") and
 * when the completion was seen ("processed").
 */
#include <linux/math64.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "qaic_accel.h"
#include "qaic.h"
#include "qaic_data.h"
#include "qaic_trace.h"

static unsigned int wait_exec_default_timeout_ms = 5000;
module_param(wait_exec_default_timeout_ms, uint, 0600);
MODULE_PARM_DESC(wait_exec_default_timeout_ms,
		 "WAIT_BO timeout in ms when the ioctl passes 0 (default 5000)");

/* Free elements of a ring of @nelem with the given head and tail. */
static u32 fifo_room(u32 head, u32 tail, u32 nelem)
{
	return head > tail ? head - tail - 1 : nelem - (tail - head) - 1;
}

static void fifo_put(struct qaic_dbc *dbc, u32 *tail, const struct qaic_dbc_req *req, u16 req_id)
{
	struct qaic_dbc_req *slot = dbc->req_q_base + *tail * QAIC_DBC_REQ_ELEM_SIZE;

	memcpy(slot, req, sizeof(*slot));
	slot->req_id = cpu_to_le16(req_id);
	*tail = *tail + 1 == dbc->nelem ? 0 : *tail + 1;
}

/*
 * Queue the elements of @slice, all of it or, for a partial execute, the
 * part below @resize bytes of the BO: the elements wholly inside, then the
 * last element (completion, postsync, doorbell) carrying what is left of
 * the element the cut falls in; nothing left means no transfer at all.
 * Returns the elements queued or -EAGAIN; @bytes gets the bytes they move.
 */
static int put_slice(struct qaic_dbc *dbc, struct qaic_slice *slice, bool partial, u64 resize,
		     u32 *tail, u32 *room, u16 req_id, u64 *bytes)
{
	const struct qaic_dbc_req *last = &slice->reqs[slice->nents - 1];
	struct qaic_dbc_req cut;
	u64 left;
	u32 k, i;

	if (!partial || resize >= slice->offset + slice->size) {
		if (*room < slice->nents)
			return -EAGAIN;
		for (i = 0; i < slice->nents; i++)
			fifo_put(dbc, tail, &slice->reqs[i], req_id);
		*room -= slice->nents;
		*bytes += slice->size;
		return slice->nents;
	}

	left = resize > slice->offset ? resize - slice->offset : 0;
	for (k = 0; k < slice->nents - 1 && left > le32_to_cpu(slice->reqs[k].len); k++)
		left -= le32_to_cpu(slice->reqs[k].len);
	if (*room < k + 1)
		return -EAGAIN;
	for (i = 0; i < k; i++)
		fifo_put(dbc, tail, &slice->reqs[i], req_id);
	cut = *last;
	cut.src_addr = slice->reqs[k].src_addr;
	cut.dest_addr = slice->reqs[k].dest_addr;
	cut.len = cpu_to_le32(left);
	if (!left)
		cut.cmd &= ~QAIC_REQ_DIR_MASK;
	fifo_put(dbc, tail, &cut, req_id);
	*room -= k + 1;
	*bytes += resize > slice->offset ? resize - slice->offset : 0;
	return k + 1;
}

/* Take @bo off the queue before it reached the device. Under xfer_lock. */
static void unqueue_bo(struct qaic_dbc *dbc, struct qaic_bo *bo)
{
	list_del_init(&bo->xfer_node);
	bo->queued = false;
	dbc->dp.queued_bos--;
	dbc->dp.queued_nents -= bo->queued_nents;
	complete_all(&bo->xfer_done);
}

static int queue_bo(struct qaic_dbc *dbc, struct qaic_bo *bo, bool partial, u64 resize,
		    u32 *tail, u32 *room)
{
	struct qaic_dbc_data *dp = &dbc->dp;
	u64 seq = dp->next_seq, bytes = 0;
	struct qaic_slice *slice;
	u32 nents = 0;
	int n;

	list_for_each_entry(slice, &bo->slices, node) {
		n = put_slice(dbc, slice, partial, resize, tail, room, (u16)seq, &bytes);
		if (n < 0)
			return n;
		nents += n;
	}
	dp->next_seq++;
	bo->seq = seq;
	bo->req_id = (u16)seq;
	bo->queued = true;
	bo->queued_nents = nents;
	bo->queued_bytes = bytes;
	bo->slices_done = 0;
	bo->result = 0;
	bo->dev_status = 0;
	reinit_completion(&bo->xfer_done);
	list_add_tail(&bo->xfer_node, &dp->xfer_list);
	dp->queued_bos++;
	dp->queued_nents += nents;
	return 0;
}

/* Under req_lock: everything of the batch goes in, or nothing. */
static int queue_batch(struct qaic_dbc *dbc, struct qaic_bo **bos, const void *ents, u32 count,
		       bool partial, u32 head, u32 *tail)
{
	const struct qaic_partial_execute_entry *pexec = ents;
	struct qaic_dbc_data *dp = &dbc->dp;
	u32 room = fifo_room(head, *tail, dbc->nelem);
	u32 i, level = dbc->nelem - room - 1;
	int ret = 0;

	for (i = 0; i < count; i++) {
		struct qaic_bo *bo = bos[i];
		u64 resize = partial ? pexec[i].resize : 0;

		ret = mutex_lock_interruptible(&bo->lock);
		if (ret)
			break;
		if (!bo->sliced || bo->dbc != dbc || (partial && resize > bo->base.size)) {
			mutex_unlock(&bo->lock);
			ret = -EINVAL;
			break;
		}
		dma_sync_sgtable_for_device(dbc->qdev->hw->dma_dev, bo->sgt,
					    bo->base.import_attach ? bo->import_dir : bo->dir);
		spin_lock(&dp->xfer_lock);
		if (bo->queued) {
			ret = -EINVAL;	/* already queued, maybe earlier in this batch */
		} else {
			ret = queue_bo(dbc, bo, partial, resize, tail, &room);
			if (!ret) {
				bo->queue_level_before = level;
				level += bo->queued_nents;
			}
		}
		spin_unlock(&dp->xfer_lock);
		mutex_unlock(&bo->lock);
		if (ret)
			break;
	}
	if (!ret)
		return 0;

	/* Nothing reached the device: the tail register was not written. */
	spin_lock(&dp->xfer_lock);
	while (i--) {
		unqueue_bo(dbc, bos[i]);
		dp->next_seq--;
	}
	if (ret == -EAGAIN)
		dp->nr_eagain++;
	spin_unlock(&dp->xfer_lock);
	return ret;
}

static int lookup_bos(struct drm_file *file, const void *ents, u32 count, bool partial,
		      struct qaic_bo **bos)
{
	const struct qaic_partial_execute_entry *pexec = ents;
	const struct qaic_execute_entry *exec = ents;
	u32 i;

	for (i = 0; i < count; i++) {
		struct drm_gem_object *obj;

		obj = drm_gem_object_lookup(file, partial ? pexec[i].handle : exec[i].handle);
		if (!obj)
			return -ENOENT;
		bos[i] = to_qaic_bo(obj);
	}
	return 0;
}

static int execute(struct drm_device *ddev, struct qaic_execute *args, struct drm_file *file,
		   bool partial)
{
	size_t esize = partial ? sizeof(struct qaic_partial_execute_entry) :
				 sizeof(struct qaic_execute_entry);
	struct qaic_user *usr = file->driver_priv;
	struct qaic_device *qdev = usr->qdev;
	u32 count = args->hdr.count, head, tail, i, nents = 0;
	u64 received = ktime_get_ns(), db_ts;
	struct qaic_bo **bos = NULL;
	struct qaic_dbc *dbc;
	void *ents = NULL;
	int ret, idx, didx;

	trace_qaic_execute(qdev->minor, usr->client_id, usr->tgid, args->hdr.dbc_id, count,
			   partial, received);
	if (!count)
		return -EINVAL;
	/* Upstream's order: the entries first, then the device and the DBC. */
	ents = kmalloc_array(count, esize, GFP_KERNEL | __GFP_NOWARN);
	if (!ents)
		return -ENOMEM;
	if (copy_from_user(ents, u64_to_user_ptr(args->data), count * esize)) {
		kfree(ents);
		return -EFAULT;
	}
	idx = srcu_read_lock(&qdev->dev_srcu);
	if (READ_ONCE(qdev->dev_state) != QAIC_ONLINE) {
		ret = -ENODEV;
		goto unlock_dev;
	}
	dbc = qaic_dbc_of(qdev, args->hdr.dbc_id);
	if (!dbc) {
		ret = -EINVAL;
		goto unlock_dev;
	}
	didx = srcu_read_lock(&dbc->dp.srcu);
	if (!qaic_dbc_owned(dbc, usr)) {
		ret = -EPERM;
		goto free;
	}
	bos = kvcalloc(count, sizeof(*bos), GFP_KERNEL);
	if (!bos) {
		ret = -ENOMEM;
		goto free;
	}
	ret = lookup_bos(file, ents, count, partial, bos);
	if (ret)
		goto free;

	ret = mutex_lock_interruptible(&dbc->dp.req_lock);
	if (ret)
		goto free;
	head = qaic_dbc_read(dbc, QAIC_DBC_REQHP);
	tail = qaic_dbc_read(dbc, QAIC_DBC_REQTP);
	if (head == U32_MAX || tail == U32_MAX) {
		ret = -ENODEV;	/* link down */
		goto unlock_req;
	}
	if (head >= dbc->nelem || tail >= dbc->nelem) {
		dev_err_ratelimited(qdev->dev, "dbc%u: request pointers %u/%u out of range\n",
				    dbc->id, head, tail);
		ret = -EIO;
		goto unlock_req;
	}
	ret = queue_batch(dbc, bos, ents, count, partial, head, &tail);
	if (ret)
		goto unlock_req;

	/* Committed: tell the tracers before the device can answer. */
	for (i = 0; i < count; i++) {
		trace_qaic_bo_enqueue(qdev->minor, dbc->id, bos[i]->req_id, bos[i]->seq,
				      usr->handle, bos[i]->handle, bos[i]->queued_bytes,
				      bos[i]->queued_nents, bos[i]->queue_level_before, received,
				      bos[i]->dir);
		nents += bos[i]->queued_nents;
	}
	db_ts = ktime_get_ns();
	spin_lock(&dbc->dp.xfer_lock);
	for (i = 0; i < count; i++) {
		bos[i]->received_ts = received;
		bos[i]->submit_ts = db_ts;
	}
	if (!dbc->dp.busy_since)
		dbc->dp.busy_since = db_ts;
	dbc->dp.nr_submitted += count;
	spin_unlock(&dbc->dp.xfer_lock);
	/* The elements must be in memory before the device sees the tail. */
	wmb();
	qaic_dbc_write(dbc, QAIC_DBC_REQTP, tail);
	trace_qaic_doorbell(qdev->minor, dbc->id, tail, count, nents, db_ts);
	if (datapath_polling)
		qaic_dbc_kick_poll(dbc);

unlock_req:
	mutex_unlock(&dbc->dp.req_lock);
free:
	for (i = 0; bos && i < count && bos[i]; i++)
		drm_gem_object_put(&bos[i]->base);
	kvfree(bos);
	srcu_read_unlock(&dbc->dp.srcu, didx);
unlock_dev:
	srcu_read_unlock(&qdev->dev_srcu, idx);
	kfree(ents);
	return ret;
}

int qaic_execute_bo_ioctl(struct drm_device *ddev, void *data, struct drm_file *file)
{
	return execute(ddev, data, file, false);
}

int qaic_partial_execute_bo_ioctl(struct drm_device *ddev, void *data, struct drm_file *file)
{
	return execute(ddev, data, file, true);
}

int qaic_wait_bo_ioctl(struct drm_device *ddev, void *data, struct drm_file *file)
{
	struct qaic_wait *args = data;
	struct qaic_user *usr = file->driver_priv;
	struct qaic_device *qdev = usr->qdev;
	unsigned int timeout_ms = args->timeout ?: READ_ONCE(wait_exec_default_timeout_ms);
	struct drm_gem_object *obj;
	struct qaic_dbc *dbc;
	struct qaic_bo *bo;
	int ret, idx, didx, status;
	u64 start, now;
	bool owned;
	long left;

	if (args->pad)
		return -EINVAL;
	idx = srcu_read_lock(&qdev->dev_srcu);
	if (READ_ONCE(qdev->dev_state) != QAIC_ONLINE) {
		srcu_read_unlock(&qdev->dev_srcu, idx);
		return -ENODEV;
	}
	dbc = qaic_dbc_of(qdev, args->dbc_id);
	if (!dbc) {
		srcu_read_unlock(&qdev->dev_srcu, idx);
		return -EINVAL;
	}
	didx = srcu_read_lock(&dbc->dp.srcu);
	owned = qaic_dbc_owned(dbc, usr);
	srcu_read_unlock(&dbc->dp.srcu, didx);
	srcu_read_unlock(&qdev->dev_srcu, idx);
	if (!owned)
		return -EPERM;
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	bo = to_qaic_bo(obj);

	/* Sleep with only the BO held: teardown must not wait for waiters. */
	start = ktime_get_ns();
	left = wait_for_completion_interruptible_timeout(&bo->xfer_done,
							 msecs_to_jiffies(timeout_ms));
	now = ktime_get_ns();
	if (!left)
		ret = -ETIMEDOUT;
	else if (left < 0)
		ret = left;	/* -ERESTARTSYS: a signal */
	else
		ret = 0;
	/*
	 * A BO flushed by a teardown of its DBC (deactivate, close, reset) did
	 * not run: -EPERM, as upstream. A device completion code is not an
	 * error of the wait (upstream only logs it); it shows in the events.
	 */
	status = READ_ONCE(bo->result) ?: READ_ONCE(bo->dev_status);
	if (!ret && READ_ONCE(bo->result))
		ret = -EPERM;
	trace_qaic_wait_return(qdev->minor, args->dbc_id, args->handle, READ_ONCE(bo->req_id),
			       READ_ONCE(bo->seq), ret, status, now, now - start);
	drm_gem_object_put(obj);
	return ret;
}

int qaic_perf_stats_bo_ioctl(struct drm_device *ddev, void *data, struct drm_file *file)
{
	struct qaic_perf_stats *args = data;
	struct qaic_user *usr = file->driver_priv;
	struct qaic_device *qdev = usr->qdev;
	struct qaic_perf_stats_entry *ents;
	u32 count = args->hdr.count, i;
	int ret = 0, idx;

	if (args->hdr.pad)
		return -EINVAL;
	idx = srcu_read_lock(&qdev->dev_srcu);
	if (READ_ONCE(qdev->dev_state) != QAIC_ONLINE) {
		ret = -ENODEV;
		goto unlock;
	}
	if (args->hdr.dbc_id >= QAIC_HW_NUM_DBC) {
		ret = -EINVAL;
		goto unlock;
	}
	if (!count)
		goto unlock;
	ents = kvmalloc_array(count, sizeof(*ents), GFP_KERNEL);
	if (!ents) {
		ret = -ENOMEM;
		goto unlock;
	}
	if (copy_from_user(ents, u64_to_user_ptr(args->data), count * sizeof(*ents))) {
		ret = -EFAULT;
		goto free;
	}
	for (i = 0; i < count; i++) {
		struct drm_gem_object *obj = drm_gem_object_lookup(file, ents[i].handle);
		u64 received, submit, processed;
		struct qaic_bo *bo;

		if (!obj) {
			ret = -ENOENT;
			goto free;
		}
		bo = to_qaic_bo(obj);
		received = READ_ONCE(bo->received_ts);
		submit = READ_ONCE(bo->submit_ts);
		processed = READ_ONCE(bo->processed_ts);
		/* Asked before the last execution finished: no device latency yet. */
		ents[i].device_latency_us = processed >= submit ?
					    div_u64(processed - submit, NSEC_PER_USEC) : 0;
		ents[i].submit_latency_us = div_u64(submit - received, NSEC_PER_USEC);
		ents[i].queue_level_before = READ_ONCE(bo->queue_level_before);
		ents[i].num_queue_element = READ_ONCE(bo->queued_nents);
		ents[i].pad = 0;
		drm_gem_object_put(obj);
	}
	if (copy_to_user(u64_to_user_ptr(args->data), ents, count * sizeof(*ents)))
		ret = -EFAULT;
free:
	kvfree(ents);
unlock:
	srcu_read_unlock(&qdev->dev_srcu, idx);
	return ret;
}
