/* SPDX-License-Identifier: MIT */
/*
 * The one CSV writer of qaic-prof (--csv): fields quoted as RFC 4180 has
 * it (a field holding a comma, a double quote, CR or LF is enclosed in
 * double quotes, its quotes doubled; others are written as they are), one
 * record per line. Lines end in LF, not the RFC's CRLF: the files are read
 * on Linux by spreadsheets, Python's csv and pandas, which all accept LF.
 */
#ifndef PROF_CSV_H_
#define PROF_CSV_H_

#include <stdint.h>
#include <stdio.h>

struct csv_writer {
	FILE *out;
	unsigned int field;	/* fields written in the current record */
};

void csv_init(struct csv_writer *w, FILE *out);

void csv_text(struct csv_writer *w, const char *s);	/* NULL: an empty field */
void csv_uint(struct csv_writer *w, uint64_t v);
void csv_int(struct csv_writer *w, int64_t v);
/* decimals places; NaN and infinities are written as an empty field. */
void csv_real(struct csv_writer *w, double v, int decimals);
void csv_empty(struct csv_writer *w);

/* End the record. */
void csv_end(struct csv_writer *w);

/* A whole header or record of text fields in one call (NULL-terminated). */
void csv_record(struct csv_writer *w, const char *const *fields);

/* 0, or -1 if a write failed (ferror on the stream). */
int csv_error(const struct csv_writer *w);

#endif /* PROF_CSV_H_ */
