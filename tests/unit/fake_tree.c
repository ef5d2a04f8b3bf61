// SPDX-License-Identifier: MIT
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fake_tree.h"

int ft_create(struct fake_tree *ft)
{
	snprintf(ft->root, sizeof(ft->root), "/tmp/qaic-unit-XXXXXX");
	return mkdtemp(ft->root) ? 0 : -1;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int ft_remove(struct fake_tree *ft)
{
	return nftw(ft->root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int full_path(struct fake_tree *ft, const char *rel, char *out, size_t size)
{
	int n = snprintf(out, size, "%s/%s", ft->root, rel);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int ft_mkdirs(struct fake_tree *ft, const char *rel)
{
	char path[PATH_MAX], *p;

	if (full_path(ft, rel, path, sizeof(path)))
		return -1;
	for (p = path + strlen(ft->root) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(path, 0755) && errno != EEXIST ? -1 : 0;
}

/* Create the parent directory of rel. */
static int parent_dirs(struct fake_tree *ft, const char *rel)
{
	char dir[PATH_MAX], *slash;

	snprintf(dir, sizeof(dir), "%s", rel);
	slash = strrchr(dir, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	return ft_mkdirs(ft, dir);
}

int ft_write(struct fake_tree *ft, const char *rel, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	if (full_path(ft, rel, path, sizeof(path)) || parent_dirs(ft, rel))
		return -1;
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f) ? -1 : 0;
}

int ft_symlink(struct fake_tree *ft, const char *target, const char *rel)
{
	char path[PATH_MAX];

	if (full_path(ft, rel, path, sizeof(path)) || parent_dirs(ft, rel))
		return -1;
	return symlink(target, path);
}
