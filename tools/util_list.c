// SPDX-License-Identifier: MIT
/* qaic-util list: one line (or JSON object) per device. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "json_writer.h"
#include "qaic_util.h"

struct dev_summary {
	char state[32];
	int has_state;
	char driver[32];	/* DRM driver version, "major.minor" */
	int has_driver;
	char nnc[32];		/* NNC protocol version, "major.minor" */
	const char *nnc_source;	/* "status", "sysfs" or NULL */
	int64_t clock_offset_ns;
	int has_clock_offset;
};

/*
 * Versions come from the device itself when it can be opened: the DRM
 * version always, the NNC version through STATUS when the card is ONLINE.
 * The sysfs nnc_version is the fallback (no permission, captured tree).
 */
static void summarize(const struct util_opts *o, const struct qaic_device_info *info,
		      struct dev_summary *s)
{
	struct qaic_dev *dev = NULL;
	char buf[64];
	int major, minor;
	uint16_t nmaj, nmin;

	memset(s, 0, sizeof(*s));
	if (util_attr(info, "state", s->state, sizeof(s->state)))
		s->has_state = 1;
	if (util_attr(info, "clock_offset_ns", buf, sizeof(buf)) &&
	    !util_parse_i64(buf, &s->clock_offset_ns))
		s->has_clock_offset = 1;

	if (!o->sysroot && qaic_open(info->node, &dev) == 0) {
		if (qaic_version(dev, &major, &minor) == 0) {
			snprintf(s->driver, sizeof(s->driver), "%d.%d", major, minor);
			s->has_driver = 1;
		}
		if (s->has_state && !strcmp(s->state, "ONLINE") &&
		    qaic_nnc_version(dev, &nmaj, &nmin) == 0) {
			snprintf(s->nnc, sizeof(s->nnc), "%u.%u", nmaj, nmin);
			s->nnc_source = "status";
		}
		qaic_close(dev);
	}
	if (!s->nnc_source && util_attr(info, "nnc_version", s->nnc, sizeof(s->nnc)))
		s->nnc_source = "sysfs";
}

static void print_json(const struct tool_device *devs, const struct dev_summary *sums, int n)
{
	struct json_writer *jw = jw_open(stdout);
	int i;

	if (!jw)
		return;
	jw_object_begin(jw);
	jw_key(jw, "devices");
	jw_array_begin(jw);
	for (i = 0; i < n; i++) {
		const struct qaic_device_info *info = &devs[i].info;
		const struct dev_summary *s = &sums[i];

		jw_object_begin(jw);
		jw_kv_int(jw, "index", devs[i].index);
		jw_kv_string(jw, "node", info->node);
		jw_kv_string(jw, "kind", qaic_node_kind_name(info->kind));
		jw_kv_uint(jw, "minor", info->minor);
		jw_kv_string(jw, "sysfs", info->sysfs);
		jw_kv_string(jw, "state", s->has_state ? s->state : NULL);
		jw_kv_string(jw, "driver_version", s->has_driver ? s->driver : NULL);
		jw_kv_string(jw, "nnc_version", s->nnc_source ? s->nnc : NULL);
		jw_kv_string(jw, "nnc_version_source", s->nnc_source);
		if (s->has_clock_offset)
			jw_kv_int(jw, "clock_offset_ns", s->clock_offset_ns);
		else
			jw_kv_null(jw, "clock_offset_ns");
		jw_object_end(jw);
	}
	jw_array_end(jw);
	jw_object_end(jw);
	jw_close(jw);
}

static void print_table(const struct tool_device *devs, const struct dev_summary *sums, int n)
{
	int i, w = (int)strlen("NODE");

	for (i = 0; i < n; i++)
		if ((int)strlen(devs[i].info.node) > w)
			w = (int)strlen(devs[i].info.node);

	printf("%-4s %-*s %-7s %-8s %-7s %-5s %s\n", "DEV", w, "NODE", "KIND", "STATE",
	       "DRIVER", "NNC", "CLOCK_OFFSET(ns)");
	for (i = 0; i < n; i++) {
		const struct dev_summary *s = &sums[i];
		char offset[32] = "-";

		if (s->has_clock_offset)
			snprintf(offset, sizeof(offset), "%" PRId64, s->clock_offset_ns);
		printf("%-4d %-*s %-7s %-8s %-7s %-5s %s\n", devs[i].index, w, devs[i].info.node,
		       qaic_node_kind_name(devs[i].info.kind), s->has_state ? s->state : "-",
		       s->has_driver ? s->driver : "-", s->nnc_source ? s->nnc : "-", offset);
	}
}

int cmd_list(const struct util_opts *o, const struct tool_device *devs, int n)
{
	struct dev_summary sums[n];
	int i;

	for (i = 0; i < n; i++)
		summarize(o, &devs[i].info, &sums[i]);
	if (o->json)
		print_json(devs, sums, n);
	else
		print_table(devs, sums, n);
	return 0;
}
