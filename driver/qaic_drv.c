// SPDX-License-Identifier: GPL-2.0-only
/*
 * qaic.ko: DRM driver for AIC100 cards. The card comes from a provider of
 * struct qaic_hw (the PCI function, or the qaic_sim platform device); this
 * file binds it, registers the DRM device (accel node on 6.2+, render node
 * on 6.1), brings the control path up through MHI, tracks the device state
 * (OFFLINE -> BOOT -> ONLINE, back to OFFLINE on reset) and the clients.
 */
#include <linux/kobject.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>

#include "qaic_accel.h"
#include "qaic_nnc.h"
#include "qaic.h"
#include "qaic_compat.h"
#include "qaic_mhi.h"
#include "qaic_trace.h"

enum qaic_mhi_client {
	QAIC_MHI_CONTROL,
	QAIC_MHI_TIMESYNC,
};

struct qaic_drm {
	struct drm_device drm;
	struct qaic_device qdev;
};

static struct qaic_device *to_qdev(struct drm_device *ddev)
{
	return &container_of(ddev, struct qaic_drm, drm)->qdev;
}

struct qaic_device *qaic_to_qdev(struct drm_device *ddev)
{
	return to_qdev(ddev);
}

static const char *const state_names[] = {
	[QAIC_OFFLINE] = "OFFLINE",
	[QAIC_BOOT] = "BOOT",
	[QAIC_ONLINE] = "ONLINE",
};

const char *qaic_state_name(enum qaic_dev_state state)
{
	return state < ARRAY_SIZE(state_names) ? state_names[state] : "UNKNOWN";
}

void qaic_set_state(struct qaic_device *qdev, enum qaic_dev_state state,
		    enum qaic_state_reason reason)
{
	struct drm_minor *minor = qaic_drm_minor(qdev->ddev);
	enum qaic_dev_state old;

	mutex_lock(&qdev->state_mutex);
	old = qdev->dev_state;
	WRITE_ONCE(qdev->dev_state, state);
	mutex_unlock(&qdev->state_mutex);
	if (old == state)
		return;
	trace_qaic_dev_state(qdev->minor, old, state, reason);
	dev_dbg(qdev->dev, "state %s -> %s\n", qaic_state_name(old), qaic_state_name(state));
	if (minor && minor->kdev && (state == QAIC_ONLINE || old == QAIC_ONLINE))
		kobject_uevent(&minor->kdev->kobj,
			       state == QAIC_ONLINE ? KOBJ_ONLINE : KOBJ_OFFLINE);
}

/*
 * Stop a DBC's data path (fails its queued BOs, unmaps its sliced ones),
 * then free its queue memory and owner; status is the tracepoint's and the
 * reason the BOs fail with. The device no longer reads the queues: it
 * confirmed the DEACTIVATE or TERMINATE, or it is being reset or removed.
 */
void qaic_dbc_release(struct qaic_device *qdev, u32 dbc_id, struct qaic_user *owner, int status)
{
	struct qaic_dbc *dbc = &qdev->dbc[dbc_id];
	struct qaic_user *usr;
	u32 nelem, handle;
	bool held;

	mutex_lock(&qdev->release_mutex);
	mutex_lock(&qdev->dbc_mutex);
	held = dbc->in_use && (!owner || dbc->usr == owner);
	mutex_unlock(&qdev->dbc_mutex);
	if (!held) {
		mutex_unlock(&qdev->release_mutex);
		return;
	}
	/* Takes BO locks: not under dbc_mutex (attach holds a BO's lock first). */
	qaic_dbc_data_stop(dbc, status);

	mutex_lock(&qdev->dbc_mutex);
	usr = dbc->usr;
	nelem = dbc->nelem;
	handle = dbc->user_handle;
	dma_free_coherent(qdev->hw->dma_dev, dbc->total_size, dbc->req_q_base, dbc->dma_addr);
	dbc->req_q_base = NULL;
	dbc->rsp_q_base = NULL;
	dbc->in_use = false;
	dbc->deactivating = false;
	dbc->usr = NULL;
	dbc->user_handle = 0;
	dbc->nelem = 0;
	dbc->total_size = 0;
	trace_qaic_workload_deactivate(qdev->minor, usr ? usr->client_id : 0,
				       usr ? usr->tgid : 0, dbc_id, handle, nelem, status);
	mutex_unlock(&qdev->dbc_mutex);
	mutex_unlock(&qdev->release_mutex);
	qaic_sysfs_dbc_changed(qdev, dbc_id, false);
}

/* Release every DBC of @usr, or of everyone when @usr is NULL. */
void qaic_release_all_dbcs(struct qaic_device *qdev, struct qaic_user *usr, int status)
{
	u32 i;

	for (i = 0; i < QAIC_HW_NUM_DBC; i++) {
		bool mine;

		mutex_lock(&qdev->dbc_mutex);
		mine = qdev->dbc[i].in_use && (!usr || qdev->dbc[i].usr == usr);
		mutex_unlock(&qdev->dbc_mutex);
		if (mine)
			qaic_dbc_release(qdev, i, usr, status);
	}
}

static int qaic_open(struct drm_device *ddev, struct drm_file *file)
{
	struct qaic_device *qdev = to_qdev(ddev);
	static atomic_t next_handle = ATOMIC_INIT(0);
	struct qaic_user *usr;

	usr = kzalloc(sizeof(*usr), GFP_KERNEL);
	if (!usr)
		return -ENOMEM;
	usr->qdev = qdev;
	/* Handle 0 is the driver's own (version checks). */
	do {
		usr->handle = atomic_inc_return(&next_handle);
	} while (!usr->handle);
	usr->client_id = qaic_client_id(file);
	usr->tgid = task_tgid_nr(current);
	get_task_comm(usr->comm, current);
	mutex_lock(&qdev->users_mutex);
	list_add_tail(&usr->node, &qdev->users);
	mutex_unlock(&qdev->users_mutex);
	file->driver_priv = usr;
	return 0;
}

static void qaic_postclose(struct drm_device *ddev, struct drm_file *file)
{
	struct qaic_user *usr = file->driver_priv;
	struct qaic_device *qdev = usr->qdev;
	int idx;

	idx = srcu_read_lock(&qdev->dev_srcu);
	if (READ_ONCE(qdev->dev_state) == QAIC_ONLINE)
		qaic_control_terminate(qdev, usr);
	srcu_read_unlock(&qdev->dev_srcu, idx);
	qaic_release_all_dbcs(qdev, usr, 0);

	mutex_lock(&qdev->users_mutex);
	list_del(&usr->node);
	mutex_unlock(&qdev->users_mutex);
	kfree(usr);
}

static const struct drm_ioctl_desc qaic_ioctls[] = {
	DRM_IOCTL_DEF_DRV(QAIC_MANAGE, qaic_manage_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(QAIC_CREATE_BO, qaic_create_bo_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(QAIC_MMAP_BO, qaic_mmap_bo_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(QAIC_ATTACH_SLICE_BO, qaic_attach_slice_bo_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(QAIC_EXECUTE_BO, qaic_execute_bo_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(QAIC_PARTIAL_EXECUTE_BO, qaic_partial_execute_bo_ioctl,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(QAIC_WAIT_BO, qaic_wait_bo_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(QAIC_PERF_STATS_BO, qaic_perf_stats_bo_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(QAIC_DETACH_SLICE_BO, qaic_detach_slice_bo_ioctl, DRM_RENDER_ALLOW),
};

static const struct file_operations qaic_fops = {
	.owner = THIS_MODULE,
	QAIC_NODE_FOPS,
	.show_fdinfo = QAIC_FOPS_FDINFO,
};

static const struct drm_driver qaic_drm_driver = {
	.driver_features = DRIVER_GEM | QAIC_NODE_FEATURES,
	.name = QAIC_NAME,
	.desc = QAIC_DESC,
	.date = "20261124",
	.major = 0,
	.minor = 1,
	.fops = &qaic_fops,
	.open = qaic_open,
	.postclose = qaic_postclose,
	.ioctls = qaic_ioctls,
	.num_ioctls = ARRAY_SIZE(qaic_ioctls),
	.prime_handle_to_fd = drm_gem_prime_handle_to_fd,
	.prime_fd_to_handle = drm_gem_prime_fd_to_handle,
	.gem_prime_import = qaic_gem_prime_import,
	.gem_prime_import_sg_table = qaic_gem_prime_import_sg_table,
	QAIC_DRIVER_FDINFO(qaic_show_fdinfo)
};

/* Device reset (MHI SYS_ERR): fail everything in flight, forget every DBC. */
static void qaic_reset_work(struct work_struct *work)
{
	struct qaic_device *qdev = container_of(work, struct qaic_device, reset_work);

	qaic_set_state(qdev, QAIC_OFFLINE, QAIC_REASON_SYS_ERR);
	qaic_control_wake_all(qdev);
	synchronize_srcu(&qdev->dev_srcu);
	qaic_release_all_dbcs(qdev, NULL, -EIO);
}

static void qaic_mhi_status_cb(struct mhi_controller *mhi, enum mhi_callback reason)
{
	struct qaic_device *qdev = dev_get_drvdata(mhi->cntrl_dev);

	if (reason == MHI_CB_FATAL_ERROR)
		dev_err_ratelimited(qdev->dev, "fatal error from the device, recovering\n");
	/*
	 * SYS_ERROR comes in process context, before MHI removes the channel
	 * devices: record why the card goes down and fail the waiters now.
	 */
	if (reason == MHI_CB_SYS_ERROR) {
		qaic_set_state(qdev, QAIC_OFFLINE, QAIC_REASON_SYS_ERR);
		qaic_control_wake_all(qdev);
	}
	if (reason == MHI_CB_SYS_ERROR || reason == MHI_CB_FATAL_ERROR)
		queue_work(system_long_wq, &qdev->reset_work);
}

/*
 * Ask the firmware for its control protocol version, off the MHI probe path:
 * a reply that never comes must not hold up MHI's state machine (and with it
 * SYS_ERR handling) for the whole reply timeout.
 */
static void qaic_boot_work(struct work_struct *work)
{
	struct qaic_device *qdev = container_of(work, struct qaic_device, boot_work);
	u16 major = 0, minor = 0;
	bool booting;
	int ret;

	ret = qaic_control_version(qdev, &major, &minor);
	mutex_lock(&qdev->state_mutex);
	booting = qdev->dev_state == QAIC_BOOT;
	mutex_unlock(&qdev->state_mutex);
	/* Reset or removal got there first and already said why. */
	if (!booting)
		return;
	if (ret || major != NNC_VERSION_MAJOR) {
		dev_err(qdev->dev, "firmware control protocol %u.%u (error %d), need %u.x\n",
			major, minor, ret, NNC_VERSION_MAJOR);
		qaic_set_state(qdev, QAIC_OFFLINE, QAIC_REASON_VERSION_BAD);
		return;
	}
	qdev->nnc_major = major;
	qdev->nnc_minor = minor;
	qaic_set_state(qdev, QAIC_ONLINE, QAIC_REASON_VERSION_OK);
	dev_info(qdev->dev, "%s online, NNC %u.%u\n", qdev->hw->name, major, minor);
}

static int qaic_mhi_client_probe(struct mhi_device *mhi_dev, const struct mhi_device_id *id)
{
	struct qaic_device *qdev = dev_get_drvdata(mhi_dev->mhi_cntrl->cntrl_dev);
	int ret;

	dev_set_drvdata(&mhi_dev->dev, qdev);
	if (id->driver_data == QAIC_MHI_TIMESYNC)
		return qaic_timesync_open(qdev, mhi_dev);

	flush_work(&qdev->reset_work);
	ret = qaic_control_open(qdev, mhi_dev);
	if (ret)
		return ret;
	qaic_set_state(qdev, QAIC_BOOT, QAIC_REASON_CONTROL_UP);
	queue_work(system_long_wq, &qdev->boot_work);
	return 0;
}

static void qaic_mhi_client_remove(struct mhi_device *mhi_dev)
{
	struct qaic_device *qdev = dev_get_drvdata(&mhi_dev->dev);

	if (mhi_dev == qdev->ts_ch) {
		qaic_timesync_close(qdev);
		return;
	}
	qaic_set_state(qdev, QAIC_OFFLINE, QAIC_REASON_CONTROL_DOWN);
	/* Fails a version query in flight, so the boot work ends at once. */
	qaic_control_wake_all(qdev);
	cancel_work_sync(&qdev->boot_work);
	qaic_control_close(qdev);
	synchronize_srcu(&qdev->dev_srcu);
	qaic_release_all_dbcs(qdev, NULL, -EIO);
}

static void qaic_mhi_client_ul_cb(struct mhi_device *mhi_dev, struct mhi_result *res)
{
	struct qaic_device *qdev = dev_get_drvdata(&mhi_dev->dev);

	if (mhi_dev == qdev->ts_ch)
		qaic_timesync_ul_cb(mhi_dev, res);
	else
		qaic_control_ul_cb(mhi_dev, res);
}

static void qaic_mhi_client_dl_cb(struct mhi_device *mhi_dev, struct mhi_result *res)
{
	struct qaic_device *qdev = dev_get_drvdata(&mhi_dev->dev);

	if (mhi_dev == qdev->ts_ch)
		qaic_timesync_dl_cb(mhi_dev, res);
	else
		qaic_control_dl_cb(mhi_dev, res);
}

static const struct mhi_device_id qaic_mhi_ids[] = {
	{ .chan = "QAIC_CONTROL", .driver_data = QAIC_MHI_CONTROL },
	{ .chan = "QAIC_TIMESYNC_PERIODIC", .driver_data = QAIC_MHI_TIMESYNC },
	{},
};
MODULE_DEVICE_TABLE(mhi, qaic_mhi_ids);

static struct mhi_driver qaic_mhi_driver = {
	.id_table = qaic_mhi_ids,
	.probe = qaic_mhi_client_probe,
	.remove = qaic_mhi_client_remove,
	.ul_xfer_cb = qaic_mhi_client_ul_cb,
	.dl_xfer_cb = qaic_mhi_client_dl_cb,
	.driver = {
		.name = "qaic_mhi",
	},
};

static void qaic_drm_release(struct drm_device *ddev, void *data)
{
	struct qaic_device *qdev = data;

	/* Last reference: no open file can enter an SRCU section any more. */
	cleanup_srcu_struct(&qdev->dev_srcu);
}

int qaic_device_probe(struct device *dev, struct qaic_hw *hw)
{
	struct qaic_device *qdev;
	struct qaic_drm *qdrm;
	u32 i;
	int ret;

	qdrm = devm_drm_dev_alloc(dev, &qaic_drm_driver, struct qaic_drm, drm);
	if (IS_ERR(qdrm))
		return PTR_ERR(qdrm);
	qdev = &qdrm->qdev;
	qdev->dev = dev;
	qdev->hw = hw;
	qdev->ddev = &qdrm->drm;
	mutex_init(&qdev->state_mutex);
	qdev->dev_state = QAIC_OFFLINE;
	ret = init_srcu_struct(&qdev->dev_srcu);
	if (ret)
		return ret;
	ret = drmm_add_action_or_reset(qdev->ddev, qaic_drm_release, qdev);
	if (ret)
		return ret;
	qaic_control_init(qdev);
	spin_lock_init(&qdev->ts_lock);
	mutex_init(&qdev->release_mutex);
	mutex_init(&qdev->dbc_mutex);
	mutex_init(&qdev->users_mutex);
	INIT_LIST_HEAD(&qdev->users);
	INIT_WORK(&qdev->reset_work, qaic_reset_work);
	INIT_WORK(&qdev->boot_work, qaic_boot_work);
	for (i = 0; i < QAIC_HW_NUM_DBC; i++) {
		qdev->dbc[i].qdev = qdev;
		qdev->dbc[i].id = i;
	}
	ret = qaic_dbc_data_init(qdev);
	if (ret)
		return ret;
	dev_set_drvdata(dev, qdev);
	ret = qaic_irq_init(qdev);
	if (ret)
		return ret;

	ret = drm_dev_register(qdev->ddev, 0);
	if (ret)
		goto free_irqs;
	qdev->minor = qaic_drm_minor(qdev->ddev)->index;
	qaic_debugfs_init(qdev);
	trace_qaic_dev_state(qdev->minor, QAIC_OFFLINE, QAIC_OFFLINE, QAIC_REASON_PROBE);

	qdev->mhi_cntrl = qaic_mhi_register_controller(dev, hw, qaic_mhi_status_cb);
	if (IS_ERR(qdev->mhi_cntrl)) {
		ret = PTR_ERR(qdev->mhi_cntrl);
		qdev->mhi_cntrl = NULL;
		goto unregister;
	}
	return 0;

unregister:
	qaic_debugfs_fini(qdev);
	drm_dev_unregister(qdev->ddev);
free_irqs:
	qaic_irq_fini(qdev);
	return ret;
}

void qaic_device_remove(struct device *dev)
{
	struct qaic_device *qdev = dev_get_drvdata(dev);

	qaic_set_state(qdev, QAIC_OFFLINE, QAIC_REASON_REMOVE);
	/* Powers the device down: the MHI client devices go away first. */
	qaic_mhi_free_controller(qdev->mhi_cntrl, true);
	cancel_work_sync(&qdev->boot_work);
	cancel_work_sync(&qdev->reset_work);
	qaic_release_all_dbcs(qdev, NULL, -ENODEV);
	qaic_irq_fini(qdev);
	qaic_debugfs_fini(qdev);
	drm_dev_unplug(qdev->ddev);
	synchronize_srcu(&qdev->dev_srcu);
}

static int qaic_platform_probe(struct platform_device *pdev)
{
	struct qaic_hw_pdata *pdata = dev_get_platdata(&pdev->dev);

	if (!pdata || !pdata->hw || !pdata->hw->ops || !pdata->hw->nr_irqs)
		return -EINVAL;
	return qaic_device_probe(&pdev->dev, pdata->hw);
}

static void qaic_platform_remove(struct platform_device *pdev)
{
	qaic_device_remove(&pdev->dev);
}

static struct platform_driver qaic_platform_driver = {
	.probe = qaic_platform_probe,
	.remove_new = qaic_platform_remove,
	.driver = {
		.name = QAIC_HW_SIM_NAME,
		.dev_groups = qaic_dev_groups,
	},
};

static int __init qaic_init(void)
{
	int ret;

	qaic_debugfs_register();
	ret = mhi_driver_register(&qaic_mhi_driver);
	if (ret)
		goto unregister_debugfs;
	ret = platform_driver_register(&qaic_platform_driver);
	if (ret)
		goto unregister_mhi;
	ret = qaic_pci_register();
	if (ret)
		goto unregister_platform;
	return 0;

unregister_platform:
	platform_driver_unregister(&qaic_platform_driver);
unregister_mhi:
	mhi_driver_unregister(&qaic_mhi_driver);
unregister_debugfs:
	qaic_debugfs_unregister();
	return ret;
}

static void __exit qaic_exit(void)
{
	qaic_pci_unregister();
	platform_driver_unregister(&qaic_platform_driver);
	mhi_driver_unregister(&qaic_mhi_driver);
	qaic_debugfs_unregister();
}

module_init(qaic_init);
module_exit(qaic_exit);

MODULE_AUTHOR("qaic-scope developers");
MODULE_DESCRIPTION(QAIC_DESC);
MODULE_LICENSE("GPL");
MODULE_ALIAS("platform:" QAIC_HW_SIM_NAME);
