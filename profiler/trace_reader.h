/* SPDX-License-Identifier: MIT */
/*
 * Reads a trace file trace_write() wrote back into a sealed trace model
 * (the per-request records behind `qaic-prof report --from FILE`).
 *
 * Only our own format is accepted, strictly: valid JSON (trace_json.h),
 * otherData naming TRACE_FORMAT and a version this reader knows, every
 * event of a known phase with the fields that phase needs ("X" slices with
 * dur >= 0, flows with ids, counters with numeric args), the records'
 * args complete and in range, and the counts in otherData equal to what the
 * file holds. Anything else fails with one message naming the file, the
 * line and what is wrong.
 */
#ifndef TRACE_READER_H_
#define TRACE_READER_H_

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "trace_json.h"
#include "trace_model.h"

/* One element of traceEvents, as read (for callers that check the timeline). */
struct trace_event_view {
	size_t index;			/* position in traceEvents, from 0 */
	unsigned int line;		/* where it starts */
	char ph;			/* 'X', 'i', 's', 'f', 'C' or 'M' */
	const char *name;		/* "" when absent */
	const char *cat;		/* "" when absent */
	uint32_t pid;
	uint32_t tid;			/* 0 when absent */
	int has_ts;
	uint64_t ts_ns;			/* ns since ts_origin_ns, exact */
	int has_dur;
	uint64_t dur_ns;		/* "X" only */
	int has_id;
	uint64_t id;			/* flows */
	int binds_enclosing;		/* a flow end with "bp": "e" */
	const struct tj_value *args;	/* NULL when absent; valid during the call only */
};

struct trace_read_opts {
	/* Called for every event after its checks; a nonzero return stops the read with it. */
	int (*on_event)(void *ctx, const struct trace_event_view *ev);
	void *ctx;
	/* Filled in from otherData. */
	uint64_t origin_ns;		/* absolute time (ns) of ts 0 */
	char source[256];		/* what recorded it; "" if not said */
};

/*
 * Reads path ("-" for stdin) into a new sealed model (*out; trace_model_free
 * it). opts may be NULL. Returns 0, or a negative errno with a message in
 * err (errlen bytes): -EINVAL for anything malformed (or unreadable past
 * the open), -ENOMEM, or fopen's errno.
 */
int trace_read(const char *path, struct trace_model **out, struct trace_read_opts *opts,
	       char *err, size_t errlen);
/* The same from an open stream; name is used in messages. */
int trace_read_stream(FILE *in, const char *name, struct trace_model **out,
		      struct trace_read_opts *opts, char *err, size_t errlen);

#endif /* TRACE_READER_H_ */
