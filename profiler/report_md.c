// SPDX-License-Identifier: MIT
/*
 * The report as Markdown (GitHub's dialect): a heading per section, pipe
 * tables with numbers right-aligned, the assumptions as a numbered list.
 */
#include <string.h>

#include "report_render.h"
#include "report_sections.h"

/* Text in a table cell or a paragraph: pipes, backslashes and '<' escaped, controls as '?'. */
static void md_escaped(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '|' || ch == '\\' || ch == '*' || ch == '_' || ch == '`')
			fprintf(out, "\\%c", ch);
		else if (ch == '<')
			fputs("&lt;", out);
		else if (ch < 0x20 || ch == 0x7f)
			fputc('?', out);
		else
			fputc(ch, out);
	}
}

static int right_aligned(const struct table_col *col)
{
	if (col->align != TABLE_AUTO)
		return col->align == TABLE_RIGHT;
	return col->type != TABLE_TEXT;
}

static void md_section(FILE *out, const struct report_section *s)
{
	char buf[SECTION_TEXT_LEN + 32];
	unsigned int c;
	size_t i;

	fputs("## ", out);
	md_escaped(out, s->title);
	fputs("\n\n", out);
	if (!s->nrows) {
		fputs("(none)\n\n", out);
	} else {
		fputc('|', out);
		for (c = 0; c < s->ncols; c++) {
			section_col_header(&s->cols[c], buf, sizeof(buf));
			fputc(' ', out);
			md_escaped(out, buf);
			fputs(" |", out);
		}
		fputs("\n|", out);
		for (c = 0; c < s->ncols; c++)
			fputs(right_aligned(&s->cols[c]) ? "---:|" : ":---|", out);
		fputc('\n', out);
		for (i = 0; i < s->nrows; i++) {
			fputc('|', out);
			for (c = 0; c < s->ncols; c++) {
				section_cell_text(&s->cols[c], &s->cells[i * s->ncols + c], buf,
						  sizeof(buf));
				fputc(' ', out);
				md_escaped(out, buf);
				fputs(" |", out);
			}
			fputc('\n', out);
		}
		fputc('\n', out);
	}
	if (s->footer[0]) {
		md_escaped(out, s->footer);
		fputs("\n\n", out);
	}
}

int report_render_md(FILE *out, const struct report *r, enum prof_unit unit)
{
	struct report_section *s;
	char window[128];
	size_t n, i;

	if (report_sections(r, unit, &s, &n))
		return -1;
	report_window_text(r, window, sizeof(window));
	fputs("# qaic-prof capacity report\n\n- Source: ", out);
	md_escaped(out, r->source);
	fputs("\n- Window: ", out);
	md_escaped(out, window);
	fputs("\n\n", out);
	for (i = 0; i < n; i++)
		md_section(out, &s[i]);
	report_sections_free(s, n);
	fputs("## Assumptions and caveats\n\n", out);
	for (i = 0; i < r->n_notes; i++) {
		fprintf(out, "%zu. ", i + 1);
		md_escaped(out, r->notes[i]);
		fputc('\n', out);
	}
	fflush(out);
	return ferror(out) ? -1 : 0;
}
