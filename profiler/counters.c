// SPDX-License-Identifier: MIT
#include "counters.h"
#include "json_writer.h"

static const struct {
	const char *name;
	int loss;	/* says something was not counted, or could not be paired */
} counters[QP_CNT_N] = {
	[QP_CNT_ENQUEUED] = { "enqueued", 0 },
	[QP_CNT_INFLIGHT_FULL] = { "inflight_full", 1 },
	[QP_CNT_ORPHAN_COMPLETE] = { "orphan_completions", 1 },
	[QP_CNT_DONE_FULL] = { "done_full", 1 },
	[QP_CNT_WAIT_UNMATCHED] = { "unmatched_waits", 1 },
	[QP_CNT_RB_DROPS] = { "ringbuf_drops", 1 },
	[QP_CNT_RB_EVENTS] = { "ringbuf_events", 0 },
	[QP_CNT_FILTERED] = { "filtered", 0 },
	[QP_CNT_WAIT_ERROR] = { "wait_errors", 0 },
	[QP_CNT_DIR_UNKNOWN] = { "unknown_dir", 1 },
	[QP_CNT_STAGE_SKIPPED] = { "stages_skipped", 1 },
	[QP_CNT_KEYS_FULL] = { "keys_full", 1 },
};

const char *counter_name(unsigned int c)
{
	return c < QP_CNT_N ? counters[c].name : NULL;
}

void counters_print(FILE *out, const uint64_t *v)
{
	unsigned int i;
	int any = 0;

	for (i = 0; i < QP_CNT_N; i++) {
		if (!counters[i].loss || !v[i])
			continue;
		fprintf(out, "%s %s=%llu", any ? "" : "#", counters[i].name,
			(unsigned long long)v[i]);
		any = 1;
	}
	if (any)
		fputc('\n', out);
}

void counters_json(struct json_writer *jw, const uint64_t *v)
{
	unsigned int i;

	jw_key(jw, "counters");
	jw_object_begin(jw);
	for (i = 0; i < QP_CNT_N; i++)
		jw_kv_uint(jw, counters[i].name, v[i]);
	jw_object_end(jw);
}
