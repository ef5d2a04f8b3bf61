// SPDX-License-Identifier: MIT
/* The report's formats: choosing one (report_render.h). */
#include <string.h>

#include "report_render.h"

static const struct {
	const char *name;
	enum report_format fmt;
} formats[] = {
	{ "text", REPORT_FMT_TEXT },
	{ "md", REPORT_FMT_MD },
	{ "markdown", REPORT_FMT_MD },
	{ "json", REPORT_FMT_JSON },
	{ "csv", REPORT_FMT_CSV },
};

int report_format_parse(const char *flag, const char *s, enum report_format *fmt,
			struct args_err *err)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (!strcmp(s, formats[i].name)) {
			*fmt = formats[i].fmt;
			return 0;
		}
	}
	snprintf(err->msg, sizeof(err->msg), "%s '%.64s': expected text, md, json or csv", flag, s);
	return -1;
}

int report_render(FILE *out, const struct report *r, enum report_format fmt, enum prof_unit unit)
{
	switch (fmt) {
	case REPORT_FMT_MD:
		return report_render_md(out, r, unit);
	case REPORT_FMT_JSON:
		return report_render_json(out, r);
	case REPORT_FMT_CSV:
		return report_render_csv(out, r, unit);
	case REPORT_FMT_TEXT:
		break;
	}
	return report_render_text(out, r, unit);
}

void report_window_text(const struct report *r, char *buf, size_t size)
{
	if (!r->window_ns)
		snprintf(buf, size, "empty (no events)");
	else if (r->from_trace)
		snprintf(buf, size, "%.3f s, the recording's first to last event", r->window_ns / 1e9);
	else
		snprintf(buf, size, "%.3f s, live", r->window_ns / 1e9);
}
