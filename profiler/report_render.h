/* SPDX-License-Identifier: MIT */
/*
 * The report's renderers, one per format and file: text (report_text.c,
 * through profiler/table), Markdown (report_md.c, pipe tables), JSON
 * (report_json.c, through tools/json_writer, one document; times in ns,
 * utilizations in percent) and CSV (report_csv.c, through profiler/csv, one
 * row per workload with its device's figures repeated). Text and Markdown
 * show the sections of report_sections.h; all four give the notes.
 */
#ifndef PROF_REPORT_RENDER_H_
#define PROF_REPORT_RENDER_H_

#include <stdio.h>

#include "args.h"
#include "prof.h"
#include "report_model.h"

enum report_format {
	REPORT_FMT_TEXT,
	REPORT_FMT_MD,
	REPORT_FMT_JSON,
	REPORT_FMT_CSV,
};

/* "text", "md" (or "markdown"), "json", "csv". 0, or -1 with err. */
int report_format_parse(const char *flag, const char *s, enum report_format *fmt,
			struct args_err *err);

/* Each returns 0, or -1 (out of memory, or writing failed). */
int report_render_text(FILE *out, const struct report *r, enum prof_unit unit);
int report_render_md(FILE *out, const struct report *r, enum prof_unit unit);
int report_render_json(FILE *out, const struct report *r);
int report_render_csv(FILE *out, const struct report *r, enum prof_unit unit);

/* The one for fmt (JSON ignores unit: it has ns). */
int report_render(FILE *out, const struct report *r, enum report_format fmt, enum prof_unit unit);

/* "2024-...": the header's description of the window, shared by text and Markdown. */
void report_window_text(const struct report *r, char *buf, size_t size);

#endif /* PROF_REPORT_RENDER_H_ */
