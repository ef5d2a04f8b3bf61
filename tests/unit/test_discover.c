// SPDX-License-Identifier: MIT
/* Device discovery and sysfs attributes, against a fake /sys and /dev tree. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "fake_tree.h"
#include "qaic.h"
#include "tap.h"

static struct fake_tree tree, empty;
static const char *root = tree.root;

/* One class entry: <class>/<name>/device -> devices/<dev> (NULL: no link). */
static int add_entry(const char *class, const char *name, const char *dev)
{
	char rel[256], target[PATH_MAX + 64];

	snprintf(rel, sizeof(rel), "sys/class/%s/%s", class, name);
	if (ft_mkdirs(&tree, rel))
		return -1;
	if (!dev)
		return 0;
	snprintf(target, sizeof(target), "%s/sys/devices/%s", root, dev);
	snprintf(rel, sizeof(rel), "sys/class/%s/%s/device", class, name);
	return ft_symlink(&tree, target, rel);
}

/* A parent device bound to driver (NULL: no driver link). */
static int add_device(const char *dev, const char *driver)
{
	char rel[256], target[256];

	snprintf(rel, sizeof(rel), "sys/devices/%s", dev);
	if (ft_mkdirs(&tree, rel))
		return -1;
	if (!driver)
		return 0;
	snprintf(rel, sizeof(rel), "sys/devices/%s/driver", dev);
	snprintf(target, sizeof(target), "../../../bus/platform/drivers/%s", driver);
	return ft_symlink(&tree, target, rel);
}

#define SIM0 "sys/devices/platform/qaic-sim.0"

static int build_tree(void)
{
	return add_device("platform/qaic-sim.0", "qaic-sim") ||
	       ft_write(&tree, SIM0 "/qaic/state", "ONLINE\n") ||
	       ft_write(&tree, SIM0 "/qaic/clock_offset_ns", "-1234\n") ||
	       ft_write(&tree, SIM0 "/qaic/dbc1_owner", "\n") ||
	       ft_write(&tree, SIM0 "/qaic/dbc0_owner", "4242 qaic-run\n") ||
	       add_device("pci0/0000:01:00.0", "intel_vpu") ||
	       add_device("pci0/0000:02:00.0", NULL) ||
	       ft_write(&tree, "sys/devices/pci0/0000:02:00.0/uevent",
			"MAJOR=261\nDRIVER=qaic\nPCI_ID=17CB:A100\n") ||
	       add_device("pci0/0000:03:00.0", "qaic") ||
	       add_device("pci0/0000:05:00.0", "amdgpu") ||
	       add_entry("accel", "accel10", "pci0/0000:03:00.0") ||
	       add_entry("accel", "accel0", "platform/qaic-sim.0") ||
	       add_entry("accel", "accel1", "pci0/0000:01:00.0") ||
	       add_entry("accel", "accel2", "pci0/0000:02:00.0") ||
	       add_entry("accel", "accelX", "platform/qaic-sim.0") ||
	       add_entry("drm", "card0", "pci0/0000:03:00.0") ||
	       add_entry("drm", "renderD129", "pci0/0000:05:00.0") ||
	       add_entry("drm", "renderD128", "pci0/0000:03:00.0") ||
	       /* no driver anywhere: the node is asked, and /dev/null is no DRM node */
	       add_entry("drm", "renderD130", NULL) ||
	       ft_symlink(&tree, "/dev/null", "dev/dri/renderD130") ||
	       ft_mkdirs(&tree, "dev/accel");
}

static int suite_init(void)
{
	if (ft_create(&tree) || ft_create(&empty))
		return -1;
	return build_tree();
}

static int suite_cleanup(void)
{
	int a = ft_remove(&tree);
	int b = ft_remove(&empty);

	return a || b;
}

static void expect_entry(const struct qaic_device_info *d, enum qaic_node_kind kind,
			 unsigned int minor, const char *node_rel, const char *sysfs_rel)
{
	char want[PATH_MAX * 2];

	CHECK_EQ(d->kind, kind);
	CHECK_EQ(d->minor, minor);
	snprintf(want, sizeof(want), "%s%s", root, node_rel);
	CHECK_MEM(d->node, want, strlen(want) + 1);
	snprintf(want, sizeof(want), "%s%s", root, sysfs_rel);
	CHECK_MEM(d->sysfs, want, strlen(want) + 1);
}

static void test_finds_qaic_nodes_in_order(void)
{
	struct qaic_device_info d[8];

	CHECK_RET(qaic_device_list_root(root, d, 8), 4);
	/* accel by minor (10 after 2: numeric, not by name), then render */
	expect_entry(&d[0], QAIC_NODE_ACCEL, 0, "/dev/accel/accel0", "/sys/class/accel/accel0");
	expect_entry(&d[1], QAIC_NODE_ACCEL, 2, "/dev/accel/accel2", "/sys/class/accel/accel2");
	expect_entry(&d[2], QAIC_NODE_ACCEL, 10, "/dev/accel/accel10",
		     "/sys/class/accel/accel10");
	expect_entry(&d[3], QAIC_NODE_RENDER, 128, "/dev/dri/renderD128",
		     "/sys/class/drm/renderD128");
}

static void test_max_limits_filling_not_counting(void)
{
	struct qaic_device_info d[3];

	memset(d, 0x5a, sizeof(d));
	CHECK_RET(qaic_device_list_root(root, d, 2), 4);
	CHECK_EQ(d[0].minor, 0);
	CHECK_EQ(d[1].minor, 2);
	CHECK_EQ((uint8_t)d[2].node[0], 0x5a);	/* untouched */
	CHECK_RET(qaic_device_list_root(root, NULL, 0), 4);
}

static void test_no_devices_is_zero(void)
{
	struct qaic_device_info d[2];

	CHECK_RET(qaic_device_list_root(empty.root, d, 2), 0);
	CHECK_RET(qaic_device_list_root(empty.root, NULL, 0), 0);
}

static void test_bad_arguments(void)
{
	struct qaic_device_info d[1];
	char long_root[600];

	CHECK_ERR(qaic_device_list_root(root, NULL, 1), EINVAL);
	CHECK_ERR(qaic_device_list_root(root, d, -1), EINVAL);
	CHECK_ERR(qaic_device_list(NULL, 3), EINVAL);
	memset(long_root, 'a', sizeof(long_root) - 1);
	long_root[0] = '/';
	long_root[sizeof(long_root) - 1] = '\0';
	CHECK_ERR(qaic_device_list_root(long_root, d, 1), ENAMETOOLONG);
}

static void test_kind_names(void)
{
	CHECK_MEM(qaic_node_kind_name(QAIC_NODE_ACCEL), "accel", 6);
	CHECK_MEM(qaic_node_kind_name(QAIC_NODE_RENDER), "render", 7);
	CHECK_MEM(qaic_node_kind_name((enum qaic_node_kind)0), "?", 2);
}

static void test_attr_reads_and_trims(void)
{
	struct qaic_device_info d[1];
	char buf[64];

	CHECK_RET(qaic_device_list_root(root, d, 1), 4);
	CHECK_RET(qaic_device_attr(d, "state", buf, sizeof(buf)), 6);
	CHECK_MEM(buf, "ONLINE", 7);
	CHECK_RET(qaic_device_attr(d, "clock_offset_ns", buf, sizeof(buf)), 5);
	CHECK_MEM(buf, "-1234", 6);
	CHECK_RET(qaic_device_attr(d, "dbc0_owner", buf, sizeof(buf)), 13);
	CHECK_MEM(buf, "4242 qaic-run", 14);
	CHECK_RET(qaic_device_attr(d, "dbc1_owner", buf, sizeof(buf)), 0);
	CHECK_MEM(buf, "", 1);
}

static void test_attr_errors(void)
{
	struct qaic_device_info d[1];
	char buf[8];

	CHECK_RET(qaic_device_list_root(root, d, 1), 4);
	CHECK_ERR(qaic_device_attr(d, "num_dbc", buf, sizeof(buf)), ENOENT);
	CHECK_ERR(qaic_device_attr(d, "state", buf, 6), EOVERFLOW);
	CHECK_ERR(qaic_device_attr(d, "state", buf, 1), EOVERFLOW);
	CHECK_RET(qaic_device_attr(d, "state", buf, 7), 6);
	CHECK_ERR(qaic_device_attr(d, "../qaic/state", buf, sizeof(buf)), EINVAL);
	CHECK_ERR(qaic_device_attr(d, "..", buf, sizeof(buf)), EINVAL);
	CHECK_ERR(qaic_device_attr(d, ".", buf, sizeof(buf)), EINVAL);
	CHECK_ERR(qaic_device_attr(d, "", buf, sizeof(buf)), EINVAL);
	CHECK_ERR(qaic_device_attr(d, "state", buf, 0), EINVAL);
	CHECK_ERR(qaic_device_attr(d, "state", NULL, 8), EINVAL);
	CHECK_ERR(qaic_device_attr(d, NULL, buf, sizeof(buf)), EINVAL);
	CHECK_ERR(qaic_device_attr(NULL, "state", buf, sizeof(buf)), EINVAL);
	/* An entry without the driver's directory: every attribute is missing. */
	CHECK_RET(qaic_device_list_root(root, d, 1), 4);
	memcpy(d[0].sysfs + strlen(d[0].sysfs) - 1, "2", 2);
	CHECK_ERR(qaic_device_attr(d, "state", buf, sizeof(buf)), ENOENT);
}

static CU_TestInfo tests[] = {
	{ "finds qaic accel and render nodes, in order", test_finds_qaic_nodes_in_order },
	{ "max limits what is filled, not what is counted",
	  test_max_limits_filling_not_counting },
	{ "no class directories: zero devices", test_no_devices_is_zero },
	{ "bad arguments", test_bad_arguments },
	{ "node kind names", test_kind_names },
	{ "attributes are read and trimmed", test_attr_reads_and_trims },
	{ "attribute errors", test_attr_errors },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "discover", suite_init, suite_cleanup, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
