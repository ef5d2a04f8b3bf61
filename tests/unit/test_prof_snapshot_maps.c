// SPDX-License-Identifier: MIT
/*
 * snap_take() against real BPF maps on the host (root): per-CPU hash maps of
 * the layouts in bpf/qaic_prof.h are created with bpf_map_create, filled
 * with a different value on every possible CPU, and read back, in batches
 * and key by key; maps of the wrong shape are refused with a reason. Without
 * the privilege to create maps, each test says so and checks nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "check.h"
#include "hist.h"
#include "snapshot.h"
#include "tap.h"

#define N_WL		20
#define N_HIST_WL	150	/* x 2 stages: several batch calls for 8.75 KiB per-CPU values */
#define N_INFLIGHT	5000

static int ncpus;
static struct snap_maps maps = { -1, -1, -1, -1, -1 };
static int no_bpf;

static size_t stride_of(size_t size)
{
	return (size + 7) & ~(size_t)7;
}

static int create(enum bpf_map_type type, const char *name, size_t key, size_t value,
		  unsigned int entries)
{
	int fd = bpf_map_create(type, name, key, value, entries, NULL);

	if (fd < 0 && !no_bpf) {
		no_bpf = errno;
		printf("# bpf_map_create(%s): %s: map tests check nothing\n", name, strerror(errno));
	}
	return fd;
}

static struct qp_wl_key wl_key(uint32_t i)
{
	struct qp_wl_key k;

	memset(&k, 0, sizeof(k));
	k.dev = i % 2;
	k.dbc = i % 16;
	k.tgid = 1000 + i;
	k.cgroup = 77;
	return k;
}

static int fill_workloads(void)
{
	size_t stride = stride_of(sizeof(struct qp_wl_stats));
	char *vals = calloc(ncpus, stride);
	uint32_t i;
	int cpu;

	if (!vals)
		return -1;
	for (i = 0; i < N_WL; i++) {
		struct qp_wl_key k = wl_key(i);

		for (cpu = 0; cpu < ncpus; cpu++) {
			struct qp_wl_stats st;

			memset(&st, 0, sizeof(st));
			st.executes = i + 1;			/* per CPU: sum = ncpus * (i + 1) */
			st.enq_bytes[QP_DIR_IN] = (uint64_t)(cpu + 1) << 32;
			st.lat_sum_ns[QP_STAGE_E2E] = cpu;
			if (cpu == ncpus - 1)
				snprintf(st.comm, sizeof(st.comm), "w%u", i);
			memcpy(vals + cpu * stride, &st, sizeof(st));
		}
		if (bpf_map_update_elem(maps.workloads, &k, vals, BPF_ANY))
			break;
	}
	free(vals);
	return i == N_WL ? 0 : -1;
}

static int fill_hists(void)
{
	size_t stride = hist_percpu_stride();
	char *vals = calloc(ncpus, stride);
	static const uint32_t stages[] = { QP_STAGE_DEVICE, QP_STAGE_E2E };
	uint32_t i, j, stage;
	int cpu;

	if (!vals)
		return -1;
	for (i = 0; i < N_HIST_WL; i++) {
		for (j = 0; j < 2; j++) {
			struct qp_hist_key k;

			stage = stages[j];
			memset(&k, 0, sizeof(k));
			k.wl = wl_key(i);
			k.stage = stage;
			memset(vals, 0, ncpus * stride);
			for (cpu = 0; cpu < ncpus; cpu++) {
				struct qp_hist *h = (struct qp_hist *)(vals + cpu * stride);

				h->slots[i] = 1;
				h->slots[QP_HIST_SLOTS - 1] = stage;
			}
			if (bpf_map_update_elem(maps.hists, &k, vals, BPF_ANY)) {
				free(vals);
				return -1;
			}
		}
	}
	free(vals);
	return 0;
}

static int fill_dbcs_and_inflight(void)
{
	struct qp_dbc_key dk = { .dev = 0, .dbc = 3 };
	struct qp_dbc_state ds;
	uint32_t i;

	memset(&ds, 0, sizeof(ds));
	ds.enqueued = 10;
	ds.rsp_tail = 5;
	strcpy(ds.owner_comm, "owner");
	if (bpf_map_update_elem(maps.dbcs, &dk, &ds, BPF_ANY))
		return -1;
	for (i = 0; i < N_INFLIGHT; i++) {
		struct qp_req_key rk = { .dev = 0, .dbc = i % 4, .seq = i };
		struct qp_req r;

		memset(&r, 0, sizeof(r));
		r.submit_ts = 1000000 + (uint64_t)((i * 7919) % N_INFLIGHT);	/* shuffled */
		r.bytes = 10;
		r.wl.tgid = i;
		if (bpf_map_update_elem(maps.inflight, &rk, &r, BPF_ANY))
			return -1;
	}
	return 0;
}

static int fill_counters(void)
{
	size_t stride = stride_of(sizeof(__u64));
	__u64 *vals = calloc(ncpus, stride);
	uint32_t idx;
	int cpu;

	if (!vals)
		return -1;
	for (idx = 0; idx < QP_CNT_N; idx++) {
		for (cpu = 0; cpu < ncpus; cpu++)
			vals[cpu] = idx * 100 + cpu;
		if (bpf_map_update_elem(maps.counters, &idx, vals, BPF_ANY))
			break;
	}
	free(vals);
	return idx == QP_CNT_N ? 0 : -1;
}

static int setup(void)
{
	ncpus = libbpf_num_possible_cpus();
	if (ncpus <= 0)
		return -1;
	maps.workloads = create(BPF_MAP_TYPE_PERCPU_HASH, "t_wl", sizeof(struct qp_wl_key),
				sizeof(struct qp_wl_stats), QP_MAX_WORKLOADS);
	maps.hists = create(BPF_MAP_TYPE_PERCPU_HASH, "t_hist", sizeof(struct qp_hist_key),
			    sizeof(struct qp_hist), 4 * QP_MAX_WORKLOADS);
	maps.dbcs = create(BPF_MAP_TYPE_HASH, "t_dbc", sizeof(struct qp_dbc_key),
			   sizeof(struct qp_dbc_state), QP_MAX_DBCS);
	maps.inflight = create(BPF_MAP_TYPE_HASH, "t_inflight", sizeof(struct qp_req_key),
			       sizeof(struct qp_req), QP_MAX_INFLIGHT);
	maps.counters = create(BPF_MAP_TYPE_PERCPU_ARRAY, "t_cnt", sizeof(__u32), sizeof(__u64),
			       QP_CNT_N);
	if (no_bpf)
		return 0;
	if (fill_workloads() || fill_hists() || fill_dbcs_and_inflight() || fill_counters()) {
		printf("# filling the maps: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static int teardown(void)
{
	int *fds[] = { &maps.workloads, &maps.hists, &maps.dbcs, &maps.inflight, &maps.counters };
	size_t i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (*fds[i] >= 0)
			close(*fds[i]);
	return 0;
}

static void check_snapshot(const struct snapshot *s)
{
	uint32_t i, bad = 0, idx;
	const struct snap_dbc *d;
	struct timespec now;

	/* workloads: N_HIST_WL from the histograms, the first N_WL with counters too */
	CHECK_EQ(s->n_wl, N_HIST_WL);
	for (i = 0; i < N_HIST_WL; i++) {
		struct qp_wl_key k = wl_key(i);
		const struct snap_workload *w = snap_find_wl(s, &k);
		char comm[QP_COMM_LEN];

		if (!w) {
			bad++;
			continue;
		}
		snprintf(comm, sizeof(comm), "w%u", i);
		bad += hist_count(&w->hist[QP_STAGE_SUBMIT]) != 0;
		bad += w->hist[QP_STAGE_DEVICE].slots[i] != (uint32_t)ncpus;
		bad += w->hist[QP_STAGE_E2E].slots[i] != (uint32_t)ncpus;
		bad += w->hist[QP_STAGE_E2E].slots[QP_HIST_SLOTS - 1] != (uint32_t)(ncpus * QP_STAGE_E2E);
		bad += hist_count(&w->hist[QP_STAGE_DEVICE]) !=
		       (uint64_t)ncpus * (1 + QP_STAGE_DEVICE);
		if (i < N_WL) {
			bad += w->stats.executes != (uint64_t)ncpus * (i + 1);
			bad += w->stats.enq_bytes[QP_DIR_IN] !=
			       ((uint64_t)ncpus * (ncpus + 1) / 2) << 32;
			bad += w->stats.lat_sum_ns[QP_STAGE_E2E] != (uint64_t)ncpus * (ncpus - 1) / 2;
			bad += strcmp(w->stats.comm, comm) != 0;
		} else {
			bad += w->stats.executes != 0;
		}
	}
	CHECK_EQ(bad, 0);

	/* in flight, per DBC: 4 DBCs, the oldest of each */
	CHECK_EQ(s->n_dbc, 4);
	for (i = 0, bad = 0; i < 4; i++) {
		d = snap_find_dbc(s, 0, i);
		if (!d) {
			bad++;
			continue;
		}
		bad += d->inflight != N_INFLIGHT / 4;
		bad += d->inflight_bytes != 10 * N_INFLIGHT / 4;
		bad += d->has_state != (i == 3);
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(snap_find_dbc(s, 0, 0)->oldest.submit_ts, 1000000);	/* seq 0 */
	CHECK_EQ(snap_find_dbc(s, 0, 0)->oldest.wl.tgid, 0);
	d = snap_find_dbc(s, 0, 3);
	CHECK_EQ(d->state.enqueued, 10);
	CHECK_EQ(d->state.rsp_tail, 5);
	CU_ASSERT_STRING_EQUAL(d->state.owner_comm, "owner");

	for (idx = 0, bad = 0; idx < QP_CNT_N; idx++)
		bad += s->counters[idx] != (uint64_t)idx * 100 * ncpus + (uint64_t)ncpus * (ncpus - 1) / 2;
	CHECK_EQ(bad, 0);

	clock_gettime(CLOCK_MONOTONIC, &now);
	CU_ASSERT(s->ts_ns > 0 && s->ts_ns <= s->ts_end_ns);
	CU_ASSERT(s->ts_end_ns <= (uint64_t)now.tv_sec * 1000000000ULL + (uint64_t)now.tv_nsec);
}

static void test_read_batched(void)
{
	struct snapshot s;
	char msg[256];

	if (no_bpf)
		return;
	snap_read_no_batch = 0;
	CHECK_OK(snap_take(&s, &maps, msg, sizeof(msg)));
	check_snapshot(&s);
	snap_free(&s);
}

static void test_read_key_by_key(void)
{
	struct snapshot s;
	char msg[256];

	if (no_bpf)
		return;
	snap_read_no_batch = 1;
	CHECK_OK(snap_take(&s, &maps, msg, sizeof(msg)));
	snap_read_no_batch = 0;
	check_snapshot(&s);
	snap_free(&s);
}

static void test_delta_of_live_maps(void)
{
	struct qp_wl_key k = wl_key(0);
	struct snapshot a, b, d;
	size_t stride = stride_of(sizeof(struct qp_wl_stats));
	char *vals = calloc(ncpus, stride), msg[256];
	const struct snap_workload *w;
	int cpu;

	if (no_bpf || !vals) {
		free(vals);
		return;
	}
	CHECK_OK(snap_take(&a, &maps, msg, sizeof(msg)));
	CHECK_OK(bpf_map_lookup_elem(maps.workloads, &k, vals));
	for (cpu = 0; cpu < ncpus; cpu++)
		((struct qp_wl_stats *)(vals + cpu * stride))->executes += 5;
	CHECK_OK(bpf_map_update_elem(maps.workloads, &k, vals, BPF_EXIST));
	CHECK_OK(snap_take(&b, &maps, msg, sizeof(msg)));
	CHECK_OK(snap_delta(&d, &b, &a));
	w = snap_find_wl(&d, &k);
	CU_ASSERT_FATAL(w != NULL);
	CHECK_EQ(w->stats.executes, 5 * ncpus);
	CHECK_EQ(hist_count(&w->hist[QP_STAGE_E2E]), 0);
	CHECK_EQ(d.n_vanished, 0);
	CU_ASSERT(snap_interval_ns(&d) > 0);
	snap_free(&a);
	snap_free(&b);
	snap_free(&d);
	free(vals);
}

static void test_wrong_maps_refused(void)
{
	struct snap_maps bad = { -1, -1, -1, -1, -1 };
	struct snapshot s;
	char msg[256] = "";
	int fd;

	if (no_bpf)
		return;
	/* a plain hash where a per-CPU one belongs */
	bad.workloads = maps.dbcs;
	CU_ASSERT(snap_take(&s, &bad, msg, sizeof(msg)) == -EINVAL);
	CU_ASSERT(strstr(msg, "workloads map 't_dbc': type") != NULL);
	snap_free(&s);
	/* the right type, a different layout */
	fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_HASH, "t_old", sizeof(struct qp_wl_key),
			    sizeof(struct qp_wl_stats) - 8, 4, NULL);
	CU_ASSERT_FATAL(fd >= 0);
	bad.workloads = fd;
	CU_ASSERT(snap_take(&s, &bad, msg, sizeof(msg)) == -EINVAL);
	CU_ASSERT(strstr(msg, "bpf/qaic_prof.h") != NULL);
	snap_free(&s);
	close(fd);
	/* not a map at all */
	bad.workloads = open("/dev/null", O_RDONLY);
	CU_ASSERT(snap_take(&s, &bad, msg, sizeof(msg)) < 0);
	CU_ASSERT(strstr(msg, "workloads map (fd ") != NULL);
	snap_free(&s);
	close(bad.workloads);
	/* no maps: an empty snapshot, with its time */
	bad.workloads = -1;
	CHECK_OK(snap_take(&s, &bad, msg, sizeof(msg)));
	CHECK_EQ(s.n_wl + s.n_dbc, 0);
	CU_ASSERT(s.ts_ns > 0);
	snap_free(&s);
}

static CU_TestInfo tests[] = {
	{ "per-CPU maps read in batches: sums, merges, in flight, counters", test_read_batched },
	{ "the same read key by key (kernels without batch lookups)", test_read_key_by_key },
	{ "delta of two reads of live maps", test_delta_of_live_maps },
	{ "maps of the wrong type or layout are refused with a reason", test_wrong_maps_refused },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "prof_snapshot_maps", setup, teardown, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
