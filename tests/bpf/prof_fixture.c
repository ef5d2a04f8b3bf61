// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "prof_fixture.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * libbpf's warnings (a verifier log among them) become TAP diagnostics, one
 * "# " line each; its debug chatter is dropped.
 */
static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char *text, *line, *save = NULL;

	if (level == LIBBPF_DEBUG)
		return 0;
	if (vasprintf(&text, fmt, ap) < 0)
		return 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		printf("# %s\n", line);
	free(text);
	return 0;
}

static void fx_init_once(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	libbpf_set_print(print_libbpf);
}

void fx_set_comm(void)
{
	prctl(PR_SET_NAME, FX_COMM, 0, 0, 0);
}

/* @classic: load the tp/ programs (needs the qaic module's BTF), else the raw_tp/ ones. */
static int open_and_load(const struct fx_opts *o, bool classic, struct qaic_prof_bpf **out)
{
	struct qaic_prof_bpf *s;
	struct bpf_program *p;
	int err;

	fx_init_once();
	*out = NULL;
	s = qaic_prof_bpf__open();
	if (!s)
		return -errno;
	bpf_object__for_each_program(p, s->obj)
		bpf_program__set_autoload(p, classic ==
					  (bpf_program__type(p) == BPF_PROG_TYPE_TRACEPOINT));
	if (o) {
		if (o->inflight_max)
			bpf_map__set_max_entries(s->maps.inflight, o->inflight_max);
		if (o->hists_max)
			bpf_map__set_max_entries(s->maps.hists, o->hists_max);
		if (o->ringbuf_bytes)
			bpf_map__set_max_entries(s->maps.events, o->ringbuf_bytes);
		if (o->set_filters) {
			s->rodata->targ_dev = o->targ_dev;
			s->rodata->targ_dbc = o->targ_dbc;
			s->rodata->targ_tgid = o->targ_tgid;
		}
		s->rodata->targ_cgroup = o->targ_cgroup;
		s->rodata->record = o->record;
	}
	err = qaic_prof_bpf__load(s);
	if (err) {
		qaic_prof_bpf__destroy(s);
		return err < 0 ? err : -EINVAL;
	}
	*out = s;
	return 0;
}

const char *fx_unavailable(void)
{
	static char why[160];
	struct qaic_prof_bpf *s;
	int err;

	err = open_and_load(NULL, false, &s);
	if (!err) {
		qaic_prof_bpf__destroy(s);
		return NULL;
	}
	/* The verifier's refusal is -EACCES or -EINVAL: a real failure, reported. */
	if (err != -EPERM)
		return NULL;
	snprintf(why, sizeof(why), "BPF not permitted here (%s): needs root or CAP_BPF+CAP_PERFMON",
		 strerror(-err));
	return why;
}

int fx_skip_all(const char *why)
{
	printf("1..1\nok 1 # SKIP %s\n", why);
	return 0;
}

struct qaic_prof_bpf *fx_load(const struct fx_opts *o)
{
	struct qaic_prof_bpf *s;
	int err;

	err = open_and_load(o, false, &s);
	if (err)
		printf("# loading qaic_prof.bpf.o failed: %s\n", strerror(-err));
	return s;
}

struct qaic_prof_bpf *fx_load_classic(const struct fx_opts *o)
{
	struct qaic_prof_bpf *s;
	int err;

	err = open_and_load(o, true, &s);
	if (err)
		printf("# loading qaic_prof.bpf.o (tp/ programs) failed: %s\n", strerror(-err));
	return s;
}

int fx_run(const struct bpf_program *prog, const __u64 *args, size_t nargs)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args, .ctx_size_in = nargs * sizeof(*args));
	int err;

	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
	if (err)
		return -errno;
	return (int)opts.retval;
}

/* Arguments the programs do not read get values that would show if they did. */
#define FX_CLIENT	77
#define FX_USER		5
#define FX_TGID_ARG	4242

int fx_execute(struct qaic_prof_bpf *s, __u32 dev, __u32 dbc, __u32 count, bool partial,
	       __u64 ts)
{
	__u64 a[] = { dev, FX_CLIENT, FX_TGID_ARG, dbc, count, partial, ts };

	return fx_run(s->progs.raw_qaic_execute, a, ARRAY_SIZE(a));
}

int fx_enqueue(struct qaic_prof_bpf *s, __u32 dev, __u32 dbc, __u64 seq, __u32 handle,
	       __u64 bytes, __u32 elements, __u32 level, __u64 submit_ts, __u32 dir)
{
	__u64 a[] = { dev, dbc, (__u16)seq, seq, FX_USER, handle, bytes, elements, level,
		      submit_ts, dir };

	return fx_run(s->progs.raw_qaic_bo_enqueue, a, ARRAY_SIZE(a));
}

int fx_doorbell(struct qaic_prof_bpf *s, __u32 dev, __u32 dbc, __u32 tail, __u32 bos,
		__u32 elements, __u64 ts)
{
	__u64 a[] = { dev, dbc, tail, bos, elements, ts };

	return fx_run(s->progs.raw_qaic_doorbell, a, ARRAY_SIZE(a));
}

int fx_irq(struct qaic_prof_bpf *s, __u32 dev, __u32 dbc, __u32 head, __u32 tail, bool polled,
	   __u64 ts)
{
	__u64 a[] = { dev, dbc, head, tail, polled, ts };

	return fx_run(s->progs.raw_qaic_dbc_irq, a, ARRAY_SIZE(a));
}

/* An int travels as the kernel passes it: sign-extended to 64 bits. */
int fx_complete(struct qaic_prof_bpf *s, __u32 dev, __u32 dbc, __u64 seq, __u32 handle,
		int status, __u64 submit_ts, __u64 doorbell_ts, __u64 seen_ts, __u64 complete_ts)
{
	__u64 a[] = { dev, dbc, (__u16)seq, seq, handle, (__u64)(__s64)status, submit_ts,
		      doorbell_ts, seen_ts, complete_ts };

	return fx_run(s->progs.raw_qaic_bo_complete, a, ARRAY_SIZE(a));
}

int fx_wait(struct qaic_prof_bpf *s, __u32 dev, __u32 dbc, __u32 handle, __u64 seq, int result,
	    int status, __u64 ts, __u64 waited_ns)
{
	__u64 a[] = { dev, dbc, handle, (__u16)seq, seq, (__u64)(__s64)result,
		      (__u64)(__s64)status, ts, waited_ns };

	return fx_run(s->progs.raw_qaic_wait_return, a, ARRAY_SIZE(a));
}

static int ncpus(void)
{
	static int n;

	if (!n)
		n = libbpf_num_possible_cpus();
	return n;
}

/* Look up a per-CPU value of @size (a multiple of 8) into a buffer of ncpus copies. */
static void *percpu_lookup(const struct bpf_map *map, const void *key, size_t size)
{
	void *vals = calloc(ncpus(), size);

	if (!vals)
		return NULL;
	if (bpf_map_lookup_elem(bpf_map__fd(map), key, vals)) {
		free(vals);
		return NULL;
	}
	return vals;
}

__u64 fx_counter(struct qaic_prof_bpf *s, enum qp_counter c)
{
	__u32 key = c;
	__u64 *vals, sum = 0;
	int i;

	vals = percpu_lookup(s->maps.counters, &key, sizeof(__u64));
	if (!vals)
		return ~0ULL;
	for (i = 0; i < ncpus(); i++)
		sum += vals[i];
	free(vals);
	return sum;
}

bool fx_counters_zero_except(struct qaic_prof_bpf *s, __u32 except_mask)
{
	bool zero = true;
	int c;

	for (c = 0; c < QP_CNT_N; c++) {
		__u64 v;

		if (except_mask & (1u << c))
			continue;
		v = fx_counter(s, c);
		if (v) {
			printf("# counter %d is %llu, want 0\n", c, (unsigned long long)v);
			zero = false;
		}
	}
	return zero;
}

unsigned int fx_map_entries(const struct bpf_map *map)
{
	unsigned char key[256], next[256];
	unsigned int n = 0;
	void *prev = NULL;

	while (!bpf_map_get_next_key(bpf_map__fd(map), prev, next)) {
		memcpy(key, next, bpf_map__key_size(map));
		prev = key;
		n++;
	}
	return n;
}

int fx_workload(struct qaic_prof_bpf *s, const struct qp_wl_key *key, struct qp_wl_stats *out)
{
	struct qp_wl_stats *v;
	int i, j;

	v = percpu_lookup(s->maps.workloads, key, sizeof(*v));
	memset(out, 0, sizeof(*out));
	if (!v)
		return -ENOENT;
	for (i = 0; i < ncpus(); i++) {
		out->executes += v[i].executes;
		for (j = 0; j < QP_DIR_N; j++) {
			out->enq[j] += v[i].enq[j];
			out->enq_bytes[j] += v[i].enq_bytes[j];
			out->done[j] += v[i].done[j];
			out->done_bytes[j] += v[i].done_bytes[j];
		}
		out->errors += v[i].errors;
		out->waits += v[i].waits;
		for (j = 0; j < QP_STAGE_N; j++)
			out->lat_sum_ns[j] += v[i].lat_sum_ns[j];
		if (v[i].comm[0])
			memcpy(out->comm, v[i].comm, sizeof(out->comm));
	}
	free(v);
	return 0;
}

int fx_hist(struct qaic_prof_bpf *s, const struct qp_wl_key *key, enum qp_stage stage,
	    struct qp_hist *out)
{
	struct qp_hist_key hk = { .wl = *key, .stage = stage };
	struct qp_hist *v;
	unsigned int j;
	int i;

	v = percpu_lookup(s->maps.hists, &hk, sizeof(*v));
	memset(out, 0, sizeof(*out));
	if (!v)
		return -ENOENT;
	for (i = 0; i < ncpus(); i++)
		for (j = 0; j < QP_HIST_SLOTS; j++)
			out->slots[j] += v[i].slots[j];
	free(v);
	return 0;
}

__u64 fx_hist_total(const struct qp_hist *h)
{
	unsigned int i;
	__u64 n = 0;

	for (i = 0; i < QP_HIST_SLOTS; i++)
		n += h->slots[i];
	return n;
}

int fx_dbc(struct qaic_prof_bpf *s, __u32 dev, __u32 dbc, struct qp_dbc_state *out)
{
	struct qp_dbc_key key = { .dev = dev, .dbc = dbc };

	memset(out, 0, sizeof(*out));
	if (bpf_map_lookup_elem(bpf_map__fd(s->maps.dbcs), &key, out))
		return -errno;
	return 0;
}

static bool req_map_has(const struct bpf_map *map, __u32 dev, __u32 dbc, __u64 seq)
{
	struct qp_req_key key = { .dev = dev, .dbc = dbc, .seq = seq };
	struct qp_req req;

	return !bpf_map_lookup_elem(bpf_map__fd(map), &key, &req);
}

bool fx_inflight_has(struct qaic_prof_bpf *s, __u32 dev, __u32 dbc, __u64 seq)
{
	return req_map_has(s->maps.inflight, dev, dbc, seq);
}

bool fx_done_has(struct qaic_prof_bpf *s, __u32 dev, __u32 dbc, __u64 seq)
{
	return req_map_has(s->maps.done, dev, dbc, seq);
}

/*
 * What bpf_get_current_cgroup_id() returns for us: the id (kernfs inode) of
 * our cgroup v2 directory, 1 (the root) when cgroup v2 is not mounted.
 */
__u64 fx_self_cgroup(void)
{
	char line[4096], mnt[4096] = "", path[4096] = "/", full[8192];
	union {
		struct file_handle fh;
		unsigned char room[sizeof(struct file_handle) + sizeof(__u64)];
	} h;
	int mount_id;
	__u64 id;
	FILE *f;

	f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - cgroup2 ");

		if (sep && sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1)
			break;
		mnt[0] = '\0';
	}
	fclose(f);
	if (!mnt[0])
		return 1;
	f = fopen("/proc/self/cgroup", "r");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "0::", 3) && sscanf(line + 3, "%4095s", path) == 1)
				break;
		fclose(f);
	}
	snprintf(full, sizeof(full), "%s%s", mnt, path);
	h.fh.handle_bytes = sizeof(id);
	if (name_to_handle_at(AT_FDCWD, full, &h.fh, &mount_id, 0))
		return 1;
	memcpy(&id, h.fh.f_handle, sizeof(id));
	return id;
}

struct qp_wl_key fx_self_key(__u32 dev, __u32 dbc)
{
	struct qp_wl_key k = {
		.dev = dev,
		.dbc = dbc,
		.tgid = (__u32)getpid(),
		.cgroup = fx_self_cgroup(),
	};

	return k;
}
