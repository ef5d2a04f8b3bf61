/* SPDX-License-Identifier: MIT */
/*
 * The one fixed-width table printer of qaic-prof's text output. Columns have
 * a header with its unit ("p99(us)"), an alignment, and a width that is
 * either fixed or fits the header and every cell. Cells are added row by
 * row, left to right, as text the caller formatted or as numbers the column
 * formats; the table is printed at the end, so widths fit what was added.
 *
 *	static const struct table_col cols[] = {
 *		{ .name = "DBC" , .type = TABLE_UINT },
 *		{ .name = "COMM", .width = 16 },
 *		{ .name = "p99", .unit = "us", .type = TABLE_REAL, .decimals = 1 },
 *	};
 *	struct table *t = table_new(cols, 3);
 *	table_row(t); table_uint(t, 3); table_text(t, "qaic-run"); table_real(t, 812.34);
 *	table_print(t, stdout);
 *	table_free(t);
 *
 * prints
 *
 *	DBC  COMM              p99(us)
 *	  3  qaic-run            812.3
 */
#ifndef PROF_TABLE_H_
#define PROF_TABLE_H_

#include <stdint.h>
#include <stdio.h>

enum table_type {
	TABLE_TEXT,		/* cells formatted by the caller */
	TABLE_UINT,		/* table_uint() cells: decimal */
	TABLE_REAL,		/* table_real() cells: .decimals places; NaN prints "-" */
};

enum table_align {
	TABLE_AUTO,		/* numbers right, text left */
	TABLE_LEFT,
	TABLE_RIGHT,
};

struct table_col {
	const char *name;
	const char *unit;	/* NULL: none; else the header reads "name(unit)" */
	enum table_type type;
	int decimals;		/* TABLE_REAL */
	int width;		/* 0: fit the content; > 0: fixed, at least the header's;
			 * longer text is cut, numbers never */
	enum table_align align;
};

struct table;

/* The columns are copied. NULL on allocation failure or ncols == 0. */
struct table *table_new(const struct table_col *cols, unsigned int ncols);
void table_free(struct table *t);

/* Start a row; its cells follow left to right (missing trailing cells print blank). */
int table_row(struct table *t);

/*
 * The next cell of the current row. Each returns 0, or -1 (and the table
 * remembers it: table_print fails) when there is no row or no column left,
 * or memory ran out. Control characters in text print as '?'.
 */
int table_text(struct table *t, const char *s);		/* NULL prints "-" */
int table_printf(struct table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int table_uint(struct table *t, uint64_t v);
int table_real(struct table *t, double v);		/* the column's decimals */
int table_none(struct table *t);			/* "-": no value */

/* Rows added so far. */
unsigned int table_rows(const struct table *t);

/*
 * The header line and every row, columns two spaces apart, no trailing
 * blanks. 0, or -1 if an earlier call failed or writing did.
 */
int table_print(const struct table *t, FILE *out);

#endif /* PROF_TABLE_H_ */
