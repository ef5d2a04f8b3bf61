/* SPDX-License-Identifier: MIT */
/*
 * A small strict JSON reader (RFC 8259) for reading back the traces
 * qaic-prof writes, which can be far larger than memory would like as one
 * tree: the outer levels are walked as a stream (tj_object_next,
 * tj_array_next) and only one element at a time is built as a tree
 * (tj_value) in an arena that tj_reset() empties.
 *
 * Every error leaves a message "NAME:LINE:COL: what" (tj_error()) and makes
 * the call return -EINVAL (-ENOMEM, -EIO for those). Limits: values nest at
 * most TJ_MAX_DEPTH deep, a string is at most TJ_MAX_STRING bytes, and
 * "\u0000" is refused (strings are C strings here).
 */
#ifndef TRACE_JSON_H_
#define TRACE_JSON_H_

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TJ_MAX_DEPTH	64
#define TJ_MAX_STRING	(1u << 20)

enum tj_type {
	TJ_NULL,
	TJ_FALSE,
	TJ_TRUE,
	TJ_NUMBER,
	TJ_STRING,
	TJ_ARRAY,
	TJ_OBJECT,
};

struct tj_value {
	enum tj_type type;
	unsigned int line;	/* where it starts */
	const char *key;	/* its name, as an object member; else NULL */
	const char *text;	/* TJ_STRING decoded, TJ_NUMBER as written; NUL-terminated */
	size_t len;		/* bytes of text */
	struct tj_value *first;	/* TJ_ARRAY elements, TJ_OBJECT members, in order */
	struct tj_value *next;	/* the next sibling */
};

struct tj_parser;

/* NULL on allocation failure. name is used in messages only. */
struct tj_parser *tj_open(FILE *in, const char *name);
void tj_close(struct tj_parser *p);
const char *tj_error(const struct tj_parser *p);
/* Line of the next character to be read. */
unsigned int tj_line(const struct tj_parser *p);

/* '{' or '[' next (after whitespace), consumed. 0 or -EINVAL. */
int tj_object_begin(struct tj_parser *p);
int tj_array_begin(struct tj_parser *p);
/*
 * In an object: 1 when a member follows (*key set, its ':' consumed, its
 * value next), 0 when the closing '}' was consumed, or a negative errno.
 */
int tj_object_next(struct tj_parser *p, const char **key);
/* In an array: 1 when an element follows, 0 when ']' was consumed, or < 0. */
int tj_array_next(struct tj_parser *p);
/* The next whole value, built in the arena. 0 or < 0. */
int tj_value(struct tj_parser *p, const struct tj_value **out);
/* Frees every key and value read so far. */
void tj_reset(struct tj_parser *p);
/* Nothing but whitespace is left. 0 or -EINVAL. */
int tj_end(struct tj_parser *p);
/* Sets a message at the current position (for the caller's own checks); returns -EINVAL. */
int tj_fail(struct tj_parser *p, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The member named key of an object, or NULL (also when obj is not an object). */
const struct tj_value *tj_get(const struct tj_value *obj, const char *key);
/* 1 if v is the string s. */
int tj_is_string(const struct tj_value *v, const char *s);
/* An integer written without fraction or exponent that fits; 0 or -1. */
int tj_uint(const struct tj_value *v, uint64_t *out);
int tj_int(const struct tj_value *v, int64_t *out);
/*
 * A number without exponent as v * 10^places (digits beyond `places` are
 * cut off, toward zero); 0, or -1 if it has an exponent or does not fit.
 */
int tj_fixed(const struct tj_value *v, unsigned int places, int64_t *out);

#endif /* TRACE_JSON_H_ */
