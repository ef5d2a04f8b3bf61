/* SPDX-License-Identifier: MIT */
/*
 * What the driver's sysfs says about a card, for capacity figures: its
 * host link (generation, width, bytes per second per direction, whether
 * that is a payload rate) and its NSP count.
 */
#ifndef PROF_DEVINFO_H_
#define PROF_DEVINFO_H_

#include <stdbool.h>
#include <stdint.h>

struct json_writer;

struct devinfo {
	uint32_t minor;		/* the tracepoints' dev */
	char node[64];		/* /dev/accel/accel0 */
	bool link_known;
	uint32_t link_gen;
	uint32_t link_width;
	uint64_t link_bps;	/* per direction */
	bool link_payload;	/* link_bps is a payload rate (else the line rate) */
	uint32_t num_nsp;	/* 0 if unknown */
};

/* The card with this minor; 0, or -ENODEV if there is none. */
int devinfo_get(uint32_t minor, struct devinfo *out);

/* "link": {...} and "num_nsp" members of the current object. */
void devinfo_json(struct json_writer *jw, const struct devinfo *d);

/* "Gen4 x8, 14403.5 MB/s per direction (payload)" or "link unknown". */
void devinfo_link_text(const struct devinfo *d, char *buf, size_t size);

#endif /* PROF_DEVINFO_H_ */
