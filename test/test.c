/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-xdp-test: runs the autotests named on its command line, or reads
 * them at an RTE>> prompt. EAL arguments go before "--"; without them the
 * test initialises EAL the way devtools/eal-mem.sh says: hugepages when
 * free, else none; never PCI devices.
 */

#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_memory.h>

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

/* Most hugepage memory a test takes: two run at a time in the 1 GiB
 * devtools/setup.sh reserves (the largest, xdp_fwd_perf, needs 170 MB). */
#define HUGE_MB "256"

static const char *
env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : def;
}

/* devtools/eal-mem.sh's eal_mem_hugepages: a writable hugetlbfs mount
 * and that much memory free in hugepages (IOVA as PA: root too). */
static bool
hugepages_free(unsigned long mb)
{
	unsigned long free_pages = 0, page_kb = 0;
	char line[256], dev[64], dir[200], type[32];
	bool mounted = false;
	FILE *f;

	if (strcmp(env_or("EAL_MEM", "auto"), "nohuge") == 0)
		return false;
	if (strcmp(env_or("EAL_IOVA_MODE", ""), "pa") == 0 && geteuid() != 0)
		return false;
	f = fopen("/proc/mounts", "r");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "%63s %199s %31s", dev, dir, type) == 3 &&
		    strcmp(type, "hugetlbfs") == 0) {
			mounted = access(dir, W_OK) == 0;
			break;
		}
	if (f != NULL)
		fclose(f);
	f = fopen("/proc/meminfo", "r");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		sscanf(line, "HugePages_Free: %lu", &free_pages);
		sscanf(line, "Hugepagesize: %lu", &page_kb);
	}
	if (f != NULL)
		fclose(f);
	return mounted && free_pages * page_kb / 1024 >= mb;
}

/*
 * The default EAL arguments into args (room for 16); TEST_SKIPPED or
 * TEST_FAILED (CI as root) when EAL_MEM=huge asks for hugepages that are
 * not there.
 */
static int
default_eal_args(char **args, char *argv0, char *prefix)
{
	static char iova[32];
	const char *mem = env_or("EAL_MEM", "auto");
	const char *mode = env_or("EAL_IOVA_MODE", NULL);
	bool huge = hugepages_free(strtoul(HUGE_MB, NULL, 10));
	int n = 0;

	if (strcmp(mem, "huge") == 0 && !huge) {
		bool ci = strcmp(env_or("CI", ""), "true") == 0 &&
			geteuid() == 0;

		printf("%s: needs hugepages (EAL_MEM=huge%s%s): %s\n",
			ci ? "FAIL" : "skipped", mode ? ", EAL_IOVA_MODE=" : "",
			mode ? mode : "", ci ?
			"CI as root has them (devtools/setup.sh)" :
			geteuid() != 0 && mode != NULL &&
			strcmp(mode, "pa") == 0 ? "IOVA as PA needs root" :
			"none free (devtools/setup.sh reserves them as root)");
		return ci ? TEST_FAILED : TEST_SKIPPED;
	}
	args[n++] = argv0;
	if (huge) {
		/* in memory: no hugepage files, even if the test is killed */
		args[n++] = (char *)(uintptr_t)"--in-memory";
		args[n++] = (char *)(uintptr_t)"--socket-limit";
		args[n++] = (char *)(uintptr_t)HUGE_MB;
		if (mode != NULL) {
			snprintf(iova, sizeof(iova), "--iova-mode=%s", mode);
			args[n++] = iova;
		}
	} else {
		args[n++] = (char *)(uintptr_t)"--no-huge";
		args[n++] = (char *)(uintptr_t)"-m";
		args[n++] = (char *)(uintptr_t)"512";
		args[n++] = (char *)(uintptr_t)"--no-shconf";
	}
	args[n++] = (char *)(uintptr_t)"--no-pci";
	args[n++] = (char *)(uintptr_t)"--log-level=lib.eal:error";
	args[n++] = (char *)(uintptr_t)"--file-prefix";
	args[n++] = prefix;
	args[n] = NULL;
	return n;
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

/* EAL leaves its runtime directory behind: ours goes at exit. */
static void
remove_runtime_dir(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			unlink(path);
		}
	closedir(d);
	rmdir(dir);
}

int
main(int argc, char **argv)
{
	char prefix[64], own_dir[PATH_MAX] = "";
	char *defaults[16];
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
		ret = default_eal_args(defaults, argv[0], prefix);
		if (ret == TEST_SKIPPED || ret == TEST_FAILED)
			return ret == TEST_SKIPPED ? 77 : 1;
		ret = rte_eal_init(ret, defaults);
		if (ret >= 0)
			snprintf(own_dir, sizeof(own_dir), "%s",
				rte_eal_get_runtime_dir());
	}
	if (ret < 0) {
		fprintf(stderr, "dpdk-xdp-test: cannot initialise EAL\n");
		return 1;
	}
	/* What the benchmarks report: the memory the numbers were made on. */
	printf("EAL memory: %s\n", !rte_eal_has_hugepages() ?
		"no hugepages (--no-huge)" : rte_eal_iova_mode() == RTE_IOVA_PA ?
		"hugepages, IOVA as PA" : "hugepages, IOVA as VA");
	fflush(stdout);

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
	if (own_dir[0] != '\0')
		remove_runtime_dir(own_dir);
	return worst == TEST_FAILED ? 1 : worst == TEST_SKIPPED ? 77 : 0;
}
