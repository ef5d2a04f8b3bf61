// SPDX-License-Identifier: MIT
/* Fixed-width text tables (table.h). Cells are kept as strings until printed. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

#define COL_GAP	2

struct table {
	struct table_col *cols;
	unsigned int ncols;
	char **cells;		/* rows * ncols, row-major; NULL: blank */
	unsigned int rows;
	unsigned int cap_rows;
	unsigned int next_col;	/* in the current row */
	int error;
};

struct table *table_new(const struct table_col *cols, unsigned int ncols)
{
	struct table *t;

	if (!ncols)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->cols = malloc(ncols * sizeof(*cols));
	if (!t->cols) {
		free(t);
		return NULL;
	}
	memcpy(t->cols, cols, ncols * sizeof(*cols));
	t->ncols = ncols;
	return t;
}

void table_free(struct table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < (size_t)t->rows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->cols);
	free(t);
}

int table_row(struct table *t)
{
	if (!t)
		return -1;
	if (t->rows == t->cap_rows) {
		unsigned int cap = t->cap_rows ? 2 * t->cap_rows : 16;
		char **cells = realloc(t->cells, (size_t)cap * t->ncols * sizeof(*cells));

		if (!cells) {
			t->error = 1;
			return -1;
		}
		t->cells = cells;
		t->cap_rows = cap;
	}
	memset(&t->cells[(size_t)t->rows * t->ncols], 0, t->ncols * sizeof(*t->cells));
	t->rows++;
	t->next_col = 0;
	return 0;
}

/* Takes ownership of s (malloc'd; NULL means it failed). */
static int put_cell(struct table *t, char *s)
{
	char *p;

	if (!t || !t->rows || t->next_col == t->ncols || !s) {
		free(s);
		if (t)
			t->error = 1;
		return -1;
	}
	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';	/* a comm with a newline must not break the table */
	t->cells[(size_t)(t->rows - 1) * t->ncols + t->next_col++] = s;
	return 0;
}

int table_text(struct table *t, const char *s)
{
	return put_cell(t, strdup(s ? s : "-"));
}

int table_printf(struct table *t, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return put_cell(t, n < 0 ? NULL : s);
}

int table_uint(struct table *t, uint64_t v)
{
	return table_printf(t, "%llu", (unsigned long long)v);
}

int table_real(struct table *t, double v)
{
	int decimals = 0;

	if (t && t->next_col < t->ncols)
		decimals = t->cols[t->next_col].decimals;
	if (isnan(v))
		return table_none(t);
	return table_printf(t, "%.*f", decimals, v);
}

int table_none(struct table *t)
{
	return table_text(t, "-");
}

unsigned int table_rows(const struct table *t)
{
	return t ? t->rows : 0;
}

static int right_aligned(const struct table_col *c)
{
	if (c->align == TABLE_AUTO)
		return c->type != TABLE_TEXT;
	return c->align == TABLE_RIGHT;
}

/* The header text of a column into buf. */
static const char *header(const struct table_col *c, char *buf, size_t size)
{
	if (!c->unit)
		return c->name ? c->name : "";
	snprintf(buf, size, "%s(%s)", c->name ? c->name : "", c->unit);
	return buf;
}

static void column_widths(const struct table *t, int *w)
{
	char buf[128];
	unsigned int c, r;

	for (c = 0; c < t->ncols; c++) {
		w[c] = (int)strlen(header(&t->cols[c], buf, sizeof(buf)));
		if (t->cols[c].width > 0) {
			/* the header is never cut */
			w[c] = t->cols[c].width > w[c] ? t->cols[c].width : w[c];
			continue;
		}
		for (r = 0; r < t->rows; r++) {
			const char *s = t->cells[(size_t)r * t->ncols + c];
			int len = s ? (int)strlen(s) : 0;

			w[c] = len > w[c] ? len : w[c];
		}
	}
}

/* One line; cells[c] may be NULL (blank). */
static void print_line(const struct table *t, const int *w, const char *const *cells, FILE *out)
{
	unsigned int c, last = t->ncols;
	int pad = 0;

	while (last > 0 && (!cells[last - 1] || !*cells[last - 1]))
		last--;		/* trailing blank cells print nothing */
	for (c = 0; c < last; c++) {
		const struct table_col *col = &t->cols[c];
		const char *s = cells[c] ? cells[c] : "";
		int len = (int)strlen(s);

		/* fixed-width text is cut to fit; numbers are never cut */
		if (col->width > 0 && len > w[c] && col->type == TABLE_TEXT)
			len = w[c];
		fprintf(out, "%*s", pad, "");
		if (right_aligned(col)) {
			fprintf(out, "%*s%.*s", w[c] - len > 0 ? w[c] - len : 0, "", len, s);
			pad = COL_GAP;
		} else {
			fprintf(out, "%.*s", len, s);
			pad = COL_GAP + (w[c] - len > 0 ? w[c] - len : 0);
		}
	}
	fputc('\n', out);
}

int table_print(const struct table *t, FILE *out)
{
	const char **line;
	char (*bufs)[128];
	unsigned int c, r;
	int *w, ret = -1;

	if (!t || t->error)
		return -1;
	w = calloc(t->ncols, sizeof(*w));
	line = calloc(t->ncols, sizeof(*line));
	bufs = calloc(t->ncols, sizeof(*bufs));
	if (!w || !line || !bufs)
		goto out;
	column_widths(t, w);
	for (c = 0; c < t->ncols; c++)
		line[c] = header(&t->cols[c], bufs[c], sizeof(bufs[c]));
	print_line(t, w, line, out);
	for (r = 0; r < t->rows; r++)
		print_line(t, w, (const char *const *)&t->cells[(size_t)r * t->ncols], out);
	ret = ferror(out) ? -1 : 0;
out:
	free(w);
	free(line);
	free(bufs);
	return ret;
}
