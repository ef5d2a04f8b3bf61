// SPDX-License-Identifier: MIT
#include <stdio.h>

#include <CUnit/TestRun.h>

#include "tap.h"

static unsigned int tap_number;
static unsigned int tap_failed;

static void print_failure(const char *lead, const CU_pFailureRecord f)
{
	printf("%s%s:%u: %s\n", lead, f->strFileName ? f->strFileName : "?", f->uiLineNumber,
	       f->strCondition ? f->strCondition : "?");
}

static void on_test_complete(const CU_pTest test, const CU_pSuite suite,
			     const CU_pFailureRecord failure)
{
	CU_pFailureRecord f;

	tap_number++;
	if (!failure) {
		printf("ok %u - %s: %s\n", tap_number, suite->pName, test->pName);
		return;
	}
	tap_failed++;
	printf("not ok %u - %s: %s: ", tap_number, suite->pName, test->pName);
	print_failure("", failure);
	for (f = failure->pNext; f && f->pTest == test; f = f->pNext)
		print_failure("# also ", f);
}

/* A suite whose setup failed runs none of its tests: each one fails. */
static void on_suite_init_failure(const CU_pSuite suite)
{
	CU_pTest t;

	for (t = suite->pTest; t; t = t->pNext) {
		tap_number++;
		tap_failed++;
		printf("not ok %u - %s: %s: suite setup failed\n", tap_number, suite->pName,
		       t->pName);
	}
}

static void on_suite_cleanup_failure(const CU_pSuite suite)
{
	printf("# %s: suite cleanup failed\n", suite->pName);
	tap_failed++;
}

int tap_run(CU_SuiteInfo *suites)
{
	int status;

	if (CU_initialize_registry() != CUE_SUCCESS) {
		printf("Bail out! CUnit: %s\n", CU_get_error_msg());
		return 2;
	}
	if (CU_register_suites(suites) != CUE_SUCCESS) {
		printf("Bail out! CUnit: %s\n", CU_get_error_msg());
		CU_cleanup_registry();
		return 2;
	}
	CU_set_test_complete_handler(on_test_complete);
	CU_set_suite_init_failure_handler(on_suite_init_failure);
	CU_set_suite_cleanup_failure_handler(on_suite_cleanup_failure);

	printf("1..%u\n", CU_get_registry()->uiNumberOfTests);
	fflush(stdout);
	if (CU_run_all_tests() != CUE_SUCCESS)
		printf("# CUnit: %s\n", CU_get_error_msg());
	status = tap_failed || tap_number != CU_get_registry()->uiNumberOfTests;
	CU_cleanup_registry();
	return status;
}
