// SPDX-License-Identifier: MIT
/* CSV output (csv.h). */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "csv.h"

void csv_init(struct csv_writer *w, FILE *out)
{
	w->out = out;
	w->field = 0;
}

static void separator(struct csv_writer *w)
{
	if (w->field++)
		fputc(',', w->out);
}

void csv_text(struct csv_writer *w, const char *s)
{
	separator(w);
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, w->out);
		return;
	}
	fputc('"', w->out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', w->out);
		fputc(*s, w->out);
	}
	fputc('"', w->out);
}

void csv_uint(struct csv_writer *w, uint64_t v)
{
	separator(w);
	fprintf(w->out, "%" PRIu64, v);
}

void csv_int(struct csv_writer *w, int64_t v)
{
	separator(w);
	fprintf(w->out, "%" PRId64, v);
}

void csv_real(struct csv_writer *w, double v, int decimals)
{
	separator(w);
	if (isfinite(v))
		fprintf(w->out, "%.*f", decimals, v);
}

void csv_empty(struct csv_writer *w)
{
	separator(w);
}

void csv_end(struct csv_writer *w)
{
	fputc('\n', w->out);
	w->field = 0;
}

void csv_record(struct csv_writer *w, const char *const *fields)
{
	for (; *fields; fields++)
		csv_text(w, *fields);
	csv_end(w);
}

int csv_error(const struct csv_writer *w)
{
	return ferror(w->out) ? -1 : 0;
}
