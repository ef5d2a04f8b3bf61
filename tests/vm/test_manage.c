// SPDX-License-Identifier: GPL-2.0-only
/*
 * MANAGE ioctl conformance, in the test VM against the simulated card:
 * STATUS, ACTIVATE/DEACTIVATE, DBC exhaustion, client isolation, cleanup on
 * close, every malformed message, DMA_XFER data checked in the firmware's
 * DDR, sim networks through PASSTHROUGH, and recovery from a dropped reply,
 * a corrupted reply and a SYS_ERR in the middle of a request.
 * Expects qaic.ko loaded with control_resp_timeout_s=2. Prints TAP.
 */
#include <sys/mman.h>
#include <sys/wait.h>

#include "qaic_test.h"
#include "qaic_nnc.h"
#include "qaic_sim_net.h"

static struct test_card card;

static int open_card(void)
{
	return open(card.node, O_RDWR | O_CLOEXEC);
}

static int status(int fd, uint16_t *major, uint16_t *minor)
{
	struct qaic_manage_trans_status_from_dev *st;
	struct raw_msg m = { 0 };
	int ret;

	raw_add(&m, QAIC_TRANS_STATUS_FROM_USR, sizeof(struct qaic_manage_trans_status_to_dev));
	ret = raw_manage(fd, &m);
	if (ret)
		return ret;
	st = (void *)m.buf;
	if (m.count != 1 || st->hdr.type != QAIC_TRANS_STATUS_FROM_DEV)
		return -EBADMSG;
	*major = st->major;
	*minor = st->minor;
	return 0;
}

static int device_works(int fd)
{
	uint16_t major, minor;

	return status(fd, &major, &minor) == 0 && major == 5;
}

/* ACTIVATE; returns the DBC id, or -errno; *dev_status gets the NACK status. */
static int activate(int fd, uint32_t queue_size, uint32_t *dev_status)
{
	struct qaic_manage_trans_activate_from_dev *r;
	struct qaic_manage_trans_activate_to_dev *a;
	struct raw_msg m = { 0 };
	int ret;

	a = raw_add(&m, QAIC_TRANS_ACTIVATE_FROM_USR, sizeof(*a));
	a->queue_size = queue_size;
	ret = raw_manage(fd, &m);
	r = (void *)m.buf;
	if (dev_status)
		*dev_status = (ret == 0 || ret == -ECANCELED) ? r->status : 0;
	if (ret)
		return ret;
	if (m.count != 1 || r->hdr.type != QAIC_TRANS_ACTIVATE_FROM_DEV)
		return -EBADMSG;
	return r->dbc_id;
}

static int deactivate(int fd, uint32_t dbc)
{
	struct qaic_manage_trans_deactivate *d;
	struct raw_msg m = { 0 };

	d = raw_add(&m, QAIC_TRANS_DEACTIVATE_FROM_USR, sizeof(*d));
	d->dbc_id = dbc;
	return raw_manage(fd, &m);
}

static int dbc_state(int dbc, char *buf, size_t len)
{
	char name[32];

	snprintf(name, sizeof(name), "dbc%d_state", dbc);
	return card_attr(&card, name, buf, len);
}

static void test_status(int fd)
{
	uint16_t major = 0, minor = 0;
	int ret = status(fd, &major, &minor);

	tap_result(!ret && major == 5 && minor == 0, "status_reports_nnc_5_0",
		   "ret %d version %u.%u", ret, major, minor);
}

static void test_activate_deactivate(int fd)
{
	char state[32] = "", owner[64] = "", name[32];
	int dbc, ret;

	dbc = activate(fd, 64, NULL);
	tap_result(dbc >= 0 && dbc < 16, "activate_returns_dbc", "ret %d", dbc);
	if (dbc < 0)
		return;
	dbc_state(dbc, state, sizeof(state));
	snprintf(name, sizeof(name), "dbc%d_owner", dbc);
	card_attr(&card, name, owner, sizeof(owner));
	tap_result(!strcmp(state, "assigned") && atoi(owner) == getpid(),
		   "activated_dbc_shows_owner_in_sysfs", "state '%s' owner '%s' pid %d", state,
		   owner, getpid());
	ret = deactivate(fd, dbc);
	dbc_state(dbc, state, sizeof(state));
	tap_result(!ret && !strcmp(state, "free"), "deactivate_frees_dbc", "ret %d state '%s'",
		   ret, state);
	ret = deactivate(fd, dbc);
	tap_result(ret == -EPERM, "deactivate_free_dbc_is_eperm", "ret %d", ret);
}

static void test_exhaustion(int fd)
{
	int dbcs[16], i, n = 0, ret, distinct = 1;
	uint32_t dev_status = 0;

	for (i = 0; i < 16; i++) {
		dbcs[i] = activate(fd, 16, NULL);
		if (dbcs[i] >= 0)
			n++;
	}
	for (i = 1; i < 16; i++)
		if (dbcs[i] == dbcs[i - 1])
			distinct = 0;
	tap_result(n == 16 && distinct, "sixteen_activations_succeed", "%d succeeded", n);
	ret = activate(fd, 16, &dev_status);
	tap_result(ret == -ECANCELED && dev_status == NNC_STATUS_ENOSPC,
		   "seventeenth_activation_nacked_enospc", "ret %d device status %u", ret,
		   dev_status);
	for (i = 0; i < 16; i++)
		if (dbcs[i] >= 0)
			deactivate(fd, dbcs[i]);
	ret = activate(fd, 16, NULL);
	tap_result(ret >= 0, "activation_works_after_release", "ret %d", ret);
	if (ret >= 0)
		deactivate(fd, ret);
}

static void test_isolation(void)
{
	int a = open_card(), b = open_card(), dbc, ret;
	char state[32] = "";

	dbc = activate(a, 32, NULL);
	ret = deactivate(b, dbc);
	tap_result(dbc >= 0 && ret == -EPERM, "other_clients_dbc_is_eperm", "dbc %d ret %d",
		   dbc, ret);
	close(a);
	dbc_state(dbc, state, sizeof(state));
	tap_result(!strcmp(state, "free"), "close_frees_clients_dbcs", "state '%s'", state);
	tap_result(device_works(b), "device_works_after_client_exit", "status failed");
	close(b);
}

static void test_child_exit_frees(void)
{
	char state[32] = "";
	int pipefd[2], dbc = -1, status;
	pid_t pid;

	if (pipe(pipefd))
		return;
	pid = fork();
	if (pid == 0) {
		int fd = open_card();
		int d = activate(fd, 32, NULL);

		if (write(pipefd[1], &d, sizeof(d)) != sizeof(d))
			_exit(2);
		_exit(0);	/* no close: the kernel must clean up */
	}
	if (read(pipefd[0], &dbc, sizeof(dbc)) != sizeof(dbc))
		dbc = -1;
	waitpid(pid, &status, 0);
	close(pipefd[0]);
	close(pipefd[1]);
	if (dbc >= 0)
		dbc_state(dbc, state, sizeof(state));
	tap_result(dbc >= 0 && !strcmp(state, "free"), "exiting_process_frees_dbcs",
		   "dbc %d state '%s'", dbc, state);
}

/*
 * Replies are decoded by their requesters in any order. Hold the reply to A's
 * DEACTIVATE until B's ACTIVATE was answered: the device gives B the DBC it
 * just freed while the driver still has it owned by A. B must get it, and
 * A's late reply must not release B's DBC.
 */
static void test_reassign_before_release(void)
{
	int a = open_card(), b = open_card(), dbc, got, ret, status = -1;
	pid_t pid;

	dbc = activate(a, 32, NULL);
	if (dbc < 0 || sim_fault(&card, "hold_replies", "1")) {
		tap_result(0, "dbc_reassigned_before_release_goes_to_new_owner",
			   "setup: dbc %d", dbc);
		goto out;
	}
	pid = fork();
	if (pid == 0)
		_exit(deactivate(a, dbc) == 0 ? 0 : 1);
	usleep(300 * 1000);	/* the DEACTIVATE is answered, its reply held */
	got = activate(b, 32, NULL);
	waitpid(pid, &status, 0);
	tap_result(got == dbc && WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   "dbc_reassigned_before_release_goes_to_new_owner",
		   "freed dbc %d, new activate %d, deactivate child status %#x", dbc, got, status);
	ret = deactivate(a, dbc);
	tap_result(ret == -EPERM, "late_deactivate_reply_keeps_new_owner", "old owner: ret %d",
		   ret);
	ret = deactivate(b, dbc);
	tap_result(ret == 0, "new_owner_releases_reassigned_dbc", "ret %d", ret);
out:
	close(a);
	close(b);
}

static void expect_errno(int fd, const char *name, int ret, int expect)
{
	tap_result(ret == expect && device_works(fd), name, "ret %d (%s), want %d", ret,
		   strerror(-ret), expect);
}

static void test_malformed(int fd)
{
	struct qaic_manage_msg args;
	struct qaic_manage_trans_hdr *h;
	struct qaic_manage_trans_dma_xfer *x;
	struct qaic_manage_trans_activate_to_dev *a;
	struct qaic_manage_trans_deactivate *d;
	struct raw_msg m;
	int ret;

	memset(&m, 0, sizeof(m));
	raw_add(&m, QAIC_TRANS_STATUS_FROM_USR, 8);
	m.len = 0;
	expect_errno(fd, "manage_zero_len_einval", raw_manage(fd, &m), -EINVAL);

	memset(&m, 0, sizeof(m));
	raw_add(&m, QAIC_TRANS_STATUS_FROM_USR, 8);
	m.count = 0;
	expect_errno(fd, "manage_zero_count_einval", raw_manage(fd, &m), -EINVAL);

	memset(&m, 0, sizeof(m));
	raw_add(&m, QAIC_TRANS_STATUS_FROM_USR, 8);
	m.count = 2;
	expect_errno(fd, "manage_count_beyond_data_einval", raw_manage(fd, &m), -EINVAL);

	memset(&m, 0, sizeof(m));
	raw_add(&m, QAIC_TRANS_STATUS_FROM_USR, 8);
	m.count = QAIC_MANAGE_MAX_MSG_LENGTH;
	expect_errno(fd, "manage_huge_count_einval", raw_manage(fd, &m), -EINVAL);

	memset(&m, 0, sizeof(m));
	raw_add(&m, QAIC_TRANS_STATUS_FROM_USR, 8);
	args = (struct qaic_manage_msg){ .len = QAIC_MANAGE_MAX_MSG_LENGTH + 8, .count = 1,
					 .data = (uintptr_t)m.buf };
	ret = ioctl(fd, DRM_IOCTL_QAIC_MANAGE, &args) ? -errno : 0;
	expect_errno(fd, "manage_oversize_einval", ret, -EINVAL);

	memset(&m, 0, sizeof(m));
	raw_add(&m, QAIC_TRANS_STATUS_FROM_USR, 8);
	m.len = 12;	/* trailing bytes no transaction accounts for */
	expect_errno(fd, "manage_len_mismatch_einval", raw_manage(fd, &m), -EINVAL);

	memset(&m, 0, sizeof(m));
	h = raw_add(&m, QAIC_TRANS_STATUS_FROM_USR, 8);
	h->len = 4;
	expect_errno(fd, "trans_len_below_header_einval", raw_manage(fd, &m), -EINVAL);

	memset(&m, 0, sizeof(m));
	h = raw_add(&m, QAIC_TRANS_PASSTHROUGH_FROM_USR, 16);
	h->len = 64;
	expect_errno(fd, "trans_len_past_message_einval", raw_manage(fd, &m), -EINVAL);

	memset(&m, 0, sizeof(m));
	raw_add(&m, 99, 8);
	expect_errno(fd, "unknown_trans_type_einval", raw_manage(fd, &m), -EINVAL);

	memset(&m, 0, sizeof(m));
	raw_add(&m, QAIC_TRANS_ACTIVATE_FROM_DEV, 24);
	expect_errno(fd, "device_side_trans_type_einval", raw_manage(fd, &m), -EINVAL);

	memset(&m, 0, sizeof(m));
	raw_add(&m, QAIC_TRANS_PASSTHROUGH_FROM_USR, 12);
	expect_errno(fd, "unaligned_passthrough_einval", raw_manage(fd, &m), -EINVAL);

	args = (struct qaic_manage_msg){ .len = 8, .count = 1, .data = 0x10 };
	ret = ioctl(fd, DRM_IOCTL_QAIC_MANAGE, &args) ? -errno : 0;
	expect_errno(fd, "bad_user_pointer_efault", ret, -EFAULT);

	memset(&m, 0, sizeof(m));
	x = raw_add(&m, QAIC_TRANS_DMA_XFER_FROM_USR, sizeof(*x));
	x->addr = (uintptr_t)m.buf;
	x->size = 0;
	expect_errno(fd, "zero_length_dma_xfer_einval", raw_manage(fd, &m), -EINVAL);

	memset(&m, 0, sizeof(m));
	x = raw_add(&m, QAIC_TRANS_DMA_XFER_FROM_USR, sizeof(*x));
	x->addr = 0x1000;
	x->size = 4096;
	expect_errno(fd, "dma_xfer_unmapped_address_efault", raw_manage(fd, &m), -EFAULT);

	memset(&m, 0, sizeof(m));
	x = raw_add(&m, QAIC_TRANS_DMA_XFER_FROM_USR, sizeof(*x));
	x->addr = UINT64_MAX - 100;
	x->size = 4096;
	expect_errno(fd, "dma_xfer_wrapping_range_einval", raw_manage(fd, &m), -EINVAL);

	memset(&m, 0, sizeof(m));
	x = raw_add(&m, QAIC_TRANS_DMA_XFER_FROM_USR, sizeof(*x) - 8);
	expect_errno(fd, "short_dma_xfer_einval", raw_manage(fd, &m), -EINVAL);

	memset(&m, 0, sizeof(m));
	a = raw_add(&m, QAIC_TRANS_ACTIVATE_FROM_USR, sizeof(*a));
	a->queue_size = 0;
	expect_errno(fd, "activate_zero_queue_einval", raw_manage(fd, &m), -EINVAL);

	memset(&m, 0, sizeof(m));
	a = raw_add(&m, QAIC_TRANS_ACTIVATE_FROM_USR, sizeof(*a));
	a->queue_size = 16;
	a->pad = 1;
	expect_errno(fd, "activate_nonzero_pad_einval", raw_manage(fd, &m), -EINVAL);

	memset(&m, 0, sizeof(m));
	a = raw_add(&m, QAIC_TRANS_ACTIVATE_FROM_USR, sizeof(*a));
	a->queue_size = 0x40000000;
	expect_errno(fd, "activate_overflowing_queue_einval", raw_manage(fd, &m), -EINVAL);

	memset(&m, 0, sizeof(m));
	a = raw_add(&m, QAIC_TRANS_ACTIVATE_FROM_USR, sizeof(*a));
	a->queue_size = 16;
	a = raw_add(&m, QAIC_TRANS_ACTIVATE_FROM_USR, sizeof(*a));
	a->queue_size = 16;
	expect_errno(fd, "two_activates_in_one_message_einval", raw_manage(fd, &m), -EINVAL);

	memset(&m, 0, sizeof(m));
	d = raw_add(&m, QAIC_TRANS_DEACTIVATE_FROM_USR, sizeof(*d));
	d->dbc_id = 16;
	expect_errno(fd, "deactivate_dbc_out_of_range_einval", raw_manage(fd, &m), -EINVAL);

	memset(&m, 0, sizeof(m));
	d = raw_add(&m, QAIC_TRANS_DEACTIVATE_FROM_USR, sizeof(*d));
	d->dbc_id = 0;
	d->pad = 7;
	expect_errno(fd, "deactivate_nonzero_pad_einval", raw_manage(fd, &m), -EINVAL);

	memset(&m, 0, sizeof(m));
	raw_add(&m, QAIC_TRANS_STATUS_FROM_USR, 16);
	expect_errno(fd, "status_with_payload_einval", raw_manage(fd, &m), -EINVAL);
}

/* The firmware's view of what DMA_XFER delivered: the blob line for @tag. */
static int sim_blob(uint32_t tag, unsigned long long *size, unsigned int *crc)
{
	char path[512], line[512];
	unsigned int t, owner, c;
	unsigned long long addr, sz, xf;
	int found = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "%s/qsm", card.simfs);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "blob tag %u owner %u addr 0x%llx size %llu xferred %llu crc32 %x",
			   &t, &owner, &addr, &sz, &xf, &c) == 6 && t == tag) {
			*size = xf;
			*crc = c;
			found = 0;
		}
	}
	fclose(f);
	return found;
}

static uint32_t crc32_le(uint32_t crc, const uint8_t *p, size_t n)
{
	int k;

	while (n--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return crc;
}

static void test_dma_xfer(int fd)
{
	const size_t size = (1 << 20) + 100;	/* not a page multiple */
	struct qaic_manage_trans_dma_xfer *x;
	unsigned long long got_size = 0;
	unsigned int got_crc = 0;
	struct raw_msg m = { 0 };
	uint32_t want;
	uint8_t *data;
	size_t i;
	int ret;

	data = malloc(size + 7);
	if (!data)
		return;
	for (i = 0; i < size; i++)
		data[i + 7] = (uint8_t)(i * 131 + (i >> 9));
	want = ~crc32_le(~0u, data + 7, size);
	x = raw_add(&m, QAIC_TRANS_DMA_XFER_FROM_USR, sizeof(*x));
	x->tag = 4242;
	x->addr = (uintptr_t)(data + 7);	/* unaligned start */
	x->size = size;
	ret = raw_manage(fd, &m);
	tap_result(!ret, "dma_xfer_1mib_succeeds", "ret %d", ret);
	ret = sim_blob(4242, &got_size, &got_crc);
	tap_result(!ret && got_size == size && got_crc == want, "dma_xfer_data_reaches_device",
		   "ret %d size %llu crc %08x want %zu %08x", ret, got_size, got_crc, size, want);
	free(data);
}

static int simnet_op(int fd, uint16_t op, uint32_t net_id, uint32_t nsp, uint32_t *dev_status)
{
	struct qaic_manage_trans_passthrough *p;
	struct simnet_reply *reply;
	struct simnet_desc *d;
	struct raw_msg m = { 0 };
	int ret;

	p = raw_add(&m, QAIC_TRANS_PASSTHROUGH_FROM_USR, sizeof(*p) + sizeof(*d));
	d = (void *)p->data;
	d->magic = SIMNET_MAGIC;
	d->version = SIMNET_VERSION;
	d->op = op;
	d->net_id = net_id;
	d->nsp_count = nsp;
	d->input_bytes = 4096;
	d->output_bytes = 4096;
	d->output_dev_addr = 1 << 20;
	d->dist = SIMNET_DIST_FIXED;
	d->mean_ns = 1000000;
	ret = raw_manage(fd, &m);
	if (ret)
		return ret;
	p = (void *)m.buf;
	reply = (void *)p->data;
	if (m.count != 1 || p->hdr.type != QAIC_TRANS_PASSTHROUGH_FROM_DEV ||
	    p->hdr.len != sizeof(*p) + sizeof(*reply) || reply->magic != SIMNET_MAGIC)
		return -EBADMSG;
	*dev_status = reply->status;
	return 0;
}

static void test_passthrough(int fd)
{
	uint32_t st = 99;
	int ret;

	ret = simnet_op(fd, SIMNET_OP_LOAD, 7, 4, &st);
	tap_result(!ret && st == NNC_STATUS_OK, "passthrough_loads_sim_network",
		   "ret %d status %u", ret, st);
	ret = simnet_op(fd, SIMNET_OP_LOAD, 8, 17, &st);
	tap_result(!ret && st == NNC_STATUS_EINVAL, "passthrough_bad_network_rejected_by_device",
		   "ret %d status %u", ret, st);
	ret = simnet_op(fd, SIMNET_OP_UNLOAD, 7, 4, &st);
	tap_result(!ret && st == NNC_STATUS_OK, "passthrough_unloads_sim_network",
		   "ret %d status %u", ret, st);
}

static void test_faults(int fd)
{
	uint16_t major, minor;
	uint64_t t0;
	int ret;

	if (sim_fault(&card, "drop_replies", "1")) {
		tap_result(0, "dropped_reply_times_out", "cannot arm fault");
		return;
	}
	t0 = now_ns();
	ret = status(fd, &major, &minor);
	tap_result(ret == -ETIMEDOUT, "dropped_reply_times_out", "ret %d after %llu ms", ret,
		   (unsigned long long)((now_ns() - t0) / 1000000));
	tap_result(device_works(fd), "request_after_timeout_succeeds", "status failed");

	sim_fault(&card, "corrupt_replies", "1");
	ret = status(fd, &major, &minor);
	tap_result(ret == -EPROTO, "corrupt_reply_is_eproto", "ret %d", ret);
	tap_result(device_works(fd), "request_after_corrupt_reply_succeeds", "status failed");

	sim_fault(&card, "syserr_on_request", "1");
	ret = activate(fd, 16, NULL);
	tap_result(ret == -EIO || ret == -ENODEV, "syserr_during_manage_fails_request", "ret %d",
		   ret);
	ret = wait_state(&card, "ONLINE", 20000);
	tap_result(!ret, "device_online_again_after_syserr", "state not ONLINE in 20 s");
	tap_result(device_works(fd), "manage_works_after_syserr", "status failed");
}

int main(void)
{
	int fd;

	if (find_card(&card)) {
		printf("Bail out! no qaic device found\n");
		return 1;
	}
	fd = open_card();
	if (fd < 0) {
		printf("Bail out! open %s: %s\n", card.node, strerror(errno));
		return 1;
	}
	printf("# card %s sysfs %s\n", card.node, card.sysfs);
	test_status(fd);
	test_activate_deactivate(fd);
	test_exhaustion(fd);
	test_isolation();
	test_child_exit_frees();
	test_reassign_before_release();
	test_malformed(fd);
	test_dma_xfer(fd);
	test_passthrough(fd);
	test_faults(fd);
	close(fd);
	return tap_done();
}
