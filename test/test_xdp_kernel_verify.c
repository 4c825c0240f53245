/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_kernel_verify_autotest: the kernel as a verifier only
 * (RTE_XDP_VERIFY_KERNEL). Whatever it is given stays out of it once the
 * load returns, accepted or refused: nothing pinned in /sys/fs/bpf (maps
 * declared LIBBPF_PIN_BY_NAME), no program, map or BTF object held by
 * this process; so the same object loads again. Only the object's XDP
 * programs are given to it: one beside an iterator and a tracepoint
 * program the kernel refuses still loads, the others reported as not XDP.
 * Legacy objects (programs verified one by one) leave nothing either.
 * Needs root and bpf(); mounts bpffs on /sys/fs/bpf if it is missing.
 */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <rte_malloc.h>

#include "rte_xdp_prog.h"
#include "test.h"
#include "test_ports.h"

#define BPFFS		"/sys/fs/bpf"
#define BPFFS_MAGIC	0xcafe4a11
/* the map names of xdp_pinned.c, pinned by name */
static const char *const pinned_maps[] = { "xdpc_pin_ports", "xdpc_pin_count" };

/* File descriptors of this process that hold kernel BPF objects. */
static int
bpf_fds(void)
{
	char path[PATH_MAX], link[128];
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");
	ssize_t n;
	int count = 0;

	if (dir == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL) {
		snprintf(path, sizeof(path), "/proc/self/fd/%s", d->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		/* anon_inode:bpf-map, bpf-prog, bpf_link, btf */
		if (strncmp(link, "anon_inode:bpf", 14) == 0 ||
		    strncmp(link, "anon_inode:btf", 14) == 0)
			count++;
	}
	closedir(dir);
	return count;
}

static int
pins_left(void)
{
	char path[PATH_MAX];
	unsigned int i;
	int n = 0;

	for (i = 0; i < RTE_DIM(pinned_maps); i++) {
		snprintf(path, sizeof(path), BPFFS "/%s", pinned_maps[i]);
		if (access(path, F_OK) == 0) {
			printf("left pinned: %s\n", path);
			n++;
		}
	}
	return n;
}

static void
unpin(void)
{
	char path[PATH_MAX];
	unsigned int i;

	for (i = 0; i < RTE_DIM(pinned_maps); i++) {
		snprintf(path, sizeof(path), BPFFS "/%s", pinned_maps[i]);
		unlink(path);
	}
}

/* A skip as root: a failure under CI=true (test/scripts/lib.sh's rule). */
static int
skip_privileged(const char *why)
{
	const char *ci = getenv("CI");
	const char *emulator = getenv("XDP_TEST_EMULATOR");

	/* qemu-user has no bpf(): nothing to verify with there */
	if (emulator != NULL) {
		printf("skipped: %s: %s\n", emulator, why);
		return TEST_SKIPPED;
	}
	if (ci != NULL && strcmp(ci, "true") == 0) {
		printf("%s (a privileged suite may not skip under CI=true as root)\n",
			why);
		return TEST_FAILED;
	}
	printf("skipped: %s\n", why);
	return TEST_SKIPPED;
}

static int
kverify_setup(void)
{
	struct statfs fs;

	if (geteuid() != 0)
		TEST_SKIP("not root: kernel verification needs bpf()");
	if (access(test_bpf_obj_cpu("xdp_pinned", "v3"), R_OK) != 0)
		return skip_privileged("test BPF objects not built (clang missing?)");
	if (statfs(BPFFS, &fs) != 0 || fs.f_type != BPFFS_MAGIC) {
		if (mount("bpf", BPFFS, "bpf", 0, NULL) != 0)
			return skip_privileged("no bpffs on " BPFFS
				" and cannot mount it");
		printf("mounted bpffs on " BPFFS "\n");
	}
	/* only this test's object pins these names: a run before the fix */
	if (pins_left() != 0)
		unpin();
	return TEST_SUCCESS;
}

static void
kverify_teardown(void)
{
	unpin();
}

/* Open and load path under the kernel policy; NULL and err on failure. */
static struct rte_xdp_obj *
kernel_load(const char *path, char *err, size_t len, int *ret)
{
	struct rte_xdp_obj_opts o = {
		.verify = RTE_XDP_VERIFY_KERNEL, .socket_id = SOCKET_ID_ANY,
	};
	struct rte_xdp_obj *obj = rte_xdp_obj_open(path, &o, err, len);

	*ret = -EINVAL;
	if (obj == NULL)
		return NULL;
	*ret = rte_xdp_obj_load(obj, err, len);
	if (*ret != 0) {
		rte_xdp_obj_close(obj);
		obj = NULL;
	}
	return obj;
}

/* Loaded twice: nothing pinned, nothing held, both verified. */
static int
test_pinned_maps_twice(void)
{
	int fds = bpf_fds(), round, ret;
	struct rte_xdp_prog_info pi;
	struct rte_xdp_obj *obj;
	char err[2048] = "";

	TEST_ASSERT(fds >= 0, "read /proc/self/fd");
	for (round = 1; round <= 2; round++) {
		obj = kernel_load(test_bpf_obj_cpu("xdp_pinned", "v3"), err,
			sizeof(err), &ret);
		if (obj == NULL && ret == -EPERM)
			return skip_privileged(err);
		TEST_ASSERT_NOT_NULL(obj, "load %d: %s", round, err);
		rte_xdp_prog_info(rte_xdp_obj_prog(obj, 0), &pi);
		TEST_ASSERT(pi.loaded && pi.verified_by_kernel,
			"load %d: verified by the kernel", round);
		TEST_ASSERT_EQUAL(pins_left(), 0, "load %d: nothing pinned",
			round);
		TEST_ASSERT_EQUAL(bpf_fds(), fds,
			"load %d: kernel objects held after the load", round);
		rte_xdp_obj_close(obj);
	}
	return TEST_SUCCESS;
}

/* Refused by the kernel: the same, and the DPDK heap as it was. */
static int
test_refused_leaves_nothing(void)
{
	struct rte_malloc_socket_stats before, after;
	int fds = bpf_fds(), ret;
	struct rte_xdp_obj *obj;
	char err[2048] = "";

	rte_malloc_get_socket_stats(rte_socket_id_by_idx(0), &before);
	obj = kernel_load(test_bpf_obj_cpu("xdp_bad_pinned", "v3"), err,
		sizeof(err), &ret);
	rte_malloc_get_socket_stats(rte_socket_id_by_idx(0), &after);
	if (obj == NULL && ret == -EPERM)
		return skip_privileged(err);
	TEST_ASSERT_NULL(obj, "xdp_bad_pinned loaded");
	printf("refused: %s\n", err);
	TEST_ASSERT(strstr(err, "kernel verifier refused") != NULL &&
		strstr(err, "invalid access to packet") != NULL,
		"the error names the kernel's reason");
	TEST_ASSERT_EQUAL(pins_left(), 0, "nothing pinned");
	TEST_ASSERT_EQUAL(bpf_fds(), fds, "kernel objects held");
	TEST_ASSERT_EQUAL(after.heap_allocsz_bytes, before.heap_allocsz_bytes,
		"DPDK heap");
	return TEST_SUCCESS;
}

/* The kernel sees the XDP program only; the others are not XDP. */
static int
test_not_xdp_programs_left_out(void)
{
	struct rte_xdp_prog_info pi;
	int fds = bpf_fds(), ret;
	struct rte_xdp_obj *obj;
	char err[2048] = "";
	const char *not_xdp;

	obj = kernel_load(test_bpf_obj_cpu("xdp_traced", "v3"), err,
		sizeof(err), &ret);
	if (obj == NULL && ret == -EPERM)
		return skip_privileged(err);
	TEST_ASSERT_NOT_NULL(obj, "%s", err);
	TEST_ASSERT_EQUAL(rte_xdp_obj_nb_progs(obj), 1, "one XDP program");
	rte_xdp_prog_info(rte_xdp_obj_prog(obj, 0), &pi);
	TEST_ASSERT(strcmp(pi.name, "xdp_traced") == 0 && pi.loaded &&
		pi.verified_by_kernel, "xdp_traced verified by the kernel");
	not_xdp = rte_xdp_obj_not_xdp(obj);
	printf("not XDP: %s\n", not_xdp);
	TEST_ASSERT(strstr(not_xdp, "iter_maps (iter/bpf_map): an iterator") !=
		NULL, "the iterator reported");
	TEST_ASSERT(strstr(not_xdp,
		"trace_exception (tracepoint/xdp/xdp_exception): a tracepoint program") !=
		NULL, "the tracepoint program reported");
	TEST_ASSERT_EQUAL(bpf_fds(), fds, "kernel objects held");
	rte_xdp_obj_close(obj);
	return TEST_SUCCESS;
}

/* A legacy object: its programs verified one by one against kernel
 * maps created for them, closed once the load is done. */
static int
test_legacy_leaves_nothing(void)
{
	struct rte_xdp_prog_info pi;
	int fds = bpf_fds(), ret;
	struct rte_xdp_obj *obj;
	char err[2048] = "";

	obj = kernel_load(test_bpf_obj_cpu("xdp_legacy", "v3"), err,
		sizeof(err), &ret);
	if (obj == NULL && ret == -EPERM)
		return skip_privileged(err);
	TEST_ASSERT_NOT_NULL(obj, "%s", err);
	rte_xdp_prog_info(rte_xdp_obj_prog(obj, 0), &pi);
	TEST_ASSERT(pi.loaded && pi.verified_by_kernel,
		"verified by the kernel");
	TEST_ASSERT_EQUAL(bpf_fds(), fds, "kernel objects held");
	rte_xdp_obj_close(obj);
	return TEST_SUCCESS;
}

static struct unit_test_suite kverify_suite = {
	.suite_name = "xdp kernel verification",
	.setup = kverify_setup,
	.teardown = kverify_teardown,
	.unit_test_cases = {
		TEST_CASE(test_pinned_maps_twice),
		TEST_CASE(test_refused_leaves_nothing),
		TEST_CASE(test_not_xdp_programs_left_out),
		TEST_CASE(test_legacy_leaves_nothing),
		TEST_CASES_END(),
	},
};

static int
xdp_kernel_verify_autotest(void)
{
	return unit_test_suite_runner(&kverify_suite);
}
REGISTER_TEST_COMMAND(xdp_kernel_verify_autotest, xdp_kernel_verify_autotest);
