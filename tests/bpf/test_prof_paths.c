// SPDX-License-Identifier: MIT
/*
 * bpf/qaic_prof.bpf.c's aggregation, driven through BPF_PROG_TEST_RUN with
 * synthetic qaic events of known timestamps: a request's whole life, request
 * id wrap-around, out-of-order completions, completions never enqueued, a full
 * in-flight map, two devices, timestamps that are 0 or go backwards, and
 * waits that do or do not pair. The maps must hold exactly the expected
 * counts, sums and histogram buckets.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "prof_fixture.h"
#include "tap.h"

#define US 1000ULL
#define T0 1000000000ULL	/* 1 s: an ordinary ktime */

#define BIT(c) (1u << (c))
#define ERESTARTSYS_FX 512	/* the kernel's ERESTARTSYS (no userspace name) */

/* The documented bucketing (qaic_hist.h), written independently: a loop. */
static __u32 ref_slot(__u64 v)
{
	int k = 63;

	if (v < QP_HIST_SUB)
		return (__u32)v;
	while (!(v >> k))
		k--;
	if (k >= QP_HIST_MAX_LOG)
		return QP_HIST_SLOTS - 1;
	return (k - QP_HIST_SUB_BITS + 1) * QP_HIST_SUB + (__u32)(v >> (k - QP_HIST_SUB_BITS)) -
	       QP_HIST_SUB;
}

/* @stage of @key has @n values, all in the bucket of @ns. */
static void check_one_bucket(struct qaic_prof_bpf *s, const struct qp_wl_key *key,
			     enum qp_stage stage, __u64 ns, __u64 n)
{
	struct qp_hist h;

	CHECK_OK(fx_hist(s, key, stage, &h));
	CHECK_EQ(h.slots[ref_slot(ns)], n);
	CHECK_EQ(fx_hist_total(&h), n);
}

/*
 * One execute of two BOs (input 4 KiB, output 8 KiB), one doorbell, one IRQ,
 * both completed, the output waited for:
 *   submit 5 us, device 200 us, completion 3 us and 4 us, wakeup 10 us.
 */
static void test_lifecycle_gives_exact_buckets_sums_and_state(void)
{
	const __u64 db = T0 + 5 * US, seen = db + 200 * US;
	const __u64 c1 = seen + 3 * US, c2 = seen + 4 * US, woke = c2 + 10 * US;
	struct qp_wl_key key = fx_self_key(0, 3);
	struct qaic_prof_bpf *s = fx_load(NULL);
	struct qp_wl_stats st;
	struct qp_dbc_state ds;
	struct qp_hist h;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CHECK_OK(fx_execute(s, 0, 3, 2, false, T0));
	CHECK_OK(fx_enqueue(s, 0, 3, 100, 11, 4096, 1, 0, T0, 1));
	CHECK_OK(fx_enqueue(s, 0, 3, 101, 12, 8192, 2, 1, T0, 2));
	CHECK_OK(fx_doorbell(s, 0, 3, 3, 2, 3, db));
	CHECK_EQ(fx_map_entries(s->maps.inflight), 2);
	CHECK_OK(fx_irq(s, 0, 3, 0, 2, false, seen));
	CHECK_OK(fx_complete(s, 0, 3, 100, 11, 0, T0, db, seen, c1));
	CHECK_OK(fx_complete(s, 0, 3, 101, 12, 0, T0, db, seen, c2));
	CHECK_OK(fx_wait(s, 0, 3, 12, 101, 0, 0, woke, 9 * US));

	CHECK_EQ(fx_counter(s, QP_CNT_ENQUEUED), 2);
	CU_ASSERT(fx_counters_zero_except(s, BIT(QP_CNT_ENQUEUED)));

	CHECK_OK(fx_workload(s, &key, &st));
	CHECK_EQ(st.executes, 1);
	CHECK_EQ(st.enq[QP_DIR_IN], 1);
	CHECK_EQ(st.enq[QP_DIR_OUT], 1);
	CHECK_EQ(st.enq_bytes[QP_DIR_IN], 4096);
	CHECK_EQ(st.enq_bytes[QP_DIR_OUT], 8192);
	CHECK_EQ(st.done[QP_DIR_IN], 1);
	CHECK_EQ(st.done[QP_DIR_OUT], 1);
	CHECK_EQ(st.done_bytes[QP_DIR_IN], 4096);
	CHECK_EQ(st.done_bytes[QP_DIR_OUT], 8192);
	CHECK_EQ(st.errors, 0);
	CHECK_EQ(st.waits, 1);
	CHECK_EQ(st.lat_sum_ns[QP_STAGE_SUBMIT], 2 * 5 * US);
	CHECK_EQ(st.lat_sum_ns[QP_STAGE_DEVICE], 2 * 200 * US);
	CHECK_EQ(st.lat_sum_ns[QP_STAGE_COMPLETE], 3 * US + 4 * US);
	CHECK_EQ(st.lat_sum_ns[QP_STAGE_WAKEUP], 10 * US);
	CHECK_EQ(st.lat_sum_ns[QP_STAGE_E2E], woke - T0);
	CU_ASSERT_STRING_EQUAL(st.comm, FX_COMM);

	/* Buckets worked out by hand from qaic_hist.h's definition. */
	CHECK_OK(fx_hist(s, &key, QP_STAGE_SUBMIT, &h));
	CHECK_EQ(h.slots[462], 2);		/* 5000 ns: [4992, 5056) */
	CHECK_EQ(fx_hist_total(&h), 2);
	CHECK_OK(fx_hist(s, &key, QP_STAGE_DEVICE, &h));
	CHECK_EQ(h.slots[801], 2);		/* 200000 ns: [198656, 200704) */
	CHECK_EQ(fx_hist_total(&h), 2);
	CHECK_OK(fx_hist(s, &key, QP_STAGE_COMPLETE, &h));
	CHECK_EQ(h.slots[413], 1);		/* 3000 ns: [2976, 3008) */
	CHECK_EQ(h.slots[445], 1);		/* 4000 ns: [4000, 4032) */
	CHECK_EQ(fx_hist_total(&h), 2);
	CHECK_OK(fx_hist(s, &key, QP_STAGE_WAKEUP, &h));
	CHECK_EQ(h.slots[526], 1);		/* 10000 ns: [9984, 10112) */
	CHECK_EQ(fx_hist_total(&h), 1);
	CHECK_OK(fx_hist(s, &key, QP_STAGE_E2E, &h));
	CHECK_EQ(h.slots[810], 1);		/* 219000 ns: [217088, 219136) */
	CHECK_EQ(fx_hist_total(&h), 1);
	CHECK_EQ(ref_slot(219 * US), 810);
	CHECK_EQ(qp_hist_slot(219 * US), 810);

	CHECK_OK(fx_dbc(s, 0, 3, &ds));
	CHECK_EQ(ds.enqueued, 2);
	CHECK_EQ(ds.completed, 2);
	CHECK_EQ(ds.last_doorbell_ts, db);
	CHECK_EQ(ds.last_seen_ts, seen);
	CHECK_EQ(ds.busy_ns, 200 * US);
	CHECK_EQ(ds.busy_end, seen);
	CHECK_EQ(ds.irqs, 1);
	CHECK_EQ(ds.last_tail, 3);
	CHECK_EQ(ds.rsp_head, 0);
	CHECK_EQ(ds.rsp_tail, 2);
	CHECK_EQ(ds.owner_tgid, getpid());
	CHECK_EQ(ds.owner_cgroup, fx_self_cgroup());
	CU_ASSERT_STRING_EQUAL(ds.owner_comm, FX_COMM);

	CHECK_EQ(fx_map_entries(s->maps.inflight), 0);
	CHECK_EQ(fx_map_entries(s->maps.done), 1);	/* the input BO, never waited for */
	CU_ASSERT(fx_done_has(s, 0, 3, 100));
	CHECK_EQ(fx_map_entries(s->maps.hists), QP_STAGE_N);
	CHECK_EQ(fx_map_entries(s->maps.workloads), 1);
	CHECK_EQ(fx_map_entries(s->maps.dbcs), 1);
	qaic_prof_bpf__destroy(s);
}

/*
 * req_id is 16 bits and wraps; seq does not. Three executions in flight at
 * once whose req_ids are 65535, 0 and 0 again stay three requests, each
 * paired with its own submit time.
 */
static void test_request_id_wrap_keeps_executions_apart(void)
{
	const __u64 seqs[] = { 65535, 65536, 131072 };
	const __u64 submit[] = { T0, T0 + 1 * US, T0 + 3 * US };
	const __u64 db = T0 + 10 * US;
	struct qp_wl_key key = fx_self_key(0, 1);
	struct qaic_prof_bpf *s = fx_load(NULL);
	struct qp_hist h;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	for (i = 0; i < 3; i++)
		CHECK_OK(fx_enqueue(s, 0, 1, seqs[i], 20 + i, 4096, 1, i, submit[i], 1));
	CHECK_EQ(fx_map_entries(s->maps.inflight), 3);
	CHECK_OK(fx_doorbell(s, 0, 1, 3, 3, 3, db));
	for (i = 0; i < 3; i++)
		CHECK_OK(fx_complete(s, 0, 1, seqs[i], 20 + i, 0, submit[i], db,
				     db + (i + 1) * 100 * US, db + (i + 1) * 100 * US + 1 * US));

	CHECK_EQ(fx_counter(s, QP_CNT_ENQUEUED), 3);
	CU_ASSERT(fx_counters_zero_except(s, BIT(QP_CNT_ENQUEUED)));
	CHECK_EQ(fx_map_entries(s->maps.inflight), 0);
	CHECK_EQ(fx_map_entries(s->maps.done), 3);
	CHECK_OK(fx_hist(s, &key, QP_STAGE_SUBMIT, &h));
	CHECK_EQ(h.slots[ref_slot(10 * US)], 1);
	CHECK_EQ(h.slots[ref_slot(9 * US)], 1);
	CHECK_EQ(h.slots[ref_slot(7 * US)], 1);
	CHECK_EQ(fx_hist_total(&h), 3);
	CHECK_OK(fx_hist(s, &key, QP_STAGE_DEVICE, &h));
	CHECK_EQ(h.slots[ref_slot(100 * US)], 1);
	CHECK_EQ(h.slots[ref_slot(200 * US)], 1);
	CHECK_EQ(h.slots[ref_slot(300 * US)], 1);
	CHECK_EQ(fx_hist_total(&h), 3);
	qaic_prof_bpf__destroy(s);
}

/* Completions in another order than the enqueues still pair by seq. */
static void test_out_of_order_completions_pair_by_seq(void)
{
	const __u64 db = T0 + 3 * US;
	const int order[] = { 3, 1, 2 };
	struct qp_wl_key key = fx_self_key(0, 2);
	struct qaic_prof_bpf *s = fx_load(NULL);
	struct qp_dbc_state ds;
	struct qp_wl_stats st;
	struct qp_hist h;
	__u64 seen;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	/* seq n submitted at T0 + (n - 1) us: submit stages 3, 2, 1 us. */
	for (i = 1; i <= 3; i++)
		CHECK_OK(fx_enqueue(s, 0, 2, i, i, 1000 * i, 1, 0, T0 + (i - 1) * US, 1));
	CHECK_OK(fx_doorbell(s, 0, 2, 3, 3, 3, db));
	/* seq 3 seen 50 us after the doorbell, seq 1 at 60 us, seq 2 at 70 us. */
	for (i = 0; i < 3; i++) {
		seen = db + (50 + 10 * i) * US;
		CHECK_OK(fx_complete(s, 0, 2, order[i], order[i], 0, T0 + (order[i] - 1) * US, db,
				     seen, seen + 2 * US));
	}

	CU_ASSERT(fx_counters_zero_except(s, BIT(QP_CNT_ENQUEUED)));
	CHECK_OK(fx_workload(s, &key, &st));
	CHECK_EQ(st.done[QP_DIR_IN], 3);
	CHECK_EQ(st.done_bytes[QP_DIR_IN], 6000);
	CHECK_EQ(st.lat_sum_ns[QP_STAGE_SUBMIT], 3 * US + 2 * US + 1 * US);
	CHECK_EQ(st.lat_sum_ns[QP_STAGE_DEVICE], 180 * US);
	CHECK_OK(fx_hist(s, &key, QP_STAGE_SUBMIT, &h));
	CHECK_EQ(h.slots[ref_slot(1 * US)], 1);
	CHECK_EQ(h.slots[ref_slot(2 * US)], 1);
	CHECK_EQ(h.slots[ref_slot(3 * US)], 1);
	CHECK_OK(fx_hist(s, &key, QP_STAGE_DEVICE, &h));
	CHECK_EQ(h.slots[ref_slot(50 * US)], 1);
	CHECK_EQ(h.slots[ref_slot(60 * US)], 1);
	CHECK_EQ(h.slots[ref_slot(70 * US)], 1);
	CHECK_OK(fx_dbc(s, 0, 2, &ds));
	CHECK_EQ(ds.completed, 3);
	CHECK_EQ(ds.busy_ns, 70 * US);	/* the union of three intervals from one doorbell */
	CHECK_EQ(ds.last_seen_ts, db + 70 * US);
	qaic_prof_bpf__destroy(s);
}

/* Started mid-flight: a completion never seen enqueued is counted, nothing else. */
static void test_orphan_completion_is_counted_and_changes_nothing(void)
{
	struct qp_wl_key key = fx_self_key(0, 0);
	struct qaic_prof_bpf *s = fx_load(NULL);
	struct qp_dbc_state ds;
	struct qp_wl_stats st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CHECK_OK(fx_complete(s, 0, 0, 999, 1, 0, T0, T0 + US, T0 + 2 * US, T0 + 3 * US));
	CHECK_EQ(fx_counter(s, QP_CNT_ORPHAN_COMPLETE), 1);
	CU_ASSERT(fx_counters_zero_except(s, BIT(QP_CNT_ORPHAN_COMPLETE)));
	CHECK_EQ(fx_map_entries(s->maps.workloads), 0);
	CHECK_EQ(fx_map_entries(s->maps.hists), 0);
	CHECK_EQ(fx_map_entries(s->maps.inflight), 0);
	CHECK_EQ(fx_map_entries(s->maps.done), 0);
	CHECK_EQ(fx_map_entries(s->maps.dbcs), 0);

	/* Next to a tracked request: that one is untouched. */
	CHECK_OK(fx_enqueue(s, 0, 0, 5, 1, 4096, 1, 0, T0, 1));
	CHECK_OK(fx_complete(s, 0, 0, 6, 1, 0, T0, T0 + US, T0 + 2 * US, T0 + 3 * US));
	CHECK_EQ(fx_counter(s, QP_CNT_ORPHAN_COMPLETE), 2);
	CU_ASSERT(fx_inflight_has(s, 0, 0, 5));
	CHECK_OK(fx_workload(s, &key, &st));
	CHECK_EQ(st.enq[QP_DIR_IN], 1);
	CHECK_EQ(st.done[QP_DIR_IN], 0);
	CHECK_OK(fx_dbc(s, 0, 0, &ds));
	CHECK_EQ(ds.enqueued, 1);
	CHECK_EQ(ds.completed, 0);
	CHECK_EQ(fx_map_entries(s->maps.hists), 0);
	qaic_prof_bpf__destroy(s);
}

/* A full in-flight map: the overflow is counted and not tracked, then room returns. */
static void test_inflight_full_is_counted_and_not_tracked(void)
{
	const struct fx_opts o = { .inflight_max = 4 };
	struct qp_wl_key key = fx_self_key(0, 7);
	struct qaic_prof_bpf *s = fx_load(&o);
	struct qp_dbc_state ds;
	struct qp_wl_stats st;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CHECK_EQ(bpf_map__max_entries(s->maps.inflight), 4);
	for (i = 1; i <= 6; i++)
		CHECK_OK(fx_enqueue(s, 0, 7, i, i, 100, 1, 0, T0, 1));
	CHECK_EQ(fx_counter(s, QP_CNT_ENQUEUED), 4);
	CHECK_EQ(fx_counter(s, QP_CNT_INFLIGHT_FULL), 2);
	CHECK_EQ(fx_map_entries(s->maps.inflight), 4);
	CU_ASSERT(!fx_inflight_has(s, 0, 7, 5));
	CU_ASSERT(!fx_inflight_has(s, 0, 7, 6));
	CHECK_OK(fx_workload(s, &key, &st));
	CHECK_EQ(st.enq[QP_DIR_IN], 4);
	CHECK_EQ(st.enq_bytes[QP_DIR_IN], 400);
	CHECK_OK(fx_dbc(s, 0, 7, &ds));
	CHECK_EQ(ds.enqueued, 4);

	/* The untracked two complete as orphans. */
	for (i = 1; i <= 6; i++)
		CHECK_OK(fx_complete(s, 0, 7, i, i, 0, T0, T0 + US, T0 + 2 * US, T0 + 3 * US));
	CHECK_EQ(fx_counter(s, QP_CNT_ORPHAN_COMPLETE), 2);
	CHECK_OK(fx_workload(s, &key, &st));
	CHECK_EQ(st.done[QP_DIR_IN], 4);
	CHECK_EQ(fx_map_entries(s->maps.inflight), 0);

	CHECK_OK(fx_enqueue(s, 0, 7, 7, 7, 100, 1, 0, T0, 1));
	CHECK_EQ(fx_counter(s, QP_CNT_ENQUEUED), 5);
	CHECK_EQ(fx_counter(s, QP_CNT_INFLIGHT_FULL), 2);
	qaic_prof_bpf__destroy(s);
}

/*
 * A full histogram map: the stages of a new workload are counted as
 * KEYS_FULL and left out of its sums too (sums and buckets always agree);
 * its request counts are kept.
 */
static void test_histograms_full_is_counted(void)
{
	const struct fx_opts o = { .hists_max = 3 };
	struct qp_wl_key k1 = fx_self_key(0, 1), k2 = fx_self_key(0, 2);
	struct qaic_prof_bpf *s = fx_load(&o);
	struct qp_wl_stats st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CHECK_OK(fx_enqueue(s, 0, 1, 1, 1, 64, 1, 0, T0, 1));
	CHECK_OK(fx_complete(s, 0, 1, 1, 1, 0, T0, T0 + US, T0 + 3 * US, T0 + 6 * US));
	CHECK_EQ(fx_map_entries(s->maps.hists), 3);
	CU_ASSERT(fx_counters_zero_except(s, BIT(QP_CNT_ENQUEUED)));
	CHECK_OK(fx_enqueue(s, 0, 2, 1, 1, 64, 1, 0, T0, 1));
	CHECK_OK(fx_complete(s, 0, 2, 1, 1, 0, T0, T0 + US, T0 + 3 * US, T0 + 6 * US));
	CHECK_EQ(fx_counter(s, QP_CNT_KEYS_FULL), 3);
	CHECK_OK(fx_workload(s, &k2, &st));
	CHECK_EQ(st.done[QP_DIR_IN], 1);
	CHECK_EQ(st.lat_sum_ns[QP_STAGE_SUBMIT] + st.lat_sum_ns[QP_STAGE_DEVICE] +
		 st.lat_sum_ns[QP_STAGE_COMPLETE], 0);
	CHECK_OK(fx_workload(s, &k1, &st));
	CHECK_EQ(st.lat_sum_ns[QP_STAGE_SUBMIT] + st.lat_sum_ns[QP_STAGE_DEVICE] +
		 st.lat_sum_ns[QP_STAGE_COMPLETE], 6 * US);
	check_one_bucket(s, &k1, QP_STAGE_COMPLETE, 3 * US, 1);
	qaic_prof_bpf__destroy(s);
}

/* The same DBC and seq on two cards are two requests of two workloads. */
static void test_two_devices_are_distinct(void)
{
	struct qp_wl_key k0 = fx_self_key(0, 5), k1 = fx_self_key(1, 5);
	struct qaic_prof_bpf *s = fx_load(NULL);
	struct qp_dbc_state ds;
	struct qp_wl_stats st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CHECK_OK(fx_enqueue(s, 0, 5, 7, 1, 1000, 1, 0, T0, 1));
	CHECK_OK(fx_enqueue(s, 1, 5, 7, 1, 3000, 1, 0, T0 + US, 2));
	CHECK_EQ(fx_map_entries(s->maps.inflight), 2);
	CHECK_OK(fx_complete(s, 1, 5, 7, 1, 0, T0 + US, T0 + 2 * US, T0 + 32 * US, T0 + 33 * US));
	CU_ASSERT(fx_inflight_has(s, 0, 5, 7));
	CU_ASSERT(!fx_inflight_has(s, 1, 5, 7));
	CHECK_OK(fx_complete(s, 0, 5, 7, 1, 0, T0, T0 + 2 * US, T0 + 12 * US, T0 + 13 * US));
	CU_ASSERT(fx_counters_zero_except(s, BIT(QP_CNT_ENQUEUED)));

	check_one_bucket(s, &k0, QP_STAGE_DEVICE, 10 * US, 1);
	check_one_bucket(s, &k1, QP_STAGE_DEVICE, 30 * US, 1);
	check_one_bucket(s, &k0, QP_STAGE_SUBMIT, 2 * US, 1);
	check_one_bucket(s, &k1, QP_STAGE_SUBMIT, 1 * US, 1);
	CHECK_OK(fx_workload(s, &k0, &st));
	CHECK_EQ(st.done_bytes[QP_DIR_IN], 1000);
	CHECK_EQ(st.done_bytes[QP_DIR_OUT], 0);
	CHECK_OK(fx_workload(s, &k1, &st));
	CHECK_EQ(st.done_bytes[QP_DIR_IN], 0);
	CHECK_EQ(st.done_bytes[QP_DIR_OUT], 3000);
	CHECK_EQ(fx_map_entries(s->maps.workloads), 2);
	CHECK_EQ(fx_map_entries(s->maps.dbcs), 2);
	CHECK_OK(fx_dbc(s, 0, 5, &ds));
	CHECK_EQ(ds.busy_ns, 10 * US);
	CHECK_OK(fx_dbc(s, 1, 5, &ds));
	CHECK_EQ(ds.busy_ns, 30 * US);
	qaic_prof_bpf__destroy(s);
}

/* Neither dir 1 nor 2: counted as input, and the oddity counted. */
static void test_unknown_direction_counts_as_input(void)
{
	struct qp_wl_key key = fx_self_key(0, 4);
	struct qaic_prof_bpf *s = fx_load(NULL);
	struct qp_wl_stats st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CHECK_OK(fx_enqueue(s, 0, 4, 1, 1, 512, 1, 0, T0, 0));
	CHECK_OK(fx_complete(s, 0, 4, 1, 1, 0, T0, T0 + US, T0 + 2 * US, T0 + 3 * US));
	CHECK_EQ(fx_counter(s, QP_CNT_DIR_UNKNOWN), 1);
	CHECK_OK(fx_workload(s, &key, &st));
	CHECK_EQ(st.enq[QP_DIR_IN], 1);
	CHECK_EQ(st.enq_bytes[QP_DIR_IN], 512);
	CHECK_EQ(st.done_bytes[QP_DIR_IN], 512);
	CHECK_EQ(st.enq[QP_DIR_OUT] + st.done[QP_DIR_OUT], 0);
	qaic_prof_bpf__destroy(s);
}

/*
 * A BO flushed before its doorbell (status < 0, doorbell_ts 0) counts as done
 * with an error and nothing else: no stage, no busy time, no pairing.
 */
static void test_flushed_before_doorbell_counts_done_only(void)
{
	struct qp_wl_key key = fx_self_key(0, 6);
	struct qaic_prof_bpf *s = fx_load(NULL);
	struct qp_dbc_state ds;
	struct qp_wl_stats st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CHECK_OK(fx_enqueue(s, 0, 6, 1, 1, 4096, 1, 0, T0, 1));
	CHECK_OK(fx_complete(s, 0, 6, 1, 1, -ECANCELED, 0, 0, T0 + US, T0 + 2 * US));
	CHECK_OK(fx_wait(s, 0, 6, 1, 1, -EPERM, -ECANCELED, T0 + 3 * US, US));
	CHECK_EQ(fx_counter(s, QP_CNT_WAIT_ERROR), 1);
	CU_ASSERT(fx_counters_zero_except(s, BIT(QP_CNT_ENQUEUED) | BIT(QP_CNT_WAIT_ERROR)));
	CHECK_OK(fx_workload(s, &key, &st));
	CHECK_EQ(st.done[QP_DIR_IN], 1);
	CHECK_EQ(st.done_bytes[QP_DIR_IN], 4096);
	CHECK_EQ(st.errors, 1);
	CHECK_EQ(st.waits, 0);
	CHECK_EQ(fx_map_entries(s->maps.hists), 0);
	CHECK_EQ(fx_map_entries(s->maps.done), 0);
	CHECK_OK(fx_dbc(s, 0, 6, &ds));
	CHECK_EQ(ds.completed, 1);
	CHECK_EQ(ds.busy_ns, 0);
	CHECK_EQ(ds.busy_end, 0);
	qaic_prof_bpf__destroy(s);
}

/* A stage whose end is before its start, or whose start is 0, is skipped and counted. */
static void test_backward_and_zero_timestamps_are_skipped(void)
{
	struct qp_wl_key key = fx_self_key(0, 8);
	struct qaic_prof_bpf *s = fx_load(NULL);
	struct qp_dbc_state ds;
	struct qp_wl_stats st;
	struct qp_hist h;
	int stage;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	/* seq 1: seen before the doorbell: device skipped, submit and completion counted. */
	CHECK_OK(fx_enqueue(s, 0, 8, 1, 1, 1, 1, 0, T0, 1));
	CHECK_OK(fx_complete(s, 0, 8, 1, 1, 0, T0, T0 + 10 * US, T0 + 4 * US, T0 + 5 * US));
	CHECK_EQ(fx_counter(s, QP_CNT_STAGE_SKIPPED), 1);
	/* seq 2: a doorbell older than its submit (a previous execution's): both skipped. */
	CHECK_OK(fx_enqueue(s, 0, 8, 2, 1, 1, 1, 0, T0 + 20 * US, 1));
	CHECK_OK(fx_complete(s, 0, 8, 2, 1, 0, T0, T0 + 10 * US, T0 + 30 * US, T0 + 31 * US));
	CHECK_EQ(fx_counter(s, QP_CNT_STAGE_SKIPPED), 3);
	/* seq 3: no doorbell time at all. */
	CHECK_OK(fx_enqueue(s, 0, 8, 3, 1, 1, 1, 0, T0 + 40 * US, 1));
	CHECK_OK(fx_complete(s, 0, 8, 3, 1, 0, T0 + 40 * US, 0, T0 + 50 * US, T0 + 51 * US));
	CHECK_EQ(fx_counter(s, QP_CNT_STAGE_SKIPPED), 5);
	/* seq 3 waited for "before" it completed: wakeup skipped, end to end counted. */
	CHECK_OK(fx_wait(s, 0, 8, 1, 3, 0, 0, T0 + 50 * US, US));
	CHECK_EQ(fx_counter(s, QP_CNT_STAGE_SKIPPED), 6);

	CHECK_OK(fx_workload(s, &key, &st));
	CHECK_EQ(st.done[QP_DIR_IN], 3);
	CHECK_EQ(st.waits, 1);
	CHECK_EQ(st.lat_sum_ns[QP_STAGE_SUBMIT], 10 * US);
	CHECK_EQ(st.lat_sum_ns[QP_STAGE_DEVICE], 0);
	CHECK_EQ(st.lat_sum_ns[QP_STAGE_COMPLETE], 3 * US);
	CHECK_EQ(st.lat_sum_ns[QP_STAGE_WAKEUP], 0);
	CHECK_EQ(st.lat_sum_ns[QP_STAGE_E2E], 10 * US);
	check_one_bucket(s, &key, QP_STAGE_SUBMIT, 10 * US, 1);
	check_one_bucket(s, &key, QP_STAGE_COMPLETE, US, 3);
	check_one_bucket(s, &key, QP_STAGE_E2E, 10 * US, 1);
	CHECK_ERR(fx_hist(s, &key, QP_STAGE_DEVICE, &h), ENOENT);
	CHECK_ERR(fx_hist(s, &key, QP_STAGE_WAKEUP, &h), ENOENT);
	for (stage = 0; stage < QP_STAGE_N; stage++)
		if (!fx_hist(s, &key, stage, &h))
			CHECK_EQ(h.slots[QP_HIST_SLOTS - 1], 0);
	/* Only seq 1 had a usable doorbell, and its seen_ts came before it: no busy time. */
	CHECK_OK(fx_dbc(s, 0, 8, &ds));
	CHECK_EQ(ds.busy_ns, 0);
	CHECK_EQ(ds.completed, 3);
	qaic_prof_bpf__destroy(s);
}

/* A device completion code is an error that ran: stages counted, its wait pairs. */
static void test_device_error_status_still_measured(void)
{
	struct qp_wl_key key = fx_self_key(0, 9);
	struct qaic_prof_bpf *s = fx_load(NULL);
	struct qp_wl_stats st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CHECK_OK(fx_enqueue(s, 0, 9, 1, 1, 64, 1, 0, T0, 2));
	CHECK_OK(fx_complete(s, 0, 9, 1, 1, 5, T0, T0 + US, T0 + 3 * US, T0 + 4 * US));
	CHECK_OK(fx_wait(s, 0, 9, 1, 1, 0, 5, T0 + 6 * US, US));
	CU_ASSERT(fx_counters_zero_except(s, BIT(QP_CNT_ENQUEUED)));
	CHECK_OK(fx_workload(s, &key, &st));
	CHECK_EQ(st.errors, 1);
	CHECK_EQ(st.waits, 1);
	CHECK_EQ(st.done[QP_DIR_OUT], 1);
	check_one_bucket(s, &key, QP_STAGE_DEVICE, 2 * US, 1);
	check_one_bucket(s, &key, QP_STAGE_E2E, 6 * US, 1);
	qaic_prof_bpf__destroy(s);
}

/*
 * Waits that do not pair: one that timed out with the request in flight,
 * one that timed out just after it completed (the pairing is left for the
 * retry), one for a request never completed, and a second successful wait.
 */
static void test_waits_that_do_not_pair(void)
{
	struct qp_wl_key key = fx_self_key(0, 10);
	struct qaic_prof_bpf *s = fx_load(NULL);
	struct qp_wl_stats st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CHECK_OK(fx_enqueue(s, 0, 10, 1, 1, 64, 1, 0, T0, 1));
	CHECK_OK(fx_wait(s, 0, 10, 1, 1, -ETIMEDOUT, 0, T0 + 100 * US, 100 * US));
	CHECK_EQ(fx_counter(s, QP_CNT_WAIT_ERROR), 1);
	CU_ASSERT(fx_inflight_has(s, 0, 10, 1));

	CHECK_OK(fx_complete(s, 0, 10, 1, 1, 0, T0, T0 + US, T0 + 150 * US, T0 + 151 * US));
	CHECK_OK(fx_wait(s, 0, 10, 1, 1, -ETIMEDOUT, 0, T0 + 152 * US, 100 * US));
	CHECK_EQ(fx_counter(s, QP_CNT_WAIT_ERROR), 2);
	CU_ASSERT(fx_done_has(s, 0, 10, 1));
	CHECK_OK(fx_wait(s, 0, 10, 1, 1, -ERESTARTSYS_FX, 0, T0 + 153 * US, US));
	CHECK_EQ(fx_counter(s, QP_CNT_WAIT_ERROR), 3);

	CHECK_OK(fx_wait(s, 0, 10, 1, 1, 0, 0, T0 + 161 * US, US));
	CHECK_OK(fx_workload(s, &key, &st));
	CHECK_EQ(st.waits, 1);
	check_one_bucket(s, &key, QP_STAGE_WAKEUP, 10 * US, 1);
	check_one_bucket(s, &key, QP_STAGE_E2E, 161 * US, 1);
	CU_ASSERT(!fx_done_has(s, 0, 10, 1));

	CHECK_OK(fx_wait(s, 0, 10, 1, 1, 0, 0, T0 + 170 * US, US));	/* again */
	CHECK_OK(fx_wait(s, 0, 10, 2, 42, 0, 0, T0 + 170 * US, US));	/* never completed */
	CHECK_EQ(fx_counter(s, QP_CNT_WAIT_UNMATCHED), 2);
	CHECK_OK(fx_workload(s, &key, &st));
	CHECK_EQ(st.waits, 1);
	CU_ASSERT(fx_counters_zero_except(s, BIT(QP_CNT_ENQUEUED) | BIT(QP_CNT_WAIT_ERROR) |
					     BIT(QP_CNT_WAIT_UNMATCHED)));
	qaic_prof_bpf__destroy(s);
}

static CU_TestInfo tests[] = {
	{ "lifecycle: exact buckets, sums, bytes per direction and DBC state",
	  test_lifecycle_gives_exact_buckets_sums_and_state },
	{ "request id wrap-around keeps executions apart", test_request_id_wrap_keeps_executions_apart },
	{ "out-of-order completions pair by seq", test_out_of_order_completions_pair_by_seq },
	{ "orphan completion is counted and changes nothing",
	  test_orphan_completion_is_counted_and_changes_nothing },
	{ "in-flight map full: counted, not tracked", test_inflight_full_is_counted_and_not_tracked },
	{ "histogram map full is counted", test_histograms_full_is_counted },
	{ "two devices are distinct", test_two_devices_are_distinct },
	{ "unknown direction counts as input", test_unknown_direction_counts_as_input },
	{ "flushed before doorbell counts done only", test_flushed_before_doorbell_counts_done_only },
	{ "backward and zero timestamps are skipped", test_backward_and_zero_timestamps_are_skipped },
	{ "device error status is still measured", test_device_error_status_still_measured },
	{ "waits that do not pair", test_waits_that_do_not_pair },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "bpf paths", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	const char *why;

	fx_set_comm();
	why = fx_unavailable();
	if (why)
		return fx_skip_all(why);
	return tap_run(suites);
}
