/* SPDX-License-Identifier: MIT */
/*
 * Assertions that say what they saw: each records the expression, the value
 * it produced and the value wanted, so a TAP "not ok" line explains itself.
 */
#ifndef CHECK_H_
#define CHECK_H_

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include <CUnit/CUnit.h>

void check_ret_(int ret, int err_after, int want, const char *expr, const char *file,
		unsigned int line);
void check_u64_(uint64_t got, uint64_t want, const char *expr, const char *file,
		unsigned int line);
void check_mem_(const void *got, const void *want, size_t len, const char *expr,
		const char *file, unsigned int line);

/* expr returns -err and leaves errno == err. */
#define CHECK_ERR(expr, err) do {						\
	int check_ret;								\
	errno = 0;								\
	check_ret = (expr);							\
	check_ret_(check_ret, errno, -(err), #expr, __FILE__, __LINE__);	\
} while (0)

/* expr returns want (0 or a count); errno is not looked at. */
#define CHECK_RET(expr, want) check_ret_((expr), 0, (want), #expr, __FILE__, __LINE__)
#define CHECK_OK(expr) CHECK_RET(expr, 0)

#define CHECK_EQ(got, want) check_u64_((uint64_t)(got), (uint64_t)(want), #got, __FILE__, __LINE__)

#define CHECK_MEM(got, want, len) check_mem_((got), (want), (len), #got, __FILE__, __LINE__)

#endif /* CHECK_H_ */
