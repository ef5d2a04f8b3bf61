/* SPDX-License-Identifier: MIT */
/*
 * The one JSON writer of the tools: nested objects and arrays written as
 * they are built, commas and string escaping handled here, so every --json
 * output has the same shape rules. Output is compact, one document per line.
 */
#ifndef JSON_WRITER_H_
#define JSON_WRITER_H_

#include <stdint.h>
#include <stdio.h>

struct json_writer;

/* NULL on allocation failure. */
struct json_writer *jw_open(FILE *out);
/* Ends the line; returns 0, or -1 if the nesting was unbalanced or a write failed. */
int jw_close(struct json_writer *jw);

void jw_object_begin(struct json_writer *jw);
void jw_object_end(struct json_writer *jw);
void jw_array_begin(struct json_writer *jw);
void jw_array_end(struct json_writer *jw);

/* Inside an object: the key of the next value. */
void jw_key(struct json_writer *jw, const char *key);

void jw_string(struct json_writer *jw, const char *s);	/* NULL writes null */
void jw_int(struct json_writer *jw, int64_t v);
void jw_uint(struct json_writer *jw, uint64_t v);
/* Three decimals; NaN and infinities are written as null. */
void jw_double(struct json_writer *jw, double v);
/*
 * Exact fixed point: v / 10^places with exactly `places` digits after the
 * point (0..18), no rounding, e.g. nanoseconds as microseconds with places 3.
 */
void jw_decimal(struct json_writer *jw, int64_t v, unsigned int places);
void jw_bool(struct json_writer *jw, int v);
void jw_null(struct json_writer *jw);

/* key + value in one call, for object members. */
void jw_kv_string(struct json_writer *jw, const char *key, const char *s);
void jw_kv_int(struct json_writer *jw, const char *key, int64_t v);
void jw_kv_uint(struct json_writer *jw, const char *key, uint64_t v);
void jw_kv_null(struct json_writer *jw, const char *key);
void jw_kv_double(struct json_writer *jw, const char *key, double v);
void jw_kv_decimal(struct json_writer *jw, const char *key, int64_t v, unsigned int places);
void jw_kv_bool(struct json_writer *jw, const char *key, int v);

/*
 * The next key or value starts on a new line (JSON whitespace): long
 * documents, such as one trace event per line, stay readable by grep and diff.
 */
void jw_newline(struct json_writer *jw);

#endif /* JSON_WRITER_H_ */
