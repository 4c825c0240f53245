/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xdp_generic_perf_autotest (suite perf): generic XDP (rte_xdp_generic.h,
 * the RX-callback hook) on net_null and net_ring ports, one lcore, with the
 * programs of mvneta_xdp_perf_autotest: no program, XDP_PASS, XDP_DROP,
 * XDP_TX, devmap XDP_REDIRECT to a second port. Next to them, in the same
 * run: testpmd-like rxonly and io on ports of the same PMD that never had
 * a hook, DPDK's own RX filter (rte_bpf_ethdev, JIT and interpreted)
 * running xdp1's work on a net_null port, and native against generic XDP
 * on net_mvneta_xdp gen ports.
 * Mpps and TSC cycles per frame, medians of several runs, every scenario
 * interleaved with the others so that they share the machine's noise.
 * The test fails when a pool is not full again at the end, a scenario
 * got no frames, or the hook lost frames to redirect, copy or abort
 * errors (a wrong set-up would otherwise just poll fast).
 *
 * Where the frames come from:
 *  - net_null: rx_burst allocates them (devarg size=); every buffer of the
 *    pool was written with an IPv4/UDP frame beforehand; a fourth port, F,
 *    carries rte_bpf_ethdev's callback (rte_bpf_eth_rx_elf_load() of
 *    test/bpf/driver/rte_bpf_xdp1.c) and nothing else;
 *  - net_ring: three ports on one ring (rte_eth_from_rings(), RX and TX
 *    of each on the same ring): A carries the hook, P never has one, B is
 *    the second port (redirect and io target). Whatever A, P or B send
 *    goes back on the ring, so XDP_TX, XDP_REDIRECT and io loop frames;
 *    frames the program or the application consume are replaced by the
 *    test loop (the "wire"), which keeps WIRE_FILL frames on the ring
 *    with fresh mbufs. That refill is inside the timed loop, as net_null's
 *    allocation is inside its rx_burst.
 *
 * Env: XDP_PERF_FRAME_SIZE (bytes, default 64), XDP_PERF_RUNS (default 5),
 * XDP_PERF_SECONDS (per run and scenario, default 0.4), XDP_PERF_ONLY
 * (scenarios whose name contains it), XDP_PERF_BURSTS (a run is that many
 * bursts, for callgrind).
 */

#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_bpf_ethdev.h>
#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "rte_pmd_mvneta_xdp.h"
#include "rte_xdp_generic.h"
#include "rte_xdp_map.h"
#include "rte_xdp_prog.h"
#include "rte_xdp_redirect.h"
#include "test.h"
#include "test_ports.h"

#define MAX_RUNS	15
#define RING		512	/* descriptors of the net_mvneta_xdp ports */
#define WIRE_RING	1024
#define WIRE_FILL	512	/* frames the wire keeps on the net_ring ring */
#define NB_FRAMES	8191	/* pool of the net_null and net_ring frames */

enum blk { B_NULL, B_RING, B_MV, NB_BLK };
enum hook {
	H_NONE,		/* a port that never had a hook */
	H_DETACHED,	/* generic: program detached, the callback stays */
	H_GENERIC,
	H_NATIVE,
	H_RTE_BPF_JIT,	/* rte_bpf_ethdev RX filter, RTE_BPF_ETH_F_JIT */
	H_RTE_BPF_VM,	/* rte_bpf_ethdev RX filter, interpreted */
};
enum prog { P_NONE, P_PASS, P_DROP, P_TX, P_REDIRECT, NB_PROGS };

struct scenario {
	const char *name;
	enum blk blk;
	enum hook hook;
	enum prog prog;
	int io;			/* the application sends to the second port */
	uint16_t headroom;	/* generic conf.headroom (0: default, 256) */
};

#define GENERIC_ROWS(b, pmd) \
	{ pmd ": rxonly (no hook)", b, H_NONE, P_NONE, 0, 0 }, \
	{ pmd ": io to 2nd port (no hook)", b, H_NONE, P_NONE, 1, 0 }, \
	{ pmd ": generic no program (detached)", b, H_DETACHED, P_NONE, 0, 0 }, \
	{ pmd ": generic XDP_PASS (application frees)", b, H_GENERIC, P_PASS, \
		0, 0 }, \
	{ pmd ": generic XDP_DROP", b, H_GENERIC, P_DROP, 0, 0 }, \
	{ pmd ": generic XDP_DROP headroom=1 (no move)", b, H_GENERIC, \
		P_DROP, 0, 1 }, \
	{ pmd ": generic XDP_TX", b, H_GENERIC, P_TX, 0, 0 }, \
	{ pmd ": generic XDP_REDIRECT (devmap to 2nd port)", b, H_GENERIC, \
		P_REDIRECT, 0, 0 }

static const struct scenario scen[] = {
	GENERIC_ROWS(B_NULL, "net_null"),
	{ "net_null: rte_bpf_ethdev xdp1 work, JIT", B_NULL, H_RTE_BPF_JIT,
		P_DROP, 0, 0 },
	{ "net_null: rte_bpf_ethdev xdp1 work, interpreted", B_NULL,
		H_RTE_BPF_VM, P_DROP, 0, 0 },
	GENERIC_ROWS(B_RING, "net_ring"),
	{ "net_mvneta_xdp: no program", B_MV, H_NONE, P_NONE, 0, 0 },
	{ "net_mvneta_xdp: native XDP_PASS (application frees)", B_MV,
		H_NATIVE, P_PASS, 0, 0 },
	{ "net_mvneta_xdp: native XDP_DROP", B_MV, H_NATIVE, P_DROP, 0, 0 },
	{ "net_mvneta_xdp: native XDP_TX", B_MV, H_NATIVE, P_TX, 0, 0 },
	{ "net_mvneta_xdp: native XDP_REDIRECT (devmap to 2nd port)", B_MV,
		H_NATIVE, P_REDIRECT, 0, 0 },
	{ "net_mvneta_xdp: generic XDP_PASS (application frees)", B_MV,
		H_GENERIC, P_PASS, 0, 0 },
	{ "net_mvneta_xdp: generic XDP_DROP", B_MV, H_GENERIC, P_DROP, 0, 0 },
	{ "net_mvneta_xdp: generic XDP_TX", B_MV, H_GENERIC, P_TX, 0, 0 },
	{ "net_mvneta_xdp: generic XDP_REDIRECT (devmap to 2nd port)", B_MV,
		H_GENERIC, P_REDIRECT, 0, 0 },
};

#define NB_SCEN RTE_DIM(scen)

/*
 * The ports of one PMD: a takes the generic hook; p never does (rxonly,
 * io, and on net_mvneta_xdp the native program); b is the second port;
 * net_null only: f takes rte_bpf_ethdev's RX filter.
 */
struct block {
	struct port a, p, b, f;
	int made;			/* ports created, to destroy */
	int f_made;
	uint32_t b_ifindex;		/* b in devmaps */
	int b_registered;		/* we made b a redirect target */
	struct rte_mempool *mp;
	struct rte_ring *wire;		/* net_ring: the ring of a, p and b */
	uint16_t len;
};

/* Per scenario, summed over its runs: the generic hook's counters. */
struct gen_delta {
	uint64_t packets, copy, tx_errors, redirect_errors, copy_errors,
		aborted;
};

static unsigned long fixed_bursts;

/* Keep WIRE_FILL frames on the ring: fresh mbufs for those consumed. */
static inline void
wire_fill(struct rte_ring *r, struct rte_mempool *mp, uint16_t len)
{
	struct rte_mbuf *m[BURST];
	unsigned int have = rte_ring_count(r), n, i;

	if (have >= WIRE_FILL)
		return;
	n = RTE_MIN(WIRE_FILL - have, (unsigned int)BURST);
	if (rte_pktmbuf_alloc_bulk(mp, m, n) != 0)
		return;
	for (i = 0; i < n; i++) {
		m[i]->data_len = len;
		m[i]->pkt_len = len;
	}
	i = rte_ring_enqueue_burst(r, (void **)m, n, NULL);
	if (i < n)
		rte_pktmbuf_free_bulk(m + i, n - i);
}

/*
 * Poll rx for ms milliseconds as an application would: free what comes
 * up, or with io send it out of tx. Frames the port took in per second
 * (ethdev ipackets: before the hook), cycles of the loop per frame.
 */
static double
measure(uint16_t rx, uint16_t tx, int io, const struct block *bk,
	unsigned int ms, double *cycles_per_frame)
{
	struct rte_mbuf *pkts[BURST];
	struct rte_eth_stats a, b;
	uint64_t start, end, stop, frames;
	unsigned long bursts = 0;
	uint16_t n, sent;

	rte_eth_stats_get(rx, &a);
	start = rte_rdtsc();
	stop = start + rte_get_tsc_hz() / 1000 * ms;
	do {
		n = rte_eth_rx_burst(rx, 0, pkts, BURST);
		if (n != 0) {
			sent = io ? rte_eth_tx_burst(tx, 0, pkts, n) : 0;
			if (sent < n)
				rte_pktmbuf_free_bulk(pkts + sent, n - sent);
		}
		if (bk->wire != NULL)
			wire_fill(bk->wire, bk->mp, bk->len);
		end = rte_rdtsc();
		if (fixed_bursts != 0 && ++bursts == fixed_bursts)
			break;
	} while (fixed_bursts != 0 || end < stop);
	rte_eth_stats_get(rx, &b);
	frames = b.ipackets - a.ipackets;
	if (frames == 0) {
		*cycles_per_frame = 0;
		return 0;
	}
	*cycles_per_frame = (double)(end - start) / frames;
	return (double)frames * rte_get_tsc_hz() / (end - start) / 1e6;
}

/* Write a valid frame into every buffer of the pool, so that frames
 * handed out without being written (net_null, the wire) parse. */
static int
prime_pool(struct rte_mempool *mp, uint16_t len)
{
	struct rte_ether_addr dst = { .addr_bytes = { 2, 0, 0, 0, 0, 1 } };
	struct rte_mbuf **m = calloc(mp->size, sizeof(*m));
	unsigned int i;

	if (m == NULL)
		return -1;
	for (i = 0; i < mp->size; i++)
		if ((m[i] = make_frame(mp, len, &dst, 0)) == NULL)
			break;
	rte_pktmbuf_free_bulk(m, i);
	free(m);
	return i == mp->size ? 0 : -1;
}

static int
null_port(struct port *p, uint16_t len)
{
	char args[32];

	snprintf(p->name, sizeof(p->name), "net_null_%s", test_unique("gp"));
	snprintf(args, sizeof(args), "size=%u", len);
	if (rte_vdev_init(p->name, args) != 0)
		return -1;
	return rte_eth_dev_get_port_by_name(p->name, &p->id);
}

static int
ring_port(struct port *p, struct rte_ring *r)
{
	const char *name = test_unique("gr");
	int id;

	/* the PMD names both the vdev and the ethdev net_ring_<name> */
	snprintf(p->name, sizeof(p->name), "net_ring_%s", name);
	id = rte_eth_from_rings(name, &r, 1, &r, 1, rte_socket_id());
	if (id < 0)
		return -1;
	p->id = id;
	return 0;
}

static int
block_setup(struct block *bk, enum blk which, uint16_t len)
{
	struct rte_ring *r = NULL;
	char args[128];
	int ret;

	bk->len = len;
	if (which == B_MV) {
		bk->mp = rte_pktmbuf_pool_create(test_unique("gpmv"),
			4 * RING + 4096, 256, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE + 128, SOCKET_ID_ANY);
		snprintf(args, sizeof(args),
			"backend=gen,frame_size=%u,flows=64", len);
		if (bk->mp == NULL || port_create(&bk->a, args) != 0 ||
		    port_create(&bk->p, args) != 0 ||
		    port_create(&bk->b, "backend=gen,rate=1") != 0)
			return -1;
		bk->made = 1;
		bk->b_ifindex = rte_xdp_port_ifindex(bk->b.id);
		goto setup;
	}
	bk->mp = rte_pktmbuf_pool_create(test_unique("gpf"), NB_FRAMES, 256,
		0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (bk->mp == NULL || prime_pool(bk->mp, len) != 0)
		return -1;
	if (which == B_NULL) {
		if (null_port(&bk->a, len) != 0 || null_port(&bk->p, len) != 0 ||
		    null_port(&bk->b, len) != 0)
			return -1;
		bk->made = 1;
		if (null_port(&bk->f, len) != 0)
			return -1;
		bk->f_made = 1;
	} else {
		/* one lcore uses it at a time: single producer, consumer */
		r = rte_ring_create(test_unique("gw"), WIRE_RING,
			SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (r == NULL)
			return -1;
		bk->wire = r;
		if (ring_port(&bk->a, r) != 0 ||
		    ring_port(&bk->p, r) != 0 ||
		    ring_port(&bk->b, r) != 0)
			return -1;
	}
	bk->made = 1;
	/* b has no program: make it a redirect target by hand */
	bk->b_ifindex = rte_xdp_port_ifindex(bk->b.id);
	ret = rte_xdp_dev_register(bk->b.id, NULL, NULL, 0);
	if (ret != 0) {
		printf("redirect target: %s\n", strerror(-ret));
		return -1;
	}
	bk->b_registered = 1;
setup:
	if (port_setup(&bk->a, 1, RING, NULL, bk->mp) != 0 ||
	    port_setup(&bk->p, 1, RING, NULL, bk->mp) != 0 ||
	    port_setup(&bk->b, 1, RING, NULL, bk->mp) != 0 ||
	    (bk->f_made && port_setup(&bk->f, 1, RING, NULL, bk->mp) != 0))
		return -1;
	if (bk->wire != NULL)
		while (rte_ring_count(bk->wire) < WIRE_FILL)
			wire_fill(bk->wire, bk->mp, len);
	return 0;
}

/* Programs off, ports gone, every buffer back: TEST_SUCCESS. */
static int
block_teardown(struct block *bk, enum blk which)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	struct rte_mempool *own;
	struct rte_mbuf *m;
	int ret = TEST_SUCCESS;

	if (bk->made) {
		rte_xdp_generic_detach(bk->a.id, 0);
		if (which == B_MV)
			rte_pmd_mvneta_xdp_prog_attach(bk->p.id, NULL);
		if (bk->b_registered)
			rte_xdp_dev_unregister(bk->b.id);
		if (bk->wire != NULL)
			while (rte_ring_dequeue(bk->wire, (void **)&m) == 0)
				rte_pktmbuf_free(m);
		/* the hook's own copy pool goes with the port: check it now */
		snprintf(name, sizeof(name), "xdpg_copy_%u", bk->a.id);
		own = rte_mempool_lookup(name);
		if (own != NULL && check_pool_full(own, "end") != TEST_SUCCESS)
			ret = TEST_FAILED;
		port_destroy(&bk->b);
		port_destroy(&bk->p);
		port_destroy(&bk->a);
	}
	if (bk->f_made) {
		rte_bpf_eth_rx_unload(bk->f.id, 0);
		port_destroy(&bk->f);
	}
	rte_ring_free(bk->wire);
	if (bk->mp != NULL) {
		if (check_pool_full(bk->mp, "end") != TEST_SUCCESS)
			ret = TEST_FAILED;
		rte_mempool_free(bk->mp);
	}
	return ret;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(const double *v, int n)
{
	double s[MAX_RUNS];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(double), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* Index of the scenario of blk with that hook, program and headroom. */
static int
find(enum blk b, enum hook h, enum prog p, int io, uint16_t headroom)
{
	unsigned int s;

	for (s = 0; s < NB_SCEN; s++)
		if (scen[s].blk == b && scen[s].hook == h &&
		    scen[s].prog == p && scen[s].io == io &&
		    scen[s].headroom == headroom)
			return s;
	return -1;
}

static double mpps[NB_SCEN][MAX_RUNS], cpf[NB_SCEN][MAX_RUNS];
static double med_mpps[NB_SCEN], med_cpf[NB_SCEN];
static struct gen_delta gd[NB_SCEN];

static void
print_extra(int s, int base)
{
	if (s < 0 || base < 0 || med_mpps[s] == 0 || med_mpps[base] == 0)
		printf(" — |");
	else
		printf(" %+.0f |", med_cpf[s] - med_cpf[base]);
}

/*
 * Generic XDP_DROP against rte_bpf_ethdev doing xdp1's work, net_null:
 * the ratio of the medians' extras, and the median of the ratios of the
 * rounds (rows of a round ran next to each other: they shared the noise).
 */
static void
print_peer(int runs)
{
	static const struct {
		const char *name;
		enum hook hook;
		uint16_t headroom;
	} row[] = {
		{ "generic XDP_DROP (xdp1)", H_GENERIC, 0 },
		{ "generic XDP_DROP (xdp1), headroom=1 (no move)", H_GENERIC, 1 },
		{ "rte_bpf_ethdev RX filter (rte_bpf_xdp1), JIT", H_RTE_BPF_JIT, 0 },
		{ "rte_bpf_ethdev RX filter (rte_bpf_xdp1), interpreted",
			H_RTE_BPF_VM, 0 },
	};
	int base = find(B_NULL, H_NONE, P_NONE, 0, 0);
	int gen = find(B_NULL, H_GENERIC, P_DROP, 0, 0);
	unsigned int i;

	printf("\n| net_null, drop with xdp1's work | extra cycles/frame over rxonly | generic XDP_DROP's extra / this row's (goal for rte_bpf_ethdev: at most 1.10) | the same, median of the rounds' ratios |\n");
	printf("|---|---|---|---|\n");
	for (i = 0; i < RTE_DIM(row); i++) {
		int s = find(B_NULL, row[i].hook, P_DROP, 0, row[i].headroom);
		double ratio[MAX_RUNS], e, g;
		int r;

		printf("| %s |", row[i].name);
		print_extra(s, base);
		if (s < 0 || gen < 0 || base < 0 || med_mpps[s] == 0 ||
		    med_mpps[gen] == 0 || med_mpps[base] == 0) {
			printf(" — | — |\n");
			continue;
		}
		e = med_cpf[s] - med_cpf[base];
		g = med_cpf[gen] - med_cpf[base];
		if (e > 0)
			printf(" %.2f |", g / e);
		else
			printf(" — |");
		/* a round where this row cost nothing extra: no bound */
		for (r = 0; r < runs; r++) {
			e = cpf[s][r] - cpf[base][r];
			ratio[r] = e > 0 ?
				(cpf[gen][r] - cpf[base][r]) / e : INFINITY;
		}
		printf(" %.2f |\n", median(ratio, runs));
	}
}

static void
print_tables(unsigned int frame_size, int runs, unsigned int ms,
	struct gen_delta *totp)
{
	static const char *const verdict[NB_PROGS] = {
		"no program (hook detached)", "XDP_PASS", "XDP_DROP", "XDP_TX",
		"XDP_REDIRECT (devmap)",
	};
	struct gen_delta tot = { 0 };
	unsigned int s;
	int r, base[NB_BLK], p;

	for (s = 0; s < NB_BLK; s++)
		base[s] = find(s, H_NONE, P_NONE, 0, 0);
	printf("\n| scenario (one lcore, %u B frames) | median Mpps | cycles/frame | Mpps / no hook | extra cycles/frame | spread (min-max Mpps) | frames moved for headroom | runs (Mpps) |\n",
		frame_size);
	printf("|---|---|---|---|---|---|---|---|\n");
	for (s = 0; s < NB_SCEN; s++) {
		double lo = mpps[s][0], hi = mpps[s][0];
		int b = base[scen[s].blk];

		for (r = 1; r < runs; r++) {
			lo = RTE_MIN(lo, mpps[s][r]);
			hi = RTE_MAX(hi, mpps[s][r]);
		}
		printf("| %s | %.2f | %.0f |", scen[s].name, med_mpps[s],
			med_cpf[s]);
		if (med_mpps[b] != 0)
			printf(" %.2f |", med_mpps[s] / med_mpps[b]);
		else
			printf(" — |");
		print_extra(s, b);
		printf(" %.2f-%.2f |", lo, hi);
		if (gd[s].packets != 0)
			printf(" %.0f%% |", 100.0 * gd[s].copy / gd[s].packets);
		else
			printf(" — |");
		for (r = 0; r < runs; r++)
			printf(" %.2f", mpps[s][r]);
		printf(" |\n");
		tot.tx_errors += gd[s].tx_errors;
		tot.redirect_errors += gd[s].redirect_errors;
		tot.copy_errors += gd[s].copy_errors;
		tot.aborted += gd[s].aborted;
	}

	/* What the hook adds per frame, PMD by PMD, and native against it. */
	printf("\n| verdict | extra cycles/frame: generic, net_null | generic, net_ring | generic, net_mvneta_xdp | native, net_mvneta_xdp | generic / native Mpps, net_mvneta_xdp |\n");
	printf("|---|---|---|---|---|---|\n");
	for (p = P_NONE; p < NB_PROGS; p++) {
		enum hook h = p == P_NONE ? H_DETACHED : H_GENERIC;
		int g = find(B_MV, H_GENERIC, p, 0, 0);
		int n = find(B_MV, H_NATIVE, p, 0, 0);

		printf("| %s |", verdict[p]);
		print_extra(find(B_NULL, h, p, 0, 0), base[B_NULL]);
		print_extra(find(B_RING, h, p, 0, 0), base[B_RING]);
		print_extra(g, base[B_MV]);
		print_extra(n, base[B_MV]);
		if (g >= 0 && n >= 0 && med_mpps[n] != 0)
			printf(" %.2f |\n", med_mpps[g] / med_mpps[n]);
		else
			printf(" — |\n");
	}
	print_peer(runs);
	printf("\nTSC %.0f MHz; %d runs of %u ms per scenario, interleaved; extra cycles/frame: over rxonly without a hook on the same PMD (net_mvneta_xdp: no program); generic hook errors over all runs: XDP_TX %" PRIu64 ", redirect %" PRIu64 ", copy %" PRIu64 ", aborted %" PRIu64 ".\n",
		rte_get_tsc_hz() / 1e6, runs, ms, tot.tx_errors,
		tot.redirect_errors, tot.copy_errors, tot.aborted);
	*totp = tot;
}

/* rte_bpf_xdp1's counters, per IP protocol (xdp1's rxcnt map). */
static uint64_t rte_bpf_rxcnt[256];

/*
 * rte_bpf_xdp1.o as rte_bpf_ethdev's RX filter of port's queue 0 (it
 * replaces the one there): its argument is the frame's data, len bytes
 * readable; rxcnt is rte_bpf_rxcnt.
 */
static int
rte_bpf_attach(uint16_t port, uint16_t len, int jit)
{
	const struct rte_bpf_xsym xsym = {
		.name = "rxcnt",
		.type = RTE_BPF_XTYPE_VAR,
		.var = {
			.val = rte_bpf_rxcnt,
			.desc = {
				.type = RTE_BPF_ARG_PTR,
				.size = sizeof(rte_bpf_rxcnt),
			},
		},
	};
	const struct rte_bpf_prm prm = {
		.xsym = &xsym,
		.nb_xsym = 1,
		.prog_arg = { .type = RTE_BPF_ARG_PTR, .size = len },
	};

	return rte_bpf_eth_rx_elf_load(port, 0, &prm,
		test_bpf_obj("driver", "rte_bpf_xdp1"), ".text",
		jit ? RTE_BPF_ETH_F_JIT : 0);
}

static int
gen_stats(uint16_t port, struct rte_xdp_generic_stats *st)
{
	memset(st, 0, sizeof(*st));
	return rte_xdp_generic_stats_get(port, 0, st);
}

/* Put scenario s in place; the port to poll and, for io, to send to. */
static int
prepare(const struct scenario *sc, struct block *bk,
	struct rte_xdp_obj *const obj[], struct rte_xdp_prog *const prog[],
	uint16_t *rx, uint16_t *tx)
{
	struct rte_xdp_generic_conf conf = {
		.tx_queue = RTE_XDP_GENERIC_QUEUE_DEFAULT,
		.redirect_tx_queue = RTE_XDP_GENERIC_QUEUE_DEFAULT,
		.headroom = sc->headroom,
	};
	uint32_t k = 0;
	int ret = 0;

	*tx = bk->b.id;
	if (sc->prog == P_REDIRECT &&
	    rte_xdp_map_update(rte_xdp_obj_find_map(obj[P_REDIRECT],
		"tx_port"), &k, &bk->b_ifindex, 0) != 0)
		return -1;
	switch (sc->hook) {
	case H_NONE:
		*rx = bk->p.id;
		if (sc->blk == B_MV)
			ret = rte_pmd_mvneta_xdp_prog_attach(bk->p.id, NULL);
		break;
	case H_NATIVE:
		*rx = bk->p.id;
		ret = rte_pmd_mvneta_xdp_prog_attach(bk->p.id, prog[sc->prog]);
		break;
	case H_DETACHED:
		*rx = bk->a.id;
		ret = rte_xdp_generic_detach(bk->a.id, 0);
		if (ret == -ENOENT)
			ret = 0;
		break;
	case H_GENERIC:
		*rx = bk->a.id;
		/* conf each time: a replacement would keep the last one */
		ret = rte_xdp_generic_attach(bk->a.id, 0, prog[sc->prog],
			&conf);
		break;
	case H_RTE_BPF_JIT:
	case H_RTE_BPF_VM:
		*rx = bk->f.id;
		ret = rte_bpf_attach(bk->f.id, bk->len,
			sc->hook == H_RTE_BPF_JIT);
		break;
	}
	if (ret != 0)
		printf("%s: cannot set up (%d)\n", sc->name, ret);
	return ret;
}

static int
test_perf(void)
{
	static const char *const file[NB_PROGS] = {
		NULL, "xdp_verdict", "xdp1", "xdp2", "xdp_redirect_map",
	};
	struct rte_xdp_prog *prog[NB_PROGS] = { NULL };
	struct rte_xdp_obj *obj[NB_PROGS] = { NULL };
	struct block bk[NB_BLK];
	const char *fs = getenv("XDP_PERF_FRAME_SIZE");
	const char *rs = getenv("XDP_PERF_RUNS");
	const char *secs = getenv("XDP_PERF_SECONDS");
	const char *only = getenv("XDP_PERF_ONLY");
	const char *fb = getenv("XDP_PERF_BURSTS");
	unsigned int frame_size = fs != NULL ? atoi(fs) : 64;
	int runs = rs != NULL ? atoi(rs) : 5;
	unsigned int ms = secs != NULL ? atof(secs) * 1000 : 400;
	struct rte_xdp_generic_stats s0, s1;
	struct rte_eth_stats fst;
	struct gen_delta tot;
	unsigned int s;
	int b, p, r, ret = TEST_FAILED;
	uint16_t rx = 0, tx = 0;
	double dummy;

	if (access(test_bpf_obj("driver", "xdp1"), R_OK) != 0)
		TEST_SKIP("BPF test objects not built");
	if (runs < 1 || runs > MAX_RUNS || ms == 0 || frame_size < 60 ||
	    frame_size > 1514) {
		printf("XDP_PERF_RUNS 1..%d, XDP_PERF_SECONDS > 0, XDP_PERF_FRAME_SIZE 60..1514\n",
			MAX_RUNS);
		return TEST_FAILED;
	}
	fixed_bursts = fb != NULL ? strtoul(fb, NULL, 0) : 0;
	memset(bk, 0, sizeof(bk));
	memset(mpps, 0, sizeof(mpps));
	memset(cpf, 0, sizeof(cpf));
	memset(gd, 0, sizeof(gd));
	memset(rte_bpf_rxcnt, 0, sizeof(rte_bpf_rxcnt));
	for (p = P_PASS; p < NB_PROGS; p++)
		if ((obj[p] = test_load_xdp("driver", file[p], &prog[p])) == NULL)
			goto out;
	if (test_map_set_u32(obj[P_PASS], "cfg", 0, RTE_XDP_PASS) != 0)
		goto out;
	for (b = 0; b < NB_BLK; b++)
		if (block_setup(&bk[b], b, frame_size) != 0) {
			printf("cannot set up the ports of block %d\n", b);
			goto out;
		}

	for (r = 0; r < runs; r++)
		for (s = 0; s < NB_SCEN; s++) {
			const struct scenario *sc = &scen[s];
			struct block *k = &bk[sc->blk];

			if (only != NULL && strstr(sc->name, only) == NULL)
				continue;
			if (prepare(sc, k, obj, prog, &rx, &tx) != 0)
				goto out;
			measure(rx, tx, sc->io, k, 50, &dummy);	/* warm up */
			gen_stats(k->a.id, &s0);
			mpps[s][r] = measure(rx, tx, sc->io, k, ms, &cpf[s][r]);
			if (sc->hook == H_GENERIC &&
			    gen_stats(k->a.id, &s1) == 0) {
				gd[s].packets += s1.rx_xdp_packets -
					s0.rx_xdp_packets;
				gd[s].copy += s1.rx_xdp_copy - s0.rx_xdp_copy;
				gd[s].tx_errors += s1.rx_xdp_tx_errors -
					s0.rx_xdp_tx_errors;
				gd[s].redirect_errors +=
					s1.rx_xdp_redirect_errors -
					s0.rx_xdp_redirect_errors;
				gd[s].copy_errors += s1.rx_xdp_copy_errors -
					s0.rx_xdp_copy_errors;
				gd[s].aborted += s1.rx_xdp_aborted -
					s0.rx_xdp_aborted;
			}
		}
	for (s = 0; s < NB_SCEN; s++) {
		med_mpps[s] = median(mpps[s], runs);
		med_cpf[s] = median(cpf[s], runs);
	}
	print_tables(frame_size, runs, ms, &tot);
	ret = TEST_SUCCESS;
	/* A broken set-up still polls fast: fail rather than report it. */
	for (s = 0; s < NB_SCEN; s++)
		if ((only == NULL || strstr(scen[s].name, only) != NULL) &&
		    med_mpps[s] == 0) {
			printf("%s: no frames\n", scen[s].name);
			ret = TEST_FAILED;
		}
	if (tot.redirect_errors + tot.copy_errors + tot.aborted != 0) {
		printf("generic XDP dropped frames it should have handled\n");
		ret = TEST_FAILED;
	}
	/* F takes frames only with rte_bpf_xdp1 on it: it counted each */
	if (rte_eth_stats_get(bk[B_NULL].f.id, &fst) != 0 ||
	    fst.ipackets != rte_bpf_rxcnt[IPPROTO_UDP]) {
		printf("rte_bpf_ethdev: port F took %" PRIu64 " frames, rte_bpf_xdp1 counted %" PRIu64 " UDP\n",
			fst.ipackets, rte_bpf_rxcnt[IPPROTO_UDP]);
		ret = TEST_FAILED;
	}
out:
	for (b = 0; b < NB_BLK; b++)
		if (block_teardown(&bk[b], b) != TEST_SUCCESS)
			ret = TEST_FAILED;
	for (p = 0; p < NB_PROGS; p++)
		rte_xdp_obj_close(obj[p]);
	return ret;
}

REGISTER_TEST_COMMAND(xdp_generic_perf_autotest, test_perf);
