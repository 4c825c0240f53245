/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Data path: RX and TX bursts over the NETA descriptor rings, and the
 * queue start/stop that fills and drains them. The RX loop reads like the
 * kernel's mvneta_rx_swbm(): descriptor -> buffer -> frame -> refill,
 * one doorbell after the loop.
 */

#include <errno.h>

#include <rte_branch_prediction.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "mvneta_xdp.h"

/* Post a fresh buffer at descriptor idx: the controller writes at +256. */
static inline void
rx_refill(struct mvneta_xdp_rxq *rxq, uint16_t idx, struct rte_mbuf *m)
{
	struct neta_rx_desc *d = &rxq->descs[idx];

	rxq->bufs[idx] = m;
	/* The buffer's own IO address (mvneta_xdp_dma.c). */
	neta_buf_addr_set(&d->buf_phys_addr,
		m->buf_iova + MVNETA_XDP_RX_OFFSET);
	d->buf_cookie = idx;
}

/* Checksum and packet type from the first descriptor's status. */
static inline void
rx_offload_flags(struct rte_mbuf *m, uint32_t status)
{
	uint64_t fl = 0;
	uint32_t pt = RTE_PTYPE_L2_ETHER;

	if (status & NETA_RXD_L3_IP4) {
		pt |= RTE_PTYPE_L3_IPV4_EXT_UNKNOWN;
		fl |= (status & NETA_RXD_IP_HDR_OK) ?
			RTE_MBUF_F_RX_IP_CKSUM_GOOD : RTE_MBUF_F_RX_IP_CKSUM_BAD;
	} else if (status & NETA_RXD_L3_IP6) {
		pt |= RTE_PTYPE_L3_IPV6_EXT_UNKNOWN;
	}
	switch (status & NETA_RXD_L4_PROTO_MASK) {
	case NETA_RXD_L4_TCP:
		pt |= RTE_PTYPE_L4_TCP;
		break;
	case NETA_RXD_L4_UDP:
		pt |= RTE_PTYPE_L4_UDP;
		break;
	default:
		break;
	}
	if (pt & RTE_PTYPE_L4_MASK)
		fl |= (status & NETA_RXD_L4_CSUM_OK) ?
			RTE_MBUF_F_RX_L4_CKSUM_GOOD : RTE_MBUF_F_RX_L4_CKSUM_BAD;
	m->packet_type = pt;
	m->ol_flags = fl;
}

/* Give back the segments of a frame that will not be delivered. */
static void
rx_drop_frame(struct mvneta_xdp_rxq *rxq)
{
	struct rte_mbuf *m, *next;

	for (m = rxq->pkt_first; m != NULL; m = next) {
		next = m->next;
		rte_xdp_page_pool_recycle_direct(rxq->pp, m);
	}
	rxq->pkt_first = NULL;
	rxq->pkt_last = NULL;
}

/*
 * A burst is a read-side critical section: burst_seq is odd inside it, so
 * that a control thread swapping the program or pausing the port can wait
 * until no lcore still uses what it replaces.
 */
static inline void
burst_enter(uint32_t *seq)
{
	__atomic_store_n(seq, *seq + 1, __ATOMIC_RELAXED);
	/*
	 * Store then loads (paused, the program): a full fence, as the
	 * control thread's in mvneta_xdp_quiesce(). A seq_cst store alone
	 * is a store-release on arm64, which a later plain load may pass.
	 */
	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static inline void
burst_exit(uint32_t *seq)
{
	__atomic_store_n(seq, *seq + 1, __ATOMIC_RELEASE);
}

/* Walk the filled descriptors: up to nb_pkts complete frames. */
static uint16_t
rx_ring_walk(struct mvneta_xdp_rxq *rxq, struct rte_mbuf **rx_pkts,
		uint16_t nb_pkts)
{
	uint32_t rx_todo, rx_proc = 0;
	uint16_t idx = rxq->next_desc_to_proc;
	uint16_t nb_rx = 0;

	rx_todo = neta_hw_rxq_busy_desc_num_get(rxq->hw, rxq->queue_id);
	while (rx_proc < rx_todo) {
		const struct neta_rx_desc *desc = &rxq->descs[idx];
		uint32_t status = desc->status;
		struct rte_mbuf *m = rxq->bufs[idx];
		struct rte_mbuf *fresh;

		/* A new frame only if the caller has room for it. */
		if ((status & NETA_RXD_FIRST_DESC) && nb_rx == nb_pkts)
			break;

		fresh = rte_xdp_page_pool_alloc(rxq->pp);
		if (unlikely(fresh == NULL)) {
			/* Keep the buffer posted; the frame is lost. */
			rxq->stats.nombuf++;
			fresh = m;
			m = NULL;
		}
		rx_refill(rxq, idx, fresh);
		rx_proc++;
		if (++idx == rxq->size)
			idx = 0;
		rte_prefetch0(&rxq->descs[idx]);

		if (unlikely(m == NULL || (status & NETA_RXD_ERR_SUMMARY))) {
			if (m != NULL) {
				rxq->stats.errors++;
				rte_xdp_page_pool_recycle_direct(rxq->pp, m);
			}
			rx_drop_frame(rxq);
			continue;
		}

		m->data_len = desc->data_size;
		if (status & NETA_RXD_FIRST_DESC) {
			if (unlikely(rxq->pkt_first != NULL))
				rx_drop_frame(rxq);	/* its last part never came */
			m->pkt_len = m->data_len;
			m->port = rxq->port_id;
			if (rxq->csum)
				rx_offload_flags(m, status);
			rxq->pkt_first = m;
		} else if (likely(rxq->pkt_first != NULL)) {
			rxq->pkt_last->next = m;
			rxq->pkt_first->nb_segs++;
			rxq->pkt_first->pkt_len += m->data_len;
		} else {
			/* Tail of a frame already dropped. */
			rte_xdp_page_pool_recycle_direct(rxq->pp, m);
			continue;
		}
		rxq->pkt_last = m;
		if (!(status & NETA_RXD_LAST_DESC))
			continue;

		rx_pkts[nb_rx++] = rxq->pkt_first;
		rxq->pkt_first = NULL;
	}
	rxq->next_desc_to_proc = idx;
	if (rx_proc != 0)
		neta_hw_rxq_desc_num_update(rxq->hw, rxq->queue_id, rx_proc,
			rx_proc);
	return nb_rx;
}

uint16_t
mvneta_xdp_rx_burst(void *rx_queue, struct rte_mbuf **rx_pkts, uint16_t nb_pkts)
{
	struct mvneta_xdp_rxq *rxq = rx_queue;
	struct rte_xdp_prog *prog;
	uint64_t bytes = 0;
	uint16_t nb_rx, i;
	struct rte_mbuf *m;

	burst_enter(&rxq->burst_seq);
	if (unlikely(__atomic_load_n(&rxq->port->paused, __ATOMIC_ACQUIRE))) {
		burst_exit(&rxq->burst_seq);
		return 0;
	}
	prog = __atomic_load_n(&rxq->port->xdp.prog, __ATOMIC_ACQUIRE);
	nb_rx = rx_ring_walk(rxq, rx_pkts, nb_pkts);
	for (i = 0; i < nb_rx; i++)
		bytes += rx_pkts[i]->pkt_len;
	rxq->stats.packets += nb_rx;
	rxq->stats.bytes += bytes;
	if (prog != NULL && nb_rx != 0)
		nb_rx = mvneta_xdp_run(rxq, prog, rx_pkts, nb_rx);
	/* PASS: the buffers leave the page pool as mbufs. */
	for (i = 0; i < nb_rx; i++)
		for (m = rx_pkts[i]; m != NULL; m = m->next)
			rte_xdp_page_pool_release_page(rxq->pp, m);
	burst_exit(&rxq->burst_seq);
	return nb_rx;
}

int
mvneta_xdp_rxq_start(struct mvneta_xdp_rxq *rxq)
{
	struct rte_xdp_page_pool_params pp = {
		.flags = RTE_XDP_PP_FLAG_DMA_MAP | RTE_XDP_PP_FLAG_DMA_SYNC_DEV,
		.order = 0,
		.pool_size = rxq->size,
		.nid = rxq->socket,
		.dma_dir = RTE_XDP_DMA_FROM_DEVICE,
		.offset = MVNETA_XDP_RX_OFFSET,
		.max_len = rxq->buf_size,
		.mp = rxq->mp,
	};
	char name[RTE_MEMZONE_NAMESIZE];
	uint16_t i;
	int ret;

	ret = mvneta_xdp_dma_check_pool(rxq->port, rxq->mp);
	if (ret != 0)
		return ret;
	snprintf(name, sizeof(name), "mvx%u_%u", rxq->port_id, rxq->queue_id);
	pp.name = name;
	rxq->pp = rte_xdp_page_pool_create(&pp);
	if (rxq->pp == NULL) {
		MVNETA_LOG(ERR, "%s: rxq %u: page pool: %s", rxq->port->name,
			rxq->queue_id, rte_strerror(rte_errno));
		return -rte_errno;
	}
	rte_xdp_rxq_info_reg(&rxq->xdp_rxq, rxq->port_id, rxq->port->ifindex,
		rxq->queue_id, rte_pktmbuf_data_room_size(rxq->mp));
	rte_xdp_rxq_info_reg_mem_model(&rxq->xdp_rxq,
		RTE_XDP_MEM_TYPE_PAGE_POOL, rxq->pp);

	ret = neta_hw_rxq_init(rxq->hw, rxq->queue_id, rxq->descs, rxq->size,
		rxq->buf_size);
	if (ret != 0)
		goto err;
	for (i = 0; i < rxq->size; i++) {
		struct rte_mbuf *m = rte_xdp_page_pool_alloc(rxq->pp);

		if (m == NULL) {
			MVNETA_LOG(ERR, "%s: rxq %u: mempool %s has fewer than the %u buffers the ring needs",
				rxq->port->name, rxq->queue_id, rxq->mp->name,
				rxq->size);
			ret = -ENOMEM;
			goto err;
		}
		rx_refill(rxq, i, m);
	}
	rxq->next_desc_to_proc = 0;
	neta_hw_rxq_desc_num_update(rxq->hw, rxq->queue_id, 0, rxq->size);
	return 0;
err:
	mvneta_xdp_rxq_stop(rxq);
	return ret;
}

/* Like mvneta_rxq_drop_pkts(): every posted buffer back to the pool. */
void
mvneta_xdp_rxq_stop(struct mvneta_xdp_rxq *rxq)
{
	uint16_t i;
	int inflight;

	if (rxq->pp == NULL)
		return;
	neta_hw_rxq_deinit(rxq->hw, rxq->queue_id);
	rx_drop_frame(rxq);
	for (i = 0; i < rxq->size; i++) {
		if (rxq->bufs[i] != NULL)
			rte_xdp_page_pool_put_page(rxq->pp, rxq->bufs[i],
				rxq->buf_size, false);
		rxq->bufs[i] = NULL;
	}
	rte_xdp_rxq_info_unreg(&rxq->xdp_rxq);
	/* Frames redirected to other ports may still be on their rings:
	 * the pool then lives on until they come back. */
	inflight = rte_xdp_page_pool_destroy(rxq->pp);
	if (inflight != 0)
		MVNETA_LOG(DEBUG, "%s: rxq %u: %d buffers still on other ports' rings",
			rxq->port->name, rxq->queue_id, inflight);
	rxq->pp = NULL;
}

/* TX. */

/* XDP frames go back to their page pool this many at a time. */
#define TXQ_RECLAIM_BULK 64

/* The cache of the pool when reclaimed on the RX lcore that owns it (an
 * XDP_TX ring), else its ring (frames redirected in from any port). */
static inline void
reclaim_bulk(bool direct, const struct rte_xdp_mem_info *mem,
		struct rte_mbuf **m, uint16_t n)
{
	if (direct)
		rte_xdp_page_pool_recycle_direct_bulk(mem->page_pool, m, n);
	else
		rte_xdp_page_pool_put_page_bulk(mem->page_pool, m, n);
}

/*
 * Reclaim up to n descriptors the controller has sent. One-buffer XDP
 * frames go back to their page pool in bulk (xdp_return_frame_bulk() in
 * the kernel's mvneta_txq_bufs_free()).
 */
static inline void
txq_reclaim(struct mvneta_xdp_txq *txq, uint32_t n)
{
	struct rte_mbuf *bulk[TXQ_RECLAIM_BULK];
	const struct rte_xdp_mem_info *bulk_mem = NULL;
	struct mvneta_xdp_tx_buf *bufs = txq->bufs;
	const bool direct = txq->direct_return;
	const uint16_t size = txq->size;
	uint16_t get = txq->get, nb_bulk = 0;
	uint32_t i;

	for (i = 0; i < n; i++) {
		struct mvneta_xdp_tx_buf *b = &bufs[get];
		const struct rte_xdp_mem_info *mem = b->mem;
		struct rte_mbuf *m = b->m;

		b->m = NULL;
		if (++get == size)
			get = 0;
		if (mem == NULL) {	/* an mbuf of tx_burst */
			rte_pktmbuf_free_seg(m);
		} else if (likely(mem == bulk_mem && m != NULL &&
				  m->nb_segs == 1)) {
			bulk[nb_bulk++] = m;
			if (unlikely(nb_bulk == TXQ_RECLAIM_BULK)) {
				reclaim_bulk(direct, bulk_mem, bulk, nb_bulk);
				nb_bulk = 0;
			}
		} else if (m == NULL) {
			continue;	/* not an XDP frame's first segment */
		} else if (mem->type == RTE_XDP_MEM_TYPE_PAGE_POOL &&
			   m->nb_segs == 1) {
			/* a frame of another pool starts the bulk */
			if (nb_bulk != 0)
				reclaim_bulk(direct, bulk_mem, bulk, nb_bulk);
			bulk_mem = mem;
			bulk[0] = m;
			nb_bulk = 1;
		} else {
			rte_xdp_return_frame(mem, m, direct);
		}
	}
	if (nb_bulk != 0)
		reclaim_bulk(direct, bulk_mem, bulk, nb_bulk);
	txq->get = get;
	txq->count -= n;
}

static inline void
txq_done(struct mvneta_xdp_txq *txq)
{
	uint32_t sent = neta_hw_txq_sent_desc_proc(txq->hw, txq->queue_id);

	if (sent != 0)
		txq_reclaim(txq, sent);
}

/* Checksum offload command bits for the first descriptor. */
static inline uint32_t
tx_csum_cmd(const struct rte_mbuf *m)
{
	uint64_t fl = m->ol_flags;
	uint32_t cmd;

	if (likely(!(fl & (RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_L4_MASK))))
		return NETA_TX_L4_CSUM_NOT;
	cmd = (m->l2_len << NETA_TX_L3_OFF_SHIFT) |
		((m->l3_len >> 2) << NETA_TX_IP_HLEN_SHIFT);
	if (fl & RTE_MBUF_F_TX_IPV6)
		cmd |= NETA_TX_L3_IP6;
	else if (fl & RTE_MBUF_F_TX_IP_CKSUM)
		cmd |= NETA_TXD_IP_CSUM;
	switch (fl & RTE_MBUF_F_TX_L4_MASK) {
	case RTE_MBUF_F_TX_UDP_CKSUM:
		cmd |= NETA_TX_L4_UDP | NETA_TX_L4_CSUM_FULL;
		break;
	case RTE_MBUF_F_TX_TCP_CKSUM:
		cmd |= NETA_TX_L4_CSUM_FULL;
		break;
	default:
		cmd |= NETA_TX_L4_CSUM_NOT;
		break;
	}
	return cmd;
}

/* A buffer the controller can reach: one with an IO address. */
static inline bool
tx_seg_reachable(struct mvneta_xdp_txq *txq, const struct rte_mbuf *seg)
{
	if (likely(seg->buf_iova != RTE_BAD_IOVA))
		return true;
	mvneta_xdp_dma_refused(txq, seg);
	return false;
}

uint16_t
mvneta_xdp_tx_burst(void *tx_queue, struct rte_mbuf **tx_pkts, uint16_t nb_pkts)
{
	struct mvneta_xdp_txq *txq = tx_queue;
	uint64_t bytes = 0;
	uint32_t pend = 0;
	uint16_t put = txq->put;
	uint16_t i;

	burst_enter(&txq->burst_seq);
	if (unlikely(__atomic_load_n(&txq->port->paused, __ATOMIC_ACQUIRE))) {
		burst_exit(&txq->burst_seq);
		return 0;
	}
	if (txq->count >= txq->free_thresh)
		txq_done(txq);

	for (i = 0; i < nb_pkts; i++) {
		struct rte_mbuf *m = tx_pkts[i], *seg;
		uint32_t cmd;
		uint16_t s;

		if (unlikely(m->nb_segs > txq->size - txq->count - pend)) {
			txq_done(txq);
			if (m->nb_segs > txq->size - txq->count - pend)
				break;
		}
		for (seg = m, s = 0; seg != NULL; seg = seg->next, s++)
			if (unlikely(s == NETA_TX_MAX_SEGS ||
				     !tx_seg_reachable(txq, seg)))
				break;
		if (unlikely(seg != NULL)) {
			/* The controller cannot reach it: refuse the frame. */
			txq->stats.errors++;
			rte_pktmbuf_free(m);
			continue;
		}
		cmd = tx_csum_cmd(m) | NETA_TXD_F_DESC;
		for (seg = m, s = 0; seg != NULL; seg = seg->next, s++) {
			struct neta_tx_desc *d = &txq->descs[put];

			if (seg->next == NULL)
				cmd |= NETA_TXD_L_DESC | NETA_TXD_Z_PAD;
			d->command = cmd;
			d->data_size = seg->data_len;
			neta_buf_addr_set(&d->buf_phys_addr,
				rte_mbuf_data_iova(seg));
			txq->bufs[put].m = seg;
			txq->bufs[put].mem = NULL;
			cmd = 0;
			if (++put == txq->size)
				put = 0;
		}
		pend += s;
		bytes += m->pkt_len;
	}
	if (pend != 0) {
		txq->put = put;
		txq->count += pend;
		neta_hw_txq_pend_desc_add(txq->hw, txq->queue_id, pend);
	}
	txq->stats.packets += i;
	txq->stats.bytes += bytes;
	burst_exit(&txq->burst_seq);
	return i;
}

/*
 * XDP transmit: frames are put on the ring one by one and the doorbell is
 * rung once per burst (mvneta_xdp_txq_flush), like the kernel's
 * mvneta_xdp_submit_frame() and the flush at the end of NAPI poll.
 */
int
mvneta_xdp_txq_put(struct mvneta_xdp_txq *txq, struct rte_mbuf *m,
		const struct rte_xdp_mem_info *mem)
{
	struct rte_mbuf *seg;
	uint16_t put = txq->put, s;
	uint32_t cmd = NETA_TX_L4_CSUM_NOT | NETA_TXD_F_DESC;

	/* One buffer, the common case: one descriptor. */
	if (likely(m->nb_segs == 1)) {
		struct neta_tx_desc *d = &txq->descs[put];

		if (unlikely(txq->count == txq->size)) {
			txq_done(txq);
			if (txq->count == txq->size)
				return -ENOSPC;
		}
		if (unlikely(!tx_seg_reachable(txq, m)))
			return -EFAULT;
		d->command = cmd | NETA_TXD_FLZ_DESC;
		d->data_size = m->data_len;
		neta_buf_addr_set(&d->buf_phys_addr, rte_mbuf_data_iova(m));
		txq->bufs[put].m = m;
		txq->bufs[put].mem = mem;
		txq->put = put + 1 == txq->size ? 0 : put + 1;
		txq->count++;
		txq->pending++;
		return 0;
	}
	if (unlikely(m->nb_segs > txq->size - txq->count)) {
		txq_done(txq);
		if (m->nb_segs > txq->size - txq->count)
			return -ENOSPC;
	}
	for (seg = m, s = 0; seg != NULL; seg = seg->next, s++) {
		if (unlikely(s == NETA_TX_MAX_SEGS))
			return -EMSGSIZE;
		if (unlikely(!tx_seg_reachable(txq, seg)))
			return -EFAULT;
	}
	for (seg = m, s = 0; seg != NULL; seg = seg->next, s++) {
		struct neta_tx_desc *d = &txq->descs[put];

		if (seg->next == NULL)
			cmd |= NETA_TXD_L_DESC | NETA_TXD_Z_PAD;
		d->command = cmd;
		d->data_size = seg->data_len;
		neta_buf_addr_set(&d->buf_phys_addr,
			rte_mbuf_data_iova(seg));
		/* The whole frame is returned with its first descriptor. */
		txq->bufs[put].m = s == 0 ? m : NULL;
		txq->bufs[put].mem = mem;
		cmd = 0;
		if (++put == txq->size)
			put = 0;
	}
	txq->put = put;
	txq->count += s;
	txq->pending += s;
	return 0;
}

/*
 * XDP frames onto the ring (the kernel's mvneta_xdp_submit_frame() per
 * frame, under one lock): the ring's room reserved once, a descriptor
 * written per one-buffer frame, no call per frame; the doorbell is
 * mvneta_xdp_txq_flush(). mem[i * mem_step] is frame i's memory. A frame
 * left out (the ring full, or a buffer the controller cannot reach) ends
 * the fill if stop, else is moved to the front of frames, in order.
 * Returns how many went on the ring; their bytes are added to *bytes.
 */
static __rte_always_inline uint16_t
txq_fill(struct mvneta_xdp_txq *txq, struct rte_mbuf **frames, uint16_t n,
		const struct rte_xdp_mem_info *const *mem, const int mem_step,
		const bool stop, uint64_t *bytes)
{
	struct mvneta_xdp_tx_buf *bufs = txq->bufs;
	struct neta_tx_desc *descs = txq->descs;
	const uint16_t size = txq->size;
	uint16_t put = txq->put, room = size - txq->count;
	uint16_t i, filled = 0, left = 0;
	uint64_t sum = 0;

	if (room < n) {
		txq_done(txq);
		room = size - txq->count;
	}
	for (i = 0; i < n; i++) {
		const struct rte_xdp_mem_info *mi = mem[i * mem_step];
		struct rte_mbuf *m = frames[i];
		struct neta_tx_desc *d;

		if (unlikely(m->nb_segs != 1)) {
			/* the descriptors so far, then the general path */
			txq->put = put;
			txq->count += filled;
			txq->pending += filled;
			filled = 0;
			if (mvneta_xdp_txq_put(txq, m, mi) == 0) {
				sum += m->pkt_len;
			} else {
				if (stop)
					break;
				frames[left++] = m;
			}
			put = txq->put;
			room = size - txq->count;
			continue;
		}
		if (unlikely(room == 0 || !tx_seg_reachable(txq, m))) {
			if (stop)
				break;
			frames[left++] = m;
			continue;
		}
		d = &descs[put];
		d->command = NETA_TX_L4_CSUM_NOT | NETA_TXD_F_DESC |
			NETA_TXD_FLZ_DESC;
		d->data_size = m->data_len;
		neta_buf_addr_set(&d->buf_phys_addr, rte_mbuf_data_iova(m));
		bufs[put].m = m;
		bufs[put].mem = mi;
		if (++put == size)
			put = 0;
		room--;
		filled++;
		sum += m->pkt_len;
	}
	txq->put = put;
	txq->count += filled;
	txq->pending += filled;
	*bytes += sum;
	return stop ? i : n - left;
}

/* XDP_TX: a burst's frames, all of one RX queue's memory; those left out
 * are moved to the front of frames. */
uint16_t
mvneta_xdp_txq_xmit_back(struct mvneta_xdp_txq *txq, struct rte_mbuf **frames,
		uint16_t n, const struct rte_xdp_mem_info *mem, uint64_t *bytes)
{
	return txq_fill(txq, frames, n, &mem, 0, false, bytes);
}

/* ndo_xdp_xmit: frames of any memory, up to the first left out. */
uint16_t
mvneta_xdp_txq_xmit(struct mvneta_xdp_txq *txq, struct rte_mbuf **frames,
		uint16_t n, const struct rte_xdp_mem_info **mem, uint64_t *bytes)
{
	return txq_fill(txq, frames, n, mem, 1, true, bytes);
}

void
mvneta_xdp_txq_flush(struct mvneta_xdp_txq *txq)
{
	if (txq->pending != 0) {
		neta_hw_txq_pend_desc_add(txq->hw, txq->queue_id, txq->pending);
		txq->pending = 0;
	}
	/* Reclaim what is done now, a burst at a time, so that XDP_TX
	 * buffers go back to the page pool's cache rather than overflow it
	 * a ring at a time (mvneta_txq_done() in the NAPI poll). */
	txq_done(txq);
}

struct mvneta_xdp_txq *
mvneta_xdp_txq_alloc(struct mvneta_xdp_port *port, uint16_t hwq,
		uint16_t nb_desc, int socket)
{
	struct mvneta_xdp_txq *txq;

	txq = rte_zmalloc_socket("mvneta_xdp_txq", sizeof(*txq),
		RTE_CACHE_LINE_SIZE, socket);
	if (txq == NULL)
		return NULL;
	txq->descs = rte_zmalloc_socket("mvneta_xdp_tx_ring",
		sizeof(struct neta_tx_desc) * nb_desc, RTE_CACHE_LINE_SIZE,
		socket);
	txq->bufs = rte_zmalloc_socket("mvneta_xdp_tx_bufs",
		sizeof(*txq->bufs) * nb_desc, RTE_CACHE_LINE_SIZE, socket);
	if (txq->descs == NULL || txq->bufs == NULL) {
		mvneta_xdp_txq_free(txq);
		return NULL;
	}
	txq->hw = port->hw;
	txq->port = port;
	txq->size = nb_desc;
	txq->queue_id = hwq;
	txq->socket = socket;
	txq->free_thresh = 32;
	rte_spinlock_init(&txq->lock);
	return txq;
}

void
mvneta_xdp_txq_free(struct mvneta_xdp_txq *txq)
{
	if (txq == NULL)
		return;
	rte_free(txq->bufs);
	rte_free(txq->descs);
	rte_free(txq);
}

int
mvneta_xdp_tx_done_cleanup(void *tx_queue, uint32_t free_cnt)
{
	struct mvneta_xdp_txq *txq = tx_queue;
	uint16_t before = txq->count;

	RTE_SET_USED(free_cnt);
	txq_done(txq);
	return before - txq->count;
}

uint32_t
mvneta_xdp_txq_in_use(const struct mvneta_xdp_txq *txq)
{
	return txq->count;
}

int
mvneta_xdp_txq_start(struct mvneta_xdp_txq *txq)
{
	txq->put = 0;
	txq->get = 0;
	txq->count = 0;
	return neta_hw_txq_init(txq->hw, txq->queue_id, txq->descs, txq->size);
}

/* Like mvneta_txq_done_force(): every buffer still on the ring freed. */
void
mvneta_xdp_txq_stop(struct mvneta_xdp_txq *txq)
{
	neta_hw_txq_deinit(txq->hw, txq->queue_id);
	txq_reclaim(txq, txq->count);
	txq->put = 0;
	txq->get = 0;
}
