// SPDX-License-Identifier: MIT
/*
 * qaic-run's input: workload specs ("key=value,..."), config files (one spec
 * per line) and the command line, then the checks that need the whole
 * picture (run_finish). Nothing here prints or touches a device: every
 * refusal is a message in struct run_err, so the unit tests read them.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qaic_run.h"

#define DEFAULT_TIME_NS		(10ULL * 1000000000ULL)
#define DEFAULT_TIMEOUT_MS	10000
#define DEFAULT_DEPTH		8
#define DEFAULT_SIGMA		0.25
#define CONFIG_MAX_BYTES	(1 << 20)

void run_workload_defaults(struct run_workload *w, unsigned int index)
{
	memset(w, 0, sizeof(*w));
	snprintf(w->name, sizeof(w->name), "w%u", index);
	w->in_bytes = 64 * 1024;
	w->out_bytes = 4 * 1024;
	w->nsp = 1;
	w->dist = QAIC_SIMNET_FIXED;
	w->mean_ns = 1000000;
	w->sigma = DEFAULT_SIGMA;
	w->mode = RUN_CLOSED;
	w->outstanding = 1;
	w->depth = DEFAULT_DEPTH;
	w->batch = 1;
	w->procs = 1;
	w->check_every = 1;
}

struct key {
	const char *name;
	enum run_key bit;
};

static const struct key keys[] = {
	{ "name", RUN_K_NAME }, { "in", RUN_K_IN }, { "out", RUN_K_OUT },
	{ "nsp", RUN_K_NSP }, { "dist", RUN_K_DIST }, { "mean", RUN_K_MEAN },
	{ "sd", RUN_K_SD }, { "sigma", RUN_K_SIGMA }, { "mean2", RUN_K_MEAN2 },
	{ "sd2", RUN_K_SD2 }, { "p2", RUN_K_P2 }, { "rate", RUN_K_RATE },
	{ "outstanding", RUN_K_OUTSTANDING }, { "depth", RUN_K_DEPTH },
	{ "batch", RUN_K_BATCH }, { "procs", RUN_K_PROCS }, { "time", RUN_K_TIME },
	{ "requests", RUN_K_REQUESTS }, { "check", RUN_K_CHECK }, { "queue", RUN_K_QUEUE },
	{ "seed", RUN_K_SEED },
};

#define NUM_KEYS	(sizeof(keys) / sizeof(keys[0]))
#define KEY_LIST	"name, in, out, nsp, dist, mean, sd, sigma, mean2, sd2, p2, rate, " \
			"outstanding, depth, batch, procs, time, requests, check, queue, seed"

static const char *key_name(enum run_key bit)
{
	size_t i;

	for (i = 0; i < NUM_KEYS; i++)
		if (keys[i].bit == bit)
			return keys[i].name;
	return "?";
}

static int valid_name(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n >= RUN_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_.-", s[i]))
			return 0;
	return 1;
}

static int parse_u32(const char *v, uint32_t min, uint32_t max, uint32_t *out,
		     struct run_err *err)
{
	uint64_t x;

	if (run_parse_uint(v, min, max, &x, err))
		return -1;
	*out = (uint32_t)x;
	return 0;
}

/* rate=200 or rate=200/s */
static int parse_rate(const char *v, double *out, struct run_err *err)
{
	char buf[64];
	size_t n = strlen(v);

	if (n >= sizeof(buf))
		return run_errf(err, "not a rate");
	memcpy(buf, v, n + 1);
	if (n > 2 && !strcmp(buf + n - 2, "/s"))
		buf[n - 2] = '\0';
	if (run_parse_real(buf, 0, RUN_MAX_RATE, out, err))
		return -1;
	if (*out <= 0)
		return run_errf(err, "rate must be above 0 requests/s");
	return 0;
}

static int apply_key(struct run_workload *w, enum run_key k, const char *v, struct run_err *err)
{
	uint64_t x;

	switch (k) {
	case RUN_K_NAME:
		if (!valid_name(v))
			return run_errf(err, "not a name (1-%d of A-Z a-z 0-9 _ . -)",
					RUN_NAME_MAX - 1);
		snprintf(w->name, sizeof(w->name), "%s", v);
		return 0;
	case RUN_K_IN:
		return run_parse_size(v, &w->in_bytes, err);
	case RUN_K_OUT:
		return run_parse_size(v, &w->out_bytes, err);
	case RUN_K_NSP:
		return parse_u32(v, 1, QAIC_SIMNET_MAX_NSP, &w->nsp, err);
	case RUN_K_DIST:
		return run_parse_dist(v, &w->dist, err);
	case RUN_K_MEAN:
		return run_parse_duration(v, &w->mean_ns, err);
	case RUN_K_SD:
		return run_parse_duration(v, &w->sd_ns, err);
	case RUN_K_SIGMA:
		return run_parse_real(v, 0, 10, &w->sigma, err);
	case RUN_K_MEAN2:
		return run_parse_duration(v, &w->mean2_ns, err);
	case RUN_K_SD2:
		return run_parse_duration(v, &w->sd2_ns, err);
	case RUN_K_P2:
		return run_parse_percent(v, &w->p2_permille, err);
	case RUN_K_RATE:
		w->mode = RUN_OPEN;
		return parse_rate(v, &w->rate, err);
	case RUN_K_OUTSTANDING:
		return parse_u32(v, 1, RUN_MAX_INFLIGHT, &w->outstanding, err);
	case RUN_K_DEPTH:
		return parse_u32(v, 1, RUN_MAX_INFLIGHT, &w->depth, err);
	case RUN_K_BATCH:
		return parse_u32(v, 1, RUN_MAX_BATCH, &w->batch, err);
	case RUN_K_PROCS:
		return parse_u32(v, 1, RUN_MAX_PROCS, &w->procs, err);
	case RUN_K_TIME:
		if (run_parse_duration(v, &w->time_ns, err))
			return -1;
		if (w->time_ns < 1000000)
			return run_errf(err, "shorter than 1ms");
		return 0;
	case RUN_K_REQUESTS:
		return run_parse_uint(v, 1, 1000000000000ULL, &w->requests, err);
	case RUN_K_CHECK:
		return parse_u32(v, 0, 1000000000, &w->check_every, err);
	case RUN_K_QUEUE:
		return parse_u32(v, 1, RUN_MAX_QUEUE, &w->queue, err);
	case RUN_K_SEED:
		if (run_parse_uint(v, 0, UINT32_MAX, &x, err))
			return -1;
		w->seed = (uint32_t)x;
		return 0;
	}
	return run_errf(err, "internal: unhandled key");
}

static int apply_pair(struct run_workload *w, char *pair, struct run_err *err)
{
	struct run_err verr;
	char *eq = strchr(pair, '=');
	size_t i;

	if (!eq)
		return run_errf(err, "'%s' is not key=value", pair);
	*eq = '\0';
	for (i = 0; i < NUM_KEYS; i++)
		if (!strcmp(keys[i].name, pair))
			break;
	if (i == NUM_KEYS)
		return run_errf(err, "unknown key '%s' (keys: %s)", pair, KEY_LIST);
	if (w->given & keys[i].bit)
		return run_errf(err, "key '%s' given twice", pair);
	if (eq[1] == '\0')
		return run_errf(err, "%s= needs a value", pair);
	if (apply_key(w, keys[i].bit, eq + 1, &verr))
		return run_errf(err, "%s=%s: %s", pair, eq + 1, verr.msg);
	w->given |= keys[i].bit;
	return 0;
}

int run_parse_spec(const char *spec, struct run_workload *w, struct run_err *err)
{
	char *copy, *tok, *save = NULL;
	int ret = 0, pairs = 0;

	if (!spec || !w)
		return run_errf(err, "no workload spec");
	copy = strdup(spec);
	if (!copy)
		return run_errf(err, "out of memory");
	for (tok = strtok_r(copy, ", \t\r\n", &save); tok && !ret;
	     tok = strtok_r(NULL, ", \t\r\n", &save)) {
		ret = apply_pair(w, tok, err);
		pairs++;
	}
	free(copy);
	if (!ret && !pairs)
		return run_errf(err, "empty workload spec");
	return ret;
}

int run_parse_config_text(const char *text, const char *where, struct run_config *cfg,
			  struct run_err *err)
{
	const char *line = text, *nl;
	unsigned int lineno = 0, before = cfg->n;
	struct run_err serr;
	char *buf, *hash, *p;
	size_t len;
	int ret = 0;

	while (line && *line && !ret) {
		lineno++;
		nl = strchr(line, '\n');
		len = nl ? (size_t)(nl - line) : strlen(line);
		buf = strndup(line, len);
		if (!buf)
			return run_errf(err, "out of memory");
		hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		for (p = buf; *p == ' ' || *p == '\t' || *p == '\r'; p++)
			;
		if (*p) {
			if (cfg->n == RUN_MAX_WORKLOADS) {
				ret = run_errf(err, "%s:%u: more than %d workloads", where, lineno,
					       RUN_MAX_WORKLOADS);
			} else {
				run_workload_defaults(&cfg->w[cfg->n], cfg->n);
				if (run_parse_spec(p, &cfg->w[cfg->n], &serr))
					ret = run_errf(err, "%s:%u: %s", where, lineno, serr.msg);
				else
					cfg->n++;
			}
		}
		free(buf);
		line = nl ? nl + 1 : NULL;
	}
	if (!ret && cfg->n == before)
		return run_errf(err, "%s: no workload in it (one spec per line)", where);
	return ret;
}

static int read_config_file(const char *path, struct run_config *cfg, struct run_err *err)
{
	char *text;
	size_t n;
	FILE *f;
	int ret;

	f = fopen(path, "re");
	if (!f)
		return run_errf(err, "cannot open config file %s: %s", path, strerror(errno));
	text = malloc(CONFIG_MAX_BYTES + 1);
	if (!text) {
		fclose(f);
		return run_errf(err, "out of memory");
	}
	n = fread(text, 1, CONFIG_MAX_BYTES + 1, f);
	if (ferror(f) || n > CONFIG_MAX_BYTES) {
		ret = run_errf(err, "cannot read config file %s: %s", path,
			       ferror(f) ? strerror(errno) : "larger than 1 MiB");
	} else {
		text[n] = '\0';
		if (memchr(text, '\0', n))
			ret = run_errf(err, "%s is not a text file", path);
		else
			ret = run_parse_config_text(text, path, cfg, err);
	}
	free(text);
	fclose(f);
	return ret;
}

static void config_defaults(struct run_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->timeout_ms = DEFAULT_TIMEOUT_MS;
	cfg->check_every = 1;
	cfg->seed = 1;
}

int run_parse_args(int argc, char **argv, struct run_config *cfg, struct run_err *err)
{
	enum { OPT_TIMEOUT = 256, OPT_CHECK, OPT_SEED, OPT_JSON, OPT_DRY, OPT_PERF };
	static const struct option long_opts[] = {
		{ "workload", required_argument, NULL, 'w' },
		{ "config", required_argument, NULL, 'c' },
		{ "device", required_argument, NULL, 'd' },
		{ "time", required_argument, NULL, 't' },
		{ "requests", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "check-every", required_argument, NULL, OPT_CHECK },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "dry-run", no_argument, NULL, OPT_DRY },
		{ "perf-stats", no_argument, NULL, OPT_PERF },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_err verr;
	uint64_t x;
	int c, time_given = 0;

	config_defaults(cfg);
	optind = 0;		/* full rescan: the tests parse many command lines */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":w:c:d:t:n:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			if (cfg->n == RUN_MAX_WORKLOADS)
				return run_errf(err, "more than %d workloads", RUN_MAX_WORKLOADS);
			run_workload_defaults(&cfg->w[cfg->n], cfg->n);
			if (run_parse_spec(optarg, &cfg->w[cfg->n], &verr))
				return run_errf(err, "-w '%s': %s", optarg, verr.msg);
			cfg->n++;
			break;
		case 'c':
			if (read_config_file(optarg, cfg, err))
				return -1;
			break;
		case 'd':
			cfg->device = optarg;
			break;
		case 't':
			if (run_parse_duration(optarg, &cfg->time_ns, &verr))
				return run_errf(err, "-t %s: %s", optarg, verr.msg);
			if (cfg->time_ns < 1000000)
				return run_errf(err, "-t %s: shorter than 1ms", optarg);
			time_given = 1;
			break;
		case 'n':
			if (run_parse_uint(optarg, 1, 1000000000000ULL, &cfg->requests, &verr))
				return run_errf(err, "-n %s: %s", optarg, verr.msg);
			break;
		case OPT_TIMEOUT:
			if (run_parse_duration(optarg, &x, &verr))
				return run_errf(err, "--timeout %s: %s", optarg, verr.msg);
			if (x < 1000000 || x / 1000000 > UINT32_MAX)
				return run_errf(err, "--timeout %s: out of range (1ms..49 days)",
						optarg);
			cfg->timeout_ms = (uint32_t)(x / 1000000);
			break;
		case OPT_CHECK:
			if (run_parse_uint(optarg, 0, 1000000000, &x, &verr))
				return run_errf(err, "--check-every %s: %s", optarg, verr.msg);
			cfg->check_every = (uint32_t)x;
			break;
		case OPT_SEED:
			if (run_parse_uint(optarg, 0, UINT32_MAX, &x, &verr))
				return run_errf(err, "--seed %s: %s", optarg, verr.msg);
			cfg->seed = (uint32_t)x;
			break;
		case OPT_JSON:
			cfg->json = 1;
			break;
		case OPT_DRY:
			cfg->dry_run = 1;
			break;
		case OPT_PERF:
			cfg->perf_stats = 1;
			break;
		case 'h':
			cfg->help = 1;
			return 0;
		case ':':
			return run_errf(err, "option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt >= 256)
				return run_errf(err, "option '%s' takes no value", argv[optind - 1]);
			if (optopt)
				return run_errf(err, "unknown option '-%c'", optopt);
			return run_errf(err, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return run_errf(err, "unexpected argument '%s' (workloads go after -w)",
				argv[optind]);
	if (time_given && cfg->requests)
		return run_errf(err, "-t and -n exclude each other: run for a time or for a "
				"number of requests");
	return run_finish(cfg, err);
}

/* Keys that only some distributions read: giving them elsewhere is a mistake. */
static int check_dist_keys(const struct run_workload *w, struct run_err *err)
{
	static const struct {
		enum run_key bit;
		uint32_t dists;		/* bit per distribution that reads the key */
	} use[] = {
		{ RUN_K_SD, 1u << QAIC_SIMNET_NORMAL | 1u << QAIC_SIMNET_BIMODAL },
		{ RUN_K_SIGMA, 1u << QAIC_SIMNET_LOGNORMAL },
		{ RUN_K_MEAN2, 1u << QAIC_SIMNET_BIMODAL },
		{ RUN_K_SD2, 1u << QAIC_SIMNET_BIMODAL },
		{ RUN_K_P2, 1u << QAIC_SIMNET_BIMODAL },
	};
	size_t i;

	for (i = 0; i < sizeof(use) / sizeof(use[0]); i++)
		if ((w->given & use[i].bit) && !(use[i].dists & (1u << w->dist)))
			return run_errf(err, "%s= does not apply to dist=%s%s",
					key_name(use[i].bit), run_dist_name(w->dist),
					w->dist == QAIC_SIMNET_LOGNORMAL && use[i].bit == RUN_K_SD ?
					" (lognormal takes sigma=, the spread of ln(time))" : "");
	if (w->dist == QAIC_SIMNET_BIMODAL && !((w->given & RUN_K_MEAN2) && (w->given & RUN_K_P2)))
		return run_errf(err, "dist=bimodal needs mean2= and p2= (the second mode and "
				"its probability)");
	return 0;
}

static int finish_workload(struct run_config *cfg, struct run_workload *w, unsigned int index,
			   struct run_err *err)
{
	struct qaic_simnet_plan plan;
	struct qaic_simnet net;
	uint32_t queue;
	long page = sysconf(_SC_PAGESIZE);

	if ((w->given & RUN_K_RATE) && (w->given & RUN_K_OUTSTANDING))
		return run_errf(err, "rate= (open loop) and outstanding= (closed loop) "
				"exclude each other");
	if ((w->given & RUN_K_DEPTH) && w->mode != RUN_OPEN)
		return run_errf(err, "depth= is for open loop (rate=); closed loop keeps "
				"outstanding= requests in flight");
	if ((w->given & RUN_K_TIME) && (w->given & RUN_K_REQUESTS))
		return run_errf(err, "time= and requests= exclude each other");
	if (check_dist_keys(w, err))
		return -1;
	if (!w->in_bytes || !w->out_bytes)
		return run_errf(err, "in= and out= must be at least 1 byte");
	if (w->in_bytes > RUN_MAX_BYTES || w->out_bytes > RUN_MAX_BYTES)
		return run_errf(err, "in= and out= are at most %lluM (each DBC's share of the "
				"sim's device memory)", RUN_MAX_BYTES >> 20);

	if (!(w->given & (RUN_K_TIME | RUN_K_REQUESTS))) {
		if (cfg->requests)
			w->requests = cfg->requests;
		else
			w->time_ns = cfg->time_ns ? cfg->time_ns : DEFAULT_TIME_NS;
	}
	if (w->requests && w->requests < w->procs)
		return run_errf(err, "requests=%llu is fewer than procs=%u",
				(unsigned long long)w->requests, w->procs);
	if (!(w->given & RUN_K_CHECK))
		w->check_every = cfg->check_every;
	if (!(w->given & RUN_K_SEED))
		w->seed = cfg->seed + 1000u * index;

	if (run_slots(w) > QAIC_SIMNET_IO_MAX_SLOTS)
		return run_errf(err, "%s x batch= is %u buffers per process; at most %d",
				w->mode == RUN_OPEN ? "depth=" : "outstanding=", run_slots(w),
				QAIC_SIMNET_IO_MAX_SLOTS);
	run_make_net(w, 0, &net);
	if (qaic_simnet_plan(&net, page > 0 ? (uint64_t)page : 4096, &plan))
		return run_errf(err, "internal: no plan for this network");
	queue = run_queue_size(w, plan.max_elements);
	if ((uint64_t)w->batch * plan.max_elements > queue)
		return run_errf(err, "one request (batch=%u) may need %llu queue elements; "
				"the DBC queue has %u (queue=, at most %d): lower batch= or sizes",
				w->batch, (unsigned long long)w->batch * plan.max_elements, queue,
				RUN_MAX_QUEUE);
	return 0;
}

int run_finish(struct run_config *cfg, struct run_err *err)
{
	struct run_err werr;
	unsigned int i, j;

	if (cfg->n == 0)
		return run_errf(err, "no workload: give -w SPEC or -c FILE (see --help)");
	for (i = 0; i < cfg->n; i++) {
		for (j = 0; j < i; j++)
			if (!strcmp(cfg->w[i].name, cfg->w[j].name))
				return run_errf(err, "two workloads are named '%s'; give each a "
						"name=", cfg->w[i].name);
		if (finish_workload(cfg, &cfg->w[i], i, &werr))
			return run_errf(err, "workload '%s': %s", cfg->w[i].name, werr.msg);
	}
	return 0;
}
