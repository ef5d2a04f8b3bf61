// SPDX-License-Identifier: MIT
/*
 * Loading and attaching qaic-prof's BPF programs. raw_tp is the default:
 * the programs read the tracepoints' arguments directly. The classic
 * tracepoint programs (CO-RE against the qaic module's BTF) are the
 * fallback, for kernels that refuse the raw_tp attachment; only one set is
 * ever loaded.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>

#include "qaic_prof.skel.h"
#include "prof.h"
#include "session.h"

int session_opt(int opt, const char *arg, struct prof_filter *f, enum prof_attach *how,
		struct args_err *err)
{
	uint32_t v;

	switch (opt) {
	case 'd':
		if (args_device("--device", arg, &v, err))
			return -1;
		f->dev = (int32_t)v;
		return 1;
	case PROF_OPT_DBC:
		if (args_dbc("--dbc", arg, &v, err))
			return -1;
		f->dbc = (int32_t)v;
		return 1;
	case 'p':
		if (args_pid("--pid", arg, &v, err))
			return -1;
		f->tgid = (int32_t)v;
		return 1;
	case 'c':
		return args_cgroup("--cgroup", arg, &f->cgroup, err) ? -1 : 1;
	case PROF_OPT_ATTACH:
		if (!strcmp(arg, "auto"))
			*how = PROF_ATTACH_AUTO;
		else if (!strcmp(arg, "raw"))
			*how = PROF_ATTACH_RAW;
		else if (!strcmp(arg, "tp"))
			*how = PROF_ATTACH_TP;
		else {
			snprintf(err->msg, sizeof(err->msg),
				 "--attach '%s': expected raw, tp or auto", arg);
			return -1;
		}
		return 1;
	default:
		return 0;
	}
}

/* libbpf's own messages only with QAIC_PROF_DEBUG set: ours say what failed. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	static int verbose = -1;

	(void)level;
	if (verbose < 0)
		verbose = getenv("QAIC_PROF_DEBUG") != NULL;
	return verbose ? vfprintf(stderr, fmt, ap) : 0;
}

static void set_autoload(struct qaic_prof_bpf *skel, bool raw)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, skel->obj) {
		bool is_raw = bpf_program__type(prog) == BPF_PROG_TYPE_RAW_TRACEPOINT;

		bpf_program__set_autoload(prog, is_raw == raw);
	}
}

/* Open, set the filters, load and attach one set; 0 or -errno. */
static int try_attach(struct prof_session *s, const struct prof_filter *f, bool raw,
		      bool record)
{
	struct qaic_prof_bpf *skel;
	int ret;

	skel = qaic_prof_bpf__open();
	if (!skel)
		return -errno ? -errno : -ENOMEM;
	skel->rodata->targ_dev = f->dev;
	skel->rodata->targ_dbc = f->dbc;
	skel->rodata->targ_tgid = f->tgid;
	skel->rodata->targ_cgroup = f->cgroup;
	skel->rodata->record = record;
	if (!record)
		bpf_map__set_max_entries(skel->maps.events, 4096);	/* unused: small */
	set_autoload(skel, raw);
	ret = qaic_prof_bpf__load(skel);
	if (!ret)
		ret = qaic_prof_bpf__attach(skel);
	if (ret) {
		qaic_prof_bpf__destroy(skel);
		return ret;
	}
	s->skel = skel;
	s->attached = raw ? PROF_ATTACH_RAW : PROF_ATTACH_TP;
	return 0;
}

int session_start(struct prof_session *s, const struct prof_filter *f, enum prof_attach how,
		  ring_buffer_sample_fn on_event, void *ctx)
{
	struct timespec now;
	int ret, env;

	memset(s, 0, sizeof(*s));
	env = prof_check_env();
	if (env)
		return env;
	libbpf_set_print(libbpf_print);
	ret = -EINVAL;
	if (how != PROF_ATTACH_TP)
		ret = try_attach(s, f, true, on_event != NULL);
	if (ret && how != PROF_ATTACH_RAW) {
		if (how == PROF_ATTACH_AUTO)
			fprintf(stderr, "qaic-prof: raw_tp attachment failed (%s); using tracepoints\n",
				strerror(-ret));
		ret = try_attach(s, f, false, on_event != NULL);
	}
	if (ret) {
		fprintf(stderr, "qaic-prof: cannot load or attach the BPF programs: %s%s\n",
			strerror(-ret), getenv("QAIC_PROF_DEBUG") ? "" :
			" (QAIC_PROF_DEBUG=1 shows libbpf's log)");
		return PROF_EXIT_FAIL;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	s->start_ns = (uint64_t)now.tv_sec * 1000000000ULL + (uint64_t)now.tv_nsec;
	s->maps = (struct snap_maps){
		.workloads = bpf_map__fd(s->skel->maps.workloads),
		.hists = bpf_map__fd(s->skel->maps.hists),
		.dbcs = bpf_map__fd(s->skel->maps.dbcs),
		.inflight = bpf_map__fd(s->skel->maps.inflight),
		.counters = bpf_map__fd(s->skel->maps.counters),
	};
	if (on_event) {
		s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.events), on_event, ctx, NULL);
		if (!s->rb) {
			fprintf(stderr, "qaic-prof: ring buffer: %s\n", strerror(errno));
			session_stop(s);
			return PROF_EXIT_FAIL;
		}
	}
	return PROF_EXIT_OK;
}

int session_poll(struct prof_session *s, int timeout_ms)
{
	if (!s->rb)
		return -EINVAL;
	return ring_buffer__poll(s->rb, timeout_ms);
}

void session_stop(struct prof_session *s)
{
	ring_buffer__free(s->rb);
	s->rb = NULL;
	qaic_prof_bpf__destroy(s->skel);
	s->skel = NULL;
}

const char *session_attach_name(const struct prof_session *s)
{
	return s->attached == PROF_ATTACH_TP ? "tracepoint" : "raw_tp";
}
