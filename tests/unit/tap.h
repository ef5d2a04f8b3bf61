/* SPDX-License-Identifier: MIT */
/*
 * Run CUnit suites and report in TAP: "1..N", then "ok N - suite: test" or
 * "not ok N - suite: test: file:line: condition" for each test, with further
 * failures of a test as "# " diagnostics. scripts/run-tests.sh reads these.
 */
#ifndef TAP_H_
#define TAP_H_

#include <CUnit/CUnit.h>

/* Register suites, run them all; returns the exit status (0: all passed). */
int tap_run(CU_SuiteInfo *suites);

#endif /* TAP_H_ */
