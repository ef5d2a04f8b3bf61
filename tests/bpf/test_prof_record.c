// SPDX-License-Identifier: MIT
/*
 * Record mode: every handled event goes to the ring buffer as a struct
 * qp_event with the right fields, in order; nothing goes there without
 * `record`; a full ring buffer drops and counts exactly what did not fit.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "check.h"
#include "prof_fixture.h"
#include "tap.h"

#define US 1000ULL
#define T0 3000000000ULL
#define MAX_EVENTS 64

#define BIT(c) (1u << (c))

struct captured {
	struct qp_event ev[MAX_EVENTS];
	int n;
	int bad_size;
};

static int on_event(void *ctx, void *data, size_t size)
{
	struct captured *c = ctx;

	if (size != sizeof(struct qp_event)) {
		c->bad_size++;
		return 0;
	}
	if (c->n < MAX_EVENTS)
		memcpy(&c->ev[c->n], data, size);
	c->n++;
	return 0;
}

/* Everything the ring buffer holds now. */
static int drain(struct qaic_prof_bpf *s, struct captured *c)
{
	struct ring_buffer *rb;
	int n;

	memset(c, 0, sizeof(*c));
	rb = ring_buffer__new(bpf_map__fd(s->maps.events), on_event, c, NULL);
	if (!rb)
		return -errno;
	n = ring_buffer__consume(rb);
	ring_buffer__free(rb);
	return n < 0 ? n : c->n;
}

static void lifecycle(struct qaic_prof_bpf *s)
{
	const __u64 db = T0 + 5 * US, seen = db + 50 * US;

	CHECK_OK(fx_execute(s, 0, 3, 2, true, T0));
	CHECK_OK(fx_enqueue(s, 0, 3, 70000, 11, 4096, 1, 4, T0, 1));
	CHECK_OK(fx_enqueue(s, 0, 3, 70001, 12, 8192, 2, 5, T0, 2));
	CHECK_OK(fx_doorbell(s, 0, 3, 7, 2, 3, db));
	CHECK_OK(fx_irq(s, 0, 3, 1, 3, false, seen));
	CHECK_OK(fx_complete(s, 0, 3, 70000, 11, 0, T0, db, seen, seen + 2 * US));
	CHECK_OK(fx_complete(s, 0, 3, 70001, 12, 5, T0, db, seen, seen + 3 * US));
	CHECK_OK(fx_wait(s, 0, 3, 12, 70001, 0, 5, seen + 9 * US, 8 * US));
}

static void check_task(const struct qp_event *e)
{
	CHECK_EQ(e->tgid, getpid());
	CHECK_EQ(e->tid, gettid());
	CHECK_EQ(e->cgroup, fx_self_cgroup());
	CU_ASSERT_STRING_EQUAL(e->comm, FX_COMM);
}

static void test_record_streams_every_event_in_order(void)
{
	const __u64 db = T0 + 5 * US, seen = db + 50 * US;
	const struct fx_opts o = { .record = true };
	struct qaic_prof_bpf *s = fx_load(&o);
	static struct captured c;
	const struct qp_event *e;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	lifecycle(s);
	CHECK_RET(drain(s, &c), 8);
	CHECK_EQ(c.bad_size, 0);
	CHECK_EQ(fx_counter(s, QP_CNT_RB_EVENTS), 8);
	CHECK_EQ(fx_counter(s, QP_CNT_RB_DROPS), 0);
	CU_ASSERT_FATAL(c.n == 8);

	e = &c.ev[0];
	CHECK_EQ(e->type, QP_EV_EXECUTE);
	CHECK_EQ(e->dev, 0);
	CHECK_EQ(e->dbc, 3);
	CHECK_EQ(e->ts, T0);
	CHECK_EQ(e->count, 2);
	CHECK_EQ(e->aux, 1);		/* partial */
	check_task(e);

	e = &c.ev[1];
	CHECK_EQ(e->type, QP_EV_ENQUEUE);
	CHECK_EQ(e->seq, 70000);
	CHECK_EQ(e->handle, 11);
	CHECK_EQ(e->bytes, 4096);
	CHECK_EQ(e->dir, QP_DIR_IN);
	CHECK_EQ(e->count, 1);		/* elements */
	CHECK_EQ(e->level, 4);
	CHECK_EQ(e->ts, T0);
	CHECK_EQ(e->submit_ts, T0);
	check_task(e);
	e = &c.ev[2];
	CHECK_EQ(e->type, QP_EV_ENQUEUE);
	CHECK_EQ(e->seq, 70001);
	CHECK_EQ(e->dir, QP_DIR_OUT);
	CHECK_EQ(e->bytes, 8192);

	e = &c.ev[3];
	CHECK_EQ(e->type, QP_EV_DOORBELL);
	CHECK_EQ(e->ts, db);
	CHECK_EQ(e->count, 2);		/* BOs */
	CHECK_EQ(e->level, 7);		/* tail */
	CHECK_EQ(e->aux, 3);		/* elements */
	check_task(e);

	e = &c.ev[4];
	CHECK_EQ(e->type, QP_EV_IRQ);
	CHECK_EQ(e->ts, seen);
	CHECK_EQ(e->level, 1);
	CHECK_EQ(e->aux, 3);
	CHECK_EQ(e->count, 0);		/* not polled */
	CHECK_EQ(e->tgid, getpid());	/* the DBC's owner */
	CHECK_EQ(e->tid, 0);
	CHECK_EQ(e->comm[0], 0);

	/* Completions carry their submitter, not the (IRQ) thread that ran them. */
	e = &c.ev[5];
	CHECK_EQ(e->type, QP_EV_COMPLETE);
	CHECK_EQ(e->seq, 70000);
	CHECK_EQ(e->handle, 11);
	CHECK_EQ(e->status, 0);
	CHECK_EQ(e->submit_ts, T0);
	CHECK_EQ(e->doorbell_ts, db);
	CHECK_EQ(e->seen_ts, seen);
	CHECK_EQ(e->ts, seen + 2 * US);
	CHECK_EQ(e->bytes, 4096);
	CHECK_EQ(e->dir, QP_DIR_IN);
	CHECK_EQ(e->tgid, getpid());
	CHECK_EQ(e->tid, gettid());
	CHECK_EQ(e->cgroup, fx_self_cgroup());
	CHECK_EQ(e->comm[0], 0);
	e = &c.ev[6];
	CHECK_EQ(e->type, QP_EV_COMPLETE);
	CHECK_EQ(e->seq, 70001);
	CHECK_EQ(e->status, 5);
	CHECK_EQ(e->dir, QP_DIR_OUT);

	e = &c.ev[7];
	CHECK_EQ(e->type, QP_EV_WAIT);
	CHECK_EQ(e->seq, 70001);
	CHECK_EQ(e->handle, 12);
	CHECK_EQ(e->status, 0);		/* the wait's result */
	CHECK_EQ(e->ts, seen + 9 * US);
	CHECK_EQ(e->waited_ns, 8 * US);
	check_task(e);
	qaic_prof_bpf__destroy(s);
}

/* Orphans and filtered events are not "handled": no event for them. */
static void test_record_skips_what_is_not_handled(void)
{
	const struct fx_opts o = { .record = true, .set_filters = true, .targ_dev = -1,
				   .targ_dbc = 3, .targ_tgid = -1 };
	struct qaic_prof_bpf *s = fx_load(&o);
	static struct captured c;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CHECK_OK(fx_complete(s, 0, 3, 1, 1, 0, T0, T0 + US, T0 + 2 * US, T0 + 3 * US));
	CHECK_OK(fx_enqueue(s, 0, 4, 1, 1, 64, 1, 0, T0, 1));
	CHECK_OK(fx_doorbell(s, 0, 4, 1, 1, 1, T0 + US));
	CHECK_RET(drain(s, &c), 0);
	CHECK_EQ(fx_counter(s, QP_CNT_ORPHAN_COMPLETE), 1);
	CHECK_EQ(fx_counter(s, QP_CNT_FILTERED), 1);
	CHECK_EQ(fx_counter(s, QP_CNT_RB_EVENTS), 0);
	/* Waits are handled whether they pair or not. */
	CHECK_OK(fx_wait(s, 0, 3, 1, 1, -ETIMEDOUT, 0, T0 + 4 * US, US));
	CHECK_OK(fx_wait(s, 0, 3, 1, 1, 0, 0, T0 + 5 * US, US));
	CHECK_RET(drain(s, &c), 2);
	CHECK_EQ(c.ev[0].status, -ETIMEDOUT);
	CHECK_EQ(c.ev[1].status, 0);
	qaic_prof_bpf__destroy(s);
}

static void test_no_events_without_record(void)
{
	struct qaic_prof_bpf *s = fx_load(NULL);
	static struct captured c;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	lifecycle(s);
	CHECK_RET(drain(s, &c), 0);
	CHECK_EQ(fx_counter(s, QP_CNT_RB_EVENTS), 0);
	CHECK_EQ(fx_counter(s, QP_CNT_RB_DROPS), 0);
	qaic_prof_bpf__destroy(s);
}

/*
 * One page of ring buffer holds page / (8-byte header + event) events; the
 * rest of a burst is dropped and counted, and room comes back once read.
 */
static void test_full_ring_buffer_counts_drops(void)
{
	const int page = (int)sysconf(_SC_PAGESIZE), burst = 64;
	const int fit = page / (8 + (int)sizeof(struct qp_event));
	const struct fx_opts o = { .record = true, .ringbuf_bytes = (__u32)page };
	struct qaic_prof_bpf *s = fx_load(&o);
	static struct captured c;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_FATAL(fit < burst);
	for (i = 0; i < burst; i++)
		CHECK_OK(fx_doorbell(s, 0, 1, i, 1, 1, T0 + i));
	CHECK_EQ(fx_counter(s, QP_CNT_RB_EVENTS), fit);
	CHECK_EQ(fx_counter(s, QP_CNT_RB_DROPS), burst - fit);
	CHECK_RET(drain(s, &c), fit);
	CHECK_EQ(c.ev[fit - 1].level, fit - 1);	/* the first ones were kept */

	CHECK_OK(fx_doorbell(s, 0, 1, 999, 1, 1, T0 + burst));
	CHECK_EQ(fx_counter(s, QP_CNT_RB_EVENTS), fit + 1);
	CHECK_RET(drain(s, &c), 1);
	CHECK_EQ(c.ev[0].level, 999);
	qaic_prof_bpf__destroy(s);
}

static CU_TestInfo tests[] = {
	{ "record streams every event in order with its fields",
	  test_record_streams_every_event_in_order },
	{ "record skips orphans and filtered events", test_record_skips_what_is_not_handled },
	{ "no events without record", test_no_events_without_record },
	{ "a full ring buffer counts its drops", test_full_ring_buffer_counts_drops },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "bpf record", NULL, NULL, NULL, NULL, tests },
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
