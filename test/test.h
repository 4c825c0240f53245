/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef XDP_TEST_H
#define XDP_TEST_H

/*
 * A small autotest framework in the shape of DPDK's dpdk-test: commands
 * named *_autotest register themselves; a command runs a suite of cases
 * and prints DPDK-style pass/fail/skip lines.
 */

#include <stdio.h>
#include <string.h>

#include <rte_common.h>

#define TEST_SUCCESS	0
#define TEST_FAILED	(-1)
#define TEST_SKIPPED	77

#define TEST_ASSERT(cond, msg, ...) do {				\
	if (!(cond)) {							\
		printf("TestCase %s() line %d failed: " msg "\n",	\
			__func__, __LINE__, ##__VA_ARGS__);		\
		return TEST_FAILED;					\
	}								\
} while (0)

#define TEST_ASSERT_EQUAL(a, b, msg, ...) \
	TEST_ASSERT((a) == (b), msg " (%lld != %lld)", ##__VA_ARGS__, \
		(long long)(a), (long long)(b))
#define TEST_ASSERT_NOT_EQUAL(a, b, msg, ...) \
	TEST_ASSERT((a) != (b), msg, ##__VA_ARGS__)
#define TEST_ASSERT_SUCCESS(val, msg, ...) \
	TEST_ASSERT_EQUAL((val), 0, msg, ##__VA_ARGS__)
#define TEST_ASSERT_FAIL(val, msg, ...) \
	TEST_ASSERT((val) != 0, msg, ##__VA_ARGS__)
#define TEST_ASSERT_NULL(p, msg, ...) \
	TEST_ASSERT((p) == NULL, msg, ##__VA_ARGS__)
#define TEST_ASSERT_NOT_NULL(p, msg, ...) \
	TEST_ASSERT((p) != NULL, msg, ##__VA_ARGS__)

#define TEST_SKIP(msg, ...) do {					\
	printf("skipped: " msg "\n", ##__VA_ARGS__);			\
	return TEST_SKIPPED;						\
} while (0)

struct unit_test_case {
	const char *name;
	int (*setup)(void);
	void (*teardown)(void);
	int (*testcase)(void);
};

#define TEST_CASE(fn) { #fn, NULL, NULL, fn }
#define TEST_CASE_ST(setup, teardown, fn) { #fn, setup, teardown, fn }
#define TEST_CASES_END() { NULL, NULL, NULL, NULL }

struct unit_test_suite {
	const char *suite_name;
	int (*setup)(void);
	void (*teardown)(void);
	struct unit_test_case unit_test_cases[];
};

/* Runs the cases; TEST_SUCCESS if none failed, TEST_SKIPPED if all skipped. */
int unit_test_suite_runner(struct unit_test_suite *suite);

struct test_command {
	const char *command;
	int (*callback)(void);
	struct test_command *next;
};

void add_test_command(struct test_command *t);

#define REGISTER_TEST_COMMAND(cmd, func)				\
	static struct test_command test_struct_##cmd = {		\
		.command = RTE_STR(cmd),				\
		.callback = func,					\
	};								\
	RTE_INIT(test_register_##cmd)					\
	{								\
		add_test_command(&test_struct_##cmd);			\
	}

/* Test helpers shared by suites. */

/* Unique name for this process (vdev names, pools). */
const char *test_unique(const char *prefix);

/* Whether this process may use bpf(), netns, raw sockets (root). */
int test_has_cap_net_admin(void);

#endif /* XDP_TEST_H */
