/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Backend "gen": a traffic generator on the wire. IPv4/UDP frames of
 * frame_size bytes (without FCS) over `flows` flows, addressed to the
 * port's MAC, at `rate` frames per second (0: as fast as the RX rings
 * take them). Transmitted frames are counted and dropped.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_kvargs.h>
#include <rte_malloc.h>
#include <rte_udp.h>

#include "neta_model.h"

#define GEN_DEFAULT_FRAME_SIZE	64
#define GEN_DEFAULT_FLOWS	1
#define GEN_MAX_FLOWS		65536
#define GEN_BURST		NETA_MODEL_BURST

struct gen_flow {
	uint8_t *frame;
	uint16_t queue;
};

struct gen_state {
	uint32_t frame_size;
	uint32_t nb_flows;
	uint64_t rate;		/* frames per second, 0 unlimited */
	struct gen_flow *flows;
	uint8_t *frames;
	struct rte_ether_addr dst;	/* filter entry 0 the frames carry */
	uint16_t nb_rss;		/* RSS spread the flows were sorted for */
	/* Per queue: round robin over the flows steered to it. */
	struct {
		uint32_t *flow_idx;
		uint32_t nb;
		uint32_t next;
		uint64_t tsc_last;
		double credit;
	} q[NETA_MAX_QUEUES];
};

static int
parse_u64(struct neta_model *nm, const char *key, const char *val,
		uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(val, &end, 0);
	if (errno != 0 || end == val || *end != '\0' || v < min || v > max) {
		NETA_LOG(ERR, nm, "devarg %s=%s: expected an integer in [%" PRIu64 ", %" PRIu64 "]",
			key, val, min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static void
gen_build_frame(struct gen_state *g, uint32_t flow, uint8_t *p)
{
	struct rte_ether_hdr *eh = (void *)p;
	struct rte_ipv4_hdr *ip = (void *)(eh + 1);
	struct rte_udp_hdr *uh = (void *)(ip + 1);
	uint32_t l3len = g->frame_size - sizeof(*eh);

	memset(p, 0, g->frame_size);
	eh->dst_addr = g->dst;
	eh->src_addr = (struct rte_ether_addr){
		.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 } };
	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(l3len);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	/* Benchmarking range, RFC 2544: 198.18.0.0/15. */
	ip->src_addr = rte_cpu_to_be_32(RTE_IPV4(198u, 18, 0, 1));
	ip->dst_addr = rte_cpu_to_be_32(RTE_IPV4(198u, 19, 0, 0) + flow);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	uh->src_port = rte_cpu_to_be_16(1024 + (flow & 0x7fff));
	uh->dst_port = rte_cpu_to_be_16(9);	/* discard */
	uh->dgram_len = rte_cpu_to_be_16(l3len - sizeof(*ip));
	uh->dgram_cksum = rte_ipv4_udptcp_cksum(ip, uh);
}

/* (Re)build the frames and their queues when the MAC or RSS changed. */
static void
gen_refresh(struct neta_model *nm, struct gen_state *g)
{
	uint32_t i;
	uint16_t q;

	g->dst = nm->uc_filter[0];
	g->nb_rss = nm->nb_rss_queues;
	for (q = 0; q < NETA_MAX_QUEUES; q++)
		g->q[q].nb = 0;
	for (i = 0; i < g->nb_flows; i++) {
		struct gen_flow *fl = &g->flows[i];

		gen_build_frame(g, i, fl->frame);
		fl->queue = neta_model_rss_queue(nm, fl->frame, g->frame_size);
		g->q[fl->queue].flow_idx[g->q[fl->queue].nb++] = i;
	}
	for (q = 0; q < NETA_MAX_QUEUES; q++)
		g->q[q].next = 0;
}

static void
gen_close(struct neta_model *nm)
{
	struct gen_state *g = nm->backend_priv;
	uint16_t q;

	if (g == NULL)
		return;
	for (q = 0; q < NETA_MAX_QUEUES; q++)
		rte_free(g->q[q].flow_idx);
	rte_free(g->flows);
	rte_free(g->frames);
	rte_free(g);
	nm->backend_priv = NULL;
}

static int
gen_open(struct neta_model *nm, struct rte_kvargs *kv)
{
	struct gen_state *g;
	uint64_t v;
	uint32_t i;
	uint16_t q;

	g = rte_zmalloc("neta_gen", sizeof(*g), 0);
	if (g == NULL)
		return -ENOMEM;
	nm->backend_priv = g;
	g->frame_size = GEN_DEFAULT_FRAME_SIZE;
	g->nb_flows = GEN_DEFAULT_FLOWS;
	for (i = 0; kv != NULL && i < kv->count; i++) {
		const char *k = kv->pairs[i].key, *val = kv->pairs[i].value;

		if (strcmp(k, NETA_ARG_FRAME_SIZE) == 0) {
			if (parse_u64(nm, k, val, RTE_ETHER_HDR_LEN +
				sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_udp_hdr),
				NETA_MAX_FRAME, &v) != 0)
				goto err;
			g->frame_size = v;
		} else if (strcmp(k, NETA_ARG_FLOWS) == 0) {
			if (parse_u64(nm, k, val, 1, GEN_MAX_FLOWS, &v) != 0)
				goto err;
			g->nb_flows = v;
		} else if (strcmp(k, NETA_ARG_RATE) == 0) {
			if (parse_u64(nm, k, val, 0, UINT32_MAX, &v) != 0)
				goto err;
			g->rate = v;
		}
	}
	g->frames = rte_zmalloc("neta_gen", (size_t)g->nb_flows * g->frame_size,
		RTE_CACHE_LINE_SIZE);
	g->flows = rte_zmalloc("neta_gen", sizeof(*g->flows) * g->nb_flows, 0);
	if (g->frames == NULL || g->flows == NULL)
		goto nomem;
	for (q = 0; q < NETA_MAX_QUEUES; q++) {
		g->q[q].flow_idx = rte_zmalloc("neta_gen",
			sizeof(uint32_t) * g->nb_flows, 0);
		if (g->q[q].flow_idx == NULL)
			goto nomem;
	}
	for (i = 0; i < g->nb_flows; i++)
		g->flows[i].frame = g->frames + (size_t)i * g->frame_size;
	g->nb_rss = 0;	/* built at the first poll */
	return 0;
nomem:
	NETA_LOG(ERR, nm, "gen: cannot allocate %u flows of %u bytes",
		g->nb_flows, g->frame_size);
	gen_close(nm);
	return -ENOMEM;
err:
	gen_close(nm);
	return -EINVAL;
}

static void
gen_rx_poll(struct neta_model *nm, uint16_t q, uint32_t budget)
{
	struct gen_state *g = nm->backend_priv;
	struct neta_frame f[GEN_BURST];
	const struct neta_frame *fp[GEN_BURST];
	uint32_t n, descs, i;

	if (unlikely(g->nb_rss != nm->nb_rss_queues ||
		     !rte_is_same_ether_addr(&g->dst, &nm->uc_filter[0])))
		gen_refresh(nm, g);
	if (g->q[q].nb == 0)
		return;
	/* One frame may take several descriptors. */
	descs = (g->frame_size + nm->rxq[q].buf_size - 1) /
		RTE_MAX(nm->rxq[q].buf_size, 1u);
	n = RTE_MIN(budget / RTE_MAX(descs, 1u), (uint32_t)GEN_BURST);
	if (g->rate != 0) {
		uint64_t now = rte_rdtsc();

		if (g->q[q].tsc_last == 0)
			g->q[q].tsc_last = now;
		g->q[q].credit += (double)(now - g->q[q].tsc_last) * g->rate /
			rte_get_tsc_hz();
		g->q[q].tsc_last = now;
		if (g->q[q].credit > GEN_BURST)
			g->q[q].credit = GEN_BURST;
		n = RTE_MIN(n, (uint32_t)g->q[q].credit);
		g->q[q].credit -= n;
	}
	for (i = 0; i < n; i++) {
		uint32_t idx = g->q[q].flow_idx[g->q[q].next];

		if (++g->q[q].next == g->q[q].nb)
			g->q[q].next = 0;
		f[i].len = g->frame_size;
		f[i].nb_segs = 1;
		f[i].seg[0].len = g->frame_size;
		f[i].seg[0].addr = g->flows[idx].frame;
		fp[i] = &f[i];
	}
	neta_model_rx_frames_q(nm, q, fp, n);
}

static bool
gen_tx(struct neta_model *nm, const struct neta_frame *f)
{
	RTE_SET_USED(nm);
	RTE_SET_USED(f);
	return true;	/* the generator's receive side discards */
}

const struct neta_backend_ops neta_backend_gen = {
	.name = "gen",
	.open = gen_open,
	.close = gen_close,
	.rx_poll = gen_rx_poll,
	.tx = gen_tx,
};
