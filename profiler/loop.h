/* SPDX-License-Identifier: MIT */
/*
 * The interval loop of the live subcommands, as iostat has it: wait one
 * interval, take a snapshot of the maps, hand the difference from the
 * previous one to the subcommand, COUNT times or until SIGINT/SIGTERM
 * (after which the partial interval is reported once more, marked final).
 * It also watches the devices: when the last qaic device goes away (driver
 * unbound, device removed) it says so and stops, or with follow keeps
 * going and says when one is back.
 */
#ifndef PROF_LOOP_H_
#define PROF_LOOP_H_

#include <stdbool.h>
#include <stdint.h>

#include "snapshot.h"

struct prof_session;

struct loop_opts {
	uint64_t interval_ns;
	uint64_t count;		/* 0: until stopped */
	bool cumulative;	/* hand over everything since start, not the interval */
	bool follow;		/* keep going when the devices go away */
	/* in record mode the loop drains the ring buffer while it waits */
};

/*
 * Called once per interval with the interval's view (or the cumulative
 * one); final is true for the last call. Returns 0 to go on, or an exit
 * code to stop with.
 */
typedef int (*loop_fn)(void *ctx, const struct snapshot *view, const struct snapshot *now,
		       bool final);

/* Runs the loop; returns an enum prof_exit value. */
int loop_run(struct prof_session *s, const struct loop_opts *o, loop_fn fn, void *ctx);

/* True once SIGINT or SIGTERM arrived (handlers installed by loop_run). */
bool loop_stopping(void);

/* Install the SIGINT/SIGTERM handlers without running the loop. */
void loop_signals(void);

#endif /* PROF_LOOP_H_ */
