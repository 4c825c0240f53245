/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NETA model: the controller's DMA. Address decoding windows as the
 * hardware has them (MVNETA_WIN_BASE/SIZE/REMAP): a descriptor carries a
 * 32-bit device address, the window that decodes it gives the bus address
 * (the window's high remap above it), and the memory at that bus address
 * is what DPDK mapped there: the model looks the address up in DPDK's
 * memory segments, one 2 MB granule at a time, and keeps the answer per
 * window. Nothing assumes a linear IO address layout: with IOVA as PA
 * every hugepage has its own.
 */

#include <errno.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_fbarray.h>
#include <rte_malloc.h>
#include <rte_memory.h>

#include "neta_model.h"

#define MEM_EVENT_NAME "neta_model_dma"

/* What DPDK maps at bus addresses [lo, hi): one CPU address for all? */
struct mem_lookup {
	uint64_t lo, hi;
	uint64_t covered;
	intptr_t delta;		/* CPU address - bus address */
	bool mixed;
};

static void
lookup_add(struct mem_lookup *l, uint64_t start, uint64_t end, intptr_t delta)
{
	if (start >= end)
		return;
	if (l->covered == 0)
		l->delta = delta;
	else if (delta != l->delta)
		l->mixed = true;
	l->covered += end - start;
}

static int
lookup_list(const struct rte_memseg_list *msl, void *arg)
{
	struct mem_lookup *l = arg;
	const struct rte_fbarray *arr = &msl->memseg_arr;
	const struct rte_memseg *ms;
	int idx;

	if (arr->count == 0)
		return 0;
	if (!msl->external && rte_eal_iova_mode() == RTE_IOVA_VA) {
		/* DPDK's own memory with IOVA as VA: bus address = CPU
		 * address; only check that the pages are there. */
		uint64_t base = (uintptr_t)msl->base_va;
		uint64_t start = RTE_MAX(l->lo, base);
		uint64_t end = RTE_MIN(l->hi, base + msl->len);
		unsigned int first, n;

		if (start >= end)
			return 0;
		first = (start - base) / msl->page_sz;
		n = (end - 1 - base) / msl->page_sz - first + 1;
		ms = rte_fbarray_get(arr, first);
		if (rte_fbarray_find_contig_used((struct rte_fbarray *)
				(uintptr_t)arr, first) >= (int)n &&
		    ms->iova == (uintptr_t)ms->addr)
			lookup_add(l, start, end, 0);
		return l->covered == l->hi - l->lo;
	}
	for (idx = rte_fbarray_find_next_used((struct rte_fbarray *)
			(uintptr_t)arr, 0);
	     idx >= 0;
	     idx = rte_fbarray_find_next_used((struct rte_fbarray *)
			(uintptr_t)arr, idx + 1)) {
		ms = rte_fbarray_get(arr, idx);
		if (ms->iova == RTE_BAD_IOVA)
			continue;
		lookup_add(l, RTE_MAX(l->lo, ms->iova),
			RTE_MIN(l->hi, ms->iova + ms->len),
			(intptr_t)((uintptr_t)ms->addr - ms->iova));
	}
	return l->covered == l->hi - l->lo;
}

/*
 * CPU address of bus addresses [lo, hi) if DPDK maps all of them with one
 * offset, else 0. The caller holds the memory read lock.
 */
static uintptr_t
mem_lookup(uint64_t lo, uint64_t hi)
{
	struct mem_lookup l = { .lo = lo, .hi = hi };

	rte_memseg_list_walk_thread_unsafe(lookup_list, &l);
	if (l.covered != hi - lo || l.mixed)
		return 0;
	return (uintptr_t)(lo + l.delta);
}

/* What every window maps before it is first set: nothing. */
static uintptr_t no_granules[NETA_DMA_GRANULES];

static inline uint64_t
bus_addr(const struct neta_model_window *w, uint32_t addr)
{
	return (uint64_t)w->remap << 32 | addr;
}

static bool
window_hit(const struct neta_model_window *w, uint32_t addr, uint32_t len)
{
	return __atomic_load_n(&w->enabled, __ATOMIC_ACQUIRE) &&
		addr >= __atomic_load_n(&w->base, __ATOMIC_RELAXED) &&
		(uint64_t)addr + len <=
		(uint64_t)__atomic_load_n(&w->last, __ATOMIC_RELAXED) + 1;
}

/*
 * The CPU address of addr's granule, looked up and kept when the window
 * holds the whole granule; 0 if DPDK does not map all of it linearly.
 * Under the memory read lock: a free (memory event, under the write
 * lock) cannot slip between the lookup and the store.
 */
static uintptr_t
granule_va(const struct neta_model_window *w, uint32_t addr)
{
	uint32_t g = addr >> NETA_DMA_GRANULE_SHIFT;
	uint32_t first = g << NETA_DMA_GRANULE_SHIFT;
	uint64_t lo = bus_addr(w, first);
	uintptr_t va = __atomic_load_n(&w->va[g], __ATOMIC_RELAXED);

	if (va != 0)
		return va;
	va = mem_lookup(lo, lo + NETA_DMA_GRANULE);
	if (va != 0 && first >= w->base &&
	    first + (NETA_DMA_GRANULE - 1) <= w->last)
		__atomic_store_n(&w->va[g], va, __ATOMIC_RELAXED);
	return va;
}

/* [addr, addr + len) in window w, which decodes all of it. */
static uint8_t *
window_map(const struct neta_model_window *w, uint32_t addr, uint32_t len)
{
	uint32_t off = addr & (NETA_DMA_GRANULE - 1);
	uint64_t end = (uint64_t)addr + len, a;
	uintptr_t va, first;

	rte_mcfg_mem_read_lock();
	/* Granule by granule: a buffer may straddle two (IOVA as VA). */
	first = granule_va(w, addr);
	va = first;
	for (a = (uint64_t)addr - off + NETA_DMA_GRANULE;
	     va != 0 && a < end; a += NETA_DMA_GRANULE) {
		va = granule_va(w, (uint32_t)a);
		if (va != first + (a - addr + off))
			va = 0;
	}
	if (va != 0)
		va = first + off;
	else	/* an edge of DPDK's memory, or not memory at all */
		va = mem_lookup(bus_addr(w, addr), bus_addr(w, addr) + len);
	rte_mcfg_mem_read_unlock();
	return (uint8_t *)va;
}

uint8_t *
neta_model_dma_map_slow(const struct neta_model *nm, uint32_t addr,
		uint32_t len, uint8_t *hint)
{
	uint32_t off = addr & (NETA_DMA_GRANULE - 1);
	unsigned int i;

	len = RTE_MAX(len, 1u);
	/* Known to another window (a ring whose pool spans two)? */
	for (i = 0; i < NETA_DMA_WINDOWS; i++) {
		const uintptr_t *gva = __atomic_load_n(&nm->win[i].va,
			__ATOMIC_ACQUIRE);
		uintptr_t va = __atomic_load_n(
			&gva[addr >> NETA_DMA_GRANULE_SHIFT], __ATOMIC_RELAXED);

		if (va != 0 && off + len <= NETA_DMA_GRANULE) {
			*hint = i;
			return (uint8_t *)(va + off);
		}
	}
	for (i = 0; i < NETA_DMA_WINDOWS; i++)
		if (window_hit(&nm->win[i], addr, len)) {
			*hint = i;
			return window_map(&nm->win[i], addr, len);
		}
	return NULL;
}

static bool
windows_overlap(const struct neta_model_window *w, uint32_t base,
		uint32_t last)
{
	return __atomic_load_n(&w->enabled, __ATOMIC_RELAXED) &&
		base <= w->last && w->base <= last;
}

int
neta_hw_dma_window_set(struct neta_hw *hw, unsigned int idx,
		uint32_t dev_base, uint64_t size, uint32_t remap)
{
	struct neta_model *nm = (struct neta_model *)hw;
	struct neta_model_window *w;
	uint32_t last, g;
	unsigned int i;

	if (idx >= NETA_DMA_WINDOWS || size == 0 ||
	    dev_base % NETA_DMA_WIN_ALIGN != 0 ||
	    size % NETA_DMA_WIN_ALIGN != 0 ||
	    (uint64_t)dev_base + size > UINT32_MAX + 1ULL ||
	    (remap != 0 && idx >= NETA_DMA_REMAP_WINDOWS))
		return -EINVAL;
	last = (uint32_t)(dev_base + size - 1);
	for (i = 0; i < NETA_DMA_WINDOWS; i++)
		if (i != idx && windows_overlap(&nm->win[i], dev_base, last))
			return -EINVAL;
	w = &nm->win[idx];
	if (w->enabled) {
		if (w->remap != remap)
			return -EBUSY;
		/* Any mix of the old and new bounds is inside one of them:
		 * a concurrent DMA sees either. */
		__atomic_store_n(&w->base, dev_base, __ATOMIC_RELAXED);
		__atomic_store_n(&w->last, last, __ATOMIC_RELAXED);
		/* A narrower window: forget the granules it left. */
		for (g = 0; g < NETA_DMA_GRANULES; g++)
			if (w->va[g] != 0 &&
			    (g << NETA_DMA_GRANULE_SHIFT < dev_base ||
			     (g << NETA_DMA_GRANULE_SHIFT) +
			     (NETA_DMA_GRANULE - 1) > last))
				__atomic_store_n(&w->va[g], 0,
					__ATOMIC_RELAXED);
		return 0;
	}
	if (w->va == no_granules) {
		uintptr_t *va = rte_zmalloc("neta_dma_win",
			NETA_DMA_GRANULES * sizeof(*va), 0);

		if (va == NULL)
			return -ENOMEM;
		__atomic_store_n(&w->va, va, __ATOMIC_RELEASE);
	}
	w->base = dev_base;
	w->last = last;
	w->remap = remap;
	__atomic_store_n(&w->enabled, true, __ATOMIC_RELEASE);
	return 0;
}

void
neta_hw_dma_window_clear(struct neta_hw *hw, unsigned int idx)
{
	struct neta_model *nm = (struct neta_model *)hw;
	struct neta_model_window *w;

	if (idx >= NETA_DMA_WINDOWS)
		return;
	w = &nm->win[idx];
	__atomic_store_n(&w->enabled, false, __ATOMIC_RELEASE);
	/* What it reached may be remapped before it is set again. */
	if (w->va != no_granules)
		memset(w->va, 0, NETA_DMA_GRANULES * sizeof(*w->va));
}

/* Pages DPDK gives back may come again at other CPU addresses: forget
 * every granule that lies in them. */
static void
dma_mem_event(enum rte_mem_event event, const void *addr, size_t len,
		void *arg)
{
	struct neta_model *nm = arg;
	uintptr_t lo = (uintptr_t)addr, hi = lo + len;
	unsigned int i, g;

	if (event != RTE_MEM_EVENT_FREE)
		return;
	for (i = 0; i < NETA_DMA_WINDOWS; i++) {
		uintptr_t *va = __atomic_load_n(&nm->win[i].va,
			__ATOMIC_ACQUIRE);

		for (g = 0; va != no_granules && g < NETA_DMA_GRANULES; g++)
			if (va[g] != 0 && va[g] < hi &&
			    lo < va[g] + NETA_DMA_GRANULE)
				__atomic_store_n(&va[g], 0, __ATOMIC_RELAXED);
	}
}

int
neta_model_dma_open(struct neta_model *nm)
{
	unsigned int i;

	for (i = 0; i < NETA_DMA_WINDOWS; i++)
		nm->win[i].va = no_granules;
	/* ENOTSUP: legacy memory, which never gives pages back */
	if (rte_mem_event_callback_register(MEM_EVENT_NAME, dma_mem_event,
			nm) != 0 && rte_errno != ENOTSUP) {
		NETA_LOG(ERR, nm, "cannot watch memory events: %s",
			rte_strerror(rte_errno));
		return -rte_errno;
	}
	return 0;
}

void
neta_model_dma_close(struct neta_model *nm)
{
	unsigned int i;

	rte_mem_event_callback_unregister(MEM_EVENT_NAME, nm);
	for (i = 0; i < NETA_DMA_WINDOWS; i++) {
		if (nm->win[i].va != no_granules)
			rte_free(nm->win[i].va);
		nm->win[i].va = no_granules;
		nm->win[i].enabled = false;
	}
}
