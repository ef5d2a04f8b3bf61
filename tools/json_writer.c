// SPDX-License-Identifier: MIT
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "json_writer.h"

#define JW_MAX_DEPTH	32

struct json_writer {
	FILE *out;
	int depth;
	int need_comma[JW_MAX_DEPTH + 1];	/* per level: a value was written */
	int after_key;				/* the next value follows a key */
	int newline;				/* jw_newline: break before the next one */
	int error;
};

struct json_writer *jw_open(FILE *out)
{
	struct json_writer *jw = calloc(1, sizeof(*jw));

	if (jw)
		jw->out = out;
	return jw;
}

int jw_close(struct json_writer *jw)
{
	int ret;

	if (!jw)
		return -1;
	fputc('\n', jw->out);
	ret = jw->error || jw->depth != 0 || ferror(jw->out) ? -1 : 0;
	free(jw);
	return ret;
}

/* Separator before a value (or a key) at the current level. */
static void before_value(struct json_writer *jw)
{
	if (jw->after_key) {
		jw->after_key = 0;
		return;
	}
	if (jw->need_comma[jw->depth])
		fputc(',', jw->out);
	jw->need_comma[jw->depth] = 1;
	if (jw->newline) {
		jw->newline = 0;
		fputc('\n', jw->out);
	}
}

static void write_escaped(FILE *out, const char *s)
{
	const unsigned char *p;

	fputc('"', out);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

static void open_level(struct json_writer *jw, char c)
{
	before_value(jw);
	fputc(c, jw->out);
	if (jw->depth == JW_MAX_DEPTH) {
		jw->error = 1;
		return;
	}
	jw->depth++;
	jw->need_comma[jw->depth] = 0;
}

static void close_level(struct json_writer *jw, char c)
{
	if (jw->depth == 0) {
		jw->error = 1;
		return;
	}
	jw->depth--;
	fputc(c, jw->out);
}

void jw_object_begin(struct json_writer *jw)
{
	open_level(jw, '{');
}

void jw_object_end(struct json_writer *jw)
{
	close_level(jw, '}');
}

void jw_array_begin(struct json_writer *jw)
{
	open_level(jw, '[');
}

void jw_array_end(struct json_writer *jw)
{
	close_level(jw, ']');
}

void jw_key(struct json_writer *jw, const char *key)
{
	before_value(jw);
	write_escaped(jw->out, key);
	fputc(':', jw->out);
	jw->after_key = 1;
}

void jw_string(struct json_writer *jw, const char *s)
{
	if (!s) {
		jw_null(jw);
		return;
	}
	before_value(jw);
	write_escaped(jw->out, s);
}

void jw_int(struct json_writer *jw, int64_t v)
{
	before_value(jw);
	fprintf(jw->out, "%" PRId64, v);
}

void jw_uint(struct json_writer *jw, uint64_t v)
{
	before_value(jw);
	fprintf(jw->out, "%" PRIu64, v);
}

void jw_double(struct json_writer *jw, double v)
{
	if (!isfinite(v)) {
		jw_null(jw);
		return;
	}
	before_value(jw);
	fprintf(jw->out, "%.3f", v);
}

void jw_decimal(struct json_writer *jw, int64_t v, unsigned int places)
{
	uint64_t mag, scale = 1;
	unsigned int i;

	if (places > 18) {
		jw->error = 1;
		places = 18;
	}
	for (i = 0; i < places; i++)
		scale *= 10;
	before_value(jw);
	/* The magnitude as unsigned, so INT64_MIN needs no special case. */
	mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
	fprintf(jw->out, "%s%" PRIu64, v < 0 ? "-" : "", mag / scale);
	if (places)
		fprintf(jw->out, ".%0*" PRIu64, (int)places, mag % scale);
}

void jw_bool(struct json_writer *jw, int v)
{
	before_value(jw);
	fputs(v ? "true" : "false", jw->out);
}

void jw_null(struct json_writer *jw)
{
	before_value(jw);
	fputs("null", jw->out);
}

void jw_kv_string(struct json_writer *jw, const char *key, const char *s)
{
	jw_key(jw, key);
	jw_string(jw, s);
}

void jw_kv_int(struct json_writer *jw, const char *key, int64_t v)
{
	jw_key(jw, key);
	jw_int(jw, v);
}

void jw_kv_uint(struct json_writer *jw, const char *key, uint64_t v)
{
	jw_key(jw, key);
	jw_uint(jw, v);
}

void jw_kv_null(struct json_writer *jw, const char *key)
{
	jw_key(jw, key);
	jw_null(jw);
}

void jw_kv_double(struct json_writer *jw, const char *key, double v)
{
	jw_key(jw, key);
	jw_double(jw, v);
}

void jw_kv_decimal(struct json_writer *jw, const char *key, int64_t v, unsigned int places)
{
	jw_key(jw, key);
	jw_decimal(jw, v, places);
}

void jw_kv_bool(struct json_writer *jw, const char *key, int v)
{
	jw_key(jw, key);
	jw_bool(jw, v);
}

void jw_newline(struct json_writer *jw)
{
	jw->newline = 1;
}
