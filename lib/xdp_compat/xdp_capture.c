/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Capture at XDP entry and exit, in the process that runs the programs.
 *
 * A capture belongs to a port and a control session: a ring of mbuf
 * copies and the pool they come from, both in shared memory under names
 * the session's tool looks up (as rte_pdump shares its ring), so that a
 * secondary dequeues and frees the copies itself. The data path copies
 * with no lock: a frame whose copy does not fit (pool empty, ring full)
 * is only counted. Ending a capture unpublishes it, waits for the bursts
 * that were using it, frees what is still queued, then the ring and pool.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_pause.h>
#include <rte_ring.h>

#include "rte_xdp_ctl.h"
#include "rte_xdp_generic.h"
#include "rte_xdp_native.h"
#include "xdp_capture.h"
#include "xdp_compat_log.h"

#define CAPTURE_BURST	64
/* Data room of a copy: longer frames take chained mbufs. */
#define COPY_ROOM	2048u
/* Mbufs of the pool the ring cannot hold, and room past a copy: the
 * reader's own (a pcapng block around a frame, its options). */
#define READER_MBUFS	64
#define READER_ROOM	512u

struct xdpc_capture {
	uint32_t sid;
	uint16_t port_id;
	uint32_t points;
	uint32_t snaplen;
	uint32_t users;		/* bursts inside xdpc_capture_burst() */
	uint64_t next_id;
	uint64_t captured;
	uint64_t dropped;
	struct rte_ring *ring;
	struct rte_mempool *mp;
};

struct xdpc_capture *xdpc_capture_slot[RTE_MAX_ETHPORTS];
static unsigned int capture_gen;

/* Copies of the frames at one point, onto the ring. */
static void
capture_point(struct xdpc_capture *cap, uint8_t point,
	const struct rte_xdp_prog *prog, const struct rte_xdp_rxq_info *rxq,
	struct rte_mbuf **pkts, uint16_t n, const uint32_t *verdicts,
	const struct rte_xdp_redirect_info *redirects, uint64_t tsc,
	uint64_t id)
{
	struct rte_mbuf *copies[CAPTURE_BURST];
	uint32_t prog_id = rte_xdp_prog_id(prog);
	uint16_t i, k = 0, done;
	uint64_t lost = 0;

	for (i = 0; i < n; i++) {
		struct rte_xdp_ctl_capture_meta *md;
		struct rte_mbuf *c = rte_pktmbuf_copy(pkts[i], cap->mp, 0,
			cap->snaplen);

		if (c == NULL) {
			lost++;
			continue;
		}
		md = rte_mbuf_to_priv(c);
		memset(md, 0, sizeof(*md));
		md->tsc = tsc;
		md->id = id + i;
		md->orig_len = pkts[i]->pkt_len;
		md->prog_id = prog_id;
		md->port_id = rxq->port_id;
		md->queue = rxq->queue_index;
		md->point = point;
		if (verdicts != NULL) {
			md->verdict = verdicts[i];
			if (verdicts[i] == RTE_XDP_REDIRECT &&
			    redirects != NULL) {
				md->redirect_ifindex = redirects[i].ifindex;
				md->redirect_map_id = redirects[i].map != NULL ?
					rte_xdp_map_id(redirects[i].map) : 0;
			}
		}
		copies[k++] = c;
	}
	done = rte_ring_enqueue_burst(cap->ring, (void **)copies, k, NULL);
	if (done < k) {
		rte_pktmbuf_free_bulk(copies + done, k - done);
		lost += k - done;
	}
	__atomic_fetch_add(&cap->captured, done, __ATOMIC_RELAXED);
	if (lost != 0)
		__atomic_fetch_add(&cap->dropped, lost, __ATOMIC_RELAXED);
}

void
xdpc_capture_burst(struct xdpc_capture *cap, const struct rte_xdp_prog *prog,
	const struct rte_xdp_rxq_info *rxq, struct rte_mbuf **pkts, uint16_t n,
	uint32_t *verdicts, struct rte_xdp_redirect_info *redirects)
{
	uint64_t tsc, id;
	uint16_t done, c;

	/* Enter, then check it is still published (see capture_end). */
	__atomic_fetch_add(&cap->users, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&xdpc_capture_slot[rxq->port_id],
			__ATOMIC_SEQ_CST) != cap) {
		__atomic_fetch_sub(&cap->users, 1, __ATOMIC_RELEASE);
		rte_xdp_prog_run_burst(prog, rxq, pkts, n, verdicts, redirects);
		return;
	}
	tsc = rte_rdtsc();
	id = __atomic_fetch_add(&cap->next_id, n, __ATOMIC_RELAXED);
	for (done = 0; done < n; done += c) {
		c = RTE_MIN(n - done, CAPTURE_BURST);
		if (cap->points & RTE_XDP_CTL_CAPTURE_ENTRY)
			capture_point(cap, RTE_XDP_CTL_CAPTURE_ENTRY, prog, rxq,
				pkts + done, c, NULL, NULL, tsc, id + done);
	}
	rte_xdp_prog_run_burst(prog, rxq, pkts, n, verdicts, redirects);
	for (done = 0; done < n; done += c) {
		c = RTE_MIN(n - done, CAPTURE_BURST);
		if (cap->points & RTE_XDP_CTL_CAPTURE_EXIT)
			capture_point(cap, RTE_XDP_CTL_CAPTURE_EXIT, prog, rxq,
				pkts + done, c, verdicts + done,
				redirects != NULL ? redirects + done : NULL,
				tsc, id + done);
	}
	__atomic_fetch_sub(&cap->users, 1, __ATOMIC_RELEASE);
}

static int
port_has_prog(uint16_t port)
{
	return rte_xdp_native_prog_get(port) != NULL ||
		rte_xdp_generic_prog_get(port, 0) != NULL;
}

int
xdpc_capture_start(uint32_t sid, const struct xdpc_capture_req *req,
	char *ring_name, char *pool_name, size_t name_len, char *err,
	size_t err_len)
{
	uint16_t port = req->port_id;
	struct xdpc_capture *cap;
	unsigned int gen;

	if (!rte_eth_dev_is_valid_port(port)) {
		snprintf(err, err_len, "port %u: no such port", port);
		return -ENODEV;
	}
	if (req->points == 0 || (req->points & ~(RTE_XDP_CTL_CAPTURE_ENTRY |
			RTE_XDP_CTL_CAPTURE_EXIT)) != 0 || req->snaplen == 0 ||
	    req->nb_frames < 2 || req->nb_frames > (1u << 20)) {
		snprintf(err, err_len,
			"capture: points entry and/or exit, a snap length, 2 to %u frames",
			1u << 20);
		return -EINVAL;
	}
	if (xdpc_capture_slot[port] != NULL) {
		snprintf(err, err_len,
			"port %u: a capture is already running on it (one at a time)",
			port);
		return -EBUSY;
	}
	if (!port_has_prog(port)) {
		snprintf(err, err_len,
			"port %u: no XDP program attached: nothing to capture",
			port);
		return -ENOENT;
	}
	cap = rte_zmalloc("xdp_capture", sizeof(*cap), 0);
	if (cap == NULL) {
		snprintf(err, err_len, "no memory for a capture");
		return -ENOMEM;
	}
	gen = ++capture_gen;
	snprintf(ring_name, name_len, "xdpcap_r%u_%u", port, gen);
	snprintf(pool_name, name_len, "xdpcap_p%u_%u", port, gen);
	cap->sid = sid;
	cap->port_id = port;
	cap->points = req->points;
	cap->snaplen = req->snaplen;
	/* multi-producer (any lcore), multi-consumer: one tool or another */
	cap->ring = rte_ring_create(ring_name, rte_align32pow2(req->nb_frames),
		SOCKET_ID_ANY, 0);
	/* no per-lcore cache: the tool's frees come back to the count */
	cap->mp = cap->ring == NULL ? NULL : rte_pktmbuf_pool_create(pool_name,
		rte_ring_get_capacity(cap->ring) + READER_MBUFS, 0,
		RTE_ALIGN(sizeof(struct rte_xdp_ctl_capture_meta),
			RTE_MBUF_PRIV_ALIGN),
		RTE_PKTMBUF_HEADROOM + RTE_MIN(req->snaplen, COPY_ROOM) +
			READER_ROOM,
		SOCKET_ID_ANY);
	if (cap->mp == NULL) {
		snprintf(err, err_len, "capture of %u frames: %s",
			req->nb_frames, rte_strerror(rte_errno));
		rte_ring_free(cap->ring);
		rte_free(cap);
		return -ENOMEM;
	}
	__atomic_store_n(&xdpc_capture_slot[port], cap, __ATOMIC_RELEASE);
	XDPC_LOG(NOTICE, "capture on port %u started (%s%s, %u frames)", port,
		req->points & RTE_XDP_CTL_CAPTURE_ENTRY ? "entry" : "",
		req->points == (RTE_XDP_CTL_CAPTURE_ENTRY |
			RTE_XDP_CTL_CAPTURE_EXIT) ? ",exit" :
		req->points & RTE_XDP_CTL_CAPTURE_EXIT ? "exit" : "",
		req->nb_frames);
	return 0;
}

static void
capture_end(struct xdpc_capture *cap)
{
	struct rte_mbuf *left[CAPTURE_BURST];
	unsigned int n;

	__atomic_store_n(&xdpc_capture_slot[cap->port_id], NULL,
		__ATOMIC_SEQ_CST);
	while (__atomic_load_n(&cap->users, __ATOMIC_ACQUIRE) != 0)
		rte_pause();
	while ((n = rte_ring_dequeue_burst(cap->ring, (void **)left,
			RTE_DIM(left), NULL)) != 0)
		rte_pktmbuf_free_bulk(left, n);
	XDPC_LOG(NOTICE,
		"capture on port %u ended: %" PRIu64 " frames captured, %" PRIu64 " dropped, pool %u/%u",
		cap->port_id, cap->captured, cap->dropped,
		rte_mempool_avail_count(cap->mp), cap->mp->size);
	rte_mempool_free(cap->mp);
	rte_ring_free(cap->ring);
	rte_free(cap);
}

int
xdpc_capture_stats(uint32_t sid, uint16_t port_id, uint64_t *captured,
	uint64_t *dropped)
{
	struct xdpc_capture *cap;

	if (port_id >= RTE_MAX_ETHPORTS)
		return -ENOENT;
	cap = xdpc_capture_slot[port_id];
	if (cap == NULL || cap->sid != sid)
		return -ENOENT;
	*captured = __atomic_load_n(&cap->captured, __ATOMIC_RELAXED);
	*dropped = __atomic_load_n(&cap->dropped, __ATOMIC_RELAXED);
	return 0;
}

int
xdpc_capture_stop(uint32_t sid, uint16_t port_id)
{
	uint16_t p;
	int ret = -ENOENT;

	for (p = 0; p < RTE_MAX_ETHPORTS; p++) {
		struct xdpc_capture *cap = xdpc_capture_slot[p];

		if (cap == NULL || cap->sid != sid ||
		    (port_id != UINT16_MAX && p != port_id))
			continue;
		capture_end(cap);
		ret = 0;
	}
	return ret;
}
