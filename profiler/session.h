/* SPDX-License-Identifier: MIT */
/*
 * A profiling session: the BPF programs of bpf/qaic_prof.bpf.c loaded with
 * the user's filters and attached to the qaic tracepoints (raw_tp, or the
 * classic tracepoints as a fallback), the maps a snapshot reads, and in
 * record mode the ring buffer. Also the options every subcommand shares:
 * the filters and the attachment mode.
 */
#ifndef PROF_SESSION_H_
#define PROF_SESSION_H_

#include <stdbool.h>
#include <stdint.h>

#include <bpf/libbpf.h>

#include "args.h"
#include "snapshot.h"

struct qaic_prof_bpf;

/* Which events are counted: -1 / 0 means every one. */
struct prof_filter {
	int32_t dev;		/* DRM minor */
	int32_t dbc;
	int32_t tgid;
	uint64_t cgroup;	/* cgroup v2 id */
};

#define PROF_FILTER_ALL ((struct prof_filter){ .dev = -1, .dbc = -1, .tgid = -1 })

enum prof_attach {
	PROF_ATTACH_AUTO,	/* raw_tp, else the classic tracepoints */
	PROF_ATTACH_RAW,	/* raw_tp only */
	PROF_ATTACH_TP,		/* classic tracepoints only */
};

struct prof_session {
	struct qaic_prof_bpf *skel;
	struct snap_maps maps;
	enum prof_attach attached;	/* RAW or TP once started */
	uint64_t start_ns;		/* CLOCK_MONOTONIC when attached (maps empty) */
	struct ring_buffer *rb;		/* record mode */
};

/*
 * The options every profiling subcommand takes, for getopt_long: long
 * option entries (PROF_SESSION_LONGOPTS inside the caller's table) and
 * short letters (PROF_SESSION_SHORTOPTS in its optstring).
 */
#define PROF_SESSION_SHORTOPTS "d:p:c:"
#define PROF_OPT_DBC		0x100
#define PROF_OPT_ATTACH		0x101
#define PROF_SESSION_LONGOPTS						\
	{ "device", required_argument, NULL, 'd' },			\
	{ "pid", required_argument, NULL, 'p' },			\
	{ "cgroup", required_argument, NULL, 'c' },			\
	{ "dbc", required_argument, NULL, PROF_OPT_DBC },		\
	{ "attach", required_argument, NULL, PROF_OPT_ATTACH }

/* Their help lines, for the subcommands' option text. */
#define PROF_SESSION_HELP							\
	"  -d, --device=DEV    only this device (accelN, renderDN, a node path, a minor)\n" \
	"      --dbc=N         only DMA bridge channel N (0..15)\n"		\
	"  -p, --pid=PID       only requests submitted by process PID\n"		\
	"  -c, --cgroup=CG     only requests from cgroup CG (v2 path or id)\n"	\
	"      --attach=HOW    raw (raw_tp), tp (classic tracepoints) or auto (default)\n"

/*
 * One getopt result: 1 if opt was a session option (applied, or an error in
 * err and -1), 0 if it is not one of them.
 */
int session_opt(int opt, const char *arg, struct prof_filter *f, enum prof_attach *how,
		struct args_err *err);

/*
 * Check the environment (prof_check_env), open, load and attach. With
 * on_event, record mode: events go to on_event(ctx, ...) from
 * session_poll(). Returns 0 or an enum prof_exit code, having said why
 * on stderr.
 */
int session_start(struct prof_session *s, const struct prof_filter *f, enum prof_attach how,
		  ring_buffer_sample_fn on_event, void *ctx);

/* Record mode: hand waiting events to on_event, waiting up to timeout_ms. */
int session_poll(struct prof_session *s, int timeout_ms);

void session_stop(struct prof_session *s);

/* "raw_tp" or "tracepoint". */
const char *session_attach_name(const struct prof_session *s);

#endif /* PROF_SESSION_H_ */
