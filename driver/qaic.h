/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * qaic.ko internals shared between its files.
 *
 *   qaic_drv.c       module, DRM device, device states, clients, sysfs
 *   qaic_hw_pci.c    the PCI provider of struct qaic_hw (17cb:a100)
 *   qaic_mhi.c       MHI controller registration (AIC100 channel config)
 *   qaic_control.c   MANAGE ioctl: NNC messages over QAIC_CONTROL
 *   qaic_timesync.c  periodic host/device clock offset
 *   qaic_sysfs.c     sysfs attributes of the card
 *   qaic_debugfs.c   debugfs
 *   qaic_data.h      the data path (BOs, slices, execute, completions)
 */
#ifndef QAIC_H_
#define QAIC_H_

#include <linux/completion.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mhi.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/srcu.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <drm/drm_device.h>
#include <drm/drm_file.h>

#include "qaic_hw.h"
#include "qaic_data.h"

#define QAIC_NAME		"qaic"
#define QAIC_DESC		"Qualcomm Cloud AI 100 accelerator (qaic-scope)"

/* Order is ABI: the qaic_dev_state tracepoint and sysfs report it. */
enum qaic_dev_state {
	QAIC_OFFLINE = 0,	/* no control path: probing, reset, removal */
	QAIC_BOOT = 1,		/* control channel up, firmware not checked yet */
	QAIC_ONLINE = 2,	/* usable */
};

/* Why the state changed; values are ABI (qaic_dev_state tracepoint). */
enum qaic_state_reason {
	QAIC_REASON_PROBE = 0,
	QAIC_REASON_CONTROL_UP = 1,
	QAIC_REASON_VERSION_OK = 2,
	QAIC_REASON_VERSION_BAD = 3,
	QAIC_REASON_SYS_ERR = 4,
	QAIC_REASON_CONTROL_DOWN = 5,
	QAIC_REASON_REMOVE = 6,
};

struct qaic_device;
struct qaic_user;

struct qaic_dbc {
	struct qaic_device *qdev;
	u32 id;
	/* Fields below are guarded by qdev->dbc_mutex. */
	bool in_use;			/* assigned to usr by the device */
	bool deactivating;		/* usr asked the device to release it */
	struct qaic_user *usr;		/* owner, NULL when free */
	u32 user_handle;		/* owner's NNC handle */
	void *req_q_base;		/* host-donated queue memory */
	void *rsp_q_base;
	dma_addr_t dma_addr;
	u32 total_size;
	u32 nelem;
	struct qaic_dbc_data dp;	/* data path: own locking (qaic_data.h) */
};

struct qaic_device {
	struct device *dev;		/* the platform or PCI device */
	struct qaic_hw *hw;
	struct drm_device *ddev;
	u32 minor;			/* DRM minor index: "dev" in tracepoints */
	struct mhi_controller *mhi_cntrl;

	/*
	 * dev_state changes under state_mutex; readers that must not race a
	 * reset hold dev_srcu for reading and test the state inside.
	 */
	struct mutex state_mutex;
	enum qaic_dev_state dev_state;
	struct srcu_struct dev_srcu;
	u16 nnc_major;
	u16 nnc_minor;

	/* Control path (qaic_control.c). */
	struct mhi_device *cntl_ch;
	struct mutex cntl_mutex;	/* keeps one message's pieces together on the ring */
	atomic_t next_seq_num;
	spinlock_t cntl_lock;		/* guards cntl_xfer_list and cntl_dead */
	struct list_head cntl_xfer_list;	/* requests waiting for a reply */
	bool cntl_dead;			/* channel going down: no new waiters */
	atomic_t chunk_id;
	atomic64_t cntl_timeouts;
	atomic64_t cntl_replies;
	atomic64_t cntl_bad_replies;

	/* Timesync (qaic_timesync.c). */
	struct mhi_device *ts_ch;
	struct delayed_work ts_work;
	spinlock_t ts_lock;		/* guards the ts_* fields below */
	u32 ts_seq;
	u64 ts_sent_ns;
	bool ts_pending;
	s64 clock_offset_ns;
	u64 ts_rtt_ns;
	u64 ts_count;

	/* DBCs and clients. */
	struct mutex release_mutex;	/* serializes DBC releases (outermost) */
	struct mutex dbc_mutex;		/* guards every qaic_dbc's owner fields */
	struct qaic_dbc dbc[QAIC_HW_NUM_DBC];
	struct mutex users_mutex;	/* guards users */
	struct list_head users;
	struct work_struct reset_work;
	struct work_struct boot_work;	/* version check after the control channel is up */

	/* Data path totals, for leak checks (debugfs state). */
	atomic_t nr_bos;		/* GEM objects alive */
	atomic_t nr_bo_mappings;	/* BOs DMA-mapped for the card (slices, imports) */

	struct dentry *debugfs;
};

struct qaic_user {
	struct qaic_device *qdev;
	struct list_head node;		/* in qdev->users */
	u32 handle;			/* NNC user handle, unique per device */
	u64 client_id;			/* DRM client id (fdinfo drm-client-id) */
	pid_t tgid;
	char comm[TASK_COMM_LEN];
	u64 busy_ns[QAIC_HW_NUM_DBC];	/* DBC n busy for us, under dbc[n].dp.xfer_lock */
};

/* qaic_drv.c */
struct qaic_device *qaic_to_qdev(struct drm_device *ddev);
const char *qaic_state_name(enum qaic_dev_state state);
int qaic_device_probe(struct device *dev, struct qaic_hw *hw);
void qaic_device_remove(struct device *dev);
void qaic_set_state(struct qaic_device *qdev, enum qaic_dev_state state,
		    enum qaic_state_reason reason);
/* Release a DBC if @owner (any owner when NULL) still holds it. */
void qaic_dbc_release(struct qaic_device *qdev, u32 dbc_id, struct qaic_user *owner,
		      int status);
void qaic_release_all_dbcs(struct qaic_device *qdev, struct qaic_user *usr, int status);
extern const struct attribute_group *qaic_dev_groups[];

/* qaic_sysfs.c */
void qaic_sysfs_dbc_changed(struct qaic_device *qdev, u32 dbc_id, bool assigned);

/* qaic_control.c */
int qaic_manage_ioctl(struct drm_device *ddev, void *data, struct drm_file *file);
int qaic_control_open(struct qaic_device *qdev, struct mhi_device *mhi_dev);
void qaic_control_close(struct qaic_device *qdev);
int qaic_control_version(struct qaic_device *qdev, u16 *major, u16 *minor);
void qaic_control_terminate(struct qaic_device *qdev, struct qaic_user *usr);
void qaic_control_wake_all(struct qaic_device *qdev);
void qaic_control_ul_cb(struct mhi_device *mhi_dev, struct mhi_result *res);
void qaic_control_dl_cb(struct mhi_device *mhi_dev, struct mhi_result *res);
void qaic_control_init(struct qaic_device *qdev);

/* qaic_timesync.c */
int qaic_timesync_open(struct qaic_device *qdev, struct mhi_device *mhi_dev);
void qaic_timesync_close(struct qaic_device *qdev);
void qaic_timesync_ul_cb(struct mhi_device *mhi_dev, struct mhi_result *res);
void qaic_timesync_dl_cb(struct mhi_device *mhi_dev, struct mhi_result *res);
s64 qaic_clock_offset_ns(struct qaic_device *qdev);

/* qaic_hw_pci.c */
int qaic_pci_register(void);
void qaic_pci_unregister(void);

/* qaic_debugfs.c */
void qaic_debugfs_register(void);
void qaic_debugfs_unregister(void);
void qaic_debugfs_init(struct qaic_device *qdev);
void qaic_debugfs_fini(struct qaic_device *qdev);

#endif /* QAIC_H_ */
