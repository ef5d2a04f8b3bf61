// SPDX-License-Identifier: MIT
/* qaic-util dbc: each DBC's state and owner, from the driver's sysfs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"
#include "qaic_util.h"

/* Upper bound when the driver does not say how many DBCs it has. */
#define PROBE_MAX_DBC	256

struct dbc_row {
	char state[32];
	int has_state;
	char comm[128];		/* owner's command, "" when none */
	int64_t pid;		/* owner's tgid, -1 when none or unknown */
};

/* "<tgid> <comm>"; an empty line means no owner. Anything else is kept as comm. */
static void parse_owner(const char *text, struct dbc_row *r)
{
	const char *space = strchr(text, ' ');
	char pid[32];

	r->pid = -1;
	r->comm[0] = '\0';
	if (!*text)
		return;
	if (space && (size_t)(space - text) < sizeof(pid)) {
		memcpy(pid, text, (size_t)(space - text));
		pid[space - text] = '\0';
		if (!util_parse_i64(pid, &r->pid) && r->pid > 0) {
			snprintf(r->comm, sizeof(r->comm), "%s", space + 1);
			return;
		}
	}
	r->pid = -1;
	snprintf(r->comm, sizeof(r->comm), "%s", text);
}

static void read_row(const struct qaic_device_info *info, uint32_t id, struct dbc_row *r)
{
	char name[32], buf[128];

	memset(r, 0, sizeof(*r));
	r->pid = -1;
	snprintf(name, sizeof(name), "dbc%u_state", id);
	if (util_attr(info, name, r->state, sizeof(r->state)))
		r->has_state = 1;
	snprintf(name, sizeof(name), "dbc%u_owner", id);
	if (util_attr(info, name, buf, sizeof(buf)))
		parse_owner(buf, r);
}

/*
 * How many DBCs: num_dbc when the driver exposes it, else the first N
 * dbc<N>_state files that exist. 0 when the driver says nothing at all.
 */
static uint32_t count_dbcs(const struct qaic_device_info *info)
{
	char name[32], buf[32];
	uint32_t n;

	if (util_attr(info, "num_dbc", buf, sizeof(buf)) && !util_parse_u32(buf, &n) &&
	    n <= PROBE_MAX_DBC)
		return n;
	for (n = 0; n < PROBE_MAX_DBC; n++) {
		snprintf(name, sizeof(name), "dbc%u_state", n);
		if (!util_attr(info, name, buf, sizeof(buf)))
			break;
	}
	return n;
}

static void json_device(struct json_writer *jw, const struct tool_device *d)
{
	uint32_t i, n = count_dbcs(&d->info);
	struct dbc_row r;

	jw_object_begin(jw);
	jw_kv_int(jw, "index", d->index);
	jw_kv_string(jw, "node", d->info.node);
	jw_key(jw, "dbcs");
	if (!n) {
		jw_null(jw);
		jw_object_end(jw);
		return;
	}
	jw_array_begin(jw);
	for (i = 0; i < n; i++) {
		read_row(&d->info, i, &r);
		jw_object_begin(jw);
		jw_kv_uint(jw, "id", i);
		jw_kv_string(jw, "state", r.has_state ? r.state : NULL);
		if (r.pid > 0)
			jw_kv_int(jw, "owner_pid", r.pid);
		else
			jw_kv_null(jw, "owner_pid");
		jw_kv_string(jw, "owner_comm", r.comm[0] ? r.comm : NULL);
		jw_object_end(jw);
	}
	jw_array_end(jw);
	jw_object_end(jw);
}

static int table_device(const struct tool_device *d, int w)
{
	uint32_t i, n = count_dbcs(&d->info);
	struct dbc_row r;
	char pid[32];

	if (!n) {
		fprintf(stderr, "qaic-util: %s: the driver exposes no DBC attributes\n",
			d->info.node);
		return -1;
	}
	for (i = 0; i < n; i++) {
		read_row(&d->info, i, &r);
		if (r.pid > 0)
			snprintf(pid, sizeof(pid), "%lld", (long long)r.pid);
		else
			strcpy(pid, "-");
		printf("%-4d %-*s %-4u %-9s %-8s %s\n", d->index, w, d->info.node, i,
		       r.has_state ? r.state : "-", pid, r.comm[0] ? r.comm : "-");
	}
	return 0;
}

int cmd_dbc(const struct util_opts *o, const struct tool_device *devs, int n)
{
	struct json_writer *jw;
	int i, w = (int)strlen("NODE"), ret = 0;

	if (o->json) {
		jw = jw_open(stdout);
		if (!jw)
			return -1;
		jw_object_begin(jw);
		jw_key(jw, "devices");
		jw_array_begin(jw);
		for (i = 0; i < n; i++)
			json_device(jw, &devs[i]);
		jw_array_end(jw);
		jw_object_end(jw);
		return jw_close(jw);
	}

	for (i = 0; i < n; i++)
		if ((int)strlen(devs[i].info.node) > w)
			w = (int)strlen(devs[i].info.node);
	printf("%-4s %-*s %-4s %-9s %-8s %s\n", "DEV", w, "NODE", "DBC", "STATE", "PID", "COMM");
	for (i = 0; i < n; i++)
		if (table_device(&devs[i], w))
			ret = -1;
	return ret;
}
