// SPDX-License-Identifier: MIT
/*
 * snap_take(): read the profiler's maps by fd. Hash maps are read with
 * BPF_MAP_LOOKUP_BATCH, which walks the buckets under their locks, so an
 * entry deleted or added while we read is seen at most once (in-flight
 * entries come and go all the time). Kernels without batch lookups (before
 * 5.6) fall back to get_next_key + lookup, which may repeat an entry when the
 * kernel deletes the one it stands on.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "hist.h"
#include "snapshot.h"

#define BATCH_BYTES	(4u << 20)	/* values read per batch call, at most */
#ifndef ENOTSUPP
#define ENOTSUPP	524		/* the kernel's, leaked to user space by bpf() */
#endif

int snap_read_no_batch;

/* One map's entries are handed to this, values as ncopies copies stride bytes apart. */
typedef int (*entry_fn)(struct snapshot *s, const void *key, const void *values,
			unsigned int ncopies, size_t stride);

struct map_read {
	const char *what;	/* for messages: "workloads" */
	int fd;
	__u32 key_size, value_size;
	__u32 types[2];		/* accepted map types (0: none) */
	entry_fn fn;
	/* filled in by check_map() */
	__u32 type, max_entries;
	unsigned int ncopies;
	size_t stride;
	char name[BPF_OBJ_NAME_LEN];
};

static int say(char *msg, size_t size, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int say(char *msg, size_t size, int err, const char *fmt, ...)
{
	va_list ap;

	if (msg && size) {
		va_start(ap, fmt);
		vsnprintf(msg, size, fmt, ap);
		va_end(ap);
	}
	return err;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int is_percpu(__u32 type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

/* Is this map what bpf/qaic_prof.h says it is? Fills in the reading geometry. */
static int check_map(struct map_read *m, int ncpus, char *msg, size_t size)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(m->fd, &info, &len))
		return say(msg, size, -errno, "%s map (fd %d): %s", m->what, m->fd,
			   strerror(errno));
	snprintf(m->name, sizeof(m->name), "%s", info.name);
	if (info.type != m->types[0] && (!m->types[1] || info.type != m->types[1]))
		return say(msg, size, -EINVAL,
			   "%s map '%s': type %u, not the one qaic-prof reads (%u)", m->what,
			   m->name, info.type, m->types[0]);
	if (info.key_size != m->key_size || info.value_size != m->value_size)
		return say(msg, size, -EINVAL,
			   "%s map '%s': key %u B, value %u B; qaic-prof expects %u B, %u B "
			   "(the BPF object and bpf/qaic_prof.h disagree)", m->what, m->name,
			   info.key_size, info.value_size, m->key_size, m->value_size);
	m->type = info.type;
	m->max_entries = info.max_entries;
	m->ncopies = is_percpu(info.type) ? (unsigned int)ncpus : 1;
	m->stride = is_percpu(info.type) ? (m->value_size + 7u) & ~7u : m->value_size;
	return 0;
}

/* get_next_key + lookup, for kernels without batch lookups. */
static int read_by_keys(struct map_read *m, struct snapshot *s, char *msg, size_t size)
{
	char *keys = malloc(2 * (size_t)m->key_size), *vals = malloc(m->ncopies * m->stride);
	void *prev = NULL, *next = keys;
	__u32 visited;
	int err = 0;

	if (!keys || !vals) {
		err = say(msg, size, -ENOMEM, "reading the %s map: out of memory", m->what);
		goto out;
	}
	/* a deleted key makes the walk restart: never more steps than the map holds */
	for (visited = 0; visited < m->max_entries; visited++) {
		if (bpf_map_get_next_key(m->fd, prev, next)) {
			if (errno != ENOENT)
				err = say(msg, size, -errno, "reading the %s map '%s': %s", m->what,
					  m->name, strerror(errno));
			break;
		}
		if (!bpf_map_lookup_elem(m->fd, next, vals)) {
			err = m->fn(s, next, vals, m->ncopies, m->stride);
			if (err) {
				say(msg, size, err, "reading the %s map: out of memory", m->what);
				break;
			}
		} else if (errno != ENOENT) {
			err = say(msg, size, -errno, "reading the %s map '%s': %s", m->what,
				  m->name, strerror(errno));
			break;
		}
		prev = next;
		next = next == keys ? keys + m->key_size : keys;
	}
out:
	free(keys);
	free(vals);
	return err;
}

static int read_batched(struct map_read *m, struct snapshot *s, char *msg, size_t size)
{
	size_t entry = m->ncopies * m->stride, tok_size = m->key_size > 8 ? m->key_size : 8;
	__u32 per_call = BATCH_BYTES / entry ? BATCH_BYTES / entry : 1, count, i;
	char *keys = NULL, *vals = NULL, *tok_in = calloc(2, tok_size);
	char *tok_out = tok_in ? tok_in + tok_size : NULL;
	int first = 1, err = 0, ret;
	void *in = NULL;

	DECLARE_LIBBPF_OPTS(bpf_map_batch_opts, opts);

	if (per_call > m->max_entries && m->max_entries)
		per_call = m->max_entries;
	for (;;) {
		if (!keys) {
			keys = malloc((size_t)per_call * m->key_size);
			vals = malloc((size_t)per_call * entry);
			if (!keys || !vals || !tok_in) {
				err = say(msg, size, -ENOMEM, "reading the %s map: out of memory",
					  m->what);
				break;
			}
		}
		count = per_call;
		ret = bpf_map_lookup_batch(m->fd, in, tok_out, keys, vals, &count, &opts);
		if (ret && errno == ENOSPC && !count) {
			/* one hash bucket holds more than per_call entries */
			per_call *= 2;
			free(keys);
			free(vals);
			keys = vals = NULL;
			continue;
		}
		if (ret && errno != ENOENT) {
			if (first && (errno == EINVAL || errno == ENOTSUPP || errno == EOPNOTSUPP))
				err = 1;	/* no batch lookups here */
			else
				err = say(msg, size, -errno, "reading the %s map '%s': %s", m->what,
					  m->name, strerror(errno));
			break;
		}
		first = 0;
		for (i = 0; i < count && !err; i++)
			err = m->fn(s, keys + (size_t)i * m->key_size, vals + (size_t)i * entry,
				    m->ncopies, m->stride);
		if (err) {
			say(msg, size, err, "reading the %s map: out of memory", m->what);
			break;
		}
		if (ret)	/* ENOENT: that was the last of it */
			break;
		memcpy(tok_in, tok_out, tok_size);
		in = tok_in;
	}
	free(keys);
	free(vals);
	free(tok_in);
	return err;
}

static int read_map(struct map_read *m, struct snapshot *s, int ncpus, char *msg, size_t size)
{
	int err;

	if (m->fd < 0)
		return 0;
	err = check_map(m, ncpus, msg, size);
	if (err)
		return err;
	err = snap_read_no_batch ? 1 : read_batched(m, s, msg, size);
	if (err == 1)
		err = read_by_keys(m, s, msg, size);
	return err;
}

/* ---- what each map's entries add to the snapshot ---- */

static int add_workload(struct snapshot *s, const void *key, const void *values,
			unsigned int ncopies, size_t stride)
{
	struct snap_workload *w = snap_add_wl(s, key);
	struct qp_wl_stats sum;

	if (!w)
		return -ENOMEM;
	snap_stats_merge_percpu(&sum, values, ncopies, stride);
	snap_stats_add(&w->stats, &sum);
	return 0;
}

static int add_hist(struct snapshot *s, const void *key, const void *values,
		    unsigned int ncopies, size_t stride)
{
	struct qp_hist_key k;
	struct snap_workload *w;
	struct qp_hist sum;

	memcpy(&k, key, sizeof(k));
	if (k.stage >= QP_STAGE_N)
		return 0;	/* a stage this build does not know */
	w = snap_add_wl(s, &k.wl);
	if (!w)
		return -ENOMEM;
	hist_merge_percpu(&sum, values, ncopies, stride);
	hist_add(&w->hist[k.stage], &sum);
	return 0;
}

static int add_dbc(struct snapshot *s, const void *key, const void *values,
		   unsigned int ncopies, size_t stride)
{
	struct qp_dbc_key k;
	struct snap_dbc *d;

	(void)ncopies;
	(void)stride;
	memcpy(&k, key, sizeof(k));
	d = snap_add_dbc(s, k.dev, k.dbc);
	if (!d)
		return -ENOMEM;
	memcpy(&d->state, values, sizeof(d->state));
	d->has_state = 1;
	return 0;
}

static int add_inflight(struct snapshot *s, const void *key, const void *values,
			unsigned int ncopies, size_t stride)
{
	struct qp_req_key k;
	struct qp_req r;

	(void)ncopies;
	(void)stride;
	memcpy(&k, key, sizeof(k));
	memcpy(&r, values, sizeof(r));
	return snap_add_inflight(s, &k, &r);
}

static int read_counters(struct snapshot *s, struct map_read *m, int ncpus, char *msg,
			 size_t size)
{
	__u32 idx, cpu;
	__u64 *vals;
	int err;

	if (m->fd < 0)
		return 0;
	err = check_map(m, ncpus, msg, size);
	if (err)
		return err;
	vals = malloc(m->ncopies * m->stride);
	if (!vals)
		return say(msg, size, -ENOMEM, "reading the counters: out of memory");
	for (idx = 0; idx < QP_CNT_N && idx < m->max_entries; idx++) {
		if (bpf_map_lookup_elem(m->fd, &idx, vals)) {
			err = say(msg, size, -errno, "reading the counters map '%s': %s", m->name,
				  strerror(errno));
			break;
		}
		for (cpu = 0; cpu < m->ncopies; cpu++)
			s->counters[idx] += vals[cpu * m->stride / sizeof(*vals)];
	}
	free(vals);
	return err;
}

int snap_take(struct snapshot *s, const struct snap_maps *maps, char *msg, size_t msg_size)
{
	struct map_read m[] = {
		{ .what = "workloads", .fd = maps->workloads, .fn = add_workload,
		  .key_size = sizeof(struct qp_wl_key), .value_size = sizeof(struct qp_wl_stats),
		  .types = { BPF_MAP_TYPE_PERCPU_HASH } },
		{ .what = "histograms", .fd = maps->hists, .fn = add_hist,
		  .key_size = sizeof(struct qp_hist_key), .value_size = sizeof(struct qp_hist),
		  .types = { BPF_MAP_TYPE_PERCPU_HASH } },
		{ .what = "DBC", .fd = maps->dbcs, .fn = add_dbc,
		  .key_size = sizeof(struct qp_dbc_key), .value_size = sizeof(struct qp_dbc_state),
		  .types = { BPF_MAP_TYPE_HASH } },
		{ .what = "in-flight", .fd = maps->inflight, .fn = add_inflight,
		  .key_size = sizeof(struct qp_req_key), .value_size = sizeof(struct qp_req),
		  .types = { BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_LRU_HASH } },
	};
	struct map_read counters = {
		.what = "counters", .fd = maps->counters,
		.key_size = sizeof(__u32), .value_size = sizeof(__u64),
		.types = { BPF_MAP_TYPE_PERCPU_ARRAY, BPF_MAP_TYPE_ARRAY },
	};
	int ncpus = libbpf_num_possible_cpus(), err = 0;
	size_t i;

	snap_init(s);
	if (msg && msg_size)
		msg[0] = '\0';
	if (ncpus <= 0)
		return say(msg, msg_size, ncpus ? ncpus : -EINVAL,
			   "cannot count the possible CPUs");
	s->ts_ns = now_ns();
	for (i = 0; i < sizeof(m) / sizeof(m[0]) && !err; i++)
		err = read_map(&m[i], s, ncpus, msg, msg_size);
	if (!err)
		err = read_counters(s, &counters, ncpus, msg, msg_size);
	s->ts_end_ns = now_ns();
	snap_sort(s);
	return err;
}
