/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DMA addressing from the driver's side. A descriptor takes its buffer's
 * own IO address (buf_iova, rte_mbuf_data_iova()), as a real NETA driver
 * takes each buffer's DMA address: all 64 bits, in the NETA address word
 * and the high word the model adds to the format (neta_desc.h). Any IO
 * address layout DPDK gives is reachable that way: IOVA as PA with
 * hugepages wherever the kernel put them, IOVA as VA, --no-huge,
 * external memory with the application's IO addresses. The address
 * decoding windows are the platform's, opened over all of DRAM when the
 * controller is opened (neta_hw.h): not a per-pool resource.
 *
 * What no address reaches is a buffer without one (RTE_BAD_IOVA): an RX
 * pool with such memory is refused when the port starts, such a frame to
 * send when it is given.
 */

#include <errno.h>
#include <inttypes.h>

#include <rte_mempool.h>

#include "mvneta_xdp.h"

struct pool_check {
	const struct mvneta_xdp_port *port;
	int ret;
};

static void
check_chunk(struct rte_mempool *mp, void *opaque,
		struct rte_mempool_memhdr *hdr, unsigned int idx)
{
	struct pool_check *pc = opaque;

	if (hdr->iova != RTE_BAD_IOVA || pc->ret != 0)
		return;
	MVNETA_LOG(ERR, "%s: mempool %s: memory chunk %u (%zu bytes at %p) has no IO address: the controller cannot reach its buffers",
		pc->port->name, mp->name, idx, hdr->len, hdr->addr);
	pc->ret = -EINVAL;
}

int
mvneta_xdp_dma_check_pool(const struct mvneta_xdp_port *port,
		const struct rte_mempool *mp)
{
	struct pool_check pc = { .port = port };

	rte_mempool_mem_iter((struct rte_mempool *)(uintptr_t)mp, check_chunk,
		&pc);
	return pc.ret;
}

void
mvneta_xdp_dma_refused(struct mvneta_xdp_txq *txq,
		const struct rte_mbuf *seg)
{
	if (txq->no_iova_logged)
		return;
	txq->no_iova_logged = true;
	MVNETA_LOG(ERR, "%s: txq %u: a buffer (%p) has no IO address: the controller cannot reach it; such frames are refused (counted in oerrors or the XDP transmit errors), this message is not repeated",
		txq->port->name, txq->queue_id, seg->buf_addr);
}
