/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_loader_autotest: objects built from test/bpf (v2 and v3) load, run
 * with the kernel's verdicts and frame moves, and bad objects are refused
 * with an error naming the cause.
 * xdp_maps_autotest: map semantics (flags, errno values, iteration).
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_mbuf.h>
#include <rte_lcore.h>

#include "rte_xdp_prog.h"
#include "test.h"

static char bpf_dir[PATH_MAX];
static struct rte_mempool *pool;

static const char *
obj_path(const char *name, const char *cpu)
{
	static char p[PATH_MAX + 64];

	snprintf(p, sizeof(p), "%s/%s_%s.o", bpf_dir, name, cpu);
	return p;
}

static int
loader_setup(void)
{
	ssize_t n = readlink("/proc/self/exe", bpf_dir, sizeof(bpf_dir) - 8);
	char *s;

	if (n <= 0)
		return TEST_FAILED;
	bpf_dir[n] = '\0';
	s = strrchr(bpf_dir, '/');
	if (s == NULL)
		return TEST_FAILED;
	strcpy(s, "/bpf");
	if (access(obj_path("xdp_pass", "v2"), R_OK) != 0)
		TEST_SKIP("test BPF objects not built (clang missing?)");
	pool = rte_pktmbuf_pool_create(test_unique("xdpl"), 63, 0, 0,
		4096 + RTE_PKTMBUF_HEADROOM, SOCKET_ID_ANY);
	return pool != NULL ? TEST_SUCCESS : TEST_FAILED;
}

static void
loader_teardown(void)
{
	rte_mempool_free(pool);
	pool = NULL;
}

static struct rte_xdp_obj *
load(const char *name, const char *cpu, char *err, size_t len)
{
	struct rte_xdp_obj_opts o = {
		.verify = RTE_XDP_VERIFY_BUILTIN, .socket_id = SOCKET_ID_ANY,
	};
	struct rte_xdp_obj *obj = rte_xdp_obj_open(obj_path(name, cpu), &o,
		err, len);

	if (obj != NULL && rte_xdp_obj_load(obj, err, len) != 0) {
		rte_xdp_obj_close(obj);
		obj = NULL;
	}
	return obj;
}

static struct rte_mbuf *
frame(uint16_t ethertype, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint8_t *d;

	if (m == NULL)
		return NULL;
	m->data_off = RTE_XDP_PACKET_HEADROOM;
	d = rte_pktmbuf_mtod(m, uint8_t *);
	memset(d, 0, len);
	memcpy(d, "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb", 12);
	d[12] = ethertype >> 8;
	d[13] = ethertype & 0xff;
	m->data_len = m->pkt_len = len;
	return m;
}

static int
test_xdp_count_run(void)
{
	static const char *cpus[] = { "v2", "v3" };
	struct rte_xdp_rxq_info rxq = { .ifindex = 1, .frag_size = 4096 };
	struct rte_xdp_map *pc, *vd;
	uint32_t v[3], k;
	uint16_t key;
	uint64_t val;
	char err[1024];
	unsigned int c;

	for (c = 0; c < RTE_DIM(cpus); c++) {
		struct rte_xdp_obj *obj = load("xdp_count", cpus[c], err,
			sizeof(err));
		struct rte_mbuf *m[3];
		uint8_t *d;

		TEST_ASSERT_NOT_NULL(obj, "%s: %s", cpus[c], err);
		m[0] = frame(0x0800, 60);
		m[1] = frame(0x86dd, 60);
		m[2] = frame(0x0806, 60);
		TEST_ASSERT(m[0] && m[1] && m[2], "mbufs");
		rte_xdp_prog_run_burst(rte_xdp_obj_prog(obj, 0), &rxq, m, 3, v,
			NULL);
		TEST_ASSERT_EQUAL(v[0], RTE_XDP_TX, "IPv4 → TX");
		TEST_ASSERT_EQUAL(v[1], RTE_XDP_DROP, "IPv6 → DROP");
		TEST_ASSERT_EQUAL(v[2], RTE_XDP_PASS, "ARP → PASS");
		d = rte_pktmbuf_mtod(m[0], uint8_t *);
		TEST_ASSERT(d[0] == 0x66 && d[6] == 0x00, "MACs swapped");
		pc = rte_xdp_obj_find_map(obj, "proto_count");
		vd = rte_xdp_obj_find_map(obj, "verdicts");
		TEST_ASSERT(pc != NULL && vd != NULL, "maps found");
		key = 0x86dd;
		TEST_ASSERT_SUCCESS(rte_xdp_map_lookup(pc, &key, &val),
			"hash entry");
		TEST_ASSERT_EQUAL(val, 1, "IPv6 count");
		k = RTE_XDP_PASS;
		TEST_ASSERT_SUCCESS(rte_xdp_map_lookup(vd, &k, &val), "array");
		TEST_ASSERT_EQUAL(val, 1, "PASS count");
		rte_pktmbuf_free_bulk(m, 3);
		rte_xdp_obj_close(obj);
	}
	return TEST_SUCCESS;
}

static int
test_xdp_adjust_run(void)
{
	struct rte_xdp_rxq_info rxq = { .ifindex = 1, .frag_size = 4096 };
	struct rte_xdp_obj *obj;
	struct rte_mbuf *m;
	char err[1024];
	uint32_t v;
	int64_t r;
	uint32_t k = 0;

	obj = load("xdp_adjust", "v3", err, sizeof(err));
	TEST_ASSERT_NOT_NULL(obj, "%s", err);
	m = frame(0x0800, 64);
	TEST_ASSERT_NOT_NULL(m, "mbuf");
	rte_xdp_prog_run_burst(rte_xdp_obj_prog(obj, 0), &rxq, &m, 1, &v,
		NULL);
	TEST_ASSERT_EQUAL(v, RTE_XDP_PASS, "verdict");
	TEST_ASSERT_EQUAL(m->data_off, RTE_XDP_PACKET_HEADROOM - 4,
		"adjust_head moved data_off");
	TEST_ASSERT_EQUAL(m->data_len, 64 + 4 + 8, "head and tail growth");
	TEST_ASSERT_EQUAL(m->pkt_len, 64 + 4 + 8, "pkt_len");
	TEST_ASSERT_EQUAL(*rte_pktmbuf_mtod(m, uint8_t *), 0xde, "mark");
	TEST_ASSERT_SUCCESS(rte_xdp_map_lookup(rte_xdp_obj_find_map(obj,
		"results"), &k, &r), "result 0");
	TEST_ASSERT_EQUAL(r, 0, "adjust_head returned 0");
	rte_pktmbuf_free(m);
	rte_xdp_obj_close(obj);
	return TEST_SUCCESS;
}

static int
expect_refused(const char *name, const char *cpu, const char *what)
{
	char err[1024] = "";
	struct rte_xdp_obj *obj = load(name, cpu, err, sizeof(err));

	if (obj != NULL) {
		rte_xdp_obj_close(obj);
		printf("%s_%s loaded but must be refused\n", name, cpu);
		return TEST_FAILED;
	}
	printf("%s_%s refused: %s\n", name, cpu, err);
	if (strstr(err, what) == NULL || strstr(err, "insn") == NULL) {
		printf("error does not say \"%s\" and the instruction\n", what);
		return TEST_FAILED;
	}
	return TEST_SUCCESS;
}

static int
test_xdp_refused(void)
{
	static const char *cpus[] = { "v2", "v3" };
	unsigned int c;

	for (c = 0; c < RTE_DIM(cpus); c++) {
		TEST_ASSERT_SUCCESS(expect_refused("xdp_bad_loop", cpus[c],
			"loop"), "loop");
		TEST_ASSERT_SUCCESS(expect_refused("xdp_bad_helper", cpus[c],
			"helper 14"), "unknown helper");
		TEST_ASSERT_SUCCESS(expect_refused("xdp_bad_oob", cpus[c],
			"boundary"), "out of bounds");
	}
	return TEST_SUCCESS;
}

static int
test_xdp_malformed(void)
{
	char path[] = "/tmp/xdp_malformedXXXXXX", err[512] = "";
	struct rte_xdp_obj *obj;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	TEST_ASSERT(fd >= 0, "mkstemp");
	f = fdopen(fd, "w");
	fputs("\177ELF this is not an object", f);
	fclose(f);
	obj = rte_xdp_obj_open(path, NULL, err, sizeof(err));
	unlink(path);
	TEST_ASSERT_NULL(obj, "malformed ELF must be refused");
	printf("malformed: %s\n", err);
	TEST_ASSERT(err[0] != '\0', "error message");
	obj = rte_xdp_obj_open("/nonexistent.o", NULL, err, sizeof(err));
	TEST_ASSERT_NULL(obj, "missing file");
	return TEST_SUCCESS;
}

static struct unit_test_suite loader_suite = {
	.suite_name = "xdp loader",
	.setup = loader_setup,
	.teardown = loader_teardown,
	.unit_test_cases = {
		TEST_CASE(test_xdp_count_run),
		TEST_CASE(test_xdp_adjust_run),
		TEST_CASE(test_xdp_refused),
		TEST_CASE(test_xdp_malformed),
		TEST_CASES_END(),
	},
};

static int
xdp_loader_autotest(void)
{
	return unit_test_suite_runner(&loader_suite);
}
REGISTER_TEST_COMMAND(xdp_loader_autotest, xdp_loader_autotest);

static int
test_map_array(void)
{
	struct rte_xdp_map_def d = { RTE_XDP_MAP_ARRAY, 4, 8, 4, 0 };
	struct rte_xdp_map *m = rte_xdp_map_create("a", &d, SOCKET_ID_ANY);
	uint32_t k = 1, nk;
	uint64_t v = 7, out;

	TEST_ASSERT_NOT_NULL(m, "create");
	TEST_ASSERT_EQUAL(rte_xdp_map_update(m, &k, &v, RTE_XDP_NOEXIST),
		-EEXIST, "NOEXIST on array");
	TEST_ASSERT_SUCCESS(rte_xdp_map_update(m, &k, &v, RTE_XDP_ANY), "any");
	TEST_ASSERT_SUCCESS(rte_xdp_map_lookup(m, &k, &out), "lookup");
	TEST_ASSERT_EQUAL(out, 7, "value");
	TEST_ASSERT_EQUAL(rte_xdp_map_delete(m, &k), -EINVAL, "delete");
	k = 4;
	TEST_ASSERT_EQUAL(rte_xdp_map_update(m, &k, &v, 0), -E2BIG, "oob");
	TEST_ASSERT_EQUAL(rte_xdp_map_lookup(m, &k, &out), -ENOENT, "oob");
	TEST_ASSERT_SUCCESS(rte_xdp_map_get_next_key(m, &k, &nk), "first");
	TEST_ASSERT_EQUAL(nk, 0, "first key");
	k = 3;
	TEST_ASSERT_EQUAL(rte_xdp_map_get_next_key(m, &k, &nk), -ENOENT,
		"last");
	rte_xdp_map_free(m);
	return TEST_SUCCESS;
}

static int
test_map_hash(void)
{
	static const uint32_t types[] = { RTE_XDP_MAP_HASH,
		RTE_XDP_MAP_LRU_HASH, RTE_XDP_MAP_PERCPU_HASH };
	unsigned int t, n;
	uint32_t k, nk;
	uint64_t *v;

	v = calloc(rte_xdp_map_nb_cpus(), 8);
	TEST_ASSERT_NOT_NULL(v, "alloc");
	for (t = 0; t < RTE_DIM(types); t++) {
		struct rte_xdp_map_def d = { types[t], 4, 8, 2, 0 };
		struct rte_xdp_map *m = rte_xdp_map_create("h", &d,
			SOCKET_ID_ANY);

		TEST_ASSERT_NOT_NULL(m, "create %u", types[t]);
		k = 1;
		v[0] = 10;
		TEST_ASSERT_EQUAL(rte_xdp_map_update(m, &k, v, RTE_XDP_EXIST),
			-ENOENT, "EXIST on missing");
		TEST_ASSERT_SUCCESS(rte_xdp_map_update(m, &k, v,
			RTE_XDP_NOEXIST), "insert");
		TEST_ASSERT_EQUAL(rte_xdp_map_update(m, &k, v,
			RTE_XDP_NOEXIST), -EEXIST, "NOEXIST on present");
		k = 2;
		TEST_ASSERT_SUCCESS(rte_xdp_map_update(m, &k, v, 0), "2nd");
		k = 3;
		TEST_ASSERT_EQUAL(rte_xdp_map_update(m, &k, v, 0),
			types[t] == RTE_XDP_MAP_LRU_HASH ? 0 : -E2BIG, "full");
		n = 0;
		for (int r = rte_xdp_map_get_next_key(m, NULL, &nk); r == 0;
		     r = rte_xdp_map_get_next_key(m, &k, &nk)) {
			k = nk;
			n++;
		}
		TEST_ASSERT_EQUAL(n, 2, "iteration");
		k = 9;
		TEST_ASSERT_EQUAL(rte_xdp_map_delete(m, &k), -ENOENT, "delete");
		rte_xdp_map_free(m);
	}
	free(v);
	return TEST_SUCCESS;
}

static int
test_map_lpm(void)
{
	struct rte_xdp_map_def d = { RTE_XDP_MAP_LPM_TRIE, 8, 4, 4, 1 };
	struct rte_xdp_map *m = rte_xdp_map_create("l", &d, SOCKET_ID_ANY);
	struct { uint32_t plen; uint8_t a[4]; } k;
	uint32_t v, out;

	TEST_ASSERT_NOT_NULL(m, "create");
	k.plen = 8; memcpy(k.a, "\x0a\x00\x00\x00", 4); v = 8;
	TEST_ASSERT_SUCCESS(rte_xdp_map_update(m, &k, &v, 0), "10/8");
	k.plen = 24; memcpy(k.a, "\x0a\x01\x02\x00", 4); v = 24;
	TEST_ASSERT_SUCCESS(rte_xdp_map_update(m, &k, &v, 0), "10.1.2/24");
	k.plen = 32; memcpy(k.a, "\x0a\x01\x02\x03", 4);
	TEST_ASSERT_SUCCESS(rte_xdp_map_lookup(m, &k, &out), "lookup");
	TEST_ASSERT_EQUAL(out, 24, "longest prefix");
	memcpy(k.a, "\x0a\x09\x02\x03", 4);
	TEST_ASSERT_SUCCESS(rte_xdp_map_lookup(m, &k, &out), "lookup");
	TEST_ASSERT_EQUAL(out, 8, "shorter prefix");
	k.plen = 33;
	TEST_ASSERT_EQUAL(rte_xdp_map_update(m, &k, &v, 0), -EINVAL, "plen");
	rte_xdp_map_free(m);
	return TEST_SUCCESS;
}

static int
test_map_bad_def(void)
{
	struct rte_xdp_map_def d = { 3 /* PROG_ARRAY */, 4, 4, 4, 0 };

	TEST_ASSERT_NULL(rte_xdp_map_create("x", &d, SOCKET_ID_ANY),
		"unsupported type");
	d.type = RTE_XDP_MAP_ARRAY;
	d.key_size = 8;
	TEST_ASSERT_NULL(rte_xdp_map_create("x", &d, SOCKET_ID_ANY),
		"array key size");
	return TEST_SUCCESS;
}

static struct unit_test_suite maps_suite = {
	.suite_name = "xdp maps",
	.unit_test_cases = {
		TEST_CASE(test_map_array),
		TEST_CASE(test_map_hash),
		TEST_CASE(test_map_lpm),
		TEST_CASE(test_map_bad_def),
		TEST_CASES_END(),
	},
};

static int
xdp_maps_autotest(void)
{
	return unit_test_suite_runner(&maps_suite);
}
REGISTER_TEST_COMMAND(xdp_maps_autotest, xdp_maps_autotest);
