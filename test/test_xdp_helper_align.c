/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_helper_align_autotest: helpers given memory at any byte offset, as
 * the kernel's verifier allows (it checks that a helper's memory lies in
 * initialised stack, not its alignment). test/bpf/xdp_misaligned passes
 * a bpf_fib_lookup, map keys and values, csum_diff buffers,
 * bpf_trace_vprintk's arguments, an xdp_load/store_bytes buffer, a ring
 * buffer record and a perf sample at odd stack addresses, and
 * bpf_fib_lookup is called directly at every offset of a word. Results
 * must be right; in the sanitizer build (devtools/test-sanitizers.sh,
 * UBSan's alignment check fatal) a helper that reads or writes such
 * memory through a wider type fails the test, on any architecture. The
 * kernel accepts the object (checked when bpf() is permitted), and
 * xdp_kernel_diff compares its results with the kernel's.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "rte_xdp_events.h"
#include "rte_xdp_fib.h"
#include "rte_xdp_map.h"
#include "rte_xdp_prog.h"
#include "test.h"
#include "test_ports.h"

#define IF0	10	/* the FIB's interface */

static const struct rte_ether_addr if_mac = {{ 2, 0, 0, 0, 0, 0x10 }};
static const struct rte_ether_addr host_mac = {{ 2, 0, 0, 0, 0xbb, 7 }};
static struct rte_mempool *pool;
static struct rte_xdp_fib *fib, *prev_fib;

static uint32_t
ip4(const char *s)
{
	uint32_t a = 0;

	inet_pton(AF_INET, s, &a);
	return a;
}

/* One forwarding interface, 10.1.0.0/24 on it, host 10.1.0.7 known. */
static struct rte_xdp_fib *
make_fib(void)
{
	struct rte_xdp_fib_if ifc = {
		.name = "a0", .ifindex = IF0, .mac = if_mac, .mtu = 1500,
		.forwarding = 1, .forwarding6 = 1,
	};
	struct rte_xdp_fib_route r = {
		.family = AF_INET, .depth = 24, .type = RTE_XDP_FIB_RT_UNICAST,
		.ifindex = IF0,
	};
	struct rte_xdp_fib *f = rte_xdp_fib_create(test_unique("align"),
		NULL);
	uint32_t a = ip4("10.1.0.0");

	if (f == NULL)
		return NULL;
	memcpy(r.dst, &a, 4);
	a = ip4("10.1.0.7");
	if (rte_xdp_fib_if_add(f, &ifc) != 0 ||
	    rte_xdp_fib_route_add(f, &r) != 0 ||
	    rte_xdp_fib_neigh_add(f, AF_INET, &a, IF0, &host_mac) != 0) {
		rte_xdp_fib_free(f);
		return NULL;
	}
	return f;
}

static int
align_setup(void)
{
	if (access(test_bpf_obj_cpu("xdp_misaligned", "v2"), R_OK) != 0)
		TEST_SKIP("test BPF objects not built (clang missing?)");
	pool = rte_pktmbuf_pool_create(test_unique("xdpal"), 15, 0, 0,
		4096 + RTE_PKTMBUF_HEADROOM, SOCKET_ID_ANY);
	fib = make_fib();
	if (pool == NULL || fib == NULL)
		return TEST_FAILED;
	prev_fib = rte_xdp_fib_set_default(fib);
	return TEST_SUCCESS;
}

static void
align_teardown(void)
{
	rte_xdp_fib_set_default(prev_fib);
	rte_xdp_fib_free(fib);
	fib = NULL;
	rte_mempool_free(pool);
	pool = NULL;
}

/* The kernel's bpf_csum_diff() on x86-64: a 32-bit ones' complement sum
 * of the seed, the inverted "from" words and the "to" words, folded to
 * 16 bits. */
static uint32_t
csum_ref(const uint32_t *from, unsigned int nf, const uint32_t *to,
	unsigned int nt, uint32_t seed)
{
	uint64_t s = seed;
	unsigned int i;

	for (i = 0; i < nf; i++)
		s += (uint32_t)~from[i];
	for (i = 0; i < nt; i++)
		s += to[i];
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return s;
}

/*
 * bpf_fib_lookup() with its parameters at each offset of an 8-byte word:
 * the same result as aligned, written where the program's structure is,
 * nothing written around it; a plen shorter than the structure refused
 * without reading past it.
 */
static int
test_fib_any_offset(void)
{
	struct rte_xdp_fib_lookup q, r, ref;
	uint8_t raw[8 + sizeof(q) + 8], *short_buf;
	unsigned int off, i;
	int64_t ret;

	memset(&q, 0, sizeof(q));
	q.family = AF_INET;
	q.ifindex = IF0;
	q.ipv4_src = ip4("10.1.0.2");
	q.ipv4_dst = ip4("10.1.0.7");
	ref = q;
	ret = (int64_t)xdpc_helper_fib_lookup(0, (uintptr_t)&ref, sizeof(ref),
		0, 0);
	TEST_ASSERT_EQUAL(ret, RTE_XDP_FIB_LKUP_RET_SUCCESS, "aligned lookup");
	TEST_ASSERT(memcmp(ref.dmac, &host_mac, 6) == 0 &&
		memcmp(ref.smac, &if_mac, 6) == 0 && ref.ifindex == IF0,
		"aligned lookup result");
	for (off = 0; off < 8; off++) {
		memset(raw, 0xa5, sizeof(raw));
		memcpy(raw + off, &q, sizeof(q));
		ret = (int64_t)xdpc_helper_fib_lookup(0, (uintptr_t)(raw + off),
			sizeof(q), 0, 0);
		TEST_ASSERT_EQUAL(ret, RTE_XDP_FIB_LKUP_RET_SUCCESS,
			"offset %u", off);
		memcpy(&r, raw + off, sizeof(r));
		TEST_ASSERT(memcmp(&r, &ref, sizeof(r)) == 0,
			"offset %u: the aligned lookup's result", off);
		for (i = 0; i < off; i++)
			TEST_ASSERT_EQUAL(raw[i], 0xa5, "offset %u: byte %u",
				off, i);
		for (i = off + sizeof(q); i < sizeof(raw); i++)
			TEST_ASSERT_EQUAL(raw[i], 0xa5, "offset %u: byte %u",
				off, i);
	}
	/* plen 63 on 63 bytes (ASan sees an over-read in the sanitizer
	 * build): -EINVAL, untouched */
	short_buf = malloc(sizeof(q) - 1);
	TEST_ASSERT_NOT_NULL(short_buf, "malloc");
	memcpy(short_buf, &q, sizeof(q) - 1);
	ret = (int64_t)xdpc_helper_fib_lookup(0, (uintptr_t)short_buf,
		sizeof(q) - 1, 0, 0);
	i = memcmp(short_buf, &q, sizeof(q) - 1);
	free(short_buf);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "plen below the structure");
	TEST_ASSERT_EQUAL(i, 0, "short parameters untouched");
	return TEST_SUCCESS;
}

struct sample {
	unsigned int n;
	uint32_t size;
	uint8_t data[16];
};

static void
on_sample(void *arg, unsigned int cpu, const void *data, uint32_t size)
{
	struct sample *s = arg;

	RTE_SET_USED(cpu);
	s->n++;
	s->size = size;
	memcpy(s->data, data, RTE_MIN(size, (uint32_t)sizeof(s->data)));
}

static int
on_record(void *arg, void *data, size_t size)
{
	struct sample *s = arg;

	s->n++;
	s->size = size;
	memcpy(s->data, data, RTE_MIN(size, sizeof(s->data)));
	return 0;
}

static int
check_res(struct rte_xdp_obj *obj, const char *cpu, uint32_t k, uint64_t want,
	const char *what)
{
	uint64_t v = ~want;

	TEST_ASSERT_SUCCESS(rte_xdp_map_lookup(rte_xdp_obj_find_map(obj, "res"),
		&k, &v), "%s: res[%u]", cpu, k);
	TEST_ASSERT_EQUAL(v, want, "%s: res[%u], %s", cpu, k, what);
	return TEST_SUCCESS;
}

#define CHECK_RES(k, want, what) do {					\
	if (check_res(obj, cpu, (k), (want), (what)) != TEST_SUCCESS)	\
		goto fail;						\
} while (0)

static int
run_program(const char *cpu)
{
	static const uint8_t frame[14] = {
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
		0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00,
	};
	static const uint32_t from[2] = { 0x04030201, 0x08070605 };
	static const uint32_t to[1] = { 0xf3f2f1f0 };
	struct rte_xdp_obj_opts o = {
		.verify = RTE_XDP_VERIFY_BUILTIN, .socket_id = SOCKET_ID_ANY,
	};
	struct rte_xdp_rxq_info rxq = { .ifindex = 1, .frag_size = 4096 };
	struct rte_xdp_perf_buffer *pb = NULL;
	struct rte_xdp_ring_buffer *rb = NULL;
	struct sample perf = { 0 }, ring = { 0 };
	struct rte_xdp_fib_lookup fo;
	struct rte_xdp_obj *obj;
	struct rte_mbuf *m = NULL;
	uint64_t val = 0x1122334455667788ull;
	uint32_t verdict, zero = 0;
	char err[1024];
	uint8_t *d;
	int ret = TEST_FAILED;

	obj = rte_xdp_obj_open(test_bpf_obj_cpu("xdp_misaligned", cpu), &o,
		err, sizeof(err));
	if (obj == NULL || rte_xdp_obj_load(obj, err, sizeof(err)) != 0) {
		printf("%s: %s\n", cpu, err);
		rte_xdp_obj_close(obj);
		return TEST_FAILED;
	}
	if (test_map_set_u32(obj, "cfg", 0, IF0) != 0 ||
	    test_map_set_u32(obj, "cfg", 1, ip4("10.1.0.7")) != 0)
		goto fail;
	pb = rte_xdp_perf_buffer_new(rte_xdp_obj_find_map(obj, "samples"), 1,
		on_sample, NULL, &perf);
	rb = rte_xdp_ring_buffer_new(rte_xdp_obj_find_map(obj, "rb"),
		on_record, &ring);
	m = rte_pktmbuf_alloc(pool);
	if (pb == NULL || rb == NULL || m == NULL) {
		printf("%s: perf buffer, ring buffer or mbuf\n", cpu);
		goto fail;
	}
	m->data_off = RTE_XDP_PACKET_HEADROOM;
	d = rte_pktmbuf_mtod(m, uint8_t *);
	memset(d, 0, 64);
	memcpy(d, frame, sizeof(frame));
	m->data_len = m->pkt_len = 64;
	rte_xdp_prog_run_burst(rte_xdp_obj_prog(obj, 0), &rxq, &m, 1,
		&verdict, NULL);
	if (verdict != RTE_XDP_PASS) {
		printf("%s: verdict %u\n", cpu, verdict);
		goto fail;
	}

	CHECK_RES(0, RTE_XDP_FIB_LKUP_RET_SUCCESS, "fib_lookup");
	CHECK_RES(1, 0, "update from a misaligned value");
	if (rte_xdp_map_lookup(rte_xdp_obj_find_map(obj, "fibout"), &zero,
			&fo) != 0 || fo.ifindex != IF0 ||
	    memcmp(fo.dmac, &host_mac, 6) != 0 ||
	    memcmp(fo.smac, &if_mac, 6) != 0 || fo.ipv4_dst != ip4("10.1.0.7")) {
		printf("%s: the lookup's results, written at an odd address\n",
			cpu);
		goto fail;
	}
	CHECK_RES(2, 0, "hash update, misaligned key and value");
	CHECK_RES(3, val, "hash lookup, misaligned key");
	CHECK_RES(4, 1, "array lookup, misaligned key");
	CHECK_RES(5, 0, "hash delete, misaligned key");
	CHECK_RES(6, (uint64_t)-ENOENT, "deleted");
	CHECK_RES(8, csum_ref(from, 2, to, 1, 0x1234), "csum_diff");
	CHECK_RES(9, strlen("xdp_misaligned 42 55"), "trace_vprintk");
	CHECK_RES(10, 0, "xdp_load_bytes");
	CHECK_RES(11, 0x554433221100ull, "bytes loaded");
	CHECK_RES(12, 0, "xdp_store_bytes");
	if (memcmp(d + 6, frame, 6) != 0) {
		printf("%s: stored bytes not in the frame\n", cpu);
		goto fail;
	}
	CHECK_RES(13, 0, "ringbuf_output");
	CHECK_RES(14, 0, "perf_event_output");
	if (rte_xdp_ring_buffer_consume(rb) != 1 || ring.size != 8 ||
	    memcmp(ring.data, &val, 8) != 0) {
		printf("%s: ring buffer record (%u, %u bytes)\n", cpu, ring.n,
			ring.size);
		goto fail;
	}
	if (rte_xdp_perf_buffer_poll(pb, 0) != 1 || perf.size != 12 ||
	    memcmp(perf.data, &val, 8) != 0) {
		printf("%s: perf sample (%u, %u bytes)\n", cpu, perf.n,
			perf.size);
		goto fail;
	}
	ret = TEST_SUCCESS;
fail:
	rte_pktmbuf_free(m);
	rte_xdp_ring_buffer_free(rb);
	rte_xdp_perf_buffer_free(pb);
	rte_xdp_obj_close(obj);
	if (ret == TEST_SUCCESS)
		ret = check_pool_full(pool, cpu);
	return ret;
}

static int
test_program(void)
{
	static const char *const cpus[] = { "v1", "v2", "v3" };
	unsigned int c;

	for (c = 0; c < RTE_DIM(cpus); c++)
		if (run_program(cpus[c]) != TEST_SUCCESS)
			return TEST_FAILED;
	return TEST_SUCCESS;
}

/*
 * The fuzz_obj_mutate find, with its one program symbol put back where
 * libbpf reads it the same way (test/fuzz/corpus): a mutated xdp_fwd
 * passes its lookup parameters at an odd stack address. It loads and
 * runs; UBSan reported the misaligned access in the sanitizer build.
 */
static int
test_fuzz_input(void)
{
	const char *path = XDP_TEST_SRCDIR "/test/fuzz/corpus/fuzz_obj_loader/"
		"regress-helper-fib-lookup-misaligned-params-loadable";
	struct rte_xdp_obj_opts o = {
		.verify = RTE_XDP_VERIFY_BUILTIN, .socket_id = SOCKET_ID_ANY,
	};
	/* IPv4/UDP, TTL 64, to 10.1.0.7 */
	static const uint8_t frame[24] = {
		0x02, 0, 0, 0, 0, 0x10, 0x02, 0, 0, 0, 0, 0x20, 0x08, 0x00,
		0x45, 0, 0, 60, 0, 0, 0, 0, 64, 17,
	};
	struct rte_xdp_rxq_info rxq = { .ifindex = IF0, .frag_size = 4096 };
	uint32_t dst = ip4("10.1.0.7"), v;
	struct rte_xdp_obj *obj;
	struct rte_mbuf *m;
	char err[1024];
	unsigned int i;
	uint8_t *d;

	obj = rte_xdp_obj_open(path, &o, err, sizeof(err));
	if (obj != NULL && rte_xdp_obj_load(obj, err, sizeof(err)) != 0) {
		rte_xdp_obj_close(obj);
		obj = NULL;
	}
	TEST_ASSERT_NOT_NULL(obj, "%s", err);
	for (i = 0; i < rte_xdp_obj_nb_progs(obj); i++) {
		m = rte_pktmbuf_alloc(pool);
		TEST_ASSERT_NOT_NULL(m, "mbuf");
		m->data_off = RTE_XDP_PACKET_HEADROOM;
		d = rte_pktmbuf_mtod(m, uint8_t *);
		memset(d, 0, 74);
		memcpy(d, frame, sizeof(frame));
		memcpy(d + 30, &dst, 4);
		m->data_len = m->pkt_len = 74;
		rte_xdp_prog_run_burst(rte_xdp_obj_prog(obj, i), &rxq, &m, 1,
			&v, NULL);
		rte_pktmbuf_free(m);
	}
	rte_xdp_obj_close(obj);
	return check_pool_full(pool, "fuzz input");
}

/* The kernel's verifier accepts every one of those odd addresses. */
static int
test_kernel_accepts(void)
{
	struct rte_xdp_obj_opts o = {
		.verify = RTE_XDP_VERIFY_KERNEL, .socket_id = SOCKET_ID_ANY,
	};
	struct rte_xdp_obj *obj;
	char err[4096];
	int ret;

	if (!test_has_cap_net_admin())
		TEST_SKIP("needs root (bpf())");
	obj = rte_xdp_obj_open(test_bpf_obj_cpu("xdp_misaligned", "v3"), &o,
		err, sizeof(err));
	TEST_ASSERT_NOT_NULL(obj, "%s", err);
	ret = rte_xdp_obj_load(obj, err, sizeof(err));
	rte_xdp_obj_close(obj);
	if (ret == -EPERM)
		TEST_SKIP("bpf() not permitted: %s", err);
	TEST_ASSERT_SUCCESS(ret, "the kernel refused it: %s", err);
	return TEST_SUCCESS;
}

static struct unit_test_suite align_suite = {
	.suite_name = "helper memory at any alignment",
	.setup = align_setup,
	.teardown = align_teardown,
	.unit_test_cases = {
		TEST_CASE(test_fib_any_offset),
		TEST_CASE(test_program),
		TEST_CASE(test_fuzz_input),
		TEST_CASE(test_kernel_accepts),
		TEST_CASES_END(),
	},
};

static int
test_xdp_helper_align(void)
{
	return unit_test_suite_runner(&align_suite);
}

REGISTER_TEST_COMMAND(xdp_helper_align_autotest, test_xdp_helper_align);
