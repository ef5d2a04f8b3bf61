// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-client usage in /proc/PID/fdinfo/FD of an open qaic node, in the keys
 * of Documentation/gpu/drm-usage-stats.rst:
 *
 *   drm-driver, drm-client-id, drm-pdev (PCI cards only)
 *	the DRM core prints these on 6.5+; qaic_fdinfo_seq() does on 6.1
 *   drm-engine-dbc<N>: <ns> ns
 *	time DBC N was busy for this client: from the tail write that queued
 *	work on an idle DBC to the completion that left it idle, so queueing
 *	and device time both count, overlapping requests once. Listed for
 *	every DBC the client owns or ever kept busy.
 *   drm-total-memory, drm-shared-memory, drm-resident-memory: <n> KiB
 *	the BOs the client has handles to: all of them; those shared (another
 *	handle, or exported/imported as a dma-buf); those whose pages are
 *	ours (an import's memory belongs to its exporter).
 */
#include <linux/idr.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include "qaic.h"
#include "qaic_data.h"

void qaic_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct qaic_user *usr = file->driver_priv;
	struct qaic_device *qdev = usr->qdev;
	u64 total = 0, shared = 0, resident = 0;
	struct drm_gem_object *obj;
	int id;
	u32 i;

	for (i = 0; i < QAIC_HW_NUM_DBC; i++) {
		struct qaic_dbc *dbc = &qdev->dbc[i];
		u64 ns = qaic_dbc_busy_ns(dbc, usr);

		if (ns || READ_ONCE(dbc->dp.owner) == usr)
			drm_printf(p, "drm-engine-dbc%u:\t%llu ns\n", i, ns);
	}

	spin_lock(&file->table_lock);
	idr_for_each_entry(&file->object_idr, obj, id) {
		total += obj->size;
		if (obj->handle_count > 1 || obj->dma_buf || obj->import_attach)
			shared += obj->size;
		if (!obj->import_attach)
			resident += obj->size;
	}
	spin_unlock(&file->table_lock);
	drm_printf(p, "drm-total-memory:\t%llu KiB\n", total >> 10);
	drm_printf(p, "drm-shared-memory:\t%llu KiB\n", shared >> 10);
	drm_printf(p, "drm-resident-memory:\t%llu KiB\n", resident >> 10);
}

/* The whole fdinfo, for kernels whose DRM core prints none of it (6.1). */
void qaic_fdinfo_seq(struct seq_file *m, struct file *f)
{
	struct drm_file *file = f->private_data;
	struct qaic_user *usr = file->driver_priv;
	struct drm_device *ddev = file->minor->dev;
	struct drm_printer p = drm_seq_file_printer(m);
	int idx;

	if (!drm_dev_enter(ddev, &idx))
		return;
	drm_printf(&p, "drm-driver:\t%s\n", ddev->driver->name);
	drm_printf(&p, "drm-client-id:\t%llu\n", usr->client_id);
	if (dev_is_pci(ddev->dev)) {
		struct pci_dev *pdev = to_pci_dev(ddev->dev);

		drm_printf(&p, "drm-pdev:\t%04x:%02x:%02x.%d\n", pci_domain_nr(pdev->bus),
			   pdev->bus->number, PCI_SLOT(pdev->devfn), PCI_FUNC(pdev->devfn));
	}
	qaic_show_fdinfo(&p, file);
	drm_dev_exit(idx);
}
