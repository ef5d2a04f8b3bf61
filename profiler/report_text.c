// SPDX-License-Identifier: MIT
/* The report as text for a terminal: its sections through profiler/table. */
#include <string.h>

#include "counters.h"
#include "report_render.h"
#include "report_sections.h"
#include "table.h"

#define WRAP_COLS	96

/* Print s wrapped at WRAP_COLS, the first line after first, the others indented. */
static void wrapped(FILE *out, const char *first, const char *indent, const char *s)
{
	size_t col = strlen(first), ind = strlen(indent);
	int line_start = 1;

	fputs(first, out);
	while (*s) {
		size_t word = strcspn(s, " ");

		if (!line_start && col + 1 + word > WRAP_COLS) {
			fprintf(out, "\n%s", indent);
			col = ind;
			line_start = 1;
		}
		if (!line_start) {
			fputc(' ', out);
			col++;
		}
		fwrite(s, 1, word, out);
		col += word;
		line_start = 0;
		s += word;
		while (*s == ' ')
			s++;
	}
	fputc('\n', out);
}

static int print_section(FILE *out, const struct report_section *s)
{
	struct table *t = table_new(s->cols, s->ncols);
	unsigned int c;
	size_t i;
	int ret;

	if (!t)
		return -1;
	fprintf(out, "%s\n", s->title);
	for (i = 0; i < s->nrows; i++) {
		const struct section_cell *row = &s->cells[i * s->ncols];

		table_row(t);
		for (c = 0; c < s->ncols; c++) {
			if (row[c].none)
				table_none(t);
			else if (s->cols[c].type == TABLE_REAL)
				table_real(t, row[c].real);
			else if (s->cols[c].type == TABLE_UINT)
				table_uint(t, row[c].uint);
			else
				table_text(t, row[c].text);
		}
	}
	ret = s->nrows ? table_print(t, out) : (fprintf(out, "(none)\n") < 0 ? -1 : 0);
	table_free(t);
	if (s->footer[0])
		wrapped(out, "", "", s->footer);
	fputc('\n', out);
	return ret;
}

int report_render_text(FILE *out, const struct report *r, enum prof_unit unit)
{
	struct report_section *s;
	char window[128], num[16];
	size_t n, i;
	int ret = 0;

	if (report_sections(r, unit, &s, &n))
		return -1;
	report_window_text(r, window, sizeof(window));
	fprintf(out, "qaic-prof capacity report: %s\nWindow: %s\n\n", r->source, window);
	for (i = 0; i < n; i++)
		if (print_section(out, &s[i]))
			ret = -1;
	report_sections_free(s, n);
	if (r->has_counters)
		counters_print(out, r->counters);
	fprintf(out, "Assumptions and caveats\n");
	for (i = 0; i < r->n_notes; i++) {
		snprintf(num, sizeof(num), "%3zu. ", i + 1);
		wrapped(out, num, "     ", r->notes[i]);
	}
	fflush(out);
	return ret || ferror(out) ? -1 : 0;
}
