/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-xdp-test: runs the autotests named on its command line, or reads
 * them at an RTE>> prompt. EAL arguments go before "--"; without them the
 * test initialises EAL for a machine without hugepages or PCI devices.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_lcore.h>

#include "test.h"

static struct test_command *commands;

void
add_test_command(struct test_command *t)
{
	t->next = commands;
	commands = t;
}

const char *
test_unique(const char *prefix)
{
	static char buf[8][64];
	static unsigned int n;
	char *b = buf[n++ % RTE_DIM(buf)];

	snprintf(b, sizeof(buf[0]), "%s%d_%u", prefix, (int)getpid(), n);
	return b;
}

int
test_has_cap_net_admin(void)
{
	return geteuid() == 0;
}

int
unit_test_suite_runner(struct unit_test_suite *suite)
{
	unsigned int passed = 0, failed = 0, skipped = 0, i;
	int ret;

	printf(" + ------------------------------------------------------- +\n");
	printf(" + Test Suite : %s\n", suite->suite_name);
	printf(" + ------------------------------------------------------- +\n");
	if (suite->setup != NULL) {
		ret = suite->setup();
		if (ret != TEST_SUCCESS) {
			printf(" + Suite setup %s\n", ret == TEST_SKIPPED ?
				"skipped" : "failed");
			for (i = 0; suite->unit_test_cases[i].testcase; i++)
				ret == TEST_SKIPPED ? skipped++ : failed++;
			goto summary;
		}
	}
	for (i = 0; suite->unit_test_cases[i].testcase != NULL; i++) {
		const struct unit_test_case *tc = &suite->unit_test_cases[i];
		const char *status;

		ret = TEST_SUCCESS;
		if (tc->setup != NULL)
			ret = tc->setup();
		if (ret == TEST_SUCCESS) {
			ret = tc->testcase();
			if (tc->teardown != NULL)
				tc->teardown();
		}
		if (ret == TEST_SUCCESS) {
			passed++;
			status = "succeeded";
		} else if (ret == TEST_SKIPPED) {
			skipped++;
			status = "skipped";
		} else {
			failed++;
			status = "failed";
		}
		printf(" + TestCase [%2u] : %s %s\n", i, tc->name, status);
		fflush(stdout);
	}
	if (suite->teardown != NULL)
		suite->teardown();
summary:
	printf(" + ------------------------------------------------------- +\n");
	printf(" + Test Suite Summary : %s\n", suite->suite_name);
	printf(" + ------------------------------------------------------- +\n");
	printf(" + Tests Total :       %2u\n", passed + failed + skipped);
	printf(" + Tests Skipped :     %2u\n", skipped);
	printf(" + Tests Passed :      %2u\n", passed);
	printf(" + Tests Failed :      %2u\n", failed);
	printf(" + ------------------------------------------------------- +\n");
	if (failed != 0)
		return TEST_FAILED;
	if (passed == 0 && skipped != 0)
		return TEST_SKIPPED;
	return TEST_SUCCESS;
}

static int
run_command(const char *name)
{
	struct test_command *t;
	int ret;

	for (t = commands; t != NULL; t = t->next) {
		if (strcmp(t->command, name) != 0)
			continue;
		ret = t->callback();
		if (ret == TEST_SUCCESS)
			printf("Test OK\n");
		else if (ret == TEST_SKIPPED)
			printf("Test Skipped\n");
		else
			printf("Test Failed\n");
		fflush(stdout);
		return ret;
	}
	printf("Bad command: %s (available:", name);
	for (t = commands; t != NULL; t = t->next)
		printf(" %s", t->command);
	printf(")\n");
	return TEST_FAILED;
}

int
main(int argc, char **argv)
{
	char prefix[64];
	char *defaults[] = { argv[0], "--no-huge", "--no-pci", "-m", "512",
		"--no-shconf", "--log-level=lib.eal:error", "--file-prefix",
		prefix, NULL };
	int i, sep = -1, ret, worst = TEST_SUCCESS, ran = 0;
	char line[256];

	snprintf(prefix, sizeof(prefix), "xdptest%d", (int)getpid());
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			sep = i;
			break;
		}
	if (sep > 0) {
		argv[sep] = argv[0];
		ret = rte_eal_init(sep, argv);
		argv += sep;
		argc -= sep;
	} else {
		ret = rte_eal_init(RTE_DIM(defaults) - 1, defaults);
	}
	if (ret < 0) {
		fprintf(stderr, "dpdk-xdp-test: cannot initialise EAL\n");
		return 1;
	}

	for (i = 1; i < argc; i++) {
		ret = run_command(argv[i]);
		ran++;
		if (ret == TEST_FAILED)
			worst = TEST_FAILED;
		else if (ret == TEST_SKIPPED && worst == TEST_SUCCESS)
			worst = TEST_SKIPPED;
	}
	if (ran == 0) {
		while (printf("RTE>>"), fflush(stdout),
		       fgets(line, sizeof(line), stdin) != NULL) {
			line[strcspn(line, "\r\n")] = '\0';
			if (strcmp(line, "quit") == 0)
				break;
			if (line[0] != '\0' && run_command(line) == TEST_FAILED)
				worst = TEST_FAILED;
		}
		printf("\n");
	}
	rte_eal_cleanup();
	return worst == TEST_FAILED ? 1 : worst == TEST_SKIPPED ? 77 : 0;
}
