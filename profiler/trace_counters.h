/* SPDX-License-Identifier: MIT */
/*
 * The counters of a trace, as samples that hold until the next one:
 * requests in flight on a DBC, and bytes a device's requests moved per time
 * bin and direction.
 */
#ifndef TRACE_COUNTERS_H_
#define TRACE_COUNTERS_H_

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "trace_model.h"

struct trace_sample {
	uint64_t ts;			/* ns */
	int64_t value[QP_DIR_N];	/* in flight: value[0]; bytes per bin: per direction */
};

/*
 * Requests in flight on one DBC, m->reqs[from, to) (one (dev, dbc) group of
 * the sealed model): one sample per distinct time a request entered
 * (submit) or left (completion), with the count after all changes at that
 * time. out must hold 2 * (to - from) samples. Returns how many, or -ENOMEM.
 */
ssize_t trace_in_flight(const struct trace_model *m, size_t from, size_t to,
			struct trace_sample *out);

/*
 * Bytes of device dev's requests (owner known) completed with status 0,
 * per bin of bin_ns by completion time and per direction. A sample at a
 * bin's start where the bytes change, and a zero sample after the last busy
 * bin before an idle one. out must hold 2 * m->n_reqs samples. Returns how
 * many, or -ENOMEM.
 */
ssize_t trace_bandwidth(const struct trace_model *m, uint32_t dev, uint64_t bin_ns,
			struct trace_sample *out);

#endif /* TRACE_COUNTERS_H_ */
