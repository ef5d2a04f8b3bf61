// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>

#include "report_nsps.h"

static const struct {
	const char *name;
	enum report_nsp_key key;
	uint64_t min, max;
} keys[] = {
	{ "dev", REPORT_NSP_DEV, 0, PROF_MINOR_MAX },
	{ "dbc", REPORT_NSP_DBC, 0, PROF_NUM_DBC - 1 },
	{ "pid", REPORT_NSP_PID, 1, PROF_PID_MAX },
	{ "comm", REPORT_NSP_COMM, 0, 0 },
};

#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

void report_nsps_init(struct report_nsp_rules *r)
{
	memset(r, 0, sizeof(*r));
	r->default_nsps = 1;
}

static int parse_count(const char *arg, const char *s, uint32_t *out, struct args_err *err)
{
	int whole = !strcmp(arg, s);
	uint64_t v;

	if (args_uint(whole ? "--nsps" : "NSP count", s, 1, REPORT_NSPS_MAX, &v, err)) {
		if (!whole) {
			char why[sizeof(err->msg)];

			snprintf(why, sizeof(why), "%s", err->msg);
			snprintf(err->msg, sizeof(err->msg), "--nsps '%.64s': %.160s", arg, why);
		}
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int bad(struct args_err *err, const char *arg, const char *why)
{
	snprintf(err->msg, sizeof(err->msg),
		 "--nsps '%.64s': %s (N, dbcD=N, pidP=N, or dev|dbc|pid|comm=VALUE:N)", arg, why);
	return -1;
}

int report_nsps_parse(struct report_nsp_rules *r, const char *arg, struct args_err *err)
{
	struct report_nsp_rule rule;
	const char *eq, *val, *count;
	char value[64];
	unsigned int k;
	size_t len;

	if (!strchr(arg, '=')) {
		if (parse_count(arg, arg, &r->default_nsps, err))
			return -1;
		r->default_given = 1;
		return 0;
	}
	if (r->n == REPORT_NSP_RULES_MAX)
		return bad(err, arg, "too many rules");
	if (strlen(arg) >= sizeof(rule.text))
		return bad(err, arg, "too long");
	memset(&rule, 0, sizeof(rule));
	snprintf(rule.text, sizeof(rule.text), "%s", arg);
	eq = strchr(arg, '=');
	for (k = 0; k < NKEYS; k++) {
		len = strlen(keys[k].name);
		if (!strncmp(arg, keys[k].name, len))
			break;
	}
	if (k == NKEYS)
		return bad(err, arg, "unknown selector");
	rule.key = keys[k].key;
	if (eq == arg + len) {
		/* KEY=VALUE:N: the count follows the last ':'. */
		count = strrchr(eq + 1, ':');
		if (!count)
			return bad(err, arg, "no ':N' after the value");
		val = eq + 1;
		len = (size_t)(count - val);
		count++;
	} else {
		/* KEYVALUE=N (dbc3=8, pid1234=2) */
		if (rule.key == REPORT_NSP_COMM)
			return bad(err, arg, "write comm=NAME:N");
		val = arg + len;
		len = (size_t)(eq - val);
		count = eq + 1;
	}
	if (!len)
		return bad(err, arg, "no value");
	memcpy(value, val, len);
	value[len] = '\0';
	if (rule.key == REPORT_NSP_COMM) {
		if (len >= sizeof(rule.comm))
			return bad(err, arg, "a comm is at most 15 characters");
		memcpy(rule.comm, value, len + 1);
	} else if (args_uint(keys[k].name, value, keys[k].min, keys[k].max, &rule.value, err)) {
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err->msg);
		snprintf(err->msg, sizeof(err->msg), "--nsps '%.64s': %.160s", arg, why);
		return -1;
	}
	if (parse_count(arg, count, &rule.nsps, err))
		return -1;
	r->rule[r->n++] = rule;
	return 0;
}

static int rule_matches(const struct report_nsp_rule *rule, const struct qp_wl_key *key,
			const char *comm)
{
	switch (rule->key) {
	case REPORT_NSP_DEV:
		return key->dev == rule->value;
	case REPORT_NSP_DBC:
		return key->dbc == rule->value;
	case REPORT_NSP_PID:
		return key->tgid == rule->value;
	case REPORT_NSP_COMM:
		return comm && !strncmp(comm, rule->comm, sizeof(rule->comm));
	}
	return 0;
}

uint32_t report_nsps_for(struct report_nsp_rules *r, const struct qp_wl_key *key,
			 const char *comm, int *rule)
{
	unsigned int i;

	for (i = 0; i < r->n; i++) {
		if (rule_matches(&r->rule[i], key, comm)) {
			r->rule[i].matched++;
			*rule = (int)i;
			return r->rule[i].nsps;
		}
	}
	*rule = -1;
	return r->default_nsps;
}
