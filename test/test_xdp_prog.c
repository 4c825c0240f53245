/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_loader_autotest: objects built from test/bpf (v1, v2, v3) load and
 * run with the kernel's verdicts and frame moves: metadata, clamped
 * packet offsets, JMP32 lowered through spilled registers, devmap
 * programs, autoload, a filter too branchy for rte_bpf's validator alone.
 * xdp_safety_autotest: bad objects are refused with an error naming the
 * cause and leave the DPDK heap as it was and a loaded program running;
 * helpers entered on the misaligned stack rte_bpf's JIT gives them work.
 * xdp_maps_autotest: map semantics (flags, errno values, iteration).
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_lcore.h>

#include <rte_bpf.h>

#include "rte_xdp_prog.h"
#include "xdp_prog_internal.h"
#include "test.h"
#include "test_ports.h"

static struct rte_mempool *pool;

static int
loader_setup(void)
{
	if (access(test_bpf_obj_cpu("xdp_pass", "v2"), R_OK) != 0)
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
load_path(const char *path, char *err, size_t len)
{
	struct rte_xdp_obj_opts o = {
		.verify = RTE_XDP_VERIFY_BUILTIN, .socket_id = SOCKET_ID_ANY,
	};
	struct rte_xdp_obj *obj = rte_xdp_obj_open(path, &o, err, len);

	if (obj != NULL && rte_xdp_obj_load(obj, err, len) != 0) {
		rte_xdp_obj_close(obj);
		obj = NULL;
	}
	return obj;
}

static struct rte_xdp_obj *
load(const char *name, const char *cpu, char *err, size_t len)
{
	return load_path(test_bpf_obj_cpu(name, cpu), err, len);
}

static const char *const all_cpus[] = { "v1", "v2", "v3" };

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

/* How many of prog's external symbols are named name. */
static unsigned int
xsym_count(const struct rte_xdp_prog *prog, const char *name)
{
	const struct rte_bpf_xsym *xs = prog->xsym;
	unsigned int i, n = 0;

	for (i = 0; i < prog->nb_xsym; i++)
		n += strcmp(xs[i].name, name) == 0;
	return n;
}

/*
 * Array and per-CPU array lookups call their map type's lookup, not the
 * dispatcher (the kernel inlines them); an index past max_entries gives
 * NULL, a per-CPU value is this lcore's slot. Other maps keep the
 * dispatcher (xdp_maps: hashes, LPM, devmaps).
 */
static int
test_xdp_array_lookup_direct(void)
{
	struct rte_xdp_rxq_info rxq = { .ifindex = 1, .frag_size = 4096 };
	const unsigned int nb_cpus = rte_xdp_map_nb_cpus();
	unsigned int c, cpu = rte_lcore_id() < nb_cpus ? rte_lcore_id() :
		nb_cpus - 1;
	uint32_t vals[nb_cpus * 2], v[4], k;
	uint64_t cnt;
	char err[1024];

	for (c = 0; c < RTE_DIM(all_cpus); c++) {
		struct rte_xdp_obj *obj = load("xdp_arrlookup", all_cpus[c],
			err, sizeof(err));
		struct rte_xdp_map *arr, *pc;
		struct rte_mbuf *m[4];
		struct rte_xdp_prog *prog;

		TEST_ASSERT_NOT_NULL(obj, "%s: %s", all_cpus[c], err);
		prog = rte_xdp_obj_prog(obj, 0);
		TEST_ASSERT_EQUAL(xsym_count(prog, "array_map_lookup_elem"), 1,
			"%s: array lookup direct", all_cpus[c]);
		TEST_ASSERT_EQUAL(xsym_count(prog,
			"percpu_array_map_lookup_elem"), 1,
			"%s: per-CPU array lookup direct", all_cpus[c]);
		TEST_ASSERT_EQUAL(xsym_count(prog, "map_lookup_elem"), 0,
			"%s: no dispatched lookup", all_cpus[c]);
		/* byte 14: the index (7 and 3 in range, 8 and 15 not) */
		for (k = 0; k < RTE_DIM(m); k++) {
			uint8_t *d;

			m[k] = frame(0x0800, 60);
			TEST_ASSERT_NOT_NULL(m[k], "mbuf");
			d = rte_pktmbuf_mtod(m[k], uint8_t *);
			d[14] = (uint8_t[]){ 0x17, 0x03, 0x08, 0xff }[k];
			d[15] = 10 + k;
		}
		rte_xdp_prog_run_burst(prog, &rxq, m, RTE_DIM(m), v, NULL);
		TEST_ASSERT_EQUAL(v[0], RTE_XDP_PASS, "index 7");
		TEST_ASSERT_EQUAL(v[1], RTE_XDP_PASS, "index 3");
		TEST_ASSERT_EQUAL(v[2], RTE_XDP_DROP, "index 8: NULL");
		TEST_ASSERT_EQUAL(v[3], RTE_XDP_DROP, "index 15: NULL");
		rte_pktmbuf_free_bulk(m, RTE_DIM(m));
		arr = rte_xdp_obj_find_map(obj, "arr");
		pc = rte_xdp_obj_find_map(obj, "pc_arr");
		TEST_ASSERT(arr != NULL && pc != NULL, "maps found");
		k = 7;
		TEST_ASSERT_SUCCESS(rte_xdp_map_lookup(arr, &k, &cnt), "arr");
		TEST_ASSERT_EQUAL(cnt, 1, "arr[7]");
		k = 3;
		TEST_ASSERT_SUCCESS(rte_xdp_map_lookup(pc, &k, vals), "pc_arr");
		/* per CPU, each value rounded up to 8 bytes */
		for (k = 0; k < nb_cpus; k++)
			TEST_ASSERT_EQUAL(vals[2 * k], k == cpu ? 11u : 0u,
				"pc_arr[3] on CPU %u (this lcore's: %u)", k,
				cpu);
		rte_xdp_obj_close(obj);

		obj = load("xdp_maps", all_cpus[c], err, sizeof(err));
		TEST_ASSERT_NOT_NULL(obj, "%s: %s", all_cpus[c], err);
		prog = rte_xdp_obj_prog(obj, 0);
		TEST_ASSERT(xsym_count(prog, "map_lookup_elem") >= 5,
			"%s: other maps through the dispatcher", all_cpus[c]);
		TEST_ASSERT(xsym_count(prog, "array_map_lookup_elem") >= 1 &&
			xsym_count(prog, "percpu_array_map_lookup_elem") == 1,
			"%s: xdp_maps's arrays direct", all_cpus[c]);
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

/* Metadata written through data_meta (bpf_xdp_adjust_meta) stays in
 * front of the frame and is what the program read back. */
static int
test_xdp_meta_run(void)
{
	struct rte_xdp_rxq_info rxq = {
		.ifindex = 1, .queue_index = 3, .frag_size = 4096,
	};
	unsigned int c;
	char err[1024];

	for (c = 0; c < RTE_DIM(all_cpus); c++) {
		struct rte_xdp_obj *obj = load("xdp_meta", all_cpus[c], err,
			sizeof(err));
		struct rte_mbuf *m;
		uint32_t v, mark;
		uint8_t *d;

		TEST_ASSERT_NOT_NULL(obj, "%s: %s", all_cpus[c], err);
		m = frame(0x0800, 60);
		TEST_ASSERT_NOT_NULL(m, "mbuf");
		rte_xdp_prog_run_burst(rte_xdp_obj_prog(obj, 0), &rxq, &m, 1,
			&v, NULL);
		TEST_ASSERT_EQUAL(v, RTE_XDP_PASS, "verdict");
		TEST_ASSERT_EQUAL(rte_xdp_mbuf_meta_len(m), 8, "meta length");
		d = rte_pktmbuf_mtod(m, uint8_t *);
		memcpy(&mark, d - 8, 4);
		TEST_ASSERT_EQUAL(mark, 0xcafe0003, "mark in the metadata");
		TEST_ASSERT_EQUAL(d[14], 0x00, "mark >> 8 read back");
		TEST_ASSERT_EQUAL(d[15], 8, "data - data_meta");
		rte_pktmbuf_free(m);
		rte_xdp_obj_close(obj);
	}
	return TEST_SUCCESS;
}

/* Variable offsets rte_bpf cannot bound are clamped: past data_end they
 * still fail the program's checks; frames longer than the clamp limit
 * are ABORTED rather than run with a clamped offset inside them. */
static int
test_xdp_clamp_run(void)
{
	struct rte_xdp_rxq_info rxq = { .ifindex = 1, .frag_size = 4096 };
	struct rte_xdp_prog_info pi;
	unsigned int c;
	char err[1024];

	for (c = 0; c < RTE_DIM(all_cpus); c++) {
		struct rte_xdp_obj *obj = load("xdp_clamp", all_cpus[c], err,
			sizeof(err));
		struct rte_xdp_prog *prog;
		struct rte_mbuf *m[3];
		uint32_t v[3];
		uint8_t *d;

		TEST_ASSERT_NOT_NULL(obj, "%s: %s", all_cpus[c], err);
		prog = rte_xdp_obj_prog(obj, 0);
		rte_xdp_prog_info(prog, &pi);
		TEST_ASSERT(pi.nb_clamps >= 2, "%s: %u clamps", all_cpus[c],
			pi.nb_clamps);
		TEST_ASSERT_EQUAL(pi.clamp_limit, 1024 - 256 - 64,
			"clamp limit");
		m[0] = frame(0x0102, 100);	/* offsets in the frame */
		m[1] = frame(0x0102, 100);	/* offsets far past it */
		m[2] = frame(0x0102, pi.clamp_limit + 1);
		TEST_ASSERT(m[0] && m[1] && m[2], "mbufs");
		d = rte_pktmbuf_mtod(m[0], uint8_t *);
		d[14] = 0;
		d[15] = 40;
		d[16] = 0;
		d[17] = 41;
		d[40] = 0xab;
		d[41] = 0xcd;
		d = rte_pktmbuf_mtod(m[1], uint8_t *);
		d[14] = 0x1f;
		d[15] = 0xff;
		d[16] = 0x1e;
		d[17] = 0;
		rte_xdp_prog_run_burst(prog, &rxq, m, 3, v, NULL);
		d = rte_pktmbuf_mtod(m[0], uint8_t *);
		TEST_ASSERT_EQUAL(v[0], RTE_XDP_PASS, "in-frame offsets");
		TEST_ASSERT(d[0] == 0xab && d[1] == 0xcd && d[2] == 0xcd,
			"bytes copied from the variable offsets");
		TEST_ASSERT_EQUAL(v[1], RTE_XDP_PASS,
			"clamped offset still past data_end");
		TEST_ASSERT_EQUAL(v[2], RTE_XDP_ABORTED,
			"frame longer than the clamp limit");
		rte_pktmbuf_free_bulk(m, 3);
		rte_xdp_obj_close(obj);
	}
	return TEST_SUCCESS;
}

/* JMP32 with all ten registers live: lowered through spilled scratch
 * registers, and every register still has its value afterwards. */
static int
test_xdp_jmp32_spill_run(void)
{
	struct rte_xdp_rxq_info rxq = { .ifindex = 1, .frag_size = 4096 };
	static const uint8_t in[][10] = {
		{ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 },
		{ 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0x80, 1, 2 },
		{ 0xf0, 0xff, 0xff, 0xff, 0xf0, 0xff, 0xff, 0x7f, 3, 4 },
		{ 0, 0, 0, 0x80, 0xff, 0xff, 0xff, 0xff, 5, 6 },
	};
	struct rte_xdp_prog_info pi;
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj;
	char err[1024];
	unsigned int k;

	obj = load("xdp_jmp32_spill", "v3", err, sizeof(err));
	TEST_ASSERT_NOT_NULL(obj, "%s", err);
	prog = rte_xdp_obj_prog(obj, 0);
	rte_xdp_prog_info(prog, &pi);
	TEST_ASSERT(pi.nb_spills >= 3, "%u spills", pi.nb_spills);
	for (k = 0; k < RTE_DIM(in); k++) {
		struct rte_mbuf *m = frame(0x0800, 60);
		uint64_t r0, r4, r3 = 0x10000;
		uint32_t v, got;
		uint8_t *d;

		TEST_ASSERT_NOT_NULL(m, "mbuf");
		d = rte_pktmbuf_mtod(m, uint8_t *);
		memcpy(d + 14, in[k], 10);
		memcpy(&v, d + 14, 4);
		r0 = v;
		memcpy(&v, d + 18, 4);
		r4 = v;
		if (!((int32_t)r0 > (int32_t)r4))
			r3 |= 1;
		if (!((int32_t)r0 < -5))
			r3 |= 2;
		r4 <<= 8;
		if (!((uint32_t)r4 > (uint32_t)r0))
			r3 |= 4;
		r3 += r0 + r4 + d[14] + d[15] + d[16] + d[17] + d[18] + d[19];
		rte_xdp_prog_run_burst(prog, &rxq, &m, 1, &v, NULL);
		TEST_ASSERT_EQUAL(v, RTE_XDP_PASS, "verdict");
		memcpy(&got, rte_pktmbuf_mtod(m, uint8_t *) + 20, 4);
		TEST_ASSERT_EQUAL(got, (uint32_t)r3, "case %u: sum", k);
		rte_pktmbuf_free(m);
	}
	rte_xdp_obj_close(obj);
	return TEST_SUCCESS;
}

/* A devmap program sees egress_ifindex; only the programs asked for are
 * loaded (autoload). */
static int
test_xdp_devmap_autoload(void)
{
	struct rte_xdp_obj_opts o = {
		.verify = RTE_XDP_VERIFY_BUILTIN, .socket_id = SOCKET_ID_ANY,
	};
	struct rte_xdp_rxq_info rxq = { .ifindex = 5, .frag_size = 4096 };
	struct rte_xdp_prog_info pi;
	struct rte_xdp_prog *dev, *rx;
	struct rte_xdp_obj *obj;
	struct rte_mbuf *m;
	char err[1024];
	uint32_t v;

	obj = rte_xdp_obj_open(test_bpf_obj_cpu("xdp_fields", "v2"), &o, err,
		sizeof(err));
	TEST_ASSERT_NOT_NULL(obj, "%s", err);
	TEST_ASSERT_SUCCESS(rte_xdp_obj_set_autoload(obj, "xdp_fields", 0),
		"autoload off");
	TEST_ASSERT_SUCCESS(rte_xdp_obj_load(obj, err, sizeof(err)), "%s",
		err);
	rx = rte_xdp_obj_find_prog(obj, "xdp_fields");
	dev = rte_xdp_obj_find_prog(obj, "xdp/devmap");
	TEST_ASSERT(rx != NULL && dev != NULL, "programs found");
	rte_xdp_prog_info(rx, &pi);
	TEST_ASSERT(!pi.loaded, "xdp_fields not loaded");
	rte_xdp_prog_info(dev, &pi);
	TEST_ASSERT(pi.loaded && pi.attach == RTE_XDP_ATTACH_DEVMAP,
		"devmap program loaded");
	m = frame(0x0800, 60);
	TEST_ASSERT_NOT_NULL(m, "mbuf");
	rte_xdp_prog_run_burst(rx, &rxq, &m, 1, &v, NULL);
	TEST_ASSERT_EQUAL(v, RTE_XDP_ABORTED, "program not loaded");
	rte_xdp_prog_run_burst_egress(dev, &rxq, 5, &m, 1, &v, NULL);
	TEST_ASSERT_EQUAL(v, RTE_XDP_DROP, "egress == ingress");
	rte_xdp_prog_run_burst_egress(dev, &rxq, 6, &m, 1, &v, NULL);
	TEST_ASSERT_EQUAL(v, RTE_XDP_PASS, "egress != ingress");
	rte_pktmbuf_free(m);
	rte_xdp_obj_close(obj);
	return TEST_SUCCESS;
}

/*
 * A filter with well over 10^6 paths from entry to exit (xdp_filtershape):
 * rte_bpf's validator walked them one by one, the load failed after its
 * time limit. It loads now, and filters: a rule on the TCP destination
 * port drops (allow program) or passes (deny program) what it matches.
 */
static int
test_xdp_branchy_run(void)
{
	static const char *cpus[] = { "v2", "v3" };
	static const uint8_t v4_tcp80[] = {
		0x08, 0x00, 0x45, 0, 0, 40, 0, 1, 0, 0, 64, 6, 0, 0,
		192, 168, 0, 1, 192, 168, 0, 2,
		0x30, 0x39, 0, 80, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x02,
	};
	struct rte_xdp_rxq_info rxq = { .ifindex = 1, .frag_size = 4096 };
	struct rte_xdp_prog *allow, *deny;
	struct rte_xdp_prog_info pi;
	uint32_t key = 80 << 8, v[2];
	uint64_t flags = 2 | 4;	/* destination, TCP */
	struct rte_mbuf *m[2];
	char err[1024];
	unsigned int c, k;

	for (c = 0; c < RTE_DIM(cpus); c++) {
		struct rte_xdp_obj *obj = load("xdp_filtershape", cpus[c], err,
			sizeof(err));

		TEST_ASSERT_NOT_NULL(obj, "%s: %s", cpus[c], err);
		allow = rte_xdp_obj_find_prog(obj, "xdp_filter_allow");
		deny = rte_xdp_obj_find_prog(obj, "xdp_filter_deny");
		TEST_ASSERT(allow != NULL && deny != NULL, "programs");
		TEST_ASSERT_SUCCESS(rte_xdp_prog_info(allow, &pi), "info");
		TEST_ASSERT(pi.jited_size != 0, "%s: JIT-compiled", cpus[c]);
		for (k = 0; k < 2; k++) {
			if (k == 1)
				TEST_ASSERT_SUCCESS(rte_xdp_map_update(
					rte_xdp_obj_find_map(obj, "rules_port"),
					&key, &flags, 0), "port rule");
			m[0] = frame(0x0800, 60);
			m[1] = frame(0x0800, 60);
			TEST_ASSERT(m[0] != NULL && m[1] != NULL, "mbufs");
			memcpy(rte_pktmbuf_mtod(m[0], uint8_t *) + 12,
				v4_tcp80, sizeof(v4_tcp80));
			memcpy(rte_pktmbuf_mtod(m[1], uint8_t *) + 12,
				v4_tcp80, sizeof(v4_tcp80));
			rte_xdp_prog_run_burst(allow, &rxq, &m[0], 1, &v[0],
				NULL);
			rte_xdp_prog_run_burst(deny, &rxq, &m[1], 1, &v[1],
				NULL);
			TEST_ASSERT_EQUAL(v[0], k ? RTE_XDP_DROP : RTE_XDP_PASS,
				"%s: allow, rule %u", cpus[c], k);
			TEST_ASSERT_EQUAL(v[1], k ? RTE_XDP_PASS : RTE_XDP_DROP,
				"%s: deny, rule %u", cpus[c], k);
			rte_pktmbuf_free(m[0]);
			rte_pktmbuf_free(m[1]);
		}
		rte_xdp_obj_close(obj);
	}
	return TEST_SUCCESS;
}

static struct unit_test_suite loader_suite = {
	.suite_name = "xdp loader",
	.setup = loader_setup,
	.teardown = loader_teardown,
	.unit_test_cases = {
		TEST_CASE(test_xdp_count_run),
		TEST_CASE(test_xdp_array_lookup_direct),
		TEST_CASE(test_xdp_adjust_run),
		TEST_CASE(test_xdp_meta_run),
		TEST_CASE(test_xdp_clamp_run),
		TEST_CASE(test_xdp_jmp32_spill_run),
		TEST_CASE(test_xdp_devmap_autoload),
		TEST_CASE(test_xdp_branchy_run),
		TEST_CASES_END(),
	},
};

static int
xdp_loader_autotest(void)
{
	return unit_test_suite_runner(&loader_suite);
}
REGISTER_TEST_COMMAND(xdp_loader_autotest, xdp_loader_autotest);

static size_t
heap_allocated(void)
{
	struct rte_malloc_socket_stats st;
	unsigned int s;
	size_t sum = 0;

	for (s = 0; s < rte_socket_count(); s++)
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(s),
				&st) == 0)
			sum += st.heap_allocsz_bytes;
	return sum;
}

static char tmp_obj[64];

static const char *
write_tmp(const void *buf, size_t len)
{
	FILE *f;
	int fd;

	strcpy(tmp_obj, "/tmp/xdp_safetyXXXXXX");
	fd = mkstemp(tmp_obj);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	if (f == NULL || fwrite(buf, 1, len, f) != len) {
		if (f != NULL)
			fclose(f);
		unlink(tmp_obj);
		return NULL;
	}
	fclose(f);
	return tmp_obj;
}

/* Refused, naming the reason, with nothing left allocated. */
static int
expect_refused(const char *path, const char *what)
{
	size_t before = heap_allocated(), after;
	char err[2048] = "";
	struct rte_xdp_obj *obj = load_path(path, err, sizeof(err));

	after = heap_allocated();
	if (obj != NULL) {
		rte_xdp_obj_close(obj);
		printf("%s loaded but must be refused\n", path);
		return TEST_FAILED;
	}
	printf("%s refused: %s\n", strrchr(path, '/') + 1, err);
	if (strstr(err, what) == NULL) {
		printf("error does not say \"%s\"\n", what);
		return TEST_FAILED;
	}
	if (after != before) {
		printf("DPDK heap: %zu bytes allocated before, %zu after\n",
			before, after);
		return TEST_FAILED;
	}
	return TEST_SUCCESS;
}

/*
 * The negative objects of issue 3, under the builtin policy (the kernel
 * policy is exercised by the xdp_kernel_diff test): each refused with its
 * reason, the heap as it was, and a program loaded before still runs.
 */
static int
test_xdp_refused(void)
{
	static const struct {
		const char *name, *what;
	} bad[] = {
		{ "xdp_bad_loop", "loop" },
		{ "xdp_bad_helper", "helper 14" },
		{ "xdp_bad_oob", "boundary violation" },
		{ "xdp_bad_null", "may be NULL" },
		{ "xdp_bad_maptype", "map type not supported" },
	};
	/* what rte_bpf accepts and would crash or hang on (DESIGN.md 6) */
	static const struct {
		const char *name, *what;
	} bad_v3[] = {
		{ "xdp_bad_reg", "R15 is invalid" },
		{ "xdp_bad_shift", "invalid shift" },
		{ "xdp_bad_ldimm", "jump into the middle of an LD_IMM64" },
		{ "xdp_bad_ptrsub", "R2 is not a pointer" },
		{ "xdp_bad_ptrctx", "may or may not be the context" },
		{ "xdp_bad_ptradd", "pointer += pointer prohibited" },
		{ "xdp_bad_trunc", "R2 is not a pointer to memory" },
		{ "xdp_bad_spinlock", "not the struct bpf_spin_lock" },
		{ "xdp_bad_lockword", "cannot be accessed directly" },
		{ "xdp_bad_lockhelper", "cannot be accessed directly" },
	};
	struct rte_xdp_rxq_info rxq = { .ifindex = 1, .frag_size = 4096 };
	char err[1024];
	struct rte_xdp_obj *good;
	struct rte_mbuf *m;
	unsigned int c, k;
	uint32_t v;

	good = load("xdp_count", "v2", err, sizeof(err));
	TEST_ASSERT_NOT_NULL(good, "%s", err);
	for (c = 0; c < RTE_DIM(all_cpus); c++)
		for (k = 0; k < RTE_DIM(bad); k++)
			TEST_ASSERT_SUCCESS(expect_refused(
				test_bpf_obj_cpu(bad[k].name, all_cpus[c]),
				bad[k].what), "%s_%s",
				bad[k].name, all_cpus[c]);
	for (k = 0; k < RTE_DIM(bad_v3); k++)
		TEST_ASSERT_SUCCESS(expect_refused(
			test_bpf_obj_cpu(bad_v3[k].name, "v3"), bad_v3[k].what),
			"%s_v3", bad_v3[k].name);
	TEST_ASSERT_SUCCESS(expect_refused(test_bpf_obj(NULL, "xdp_bad_big"),
		"too large"), "oversize");
	/* rte_bpf's validator skips the second edge of a first jump */
	TEST_ASSERT_SUCCESS(expect_refused(test_bpf_obj(NULL, "xdp_bad_first"),
		"boundary violation"), "first jump");
	m = frame(0x86dd, 60);
	TEST_ASSERT_NOT_NULL(m, "mbuf");
	rte_xdp_prog_run_burst(rte_xdp_obj_prog(good, 0), &rxq, &m, 1, &v,
		NULL);
	TEST_ASSERT_EQUAL(v, RTE_XDP_DROP, "loaded program still runs");
	rte_pktmbuf_free(m);
	rte_xdp_obj_close(good);
	return TEST_SUCCESS;
}

/* Not an object, a truncated one (at several lengths), no file. */
static int
test_xdp_malformed(void)
{
	static const size_t cuts[] = { 4, 63, 64, 300, 900, 2000 };
	const char *path;
	uint8_t *buf;
	unsigned int k;
	long len;
	FILE *f;
	int ret;

	path = write_tmp("\177ELF this is not an object", 26);
	TEST_ASSERT_NOT_NULL(path, "temp file");
	ret = expect_refused(path, "ELF");
	unlink(path);
	TEST_ASSERT_SUCCESS(ret, "malformed");
	f = fopen(test_bpf_obj_cpu("xdp_count", "v2"), "rb");
	TEST_ASSERT_NOT_NULL(f, "object");
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc(len);
	if (buf == NULL || fread(buf, 1, len, f) != (size_t)len) {
		free(buf);
		fclose(f);
		return TEST_FAILED;
	}
	fclose(f);
	for (k = 0, ret = 0; k < RTE_DIM(cuts) && ret == 0; k++) {
		path = write_tmp(buf, RTE_MIN(cuts[k], (size_t)len - 1));
		if (path == NULL)
			break;
		ret = expect_refused(path, "ELF");
		unlink(path);
	}
	free(buf);
	TEST_ASSERT(k == RTE_DIM(cuts) && ret == 0, "truncated objects");
	TEST_ASSERT_SUCCESS(expect_refused("/nonexistent/x.o",
		"No such file"), "missing file");
	return TEST_SUCCESS;
}

/*
 * The objects the fuzzers found crashing, hanging or leaking
 * (test/fuzz/corpus/fuzz_obj_loader/regress-*, doc/hardening.md): each
 * refused with its reason, or loaded and run.
 */
static int
test_xdp_fuzz_regressions(void)
{
	static const struct {
		const char *file, *what;
	} bad[] = {
		{ "regress-rewrite-dst-reg-15", "R15 is invalid" },
		{ "regress-rewrite-src-reg-15", "R15 is invalid" },
		{ "regress-rewrite-ptr-minus-ptr-store", "not a pointer" },
		{ "regress-rewrite-alu32-truncated-pointer-arg",
			"not a pointer to memory" },
		{ "regress-rte_bpf-jit-shift-imm", "invalid shift" },
		{ "regress-spin-lock-on-ctx-hangs", "R1 is not a pointer" },
		{ "regress-libbpf-btf-var-type", "section .BTF" },
		{ "regress-libbpf-btf-extern-name-offset",
			"name outside the string section" },
		{ "regress-libbpf-sym-offset-wrap", "ends past its section" },
		{ "regress-obj-two-symtabs-leak", "two symbol tables" },
		{ "regress-obj-two-rel-sections-leak",
			"two relocation sections for section" },
		{ "regress-obj-two-maps-rel-sections-leak",
			"two relocation sections for .maps" },
		{ "regress-obj-datasec-size-1.6G", "above the limit" },
		{ "regress-rte_bpf-validate-empty-program",
			"has no instructions" },
		{ "regress-rte_bpf-validate-jump-into-ld-imm64",
			"jump into the middle of an LD_IMM64" },
		{ "regress-rte_bpf-validate-function-falls-off",
			"last insn is not an exit or jmp" },
		{ "regress-rewrite-pkt-minus-ctx-store",
			"may or may not be the context" },
	};
	/* DPDK's JIT: w0 /= w0 raised SIGFPE; a 32-bit division cut the
	 * map value pointer in R0 to 32 bits, stored through next; a lock
	 * word a map update overwrote was spun on forever; "test $0, %r3"
	 * was encoded one immediate byte short; its second program was
	 * laid out anew after its jumps were aimed (SIGSEGV) */
	static const char *const run[] = {
		"regress-rte_bpf-jit-div-r0-by-r0",
		"regress-rte_bpf-jit-div32-clears-r0",
		"regress-hash-crc-misaligned-key",
		"regress-spin-lock-word-overwritten-hangs",
		"regress-rte_bpf-jit-jset-imm8",
		"regress-rte_bpf-jit-stale-jump-targets",
	};
	const char *dir = XDP_TEST_SRCDIR "/test/fuzz/corpus/fuzz_obj_loader";
	struct rte_xdp_rxq_info rxq = { .ifindex = 1, .frag_size = 4096 };
	char path[PATH_MAX], err[1024] = "";
	struct rte_xdp_obj *obj;
	struct rte_mbuf *m;
	unsigned int i, k;
	uint32_t v;

	for (k = 0; k < RTE_DIM(bad); k++) {
		snprintf(path, sizeof(path), "%s/%s", dir, bad[k].file);
		TEST_ASSERT_SUCCESS(expect_refused(path, bad[k].what), "%s",
			bad[k].file);
	}
	for (k = 0; k < RTE_DIM(run); k++) {
		snprintf(path, sizeof(path), "%s/%s", dir, run[k]);
		obj = load_path(path, err, sizeof(err));
		TEST_ASSERT_NOT_NULL(obj, "%s: %s", run[k], err);
		for (i = 0; i < rte_xdp_obj_nb_progs(obj); i++) {
			m = frame(0x0800, 60);
			TEST_ASSERT_NOT_NULL(m, "mbuf");
			rte_xdp_prog_run_burst(rte_xdp_obj_prog(obj, i), &rxq,
				&m, 1, &v, NULL);
			rte_pktmbuf_free(m);
		}
		rte_xdp_obj_close(obj);
	}
	return TEST_SUCCESS;
}

/*
 * rte_bpf's x86 JIT calls helpers with a stack whose alignment depends on
 * the program (its stack size, the registers it saves). csum_diff sums
 * with SSE2 on a 16-byte aligned stack block: from programs of both stack
 * parities, JIT-ed, it must run (without force_align_arg_pointer on the
 * helpers, one of them faults) and give the kernel's checksum.
 */
static int
test_xdp_stack_align(void)
{
	static const uint32_t w24[] = { 1, 2, 3, 4, 5, 0xffffffff };
	static const uint32_t w32[] = { 1, 2, 3, 4, 5, 6, 7, 0xfffffff0 };
	struct rte_xdp_rxq_info rxq = { .ifindex = 1, .frag_size = 4096 };
	struct rte_xdp_prog_info pi;
	unsigned int c, p, i, n;
	char err[1024];

	for (c = 0; c < RTE_DIM(all_cpus); c++) {
		struct rte_xdp_obj *obj = load("xdp_csum", all_cpus[c], err,
			sizeof(err));

		TEST_ASSERT_NOT_NULL(obj, "%s: %s", all_cpus[c], err);
		for (p = 0; p < rte_xdp_obj_nb_progs(obj); p++) {
			struct rte_xdp_prog *prog = rte_xdp_obj_prog(obj, p);
			const uint32_t *w = p == 0 ? w24 : w32;
			struct rte_mbuf *m = frame(0x0800, 60);
			uint64_t sum = 0;
			uint32_t v, got;

			TEST_ASSERT_NOT_NULL(m, "mbuf");
			rte_xdp_prog_info(prog, &pi);
			TEST_ASSERT(pi.jited_size != 0, "%s JIT-ed", pi.name);
			n = p == 0 ? RTE_DIM(w24) : RTE_DIM(w32);
			for (i = 0; i < n; i++)
				sum += w[i];
			while (sum >> 16)
				sum = (sum & 0xffff) + (sum >> 16);
			rte_xdp_prog_run_burst(prog, &rxq, &m, 1, &v, NULL);
			TEST_ASSERT_EQUAL(v, RTE_XDP_PASS, "%s", pi.name);
			memcpy(&got, rte_pktmbuf_mtod(m, uint8_t *) + 14, 4);
			TEST_ASSERT_EQUAL(got, sum, "%s_%s: checksum", pi.name,
				all_cpus[c]);
			rte_pktmbuf_free(m);
		}
		rte_xdp_obj_close(obj);
	}
	return TEST_SUCCESS;
}

static int
safety_setup(void)
{
	struct rte_xdp_obj *obj;
	char err[256];
	int ret = loader_setup();

	if (ret != TEST_SUCCESS)
		return ret;
	/* the first load registers the mbuf metadata field, once */
	obj = load("xdp_pass", "v2", err, sizeof(err));
	rte_xdp_obj_close(obj);
	return obj != NULL ? TEST_SUCCESS : TEST_FAILED;
}

static struct unit_test_suite safety_suite = {
	.suite_name = "xdp safety",
	.setup = safety_setup,
	.teardown = loader_teardown,
	.unit_test_cases = {
		TEST_CASE(test_xdp_refused),
		TEST_CASE(test_xdp_malformed),
		TEST_CASE(test_xdp_fuzz_regressions),
		TEST_CASE(test_xdp_stack_align),
		TEST_CASES_END(),
	},
};

static int
xdp_safety_autotest(void)
{
	return unit_test_suite_runner(&safety_suite);
}
REGISTER_TEST_COMMAND(xdp_safety_autotest, xdp_safety_autotest);

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
	struct rte_xdp_map_def d = { 22 /* QUEUE */, 0, 4, 4, 0 };

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
