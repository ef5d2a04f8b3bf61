/* SPDX-License-Identifier: MIT */
/*
 * qaic-prof stall's decision: which DBCs have work and make no progress.
 *
 * A DBC is stalled when it has requests in flight and
 *
 *	now - max(last completion, oldest in-flight submit) > threshold
 *
 * all on CLOCK_MONOTONIC, the clock of the events. Each interval the caller
 * hands over, per DBC, what the BPF maps say (exact times of what happened
 * since qaic-prof attached) and what the driver's debugfs file says (the
 * queue as it is, including requests older than qaic-prof). What each
 * figure of a report came from is recorded with it.
 *
 * Last completion, the newest of what the sources account for:
 * - BPF: the newest completion's seen_ts (the driver saw the response),
 *   when the BPF side counted at least as many completions in the interval
 *   as the driver did;
 * - debugfs: the driver's last_completion_ns, the same seen_ts kept by the
 *   driver itself (0: none since the DBC was assigned), so it covers the
 *   time before qaic-prof started too;
 * - otherwise, when the driver's counters moved (completed or irqs, in BPF
 *   or in debugfs; with last_completion_ns only irqs without completions),
 *   the moment they were read (or the check's start, if later): no earlier
 *   than the progress, so the no-progress time is never overstated;
 * - none seen and the driver does not say (no last_completion_ns line, or
 *   debugfs not read): it happened before the DBC was first watched (or
 *   never), and that moment stands in for it, marked as a lower bound
 *   (STALL_SINCE_WATCH), reported threshold after the watch began, with
 *   the debugfs age of its oldest request beside it: a busy queue whose
 *   oldest request has waited long behind others that keep completing is
 *   not a stall. With the driver's time, a queue already stuck when
 *   qaic-prof started is reported at the first check past the threshold,
 *   the start's own if it has been stuck that long.
 * In flight: debugfs when read (the driver's queue itself), else the BPF
 * in-flight map. Oldest: BPF's submission time (the ioctl's entry, as the
 * events define it) when BPF saw the driver's oldest request submitted;
 * else debugfs's age, which runs from that request's doorbell (a little
 * later than its ioctl's entry).
 */
#ifndef PROF_STALL_DETECT_H_
#define PROF_STALL_DETECT_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dbc_debugfs.h"
#include "snapshot.h"

enum stall_src {
	STALL_SRC_NONE,
	STALL_SRC_BPF,		/* the BPF maps: events since qaic-prof attached */
	STALL_SRC_DEBUGFS,	/* the driver's debugfs dbc<N> file */
	STALL_SRC_PROC,		/* /proc/<pid> (cgroup of a debugfs owner) */
};

/* Where the no-progress time starts. */
enum stall_since {
	STALL_SINCE_SUBMIT,	/* the oldest request's submission */
	STALL_SINCE_COMPLETION,	/* the last completion */
	STALL_SINCE_WATCH,	/* none seen since watching began or known before: a lower bound */
};

enum stall_clear {
	STALL_CLEAR_PROGRESS,	/* a completion (or response) arrived */
	STALL_CLEAR_DRAINED,	/* nothing in flight any more */
	STALL_CLEAR_RELEASED,	/* the DBC was deactivated (its owner went away) */
	STALL_CLEAR_GONE,	/* no source reports the DBC any more */
};

/* What is known of one DBC at one evaluation. */
struct stall_obs {
	uint32_t dev, dbc;
	uint64_t now_ns;		/* as of when (no later than the reads) */
	uint64_t watch_ns;		/* since when completions on it would have been seen */
	const struct snap_dbc *bpf;	/* cumulative snapshot entry; NULL if none */
	const char *bpf_comm;		/* comm of bpf->oldest's workload; NULL if unknown */
	uint64_t bpf_ts_ns;		/* when that snapshot was read (end) */
	const struct dbc_dfs *dfs;	/* NULL if debugfs was not read */
	uint64_t dfs_t0, dfs_t1;	/* the read's bounds (dbc_dfs_read) */
};

/* A stall, or its end. */
struct stall_report {
	uint32_t dev, dbc;
	uint64_t ts_ns;			/* evaluation time */
	uint64_t threshold_ns;

	/* owner: the oldest request's submitter (BPF) or the DBC's (debugfs) */
	uint32_t pid;
	char comm[16];
	bool cgroup_known;
	uint64_t cgroup;
	enum stall_src owner_src, cgroup_src;

	uint64_t in_flight;		/* BO executions */
	enum stall_src in_flight_src;
	uint64_t bpf_in_flight;		/* the BPF map's count, for comparison */
	bool elements_known;		/* debugfs */
	uint32_t queued_elements;

	bool oldest_known;
	uint64_t oldest_submit_ns;
	uint64_t oldest_age_ns;
	enum stall_src oldest_src;
	bool oldest_seq_known;		/* debugfs */
	uint64_t oldest_seq;

	uint64_t since_ns;		/* no progress since */
	enum stall_since since;
	uint64_t no_progress_ns;	/* ts_ns - since_ns; a lower bound for STALL_SINCE_WATCH */
	bool completion_known;
	bool completion_exact;		/* else dated by the read that showed it (later) */
	uint64_t last_completion_ns;
	enum stall_src completion_src;
	uint64_t watch_ns;		/* the DBC watched since */

	/* FIFO state: debugfs registers now, or BPF's last doorbell and IRQ */
	enum stall_src fifo_src;
	uint32_t fifo_size;		/* debugfs */
	bool req_head_known;		/* debugfs */
	uint32_t req_head, req_tail;	/* BPF: tail of the last doorbell */
	bool rsp_known;			/* BPF: an IRQ was seen */
	uint32_t rsp_head, rsp_tail;	/* BPF: at the last IRQ */

	/* a clear event */
	enum stall_clear reason;
	uint64_t cleared_ns;
	uint64_t duration_ns;		/* cleared_ns - since_ns */
};

enum stall_event {
	STALL_EV_NONE,		/* not stalled */
	STALL_EV_START,		/* newly stalled: report */
	STALL_EV_ONGOING,	/* still stalled, reported before */
	STALL_EV_CLEAR,		/* was stalled, is not: report with reason, duration */
};

/* Per-DBC memory between evaluations. */
struct stall_track {
	uint32_t dev, dbc;
	uint64_t watch_ns;
	bool progress_known;
	bool progress_exact;
	uint64_t progress_ns;
	enum stall_src progress_src;
	bool history_known;		/* the driver said when its last completion was */
	bool have_bpf, have_dfs;	/* previous counters below are valid */
	uint64_t bpf_completed, bpf_irqs;
	uint64_t dfs_completed, dfs_irqs;
	bool stalled;
	struct stall_report report;	/* the stall's last report */
	bool seen;			/* observed in the current round */
};

struct stall_tracker {
	uint64_t threshold_ns;
	struct stall_track *t;
	size_t n, alloc;
};

void stall_tracker_init(struct stall_tracker *tr, uint64_t threshold_ns);
void stall_tracker_free(struct stall_tracker *tr);

/* Start a round of observations. */
void stall_round_begin(struct stall_tracker *tr);

/*
 * Evaluate one DBC (once per round): an enum stall_event, or -ENOMEM if the
 * DBC could not be tracked. *out is this evaluation; for CLEAR it is the
 * stall's last report with how and when it ended.
 */
int stall_observe(struct stall_tracker *tr, const struct stall_obs *o, struct stall_report *out);

/*
 * End the round: a stalled DBC that was not observed is cleared as GONE
 * at now_ns. Returns 1 and fills *out for the next such DBC, 0 when none
 * is left; call until it returns 0.
 */
int stall_round_next_gone(struct stall_tracker *tr, uint64_t now_ns, struct stall_report *out);

/*
 * The report a stall of (dev, dbc) keeps between rounds, for the caller to
 * complete (a cgroup found elsewhere); NULL if that DBC is not stalled.
 */
struct stall_report *stall_kept_report(struct stall_tracker *tr, uint32_t dev, uint32_t dbc);

/* How many DBCs are stalled now. */
size_t stall_count(const struct stall_tracker *tr);

/* Names for output: "bpf", "debugfs", "proc", "none"; "oldest_submit", ... */
const char *stall_src_name(enum stall_src s);
const char *stall_since_name(enum stall_since s);
const char *stall_clear_name(enum stall_clear c);

/*
 * What the FIFO state says, for a person: the card answered and the host
 * has not taken the responses (a lost interrupt), the card has requests it
 * has not finished, or neither. NULL when the state is not known
 * (debugfs not read).
 */
const char *stall_fifo_hint(const struct stall_report *r);

#endif /* PROF_STALL_DETECT_H_ */
