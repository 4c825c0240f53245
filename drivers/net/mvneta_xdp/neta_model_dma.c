/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NETA model: the controller's DMA. A descriptor carries a 64-bit bus
 * address (neta_desc.h), and the memory at that bus address is what DPDK
 * mapped there: the model looks the address up in DPDK's memory segments
 * and keeps the answer per 2 MB granule in a table shared by all ports
 * (neta_model.h), so that a DMA is one table walk. Nothing assumes a
 * layout: with IOVA as PA every hugepage has its own bus address,
 * wherever the kernel put it; with IOVA as VA the bus address is the
 * CPU address; external memory has whatever IO addresses the
 * application registered.
 *
 * A granule is kept only while DPDK keeps the memory: forgotten when
 * DPDK frees the pages (memory event, CPU addresses) and when a mempool
 * is destroyed (its chunks' bus addresses: external memory is given back
 * without a memory event, and its IO addresses may then be registered
 * again elsewhere).
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>

#include <rte_eal.h>
#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_fbarray.h>
#include <rte_memory.h>
#include <rte_mempool.h>

#include "neta_model.h"

#define MEM_EVENT_NAME "neta_model_dma"

uintptr_t *neta_bus_leaf[NETA_BUS_LEAVES];
/* The leaf of every 64 GiB none of whose granules was used: all 0, never
 * written, so that the fast path needs no test for a missing leaf. */
static uintptr_t no_leaf[NETA_BUS_LEAF_SIZE];

/* Writers of neta_bus_leaf[] and of the leaves' entries. */
static rte_spinlock_t bus_lock = RTE_SPINLOCK_INITIALIZER;
/* Ports using the bus: the event callbacks are on while there are any. */
static pthread_mutex_t bus_users_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int bus_users;

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

/* The entry of granule g (below the table's top), NULL without a leaf. */
static inline uintptr_t *
bus_entry(uint64_t g)
{
	uintptr_t *leaf = __atomic_load_n(&neta_bus_leaf[g >>
		NETA_BUS_LEAF_SHIFT], __ATOMIC_ACQUIRE);

	return leaf == no_leaf ? NULL : &leaf[g & (NETA_BUS_LEAF_SIZE - 1)];
}

/* Under bus_lock: the entry of granule g, its leaf made if need be;
 * NULL above the table or without memory for a leaf. */
static uintptr_t *
bus_entry_make(uint64_t g)
{
	uint64_t top = g >> NETA_BUS_LEAF_SHIFT;
	uintptr_t *leaf;

	if (top >= NETA_BUS_LEAVES)
		return NULL;
	if (neta_bus_leaf[top] == no_leaf) {
		leaf = calloc(NETA_BUS_LEAF_SIZE, sizeof(*leaf));
		if (leaf == NULL)
			return NULL;
		__atomic_store_n(&neta_bus_leaf[top], leaf, __ATOMIC_RELEASE);
	}
	return bus_entry(g);
}

/*
 * The CPU address of granule g: from the table, or looked up and kept
 * when DPDK maps the whole granule with one offset; 0 otherwise. Under
 * the memory read lock, so that a free (memory event, under the write
 * lock) cannot slip between the lookup and the store.
 */
static uintptr_t
granule_va(uint64_t g)
{
	uint64_t lo = g << NETA_BUS_GRANULE_SHIFT;
	uintptr_t *e, va;

	if (g >> NETA_BUS_LEAF_SHIFT < NETA_BUS_LEAVES) {
		e = bus_entry(g);
		va = e == NULL ? 0 : __atomic_load_n(e, __ATOMIC_RELAXED);
		if (va != 0)
			return va;
	}
	va = mem_lookup(lo, lo + NETA_BUS_GRANULE);
	if (va == 0)
		return 0;
	rte_spinlock_lock(&bus_lock);
	e = bus_entry_make(g);
	if (e != NULL)
		__atomic_store_n(e, va, __ATOMIC_RELAXED);
	rte_spinlock_unlock(&bus_lock);
	return va;
}

uint8_t *
neta_model_dma_map_slow(const struct neta_model *nm, uint64_t bus,
		uint32_t len)
{
	uint64_t first = bus >> NETA_BUS_GRANULE_SHIFT, g, last, end;
	uintptr_t va, first_va;

	len = RTE_MAX(len, 1u);
	end = bus + len;
	if (end < bus)
		return NULL;
	last = (end - 1) >> NETA_BUS_GRANULE_SHIFT;
	rte_mcfg_mem_read_lock();
	/* Granule by granule: a buffer may straddle two, linear if each
	 * continues the one before. */
	first_va = granule_va(first);
	va = first_va;
	for (g = first + 1; va != 0 && g <= last; g++)
		if (granule_va(g) != first_va +
				((g - first) << NETA_BUS_GRANULE_SHIFT))
			va = 0;
	if (va != 0)
		va = first_va + (bus & (NETA_BUS_GRANULE - 1));
	else	/* an edge of DPDK's memory, or not memory at all */
		va = mem_lookup(bus, end);
	rte_mcfg_mem_read_unlock();
	if (va == 0)
		NETA_LOG(DEBUG, nm, "DMA to bus addresses 0x%" PRIx64 "-0x%"
			PRIx64 ": no memory there", bus, end - 1);
	return (uint8_t *)va;
}

/* Forget the granules of bus addresses [lo, hi). */
static void
bus_forget_bus(uint64_t lo, uint64_t hi)
{
	uint64_t g;
	uintptr_t *e;

	if (hi <= lo)
		return;
	rte_spinlock_lock(&bus_lock);
	for (g = lo >> NETA_BUS_GRANULE_SHIFT;
	     g <= (hi - 1) >> NETA_BUS_GRANULE_SHIFT &&
	     g >> NETA_BUS_LEAF_SHIFT < NETA_BUS_LEAVES; g++) {
		e = bus_entry(g);
		if (e != NULL)
			__atomic_store_n(e, 0, __ATOMIC_RELAXED);
	}
	rte_spinlock_unlock(&bus_lock);
}

/* Forget every granule that lies in CPU addresses [lo, hi). */
static void
bus_forget_cpu(uintptr_t lo, uintptr_t hi)
{
	unsigned int top, i;
	uintptr_t *leaf;

	rte_spinlock_lock(&bus_lock);
	for (top = 0; top < NETA_BUS_LEAVES; top++) {
		leaf = neta_bus_leaf[top];
		for (i = 0; leaf != no_leaf && i < NETA_BUS_LEAF_SIZE; i++)
			if (leaf[i] != 0 && leaf[i] < hi &&
			    lo < leaf[i] + NETA_BUS_GRANULE)
				__atomic_store_n(&leaf[i], 0, __ATOMIC_RELAXED);
	}
	rte_spinlock_unlock(&bus_lock);
}

/* Pages DPDK gives back may come again at other CPU addresses. Invoked
 * under the memory write lock. */
static void
dma_mem_event(enum rte_mem_event event, const void *addr, size_t len,
		void *arg)
{
	RTE_SET_USED(arg);
	if (event == RTE_MEM_EVENT_FREE)
		bus_forget_cpu((uintptr_t)addr, (uintptr_t)addr + len);
}

static void
forget_chunk(struct rte_mempool *mp, void *opaque,
		struct rte_mempool_memhdr *hdr, unsigned int idx)
{
	RTE_SET_USED(mp);
	RTE_SET_USED(opaque);
	RTE_SET_USED(idx);
	if (hdr->iova != RTE_BAD_IOVA)
		bus_forget_bus(hdr->iova, hdr->iova + hdr->len);
}

/* A mempool going away, its chunks still listed: its memory may be
 * unregistered next and its IO addresses given to other memory. */
static void
dma_mempool_event(enum rte_mempool_event event, struct rte_mempool *mp,
		void *arg)
{
	RTE_SET_USED(arg);
	if (event == RTE_MEMPOOL_EVENT_DESTROY)
		rte_mempool_mem_iter(mp, forget_chunk, NULL);
}

/* No leaf anywhere; under bus_users_lock, with no port using the bus. */
static void
bus_clear(void)
{
	unsigned int top;

	for (top = 0; top < NETA_BUS_LEAVES; top++) {
		if (neta_bus_leaf[top] != no_leaf)
			free(neta_bus_leaf[top]);
		neta_bus_leaf[top] = no_leaf;
	}
}

int
neta_model_dma_open(struct neta_model *nm)
{
	int ret = 0;

	pthread_mutex_lock(&bus_users_lock);
	if (bus_users++ != 0)
		goto out;
	if (neta_bus_leaf[0] == NULL)	/* the first port of the process */
		bus_clear();
	/* ENOTSUP: legacy memory, which never gives pages back */
	if (rte_mem_event_callback_register(MEM_EVENT_NAME, dma_mem_event,
			NULL) != 0 && rte_errno != ENOTSUP) {
		ret = -rte_errno;
		NETA_LOG(ERR, nm, "cannot watch memory events: %s",
			rte_strerror(rte_errno));
	} else if (rte_mempool_event_callback_register(dma_mempool_event,
			NULL) != 0) {
		ret = -rte_errno;
		NETA_LOG(ERR, nm, "cannot watch mempools: %s",
			rte_strerror(rte_errno));
		rte_mem_event_callback_unregister(MEM_EVENT_NAME, NULL);
	}
	if (ret != 0)
		bus_users--;
out:
	pthread_mutex_unlock(&bus_users_lock);
	return ret;
}

/* The last port gone: no DMA can run, the table goes. */
void
neta_model_dma_close(struct neta_model *nm)
{
	RTE_SET_USED(nm);
	pthread_mutex_lock(&bus_users_lock);
	if (--bus_users == 0) {
		rte_mempool_event_callback_unregister(dma_mempool_event, NULL);
		rte_mem_event_callback_unregister(MEM_EVENT_NAME, NULL);
		bus_clear();
	}
	pthread_mutex_unlock(&bus_users_lock);
}
