// SPDX-License-Identifier: MIT
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "loop.h"
#include "prof.h"
#include "qaic.h"
#include "session.h"

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

bool loop_stopping(void)
{
	return stopping;
}

void loop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: waits end at once */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Sleep until deadline (or a signal), draining the ring buffer meanwhile. */
static void wait_until(struct prof_session *s, uint64_t deadline)
{
	while (!stopping) {
		uint64_t now = mono_ns();
		struct timespec ts;
		uint64_t left;

		if (now >= deadline)
			return;
		left = deadline - now;
		if (s->rb) {
			session_poll(s, left > 100000000 ? 100 : (int)(left / 1000000) + 1);
			continue;
		}
		ts.tv_sec = (time_t)(left / 1000000000ULL);
		ts.tv_nsec = (long)(left % 1000000000ULL);
		nanosleep(&ts, NULL);
	}
}

static int devices_present(void)
{
	struct qaic_device_info info[1];

	return qaic_device_list(info, 1) > 0;
}

int loop_run(struct prof_session *s, const struct loop_opts *o, loop_fn fn, void *ctx)
{
	struct snapshot first, prev, cur, view;
	int had_devices = devices_present(), ret = PROF_EXIT_OK;
	uint64_t n = 0, deadline;
	char msg[256] = "out of memory";
	bool final = false;

	loop_signals();
	/*
	 * The maps were empty when the programs were attached: the first
	 * interval starts from an empty snapshot taken then, so nothing that
	 * happened before the first read is left out.
	 */
	snap_init(&first);
	snap_init(&prev);
	first.ts_ns = prev.ts_ns = s->start_ns;
	deadline = prev.ts_ns + o->interval_ns;
	while (!final) {
		int present;

		wait_until(s, deadline);
		deadline += o->interval_ns;
		present = devices_present();
		if (had_devices && !present) {
			fprintf(stderr, "qaic-prof: no qaic device left (driver unbound or device removed)%s\n",
				o->follow ? "; waiting for one (--follow)" : "");
		} else if (!had_devices && present && o->follow) {
			fprintf(stderr, "qaic-prof: a qaic device is back\n");
		}
		final = stopping || (o->count && n + 1 >= o->count) ||
			(had_devices && !present && !o->follow);
		had_devices = present;
		if (s->rb)
			session_poll(s, 0);
		snap_init(&cur);
		if (snap_take(&cur, &s->maps, msg, sizeof(msg)) ||
		    snap_delta(&view, &cur, o->cumulative ? &first : &prev)) {
			fprintf(stderr, "qaic-prof: reading the maps: %s\n", msg);
			snap_free(&cur);
			ret = PROF_EXIT_FAIL;
			break;
		}
		ret = fn(ctx, &view, &cur, final);
		snap_free(&view);
		snap_free(&prev);
		prev = cur;
		n++;
		if (ret)
			break;
	}
	snap_free(&prev);
	snap_free(&first);
	return ret;
}
