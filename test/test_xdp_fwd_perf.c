/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_fwd_perf_autotest (suite perf): forwarding rate of the xdp_fwd
 * program (test/bpf/fwd, what dpdk-xdp-fwd runs) against an io loop on the
 * same ports, one forwarding lcore, traffic from a second lcore that
 * generates and sinks frames on the wires:
 *
 *	gen lcore  G0 ──wire──► F0 ─[forwarding lcore]─► F1 ──wire──► G1  gen lcore
 *
 * net_mvneta_xdp: four ports, F0-G0 and F1-G1 wired by backend=peer; G0
 *   sends prebuilt frames (refcount taken per send) as fast as its TX
 *   ring takes them, G1 receives and frees. Native XDP on F0 and F1, or
 *   the generic hook on the same ports.
 * net_ring: F0 and F1 from rte_eth_from_rings(); the generator lcore fills
 *   F0's RX ring with fresh mbufs and drains F1's TX ring. Generic XDP.
 * io loop: testpmd's io engine (rx_burst, tx_burst, free what TX refused),
 *   both directions, no program.
 *
 * A router decrements the TTL, so frames must not loop: the generator is
 * the source and G1 the sink. Routes come in through the FIB API
 * dpdk-xdp-fwd uses (rte_xdp_fib_load_file()); 1024 destinations in
 * 198.19.0.0/16 via a gateway whose MAC is G1's.
 *
 * Per scenario and run: Mpps received by the sink, TSC cycles of the
 * forwarding lcore per forwarded frame, the offered rate (frames the
 * generator put on F0's wire), and whether the forwarder kept up with
 * all of it (then the generator was the bottleneck and cycles/packet is
 * an upper bound). XDP_FWD_PERF_RUNS (default 3) runs of
 * XDP_FWD_PERF_MS (default 1000) ms, scenarios interleaved. Lines
 * "RESULT ..." are for devtools/bench-xdp-fwd.sh. Fails when the
 * forwarder's redirect counters and the sink disagree, or a buffer leaks.
 */

#include <stdlib.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_udp.h>

#include "rte_pmd_mvneta_xdp.h"
#include "rte_xdp_fib.h"
#include "rte_xdp_generic.h"
#include "rte_xdp_map.h"
#include "rte_xdp_page_pool.h"
#include "rte_xdp_prog.h"
#include "test.h"
#include "test_ports.h"

#define MAX_RUNS	15
#define RING		1024
#define FRAME_LEN	64	/* without FCS, as backend=gen's frame_size */
#define NB_FRAMES	1024	/* destinations, one prebuilt frame each */
#define WARMUP_MS	100
#define DRAIN_MS	20
#define GEN_BOUND	0.95	/* forwarded/offered above this: gen-bound */

enum topo { MVNETA, RING_PMD };
enum mode { IO, NATIVE, GENERIC };

struct scenario {
	const char *key;	/* for the script */
	const char *name;
	enum topo topo;
	enum mode mode;
};

static const struct scenario scenarios[] = {
	{ "native-mvneta", "xdp_fwd native, net_mvneta_xdp peer-wired",
		MVNETA, NATIVE },
	{ "generic-mvneta", "xdp_fwd generic, net_mvneta_xdp peer-wired",
		MVNETA, GENERIC },
	{ "io-mvneta", "io loop, net_mvneta_xdp peer-wired", MVNETA, IO },
	{ "generic-ring", "xdp_fwd generic, net_ring", RING_PMD, GENERIC },
	{ "io-ring", "io loop, net_ring", RING_PMD, IO },
};
#define NB_SC RTE_DIM(scenarios)

/* One topology: the forwarding ports and what the generator lcore uses. */
struct topology {
	uint16_t f[2];
	struct port fp[2], gp[2];	/* MVNETA */
	struct rte_ring *rx0, *tx0, *rx1, *tx1;	/* RING_PMD */
	struct rte_mempool *gen_pool;
	struct rte_mbuf *frames[NB_FRAMES];	/* MVNETA: prebuilt */
	uint8_t tmpl[NB_FRAMES][FRAME_LEN];	/* RING_PMD: copied */
};

static struct topology topo[2];

/* Generator lcore state; counters written by it only. */
static struct {
	const struct topology *t;
	enum topo kind;
	volatile int tx_stop, stop;
	uint64_t offered;	/* frames put on F0's wire */
	uint64_t received;	/* frames the sink took */
} gen;

static inline void
cnt_add(uint64_t *c, uint64_t n)
{
	__atomic_store_n(c, *c + n, __ATOMIC_RELAXED);
}

static inline uint64_t
cnt(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

/* Frame i: IPv4/UDP from 198.18.0.1 to 198.19.(i / 256).(i % 256). */
static void
build_frame(uint8_t *p, const struct rte_ether_addr *dst, unsigned int i)
{
	struct rte_ether_hdr *eh = (void *)p;
	struct rte_ipv4_hdr *ip = (void *)(eh + 1);
	struct rte_udp_hdr *uh = (void *)(ip + 1);

	memset(p, 0, FRAME_LEN);
	eh->dst_addr = *dst;
	memset(&eh->src_addr, 0x02, sizeof(eh->src_addr));
	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(FRAME_LEN - sizeof(*eh));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(RTE_IPV4(198, 18, 0, 1));
	ip->dst_addr = rte_cpu_to_be_32(RTE_IPV4(198, 19, i >> 8, i & 0xff));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	uh->src_port = rte_cpu_to_be_16(1000 + (i & 0xff));
	uh->dst_port = rte_cpu_to_be_16(9);
	uh->dgram_len = rte_cpu_to_be_16(FRAME_LEN - sizeof(*eh) -
		sizeof(*ip));
}

/* G0 sends the prebuilt frames, each with one more reference (the peer
 * wire copies the data at the doorbell), G1 receives and frees. */
static int
gen_mvneta(void *arg)
{
	const struct topology *t = gen.t;
	struct rte_mbuf *rx[BURST];
	unsigned int next = 0, i;
	uint16_t sent, n;

	RTE_SET_USED(arg);
	while (!gen.stop) {
		if (!gen.tx_stop) {
			struct rte_mbuf *const *b = &t->frames[next];

			for (i = 0; i < BURST; i++)
				rte_mbuf_refcnt_update(b[i], 1);
			sent = rte_eth_tx_burst(t->gp[0].id, 0,
				(struct rte_mbuf **)(uintptr_t)b, BURST);
			for (i = sent; i < BURST; i++)
				rte_mbuf_refcnt_update(b[i], -1);
			cnt_add(&gen.offered, sent);
			next = (next + BURST) % NB_FRAMES;
		}
		n = rte_eth_rx_burst(t->gp[1].id, 0, rx, BURST);
		if (n != 0) {
			rte_pktmbuf_free_bulk(rx, n);
			cnt_add(&gen.received, n);
		}
	}
	return 0;
}

/* Fresh mbufs into F0's RX ring (the forwarder rewrites them), with the
 * 256 bytes of headroom a PMD set up for XDP gives, so that the generic
 * hook runs in place; frames the full ring refuses are lost on the wire,
 * as G0's are when F0's descriptors run out. F1's TX ring is the sink. */
static int
gen_ring(void *arg)
{
	const struct topology *t = gen.t;
	struct rte_mbuf *tx[BURST], *rx[BURST];
	unsigned int next = 0, i, n;

	RTE_SET_USED(arg);
	while (!gen.stop) {
		if (!gen.tx_stop &&
		    rte_pktmbuf_alloc_bulk(t->gen_pool, tx, BURST) == 0) {
			for (i = 0; i < BURST; i++) {
				struct rte_mbuf *m = tx[i];

				m->data_off = RTE_XDP_PACKET_HEADROOM;
				m->data_len = m->pkt_len = FRAME_LEN;
				rte_memcpy(rte_pktmbuf_mtod(m, void *),
					t->tmpl[next + i], FRAME_LEN);
			}
			next = (next + BURST) % NB_FRAMES;
			n = rte_ring_sp_enqueue_burst(t->rx0, (void **)tx,
				BURST, NULL);
			if (n < BURST)
				rte_pktmbuf_free_bulk(tx + n, BURST - n);
			cnt_add(&gen.offered, BURST);
		}
		n = rte_ring_sc_dequeue_burst(t->tx1, (void **)rx, BURST, NULL);
		if (n != 0) {
			rte_pktmbuf_free_bulk(rx, n);
			cnt_add(&gen.received, n);
		}
	}
	return 0;
}

/* The forwarding lcore: both ports, as dpdk-xdp-fwd --no-tap (frames the
 * program passes are freed) or testpmd's io engine. */
static uint64_t
fwd_loop(const struct topology *t, enum mode mode, uint64_t until)
{
	struct rte_mbuf *m[BURST];
	uint64_t fwd = 0;
	uint16_t n, sent;
	unsigned int p;

	do {
		for (p = 0; p < 2; p++) {
			n = rte_eth_rx_burst(t->f[p], 0, m, BURST);
			if (n == 0)
				continue;
			sent = mode == IO ?
				rte_eth_tx_burst(t->f[!p], 0, m, n) : 0;
			fwd += sent;
			if (sent < n)
				rte_pktmbuf_free_bulk(m + sent, n - sent);
		}
	} while (rte_rdtsc() < until);
	return fwd;
}

/* Frames F0's program redirected, and frames lost after that: F1 could
 * not send them (XDP modes) or G1's RX ring was full (mvneta). */
static void
counters(const struct topology *t, enum topo kind, enum mode mode,
		uint64_t *red, uint64_t *lost)
{
	struct rte_xdp_generic_stats st;
	struct rte_eth_stats es;

	*red = *lost = 0;
	if (mode == NATIVE) {
		*red = test_xstat(t->f[0], "rx_xdp_redirect");
		*lost = test_xstat(t->f[1], "tx_xdp_xmit_errors");
	} else if (mode == GENERIC) {
		if (rte_xdp_generic_stats_get(t->f[0],
				RTE_XDP_GENERIC_ALL_QUEUES, &st) == 0)
			*red = st.rx_xdp_redirect;
		if (rte_xdp_generic_stats_get(t->f[1],
				RTE_XDP_GENERIC_ALL_QUEUES, &st) == 0)
			*lost = st.tx_xdp_xmit_errors;
	}
	if (kind == MVNETA && rte_eth_stats_get(t->gp[1].id, &es) == 0)
		*lost += es.imissed;
}

static uint32_t
ifindex_of(uint16_t port, enum mode mode)
{
	return mode == NATIVE ? rte_pmd_mvneta_xdp_ifindex(port) :
		rte_xdp_generic_ifindex(port);
}

/* A FIB for the scenario's ifindexes, published; the routes as a
 * dpdk-xdp-fwd routes file. */
static int
fib_setup(const struct topology *t, enum mode mode,
		const struct rte_ether_addr *gw_mac)
{
	static unsigned int gen_nr;
	char name[32], path[] = "/tmp/xdp_fwd_perf_XXXXXX", mac[32], err[256];
	struct rte_xdp_fib *fib;
	unsigned int i;
	FILE *f;
	int fd, ret;

	snprintf(name, sizeof(name), "fwdperf%u", gen_nr++);
	fib = rte_xdp_fib_create(name, NULL);
	if (fib == NULL)
		return -1;
	for (i = 0; i < 2; i++) {
		struct rte_xdp_fib_if ifc = {
			.ifindex = ifindex_of(t->f[i], mode),
			.mac = port_mac(t->f[i]), .forwarding = 1,
		};

		snprintf(ifc.name, sizeof(ifc.name), "xfwd%u", i);
		if (rte_xdp_fib_if_add(fib, &ifc) != 0)
			goto fail;
	}
	rte_ether_format_addr(mac, sizeof(mac), gw_mac);
	fd = mkstemp(path);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL)
		goto fail;
	fprintf(f, "route 198.20.0.0/24 dev xfwd1\n"
		"route 198.19.0.0/16 via 198.20.0.1 dev xfwd1\n"
		"neigh 198.20.0.1 lladdr %s dev xfwd1\n", mac);
	fclose(f);
	ret = rte_xdp_fib_load_file(fib, path, err, sizeof(err));
	unlink(path);
	if (ret < 0) {
		printf("routes: %s\n", err);
		goto fail;
	}
	/* traffic is stopped: nobody can be in a lookup of the old one */
	rte_xdp_fib_free(rte_xdp_fib_set_default(fib));
	return 0;
fail:
	rte_xdp_fib_free(fib);
	return -1;
}

static int
attach(const struct topology *t, enum mode mode, struct rte_xdp_obj *obj,
		struct rte_xdp_prog *prog)
{
	struct rte_xdp_generic_conf conf = {
		.tx_queue = 0, .redirect_tx_queue = 0,
	};
	struct rte_xdp_map *devmap = rte_xdp_obj_find_map(obj, "xdp_tx_ports");
	unsigned int i;
	uint32_t ifx;

	for (i = 0; i < 2; i++) {
		if (mode == IO)
			continue;
		if ((mode == NATIVE ?
		     rte_pmd_mvneta_xdp_prog_attach(t->f[i], prog) :
		     rte_xdp_generic_attach(t->f[i], 0, prog, &conf)) != 0)
			return -1;
		ifx = ifindex_of(t->f[i], mode);
		if (rte_xdp_map_update(devmap, &ifx, &ifx, RTE_XDP_ANY) != 0)
			return -1;
	}
	return 0;
}

static void
detach(const struct topology *t, enum mode mode)
{
	unsigned int i;

	for (i = 0; i < 2; i++)
		if (mode == NATIVE)
			rte_pmd_mvneta_xdp_prog_attach(t->f[i], NULL);
		else if (mode == GENERIC)
			rte_xdp_generic_detach(t->f[i], 0);
}

static int
topo_mvneta(struct topology *t, struct rte_mempool *fpool)
{
	/* args: room for what gcc takes fname[i] to hold (127 bytes) */
	char fname[2][64], gname[2][64], args[sizeof(fname) + 8];
	struct rte_ether_addr dst;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		snprintf(fname[i], sizeof(fname[i]), "net_mvneta_xdp_%s",
			test_unique("F"));
		snprintf(gname[i], sizeof(gname[i]), "net_mvneta_xdp_%s",
			test_unique("G"));
	}
	for (i = 0; i < 2; i++) {
		struct port *f = &t->fp[i], *g = &t->gp[i];

		RTE_BUILD_BUG_ON(sizeof(f->name) != sizeof(fname[i]));
		memcpy(f->name, fname[i], sizeof(f->name));
		memcpy(g->name, gname[i], sizeof(g->name));
		snprintf(args, sizeof(args), "peer=%s", gname[i]);
		if (rte_vdev_init(f->name, args) != 0 ||
		    rte_eth_dev_get_port_by_name(f->name, &f->id) != 0)
			return -1;
		snprintf(args, sizeof(args), "peer=%s", fname[i]);
		if (rte_vdev_init(g->name, args) != 0 ||
		    rte_eth_dev_get_port_by_name(g->name, &g->id) != 0)
			return -1;
		if (port_setup(f, 1, RING, NULL, fpool) != 0 ||
		    port_setup(g, 1, RING, NULL, t->gen_pool) != 0)
			return -1;
		t->f[i] = f->id;
	}
	/* the sink takes what the io loop sends unchanged (F0's MAC) */
	if (rte_eth_promiscuous_enable(t->gp[1].id) != 0)
		return -1;
	dst = port_mac(t->f[0]);
	for (i = 0; i < NB_FRAMES; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(t->gen_pool);
		uint8_t *p;

		if (m == NULL)
			return -1;
		t->frames[i] = m;
		p = (uint8_t *)rte_pktmbuf_append(m, FRAME_LEN);
		if (p == NULL)
			return -1;
		build_frame(p, &dst, i);
	}
	return 0;
}

static struct rte_ring *
ring_new(const char *what)
{
	return rte_ring_create(test_unique(what), RING, SOCKET_ID_ANY,
		RING_F_SP_ENQ | RING_F_SC_DEQ);
}

static int
topo_ring(struct topology *t)
{
	struct rte_ether_addr dst;
	unsigned int i;
	int id;

	t->f[0] = t->f[1] = UINT16_MAX;
	t->rx0 = ring_new("r0");
	t->tx0 = ring_new("t0");
	t->rx1 = ring_new("r1");
	t->tx1 = ring_new("t1");
	if (t->rx0 == NULL || t->tx0 == NULL || t->rx1 == NULL ||
	    t->tx1 == NULL)
		return -1;
	id = rte_eth_from_rings(test_unique("fwdring"), &t->rx0, 1, &t->tx0, 1,
		SOCKET_ID_ANY);
	if (id < 0)
		return -1;
	t->f[0] = id;
	id = rte_eth_from_rings(test_unique("fwdring"), &t->rx1, 1, &t->tx1, 1,
		SOCKET_ID_ANY);
	if (id < 0)
		return -1;
	t->f[1] = id;
	for (i = 0; i < 2; i++) {
		struct rte_eth_conf conf = { 0 };

		if (rte_eth_dev_configure(t->f[i], 1, 1, &conf) != 0 ||
		    rte_eth_rx_queue_setup(t->f[i], 0, RING, SOCKET_ID_ANY,
			NULL, t->gen_pool) != 0 ||
		    rte_eth_tx_queue_setup(t->f[i], 0, RING, SOCKET_ID_ANY,
			NULL) != 0 ||
		    rte_eth_dev_start(t->f[i]) != 0)
			return -1;
	}
	dst = port_mac(t->f[0]);
	for (i = 0; i < NB_FRAMES; i++)
		build_frame(t->tmpl[i], &dst, i);
	return 0;
}

static void
ring_drain(struct rte_ring *r)
{
	struct rte_mbuf *m[BURST];
	unsigned int n;

	if (r == NULL)
		return;
	while ((n = rte_ring_dequeue_burst(r, (void **)m, BURST, NULL)) != 0)
		rte_pktmbuf_free_bulk(m, n);
	rte_ring_free(r);
}

static void
topo_destroy(struct topology *t, enum topo kind)
{
	unsigned int i;

	if (kind == MVNETA) {
		for (i = 0; i < NB_FRAMES; i++)
			rte_pktmbuf_free(t->frames[i]);
		for (i = 0; i < 2; i++) {
			if (t->fp[i].name[0] != '\0')
				port_destroy(&t->fp[i]);
			if (t->gp[i].name[0] != '\0')
				port_destroy(&t->gp[i]);
		}
		return;
	}
	for (i = 0; i < 2; i++)
		if (t->f[i] != UINT16_MAX) {
			rte_eth_dev_stop(t->f[i]);
			rte_eth_dev_close(t->f[i]);
		}
	ring_drain(t->rx0);
	ring_drain(t->tx0);
	ring_drain(t->rx1);
	ring_drain(t->tx1);
}

struct result {
	double mpps, cpp, offered;
	bool gen_bound;
};

/* One run of one scenario; fails when the counters disagree. */
static int
run_one(const struct scenario *s, struct rte_xdp_obj *obj,
		struct rte_xdp_prog *prog, unsigned int worker,
		unsigned int ms, struct result *res)
{
	const struct topology *t = &topo[s->topo];
	struct rte_ether_addr gw = s->topo == MVNETA ?
		port_mac(t->gp[1].id) : (struct rte_ether_addr){
			{ 0x02, 0, 0, 0, 0, 0x99 } };
	uint64_t hz = rte_get_tsc_hz(), t0, t1, off0, rcv0, red0, lost0;
	uint64_t fwd, red, rcv, lost;
	double secs;

	if (fib_setup(t, s->mode, &gw) != 0 || attach(t, s->mode, obj, prog))
		return TEST_FAILED;
	memset(&gen, 0, sizeof(gen));
	gen.t = t;
	counters(t, s->topo, s->mode, &red0, &lost0);
	rte_eal_remote_launch(s->topo == MVNETA ? gen_mvneta : gen_ring, NULL,
		worker);
	fwd = fwd_loop(t, s->mode, rte_rdtsc() + hz / 1000 * WARMUP_MS);

	off0 = cnt(&gen.offered);
	rcv0 = cnt(&gen.received);
	t0 = rte_rdtsc();
	fwd += fwd_loop(t, s->mode, t0 + hz / 1000 * ms);
	t1 = rte_rdtsc();
	rcv = cnt(&gen.received) - rcv0;
	secs = (double)(t1 - t0) / hz;
	res->mpps = rcv / secs / 1e6;
	res->offered = (cnt(&gen.offered) - off0) / secs / 1e6;
	res->cpp = (double)(t1 - t0) / RTE_MAX(rcv, 1ul);
	res->gen_bound = res->mpps >= GEN_BOUND * res->offered;

	/* Stop the source, let the forwarder and the sink empty the wires. */
	gen.tx_stop = 1;
	fwd += fwd_loop(t, s->mode, rte_rdtsc() + hz / 1000 * DRAIN_MS);
	rte_delay_ms(DRAIN_MS);
	gen.stop = 1;
	rte_eal_wait_lcore(worker);
	detach(t, s->mode);

	counters(t, s->topo, s->mode, &red, &lost);
	red = s->mode == IO ? fwd : red - red0;
	lost -= lost0;
	rcv = gen.received;
	printf("%s: sink %" PRIu64 ", %s %" PRIu64 ", lost on the way %" PRIu64 "\n",
		s->key, rcv, s->mode == IO ? "sent by the loop" :
		"XDP_REDIRECT", red, lost);
	TEST_ASSERT(rcv + lost == red,
		"%s: the forwarder's count and the sink's disagree", s->key);
	return TEST_SUCCESS;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
test_fwd_perf(void)
{
	const char *e_runs = getenv("XDP_FWD_PERF_RUNS");
	const char *e_ms = getenv("XDP_FWD_PERF_MS");
	unsigned int runs = e_runs != NULL ? atoi(e_runs) : 3;
	unsigned int ms = e_ms != NULL ? atoi(e_ms) : 1000;
	struct result res[NB_SC][MAX_RUNS];
	struct rte_mempool *fpool = NULL, *gpool[2] = { NULL, NULL };
	struct rte_xdp_obj *obj;
	struct rte_xdp_prog *prog;
	unsigned int worker, s, r, i;
	int ret = TEST_FAILED;

	if (access(test_bpf_obj("fwd", "xdp_fwd"), R_OK) != 0)
		TEST_SKIP("BPF test objects not built");
	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker >= RTE_MAX_LCORE)
		TEST_SKIP("needs a second lcore for the generator");
	runs = RTE_MAX(1u, RTE_MIN(runs, (unsigned int)MAX_RUNS));
	ms = RTE_MAX(ms, 50u);
	obj = test_load_xdp("fwd", "xdp_fwd", &prog);
	if (obj == NULL)
		return TEST_FAILED;
	prog = rte_xdp_obj_find_prog(obj, "xdp_fwd");

	memset(topo, 0, sizeof(topo));
	topo[RING_PMD].f[0] = topo[RING_PMD].f[1] = UINT16_MAX;
	fpool = rte_pktmbuf_pool_create(test_unique("fwdf"), 16384, 256, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE + 128, SOCKET_ID_ANY);
	for (i = 0; i < 2; i++)
		gpool[i] = topo[i].gen_pool = rte_pktmbuf_pool_create(
			test_unique("fwdg"), 16384, 256, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE + 128, SOCKET_ID_ANY);
	if (fpool == NULL || gpool[0] == NULL || gpool[1] == NULL ||
	    topo_mvneta(&topo[MVNETA], fpool) != 0 ||
	    topo_ring(&topo[RING_PMD]) != 0) {
		printf("set-up failed\n");
		goto out;
	}

	for (r = 0; r < runs; r++)
		for (s = 0; s < NB_SC; s++)
			if (run_one(&scenarios[s], obj, prog, worker, ms,
					&res[s][r]) != TEST_SUCCESS)
				goto out;

	printf("\n| scenario (forwarding lcore; generator lcore on the wires) | median Mpps | cycles/packet | offered Mpps | runs (Mpps) |\n");
	printf("|---|---|---|---|---|\n");
	for (s = 0; s < NB_SC; s++) {
		double mpps[MAX_RUNS], cpp[MAX_RUNS], off[MAX_RUNS];
		char runs_s[256] = "";
		size_t o = 0;
		unsigned int nb_bound = 0;

		for (r = 0; r < runs; r++) {
			mpps[r] = res[s][r].mpps;
			cpp[r] = res[s][r].cpp;
			off[r] = res[s][r].offered;
			nb_bound += res[s][r].gen_bound;
			o += snprintf(runs_s + o, sizeof(runs_s) - o, "%.2f ",
				mpps[r]);
			printf("RESULT %s run=%u mpps=%.4f cpp=%.1f offered=%.4f gen_bound=%d\n",
				scenarios[s].key, r, res[s][r].mpps,
				res[s][r].cpp, res[s][r].offered,
				res[s][r].gen_bound);
		}
		qsort(mpps, runs, sizeof(double), cmp_double);
		qsort(cpp, runs, sizeof(double), cmp_double);
		qsort(off, runs, sizeof(double), cmp_double);
		printf("| %s | %.2f | %.0f%s | %.2f | %s|\n", scenarios[s].name,
			mpps[runs / 2], cpp[runs / 2],
			nb_bound * 2 > runs ? " (gen-bound)" : "",
			off[runs / 2], runs_s);
	}
	printf("\nTSC %.0f MHz (TSC_HZ %" PRIu64 "); %u runs of %u ms per scenario, interleaved.\n",
		rte_get_tsc_hz() / 1e6, rte_get_tsc_hz(), runs, ms);
	ret = TEST_SUCCESS;
out:
	if (rte_eal_get_lcore_state(worker) == RUNNING) {
		gen.stop = 1;
		rte_eal_wait_lcore(worker);
	}
	topo_destroy(&topo[MVNETA], MVNETA);
	topo_destroy(&topo[RING_PMD], RING_PMD);
	rte_xdp_fib_free(rte_xdp_fib_set_default(NULL));
	if (fpool != NULL && check_pool_full(fpool, "after close") !=
			TEST_SUCCESS)
		ret = TEST_FAILED;
	for (i = 0; i < 2; i++)
		if (gpool[i] != NULL && check_pool_full(gpool[i],
				"after close") != TEST_SUCCESS)
			ret = TEST_FAILED;
	rte_mempool_free(fpool);
	rte_mempool_free(gpool[0]);
	rte_mempool_free(gpool[1]);
	rte_xdp_obj_close(obj);
	return ret;
}

REGISTER_TEST_COMMAND(xdp_fwd_perf_autotest, test_fwd_perf);
