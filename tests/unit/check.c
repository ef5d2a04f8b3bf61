// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>

#include "check.h"

static void record(int ok, const char *text, const char *file, unsigned int line)
{
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, text, file, "", CU_FALSE);
}

void check_ret_(int ret, int err_after, int want, const char *expr, const char *file,
		unsigned int line)
{
	char text[512];
	int ok = ret == want && (want >= 0 || err_after == -want);

	snprintf(text, sizeof(text), "%s returned %d (errno %d), want %d%s", expr, ret,
		 err_after, want, want < 0 ? " and errno set" : "");
	record(ok, text, file, line);
}

void check_u64_(uint64_t got, uint64_t want, const char *expr, const char *file,
		unsigned int line)
{
	char text[512];

	snprintf(text, sizeof(text), "%s is %llu (0x%llx), want %llu (0x%llx)", expr,
		 (unsigned long long)got, (unsigned long long)got,
		 (unsigned long long)want, (unsigned long long)want);
	record(got == want, text, file, line);
}

void check_mem_(const void *got, const void *want, size_t len, const char *expr,
		const char *file, unsigned int line)
{
	const unsigned char *g = got, *w = want;
	char text[512];
	size_t i;

	for (i = 0; i < len && g[i] == w[i]; i++)
		;
	if (i == len) {
		record(1, expr, file, line);
		return;
	}
	snprintf(text, sizeof(text), "%s: byte %zu is 0x%02x, want 0x%02x", expr, i, g[i], w[i]);
	record(0, text, file, line);
}
