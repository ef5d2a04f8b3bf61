/* SPDX-License-Identifier: MIT */
/*
 * qaic-prof report --nsps: how many NSPs one inference of a workload holds
 * while it computes. The host cannot see that (it is in the compiled
 * program), so the user says it, per workload selector; workloads no rule
 * names take the default (1 unless a bare number changed it), and the
 * report says which rule, if any, gave each workload its figure.
 *
 *	--nsps 4             the default for every workload
 *	--nsps dbc3=8        DBC 3 (of any device)
 *	--nsps pid1234=2     process 1234
 *	--nsps dbc=3:8       the same as dbc3=8, written KEY=VALUE:N
 *	--nsps pid=1234:2
 *	--nsps comm=bert:8   processes whose comm is "bert"
 *	--nsps dev=0:4       every workload of device (DRM minor) 0
 *
 * The first rule that matches a workload applies, in the order given.
 */
#ifndef PROF_REPORT_NSPS_H_
#define PROF_REPORT_NSPS_H_

#include <stdint.h>

#include <linux/types.h>

#include "args.h"
#include "qaic_prof.h"

#define REPORT_NSP_RULES_MAX	32
#define REPORT_NSPS_MAX		64	/* per inference; AIC100 has 16 */

enum report_nsp_key {
	REPORT_NSP_DEV,
	REPORT_NSP_DBC,
	REPORT_NSP_PID,
	REPORT_NSP_COMM,
};

struct report_nsp_rule {
	enum report_nsp_key key;
	uint64_t value;			/* DEV, DBC, PID */
	char comm[QP_COMM_LEN];		/* COMM */
	uint32_t nsps;
	char text[64];			/* as the user wrote it */
	unsigned int matched;		/* workloads it gave their figure to */
};

struct report_nsp_rules {
	struct report_nsp_rule rule[REPORT_NSP_RULES_MAX];
	unsigned int n;
	uint32_t default_nsps;		/* 1 unless a bare number was given */
	int default_given;
};

void report_nsps_init(struct report_nsp_rules *r);

/* One --nsps argument. 0, or -1 with the reason in err. */
int report_nsps_parse(struct report_nsp_rules *r, const char *arg, struct args_err *err);

/*
 * The NSPs per inference of a workload, and which rule said so (its index,
 * or -1 for the default). Counts the match in that rule.
 */
uint32_t report_nsps_for(struct report_nsp_rules *r, const struct qp_wl_key *key,
			 const char *comm, int *rule);

#endif /* PROF_REPORT_NSPS_H_ */
