/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DMA address decoding windows. NETA descriptors carry 32-bit device
 * addresses; the controller has six windows mapping device address ranges
 * onto memory. The driver opens one window per mempool whose buffers it
 * posts or transmits, sized to the pool's memory chunks, and packs the
 * windows into the 4 GiB device address space.
 */

#include <errno.h>

#include <rte_mempool.h>

#include "mvneta_xdp.h"

#define WIN_ALIGN 4096ULL
#define DEV_SPACE (1ULL << 32)

struct span {
	uint64_t lo, hi;	/* bus addresses */
	intptr_t va_delta;	/* va - iova, must be the same for all chunks */
	bool nonlinear;
	bool bad_iova;
};

static void
chunk_span(struct rte_mempool *mp, void *opaque,
		struct rte_mempool_memhdr *hdr, unsigned int idx)
{
	struct span *s = opaque;
	intptr_t d = (intptr_t)hdr->addr - (intptr_t)hdr->iova;

	RTE_SET_USED(mp);
	if (hdr->iova == RTE_BAD_IOVA) {
		s->bad_iova = true;
		return;
	}
	if (idx == 0)
		s->va_delta = d;
	else if (d != s->va_delta)
		s->nonlinear = true;
	s->lo = RTE_MIN(s->lo, (uint64_t)hdr->iova);
	s->hi = RTE_MAX(s->hi, (uint64_t)hdr->iova + hdr->len);
}

int
mvneta_xdp_dma_window_get(struct mvneta_xdp_port *port,
		const struct rte_mempool *mp, uint64_t *delta)
{
	struct span s = { .lo = UINT64_MAX };
	struct mvneta_xdp_window *w;
	unsigned int i, n;
	uint64_t size, dev_base;
	int ret;

	n = __atomic_load_n(&port->nb_win, __ATOMIC_ACQUIRE);
	for (i = 0; i < n; i++)
		if (port->win[i].mp == mp) {
			*delta = port->win[i].delta;
			return 0;
		}

	rte_spinlock_lock(&port->win_lock);
	for (i = 0; i < port->nb_win; i++)
		if (port->win[i].mp == mp) {
			*delta = port->win[i].delta;
			rte_spinlock_unlock(&port->win_lock);
			return 0;
		}
	ret = -ENOSPC;
	if (port->nb_win == NETA_DMA_WINDOWS) {
		MVNETA_LOG(ERR, "%s: all %d DMA windows in use, cannot reach mempool %s",
			port->name, NETA_DMA_WINDOWS, mp->name);
		goto out;
	}
	rte_mempool_mem_iter((struct rte_mempool *)(uintptr_t)mp, chunk_span, &s);
	ret = -EINVAL;
	if (s.bad_iova || s.nonlinear || s.lo == UINT64_MAX) {
		MVNETA_LOG(ERR, "%s: mempool %s has no linear IO addresses",
			port->name, mp->name);
		goto out;
	}
	size = RTE_ALIGN_CEIL(s.hi - s.lo, WIN_ALIGN);
	dev_base = port->win_dev_next;
	ret = -ENOSPC;
	if (size >= DEV_SPACE - dev_base) {
		MVNETA_LOG(ERR, "%s: mempool %s spans %" PRIu64 " bytes, more than the 32-bit DMA space left",
			port->name, mp->name, size);
		goto out;
	}
	ret = neta_hw_dma_window_set(port->hw, port->nb_win, (uint32_t)dev_base,
		s.lo, (void *)(uintptr_t)(s.lo + s.va_delta), (uint32_t)size);
	if (ret != 0)
		goto out;
	w = &port->win[port->nb_win];
	w->mp = mp;
	w->iova = s.lo;
	w->len = size;
	w->delta = s.lo - dev_base;
	port->win_dev_next = dev_base + size;
	*delta = w->delta;
	__atomic_store_n(&port->nb_win, port->nb_win + 1, __ATOMIC_RELEASE);
	ret = 0;
out:
	rte_spinlock_unlock(&port->win_lock);
	return ret;
}

uint64_t
mvneta_xdp_dma_lookup(struct mvneta_xdp_port *port, uint64_t iova,
		uint32_t len)
{
	unsigned int i, n = __atomic_load_n(&port->nb_win, __ATOMIC_ACQUIRE);

	for (i = 0; i < n; i++) {
		const struct mvneta_xdp_window *w = &port->win[i];

		if (iova >= w->iova && iova - w->iova + len <= w->len)
			return w->delta;
	}
	return MVNETA_XDP_BAD_DMA;
}

void
mvneta_xdp_dma_windows_clear(struct mvneta_xdp_port *port)
{
	unsigned int i;

	rte_spinlock_lock(&port->win_lock);
	for (i = 0; i < port->nb_win; i++)
		neta_hw_dma_window_clear(port->hw, i);
	port->nb_win = 0;
	port->win_dev_next = 0;
	rte_spinlock_unlock(&port->win_lock);
}
