// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devinfo.h"
#include "json_writer.h"
#include "qaic.h"

#define MAX_DEVICES	64

static int attr_u64(const struct qaic_device_info *info, const char *name, uint64_t *v)
{
	char buf[64], *end;

	if (qaic_device_attr(info, name, buf, sizeof(buf)) <= 0)
		return -1;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	return errno || *end ? -1 : 0;
}

int devinfo_get(uint32_t minor, struct devinfo *out)
{
	struct qaic_device_info list[MAX_DEVICES];
	uint64_t gen, width, bps, payload, nsp;
	int n, i;

	memset(out, 0, sizeof(*out));
	out->minor = minor;
	n = qaic_device_list(list, MAX_DEVICES);
	for (i = 0; i < n && i < MAX_DEVICES; i++) {
		if (list[i].minor != minor)
			continue;
		snprintf(out->node, sizeof(out->node), "%s", list[i].node);
		if (!attr_u64(&list[i], "link_gen", &gen) &&
		    !attr_u64(&list[i], "link_width", &width) &&
		    !attr_u64(&list[i], "link_bytes_per_sec", &bps) &&
		    !attr_u64(&list[i], "link_payload", &payload) && bps) {
			out->link_known = true;
			out->link_gen = (uint32_t)gen;
			out->link_width = (uint32_t)width;
			out->link_bps = bps;
			out->link_payload = payload != 0;
		}
		if (!attr_u64(&list[i], "num_nsp", &nsp))
			out->num_nsp = (uint32_t)nsp;
		return 0;
	}
	return -ENODEV;
}

void devinfo_json(struct json_writer *jw, const struct devinfo *d)
{
	jw_key(jw, "link");
	if (!d->link_known) {
		jw_null(jw);
	} else {
		jw_object_begin(jw);
		jw_kv_uint(jw, "gen", d->link_gen);
		jw_kv_uint(jw, "width", d->link_width);
		jw_kv_uint(jw, "bytes_per_sec", d->link_bps);
		jw_kv_bool(jw, "payload_rate", d->link_payload);
		jw_object_end(jw);
	}
	if (d->num_nsp)
		jw_kv_uint(jw, "num_nsp", d->num_nsp);
	else
		jw_kv_null(jw, "num_nsp");
}

void devinfo_link_text(const struct devinfo *d, char *buf, size_t size)
{
	if (!d->link_known)
		snprintf(buf, size, "link unknown");
	else
		snprintf(buf, size, "Gen%u x%u, %.1f MB/s per direction (%s)", d->link_gen,
			 d->link_width, d->link_bps / 1e6, d->link_payload ? "payload" : "line rate");
}
