/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The differences between the target kernels, in one place.
 * 6.2+ has the accel subsystem: the card is /dev/accel/accelN, as upstream
 * qaic. 6.1 has none: the card is a DRM render node.
 */
#ifndef QAIC_COMPAT_H_
#define QAIC_COMPAT_H_

#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/version.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#include <drm/drm_accel.h>
#define QAIC_NODE_FEATURES		DRIVER_COMPUTE_ACCEL
#define QAIC_NODE_FOPS			DRM_ACCEL_FOPS
#define qaic_drm_minor(ddev)		((ddev)->accel)
#else
#define QAIC_NODE_FEATURES		DRIVER_RENDER
#define QAIC_NODE_FOPS			DRM_GEM_FOPS
#define qaic_drm_minor(ddev)		((ddev)->render)
#endif

/*
 * fdinfo: since 6.5 the DRM core prints the common drm-usage-stats keys and
 * asks the driver for the rest; before, the driver prints it all.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define QAIC_FOPS_FDINFO		drm_show_fdinfo
#define QAIC_DRIVER_FDINFO(fn)		.show_fdinfo = (fn),
#else
#define QAIC_FOPS_FDINFO		qaic_fdinfo_seq
#define QAIC_DRIVER_FDINFO(fn)
#endif

/*
 * 6.12's DRM numbers every open file (drm-client-id); on 6.1 we do it, in
 * the one place that asks: qaic_open().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
static inline u64 qaic_client_id(struct drm_file *file)
{
	return file->client_id;
}
#else
static inline u64 qaic_client_id(struct drm_file *file)
{
	static atomic64_t next_client_id;

	return atomic64_inc_return(&next_client_id);
}
#endif

/* 6.3 made vm_flags read-only outside these helpers. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
static inline void qaic_vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vm_flags_set(vma, flags);
}
#else
static inline void qaic_vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}
#endif

/* Largest order alloc_pages() takes: inclusive since 6.4, renamed in 6.8. */
#if defined(MAX_PAGE_ORDER)
#define QAIC_MAX_PAGE_ORDER		MAX_PAGE_ORDER
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define QAIC_MAX_PAGE_ORDER		MAX_ORDER
#else
#define QAIC_MAX_PAGE_ORDER		(MAX_ORDER - 1)
#endif

#endif /* QAIC_COMPAT_H_ */
