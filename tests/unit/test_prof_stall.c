// SPDX-License-Identifier: MIT
/*
 * qaic-prof stall's parts that need no kernel: the parser of the driver's
 * debugfs dbc<N> file and the card-name rule (profiler/dbc_debugfs.c), and
 * the decision (profiler/stall_detect.c) fed with hand-made BPF and
 * debugfs views over a timeline: when a stall is reported and from what,
 * that a busy queue whose oldest request waits long is not one, that a
 * queue stuck before the start is reported at the first check past the
 * threshold when the driver dates its last completion (last_completion_ns),
 * threshold after the start when it does not (older drivers), and how
 * stalls end.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "dbc_debugfs.h"
#include "stall_detect.h"
#include "tap.h"

/* seconds as ns, rounded: 12.1 s is 12100000000 ns, not one less */
#define S(x)	((uint64_t)llround((x) * 1e9))
#define THR	S(2)

/* ---- the debugfs file ------------------------------------------------------ */

/* As driver/qaic_dbc.c prints an assigned DBC with work queued. */
static const char busy_text[] =
	"dbc 3\nstate assigned\nowner 1234 test_data_fault\nuser 7\nfifo_size 17\n"
	"req_head 5\nreq_tail 5\nrsp_head 2\nrsp_tail 5\n"
	"queued_bos 2\nqueued_elements 3\nsliced_bos 2\nnext_seq 4\n"
	"oldest_seq 2\noldest_req_id 2\noldest_age_ns 1500000000\n"
	"submitted 4\ncompleted 2\nlast_completion_ns 98500000000\n"
	"device_errors 0\nunmatched_responses 0\nirqs 1\neagain 0\n"
	"irq 42\nirq_shared 0\npolling 0\n";

/* As a driver before last_completion_ns prints a free DBC. */
static const char free_text[] =
	"dbc 0\nstate free\nowner 0 -\nuser 0\nfifo_size 0\n"
	"queued_bos 0\nqueued_elements 0\nsliced_bos 0\nnext_seq 0\n"
	"submitted 0\ncompleted 0\ndevice_errors 0\nunmatched_responses 0\nirqs 0\neagain 0\n"
	"irq 41\nirq_shared 0\npolling 0\n";

static void test_parse_busy(void)
{
	struct dbc_dfs d;

	CHECK_OK(dbc_dfs_parse(busy_text, &d));
	CHECK_EQ(d.dbc, 3);
	CU_ASSERT(d.assigned);
	CHECK_EQ(d.owner_tgid, 1234);
	CU_ASSERT_STRING_EQUAL(d.owner_comm, "test_data_fault");
	CU_ASSERT(d.has_fifo);
	CHECK_EQ(d.fifo_size, 17);
	CHECK_EQ(d.req_head, 5);
	CHECK_EQ(d.req_tail, 5);
	CHECK_EQ(d.rsp_head, 2);
	CHECK_EQ(d.rsp_tail, 5);
	CHECK_EQ(d.queued_bos, 2);
	CHECK_EQ(d.queued_elements, 3);
	CU_ASSERT(d.has_oldest);
	CHECK_EQ(d.oldest_seq, 2);
	CHECK_EQ(d.oldest_req_id, 2);
	CHECK_EQ(d.oldest_age_ns, 1500000000ULL);
	CHECK_EQ(d.submitted, 4);
	CHECK_EQ(d.completed, 2);
	CU_ASSERT(d.has_last_completion);
	CHECK_EQ(d.last_completion_ns, 98500000000ULL);
	CHECK_EQ(d.irqs, 1);
	CHECK_EQ(dbc_dfs_req_pending(&d), 0);
	CHECK_EQ(dbc_dfs_rsp_pending(&d), 3);
}

static void test_parse_free(void)
{
	struct dbc_dfs d;

	CHECK_OK(dbc_dfs_parse(free_text, &d));
	CU_ASSERT(!d.assigned);
	CU_ASSERT(!d.has_fifo);
	CU_ASSERT(!d.has_oldest);
	CHECK_EQ(d.owner_tgid, 0);
	CU_ASSERT_STRING_EQUAL(d.owner_comm, "-");
	CHECK_EQ(dbc_dfs_rsp_pending(&d), 0);
	/* an older driver: no last completion time, and not a zero one */
	CU_ASSERT(!d.has_last_completion);
	CHECK_EQ(d.last_completion_ns, 0);
	/* a newer one says 0: none since the DBC was assigned */
	CHECK_OK(dbc_dfs_parse("dbc 0\nstate free\nqueued_bos 0\ncompleted 0\n"
			       "last_completion_ns 0\n", &d));
	CU_ASSERT(d.has_last_completion);
	CHECK_EQ(d.last_completion_ns, 0);
}

static void test_parse_rejects(void)
{
	struct dbc_dfs d;
	char text[1024];

	CHECK_EQ(dbc_dfs_parse("", &d), -EINVAL);
	/* a required key missing */
	CHECK_EQ(dbc_dfs_parse("dbc 1\nstate free\nqueued_bos 0\n", &d), -EINVAL);
	/* values that are not what they say */
	CHECK_EQ(dbc_dfs_parse("dbc 1\nstate gone\nqueued_bos 0\ncompleted 0\n", &d), -EINVAL);
	CHECK_EQ(dbc_dfs_parse("dbc x\nstate free\nqueued_bos 0\ncompleted 0\n", &d), -EINVAL);
	CHECK_EQ(dbc_dfs_parse("dbc 1\nstate free\nqueued_bos -1\ncompleted 0\n", &d), -EINVAL);
	CHECK_EQ(dbc_dfs_parse("dbc 1\nstate free\nqueued_bos 4294967296\ncompleted 0\n", &d),
		 -EINVAL);
	CHECK_EQ(dbc_dfs_parse("dbc 1\nstate free\nqueued_bos 1x\ncompleted 0\n", &d), -EINVAL);
	CHECK_EQ(dbc_dfs_parse("dbc 1\nstate free\nqueued_bos 0\ncompleted 0\n"
			       "last_completion_ns -5\n", &d), -EINVAL);
	CHECK_EQ(dbc_dfs_parse("dbc 1\nstate free\nqueued_bos 0\ncompleted 0\n"
			       "last_completion_ns 18446744073709551616\n", &d), -EINVAL);
	/* unknown keys and lines of another shape are ignored; comm keeps blanks */
	CHECK_OK(dbc_dfs_parse("dbc 1\nstate assigned\nnew_key 9\nnoise\nowner 5 my worker\n"
			       "queued_bos 0\ncompleted 0", &d));
	CU_ASSERT_STRING_EQUAL(d.owner_comm, "my worker");
	/* a register read that failed (all ones) leaves the FIFO unknown */
	snprintf(text, sizeof(text), "%.*s4294967295%s", (int)(strstr(busy_text, "rsp_tail 5") -
		 busy_text) + 9, busy_text, strstr(busy_text, "rsp_tail 5") + 10);
	CU_ASSERT(strstr(text, "\nrsp_tail 4294967295\nqueued_bos 2\n") != NULL);
	CHECK_OK(dbc_dfs_parse(text, &d));
	CU_ASSERT(!d.has_fifo);
}

static void test_pending_wraps(void)
{
	struct dbc_dfs d = { .has_fifo = true, .fifo_size = 8, .req_head = 6, .req_tail = 1,
			     .rsp_head = 7, .rsp_tail = 7 };

	CHECK_EQ(dbc_dfs_req_pending(&d), 3);
	CHECK_EQ(dbc_dfs_rsp_pending(&d), 0);
}

static void test_card_names(void)
{
	CU_ASSERT(dbc_dfs_card_is("sim0", "qaic-sim.0"));
	CU_ASSERT(dbc_dfs_card_is("sim12", "qaic-sim.12"));
	CU_ASSERT(!dbc_dfs_card_is("sim1", "qaic-sim.0"));
	CU_ASSERT(!dbc_dfs_card_is("sim10", "qaic-sim.1"));
	CU_ASSERT(!dbc_dfs_card_is("sim", "qaic-sim."));
	CU_ASSERT(dbc_dfs_card_is("0000:01:00.0", "0000:01:00.0"));
	CU_ASSERT(!dbc_dfs_card_is("0000:01:00.0", "0000:02:00.0"));
}

/* ---- the decision ---------------------------------------------------------- */

static struct stall_tracker tr;

/* A BPF view of dev 0 dbc 3: n in flight, the oldest submitted at submit. */
static struct snap_dbc bpf_dbc(uint64_t inflight, uint64_t submit, uint64_t completed,
			       uint64_t last_seen, uint64_t irqs)
{
	struct snap_dbc b;

	memset(&b, 0, sizeof(b));
	b.key.dev = 0;
	b.key.dbc = 3;
	b.has_state = 1;
	b.state.completed = completed;
	b.state.last_seen_ts = last_seen;
	b.state.irqs = irqs;
	b.state.owner_tgid = 77;
	b.state.owner_cgroup = 4242;
	strcpy(b.state.owner_comm, "worker");
	b.inflight = inflight;
	if (inflight) {
		b.oldest.wl.dev = 0;
		b.oldest.wl.dbc = 3;
		b.oldest.wl.tgid = 77;
		b.oldest.wl.cgroup = 4242;
		b.oldest.submit_ts = submit;
	}
	return b;
}

/* A debugfs view read at t: n queued, the oldest submitted at submit. */
static struct dbc_dfs dfs_dbc(uint32_t queued, uint64_t submit, uint64_t t, uint64_t completed,
			      uint64_t irqs)
{
	struct dbc_dfs d;

	memset(&d, 0, sizeof(d));
	d.dbc = 3;
	d.assigned = true;
	d.owner_tgid = 99;
	strcpy(d.owner_comm, "old-client");
	d.has_fifo = true;
	d.fifo_size = 17;
	d.req_head = d.req_tail = 4;
	d.rsp_head = 1;
	d.rsp_tail = 3;
	d.queued_bos = queued;
	d.queued_elements = queued * 2;
	d.completed = completed;
	d.irqs = irqs;
	if (queued) {
		d.has_oldest = true;
		d.oldest_seq = 10;
		d.oldest_age_ns = t - submit;
	}
	return d;
}

/* The same from a driver that dates its last completion (0: none since assigned). */
static struct dbc_dfs dfs_dated(uint32_t queued, uint64_t submit, uint64_t t, uint64_t completed,
				uint64_t irqs, uint64_t last_completion)
{
	struct dbc_dfs d = dfs_dbc(queued, submit, t, completed, irqs);

	d.has_last_completion = true;
	d.last_completion_ns = last_completion;
	return d;
}

static int observe_bpf(const struct snap_dbc *b, uint64_t now, uint64_t watch,
		       struct stall_report *r)
{
	struct stall_obs o = { .dev = 0, .dbc = 3, .now_ns = now, .watch_ns = watch, .bpf = b,
			       .bpf_ts_ns = now, .bpf_comm = "worker" };

	stall_round_begin(&tr);
	return stall_observe(&tr, &o, r);
}

static int observe_both(const struct snap_dbc *b, const struct dbc_dfs *d, uint64_t now,
			uint64_t watch, struct stall_report *r)
{
	struct stall_obs o = { .dev = 0, .dbc = 3, .now_ns = now, .watch_ns = watch, .bpf = b,
			       .bpf_ts_ns = now, .dfs = d, .dfs_t0 = now, .dfs_t1 = now };

	stall_round_begin(&tr);
	return stall_observe(&tr, &o, r);
}

static int tracker_setup(void)
{
	stall_tracker_init(&tr, THR);
	return 0;
}

static int tracker_teardown(void)
{
	stall_tracker_free(&tr);
	return 0;
}

static void reset(void)
{
	stall_tracker_free(&tr);
	stall_tracker_init(&tr, THR);
}

static void test_bpf_stall_starts_and_clears(void)
{
	struct snap_dbc b;
	struct stall_report r;

	reset();
	b = bpf_dbc(0, 0, 5, S(9), 5);
	CHECK_EQ(observe_bpf(&b, S(9.5), S(9), &r), STALL_EV_NONE);
	b = bpf_dbc(2, S(10), 5, S(9), 5);
	CHECK_EQ(observe_bpf(&b, S(11), S(9), &r), STALL_EV_NONE);
	/* exactly the threshold is not over it */
	CHECK_EQ(observe_bpf(&b, S(12), S(9), &r), STALL_EV_NONE);
	CHECK_EQ(observe_bpf(&b, S(12.1), S(9), &r), STALL_EV_START);
	CHECK_EQ(r.since, STALL_SINCE_SUBMIT);
	CHECK_EQ(r.since_ns, S(10));
	CHECK_EQ(r.no_progress_ns, S(2.1));
	CHECK_EQ(r.oldest_age_ns, S(2.1));
	CHECK_EQ(r.oldest_src, STALL_SRC_BPF);
	CHECK_EQ(r.in_flight, 2);
	CHECK_EQ(r.in_flight_src, STALL_SRC_BPF);
	CHECK_EQ(r.pid, 77);
	CU_ASSERT_STRING_EQUAL(r.comm, "worker");
	CU_ASSERT(r.cgroup_known);
	CHECK_EQ(r.cgroup, 4242);
	CU_ASSERT(r.completion_known && r.completion_exact);
	CHECK_EQ(r.last_completion_ns, S(9));
	CHECK_EQ(r.fifo_src, STALL_SRC_BPF);
	CU_ASSERT(stall_fifo_hint(&r) == NULL);
	CHECK_EQ(stall_count(&tr), 1);
	CHECK_EQ(observe_bpf(&b, S(13), S(9), &r), STALL_EV_ONGOING);
	CHECK_EQ(r.no_progress_ns, S(3));
	/* the card answers at 13.5: cleared, lasting from submit to that answer */
	b = bpf_dbc(0, 0, 7, S(13.5), 6);
	CHECK_EQ(observe_bpf(&b, S(14), S(9), &r), STALL_EV_CLEAR);
	CHECK_EQ(r.reason, STALL_CLEAR_PROGRESS);
	CHECK_EQ(r.cleared_ns, S(13.5));
	CHECK_EQ(r.duration_ns, S(3.5));
	CHECK_EQ(stall_count(&tr), 0);
	CHECK_EQ(observe_bpf(&b, S(20), S(9), &r), STALL_EV_NONE);
}

/*
 * Closed loop, 20 requests of 300 ms outstanding: the oldest has waited 6 s,
 * yet one completes every 300 ms. Not a stall, from BPF or from debugfs.
 */
static void test_busy_queue_is_not_a_stall(void)
{
	struct stall_report r;
	uint64_t t, done = 100;
	struct snap_dbc b;
	struct dbc_dfs d;

	reset();
	for (t = S(10); t < S(40); t += S(0.5)) {
		uint64_t last = t - t % S(0.3);

		done += 2;
		b = bpf_dbc(20, t - S(6), done, last, done);
		d = dfs_dbc(20, t - S(6), t, done, done);
		CHECK_EQ(observe_both(&b, &d, t, S(10), &r), STALL_EV_NONE);
	}
	/* the same with only debugfs counters to go by (requests older than qaic-prof) */
	reset();
	for (t = S(10); t < S(40); t += S(0.5)) {
		done += 1;
		d = dfs_dbc(20, t - S(6), t, done, done);
		CHECK_EQ(observe_both(NULL, &d, t, S(10), &r), STALL_EV_NONE);
	}
	/* and with the driver's time of its last completion, from the first check on */
	reset();
	for (t = S(10); t < S(40); t += S(0.5)) {
		done += 1;
		d = dfs_dated(20, t - S(6), t, done, done, t - t % S(0.3));
		CHECK_EQ(observe_both(NULL, &d, t, S(10), &r), STALL_EV_NONE);
		CU_ASSERT(r.completion_known && r.completion_exact);
		CHECK_EQ(r.completion_src, STALL_SRC_DEBUGFS);
		CU_ASSERT(r.no_progress_ns < S(0.3));
	}
}

/*
 * Stuck before qaic-prof started, a driver that does not date its last
 * completion: reported threshold after the start, a lower bound.
 */
static void test_stuck_before_start(void)
{
	struct stall_report r;
	struct dbc_dfs d;

	reset();
	d = dfs_dbc(2, S(70), S(100), 50, 30);
	CHECK_EQ(observe_both(NULL, &d, S(100), S(100), &r), STALL_EV_NONE);
	d = dfs_dbc(2, S(70), S(101.5), 50, 30);
	CHECK_EQ(observe_both(NULL, &d, S(101.5), S(100), &r), STALL_EV_NONE);
	d = dfs_dbc(2, S(70), S(102.1), 50, 30);
	CHECK_EQ(observe_both(NULL, &d, S(102.1), S(100), &r), STALL_EV_START);
	CHECK_EQ(r.since, STALL_SINCE_WATCH);
	CHECK_EQ(r.no_progress_ns, S(2.1));
	CHECK_EQ(r.oldest_src, STALL_SRC_DEBUGFS);
	CHECK_EQ(r.oldest_age_ns, S(32.1));
	CHECK_EQ(r.oldest_seq, 10);
	CHECK_EQ(r.in_flight, 2);
	CHECK_EQ(r.in_flight_src, STALL_SRC_DEBUGFS);
	CU_ASSERT(r.elements_known);
	CHECK_EQ(r.queued_elements, 4);
	CHECK_EQ(r.owner_src, STALL_SRC_DEBUGFS);
	CHECK_EQ(r.pid, 99);
	CU_ASSERT_STRING_EQUAL(r.comm, "old-client");
	CU_ASSERT(!r.cgroup_known);
	CU_ASSERT(!r.completion_known);
	CHECK_EQ(r.fifo_src, STALL_SRC_DEBUGFS);
	CU_ASSERT_STRING_EQUAL(stall_fifo_hint(&r),
			       "the card wrote responses the driver has not taken (a lost interrupt?)");
	/* its owner is killed: the driver frees the DBC */
	d = dfs_dbc(0, 0, S(103), 50, 30);
	d.assigned = false;
	CHECK_EQ(observe_both(NULL, &d, S(103), S(100), &r), STALL_EV_CLEAR);
	CHECK_EQ(r.reason, STALL_CLEAR_RELEASED);
	CHECK_EQ(r.duration_ns, S(3));
}

/*
 * Stuck before qaic-prof started, the driver dating its last completion
 * (60 s) before the oldest request's doorbell (70 s): 30 s without progress
 * at the first check, the start's own, from debugfs alone; no lower bound.
 */
static void test_stuck_before_start_dated(void)
{
	struct stall_report r;
	struct dbc_dfs d;

	reset();
	d = dfs_dated(2, S(70), S(100), 50, 30, S(60));
	CHECK_EQ(observe_both(NULL, &d, S(100), S(100), &r), STALL_EV_START);
	CHECK_EQ(r.since, STALL_SINCE_SUBMIT);
	CHECK_EQ(r.since_ns, S(70));
	CHECK_EQ(r.no_progress_ns, S(30));
	CHECK_EQ(r.oldest_src, STALL_SRC_DEBUGFS);
	CHECK_EQ(r.oldest_age_ns, S(30));
	CU_ASSERT(r.completion_known && r.completion_exact);
	CHECK_EQ(r.completion_src, STALL_SRC_DEBUGFS);
	CHECK_EQ(r.last_completion_ns, S(60));
	CHECK_EQ(r.in_flight_src, STALL_SRC_DEBUGFS);
	CHECK_EQ(r.owner_src, STALL_SRC_DEBUGFS);
	CHECK_EQ(r.pid, 99);
	d = dfs_dated(2, S(70), S(100.5), 50, 30, S(60));
	CHECK_EQ(observe_both(NULL, &d, S(100.5), S(100), &r), STALL_EV_ONGOING);
	CHECK_EQ(r.no_progress_ns, S(30.5));

	/* the last completion is later than the oldest doorbell: no progress since it */
	reset();
	d = dfs_dated(2, S(70), S(100), 50, 30, S(95));
	CHECK_EQ(observe_both(NULL, &d, S(100), S(100), &r), STALL_EV_START);
	CHECK_EQ(r.since, STALL_SINCE_COMPLETION);
	CHECK_EQ(r.since_ns, S(95));
	CHECK_EQ(r.no_progress_ns, S(5));
	CHECK_EQ(r.oldest_age_ns, S(30));

	/* stuck for less than the threshold at the start: the first check past it */
	reset();
	d = dfs_dated(2, S(70), S(100), 50, 30, S(99));
	CHECK_EQ(observe_both(NULL, &d, S(100), S(100), &r), STALL_EV_NONE);
	d = dfs_dated(2, S(70), S(100.5), 50, 30, S(99));
	CHECK_EQ(observe_both(NULL, &d, S(100.5), S(100), &r), STALL_EV_NONE);
	d = dfs_dated(2, S(70), S(101), 50, 30, S(99));
	CHECK_EQ(observe_both(NULL, &d, S(101), S(100), &r), STALL_EV_NONE);	/* 2 s: not over */
	d = dfs_dated(2, S(70), S(101.5), 50, 30, S(99));
	CHECK_EQ(observe_both(NULL, &d, S(101.5), S(100), &r), STALL_EV_START);
	CHECK_EQ(r.since, STALL_SINCE_COMPLETION);
	CHECK_EQ(r.no_progress_ns, S(2.5));
	/* the card answers at 101.7: cleared at the driver's time of it */
	d = dfs_dated(1, S(71), S(102), 51, 31, S(101.7));
	CHECK_EQ(observe_both(NULL, &d, S(102), S(100), &r), STALL_EV_CLEAR);
	CHECK_EQ(r.reason, STALL_CLEAR_PROGRESS);
	CHECK_EQ(r.cleared_ns, S(101.7));
	CHECK_EQ(r.duration_ns, S(2.7));
}

/* 0: nothing completed since the DBC was assigned; its oldest request is when it began. */
static void test_none_since_assigned(void)
{
	struct stall_report r;
	struct dbc_dfs d;

	reset();
	d = dfs_dated(1, S(99), S(100), 0, 0, 0);
	CHECK_EQ(observe_both(NULL, &d, S(100), S(100), &r), STALL_EV_NONE);
	d = dfs_dated(1, S(99), S(101.2), 0, 0, 0);
	CHECK_EQ(observe_both(NULL, &d, S(101.2), S(100), &r), STALL_EV_START);
	CHECK_EQ(r.since, STALL_SINCE_SUBMIT);
	CHECK_EQ(r.since_ns, S(99));
	CHECK_EQ(r.no_progress_ns, S(2.2));
	CU_ASSERT(!r.completion_known);

	/*
	 * reassigned under qaic-prof: the new owner's requests wait, the
	 * previous owner's last completion (80 s) does not make them older
	 */
	reset();
	d = dfs_dated(0, 0, S(100), 40, 40, S(80));
	CHECK_EQ(observe_both(NULL, &d, S(100), S(100), &r), STALL_EV_NONE);
	d = dfs_dated(1, S(105), S(106), 40, 40, 0);
	CHECK_EQ(observe_both(NULL, &d, S(106), S(100), &r), STALL_EV_NONE);
	d = dfs_dated(1, S(105), S(107.5), 40, 40, 0);
	CHECK_EQ(observe_both(NULL, &d, S(107.5), S(100), &r), STALL_EV_START);
	CHECK_EQ(r.since, STALL_SINCE_SUBMIT);
	CHECK_EQ(r.since_ns, S(105));
}

/* Where the last completion comes from when BPF and the driver both date one. */
static void test_dated_sources(void)
{
	struct stall_report r;
	struct snap_dbc b;
	struct dbc_dfs d;

	/* BPF saw nothing since the start: the driver's time, from before it */
	reset();
	b = bpf_dbc(1, S(10.5), 0, 0, 0);
	d = dfs_dated(2, S(8.5), S(11), 7, 7, S(8));
	CHECK_EQ(observe_both(&b, &d, S(11), S(10), &r), STALL_EV_START);
	CHECK_EQ(r.completion_src, STALL_SRC_DEBUGFS);
	CU_ASSERT(r.completion_exact);
	CHECK_EQ(r.last_completion_ns, S(8));
	CHECK_EQ(r.since, STALL_SINCE_SUBMIT);
	CHECK_EQ(r.oldest_src, STALL_SRC_DEBUGFS);
	CHECK_EQ(r.no_progress_ns, S(2.5));
	CHECK_EQ(r.owner_src, STALL_SRC_BPF);

	/* BPF's completion is the newer: BPF's */
	reset();
	b = bpf_dbc(1, S(10.5), 1, S(10.9), 1);
	d = dfs_dated(1, S(10.5), S(11), 8, 8, S(10.8));
	CHECK_EQ(observe_both(&b, &d, S(11), S(10), &r), STALL_EV_NONE);
	CHECK_EQ(r.completion_src, STALL_SRC_BPF);
	CHECK_EQ(r.last_completion_ns, S(10.9));
	/* the driver's is the newer (one BPF did not pair): the driver's, not the read's */
	d = dfs_dated(1, S(10.5), S(12), 10, 10, S(11.4));
	CHECK_EQ(observe_both(&b, &d, S(12), S(10), &r), STALL_EV_NONE);
	CHECK_EQ(r.completion_src, STALL_SRC_DEBUGFS);
	CU_ASSERT(r.completion_exact);
	CHECK_EQ(r.last_completion_ns, S(11.4));
	d = dfs_dated(1, S(10.5), S(13.5), 10, 10, S(11.4));
	CHECK_EQ(observe_both(&b, &d, S(13.5), S(10), &r), STALL_EV_START);
	CHECK_EQ(r.since, STALL_SINCE_COMPLETION);
	CHECK_EQ(r.since_ns, S(11.4));
	CHECK_EQ(r.no_progress_ns, S(2.1));

	/* interrupts that completed nothing are still dated by the read */
	reset();
	d = dfs_dated(1, S(9), S(10), 5, 5, S(8));
	CHECK_EQ(observe_both(NULL, &d, S(10), S(10), &r), STALL_EV_NONE);
	d = dfs_dated(1, S(9), S(11.5), 5, 6, S(8));
	CHECK_EQ(observe_both(NULL, &d, S(11.5), S(10), &r), STALL_EV_NONE);
	CU_ASSERT(!r.completion_exact);
	CHECK_EQ(r.last_completion_ns, S(11.5));
	d = dfs_dated(1, S(9), S(13.6), 5, 6, S(8));
	CHECK_EQ(observe_both(NULL, &d, S(13.6), S(10), &r), STALL_EV_START);
	CHECK_EQ(r.since_ns, S(11.5));
}

/* debugfs is the queue: a BPF in-flight entry it does not have is no stall. */
static void test_debugfs_empty_wins(void)
{
	struct stall_report r;
	struct snap_dbc b;
	struct dbc_dfs d;

	reset();
	b = bpf_dbc(1, S(1), 0, 0, 0);
	d = dfs_dbc(0, 0, S(50), 0, 0);
	CHECK_EQ(observe_both(&b, &d, S(50), S(0.5), &r), STALL_EV_NONE);
	/* without debugfs the same entry is a stall */
	reset();
	CHECK_EQ(observe_bpf(&b, S(50), S(0.5), &r), STALL_EV_START);
	CHECK_EQ(r.bpf_in_flight, 1);
}

/* The oldest request: BPF's exact submit time when it is the driver's oldest. */
static void test_oldest_source(void)
{
	struct stall_obs o = { .dev = 0, .dbc = 3, .now_ns = S(20), .watch_ns = S(9),
			       .bpf_ts_ns = S(20), .dfs_t0 = S(20), .dfs_t1 = S(20.001) };
	struct stall_report r;
	struct snap_dbc b;
	struct dbc_dfs d;

	reset();
	b = bpf_dbc(2, S(11.9996), 0, 0, 0);	/* ioctl entry, before its doorbell */
	/* age 8 s from the doorbell, read within [20, 20.001] */
	d = dfs_dbc(2, S(12), S(20), 0, 0);
	o.bpf = &b;
	o.dfs = &d;
	stall_round_begin(&tr);
	CHECK_EQ(stall_observe(&tr, &o, &r), STALL_EV_START);
	CHECK_EQ(r.oldest_src, STALL_SRC_BPF);
	CHECK_EQ(r.oldest_submit_ns, S(11.9996));
	CHECK_EQ(r.oldest_seq, 10);
	/* the driver's oldest was submitted before BPF attached: debugfs's, the latest it can be */
	reset();
	b = bpf_dbc(1, S(19), 0, 0, 0);
	stall_round_begin(&tr);
	CHECK_EQ(stall_observe(&tr, &o, &r), STALL_EV_START);
	CHECK_EQ(r.oldest_src, STALL_SRC_DEBUGFS);
	CHECK_EQ(r.oldest_submit_ns, S(12.001));
	CHECK_EQ(r.in_flight, 2);
	CHECK_EQ(r.bpf_in_flight, 1);
}

/* Completions BPF did not pair are dated by the read that showed them. */
static void test_progress_sources(void)
{
	struct stall_report r;
	struct snap_dbc b;
	struct dbc_dfs d;

	/* both counted the same: BPF's exact time */
	reset();
	b = bpf_dbc(1, S(10), 1, S(9), 1);
	d = dfs_dbc(1, S(10), S(10.5), 1, 1);
	CHECK_EQ(observe_both(&b, &d, S(10.5), S(9), &r), STALL_EV_NONE);
	b = bpf_dbc(1, S(11.2), 2, S(11.5), 2);
	d = dfs_dbc(1, S(11.2), S(12), 2, 2);
	CHECK_EQ(observe_both(&b, &d, S(12), S(9), &r), STALL_EV_NONE);
	CU_ASSERT(r.completion_exact);
	CHECK_EQ(r.last_completion_ns, S(11.5));
	CHECK_EQ(r.completion_src, STALL_SRC_BPF);
	d = dfs_dbc(1, S(11.2), S(13.6), 2, 2);
	CHECK_EQ(observe_both(&b, &d, S(13.6), S(9), &r), STALL_EV_START);
	CHECK_EQ(r.since, STALL_SINCE_COMPLETION);
	CHECK_EQ(r.since_ns, S(11.5));

	/* the driver completed more than BPF paired: dated by the debugfs read */
	reset();
	b = bpf_dbc(1, S(10), 1, S(9), 1);
	d = dfs_dbc(1, S(10), S(10.5), 1, 1);
	CHECK_EQ(observe_both(&b, &d, S(10.5), S(9), &r), STALL_EV_NONE);
	d = dfs_dbc(1, S(10), S(12), 3, 3);
	CHECK_EQ(observe_both(&b, &d, S(12), S(9), &r), STALL_EV_NONE);
	CU_ASSERT(!r.completion_exact);
	CHECK_EQ(r.completion_src, STALL_SRC_DEBUGFS);
	CHECK_EQ(r.last_completion_ns, S(12));
	d = dfs_dbc(1, S(10), S(13.9), 3, 3);
	CHECK_EQ(observe_both(&b, &d, S(13.9), S(9), &r), STALL_EV_NONE);
	d = dfs_dbc(1, S(10), S(14.1), 3, 3);
	CHECK_EQ(observe_both(&b, &d, S(14.1), S(9), &r), STALL_EV_START);

	/*
	 * debugfs watched the DBC from the start, BPF first sees it with its
	 * first completions: those count as BPF's (its maps began empty).
	 */
	reset();
	d = dfs_dbc(0, 0, S(10), 0, 0);
	CHECK_EQ(observe_both(NULL, &d, S(10), S(10), &r), STALL_EV_NONE);
	b = bpf_dbc(2, S(10.8), 2, S(10.6), 1);
	d = dfs_dbc(2, S(10.8), S(11), 2, 1);
	CHECK_EQ(observe_both(&b, &d, S(11), S(10), &r), STALL_EV_NONE);
	CU_ASSERT(r.completion_exact);
	CHECK_EQ(r.last_completion_ns, S(10.6));
	d = dfs_dbc(2, S(10.8), S(12.9), 2, 1);
	CHECK_EQ(observe_both(&b, &d, S(12.9), S(10), &r), STALL_EV_START);
	CHECK_EQ(r.since, STALL_SINCE_SUBMIT);
	CHECK_EQ(r.since_ns, S(10.8));

	/* BPF alone: interrupts without paired completions (older requests) are progress */
	reset();
	b = bpf_dbc(1, S(10), 0, 0, 0);
	CHECK_EQ(observe_bpf(&b, S(10), S(9), &r), STALL_EV_NONE);
	for (uint64_t t = S(10.5); t < S(20); t += S(0.5)) {
		b = bpf_dbc(1, S(10), 0, 0, t / S(0.5));
		CHECK_EQ(observe_bpf(&b, t, S(9), &r), STALL_EV_NONE);
	}
	CHECK_EQ(observe_bpf(&b, S(22.1), S(9), &r), STALL_EV_START);
	CU_ASSERT(!r.completion_exact);
}

static void test_gone_and_drained(void)
{
	struct stall_report r;
	struct snap_dbc b;

	reset();
	b = bpf_dbc(1, S(10), 0, 0, 0);
	CHECK_EQ(observe_bpf(&b, S(13), S(9), &r), STALL_EV_START);
	stall_round_begin(&tr);
	CHECK_EQ(stall_round_next_gone(&tr, S(14), &r), 1);
	CHECK_EQ(r.reason, STALL_CLEAR_GONE);
	CHECK_EQ(r.duration_ns, S(4));
	CHECK_EQ(stall_round_next_gone(&tr, S(14), &r), 0);

	/* in flight drops to 0 with no completion counted (flushed): drained */
	reset();
	CHECK_EQ(observe_bpf(&b, S(13), S(9), &r), STALL_EV_START);
	b = bpf_dbc(0, 0, 0, 0, 0);
	CHECK_EQ(observe_bpf(&b, S(14), S(9), &r), STALL_EV_CLEAR);
	CHECK_EQ(r.reason, STALL_CLEAR_DRAINED);
}

static void test_fifo_hints(void)
{
	struct stall_report r = { .fifo_src = STALL_SRC_DEBUGFS, .fifo_size = 8 };

	r.req_head = 2;
	r.req_tail = 5;
	CU_ASSERT_STRING_EQUAL(stall_fifo_hint(&r),
			       "the card has not finished the queued requests (device busy or blocked)");
	r.req_head = 5;
	CU_ASSERT(strstr(stall_fifo_hint(&r), "both FIFOs are empty") != NULL);
	r.fifo_src = STALL_SRC_BPF;
	CU_ASSERT(stall_fifo_hint(&r) == NULL);
}

static CU_TestInfo parse_tests[] = {
	{ "an assigned DBC with work, as the driver prints it", test_parse_busy },
	{ "a free DBC: no FIFO, no oldest", test_parse_free },
	{ "missing keys and bad values are refused; unknown keys ignored", test_parse_rejects },
	{ "FIFO occupancy wraps", test_pending_wraps },
	{ "card directory names match device names", test_card_names },
	CU_TEST_INFO_NULL,
};

static CU_TestInfo decide_tests[] = {
	{ "BPF: reported past the threshold from submit, cleared by the answer",
	  test_bpf_stall_starts_and_clears },
	{ "a busy queue with an old oldest request is not a stall",
	  test_busy_queue_is_not_a_stall },
	{ "stuck before the start, no driver time: threshold after it, then released",
	  test_stuck_before_start },
	{ "stuck before the start, the driver's time: at the first check past the threshold",
	  test_stuck_before_start_dated },
	{ "the driver's 0: no completion since assigned, no progress since the oldest",
	  test_none_since_assigned },
	{ "the last completion: the newer of BPF's and the driver's; irqs dated by the read",
	  test_dated_sources },
	{ "debugfs's empty queue outweighs BPF's in-flight map", test_debugfs_empty_wins },
	{ "the oldest request's time: BPF's when it is the driver's oldest", test_oldest_source },
	{ "progress from BPF exactly, else dated by the read", test_progress_sources },
	{ "stalls end as gone or drained", test_gone_and_drained },
	{ "FIFO hints", test_fifo_hints },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "prof_stall_debugfs", NULL, NULL, NULL, NULL, parse_tests },
	{ "prof_stall_decide", tracker_setup, tracker_teardown, NULL, NULL, decide_tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
