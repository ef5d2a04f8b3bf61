/* SPDX-License-Identifier: MIT */
/*
 * A sealed trace model (trace_model.h) as a Chrome trace-event JSON file
 * that Perfetto's UI (and chrome://tracing) opens, written through the one
 * JSON writer (tools/json_writer.h), one event per line.
 *
 * What it shows:
 * - a process per device, "qaic accelN", with per DBC a track per
 *   concurrency lane, "dbc3 #0", "dbc3 #1", ...: requests in flight together
 *   on one DBC overlap, and a thread track can only hold nested slices, so
 *   each request goes to the lowest-numbered lane free when it was submitted
 *   (as few lanes as the DBC's peak concurrency). A request is an "X" slice
 *   "request" (cat "request") from submit to the WAIT_BO return that ended
 *   it, "request (unwaited)" to its completion when no wait did, "request
 *   (incomplete)" to the end of the trace when it never completed; inside
 *   it, "submit", "queue+device", "completion", "wakeup" (cat "stage").
 *   Its args hold the whole record (struct trace_req), absolute
 *   timestamps in ns included; trace_read() rebuilds the model from them.
 *   Completion IRQs are instants on a track "dbc3 irq".
 * - a process per client, "comm (tgid)", with a track per thread: its
 *   execute ioctls ("execute", from entry to the doorbell; zero length when
 *   the doorbell is not known; "rebuilt" when its EXECUTE event was lost)
 *   and WAIT_BO calls ("wait"); a call whose times would overlap another
 *   one's without nesting is drawn with zero length ("flattened"); flow arrows
 *   (cat "flow") from each execute to the completion slice of each of its
 *   requests ("request"), and from that completion slice to the wait it
 *   woke ("wakeup").
 * - counters: per DBC "dbcN in flight" (requests, after every change) and
 *   per device "link MB/s" ("in"/"out": bytes of requests completed with
 *   status 0 in each TRACE_BW_BIN_NS bin, as MB/s, at the bin's start).
 * - metadata: process and thread names and sort order; "otherData" holds
 *   the format name and version, the time origin and the model's counts
 *   (events, ring-buffer drops, orphans, incomplete, unwaited, ...). Drops
 *   also show as a global instant on the timeline.
 *
 * Time: "ts" and "dur" are microseconds since ts_origin_ns (the trace's
 * first timestamp rounded down to a whole second) with 5 decimals: the
 * exact nanosecond plus a quarter, so that readers that truncate (Perfetto)
 * and readers that round both get the nanosecond meant, and slices that
 * share an end keep nesting. displayTimeUnit is "ns".
 *
 * The same model gives the same bytes.
 */
#ifndef TRACE_WRITER_H_
#define TRACE_WRITER_H_

#include <stdio.h>

#include "trace_model.h"

#define TRACE_FORMAT		"qaic-prof trace"
#define TRACE_FORMAT_VERSION	1
#define TRACE_BW_BIN_NS		10000000ull	/* 10 ms */

/* Device processes get pids no real process has (pid_max <= 2^22). */
#define TRACE_DEV_PID_BASE	1000000000u
#define TRACE_DEV_PID_STRIDE	1000000u	/* pid space per device: its tracks' tids */

struct trace_write_opts {
	const char *source;	/* what recorded it, e.g. the command line; NULL for none */
};

/*
 * Writes the model (sealed: trace_model_finish() or trace_read()) to out.
 * opts may be NULL. Returns 0, -EINVAL (model not sealed), -ENOMEM, -E2BIG
 * (a device with more tracks than TRACE_DEV_PID_STRIDE) or -EIO.
 */
int trace_write(FILE *out, const struct trace_model *m, const struct trace_write_opts *opts);

/*
 * The same to a file: path ("-" for stdout) is written as path.tmp and
 * renamed when complete, so a reader never sees half a trace. 0, or a
 * negative errno with a message in err (errlen bytes).
 */
int trace_write_path(const char *path, const struct trace_model *m,
		     const struct trace_write_opts *opts, char *err, size_t errlen);

#endif /* TRACE_WRITER_H_ */
