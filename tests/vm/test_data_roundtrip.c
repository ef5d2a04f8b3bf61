// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sim-network round trips with the data checked, through raw data-path
 * ioctls (qaic_test.h), independently of libqaic's network helper: a network
 * is loaded over MANAGE, a DBC activated, input and output BOs sliced as
 * qaic_sim_net.h describes, executed and waited for, and every output byte
 * compared with simnet_out_byte() of the input. Shapes: one page each way,
 * an output three times the input, an input in three slices, an input at an
 * unaligned BO offset, 1 MiB each way, eight inferences queued at once,
 * plain transfers there and back whose elements wrap around the ring,
 * a PRIME import from another client as the input, PARTIAL_EXECUTE (a
 * prefix, and nothing), PERF_STATS_BO against the clock,
 * and several processes with two workloads each at the same time.
 *
 *   test_data_roundtrip [PROCS [ITERS]]   concurrency part: PROCS processes
 *                                         (default 4) x 2 workloads x ITERS
 *                                         inferences (default 50)
 *   test_data_roundtrip --one             one inference of a page each way
 *                                         only (the smoke suites)
 * Expects qaic.ko loaded and the card ONLINE. Prints TAP.
 */
#include <sys/wait.h>

#include "qaic_test.h"
#include "qaic.h"

#define PAGE		4096
#define SPAN		0x1000000ULL	/* device DDR per workload: 16 MiB */

static struct test_card card;

/* One workload: a client's DBC and the network that runs on it. */
struct wl {
	struct qaic_dev *dev;
	int fd;
	int dbc;
	uint32_t net_id;
	uint64_t mean_ns;
	struct net_shape s;
};

static int wl_start(struct wl *w, struct qaic_dev *dev, uint32_t net_id, uint64_t in_bytes,
		    uint64_t out_bytes, uint64_t mean_ns)
{
	struct qaic_simnet n;
	int ret;

	memset(w, 0, sizeof(*w));
	w->dev = dev;
	w->fd = qaic_fd(dev);
	w->net_id = net_id;
	w->mean_ns = mean_ns;
	w->s = (struct net_shape){
		.in_bytes = in_bytes, .out_bytes = out_bytes,
		.in_dev = net_id * SPAN, .out_dev = net_id * SPAN + SPAN / 2,
		.sem = net_id % 32, .doorbell = 0x1000 + net_id,
	};
	/* room for an inference of one element per page each way, twice */
	w->dbc = dbc_activate(w->fd, in_bytes + out_bytes > 32 * PAGE ?
			      2 * (in_bytes + out_bytes) / PAGE + 16 : 64);
	if (w->dbc < 0)
		return w->dbc;
	memset(&n, 0, sizeof(n));
	n.net_id = net_id;
	n.nsp_count = 1;
	n.input_bytes = in_bytes;
	n.output_bytes = out_bytes;
	n.input_dev_addr = w->s.in_dev;
	n.output_dev_addr = w->s.out_dev;
	n.dist = QAIC_SIMNET_FIXED;
	n.mean_ns = mean_ns;
	n.sem_index = w->s.sem;
	n.doorbell = w->s.doorbell;
	ret = qaic_simnet_load(dev, &n);
	if (ret) {
		dbc_deactivate(w->fd, w->dbc);
		w->dbc = -1;
	}
	return ret;
}

static void wl_stop(struct wl *w)
{
	if (w->dbc < 0)
		return;
	qaic_simnet_unload(w->dev, w->net_id);
	dbc_deactivate(w->fd, w->dbc);
	w->dbc = -1;
}

static void fill(uint8_t *p, uint64_t n, uint32_t seed)
{
	uint64_t i;
	uint32_t x = seed * 2654435761u + 1;

	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (uint8_t)(x >> 16);
	}
}

/* Execute input then output in one call, wait for both; 0 or -errno. */
static int infer(const struct wl *w, const struct net_bos *b)
{
	uint32_t both[2] = { b->in_h, b->out_h };
	int ret;

	ret = bo_execute(w->fd, w->dbc, both, 2);
	if (!ret)
		ret = bo_wait(w->fd, w->dbc, b->out_h, 10000);
	if (!ret)
		ret = bo_wait(w->fd, w->dbc, b->in_h, 10000);
	return ret;
}

static void check_output(const char *name, int ret, const uint8_t *in, uint64_t in_bytes,
			 const uint8_t *out, uint64_t out_bytes)
{
	uint64_t bad = 0, first = 0;

	if (!ret)
		bad = net_out_mismatches(in, in_bytes, out, out_bytes, &first);
	tap_result(!ret && !bad, name, "ret %d, %llu of %llu bytes differ, first at %llu (got %02x)",
		   ret, (unsigned long long)bad, (unsigned long long)out_bytes,
		   (unsigned long long)first, bad ? out[first] : 0);
}

/* Several inferences in a row on one shape, fresh input each time. */
static void test_shape(struct qaic_dev *dev, const char *name, uint32_t net_id,
		       uint64_t in_bytes, uint64_t out_bytes, int iters)
{
	char tname[128];
	struct net_bos b;
	struct wl w;
	int i, ret, fails = 0, first_ret = 0;

	ret = wl_start(&w, dev, net_id, in_bytes, out_bytes, 300000);
	if (!ret)
		ret = net_bos_setup(w.fd, w.dbc, &w.s, &b);
	snprintf(tname, sizeof(tname), "%s_setup", name);
	tap_result(!ret, tname, "ret %d (%s)", ret, strerror(-ret));
	if (ret) {
		wl_stop(&w);
		return;
	}
	for (i = 0; i < iters; i++) {
		uint64_t bad;

		fill(b.in, in_bytes, net_id * 1000 + i);
		memset(b.out, 0, out_bytes);
		ret = infer(&w, &b);
		bad = ret ? 1 : net_out_mismatches(b.in, in_bytes, b.out, out_bytes, NULL);
		if (bad && !fails++)
			first_ret = ret;
	}
	snprintf(tname, sizeof(tname), "%s_%d_inferences_data_correct", name, iters);
	tap_result(!fails, tname, "%d of %d failed (first ret %d)", fails, iters, first_ret);
	net_bos_free(w.fd, &b);
	wl_stop(&w);
}

/* Input in three slices, the doorbell on the last; output of 64 KiB. */
static void test_multi_slice_input(struct qaic_dev *dev)
{
	const uint64_t n = 65536, cut1 = 1000, cut2 = 40000;
	struct qaic_attach_slice_entry in[3];
	struct net_bos b;
	struct wl w;
	int ret;

	ret = wl_start(&w, dev, 3, n, n, 300000);
	if (!ret)
		ret = net_bos_setup(w.fd, w.dbc, &w.s, &b);
	if (ret) {
		tap_result(0, "multi_slice_setup", "ret %d", ret);
		wl_stop(&w);
		return;
	}
	/* re-slice the input BO */
	ret = bo_detach(w.fd, b.in_h);
	in[0] = slice_at(0, cut1, w.s.in_dev);
	in[1] = slice_at(cut1, cut2 - cut1, w.s.in_dev + cut1);
	in[2] = net_in_slice(&w.s);
	in[2].offset = cut2;
	in[2].size = n - cut2;
	in[2].dev_addr = w.s.in_dev + cut2;
	if (!ret)
		ret = bo_attach(w.fd, b.in_h, w.dbc, BO_TO_DEV, in, 3);
	tap_result(!ret, "multi_slice_attach_three_slices", "ret %d", ret);
	fill(b.in, n, 77);
	ret = ret ? ret : infer(&w, &b);
	check_output("multi_slice_input_output_matches", ret, b.in, n, b.out, n);
	net_bos_free(w.fd, &b);
	wl_stop(&w);
}

/* The input starts 100 bytes into its BO and ends mid-page. */
static void test_unaligned_input(struct qaic_dev *dev)
{
	const uint64_t n = 5000, off = 100;
	struct qaic_attach_slice_entry in;
	uint32_t in_h = 0, orig_in;
	struct net_bos b;
	uint8_t *p = NULL;
	struct wl w;
	int ret;

	ret = wl_start(&w, dev, 4, n, n, 300000);
	if (!ret)
		ret = net_bos_setup(w.fd, w.dbc, &w.s, &b);
	if (ret) {
		tap_result(0, "unaligned_setup", "ret %d", ret);
		wl_stop(&w);
		return;
	}
	ret = bo_create(w.fd, 3 * PAGE, &in_h);
	if (!ret) {
		p = bo_map(w.fd, in_h, 3 * PAGE);
		ret = p ? 0 : -errno;
	}
	in = net_in_slice(&w.s);
	in.offset = off;
	if (!ret)
		ret = bo_attach(w.fd, in_h, w.dbc, BO_TO_DEV, &in, 1);
	tap_result(!ret, "unaligned_offset_slice_attached", "ret %d", ret);
	if (!ret) {
		memset(p, 0xee, 3 * PAGE);
		fill(p + off, n, 99);
		orig_in = b.in_h;
		b.in_h = in_h;	/* run with the unaligned input BO */
		ret = infer(&w, &b);
		check_output("unaligned_offset_input_output_matches", ret, p + off, n, b.out, n);
		b.in_h = orig_in;
	}
	if (p)
		munmap(p, 3 * PAGE);
	if (in_h)
		bo_close(w.fd, in_h);
	net_bos_free(w.fd, &b);
	wl_stop(&w);
}

/*
 * A client imports the dma-buf pfd (n bytes, holding src) and runs it as
 * the input of its own network: the output must be the transform of src.
 */
static void run_imported_input(const char *what, int pfd, const uint8_t *src, uint64_t n)
{
	struct qaic_attach_slice_entry in;
	struct qaic_dev *dev_b = NULL;
	struct drm_prime_handle imp;
	uint32_t orig_in;
	struct net_bos b;
	char name[96];
	struct wl w;
	int ret;

	w.dbc = -1;
	ret = qaic_open(card.node, &dev_b);
	if (!ret)
		ret = wl_start(&w, dev_b, 9, n, n, 300000);
	if (!ret)
		ret = net_bos_setup(w.fd, w.dbc, &w.s, &b);
	if (ret) {
		snprintf(name, sizeof(name), "%s_importer_setup", what);
		tap_result(0, name, "ret %d", ret);
		goto out;
	}
	imp = (struct drm_prime_handle){ .fd = pfd };
	ret = ioctl(w.fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp) ? -errno : 0;
	snprintf(name, sizeof(name), "%s_import", what);
	tap_result(!ret, name, "ret %d", ret);
	in = net_in_slice(&w.s);
	if (!ret)
		ret = bo_attach(w.fd, imp.handle, w.dbc, BO_TO_DEV, &in, 1);
	snprintf(name, sizeof(name), "%s_imported_bo_attaches", what);
	tap_result(!ret, name, "ret %d", ret);
	if (!ret) {
		orig_in = b.in_h;
		b.in_h = imp.handle;
		ret = infer(&w, &b);
		b.in_h = orig_in;
		snprintf(name, sizeof(name), "%s_imported_input_output_matches", what);
		check_output(name, ret, src, n, b.out, n);
		bo_detach(w.fd, imp.handle);
	}
	if (imp.handle)
		bo_close(w.fd, imp.handle);
	net_bos_free(w.fd, &b);
out:
	wl_stop(&w);
	qaic_close(dev_b);
}

/* PRIME: client A fills a BO and exports it; client B imports it. */
static void test_prime(struct qaic_dev *dev_a)
{
	const uint64_t n = 2 * PAGE;
	struct drm_prime_handle exp;
	int fd_a = qaic_fd(dev_a), ret, pfd = -1;
	uint8_t *pa = NULL;
	uint32_t ha = 0;

	ret = bo_create(fd_a, n, &ha);
	if (!ret) {
		pa = bo_map(fd_a, ha, n);
		ret = pa ? 0 : -errno;
	}
	if (!ret) {
		fill(pa, n, 4242);
		exp = (struct drm_prime_handle){ .handle = ha, .flags = DRM_CLOEXEC | DRM_RDWR };
		ret = ioctl(fd_a, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp) ? -errno : 0;
		pfd = exp.fd;
	}
	tap_result(!ret, "prime_export", "ret %d", ret);
	if (!ret)
		run_imported_input("prime", pfd, pa, n);
	if (pfd >= 0)
		close(pfd);
	if (pa)
		munmap(pa, n);
	if (ha)
		bo_close(fd_a, ha);
}

/* The first DRM node whose driver is name, opened; -1 if none. */
static int open_drm_driver(const char *name)
{
	char path[64], drv[64];
	struct drm_version v;
	int i, fd;

	for (i = 0; i < 16; i++) {
		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		memset(&v, 0, sizeof(v));
		memset(drv, 0, sizeof(drv));
		v.name = drv;
		v.name_len = sizeof(drv) - 1;
		if (!ioctl(fd, DRM_IOCTL_VERSION, &v) && !strcmp(drv, name))
			return fd;
		close(fd);
	}
	return -1;
}

/*
 * A dma-buf from another device: vgem (a memory-only DRM driver, loaded by
 * the suite) exports a dumb buffer; our driver must map its pages for the
 * card through the dma-buf attachment, not reuse one of its own GEM objects.
 */
static void test_foreign_import(void)
{
	const uint64_t n = 3 * PAGE;
	struct drm_mode_create_dumb cd = { .width = n / 4, .height = 1, .bpp = 32 };
	struct drm_mode_map_dumb md = { 0 };
	struct drm_prime_handle exp;
	int fd = open_drm_driver("vgem"), ret, pfd = -1;
	uint8_t *p = MAP_FAILED;

	if (fd < 0) {
		tap_result(0, "vgem_device_present", "no /dev/dri/card* of vgem (modprobe vgem)");
		return;
	}
	ret = ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &cd) ? -errno : 0;
	if (!ret) {
		md.handle = cd.handle;
		ret = ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &md) ? -errno : 0;
	}
	if (!ret) {
		p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, md.offset);
		ret = p == MAP_FAILED ? -errno : 0;
	}
	if (!ret) {
		fill(p, n, 777);
		exp = (struct drm_prime_handle){ .handle = cd.handle, .flags = DRM_CLOEXEC };
		ret = ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp) ? -errno : 0;
		pfd = exp.fd;
	}
	tap_result(!ret && cd.size >= n, "vgem_buffer_exported", "ret %d size %llu", ret,
		   (unsigned long long)cd.size);
	if (!ret)
		run_imported_input("vgem", pfd, p, n);
	if (pfd >= 0)
		close(pfd);
	if (p != MAP_FAILED)
		munmap(p, n);
	close(fd);
}

/*
 * No network: a BO of three one-page slices goes to the device and another
 * brings the same device range back, on an 8-element ring, so successive
 * executions start at every position and their elements wrap around the
 * end of the ring. What comes back must be what went.
 */
static void test_ring_wrap(struct qaic_dev *dev)
{
	const uint64_t n = 3 * PAGE, dev_addr = 0x7000000;
	struct qaic_attach_slice_entry e[3];
	uint32_t hx = 0, hy = 0, both[2];
	int fd = qaic_fd(dev), d, i, k, ret, good = 0;
	uint8_t *x = NULL, *y = NULL;
	const int iters = 12;

	d = dbc_activate(fd, 8);
	ret = d < 0 ? d : bo_create(fd, n, &hx);
	ret = ret ? ret : bo_create(fd, n, &hy);
	if (!ret) {
		x = bo_map(fd, hx, n);
		y = bo_map(fd, hy, n);
		ret = x && y ? 0 : -errno;
	}
	for (k = 0; k < 3; k++)
		e[k] = slice_at(k * PAGE, PAGE, dev_addr + k * PAGE);
	ret = ret ? ret : bo_attach(fd, hx, d, BO_TO_DEV, e, 3);
	ret = ret ? ret : bo_attach(fd, hy, d, BO_FROM_DEV, e, 3);
	tap_result(!ret, "ring_wrap_setup", "ret %d", ret);
	both[0] = hx;
	both[1] = hy;
	for (i = 0; i < iters && !ret; i++) {
		fill(x, n, 9000 + i);
		memset(y, 0, n);
		ret = bo_execute(fd, d, both, 2);
		ret = ret ? ret : bo_wait(fd, d, hy, 10000);
		ret = ret ? ret : bo_wait(fd, d, hx, 10000);
		good += !ret && !memcmp(x, y, n);
	}
	tap_result(good == iters, "ring_wrap_data_back_as_sent", "%d of %d right (ret %d)", good,
		   iters, ret);
	if (x)
		munmap(x, n);
	if (y)
		munmap(y, n);
	if (hx)
		bo_close(fd, hx);
	if (hy)
		bo_close(fd, hy);
	if (d >= 0)
		dbc_deactivate(fd, d);
}

/* Eight inferences queued in one EXECUTE_BO, each output checked. */
static void test_pipelined(struct qaic_dev *dev)
{
	enum { K = 8 };
	struct net_bos b[K];
	uint32_t handles[2 * K];
	int i, ret = 0, ok = 0, setup = 0;
	struct wl w;

	ret = wl_start(&w, dev, 5, 2 * PAGE, 2 * PAGE, 200000);
	for (i = 0; i < K && !ret; i++, setup++) {
		ret = net_bos_setup(w.fd, w.dbc, &w.s, &b[i]);
		if (ret)
			break;
		fill(b[i].in, 2 * PAGE, 500 + i);
		handles[2 * i] = b[i].in_h;
		handles[2 * i + 1] = b[i].out_h;
	}
	if (!ret)
		ret = bo_execute(w.fd, w.dbc, handles, 2 * K);
	tap_result(!ret, "pipelined_eight_inferences_queued_in_one_call", "ret %d", ret);
	for (i = 0; i < K && !ret; i++) {
		int r = bo_wait(w.fd, w.dbc, b[i].out_h, 10000);

		if (!r && !net_out_mismatches(b[i].in, 2 * PAGE, b[i].out, 2 * PAGE, NULL))
			ok++;
	}
	tap_result(ok == K, "pipelined_every_output_matches_its_input", "%d of %d correct", ok, K);
	for (i = 0; i < setup; i++)
		net_bos_free(w.fd, &b[i]);
	wl_stop(&w);
}

/*
 * PARTIAL_EXECUTE of the input: only a prefix reaches the device, so the
 * network reads the new prefix followed by the previous input's tail; with
 * resize 0 nothing moves but the doorbell still starts an inference.
 */
static void test_partial(struct qaic_dev *dev)
{
	const uint64_t n = 3 * PAGE, r = 1000;
	uint8_t expect_in[3 * PAGE];
	struct net_bos b;
	struct wl w;
	int ret;

	ret = wl_start(&w, dev, 6, n, n, 200000);
	if (!ret)
		ret = net_bos_setup(w.fd, w.dbc, &w.s, &b);
	if (ret) {
		tap_result(0, "partial_setup", "ret %d", ret);
		wl_stop(&w);
		return;
	}
	fill(b.in, n, 1);
	memcpy(expect_in, b.in, n);
	ret = infer(&w, &b);
	check_output("partial_first_full_inference", ret, expect_in, n, b.out, n);

	fill(b.in, n, 2);
	memcpy(expect_in, b.in, r);	/* the tail stays what the device had */
	memset(b.out, 0, n);
	ret = bo_partial1(w.fd, w.dbc, b.in_h, r);
	if (!ret)
		ret = bo_execute1(w.fd, w.dbc, b.out_h);
	if (!ret)
		ret = bo_wait(w.fd, w.dbc, b.out_h, 10000);
	check_output("partial_prefix_reaches_device_tail_kept", ret, expect_in, n, b.out, n);

	fill(b.in, n, 3);	/* must not reach the device */
	memset(b.out, 0, n);
	ret = bo_partial1(w.fd, w.dbc, b.in_h, 0);
	if (!ret)
		ret = bo_execute1(w.fd, w.dbc, b.out_h);
	if (!ret)
		ret = bo_wait(w.fd, w.dbc, b.out_h, 10000);
	check_output("partial_resize_zero_moves_nothing_but_runs", ret, expect_in, n, b.out, n);

	fill(b.in, n, 4);
	memcpy(expect_in, b.in, n);
	memset(b.out, 0, n);
	ret = bo_partial1(w.fd, w.dbc, b.in_h, n);
	if (!ret)
		ret = bo_execute1(w.fd, w.dbc, b.out_h);
	if (!ret)
		ret = bo_wait(w.fd, w.dbc, b.out_h, 10000);
	check_output("partial_full_size_is_a_full_execute", ret, expect_in, n, b.out, n);
	net_bos_free(w.fd, &b);
	wl_stop(&w);
}

/* PERF_STATS_BO after a wait: upstream's fields, bounded by the wall clock. */
static void test_perf_stats(struct qaic_dev *dev)
{
	const uint64_t mean_ns = 20000000;	/* 20 ms: well above TCG's noise */
	struct qaic_perf_stats_entry pe[2];
	uint64_t t0, wall_us;
	struct net_bos b;
	struct wl w;
	int ret;

	ret = wl_start(&w, dev, 7, PAGE, PAGE, mean_ns);
	if (!ret)
		ret = net_bos_setup(w.fd, w.dbc, &w.s, &b);
	if (ret) {
		tap_result(0, "perf_stats_setup", "ret %d", ret);
		wl_stop(&w);
		return;
	}
	fill(b.in, PAGE, 5);
	t0 = now_ns();
	ret = infer(&w, &b);
	wall_us = (now_ns() - t0) / 1000;
	check_output("perf_stats_inference_output_matches", ret, b.in, PAGE, b.out, PAGE);
	memset(pe, 0, sizeof(pe));
	pe[0].handle = b.in_h;
	pe[1].handle = b.out_h;
	ret = ret ? ret : bo_perf(w.fd, w.dbc, pe, 2);
	printf("# perf in: level %u elems %u submit %u us device %u us; out: level %u elems %u "
	       "submit %u us device %u us; wall %llu us\n", pe[0].queue_level_before,
	       pe[0].num_queue_element, pe[0].submit_latency_us, pe[0].device_latency_us,
	       pe[1].queue_level_before, pe[1].num_queue_element, pe[1].submit_latency_us,
	       pe[1].device_latency_us, (unsigned long long)wall_us);
	tap_result(!ret, "perf_stats_after_wait", "ret %d", ret);
	tap_result(pe[0].num_queue_element == 1 && pe[1].num_queue_element == 1,
		   "perf_stats_one_element_each", "in %u out %u", pe[0].num_queue_element,
		   pe[1].num_queue_element);
	tap_result(pe[0].queue_level_before == 0 && pe[1].queue_level_before == 1,
		   "perf_stats_queue_level_counts_earlier_bos_of_the_call",
		   "in %u out %u (want 0 and 1)", pe[0].queue_level_before,
		   pe[1].queue_level_before);
	tap_result(pe[1].device_latency_us >= mean_ns / 1000 &&
		   pe[1].device_latency_us <= wall_us, "perf_stats_output_latency_covers_compute",
		   "device %u us, compute %llu us, wall %llu us", pe[1].device_latency_us,
		   (unsigned long long)(mean_ns / 1000), (unsigned long long)wall_us);
	tap_result(pe[0].device_latency_us <= pe[1].device_latency_us &&
		   pe[0].submit_latency_us <= wall_us && pe[1].submit_latency_us <= wall_us,
		   "perf_stats_input_before_output_and_submit_bounded",
		   "in device %u out device %u submit %u/%u wall %llu", pe[0].device_latency_us,
		   pe[1].device_latency_us, pe[0].submit_latency_us, pe[1].submit_latency_us,
		   (unsigned long long)wall_us);
	net_bos_free(w.fd, &b);
	wl_stop(&w);
}

/* One process of the concurrency part: two workloads, interleaved. */
static int child(int idx, int iters)
{
	struct qaic_dev *dev;
	struct net_bos b[2];
	struct wl w[2];
	int i, k, bad = 0, ret;

	ret = qaic_open(card.node, &dev);
	if (ret)
		return 2;
	for (k = 0; k < 2; k++) {
		uint64_t in = (k ? 3 * PAGE : 700) + idx * 64, out = k ? PAGE + 5 : 2 * PAGE;

		ret = wl_start(&w[k], dev, 10 + idx * 2 + k, in, out, k ? 100000 : 400000);
		if (!ret)
			ret = net_bos_setup(w[k].fd, w[k].dbc, &w[k].s, &b[k]);
		if (ret) {
			printf("# child %d workload %d setup: %s\n", idx, k, strerror(-ret));
			return 2;
		}
	}
	for (i = 0; i < iters; i++) {
		for (k = 0; k < 2; k++) {
			uint32_t both[2] = { b[k].in_h, b[k].out_h };

			fill(b[k].in, b[k].in_bytes, idx * 100000 + k * 50000 + i);
			ret = bo_execute(w[k].fd, w[k].dbc, both, 2);
			if (ret) {
				bad++;
				continue;
			}
		}
		for (k = 0; k < 2; k++) {
			uint64_t wrong = 0;

			ret = bo_wait(w[k].fd, w[k].dbc, b[k].out_h, 10000);
			if (!ret)
				ret = bo_wait(w[k].fd, w[k].dbc, b[k].in_h, 10000);
			if (!ret)
				wrong = net_out_mismatches(b[k].in, b[k].in_bytes, b[k].out,
							   b[k].out_bytes, NULL);
			if (!ret && !wrong)
				continue;
			bad++;
			printf("# child %d workload %d (dbc %d) inference %d: wait %d, %llu bytes wrong\n",
			       idx, k, w[k].dbc, i, ret, (unsigned long long)wrong);
			if (ret) {
				/* a request that never completes: show why, and stop */
				diag_dbc(&card, w[k].dbc);
				fflush(stdout);
				_exit(3);
			}
		}
	}
	for (k = 0; k < 2; k++) {
		net_bos_free(w[k].fd, &b[k]);
		wl_stop(&w[k]);
	}
	qaic_close(dev);
	if (bad)
		printf("# child %d: %d of %d inferences bad\n", idx, bad, 2 * iters);
	return bad ? 1 : 0;
}

static void test_concurrent(int procs, int iters)
{
	int i, status, ok = 0;
	pid_t pids[16];
	uint64_t t0 = now_ns(), ms;

	for (i = 0; i < procs; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			fflush(stdout);
			_exit(child(i, iters));
		}
	}
	for (i = 0; i < procs; i++) {
		if (pids[i] > 0 && waitpid(pids[i], &status, 0) == pids[i] && WIFEXITED(status) &&
		    WEXITSTATUS(status) == 0)
			ok++;
	}
	ms = (now_ns() - t0) / 1000000;
	printf("# %d processes x 2 workloads x %d inferences in %llu ms\n", procs, iters,
	       (unsigned long long)ms);
	tap_result(ok == procs, "concurrent_processes_all_outputs_correct", "%d of %d clean", ok,
		   procs);
}

int main(int argc, char **argv)
{
	int one = argc > 1 && !strcmp(argv[1], "--one");
	int procs = argc > 1 && !one ? atoi(argv[1]) : 4, iters = argc > 2 ? atoi(argv[2]) : 50;
	struct qaic_dev *dev;
	int ret;

	if (procs < 1 || procs > 7 || iters < 1) {
		fprintf(stderr, "usage: test_data_roundtrip [PROCS (1..7) [ITERS]]\n");
		return 2;
	}
	if (find_card(&card)) {
		printf("Bail out! no qaic device found\n");
		return 1;
	}
	ret = qaic_open(card.node, &dev);
	if (ret) {
		printf("Bail out! open %s: %s\n", card.node, strerror(-ret));
		return 1;
	}
	if (one) {
		test_shape(dev, "one_inference", 1, PAGE, PAGE, 1);
		qaic_close(dev);
		return tap_done();
	}
	test_shape(dev, "page_in_page_out", 1, PAGE, PAGE, 20);
	test_shape(dev, "output_three_times_input", 2, 1000, 3000, 5);
	test_multi_slice_input(dev);
	test_unaligned_input(dev);
	test_shape(dev, "one_mib_each_way", 8, 1 << 20, 1 << 20, 3);
	test_pipelined(dev);
	test_ring_wrap(dev);
	test_prime(dev);
	test_foreign_import();
	test_partial(dev);
	test_perf_stats(dev);
	qaic_close(dev);
	test_concurrent(procs, iters);
	return tap_done();
}
