// SPDX-License-Identifier: GPL-2.0-only
/*
 * Buffer objects: CREATE_BO, MMAP_BO and the GEM object behind them, PRIME
 * export and import.
 *
 * A BO of our own is host memory in chunks as large as the page allocator
 * gives (up to its largest order), split into order-0 pages so each page is
 * counted on its own: the BO maps into user space page by page (a normal
 * mapping, so the user may hand it to O_DIRECT or a DMA_XFER) and exports
 * through drm_prime_pages_to_sg(). Its scatterlist merges physically
 * contiguous pages and is DMA-mapped on the card's device while the BO is
 * sliced (qaic_slice.c). An imported BO is a dma-buf attached to the card's
 * device and mapped once, bidirectionally, by the PRIME helper.
 */
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/iosys-map.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_prime.h>
#include <drm/drm_vma_manager.h>

#include "qaic_accel.h"
#include "qaic.h"
#include "qaic_compat.h"
#include "qaic_data.h"
#include "qaic_trace.h"

static const struct drm_gem_object_funcs qaic_gem_funcs;

bool qaic_is_qaic_bo(struct drm_gem_object *obj)
{
	return obj->funcs == &qaic_gem_funcs;
}

static void bo_free_pages(struct qaic_bo *bo)
{
	unsigned long i;

	if (!bo->pages)
		return;
	for (i = 0; i < bo->nr_pages && bo->pages[i]; i++)
		__free_page(bo->pages[i]);
	kvfree(bo->pages);
	bo->pages = NULL;
}

/* Zeroed pages for @size bytes, in chunks as large as the allocator gives. */
static int bo_alloc_pages(struct qaic_bo *bo, size_t size)
{
	unsigned long nr = size >> PAGE_SHIFT, done = 0, i;
	unsigned int max_order = QAIC_MAX_PAGE_ORDER;

	bo->pages = kvcalloc(nr, sizeof(*bo->pages), GFP_KERNEL | __GFP_NOWARN);
	if (!bo->pages)
		return -ENOMEM;
	bo->nr_pages = nr;
	while (done < nr) {
		unsigned int order = min_t(unsigned int, max_order, ilog2(nr - done));
		gfp_t gfp = GFP_HIGHUSER | __GFP_ZERO | __GFP_NOWARN | __GFP_ACCOUNT;
		struct page *page;

		/* Large chunks only if cheap; the last page may try harder. */
		gfp |= order ? __GFP_NORETRY : __GFP_RETRY_MAYFAIL;
		page = alloc_pages(gfp, order);
		if (!page) {
			if (!order)
				return -ENOMEM;
			max_order = order - 1;
			continue;
		}
		if (order)
			split_page(page, order);
		for (i = 0; i < (1UL << order); i++)
			bo->pages[done + i] = page + i;
		done += 1UL << order;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

static int bo_build_sgt(struct qaic_bo *bo)
{
	struct sg_table *sgt;
	int ret;

	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return -ENOMEM;
	ret = sg_alloc_table_from_pages(sgt, bo->pages, bo->nr_pages, 0,
					bo->nr_pages << PAGE_SHIFT, GFP_KERNEL);
	if (ret) {
		kfree(sgt);
		return ret;
	}
	bo->sgt = sgt;
	return 0;
}

static struct qaic_bo *bo_alloc(struct drm_device *ddev, struct qaic_device *qdev, size_t size)
{
	struct qaic_bo *bo;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return NULL;
	bo->qdev = qdev;
	atomic_inc(&qdev->nr_bos);
	mutex_init(&bo->lock);
	INIT_LIST_HEAD(&bo->slices);
	INIT_LIST_HEAD(&bo->dbc_node);
	INIT_LIST_HEAD(&bo->xfer_node);
	init_completion(&bo->xfer_done);
	complete_all(&bo->xfer_done);	/* idle: WAIT_BO returns at once */
	bo->dir = DMA_NONE;
	bo->import_dir = DMA_BIDIRECTIONAL;
	drm_gem_private_object_init(ddev, &bo->base, size);
	bo->base.funcs = &qaic_gem_funcs;
	return bo;
}

static void qaic_gem_free(struct drm_gem_object *obj)
{
	struct qaic_bo *bo = to_qaic_bo(obj);
	struct qaic_device *qdev = bo->qdev;

	if (obj->import_attach) {
		u32 nents = bo->sgt ? bo->sgt->nents : 0;
		u64 start = ktime_get_ns();

		drm_prime_gem_destroy(obj, bo->sgt);
		atomic_dec(&qdev->nr_bo_mappings);
		trace_qaic_dma_unmap(qdev->minor, bo->handle, obj->size, nents, bo->import_dir,
				     ktime_get_ns(), ktime_get_ns() - start);
	} else {
		/* Never sliced here: a slice holds a reference. */
		if (bo->sgt) {
			sg_free_table(bo->sgt);
			kfree(bo->sgt);
		}
		bo_free_pages(bo);
	}
	drm_gem_object_release(obj);
	mutex_destroy(&bo->lock);
	kfree(bo);
	atomic_dec(&qdev->nr_bos);
}

static vm_fault_t qaic_gem_fault(struct vm_fault *vmf)
{
	struct drm_gem_object *obj = vmf->vma->vm_private_data;
	struct qaic_bo *bo = to_qaic_bo(obj);
	unsigned long pgoff = vmf->pgoff - drm_vma_node_start(&obj->vma_node);

	if (pgoff >= bo->nr_pages)
		return VM_FAULT_SIGBUS;
	return vmf_insert_page(vmf->vma, vmf->address, bo->pages[pgoff]);
}

static const struct vm_operations_struct qaic_gem_vm_ops = {
	.open = drm_gem_vm_open,
	.close = drm_gem_vm_close,
	.fault = qaic_gem_fault,
};

/*
 * drm_gem_mmap() found the object by the fake offset in vm_pgoff and took
 * a reference for the mapping. Map every page now; the fault handler puts
 * back pages the kernel zapped (madvise) later.
 */
static int qaic_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct qaic_bo *bo = to_qaic_bo(obj);
	unsigned long first = vma->vm_pgoff - drm_vma_node_start(&obj->vma_node);
	unsigned long count = vma_pages(vma);

	if (obj->import_attach)
		return -EINVAL;	/* mmap the dma-buf itself */
	if (first > bo->nr_pages || count > bo->nr_pages - first)
		return -EINVAL;
	/* Pages, not PFNs: get_user_pages() works on the mapping. */
	qaic_vm_flags_set(vma, VM_MIXEDMAP | VM_DONTEXPAND | VM_DONTDUMP);
	return vm_insert_pages(vma, vma->vm_start, bo->pages + first, &count);
}

/* PRIME export: the pages, for the importer to map on its device. */
static struct sg_table *qaic_gem_get_sg_table(struct drm_gem_object *obj)
{
	struct qaic_bo *bo = to_qaic_bo(obj);

	if (!bo->pages)
		return ERR_PTR(-EINVAL);
	return drm_prime_pages_to_sg(obj->dev, bo->pages, bo->nr_pages);
}

static int qaic_gem_vmap(struct drm_gem_object *obj, struct iosys_map *map)
{
	struct qaic_bo *bo = to_qaic_bo(obj);
	void *vaddr;

	if (!bo->pages)
		return -EINVAL;
	vaddr = vmap(bo->pages, bo->nr_pages, VM_MAP, PAGE_KERNEL);
	if (!vaddr)
		return -ENOMEM;
	iosys_map_set_vaddr(map, vaddr);
	return 0;
}

static void qaic_gem_vunmap(struct drm_gem_object *obj, struct iosys_map *map)
{
	vunmap(map->vaddr);
}

static const struct drm_gem_object_funcs qaic_gem_funcs = {
	.free = qaic_gem_free,
	.mmap = qaic_gem_mmap,
	.vm_ops = &qaic_gem_vm_ops,
	.get_sg_table = qaic_gem_get_sg_table,
	.vmap = qaic_gem_vmap,
	.vunmap = qaic_gem_vunmap,
};

int qaic_create_bo_ioctl(struct drm_device *ddev, void *data, struct drm_file *file)
{
	struct qaic_create_bo *args = data;
	struct qaic_user *usr = file->driver_priv;
	struct qaic_device *qdev = usr->qdev;
	struct qaic_bo *bo;
	size_t size;
	int ret, idx;

	/* As upstream: a size that rounds up to 0 pages (wraps) is invalid. */
	if (args->pad || !args->size || args->size > U64_MAX - PAGE_SIZE + 1)
		return -EINVAL;
	/* More than the machine has cannot succeed; say so before trying. */
	if (args->size > (u64)totalram_pages() << PAGE_SHIFT)
		return -ENOMEM;
	size = PAGE_ALIGN(args->size);

	idx = srcu_read_lock(&qdev->dev_srcu);
	if (READ_ONCE(qdev->dev_state) != QAIC_ONLINE) {
		ret = -ENODEV;
		goto unlock;
	}
	bo = bo_alloc(ddev, qdev, size);
	if (!bo) {
		ret = -ENOMEM;
		goto unlock;
	}
	ret = bo_alloc_pages(bo, size);
	if (ret)
		goto put;
	ret = bo_build_sgt(bo);
	if (ret)
		goto put;
	ret = drm_gem_create_mmap_offset(&bo->base);
	if (ret)
		goto put;
	ret = drm_gem_handle_create(file, &bo->base, &args->handle);
	if (ret)
		goto put;
	bo->handle = args->handle;
put:
	/* On success the handle holds the object; on failure this frees it. */
	drm_gem_object_put(&bo->base);
unlock:
	srcu_read_unlock(&qdev->dev_srcu, idx);
	return ret;
}

int qaic_mmap_bo_ioctl(struct drm_device *ddev, void *data, struct drm_file *file)
{
	struct qaic_mmap_bo *args = data;
	struct qaic_user *usr = file->driver_priv;
	struct qaic_device *qdev = usr->qdev;
	struct drm_gem_object *obj;
	int ret = 0, idx;

	if (args->pad)
		return -EINVAL;
	idx = srcu_read_lock(&qdev->dev_srcu);
	if (READ_ONCE(qdev->dev_state) != QAIC_ONLINE) {
		ret = -ENODEV;
		goto unlock;
	}
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj) {
		ret = -ENOENT;
		goto unlock;
	}
	args->offset = drm_vma_node_offset_addr(&obj->vma_node);
	drm_gem_object_put(obj);
unlock:
	srcu_read_unlock(&qdev->dev_srcu, idx);
	return ret;
}

/* Called by drm_gem_prime_import_dev() with the dma-buf attached and mapped. */
struct drm_gem_object *qaic_gem_prime_import_sg_table(struct drm_device *ddev,
						      struct dma_buf_attachment *attach,
						      struct sg_table *sgt)
{
	struct qaic_device *qdev = qaic_to_qdev(ddev);
	size_t size = attach->dmabuf->size;
	struct qaic_bo *bo;

	/* GEM objects are whole pages. */
	if (!size || !PAGE_ALIGNED(size))
		return ERR_PTR(-EINVAL);
	bo = bo_alloc(ddev, qdev, size);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->sgt = sgt;
	atomic_inc(&qdev->nr_bo_mappings);	/* the helper mapped it */
	return &bo->base;
}

/*
 * PRIME import: one of our own BOs comes back as itself (the helper knows
 * its dma-bufs); a foreign dma-buf is attached to the card's DMA device and
 * mapped once, bidirectionally, since the direction is not known before a
 * slice is attached.
 */
struct drm_gem_object *qaic_gem_prime_import(struct drm_device *ddev, struct dma_buf *dma_buf)
{
	struct qaic_device *qdev = qaic_to_qdev(ddev);
	u64 start = ktime_get_ns();
	struct drm_gem_object *obj;

	obj = drm_gem_prime_import_dev(ddev, dma_buf, qdev->hw->dma_dev);
	if (IS_ERR(obj) || !obj->import_attach || obj->import_attach->dmabuf != dma_buf)
		return obj;
	if (qaic_is_qaic_bo(obj)) {
		struct qaic_bo *bo = to_qaic_bo(obj);

		/* The handle is made after the import: 0 here. */
		trace_qaic_dma_map(qdev->minor, 0, obj->size, bo->sgt->nents, bo->import_dir,
				   ktime_get_ns(), ktime_get_ns() - start);
	}
	return obj;
}
