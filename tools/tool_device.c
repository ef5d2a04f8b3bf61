// SPDX-License-Identifier: MIT
/* Device selection shared by qaic-util and qaic-run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool_device.h"

static void explain_no_device(const char *prog, const char *sysroot)
{
	if (sysroot)
		fprintf(stderr, "%s: no qaic device under %s\n", prog, sysroot);
	else if (access("/sys/module/qaic", F_OK) != 0)
		fprintf(stderr, "%s: the qaic driver is not loaded "
			"(modprobe qaic; for the simulated card also modprobe qaic_sim)\n", prog);
	else
		fprintf(stderr, "%s: the qaic driver is loaded but no device is bound "
			"to it (see dmesg)\n", prog);
}

/* A decimal index with nothing else around it; -1 if s is not one. */
static long parse_index(const char *s)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 1000000)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* The entry of list that want names, or -1 after saying why there is none. */
static int pick_device(const char *prog, const struct qaic_device_info *list, int n,
		       const char *want)
{
	long idx = parse_index(want);
	int i;

	if (idx >= 0) {
		if (idx < n)
			return (int)idx;
		fprintf(stderr, "%s: no device %s: there %s %d (0..%d); see qaic-util list\n",
			prog, want, n == 1 ? "is" : "are", n, n - 1);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (!strcmp(list[i].node, want))
			return i;
	fprintf(stderr, "%s: %s is not a qaic device index or node; see qaic-util list\n",
		prog, want);
	return -1;
}

int tool_select_devices(const char *prog, const char *sysroot, const char *want,
			struct tool_device **out)
{
	struct qaic_device_info *list = NULL;
	struct tool_device *devs;
	int n, i, pick = -1, count;

	n = qaic_device_list_root(sysroot, NULL, 0);
	if (n > 0) {
		list = calloc((size_t)n, sizeof(*list));
		if (!list) {
			fprintf(stderr, "%s: out of memory\n", prog);
			return -1;
		}
		n = qaic_device_list_root(sysroot, list, n);
	}
	if (n <= 0) {
		if (n < 0)
			fprintf(stderr, "%s: cannot list devices: %s\n", prog, strerror(-n));
		else
			explain_no_device(prog, sysroot);
		free(list);
		return -1;
	}
	if (want) {
		pick = pick_device(prog, list, n, want);
		if (pick < 0) {
			free(list);
			return -1;
		}
	}

	count = pick >= 0 ? 1 : n;
	devs = calloc((size_t)count, sizeof(*devs));
	if (!devs) {
		fprintf(stderr, "%s: out of memory\n", prog);
		free(list);
		return -1;
	}
	for (i = 0; i < count; i++) {
		int from = pick >= 0 ? pick : i;

		devs[i].info = list[from];
		devs[i].index = from;
	}
	free(list);
	*out = devs;
	return count;
}
