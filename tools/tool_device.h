/* SPDX-License-Identifier: MIT */
/* Picking devices for a tool's command, with one set of error messages. */
#ifndef TOOL_DEVICE_H_
#define TOOL_DEVICE_H_

#include "qaic.h"

/* A device picked for a command, with its index in `qaic-util list`. */
struct tool_device {
	struct qaic_device_info info;
	int index;
};

/*
 * The devices a command works on: every qaic device (below sysroot, NULL
 * for the live system), or the one `want` names: an index into the list or
 * a node path. Returns how many (at least 1), the array in *out to free(),
 * or -1 after printing to stderr, prefixed "prog: ", why there is none: the
 * driver not loaded, no device bound, no such index or node.
 */
int tool_select_devices(const char *prog, const char *sysroot, const char *want,
			struct tool_device **out);

#endif /* TOOL_DEVICE_H_ */
