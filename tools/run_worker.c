// SPDX-License-Identifier: MIT
/*
 * One qaic-run process: its own open file, DBC and network on the simulated
 * card, a set of input/output BO pairs, and two threads. The submitter
 * issues requests (open loop: at Poisson arrival times; closed loop: as soon
 * as one of the in-flight slots frees up); the completer waits for them in
 * queue order (a DBC runs its queue in order), checks outputs and records
 * each request's latency. Open-loop latency runs from the arrival time, so
 * time spent waiting for a free slot counts, as a client would see it.
 *
 * With --perf-stats the completer also asks the driver, in one
 * PERF_STATS_BO call per request, what it measured for each of the
 * request's BOs (input and output of every inference): the statistics
 * describe a BO's last execution, so they are read after the wait and
 * before its slot can be submitted again.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "qaic_run.h"

volatile sig_atomic_t run_stop_requested;

struct inflight {
	uint64_t seq;			/* request number in this process */
	uint32_t group;			/* slots group * batch .. + batch - 1 */
	uint64_t t0;			/* arrival (open) or submission (closed) */
	int checked;
};

struct worker {
	const struct run_proc_ctx *ctx;
	const struct run_workload *w;
	struct qaic_dev *dev;
	struct qaic_simnet_io *io;
	uint32_t dbc, ngroups;

	pthread_mutex_t lock;		/* guards everything below */
	pthread_cond_t cond;		/* any change of count, submit_done, failed */
	struct inflight *ring;		/* ngroups entries, oldest at head */
	uint32_t head, count;
	int submit_done;
	struct run_vec lat;		/* request latencies, ns */
	struct run_proc_result res;

	/* --perf-stats; completer thread only */
	struct qaic_perf_stats_entry *perf_e;	/* 2 x batch: in and out BO of each */
	struct run_vec perf_submit, perf_device;	/* us, per BO execution */
};

static void fail(struct worker *wk, int ret, const char *fmt, const char *what)
{
	pthread_mutex_lock(&wk->lock);
	if (!wk->res.status) {
		wk->res.status = ret < 0 ? ret : -EIO;
		snprintf(wk->res.error, sizeof(wk->res.error), fmt, what, strerror(-wk->res.status));
	}
	pthread_cond_broadcast(&wk->cond);
	pthread_mutex_unlock(&wk->lock);
}

/*
 * PERF_STATS_BO for the BOs of a completed request's group, in one call;
 * their figures join the process's samples. 0 or -errno.
 */
static int read_perf_stats(struct worker *wk, uint32_t group)
{
	uint32_t batch = wk->w->batch, i, n = 2 * batch;
	struct qaic_perf_stats_entry *e = wk->perf_e;
	int ret;

	for (i = 0; i < batch; i++) {
		memset(&e[2 * i], 0, 2 * sizeof(*e));
		ret = qaic_simnet_io_handles(wk->io, group * batch + i, &e[2 * i].handle,
					     &e[2 * i + 1].handle);
		if (ret)
			return ret;
	}
	ret = qaic_perf_stats(wk->dev, wk->dbc, e, (uint16_t)n);
	if (ret)
		return ret;
	if (run_vec_reserve(&wk->perf_submit, n) || run_vec_reserve(&wk->perf_device, n))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		wk->perf_submit.v[wk->perf_submit.n++] = e[i].submit_latency_us;
		wk->perf_device.v[wk->perf_device.n++] = e[i].device_latency_us;
	}
	return 0;
}

/* Make this request's input unique (sequence and slot at offset 0). */
static void stamp(struct worker *wk, uint32_t slot, uint64_t seq)
{
	uint8_t *in = qaic_simnet_io_input(wk->io, slot);
	uint64_t tag[2] = { seq, (uint64_t)wk->ctx->windex << 32 | wk->ctx->proc << 16 | slot };
	size_t n = wk->w->in_bytes < sizeof(tag) ? (size_t)wk->w->in_bytes : sizeof(tag);

	memcpy(in, tag, n);
}

static void *completer(void *arg)
{
	struct worker *wk = arg;
	uint32_t batch = wk->w->batch, i, slot, bad;
	struct inflight r;
	uint64_t t1, off;
	int ret;

	for (;;) {
		pthread_mutex_lock(&wk->lock);
		while (!wk->count && !wk->submit_done && !wk->res.status)
			pthread_cond_wait(&wk->cond, &wk->lock);
		if (wk->res.status || !wk->count) {
			pthread_mutex_unlock(&wk->lock);
			return NULL;
		}
		r = wk->ring[wk->head];
		pthread_mutex_unlock(&wk->lock);

		for (i = 0; i < batch; i++) {
			slot = r.group * batch + i;
			do {
				ret = qaic_simnet_io_wait(wk->io, slot, wk->ctx->cfg->timeout_ms);
			} while (ret == -EINTR);
			if (ret) {
				char what[96];

				snprintf(what, sizeof(what), "DBC %u, buffer pair %u: wait%s",
					 wk->dbc, slot, ret == -ETIMEDOUT ?
					 " gave up after --timeout" : "");
				fail(wk, ret, "%s: %s", what);
				return NULL;
			}
		}
		t1 = run_now_ns();
		bad = 0;
		for (i = 0; r.checked && i < batch; i++) {
			slot = r.group * batch + i;
			off = 0;
			if (qaic_simnet_io_verify(wk->io, slot, &off) != -EBADMSG)
				continue;
			if (!bad++ && !wk->res.first_mismatch[0])
				snprintf(wk->res.first_mismatch, sizeof(wk->res.first_mismatch),
					 "request %llu, buffer pair %u: output byte %llu of %llu "
					 "is wrong", (unsigned long long)r.seq, slot,
					 (unsigned long long)off,
					 (unsigned long long)wk->w->out_bytes);
		}
		/* Before the slots are freed: the statistics are of their last run. */
		ret = wk->ctx->cfg->perf_stats ? read_perf_stats(wk, r.group) : 0;
		if (ret) {
			char what[64];

			snprintf(what, sizeof(what), "DBC %u: PERF_STATS_BO", wk->dbc);
			fail(wk, ret, "%s: %s", what);
			return NULL;
		}

		pthread_mutex_lock(&wk->lock);
		wk->head = (wk->head + 1) % wk->ngroups;
		wk->count--;
		wk->res.requests++;
		wk->res.inferences += batch;
		if (r.checked) {
			wk->res.checked += batch;
			wk->res.mismatches += bad;
		}
		wk->res.end_ns = t1;
		ret = run_vec_push(&wk->lat, t1 - r.t0);
		pthread_cond_broadcast(&wk->cond);
		pthread_mutex_unlock(&wk->lock);
		if (ret) {
			fail(wk, ret, "%s: %s", "recording latencies");
			return NULL;
		}
	}
}

/*
 * Sleep until CLOCK_MONOTONIC reaches t (ns), or a stop is requested. In
 * steps of at most 100 ms: the stop signal may go to the other thread.
 */
static void sleep_until(uint64_t t)
{
	const uint64_t step = 100000000ULL;
	struct timespec ts;
	uint64_t now, until;

	while (!run_stop_requested && (now = run_now_ns()) < t) {
		until = t - now > step ? now + step : t;
		ts.tv_sec = (time_t)(until / 1000000000ULL);
		ts.tv_nsec = (long)(until % 1000000000ULL);
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
}

/* Queue one request on its slots; waits out a full queue. 0 or -errno. */
static int submit(struct worker *wk, const uint32_t *slots)
{
	uint32_t seen;
	int ret;

	for (;;) {
		ret = qaic_simnet_io_submit(wk->io, slots, wk->w->batch);
		if (ret != -EAGAIN)
			return ret;
		/* The DBC's queue is full: wait for one of ours to complete. */
		pthread_mutex_lock(&wk->lock);
		seen = wk->count;
		if (!seen) {
			pthread_mutex_unlock(&wk->lock);
			return -ENOSPC;
		}
		while (wk->count == seen && !wk->res.status)
			pthread_cond_wait(&wk->cond, &wk->lock);
		ret = wk->res.status;
		pthread_mutex_unlock(&wk->lock);
		if (ret)
			return ret;
	}
}

static void submitter(struct worker *wk)
{
	const struct run_workload *w = wk->w;
	uint64_t nreq = run_proc_requests(w, wk->ctx->proc);
	uint64_t start = wk->res.start_ns, end = start + w->time_ns, seq, t0 = 0, next = start;
	double rate = run_proc_rate(w);
	uint32_t slots[RUN_MAX_BATCH], i, group;
	struct run_rng rng;
	int ret, checked;

	run_rng_seed(&rng, (uint64_t)w->seed << 20 ^ wk->ctx->proc);
	if (w->mode == RUN_OPEN)
		next += (uint64_t)(run_rng_exp(&rng, rate) * 1e9);
	for (seq = 0; !run_stop_requested && (!nreq || seq < nreq); seq++) {
		if (w->mode == RUN_OPEN) {
			t0 = next;
			if (!nreq && t0 >= end)
				break;
			sleep_until(t0);
			next += (uint64_t)(run_rng_exp(&rng, rate) * 1e9);
		} else if (!nreq && run_now_ns() >= end) {
			break;
		}

		pthread_mutex_lock(&wk->lock);
		while (wk->count == wk->ngroups && !wk->res.status)
			pthread_cond_wait(&wk->cond, &wk->lock);
		ret = wk->res.status;
		pthread_mutex_unlock(&wk->lock);
		if (ret || run_stop_requested)
			break;

		/* The oldest in flight holds the group after ours: ours is free. */
		group = (uint32_t)(seq % wk->ngroups);
		checked = w->check_every && seq % w->check_every == 0;
		for (i = 0; i < w->batch; i++) {
			slots[i] = group * w->batch + i;
			if (checked)
				stamp(wk, slots[i], seq);
		}
		if (w->mode == RUN_CLOSED)
			t0 = run_now_ns();
		ret = submit(wk, slots);
		if (ret) {
			fail(wk, ret, "%s: %s", ret == -ENOSPC ?
			     "execute: the DBC queue is too small for one request (queue=)" :
			     "execute");
			break;
		}
		pthread_mutex_lock(&wk->lock);
		wk->ring[(wk->head + wk->count) % wk->ngroups] =
			(struct inflight){ seq, group, t0, checked };
		wk->count++;
		pthread_cond_broadcast(&wk->cond);
		pthread_mutex_unlock(&wk->lock);
	}
	pthread_mutex_lock(&wk->lock);
	wk->submit_done = 1;
	pthread_cond_broadcast(&wk->cond);
	pthread_mutex_unlock(&wk->lock);
}

static int run_threads(struct worker *wk)
{
	pthread_t tid;
	int ret;

	wk->res.start_ns = run_now_ns();
	wk->res.end_ns = wk->res.start_ns;
	ret = pthread_create(&tid, NULL, completer, wk);
	if (ret) {
		fail(wk, -ret, "%s: %s", "starting the completion thread");
		return -ret;
	}
	submitter(wk);
	pthread_join(tid, NULL);
	return 0;
}

/* ---- setup and teardown ---------------------------------------------------- */

static int setup_error(struct worker *wk, int ret, const char *what)
{
	const char *why = strerror(-ret);

	if (ret == -ECANCELED && !strcmp(what, "activate"))
		why = "no free DBC on the device (see qaic-util dbc)";
	else if ((ret == -EBADMSG || ret == -ENOMSG) && !strcmp(what, "load network"))
		why = "the firmware does not know sim networks (a real card needs compiled "
		      "programs; qaic-run drives qaic_sim.ko)";
	wk->res.status = ret;
	snprintf(wk->res.error, sizeof(wk->res.error), "%s: %s", what, why);
	return ret;
}

static int setup(struct worker *wk, struct qaic_simnet *net)
{
	const struct run_workload *w = wk->w;
	struct qaic_simnet_plan plan;
	long page = sysconf(_SC_PAGESIZE);
	uint32_t s;
	int ret;

	ret = qaic_open(wk->ctx->node, &wk->dev);
	if (ret)
		return setup_error(wk, ret, "open device");
	run_make_net(w, wk->ctx->proc, net);
	ret = qaic_simnet_plan(net, page > 0 ? (uint64_t)page : 4096, &plan);
	if (ret)
		return setup_error(wk, ret, "plan");
	wk->res.queue = run_queue_size(w, plan.max_elements);
	ret = qaic_activate(wk->dev, wk->res.queue, &wk->dbc);
	if (ret)
		return setup_error(wk, ret, "activate");
	wk->res.dbc_id = wk->dbc;
	ret = qaic_simnet_place(net, wk->dbc);
	if (!ret)
		ret = qaic_simnet_load(wk->dev, net);
	if (ret)
		return setup_error(wk, ret, "load network");
	ret = qaic_simnet_io_create(wk->dev, net, wk->dbc, run_slots(w), &wk->io);
	if (ret)
		return setup_error(wk, ret, "create buffers");
	for (s = 0; s < run_slots(w); s++)
		qaic_simnet_io_fill(wk->io, s, (uint64_t)w->seed << 32 ^ wk->ctx->proc << 16 ^ s);
	return 0;
}

static void teardown(struct worker *wk, const struct qaic_simnet *net)
{
	qaic_simnet_io_destroy(wk->io);
	if (wk->res.dbc_id != UINT32_MAX) {
		qaic_simnet_unload(wk->dev, net->net_id);
		qaic_deactivate(wk->dev, wk->dbc);
	}
	qaic_close(wk->dev);
}

static int write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_result(struct worker *wk)
{
	wk->res.magic = RUN_RESULT_MAGIC;
	wk->res.nsamples = wk->lat.n;
	wk->res.nperf = wk->perf_submit.n;
	wk->res.in_bytes = wk->res.inferences * wk->w->in_bytes;
	wk->res.out_bytes = wk->res.inferences * wk->w->out_bytes;
	if (write_all(wk->ctx->result_fd, &wk->res, sizeof(wk->res)) ||
	    (wk->lat.n && write_all(wk->ctx->result_fd, wk->lat.v, wk->lat.n * sizeof(uint64_t))))
		return -1;
	if (wk->res.nperf &&
	    (write_all(wk->ctx->result_fd, wk->perf_submit.v, wk->res.nperf * sizeof(uint64_t)) ||
	     write_all(wk->ctx->result_fd, wk->perf_device.v, wk->res.nperf * sizeof(uint64_t))))
		return -1;
	return 0;
}

int run_worker(const struct run_proc_ctx *ctx)
{
	struct worker wk;
	struct qaic_simnet net;
	char go = 0, ready;
	ssize_t n;
	int ret, aborted = 0, status = RUN_EXIT_OK;

	memset(&wk, 0, sizeof(wk));
	wk.ctx = ctx;
	wk.w = ctx->w;
	wk.res.dbc_id = UINT32_MAX;
	wk.ngroups = run_inflight(ctx->w);
	pthread_mutex_init(&wk.lock, NULL);
	pthread_cond_init(&wk.cond, NULL);
	wk.ring = calloc(wk.ngroups, sizeof(*wk.ring));
	wk.perf_e = calloc(2 * (size_t)ctx->w->batch, sizeof(*wk.perf_e));
	ret = wk.ring && wk.perf_e ? setup(&wk, &net) : setup_error(&wk, -ENOMEM, "setup");

	ready = ret ? 'E' : 'R';
	if (write_all(ctx->ready_fd, &ready, 1))
		ret = ret ? ret : -EPIPE;
	close(ctx->ready_fd);
	if (!ret) {
		do {
			n = read(ctx->go_fd, &go, 1);
		} while (n < 0 && errno == EINTR);
		if (n == 1 && go == 'G')
			run_threads(&wk);
		else
			aborted = 1;	/* another process failed: stop quietly */
	}
	close(ctx->go_fd);

	if (wk.dev)
		teardown(&wk, &net);
	if (!aborted && write_result(&wk))
		status = RUN_EXIT_FAIL;
	if (wk.res.status)
		status = RUN_EXIT_FAIL;
	else if (wk.res.mismatches)
		status = RUN_EXIT_MISMATCH;
	free(wk.ring);
	free(wk.perf_e);
	run_vec_free(&wk.lat);
	run_vec_free(&wk.perf_submit);
	run_vec_free(&wk.perf_device);
	return status;
}
