/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The data path of qaic.ko: buffer objects (BOs), their slices onto a DMA
 * bridge channel (DBC), and what each DBC keeps while it moves them.
 *
 *   qaic_bo.c      CREATE_BO, MMAP_BO, GEM object life, PRIME export/import
 *   qaic_slice.c   ATTACH_SLICE_BO, DETACH_SLICE_BO: DMA mapping, elements
 *   qaic_exec.c    EXECUTE_BO, PARTIAL_EXECUTE_BO, WAIT_BO, PERF_STATS_BO
 *   qaic_irq.c     completions: per-DBC IRQ + threaded drain, polling mode
 *   qaic_dbc.c     per-DBC data state: start at ACTIVATE, stop at release
 *   qaic_fdinfo.c  drm-usage-stats in /proc/PID/fdinfo
 *
 * Lock order, outermost first:
 *   qdev->release_mutex > dbc->dp.req_lock > bo->lock > dbc->dp.xfer_lock
 *   qdev->dbc_mutex > dbc->dp.xfer_lock
 * and qdev->dbc_mutex is never taken with a BO's lock held.
 * A data ioctl touches a DBC only inside dbc->dp.srcu and after checking
 * dbc->dp.usr there; stopping a DBC clears dp.usr and synchronizes dp.srcu,
 * so when it proceeds to flush and free nothing else uses the DBC's queues.
 * Nobody sleeps for long inside dp.srcu: WAIT_BO holds a BO reference and
 * sleeps outside it.
 */
#ifndef QAIC_DATA_H_
#define QAIC_DATA_H_

#include <linux/completion.h>
#include <linux/dma-direction.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <drm/drm_gem.h>

#include "qaic_dbc.h"

struct drm_device;
struct drm_file;
struct drm_printer;
struct dma_buf;
struct file;
struct seq_file;
struct qaic_dbc;
struct qaic_device;
struct qaic_user;

/* One slice: a byte range of a BO and its pre-encoded request elements. */
struct qaic_slice {
	struct list_head node;		/* in bo->slices */
	u64 offset;
	u64 size;			/* 0: no transfer, semaphores/doorbell only */
	u32 nents;			/* elements in reqs[] */
	int presync_slot;		/* sem_cmd[] index of the presync, -1: none */
	__le32 presync_cmd;		/* its encoding (carried on the first element) */
	struct qaic_dbc_req reqs[];	/* req_id filled in at execute */
};

/*
 * struct qaic_bo - a GEM buffer object.
 *
 * The backing store (pages or import_attach + sgt) is fixed from creation to
 * free. The slicing state is guarded by @lock; the execution state by
 * dbc->dp.xfer_lock of the DBC it is sliced onto.
 */
struct qaic_bo {
	struct drm_gem_object base;
	struct qaic_device *qdev;
	struct page **pages;		/* own pages, split (order 0); NULL if imported */
	unsigned long nr_pages;
	struct sg_table *sgt;		/* own: built at create; import: the exporter's */
	enum dma_data_direction import_dir;	/* direction an import is mapped with */

	struct mutex lock;		/* guards the slicing state below */
	bool sliced;
	bool mapped;			/* own sgt is DMA-mapped (dir) */
	enum dma_data_direction dir;
	struct qaic_dbc *dbc;		/* sliced onto */
	struct list_head slices;
	u32 nr_slice;
	u32 total_nents;		/* elements of all slices */
	u32 handle;			/* handle of the last create/attach: for tracing */

	/* Execution state, guarded by dbc->dp.xfer_lock. */
	struct list_head dbc_node;	/* in dbc->dp.bo_list while sliced */
	struct list_head xfer_node;	/* in dbc->dp.xfer_list while queued */
	bool queued;
	u16 req_id;
	u64 seq;			/* per-DBC sequence; req_id is its low 16 bits */
	u32 slices_done;
	u32 queued_nents;		/* elements the last execute queued */
	u64 queued_bytes;
	int result;			/* last execution: 0 or -errno (flushed) */
	u16 dev_status;			/* first nonzero completion code, 0 = ok */
	struct completion xfer_done;	/* complete while not queued */

	/* PERF_STATS_BO: the last execution (ns, ktime_get_ns). */
	u64 received_ts;		/* execute ioctl entry */
	u64 submit_ts;			/* request tail (doorbell) write */
	u64 processed_ts;		/* its last response first seen */
	u32 queue_level_before;
};

static inline struct qaic_bo *to_qaic_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct qaic_bo, base);
}

/*
 * struct qaic_dbc_data - what one DBC keeps for the data path.
 * @srcu: read side held by every data ioctl, the IRQ handlers and the
 *	polling work while they use the DBC.
 * @usr: data-path owner; NULL while the DBC is stopped. Set when the
 *	device assigns the DBC, cleared first thing when it is released.
 * @req_lock: serializes producers of the request FIFO (execute).
 * @xfer_lock: guards @xfer_list, @bo_list, @next_seq, the busy-time
 *	accounting and the execution state of this DBC's BOs.
 * @xfer_list: BOs queued to the device, oldest first.
 * @bo_list: BOs sliced onto this DBC.
 * @next_seq: sequence number of the next BO queued (never reset).
 * @busy_since: ktime of the tail write that made the idle DBC busy; 0 idle.
 * @irq: Linux IRQ of this DBC's MSI, 0 if none was requested.
 * @shared_irq: the MSI is shared (single MSI): never disabled.
 * @irq_ts, @irq_tail: when the hard handler saw responses up to @irq_tail;
 *	read by the thread it wakes.
 * @poll_work: datapath_polling mode: polls the response FIFO.
 * @owner: the client busy time is charged to; unlike @usr it stays set
 *	while the DBC is stopped, until its last BO is flushed. Under @xfer_lock.
 * @last_completion_ns: seen time (ktime_get_ns) of the newest BO the device
 *	answered, flushed ones not counted; 0 if none since the DBC was last
 *	assigned. Under @xfer_lock, for debugfs.
 * Counters below are for debugfs: under @xfer_lock, except @nr_irqs, which
 * only the DBC's hard IRQ handler updates (it does not run concurrently).
 */
struct qaic_dbc_data {
	struct srcu_struct srcu;
	struct qaic_user *usr;
	struct mutex req_lock;
	spinlock_t xfer_lock;
	struct list_head xfer_list;
	struct list_head bo_list;
	u64 next_seq;
	u64 busy_since;
	u32 queued_bos;
	u32 queued_nents;
	int irq;
	bool shared_irq;
	u64 irq_ts;
	u32 irq_tail;
	char irq_name[16];
	struct work_struct poll_work;
	struct qaic_user *owner;
	u64 last_completion_ns;
	u64 nr_submitted;
	u64 nr_completed;
	u64 nr_dev_errors;
	u64 nr_unmatched;
	u64 nr_irqs;
	u64 nr_eagain;
};

/* Module parameters (qaic_irq.c, qaic_exec.c). */
extern bool datapath_polling;

/* qaic_bo.c */
int qaic_create_bo_ioctl(struct drm_device *ddev, void *data, struct drm_file *file);
int qaic_mmap_bo_ioctl(struct drm_device *ddev, void *data, struct drm_file *file);
struct drm_gem_object *qaic_gem_prime_import(struct drm_device *ddev, struct dma_buf *dma_buf);
struct drm_gem_object *qaic_gem_prime_import_sg_table(struct drm_device *ddev,
						      struct dma_buf_attachment *attach,
						      struct sg_table *sgt);
bool qaic_is_qaic_bo(struct drm_gem_object *obj);

/* qaic_slice.c */
int qaic_attach_slice_bo_ioctl(struct drm_device *ddev, void *data, struct drm_file *file);
int qaic_detach_slice_bo_ioctl(struct drm_device *ddev, void *data, struct drm_file *file);
void qaic_bo_detach(struct qaic_bo *bo);

/* qaic_exec.c */
int qaic_execute_bo_ioctl(struct drm_device *ddev, void *data, struct drm_file *file);
int qaic_partial_execute_bo_ioctl(struct drm_device *ddev, void *data, struct drm_file *file);
int qaic_wait_bo_ioctl(struct drm_device *ddev, void *data, struct drm_file *file);
int qaic_perf_stats_bo_ioctl(struct drm_device *ddev, void *data, struct drm_file *file);

/* qaic_irq.c */
int qaic_irq_init(struct qaic_device *qdev);
void qaic_irq_fini(struct qaic_device *qdev);
void qaic_dbc_kick_poll(struct qaic_dbc *dbc);
void qaic_dbc_poll_init(struct qaic_dbc *dbc);

/* qaic_dbc.c */
int qaic_dbc_data_init(struct qaic_device *qdev);
void qaic_dbc_data_start(struct qaic_dbc *dbc, struct qaic_user *usr);
void qaic_dbc_data_stop(struct qaic_dbc *dbc, int status);
struct qaic_dbc *qaic_dbc_of(struct qaic_device *qdev, u32 dbc_id);
bool qaic_dbc_owned(struct qaic_dbc *dbc, struct qaic_user *usr);
void qaic_bo_complete(struct qaic_dbc *dbc, struct qaic_bo *bo, u64 seen);
u64 qaic_dbc_busy_ns(struct qaic_dbc *dbc, struct qaic_user *usr);
void qaic_dbc_data_show(struct seq_file *s, struct qaic_dbc *dbc);
/* qaic_fdinfo.c */
void qaic_show_fdinfo(struct drm_printer *p, struct drm_file *file);
void qaic_fdinfo_seq(struct seq_file *m, struct file *f);

u32 qaic_dbc_read(struct qaic_dbc *dbc, u32 reg);
void qaic_dbc_write(struct qaic_dbc *dbc, u32 reg, u32 val);

#endif /* QAIC_DATA_H_ */
