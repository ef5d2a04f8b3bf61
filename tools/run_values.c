// SPDX-License-Identifier: MIT
/*
 * qaic-run's value syntax, in one place: sizes (1024-based units), durations
 * (a unit is required), whole numbers, decimals, percentages and
 * distribution names. Whole strings only: no signs, blanks, exponents, hex,
 * "inf" or "nan", so what a user typed means one thing.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "qaic_run.h"

int run_errf(struct run_err *err, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Length of the leading "digits[.digits]" of s; 0 if there is none. */
static size_t number_len(const char *s, int allow_dot)
{
	size_t i = 0, digits = 0;
	int dot = 0;

	for (;; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] == '.' && allow_dot && !dot)
			dot = 1;
		else
			break;
	}
	if (!digits || (dot && s[i - 1] == '.'))
		return 0;
	return i;
}

/* The decimal in s[0..len) (already validated). */
static double number_value(const char *s, size_t len)
{
	char buf[64];

	if (len >= sizeof(buf))
		return HUGE_VAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return strtod(buf, NULL);
}

int run_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out,
		   struct run_err *err)
{
	unsigned long long v;
	char *end;

	if (!s || !number_len(s, 0) || s[number_len(s, 0)] != '\0')
		return run_errf(err, "not a whole number");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return run_errf(err, "out of range (%llu..%llu)", (unsigned long long)min,
				(unsigned long long)max);
	*out = v;
	return 0;
}

int run_parse_real(const char *s, double min, double max, double *out, struct run_err *err)
{
	size_t len = s ? number_len(s, 1) : 0;
	double v;

	if (!len || s[len] != '\0')
		return run_errf(err, "not a number (digits, one optional '.')");
	v = number_value(s, len);
	if (!(v >= min && v <= max))
		return run_errf(err, "out of range (%g..%g)", min, max);
	*out = v;
	return 0;
}

struct unit {
	const char *name;
	double scale;
};

static const struct unit size_units[] = {
	{ "", 1 }, { "B", 1 },
	{ "K", 1024.0 }, { "KiB", 1024.0 },
	{ "M", 1048576.0 }, { "MiB", 1048576.0 },
	{ "G", 1073741824.0 }, { "GiB", 1073741824.0 },
};

static const struct unit time_units[] = {
	{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
};

static const struct unit *find_unit(const struct unit *u, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcasecmp(u[i].name, name))
			return &u[i];
	return NULL;
}

int run_parse_size(const char *s, uint64_t *out, struct run_err *err)
{
	size_t len = s ? number_len(s, 1) : 0;
	const struct unit *u;
	double v;

	if (!len)
		return run_errf(err, "not a size (e.g. 4096, 64K, 1.5M)");
	u = find_unit(size_units, sizeof(size_units) / sizeof(size_units[0]), s + len);
	if (!u)
		return run_errf(err, "unknown size unit '%s' (B, K/KiB, M/MiB, G/GiB; 1024-based)",
				s + len);
	v = number_value(s, len) * u->scale;
	if (v >= 18446744073709551616.0)
		return run_errf(err, "too large");
	if (v != floor(v))
		return run_errf(err, "not a whole number of bytes");
	*out = (uint64_t)v;
	return 0;
}

int run_parse_duration(const char *s, uint64_t *ns, struct run_err *err)
{
	size_t len = s ? number_len(s, 1) : 0;
	const struct unit *u;
	double v;

	if (!len)
		return run_errf(err, "not a duration (e.g. 500us, 1.5ms, 10s)");
	if (s[len] == '\0') {
		if (number_value(s, len) == 0) {
			*ns = 0;
			return 0;
		}
		return run_errf(err, "needs a unit: ns, us, ms or s");
	}
	u = find_unit(time_units, sizeof(time_units) / sizeof(time_units[0]), s + len);
	if (!u)
		return run_errf(err, "unknown time unit '%s' (ns, us, ms, s)", s + len);
	v = number_value(s, len) * u->scale;
	if (v > 1e18)
		return run_errf(err, "too long");
	*ns = (uint64_t)llround(v);
	return 0;
}

int run_parse_percent(const char *s, uint32_t *permille, struct run_err *err)
{
	char buf[64];
	size_t n = s ? strlen(s) : 0;
	double v;

	if (n >= sizeof(buf))
		return run_errf(err, "not a percentage");
	memcpy(buf, s ? s : "", n + 1);
	if (n && buf[n - 1] == '%')
		buf[n - 1] = '\0';
	if (run_parse_real(buf, 0, 100, &v, err))
		return run_errf(err, "not a percentage from 0 to 100");
	*permille = (uint32_t)lround(v * 10);
	return 0;
}

static const char *const dist_names[] = {
	[QAIC_SIMNET_FIXED] = "fixed",
	[QAIC_SIMNET_NORMAL] = "normal",
	[QAIC_SIMNET_LOGNORMAL] = "lognormal",
	[QAIC_SIMNET_BIMODAL] = "bimodal",
};

#define NUM_DISTS	(sizeof(dist_names) / sizeof(dist_names[0]))

int run_parse_dist(const char *s, uint32_t *dist, struct run_err *err)
{
	uint32_t i;

	for (i = 0; s && i < NUM_DISTS; i++) {
		if (!strcmp(s, dist_names[i])) {
			*dist = i;
			return 0;
		}
	}
	return run_errf(err, "unknown distribution (fixed, normal, lognormal, bimodal)");
}

const char *run_dist_name(uint32_t dist)
{
	return dist < NUM_DISTS ? dist_names[dist] : "?";
}
