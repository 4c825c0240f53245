/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_generic_autotest: generic XDP (rte_xdp_generic.h) on net_ring ports,
 * whose rings let the test play the wire: frames enqueued on a port's RX
 * ring are what it receives, its TX rings hold what it sent. Each verdict
 * with frame contents and counters, XDP_TX ring full, redirect to a second
 * port (bpf_redirect and devmap), the headroom rule (frames moved in their
 * buffer or copied: shared, chained, too long), the explicit hook,
 * replacement and detach under traffic, telemetry, bad input; every pool
 * back to its start.
 */

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "rte_xdp_generic.h"
#include "rte_xdp_map.h"
#include "rte_xdp_prog.h"
#include "rte_xdp_redirect.h"
#include "test.h"
#include "test_ports.h"

#define NB_MBUF		4096
#define RING_SIZE	1024

static struct rte_mempool *mp;		/* frames, headroom 128 */
static struct rte_mempool *cp;		/* copies, given through conf */

/*
 * A net_ring port attached to rings we made (nodeaction=...:ATTACH): ring
 * i is both RX and TX queue i. We enqueue on rx (RX queue 0) what the port
 * receives; TX queue 1 (tx[0]) takes XDP_TX, TX queue 2 (tx[1]) frames
 * redirected to the port.
 */
#define NB_RINGS	16	/* the PMD attaches to all of its rings */

struct rport {
	char name[16];
	uint16_t id;
	struct rte_ring *rings[NB_RINGS];
	struct rte_ring *rx;
	struct rte_ring *tx[2];
};

static int
rport_create(struct rport *p, unsigned int tx_size)
{
	char rn[RTE_RING_NAMESIZE], vdev[64], args[64];
	struct rte_eth_conf conf = { 0 };
	unsigned int i;

	snprintf(p->name, sizeof(p->name), "%s", test_unique("g"));
	for (i = 0; i < NB_RINGS; i++) {
		snprintf(rn, sizeof(rn), "ETH_RXTX%u_%s", i, p->name);
		p->rings[i] = rte_ring_create(rn, i == 1 ? tx_size : RING_SIZE,
			SOCKET_ID_ANY, RING_F_SC_DEQ);
		if (p->rings[i] == NULL)
			return -1;
	}
	p->rx = p->rings[0];
	p->tx[0] = p->rings[1];
	p->tx[1] = p->rings[2];
	snprintf(vdev, sizeof(vdev), "net_ring_%s", p->name);
	snprintf(args, sizeof(args), "nodeaction=%s:0:ATTACH", p->name);
	if (rte_vdev_init(vdev, args) != 0 ||
	    rte_eth_dev_get_port_by_name(p->name, &p->id) != 0)
		return -1;
	if (rte_eth_dev_configure(p->id, 1, 3, &conf) != 0 ||
	    rte_eth_rx_queue_setup(p->id, 0, 256, SOCKET_ID_ANY, NULL, mp) != 0)
		return -1;
	for (i = 0; i < 3; i++)
		if (rte_eth_tx_queue_setup(p->id, i, 256, SOCKET_ID_ANY,
				NULL) != 0)
			return -1;
	return rte_eth_dev_start(p->id);
}

static void
ring_drain(struct rte_ring *r)
{
	struct rte_mbuf *m;

	while (rte_ring_dequeue(r, (void **)&m) == 0)
		rte_pktmbuf_free(m);
}

static void
rport_destroy(struct rport *p)
{
	char vdev[64];
	unsigned int i;

	rte_eth_dev_stop(p->id);
	rte_eth_dev_close(p->id);	/* the ethdev is named after the rings */
	snprintf(vdev, sizeof(vdev), "net_ring_%s", p->name);
	rte_vdev_uninit(vdev);
	for (i = 0; i < NB_RINGS; i++) {
		ring_drain(p->rings[i]);
		rte_ring_free(p->rings[i]);
	}
}

/* n frames of len bytes "received" on p; payload byte = index. */
static int
wire_in(struct rport *p, unsigned int n, uint16_t len)
{
	struct rte_ether_addr dst = { .addr_bytes = { 2, 0, 0, 0, 0, 0xd } };
	/* static: gcc 12 for aarch64 sees the ring copy read it uninitialized */
	static struct rte_mbuf *m[BURST * 4];
	unsigned int i;

	if (n > RTE_DIM(m))
		return -1;
	for (i = 0; i < n; i++) {
		m[i] = make_frame(mp, len, &dst, (uint8_t)i);
		if (m[i] == NULL)
			return -1;
	}
	return rte_ring_enqueue_bulk(p->rx, (void **)m, n, NULL) == n ? 0 : -1;
}

static unsigned int
rx(struct rport *p, struct rte_mbuf **out, unsigned int max)
{
	unsigned int got = 0, tries;

	for (tries = 0; tries < 8 && got < max; tries++)
		got += rte_eth_rx_burst(p->id, 0, out + got, max - got);
	return got;
}

static void
free_all(struct rte_mbuf **m, unsigned int n)
{
	rte_pktmbuf_free_bulk(m, n);
}

static struct rte_xdp_obj *
load(const char *subdir, const char *name, struct rte_xdp_prog **prog)
{
	struct rte_xdp_obj_opts o = {
		.verify = RTE_XDP_VERIFY_BUILTIN, .socket_id = SOCKET_ID_ANY,
	};
	struct rte_xdp_obj *obj;
	char err[256];

	*prog = NULL;
	obj = rte_xdp_obj_open(test_bpf_obj(subdir, name), &o, err,
		sizeof(err));
	if (obj == NULL || rte_xdp_obj_load(obj, err, sizeof(err)) != 0) {
		printf("%s: %s\n", name, err);
		rte_xdp_obj_close(obj);
		return NULL;
	}
	*prog = rte_xdp_obj_prog(obj, 0);
	return obj;
}

static int
set_u32(struct rte_xdp_obj *obj, const char *map, uint32_t key, uint32_t val)
{
	return rte_xdp_map_update(rte_xdp_obj_find_map(obj, map), &key, &val,
		RTE_XDP_ANY);
}

static uint32_t
get_u32(struct rte_xdp_obj *obj, const char *map, uint32_t key)
{
	uint32_t v = UINT32_MAX;

	rte_xdp_map_lookup(rte_xdp_obj_find_map(obj, map), &key, &v);
	return v;
}

static int64_t
get_s64(struct rte_xdp_obj *obj, const char *map, uint32_t key)
{
	int64_t v = INT64_MIN;

	rte_xdp_map_lookup(rte_xdp_obj_find_map(obj, map), &key, &v);
	return v;
}

static struct rte_xdp_generic_stats
stats(uint16_t port)
{
	struct rte_xdp_generic_stats st;

	memset(&st, 0xff, sizeof(st));
	rte_xdp_generic_stats_get(port, RTE_XDP_GENERIC_ALL_QUEUES, &st);
	return st;
}

/* Every buffer back: frames, given copies, and the port's own copies. */
static int
pools_full(uint16_t port, const char *when)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	struct rte_mempool *own;

	snprintf(name, sizeof(name), "xdpg_copy_%u", port);
	own = rte_mempool_lookup(name);
	if (own != NULL && check_pool_full(own, when) != TEST_SUCCESS)
		return TEST_FAILED;
	if (check_pool_full(cp, when) != TEST_SUCCESS)
		return TEST_FAILED;
	return check_pool_full(mp, when);
}

static int
suite_setup(void)
{
	if (access(test_bpf_obj("driver", "xdp_verdict"), R_OK) != 0 ||
	    access(test_bpf_obj("fwd", "xdp_headroom"), R_OK) != 0)
		TEST_SKIP("BPF test objects not built (clang missing?)");
	mp = rte_pktmbuf_pool_create(test_unique("gen"), NB_MBUF, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	cp = rte_pktmbuf_pool_create(test_unique("gcp"), 512, 0, 0,
		RTE_XDP_PACKET_HEADROOM + 2048, SOCKET_ID_ANY);
	return mp != NULL && cp != NULL ? TEST_SUCCESS : TEST_FAILED;
}

static void
suite_teardown(void)
{
	rte_mempool_free(cp);
	rte_mempool_free(mp);
}

static int
test_pass(void)
{
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj = load("driver", "xdp_verdict", &prog);
	struct rte_mbuf *m[BURST];
	struct rte_xdp_generic_stats st;
	struct rport a;
	unsigned int i, got;

	TEST_ASSERT_NOT_NULL(obj, "load xdp_verdict");
	TEST_ASSERT_SUCCESS(rport_create(&a, RING_SIZE), "net_ring port");
	TEST_ASSERT_SUCCESS(set_u32(obj, "cfg", 0, RTE_XDP_PASS), "cfg");
	TEST_ASSERT_NULL(rte_xdp_generic_prog_get(a.id, 0), "nothing yet");
	TEST_ASSERT_SUCCESS(rte_xdp_generic_attach(a.id, 0, prog, NULL),
		"attach");
	TEST_ASSERT(rte_xdp_generic_prog_get(a.id, 0) == prog, "prog_get");
	TEST_ASSERT_SUCCESS(wire_in(&a, BURST, 100), "wire");
	got = rx(&a, m, BURST);
	TEST_ASSERT_EQUAL(got, BURST, "every frame passed up");
	for (i = 0; i < got; i++) {
		TEST_ASSERT_EQUAL(rte_pktmbuf_pkt_len(m[i]), 100, "length");
		TEST_ASSERT_EQUAL(rte_pktmbuf_mtod(m[i], uint8_t *)[99], i,
			"payload intact and in order");
		TEST_ASSERT(m[i]->data_off >= RTE_XDP_PACKET_HEADROOM,
			"the program ran with 256 bytes of headroom");
	}
	free_all(m, got);
	TEST_ASSERT_EQUAL(get_u32(obj, "cfg", 2), BURST, "program ran per frame");
	st = stats(a.id);
	TEST_ASSERT_EQUAL(st.rx_xdp_packets, BURST, "rx_xdp_packets");
	TEST_ASSERT_EQUAL(st.rx_xdp_bytes, BURST * 100, "rx_xdp_bytes");
	TEST_ASSERT_EQUAL(st.rx_xdp_pass, BURST, "rx_xdp_pass");
	TEST_ASSERT_EQUAL(st.rx_xdp_copy, BURST,
		"128-byte headroom frames moved to 256");
	TEST_ASSERT_EQUAL(st.rx_xdp_drop + st.rx_xdp_tx + st.rx_xdp_redirect,
		0, "nothing else");
	TEST_ASSERT_SUCCESS(rte_xdp_generic_detach(a.id, 0), "detach");
	/* Detached: the hook lets everything through untouched. */
	TEST_ASSERT_SUCCESS(wire_in(&a, 4, 100), "wire");
	TEST_ASSERT_EQUAL(rx(&a, m, BURST), 4, "frames pass without program");
	TEST_ASSERT_EQUAL(m[0]->data_off, RTE_PKTMBUF_HEADROOM, "not moved");
	free_all(m, 4);
	TEST_ASSERT_EQUAL(stats(a.id).rx_xdp_packets, BURST, "not counted");
	rport_destroy(&a);
	rte_xdp_obj_close(obj);
	return pools_full(a.id, "pass");
}

static int
test_drop_aborted(void)
{
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj = load("driver", "xdp_verdict", &prog);
	struct rte_mbuf *m[BURST * 4];
	struct rte_xdp_generic_stats st;
	struct rport a;

	TEST_ASSERT_NOT_NULL(obj, "load xdp_verdict");
	TEST_ASSERT_SUCCESS(rport_create(&a, RING_SIZE), "net_ring port");
	TEST_ASSERT_SUCCESS(rte_xdp_generic_attach(a.id, 0, prog, NULL),
		"attach");
	TEST_ASSERT_SUCCESS(set_u32(obj, "cfg", 0, RTE_XDP_DROP), "cfg");
	/* 100 frames asked in one burst: run in chunks, all dropped. */
	TEST_ASSERT_SUCCESS(wire_in(&a, 100, 64), "wire");
	TEST_ASSERT_EQUAL(rte_eth_rx_burst(a.id, 0, m, 100), 0, "all dropped");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), mp->size,
		"dropped frames freed at once");
	TEST_ASSERT_SUCCESS(set_u32(obj, "cfg", 0, RTE_XDP_ABORTED), "cfg");
	TEST_ASSERT_SUCCESS(wire_in(&a, 10, 64), "wire");
	TEST_ASSERT_EQUAL(rx(&a, m, BURST), 0, "aborted");
	TEST_ASSERT_SUCCESS(set_u32(obj, "cfg", 0, 77), "cfg");
	TEST_ASSERT_SUCCESS(wire_in(&a, 5, 64), "wire");
	TEST_ASSERT_EQUAL(rx(&a, m, BURST), 0, "invalid verdict");
	st = stats(a.id);
	TEST_ASSERT_EQUAL(st.rx_xdp_drop, 115, "rx_xdp_drop");
	TEST_ASSERT_EQUAL(st.rx_xdp_aborted, 15, "rx_xdp_aborted");
	TEST_ASSERT_EQUAL(st.rx_xdp_pass, 0, "rx_xdp_pass");
	TEST_ASSERT_SUCCESS(rte_xdp_generic_stats_reset(a.id,
		RTE_XDP_GENERIC_ALL_QUEUES), "reset");
	TEST_ASSERT_EQUAL(stats(a.id).rx_xdp_drop, 0, "reset");
	rport_destroy(&a);
	rte_xdp_obj_close(obj);
	return pools_full(a.id, "drop");
}

static int
test_tx(void)
{
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj = load("driver", "xdp2", &prog);
	struct rte_xdp_generic_conf conf = {
		.tx_queue = 1, .redirect_tx_queue = 2,
	};
	struct rte_ether_addr dst = { .addr_bytes = { 2, 0, 0, 0, 0, 0xd } };
	struct rte_ether_addr src;
	struct rte_mbuf *m[BURST];
	struct rte_xdp_generic_stats st;
	struct rport a;
	unsigned int i, got;

	TEST_ASSERT_NOT_NULL(obj, "load xdp2");
	/* A 16-slot TX ring (15 usable): 17 of 32 frames cannot go out. */
	TEST_ASSERT_SUCCESS(rport_create(&a, 16), "net_ring port");
	TEST_ASSERT_SUCCESS(rte_xdp_generic_attach(a.id, 0, prog, &conf),
		"attach");
	TEST_ASSERT_SUCCESS(wire_in(&a, BURST, 80), "wire");
	TEST_ASSERT_EQUAL(rte_eth_rx_burst(a.id, 0, m, BURST), 0,
		"nothing passed up");
	got = rte_ring_dequeue_burst(a.tx[0], (void **)m, BURST, NULL);
	TEST_ASSERT_EQUAL(got, 15, "XDP_TX frames on TX queue 1");
	memset(&src, 0x02, sizeof(src));
	for (i = 0; i < got; i++) {
		struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m[i],
			struct rte_ether_hdr *);

		TEST_ASSERT(rte_is_same_ether_addr(&eh->dst_addr, &src) &&
			rte_is_same_ether_addr(&eh->src_addr, &dst),
			"MACs swapped");
		TEST_ASSERT_EQUAL(rte_pktmbuf_mtod(m[i], uint8_t *)[79], i,
			"payload");
	}
	free_all(m, got);
	st = stats(a.id);
	TEST_ASSERT_EQUAL(st.rx_xdp_tx, 15, "rx_xdp_tx");
	TEST_ASSERT_EQUAL(st.rx_xdp_tx_errors, 17, "rx_xdp_tx_errors");
	TEST_ASSERT_EQUAL(rte_ring_count(a.tx[1]), 0, "redirect queue unused");
	rport_destroy(&a);
	rte_xdp_obj_close(obj);
	return pools_full(a.id, "tx");
}

static int
test_redirect(void)
{
	struct rte_xdp_prog *prog, *rprog;
	struct rte_xdp_obj *obj = load("driver", "xdp_verdict", &prog);
	struct rte_xdp_obj *robj = load("driver", "xdp_redirect_map", &rprog);
	struct rte_xdp_generic_conf conf = {
		.tx_queue = 1, .redirect_tx_queue = 2, .copy_pool = NULL,
	};
	struct rte_mbuf *m[BURST];
	struct rte_xdp_generic_stats st;
	struct rport a, b;
	uint32_t bidx, idx, key = 0;
	unsigned int i, got;

	TEST_ASSERT_NOT_NULL(obj, "load xdp_verdict");
	TEST_ASSERT_NOT_NULL(robj, "load xdp_redirect_map");
	TEST_ASSERT_SUCCESS(rport_create(&a, RING_SIZE), "port a");
	TEST_ASSERT_SUCCESS(rport_create(&b, RING_SIZE), "port b");
	conf.copy_pool = cp;
	TEST_ASSERT_SUCCESS(rte_xdp_generic_attach(a.id, 0, prog, &conf),
		"attach a");
	TEST_ASSERT_SUCCESS(rte_xdp_generic_attach(b.id, 0, prog, &conf),
		"attach b: a redirect target");
	bidx = rte_xdp_port_ifindex(b.id);
	TEST_ASSERT_EQUAL(bidx, RTE_XDP_IFINDEX_BASE + b.id,
		"synthetic ifindex of a port without interface");
	TEST_ASSERT_SUCCESS(rte_xdp_dev_ifindex(b.id, &idx), "target");
	TEST_ASSERT_EQUAL(idx, bidx, "registered under its ifindex");
	TEST_ASSERT_SUCCESS(set_u32(obj, "cfg", 0, RTE_XDP_REDIRECT), "cfg");
	TEST_ASSERT_SUCCESS(set_u32(obj, "cfg", 1, bidx), "cfg");
	TEST_ASSERT_SUCCESS(wire_in(&a, BURST, 90), "wire");
	TEST_ASSERT_EQUAL(rx(&a, m, BURST), 0, "nothing passed up");
	got = rte_ring_dequeue_burst(b.tx[1], (void **)m, BURST, NULL);
	TEST_ASSERT_EQUAL(got, BURST, "on b's redirect TX queue");
	for (i = 0; i < got; i++)
		TEST_ASSERT_EQUAL(rte_pktmbuf_mtod(m[i], uint8_t *)[89], i,
			"frame intact, in order");
	free_all(m, got);
	TEST_ASSERT_EQUAL(rte_ring_count(b.tx[0]), 0, "not on b's XDP_TX queue");
	/* To an ifindex nobody has. */
	TEST_ASSERT_SUCCESS(set_u32(obj, "cfg", 1, 999999), "cfg");
	TEST_ASSERT_SUCCESS(wire_in(&a, 8, 90), "wire");
	TEST_ASSERT_EQUAL(rx(&a, m, BURST), 0, "nothing passed up");
	st = stats(a.id);
	TEST_ASSERT_EQUAL(st.rx_xdp_redirect, BURST, "rx_xdp_redirect");
	TEST_ASSERT_EQUAL(st.rx_xdp_redirect_errors, 8,
		"rx_xdp_redirect_errors");
	TEST_ASSERT_EQUAL(st.rx_xdp_copy, BURST + 8, "128-byte headroom: moved");

	/* Through a devmap: replace a's program with xdp_redirect_map. */
	TEST_ASSERT_SUCCESS(rte_xdp_map_update(rte_xdp_obj_find_map(robj,
		"tx_port"), &key, &bidx, RTE_XDP_ANY), "devmap entry");
	TEST_ASSERT_SUCCESS(rte_xdp_generic_attach(a.id, 0, rprog, NULL),
		"replace");
	TEST_ASSERT_SUCCESS(wire_in(&a, BURST, 70), "wire");
	TEST_ASSERT_EQUAL(rx(&a, m, BURST), 0, "nothing passed up");
	got = rte_ring_dequeue_burst(b.tx[1], (void **)m, BURST, NULL);
	TEST_ASSERT_EQUAL(got, BURST, "devmap redirect to b");
	TEST_ASSERT_EQUAL(rte_pktmbuf_pkt_len(m[0]), 70, "length");
	free_all(m, got);
	TEST_ASSERT_SUCCESS(rte_xdp_generic_detach(b.id, 0), "detach b");
	TEST_ASSERT_FAIL(rte_xdp_dev_ifindex(b.id, &idx),
		"b no longer a target");
	TEST_ASSERT_SUCCESS(wire_in(&a, 4, 70), "wire");
	TEST_ASSERT_EQUAL(rx(&a, m, BURST), 0, "nothing passed up");
	TEST_ASSERT_EQUAL(stats(a.id).rx_xdp_redirect_errors, 12,
		"redirect to a port that left");
	rport_destroy(&a);
	rport_destroy(&b);
	rte_xdp_obj_close(robj);
	rte_xdp_obj_close(obj);
	return pools_full(a.id, "redirect");
}

/* A frame of first bytes followed by a second segment of len - first
 * bytes, all payload bytes 7. */
static struct rte_mbuf *
chained(uint16_t len, uint16_t first)
{
	struct rte_ether_addr dst = { .addr_bytes = { 2, 0, 0, 0, 0, 0xd } };
	struct rte_mbuf *m = make_frame(mp, first, &dst, 7);
	struct rte_mbuf *t = rte_pktmbuf_alloc(mp);
	void *p;

	if (m == NULL || t == NULL)
		return NULL;
	p = rte_pktmbuf_append(t, len - first);
	if (p == NULL)
		return NULL;
	memset(p, 7, len - first);
	if (rte_pktmbuf_chain(m, t) != 0)
		return NULL;
	return m;
}

static int
test_headroom(void)
{
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj = load("fwd", "xdp_headroom", &prog);
	struct rte_xdp_generic_conf conf = {
		.tx_queue = 1, .redirect_tx_queue = 2,
	};
	struct rte_ether_addr dst = { .addr_bytes = { 2, 0, 0, 0, 0, 0xd } };
	struct rte_mbuf *m[BURST], *in[4], *shared;
	struct rte_xdp_generic_stats st;
	struct rport a;
	uint8_t *p;

	TEST_ASSERT_NOT_NULL(obj, "load xdp_headroom");
	TEST_ASSERT_SUCCESS(rport_create(&a, RING_SIZE), "net_ring port");
	conf.copy_pool = cp;
	TEST_ASSERT_SUCCESS(rte_xdp_generic_attach(a.id, 0, prog, &conf),
		"attach");

	/* 1. 128 bytes of headroom: moved to 256 in its own buffer. */
	TEST_ASSERT_SUCCESS(wire_in(&a, 1, 60), "wire");
	TEST_ASSERT_EQUAL(rx(&a, m, 1), 1, "passed");
	TEST_ASSERT_EQUAL(get_s64(obj, "res", 0), 0, "adjust_head(-200) works");
	TEST_ASSERT_EQUAL(rte_pktmbuf_pkt_len(m[0]), 260, "200 bytes claimed");
	TEST_ASSERT_EQUAL(m[0]->data_off, RTE_XDP_PACKET_HEADROOM - 200,
		"data moved into the headroom");
	TEST_ASSERT_EQUAL(m[0]->pool, mp, "same buffer");
	p = rte_pktmbuf_mtod(m[0], uint8_t *);
	TEST_ASSERT(p[0] == 0xa5 && p[199] == 0xa5 && p[200 + 59] == 0,
		"mark written, frame after it");
	free_all(m, 1);

	/* 2. Shared (refcount 2): copied, the other reference untouched. */
	shared = make_frame(mp, 60, &dst, 3);
	TEST_ASSERT_NOT_NULL(shared, "frame");
	rte_mbuf_refcnt_update(shared, 1);
	in[0] = shared;
	/* 3. Two segments: linearised into a copy. */
	in[1] = chained(300, 100);
	TEST_ASSERT_NOT_NULL(in[1], "chained frame");
	/* 4. Too long for a copy buffer (2048 bytes after the headroom). */
	in[2] = chained(2100, 1500);
	TEST_ASSERT_NOT_NULL(in[2], "long chained frame");
	TEST_ASSERT_EQUAL(rte_ring_enqueue_bulk(a.rx, (void **)in, 3, NULL), 3,
		"wire");
	TEST_ASSERT_EQUAL(rx(&a, m, BURST), 2, "two passed, the long one dropped");
	TEST_ASSERT(m[0] != shared && m[0]->pool == cp, "shared frame copied");
	TEST_ASSERT_EQUAL(rte_pktmbuf_pkt_len(m[0]), 260, "copy grown");
	TEST_ASSERT_EQUAL(rte_pktmbuf_mtod(m[0], uint8_t *)[0], 0xa5, "marked");
	TEST_ASSERT_EQUAL(rte_pktmbuf_mtod(m[0], uint8_t *)[200 + 59], 3,
		"copy holds the frame");
	TEST_ASSERT_EQUAL(rte_pktmbuf_mtod(shared, uint8_t *)[0], 2,
		"the shared original is unchanged");
	TEST_ASSERT_EQUAL(rte_mbuf_refcnt_read(shared), 1,
		"our reference was dropped");
	rte_pktmbuf_free(shared);
	TEST_ASSERT(m[1]->pool == cp && m[1]->nb_segs == 1, "linear copy");
	TEST_ASSERT_EQUAL(rte_pktmbuf_pkt_len(m[1]), 500, "all 300 + 200");
	TEST_ASSERT_EQUAL(get_s64(obj, "res", 1), 300,
		"the program saw all 300 bytes");
	TEST_ASSERT_EQUAL(rte_pktmbuf_mtod(m[1], uint8_t *)[200 + 299], 7,
		"second segment's bytes in place");
	free_all(m, 2);
	st = stats(a.id);
	TEST_ASSERT_EQUAL(st.rx_xdp_copy, 3, "one move, two copies");
	TEST_ASSERT_EQUAL(st.rx_xdp_copy_errors, 1, "rx_xdp_copy_errors");
	TEST_ASSERT_EQUAL(st.rx_xdp_drop, 1, "counted as a drop");

	/* 5. headroom 1: the application says its program needs none. */
	conf.headroom = 1;
	TEST_ASSERT_SUCCESS(rte_xdp_generic_attach(a.id, 0, prog, &conf),
		"re-attach with headroom 1");
	TEST_ASSERT_SUCCESS(wire_in(&a, 1, 60), "wire");
	TEST_ASSERT_EQUAL(rx(&a, m, 1), 1, "passed");
	TEST_ASSERT_EQUAL(get_s64(obj, "res", 0), -EINVAL,
		"adjust_head(-200) refused with 128 bytes");
	TEST_ASSERT_EQUAL(m[0]->data_off, RTE_PKTMBUF_HEADROOM, "frame in place");
	TEST_ASSERT_EQUAL(rte_pktmbuf_pkt_len(m[0]), 60, "unchanged");
	free_all(m, 1);
	TEST_ASSERT_EQUAL(stats(a.id).rx_xdp_copy, 3, "no copy");
	rport_destroy(&a);
	rte_xdp_obj_close(obj);
	return pools_full(a.id, "headroom");
}

static int
test_explicit(void)
{
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj = load("driver", "xdp_verdict", &prog);
	struct rte_xdp_generic_conf conf = {
		.flags = RTE_XDP_GENERIC_F_EXPLICIT | RTE_XDP_GENERIC_F_NO_TARGET,
		.tx_queue = 0,
	};
	struct rte_mbuf *m[BURST];
	struct rport a;
	uint32_t idx;
	unsigned int got, i;

	TEST_ASSERT_NOT_NULL(obj, "load xdp_verdict");
	TEST_ASSERT_SUCCESS(rport_create(&a, RING_SIZE), "net_ring port");
	TEST_ASSERT_SUCCESS(rte_xdp_generic_attach(a.id, 0, prog, &conf),
		"attach");
	TEST_ASSERT_FAIL(rte_xdp_dev_ifindex(a.id, &idx),
		"NO_TARGET: not a redirect target");
	TEST_ASSERT_SUCCESS(set_u32(obj, "cfg", 0, RTE_XDP_DROP), "cfg");
	TEST_ASSERT_SUCCESS(wire_in(&a, 10, 64), "wire");
	got = rx(&a, m, BURST);
	TEST_ASSERT_EQUAL(got, 10, "no hook in rx_burst");
	TEST_ASSERT_EQUAL(get_u32(obj, "cfg", 2), 0, "program not run");
	/* Keep the even frames: pass them, drop the others. */
	for (i = 0; i < got; i += 2)
		TEST_ASSERT_EQUAL(rte_xdp_generic_run(a.id, 0, m + i, 1), 0,
			"dropped");
	TEST_ASSERT_SUCCESS(set_u32(obj, "cfg", 0, RTE_XDP_PASS), "cfg");
	for (i = 1; i < got; i += 2)
		TEST_ASSERT_EQUAL(rte_xdp_generic_run(a.id, 0, m + i, 1), 1,
			"passed");
	for (i = 1; i < got; i += 2)
		rte_pktmbuf_free(m[i]);
	TEST_ASSERT_EQUAL(get_u32(obj, "cfg", 2), 10, "program ran");
	TEST_ASSERT_EQUAL(stats(a.id).rx_xdp_drop, 5, "rx_xdp_drop");
	TEST_ASSERT_EQUAL(stats(a.id).rx_xdp_pass, 5, "rx_xdp_pass");
	rport_destroy(&a);
	rte_xdp_obj_close(obj);
	return pools_full(a.id, "explicit");
}

/* A devmap or cpumap entry's program on a port: the kernel's refusal. */
static int
map_entry_prog_refused(uint16_t port, const char *obj_name,
	const char *prog_name, const char *says)
{
	struct rte_xdp_prog *first, *prog;
	struct rte_xdp_obj *obj = load("driver", obj_name, &first);
	char *log;
	int ret;

	TEST_ASSERT_NOT_NULL(obj, "load %s", obj_name);
	prog = rte_xdp_obj_find_prog(obj, prog_name);
	TEST_ASSERT_NOT_NULL(prog, "%s in %s", prog_name, obj_name);
	TEST_ASSERT_SUCCESS(log_capture_start(), "capture");
	ret = rte_xdp_generic_attach(port, 0, prog, NULL);
	log = log_capture_stop();
	rte_xdp_obj_close(obj);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "%s attached", prog_name);
	TEST_ASSERT(strstr(log, says) != NULL, "no line \"%s\"", says);
	free(log);
	TEST_ASSERT(rte_xdp_generic_prog_get(port, 0) == NULL,
		"nothing attached");
	return TEST_SUCCESS;
}

static int
test_bad_input(void)
{
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj = load("driver", "xdp_verdict", &prog);
	struct rte_xdp_generic_conf conf = { .tx_queue = 5 };
	struct rte_xdp_generic_stats st;
	uint16_t none = RTE_MAX_ETHPORTS - 1;
	struct rport a;
	int ret;

	TEST_ASSERT_NOT_NULL(obj, "load xdp_verdict");
	TEST_ASSERT(!rte_eth_dev_is_valid_port(none), "port %u unused", none);
	TEST_ASSERT_EQUAL(rte_xdp_generic_attach(none, 0, prog, NULL), -ENODEV,
		"attach to a port that does not exist");
	TEST_ASSERT_EQUAL(rte_xdp_generic_detach(none, 0), -ENODEV,
		"detach from a port that does not exist");
	TEST_ASSERT_EQUAL(rte_xdp_generic_stats_get(none, 0, &st), -ENODEV,
		"stats of a port that does not exist");
	TEST_ASSERT_SUCCESS(rport_create(&a, RING_SIZE), "net_ring port");
	TEST_ASSERT_EQUAL(rte_xdp_generic_attach(a.id, 0, NULL, NULL), -EINVAL,
		"NULL program");
	TEST_ASSERT_EQUAL(rte_xdp_generic_attach(a.id, 3, prog, NULL), -EINVAL,
		"RX queue the port does not have");
	TEST_ASSERT_EQUAL(rte_xdp_generic_attach(a.id, 0, prog, &conf), -EINVAL,
		"TX queue the port does not have");
	conf.tx_queue = 1;
	conf.redirect_tx_queue = 9;
	TEST_ASSERT_EQUAL(rte_xdp_generic_attach(a.id, 0, prog, &conf), -EINVAL,
		"redirect TX queue the port does not have");
	TEST_ASSERT_EQUAL(rte_xdp_generic_detach(a.id, 0), -ENOENT,
		"detach with nothing attached");
	ret = map_entry_prog_refused(a.id, "xdp_devmap_egress",
		"xdp_egress_mark", "program xdp_egress_mark (SEC(\"xdp/devmap\")): BPF_XDP_DEVMAP programs can not be attached to a device");
	if (ret == TEST_SUCCESS)
		ret = map_entry_prog_refused(a.id, "xdp_cpumap",
			"xdp_cpu_filter", "program xdp_cpu_filter (SEC(\"xdp/cpumap\")): BPF_XDP_CPUMAP programs can not be attached to a device");
	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT_SUCCESS(rte_xdp_generic_attach(a.id, 0, prog, NULL),
		"attach");
	TEST_ASSERT_SUCCESS(rte_xdp_generic_detach(a.id, 0), "detach");
	TEST_ASSERT_EQUAL(rte_xdp_generic_detach(a.id, 0), -ENOENT,
		"detach twice");
	TEST_ASSERT_EQUAL(rte_xdp_generic_stats_get(a.id, 7, &st), -EINVAL,
		"stats of a queue never attached");
	TEST_ASSERT_SUCCESS(rte_xdp_generic_attach(a.id, 0, prog, NULL),
		"attach again after detach");
	rport_destroy(&a);	/* released with a program attached */
	TEST_ASSERT_EQUAL(rte_xdp_generic_detach(a.id, 0), -ENODEV,
		"port gone");
	rte_xdp_obj_close(obj);
	return pools_full(a.id, "bad input");
}

/* Replacements and detaches while another lcore receives. */
static volatile int stop_rx;
static uint64_t rx_passed;

static int
rx_loop(void *arg)
{
	struct rport *a = arg;
	struct rte_mbuf *m[BURST];
	unsigned int n;

	while (!stop_rx) {
		wire_in(a, BURST, 64);
		n = rte_eth_rx_burst(a->id, 0, m, BURST);
		rx_passed += n;
		rte_pktmbuf_free_bulk(m, n);
	}
	return 0;
}

static int
test_swap_under_traffic(void)
{
	struct rte_xdp_prog *pass, *drop;
	struct rte_xdp_obj *po = load("driver", "xdp_verdict", &pass);
	struct rte_xdp_obj *dobj = load("driver", "xdp1", &drop);
	struct rte_xdp_generic_stats st;
	struct rte_eth_stats es;
	unsigned int worker, i;
	struct rport a;

	TEST_ASSERT_NOT_NULL(po, "load xdp_verdict");
	TEST_ASSERT_NOT_NULL(dobj, "load xdp1");
	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker >= RTE_MAX_LCORE) {
		rte_xdp_obj_close(po);
		rte_xdp_obj_close(dobj);
		TEST_SKIP("needs a worker lcore");
	}
	TEST_ASSERT_SUCCESS(set_u32(po, "cfg", 0, RTE_XDP_PASS), "cfg");
	TEST_ASSERT_SUCCESS(rport_create(&a, RING_SIZE), "net_ring port");
	stop_rx = 0;
	rx_passed = 0;
	rte_eal_remote_launch(rx_loop, &a, worker);
	for (i = 0; i < 300; i++) {
		struct rte_xdp_prog *p = i % 2 ? drop : pass;

		if (i % 3 == 2)
			TEST_ASSERT_SUCCESS(rte_xdp_generic_detach(a.id, 0),
				"detach under traffic");
		else
			TEST_ASSERT_SUCCESS(rte_xdp_generic_attach(a.id, 0, p,
				NULL), "attach/replace under traffic");
		rte_delay_us(200);
	}
	stop_rx = 1;
	rte_eal_wait_lcore(worker);
	rte_eth_stats_get(a.id, &es);
	st = stats(a.id);
	TEST_ASSERT(st.rx_xdp_pass > 0 && st.rx_xdp_drop > 0,
		"both programs ran (%" PRIu64 " passed, %" PRIu64 " dropped)",
		st.rx_xdp_pass, st.rx_xdp_drop);
	TEST_ASSERT_EQUAL(st.rx_xdp_pass + st.rx_xdp_drop, st.rx_xdp_packets,
		"every frame run has a verdict");
	TEST_ASSERT_EQUAL(rx_passed + st.rx_xdp_drop, es.ipackets,
		"every frame received was passed or dropped");
	rport_destroy(&a);
	rte_xdp_obj_close(po);
	rte_xdp_obj_close(dobj);
	return pools_full(a.id, "swap");
}

static int
test_telemetry(void)
{
	struct rte_xdp_prog *prog;
	struct rte_xdp_obj *obj = load("driver", "xdp1", &prog);
	char out[8192], want[64];
	struct rport a;

	TEST_ASSERT_NOT_NULL(obj, "load xdp1");
	TEST_ASSERT_SUCCESS(rport_create(&a, RING_SIZE), "net_ring port");
	if (telemetry_query("/xdp/list", out, sizeof(out)) != 0) {
		rport_destroy(&a);
		rte_xdp_obj_close(obj);
		TEST_SKIP("no telemetry socket in %s", rte_eal_get_runtime_dir());
	}
	snprintf(want, sizeof(want), "%u", a.id);
	TEST_ASSERT(strstr(out, "\"/xdp/list\":[") != NULL, "list: %s", out);
	TEST_ASSERT_SUCCESS(rte_xdp_generic_attach(a.id, 0, prog, NULL),
		"attach");
	TEST_ASSERT_SUCCESS(wire_in(&a, 3, 64), "wire");
	TEST_ASSERT_EQUAL(rx(&a, (struct rte_mbuf *[BURST]){ 0 }, BURST), 0,
		"dropped by xdp1");
	TEST_ASSERT_SUCCESS(telemetry_query("/xdp/list", out, sizeof(out)),
		"list");
	TEST_ASSERT(strstr(out, want) != NULL, "port %s listed: %s", want, out);
	snprintf(want, sizeof(want), "/xdp/info,%u", a.id);
	TEST_ASSERT_SUCCESS(telemetry_query(want, out, sizeof(out)), "info");
	TEST_ASSERT(strstr(out, "\"mode\":\"generic\"") != NULL &&
		strstr(out, "\"name\":\"xdp_prog1\"") != NULL &&
		strstr(out, "rxcnt: percpu_array") != NULL &&
		strstr(out, "\"rx_xdp_drop\":3") != NULL,
		"info has mode, program, maps, counters: %s", out);
	TEST_ASSERT_SUCCESS(rte_xdp_generic_detach(a.id, 0), "detach");
	snprintf(want, sizeof(want), "/xdp/info,%u", a.id);
	TEST_ASSERT_SUCCESS(telemetry_query(want, out, sizeof(out)), "info");
	TEST_ASSERT(strstr(out, "null") != NULL, "no program: %s", out);
	rport_destroy(&a);
	rte_xdp_obj_close(obj);
	return pools_full(a.id, "telemetry");
}

static struct unit_test_suite xdp_generic_suite = {
	.suite_name = "generic XDP",
	.setup = suite_setup,
	.teardown = suite_teardown,
	.unit_test_cases = {
		TEST_CASE(test_pass),
		TEST_CASE(test_drop_aborted),
		TEST_CASE(test_tx),
		TEST_CASE(test_redirect),
		TEST_CASE(test_headroom),
		TEST_CASE(test_explicit),
		TEST_CASE(test_bad_input),
		TEST_CASE(test_swap_under_traffic),
		TEST_CASE(test_telemetry),
		TEST_CASES_END(),
	},
};

static int
test_xdp_generic(void)
{
	return unit_test_suite_runner(&xdp_generic_suite);
}

REGISTER_TEST_COMMAND(xdp_generic_autotest, test_xdp_generic);
