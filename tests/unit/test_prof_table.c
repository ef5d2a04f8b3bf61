// SPDX-License-Identifier: MIT
/*
 * qaic-prof's table printer (profiler/table.c): headers with units, widths
 * from content or fixed, alignment by type or by choice, typed cells, blanks,
 * cutting only text, and errors remembered until printing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "table.h"
#include "tap.h"

static char *text;
static size_t text_len;

static FILE *open_text(void)
{
	free(text);
	text = NULL;
	return open_memstream(&text, &text_len);
}

static int print_table(struct table *t)
{
	FILE *f = open_text();
	int ret = table_print(t, f);

	fclose(f);
	return ret;
}

static void test_example_from_header(void)
{
	static const struct table_col cols[] = {
		{ .name = "DBC", .type = TABLE_UINT },
		{ .name = "COMM", .width = 16 },
		{ .name = "p99", .unit = "us", .type = TABLE_REAL, .decimals = 1 },
	};
	struct table *t = table_new(cols, 3);

	CU_ASSERT_FATAL(t != NULL);
	CHECK_OK(table_row(t));
	CHECK_OK(table_uint(t, 3));
	CHECK_OK(table_text(t, "qaic-run"));
	CHECK_OK(table_real(t, 812.34));
	CHECK_EQ(table_rows(t), 1);
	CHECK_OK(print_table(t));
	CU_ASSERT_STRING_EQUAL(text, "DBC  COMM              p99(us)\n"
				     "  3  qaic-run            812.3\n");
	table_free(t);
}

static void test_widths_fit_content(void)
{
	static const struct table_col cols[] = {
		{ .name = "NAME" },
		{ .name = "REQ/s", .type = TABLE_REAL, .decimals = 0 },
		{ .name = "MB/s", .type = TABLE_REAL, .decimals = 2 },
	};
	struct table *t = table_new(cols, 3);

	CU_ASSERT_FATAL(t != NULL);
	table_row(t);
	table_text(t, "a");
	table_real(t, 1234567.4);
	table_real(t, 0.5);
	table_row(t);
	table_text(t, "a-much-longer-name");
	table_real(t, 2);
	table_real(t, NAN);			/* no value */
	CHECK_OK(print_table(t));
	CU_ASSERT_STRING_EQUAL(text, "NAME                  REQ/s  MB/s\n"
				     "a                   1234567  0.50\n"
				     "a-much-longer-name        2     -\n");
	table_free(t);
}

static void test_alignment_and_caller_formatted(void)
{
	static const struct table_col cols[] = {
		{ .name = "L", .type = TABLE_UINT, .align = TABLE_LEFT },
		{ .name = "R", .align = TABLE_RIGHT },
		{ .name = "AGE", .unit = "ms" },
	};
	struct table *t = table_new(cols, 3);

	CU_ASSERT_FATAL(t != NULL);
	table_row(t);
	table_uint(t, 7);
	table_text(t, "xyz");
	table_printf(t, "%.1f%s", 12.25, "!");
	table_row(t);
	table_uint(t, 12345);
	table_none(t);				/* the last cell left out: blank */
	CHECK_OK(print_table(t));
	CU_ASSERT_STRING_EQUAL(text, "L        R  AGE(ms)\n"
				     "7      xyz  12.2!\n"
				     "12345    -\n");
	table_free(t);
}

static void test_fixed_width_cuts_text_not_numbers(void)
{
	static const struct table_col cols[] = {
		{ .name = "COMM", .width = 6 },
		{ .name = "N", .type = TABLE_UINT, .width = 3 },
		{ .name = "X", .width = 1 },		/* never narrower than its header */
	};
	struct table *t = table_new(cols, 3);

	CU_ASSERT_FATAL(t != NULL);
	table_row(t);
	table_text(t, "python3.11-worker");
	table_uint(t, 123456);
	table_text(t, "ab");
	table_row(t);
	table_text(t, "ab\ncd");			/* control characters print as '?' */
	table_uint(t, 1);
	CHECK_OK(print_table(t));
	CU_ASSERT_STRING_EQUAL(text, "COMM      N  X\n"
				     "python  123456  a\n"
				     "ab?cd     1\n");
	table_free(t);
}

static void test_errors_are_remembered(void)
{
	static const struct table_col cols[] = { { .name = "A" } };
	struct table *t = table_new(cols, 1);

	CU_ASSERT(table_new(cols, 0) == NULL);
	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT(table_text(t, "no row yet") == -1);
	CU_ASSERT(print_table(t) == -1);
	table_free(t);

	t = table_new(cols, 1);
	CU_ASSERT_FATAL(t != NULL);
	table_row(t);
	CHECK_OK(table_text(t, "x"));
	CU_ASSERT(table_text(t, "one too many") == -1);
	CU_ASSERT(print_table(t) == -1);
	table_free(t);

	t = table_new(cols, 1);			/* header only */
	CU_ASSERT_FATAL(t != NULL);
	CHECK_OK(print_table(t));
	CU_ASSERT_STRING_EQUAL(text, "A\n");
	table_free(t);
	table_free(NULL);
}

static void test_many_rows(void)
{
	static const struct table_col cols[] = {
		{ .name = "I", .type = TABLE_UINT }, { .name = "SQ", .type = TABLE_UINT },
	};
	struct table *t = table_new(cols, 2);
	unsigned int i, lines = 0;
	char *p;

	CU_ASSERT_FATAL(t != NULL);
	for (i = 0; i < 1000; i++) {
		table_row(t);
		table_uint(t, i);
		table_uint(t, (uint64_t)i * i);
	}
	CHECK_OK(print_table(t));
	for (p = text; *p; p++)
		lines += *p == '\n';
	CHECK_EQ(lines, 1001);
	CU_ASSERT(strstr(text, "\n999  998001\n") != NULL);
	CU_ASSERT(strncmp(text, "  I      SQ\n  0       0\n", 24) == 0);
	table_free(t);
}

static CU_TestInfo tests[] = {
	{ "the example in table.h", test_example_from_header },
	{ "widths fit headers and cells; NaN prints -", test_widths_fit_content },
	{ "alignment by type or by choice; caller-formatted cells; trailing blanks",
	  test_alignment_and_caller_formatted },
	{ "fixed widths cut text, never numbers or headers",
	  test_fixed_width_cuts_text_not_numbers },
	{ "misuse fails the print", test_errors_are_remembered },
	{ "a thousand rows", test_many_rows },
	CU_TEST_INFO_NULL,
};

static int cleanup(void)
{
	free(text);
	return 0;
}

static CU_SuiteInfo suites[] = {
	{ "prof_table", NULL, cleanup, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
