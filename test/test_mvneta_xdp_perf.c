/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mvneta_xdp_perf_autotest (suite perf): the driver's RX loop on one lcore
 * over the gen backend (frames of XDP_PERF_FRAME_SIZE bytes, default 64),
 * for each verdict and without a program; Mpps and TSC cycles per frame,
 * medians of several runs, the scenarios interleaved so that they share
 * the machine's noise. The cpumap scenario uses a second lcore as the
 * worker (its rate is what the RX lcore hands over; drops are counted).
 * XDP_ABORTED is measured against XDP_DROP given by the same program.
 * XDP_PERF_STATS=1 turns run statistics on (rte_xdp_stats_enable, the
 * kernel.bpf_stats_enabled of dpdk-xdp) for the whole run.
 *
 * mvneta_xdp_exception_autotest (suite fast): an aborted frame costs about
 * what a dropped one does and takes no memory (trace_xdp_exception and
 * its log line stay off the per-frame path).
 */

#include <malloc.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "rte_pmd_mvneta_xdp.h"
#include "rte_xdp_cpumap.h"
#include "rte_xdp_map.h"
#include "rte_xdp_prog.h"
#include "test.h"
#include "test_ports.h"

#define RUNS		5
#define RUN_MS		400
#define RING		512

enum scenario {
	NO_PROG, PASS, DROP, TX, REDIRECT, CPUMAP, VERDICT_DROP, ABORTED,
	CONST_DROP, NB_SCENARIOS
};

static const char *const scenario_name[NB_SCENARIOS] = {
	"no program (application frees)", "XDP_PASS (application frees)",
	"XDP_DROP", "XDP_TX", "XDP_REDIRECT (devmap, 2nd port)",
	"XDP_REDIRECT (cpumap, 2nd lcore frees)",
	"XDP_DROP (xdp_verdict)", "XDP_ABORTED (xdp_verdict)",
	"XDP_DROP (constant, xdp_drop)",
};

static volatile int worker_run;
static uint32_t worker_key;

static void
worker_free(struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	RTE_SET_USED(arg);
	rte_pktmbuf_free_bulk(pkts, n);
}

static int
cpumap_worker(void *arg)
{
	RTE_SET_USED(arg);
	while (worker_run)
		rte_xdp_cpumap_worker_poll(worker_key, BURST);
	return 0;
}

#define load(name, prog) test_load_xdp("driver", (name), (prog))

/* With XDP_PERF_BURSTS set, a run is that many bursts instead of a time:
 * a fixed amount of work for instruction counts under
 * valgrind --tool=callgrind (see doc/perf/README.md). */
static unsigned long fixed_bursts;

/* Poll for ms milliseconds; frames the port took in per TSC cycle. */
static double
measure(uint16_t port, unsigned int ms, double *cycles_per_frame)
{
	struct rte_mbuf *rx[BURST];
	struct rte_eth_stats a, b;
	uint64_t start, end, stop;
	unsigned long bursts = 0;
	uint16_t n;

	rte_eth_stats_get(port, &a);
	start = rte_rdtsc();
	stop = start + rte_get_tsc_hz() / 1000 * ms;
	do {
		n = rte_eth_rx_burst(port, 0, rx, BURST);
		if (n != 0)
			rte_pktmbuf_free_bulk(rx, n);
		end = rte_rdtsc();
		if (fixed_bursts != 0 && ++bursts == fixed_bursts)
			break;
	} while (fixed_bursts != 0 || end < stop);
	rte_eth_stats_get(port, &b);
	*cycles_per_frame = (double)(end - start) / (b.ipackets - a.ipackets);
	return (double)(b.ipackets - a.ipackets) * rte_get_tsc_hz() /
		(end - start) / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
test_perf(void)
{
	struct rte_xdp_prog *prog[NB_SCENARIOS] = { NULL };
	struct rte_xdp_obj *obj[NB_SCENARIOS] = { NULL };
	static const char *const file[NB_SCENARIOS] = {
		NULL, "xdp_verdict", "xdp1", "xdp2", "xdp_redirect_map",
		"xdp_cpumap", "xdp_verdict", "xdp_verdict", "xdp_drop",
	};
	struct { uint32_t qsize, prog; } cpu_val = { 1024, 0 };
	struct rte_xdp_cpumap_stats cs;
	const char *fs = getenv("XDP_PERF_FRAME_SIZE");
	const char *only = getenv("XDP_PERF_ONLY");	/* a scenario number */
	const char *fb = getenv("XDP_PERF_BURSTS");
	const char *st = getenv("XDP_PERF_STATS");
	int stats_were = -1;
	unsigned int frame_size = fs != NULL ? atoi(fs) : 64;
	char gen_args[128];
	unsigned int worker;
	double mpps[NB_SCENARIOS][RUNS], cpf[NB_SCENARIOS][RUNS];
	double abort_ratio[RUNS];
	struct rte_mempool *mp;
	struct port a, b;
	uint32_t k = 0, v;
	int s, r, ret = TEST_FAILED;

	if (access(test_bpf_obj("driver", "xdp1"), R_OK) != 0)
		TEST_SKIP("BPF test objects not built");
	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker >= RTE_MAX_LCORE)
		TEST_SKIP("needs a second lcore for the cpumap worker");
	worker_key = worker;
	fixed_bursts = fb != NULL ? strtoul(fb, NULL, 0) : 0;
	for (s = PASS; s < NB_SCENARIOS; s++)
		if ((obj[s] = load(file[s], &prog[s])) == NULL)
			goto out;
	test_map_set_u32(obj[PASS], "cfg", 0, RTE_XDP_PASS);
	test_map_set_u32(obj[VERDICT_DROP], "cfg", 0, RTE_XDP_DROP);
	test_map_set_u32(obj[ABORTED], "cfg", 0, RTE_XDP_ABORTED);
	rte_xdp_map_update(rte_xdp_obj_find_map(obj[CPUMAP], "cfg"), &k,
		&worker_key, 0);
	rte_xdp_map_update(rte_xdp_obj_find_map(obj[CPUMAP], "cpu_map"),
		&worker_key, &cpu_val, 0);
	prog[CPUMAP] = rte_xdp_obj_find_prog(obj[CPUMAP], "xdp_to_cpu");
	if (rte_xdp_cpumap_worker_start(worker_key, 1024, worker_free,
			NULL) != 0)
		goto out;

	mp = rte_pktmbuf_pool_create(test_unique("perf"), 4 * RING + 4096, 256,
		0, RTE_MBUF_DEFAULT_BUF_SIZE + 128, SOCKET_ID_ANY);
	if (mp == NULL ||
	    snprintf(gen_args, sizeof(gen_args),
		"backend=gen,frame_size=%u,flows=64", frame_size) < 0 ||
	    port_create(&a, gen_args) != 0 ||
	    port_create(&b, "backend=gen,rate=1") != 0 ||
	    port_setup(&a, 1, RING, NULL, mp) != 0 ||
	    port_setup(&b, 1, RING, NULL, mp) != 0)
		goto out;
	v = rte_pmd_mvneta_xdp_ifindex(b.id);
	rte_xdp_map_update(rte_xdp_obj_find_map(obj[REDIRECT], "tx_port"), &k,
		&v, 0);

	if (st != NULL && atoi(st) != 0)
		stats_were = rte_xdp_stats_enable(1);
	for (r = 0; r < RUNS; r++)
		for (s = 0; s < NB_SCENARIOS; s++) {
			if (only != NULL && atoi(only) != s) {
				mpps[s][r] = cpf[s][r] = 0;
				continue;
			}
			if (rte_pmd_mvneta_xdp_prog_attach(a.id, prog[s]) != 0)
				goto out;
			/* The worker spins only while it has work. */
			if (s == CPUMAP) {
				worker_run = 1;
				rte_eal_remote_launch(cpumap_worker, NULL, worker);
			}
			measure(a.id, 50, &cpf[s][r]);	/* warm up */
			mpps[s][r] = measure(a.id, RUN_MS, &cpf[s][r]);
			if (s == CPUMAP) {
				worker_run = 0;
				rte_eal_wait_lcore(worker);
			}
		}

	for (r = 0; r < RUNS; r++)	/* paired: the two ran back to back */
		abort_ratio[r] = mpps[VERDICT_DROP][r] != 0 ?
			mpps[ABORTED][r] / mpps[VERDICT_DROP][r] : 0;
	qsort(abort_ratio, RUNS, sizeof(double), cmp_double);
	rte_xdp_cpumap_worker_stats(worker_key, &cs);
	printf("\n| scenario (one RX lcore, gen backend, %u B) | median Mpps | cycles/frame | runs (Mpps) |\n",
		frame_size);
	printf("|---|---|---|---|\n");
	for (s = 0; s < NB_SCENARIOS; s++) {
		char runs[128] = "";
		size_t off = 0;

		for (r = 0; r < RUNS; r++)
			off += snprintf(runs + off, sizeof(runs) - off, "%.2f ",
				mpps[s][r]);
		qsort(mpps[s], RUNS, sizeof(double), cmp_double);
		qsort(cpf[s], RUNS, sizeof(double), cmp_double);
		printf("| %s | %.2f | %.0f | %s|\n", scenario_name[s],
			mpps[s][RUNS / 2], cpf[s][RUNS / 2], runs);
	}
	printf("\nTSC %.0f MHz; %d runs of %d ms per scenario, interleaved; cpumap worker: %" PRIu64 " frames processed, %" PRIu64 " enqueue drops.\n",
		rte_get_tsc_hz() / 1e6, RUNS, RUN_MS, cs.processed,
		cs.enqueue_drops);
	printf("XDP_ABORTED / XDP_DROP, same program, each run's pair: median %.2f (range %.2f-%.2f); within 20 %%: %s.\n",
		abort_ratio[RUNS / 2], abort_ratio[0], abort_ratio[RUNS - 1],
		abort_ratio[RUNS / 2] >= 0.8 ? "yes" : "NO");
	ret = TEST_SUCCESS;
	rte_pmd_mvneta_xdp_prog_attach(a.id, NULL);
	rte_xdp_cpumap_worker_stop(worker_key);
	port_destroy(&b);
	port_destroy(&a);
	if (check_pool_full(mp, "after close") != TEST_SUCCESS)
		ret = TEST_FAILED;
	rte_mempool_free(mp);
out:
	if (stats_were >= 0)
		rte_xdp_stats_enable(stats_were);
	if (worker_run) {
		worker_run = 0;
		rte_eal_wait_lcore(worker);
	}
	for (s = 0; s < NB_SCENARIOS; s++)
		rte_xdp_obj_close(obj[s]);
	return ret;
}

REGISTER_TEST_COMMAND(mvneta_xdp_perf_autotest, test_perf);

#define EXC_PAIRS	7
#define EXC_WINDOW_MS	40
#define EXC_SOAK_MS	1000
#define EXC_MIN_RATIO	0.5	/* the cost, not the benchmark: a loose bound */
#define EXC_HEAP_SLACK	4096

/* Bytes the C library's allocator has handed out. */
static size_t
libc_heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/*
 * The same program (xdp_verdict) drops and aborts in alternating windows:
 * the medians of the two rates must be close; then a second of aborted
 * frames leaves both heaps where they were, and every frame received in
 * it counts rx_xdp_aborted and rx_xdp_drop.
 */
static int
test_exception(void)
{
	double drops[EXC_PAIRS], aborts[EXC_PAIRS], cpf, ratio;
	uint64_t aborted0, dropped0, libc0, libc1;
	struct rte_eth_stats s0, s1;
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj;
	struct rte_mempool *mp;
	size_t dpdk0, dpdk1;
	struct port a;
	int i, ret = TEST_FAILED;

	if (access(test_bpf_obj("driver", "xdp_verdict"), R_OK) != 0)
		TEST_SKIP("BPF test objects not built");
	obj = load("xdp_verdict", &prog);
	TEST_ASSERT_NOT_NULL(obj, "xdp_verdict loads");
	mp = rte_pktmbuf_pool_create(test_unique("exc"), 2 * RING + 1024, 256,
		0, RTE_MBUF_DEFAULT_BUF_SIZE + 128, SOCKET_ID_ANY);
	if (mp == NULL) {
		rte_xdp_obj_close(obj);
		TEST_ASSERT_NOT_NULL(mp, "pool");
	}
	if (port_create(&a, "backend=gen,flows=64") != 0)
		a.name[0] = '\0';
	if (a.name[0] == '\0' || port_setup(&a, 1, RING, NULL, mp) != 0 ||
	    rte_pmd_mvneta_xdp_prog_attach(a.id, prog) != 0) {
		printf("cannot set up a gen port with xdp_verdict\n");
		goto out;
	}

	for (i = 0; i < EXC_PAIRS; i++) {
		test_map_set_u32(obj, "cfg", 0, RTE_XDP_DROP);
		drops[i] = measure(a.id, EXC_WINDOW_MS, &cpf);
		test_map_set_u32(obj, "cfg", 0, RTE_XDP_ABORTED);
		aborts[i] = measure(a.id, EXC_WINDOW_MS, &cpf);
	}
	qsort(drops, EXC_PAIRS, sizeof(double), cmp_double);
	qsort(aborts, EXC_PAIRS, sizeof(double), cmp_double);
	ratio = aborts[EXC_PAIRS / 2] / drops[EXC_PAIRS / 2];
	printf("median of %d windows of %d ms: XDP_DROP %.2f Mpps, XDP_ABORTED %.2f Mpps (ratio %.2f)\n",
		EXC_PAIRS, EXC_WINDOW_MS, drops[EXC_PAIRS / 2],
		aborts[EXC_PAIRS / 2], ratio);
	if (ratio < EXC_MIN_RATIO) {
		printf("XDP_ABORTED costs far more than XDP_DROP\n");
		goto out;
	}

	/* The program still aborts: the log line has been written once. */
	libc0 = libc_heap_bytes();
	dpdk0 = heap_bytes();
	rte_eth_stats_get(a.id, &s0);
	aborted0 = test_xstat(a.id, "rx_xdp_aborted");
	dropped0 = test_xstat(a.id, "rx_xdp_drop");
	measure(a.id, EXC_SOAK_MS, &cpf);
	rte_eth_stats_get(a.id, &s1);
	libc1 = libc_heap_bytes();
	dpdk1 = heap_bytes();
	printf("%" PRIu64 " frames aborted in %d ms: C heap %zu -> %zu bytes, DPDK heap %zu -> %zu bytes\n",
		s1.ipackets - s0.ipackets, EXC_SOAK_MS, libc0, libc1, dpdk0,
		dpdk1);
	if (libc1 > libc0 + EXC_HEAP_SLACK || dpdk1 != dpdk0) {
		printf("memory grew while frames were aborted\n");
		goto out;
	}
	if (test_xstat(a.id, "rx_xdp_aborted") - aborted0 !=
			s1.ipackets - s0.ipackets ||
	    test_xstat(a.id, "rx_xdp_drop") - dropped0 !=
			s1.ipackets - s0.ipackets) {
		printf("rx_xdp_aborted and rx_xdp_drop do not count every frame received\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	if (a.name[0] != '\0') {
		rte_pmd_mvneta_xdp_prog_attach(a.id, NULL);
		port_destroy(&a);
	}
	if (check_pool_full(mp, "after close") != TEST_SUCCESS)
		ret = TEST_FAILED;
	rte_mempool_free(mp);
	rte_xdp_obj_close(obj);
	return ret;
}

REGISTER_TEST_COMMAND(mvneta_xdp_exception_autotest, test_exception);
