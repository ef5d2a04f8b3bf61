/* SPDX-License-Identifier: MIT */
/*
 * The report's tables, decided once for the text and Markdown renderers:
 * each section is a title, columns (struct table_col: name, unit, type,
 * decimals), rows of cells and a closing line. The text renderer prints a
 * section through profiler/table, the Markdown one as a pipe table, so both
 * show the same columns with the same units and rounding.
 *
 * Sections, in order: throughput per workload; latency per stage and
 * workload (device-in / device-out rows when the report knows them); the
 * capacity figures per workload; per device, its resources (link in, link
 * out, NSPs: used, capacity, utilization, scale to 100%) closed by the
 * bottleneck and headroom.
 */
#ifndef PROF_REPORT_SECTIONS_H_
#define PROF_REPORT_SECTIONS_H_

#include <stddef.h>
#include <stdint.h>

#include "prof.h"
#include "report_model.h"
#include "table.h"

#define SECTION_MAX_COLS	16
#define SECTION_TEXT_LEN	64

struct section_cell {
	int none;			/* no value: "-" */
	char text[SECTION_TEXT_LEN];	/* TABLE_TEXT */
	double real;			/* TABLE_REAL (NaN prints "-") */
	uint64_t uint;			/* TABLE_UINT */
};

struct report_section {
	char title[256];
	char footer[REPORT_NOTE_LEN];	/* "" if none */
	struct table_col cols[SECTION_MAX_COLS];
	unsigned int ncols;
	struct section_cell *cells;	/* nrows * ncols, row-major */
	size_t nrows;
	size_t alloc;
};

/* The sections of r, latencies in unit. 0 or -ENOMEM (*out NULL). */
int report_sections(const struct report *r, enum prof_unit unit, struct report_section **out,
		    size_t *n);
void report_sections_free(struct report_section *s, size_t n);

/* A cell as text ("-" for none or NaN), the way the column formats it. */
void section_cell_text(const struct table_col *col, const struct section_cell *c, char *buf,
		       size_t size);

/* "name(unit)" or "name". */
void section_col_header(const struct table_col *col, char *buf, size_t size);

#endif /* PROF_REPORT_SECTIONS_H_ */
