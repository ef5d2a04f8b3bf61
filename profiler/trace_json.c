// SPDX-License-Identifier: MIT
/*
 * Strict JSON reading: a character stream with one character of lookahead,
 * line and column kept for messages, values built in an arena of chunks.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "trace_json.h"

#define CHUNK_BYTES	(64u << 10)
#define ERR_LEN		256

struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

struct tj_parser {
	FILE *in;
	const char *name;
	int c;			/* lookahead: next character or EOF */
	unsigned int line, col;	/* of c */
	struct chunk *chunks;	/* arena, newest first */
	char *buf;		/* a string being read */
	size_t buf_len, buf_cap;
	int depth;		/* open objects and arrays */
	unsigned char started[TJ_MAX_DEPTH + 1];	/* per streamed level: an item was read */
	int failed;
	char err[ERR_LEN];
};

static void advance(struct tj_parser *p)
{
	if (p->c == '\n') {
		p->line++;
		p->col = 1;
	} else if (p->c != EOF) {
		p->col++;
	}
	p->c = getc(p->in);
}

struct tj_parser *tj_open(FILE *in, const char *name)
{
	struct tj_parser *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->in = in;
	p->name = name ? name : "input";
	p->line = 1;
	p->col = 1;
	p->c = getc(in);
	return p;
}

void tj_close(struct tj_parser *p)
{
	if (!p)
		return;
	tj_reset(p);
	free(p->chunks);
	free(p->buf);
	free(p);
}

const char *tj_error(const struct tj_parser *p)
{
	return p->err[0] ? p->err : "no error";
}

unsigned int tj_line(const struct tj_parser *p)
{
	return p->line;
}

static int vfail_at(struct tj_parser *p, unsigned int line, unsigned int col, const char *fmt,
		    va_list ap)
{
	int n;

	if (p->failed)		/* keep the first message: later ones follow from it */
		return -EINVAL;
	p->failed = 1;
	if (col)
		n = snprintf(p->err, sizeof(p->err), "%s:%u:%u: ", p->name, line, col);
	else
		n = snprintf(p->err, sizeof(p->err), "%s:%u: ", p->name, line);
	if (n > 0 && (size_t)n < sizeof(p->err))
		vsnprintf(p->err + n, sizeof(p->err) - (size_t)n, fmt, ap);
	return -EINVAL;
}

__attribute__((format(printf, 2, 3)))
static int fail(struct tj_parser *p, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfail_at(p, p->line, p->col, fmt, ap);
	va_end(ap);
	return ret;
}

int tj_fail(struct tj_parser *p, unsigned int line, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfail_at(p, line ? line : p->line, 0, fmt, ap);
	va_end(ap);
	return ret;
}

static int fail_here(struct tj_parser *p, const char *wanted)
{
	if (p->c == EOF && ferror(p->in))
		return fail(p, "read error");
	if (p->c == EOF)
		return fail(p, "unexpected end of input, expected %s", wanted);
	if (p->c >= 0x20 && p->c < 0x7f)
		return fail(p, "unexpected '%c', expected %s", p->c, wanted);
	return fail(p, "unexpected byte 0x%02x, expected %s", p->c, wanted);
}

/* ---- arena --------------------------------------------------------------------------- */

static void *arena_alloc(struct tj_parser *p, size_t size)
{
	struct chunk *c = p->chunks;

	size = (size + 15) & ~(size_t)15;
	if (!c || c->size - c->used < size) {
		size_t cap = size > CHUNK_BYTES ? size : CHUNK_BYTES;

		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->size = cap;
		c->used = 0;
		c->next = p->chunks;
		p->chunks = c;
	}
	c->used += size;
	return c->data + c->used - size;
}

/* Keeps the newest chunk (emptied) so a stream of small elements reuses it. */
void tj_reset(struct tj_parser *p)
{
	struct chunk *c = p->chunks, *next;

	if (!c)
		return;
	for (next = c->next; next; ) {
		struct chunk *n = next->next;

		free(next);
		next = n;
	}
	c->next = NULL;
	c->used = 0;
}

/* ---- lexing ---------------------------------------------------------------------------- */

static void skip_ws(struct tj_parser *p)
{
	while (p->c == ' ' || p->c == '\t' || p->c == '\n' || p->c == '\r')
		advance(p);
}

static int buf_put(struct tj_parser *p, char ch)
{
	if (p->buf_len + 1 >= p->buf_cap) {
		size_t cap = p->buf_cap ? p->buf_cap * 2 : 256;
		char *b;

		if (p->buf_len >= TJ_MAX_STRING)
			return fail(p, "string longer than %u bytes", TJ_MAX_STRING);
		b = realloc(p->buf, cap);
		if (!b)
			return -ENOMEM;
		p->buf = b;
		p->buf_cap = cap;
	}
	p->buf[p->buf_len++] = ch;
	return 0;
}

static int put_utf8(struct tj_parser *p, uint32_t cp)
{
	int ret = 0;

	if (cp < 0x80)
		return buf_put(p, (char)cp);
	if (cp < 0x800) {
		ret = buf_put(p, (char)(0xc0 | cp >> 6));
	} else if (cp < 0x10000) {
		ret = buf_put(p, (char)(0xe0 | cp >> 12));
		ret = ret ? ret : buf_put(p, (char)(0x80 | (cp >> 6 & 0x3f)));
	} else {
		ret = buf_put(p, (char)(0xf0 | cp >> 18));
		ret = ret ? ret : buf_put(p, (char)(0x80 | (cp >> 12 & 0x3f)));
		ret = ret ? ret : buf_put(p, (char)(0x80 | (cp >> 6 & 0x3f)));
	}
	return ret ? ret : buf_put(p, (char)(0x80 | (cp & 0x3f)));
}

static int read_hex4(struct tj_parser *p, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		int c = p->c, d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return fail_here(p, "a hex digit in \\u escape");
		v = v << 4 | (uint32_t)d;
		advance(p);
	}
	*out = v;
	return 0;
}

/* After the backslash. */
static int read_escape(struct tj_parser *p)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *at = p->c != EOF && p->c ? strchr(from, p->c) : NULL;
	uint32_t cp, lo;
	int ret;

	if (at) {
		advance(p);
		return buf_put(p, to[at - from]);
	}
	if (p->c != 'u')
		return fail_here(p, "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
	advance(p);
	ret = read_hex4(p, &cp);
	if (ret)
		return ret;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(p, "lone low surrogate \\u%04x", cp);
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (p->c != '\\')
			return fail(p, "high surrogate \\u%04x without its low half", cp);
		advance(p);
		if (p->c != 'u')
			return fail(p, "high surrogate \\u%04x without its low half", cp);
		advance(p);
		ret = read_hex4(p, &lo);
		if (ret)
			return ret;
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail(p, "high surrogate \\u%04x followed by \\u%04x", cp, lo);
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (!cp)
		return fail(p, "\\u0000 in a string is not supported");
	return put_utf8(p, cp);
}

/* A string (at its opening quote) into the arena. */
static int read_string(struct tj_parser *p, const char **out, size_t *len)
{
	char *s;
	int ret;

	if (p->c != '"')
		return fail_here(p, "a string");
	advance(p);
	p->buf_len = 0;
	for (;;) {
		if (p->c == '"')
			break;
		if (p->c == EOF)
			return fail_here(p, "'\"' to end the string");
		if (p->c < 0x20)
			return fail(p, "control character 0x%02x in a string", p->c);
		if (p->c == '\\') {
			advance(p);
			ret = read_escape(p);
		} else {
			ret = buf_put(p, (char)p->c);
			advance(p);
		}
		if (ret)
			return ret;
	}
	advance(p);
	s = arena_alloc(p, p->buf_len + 1);
	if (!s)
		return -ENOMEM;
	if (p->buf_len)
		memcpy(s, p->buf, p->buf_len);
	s[p->buf_len] = '\0';
	*out = s;
	*len = p->buf_len;
	return 0;
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int take_digits(struct tj_parser *p, const char *what)
{
	int ret;

	if (!is_digit(p->c))
		return fail_here(p, what);
	while (is_digit(p->c)) {
		ret = buf_put(p, (char)p->c);
		if (ret)
			return ret;
		advance(p);
	}
	return 0;
}

static int take_char(struct tj_parser *p)
{
	int ret = buf_put(p, (char)p->c);

	advance(p);
	return ret;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int read_number(struct tj_parser *p, const char **out, size_t *len)
{
	char *s;
	int ret = 0;

	p->buf_len = 0;
	if (p->c == '-')
		ret = take_char(p);
	if (!ret && p->c == '0') {
		ret = take_char(p);
		if (!ret && is_digit(p->c))
			return fail(p, "number with a leading zero");
	} else if (!ret) {
		ret = take_digits(p, "a digit");
	}
	if (!ret && p->c == '.') {
		ret = take_char(p);
		ret = ret ? ret : take_digits(p, "a digit after '.'");
	}
	if (!ret && (p->c == 'e' || p->c == 'E')) {
		ret = take_char(p);
		if (!ret && (p->c == '+' || p->c == '-'))
			ret = take_char(p);
		ret = ret ? ret : take_digits(p, "a digit in the exponent");
	}
	if (ret)
		return ret;
	s = arena_alloc(p, p->buf_len + 1);
	if (!s)
		return -ENOMEM;
	memcpy(s, p->buf, p->buf_len);
	s[p->buf_len] = '\0';
	*out = s;
	*len = p->buf_len;
	return 0;
}

static int read_word(struct tj_parser *p, const char *word)
{
	const char *w;

	for (w = word; *w; w++) {
		if (p->c != *w)
			return fail_here(p, word);
		advance(p);
	}
	return 0;
}

/* ---- structure ----------------------------------------------------------------------- */

static int stream_begin(struct tj_parser *p, int open)
{
	if (p->failed)
		return -EINVAL;
	skip_ws(p);
	if (p->c != open)
		return fail_here(p, open == '{' ? "'{'" : "'['");
	if (p->depth >= TJ_MAX_DEPTH)
		return fail(p, "values nested more than %d deep", TJ_MAX_DEPTH);
	advance(p);
	p->started[++p->depth] = 0;
	return 0;
}

int tj_object_begin(struct tj_parser *p)
{
	return stream_begin(p, '{');
}

int tj_array_begin(struct tj_parser *p)
{
	return stream_begin(p, '[');
}

/*
 * Separator logic shared by objects and arrays: the first call after the
 * opening bracket must not see a comma, later ones must (and then an item).
 */
static int next_item(struct tj_parser *p, char close, int *first_done)
{
	skip_ws(p);
	if (p->c == close && !*first_done)
		goto closed;
	if (*first_done) {
		if (p->c == close)
			goto closed;
		if (p->c != ',')
			return fail_here(p, close == '}' ? "',' or '}'" : "',' or ']'");
		advance(p);
		skip_ws(p);
		if (p->c == close)
			return fail(p, "'%c' after ','", close);
	}
	*first_done = 1;
	return 1;
closed:
	advance(p);
	p->depth--;
	return 0;
}

int tj_object_next(struct tj_parser *p, const char **key)
{
	int ret, started;
	size_t len;

	if (p->failed)
		return -EINVAL;
	started = p->started[p->depth];
	ret = next_item(p, '}', &started);
	if (ret <= 0)
		return ret;
	p->started[p->depth] = 1;
	ret = read_string(p, key, &len);
	if (ret)
		return ret;
	skip_ws(p);
	if (p->c != ':')
		return fail_here(p, "':' after the member name");
	advance(p);
	skip_ws(p);
	return 1;
}

int tj_array_next(struct tj_parser *p)
{
	int ret, started;

	if (p->failed)
		return -EINVAL;
	started = p->started[p->depth];
	ret = next_item(p, ']', &started);
	if (ret > 0)
		p->started[p->depth] = 1;
	return ret;
}

static int parse_value(struct tj_parser *p, struct tj_value **out);

static int parse_members(struct tj_parser *p, struct tj_value *v, int object)
{
	struct tj_value **tail = &v->first;
	int started = 0, ret;

	if (++p->depth > TJ_MAX_DEPTH)
		return fail(p, "values nested more than %d deep", TJ_MAX_DEPTH);
	advance(p);
	for (;;) {
		const char *key = NULL;
		struct tj_value *child;
		size_t len;

		ret = next_item(p, object ? '}' : ']', &started);
		if (ret <= 0)
			return ret;
		if (object) {
			ret = read_string(p, &key, &len);
			if (ret)
				return ret;
			skip_ws(p);
			if (p->c != ':')
				return fail_here(p, "':' after the member name");
			advance(p);
			skip_ws(p);
		}
		ret = parse_value(p, &child);
		if (ret)
			return ret;
		child->key = key;
		*tail = child;
		tail = &child->next;
	}
}

static int parse_value(struct tj_parser *p, struct tj_value **out)
{
	struct tj_value *v;
	int ret;

	skip_ws(p);
	v = arena_alloc(p, sizeof(*v));
	if (!v)
		return -ENOMEM;
	memset(v, 0, sizeof(*v));
	v->line = p->line;
	*out = v;
	switch (p->c) {
	case '{':
		v->type = TJ_OBJECT;
		return parse_members(p, v, 1);
	case '[':
		v->type = TJ_ARRAY;
		return parse_members(p, v, 0);
	case '"':
		v->type = TJ_STRING;
		return read_string(p, &v->text, &v->len);
	case 't':
		v->type = TJ_TRUE;
		return read_word(p, "true");
	case 'f':
		v->type = TJ_FALSE;
		return read_word(p, "false");
	case 'n':
		v->type = TJ_NULL;
		return read_word(p, "null");
	default:
		if (p->c != '-' && !is_digit(p->c))
			return fail_here(p, "a value");
		v->type = TJ_NUMBER;
		ret = read_number(p, &v->text, &v->len);
		return ret;
	}
}

int tj_value(struct tj_parser *p, const struct tj_value **out)
{
	struct tj_value *v = NULL;
	int depth = p->depth, ret;

	if (p->failed)
		return -EINVAL;
	ret = parse_value(p, &v);
	p->depth = depth;
	if (ret)
		return ret;
	*out = v;
	return 0;
}

int tj_end(struct tj_parser *p)
{
	if (p->failed)
		return -EINVAL;
	skip_ws(p);
	if (p->c != EOF)
		return fail(p, "data after the end of the document");
	if (ferror(p->in))
		return fail(p, "read error");
	return 0;
}

/* ---- looking at values ------------------------------------------------------------- */

const struct tj_value *tj_get(const struct tj_value *obj, const char *key)
{
	const struct tj_value *m;

	if (!obj || obj->type != TJ_OBJECT)
		return NULL;
	for (m = obj->first; m; m = m->next)
		if (!strcmp(m->key, key))
			return m;
	return NULL;
}

int tj_is_string(const struct tj_value *v, const char *s)
{
	return v && v->type == TJ_STRING && !strcmp(v->text, s);
}

/* Digits [s, end) as an unsigned value; -1 on overflow. */
static int digits_u64(const char *s, const char *end, uint64_t *out)
{
	uint64_t v = 0;

	for (; s < end; s++) {
		uint64_t d = (uint64_t)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int tj_uint(const struct tj_value *v, uint64_t *out)
{
	if (!v || v->type != TJ_NUMBER || v->text[0] == '-' || strpbrk(v->text, ".eE"))
		return -1;
	return digits_u64(v->text, v->text + v->len, out);
}

int tj_int(const struct tj_value *v, int64_t *out)
{
	int64_t r;

	if (!v || v->type != TJ_NUMBER)
		return -1;
	if (tj_fixed(v, 0, &r))
		return -1;
	if (strchr(v->text, '.'))
		return -1;
	*out = r;
	return 0;
}

int tj_fixed(const struct tj_value *v, unsigned int places, int64_t *out)
{
	const char *s, *dot, *end;
	uint64_t whole, frac = 0, scale = 1;
	unsigned int i;
	int neg;

	if (!v || v->type != TJ_NUMBER || strpbrk(v->text, "eE") || places > 18)
		return -1;
	s = v->text;
	neg = *s == '-';
	s += neg;
	end = v->text + v->len;
	dot = strchr(s, '.');
	if (digits_u64(s, dot ? dot : end, &whole))
		return -1;
	for (i = 0; i < places; i++) {
		uint64_t d = 0;

		if (dot && dot + 1 + i < end)
			d = (uint64_t)(dot[1 + i] - '0');
		frac = frac * 10 + d;
		scale *= 10;
	}
	if (whole > (UINT64_MAX - frac) / scale)
		return -1;
	whole = whole * scale + frac;
	if (whole > (uint64_t)INT64_MAX + neg)
		return -1;
	*out = neg ? (int64_t)(0 - whole) : (int64_t)whole;
	return 0;
}
