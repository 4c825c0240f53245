/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_features_autotest: the runtime features public XDP programs use,
 * through the C API (the kernel differential test checks their
 * semantics against the kernel, through dpdk-xdp):
 *  - tail calls: a prog array filled with program ids, the chain and
 *    the 33-call limit, a missing slot falling through;
 *  - maps of maps: inner maps by id, the template check, an inner map
 *    outliving its creator while held;
 *  - perf event arrays and ring buffers read by their consumers,
 *    packet samples included;
 *  - map sizes set before load, legacy SEC("maps") objects, sections
 *    loaded as XDP on request, programs that are not XDP listed;
 *  - refusals naming the cause: kfuncs, too deep calls, loops without a
 *    constant bound; bounded loops unrolled;
 *  - bpf_spin_lock: map updates and lookups around the lock word.
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_mbuf.h>

#include "rte_xdp_events.h"
#include "rte_xdp_prog.h"
#include "test.h"
#include "test_ports.h"

static struct rte_mempool *pool;

static int
features_setup(void)
{
	if (access(test_bpf_obj_cpu("xdp_tailcall", "v3"), R_OK) != 0)
		TEST_SKIP("test BPF objects not built (clang missing?)");
	pool = rte_pktmbuf_pool_create(test_unique("xdpft"), 63, 0, 0,
		4096 + RTE_PKTMBUF_HEADROOM, SOCKET_ID_ANY);
	return pool != NULL ? TEST_SUCCESS : TEST_FAILED;
}

static void
features_teardown(void)
{
	rte_mempool_free(pool);
	pool = NULL;
}

static struct rte_xdp_obj *
open_obj(const char *path, int force_xdp, char *err, size_t len)
{
	struct rte_xdp_obj_opts o = {
		.verify = RTE_XDP_VERIFY_BUILTIN, .socket_id = SOCKET_ID_ANY,
		.force_xdp = force_xdp,
	};

	return rte_xdp_obj_open(path, &o, err, len);
}

static struct rte_xdp_obj *
load(const char *name, const char *cpu, char *err, size_t len)
{
	struct rte_xdp_obj *obj = open_obj(test_bpf_obj_cpu(name, cpu), 0,
		err, len);

	if (obj != NULL && rte_xdp_obj_load(obj, err, len) != 0) {
		rte_xdp_obj_close(obj);
		obj = NULL;
	}
	return obj;
}

static struct rte_mbuf *
frame(uint16_t ethertype, uint16_t len, uint8_t b14)
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
	d[14] = b14;
	m->data_len = m->pkt_len = len;
	return m;
}

static uint32_t
run1(struct rte_xdp_prog *prog, struct rte_mbuf *m)
{
	struct rte_xdp_rxq_info rxq = { .ifindex = 1, .frag_size = 4096 };
	uint32_t v;

	rte_xdp_prog_run_burst(prog, &rxq, &m, 1, &v, NULL);
	return v;
}

static int
test_tail_calls(void)
{
	static const char *const slots[][2] = {
		{ "\x01", "xdp_tc_stage1" }, { "\x02", "xdp_tc_stage2" },
		{ "\x03", "xdp_tc_loop" },
	};
	struct rte_xdp_obj *obj;
	struct rte_xdp_map *jmp, *hits;
	struct rte_mbuf *m;
	uint32_t k, id, got;
	uint64_t n;
	char err[1024];

	obj = load("xdp_tailcall", "v3", err, sizeof(err));
	TEST_ASSERT_NOT_NULL(obj, "%s", err);
	jmp = rte_xdp_obj_find_map(obj, "jmp");
	hits = rte_xdp_obj_find_map(obj, "hits");
	TEST_ASSERT(jmp != NULL && hits != NULL, "maps");
	for (k = 0; k < RTE_DIM(slots); k++) {
		uint32_t key = slots[k][0][0];

		id = rte_xdp_prog_id(rte_xdp_obj_find_prog(obj, slots[k][1]));
		TEST_ASSERT(id != 0, "program id");
		TEST_ASSERT_SUCCESS(rte_xdp_map_update(jmp, &key, &id,
			RTE_XDP_ANY), "slot %u", key);
		TEST_ASSERT_SUCCESS(rte_xdp_map_lookup(jmp, &key, &got),
			"lookup");
		TEST_ASSERT_EQUAL(got, id, "the slot gives the program id");
	}
	k = 1;
	id = 999999;
	TEST_ASSERT_EQUAL(rte_xdp_map_update(jmp, &k, &id, RTE_XDP_ANY),
		-EBADF, "no such program");
	TEST_ASSERT_EQUAL(rte_xdp_map_update(jmp, &k, &got, RTE_XDP_NOEXIST),
		-EINVAL, "prog arrays take BPF_ANY only");
	/* EtherType low bits pick the slot: 1 stage1 -> stage2 (TX) */
	m = frame(0x0801, 60, 0);
	TEST_ASSERT_NOT_NULL(m, "mbuf");
	TEST_ASSERT_EQUAL(run1(rte_xdp_obj_find_prog(obj, "xdp_tc_root"), m),
		RTE_XDP_TX, "root -> stage1 -> stage2");
	TEST_ASSERT_EQUAL(m->data_off, RTE_XDP_PACKET_HEADROOM + 2,
		"stage1's head move seen after the tail call");
	rte_pktmbuf_free(m);
	/* 5: empty slot: the root goes on */
	m = frame(0x0805, 60, 0);
	TEST_ASSERT_EQUAL(run1(rte_xdp_obj_find_prog(obj, "xdp_tc_root"), m),
		RTE_XDP_PASS, "missing slot falls through");
	rte_pktmbuf_free(m);
	/* the self tail call stops after 33 */
	k = 4;
	n = 0;
	TEST_ASSERT_SUCCESS(rte_xdp_map_update(hits, &k, &n, RTE_XDP_ANY),
		"reset");
	m = frame(0x0800, 60, 0);
	TEST_ASSERT_EQUAL(run1(rte_xdp_obj_find_prog(obj, "xdp_tc_loop"), m),
		RTE_XDP_PASS, "loop verdict");
	rte_pktmbuf_free(m);
	TEST_ASSERT_SUCCESS(rte_xdp_map_lookup(hits, &k, &n), "hits");
	TEST_ASSERT_EQUAL(n, 34, "1 run + 33 tail calls");
	k = 2;
	TEST_ASSERT_SUCCESS(rte_xdp_map_delete(jmp, &k), "delete");
	TEST_ASSERT_EQUAL(rte_xdp_map_delete(jmp, &k), -ENOENT, "again");
	rte_xdp_obj_close(obj);
	return TEST_SUCCESS;
}

static int
test_map_of_maps(void)
{
	struct rte_xdp_map_def inner = {
		RTE_XDP_MAP_ARRAY, 4, 8, 4, 0,
	}, outer = { RTE_XDP_MAP_ARRAY_OF_MAPS, 4, 4, 2, 0 }, other = inner;
	struct rte_xdp_map *a, *b, *o;
	uint32_t k = 1, id, got;
	uint64_t v = 42;

	a = rte_xdp_map_create("inner_a", &inner, SOCKET_ID_ANY);
	other.value_size = 16;
	b = rte_xdp_map_create("inner_b", &other, SOCKET_ID_ANY);
	TEST_ASSERT(a != NULL && b != NULL, "inner maps");
	o = rte_xdp_map_create_of_maps("outer", &outer, a, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(o, "outer map");
	id = rte_xdp_map_id(a);
	TEST_ASSERT_EQUAL(rte_xdp_map_by_id(id), a, "map by id");
	TEST_ASSERT_SUCCESS(rte_xdp_map_update(o, &k, &id, RTE_XDP_ANY),
		"put inner");
	id = rte_xdp_map_id(b);
	TEST_ASSERT_EQUAL(rte_xdp_map_update(o, &k, &id, RTE_XDP_ANY),
		-EINVAL, "value size differs from the template");
	TEST_ASSERT_SUCCESS(rte_xdp_map_lookup(o, &k, &got), "lookup");
	TEST_ASSERT_EQUAL(got, rte_xdp_map_id(a), "gives the inner's id");
	/* freed by its creator: lives on in the outer map */
	k = 0;
	TEST_ASSERT_SUCCESS(rte_xdp_map_update(a, &k, &v, RTE_XDP_ANY), "set");
	id = rte_xdp_map_id(a);
	rte_xdp_map_free(a);
	TEST_ASSERT_NOT_NULL(rte_xdp_map_by_id(id), "still held");
	v = 0;
	TEST_ASSERT_SUCCESS(rte_xdp_map_lookup(rte_xdp_map_by_id(id), &k, &v),
		"read it");
	TEST_ASSERT_EQUAL(v, 42, "value kept");
	k = 1;
	TEST_ASSERT_SUCCESS(rte_xdp_map_delete(o, &k), "take it out");
	TEST_ASSERT_NULL(rte_xdp_map_by_id(id), "freed with its last holder");
	rte_xdp_map_free(o);
	rte_xdp_map_free(b);
	return TEST_SUCCESS;
}

struct samples {
	unsigned int nb;
	uint8_t first[64];
	uint32_t size;
};

static void
on_sample(void *arg, unsigned int cpu, const void *data, uint32_t size)
{
	struct samples *s = arg;

	RTE_SET_USED(cpu);
	if (s->nb++ == 0) {
		memcpy(s->first, data, RTE_MIN(size, (uint32_t)sizeof(s->first)));
		s->size = size;
	}
}

static int
on_record(void *arg, void *data, size_t size)
{
	unsigned int *n = arg;

	RTE_SET_USED(data);
	if (size != 8)
		return -1;
	(*n)++;
	return 0;
}

static int
test_events(void)
{
	struct rte_xdp_obj *obj;
	struct rte_xdp_perf_buffer *pb;
	struct rte_xdp_ring_buffer *rb;
	struct samples smp = { 0 };
	struct rte_mbuf *m;
	unsigned int records = 0;
	uint32_t k = 0;
	int64_t r;
	char err[1024];

	obj = load("xdp_events", "v3", err, sizeof(err));
	TEST_ASSERT_NOT_NULL(obj, "%s", err);
	/* no reader: -ENOENT, as without a perf event in the kernel */
	m = frame(0x0800, 80, 20);
	TEST_ASSERT_NOT_NULL(m, "mbuf");
	run1(rte_xdp_obj_prog(obj, 0), m);
	TEST_ASSERT_SUCCESS(rte_xdp_map_lookup(rte_xdp_obj_find_map(obj,
		"results"), &k, &r), "result");
	TEST_ASSERT_EQUAL(r, -ENOENT, "no perf buffer yet");
	pb = rte_xdp_perf_buffer_new(rte_xdp_obj_find_map(obj, "samples"), 4,
		on_sample, NULL, &smp);
	TEST_ASSERT_NOT_NULL(pb, "perf buffer");
	run1(rte_xdp_obj_prog(obj, 0), m);
	TEST_ASSERT_SUCCESS(rte_xdp_map_lookup(rte_xdp_obj_find_map(obj,
		"results"), &k, &r), "result");
	TEST_ASSERT_EQUAL(r, 0, "sample sent");
	TEST_ASSERT_EQUAL(rte_xdp_perf_buffer_poll(pb, 0), 1, "one sample");
	/* 8-byte header then 20 bytes of the frame, padded */
	TEST_ASSERT_EQUAL(smp.size, RTE_ALIGN_CEIL(8 + 20 + 4, 8) - 4,
		"raw sample size");
	TEST_ASSERT(smp.first[0] == 0x01 && smp.first[1] == 0xdd, "cookie");
	TEST_ASSERT(smp.first[8] == 0x00 && smp.first[9] == 0x11 &&
		smp.first[8 + 14] == 20, "packet bytes follow");
	rte_pktmbuf_free(m);
	rte_xdp_perf_buffer_free(pb);
	rb = rte_xdp_ring_buffer_new(rte_xdp_obj_find_map(obj, "flows"),
		on_record, &records);
	TEST_ASSERT_NOT_NULL(rb, "ring buffer");
	TEST_ASSERT_EQUAL(rte_xdp_ring_buffer_consume(rb), 4,
		"two runs, output + submit each (discards skipped)");
	TEST_ASSERT_EQUAL(records, 4, "records");
	TEST_ASSERT_EQUAL(rte_xdp_ring_buffer_consume(rb), 0, "consumed");
	rte_xdp_ring_buffer_free(rb);
	rte_xdp_obj_close(obj);
	return TEST_SUCCESS;
}

static int
test_objects(void)
{
	struct rte_xdp_obj *obj;
	char err[1024];

	/* a size left to the loader */
	obj = open_obj(test_bpf_obj_cpu("xdp_sized", "v3"), 0, err,
		sizeof(err));
	TEST_ASSERT_NOT_NULL(obj, "%s", err);
	TEST_ASSERT_FAIL(rte_xdp_obj_load(obj, err, sizeof(err)), "size 0");
	TEST_ASSERT(strstr(err, "flows") && strstr(err, "max_entries"),
		"names the map: %s", err);
	TEST_ASSERT_SUCCESS(rte_xdp_obj_set_max_entries(obj, "flows", 32),
		"set");
	TEST_ASSERT_SUCCESS(rte_xdp_obj_load(obj, err, sizeof(err)), "%s",
		err);
	TEST_ASSERT_EQUAL(rte_xdp_map_def(rte_xdp_obj_find_map(obj,
		"flows"))->max_entries, 32, "sized");
	rte_xdp_obj_close(obj);
	/* legacy SEC("maps") */
	obj = load("xdp_legacy", "v3", err, sizeof(err));
	TEST_ASSERT_NOT_NULL(obj, "%s", err);
	TEST_ASSERT_EQUAL(rte_xdp_map_def(rte_xdp_obj_find_map(obj,
		"seen"))->key_size, 2, "legacy map definition");
	rte_xdp_obj_close(obj);
	/* a section libbpf does not know: XDP on request only */
	obj = open_obj(test_bpf_obj_cpu("xdp_legacy_btf", "v3"), 0, err,
		sizeof(err));
	TEST_ASSERT_NULL(obj, "unknown section");
	TEST_ASSERT(strstr(err, "type xdp") != NULL, "%s", err);
	obj = open_obj(test_bpf_obj_cpu("xdp_legacy_btf", "v3"), 1, err,
		sizeof(err));
	TEST_ASSERT_NOT_NULL(obj, "%s", err);
	TEST_ASSERT_SUCCESS(rte_xdp_obj_load(obj, err, sizeof(err)), "%s",
		err);
	rte_xdp_obj_close(obj);
	/* tracepoint programs: listed, not loaded */
	obj = load("xdp_monitor", "v3", err, sizeof(err));
	TEST_ASSERT_NOT_NULL(obj, "%s", err);
	TEST_ASSERT_EQUAL(rte_xdp_obj_nb_progs(obj), 1, "the XDP one");
	TEST_ASSERT(strstr(rte_xdp_obj_not_xdp(obj), "trace_exception") &&
		strstr(rte_xdp_obj_not_xdp(obj), "tracepoint"), "%s",
		rte_xdp_obj_not_xdp(obj));
	rte_xdp_obj_close(obj);
	return TEST_SUCCESS;
}

static int
test_refusals_and_loops(void)
{
	static const struct {
		const char *name, *cpu, *why;
	} bad[] = {
		{ "xdp_bad_kfunc", "v3", "kfunc bpf_xdp_ct_lookup" },
		{ "xdp_bad_deep", "v3", "9 frames is too deep" },
		{ "xdp_bad_loop", "v3", "not bounded by a constant" },
	};
	struct rte_xdp_obj *obj;
	unsigned int k;
	char err[1024];

	for (k = 0; k < RTE_DIM(bad); k++) {
		obj = load(bad[k].name, bad[k].cpu, err, sizeof(err));
		TEST_ASSERT_NULL(obj, "%s refused", bad[k].name);
		TEST_ASSERT(strstr(err, bad[k].why) != NULL, "%s: %s",
			bad[k].name, err);
	}
	obj = load("xdp_bounded", "v3", err, sizeof(err));
	TEST_ASSERT_NOT_NULL(obj, "bounded loops unrolled: %s", err);
	rte_xdp_obj_close(obj);
	return TEST_SUCCESS;
}

/*
 * A map value with a struct bpf_spin_lock between its fields: updates
 * from the control plane and from a program (all-ones bytes) leave the
 * lock word alone, as the kernel's copy_map_value() does, and lookups show
 * it as zero. Written over, each bpf_spin_lock() would first spin its
 * bound out (about 25 ms): 100 runs would take seconds.
 */
static int
test_spin_lock(void)
{
	struct locked_val {
		uint64_t before;
		uint32_t lock;
		uint32_t after;
		uint64_t count;
	} ones, got;
	struct rte_xdp_prog *count, *overwrite;
	struct rte_xdp_obj *obj;
	struct rte_xdp_map *map;
	uint32_t key = 0, v = 0;
	uint64_t t0, took;
	unsigned int k;
	char err[1024];

	obj = load("xdp_spinlock", "v3", err, sizeof(err));
	TEST_ASSERT_NOT_NULL(obj, "%s", err);
	map = rte_xdp_obj_find_map(obj, "locked");
	count = rte_xdp_obj_find_prog(obj, "xdp_lock_count");
	overwrite = rte_xdp_obj_find_prog(obj, "xdp_lock_overwrite");
	TEST_ASSERT(map != NULL && count != NULL && overwrite != NULL,
		"map and programs");
	memset(&ones, 0xff, sizeof(ones));
	TEST_ASSERT_SUCCESS(rte_xdp_map_update(map, &key, &ones, 0),
		"update");
	TEST_ASSERT_SUCCESS(rte_xdp_map_lookup(map, &key, &got), "lookup");
	TEST_ASSERT(got.lock == 0 && got.before == UINT64_MAX &&
		got.after == UINT32_MAX && got.count == UINT64_MAX,
		"control-plane update around the lock word");
	t0 = rte_get_timer_cycles();
	for (k = 0; k < 100; k++) {
		struct rte_mbuf *m;

		TEST_ASSERT_SUCCESS(rte_xdp_map_update(map, &key, &ones, 0),
			"update");
		m = frame(0x0800, 60, 0);
		TEST_ASSERT_NOT_NULL(m, "mbuf");
		v = run1(overwrite, m);
		rte_pktmbuf_free(m);
		if (v != RTE_XDP_PASS)
			break;
	}
	took = rte_get_timer_cycles() - t0;
	TEST_ASSERT_EQUAL(v, RTE_XDP_PASS, "xdp_lock_overwrite");
	TEST_ASSERT(took < rte_get_timer_hz(),
		"100 locks took %.2f s: the lock word was written over",
		(double)took / rte_get_timer_hz());
	for (k = 0; k < 5; k++) {
		struct rte_mbuf *m = frame(0x0800, 60, 0);

		TEST_ASSERT_NOT_NULL(m, "mbuf");
		TEST_ASSERT_EQUAL(run1(count, m), RTE_XDP_PASS, "count");
		rte_pktmbuf_free(m);
	}
	TEST_ASSERT_SUCCESS(rte_xdp_map_lookup(map, &key, &got), "lookup");
	TEST_ASSERT(got.lock == 0 && got.before == 5 &&
		got.after == 0x5a5a5a5a && got.count == 5,
		"values after the runs: %" PRIu64 " %u %" PRIu64,
		got.before, got.after, got.count);
	rte_xdp_obj_close(obj);
	obj = load("xdp_bad_lockword", "v3", err, sizeof(err));
	TEST_ASSERT_NULL(obj, "a store into the lock word refused");
	TEST_ASSERT(strstr(err, "cannot be accessed directly") != NULL,
		"%s", err);
	return TEST_SUCCESS;
}

static struct unit_test_suite features_suite = {
	.suite_name = "XDP runtime features",
	.setup = features_setup,
	.teardown = features_teardown,
	.unit_test_cases = {
		TEST_CASE(test_tail_calls),
		TEST_CASE(test_map_of_maps),
		TEST_CASE(test_events),
		TEST_CASE(test_objects),
		TEST_CASE(test_refusals_and_loops),
		TEST_CASE(test_spin_lock),
		TEST_CASES_END(),
	},
};

static int
xdp_features_autotest(void)
{
	return unit_test_suite_runner(&features_suite);
}
REGISTER_TEST_COMMAND(xdp_features_autotest, xdp_features_autotest);
