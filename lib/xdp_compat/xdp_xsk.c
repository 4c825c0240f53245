/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * XSKMAP targets: application sockets in copy mode (net/xdp/xsk.c's
 * __xsk_rcv copy path). Frames are copied into the socket's own buffers;
 * the original goes back to its memory model at once.
 */

#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memcpy.h>
#include <rte_ring.h>

#include "rte_xdp_prog.h"
#include "rte_xdp_xsk.h"
#include "xdp_compat_log.h"
#include "xdp_redirect_internal.h"

#define XSK_MAX 64

struct rte_xdp_xsk {
	uint32_t handle;
	uint16_t port_id;
	uint16_t queue_id;
	struct rte_mempool *umem;
	struct rte_ring *rx;
	struct rte_xdp_mem_info mem;	/* MEM_TYPE_XSK_BUFF_POOL */
	uint64_t rx_cnt;		/* atomic */
	uint64_t rx_dropped;		/* atomic */
	uint64_t tx_cnt;
};

static struct rte_xdp_xsk *xsks[XSK_MAX];	/* by handle */

static void
xsk_free_buf(struct rte_mbuf *m, void *arg)
{
	RTE_SET_USED(arg);
	rte_pktmbuf_free(m);	/* back to the socket's mempool */
}

struct rte_xdp_xsk *
rte_xdp_xsk_create(const struct rte_xdp_xsk_conf *conf)
{
	struct rte_xdp_xsk *xsk;
	char name[RTE_RING_NAMESIZE];
	uint32_t h;

	if (conf == NULL || conf->umem == NULL || conf->ring_size == 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	for (h = 1; h < XSK_MAX; h++)
		if (__atomic_load_n(&xsks[h], __ATOMIC_ACQUIRE) == NULL)
			break;
	if (h == XSK_MAX) {
		rte_errno = ENOSPC;
		return NULL;
	}
	xsk = rte_zmalloc("xdp_xsk", sizeof(*xsk), RTE_CACHE_LINE_SIZE);
	if (xsk == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	snprintf(name, sizeof(name), "xdp_xsk_%u", h);
	xsk->rx = rte_ring_create(name, rte_align32pow2(conf->ring_size + 1),
		SOCKET_ID_ANY, RING_F_SC_DEQ);
	if (xsk->rx == NULL) {
		rte_free(xsk);
		return NULL;
	}
	xsk->handle = h;
	xsk->port_id = conf->port_id;
	xsk->queue_id = conf->queue_id;
	xsk->umem = conf->umem;
	xsk->mem.type = RTE_XDP_MEM_TYPE_XSK_BUFF_POOL;
	xsk->mem.xsk.free = xsk_free_buf;
	xsk->mem.xsk.arg = xsk;
	__atomic_store_n(&xsks[h], xsk, __ATOMIC_RELEASE);
	return xsk;
}

void
rte_xdp_xsk_destroy(struct rte_xdp_xsk *xsk)
{
	struct rte_mbuf *m;

	if (xsk == NULL)
		return;
	/* Redirects to the handle fail from now on. */
	__atomic_store_n(&xsks[xsk->handle], NULL, __ATOMIC_SEQ_CST);
	while (rte_ring_dequeue(xsk->rx, (void **)&m) == 0)
		rte_pktmbuf_free(m);
	rte_ring_free(xsk->rx);
	rte_free(xsk);
}

uint32_t
rte_xdp_xsk_handle(const struct rte_xdp_xsk *xsk)
{
	return xsk->handle;
}

int
xdpc_xsk_rcv(const void *entry, struct rte_mbuf *m,
	const struct rte_xdp_rxq_info *rxq)
{
	struct rte_xdp_xsk *xsk;
	struct rte_mbuf *copy;
	uint32_t h, len = rte_pktmbuf_pkt_len(m);
	uint32_t meta = rte_xdp_mbuf_meta_len(m);
	const void *src;
	void *dst;

	memcpy(&h, entry, sizeof(h));
	xsk = h < XSK_MAX ? __atomic_load_n(&xsks[h], __ATOMIC_ACQUIRE) : NULL;
	if (xsk == NULL)
		return -ENODEV;
	/* Only the queue the socket is bound to feeds it. */
	if (xsk->port_id != rxq->port_id || xsk->queue_id != rxq->queue_index)
		return -EINVAL;
	copy = rte_pktmbuf_alloc(xsk->umem);
	if (copy == NULL || rte_pktmbuf_tailroom(copy) < len ||
	    rte_pktmbuf_headroom(copy) < meta) {
		rte_pktmbuf_free(copy);
		__atomic_fetch_add(&xsk->rx_dropped, 1, __ATOMIC_RELAXED);
		return -ENOSPC;
	}
	/* Metadata travels in front of the frame, as in the UMEM. */
	if (meta != 0)
		memcpy(rte_pktmbuf_mtod(copy, uint8_t *) - meta,
			rte_pktmbuf_mtod(m, uint8_t *) - meta, meta);
	dst = rte_pktmbuf_append(copy, len);
	src = rte_pktmbuf_read(m, 0, len, dst);
	if (src == NULL)
		goto drop;
	if (src != dst)	/* contiguous: read gave a pointer, not a copy */
		rte_memcpy(dst, src, len);
	copy->port = m->port;
	if (rte_ring_mp_enqueue(xsk->rx, copy) != 0)
		goto drop;
	__atomic_fetch_add(&xsk->rx_cnt, 1, __ATOMIC_RELAXED);
	rte_xdp_return_frame(&rxq->mem, m, 0);
	return 0;
drop:
	rte_pktmbuf_free(copy);
	__atomic_fetch_add(&xsk->rx_dropped, 1, __ATOMIC_RELAXED);
	return -ENOSPC;
}

uint16_t
rte_xdp_xsk_rx_burst(struct rte_xdp_xsk *xsk, struct rte_mbuf **pkts,
	uint16_t n)
{
	return rte_ring_sc_dequeue_burst(xsk->rx, (void **)pkts, n, NULL);
}

uint16_t
rte_xdp_xsk_tx_burst(struct rte_xdp_xsk *xsk, struct rte_mbuf **pkts,
	uint16_t n)
{
	const struct rte_xdp_mem_info *mem[64];
	uint16_t i, sent = 0, k;

	while (sent < n) {
		k = RTE_MIN((uint16_t)(n - sent), (uint16_t)RTE_DIM(mem));
		for (i = 0; i < k; i++)
			mem[i] = &xsk->mem;
		i = xdpc_dev_xmit(xsk->port_id, pkts + sent, mem, k);
		sent += i;
		if (i < k)
			break;
	}
	xsk->tx_cnt += sent;
	return sent;
}

int
rte_xdp_xsk_stats(const struct rte_xdp_xsk *xsk, struct rte_xdp_xsk_stats *st)
{
	if (xsk == NULL || st == NULL)
		return -EINVAL;
	st->rx = __atomic_load_n(&xsk->rx_cnt, __ATOMIC_RELAXED);
	st->rx_dropped = __atomic_load_n(&xsk->rx_dropped, __ATOMIC_RELAXED);
	st->tx = xsk->tx_cnt;
	return 0;
}
