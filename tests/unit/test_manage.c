// SPDX-License-Identifier: MIT
/*
 * Opening devices and the MANAGE ioctl path, against a scripted fake kernel:
 * the test binary is linked with --wrap so libqaic's drmIoctl, drmGetVersion
 * and drmFreeVersion land here. Each test scripts the kernel's answer the way
 * upstream's driver writes it (host-order transactions in place, count from
 * the device, DEACTIVATE_FROM_DEV consumed, reply kept on -ECANCELED).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

#include "check.h"
#include "fake_tree.h"
#include "qaic.h"
#include "tap.h"

drmVersionPtr __wrap_drmGetVersion(int fd);
void __wrap_drmFreeVersion(drmVersionPtr v);
int __wrap_drmIoctl(int fd, unsigned long request, void *arg);

/* ---- the fake kernel ---------------------------------------------------- */

/* What a scripted MANAGE does: rewrite arg and data, return 0 or an errno. */
typedef int (*manage_script)(struct qaic_manage_msg *arg, uint8_t *data);

static const char *fake_driver = "qaic";	/* NULL: not a DRM node */
static manage_script script;
static int ioctl_calls;
static struct qaic_manage_msg seen;		/* the request as the kernel got it */
static uint8_t seen_data[QAIC_MANAGE_MAX_MSG_LENGTH];

drmVersionPtr __wrap_drmGetVersion(int fd)
{
	drmVersionPtr v;

	(void)fd;
	if (!fake_driver) {
		errno = ENOTTY;
		return NULL;
	}
	v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->version_major = 1;
	v->version_minor = 2;
	v->name = strdup(fake_driver);
	v->name_len = (int)strlen(fake_driver);
	return v;
}

void __wrap_drmFreeVersion(drmVersionPtr v)
{
	if (!v)
		return;
	free(v->name);
	free(v);
}

int __wrap_drmIoctl(int fd, unsigned long request, void *arg)
{
	struct qaic_manage_msg *m = arg;
	int err;

	(void)fd;
	ioctl_calls++;
	if (request != DRM_IOCTL_QAIC_MANAGE || !script) {
		errno = ENOTTY;
		return -1;
	}
	seen = *m;
	memcpy(seen_data, (void *)(uintptr_t)m->data,
	       m->len <= sizeof(seen_data) ? m->len : sizeof(seen_data));
	err = script(m, (uint8_t *)(uintptr_t)m->data);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

/* Reply writing, as upstream's decode_*() do it. */
static void reply_begin(struct qaic_manage_msg *m, uint32_t device_count)
{
	m->len = 0;
	m->count = device_count;
}

static uint8_t *reply_add(struct qaic_manage_msg *m, uint8_t *data, uint32_t type, uint32_t len)
{
	uint8_t *t = data + m->len;

	memset(t, 0, len);
	memcpy(t, &type, 4);
	memcpy(t + 4, &len, 4);
	m->len += len;
	return t;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void reply_status(struct qaic_manage_msg *m, uint8_t *data, uint32_t status)
{
	uint8_t *t = reply_add(m, data, QAIC_TRANS_STATUS_FROM_DEV, 24);
	uint16_t major = 5, minor = 0;
	uint64_t flags = 1;

	memcpy(t + 8, &major, 2);
	memcpy(t + 10, &minor, 2);
	put32(t + 12, status);
	memcpy(t + 16, &flags, 8);
}

static void reply_simnet(struct qaic_manage_msg *m, uint8_t *data, uint32_t status,
			 uint32_t net_id)
{
	uint8_t *t = reply_add(m, data, QAIC_TRANS_PASSTHROUGH_FROM_DEV, 24);
	const uint8_t magic[4] = { 'S', 'N', 'E', 'T' };

	memcpy(t + 8, magic, 4);
	t[12] = (uint8_t)status;	/* little endian, small values */
	t[16] = (uint8_t)net_id;
	t[17] = (uint8_t)(net_id >> 8);
	t[18] = (uint8_t)(net_id >> 16);
	t[19] = (uint8_t)(net_id >> 24);
}

static uint32_t seen32(size_t off)
{
	uint32_t v;

	memcpy(&v, seen_data + off, 4);
	return v;
}

/* ---- fixtures ----------------------------------------------------------- */

static char node[] = "/tmp/qaic-unit-node-XXXXXX";

static int suite_init(void)
{
	int fd = mkstemp(node);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int suite_cleanup(void)
{
	return unlink(node);
}

static void reset(void)
{
	fake_driver = "qaic";
	script = NULL;
	ioctl_calls = 0;
	memset(&seen, 0, sizeof(seen));
}

static struct qaic_dev *open_fake(void)
{
	struct qaic_dev *dev = NULL;

	CHECK_OK(qaic_open(node, &dev));
	CU_ASSERT_PTR_NOT_NULL_FATAL(dev);
	return dev;
}

/* ---- opening ------------------------------------------------------------ */

static void test_open_checks_the_driver(void)
{
	struct qaic_dev *dev = (struct qaic_dev *)&dev;

	fake_driver = "i915";
	CHECK_ERR(qaic_open(node, &dev), ENODEV);
	CU_ASSERT_PTR_NULL(dev);
	fake_driver = "qaicx";
	CHECK_ERR(qaic_open(node, &dev), ENODEV);
	fake_driver = NULL;
	CHECK_ERR(qaic_open(node, &dev), ENODEV);
	fake_driver = "qaic";
	CHECK_OK(qaic_open(node, &dev));
	CU_ASSERT_PTR_NOT_NULL(dev);
	CU_ASSERT(qaic_fd(dev) >= 0);
	qaic_close(dev);
}

static void test_open_bad_arguments(void)
{
	struct qaic_dev *dev = (struct qaic_dev *)&dev;

	CHECK_ERR(qaic_open("/nonexistent/qaic-node", &dev), ENOENT);
	CU_ASSERT_PTR_NULL(dev);
	CHECK_ERR(qaic_open(NULL, &dev), EINVAL);
	CHECK_ERR(qaic_open("", &dev), EINVAL);
	CHECK_ERR(qaic_open(node, NULL), EINVAL);
	CHECK_ERR(qaic_open_index(-1, &dev), EINVAL);
	CHECK_ERR(qaic_open_index(0, NULL), EINVAL);
	CHECK_ERR(qaic_fd(NULL), EINVAL);
	qaic_close(NULL);
}

static void test_version(void)
{
	struct qaic_dev *dev = open_fake();
	int major = -1, minor = -1;

	CHECK_OK(qaic_version(dev, &major, &minor));
	CHECK_EQ(major, 1);
	CHECK_EQ(minor, 2);
	CHECK_ERR(qaic_version(NULL, &major, &minor), EINVAL);
	CHECK_ERR(qaic_version(dev, NULL, &minor), EINVAL);
	CHECK_ERR(qaic_version(dev, &major, NULL), EINVAL);
	qaic_close(dev);
}

/* ---- qaic_manage -------------------------------------------------------- */

static int script_status_ok(struct qaic_manage_msg *m, uint8_t *data)
{
	reply_begin(m, 1);
	reply_status(m, data, 0);
	return 0;
}

static void test_manage_rewrites_in_place(void)
{
	struct qaic_dev *dev = open_fake();
	struct qaic_msg msg;

	script = script_status_ok;
	qaic_msg_init(&msg);
	CHECK_OK(qaic_msg_add_status(&msg));
	CHECK_OK(qaic_msg_add_deactivate(&msg, 4));
	CHECK_OK(qaic_manage(dev, &msg));
	CHECK_EQ(ioctl_calls, 1);
	CHECK_EQ(seen.len, 24);
	CHECK_EQ(seen.count, 2);
	CHECK_EQ(seen.data, (uintptr_t)msg.buf);
	CHECK_EQ(seen32(0), QAIC_TRANS_STATUS_FROM_USR);
	CHECK_EQ(seen32(8), QAIC_TRANS_DEACTIVATE_FROM_USR);
	CHECK_EQ(msg.state, QAIC_MSG_REPLY);
	CHECK_EQ(msg.len, 24);
	CHECK_EQ(msg.count, 1);
	qaic_close(dev);
}

static void test_manage_bad_arguments(void)
{
	struct qaic_dev *dev = open_fake();
	struct qaic_msg msg;

	script = script_status_ok;
	qaic_msg_init(&msg);
	CHECK_ERR(qaic_manage(dev, &msg), EINVAL);	/* empty */
	CHECK_ERR(qaic_manage(dev, NULL), EINVAL);
	CHECK_OK(qaic_msg_add_status(&msg));
	CHECK_ERR(qaic_manage(NULL, &msg), EINVAL);
	CHECK_OK(qaic_manage(dev, &msg));
	CHECK_ERR(qaic_manage(dev, &msg), EINVAL);	/* holds a reply now */
	CHECK_EQ(ioctl_calls, 1);
	qaic_close(dev);
}

static int script_enodev(struct qaic_manage_msg *m, uint8_t *data)
{
	(void)m;
	(void)data;
	return ENODEV;
}

static void test_manage_kernel_error_keeps_request(void)
{
	struct qaic_dev *dev = open_fake();
	struct qaic_msg msg;

	script = script_enodev;
	qaic_msg_init(&msg);
	CHECK_OK(qaic_msg_add_status(&msg));
	CHECK_ERR(qaic_manage(dev, &msg), ENODEV);
	CHECK_EQ(msg.state, QAIC_MSG_REQUEST);
	CHECK_EQ(msg.len, 8);
	CHECK_EQ(msg.count, 1);
	CHECK_EQ(*(uint32_t *)msg.buf, QAIC_TRANS_STATUS_FROM_USR);
	qaic_close(dev);
}

static int script_activate_refused(struct qaic_manage_msg *m, uint8_t *data)
{
	uint8_t *t;

	reply_begin(m, 2);	/* the kernel stopped decoding at the refusal */
	t = reply_add(m, data, QAIC_TRANS_ACTIVATE_FROM_DEV, 24);
	put32(t + 8, 2);
	return ECANCELED;
}

static void test_manage_canceled_keeps_reply(void)
{
	struct qaic_dev *dev = open_fake();
	struct qaic_activate_reply act;
	struct qaic_msg msg;
	struct qaic_trans t;

	script = script_activate_refused;
	qaic_msg_init(&msg);
	CHECK_OK(qaic_msg_add_activate(&msg, 16, 0));
	CHECK_OK(qaic_msg_add_status(&msg));
	CHECK_ERR(qaic_manage(dev, &msg), ECANCELED);
	CHECK_EQ(msg.state, QAIC_MSG_REPLY_PARTIAL);
	CHECK_OK(qaic_reply_find(&msg, QAIC_TRANS_ACTIVATE_FROM_DEV, &t));
	CHECK_OK(qaic_trans_get_activate(&t, &act));
	CHECK_EQ(act.status, 2);
	qaic_close(dev);
}

static int script_overlong(struct qaic_manage_msg *m, uint8_t *data)
{
	(void)data;
	m->len = QAIC_MANAGE_MAX_MSG_LENGTH + 8;
	m->count = 1;
	return 0;
}

static void test_manage_overlong_reply(void)
{
	struct qaic_dev *dev = open_fake();
	struct qaic_msg msg;

	script = script_overlong;
	qaic_msg_init(&msg);
	CHECK_OK(qaic_msg_add_status(&msg));
	CHECK_ERR(qaic_manage(dev, &msg), EBADMSG);
	CHECK_EQ(msg.state, QAIC_MSG_REQUEST);
	qaic_close(dev);
}

/* ---- conveniences ------------------------------------------------------- */

static void test_status_and_nnc_version(void)
{
	struct qaic_dev *dev = open_fake();
	struct qaic_status_reply st;
	uint16_t major = 0, minor = 9;

	script = script_status_ok;
	CHECK_OK(qaic_status(dev, &st));
	CHECK_EQ(st.major, 5);
	CHECK_EQ(st.minor, 0);
	CHECK_EQ(st.status, 0);
	CHECK_EQ(st.flags, 1);
	CHECK_EQ(seen.count, 1);
	CHECK_EQ(seen32(0), QAIC_TRANS_STATUS_FROM_USR);
	CHECK_OK(qaic_nnc_version(dev, &major, &minor));
	CHECK_EQ(major, 5);
	CHECK_EQ(minor, 0);
	CHECK_ERR(qaic_status(NULL, &st), EINVAL);
	CHECK_ERR(qaic_status(dev, NULL), EINVAL);
	CHECK_ERR(qaic_nnc_version(dev, NULL, &minor), EINVAL);
	CHECK_ERR(qaic_nnc_version(dev, &major, NULL), EINVAL);
	qaic_close(dev);
}

static int script_status_refused(struct qaic_manage_msg *m, uint8_t *data)
{
	reply_begin(m, 1);
	reply_status(m, data, 1);
	return ECANCELED;
}

static int script_empty_reply(struct qaic_manage_msg *m, uint8_t *data)
{
	(void)data;
	reply_begin(m, 0);
	return 0;
}

static void test_status_refused_or_missing(void)
{
	struct qaic_dev *dev = open_fake();
	struct qaic_status_reply st;

	script = script_status_refused;
	CHECK_ERR(qaic_status(dev, &st), ECANCELED);
	CHECK_EQ(st.status, 1);
	script = script_empty_reply;
	CHECK_ERR(qaic_status(dev, &st), EBADMSG);
	qaic_close(dev);
}

static int script_activate_ok(struct qaic_manage_msg *m, uint8_t *data)
{
	uint8_t *t;

	if (m->count != 1 || seen32(0) != QAIC_TRANS_ACTIVATE_FROM_USR || seen32(8) != 128)
		return EINVAL;
	reply_begin(m, 1);
	t = reply_add(m, data, QAIC_TRANS_ACTIVATE_FROM_DEV, 24);
	put32(t + 12, 5);
	return 0;
}

static void test_activate(void)
{
	struct qaic_dev *dev = open_fake();
	uint32_t dbc = 99;

	script = script_activate_ok;
	CHECK_OK(qaic_activate(dev, 128, &dbc));
	CHECK_EQ(dbc, 5);
	script = script_activate_refused;
	CHECK_ERR(qaic_activate(dev, 128, &dbc), ECANCELED);
	script = script_empty_reply;
	CHECK_ERR(qaic_activate(dev, 128, &dbc), EBADMSG);
	CHECK_EQ(ioctl_calls, 3);
	CHECK_ERR(qaic_activate(dev, 0, &dbc), EINVAL);
	CHECK_ERR(qaic_activate(dev, 1, NULL), EINVAL);
	CHECK_ERR(qaic_activate(NULL, 1, &dbc), EINVAL);
	CHECK_EQ(ioctl_calls, 3);
	qaic_close(dev);
}

/* Upstream: the answer is consumed; the count still includes it. */
static int script_deactivate_consumed(struct qaic_manage_msg *m, uint8_t *data)
{
	(void)data;
	if (seen32(0) != QAIC_TRANS_DEACTIVATE_FROM_USR || seen32(8) != 7)
		return EINVAL;
	reply_begin(m, 1);
	return 0;
}

static uint32_t deactivate_status;

static int script_deactivate_copied(struct qaic_manage_msg *m, uint8_t *data)
{
	uint8_t *t;

	reply_begin(m, 1);
	t = reply_add(m, data, QAIC_TRANS_DEACTIVATE_FROM_DEV, 16);
	put32(t + 8, deactivate_status);
	put32(t + 12, 7);
	return 0;
}

static int script_eperm(struct qaic_manage_msg *m, uint8_t *data)
{
	(void)m;
	(void)data;
	return EPERM;
}

static void test_deactivate(void)
{
	struct qaic_dev *dev = open_fake();

	script = script_deactivate_consumed;
	CHECK_OK(qaic_deactivate(dev, 7));
	script = script_deactivate_copied;
	deactivate_status = 0;
	CHECK_OK(qaic_deactivate(dev, 7));
	deactivate_status = 3;
	CHECK_ERR(qaic_deactivate(dev, 7), ECANCELED);
	script = script_eperm;
	CHECK_ERR(qaic_deactivate(dev, 7), EPERM);
	CHECK_ERR(qaic_deactivate(NULL, 7), EINVAL);
	qaic_close(dev);
}

/* ---- simulated networks ------------------------------------------------- */

static uint32_t simnet_status;
static uint32_t simnet_reply_id;

static int script_simnet(struct qaic_manage_msg *m, uint8_t *data)
{
	static const uint8_t magic[4] = { 'S', 'N', 'E', 'T' };

	if (seen32(0) != QAIC_TRANS_PASSTHROUGH_FROM_USR || memcmp(seen_data + 8, magic, 4))
		return EINVAL;
	reply_begin(m, 1);
	reply_simnet(m, data, simnet_status, simnet_reply_id);
	return 0;
}

static struct qaic_simnet small_net(uint32_t id)
{
	struct qaic_simnet n;

	memset(&n, 0, sizeof(n));
	n.net_id = id;
	n.nsp_count = 1;
	n.input_bytes = 4096;
	n.output_bytes = 4096;
	n.mean_ns = 100000;
	return n;
}

static void test_simnet_load_status_to_errno(void)
{
	struct qaic_dev *dev = open_fake();
	struct qaic_simnet n = small_net(0x10203);

	script = script_simnet;
	simnet_reply_id = 0x10203;
	simnet_status = 0;
	CHECK_OK(qaic_simnet_load(dev, &n));
	CHECK_EQ(seen.count, 1);
	CHECK_EQ(seen.len, 8 + 112);
	simnet_status = 1;
	CHECK_ERR(qaic_simnet_load(dev, &n), EINVAL);
	simnet_status = 2;
	CHECK_ERR(qaic_simnet_load(dev, &n), ENOSPC);
	simnet_status = 3;
	CHECK_ERR(qaic_simnet_load(dev, &n), EPERM);
	simnet_status = 77;
	CHECK_ERR(qaic_simnet_load(dev, &n), EIO);
	simnet_status = 4;
	CHECK_ERR(qaic_simnet_unload(dev, 0x10203), ENOENT);
	simnet_status = 0;
	CHECK_OK(qaic_simnet_unload(dev, 0x10203));
	CHECK_ERR(qaic_simnet_load(NULL, &n), EINVAL);
	CHECK_ERR(qaic_simnet_load(dev, NULL), EINVAL);
	CHECK_ERR(qaic_simnet_unload(NULL, 1), EINVAL);
	qaic_close(dev);
}

static void test_simnet_answer_must_match(void)
{
	struct qaic_dev *dev = open_fake();
	struct qaic_simnet n = small_net(8);

	script = script_simnet;
	simnet_status = 0;
	simnet_reply_id = 9;
	CHECK_ERR(qaic_simnet_load(dev, &n), EBADMSG);
	script = script_status_ok;
	CHECK_ERR(qaic_simnet_load(dev, &n), EBADMSG);
	qaic_close(dev);
}

/* Descriptor accepted, weights refused: the firmware's STATUS says why. */
static int script_weights_refused(struct qaic_manage_msg *m, uint8_t *data)
{
	if (m->count != 2 || seen32(120) != QAIC_TRANS_DMA_XFER_FROM_USR)
		return EINVAL;
	reply_begin(m, 2);
	reply_simnet(m, data, 0, 8);
	reply_status(m, data, 2);
	return ECANCELED;
}

static void test_simnet_weights_refused(void)
{
	static const uint8_t weights[256];
	struct qaic_dev *dev = open_fake();
	struct qaic_simnet n = small_net(8);

	n.weights_tag = 77;
	n.weights_bytes = sizeof(weights);
	n.weights = weights;
	script = script_weights_refused;
	CHECK_ERR(qaic_simnet_load(dev, &n), ENOSPC);
	qaic_close(dev);
}

/* ---- discovery's last resort: asking the node ----------------------------- */

static void test_discovery_asks_only_unbound_nodes(void)
{
	struct qaic_device_info d[4];
	struct fake_tree ft;
	char target[PATH_MAX + 32];

	CU_ASSERT_FATAL(ft_create(&ft) == 0);
	/* renderD130: sysfs names no driver, so the node decides */
	CU_ASSERT(ft_mkdirs(&ft, "sys/class/drm/renderD130") == 0);
	CU_ASSERT(ft_symlink(&ft, "/dev/null", "dev/dri/renderD130") == 0);
	/* renderD131: bound to another driver, so the node is not asked */
	CU_ASSERT(ft_symlink(&ft, "../../bus/pci/drivers/amdgpu", "sys/devices/gpu/driver") == 0);
	snprintf(target, sizeof(target), "%s/sys/devices/gpu", ft.root);
	CU_ASSERT(ft_symlink(&ft, target, "sys/class/drm/renderD131/device") == 0);
	CU_ASSERT(ft_symlink(&ft, "/dev/null", "dev/dri/renderD131") == 0);

	fake_driver = "qaic";
	CHECK_RET(qaic_device_list_root(ft.root, d, 4), 1);
	CHECK_EQ(d[0].minor, 130);
	CHECK_EQ(d[0].kind, QAIC_NODE_RENDER);
	fake_driver = "i915";
	CHECK_RET(qaic_device_list_root(ft.root, d, 4), 0);
	CU_ASSERT(ft_remove(&ft) == 0);
}

static CU_TestInfo tests[] = {
	{ "open checks the DRM driver name", test_open_checks_the_driver },
	{ "open bad arguments", test_open_bad_arguments },
	{ "version from drmGetVersion", test_version },
	{ "manage sends the request and takes the reply in place",
	  test_manage_rewrites_in_place },
	{ "manage bad arguments make no ioctl", test_manage_bad_arguments },
	{ "manage kernel error keeps the request", test_manage_kernel_error_keeps_request },
	{ "manage ECANCELED keeps the partial reply", test_manage_canceled_keeps_reply },
	{ "manage refuses an overlong reply", test_manage_overlong_reply },
	{ "status and nnc_version", test_status_and_nnc_version },
	{ "status refused or missing", test_status_refused_or_missing },
	{ "activate", test_activate },
	{ "deactivate, answer consumed or copied", test_deactivate },
	{ "simnet load/unload: firmware status to errno", test_simnet_load_status_to_errno },
	{ "simnet answer must name the network", test_simnet_answer_must_match },
	{ "simnet weights refused: firmware status to errno", test_simnet_weights_refused },
	{ "discovery asks the node only when sysfs names no driver",
	  test_discovery_asks_only_unbound_nodes },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "manage", suite_init, suite_cleanup, reset, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
