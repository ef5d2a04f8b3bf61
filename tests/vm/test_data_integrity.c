// SPDX-License-Identifier: GPL-2.0-only
/*
 * Data integrity under load: 8 workloads of different shapes in 4 processes
 * (two clients, i.e. two open fds with a DBC and a network each, per
 * process) keep every buffer slot in flight until together they have run
 * at least the requested number of inferences. Every output is checked
 * against the network's transform of the input that produced it, and every
 * input is refilled with new bytes before it is submitted again, so a stale
 * or misrouted output cannot pass.
 *
 * usage: test_data_integrity [INFERENCES]   (default 10000)
 * Prints TAP lines; exit 0 when all passed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qaic.h"

#define NR_PROCS	4
#define NR_WORKLOADS	(2 * NR_PROCS)
#define WAIT_MS		20000

struct shape {
	uint64_t in, out;
	uint32_t nsp, slots, batch;
};

/* Odd sizes, page multiples, tiny and MB-size, batches of 1 to 4. */
static const struct shape shapes[NR_WORKLOADS] = {
	{ 4096, 4096, 1, 4, 1 },
	{ 12345, 777, 2, 4, 2 },
	{ 65536, 65536, 1, 2, 1 },
	{ 300000, 1000, 4, 2, 2 },
	{ 1, 1, 1, 8, 4 },
	{ 1 << 20, 4096, 8, 2, 1 },
	{ 5000, 300000, 2, 3, 3 },
	{ 200000, 200000, 1, 2, 1 },
};

struct client {
	int w;
	struct qaic_dev *dev;
	struct qaic_simnet net;
	uint32_t dbc;
	struct qaic_simnet_io *io;
	uint32_t groups;	/* slots / batch */
	uint32_t next_group;	/* oldest group in flight */
	bool inflight[8];	/* per group */
	uint64_t submitted;	/* inferences submitted */
	uint64_t fills;		/* inputs written so far: fill seeds */
	uint64_t done;		/* inferences checked */
	uint64_t bad;		/* outputs that did not match */
};

static int client_open(struct client *c, int w)
{
	const struct shape *s = &shapes[w];
	struct qaic_simnet_plan plan;
	int ret;

	memset(c, 0, sizeof(*c));
	c->w = w;
	c->net.net_id = 100 + w;
	c->net.nsp_count = s->nsp;
	c->net.input_bytes = s->in;
	c->net.output_bytes = s->out;
	c->net.dist = QAIC_SIMNET_FIXED;
	c->net.mean_ns = 200000;
	c->net.seed = w;
	c->net.sem_index = w % 32;
	c->net.doorbell = 0x1000 + w;
	ret = qaic_simnet_plan(&c->net, (uint64_t)sysconf(_SC_PAGESIZE), &plan);
	if (ret)
		return ret;
	ret = qaic_open_index(0, &c->dev);
	if (ret)
		return ret;
	ret = qaic_activate(c->dev, plan.max_elements * s->slots + 1, &c->dbc);
	if (!ret)
		ret = qaic_simnet_place(&c->net, c->dbc);
	if (!ret)
		ret = qaic_simnet_load(c->dev, &c->net);
	if (!ret)
		ret = qaic_simnet_io_create(c->dev, &c->net, c->dbc, s->slots, &c->io);
	c->groups = s->slots / s->batch;
	return ret;
}

static void client_close(struct client *c)
{
	qaic_simnet_io_destroy(c->io);
	if (c->dev)
		qaic_close(c->dev);	/* TERMINATE frees the DBC and the network */
}

/* Fill and submit group g: slots g * batch .. g * batch + batch - 1. */
static int group_submit(struct client *c, uint32_t g)
{
	uint32_t slots[4], i, batch = shapes[c->w].batch;
	int ret;

	for (i = 0; i < batch; i++) {
		slots[i] = g * batch + i;
		ret = qaic_simnet_io_fill(c->io, slots[i],
					  (uint64_t)c->w << 40 | c->fills++);
		if (ret)
			return ret;
	}
	ret = qaic_simnet_io_submit(c->io, slots, batch);
	if (ret)
		return ret;
	c->inflight[g] = true;
	c->submitted += batch;
	return 0;
}

/* A wait failed: show the driver's and the sim's view of the DBC. */
static void dump_state(const struct client *c, uint32_t slot, int ret)
{
	char cmd[512];

	fprintf(stderr, "workload %d: dbc %u slot %u: wait: %s\n", c->w, c->dbc, slot,
		strerror(-ret));
	snprintf(cmd, sizeof(cmd),
		 "{ cd /sys/kernel/debug && for f in qaic/*/dbc%u qaic_sim/card0/dbc "
		 "qaic_sim/card0/nsp; do echo \"== $f\"; cat $f; done; "
		 "echo '== truth (tail)'; tail -n 8 qaic_sim/card0/truth; } 1>&2", c->dbc);
	fflush(stderr);
	if (system(cmd) < 0)
		perror("system");
}

static int group_finish(struct client *c, uint32_t g)
{
	uint32_t i, batch = shapes[c->w].batch;
	uint64_t off;
	int ret;

	for (i = 0; i < batch; i++) {
		ret = qaic_simnet_io_wait(c->io, g * batch + i, WAIT_MS);
		if (ret) {
			dump_state(c, g * batch + i, ret);
			return ret;
		}
		if (qaic_simnet_io_verify(c->io, g * batch + i, &off)) {
			if (!c->bad)
				fprintf(stderr, "workload %d: slot %u wrong at byte %" PRIu64 "\n",
					c->w, g * batch + i, off);
			c->bad++;
		}
		c->done++;
	}
	return 0;
}

/* One process: two clients, round robin, every group kept in flight. */
static int run_proc(int p, uint64_t per_workload)
{
	struct client cl[2];
	bool busy = true;
	uint32_t g;
	int i, ret = 0;

	memset(cl, 0, sizeof(cl));
	for (i = 0; i < 2 && !ret; i++)
		ret = client_open(&cl[i], 2 * p + i);
	for (i = 0; i < 2 && !ret; i++)
		for (g = 0; g < cl[i].groups && !ret; g++)
			ret = group_submit(&cl[i], g);
	/* Groups complete in submission order: the DBC runs its queue in order. */
	while (!ret && busy) {
		busy = false;
		for (i = 0; i < 2 && !ret; i++) {
			struct client *c = &cl[i];

			g = c->next_group;
			if (!c->inflight[g])
				continue;
			busy = true;
			c->inflight[g] = false;
			ret = group_finish(c, g);
			if (!ret && c->submitted < per_workload)
				ret = group_submit(c, g);
			c->next_group = (g + 1) % c->groups;
		}
	}
	for (i = 0; i < 2; i++) {
		printf("W %d %" PRIu64 " %" PRIu64 " %u\n", cl[i].w, cl[i].done, cl[i].bad,
		       cl[i].dbc);
		client_close(&cl[i]);
	}
	if (ret)
		fprintf(stderr, "process %d: %s\n", p, strerror(-ret));
	fflush(stdout);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	uint64_t total = argc > 1 ? strtoull(argv[1], NULL, 0) : 10000;
	uint64_t per = (total + NR_WORKLOADS - 1) / NR_WORKLOADS, done = 0, bad = 0;
	int p, st, failed = 0, n = 0;
	char line[128];
	FILE *out;

	if (!total) {
		fprintf(stderr, "usage: %s [INFERENCES]\n", argv[0]);
		return 2;
	}
	out = tmpfile();
	if (!out)
		return 1;
	fflush(stdout);
	for (p = 0; p < NR_PROCS; p++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0) {
			dup2(fileno(out), STDOUT_FILENO);
			_exit(run_proc(p, per));
		}
	}
	while (wait(&st) > 0)
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			failed++;
	rewind(out);
	while (fgets(line, sizeof(line), out)) {
		int w;
		uint64_t d, b;
		unsigned int dbc;

		if (sscanf(line, "W %d %" SCNu64 " %" SCNu64 " %u", &w, &d, &b, &dbc) != 4)
			continue;
		printf("# workload %d (in %" PRIu64 ", out %" PRIu64 ", batch %u) on dbc %u: "
		       "%" PRIu64 " inferences, %" PRIu64 " bad\n", w, shapes[w].in,
		       shapes[w].out, shapes[w].batch, dbc, d, b);
		done += d;
		bad += b;
		n++;
	}
	printf("%s %d - %d processes ran their workloads to the end\n",
	       failed ? "not ok" : "ok", 1, NR_PROCS);
	printf("%s %d - %d workloads ran %" PRIu64 " inferences (wanted >= %" PRIu64 ")\n",
	       n == NR_WORKLOADS && done >= total ? "ok" : "not ok", 2, n, done, total);
	printf("%s %d - every output matches its input (%" PRIu64 " bad)\n",
	       !bad && done ? "ok" : "not ok", 3, bad);
	printf("1..3\n");
	return failed || bad || n != NR_WORKLOADS || done < total;
}
