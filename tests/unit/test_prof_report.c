// SPDX-License-Identifier: MIT
/*
 * qaic-prof report (profiler/report_*.c): --nsps rules; the derived figures
 * of hand-built reports (throughput, bytes per execute, link utilization,
 * the NSP bound, the bottleneck in each of its three kinds, headroom, the
 * dominant stage, unknown inputs giving no figure); reports built from a
 * hand-built snapshot (busy time of a shared DBC, device facts and
 * overrides) and from a synthetic recording (counts, the busy union of
 * overlapping requests, percentiles equal to a histogram of the same
 * values, device stage per direction, filters, and the same report after a
 * trip through the trace file); and every renderer: text sections, JSON
 * that our reader (and jq, when installed) parses with the right values,
 * CSV rows as wide as the header, Markdown tables of one shape.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "hist.h"
#include "report_model.h"
#include "report_nsps.h"
#include "report_render.h"
#include "report_trace.h"
#include "snapshot.h"
#include "tap.h"
#include "trace_json.h"
#include "trace_model.h"
#include "trace_reader.h"
#include "trace_writer.h"

#define US	1000ull
#define MS	1000000ull
#define SEC	1000000000ull
#define T0	(7000 * SEC)

static void check_near_(double got, double want, const char *expr, const char *file,
			unsigned int line)
{
	double tol = 1e-9 * fabs(want) + 1e-12;

	if (isnan(want) ? !isnan(got) : !(fabs(got - want) <= tol))
		printf("# %s:%u: %s = %.12g, want %.12g\n", file, line, expr, got, want);
	CU_ASSERT(isnan(want) ? isnan(got) : fabs(got - want) <= tol);
}

#define CHECK_NEAR(got, want) check_near_((got), (want), #got, __FILE__, __LINE__)

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

static int has_note(const struct report *r, const char *a, const char *b)
{
	unsigned int i;

	for (i = 0; i < r->n_notes; i++)
		if (strstr(r->notes[i], a) && (!b || strstr(r->notes[i], b)))
			return 1;
	return 0;
}

/* ---- --nsps ------------------------------------------------------------------------------- */

static void test_nsps_rules(void)
{
	static const char *const bad[] = {
		"", "0", "65", "x", "dbc=3", "dbc=:2", "dbc16=1", "dbc=16:1", "pid0=1", "pid=0:1",
		"comm3=1", "comm=averyverylongname:2", "bogus=1", "dbc3=x", "dbc3=2:", "dbc=3:8:9",
		"dbc3=", "=4", "dev=1048576:1", "pid=-1:2", "dbc 3=2",
	};
	struct qp_wl_key k;
	struct report_nsp_rules r;
	struct args_err err;
	unsigned int i;
	int rule;

	report_nsps_init(&r);
	CHECK_EQ(r.default_nsps, 1);
	k = key(0, 9, 9, 0);
	CHECK_EQ(report_nsps_for(&r, &k, "x", &rule), 1);
	CHECK_EQ(rule, -1);
	CHECK_OK(report_nsps_parse(&r, "dbc3=8", &err));
	CHECK_OK(report_nsps_parse(&r, "pid=1234:2", &err));
	CHECK_OK(report_nsps_parse(&r, "comm=bert:6", &err));
	CHECK_OK(report_nsps_parse(&r, "dev=128:4", &err));
	CHECK_OK(report_nsps_parse(&r, "pid77=3", &err));
	CHECK_OK(report_nsps_parse(&r, "dbc=5:16", &err));
	CHECK_OK(report_nsps_parse(&r, "5", &err));
	CHECK_EQ(r.n, 6);
	CHECK_EQ(r.default_nsps, 5);
	CHECK_EQ(r.default_given, 1);

	k = key(0, 3, 1234, 0);		/* dbc3=8 comes first */
	CHECK_EQ(report_nsps_for(&r, &k, "bert", &rule), 8);
	CHECK_EQ(rule, 0);
	k = key(0, 4, 1234, 0);
	CHECK_EQ(report_nsps_for(&r, &k, "bert", &rule), 2);
	CHECK_EQ(rule, 1);
	k = key(0, 4, 99, 0);
	CHECK_EQ(report_nsps_for(&r, &k, "bert", &rule), 6);
	CHECK_EQ(rule, 2);
	k = key(128, 4, 99, 0);
	CHECK_EQ(report_nsps_for(&r, &k, "vision", &rule), 4);
	k = key(0, 4, 77, 0);
	CHECK_EQ(report_nsps_for(&r, &k, "vision", &rule), 3);
	k = key(0, 5, 1, 0);
	CHECK_EQ(report_nsps_for(&r, &k, NULL, &rule), 16);
	k = key(0, 6, 1, 0);
	CHECK_EQ(report_nsps_for(&r, &k, "vision", &rule), 5);
	CHECK_EQ(rule, -1);
	CHECK_EQ(r.rule[0].matched, 1);
	CHECK_EQ(r.rule[2].matched, 1);
	CU_ASSERT_STRING_EQUAL(r.rule[1].text, "pid=1234:2");

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct report_nsp_rules before = r;

		err.msg[0] = '\0';
		if (report_nsps_parse(&r, bad[i], &err) != -1)
			printf("# --nsps '%s' accepted\n", bad[i]);
		CU_ASSERT(report_nsps_parse(&r, bad[i], &err) == -1);
		CU_ASSERT(strstr(err.msg, "--nsps") != NULL);
		CU_ASSERT(!memcmp(&before, &r, sizeof(r)));
	}
	report_nsps_parse(&r, "dbc=16:1", &err);
	CU_ASSERT_STRING_EQUAL(err.msg, "--nsps 'dbc=16:1': dbc '16': out of range (0..15)");
	report_nsps_parse(&r, "dbc3=0", &err);
	CU_ASSERT_STRING_EQUAL(err.msg, "--nsps 'dbc3=0': NSP count '0': out of range (1..64)");
}

static void test_format_parse(void)
{
	enum report_format f = REPORT_FMT_TEXT;
	struct args_err err;

	CHECK_OK(report_format_parse("-f", "md", &f, &err));
	CHECK_EQ(f, REPORT_FMT_MD);
	CHECK_OK(report_format_parse("-f", "markdown", &f, &err));
	CHECK_EQ(f, REPORT_FMT_MD);
	CHECK_OK(report_format_parse("-f", "json", &f, &err));
	CHECK_EQ(f, REPORT_FMT_JSON);
	CHECK_OK(report_format_parse("-f", "csv", &f, &err));
	CHECK_EQ(f, REPORT_FMT_CSV);
	CHECK_OK(report_format_parse("-f", "text", &f, &err));
	CHECK_EQ(f, REPORT_FMT_TEXT);
	CU_ASSERT(report_format_parse("--format", "html", &f, &err) == -1);
	CU_ASSERT_STRING_EQUAL(err.msg, "--format 'html': expected text, md, json or csv");
	CU_ASSERT(report_format_parse("--format", "JSON", &f, &err) == -1);
	CHECK_EQ(f, REPORT_FMT_TEXT);
}

/* ---- hand-built reports: the derived figures ---------------------------------------------- */

static struct report_dev *hand_dev(struct report *r, uint32_t minor, uint64_t link_bps,
				   uint32_t nsps)
{
	struct report_dev *d = report_add_dev(r, minor);

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	d->found = 1;
	snprintf(d->info.node, sizeof(d->info.node), "/dev/accel/accel%u", minor);
	if (link_bps) {
		d->info.link_known = true;
		d->info.link_gen = 4;
		d->info.link_width = 8;
		d->info.link_bps = link_bps;
		d->info.link_payload = true;
	}
	d->info.num_nsp = nsps;
	return d;
}

/* A workload that ran `execs` executes of one input and one output BO each. */
static struct report_wl *hand_wl(struct report *r, uint32_t dbc, uint32_t pid, const char *comm,
				 uint64_t execs, uint64_t in_bytes, uint64_t out_bytes,
				 uint64_t busy_ns, uint32_t nsps)
{
	struct qp_wl_key k = key(0, dbc, pid, 40);
	struct report_wl *w = report_add_wl(r, &k, comm);

	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	w->executes = execs;
	w->enq[QP_DIR_IN] = w->bos[QP_DIR_IN] = execs;
	w->enq[QP_DIR_OUT] = w->bos[QP_DIR_OUT] = execs;
	w->enq_bytes[QP_DIR_IN] = w->bytes[QP_DIR_IN] = execs * in_bytes;
	w->enq_bytes[QP_DIR_OUT] = w->bytes[QP_DIR_OUT] = execs * out_bytes;
	w->has_busy = 1;
	w->busy_ns = busy_ns;
	w->nsps = nsps;
	w->nsp_rule = 0;
	return w;
}

static void set_stage(struct report_wl *w, unsigned int s, uint64_t count, double mean_ns)
{
	unsigned int i;

	w->stage[s].count = count;
	w->stage[s].mean_ns = mean_ns;
	for (i = 0; i < STAGE_NPCT; i++)
		w->stage[s].pct_ns[i] = mean_ns * (1 + i * 0.5);
}

/*
 * One second, a 1 GB/s link, 16 NSPs. A: 1000 executes of 100 kB in,
 * 10 kB out, DBC busy 0.6 s, 4 NSPs; B: 500 of 200 kB in, 1 kB out, busy
 * 0.9 s, 8 NSPs.
 */
static void mix_report(struct report *r, uint64_t link_bps)
{
	struct report_wl *a, *b;

	report_init(r);
	snprintf(r->source, sizeof(r->source), "hand-built");
	r->start_ns = T0;
	r->end_ns = T0 + SEC;
	r->window_ns = SEC;
	hand_dev(r, 0, link_bps, 16);
	hand_wl(r, 0, 100, "vision", 1000, 100000, 10000, 600 * MS, 4);
	hand_wl(r, 1, 200, "bert|x,\"y\"", 500, 200000, 1000, 900 * MS, 8);
	a = &r->wl[0];		/* adding moves the array: pointers after */
	b = &r->wl[1];
	set_stage(a, QP_STAGE_SUBMIT, 2000, 10 * US);
	set_stage(a, QP_STAGE_DEVICE, 2000, 800 * US);
	set_stage(a, QP_STAGE_COMPLETE, 2000, 5 * US);
	set_stage(a, QP_STAGE_WAKEUP, 1000, 20 * US);
	set_stage(a, QP_STAGE_E2E, 1000, 835 * US);
	set_stage(b, QP_STAGE_SUBMIT, 1000, 900 * US);
	set_stage(b, QP_STAGE_DEVICE, 1000, 300 * US);
	report_compute(r);
}

static void test_nsp_bound(void)
{
	struct report r;
	const struct report_wl *a, *b;
	const struct report_dev *d;
	double nsp_a = (0.6 - 0.11) * 4, nsp_b = (0.9 - 0.1005) * 8;
	unsigned int i;

	mix_report(&r, 1000000000ull);
	a = &r.wl[0];
	b = &r.wl[1];
	d = &r.dev[0];
	CHECK_NEAR(a->exec_per_sec, 1000);
	CHECK_NEAR(a->bos_per_sec, 2000);
	CHECK_NEAR(a->bytes_per_exec[QP_DIR_IN], 100000);
	CHECK_NEAR(a->bytes_per_exec[QP_DIR_OUT], 10000);
	CHECK_NEAR(a->bytes_per_sec[QP_DIR_IN], 1e8);
	CHECK_NEAR(b->bytes_per_sec[QP_DIR_OUT], 5e5);
	CHECK_NEAR(a->busy_frac, 0.6);
	CHECK_NEAR(a->dbc_limit, 1 / 0.6);
	CHECK_NEAR(a->xfer_ns, 0.11e9);
	CHECK_NEAR(a->compute_ns, 0.49e9);
	CHECK_NEAR(a->compute_per_exec_ns, 0.49e6);
	CHECK_NEAR(a->nsp_busy, nsp_a);
	CHECK_NEAR(b->xfer_ns, 0.1005e9);
	CHECK_NEAR(b->nsp_busy, nsp_b);
	CHECK_NEAR(d->bytes_per_sec[QP_DIR_IN], 2e8);
	CHECK_NEAR(d->util[REPORT_RES_LINK_IN], 0.2);
	CHECK_NEAR(d->util[REPORT_RES_LINK_OUT], 0.0105);
	CHECK_NEAR(d->nsp_busy, nsp_a + nsp_b);
	CHECK_NEAR(d->util[REPORT_RES_NSP], (nsp_a + nsp_b) / 16);
	CHECK_EQ(d->bottleneck, REPORT_RES_NSP);
	CHECK_NEAR(d->headroom, 16 / (nsp_a + nsp_b));
	CHECK_NEAR(d->exec_per_sec, 1500);
	CHECK_NEAR(a->exec_per_sec_at_headroom, 1000 * 16 / (nsp_a + nsp_b));
	CHECK_NEAR(b->exec_per_sec_at_headroom, 500 * 16 / (nsp_a + nsp_b));
	/* A's dominant stage is the device: 800 of 835 us; B's submit: 900 of 1200. */
	CHECK_EQ(a->dominant, QP_STAGE_DEVICE);
	CHECK_NEAR(a->dominant_share, 800.0 / 835);
	/* live: no closer estimate */
	CU_ASSERT(isnan(a->nsp_busy_rec));
	CU_ASSERT(isnan(d->nsp_util_rec));
	CHECK_EQ(d->bottleneck_rec, -1);
	CHECK_EQ(b->dominant, QP_STAGE_SUBMIT);
	CHECK_NEAR(b->dominant_share, 0.75);
	/* The DBCs, 60% and 90% busy, limit A to x1.67 and B to x1.11, below x1.91. */
	CU_ASSERT(has_note(&r, "dev 0 dbc 0 pid 100: its DBC was busy 60.0%", "x1.67"));
	CU_ASSERT(has_note(&r, "dev 0 dbc 1 pid 200: its DBC was busy 90.0%", "x1.11"));
	CU_ASSERT(has_note(&r, "an estimate and an upper bound", "NSPs one inference holds"));
	CU_ASSERT(has_note(&r, "one inference at a time", "lower bound"));
	CU_ASSERT(has_note(&r, "Headroom", "linear scaling"));
	CU_ASSERT(has_note(&r, "dev 0: link Gen4 x8", "from sysfs"));
	CU_ASSERT(!has_note(&r, "Where wakeup dominates", NULL));
	for (i = 0; i < r.n_notes; i++) {	/* none cut short */
		if (strlen(r.notes[i]) >= REPORT_NOTE_LEN - 1)
			printf("# note %u is %zu long\n", i, strlen(r.notes[i]));
		CU_ASSERT(strlen(r.notes[i]) < REPORT_NOTE_LEN - 1);
	}
	report_free(&r);
}

static void test_link_in_bound(void)
{
	struct report r;
	const struct report_dev *d;
	double nsp;

	mix_report(&r, 250000000ull);		/* 250 MB/s: 200 MB/s in is 80% */
	d = &r.dev[0];
	CHECK_NEAR(r.wl[0].xfer_ns, 0.44e9);
	CHECK_NEAR(r.wl[0].compute_ns, 0.16e9);
	nsp = 0.16 * 4 + (0.9 - 0.402) * 8;
	CHECK_NEAR(d->util[REPORT_RES_NSP], nsp / 16);
	CHECK_NEAR(d->util[REPORT_RES_LINK_IN], 0.8);
	CHECK_NEAR(d->util[REPORT_RES_LINK_OUT], 0.042);
	CHECK_EQ(d->bottleneck, REPORT_RES_LINK_IN);
	CHECK_NEAR(d->headroom, 1.25);
	CHECK_NEAR(r.wl[1].exec_per_sec_at_headroom, 625);
	report_free(&r);
}

static void test_link_out_bound(void)
{
	struct report r;
	const struct report_dev *d;

	report_init(&r);
	r.window_ns = 2 * SEC;
	hand_dev(&r, 0, 1000000000ull, 16);
	/* 2 s: 1000 executes of 1 kB in, 1.8 MB out: 900 MB/s out of 1 GB/s */
	hand_wl(&r, 2, 300, "decode", 1000, 1000, 1800000, 1900 * MS, 1);
	report_compute(&r);
	d = &r.dev[0];
	CHECK_NEAR(d->util[REPORT_RES_LINK_OUT], 0.9);
	CHECK_NEAR(d->util[REPORT_RES_LINK_IN], 0.0005);
	/* compute <= 1.9 s - 1.801 s of transfers */
	CHECK_NEAR(r.wl[0].compute_ns, 0.099e9);
	CHECK_NEAR(d->util[REPORT_RES_NSP], 0.099 / 2 / 16);
	CHECK_EQ(d->bottleneck, REPORT_RES_LINK_OUT);
	CHECK_NEAR(d->headroom, 1 / 0.9);
	CHECK_NEAR(r.wl[0].exec_per_sec_at_headroom, 500 / 0.9);
	report_free(&r);
}

static void test_unknowns(void)
{
	struct report r;
	struct report_dev *d;

	/* No link known: no link figures, the NSP bound subtracts no transfer time. */
	mix_report(&r, 0);
	d = &r.dev[0];
	CU_ASSERT(isnan(d->util[REPORT_RES_LINK_IN]));
	CU_ASSERT(isnan(d->util[REPORT_RES_LINK_OUT]));
	CHECK_NEAR(r.wl[0].xfer_ns, 0);
	CHECK_NEAR(r.wl[0].nsp_busy, 0.6 * 4);
	CHECK_EQ(d->bottleneck, REPORT_RES_NSP);
	CHECK_NEAR(d->headroom, 16 / (0.6 * 4 + 0.9 * 8));
	CU_ASSERT(has_note(&r, "dev 0: link capacity unknown", NULL));

	/* ... nor the NSP count: nothing to name. */
	d->info.num_nsp = 0;
	report_compute(&r);
	CHECK_EQ(d->bottleneck, -1);
	CU_ASSERT(isnan(d->headroom));
	CU_ASSERT(isnan(r.wl[0].exec_per_sec_at_headroom));
	CU_ASSERT(has_note(&r, "dev 0: NSP count unknown", NULL));

	/* A workload whose DBC time is unknown: no NSP figure for the device. */
	d->info.num_nsp = 16;
	d->info.link_known = true;
	d->info.link_bps = 1000000000ull;
	r.wl[1].has_busy = 0;
	report_compute(&r);
	CU_ASSERT(isnan(r.wl[1].nsp_busy));
	CU_ASSERT(isnan(r.wl[1].compute_per_exec_ns));
	CU_ASSERT(isnan(d->util[REPORT_RES_NSP]));
	CHECK_EQ(d->bottleneck, REPORT_RES_LINK_IN);
	CHECK_NEAR(d->headroom, 5);
	CU_ASSERT(has_note(&r, "dev 0 dbc 1 pid 200: its DBC's busy time is not known", NULL));
	report_free(&r);

	/* No traffic at all, and an empty window. */
	report_init(&r);
	r.window_ns = SEC;
	hand_dev(&r, 0, 1000000000ull, 16);
	hand_wl(&r, 0, 1, "idle", 0, 0, 0, 0, 1);
	report_compute(&r);
	CHECK_EQ(r.dev[0].bottleneck, -1);
	CU_ASSERT(isnan(r.wl[0].bytes_per_exec[QP_DIR_IN]));
	CHECK_EQ(r.wl[0].dominant, -1);
	set_stage(&r.wl[0], QP_STAGE_SUBMIT, 1, 5 * US);
	set_stage(&r.wl[0], QP_STAGE_WAKEUP, 1, 50 * US);
	report_compute(&r);
	CHECK_EQ(r.wl[0].dominant, QP_STAGE_WAKEUP);
	CU_ASSERT(has_note(&r, "Where wakeup dominates", NULL));
	r.window_ns = 0;
	report_compute(&r);
	CU_ASSERT(isnan(r.wl[0].exec_per_sec));
	CU_ASSERT(isnan(r.dev[0].util[REPORT_RES_LINK_IN]));
	report_free(&r);
}

/* ---- report_build on a hand-built snapshot ------------------------------------------------ */

static int fake_devinfo(void *ctx, uint32_t minor, struct devinfo *out)
{
	(void)ctx;
	memset(out, 0, sizeof(*out));
	out->minor = minor;
	if (minor != 0)
		return -ENODEV;
	snprintf(out->node, sizeof(out->node), "/dev/accel/accel0");
	out->link_known = true;
	out->link_gen = 4;
	out->link_width = 8;
	out->link_bps = 14400000000ull;
	out->link_payload = true;
	out->num_nsp = 16;
	return 0;
}

static struct snap_workload *snap_wl(struct snapshot *s, uint32_t dev, uint32_t dbc,
				     uint32_t pid, const char *comm)
{
	struct qp_wl_key k = key(dev, dbc, pid, 9);
	struct snap_workload *w = snap_add_wl(s, &k);

	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	snprintf(w->stats.comm, sizeof(w->stats.comm), "%s", comm);
	return w;
}

static void fill_wl(struct snap_workload *w, uint64_t execs, uint64_t device_ns)
{
	uint64_t i;

	w->stats.executes = execs;
	w->stats.enq[QP_DIR_IN] = w->stats.done[QP_DIR_IN] = execs;
	w->stats.enq[QP_DIR_OUT] = w->stats.done[QP_DIR_OUT] = execs;
	w->stats.enq_bytes[QP_DIR_IN] = w->stats.done_bytes[QP_DIR_IN] = execs * 65536;
	w->stats.enq_bytes[QP_DIR_OUT] = w->stats.done_bytes[QP_DIR_OUT] = execs * 4096;
	for (i = 0; i < 2 * execs; i++) {
		uint64_t ns = device_ns + i * 1000;

		w->hist[QP_STAGE_DEVICE].slots[qp_hist_slot(ns)]++;
		w->stats.lat_sum_ns[QP_STAGE_DEVICE] += ns;
	}
}

static void test_build_from_snapshot(void)
{
	struct report_nsp_rules rules;
	struct report_inputs in = { .devinfo = fake_devinfo, .nsps = &rules, .source = "test" };
	struct snap_workload *a, *b;
	struct snap_dbc *dbc;
	struct snapshot s;
	struct args_err err;
	struct report r;
	double p;
	unsigned int i;

	snap_init(&s);
	s.since_ns = T0;
	s.ts_ns = T0 + 2 * SEC;
	s.counters[QP_CNT_ORPHAN_COMPLETE] = 3;
	a = snap_wl(&s, 0, 0, 100, "vision");
	fill_wl(a, 200, 500 * US);
	b = snap_wl(&s, 0, 0, 101, "vision2");	/* took DBC 0 over in the window */
	fill_wl(b, 200, 500 * US);
	b->stats.lat_sum_ns[QP_STAGE_DEVICE] = 3 * a->stats.lat_sum_ns[QP_STAGE_DEVICE];
	snap_wl(&s, 0, 5, 102, "idle");			/* did nothing: left out */
	fill_wl(snap_wl(&s, 128, 2, 103, "far"), 10, 50 * US);	/* device not on this host */
	dbc = snap_add_dbc(&s, 0, 0);
	dbc->has_state = 1;
	dbc->state.busy_ns = 1200 * MS;
	snap_add_dbc(&s, 128, 2);			/* no state: busy unknown */
	snap_sort(&s);

	report_nsps_init(&rules);
	CHECK_OK(report_nsps_parse(&rules, "pid101=4", &err));
	CHECK_OK(report_nsps_parse(&rules, "comm=nobody:2", &err));
	report_init(&r);
	CHECK_OK(report_build(&r, &s, &in));
	CHECK_EQ(r.window_ns, 2 * SEC);
	CHECK_EQ(r.start_ns, T0);
	CHECK_EQ(r.n_wl, 3);
	CHECK_EQ(r.n_dev, 2);
	CHECK_EQ(r.has_counters, 1);
	CHECK_EQ(r.counters[QP_CNT_ORPHAN_COMPLETE], 3);
	CU_ASSERT_STRING_EQUAL(r.wl[0].comm, "vision");
	CHECK_EQ(r.wl[0].executes, 200);
	CHECK_EQ(r.wl[0].bytes[QP_DIR_IN], 200 * 65536);
	/* DBC 0's 1.2 s split 1:3 by device-stage time */
	CHECK_EQ(r.wl[0].busy_ns, 300 * MS);
	CHECK_EQ(r.wl[1].busy_ns, 900 * MS);
	CHECK_EQ(r.wl[0].dbc_shared, 1);
	CHECK_EQ(r.wl[2].has_busy, 0);
	CHECK_EQ(r.wl[0].nsps, 1);
	CHECK_EQ(r.wl[0].nsp_rule, -1);
	CHECK_EQ(r.wl[1].nsps, 4);
	CHECK_EQ(r.wl[1].nsp_rule, 0);
	/* percentiles: those of the histogram */
	for (i = 0; i < STAGE_NPCT; i++) {
		p = hist_percentile(&a->hist[QP_STAGE_DEVICE], stage_pcts[i]);
		CHECK_NEAR(r.wl[0].stage[QP_STAGE_DEVICE].pct_ns[i], p);
	}
	CHECK_EQ(r.wl[0].stage[QP_STAGE_DEVICE].count, 400);
	CHECK_EQ(r.wl[0].stage[QP_STAGE_SUBMIT].count, 0);
	/* device facts: sysfs for dev 0, nothing for dev 128 */
	CHECK_EQ(r.dev[0].found, 1);
	CHECK_EQ(r.dev[0].info.link_bps, 14400000000ull);
	CHECK_EQ(r.dev[1].found, 0);
	CHECK_EQ(r.dev[1].info.minor, 128);
	CU_ASSERT(isnan(r.dev[1].util[REPORT_RES_NSP]));
	CHECK_NEAR(r.wl[0].xfer_ns, 200 * (65536 + 4096) / 14.4);
	CU_ASSERT(has_note(&r, "dev 0 dbc 0: several workloads", NULL));
	CU_ASSERT(has_note(&r, "--nsps comm=nobody:2 matched no workload", NULL));
	CU_ASSERT(has_note(&r, "--nsps pid101=4 applied to 1 workload", NULL));
	CU_ASSERT(has_note(&r, "1 for 2 workload(s) no --nsps rule named (assumed)", NULL));
	CU_ASSERT(has_note(&r, "orphan completions 3", NULL));
	CU_ASSERT(has_note(&r, "dev 128: link capacity unknown (device not found", NULL));
	report_free(&r);

	/* --link-bps and --num-nsp replace what sysfs says, for every device. */
	in.link_bps = 1000000000ull;
	in.num_nsp = 8;
	report_nsps_init(&rules);
	report_init(&r);
	CHECK_OK(report_build(&r, &s, &in));
	for (i = 0; i < r.n_dev; i++) {
		CHECK_EQ(r.dev[i].info.link_bps, 1000000000ull);
		CHECK_EQ(r.dev[i].info.num_nsp, 8);
		CHECK_EQ(r.dev[i].link_overridden, 1);
		CHECK_EQ(r.dev[i].nsp_overridden, 1);
	}
	CU_ASSERT_STRING_EQUAL(r.dev[0].info.node, "/dev/accel/accel0");
	CU_ASSERT(has_note(&r, "dev 128: link 1000.0 MB/s per direction (--link-bps)", NULL));
	CU_ASSERT(has_note(&r, "dev 0: 8 NSPs, given by --num-nsp", NULL));
	report_free(&r);
	snap_free(&s);
}

/* ---- from a recording ------------------------------------------------------------------------- */

struct events {
	struct qp_event ev[4096];
	size_t n;
	uint64_t seq[4];
	uint64_t device_ns[2][QP_DIR_N][64];	/* per workload and direction, as generated */
	unsigned int n_device[2][QP_DIR_N];
};

static struct qp_event *ev_new(struct events *e, uint32_t type, uint32_t dbc, uint32_t tgid)
{
	struct qp_event *x = &e->ev[e->n++];

	CU_ASSERT_FATAL(e->n <= sizeof(e->ev) / sizeof(e->ev[0]));
	memset(x, 0, sizeof(*x));
	x->type = type;
	x->dev = 0;
	x->dbc = dbc;
	x->tgid = tgid;
	x->tid = tgid;
	x->cgroup = 5;
	snprintf(x->comm, sizeof(x->comm), "w%u", dbc);
	return x;
}

/*
 * One execute of an input and an output BO on dbc at t0: doorbell 5 us
 * later, the input seen after in_ns, the output after out_ns, each
 * completed 2 us after and waited 3 us after that.
 */
static void gen_execute(struct events *e, unsigned int w, uint32_t dbc, uint32_t tgid,
			uint64_t t0, uint64_t in_bytes, uint64_t out_bytes, uint64_t in_ns,
			uint64_t out_ns)
{
	uint64_t doorbell = t0 + 5 * US;
	struct qp_event *x;
	unsigned int d;

	x = ev_new(e, QP_EV_EXECUTE, dbc, tgid);
	x->ts = t0;
	x->count = 2;
	for (d = 0; d < QP_DIR_N; d++) {
		uint64_t seq = e->seq[dbc]++, seen = doorbell + (d ? out_ns : in_ns);

		x = ev_new(e, QP_EV_ENQUEUE, dbc, tgid);
		x->handle = 10 + d;
		x->seq = seq;
		x->ts = x->submit_ts = t0;
		x->bytes = d ? out_bytes : in_bytes;
		x->dir = d;
		x->count = 1;
		x = ev_new(e, QP_EV_COMPLETE, dbc, tgid);
		x->handle = 10 + d;
		x->seq = seq;
		x->ts = seen + 2 * US;
		x->submit_ts = t0;
		x->doorbell_ts = doorbell;
		x->seen_ts = seen;
		x->bytes = d ? out_bytes : in_bytes;
		x->dir = d;
		x = ev_new(e, QP_EV_WAIT, dbc, tgid);
		x->handle = 10 + d;
		x->seq = seq;
		x->ts = seen + 5 * US;
		x->waited_ns = 1 * US;
		e->device_ns[w][d][e->n_device[w][d]++] = seen - doorbell;
	}
	x = ev_new(e, QP_EV_DOORBELL, dbc, tgid);
	x->ts = doorbell;
	x->count = 2;
}

/*
 * DBC 1 (pid 100): ten executes 2 ms apart, one at a time: input seen
 * 100 us + k us after the doorbell, output 1100 us + 3k us: busy 10 x
 * (1100 us + 3k us). DBC 2 (pid 200): eight executes 1 ms apart whose
 * device stages (1500 us) overlap: busy from the first doorbell to the
 * last output seen, 7 ms + 1.5 ms.
 */
static struct trace_model *recording(struct events *e)
{
	struct trace_model *m = trace_model_new();
	unsigned int k;
	size_t i;

	memset(e, 0, sizeof(*e));
	e->seq[1] = 500;
	e->seq[2] = 65534;	/* wraps the 16-bit request id */
	for (k = 0; k < 10; k++)
		gen_execute(e, 0, 1, 100, T0 + k * 2 * MS, 1000000, 4096, 100 * US + k * US,
			    1100 * US + 3 * k * US);
	for (k = 0; k < 8; k++)
		gen_execute(e, 1, 2, 200, T0 + 50 * US + k * MS, 65536, 65536, 200 * US,
			    1500 * US);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	for (i = e->n; i > 0; i--)	/* any arrival order */
		CHECK_OK(trace_model_add_event(m, &e->ev[i - 1], sizeof(e->ev[0])));
	CHECK_OK(trace_model_finish(m));
	return m;
}

static void hist_of(struct qp_hist *h, const uint64_t *v, unsigned int n)
{
	unsigned int i;

	memset(h, 0, sizeof(*h));
	for (i = 0; i < n; i++)
		h->slots[qp_hist_slot(v[i])]++;
}

static void check_recording_report(const struct report *r, const struct events *e)
{
	const struct report_wl *a = &r->wl[0], *b = &r->wl[1];
	uint64_t window = 18 * MS + 5 * US + 1127 * US + 5 * US;	/* DBC 1's last wait */
	uint64_t busy_a = 0, all[2 * 64];
	struct qp_hist h;
	unsigned int i, k, d;

	CHECK_EQ(r->n_wl, 2);
	CHECK_EQ(r->window_ns, window);
	CHECK_EQ(r->start_ns, T0);
	CHECK_EQ(a->key.dbc, 1);
	CHECK_EQ(a->key.tgid, 100);
	CHECK_EQ(a->key.cgroup, 5);
	CU_ASSERT_STRING_EQUAL(a->comm, "w1");
	CHECK_EQ(a->executes, 10);
	CHECK_EQ(a->bos[QP_DIR_IN], 10);
	CHECK_EQ(a->bos[QP_DIR_OUT], 10);
	CHECK_EQ(a->bytes[QP_DIR_IN], 10 * 1000000);
	CHECK_EQ(a->bytes[QP_DIR_OUT], 10 * 4096);
	CHECK_EQ(a->waits, 20);
	CHECK_EQ(b->executes, 8);
	CHECK_EQ(b->bytes[QP_DIR_OUT], 8 * 65536);
	CHECK_NEAR(a->exec_per_sec, 10 * 1e9 / window);
	CHECK_NEAR(a->bytes_per_exec[QP_DIR_IN], 1000000);
	/* busy: the union of [doorbell, seen] */
	for (k = 0; k < 10; k++)
		busy_a += 1100 * US + 3 * k * US;
	CHECK_EQ(a->busy_ns, busy_a);
	CHECK_EQ(b->busy_ns, 7 * MS + 1500 * US);
	CHECK_EQ(a->dbc_shared, 0);
	/* compute <= busy - bytes at 10 GB/s, on 2 NSPs (dbc1=2) */
	CHECK_NEAR(a->xfer_ns, 10 * (1000000 + 4096) / 10.0);
	CHECK_NEAR(a->nsp_busy, 2 * ((double)busy_a - 10 * (1000000 + 4096) / 10.0) / window);
	CHECK_EQ(a->nsps, 2);
	CHECK_EQ(b->nsps, 1);
	/*
	 * The closer estimate: each output BO's time past its input's response,
	 * (1000 + 2k) us on DBC 1, 1300 us on DBC 2, less the output bytes.
	 */
	CHECK_EQ(a->has_out_side, 1);
	CHECK_EQ(a->out_side_ns, 10 * 1000 * US + 90 * US);
	CHECK_EQ(b->out_side_ns, 8 * 1300 * US);
	CHECK_NEAR(a->nsp_busy_rec, 2 * (10090.0 * US - 10 * 4096 / 10.0) / window);
	CHECK_NEAR(b->nsp_busy_rec, (10400.0 * US - 8 * 65536 / 10.0) / window);
	CHECK_NEAR(r->dev[0].nsp_util_rec, (a->nsp_busy_rec + b->nsp_busy_rec) / 16);
	CHECK_EQ(r->dev[0].bottleneck_rec, REPORT_RES_NSP);
	CHECK_NEAR(r->dev[0].headroom_rec, 1 / r->dev[0].nsp_util_rec);
	CU_ASSERT(a->nsp_busy_rec < a->nsp_busy);	/* one at a time on DBC 1 */
	CU_ASSERT(has_note(r, "Closer NSP estimate", "Not a strict bound"));
	CU_ASSERT(!has_note(r, "Where wakeup dominates", NULL));
	/* every stage, counted as the BPF side counts: 20 BOs each, 20 waits */
	for (i = 0; i < QP_STAGE_N; i++)
		CHECK_EQ(a->stage[i].count, 20);
	CHECK_NEAR(a->stage[QP_STAGE_SUBMIT].mean_ns, 5 * US);
	for (k = 0; k < 20; k++)
		all[k] = 2 * US;
	hist_of(&h, all, 20);
	CHECK_NEAR(a->stage[QP_STAGE_COMPLETE].pct_ns[STAGE_NPCT - 1],
		   hist_percentile(&h, stage_pcts[STAGE_NPCT - 1]));
	CHECK_NEAR(a->stage[QP_STAGE_COMPLETE].mean_ns, 2 * US);
	/* percentiles of the device stage: those of a histogram of the same values */
	memcpy(all, e->device_ns[0][QP_DIR_IN], 10 * sizeof(all[0]));
	memcpy(all + 10, e->device_ns[0][QP_DIR_OUT], 10 * sizeof(all[0]));
	hist_of(&h, all, 20);
	for (i = 0; i < STAGE_NPCT; i++)
		CHECK_NEAR(a->stage[QP_STAGE_DEVICE].pct_ns[i], hist_percentile(&h, stage_pcts[i]));
	CHECK_EQ(a->stage[QP_STAGE_DEVICE].count, 20);
	/* ... and per direction */
	CHECK_EQ(a->has_dir_device, 1);
	for (d = 0; d < QP_DIR_N; d++) {
		hist_of(&h, e->device_ns[0][d], e->n_device[0][d]);
		CHECK_EQ(a->device_dir[d].count, 10);
		for (i = 0; i < STAGE_NPCT; i++)
			CHECK_NEAR(a->device_dir[d].pct_ns[i], hist_percentile(&h, stage_pcts[i]));
	}
	CHECK_NEAR(b->device_dir[QP_DIR_OUT].mean_ns, 1500 * US);
	CHECK_EQ(a->dominant, QP_STAGE_DEVICE);
	CHECK_EQ(r->has_trace_counts, 1);
	CHECK_EQ(r->trace.dropped, 0);
	CHECK_EQ(r->unattributed, 0);
	CHECK_EQ(r->has_counters, 0);
	CU_ASSERT(has_note(r, "Device stage per BO direction", NULL));
	CU_ASSERT(has_note(r, "first to the last event of the recording", NULL));
}

static struct report_inputs trace_inputs(struct report_nsp_rules *rules)
{
	struct args_err err;

	report_nsps_init(rules);
	CHECK_OK(report_nsps_parse(rules, "dbc1=2", &err));
	return (struct report_inputs){ .devinfo = fake_devinfo, .nsps = rules,
				       .link_bps = 10000000000ull, .source = "synthetic",
				       .from_trace = 1 };
}

static struct events gen_events;

static void test_from_recording(void)
{
	struct trace_model *m = recording(&gen_events);
	struct report_nsp_rules rules;
	struct report_inputs in = trace_inputs(&rules);
	struct prof_filter f = PROF_FILTER_ALL;
	struct report r;

	report_init(&r);
	CHECK_OK(report_from_trace(&r, m, &f, &in));
	check_recording_report(&r, &gen_events);
	report_free(&r);

	/* --dbc 2: only its workload (the window stays the recording's) */
	f.dbc = 2;
	report_init(&r);
	CHECK_OK(report_from_trace(&r, m, &f, &in));
	CHECK_EQ(r.n_wl, 1);
	CHECK_EQ(r.wl[0].key.dbc, 2);
	CHECK_EQ(r.wl[0].executes, 8);
	CHECK_EQ(r.wl[0].busy_ns, 7 * MS + 1500 * US);
	report_free(&r);
	f = PROF_FILTER_ALL;
	f.tgid = 4242;
	report_init(&r);
	CHECK_OK(report_from_trace(&r, m, &f, &in));
	CHECK_EQ(r.n_wl, 0);
	report_free(&r);
	trace_model_free(m);
}

/* record -o FILE, then report --from FILE: the same report. */
static void test_recording_through_file(void)
{
	struct trace_model *m = recording(&gen_events), *back = NULL;
	struct report_nsp_rules rules;
	struct report_inputs in = trace_inputs(&rules);
	char *text = NULL, msg[256];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct report r;

	CHECK_OK(trace_write(f, m, NULL));
	fclose(f);
	f = fmemopen(text, len, "r");
	CHECK_OK(trace_read_stream(f, "mem", &back, NULL, msg, sizeof(msg)));
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(back);
	report_init(&r);
	CHECK_OK(report_from_trace(&r, back, NULL, &in));
	check_recording_report(&r, &gen_events);
	report_free(&r);
	trace_model_free(back);
	trace_model_free(m);
	free(text);
}

/* ---- renderers ---------------------------------------------------------------------------- */

static char *rendered(const struct report *r, enum report_format fmt, enum prof_unit unit)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CHECK_OK(report_render(f, r, fmt, unit));
	fclose(f);
	return text;
}

static void test_text(void)
{
	struct report r;
	char *t, num[16];
	unsigned int i;

	mix_report(&r, 1000000000ull);
	t = rendered(&r, REPORT_FMT_TEXT, PROF_UNIT_US);
	CU_ASSERT(strstr(t, "qaic-prof capacity report: hand-built\nWindow: 1.000 s, live\n") == t);
	CU_ASSERT(strstr(t, "\nThroughput per workload\nDEV  DBC  PID") != NULL);
	CU_ASSERT(strstr(t, "\nLatency per stage (us)\n") != NULL);
	CU_ASSERT(strstr(t, "p99.9(us)") != NULL);
	CU_ASSERT(strstr(t, "\nCapacity per workload (<=: upper bound)\n") != NULL);
	CU_ASSERT(strstr(t, "\nDevice 0 (/dev/accel/accel0): link Gen4 x8, 1000.0 MB/s per direction "
			 "(payload); 16 NSPs\n") != NULL);
	CU_ASSERT(strstr(t, "Bottleneck: the NSPs. Headroom x") != NULL);
	CU_ASSERT(strstr(t, "device 96%") != NULL);	/* A's dominant stage, 800/835 */
	CU_ASSERT(strstr(t, "\nAssumptions and caveats\n") != NULL);
	for (i = 0; i < r.n_notes; i++) {
		snprintf(num, sizeof(num), "\n%3u. ", i + 1);
		CU_ASSERT(strstr(t, num) != NULL);
	}
	for (i = 0; t[i]; i++)
		CU_ASSERT(t[i] == '\n' || (t[i] >= 0x20 && t[i] < 0x7f));
	free(t);
	report_free(&r);
}

/* Fields of every CSV record (RFC 4180 quoting), into counts[]; returns records. */
static size_t csv_shape(const char *s, size_t *counts, size_t max)
{
	size_t records = 0, fields = 1;
	int quoted = 0;

	for (; *s; s++) {
		if (quoted) {
			if (*s == '"' && s[1] == '"')
				s++;
			else if (*s == '"')
				quoted = 0;
		} else if (*s == '"') {
			quoted = 1;
		} else if (*s == ',') {
			fields++;
		} else if (*s == '\n') {
			if (records < max)
				counts[records] = fields;
			records++;
			fields = 1;
		}
	}
	return records;
}

/* The index of a header name, or -1. */
static int csv_col(const char *csv, const char *name)
{
	size_t n = strlen(name);
	const char *p = csv;
	int i = 0;

	while (*p && *p != '\n') {
		if (!strncmp(p, name, n) && (p[n] == ',' || p[n] == '\n'))
			return i;
		p += strcspn(p, ",\n");
		if (*p == ',')
			p++;
		i++;
	}
	return -1;
}

/* Field i of line `line` (0: the header), unquoted fields only. */
static void csv_field(const char *csv, unsigned int line, int i, char *buf, size_t size)
{
	const char *p = csv;
	size_t n;

	while (line--)
		p = strchr(p, '\n') + 1;
	while (i--)
		p += strcspn(p, ",\n") + 1;
	n = strcspn(p, ",\n");
	snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), p);
}

static void test_csv(void)
{
	size_t counts[8], n, i;
	struct report r;
	char *t, field[64];
	int col;

	mix_report(&r, 1000000000ull);
	t = rendered(&r, REPORT_FMT_CSV, PROF_UNIT_US);
	n = csv_shape(t, counts, 8);
	CHECK_EQ(n, 3);
	for (i = 1; i < n; i++)
		CHECK_EQ(counts[i], counts[0]);
	CHECK_EQ(counts[0], 16 + 7 * 6 + 18);
	CU_ASSERT(strstr(t, "window_ns,dev,dbc,pid,comm,cgroup,executes,") == t);
	CU_ASSERT(csv_col(t, "device_p999_us") > 0);
	CU_ASSERT(csv_col(t, "device_out_p99_us") > 0);
	CU_ASSERT(csv_col(t, "compute_per_execute_upper_us") > 0);
	CU_ASSERT(strstr(t, ",\"bert|x,\"\"y\"\"\",") != NULL);	/* quoted */
	col = csv_col(t, "dev_bottleneck");
	CU_ASSERT_FATAL(col > 0);
	csv_field(t, 1, col, field, sizeof(field));
	CU_ASSERT_STRING_EQUAL(field, "nsp");
	col = csv_col(t, "executes");
	csv_field(t, 1, col, field, sizeof(field));
	CU_ASSERT_STRING_EQUAL(field, "1000");
	col = csv_col(t, "device_mean_us");
	csv_field(t, 1, col, field, sizeof(field));
	CU_ASSERT_STRING_EQUAL(field, "800.000");
	col = csv_col(t, "device_in_count");		/* not known live: empty */
	csv_field(t, 1, col, field, sizeof(field));
	CU_ASSERT_STRING_EQUAL(field, "");
	free(t);
	t = rendered(&r, REPORT_FMT_CSV, PROF_UNIT_MS);
	CU_ASSERT(csv_col(t, "e2e_p50_ms") > 0);
	csv_field(t, 1, csv_col(t, "device_mean_ms"), field, sizeof(field));
	CU_ASSERT_STRING_EQUAL(field, "0.800");
	free(t);
	report_free(&r);
}

/* Unescaped pipes of a Markdown line. */
static unsigned int md_pipes(const char *line, size_t len)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (line[i] == '\\')
			i++;
		else if (line[i] == '|')
			n++;
	}
	return n;
}

static void check_markdown(const char *t, unsigned int want_tables, unsigned int notes)
{
	unsigned int tables = 0, in_table = 0, pipes = 0, row = 0, numbered = 0;
	const char *line = t;

	while (*line) {
		size_t len = strcspn(line, "\n");

		if (len && line[0] == '|') {
			unsigned int p = md_pipes(line, len);

			CU_ASSERT(line[len - 1] == '|');
			if (!in_table) {
				in_table = 1;
				tables++;
				pipes = p;
				row = 0;
			} else {
				if (p != pipes)
					printf("# markdown row has %u pipes, header %u: %.*s\n", p,
					       pipes, (int)len, line);
				CHECK_EQ(p, pipes);
			}
			if (row == 1) {	/* the alignment row */
				size_t i;

				for (i = 0; i < len; i++)
					CU_ASSERT(strchr("|-:", line[i]) != NULL);
			}
			row++;
		} else {
			if (in_table)
				CU_ASSERT(row >= 3);	/* header, alignment, a row at least */
			in_table = 0;
			if (len > 3 && line[0] >= '1' && line[0] <= '9' && strstr(line, ". "))
				numbered++;
		}
		line += len + (line[len] == '\n');
	}
	CHECK_EQ(tables, want_tables);
	CHECK_EQ(numbered, notes);
}

static void test_markdown(void)
{
	struct report r;
	char *t;

	mix_report(&r, 1000000000ull);
	t = rendered(&r, REPORT_FMT_MD, PROF_UNIT_US);
	CU_ASSERT(strstr(t, "# qaic-prof capacity report\n\n- Source: hand-built\n") == t);
	CU_ASSERT(strstr(t, "\n## Throughput per workload\n\n| DEV | DBC |") != NULL);
	CU_ASSERT(strstr(t, "\n|---:|---:|---:|:---|") != NULL);
	CU_ASSERT(strstr(t, "| bert\\|x,\"y\" |") != NULL);
	CU_ASSERT(strstr(t, "| &lt;= ") != NULL);
	CU_ASSERT(strstr(t, "\n## Assumptions and caveats\n\n1. ") != NULL);
	/* throughput, latency, capacity, one device */
	check_markdown(t, 4, r.n_notes);
	free(t);
	report_free(&r);
}

static const struct tj_value *at(const struct tj_value *v, const char *path)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); v && tok; tok = strtok_r(NULL, ".", &save)) {
		if (*tok >= '0' && *tok <= '9') {
			int i = atoi(tok);

			v = v->type == TJ_ARRAY ? v->first : NULL;
			while (v && i--)
				v = v->next;
		} else {
			v = tj_get(v, tok);
		}
	}
	if (!v)
		printf("# JSON has no %s\n", path);
	return v;
}

static int64_t milli(const struct tj_value *v)
{
	int64_t x = INT64_MIN;

	CU_ASSERT_FATAL(v && v->type == TJ_NUMBER);
	CHECK_OK(tj_fixed(v, 3, &x));
	return x;
}

static size_t tj_len(const struct tj_value *v)
{
	size_t n = 0;

	CU_ASSERT_FATAL(v && (v->type == TJ_ARRAY || v->type == TJ_OBJECT));
	for (v = v->first; v; v = v->next)
		n++;
	return n;
}

static void jq_expect(const char *path, const char *program)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "jq -e '%s' '%s' >/dev/null", program, path);
	if (system(cmd) != 0)
		printf("# jq: false: %s\n", program);
	CU_ASSERT(system(cmd) == 0);
}

static void test_json(void)
{
	const struct tj_value *doc, *v;
	struct tj_parser *p;
	struct report r;
	uint64_t u;
	char *t, path[] = "/tmp/test_prof_report.XXXXXX";
	FILE *f;
	int fd;

	mix_report(&r, 1000000000ull);
	t = rendered(&r, REPORT_FMT_JSON, PROF_UNIT_MS);	/* JSON ignores the unit */
	f = fmemopen(t, strlen(t), "r");
	p = tj_open(f, "report");
	CU_ASSERT_FATAL(p != NULL);
	if (tj_value(p, &doc) || tj_end(p)) {
		printf("# %s\n", tj_error(p));
		CU_FAIL_FATAL("the report is not valid JSON");
	}
	CU_ASSERT(tj_is_string(at(doc, "report"), "capacity"));
	CHECK_EQ(tj_len(at(doc, "workloads")), 2);
	CHECK_EQ(tj_len(at(doc, "devices")), 1);
	CHECK_EQ(tj_len(at(doc, "assumptions")), r.n_notes);
	CHECK_OK(tj_uint(at(doc, "window.duration_ns"), &u));
	CHECK_EQ(u, SEC);
	CHECK_OK(tj_uint(at(doc, "workloads.0.executes"), &u));
	CHECK_EQ(u, 1000);
	CU_ASSERT(tj_is_string(at(doc, "workloads.1.comm"), "bert|x,\"y\""));
	CHECK_EQ(milli(at(doc, "workloads.0.stages.device.mean_ns")), 800000000);
	CHECK_EQ(milli(at(doc, "workloads.0.bytes_per_sec.in")), 100000000000LL);
	CU_ASSERT(tj_is_string(at(doc, "workloads.0.dominant_stage.stage"), "device"));
	CHECK_EQ(milli(at(doc, "workloads.0.nsps_busy_upper")), 1960);
	CU_ASSERT(at(doc, "workloads.0.device_by_dir")->type == TJ_NULL);
	CU_ASSERT(tj_is_string(at(doc, "devices.0.bottleneck"), "nsp"));
	CHECK_EQ(milli(at(doc, "devices.0.headroom")), llround(r.dev[0].headroom * 1000));
	CHECK_EQ(milli(at(doc, "devices.0.link_in.util_pct")), 20000);
	CHECK_OK(tj_uint(at(doc, "devices.0.link.bytes_per_sec"), &u));
	CHECK_EQ(u, 1000000000ull);
	v = tj_get(doc, "counters");		/* a hand-built report has none */
	CU_ASSERT(v == NULL);
	tj_close(p);
	fclose(f);

	if (system("jq --version >/dev/null 2>&1") != 0) {
		printf("# jq not installed: jq checks skipped\n");
	} else {
		fd = mkstemp(path);
		CU_ASSERT_FATAL(fd >= 0);
		CU_ASSERT((size_t)write(fd, t, strlen(t)) == strlen(t));
		close(fd);
		jq_expect(path, ".workloads | length == 2");
		jq_expect(path, ".devices[0].nsp.util_pct_upper > 52 and "
			  ".devices[0].nsp.util_pct_upper < 53");
		jq_expect(path, ".devices[0].bottleneck == \"nsp\" and .devices[0].headroom > 1.9");
		jq_expect(path, "[.workloads[].stages | keys | length] == [5, 5]");
		jq_expect(path, ".assumptions | all(type == \"string\")");
		unlink(path);
	}
	free(t);
	report_free(&r);
}

/* A report of a recording renders its per-direction rows in every format. */
static void test_recording_rendered(void)
{
	struct trace_model *m = recording(&gen_events);
	struct report_nsp_rules rules;
	struct report_inputs in = trace_inputs(&rules);
	size_t counts[4];
	struct report r;
	char *t;

	report_init(&r);
	CHECK_OK(report_from_trace(&r, m, NULL, &in));
	t = rendered(&r, REPORT_FMT_TEXT, PROF_UNIT_US);
	CU_ASSERT(strstr(t, "device-in") != NULL);
	CU_ASSERT(strstr(t, "device-out") != NULL);
	CU_ASSERT(strstr(t, "the recording's first to last event") != NULL);
	CU_ASSERT(strstr(t, "\nNSPs~ ") != NULL);
	CU_ASSERT(strstr(t, "With the closer NSP estimate (NSPs~): the NSPs first, at x") != NULL);
	free(t);
	t = rendered(&r, REPORT_FMT_MD, PROF_UNIT_US);
	check_markdown(t, 4, r.n_notes);
	CU_ASSERT(strstr(t, "| device-out |") != NULL);
	free(t);
	t = rendered(&r, REPORT_FMT_CSV, PROF_UNIT_US);
	CHECK_EQ(csv_shape(t, counts, 4), 3);
	CHECK_EQ(counts[1], counts[0]);
	CHECK_EQ(counts[2], counts[0]);
	free(t);
	t = rendered(&r, REPORT_FMT_JSON, PROF_UNIT_US);
	CU_ASSERT(strstr(t, "\"device_by_dir\":{\"in\":{\"count\":10,") != NULL);
	CU_ASSERT(strstr(t, "\"recording\":{\"events\":") != NULL);
	CU_ASSERT(strstr(t, "\"nsp_estimate\":{\"busy\":") != NULL);
	free(t);
	report_free(&r);
	trace_model_free(m);
}

static CU_TestInfo tests[] = {
	{ "--nsps: rules, order of matching, defaults, bad rules refused", test_nsps_rules },
	{ "--format names", test_format_parse },
	{ "NSP-bound mix: throughput, bytes, link use, NSP bound, headroom, dominant stage",
	  test_nsp_bound },
	{ "link-in bound: a slower link moves the bottleneck", test_link_in_bound },
	{ "link-out bound", test_link_out_bound },
	{ "unknown link, NSP count or DBC time give no figure, not a made-up one",
	  test_unknowns },
	{ "report from a snapshot: shared DBC split, device facts, overrides, rules",
	  test_build_from_snapshot },
	{ "report from a recording: counts, busy union, percentiles, per direction, filters",
	  test_from_recording },
	{ "report from a recording read back from its file: the same figures",
	  test_recording_through_file },
	{ "text: sections, device line, bottleneck, numbered assumptions", test_text },
	{ "CSV: every row as wide as the header, named columns, units", test_csv },
	{ "Markdown: tables of one shape, escaping, numbered assumptions", test_markdown },
	{ "JSON: parses (our reader, jq) with the model's figures", test_json },
	{ "a recording's report in every format, with device-in/out", test_recording_rendered },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "prof_report", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
