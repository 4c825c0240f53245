/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_frame_path: arbitrary frames through net_mvneta_xdp's RX loop.
 *
 * Three loopback ports (what a port sends it receives): L runs one of the
 * programs of bpf/xdp_fuzz.o (XDP_PASS, XDP_DROP, XDP_TX, or the adjust
 * program, which moves head, tail and metadata by fuzzer-chosen amounts
 * and returns any verdict, XDP_REDIRECT through a devmap to R included);
 * R takes L's redirected frames; J has no program, MTU 9000 and RX
 * scatter (multi-descriptor frames). An input is a 20-byte header and a
 * frame of up to 9000 bytes, sent as a chain of 1 to 4 segments, with or
 * without TX checksum offloads. After every input the ports are drained
 * and checked: every buffer is in its pool or held by a port, no guard
 * zone after a buffer was touched, and L's XDP counters add up to the
 * frames it received.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "rte_pmd_mvneta_xdp.h"
#include "rte_xdp_map.h"
#include "rte_xdp_prog.h"
#include "fuzz_common.h"

typedef int32_t __s32;
typedef uint32_t __u32;
#include "bpf/xdp_fuzz.h"

#define RING		128
#define NB_RX_MBUF	2048
#define RX_ROOM		(RTE_XDP_PACKET_HEADROOM + 2048)
#define NB_TX_MBUF	256	/* > TX ring: sent buffers wait there */
#define TX_ROOM		(RTE_PKTMBUF_HEADROOM + 9216)
#define MAX_FRAME	9000

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input's header. */
struct fuzz_hdr {
	uint8_t target;		/* % 5: PASS, DROP, TX, adjust, J port */
	uint8_t flags;
	uint8_t verdict;	/* adjust's verdict, raw */
	uint8_t tx_budget;	/* % 4 */
	struct {
		uint8_t op;	/* % 4: FUZZ_OP_* */
		uint8_t pad;
		int16_t delta;
	} __attribute__((packed)) step[FUZZ_STEPS];
} __attribute__((packed));

#define F_NSEG_MASK	0x03	/* segments - 1 */
#define F_CSUM		0x04	/* TX IPv4 + UDP checksum offloads */
#define F_TWICE		0x08	/* the frame twice in one burst */
#define F_FILTER	0x10	/* promiscuous off: MAC filter applies */
#define F_NO_DEVMAP	0x20	/* devmap entry missing: redirect fails */

enum { P_L, P_R, P_J, NB_PORTS };

static const char *const xstat_names[] = {
	"rx_xdp_pass", "rx_xdp_drop", "rx_xdp_tx", "rx_xdp_tx_errors",
	"rx_xdp_redirect", "rx_xdp_redirect_errors",
};
#define NB_XSTATS RTE_DIM(xstat_names)

static struct {
	struct rte_mempool *rx_pool, *tx_pool;
	uint16_t port[NB_PORTS];
	struct rte_xdp_obj *obj;
	struct rte_xdp_prog *prog[4];
	struct rte_xdp_prog *attached;
	struct rte_xdp_map *cfg, *devmap;
	uint32_t r_ifindex;
	uint64_t xstat_id[NB_XSTATS];
	uint64_t inputs;
} fz;

static uint16_t
port_start(const char *name, uint16_t mtu, uint64_t rx_offloads)
{
	struct rte_eth_conf conf = { .rxmode = { .offloads = rx_offloads } };
	uint16_t id;

	if (rte_vdev_init(name, NULL) != 0 ||
	    rte_eth_dev_get_port_by_name(name, &id) != 0)
		fuzz_die("probe %s", name);
	if (rte_eth_dev_configure(id, 1, 1, &conf) != 0 ||
	    (mtu != 0 && rte_eth_dev_set_mtu(id, mtu) != 0) ||
	    rte_eth_rx_queue_setup(id, 0, RING, SOCKET_ID_ANY, NULL,
		fz.rx_pool) != 0 ||
	    rte_eth_tx_queue_setup(id, 0, RING, SOCKET_ID_ANY, NULL) != 0 ||
	    rte_eth_dev_start(id) != 0)
		fuzz_die("set up %s", name);
	rte_eth_promiscuous_enable(id);
	return id;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const progs[] = {
		"fuzz_pass", "fuzz_drop", "fuzz_tx", "fuzz_adjust",
	};
	struct rte_xdp_obj_opts opts = {
		.verify = RTE_XDP_VERIFY_BUILTIN, .socket_id = SOCKET_ID_ANY,
	};
	const char *path = fuzz_path("bpf/xdp_fuzz.o");
	uint32_t key = 0;
	char err[512];
	unsigned int i;

	fuzz_eal_init((*argv)[0]);
	fz.rx_pool = fuzz_guarded_pool("fuzz_rx", NB_RX_MBUF, RX_ROOM);
	fz.tx_pool = fuzz_guarded_pool("fuzz_tx", NB_TX_MBUF, TX_ROOM);
	fz.port[P_L] = port_start("net_mvneta_xdp_fzl", 0, 0);
	fz.port[P_R] = port_start("net_mvneta_xdp_fzr", 0, 0);
	fz.port[P_J] = port_start("net_mvneta_xdp_fzj", 9000,
		RTE_ETH_RX_OFFLOAD_SCATTER);

	fz.obj = rte_xdp_obj_open(path, &opts, err, sizeof(err));
	if (fz.obj == NULL || rte_xdp_obj_load(fz.obj, err, sizeof(err)) != 0)
		fuzz_die("%s: %s", path, err);
	for (i = 0; i < RTE_DIM(progs); i++) {
		fz.prog[i] = rte_xdp_obj_find_prog(fz.obj, progs[i]);
		if (fz.prog[i] == NULL)
			fuzz_die("%s: no program %s", path, progs[i]);
	}
	fz.cfg = rte_xdp_obj_find_map(fz.obj, "cfg");
	fz.devmap = rte_xdp_obj_find_map(fz.obj, "tx_port");
	fz.r_ifindex = rte_pmd_mvneta_xdp_ifindex(fz.port[P_R]);
	if (fz.cfg == NULL || fz.devmap == NULL ||
	    rte_xdp_map_update(fz.devmap, &key, &fz.r_ifindex,
		RTE_XDP_ANY) != 0)
		fuzz_die("maps of %s", path);
	if (rte_pmd_mvneta_xdp_prog_attach(fz.port[P_L], fz.prog[0]) != 0)
		fuzz_die("attach");
	fz.attached = fz.prog[0];
	for (i = 0; i < NB_XSTATS; i++)
		if (rte_eth_xstats_get_id_by_name(fz.port[P_L], xstat_names[i],
				&fz.xstat_id[i]) != 0)
			fuzz_die("no xstat %s", xstat_names[i]);
	RTE_SET_USED(argc);
	return 0;
}

/* The frame as a chain of nseg segments from the TX pool. */
static struct rte_mbuf *
build_frame(const uint8_t *p, uint32_t len, unsigned int nseg, int csum)
{
	struct rte_mbuf *head = NULL, *m;
	uint32_t off = 0, i;

	if (nseg > len)
		nseg = len != 0 ? len : 1;
	for (i = 0; i < nseg; i++) {
		uint32_t l = i + 1 < nseg ? len / nseg : len - off;

		m = rte_pktmbuf_alloc(fz.tx_pool);
		if (m == NULL)
			fuzz_die("TX pool empty while building a frame");
		if (l != 0)
			memcpy(rte_pktmbuf_append(m, l), p + off, l);
		off += l;
		if (head == NULL)
			head = m;
		else if (rte_pktmbuf_chain(head, m) != 0)
			fuzz_die("chain");
	}
	/* An application asks for checksums only with the headers there. */
	if (csum && len >= 14 + 20 + 8) {
		head->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM |
			RTE_MBUF_F_TX_UDP_CKSUM;
		head->l2_len = 14;
		head->l3_len = 20;
	}
	return head;
}

static void
xstats(uint64_t *v)
{
	if (rte_eth_xstats_get_by_id(fz.port[P_L], fz.xstat_id, v,
			NB_XSTATS) != (int)NB_XSTATS)
		fuzz_die("xstats");
}

static uint64_t
ipackets(uint16_t port)
{
	struct rte_eth_stats st;

	rte_eth_stats_get(port, &st);
	return st.ipackets;
}

/* Poll every port until a round finds nothing; returns L's PASS frames. */
static uint64_t
drain(void)
{
	struct rte_mbuf *rx[32];
	uint64_t before, after = 0, passed = 0;
	unsigned int round, p, k, n, i;

	for (round = 0; round < 256; round++) {
		before = ipackets(fz.port[P_L]) + ipackets(fz.port[P_R]) +
			ipackets(fz.port[P_J]);
		for (p = 0; p < NB_PORTS; p++)
			for (k = 0; k < 4; k++) {
				n = rte_eth_rx_burst(fz.port[p], 0, rx,
					RTE_DIM(rx));
				if (p == P_L)
					passed += n;
				for (i = 0; i < n; i++)
					rte_pktmbuf_free(rx[i]);
			}
		after = ipackets(fz.port[P_L]) + ipackets(fz.port[P_R]) +
			ipackets(fz.port[P_J]);
		if (after == before)
			return passed;
	}
	fuzz_die("ports still receiving after %u rounds (an XDP_TX loop?)",
		round);
}

static void
check_buffers(const char *when)
{
	uint32_t held = 0, rx, tx;
	unsigned int p;
	uint32_t avail = rte_mempool_avail_count(fz.rx_pool) +
		rte_mempool_avail_count(fz.tx_pool);

	for (p = 0; p < NB_PORTS; p++) {
		if (rte_pmd_mvneta_xdp_buffers_held(fz.port[p], &rx, &tx) != 0)
			fuzz_die("buffers_held");
		held += rx + tx;
	}
	if (avail + held != NB_RX_MBUF + NB_TX_MBUF)
		fuzz_die("%s: %u buffers in the pools + %u held by the ports != %u",
			when, avail, held, NB_RX_MBUF + NB_TX_MBUF);
	fuzz_check_guards(fz.rx_pool, when);
	fuzz_check_guards(fz.tx_pool, when);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_hdr h;
	struct fuzz_cfg c;
	struct rte_mbuf *pkts[2];
	uint64_t x0[NB_XSTATS], x1[NB_XSTATS], rx0, rx1, passed, sum;
	uint32_t key = 0, len;
	unsigned int i, n, sent, target;
	uint16_t port;

	memset(&h, 0, sizeof(h));
	memcpy(&h, data, RTE_MIN(size, sizeof(h)));
	data += RTE_MIN(size, sizeof(h));
	len = RTE_MIN(size - RTE_MIN(size, sizeof(h)), (size_t)MAX_FRAME);
	target = h.target % 5;

	memset(&c, 0, sizeof(c));
	for (i = 0; i < FUZZ_STEPS; i++) {
		c.op[i] = h.step[i].op % 4;
		c.delta[i] = h.step[i].delta;
	}
	c.verdict = h.verdict;
	c.tx_budget = h.tx_budget % 4;
	if (rte_xdp_map_update(fz.cfg, &key, &c, RTE_XDP_ANY) != 0)
		fuzz_die("cfg update");
	if (h.flags & F_NO_DEVMAP)
		rte_xdp_map_delete(fz.devmap, &key);

	port = fz.port[target == 4 ? P_J : P_L];
	if (target < 4 && fz.attached != fz.prog[target]) {
		if (rte_pmd_mvneta_xdp_prog_attach(port, fz.prog[target]) != 0)
			fuzz_die("replace program");
		fz.attached = fz.prog[target];
	}
	if (h.flags & F_FILTER)
		rte_eth_promiscuous_disable(port);

	xstats(x0);
	rx0 = ipackets(fz.port[P_L]);
	n = h.flags & F_TWICE ? 2 : 1;
	for (i = 0; i < n; i++)
		pkts[i] = build_frame(data, len, 1 + (h.flags & F_NSEG_MASK),
			(h.flags & F_CSUM) != 0);
	sent = rte_eth_tx_burst(port, 0, pkts, n);
	for (i = sent; i < n; i++)
		rte_pktmbuf_free(pkts[i]);
	passed = drain();
	xstats(x1);
	rx1 = ipackets(fz.port[P_L]);

	for (sum = 0, i = 0; i < NB_XSTATS; i++)
		sum += x1[i] - x0[i];
	if (sum != rx1 - rx0)
		fuzz_die("L received %" PRIu64 " frames, its XDP counters add up to %" PRIu64,
			rx1 - rx0, sum);
	if (passed != x1[0] - x0[0])
		fuzz_die("L returned %" PRIu64 " frames, rx_xdp_pass says %" PRIu64,
			passed, x1[0] - x0[0]);

	if (h.flags & F_FILTER)
		rte_eth_promiscuous_enable(port);
	if ((h.flags & F_NO_DEVMAP) &&
	    rte_xdp_map_update(fz.devmap, &key, &fz.r_ifindex, RTE_XDP_ANY) != 0)
		fuzz_die("devmap restore");
	check_buffers("after the input");
	fz.inputs++;
	return 0;
}
