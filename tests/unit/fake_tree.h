/* SPDX-License-Identifier: MIT */
/* A throwaway directory tree standing in for /sys and /dev in tests. */
#ifndef FAKE_TREE_H_
#define FAKE_TREE_H_

#include <limits.h>

struct fake_tree {
	char root[PATH_MAX];
};

/* Create an empty tree under /tmp; 0 or -1. */
int ft_create(struct fake_tree *ft);
/* Remove it and everything in it; 0 or -1. */
int ft_remove(struct fake_tree *ft);

/* Paths are relative to the root; missing parents are created. 0 or -1. */
int ft_mkdirs(struct fake_tree *ft, const char *rel);
int ft_write(struct fake_tree *ft, const char *rel, const char *text);
int ft_symlink(struct fake_tree *ft, const char *target, const char *rel);

#endif /* FAKE_TREE_H_ */
