// SPDX-License-Identifier: MIT
/*
 * What each process of a workload sets up, derived from the workload alone
 * (pure, so --dry-run and the unit tests see exactly what a run does).
 */
#include <math.h>

#include "qaic_run.h"

/* The doorbell value qaic-run's networks answer to; any value would do. */
#define RUN_DOORBELL	0x51520001u
#define RUN_NET_ID	1	/* each process is its own client: one id is enough */
#define RUN_SEM		0
#define RUN_MIN_QUEUE	16

uint32_t run_inflight(const struct run_workload *w)
{
	return w->mode == RUN_OPEN ? w->depth : w->outstanding;
}

uint32_t run_slots(const struct run_workload *w)
{
	return run_inflight(w) * w->batch;
}

uint32_t run_queue_size(const struct run_workload *w, uint32_t max_elements)
{
	uint64_t need = (uint64_t)run_slots(w) * max_elements;
	uint32_t q = RUN_MIN_QUEUE;

	if (w->queue)
		return w->queue;
	while (q < need && q < RUN_MAX_QUEUE)
		q *= 2;
	return q;
}

void run_make_net(const struct run_workload *w, unsigned int proc, struct qaic_simnet *net)
{
	*net = (struct qaic_simnet){
		.net_id = RUN_NET_ID,
		.nsp_count = w->nsp,
		.input_bytes = w->in_bytes,
		.output_bytes = w->out_bytes,
		.dist = w->dist,
		.seed = w->seed + proc,
		.mean_ns = w->mean_ns,
		.stddev_ns = w->dist == QAIC_SIMNET_LOGNORMAL ? (uint64_t)llround(w->sigma * 1e9)
							       : w->sd_ns,
		.alt_mean_ns = w->mean2_ns,
		.alt_stddev_ns = w->sd2_ns,
		.alt_permille = w->p2_permille,
		.sem_index = RUN_SEM,
		.doorbell = RUN_DOORBELL,
	};
}

uint64_t run_proc_requests(const struct run_workload *w, unsigned int proc)
{
	if (!w->requests)
		return 0;
	return w->requests / w->procs + (proc < w->requests % w->procs ? 1 : 0);
}

double run_proc_rate(const struct run_workload *w)
{
	return w->mode == RUN_OPEN ? w->rate / w->procs : 0;
}
