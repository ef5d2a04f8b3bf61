/* SPDX-License-Identifier: MIT */
/*
 * A snapshot of the profiler's BPF maps (bpf/qaic_prof.h), read by map fd,
 * so it works with any loader (skeleton, pinned maps, tests' own maps):
 * per workload the per-CPU-summed counters and the per-CPU-merged
 * histogram of each stage; per DBC its state and what is in flight on it;
 * the global counters; and when it was taken (CLOCK_MONOTONIC, the clock of
 * every event timestamp).
 *
 * Interval views come from snap_delta(newer, older). The maps' counters
 * and buckets only grow, so an update racing with a read shows up in the
 * next snapshot if not in this one: it lands in exactly one interval.
 */
#ifndef PROF_SNAPSHOT_H_
#define PROF_SNAPSHOT_H_

#include <stddef.h>
#include <stdint.h>

#include <linux/types.h>

#include "qaic_prof.h"

/*
 * The maps to read; a negative fd skips that map. Each is checked for its
 * type, key size and value size before it is read.
 */
struct snap_maps {
	int workloads;	/* PERCPU_HASH   struct qp_wl_key -> struct qp_wl_stats */
	int hists;	/* PERCPU_HASH   struct qp_hist_key -> struct qp_hist */
	int dbcs;	/* HASH          struct qp_dbc_key -> struct qp_dbc_state */
	int inflight;	/* HASH          struct qp_req_key -> struct qp_req */
	int counters;	/* PERCPU_ARRAY  __u32 (enum qp_counter) -> __u64 (or an ARRAY) */
};

struct snap_workload {
	struct qp_wl_key key;
	struct qp_wl_stats stats;		/* summed over CPUs; comm: a CPU's non-empty one */
	struct qp_hist hist[QP_STAGE_N];	/* merged over CPUs; zero if not in the map */
	int is_new;	/* delta: not in the older snapshot (or its counters restarted) */
};

struct snap_dbc {
	struct qp_dbc_key key;
	struct qp_dbc_state state;	/* zero if the DBC map has no entry for it */
	int has_state;
	uint64_t inflight;		/* in-flight map entries (BO executions) on this DBC */
	uint64_t inflight_bytes;
	struct qp_req oldest;		/* the in-flight entry with the smallest submit_ts */
	int is_new;			/* delta: not in the older snapshot (or restarted) */
};

struct snapshot {
	uint64_t ts_ns;		/* CLOCK_MONOTONIC when reading began */
	uint64_t ts_end_ns;	/* ... and ended: no in-flight entry is newer */
	uint64_t since_ns;	/* a delta: the older snapshot's ts_ns; else 0 */
	struct snap_workload *wl;	/* sorted by key (dev, dbc, tgid, cgroup) */
	size_t n_wl;
	struct snap_dbc *dbc;		/* sorted by (dev, dbc) */
	size_t n_dbc;
	uint64_t counters[QP_CNT_N];	/* summed over CPUs */
	size_t n_vanished;	/* a delta: workloads of the older snapshot no longer mapped */
	size_t n_restarted;	/* a delta: workloads and DBCs whose counters went backwards */
	/* bookkeeping of snap_add_*() */
	size_t alloc_wl, alloc_dbc, sorted_wl, sorted_dbc;
};

/*
 * Read the maps into s (initialized here; snap_free() it whether this
 * succeeds or not). 0, or a negative errno with a one-line reason in msg.
 */
int snap_take(struct snapshot *s, const struct snap_maps *maps, char *msg, size_t msg_size);

void snap_free(struct snapshot *s);

/*
 * out = newer - older, an interval view (out is initialized here; free it).
 * Counters, byte sums, latency sums, histograms and the DBCs' cumulative
 * fields (enqueued, completed, busy_ns, irqs) are differenced; the rest of a
 * DBC's state, what is in flight, and comm come from newer. A workload or
 * DBC only in newer appeared during the interval: taken whole (is_new). One
 * only in older is not in out; n_vanished counts the workloads. One whose
 * counters went backwards (its map was re-created: programs or driver
 * reloaded) is taken whole as new and counted in n_restarted.
 * 0, or -ENOMEM.
 */
int snap_delta(struct snapshot *out, const struct snapshot *newer, const struct snapshot *older);

/* The interval a delta covers in ns (0 for a plain snapshot). */
uint64_t snap_interval_ns(const struct snapshot *s);

/* n per second over a delta's interval; NaN for a plain snapshot. */
double snap_rate(const struct snapshot *s, uint64_t n);

/* Lookups (bsearch); NULL if absent. */
const struct snap_workload *snap_find_wl(const struct snapshot *s, const struct qp_wl_key *key);
const struct snap_dbc *snap_find_dbc(const struct snapshot *s, uint32_t dev, uint32_t dbc);

/* ---- building blocks, also for tests that build snapshots by hand ---------- */

/* An empty snapshot. */
void snap_init(struct snapshot *s);

/*
 * The workload or DBC with this key, added (zeroed) if absent. Adding may
 * move the arrays (earlier pointers go stale), and they are sorted only by
 * snap_sort(): add everything, then sort. NULL on allocation failure.
 */
struct snap_workload *snap_add_wl(struct snapshot *s, const struct qp_wl_key *key);
struct snap_dbc *snap_add_dbc(struct snapshot *s, uint32_t dev, uint32_t dbc);
void snap_sort(struct snapshot *s);

/* Account one in-flight entry to its DBC (added if absent). 0 or -ENOMEM. */
int snap_add_inflight(struct snapshot *s, const struct qp_req_key *key, const struct qp_req *req);

/* dst += src for every counter (comm: dst keeps a non-empty one, else takes src's). */
void snap_stats_add(struct qp_wl_stats *dst, const struct qp_wl_stats *src);
/* out = newer - older for every counter, comm from newer; 1 if a counter went backwards. */
int snap_stats_sub(struct qp_wl_stats *out, const struct qp_wl_stats *newer,
		   const struct qp_wl_stats *older);
/* dst = the sum of ncpus per-CPU copies stride bytes apart (round_up(size, 8)). */
void snap_stats_merge_percpu(struct qp_wl_stats *dst, const void *percpu, unsigned int ncpus,
			     size_t stride);

/* Tests: set to read hash maps key by key, as on kernels without batch lookups. */
extern int snap_read_no_batch;

/* Compare two workload keys (dev, dbc, tgid, cgroup; the pad is ignored). */
int snap_wl_key_cmp(const struct qp_wl_key *a, const struct qp_wl_key *b);

#endif /* PROF_SNAPSHOT_H_ */
