// SPDX-License-Identifier: MIT
#include "csv.h"
#include "json_writer.h"
#include "snapshot.h"
#include "workload.h"

void wl_json_ident(struct json_writer *jw, const struct snap_workload *w)
{
	jw_kv_uint(jw, "dev", w->key.dev);
	jw_kv_uint(jw, "dbc", w->key.dbc);
	jw_kv_uint(jw, "pid", w->key.tgid);
	jw_kv_string(jw, "comm", w->stats.comm);
	jw_kv_uint(jw, "cgroup", w->key.cgroup);
}

void wl_csv_ident(struct csv_writer *c, const struct snap_workload *w)
{
	csv_uint(c, w->key.dev);
	csv_uint(c, w->key.dbc);
	csv_uint(c, w->key.tgid);
	csv_text(c, w->stats.comm);
	csv_uint(c, w->key.cgroup);
}

uint64_t wl_done(const struct snap_workload *w)
{
	return w->stats.done[QP_DIR_IN] + w->stats.done[QP_DIR_OUT];
}

bool wl_active(const struct snap_workload *w)
{
	return w->stats.executes || wl_done(w) || w->stats.waits ||
	       w->stats.enq[QP_DIR_IN] || w->stats.enq[QP_DIR_OUT];
}
