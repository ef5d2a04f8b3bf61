// SPDX-License-Identifier: MIT
/*
 * qaic-prof stall: DBCs with requests in flight and no completion for
 * longer than a threshold, named with their owner, the age of the oldest
 * request, the queue depth and the FIFO state. The decision and its
 * sources are stall_detect.h's; this file gathers the inputs each
 * interval (the BPF maps, the driver's debugfs dbc<N> files) and prints.
 * Without --watch it exits 1 at the first stall; with --watch it reports
 * each stall when it starts and when it ends.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dbc_debugfs.h"
#include "json_writer.h"
#include "loop.h"
#include "prof.h"
#include "session.h"
#include "stall_detect.h"
#include "table.h"

#define STALL_MAX_CARDS		16
#define STALL_MAX_EVENTS	(STALL_MAX_CARDS * DFS_NUM_DBC + QP_MAX_DBCS)
#define DEFAULT_THRESHOLD_NS	(2000 * ARGS_MS)
#define THRESHOLD_MIN_NS	ARGS_MS
#define NS_PER_S		1e9

struct stall_card {
	struct dbc_dfs_card card;
	uint64_t first_ns;		/* first read: completions seen from then on */
	bool present;			/* listed this round */
	bool ok[DFS_NUM_DBC];		/* read this round */
	struct dbc_dfs d[DFS_NUM_DBC];
	uint64_t t0[DFS_NUM_DBC], t1[DFS_NUM_DBC];
};

struct stall_opts {
	uint64_t threshold_ns;
	bool watch, json;
	struct prof_filter filter;
	uint64_t start_ns;		/* BPF attached: completions seen from then on */
	uint64_t interval_ns;
	struct stall_tracker tr;
	struct stall_card cards[STALL_MAX_CARDS];
	unsigned int ncards;
	bool dfs_warned, unmatched_warned;
	uint64_t rounds;
	uint64_t reported;		/* stalls reported (passing the filters) */
	struct stall_report ev[STALL_MAX_EVENTS];	/* one round's events */
	int ev_kind[STALL_MAX_EVENTS];
	unsigned int nev;
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void clock_label(char *buf, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, size, "%H:%M:%S", &tm);
}

/* ---- the driver's debugfs ---------------------------------------------------- */

static struct stall_card *card_named(struct stall_opts *o, const char *name)
{
	unsigned int i;

	for (i = 0; i < o->ncards; i++)
		if (!strcmp(o->cards[i].card.name, name))
			return &o->cards[i];
	if (o->ncards == STALL_MAX_CARDS)
		return NULL;
	memset(&o->cards[o->ncards], 0, sizeof(o->cards[0]));
	return &o->cards[o->ncards++];
}

/* Read every dbc<N> of every card the filters let through. */
static void read_debugfs(struct stall_opts *o)
{
	struct dbc_dfs_card list[STALL_MAX_CARDS];
	char root[512];
	unsigned int i;
	uint32_t n;
	int ncards, ret;

	for (i = 0; i < o->ncards; i++)
		o->cards[i].present = false;
	ret = dbc_dfs_root(root, sizeof(root));
	if (ret == -ENODEV)
		return;		/* the driver is not loaded (now): nothing to read */
	if (ret) {
		if (!o->dfs_warned)
			fprintf(stderr, "qaic-prof stall: %s; requests submitted before qaic-prof started are not seen, and the FIFO state is the last one events showed (mount -t debugfs none /sys/kernel/debug)\n",
				ret == -ENOENT ? "debugfs is not mounted" : "cannot read debugfs");
		o->dfs_warned = true;
		return;
	}
	ncards = dbc_dfs_cards(root, list, STALL_MAX_CARDS);
	for (i = 0; ncards > 0 && i < (unsigned int)ncards; i++) {
		struct stall_card *c;

		if (list[i].minor < 0) {
			if (!o->unmatched_warned)
				fprintf(stderr, "qaic-prof stall: debugfs card %s matches no device node; its DBCs are watched through BPF only\n",
					list[i].name);
			o->unmatched_warned = true;
			continue;
		}
		if (o->filter.dev >= 0 && list[i].minor != o->filter.dev)
			continue;
		c = card_named(o, list[i].name);
		if (!c)
			continue;
		if (!c->first_ns || c->card.minor != list[i].minor)
			c->first_ns = mono_ns();
		c->card = list[i];
		c->present = true;
		for (n = 0; n < DFS_NUM_DBC; n++) {
			c->ok[n] = false;
			if (o->filter.dbc >= 0 && n != (uint32_t)o->filter.dbc)
				continue;
			c->ok[n] = !dbc_dfs_read(c->card.dir, n, &c->d[n], &c->t0[n], &c->t1[n]);
		}
	}
}

static struct stall_card *card_of_minor(struct stall_opts *o, uint32_t minor)
{
	unsigned int i;

	for (i = 0; i < o->ncards; i++)
		if (o->cards[i].present && o->cards[i].card.minor == (int32_t)minor)
			return &o->cards[i];
	return NULL;
}

/* ---- the owner's cgroup, when only debugfs named the owner ----------------- */

/* The cgroup v2 id of a process, from /proc/PID/cgroup's "0::PATH" line. */
static int proc_cgroup(uint32_t pid, uint64_t *id)
{
	char path[64], line[4096];
	struct args_err err;
	int ret = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/cgroup", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p;

		if (strncmp(line, "0::/", 4))
			continue;
		line[strcspn(line, "\n")] = '\0';
		p = line + 4;
		ret = args_cgroup("cgroup", *p ? p : ".", id, &err);
		break;
	}
	fclose(f);
	return ret;
}

/* ---- output ------------------------------------------------------------------ */

static bool report_wanted(const struct stall_opts *o, const struct stall_report *r)
{
	if (o->filter.tgid >= 0 && r->pid != (uint32_t)o->filter.tgid)
		return false;
	if (o->filter.cgroup && (!r->cgroup_known || r->cgroup != o->filter.cgroup))
		return false;
	return true;
}

static void json_fifo(struct json_writer *jw, const struct stall_report *r)
{
	jw_key(jw, "fifo");
	if (r->fifo_src == STALL_SRC_NONE) {
		jw_null(jw);
		return;
	}
	jw_object_begin(jw);
	jw_kv_string(jw, "source", stall_src_name(r->fifo_src));
	if (r->fifo_src == STALL_SRC_DEBUGFS) {
		uint32_t n = r->fifo_size;

		jw_kv_uint(jw, "size", n);
		jw_kv_uint(jw, "req_head", r->req_head);
		jw_kv_uint(jw, "req_tail", r->req_tail);
		jw_kv_uint(jw, "rsp_head", r->rsp_head);
		jw_kv_uint(jw, "rsp_tail", r->rsp_tail);
		jw_kv_uint(jw, "requests_pending", n ? (r->req_tail + n - r->req_head) % n : 0);
		jw_kv_uint(jw, "responses_pending", n ? (r->rsp_tail + n - r->rsp_head) % n : 0);
	} else {
		/* what the last events showed, not the registers now */
		jw_kv_uint(jw, "last_doorbell_req_tail", r->req_tail);
		if (r->rsp_known) {
			jw_kv_uint(jw, "last_irq_rsp_head", r->rsp_head);
			jw_kv_uint(jw, "last_irq_rsp_tail", r->rsp_tail);
		} else {
			jw_kv_null(jw, "last_irq_rsp_head");
			jw_kv_null(jw, "last_irq_rsp_tail");
		}
	}
	jw_object_end(jw);
}

static void json_opt_uint(struct json_writer *jw, const char *key, bool known, uint64_t v)
{
	if (known)
		jw_kv_uint(jw, key, v);
	else
		jw_kv_null(jw, key);
}

static void json_ident(struct json_writer *jw, const struct stall_report *r)
{
	jw_kv_uint(jw, "ts_ns", r->ts_ns);
	jw_kv_uint(jw, "dev", r->dev);
	jw_kv_uint(jw, "dbc", r->dbc);
	json_opt_uint(jw, "pid", r->pid != 0, r->pid);
	jw_kv_string(jw, "comm", r->comm[0] ? r->comm : NULL);
	json_opt_uint(jw, "cgroup", r->cgroup_known, r->cgroup);
	jw_kv_string(jw, "owner_source", stall_src_name(r->owner_src));
	jw_kv_string(jw, "cgroup_source", r->cgroup_known ? stall_src_name(r->cgroup_src) : NULL);
}

static void print_json(const struct stall_report *r, int kind)
{
	struct json_writer *jw = jw_open(stdout);

	if (!jw)
		return;
	jw_object_begin(jw);
	jw_kv_string(jw, "event", kind == STALL_EV_CLEAR ? "clear" : "stall");
	json_ident(jw, r);
	jw_kv_uint(jw, "threshold_ns", r->threshold_ns);
	jw_kv_uint(jw, "since_ns", r->since_ns);
	jw_kv_string(jw, "since", stall_since_name(r->since));
	if (kind == STALL_EV_CLEAR) {
		jw_kv_uint(jw, "cleared_ns", r->cleared_ns);
		jw_kv_uint(jw, "duration_ns", r->duration_ns);
		jw_kv_string(jw, "reason", stall_clear_name(r->reason));
		jw_object_end(jw);
		jw_close(jw);
		return;
	}
	jw_kv_uint(jw, "no_progress_ns", r->no_progress_ns);
	jw_kv_bool(jw, "no_progress_lower_bound", r->since == STALL_SINCE_WATCH);
	jw_kv_uint(jw, "watch_start_ns", r->watch_ns);
	jw_kv_uint(jw, "in_flight", r->in_flight);
	jw_kv_string(jw, "in_flight_source", stall_src_name(r->in_flight_src));
	jw_kv_uint(jw, "bpf_in_flight", r->bpf_in_flight);
	json_opt_uint(jw, "queued_elements", r->elements_known, r->queued_elements);
	json_opt_uint(jw, "oldest_age_ns", r->oldest_known, r->oldest_age_ns);
	json_opt_uint(jw, "oldest_submit_ns", r->oldest_known, r->oldest_submit_ns);
	json_opt_uint(jw, "oldest_seq", r->oldest_seq_known, r->oldest_seq);
	jw_kv_string(jw, "oldest_source", r->oldest_known ? stall_src_name(r->oldest_src) : NULL);
	json_opt_uint(jw, "last_completion_ns", r->completion_known, r->last_completion_ns);
	json_opt_uint(jw, "since_completion_ns", r->completion_known,
		      r->ts_ns > r->last_completion_ns ? r->ts_ns - r->last_completion_ns : 0);
	jw_kv_string(jw, "last_completion_source",
		     r->completion_known ? stall_src_name(r->completion_src) : NULL);
	if (r->completion_known)
		jw_kv_bool(jw, "last_completion_exact", r->completion_exact);
	else
		jw_kv_null(jw, "last_completion_exact");
	json_fifo(jw, r);
	jw_kv_string(jw, "hint", stall_fifo_hint(r));
	jw_object_end(jw);
	jw_close(jw);
}

static void cell_seconds(struct table *t, const char *prefix, uint64_t ns)
{
	table_printf(t, "%s%.3f", prefix, ns / NS_PER_S);
}

static void print_stall_table(struct stall_opts *o)
{
	static const struct table_col cols[] = {
		{ .name = "DEV", .type = TABLE_UINT },
		{ .name = "DBC", .type = TABLE_UINT },
		{ .name = "PID", .type = TABLE_UINT },
		{ .name = "COMM", .width = 15 },
		{ .name = "CGROUP", .align = TABLE_RIGHT },
		{ .name = "BOS", .type = TABLE_UINT },
		{ .name = "ELEMS", .align = TABLE_RIGHT },
		{ .name = "OLDEST", .unit = "s", .align = TABLE_RIGHT },
		{ .name = "NOPROG", .unit = "s", .align = TABLE_RIGHT },
		{ .name = "LASTDONE", .unit = "s", .align = TABLE_RIGHT },
		{ .name = "REQ_H/T", .align = TABLE_RIGHT },
		{ .name = "RSP_H/T", .align = TABLE_RIGHT },
		{ .name = "FROM" },
	};
	struct table *t = table_new(cols, sizeof(cols) / sizeof(cols[0]));
	bool lower = false;
	unsigned int i, n = 0;
	char when[16];

	if (!t)
		return;
	for (i = 0; i < o->nev; i++) {
		const struct stall_report *r = &o->ev[i];

		if (o->ev_kind[i] != STALL_EV_START)
			continue;
		n++;
		table_row(t);
		table_uint(t, r->dev);
		table_uint(t, r->dbc);
		table_uint(t, r->pid);
		table_text(t, r->comm[0] ? r->comm : NULL);
		if (r->cgroup_known)
			table_printf(t, "%llu", (unsigned long long)r->cgroup);
		else
			table_none(t);
		table_uint(t, r->in_flight);
		if (r->elements_known)
			table_printf(t, "%u", r->queued_elements);
		else
			table_none(t);
		if (r->oldest_known)
			cell_seconds(t, "", r->oldest_age_ns);
		else
			table_none(t);
		cell_seconds(t, r->since == STALL_SINCE_WATCH ? ">=" : "", r->no_progress_ns);
		lower |= r->since == STALL_SINCE_WATCH;
		if (r->completion_known)
			cell_seconds(t, r->completion_exact ? "" : "<=",
				     r->ts_ns > r->last_completion_ns ?
				     r->ts_ns - r->last_completion_ns : 0);
		else
			table_none(t);
		if (r->req_head_known)
			table_printf(t, "%u/%u", r->req_head, r->req_tail);
		else if (r->fifo_src == STALL_SRC_BPF)
			table_printf(t, "-/%u", r->req_tail);
		else
			table_none(t);
		if (r->rsp_known)
			table_printf(t, "%u/%u", r->rsp_head, r->rsp_tail);
		else
			table_none(t);
		table_text(t, stall_src_name(r->in_flight_src));
	}
	if (n) {
		clock_label(when, sizeof(when));
		printf("%s  %u stalled DBC%s: requests in flight, no completion for > %.3f s\n", when,
		       n, n == 1 ? "" : "s", o->threshold_ns / NS_PER_S);
		table_print(t, stdout);
		for (i = 0; i < o->nev; i++) {
			const char *hint = stall_fifo_hint(&o->ev[i]);

			if (o->ev_kind[i] == STALL_EV_START && hint)
				printf("  dev %u dbc %u: %s\n", o->ev[i].dev, o->ev[i].dbc, hint);
		}
		if (lower)
			printf("  >=: no completion seen since qaic-prof began watching, none dated before it; OLDEST (debugfs) covers that time\n");
	}
	table_free(t);
}

static void print_clears(struct stall_opts *o)
{
	unsigned int i;
	char when[16];

	for (i = 0; i < o->nev; i++) {
		const struct stall_report *r = &o->ev[i];

		if (o->ev_kind[i] != STALL_EV_CLEAR)
			continue;
		clock_label(when, sizeof(when));
		printf("%s  cleared: dev %u dbc %u (pid %u %s) after %.3f s without progress: %s\n",
		       when, r->dev, r->dbc, r->pid, r->comm[0] ? r->comm : "-",
		       r->duration_ns / NS_PER_S, stall_clear_name(r->reason));
	}
}

static void print_round(struct stall_opts *o)
{
	unsigned int i;

	if (o->json) {
		for (i = 0; i < o->nev; i++)
			print_json(&o->ev[i], o->ev_kind[i]);
	} else {
		print_clears(o);
		print_stall_table(o);
	}
	fflush(stdout);
}

/* ---- one round --------------------------------------------------------------- */

static void add_event(struct stall_opts *o, int kind, struct stall_report *r)
{
	uint64_t id;

	if (kind == STALL_EV_START && !r->cgroup_known && r->pid && !proc_cgroup(r->pid, &id)) {
		struct stall_report *kept = stall_kept_report(&o->tr, r->dev, r->dbc);

		r->cgroup_known = true;
		r->cgroup = id;
		r->cgroup_src = STALL_SRC_PROC;
		if (kept)
			*kept = *r;
	}
	if (!report_wanted(o, r) || o->nev == STALL_MAX_EVENTS)
		return;
	o->ev[o->nev] = *r;
	o->ev_kind[o->nev++] = kind;
	if (kind == STALL_EV_START)
		o->reported++;
}

static void observe(struct stall_opts *o, struct stall_obs *obs)
{
	struct stall_report r;
	int kind;

	kind = stall_observe(&o->tr, obs, &r);
	if (kind == STALL_EV_START || kind == STALL_EV_CLEAR)
		add_event(o, kind, &r);
}

/*
 * Judge as of @at: a check's tick (the maps and files are read just after
 * it, so what they show holds at it), or the baseline's snapshot.
 */
static void round_run(struct stall_opts *o, const struct snapshot *now, uint64_t at)
{
	struct stall_report r;
	unsigned int i;
	uint32_t n;
	size_t k;

	o->nev = 0;
	read_debugfs(o);
	stall_round_begin(&o->tr);

	/* every DBC the BPF side knows, with its debugfs view if there is one */
	for (k = 0; k < now->n_dbc; k++) {
		const struct snap_dbc *b = &now->dbc[k];
		struct stall_card *c = card_of_minor(o, b->key.dev);
		const struct snap_workload *w =
			b->inflight ? snap_find_wl(now, &b->oldest.wl) : NULL;
		struct stall_obs obs = {
			.dev = b->key.dev, .dbc = b->key.dbc, .bpf = b, .bpf_ts_ns = now->ts_end_ns,
			.bpf_comm = w ? w->stats.comm : NULL, .now_ns = at,
			.watch_ns = o->start_ns,
		};

		if (c && b->key.dbc < DFS_NUM_DBC && c->ok[b->key.dbc]) {
			obs.dfs = &c->d[b->key.dbc];
			obs.dfs_t0 = c->t0[b->key.dbc];
			obs.dfs_t1 = c->t1[b->key.dbc];
			obs.watch_ns = c->first_ns;
		}
		observe(o, &obs);
	}
	/* and every DBC only debugfs knows */
	for (i = 0; i < o->ncards; i++) {
		struct stall_card *c = &o->cards[i];

		if (!c->present)
			continue;
		for (n = 0; n < DFS_NUM_DBC; n++) {
			struct stall_obs obs = {
				.dev = (uint32_t)c->card.minor, .dbc = n, .dfs = &c->d[n],
				.dfs_t0 = c->t0[n], .dfs_t1 = c->t1[n], .now_ns = at,
				.watch_ns = c->first_ns,
			};

			if (!c->ok[n] || snap_find_dbc(now, obs.dev, n))
				continue;
			observe(o, &obs);
		}
	}
	while (stall_round_next_gone(&o->tr, mono_ns(), &r))
		add_event(o, STALL_EV_CLEAR, &r);
	o->rounds++;
}

static int stall_interval(void *ctx, const struct snapshot *view, const struct snapshot *now,
			  bool final)
{
	struct stall_opts *o = ctx;
	uint64_t before = o->reported;

	(void)view;
	(void)final;
	/*
	 * The loop's ticks are start + k * interval; judging as of the tick
	 * this check woke for, not of when it ran, keeps the delay to report a
	 * stall within one interval whatever the wake-up latency.
	 */
	round_run(o, now, o->start_ns + (now->ts_ns - o->start_ns) / o->interval_ns *
		  o->interval_ns);
	print_round(o);
	if (!o->watch && o->reported > before)
		return PROF_EXIT_FAIL;	/* found: exit 1 */
	return 0;
}

/*
 * The state when watching begins: every DBC's counters, so later progress
 * shows, and the first check.
 */
static int baseline(struct stall_opts *o, struct prof_session *s)
{
	struct snapshot snap;
	char msg[256];

	snap_init(&snap);
	if (snap_take(&snap, &s->maps, msg, sizeof(msg))) {
		fprintf(stderr, "qaic-prof: reading the maps: %s\n", msg);
		snap_free(&snap);
		return PROF_EXIT_FAIL;
	}
	/* debugfs may date a stall that began before qaic-prof: reported now */
	round_run(o, &snap, snap.ts_ns);
	snap_free(&snap);
	print_round(o);
	return !o->watch && o->reported ? PROF_EXIT_FAIL : 0;
}

int cmd_stall(int argc, char **argv)
{
	static const struct option longopts[] = {
		PROF_SESSION_LONGOPTS,
		{ "threshold", required_argument, NULL, 't' },
		{ "watch", no_argument, NULL, 'w' },
		{ "json", no_argument, NULL, 'j' },
		{ "follow", no_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	static struct stall_opts o;
	struct loop_opts lo = { 0 };
	enum prof_attach how = PROF_ATTACH_AUTO;
	struct prof_session s;
	struct args_err err;
	int opt, ret;

	memset(&o, 0, sizeof(o));
	o.threshold_ns = DEFAULT_THRESHOLD_NS;
	o.filter = PROF_FILTER_ALL;
	while ((opt = getopt_long(argc, argv, PROF_SESSION_SHORTOPTS "t:wF", longopts,
				  NULL)) != -1) {
		ret = session_opt(opt, optarg, &o.filter, &how, &err);
		if (ret < 0)
			goto usage;
		if (ret)
			continue;
		switch (opt) {
		case 't':
			if (args_duration("--threshold", optarg, THRESHOLD_MIN_NS,
					  ARGS_INTERVAL_MAX_NS, &o.threshold_ns, &err))
				goto usage;
			break;
		case 'w':
			o.watch = true;
			break;
		case 'j':
			o.json = true;
			break;
		case 'F':
			lo.follow = true;
			break;
		default:
			return PROF_EXIT_USAGE;
		}
	}
	if (args_interval_count(argc, argv, optind, 1000000000ULL, &lo.interval_ns, &lo.count,
				&err))
		goto usage;

	ret = session_start(&s, &o.filter, how, NULL, NULL);
	if (ret)
		return ret;
	s.maps.hists = -1;	/* no latency histograms here: lighter snapshots */
	o.start_ns = s.start_ns;	/* loop_run's ticks count from it too */
	o.interval_ns = lo.interval_ns;
	stall_tracker_init(&o.tr, o.threshold_ns);
	fprintf(o.json ? stderr : stdout,
		"Tracing qaic DBCs (%s) for requests in flight and no completion for > %.3f s, every %.3f s... %s\n\n",
		session_attach_name(&s), o.threshold_ns / NS_PER_S, lo.interval_ns / NS_PER_S,
		o.watch ? "Hit Ctrl-C to end." : "Exits 1 at the first stall.");
	fflush(stdout);
	ret = baseline(&o, &s);
	if (!ret)
		ret = loop_run(&s, &lo, stall_interval, &o);
	if (!o.json && ret == PROF_EXIT_OK) {
		size_t left = stall_count(&o.tr);

		if (!o.watch)
			printf("No stalled DBC in %llu interval%s.\n",
			       (unsigned long long)o.rounds - 1, o.rounds == 2 ? "" : "s");
		else if (left)
			printf("%zu DBC%s still stalled at exit.\n", left, left == 1 ? "" : "s");
	}
	stall_tracker_free(&o.tr);
	session_stop(&s);
	return ret;

usage:
	fprintf(stderr, "qaic-prof stall: %s\n", err.msg);
	return PROF_EXIT_USAGE;
}

const struct prof_cmd prof_cmd_stall = {
	.name = "stall",
	.run = cmd_stall,
	.summary = "DBCs with requests in flight and no completion for longer than a threshold",
	.synopsis = "[OPTIONS] [INTERVAL [COUNT]]",
	.options =
		PROF_SESSION_HELP
		"  -t, --threshold=DUR report a DBC with no completion for longer than DUR\n"
		"                      (default 2s; \"500ms\", \"1.5\", \"1m\")\n"
		"  -w, --watch         keep going: report each stall when it starts and when it\n"
		"                      clears, with its duration (default: exit 1 at the first)\n"
		"      --json          one JSON object per stall or clear event (times in ns,\n"
		"                      CLOCK_MONOTONIC, the events' clock)\n"
		"  -F, --follow        keep going when the devices go away\n"
		"  INTERVAL [COUNT]    check every INTERVAL (default 1s), COUNT times (default:\n"
		"                      until Ctrl-C); without --watch, exit 0 if none was stalled\n",
	.examples =
		"  qaic-prof stall                    # exit 1 when a DBC stalls for > 2 s\n"
		"  qaic-prof stall -t 500ms 0.1 600   # a minute of 100 ms checks; 0 if healthy\n"
		"  qaic-prof stall --watch -t 5s      # log every stall and its end until Ctrl-C\n"
		"  qaic-prof stall --watch --json --dbc 3 | jq 'select(.event == \"stall\")'\n"
		"\nHOW IT DECIDES:\n"
		"No progress is now - max(last completion, oldest request's submission). The\n"
		"queue (BOS, ELEMS, OLDEST, REQ/RSP head/tail) comes from the driver's debugfs\n"
		"dbc<N> file when debugfs is mounted (FROM says debugfs), so requests submitted\n"
		"before qaic-prof started count; else from BPF (FROM says bpf: the last doorbell's\n"
		"tail and the last interrupt's response head/tail). The driver's debugfs also\n"
		"says when its last completion was, so a DBC already stuck when qaic-prof\n"
		"starts is reported at the first check past THRESHOLD, at the start if it has\n"
		"been stuck that long. With a driver whose debugfs lacks that time, it is\n"
		"reported THRESHOLD after the start, its NOPROG marked >= (a lower bound).\n"
		"LASTDONE marked <= was dated by the read that saw the driver's counter move.\n"
		"Each check judges as of its tick (ts_ns in JSON); it reads just after it.\n"
		"Exit status: 0 none found (or --watch), 1 a stall found, 2 usage, 3-5 environment.\n",
};
