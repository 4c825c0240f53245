/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_map_mem_autotest: the memory of maps. Per-CPU maps sized as the
 * kernel sizes them, by the CPUs there are (here: the lcore ids EAL gave,
 * then one slot for other threads), not by RTE_MAX_LCORE: the number of
 * slots, the memory a large per-CPU hash takes (the shape of
 * bpf-examples' pping aggregation maps), the slot a program writes and
 * bpf_get_smp_processor_id() returns on the main lcore, on a worker lcore
 * and on a thread that is not an lcore, perf event buffers on every
 * slot. A map larger than the EAL's memory: refused with what it needs
 * and the EAL option that gives it, the DPDK heap as it was.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "rte_xdp_events.h"
#include "rte_xdp_prog.h"
#include "test.h"
#include "test_ports.h"

static struct rte_mempool *pool;

static int
percpu_setup(void)
{
	if (access(test_bpf_obj_cpu("xdp_helpers", "v3"), R_OK) != 0)
		TEST_SKIP("test BPF objects not built (clang missing?)");
	pool = rte_pktmbuf_pool_create(test_unique("xdpc"), 127, 0, 0,
		4096 + RTE_PKTMBUF_HEADROOM, SOCKET_ID_ANY);
	return pool != NULL ? TEST_SUCCESS : TEST_FAILED;
}

static void
percpu_teardown(void)
{
	rte_mempool_free(pool);
	pool = NULL;
}

/* The slots the library must have: lcore ids up to the highest, + 1. */
static unsigned int
expected_slots(void)
{
	unsigned int id, highest = 0;

	for (id = 0; id < RTE_MAX_LCORE; id++)
		if (rte_eal_lcore_role(id) != ROLE_OFF)
			highest = id;
	return highest + 2;
}

static int
test_percpu_slots(void)
{
	struct rte_xdp_map_def d = { RTE_XDP_MAP_PERCPU_ARRAY, 4, 12, 2, 0 };
	struct rte_xdp_map *m;
	unsigned int nb = rte_xdp_map_nb_cpus();

	printf("%u lcores, %u per-CPU slots (RTE_MAX_LCORE %d)\n",
		rte_lcore_count(), nb, RTE_MAX_LCORE);
	TEST_ASSERT_EQUAL(nb, expected_slots(),
		"one slot per lcore id, then one for other threads");
	m = rte_xdp_map_create("pc", &d, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(m, "create");
	TEST_ASSERT_EQUAL(rte_xdp_map_user_value_size(m), (size_t)16 * nb,
		"bpf(2) value buffer: one 8-byte-rounded value per slot");
	rte_xdp_map_free(m);
	return TEST_SUCCESS;
}

/*
 * pping's aggregation map: 16384 entries of a 1080-byte value, per CPU.
 * It takes what its values need, times the slots, and little more.
 */
static int
test_percpu_memory(void)
{
	static const uint32_t types[] = { RTE_XDP_MAP_PERCPU_HASH,
		RTE_XDP_MAP_PERCPU_ARRAY };
	unsigned int nb = rte_xdp_map_nb_cpus(), t;

	for (t = 0; t < RTE_DIM(types); t++) {
		struct rte_xdp_map_def d = { types[t], 4, 1080, 16384, 0 };
		size_t before = heap_bytes(), used, values;
		struct rte_xdp_map *m = rte_xdp_map_create("agg", &d,
			SOCKET_ID_ANY);

		TEST_ASSERT_NOT_NULL(m, "create type %u: %s", types[t],
			rte_strerror(rte_errno));
		used = heap_bytes() - before;
		values = (size_t)d.max_entries * RTE_ALIGN_CEIL(1080, 8) * nb;
		printf("type %u: %u x %u-byte values on %u slots: %zu KiB (values %zu KiB)\n",
			types[t], d.max_entries, d.value_size, nb, used >> 10,
			values >> 10);
		/* keys, links and buckets of the hash: 40 bytes an entry */
		TEST_ASSERT(used >= values &&
			used <= values + (size_t)d.max_entries * 40 + 65536,
			"memory: %zu bytes for %zu bytes of values", used,
			values);
		rte_xdp_map_free(m);
		TEST_ASSERT_EQUAL(heap_bytes(), before, "freed");
	}
	return TEST_SUCCESS;
}

struct run_on {
	struct rte_xdp_prog *prog;
	int ret;
};

static int
run_once(void *arg)
{
	struct rte_xdp_rxq_info rxq = { .ifindex = 1, .frag_size = 4096 };
	struct run_on *r = arg;
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint32_t v;

	r->ret = -1;
	if (m == NULL)
		return -1;
	m->data_off = RTE_XDP_PACKET_HEADROOM;
	memset(rte_pktmbuf_mtod(m, uint8_t *), 0, 80);
	m->data_len = m->pkt_len = 80;
	rte_xdp_prog_run_burst(r->prog, &rxq, &m, 1, &v, NULL);
	rte_pktmbuf_free(m);
	r->ret = v == RTE_XDP_PASS ? 0 : -1;
	return r->ret;
}

static void *
run_thread(void *arg)
{
	run_once(arg);
	return NULL;
}

/* xdp_helpers: bpf_get_smp_processor_id() in res[5], pcpu[0] += 5. */
static int
check_run(struct rte_xdp_obj *obj, unsigned int slot, const char *where)
{
	struct rte_xdp_map *pcpu = rte_xdp_obj_find_map(obj, "pcpu");
	struct rte_xdp_map *res = rte_xdp_obj_find_map(obj, "res");
	unsigned int nb = rte_xdp_map_nb_cpus(), c;
	uint64_t *vals, cpu;
	uint32_t k = 5;
	int ret = TEST_SUCCESS;

	vals = calloc(nb, sizeof(*vals));
	TEST_ASSERT_NOT_NULL(vals, "alloc");
	if (rte_xdp_map_lookup(res, &k, &cpu) != 0 || cpu != slot) {
		printf("%s: bpf_get_smp_processor_id() %" PRIu64 ", slot %u\n",
			where, cpu, slot);
		ret = TEST_FAILED;
	}
	k = 0;
	if (rte_xdp_map_lookup(pcpu, &k, vals) != 0)
		ret = TEST_FAILED;
	for (c = 0; c < nb && ret == TEST_SUCCESS; c++)
		if (vals[c] != (c == slot ? 5u : 0u)) {
			printf("%s: pcpu[0] on slot %u is %" PRIu64 "\n", where,
				c, vals[c]);
			ret = TEST_FAILED;
		}
	/* the next run starts from zero */
	memset(vals, 0, nb * sizeof(*vals));
	rte_xdp_map_update(pcpu, &k, vals, RTE_XDP_ANY);
	free(vals);
	return ret;
}

static int
test_percpu_slot_of_thread(void)
{
	struct rte_xdp_obj *obj;
	struct run_on r;
	unsigned int worker, nb = rte_xdp_map_nb_cpus();
	pthread_t t;

	obj = test_load_xdp(NULL, "xdp_helpers_v3", &r.prog);
	TEST_ASSERT_NOT_NULL(obj, "load xdp_helpers");
	TEST_ASSERT_SUCCESS(run_once(&r), "run on the main lcore");
	TEST_ASSERT_SUCCESS(check_run(obj, rte_lcore_id(), "main lcore"),
		"main lcore: its own slot");
	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker < RTE_MAX_LCORE) {
		TEST_ASSERT_SUCCESS(rte_eal_remote_launch(run_once, &r,
			worker), "launch");
		rte_eal_wait_lcore(worker);
		TEST_ASSERT_SUCCESS(r.ret, "run on lcore %u", worker);
		TEST_ASSERT_SUCCESS(check_run(obj, worker, "worker lcore"),
			"worker lcore %u: its own slot", worker);
	} else {
		printf("no worker lcore: main lcore and a thread only\n");
	}
	TEST_ASSERT_SUCCESS(pthread_create(&t, NULL, run_thread, &r),
		"thread");
	pthread_join(t, NULL);
	TEST_ASSERT_SUCCESS(r.ret, "run on a thread that is not an lcore");
	TEST_ASSERT_SUCCESS(check_run(obj, nb - 1, "non-EAL thread"),
		"a thread without an lcore id: the last slot");
	rte_xdp_obj_close(obj);
	return TEST_SUCCESS;
}

struct sample_seen {
	unsigned int n;
	unsigned int cpu;
};

static void
on_sample(void *arg, unsigned int cpu, const void *data, uint32_t size)
{
	struct sample_seen *s = arg;

	RTE_SET_USED(data);
	RTE_SET_USED(size);
	s->n++;
	s->cpu = cpu;
}

/* A perf buffer has a ring on every slot, the other threads' too. */
static int
test_percpu_perf_buffer(void)
{
	struct sample_seen seen = { 0 };
	struct rte_xdp_perf_buffer *pb;
	struct rte_xdp_map *samples;
	struct rte_xdp_obj *obj;
	struct run_on r;
	pthread_t t;

	obj = test_load_xdp(NULL, "xdp_events_v3", &r.prog);
	TEST_ASSERT_NOT_NULL(obj, "load xdp_events");
	samples = rte_xdp_obj_find_map(obj, "samples");
	TEST_ASSERT_EQUAL(rte_xdp_map_def(samples)->max_entries,
		rte_xdp_map_nb_cpus(),
		"max_entries 0: as many as there are CPU slots, as libbpf sizes it");
	pb = rte_xdp_perf_buffer_new(samples, 1, on_sample, NULL, &seen);
	TEST_ASSERT_NOT_NULL(pb, "perf buffer");
	TEST_ASSERT_SUCCESS(pthread_create(&t, NULL, run_thread, &r),
		"thread");
	pthread_join(t, NULL);
	TEST_ASSERT_SUCCESS(r.ret, "run");
	TEST_ASSERT_EQUAL(rte_xdp_perf_buffer_poll(pb, 0), 1, "one sample");
	TEST_ASSERT_EQUAL(seen.cpu, rte_xdp_map_nb_cpus() - 1,
		"from the last slot's ring");
	rte_xdp_perf_buffer_free(pb);
	rte_xdp_obj_close(obj);
	return TEST_SUCCESS;
}

struct burst_on {
	struct rte_xdp_prog *prog;
	unsigned int bursts;
	unsigned int *done;
	unsigned int cpu;
	int ret;
};

/* bursts of 32 frames, the same mbufs each time (XDP_PASS keeps them) */
static void *
run_bursts(void *arg)
{
	struct rte_xdp_rxq_info rxq = { .ifindex = 1, .frag_size = 4096 };
	struct burst_on *b = arg;
	struct rte_mbuf *m[32];
	uint32_t v[32];
	unsigned int i;
	cpu_set_t cpus;

	/* the producers on CPUs of their own, to overlap */
	CPU_ZERO(&cpus);
	CPU_SET(b->cpu, &cpus);
	pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus);
	b->ret = rte_pktmbuf_alloc_bulk(pool, m, RTE_DIM(m));
	if (b->ret != 0) {
		__atomic_fetch_add(b->done, 1, __ATOMIC_RELEASE);
		return NULL;
	}
	for (i = 0; i < RTE_DIM(m); i++) {
		m[i]->data_off = RTE_XDP_PACKET_HEADROOM;
		m[i]->data_len = m[i]->pkt_len = 60;
	}
	for (i = 0; i < b->bursts; i++)
		rte_xdp_prog_run_burst(b->prog, &rxq, m, RTE_DIM(m), v, NULL);
	rte_pktmbuf_free_bulk(m, RTE_DIM(m));
	__atomic_fetch_add(b->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

struct records_seen {
	unsigned int n, bad;
	uint64_t lost;
};

static void
on_record(void *arg, unsigned int cpu, const void *data, uint32_t size)
{
	struct records_seen *s = arg;
	uint32_t rec[2];

	RTE_SET_USED(cpu);
	s->n++;
	/* xdp_perf_sample's 8 bytes: a 12-byte raw sample */
	if (size != 12) {
		s->bad++;
		return;
	}
	memcpy(rec, data, sizeof(rec));
	if (rec[0] != 0x5a5a0001 || rec[1] != 60)
		s->bad++;
}

static void
on_lost(void *arg, unsigned int cpu, uint64_t lost)
{
	struct records_seen *s = arg;

	RTE_SET_USED(cpu);
	s->lost += lost;
}

/* Threads without an lcore id share the last slot's ring: they take
 * turns, every record arrives whole or is counted lost. */
static int
test_percpu_shared_slot_producers(void)
{
	const unsigned int bursts = 40000;
	struct records_seen seen = { 0 };
	struct rte_xdp_perf_buffer *pb;
	struct burst_on b[2];
	struct rte_xdp_obj *obj;
	struct rte_xdp_prog *prog;
	pthread_t t[2];
	unsigned int i, done = 0;

	obj = test_load_xdp(NULL, "xdp_perf_sample_v3", &prog);
	TEST_ASSERT_NOT_NULL(obj, "load xdp_perf_sample");
	pb = rte_xdp_perf_buffer_new(rte_xdp_obj_find_map(obj, "samples"),
		1024, on_record, on_lost, &seen);
	TEST_ASSERT_NOT_NULL(pb, "perf buffer");
	for (i = 0; i < RTE_DIM(t); i++) {
		b[i] = (struct burst_on){ .prog = prog, .bursts = bursts,
			.done = &done, .cpu = i % 2 };
		TEST_ASSERT_SUCCESS(pthread_create(&t[i], NULL, run_bursts,
			&b[i]), "thread");
	}
	while (__atomic_load_n(&done, __ATOMIC_ACQUIRE) < RTE_DIM(t))
		rte_xdp_perf_buffer_poll(pb, 0);
	for (i = 0; i < RTE_DIM(t); i++)
		pthread_join(t[i], NULL);
	rte_xdp_perf_buffer_poll(pb, 0);
	rte_xdp_perf_buffer_free(pb);
	rte_xdp_obj_close(obj);
	for (i = 0; i < RTE_DIM(t); i++)
		TEST_ASSERT_SUCCESS(b[i].ret, "thread %u: mbufs", i);
	printf("%u records, %u torn, %" PRIu64 " lost\n", seen.n, seen.bad,
		seen.lost);
	TEST_ASSERT(seen.n + seen.lost == RTE_DIM(t) * bursts * 32 &&
		seen.bad == 0, "every record whole or counted lost");
	return TEST_SUCCESS;
}

/* 2 GiB of array: more than any test process has. */
static int
test_map_beyond_eal_memory(void)
{
	struct rte_xdp_obj_opts o = {
		.verify = RTE_XDP_VERIFY_BUILTIN, .socket_id = SOCKET_ID_ANY,
	};
	size_t before = heap_bytes();
	struct rte_xdp_obj *obj;
	char err[1024] = "";
	const char *need;
	unsigned int mb;

	obj = rte_xdp_obj_open(test_bpf_obj_cpu("xdp_count", "v3"), &o, err,
		sizeof(err));
	TEST_ASSERT_NOT_NULL(obj, "%s", err);
	TEST_ASSERT_SUCCESS(rte_xdp_obj_set_max_entries(obj, "verdicts",
		1u << 28), "size verdicts");
	TEST_ASSERT_EQUAL(rte_xdp_obj_load(obj, err, sizeof(err)), -ENOMEM,
		"2 GiB map loaded");
	rte_xdp_obj_close(obj);
	printf("refused: %s\n", err);
	need = strstr(err, "the maps after it need ");
	TEST_ASSERT(strstr(err, "map verdicts") != NULL && need != NULL &&
		sscanf(need, "the maps after it need %u MB of DPDK memory",
			&mb) == 1 && mb >= 2048 && mb < 2048 + 16,
		"the error says what the maps need");
	TEST_ASSERT(strstr(err, rte_eal_has_hugepages() ?
		"reserve more (vm.nr_hugepages)" : "give EAL -m ") != NULL,
		"the error names the EAL option");
	TEST_ASSERT_EQUAL(heap_bytes(), before, "DPDK heap");
	return TEST_SUCCESS;
}

static struct unit_test_suite map_mem_suite = {
	.suite_name = "xdp map memory",
	.setup = percpu_setup,
	.teardown = percpu_teardown,
	.unit_test_cases = {
		TEST_CASE(test_percpu_slots),
		TEST_CASE(test_percpu_memory),
		TEST_CASE(test_percpu_slot_of_thread),
		TEST_CASE(test_percpu_perf_buffer),
		TEST_CASE(test_percpu_shared_slot_producers),
		TEST_CASE(test_map_beyond_eal_memory),
		TEST_CASES_END(),
	},
};

static int
xdp_map_mem_autotest(void)
{
	return unit_test_suite_runner(&map_mem_suite);
}
REGISTER_TEST_COMMAND(xdp_map_mem_autotest, xdp_map_mem_autotest);
