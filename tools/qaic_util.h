/* SPDX-License-Identifier: MIT */
/* qaic-util: what its subcommands share. */
#ifndef QAIC_UTIL_H_
#define QAIC_UTIL_H_

#include <stddef.h>
#include <stdint.h>

#include "qaic.h"
#include "tool_device.h"

struct util_opts {
	const char *sysroot;	/* NULL: the live system */
	int json;
};

/*
 * The driver's sysfs attribute <name> (see docs/libqaic.md), in buf, or NULL
 * when it is missing or unreadable: callers print "-" (or null in JSON).
 */
const char *util_attr(const struct qaic_device_info *info, const char *name, char *buf,
		      size_t size);

/* Whole-string decimal parsing; 0 on success, -1 if s is not such a number. */
int util_parse_i64(const char *s, int64_t *out);
int util_parse_u32(const char *s, uint32_t *out);

int cmd_list(const struct util_opts *o, const struct tool_device *devs, int n);
int cmd_dbc(const struct util_opts *o, const struct tool_device *devs, int n);

#endif /* QAIC_UTIL_H_ */
