// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysfs, on the card's device (…/device/qaic/ from the DRM node):
 *   state            OFFLINE | BOOT | ONLINE
 *   nnc_version      firmware control protocol, "major.minor"
 *   clock_offset_ns  device clock minus host clock (timesync), signed
 *   num_dbc          DMA bridge channels
 *   num_nsp          neural signal processors (compute cores)
 *   link_gen, link_width, link_bytes_per_sec
 *                    the host link: PCIe generation, lanes, and what one
 *                    direction carries per second (link_payload says whether
 *                    that is a payload rate (1) or the line rate (0));
 *                    -ENODATA when the hardware provider cannot tell
 *   dbc<N>_state     free | assigned
 *   dbc<N>_owner     "<tgid> <comm>" of the owning client, empty when free
 * Readable by everyone: qaic-util lists devices without privileges.
 * A DBC changing hands notifies pollers of dbc<N>_state and sends a
 * KOBJ_CHANGE uevent with QAIC_DBC=<N> and QAIC_DBC_STATE=assigned|free.
 */
#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "qaic.h"

static struct qaic_device *qdev_of(struct device *dev)
{
	return dev_get_drvdata(dev);
}

static ssize_t state_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", qaic_state_name(READ_ONCE(qdev_of(dev)->dev_state)));
}
static DEVICE_ATTR_RO(state);

static ssize_t nnc_version_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct qaic_device *qdev = qdev_of(dev);

	return sysfs_emit(buf, "%u.%u\n", qdev->nnc_major, qdev->nnc_minor);
}
static DEVICE_ATTR_RO(nnc_version);

static ssize_t clock_offset_ns_show(struct device *dev, struct device_attribute *attr,
				    char *buf)
{
	return sysfs_emit(buf, "%lld\n", qaic_clock_offset_ns(qdev_of(dev)));
}
static DEVICE_ATTR_RO(clock_offset_ns);

static ssize_t num_dbc_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", QAIC_HW_NUM_DBC);
}
static DEVICE_ATTR_RO(num_dbc);

static ssize_t dbc_state_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct dev_ext_attribute *ea = container_of(attr, struct dev_ext_attribute, attr);
	struct qaic_device *qdev = qdev_of(dev);
	unsigned long id = (unsigned long)ea->var;
	bool in_use;

	mutex_lock(&qdev->dbc_mutex);
	in_use = qdev->dbc[id].in_use;
	mutex_unlock(&qdev->dbc_mutex);
	return sysfs_emit(buf, "%s\n", in_use ? "assigned" : "free");
}

static ssize_t dbc_owner_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct dev_ext_attribute *ea = container_of(attr, struct dev_ext_attribute, attr);
	struct qaic_device *qdev = qdev_of(dev);
	unsigned long id = (unsigned long)ea->var;
	struct qaic_user *usr;
	ssize_t n;

	mutex_lock(&qdev->dbc_mutex);
	usr = qdev->dbc[id].usr;
	if (qdev->dbc[id].in_use && usr)
		n = sysfs_emit(buf, "%d %s\n", usr->tgid, usr->comm);
	else
		n = sysfs_emit(buf, "\n");
	mutex_unlock(&qdev->dbc_mutex);
	return n;
}

static ssize_t num_nsp_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", QAIC_HW_NUM_NSP);
}
static DEVICE_ATTR_RO(num_nsp);

static int link_of(struct device *dev, struct qaic_hw_link *link)
{
	struct qaic_hw *hw = qdev_of(dev)->hw;

	memset(link, 0, sizeof(*link));
	if (!hw->ops->link_info)
		return -ENODATA;
	hw->ops->link_info(hw, link);
	return link->gen ? 0 : -ENODATA;
}

static ssize_t link_gen_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct qaic_hw_link link;
	int ret = link_of(dev, &link);

	return ret ? ret : sysfs_emit(buf, "%u\n", link.gen);
}
static DEVICE_ATTR_RO(link_gen);

static ssize_t link_width_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct qaic_hw_link link;
	int ret = link_of(dev, &link);

	return ret ? ret : sysfs_emit(buf, "%u\n", link.lanes);
}
static DEVICE_ATTR_RO(link_width);

static ssize_t link_bytes_per_sec_show(struct device *dev, struct device_attribute *attr,
				       char *buf)
{
	struct qaic_hw_link link;
	int ret = link_of(dev, &link);

	return ret ? ret : sysfs_emit(buf, "%llu\n", link.bytes_per_sec);
}
static DEVICE_ATTR_RO(link_bytes_per_sec);

static ssize_t link_payload_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct qaic_hw_link link;
	int ret = link_of(dev, &link);

	return ret ? ret : sysfs_emit(buf, "%d\n", link.payload);
}
static DEVICE_ATTR_RO(link_payload);

#define QAIC_DBC_ATTRS(n)							\
	static struct dev_ext_attribute dev_attr_dbc##n##_state = {		\
		__ATTR(dbc##n##_state, 0444, dbc_state_show, NULL), (void *)n	\
	};									\
	static struct dev_ext_attribute dev_attr_dbc##n##_owner = {		\
		__ATTR(dbc##n##_owner, 0444, dbc_owner_show, NULL), (void *)n	\
	}

QAIC_DBC_ATTRS(0); QAIC_DBC_ATTRS(1); QAIC_DBC_ATTRS(2); QAIC_DBC_ATTRS(3);
QAIC_DBC_ATTRS(4); QAIC_DBC_ATTRS(5); QAIC_DBC_ATTRS(6); QAIC_DBC_ATTRS(7);
QAIC_DBC_ATTRS(8); QAIC_DBC_ATTRS(9); QAIC_DBC_ATTRS(10); QAIC_DBC_ATTRS(11);
QAIC_DBC_ATTRS(12); QAIC_DBC_ATTRS(13); QAIC_DBC_ATTRS(14); QAIC_DBC_ATTRS(15);

static struct attribute *qaic_attrs[] = {
	&dev_attr_state.attr,
	&dev_attr_nnc_version.attr,
	&dev_attr_clock_offset_ns.attr,
	&dev_attr_num_dbc.attr,
	&dev_attr_num_nsp.attr,
	&dev_attr_link_gen.attr,
	&dev_attr_link_width.attr,
	&dev_attr_link_bytes_per_sec.attr,
	&dev_attr_link_payload.attr,
	&dev_attr_dbc0_state.attr.attr,
	&dev_attr_dbc0_owner.attr.attr,
	&dev_attr_dbc1_state.attr.attr,
	&dev_attr_dbc1_owner.attr.attr,
	&dev_attr_dbc2_state.attr.attr,
	&dev_attr_dbc2_owner.attr.attr,
	&dev_attr_dbc3_state.attr.attr,
	&dev_attr_dbc3_owner.attr.attr,
	&dev_attr_dbc4_state.attr.attr,
	&dev_attr_dbc4_owner.attr.attr,
	&dev_attr_dbc5_state.attr.attr,
	&dev_attr_dbc5_owner.attr.attr,
	&dev_attr_dbc6_state.attr.attr,
	&dev_attr_dbc6_owner.attr.attr,
	&dev_attr_dbc7_state.attr.attr,
	&dev_attr_dbc7_owner.attr.attr,
	&dev_attr_dbc8_state.attr.attr,
	&dev_attr_dbc8_owner.attr.attr,
	&dev_attr_dbc9_state.attr.attr,
	&dev_attr_dbc9_owner.attr.attr,
	&dev_attr_dbc10_state.attr.attr,
	&dev_attr_dbc10_owner.attr.attr,
	&dev_attr_dbc11_state.attr.attr,
	&dev_attr_dbc11_owner.attr.attr,
	&dev_attr_dbc12_state.attr.attr,
	&dev_attr_dbc12_owner.attr.attr,
	&dev_attr_dbc13_state.attr.attr,
	&dev_attr_dbc13_owner.attr.attr,
	&dev_attr_dbc14_state.attr.attr,
	&dev_attr_dbc14_owner.attr.attr,
	&dev_attr_dbc15_state.attr.attr,
	&dev_attr_dbc15_owner.attr.attr,
	NULL,
};

static const struct attribute_group qaic_group = {
	.name = "qaic",
	.attrs = qaic_attrs,
};

const struct attribute_group *qaic_dev_groups[] = {
	&qaic_group,
	NULL,
};

void qaic_sysfs_dbc_changed(struct qaic_device *qdev, u32 dbc_id, bool assigned)
{
	char dbc[24], state[32], attr[24];
	char *envp[3] = { dbc, state, NULL };

	snprintf(attr, sizeof(attr), "dbc%u_state", dbc_id);
	snprintf(dbc, sizeof(dbc), "QAIC_DBC=%u", dbc_id);
	snprintf(state, sizeof(state), "QAIC_DBC_STATE=%s", assigned ? "assigned" : "free");
	sysfs_notify(&qdev->dev->kobj, "qaic", attr);
	kobject_uevent_env(&qdev->dev->kobj, KOBJ_CHANGE, envp);
}
