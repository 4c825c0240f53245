/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mvneta_xdp_native_autotest: native XDP in the driver's RX loop. Each
 * verdict end to end with frame contents and counters, redirect through a
 * devmap to another port, full XDP_TX ring, missing map entry and stopped
 * target, the set-up rules (restart on presence change, swap on
 * replacement, -EOPNOTSUPP for an MTU a non-frags program cannot take),
 * devmap and cpumap programs refused on the port, one ifindex per port
 * everywhere, replacements and detach under traffic; every pool back to
 * its start.
 */

#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_packet.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_eal.h>

#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "rte_pmd_mvneta_xdp.h"
#include "rte_xdp_cpumap.h"
#include "rte_xdp_generic.h"
#include "rte_xdp_map.h"
#include "rte_xdp_prog.h"
#include "rte_xdp_redirect.h"
#include "rte_xdp_xsk.h"
#include "test.h"
#include "test_ports.h"

#define NB_MBUF	8192
#define RING	64

static struct rte_mempool *mp;

static int
suite_setup(void)
{
	if (access(test_bpf_obj("driver", "xdp1"), R_OK) != 0)
		TEST_SKIP("BPF test objects not built (clang missing?)");
	mp = rte_pktmbuf_pool_create(test_unique("nat"), NB_MBUF, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE + 128, SOCKET_ID_ANY);
	return mp != NULL ? TEST_SUCCESS : TEST_FAILED;
}

static void
suite_teardown(void)
{
	close_leftover_ports();
	rte_mempool_free(mp);
}

#define load(name, prog) test_load_xdp("driver", (name), (prog))
#define xstat test_xstat
#define set_u32 test_map_set_u32

/* Sum of a per-CPU u64 map value over the lcores. */
static uint64_t
percpu_sum(struct rte_xdp_obj *obj, const char *map, uint32_t key)
{
	struct rte_xdp_map *m = rte_xdp_obj_find_map(obj, map);
	unsigned int i, n = rte_xdp_map_nb_cpus();
	uint64_t *v, sum = 0;

	if (m == NULL)
		return UINT64_MAX;
	v = calloc(n, sizeof(*v));
	if (rte_xdp_map_lookup(m, &key, v) == 0)
		for (i = 0; i < n; i++)
			sum += v[i];
	free(v);
	return sum;
}

static void
drain(uint16_t port)
{
	struct rte_mbuf *rx[BURST];
	unsigned int i, n, tries;

	for (tries = 0; tries < 64; tries++) {
		n = rte_eth_rx_burst(port, 0, rx, BURST);
		for (i = 0; i < n; i++)
			rte_pktmbuf_free(rx[i]);
	}
}

/* Two ports wired to each other. */
static int
pair_create(struct port *a, struct port *b, const char *a_args)
{
	char args[256];

	snprintf(a->name, sizeof(a->name), "net_mvneta_xdp_%s", test_unique("a"));
	snprintf(b->name, sizeof(b->name), "net_mvneta_xdp_%s", test_unique("b"));
	snprintf(args, sizeof(args), "peer=%s%s%s", b->name,
		a_args != NULL ? "," : "", a_args != NULL ? a_args : "");
	if (rte_vdev_init(a->name, args) != 0)
		return -1;
	snprintf(args, sizeof(args), "peer=%s", a->name);
	if (rte_vdev_init(b->name, args) != 0)
		return -1;
	rte_eth_dev_get_port_by_name(a->name, &a->id);
	rte_eth_dev_get_port_by_name(b->name, &b->id);
	return 0;
}

static int
send_frames(uint16_t from, const struct rte_ether_addr *dst, unsigned int n)
{
	struct rte_mbuf *tx[BURST];
	unsigned int i;

	for (i = 0; i < n; i++)
		tx[i] = make_frame(mp, 64, dst, (uint8_t)i);
	return rte_eth_tx_burst(from, 0, tx, n) == n ? 0 : -1;
}

static int
test_xdp1_drop_counts(void)
{
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj = load("xdp1", &prog);
	struct rte_pmd_mvneta_xdp_prog_state st;
	struct rte_mbuf *rx[BURST];
	struct rte_eth_stats es;
	struct port p;
	unsigned int i, got = 0;

	TEST_ASSERT_NOT_NULL(obj, "load xdp1");
	TEST_ASSERT_SUCCESS(port_create(&p, "backend=gen,flows=8"), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&p, 1, RING, NULL, mp), "start");
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(p.id, prog), "attach");
	for (i = 0; i < 200; i++)
		got += rte_eth_rx_burst(p.id, 0, rx, BURST);
	TEST_ASSERT_EQUAL(got, 0, "every frame dropped by the program");
	rte_eth_stats_get(p.id, &es);
	TEST_ASSERT(es.ipackets > 1000, "frames received (%" PRIu64 ")",
		es.ipackets);
	TEST_ASSERT_EQUAL(xstat(p.id, "rx_xdp_drop"), es.ipackets, "rx_xdp_drop");
	TEST_ASSERT_EQUAL(xstat(p.id, "rx_q0_xdp_drop"), es.ipackets,
		"per queue");
	TEST_ASSERT_EQUAL(percpu_sum(obj, "rxcnt", 17), es.ipackets,
		"rxcnt[UDP] counted by the program");
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_query(p.id, &st), "query");
	TEST_ASSERT(st.prog == prog && st.restarts == 1 && st.swaps == 0,
		"attached with one restart");
	TEST_ASSERT(xstat(p.id, "rx_pp_recycle_cached") > 0,
		"dropped buffers recycled straight to the page pool");
	port_destroy(&p);
	rte_xdp_obj_close(obj);
	return check_pool_full(mp, "after close");
}

static int
test_xdp2_tx_swaps_macs(void)
{
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj = load("xdp2", &prog);
	struct rte_mbuf *rx[BURST];
	struct rte_ether_addr amac, src;
	struct rte_eth_stats es;
	struct port a, b;
	unsigned int i, got;

	TEST_ASSERT_NOT_NULL(obj, "load xdp2");
	TEST_ASSERT_SUCCESS(pair_create(&a, &b, NULL), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&a, 1, RING, NULL, mp), "start a");
	TEST_ASSERT_SUCCESS(port_setup(&b, 1, RING, NULL, mp), "start b");
	rte_eth_promiscuous_enable(b.id);
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(a.id, prog), "attach");
	amac = port_mac(a.id);
	memset(&src, 0x02, sizeof(src));
	TEST_ASSERT_SUCCESS(send_frames(b.id, &amac, BURST), "b sends");
	TEST_ASSERT_EQUAL(rx_all(a.id, 0, rx, BURST), 0, "a passes nothing up");
	got = rx_all(b.id, 0, rx, BURST);
	TEST_ASSERT_EQUAL(got, BURST, "every frame came back to b");
	for (i = 0; i < got; i++) {
		struct rte_ether_hdr *eh = rte_pktmbuf_mtod(rx[i],
			struct rte_ether_hdr *);

		TEST_ASSERT(rte_is_same_ether_addr(&eh->src_addr, &amac) &&
			rte_is_same_ether_addr(&eh->dst_addr, &src),
			"MACs swapped");
		TEST_ASSERT_EQUAL(rte_pktmbuf_mtod(rx[i], uint8_t *)[63], i,
			"payload intact");
		rte_pktmbuf_free(rx[i]);
	}
	TEST_ASSERT_EQUAL(xstat(a.id, "rx_xdp_tx"), BURST, "rx_xdp_tx");
	TEST_ASSERT_EQUAL(percpu_sum(obj, "txcnt", 0), BURST, "txcnt");
	rte_eth_stats_get(a.id, &es);
	TEST_ASSERT_EQUAL(es.opackets, BURST, "XDP_TX counted as sent");
	port_destroy(&b);
	port_destroy(&a);
	rte_xdp_obj_close(obj);
	return check_pool_full(mp, "after close");
}

static int
test_xdp_tx_ring_full(void)
{
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj = load("xdp2", &prog);
	struct rte_mbuf *rx[64];
	struct rte_ether_addr amac;
	struct port a, b;
	unsigned int k;

	TEST_ASSERT_NOT_NULL(obj, "load xdp2");
	/* A 32-descriptor XDP_TX ring behind a 64-descriptor RX ring. */
	TEST_ASSERT_SUCCESS(pair_create(&a, &b, "xdp_tx_ring=32"), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&a, 1, 64, NULL, mp), "start a");
	TEST_ASSERT_SUCCESS(port_setup(&b, 1, 64, NULL, mp), "start b");
	rte_eth_promiscuous_enable(b.id);
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(a.id, prog), "attach");
	amac = port_mac(a.id);
	for (k = 0; k < 2; k++)
		TEST_ASSERT_SUCCESS(send_frames(b.id, &amac, BURST), "b sends");
	/* One burst of 64 frames: 32 fit the ring, 32 are refused. */
	TEST_ASSERT_EQUAL(rte_eth_rx_burst(a.id, 0, rx, 64), 0, "no PASS");
	TEST_ASSERT_EQUAL(xstat(a.id, "rx_xdp_tx"), 32, "rx_xdp_tx");
	TEST_ASSERT_EQUAL(xstat(a.id, "rx_xdp_tx_errors"), 32,
		"rx_xdp_tx_errors");
	drain(b.id);
	port_destroy(&b);
	port_destroy(&a);
	rte_xdp_obj_close(obj);
	return check_pool_full(mp, "after close");
}

static int
test_devmap_redirect(void)
{
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj = load("xdp_redirect_map", &prog);
	struct rte_mbuf *rx[BURST];
	struct rte_ether_addr amac;
	struct port a, b, c, d;
	uint32_t key = 0, ifindex;
	unsigned int i;

	TEST_ASSERT_NOT_NULL(obj, "load xdp_redirect_map");
	TEST_ASSERT_SUCCESS(pair_create(&a, &b, NULL), "a-b");
	TEST_ASSERT_SUCCESS(pair_create(&c, &d, NULL), "c-d");
	TEST_ASSERT_SUCCESS(port_setup(&a, 1, RING, NULL, mp), "start a");
	TEST_ASSERT_SUCCESS(port_setup(&b, 1, RING, NULL, mp), "start b");
	TEST_ASSERT_SUCCESS(port_setup(&c, 1, RING, NULL, mp), "start c");
	TEST_ASSERT_SUCCESS(port_setup(&d, 1, RING, NULL, mp), "start d");
	rte_eth_promiscuous_enable(d.id);
	ifindex = rte_pmd_mvneta_xdp_ifindex(c.id);
	TEST_ASSERT(ifindex != 0, "c has an ifindex");
	TEST_ASSERT_SUCCESS(set_u32(obj, "tx_port", 0, ifindex), "devmap[0]");
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(a.id, prog), "attach");
	amac = port_mac(a.id);

	/* b -> a -(devmap)-> c -> d */
	TEST_ASSERT_SUCCESS(send_frames(b.id, &amac, BURST), "b sends");
	TEST_ASSERT_EQUAL(rx_all(a.id, 0, rx, BURST), 0, "a passes nothing up");
	TEST_ASSERT_EQUAL(rx_all(d.id, 0, rx, BURST), BURST, "d got them all");
	for (i = 0; i < BURST; i++) {
		TEST_ASSERT_EQUAL(rte_pktmbuf_mtod(rx[i], uint8_t *)[63], i,
			"frame %u intact and in order", i);
		rte_pktmbuf_free(rx[i]);
	}
	TEST_ASSERT_EQUAL(xstat(a.id, "rx_xdp_redirect"), BURST, "a redirect");
	TEST_ASSERT_EQUAL(xstat(c.id, "tx_xdp_xmit"), BURST, "c xmit");

	/* Missing entry: the fallback action in the flags, XDP_DROP. */
	TEST_ASSERT_SUCCESS(rte_xdp_map_delete(rte_xdp_obj_find_map(obj,
		"tx_port"), &key), "delete");
	TEST_ASSERT_SUCCESS(send_frames(b.id, &amac, BURST), "b sends");
	drain(a.id);
	TEST_ASSERT_EQUAL(xstat(a.id, "rx_xdp_drop"), BURST, "dropped");

	/* Stopped target: its xmit refuses, the frames go back to a's pool. */
	TEST_ASSERT_SUCCESS(set_u32(obj, "tx_port", 0, ifindex), "devmap[0]");
	TEST_ASSERT_SUCCESS(rte_eth_dev_stop(c.id), "stop c");
	TEST_ASSERT_SUCCESS(send_frames(b.id, &amac, BURST), "b sends");
	drain(a.id);
	TEST_ASSERT_EQUAL(xstat(c.id, "tx_xdp_xmit_errors"), BURST,
		"c xmit errors");
	TEST_ASSERT_EQUAL(rx_all(d.id, 0, rx, BURST), 0, "nothing reached d");

	/* Closed target: no port has its ifindex any more, the redirect
	 * fails (the target the last burst found is not taken again). */
	port_destroy(&c);
	TEST_ASSERT_SUCCESS(send_frames(b.id, &amac, BURST), "b sends");
	drain(a.id);
	TEST_ASSERT_EQUAL(xstat(a.id, "rx_xdp_redirect_errors"), BURST,
		"redirect errors");
	TEST_ASSERT_EQUAL(xstat(a.id, "rx_xdp_redirect"), 2 * BURST,
		"no more redirected");

	port_destroy(&d);
	port_destroy(&b);
	port_destroy(&a);
	rte_xdp_obj_close(obj);
	return check_pool_full(mp, "after close");
}

static int
test_verdicts_pass_abort_invalid(void)
{
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj = load("xdp_verdict", &prog);
	struct rte_mbuf *rx[BURST];
	struct rte_ether_addr mac;
	struct port p;
	unsigned int i, got;

	TEST_ASSERT_NOT_NULL(obj, "load xdp_verdict");
	TEST_ASSERT_SUCCESS(port_create(&p, NULL), "probe");
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(p.id, prog),
		"attach before start: no restart");
	TEST_ASSERT_SUCCESS(port_setup(&p, 1, RING, NULL, mp), "start");
	mac = port_mac(p.id);

	TEST_ASSERT_SUCCESS(set_u32(obj, "cfg", 0, 2 /* PASS */), "cfg");
	TEST_ASSERT_SUCCESS(send_frames(p.id, &mac, 8), "send");
	got = rx_all(p.id, 0, rx, 8);
	TEST_ASSERT_EQUAL(got, 8, "PASS frames delivered");
	for (i = 0; i < got; i++) {
		TEST_ASSERT_EQUAL(rx[i]->data_off, 256, "headroom");
		rte_pktmbuf_free(rx[i]);
	}
	TEST_ASSERT_EQUAL(xstat(p.id, "rx_xdp_pass"), 8, "rx_xdp_pass");

	TEST_ASSERT_SUCCESS(set_u32(obj, "cfg", 0, 0 /* ABORTED */), "cfg");
	TEST_ASSERT_SUCCESS(send_frames(p.id, &mac, 8), "send");
	TEST_ASSERT_EQUAL(rx_all(p.id, 0, rx, 8), 0, "aborted");
	TEST_ASSERT_SUCCESS(set_u32(obj, "cfg", 0, 7 /* invalid */), "cfg");
	TEST_ASSERT_SUCCESS(send_frames(p.id, &mac, 8), "send");
	TEST_ASSERT_EQUAL(rx_all(p.id, 0, rx, 8), 0, "invalid");
	TEST_ASSERT_EQUAL(xstat(p.id, "rx_xdp_aborted"), 16, "aborted count");
	TEST_ASSERT_EQUAL(xstat(p.id, "rx_xdp_drop"), 16, "counted as drops");

	/* bpf_redirect() to an ifindex nobody has. */
	TEST_ASSERT_SUCCESS(set_u32(obj, "cfg", 0, 4 /* REDIRECT */), "cfg");
	TEST_ASSERT_SUCCESS(set_u32(obj, "cfg", 1, 999999), "cfg");
	TEST_ASSERT_SUCCESS(send_frames(p.id, &mac, 8), "send");
	TEST_ASSERT_EQUAL(rx_all(p.id, 0, rx, 8), 0, "redirect to nowhere");
	TEST_ASSERT_EQUAL(xstat(p.id, "rx_xdp_redirect_errors"), 8,
		"redirect errors");
	port_destroy(&p);
	rte_xdp_obj_close(obj);
	return check_pool_full(mp, "after close");
}

static int
test_setup_semantics(void)
{
	struct rte_eth_conf conf = {
		.rxmode = { .offloads = RTE_ETH_RX_OFFLOAD_SCATTER },
	};
	struct rte_xdp_prog *p1 = NULL, *p2 = NULL;
	struct rte_xdp_obj *o1 = load("xdp1", &p1), *o2 = load("xdp2", &p2);
	struct rte_pmd_mvneta_xdp_prog_state st;
	struct port p;

	TEST_ASSERT(o1 != NULL && o2 != NULL, "load");
	TEST_ASSERT_SUCCESS(port_create(&p, NULL), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&p, 1, RING, &conf, mp), "start");
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(p.id, p1), "attach");
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(p.id, p2), "replace");
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_query(p.id, &st), "query");
	TEST_ASSERT(st.restarts == 1 && st.swaps == 1 && st.prog == p2,
		"restart on attach, swap on replace (%u, %u)", st.restarts,
		st.swaps);
	TEST_ASSERT_EQUAL(rte_eth_dev_set_mtu(p.id, 3000), -EINVAL,
		"MTU beyond one buffer refused with a non-frags program");
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(p.id, NULL), "detach");
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_query(p.id, &st), "query");
	TEST_ASSERT(st.restarts == 2 && st.prog == NULL, "restart on detach");
	TEST_ASSERT_SUCCESS(rte_eth_dev_set_mtu(p.id, 3000), "MTU with scatter");
	TEST_ASSERT_EQUAL(rte_pmd_mvneta_xdp_prog_attach(p.id, p1), -EOPNOTSUPP,
		"non-frags program refused at MTU 3000");
	TEST_ASSERT(rte_pmd_mvneta_xdp_prog_get(p.id) == NULL, "nothing attached");
	port_destroy(&p);
	rte_xdp_obj_close(o1);
	rte_xdp_obj_close(o2);
	return check_pool_full(mp, "after close");
}

static int
test_devargs_prog(void)
{
	size_t heap;
	struct port p;
	char args[600];

	/* Warm up ethdev's shared data, then count the heap. */
	TEST_ASSERT_SUCCESS(port_create(&p, NULL), "probe");
	port_destroy(&p);
	heap = heap_bytes();
	snprintf(args, sizeof(args), "backend=gen,xdp_prog=%s,xdp_verify=builtin",
		test_bpf_obj("driver", "xdp1"));
	TEST_ASSERT_SUCCESS(port_create(&p, args), "probe with xdp_prog");
	TEST_ASSERT_NOT_NULL(rte_pmd_mvneta_xdp_prog_get(p.id), "attached");
	TEST_ASSERT_SUCCESS(port_setup(&p, 1, RING, NULL, mp), "start");
	drain(p.id);
	TEST_ASSERT(xstat(p.id, "rx_xdp_drop") > 0, "runs from the first burst");
	port_destroy(&p);
	TEST_ASSERT_SUCCESS(check_pool_full(mp, "after close"), "pool");

	snprintf(args, sizeof(args), "xdp_prog=/nonexistent.o");
	TEST_ASSERT(port_create(&p, args) != 0, "missing object refused");
	snprintf(args, sizeof(args), "xdp_prog=%s,xdp_sec=nope",
		test_bpf_obj("driver", "xdp1"));
	TEST_ASSERT(port_create(&p, args) != 0, "unknown program refused");
	snprintf(args, sizeof(args), "xdp_prog=%s,xdp_verify=maybe",
		test_bpf_obj("driver", "xdp1"));
	TEST_ASSERT(port_create(&p, args) != 0, "bad policy refused");
	TEST_ASSERT(port_create(&p, "xdp_sec=xdp") != 0, "xdp_sec alone refused");
	TEST_ASSERT(port_create(&p, "xdp_tx_ring=33") != 0, "bad ring refused");
	TEST_ASSERT_EQUAL(heap_bytes(), heap, "nothing leaked");
	return TEST_SUCCESS;
}

/*
 * SEC("xdp/devmap") and SEC("xdp/cpumap") programs run on map entries: the
 * kernel refuses them on a device (dev_xdp_install()), with -EINVAL and
 * "BPF_XDP_DEVMAP programs can not be attached to a device". So do
 * devargs and rte_pmd_mvneta_xdp_prog_attach(); what ran keeps running.
 */
static int
test_map_entry_progs_refused(void)
{
	static const struct {
		const char *obj, *rx_prog, *entry_prog, *type;
	} cases[] = {
		{ "xdp_devmap_egress", "xdp_to_entry", "xdp_egress_mark",
			"BPF_XDP_DEVMAP" },
		{ "xdp_cpumap", "xdp_to_cpu", "xdp_cpu_filter",
			"BPF_XDP_CPUMAP" },
	};
	struct rte_xdp_prog *first, *entry;
	struct rte_xdp_obj *obj;
	char args[600], why[128];
	unsigned int i;
	struct port p;
	size_t heap;
	char *log;
	int ret;

	TEST_ASSERT_SUCCESS(port_create(&p, NULL), "probe");
	port_destroy(&p);
	heap = heap_bytes();
	for (i = 0; i < RTE_DIM(cases); i++) {
		snprintf(why, sizeof(why),
			"program %s (SEC(\"xdp/%s\")): %s programs can not be attached to a device",
			cases[i].entry_prog, i == 0 ? "devmap" : "cpumap",
			cases[i].type);
		snprintf(args, sizeof(args),
			"xdp_prog=%s,xdp_sec=%s,xdp_verify=builtin",
			test_bpf_obj("driver", cases[i].obj),
			cases[i].entry_prog);
		TEST_ASSERT_SUCCESS(log_capture_start(), "capture");
		ret = port_create(&p, args);
		log = log_capture_stop();
		TEST_ASSERT(ret != 0, "devargs: %s attached", cases[i].entry_prog);
		TEST_ASSERT(strstr(log, why) != NULL, "devargs: no line \"%s\"",
			why);
		free(log);
		TEST_ASSERT_EQUAL(heap_bytes(), heap, "devargs: nothing leaked");

		obj = load(cases[i].obj, &first);
		TEST_ASSERT_NOT_NULL(obj, "load %s", cases[i].obj);
		entry = rte_xdp_obj_find_prog(obj, cases[i].entry_prog);
		TEST_ASSERT(entry != NULL && first != entry &&
			first == rte_xdp_obj_find_prog(obj, cases[i].rx_prog),
			"programs of %s", cases[i].obj);
		TEST_ASSERT_SUCCESS(port_create(&p, NULL), "probe");
		TEST_ASSERT_SUCCESS(port_setup(&p, 1, RING, NULL, mp), "start");
		TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(p.id, first),
			"receive program attached");
		TEST_ASSERT_SUCCESS(log_capture_start(), "capture");
		ret = rte_pmd_mvneta_xdp_prog_attach(p.id, entry);
		log = log_capture_stop();
		TEST_ASSERT_EQUAL(ret, -EINVAL, "API: %s", cases[i].entry_prog);
		TEST_ASSERT(strstr(log, why) != NULL, "API: no line \"%s\"", why);
		free(log);
		TEST_ASSERT(rte_pmd_mvneta_xdp_prog_get(p.id) == first,
			"the receive program still attached");
		port_destroy(&p);
		rte_xdp_obj_close(obj);
	}
	return check_pool_full(mp, "after close");
}

/* ifindex of the port in /xdp/info telemetry, 0 if none or no program. */
static uint32_t
telemetry_ifindex(uint16_t port, char *mode, size_t mode_len)
{
	char cmd[64], out[8192];
	const char *p;

	snprintf(cmd, sizeof(cmd), "/xdp/info,%u", port);
	if (telemetry_query(cmd, out, sizeof(out)) != 0)
		return 0;
	p = strstr(out, "\"mode\":\"");
	if (p != NULL && mode != NULL)
		snprintf(mode, mode_len, "%.*s", (int)strcspn(p + 8, "\""),
			p + 8);
	p = strstr(out, "\"ifindex\":");
	return p != NULL ? strtoul(p + 10, NULL, 10) : 0;
}

/* Every view of a port's ifindex agrees with rte_xdp_port_ifindex(). */
static int
check_ifindex(uint16_t port, uint32_t want, struct rte_xdp_obj *obj)
{
	struct rte_pmd_mvneta_xdp_prog_state st;
	uint32_t key = 0, seen = 0, reg = 0;
	char mode[16] = "";
	uint16_t owner = UINT16_MAX;

	TEST_ASSERT_EQUAL(rte_xdp_port_ifindex(port), want,
		"rte_xdp_port_ifindex");
	TEST_ASSERT_EQUAL(rte_pmd_mvneta_xdp_ifindex(port), want,
		"rte_pmd_mvneta_xdp_ifindex");
	TEST_ASSERT_EQUAL(rte_xdp_generic_ifindex(port), want,
		"rte_xdp_generic_ifindex");
	TEST_ASSERT(rte_xdp_ifindex_to_port(want, &owner) == 0 &&
		owner == port, "rte_xdp_ifindex_to_port(%u): %u", want, owner);
	TEST_ASSERT(rte_xdp_dev_ifindex(port, &reg) == 0 && reg == want,
		"redirect target under %u (%u)", want, reg);
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_query(port, &st), "query");
	TEST_ASSERT_EQUAL(st.ifindex, want, "prog_query");
	rte_xdp_map_lookup(rte_xdp_obj_find_map(obj, "seen"), &key, &seen);
	TEST_ASSERT_EQUAL(seen, want, "ctx->ingress_ifindex");
	TEST_ASSERT_EQUAL(telemetry_ifindex(port, mode, sizeof(mode)), want,
		"/xdp/info ifindex");
	TEST_ASSERT(strcmp(mode, "native") == 0, "/xdp/info mode: %s", mode);
	return TEST_SUCCESS;
}

/* A frame into the far end of a veth pair, addressed to dst. */
static int
veth_send(const char *ifname, const struct rte_ether_addr *dst)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = if_nametoindex(ifname),
		.sll_halen = RTE_ETHER_ADDR_LEN,
	};
	uint8_t frame[60] = { 0 };
	int fd, ret;

	memcpy(frame, dst, RTE_ETHER_ADDR_LEN);
	memset(frame + 6, 0x02, RTE_ETHER_ADDR_LEN);
	frame[12] = 0x88, frame[13] = 0xb5;	/* local experimental */
	memcpy(sll.sll_addr, dst, RTE_ETHER_ADDR_LEN);
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		return -1;
	ret = sendto(fd, frame, sizeof(frame), 0, (struct sockaddr *)&sll,
		sizeof(sll)) == sizeof(frame) ? 0 : -1;
	close(fd);
	return ret;
}

/*
 * One ifindex per port, everywhere: the program's ingress_ifindex, the
 * redirect registry, the private API, generic mode, /xdp/info. A port
 * without a Linux interface goes by 0x4e00 + its id; a port on one
 * (iface=) by that interface's ifindex.
 */
static int
test_ifindex_everywhere(void)
{
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj = load("xdp_ifindex", &prog);
	struct rte_mbuf *rx[BURST];
	struct rte_ether_addr dst;
	char cmd[256], host[16], far[16];
	struct port p;
	unsigned int n, i;
	int ret;

	TEST_ASSERT_NOT_NULL(obj, "load xdp_ifindex");
	TEST_ASSERT_SUCCESS(port_create(&p, NULL), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&p, 1, RING, NULL, mp), "start");
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(p.id, prog),
		"attach");
	dst = port_mac(p.id);
	TEST_ASSERT_SUCCESS(send_frames(p.id, &dst, 1), "loop a frame back");
	TEST_ASSERT_EQUAL(rx_all(p.id, 0, rx, 1), 1, "passed");
	rte_pktmbuf_free(rx[0]);
	if (telemetry_query("/xdp/list", cmd, sizeof(cmd)) != 0)
		TEST_SKIP("no telemetry socket in %s", rte_eal_get_runtime_dir());
	ret = check_ifindex(p.id, RTE_XDP_IFINDEX_BASE + p.id, obj);
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(p.id, NULL),
		"detach");
	TEST_ASSERT_EQUAL(telemetry_ifindex(p.id, NULL, 0), 0,
		"/xdp/info: no program, nothing to show");
	port_destroy(&p);

	if (geteuid() != 0 || system("command -v ip >/dev/null") != 0) {
		rte_xdp_obj_close(obj);
		printf("iface= part skipped: needs root and iproute2\n");
		return check_pool_full(mp, "after close");
	}
	if (getenv("XDP_TEST_EMULATOR") != NULL) {
		rte_xdp_obj_close(obj);
		printf("iface= part skipped: %s does not pass packet sockets' promiscuous mode\n",
			getenv("XDP_TEST_EMULATOR"));
		return check_pool_full(mp, "after close");
	}
	snprintf(host, sizeof(host), "mvxi%u", (unsigned int)getpid() % 100000);
	snprintf(far, sizeof(far), "mvxj%u", (unsigned int)getpid() % 100000);
	snprintf(cmd, sizeof(cmd),
		"ip link add %s type veth peer name %s && ip link set %s up && ip link set %s up",
		host, far, host, far);
	TEST_ASSERT_SUCCESS(system(cmd), "%s", cmd);
	snprintf(cmd, sizeof(cmd), "iface=%s", host);
	p.id = RTE_MAX_ETHPORTS;
	ret = port_create(&p, cmd);
	if (ret == 0)
		ret = port_setup(&p, 1, RING, NULL, mp);
	if (ret == 0)
		ret = rte_pmd_mvneta_xdp_prog_attach(p.id, prog);
	if (ret == 0)
		dst = port_mac(p.id);
	for (i = 0, n = 0; ret == 0 && i < 100 && n == 0; i++) {
		ret = veth_send(far, &dst);
		rte_delay_ms(10);
		n = rte_eth_rx_burst(p.id, 0, rx, BURST);
		rte_pktmbuf_free_bulk(rx, n);
	}
	if (ret == 0 && n != 0)
		ret = check_ifindex(p.id, if_nametoindex(host), obj);
	else
		printf("iface=%s: no frame from %s (%d)\n", host, far, ret);
	port_destroy(&p);
	snprintf(cmd, sizeof(cmd), "ip link del %s", host);
	if (system(cmd) != 0)
		printf("%s failed\n", cmd);
	rte_xdp_obj_close(obj);
	TEST_ASSERT(ret == TEST_SUCCESS && n != 0, "iface=%s port", host);
	return check_pool_full(mp, "after close");
}

/* Traffic on a worker lcore while the main lcore changes programs. */
static volatile int worker_stop;
static uint64_t worker_passed;

static int
worker_poll(void *arg)
{
	uint16_t port = *(uint16_t *)arg;
	struct rte_mbuf *rx[BURST];
	unsigned int n, i;

	while (!worker_stop) {
		n = rte_eth_rx_burst(port, 0, rx, BURST);
		worker_passed += n;
		for (i = 0; i < n; i++)
			rte_pktmbuf_free(rx[i]);
	}
	return 0;
}

static int
test_replace_and_detach_under_traffic(void)
{
	struct rte_xdp_prog *drop = NULL, *pass = NULL;
	struct rte_xdp_obj *od = load("xdp1", &drop);
	struct rte_xdp_obj *op = load("xdp_verdict", &pass);
	struct rte_pmd_mvneta_xdp_prog_state st;
	struct rte_eth_stats es;
	unsigned int worker, i;
	struct port p;

	TEST_ASSERT(od != NULL && op != NULL, "load");
	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker >= RTE_MAX_LCORE)
		TEST_SKIP("needs a second lcore");
	TEST_ASSERT_SUCCESS(set_u32(op, "cfg", 0, 2 /* PASS */), "cfg");
	TEST_ASSERT_SUCCESS(port_create(&p, "backend=gen,flows=16"), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&p, 1, RING, NULL, mp), "start");
	worker_stop = 0;
	worker_passed = 0;
	rte_eal_remote_launch(worker_poll, &p.id, worker);
	for (i = 0; i < 1000; i++) {
		TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(p.id,
			i % 2 ? pass : drop), "replacement %u", i);
		if (i % 100 >= 98)	/* let the worker run each program */
			rte_delay_ms(2);
	}
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(p.id, NULL),
		"detach under traffic");
	rte_delay_ms(10);
	worker_stop = 1;
	rte_eal_wait_lcore(worker);

	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_query(p.id, &st), "query");
	TEST_ASSERT(st.swaps == 999 && st.restarts == 2,
		"999 swaps, 2 restarts (%u, %u)", st.swaps, st.restarts);
	rte_eth_stats_get(p.id, &es);
	TEST_ASSERT(xstat(p.id, "rx_xdp_drop") > 0 &&
		xstat(p.id, "rx_xdp_pass") > 0, "both programs ran");
	TEST_ASSERT_EQUAL(xstat(p.id, "rx_xdp_aborted"), 0, "no aborts");
	/* Every frame received was passed up or dropped by a program. */
	TEST_ASSERT_EQUAL(es.ipackets, worker_passed +
		xstat(p.id, "rx_xdp_drop"), "no frame lost");
	port_destroy(&p);
	rte_xdp_obj_close(od);
	rte_xdp_obj_close(op);
	return check_pool_full(mp, "after close");
}

/* PASS frames from the cpumap worker. */
static struct rte_mbuf *cpu_passed[64];
static unsigned int nb_cpu_passed;

static void
cpu_pass(struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	RTE_SET_USED(arg);
	while (n-- != 0 && nb_cpu_passed < RTE_DIM(cpu_passed))
		cpu_passed[nb_cpu_passed++] = *pkts++;
}

static int
test_cpumap_worker_program(void)
{
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj = load("xdp_cpumap", &prog);
	struct rte_xdp_cpumap_stats cs;
	struct rte_ether_addr amac;
	struct { uint32_t qsize, prog; } val = { 128, 0 };
	struct rte_xdp_prog *filter;
	struct port a, b;
	uint32_t cpu = 1, key = 0;
	unsigned int i;

	TEST_ASSERT_NOT_NULL(obj, "load xdp_cpumap");
	filter = rte_xdp_obj_find_prog(obj, "xdp_cpu_filter");
	TEST_ASSERT_NOT_NULL(filter, "the cpumap program");
	TEST_ASSERT_SUCCESS(rte_xdp_prog_handle(filter, &val.prog), "handle");
	TEST_ASSERT_SUCCESS(rte_xdp_map_update(rte_xdp_obj_find_map(obj,
		"cpu_map"), &cpu, &val, RTE_XDP_ANY), "cpu_map[1]");
	TEST_ASSERT_SUCCESS(rte_xdp_map_update(rte_xdp_obj_find_map(obj,
		"cfg"), &key, &cpu, RTE_XDP_ANY), "cfg");
	TEST_ASSERT_SUCCESS(rte_xdp_cpumap_worker_start(cpu, 256, cpu_pass,
		NULL), "worker");
	TEST_ASSERT_SUCCESS(pair_create(&a, &b, NULL), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&a, 1, RING, NULL, mp), "start a");
	TEST_ASSERT_SUCCESS(port_setup(&b, 1, RING, NULL, mp), "start b");
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(a.id,
		rte_xdp_obj_find_prog(obj, "xdp_to_cpu")), "attach");
	amac = port_mac(a.id);
	TEST_ASSERT_SUCCESS(send_frames(b.id, &amac, BURST), "b sends");
	drain(a.id);
	TEST_ASSERT_EQUAL(xstat(a.id, "rx_xdp_redirect"), BURST, "redirected");

	/* The worker: the entry's program keeps even source ports. */
	nb_cpu_passed = 0;
	while (rte_xdp_cpumap_worker_poll(cpu, 8) != 0)
		;
	TEST_ASSERT_EQUAL(nb_cpu_passed, BURST / 2, "half passed");
	for (i = 0; i < nb_cpu_passed; i++) {
		TEST_ASSERT_EQUAL(rte_pktmbuf_mtod(cpu_passed[i], uint8_t *)[63] % 2,
			0, "even ones");
		rte_pktmbuf_free(cpu_passed[i]);
	}
	TEST_ASSERT_SUCCESS(rte_xdp_cpumap_worker_stats(cpu, &cs), "stats");
	TEST_ASSERT(cs.enqueued == BURST && cs.processed == BURST &&
		cs.pass == BURST / 2 && cs.drop == BURST / 2,
		"worker counters (%" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 ")",
		cs.enqueued, cs.processed, cs.pass, cs.drop);

	/* qsize 0 entry: the kernel refuses such entries; we drop. */
	val.qsize = 0;
	TEST_ASSERT_SUCCESS(rte_xdp_map_update(rte_xdp_obj_find_map(obj,
		"cpu_map"), &cpu, &val, RTE_XDP_ANY), "cpu_map[1]");
	TEST_ASSERT_SUCCESS(send_frames(b.id, &amac, 8), "b sends");
	drain(a.id);
	TEST_ASSERT_SUCCESS(rte_xdp_cpumap_worker_stats(cpu, &cs), "stats");
	TEST_ASSERT_EQUAL(cs.enqueue_drops, 8, "enqueue drops");

	/* Frames queued when the worker stops go back. */
	val.qsize = 128;
	rte_xdp_map_update(rte_xdp_obj_find_map(obj, "cpu_map"), &cpu, &val,
		RTE_XDP_ANY);
	TEST_ASSERT_SUCCESS(send_frames(b.id, &amac, 8), "b sends");
	drain(a.id);
	rte_pmd_mvneta_xdp_prog_attach(a.id, NULL);
	rte_xdp_cpumap_worker_stop(cpu);
	rte_xdp_prog_handle_release(val.prog);
	port_destroy(&b);
	port_destroy(&a);
	rte_xdp_obj_close(obj);
	return check_pool_full(mp, "after close");
}

static int
test_xskmap_socket(void)
{
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj = load("xdp_xsk", &prog);
	struct rte_xdp_xsk_conf conf = { .ring_size = 64 };
	struct rte_xdp_xsk *xsk, *other;
	struct rte_xdp_xsk_stats xs;
	struct rte_mempool *umem;
	struct rte_mbuf *rx[BURST];
	struct rte_ether_addr mac;
	struct port p;
	uint32_t key = 0, h;
	unsigned int i, n;

	TEST_ASSERT_NOT_NULL(obj, "load xdp_xsk");
	umem = rte_pktmbuf_pool_create(test_unique("umem"), 256, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(umem, "umem");
	TEST_ASSERT_SUCCESS(port_create(&p, NULL), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&p, 1, RING, NULL, mp), "start");
	conf.port_id = p.id;
	conf.umem = umem;
	xsk = rte_xdp_xsk_create(&conf);
	TEST_ASSERT_NOT_NULL(xsk, "socket");
	h = rte_xdp_xsk_handle(xsk);
	TEST_ASSERT_SUCCESS(rte_xdp_map_update(rte_xdp_obj_find_map(obj,
		"xsks_map"), &key, &h, RTE_XDP_ANY), "xsks_map[0]");
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(p.id, prog), "attach");
	mac = port_mac(p.id);

	/* Loopback port: the frames land in the socket as copies. */
	TEST_ASSERT_SUCCESS(send_frames(p.id, &mac, 8), "send");
	drain(p.id);
	n = rte_xdp_xsk_rx_burst(xsk, rx, BURST);
	TEST_ASSERT_EQUAL(n, 8, "socket received");
	for (i = 0; i < n; i++) {
		TEST_ASSERT(rx[i]->pool == umem, "in the socket's buffers");
		TEST_ASSERT_EQUAL(rte_pktmbuf_mtod(rx[i], uint8_t *)[63], i,
			"copied intact");
	}
	/* Sent back out through the port, they come round again. */
	TEST_ASSERT_EQUAL(rte_xdp_xsk_tx_burst(xsk, rx, n), n, "socket sends");
	drain(p.id);
	TEST_ASSERT_EQUAL(rte_xdp_xsk_rx_burst(xsk, rx, BURST), 8, "again");
	for (i = 0; i < 8; i++)
		rte_pktmbuf_free(rx[i]);
	TEST_ASSERT_SUCCESS(rte_xdp_xsk_stats(xsk, &xs), "stats");
	TEST_ASSERT(xs.rx == 16 && xs.tx == 8, "socket counters");

	/* A socket bound to another queue is not fed from queue 0. */
	conf.queue_id = 1;
	other = rte_xdp_xsk_create(&conf);
	h = rte_xdp_xsk_handle(other);
	rte_xdp_map_update(rte_xdp_obj_find_map(obj, "xsks_map"), &key, &h,
		RTE_XDP_ANY);
	TEST_ASSERT_SUCCESS(send_frames(p.id, &mac, 4), "send");
	drain(p.id);
	TEST_ASSERT_EQUAL(xstat(p.id, "rx_xdp_redirect_errors"), 4,
		"wrong queue refused");

	rte_pmd_mvneta_xdp_prog_attach(p.id, NULL);
	port_destroy(&p);
	rte_xdp_xsk_destroy(other);
	rte_xdp_xsk_destroy(xsk);
	TEST_ASSERT_SUCCESS(check_pool_full(umem, "socket buffers"), "umem");
	rte_mempool_free(umem);
	rte_xdp_obj_close(obj);
	return check_pool_full(mp, "after close");
}

static int
test_devmap_egress_and_broadcast(void)
{
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj = load("xdp_devmap_egress", &prog);
	struct rte_xdp_map *tx_ports;
	struct rte_mbuf *rx[BURST];
	struct rte_ether_addr amac;
	struct { uint32_t ifindex, prog; } v;
	struct port a, b, c, d, e, f;
	uint32_t key, egress, c_ifindex;
	unsigned int i, n;

	TEST_ASSERT_NOT_NULL(obj, "load xdp_devmap_egress");
	tx_ports = rte_xdp_obj_find_map(obj, "tx_ports");
	TEST_ASSERT_SUCCESS(rte_xdp_prog_handle(rte_xdp_obj_find_prog(obj,
		"xdp_egress_mark"), &egress), "handle");
	TEST_ASSERT_SUCCESS(pair_create(&a, &b, NULL), "a-b");
	TEST_ASSERT_SUCCESS(pair_create(&c, &d, NULL), "c-d");
	TEST_ASSERT_SUCCESS(pair_create(&e, &f, NULL), "e-f");
	TEST_ASSERT(port_setup(&a, 1, RING, NULL, mp) == 0 &&
		port_setup(&b, 1, RING, NULL, mp) == 0 &&
		port_setup(&c, 1, RING, NULL, mp) == 0 &&
		port_setup(&d, 1, RING, NULL, mp) == 0 &&
		port_setup(&e, 1, RING, NULL, mp) == 0 &&
		port_setup(&f, 1, RING, NULL, mp) == 0, "start");
	rte_eth_promiscuous_enable(d.id);
	rte_eth_promiscuous_enable(f.id);
	/* [0] c with the marking program, [1] e, [2] a itself. */
	c_ifindex = rte_pmd_mvneta_xdp_ifindex(c.id);
	key = 0, v.ifindex = c_ifindex, v.prog = egress;
	TEST_ASSERT_SUCCESS(rte_xdp_map_update(tx_ports, &key, &v, 0), "[0]");
	key = 1, v.ifindex = rte_pmd_mvneta_xdp_ifindex(e.id), v.prog = 0;
	TEST_ASSERT_SUCCESS(rte_xdp_map_update(tx_ports, &key, &v, 0), "[1]");
	key = 2, v.ifindex = rte_pmd_mvneta_xdp_ifindex(a.id), v.prog = 0;
	TEST_ASSERT_SUCCESS(rte_xdp_map_update(tx_ports, &key, &v, 0), "[2]");
	amac = port_mac(a.id);

	/* The entry's program runs before c transmits. */
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(a.id,
		rte_xdp_obj_find_prog(obj, "xdp_to_entry")), "attach");
	TEST_ASSERT_SUCCESS(send_frames(b.id, &amac, BURST), "b sends");
	drain(a.id);
	n = rx_all(d.id, 0, rx, BURST);
	TEST_ASSERT_EQUAL(n, BURST / 2, "odd source ports dropped on egress");
	for (i = 0; i < n; i++) {
		struct rte_ether_hdr *eh = rte_pktmbuf_mtod(rx[i],
			struct rte_ether_hdr *);
		uint32_t mark;

		memcpy(&mark, &eh->src_addr.addr_bytes[2], sizeof(mark));
		TEST_ASSERT_EQUAL(mark, c_ifindex, "egress_ifindex seen");
		rte_pktmbuf_free(rx[i]);
	}

	/* Broadcast: c (through its program) and e, not a, the ingress. */
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(a.id,
		rte_xdp_obj_find_prog(obj, "xdp_broadcast")), "attach");
	TEST_ASSERT_SUCCESS(send_frames(b.id, &amac, 8), "b sends");
	drain(a.id);
	n = rx_all(d.id, 0, rx, 8);
	TEST_ASSERT_EQUAL(n, 4, "c's copies, filtered");
	for (i = 0; i < n; i++)
		rte_pktmbuf_free(rx[i]);
	n = rx_all(f.id, 0, rx, 8);
	TEST_ASSERT_EQUAL(n, 8, "e's copies");
	for (i = 0; i < n; i++)
		rte_pktmbuf_free(rx[i]);
	TEST_ASSERT_EQUAL(rx_all(b.id, 0, rx, 8), 0, "none back to a's wire");

	rte_pmd_mvneta_xdp_prog_attach(a.id, NULL);
	rte_xdp_prog_handle_release(egress);
	port_destroy(&f);
	port_destroy(&e);
	port_destroy(&d);
	port_destroy(&c);
	port_destroy(&b);
	port_destroy(&a);
	rte_xdp_obj_close(obj);
	return check_pool_full(mp, "after close");
}

/* A frame of len bytes in segments of at most seg bytes, payload byte i
 * being (i & 0xff), after a UDP header to dst. */
static struct rte_mbuf *
make_jumbo(const struct rte_ether_addr *dst, uint32_t len, uint32_t seg)
{
	struct rte_mbuf *head = make_frame(mp, RTE_MIN(len, seg), dst, 0), *m;
	uint32_t off = head->data_len, i;
	uint8_t *p = rte_pktmbuf_mtod(head, uint8_t *);

	for (i = 42; i < head->data_len; i++)
		p[i] = i & 0xff;
	while (off < len) {
		uint32_t n = RTE_MIN(len - off, seg);

		m = rte_pktmbuf_alloc(mp);
		p = (uint8_t *)rte_pktmbuf_append(m, n);
		for (i = 0; i < n; i++)
			p[i] = (off + i) & 0xff;
		rte_pktmbuf_chain(head, m);
		off += n;
	}
	return head;
}

static int
test_frags_jumbo_tx(void)
{
	struct rte_eth_conf conf = {
		.rxmode = { .offloads = RTE_ETH_RX_OFFLOAD_SCATTER },
		.txmode = { .offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS },
	};
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj = load("xdp_frags_tx", &prog);
	struct rte_mbuf *tx[4], *rx[4], *m;
	struct rte_ether_addr amac;
	struct port a, b;
	uint64_t seen[2] = { 0, 0 };
	uint32_t k, off;
	unsigned int i;

	TEST_ASSERT_NOT_NULL(obj, "load xdp_frags_tx");
	TEST_ASSERT_SUCCESS(pair_create(&a, &b, NULL), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&a, 1, RING, &conf, mp), "start a");
	TEST_ASSERT_SUCCESS(port_setup(&b, 1, RING, &conf, mp), "start b");
	TEST_ASSERT(rte_eth_dev_set_mtu(a.id, 9000) == 0 &&
		rte_eth_dev_set_mtu(b.id, 9000) == 0, "MTU 9000");
	rte_eth_promiscuous_enable(b.id);
	/* A frags-aware program is taken at an MTU of several buffers. */
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(a.id, prog),
		"attach at MTU 9000");
	amac = port_mac(a.id);
	for (i = 0; i < 4; i++)
		tx[i] = make_jumbo(&amac, 5000, 1500);
	TEST_ASSERT_EQUAL(rte_eth_tx_burst(b.id, 0, tx, 4), 4, "b sends");
	TEST_ASSERT_EQUAL(rx_all(a.id, 0, rx, 4), 0, "a passes nothing up");
	TEST_ASSERT_EQUAL(rx_all(b.id, 0, rx, 4), 4, "all back on b");
	for (i = 0; i < 4; i++) {
		TEST_ASSERT_EQUAL(rx[i]->pkt_len, 5000, "whole frame");
		TEST_ASSERT(rx[i]->nb_segs > 1, "in several buffers");
		for (m = rx[i], off = 0; m != NULL; off += m->data_len,
		     m = m->next)
			for (k = 0; k < m->data_len; k++)
				if (off + k >= 42)
					TEST_ASSERT_EQUAL(rte_pktmbuf_mtod(m,
						uint8_t *)[k], (off + k) & 0xff,
						"byte %u", off + k);
		rte_pktmbuf_free(rx[i]);
	}
	for (k = 0; k < 2; k++)
		rte_xdp_map_lookup(rte_xdp_obj_find_map(obj, "seen"), &k,
			&seen[k]);
	TEST_ASSERT_EQUAL(seen[0], 5000, "bpf_xdp_get_buff_len over frags");
	TEST_ASSERT_EQUAL(seen[1], 4999 & 0xff, "last byte read in a frag");
	TEST_ASSERT_EQUAL(xstat(a.id, "rx_xdp_tx"), 4, "rx_xdp_tx");
	rte_pmd_mvneta_xdp_prog_attach(a.id, NULL);
	port_destroy(&b);
	port_destroy(&a);
	rte_xdp_obj_close(obj);
	return check_pool_full(mp, "after close");
}

/*
 * XDP_TX of a burst mixing one-buffer and multi-buffer frames onto a
 * 32-descriptor ring that fills mid-burst: each frame goes on the ring if
 * its descriptors fit, in order (a small frame after a refused big one
 * still goes), the others are counted as errors and back in the pool.
 */
static int
test_xdp_tx_ring_full_mixed(void)
{
	struct rte_eth_conf conf = {
		.rxmode = { .offloads = RTE_ETH_RX_OFFLOAD_SCATTER },
		.txmode = { .offloads = RTE_ETH_TX_OFFLOAD_MULTI_SEGS },
	};
	enum { NB = 18, SMALL = 100, BIG = 5000 };
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj = load("xdp_frags_tx", &prog);
	struct rte_mbuf *tx[NB], *rx[NB];
	uint32_t len[NB], want[NB];
	struct rte_eth_rxq_info qi;
	struct rte_ether_addr amac;
	unsigned int i, nb_want = 0, room = 32, got, segs;
	struct port a, b;

	TEST_ASSERT_NOT_NULL(obj, "load xdp_frags_tx");
	TEST_ASSERT_SUCCESS(pair_create(&a, &b, "xdp_tx_ring=32"), "probe");
	TEST_ASSERT_SUCCESS(port_setup(&a, 1, 64, &conf, mp), "start a");
	TEST_ASSERT_SUCCESS(port_setup(&b, 1, 64, &conf, mp), "start b");
	TEST_ASSERT(rte_eth_dev_set_mtu(a.id, 9000) == 0 &&
		rte_eth_dev_set_mtu(b.id, 9000) == 0, "MTU 9000");
	rte_eth_promiscuous_enable(b.id);
	TEST_ASSERT_SUCCESS(rte_pmd_mvneta_xdp_prog_attach(a.id, prog),
		"attach");
	TEST_ASSERT_SUCCESS(rte_eth_rx_queue_info_get(a.id, 0, &qi),
		"rxq info");
	amac = port_mac(a.id);
	/* big, big, small, ...: each frame a length of its own */
	for (i = 0; i < NB; i++) {
		len[i] = (i % 3 == 2 ? SMALL : BIG) + i;
		tx[i] = make_jumbo(&amac, len[i], 1500);
		segs = (len[i] + qi.rx_buf_size - 1) / qi.rx_buf_size;
		if (segs <= room) {
			room -= segs;
			want[nb_want++] = len[i];
		}
	}
	TEST_ASSERT(nb_want > 0 && nb_want < NB && len[NB - 1] == SMALL +
		NB - 1, "the ring fills mid-burst");
	TEST_ASSERT_EQUAL(rte_eth_tx_burst(b.id, 0, tx, NB), NB, "b sends");
	/* One burst takes every frame. */
	TEST_ASSERT_EQUAL(rte_eth_rx_burst(a.id, 0, rx, NB), 0, "no PASS");
	TEST_ASSERT_EQUAL(xstat(a.id, "rx_xdp_tx"), nb_want, "rx_xdp_tx");
	TEST_ASSERT_EQUAL(xstat(a.id, "rx_xdp_tx_errors"), NB - nb_want,
		"rx_xdp_tx_errors");
	got = rx_all(b.id, 0, rx, NB);
	TEST_ASSERT_EQUAL(got, nb_want, "the frames that fit came back");
	for (i = 0; i < got; i++) {
		TEST_ASSERT_EQUAL(rx[i]->pkt_len, want[i], "frame %u in order",
			i);
		TEST_ASSERT_EQUAL(rte_pktmbuf_mtod_offset(rte_pktmbuf_lastseg(
			rx[i]), uint8_t *, rte_pktmbuf_lastseg(rx[i])->data_len
			- 1)[0], (want[i] - 1) & 0xff, "frame %u intact", i);
		rte_pktmbuf_free(rx[i]);
	}
	rte_pmd_mvneta_xdp_prog_attach(a.id, NULL);
	port_destroy(&b);
	port_destroy(&a);
	rte_xdp_obj_close(obj);
	return check_pool_full(mp, "after close");
}

static struct unit_test_suite native_suite = {
	.suite_name = "net_mvneta_xdp native XDP",
	.setup = suite_setup,
	.teardown = suite_teardown,
	.unit_test_cases = {
		TEST_CASE(test_xdp1_drop_counts),
		TEST_CASE(test_xdp2_tx_swaps_macs),
		TEST_CASE(test_xdp_tx_ring_full),
		TEST_CASE(test_devmap_redirect),
		TEST_CASE(test_verdicts_pass_abort_invalid),
		TEST_CASE(test_setup_semantics),
		TEST_CASE(test_devargs_prog),
		TEST_CASE(test_map_entry_progs_refused),
		TEST_CASE(test_ifindex_everywhere),
		TEST_CASE(test_replace_and_detach_under_traffic),
		TEST_CASE(test_cpumap_worker_program),
		TEST_CASE(test_xskmap_socket),
		TEST_CASE(test_devmap_egress_and_broadcast),
		TEST_CASE(test_frags_jumbo_tx),
		TEST_CASE(test_xdp_tx_ring_full_mixed),
		TEST_CASES_END()
	},
};

static int
test_native(void)
{
	return unit_test_suite_runner(&native_suite);
}

REGISTER_TEST_COMMAND(mvneta_xdp_native_autotest, test_native);
