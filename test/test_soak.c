/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * soak_autotest (meson test --suite soak; SOAK_SECONDS, default 60): traffic
 * from the gen backend into port A, whose XDP program redirects through a
 * devmap to port B (a loopback plug) or through a cpumap to a cpumap
 * worker, all polled by a worker lcore, while the main lcore keeps
 * changing everything the control plane can change: replaces A's program
 * (devmap redirect, cpumap redirect, cfg-driven verdicts, drop, XDP_TX,
 * every frame aborted),
 * updates the maps (verdicts, devmap entry set and deleted, redirect to a
 * missing ifindex, cpumap entry's queue size and program changed, entry
 * deleted, redirect to a missing cpu), stops and starts A and B (the
 * worker keeps off a port while it is stopped, as DPDK requires), and
 * changes A's MTU so that some frames are too long. At quiet points and
 * at the end: every buffer is in the pool, held by a port or queued for
 * the cpumap worker; A's XDP counters add up to the frames it received;
 * every frame A redirected was sent or refused by B, or queued or dropped
 * by the cpumap; the cpumap worker's counters add up; the application
 * got exactly the frames the counters say were passed; and while the
 * aborting program ran, rx_xdp_aborted grew by exactly the frames it saw.
 *
 *	SOAK_SECONDS=600 build/test/dpdk-xdp-test soak_autotest
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_random.h>

#include "rte_pmd_mvneta_xdp.h"
#include "rte_xdp_cpumap.h"
#include "rte_xdp_redirect.h"
#include "rte_xdp_map.h"
#include "rte_xdp_prog.h"
#include "test.h"
#include "test_ports.h"

#define NB_MBUF		16384
#define RING		256
#define FRAME_SIZE	600	/* longer than MTU 576 allows */

enum { PORT_A, PORT_B, NB_PORTS };
/* What the worker polls: the ports, then the cpumap queue. */
#define POLL_CPU	NB_PORTS
#define NB_POLLS	(NB_PORTS + 1)
enum { P_REDIRECT, P_CPUMAP, P_VERDICT, P_DROP, P_TX, P_ABORT, NB_PROGS };
static const char *const prog_names[NB_PROGS] = {
	"xdp_redirect_map", "xdp_cpumap", "xdp_verdict", "xdp1", "xdp2",
	"xdp_abort",
};
/* A's program in the xdp_cpumap object, and the cpumap entry's. */
#define CPU_PROG	"xdp_to_cpu"
#define CPU_FILTER	"xdp_cpu_filter"
#define CPU_KEY		1
#define CPU_KEY_MISSING	5	/* no entry: bpf_redirect_map() aborts */

struct cpumap_val {	/* struct bpf_cpumap_val */
	uint32_t qsize;
	uint32_t prog;
};

/* A's counters that must add up to the frames it received. */
static const char *const verdict_xstats[] = {
	"rx_xdp_pass", "rx_xdp_drop", "rx_xdp_tx", "rx_xdp_tx_errors",
	"rx_xdp_redirect", "rx_xdp_redirect_errors",
};

static struct rte_mempool *mp;
static struct port ports[NB_PORTS];
static struct rte_xdp_obj *objs[NB_PROGS];
static struct rte_xdp_prog *progs[NB_PROGS];
static uint32_t filter_handle;
static int cpu_worker_started;

/* The periods A ran xdp_abort: the frames it saw (its seen[0]) and A's
 * rx_xdp_aborted, at the start of the open period and summed over the
 * closed ones. Other programs abort some frames too, never in these. */
static struct {
	bool open;
	uint64_t seen0, aborted0;
	uint64_t seen, aborted;
} ab;

/* Worker: polls what it is allowed to; acks every change. */
static struct {
	volatile int stop;
	volatile int want[NB_POLLS];	/* main: poll p or not */
	volatile int polling[NB_POLLS];	/* worker: what it does now */
	uint64_t got[NB_PORTS];		/* frames returned by rx_burst */
	uint64_t cpu_passed;		/* PASS frames of the cpumap worker */
} w;

/* The cpumap worker's PASS frames: the application's. */
static void
cpu_pass(struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	RTE_SET_USED(arg);
	w.cpu_passed += n;
	rte_pktmbuf_free_bulk(pkts, n);
}

static int
worker(void *arg)
{
	struct rte_mbuf *rx[BURST];
	unsigned int p, n, i;

	RTE_SET_USED(arg);
	while (!w.stop) {
		for (p = 0; p < NB_POLLS; p++) {
			int want = __atomic_load_n(&w.want[p], __ATOMIC_ACQUIRE);

			if (want != w.polling[p])
				__atomic_store_n(&w.polling[p], want,
					__ATOMIC_RELEASE);
			if (!want)
				continue;
			if (p == POLL_CPU) {
				rte_xdp_cpumap_worker_poll(CPU_KEY, BURST);
				continue;
			}
			n = rte_eth_rx_burst(ports[p].id, 0, rx, BURST);
			w.got[p] += n;
			for (i = 0; i < n; i++)
				rte_pktmbuf_free(rx[i]);
		}
	}
	/* What is still queued for the cpumap worker: A is stopped. */
	while (rte_xdp_cpumap_worker_poll(CPU_KEY, BURST) != 0)
		;
	return 0;
}

/* Keep the worker off (or back on) a port; returns once it complied. */
static void
worker_poll(unsigned int p, int on)
{
	__atomic_store_n(&w.want[p], on, __ATOMIC_RELEASE);
	while (__atomic_load_n(&w.polling[p], __ATOMIC_ACQUIRE) != on)
		rte_pause();
}

static uint64_t
xstat(uint16_t port, const char *name)
{
	uint64_t id, v = UINT64_MAX;

	if (rte_eth_xstats_get_id_by_name(port, name, &id) == 0)
		rte_eth_xstats_get_by_id(port, &id, &v, 1);
	return v;
}

static uint64_t
abort_seen(void)
{
	uint64_t v = 0;
	uint32_t key = 0;

	rte_xdp_map_lookup(rte_xdp_obj_find_map(objs[P_ABORT], "seen"), &key,
		&v);
	return v;
}

/* Frames xdp_abort saw and A's rx_xdp_aborted over its periods so far
 * (no burst in flight). */
static void
abort_totals(uint64_t *seen, uint64_t *aborted)
{
	*seen = ab.seen;
	*aborted = ab.aborted;
	if (ab.open) {
		*seen += abort_seen() - ab.seen0;
		*aborted += xstat(ports[PORT_A].id, "rx_xdp_aborted") -
			ab.aborted0;
	}
}

/*
 * Replace A's program. Swaps into and out of xdp_abort happen with A
 * quiet, so that no burst of another program (which may abort frames too)
 * runs while the counters that delimit the period are read.
 */
static int
swap_a(unsigned int next)
{
	bool quiet = (next == P_ABORT) != ab.open;
	int ret;

	if (quiet)
		worker_poll(PORT_A, 0);
	ret = rte_pmd_mvneta_xdp_prog_attach(ports[PORT_A].id, progs[next]);
	if (ret == 0 && quiet && !ab.open) {
		ab.seen0 = abort_seen();
		ab.aborted0 = xstat(ports[PORT_A].id, "rx_xdp_aborted");
		ab.open = true;
	} else if (ret == 0 && quiet) {
		abort_totals(&ab.seen, &ab.aborted);
		ab.open = false;
	}
	if (quiet)
		worker_poll(PORT_A, 1);
	return ret;
}

static int
set_u32(struct rte_xdp_obj *obj, const char *map, uint32_t key, uint32_t val)
{
	return rte_xdp_map_update(rte_xdp_obj_find_map(obj, map), &key, &val,
		RTE_XDP_ANY);
}

static int
set_cpu_entry(uint32_t qsize, uint32_t prog)
{
	struct cpumap_val v = { qsize, prog };
	uint32_t key = CPU_KEY;

	return rte_xdp_map_update(rte_xdp_obj_find_map(objs[P_CPUMAP],
		"cpu_map"), &key, &v, RTE_XDP_ANY);
}

static struct rte_xdp_cpumap_stats
cpu_stats(void)
{
	struct rte_xdp_cpumap_stats cs;

	memset(&cs, 0, sizeof(cs));
	rte_xdp_cpumap_worker_stats(CPU_KEY, &cs);
	return cs;
}

/* Every buffer in the pool, held by a port or queued for the cpumap
 * worker (worker off everything). */
static int
check_buffers(const char *when)
{
	struct rte_xdp_cpumap_stats cs = cpu_stats();
	uint32_t held = 0, rx, tx, queued;
	unsigned int p;

	for (p = 0; p < NB_PORTS; p++) {
		TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_buffers_held(ports[p].id,
			&rx, &tx), "buffers held");
		held += rx + tx;
	}
	queued = (uint32_t)(cs.enqueued - cs.processed);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp) + held + queued, NB_MBUF,
		"%s: buffers in the pool (%u) + held by the ports (%u) + queued for the cpumap worker (%u)",
		when, rte_mempool_avail_count(mp), held, queued);
	return TEST_SUCCESS;
}

/* Counters add up (worker off everything, so nothing is in flight). */
static int
check_counters(const char *when)
{
	struct rte_xdp_cpumap_stats cs = cpu_stats();
	struct rte_eth_stats sa, sb;
	uint64_t sum = 0, seen, aborted;
	unsigned int i;

	rte_eth_stats_get(ports[PORT_A].id, &sa);
	rte_eth_stats_get(ports[PORT_B].id, &sb);
	for (i = 0; i < RTE_DIM(verdict_xstats); i++)
		sum += xstat(ports[PORT_A].id, verdict_xstats[i]);
	TEST_ASSERT_EQUAL(sa.ipackets, sum,
		"%s: A received = passed + dropped + XDP_TX + TX errors + redirected + redirect errors",
		when);
	TEST_ASSERT_EQUAL(w.got[PORT_A], xstat(ports[PORT_A].id, "rx_xdp_pass"),
		"%s: frames A returned = rx_xdp_pass", when);
	TEST_ASSERT_EQUAL(xstat(ports[PORT_A].id, "rx_xdp_redirect"),
		xstat(ports[PORT_B].id, "tx_xdp_xmit") +
		xstat(ports[PORT_B].id, "tx_xdp_xmit_errors") +
		cs.enqueued + cs.enqueue_drops,
		"%s: redirected by A = sent + refused by B + queued + dropped by the cpumap",
		when);
	TEST_ASSERT_EQUAL(cs.processed, cs.pass + cs.drop + cs.redirect,
		"%s: cpumap worker: processed = passed + dropped + redirected",
		when);
	TEST_ASSERT_EQUAL(w.cpu_passed, cs.pass,
		"%s: frames the cpumap worker passed = its pass counter", when);
	TEST_ASSERT_EQUAL(w.got[PORT_B], sb.ipackets,
		"%s: frames B returned = B received", when);
	TEST_ASSERT(xstat(ports[PORT_A].id, "rx_xdp_aborted") <=
		xstat(ports[PORT_A].id, "rx_xdp_drop"),
		"%s: A's aborted frames are among its dropped ones", when);
	abort_totals(&seen, &aborted);
	TEST_ASSERT_EQUAL(aborted, seen,
		"%s: rx_xdp_aborted grew by the frames xdp_abort saw while it ran",
		when);
	return TEST_SUCCESS;
}

static int
restart(unsigned int p)
{
	worker_poll(p, 0);
	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(ports[p].id), "stop %u", p);
	TEST_ASSERT_SUCCESS(rte_eth_dev_start(ports[p].id), "start %u", p);
	worker_poll(p, 1);
	return TEST_SUCCESS;
}

static int
soak_setup(void)
{
	struct rte_xdp_obj_opts o = {
		.verify = RTE_XDP_VERIFY_BUILTIN, .socket_id = SOCKET_ID_ANY,
	};
	char err[256], args[128];
	unsigned int i;

	if (access(test_bpf_obj("driver", "xdp1"), R_OK) != 0)
		TEST_SKIP("BPF test objects not built (clang missing?)");
	if (rte_get_next_lcore(-1, 1, 0) >= RTE_MAX_LCORE)
		TEST_SKIP("needs a second lcore");
	mp = rte_pktmbuf_pool_create(test_unique("soak"), NB_MBUF, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE + 128, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	for (i = 0; i < NB_PROGS; i++) {
		objs[i] = rte_xdp_obj_open(test_bpf_obj("driver",
			prog_names[i]), &o, err, sizeof(err));
		TEST_ASSERT(objs[i] != NULL &&
			rte_xdp_obj_load(objs[i], err, sizeof(err)) == 0,
			"%s: %s", prog_names[i], err);
		progs[i] = i == P_CPUMAP ?
			rte_xdp_obj_find_prog(objs[i], CPU_PROG) :
			rte_xdp_obj_prog(objs[i], 0);
		TEST_ASSERT_NOT_NULL(progs[i], "%s's program", prog_names[i]);
	}
	TEST_ASSERT_SUCCESS(rte_xdp_prog_handle(rte_xdp_obj_find_prog(
		objs[P_CPUMAP], CPU_FILTER), &filter_handle), "handle");
	TEST_ASSERT_SUCCESS(rte_xdp_cpumap_worker_start(CPU_KEY, 1024,
		cpu_pass, NULL), "cpumap worker");
	cpu_worker_started = 1;
	snprintf(args, sizeof(args), "backend=gen,flows=64,frame_size=%d",
		FRAME_SIZE);
	TEST_ASSERT_SUCCESS(port_create(&ports[PORT_A], args), "probe A");
	TEST_ASSERT_SUCCESS(port_create(&ports[PORT_B], NULL), "probe B");
	TEST_ASSERT_SUCCESS(port_setup(&ports[PORT_A], 1, RING, NULL, mp),
		"start A");
	TEST_ASSERT_SUCCESS(port_setup(&ports[PORT_B], 1, RING, NULL, mp),
		"start B");
	rte_eth_promiscuous_enable(ports[PORT_B].id);
	return TEST_SUCCESS;
}

static void
soak_teardown(void)
{
	unsigned int i;

	for (i = 0; i < NB_PORTS; i++)
		if (ports[i].name[0] != '\0')
			port_destroy(&ports[i]);
	/* No port redirects to the cpumap any more. */
	if (cpu_worker_started)
		rte_xdp_cpumap_worker_stop(CPU_KEY);
	cpu_worker_started = 0;
	if (filter_handle != 0)
		rte_xdp_prog_handle_release(filter_handle);
	filter_handle = 0;
	for (i = 0; i < NB_PROGS; i++)
		rte_xdp_obj_close(objs[i]);
	rte_mempool_free(mp);
}

/* The cpumap side of the control plane's map updates. */
static int
cpu_update(void)
{
	static const uint32_t qsizes[] = { 128, 128, 16, 0 };
	struct rte_xdp_map *cm = rte_xdp_obj_find_map(objs[P_CPUMAP],
		"cpu_map");
	uint32_t key = CPU_KEY;
	int ret;

	ret = set_u32(objs[P_CPUMAP], "cfg", 0,
		rte_rand() % 8 ? CPU_KEY : CPU_KEY_MISSING);
	if (rte_rand() % 8 == 0)
		rte_xdp_map_delete(cm, &key);
	else
		ret |= set_cpu_entry(qsizes[rte_rand() % RTE_DIM(qsizes)],
			rte_rand() % 4 ? filter_handle : 0);
	return ret;
}

static int
test_soak_traffic(void)
{
	static const uint32_t verdicts[] = {
		RTE_XDP_PASS, RTE_XDP_DROP, RTE_XDP_TX, RTE_XDP_REDIRECT,
		RTE_XDP_ABORTED, 7 /* invalid */,
	};
	static const uint16_t mtus[] = { 1500, 576, 1000, 2000 };
	const char *env = getenv("SOAK_SECONDS");
	unsigned int seconds = env != NULL ? (unsigned int)atoi(env) : 60;
	uint32_t b_ifindex = rte_pmd_mvneta_xdp_ifindex(ports[PORT_B].id);
	uint64_t n[8] = { 0 }, deadline, seen, aborted;
	uint32_t key = 0;
	struct rte_xdp_cpumap_stats cs;
	struct rte_eth_stats sa, sb;
	unsigned int lcore, cur = P_REDIRECT, k;
	int ret = TEST_SUCCESS;

	TEST_ASSERT_SUCCESS(set_u32(objs[P_REDIRECT], "tx_port", 0, b_ifindex),
		"devmap[0] = B");
	TEST_ASSERT_SUCCESS(set_u32(objs[P_VERDICT], "cfg", 0, RTE_XDP_PASS),
		"cfg");
	TEST_ASSERT_SUCCESS(set_cpu_entry(128, filter_handle), "cpu_map[1]");
	TEST_ASSERT_SUCCESS(set_u32(objs[P_CPUMAP], "cfg", 0, CPU_KEY),
		"cpumap cfg");
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(ports[PORT_A].id,
		progs[cur]), "attach");
	memset(&w, 0, sizeof(w));
	memset(&ab, 0, sizeof(ab));
	w.want[PORT_A] = w.want[PORT_B] = w.want[POLL_CPU] = 1;
	lcore = rte_get_next_lcore(-1, 1, 0);
	TEST_ASSERT_SUCCESS(rte_eal_remote_launch(worker, NULL, lcore),
		"launch the worker");
	printf("soak: %u s, gen %u-byte frames into A, A redirects to B and to a cpumap worker\n",
		seconds, FRAME_SIZE);
	deadline = rte_get_timer_cycles() + seconds * rte_get_timer_hz();
	while (ret == TEST_SUCCESS && rte_get_timer_cycles() < deadline) {
		uint32_t r = (uint32_t)rte_rand() % 100;

		if (r < 40) {		/* replace A's program: a swap */
			cur = (uint32_t)rte_rand() % NB_PROGS;
			ret = swap_a(cur);
			n[0]++;
		} else if (r < 70) {	/* the control plane's map updates */
			struct rte_xdp_map *dm = rte_xdp_obj_find_map(
				objs[P_REDIRECT], "tx_port");

			ret |= set_u32(objs[P_VERDICT], "cfg", 0,
				verdicts[rte_rand() % RTE_DIM(verdicts)]);
			ret |= set_u32(objs[P_VERDICT], "cfg", 1,
				rte_rand() % 4 ? b_ifindex : 999999);
			if (rte_rand() % 4 == 0)
				rte_xdp_map_delete(dm, &key);
			else
				ret |= set_u32(objs[P_REDIRECT], "tx_port", 0,
					b_ifindex);
			ret |= cpu_update();
			n[1]++;
		} else if (r < 80) {	/* MTU: 576 drops the gen frames */
			ret = rte_eth_dev_set_mtu(ports[PORT_A].id,
				mtus[rte_rand() % RTE_DIM(mtus)]);
			n[2]++;
		} else if (r < 88) {
			ret = restart(PORT_B);
			n[3]++;
		} else if (r < 94) {
			ret = restart(PORT_A);
			n[4]++;
		} else {		/* a quiet point: check everything */
			for (k = 0; k < NB_POLLS; k++)
				worker_poll(k, 0);
			ret = check_buffers("quiet point");
			if (ret == TEST_SUCCESS)
				ret = check_counters("quiet point");
			for (k = 0; k < NB_POLLS; k++)
				worker_poll(k, 1);
			n[5]++;
		}
		rte_delay_us_block(200 + rte_rand() % 800);
	}
	/* Stop the source first, then let B's frames come back. */
	worker_poll(PORT_A, 0);
	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(ports[PORT_A].id), "stop A");
	rte_delay_ms(10);
	w.stop = 1;
	rte_eal_wait_lcore(lcore);
	TEST_ASSERT_EQUAL(ret, TEST_SUCCESS, "every control operation worked");
	for (k = 0; k < 64; k++) {
		struct rte_mbuf *rx[BURST];
		unsigned int i, got = rte_eth_rx_burst(ports[PORT_B].id, 0, rx,
			BURST);

		w.got[PORT_B] += got;
		for (i = 0; i < got; i++)
			rte_pktmbuf_free(rx[i]);
	}
	rte_eth_stats_get(ports[PORT_A].id, &sa);
	rte_eth_stats_get(ports[PORT_B].id, &sb);
	cs = cpu_stats();
	printf("soak: %" PRIu64 " swaps, %" PRIu64 " map updates, %" PRIu64
		" MTU changes, %" PRIu64 " restarts of B, %" PRIu64
		" of A, %" PRIu64 " quiet-point checks\n",
		n[0], n[1], n[2], n[3], n[4], n[5]);
	printf("soak: A received %" PRIu64 " (pass %" PRIu64 ", drop %"
		PRIu64 ", tx %" PRIu64 ", tx errors %" PRIu64 ", redirect %"
		PRIu64 ", redirect errors %" PRIu64 "), oversize %" PRIu64
		"; B sent %" PRIu64 " redirected frames, refused %" PRIu64
		", received %" PRIu64 "\n",
		sa.ipackets, xstat(ports[PORT_A].id, "rx_xdp_pass"),
		xstat(ports[PORT_A].id, "rx_xdp_drop"),
		xstat(ports[PORT_A].id, "rx_xdp_tx"),
		xstat(ports[PORT_A].id, "rx_xdp_tx_errors"),
		xstat(ports[PORT_A].id, "rx_xdp_redirect"),
		xstat(ports[PORT_A].id, "rx_xdp_redirect_errors"),
		xstat(ports[PORT_A].id, "oversize_received"),
		xstat(ports[PORT_B].id, "tx_xdp_xmit"),
		xstat(ports[PORT_B].id, "tx_xdp_xmit_errors"), sb.ipackets);
	printf("soak: cpumap queued %" PRIu64 ", dropped %" PRIu64
		" (full, qsize 0), processed %" PRIu64 " (pass %" PRIu64
		", drop %" PRIu64 ")\n", cs.enqueued, cs.enqueue_drops,
		cs.processed, cs.pass, cs.drop);
	abort_totals(&seen, &aborted);
	printf("soak: A aborted %" PRIu64 " frames, %" PRIu64
		" of them while xdp_abort ran (it saw %" PRIu64 ")\n",
		xstat(ports[PORT_A].id, "rx_xdp_aborted"), aborted, seen);
	TEST_ASSERT(sa.ipackets > 0 && w.got[PORT_B] > 0 && cs.pass > 0 &&
		seen > 0,
		"traffic flowed through A, B, the cpumap worker and xdp_abort");
	TEST_ASSERT_EQUAL(cs.enqueued, cs.processed,
		"the cpumap worker processed every frame queued");
	TEST_ASSERT_SUCCESS(check_counters("end"), "counters");
	TEST_ASSERT_SUCCESS(check_buffers("end"), "buffers");
	for (k = 0; k < NB_PORTS; k++) {
		port_destroy(&ports[k]);
		ports[k].name[0] = '\0';
	}
	return check_pool_full(mp, "after the ports closed");
}

static struct unit_test_suite soak_suite = {
	.suite_name = "net_mvneta_xdp soak",
	.setup = soak_setup,
	.teardown = soak_teardown,
	.unit_test_cases = {
		TEST_CASE(test_soak_traffic),
		TEST_CASES_END()
	},
};

static int
test_soak(void)
{
	return unit_test_suite_runner(&soak_suite);
}

REGISTER_TEST_COMMAND(soak_autotest, test_soak);
