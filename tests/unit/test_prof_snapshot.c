// SPDX-License-Identifier: MIT
/*
 * qaic-prof snapshots as data (profiler/snapshot.c), built by hand: per-CPU
 * sums, keys, in-flight summaries per DBC, and interval deltas with
 * workloads that appear, vanish or restart; consecutive deltas add up to
 * the whole (nothing lost or counted twice).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hist.h"
#include "snapshot.h"
#include "tap.h"

static struct qp_wl_key key(uint32_t dev, uint32_t dbc, uint32_t tgid, uint64_t cgroup)
{
	struct qp_wl_key k;

	memset(&k, 0, sizeof(k));
	k.dev = dev;
	k.dbc = dbc;
	k.tgid = tgid;
	k.cgroup = cgroup;
	return k;
}

static void test_stats_merge_percpu(void)
{
	size_t stride = (sizeof(struct qp_wl_stats) + 7) & ~(size_t)7;
	char *buf = calloc(4, stride);
	struct qp_wl_stats one, sum;
	unsigned int cpu;

	CU_ASSERT_FATAL(buf != NULL);
	for (cpu = 0; cpu < 4; cpu++) {
		memset(&one, 0, sizeof(one));
		one.executes = cpu + 1;
		one.enq[QP_DIR_IN] = 10 * (cpu + 1);
		one.enq_bytes[QP_DIR_OUT] = 4096;
		one.done[QP_DIR_OUT] = cpu;
		one.done_bytes[QP_DIR_IN] = 1;
		one.errors = cpu == 3;
		one.waits = 2;
		one.lat_sum_ns[QP_STAGE_E2E] = 1000000;
		one.lat_sum_ns[QP_STAGE_SUBMIT] = cpu;
		if (cpu == 2)
			strcpy(one.comm, "qaic-run");	/* only the CPUs it ran on have it */
		memcpy(buf + cpu * stride, &one, sizeof(one));
	}
	snap_stats_merge_percpu(&sum, buf, 4, stride);
	CHECK_EQ(sum.executes, 10);
	CHECK_EQ(sum.enq[QP_DIR_IN], 100);
	CHECK_EQ(sum.enq[QP_DIR_OUT], 0);
	CHECK_EQ(sum.enq_bytes[QP_DIR_OUT], 16384);
	CHECK_EQ(sum.done[QP_DIR_OUT], 6);
	CHECK_EQ(sum.done_bytes[QP_DIR_IN], 4);
	CHECK_EQ(sum.errors, 1);
	CHECK_EQ(sum.waits, 8);
	CHECK_EQ(sum.lat_sum_ns[QP_STAGE_E2E], 4000000);
	CHECK_EQ(sum.lat_sum_ns[QP_STAGE_SUBMIT], 6);
	CU_ASSERT_STRING_EQUAL(sum.comm, "qaic-run");
	free(buf);
}

static void test_keys_add_sort_find(void)
{
	struct qp_wl_key k[] = {
		key(1, 3, 100, 7), key(0, 3, 100, 7), key(0, 2, 500, 1), key(0, 3, 99, 7),
		key(0, 3, 100, 6),
	};
	struct qp_wl_key other = key(0, 3, 100, 7);
	struct snapshot s;
	size_t i;

	snap_init(&s);
	for (i = 0; i < 5; i++)
		CU_ASSERT_FATAL(snap_add_wl(&s, &k[i]) != NULL);
	CHECK_EQ(s.n_wl, 5);
	snap_add_wl(&s, &k[1])->stats.executes = 42;	/* found before sorting */
	CHECK_EQ(s.n_wl, 5);
	snap_sort(&s);
	for (i = 1; i < s.n_wl; i++)
		CU_ASSERT(snap_wl_key_cmp(&s.wl[i - 1].key, &s.wl[i].key) < 0);
	CHECK_EQ(s.wl[0].key.dbc, 2);				/* dev, dbc, tgid, cgroup */
	CHECK_EQ(s.wl[4].key.dev, 1);
	other.pad = 0xdead;					/* the pad is not the key */
	CU_ASSERT_FATAL(snap_find_wl(&s, &other) != NULL);
	CHECK_EQ(snap_find_wl(&s, &other)->stats.executes, 42);
	other.cgroup = 8;
	CU_ASSERT(snap_find_wl(&s, &other) == NULL);
	CU_ASSERT(snap_add_wl(&s, &k[3]) == snap_find_wl(&s, &k[3]));	/* found after */
	CHECK_EQ(s.n_wl, 5);

	/* growth past the first allocation keeps everything */
	for (i = 0; i < 1000; i++) {
		struct qp_wl_key n = key(2, i % 16, (uint32_t)i, 0);

		snap_add_wl(&s, &n)->stats.waits = i;
	}
	snap_sort(&s);
	CHECK_EQ(s.n_wl, 1005);
	other = key(2, 999 % 16, 999, 0);
	CHECK_EQ(snap_find_wl(&s, &other)->stats.waits, 999);
	snap_free(&s);
	CHECK_EQ(s.n_wl, 0);
	CU_ASSERT(s.wl == NULL);
}

static void test_inflight_per_dbc(void)
{
	struct qp_req_key rk = { .dev = 0, .dbc = 3 };
	uint64_t submit[] = { 5000, 1000, 3000 };
	const struct snap_dbc *d;
	struct snapshot s;
	struct qp_req r;
	int i;

	snap_init(&s);
	snap_add_dbc(&s, 0, 3)->has_state = 1;
	for (i = 0; i < 3; i++) {
		memset(&r, 0, sizeof(r));
		r.submit_ts = submit[i];
		r.bytes = 100 * (i + 1);
		r.wl.tgid = 700 + i;
		rk.seq = i;
		CHECK_OK(snap_add_inflight(&s, &rk, &r));
	}
	rk.dev = 1;
	rk.dbc = 0;
	r.submit_ts = 9;
	CHECK_OK(snap_add_inflight(&s, &rk, &r));	/* a DBC only the in-flight map knows */
	snap_sort(&s);
	CHECK_EQ(s.n_dbc, 2);
	d = snap_find_dbc(&s, 0, 3);
	CU_ASSERT_FATAL(d != NULL);
	CHECK_EQ(d->inflight, 3);
	CHECK_EQ(d->inflight_bytes, 600);
	CHECK_EQ(d->oldest.submit_ts, 1000);
	CHECK_EQ(d->oldest.wl.tgid, 701);
	CHECK_EQ(d->has_state, 1);
	d = snap_find_dbc(&s, 1, 0);
	CU_ASSERT_FATAL(d != NULL);
	CHECK_EQ(d->inflight, 1);
	CHECK_EQ(d->has_state, 0);
	CU_ASSERT(snap_find_dbc(&s, 0, 4) == NULL);
	snap_free(&s);
}

/* older: A and B; newer: A grown, C appeared, B gone. */
static void test_delta_appear_vanish(void)
{
	struct qp_wl_key a = key(0, 1, 10, 1), b = key(0, 2, 20, 1), c = key(0, 3, 30, 1);
	struct snapshot older, newer, d;
	const struct snap_workload *w;
	struct snap_workload *p;
	uint32_t s100 = 100, s101 = 101;

	snap_init(&older);
	snap_init(&newer);
	older.ts_ns = 1000000000;
	newer.ts_ns = 3000000000;
	newer.ts_end_ns = 3000000500;
	p = snap_add_wl(&older, &a);
	p->stats.executes = 10;
	p->stats.enq_bytes[QP_DIR_IN] = 1 << 20;
	p->stats.lat_sum_ns[QP_STAGE_E2E] = 5000;
	p->hist[QP_STAGE_E2E].slots[s100] = 5;
	snap_add_wl(&older, &b)->stats.executes = 3;
	older.counters[QP_CNT_ENQUEUED] = 13;
	older.counters[QP_CNT_RB_DROPS] = 2;

	p = snap_add_wl(&newer, &c);
	p->stats.executes = 4;
	p->hist[QP_STAGE_DEVICE].slots[s101] = 4;
	strcpy(p->stats.comm, "new");
	p = snap_add_wl(&newer, &a);
	p->stats.executes = 15;
	p->stats.enq_bytes[QP_DIR_IN] = 3 << 20;
	p->stats.lat_sum_ns[QP_STAGE_E2E] = 8000;
	p->hist[QP_STAGE_E2E].slots[s100] = 7;
	p->hist[QP_STAGE_E2E].slots[s101] = 1;
	strcpy(p->stats.comm, "renamed");
	newer.counters[QP_CNT_ENQUEUED] = 22;
	newer.counters[QP_CNT_RB_DROPS] = 2;
	snap_sort(&older);
	snap_sort(&newer);

	CHECK_OK(snap_delta(&d, &newer, &older));
	CHECK_EQ(d.n_wl, 2);
	CHECK_EQ(d.n_vanished, 1);
	CHECK_EQ(d.n_restarted, 0);
	CHECK_EQ(snap_interval_ns(&d), 2000000000ULL);
	CHECK_EQ(d.ts_end_ns, 3000000500ULL);
	CU_ASSERT(fabs(snap_rate(&d, 5) - 2.5) < 1e-12);
	CU_ASSERT(isnan(snap_rate(&newer, 5)));		/* a plain snapshot has no interval */
	CHECK_EQ(d.counters[QP_CNT_ENQUEUED], 9);
	CHECK_EQ(d.counters[QP_CNT_RB_DROPS], 0);

	w = snap_find_wl(&d, &a);
	CU_ASSERT_FATAL(w != NULL);
	CHECK_EQ(w->is_new, 0);
	CHECK_EQ(w->stats.executes, 5);
	CHECK_EQ(w->stats.enq_bytes[QP_DIR_IN], 2 << 20);
	CHECK_EQ(w->stats.lat_sum_ns[QP_STAGE_E2E], 3000);
	CU_ASSERT_STRING_EQUAL(w->stats.comm, "renamed");
	CHECK_EQ(w->hist[QP_STAGE_E2E].slots[s100], 2);
	CHECK_EQ(w->hist[QP_STAGE_E2E].slots[s101], 1);
	CHECK_EQ(hist_count(&w->hist[QP_STAGE_E2E]), 3);

	w = snap_find_wl(&d, &c);
	CU_ASSERT_FATAL(w != NULL);
	CHECK_EQ(w->is_new, 1);					/* appeared: taken whole */
	CHECK_EQ(w->stats.executes, 4);
	CHECK_EQ(hist_count(&w->hist[QP_STAGE_DEVICE]), 4);
	CU_ASSERT(snap_find_wl(&d, &b) == NULL);		/* vanished */
	snap_free(&d);

	/* every workload vanished; none appeared */
	snap_free(&newer);
	newer.ts_ns = 4;
	CHECK_OK(snap_delta(&d, &newer, &older));
	CHECK_EQ(d.n_wl, 0);
	CHECK_EQ(d.n_vanished, 2);
	snap_free(&d);
	snap_free(&older);
}

static void test_delta_restart(void)
{
	struct qp_wl_key a = key(0, 1, 10, 1);
	struct snapshot older, newer, d;
	struct snap_workload *p;

	snap_init(&older);
	snap_init(&newer);
	p = snap_add_wl(&older, &a);
	p->stats.executes = 1000;
	p->stats.done[QP_DIR_OUT] = 1000;
	p->hist[QP_STAGE_E2E].slots[500] = 1000;
	older.counters[QP_CNT_ENQUEUED] = 1000;
	p = snap_add_wl(&newer, &a);	/* the programs were reloaded: counting from 0 */
	p->stats.executes = 7;
	p->stats.done[QP_DIR_OUT] = 7;
	p->hist[QP_STAGE_E2E].slots[500] = 7;
	newer.counters[QP_CNT_ENQUEUED] = 7;
	snap_sort(&older);
	snap_sort(&newer);
	CHECK_OK(snap_delta(&d, &newer, &older));
	CHECK_EQ(d.n_restarted, 1);
	CHECK_EQ(d.wl[0].is_new, 1);
	CHECK_EQ(d.wl[0].stats.executes, 7);
	CHECK_EQ(d.wl[0].stats.done[QP_DIR_OUT], 7);
	CHECK_EQ(d.wl[0].hist[QP_STAGE_E2E].slots[500], 7);
	CHECK_EQ(d.counters[QP_CNT_ENQUEUED], 7);
	snap_free(&d);
	snap_free(&older);
	snap_free(&newer);
}

static void test_delta_dbcs(void)
{
	struct snapshot older, newer, d;
	struct qp_req_key rk = { .dev = 0, .dbc = 5, .seq = 1 };
	struct qp_req r = { .submit_ts = 777, .bytes = 64 };
	const struct snap_dbc *x;
	struct snap_dbc *p;

	snap_init(&older);
	snap_init(&newer);
	p = snap_add_dbc(&older, 0, 5);
	p->has_state = 1;
	p->state.enqueued = 100;
	p->state.completed = 90;
	p->state.busy_ns = 1000;
	p->state.irqs = 50;
	p->state.rsp_head = 1;
	p->state.owner_tgid = 4;
	p = snap_add_dbc(&newer, 0, 5);
	p->has_state = 1;
	p->state.enqueued = 150;
	p->state.completed = 149;
	p->state.busy_ns = 1600;
	p->state.irqs = 60;
	p->state.last_doorbell_ts = 12345;
	p->state.rsp_head = 9;
	p->state.rsp_tail = 10;
	p->state.owner_tgid = 5;
	strcpy(p->state.owner_comm, "worker");
	CHECK_OK(snap_add_inflight(&newer, &rk, &r));
	p = snap_add_dbc(&newer, 1, 0);			/* a new DBC */
	p->has_state = 1;
	p->state.enqueued = 3;
	snap_sort(&older);
	snap_sort(&newer);
	CHECK_OK(snap_delta(&d, &newer, &older));
	CHECK_EQ(d.n_dbc, 2);
	x = snap_find_dbc(&d, 0, 5);
	CU_ASSERT_FATAL(x != NULL);
	CHECK_EQ(x->is_new, 0);
	CHECK_EQ(x->state.enqueued, 50);
	CHECK_EQ(x->state.completed, 59);
	CHECK_EQ(x->state.busy_ns, 600);
	CHECK_EQ(x->state.irqs, 10);
	CHECK_EQ(x->state.last_doorbell_ts, 12345);		/* states: from newer */
	CHECK_EQ(x->state.rsp_head, 9);
	CHECK_EQ(x->state.rsp_tail, 10);
	CHECK_EQ(x->state.owner_tgid, 5);
	CU_ASSERT_STRING_EQUAL(x->state.owner_comm, "worker");
	CHECK_EQ(x->inflight, 1);
	CHECK_EQ(x->oldest.submit_ts, 777);
	x = snap_find_dbc(&d, 1, 0);
	CU_ASSERT_FATAL(x != NULL);
	CHECK_EQ(x->is_new, 1);
	CHECK_EQ(x->state.enqueued, 3);
	snap_free(&d);

	/* the DBC's counters went backwards: restarted */
	p = snap_add_dbc(&older, 1, 0);
	p->has_state = 1;
	p->state.enqueued = 1000;
	snap_sort(&older);
	CHECK_OK(snap_delta(&d, &newer, &older));
	x = snap_find_dbc(&d, 1, 0);
	CU_ASSERT_FATAL(x != NULL);
	CHECK_EQ(x->is_new, 1);
	CHECK_EQ(x->state.enqueued, 3);
	CHECK_EQ(d.n_restarted, 1);
	snap_free(&d);
	snap_free(&older);
	snap_free(&newer);
}

static uint64_t rng_state = 12345;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/*
 * Cumulative snapshots s[0..N) of counters that only grow (the histogram
 * slots near 2^32, so they wrap): the deltas of consecutive pairs add up to
 * s[N-1] - s[0] exactly, for every workload present throughout.
 */
static void test_deltas_add_up(void)
{
	enum { N = 20, WL = 8 };
	static struct snapshot s[N];
	struct snapshot d, whole;
	struct qp_wl_stats total[WL];
	struct qp_hist *hsum = calloc(WL, sizeof(*hsum));
	int i, w, bad = 0;

	CU_ASSERT_FATAL(hsum != NULL);
	memset(total, 0, sizeof(total));
	for (i = 0; i < N; i++) {
		snap_init(&s[i]);
		s[i].ts_ns = 1000 + (uint64_t)i * 1000;
		for (w = 0; w < WL; w++) {
			struct qp_wl_key k = key(0, w, 100 + w, 0);
			struct snap_workload *p = snap_add_wl(&s[i], &k);

			if (i) {
				const struct snap_workload *prev = snap_find_wl(&s[i - 1], &k);

				p->stats = prev->stats;
				p->hist[QP_STAGE_E2E] = prev->hist[QP_STAGE_E2E];
			} else {
				p->hist[QP_STAGE_E2E].slots[w] = 0xfffffff0u;
			}
			p->stats.executes += rng() % 1000;
			p->stats.done_bytes[QP_DIR_OUT] += rng() % 100000;
			p->stats.lat_sum_ns[QP_STAGE_WAKEUP] += rng() % 1000000;
			p->hist[QP_STAGE_E2E].slots[w] += (uint32_t)(rng() % 7);
			p->hist[QP_STAGE_E2E].slots[1000 + w] += (uint32_t)(rng() % 3);
		}
		snap_sort(&s[i]);
		if (!i)
			continue;
		CHECK_OK(snap_delta(&d, &s[i], &s[i - 1]));
		for (w = 0; w < WL; w++) {
			snap_stats_add(&total[w], &d.wl[w].stats);
			hist_add(&hsum[w], &d.wl[w].hist[QP_STAGE_E2E]);
		}
		snap_free(&d);
	}
	CHECK_OK(snap_delta(&whole, &s[N - 1], &s[0]));
	for (w = 0; w < WL; w++) {
		bad += total[w].executes != whole.wl[w].stats.executes;
		bad += total[w].done_bytes[QP_DIR_OUT] != whole.wl[w].stats.done_bytes[QP_DIR_OUT];
		bad += total[w].lat_sum_ns[QP_STAGE_WAKEUP] != whole.wl[w].stats.lat_sum_ns[QP_STAGE_WAKEUP];
		bad += memcmp(&hsum[w], &whole.wl[w].hist[QP_STAGE_E2E], sizeof(hsum[w])) != 0;
		bad += whole.wl[w].hist[QP_STAGE_E2E].slots[w] > 7 * N;	/* wrapped, still exact */
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(snap_interval_ns(&whole), (N - 1) * 1000);
	snap_free(&whole);
	for (i = 0; i < N; i++)
		snap_free(&s[i]);
	free(hsum);
}

static CU_TestInfo tests[] = {
	{ "per-CPU counters summed, comm kept", test_stats_merge_percpu },
	{ "workload keys: add, sort, find, grow", test_keys_add_sort_find },
	{ "in flight per DBC: count, bytes, oldest", test_inflight_per_dbc },
	{ "delta: grown, appeared, vanished; interval and rate", test_delta_appear_vanish },
	{ "delta: counters going backwards restart the workload", test_delta_restart },
	{ "delta: DBC cumulative fields differenced, states from newer", test_delta_dbcs },
	{ "consecutive deltas add up to the whole (across 2^32 wrap)", test_deltas_add_up },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "prof_snapshot", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
