// SPDX-License-Identifier: MIT
/* qaic-prof's CSV writer (profiler/csv.c): RFC 4180 quoting, typed fields. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "csv.h"
#include "tap.h"

static void test_quoting(void)
{
	const char *const header[] = { "workload", "p99_us", NULL };
	struct csv_writer w;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	csv_init(&w, f);
	csv_record(&w, header);
	csv_text(&w, "plain");
	csv_text(&w, "with,comma");
	csv_text(&w, "say \"hi\"");
	csv_text(&w, "two\nlines");
	csv_text(&w, "cr\rhere");
	csv_text(&w, " spaces kept ");
	csv_text(&w, "");
	csv_text(&w, NULL);
	csv_end(&w);
	CHECK_OK(csv_error(&w));
	fclose(f);
	CU_ASSERT_STRING_EQUAL(text, "workload,p99_us\n"
			       "plain,\"with,comma\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\","
			       " spaces kept ,,\n");
	free(text);
}

static void test_numbers(void)
{
	struct csv_writer w;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	csv_init(&w, f);
	csv_uint(&w, 18446744073709551615ULL);
	csv_int(&w, -42);
	csv_real(&w, 2.0 / 3, 3);
	csv_real(&w, NAN, 3);
	csv_real(&w, INFINITY, 1);
	csv_empty(&w);
	csv_real(&w, 1e6, 0);
	csv_end(&w);
	csv_uint(&w, 1);			/* a new record starts without a comma */
	csv_end(&w);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(text, "18446744073709551615,-42,0.667,,,,1000000\n1\n");
	free(text);
}

static CU_TestInfo tests[] = {
	{ "RFC 4180 quoting: comma, quote, CR, LF; others as they are", test_quoting },
	{ "numbers; NaN and infinity as empty fields", test_numbers },
	CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
	{ "prof_csv", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

int main(void)
{
	return tap_run(suites);
}
