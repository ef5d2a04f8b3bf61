// SPDX-License-Identifier: MIT
/*
 * The processes of a run: one child per workload process, each with its own
 * device file, DBC and network. Children report "set up" (or "failed") on a
 * ready pipe and block on a go pipe, so all workloads start together and
 * none runs if any could not be set up. Each child writes its result,
 * latencies and PERF_STATS_BO samples into its own memfd, which the parent
 * reads after it exits.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qaic_run.h"

struct child {
	pid_t pid;
	int result_fd;
	unsigned int windex, proc;
};

static int read_exact(int fd, off_t off, void *buf, size_t len)
{
	uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = pread(fd, p, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		off += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Append n values at offset off of fd to a; the offset moves past them. */
static int read_samples(int fd, off_t *off, uint64_t n, struct run_vec *a)
{
	if (!n)
		return 0;
	if (n > SIZE_MAX / sizeof(uint64_t) || run_vec_reserve(a, (size_t)n) ||
	    read_exact(fd, *off, a->v + a->n, (size_t)n * sizeof(uint64_t)))
		return -1;
	a->n += (size_t)n;
	*off += (off_t)(n * sizeof(uint64_t));
	return 0;
}

/* The samples a workload's processes send. */
struct samples {
	struct run_vec lat, perf_submit, perf_device;
};

/* Add one child's result and samples to its workload's. */
static int collect(const struct child *c, struct run_wl_result *r, struct samples *sm,
		   uint64_t *first_start, uint64_t *last_end)
{
	struct run_proc_result pr;
	off_t off = sizeof(pr);

	if (read_exact(c->result_fd, 0, &pr, sizeof(pr)) || pr.magic != RUN_RESULT_MAGIC)
		return -1;
	if (pr.status && !r->status) {
		r->status = pr.status;
		snprintf(r->error, sizeof(r->error), "process %u: %s", c->proc, pr.error);
	}
	if (pr.mismatches && !r->first_mismatch[0])
		snprintf(r->first_mismatch, sizeof(r->first_mismatch), "process %u: %.*s", c->proc,
			 (int)sizeof(pr.first_mismatch), pr.first_mismatch);
	if (c->proc < RUN_MAX_PROCS)
		r->dbcs[c->proc] = pr.dbc_id;
	if (!pr.status)
		r->procs_ok++;
	r->requests += pr.requests;
	r->inferences += pr.inferences;
	r->checked += pr.checked;
	r->mismatches += pr.mismatches;
	r->in_bytes += pr.in_bytes;
	r->out_bytes += pr.out_bytes;
	if (pr.requests) {
		if (!*first_start || pr.start_ns < *first_start)
			*first_start = pr.start_ns;
		if (pr.end_ns > *last_end)
			*last_end = pr.end_ns;
	}
	if (read_samples(c->result_fd, &off, pr.nsamples, &sm->lat) ||
	    read_samples(c->result_fd, &off, pr.nperf, &sm->perf_submit) ||
	    read_samples(c->result_fd, &off, pr.nperf, &sm->perf_device))
		return -1;
	return 0;
}

/*
 * started: the run began, so every child owes a result. Otherwise children
 * that were set up were sent home without one; only failures report.
 */
static int summarize_workload(const struct child *kids, unsigned int nkids, unsigned int wi,
			      int started, struct run_wl_result *r)
{
	struct samples sm;
	uint64_t first = 0, last = 0;
	unsigned int i;
	int ret = 0;

	memset(&sm, 0, sizeof(sm));
	for (i = 0; i < nkids; i++) {
		if (kids[i].windex != wi)
			continue;
		if (collect(&kids[i], r, &sm, &first, &last) && started) {
			ret = -1;
			if (!r->status) {
				r->status = -EIO;
				snprintf(r->error, sizeof(r->error),
					 "process %u left no result (killed?)", kids[i].proc);
			}
		}
	}
	r->wall_ns = last > first ? last - first : 0;
	run_summarize(sm.lat.v, sm.lat.n, &r->lat);
	/* A result read only in part may hold fewer device figures: count pairs. */
	run_perf_summarize(sm.perf_submit.v, sm.perf_device.v,
			   sm.perf_submit.n < sm.perf_device.n ? sm.perf_submit.n : sm.perf_device.n,
			   &r->perf);
	run_vec_free(&sm.lat);
	run_vec_free(&sm.perf_submit);
	run_vec_free(&sm.perf_device);
	return ret;
}

/*
 * A stop asked of qaic-run goes on to every child at once, from the signal
 * handler itself (kill(2) is async-signal-safe): Ctrl-C reaches the whole
 * process group, but kill or a service manager may signal only the parent.
 * The children stop submitting, drain and report.
 */
static volatile pid_t stop_pids[RUN_MAX_WORKLOADS * RUN_MAX_PROCS];
static volatile sig_atomic_t stop_npids;

void run_stop_handler(int sig)
{
	sig_atomic_t i;

	(void)sig;
	run_stop_requested = 1;
	for (i = 0; i < stop_npids; i++)
		kill(stop_pids[i], SIGTERM);
}

static void reap(struct child *kids, unsigned int n)
{
	unsigned int i;
	int st;

	for (i = 0; i < n; i++) {
		if (kids[i].pid <= 0)
			continue;
		while (waitpid(kids[i].pid, &st, 0) < 0 && errno == EINTR)
			;
	}
	stop_npids = 0;
}

/* Read one byte per child from the ready pipe: 1 if all are set up. */
static int all_ready(int fd, unsigned int n)
{
	unsigned int got = 0, ok = 1;
	char c;
	ssize_t r;

	while (got < n) {
		r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR && run_stop_requested)
			return 0;	/* stopped before the start: nobody runs */
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;	/* a child died before saying */
		got++;
		if (c != 'R')
			ok = 0;
	}
	return ok;
}

int run_processes(const struct run_config *cfg, const char *node, struct run_wl_result *res)
{
	int ready[2] = { -1, -1 }, go[2] = { -1, -1 };
	struct child *kids;
	unsigned int nkids = 0, total = 0, i, p, started = 0;
	struct run_proc_ctx ctx;
	char *gos;
	int ret = 0;

	for (i = 0; i < cfg->n; i++)
		total += cfg->w[i].procs;
	kids = calloc(total, sizeof(*kids));
	gos = malloc(total);
	if (!kids || !gos || pipe(ready) || pipe(go)) {
		free(kids);
		free(gos);
		return -ENOMEM;
	}
	memset(gos, 'G', total);

	for (i = 0; i < cfg->n && !ret; i++) {
		memset(&res[i], 0, sizeof(res[i]));
		res[i].w = &cfg->w[i];
		for (p = 0; p < cfg->w[i].procs && !ret; p++) {
			struct child *c = &kids[nkids];

			c->windex = i;
			c->proc = p;
			c->result_fd = memfd_create("qaic-run-result", MFD_CLOEXEC);
			if (c->result_fd < 0) {
				ret = -errno;
				break;
			}
			fflush(NULL);
			c->pid = fork();
			if (c->pid < 0) {
				ret = -errno;
				close(c->result_fd);
				break;
			}
			if (c->pid == 0) {
				stop_npids = 0;		/* a child signals no one */
				close(ready[0]);
				close(go[1]);
				ctx = (struct run_proc_ctx){ cfg, &cfg->w[i], i, p, node, ready[1],
							     go[0], c->result_fd };
				_exit(run_worker(&ctx));
			}
			stop_pids[stop_npids] = c->pid;
			stop_npids = stop_npids + 1;
			nkids++;
		}
	}
	close(ready[1]);
	close(go[0]);

	/* Start everyone together, or nobody: closing go unblocks them all. */
	if (!ret && all_ready(ready[0], nkids)) {
		started = write(go[1], gos, nkids) == (ssize_t)nkids;
		if (!started)
			ret = -EPIPE;
	} else if (!ret) {
		ret = -ECANCELED;
	}
	close(go[1]);
	close(ready[0]);
	reap(kids, nkids);

	for (i = 0; i < cfg->n; i++) {
		if (summarize_workload(kids, nkids, i, started, &res[i]) && !ret)
			ret = -EIO;
	}
	for (i = 0; i < nkids; i++)
		close(kids[i].result_fd);
	free(kids);
	free(gos);
	return ret;
}
