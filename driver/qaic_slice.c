// SPDX-License-Identifier: GPL-2.0-only
/*
 * ATTACH_SLICE_BO and DETACH_SLICE_BO.
 *
 * Attaching binds a BO to one DBC of its owner in one direction: the BO is
 * DMA-mapped on the card's device (an import already is) and each slice,
 * a byte range with its device address, semaphores and doorbell, becomes
 * the request elements EXECUTE_BO copies into the request FIFO: one bulk
 * element per DMA segment the range covers (aic100.rst's element format,
 * include/qaic_dbc.h). As upstream encodes them:
 *  - a presync semaphore (at most one) goes on every element, so no part
 *    of the slice moves before the device is ready for it;
 *  - the postsync semaphores, the doorbell and the completion flag go on
 *    the last element; a slice of several elements without a presync gets
 *    the fence of its direction on that element's sem0, so the doorbell
 *    waits for all of the slice's transfers;
 *  - a slice of size 0 is one element without a transfer.
 * The request id is filled in at execute. Checks, their order and errnos
 * are upstream's: a DBC the caller does not own is -EINVAL here (execute
 * and wait say -EPERM), and what upstream accepts is accepted (overlapping
 * slices, any byte alignment, the deprecated hdr.size).
 */
#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "qaic_accel.h"
#include "qaic.h"
#include "qaic_data.h"
#include "qaic_trace.h"

static bool sem_invalid(const struct qaic_sem *sem)
{
	return sem->val > QAIC_DBC_SEM_MAX || sem->index >= QAIC_DBC_NUM_SEM ||
	       sem->presync > 1 || sem->pad || sem->cmd > QAIC_SEM_WAIT_GT_0 ||
	       sem->flags & ~(QAIC_SEM_INSYNCFENCE | QAIC_SEM_OUTSYNCFENCE);
}

static __le32 sem_encode(const struct qaic_sem *sem, u8 extra_flags)
{
	u32 v = FIELD_PREP(QAIC_SEMC_VAL_MASK, sem->val) |
		FIELD_PREP(QAIC_SEMC_INDEX_MASK, sem->index) |
		FIELD_PREP(QAIC_SEMC_CMD_MASK, sem->cmd) |
		FIELD_PREP(QAIC_SEMC_FENCE_MASK, sem->flags | extra_flags);

	if (sem->presync)
		v |= QAIC_SEMC_PRESYNC;
	if (sem->cmd)
		v |= QAIC_SEMC_ENABLE;
	return cpu_to_le32(v);
}

static const struct qaic_sem *entry_sem(const struct qaic_attach_slice_entry *e, int n)
{
	switch (n) {
	case 0:
		return &e->sem0;
	case 1:
		return &e->sem1;
	case 2:
		return &e->sem2;
	default:
		return &e->sem3;
	}
}

/* Everything that can be checked before the BO is mapped. */
static int check_entries(struct qaic_attach_slice_entry *ents, u32 count, u64 bo_size)
{
	u32 i;

	for (i = 0; i < count; i++) {
		struct qaic_attach_slice_entry *e = &ents[i];
		int n, presync = 0;
		u64 last;

		if (e->db_len != 0 && e->db_len != 8 && e->db_len != 16 && e->db_len != 32)
			return -EINVAL;
		if (e->db_len && !IS_ALIGNED(e->db_addr, e->db_len / 8))
			return -EINVAL;
		for (n = 0; n < 4; n++) {
			if (sem_invalid(entry_sem(e, n)))
				return -EINVAL;
			presync += entry_sem(e, n)->presync;
		}
		if (presync > 1)
			return -EINVAL;
		if (check_add_overflow(e->offset, e->size, &last) || last > bo_size)
			return -EINVAL;
		/* An empty slice still names a byte of the BO (upstream). */
		if (!e->size && e->offset >= bo_size)
			return -EINVAL;
	}
	return 0;
}

/* Elements the range [off, off + size) needs: DMA segments it touches. */
static u32 count_elements(struct sg_table *sgt, u64 off, u64 size)
{
	struct scatterlist *sg;
	u64 pos = 0, end = off + max_t(u64, size, 1);
	u32 n = 0;
	int i;

	if (!size)
		return 1;
	for_each_sgtable_dma_sg(sgt, sg, i) {
		u64 len = sg_dma_len(sg);

		if (!len)
			continue;
		if (pos < end && pos + len > off)
			n++;
		pos += len;
	}
	return n;
}

static void encode_slice(struct qaic_bo *bo, struct qaic_slice *slice,
			 const struct qaic_attach_slice_entry *e)
{
	u8 dir = bo->dir == DMA_TO_DEVICE ? QAIC_REQ_DIR_TO_DEV : QAIC_REQ_DIR_FROM_DEV;
	u64 pos = 0, off = e->offset, end = e->offset + e->size, dev_addr = e->dev_addr;
	struct qaic_dbc_req *last;
	struct scatterlist *sg;
	u8 fence = 0;
	u32 n = 0;
	int i;

	slice->presync_slot = -1;
	for (i = 0; i < 4; i++) {
		if (entry_sem(e, i)->presync) {
			slice->presync_slot = i;
			slice->presync_cmd = sem_encode(entry_sem(e, i), 0);
		}
	}

	for_each_sgtable_dma_sg(bo->sgt, sg, i) {
		u64 len = sg_dma_len(sg), from, to;
		struct qaic_dbc_req *r;
		dma_addr_t host;

		if (n == slice->nents)
			break;
		if (!len)
			continue;
		if (e->size && (pos >= end || pos + len <= off)) {
			pos += len;
			continue;
		}
		if (!e->size && (off < pos || off >= pos + len)) {
			pos += len;
			continue;
		}
		from = max(pos, off);
		to = e->size ? min(pos + len, end) : from;
		host = sg_dma_address(sg) + (from - pos);
		r = &slice->reqs[n++];
		r->cmd = QAIC_REQ_BULK | (e->size ? dir : QAIC_REQ_DIR_NONE);
		r->src_addr = cpu_to_le64(bo->dir == DMA_TO_DEVICE ? host : dev_addr);
		r->dest_addr = cpu_to_le64(bo->dir == DMA_TO_DEVICE ? dev_addr : host);
		r->len = cpu_to_le32(to - from);
		if (slice->presync_slot >= 0)
			r->sem_cmd[slice->presync_slot] = slice->presync_cmd;
		dev_addr += to - from;
		pos += len;
	}

	last = &slice->reqs[slice->nents - 1];
	last->cmd |= QAIC_REQ_COMPLETION;
	if (e->db_len) {
		last->db_addr = cpu_to_le64(e->db_addr);
		last->db_attr = QAIC_DB_ENABLE | (e->db_len == 32 ? QAIC_DB_LEN_32 :
						  e->db_len == 16 ? QAIC_DB_LEN_16 : QAIC_DB_LEN_8);
		last->db_data = cpu_to_le32(e->db_data);
	}
	if (slice->nents > 1 && slice->presync_slot < 0)
		fence = bo->dir == DMA_TO_DEVICE ? QAIC_SEM_INSYNCFENCE : QAIC_SEM_OUTSYNCFENCE;
	for (i = 0; i < 4; i++)
		last->sem_cmd[i] = sem_encode(entry_sem(e, i), i ? 0 : fence);
}

static void free_slices(struct qaic_bo *bo)
{
	struct qaic_slice *slice, *tmp;

	list_for_each_entry_safe(slice, tmp, &bo->slices, node) {
		list_del(&slice->node);
		kvfree(slice);
	}
	bo->nr_slice = 0;
	bo->total_nents = 0;
}

static int make_slices(struct qaic_bo *bo, struct qaic_attach_slice_entry *ents, u32 count,
		       u32 nelem)
{
	u32 i, total = 0;

	for (i = 0; i < count; i++) {
		u32 n = count_elements(bo->sgt, ents[i].offset, ents[i].size);
		struct qaic_slice *slice;

		/* Every element of a BO must fit in the FIFO at once. */
		if (!n || n > nelem - total) {
			free_slices(bo);
			return n ? -ENOSPC : -EINVAL;
		}
		slice = kvzalloc(struct_size(slice, reqs, n), GFP_KERNEL);
		if (!slice) {
			free_slices(bo);
			return -ENOMEM;
		}
		slice->offset = ents[i].offset;
		slice->size = ents[i].size;
		slice->nents = n;
		encode_slice(bo, slice, &ents[i]);
		list_add_tail(&slice->node, &bo->slices);
		total += n;
	}
	bo->nr_slice = count;
	bo->total_nents = total;
	return 0;
}

static int bo_map(struct qaic_bo *bo, enum dma_data_direction dir)
{
	struct qaic_device *qdev = bo->qdev;
	u64 start;
	int ret;

	bo->dir = dir;
	if (bo->base.import_attach)
		return 0;	/* mapped at import */
	start = ktime_get_ns();
	ret = dma_map_sgtable(qdev->hw->dma_dev, bo->sgt, dir, 0);
	if (ret)
		return ret;
	bo->mapped = true;
	atomic_inc(&qdev->nr_bo_mappings);
	trace_qaic_dma_map(qdev->minor, bo->handle, bo->base.size, bo->sgt->nents, dir,
			   ktime_get_ns(), ktime_get_ns() - start);
	return 0;
}

static void bo_unmap(struct qaic_bo *bo)
{
	struct qaic_device *qdev = bo->qdev;
	u64 start;

	if (bo->mapped) {
		start = ktime_get_ns();
		dma_unmap_sgtable(qdev->hw->dma_dev, bo->sgt, bo->dir, 0);
		trace_qaic_dma_unmap(qdev->minor, bo->handle, bo->base.size, bo->sgt->nents,
				     bo->dir, ktime_get_ns(), ktime_get_ns() - start);
		bo->mapped = false;
		atomic_dec(&qdev->nr_bo_mappings);
	}
	bo->dir = DMA_NONE;
}

/*
 * Undo an attach: the BO must not be queued. Caller holds bo->lock and a
 * reference of its own (this drops the one the slicing held).
 */
void qaic_bo_detach(struct qaic_bo *bo)
{
	struct qaic_dbc_data *dp = &bo->dbc->dp;

	spin_lock(&dp->xfer_lock);
	list_del_init(&bo->dbc_node);
	spin_unlock(&dp->xfer_lock);
	free_slices(bo);
	bo_unmap(bo);
	bo->dbc = NULL;
	bo->sliced = false;
	drm_gem_object_put(&bo->base);
}

int qaic_attach_slice_bo_ioctl(struct drm_device *ddev, void *data, struct drm_file *file)
{
	struct qaic_attach_slice *args = data;
	struct qaic_user *usr = file->driver_priv;
	struct qaic_device *qdev = usr->qdev;
	struct qaic_attach_slice_entry *ents;
	u32 count = args->hdr.count;
	struct drm_gem_object *obj;
	struct qaic_dbc *dbc;
	struct qaic_bo *bo;
	int ret, idx, didx;

	if (!count)
		return -EINVAL;
	if (args->hdr.dir != DMA_TO_DEVICE && args->hdr.dir != DMA_FROM_DEVICE)
		return -EINVAL;
	if (!args->data)
		return -EINVAL;

	idx = srcu_read_lock(&qdev->dev_srcu);
	if (READ_ONCE(qdev->dev_state) != QAIC_ONLINE) {
		ret = -ENODEV;
		goto unlock_dev;
	}
	if (args->hdr.dbc_id >= QAIC_HW_NUM_DBC) {
		ret = -EINVAL;
		goto unlock_dev;
	}
	/* kmalloc's limit bounds the count; upstream says -EINVAL beyond it. */
	ents = kmalloc_array(count, sizeof(*ents), GFP_KERNEL | __GFP_NOWARN);
	if (!ents) {
		ret = -EINVAL;
		goto unlock_dev;
	}
	if (copy_from_user(ents, u64_to_user_ptr(args->data), count * sizeof(*ents))) {
		ret = -EFAULT;
		goto free_ents;
	}
	obj = drm_gem_object_lookup(file, args->hdr.handle);
	if (!obj) {
		ret = -ENOENT;
		goto free_ents;
	}
	bo = to_qaic_bo(obj);
	ret = check_entries(ents, count, obj->size);
	if (ret)
		goto put_obj;

	ret = mutex_lock_interruptible(&bo->lock);
	if (ret)
		goto put_obj;
	if (bo->sliced) {
		ret = -EINVAL;
		goto unlock_bo;
	}
	dbc = qaic_dbc_of(qdev, args->hdr.dbc_id);
	didx = srcu_read_lock(&dbc->dp.srcu);
	if (!qaic_dbc_owned(dbc, usr)) {
		ret = -EINVAL;	/* upstream: not -EPERM here */
		goto put_dbc;
	}
	bo->handle = args->hdr.handle;
	ret = bo_map(bo, args->hdr.dir);
	if (ret)
		goto put_dbc;
	ret = make_slices(bo, ents, count, dbc->nelem);
	if (ret) {
		bo_unmap(bo);
		goto put_dbc;
	}
	/* The CPU owns the pages until an execute hands them to the device. */
	dma_sync_sgtable_for_cpu(qdev->hw->dma_dev, bo->sgt,
				 obj->import_attach ? bo->import_dir : bo->dir);
	bo->dbc = dbc;
	bo->sliced = true;
	drm_gem_object_get(obj);	/* held while sliced */
	spin_lock(&dbc->dp.xfer_lock);
	list_add_tail(&bo->dbc_node, &dbc->dp.bo_list);
	spin_unlock(&dbc->dp.xfer_lock);
put_dbc:
	srcu_read_unlock(&dbc->dp.srcu, didx);
unlock_bo:
	mutex_unlock(&bo->lock);
put_obj:
	drm_gem_object_put(obj);
free_ents:
	kfree(ents);
unlock_dev:
	srcu_read_unlock(&qdev->dev_srcu, idx);
	return ret;
}

int qaic_detach_slice_bo_ioctl(struct drm_device *ddev, void *data, struct drm_file *file)
{
	struct qaic_detach_slice *args = data;
	struct qaic_user *usr = file->driver_priv;
	struct qaic_device *qdev = usr->qdev;
	struct drm_gem_object *obj;
	struct qaic_dbc *dbc;
	struct qaic_bo *bo;
	int ret, idx, didx;
	bool queued;

	if (args->pad)
		return -EINVAL;
	idx = srcu_read_lock(&qdev->dev_srcu);
	if (READ_ONCE(qdev->dev_state) != QAIC_ONLINE) {
		ret = -ENODEV;
		goto unlock_dev;
	}
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj) {
		ret = -ENOENT;
		goto unlock_dev;
	}
	bo = to_qaic_bo(obj);
	ret = mutex_lock_interruptible(&bo->lock);
	if (ret)
		goto put_obj;
	if (!bo->sliced) {
		ret = -EINVAL;
		goto unlock_bo;
	}
	dbc = bo->dbc;
	didx = srcu_read_lock(&dbc->dp.srcu);
	if (!qaic_dbc_owned(dbc, usr)) {
		ret = -EINVAL;	/* upstream: not -EPERM here */
	} else {
		spin_lock(&dbc->dp.xfer_lock);
		queued = bo->queued;
		spin_unlock(&dbc->dp.xfer_lock);
		if (queued)
			ret = -EBUSY;
		else
			qaic_bo_detach(bo);
	}
	srcu_read_unlock(&dbc->dp.srcu, didx);
unlock_bo:
	mutex_unlock(&bo->lock);
put_obj:
	drm_gem_object_put(obj);
unlock_dev:
	srcu_read_unlock(&qdev->dev_srcu, idx);
	return ret;
}
