// SPDX-License-Identifier: MIT
/* Strict parsers for qaic-prof's arguments (args.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#include "args.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC	0x63677270
#endif
#define DRM_MAJOR		226
#define DRM_RENDER_FIRST	128

/* "FLAG 'VALUE': why"; returns -1. */
static int fail(struct args_err *err, const char *flag, const char *s, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct args_err *err, const char *flag, const char *s, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(err->msg, sizeof(err->msg), "%s '%.64s': %s", flag ? flag : "argument",
		 s ? s : "", why);
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
	if (!digits || (dot && s[i - 1] == '.') || s[0] == '.')
		return 0;
	return i;
}

/* The decimal in s[0..len) (already validated); HUGE_VAL if absurdly long. */
static double number_value(const char *s, size_t len)
{
	char buf[64];

	if (len >= sizeof(buf))
		return HUGE_VAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return strtod(buf, NULL);
}

int args_uint(const char *flag, const char *s, uint64_t min, uint64_t max, uint64_t *out,
	      struct args_err *err)
{
	unsigned long long v;
	char *end;

	if (!s || !*s)
		return fail(err, flag, s, "missing value");
	if (!number_len(s, 0) || s[number_len(s, 0)] != '\0')
		return fail(err, flag, s, "not a whole number");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return fail(err, flag, s, "out of range (%llu..%llu)", (unsigned long long)min,
			    (unsigned long long)max);
	*out = v;
	return 0;
}

struct time_unit {
	const char *name;
	double ns;
};

static const struct time_unit time_units[] = {
	{ "", 1e9 },	/* seconds */
	{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { "m", 60e9 }, { "h", 3600e9 },
};

/* A duration for a message: "500ms", "2s", "1m". */
static void format_ns(char *buf, size_t size, uint64_t ns)
{
	static const struct time_unit shown[] = {
		{ "h", 3600e9 }, { "m", 60e9 }, { "s", 1e9 }, { "ms", 1e6 }, { "us", 1e3 },
	};
	size_t i;

	for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		if (ns >= shown[i].ns && fmod((double)ns, shown[i].ns) == 0) {
			snprintf(buf, size, "%.0f%s", (double)ns / shown[i].ns, shown[i].name);
			return;
		}
	}
	snprintf(buf, size, "%lluns", (unsigned long long)ns);
}

int args_duration(const char *flag, const char *s, uint64_t min_ns, uint64_t max_ns,
		  uint64_t *ns, struct args_err *err)
{
	size_t len = s ? number_len(s, 1) : 0, i;
	char lo[32], hi[32];
	double v;

	if (!s || !*s)
		return fail(err, flag, s, "missing value");
	if (!len)
		return fail(err, flag, s, "not a duration (e.g. 2, 0.5s, 500ms, 1m)");
	for (i = 0; i < sizeof(time_units) / sizeof(time_units[0]); i++)
		if (!strcmp(s + len, time_units[i].name))
			break;
	if (i == sizeof(time_units) / sizeof(time_units[0]))
		return fail(err, flag, s, "unknown time unit '%s' (ns, us, ms, s, m, h)", s + len);
	v = round(number_value(s, len) * time_units[i].ns);
	if (!(v >= (double)min_ns && v <= (double)max_ns)) {
		format_ns(lo, sizeof(lo), min_ns);
		format_ns(hi, sizeof(hi), max_ns);
		return fail(err, flag, s, "out of range (%s..%s)", lo, hi);
	}
	*ns = (uint64_t)v;
	return 0;
}

int args_interval(const char *flag, const char *s, uint64_t *ns, struct args_err *err)
{
	return args_duration(flag, s, ARGS_INTERVAL_MIN_NS, ARGS_INTERVAL_MAX_NS, ns, err);
}

int args_count(const char *flag, const char *s, uint64_t *count, struct args_err *err)
{
	return args_uint(flag, s, 1, UINT32_MAX, count, err);
}

int args_interval_count(int argc, char **argv, int first, uint64_t default_ns,
			uint64_t *interval_ns, uint64_t *count, struct args_err *err)
{
	uint64_t iv = default_ns, n = 0;

	if (argc - first > 2)
		return fail(err, "argument", argv[first + 2],
			    "unexpected (the arguments are [INTERVAL [COUNT]])");
	if (argc - first >= 1 && args_interval("interval", argv[first], &iv, err))
		return -1;
	if (argc - first == 2 && args_count("count", argv[first + 1], &n, err))
		return -1;
	*interval_ns = iv;
	*count = n;
	return 0;
}

int args_percent(const char *flag, const char *s, double min, double max, double *pct,
		 struct args_err *err)
{
	size_t len = s ? number_len(s, 1) : 0;
	double v;

	if (!s || !*s)
		return fail(err, flag, s, "missing value");
	if (!len || (s[len] && strcmp(s + len, "%")))
		return fail(err, flag, s, "not a percentage (e.g. 99.9 or 80%%)");
	v = number_value(s, len);
	if (!(v >= min && v <= max))
		return fail(err, flag, s, "out of range (%g..%g)", min, max);
	*pct = v;
	return 0;
}

int args_pid(const char *flag, const char *s, uint32_t *pid, struct args_err *err)
{
	uint64_t v;

	if (args_uint(flag, s, 1, PROF_PID_MAX, &v, err))
		return -1;
	*pid = (uint32_t)v;
	return 0;
}

int args_dbc(const char *flag, const char *s, uint32_t *dbc, struct args_err *err)
{
	uint64_t v;

	if (args_uint(flag, s, 0, PROF_NUM_DBC - 1, &v, err))
		return -1;
	*dbc = (uint32_t)v;
	return 0;
}

/* "accel3" -> 3 when s is prefix + digits only. */
static int named_minor(const char *s, const char *prefix, uint64_t *minor)
{
	size_t n = strlen(prefix), len;

	if (strncmp(s, prefix, n))
		return 0;
	len = number_len(s + n, 0);
	if (!len || s[n + len] || len > 7)
		return 0;
	*minor = strtoull(s + n, NULL, 10);
	return 1;
}

int args_device(const char *flag, const char *s, uint32_t *minor, struct args_err *err)
{
	const char *how = "a number, accelN, renderDN or a device path";
	struct stat st;
	uint64_t v;

	if (!s || !*s)
		return fail(err, flag, s, "missing value");
	if (strchr(s, '/')) {
		if (stat(s, &st))
			return fail(err, flag, s, "%s", strerror(errno));
		if (!S_ISCHR(st.st_mode))
			return fail(err, flag, s, "not a device node");
		if (major(st.st_rdev) == DRM_MAJOR && minor(st.st_rdev) < DRM_RENDER_FIRST)
			return fail(err, flag, s,
				    "a DRM primary node: name the render node (renderD%u)",
				    minor(st.st_rdev) + DRM_RENDER_FIRST);
		v = minor(st.st_rdev);
	} else if (named_minor(s, "accel", &v) || named_minor(s, "renderD", &v)) {
		if (!strncmp(s, "renderD", 7) && v < DRM_RENDER_FIRST)
			return fail(err, flag, s, "render nodes start at renderD%u",
				    DRM_RENDER_FIRST);
	} else if (named_minor(s, "card", &v)) {
		return fail(err, flag, s, "a DRM primary node: name the render node (renderD%llu)",
			    (unsigned long long)v + DRM_RENDER_FIRST);
	} else if (number_len(s, 0) && !s[number_len(s, 0)]) {
		if (args_uint(flag, s, 0, PROF_MINOR_MAX, &v, err))
			return -1;
	} else {
		return fail(err, flag, s, "not a device (%s)", how);
	}
	if (v > PROF_MINOR_MAX)
		return fail(err, flag, s, "minor out of range (0..%u)", PROF_MINOR_MAX);
	*minor = (uint32_t)v;
	return 0;
}

/* The id of one cgroup2 directory; -errno, or -EMEDIUMTYPE if not on cgroup2. */
static int cgroup_dir_id(const char *path, uint64_t *id)
{
	struct file_handle *fh;
	struct statfs sfs;
	struct stat st;
	int mount_id, ret;

	if (statfs(path, &sfs) || stat(path, &st))
		return -errno;
	if ((unsigned long)sfs.f_type != CGROUP2_SUPER_MAGIC)
		return -EMEDIUMTYPE;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	fh = malloc(sizeof(*fh) + sizeof(*id));
	if (!fh)
		return -ENOMEM;
	fh->handle_bytes = sizeof(*id);
	ret = name_to_handle_at(AT_FDCWD, path, fh, &mount_id, 0);
	if (!ret && fh->handle_bytes == sizeof(*id))
		memcpy(id, fh->f_handle, sizeof(*id));
	else
		*id = st.st_ino;	/* kernfs: the inode number is the id */
	free(fh);
	return 0;
}

static const char *const default_roots[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified", NULL };

int args_cgroup_at(const char *flag, const char *s, const char *const *roots, uint64_t *id,
		   struct args_err *err)
{
	char path[PATH_MAX];
	int ret = -ENOENT, one, i;

	if (!s || !*s)
		return fail(err, flag, s, "missing value");
	if (number_len(s, 0) && !s[number_len(s, 0)])
		return args_uint(flag, s, 1, UINT64_MAX, id, err);
	if (s[0] == '/') {
		ret = cgroup_dir_id(s, id);
	} else {
		/* the first root that has it; else say why the most telling way */
		for (i = 0; roots[i]; i++) {
			if (snprintf(path, sizeof(path), "%s/%s", roots[i], s) >= (int)sizeof(path))
				return fail(err, flag, s, "path too long");
			one = cgroup_dir_id(path, id);
			if (one != -ENOENT)
				ret = one;
			if (one != -EMEDIUMTYPE && one != -ENOENT)
				break;
		}
	}
	if (ret == -EMEDIUMTYPE)
		return fail(err, flag, s, "not on a cgroup v2 file system");
	if (ret == -ENOTDIR)
		return fail(err, flag, s, "not a cgroup directory");
	if (ret == -ENOENT && s[0] != '/')
		return fail(err, flag, s, "no such cgroup under /sys/fs/cgroup");
	if (ret)
		return fail(err, flag, s, "%s", strerror(-ret));
	return 0;
}

int args_cgroup(const char *flag, const char *s, uint64_t *id, struct args_err *err)
{
	return args_cgroup_at(flag, s, default_roots, id, err);
}

int args_unit_flag(struct args_unit *u, char opt, struct args_err *err)
{
	char flag[3] = { '-', opt, '\0' };

	if (opt != 'm' && opt != 'u')
		return fail(err, flag, "", "not a unit flag (-m or -u)");
	if (u->flag && u->flag != opt) {
		if (err)
			snprintf(err->msg, sizeof(err->msg), "-m and -u: give one unit, not both");
		return -1;
	}
	u->flag = opt;
	u->unit = opt == 'm' ? PROF_UNIT_MS : PROF_UNIT_US;
	return 0;
}
