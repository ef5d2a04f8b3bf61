// SPDX-License-Identifier: GPL-2.0-only
/*
 * The driver's per-client figures against the sim's ground truth
 * (debugfs qaic_sim/card0/truth, docs/sim-model.md):
 * - fdinfo drm-total-/drm-resident-memory: exactly the client's BO sizes;
 * - fdinfo drm-engine-dbc<N>: the DBC's busy time, within 2% of the union
 *   of [t_queued, t_rsp] of every request the card ran for it;
 * - PERF_STATS_BO: elements exactly the card's, device latency never
 *   shorter than the card's (doorbell seen to last response written) by
 *   more than the 1 us resolution, and never longer than the client saw
 *   (execute call to wait return); the host's completion handling in
 *   between is reported.
 * Prints TAP; exit 0 when all passed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "qaic.h"

#define TRUTH		"/sys/kernel/debug/qaic_sim/card0/truth"
#define SLOTS		4
#define BUSY_RUNS	60
#define PERF_RUNS	20
#define WAIT_MS		20000

static int n_test, n_failed;

static unsigned long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", ok ? "ok" : "not ok", ++n_test);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	n_failed += !ok;
}

/* Value of fdinfo key (e.g. "drm-total-memory:"), or -1. */
static long long fdinfo_value(int fd, const char *key)
{
	char path[64], line[256];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			v = strtoll(line + strlen(key), NULL, 10);
	fclose(f);
	return v;
}

struct rrec {
	unsigned int dbc, req_id, dir, elems;
	unsigned long long t_queued, t_rsp;
};

/* The R records of dbc, oldest first; returns how many (at most max). */
static int truth_read(unsigned int dbc, struct rrec *out, int max)
{
	char line[512];
	int n = 0;
	FILE *f = fopen(TRUTH, "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f) && n < max) {
		struct rrec r;
		unsigned long long seq, bytes, t_start, dma_s, dma_e, db;
		unsigned int owner;

		if (sscanf(line, "R %llu %u %u %u %u %llu %u %llu %llu %llu %llu %llu %llu",
			   &seq, &r.dbc, &r.req_id, &owner, &r.dir, &bytes, &r.elems,
			   &r.t_queued, &t_start, &dma_s, &dma_e, &db, &r.t_rsp) != 13)
			continue;
		if (r.dbc == dbc)
			out[n++] = r;
	}
	fclose(f);
	return n;
}

static int truth_clear(void)
{
	FILE *f = fopen(TRUTH, "w");

	if (!f)
		return -errno;
	fputs("clear\n", f);
	return fclose(f) ? -errno : 0;
}

int main(void)
{
	static struct rrec recs[4096];
	struct qaic_simnet net = {
		.net_id = 7, .nsp_count = 1, .input_bytes = 128 << 10, .output_bytes = 8 << 10,
		.dist = QAIC_SIMNET_FIXED, .mean_ns = 3000000, .sem_index = 5, .doorbell = 0x77,
	};
	struct qaic_simnet_plan plan;
	struct qaic_simnet_io *io = NULL;
	struct qaic_dev *dev = NULL;
	unsigned long long busy_truth = 0, end = 0, worst_over = 0, sum_over = 0;
	long long busy0, busy1, total, resident, want;
	char key[32];
	uint32_t dbc, s, slot;
	int fd, ret, n, i, perf_ok = 1, elems_ok = 1;

	ret = qaic_simnet_plan(&net, (uint64_t)sysconf(_SC_PAGESIZE), &plan);
	if (!ret)
		ret = qaic_open_index(0, &dev);
	if (!ret)
		ret = qaic_activate(dev, plan.max_elements * SLOTS + 1, &dbc);
	if (!ret)
		ret = qaic_simnet_place(&net, dbc);
	if (!ret)
		ret = qaic_simnet_load(dev, &net);
	if (!ret)
		ret = qaic_simnet_io_create(dev, &net, dbc, SLOTS, &io);
	check(!ret, "set up a network with %d buffer pairs (%s)", SLOTS, strerror(-ret));
	if (ret)
		goto out;
	fd = qaic_fd(dev);

	want = (long long)((plan.in_bo_size + plan.out_bo_size) * SLOTS >> 10);
	total = fdinfo_value(fd, "drm-total-memory:");
	resident = fdinfo_value(fd, "drm-resident-memory:");
	check(total == want && resident == want,
	      "fdinfo memory: total %lld KiB, resident %lld KiB, BOs %lld KiB", total, resident,
	      want);

	snprintf(key, sizeof(key), "drm-engine-dbc%u:", dbc);
	check(truth_clear() == 0, "clear the sim's ground truth");
	busy0 = fdinfo_value(fd, key);
	/* Busy phase: every slot in flight, completed in order. */
	for (s = 0; s < SLOTS && !ret; s++) {
		qaic_simnet_io_fill(io, s, s);
		ret = qaic_simnet_io_submit(io, &s, 1);
	}
	for (i = 0; !ret && i < BUSY_RUNS; i++) {
		slot = i % SLOTS;
		ret = qaic_simnet_io_wait(io, slot, WAIT_MS);
		if (!ret && qaic_simnet_io_verify(io, slot, NULL))
			ret = -EBADMSG;
		if (!ret && i + SLOTS < BUSY_RUNS) {
			qaic_simnet_io_fill(io, slot, i + SLOTS);
			ret = qaic_simnet_io_submit(io, &slot, 1);
		}
	}
	check(!ret, "%d inferences with %d in flight (%s)", BUSY_RUNS, SLOTS, strerror(-ret));
	busy1 = fdinfo_value(fd, key);
	n = truth_read(dbc, recs, 4096);
	for (i = 0; i < n; i++) {
		unsigned long long a = recs[i].t_queued, b = recs[i].t_rsp;

		if (a < end)
			a = end;
		if (b > a)
			busy_truth += b - a;
		if (b > end)
			end = b;
	}
	check(n > 0 && busy0 >= 0 && busy1 > busy0 &&
	      llabs(busy1 - busy0 - (long long)busy_truth) * 50 <= (long long)busy_truth,
	      "fdinfo %s %lld ns vs ground truth %llu ns (%.3f%%, %d requests)", key,
	      busy1 - busy0, busy_truth,
	      busy_truth ? 100.0 * ((double)(busy1 - busy0) - busy_truth) / busy_truth : 0.0, n);

	/* PERF_STATS_BO: one inference at a time, against its truth records. */
	for (i = 0; !ret && i < PERF_RUNS; i++) {
		struct qaic_perf_stats_entry e[2];
		uint32_t h[2];
		unsigned long long t0, client_ns;
		int k, j, first;

		truth_clear();
		slot = 0;
		qaic_simnet_io_fill(io, slot, 1000 + i);
		t0 = mono_ns();
		ret = qaic_simnet_io_submit(io, &slot, 1);
		if (!ret)
			ret = qaic_simnet_io_wait(io, slot, WAIT_MS);
		client_ns = mono_ns() - t0;
		if (ret)
			break;
		qaic_simnet_io_handles(io, slot, &h[0], &h[1]);
		memset(e, 0, sizeof(e));
		e[0].handle = h[0];
		e[1].handle = h[1];
		ret = qaic_perf_stats(dev, dbc, e, 2);
		if (ret)
			break;
		n = truth_read(dbc, recs, 4096);
		/* Input: records with dir 1; output: the rest (dir 2). */
		for (k = 0; k < 2; k++) {
			unsigned int want_dir = k ? 2 : 1, el = 0;
			unsigned long long q = 0, rsp = 0, dev_ns, perf_ns;

			first = 1;
			for (j = 0; j < n; j++) {
				if (recs[j].dir != want_dir)
					continue;
				if (first)
					q = recs[j].t_queued;
				first = 0;
				el += recs[j].elems;
				rsp = recs[j].t_rsp;
			}
			if (first || el != e[k].num_queue_element)
				elems_ok = 0;
			dev_ns = rsp - q;
			perf_ns = (unsigned long long)e[k].device_latency_us * 1000;
			if (perf_ns + 1000 < dev_ns || perf_ns > client_ns) {
				perf_ok = 0;
				printf("# run %d bo %d: perf %llu ns, truth %llu ns, client %llu ns\n",
				       i, k, perf_ns, dev_ns, client_ns);
			}
			if (perf_ns > dev_ns) {
				sum_over += perf_ns - dev_ns;
				if (perf_ns - dev_ns > worst_over)
					worst_over = perf_ns - dev_ns;
			}
		}
	}
	check(!ret, "%d single inferences with PERF_STATS_BO (%s)", PERF_RUNS, strerror(-ret));
	check(elems_ok, "PERF_STATS_BO num_queue_element matches the card's elements");
	check(perf_ok, "PERF_STATS_BO device latency vs truth: host handling adds %llu ns on "
	      "average, %llu ns at most", sum_over / (2 * PERF_RUNS), worst_over);
out:
	qaic_simnet_io_destroy(io);
	if (dev)
		qaic_close(dev);
	printf("1..%d\n", n_test);
	return n_failed != 0;
}
