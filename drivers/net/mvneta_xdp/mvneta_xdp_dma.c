/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DMA address decoding windows, opened over the memory the port's buffers
 * are in, as mvneta_conf_mbus_windows() opens them over the DRAM.
 *
 * NETA descriptors carry 32-bit addresses. The driver writes the low 32
 * bits of each buffer's own IO address (rte_mbuf_data_iova()); the window
 * that decodes them supplies bits 63:32 from its high remap register
 * (windows 0-3; windows 4-5 reach the first 4 GiB only). Before a
 * mempool's buffers are posted or sent, each of its memory chunks gets a
 * window of its 4 GiB region: an open one widened where that overlaps no
 * other window, else a new one. With IOVA as PA the chunks are wherever
 * the hugepages are, on this machine above 4 GiB; they must fit in one
 * 4 GiB of device addresses, as on the hardware: a chunk whose low 32
 * bits collide with another region's window, or that needs a seventh
 * window, cannot be reached and is refused with an error saying so.
 */

#include <errno.h>
#include <inttypes.h>

#include <rte_mempool.h>

#include "mvneta_xdp.h"

#define REGION_SHIFT	32
#define REGION		(1ULL << REGION_SHIFT)
/* Windows on hugepage boundaries: a chunk shares its page with its
 * neighbours, and the model reaches memory 2 MB at a time. */
#define WIN_ALIGN	((uint64_t)RTE_PGSIZE_2M)

static bool
win_covers(const struct mvneta_xdp_window *w, uint32_t hi, uint64_t lo,
		uint64_t end)
{
	return __atomic_load_n(&w->enabled, __ATOMIC_ACQUIRE) && w->hi == hi &&
		lo >= __atomic_load_n(&w->base, __ATOMIC_RELAXED) &&
		end - 1 <= __atomic_load_n(&w->last, __ATOMIC_RELAXED);
}

/* Whether every byte of [iova, iova + len) is decoded by a window;
 * without the lock (a window widening meanwhile gives a false "no"). */
static bool
range_covered(const struct mvneta_xdp_port *port, uint64_t iova,
		uint64_t len)
{
	uint64_t end = iova + len, lo, piece_end;
	unsigned int i;

	for (lo = iova; lo < end; lo = piece_end) {
		piece_end = RTE_MIN(end, RTE_ALIGN_FLOOR(lo, REGION) + REGION);
		for (i = 0; i < NETA_DMA_WINDOWS; i++)
			if (win_covers(&port->win[i], lo >> REGION_SHIFT,
					lo % REGION, piece_end - lo +
					lo % REGION))
				break;
		if (i == NETA_DMA_WINDOWS)
			return false;
	}
	return true;
}

/* Another enabled window than skip overlapping device addresses
 * [base, last], or -1. */
static int
win_overlapping(const struct mvneta_xdp_port *port, int skip, uint32_t base,
		uint32_t last)
{
	int i;

	for (i = 0; i < NETA_DMA_WINDOWS; i++) {
		const struct mvneta_xdp_window *w = &port->win[i];

		if (i != skip && w->enabled && base <= w->last &&
		    w->base <= last)
			return i;
	}
	return -1;
}

static int
win_set(struct mvneta_xdp_port *port, int idx, uint32_t hi, uint32_t base,
		uint32_t last)
{
	struct mvneta_xdp_window *w = &port->win[idx];
	int ret;

	ret = neta_hw_dma_window_set(port->hw, idx, base,
		(uint64_t)last - base + 1, hi);
	if (ret != 0) {
		MVNETA_LOG(ERR, "%s: DMA window %d: cannot set: %s", port->name,
			idx, rte_strerror(-ret));
		return ret;
	}
	__atomic_store_n(&w->base, base, __ATOMIC_RELAXED);
	__atomic_store_n(&w->last, last, __ATOMIC_RELAXED);
	if (!w->enabled) {
		w->hi = hi;
		__atomic_store_n(&w->enabled, true, __ATOMIC_RELEASE);
	}
	return 0;
}

/*
 * A window of region hi over device addresses [lo, end) (end <= 4 GiB):
 * the one that holds them, a widened one, or a new one. Under win_lock.
 */
static int
cover_piece(struct mvneta_xdp_port *port, uint32_t hi, uint64_t lo,
		uint64_t end, const char *what)
{
	uint32_t base = RTE_ALIGN_FLOOR(lo, WIN_ALIGN);
	uint32_t last = RTE_ALIGN_CEIL(end, WIN_ALIGN) - 1;
	uint64_t growth, best_growth = UINT64_MAX;
	uint32_t best_base = 0, best_last = 0;
	int i, best = -1, free_idx = -1, other;

	for (i = 0; i < NETA_DMA_WINDOWS; i++) {
		const struct mvneta_xdp_window *w = &port->win[i];
		uint32_t nb, nl;

		if (!w->enabled) {
			if (free_idx < 0 &&
			    (hi == 0 || i < NETA_DMA_REMAP_WINDOWS))
				free_idx = i;
			continue;
		}
		if (w->hi != hi)
			continue;
		if (base >= w->base && last <= w->last)
			return 0;
		nb = RTE_MIN(w->base, base);
		nl = RTE_MAX(w->last, last);
		if (win_overlapping(port, i, nb, nl) >= 0)
			continue;
		growth = (uint64_t)(nl - nb) - (w->last - w->base);
		if (growth < best_growth) {
			best_growth = growth;
			best = i;
			best_base = nb;
			best_last = nl;
		}
	}
	if (best >= 0)
		return win_set(port, best, hi, best_base, best_last);
	other = win_overlapping(port, -1, base, last);
	if (other >= 0) {
		const struct mvneta_xdp_window *w = &port->win[other];

		MVNETA_LOG(ERR, "%s: %s: IO addresses 0x%" PRIx64 "-0x%" PRIx64
			" are device addresses 0x%08" PRIx64 "-0x%08" PRIx64
			" of DMA window %d, which reaches IO addresses 0x%" PRIx64
			"-0x%" PRIx64 ": NETA descriptors carry 32 address bits",
			port->name, what, (uint64_t)hi << REGION_SHIFT | lo,
			((uint64_t)hi << REGION_SHIFT | end) - 1, lo, end - 1,
			other, (uint64_t)w->hi << REGION_SHIFT | w->base,
			(uint64_t)w->hi << REGION_SHIFT | w->last);
		return -EADDRINUSE;
	}
	if (free_idx < 0) {
		MVNETA_LOG(ERR, "%s: %s: IO addresses 0x%" PRIx64 "-0x%" PRIx64
			" need a DMA window and all %d%s are in use",
			port->name, what, (uint64_t)hi << REGION_SHIFT | lo,
			((uint64_t)hi << REGION_SHIFT | end) - 1,
			hi == 0 ? NETA_DMA_WINDOWS : NETA_DMA_REMAP_WINDOWS,
			hi == 0 ? "" : " with a high remap (above 4 GiB)");
		return -ENOSPC;
	}
	return win_set(port, free_idx, hi, base, last);
}

/* Under win_lock: windows for [iova, iova + len), region by region. */
static int
cover(struct mvneta_xdp_port *port, uint64_t iova, uint64_t len,
		const char *what)
{
	uint64_t end = iova + len, lo, piece_end;
	int ret;

	if (iova == RTE_BAD_IOVA || len == 0 || end < iova) {
		MVNETA_LOG(ERR, "%s: %s: no IO address: the controller cannot reach it",
			port->name, what);
		return -EINVAL;
	}
	for (lo = iova; lo < end; lo = piece_end) {
		piece_end = RTE_MIN(end, RTE_ALIGN_FLOOR(lo, REGION) + REGION);
		ret = cover_piece(port, lo >> REGION_SHIFT, lo % REGION,
			piece_end - lo + lo % REGION, what);
		if (ret != 0)
			return ret;
	}
	return 0;
}

struct pool_cover {
	struct mvneta_xdp_port *port;
	char what[RTE_MEMPOOL_NAMESIZE + 16];
	int ret;
};

static void
cover_chunk(struct rte_mempool *mp, void *opaque,
		struct rte_mempool_memhdr *hdr, unsigned int idx)
{
	struct pool_cover *pc = opaque;

	RTE_SET_USED(mp);
	RTE_SET_USED(idx);
	if (pc->ret == 0)
		pc->ret = cover(pc->port, hdr->iova, hdr->len, pc->what);
}

static bool
pool_known(const struct mvneta_xdp_port *port, const struct rte_mempool *mp)
{
	unsigned int i, n = __atomic_load_n(&port->nb_dma_pool,
		__ATOMIC_ACQUIRE);

	for (i = 0; i < n; i++)
		if (__atomic_load_n(&port->dma_pool[i], __ATOMIC_RELAXED) == mp)
			return true;
	return false;
}

static void
forget_pool(struct mvneta_xdp_txq *txq, const struct rte_mempool *mp)
{
	if (txq != NULL)
		__atomic_compare_exchange_n(&txq->dma_mp, &mp, NULL, false,
			__ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

/* A mempool going away: forget it, its address may come back as another
 * pool's. Invoked in the process that frees it. */
static void
pool_destroyed(enum rte_mempool_event event, struct rte_mempool *mp,
		void *arg)
{
	struct mvneta_xdp_port *port = arg;
	struct rte_eth_dev_data *data = port->dev->data;
	unsigned int i, n;
	uint16_t q;

	if (event != RTE_MEMPOOL_EVENT_DESTROY)
		return;
	rte_spinlock_lock(&port->win_lock);
	n = port->nb_dma_pool;
	for (i = 0; i < n; i++)
		if (port->dma_pool[i] == mp) {
			__atomic_store_n(&port->dma_pool[i],
				port->dma_pool[n - 1], __ATOMIC_RELAXED);
			__atomic_store_n(&port->nb_dma_pool, n - 1,
				__ATOMIC_RELEASE);
			break;
		}
	for (q = 0; q < data->nb_tx_queues; q++)
		forget_pool(data->tx_queues[q], mp);
	for (q = 0; q < NETA_MAX_QUEUES; q++)
		forget_pool(port->xdp.tx_ring[q], mp);
	forget_pool(port->xdp.xmit_ring, mp);
	rte_spinlock_unlock(&port->win_lock);
}

int
mvneta_xdp_dma_map_pool(struct mvneta_xdp_port *port,
		const struct rte_mempool *mp)
{
	struct pool_cover pc = { .port = port };

	if (pool_known(port, mp))
		return 0;
	/* Once per port; a racing second registration fails with EEXIST. */
	if (!__atomic_exchange_n(&port->dma_pool_watch, true,
			__ATOMIC_ACQ_REL))
		rte_mempool_event_callback_register(pool_destroyed, port);
	snprintf(pc.what, sizeof(pc.what), "mempool %s", mp->name);
	rte_spinlock_lock(&port->win_lock);
	if (!pool_known(port, mp)) {
		rte_mempool_mem_iter((struct rte_mempool *)(uintptr_t)mp,
			cover_chunk, &pc);
		if (pc.ret == 0 && port->nb_dma_pool < MVNETA_XDP_DMA_POOLS) {
			port->dma_pool[port->nb_dma_pool] = mp;
			__atomic_store_n(&port->nb_dma_pool,
				port->nb_dma_pool + 1, __ATOMIC_RELEASE);
		}
	}
	rte_spinlock_unlock(&port->win_lock);
	return pc.ret;
}

int
mvneta_xdp_dma_map_range(struct mvneta_xdp_port *port, uint64_t iova,
		uint64_t len)
{
	int ret;

	if (iova != RTE_BAD_IOVA && range_covered(port, iova, len))
		return 0;
	rte_spinlock_lock(&port->win_lock);
	ret = cover(port, iova, len, "external buffer");
	rte_spinlock_unlock(&port->win_lock);
	return ret;
}

void
mvneta_xdp_dma_windows_clear(struct mvneta_xdp_port *port)
{
	unsigned int i;

	if (__atomic_exchange_n(&port->dma_pool_watch, false,
			__ATOMIC_ACQ_REL))
		rte_mempool_event_callback_unregister(pool_destroyed, port);
	rte_spinlock_lock(&port->win_lock);
	for (i = 0; i < NETA_DMA_WINDOWS; i++)
		if (port->win[i].enabled) {
			neta_hw_dma_window_clear(port->hw, i);
			__atomic_store_n(&port->win[i].enabled, false,
				__ATOMIC_RELEASE);
		}
	__atomic_store_n(&port->nb_dma_pool, 0, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&port->win_lock);
}
